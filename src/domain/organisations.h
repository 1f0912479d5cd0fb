/* organisations.h: the organisations people belong to: anchor institutions (council,
 * NHS, university, housing, police), voluntary, community and social enterprise (VCSE)
 * organisations, community groups, and others.
 *
 * Changes are audited in the same transaction; functions ending in _tx run inside a
 * transaction the caller holds (see accounts.h).
 */
#ifndef DOMAIN_ORGANISATIONS_H
#define DOMAIN_ORGANISATIONS_H
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/validate.h"

enum org_kind {
	ORG_NONE = 0,
	ORG_ANCHOR,
	ORG_VCSE,
	ORG_COMMUNITY,
	ORG_OTHER,
};
#define ORG_KIND_COUNT 4
#define ORGANISATION_NAME_MAX 200 /* bytes */
#define ORGANISATION_LIST_MAX 1000

/* Every kind, in the order forms show them. */
extern const enum org_kind org_kinds[ORG_KIND_COUNT];

/* "anchor", "vcse", "community", "other" (stored and sent by forms), or "". */
const char *org_kind_slug(enum org_kind k);
/* "Anchor institution", "Voluntary, community or social enterprise (VCSE)",
 * "Community group", "Other". */
const char *org_kind_label(enum org_kind k);
/* The kind whose slug is S, or ORG_NONE. */
enum org_kind org_kind_parse(sv s);

struct organisation {
	int64_t id;
	char *name;
	enum org_kind kind;
	char *created_at;
};

/* Creates an organisation after checking NAME (required, at most ORGANISATION_NAME_MAX
 * bytes, not already used: errors on "name") and KIND (error on "kind"). Audited as
 * "create". *ID (may be NULL) receives its id. Returns DOMAIN_OK, DOMAIN_EINVALID or a
 * DB_E* code. */
int organisation_create(db *d, arena *a, const struct audit_actor *who, sv name,
			enum org_kind kind, struct field_errors *errs, int64_t *id);
int organisation_create_tx(db *d, arena *a, const struct audit_actor *who, sv name,
			   enum org_kind kind, struct field_errors *errs, int64_t *id);

/* Organisations ordered by name (at most ORGANISATION_LIST_MAX); *OUT arena-owned.
 * Returns DOMAIN_OK or a DB_E* code. */
int organisation_list(db *d, arena *a, struct organisation **out, size_t *n);

/* Fills OUT (strings in A). Returns DOMAIN_OK, DOMAIN_ENOTFOUND or a DB_E* code. */
int organisation_get(db *d, arena *a, int64_t id, struct organisation *out);

#endif
