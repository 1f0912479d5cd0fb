/* test_evidence.c: outcome indicators (fixed-point values, CSV imports applied whole or
 * not at all, re-imports replacing and audited, trend summaries), the ladder and six
 * principles self-assessments (one rating each, answering twice refused, fewer than five
 * respondents shown as no breakdown), the learning log, and the demo's evidence. */
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
#include "core/disclosure.h"
#include "db/db.h"
#include "domain/assessment.h"
#include "domain/demo.h"
#include "domain/demo_evidence.h"
#include "domain/indicators.h"
#include "domain/learning.h"
#include "domain/password.h"

#define LOCALS 10
#define PROS 3

struct fixture {
	char dir[64];
	db *d;
	arena *a;
	struct audit_actor lead, outsider;
	struct audit_actor local[LOCALS], pro[PROS];
	int64_t programme, other_programme, group, session, decision, area, other_session;
};

static int64_t account(struct fixture *f, const char *name, const char *role)
{
	char sql[512];
	snprintf(sql, sizeof(sql), "INSERT INTO accounts (display_name, role, created_at, updated_at)"
				   " VALUES ('%s', '%s', 'x', 'x')", name, role);
	return insert(f->d, sql);
}

static void member(struct fixture *f, int64_t group, int64_t acc, const char *role)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "INSERT INTO group_members (group_id, account_id, role_in_group,"
				   " joined_on) VALUES (%lld, %lld, '%s', '2021-12-07')",
		 (long long)group, (long long)acc, role);
	insert(f->d, sql);
}

/* A programme with one group of ten local people and three decision-makers, a past
 * session and a decision; another programme with a session; a lead and an outsider. */
static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[128], sql[256];
	int64_t other_group;
	snprintf(f->dir, sizeof(f->dir), "/tmp/coprod-test-evidence-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/coprod.db", f->dir);
	if (db_open(path, &f->d) != DB_OK || db_migrate(f->d, NULL, NULL) != DB_OK)
		return -1;
	f->a = arena_new(16 << 20);
	disclosure_set_threshold(10);
	f->lead.account_id = account(f, "Pat Lead", "programme_lead");
	f->outsider.account_id = account(f, "Out Sider", "local_person");
	f->area = insert(f->d, "INSERT INTO priority_areas (slug, name, original_framing,"
			       " reframed_statement, summary, created_at, updated_at)"
			       " VALUES ('child-poverty', 'Child poverty', 'o', 'r', 's', 'x', 'x')");
	f->programme = insert(f->d, "INSERT INTO programmes (slug, name, summary, created_at,"
				    " updated_at) VALUES ('young-adults', 'Young adults', 's', 'x', 'x')");
	f->other_programme = insert(f->d, "INSERT INTO programmes (slug, name, summary, created_at,"
					  " updated_at) VALUES ('older', 'Older', 's', 'x', 'x')");
	f->group = insert(f->d, "INSERT INTO working_groups (programme_id, name, created_at,"
				" updated_at) VALUES (1, 'Young adults group', 'x', 'x')");
	other_group = insert(f->d, "INSERT INTO working_groups (programme_id, name, created_at,"
				   " updated_at) VALUES (2, 'Older group', 'x', 'x')");
	for (int i = 0; i < LOCALS; i++) {
		char name[32];
		snprintf(name, sizeof(name), "Local %d", i);
		f->local[i].account_id = account(f, name, "local_person");
		member(f, f->group, f->local[i].account_id, "local_person");
	}
	for (int i = 0; i < PROS; i++) {
		char name[32];
		snprintf(name, sizeof(name), "Pro %d", i);
		f->pro[i].account_id = account(f, name, "decision_maker");
		member(f, f->group, f->pro[i].account_id, "decision_maker");
	}
	member(f, other_group, f->outsider.account_id, "local_person");
	f->session = insert(f->d, "INSERT INTO group_sessions (group_id, title, starts_at, ends_at,"
				  " status, uid, created_at, updated_at) VALUES (1, 'First session',"
				  " '2022-02-01T18:00', '2022-02-01T20:00', 'held', 'u1', 'x', 'x')");
	f->other_session = insert(f->d, "INSERT INTO group_sessions (group_id, title, starts_at,"
					" ends_at, status, uid, created_at, updated_at) VALUES (2,"
					" 'Other', '2022-02-01T18:00', '2022-02-01T20:00', 'held', 'u2',"
					" 'x', 'x')");
	snprintf(sql, sizeof(sql), "INSERT INTO decisions (group_id, question, method, parity_rule,"
				   " proposed_side, opened_at) VALUES (%lld, 'Which idea first?',"
				   " 'consensus', 'none', 'local', '2022-03-01T10:00:00Z')",
		 (long long)f->group);
	f->decision = insert(f->d, sql);
	*state = f;
	return f->session && f->decision ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->d);
	arena_free(f->a);
	rm_dir(f->dir);
	free(f);
	return 0;
}

/* --- Numbers ---------------------------------------------------------------------------- */

static void test_milli(void **state)
{
	arena *a = arena_new(1 << 16);
	int64_t v;
	(void)state;
	assert_int_equal(milli_parse(SV("12.3"), &v), 0);
	assert_int_equal(v, 12300);
	assert_int_equal(milli_parse(SV("-0.125"), &v), 0);
	assert_int_equal(v, -125);
	assert_int_equal(milli_parse(SV(" 7 "), &v), 0);
	assert_int_equal(v, 7000);
	assert_int_equal(milli_parse(SV("1.2345"), &v), -1);
	assert_int_equal(milli_parse(SV("1e3"), &v), -1);
	assert_int_equal(milli_parse(SV(""), &v), -1);
	assert_int_equal(milli_parse(SV("."), &v), -1);
	assert_int_equal(milli_parse(SV("=1+1"), &v), -1);
	assert_string_equal(milli_text(a, 12345, 1), "12.3");
	assert_string_equal(milli_text(a, 12350, 1), "12.4");
	assert_string_equal(milli_text(a, -12350, 1), "-12.4");
	assert_string_equal(milli_text(a, 12500, 0), "13");
	assert_string_equal(milli_text(a, 5, 2), "0.01");
	assert_string_equal(milli_text(a, -4, 2), "0.00");
	assert_string_equal(centi_text(a, 345), "3.45");
	assert_string_equal(centi_text(a, -50), "-0.50");
	arena_free(a);
}

/* --- Indicators --------------------------------------------------------------------------- */

static int64_t make_indicator(struct fixture *f, const char *code, const char *polarity)
{
	struct field_errors fe;
	int64_t id = 0;
	struct indicator_input in = {
		.code = sv_from(code),
		.name = SV("Children in absolute low income families"),
		.unit = SV("%"),
		.polarity = sv_from(polarity),
		.source = SV("OHID Fingertips"),
		.source_id = sv_from(code),
		.period_type = SV("financial_year"),
		.decimals = SV("1"),
		.priority_area_ids = &f->area,
		.n_areas = 1,
	};
	field_errors_init(&fe);
	assert_int_equal(indicator_create(f->d, f->a, &f->lead, &in, &fe, &id), DOMAIN_OK);
	return id;
}

static void test_indicator_create(void **state)
{
	struct fixture *f = *state;
	struct field_errors fe;
	struct indicator_input bad = {.code = SV("93701"), .polarity = SV("sideways")};
	struct indicator *list;
	size_t n;
	int64_t id = make_indicator(f, "93701", "lower_is_better");

	field_errors_init(&fe);
	assert_int_equal(indicator_create(f->d, f->a, &f->lead, &bad, &fe, NULL), DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "code"), "There is already an indicator with this id");
	assert_non_null(field_error_get(&fe, "name"));
	assert_non_null(field_error_get(&fe, "polarity"));
	assert_non_null(field_error_get(&fe, "period_type"));
	assert_int_equal(indicators_for_priority(f->d, f->a, f->area, &list, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, id);
	assert_int_equal(list[0].polarity, POLARITY_LOWER_IS_BETTER);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE entity = 'indicator'"), 1);
}

static void test_indicator_update(void **state)
{
	struct fixture *f = *state;
	struct field_errors fe;
	struct indicator x;
	struct indicator_area *areas;
	size_t n;
	int64_t a = make_indicator(f, "93701", "lower_is_better");
	int64_t b = make_indicator(f, "93759", "lower_is_better");
	struct indicator_input in = {
		.code = SV("93759"), .name = SV("Renamed"), .unit = SV("%"),
		.polarity = SV("higher_is_better"), .source = SV("OHID Fingertips"),
		.period_type = SV("calendar_year"), .decimals = SV("2"),
	};
	(void)b;
	field_errors_init(&fe);
	/* Another indicator's code is taken; its own is not. */
	assert_int_equal(indicator_update(f->d, f->a, &f->lead, a, &in, &fe), DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "code"), "There is already an indicator with this id");
	in.code = SV("93701");
	field_errors_init(&fe);
	assert_int_equal(indicator_update(f->d, f->a, &f->lead, a, &in, &fe), DOMAIN_OK);
	assert_int_equal(indicator_get(f->d, f->a, a, &x), DOMAIN_OK);
	assert_string_equal(x.name, "Renamed");
	assert_int_equal(x.polarity, POLARITY_HIGHER_IS_BETTER);
	assert_int_equal(x.decimals, 2);
	/* No areas ticked: none linked any more. */
	assert_int_equal(indicator_areas(f->d, f->a, a, &areas, &n), DOMAIN_OK);
	assert_int_equal(n, 0);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE entity = 'indicator'"
				     " AND action = 'update' AND before_json LIKE '%Children%'"
				     " AND after_json LIKE '%Renamed%'"),
			 1);
	assert_int_equal(indicator_update(f->d, f->a, &f->lead, 999, &in, &fe), DOMAIN_ENOTFOUND);
}

static void test_import_bad_lines_apply_nothing(void **state)
{
	struct fixture *f = *state;
	struct indicator_import_result res;
	const char *csv = "Indicator ID,Area Code,Area Name,Period,Value,Lower CI,Upper CI\n"
			  "93701,E08000006,Salford,2019/20,21.9,20.0,23.8\n"
			  "99999,E08000006,Salford,2019/20,1.0,,\n"
			  "93701,E92000001,England,2019/20,lots,,\n"
			  "93701,E92000001,England,2020/21,15.1,16,14\n"
			  "93701,E92000001,England,2021/22,15.3,,\n";
	make_indicator(f, "93701", "lower_is_better");
	assert_int_equal(indicator_import_csv(f->d, f->a, &f->lead, sv_from(csv), false, &res),
			 DOMAIN_EINVALID);
	assert_int_equal(res.n_errors, 3);
	assert_int_equal(res.errors[0].line, 3);
	assert_string_equal(res.errors[0].message, "There is no indicator with the id \"99999\"");
	assert_int_equal(res.errors[1].line, 4);
	assert_non_null(strstr(res.errors[1].message, "number"));
	assert_int_equal(res.errors[2].line, 5);
	assert_non_null(strstr(res.errors[2].message, "upper confidence limit"));
	/* Nothing applied, not even the good lines. */
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM indicator_values"), 0);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE entity = 'indicator_value'"),
			 0);

	/* A header without a required column. */
	assert_int_equal(indicator_import_csv(f->d, f->a, &f->lead,
					      SV("Indicator ID,Area Code,Period,Value\n93701,E,2019,1\n"),
					      false, &res),
			 DOMAIN_EINVALID);
	assert_int_equal(res.n_errors, 1);
	assert_int_equal(res.errors[0].line, 1);
	assert_non_null(strstr(res.errors[0].message, "area name"));
	/* An empty file. */
	assert_int_equal(indicator_import_csv(f->d, f->a, &f->lead, SV(""), false, &res),
			 DOMAIN_EINVALID);
	assert_int_equal(res.errors[0].line, 1);
}

static void test_reimport_replaces_and_is_audited(void **state)
{
	struct fixture *f = *state;
	struct indicator_import_result res;
	struct indicator_value *v;
	size_t n;
	int64_t id = make_indicator(f, "93701", "lower_is_better");
	const char *first = "indicator id,area code,area name,period,value,count,denominator\r\n"
			    "93701,E08000006,Salford,2019/20,21.9,9540,43560\r\n"
			    "93701,E08000006,Salford,2020/21,19.8,,\r\n";
	const char *again = "indicator id,area code,area name,period,value\n"
			    "93701,E08000006,Salford,2020/21,20.25\n"
			    "93701,E92000001,England,2020/21,15.1\n";
	assert_int_equal(indicator_import_csv(f->d, f->a, &f->lead, sv_from(first), true, &res),
			 DOMAIN_OK);
	assert_int_equal(res.added, 2);
	assert_int_equal(res.replaced, 0);
	assert_int_equal(indicator_import_csv(f->d, f->a, &f->lead, sv_from(again), false, &res),
			 DOMAIN_OK);
	assert_int_equal(res.added, 1);
	assert_int_equal(res.replaced, 1);
	assert_int_equal(indicator_values(f->d, f->a, id, INDICATOR_LOCAL_CODE, &v, &n), DOMAIN_OK);
	assert_int_equal(n, 2);
	assert_string_equal(v[1].period, "2020/21");
	assert_int_equal(v[1].value, 20250);
	assert_false(v[1].illustrative);
	assert_true(v[0].illustrative);
	assert_true(v[0].has_count);
	assert_int_equal(v[0].count, 9540000);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE entity = 'indicator_value'"
				     " AND action = 'replace' AND before_json LIKE '%19800%'"
				     " AND after_json LIKE '%20250%'"),
			 1);
}

static void test_series_and_summary(void **state)
{
	struct fixture *f = *state;
	struct indicator_import_result res;
	struct indicator_series s;
	int64_t id = make_indicator(f, "93701", "lower_is_better");
	const char *csv = "indicator id,area code,area name,period,value\n"
			  "93701,E08000006,Salford,2019,20.1\n"
			  "93701,E92000001,England,2019,17.0\n"
			  "93701,E08000006,Salford,2023,18.4\n"
			  "93701,E92000001,England,2023,17.5\n"
			  "93701,E08000006,Salford,2021,19.0\n"
			  "93701,E08000099,Elsewhere,2021,99.0\n";
	assert_int_equal(indicator_import_csv(f->d, f->a, &f->lead, sv_from(csv), true, &res),
			 DOMAIN_OK);
	assert_int_equal(indicator_series_get(f->d, f->a, id, &s), DOMAIN_OK);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.periods[1], "2021");
	assert_true(s.comparator_missing[1]);
	assert_false(s.local_missing[1]);
	assert_true(s.illustrative);
	assert_string_equal(indicator_trend_word(&s), "better");
	assert_string_equal(indicator_summary(f->a, &s),
			    "Salford's figure fell from 20.1 in 2019 to 18.4 in 2023 (better);"
			    " England's rose from 17.0 in 2019 to 17.5 in 2023 (worse).");
}

/* --- The ladder ------------------------------------------------------------------------- */

static void test_ladder(void **state)
{
	struct fixture *f = *state;
	struct field_errors fe;
	struct ladder_dist dist;
	struct ladder_thing *things;
	size_t n;
	int64_t prog = 0;

	field_errors_init(&fe);
	/* Someone from another programme may not rate: as if it did not exist. */
	assert_int_equal(ladder_rate(f->d, f->a, &f->outsider, ROLE_LOCAL_PERSON, LADDER_SESSION,
				     f->session, SV("co_design"), &fe, NULL),
			 DOMAIN_ENOTFOUND);
	assert_int_equal(ladder_rate(f->d, f->a, &f->local[0], ROLE_LOCAL_PERSON, LADDER_SESSION,
				     f->session, SV("top"), &fe, NULL),
			 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "rung"));
	for (int i = 0; i < LOCALS; i++)
		assert_int_equal(ladder_rate(f->d, f->a, &f->local[i], ROLE_LOCAL_PERSON,
					     LADDER_SESSION, f->session, SV("engagement"), &fe, &prog),
				 DOMAIN_OK);
	assert_int_equal(prog, f->programme);
	for (int i = 0; i < PROS; i++)
		assert_int_equal(ladder_rate(f->d, f->a, &f->pro[i], ROLE_DECISION_MAKER,
					     LADDER_SESSION, f->session, SV("co_production"), &fe,
					     NULL),
				 DOMAIN_OK);
	/* Rating again replaces: one rating per person per thing. */
	assert_int_equal(ladder_rate(f->d, f->a, &f->local[0], ROLE_LOCAL_PERSON, LADDER_SESSION,
				     f->session, SV("co_design"), &fe, NULL),
			 DOMAIN_OK);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM ladder_ratings"), LOCALS + PROS);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE entity = 'ladder_rating'"
				     " AND action = 'replace'"),
			 1);

	assert_int_equal(ladder_distribution(f->d, f->programme, -1, 0, NULL, NULL, &dist),
			 DOMAIN_OK);
	assert_int_equal(dist.n_ratings, LOCALS + PROS);
	/* Nine local people on engagement: fewer than 10. Ten local people in all: shown. */
	assert_true(dist.rung[SIDE_LOCAL][RUNG_ENGAGEMENT].suppressed);
	assert_false(dist.total[SIDE_LOCAL].suppressed);
	assert_int_equal(dist.total[SIDE_LOCAL].value, 10);
	assert_true(dist.total[SIDE_PROFESSIONAL].suppressed);
	assert_true(dist.rung[SIDE_PROFESSIONAL][RUNG_CO_PRODUCTION].suppressed);
	/* Outside the period of the session: nothing. */
	assert_int_equal(ladder_distribution(f->d, f->programme, LADDER_SESSION, 0, "2022-03-01",
					     "2022-12-31", &dist),
			 DOMAIN_OK);
	assert_int_equal(dist.n_ratings, 0);
	assert_int_equal(ladder_distribution(f->d, f->programme, LADDER_SESSION, f->session,
					     "2022-02-01", "2022-02-01", &dist),
			 DOMAIN_OK);
	assert_int_equal(dist.n_ratings, LOCALS + PROS);

	/* The decision is still open: not offered, and a rating of it is refused. */
	assert_int_equal(ladder_things(f->d, f->a, f->programme, f->local[0].account_id, &things, &n),
			 DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(things[0].kind, LADDER_SESSION);
	field_errors_init(&fe);
	assert_int_equal(ladder_rate(f->d, f->a, &f->local[0], ROLE_LOCAL_PERSON, LADDER_DECISION,
				     f->decision, SV("co_design"), &fe, NULL),
			 DOMAIN_ECONFLICT);
	assert_string_equal(field_error_get(&fe, "rung"),
			    "You can rate a decision on the ladder once it has been closed");
	/* A session whose time has come but is not marked held is not offered either. */
	insert(f->d, "INSERT INTO group_sessions (group_id, title, starts_at, ends_at, status, uid,"
		     " created_at, updated_at) VALUES (1, 'Not yet held', '2022-02-08T18:00',"
		     " '2022-02-08T20:00', 'planned', 'u-ladder', 'x', 'x')");
	assert_int_equal(ladder_things(f->d, f->a, f->programme, f->local[0].account_id, &things, &n),
			 DOMAIN_OK);
	assert_int_equal(n, 1);
	{
		char sql[160];
		snprintf(sql, sizeof(sql), "UPDATE decisions SET status = 'closed',"
			 " closed_at = '2022-03-08T10:00:00Z' WHERE id = %lld", (long long)f->decision);
		assert_int_equal(db_exec(f->d, sql), DB_OK);
	}
	assert_int_equal(ladder_things(f->d, f->a, f->programme, f->local[0].account_id, &things, &n),
			 DOMAIN_OK);
	assert_int_equal(n, 2); /* the session and the decision, now closed */
	for (size_t i = 0; i < n; i++)
		if (things[i].kind == LADDER_SESSION)
			assert_int_equal(things[i].my_rung, RUNG_CO_DESIGN);
		else
			assert_int_equal(things[i].my_rung, RUNG_NONE);
	assert_int_equal(ladder_things(f->d, f->a, f->programme, f->outsider.account_id, &things, &n),
			 DOMAIN_OK);
	assert_int_equal(n, 0);
}

/* --- The six principles --------------------------------------------------------------- */

static int64_t open_current_round(struct fixture *f, const char *label)
{
	struct round_input in = {
		.period_label = sv_from(label),
		.opens_day = SV("1"), .opens_month = SV("1"), .opens_year = SV("2020"),
		.closes_day = SV("31"), .closes_month = SV("12"), .closes_year = SV("2199"),
	};
	struct field_errors fe;
	int64_t id = 0;
	field_errors_init(&fe);
	assert_int_equal(principle_round_open(f->d, f->a, &f->lead, f->programme, &in, &fe, &id),
			 DOMAIN_OK);
	return id;
}

static void answer(struct fixture *f, const struct audit_actor *who, enum role role,
		   int64_t round, int rating, int expect)
{
	struct principle_answer_input in;
	struct field_errors fe;
	char r[2] = {(char)('0' + rating), 0};
	memset(&in, 0, sizeof(in));
	for (int p = 0; p < PRINCIPLES; p++)
		in.rating[p] = sv_from(r);
	in.comment[PRINCIPLE_POWER] = SV("We <b>still</b> wait to be asked");
	field_errors_init(&fe);
	assert_int_equal(principle_answer(f->d, f->a, who, role, round, &in, &fe), expect);
}

static void test_principles(void **state)
{
	struct fixture *f = *state;
	struct round_input bad = {.period_label = SV(""), .opens_day = SV("31"),
				  .opens_month = SV("2"), .opens_year = SV("2022")};
	struct field_errors fe;
	struct principle_result *res;
	struct principle_comment *comments;
	struct principle_round *rounds;
	struct principle_answer_input blank;
	size_t n;
	int64_t round;

	field_errors_init(&fe);
	assert_int_equal(principle_round_open(f->d, f->a, &f->lead, f->programme, &bad, &fe, NULL),
			 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "period_label"));
	assert_non_null(field_error_get(&fe, "opens"));
	assert_non_null(field_error_get(&fe, "closes"));
	round = open_current_round(f, "2022 H1");
	/* The same half year twice is refused. */
	{
		struct round_input again = {.period_label = SV("2022 H1"), .opens_day = SV("1"),
					    .opens_month = SV("1"), .opens_year = SV("2022"),
					    .closes_day = SV("1"), .closes_month = SV("2"),
					    .closes_year = SV("2022")};
		field_errors_init(&fe);
		assert_int_equal(principle_round_open(f->d, f->a, &f->lead, f->programme, &again, &fe,
						      NULL),
				 DOMAIN_EINVALID);
		assert_non_null(field_error_get(&fe, "period_label"));
	}

	/* Missing ratings name each principle. */
	memset(&blank, 0, sizeof(blank));
	blank.rating[0] = SV("6");
	field_errors_init(&fe);
	assert_int_equal(principle_answer(f->d, f->a, &f->local[0], ROLE_LOCAL_PERSON, round, &blank,
					  &fe),
			 DOMAIN_EINVALID);
	assert_int_equal(fe.n, PRINCIPLES);
	assert_non_null(field_error_get(&fe, "rating-strengths"));
	assert_non_null(field_error_get(&fe, "rating-testing"));

	answer(f, &f->outsider, ROLE_LOCAL_PERSON, round, 3, DOMAIN_ENOTFOUND);
	for (int i = 0; i < 6; i++)
		answer(f, &f->local[i], ROLE_LOCAL_PERSON, round, i < 3 ? 3 : 4, DOMAIN_OK);
	for (int i = 0; i < PROS; i++)
		answer(f, &f->pro[i], ROLE_DECISION_MAKER, round, 5, DOMAIN_OK);
	/* Answering twice is refused, and changes nothing. */
	answer(f, &f->local[0], ROLE_LOCAL_PERSON, round, 1, DOMAIN_ECONFLICT);
	assert_int_equal(principle_has_answered(f->d, round, f->local[0].account_id), 1);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM principle_answers"), 9 * PRINCIPLES);
	/* The answers cannot be tied back to anyone. */
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE action = 'answer'"
				     " AND after_json LIKE '%rating%'"),
			 0);

	assert_int_equal(principle_results(f->d, f->a, f->programme, NULL, NULL, &res, &n),
			 DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_true(res[0].shown[SIDE_LOCAL]);
	assert_int_equal(res[0].mean_centi[SIDE_LOCAL][PRINCIPLE_POWER], 350);
	/* Three professionals: fewer than five, no breakdown, and no gap. */
	assert_false(res[0].shown[SIDE_PROFESSIONAL]);
	assert_int_equal(res[0].mean_centi[SIDE_PROFESSIONAL][PRINCIPLE_POWER], 0);
	assert_false(res[0].gap_shown);
	assert_int_equal(res[0].respondents[SIDE_PROFESSIONAL], 3);

	assert_int_equal(principle_comments(f->d, f->a, round, &comments, &n), DOMAIN_OK);
	assert_int_equal(n, 9);
	assert_int_equal(comments[0].principle, PRINCIPLE_POWER);

	assert_int_equal(principle_rounds_list(f->d, f->a, f->programme, f->local[0].account_id,
					       &rounds, &n),
			 DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_true(rounds[0].answered);
	assert_true(rounds[0].open);
}

static void test_principles_gap_and_closed_round(void **state)
{
	struct fixture *f = *state;
	struct principle_result *res;
	struct round_input closed = {.period_label = SV("2021 H2"), .opens_day = SV("1"),
				     .opens_month = SV("7"), .opens_year = SV("2021"),
				     .closes_day = SV("31"), .closes_month = SV("12"),
				     .closes_year = SV("2021")};
	struct field_errors fe;
	size_t n;
	int64_t round = open_current_round(f, "2022 H2"), old = 0;
	char sql[64];
	/* Two more professionals make five. */
	for (int i = 0; i < 2; i++) {
		int64_t id;
		snprintf(sql, sizeof(sql), "Pro extra %d", i);
		id = account(f, sql, "facilitator");
		member(f, f->group, id, "facilitator");
		struct audit_actor who = {id, 0, NULL};
		answer(f, &who, ROLE_FACILITATOR, round, 4, DOMAIN_OK);
	}
	for (int i = 0; i < PROS; i++)
		answer(f, &f->pro[i], ROLE_DECISION_MAKER, round, 5, DOMAIN_OK);
	for (int i = 0; i < 5; i++)
		answer(f, &f->local[i], ROLE_LOCAL_PERSON, round, 3, DOMAIN_OK);
	assert_int_equal(principle_results(f->d, f->a, f->programme, NULL, NULL, &res, &n),
			 DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_true(res[0].gap_shown);
	assert_int_equal(res[0].mean_centi[SIDE_PROFESSIONAL][PRINCIPLE_TESTING], 460);
	assert_int_equal(res[0].gap_centi[PRINCIPLE_TESTING], -160);

	field_errors_init(&fe);
	assert_int_equal(principle_round_open(f->d, f->a, &f->lead, f->programme, &closed, &fe, &old),
			 DOMAIN_OK);
	answer(f, &f->local[0], ROLE_LOCAL_PERSON, old, 3, DOMAIN_ECONFLICT);
	/* Results for a period take only the rounds opening in it. */
	assert_int_equal(principle_results(f->d, f->a, f->programme, "2021-07-01", "2021-12-31",
					   &res, &n),
			 DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_string_equal(res[0].round.period_label, "2021 H2");
}

/* --- The learning log -------------------------------------------------------------------- */

static void test_learning(void **state)
{
	struct fixture *f = *state;
	struct learning_input in;
	struct field_errors fe;
	struct learning_entry *list;
	struct learning_about *about;
	size_t n;
	char other[32], mine[32];
	int64_t id = 0;

	memset(&in, 0, sizeof(in));
	in.stage = SV("9");
	in.day = SV("31");
	in.month = SV("2");
	in.year = SV("2022");
	field_errors_init(&fe);
	assert_int_equal(learning_add(f->d, f->a, &f->lead, f->programme, &in, &fe, NULL),
			 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "stage"));
	assert_non_null(field_error_get(&fe, "happened"));
	assert_non_null(field_error_get(&fe, "what_happened"));
	assert_non_null(field_error_get(&fe, "what_learned"));

	in.stage = SV("3");
	in.day = SV("15");
	in.month = SV("2");
	in.what_happened = SV("We talked about money");
	in.what_learned = SV("Our words kept people out");
	in.noticed[NOTICED_LANGUAGE] = true;
	snprintf(other, sizeof(other), "session:%lld", (long long)f->other_session);
	in.about = sv_from(other);
	field_errors_init(&fe);
	assert_int_equal(learning_add(f->d, f->a, &f->lead, f->programme, &in, &fe, NULL),
			 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "about"));
	snprintf(mine, sizeof(mine), "session:%lld", (long long)f->session);
	in.about = sv_from(mine);
	field_errors_init(&fe);
	assert_int_equal(learning_add(f->d, f->a, &f->lead, f->programme, &in, &fe, &id), DOMAIN_OK);
	assert_int_equal(learning_list(f->d, f->a, f->programme, NULL, NULL, &list, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].happened_on, "2022-02-15");
	assert_true(list[0].noticed[NOTICED_LANGUAGE]);
	assert_false(list[0].noticed[NOTICED_SHIFT]);
	assert_string_equal(list[0].about_label, "Session: Young adults group, First session, 1 February 2022");
	assert_string_equal(list[0].created_by_name, "Pat Lead");
	assert_int_equal(learning_list(f->d, f->a, f->programme, "2022-03-01", NULL, &list, &n),
			 DOMAIN_OK);
	assert_int_equal(n, 0);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE entity = 'learning_entry'"),
			 1);
	assert_int_equal(learning_about_options(f->d, f->a, f->programme, &about, &n), DOMAIN_OK);
	assert_int_equal(n, 2); /* the session and the decision */
	assert_string_equal(about[0].label, "Session: Young adults group, First session, 1 February 2022");

	/* Only sessions that have taken place, newest first, with the day in words: one still
	 * planned for the future is not offered; a past one not yet marked held is. */
	insert(f->d, "INSERT INTO group_sessions (group_id, title, starts_at, ends_at, status, uid,"
		     " created_at, updated_at) VALUES (1, 'Young adults group', '2199-01-05T18:00',"
		     " '2199-01-05T20:00', 'planned', 'u-future', 'x', 'x')");
	insert(f->d, "INSERT INTO group_sessions (group_id, title, starts_at, ends_at, status, uid,"
		     " created_at, updated_at) VALUES (1, 'Young adults group', '2022-03-15T18:00',"
		     " '2022-03-15T20:00', 'planned', 'u-past', 'x', 'x')");
	assert_int_equal(learning_about_options(f->d, f->a, f->programme, &about, &n), DOMAIN_OK);
	assert_int_equal(n, 3);
	assert_string_equal(about[0].label, "Session: Young adults group, 15 March 2022");
	assert_string_equal(about[1].label, "Session: Young adults group, First session, 1 February 2022");
	for (size_t i = 0; i < n; i++)
		assert_null(strstr(about[i].label, "2199"));
}

/* --- The demo ------------------------------------------------------------------------------ */

static void test_demo(void **state)
{
	struct fixture *f = *state;
	struct principle_result *res;
	struct ladder_dist dist;
	struct indicator *inds;
	size_t n;
	int64_t programme;
	char path[128];

	/* A fresh database for the whole demo. */
	db_close(f->d);
	snprintf(path, sizeof(path), "%s/demo.db", f->dir);
	assert_int_equal(db_open(path, &f->d), DB_OK);
	assert_int_equal(db_migrate(f->d, NULL, NULL), DB_OK);
	assert_int_equal(demo_load(f->d, f->a), DOMAIN_OK);
	if (count(f->d, "SELECT COUNT(*) FROM indicators") == 0) {
		assert_int_equal(db_begin(f->d), DB_OK);
		assert_int_equal(demo_load_evidence(f->d, f->a), DOMAIN_OK);
		assert_int_equal(db_commit(f->d), DB_OK);
	}
	assert_int_equal(indicators_list(f->d, f->a, &inds, &n), DOMAIN_OK);
	assert_int_equal(n, 6);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM indicator_values WHERE illustrative = 0"),
			 0);
	assert_int_equal(count(f->d, "SELECT COUNT(DISTINCT indicator_id) FROM"
				     " indicator_priority_areas"),
			 6);
	programme = count(f->d, "SELECT id FROM programmes WHERE slug = 'young-adults'");
	assert_int_equal(principle_results(f->d, f->a, programme, NULL, NULL, &res, &n), DOMAIN_OK);
	assert_int_equal(n, 3); /* and one open now, not answered yet */
	assert_false(res[2].shown[SIDE_LOCAL]);
	assert_string_equal(res[0].round.period_label, "2022 H1");
	assert_true(res[0].shown[SIDE_LOCAL]);
	assert_true(res[0].shown[SIDE_PROFESSIONAL]);
	assert_true(res[0].gap_shown);
	assert_string_equal(res[1].round.period_label, "2022 H2");
	assert_true(res[1].shown[SIDE_LOCAL]);
	assert_false(res[1].shown[SIDE_PROFESSIONAL]);
	/* Sessions: enough ratings on each side to show; stages: too few. */
	assert_int_equal(ladder_distribution(f->d, programme, LADDER_SESSION, 0, NULL, NULL, &dist),
			 DOMAIN_OK);
	assert_false(dist.total[SIDE_LOCAL].suppressed);
	assert_false(dist.total[SIDE_PROFESSIONAL].suppressed);
	assert_int_equal(ladder_distribution(f->d, programme, LADDER_STAGE, 0, NULL, NULL, &dist),
			 DOMAIN_OK);
	assert_true(dist.n_ratings > 0);
	assert_true(dist.total[SIDE_LOCAL].suppressed);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM learning_entries"), 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_milli),
		cmocka_unit_test_setup_teardown(test_indicator_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_indicator_update, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_bad_lines_apply_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reimport_replaces_and_is_audited, setup, teardown),
		cmocka_unit_test_setup_teardown(test_series_and_summary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ladder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_principles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_principles_gap_and_closed_round, setup, teardown),
		cmocka_unit_test_setup_teardown(test_learning, setup, teardown),
		cmocka_unit_test_setup_teardown(test_demo, setup, teardown),
	};
	setenv("COPROD_TEST_FAST_HASH", "1", 1);
	password_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
