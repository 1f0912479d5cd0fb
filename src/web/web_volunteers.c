/* web_volunteers.c: expressions of interest (the public form and the facilitator's form
 * for someone met in person), a programme's volunteers with their stages, merging
 * duplicates, and the induction checklist. */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "domain/assets.h"
#include "domain/programmes.h"
#include "domain/volunteers.h"
#include "web/web_recruitment.h"

/* Everything a form sends in one checkbox group, joined by commas. */
#define CHECKBOX_JOIN_MAX 1024
/* The public form's field that people never see and programs fill in (see "Protecting
 * the public form" below). Its name must match nothing an autofill knows (a browser's
 * address profile or a password manager fills "website", "url" or "company" even with
 * autocomplete off), or a real person's form would be set aside. */
#define HONEYPOT_FIELD "leave_this_empty"

static int64_t parse_id(sv s)
{
	int64_t id;
	return sv_to_i64(s, &id) == 0 && id > 0 ? id : 0;
}

/* "14 June 2022" from an ISO timestamp or date; "" for NULL. */
static const char *day_of(arena *a, const char *iso)
{
	struct date dt;
	sbuf b;
	if (!iso || strlen(iso) < 10 || date_parse((sv){iso, 10}, &dt) != 0)
		return iso ? iso : "";
	sbuf_init(&b, a, 64);
	date_human(&b, dt);
	return b.err ? iso : b.buf;
}

static sv checkbox_values(req *r, const char *name)
{
	sbuf b;
	sbuf_init(&b, r->a, CHECKBOX_JOIN_MAX);
	for (size_t i = 0; i < r->form.n; i++)
		if (sv_eq_cstr(r->form.items[i].key, name)) {
			if (b.len)
				sbuf_addc(&b, ',');
			sbuf_addsv(&b, r->form.items[i].val);
		}
	return b.err ? SV("?") : sbuf_sv(&b);
}

static bool in_list(sv list, const char *slug)
{
	sv rest = list;
	while (rest.ptr && list.len) {
		sv t = sv_trim(sv_cut(rest, ',', &rest));
		if (sv_eq_cstr(t, slug))
			return true;
	}
	return false;
}

/* Checkboxes [{id, value, label, checked}] for a group NAME; the first item's id is
 * NAME itself so the error summary can link to it. */
static tval *checkboxes(req *r, const char *name, const char *const *slugs,
                        const char *const *labels, size_t n, sv chosen)
{
	tval *list = tv_list(r->a);
	for (size_t i = 0; i < n; i++) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "id", i ? arena_printf(r->a, "%s-%zu", name, i + 1) : name);
		tv_set_str(m, "value", slugs[i]);
		tv_set_str(m, "label", labels[i]);
		tv_set_bool(m, "checked", in_list(chosen, slugs[i]));
		tv_push(list, m);
	}
	return list;
}

/* Labels of a comma-separated list of slugs, as a list of strings. */
static tval *labels_of(req *r, const char *list, const char *(*label)(sv))
{
	tval *out = tv_list(r->a);
	sv rest = sv_from(list);
	while (rest.ptr && rest.len) {
		sv t = sv_cut(rest, ',', &rest);
		const char *l = label(t);
		if (l[0])
			tv_push(out, tv_str(r->a, l));
	}
	return out;
}

/* A text area for templates/programme_textarea.html. */
static tval *textarea(req *r, const char *id, const char *label, const char *hint,
                      const struct field_errors *fe, int rows, sv value)
{
	tval *m = tv_map(r->a);
	tv_set_str(m, "id", id);
	tv_set_str(m, "label", label);
	tv_set_str(m, "hint", hint);
	tv_set_str(m, "error", field_error_get(fe, id));
	tv_set_int(m, "rows", rows);
	tv_set_sv(m, "value", value);
	return m;
}

static tval *stage_options(req *r, const char *current, sv chosen)
{
	tval *list = tv_list(r->a);
	for (size_t i = 0; i < VOLUNTEER_STAGES; i++) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "id", i ? arena_printf(r->a, "stage-%zu", i + 1) : "stage");
		tv_set_str(m, "value", volunteer_stages[i]);
		tv_set_str(m, "label", volunteer_stage_label(volunteer_stages[i]));
		tv_set_bool(m, "checked", sv_eq_cstr(chosen, volunteer_stages[i]));
		tv_set_bool(m, "current", current && strcmp(current, volunteer_stages[i]) == 0);
		tv_set_bool(m, "left", strcmp(volunteer_stages[i], "left") == 0);
		tv_push(list, m);
	}
	return list;
}

static int ward_options(req *r, struct web *w, sv chosen, tval **out)
{
	struct ward *wards;
	size_t n;
	tval *list = tv_list(r->a), *o = tv_map(r->a);
	int rc = ward_list(w->db, r->a, &wards, &n);
	if (rc != DOMAIN_OK)
		return rc;
	tv_set_str(o, "value", "");
	tv_set_str(o, "label", "I’m not sure");
	tv_set_bool(o, "selected", chosen.len == 0);
	tv_push(list, o);
	for (size_t i = 0; i < n; i++) {
		o = tv_map(r->a);
		tv_set_str(o, "value", wards[i].code);
		tv_set_str(o, "label", wards[i].name);
		tv_set_bool(o, "selected", sv_eq_cstr(chosen, wards[i].code));
		tv_push(list, o);
	}
	*out = list;
	return DOMAIN_OK;
}

static void set_programme(req *r, struct web *w, const struct programme *p)
{
	tval *m = tv_map(r->a);
	tv_set_str(m, "name", p->name);
	tv_set_str(m, "slug", p->slug);
	tv_set_str(m, "href", arena_printf(r->a, "/programmes/%s", p->slug));
	tv_set_str(m, "volunteers_href", arena_printf(r->a, "/programmes/%s/volunteers", p->slug));
	tv_set_str(m, "induction_href", arena_printf(r->a, "/programmes/%s/induction", p->slug));
	tv_set(w->page, "programme", m);
}

static int load_programme(req *r, struct web *w, struct programme *p)
{
	char *slug = sv_dup(r->a, web_param(w, "slug"));
	if (!slug)
		return DB_ERR;
	return programme_get_by_slug(w->db, r->a, slug, p);
}

/* The programme of the path, for someone who manages its volunteers; anyone else is
 * told it is not found. */
static int load_managed(req *r, struct web *w, struct programme *p)
{
	int rc = load_programme(r, w, p);
	if (rc != DOMAIN_OK)
		return rc;
	rc = volunteer_can_manage(w->db, w->sess ? w->sess->account_id : 0,
	                          w->sess ? w->sess->role : ROLE_NONE, p->id);
	if (rc < 0)
		return rc;
	if (!rc)
		return DOMAIN_ENOTFOUND;
	set_programme(r, w, p);
	return DOMAIN_OK;
}

/* Volunteer NAME (a path parameter) of programme P. */
static int load_volunteer(req *r, struct web *w, const struct programme *p, const char *name,
                          struct volunteer *v)
{
	int64_t id = parse_id(web_param(w, name));
	int rc = id ? volunteer_get(w->db, r->a, id, v) : DOMAIN_ENOTFOUND;
	if (rc == DOMAIN_OK && v->programme_id != p->id)
		rc = DOMAIN_ENOTFOUND;
	return rc;
}

/* The programme the signed-in person manages and its volunteer named by the "id"
 * parameter (with LIVE, one not merged into another record). Answers the request with
 * the error and returns false when either cannot be had. */
static bool managed_volunteer(req *r, struct web *w, struct programme *p, struct volunteer *v,
                              bool live)
{
	int rc = load_managed(r, w, p);
	if (rc == DOMAIN_OK)
		rc = load_volunteer(r, w, p, "id", v);
	if (rc == DOMAIN_OK && live && v->merged_into)
		rc = DOMAIN_ENOTFOUND;
	if (rc != DOMAIN_OK)
		page_fail(r, w, rc);
	return rc == DOMAIN_OK;
}

static const char *volunteer_href(req *r, const struct programme *p, int64_t id,
                                  const char *rest)
{
	return arena_printf(r->a, "/programmes/%s/volunteers/%" PRId64 "%s", p->slug, id, rest);
}

/* --- The interest forms ---------------------------------------------------------------- */

/* Whose own form to take part this is: the person a facilitator is acting for, else the
 * signed-in person; 0 when nobody is signed in. */
static int64_t self_account(const struct web *w)
{
	if (!w->sess)
		return 0;
	return w->sess->acting_for ? w->sess->acting_for : w->sess->account_id;
}

#define CONSENT_PARAGRAPHS 3

/* The consent words: shown on the public form, and read aloud by a facilitator to
 * someone met in person (so they speak to "you" either way). Their version is
 * VOLUNTEER_CONSENT_VERSION, stored with each volunteer: change both together. */
static void consent_paragraphs(arena *a, const char *programme,
                               const char *out[CONSENT_PARAGRAPHS])
{
	out[0] = arena_printf(a, "We will use your name and how to contact you to get in touch "
	                         "about taking part in %s, and to arrange any support you ask for.",
	                      programme);
	out[1] = "Only the facilitators and programme leads who run it will see them. We will not "
	         "share them with anyone else or use them for anything else.";
	out[2] = "We keep them until the programme ends. You can ask us to remove them at any time, "
	         "and saying no will not affect any service you get.";
}

static const struct field_spec interest_specs[] = {
    {"name_field", "name", "Your name", "The name you like to be called", NULL, "name", true},
    {"email_field", "email", "Email address", NULL, "email", "email", true},
    {"phone_field", "phone", "Phone number", "A mobile or landline. We may call or text you.",
     "tel", "tel", true},
    {"org_field", "contact_via_org", "A group or service that can pass on a message",
     "For example, a community centre, a youth club or a support worker’s service",
     NULL, "off", true},
    {"postcode_field", "postcode", "Postcode (optional)",
     "If you are not sure of your ward. We only use it to know which part of the city you live in.",
     NULL, "postal-code", true},
    {"access_other_field", "access_needs_other", "Anything else that would help (optional)",
     NULL, NULL, "off", true},
    {"times_note_field", "preferred_times_note", "Anything else about times (optional)",
     "For example, “not during school holidays”", NULL, "off", true},
    {"heard_field", "heard_from", "How did you hear about this? (optional)",
     "For example, a friend, a poster, a group you go to, or social media", NULL, "off", true},
    {"household_field", "household_key", "Household (optional)",
     "A label you choose, the same for people who live together, like “Flat 2 Eccles”. "
     "It is only used so a panel can take one person per household.",
     NULL, "off", true},
    {NULL, NULL, NULL, NULL, NULL, NULL, false},
};
static const char *const interest_fields[] = {
    "name", "contact", "email", "phone", "contact_via_org", "ward", "postcode",
    "household_key", "cares_about", "access_needs", "access_needs_other", "preferred_times",
    "preferred_times_note", "heard_from", "consent", NULL};

/* "3:45pm", or "12:15am tomorrow", for the first minute at or after UNTIL, as people in
 * Salford read the clock at NOW. */
static const char *clock_after(arena *a, int64_t until, int64_t now)
{
	int64_t local = date_uk_clock(until + 59), today = date_uk_clock(now) / 86400;
	int64_t day = local / 86400;
	sbuf b;
	sbuf_init(&b, a, 32);
	time_human(&b, (int)((local - day * 86400) / 60));
	if (day != today)
		sbuf_adds(&b, " tomorrow");
	return b.err ? "an hour" : b.buf;
}

/* The public form when its connection has sent as many forms as it may for now (see
 * "Protecting the public form" below): before they start typing (GET), a warning; after
 * sending (POST), the error summary, with their answers kept below. Either way it says
 * when they can send it and the ways on that need no form. */
static void put_limit(req *r, struct web *w, const struct programme *p, int64_t until)
{
	tval *m = tv_map(r->a);
	bool sent = r->method == HTTP_POST;
	tv_set_bool(m, "sent", sent);
	tv_set_str(m, "after", clock_after(r->a, until, (int64_t)time(NULL)));
	tv_set_str(m, "programme_name", p->name);
	tv_set_str(m, "programme_href", arena_printf(r->a, "/programmes/%s", p->slug));
	tv_set(w->page, "limit", m);
	if (sent) {
		tval *errors = tv_list(r->a), *e = tv_map(r->a);
		tv_set_str(e, "href", "#limit");
		tv_set_str(e, "text", "Your form has not been sent yet, because many forms have "
		                      "been sent from this connection in the last hour");
		tv_push(errors, e);
		tv_set(w->page, "errors", errors);
		tv_set_bool(w->page, "has_errors", true);
	}
	resp_header(r, "Cache-Control", "no-store");
}

/* The form to take part: for anyone (IN_PERSON false, V NULL), for a facilitator
 * recording someone met in person (IN_PERSON true), or for a facilitator correcting
 * volunteer V's details (V not NULL: no consent asked again). */
static void interest_page(req *r, struct web *w, int status, const struct programme *p,
                          bool in_person, const struct volunteer *v,
                          const struct field_errors *fe, int64_t limited_until)
{
	const char *para[CONSENT_PARAGRAPHS];
	tval *wording = tv_list(r->a), *wards, *defaults = NULL;
	bool post = r->method == HTTP_POST;
	sv needs = SV(""), times = SV(""), ward = SV("");
	int rc;

	if (post) {
		needs = checkbox_values(r, "access_needs");
		times = checkbox_values(r, "preferred_times");
		ward = kv_get(&r->form, "ward");
	} else if (!v && !in_person && self_account(w)) {
		/* Someone signed in need not type again what their account already says. */
		struct account me;
		rc = account_get(w->db, r->a, self_account(w), &me);
		if (rc != DOMAIN_OK) {
			page_fail(r, w, rc);
			return;
		}
		defaults = tv_map(r->a);
		tv_set_str(defaults, "name", me.display_name);
		if (me.email)
			tv_set_str(defaults, "email", me.email);
	} else if (v) {
		needs = sv_from(v->access_needs);
		times = sv_from(v->preferred_times);
		ward = sv_from(v->ward_code);
		defaults = tv_map(r->a);
		tv_set_str(defaults, "name", v->name);
		tv_set_str(defaults, "email", v->email);
		tv_set_str(defaults, "phone", v->phone);
		tv_set_str(defaults, "contact_via_org", v->contact_via_org);
		tv_set_str(defaults, "postcode", v->postcode);
		tv_set_str(defaults, "household_key", v->household_key);
		tv_set_str(defaults, "access_needs_other", v->access_needs_other);
		tv_set_str(defaults, "preferred_times_note", v->preferred_times_note);
		tv_set_str(defaults, "heard_from", v->heard_from);
	}
	rc = ward_options(r, w, ward, &wards);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	consent_paragraphs(r->a, p->name, para);
	for (size_t i = 0; i < CONSENT_PARAGRAPHS; i++)
		tv_push(wording, tv_str(r->a, para[i]));
	page_form(r, w, interest_specs, fe, defaults);
	page_form_errors(r, w, fe, interest_fields);
	tv_set(w->page, "cares_field",
	       textarea(r, "cares_about",
	                in_person || v ? "What do they care about? (optional)"
	                               : "What do you care about? (optional)",
	                "A few words about what matters to you in your area, or what you would "
	                "like to change",
	                fe, 4, post || !v ? kv_get(&r->form, "cares_about") : sv_from(v->cares_about)));
	tv_set(w->page, "wards", wards);
	tv_set(w->page, "access_needs",
	       checkboxes(r, "access_needs", access_need_slugs, access_need_labels, ACCESS_NEEDS,
	                  needs));
	tv_set(w->page, "times",
	       checkboxes(r, "preferred_times", preferred_time_slugs, preferred_time_labels,
	                  PREFERRED_TIMES, times));
	tv_set(w->page, "consent_paragraphs", wording);
	tv_set_bool(w->page, "consent_checked", sv_eq_cstr(kv_get(&r->form, "consent"), "yes"));
	tv_set_bool(w->page, "in_person", in_person || v);
	tv_set_str(w->page, "honeypot_name", HONEYPOT_FIELD);
	if (limited_until)
		put_limit(r, w, p, limited_until);
	if (!in_person && !v && w->sess) {
		tv_set_bool(w->page, "signed_in", true);
		if (w->sess->acting_for)
			tv_set_str(w->page, "acting_for_name", w->sess->acting_for_name);
	}
	tv_set_bool(w->page, "editing", v != NULL);
	tv_set_str(w->page, "programme_name", p->name);
	if (v) {
		tv_set_str(w->page, "back_href", volunteer_href(r, p, v->id, ""));
		tv_set_str(w->page, "back_text", arena_printf(r->a, "Back to %s", v->name));
		tv_set_str(w->page, "action", volunteer_href(r, p, v->id, "/edit"));
	} else {
		tv_set_str(w->page, "back_href",
		           in_person ? arena_printf(r->a, "/programmes/%s/volunteers", p->slug)
		                     : arena_printf(r->a, "/programmes/%s", p->slug));
		tv_set_str(w->page, "back_text", in_person ? "Back to volunteers"
		                                           : arena_printf(r->a, "Back to %s", p->name));
		tv_set_str(w->page, "action",
		           arena_printf(r->a, in_person ? "/programmes/%s/volunteers/new"
		                                        : "/programmes/%s/interest",
		                        p->slug));
	}
	page_render(r, w, status, "interest_form",
	            v ? "Change their details"
	              : in_person ? "Record someone who wants to take part" : "Take part");
}

static void read_input(req *r, struct volunteer_input *in)
{
	memset(in, 0, sizeof(*in));
	in->name = kv_get(&r->form, "name");
	in->email = kv_get(&r->form, "email");
	in->phone = kv_get(&r->form, "phone");
	in->contact_via_org = kv_get(&r->form, "contact_via_org");
	in->ward = kv_get(&r->form, "ward");
	in->postcode = kv_get(&r->form, "postcode");
	in->household_key = kv_get(&r->form, "household_key");
	in->cares_about = kv_get(&r->form, "cares_about");
	in->access_needs = checkbox_values(r, "access_needs");
	in->access_needs_other = kv_get(&r->form, "access_needs_other");
	in->preferred_times = checkbox_values(r, "preferred_times");
	in->preferred_times_note = kv_get(&r->form, "preferred_times_note");
	in->heard_from = kv_get(&r->form, "heard_from");
	in->consent = sv_eq_cstr(kv_get(&r->form, "consent"), "yes");
}

/* A published programme, for the public form. */
static int load_published(req *r, struct web *w, struct programme *p)
{
	int rc = load_programme(r, w, p);
	if (rc == DOMAIN_OK && !p->published)
		rc = DOMAIN_ENOTFOUND;
	return rc;
}

void web_interest_form(req *r, struct web *w)
{
	struct programme p;
	int64_t until = 0;
	int rc = load_published(r, w, &p);
	if (rc == DOMAIN_OK)
		rc = volunteer_interest_limited(w->db, w->sess ? NULL : r->client_address,
		                                (int64_t)time(NULL), &until);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	interest_page(r, w, 200, &p, false, NULL, NULL, until);
}

/* --- Protecting the public form ---------------------------------------------------------
 *
 * Anyone may send the form to take part, so a program could fill the list with made-up
 * people. It is guarded in ways that cost a real person nothing and need neither
 * JavaScript nor a puzzle: at most VOLUNTEER_INTEREST_LIMIT forms an hour from one
 * visitor's address (behind nginx, the one it passes on: see set_client_address in
 * http/server.c) (people who are signed in, such as a facilitator filling it in for someone,
 * are not counted), and a field hidden from everyone, on screen, to screen readers and
 * from the keyboard, that only a program filling in every field would fill. Such a form
 * gets the usual thank-you page and nothing is kept but a count, shown to the programme's
 * facilitators, so that real people's forms set aside by mistake would be noticed.
 *
 * A real person can reach the limit too, on a library's computers or a shared Wi-Fi:
 * they get their answers back with the time they can send them and the ways on that need
 * no form (interest_page, put_limit), never a bare refusal. */
/* The thank-you page for programme P; REF is the new volunteer's monitoring_ref, or NULL
 * when nothing was kept (the hidden field was filled in). */
static void thanks_page(req *r, struct web *w, const struct programme *p, const char *ref,
                        int64_t account_id)
{
	tv_set_str(w->page, "programme_name", p->name);
	tv_set_str(w->page, "programme_href", arena_printf(r->a, "/programmes/%s", p->slug));
	if (ref)
		tv_set_str(w->page, "about_you_href", arena_printf(r->a, "/interest/%s/about-you", ref));
	if (p->lead_name)
		tv_set_str(w->page, "lead_name", p->lead_name);
	/* Only someone whose own account the record is linked to can change it by signing
	 * in; anyone else is told who to ask. */
	if (account_id && account_id == self_account(w)) {
		tv_set_bool(w->page, "own_account", true);
		if (w->sess->acting_for)
			tv_set_str(w->page, "acting_for_name", w->sess->acting_for_name);
	}
	page_render(r, w, 200, "interest_sent", "Thank you for volunteering");
}

void web_interest_send(req *r, struct web *w)
{
	struct programme p;
	struct volunteer_input in;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	char ref[SESSION_TOKEN_HEX + 1];
	const char *from = w->sess ? NULL : r->client_address;
	int64_t now = (int64_t)time(NULL), until = 0;
	int rc = load_published(r, w, &p);
	if (rc == DOMAIN_OK)
		rc = volunteer_interest_limited(w->db, from, now, &until);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	if (until) {
		interest_page(r, w, 429, &p, false, NULL, NULL, until);
		return;
	}
	if (sv_trim(kv_get(&r->form, HONEYPOT_FIELD)).len) {
		rc = volunteer_interest_count(w->db, from, now);
		if (rc == DOMAIN_OK)
			rc = volunteer_interest_set_aside(w->db, p.id);
		if (rc != DOMAIN_OK) {
			page_fail(r, w, rc);
			return;
		}
		thanks_page(r, w, &p, NULL, 0);
		return;
	}
	read_input(r, &in);
	in.household_key = SV_NULL; /* set by a facilitator only */
	in.account_id = self_account(w);
	field_errors_init(&fe);
	/* A facilitator acting for someone fills this in with them: they give their consent
	 * in person, to that facilitator. */
	rc = volunteer_create(w->db, r->a, &who, p.id,
	                      w->sess && w->sess->acting_for ? w->sess->account_id : 0, &in, &fe,
	                      NULL, ref);
	if (rc == DOMAIN_OK)
		rc = volunteer_interest_count(w->db, from, now);
	if (rc == DOMAIN_OK) {
		resp_redirect(r, arena_printf(r->a, "/programmes/%s/interest/%s", p.slug, ref));
		return;
	}
	if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	interest_page(r, w, 400, &p, false, NULL, &fe, 0);
}

void web_interest_sent(req *r, struct web *w)
{
	struct programme p;
	struct volunteer v;
	char *ref = sv_dup(r->a, web_param(w, "ref"));
	int rc = load_published(r, w, &p);
	if (rc == DOMAIN_OK)
		rc = ref ? volunteer_get_by_ref(w->db, r->a, ref, &v) : DB_ERR;
	if (rc == DOMAIN_OK && v.programme_id != p.id)
		rc = DOMAIN_ENOTFOUND;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	thanks_page(r, w, &p, ref, v.account_id);
}

void web_volunteer_new(req *r, struct web *w)
{
	struct programme p;
	int rc = load_managed(r, w, &p);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	interest_page(r, w, 200, &p, true, NULL, NULL, 0);
}

void web_volunteer_create(req *r, struct web *w)
{
	struct programme p;
	struct volunteer_input in;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int64_t id;
	int rc = load_managed(r, w, &p);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	read_input(r, &in);
	field_errors_init(&fe);
	rc = volunteer_create(w->db, r->a, &who, p.id, w->sess->account_id, &in, &fe, &id, NULL);
	if (rc == DOMAIN_OK) {
		resp_redirect(r, volunteer_href(r, &p, id, "?done=recorded"));
		return;
	}
	if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	interest_page(r, w, 400, &p, true, NULL, &fe, 0);
}

void web_volunteer_edit(req *r, struct web *w)
{
	struct programme p;
	struct volunteer v;
	if (!managed_volunteer(r, w, &p, &v, true))
		return;
	interest_page(r, w, 200, &p, true, &v, NULL, 0);
}

void web_volunteer_update(req *r, struct web *w)
{
	struct programme p;
	struct volunteer v;
	struct volunteer_input in;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int rc;
	if (!managed_volunteer(r, w, &p, &v, true))
		return;
	read_input(r, &in);
	field_errors_init(&fe);
	rc = volunteer_update(w->db, r->a, &who, v.id, &in, &fe);
	if (rc == DOMAIN_OK) {
		resp_redirect(r, volunteer_href(r, &p, v.id, "?done=updated"));
		return;
	}
	if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	interest_page(r, w, 400, &p, true, &v, &fe, 0);
}

/* --- The list -------------------------------------------------------------------------- */

void web_volunteers(req *r, struct web *w)
{
	struct programme p;
	struct volunteer *list;
	int64_t counts[VOLUNTEER_STAGES], total = 0, dups = 0, set_aside = 0;
	size_t n;
	sv stage = kv_get(&r->query, "stage");
	tval *rows = tv_list(r->a), *filters = tv_list(r->a), *f;
	int rc = load_managed(r, w, &p);
	if (rc == DOMAIN_OK && stage.len && !volunteer_stage_valid(stage))
		rc = DOMAIN_ENOTFOUND;
	if (rc == DOMAIN_OK)
		rc = volunteer_list(w->db, r->a, p.id, stage.len ? sv_dup(r->a, stage) : NULL, &list, &n);
	if (rc == DOMAIN_OK)
		rc = volunteer_stage_counts(w->db, p.id, counts);
	if (rc == DOMAIN_OK)
		rc = volunteer_duplicate_count(w->db, p.id, &dups);
	if (rc == DOMAIN_OK)
		rc = volunteer_interest_set_aside_count(w->db, p.id, &set_aside);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < VOLUNTEER_STAGES; i++)
		total += counts[i];
	f = tv_map(r->a);
	tv_set_str(f, "label", "Everyone");
	tv_set_int(f, "count", total);
	tv_set_str(f, "href", arena_printf(r->a, "/programmes/%s/volunteers", p.slug));
	tv_set_bool(f, "current", stage.len == 0);
	tv_push(filters, f);
	for (size_t i = 0; i < VOLUNTEER_STAGES; i++) {
		f = tv_map(r->a);
		tv_set_str(f, "label", volunteer_stage_label(volunteer_stages[i]));
		tv_set_int(f, "count", counts[i]);
		tv_set_str(f, "href", arena_printf(r->a, "/programmes/%s/volunteers?stage=%s", p.slug,
		                                   volunteer_stages[i]));
		tv_set_bool(f, "current", sv_eq_cstr(stage, volunteer_stages[i]));
		tv_push(filters, f);
	}
	for (size_t i = 0; i < n; i++) {
		const struct volunteer *v = &list[i];
		tval *m = tv_map(r->a);
		tv_set_str(m, "name", v->name);
		tv_set_str(m, "href", volunteer_href(r, &p, v->id, ""));
		tv_set_str(m, "stage", volunteer_stage_label(v->stage));
		tv_set_str(m, "ward", v->ward_name ? v->ward_name : "Not sure");
		tv_set_str(m, "since", day_of(r->a, v->stage_changed_at));
		tv_set_int(m, "induction", v->induction_done);
		tv_set_bool(m, "in_person", strcmp(v->consent_method, "in_person") == 0);
		tv_set_bool(m, "has_needs", v->access_needs[0] || v->access_needs_other[0]);
		if (v->duplicate_of) {
			int64_t a = v->id < v->duplicate_of ? v->id : v->duplicate_of;
			int64_t b = v->id < v->duplicate_of ? v->duplicate_of : v->id;
			tv_set_str(m, "compare_href",
			           volunteer_href(r, &p, a, arena_printf(r->a, "/merge/%" PRId64, b)));
		}
		tv_push(rows, m);
	}
	tv_set(w->page, "filters", filters);
	tv_set(w->page, "volunteers", rows);
	tv_set_bool(w->page, "has_volunteers", n > 0);
	tv_set_int(w->page, "duplicates", dups);
	if (set_aside)
		tv_set_str(w->page, "set_aside",
		           arena_printf(r->a, "%" PRId64 " %s sent in the last %d days %s set aside as "
		                              "automated, because a field hidden from people was filled in.",
		                        set_aside, set_aside == 1 ? "form" : "forms",
		                        VOLUNTEER_SET_ASIDE_DAYS, set_aside == 1 ? "was" : "were"));
	tv_set_str(w->page, "new_href", arena_printf(r->a, "/programmes/%s/volunteers/new", p.slug));
	tv_set_str(w->page, "interest_href", arena_printf(r->a, "/programmes/%s/interest", p.slug));
	tv_set_str(w->page, "stage_label", stage.len ? volunteer_stage_label(sv_dup(r->a, stage)) : "");
	if (sv_eq_cstr(kv_get(&r->query, "done"), "removed"))
		page_notice(w, "Their details have been removed.");
	page_render(r, w, 200, "volunteer_list", arena_printf(r->a, "Volunteers – %s", p.name));
}

/* --- One volunteer --------------------------------------------------------------------- */

static const struct {
	const char *key, *message;
} volunteer_notices[] = {
    {"recorded", "They have been recorded. A facilitator can now contact them."},
    {"updated", "Their details have been changed."},
    {"stage", "Their stage has been changed."},
    {"induction", "The induction checklist has been saved."},
    {"inducted", "The induction checklist is complete: they are now inducted."},
    {"merged", "The two records have been merged into this one."},
    {"different", "Marked as different people: they are no longer shown as possible "
                  "duplicates of each other."},
    {"duplicate_again", "They are shown as possible duplicates of each other again."},
};

static const char *marked_text(req *r, const struct volunteer_not_duplicate *m)
{
	return arena_printf(r->a, "Checked on %s%s%s", day_of(r->a, m->marked_at),
	                    m->marked_by_name ? " by " : "",
	                    m->marked_by_name ? m->marked_by_name : "");
}

/* The published panels (lottery public, draw to come) whose pool holds both A_ID and
 * B_ID, named in a phrase ("Spring panel", "Spring panel and Youth panel"), into *OUT;
 * NULL when there are none. Taking back a "different people" mark for such a pair gives
 * the panel's lead a possible duplicate to resolve before the draw, so the facilitator
 * is told before and after. */
static int pair_panels(req *r, struct web *w, int64_t a_id, int64_t b_id, const char **out)
{
	char **names;
	size_t n;
	sbuf b;
	int rc = volunteer_published_panels_with(w->db, r->a, a_id, b_id, &names, &n);
	*out = NULL;
	if (rc != DOMAIN_OK || !n)
		return rc;
	sbuf_init(&b, r->a, 4096);
	for (size_t i = 0; i < n; i++) {
		if (i)
			sbuf_adds(&b, i + 1 == n ? " and " : ", ");
		sbuf_adds(&b, names[i]);
	}
	*out = b.err ? "a published panel" : b.buf;
	return DOMAIN_OK;
}

/* The warning beside "Mark as possible duplicate again" for a pair in PANELS. */
static const char *undo_warning(req *r, const char *panels)
{
	return panels ? arena_printf(r->a, "Both of them are in the pool of %s, whose lottery "
	                                   "has been published. If you mark them as possible "
	                                   "duplicates again, the panel’s lead will have to "
	                                   "resolve this before the draw.",
	                             panels)
	              : NULL;
}

/* "not_duplicates": the live records V was checked against and found to be someone
 * else, [{name, href, marked, note, undo_action, panel_warning}]. */
static int put_not_duplicates(req *r, struct web *w, const struct programme *p,
                              const struct volunteer *v)
{
	struct volunteer_not_duplicate *marks;
	const char *panels;
	size_t n;
	tval *list = tv_list(r->a);
	int rc = volunteer_not_duplicates(w->db, r->a, v->id, &marks, &n);
	if (rc != DOMAIN_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		tval *m;
		if (marks[i].other_merged)
			continue;
		m = tv_map(r->a);
		tv_set_str(m, "name", marks[i].other_name);
		tv_set_str(m, "href", volunteer_href(r, p, marks[i].other_id, ""));
		tv_set_str(m, "marked", marked_text(r, &marks[i]));
		tv_set_str(m, "note", marks[i].note);
		tv_set_str(m, "undo_action",
		           volunteer_href(r, p, v->id,
		                          arena_printf(r->a, "/different/%" PRId64 "/undo",
		                                       marks[i].other_id)));
		rc = pair_panels(r, w, v->id, marks[i].other_id, &panels);
		if (rc != DOMAIN_OK)
			return rc;
		tv_set_str(m, "panel_warning", undo_warning(r, panels));
		tv_push(list, m);
	}
	tv_set(w->page, "not_duplicates", list);
	tv_set_bool(w->page, "has_not_duplicates", tv_len(list) > 0);
	return DOMAIN_OK;
}

/* After a "different people" mark was taken back (?done=duplicate_again&with=OTHER):
 * when both are in a published panel's pool, the notice says its lead has to resolve it
 * before the draw. Answers the request itself on a storage failure. */
static int undo_notice(req *r, struct web *w, const struct volunteer *v)
{
	const char *panels;
	int64_t other = parse_id(kv_get(&r->query, "with"));
	int rc = other ? pair_panels(r, w, v->id, other, &panels) : DOMAIN_OK;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return rc;
	}
	if (other && panels)
		page_notice(w, arena_printf(r->a, "They are shown as possible duplicates of each "
		                                  "other again. Both are in the pool of %s, whose "
		                                  "lottery has been published: the panel’s lead "
		                                  "will have to resolve this before the draw.",
		                            panels));
	return DOMAIN_OK;
}

static void volunteer_page(req *r, struct web *w, int status, const struct programme *p,
                           const struct volunteer *v, const struct field_errors *fe)
{
	struct volunteer_stage_change *hist;
	struct volunteer dup;
	size_t n;
	tval *rows = tv_list(r->a), *m = tv_map(r->a);
	sv done = kv_get(&r->query, "done");
	int rc = volunteer_history(w->db, r->a, v->id, &hist, &n);
	if (rc == DOMAIN_OK && !v->merged_into)
		rc = put_not_duplicates(r, w, p, v);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		tval *h = tv_map(r->a);
		tv_set_str(h, "when", day_of(r->a, hist[i].changed_at));
		tv_set_str(h, "from", hist[i].from_stage ? volunteer_stage_label(hist[i].from_stage) : "");
		tv_set_str(h, "to", volunteer_stage_label(hist[i].to_stage));
		tv_set_str(h, "reason", hist[i].reason);
		tv_set_str(h, "by", hist[i].changed_by_name ? hist[i].changed_by_name : "The person themselves");
		tv_push(rows, h);
	}
	tv_set_str(m, "name", v->name);
	tv_set_str(m, "email", v->email);
	tv_set_str(m, "phone", v->phone);
	tv_set_str(m, "org", v->contact_via_org);
	tv_set_str(m, "ward", v->ward_name ? v->ward_name : "Not sure");
	tv_set_str(m, "postcode", v->postcode);
	tv_set_str(m, "household", v->household_key);
	tv_set_str(m, "cares_about", v->cares_about);
	tv_set(m, "needs", labels_of(r, v->access_needs, access_need_label));
	tv_set_str(m, "needs_other", v->access_needs_other);
	tv_set_bool(m, "has_needs", v->access_needs[0] || v->access_needs_other[0]);
	tv_set(m, "times", labels_of(r, v->preferred_times, preferred_time_label));
	tv_set_str(m, "times_note", v->preferred_times_note);
	tv_set_bool(m, "has_times", v->preferred_times[0] || v->preferred_times_note[0]);
	tv_set_str(m, "heard_from", v->heard_from);
	tv_set_str(m, "stage", volunteer_stage_label(v->stage));
	tv_set_str(m, "left_reason", v->left_reason);
	tv_set_str(m, "since", day_of(r->a, v->stage_changed_at));
	tv_set_str(m, "consent_on", day_of(r->a, v->consent_at));
	tv_set_str(m, "consent_version", v->consent_version);
	tv_set_bool(m, "in_person", strcmp(v->consent_method, "in_person") == 0);
	tv_set_str(m, "recorded_by", v->recorded_by_name);
	tv_set_int(m, "induction", v->induction_done);
	tv_set_str(m, "induction_href", volunteer_href(r, p, v->id, "/induction"));
	tv_set_str(m, "edit_href", volunteer_href(r, p, v->id, "/edit"));
	tv_set_bool(m, "erased", strcmp(v->name, VOLUNTEER_ERASED_NAME) == 0);
	tv_set_str(m, "remove_href", volunteer_href(r, p, v->id, "/remove"));
	tv_set_str(m, "stage_action", volunteer_href(r, p, v->id, "/stage"));
	if (!v->merged_into && strcmp(v->consent_method, "in_person") == 0)
		tv_set_str(m, "about_you_href",
		           arena_printf(r->a, "/interest/%s/about-you", v->monitoring_ref));
	tv_set_bool(m, "merged", v->merged_into != 0);
	if (v->merged_into)
		tv_set_str(m, "merged_href", volunteer_href(r, p, v->merged_into, ""));
	if (v->duplicate_of && !v->merged_into &&
	    volunteer_get(w->db, r->a, v->duplicate_of, &dup) == DOMAIN_OK) {
		tv_set_str(m, "duplicate_name", dup.name);
		tv_set_str(m, "compare_href",
		           volunteer_href(r, p, v->id, arena_printf(r->a, "/merge/%" PRId64, dup.id)));
	}
	tv_set(w->page, "volunteer", m);
	tv_set(w->page, "history", rows);
	tv_set(w->page, "stages",
	       stage_options(r, v->stage, r->method == HTTP_POST ? kv_get(&r->form, "stage") : SV("")));
	page_form_errors(r, w, fe, (const char *const[]){"stage", "reason", NULL});
	tv_set(w->page, "reason_field",
	       textarea(r, "reason", "Why? (needed if they have left)",
	                "For example, “moved away for work” or “called on 3 May, will come to "
	                "the next session”",
	                fe, 2, kv_get(&r->form, "reason")));
	for (size_t i = 0; i < sizeof(volunteer_notices) / sizeof(volunteer_notices[0]); i++)
		if (sv_eq_cstr(done, volunteer_notices[i].key))
			page_notice(w, volunteer_notices[i].message);
	if (sv_eq_cstr(done, "duplicate_again") && undo_notice(r, w, v) != DOMAIN_OK)
		return;
	page_render(r, w, status, "volunteer", v->name);
}

void web_volunteer(req *r, struct web *w)
{
	struct programme p;
	struct volunteer v;
	if (!managed_volunteer(r, w, &p, &v, false))
		return;
	volunteer_page(r, w, 200, &p, &v, NULL);
}

void web_volunteer_stage(req *r, struct web *w)
{
	struct programme p;
	struct volunteer v;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int rc;
	if (!managed_volunteer(r, w, &p, &v, false))
		return;
	field_errors_init(&fe);
	rc = volunteer_set_stage(w->db, r->a, &who, v.id, kv_get(&r->form, "stage"),
	                         kv_get(&r->form, "reason"), &fe);
	if (rc == DOMAIN_OK) {
		resp_redirect(r, volunteer_href(r, &p, v.id, "?done=stage"));
		return;
	}
	if (rc == DOMAIN_ECONFLICT)
		field_error_add(&fe, "stage", "This record was merged into another: change that one");
	else if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	volunteer_page(r, w, 400, &p, &v, &fe);
}

/* --- Removing their details ----------------------------------------------------------- */

void web_volunteer_erase_form(req *r, struct web *w)
{
	struct programme p;
	struct volunteer v;
	int rc = load_managed(r, w, &p);
	if (rc == DOMAIN_OK)
		rc = load_volunteer(r, w, &p, "id", &v);
	if (rc == DOMAIN_OK && (v.merged_into || strcmp(v.name, VOLUNTEER_ERASED_NAME) == 0))
		rc = DOMAIN_ENOTFOUND;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	tv_set_str(w->page, "name", v.name);
	tv_set_str(w->page, "back_href", volunteer_href(r, &p, v.id, ""));
	tv_set_str(w->page, "action", volunteer_href(r, &p, v.id, "/remove"));
	page_render(r, w, 200, "volunteer_remove", "Remove their details");
}

void web_volunteer_erase(req *r, struct web *w)
{
	struct programme p;
	struct volunteer v;
	struct audit_actor who = web_actor(r, w);
	int rc = load_managed(r, w, &p);
	if (rc == DOMAIN_OK)
		rc = load_volunteer(r, w, &p, "id", &v);
	if (rc == DOMAIN_OK)
		rc = volunteer_erase(w->db, r->a, &who, v.id);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc == DOMAIN_ECONFLICT ? DOMAIN_ENOTFOUND : rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/programmes/%s/volunteers?done=removed", p.slug));
}

/* --- Merging --------------------------------------------------------------------------- */

static tval *merge_side(req *r, const struct volunteer *v, bool checked)
{
	tval *m = tv_map(r->a);
	tv_set_int(m, "id", v->id);
	tv_set_str(m, "name", v->name);
	tv_set_str(m, "email", v->email ? v->email : "Not given");
	tv_set_str(m, "phone", v->phone ? v->phone : "Not given");
	tv_set_str(m, "org", v->contact_via_org ? v->contact_via_org : "Not given");
	tv_set_str(m, "ward", v->ward_name ? v->ward_name : "Not sure");
	tv_set_str(m, "postcode", v->postcode ? v->postcode : "Not given");
	tv_set_str(m, "stage", volunteer_stage_label(v->stage));
	tv_set_str(m, "volunteered", day_of(r->a, v->created_at));
	tv_set_int(m, "induction", v->induction_done);
	tv_set_bool(m, "checked", checked);
	return m;
}

/* Whether A and B were marked as different people: "marked" {text, note, undo_action,
 * panel_warning}, else, when they SHARED an email or phone, the form to say so
 * ("different_action", "note_field"). */
static int put_different(req *r, struct web *w, const struct programme *p,
                         const struct volunteer *a, const struct volunteer *b, bool shared,
                         const struct field_errors *fe)
{
	struct volunteer_not_duplicate *marks;
	const char *panels;
	size_t n;
	int rc = volunteer_not_duplicates(w->db, r->a, a->id, &marks, &n);
	if (rc != DOMAIN_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (marks[i].other_id == b->id) {
			tval *m = tv_map(r->a);
			rc = pair_panels(r, w, a->id, b->id, &panels);
			if (rc != DOMAIN_OK)
				return rc;
			tv_set_str(m, "text", marked_text(r, &marks[i]));
			tv_set_str(m, "note", marks[i].note);
			tv_set_str(m, "undo_action",
			           volunteer_href(r, p, a->id,
			                          arena_printf(r->a, "/different/%" PRId64 "/undo", b->id)));
			tv_set_str(m, "panel_warning", undo_warning(r, panels));
			tv_set(w->page, "marked", m);
			return DOMAIN_OK;
		}
	/* Only records flagged together can be marked as different people. */
	if (!shared)
		return DOMAIN_OK;
	tv_set_str(w->page, "different_action",
	           volunteer_href(r, p, a->id, arena_printf(r->a, "/different/%" PRId64, b->id)));
	tv_set(w->page, "note_field",
	       textarea(r, "note", "Note (optional)",
	                "How you know, for example “mother and son, they share her phone”. Only "
	                "facilitators and programme leads see it.",
	                fe, 2, kv_get(&r->form, "note")));
	return DOMAIN_OK;
}

static void merge_page(req *r, struct web *w, int status, const struct programme *p,
                       const struct volunteer *a, const struct volunteer *b,
                       const struct field_errors *fe)
{
	static const char *const shares[] = {
	    NULL, "the same email address", "the same phone number",
	    "the same email address and phone number"};
	sv keep = kv_get(&r->form, "keep");
	unsigned shared = volunteer_shared_contact(r->a, a, b);
	int rc = put_different(r, w, p, a, b, shared != 0, fe);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	if (shared)
		tv_set_str(w->page, "shares", shares[shared & 3u]);
	tv_set(w->page, "first", merge_side(r, a, keep.len && parse_id(keep) == a->id));
	tv_set(w->page, "second", merge_side(r, b, keep.len && parse_id(keep) == b->id));
	tv_set_str(w->page, "action",
	           volunteer_href(r, p, a->id, arena_printf(r->a, "/merge/%" PRId64, b->id)));
	tv_set_str(w->page, "back_href", volunteer_href(r, p, a->id, ""));
	page_form_errors(r, w, fe, (const char *const[]){"keep", "note", NULL});
	page_render(r, w, status, "volunteer_merge", "Are these the same person?");
}

static int load_pair(req *r, struct web *w, struct programme *p, struct volunteer *a,
                     struct volunteer *b)
{
	int rc = load_managed(r, w, p);
	if (rc == DOMAIN_OK)
		rc = load_volunteer(r, w, p, "id", a);
	if (rc == DOMAIN_OK)
		rc = load_volunteer(r, w, p, "other", b);
	if (rc == DOMAIN_OK && (a->id == b->id || a->merged_into || b->merged_into))
		rc = DOMAIN_ENOTFOUND;
	return rc;
}

void web_volunteer_merge_form(req *r, struct web *w)
{
	struct programme p;
	struct volunteer a, b;
	int rc = load_pair(r, w, &p, &a, &b);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	merge_page(r, w, 200, &p, &a, &b, NULL);
}

void web_volunteer_merge(req *r, struct web *w)
{
	struct programme p;
	struct volunteer a, b;
	struct audit_actor who = web_actor(r, w);
	int64_t keep;
	int rc = load_pair(r, w, &p, &a, &b);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	keep = parse_id(kv_get(&r->form, "keep"));
	if (keep != a.id && keep != b.id) {
		struct field_errors fe;
		field_errors_init(&fe);
		field_error_add(&fe, "keep", "Choose which record to keep");
		merge_page(r, w, 400, &p, &a, &b, &fe);
		return;
	}
	rc = volunteer_merge(w->db, r->a, &who, keep, keep == a.id ? b.id : a.id);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc == DOMAIN_ECONFLICT || rc == DOMAIN_EINVALID ? DOMAIN_ENOTFOUND : rc);
		return;
	}
	resp_redirect(r, volunteer_href(r, &p, keep, "?done=merged"));
}

/* --- Different people ------------------------------------------------------------------ */

void web_volunteer_different(req *r, struct web *w)
{
	struct programme p;
	struct volunteer a, b;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int rc = load_pair(r, w, &p, &a, &b);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	field_errors_init(&fe);
	rc = volunteer_mark_different(w->db, r->a, &who, a.id, b.id, kv_get(&r->form, "note"), &fe);
	if (rc == DOMAIN_OK) {
		resp_redirect(r, volunteer_href(r, &p, a.id, "?done=different"));
		return;
	}
	if (rc == DOMAIN_EINVALID && field_errors_any(&fe)) {
		merge_page(r, w, 400, &p, &a, &b, &fe);
		return;
	}
	/* Not a flagged pair (no shared details, or marked already): nothing here to mark. */
	page_fail(r, w, rc == DOMAIN_ECONFLICT || rc == DOMAIN_EINVALID ? DOMAIN_ENOTFOUND : rc);
}

void web_volunteer_duplicate_again(req *r, struct web *w)
{
	struct programme p;
	struct volunteer a, b;
	struct audit_actor who = web_actor(r, w);
	int rc = load_pair(r, w, &p, &a, &b);
	if (rc == DOMAIN_OK)
		rc = volunteer_unmark_different(w->db, r->a, &who, a.id, b.id);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, volunteer_href(r, &p, a.id,
	                                arena_printf(r->a, "?done=duplicate_again&with=%" PRId64,
	                                             b.id)));
}

/* --- Induction ------------------------------------------------------------------------- */

static void induction_page(req *r, struct web *w, int status, const struct programme *p,
                           const struct volunteer *v, const struct field_errors *fe)
{
	struct induction_item items[INDUCTION_ITEMS];
	tval *list = tv_list(r->a);
	bool post = r->method == HTTP_POST;
	int rc = induction_get(w->db, r->a, v->id, items);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < INDUCTION_ITEMS; i++) {
		tval *m = tv_map(r->a);
		const char *note_name = arena_printf(r->a, "note-%s", items[i].slug);
		tv_set_str(m, "slug", items[i].slug);
		tv_set_str(m, "label", items[i].label);
		tv_set_str(m, "note_name", note_name);
		tv_set_bool(m, "checked", post ? in_list(checkbox_values(r, "done"), items[i].slug)
		                               : items[i].done);
		tv_set_str(m, "note", post ? sv_dup(r->a, kv_get(&r->form, note_name)) : items[i].note);
		tv_set_str(m, "note_error", field_error_get(fe, note_name));
		if (items[i].done)
			tv_set_str(m, "done_text",
			           arena_printf(r->a, "Done on %s%s%s", day_of(r->a, items[i].done_at),
			                        items[i].done_by_name ? " by " : "",
			                        items[i].done_by_name ? items[i].done_by_name : ""));
		tv_push(list, m);
	}
	tv_set(w->page, "items", list);
	tv_set_str(w->page, "name", v->name);
	tv_set_str(w->page, "stage", volunteer_stage_label(v->stage));
	tv_set_str(w->page, "back_href", volunteer_href(r, p, v->id, ""));
	tv_set_str(w->page, "action", volunteer_href(r, p, v->id, "/induction"));
	page_form_errors(r, w, fe, (const char *const[]){NULL});
	page_render(r, w, status, "induction_form", arena_printf(r->a, "Induction – %s", v->name));
}

void web_induction_form(req *r, struct web *w)
{
	struct programme p;
	struct volunteer v;
	if (!managed_volunteer(r, w, &p, &v, true))
		return;
	induction_page(r, w, 200, &p, &v, NULL);
}

void web_induction_save(req *r, struct web *w)
{
	struct programme p;
	struct volunteer v;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	bool done[INDUCTION_ITEMS], inducted = false;
	sv notes[INDUCTION_ITEMS], ticked = checkbox_values(r, "done");
	int rc;
	if (!managed_volunteer(r, w, &p, &v, true))
		return;
	for (size_t i = 0; i < INDUCTION_ITEMS; i++) {
		done[i] = in_list(ticked, induction_item_slugs[i]);
		notes[i] = kv_get(&r->form, arena_printf(r->a, "note-%s", induction_item_slugs[i]));
	}
	field_errors_init(&fe);
	rc = induction_save(w->db, r->a, &who, v.id, done, notes, &fe, &inducted);
	if (rc == DOMAIN_OK) {
		resp_redirect(r, volunteer_href(r, &p, v.id, inducted ? "?done=inducted" : "?done=induction"));
		return;
	}
	if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	induction_page(r, w, 400, &p, &v, &fe);
}

void web_induction(req *r, struct web *w)
{
	struct programme p;
	struct induction_waiting *list;
	size_t n;
	int64_t waiting[INDUCTION_ITEMS] = {0};
	tval *rows = tv_list(r->a), *items = tv_list(r->a);
	int rc = load_managed(r, w, &p);
	if (rc == DOMAIN_OK)
		rc = induction_waiting_list(w->db, r->a, p.id, &list, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		tval *m = tv_map(r->a), *missing = tv_list(r->a);
		tv_set_str(m, "name", list[i].name);
		tv_set_str(m, "href", volunteer_href(r, &p, list[i].id, "/induction"));
		tv_set_str(m, "stage", volunteer_stage_label(list[i].stage));
		tv_set_int(m, "done", list[i].done);
		for (size_t k = 0; k < INDUCTION_ITEMS; k++)
			if (list[i].missing[k]) {
				tv_push(missing, tv_str(r->a, induction_item_labels[k]));
				waiting[k]++;
			}
		tv_set(m, "missing", missing);
		tv_push(rows, m);
	}
	for (size_t k = 0; k < INDUCTION_ITEMS; k++) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "label", induction_item_labels[k]);
		tv_set_int(m, "count", waiting[k]);
		tv_push(items, m);
	}
	tv_set(w->page, "waiting", rows);
	tv_set(w->page, "items", items);
	tv_set_bool(w->page, "has_waiting", n > 0);
	tv_set_int(w->page, "total", INDUCTION_ITEMS);
	page_render(r, w, 200, "induction", arena_printf(r->a, "Induction – %s", p.name));
}

/* --- Home ------------------------------------------------------------------------------ */

void home_recruitment(req *r, struct web *w)
{
	struct programme *ps;
	size_t n;
	tval *list = tv_list(r->a), *panel;
	size_t shown = 0;
	if (!w->sess || !web_has_role(w, ROLE_FACILITATOR | ROLE_PROGRAMME_LEAD))
		return;
	if (programmes_list(w->db, r->a, NULL, &ps, &n) != DOMAIN_OK)
		return;
	for (size_t i = 0; i < n; i++) {
		int64_t counts[VOLUNTEER_STAGES], dups = 0;
		tval *m, *cs;
		if (volunteer_can_manage(w->db, w->sess->account_id, w->sess->role, ps[i].id) != 1)
			continue;
		if (volunteer_stage_counts(w->db, ps[i].id, counts) != DOMAIN_OK ||
		    volunteer_duplicate_count(w->db, ps[i].id, &dups) != DOMAIN_OK)
			return;
		m = tv_map(r->a);
		cs = tv_list(r->a);
		for (size_t k = 0; k < VOLUNTEER_STAGES; k++) {
			tval *c = tv_map(r->a);
			tv_set_str(c, "label", volunteer_stage_label(volunteer_stages[k]));
			tv_set_int(c, "count", counts[k]);
			tv_set_str(c, "href", arena_printf(r->a, "/programmes/%s/volunteers?stage=%s",
			                                   ps[i].slug, volunteer_stages[k]));
			tv_push(cs, c);
		}
		tv_set_str(m, "name", ps[i].name);
		tv_set_str(m, "href", arena_printf(r->a, "/programmes/%s/volunteers", ps[i].slug));
		tv_set_str(m, "induction_href", arena_printf(r->a, "/programmes/%s/induction", ps[i].slug));
		tv_set_int(m, "new", counts[0]);
		tv_set_bool(m, "one_new", counts[0] == 1);
		tv_set_int(m, "duplicates", dups);
		tv_set(m, "counts", cs);
		tv_push(list, m);
		shown++;
	}
	if (!shown)
		return;
	panel = tv_map(r->a);
	tv_set(panel, "programmes", list);
	tv_set(w->page, "recruitment", panel);
}
