/* audit.h: the audit log of every change made through the app.
 *
 * Each record says who made the change (an account, or 0 for the system or the shell),
 * on whose behalf (a facilitator acting for a local person: 0 when not), when, what
 * (entity and id), the action, and the state before and after as JSON text (NULL for
 * none). Domain functions that change data call audit_record in the same transaction as
 * the change, so a change and its record commit or roll back together.
 */
#ifndef DOMAIN_AUDIT_H
#define DOMAIN_AUDIT_H
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"

struct audit_actor {
	int64_t account_id;   /* who did it; 0 = system or command line */
	int64_t on_behalf_of; /* the person acted for; 0 = nobody */
	const char *address;  /* client address, or NULL */
};

/* Records one change. BEFORE and AFTER are JSON objects or NULL. Returns DB_OK or an
 * error code (the caller rolls back). */
int audit_record(db *d, const struct audit_actor *who, const char *entity, int64_t entity_id,
		 const char *action, const char *before, const char *after);

struct audit_entry {
	int64_t id, account_id, on_behalf_of, entity_id;
	char *at, *actor_name, *on_behalf_name, *entity, *action, *before, *after;
};

/* The most recent entries, newest first, at most LIMIT, skipping OFFSET; arena-owned. */
int audit_list(db *d, arena *a, int limit, int offset, struct audit_entry **out, size_t *n);

#endif
