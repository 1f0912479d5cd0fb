/* test_panels.c: fair selection of panels: proposed quotas, refusals a lead sees beside
 * the field, the whole flow on a small pool (chances, the published lottery and its
 * hash, the draw, a replacement), impossible quotas with their smallest relaxation, and
 * who may see a panel; the respondents file keeping the answers of people who did not
 * agree to a lead seeing them, possible duplicates kept out of pools, proposed quotas
 * that do not give away the pool's answers (nor how many gave them, in a proposed minimum
 * or a relaxation), dice-only public numbers, and the draw's date and place: checked,
 * required to publish, moved only before the draw and said so; the draw not made before
 * its time nor while the pool may hold someone twice, its time in Salford's clock, and
 * times typed the usual UK ways. */
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
#include "domain/access.h"
#include "domain/accounts.h"
#include "domain/equality.h"
#include "domain/demo_panels.h"
#include "domain/panels.h"
#include "domain/sortition.h"

struct fixture {
	char dir[64];
	db *d;
	arena *a;
	struct audit_actor lead;
	int64_t programme;
	int64_t vol[20];
};

static int64_t int_query(db *d, const char *sql, int64_t id)
{
	db_stmt *s = db_prepare(d, sql);
	int64_t v = -1;
	assert_non_null(s);
	db_bind_int(s, 1, id);
	if (db_step(s) == DB_ROW)
		v = db_col_int(s, 0);
	db_done(s);
	return v;
}

/* 20 volunteers: 10 aged 16 to 24, 6 aged 25 to 34, 4 who did not answer. */
static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[128], sql[512];
	snprintf(f->dir, sizeof(f->dir), "/tmp/coprod-test-panels-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/coprod.db", f->dir);
	if (db_open(path, &f->d) != DB_OK || db_migrate(f->d, NULL, NULL) != DB_OK)
		return -1;
	f->a = arena_new(64 << 20);
	f->lead.account_id = insert(f->d, "INSERT INTO accounts (display_name, role, created_at,"
					  " updated_at) VALUES ('Pat Lead', 'programme_lead', 'x', 'x')");
	f->programme = insert(f->d, "INSERT INTO programmes (slug, name, summary, created_at,"
				    " updated_at) VALUES ('young-adults', 'Young adults', 's', 'x', 'x')");
	for (int i = 0; i < 20; i++) {
		snprintf(sql, sizeof(sql),
			 "INSERT INTO volunteers (programme_id, name, consent_version, consent_at, "
			 "stage, stage_changed_at, monitoring_ref, household_key, created_at, "
			 "updated_at) VALUES (%lld, 'Demo Person %02d', 'v1', 'x', 'volunteered', 'x', "
			 "'ref%02d', 'house%02d', 'x', 'x')",
			 (long long)f->programme, i, i, i);
		f->vol[i] = insert(f->d, sql);
		if (i < 16) {
			snprintf(sql, sizeof(sql),
				 "INSERT INTO equality_answers (monitoring_ref, category, value, "
				 "answered_at) VALUES ('ref%02d', 'age_band', '%s', 'x')",
				 i, i < 10 ? "16_24" : "25_34");
			insert(f->d, sql);
		}
	}
	snprintf(sql, sizeof(sql),
		 "INSERT INTO population_figures (programme_id, category, value, count, imported_at) "
		 "VALUES (%lld, 'age_band', '16_24', 300, 'x'), (%lld, 'age_band', '25_34', 600, 'x'), "
		 "(%lld, 'age_band', '35_44', 100, 'x')",
		 (long long)f->programme, (long long)f->programme, (long long)f->programme);
	insert(f->d, sql);
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

static int64_t new_panel(struct fixture *f, const char *places)
{
	struct field_errors fe;
	int64_t id = 0;
	field_errors_init(&fe);
	assert_int_equal(panel_create(f->d, f->a, &f->lead, f->programme, "Young adults panel",
				      places, false, &fe, &id),
			 DOMAIN_OK);
	return id;
}

/* A draw planned at a meeting long after any test runs. */
static const struct panel_draw_plan future_plan = {"7", "3", "2099", "18:30",
						   "Swinton Gateway, Chorley Road", NULL, NULL};

/* The planned time of panel ID's draw has come: the meeting is now. */
static void draw_due(struct fixture *f, int64_t id)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "UPDATE panels SET draw_at = '2020-01-01T10:00' WHERE id = %lld",
		 (long long)id);
	assert_int_equal(db_exec(f->d, sql), DB_OK);
}

/* Publishes the lottery with the draw planned for the future, then lets that time come
 * (a draw before it is refused). */
static int publish(struct fixture *f, int64_t id)
{
	int rc = panel_publish(f->d, f->a, &f->lead, id, &future_plan, NULL);
	if (rc == DOMAIN_OK)
		draw_due(f, id);
	return rc;
}

static const struct panel_quota *quota(const struct panel_quota *q, size_t n, const char *v)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(q[i].value, v) == 0)
			return &q[i];
	return NULL;
}

/* Shares x 6 places: 16-24 is 1.8 people (1 to 2), 25-34 is 3.6 (3 to 4); every other
 * age band gets a row too, whether or not anyone in the pool gave it, without bounds
 * (no population figure); "not said" is unbounded. */
static void test_propose(void **state)
{
	struct fixture *f = *state;
	int64_t id = new_panel(f, "6");
	struct panel_quota *q;
	size_t n;
	struct panel p;
	assert_int_equal(panel_get(f->d, f->a, id, &p), DOMAIN_OK);
	assert_int_equal((int)p.pool_size, 20);
	assert_int_equal(panel_quotas_propose(f->d, f->a, &f->lead, id, "age_band", &q, &n),
			 DOMAIN_OK);
	assert_int_equal((int)n, 7);
	assert_int_equal(quota(q, n, "under_16")->min, 0);
	assert_int_equal(quota(q, n, "under_16")->max, 6);
	assert_int_equal(quota(q, n, "16_24")->min, 1);
	assert_int_equal(quota(q, n, "16_24")->max, 2);
	assert_int_equal(quota(q, n, "25_34")->min, 3);
	assert_int_equal(quota(q, n, "25_34")->max, 4);
	assert_int_equal(quota(q, n, PANEL_NOT_SAID)->min, 0);
	assert_int_equal(quota(q, n, PANEL_NOT_SAID)->max, 6);
	assert_null(quota(q, n, "35_44"));

	/* A tiny group is lifted to 1; a minimum never asks for more than the pool has. */
	assert_int_equal(panel_quotas_propose(f->d, f->a, &f->lead, id, "role", &q, &n),
			 DOMAIN_OK);
	assert_int_equal(quota(q, n, PANEL_ROLE_LIVED)->min, 3);
	assert_int_equal(quota(q, n, PANEL_ROLE_PROFESSIONAL)->max, 3);
}

/* Refusals, each beside its field. */
static void test_refusals(void **state)
{
	struct fixture *f = *state;
	int64_t id = new_panel(f, "6");
	struct field_errors fe;
	/* quota order: under_16, 16_24, 25_34, 35_49, 50_64, 65_plus, not said */
	const char *mins[7] = {"3", "-1", "0", "0", "0", "0", "0"};
	const char *maxs[7] = {"2", "4", "6", "6", "6", "6", "6"};
	const char *big_mins[7] = {"4", "4", "0", "0", "0", "0", "0"};
	const char *ok_max[7] = {"6", "6", "6", "6", "6", "6", "6"};

	field_errors_init(&fe);
	assert_int_equal(panel_update(f->d, f->a, &f->lead, id, "Young adults panel", "21", false,
				      &fe),
			 DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "places"),
			    "Number of places must be no more than the 20 people in the pool");

	field_errors_init(&fe);
	assert_int_equal(panel_create(f->d, f->a, &f->lead, f->programme, "Too big", "21", false,
				      &fe, NULL),
			 DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "places"),
			    "Number of places must be no more than the 20 people waiting to take "
			    "part");

	field_errors_init(&fe);
	assert_int_equal(panel_create(f->d, f->a, &f->lead, f->programme, "", "x", false, &fe, NULL),
			 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "name"));
	assert_string_equal(field_error_get(&fe, "places"),
			    "Number of places must be a whole number, like 12");

	field_errors_init(&fe);
	assert_int_equal(panel_category_add(f->d, f->a, &f->lead, id, "age_band", &fe), DOMAIN_OK);
	field_errors_init(&fe);
	assert_int_equal(panel_category_add(f->d, f->a, &f->lead, id, "shoe_size", &fe),
			 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "category"));

	field_errors_init(&fe);
	assert_int_equal(panel_quotas_save(f->d, f->a, &f->lead, id, mins, maxs, 7, &fe),
			 DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "min-0"),
			    "Minimum must not be more than the maximum");
	assert_string_equal(field_error_get(&fe, "min-1"), "Enter a number that is 0 or more");

	field_errors_init(&fe);
	assert_int_equal(panel_quotas_save(f->d, f->a, &f->lead, id, big_mins, ok_max, 7, &fe),
			 DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "min-0"),
			    "The minimums for Age add up to 8, more than the 6 places");
}

/* The whole flow on a small pool. */
static void test_flow(void **state)
{
	struct fixture *f = *state;
	int64_t id = new_panel(f, "6"), sum = 0;
	struct field_errors fe;
	struct panel_compute_outcome co;
	struct panel p;
	struct panel_member *m;
	size_t n, lines = 0;
	char *text, hash[65];
	int open = -1, chosen = 0, selected = 0;

	field_errors_init(&fe);
	assert_int_equal(panel_category_add(f->d, f->a, &f->lead, id, "age_band", &fe), DOMAIN_OK);
	assert_int_equal(panel_compute(f->d, f->a, &f->lead, id, &co), DOMAIN_OK);
	assert_int_equal(panel_get(f->d, f->a, id, &p), DOMAIN_OK);
	assert_int_equal(p.status, PANEL_COMPUTED);
	assert_true(p.min_ppb > 0);
	assert_true(p.legacy_min_ppb >= 0);
	assert_int_equal(panel_pool_list(f->d, f->a, id, &m, &n), DOMAIN_OK);
	assert_int_equal((int)n, 20);
	for (size_t i = 0; i < n; i++) {
		sum += m[i].prob_ppb;
		assert_true(m[i].prob_ppb >= p.min_ppb);
		assert_int_equal((int)strlen(m[i].public_id), PANEL_PUBLIC_ID_LEN);
	}
	/* Probabilities add up to the number of places. */
	assert_true(sum > 6000000000LL - 1000 && sum < 6000000000LL + 1000);
	/* Equality reads are audited. */
	assert_true(int_query(f->d, "SELECT COUNT(*) FROM audit_log WHERE action = "
				    "'equality.selection_read' AND ? > 0", 1) > 0);

	/* Drawing before publishing is refused. */
	assert_int_equal(panel_draw(f->d, f->a, &f->lead, id, "1234567", &fe), DOMAIN_ECONFLICT);

	assert_int_equal(publish(f, id), DOMAIN_OK);
	assert_int_equal(panel_get(f->d, f->a, id, &p), DOMAIN_OK);
	assert_int_equal(p.status, PANEL_PUBLISHED);
	/* The greedy figures worked out before stay beside the lottery's. */
	assert_int_equal(int_query(f->d, "SELECT COUNT(*) FROM panel_pool WHERE panel_id = ? AND "
					 "legacy_probability_ppb IS NULL", id),
			 0);
	assert_int_equal(panel_lottery_text(f->d, f->a, id, &text), DOMAIN_OK);
	sortition_lottery_hash(text, strlen(text), hash);
	assert_string_equal(hash, p.lottery_sha256);
	assert_true(strncmp(text, "coprod lottery 1\ntickets 1000\npanel size 6\n", 43) == 0);
	for (const char *c = text; *c; c++)
		lines += *c == '\n';
	assert_true(lines >= 1002);
	/* Once published, nothing changes. */
	assert_int_equal(panel_category_add(f->d, f->a, &f->lead, id, "role", &fe), DOMAIN_ECONFLICT);

	field_errors_init(&fe);
	assert_int_equal(panel_draw(f->d, f->a, &f->lead, id, "12", &fe), DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "number"));
	field_errors_init(&fe);
	assert_int_equal(panel_draw(f->d, f->a, &f->lead, id, "3 5 1 6 2 4 4 1", &fe), DOMAIN_OK);
	assert_int_equal(panel_get(f->d, f->a, id, &p), DOMAIN_OK);
	assert_int_equal(p.status, PANEL_DRAWN);
	assert_int_equal(p.drawn_ticket, sortition_draw(1000, "35162441", p.lottery_sha256, NULL, 0));
	assert_int_equal(panel_pool_list(f->d, f->a, id, &m, &n), DOMAIN_OK);
	for (size_t i = 0; i < n; i++) {
		assert_non_null(m[i].outcome);
		if (strcmp(m[i].outcome, "selected") == 0) {
			selected++;
			assert_string_equal(m[i].stage, "selected");
		} else {
			assert_string_equal(m[i].stage, "waiting");
		}
	}
	assert_int_equal(selected, 6);
	assert_int_equal(int_query(f->d, "SELECT COUNT(*) FROM volunteer_stage_changes WHERE "
					 "to_stage IN ('selected', 'waiting') AND ? > 0", 1),
			 20);
	assert_int_equal(panel_places_open(f->d, id, &open), DOMAIN_OK);
	assert_int_equal(open, 0);

	/* Someone selected leaves: one replacement from those waiting, same quotas. */
	assert_int_equal(db_exec(f->d, "UPDATE volunteers SET stage = 'left', left_reason = 'moved' "
				       "WHERE id = (SELECT MIN(volunteer_id) FROM panel_pool WHERE "
				       "outcome = 'selected')"),
			 DB_OK);
	assert_int_equal(panel_places_open(f->d, id, &open), DOMAIN_OK);
	assert_int_equal(open, 1);
	assert_int_equal(panel_replace(f->d, f->a, &f->lead, id, &chosen, &co), DOMAIN_OK);
	assert_int_equal(chosen, 1);
	assert_int_equal(panel_places_open(f->d, id, &open), DOMAIN_OK);
	assert_int_equal(open, 0);
	assert_int_equal(int_query(f->d, "SELECT COUNT(*) FROM panel_pool WHERE selected_by = "
					 "'replacement' AND panel_id = ?", id),
			 1);
}

/* Quotas nobody can meet: said plainly, with the smallest relaxation to apply. */
static void test_infeasible(void **state)
{
	struct fixture *f = *state;
	int64_t id = new_panel(f, "6");
	struct field_errors fe;
	struct panel_compute_outcome co;
	struct panel p;
	field_errors_init(&fe);
	assert_int_equal(panel_category_add(f->d, f->a, &f->lead, id, "age_band", &fe), DOMAIN_OK);
	/* Six "not said" wanted, but only four people did not answer. */
	assert_int_equal(db_exec(f->d, "UPDATE panel_quotas SET min_count = 0, max_count = 0 WHERE "
				       "value <> 'not said'; UPDATE panel_quotas SET min_count = 6, "
				       "max_count = 6 WHERE value = 'not said'"),
			 DB_OK);
	assert_int_equal(panel_compute(f->d, f->a, &f->lead, id, &co), DOMAIN_ECONFLICT);
	assert_true(co.infeasible);
	assert_true(co.n_changes > 0);
	/* The exact relaxation would lower "not said" to 4, how many did not answer: below
	 * the disclosure threshold, so it is lowered to 0 instead. */
	for (size_t i = 0; i < co.n_changes; i++)
		if (strcmp(co.changes[i].value, PANEL_NOT_SAID) == 0) {
			assert_int_equal(co.changes[i].min, 6);
			assert_int_equal(co.changes[i].new_min, 0);
		}
	assert_int_equal(panel_get(f->d, f->a, id, &p), DOMAIN_OK);
	assert_int_equal(p.status, PANEL_DRAFT);
	assert_int_equal(panel_relax_apply(f->d, f->a, &f->lead, id), DOMAIN_OK);
	assert_int_equal(int_query(f->d, "SELECT min_count FROM panel_quotas WHERE panel_id = ? "
					 "AND value = 'not said'", id),
			 0);
	assert_int_equal(panel_compute(f->d, f->a, &f->lead, id, &co), DOMAIN_OK);
}

/* A minimum for an equality answer the pool cannot meet is left as proposed, and the
 * chances say no panel can meet it: the relaxation lowers it without telling how many
 * in the pool gave that answer. */
static void test_propose_minimum_unmet(void **state)
{
	struct fixture *f = *state;
	int64_t id = new_panel(f, "6");
	struct field_errors fe;
	struct panel_compute_outcome co;
	struct panel_quota *q;
	size_t n;
	char sql[512];
	/* Population: half aged 35 to 49, whom nobody in the pool is. */
	assert_int_equal(db_exec(f->d, "DELETE FROM population_figures"), DB_OK);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO population_figures (programme_id, category, value, count, "
		 "imported_at) VALUES (%lld, 'age_band', '16_24', 500, 'x'), "
		 "(%lld, 'age_band', '35_49', 500, 'x')",
		 (long long)f->programme, (long long)f->programme);
	assert_int_equal(db_exec(f->d, sql), DB_OK);
	field_errors_init(&fe);
	assert_int_equal(panel_quotas_propose(f->d, f->a, &f->lead, id, "age_band", &q, &n),
			 DOMAIN_OK);
	assert_int_equal(quota(q, n, "35_49")->min, 3);
	assert_int_equal(panel_category_add(f->d, f->a, &f->lead, id, "age_band", &fe), DOMAIN_OK);
	assert_int_equal(panel_compute(f->d, f->a, &f->lead, id, &co), DOMAIN_ECONFLICT);
	assert_true(co.infeasible);
	for (size_t i = 0; i < co.n_changes; i++) {
		/* 0 or a multiple of 5, never a count under the threshold. */
		assert_true(co.changes[i].new_min == 0 || co.changes[i].new_min >= 10);
		assert_true(co.changes[i].new_max == co.changes[i].max ||
			    co.changes[i].new_max % 5 == 0 || co.changes[i].new_max == 6);
	}
	assert_int_equal(panel_relax_apply(f->d, f->a, &f->lead, id), DOMAIN_OK);
	assert_int_equal(panel_compute(f->d, f->a, &f->lead, id, &co), DOMAIN_OK);
}

/* The draw's date, time and place: each checked beside its field, required in the future
 * to publish, moved after publication only before the draw, and the move kept. */
static void test_draw_plan(void **state)
{
	struct fixture *f = *state;
	int64_t id = new_panel(f, "6");
	struct field_errors fe;
	struct panel_compute_outcome co;
	struct panel p;
	char place[PANEL_DRAW_PLACE_MAX + 2];
	bool moved = true;
	struct panel_draw_plan bad = {"31", "2", "2099", "25:00", "  ", NULL, "http://example.org"};
	struct panel_draw_plan past = {"1", "1", "2020", "18:00", "Swinton Gateway", NULL, NULL};
	struct panel_draw_plan moved_plan = {"14", "3", "2099", "19:00", "Eccles Library", NULL, NULL};

	field_errors_init(&fe);
	assert_int_equal(panel_draw_plan_set(f->d, f->a, &f->lead, id, &bad, NULL, &fe),
			 DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "draw_date"),
			    "Enter the date of the draw as a real date, like 7 3 2027");
	assert_string_equal(field_error_get(&fe, "draw_time"),
			    "Enter the time of the draw, like 18:30 or 6:30pm");
	assert_string_equal(field_error_get(&fe, "draw_place"),
			    "Enter where the draw will take place");
	assert_string_equal(field_error_get(&fe, "draw_link"),
			    "Enter the link as a full web address starting https://, like "
			    "https://meet.example.org/draw");
	memset(place, 'x', sizeof(place) - 1);
	place[sizeof(place) - 1] = 0;
	bad = (struct panel_draw_plan){"7", "3", "2099", "18:30", place, place, NULL};
	field_errors_init(&fe);
	assert_int_equal(panel_draw_plan_set(f->d, f->a, &f->lead, id, &bad, NULL, &fe),
			 DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "draw_place"),
			    "The place must be 200 characters or fewer");
	assert_non_null(field_error_get(&fe, "draw_roller"));
	assert_null(field_error_get(&fe, "draw_date"));
	field_errors_init(&fe);
	assert_int_equal(panel_draw_plan_set(f->d, f->a, &f->lead, id, &past, NULL, &fe),
			 DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "draw_date"),
			    "The draw must be planned for a time in the future");

	/* Publishing needs a plan: none saved, or one in the past, is refused. */
	assert_int_equal(panel_category_add(f->d, f->a, &f->lead, id, "age_band", &fe), DOMAIN_OK);
	assert_int_equal(panel_compute(f->d, f->a, &f->lead, id, &co), DOMAIN_OK);
	field_errors_init(&fe);
	assert_int_equal(panel_publish(f->d, f->a, &f->lead, id, NULL, &fe), DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "draw_date"));
	field_errors_init(&fe);
	assert_int_equal(panel_publish(f->d, f->a, &f->lead, id, &past, &fe), DOMAIN_EINVALID);
	assert_int_equal(panel_get(f->d, f->a, id, &p), DOMAIN_OK);
	assert_int_equal(p.status, PANEL_COMPUTED);
	assert_null(p.draw_at);

	/* Planned before publishing: not a move, and the chances stay worked out. */
	field_errors_init(&fe);
	assert_int_equal(panel_draw_plan_set(f->d, f->a, &f->lead, id, &future_plan, &moved, &fe),
			 DOMAIN_OK);
	assert_false(moved);
	assert_int_equal(panel_get(f->d, f->a, id, &p), DOMAIN_OK);
	assert_int_equal(p.status, PANEL_COMPUTED);
	assert_string_equal(p.draw_at, "2099-03-07T18:30");
	assert_string_equal(p.draw_place, "Swinton Gateway, Chorley Road");
	assert_null(p.draw_moved_from_at);
	assert_null(p.draw_link);
	assert_string_equal(panel_draw_when(f->a, p.draw_at), "Saturday 7 March 2099 at 6:30pm");
	field_errors_init(&fe);
	assert_int_equal(panel_publish(f->d, f->a, &f->lead, id, NULL, &fe), DOMAIN_OK);

	/* Moved after publishing: kept, audited, and the same plan again is no move. */
	assert_int_equal(panel_draw_plan_set(f->d, f->a, &f->lead, id, &moved_plan, &moved, &fe),
			 DOMAIN_OK);
	assert_true(moved);
	assert_int_equal(panel_get(f->d, f->a, id, &p), DOMAIN_OK);
	assert_string_equal(p.draw_at, "2099-03-14T19:00");
	assert_string_equal(p.draw_moved_from_at, "2099-03-07T18:30");
	assert_string_equal(p.draw_moved_from_place, "Swinton Gateway, Chorley Road");
	assert_int_equal(int_query(f->d, "SELECT COUNT(*) FROM audit_log WHERE entity_id = ? AND "
					 "action = 'panel.draw_moved'", id),
			 1);
	assert_int_equal(panel_draw_plan_set(f->d, f->a, &f->lead, id, &moved_plan, &moved, &fe),
			 DOMAIN_OK);
	assert_false(moved);
	assert_int_equal(panel_get(f->d, f->a, id, &p), DOMAIN_OK);
	assert_string_equal(p.draw_moved_from_at, "2099-03-07T18:30");

	/* After the draw the plan is history: no change. */
	draw_due(f, id);
	assert_int_equal(panel_draw(f->d, f->a, &f->lead, id, "3 5 1 6 2 4 4 1", &fe), DOMAIN_OK);
	assert_int_equal(panel_draw_plan_set(f->d, f->a, &f->lead, id, &future_plan, &moved, &fe),
			 DOMAIN_ECONFLICT);
	assert_int_equal(panel_get(f->d, f->a, id, &p), DOMAIN_OK);
	assert_string_equal(p.draw_at, "2020-01-01T10:00");
}

/* Leads manage; a facilitator of one of the programme's groups views; others see nothing. */
static void test_access(void **state)
{
	struct fixture *f = *state;
	int64_t fac = insert(f->d, "INSERT INTO accounts (display_name, role, created_at, updated_at)"
				   " VALUES ('Fay', 'facilitator', 'x', 'x')");
	int64_t other = insert(f->d, "INSERT INTO accounts (display_name, role, created_at, "
				     "updated_at) VALUES ('Flo', 'facilitator', 'x', 'x')");
	int64_t local = insert(f->d, "INSERT INTO accounts (display_name, role, created_at, "
				     "updated_at) VALUES ('Lou', 'local_person', 'x', 'x')");
	char sql[512];
	int64_t g;
	snprintf(sql, sizeof(sql),
		 "INSERT INTO working_groups (programme_id, name, created_at, updated_at) VALUES "
		 "(%lld, 'G', 'x', 'x')",
		 (long long)f->programme);
	g = insert(f->d, sql);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO group_members (group_id, account_id, role_in_group, joined_on) VALUES "
		 "(%lld, %lld, 'facilitator', '2021-12-07'), (%lld, %lld, 'local_person', "
		 "'2021-12-07')",
		 (long long)g, (long long)fac, (long long)g, (long long)local);
	insert(f->d, sql);
	assert_int_equal(panels_access(f->d, f->lead.account_id, ROLE_PROGRAMME_LEAD, f->programme),
			 ACCESS_MANAGE);
	assert_int_equal(panels_access(f->d, fac, ROLE_FACILITATOR, f->programme), ACCESS_VIEW);
	assert_int_equal(panels_access(f->d, other, ROLE_FACILITATOR, f->programme), ACCESS_NONE);
	assert_int_equal(panels_access(f->d, local, ROLE_LOCAL_PERSON, f->programme), ACCESS_NONE);
	assert_int_equal(panels_access(f->d, 0, 0, f->programme), ACCESS_NONE);
}

/* The demo's panel is drawn, so its public page shows a real result. */
static void test_demo(void **state)
{
	struct fixture *f = *state;
	struct panel *ps;
	size_t n;
	assert_int_equal(db_exec(f->d, "UPDATE accounts SET email = 'programme.lead@example.org'"),
			 DB_OK);
	assert_int_equal(db_begin(f->d), DB_OK);
	assert_int_equal(demo_load_panels(f->d, f->a), DOMAIN_OK);
	assert_int_equal(db_commit(f->d), DB_OK);
	assert_int_equal(panels_list(f->d, f->a, f->programme, &ps, &n), DOMAIN_OK);
	assert_int_equal((int)n, 1);
	assert_string_equal(ps[0].name, DEMO_PANEL_NAME);
	assert_int_equal(ps[0].status, PANEL_DRAWN);
	assert_int_equal(int_query(f->d, "SELECT COUNT(*) FROM panel_pool WHERE outcome = "
					 "'selected' AND panel_id = ?", ps[0].id),
			 DEMO_PANEL_PLACES);
	/* Drawn at the hub at the time planned, a fortnight before the group first met. */
	assert_string_equal(panel_draw_when(f->a, ps[0].draw_at), "Tuesday 23 November 2021 at 7:30pm");
	assert_string_equal(ps[0].draw_place, "Demo Community Hub, 1 Example Street, Demo Town");
	assert_null(ps[0].draw_moved_from_at);
}

/* The Poverty Truth Commission's shape: three with lived experience beside three
 * professionals. When someone selected leaves, the replacement keeps the balance. */
static void test_role_replacement(void **state)
{
	struct fixture *f = *state;
	int64_t id = new_panel(f, "6"), left = 0, repl = 0;
	struct field_errors fe;
	struct panel_compute_outcome co;
	const char *role_of[20];
	char sql[256];
	int chosen = 0;
	for (int i = 0; i < 20; i++)
		role_of[i] = i % 2 ? PANEL_ROLE_PROFESSIONAL : PANEL_ROLE_LIVED;
	field_errors_init(&fe);
	assert_int_equal(panel_pool_set(f->d, f->a, &f->lead, id, f->vol, role_of, 20, &fe),
			 DOMAIN_OK);
	assert_int_equal(panel_category_add(f->d, f->a, &f->lead, id, "role", &fe), DOMAIN_OK);
	assert_int_equal(panel_compute(f->d, f->a, &f->lead, id, &co), DOMAIN_OK);
	assert_int_equal(publish(f, id), DOMAIN_OK);
	assert_int_equal(panel_draw(f->d, f->a, &f->lead, id, "6543216", &fe), DOMAIN_OK);
	assert_int_equal(int_query(f->d, "SELECT COUNT(*) FROM panel_pool WHERE panel_id = ? AND "
					 "outcome = 'selected' AND role_value = 'lived experience'", id),
			 3);
	/* A professional leaves: the replacement is a professional. */
	left = int_query(f->d, "SELECT MIN(volunteer_id) FROM panel_pool WHERE panel_id = ? AND "
			       "outcome = 'selected' AND role_value = 'professional'", id);
	snprintf(sql, sizeof(sql),
		 "UPDATE volunteers SET stage = 'left', left_reason = 'moved' WHERE id = %lld",
		 (long long)left);
	assert_int_equal(db_exec(f->d, sql), DB_OK);
	assert_int_equal(panel_replace(f->d, f->a, &f->lead, id, &chosen, &co), DOMAIN_OK);
	assert_int_equal(chosen, 1);
	repl = int_query(f->d, "SELECT COUNT(*) FROM panel_pool WHERE panel_id = ? AND selected_by "
			       "= 'replacement' AND role_value = 'professional'", id);
	assert_int_equal(repl, 1);
}

/* At most one person per household: housemates are never drawn together. */
static void test_households(void **state)
{
	struct fixture *f = *state;
	int64_t id;
	struct field_errors fe;
	struct panel_compute_outcome co;
	struct panel_member *m;
	size_t n;
	/* Ten households of two. */
	assert_int_equal(db_exec(f->d, "UPDATE volunteers SET household_key = 'home' || "
				       "((id - 1) / 2)"),
			 DB_OK);
	field_errors_init(&fe);
	assert_int_equal(panel_create(f->d, f->a, &f->lead, f->programme, "Households", "8", true,
				      &fe, &id),
			 DOMAIN_OK);
	assert_int_equal(panel_compute(f->d, f->a, &f->lead, id, &co), DOMAIN_OK);
	assert_int_equal(panel_pool_list(f->d, f->a, id, &m, &n), DOMAIN_OK);
	for (size_t i = 0; i < n; i++) /* 8 of 10 households, one person each: 8/20 */
		assert_true(m[i].prob_ppb > 399000000 && m[i].prob_ppb < 401000000);
	assert_int_equal(publish(f, id), DOMAIN_OK);
	assert_int_equal(panel_draw(f->d, f->a, &f->lead, id, "1111111", &fe), DOMAIN_OK);
	assert_int_equal(int_query(f->d, "SELECT COUNT(*) FROM (SELECT v.household_key FROM "
					 "panel_pool x JOIN volunteers v ON v.id = x.volunteer_id WHERE "
					 "x.panel_id = ? AND x.outcome = 'selected' GROUP BY "
					 "v.household_key HAVING COUNT(*) > 1) t",
				   id),
			 0);
}

/* The respondents file: equality answers only of people who agreed to a lead seeing
 * them; everyone else's are "not said", while ward and role stay for everyone. */
static void test_export_consent(void **state)
{
	struct fixture *f = *state;
	int64_t id = new_panel(f, "6");
	struct field_errors fe;
	struct panel_member *m;
	size_t n;
	sbuf b;
	char sql[256];
	const char *agreed = NULL, *not_agreed = NULL;
	/* Demo Person 00 (16 to 24) agreed; Demo Person 01 (16 to 24) did not. */
	assert_int_equal(db_exec(f->d, "INSERT INTO equality_consents (monitoring_ref, kind, status, "
				       "wording_version, recorded_at) VALUES ('ref00', 'lead_view', "
				       "'granted', 'v1', 'x'), ('ref01', 'lead_view', 'withdrawn', "
				       "'v1', 'x')"),
			 DB_OK);
	snprintf(sql, sizeof(sql), "UPDATE panel_pool SET role_value = 'professional' WHERE "
				   "volunteer_id IN (%lld, %lld)",
		 (long long)f->vol[0], (long long)f->vol[1]);
	assert_int_equal(db_exec(f->d, sql), DB_OK);
	field_errors_init(&fe);
	assert_int_equal(panel_category_add(f->d, f->a, &f->lead, id, "age_band", &fe), DOMAIN_OK);
	assert_int_equal(panel_category_add(f->d, f->a, &f->lead, id, "role", &fe), DOMAIN_OK);
	assert_int_equal(panel_pool_list(f->d, f->a, id, &m, &n), DOMAIN_OK);
	for (size_t i = 0; i < n; i++) {
		if (m[i].volunteer_id == f->vol[0])
			agreed = m[i].public_id;
		if (m[i].volunteer_id == f->vol[1])
			not_agreed = m[i].public_id;
	}
	assert_non_null(agreed);
	assert_non_null(not_agreed);
	sbuf_init(&b, f->a, 1 << 20);
	assert_int_equal(panel_export_respondents(f->d, f->a, &f->lead, id, &b), DOMAIN_OK);
	assert_non_null(strstr(b.buf, "id,age_band,role\r\n"));
	assert_non_null(strstr(b.buf, arena_printf(f->a, "%s,16_24,professional\r\n", agreed)));
	assert_non_null(
		strstr(b.buf, arena_printf(f->a, "%s,not said,professional\r\n", not_agreed)));
	/* Nobody else agreed: no age band leaves the database but Demo Person 00's. */
	assert_null(strstr(strstr(b.buf, "16_24") + 1, "16_24"));
	assert_null(strstr(b.buf, "25_34"));
	assert_int_equal(int_query(f->d, "SELECT COUNT(*) FROM audit_log WHERE action = "
				    "'panel.export_respondents' AND after_json LIKE '%1 of 20 people%' "
				    "AND entity_id = ?", id),
			 1);
}

/* Records sharing an email or phone stay out of a new pool; put in by hand, they are
 * named on the page and the lottery cannot be published. */
static void test_duplicates(void **state)
{
	struct fixture *f = *state;
	char sql[256];
	int64_t id, *ids = arena_calloc(f->a, 20, sizeof(*ids));
	struct panel p;
	struct panel_candidate *c;
	struct panel_compute_outcome co;
	struct field_errors fe;
	struct panel_duplicate_pair *pairs;
	size_t n, dup_flags = 0;
	snprintf(sql, sizeof(sql), "UPDATE volunteers SET phone_key = '07700900123' WHERE id IN "
				   "(%lld, %lld)",
		 (long long)f->vol[3], (long long)f->vol[4]);
	assert_int_equal(db_exec(f->d, sql), DB_OK);
	id = new_panel(f, "6");
	assert_int_equal(panel_get(f->d, f->a, id, &p), DOMAIN_OK);
	assert_int_equal((int)p.pool_size, 18);
	assert_int_equal(panel_pool_duplicate_pairs(f->d, f->a, id, &pairs, &n), DOMAIN_OK);
	assert_int_equal((int)n, 0);
	assert_int_equal(panel_candidates(f->d, f->a, id, &c, &n), DOMAIN_OK);
	assert_int_equal((int)n, 20);
	for (size_t i = 0; i < n; i++) {
		assert_true(c[i].in_pool == !c[i].possible_duplicate);
		dup_flags += c[i].possible_duplicate;
	}
	assert_int_equal((int)dup_flags, 2);

	/* The lead ticks everyone: both records are named and publishing is refused. */
	for (int i = 0; i < 20; i++)
		ids[i] = f->vol[i];
	field_errors_init(&fe);
	assert_int_equal(panel_pool_set(f->d, f->a, &f->lead, id, ids, NULL, 20, &fe), DOMAIN_OK);
	assert_int_equal(panel_pool_duplicate_pairs(f->d, f->a, id, &pairs, &n), DOMAIN_OK);
	assert_int_equal((int)n, 1);
	assert_string_equal(pairs[0].a_name, "Demo Person 03");
	assert_string_equal(pairs[0].b_name, "Demo Person 04");
	assert_int_equal(panel_category_add(f->d, f->a, &f->lead, id, "age_band", &fe), DOMAIN_OK);
	assert_int_equal(panel_compute(f->d, f->a, &f->lead, id, &co), DOMAIN_OK);
	assert_int_equal(publish(f, id), DOMAIN_ECONFLICT);
	assert_int_equal(panel_get(f->d, f->a, id, &p), DOMAIN_OK);
	assert_int_equal(p.status, PANEL_COMPUTED);

	/* Once merged, the pair is resolved and the lottery can be published. */
	snprintf(sql, sizeof(sql), "UPDATE volunteers SET merged_into = %lld WHERE id = %lld",
		 (long long)f->vol[3], (long long)f->vol[4]);
	assert_int_equal(db_exec(f->d, sql), DB_OK);
	assert_int_equal(panel_pool_duplicate_pairs(f->d, f->a, id, &pairs, &n), DOMAIN_OK);
	assert_int_equal((int)n, 0);
}

/* Two records a facilitator had marked as different people, published in one pool, are
 * flagged again when the mark is taken back: each pair is named for comparing, and the
 * draw is refused until it is resolved. */
static void test_duplicates_before_draw(void **state)
{
	struct fixture *f = *state;
	char sql[256];
	int64_t id, *ids = arena_calloc(f->a, 20, sizeof(*ids));
	struct panel p;
	struct panel_compute_outcome co;
	struct panel_duplicate_pair *pairs;
	struct field_errors fe;
	size_t n;
	snprintf(sql, sizeof(sql), "UPDATE volunteers SET phone_key = '07700900123' WHERE id IN "
				   "(%lld, %lld)",
		 (long long)f->vol[3], (long long)f->vol[4]);
	assert_int_equal(db_exec(f->d, sql), DB_OK);
	snprintf(sql, sizeof(sql), "INSERT INTO volunteer_not_duplicates (low_id, high_id, "
				   "marked_at) VALUES (%lld, %lld, 'x')",
		 (long long)f->vol[3], (long long)f->vol[4]);
	assert_int_equal(db_exec(f->d, sql), DB_OK);
	id = new_panel(f, "6");
	for (int i = 0; i < 20; i++)
		ids[i] = f->vol[i];
	field_errors_init(&fe);
	assert_int_equal(panel_pool_set(f->d, f->a, &f->lead, id, ids, NULL, 20, &fe), DOMAIN_OK);
	assert_int_equal(panel_pool_duplicate_pairs(f->d, f->a, id, &pairs, &n), DOMAIN_OK);
	assert_int_equal((int)n, 0);
	assert_int_equal(panel_category_add(f->d, f->a, &f->lead, id, "age_band", &fe), DOMAIN_OK);
	assert_int_equal(panel_compute(f->d, f->a, &f->lead, id, &co), DOMAIN_OK);
	assert_int_equal(publish(f, id), DOMAIN_OK);

	/* The mark is taken back after publication. */
	assert_int_equal(db_exec(f->d, "DELETE FROM volunteer_not_duplicates"), DB_OK);
	assert_int_equal(panel_pool_duplicate_pairs(f->d, f->a, id, &pairs, &n), DOMAIN_OK);
	assert_int_equal((int)n, 1);
	assert_int_equal(pairs[0].a_id, f->vol[3]);
	assert_int_equal(pairs[0].b_id, f->vol[4]);
	assert_string_equal(pairs[0].a_name, "Demo Person 03");
	assert_string_equal(pairs[0].b_name, "Demo Person 04");
	field_errors_init(&fe);
	assert_int_equal(panel_draw(f->d, f->a, &f->lead, id, "3 5 1 6 2 4 4 1", &fe),
			 DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "number"), PANEL_DUPLICATES_BEFORE_DRAW);
	assert_int_equal(panel_get(f->d, f->a, id, &p), DOMAIN_OK);
	assert_int_equal(p.status, PANEL_PUBLISHED);

	/* Marked as different people again: the draw goes ahead. */
	assert_int_equal(db_exec(f->d, sql), DB_OK);
	field_errors_init(&fe);
	assert_int_equal(panel_draw(f->d, f->a, &f->lead, id, "3 5 1 6 2 4 4 1", &fe), DOMAIN_OK);
}

/* The draw is not made before the time the public were told, and once made its time is
 * the time it happened, in Salford's time. */
static void test_draw_not_early(void **state)
{
	struct fixture *f = *state;
	int64_t id = new_panel(f, "6");
	struct field_errors fe;
	struct panel_compute_outcome co;
	struct panel p;
	char now[32];
	const char *local;
	field_errors_init(&fe);
	assert_int_equal(panel_category_add(f->d, f->a, &f->lead, id, "age_band", &fe), DOMAIN_OK);
	assert_int_equal(panel_compute(f->d, f->a, &f->lead, id, &co), DOMAIN_OK);
	assert_int_equal(panel_publish(f->d, f->a, &f->lead, id, &future_plan, &fe), DOMAIN_OK);
	assert_int_equal(panel_get(f->d, f->a, id, &p), DOMAIN_OK);
	assert_false(panel_draw_overdue(&p));
	field_errors_init(&fe);
	assert_int_equal(panel_draw(f->d, f->a, &f->lead, id, "3 5 1 6 2 4 4 1", &fe),
			 DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "number"),
			    "The draw is planned for 6:30pm on Saturday 7 March 2099. Make it then, "
			    "or move it first.");
	assert_int_equal(panel_get(f->d, f->a, id, &p), DOMAIN_OK);
	assert_int_equal(p.status, PANEL_PUBLISHED);

	/* The time comes: overdue until drawn, then drawn now. */
	draw_due(f, id);
	assert_int_equal(panel_get(f->d, f->a, id, &p), DOMAIN_OK);
	assert_true(panel_draw_overdue(&p));
	field_errors_init(&fe);
	assert_int_equal(panel_draw(f->d, f->a, &f->lead, id, "3 5 1 6 2 4 4 1", &fe), DOMAIN_OK);
	assert_int_equal(panel_get(f->d, f->a, id, &p), DOMAIN_OK);
	assert_false(panel_draw_overdue(&p));
	db_now_iso(now, 0);
	local = panel_local_at(f->a, p.drawn_at);
	assert_non_null(local);
	assert_string_equal(local, panel_local_at(f->a, now));
}

/* UTC times as Salford's clocks show them, across the changes to and from British Summer
 * Time (29 March and 25 October 2026, at 01:00 UTC). */
static void test_local_time(void **state)
{
	struct fixture *f = *state;
	assert_string_equal(panel_local_at(f->a, "2026-11-22T19:40:05Z"), "2026-11-22T19:40");
	assert_string_equal(panel_local_at(f->a, "2026-06-14T18:30:00Z"), "2026-06-14T19:30");
	assert_string_equal(panel_local_at(f->a, "2026-03-29T00:59:00Z"), "2026-03-29T00:59");
	assert_string_equal(panel_local_at(f->a, "2026-03-29T01:00:00Z"), "2026-03-29T02:00");
	assert_string_equal(panel_local_at(f->a, "2026-10-25T00:59:00Z"), "2026-10-25T01:59");
	assert_string_equal(panel_local_at(f->a, "2026-10-25T01:00:00Z"), "2026-10-25T01:00");
	assert_string_equal(panel_local_at(f->a, "2026-07-31T23:30:00Z"), "2026-08-01T00:30");
	assert_null(panel_local_at(f->a, "yesterday"));
	assert_null(panel_local_at(f->a, NULL));
}

/* An optional link to watch the draw online: https only, kept, and cleared when emptied. */
static void test_draw_link(void **state)
{
	struct fixture *f = *state;
	int64_t id = new_panel(f, "6");
	struct field_errors fe;
	struct panel p;
	struct panel_draw_plan plan = future_plan;
	static const char *const bad[] = {"javascript:alert(1)", "https://", "www.example.org",
					  "https://exa mple.org", "https://example.org/\"x\"",
					  "ftp://example.org"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		plan.link = bad[i];
		field_errors_init(&fe);
		assert_int_equal(panel_draw_plan_set(f->d, f->a, &f->lead, id, &plan, NULL, &fe),
				 DOMAIN_EINVALID);
		assert_non_null(field_error_get(&fe, "draw_link"));
	}
	plan.link = " https://meet.example.org/salford-draw?id=7 ";
	field_errors_init(&fe);
	assert_int_equal(panel_draw_plan_set(f->d, f->a, &f->lead, id, &plan, NULL, &fe), DOMAIN_OK);
	assert_int_equal(panel_get(f->d, f->a, id, &p), DOMAIN_OK);
	assert_string_equal(p.draw_link, "https://meet.example.org/salford-draw?id=7");
	plan.link = "";
	assert_int_equal(panel_draw_plan_set(f->d, f->a, &f->lead, id, &plan, NULL, &fe), DOMAIN_OK);
	assert_int_equal(panel_get(f->d, f->a, id, &p), DOMAIN_OK);
	assert_null(p.draw_link);
}

/* Times as people in the UK write them; anything else is refused. */
static void test_time_forms(void **state)
{
	static const struct {
		const char *text;
		int minutes;
	} ok[] = {{"18:30", 1110}, {"18.30", 1110}, {"1830", 1110}, {"7pm", 1140},
		  {"6.30pm", 1110},  {"6:30 PM", 1110}, {"9:05", 545},  {"12pm", 720},
		  {"12am", 0},       {"930", 570},      {" 7 am ", 420}, {"00:00", 0}};
	static const char *const bad[] = {"evening", "25:00", "18:3", "13pm", "0am", "18:60",
					  "", "7", "18.30.00", "183000", "pm", "6.30xm"};
	int m;
	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		m = -1;
		assert_int_equal(panel_time_parse(ok[i].text, &m), 0);
		assert_int_equal(m, ok[i].minutes);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(panel_time_parse(bad[i], &m), -1);
	assert_int_equal(panel_time_parse(NULL, &m), -1);
}

/* A time gone today is wrong in the time, not the date: the message is put there. */
static void test_past_time_today(void **state)
{
	struct fixture *f = *state;
	int64_t id = new_panel(f, "6");
	struct field_errors fe;
	char now[32];
	const char *local;
	struct panel_draw_plan plan = {NULL, NULL, NULL, "00:00", "Swinton Gateway", NULL, NULL};
	db_now_iso(now, 0);
	local = panel_local_at(f->a, now);
	plan.year = arena_strndup(f->a, local, 4);
	plan.month = arena_strndup(f->a, local + 5, 2);
	plan.day = arena_strndup(f->a, local + 8, 2);
	field_errors_init(&fe);
	assert_int_equal(panel_draw_plan_set(f->d, f->a, &f->lead, id, &plan, NULL, &fe),
			 DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "draw_time"),
			    "The draw must be planned for a time in the future");
	assert_null(field_error_get(&fe, "draw_date"));
}

/* Proposed quotas for an equality category do not give away which answers the pool
 * holds: the same rows and the same maxima whether or not one person is bisexual. */
static void test_propose_hides_pool(void **state)
{
	struct fixture *f = *state;
	int64_t id = new_panel(f, "6");
	struct panel_quota *before, *after;
	size_t nb, na;
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "INSERT INTO population_figures (programme_id, category, value, count, "
		 "imported_at) VALUES (%lld, 'sexual_orientation', 'straight', 880, 'x'), "
		 "(%lld, 'sexual_orientation', 'gay_lesbian', 40, 'x'), (%lld, "
		 "'sexual_orientation', 'bisexual', 50, 'x'), (%lld, 'sexual_orientation', "
		 "'other', 30, 'x')",
		 (long long)f->programme, (long long)f->programme, (long long)f->programme,
		 (long long)f->programme);
	assert_int_equal(db_exec(f->d, sql), DB_OK);
	/* Nobody in the pool answered this question. */
	assert_int_equal(panel_quotas_propose(f->d, f->a, &f->lead, id, "sexual_orientation",
					      &before, &nb),
			 DOMAIN_OK);
	assert_int_equal((int)nb, 5);
	assert_non_null(quota(before, nb, "bisexual"));
	/* Now one person is bisexual. */
	assert_int_equal(db_exec(f->d, "INSERT INTO equality_answers (monitoring_ref, category, "
				       "value, answered_at) VALUES ('ref05', 'sexual_orientation', "
				       "'bisexual', 'x')"),
			 DB_OK);
	assert_int_equal(panel_quotas_propose(f->d, f->a, &f->lead, id, "sexual_orientation",
					      &after, &na),
			 DOMAIN_OK);
	assert_int_equal((int)na, (int)nb);
	for (size_t i = 0; i < na; i++) {
		assert_string_equal(after[i].value, before[i].value);
		assert_int_equal(after[i].min, before[i].min);
		assert_int_equal(after[i].max, before[i].max);
	}
	/* Straight: 5.28 of 6 expected, 5 to 6, though nobody in the pool said so: the
	 * minimum is not lowered to the pool's count, which would tell that it is 0. */
	assert_int_equal(quota(after, na, "straight")->min, 5);
	assert_int_equal(quota(after, na, "straight")->max, 6);
	assert_int_equal(quota(before, nb, "straight")->min, 5);
	assert_int_equal(quota(after, na, PANEL_NOT_SAID)->max, 6);
}

/* The public number is dice rolled at a meeting: digits 1 to 6 only, spaces allowed. */
static void test_dice_only(void **state)
{
	struct fixture *f = *state;
	int64_t id = new_panel(f, "6");
	struct field_errors fe;
	struct panel_compute_outcome co;
	struct panel p;
	field_errors_init(&fe);
	assert_int_equal(panel_category_add(f->d, f->a, &f->lead, id, "age_band", &fe), DOMAIN_OK);
	assert_int_equal(panel_compute(f->d, f->a, &f->lead, id, &co), DOMAIN_OK);
	assert_int_equal(publish(f, id), DOMAIN_OK);
	field_errors_init(&fe);
	assert_int_equal(panel_draw(f->d, f->a, &f->lead, id, "3 5 1 7 2 4 4 9", &fe),
			 DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "number"),
			    "Enter only the numbers rolled on the dice, 1 to 6, like 3 5 1 6 2 4 4 1");
	field_errors_init(&fe);
	assert_int_equal(panel_draw(f->d, f->a, &f->lead, id, "0123456", &fe), DOMAIN_EINVALID);
	assert_int_equal(panel_get(f->d, f->a, id, &p), DOMAIN_OK);
	assert_int_equal(p.status, PANEL_PUBLISHED);
	field_errors_init(&fe);
	assert_int_equal(panel_draw(f->d, f->a, &f->lead, id, " 6 1 2 3 4 5 6 ", &fe), DOMAIN_OK);
}

/* A pool too large to work out in the time allowed is refused with a plain message,
 * and nothing is stored. */
static void test_time_limit(void **state)
{
	struct fixture *f = *state;
	int64_t id = new_panel(f, "6");
	struct field_errors fe;
	struct panel_compute_outcome co;
	struct panel p;
	field_errors_init(&fe);
	assert_int_equal(panel_category_add(f->d, f->a, &f->lead, id, "age_band", &fe), DOMAIN_OK);
	panel_set_time_limit(1e-9);
	assert_int_equal(panel_compute(f->d, f->a, &f->lead, id, &co), DOMAIN_ECONFLICT);
	panel_set_time_limit(PANEL_TIME_LIMIT_SECONDS);
	assert_string_equal(co.reason, PANEL_TOO_LARGE);
	assert_int_equal(panel_get(f->d, f->a, id, &p), DOMAIN_OK);
	assert_int_equal(p.status, PANEL_DRAFT);
	assert_int_equal(panel_compute(f->d, f->a, &f->lead, id, &co), DOMAIN_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_propose, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_infeasible, setup, teardown),
		cmocka_unit_test_setup_teardown(test_access, setup, teardown),
		cmocka_unit_test_setup_teardown(test_demo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_role_replacement, setup, teardown),
		cmocka_unit_test_setup_teardown(test_households, setup, teardown),
		cmocka_unit_test_setup_teardown(test_export_consent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_propose_hides_pool, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dice_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_time_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_propose_minimum_unmet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_draw_plan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicates_before_draw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_draw_not_early, setup, teardown),
		cmocka_unit_test_setup_teardown(test_local_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_time_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_draw_link, setup, teardown),
		cmocka_unit_test_setup_teardown(test_past_time_today, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
