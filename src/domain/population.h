/* population.h: the local population a programme's participants are compared with, and
 * the participants-against-population figures of the diversity page.
 *
 * A programme lead imports the population's distribution per equality category (CSV:
 * category, value, count or share, source, date) and a postcode-to-deprivation-decile
 * table (CSV: postcode, decile). Each import applies whole, in one transaction, or not
 * at all: every bad line is reported with its line number and nothing is changed.
 * Salford's wards come from the wards table (real Census 2021 figures, 0004).
 *
 * The figures leave this module already disclosed (core/disclosure.h): no true count of
 * participants is in a struct diversity_category. The rule, per category and stage:
 *   1. each count below the threshold is suppressed ("fewer than 10"), others rounded
 *      to the nearest 5; the stage's total is the rounded true total;
 *   2. secondary suppression: when exactly one cell of a stage's column is suppressed
 *      while the total is shown, the smallest other shown cell of that column is
 *      suppressed too, so that the total minus the shown cells does not narrow the
 *      suppressed one down;
 *   3. shares come from the rounded counts only, and a share (and its gap) is shown only
 *      when its count is shown. A share is of the people who answered (the rounded total
 *      of the value rows, "prefer not to say or not answered" left out), which is what a
 *      population's distribution can be compared with.
 * Stages are never subtracted from one another on any page, and since every shown count
 * is rounded independently, no difference of two shown counts equals a suppressed one.
 */
#ifndef DOMAIN_POPULATION_H
#define DOMAIN_POPULATION_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/disclosure.h"
#include "core/str.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/equality.h"
#include "domain/validate.h"

#define POPULATION_IMPORT_MAX_LINES 20000 /* data lines one import may hold */
#define POPULATION_IMPORT_ERRORS_MAX 50   /* bad lines reported, at most */
#define POPULATION_SOURCE_MAX 200         /* bytes in a source */
#define DIVERSITY_LEAVING_OUT_MAX 5       /* values "Who are we leaving out?" lists */
#define DIVERSITY_ASSETS_MAX 5            /* assets suggested for each */

struct import_error {
	int line;      /* line number in the file (1 is the header) */
	const char *message; /* plain English: arena memory or a literal */
};

struct import_result {
	size_t applied; /* lines applied (0 when there were errors) */
	struct import_error *errors;
	size_t n_errors;
};

/* Imports the population distribution of a programme from CSV with a header row naming
 * the columns category, value, count, share, source, date (any order; count or share may
 * be empty but not both; share is a percentage such as "12.5" or "12.5%"). It replaces
 * every figure of the categories the file names. ILLUSTRATIVE marks the figures as
 * examples, not facts. Returns DOMAIN_OK, or DOMAIN_EINVALID with OUT->errors (nothing
 * applied). Audited as 'population.import'. */
int population_import_tx(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
			 sv csv, bool illustrative, struct import_result *out);
int population_import(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
		      sv csv, bool illustrative, struct import_result *out);

/* Imports the postcode-to-decile table (header postcode, decile; deciles 1 to 10),
 * replacing the programme's whole table. As population_import otherwise. Audited as
 * 'population.postcodes'. */
int postcode_import_tx(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
		       sv csv, struct import_result *out);
int postcode_import(db *d, arena *a, const struct audit_actor *who, int64_t programme_id, sv csv,
		    struct import_result *out);

/* Normalises a UK postcode ("m65ab" -> "M6 5AB") into OUT[9]; false if it is not 5 to 7
 * letters and digits. */
bool postcode_normalise(const char *in, char out[9]);

struct population_summary {
	int64_t figures;   /* population figures imported */
	int64_t postcodes; /* postcodes in the decile table */
	bool illustrative; /* any figure is illustrative */
};
int population_summary(db *d, int64_t programme_id, struct population_summary *out);

/* --- The diversity figures ---------------------------------------------------------- */

struct diversity_row {
	const char *value, *label;
	struct disclosed count[EQUALITY_STAGES];
	bool has_share[EQUALITY_STAGES];
	int64_t share_ppm[EQUALITY_STAGES]; /* participants' share, from rounded counts */
	bool has_pop;
	int64_t pop_share_ppm; /* the population's share */
	bool has_gap[EQUALITY_STAGES];
	int64_t gap_ppm[EQUALITY_STAGES]; /* participants' share minus the population's */
};

struct diversity_category {
	const char *slug, *label;
	size_t n_rows; /* the values, then "Prefer not to say or not answered" (no population) */
	struct diversity_row *rows;
	struct disclosed totals[EQUALITY_STAGES];   /* everyone at the stage */
	struct disclosed answered[EQUALITY_STAGES]; /* those who gave one of the values */
	bool has_population, illustrative;
	const char *source, *as_of; /* of the population figures; "" when none */
};

/* The disclosed figures of one category (an equality category slug, a 'lived:<flag>',
 * or "ward"). DOMAIN_ENOTFOUND for an unknown category. Arena-owned. */
int diversity_category(db *d, arena *a, int64_t programme_id, const char *slug,
		       struct diversity_category *out);

/* Every category the programme shows: ward, the fixed equality categories and the
 * programme's lived-experience flags. */
int diversity_all(db *d, arena *a, int64_t programme_id, struct diversity_category **out,
		  size_t *n);

struct diversity_asset {
	int64_t id;
	char *name, *kind, *who_they_reach;
};

struct leaving_out {
	const char *category_label, *value_label;
	int64_t gap_ppm; /* the population's share minus participants' (positive) */
	int64_t pop_share_ppm, share_ppm;
	struct diversity_asset *assets;
	size_t n_assets;
};

/* "Who are we leaving out?": the values most under-represented among the people at
 * STAGE (the population's share minus participants' share, largest first), at most
 * DIVERSITY_LEAVING_OUT_MAX, each with up to DIVERSITY_ASSETS_MAX community assets that
 * reach them (by tags, who they reach, or ward).
 *
 * A value is listed only when the comparison is fair on the figures as shown:
 *   - its count and the number who answered are both shown (not suppressed);
 *   - it is not the largest group of its category in the population: when the smaller
 *     groups are hidden as "fewer than 10", the largest one's share looks low through
 *     rounding alone, and it is not who "leaving out" is about;
 *   - it is under-represented even at the edge of rounding: every shown count may be up
 *     to 2 away from the true one (rounding to the nearest 5), so the value is listed
 *     only if (count + 2) / (answered - 2) is still below the population's share. This
 *     uses the rounded figures only, so it reveals nothing that is not shown.
 * The answer "no" of a yes-or-no question is not a group to reach, so it is never
 * listed. */
/* Whether ROW of C may fairly be shown as under-represented at STAGE, by the rule
 * above; the diversity page's one-line summaries use the same rule. */
bool diversity_fairly_under(const struct diversity_category *c, const struct diversity_row *row,
			    enum equality_stage stage);

int diversity_leaving_out(db *d, arena *a, const struct diversity_category *cats, size_t n,
			  enum equality_stage stage, struct leaving_out **out, size_t *nout);

#endif
