/* test_demo.c: the demo data gives one clearly invented account per role that can sign
 * in, an assisted person, and Salford's four priority areas, all audited. */
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
#include "domain/accounts.h"
#include "domain/demo.h"
#include "domain/organisations.h"
#include "domain/priorities.h"
#include "domain/signin.h"
#include "domain/validate.h"
#include "testdb.h"

#define T0 1760000000

struct fixture {
	db *d;
	arena *a;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (!f || db_open(":memory:", &f->d) != DB_OK || db_migrate(f->d, NULL, NULL) != DB_OK)
		return -1;
	f->a = arena_new(8 << 20);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	arena_free(f->a);
	db_close(f->d);
	free(f);
	return 0;
}

static void four_priority_areas(void **state)
{
	struct fixture *f = *state;
	static const char *const slugs[] = {"child-poverty", "climate-change",
					    "loneliness-and-social-isolation",
					    "suicide-prevention"};
	static const char *const boards[] = {"Poverty Truth Commission and the 0-25 Board",
					     "Climate Action Board", "Age-Friendly Salford",
					     "Mental Health Partnership"};
	struct priority_area *areas;
	size_t n;

	assert_int_equal(demo_load(f->d, f->a), DOMAIN_OK);
	assert_int_equal(priorities_list(f->d, f->a, &areas, &n), DB_OK);
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(areas[i].slug, slugs[i]);
		assert_string_equal(areas[i].partnership, boards[i]);
		assert_true(strlen(areas[i].original_framing) > 100);
		assert_true(strlen(areas[i].reframed_statement) > 40);
		assert_true(strlen(areas[i].summary) > 200);
		assert_true(areas[i].n_indicators >= 1);
		assert_string_not_equal(areas[i].original_framing, areas[i].reframed_statement);
	}
	assert_string_equal(areas[0].name, "Child poverty");
	assert_string_equal(areas[3].indicators[0],
			    "Mortality rate from suicide and injury of undetermined intent");
	assert_int_equal(areas[2].n_indicators, 6);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE entity ="
				     " 'priority_area' AND action = 'create'"),
			 4);
}

static void one_account_per_role(void **state)
{
	struct fixture *f = *state;
	struct account acc;
	int retry;

	assert_int_equal(demo_load(f->d, f->a), DOMAIN_OK);
	assert_int_equal(demo_signin_count, ROLE_COUNT);
	for (size_t i = 0; i < ROLE_COUNT; i++) {
		char sql[160];
		snprintf(sql, sizeof(sql),
			 "SELECT COUNT(*) FROM accounts WHERE role = '%s' AND email IS NOT NULL",
			 role_slug(roles[i]));
		assert_true(count(f->d, sql) >= 1);
	}
	/* Every printed sign-in works with the shared password and has the right role. */
	for (size_t i = 0; i < demo_signin_count; i++) {
		assert_int_equal(signin_attempt(f->d, f->a, sv_from(demo_signins[i].email),
						SV(DEMO_PASSWORD), NULL, T0, &acc, &retry),
				 SIGNIN_OK);
		assert_string_equal(role_label(acc.role), demo_signins[i].role_label);
		assert_string_equal(acc.display_name, demo_signins[i].display_name);
		assert_true(acc.is_demo);
		assert_non_null(strstr(acc.email, "@example.org"));
	}
	/* Clearly demo: every account and organisation says so. */
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM accounts WHERE is_demo = 1"
				     " AND display_name LIKE 'Demo %'"),
			 count(f->d, "SELECT COUNT(*) FROM accounts"));
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM organisations"), 3);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM organisations WHERE name LIKE 'Demo %'"),
			 3);
}

static void assisted_person_registered_by_facilitator(void **state)
{
	struct fixture *f = *state;
	struct account *list, fac;
	size_t n;

	assert_int_equal(demo_load(f->d, f->a), DOMAIN_OK);
	assert_int_equal(account_get_by_email(f->d, f->a, SV("facilitator@example.org"), &fac),
			 DOMAIN_OK);
	assert_int_equal(account_list_assisted(f->d, f->a, &list, &n), DOMAIN_OK);
	assert_true(n >= 1); /* the journey's groups add more people who take part in person */
	for (size_t i = 0; i < n; i++) {
		assert_null(list[i].email);
		assert_false(list[i].has_password);
		assert_true(list[i].is_demo);
		assert_int_equal(list[i].consent_recorded_by, fac.id);
		assert_non_null(list[i].consent_wording);
		assert_non_null(list[i].contact_note);
	}
}

static void every_change_audited(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(demo_load(f->d, f->a), DOMAIN_OK);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM accounts WHERE id NOT IN"
				     " (SELECT entity_id FROM audit_log WHERE entity = 'account')"),
			 0);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM organisations WHERE id NOT IN"
				     " (SELECT entity_id FROM audit_log WHERE entity ="
				     " 'organisation')"),
			 0);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE after_json LIKE"
				     " '%argon2%' OR after_json LIKE '%" DEMO_PASSWORD "%'"),
			 0);
}

static void only_into_an_empty_database(void **state)
{
	struct fixture *f = *state;

	int64_t accounts;

	assert_int_equal(demo_load(f->d, f->a), DOMAIN_OK);
	accounts = count(f->d, "SELECT COUNT(*) FROM accounts");
	assert_true(accounts >= 6);
	assert_int_equal(demo_load(f->d, f->a), DOMAIN_ECONFLICT);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM accounts"), accounts);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM priority_areas"), 4);
}

/* A load that fails part-way (here: an area's slug is already taken) keeps nothing. */
static void failed_load_keeps_nothing(void **state)
{
	struct fixture *f = *state;
	static const char *const none[] = {NULL};
	const struct priority_new one = {.slug = "climate-change",
					 .name = "Climate change",
					 .original_framing = "x",
					 .reframed_statement = "y",
					 .indicators = none,
					 .n_indicators = 0};

	assert_int_equal(priorities_add(f->d, NULL, &one, NULL), DB_OK);
	assert_int_not_equal(demo_load(f->d, f->a), DOMAIN_OK);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM priority_areas"), 1);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM accounts"), 0);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM organisations"), 0);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM partnerships"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(four_priority_areas, setup, teardown),
		cmocka_unit_test_setup_teardown(one_account_per_role, setup, teardown),
		cmocka_unit_test_setup_teardown(assisted_person_registered_by_facilitator, setup,
						teardown),
		cmocka_unit_test_setup_teardown(every_change_audited, setup, teardown),
		cmocka_unit_test_setup_teardown(only_into_an_empty_database, setup, teardown),
		cmocka_unit_test_setup_teardown(failed_load_keeps_nothing, setup, teardown),
	};
	setenv("COPROD_TEST_FAST_HASH", "1", 1);
	log_set_level(LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
