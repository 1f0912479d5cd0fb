/* web_budget.c: funding sources, a programme's budget, recording spend and commitments,
 * and the Board's totals and pictures; see web_budget.h. */
#include "web/web_budget.h"

#include <inttypes.h>
#include <string.h>

#include "core/chart.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/money.h"
#include "domain/budget.h"
#include "domain/programmes.h"

#define CHART_SVG_MAX (256 * 1024)
/* Entries the budget page lists before offering "Show all": a phone stays usable. */
#define ENTRIES_SHOWN 30
#define CSV_MAX (8 * 1024 * 1024)

/* --- Small helpers --------------------------------------------------------------------- */

static const char *money(req *r, int64_t pence)
{
	return money_text(r->a, pence);
}

static const char *date_text(arena *a, const char *iso)
{
	struct date d;
	sbuf b;
	if (!iso || date_parse(sv_from(iso), &d) != 0)
		return "";
	sbuf_init(&b, a, 64);
	date_human(&b, d);
	return b.err ? "" : b.buf;
}

static int64_t path_id(const struct web *w, const char *name)
{
	int64_t id;
	if (sv_to_i64(web_param(w, name), &id) != 0 || id <= 0)
		return 0;
	return id;
}

static void put_done(req *r, struct web *w, const char *const *pairs)
{
	sv done = kv_get(&r->query, "done");
	if (!done.ptr)
		return;
	for (; pairs[0]; pairs += 2)
		if (sv_eq_cstr(done, pairs[0])) {
			page_notice(w, pairs[1]);
			return;
		}
}

/* A GOV.UK date input for templates/date_input.html, named NAME-day, NAME-month and
 * NAME-year, with what was typed put back. */
static tval *date_input(req *r, const char *name, const char *legend, const char *hint,
			const struct field_errors *fe)
{
	tval *m = tv_map(r->a);
	const char *error = field_error_get(fe, name);
	static const char *const parts[3] = {"day", "month", "year"};
	tv_set_str(m, "id", name);
	tv_set_str(m, "legend", legend);
	tv_set_str(m, "hint", hint);
	tv_set_str(m, "error", error ? error : "");
	for (int i = 0; i < 3; i++) {
		const char *field = arena_printf(r->a, "%s-%s", name, parts[i]);
		tv_set_sv(m, parts[i], kv_get(&r->form, field ? field : ""));
	}
	return m;
}

/* Fills the day, month and year of a date_input map from a stored "YYYY-MM-DD". */
static void put_date_parts(tval *m, const char *iso)
{
	struct date d;
	if (!m || !iso || date_parse(sv_from(iso), &d) != 0)
		return;
	tv_set_int(m, "day", d.d);
	tv_set_int(m, "month", d.m);
	tv_set_int(m, "year", d.y);
}

static sv form_date_part(req *r, const char *name, const char *part)
{
	const char *field = arena_printf(r->a, "%s-%s", name, part);
	return kv_get(&r->form, field ? field : "");
}

/* The programme named by :slug and what the signed-in person may do with its budget;
 * shows the error page (404) and returns false when they may not do at least MIN. */
static bool load_programme(req *r, struct web *w, enum budget_access min, struct programme *p,
			   int *access)
{
	sv slug = web_param(w, "slug");
	char *s = sv_dup(r->a, slug);
	int rc = s ? programme_get_by_slug(w->db, r->a, s, p) : DB_ERR;
	if (rc == DOMAIN_OK)
		rc = budget_access(w->db, w->sess ? w->sess->account_id : 0,
				   w->sess ? w->sess->role : ROLE_NONE, p->id);
	if (rc < 0) {
		page_fail(r, w, rc);
		return false;
	}
	if (rc < (int)min) {
		page_error(r, w, 404);
		return false;
	}
	*access = rc;
	return true;
}

static const char *budget_href(req *r, const struct programme *p, const char *rest)
{
	return arena_printf(r->a, "/programmes/%s/budget%s", p->slug, rest);
}

static void put_programme(req *r, struct web *w, const struct programme *p)
{
	tval *v = tv_map(r->a);
	tv_set_str(v, "name", p->name);
	tv_set_str(v, "href", arena_printf(r->a, "/programmes/%s", p->slug));
	tv_set_str(v, "budget_href", budget_href(r, p, ""));
	tv_set_str(v, "summary_href", budget_href(r, p, "/summary"));
	tv_set(w->page, "programme", v);
}

static tval *money_value(req *r, const struct budget_money *m)
{
	tval *v = tv_map(r->a);
	tv_set_str(v, "budget", money(r, m->budget_pence));
	tv_set_str(v, "committed", money(r, m->committed_pence));
	tv_set_str(v, "spent", money(r, m->spent_pence));
	tv_set_str(v, "remaining", money(r, m->remaining_pence));
	tv_set_bool(v, "over", m->remaining_pence < 0);
	if (m->remaining_pence < 0)
		tv_set_str(v, "over_by", money(r, -m->remaining_pence));
	return v;
}

/* --- Pictures -------------------------------------------------------------------------- */

struct kinds_chart {
	struct chart c;
	const char *labels[BUDGET_KIND_COUNT];
	int64_t budget[BUDGET_KIND_COUNT], committed[BUDGET_KIND_COUNT], spent[BUDGET_KIND_COUNT];
	struct chart_series series[3];
	struct budget_totals t;
	int kinds[BUDGET_KIND_COUNT]; /* budget_kinds index of each label */
};

/* Spend against budget per kind of cost (summed across the programme's sources): the
 * kinds the programme has a budget or spend for. */
static int kinds_chart(req *r, struct web *w, const struct programme *p, struct kinds_chart *k)
{
	int rc = budget_totals(w->db, r->a, p->id, NULL, NULL, &k->t);
	size_t n = 0;
	if (rc != DOMAIN_OK)
		return rc;
	for (int i = 0; i < BUDGET_KIND_COUNT; i++) {
		const struct budget_money *m = &k->t.kinds[i];
		if (!m->budget_pence && !m->committed_pence && !m->spent_pence)
			continue;
		k->kinds[n] = i;
		k->labels[n] = budget_kind_label(budget_kinds[i]);
		k->budget[n] = m->budget_pence;
		k->committed[n] = m->committed_pence;
		k->spent[n] = m->spent_pence;
		n++;
	}
	k->series[0] = (struct chart_series){"Budget", k->budget, NULL};
	k->series[1] = (struct chart_series){"Committed", k->committed, NULL};
	k->series[2] = (struct chart_series){"Spent", k->spent, NULL};
	const struct budget_money *all = &k->t.all;
	k->c = (struct chart){
		.kind = CHART_BARS,
		.unit = CHART_PENCE,
		.title = "Spend against budget by kind of cost",
		.n_labels = n,
		.labels = k->labels,
		.n_series = 3,
		.series = k->series,
	};
	if (all->remaining_pence < 0)
		k->c.summary = arena_printf(r->a, "%s spent and %s committed of a %s budget: %s over.",
					    money(r, all->spent_pence),
					    money(r, all->committed_pence),
					    money(r, all->budget_pence),
					    money(r, -all->remaining_pence));
	else
		k->c.summary = arena_printf(r->a, "%s spent and %s committed of a %s budget, leaving %s.",
					    money(r, all->spent_pence),
					    money(r, all->committed_pence),
					    money(r, all->budget_pence),
					    money(r, all->remaining_pence));
	return k->c.summary ? DOMAIN_OK : DB_ERR;
}

struct months_chart {
	struct chart c;
	struct budget_months m;
	struct chart_series series[2];
};

static int months_chart(req *r, struct web *w, const struct programme *p,
			struct months_chart *k)
{
	int rc = budget_months(w->db, r->a, p->id, &k->m);
	if (rc != DOMAIN_OK)
		return rc;
	int64_t total = 0, best = 0;
	size_t best_i = 0;
	const char *earlier =
		k->m.earlier ? arena_printf(r->a, " Showing the latest %d months; earlier months "
						  "are left out.",
					    BUDGET_MONTHS_MAX)
			     : "";
	for (size_t i = 0; i < k->m.n; i++) {
		total += k->m.spent[i];
		if (k->m.spent[i] > best) {
			best = k->m.spent[i];
			best_i = i;
		}
	}
	k->series[0] = (struct chart_series){"Spent", k->m.spent, NULL};
	k->series[1] = (struct chart_series){"Committed", k->m.committed, NULL};
	k->c = (struct chart){
		.kind = k->m.n > 2 ? CHART_LINES : CHART_BARS,
		.unit = CHART_PENCE,
		.title = "Spend and commitments by month",
		.summary = !k->m.n ? "Nothing has been spent yet."
			   : best  ? arena_printf(r->a,
						  "%s spent from %s to %s; the most in one month was "
						  "%s in %s.%s",
						  money(r, total), k->m.labels[0],
						  k->m.labels[k->m.n - 1], money(r, best),
						  k->m.labels[best_i], earlier)
				   : arena_printf(r->a, "Nothing spent from %s to %s, only "
							"commitments.%s",
						  k->m.labels[0], k->m.labels[k->m.n - 1], earlier),
		.n_labels = k->m.n,
		.labels = k->m.labels,
		.n_series = 2,
		.series = k->series,
	};
	return k->c.summary ? DOMAIN_OK : DB_ERR;
}

static void send_svg(req *r, struct web *w, const struct chart *c)
{
	sbuf b;
	if (!c->n_labels) {
		page_error(r, w, 404);
		return;
	}
	sbuf_init(&b, r->a, CHART_SVG_MAX);
	if (chart_svg(&b, c) != 0 || b.err) {
		page_error(r, w, 500);
		return;
	}
	resp_header(r, "Cache-Control", "no-store");
	resp_text(r, 200, CHART_SVG_TYPE, sbuf_sv(&b));
}

void web_budget_chart_lines(req *r, struct web *w)
{
	struct programme p;
	struct kinds_chart k;
	int access, rc;
	if (!load_programme(r, w, BUDGET_TOTALS, &p, &access))
		return;
	rc = kinds_chart(r, w, &p, &k);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	send_svg(r, w, &k.c);
}

void web_budget_chart_months(req *r, struct web *w)
{
	struct programme p;
	struct months_chart k;
	int access, rc;
	if (!load_programme(r, w, BUDGET_TOTALS, &p, &access))
		return;
	rc = months_chart(r, w, &p, &k);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	send_svg(r, w, &k.c);
}

/* Puts both pictures, each with the table of its figures and its summary, into the page
 * as "chart_kinds" and "chart_months". */
static int put_charts(req *r, struct web *w, const struct programme *p)
{
	struct kinds_chart k;
	struct months_chart m;
	int rc = kinds_chart(r, w, p, &k);
	if (rc == DOMAIN_OK)
		rc = months_chart(r, w, p, &m);
	if (rc != DOMAIN_OK)
		return rc;

	tval *kc = tv_map(r->a), *rows = tv_list(r->a);
	tv_set_str(kc, "title", k.c.title);
	tv_set_str(kc, "summary", k.c.summary);
	tv_set_str(kc, "src", budget_href(r, p, "/chart-lines.svg"));
	tv_set_bool(kc, "has_rows", k.c.n_labels > 0);
	for (size_t i = 0; i < k.c.n_labels; i++) {
		tval *row = money_value(r, &k.t.kinds[k.kinds[i]]);
		tv_set_str(row, "label", k.labels[i]);
		tv_push(rows, row);
	}
	tv_set(kc, "rows", rows);
	tv_set(kc, "total", money_value(r, &k.t.all));
	tv_set(w->page, "chart_kinds", kc);

	tval *mv = tv_map(r->a);
	rows = tv_list(r->a);
	tv_set_str(mv, "title", m.c.title);
	tv_set_str(mv, "summary", m.c.summary);
	tv_set_str(mv, "src", budget_href(r, p, "/chart-months.svg"));
	tv_set_bool(mv, "has_rows", m.m.n > 0);
	for (size_t i = 0; i < m.m.n; i++) {
		tval *row = tv_map(r->a);
		tv_set_str(row, "label", m.m.labels[i]);
		tv_set_str(row, "spent", money(r, m.m.spent[i]));
		tv_set_str(row, "committed", money(r, m.m.committed[i]));
		tv_push(rows, row);
	}
	tv_set(mv, "rows", rows);
	tv_set(w->page, "chart_months", mv);
	return DOMAIN_OK;
}

/* --- Funding sources ------------------------------------------------------------------- */

void web_funding(req *r, struct web *w)
{
	static const char *const done[] = {"added", "Funding source added.",
					   "changed", "Funding source changed.", NULL, NULL};
	struct funding_source *s;
	struct programme *ps;
	size_t n, np;
	tval *list = tv_list(r->a), *plist = tv_list(r->a);
	int64_t amount = 0;
	struct budget_money all = {0};
	int rc = funding_sources_list(w->db, r->a, &s, &n);
	if (rc == DOMAIN_OK)
		rc = programmes_list(w->db, r->a, NULL, &ps, &np);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		tval *v = money_value(r, &s[i].m);
		tv_set_str(v, "name", s[i].name);
		tv_set_str(v, "edit_href", arena_printf(r->a, "/funding/%" PRId64, s[i].id));
		tv_set_str(v, "organisation", s[i].organisation);
		tv_set_str(v, "financial_year", s[i].financial_year);
		tv_set_str(v, "conditions", s[i].conditions);
		tv_set_str(v, "amount", money(r, s[i].amount_pence));
		tv_set_str(v, "allocated", money(r, s[i].allocated_pence));
		tv_set_str(v, "unallocated", money(r, s[i].unallocated_pence));
		tv_set_bool(v, "over_allocated", s[i].unallocated_pence < 0);
		if (s[i].starts_on && s[i].ends_on)
			tv_set_str(v, "dates", arena_printf(r->a, "%s to %s",
							     date_text(r->a, s[i].starts_on),
							     date_text(r->a, s[i].ends_on)));
		else if (s[i].starts_on)
			tv_set_str(v, "dates",
				   arena_printf(r->a, "from %s", date_text(r->a, s[i].starts_on)));
		else if (s[i].ends_on)
			tv_set_str(v, "dates",
				   arena_printf(r->a, "until %s", date_text(r->a, s[i].ends_on)));
		tv_push(list, v);
		amount += s[i].amount_pence;
		all.budget_pence += s[i].m.budget_pence;
		all.committed_pence += s[i].m.committed_pence;
		all.spent_pence += s[i].m.spent_pence;
		all.remaining_pence += s[i].m.remaining_pence;
	}
	for (size_t i = 0; i < np; i++) {
		tval *v = tv_map(r->a);
		tv_set_str(v, "name", ps[i].name);
		tv_set_str(v, "href", budget_href(r, &ps[i], ""));
		tv_push(plist, v);
	}
	tval *total = money_value(r, &all);
	tv_set_str(total, "amount", money(r, amount));
	tv_set(w->page, "sources", list);
	tv_set_bool(w->page, "has_sources", n > 0);
	tv_set(w->page, "total", total);
	tv_set(w->page, "programmes", plist);
	tv_set_bool(w->page, "has_programmes", np > 0);
	put_done(r, w, done);
	page_render(r, w, 200, "funding", "Funding sources");
}

static const char *const source_fields[] = {"name", "organisation", "amount",
					    "financial_year", "conditions", NULL};

/* The source form: adding one (EDIT NULL) or changing EDIT. */
static void funding_form(req *r, struct web *w, int status, const struct field_errors *fe,
			 const struct funding_source *edit)
{
	page_form_errors(r, w, fe, source_fields);
	tv_set_str(w->page, "action",
		   edit ? arena_printf(r->a, "/funding/%" PRId64, edit->id) : "/funding/new");
	tv_set_str(w->page, "heading", edit ? "Change a funding source" : "Add a funding source");
	tv_set_str(w->page, "button", edit ? "Save changes" : "Add funding source");
	tv_set(w->page, "starts_field",
	       date_input(r, "starts", "When can the money be spent from? (optional)",
			  "For example, 1 4 2021", fe));
	tv_set(w->page, "ends_field",
	       date_input(r, "ends", "When must it be spent by? (optional)",
			  "For example, 31 3 2022", fe));
	if (edit && r->method != HTTP_POST) {
		/* First showing: the source as it is. */
		tval *values = tv_map(r->a);
		sbuf b;
		sbuf_init(&b, r->a, 32);
		money_format_plain(&b, edit->amount_pence);
		tv_set_str(values, "name", edit->name);
		tv_set_str(values, "organisation", edit->organisation);
		tv_set_str(values, "amount", b.err ? "" : b.buf);
		tv_set_str(values, "financial_year", edit->financial_year);
		tv_set_str(values, "conditions", edit->conditions);
		tv_set(w->page, "values", values);
		put_date_parts(tv_get(w->page, "starts_field"), edit->starts_on);
		put_date_parts(tv_get(w->page, "ends_field"), edit->ends_on);
	}
	page_render(r, w, status, "funding_new",
		    edit ? "Change a funding source" : "Add a funding source");
}

void web_funding_new(req *r, struct web *w)
{
	funding_form(r, w, 200, NULL, NULL);
}

static struct funding_source_input source_input(req *r)
{
	return (struct funding_source_input){
		.name = kv_get(&r->form, "name"),
		.organisation = kv_get(&r->form, "organisation"),
		.amount = kv_get(&r->form, "amount"),
		.financial_year = kv_get(&r->form, "financial_year"),
		.conditions = kv_get(&r->form, "conditions"),
		.start_day = form_date_part(r, "starts", "day"),
		.start_month = form_date_part(r, "starts", "month"),
		.start_year = form_date_part(r, "starts", "year"),
		.end_day = form_date_part(r, "ends", "day"),
		.end_month = form_date_part(r, "ends", "month"),
		.end_year = form_date_part(r, "ends", "year"),
	};
}

void web_funding_create(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct field_errors fe;
	struct funding_source_input in = source_input(r);
	field_errors_init(&fe);
	int rc = funding_source_add(w->db, r->a, &who, &in, &fe, NULL);
	if (rc == DOMAIN_EINVALID || rc == DOMAIN_ECONFLICT) {
		funding_form(r, w, 400, &fe, NULL);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, "/funding?done=added");
}

static bool load_source(req *r, struct web *w, struct funding_source *out)
{
	struct funding_source *s;
	size_t n;
	int64_t id = path_id(w, "id");
	int rc = funding_sources_list(w->db, r->a, &s, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return false;
	}
	for (size_t i = 0; i < n; i++)
		if (s[i].id == id) {
			*out = s[i];
			return true;
		}
	page_error(r, w, 404);
	return false;
}

void web_funding_edit(req *r, struct web *w)
{
	struct funding_source s;
	if (load_source(r, w, &s))
		funding_form(r, w, 200, NULL, &s);
}

void web_funding_update(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct funding_source s;
	struct field_errors fe;
	if (!load_source(r, w, &s))
		return;
	struct funding_source_input in = source_input(r);
	field_errors_init(&fe);
	int rc = funding_source_update(w->db, r->a, &who, s.id, &in, &fe);
	if (rc == DOMAIN_EINVALID || rc == DOMAIN_ECONFLICT) {
		funding_form(r, w, 400, &fe, &s);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, "/funding?done=changed");
}

/* --- A programme's budget -------------------------------------------------------------- */

static tval *entry_value(req *r, const struct budget_entry *e, bool may_correct,
			 const struct programme *p, const bool *corrected)
{
	tval *v = tv_map(r->a);
	tv_set_str(v, "date", date_text(r->a, e->entry_date));
	tv_set_str(v, "kind", e->reverses ? "Correction" : e->spend ? "Spent" : "Committed");
	tv_set_str(v, "line", arena_printf(r->a, "%s (%s)", e->line_kind_label, e->source_name));
	tv_set_str(v, "supplier", e->supplier);
	tv_set_str(v, "what_for", e->what_for);
	tv_set_str(v, "reference", e->reference);
	tv_set_str(v, "amount", money(r, e->amount_pence));
	tv_set_str(v, "vat", money(r, e->vat_pence));
	if (e->session_title)
		tv_set_str(v, "session", arena_printf(r->a, "%s, %s", e->session_title,
						      date_text(r->a, e->session_date)));
	if (e->session_id)
		tv_set_str(v, "session_href", arena_printf(r->a, "/meetings/%" PRId64, e->session_id));
	if (!e->spend && !e->reverses)
		tv_set_str(v, "open", money(r, e->open_pence));
	if (e->over_reason) {
		tv_set_str(v, "over_reason", e->over_reason);
		tv_set_str(v, "over_approved_by", e->over_approved_name ? e->over_approved_name : "");
	}
	int64_t batch = budget_entry_batch(e->supplier, e->reference);
	if (batch) {
		tv_set_str(v, "batch_href", arena_printf(r->a, "/payments/batches/%" PRId64, batch));
		tv_set_str(v, "batch_id", arena_printf(r->a, "%" PRId64, batch));
	} else if (may_correct && !e->reverses && !*corrected)
		tv_set_str(v, "correct_href",
			   budget_href(r, p, arena_printf(r->a, "/entries/%" PRId64 "/correct",
							  e->id)));
	return v;
}

void web_budget(req *r, struct web *w)
{
	static const char *const done[] = {
		"line", "Budget line added.",
		"line_changed", "Budget line changed.",
		"spend", "Spending recorded.",
		"commitment", "Commitment recorded.",
		"corrected", "Correcting entry recorded.",
		NULL, NULL,
	};
	struct programme p;
	struct budget_line *lines;
	struct budget_entry *entries;
	size_t nl, ne;
	int access, rc;
	tval *ll = tv_list(r->a), *el = tv_list(r->a);
	struct budget_money all = {0};

	if (!load_programme(r, w, BUDGET_RECORD, &p, &access))
		return;
	rc = budget_lines_list(w->db, r->a, p.id, &lines, &nl);
	if (rc == DOMAIN_OK)
		rc = budget_entries_list(w->db, r->a, p.id, &entries, &ne);
	if (rc == DOMAIN_OK)
		rc = put_charts(r, w, &p);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < nl; i++) {
		tval *v = money_value(r, &lines[i].m);
		tv_set_str(v, "kind", lines[i].kind_label);
		tv_set_str(v, "source", lines[i].source_name);
		tv_set_str(v, "cost_code", lines[i].cost_code);
		tv_set_str(v, "note", lines[i].note);
		if (access >= BUDGET_MANAGE)
			tv_set_str(v, "edit_href",
				   budget_href(r, &p, arena_printf(r->a, "/lines/%" PRId64,
								   lines[i].id)));
		tv_push(ll, v);
		all.budget_pence += lines[i].m.budget_pence;
		all.committed_pence += lines[i].m.committed_pence;
		all.spent_pence += lines[i].m.spent_pence;
		all.remaining_pence += lines[i].m.remaining_pence;
	}
	/* Entries already corrected offer no second correction. */
	bool *corrected = ne ? arena_calloc(r->a, ne, sizeof(*corrected)) : NULL;
	if (ne && !corrected) {
		page_error(r, w, 500);
		return;
	}
	for (size_t i = 0; i < ne; i++)
		for (size_t j = 0; j < ne; j++)
			if (entries[j].reverses == entries[i].id)
				corrected[i] = true;
	bool all_entries = sv_eq_cstr(kv_get(&r->query, "all"), "1");
	size_t shown = all_entries || ne <= ENTRIES_SHOWN ? ne : ENTRIES_SHOWN;
	for (size_t i = 0; i < shown; i++)
		tv_push(el, entry_value(r, &entries[i], access >= BUDGET_MANAGE, &p, &corrected[i]));
	if (shown < ne) {
		tv_set_str(w->page, "all_href", budget_href(r, &p, "?all=1#entries"));
		tv_set_str(w->page, "all_text", arena_printf(r->a, "Show all %zu entries", ne));
		tv_set_str(w->page, "shown_text",
			   arena_printf(r->a, "The newest %zu of %zu entries.", shown, ne));
	}
	put_programme(r, w, &p);
	tv_set(w->page, "lines", ll);
	tv_set_bool(w->page, "has_lines", nl > 0);
	tv_set(w->page, "total", money_value(r, &all));
	tv_set(w->page, "entries", el);
	tv_set_bool(w->page, "has_entries", ne > 0);
	tv_set_bool(w->page, "is_lead", access >= BUDGET_MANAGE);
	tv_set_str(w->page, "record_href", budget_href(r, &p, "/record"));
	tv_set_str(w->page, "new_line_href", budget_href(r, &p, "/lines/new"));
	tv_set_str(w->page, "csv_href", budget_href(r, &p, "/entries.csv"));
	put_done(r, w, done);
	page_render(r, w, 200, "budget", arena_printf(r->a, "Budget: %s", p.name));
}

void web_budget_summary(req *r, struct web *w)
{
	struct programme p;
	int access, rc;
	if (!load_programme(r, w, BUDGET_TOTALS, &p, &access))
		return;
	rc = put_charts(r, w, &p);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	put_programme(r, w, &p);
	tv_set_bool(w->page, "may_see_all", access >= BUDGET_RECORD);
	page_render(r, w, 200, "budget_summary", arena_printf(r->a, "Budget totals: %s", p.name));
}

/* --- Budget lines ---------------------------------------------------------------------- */

static const char *const line_fields[] = {"source_id", "kind", "amount", "cost_code", "note",
					  NULL};

static void line_form(req *r, struct web *w, const struct programme *p, int status,
		      const struct field_errors *fe)
{
	struct funding_source *s;
	size_t n;
	tval *sources = tv_list(r->a), *kinds = tv_list(r->a);
	sv chosen_source = kv_get(&r->form, "source_id"), chosen_kind = kv_get(&r->form, "kind");
	int rc = funding_sources_list(w->db, r->a, &s, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		tval *o = tv_map(r->a);
		const char *value = arena_printf(r->a, "%" PRId64, s[i].id);
		tv_set_str(o, "value", value);
		tv_set_str(o, "label",
			   arena_printf(r->a, "%s (%s, %s not yet given to a line)", s[i].name,
					s[i].financial_year, money(r, s[i].unallocated_pence)));
		tv_set_bool(o, "selected", value && sv_eq_cstr(chosen_source, value));
		tv_push(sources, o);
	}
	for (int i = 0; i < BUDGET_KIND_COUNT; i++) {
		tval *o = tv_map(r->a);
		tv_set_str(o, "value", budget_kinds[i]);
		tv_set_str(o, "label", budget_kind_label(budget_kinds[i]));
		tv_set_bool(o, "selected", sv_eq_cstr(chosen_kind, budget_kinds[i]));
		tv_push(kinds, o);
	}
	page_form_errors(r, w, fe, line_fields);
	put_programme(r, w, p);
	tv_set(w->page, "sources", sources);
	tv_set_bool(w->page, "has_sources", n > 0);
	tv_set(w->page, "kinds", kinds);
	tv_set_str(w->page, "action", budget_href(r, p, "/lines/new"));
	page_render(r, w, status, "budget_line_new", "Add a budget line");
}

void web_budget_line_new(req *r, struct web *w)
{
	struct programme p;
	int access;
	if (load_programme(r, w, BUDGET_MANAGE, &p, &access))
		line_form(r, w, &p, 200, NULL);
}

void web_budget_line_create(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct programme p;
	struct field_errors fe;
	int access;
	if (!load_programme(r, w, BUDGET_MANAGE, &p, &access))
		return;
	struct budget_line_input in = {
		.source_id = kv_get(&r->form, "source_id"),
		.kind = kv_get(&r->form, "kind"),
		.amount = kv_get(&r->form, "amount"),
		.cost_code = kv_get(&r->form, "cost_code"),
		.note = kv_get(&r->form, "note"),
	};
	field_errors_init(&fe);
	int rc = budget_line_add(w->db, r->a, &who, p.id, &in, &fe, NULL);
	if (rc == DOMAIN_EINVALID || rc == DOMAIN_ECONFLICT) {
		line_form(r, w, &p, 400, &fe);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, budget_href(r, &p, "?done=line"));
}

/* --- Changing a line's budget ---------------------------------------------------------- */

static const char *const line_edit_fields[] = {"amount", "cost_code", "note", NULL};

static bool load_line(req *r, struct web *w, const struct programme *p, struct budget_line *out)
{
	struct budget_line *lines;
	size_t n;
	int64_t id = path_id(w, "id");
	int rc = budget_lines_list(w->db, r->a, p->id, &lines, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return false;
	}
	for (size_t i = 0; i < n; i++)
		if (lines[i].id == id) {
			*out = lines[i];
			return true;
		}
	page_error(r, w, 404);
	return false;
}

static void line_edit_form(req *r, struct web *w, const struct programme *p,
			   const struct budget_line *l, int status, const struct field_errors *fe)
{
	page_form_errors(r, w, fe, line_edit_fields);
	if (r->method != HTTP_POST) {
		/* First showing: the line as it is. */
		tval *values = tv_map(r->a);
		sbuf b;
		sbuf_init(&b, r->a, 32);
		money_format_plain(&b, l->m.budget_pence);
		tv_set_str(values, "amount", b.err ? "" : b.buf);
		tv_set_str(values, "cost_code", l->cost_code);
		tv_set_str(values, "note", l->note);
		tv_set(w->page, "values", values);
	}
	put_programme(r, w, p);
	tval *lv = money_value(r, &l->m);
	tv_set_str(lv, "kind", l->kind_label);
	tv_set_str(lv, "source", l->source_name);
	tv_set(w->page, "line", lv);
	tv_set_str(w->page, "action",
		   budget_href(r, p, arena_printf(r->a, "/lines/%" PRId64, l->id)));
	page_render(r, w, status, "budget_line_edit", "Change a budget line");
}

void web_budget_line_edit(req *r, struct web *w)
{
	struct programme p;
	struct budget_line l;
	int access;
	if (load_programme(r, w, BUDGET_MANAGE, &p, &access) && load_line(r, w, &p, &l))
		line_edit_form(r, w, &p, &l, 200, NULL);
}

void web_budget_line_update(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct programme p;
	struct budget_line l;
	struct field_errors fe;
	int access;
	if (!load_programme(r, w, BUDGET_MANAGE, &p, &access) || !load_line(r, w, &p, &l))
		return;
	struct budget_line_input in = {
		.amount = kv_get(&r->form, "amount"),
		.cost_code = kv_get(&r->form, "cost_code"),
		.note = kv_get(&r->form, "note"),
	};
	field_errors_init(&fe);
	int rc = budget_line_update(w->db, r->a, &who, p.id, l.id, &in, &fe);
	if (rc == DOMAIN_EINVALID) {
		line_edit_form(r, w, &p, &l, 400, &fe);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, budget_href(r, &p, "?done=line_changed"));
}

/* --- Recording spend and commitments --------------------------------------------------- */

static const char *const record_fields[] = {"kind",	 "line_id", "supplier",
					    "amount",	 "vat",	    "reference",
					    "what_for", "session_id", "settles",
					    "over_reason", NULL};

static void record_form(req *r, struct web *w, const struct programme *p, int access,
			int status, const struct field_errors *fe, int64_t over_by)
{
	struct budget_line *lines;
	struct budget_session *sessions;
	struct budget_entry *entries;
	size_t nl, ns, ne;
	tval *ll = tv_list(r->a), *sl = tv_list(r->a), *cl = tv_list(r->a);
	sv line = kv_get(&r->form, "line_id"), session = kv_get(&r->form, "session_id"),
	   settles = kv_get(&r->form, "settles"), kind = kv_get(&r->form, "kind");
	int rc = budget_lines_list(w->db, r->a, p->id, &lines, &nl);
	if (rc == DOMAIN_OK)
		rc = budget_sessions_list(w->db, r->a, p->id, &sessions, &ns);
	if (rc == DOMAIN_OK)
		rc = budget_entries_list(w->db, r->a, p->id, &entries, &ne);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < nl; i++) {
		tval *o = tv_map(r->a);
		const char *value = arena_printf(r->a, "%" PRId64, lines[i].id);
		tv_set_str(o, "value", value);
		int64_t left = lines[i].m.remaining_pence;
		tv_set_str(o, "label",
			   arena_printf(r->a, "%s (%s): %s %s", lines[i].kind_label,
					lines[i].source_name, money(r, left < 0 ? -left : left),
					left < 0 ? "over budget" : "left"));
		tv_set_bool(o, "selected", value && sv_eq_cstr(line, value));
		tv_push(ll, o);
	}
	for (size_t i = 0; i < ns; i++) {
		tval *o = tv_map(r->a);
		const char *value = arena_printf(r->a, "%" PRId64, sessions[i].id);
		tv_set_str(o, "value", value);
		tv_set_str(o, "label", arena_printf(r->a, "%s: %s, %s", sessions[i].group_name,
						    sessions[i].title,
						    date_text(r->a, sessions[i].date)));
		tv_set_bool(o, "selected", value && sv_eq_cstr(session, value));
		tv_push(sl, o);
	}
	for (size_t i = 0; i < ne; i++) {
		if (entries[i].spend || entries[i].reverses || entries[i].open_pence <= 0)
			continue;
		tval *o = tv_map(r->a);
		const char *value = arena_printf(r->a, "%" PRId64, entries[i].id);
		tv_set_str(o, "value", value);
		tv_set_str(o, "label",
			   arena_printf(r->a, "%s, %s: %s (%s still open)",
					entries[i].line_kind_label,
					date_text(r->a, entries[i].entry_date),
					entries[i].supplier[0] ? entries[i].supplier
							       : entries[i].what_for,
					money(r, entries[i].open_pence)));
		tv_set_bool(o, "selected", value && sv_eq_cstr(settles, value));
		tv_push(cl, o);
	}
	page_form_errors(r, w, fe, record_fields);
	put_programme(r, w, p);
	tv_set(w->page, "lines", ll);
	tv_set_bool(w->page, "has_lines", nl > 0);
	tv_set(w->page, "sessions", sl);
	tv_set(w->page, "commitments", cl);
	tv_set_bool(w->page, "has_commitments", tv_len(cl) > 0);
	tv_set_bool(w->page, "kind_spend", sv_eq_cstr(kind, "spend"));
	tv_set_bool(w->page, "kind_commitment", sv_eq_cstr(kind, "commitment"));
	tv_set(w->page, "date_field",
	       date_input(r, "date", "Date", "The date of the invoice or booking, for example 14 6 2022",
			  fe));
	/* A lead sees the approval only when it is needed: the amount would go over. */
	bool ticked = kv_get(&r->form, "approve_over").len > 0;
	tv_set_bool(w->page, "show_approval",
		    access >= BUDGET_MANAGE && (over_by > 0 || ticked));
	tv_set_bool(w->page, "approve_over", ticked);
	if (over_by > 0)
		tv_set_str(w->page, "over_by", money(r, over_by));
	tv_set_str(w->page, "action", budget_href(r, p, "/record"));
	page_render(r, w, status, "spend_record", "Record spending or a commitment");
}

void web_budget_record_form(req *r, struct web *w)
{
	struct programme p;
	int access;
	if (load_programme(r, w, BUDGET_RECORD, &p, &access))
		record_form(r, w, &p, access, 200, NULL, 0);
}

void web_budget_record(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct programme p;
	struct field_errors fe;
	int access;
	int64_t over_by = 0;
	if (!load_programme(r, w, BUDGET_RECORD, &p, &access))
		return;
	struct budget_entry_input in = {
		.kind = kv_get(&r->form, "kind"),
		.line_id = kv_get(&r->form, "line_id"),
		.day = form_date_part(r, "date", "day"),
		.month = form_date_part(r, "date", "month"),
		.year = form_date_part(r, "date", "year"),
		.supplier = kv_get(&r->form, "supplier"),
		.amount = kv_get(&r->form, "amount"),
		.vat = kv_get(&r->form, "vat"),
		.reference = kv_get(&r->form, "reference"),
		.what_for = kv_get(&r->form, "what_for"),
		.session_id = kv_get(&r->form, "session_id"),
		.settles = kv_get(&r->form, "settles"),
		.approve_over = kv_get(&r->form, "approve_over").len > 0,
		.over_reason = kv_get(&r->form, "over_reason"),
	};
	field_errors_init(&fe);
	int rc = budget_entry_add(w->db, r->a, &who, p.id, access >= BUDGET_MANAGE, &in, &fe,
				  &over_by, NULL);
	if (rc == DOMAIN_EINVALID) {
		record_form(r, w, &p, access, 400, &fe, over_by);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, budget_href(r, &p, sv_eq_cstr(sv_trim(in.kind), "spend")
						   ? "?done=spend"
						   : "?done=commitment"));
}

/* --- Correcting an entry --------------------------------------------------------------- */

static bool load_entry(req *r, struct web *w, const struct programme *p,
		       struct budget_entry *out)
{
	struct budget_entry *entries;
	size_t n;
	int64_t id = path_id(w, "id");
	int rc = budget_entries_list(w->db, r->a, p->id, &entries, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return false;
	}
	for (size_t i = 0; i < n; i++)
		if (entries[i].id == id && !entries[i].reverses) {
			*out = entries[i];
			return true;
		}
	page_error(r, w, 404);
	return false;
}

static void correct_form(req *r, struct web *w, const struct programme *p,
			 const struct budget_entry *e, int status, const struct field_errors *fe)
{
	static const char *const fields[] = {"reason", NULL};
	bool corrected = false;
	page_form_errors(r, w, fe, fields);
	put_programme(r, w, p);
	tv_set(w->page, "entry", entry_value(r, e, false, p, &corrected));
	tv_set_str(w->page, "action",
		   budget_href(r, p, arena_printf(r->a, "/entries/%" PRId64 "/correct", e->id)));
	page_render(r, w, status, "spend_correct", "Correct an entry");
}

void web_budget_correct_form(req *r, struct web *w)
{
	struct programme p;
	struct budget_entry e;
	int access;
	if (load_programme(r, w, BUDGET_MANAGE, &p, &access) && load_entry(r, w, &p, &e))
		correct_form(r, w, &p, &e, 200, NULL);
}

void web_budget_correct(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct programme p;
	struct budget_entry e;
	struct field_errors fe;
	int access;
	if (!load_programme(r, w, BUDGET_MANAGE, &p, &access) || !load_entry(r, w, &p, &e))
		return;
	field_errors_init(&fe);
	int rc = budget_entry_reverse(w->db, r->a, &who, p.id, e.id, kv_get(&r->form, "reason"),
				      &fe);
	if (rc == DOMAIN_EINVALID) {
		correct_form(r, w, &p, &e, 400, &fe);
		return;
	}
	if (rc == DOMAIN_ECONFLICT) {
		resp_redirect(r, budget_href(r, &p, ""));
		return;
	}
	if (rc == DOMAIN_EFORBIDDEN) {
		/* A payment batch's spend: the page says to reverse the claims instead. */
		correct_form(r, w, &p, &e, 409, NULL);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, budget_href(r, &p, "?done=corrected"));
}

/* --- The entries for finance, as CSV --------------------------------------------------- */

void web_budget_entries_csv(req *r, struct web *w)
{
	static const char *const header[] = {
		"entry", "date", "type", "kind of cost", "funding source", "cost code", "supplier",
		"reference", "what for", "net", "vat", "gross", "session date", "session",
		"over budget approved by", "over budget reason", "corrects entry", NULL,
	};
	struct programme p;
	struct budget_line *lines;
	struct budget_entry *e;
	size_t nl, ne;
	int access;
	sbuf b;
	if (!load_programme(r, w, BUDGET_RECORD, &p, &access))
		return;
	int rc = budget_lines_list(w->db, r->a, p.id, &lines, &nl);
	if (rc == DOMAIN_OK)
		rc = budget_entries_list(w->db, r->a, p.id, &e, &ne);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	sbuf_init(&b, r->a, CSV_MAX);
	for (size_t i = 0; header[i]; i++) {
		if (i)
			csv_sep(&b);
		csv_field_cstr(&b, header[i]);
	}
	csv_end_record(&b);
	/* Oldest first, as a ledger reads. */
	for (size_t k = ne; k-- > 0;) {
		const struct budget_entry *x = &e[k];
		const char *code = "";
		for (size_t j = 0; j < nl; j++)
			if (lines[j].id == x->line_id)
				code = lines[j].cost_code;
		csv_number(&b, x->id);
		csv_sep(&b);
		csv_field_cstr(&b, x->entry_date);
		csv_sep(&b);
		csv_field_cstr(&b, x->reverses ? "correction" : x->spend ? "spend" : "commitment");
		csv_sep(&b);
		csv_field_cstr(&b, x->line_kind_label);
		csv_sep(&b);
		csv_field_cstr(&b, x->source_name);
		csv_sep(&b);
		csv_field_cstr(&b, code);
		csv_sep(&b);
		csv_field_cstr(&b, x->supplier);
		csv_sep(&b);
		csv_field_cstr(&b, x->reference);
		csv_sep(&b);
		csv_field_cstr(&b, x->what_for);
		csv_sep(&b);
		csv_money(&b, x->amount_pence);
		csv_sep(&b);
		csv_money(&b, x->vat_pence);
		csv_sep(&b);
		csv_money(&b, x->amount_pence + x->vat_pence);
		csv_sep(&b);
		csv_field_cstr(&b, x->session_date ? x->session_date : "");
		csv_sep(&b);
		csv_field_cstr(&b, x->session_title ? x->session_title : "");
		csv_sep(&b);
		csv_field_cstr(&b, x->over_reason && x->over_approved_name ? x->over_approved_name : "");
		csv_sep(&b);
		csv_field_cstr(&b, x->over_reason ? x->over_reason : "");
		csv_sep(&b);
		if (x->reverses)
			csv_number(&b, x->reverses);
		csv_end_record(&b);
	}
	if (b.err) {
		page_error(r, w, 500);
		return;
	}
	resp_header(r, "Content-Disposition",
		    arena_printf(r->a, "attachment; filename=\"%s-budget-entries.csv\"", p.slug));
	resp_header(r, "Cache-Control", "no-store");
	resp_text(r, 200, "text/csv; charset=utf-8", sbuf_sv(&b));
}

/* --- Home ------------------------------------------------------------------------------ */

void home_budget(req *r, struct web *w)
{
	struct programme *ps;
	size_t n;
	tval *list;
	if (!w->sess || !(w->sess->role & (ROLE_PROGRAMME_LEAD | ROLE_FACILITATOR |
					   ROLE_BOARD_MEMBER)))
		return;
	if (programmes_list(w->db, r->a, NULL, &ps, &n) != DOMAIN_OK)
		return;
	list = tv_list(r->a);
	for (size_t i = 0; i < n; i++) {
		struct budget_totals t;
		int access = budget_access(w->db, w->sess->account_id, w->sess->role, ps[i].id);
		if (access <= BUDGET_NONE)
			continue;
		if (budget_totals(w->db, r->a, ps[i].id, NULL, NULL, &t) != DOMAIN_OK)
			return;
		if (access == BUDGET_TOTALS && !t.all.budget_pence)
			continue;
		tval *v = money_value(r, &t.all);
		tv_set_bool(v, "has_budget", t.all.budget_pence > 0);
		tv_set_str(v, "name", ps[i].name);
		tv_set_str(v, "href", budget_href(r, &ps[i], access >= BUDGET_RECORD ? "" : "/summary"));
		tv_push(list, v);
	}
	if (!tv_len(list) && w->sess->role != ROLE_PROGRAMME_LEAD)
		return;
	tval *h = tv_map(r->a);
	tv_set(h, "programmes", list);
	tv_set_bool(h, "has_programmes", tv_len(list) > 0);
	tv_set_bool(h, "is_lead", w->sess->role == ROLE_PROGRAMME_LEAD);
	tv_set(w->page, "budget_home", h);
}
