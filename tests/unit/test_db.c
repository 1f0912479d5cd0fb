/* test_db.c: the SQLite storage floor: opening, migrations, statements, transactions,
 * constraints, the pool and backups. */
#include <dirent.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/embedded.h"
#include "core/log.h"
#include "db/db.h"
#include "testdb.h"

struct fixture {
	char dir[64];
	char path[128];
	db *d;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/coprod-test-db-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/coprod.db", f->dir);
	if (db_open(f->path, &f->d) != DB_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->d);
	rm_dir(f->dir);
	free(f);
	return 0;
}

static int64_t scalar(db *d, const char *sql)
{
	db_stmt *s = db_prepare(d, sql);
	assert_non_null(s);
	assert_int_equal(db_step(s), DB_ROW);
	int64_t v = db_col_int(s, 0);
	db_done(s);
	return v;
}

static const char *pragma_text(db *d, const char *sql, char *buf, size_t n)
{
	db_stmt *s = db_prepare(d, sql);
	assert_non_null(s);
	assert_int_equal(db_step(s), DB_ROW);
	snprintf(buf, n, "%s", db_col_text(s, 0));
	db_done(s);
	return buf;
}

static void test_open_sets_pragmas(void **state)
{
	struct fixture *f = *state;
	char buf[32];
	assert_string_equal(pragma_text(f->d, "PRAGMA journal_mode", buf, sizeof(buf)), "wal");
	assert_int_equal(scalar(f->d, "PRAGMA foreign_keys"), 1);
	assert_int_equal(scalar(f->d, "PRAGMA synchronous"), 2); /* FULL */
	assert_int_equal(scalar(f->d, "PRAGMA busy_timeout"), 5000);
	struct stat st;
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0077, 0); /* personal data: owner only */
}

static void test_migrate_from_empty(void **state)
{
	struct fixture *f = *state;
	int from = -9, to = -9;
	assert_int_equal(db_schema_version(f->d), 0);
	assert_true(db_code_version() >= 1);
	assert_int_equal(db_migrate(f->d, &from, &to), DB_OK);
	assert_int_equal(from, 0);
	assert_int_equal(to, db_code_version());
	assert_int_equal(db_schema_version(f->d), db_code_version());
	assert_int_equal(db_table_exists(f->d, "accounts"), 1);
	assert_int_equal(db_table_exists(f->d, "audit_log"), 1);
	assert_int_equal(scalar(f->d, "SELECT COUNT(*) FROM schema_migrations WHERE version = 1 "
				      "AND name = '0001_foundation.sql'"),
			 1);
	/* A second run has nothing to do. */
	assert_int_equal(db_migrate(f->d, &from, &to), DB_OK);
	assert_int_equal(from, db_code_version());
	assert_int_equal(to, db_code_version());
}

static const struct embedded_file fake_v1[] = {
	{"0001_first.sql", "CREATE TABLE one (id INTEGER PRIMARY KEY, v TEXT);", 0},
	{NULL, NULL, 0},
};

static const struct embedded_file fake_v3[] = {
	{"0001_first.sql", "CREATE TABLE one (id INTEGER PRIMARY KEY, v TEXT);", 0},
	{"0002_second.sql", "CREATE TABLE two (id INTEGER PRIMARY KEY);\n"
			    "INSERT INTO one (v) VALUES ('from two');", 0},
	{"0003_third.sql", "CREATE TABLE three (id INTEGER PRIMARY KEY);", 0},
	{NULL, NULL, 0},
};

static const struct embedded_file fake_broken[] = {
	{"0001_first.sql", "CREATE TABLE one (id INTEGER PRIMARY KEY, v TEXT);", 0},
	{"0002_second.sql", "CREATE TABLE two (id INTEGER PRIMARY KEY);", 0},
	{"0003_broken.sql", "CREATE TABLE three (id INTEGER PRIMARY KEY);\n"
			    "INSERT INTO no_such_table VALUES (1);", 0},
	{NULL, NULL, 0},
};

static void test_migrate_refuses_newer_database(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_migrate_table(f->d, fake_v1, NULL, NULL), DB_OK);
	/* A later binary recorded version 7. */
	assert_int_equal(db_exec(f->d, "INSERT INTO schema_migrations VALUES "
				       "(7, '0007_later.sql', '2030-01-01T00:00:00Z')"),
			 DB_OK);
	int from = -9, to = -9;
	assert_int_equal(db_migrate_table(f->d, fake_v3, &from, &to), DB_ETOONEW);
	assert_int_equal(from, 7);
	assert_int_equal(to, 7);
	/* Nothing changed: neither 0002 nor 0003 ran. */
	assert_int_equal(db_table_exists(f->d, "two"), 0);
	assert_int_equal(db_table_exists(f->d, "three"), 0);
	assert_int_equal(scalar(f->d, "SELECT COUNT(*) FROM schema_migrations"), 2);
	assert_int_equal(db_schema_version(f->d), 7);
	assert_false(db_in_transaction(f->d));
}

static void test_failed_migration_applies_nothing(void **state)
{
	struct fixture *f = *state;
	int from = -9, to = -9;
	/* From empty: the good 0001 and 0002 roll back with the broken 0003. */
	assert_int_equal(db_migrate_table(f->d, fake_broken, &from, &to), DB_ERR);
	assert_int_equal(from, 0);
	assert_int_equal(to, 0);
	assert_int_equal(db_schema_version(f->d), 0);
	assert_int_equal(db_table_exists(f->d, "one"), 0);
	assert_int_equal(db_table_exists(f->d, "two"), 0);
	assert_int_equal(db_table_exists(f->d, "three"), 0);
	assert_false(db_in_transaction(f->d));

	/* From version 1: 0002 and 0003 pending, 0003 fails, the database stays at 1. */
	assert_int_equal(db_migrate_table(f->d, fake_v1, NULL, NULL), DB_OK);
	assert_int_equal(db_migrate_table(f->d, fake_broken, &from, &to), DB_ERR);
	assert_int_equal(from, 1);
	assert_int_equal(to, 1);
	assert_int_equal(db_schema_version(f->d), 1);
	assert_int_equal(db_table_exists(f->d, "one"), 1);
	assert_int_equal(db_table_exists(f->d, "two"), 0);

	/* The good migrations then apply, all in one go. */
	assert_int_equal(db_migrate_table(f->d, fake_v3, &from, &to), DB_OK);
	assert_int_equal(from, 1);
	assert_int_equal(to, 3);
	assert_int_equal(scalar(f->d, "SELECT COUNT(*) FROM one WHERE v = 'from two'"), 1);
}

static void test_migration_names_must_rise(void **state)
{
	static const struct embedded_file bad_order[] = {
		{"0002_b.sql", "CREATE TABLE b (id INTEGER);", 0},
		{"0001_a.sql", "CREATE TABLE a (id INTEGER);", 0},
		{NULL, NULL, 0},
	};
	static const struct embedded_file no_number[] = {
		{"first.sql", "CREATE TABLE a (id INTEGER);", 0},
		{NULL, NULL, 0},
	};
	struct fixture *f = *state;
	assert_int_equal(db_migrations_version(fake_v3), 3);
	assert_true(db_migrations_version(bad_order) < 0);
	assert_true(db_migrations_version(no_number) < 0);
	assert_int_equal(db_migrate_table(f->d, bad_order, NULL, NULL), DB_ERR);
	assert_int_equal(db_table_exists(f->d, "b"), 0);
}

static void test_bind_step_columns(void **state)
{
	struct fixture *f = *state;
	arena *a = arena_new(1 << 16);
	assert_int_equal(db_exec(f->d, "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, "
				       "s TEXT, u TEXT)"),
			 DB_OK);
	db_stmt *s = db_prepare(f->d, "INSERT INTO t (n, s, u) VALUES (?, ?, ?)");
	assert_non_null(s);
	char name[] = "Ann O'Neil; DROP TABLE t";
	assert_int_equal(db_bind_int(s, 1, INT64_C(9007199254740993)), DB_OK);
	assert_int_equal(db_bind_text(s, 2, name), DB_OK);
	name[0] = 'X'; /* bound text was copied */
	assert_int_equal(db_bind_sv(s, 3, (sv){"abcdef", 3}), DB_OK);
	assert_int_equal(db_step(s), DB_DONE);
	db_done(s);
	int64_t id = db_last_insert_id(f->d);
	assert_true(id > 0);
	assert_int_equal(db_changes(f->d), 1);

	s = db_prepare(f->d, "INSERT INTO t (n, s, u) VALUES (?, ?, ?)");
	assert_int_equal(db_bind_null(s, 1), DB_OK);
	assert_int_equal(db_bind_text(s, 2, NULL), DB_OK);
	assert_int_equal(db_bind_sv(s, 3, SV_NULL), DB_OK);
	assert_int_equal(db_step(s), DB_DONE);
	db_done(s);
	assert_int_equal(db_last_insert_id(f->d), id + 1);

	s = db_prepare(f->d, "SELECT n, s, u FROM t ORDER BY id");
	assert_int_equal(db_step(s), DB_ROW);
	assert_true(db_col_int(s, 0) == INT64_C(9007199254740993));
	assert_string_equal(db_col_text(s, 1), "Ann O'Neil; DROP TABLE t");
	sv u = db_col_sv(s, 2);
	assert_int_equal(u.len, 3);
	assert_memory_equal(u.ptr, "abc", 3);
	assert_false(db_col_null(s, 1));
	char *dup = db_col_dup(s, 1, a);
	assert_string_equal(dup, "Ann O'Neil; DROP TABLE t");
	assert_int_equal(db_step(s), DB_ROW);
	assert_true(db_col_null(s, 0));
	assert_true(db_col_null(s, 1));
	assert_true(db_col_null(s, 2));
	assert_string_equal(db_col_text(s, 1), "");
	assert_int_equal(db_col_sv(s, 2).len, 0);
	assert_null(db_col_dup(s, 1, a));
	assert_int_equal(db_step(s), DB_DONE);
	db_done(s);
	/* The copy outlives the statement. */
	assert_string_equal(dup, "Ann O'Neil; DROP TABLE t");
	assert_int_equal(scalar(f->d, "SELECT COUNT(*) FROM t"), 2);
	arena_free(a);
}

static void test_prepare_errors(void **state)
{
	struct fixture *f = *state;
	assert_null(db_prepare(f->d, "SELEKT 1"));
	assert_null(db_prepare(f->d, "SELECT * FROM no_such_table"));
	assert_null(db_prepare(f->d, "SELECT 1; SELECT 2"));
	assert_non_null(db_prepare(f->d, "SELECT 1;"));
}

static void test_statement_cache(void **state)
{
	struct fixture *f = *state;
	static const char sql[] = "SELECT ? + 1";
	db_stmt *a = db_prepare(f->d, sql);
	assert_non_null(a);
	db_bind_int(a, 1, 41);
	assert_int_equal(db_step(a), DB_ROW);
	assert_int_equal(db_col_int(a, 0), 42);
	db_done(a);
	/* The same text again, from the same pointer and from a copy, is the same statement,
	 * with its old bindings cleared. */
	db_stmt *b = db_prepare(f->d, sql);
	assert_ptr_equal(a, b);
	assert_int_equal(db_step(b), DB_ROW);
	assert_true(db_col_null(b, 0));
	db_done(b);
	char copy[sizeof(sql)];
	memcpy(copy, sql, sizeof(sql));
	db_stmt *c = db_prepare(f->d, copy);
	assert_ptr_equal(a, c);
	/* While it is in use, the same SQL gets a statement of its own (a nested loop). */
	db_stmt *d = db_prepare(f->d, sql);
	assert_non_null(d);
	assert_ptr_not_equal(c, d);
	db_bind_int(d, 1, 1);
	db_bind_int(c, 1, 10);
	assert_int_equal(db_step(d), DB_ROW);
	assert_int_equal(db_step(c), DB_ROW);
	assert_int_equal(db_col_int(d, 0), 2);
	assert_int_equal(db_col_int(c, 0), 11);
	db_done(d);
	db_done(c);
	assert_ptr_equal(db_prepare(f->d, sql), a);
	db_done(a);
	/* A different text is a different statement. */
	db_stmt *e = db_prepare(f->d, "SELECT ? + 2");
	assert_ptr_not_equal(e, a);
	db_done(e);
}

/* A read snapshot sees one state of the database however others write meanwhile, and a
 * write transaction started inside it ends it first. */
static void test_read_snapshot(void **state)
{
	struct fixture *f = *state;
	db *other;
	assert_int_equal(db_exec(f->d, "CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('a')"),
			 DB_OK);
	assert_int_equal(db_open(f->path, &other), DB_OK);
	assert_int_equal(db_read_begin(f->d), DB_OK);
	assert_int_equal(scalar(f->d, "SELECT COUNT(*) FROM t"), 1);
	assert_int_equal(db_exec(other, "INSERT INTO t VALUES ('b')"), DB_OK);
	assert_int_equal(scalar(f->d, "SELECT COUNT(*) FROM t"), 1); /* still the snapshot */
	assert_int_equal(db_begin(f->d), DB_OK);                     /* ends it, then writes */
	assert_int_equal(scalar(f->d, "SELECT COUNT(*) FROM t"), 2);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES ('c')"), DB_OK);
	assert_int_equal(db_commit(f->d), DB_OK);
	assert_int_equal(db_read_end(f->d), DB_OK); /* nothing left to end */
	assert_false(db_in_transaction(f->d));
	assert_int_equal(scalar(other, "SELECT COUNT(*) FROM t"), 3);
	db_close(other);
}

static void test_transactions(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_exec(f->d, "CREATE TABLE t (v TEXT)"), DB_OK);
	assert_false(db_in_transaction(f->d));
	assert_int_equal(db_begin(f->d), DB_OK);
	assert_true(db_in_transaction(f->d));
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES ('kept')"), DB_OK);
	assert_int_equal(db_commit(f->d), DB_OK);
	assert_false(db_in_transaction(f->d));

	assert_int_equal(db_begin(f->d), DB_OK);
	assert_int_equal(db_exec(f->d, "INSERT INTO t VALUES ('dropped')"), DB_OK);
	assert_int_equal(scalar(f->d, "SELECT COUNT(*) FROM t"), 2);
	assert_int_equal(db_rollback(f->d), DB_OK);
	assert_false(db_in_transaction(f->d));
	assert_int_equal(scalar(f->d, "SELECT COUNT(*) FROM t"), 1);
	assert_int_equal(scalar(f->d, "SELECT COUNT(*) FROM t WHERE v = 'kept'"), 1);
	/* A rollback with nothing open is harmless. */
	assert_int_equal(db_rollback(f->d), DB_OK);

	/* A committed change is seen by another connection. */
	db *other;
	assert_int_equal(db_open(f->path, &other), DB_OK);
	assert_int_equal(scalar(other, "SELECT COUNT(*) FROM t"), 1);
	/* While one connection holds the write lock, another cannot begin. Its busy timeout
	 * is shortened for the test, via the raw pragma. */
	assert_int_equal(db_exec(other, "PRAGMA busy_timeout = 50"), DB_OK);
	assert_int_equal(db_begin(f->d), DB_OK);
	assert_int_equal(db_begin(other), DB_EBUSY);
	assert_int_equal(db_rollback(f->d), DB_OK);
	assert_int_equal(db_begin(other), DB_OK);
	assert_int_equal(db_commit(other), DB_OK);
	db_close(other);
}

static void test_constraints_and_foreign_keys(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_migrate(f->d, NULL, NULL), DB_OK);
	static const char add_org[] =
		"INSERT INTO organisations (name, kind, created_at) VALUES (?, ?, ?)";
	db_stmt *s = db_prepare(f->d, add_org);
	db_bind_text(s, 1, "Salford CVS");
	db_bind_text(s, 2, "vcse");
	db_bind_text(s, 3, "2024-01-01T00:00:00Z");
	assert_int_equal(db_step(s), DB_DONE);
	db_done(s);
	int64_t org = db_last_insert_id(f->d);

	/* Unique. */
	s = db_prepare(f->d, add_org);
	db_bind_text(s, 1, "Salford CVS");
	db_bind_text(s, 2, "vcse");
	db_bind_text(s, 3, "2024-01-01T00:00:00Z");
	assert_int_equal(db_step(s), DB_ECONSTRAINT);
	db_done(s);
	/* Check. */
	s = db_prepare(f->d, add_org);
	db_bind_text(s, 1, "Other");
	db_bind_text(s, 2, "not-a-kind");
	db_bind_text(s, 3, "2024-01-01T00:00:00Z");
	assert_int_equal(db_step(s), DB_ECONSTRAINT);
	db_done(s);
	/* Not null. */
	s = db_prepare(f->d, add_org);
	db_bind_text(s, 1, "Other");
	db_bind_text(s, 2, "vcse");
	assert_int_equal(db_step(s), DB_ECONSTRAINT);
	db_done(s);

	/* Foreign keys are enforced: an account in an organisation that does not exist. */
	static const char add_account[] =
		"INSERT INTO accounts (display_name, role, organisation_id, created_at, "
		"updated_at) VALUES ('Ann', 'local_person', ?, 'x', 'x')";
	s = db_prepare(f->d, add_account);
	db_bind_int(s, 1, org + 100);
	assert_int_equal(db_step(s), DB_ECONSTRAINT);
	db_done(s);
	s = db_prepare(f->d, add_account);
	db_bind_int(s, 1, org);
	assert_int_equal(db_step(s), DB_DONE);
	db_done(s);
	/* ... and deleting a referenced row is refused. */
	s = db_prepare(f->d, "DELETE FROM organisations WHERE id = ?");
	db_bind_int(s, 1, org);
	assert_int_equal(db_step(s), DB_ECONSTRAINT);
	db_done(s);
	assert_int_equal(scalar(f->d, "SELECT COUNT(*) FROM organisations"), 1);
}

static void test_now_iso(void **state)
{
	char a[21], b[21];
	db_now_iso(a, 0);
	db_now_iso(b, 86400);
	assert_int_equal(strlen(a), 20);
	assert_int_equal(a[4], '-');
	assert_int_equal(a[10], 'T');
	assert_int_equal(a[19], 'Z');
	assert_true(strcmp(b, a) > 0); /* text order is time order */
	assert_true(strncmp(a, "20", 2) == 0);
}

/* Pool: two threads share one connection, so the second must wait for the first. */
struct pool_arg {
	db_pool *p;
	int id;
	int rc;
};

static void *pool_worker(void *arg)
{
	struct pool_arg *w = arg;
	for (int i = 0; i < 50; i++) {
		db *d = db_pool_get(w->p);
		if (db_begin(d) != DB_OK) {
			w->rc = -1;
			db_pool_put(w->p, d);
			return NULL;
		}
		/* The read and the write are one step apart: with a shared connection in use by
		 * both threads at once this would lose counts or fail. */
		db_stmt *s = db_prepare(d, "SELECT n FROM counter");
		if (!s || db_step(s) != DB_ROW)
			w->rc = -1;
		int64_t n = s ? db_col_int(s, 0) : 0;
		db_done(s);
		usleep(100);
		s = db_prepare(d, "UPDATE counter SET n = ?");
		db_bind_int(s, 1, n + 1);
		if (db_step(s) != DB_DONE)
			w->rc = -1;
		db_done(s);
		if (db_commit(d) != DB_OK)
			w->rc = -1;
		db_pool_put(w->p, d);
	}
	return NULL;
}

static void test_pool_two_threads(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_exec(f->d, "CREATE TABLE counter (n INTEGER); "
				       "INSERT INTO counter VALUES (0)"),
			 DB_OK);
	db_pool *p = db_pool_new(f->path, 1);
	assert_non_null(p);
	struct pool_arg a = {p, 1, 0}, b = {p, 2, 0};
	pthread_t ta, tb;
	assert_int_equal(pthread_create(&ta, NULL, pool_worker, &a), 0);
	assert_int_equal(pthread_create(&tb, NULL, pool_worker, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	assert_int_equal(a.rc, 0);
	assert_int_equal(b.rc, 0);
	assert_int_equal(scalar(f->d, "SELECT n FROM counter"), 100);

	/* A connection handed back mid-transaction comes out clean. */
	db *d = db_pool_get(p);
	assert_int_equal(db_begin(d), DB_OK);
	assert_int_equal(db_exec(d, "UPDATE counter SET n = -1"), DB_OK);
	db_pool_put(p, d);
	d = db_pool_get(p);
	assert_false(db_in_transaction(d));
	assert_int_equal(scalar(d, "SELECT n FROM counter"), 100);
	db_pool_put(p, d);
	db_pool_free(p);
}

/* Backup while another connection writes. */
struct writer_arg {
	const char *path;
	volatile int stop;
	volatile int written;
	int rc;
};

static void *writer(void *arg)
{
	struct writer_arg *w = arg;
	db *d;
	if (db_open(w->path, &d) != DB_OK) {
		w->rc = -1;
		return NULL;
	}
	while (!w->stop) {
		db_stmt *s = db_prepare(d, "INSERT INTO t (v) VALUES (?)");
		db_bind_text(s, 1, "row written during the backup");
		if (db_step(s) != DB_DONE)
			w->rc = -1;
		db_done(s);
		__atomic_add_fetch(&w->written, 1, __ATOMIC_SEQ_CST);
	}
	db_close(d);
	return NULL;
}

static void test_backup_while_writing(void **state)
{
	struct fixture *f = *state;
	char dest[256], err[256];
	snprintf(dest, sizeof(dest), "%s/backup.db", f->dir);
	assert_int_equal(db_exec(f->d, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"),
			 DB_OK);
	assert_int_equal(db_begin(f->d), DB_OK);
	for (int i = 0; i < 2000; i++) {
		db_stmt *s = db_prepare(f->d, "INSERT INTO t (v) VALUES (?)");
		db_bind_text(s, 1, "row written before the backup, long enough to fill pages");
		assert_int_equal(db_step(s), DB_DONE);
		db_done(s);
	}
	assert_int_equal(db_commit(f->d), DB_OK);

	struct writer_arg w = {f->path, 0, 0, 0};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, writer, &w), 0);
	while (__atomic_load_n(&w.written, __ATOMIC_SEQ_CST) < 20)
		usleep(1000);
	int rc = db_backup(f->path, dest, err, sizeof(err));
	int during = __atomic_load_n(&w.written, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&w.written, __ATOMIC_SEQ_CST) < during + 20)
		usleep(1000);
	w.stop = 1;
	pthread_join(t, NULL);
	assert_int_equal(w.rc, 0);
	assert_int_equal(rc, DB_OK);
	assert_string_equal(err, "");

	struct stat st;
	assert_int_equal(stat(dest, &st), 0);
	assert_int_equal(st.st_mode & 0077, 0);

	/* The copy is the database at one moment: every row up to its last, identical to the
	 * live rows, and none missing in between. */
	db *copy;
	assert_int_equal(db_open(dest, &copy), DB_OK);
	char buf[32];
	assert_string_equal(pragma_text(copy, "PRAGMA integrity_check", buf, sizeof(buf)), "ok");
	int64_t n = scalar(copy, "SELECT COUNT(*) FROM t");
	int64_t max = scalar(copy, "SELECT MAX(id) FROM t");
	assert_true(n >= 2020);
	assert_int_equal(n, max);
	assert_true(scalar(f->d, "SELECT COUNT(*) FROM t") > n); /* the writer went on */
	db_stmt *a = db_prepare(copy, "SELECT id, v FROM t ORDER BY id");
	db_stmt *b = db_prepare(f->d, "SELECT id, v FROM t WHERE id <= ? ORDER BY id");
	db_bind_int(b, 1, max);
	int64_t rows = 0;
	int ra, rb;
	while ((ra = db_step(a)) == DB_ROW) {
		rb = db_step(b);
		assert_int_equal(rb, DB_ROW);
		assert_int_equal(db_col_int(a, 0), db_col_int(b, 0));
		assert_string_equal(db_col_text(a, 1), db_col_text(b, 1));
		rows++;
	}
	assert_int_equal(ra, DB_DONE);
	assert_int_equal(db_step(b), DB_DONE);
	assert_int_equal(rows, n);
	db_done(a);
	db_done(b);
	db_close(copy);
}

static void test_backup_refuses_existing_destination(void **state)
{
	struct fixture *f = *state;
	char dest[256], err[256];
	snprintf(dest, sizeof(dest), "%s/existing.db", f->dir);
	FILE *fp = fopen(dest, "w");
	assert_non_null(fp);
	fputs("yesterday's backup", fp);
	fclose(fp);
	assert_int_equal(db_exec(f->d, "CREATE TABLE t (v TEXT)"), DB_OK);
	assert_int_equal(db_backup(f->path, dest, err, sizeof(err)), DB_ERR);
	assert_non_null(strstr(err, "already exists"));
	/* The file is untouched. */
	char got[64] = "";
	fp = fopen(dest, "r");
	assert_non_null(fp);
	assert_non_null(fgets(got, sizeof(got), fp));
	fclose(fp);
	assert_string_equal(got, "yesterday's backup");
}

static void test_backup_of_missing_source(void **state)
{
	struct fixture *f = *state;
	char src[256], dest[256], err[256];
	snprintf(src, sizeof(src), "%s/missing.db", f->dir);
	snprintf(dest, sizeof(dest), "%s/backup.db", f->dir);
	assert_int_equal(db_backup(src, dest, err, sizeof(err)), DB_ERR);
	assert_true(strlen(err) > 0);
	/* No half-made backup is left, and the missing database was not created. */
	assert_int_equal(access(dest, F_OK), -1);
	assert_int_equal(access(src, F_OK), -1);
}

int main(void)
{
	log_set_level(LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_sets_pragmas, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_snapshot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_from_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_refuses_newer_database, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_migration_applies_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migration_names_must_rise, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind_step_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepare_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_statement_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_constraints_and_foreign_keys, setup, teardown),
		cmocka_unit_test(test_now_iso),
		cmocka_unit_test_setup_teardown(test_pool_two_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backup_while_writing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backup_refuses_existing_destination, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_backup_of_missing_source, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
