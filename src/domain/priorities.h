/* priorities.h: the priority areas local people and the partnership work on.
 *
 * A priority area keeps both framings side by side: the original_framing as the
 * partnership first wrote it (often in service language) and the reframed_statement that
 * local people agreed, with a short summary, the partnership board it relates to and the
 * indicators by which progress is followed. Plain data: no HTML, no HTTP.
 */
#ifndef DOMAIN_PRIORITIES_H
#define DOMAIN_PRIORITIES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"
#include "db/db.h"
#include "domain/audit.h"

enum {
	PRIORITY_SLUG_MAX = 64,      /* bytes: slugs appear in URLs */
	PRIORITY_NAME_MAX = 200,     /* bytes, name and partnership name */
	PRIORITY_TEXT_MAX = 10000,   /* bytes, framing, statement and summary each */
	PRIORITY_INDICATORS_MAX = 50,
	PRIORITIES_MAX = 200,        /* most areas priorities_list returns */
	PRIORITY_HISTORY_MAX = 500,  /* most earlier statements shown */
};

/* One area as read from the database. Every string is arena-owned and never NULL except
 * partnership, which is NULL when the area relates to no board. */
struct priority_area {
	int64_t id;
	char *slug, *name, *original_framing, *reframed_statement, *summary;
	char *partnership;
	char **indicators; /* names, in their order */
	size_t n_indicators;
};

/* What priorities_add needs; the caller keeps ownership of every string. */
struct priority_new {
	const char *slug, *name, *original_framing, *reframed_statement, *summary;
	const char *partnership; /* NULL or "" for none */
	const char *const *indicators;
	size_t n_indicators;
};

/* Every area, in the order they are shown (sort_order, then id), at most PRIORITIES_MAX,
 * into an arena array *OUT of *N. Returns DB_OK or an error code. */
int priorities_list(db *d, arena *a, struct priority_area **out, size_t *n);

/* The area with SLUG into *OUT. Returns DB_OK, DB_DONE if there is none, or an error. */
int priorities_get_by_slug(db *d, arena *a, const char *slug, struct priority_area *out);

/* True if SLUG is 1..PRIORITY_SLUG_MAX bytes of a-z, 0-9 and single inner hyphens. */
bool priorities_slug_valid(const char *slug);

/* Adds an area after the existing ones, with its indicators, creating its partnership
 * (found by name) if it is new, and records the change in the audit log as WHO: all in
 * one transaction, which must not already be open. Sets *ID (may be NULL). Returns DB_OK,
 * DB_ECONSTRAINT if the slug is taken, or DB_ERR for missing or oversized fields (the
 * web layer checks these first and says which). */
int priorities_add(db *d, const struct audit_actor *who, const struct priority_new *p,
		   int64_t *id);
/* The same inside the caller's transaction (A for working memory); the caller commits
 * or rolls back. */
int priorities_add_tx(db *d, arena *a, const struct audit_actor *who,
		      const struct priority_new *p, int64_t *id);

/* --- The positive statement and its history ------------------------------------------ */

/* One earlier statement: what it said, and when and by whom it was replaced. */
struct priority_statement_change {
	char *statement;
	char *changed_at;     /* ISO-8601 UTC */
	char *changed_by_name; /* NULL when the system made the change */
};

/* Replaces the reframed statement of area AREA_ID with STATEMENT (trimmed), keeping the
 * earlier one in its history with WHO and now, and records the change in the audit log
 * ("update_statement", before and after). Errors on "reframed_statement" (empty, longer
 * than PRIORITY_TEXT_MAX, or the same as now). Returns DOMAIN_OK, DOMAIN_EINVALID,
 * DOMAIN_ENOTFOUND or a DB_E* code. The _tx form runs inside the caller's transaction.
 * (struct field_errors is in domain/validate.h.) */
struct field_errors;
int priorities_statement_update(db *d, arena *a, const struct audit_actor *who, int64_t area_id,
				sv statement, struct field_errors *fe);
int priorities_statement_update_tx(db *d, arena *a, const struct audit_actor *who,
				   int64_t area_id, sv statement, struct field_errors *fe);

/* The earlier statements of area AREA_ID, newest first, at most PRIORITY_HISTORY_MAX,
 * into an arena array *OUT of *N. Returns DB_OK or an error code. */
int priorities_statement_history(db *d, arena *a, int64_t area_id,
				 struct priority_statement_change **out, size_t *n);

#endif
