/* db_sqlite.c: the db.h storage interface on SQLite, with a statement cache and a pool. */
#include "db/db.h"

#include <assert.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"

enum {
	DB_BUSY_TIMEOUT_MS = 5000,
	/* Distinct SQL texts one connection keeps prepared. The program has a fixed set of
	 * queries (string literals), so this is a capacity for the whole codebase, not for
	 * traffic; a power of two for the probe mask. */
	DB_STMT_CACHE_SIZE = 1024,
	/* Past this load the table stops caching and prepares throwaway statements, so a
	 * probe always ends at an empty slot. */
	DB_STMT_CACHE_MAX = DB_STMT_CACHE_SIZE * 3 / 4,
};

struct db_stmt {
	sqlite3_stmt *st;
	db *d;
	const char *sql;    /* the caller's text: the cache key */
	bool in_use;        /* between db_prepare and db_done */
	bool cached;        /* false: finalised by db_done */
	int bind_err;       /* the first failed bind's code, returned by db_step */
	struct db_stmt *next; /* uncached statements still out, for db_close */
};

struct db {
	sqlite3 *h;
	bool reading; /* inside a read transaction from db_read_begin */
	size_t ncached;
	struct db_stmt *uncached;
	struct db_stmt *slots[DB_STMT_CACHE_SIZE];
};

struct db_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int size, nfree;
	db **all;
	db **free;
};

static int map_rc(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
		return DB_OK;
	case SQLITE_ROW:
		return DB_ROW;
	case SQLITE_DONE:
		return DB_DONE;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_EBUSY;
	case SQLITE_CONSTRAINT:
		return DB_ECONSTRAINT;
	default:
		return DB_ERR;
	}
}

/* Logs the database's message for a failed call. SQLite's messages name tables, columns
 * and constraints but never bound values, so no personal data reaches the log. A
 * constraint failure is usually a user's mistake (an email already registered) that the
 * caller turns into a message, so it is logged as a warning. */
static int fail(db *d, int rc, const char *what, const char *sql)
{
	int code = map_rc(rc);
	if (code == DB_ECONSTRAINT)
		log_warn("db: %s: %s", what, sqlite3_errmsg(d->h));
	else
		log_error("db: %s: %s (%d)%s%s", what, sqlite3_errmsg(d->h), rc,
			  sql ? " in: " : "", sql ? sql : "");
	return code < 0 ? code : DB_ERR;
}

/* Creates the file with owner-only permissions before SQLite opens it: the database
 * holds personal data, and SQLite gives its -wal and -shm files the same mode. */
static void precreate(const char *path)
{
	if (strcmp(path, ":memory:") == 0 || strncmp(path, "file:", 5) == 0)
		return;
	/* Only ever create: opening and closing a second descriptor on a database this
	 * process already has open would drop its POSIX locks (close() releases every lock
	 * the process holds on the file), and another process could then checkpoint and
	 * delete the WAL under the server's feet. */
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
}

static int pragma(db *d, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(d->h, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		log_error("db: %s: %s", sql, msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return map_rc(rc) < 0 ? map_rc(rc) : DB_ERR;
	}
	return DB_OK;
}

/* SQLite keeps memory statistics behind one process-wide mutex taken on every
 * allocation; with a connection per server thread that mutex is the busiest lock in the
 * process, and nothing here reads the statistics. Set once, before SQLite initialises. */
static pthread_once_t configured = PTHREAD_ONCE_INIT;
static void configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int db_open(const char *path, db **out)
{
	pthread_once(&configured, configure);
	*out = NULL;
	db *d = calloc(1, sizeof(*d));
	if (!d) {
		log_error("db: out of memory opening the database");
		return DB_ERR;
	}
	precreate(path);
	int rc = sqlite3_open_v2(path, &d->h,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
					 SQLITE_OPEN_URI,
				 NULL);
	if (rc != SQLITE_OK) {
		log_error("db: cannot open %s: %s", path,
			  d->h ? sqlite3_errmsg(d->h) : sqlite3_errstr(rc));
		sqlite3_close(d->h);
		free(d);
		return DB_ERR;
	}
	sqlite3_extended_result_codes(d->h, 1);
	sqlite3_busy_timeout(d->h, DB_BUSY_TIMEOUT_MS);
	/* journal_mode comes first: it is the one that needs the lock briefly, and the busy
	 * timeout above covers two processes opening a new database together. */
	int err = pragma(d, "PRAGMA journal_mode=WAL");
	if (!err)
		err = pragma(d, "PRAGMA foreign_keys=ON");
	if (!err)
		err = pragma(d, "PRAGMA synchronous=FULL");
	if (err) {
		log_error("db: cannot set up %s", path);
		sqlite3_close(d->h);
		free(d);
		return err;
	}
	*out = d;
	return DB_OK;
}

static void stmt_free(struct db_stmt *s)
{
	sqlite3_finalize(s->st);
	free(s);
}

void db_close(db *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < DB_STMT_CACHE_SIZE; i++)
		if (d->slots[i])
			stmt_free(d->slots[i]);
	for (struct db_stmt *s = d->uncached, *n; s; s = n) {
		n = s->next;
		stmt_free(s);
	}
	int rc = sqlite3_close(d->h);
	if (rc != SQLITE_OK)
		log_error("db: close: %s", sqlite3_errstr(rc));
	free(d);
}

/* FNV-1a over the text: equal texts at different addresses share a slot chain. */
static size_t sql_hash(const char *sql)
{
	uint64_t h = 14695981039346656037ULL;
	for (const unsigned char *p = (const unsigned char *)sql; *p; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

static struct db_stmt *stmt_new(db *d, const char *sql, bool cached)
{
	struct db_stmt *s = calloc(1, sizeof(*s));
	if (!s) {
		log_error("db: out of memory preparing a statement");
		return NULL;
	}
	const char *tail = NULL;
	int rc = sqlite3_prepare_v3(d->h, sql, -1, cached ? SQLITE_PREPARE_PERSISTENT : 0,
				    &s->st, &tail);
	if (rc != SQLITE_OK || !s->st) {
		if (rc == SQLITE_OK)
			log_error("db: prepare: empty statement");
		else
			fail(d, rc, "prepare", sql);
		sqlite3_finalize(s->st);
		free(s);
		return NULL;
	}
	if (tail && *tail)
		for (const char *p = tail; *p; p++)
			if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r' && *p != ';') {
				log_error("db: prepare: more than one statement in: %s", sql);
				stmt_free(s);
				return NULL;
			}
	s->d = d;
	s->sql = sql;
	s->cached = cached;
	return s;
}

db_stmt *db_prepare(db *d, const char *sql)
{
	size_t mask = DB_STMT_CACHE_SIZE - 1;
	size_t i = sql_hash(sql) & mask;
	struct db_stmt *s;
	for (; (s = d->slots[i]) != NULL; i = (i + 1) & mask)
		if (s->sql == sql || strcmp(s->sql, sql) == 0)
			break;
	if (s && !s->in_use) {
		s->in_use = true;
		return s;
	}
	/* The same query already running (a nested loop over it), or a full cache: a
	 * statement of its own, finalised by db_done. */
	bool cache = !s && d->ncached < DB_STMT_CACHE_MAX;
	if (!s && !cache)
		log_warn("db: statement cache full (%d); raise DB_STMT_CACHE_SIZE",
			 DB_STMT_CACHE_MAX);
	struct db_stmt *n = stmt_new(d, sql, cache);
	if (!n)
		return NULL;
	n->in_use = true;
	if (cache) {
		d->slots[i] = n;
		d->ncached++;
	} else {
		n->next = d->uncached;
		d->uncached = n;
	}
	return n;
}

static int bind_rc(db_stmt *s, int rc)
{
	if (rc == SQLITE_OK)
		return DB_OK;
	rc = fail(s->d, rc, "bind", s->sql);
	if (!s->bind_err)
		s->bind_err = rc;
	return rc;
}

int db_bind_int(db_stmt *s, int i, int64_t v)
{
	if (!s)
		return DB_ERR;
	return bind_rc(s, sqlite3_bind_int64(s->st, i, v));
}

int db_bind_text(db_stmt *s, int i, const char *text)
{
	if (!s || !text)
		return db_bind_null(s, i);
	return bind_rc(s, sqlite3_bind_text(s->st, i, text, -1, SQLITE_TRANSIENT));
}

int db_bind_sv(db_stmt *s, int i, sv text)
{
	if (!s || !text.ptr)
		return db_bind_null(s, i);
	return bind_rc(s, sqlite3_bind_text64(s->st, i, text.ptr, text.len, SQLITE_TRANSIENT,
					      SQLITE_UTF8));
}

int db_bind_null(db_stmt *s, int i)
{
	if (!s)
		return DB_ERR;
	return bind_rc(s, sqlite3_bind_null(s->st, i));
}

int db_step(db_stmt *s)
{
	if (s->bind_err)
		return s->bind_err;
	int rc = sqlite3_step(s->st);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	return fail(s->d, rc, "step", s->sql);
}

int64_t db_col_int(db_stmt *s, int i)
{
	return sqlite3_column_int64(s->st, i);
}

const char *db_col_text(db_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s->st, i);
	return t ? (const char *)t : "";
}

sv db_col_sv(db_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s->st, i);
	if (!t)
		return (sv){"", 0};
	return (sv){(const char *)t, (size_t)sqlite3_column_bytes(s->st, i)};
}

bool db_col_null(db_stmt *s, int i)
{
	return sqlite3_column_type(s->st, i) == SQLITE_NULL;
}

char *db_col_dup(db_stmt *s, int i, arena *a)
{
	const unsigned char *t = sqlite3_column_text(s->st, i);
	if (!t)
		return NULL;
	return arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(s->st, i));
}

void db_done(db_stmt *s)
{
	if (!s)
		return;
	sqlite3_reset(s->st);
	sqlite3_clear_bindings(s->st);
	s->bind_err = DB_OK;
	s->in_use = false;
	if (s->cached)
		return;
	for (struct db_stmt **p = &s->d->uncached; *p; p = &(*p)->next)
		if (*p == s) {
			*p = s->next;
			break;
		}
	stmt_free(s);
}

int db_exec(db *d, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(d->h, sql, NULL, NULL, &msg);
	if (rc == SQLITE_OK)
		return DB_OK;
	log_error("db: exec: %s", msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	int code = map_rc(rc);
	return code < 0 ? code : DB_ERR;
}

static int run(db *d, const char *sql)
{
	db_stmt *s = db_prepare(d, sql);
	if (!s)
		return DB_ERR;
	int rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? DB_OK : rc;
}

int db_begin(db *d)
{
	/* A write ends the request's read snapshot first: SQLite cannot turn a read
	 * transaction into a write one without risking a busy error that the busy timeout
	 * does not cover. */
	if (d->reading) {
		int rc = db_read_end(d);
		if (rc != DB_OK)
			return rc;
	}
	return run(d, "BEGIN IMMEDIATE");
}

int db_read_begin(db *d)
{
	int rc;
	if (d->reading || !sqlite3_get_autocommit(d->h))
		return DB_OK;
	rc = run(d, "BEGIN");
	if (rc == DB_OK)
		d->reading = true;
	return rc;
}

int db_read_end(db *d)
{
	if (!d->reading)
		return DB_OK;
	d->reading = false;
	return sqlite3_get_autocommit(d->h) ? DB_OK : run(d, "COMMIT");
}

int db_commit(db *d)
{
	return run(d, "COMMIT");
}

int db_rollback(db *d)
{
	/* SQLite rolls back by itself after some errors (a full disk, an interrupt); a
	 * second rollback would only add a confusing "no transaction" to the log. */
	if (sqlite3_get_autocommit(d->h))
		return DB_OK;
	return run(d, "ROLLBACK");
}

bool db_in_transaction(db *d)
{
	return !sqlite3_get_autocommit(d->h);
}

int64_t db_last_insert_id(db *d)
{
	return sqlite3_last_insert_rowid(d->h);
}

int db_changes(db *d)
{
	return sqlite3_changes(d->h);
}

const char *db_errmsg(db *d)
{
	return sqlite3_errmsg(d->h);
}

int db_table_exists(db *d, const char *name)
{
	db_stmt *s = db_prepare(d, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
	if (!s)
		return DB_ERR;
	int rc = db_bind_text(s, 1, name);
	if (!rc)
		rc = db_step(s);
	db_done(s);
	if (rc == DB_ROW)
		return 1;
	return rc == DB_DONE ? 0 : rc;
}

void db_now_iso(char *buf, long offset_seconds)
{
	time_t t = time(NULL) + offset_seconds;
	struct tm tm;
	if (!gmtime_r(&t, &tm) || strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		memcpy(buf, "1970-01-01T00:00:00Z", 21);
}

/* Pool. */

/* A connection goes back clean whatever the request did: a statement left stepping would
 * hold a read snapshot, and a transaction left open would hold the write lock. */
static void release_state(db *d)
{
	for (size_t i = 0; i < DB_STMT_CACHE_SIZE; i++) {
		struct db_stmt *s = d->slots[i];
		if (s && s->in_use) {
			log_error("db: statement returned to the pool without db_done: %s",
				  s->sql);
			db_done(s);
		}
	}
	while (d->uncached) {
		log_error("db: statement returned to the pool without db_done: %s",
			  d->uncached->sql);
		db_done(d->uncached);
	}
	db_read_end(d);
	if (db_in_transaction(d)) {
		log_error("db: connection returned to the pool inside a transaction; rolled back");
		db_rollback(d);
	}
}

db_pool *db_pool_new(const char *path, int size)
{
	assert(size > 0);
	db_pool *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->all = calloc((size_t)size, sizeof(*p->all));
	p->free = calloc((size_t)size, sizeof(*p->free));
	if (!p->all || !p->free)
		goto fail;
	if (pthread_mutex_init(&p->mu, NULL) != 0)
		goto fail;
	if (pthread_cond_init(&p->cv, NULL) != 0) {
		pthread_mutex_destroy(&p->mu);
		goto fail;
	}
	for (int i = 0; i < size; i++) {
		if (db_open(path, &p->all[i]) != DB_OK) {
			p->size = i;
			p->nfree = i;
			db_pool_free(p);
			return NULL;
		}
		p->free[i] = p->all[i];
	}
	p->size = p->nfree = size;
	return p;
fail:
	log_error("db: out of memory creating the connection pool");
	free(p->all);
	free(p->free);
	free(p);
	return NULL;
}

db *db_pool_get(db_pool *p)
{
	pthread_mutex_lock(&p->mu);
	while (p->nfree == 0)
		pthread_cond_wait(&p->cv, &p->mu);
	db *d = p->free[--p->nfree];
	pthread_mutex_unlock(&p->mu);
	return d;
}

void db_pool_put(db_pool *p, db *d)
{
	if (!d)
		return;
	release_state(d);
	pthread_mutex_lock(&p->mu);
	assert(p->nfree < p->size);
	p->free[p->nfree++] = d;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void db_pool_free(db_pool *p)
{
	if (!p)
		return;
	if (p->nfree != p->size)
		log_error("db: pool freed with %d connection(s) still out", p->size - p->nfree);
	for (int i = 0; i < p->size; i++)
		db_close(p->all[i]);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p->all);
	free(p->free);
	free(p);
}
