/* collect.c: reading a query's rows into arena arrays, the same on every database. */
#include <string.h>

#include "db/db.h"

/* The caller's array pointer has its own type (T *), so it is written as bytes rather
 * than through a void ** that would alias it. */
static void set_out(void *out, void *items)
{
	memcpy(out, &items, sizeof(items));
}

/* FILL's result as a db code: anything but DB_OK or DB_SKIP stops the query as an
 * error. */
static int fill_rc(int rc)
{
	return rc == DB_OK || rc == DB_SKIP ? rc : rc < 0 ? rc : DB_ERR;
}

int db_collect(db_stmt *st, arena *a, size_t item_size, db_fill_fn fill, void *ctx, void *out,
	       size_t *n)
{
	unsigned char *items = NULL;
	size_t cap = 0, count = 0;
	int rc;

	*n = 0;
	set_out(out, NULL);
	if (!st)
		return DB_ERR;
	while ((rc = db_step(st)) == DB_ROW) {
		/* arena_grow zero-fills the room it adds, so each new element starts clear. */
		if (!(items = arena_grow(a, items, count, &cap, item_size))) {
			rc = DB_ERR;
			break;
		}
		unsigned char *item = items + count * item_size;
		rc = fill_rc(fill(st, a, item, ctx));
		if (rc == DB_SKIP) {
			memset(item, 0, item_size); /* the next row starts clear */
			continue;
		}
		if (rc != DB_OK)
			break;
		count++;
	}
	db_done(st);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	set_out(out, count ? items : NULL);
	*n = count;
	return DB_OK;
}

int db_one(db_stmt *st, arena *a, db_fill_fn fill, void *ctx, void *item)
{
	int rc;

	if (!st)
		return DB_ERR;
	rc = db_step(st);
	if (rc == DB_ROW)
		rc = fill_rc(fill(st, a, item, ctx));
	if (rc == DB_SKIP)
		rc = DB_DONE;
	db_done(st);
	if (rc == DB_OK || rc == DB_DONE)
		return rc;
	return rc < 0 ? rc : DB_ERR;
}
