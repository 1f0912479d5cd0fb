/* db.h: the storage interface every domain module speaks. Its contract is the same for
 * SQLite (db_sqlite.c, the default) and PostgreSQL (later, behind this same header), so
 * domain SQL must be portable: '?' placeholders (the PostgreSQL side rewrites them to $n),
 * no SQLite-only functions, timestamps as ISO-8601 UTC text written by the app
 * (db_now_iso), booleans as 0/1 integers, ids as 64-bit integers from
 * db_last_insert_id (the PostgreSQL side uses RETURNING).
 *
 * Ownership: a db handle belongs to one thread at a time (take one from the pool per
 * request). Statements come from a per-connection cache keyed by the SQL text, so
 * preparing the same SQL twice is cheap; always end with db_done(), which resets the
 * statement and returns it to the cache. Text returned by db_col_text is valid until the
 * next db_step or db_done on that statement: copy it with db_col_dup to keep it.
 *
 * Errors: functions return DB_OK (0) or a negative DB_E* code and log the database's
 * message at error level; db_step returns DB_ROW or DB_DONE on success.
 */
#ifndef DB_DB_H
#define DB_DB_H
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"

typedef struct db db;
typedef struct db_stmt db_stmt;
typedef struct db_pool db_pool;

enum {
	DB_OK = 0,
	DB_ROW = 1,
	DB_DONE = 2,
	DB_SKIP = 3,        /* from a db_fill_fn: leave this row out */
	DB_ERR = -1,        /* anything else */
	DB_EBUSY = -2,      /* still locked after the busy timeout */
	DB_ECONSTRAINT = -3, /* unique, foreign key or check constraint failed */
	DB_ETOONEW = -4,    /* database schema is newer than this binary */
};

/* Opens (creating if absent) the database at PATH: WAL journal, foreign keys on, busy
 * timeout 5 s, synchronous=FULL (a committed change survives a crash or power cut). */
int db_open(const char *path, db **out);
void db_close(db *d);

/* A fixed-size pool of connections for the server's threads. db_pool_get blocks until a
 * connection is free. */
db_pool *db_pool_new(const char *path, int size);
db *db_pool_get(db_pool *p);
void db_pool_put(db_pool *p, db *d);
void db_pool_free(db_pool *p);

/* Returns a cached prepared statement for SQL (a string literal or otherwise long-lived
 * text: the cache keeps the pointer), or NULL on a syntax error (logged). */
db_stmt *db_prepare(db *d, const char *sql);
/* Parameters are numbered from 1. A failed bind is logged and also kept on the
 * statement: the next db_step returns its code, so a caller may bind several parameters
 * and check only the step. Binding to NULL (a failed db_prepare) returns DB_ERR, so a
 * caller of db_collect or db_one may prepare, bind and collect without checking between. */
int db_bind_int(db_stmt *s, int i, int64_t v);
int db_bind_text(db_stmt *s, int i, const char *text); /* NULL binds NULL; copied */
int db_bind_sv(db_stmt *s, int i, sv text);            /* ptr NULL binds NULL; copied */
int db_bind_null(db_stmt *s, int i);
int db_step(db_stmt *s); /* DB_ROW, DB_DONE or a negative code */
/* Columns are numbered from 0. */
int64_t db_col_int(db_stmt *s, int i);
const char *db_col_text(db_stmt *s, int i); /* "" for NULL */
sv db_col_sv(db_stmt *s, int i);
bool db_col_null(db_stmt *s, int i);
char *db_col_dup(db_stmt *s, int i, arena *a); /* arena copy; NULL for SQL NULL */
void db_done(db_stmt *s);

/* Reads the current row of ST into ITEM, a zero-filled element of the caller's type,
 * copying any text it keeps into A (db_col_dup). CTX is the caller's, passed through.
 * Returns DB_OK, DB_SKIP to leave the row out (a filter SQL cannot express), or a
 * negative code (DB_ERR when A is full) that stops the query. */
typedef int (*db_fill_fn)(db_stmt *st, arena *a, void *item, void *ctx);

/* Steps ST (prepared and bound; NULL, from a failed db_prepare, is DB_ERR) to the end
 * and collects its rows into an array grown in A, calling FILL once for each row with
 * the next element of ITEM_SIZE bytes. OUT is the address of the caller's array pointer
 * (a T ** for items of type T; void * so any T fits): it receives the array, NULL when
 * there are no rows, and *N the number of rows. Always ends with db_done(ST). Returns
 * DB_OK, or the error from db_step or FILL, with *OUT NULL and *N 0.
 *
 *	static int venue_row(db_stmt *st, arena *a, void *item, void *ctx)
 *	{
 *		struct venue *v = item;
 *		v->id = db_col_int(st, 0);
 *		v->name = db_col_dup(st, 1, a);
 *		return v->name ? DB_OK : DB_ERR;
 *	}
 *
 *	db_stmt *st = db_prepare(d, "SELECT id, name FROM venues ORDER BY name LIMIT ?");
 *	db_bind_int(st, 1, VENUE_LIST_MAX);
 *	return db_collect(st, a, sizeof(**out), venue_row, NULL, out, n);
 */
int db_collect(db_stmt *st, arena *a, size_t item_size, db_fill_fn fill, void *ctx, void *out,
	       size_t *n);

/* As db_collect for a query of at most one row (a record by its id): FILL reads the row
 * into ITEM, the caller's own struct (not cleared first). Returns DB_OK when there was a
 * row, DB_DONE when there was none or FILL skipped it (the caller's "not found"), or the
 * error from db_step or FILL. Always ends with db_done(ST). */
int db_one(db_stmt *st, arena *a, db_fill_fn fill, void *ctx, void *item);

/* Runs a script of several statements without parameters: migrations only. */
int db_exec(db *d, const char *sql);
/* Write transactions take the write lock at once (BEGIN IMMEDIATE on SQLite). */
int db_begin(db *d);
int db_commit(db *d);
int db_rollback(db *d);
/* One consistent snapshot for a request that only reads: every query between these two
 * sees the same state, and the database's locks are taken once instead of per query.
 * db_begin ends the snapshot before it starts a write transaction. Both are no-ops when
 * there is nothing to do; db_pool_put ends a snapshot left open. */
int db_read_begin(db *d);
int db_read_end(db *d);
int64_t db_last_insert_id(db *d);
int db_changes(db *d);
const char *db_errmsg(db *d);
/* True between db_begin and db_commit/db_rollback (and after an error that the database
 * did not roll back by itself). */
bool db_in_transaction(db *d);
/* 1 if a table NAME exists, 0 if not, <0 on error. The catalogue query differs between
 * databases, so it lives here rather than in callers. */
int db_table_exists(db *d, const char *name);

/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ" (plus OFFSET seconds) into BUF[21+]. */
void db_now_iso(char *buf, long offset_seconds);

/* Schema migrations (migrate.c), built into the binary from migrations/NNNN_name.sql.
 * db_migrate applies every pending one in a single transaction and records it in
 * schema_migrations. Returns DB_OK, DB_ETOONEW if the database has a migration this
 * binary does not know (the server then refuses to start), or DB_ERR. *FROM and *TO
 * (may be NULL) receive the versions before and after. */
int db_migrate(db *d, int *from, int *to);
int db_schema_version(db *d);  /* highest applied, 0 for a new database, <0 on error */
int db_code_version(void);     /* highest built into the binary */
/* As db_migrate over TABLE (ended by a NULL name; names "NNNN_name.sql", strictly rising
 * numbers) instead of the built-in migrations: for tests with migrations of their own. A
 * migration script must not contain BEGIN or COMMIT: all pending ones share one
 * transaction, and any error rolls every one of them back. */
struct embedded_file;
int db_migrate_table(db *d, const struct embedded_file *table, int *from, int *to);
/* The highest version in TABLE, or <0 if a name has no leading number. */
int db_migrations_version(const struct embedded_file *table);

/* Online copy of the live database at SRC into DEST (SQLite backup API), then opens the
 * copy and runs PRAGMA integrity_check. Returns DB_OK or DB_ERR with a message in ERR
 * (ERRLEN bytes). */
int db_backup(const char *src, const char *dest, char *err, size_t errlen);

#endif
