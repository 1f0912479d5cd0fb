/* web_diversity.c: the diversity page of a programme: participants against the local
 * population per category and stage, with a chart, a table and a one-line summary for
 * each, "Who are we leaving out?", and the same figures as CSV and JSON. Every count
 * shown has been through disclosure control (see domain/population.h). */
#include <string.h>

#include "core/chart.h"
#include "core/csv.h"
#include "core/disclosure.h"
#include "core/json.h"
#include "domain/population.h"
#include "domain/programmes.h"
#include "web/web_equality.h"

#define DIVERSITY_BODY_MAX (1024 * 1024) /* bytes of CSV, JSON or SVG */

static int diversity_programme(req *r, struct web *w, struct programme *p)
{
	char *slug = sv_dup(r->a, web_param(w, "slug"));
	bool may = false;
	int rc;
	if (!slug)
		return DB_ERR;
	rc = programme_get_by_slug(w->db, r->a, slug, p);
	if (rc == DOMAIN_OK)
		rc = equality_may_see_figures(w->db, w->sess->account_id, w->sess->role, p->id, &may);
	if (rc != DOMAIN_OK)
		return rc;
	return may ? DOMAIN_OK : DOMAIN_ENOTFOUND;
}

/* The stage the page compares with the population: ?stage=, volunteered by default. */
static enum equality_stage stage_asked(req *r)
{
	sv s = kv_get(&r->query, "stage");
	for (int i = 0; i < EQUALITY_STAGES; i++)
		if (sv_eq_cstr(s, equality_stage_slug((enum equality_stage)i)))
			return (enum equality_stage)i;
	return STAGE_VOLUNTEERED;
}

/* The people at a stage, as the words of a sentence: "volunteers who answered". */
static const char *stage_people(enum equality_stage s)
{
	static const char *const people[EQUALITY_STAGES] = {
	    "people who volunteered", "people selected", "people who attended at least once",
	    "people active now"};
	return s < EQUALITY_STAGES ? people[s] : "";
}

static const char *shown(req *r, struct disclosed d)
{
	return disclosure_text(r->a, d);
}

static const char *percent(req *r, int64_t ppm)
{
	sbuf b;
	sbuf_init(&b, r->a, 32);
	disclosure_format_ppm(&b, ppm);
	return b.err ? "" : b.buf;
}

/* A gap in percentage points as a plain number for a spreadsheet: "2.5", "-10.0". It is
 * appended as is, not through csv_field, whose guard against formulas would turn a
 * leading minus into text; a number we work out ourselves is never a formula. */
static void csv_points(sbuf *b, int64_t ppm)
{
	int64_t a = ppm < 0 ? -ppm : ppm;
	int64_t tenths = (a + 500) / 1000;
	sbuf_addf(b, "%s%lld.%lld", ppm < 0 && tenths > 0 ? "-" : "", (long long)(tenths / 10),
		  (long long)(tenths % 10));
}

/* A gap in percentage points with its sign: "+2.5", "-10.0". */
static const char *points(req *r, int64_t ppm)
{
	sbuf b;
	int64_t a = ppm < 0 ? -ppm : ppm;
	int64_t tenths = (a + 500) / 1000;
	sbuf_init(&b, r->a, 32);
	sbuf_addf(&b, "%s%lld.%lld", ppm < 0 ? "-" : ppm > 0 ? "+" : "",
		  (long long)(tenths / 10), (long long)(tenths % 10));
	return b.err ? "" : b.buf;
}

/* The one-line summary of a category at STAGE. */
static const char *summary_line(req *r, const struct diversity_category *c,
				enum equality_stage s)
{
	const struct diversity_row *worst = NULL;
	if (c->totals[s].suppressed)
		return arena_printf(r->a, "Fewer than %d people at this stage, so no figures are "
		                          "shown",
				    disclosure_threshold());
	if (!c->has_population)
		return "No population figures to compare with yet";
	for (size_t i = 0; i + 1 < c->n_rows; i++)
		if (diversity_fairly_under(c, &c->rows[i], s) &&
		    (!worst || c->rows[i].gap_ppm[s] < worst->gap_ppm[s]))
			worst = &c->rows[i];
	if (!worst)
		return "No group can be shown to be under-represented compared with the "
		       "population, from the figures we can show";
	return arena_printf(r->a, "Most under-represented: %s, about %s of participants who "
	                          "answered against %s of the population",
			    worst->label, percent(r, worst->share_ppm[s]),
			    percent(r, worst->pop_share_ppm));
}

static tval *category_value(req *r, const struct programme *p,
			    const struct diversity_category *c, enum equality_stage s)
{
	tval *v = tv_map(r->a), *rows = tv_list(r->a), *totals = tv_list(r->a),
	     *answered = tv_list(r->a);
	tv_set_str(v, "slug", c->slug);
	tv_set_str(v, "id", arena_printf(r->a, "category-%s", c->slug));
	tv_set_str(v, "label", c->label);
	tv_set_bool(v, "illustrative", c->illustrative);
	tv_set_bool(v, "has_population", c->has_population);
	tv_set_str(v, "source", c->source);
	tv_set_str(v, "summary", summary_line(r, c, s));
	tv_set_str(v, "chart_src", arena_printf(r->a, "/programmes/%s/diversity/%s/chart.svg?stage=%s",
						 p->slug, c->slug, equality_stage_slug(s)));
	tv_set_str(v, "chart_alt", arena_printf(r->a, "%s: %s", c->label, summary_line(r, c, s)));
	for (size_t i = 0; i < c->n_rows; i++) {
		const struct diversity_row *row = &c->rows[i];
		tval *rv = tv_map(r->a), *counts = tv_list(r->a);
		tv_set_str(rv, "label", row->label);
		tv_set_str(rv, "population", row->has_pop ? percent(r, row->pop_share_ppm) : "");
		for (int k = 0; k < EQUALITY_STAGES; k++) {
			tval *cv = tv_map(r->a);
			tv_set_str(cv, "text", shown(r, row->count[k]));
			tv_push(counts, cv);
		}
		tv_set(rv, "counts", counts);
		tv_set_str(rv, "share", row->has_share[s] ? percent(r, row->share_ppm[s]) : "");
		tv_set_str(rv, "gap", row->has_gap[s] ? points(r, row->gap_ppm[s]) : "");
		tv_push(rows, rv);
	}
	for (int k = 0; k < EQUALITY_STAGES; k++) {
		tval *cv = tv_map(r->a), *av = tv_map(r->a);
		tv_set_str(cv, "text", shown(r, c->totals[k]));
		tv_push(totals, cv);
		tv_set_str(av, "text", shown(r, c->answered[k]));
		tv_push(answered, av);
	}
	tv_set(v, "rows", rows);
	tv_set(v, "totals", totals);
	tv_set(v, "answered", answered);
	return v;
}

void web_diversity(req *r, struct web *w)
{
	struct programme p;
	struct diversity_category *cats;
	struct leaving_out *lo;
	size_t n, nlo;
	enum equality_stage s = stage_asked(r);
	tval *list = tv_list(r->a), *stages = tv_list(r->a), *headers = tv_list(r->a),
	     *leaving = tv_list(r->a);
	bool any_illustrative = false;
	int rc = diversity_programme(r, w, &p);
	if (rc == DOMAIN_OK)
		rc = diversity_all(w->db, r->a, p.id, &cats, &n);
	if (rc == DOMAIN_OK)
		rc = diversity_leaving_out(w->db, r->a, cats, n, s, &lo, &nlo);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		tv_push(list, category_value(r, &p, &cats[i], s));
		any_illustrative = any_illustrative || cats[i].illustrative;
	}
	for (int k = 0; k < EQUALITY_STAGES; k++) {
		tval *sv_ = tv_map(r->a), *h = tv_map(r->a);
		tv_set_str(sv_, "label", equality_stage_label((enum equality_stage)k));
		tv_set_str(sv_, "href", arena_printf(r->a, "/programmes/%s/diversity?stage=%s", p.slug,
						      equality_stage_slug((enum equality_stage)k)));
		tv_set_bool(sv_, "current", k == (int)s);
		tv_push(stages, sv_);
		tv_set_str(h, "label", equality_stage_label((enum equality_stage)k));
		tv_push(headers, h);
	}
	for (size_t i = 0; i < nlo; i++) {
		tval *v = tv_map(r->a), *assets = tv_list(r->a);
		const char *gap = points(r, lo[i].gap_ppm); /* a positive gap: "+12.5" */
		tv_set_str(v, "category", lo[i].category_label);
		tv_set_str(v, "value", lo[i].value_label);
		tv_set_str(v, "gap", *gap == '+' ? gap + 1 : gap);
		tv_set_str(v, "population", percent(r, lo[i].pop_share_ppm));
		tv_set_str(v, "share", percent(r, lo[i].share_ppm));
		for (size_t k = 0; k < lo[i].n_assets; k++) {
			tval *a = tv_map(r->a);
			tv_set_str(a, "name", lo[i].assets[k].name);
			tv_set_str(a, "who", lo[i].assets[k].who_they_reach);
			tv_push(assets, a);
		}
		tv_set(v, "assets", assets);
		tv_set_bool(v, "has_assets", lo[i].n_assets > 0);
		tv_push(leaving, v);
	}
	tv_set_str(w->page, "programme_name", p.name);
	tv_set_str(w->page, "slug", p.slug);
	tv_set_str(w->page, "stage_label", equality_stage_label(s));
	tv_set_str(w->page, "stage_people", stage_people(s));
	tv_set_str(w->page, "stage_slug", equality_stage_slug(s));
	tv_set(w->page, "stages", stages);
	tv_set(w->page, "stage_headers", headers);
	tv_set(w->page, "categories", list);
	tv_set(w->page, "leaving_out", leaving);
	tv_set_bool(w->page, "has_leaving_out", nlo > 0);
	tv_set_bool(w->page, "any_illustrative", any_illustrative);
	tv_set_int(w->page, "threshold", disclosure_threshold());
	tv_set_bool(w->page, "is_lead", w->sess->role == ROLE_PROGRAMME_LEAD);
	page_render(r, w, 200, "diversity", "Diversity: who takes part");
}

void web_diversity_chart(req *r, struct web *w)
{
	struct programme p;
	struct diversity_category c;
	enum equality_stage s = stage_asked(r);
	char *slug = sv_dup(r->a, web_param(w, "category"));
	const char **labels;
	int64_t *pop, *part;
	bool *pop_missing, *part_missing;
	struct chart_series series[2];
	struct chart ch;
	sbuf out;
	size_t n;
	int rc = diversity_programme(r, w, &p);
	if (rc == DOMAIN_OK)
		rc = slug ? diversity_category(w->db, r->a, p.id, slug, &c) : DB_ERR;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	/* The last row (not answered) has no population share: it is in the table only. */
	n = c.n_rows > 1 ? c.n_rows - 1 : 0;
	labels = arena_calloc(r->a, n + 1, sizeof(*labels));
	pop = arena_calloc(r->a, n + 1, sizeof(*pop));
	part = arena_calloc(r->a, n + 1, sizeof(*part));
	pop_missing = arena_calloc(r->a, n + 1, sizeof(*pop_missing));
	part_missing = arena_calloc(r->a, n + 1, sizeof(*part_missing));
	if (!labels || !pop || !part || !pop_missing || !part_missing) {
		page_error(r, w, 500);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		labels[i] = c.rows[i].label;
		pop[i] = c.rows[i].pop_share_ppm;
		pop_missing[i] = !c.rows[i].has_pop;
		part[i] = c.rows[i].share_ppm[s];
		part_missing[i] = !c.rows[i].has_share[s];
	}
	series[0] = (struct chart_series){arena_printf(r->a, "Participants (%s)",
						       equality_stage_label(s)),
					  part, part_missing};
	series[1] = (struct chart_series){"Population", pop, pop_missing};
	memset(&ch, 0, sizeof(ch));
	ch.kind = CHART_BARS;
	ch.unit = CHART_PERCENT;
	ch.title = arena_printf(r->a, "%s: participants against the population", c.label);
	ch.summary = summary_line(r, &c, s);
	ch.n_labels = n;
	ch.labels = labels;
	ch.n_series = 2;
	ch.series = series;
	sbuf_init(&out, r->a, DIVERSITY_BODY_MAX);
	if (n == 0 || chart_svg(&out, &ch) != 0 || out.err) {
		page_error(r, w, 404);
		return;
	}
	resp_text(r, 200, CHART_SVG_TYPE, sbuf_sv(&out));
}

void web_diversity_csv(req *r, struct web *w)
{
	struct programme p;
	struct diversity_category *cats;
	size_t n;
	sbuf b;
	int rc = diversity_programme(r, w, &p);
	if (rc == DOMAIN_OK)
		rc = diversity_all(w->db, r->a, p.id, &cats, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	sbuf_init(&b, r->a, DIVERSITY_BODY_MAX);
	sbuf_adds(&b, "category,value,label,population_share_percent,population_illustrative,"
	              "stage,participants,participants_share_percent,gap_percentage_points");
	csv_end_record(&b);
	for (size_t i = 0; i < n; i++) {
		const struct diversity_category *c = &cats[i];
		for (size_t k = 0; k < c->n_rows; k++) {
			const struct diversity_row *row = &c->rows[k];
			for (int s = 0; s < EQUALITY_STAGES; s++) {
				csv_field_cstr(&b, c->slug);
				csv_sep(&b);
				csv_field_cstr(&b, row->value);
				csv_sep(&b);
				csv_field_cstr(&b, row->label);
				csv_sep(&b);
				csv_field_cstr(&b, row->has_pop ? percent(r, row->pop_share_ppm) : "");
				csv_sep(&b);
				csv_field_cstr(&b, c->illustrative ? "yes" : "no");
				csv_sep(&b);
				csv_field_cstr(&b, equality_stage_slug((enum equality_stage)s));
				csv_sep(&b);
				csv_field_cstr(&b, shown(r, row->count[s]));
				csv_sep(&b);
				csv_field_cstr(&b, row->has_share[s] ? percent(r, row->share_ppm[s]) : "");
				csv_sep(&b);
				if (row->has_gap[s])
					csv_points(&b, row->gap_ppm[s]);
				csv_end_record(&b);
			}
		}
	}
	if (b.err) {
		page_error(r, w, 500);
		return;
	}
	resp_header(r, "Content-Disposition",
		    arena_printf(r->a, "attachment; filename=\"%s-diversity.csv\"", p.slug));
	resp_text(r, 200, "text/csv; charset=utf-8", sbuf_sv(&b));
}

static void json_disclosed(json *j, req *r, struct disclosed d)
{
	json_obj(j);
	json_key(j, "suppressed");
	json_bool(j, d.suppressed);
	json_key(j, "count");
	if (d.suppressed)
		json_null(j);
	else
		json_int(j, d.value);
	json_key(j, "shown");
	json_cstr(j, shown(r, d));
	json_end(j);
}

void web_diversity_json(req *r, struct web *w)
{
	struct programme p;
	struct diversity_category *cats;
	size_t n;
	sbuf b;
	json j;
	int rc = diversity_programme(r, w, &p);
	if (rc == DOMAIN_OK)
		rc = diversity_all(w->db, r->a, p.id, &cats, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	sbuf_init(&b, r->a, DIVERSITY_BODY_MAX);
	json_init(&j, &b);
	json_obj(&j);
	json_key(&j, "programme");
	json_cstr(&j, p.slug);
	json_key(&j, "suppressed_below");
	json_int(&j, disclosure_threshold());
	json_key(&j, "rounded_to");
	json_int(&j, 5);
	json_key(&j, "categories");
	json_arr(&j);
	for (size_t i = 0; i < n; i++) {
		const struct diversity_category *c = &cats[i];
		json_obj(&j);
		json_key(&j, "category");
		json_cstr(&j, c->slug);
		json_key(&j, "label");
		json_cstr(&j, c->label);
		json_key(&j, "population_illustrative");
		json_bool(&j, c->illustrative);
		json_key(&j, "population_source");
		json_cstr(&j, c->source);
		json_key(&j, "totals");
		json_obj(&j);
		for (int s = 0; s < EQUALITY_STAGES; s++) {
			json_key(&j, equality_stage_slug((enum equality_stage)s));
			json_disclosed(&j, r, c->totals[s]);
		}
		json_end(&j);
		json_key(&j, "answered");
		json_obj(&j);
		for (int s = 0; s < EQUALITY_STAGES; s++) {
			json_key(&j, equality_stage_slug((enum equality_stage)s));
			json_disclosed(&j, r, c->answered[s]);
		}
		json_end(&j);
		json_key(&j, "values");
		json_arr(&j);
		for (size_t k = 0; k < c->n_rows; k++) {
			const struct diversity_row *row = &c->rows[k];
			json_obj(&j);
			json_key(&j, "value");
			json_cstr(&j, *row->value ? row->value : NULL);
			json_key(&j, "label");
			json_cstr(&j, row->label);
			json_key(&j, "population_share_ppm");
			if (row->has_pop)
				json_int(&j, row->pop_share_ppm);
			else
				json_null(&j);
			json_key(&j, "stages");
			json_obj(&j);
			for (int s = 0; s < EQUALITY_STAGES; s++) {
				json_key(&j, equality_stage_slug((enum equality_stage)s));
				json_obj(&j);
				json_key(&j, "participants");
				json_disclosed(&j, r, row->count[s]);
				json_key(&j, "share_ppm");
				if (row->has_share[s])
					json_int(&j, row->share_ppm[s]);
				else
					json_null(&j);
				json_key(&j, "gap_ppm");
				if (row->has_gap[s])
					json_int(&j, row->gap_ppm[s]);
				else
					json_null(&j);
				json_end(&j);
			}
			json_end(&j);
			json_end(&j);
		}
		json_end(&j);
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
	if (b.err) {
		page_error(r, w, 500);
		return;
	}
	resp_text(r, 200, "application/json; charset=utf-8", sbuf_sv(&b));
}
