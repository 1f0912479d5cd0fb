/* test_audit.c: the audit log records who changed what, and lists it newest first. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/audit.h"
#include "testdb.h"

struct fixture {
	char dir[64];
	db *d;
	arena *a;
	int64_t ann, fay;
};

static int64_t add_account(db *d, const char *name, const char *role)
{
	db_stmt *s = db_prepare(d, "INSERT INTO accounts (display_name, role, created_at, "
				   "updated_at) VALUES (?, ?, '2024-01-01T00:00:00Z', "
				   "'2024-01-01T00:00:00Z')");
	assert_non_null(s);
	db_bind_text(s, 1, name);
	db_bind_text(s, 2, role);
	assert_int_equal(db_step(s), DB_DONE);
	db_done(s);
	return db_last_insert_id(d);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[128];
	snprintf(f->dir, sizeof(f->dir), "/tmp/coprod-test-audit-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/coprod.db", f->dir);
	if (db_open(path, &f->d) != DB_OK || db_migrate(f->d, NULL, NULL) != DB_OK)
		return -1;
	f->a = arena_new(1 << 20);
	f->ann = add_account(f->d, "Ann Local", "local_person");
	f->fay = add_account(f->d, "Fay Facilitator", "facilitator");
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

static void test_record_and_list(void **state)
{
	struct fixture *f = *state;
	struct audit_actor fay_for_ann = {f->fay, f->ann, "192.0.2.7"};
	struct audit_actor system = {0, 0, NULL};
	assert_int_equal(audit_record(f->d, &system, "priority_area", 1, "create", NULL,
				      "{\"name\":\"Housing\"}"),
			 DB_OK);
	assert_int_equal(audit_record(f->d, &fay_for_ann, "idea", 42, "update",
				      "{\"title\":\"old\"}", "{\"title\":\"new\"}"),
			 DB_OK);

	struct audit_entry *e;
	size_t n;
	assert_int_equal(audit_list(f->d, f->a, 10, 0, &e, &n), DB_OK);
	assert_int_equal(n, 2);
	/* Newest first: the facilitator's change on Ann's behalf. */
	assert_int_equal(e[0].account_id, f->fay);
	assert_int_equal(e[0].on_behalf_of, f->ann);
	assert_string_equal(e[0].actor_name, "Fay Facilitator");
	assert_string_equal(e[0].on_behalf_name, "Ann Local");
	assert_string_equal(e[0].entity, "idea");
	assert_int_equal(e[0].entity_id, 42);
	assert_string_equal(e[0].action, "update");
	assert_string_equal(e[0].before, "{\"title\":\"old\"}");
	assert_string_equal(e[0].after, "{\"title\":\"new\"}");
	assert_int_equal(strlen(e[0].at), 20);
	assert_true(e[0].id > e[1].id);
	/* The system's change has no actor and no "before". */
	assert_int_equal(e[1].account_id, 0);
	assert_int_equal(e[1].on_behalf_of, 0);
	assert_null(e[1].actor_name);
	assert_null(e[1].on_behalf_name);
	assert_null(e[1].before);
	assert_string_equal(e[1].after, "{\"name\":\"Housing\"}");
	assert_string_equal(e[1].entity, "priority_area");

	/* The address is kept with the record. */
	db_stmt *s = db_prepare(f->d, "SELECT address FROM audit_log WHERE id = ?");
	db_bind_int(s, 1, e[0].id);
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "192.0.2.7");
	db_done(s);
}

static void test_null_actor_is_the_system(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(audit_record(f->d, NULL, "account", f->ann, "disable", NULL, NULL),
			 DB_OK);
	struct audit_entry *e;
	size_t n;
	assert_int_equal(audit_list(f->d, f->a, 10, 0, &e, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(e[0].account_id, 0);
	assert_null(e[0].after);
}

static void test_list_pages(void **state)
{
	struct fixture *f = *state;
	struct audit_actor ann = {f->ann, 0, NULL};
	for (int i = 1; i <= 25; i++)
		assert_int_equal(audit_record(f->d, &ann, "idea", i, "create", NULL, NULL), DB_OK);
	struct audit_entry *e;
	size_t n;
	assert_int_equal(audit_list(f->d, f->a, 10, 0, &e, &n), DB_OK);
	assert_int_equal(n, 10);
	assert_int_equal(e[0].entity_id, 25);
	assert_int_equal(e[9].entity_id, 16);
	assert_int_equal(audit_list(f->d, f->a, 10, 20, &e, &n), DB_OK);
	assert_int_equal(n, 5);
	assert_int_equal(e[0].entity_id, 5);
	assert_int_equal(e[4].entity_id, 1);
	assert_null(e[0].on_behalf_name);
	assert_string_equal(e[0].actor_name, "Ann Local");
	assert_int_equal(audit_list(f->d, f->a, 10, 30, &e, &n), DB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(audit_list(f->d, f->a, 0, 0, &e, &n), DB_OK);
	assert_int_equal(n, 0);
}

static void test_rolls_back_with_the_change(void **state)
{
	struct fixture *f = *state;
	struct audit_actor ann = {f->ann, 0, NULL};
	assert_int_equal(db_begin(f->d), DB_OK);
	assert_int_equal(audit_record(f->d, &ann, "idea", 1, "create", NULL, NULL), DB_OK);
	assert_int_equal(db_rollback(f->d), DB_OK);
	struct audit_entry *e;
	size_t n;
	assert_int_equal(audit_list(f->d, f->a, 10, 0, &e, &n), DB_OK);
	assert_int_equal(n, 0);
}

static void test_unknown_actor_is_refused(void **state)
{
	struct fixture *f = *state;
	/* A record must name a real account: a made-up id is a bug, not a log entry. */
	struct audit_actor ghost = {f->fay + 100, 0, NULL};
	assert_int_equal(audit_record(f->d, &ghost, "idea", 1, "create", NULL, NULL),
			 DB_ECONSTRAINT);
	struct audit_entry *e;
	size_t n;
	assert_int_equal(audit_list(f->d, f->a, 10, 0, &e, &n), DB_OK);
	assert_int_equal(n, 0);
}

int main(void)
{
	log_set_level(LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_record_and_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_null_actor_is_the_system, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rolls_back_with_the_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_actor_is_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
