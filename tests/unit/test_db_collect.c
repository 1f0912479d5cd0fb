/* test_db_collect.c: reading rows into arena arrays (db_collect, db_one), binds that fail
 * at the step, and a domain record read by its id (record_get). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/record.h"
#include "domain/validate.h"
#include "testdb.h"

/* Enough rows to make the array grow several times past its first capacity. */
#define ROWS 100

struct fixture {
	char dir[64];
	char path[128];
	db *d;
	arena *a;
};

struct thing {
	int64_t id;
	char *name;
	int64_t size;
};

static const char list_sql[] = "SELECT id, name, size FROM things WHERE size >= ? ORDER BY id";
static const char one_sql[] = "SELECT id, name, size FROM things WHERE id = ?";

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/coprod-test-collect-XXXXXX");
	if (!f || !mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/coprod.db", f->dir);
	if (db_open(f->path, &f->d) != DB_OK)
		return -1;
	if (db_exec(f->d, "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT, "
			  "size INTEGER NOT NULL)") != DB_OK)
		return -1;
	db_stmt *st = db_prepare(f->d, "INSERT INTO things (name, size) VALUES (?, ?)");
	for (int i = 1; i <= ROWS; i++) {
		char name[32];
		snprintf(name, sizeof(name), "thing %d", i);
		db_bind_text(st, 1, i == 7 ? NULL : name);
		db_bind_int(st, 2, i);
		if (db_step(st) != DB_DONE)
			return -1;
		db_done(st);
		st = db_prepare(f->d, "INSERT INTO things (name, size) VALUES (?, ?)");
	}
	db_done(st);
	f->a = arena_new(1 << 20);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	arena_free(f->a);
	db_close(f->d);
	rm_dir(f->dir);
	free(f);
	return 0;
}

/* Counts FILL's calls, and makes it answer STOP_CODE on the row whose size is STOP_AT. */
struct fill_ctx {
	int calls;
	int64_t stop_at;
	int stop_code;
};

static int thing_fill(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct thing *t = item;
	struct fill_ctx *c = ctx;
	/* Each element arrives cleared, whatever the arena held before. */
	assert_int_equal(t->id, 0);
	assert_null(t->name);
	if (c) {
		c->calls++;
		if (db_col_int(st, 2) == c->stop_at)
			return c->stop_code;
	}
	t->id = db_col_int(st, 0);
	t->name = db_col_dup(st, 1, a);
	t->size = db_col_int(st, 2);
	return DB_OK;
}

static int collect(struct fixture *f, int64_t min_size, struct fill_ctx *c, struct thing **out,
		   size_t *n)
{
	db_stmt *st = db_prepare(f->d, list_sql);
	assert_non_null(st);
	db_bind_int(st, 1, min_size);
	return db_collect(st, f->a, sizeof(**out), thing_fill, c, out, n);
}

/* The statement went back to the cache: the same SQL is the same statement, ready to
 * run again from the start. */
static void assert_statement_returned(struct fixture *f)
{
	db_stmt *st = db_prepare(f->d, list_sql);
	db_stmt *again = db_prepare(f->d, list_sql);
	assert_ptr_not_equal(st, again); /* st was free, so it is in use now */
	db_done(again);
	db_bind_int(st, 1, 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 1);
	db_done(st);
	assert_ptr_equal(db_prepare(f->d, list_sql), st);
	db_done(st);
}

static void test_collect_every_row_in_order(void **state)
{
	struct fixture *f = *state;
	struct thing *things = (struct thing *)1;
	struct fill_ctx c = {0, -1, DB_OK};
	size_t n = 99;

	assert_int_equal(collect(f, 0, &c, &things, &n), DB_OK);
	assert_int_equal(n, ROWS);
	assert_int_equal(c.calls, ROWS);
	for (size_t i = 0; i < n; i++) {
		char name[32];
		snprintf(name, sizeof(name), "thing %zu", i + 1);
		assert_int_equal(things[i].id, (int64_t)i + 1);
		assert_int_equal(things[i].size, (int64_t)i + 1);
		if (i + 1 == 7)
			assert_null(things[i].name); /* SQL NULL stays NULL */
		else
			assert_string_equal(things[i].name, name);
	}
	/* A bound parameter filters, and the statement is reused with new bindings. */
	assert_int_equal(collect(f, ROWS - 2, NULL, &things, &n), DB_OK);
	assert_int_equal(n, 3);
	assert_int_equal(things[0].id, ROWS - 2);
	assert_int_equal(things[2].id, ROWS);
	assert_statement_returned(f);
}

static void test_collect_no_rows(void **state)
{
	struct fixture *f = *state;
	struct thing *things = (struct thing *)1;
	size_t n = 99;

	assert_int_equal(collect(f, ROWS + 1, NULL, &things, &n), DB_OK);
	assert_null(things);
	assert_int_equal(n, 0);
	assert_statement_returned(f);
}

static void test_collect_stops_on_fill_error(void **state)
{
	struct fixture *f = *state;
	struct thing *things = (struct thing *)1;
	struct fill_ctx c = {0, 40, DB_ECONSTRAINT};
	size_t n = 99;

	assert_int_equal(collect(f, 0, &c, &things, &n), DB_ECONSTRAINT);
	assert_int_equal(c.calls, 40); /* no row after the failing one is read */
	assert_null(things);
	assert_int_equal(n, 0);
	assert_statement_returned(f);

	/* A fill that answers with a non-error code still stops, as an error. */
	c = (struct fill_ctx){0, 3, DB_ROW};
	assert_int_equal(collect(f, 0, &c, &things, &n), DB_ERR);
	assert_int_equal(c.calls, 3);
	assert_int_equal(n, 0);
	assert_statement_returned(f);
}

/* Keeps the rows whose size is odd, scribbling on the others before it skips them. */
static int odd_fill(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct thing *t = item;
	assert_int_equal(t->id, 0);
	assert_int_equal(t->size, 0);
	t->id = -1;
	t->size = -1;
	if (db_col_int(st, 2) % 2 == 0)
		return DB_SKIP;
	return thing_fill(st, a, memset(t, 0, sizeof(*t)), NULL);
}

static void test_collect_skips_rows(void **state)
{
	struct fixture *f = *state;
	struct thing *things = NULL, t = {0};
	size_t n = 0;
	db_stmt *st = db_prepare(f->d, list_sql);

	db_bind_int(st, 1, 0);
	assert_int_equal(db_collect(st, f->a, sizeof(*things), odd_fill, NULL, &things, &n), DB_OK);
	assert_int_equal(n, ROWS / 2);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(things[i].size, (int64_t)(2 * i + 1));
	/* A single record its fill skips is not found. */
	st = db_prepare(f->d, one_sql);
	db_bind_int(st, 1, 4);
	assert_int_equal(db_one(st, f->a, odd_fill, NULL, &t), DB_DONE);
	st = db_prepare(f->d, one_sql);
	db_bind_int(st, 1, 5);
	memset(&t, 0, sizeof(t));
	assert_int_equal(db_one(st, f->a, odd_fill, NULL, &t), DB_OK);
	assert_int_equal(t.id, 5);
	assert_statement_returned(f);
}

static void test_collect_arena_full(void **state)
{
	struct fixture *f = *state;
	struct thing *things = (struct thing *)1;
	size_t n = 99;
	arena *small = arena_new(1024);
	db_stmt *st = db_prepare(f->d, list_sql);

	db_bind_int(st, 1, 0);
	assert_int_equal(db_collect(st, small, sizeof(*things), thing_fill, NULL, &things, &n),
			 DB_ERR);
	assert_null(things);
	assert_int_equal(n, 0);
	arena_free(small);
	assert_statement_returned(f);
}

static void test_collect_failed_prepare_and_bind(void **state)
{
	struct fixture *f = *state;
	struct thing *things = (struct thing *)1;
	size_t n = 99;

	/* A failed prepare: binding to it and collecting from it are errors, not crashes. */
	assert_int_equal(db_bind_int(NULL, 1, 1), DB_ERR);
	assert_int_equal(db_bind_text(NULL, 1, "x"), DB_ERR);
	assert_int_equal(db_bind_sv(NULL, 1, (sv){"x", 1}), DB_ERR);
	assert_int_equal(db_bind_null(NULL, 1), DB_ERR);
	assert_int_equal(db_collect(NULL, f->a, sizeof(*things), thing_fill, NULL, &things, &n),
			 DB_ERR);
	assert_null(things);
	assert_int_equal(n, 0);

	/* A bind that fails is reported by the step, so the query does not run with the
	 * parameter left unbound; db_done forgets it. */
	db_stmt *st = db_prepare(f->d, list_sql);
	assert_int_not_equal(db_bind_int(st, 5, 1), DB_OK);
	assert_int_equal(db_bind_int(st, 1, 0), DB_OK);
	assert_int_equal(db_collect(st, f->a, sizeof(*things), thing_fill, NULL, &things, &n),
			 DB_ERR);
	assert_int_equal(n, 0);
	assert_int_equal(collect(f, 0, NULL, &things, &n), DB_OK);
	assert_int_equal(n, ROWS);
}

static int one(struct fixture *f, int64_t id, struct fill_ctx *c, struct thing *t)
{
	db_stmt *st = db_prepare(f->d, one_sql);
	assert_non_null(st);
	db_bind_int(st, 1, id);
	return db_one(st, f->a, thing_fill, c, t);
}

static void test_one(void **state)
{
	struct fixture *f = *state;
	struct thing t = {0};
	struct fill_ctx c = {0, 12, DB_ERR};
	db_stmt *cached = db_prepare(f->d, one_sql);
	db_done(cached);

	assert_int_equal(one(f, 5, NULL, &t), DB_OK);
	assert_int_equal(t.id, 5);
	assert_string_equal(t.name, "thing 5");
	memset(&t, 0, sizeof(t));
	assert_int_equal(one(f, ROWS + 1, NULL, &t), DB_DONE);
	assert_int_equal(t.id, 0);
	assert_int_equal(one(f, 12, &c, &t), DB_ERR);
	assert_int_equal(c.calls, 1);
	c = (struct fill_ctx){0, 12, DB_DONE};
	assert_int_equal(one(f, 12, &c, &t), DB_ERR); /* never "not found" from FILL */
	assert_int_equal(db_one(NULL, f->a, thing_fill, NULL, &t), DB_ERR);
	/* Its statement went back to the cache each time, free for the next query. */
	db_stmt *st = db_prepare(f->d, one_sql);
	assert_ptr_equal(st, cached);
	db_done(st);
	assert_int_equal(one(f, 6, NULL, &t), DB_OK);
	assert_int_equal(t.size, 6);
}

static void test_record_get(void **state)
{
	struct fixture *f = *state;
	struct thing t = {0};
	struct fill_ctx c = {0, 9, DB_EBUSY};

	assert_int_equal(record_get(f->d, f->a, one_sql, 8, thing_fill, NULL, &t), DOMAIN_OK);
	assert_int_equal(t.id, 8);
	assert_string_equal(t.name, "thing 8");
	memset(&t, 0, sizeof(t));
	assert_int_equal(record_get(f->d, f->a, one_sql, ROWS + 1, thing_fill, NULL, &t),
			 DOMAIN_ENOTFOUND);
	assert_int_equal(record_get(f->d, f->a, one_sql, 9, thing_fill, &c, &t), DB_EBUSY);
	assert_int_equal(record_get(f->d, f->a, "SELEKT", 9, thing_fill, NULL, &t), DB_ERR);
}

int main(void)
{
	log_set_level(LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_collect_every_row_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_collect_no_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_collect_stops_on_fill_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_collect_skips_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_collect_arena_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_collect_failed_prepare_and_bind, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_one, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record_get, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
