/* power.h: the balance of power between local people and professionals, made visible.
 *
 * Two views. For one idea: who proposed it, who amended it and how the group decided on
 * it, each by role, so anyone reading the idea can see whose idea it is and who shaped
 * it. For a programme: how much of its ideas, amendments, comments and decisive
 * positions (positions on closed decisions) came from local people and how much from
 * professionals, quarter by quarter, to show whether power is really shared over time.
 *
 * Every count uses the side stored with the contribution when it was made, so it does
 * not change if someone's role changes later. These are plain counts of contributions,
 * never of special-category data, so small numbers are shown as they are. Strings are
 * arena-owned.
 */
#ifndef DOMAIN_POWER_H
#define DOMAIN_POWER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"
#include "db/db.h"
#include "domain/accounts.h"
#include "domain/decisions.h"

#define POWER_PEOPLE_MAX    100 /* proposers or amenders listed for one idea */
#define POWER_DECISIONS_MAX 20  /* decisions listed for one idea */
#define POWER_QUARTERS_MAX  40  /* quarters shown for a programme: the latest ten years */

/* Someone who shaped an idea. */
struct power_person {
	int64_t account_id;
	char *name;
	char *side;        /* "local" or "professional" */
	char *recorded_by; /* the facilitator who wrote it down for them, or NULL */
	char *at;          /* when (ISO-8601), or NULL */
};

/* A decision the group took on the idea, with its counts side by side. */
struct power_decision {
	struct decision decision;
	struct decision_tally tally;
	struct decision_result result; /* meaningful once the decision is closed */
};

struct power_item {
	struct power_person *proposers; /* the idea's authors */
	size_t n_proposers;
	struct power_person *amenders; /* revisions by people who are not authors */
	size_t n_amenders;
	struct power_decision *decisions; /* oldest first */
	size_t n_decisions;
};

/* Fills OUT for idea IDEA_ID. The caller has already decided that the reader may see the
 * idea; names are returned and the caller chooses whether to show them. Returns
 * DOMAIN_OK or a DB_E* code (an idea with nothing recorded gives empty lists). */
int power_item_summary(db *d, arena *a, int64_t idea_id, struct power_item *out);

/* Contributions from each side. */
struct power_counts {
	int local, professional;
};

struct power_quarter {
	int year, quarter; /* quarter 1..4 */
	struct power_counts ideas, amendments, comments, positions;
};

/* The programme with SLUG: its id and name, if ACCOUNT_ID (with ROLE) may see its
 * power balance: programme leads, the programme's own lead, and current members of any
 * of its groups. Returns DOMAIN_OK, DOMAIN_ENOTFOUND (no such programme, or not theirs
 * to see) or a DB_E* code. */
int power_programme_find(db *d, arena *a, int64_t account_id, enum role role, sv slug, int64_t *id,
                         char **name);

/* The counts for programme PROGRAMME_ID, one entry per quarter from the first with any
 * contribution to the last (empty quarters included, all zero), at most
 * POWER_QUARTERS_MAX (the latest). *N is 0 when there is nothing yet. */
int power_programme(db *d, arena *a, int64_t programme_id, struct power_quarter **out, size_t *n);

#endif
