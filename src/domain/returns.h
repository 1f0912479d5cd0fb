/* returns.h: each Board member's organisation reports back on its own co-production every
 * half year (the Board's resolution in seed 001, section 7.2): what it did, the rung of
 * the ladder of co-production it reached, and what changed as a result.
 *
 * A period is a half year written "2022-H2" (July to December 2022) or "2023-H1"
 * (January to June 2023). Board members file for their own organisation; there is one
 * return per organisation per period, and a second is refused (an error on "period"
 * saying it has been filed), so what was reported stays as it was reported. Programme
 * leads see, for a period, which organisations with Board members have filed and which
 * have not.
 *
 * Changes are audited in their transaction; _tx functions run inside the caller's.
 * Everything returned lives in the arena A.
 */
#ifndef DOMAIN_RETURNS_H
#define DOMAIN_RETURNS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/str.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/validate.h"

#define RETURN_TEXT_MAX 10000 /* bytes: what was done, what changed */
#define RETURN_PERIOD_LEN 8   /* "2022-H2" and a NUL */
#define RETURNS_MAX 1000      /* rows one list returns at most */

/* The ladder of co-production (Think Local Act Personal and the National Co-production
 * Advisory Group), from the bottom rung to the top. */
enum ladder_rung {
	RUNG_NONE = -1,
	RUNG_COERCION = 0,
	RUNG_EDUCATING,
	RUNG_INFORMING,
	RUNG_CONSULTATION,
	RUNG_ENGAGEMENT,
	RUNG_CO_DESIGN,
	RUNG_CO_PRODUCTION,
};
#define LADDER_RUNGS 7
/* "coercion" ... "co_production" (stored and sent by forms), or "". */
const char *ladder_rung_slug(enum ladder_rung r);
/* "Coercion" ... "Co-production". */
const char *ladder_rung_label(enum ladder_rung r);
/* One line on what the rung means, for a form's hint. */
const char *ladder_rung_meaning(enum ladder_rung r);
enum ladder_rung ladder_rung_parse(sv s); /* RUNG_NONE if unknown */

/* True for "YYYY-H1" or "YYYY-H2" with a year from 2000 to 2199. */
bool return_period_valid(sv period);
/* "July to December 2022" for "2022-H2"; "" if not valid. Arena-owned. */
const char *return_period_label(arena *a, sv period);
/* The period DAY falls in, into OUT. */
void return_period_of(struct date day, char out[RETURN_PERIOD_LEN]);
/* The period before PERIOD (which must be valid), into OUT. */
void return_period_before(const char *period, char out[RETURN_PERIOD_LEN]);

struct org_return {
	int64_t id, organisation_id;
	char *organisation_name;
	char period[RETURN_PERIOD_LEN];
	char *what_done, *what_changed;
	enum ladder_rung rung;
	char *filed_by_name; /* NULL if the account has gone */
	char *filed_at;      /* ISO time */
};

struct return_new {
	sv period, what_done, rung, what_changed;
};

/* Files ORGANISATION_ID's return. Errors on "period" (not one offered, or already
 * filed: the message names the period), "what_done", "rung", "what_changed". A filer
 * with no organisation (ORGANISATION_ID 0) is DOMAIN_EFORBIDDEN. Audited as "file".
 * Returns DOMAIN_OK, DOMAIN_EINVALID, DOMAIN_EFORBIDDEN or a DB_E* code. */
int return_file(db *d, arena *a, const struct audit_actor *who, int64_t organisation_id,
		const struct return_new *in, struct field_errors *errs, int64_t *id);
int return_file_tx(db *d, arena *a, const struct audit_actor *who, int64_t organisation_id,
		   const struct return_new *in, struct field_errors *errs, int64_t *id);

int return_get(db *d, arena *a, int64_t id, struct org_return *out);
/* One organisation's returns, latest period first. */
int returns_for_organisation(db *d, arena *a, int64_t organisation_id, struct org_return **out,
			     size_t *n);

/* One line of a period's status: an organisation with at least one enabled Board
 * member, and its return for the period if it filed one. */
struct return_status {
	int64_t organisation_id;
	char *organisation_name;
	size_t n_board_members;
	int64_t return_id; /* 0 when not filed */
	char *filed_at;    /* NULL when not filed */
	enum ladder_rung rung;
};
/* Every such organisation for PERIOD, by name. */
int returns_status(db *d, arena *a, const char *period, struct return_status **out, size_t *n);

#endif
