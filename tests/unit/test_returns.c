/* test_returns.c: organisations' half-yearly co-production returns: periods, the ladder,
 * one return per organisation per period, and who has not filed. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testdb.h"

#include "core/arena.h"
#include "db/db.h"
#include "domain/board.h"
#include "domain/delivery.h"
#include "domain/returns.h"

#include "board_fixture.h"

static int setup(void **state)
{
	return board_fixture_setup(state, "returns");
}

static void test_periods_and_ladder(void **state)
{
	arena *a = arena_new(1 << 16);
	char p[RETURN_PERIOD_LEN];
	(void)state;
	assert_true(return_period_valid(SV("2022-H2")));
	assert_false(return_period_valid(SV("2022-H3")));
	assert_false(return_period_valid(SV("22-H1")));
	assert_false(return_period_valid(SV("2022-h1")));
	assert_string_equal(return_period_label(a, SV("2022-H2")), "July to December 2022");
	assert_string_equal(return_period_label(a, SV("2023-H1")), "January to June 2023");
	return_period_of((struct date){2022, 7, 1}, p);
	assert_string_equal(p, "2022-H2");
	return_period_of((struct date){2022, 6, 30}, p);
	assert_string_equal(p, "2022-H1");
	return_period_before("2023-H1", p);
	assert_string_equal(p, "2022-H2");
	return_period_before(p, p);
	assert_string_equal(p, "2022-H1");
	assert_int_equal(ladder_rung_parse(SV("co_production")), RUNG_CO_PRODUCTION);
	assert_int_equal(ladder_rung_parse(SV("nonsense")), RUNG_NONE);
	assert_string_equal(ladder_rung_label(RUNG_CO_DESIGN), "Co-design");
	assert_true(strlen(ladder_rung_meaning(RUNG_COERCION)) > 20);
	arena_free(a);
}

static void test_file_once(void **state)
{
	struct fixture *f = *state;
	struct field_errors fe;
	struct return_new in = {SV("2022-H2"), SV("We ran sessions"), SV("co_design"),
				SV("Opening times changed")};
	struct org_return *mine, got;
	struct return_status *rows;
	int64_t id = 0;
	size_t n;

	assert_int_equal(returns_status(f->d, f->a, "2022-H2", &rows, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].return_id, 0);
	assert_int_equal(rows[0].n_board_members, 1);

	assert_int_equal(return_file(f->d, f->a, &f->member, f->org, &in, NULL, &id), DOMAIN_OK);
	assert_int_equal(return_get(f->d, f->a, id, &got), DOMAIN_OK);
	assert_string_equal(got.period, "2022-H2");
	assert_int_equal(got.rung, RUNG_CO_DESIGN);
	assert_string_equal(got.filed_by_name, "Bo Member");
	assert_string_equal(got.organisation_name, "Org A");

	/* A second return for the same half year is refused, and says so on the period. */
	field_errors_init(&fe);
	assert_int_equal(return_file(f->d, f->a, &f->member, f->org, &in, &fe, NULL), DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "period"),
			    "Your organisation has already filed its return for July to December 2022");
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM organisation_returns"), 1);

	assert_int_equal(returns_status(f->d, f->a, "2022-H2", &rows, &n), DOMAIN_OK);
	assert_int_equal(rows[0].return_id, id);
	assert_int_equal(returns_status(f->d, f->a, "2023-H1", &rows, &n), DOMAIN_OK);
	assert_int_equal(rows[0].return_id, 0);
	assert_int_equal(returns_for_organisation(f->d, f->a, f->org, &mine, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE entity = 'organisation_return'"),
			 1);
}

static void test_validation(void **state)
{
	struct fixture *f = *state;
	struct field_errors fe;
	struct return_new in = {SV("2999-H1"), SV(" "), SV("top"), SV("")};
	field_errors_init(&fe);
	assert_int_equal(return_file(f->d, f->a, &f->member, f->org, &in, &fe, NULL), DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "period"));
	assert_non_null(field_error_get(&fe, "what_done"));
	assert_non_null(field_error_get(&fe, "rung"));
	assert_non_null(field_error_get(&fe, "what_changed"));
	/* Someone with no organisation has nothing to file for. */
	in = (struct return_new){SV("2022-H2"), SV("a"), SV("informing"), SV("b")};
	assert_int_equal(return_file(f->d, f->a, &f->lead, 0, &in, NULL, NULL), DOMAIN_EFORBIDDEN);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM organisation_returns"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_periods_and_ladder),
		cmocka_unit_test_setup_teardown(test_file_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_validation, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
