/* test_decisions.c: opening shared decisions, one position per person, closing with the
 * parity rule, reopening with a reason, and who may do each. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testdb.h"

#include "core/arena.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/decisions.h"
#include "domain/ideas.h"

enum { LOCALS = 5, PROS = 3 };

struct fixture {
	char dir[64];
	db *d;
	arena *a;
	int64_t group, other_group, idea;
	struct audit_actor fac, lead, outsider;
	struct audit_actor local[LOCALS], pro[PROS];
};

static int64_t exec_id(db *d, const char *sql)
{
	assert_int_equal(db_exec(d, sql), DB_OK);
	return db_last_insert_id(d);
}

static int64_t account(struct fixture *f, const char *name, const char *role)
{
	char sql[256];
	snprintf(sql, sizeof(sql),
	         "INSERT INTO accounts (display_name, role, created_at, updated_at) VALUES "
	         "('%s', '%s', 'x', 'x')",
	         name, role);
	return exec_id(f->d, sql);
}

static void member(struct fixture *f, int64_t group, int64_t id, const char *role)
{
	char sql[256];
	snprintf(sql, sizeof(sql),
	         "INSERT INTO group_members (group_id, account_id, role_in_group, joined_on) "
	         "VALUES (%lld, %lld, '%s', '2022-06-14')",
	         (long long)group, (long long)id, role);
	exec_id(f->d, sql);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[128], name[32];
	int64_t prog;
	snprintf(f->dir, sizeof(f->dir), "/tmp/coprod-test-decisions-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/coprod.db", f->dir);
	if (db_open(path, &f->d) != DB_OK || db_migrate(f->d, NULL, NULL) != DB_OK)
		return -1;
	f->a = arena_new(8 << 20);
	prog = exec_id(f->d, "INSERT INTO programmes (slug, name, summary, created_at, updated_at) "
	                     "VALUES ('young-adults', 'Young adults', '', 'x', 'x')");
	f->group = exec_id(f->d, "INSERT INTO working_groups (programme_id, name, local_only, "
	                         "parity_rule, created_at, updated_at) VALUES (1, 'Young adults "
	                         "group', 0, 'local_majority', 'x', 'x')");
	f->other_group = exec_id(f->d, "INSERT INTO working_groups (programme_id, name, "
	                               "parity_rule, created_at, updated_at) VALUES (1, 'Parents', "
	                               "'none', 'x', 'x')");
	assert_int_equal(prog, 1);
	f->fac = (struct audit_actor){account(f, "Fay Facilitator", "facilitator"), 0, NULL};
	f->lead = (struct audit_actor){account(f, "Lee Lead", "programme_lead"), 0, NULL};
	f->outsider = (struct audit_actor){account(f, "Otto Outsider", "local_person"), 0, NULL};
	member(f, f->group, f->fac.account_id, "facilitator");
	member(f, f->other_group, f->outsider.account_id, "local_person");
	for (int i = 0; i < LOCALS; i++) {
		snprintf(name, sizeof(name), "Local %d", i);
		f->local[i] = (struct audit_actor){account(f, name, "local_person"), 0, NULL};
		member(f, f->group, f->local[i].account_id, "local_person");
	}
	for (int i = 0; i < PROS; i++) {
		snprintf(name, sizeof(name), "Pro %d", i);
		f->pro[i] = (struct audit_actor){account(f, name, "decision_maker"), 0, NULL};
		member(f, f->group, f->pro[i].account_id, "decision_maker");
	}
	f->idea = exec_id(
	    f->d,
	    "INSERT INTO priority_areas (slug, name, original_framing, "
	    "reframed_statement, summary, created_at, updated_at) VALUES ('p', 'P', '', '', '', "
	    "'x', 'x')");
	f->idea =
	    exec_id(f->d, "INSERT INTO ideas (programme_id, priority_area_id, group_id, title, "
	                  "body, side, created_at, updated_at) VALUES (1, 1, 1, 'Warm spaces', "
	                  "'', 'local', 'x', 'x')");
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

static int64_t open_decision(struct fixture *f, const char *method, const char *options)
{
	struct decision_new in = {
	    .group_id = f->group,
	    .idea_id = f->idea,
	    .question = SV("Develop Warm spaces into a concept?"),
	    .method = sv_from(method),
	    .options = sv_from(options),
	};
	struct field_errors fe;
	int64_t id = 0;
	field_errors_init(&fe);
	assert_int_equal(decision_open(f->d, f->a, &f->fac, ROLE_FACILITATOR, &in, &fe, &id),
	                 DOMAIN_OK);
	assert_true(id > 0);
	return id;
}

static int say(struct fixture *f, const struct audit_actor *who, int64_t id, const char *stance,
               const char *reason)
{
	struct position_new p = {.stance = sv_from(stance), .reason = sv_from(reason)};
	struct field_errors fe;
	field_errors_init(&fe);
	return decision_position_add(f->d, f->a, who, ROLE_LOCAL_PERSON, id, &p, &fe);
}

static void test_who_may_open(void **state)
{
	struct fixture *f = *state;
	struct decision_new in = {.group_id = f->group, .question = SV("Q?"), .method = SV("vote")};
	struct field_errors fe;
	field_errors_init(&fe);
	/* A local person in the group sees it but may not open a decision. */
	assert_int_equal(decision_open(f->d, f->a, &f->local[0], ROLE_LOCAL_PERSON, &in, &fe, NULL),
	                 DOMAIN_EFORBIDDEN);
	/* Someone from another group does not even see it. */
	assert_int_equal(decision_open(f->d, f->a, &f->outsider, ROLE_LOCAL_PERSON, &in, &fe, NULL),
	                 DOMAIN_ENOTFOUND);
	/* A programme lead manages every group. */
	assert_int_equal(decision_open(f->d, f->a, &f->lead, ROLE_PROGRAMME_LEAD, &in, &fe, NULL),
	                 DOMAIN_OK);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM decisions"), 1);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE entity = 'decision' AND "
	                             "action = 'open'"),
	                 1);
}

static void test_open_validation(void **state)
{
	struct fixture *f = *state;
	struct decision_new in = {.group_id = f->group,
	                          .question = SV("  "),
	                          .method = SV("shout"),
	                          .options = SV("Only one")};
	struct field_errors fe;
	field_errors_init(&fe);
	assert_int_equal(decision_open(f->d, f->a, &f->fac, ROLE_FACILITATOR, &in, &fe, NULL),
	                 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "question"));
	assert_non_null(field_error_get(&fe, "method"));
	assert_non_null(field_error_get(&fe, "options"));
	/* Options need a vote. */
	field_errors_init(&fe);
	in = (struct decision_new){.group_id = f->group,
	                           .question = SV("Which?"),
	                           .method = SV("consensus"),
	                           .options = SV("A\nB")};
	assert_int_equal(decision_open(f->d, f->a, &f->fac, ROLE_FACILITATOR, &in, &fe, NULL),
	                 DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "options"),
	                    "Options can only be chosen by a vote. Select vote, or leave the "
	                    "options empty");
	/* An idea from another group is refused. */
	field_errors_init(&fe);
	in = (struct decision_new){.group_id = f->other_group,
	                           .idea_id = f->idea,
	                           .question = SV("Q?"),
	                           .method = SV("vote")};
	assert_int_equal(decision_open(f->d, f->a, &f->lead, ROLE_PROGRAMME_LEAD, &in, &fe, NULL),
	                 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "idea_id"));
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM decisions"), 0);
}

static void test_one_position_per_person(void **state)
{
	struct fixture *f = *state;
	int64_t id = open_decision(f, "vote", "");
	struct position_new p = {.stance = SV("disagree")};
	struct field_errors fe;
	assert_int_equal(say(f, &f->local[0], id, "agree", ""), DOMAIN_OK);
	field_errors_init(&fe);
	assert_int_equal(
	    decision_position_add(f->d, f->a, &f->local[0], ROLE_LOCAL_PERSON, id, &p, &fe),
	    DOMAIN_ECONFLICT);
	assert_string_equal(field_error_get(&fe, "stance"),
	                    "You have already given your position on this decision. A position "
	                    "cannot be recorded twice");
	/* The facilitator cannot record it again for them either. */
	field_errors_init(&fe);
	p.account_id = f->local[0].account_id;
	assert_int_equal(decision_position_add(f->d, f->a, &f->fac, ROLE_FACILITATOR, id, &p, &fe),
	                 DOMAIN_ECONFLICT);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM decision_positions"), 1);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM decision_positions WHERE stance = "
	                             "'agree'"),
	                 1);
}

static void test_facilitator_records_in_the_room(void **state)
{
	struct fixture *f = *state;
	int64_t id = open_decision(f, "consent", "");
	struct position_new p = {.account_id = f->local[1].account_id, .stance = SV("object")};
	struct field_errors fe;
	field_errors_init(&fe);
	/* An objection needs a reason. */
	assert_int_equal(decision_position_add(f->d, f->a, &f->fac, ROLE_FACILITATOR, id, &p, &fe),
	                 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "reason"));
	field_errors_init(&fe);
	p.reason = SV("The venue is not step-free");
	assert_int_equal(decision_position_add(f->d, f->a, &f->fac, ROLE_FACILITATOR, id, &p, &fe),
	                 DOMAIN_OK);
	assert_int_equal(count(f->d, "SELECT recorded_by FROM decision_positions"),
	                 f->fac.account_id);
	assert_int_equal(count(f->d, "SELECT account_id FROM decision_positions"),
	                 f->local[1].account_id);
	/* A local person cannot record a position for someone else. */
	field_errors_init(&fe);
	p.account_id = f->local[2].account_id;
	assert_int_equal(
	    decision_position_add(f->d, f->a, &f->local[0], ROLE_LOCAL_PERSON, id, &p, &fe),
	    DOMAIN_EFORBIDDEN);
	/* "disagree" is not a consent stance; the facilitator gives no position of their own. */
	assert_int_equal(say(f, &f->local[3], id, "disagree", ""), DOMAIN_EINVALID);
	assert_int_equal(say(f, &f->fac, id, "agree", ""), DOMAIN_ECONFLICT);
	assert_int_equal(say(f, &f->outsider, id, "agree", ""), DOMAIN_ENOTFOUND);
}

static void test_parity_rule_stops_professionals(void **state)
{
	struct fixture *f = *state;
	int64_t id = open_decision(f, "vote", "");
	struct decision_result res;
	/* Every professional agrees; four of five local people disagree. 4 agree to 4
	 * disagree overall would be a tie, so one more local person agrees: 5 to 4. */
	for (int i = 0; i < PROS; i++)
		assert_int_equal(say(f, &f->pro[i], id, "agree", ""), DOMAIN_OK);
	assert_int_equal(say(f, &f->local[0], id, "agree", ""), DOMAIN_OK);
	assert_int_equal(say(f, &f->local[1], id, "agree", ""), DOMAIN_OK);
	assert_int_equal(say(f, &f->local[2], id, "disagree", ""), DOMAIN_OK);
	assert_int_equal(say(f, &f->local[3], id, "disagree", ""), DOMAIN_OK);
	assert_int_equal(say(f, &f->local[4], id, "disagree", ""), DOMAIN_OK);
	assert_int_equal(decision_close(f->d, f->a, &f->fac, ROLE_FACILITATOR, id, -1, NULL, &res),
	                 DOMAIN_OK);
	assert_false(res.carried);
	assert_true(res.rule_decided);
	assert_string_equal(res.outcome, "not_carried");
	assert_string_equal(
	    res.summary, "Not carried: 2 of 5 local people agreed. Professionals: 3 of 3 agreed.");
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM decisions WHERE status = 'closed' AND "
	                             "outcome = 'not_carried'"),
	                 1);
}

static void test_carried_with_local_majority(void **state)
{
	struct fixture *f = *state;
	int64_t id = open_decision(f, "consensus", "");
	struct decision_result res;
	for (int i = 0; i < 3; i++)
		assert_int_equal(say(f, &f->local[i], id, "agree", ""), DOMAIN_OK);
	assert_int_equal(say(f, &f->local[3], id, "abstain", ""), DOMAIN_OK);
	assert_int_equal(say(f, &f->pro[0], id, "agree", ""), DOMAIN_OK);
	assert_int_equal(decision_close(f->d, f->a, &f->fac, ROLE_FACILITATOR, id, -1, NULL, &res),
	                 DOMAIN_OK);
	assert_true(res.carried);
	assert_string_equal(res.summary,
	                    "Carried: 3 of 3 local people agreed. Professionals: 1 of 1 agreed.");
}

static void test_closed_cannot_change_and_reopen_is_audited(void **state)
{
	struct fixture *f = *state;
	int64_t id = open_decision(f, "vote", "");
	struct field_errors fe;
	assert_int_equal(say(f, &f->local[0], id, "agree", ""), DOMAIN_OK);
	/* A local person cannot close it. */
	assert_int_equal(
	    decision_close(f->d, f->a, &f->local[0], ROLE_LOCAL_PERSON, id, -1, NULL, NULL),
	    DOMAIN_EFORBIDDEN);
	assert_int_equal(decision_close(f->d, f->a, &f->fac, ROLE_FACILITATOR, id, -1, NULL, NULL),
	                 DOMAIN_OK);
	assert_int_equal(decision_close(f->d, f->a, &f->fac, ROLE_FACILITATOR, id, -1, NULL, NULL),
	                 DOMAIN_ECONFLICT);
	assert_int_equal(say(f, &f->local[1], id, "agree", ""), DOMAIN_ECONFLICT);
	field_errors_init(&fe);
	assert_int_equal(decision_reopen(f->d, f->a, &f->fac, ROLE_FACILITATOR, id, SV(" "), &fe),
	                 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "reason"));
	field_errors_init(&fe);
	assert_int_equal(
	    decision_reopen(f->d, f->a, &f->local[0], ROLE_LOCAL_PERSON, id, SV("Because"), &fe),
	    DOMAIN_EFORBIDDEN);
	assert_int_equal(decision_reopen(f->d, f->a, &f->fac, ROLE_FACILITATOR, id,
	                                 SV("Two members were ill on the night"), &fe),
	                 DOMAIN_OK);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM decisions WHERE status = 'open' AND "
	                             "outcome IS NULL AND reopened_by IS NOT NULL"),
	                 1);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE action = 'reopen' AND "
	                             "after_json LIKE '%were ill on the night%'"),
	                 1);
	/* Now the people who missed it can take part. */
	assert_int_equal(say(f, &f->local[1], id, "agree", ""), DOMAIN_OK);
}

static void test_vote_between_options(void **state)
{
	struct fixture *f = *state;
	int64_t id = open_decision(f, "vote", "Warm spaces\nText line\n\nApprenticeships");
	struct decision dec;
	struct decision_result res;
	struct position_new p = {.stance = SV("option")};
	struct field_errors fe;
	assert_int_equal(
	    decision_get(f->d, f->a, f->local[0].account_id, ROLE_LOCAL_PERSON, id, &dec, NULL),
	    DOMAIN_OK);
	assert_int_equal(dec.n_options, 3);
	assert_string_equal(dec.options[2].label, "Apprenticeships");
	/* Locals 0-2 choose Text line, the professionals choose Warm spaces, local 3 too:
	 * Warm spaces has most votes (4 to 3) but local people chose Text line. */
	for (int i = 0; i < 3; i++) {
		p.option_id = dec.options[1].id;
		field_errors_init(&fe);
		assert_int_equal(
		    decision_position_add(f->d, f->a, &f->local[i], ROLE_LOCAL_PERSON, id, &p, &fe),
		    DOMAIN_OK);
	}
	p.option_id = dec.options[0].id;
	for (int i = 0; i < PROS; i++)
		assert_int_equal(
		    decision_position_add(f->d, f->a, &f->pro[i], ROLE_DECISION_MAKER, id, &p, &fe),
		    DOMAIN_OK);
	assert_int_equal(
	    decision_position_add(f->d, f->a, &f->local[3], ROLE_LOCAL_PERSON, id, &p, &fe),
	    DOMAIN_OK);
	/* "agree" is not an answer to a choice. */
	assert_int_equal(say(f, &f->local[4], id, "agree", ""), DOMAIN_EINVALID);
	assert_int_equal(decision_close(f->d, f->a, &f->fac, ROLE_FACILITATOR, id, -1, NULL, &res),
	                 DOMAIN_OK);
	assert_false(res.carried);
	assert_true(res.rule_decided);
	assert_non_null(strstr(res.why, "local people most often chose Text line"));
}

static void test_carried_decision_moves_the_idea_on(void **state)
{
	struct fixture *f = *state;
	int64_t id = open_decision(f, "consensus", "");
	struct field_errors fe;
	for (int i = 0; i < 3; i++)
		assert_int_equal(say(f, &f->local[i], id, "agree", ""), DOMAIN_OK);
	/* An idea cannot jump from idea to proposal: nothing is closed. */
	field_errors_init(&fe);
	assert_int_equal(
	    decision_close(f->d, f->a, &f->fac, ROLE_FACILITATOR, id, IDEA_PROPOSAL, &fe, NULL),
	    DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "move_to"),
	                    "The idea is at Idea now, so it cannot move to Proposal");
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM decisions WHERE status = 'open'"), 1);
	field_errors_init(&fe);
	assert_int_equal(
	    decision_close(f->d, f->a, &f->fac, ROLE_FACILITATOR, id, IDEA_CONCEPT, &fe, NULL),
	    DOMAIN_OK);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM ideas WHERE status = 'concept'"), 1);
	assert_int_equal(count(f->d,
	                       "SELECT COUNT(*) FROM idea_status_changes WHERE to_status = "
	                       "'concept' AND note LIKE 'Decided by the group: Carried: 3 of 3%'"),
	                 1);
}

static void test_decision_not_carried_leaves_the_idea(void **state)
{
	struct fixture *f = *state;
	int64_t id = open_decision(f, "consensus", "");
	struct field_errors fe;
	assert_int_equal(say(f, &f->local[0], id, "agree", ""), DOMAIN_OK);
	assert_int_equal(say(f, &f->local[1], id, "disagree", ""), DOMAIN_OK);
	field_errors_init(&fe);
	assert_int_equal(
	    decision_close(f->d, f->a, &f->fac, ROLE_FACILITATOR, id, IDEA_CONCEPT, &fe, NULL),
	    DOMAIN_OK);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM ideas WHERE status = 'idea'"), 1);
}

static void test_waiting_on_the_home_page(void **state)
{
	struct fixture *f = *state;
	int64_t id = open_decision(f, "vote", "");
	struct decision *list;
	size_t n;
	assert_int_equal(decision_list_waiting(f->d, f->a, f->local[0].account_id, 10, &list, &n),
	                 DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, id);
	assert_int_equal(say(f, &f->local[0], id, "agree", ""), DOMAIN_OK);
	assert_int_equal(decision_list_waiting(f->d, f->a, f->local[0].account_id, 10, &list, &n),
	                 DOMAIN_OK);
	assert_int_equal(n, 0);
	/* The facilitator sees what runs in their group; someone from another group nothing. */
	assert_int_equal(decision_list_waiting(f->d, f->a, f->fac.account_id, 10, &list, &n),
	                 DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(decision_list_waiting(f->d, f->a, f->outsider.account_id, 10, &list, &n),
	                 DOMAIN_OK);
	assert_int_equal(n, 0);
	/* Once closed, it waits for nobody. */
	assert_int_equal(decision_close(f->d, f->a, &f->fac, ROLE_FACILITATOR, id, -1, NULL, NULL),
	                 DOMAIN_OK);
	assert_int_equal(decision_list_waiting(f->d, f->a, f->local[1].account_id, 10, &list, &n),
	                 DOMAIN_OK);
	assert_int_equal(n, 0);
}

/* The rule's arithmetic, without a database. */
static void test_result_words(void **state)
{
	struct fixture *f = *state;
	char method[] = "consent", rule[] = "none";
	struct decision dec = {.method = method, .parity_rule = rule};
	struct decision_tally t;
	struct decision_result res;
	memset(&t, 0, sizeof(t));
	t.agree[SIDE_LOCAL] = 7;
	t.took_part[SIDE_LOCAL] = 8;
	t.object[SIDE_LOCAL] = 1;
	t.agree[SIDE_PROFESSIONAL] = 3;
	t.took_part[SIDE_PROFESSIONAL] = 3;
	assert_int_equal(decision_result(f->a, &dec, &t, &res), DOMAIN_OK);
	assert_false(res.carried);
	assert_string_equal(res.why, "1 person objected, so consent was not given.");
	t.object[SIDE_LOCAL] = 0;
	t.took_part[SIDE_LOCAL] = 7;
	assert_int_equal(decision_result(f->a, &dec, &t, &res), DOMAIN_OK);
	assert_true(res.carried);
	assert_string_equal(
	    res.summary,
	    "Carried: 7 of 7 local people consented. Professionals: 3 of 3 consented.");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_who_may_open, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_open_validation, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_one_position_per_person, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_facilitator_records_in_the_room, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_parity_rule_stops_professionals, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_carried_with_local_majority, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_closed_cannot_change_and_reopen_is_audited, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_vote_between_options, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_carried_decision_moves_the_idea_on, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_decision_not_carried_leaves_the_idea, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_waiting_on_the_home_page, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_result_words, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
