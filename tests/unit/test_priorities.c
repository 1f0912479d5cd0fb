/* test_priorities.c: adding and reading priority areas, with their boards, indicators and
 * audit records. */
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
#include "domain/priorities.h"
#include "testdb.h"

struct fixture {
	char dir[64];
	db *d;
	arena *a;
	struct audit_actor lead;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[128];
	snprintf(f->dir, sizeof(f->dir), "/tmp/coprod-test-priorities-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/coprod.db", f->dir);
	if (db_open(path, &f->d) != DB_OK || db_migrate(f->d, NULL, NULL) != DB_OK)
		return -1;
	f->a = arena_new(1 << 20);
	if (db_exec(f->d, "INSERT INTO accounts (display_name, role, created_at, updated_at) "
			  "VALUES ('Pat Lead', 'programme_lead', 'x', 'x')") != DB_OK)
		return -1;
	f->lead = (struct audit_actor){db_last_insert_id(f->d), 0, NULL};
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

static const char *const housing_indicators[] = {"Households in temporary accommodation",
						 "Homes with damp and mould reported"};

static const struct priority_new housing = {
	.slug = "housing",
	.name = "Good homes",
	.original_framing = "Reduce demand on services from poor housing",
	.reframed_statement = "Everyone has a warm, safe and affordable home",
	.summary = "What local people said about \"home\" & why it matters",
	.partnership = "Salford Locality Board",
	.indicators = housing_indicators,
	.n_indicators = 2,
};

static const struct priority_new money = {
	.slug = "money-worries",
	.name = "Money worries",
	.original_framing = "Financial resilience",
	.reframed_statement = "Nobody goes without food or heat",
	.summary = "",
	.partnership = "Salford Locality Board",
	.indicators = NULL,
	.n_indicators = 0,
};

static const struct priority_new alone = {
	.slug = "not-alone",
	.name = "Not alone",
	.original_framing = "Loneliness and social isolation",
	.reframed_statement = "People have someone to turn to",
	.summary = "Connection",
	.partnership = NULL,
};

static void test_add_and_get(void **state)
{
	struct fixture *f = *state;
	int64_t id = 0;
	assert_int_equal(priorities_add(f->d, &f->lead, &housing, &id), DB_OK);
	assert_true(id > 0);

	struct priority_area p;
	assert_int_equal(priorities_get_by_slug(f->d, f->a, "housing", &p), DB_OK);
	assert_int_equal(p.id, id);
	assert_string_equal(p.slug, "housing");
	assert_string_equal(p.name, "Good homes");
	assert_string_equal(p.original_framing, housing.original_framing);
	assert_string_equal(p.reframed_statement, housing.reframed_statement);
	assert_string_equal(p.summary, housing.summary);
	assert_string_equal(p.partnership, "Salford Locality Board");
	assert_int_equal(p.n_indicators, 2);
	assert_string_equal(p.indicators[0], housing_indicators[0]);
	assert_string_equal(p.indicators[1], housing_indicators[1]);

	assert_int_equal(priorities_get_by_slug(f->d, f->a, "no-such-area", &p), DB_DONE);
}

static void test_list_in_order_sharing_a_board(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(priorities_add(f->d, &f->lead, &money, NULL), DB_OK);
	assert_int_equal(priorities_add(f->d, &f->lead, &alone, NULL), DB_OK);
	assert_int_equal(priorities_add(f->d, &f->lead, &housing, NULL), DB_OK);
	/* Two areas name the same board: it is stored once. */
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM partnerships"), 1);

	struct priority_area *list;
	size_t n;
	assert_int_equal(priorities_list(f->d, f->a, &list, &n), DB_OK);
	assert_int_equal(n, 3);
	assert_string_equal(list[0].slug, "money-worries");
	assert_string_equal(list[1].slug, "not-alone");
	assert_string_equal(list[2].slug, "housing");
	assert_int_equal(list[0].n_indicators, 0);
	assert_string_equal(list[0].summary, "");
	assert_string_equal(list[0].partnership, "Salford Locality Board");
	assert_null(list[1].partnership);
	assert_int_equal(list[2].n_indicators, 2);
	assert_string_equal(list[2].indicators[0], housing_indicators[0]);
	assert_string_equal(list[2].indicators[1], housing_indicators[1]);

	/* The order is the stored sort_order, not the order of ids. */
	assert_int_equal(db_exec(f->d, "UPDATE priority_areas SET sort_order = 0 "
				       "WHERE slug = 'housing'"),
			 DB_OK);
	assert_int_equal(priorities_list(f->d, f->a, &list, &n), DB_OK);
	assert_string_equal(list[0].slug, "housing");
	assert_int_equal(list[0].n_indicators, 2);
	assert_int_equal(list[1].n_indicators, 0);
}

static void test_add_is_audited(void **state)
{
	struct fixture *f = *state;
	int64_t id;
	assert_int_equal(priorities_add(f->d, &f->lead, &housing, &id), DB_OK);
	struct audit_entry *e;
	size_t n;
	assert_int_equal(audit_list(f->d, f->a, 10, 0, &e, &n), DB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(e[0].entity, "priority_area");
	assert_int_equal(e[0].entity_id, id);
	assert_string_equal(e[0].action, "create");
	assert_string_equal(e[0].actor_name, "Pat Lead");
	assert_null(e[0].before);
	assert_non_null(strstr(e[0].after, "\"slug\":\"housing\""));
	assert_non_null(strstr(e[0].after, "\\u0022home\\u0022 \\u0026 why"));
	assert_non_null(strstr(e[0].after, "\"indicators\":[\"Households in temporary"));
	assert_string_equal(e[1].entity, "partnership");
	assert_string_equal(e[1].after, "{\"name\":\"Salford Locality Board\"}");
	/* A second area on the same board records only itself. */
	assert_int_equal(priorities_add(f->d, &f->lead, &money, NULL), DB_OK);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log"), 3);
}

static void test_taken_slug_changes_nothing(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(priorities_add(f->d, &f->lead, &alone, NULL), DB_OK);
	/* Same slug, with a new board and indicators: all of it must roll back. */
	struct priority_new again = housing;
	again.slug = "not-alone";
	again.partnership = "A board nobody has heard of";
	assert_int_equal(priorities_add(f->d, &f->lead, &again, NULL), DB_ECONSTRAINT);
	assert_false(db_in_transaction(f->d));
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM priority_areas"), 1);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM partnerships"), 0);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM priority_indicators"), 0);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log"), 1);
}

static void test_invalid_fields_are_refused(void **state)
{
	struct fixture *f = *state;
	struct priority_new p = housing;
	p.slug = "Has Spaces";
	assert_int_equal(priorities_add(f->d, &f->lead, &p, NULL), DB_ERR);
	p = housing;
	p.reframed_statement = "";
	assert_int_equal(priorities_add(f->d, &f->lead, &p, NULL), DB_ERR);
	p = housing;
	const char *const empty_indicator[] = {""};
	p.indicators = empty_indicator;
	p.n_indicators = 1;
	assert_int_equal(priorities_add(f->d, &f->lead, &p, NULL), DB_ERR);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM priority_areas"), 0);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log"), 0);

	assert_true(priorities_slug_valid("housing"));
	assert_true(priorities_slug_valid("money-worries-2"));
	assert_false(priorities_slug_valid(""));
	assert_false(priorities_slug_valid("-housing"));
	assert_false(priorities_slug_valid("housing-"));
	assert_false(priorities_slug_valid("money--worries"));
	assert_false(priorities_slug_valid("Housing"));
	assert_false(priorities_slug_valid("../etc"));
	char longslug[PRIORITY_SLUG_MAX + 2];
	memset(longslug, 'a', sizeof(longslug) - 1);
	longslug[sizeof(longslug) - 1] = '\0';
	assert_false(priorities_slug_valid(longslug));
	longslug[PRIORITY_SLUG_MAX] = '\0';
	assert_true(priorities_slug_valid(longslug));
}

static void test_empty_list(void **state)
{
	struct fixture *f = *state;
	struct priority_area *list = (void *)1;
	size_t n = 99;
	assert_int_equal(priorities_list(f->d, f->a, &list, &n), DB_OK);
	assert_int_equal(n, 0);
}

int main(void)
{
	log_set_level(LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_and_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_in_order_sharing_a_board, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_is_audited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_taken_slug_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_fields_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_list, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
