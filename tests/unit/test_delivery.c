/* test_delivery.c: co-delivery plans from supported proposals: actions with owners and
 * due dates, milestones, progress and overdue counts, and marking a plan delivered. */
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
#include "domain/demo.h"
#include "domain/demo_board.h"
#include "domain/password.h"
#include "core/log.h"

#include "board_fixture.h"

static int setup(void **state)
{
	return board_fixture_setup(state, "delivery");
}

/* A supported proposal's paper. */
static int64_t supported_paper(struct fixture *f, int64_t idea)
{
	struct board_decision_new dec = {BOARD_SUPPORTED, SV(""), SV(""), SV("")};
	int64_t paper = submit(f, add_meeting(f), idea, "");
	assert_int_equal(board_paper_decide(f->d, f->a, &f->member, paper, &dec, NULL), DOMAIN_OK);
	return paper;
}

static int64_t action(struct fixture *f, int64_t plan, int64_t person, int64_t org,
		      const char *d, const char *m, const char *y)
{
	struct delivery_action_new in = {SV("Do a thing"), person, org, sv_from(d), sv_from(m),
					 sv_from(y)};
	int64_t id = 0;
	assert_int_equal(delivery_action_add(f->d, f->a, &f->lead, plan, &in, NULL, &id), DOMAIN_OK);
	return id;
}

static void test_plan_only_for_supported(void **state)
{
	struct fixture *f = *state;
	struct board_decision_new dec = {BOARD_NOT_SUPPORTED, SV(""), SV(""), SV("")};
	int64_t paper = submit(f, add_meeting(f), f->ideas[0], ""), plan = 0;
	assert_int_equal(delivery_plan_create(f->d, f->a, &f->lead, paper, &plan), DOMAIN_ECONFLICT);
	assert_int_equal(board_paper_decide(f->d, f->a, &f->member, paper, &dec, NULL), DOMAIN_OK);
	assert_int_equal(delivery_plan_create(f->d, f->a, &f->lead, paper, &plan), DOMAIN_ECONFLICT);
	assert_int_equal(delivery_plan_create(f->d, f->a, &f->lead, 999, &plan), DOMAIN_ENOTFOUND);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM delivery_plans"), 0);
}

static void test_plan_progress_and_delivery(void **state)
{
	struct fixture *f = *state;
	int64_t paper = supported_paper(f, f->ideas[0]), plan = 0, a1, a2, ms = 0;
	struct date today = {2023, 6, 1};
	struct delivery_plan p;
	struct delivery_action *acts;
	struct delivery_milestone *mss;
	size_t n;

	assert_int_equal(delivery_plan_create(f->d, f->a, &f->lead, paper, &plan), DOMAIN_OK);
	assert_string_equal(idea_status(f, f->ideas[0]), "in_delivery");
	/* A second plan for the same proposal is refused. */
	assert_int_equal(delivery_plan_create(f->d, f->a, &f->lead, paper, NULL), DOMAIN_ECONFLICT);
	/* Nothing to deliver yet. */
	assert_int_equal(delivery_plan_mark_delivered(f->d, f->a, &f->lead, plan), DOMAIN_ECONFLICT);

	a1 = action(f, plan, 0, f->org, "31", "1", "2023");
	a2 = action(f, plan, f->member.account_id, 0, "31", "12", "2023");
	assert_int_equal(delivery_milestone_add(f->d, f->a, &f->lead, plan, SV("First session"),
						SV("28"), SV("2"), SV("2023"), NULL, &ms),
			 DOMAIN_OK);

	assert_int_equal(delivery_plan_get(f->d, f->a, plan, today, &p), DOMAIN_OK);
	assert_int_equal(p.n_actions, 2);
	assert_int_equal(p.n_done, 0);
	assert_int_equal(p.n_overdue, 1); /* due 31 January, not done by 1 June */
	assert_int_equal(p.n_milestones, 1);
	assert_int_equal(p.n_reached, 0);

	assert_int_equal(delivery_actions(f->d, f->a, plan, today, &acts, &n), DOMAIN_OK);
	assert_int_equal(n, 2);
	assert_true(acts[0].overdue);
	assert_string_equal(acts[0].owner_org_name, "Org A");
	assert_string_equal(acts[1].owner_name, "Bo Member");
	assert_string_equal(acts[1].owner_person_org, "Org A");

	assert_int_equal(delivery_action_update(f->d, f->a, &f->lead, a1, ACTION_DONE, SV("Venue agreed"),
						NULL),
			 DOMAIN_OK);
	assert_int_equal(delivery_milestone_reach(f->d, f->a, &f->lead, ms, (struct date){2023, 2, 23},
						  NULL),
			 DOMAIN_OK);
	assert_int_equal(delivery_milestone_reach(f->d, f->a, &f->lead, ms, today, NULL),
			 DOMAIN_ECONFLICT);
	assert_int_equal(delivery_milestones(f->d, f->a, plan, today, &mss, &n), DOMAIN_OK);
	assert_true(mss[0].reached);
	assert_int_equal(mss[0].reached_on.d, 23);

	assert_int_equal(delivery_plan_get(f->d, f->a, plan, today, &p), DOMAIN_OK);
	assert_int_equal(p.n_done, 1);
	assert_int_equal(p.n_overdue, 0);
	assert_int_equal(p.n_reached, 1);

	/* Not every action is done yet. */
	assert_int_equal(delivery_plan_mark_delivered(f->d, f->a, &f->lead, plan), DOMAIN_ECONFLICT);
	assert_int_equal(delivery_action_update(f->d, f->a, &f->lead, a2, ACTION_DONE, SV(""), NULL),
			 DOMAIN_OK);
	assert_int_equal(delivery_plan_mark_delivered(f->d, f->a, &f->lead, plan), DOMAIN_OK);
	assert_string_equal(idea_status(f, f->ideas[0]), "delivered");
	/* A delivered plan takes no more changes. */
	{
		struct delivery_action_new in = {SV("More"), 0, f->org, SV("1"), SV("1"), SV("2024")};
		assert_int_equal(delivery_action_add(f->d, f->a, &f->lead, plan, &in, NULL, NULL),
				 DOMAIN_ECONFLICT);
	}
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE entity LIKE 'delivery%'"), 8);
}

static void test_action_validation(void **state)
{
	struct fixture *f = *state;
	int64_t plan = 0;
	struct field_errors fe;
	struct delivery_action_new in = {SV(""), f->member.account_id, f->org, SV("30"), SV("2"),
					 SV("2023")};
	assert_int_equal(delivery_plan_create(f->d, f->a, &f->lead, supported_paper(f, f->ideas[1]),
					      &plan),
			 DOMAIN_OK);
	field_errors_init(&fe);
	assert_int_equal(delivery_action_add(f->d, f->a, &f->lead, plan, &in, &fe, NULL),
			 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "description"));
	assert_non_null(field_error_get(&fe, "owner"));
	assert_non_null(field_error_get(&fe, "due_on"));
	in = (struct delivery_action_new){SV("X"), 0, 4242, SV("1"), SV("3"), SV("2023")};
	field_errors_init(&fe);
	assert_int_equal(delivery_action_add(f->d, f->a, &f->lead, plan, &in, &fe, NULL),
			 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "owner"));
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM delivery_actions"), 0);
	assert_int_equal(delivery_action_update(f->d, f->a, &f->lead, 999, ACTION_DONE, SV(""), NULL),
			 DOMAIN_ENOTFOUND);
}

static void test_plans_list(void **state)
{
	struct fixture *f = *state;
	struct delivery_plan *plans;
	size_t n;
	assert_int_equal(delivery_plan_create(f->d, f->a, &f->lead, supported_paper(f, f->ideas[0]),
					      NULL),
			 DOMAIN_OK);
	assert_int_equal(delivery_plan_create(f->d, f->a, &f->lead, supported_paper(f, f->ideas[1]),
					      NULL),
			 DOMAIN_OK);
	assert_int_equal(delivery_plans_list(f->d, f->a, date_today(), &plans, &n), DOMAIN_OK);
	assert_int_equal(n, 2);
	assert_string_equal(plans[0].programme_name, "Young adults");
	assert_false(plans[0].delivered);
}

/* The demo's Board story, as the whole demo loads it. */
static void test_demo(void **state)
{
	char dir[] = "/tmp/coprod-test-demo-board-XXXXXX", path[128];
	struct return_status *rows;
	size_t n;
	db *d;
	arena *a = arena_new(8 << 20);
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/coprod.db", dir);
	assert_int_equal(db_open(path, &d), DB_OK);
	assert_int_equal(db_migrate(d, NULL, NULL), DB_OK);
	/* The whole demo, in journey order: the Board's part takes the young adults'
	 * proposals that the ideas part made. */
	assert_int_equal(demo_load(d, a), DOMAIN_OK);

	assert_int_equal(count(d, "SELECT COUNT(*) FROM board_meetings WHERE meets_on = '2022-11-15'"), 1);
	assert_int_equal(count(d, "SELECT COUNT(*) FROM board_papers"), 3);
	assert_int_equal(count(d, "SELECT funding_agreed_pence FROM board_papers"
				  " WHERE decision = 'supported'"),
			 1800000);
	assert_int_equal(count(d, "SELECT COUNT(*) FROM board_papers WHERE decision = 'deferred'"
				  " AND conditions <> ''"),
			 1);
	assert_int_equal(count(d, "SELECT COUNT(*) FROM board_papers WHERE decision = 'not_supported'"), 1);
	assert_int_equal(count(d, "SELECT COUNT(*) FROM ideas WHERE status = 'in_delivery'"), 1);
	/* Dated when the story happened, not when the demo was made. */
	assert_int_equal(count(d, "SELECT COUNT(*) FROM board_papers"
				  " WHERE decided_at = '2022-11-15T16:00:00Z'"),
			 3);
	assert_int_equal(count(d, "SELECT COUNT(*) FROM idea_status_changes"
				  " WHERE to_status = 'supported' AND changed_at = '2022-11-15T16:00:00Z'"),
			 1);
	assert_int_equal(count(d, "SELECT COUNT(*) FROM organisation_returns"
				  " WHERE filed_at = '2023-01-20T10:00:00Z'"),
			 1);
	assert_int_equal(count(d, "SELECT COUNT(*) FROM delivery_actions WHERE status = 'done'"), 2);
	assert_int_equal(count(d, "SELECT COUNT(*) FROM delivery_actions WHERE status = 'in_progress'"), 1);
	{
		struct delivery_plan *plans;
		assert_int_equal(delivery_plans_list(d, a, date_today(), &plans, &n), DOMAIN_OK);
		assert_int_equal(n, 1);
		assert_int_equal(plans[0].n_overdue, 1);
		assert_int_equal(plans[0].n_milestones, 3);
		assert_int_equal(plans[0].n_reached, 2);
	}
	assert_int_equal(returns_status(d, a, "2022-H2", &rows, &n), DOMAIN_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].organisation_name, "Demo City Council");
	assert_true(rows[0].return_id > 0);
	assert_string_equal(rows[1].organisation_name, "Demo NHS Trust");
	assert_int_equal(rows[1].return_id, 0);

	db_close(d);
	arena_free(a);
	rm_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plan_only_for_supported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_progress_and_delivery, setup, teardown),
		cmocka_unit_test_setup_teardown(test_action_validation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plans_list, setup, teardown),
		cmocka_unit_test(test_demo),
	};
	setenv("COPROD_TEST_FAST_HASH", "1", 1);
	log_set_level(LOG_ERROR);
	if (password_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
