/* web_returns.c: organisations' half-yearly co-production returns: Board members file
 * their organisation's, programme leads see who has and has not; and the Board's part of
 * the signed-in home page. */
#include <inttypes.h>
#include <string.h>

#include "domain/board.h"
#include "domain/returns.h"
#include "web/web_board.h"

/* Half years offered on the form: the current one and the ones before it. */
#define RETURN_PERIODS_OFFERED 4
/* Half years a programme lead can look back over. */
#define RETURN_PERIODS_SHOWN 8

/* The half year organisations should be reporting on now: the one that last ended. */
static void due_period(char out[RETURN_PERIOD_LEN])
{
	char current[RETURN_PERIOD_LEN];
	return_period_of(date_today(), current);
	return_period_before(current, out);
}

static const char *when_filed(req *r, const char *iso)
{
	struct date d;
	if (!iso || strlen(iso) < 10 || date_parse((sv){iso, 10}, &d) != 0)
		return "";
	return board_date_text(r->a, d);
}

static tval *return_value(req *r, const struct org_return *x)
{
	tval *v = tv_map(r->a);
	tv_set_int(v, "id", x->id);
	tv_set_str(v, "href", arena_printf(r->a, "/returns/%" PRId64, x->id));
	tv_set_str(v, "organisation", x->organisation_name);
	tv_set_str(v, "period", return_period_label(r->a, sv_from(x->period)));
	tv_set_str(v, "rung", ladder_rung_label(x->rung));
	tv_set_str(v, "rung_meaning", ladder_rung_meaning(x->rung));
	tv_set_str(v, "what_done", x->what_done);
	tv_set_str(v, "what_changed", x->what_changed);
	tv_set_str(v, "filed_by", x->filed_by_name);
	tv_set_str(v, "filed_on", when_filed(r, x->filed_at));
	return v;
}

/* The signed-in person's organisation (0 for none). */
static int own_organisation(req *r, struct web *w, int64_t *org, char **name)
{
	struct account acc;
	int rc = account_get(w->db, r->a, w->sess->account_id, &acc);
	if (rc != DOMAIN_OK)
		return rc;
	*org = acc.organisation_id;
	if (name)
		*name = acc.organisation_name;
	return DOMAIN_OK;
}

/* --- The list -------------------------------------------------------------------------- */

static void returns_for_board_member(req *r, struct web *w)
{
	static const char *const done[] = {"filed", "Return filed. Thank you.", NULL, NULL};
	struct org_return *items;
	size_t n = 0;
	int64_t org = 0;
	char *org_name = NULL;
	tval *list = tv_list(r->a);
	int rc = own_organisation(r, w, &org, &org_name);
	if (rc == DOMAIN_OK && org)
		rc = returns_for_organisation(w->db, r->a, org, &items, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++)
		tv_push(list, return_value(r, &items[i]));
	tv_set_bool(w->page, "is_board_member", true);
	tv_set_bool(w->page, "has_organisation", org > 0);
	tv_set_str(w->page, "organisation", org_name);
	tv_set(w->page, "returns", list);
	tv_set_bool(w->page, "has_returns", n > 0);
	board_put_done(r, w, done);
	page_render(r, w, 200, "returns", "Co-production returns");
}

static void returns_for_lead(req *r, struct web *w)
{
	struct return_status *rows;
	size_t n;
	char period[RETURN_PERIOD_LEN], p[RETURN_PERIOD_LEN];
	sv asked = kv_get(&r->query, "period");
	tval *list = tv_list(r->a), *periods = tv_list(r->a);
	size_t filed = 0;
	int rc;

	due_period(period);
	if (asked.ptr) {
		if (!return_period_valid(asked)) {
			page_error(r, w, 404);
			return;
		}
		snprintf(period, sizeof(period), "%.7s", asked.ptr);
	}
	rc = returns_status(w->db, r->a, period, &rows, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		tval *v = tv_map(r->a);
		tv_set_str(v, "organisation", rows[i].organisation_name);
		tv_set_int(v, "board_members", (int64_t)rows[i].n_board_members);
		tv_set_bool(v, "filed", rows[i].return_id > 0);
		if (rows[i].return_id) {
			filed++;
			tv_set_str(v, "href", arena_printf(r->a, "/returns/%" PRId64, rows[i].return_id));
			tv_set_str(v, "filed_on", when_filed(r, rows[i].filed_at));
			tv_set_str(v, "rung", ladder_rung_label(rows[i].rung));
		}
		tv_push(list, v);
	}
	/* Links to the other half years, latest first. */
	return_period_of(date_today(), p);
	for (int i = 0; i < RETURN_PERIODS_SHOWN; i++) {
		tval *v = tv_map(r->a);
		tv_set_str(v, "label", return_period_label(r->a, sv_from(p)));
		tv_set_str(v, "href", arena_printf(r->a, "/returns?period=%s", p));
		tv_set_bool(v, "current", strcmp(p, period) == 0);
		tv_push(periods, v);
		return_period_before(p, p);
	}
	tv_set_bool(w->page, "is_lead", true);
	tv_set_str(w->page, "period", return_period_label(r->a, sv_from(period)));
	tv_set(w->page, "rows", list);
	tv_set_bool(w->page, "has_rows", n > 0);
	tv_set_str(w->page, "filed_text",
		   arena_printf(r->a, "%zu of %zu organisations with Board members have filed", filed,
				n));
	tv_set(w->page, "periods", periods);
	page_render(r, w, 200, "returns", "Co-production returns");
}

void web_returns(req *r, struct web *w)
{
	if (web_has_role(w, ROLE_PROGRAMME_LEAD))
		returns_for_lead(r, w);
	else
		returns_for_board_member(r, w);
}

/* --- Filing ---------------------------------------------------------------------------- */

static const char *const return_fields[] = {"period", "what_done", "rung", "what_changed", NULL};

static void return_form(req *r, struct web *w, const char *org_name, int status,
			struct field_errors *fe)
{
	tval *periods = tv_list(r->a), *rungs = tv_list(r->a);
	sv chosen_period = kv_get(&r->form, "period");
	enum ladder_rung chosen_rung = ladder_rung_parse(kv_get(&r->form, "rung"));
	char p[RETURN_PERIOD_LEN];

	return_period_of(date_today(), p);
	for (int i = 0; i < RETURN_PERIODS_OFFERED; i++) {
		tval *o = tv_map(r->a);
		tv_set_str(o, "id", i == 0 ? "period" : arena_printf(r->a, "period-%s", p));
		tv_set_str(o, "value", arena_strdup(r->a, p));
		tv_set_str(o, "label", return_period_label(r->a, sv_from(p)));
		tv_set_bool(o, "checked", sv_eq_cstr(chosen_period, p));
		tv_push(periods, o);
		return_period_before(p, p);
	}
	/* The ladder from the top rung down: the one to aim for comes first. */
	for (int i = LADDER_RUNGS - 1; i >= 0; i--) {
		tval *o = tv_map(r->a);
		const char *slug = ladder_rung_slug((enum ladder_rung)i);
		tv_set_str(o, "id", i == LADDER_RUNGS - 1 ? "rung" : arena_printf(r->a, "rung-%s", slug));
		tv_set_str(o, "value", slug);
		tv_set_str(o, "label", ladder_rung_label((enum ladder_rung)i));
		tv_set_str(o, "hint", ladder_rung_meaning((enum ladder_rung)i));
		tv_set_bool(o, "checked", chosen_rung == (enum ladder_rung)i);
		tv_push(rungs, o);
	}
	page_form_errors(r, w, fe, return_fields);
	tv_set(w->page, "periods", periods);
	tv_set(w->page, "rungs", rungs);
	tv_set_str(w->page, "organisation", org_name);
	page_render(r, w, status, "return_new", "File a co-production return");
}

/* A Board member with no organisation has nothing to file for: the page says so. */
static bool load_own_org(req *r, struct web *w, int64_t *org, char **name)
{
	int rc = own_organisation(r, w, org, name);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return false;
	}
	if (!*org) {
		resp_redirect(r, "/returns");
		return false;
	}
	return true;
}

void web_return_new(req *r, struct web *w)
{
	int64_t org;
	char *name;
	if (load_own_org(r, w, &org, &name))
		return_form(r, w, name, 200, NULL);
}

void web_return_create(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct field_errors fe;
	struct return_new in;
	int64_t org;
	char *name;
	int rc;
	if (!load_own_org(r, w, &org, &name))
		return;
	in.period = kv_get(&r->form, "period");
	in.what_done = kv_get(&r->form, "what_done");
	in.rung = kv_get(&r->form, "rung");
	in.what_changed = kv_get(&r->form, "what_changed");
	field_errors_init(&fe);
	rc = return_file(w->db, r->a, &who, org, &in, &fe, NULL);
	if (rc == DOMAIN_EINVALID) {
		return_form(r, w, name, 400, &fe);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, "/returns?done=filed");
}

void web_return(req *r, struct web *w)
{
	struct org_return x;
	int64_t id = board_path_id(w, "id"), org = 0;
	int rc = id ? return_get(w->db, r->a, id, &x) : DOMAIN_ENOTFOUND;
	/* Board members see their own organisation's returns only. */
	if (rc == DOMAIN_OK && !web_has_role(w, ROLE_PROGRAMME_LEAD)) {
		rc = own_organisation(r, w, &org, NULL);
		if (rc == DOMAIN_OK && org != x.organisation_id)
			rc = DOMAIN_ENOTFOUND;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	tv_set(w->page, "item", return_value(r, &x));
	page_render(r, w, 200, "return_view",
		    arena_printf(r->a, "%s: %s", x.organisation_name,
				 return_period_label(r->a, sv_from(x.period))));
}

/* --- Home ------------------------------------------------------------------------------ */

void home_board(req *r, struct web *w)
{
	char period[RETURN_PERIOD_LEN];
	tval *h;
	bool board = web_has_role(w, ROLE_BOARD_MEMBER), lead = web_has_role(w, ROLE_PROGRAMME_LEAD);
	if (!board && !lead)
		return;
	h = tv_map(r->a);
	due_period(period);
	tv_set_str(h, "period", return_period_label(r->a, sv_from(period)));
	tv_set_bool(h, "is_board_member", board);
	tv_set_bool(h, "is_lead", lead);
	if (board) {
		struct board_meeting m;
		struct board_paper *pending;
		struct org_return *mine;
		size_t np = 0, nr = 0;
		int64_t org = 0;
		tval *list = tv_list(r->a);
		int rc = board_meeting_next(w->db, r->a, date_today(), &m);
		if (rc == DOMAIN_OK) {
			tval *mv = tv_map(r->a);
			tv_set_str(mv, "title", m.title);
			tv_set_str(mv, "date", board_date_text(r->a, m.meets_on));
			tv_set_str(mv, "location", m.location);
			tv_set_str(mv, "href", arena_printf(r->a, "/board/meetings/%" PRId64, m.id));
			tv_set(h, "next_meeting", mv);
		}
		if (board_papers_pending(w->db, r->a, &pending, &np) == DOMAIN_OK)
			for (size_t i = 0; i < np; i++) {
				tval *v = tv_map(r->a);
				tv_set_str(v, "title", pending[i].title);
				tv_set_str(v, "meeting", arena_printf(r->a, "%s, %s", pending[i].meeting_title,
								      board_date_text(r->a, pending[i].meets_on)));
				tv_set_str(v, "href", arena_printf(r->a, "/board/proposals/%" PRId64 "/decision",
								   pending[i].id));
				tv_push(list, v);
			}
		tv_set(h, "pending", list);
		tv_set_bool(h, "has_pending", np > 0);
		if (own_organisation(r, w, &org, NULL) == DOMAIN_OK && org &&
		    returns_for_organisation(w->db, r->a, org, &mine, &nr) == DOMAIN_OK) {
			bool filed = false;
			for (size_t i = 0; i < nr; i++)
				filed |= strcmp(mine[i].period, period) == 0;
			tv_set_bool(h, "has_organisation", true);
			tv_set_bool(h, "filed", filed);
		}
	}
	if (lead) {
		struct return_status *rows;
		size_t n = 0, outstanding = 0;
		tval *list = tv_list(r->a);
		if (returns_status(w->db, r->a, period, &rows, &n) == DOMAIN_OK)
			for (size_t i = 0; i < n; i++)
				if (!rows[i].return_id) {
					tval *v = tv_map(r->a);
					tv_set_str(v, "name", rows[i].organisation_name);
					tv_push(list, v);
					outstanding++;
				}
		tv_set(h, "outstanding", list);
		tv_set_bool(h, "has_outstanding", outstanding > 0);
		tv_set_str(h, "returns_href", arena_printf(r->a, "/returns?period=%s", period));
	}
	tv_set(w->page, "board_home", h);
}
