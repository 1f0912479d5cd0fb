/* web_learning.c: a programme's learning log as a timeline for its members, programme
 * leads and Board members, and the form with which its facilitators add to it. */
#include <inttypes.h>
#include <string.h>

#include "core/date.h"
#include "domain/access.h"
#include "domain/assessment.h"
#include "domain/learning.h"
#include "domain/programmes.h"
#include "web/web_evidence.h"

/* The programme of the path, for a member, a lead or a Board member (else not found),
 * who all read the log; *WRITER says
 * whether they may add entries: leads and the programme's facilitators. */
static int load(req *r, struct web *w, struct programme *p, bool *writer)
{
	char *slug = sv_dup(r->a, web_param(w, "slug"));
	int rc, access, member, facilitator;
	if (!slug)
		return DB_ERR;
	rc = programme_get_by_slug(w->db, r->a, slug, p);
	if (rc)
		return rc;
	access = access_programme(w->db, w->sess->account_id, w->sess->role, p->id);
	if (access < 0)
		return access;
	member = assessment_is_member(w->db, p->id, w->sess->account_id);
	if (member < 0)
		return member;
	if (!member && w->sess->acting_for) {
		member = assessment_is_member(w->db, p->id, w->sess->acting_for);
		if (member < 0)
			return member;
	}
	facilitator = assessment_is_facilitator(w->db, p->id, w->sess->account_id);
	if (facilitator < 0)
		return facilitator;
	/* Board members read what the Board's report shows them of every programme. */
	if (access != ACCESS_MANAGE && !member && w->sess->role != ROLE_BOARD_MEMBER)
		return DOMAIN_ENOTFOUND;
	*writer = access == ACCESS_MANAGE || facilitator == 1;
	return DOMAIN_OK;
}

static const char *day_text(req *r, const char *iso)
{
	struct date d;
	sbuf b;
	if (!iso || strlen(iso) < 10 || date_parse((sv){iso, 10}, &d) != 0)
		return "";
	sbuf_init(&b, r->a, 64);
	date_human(&b, d);
	return b.err ? "" : b.buf;
}

void web_learning(req *r, struct web *w)
{
	struct programme p;
	struct learning_entry *es;
	size_t n;
	bool writer = false;
	tval *list = tv_list(r->a);
	int rc = load(r, w, &p, &writer);
	if (rc == DOMAIN_OK)
		rc = learning_list(w->db, r->a, p.id, NULL, NULL, &es, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	/* Latest first: what the group learned most recently is what it acts on. */
	for (size_t i = n; i > 0; i--) {
		const struct learning_entry *e = &es[i - 1];
		tval *m = tv_map(r->a), *noticed = tv_list(r->a);
		for (int k = 0; k < NOTICED_KINDS; k++)
			if (e->noticed[k])
				tv_push(noticed, tv_str(r->a, noticed_label((enum noticed)k)));
		tv_set_str(m, "on", day_text(r, e->happened_on));
		tv_set_str(m, "stage", arena_printf(r->a, "Stage %d: %s", e->stage,
						    programme_stage_name(e->stage)));
		tv_set_str(m, "what_happened", e->what_happened);
		tv_set_str(m, "what_learned", e->what_learned);
		tv_set_str(m, "what_change", e->what_change);
		tv_set(m, "noticed", noticed);
		tv_set_bool(m, "has_noticed", tv_len(noticed) > 0);
		tv_set_str(m, "about", e->about_label);
		tv_set_str(m, "by", e->created_by_name);
		tv_push(list, m);
	}
	if (kv_get(&r->query, "done").ptr)
		page_notice(w, "Entry added to the learning log.");
	tv_set(w->page, "entries", list);
	tv_set_bool(w->page, "has_entries", n > 0);
	tv_set_bool(w->page, "can_add", writer);
	tv_set_str(w->page, "programme", p.name);
	tv_set_str(w->page, "slug", p.slug);
	page_render(r, w, 200, "learning", "Learning log");
}

static const char *const fields[] = {"stage", "happened-day", "happened-month", "happened-year",
				     "what_happened", "what_learned", "what_change", "about",
				     NULL};

static void form_page(req *r, struct web *w, const struct programme *p, int status,
		      const struct field_errors *fe)
{
	struct learning_about *about;
	size_t n;
	tval *stages = tv_list(r->a), *noticed = tv_list(r->a), *opts = tv_list(r->a), *date;
	sv chosen_stage = kv_get(&r->form, "stage"), chosen_about = kv_get(&r->form, "about");
	int rc = learning_about_options(w->db, r->a, p->id, &about, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (int s = 1; s <= 6; s++) {
		tval *o = tv_map(r->a);
		char *val = arena_printf(r->a, "%d", s);
		tv_set_str(o, "id", s == 1 ? "stage" : arena_printf(r->a, "stage-%d", s));
		tv_set_str(o, "value", val);
		tv_set_str(o, "label", arena_printf(r->a, "%d. %s", s, programme_stage_name(s)));
		tv_set_bool(o, "checked", sv_eq_cstr(chosen_stage, val));
		tv_push(stages, o);
	}
	for (int k = 0; k < NOTICED_KINDS; k++) {
		tval *o = tv_map(r->a);
		const char *slug = noticed_slug((enum noticed)k);
		tv_set_str(o, "id", k == 0 ? "noticed" : arena_printf(r->a, "noticed-%s", slug));
		tv_set_str(o, "value", slug);
		tv_set_str(o, "label", noticed_label((enum noticed)k));
		tv_set_bool(o, "checked", false);
		for (size_t i = 0; i < r->form.n; i++)
			if (sv_eq_cstr(r->form.items[i].key, "noticed") &&
			    sv_eq_cstr(r->form.items[i].val, slug))
				tv_set_bool(o, "checked", true);
		tv_push(noticed, o);
	}
	{
		tval *o = tv_map(r->a);
		tv_set_str(o, "value", "");
		tv_set_str(o, "label", "Nothing in particular");
		tv_set_bool(o, "selected", !chosen_about.len);
		tv_push(opts, o);
	}
	for (size_t i = 0; i < n; i++) {
		tval *o = tv_map(r->a);
		tv_set_str(o, "value", about[i].value);
		tv_set_str(o, "label", about[i].label);
		tv_set_bool(o, "selected", sv_eq_cstr(chosen_about, about[i].value));
		tv_push(opts, o);
	}
	date = tv_map(r->a);
	tv_set_str(date, "id", "happened");
	tv_set_str(date, "legend", "When did it happen?");
	tv_set_str(date, "hint", "For example, 14 6 2022");
	tv_set_str(date, "error", field_error_get(fe, "happened"));
	tv_set_sv(date, "day", kv_get(&r->form, "happened-day"));
	tv_set_sv(date, "month", kv_get(&r->form, "happened-month"));
	tv_set_sv(date, "year", kv_get(&r->form, "happened-year"));
	page_form_errors(r, w, fe, fields);
	tv_set(w->page, "stages", stages);
	tv_set(w->page, "noticed_options", noticed);
	tv_set(w->page, "about_options", opts);
	tv_set(w->page, "happened", date);
	tv_set_str(w->page, "programme", p->name);
	tv_set_str(w->page, "slug", p->slug);
	page_render(r, w, status, "learning_new", "Add to the learning log");
}

static int load_writer(req *r, struct web *w, struct programme *p)
{
	bool writer = false;
	int rc = load(r, w, p, &writer);
	if (rc == DOMAIN_OK && !writer)
		rc = DOMAIN_EFORBIDDEN;
	return rc;
}

void web_learning_new(req *r, struct web *w)
{
	struct programme p;
	int rc = load_writer(r, w, &p);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	form_page(r, w, &p, 200, NULL);
}

void web_learning_create(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct programme p;
	struct learning_input in;
	struct field_errors fe;
	int rc = load_writer(r, w, &p);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	memset(&in, 0, sizeof(in));
	in.stage = kv_get(&r->form, "stage");
	in.day = kv_get(&r->form, "happened-day");
	in.month = kv_get(&r->form, "happened-month");
	in.year = kv_get(&r->form, "happened-year");
	in.what_happened = kv_get(&r->form, "what_happened");
	in.what_learned = kv_get(&r->form, "what_learned");
	in.what_change = kv_get(&r->form, "what_change");
	in.about = kv_get(&r->form, "about");
	for (size_t i = 0; i < r->form.n; i++)
		if (sv_eq_cstr(r->form.items[i].key, "noticed"))
			for (int k = 0; k < NOTICED_KINDS; k++)
				if (sv_eq_cstr(r->form.items[i].val, noticed_slug((enum noticed)k)))
					in.noticed[k] = true;
	field_errors_init(&fe);
	rc = learning_add(w->db, r->a, &who, p.id, &in, &fe, NULL);
	if (rc == DOMAIN_EINVALID) {
		form_page(r, w, &p, 400, &fe);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/programmes/%s/learning?done=added", p.slug));
}
