/* web_indicators.c: outcome indicators for everyone: the list, one indicator with its
 * trend chart, table and summary; and for programme leads, defining indicators and
 * adding their values by hand or from a CSV file. */
#include <inttypes.h>
#include <string.h>

#include "core/chart.h"
#include "core/json.h"
#include "core/log.h"
#include "domain/indicators.h"
#include "domain/priorities.h"
#include "web/web_evidence.h"

#define CHART_SVG_MAX (256 * 1024)

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

/* The latest local figure of a series: index, or -1. */
static int latest_local(const struct indicator_series *s)
{
	for (size_t i = s->n; i > 0; i--)
		if (!s->local_missing[i - 1])
			return (int)(i - 1);
	return -1;
}

/* {name, href, unit, latest, period, trend, illustrative, areas} for lists. */
static tval *indicator_brief(req *r, struct web *w, const struct indicator *x, bool areas)
{
	struct indicator_series s;
	tval *v = tv_map(r->a);
	int rc = indicator_series_get(w->db, r->a, x->id, &s), last;
	tv_set_str(v, "name", x->name);
	tv_set_str(v, "href", arena_printf(r->a, "/indicators/%" PRId64, x->id));
	tv_set_str(v, "unit", x->unit);
	tv_set_str(v, "source_id", x->source_id);
	if (rc != DOMAIN_OK) {
		log_error("indicators: cannot read the series of %" PRId64 " (%d)", x->id, rc);
		return v;
	}
	last = latest_local(&s);
	if (last >= 0) {
		tv_set_str(v, "latest", milli_text(r->a, s.local[last], x->decimals));
		tv_set_str(v, "period", s.periods[last]);
	}
	tv_set_str(v, "trend", indicator_trend_word(&s));
	tv_set_bool(v, "illustrative", s.illustrative);
	if (areas) {
		struct indicator_area *as;
		size_t n;
		tval *list = tv_list(r->a);
		if (indicator_areas(w->db, r->a, x->id, &as, &n) == DOMAIN_OK)
			for (size_t i = 0; i < n; i++) {
				tval *m = tv_map(r->a);
				tv_set_str(m, "name", as[i].name);
				tv_set_str(m, "href", arena_printf(r->a, "/priorities/%s", as[i].slug));
				tv_push(list, m);
			}
		tv_set(v, "areas", list);
	}
	return v;
}

static const char *values_text(req *r, int64_t n)
{
	return n == 1 ? "1 value" : arena_printf(r->a, "%" PRId64 " values", n);
}

/* "Values imported: 3 values added and 1 value replaced." from the import's redirect. */
static const char *import_notice(req *r)
{
	int64_t added = 0, replaced = 0;
	if (sv_to_i64(kv_get(&r->query, "added"), &added) != 0 || added < 0 ||
	    sv_to_i64(kv_get(&r->query, "replaced"), &replaced) != 0 || replaced < 0)
		return "Values imported.";
	return arena_printf(r->a, "Values imported: %s added and %s replaced.", values_text(r, added),
			    values_text(r, replaced));
}

void web_indicators(req *r, struct web *w)
{
	static const char *const done[] = {
		"added", "Indicator added.", NULL, NULL};
	struct indicator *xs;
	size_t n;
	tval *list = tv_list(r->a);
	int rc = indicators_list(w->db, r->a, &xs, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++)
		tv_push(list, indicator_brief(r, w, &xs[i], true));
	tv_set(w->page, "indicators", list);
	tv_set_bool(w->page, "has_indicators", n > 0);
	tv_set_bool(w->page, "is_lead", web_has_role(w, ROLE_PROGRAMME_LEAD));
	put_done(r, w, done);
	if (sv_eq_cstr(kv_get(&r->query, "done"), "imported"))
		page_notice(w, import_notice(r));
	page_render(r, w, 200, "indicators", "Outcome indicators");
}

/* --- One indicator -------------------------------------------------------------------- */

static int load_indicator(req *r, struct web *w, struct indicator_series *s)
{
	int64_t id = path_id(w, "id");
	return id ? indicator_series_get(w->db, r->a, id, s) : DOMAIN_ENOTFOUND;
}

static const char *chart_title(req *r, const struct indicator *x)
{
	return arena_printf(r->a, "%s (%s), %s and %s", x->name, x->unit, INDICATOR_LOCAL_NAME,
			    INDICATOR_COMPARATOR_NAME);
}

void web_indicator(req *r, struct web *w)
{
	static const char *const done[] = {"value", "Value saved.", "changed", "Indicator changed.",
					   NULL, NULL};
	struct indicator_series s;
	struct indicator_value *vals;
	struct indicator_area *areas;
	size_t n_vals, n_areas;
	tval *rows = tv_list(r->a), *area_list = tv_list(r->a);
	int rc = load_indicator(r, w, &s);

	if (rc == DOMAIN_OK)
		rc = indicator_values(w->db, r->a, s.ind.id, NULL, &vals, &n_vals);
	if (rc == DOMAIN_OK)
		rc = indicator_areas(w->db, r->a, s.ind.id, &areas, &n_areas);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	/* The table beside the chart: one row per period, both areas, and whether the
	 * figures are illustrative. */
	for (size_t i = 0; i < s.n; i++) {
		tval *row = tv_map(r->a);
		bool ill = false;
		tv_set_str(row, "period", s.periods[i]);
		tv_set_str(row, "local", s.local_missing[i]
						 ? "No figure"
						 : milli_text(r->a, s.local[i], s.ind.decimals));
		tv_set_str(row, "comparator",
			   s.comparator_missing[i]
				   ? "No figure"
				   : milli_text(r->a, s.comparator[i], s.ind.decimals));
		for (size_t k = 0; k < n_vals; k++)
			if (strcmp(vals[k].period, s.periods[i]) == 0 && vals[k].illustrative &&
			    (strcmp(vals[k].area_code, INDICATOR_LOCAL_CODE) == 0 ||
			     strcmp(vals[k].area_code, INDICATOR_COMPARATOR_CODE) == 0))
				ill = true;
		tv_set_str(row, "source", ill ? "Illustrative figures" : s.ind.source);
		tv_push(rows, row);
	}
	for (size_t i = 0; i < n_areas; i++) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "name", areas[i].name);
		tv_set_str(m, "href", arena_printf(r->a, "/priorities/%s", areas[i].slug));
		tv_push(area_list, m);
	}
	tv_set_int(w->page, "id", s.ind.id);
	tv_set_str(w->page, "name", s.ind.name);
	tv_set_str(w->page, "unit", s.ind.unit);
	tv_set_str(w->page, "polarity", indicator_polarity_label(s.ind.polarity));
	tv_set_str(w->page, "source", s.ind.source);
	tv_set_str(w->page, "source_id", s.ind.source_id);
	tv_set_bool(w->page, "fingertips",
		    strstr(s.ind.source, "Fingertips") != NULL && s.ind.source_id[0]);
	tv_set_str(w->page, "geography", s.ind.geography);
	tv_set_str(w->page, "period_type", indicator_period_type_label(s.ind.period_type));
	tv_set_str(w->page, "description", s.ind.description);
	tv_set(w->page, "areas", area_list);
	tv_set_bool(w->page, "has_areas", n_areas > 0);
	tv_set(w->page, "rows", rows);
	tv_set_bool(w->page, "has_rows", s.n > 0);
	tv_set_bool(w->page, "illustrative", s.illustrative);
	tv_set_str(w->page, "chart_src", arena_printf(r->a, "/indicators/%" PRId64 "/chart.svg",
						      s.ind.id));
	tv_set_str(w->page, "chart_title", chart_title(r, &s.ind));
	tv_set_str(w->page, "summary", indicator_summary(r->a, &s));
	tv_set_str(w->page, "local_name", INDICATOR_LOCAL_NAME);
	tv_set_str(w->page, "comparator_name", INDICATOR_COMPARATOR_NAME);
	tv_set_bool(w->page, "is_lead", web_has_role(w, ROLE_PROGRAMME_LEAD));
	put_done(r, w, done);
	page_render(r, w, 200, "indicator", s.ind.name);
}

void web_indicator_chart(req *r, struct web *w)
{
	struct indicator_series s;
	struct chart_series series[2];
	struct chart c;
	sbuf svg;
	int rc = load_indicator(r, w, &s);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	if (s.n == 0) {
		page_error(r, w, 404);
		return;
	}
	series[0] = (struct chart_series){INDICATOR_LOCAL_NAME, s.local, s.local_missing};
	series[1] = (struct chart_series){INDICATOR_COMPARATOR_NAME, s.comparator,
					  s.comparator_missing};
	memset(&c, 0, sizeof(c));
	c.kind = CHART_LINES;
	c.unit = CHART_VALUE;
	/* Values are thousandths: show them with the indicator's places by scaling down. */
	c.decimals = 3;
	c.title = chart_title(r, &s.ind);
	c.summary = indicator_summary(r->a, &s);
	c.n_labels = s.n;
	c.labels = s.periods;
	c.n_series = 2;
	c.series = series;
	if (s.ind.decimals < 3) {
		/* Round each value to the indicator's places so the chart shows what the table
		 * shows. */
		int64_t div = s.ind.decimals == 0 ? 1000 : s.ind.decimals == 1 ? 100 : 10;
		int64_t *l = arena_calloc(r->a, s.n, sizeof(*l)), *e = arena_calloc(r->a, s.n, sizeof(*e));
		if (!l || !e) {
			page_error(r, w, 500);
			return;
		}
		for (size_t i = 0; i < s.n; i++) {
			l[i] = (s.local[i] + (s.local[i] >= 0 ? div / 2 : -div / 2)) / div;
			e[i] = (s.comparator[i] + (s.comparator[i] >= 0 ? div / 2 : -div / 2)) / div;
		}
		series[0].values = l;
		series[1].values = e;
		c.decimals = s.ind.decimals;
	}
	sbuf_init(&svg, r->a, CHART_SVG_MAX);
	if (chart_svg(&svg, &c) != 0 || svg.err) {
		log_error("indicators: cannot draw the chart of %" PRId64, s.ind.id);
		page_error(r, w, 500);
		return;
	}
	resp_text(r, 200, CHART_SVG_TYPE, sbuf_sv(&svg));
}

/* --- Defining an indicator ------------------------------------------------------------- */

static const char *const indicator_fields[] = {"code", "name", "unit", "polarity", "source",
					       "source_id", "geography", "period_type",
					       "decimals", "description", NULL};

/* The form to define an indicator, or to change indicator EDIT (NULL for a new one):
 * what was typed when the form was sent, else EDIT's definition. */
static void indicator_form(req *r, struct web *w, int status, const struct field_errors *fe,
			   const struct indicator *edit)
{
	static const struct {
		const char *slug, *label;
	} types[] = {{"calendar_year", "Calendar year"},
		     {"financial_year", "Financial year"},
		     {"three_years", "Three years pooled"},
		     {"other", "Other"}};
	struct priority_area *areas;
	struct indicator_area *linked = NULL;
	size_t n, n_linked = 0;
	bool sent = r->method == HTTP_POST;
	tval *area_list = tv_list(r->a), *type_list = tv_list(r->a), *pol = tv_list(r->a);
	int rc = priorities_list(w->db, r->a, &areas, &n);
	sv chosen_type = kv_get(&r->form, "period_type"), chosen_pol = kv_get(&r->form, "polarity");
	if (rc == DOMAIN_OK && edit && !sent)
		rc = indicator_areas(w->db, r->a, edit->id, &linked, &n_linked);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	if (edit && !sent) {
		chosen_type = sv_from(edit->period_type);
		chosen_pol = sv_from(indicator_polarity_slug(edit->polarity));
	}
	for (size_t i = 0; i < n; i++) {
		tval *m = tv_map(r->a);
		char *idtext = arena_printf(r->a, "%" PRId64, areas[i].id);
		bool checked = false;
		for (size_t k = 0; k < r->form.n; k++)
			if (sv_eq_cstr(r->form.items[k].key, "areas") &&
			    sv_eq_cstr(r->form.items[k].val, idtext))
				checked = true;
		for (size_t k = 0; k < n_linked; k++)
			if (linked[k].id == areas[i].id)
				checked = true;
		tv_set_str(m, "id", i == 0 ? "areas" : arena_printf(r->a, "areas-%zu", i));
		tv_set_str(m, "value", idtext);
		tv_set_str(m, "label", areas[i].name);
		tv_set_bool(m, "checked", checked);
		tv_push(area_list, m);
	}
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "id", i == 0 ? "period_type" : arena_printf(r->a, "period_type-%zu", i));
		tv_set_str(m, "value", types[i].slug);
		tv_set_str(m, "label", types[i].label);
		tv_set_bool(m, "checked", sv_eq_cstr(chosen_type, types[i].slug));
		tv_push(type_list, m);
	}
	for (int i = 0; i < 2; i++) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "id", i == 0 ? "polarity" : "polarity-lower");
		tv_set_str(m, "value", indicator_polarity_slug((enum indicator_polarity)i));
		tv_set_str(m, "label", indicator_polarity_label((enum indicator_polarity)i));
		tv_set_bool(m, "checked",
			    sv_eq_cstr(chosen_pol, indicator_polarity_slug((enum indicator_polarity)i)));
		tv_push(pol, m);
	}
	page_form_errors(r, w, fe, indicator_fields);
	if (edit && !sent) {
		tval *values = tv_map(r->a);
		tv_set_str(values, "code", edit->code);
		tv_set_str(values, "name", edit->name);
		tv_set_str(values, "unit", edit->unit);
		tv_set_str(values, "source", edit->source);
		tv_set_str(values, "source_id", edit->source_id);
		tv_set_str(values, "geography", edit->geography);
		tv_set_str(values, "decimals", arena_printf(r->a, "%d", edit->decimals));
		tv_set_str(values, "description", edit->description);
		tv_set(w->page, "values", values);
	}
	tv_set(w->page, "area_options", area_list);
	tv_set(w->page, "period_types", type_list);
	tv_set(w->page, "polarities", pol);
	if (edit) {
		tv_set_bool(w->page, "editing", true);
		tv_set_str(w->page, "action", arena_printf(r->a, "/indicators/%" PRId64 "/edit", edit->id));
		tv_set_str(w->page, "back", arena_printf(r->a, "/indicators/%" PRId64, edit->id));
	} else {
		tv_set_str(w->page, "action", "/indicators/new");
		tv_set_str(w->page, "back", "/indicators");
	}
	page_render(r, w, status, "indicator_new", edit ? "Change the indicator" : "Add an indicator");
}

void web_indicator_new(req *r, struct web *w)
{
	indicator_form(r, w, 200, NULL, NULL);
}

/* The indicator as the form sent it; IDS holds the areas ticked. */
static void indicator_from_form(req *r, struct indicator_input *in, int64_t *ids, size_t max)
{
	size_t n = 0;
	for (size_t k = 0; k < r->form.n && n < max; k++)
		if (sv_eq_cstr(r->form.items[k].key, "areas") &&
		    sv_to_i64(r->form.items[k].val, &ids[n]) == 0)
			n++;
	memset(in, 0, sizeof(*in));
	in->code = kv_get(&r->form, "code");
	in->name = kv_get(&r->form, "name");
	in->unit = kv_get(&r->form, "unit");
	in->polarity = kv_get(&r->form, "polarity");
	in->source = kv_get(&r->form, "source");
	in->source_id = kv_get(&r->form, "source_id");
	in->geography = kv_get(&r->form, "geography");
	in->period_type = kv_get(&r->form, "period_type");
	in->decimals = kv_get(&r->form, "decimals");
	in->description = kv_get(&r->form, "description");
	in->priority_area_ids = ids;
	in->n_areas = n;
}

#define AREAS_TICKED_MAX 64

void web_indicator_create(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct field_errors fe;
	struct indicator_input in;
	int64_t ids[AREAS_TICKED_MAX], id = 0;
	int rc;
	indicator_from_form(r, &in, ids, AREAS_TICKED_MAX);
	field_errors_init(&fe);
	rc = indicator_create(w->db, r->a, &who, &in, &fe, &id);
	if (rc == DOMAIN_EINVALID) {
		indicator_form(r, w, 400, &fe, NULL);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/indicators/%" PRId64, id));
}

void web_indicator_edit(req *r, struct web *w)
{
	struct indicator x;
	int64_t id = path_id(w, "id");
	int rc = id ? indicator_get(w->db, r->a, id, &x) : DOMAIN_ENOTFOUND;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	indicator_form(r, w, 200, NULL, &x);
}

void web_indicator_update(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct field_errors fe;
	struct indicator_input in;
	struct indicator x;
	int64_t ids[AREAS_TICKED_MAX], id = path_id(w, "id");
	int rc = id ? indicator_get(w->db, r->a, id, &x) : DOMAIN_ENOTFOUND;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	indicator_from_form(r, &in, ids, AREAS_TICKED_MAX);
	field_errors_init(&fe);
	rc = indicator_update(w->db, r->a, &who, id, &in, &fe);
	if (rc == DOMAIN_EINVALID) {
		indicator_form(r, w, 400, &fe, &x);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/indicators/%" PRId64 "?done=changed", id));
}

/* --- Values ------------------------------------------------------------------------------ */

static const char *const value_fields[] = {"area_code", "area_name", "period", "value",
					   "lower", "upper", "count", "denominator", NULL};

static void value_form(req *r, struct web *w, const struct indicator *x, int status,
		       const struct field_errors *fe)
{
	page_form_errors(r, w, fe, value_fields);
	if (!fe) {
		/* The local area by default: what a lead types most. */
		tval *values = tv_get(w->page, "values");
		if (!values) {
			values = tv_map(r->a);
			tv_set(w->page, "values", values);
		}
		tv_set_str(values, "area_code", INDICATOR_LOCAL_CODE);
		tv_set_str(values, "area_name", INDICATOR_LOCAL_NAME);
	}
	tv_set_bool(w->page, "illustrative_checked", kv_get(&r->form, "illustrative").ptr != NULL);
	tv_set_int(w->page, "id", x->id);
	tv_set_str(w->page, "name", x->name);
	tv_set_str(w->page, "unit", x->unit);
	page_render(r, w, status, "indicator_value_new", "Add a value");
}

void web_indicator_value_new(req *r, struct web *w)
{
	struct indicator x;
	int64_t id = path_id(w, "id");
	int rc = id ? indicator_get(w->db, r->a, id, &x) : DOMAIN_ENOTFOUND;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	value_form(r, w, &x, 200, NULL);
}

void web_indicator_value_create(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct indicator x;
	struct indicator_value_input in;
	struct field_errors fe;
	int64_t id = path_id(w, "id");
	int rc = id ? indicator_get(w->db, r->a, id, &x) : DOMAIN_ENOTFOUND;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	in.area_code = kv_get(&r->form, "area_code");
	in.area_name = kv_get(&r->form, "area_name");
	in.period = kv_get(&r->form, "period");
	in.value = kv_get(&r->form, "value");
	in.lower = kv_get(&r->form, "lower");
	in.upper = kv_get(&r->form, "upper");
	in.count = kv_get(&r->form, "count");
	in.denominator = kv_get(&r->form, "denominator");
	in.illustrative = kv_get(&r->form, "illustrative").ptr != NULL;
	field_errors_init(&fe);
	rc = indicator_value_set(w->db, r->a, &who, id, &in, &fe, NULL);
	if (rc == DOMAIN_EINVALID) {
		value_form(r, w, &x, 400, &fe);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/indicators/%" PRId64 "?done=value", id));
}

/* --- CSV import -------------------------------------------------------------------------- */

static void import_page(req *r, struct web *w, const struct indicator_import_result *res,
			int status)
{
	tval *errors = tv_list(r->a);
	if (res)
		for (size_t i = 0; i < res->n_errors; i++) {
			tval *m = tv_map(r->a);
			tv_set_int(m, "line", res->errors[i].line);
			tv_set_str(m, "message", res->errors[i].message);
			tv_push(errors, m);
		}
	if (res && (res->n_errors || res->n_more_errors)) {
		tval *summary = tv_list(r->a), *err = tv_map(r->a), *e = tv_map(r->a);
		tv_set_str(e, "href", "#file");
		tv_set_str(e, "text",
			   res->n_errors == 1 && !res->n_more_errors
				   ? "One line of the file has a problem: nothing was imported"
				   : arena_printf(r->a, "%zu lines of the file have problems: nothing "
							"was imported",
						  res->n_errors + res->n_more_errors));
		tv_push(summary, e);
		tv_set(w->page, "errors", summary);
		tv_set_bool(w->page, "has_errors", true);
		tv_set_str(err, "file", "Fix the lines listed below, then choose the corrected file "
					"or paste the corrected text again");
		tv_set(w->page, "error", err);
	}
	tv_set(w->page, "line_errors", errors);
	tv_set_bool(w->page, "has_line_errors", res && res->n_errors > 0);
	if (res && res->n_more_errors)
		tv_set_str(w->page, "more_errors",
			   arena_printf(r->a, "and %zu more lines with problems", res->n_more_errors));
	tv_set_bool(w->page, "illustrative_checked", kv_get(&r->form, "illustrative").ptr != NULL);
	page_render(r, w, status, "indicator_import", "Import indicator values");
}

void web_indicator_import_form(req *r, struct web *w)
{
	import_page(r, w, NULL, 200);
}

static sv uploaded(req *r, const char *field)
{
	for (struct upload *u = r->uploads; u; u = u->next)
		if (sv_eq_cstr(u->field, field))
			return u->data;
	return SV_NULL;
}

void web_indicator_import(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct indicator_import_result res;
	sv csv = uploaded(r, "file");
	int rc;
	if (!csv.ptr || !csv.len)
		csv = kv_get(&r->form, "csv");
	memset(&res, 0, sizeof(res));
	if (!csv.ptr || !sv_trim(csv).len) {
		struct import_error *e = arena_calloc(r->a, 1, sizeof(*e));
		if (!e) {
			page_error(r, w, 500);
			return;
		}
		e->line = 1;
		e->message = "Choose a CSV file to import, or paste its text";
		res.errors = e;
		res.n_errors = 1;
		import_page(r, w, &res, 400);
		return;
	}
	rc = indicator_import_csv(w->db, r->a, &who, csv,
				  kv_get(&r->form, "illustrative").ptr != NULL, &res);
	if (rc == DOMAIN_EINVALID) {
		import_page(r, w, &res, 400);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/indicators?done=imported&added=%zu&replaced=%zu",
				      res.added, res.replaced));
}

/* --- The priority area page's part ------------------------------------------------------ */

void priority_indicators(req *r, struct web *w, int64_t priority_area_id)
{
	struct indicator *xs;
	size_t n;
	tval *list = tv_list(r->a);
	int rc = indicators_for_priority(w->db, r->a, priority_area_id, &xs, &n);
	if (rc != DOMAIN_OK) {
		log_error("indicators: cannot list an area's indicators (%d)", rc);
		return;
	}
	for (size_t i = 0; i < n; i++)
		tv_push(list, indicator_brief(r, w, &xs[i], false));
	tv_set(w->page, "priority_indicators", list);
	tv_set_bool(w->page, "has_priority_indicators", n > 0);
}

/* --- Open data -------------------------------------------------------------------------- */

static void api_begin(req *r, json *j)
{
	r->status = 200;
	r->content_type = "application/json";
	resp_header(r, "Access-Control-Allow-Origin", "*");
	sbuf_reset(&r->body_out);
	json_init(j, &r->body_out);
}

static void api_str(json *j, const char *key, const char *v)
{
	json_key(j, key);
	json_cstr(j, v);
}

/* A value exactly as stored, as a decimal string ("21.9", "0.125"): JSON numbers would
 * be read as floating point by most clients. NULL when absent. */
static const char *exact(req *r, bool has, int64_t v)
{
	char *t;
	size_t n;
	if (!has)
		return NULL;
	t = milli_text(r->a, v, 3);
	if (!t)
		return NULL;
	n = strlen(t);
	while (n > 0 && t[n - 1] == '0')
		t[--n] = '\0';
	if (n > 0 && t[n - 1] == '.')
		t[--n] = '\0';
	return t;
}

static void definition_json(req *r, struct web *w, json *j, const struct indicator *x)
{
	struct indicator_area *areas;
	size_t n = 0;
	json_key(j, "id");
	json_int(j, x->id);
	api_str(j, "code", x->code);
	api_str(j, "name", x->name);
	api_str(j, "unit", x->unit);
	api_str(j, "polarity", indicator_polarity_slug(x->polarity));
	api_str(j, "source", x->source);
	api_str(j, "source_id", x->source_id);
	api_str(j, "geography", x->geography);
	api_str(j, "period_type", x->period_type);
	json_key(j, "priority_areas");
	json_arr(j);
	if (indicator_areas(w->db, r->a, x->id, &areas, &n) == DOMAIN_OK)
		for (size_t i = 0; i < n; i++)
			json_cstr(j, areas[i].slug);
	json_end(j);
	api_str(j, "url", arena_printf(r->a, "/indicators/%" PRId64, x->id));
}

void web_api_indicators(req *r, struct web *w)
{
	struct indicator *xs;
	size_t n;
	json j;
	int rc = indicators_list(w->db, r->a, &xs, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	api_begin(r, &j);
	json_obj(&j);
	json_key(&j, "indicators");
	json_arr(&j);
	for (size_t i = 0; i < n; i++) {
		json_obj(&j);
		definition_json(r, w, &j, &xs[i]);
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
	if (r->body_out.err)
		page_error(r, w, 500);
}

void web_api_indicator(req *r, struct web *w)
{
	struct indicator x;
	struct indicator_value *vs;
	size_t n;
	json j;
	int64_t id = path_id(w, "id");
	int rc = id ? indicator_get(w->db, r->a, id, &x) : DOMAIN_ENOTFOUND;
	if (rc == DOMAIN_OK)
		rc = indicator_values(w->db, r->a, id, NULL, &vs, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	api_begin(r, &j);
	json_obj(&j);
	definition_json(r, w, &j, &x);
	json_key(&j, "values");
	json_arr(&j);
	for (size_t i = 0; i < n; i++) {
		json_obj(&j);
		api_str(&j, "area_code", vs[i].area_code);
		api_str(&j, "area_name", vs[i].area_name);
		api_str(&j, "period", vs[i].period);
		api_str(&j, "value", exact(r, true, vs[i].value));
		api_str(&j, "lower_ci", exact(r, vs[i].has_lower, vs[i].lower));
		api_str(&j, "upper_ci", exact(r, vs[i].has_upper, vs[i].upper));
		api_str(&j, "count", exact(r, vs[i].has_count, vs[i].count));
		api_str(&j, "denominator", exact(r, vs[i].has_denominator, vs[i].denominator));
		json_key(&j, "illustrative");
		json_bool(&j, vs[i].illustrative);
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
	if (r->body_out.err)
		page_error(r, w, 500);
}
