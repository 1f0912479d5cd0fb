/* web_panels.c: the fair-selection pages (panels, pools, quotas, chances, the public
 * lottery and draw); see web_panels.h for the routes. */
#include "web/web_panels.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/chart.h"
#include "core/date.h"
#include "core/disclosure.h"
#include "domain/access.h"
#include "domain/ics.h"
#include "domain/panels.h"
#include "domain/programmes.h"
#include "domain/volunteers.h"

#define CSV_EXPORT_MAX (4 * 1024 * 1024)
#define IMPORT_TEXT_MAX (256 * 1024)
#define CHART_SVG_MAX (2 * 1024 * 1024)
#define DRAW_ICS_MAX (64 * 1024)
#define DRAW_MINUTES 60 /* how long the draw's calendar entry lasts */

/* --- Small helpers ------------------------------------------------------------------- */

/* A probability in parts per billion as a percentage with one decimal: "8.3%". */
static const char *pct(arena *a, int64_t ppb)
{
	int64_t tenths;
	if (ppb < 0)
		return "";
	tenths = (ppb + 500000) / 1000000;
	return arena_printf(a, "%" PRId64 ".%" PRId64 "%%", tenths / 10, tenths % 10);
}

/* The one-line summary beside the chart and in its description. */
static const char *chances_summary(arena *a, const struct panel *p)
{
	const char *fair = pct(a, p->pool_size ? (int64_t)p->places * 1000000000 /
							 (int64_t)p->pool_size
					       : 0);
	if (p->legacy_min_ppb >= 0)
		return arena_printf(a, "the smallest chance is %s with fair selection and %s with "
				       "the greedy method; without quotas everyone's would be %s",
				    pct(a, p->min_ppb), pct(a, p->legacy_min_ppb), fair);
	return arena_printf(a, "the smallest chance is %s with fair selection; without quotas "
			       "everyone's would be %s",
			    pct(a, p->min_ppb), fair);
}

/* "2026-11-22T15:04:05Z" as "22 November 2026". */
static const char *human_day(arena *a, const char *iso)
{
	struct date d;
	sbuf b;
	if (!iso || strlen(iso) < 10 || date_parse((sv){iso, 10}, &d) != 0)
		return "";
	sbuf_init(&b, a, 64);
	date_human(&b, d);
	return b.err ? "" : b.buf;
}

static int64_t path_id(const struct web *w)
{
	int64_t id;
	if (sv_to_i64(web_param(w, "id"), &id) != 0 || id <= 0)
		return 0;
	return id;
}

static const char *form_str(req *r, const char *name)
{
	sv v = kv_get(&r->form, name);
	char *s = sv_dup(r->a, v.ptr ? sv_trim(v) : SV(""));
	return s ? s : "";
}

static int who_access(struct web *w, int64_t programme_id)
{
	return panels_access(w->db, w->sess ? w->sess->account_id : 0,
			     w->sess ? (int)w->sess->role : 0, programme_id);
}

/* The panel named by :id for someone who may see it (else DOMAIN_ENOTFOUND), with
 * *MANAGE set for those who may change it. */
static int load(req *r, struct web *w, struct panel *p, bool *manage)
{
	int64_t id = path_id(w);
	int rc;
	if (!id)
		return DOMAIN_ENOTFOUND;
	if ((rc = panel_get(w->db, r->a, id, p)))
		return rc;
	rc = who_access(w, p->programme_id);
	if (rc < 0)
		return rc;
	if (rc == ACCESS_NONE)
		return DOMAIN_ENOTFOUND;
	if (manage)
		*manage = rc == ACCESS_MANAGE;
	return DOMAIN_OK;
}

static int load_managed(req *r, struct web *w, struct panel *p)
{
	bool manage = false;
	int rc = load(r, w, p, &manage);
	return rc ? rc : manage ? DOMAIN_OK : DOMAIN_EFORBIDDEN;
}

static const char *panel_href(arena *a, const struct panel *p, const char *rest)
{
	return arena_printf(a, "/panels/%" PRId64 "%s", p->id, rest);
}

static tval *panel_value(req *r, const struct panel *p)
{
	arena *a = r->a;
	tval *m = tv_map(a);
	tv_set_int(m, "id", p->id);
	tv_set_str(m, "name", p->name);
	tv_set_str(m, "programme_name", p->programme_name);
	tv_set_str(m, "programme_href", arena_printf(a, "/programmes/%s", p->programme_slug));
	tv_set_int(m, "places", p->places);
	tv_set_bool(m, "household", p->one_per_household);
	tv_set_str(m, "status", panel_status_label(p->status));
	tv_set_str(m, "status_class", p->status == PANEL_DRAWN       ? "govuk-tag--green"
				     : p->status == PANEL_PUBLISHED ? "govuk-tag--blue"
				     : p->status == PANEL_COMPUTED  ? "govuk-tag--light-blue"
								    : "govuk-tag--grey");
	tv_set_bool(m, "is_draft", p->status == PANEL_DRAFT);
	tv_set_bool(m, "is_computed", p->status == PANEL_COMPUTED);
	tv_set_bool(m, "is_published", p->status == PANEL_PUBLISHED);
	tv_set_bool(m, "is_drawn", p->status == PANEL_DRAWN);
	tv_set_bool(m, "editable", p->status == PANEL_DRAFT || p->status == PANEL_COMPUTED);
	tv_set_bool(m, "public", p->status == PANEL_PUBLISHED || p->status == PANEL_DRAWN);
	tv_set_str(m, "pool_text", p->pool_size == 1 ? "1 person"
						     : arena_printf(a, "%zu people", p->pool_size));
	tv_set_str(m, "href", panel_href(a, p, "/manage"));
	tv_set_str(m, "public_href", panel_href(a, p, ""));
	tv_set_str(m, "lottery_href", panel_href(a, p, "/lottery.txt"));
	tv_set_str(m, "settings_href", panel_href(a, p, "/settings"));
	tv_set_str(m, "pool_href", panel_href(a, p, "/pool"));
	tv_set_str(m, "quotas_href", panel_href(a, p, "/quotas"));
	tv_set_str(m, "import_href", panel_href(a, p, "/quotas/import"));
	tv_set_str(m, "action_base", panel_href(a, p, ""));
	tv_set_str(m, "categories_csv", panel_href(a, p, "/categories.csv"));
	tv_set_str(m, "respondents_csv", panel_href(a, p, "/respondents.csv"));
	if (p->min_ppb >= 0) {
		tv_set_str(m, "min", pct(a, p->min_ppb));
		tv_set_str(m, "legacy_min", p->legacy_min_ppb >= 0 ? pct(a, p->legacy_min_ppb) : "");
		tv_set_int(m, "panels_used", p->panels_used);
		tv_set_str(m, "compute_time",
			   p->compute_ms < 1000
				   ? arena_printf(a, "%" PRId64 " millisecond%s", p->compute_ms,
						  p->compute_ms == 1 ? "" : "s")
				   : arena_printf(a, "%" PRId64 ".%" PRId64 " seconds",
						  p->compute_ms / 1000, (p->compute_ms % 1000) / 100));
		tv_set_str(m, "computed_on", human_day(a, p->computed_at));
		tv_set_str(m, "fair_share", pct(a, p->pool_size ? (int64_t)p->places * 1000000000 /
									(int64_t)p->pool_size
								: 0));
	}
	if (p->lottery_sha256) {
		tv_set_str(m, "sha256", p->lottery_sha256);
		tv_set_int(m, "tickets", p->tickets);
		tv_set_str(m, "tickets_text",
			   p->tickets >= 1000 ? arena_printf(a, "%d,%03d", p->tickets / 1000,
							     p->tickets % 1000)
					      : arena_printf(a, "%d", p->tickets));
		tv_set_str(m, "tolerance", pct(a, p->tolerance_ppb));
		tv_set_str(m, "published_on", human_day(a, p->published_at));
	}
	if (p->draw_at) {
		tv_set_bool(m, "has_plan", true);
		tv_set_str(m, "draw_when", panel_draw_when(a, p->draw_at));
		tv_set_str(m, "draw_place", p->draw_place);
		tv_set_str(m, "draw_roller", p->draw_roller ? p->draw_roller : "");
		tv_set_str(m, "draw_link", p->draw_link ? p->draw_link : "");
		tv_set_str(m, "draw_ics_href", panel_href(a, p, "/draw.ics"));
		tv_set_bool(m, "draw_overdue", panel_draw_overdue(p));
		if (p->draw_moved_from_at) {
			/* Say what changed: the time, the place or both. */
			bool when = strcmp(p->draw_moved_from_at, p->draw_at) != 0;
			bool where = p->draw_moved_from_place &&
				     strcmp(p->draw_moved_from_place, p->draw_place) != 0;
			const char *from = panel_draw_when(a, p->draw_moved_from_at);
			tv_set_str(m, "moved_from",
				   when && where ? arena_printf(a, "%s at %s", from,
								p->draw_moved_from_place)
				   : when	 ? from
				   : where	 ? p->draw_moved_from_place
						 : "");
		}
	}
	tv_set_str(m, "draw_plan_href", panel_href(a, p, "/draw-plan"));
	if (p->status == PANEL_DRAWN) {
		tv_set_str(m, "public_number", p->public_number);
		tv_set_int(m, "drawn_ticket", p->drawn_ticket);
		tv_set_str(m, "drawn_on", human_day(a, p->drawn_at));
		/* When the dice were rolled, in Salford's time, against the plan. */
		const char *local = panel_local_at(a, p->drawn_at);
		if (local) {
			tv_set_str(m, "drawn_when", panel_draw_when(a, local));
			tv_set_bool(m, "drawn_other_day",
				    p->draw_at && strncmp(local, p->draw_at, 10) != 0);
		}
	}
	return m;
}

struct done_message {
	const char *key, *message;
};

static const struct done_message done_messages[] = {
	{"created", "Panel created. Its pool holds everyone waiting to take part, except "
		    "possible duplicates."},
	{"settings", "Panel settings saved"},
	{"pool", "Pool saved"},
	{"quotas", "Quotas saved"},
	{"category", "Category added with proposed quotas. Check them and change any you need to."},
	{"removed", "Category removed"},
	{"imported", "Quotas imported from the file"},
	{"computed", "Chances worked out"},
	{"relaxed", "Quotas changed to the smallest relaxation. Work out the chances again."},
	{"published", "Lottery published. Share the public page before the draw."},
	{"planned", "The date and place of the draw are saved"},
	{"moved", "The draw has moved. The public page says when and where it was before."},
	{"drawn", "Panel drawn. The people selected have been moved to ‘selected’."},
	{"replaced", "Replacements selected"},
	{NULL, NULL},
};

static void put_done(req *r, struct web *w)
{
	sv done = kv_get(&r->query, "done");
	for (const struct done_message *m = done_messages; done.ptr && m->key; m++)
		if (sv_eq_cstr(done, m->key)) {
			page_notice(w, m->message);
			return;
		}
}

static void redirect_done(req *r, const struct panel *p, const char *where, const char *done)
{
	resp_redirect(r, arena_printf(r->a, "/panels/%" PRId64 "%s?done=%s", p->id, where, done));
}

/* The error summary and the inline messages (map field -> message) of FE. */
static void put_errors(req *r, struct web *w, const struct field_errors *fe)
{
	tval *list = tv_list(r->a), *by = tv_map(r->a);
	for (size_t i = 0; fe && i < fe->n; i++) {
		tval *e = tv_map(r->a);
		tv_set_str(e, "href", arena_printf(r->a, "#%s", fe->items[i].field));
		tv_set_str(e, "text", fe->items[i].message);
		tv_push(list, e);
		tv_set_str(by, fe->items[i].field, fe->items[i].message);
	}
	tv_set(w->page, "errors", list);
	tv_set(w->page, "error", by);
	tv_set_bool(w->page, "has_errors", fe && fe->n > 0);
}

/* --- The list ------------------------------------------------------------------------ */

void web_panels(req *r, struct web *w)
{
	struct panel *ps;
	size_t n;
	tval *list = tv_list(r->a);
	int rc = panels_list(w->db, r->a, 0, &ps, &n);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		int acc = who_access(w, ps[i].programme_id);
		if (acc < 0) {
			page_fail(r, w, acc);
			return;
		}
		if (acc != ACCESS_NONE)
			tv_push(list, panel_value(r, &ps[i]));
	}
	tv_set(w->page, "panels", list);
	tv_set_bool(w->page, "has_panels", tv_len(list) > 0);
	tv_set_bool(w->page, "can_create", web_has_role(w, ROLE_PROGRAMME_LEAD));
	page_render(r, w, 200, "panels", "Panels");
}

void home_panels(req *r, struct web *w)
{
	struct panel *ps;
	size_t n;
	tval *m, *list;
	if (!w->sess || !web_has_role(w, ROLE_PROGRAMME_LEAD | ROLE_FACILITATOR))
		return;
	if (panels_list(w->db, r->a, 0, &ps, &n))
		return;
	m = tv_map(r->a);
	list = tv_list(r->a);
	for (size_t i = 0; i < n && tv_len(list) < 5; i++)
		if (who_access(w, ps[i].programme_id) > ACCESS_NONE)
			tv_push(list, panel_value(r, &ps[i]));
	if (!tv_len(list) && !web_has_role(w, ROLE_PROGRAMME_LEAD))
		return;
	tv_set(m, "panels", list);
	tv_set_bool(m, "can_create", web_has_role(w, ROLE_PROGRAMME_LEAD));
	tv_set(w->page, "panels_home", m);
}

void programme_panels(req *r, struct web *w, int64_t programme_id)
{
	struct panel *ps;
	size_t n;
	tval *list;
	if (panels_list(w->db, r->a, programme_id, &ps, &n))
		return;
	list = tv_list(r->a);
	for (size_t i = 0; i < n; i++)
		if (ps[i].programme_published &&
		    (ps[i].status == PANEL_PUBLISHED || ps[i].status == PANEL_DRAWN))
			tv_push(list, panel_value(r, &ps[i]));
	if (tv_len(list)) {
		tval *m = tv_map(r->a);
		tv_set(m, "panels", list);
		tv_set(w->page, "programme_panels", m);
	}
}

/* --- Creating and settings ------------------------------------------------------------ */

static const struct field_spec panel_fields[] = {
	{"name_field", "name", "Name of the panel", "For example, Young adults panel 2021", NULL,
	 NULL, true},
	{"places_field", "places", "Number of places", "How many people the panel will have",
	 "text", NULL, true},
	{NULL, NULL, NULL, NULL, NULL, NULL, false},
};

static void programme_options(req *r, struct web *w, int64_t selected)
{
	struct programme *ps;
	size_t n;
	tval *list = tv_list(r->a);
	if (programmes_list(w->db, r->a, NULL, &ps, &n) == DOMAIN_OK)
		for (size_t i = 0; i < n; i++) {
			tval *o = tv_map(r->a);
			tv_set_int(o, "value", ps[i].id);
			tv_set_str(o, "label", ps[i].name);
			tv_set_bool(o, "selected", ps[i].id == selected);
			tv_push(list, o);
		}
	tv_set(w->page, "programmes", list);
}

static void new_form(req *r, struct web *w, struct field_errors *fe, int64_t programme_id)
{
	page_form(r, w, panel_fields, fe, NULL);
	put_errors(r, w, fe);
	programme_options(r, w, programme_id);
	tv_set_bool(w->page, "household", r->method == HTTP_POST && kv_get(&r->form, "household").ptr);
	page_render(r, w, fe && fe->n ? 400 : 200, "panel_new", "Create a panel");
}

void web_panel_new(req *r, struct web *w)
{
	int64_t pid = 0;
	sv q = kv_get(&r->query, "programme");
	if (q.ptr)
		sv_to_i64(q, &pid);
	new_form(r, w, NULL, pid);
}

void web_panel_create(req *r, struct web *w)
{
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int64_t pid = 0, id = 0;
	struct panel p;
	int rc;
	field_errors_init(&fe);
	if (sv_to_i64(kv_get(&r->form, "programme"), &pid) != 0 || pid <= 0 ||
	    who_access(w, pid) != ACCESS_MANAGE) {
		field_error_add(&fe, "programme", "Choose the programme the panel is for");
		pid = 0;
	}
	rc = pid ? panel_create(w->db, r->a, &who, pid, form_str(r, "name"), form_str(r, "places"),
				kv_get(&r->form, "household").ptr != NULL, &fe, &id)
		 : DOMAIN_EINVALID;
	if (rc == DOMAIN_EINVALID) {
		/* Without a programme the domain did not look at the rest: check it here. */
		if (!pid && !*form_str(r, "name"))
			field_error_add(&fe, "name", "Enter a name for the panel");
		if (!pid && !*form_str(r, "places"))
			field_error_add(&fe, "places", "Enter the number of places on the panel");
		new_form(r, w, &fe, pid);
		return;
	}
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	p.id = id;
	redirect_done(r, &p, "/manage", "created");
}

static void settings_form(req *r, struct web *w, const struct panel *p, struct field_errors *fe)
{
	tval *defaults = tv_map(r->a);
	tv_set_str(defaults, "name", p->name);
	tv_set_str(defaults, "places", arena_printf(r->a, "%d", p->places));
	page_form(r, w, panel_fields, fe, defaults);
	put_errors(r, w, fe);
	tv_set(w->page, "panel", panel_value(r, p));
	tv_set_bool(w->page, "household", r->method == HTTP_POST ? kv_get(&r->form, "household").ptr != NULL
								 : p->one_per_household);
	page_render(r, w, fe && fe->n ? 400 : 200, "panel_settings", "Panel settings");
}

/* A panel whose lottery is published can no longer change: its forms are refused. */
static int load_editable_form(req *r, struct web *w, struct panel *p)
{
	int rc = load_managed(r, w, p);
	if (!rc && p->status != PANEL_DRAFT && p->status != PANEL_COMPUTED)
		rc = DOMAIN_EFORBIDDEN;
	return rc;
}

void web_panel_settings(req *r, struct web *w)
{
	struct panel p;
	int rc = load_editable_form(r, w, &p);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	settings_form(r, w, &p, NULL);
}

void web_panel_settings_save(req *r, struct web *w)
{
	struct panel p;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int rc = load_managed(r, w, &p);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	field_errors_init(&fe);
	rc = panel_update(w->db, r->a, &who, p.id, form_str(r, "name"), form_str(r, "places"),
			  kv_get(&r->form, "household").ptr != NULL, &fe);
	if (rc == DOMAIN_EINVALID) {
		settings_form(r, w, &p, &fe);
		return;
	}
	if (rc) {
		page_fail(r, w, rc == DOMAIN_ECONFLICT ? DOMAIN_EFORBIDDEN : rc);
		return;
	}
	redirect_done(r, &p, "/manage", "settings");
}

/* --- The pool ----------------------------------------------------------------------- */

/* "duplicates" (pairs in the pool who may be the same person: [{a, b, compare_href}],
 * compare_href where a facilitator merges them or marks them as different people),
 * "has_duplicates" and "volunteers_href" (the programme's volunteers). */
static int put_duplicates(req *r, struct web *w, const struct panel *p)
{
	struct panel_duplicate_pair *pairs;
	size_t n;
	tval *list = tv_list(r->a);
	int rc = panel_pool_duplicate_pairs(w->db, r->a, p->id, &pairs, &n);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		tval *x = tv_map(r->a);
		tv_set_str(x, "a", pairs[i].a_name);
		tv_set_str(x, "b", pairs[i].b_name);
		tv_set_str(x, "compare_href",
			   arena_printf(r->a, "/programmes/%s/volunteers/%" PRId64 "/merge/%" PRId64,
					p->programme_slug, pairs[i].a_id, pairs[i].b_id));
		tv_push(list, x);
	}
	tv_set(w->page, "duplicates", list);
	tv_set_bool(w->page, "has_duplicates", n > 0);
	tv_set_str(w->page, "volunteers_href",
		   arena_printf(r->a, "/programmes/%s/volunteers", p->programme_slug));
	return DOMAIN_OK;
}

static void pool_form(req *r, struct web *w, const struct panel *p, struct field_errors *fe)
{
	struct panel_candidate *c;
	size_t n;
	tval *list = tv_list(r->a);
	int rc = panel_candidates(w->db, r->a, p->id, &c, &n);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		tval *m = tv_map(r->a);
		const char *role = c[i].role ? c[i].role : "";
		bool in = c[i].in_pool;
		if (r->method == HTTP_POST) {
			char *key = arena_printf(r->a, "role-%" PRId64, c[i].volunteer_id);
			role = form_str(r, key);
			in = false;
			for (size_t k = 0; k < r->form.n; k++)
				if (sv_eq_cstr(r->form.items[k].key, "volunteer")) {
					int64_t v;
					if (sv_to_i64(r->form.items[k].val, &v) == 0 &&
					    v == c[i].volunteer_id)
						in = true;
				}
		}
		tv_set_int(m, "id", c[i].volunteer_id);
		tv_set_str(m, "name", c[i].name);
		tv_set_str(m, "stage", volunteer_stage_label(c[i].stage));
		tv_set_bool(m, "in_pool", in);
		tv_set_bool(m, "possible_duplicate", c[i].possible_duplicate);
		tv_set_bool(m, "role_lived", strcmp(role, PANEL_ROLE_LIVED) == 0);
		tv_set_bool(m, "role_professional", strcmp(role, PANEL_ROLE_PROFESSIONAL) == 0);
		tv_push(list, m);
	}
	tv_set(w->page, "candidates", list);
	tv_set_bool(w->page, "no_candidates", n == 0);
	tv_set(w->page, "panel", panel_value(r, p));
	if ((rc = put_duplicates(r, w, p))) {
		page_fail(r, w, rc);
		return;
	}
	put_errors(r, w, fe);
	page_render(r, w, fe && fe->n ? 400 : 200, "panel_pool", "The pool");
}

void web_panel_pool(req *r, struct web *w)
{
	struct panel p;
	int rc = load_editable_form(r, w, &p);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	pool_form(r, w, &p, NULL);
}

void web_panel_pool_save(req *r, struct web *w)
{
	struct panel p;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	size_t n = 0, cap = kv_count(&r->form, "volunteer");
	int64_t *ids = arena_calloc(r->a, cap + 1, sizeof(*ids));
	const char **role_of = arena_calloc(r->a, cap + 1, sizeof(*role_of));
	int rc = load_managed(r, w, &p);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	if (!ids || !role_of) {
		page_fail(r, w, DB_ERR);
		return;
	}
	for (size_t k = 0; k < r->form.n && n < cap; k++) {
		if (!sv_eq_cstr(r->form.items[k].key, "volunteer"))
			continue;
		if (sv_to_i64(r->form.items[k].val, &ids[n]) != 0) {
			page_error(r, w, 400);
			return;
		}
		role_of[n] = form_str(r, arena_printf(r->a, "role-%" PRId64, ids[n]));
		n++;
	}
	field_errors_init(&fe);
	rc = panel_pool_set(w->db, r->a, &who, p.id, ids, role_of, n, &fe);
	if (rc == DOMAIN_EINVALID) {
		pool_form(r, w, &p, &fe);
		return;
	}
	if (rc) {
		page_fail(r, w, rc == DOMAIN_ECONFLICT ? DOMAIN_EFORBIDDEN : rc);
		return;
	}
	redirect_done(r, &p, "/manage", "pool");
}

/* --- Quotas ------------------------------------------------------------------------ */

/* The quotas grouped by category, for panel_quota_table and the quotas form. With
 * COUNTS, each value also shows how many of the pool have it, disclosed. */
static int quota_groups(req *r, struct web *w, const struct panel *p, bool counts,
			const struct field_errors *fe, tval **out)
{
	struct panel_quota *q;
	size_t nq;
	struct audit_actor who = web_actor(r, w);
	tval *groups = tv_list(r->a), *cur = NULL, *vals = NULL;
	const char **pool_vals = NULL;
	int64_t *pool_counts = NULL;
	size_t npool = 0;
	int rc = panel_quotas_list(w->db, r->a, p->id, &q, &nq);
	if (rc)
		return rc;
	for (size_t i = 0; i < nq; i++) {
		tval *v = tv_map(r->a);
		if (!i || strcmp(q[i].category, q[i - 1].category) != 0) {
			cur = tv_map(r->a);
			vals = tv_list(r->a);
			tv_set_str(cur, "slug", q[i].category);
			tv_set_str(cur, "label",
				   panel_category_label(w->db, r->a, p->programme_id, q[i].category));
			tv_set_str(cur, "note", panel_population_note(w->db, r->a, p->programme_id,
								       q[i].category));
			tv_set(cur, "values", vals);
			tv_push(groups, cur);
			if (counts && (rc = panel_pool_counts(w->db, r->a, &who, p->id, q[i].category,
							      &pool_vals, &pool_counts, &npool)))
				return rc;
		}
		tv_set_int(v, "index", (int64_t)i);
		tv_set_str(v, "label", panel_value_label(w->db, r->a, q[i].category, q[i].value));
		tv_set_str(v, "min_error", field_error_get(fe, arena_printf(r->a, "min-%zu", i)));
		tv_set_str(v, "max_error", field_error_get(fe, arena_printf(r->a, "max-%zu", i)));
		if (fe && fe->n) {
			tv_set_sv(v, "min", kv_get(&r->form, arena_printf(r->a, "min-%zu", i)));
			tv_set_sv(v, "max", kv_get(&r->form, arena_printf(r->a, "max-%zu", i)));
		} else {
			tv_set_str(v, "min", arena_printf(r->a, "%d", q[i].min));
			tv_set_str(v, "max", arena_printf(r->a, "%d", q[i].max));
		}
		if (counts) {
			int64_t c = 0;
			for (size_t j = 0; j < npool; j++)
				if (strcmp(pool_vals[j], q[i].value) == 0)
					c = pool_counts[j];
			tv_set_str(v, "in_pool", disclosure_text(r->a, disclosure_count(c)));
		}
		tv_push(vals, v);
	}
	*out = groups;
	return DOMAIN_OK;
}

static void quotas_form(req *r, struct web *w, const struct panel *p, struct field_errors *fe,
			struct field_errors *add_fe)
{
	tval *groups, *opts = tv_list(r->a);
	struct panel_category_option *o;
	size_t no;
	int rc = quota_groups(r, w, p, true, fe, &groups);
	if (!rc)
		rc = panel_category_options(w->db, r->a, p->programme_id, &o, &no);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < no; i++) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "value", o[i].slug);
		tv_set_str(m, "label", o[i].label);
		tv_push(opts, m);
	}
	tv_set(w->page, "categories", groups);
	tv_set_bool(w->page, "has_quotas", tv_len(groups) > 0);
	tv_set(w->page, "category_options", opts);
	tv_set(w->page, "panel", panel_value(r, p));
	if (add_fe && add_fe->n)
		put_errors(r, w, add_fe);
	else
		put_errors(r, w, fe);
	page_render(r, w, (fe && fe->n) || (add_fe && add_fe->n) ? 400 : 200, "panel_quotas",
		    "Quotas");
}

void web_panel_quotas(req *r, struct web *w)
{
	struct panel p;
	int rc = load_managed(r, w, &p);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	put_done(r, w);
	quotas_form(r, w, &p, NULL, NULL);
}

void web_panel_quotas_save(req *r, struct web *w)
{
	struct panel p;
	struct panel_quota *q;
	size_t nq;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	const char **mins, **maxs;
	int rc = load_managed(r, w, &p);
	if (rc || (rc = panel_quotas_list(w->db, r->a, p.id, &q, &nq))) {
		page_fail(r, w, rc);
		return;
	}
	mins = arena_calloc(r->a, nq + 1, sizeof(*mins));
	maxs = arena_calloc(r->a, nq + 1, sizeof(*maxs));
	if (!mins || !maxs) {
		page_fail(r, w, DB_ERR);
		return;
	}
	for (size_t i = 0; i < nq; i++) {
		mins[i] = form_str(r, arena_printf(r->a, "min-%zu", i));
		maxs[i] = form_str(r, arena_printf(r->a, "max-%zu", i));
	}
	field_errors_init(&fe);
	rc = panel_quotas_save(w->db, r->a, &who, p.id, mins, maxs, nq, &fe);
	if (rc == DOMAIN_EINVALID) {
		quotas_form(r, w, &p, &fe, NULL);
		return;
	}
	if (rc) {
		page_fail(r, w, rc == DOMAIN_ECONFLICT ? DOMAIN_EFORBIDDEN : rc);
		return;
	}
	redirect_done(r, &p, "/quotas", "quotas");
}

void web_panel_category_add(req *r, struct web *w)
{
	struct panel p;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int rc = load_managed(r, w, &p);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	field_errors_init(&fe);
	rc = panel_category_add(w->db, r->a, &who, p.id, form_str(r, "category"), &fe);
	if (rc == DOMAIN_EINVALID) {
		quotas_form(r, w, &p, NULL, &fe);
		return;
	}
	if (rc) {
		page_fail(r, w, rc == DOMAIN_ECONFLICT ? DOMAIN_EFORBIDDEN : rc);
		return;
	}
	redirect_done(r, &p, "/quotas", "category");
}

void web_panel_category_remove(req *r, struct web *w)
{
	struct panel p;
	struct audit_actor who = web_actor(r, w);
	int rc = load_managed(r, w, &p);
	if (!rc)
		rc = panel_category_remove(w->db, r->a, &who, p.id, form_str(r, "category"));
	if (rc) {
		page_fail(r, w, rc == DOMAIN_ECONFLICT ? DOMAIN_EFORBIDDEN : rc);
		return;
	}
	redirect_done(r, &p, "/quotas", "removed");
}

static void import_form(req *r, struct web *w, const struct panel *p, const char **lines,
			size_t n)
{
	tval *list = tv_list(r->a), *errs = tv_list(r->a);
	for (size_t i = 0; i < n; i++) {
		tval *e = tv_map(r->a);
		tv_push(list, tv_str(r->a, lines[i]));
		tv_set_str(e, "href", "#file");
		tv_set_str(e, "text", lines[i]);
		tv_push(errs, e);
	}
	tv_set(w->page, "problems", list);
	tv_set(w->page, "errors", errs);
	tv_set_bool(w->page, "has_errors", n > 0);
	tv_set(w->page, "panel", panel_value(r, p));
	page_render(r, w, n ? 400 : 200, "panel_import", "Import quotas");
}

void web_panel_import(req *r, struct web *w)
{
	struct panel p;
	int rc = load_editable_form(r, w, &p);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	import_form(r, w, &p, NULL, 0);
}

void web_panel_import_save(req *r, struct web *w)
{
	struct panel p;
	struct audit_actor who = web_actor(r, w);
	const char **lines;
	size_t n = 0;
	sv text = SV_NULL;
	int rc = load_managed(r, w, &p);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	for (struct upload *u = r->uploads; u; u = u->next)
		if (sv_eq_cstr(u->field, "file") && u->data.len)
			text = u->data;
	/* On a phone it is easier to paste the lines than to attach a file. */
	if (!text.len && kv_get(&r->form, "text").ptr && sv_trim(kv_get(&r->form, "text")).len)
		text = kv_get(&r->form, "text");
	if (!text.ptr || !text.len) {
		static const char *none[] = {"Choose a categories file (CSV) or paste its lines"};
		import_form(r, w, &p, none, 1);
		return;
	}
	if (text.len > IMPORT_TEXT_MAX) {
		static const char *big[] = {"The file must be smaller than 256 KB"};
		import_form(r, w, &p, big, 1);
		return;
	}
	rc = panel_quotas_import(w->db, r->a, &who, p.id, text, &lines, &n);
	if (rc == DOMAIN_EINVALID) {
		import_form(r, w, &p, lines, n);
		return;
	}
	if (rc) {
		page_fail(r, w, rc == DOMAIN_ECONFLICT ? DOMAIN_EFORBIDDEN : rc);
		return;
	}
	redirect_done(r, &p, "/quotas", "imported");
}

/* --- The panel's page for leads and facilitators ---------------------------------------- */

static const char *outcome_label(const struct panel_member *m)
{
	if (!m->outcome)
		return "";
	if (strcmp(m->outcome, "selected") == 0) {
		if (strcmp(m->stage, "left") == 0)
			return "Selected, then left";
		return m->selected_by && strcmp(m->selected_by, "replacement") == 0
			       ? "Selected as a replacement"
			       : "Selected";
	}
	return "Waiting";
}

/* The planned draw as typed in the form. */
static struct panel_draw_plan plan_from_form(req *r)
{
	struct panel_draw_plan in = {
		form_str(r, "draw_date-day"), form_str(r, "draw_date-month"),
		form_str(r, "draw_date-year"), form_str(r, "draw_time"),
		form_str(r, "draw_place"), form_str(r, "draw_roller"), form_str(r, "draw_link"),
	};
	return in;
}

/* "plan" for templates/panel_draw_fields.html: what was typed when the form sent it,
 * else the plan saved (empty when there is none), with FE's messages. */
static void put_plan_form(req *r, struct web *w, const struct panel *p,
			  const struct field_errors *fe)
{
	tval *m = tv_map(r->a), *date = tv_map(r->a);
	const char *err = field_error_get(fe, "draw_date");
	if (r->method == HTTP_POST && kv_get(&r->form, "draw_time").ptr) {
		struct panel_draw_plan in = plan_from_form(r);
		tv_set_str(date, "day", in.day);
		tv_set_str(date, "month", in.month);
		tv_set_str(date, "year", in.year);
		tv_set_str(m, "time", in.time);
		tv_set_str(m, "place", in.place);
		tv_set_str(m, "roller", in.roller);
		tv_set_str(m, "link", in.link);
	} else if (p->draw_at && strlen(p->draw_at) == 16) {
		const char *at = p->draw_at;
		/* Stored "YYYY-MM-DDTHH:MM": day and month without leading zeros, as typed. */
		tv_set_str(date, "day", arena_printf(r->a, "%d", (at[8] - '0') * 10 + at[9] - '0'));
		tv_set_str(date, "month",
			   arena_printf(r->a, "%d", (at[5] - '0') * 10 + at[6] - '0'));
		tv_set_str(date, "year", arena_strndup(r->a, at, 4));
		tv_set_str(m, "time", at + 11);
		tv_set_str(m, "place", p->draw_place);
		tv_set_str(m, "roller", p->draw_roller ? p->draw_roller : "");
		tv_set_str(m, "link", p->draw_link ? p->draw_link : "");
	}
	tv_set_str(date, "id", "draw_date");
	tv_set_str(date, "legend", "Date of the draw");
	tv_set_str(date, "hint", "For example, 7 3 2027");
	tv_set_str(date, "error", err ? err : "");
	tv_set(m, "date", date);
	tv_set(w->page, "plan", m);
}

static void manage_page(req *r, struct web *w, const struct panel *p, bool manage,
			const struct panel_compute_outcome *co, struct field_errors *fe)
{
	struct panel_member *m;
	size_t n;
	tval *groups, *people = tv_list(r->a), *selected = tv_list(r->a);
	int open = 0, rc = panel_pool_list(w->db, r->a, p->id, &m, &n);
	int status = 200;
	if (!rc)
		rc = quota_groups(r, w, p, false, NULL, &groups);
	if (!rc && p->status == PANEL_DRAWN)
		rc = panel_places_open(w->db, p->id, &open);
	if (!rc && p->status != PANEL_DRAWN)
		rc = put_duplicates(r, w, p);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		tval *x = tv_map(r->a);
		tv_set_str(x, "name", m[i].name);
		tv_set_str(x, "href", arena_printf(r->a, "/programmes/%s/volunteers/%" PRId64,
						   p->programme_slug, m[i].volunteer_id));
		tv_set_str(x, "public_id", m[i].public_id);
		tv_set_str(x, "prob", m[i].prob_ppb >= 0 ? pct(r->a, m[i].prob_ppb) : "");
		tv_set_str(x, "legacy", m[i].legacy_ppb >= 0 ? pct(r->a, m[i].legacy_ppb) : "");
		tv_set_str(x, "outcome", outcome_label(&m[i]));
		/* Beside a name in the list of those selected: only what is out of the usual. */
		if (strcmp(outcome_label(&m[i]), "Selected") != 0)
			tv_set_str(x, "note", outcome_label(&m[i]));
		tv_push(people, x);
		if (m[i].outcome && strcmp(m[i].outcome, "selected") == 0)
			tv_push(selected, x);
	}
	tv_set(w->page, "panel", panel_value(r, p));
	tv_set(w->page, "people", people);
	tv_set(w->page, "selected", selected);
	tv_set(w->page, "categories", groups);
	tv_set_bool(w->page, "has_quotas", tv_len(groups) > 0);
	tv_set_bool(w->page, "manage", manage);
	tv_set_bool(w->page, "computed", p->min_ppb >= 0);
	if (p->min_ppb >= 0) {
		tv_set_str(w->page, "chart_href", panel_href(r->a, p, "/chart.svg"));
		tv_set_str(w->page, "chart_alt",
			   arena_printf(r->a, "Everyone's chance of being selected, smallest to "
					      "largest: %s",
					   chances_summary(r->a, p)));
	}
	tv_set_int(w->page, "places_open", open);
	tv_set_str(w->page, "places_open_text",
		   open == 1 ? "One of the people selected has left"
			     : arena_printf(r->a, "%d of the people selected have left", open));
	tv_set_bool(w->page, "can_replace", manage && open > 0);
	if (co && (co->infeasible || co->reason)) {
		tval *changes = tv_list(r->a);
		for (size_t i = 0; i < co->n_changes; i++) {
			const struct panel_relax_change *c = &co->changes[i];
			tval *x = tv_map(r->a);
			tv_set_str(x, "category",
				   panel_category_label(w->db, r->a, p->programme_id, c->category));
			tv_set_str(x, "value", panel_value_label(w->db, r->a, c->category, c->value));
			tv_set_str(x, "was", arena_printf(r->a, "%d to %d", c->min, c->max));
			tv_set_str(x, "now", arena_printf(r->a, "%d to %d", c->new_min, c->new_max));
			tv_push(changes, x);
		}
		tv_set_bool(w->page, "infeasible", co->infeasible && co->n_changes > 0);
		tv_set(w->page, "changes", changes);
		tv_set_str(w->page, "problem", co->reason ? co->reason : co->infeasible
				? "No panel can meet all these quotas at once." : "");
		status = 409;
	}
	put_plan_form(r, w, p, fe);
	tv_set_str(w->page, "number_value", fe ? form_str(r, "number") : "");
	if (fe && fe->n) {
		put_errors(r, w, fe);
		status = 400;
	}
	put_done(r, w);
	page_render(r, w, status, "panel", p->name);
}

void web_panel_manage(req *r, struct web *w)
{
	struct panel p;
	bool manage = false;
	int rc = load(r, w, &p, &manage);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	manage_page(r, w, &p, manage, NULL, NULL);
}

void web_panel_compute(req *r, struct web *w)
{
	struct panel p;
	struct panel_compute_outcome co;
	struct audit_actor who = web_actor(r, w);
	int rc = load_managed(r, w, &p);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	memset(&co, 0, sizeof(co));
	rc = panel_compute(w->db, r->a, &who, p.id, &co);
	if (rc == DOMAIN_ECONFLICT && (co.infeasible || co.reason)) {
		if (panel_get(w->db, r->a, p.id, &p) == DOMAIN_OK)
			manage_page(r, w, &p, true, &co, NULL);
		return;
	}
	if (rc) {
		page_fail(r, w, rc == DOMAIN_ECONFLICT ? DOMAIN_EFORBIDDEN : rc);
		return;
	}
	redirect_done(r, &p, "/manage", "computed");
}

void web_panel_relax(req *r, struct web *w)
{
	struct panel p;
	struct audit_actor who = web_actor(r, w);
	int rc = load_managed(r, w, &p);
	if (!rc)
		rc = panel_relax_apply(w->db, r->a, &who, p.id);
	if (rc) {
		page_fail(r, w, rc == DOMAIN_ECONFLICT ? DOMAIN_EFORBIDDEN : rc);
		return;
	}
	redirect_done(r, &p, "/quotas", "relaxed");
}

static bool pool_has_duplicates(req *r, struct web *w, const struct panel *p)
{
	struct panel_duplicate_pair *pairs;
	size_t n = 0;
	return panel_pool_duplicate_pairs(w->db, r->a, p->id, &pairs, &n) == DOMAIN_OK && n > 0;
}

/* The answer to a form on the panel's page whose change returned RC: the page again
 * with FE's messages beside the fields, a refusal, or back to the page saying DONE. */
static void manage_form_done(req *r, struct web *w, const struct panel *p, int rc,
			     struct field_errors *fe, const char *done)
{
	if (rc == DOMAIN_EINVALID)
		manage_page(r, w, p, true, NULL, fe);
	else if (rc)
		page_fail(r, w, rc == DOMAIN_ECONFLICT ? DOMAIN_EFORBIDDEN : rc);
	else
		redirect_done(r, p, "/manage", done);
}

void web_panel_publish(req *r, struct web *w)
{
	struct panel p;
	struct audit_actor who = web_actor(r, w);
	struct panel_draw_plan plan = plan_from_form(r);
	struct field_errors fe;
	int rc = load_managed(r, w, &p);
	field_errors_init(&fe);
	if (!rc)
		rc = panel_publish(w->db, r->a, &who, p.id, &plan, &fe);
	if (rc == DOMAIN_ECONFLICT && p.status == PANEL_COMPUTED && pool_has_duplicates(r, w, &p)) {
		/* Refused while the pool holds possible duplicates: the page says who. */
		struct panel_compute_outcome co = {0};
		tv_set_str(w->page, "problem_title", "The lottery cannot be published yet");
		co.reason = "The lottery cannot be published while the pool may hold the same "
			    "person twice. Merge the records or take one out of the pool first.";
		manage_page(r, w, &p, true, &co, NULL);
		return;
	}
	manage_form_done(r, w, &p, rc, &fe, "published");
}

void web_panel_draw_plan(req *r, struct web *w)
{
	struct panel p;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	struct panel_draw_plan plan = plan_from_form(r);
	bool moved = false;
	int rc = load_managed(r, w, &p);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	field_errors_init(&fe);
	rc = panel_draw_plan_set(w->db, r->a, &who, p.id, &plan, &moved, &fe);
	manage_form_done(r, w, &p, rc, &fe, moved ? "moved" : "planned");
}

void web_panel_draw(req *r, struct web *w)
{
	struct panel p;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int rc = load_managed(r, w, &p);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	field_errors_init(&fe);
	rc = panel_draw(w->db, r->a, &who, p.id, form_str(r, "number"), &fe);
	manage_form_done(r, w, &p, rc, &fe, "drawn");
}

void web_panel_replace(req *r, struct web *w)
{
	struct panel p;
	struct panel_compute_outcome co;
	struct audit_actor who = web_actor(r, w);
	int chosen = 0, rc = load_managed(r, w, &p);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	memset(&co, 0, sizeof(co));
	rc = panel_replace(w->db, r->a, &who, p.id, &chosen, &co);
	if (rc == DOMAIN_ECONFLICT && (co.infeasible || co.reason)) {
		manage_page(r, w, &p, true, &co, NULL);
		return;
	}
	if (rc) {
		page_fail(r, w, rc == DOMAIN_ECONFLICT ? DOMAIN_EFORBIDDEN : rc);
		return;
	}
	redirect_done(r, &p, "/manage", "replaced");
}

/* --- The chart of everyone's chance ----------------------------------------------------- */

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

void web_panel_chart(req *r, struct web *w)
{
	struct panel p;
	struct panel_member *m;
	size_t n;
	int64_t *fair, *greedy, *equal;
	const char **labels;
	struct chart_series series[3];
	struct chart c;
	sbuf b;
	bool has_greedy = false;
	int rc = load(r, w, &p, NULL);
	if (!rc && p.min_ppb < 0)
		rc = DOMAIN_ENOTFOUND;
	if (!rc)
		rc = panel_pool_list(w->db, r->a, p.id, &m, &n);
	if (!rc && !n)
		rc = DOMAIN_ENOTFOUND;
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	fair = arena_calloc(r->a, n, sizeof(*fair));
	greedy = arena_calloc(r->a, n, sizeof(*greedy));
	equal = arena_calloc(r->a, n, sizeof(*equal));
	labels = arena_calloc(r->a, n, sizeof(*labels));
	if (!fair || !greedy || !equal || !labels) {
		page_fail(r, w, DB_ERR);
		return;
	}
	/* Each line from the smallest chance to the largest, as in the Nature paper. */
	for (size_t i = 0; i < n; i++) {
		fair[i] = m[i].prob_ppb < 0 ? 0 : m[i].prob_ppb / 1000;
		greedy[i] = m[i].legacy_ppb < 0 ? 0 : m[i].legacy_ppb / 1000;
		has_greedy = has_greedy || m[i].legacy_ppb >= 0;
		equal[i] = (int64_t)p.places * 1000000 / (int64_t)n;
		labels[i] = arena_printf(r->a, "%zu", i + 1);
	}
	qsort(fair, n, sizeof(*fair), cmp_i64);
	qsort(greedy, n, sizeof(*greedy), cmp_i64);
	/* Fair selection last, so its line is drawn on top where they meet. */
	series[0] = (struct chart_series){"Equal chances without quotas", equal, NULL};
	series[1] = (struct chart_series){"Greedy method", greedy, NULL};
	series[has_greedy ? 2 : 1] = (struct chart_series){"Fair selection (LEXIMIN)", fair, NULL};
	memset(&c, 0, sizeof(c));
	c.kind = CHART_LINES;
	c.unit = CHART_PERCENT;
	c.title = "Everyone's chance of being selected, smallest to largest";
	c.summary = chances_summary(r->a, &p);
	c.n_labels = n;
	c.labels = labels;
	c.n_series = has_greedy ? 3 : 2;
	c.series = series;
	sbuf_init(&b, r->a, CHART_SVG_MAX);
	if (chart_svg(&b, &c) != 0) {
		page_fail(r, w, DB_ERR);
		return;
	}
	resp_text(r, 200, CHART_SVG_TYPE, sbuf_sv(&b));
}

/* --- Exports ------------------------------------------------------------------------ */

static void send_csv(req *r, const char *filename, sbuf *b)
{
	resp_header(r, "Content-Disposition",
		    arena_printf(r->a, "attachment; filename=\"%s\"", filename));
	resp_header(r, "Cache-Control", "no-store");
	resp_text(r, 200, "text/csv; charset=utf-8", sbuf_sv(b));
}

void web_panel_categories_csv(req *r, struct web *w)
{
	struct panel p;
	sbuf b;
	int rc = load_managed(r, w, &p);
	sbuf_init(&b, r->a, CSV_EXPORT_MAX);
	if (!rc)
		rc = panel_export_categories(w->db, r->a, p.id, &b);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	send_csv(r, arena_printf(r->a, "panel-%" PRId64 "-categories.csv", p.id), &b);
}

void web_panel_respondents_csv(req *r, struct web *w)
{
	struct panel p;
	struct audit_actor who = web_actor(r, w);
	sbuf b;
	int rc = load_managed(r, w, &p);
	sbuf_init(&b, r->a, CSV_EXPORT_MAX);
	if (!rc)
		rc = panel_export_respondents(w->db, r->a, &who, p.id, &b);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	send_csv(r, arena_printf(r->a, "panel-%" PRId64 "-respondents.csv", p.id), &b);
}

/* --- The public page and the lottery ------------------------------------------------ */

/* A panel anyone may see: its lottery is published and its programme is public. */
static int load_public(req *r, struct web *w, struct panel *p)
{
	int64_t id = path_id(w);
	int rc;
	if (!id)
		return DOMAIN_ENOTFOUND;
	if ((rc = panel_get(w->db, r->a, id, p)))
		return rc;
	if (!p->programme_published || (p->status != PANEL_PUBLISHED && p->status != PANEL_DRAWN))
		return DOMAIN_ENOTFOUND;
	return DOMAIN_OK;
}

void web_panel_public(req *r, struct web *w)
{
	struct panel p;
	char *text;
	tval *chosen = tv_list(r->a);
	int rc = load_public(r, w, &p);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	if (p.status == PANEL_DRAWN && (rc = panel_lottery_text(w->db, r->a, p.id, &text)) == 0) {
		char prefix[32];
		sv rest = sv_from(text);
		int len = snprintf(prefix, sizeof(prefix), "%d: ", p.drawn_ticket);
		while (rest.ptr && rest.len) {
			sv line = sv_cut(rest, '\n', &rest);
			if (sv_starts_with(line, (sv){prefix, (size_t)len})) {
				sv ids = {line.ptr + len, line.len - (size_t)len};
				while (ids.ptr) {
					sv one = sv_cut(ids, ',', &ids);
					tv_push(chosen, tv_sv(r->a, one));
				}
				break;
			}
		}
	}
	tv_set(w->page, "panel", panel_value(r, &p));
	tv_set(w->page, "chosen", chosen);
	tv_set_bool(w->page, "manage", w->sess && who_access(w, p.programme_id) == ACCESS_MANAGE);
	page_render(r, w, 200, "panel_public", p.name);
}

/* "YYYY-MM-DDTHH:MM" plus MINUTES, across midnight if need be (arena-owned). */
static const char *later(arena *a, const char *at, int minutes)
{
	struct date day;
	int start;
	if (date_parse((sv){at, 10}, &day) != 0 || time_parse((sv){at + 11, 5}, &start) != 0)
		return NULL;
	start += minutes;
	day = date_add_days(day, start / (24 * 60));
	start %= 24 * 60;
	return arena_printf(a, "%04d-%02d-%02dT%02d:%02d", day.y, day.m, day.d, start / 60,
			    start % 60);
}

void web_panel_draw_ics(req *r, struct web *w)
{
	struct panel p;
	struct ics_event e;
	sbuf b;
	int rc = load_public(r, w, &p);
	if (!rc && (!p.draw_at || strlen(p.draw_at) != 16))
		rc = DOMAIN_ENOTFOUND;
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	memset(&e, 0, sizeof(e));
	e.uid = arena_printf(r->a, "panel-draw-%" PRId64 "@coprod", p.id);
	e.sequence = p.draw_sequence;
	e.stamp = (int64_t)time(NULL);
	e.starts_at = p.draw_at;
	e.ends_at = later(r->a, p.draw_at, DRAW_MINUTES);
	e.summary = arena_printf(r->a, "The draw for %s", p.name);
	e.description = arena_printf(
	    r->a, "Dice rolled in public choose one of the published tickets of %s (%s). "
		  "Anyone may come and watch.%s%s",
	    p.name, p.programme_name, p.draw_roller ? " Who will roll the dice: " : "",
	    p.draw_roller ? p.draw_roller : "");
	e.location = p.draw_place;
	e.url = p.draw_link;
	sbuf_init(&b, r->a, DRAW_ICS_MAX);
	ics_begin(&b, p.name);
	if (e.ends_at && e.uid && e.summary && e.description)
		ics_event(&b, &e);
	ics_end(&b);
	if (b.err || !e.ends_at) {
		page_error(r, w, 500);
		return;
	}
	resp_header(r, "Content-Disposition",
		    arena_printf(r->a, "attachment; filename=\"panel-%" PRId64 "-draw.ics\"", p.id));
	resp_text(r, 200, "text/calendar; charset=utf-8", sbuf_sv(&b));
}

void web_panel_lottery(req *r, struct web *w)
{
	struct panel p;
	char *text;
	int rc = load_public(r, w, &p);
	if (!rc)
		rc = panel_lottery_text(w->db, r->a, p.id, &text);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	resp_text(r, 200, "text/plain; charset=utf-8", sv_from(text));
}
