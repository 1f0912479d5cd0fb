/* record.h: one record read by its id, the same way in every domain module.
 *
 * Most modules look a record up by its id and answer "not found" when there is none; the
 * query and how a row reads are theirs, the rest is here.
 */
#ifndef DOMAIN_RECORD_H
#define DOMAIN_RECORD_H
#include <stdint.h>

#include "db/db.h"

/* Runs SQL (long-lived text, as for db_prepare, with one '?' that takes ID) and reads its
 * row into OUT with FILL and CTX (see db_one: OUT is not cleared first). Returns
 * DOMAIN_OK, DOMAIN_ENOTFOUND when no row matches, or the DB_E* code of a storage
 * failure or from FILL. */
int record_get(db *d, arena *a, const char *sql, int64_t id, db_fill_fn fill, void *ctx,
	       void *out);

#endif
