/* record.c: one record read by its id; see record.h. */
#include "domain/record.h"

#include "domain/validate.h"

int record_get(db *d, arena *a, const char *sql, int64_t id, db_fill_fn fill, void *ctx,
	       void *out)
{
	db_stmt *st = db_prepare(d, sql);
	int rc;
	db_bind_int(st, 1, id);
	rc = db_one(st, a, fill, ctx, out);
	return rc == DB_DONE ? DOMAIN_ENOTFOUND : rc;
}
