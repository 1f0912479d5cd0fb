/* indicators.c: outcome indicators and their values over time; see indicators.h. */
#include "domain/indicators.h"

#include <string.h>

#include "core/csv.h"
#include "core/json.h"
#include "domain/record.h"
#include "domain/sessions.h"

#define AUDIT_JSON_MAX (16 * 1024)

/* --- Names --------------------------------------------------------------------------- */

const char *indicator_polarity_slug(enum indicator_polarity p)
{
	return p == POLARITY_LOWER_IS_BETTER ? "lower_is_better" : "higher_is_better";
}

const char *indicator_polarity_label(enum indicator_polarity p)
{
	return p == POLARITY_LOWER_IS_BETTER ? "Lower is better" : "Higher is better";
}

int indicator_polarity_parse(sv s)
{
	if (sv_eq_cstr(s, "higher_is_better"))
		return POLARITY_HIGHER_IS_BETTER;
	if (sv_eq_cstr(s, "lower_is_better"))
		return POLARITY_LOWER_IS_BETTER;
	return -1;
}

static const struct {
	const char *slug, *label;
} period_types[] = {
	{"calendar_year", "Calendar year"},
	{"financial_year", "Financial year"},
	{"three_years", "Three years pooled"},
	{"other", "Other"},
};

bool indicator_period_type_valid(sv s)
{
	for (size_t i = 0; i < sizeof(period_types) / sizeof(period_types[0]); i++)
		if (sv_eq_cstr(s, period_types[i].slug))
			return true;
	return false;
}

const char *indicator_period_type_label(const char *slug)
{
	for (size_t i = 0; i < sizeof(period_types) / sizeof(period_types[0]); i++)
		if (slug && strcmp(slug, period_types[i].slug) == 0)
			return period_types[i].label;
	return "";
}

/* --- Fixed-point numbers ------------------------------------------------------------- */

int milli_parse(sv s, int64_t *out)
{
	size_t i = 0;
	bool neg = false, digits = false;
	int64_t whole = 0, frac = 0;
	int places = 0;

	s = sv_trim(s);
	if (!s.ptr || !s.len)
		return -1;
	if (s.ptr[0] == '-' || s.ptr[0] == '+') {
		neg = s.ptr[0] == '-';
		i++;
	}
	for (; i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9'; i++) {
		whole = whole * 10 + (s.ptr[i] - '0');
		digits = true;
		if (whole > MILLI_MAX / 1000)
			return -1;
	}
	if (i < s.len && s.ptr[i] == '.') {
		for (i++; i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9'; i++) {
			if (++places > 3)
				return -1;
			frac = frac * 10 + (s.ptr[i] - '0');
			digits = true;
		}
	}
	if (i != s.len || !digits)
		return -1;
	for (; places < 3; places++)
		frac *= 10;
	*out = (whole * 1000 + frac) * (neg ? -1 : 1);
	return 0;
}

void milli_format(sbuf *b, int64_t v, int decimals)
{
	static const int64_t div[] = {1000, 100, 10, 1};
	uint64_t mag;
	int64_t unit, q;
	if (decimals < 0)
		decimals = 0;
	if (decimals > 3)
		decimals = 3;
	unit = div[decimals]; /* thousandths per last shown place */
	mag = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
	q = (int64_t)((mag + (uint64_t)unit / 2) / (uint64_t)unit); /* halves away from zero */
	if (v < 0 && q > 0)
		sbuf_addc(b, '-');
	if (decimals == 0) {
		sbuf_add_i64(b, q);
		return;
	}
	{
		int64_t scale = 1000 / unit;
		sbuf_addf(b, "%lld.%0*lld", (long long)(q / scale), decimals,
			  (long long)(q % scale));
	}
}

char *milli_text(arena *a, int64_t v, int decimals)
{
	sbuf b;
	sbuf_init(&b, a, 64);
	milli_format(&b, v, decimals);
	return b.err ? NULL : b.buf;
}

/* --- Definitions ----------------------------------------------------------------------- */

#define INDICATOR_COLUMNS                                                                       \
	"SELECT i.id, i.code, i.name, i.unit, i.polarity, i.source, i.source_id, i.geography,"   \
	" i.period_type, i.decimals, i.description FROM indicators i"

static int indicator_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct indicator *x = item;
	x->id = db_col_int(st, 0);
	x->code = db_col_dup(st, 1, a);
	x->name = db_col_dup(st, 2, a);
	x->unit = db_col_dup(st, 3, a);
	x->polarity = indicator_polarity_parse(db_col_sv(st, 4)) == POLARITY_LOWER_IS_BETTER
			      ? POLARITY_LOWER_IS_BETTER
			      : POLARITY_HIGHER_IS_BETTER;
	x->source = db_col_dup(st, 5, a);
	x->source_id = db_col_dup(st, 6, a);
	x->geography = db_col_dup(st, 7, a);
	x->period_type = db_col_dup(st, 8, a);
	x->decimals = (int)db_col_int(st, 9);
	x->description = db_col_dup(st, 10, a);
	return x->code && x->name && x->unit && x->source && x->source_id && x->geography &&
		       x->period_type && x->description
		       ? DB_OK
		       : DB_ERR;
}

int indicators_list(db *d, arena *a, struct indicator **out, size_t *n)
{
	db_stmt *st = db_prepare(d, INDICATOR_COLUMNS " ORDER BY i.name, i.id LIMIT ?");
	db_bind_int(st, 1, INDICATORS_MAX);
	return db_collect(st, a, sizeof(**out), indicator_row, NULL, out, n);
}

int indicators_for_priority(db *d, arena *a, int64_t priority_area_id, struct indicator **out,
			    size_t *n)
{
	db_stmt *st = db_prepare(d, INDICATOR_COLUMNS
				 " JOIN indicator_priority_areas ipa ON ipa.indicator_id = i.id"
				 " WHERE ipa.priority_area_id = ? ORDER BY i.name, i.id LIMIT ?");
	db_bind_int(st, 1, priority_area_id);
	db_bind_int(st, 2, INDICATORS_MAX);
	return db_collect(st, a, sizeof(**out), indicator_row, NULL, out, n);
}

int indicator_get(db *d, arena *a, int64_t id, struct indicator *out)
{
	return record_get(d, a, INDICATOR_COLUMNS " WHERE i.id = ?", id, indicator_row, NULL, out);
}

static int area_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct indicator_area *x = item;
	x->id = db_col_int(st, 0);
	x->slug = db_col_dup(st, 1, a);
	x->name = db_col_dup(st, 2, a);
	return x->slug && x->name ? DB_OK : DB_ERR;
}

int indicator_areas(db *d, arena *a, int64_t id, struct indicator_area **out, size_t *n)
{
	db_stmt *st = db_prepare(d, "SELECT p.id, p.slug, p.name FROM priority_areas p"
				 " JOIN indicator_priority_areas ipa ON ipa.priority_area_id = p.id"
				 " WHERE ipa.indicator_id = ? ORDER BY p.sort_order, p.name");
	db_bind_int(st, 1, id);
	return db_collect(st, a, sizeof(**out), area_row, NULL, out, n);
}

/* Trims S and checks it is present (when REQUIRED) and at most MAX bytes. */
static sv text_field(sv s, size_t max, bool required, const char *field, const char *empty,
		     const char *too_long, struct field_errors *errs, int *rc)
{
	sv t = sv_trim(s);
	if (!t.ptr)
		t = SV("");
	if (required && !t.len) {
		field_error_add(errs, field, empty);
		*rc = DOMAIN_EINVALID;
	} else if (t.len > max) {
		field_error_add(errs, field, too_long);
		*rc = DOMAIN_EINVALID;
	}
	return t;
}

static int exists(db *d, const char *sql, int64_t id, sv text)
{
	db_stmt *st = db_prepare(d, sql);
	int rc, bad = 0;
	if (!st)
		return DB_ERR;
	if (text.ptr)
		bad |= db_bind_sv(st, 1, text);
	else
		bad |= db_bind_int(st, 1, id);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (rc < 0)
		return rc;
	return rc == DB_ROW;
}

/* The definition of indicator ID as JSON, for the audit log's "before". */
static const char *definition_json(db *d, arena *a, int64_t id)
{
	struct indicator x;
	sbuf js;
	json j;
	if (indicator_get(d, a, id, &x) != DOMAIN_OK)
		return NULL;
	sbuf_init(&js, a, AUDIT_JSON_MAX);
	json_init(&j, &js);
	json_obj(&j);
	json_key(&j, "code");
	json_cstr(&j, x.code);
	json_key(&j, "name");
	json_cstr(&j, x.name);
	json_key(&j, "unit");
	json_cstr(&j, x.unit);
	json_key(&j, "polarity");
	json_cstr(&j, indicator_polarity_slug(x.polarity));
	json_key(&j, "source");
	json_cstr(&j, x.source);
	json_key(&j, "source_id");
	json_cstr(&j, x.source_id);
	json_end(&j);
	return js.err ? NULL : js.buf;
}

/* Creates (EXISTING 0) or updates indicator EXISTING. */
static int indicator_save_tx(db *d, arena *a, const struct audit_actor *who, int64_t existing,
			     const struct indicator_input *in, struct field_errors *errs,
			     int64_t *id)
{
	int rc = DOMAIN_OK, bad = 0, step, polarity = indicator_polarity_parse(in->polarity);
	int64_t decimals = 1, new_id = existing;
	const char *before = NULL;
	char now[ISO_TIME_LEN];
	sv code, name, unit, source, source_id, geography, description, period_type;
	db_stmt *st;
	sbuf js;
	json j;

	code = text_field(in->code, INDICATOR_CODE_MAX, true, "code", "Enter the indicator id",
			  "The indicator id must be 40 characters or fewer", errs, &rc);
	if (existing) {
		step = exists(d, "SELECT 1 FROM indicators WHERE id = ?", existing, SV_NULL);
		if (step < 0)
			return step;
		if (!step)
			return DOMAIN_ENOTFOUND;
		if (!(before = definition_json(d, a, existing)))
			return DB_ERR;
	}
	if (code.len && code.len <= INDICATOR_CODE_MAX) {
		db_stmt *q = db_prepare(d, "SELECT 1 FROM indicators WHERE code = ? AND id <> ?");
		if (!q)
			return DB_ERR;
		bad = db_bind_sv(q, 1, code) | db_bind_int(q, 2, existing);
		step = bad ? DB_ERR : db_step(q);
		db_done(q);
		bad = 0;
		if (step < 0)
			return step;
		if (step == DB_ROW) {
			field_error_add(errs, "code", "There is already an indicator with this id");
			rc = DOMAIN_EINVALID;
		}
	}
	name = text_field(in->name, INDICATOR_TEXT_MAX, true, "name", "Enter the indicator's name",
			  "The name must be 200 characters or fewer", errs, &rc);
	unit = text_field(in->unit, INDICATOR_TEXT_MAX, true, "unit",
			  "Enter the unit, like % or per 100,000",
			  "The unit must be 200 characters or fewer", errs, &rc);
	if (polarity < 0) {
		field_error_add(errs, "polarity", "Select whether higher or lower is better");
		rc = DOMAIN_EINVALID;
	}
	source = text_field(in->source, INDICATOR_TEXT_MAX, true, "source",
			    "Enter where the figures come from",
			    "The source must be 200 characters or fewer", errs, &rc);
	source_id = text_field(in->source_id, INDICATOR_CODE_MAX, false, "source_id", "",
			       "The source's id must be 40 characters or fewer", errs, &rc);
	geography = text_field(in->geography, INDICATOR_TEXT_MAX, false, "geography", "",
			       "The geography must be 200 characters or fewer", errs, &rc);
	period_type = sv_trim(in->period_type);
	if (!indicator_period_type_valid(period_type)) {
		field_error_add(errs, "period_type", "Select the kind of period the figures cover");
		rc = DOMAIN_EINVALID;
	}
	if (in->decimals.ptr && sv_trim(in->decimals).len &&
	    (sv_to_i64(sv_trim(in->decimals), &decimals) || decimals < 0 || decimals > 3)) {
		field_error_add(errs, "decimals", "Decimal places must be a number from 0 to 3");
		rc = DOMAIN_EINVALID;
	}
	description = text_field(in->description, INDICATOR_DESC_MAX, false, "description", "",
				 "The description must be 4,000 characters or fewer", errs, &rc);
	for (size_t i = 0; i < in->n_areas; i++) {
		step = exists(d, "SELECT 1 FROM priority_areas WHERE id = ?", in->priority_area_ids[i],
			      SV_NULL);
		if (step < 0)
			return step;
		if (!step) {
			field_error_add(errs, "areas", "Select priority areas from the list");
			rc = DOMAIN_EINVALID;
		}
	}
	if (rc != DOMAIN_OK)
		return rc;

	db_now_iso(now, 0);
	if (existing)
		st = db_prepare(d, "UPDATE indicators SET code = ?, name = ?, unit = ?, polarity = ?,"
				   " source = ?, source_id = ?, geography = ?, period_type = ?,"
				   " decimals = ?, description = ?, created_by = COALESCE(created_by, ?),"
				   " created_at = COALESCE(created_at, ?), updated_at = ? WHERE id = ?");
	else
		st = db_prepare(d, "INSERT INTO indicators (code, name, unit, polarity, source,"
				   " source_id, geography, period_type, decimals, description, created_by,"
				   " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERR;
	bad |= db_bind_sv(st, 1, code);
	bad |= db_bind_sv(st, 2, name);
	bad |= db_bind_sv(st, 3, unit);
	bad |= db_bind_text(st, 4, indicator_polarity_slug((enum indicator_polarity)polarity));
	bad |= db_bind_sv(st, 5, source);
	bad |= db_bind_sv(st, 6, source_id);
	bad |= db_bind_sv(st, 7, geography);
	bad |= db_bind_sv(st, 8, period_type);
	bad |= db_bind_int(st, 9, decimals);
	bad |= db_bind_sv(st, 10, description);
	bad |= who->account_id ? db_bind_int(st, 11, who->account_id) : db_bind_null(st, 11);
	bad |= db_bind_text(st, 12, now);
	bad |= db_bind_text(st, 13, now);
	if (existing)
		bad |= db_bind_int(st, 14, existing);
	step = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (step != DB_DONE)
		return step < 0 ? step : DB_ERR;
	if (!existing) {
		new_id = db_last_insert_id(d);
	} else {
		st = db_prepare(d, "DELETE FROM indicator_priority_areas WHERE indicator_id = ?");
		if (!st)
			return DB_ERR;
		step = db_bind_int(st, 1, existing) ? DB_ERR : db_step(st);
		db_done(st);
		if (step != DB_DONE)
			return step < 0 ? step : DB_ERR;
	}
	for (size_t i = 0; i < in->n_areas; i++) {
		st = db_prepare(d, "INSERT INTO indicator_priority_areas (indicator_id,"
				   " priority_area_id) VALUES (?, ?)");
		if (!st)
			return DB_ERR;
		bad = db_bind_int(st, 1, new_id) | db_bind_int(st, 2, in->priority_area_ids[i]);
		step = bad ? DB_ERR : db_step(st);
		db_done(st);
		if (step != DB_DONE && step != DB_ECONSTRAINT) /* a repeated area is harmless */
			return step < 0 ? step : DB_ERR;
	}

	sbuf_init(&js, a, AUDIT_JSON_MAX);
	json_init(&j, &js);
	json_obj(&j);
	json_key(&j, "code");
	json_str(&j, code);
	json_key(&j, "name");
	json_str(&j, name);
	json_key(&j, "unit");
	json_str(&j, unit);
	json_key(&j, "polarity");
	json_cstr(&j, indicator_polarity_slug((enum indicator_polarity)polarity));
	json_key(&j, "source");
	json_str(&j, source);
	json_key(&j, "source_id");
	json_str(&j, source_id);
	json_key(&j, "priority_area_ids");
	json_arr(&j);
	for (size_t i = 0; i < in->n_areas; i++)
		json_int(&j, in->priority_area_ids[i]);
	json_end(&j);
	json_end(&j);
	if (js.err)
		return DB_ERR;
	rc = audit_record(d, who, "indicator", new_id, existing ? "update" : "create", before,
			  js.buf);
	if (rc == DB_OK && id)
		*id = new_id;
	return rc;
}

int indicator_create_tx(db *d, arena *a, const struct audit_actor *who,
			const struct indicator_input *in, struct field_errors *errs, int64_t *id)
{
	return indicator_save_tx(d, a, who, 0, in, errs, id);
}

int indicator_update(db *d, arena *a, const struct audit_actor *who, int64_t id,
		     const struct indicator_input *in, struct field_errors *errs)
{
	IN_TRANSACTION(d, indicator_save_tx(d, a, who, id, in, errs, NULL));
}

int indicator_create(db *d, arena *a, const struct audit_actor *who,
		     const struct indicator_input *in, struct field_errors *errs, int64_t *id)
{
	IN_TRANSACTION(d, indicator_create_tx(d, a, who, in, errs, id));
}

/* --- Values ---------------------------------------------------------------------------- */

static void value_json(json *j, const struct indicator_value *v)
{
	json_obj(j);
	json_key(j, "area_code");
	json_cstr(j, v->area_code);
	json_key(j, "period");
	json_cstr(j, v->period);
	json_key(j, "value_milli");
	json_int(j, v->value);
	json_key(j, "lower_milli");
	if (v->has_lower)
		json_int(j, v->lower);
	else
		json_null(j);
	json_key(j, "upper_milli");
	if (v->has_upper)
		json_int(j, v->upper);
	else
		json_null(j);
	json_key(j, "count_milli");
	if (v->has_count)
		json_int(j, v->count);
	else
		json_null(j);
	json_key(j, "denominator_milli");
	if (v->has_denominator)
		json_int(j, v->denominator);
	else
		json_null(j);
	json_key(j, "illustrative");
	json_bool(j, v->illustrative);
	json_end(j);
}

/* An optional number: empty is absent; otherwise it must parse. */
static void optional_milli(sv s, int64_t *v, bool *has, const char *field, const char *msg,
			   struct field_errors *errs, int *rc)
{
	s = sv_trim(s);
	*has = false;
	*v = 0;
	if (!s.ptr || !s.len)
		return;
	if (milli_parse(s, v)) {
		field_error_add(errs, field, msg);
		*rc = DOMAIN_EINVALID;
		return;
	}
	*has = true;
}

/* Validates IN into V (strings stay views into IN, copied to the arena). */
static int value_validate(arena *a, const struct indicator_value_input *in,
			  struct indicator_value *v, struct field_errors *errs)
{
	int rc = DOMAIN_OK;
	sv code, name, period;
	memset(v, 0, sizeof(*v));
	code = text_field(in->area_code, INDICATOR_AREA_MAX, true, "area_code",
			  "Enter the area code, like E08000006",
			  "The area code must be 100 characters or fewer", errs, &rc);
	name = text_field(in->area_name, INDICATOR_AREA_MAX, true, "area_name",
			  "Enter the area's name, like Salford",
			  "The area's name must be 100 characters or fewer", errs, &rc);
	period = text_field(in->period, INDICATOR_PERIOD_MAX, true, "period",
			    "Enter the period, like 2021 or 2021/22",
			    "The period must be 20 characters or fewer", errs, &rc);
	if (milli_parse(in->value, &v->value)) {
		field_error_add(errs, "value",
				sv_trim(in->value).len
					? "The value must be a number with at most 3 decimal places"
					: "Enter the value");
		rc = DOMAIN_EINVALID;
	}
	optional_milli(in->lower, &v->lower, &v->has_lower, "lower",
		       "The lower confidence limit must be a number", errs, &rc);
	optional_milli(in->upper, &v->upper, &v->has_upper, "upper",
		       "The upper confidence limit must be a number", errs, &rc);
	if (v->has_lower && v->has_upper && v->lower > v->upper) {
		field_error_add(errs, "upper",
				"The upper confidence limit must not be below the lower one");
		rc = DOMAIN_EINVALID;
	}
	optional_milli(in->count, &v->count, &v->has_count, "count", "The count must be a number",
		       errs, &rc);
	optional_milli(in->denominator, &v->denominator, &v->has_denominator, "denominator",
		       "The denominator must be a number", errs, &rc);
	v->illustrative = in->illustrative;
	v->area_code = sv_dup(a, code);
	v->area_name = sv_dup(a, name);
	v->period = sv_dup(a, period);
	if (!v->area_code || !v->area_name || !v->period)
		return DB_ERR;
	return rc;
}

static int bind_opt(db_stmt *st, int i, bool has, int64_t v)
{
	return has ? db_bind_int(st, i, v) : db_bind_null(st, i);
}

/* Writes a validated value, replacing the one for the same area and period. */
static int value_store(db *d, arena *a, const struct audit_actor *who, int64_t id,
		       const struct indicator_value *v, bool *replaced)
{
	struct indicator_value before;
	bool had = false;
	char now[ISO_TIME_LEN];
	db_stmt *st;
	int rc, bad = 0;
	int64_t row_id = 0;
	sbuf js;
	json j;
	const char *before_json = NULL;

	st = db_prepare(d, "SELECT id, value_milli, lower_milli, upper_milli, count_milli,"
			   " denominator_milli, illustrative FROM indicator_values"
			   " WHERE indicator_id = ? AND area_code = ? AND period = ?");
	if (!st)
		return DB_ERR;
	bad |= db_bind_int(st, 1, id);
	bad |= db_bind_text(st, 2, v->area_code);
	bad |= db_bind_text(st, 3, v->period);
	rc = bad ? DB_ERR : db_step(st);
	if (rc == DB_ROW) {
		had = true;
		memset(&before, 0, sizeof(before));
		row_id = db_col_int(st, 0);
		before.area_code = v->area_code;
		before.period = v->period;
		before.value = db_col_int(st, 1);
		before.has_lower = !db_col_null(st, 2);
		before.lower = db_col_int(st, 2);
		before.has_upper = !db_col_null(st, 3);
		before.upper = db_col_int(st, 3);
		before.has_count = !db_col_null(st, 4);
		before.count = db_col_int(st, 4);
		before.has_denominator = !db_col_null(st, 5);
		before.denominator = db_col_int(st, 5);
		before.illustrative = db_col_int(st, 6) != 0;
	}
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;

	db_now_iso(now, 0);
	if (had)
		st = db_prepare(d, "UPDATE indicator_values SET area_name = ?, value_milli = ?,"
				   " lower_milli = ?, upper_milli = ?, count_milli = ?,"
				   " denominator_milli = ?, illustrative = ?, updated_by = ?,"
				   " updated_at = ? WHERE id = ?");
	else
		st = db_prepare(d, "INSERT INTO indicator_values (area_name, value_milli,"
				   " lower_milli, upper_milli, count_milli, denominator_milli,"
				   " illustrative, updated_by, updated_at, indicator_id, area_code,"
				   " period) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERR;
	bad = 0;
	bad |= db_bind_text(st, 1, v->area_name);
	bad |= db_bind_int(st, 2, v->value);
	bad |= bind_opt(st, 3, v->has_lower, v->lower);
	bad |= bind_opt(st, 4, v->has_upper, v->upper);
	bad |= bind_opt(st, 5, v->has_count, v->count);
	bad |= bind_opt(st, 6, v->has_denominator, v->denominator);
	bad |= db_bind_int(st, 7, v->illustrative);
	bad |= who->account_id ? db_bind_int(st, 8, who->account_id) : db_bind_null(st, 8);
	bad |= db_bind_text(st, 9, now);
	if (had) {
		bad |= db_bind_int(st, 10, row_id);
	} else {
		bad |= db_bind_int(st, 10, id);
		bad |= db_bind_text(st, 11, v->area_code);
		bad |= db_bind_text(st, 12, v->period);
	}
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	if (!had)
		row_id = db_last_insert_id(d);

	if (had) {
		sbuf_init(&js, a, AUDIT_JSON_MAX);
		json_init(&j, &js);
		value_json(&j, &before);
		if (js.err)
			return DB_ERR;
		before_json = js.buf;
	}
	sbuf_init(&js, a, AUDIT_JSON_MAX);
	json_init(&j, &js);
	value_json(&j, v);
	if (js.err)
		return DB_ERR;
	rc = audit_record(d, who, "indicator_value", row_id, had ? "replace" : "set", before_json,
			  js.buf);
	if (rc == DB_OK && replaced)
		*replaced = had;
	return rc;
}

int indicator_value_set_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
			   const struct indicator_value_input *in, struct field_errors *errs,
			   bool *replaced)
{
	struct indicator_value v;
	int rc = exists(d, "SELECT 1 FROM indicators WHERE id = ?", id, SV_NULL);
	if (rc < 0)
		return rc;
	if (!rc)
		return DOMAIN_ENOTFOUND;
	rc = value_validate(a, in, &v, errs);
	if (rc != DOMAIN_OK)
		return rc;
	return value_store(d, a, who, id, &v, replaced);
}

int indicator_value_set(db *d, arena *a, const struct audit_actor *who, int64_t id,
			const struct indicator_value_input *in, struct field_errors *errs,
			bool *replaced)
{
	IN_TRANSACTION(d, indicator_value_set_tx(d, a, who, id, in, errs, replaced));
}

static int value_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct indicator_value *v = item;
	v->id = db_col_int(st, 0);
	v->area_code = db_col_dup(st, 1, a);
	v->area_name = db_col_dup(st, 2, a);
	v->period = db_col_dup(st, 3, a);
	v->value = db_col_int(st, 4);
	v->has_lower = !db_col_null(st, 5);
	v->lower = db_col_int(st, 5);
	v->has_upper = !db_col_null(st, 6);
	v->upper = db_col_int(st, 6);
	v->has_count = !db_col_null(st, 7);
	v->count = db_col_int(st, 7);
	v->has_denominator = !db_col_null(st, 8);
	v->denominator = db_col_int(st, 8);
	v->illustrative = db_col_int(st, 9) != 0;
	return v->area_code && v->area_name && v->period ? DB_OK : DB_ERR;
}

int indicator_values(db *d, arena *a, int64_t id, const char *area_code,
		     struct indicator_value **out, size_t *n)
{
	db_stmt *st = db_prepare(d, "SELECT id, area_code, area_name, period, value_milli,"
				 " lower_milli, upper_milli, count_milli, denominator_milli,"
				 " illustrative FROM indicator_values WHERE indicator_id = ?"
				 " AND (? IS NULL OR area_code = ?) ORDER BY area_code, period LIMIT ?");
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, area_code);
	db_bind_text(st, 3, area_code);
	db_bind_int(st, 4, INDICATOR_VALUES_MAX);
	return db_collect(st, a, sizeof(**out), value_row, NULL, out, n);
}

/* --- CSV import -------------------------------------------------------------------------- */

static void import_error(arena *a, struct indicator_import_result *res, size_t *cap, int line,
			 const char *message)
{
	if (res->n_errors >= INDICATOR_IMPORT_ERRORS_MAX) {
		res->n_more_errors++;
		return;
	}
	res->errors = arena_grow(a, res->errors, res->n_errors, cap, sizeof(*res->errors));
	if (!res->errors) {
		res->n_errors = 0;
		return;
	}
	res->errors[res->n_errors].line = line;
	res->errors[res->n_errors].message = message;
	res->n_errors++;
}

/* The id of the indicator whose code is CODE, 0 if none, <0 on error. */
static int64_t indicator_by_code(db *d, sv code)
{
	db_stmt *st = db_prepare(d, "SELECT id FROM indicators WHERE code = ?");
	int64_t id = 0;
	int rc;
	if (!st)
		return DB_ERR;
	rc = db_bind_sv(st, 1, code) ? DB_ERR : db_step(st);
	if (rc == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	return id;
}

static sv column(const struct csv_record *rec, int i)
{
	return i >= 0 && (size_t)i < rec->n ? rec->field[i] : SV("");
}

static int import_tx(db *d, arena *a, const struct audit_actor *who, sv csv, bool illustrative,
		     struct indicator_import_result *res)
{
	static const char *const names[] = {"indicator id", "area code", "area name", "period",
					    "value", "lower ci", "upper ci", "count",
					    "denominator"};
	/* OHID Fingertips' own names for the same columns, so its download imports as it
	 * is (the others already match, ignoring case). */
	static const char *const fingertips[] = {NULL, NULL, NULL, "time period", NULL,
						 "lower ci 95.0 limit", "upper ci 95.0 limit",
						 NULL, NULL};
	enum { C_ID, C_CODE, C_NAME, C_PERIOD, C_VALUE, C_LOWER, C_UPPER, C_COUNT, C_DENOM, C_N };
	struct csv_reader rd;
	struct csv_record *rec = arena_alloc(a, sizeof(*rec));
	int col[C_N], got, rows = 0;
	size_t cap = 0;
	const char *err = NULL;

	if (!rec)
		return DB_ERR;
	csv_reader_init(&rd, a, csv);
	got = csv_read(&rd, rec, &err);
	if (got <= 0) {
		import_error(a, res, &cap, got < 0 ? rec->line : 1,
			     got < 0 ? err : "The file is empty: it needs a header row and values");
		return DOMAIN_EINVALID;
	}
	for (int i = 0; i < C_N; i++) {
		col[i] = csv_column(rec, names[i]);
		if (col[i] < 0 && fingertips[i])
			col[i] = csv_column(rec, fingertips[i]);
		if (i <= C_VALUE && col[i] < 0)
			import_error(a, res, &cap, rec->line,
				     arena_printf(a, "The header row has no \"%s\" column", names[i]));
	}
	if (res->n_errors)
		return DOMAIN_EINVALID;

	while ((got = csv_read(&rd, rec, &err)) == 1) {
		struct indicator_value_input in;
		struct indicator_value v;
		struct field_errors fe;
		int64_t id;
		bool replaced = false;
		int rc;

		if (++rows > INDICATOR_IMPORT_ROWS_MAX) {
			import_error(a, res, &cap, rec->line,
				     "The file has more than 10,000 rows: split it into smaller files");
			break;
		}
		id = indicator_by_code(d, sv_trim(column(rec, col[C_ID])));
		if (id < 0)
			return (int)id;
		if (!id) {
			import_error(a, res, &cap, rec->line,
				     arena_printf(a, "There is no indicator with the id \"%.*s\"",
						  SV_ARG(sv_trim(column(rec, col[C_ID])))));
			continue;
		}
		in.area_code = column(rec, col[C_CODE]);
		in.area_name = column(rec, col[C_NAME]);
		in.period = column(rec, col[C_PERIOD]);
		in.value = column(rec, col[C_VALUE]);
		in.lower = column(rec, col[C_LOWER]);
		in.upper = column(rec, col[C_UPPER]);
		in.count = column(rec, col[C_COUNT]);
		in.denominator = column(rec, col[C_DENOM]);
		in.illustrative = illustrative;
		field_errors_init(&fe);
		rc = value_validate(a, &in, &v, &fe);
		if (rc == DOMAIN_EINVALID) {
			/* Every problem of the line, so it can be fixed in one go. */
			sbuf m;
			sbuf_init(&m, a, 4096);
			for (size_t i = 0; i < fe.n; i++) {
				if (i)
					sbuf_adds(&m, "; ");
				sbuf_adds(&m, fe.items[i].message);
			}
			import_error(a, res, &cap, rec->line, m.err ? "The line is not valid" : m.buf);
			continue;
		}
		if (rc != DOMAIN_OK)
			return rc;
		if (res->n_errors || res->n_more_errors)
			continue; /* nothing will be applied: just keep finding bad lines */
		rc = value_store(d, a, who, id, &v, &replaced);
		if (rc != DOMAIN_OK)
			return rc;
		if (replaced)
			res->replaced++;
		else
			res->added++;
	}
	if (got < 0)
		import_error(a, res, &cap, rec->line, err ? err : "The line is not valid CSV");
	if (!res->n_errors && !res->n_more_errors && rows == 0)
		import_error(a, res, &cap, 1, "The file has a header row but no values");
	if (res->n_errors || res->n_more_errors) {
		res->added = res->replaced = 0;
		return DOMAIN_EINVALID;
	}
	return DOMAIN_OK;
}

int indicator_import_csv(db *d, arena *a, const struct audit_actor *who, sv csv,
			 bool illustrative, struct indicator_import_result *res)
{
	memset(res, 0, sizeof(*res));
	IN_TRANSACTION(d, import_tx(d, a, who, csv, illustrative, res));
}

/* --- Series and summaries -------------------------------------------------------------- */

int indicator_series_get(db *d, arena *a, int64_t id, struct indicator_series *out)
{
	db_stmt *st;
	size_t cap = 0;
	int rc, bad = 0;

	memset(out, 0, sizeof(*out));
	rc = indicator_get(d, a, id, &out->ind);
	if (rc != DOMAIN_OK)
		return rc;
	/* One row per period either area has, oldest first, with both areas' values. */
	st = db_prepare(d, "SELECT v.period, v.area_code, v.value_milli, v.illustrative"
			   " FROM indicator_values v WHERE v.indicator_id = ?"
			   " AND v.area_code IN (?, ?) ORDER BY v.period, v.area_code");
	if (!st)
		return DB_ERR;
	bad |= db_bind_int(st, 1, id);
	bad |= db_bind_text(st, 2, INDICATOR_LOCAL_CODE);
	bad |= db_bind_text(st, 3, INDICATOR_COMPARATOR_CODE);
	if (bad) {
		db_done(st);
		return DB_ERR;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		sv period = db_col_sv(st, 0);
		bool local = sv_eq_cstr(db_col_sv(st, 1), INDICATOR_LOCAL_CODE);
		size_t i = out->n;
		if (!(i > 0 && sv_eq_cstr(period, out->periods[i - 1]))) {
			size_t c = cap;
			if (!(out->periods = arena_grow(a, (void *)out->periods, i, &c,
							sizeof(*out->periods))))
				goto oom;
			c = cap;
			if (!(out->local = arena_grow(a, out->local, i, &c, sizeof(*out->local))))
				goto oom;
			c = cap;
			if (!(out->comparator =
				      arena_grow(a, out->comparator, i, &c, sizeof(*out->comparator))))
				goto oom;
			c = cap;
			if (!(out->local_missing = arena_grow(a, out->local_missing, i, &c,
							      sizeof(*out->local_missing))))
				goto oom;
			c = cap;
			if (!(out->comparator_missing = arena_grow(a, out->comparator_missing, i, &c,
								   sizeof(*out->comparator_missing))))
				goto oom;
			cap = c;
			if (!(out->periods[i] = sv_dup(a, period)))
				goto oom;
			out->local[i] = out->comparator[i] = 0;
			out->local_missing[i] = out->comparator_missing[i] = true;
			out->n++;
		} else {
			i--;
		}
		if (local) {
			out->local[i] = db_col_int(st, 2);
			out->local_missing[i] = false;
		} else {
			out->comparator[i] = db_col_int(st, 2);
			out->comparator_missing[i] = false;
		}
		if (db_col_int(st, 3))
			out->illustrative = true;
	}
	db_done(st);
	return rc == DB_DONE ? DOMAIN_OK : rc < 0 ? rc : DB_ERR;
oom:
	db_done(st);
	return DB_ERR;
}

/* The first and last periods with a value in one line of the series. */
static bool ends(const struct indicator_series *s, const int64_t *v, const bool *missing,
		 size_t *first, size_t *last)
{
	size_t f = s->n, l = s->n;
	for (size_t i = 0; i < s->n; i++)
		if (!missing[i]) {
			if (f == s->n)
				f = i;
			l = i;
		}
	(void)v;
	if (f == s->n || f == l)
		return false;
	*first = f;
	*last = l;
	return true;
}

static const char *word_for(enum indicator_polarity p, int64_t from, int64_t to)
{
	if (from == to)
		return "no change";
	if ((to > from) == (p == POLARITY_HIGHER_IS_BETTER))
		return "better";
	return "worse";
}

const char *indicator_trend_word(const struct indicator_series *s)
{
	size_t f, l;
	if (!ends(s, s->local, s->local_missing, &f, &l))
		return NULL;
	return word_for(s->ind.polarity, s->local[f], s->local[l]);
}

static void describe(sbuf *b, arena *a, const struct indicator_series *s, const int64_t *v,
		     const bool *missing)
{
	size_t f, l;
	int dp = s->ind.decimals;
	if (!ends(s, v, missing, &f, &l)) {
		for (size_t i = 0; i < s->n; i++)
			if (!missing[i]) {
				sbuf_addf(b, " was %s in %s", milli_text(a, v[i], dp),
					  s->periods[i]);
				return;
			}
		sbuf_adds(b, " has no figures yet");
		return;
	}
	if (v[l] == v[f]) {
		sbuf_addf(b, " stayed at %s from %s to %s", milli_text(a, v[l], dp), s->periods[f],
			  s->periods[l]);
		return;
	}
	sbuf_addf(b, " %s from %s in %s to %s in %s (%s)", v[l] > v[f] ? "rose" : "fell",
		  milli_text(a, v[f], dp), s->periods[f], milli_text(a, v[l], dp), s->periods[l],
		  word_for(s->ind.polarity, v[f], v[l]));
}

char *indicator_summary(arena *a, const struct indicator_series *s)
{
	sbuf b;
	if (!s->n)
		return arena_strdup(a, "No figures yet.");
	sbuf_init(&b, a, 1024);
	sbuf_adds(&b, INDICATOR_LOCAL_NAME "'s figure");
	describe(&b, a, s, s->local, s->local_missing);
	sbuf_adds(&b, "; " INDICATOR_COMPARATOR_NAME "'s");
	describe(&b, a, s, s->comparator, s->comparator_missing);
	sbuf_addc(&b, '.');
	return b.err ? NULL : b.buf;
}
