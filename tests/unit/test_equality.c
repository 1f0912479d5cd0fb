/* test_equality.c: equality monitoring kept apart (answers, consent, withdrawal, a lead's
 * audited view, selection values) and the disclosed participants-against-population
 * figures with the population and postcode imports. */
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
#include "domain/equality.h"
#include "domain/population.h"

struct fixture {
	char dir[64];
	db *d;
	arena *a;
	struct audit_actor lead, person;
	int64_t programme;
};

/* A volunteer with reference REF at STAGE; returns their id. */
static int64_t volunteer(struct fixture *f, const char *ref, const char *stage)
{
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "INSERT INTO volunteers (programme_id, name, consent_version, consent_at, stage,"
		 " left_reason, stage_changed_at, monitoring_ref, created_at, updated_at)"
		 " VALUES (%lld, 'Demo Person', 'v1', 'x', '%s', %s, 'x', '%s', 'x', 'x')",
		 (long long)f->programme, stage, strcmp(stage, "left") == 0 ? "'moved'" : "NULL",
		 ref);
	return insert(f->d, sql);
}

static void answer(struct fixture *f, const char *ref, const char *cat, const char *value,
		   bool lead_view)
{
	struct equality_answer ans[1] = {{cat, value}};
	assert_int_equal(equality_answers_save(f->d, f->a, &f->person, f->programme, ref, ans, 1,
					       NULL, lead_view, NULL),
			 DOMAIN_OK);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[128];
	snprintf(f->dir, sizeof(f->dir), "/tmp/coprod-test-equality-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/coprod.db", f->dir);
	if (db_open(path, &f->d) != DB_OK || db_migrate(f->d, NULL, NULL) != DB_OK)
		return -1;
	f->a = arena_new(16 << 20);
	f->lead.account_id = insert(f->d, "INSERT INTO accounts (display_name, role, created_at,"
					  " updated_at) VALUES ('Pat Lead', 'programme_lead', 'x', 'x')");
	f->programme = insert(f->d, "INSERT INTO programmes (slug, name, summary, created_at,"
				    " updated_at) VALUES ('young-adults', 'Young adults', 's', 'x', 'x')");
	disclosure_set_threshold(10);
	*state = f;
	return 0;
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

static int64_t audit_count(struct fixture *f, const char *action)
{
	db_stmt *st = db_prepare(f->d, "SELECT COUNT(*) FROM audit_log WHERE action = ?");
	int64_t n;
	db_bind_text(st, 1, action);
	db_step(st);
	n = db_col_int(st, 0);
	db_done(st);
	return n;
}

static const struct diversity_row *row_of(const struct diversity_category *c, const char *v)
{
	for (size_t r = 0; r < c->n_rows; r++)
		if (strcmp(c->rows[r].value, v) == 0)
			return &c->rows[r];
	return NULL;
}

static void test_categories(void **state)
{
	size_t n, groups[5] = {0};
	const struct equality_category *cats = equality_categories(&n);
	const struct equality_category *eth = equality_category_find("ethnicity");
	static const char *const group_slugs[5] = {"asian", "black", "mixed", "white", "other"};
	(void)state;
	assert_int_equal(n, 10);
	assert_string_equal(cats[0].slug, "age_band");
	assert_non_null(eth);
	assert_int_equal(eth->n_values, 19);
	for (size_t i = 0; i < eth->n_values; i++)
		for (int g = 0; g < 5; g++)
			if (strcmp(eth->values[i].group, group_slugs[g]) == 0)
				groups[g]++;
	assert_int_equal(groups[0] + groups[1] + groups[2] + groups[3] + groups[4], 19);
	assert_int_equal(groups[3], 5); /* Roma is among the White categories since 2021 */
	assert_int_equal(equality_category_find("ethnic_group")->n_values, 5);
	assert_string_equal(equality_disability_from("yes", "a_little"), "disabled_a_little");
	assert_string_equal(equality_disability_from("no", NULL), "not_disabled");
	assert_string_equal(equality_disability_from("yes", ""), "");
	/* No long-term condition cannot limit daily life: refused, not saved as not disabled */
	assert_string_equal(equality_disability_from("no", "a_lot"), "");
	assert_string_equal(equality_disability_from("no", "a_little"), "");
	assert_string_equal(equality_disability_from("no", "not_at_all"), "not_disabled");
	assert_string_equal(equality_disability_from("no", ""), "not_disabled");
	assert_null(equality_disability_from("", NULL));
}

/* 3 people answered Pakistani and 12 White British: the 3 is never shown, 12 is shown
 * as 10, and shares come from the rounded counts. */
static void test_small_counts_suppressed(void **state)
{
	struct fixture *f = *state;
	struct diversity_category c;
	char ref[32];
	for (int i = 0; i < 15; i++) {
		snprintf(ref, sizeof(ref), "ref-%02d", i);
		volunteer(f, ref, "volunteered");
		answer(f, ref, "ethnicity", i < 3 ? "pakistani" : "white_british", false);
	}
	assert_int_equal(diversity_category(f->d, f->a, f->programme, "ethnicity", &c), DOMAIN_OK);
	assert_true(row_of(&c, "pakistani")->count[STAGE_VOLUNTEERED].suppressed);
	assert_false(row_of(&c, "white_british")->count[STAGE_VOLUNTEERED].suppressed);
	assert_int_equal(row_of(&c, "white_british")->count[STAGE_VOLUNTEERED].value, 10);
	assert_int_equal(c.totals[STAGE_VOLUNTEERED].value, 15);
	/* 10 of 15 = 66.7%, from the rounded figures */
	assert_int_equal(row_of(&c, "white_british")->share_ppm[STAGE_VOLUNTEERED], 666667);
	assert_false(row_of(&c, "pakistani")->has_share[STAGE_VOLUNTEERED]);
	/* The ethnic groups follow from ethnicity: 3 Asian, also suppressed. */
	assert_int_equal(diversity_category(f->d, f->a, f->programme, "ethnic_group", &c),
			 DOMAIN_OK);
	assert_true(row_of(&c, "asian")->count[STAGE_VOLUNTEERED].suppressed);
	assert_int_equal(row_of(&c, "white")->count[STAGE_VOLUNTEERED].value, 10);
}

/* When one cell alone is suppressed, the smallest other cell of the column goes too, so
 * the total minus the cells shown does not give it away. */
static void test_secondary_suppression(void **state)
{
	struct fixture *f = *state;
	struct diversity_category c;
	char ref[32];
	for (int i = 0; i < 40; i++) {
		snprintf(ref, sizeof(ref), "sec-%02d", i);
		volunteer(f, ref, "volunteered");
		answer(f, ref, "sex", i < 2 ? EQUALITY_PREFER_NOT : i < 14 ? "male" : "female", false);
	}
	assert_int_equal(diversity_category(f->d, f->a, f->programme, "sex", &c), DOMAIN_OK);
	/* female 26, male 12, prefer not 2 (the last row): 2 suppressed, so male goes too */
	assert_true(c.rows[2].count[STAGE_VOLUNTEERED].suppressed);
	assert_true(row_of(&c, "male")->count[STAGE_VOLUNTEERED].suppressed);
	assert_int_equal(row_of(&c, "female")->count[STAGE_VOLUNTEERED].value, 25);
	assert_int_equal(c.totals[STAGE_VOLUNTEERED].value, 40);
	/* Shares are of those who answered: 38 people, shown as 40; 25 of 40 = 62.5% */
	assert_int_equal(c.answered[STAGE_VOLUNTEERED].value, 40);
	assert_int_equal(row_of(&c, "female")->share_ppm[STAGE_VOLUNTEERED], 625000);
	assert_false(c.rows[2].has_share[STAGE_VOLUNTEERED]);
}

/* "Who are we leaving out?": the largest shown gap first, never a "no", with the
 * community assets that reach the group, at the stage asked for. */
static void test_leaving_out(void **state)
{
	struct fixture *f = *state;
	struct diversity_category cats[2];
	struct leaving_out *lo;
	struct import_result res;
	size_t n;
	char ref[32];
	const char *csv = "category,value,count,share,source,date\n"
			  "age_band,16_24,,20,Illustrative,2021\n"
			  "age_band,25_34,,30,Illustrative,2021\n"
			  "age_band,35_49,,50,Illustrative,2021\n"
			  "carer,yes,,10,Illustrative,2021\n"
			  "carer,no,,90,Illustrative,2021\n";
	for (int i = 0; i < 80; i++) {
		struct equality_answer ans[2] = {{"age_band", i < 70 ? "16_24" : "25_34"},
						 {"carer", i < 12 ? "yes" : "no"}};
		snprintf(ref, sizeof(ref), "lo-%02d", i);
		volunteer(f, ref, "volunteered");
		assert_int_equal(equality_answers_save(f->d, f->a, &f->person, f->programme, ref,
						       ans, 2, NULL, false, NULL),
				 DOMAIN_OK);
	}
	insert(f->d, "INSERT INTO assets (name, kind, who_they_reach, tags, created_at, updated_at)"
		     " VALUES ('Demo Club', 'group', 'Adults aged 25 to 34', '', 'x', 'x')");
	assert_int_equal(population_import(f->d, f->a, &f->lead, f->programme, sv_from(csv), true,
					   &res),
			 DOMAIN_OK);
	assert_int_equal(diversity_category(f->d, f->a, f->programme, "age_band", &cats[0]),
			 DOMAIN_OK);
	assert_int_equal(diversity_category(f->d, f->a, f->programme, "carer", &cats[1]), DOMAIN_OK);
	assert_int_equal(diversity_leaving_out(f->d, f->a, cats, 2, STAGE_VOLUNTEERED, &lo, &n),
			 DOMAIN_OK);
	/* 25 to 34: 10 of 80 = 12.5% against 30%, clear even at the edge of rounding (12 of
	 * 78). 35 to 49 is the largest group in the population and nobody answered it, so
	 * it is hidden and not compared; carers are over-represented and "no" is not a
	 * group to reach. */
	assert_int_equal(n, 1);
	assert_string_equal(lo[0].value_label, "25 to 34");
	assert_int_equal(lo[0].gap_ppm, 175000);
	assert_int_equal(lo[0].n_assets, 1);
	assert_string_equal(lo[0].assets[0].name, "Demo Club");
	/* Nobody has been selected yet: at that stage there is nothing to compare. */
	assert_int_equal(diversity_leaving_out(f->d, f->a, cats, 2, STAGE_SELECTED, &lo, &n),
			 DOMAIN_OK);
	assert_int_equal(n, 0);
}

/* 12 White British and 3 Pakistani volunteers against a population 80% White British:
 * shown as 10 of 15 (66.7%), the majority looks under-represented only because of
 * rounding and the hidden small cell. It is neither listed nor named in the summary's
 * rule; a clear gap at the edge of rounding is needed. */
static void test_leaving_out_not_majority(void **state)
{
	struct fixture *f = *state;
	struct diversity_category c;
	struct leaving_out *lo;
	struct import_result res;
	size_t n;
	char ref[32];
	const char *csv = "category,value,count,share,source,date\n"
			  "ethnicity,white_british,,80,Illustrative,2021\n"
			  "ethnicity,pakistani,,4,Illustrative,2021\n"
			  "ethnicity,african,,6,Illustrative,2021\n";
	for (int i = 0; i < 15; i++) {
		snprintf(ref, sizeof(ref), "maj-%02d", i);
		volunteer(f, ref, "volunteered");
		answer(f, ref, "ethnicity", i < 3 ? "pakistani" : "white_british", false);
	}
	assert_int_equal(population_import(f->d, f->a, &f->lead, f->programme, sv_from(csv), true,
					   &res),
			 DOMAIN_OK);
	assert_int_equal(diversity_category(f->d, f->a, f->programme, "ethnicity", &c), DOMAIN_OK);
	assert_true(row_of(&c, "white_british")->has_gap[STAGE_VOLUNTEERED]);
	assert_true(row_of(&c, "white_british")->gap_ppm[STAGE_VOLUNTEERED] < 0);
	assert_false(diversity_fairly_under(&c, row_of(&c, "white_british"), STAGE_VOLUNTEERED));
	assert_int_equal(diversity_leaving_out(f->d, f->a, &c, 1, STAGE_VOLUNTEERED, &lo, &n),
			 DOMAIN_OK);
	assert_int_equal(n, 0);
}

/* The link after volunteering saves once: a second save through it changes nothing, even
 * after the answers were withdrawn, and the first answers stay as they were. */
static void test_save_first(void **state)
{
	struct fixture *f = *state;
	struct equality_answer first[1] = {{"religion", "sikh"}};
	struct equality_answer second[1] = {{"religion", "christian"}};
	struct equality_own own;
	bool answered;
	volunteer(f, "once-1", "volunteered");
	assert_int_equal(equality_has_answered(f->d, "once-1", &answered), DOMAIN_OK);
	assert_false(answered);
	assert_int_equal(equality_answers_save_first(f->d, f->a, &f->person, f->programme,
						     "once-1", first, 1, NULL, false, NULL),
			 DOMAIN_OK);
	assert_int_equal(equality_has_answered(f->d, "once-1", &answered), DOMAIN_OK);
	assert_true(answered);
	assert_int_equal(equality_answers_save_first(f->d, f->a, &f->person, f->programme,
						     "once-1", second, 0, NULL, false, NULL),
			 DOMAIN_ECONFLICT);
	assert_int_equal(equality_answers_save_first(f->d, f->a, &f->person, f->programme,
						     "once-1", second, 1, NULL, true, NULL),
			 DOMAIN_ECONFLICT);
	assert_int_equal(equality_answers_own(f->d, f->a, "once-1", &own), DOMAIN_OK);
	assert_int_equal(own.n, 1);
	assert_string_equal(own.answers[0].value, "sikh");
	assert_false(own.lead_view);
	assert_int_equal(audit_count(f, "equality.answers"), 1);
	/* Withdrawn answers cannot be answered afresh through the link either. */
	assert_int_equal(equality_withdraw(f->d, f->a, &f->person, "once-1"), DOMAIN_OK);
	assert_int_equal(equality_answers_save_first(f->d, f->a, &f->person, f->programme,
						     "once-1", second, 1, NULL, false, NULL),
			 DOMAIN_ECONFLICT);
	/* Signed in, the person changes them as they like. */
	assert_int_equal(equality_answers_save(f->d, f->a, &f->person, f->programme, "once-1",
					       second, 1, NULL, false, NULL),
			 DOMAIN_OK);
}

static void test_stages(void **state)
{
	struct fixture *f = *state;
	struct equality_counts tc;
	int64_t acc = 0, grp, sess, v;
	char ref[32];
	for (int i = 0; i < 12; i++) {
		snprintf(ref, sizeof(ref), "st-%02d", i);
		v = volunteer(f, ref, i < 3 ? "active" : i < 5 ? "left" : "volunteered");
		answer(f, ref, "carer", "yes", false);
		if (i == 3) { /* left after being selected */
			char sql[200];
			snprintf(sql, sizeof(sql),
				 "INSERT INTO volunteer_stage_changes (volunteer_id, to_stage,"
				 " changed_at) VALUES (%lld, 'selected', 'x')",
				 (long long)v);
			insert(f->d, sql);
		}
		if (i == 0) {
			char sql[300];
			acc = insert(f->d, "INSERT INTO accounts (display_name, role, created_at,"
					   " updated_at) VALUES ('Demo P', 'local_person', 'x', 'x')");
			snprintf(sql, sizeof(sql), "UPDATE volunteers SET account_id = %lld WHERE id = %lld",
				 (long long)acc, (long long)v);
			insert(f->d, sql);
		}
	}
	grp = insert(f->d, "INSERT INTO working_groups (programme_id, name, created_at,"
			   " updated_at) VALUES (1, 'G', 'x', 'x')");
	assert_true(grp > 0);
	sess = insert(f->d, "INSERT INTO group_sessions (group_id, title, starts_at, ends_at,"
			    " uid, created_at, updated_at) VALUES (1, 'S', '2022-01-01T10:00',"
			    " '2022-01-01T12:00', 'u1', 'x', 'x')");
	assert_true(sess > 0);
	{
		char sql[200];
		snprintf(sql, sizeof(sql), "INSERT INTO attendance (session_id, account_id, status,"
					   " recorded_at) VALUES (%lld, %lld, 'present', 'x')",
			 (long long)sess, (long long)acc);
		insert(f->d, sql);
	}
	assert_int_equal(equality_counts(f->d, f->a, f->programme, equality_category_find("carer"),
					 &tc),
			 DOMAIN_OK);
	assert_int_equal(tc.counts[0][STAGE_VOLUNTEERED], 12);
	assert_int_equal(tc.counts[0][STAGE_SELECTED], 4);
	assert_int_equal(tc.counts[0][STAGE_ATTENDED], 1);
	assert_int_equal(tc.counts[0][STAGE_ACTIVE], 3);
}

/* Withdrawing deletes the answers, so the person leaves the figures; the audit has no
 * values in it. */
static void test_withdraw(void **state)
{
	struct fixture *f = *state;
	struct equality_counts tc;
	struct equality_own own;
	bool has;
	volunteer(f, "w-1", "volunteered");
	answer(f, "w-1", "religion", "jewish", true);
	assert_int_equal(equality_counts(f->d, f->a, f->programme,
					 equality_category_find("religion"), &tc),
			 DOMAIN_OK);
	assert_int_equal(tc.counts[4][STAGE_VOLUNTEERED], 1);
	assert_int_equal(equality_withdraw(f->d, f->a, &f->person, "w-1"), DOMAIN_OK);
	assert_int_equal(equality_counts(f->d, f->a, f->programme,
					 equality_category_find("religion"), &tc),
			 DOMAIN_OK);
	assert_int_equal(tc.counts[4][STAGE_VOLUNTEERED], 0);
	assert_int_equal(tc.counts[8][STAGE_VOLUNTEERED], 1); /* now "not answered" */
	assert_int_equal(equality_has_answers(f->d, "w-1", &has), DOMAIN_OK);
	assert_false(has);
	assert_int_equal(equality_answers_own(f->d, f->a, "w-1", &own), DOMAIN_OK);
	assert_int_equal(own.n, 0);
	assert_false(own.lead_view);
	assert_int_equal(audit_count(f, "equality.withdraw"), 1);
	{
		db_stmt *st = db_prepare(f->d, "SELECT COUNT(*) FROM audit_log WHERE"
					       " COALESCE(after_json, '') LIKE '%jewish%'");
		assert_non_null(st);
		db_step(st);
		assert_int_equal(db_col_int(st, 0), 0);
		db_done(st);
	}
}

/* A lead sees one person's answers only with that person's consent; each view is
 * audited. */
static void test_lead_view(void **state)
{
	struct fixture *f = *state;
	struct equality_own own;
	volunteer(f, "lv-1", "volunteered");
	volunteer(f, "lv-2", "volunteered");
	answer(f, "lv-1", "sexual_orientation", "bisexual", false);
	answer(f, "lv-2", "sexual_orientation", "straight", true);
	assert_int_equal(equality_answers_view(f->d, f->a, &f->lead, "lv-1", &own),
			 DOMAIN_EFORBIDDEN);
	assert_int_equal(own.n, 0);
	assert_int_equal(audit_count(f, "equality.view"), 0);
	assert_int_equal(equality_answers_view(f->d, f->a, &f->lead, "lv-2", &own), DOMAIN_OK);
	assert_int_equal(own.n, 1);
	assert_string_equal(own.answers[0].value, "straight");
	assert_int_equal(audit_count(f, "equality.view"), 1);
}

static void test_invalid_answer(void **state)
{
	struct fixture *f = *state;
	struct field_errors fe;
	struct equality_answer ans[2] = {{"sex", "female"}, {"ethnicity", "martian"}};
	bool has;
	field_errors_init(&fe);
	volunteer(f, "bad-1", "volunteered");
	assert_int_equal(equality_answers_save(f->d, f->a, &f->person, f->programme, "bad-1", ans,
					       2, NULL, false, &fe),
			 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "ethnicity"));
	assert_int_equal(equality_has_answers(f->d, "bad-1", &has), DOMAIN_OK);
	assert_false(has);
}

static void test_selection_values(void **state)
{
	struct fixture *f = *state;
	int64_t ids[3];
	const char *vals[3];
	ids[0] = volunteer(f, "sel-1", "volunteered");
	ids[1] = volunteer(f, "sel-2", "volunteered");
	ids[2] = volunteer(f, "sel-3", "volunteered");
	answer(f, "sel-1", "ethnicity", "roma", false);
	answer(f, "sel-2", "ethnicity", EQUALITY_PREFER_NOT, false);
	assert_int_equal(equality_selection_values(f->d, f->a, &f->lead, f->programme,
						   "ethnic_group", 3, ids, vals),
			 DOMAIN_OK);
	assert_string_equal(vals[0], "white");
	assert_null(vals[1]);
	assert_null(vals[2]);
	assert_int_equal(audit_count(f, "equality.selection_read"), 1);
}

/* Bad lines are reported by number and nothing is applied; a good file applies whole. */
static void test_population_import(void **state)
{
	struct fixture *f = *state;
	struct import_result res;
	struct population_summary sum;
	struct diversity_category c;
	const char *bad = "category,value,count,share,source,date\n"
			  "sex,female,500,,Census,2021\n"
			  "shoe_size,nine,5,,Census,2021\n"
			  "sex,male,-4,,Census,2021\n"
			  "religion,jewish,,120%,Census,2021\n"
			  "sex,female\n";
	const char *good = "category,value,count,share,source,date\n"
			   "sex,female,600,,Census 2021,2021-03-21\n"
			   "sex,male,400,,Census 2021,2021-03-21\n"
			   "religion,jewish,,2.5%,Census 2021,2021\n";
	assert_int_equal(population_import(f->d, f->a, &f->lead, f->programme, sv_from(bad), true,
					   &res),
			 DOMAIN_EINVALID);
	assert_int_equal(res.n_errors, 4);
	assert_int_equal(res.errors[0].line, 3);
	assert_non_null(strstr(res.errors[0].message, "shoe_size"));
	assert_int_equal(res.errors[1].line, 4);
	assert_int_equal(res.errors[2].line, 5);
	assert_non_null(strstr(res.errors[2].message, "100%"));
	assert_int_equal(res.errors[3].line, 6);
	assert_int_equal(population_summary(f->d, f->programme, &sum), DOMAIN_OK);
	assert_int_equal(sum.figures, 0);
	assert_int_equal(population_import(f->d, f->a, &f->lead, f->programme, sv_from("a,b\n1,2\n"),
					   true, &res),
			 DOMAIN_EINVALID);
	assert_int_equal(res.errors[0].line, 1);

	assert_int_equal(population_import(f->d, f->a, &f->lead, f->programme, sv_from(good), true,
					   &res),
			 DOMAIN_OK);
	assert_int_equal(res.applied, 3);
	assert_int_equal(population_summary(f->d, f->programme, &sum), DOMAIN_OK);
	assert_int_equal(sum.figures, 3);
	assert_true(sum.illustrative);
	assert_int_equal(diversity_category(f->d, f->a, f->programme, "sex", &c), DOMAIN_OK);
	assert_true(c.illustrative);
	assert_int_equal(row_of(&c, "female")->pop_share_ppm, 600000);
	assert_int_equal(diversity_category(f->d, f->a, f->programme, "religion", &c), DOMAIN_OK);
	assert_int_equal(row_of(&c, "jewish")->pop_share_ppm, 25000);
}

static void test_postcodes(void **state)
{
	struct fixture *f = *state;
	struct import_result res;
	struct equality_own own;
	char pc[9];
	struct equality_answer ans[1] = {{"sex", "male"}};
	assert_true(postcode_normalise("m65ab", pc));
	assert_string_equal(pc, "M6 5AB");
	assert_false(postcode_normalise("not a postcode", pc));
	assert_int_equal(postcode_import(f->d, f->a, &f->lead, f->programme,
					 sv_from("postcode,decile\nM6 5AB,1\nM7 1XX,11\n"), &res),
			 DOMAIN_EINVALID);
	assert_int_equal(res.n_errors, 1);
	assert_int_equal(res.errors[0].line, 3);
	assert_int_equal(postcode_import(f->d, f->a, &f->lead, f->programme,
					 sv_from("postcode,decile\nM6 5AB,1\nM7 1AA,2\nm65ab,3\n"), &res),
			 DOMAIN_EINVALID);
	assert_int_equal(res.n_errors, 1);
	assert_int_equal(res.errors[0].line, 4);
	assert_non_null(strstr(res.errors[0].message, "already on line 2"));
	assert_int_equal(postcode_import(f->d, f->a, &f->lead, f->programme,
					 sv_from("postcode,decile\nM6 5AB,1\nm30 0aa,10\n"), &res),
			 DOMAIN_OK);
	volunteer(f, "pc-1", "volunteered");
	assert_int_equal(equality_answers_save(f->d, f->a, &f->person, f->programme, "pc-1", ans, 1,
					       "m30 0AA", false, NULL),
			 DOMAIN_OK);
	assert_int_equal(equality_answers_own(f->d, f->a, "pc-1", &own), DOMAIN_OK);
	assert_int_equal(own.n, 2);
	assert_string_equal(own.answers[0].category, "deprivation_decile");
	assert_string_equal(own.answers[0].value, "10");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_categories),
	    cmocka_unit_test_setup_teardown(test_small_counts_suppressed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_secondary_suppression, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_leaving_out, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_leaving_out_not_majority, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_save_first, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stages, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_withdraw, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_lead_view, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_invalid_answer, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_selection_values, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_population_import, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_postcodes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
