/* web_programmes.c: the programme pages (the journey at a glance, managing a programme,
 * its stages and its equality impact assessment) and the priority areas' statement
 * history; see web_programmes.h for the routes. */
#include "domain/power.h"
#include "domain/volunteers.h"
#include "web/web_panels.h"
#include "web/web_programmes.h"

#include <inttypes.h>
#include <string.h>

#include "core/date.h"
#include "domain/access.h"
#include "domain/priorities.h"
#include "domain/programmes.h"

/* --- Small helpers ------------------------------------------------------------------- */

/* "2021-12-07" as "7 December 2021"; "" for NULL or anything else. */
static const char *human_date(arena *a, const char *iso)
{
	struct date d;
	sbuf b;
	if (!iso || date_parse(sv_from(iso), &d) != 0)
		return "";
	sbuf_init(&b, a, 64);
	date_human(&b, d);
	return b.err ? "" : b.buf;
}

/* A pair of dates as a phrase: "7 December 2021 to 31 May 2022", "From ...", "Until
 * ...", or NULL when neither is set. */
static const char *date_range(arena *a, const char *from, const char *to)
{
	if (from && to)
		return arena_printf(a, "%s to %s", human_date(a, from), human_date(a, to));
	if (from)
		return arena_printf(a, "From %s", human_date(a, from));
	if (to)
		return arena_printf(a, "Until %s", human_date(a, to));
	return NULL;
}

/* True if the review date ISO ("YYYY-MM-DD") has passed. */
static bool review_overdue(const char *iso)
{
	struct date d;
	return iso && date_parse(sv_from(iso), &d) == 0 && date_cmp(d, date_today()) < 0;
}

static const char *status_class(enum stage_status s)
{
	return s == STAGE_DONE          ? "govuk-tag--green"
	       : s == STAGE_IN_PROGRESS ? "govuk-tag--light-blue"
	                                : "govuk-tag--grey";
}

/* Where a programme is, in words: "Stage 3 of 6: Local people develop ideas". */
static const char *stage_text(arena *a, const struct programme *p)
{
	if (p->current_stage)
		return arena_printf(a, "Stage %d of %d: %s", p->current_stage, PROGRAMME_STAGES,
		                    programme_stage_name(p->current_stage));
	if (p->all_done)
		return "All six stages done";
	for (int i = PROGRAMME_STAGES - 1; i >= 0; i--)
		if (p->stages[i].status == STAGE_DONE)
			return arena_printf(a, "Stage %d of %d done; stage %d not started yet",
			                    i + 1, PROGRAMME_STAGES, i + 2);
	return "Not started yet";
}

static tval *programme_value(req *r, const struct programme *p, bool manage)
{
	arena *a = r->a;
	tval *m = tv_map(a), *areas = tv_list(a), *stages = tv_list(a);
	tv_set_int(m, "id", p->id);
	tv_set_str(m, "slug", p->slug);
	tv_set_str(m, "name", p->name);
	tv_set_str(m, "summary", p->summary);
	tv_set_bool(m, "published", p->published);
	tv_set_str(m, "lead_name", p->lead_name);
	tv_set_str(m, "href", arena_printf(a, "/programmes/%s", p->slug));
	tv_set_str(m, "stage_text", stage_text(a, p));
	tv_set_int(m, "current_stage", p->current_stage);
	tv_set_int(m, "n_groups", p->n_groups);
	tv_set_int(m, "n_sessions", p->n_sessions);
	tv_set_str(m, "groups_text",
	           p->n_groups == 1 ? "1 group"
	                            : arena_printf(a, "%" PRId64 " groups", p->n_groups));
	tv_set_str(m, "sessions_text",
	           p->n_sessions == 1 ? "1 session"
	                              : arena_printf(a, "%" PRId64 " sessions", p->n_sessions));
	tv_set_str(m, "updated", human_date(a, arena_strndup(a, p->updated_at, 10)));
	for (size_t i = 0; i < p->n_areas; i++) {
		tval *ar = tv_map(a);
		tv_set_str(ar, "slug", p->areas[i].slug);
		tv_set_str(ar, "name", p->areas[i].name);
		tv_set_bool(ar, "last", i + 1 == p->n_areas);
		tv_push(areas, ar);
	}
	tv_set(m, "areas", areas);
	for (int i = 0; i < PROGRAMME_STAGES; i++) {
		const struct programme_stage *st = &p->stages[i];
		tval *s = tv_map(a);
		tv_set_int(s, "number", st->stage);
		tv_set_str(s, "name", programme_stage_name(st->stage));
		tv_set_str(s, "status_label", stage_status_label(st->status));
		tv_set_str(s, "status_class", status_class(st->status));
		tv_set_bool(s, "current", st->stage == p->current_stage);
		tv_set_str(s, "planned", date_range(a, st->planned_start, st->planned_end));
		tv_set_str(s, "actual", date_range(a, st->actual_start, st->actual_end));
		tv_set_str(s, "success", st->success);
		if (manage)
			tv_set_str(s, "edit_href",
			           arena_printf(a, "/programmes/%s/stages/%d", p->slug, st->stage));
		tv_push(stages, s);
	}
	tv_set(m, "stages", stages);
	return m;
}

/* The programme named by the path's :slug, for someone who may see it (else
 * DOMAIN_ENOTFOUND). *ACCESS gets their enum access. */
static int load_programme(req *r, struct web *w, struct programme *p, int *access)
{
	char *slug = sv_dup(r->a, web_param(w, "slug"));
	int rc;
	if (!slug)
		return DB_ERR;
	rc = programme_get_by_slug(w->db, r->a, slug, p);
	if (rc)
		return rc;
	rc = access_programme(w->db, w->sess ? w->sess->account_id : 0,
	                      w->sess ? w->sess->role : ROLE_NONE, p->id);
	if (rc < 0)
		return rc;
	if (rc == ACCESS_NONE)
		return DOMAIN_ENOTFOUND;
	*access = rc;
	return DOMAIN_OK;
}

/* As load_programme, for the management pages: only someone who manages it. */
static int load_managed(req *r, struct web *w, struct programme *p)
{
	int access = ACCESS_NONE, rc = load_programme(r, w, p, &access);
	if (!rc && access != ACCESS_MANAGE)
		rc = DOMAIN_EFORBIDDEN;
	return rc;
}

struct done_message {
	const char *key, *message;
};

static void put_done(req *r, struct web *w, const struct done_message *table)
{
	sv done = kv_get(&r->query, "done");
	for (; done.ptr && table->key; table++)
		if (sv_eq_cstr(done, table->key)) {
			page_notice(w, table->message);
			return;
		}
}

/* A text area for templates/programme_textarea.html. */
static tval *textarea(req *r, const char *name, const char *label, const char *hint,
                      const char *value, const struct field_errors *fe, int rows)
{
	tval *m = tv_map(r->a);
	tv_set_str(m, "id", name);
	tv_set_str(m, "label", label);
	tv_set_str(m, "hint", hint);
	tv_set_str(m, "value", value);
	tv_set_str(m, "error", field_error_get(fe, name));
	tv_set_int(m, "rows", rows);
	return m;
}

/* A GOV.UK date input for templates/date_input.html: the parts as typed (on a
 * POST) or from ISO ("YYYY-MM-DD", may be NULL). */
static tval *date_input(req *r, const char *name, const char *legend, const char *hint,
                        const char *iso, const struct field_errors *fe)
{
	tval *m = tv_map(r->a);
	const char *err = field_error_get(fe, name);
	tv_set_str(m, "id", name);
	tv_set_str(m, "legend", legend);
	tv_set_str(m, "hint", hint);
	tv_set_str(m, "error", err);
	if (r->method == HTTP_POST) {
		tv_set_sv(m, "day", kv_get(&r->form, arena_printf(r->a, "%s-day", name)));
		tv_set_sv(m, "month", kv_get(&r->form, arena_printf(r->a, "%s-month", name)));
		tv_set_sv(m, "year", kv_get(&r->form, arena_printf(r->a, "%s-year", name)));
	} else if (iso && strlen(iso) == 10) {
		struct date d;
		if (date_parse(sv_from(iso), &d) == 0) {
			tv_set_str(m, "day", arena_printf(r->a, "%d", d.d));
			tv_set_str(m, "month", arena_printf(r->a, "%d", d.m));
			tv_set_str(m, "year", arena_printf(r->a, "%d", d.y));
		}
	}
	return m;
}

static struct date_fields date_from_form(req *r, const char *name)
{
	struct date_fields f;
	f.day = kv_get(&r->form, arena_printf(r->a, "%s-day", name));
	f.month = kv_get(&r->form, arena_printf(r->a, "%s-month", name));
	f.year = kv_get(&r->form, arena_printf(r->a, "%s-year", name));
	return f;
}

/* --- The list and one programme -------------------------------------------------------- */

void web_programmes(req *r, struct web *w)
{
	struct programme_filter f = {.published_only = !w->sess};
	struct programme *items;
	size_t n;
	tval *list = tv_list(r->a);
	bool lead = web_has_role(w, ROLE_PROGRAMME_LEAD);
	int rc = programmes_list(w->db, r->a, &f, &items, &n);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (w->sess && !lead && !items[i].published) {
			int access = access_programme(w->db, w->sess->account_id, w->sess->role,
			                              items[i].id);
			if (access < 0) {
				page_fail(r, w, access);
				return;
			}
			if (access == ACCESS_NONE)
				continue;
		}
		tv_push(list, programme_value(r, &items[i], false));
	}
	tv_set(w->page, "programmes", list);
	tv_set_bool(w->page, "can_create", lead);
	page_render(r, w, 200, "programmes", "Programmes");
}

void web_programme(req *r, struct web *w)
{
	static const struct done_message done[] = {
	    {"created", "The programme has been created."},
	    {"saved", "Your changes have been saved."},
	    {"stage", "The stage has been saved."},
	    {"equality", "The equality impact assessment has been saved."},
	    {NULL, NULL},
	};
	struct programme p;
	struct programme_eia eia;
	int access = ACCESS_NONE, rc = load_programme(r, w, &p, &access);
	bool manage;
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	manage = access == ACCESS_MANAGE && web_has_role(w, ROLE_PROGRAMME_LEAD);
	tv_set(w->page, "programme", programme_value(r, &p, manage));
	tv_set_bool(w->page, "manage", manage);
	tv_set_bool(w->page, "signed_in", w->sess != NULL);
	tv_set_bool(w->page, "taking_part", p.published);
	programme_panels(r, w, p.id);
	if (w->sess) {
		unsigned role = (unsigned)w->sess->role;
		/* The staff links only where every one of them will open: leads, and the
		 * facilitators of one of the programme's groups. */
		bool staff = (role & (ROLE_FACILITATOR | ROLE_PROGRAMME_LEAD)) != 0 &&
			     volunteer_can_manage(w->db, w->sess->account_id, w->sess->role,
						  p.id) == 1;
		tv_set_bool(w->page, "staff", staff);
		tv_set_bool(w->page, "lead", staff && role == ROLE_PROGRAMME_LEAD);
		tv_set_bool(w->page, "board_member", role == ROLE_BOARD_MEMBER);
	}
	if (w->sess) {
		int64_t pid;
		char *pname;
		/* The balance of power is shown to the programme's members and leads. */
		tv_set_bool(w->page, "show_power",
			    power_programme_find(w->db, r->a, w->sess->account_id, w->sess->role,
						 sv_from(p.slug), &pid, &pname) == DOMAIN_OK);
		rc = programme_eia_get(w->db, r->a, p.id, &eia);
		if (rc == DOMAIN_OK) {
			tval *e = tv_map(r->a);
			tv_set_str(e, "who_affected", eia.who_affected);
			tv_set_str(e, "how_affected", eia.how_affected);
			tv_set_str(e, "mitigations", eia.mitigations);
			tv_set_str(e, "reviewer_name", eia.reviewer_name);
			tv_set_str(e, "assessed_on", human_date(r->a, eia.assessed_on));
			tv_set_str(e, "review_on", human_date(r->a, eia.review_on));
			tv_set_bool(e, "review_overdue", review_overdue(eia.review_on));
			tv_set(w->page, "eia", e);
		} else if (rc != DOMAIN_ENOTFOUND) {
			page_fail(r, w, rc);
			return;
		}
	}
	put_done(r, w, done);
	page_render(r, w, 200, "programme", p.name);
}

/* --- Creating and changing a programme ------------------------------------------------ */

static const struct field_spec programme_fields[] = {
    {"name_field", "name", "Name", "For example, Young adults co-production", NULL, "off", true},
    {"slug_field", "slug", "Web address name",
     "Lower case letters, numbers and hyphens, like young-adults. It becomes part of the "
     "programme’s web address.",
     NULL, "off", true},
    {NULL, NULL, NULL, NULL, NULL, NULL, false},
};

static const char *const programme_form_fields[] = {"name",    "slug",      "summary", "areas",
                                                    "lead_id", "published", NULL};

static bool id_in(int64_t id, const int64_t *ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* Fills the programme form: P (NULL for a new one) gives the values before anything is
 * typed. */
static int put_programme_form(req *r, struct web *w, const struct programme *p,
                              struct field_errors *fe)
{
	struct priority_area *areas;
	struct programme_lead_option *leads;
	size_t n_areas, n_leads;
	tval *defaults = tv_map(r->a), *area_opts = tv_list(r->a), *lead_opts = tv_list(r->a);
	tval *none = tv_map(r->a);
	int64_t *chosen = NULL, lead = 0;
	size_t n_chosen = 0;
	bool post = r->method == HTTP_POST, published = true;
	int rc = priorities_list(w->db, r->a, &areas, &n_areas);
	if (!rc)
		rc = programme_lead_options(w->db, r->a, &leads, &n_leads);
	if (rc)
		return rc;

	if (post) {
		chosen = arena_calloc(r->a, r->form.n + 1, sizeof(*chosen));
		if (!chosen)
			return DB_ERR;
		for (size_t i = 0; i < r->form.n; i++) {
			int64_t id;
			if (sv_eq_cstr(r->form.items[i].key, "areas") &&
			    sv_to_i64(r->form.items[i].val, &id) == 0)
				chosen[n_chosen++] = id;
		}
		sv_to_i64(kv_get(&r->form, "lead_id"), &lead);
		published = sv_eq_cstr(kv_get(&r->form, "published"), "yes");
	} else if (p) {
		chosen = arena_calloc(r->a, p->n_areas + 1, sizeof(*chosen));
		if (!chosen)
			return DB_ERR;
		for (size_t i = 0; i < p->n_areas; i++)
			chosen[n_chosen++] = p->areas[i].id;
		lead = p->lead_id;
		published = p->published;
		tv_set_str(defaults, "name", p->name);
		tv_set_str(defaults, "slug", p->slug);
	} else if (w->sess) {
		lead = w->sess->account_id; /* whoever creates one usually leads it */
	}

	page_form_errors(r, w, fe, programme_form_fields);
	page_form(r, w, programme_fields, fe, defaults);
	tv_set(w->page, "summary_field",
	       textarea(r, "summary", "Summary",
	                "What the programme is for and who takes part, in plain English. "
	                "Everyone can read it when the programme is published.",
	                post ? sv_dup(r->a, kv_get(&r->form, "summary"))
	                : p  ? p->summary
	                     : "",
	                fe, 5));
	for (size_t i = 0; i < n_areas; i++) {
		tval *o = tv_map(r->a);
		tv_set_str(o, "id", i == 0 ? "areas" : arena_printf(r->a, "areas-%zu", i + 1));
		tv_set_str(o, "value", arena_printf(r->a, "%" PRId64, areas[i].id));
		tv_set_str(o, "label", areas[i].name);
		tv_set_bool(o, "checked", id_in(areas[i].id, chosen, n_chosen));
		tv_push(area_opts, o);
	}
	tv_set(w->page, "area_options", area_opts);
	tv_set_str(none, "value", "");
	tv_set_str(none, "label", "No lead yet");
	tv_set_bool(none, "selected", lead == 0);
	tv_push(lead_opts, none);
	for (size_t i = 0; i < n_leads; i++) {
		tval *o = tv_map(r->a);
		tv_set_str(o, "value", arena_printf(r->a, "%" PRId64, leads[i].id));
		tv_set_str(o, "label",
		           arena_printf(r->a, "%s (%s)", leads[i].name, leads[i].role_label));
		tv_set_bool(o, "selected", leads[i].id == lead);
		tv_push(lead_opts, o);
	}
	tv_set(w->page, "lead_options", lead_opts);
	tv_set_bool(w->page, "published", published);
	return DOMAIN_OK;
}

/* Reads the programme form into IN (arrays in the request's arena). */
static int read_programme_form(req *r, struct programme_input *in)
{
	int64_t *ids = arena_calloc(r->a, r->form.n + 1, sizeof(*ids));
	size_t n = 0;
	sv lead = sv_trim(kv_get(&r->form, "lead_id"));
	if (!ids)
		return DB_ERR;
	memset(in, 0, sizeof(*in));
	in->slug = kv_get(&r->form, "slug");
	in->name = kv_get(&r->form, "name");
	in->summary = kv_get(&r->form, "summary");
	for (size_t i = 0; i < r->form.n; i++) {
		int64_t id;
		if (!sv_eq_cstr(r->form.items[i].key, "areas"))
			continue;
		ids[n++] = sv_to_i64(r->form.items[i].val, &id) == 0 && id > 0 ? id : -1;
	}
	in->area_ids = ids;
	in->n_areas = n;
	if (lead.len) {
		int64_t id;
		in->lead_id = sv_to_i64(lead, &id) == 0 && id > 0 ? id : -1;
	}
	in->published = sv_eq_cstr(kv_get(&r->form, "published"), "yes");
	return DOMAIN_OK;
}

static void render_programme_form(req *r, struct web *w, const struct programme *p,
                                  struct field_errors *fe, int status)
{
	int rc = put_programme_form(r, w, p, fe);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	if (p) {
		tv_set(w->page, "programme", programme_value(r, p, false));
		tv_set_str(w->page, "action", arena_printf(r->a, "/programmes/%s/edit", p->slug));
	} else {
		tv_set_str(w->page, "action", "/programmes/new");
	}
	page_render(r, w, status, "programme_form", p ? "Change the programme" : "New programme");
}

void web_programme_new(req *r, struct web *w)
{
	render_programme_form(r, w, NULL, NULL, 200);
}

void web_programme_create(req *r, struct web *w)
{
	struct programme_input in;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int64_t id = 0;
	int rc = read_programme_form(r, &in);
	field_errors_init(&fe);
	if (!rc)
		rc = programme_create(w->db, r->a, &who, &in, &fe, &id);
	if (rc == DOMAIN_EINVALID) {
		render_programme_form(r, w, NULL, &fe, 400);
		return;
	}
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(
	    r, arena_printf(r->a, "/programmes/%s?done=created", sv_dup(r->a, sv_trim(in.slug))));
}

void web_programme_edit(req *r, struct web *w)
{
	struct programme p;
	int rc = load_managed(r, w, &p);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	render_programme_form(r, w, &p, NULL, 200);
}

void web_programme_update(req *r, struct web *w)
{
	struct programme p;
	struct programme_input in;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int rc = load_managed(r, w, &p);
	field_errors_init(&fe);
	if (!rc)
		rc = read_programme_form(r, &in);
	if (!rc)
		rc = programme_update(w->db, r->a, &who, p.id, &in, &fe);
	if (rc == DOMAIN_EINVALID) {
		render_programme_form(r, w, &p, &fe, 400);
		return;
	}
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(
	    r, arena_printf(r->a, "/programmes/%s?done=saved", sv_dup(r->a, sv_trim(in.slug))));
}

/* --- One stage ---------------------------------------------------------------------- */

static int path_stage(const struct web *w)
{
	int64_t n;
	if (sv_to_i64(web_param(w, "stage"), &n) != 0 || n < 1 || n > PROGRAMME_STAGES)
		return 0;
	return (int)n;
}

static const char *const stage_form_fields[] = {
    "status", "planned_start", "planned_end", "actual_start", "actual_end", "success", NULL};

static void render_stage_form(req *r, struct web *w, const struct programme *p, int stage,
                              const struct field_errors *fe, int status)
{
	const struct programme_stage *st = &p->stages[stage - 1];
	tval *options = tv_list(r->a);
	sv typed = kv_get(&r->form, "status");
	const char *chosen =
	    r->method == HTTP_POST ? sv_dup(r->a, typed) : stage_status_slug(st->status);
	page_form_errors(r, w, fe, stage_form_fields);
	for (int s = STAGE_NOT_STARTED; s <= STAGE_DONE; s++) {
		tval *o = tv_map(r->a);
		tv_set_str(o, "id", s == 0 ? "status" : arena_printf(r->a, "status-%d", s + 1));
		tv_set_str(o, "value", stage_status_slug((enum stage_status)s));
		tv_set_str(o, "label", stage_status_label((enum stage_status)s));
		tv_set_bool(o, "checked", chosen && strcmp(chosen, stage_status_slug(s)) == 0);
		tv_push(options, o);
	}
	tv_set(w->page, "status_options", options);
	tv_set(w->page, "planned_start",
	       date_input(r, "planned_start", "Planned start", "For example, 7 12 2021",
	                  st->planned_start, fe));
	tv_set(w->page, "planned_end",
	       date_input(r, "planned_end", "Planned end", "For example, 31 5 2022",
	                  st->planned_end, fe));
	tv_set(w->page, "actual_start",
	       date_input(r, "actual_start", "Date it started",
	                  "Leave empty if it has not started yet", st->actual_start, fe));
	tv_set(w->page, "actual_end",
	       date_input(r, "actual_end", "Date it finished",
	                  "Leave empty until the stage is done", st->actual_end, fe));
	tv_set(w->page, "success_field",
	       textarea(r, "success", "What would success look like at this stage?",
	                "One or two sentences, for example “Decision-makers change their "
	                "language and show more flexibility”.",
	                r->method == HTTP_POST ? sv_dup(r->a, kv_get(&r->form, "success"))
	                                       : st->success,
	                fe, 3));
	tv_set(w->page, "programme", programme_value(r, p, false));
	tv_set_int(w->page, "stage_number", stage);
	tv_set_str(w->page, "stage_name", programme_stage_name(stage));
	tv_set_str(w->page, "action",
	           arena_printf(r->a, "/programmes/%s/stages/%d", p->slug, stage));
	page_render(r, w, status, "programme_stage",
	            arena_printf(r->a, "Stage %d: %s", stage, programme_stage_name(stage)));
}

void web_programme_stage_form(req *r, struct web *w)
{
	struct programme p;
	int stage = path_stage(w), rc = stage ? load_managed(r, w, &p) : DOMAIN_ENOTFOUND;
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	render_stage_form(r, w, &p, stage, NULL, 200);
}

void web_programme_stage_save(req *r, struct web *w)
{
	struct programme p;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	struct stage_input in;
	int stage = path_stage(w), rc = stage ? load_managed(r, w, &p) : DOMAIN_ENOTFOUND;
	field_errors_init(&fe);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	in.status = kv_get(&r->form, "status");
	in.planned_start = date_from_form(r, "planned_start");
	in.planned_end = date_from_form(r, "planned_end");
	in.actual_start = date_from_form(r, "actual_start");
	in.actual_end = date_from_form(r, "actual_end");
	in.success = kv_get(&r->form, "success");
	rc = programme_stage_save(w->db, r->a, &who, p.id, stage, &in, &fe);
	if (rc == DOMAIN_EINVALID) {
		render_stage_form(r, w, &p, stage, &fe, 400);
		return;
	}
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/programmes/%s?done=stage#stage-%d", p.slug, stage));
}

/* --- Equality impact assessment ------------------------------------------------------- */

static const struct field_spec eia_fields[] = {
    {"reviewer_field", "reviewer_name", "Who reviewed it",
     "The name of the person who checked this assessment", NULL, "off", true},
    {NULL, NULL, NULL, NULL, NULL, NULL, false},
};

static const char *const eia_form_fields[] = {
    "who_affected", "how_affected", "mitigations", "reviewer_name",
    "assessed_on",  "review_on",    NULL};

static void render_eia_form(req *r, struct web *w, const struct programme *p,
                            const struct field_errors *fe, int status)
{
	struct programme_eia eia;
	tval *defaults = tv_map(r->a);
	bool post = r->method == HTTP_POST;
	int rc = programme_eia_get(w->db, r->a, p->id, &eia);
	if (rc && rc != DOMAIN_ENOTFOUND) {
		page_fail(r, w, rc);
		return;
	}
	if (rc == DOMAIN_ENOTFOUND)
		memset(&eia, 0, sizeof(eia));
	if (eia.reviewer_name)
		tv_set_str(defaults, "reviewer_name", eia.reviewer_name);
	page_form_errors(r, w, fe, eia_form_fields);
	page_form(r, w, eia_fields, fe, defaults);
	tv_set(w->page, "who_field",
	       textarea(r, "who_affected", "Who might be affected",
	                "Think about age, disability, race, religion, sex, sexual orientation, "
	                "gender reassignment, pregnancy, marriage, carers and people on low "
	                "incomes. Who are we leaving out?",
	                post ? sv_dup(r->a, kv_get(&r->form, "who_affected")) : eia.who_affected,
	                fe, 5));
	tv_set(w->page, "how_field",
	       textarea(r, "how_affected", "How they might be affected", NULL,
	                post ? sv_dup(r->a, kv_get(&r->form, "how_affected")) : eia.how_affected,
	                fe, 5));
	tv_set(w->page, "mitigations_field",
	       textarea(r, "mitigations", "What we will do about it",
	                "The changes and support that reduce any harm or barrier",
	                post ? sv_dup(r->a, kv_get(&r->form, "mitigations")) : eia.mitigations, fe,
	                5));
	tv_set(w->page, "assessed_on",
	       date_input(r, "assessed_on", "Date of the assessment", "For example, 15 10 2021",
	                  eia.assessed_on, fe));
	tv_set(w->page, "review_on",
	       date_input(r, "review_on", "Date of the next review", "For example, 15 10 2022",
	                  eia.review_on, fe));
	tv_set(w->page, "programme", programme_value(r, p, false));
	tv_set_bool(w->page, "exists", eia.who_affected != NULL);
	page_render(r, w, status, "programme_equality", "Equality impact assessment");
}

void web_programme_eia_form(req *r, struct web *w)
{
	struct programme p;
	int rc = load_managed(r, w, &p);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	render_eia_form(r, w, &p, NULL, 200);
}

void web_programme_eia_save(req *r, struct web *w)
{
	struct programme p;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	struct eia_input in;
	int rc = load_managed(r, w, &p);
	field_errors_init(&fe);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	in.who_affected = kv_get(&r->form, "who_affected");
	in.how_affected = kv_get(&r->form, "how_affected");
	in.mitigations = kv_get(&r->form, "mitigations");
	in.reviewer_name = kv_get(&r->form, "reviewer_name");
	in.assessed_on = date_from_form(r, "assessed_on");
	in.review_on = date_from_form(r, "review_on");
	rc = programme_eia_save(w->db, r->a, &who, p.id, &in, &fe);
	if (rc == DOMAIN_EINVALID) {
		render_eia_form(r, w, &p, &fe, 400);
		return;
	}
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/programmes/%s?done=equality#equality", p.slug));
}

/* --- Priority areas: the statement and its history ----------------------------------- */

static int load_area(req *r, struct web *w, struct priority_area *p)
{
	char *slug = sv_dup(r->a, web_param(w, "slug"));
	int rc;
	if (!slug || !priorities_slug_valid(slug))
		return DOMAIN_ENOTFOUND;
	rc = priorities_get_by_slug(w->db, r->a, slug, p);
	return rc == DB_DONE ? DOMAIN_ENOTFOUND : rc;
}

static tval *area_value(req *r, const struct priority_area *p)
{
	tval *m = tv_map(r->a);
	tv_set_str(m, "slug", p->slug);
	tv_set_str(m, "name", p->name);
	tv_set_str(m, "reframed_statement", p->reframed_statement);
	tv_set_str(m, "original_framing", p->original_framing);
	return m;
}

void web_priority_history(req *r, struct web *w)
{
	static const struct done_message done[] = {
	    {"saved", "The statement has been changed. The earlier one is kept below."},
	    {NULL, NULL},
	};
	struct priority_area p;
	struct priority_statement_change *changes;
	size_t n;
	tval *list = tv_list(r->a);
	int rc = load_area(r, w, &p);
	if (!rc)
		rc = priorities_statement_history(w->db, r->a, p.id, &changes, &n);
	if (!rc)
		rc = web_programmes_put_for_area(r, w, p.id);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		tval *c = tv_map(r->a);
		tv_set_str(c, "statement", changes[i].statement);
		tv_set_str(c, "replaced_on",
		           human_date(r->a, arena_strndup(r->a, changes[i].changed_at, 10)));
		if (w->sess)
			tv_set_str(c, "changed_by", changes[i].changed_by_name);
		tv_push(list, c);
	}
	tv_set(w->page, "area", area_value(r, &p));
	tv_set(w->page, "changes", list);
	tv_set_bool(w->page, "can_edit", web_has_role(w, ROLE_PROGRAMME_LEAD));
	put_done(r, w, done);
	page_render(r, w, 200, "priority_history",
	            arena_printf(r->a, "How the statement for %s has changed", p.name));
}

static void render_priority_edit(req *r, struct web *w, const struct priority_area *p,
                                 const struct field_errors *fe, int status)
{
	static const char *const fields[] = {"reframed_statement", NULL};
	page_form_errors(r, w, fe, fields);
	tv_set(w->page, "area", area_value(r, p));
	tv_set(w->page, "statement_field",
	       textarea(r, "reframed_statement", "Positive statement",
	                "What we want to achieve, in words local people agreed. The current "
	                "statement is kept in the history when you change it.",
	                r->method == HTTP_POST
	                    ? sv_dup(r->a, kv_get(&r->form, "reframed_statement"))
	                    : p->reframed_statement,
	                fe, 4));
	page_render(r, w, status, "priority_edit",
	            arena_printf(r->a, "Change the statement for %s", p->name));
}

void web_priority_edit_form(req *r, struct web *w)
{
	struct priority_area p;
	int rc = load_area(r, w, &p);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	render_priority_edit(r, w, &p, NULL, 200);
}

void web_priority_edit(req *r, struct web *w)
{
	struct priority_area p;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int rc = load_area(r, w, &p);
	field_errors_init(&fe);
	if (!rc)
		rc = priorities_statement_update(w->db, r->a, &who, p.id,
		                                 kv_get(&r->form, "reframed_statement"), &fe);
	if (rc == DOMAIN_EINVALID) {
		render_priority_edit(r, w, &p, &fe, 400);
		return;
	}
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/priorities/%s/history?done=saved", p.slug));
}

/* --- For other pages ------------------------------------------------------------------ */

int web_programmes_put_for_area(req *r, struct web *w, int64_t area_id)
{
	struct programme_filter f = {.published_only = true, .area_id = area_id};
	struct programme *items;
	size_t n;
	tval *list = tv_list(r->a);
	int rc = programmes_list(w->db, r->a, &f, &items, &n);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++)
		tv_push(list, programme_value(r, &items[i], false));
	tv_set(w->page, "area_programmes", list);
	tv_set_bool(w->page, "has_area_programmes", n > 0);
	return DOMAIN_OK;
}

void home_programmes(req *r, struct web *w)
{
	struct programme_filter f = {0};
	struct programme *items;
	size_t n;
	tval *m, *list;
	if (!web_has_role(w, ROLE_PROGRAMME_LEAD))
		return;
	f.lead_id = w->sess->account_id;
	if (programmes_list(w->db, r->a, &f, &items, &n) != DOMAIN_OK)
		return; /* the rest of the home page still helps; the error is logged */
	m = tv_map(r->a);
	list = tv_list(r->a);
	for (size_t i = 0; i < n; i++)
		tv_push(list, programme_value(r, &items[i], false));
	tv_set(m, "programmes", list);
	tv_set_bool(m, "has_programmes", n > 0);
	tv_set(w->page, "home_programmes", m);
}
