/* assets.h: the places a programme starts from: Salford's electoral wards with their
 * Census populations, and the community assets (groups, venues, services and existing
 * participation groups such as a parent carer forum) that already reach people.
 *
 * An asset may be public (listed at /community-assets for anyone) or kept for staff.
 * Tags are lower-case words separated by commas ("young-adults,carers"); they are stored
 * normalised (trimmed, lower-cased, spaces become hyphens, duplicates dropped), so a
 * search by tag matches a whole tag. Changes are audited in the same transaction.
 * Everything returned lives in the arena A.
 */
#ifndef DOMAIN_ASSETS_H
#define DOMAIN_ASSETS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/validate.h"

#define ASSET_NAME_MAX    200  /* bytes */
#define ASSET_TEXT_MAX    2000 /* bytes in contact, who they reach, accessibility */
#define ASSET_TAGS_MAX    500  /* bytes of tags */
#define ASSET_LIST_MAX    500  /* rows one search returns at most */
#define WARD_NAME_MAX     100
#define WARDS_MAX         100

/* --- Wards ----------------------------------------------------------------------------- */

struct ward {
	char *code, *name; /* "E05013018", "Barton & Winton" */
	int64_t population_2011; /* 0 when not known */
	int64_t population_2021;
	char *source;
};

/* Adds or replaces the ward CODE (an ONS code "E05" followed by six digits) with its
 * name and usual residents. Inside the caller's transaction; not audited (reference
 * data, loaded by the demo or an administrator's import). Returns DOMAIN_OK,
 * DOMAIN_EINVALID (bad code, empty name, negative count) or a DB_E* code. */
int ward_put_tx(db *d, const char *code, const char *name, int64_t population_2011,
                int64_t population_2021, const char *source);

/* Every ward by name (at most WARDS_MAX). */
int ward_list(db *d, arena *a, struct ward **out, size_t *n);
/* The ward's name, or NULL if CODE is not a known ward. */
const char *ward_name(db *d, arena *a, const char *code);

/* One bad line of a ward import. */
struct ward_import_error {
	int line;            /* the line of the file, 1 for the header */
	const char *message; /* plain English, arena memory */
};
#define WARD_IMPORT_ERRORS_MAX 50 /* bad lines reported at most */

/* Imports wards from CSV text with a header naming the columns "code", "name" and
 * "population_2021" (required) and "population_2011" and "source" (optional), in any
 * order: each line adds the ward or replaces the one with that code. The import applies
 * whole or not at all: if any line is wrong (bad code, empty name, a count that is not
 * a whole number of 0 or more, a code given twice), nothing is changed and *ERRS / *NERRS
 * list each bad line with its number (at most WARD_IMPORT_ERRORS_MAX), and the result is
 * DOMAIN_EINVALID. On success *IMPORTED (may be NULL) is the number of wards and one
 * audit record "import" of entity "wards" says so. Returns DOMAIN_OK, DOMAIN_EINVALID or
 * a DB_E* code. */
int ward_import(db *d, arena *a, const struct audit_actor *who, sv csv,
                struct ward_import_error **errs, size_t *nerrs, size_t *imported);

/* --- Assets ---------------------------------------------------------------------------- */

/* Kinds as stored: "group", "venue", "service", "participation_group", "other". */
#define ASSET_KINDS 5
extern const char *const asset_kinds[ASSET_KINDS];
/* "Community group", "Venue", "Service", "Participation group", "Other"; "" if unknown. */
const char *asset_kind_label(const char *kind);

struct asset {
	int64_t id;
	char *name, *kind;
	char *ward_code, *ward_name; /* NULL for none (city-wide or not known) */
	char *area_note;             /* "City-wide", "Eccles and Monton"...; may be "" */
	char *contact, *who_they_reach, *accessibility, *tags;
	bool public;
	char *created_at, *updated_at;
};

/* An asset as typed on the form. WARD is a ward code or "" for none. */
struct asset_input {
	sv name, kind, ward, area_note, contact, who_they_reach, accessibility, tags;
	bool public;
};

/* Validates IN (errors on "name", "kind", "ward", "area_note", "contact",
 * "who_they_reach", "accessibility", "tags") and creates the asset or (ID not 0)
 * updates it, audited as "create"/"update" of entity "asset". *OUT_ID (may be NULL)
 * receives the id. Returns DOMAIN_OK, DOMAIN_EINVALID, DOMAIN_ENOTFOUND or DB_E*. */
int asset_save(db *d, arena *a, const struct audit_actor *who, int64_t id,
               const struct asset_input *in, struct field_errors *fe, int64_t *out_id);
int asset_save_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
                  const struct asset_input *in, struct field_errors *fe, int64_t *out_id);

/* The asset ID. With PUBLIC_ONLY, an asset that is not public is DOMAIN_ENOTFOUND. */
int asset_get(db *d, arena *a, int64_t id, bool public_only, struct asset *out);

/* What a search asks for; empty strings (or NULL) match everything. TEXT matches the
 * name, who they reach or the tags (case-insensitive); TAG matches one whole tag. */
struct asset_filter {
	const char *text, *kind, *ward, *tag;
	bool public_only;
};
/* The assets matching F, by name, at most ASSET_LIST_MAX, into *OUT / *N. */
int asset_search(db *d, arena *a, const struct asset_filter *f, struct asset **out, size_t *n);

/* Every tag in use (in public assets only with PUBLIC_ONLY), sorted, into *OUT / *N. */
int asset_tags(db *d, arena *a, bool public_only, char ***out, size_t *n);

/* For "Who are we leaving out?": the assets that reach people described by TERM (a
 * word such as "carers", "young-adults", "bangladeshi", "disabled"), public or not, by
 * name, at most ASSET_LIST_MAX. An asset matches when one of its tags equals TERM
 * (normalised as tags are) or its "who they reach" text contains TERM ignoring case
 * (with hyphens read as spaces). An empty TERM matches nothing. Returns DOMAIN_OK or a
 * DB_E* code; *OUT and *N are set on success. */
int assets_reaching(db *d, arena *a, const char *term, struct asset **out, size_t *n);

/* TAGS normalised as stored: "Young Adults, carers ,carers" -> "young-adults,carers".
 * NULL if the arena is full. */
char *asset_tags_normalise(arena *a, sv tags);

#endif
