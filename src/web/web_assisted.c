/* web_assisted.c: facilitators registering people who take part in person, without
 * email, with their recorded consent, and the list of those people to act for. */
#include <inttypes.h>
#include <string.h>

#include "web/web_admin.h"

/* The consent wording a facilitator reads aloud. The same paragraphs are shown on the
 * form and stored with the person, so the record says exactly what they agreed to. */
#define CONSENT_PARAGRAPHS 7

static void consent_paragraphs(arena *a, const char *place, const char *out[CONSENT_PARAGRAPHS])
{
	out[0] = arena_printf(a,
	                      "We would like to write down some details about you, so that you "
	                      "can take part in co-production in %s without using email or the "
	                      "internet yourself.",
	                      place);
	out[1] = "What we record: your name, how to get in touch with you (such as a phone "
	         "number, or a group or place where we can find you), and the organisation "
	         "that supports you, if there is one. When you take part, your facilitator "
	         "will record your views and the sessions you come to.";
	out[2] = "Why we record it: so that your facilitator can keep you in touch with your "
	         "group, pass on your views to the people who make decisions, and arrange "
	         "payment for your time and expenses if you want it.";
	out[3] = arena_printf(a,
	                      "Who sees it: the facilitators and programme leads who run "
	                      "co-production in %s. Only they can see how to get in touch with "
	                      "you. Other people taking part may see your name next to your views "
	                      "and the sessions you come to.",
	                      place);
	out[4] = "Your facilitator will only act for you when you ask them to. Everything they "
	         "do for you is recorded with their name, so you can always ask what was done "
	         "on your behalf.";
	out[5] = "You can withdraw at any time by telling your facilitator. We will then stop "
	         "recording anything for you. Saying no, or withdrawing later, will not affect "
	         "any service you get.";
	out[6] = "Do you agree to us recording these details?";
}

/* The wording as stored: the paragraphs with a blank line between them. NULL if the
 * arena is full. */
static const char *consent_text(req *r, const char *const para[CONSENT_PARAGRAPHS])
{
	sbuf b;
	sbuf_init(&b, r->a, ACCOUNT_CONSENT_MAX * 2);
	for (size_t i = 0; i < CONSENT_PARAGRAPHS; i++) {
		if (!para[i])
			return NULL;
		if (i)
			sbuf_adds(&b, "\n\n");
		sbuf_adds(&b, para[i]);
	}
	return b.err ? NULL : b.buf;
}

/* --- The list ------------------------------------------------------------------------- */

void web_assisted(req *r, struct web *w)
{
	struct account *people;
	size_t n;
	tval *list = tv_list(r->a);
	bool lead = web_has_role(w, ROLE_PROGRAMME_LEAD);
	int rc = account_list_assisted(w->db, r->a, &people, &n);

	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct account *p = &people[i];
		tval *m = tv_map(r->a);
		tv_set_int(m, "id", p->id);
		tv_set_str(m, "name", p->display_name);
		tv_set_str(m, "contact_note", p->contact_note);
		tv_set_str(m, "organisation", p->organisation_name);
		tv_set_str(m, "consent_by", p->consent_recorded_by_name);
		tv_set_str(m, "consent_at", admin_when(r->a, p->consent_recorded_at));
		tv_set_str(m, "consent_wording", p->consent_wording);
		tv_set_bool(m, "acting_now", w->sess->acting_for == p->id);
		tv_set_str(m, "edit_href",
		           lead ? arena_printf(r->a, "/admin/people/%" PRId64, p->id) : "");
		tv_push(list, m);
	}
	if (sv_eq_cstr(kv_get(&r->query, "done"), "registered"))
		page_notice(w, "They have been registered. You can now act for them when they ask "
		               "you to.");
	tv_set(w->page, "people", list);
	tv_set_bool(w->page, "has_people", n > 0);
	page_render(r, w, 200, "assisted_list", "People you support");
}

/* --- Registering someone -------------------------------------------------------------- */

static const struct field_spec assisted_form[] = {
    {"name_field", "display_name", "Their name", "The name they like to be called", NULL, "off",
     true},
    {NULL, NULL, NULL, NULL, NULL, NULL, false},
};
static const char *const assisted_fields[] = {"display_name", "contact_note", "organisation_id",
                                              "consent", NULL};

static void assisted_page(req *r, struct web *w, int status, struct field_errors *fe,
                          const char *const para[CONSENT_PARAGRAPHS])
{
	tval *orgs, *wording = tv_list(r->a);
	int rc =
	    admin_org_options(r, w, admin_parse_id(kv_get(&r->form, "organisation_id")), &orgs);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < CONSENT_PARAGRAPHS; i++)
		tv_push(wording, tv_str(r->a, para[i]));
	admin_form(r, w, assisted_form, fe, assisted_fields, NULL);
	tv_set_sv(w->page, "contact_note", kv_get(&r->form, "contact_note"));
	tv_set(w->page, "organisations", orgs);
	tv_set_str(w->page, "org_label", "Organisation that supports them (optional)");
	tv_set_str(w->page, "org_hint", "For example, the group or charity where you met them");
	tv_set(w->page, "consent_paragraphs", wording);
	tv_set_bool(w->page, "consent_checked", sv_eq_cstr(kv_get(&r->form, "consent"), "yes"));
	page_render(r, w, status, "assisted_new", "Register someone without email");
}

void web_assisted_new(req *r, struct web *w)
{
	const char *para[CONSENT_PARAGRAPHS];
	consent_paragraphs(r->a, w->app->place, para);
	assisted_page(r, w, 200, NULL, para);
}

void web_assisted_create(req *r, struct web *w)
{
	const char *para[CONSENT_PARAGRAPHS], *wording;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	struct assisted_new in;
	bool consent = sv_eq_cstr(kv_get(&r->form, "consent"), "yes");
	int rc;

	consent_paragraphs(r->a, w->app->place, para);
	wording = consent_text(r, para);
	if (!wording) {
		page_error(r, w, 500);
		return;
	}
	memset(&in, 0, sizeof(in));
	in.display_name = kv_get(&r->form, "display_name");
	in.contact_note = kv_get(&r->form, "contact_note");
	in.consent_wording = sv_from(wording);
	in.organisation_id = admin_parse_id(kv_get(&r->form, "organisation_id"));
	field_errors_init(&fe);

	/* The registration is tried inside a transaction even without the tick, so that the
	 * form shows every mistake at once; without consent nothing is kept. */
	rc = db_begin(w->db);
	if (rc == DB_OK) {
		rc = account_create_assisted_tx(w->db, r->a, &who, &in, &fe, NULL);
		if (!consent && (rc == DOMAIN_OK || rc == DOMAIN_EINVALID)) {
			field_error_add(&fe, "consent",
			                "Confirm that you have read this to them and they agreed");
			rc = DOMAIN_EINVALID;
		}
		if (rc == DOMAIN_OK)
			rc = db_commit(w->db);
		if (rc != DOMAIN_OK)
			db_rollback(w->db);
	}
	if (rc == DOMAIN_OK) {
		resp_redirect(r, "/assisted?done=registered");
		return;
	}
	if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	/* The wording is ours, not typed: if it is ever refused, point at the tick box. */
	for (size_t i = 0; i < fe.n; i++)
		if (strcmp(fe.items[i].field, "consent_wording") == 0)
			fe.items[i].field = "consent";
	assisted_page(r, w, 400, &fe, para);
}
