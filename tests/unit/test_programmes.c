/* test_programmes.c: programmes with their areas, six stages and equality impact
 * assessment, and priority statements with their history: what a programme lead sees
 * after each change, what is refused and why, and what the audit log keeps. */
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
#include "core/log.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/demo_programmes.h"
#include "domain/priorities.h"
#include "domain/programmes.h"

struct fixture {
	char dir[64];
	db *d;
	arena *a;
	struct audit_actor lead;
	int64_t areas[2];
};

static int64_t add_area(struct fixture *f, const char *slug, const char *name)
{
	struct priority_new p = {.slug = slug,
	                         .name = name,
	                         .original_framing = "Problem",
	                         .reframed_statement = "A positive statement",
	                         .summary = ""};
	int64_t id = 0;
	assert_int_equal(priorities_add(f->d, &f->lead, &p, &id), DB_OK);
	return id;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[128];
	snprintf(f->dir, sizeof(f->dir), "/tmp/coprod-test-programmes-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/coprod.db", f->dir);
	if (db_open(path, &f->d) != DB_OK || db_migrate(f->d, NULL, NULL) != DB_OK)
		return -1;
	f->a = arena_new(8 << 20);
	if (db_exec(f->d, "INSERT INTO accounts (display_name, role, created_at, updated_at) "
	                  "VALUES ('Pat Lead', 'programme_lead', 'x', 'x'); "
	                  "INSERT INTO accounts (display_name, role, created_at, updated_at) "
	                  "VALUES ('Lee Local', 'local_person', 'x', 'x')") != DB_OK)
		return -1;
	f->lead = (struct audit_actor){1, 0, NULL};
	f->areas[0] = add_area(f, "child-poverty", "Child poverty");
	f->areas[1] = add_area(f, "loneliness", "Loneliness");
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

static int64_t create(struct fixture *f, const char *slug, const int64_t *areas, size_t n,
                      bool published)
{
	struct programme_input in = {.slug = sv_from(slug),
	                             .name = SV("Young adults"),
	                             .summary = SV("What it is for"),
	                             .area_ids = areas,
	                             .n_areas = n,
	                             .lead_id = 1,
	                             .published = published};
	struct field_errors fe;
	int64_t id = 0;
	field_errors_init(&fe);
	assert_int_equal(programme_create(f->d, f->a, &f->lead, &in, &fe, &id), DOMAIN_OK);
	assert_true(id > 0);
	return id;
}

static struct date_fields dmy(const char *d, const char *m, const char *y)
{
	return (struct date_fields){sv_from(d), sv_from(m), sv_from(y)};
}

static void test_create_and_read(void **state)
{
	struct fixture *f = *state;
	struct programme p;
	int64_t id = create(f, "young-adults", f->areas, 2, true);

	assert_int_equal(programme_get_by_slug(f->d, f->a, "young-adults", &p), DOMAIN_OK);
	assert_int_equal(p.id, id);
	assert_string_equal(p.name, "Young adults");
	assert_string_equal(p.lead_name, "Pat Lead");
	assert_true(p.published);
	assert_int_equal(p.n_areas, 2);
	assert_string_equal(p.areas[0].slug, "child-poverty");
	assert_string_equal(p.areas[1].name, "Loneliness");
	/* All six stages exist, none started. */
	for (int i = 0; i < PROGRAMME_STAGES; i++) {
		assert_int_equal(p.stages[i].stage, i + 1);
		assert_int_equal(p.stages[i].status, STAGE_NOT_STARTED);
		assert_null(p.stages[i].planned_start);
	}
	assert_int_equal(p.current_stage, 0);
	assert_false(p.all_done);
	assert_int_equal(p.n_groups, 0);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE entity = 'programme' "
	                             "AND action = 'create' AND account_id = 1"),
	                 1);
	assert_int_equal(programme_get_by_slug(f->d, f->a, "nope", &p), DOMAIN_ENOTFOUND);
}

static void test_create_refuses_bad_input(void **state)
{
	struct fixture *f = *state;
	int64_t bogus[] = {999};
	struct programme_input in = {.slug = SV("Not A Slug"),
	                             .name = SV("  "),
	                             .summary = SV(""),
	                             .area_ids = bogus,
	                             .n_areas = 0,
	                             .lead_id = 2 /* a local person cannot lead */};
	struct field_errors fe;
	field_errors_init(&fe);
	assert_int_equal(programme_create(f->d, f->a, &f->lead, &in, &fe, NULL), DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "name"));
	assert_non_null(field_error_get(&fe, "slug"));
	assert_non_null(field_error_get(&fe, "summary"));
	assert_string_equal(field_error_get(&fe, "areas"), "Choose at least one priority area");
	assert_string_equal(field_error_get(&fe, "lead_id"), "Choose a lead from the list");
	/* The errors come in the order of the form. */
	assert_string_equal(fe.items[0].field, "name");
	assert_string_equal(fe.items[1].field, "slug");

	field_errors_init(&fe);
	in = (struct programme_input){.slug = SV("new"),
	                              .name = SV("X"),
	                              .summary = SV("Y"),
	                              .area_ids = bogus,
	                              .n_areas = 1};
	assert_int_equal(programme_create(f->d, f->a, &f->lead, &in, &fe, NULL), DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "slug")); /* "new" is a page, not a programme */
	assert_string_equal(field_error_get(&fe, "areas"), "Choose priority areas from the list");
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM programmes"), 0);
}

static void test_taken_slug_and_update(void **state)
{
	struct fixture *f = *state;
	int64_t a = create(f, "first", f->areas, 1, true),
	        b = create(f, "second", f->areas, 1, true);
	struct programme_input in = {.slug = SV("first"),
	                             .name = SV("Renamed"),
	                             .summary = SV("New summary"),
	                             .area_ids = &f->areas[1],
	                             .n_areas = 1,
	                             .lead_id = 0,
	                             .published = false};
	struct field_errors fe;
	struct programme p;
	(void)a;
	field_errors_init(&fe);
	assert_int_equal(programme_update(f->d, f->a, &f->lead, b, &in, &fe), DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "slug"),
	                    "Another programme already uses this web address name");

	field_errors_init(&fe);
	in.slug = SV("second-renamed");
	assert_int_equal(programme_update(f->d, f->a, &f->lead, b, &in, &fe), DOMAIN_OK);
	assert_int_equal(programme_get(f->d, f->a, b, &p), DOMAIN_OK);
	assert_string_equal(p.slug, "second-renamed");
	assert_string_equal(p.name, "Renamed");
	assert_false(p.published);
	assert_null(p.lead_name);
	assert_int_equal(p.n_areas, 1);
	assert_string_equal(p.areas[0].slug, "loneliness");
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE entity = 'programme' "
	                             "AND action = 'update' AND before_json LIKE '%\"second\"%' "
	                             "AND after_json LIKE '%second-renamed%'"),
	                 1);
	assert_int_equal(programme_update(f->d, f->a, &f->lead, 999, &in, &fe), DOMAIN_ENOTFOUND);
}

static void test_list_filters(void **state)
{
	struct fixture *f = *state;
	struct programme_filter pub = {.published_only = true};
	struct programme_filter area = {.area_id = 0};
	struct programme *items;
	size_t n;
	create(f, "both", f->areas, 2, true);
	create(f, "hidden", &f->areas[1], 1, false);

	assert_int_equal(programmes_list(f->d, f->a, NULL, &items, &n), DOMAIN_OK);
	assert_int_equal(n, 2);
	assert_int_equal(programmes_list(f->d, f->a, &pub, &items, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].slug, "both");
	area.area_id = f->areas[0];
	assert_int_equal(programmes_list(f->d, f->a, &area, &items, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].slug, "both");
	area.area_id = f->areas[1];
	assert_int_equal(programmes_list(f->d, f->a, &area, &items, &n), DOMAIN_OK);
	assert_int_equal(n, 2);
}

static void test_stage_dates_and_current_stage(void **state)
{
	struct fixture *f = *state;
	int64_t id = create(f, "journey", f->areas, 1, true);
	struct field_errors fe;
	struct programme p;
	struct stage_input done = {.status = SV("done"),
	                           .planned_start = dmy("1", "9", "2021"),
	                           .planned_end = dmy("31", "10", "2021"),
	                           .actual_start = dmy("6", "9", "2021"),
	                           .actual_end = dmy("29", "10", "2021"),
	                           .success = SV("  People use the statement  ")};
	struct stage_input now = {.status = SV("in_progress"),
	                          .actual_start = dmy("7", "12", "2021")};

	field_errors_init(&fe);
	assert_int_equal(programme_stage_save(f->d, f->a, &f->lead, id, 1, &done, &fe), DOMAIN_OK);
	assert_int_equal(programme_stage_save(f->d, f->a, &f->lead, id, 3, &now, &fe), DOMAIN_OK);
	assert_int_equal(programme_get(f->d, f->a, id, &p), DOMAIN_OK);
	assert_int_equal(p.stages[0].status, STAGE_DONE);
	assert_string_equal(p.stages[0].planned_start, "2021-09-01");
	assert_string_equal(p.stages[0].actual_end, "2021-10-29");
	assert_string_equal(p.stages[0].success, "People use the statement");
	assert_int_equal(p.current_stage, 3);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE action = "
	                             "'update_stage' AND after_json LIKE '%2021-09-01%'"),
	                 1);

	/* An end before its start is refused, with the stage as it was. */
	done.planned_end = dmy("1", "8", "2021");
	done.actual_end = dmy("1", "1", "2021");
	field_errors_init(&fe);
	assert_int_equal(programme_stage_save(f->d, f->a, &f->lead, id, 1, &done, &fe),
	                 DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "planned_end"),
	                    "The planned end date must be the same as or after the planned start "
	                    "date");
	assert_string_equal(field_error_get(&fe, "actual_end"),
	                    "The date it finished must be the same as or after the date it "
	                    "started");
	assert_int_equal(programme_get(f->d, f->a, id, &p), DOMAIN_OK);
	assert_string_equal(p.stages[0].planned_end, "2021-10-31");

	/* Half a date, a date that does not exist, an unknown status. */
	{
		struct stage_input bad = {.status = SV("finished"),
		                          .planned_start = dmy("", "9", "2021"),
		                          .planned_end = dmy("31", "2", "2022")};
		field_errors_init(&fe);
		assert_int_equal(programme_stage_save(f->d, f->a, &f->lead, id, 2, &bad, &fe),
		                 DOMAIN_EINVALID);
		assert_string_equal(field_error_get(&fe, "status"), "Choose where this stage is");
		assert_string_equal(field_error_get(&fe, "planned_start"),
		                    "The planned start date must include a day, month and year");
		assert_string_equal(field_error_get(&fe, "planned_end"),
		                    "The planned end date must be a real date");
	}
	/* A finish date on a stage that is still in progress. */
	{
		struct stage_input odd = {.status = SV("in_progress"),
		                          .actual_start = dmy("1", "1", "2022"),
		                          .actual_end = dmy("2", "1", "2022")};
		field_errors_init(&fe);
		assert_int_equal(programme_stage_save(f->d, f->a, &f->lead, id, 2, &odd, &fe),
		                 DOMAIN_EINVALID);
		assert_non_null(field_error_get(&fe, "actual_end"));
	}
	assert_int_equal(programme_stage_save(f->d, f->a, &f->lead, id, 7, &now, &fe),
	                 DOMAIN_ENOTFOUND);
	assert_int_equal(programme_stage_save(f->d, f->a, &f->lead, 999, 1, &now, &fe),
	                 DOMAIN_ENOTFOUND);
}

static void test_all_done(void **state)
{
	struct fixture *f = *state;
	int64_t id = create(f, "complete", f->areas, 1, true);
	struct stage_input done = {.status = SV("done")};
	struct field_errors fe;
	struct programme p;
	field_errors_init(&fe);
	for (int s = 1; s <= PROGRAMME_STAGES; s++)
		assert_int_equal(programme_stage_save(f->d, f->a, &f->lead, id, s, &done, &fe),
		                 DOMAIN_OK);
	assert_int_equal(programme_get(f->d, f->a, id, &p), DOMAIN_OK);
	assert_int_equal(p.current_stage, 0);
	assert_true(p.all_done);
}

static void test_equality_assessment(void **state)
{
	struct fixture *f = *state;
	int64_t id = create(f, "fair", f->areas, 1, true);
	struct programme_eia eia;
	struct field_errors fe;
	struct eia_input in = {.who_affected = SV("Young carers"),
	                       .how_affected = SV("Evening sessions clash with caring"),
	                       .mitigations = SV("Daytime sessions"),
	                       .reviewer_name = SV("Sam Reviewer"),
	                       .assessed_on = dmy("15", "10", "2021"),
	                       .review_on = dmy("14", "10", "2021")};

	assert_int_equal(programme_eia_get(f->d, f->a, id, &eia), DOMAIN_ENOTFOUND);
	field_errors_init(&fe);
	assert_int_equal(programme_eia_save(f->d, f->a, &f->lead, id, &in, &fe), DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "review_on"),
	                    "The review date must be the same as or after the date of the "
	                    "assessment");

	in.review_on = dmy("15", "10", "2022");
	field_errors_init(&fe);
	assert_int_equal(programme_eia_save(f->d, f->a, &f->lead, id, &in, &fe), DOMAIN_OK);
	in.mitigations = SV("Daytime sessions and paid respite care");
	assert_int_equal(programme_eia_save(f->d, f->a, &f->lead, id, &in, &fe), DOMAIN_OK);
	assert_int_equal(programme_eia_get(f->d, f->a, id, &eia), DOMAIN_OK);
	assert_string_equal(eia.mitigations, "Daytime sessions and paid respite care");
	assert_string_equal(eia.assessed_on, "2021-10-15");
	assert_string_equal(eia.review_on, "2022-10-15");
	assert_string_equal(eia.updated_by_name, "Pat Lead");
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM equality_impact_assessments"), 1);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE action = 'update_eia' "
	                             "AND before_json LIKE '%Daytime sessions\"%'"),
	                 1);

	{
		struct eia_input empty = {0};
		field_errors_init(&fe);
		assert_int_equal(programme_eia_save(f->d, f->a, &f->lead, id, &empty, &fe),
		                 DOMAIN_EINVALID);
		assert_int_equal(fe.n, 6);
		assert_string_equal(field_error_get(&fe, "assessed_on"),
		                    "Enter the date of the assessment");
	}
	assert_int_equal(programme_eia_save(f->d, f->a, &f->lead, 999, &in, &fe), DOMAIN_ENOTFOUND);
}

static void test_statement_history(void **state)
{
	struct fixture *f = *state;
	struct priority_statement_change *changes;
	struct priority_area area;
	struct field_errors fe;
	size_t n;

	field_errors_init(&fe);
	assert_int_equal(priorities_statement_update(f->d, f->a, &f->lead, f->areas[0],
	                                             SV("A positive statement"), &fe),
	                 DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "reframed_statement"),
	                    "The statement is the same as now. Change it, or go back");
	field_errors_init(&fe);
	assert_int_equal(
	    priorities_statement_update(f->d, f->a, &f->lead, f->areas[0], SV(" "), &fe),
	    DOMAIN_EINVALID);

	field_errors_init(&fe);
	assert_int_equal(priorities_statement_update(f->d, f->a, &f->lead, f->areas[0],
	                                             SV("Every child grows up with enough"), &fe),
	                 DOMAIN_OK);
	assert_int_equal(priorities_statement_update(f->d, f->a, &f->lead, f->areas[0],
	                                             SV("Every child in Salford has enough"), &fe),
	                 DOMAIN_OK);
	assert_int_equal(priorities_get_by_slug(f->d, f->a, "child-poverty", &area), DB_OK);
	assert_string_equal(area.reframed_statement, "Every child in Salford has enough");
	assert_int_equal(priorities_statement_history(f->d, f->a, f->areas[0], &changes, &n),
	                 DB_OK);
	assert_int_equal(n, 2);
	/* Newest first: the statement replaced last. */
	assert_string_equal(changes[0].statement, "Every child grows up with enough");
	assert_string_equal(changes[1].statement, "A positive statement");
	assert_string_equal(changes[0].changed_by_name, "Pat Lead");
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE action = "
	                             "'update_statement'"),
	                 2);
	assert_int_equal(priorities_statement_history(f->d, f->a, f->areas[1], &changes, &n),
	                 DB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(priorities_statement_update(f->d, f->a, &f->lead, 999, SV("x"), &fe),
	                 DOMAIN_ENOTFOUND);
}

/* The demo's programmes pass the same checks as anyone's, inside one transaction. */
static void test_demo_programmes(void **state)
{
	struct fixture *f = *state;
	struct programme p;
	struct programme_eia eia;
	add_area(f, "climate-change", "Climate change");
	add_area(f, "loneliness-and-social-isolation", "Loneliness and social isolation");
	add_area(f, "suicide-prevention", "Suicide prevention");
	assert_int_equal(db_exec(f->d,
	                         "INSERT INTO accounts (email, display_name, role, "
	                         "created_at, updated_at) VALUES ('programme.lead@example.org', "
	                         "'Demo Lead', 'programme_lead', 'x', 'x')"),
	                 DB_OK);
	assert_int_equal(db_begin(f->d), DB_OK);
	assert_int_equal(demo_load_programmes(f->d, f->a), DOMAIN_OK);
	assert_int_equal(db_commit(f->d), DB_OK);

	assert_int_equal(programme_get_by_slug(f->d, f->a, DEMO_PROGRAMME_YOUNG_ADULTS, &p),
	                 DOMAIN_OK);
	assert_string_equal(p.name, "Young adults co-production");
	assert_int_equal(p.n_areas, 4);
	assert_string_equal(p.lead_name, "Demo Lead");
	assert_int_equal(p.current_stage, 6);
	assert_string_equal(p.stages[2].actual_start, "2021-12-07");
	assert_string_equal(p.stages[4].actual_end, "2022-11-15");
	assert_int_equal(programme_eia_get(f->d, f->a, p.id, &eia), DOMAIN_OK);
	assert_int_equal(programme_get_by_slug(f->d, f->a, DEMO_PROGRAMME_OLDER_PEOPLE, &p),
	                 DOMAIN_OK);
	assert_int_equal(p.current_stage, 2);
	assert_int_equal(p.n_areas, 1);
	assert_string_equal(p.areas[0].slug, "loneliness-and-social-isolation");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_create_and_read, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_create_refuses_bad_input, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_taken_slug_and_update, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_list_filters, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stage_dates_and_current_stage, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_all_done, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_equality_assessment, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_statement_history, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_demo_programmes, setup, teardown),
	};
	log_set_level(LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
