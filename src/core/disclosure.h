/* disclosure.h: statistical disclosure control for every count that leaves the database.
 *
 * Counts of people (participants against the population, attendance by group, answers
 * to equality questions, self-assessment respondents) are shown on pages, in exports, in
 * JSON and in the Board report. A small count can identify someone, so every such figure
 * goes through here, as the ONS does for small areas:
 *   - a count below the threshold (default 10) is shown as "fewer than 10" and carries
 *     no number at all, not even in a data attribute or a chart;
 *   - every other count is rounded to the nearest 5 (halves up: 12 -> 10, 13 -> 15);
 *   - shares are computed from the rounded counts, never from the true ones;
 *   - totals are the rounded sum of the true counts, so a suppressed cell cannot be
 *     recovered by subtracting the cells shown from the total (see disclosure_total).
 * The threshold is one setting for the whole deployment (COPROD_SUPPRESS_BELOW, at least
 * 2), read once at start.
 */
#ifndef CORE_DISCLOSURE_H
#define CORE_DISCLOSURE_H
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"

struct disclosed {
	bool suppressed; /* true: below the threshold; VALUE is 0 and must not be shown */
	int64_t value;   /* the rounded count when not suppressed */
};

/* The threshold in force (default 10). */
int disclosure_threshold(void);
/* Sets the threshold (values below 2 are raised to 2); for start-up and tests. */
void disclosure_set_threshold(int below);

/* One count, suppressed or rounded to the nearest 5. */
struct disclosed disclosure_count(int64_t true_count);

/* A total over cells: suppressed when the true total is below the threshold, otherwise
 * rounded like any count. It is never the sum of the shown cells. */
struct disclosed disclosure_total(const int64_t *true_counts, int n);

/* The share of PART in WHOLE in parts per million, computed from the disclosed
 * (rounded) figures; false when either is suppressed or WHOLE is 0. */
bool disclosure_share_ppm(struct disclosed part, struct disclosed whole, int64_t *ppm);

/* Appends the figure as shown to people: "15", or "fewer than 10". */
void disclosure_format(sbuf *b, struct disclosed d);
char *disclosure_text(arena *a, struct disclosed d);

/* Appends a share in ppm as a percentage with one decimal place: "12.5%". */
void disclosure_format_ppm(sbuf *b, int64_t ppm);

#endif
