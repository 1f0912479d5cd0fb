/* venues.h: the places groups meet, with the accessibility facts people need to decide
 * whether they can get there and take part, and what a booking costs.
 *
 * Money is whole pence in the database and typed as pounds ("12.50", "£12", "12.5"):
 * never floating point. Changes are audited in the same transaction. Everything returned
 * lives in the arena A.
 */
#ifndef DOMAIN_VENUES_H
#define DOMAIN_VENUES_H
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/money.h"
#include "core/str.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/validate.h"

#define VENUE_NAME_MAX       200  /* bytes */
#define VENUE_ADDRESS_MAX    1000 /* bytes */
#define VENUE_POSTCODE_MAX   10   /* bytes, "M50 2ST" */
#define VENUE_NOTE_MAX       500  /* bytes of transport note */
#define VENUE_CAPACITY_MAX   100000
#define VENUE_COST_MAX_PENCE 100000000 /* £1,000,000 */
#define VENUE_LIST_MAX       1000

struct venue {
	int64_t id;
	char *name, *address, *postcode;
	bool step_free, accessible_toilet, hearing_loop, quiet_room, near_transport;
	char *transport_note;
	int capacity; /* 0: not known */
	int64_t cost_pence;
};

/* A venue as typed on the form. */
struct venue_new {
	sv name, address, postcode, transport_note;
	sv capacity; /* "" for not known */
	sv cost;     /* pounds: "12.50"; "" for free */
	bool step_free, accessible_toilet, hearing_loop, quiet_room, near_transport;
};


/* Validates IN (errors on "name" — required, unique —, "address" — required —,
 * "postcode", "capacity", "cost", "transport_note") and creates or (ID not 0) updates the
 * venue, audited as "create" / "update". *OUT_ID (may be NULL) receives the id. Returns
 * DOMAIN_OK, DOMAIN_EINVALID, DOMAIN_ENOTFOUND or a DB_E* code. */
int venue_save(db *d, arena *a, const struct audit_actor *who, int64_t id,
               const struct venue_new *in, struct field_errors *errs, int64_t *out_id);
int venue_save_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
                  const struct venue_new *in, struct field_errors *errs, int64_t *out_id);

int venue_get(db *d, arena *a, int64_t id, struct venue *out);
/* Every venue by name (at most VENUE_LIST_MAX). */
int venue_list(db *d, arena *a, struct venue **out, size_t *n);

#endif
