/* test_board.c: Board meetings, proposals' papers and the Board's decisions, with the
 * idea's status following each step, and money typed as people type it. */
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
	return board_fixture_setup(state, "board");
}

static void test_money(void **state)
{
	int64_t p = -1;
	char *t;
	arena *a = arena_new(1 << 16);
	(void)state;
	assert_int_equal(money_parse(SV("1,250.00"), BOARD_MONEY_MAX_PENCE, &p), 0);
	assert_int_equal(p, 125000);
	assert_int_equal(money_parse(SV("\xc2\xa3" "18,000"), BOARD_MONEY_MAX_PENCE, &p), 0);
	assert_int_equal(p, 1800000);
	assert_int_equal(money_parse(SV(" 7.5 "), BOARD_MONEY_MAX_PENCE, &p), 0);
	assert_int_equal(p, 750);
	assert_int_equal(money_parse(SV("0.01"), BOARD_MONEY_MAX_PENCE, &p), 0);
	assert_int_equal(p, 1);
	assert_int_equal(money_parse(SV("1,25.00"), BOARD_MONEY_MAX_PENCE, &p), -1);
	assert_int_equal(money_parse(SV("1250,000"), BOARD_MONEY_MAX_PENCE, &p), -1);
	assert_int_equal(money_parse(SV("12.345"), BOARD_MONEY_MAX_PENCE, &p), -1);
	assert_int_equal(money_parse(SV("-5"), BOARD_MONEY_MAX_PENCE, &p), -1);
	assert_int_equal(money_parse(SV("12."), BOARD_MONEY_MAX_PENCE, &p), -1);
	assert_int_equal(money_parse(SV("1e5"), BOARD_MONEY_MAX_PENCE, &p), -1);
	assert_int_equal(money_parse(SV(""), BOARD_MONEY_MAX_PENCE, &p), -1);
	assert_int_equal(money_parse(SV("100000001"), BOARD_MONEY_MAX_PENCE, &p), -1);
	t = money_text(a, 1800000);
	assert_string_equal(t, "\xc2\xa3" "18,000");
	t = money_text(a, 125050);
	assert_string_equal(t, "\xc2\xa3" "1,250.50");
	t = money_text(a, 99);
	assert_string_equal(t, "\xc2\xa3" "0.99");
	arena_free(a);
}

static void test_meeting_validation(void **state)
{
	struct fixture *f = *state;
	struct field_errors fe;
	struct board_meeting_new m = {SV("31"), SV("2"), SV("2022"), SV("  "), SV("")};
	field_errors_init(&fe);
	assert_int_equal(board_meeting_create(f->d, f->a, &f->lead, &m, &fe, NULL), DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "meets_on"));
	assert_non_null(field_error_get(&fe, "title"));
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM board_meetings"), 0);
}

static void test_submit_and_decide(void **state)
{
	struct fixture *f = *state;
	struct board_meeting m;
	struct board_paper p;
	struct field_errors fe;
	int64_t meeting = add_meeting(f), paper;
	struct board_decision_new dec = {BOARD_SUPPORTED, SV("Report back in six months"),
					 SV("18,000"), SV("Adult Commissioning Committee")};

	assert_int_equal(board_meeting_get(f->d, f->a, meeting, &m), DOMAIN_OK);
	assert_string_equal(m.title, "Health and Wellbeing Board");
	assert_int_equal(m.meets_on.y, 2022);
	assert_int_equal(m.meets_on.d, 15);

	paper = submit(f, meeting, f->ideas[0], "18,000.00");
	assert_string_equal(idea_status(f, f->ideas[0]), "presented");
	assert_int_equal(board_paper_get(f->d, f->a, paper, &p), DOMAIN_OK);
	assert_int_equal(p.funding_sought_pence, 1800000);
	assert_int_equal(p.decision, BOARD_PENDING);
	assert_string_equal(p.programme_name, "Young adults");

	/* The same idea cannot go to the Board twice while it is presented. */
	{
		struct board_paper_new again = {meeting, f->ideas[0], SV("S"), SV("A"), SV(""), SV("")};
		field_errors_init(&fe);
		assert_int_equal(board_paper_submit(f->d, f->a, &f->lead, &again, &fe, NULL),
				 DOMAIN_EINVALID);
		assert_non_null(field_error_get(&fe, "idea_id"));
	}

	assert_int_equal(board_paper_decide(f->d, f->a, &f->member, paper, &dec, NULL), DOMAIN_OK);
	assert_string_equal(idea_status(f, f->ideas[0]), "supported");
	assert_int_equal(board_paper_get(f->d, f->a, paper, &p), DOMAIN_OK);
	assert_int_equal(p.decision, BOARD_SUPPORTED);
	assert_int_equal(p.funding_agreed_pence, 1800000);
	assert_string_equal(p.conditions, "Report back in six months");

	/* A decision is recorded once. */
	dec.decision = BOARD_NOT_SUPPORTED;
	dec.funding_agreed = SV("");
	assert_int_equal(board_paper_decide(f->d, f->a, &f->member, paper, &dec, NULL),
			 DOMAIN_ECONFLICT);
	assert_int_equal(board_paper_get(f->d, f->a, paper, &p), DOMAIN_OK);
	assert_int_equal(p.decision, BOARD_SUPPORTED);

	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM idea_status_changes"), 2);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE entity = 'board_paper'"), 2);
}

static void test_paper_validation(void **state)
{
	struct fixture *f = *state;
	struct field_errors fe;
	int64_t meeting = add_meeting(f);
	struct board_paper_new in = {meeting, 0, SV(""), SV(" "), SV("12.345"), SV("")};
	field_errors_init(&fe);
	assert_int_equal(board_paper_submit(f->d, f->a, &f->lead, &in, &fe, NULL), DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "idea_id"));
	assert_non_null(field_error_get(&fe, "summary"));
	assert_non_null(field_error_get(&fe, "ask"));
	assert_non_null(field_error_get(&fe, "funding_sought"));
	/* An amount needs its source. */
	in = (struct board_paper_new){meeting, f->ideas[1], SV("S"), SV("A"), SV("500"), SV("")};
	field_errors_init(&fe);
	assert_int_equal(board_paper_submit(f->d, f->a, &f->lead, &in, &fe, NULL), DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "funding_sought_from"));
	assert_string_equal(idea_status(f, f->ideas[1]), "proposal");
	/* No such meeting. */
	in.meeting_id = 999;
	assert_int_equal(board_paper_submit(f->d, f->a, &f->lead, &in, NULL, NULL), DOMAIN_ENOTFOUND);
}

static void test_deferred_and_refused(void **state)
{
	struct fixture *f = *state;
	struct field_errors fe;
	int64_t meeting = add_meeting(f);
	int64_t p1 = submit(f, meeting, f->ideas[1], ""), p2 = submit(f, meeting, f->ideas[2], "");
	struct board_decision_new dec = {BOARD_PENDING, SV(""), SV(""), SV("")};
	struct board_paper *pending;
	size_t n;

	field_errors_init(&fe);
	assert_int_equal(board_paper_decide(f->d, f->a, &f->member, p1, &dec, &fe), DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "decision"));
	/* Funding cannot be agreed for a proposal that was not supported. */
	dec = (struct board_decision_new){BOARD_NOT_SUPPORTED, SV(""), SV("100"), SV("X")};
	field_errors_init(&fe);
	assert_int_equal(board_paper_decide(f->d, f->a, &f->member, p2, &dec, &fe), DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "funding_agreed"));

	assert_int_equal(board_papers_pending(f->d, f->a, &pending, &n), DOMAIN_OK);
	assert_int_equal(n, 2);

	dec = (struct board_decision_new){BOARD_DEFERRED, SV("Come back with costs"), SV(""), SV("")};
	assert_int_equal(board_paper_decide(f->d, f->a, &f->member, p1, &dec, NULL), DOMAIN_OK);
	assert_string_equal(idea_status(f, f->ideas[1]), "deferred");
	dec = (struct board_decision_new){BOARD_NOT_SUPPORTED, SV(""), SV(""), SV("")};
	assert_int_equal(board_paper_decide(f->d, f->a, &f->member, p2, &dec, NULL), DOMAIN_OK);
	assert_string_equal(idea_status(f, f->ideas[2]), "not_supported");

	/* A deferred proposal can go back to a later meeting. */
	{
		struct board_ready *ready;
		assert_int_equal(board_ready_list(f->d, f->a, &ready, &n), DOMAIN_OK);
		assert_int_equal(n, 2); /* ideas[0] still a proposal, ideas[1] deferred */
		submit(f, add_meeting(f), f->ideas[1], "");
		assert_string_equal(idea_status(f, f->ideas[1]), "presented");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_money),
		cmocka_unit_test_setup_teardown(test_meeting_validation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_submit_and_decide, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paper_validation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deferred_and_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
