/* indicators.h: outcome indicators for the priority areas (seed 001 sections 9-12) and
 * their values over time, for the local area against a comparator.
 *
 * An indicator is defined as its source defines it (name, unit, polarity, source and
 * source id such as OHID Fingertips 93701, geography, period type) and linked to the
 * priority areas it tells about. Its values come by area and period, typed by a
 * programme lead or imported from CSV; a value for the same indicator, area and period
 * replaces the one before, and the audit log keeps the value it replaced.
 *
 * Numbers are fixed-point integer thousandths ("milli"): 12.3 is 12300. They are parsed
 * from and shown as decimal text without floating point, so what was imported is shown
 * exactly. An indicator's DECIMALS says how many places its figures are shown with.
 *
 * Changes are audited in their transaction; _tx functions run inside the caller's.
 * Everything returned lives in the arena A.
 */
#ifndef DOMAIN_INDICATORS_H
#define DOMAIN_INDICATORS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/validate.h"

#define INDICATOR_TEXT_MAX 200      /* bytes in a name, unit, source, geography */
#define INDICATOR_DESC_MAX 4000     /* bytes in a description */
#define INDICATOR_CODE_MAX 40       /* bytes in an indicator id */
#define INDICATOR_PERIOD_MAX 20     /* bytes in a period label: "2019/20", "2017 - 19" */
#define INDICATOR_AREA_MAX 100      /* bytes in an area code or name */
#define INDICATORS_MAX 500          /* indicators one list returns at most */
#define INDICATOR_VALUES_MAX 5000   /* values one list returns at most */
#define INDICATOR_IMPORT_ROWS_MAX 10000 /* rows one CSV import takes */
#define INDICATOR_IMPORT_ERRORS_MAX 50  /* bad lines reported at most (then "and N more") */
#define MILLI_MAX 1000000000000000LL    /* largest magnitude a value may have, in milli */

/* The local area and the comparator every chart shows. */
#define INDICATOR_LOCAL_CODE "E08000006"
#define INDICATOR_LOCAL_NAME "Salford"
#define INDICATOR_COMPARATOR_CODE "E92000001"
#define INDICATOR_COMPARATOR_NAME "England"

enum indicator_polarity { POLARITY_HIGHER_IS_BETTER = 0, POLARITY_LOWER_IS_BETTER = 1 };

/* "higher_is_better" / "lower_is_better"; -1 from the parser for anything else. */
const char *indicator_polarity_slug(enum indicator_polarity p);
const char *indicator_polarity_label(enum indicator_polarity p); /* "Higher is better" */
int indicator_polarity_parse(sv s);
/* Period types: "calendar_year", "financial_year", "three_years", "other". */
bool indicator_period_type_valid(sv s);
const char *indicator_period_type_label(const char *slug); /* "Financial year" */

/* Parses "12", "-3.5", "0.125" (at most three decimal places, no exponent, no spaces
 * inside) into thousandths. Returns 0, or -1 for anything else or beyond MILLI_MAX. */
int milli_parse(sv s, int64_t *out);
/* Appends V (thousandths) with DECIMALS places (0-3), rounding halves away from zero:
 * 12345 with 1 -> "12.3", with 0 -> "12". */
void milli_format(sbuf *b, int64_t v, int decimals);
char *milli_text(arena *a, int64_t v, int decimals);

struct indicator {
	int64_t id;
	char *code, *name, *unit, *source, *source_id, *geography, *period_type, *description;
	enum indicator_polarity polarity;
	int decimals;
};

struct indicator_area {
	int64_t id;
	char *slug, *name;
};

struct indicator_input {
	sv code, name, unit, polarity, source, source_id, geography, period_type, decimals,
		description;
	const int64_t *priority_area_ids; /* the areas it is linked to */
	size_t n_areas;
};

/* Creates an indicator. Errors on "code" (empty, too long, or taken), "name", "unit",
 * "polarity", "source", "period_type", "decimals" (0 to 3), "areas" (an unknown area).
 * Audited as "create". */
int indicator_create(db *d, arena *a, const struct audit_actor *who,
		     const struct indicator_input *in, struct field_errors *errs, int64_t *id);
int indicator_create_tx(db *d, arena *a, const struct audit_actor *who,
			const struct indicator_input *in, struct field_errors *errs, int64_t *id);

/* Changes indicator ID's definition and areas, validated as in indicator_create (its own
 * code is not "taken"). Audited as "update" with the definition before. Its values stay.
 * DOMAIN_ENOTFOUND for an unknown indicator. */
int indicator_update(db *d, arena *a, const struct audit_actor *who, int64_t id,
		     const struct indicator_input *in, struct field_errors *errs);

int indicator_get(db *d, arena *a, int64_t id, struct indicator *out);
/* Every indicator, by name. */
int indicators_list(db *d, arena *a, struct indicator **out, size_t *n);
/* The indicators linked to one priority area, by name. */
int indicators_for_priority(db *d, arena *a, int64_t priority_area_id, struct indicator **out,
			    size_t *n);
/* The priority areas indicator ID is linked to, in the areas' order. */
int indicator_areas(db *d, arena *a, int64_t id, struct indicator_area **out, size_t *n);

struct indicator_value {
	int64_t id;
	char *area_code, *area_name, *period;
	int64_t value, lower, upper, count, denominator; /* thousandths */
	bool has_lower, has_upper, has_count, has_denominator;
	bool illustrative;
};

/* One value as typed or imported; empty optional fields are NULL in the database. */
struct indicator_value_input {
	sv area_code, area_name, period, value, lower, upper, count, denominator;
	bool illustrative;
};

/* Sets the value of indicator ID for an area and period, replacing one already there.
 * Errors on "area_code", "area_name", "period", "value", "lower", "upper" (not a number,
 * or lower above upper), "count", "denominator". Audited as "set" (new) or "replace"
 * (with the value before). *REPLACED (may be NULL) says which. DOMAIN_ENOTFOUND for an
 * unknown indicator. */
int indicator_value_set(db *d, arena *a, const struct audit_actor *who, int64_t id,
			const struct indicator_value_input *in, struct field_errors *errs,
			bool *replaced);
int indicator_value_set_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
			   const struct indicator_value_input *in, struct field_errors *errs,
			   bool *replaced);

/* Values of indicator ID, by area code then period; AREA_CODE NULL for every area. */
int indicator_values(db *d, arena *a, int64_t id, const char *area_code,
		     struct indicator_value **out, size_t *n);

/* One bad line of an import. */
struct import_error {
	int line;
	const char *message;
};

struct indicator_import_result {
	size_t added, replaced;    /* when applied */
	struct import_error *errors; /* when refused: in line order, at most the maximum */
	size_t n_errors;
	size_t n_more_errors;      /* bad lines past INDICATOR_IMPORT_ERRORS_MAX */
};

/* Imports values from CSV text with a header row naming the columns "indicator id",
 * "area code", "area name", "period", "value" (required) and "lower ci", "upper ci",
 * "count", "denominator" (optional), in any case; OHID Fingertips' own names "Time
 * period", "Lower CI 95.0 limit" and "Upper CI 95.0 limit" are taken for "period",
 * "lower ci" and "upper ci", and other columns are ignored. "indicator id" is an
 * indicator's code. On success RES says how many values were added and replaced. ILLUSTRATIVE marks every
 * value as an illustrative figure. The whole file is applied in one transaction, or
 * nothing is: DOMAIN_EINVALID with one error per bad line (an unknown indicator is a
 * bad line), or with line 1 when the header lacks a column or the file is empty or not
 * CSV. Each value applied is audited as in indicator_value_set. */
int indicator_import_csv(db *d, arena *a, const struct audit_actor *who, sv csv,
			 bool illustrative, struct indicator_import_result *res);

/* An indicator's trend for the local area against the comparator, period by period
 * (every period either has a value for), oldest first. For charts, summaries and the
 * Board report. */
struct indicator_series {
	struct indicator ind;
	size_t n;
	const char **periods;
	int64_t *local, *comparator;          /* thousandths */
	bool *local_missing, *comparator_missing;
	bool illustrative; /* any value shown is illustrative */
};
int indicator_series_get(db *d, arena *a, int64_t id, struct indicator_series *out);

/* How the local area moved from its first to its latest value: "better", "worse" or
 * "no change" by the indicator's polarity, or NULL with fewer than two values. */
const char *indicator_trend_word(const struct indicator_series *s);
/* The one-line text summary of a series, e.g. "Salford's rate fell from 20.1 in 2019 to
 * 18.4 in 2023 (better); England's fell from 17.0 to 15.6 (better)." or "No figures
 * yet." Arena-owned. */
char *indicator_summary(arena *a, const struct indicator_series *s);

#endif
