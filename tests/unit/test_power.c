/* test_power.c: who shaped an idea, the balance of power of a programme quarter by
 * quarter, and the demo's decisions telling the young adults group's story. */
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
#include "domain/decisions.h"
#include "domain/demo_decisions.h"
#include "domain/power.h"

struct fixture {
	char dir[64];
	db *d;
	arena *a;
	int64_t programme, group, concept_idea, proposal_idea, plain_idea;
	int64_t fac, amina, joe, gareth;
};

static int64_t exec_id(db *d, const char *sql)
{
	assert_int_equal(db_exec(d, sql), DB_OK);
	return db_last_insert_id(d);
}

static int64_t person(struct fixture *f, const char *name, const char *email, const char *role,
                      const char *in_group, const char *joined)
{
	char sql[512];
	int64_t id;
	snprintf(
	    sql, sizeof(sql),
	    "INSERT INTO accounts (email, display_name, role, is_demo, created_at, updated_at) "
	    "VALUES (%s%s%s, '%s', '%s', 1, 'x', 'x')",
	    email ? "'" : "", email ? email : "NULL", email ? "'" : "", name, role);
	id = exec_id(f->d, sql);
	snprintf(sql, sizeof(sql),
	         "INSERT INTO group_members (group_id, account_id, role_in_group, joined_on) "
	         "VALUES (%lld, %lld, '%s', '%s')",
	         (long long)f->group, (long long)id, in_group, joined);
	exec_id(f->d, sql);
	return id;
}

static int64_t idea(struct fixture *f, const char *title, const char *status, const char *side,
                    const char *at)
{
	char sql[512];
	snprintf(
	    sql, sizeof(sql),
	    "INSERT INTO ideas (programme_id, priority_area_id, group_id, title, body, status, "
	    "side, created_at, updated_at) VALUES (%lld, 1, %lld, '%s', '', '%s', '%s', '%s', "
	    "'%s')",
	    (long long)f->programme, (long long)f->group, title, status, side, at, at);
	return exec_id(f->d, sql);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[128], sql[512];
	snprintf(f->dir, sizeof(f->dir), "/tmp/coprod-test-power-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/coprod.db", f->dir);
	if (db_open(path, &f->d) != DB_OK || db_migrate(f->d, NULL, NULL) != DB_OK)
		return -1;
	f->a = arena_new(16 << 20);
	exec_id(f->d,
	        "INSERT INTO priority_areas (slug, name, original_framing, reframed_statement, "
	        "summary, created_at, updated_at) VALUES ('p', 'P', '', '', '', 'x', 'x')");
	f->programme = exec_id(f->d, "INSERT INTO programmes (slug, name, summary, created_at, "
	                             "updated_at) VALUES ('young-adults', 'Young adults', '', 'x', "
	                             "'x')");
	f->group = exec_id(f->d, "INSERT INTO working_groups (programme_id, name, local_only, "
	                         "parity_rule, created_at, updated_at) VALUES (1, 'Young adults "
	                         "group', 0, 'local_majority', 'x', 'x')");
	f->fac = person(f, "Demo Facilitator Priya", "fac@example.org", "facilitator",
	                "facilitator", "2021-12-07");
	f->amina = person(f, "Demo Amina", "amina@example.org", "local_person", "local_person",
	                  "2021-12-07");
	f->joe = person(f, "Demo Joe", NULL, "local_person", "local_person", "2021-12-07");
	person(f, "Demo Kai", "kai@example.org", "local_person", "local_person", "2021-12-07");
	person(f, "Demo Lola", NULL, "local_person", "local_person", "2022-01-04");
	f->gareth = person(f, "Demo Gareth", "gareth@example.org", "decision_maker",
	                   "decision_maker", "2022-06-14");
	person(f, "Demo Hannah", "hannah@example.org", "decision_maker", "decision_maker",
	       "2022-06-14");
	f->concept_idea =
	    idea(f, "Warm spaces for young people", "concept", "local", "2022-02-01T18:00:00Z");
	f->proposal_idea =
	    idea(f, "Peer support text line", "proposal", "local", "2022-03-08T18:00:00Z");
	f->plain_idea = idea(f, "Apprenticeships", "idea", "professional", "2022-07-05T18:00:00Z");
	snprintf(sql, sizeof(sql),
	         "INSERT INTO idea_authors (idea_id, account_id, side, recorded_by) VALUES "
	         "(%lld, %lld, 'local', %lld), (%lld, %lld, 'local', NULL)",
	         (long long)f->proposal_idea, (long long)f->joe, (long long)f->fac,
	         (long long)f->proposal_idea, (long long)f->amina);
	exec_id(f->d, sql);
	snprintf(sql, sizeof(sql),
	         "INSERT INTO idea_revisions (idea_id, version, title, body, revised_by, side, "
	         "is_amendment, revised_at) VALUES (%lld, 2, 't', 'b', %lld, 'professional', 1, "
	         "'2022-07-19T18:00:00Z')",
	         (long long)f->proposal_idea, (long long)f->gareth);
	exec_id(f->d, sql);
	snprintf(sql, sizeof(sql),
	         "INSERT INTO idea_comments (idea_id, account_id, side, body, created_at) VALUES "
	         "(%lld, %lld, 'professional', 'c', '2022-07-19T18:00:00Z'), "
	         "(%lld, %lld, 'local', 'c', '2022-08-02T18:00:00Z')",
	         (long long)f->proposal_idea, (long long)f->gareth, (long long)f->proposal_idea,
	         (long long)f->amina);
	exec_id(f->d, sql);
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

static int load_demo(struct fixture *f)
{
	int rc;
	assert_int_equal(db_begin(f->d), DB_OK);
	rc = demo_load_decisions(f->d, f->a);
	if (rc == DOMAIN_OK)
		assert_int_equal(db_commit(f->d), DB_OK);
	else
		db_rollback(f->d);
	return rc;
}

static void test_demo_tells_the_story(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(load_demo(f), DOMAIN_OK);
	/* Two about the venue, one concept for each idea that became one (2), one proposal
	 * (1), and one still open. */
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM decisions"), 6);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM decisions WHERE status = 'open'"), 1);
	/* The objection stopped the first venue decision; the amended one carried. */
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM decisions WHERE method = 'consent' AND "
	                             "outcome = 'not_carried'"),
	                 1);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM decision_positions WHERE stance = "
	                             "'object' AND reason <> ''"),
	                 1);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM decisions WHERE status = 'closed' AND "
	                             "outcome = 'carried'"),
	                 4);
	/* Nobody gave a position on a decision opened before they joined the group. */
	assert_int_equal(count(f->d,
	                       "SELECT COUNT(*) FROM decision_positions p JOIN decisions d "
	                       "ON d.id = p.decision_id JOIN group_members m ON m.account_id = "
	                       "p.account_id WHERE substr(d.opened_at, 1, 10) < m.joined_on"),
	                 0);
	/* People without email gave their positions through the facilitator. */
	assert_int_equal(count(f->d,
	                       "SELECT COUNT(*) FROM decision_positions p JOIN accounts a ON "
	                       "a.id = p.account_id WHERE a.email IS NULL AND (p.recorded_by IS "
	                       "NULL OR p.recorded_by <> (SELECT account_id FROM group_members "
	                       "WHERE role_in_group = 'facilitator'))"),
	                 0);
	/* The open one has positions still to come. */
	assert_true(count(f->d, "SELECT COUNT(*) FROM decision_positions p JOIN decisions d ON "
	                        "d.id = p.decision_id WHERE d.status = 'open'") < 6);
}

static void test_demo_without_group_does_nothing(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_exec(f->d, "UPDATE working_groups SET name = 'Another group'"), DB_OK);
	assert_int_equal(load_demo(f), DOMAIN_OK);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM decisions"), 0);
}

static void test_item_summary(void **state)
{
	struct fixture *f = *state;
	struct power_item it;
	assert_int_equal(load_demo(f), DOMAIN_OK);
	assert_int_equal(power_item_summary(f->d, f->a, f->proposal_idea, &it), DOMAIN_OK);
	assert_int_equal(it.n_proposers, 2);
	assert_string_equal(it.proposers[0].name, "Demo Amina");
	assert_null(it.proposers[0].recorded_by);
	assert_string_equal(it.proposers[1].name, "Demo Joe");
	assert_string_equal(it.proposers[1].recorded_by, "Demo Facilitator Priya");
	assert_int_equal(it.n_amenders, 1);
	assert_string_equal(it.amenders[0].name, "Demo Gareth");
	assert_string_equal(it.amenders[0].side, "professional");
	/* Developed into a concept, then put forward: two decisions, oldest first. */
	assert_int_equal(it.n_decisions, 2);
	assert_non_null(strstr(it.decisions[0].decision.question, "into a concept"));
	assert_true(it.decisions[1].result.carried);
	assert_true(it.decisions[1].tally.took_part[SIDE_LOCAL] > 0);
	assert_true(it.decisions[1].tally.took_part[SIDE_PROFESSIONAL] > 0);
	/* An idea nobody decided on. */
	assert_int_equal(power_item_summary(f->d, f->a, f->plain_idea, &it), DOMAIN_OK);
	assert_int_equal(it.n_decisions, 0);
	assert_int_equal(it.n_amenders, 0);
}

static void test_programme_quarters(void **state)
{
	struct fixture *f = *state;
	struct power_quarter *q;
	size_t n;
	assert_int_equal(power_programme(f->d, f->a, f->programme, &q, &n), DOMAIN_OK);
	/* Ideas in Q1 2022 (two, local) and Q3 2022 (one, professional); nothing in Q2. */
	assert_int_equal(n, 3);
	assert_int_equal(q[0].year, 2022);
	assert_int_equal(q[0].quarter, 1);
	assert_int_equal(q[0].ideas.local, 2);
	assert_int_equal(q[1].ideas.local + q[1].ideas.professional + q[1].comments.local, 0);
	assert_int_equal(q[2].ideas.professional, 1);
	assert_int_equal(q[2].amendments.professional, 1);
	assert_int_equal(q[2].comments.professional, 1);
	assert_int_equal(q[2].comments.local, 1);
	assert_int_equal(q[2].positions.local + q[2].positions.professional, 0);

	/* After the demo's decisions, positions count in the quarter each decision closed;
	 * the open one does not count yet. */
	assert_int_equal(load_demo(f), DOMAIN_OK);
	assert_int_equal(power_programme(f->d, f->a, f->programme, &q, &n), DOMAIN_OK);
	assert_int_equal(n, 4);
	assert_true(q[1].positions.local > 0); /* June 2022: the venue decisions */
	assert_true(q[2].positions.professional > 0);
	assert_int_equal(q[3].quarter, 4);
	assert_true(q[3].positions.local > q[3].positions.professional);
}

static void test_programme_access(void **state)
{
	struct fixture *f = *state;
	int64_t id;
	char *name;
	int64_t stranger =
	    exec_id(f->d, "INSERT INTO accounts (display_name, role, created_at, "
	                  "updated_at) VALUES ('Stranger', 'board_member', 'x', 'x')");
	assert_int_equal(power_programme_find(f->d, f->a, f->amina, ROLE_LOCAL_PERSON,
	                                      SV("young-adults"), &id, &name),
	                 DOMAIN_OK);
	assert_string_equal(name, "Young adults");
	assert_int_equal(power_programme_find(f->d, f->a, stranger, ROLE_BOARD_MEMBER,
	                                      SV("young-adults"), &id, &name),
	                 DOMAIN_ENOTFOUND);
	assert_int_equal(power_programme_find(f->d, f->a, stranger, ROLE_PROGRAMME_LEAD,
	                                      SV("young-adults"), &id, &name),
	                 DOMAIN_OK);
	assert_int_equal(
	    power_programme_find(f->d, f->a, f->amina, ROLE_LOCAL_PERSON, SV("nope"), &id, &name),
	    DOMAIN_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_demo_tells_the_story, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_demo_without_group_does_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_item_summary, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_programme_quarters, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_programme_access, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
