/* test_groups.c: groups, their members on each side, the local-only phase and parity. */
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
#include "domain/access.h"
#include "domain/audit.h"
#include "domain/demo_groups.h"
#include "domain/groups.h"
#include "domain/sessions_meet.h"

struct fixture {
	char dir[64];
	db *d;
	arena *a;
	struct audit_actor lead;
	int64_t programme, fac, local1, local2, dm;
};

static int64_t add_account(db *d, const char *name, const char *role)
{
	db_stmt *s = db_prepare(d, "INSERT INTO accounts (display_name, role, created_at, "
	                           "updated_at) VALUES (?, ?, 'x', 'x')");
	assert_non_null(s);
	db_bind_text(s, 1, name);
	db_bind_text(s, 2, role);
	assert_int_equal(db_step(s), DB_DONE);
	db_done(s);
	return db_last_insert_id(d);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[128];
	snprintf(f->dir, sizeof(f->dir), "/tmp/coprod-test-groups-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/coprod.db", f->dir);
	if (db_open(path, &f->d) != DB_OK || db_migrate(f->d, NULL, NULL) != DB_OK)
		return -1;
	f->a = arena_new(16 << 20);
	f->lead = (struct audit_actor){add_account(f->d, "Pat Lead", "programme_lead"), 0, NULL};
	f->fac = add_account(f->d, "Fay Facilitator", "facilitator");
	f->local1 = add_account(f->d, "Zed Local", "local_person");
	f->local2 = add_account(f->d, "Ann Local", "local_person");
	f->dm = add_account(f->d, "Dee Maker", "decision_maker");
	if (db_exec(f->d, "INSERT INTO programmes (slug, name, summary, created_at, updated_at) "
	                  "VALUES ('young-adults', 'Young adults', 's', 'x', 'x')") != DB_OK)
		return -1;
	f->programme = db_last_insert_id(f->d);
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

/* The number of LEN digits at S + FROM (test data is well formed). */
static int atoi_safe(const char *s, int from, int len)
{
	int v = 0;
	for (int i = 0; i < len; i++)
		v = v * 10 + (s[from + i] - '0');
	return v;
}

static const struct date dec7 = {2021, 12, 7}, jun14 = {2022, 6, 14};

static int64_t make_group(struct fixture *f)
{
	struct group_new in = {f->programme, SV("Young adults group"),
	                       SV("Ideas from young adults"), SV("10"), SV(" 5 ")};
	struct field_errors fe;
	int64_t id = 0;
	field_errors_init(&fe);
	assert_int_equal(group_create(f->d, f->a, &f->lead, &in, f->fac, dec7, &fe, &id),
	                 DOMAIN_OK);
	assert_true(id > 0);
	return id;
}

static void test_create_and_validate(void **state)
{
	struct fixture *f = *state;
	int64_t id = make_group(f);
	struct group g;
	struct field_errors fe;
	struct group_new bad = {f->programme, SV("  "), SV(""), SV("lots"), SV("-1")};
	struct group_new dup = {f->programme, SV("Young adults group"), SV(""), SV(""), SV("")};
	struct group_new noprog = {9999, SV("Other"), SV(""), SV(""), SV("")};

	assert_int_equal(group_get(f->d, f->a, id, &g), DOMAIN_OK);
	assert_string_equal(g.name, "Young adults group");
	assert_string_equal(g.programme_slug, "young-adults");
	assert_true(g.local_only);
	assert_null(g.opened_on);
	assert_int_equal(g.target_local, 10);
	assert_int_equal(g.target_professional, 5);
	assert_int_equal(g.n_professional, 1); /* the facilitator */
	assert_int_equal(g.n_facilitators, 1);
	assert_int_equal(access_group(f->d, f->fac, ROLE_FACILITATOR, id), ACCESS_MANAGE);
	assert_int_equal(access_group(f->d, f->local1, ROLE_LOCAL_PERSON, id), ACCESS_NONE);

	field_errors_init(&fe);
	assert_int_equal(group_create(f->d, f->a, &f->lead, &bad, 0, dec7, &fe, NULL),
	                 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "name"));
	assert_non_null(field_error_get(&fe, "target_local"));
	assert_non_null(field_error_get(&fe, "target_professional"));
	field_errors_init(&fe);
	assert_int_equal(group_create(f->d, f->a, &f->lead, &dup, 0, dec7, &fe, NULL),
	                 DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "name"),
	                    "This programme already has a group with that name");
	field_errors_init(&fe);
	assert_int_equal(group_create(f->d, f->a, &f->lead, &noprog, 0, dec7, &fe, NULL),
	                 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "programme_id"));
	assert_int_equal(group_get(f->d, f->a, 9999, &g), DOMAIN_ENOTFOUND);
}

static void test_local_only_then_open(void **state)
{
	struct fixture *f = *state;
	int64_t id = make_group(f), mid = 0;
	struct field_errors fe;
	struct group g;
	struct group_member *m;
	size_t n;

	field_errors_init(&fe);
	assert_int_equal(group_member_add(f->d, f->a, &f->lead, id, f->local1,
	                                  GROUP_ROLE_LOCAL_PERSON, dec7, &fe, &mid),
	                 DOMAIN_OK);
	assert_int_equal(group_member_add(f->d, f->a, &f->lead, id, f->local2,
	                                  GROUP_ROLE_LOCAL_PERSON, dec7, &fe, NULL),
	                 DOMAIN_OK);
	/* Twice is refused, and a local person cannot join as a decision-maker. */
	assert_int_equal(group_member_add(f->d, f->a, &f->lead, id, f->local1,
	                                  GROUP_ROLE_LOCAL_PERSON, dec7, &fe, NULL),
	                 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "account_id"));
	field_errors_init(&fe);
	assert_int_equal(group_member_add(f->d, f->a, &f->lead, id, f->dm, GROUP_ROLE_LOCAL_PERSON,
	                                  dec7, &fe, NULL),
	                 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "role"));

	/* While local people only, a decision-maker is refused. */
	field_errors_init(&fe);
	assert_int_equal(group_member_add(f->d, f->a, &f->lead, id, f->dm,
	                                  GROUP_ROLE_DECISION_MAKER, jun14, &fe, NULL),
	                 DOMAIN_ECONFLICT);
	assert_int_equal(access_group(f->d, f->dm, ROLE_DECISION_MAKER, id), ACCESS_NONE);

	/* Opening before anyone joined is refused; then opened on 14 June 2022. */
	assert_int_equal(group_open(f->d, f->a, &f->lead, id, (struct date){2021, 1, 1}, &fe),
	                 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "opened_on"));
	assert_int_equal(group_open(f->d, f->a, &f->lead, id, jun14, NULL), DOMAIN_OK);
	assert_int_equal(group_open(f->d, f->a, &f->lead, id, jun14, NULL), DOMAIN_ECONFLICT);

	field_errors_init(&fe);
	assert_int_equal(group_member_add(f->d, f->a, &f->lead, id, f->dm,
	                                  GROUP_ROLE_DECISION_MAKER, dec7, &fe, NULL),
	                 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "joined_on"));
	field_errors_init(&fe);
	assert_int_equal(group_member_add(f->d, f->a, &f->lead, id, f->dm,
	                                  GROUP_ROLE_DECISION_MAKER, jun14, &fe, NULL),
	                 DOMAIN_OK);
	assert_int_equal(access_group(f->d, f->dm, ROLE_DECISION_MAKER, id), ACCESS_VIEW);

	assert_int_equal(group_get(f->d, f->a, id, &g), DOMAIN_OK);
	assert_false(g.local_only);
	assert_string_equal(g.opened_on, "2022-06-14");
	assert_int_equal(g.n_local, 2);
	assert_int_equal(g.n_professional, 2);

	/* Members: local people first (by name), then decision-makers, then facilitators. */
	assert_int_equal(groups_members(f->d, f->a, id, false, &m, &n), DOMAIN_OK);
	assert_int_equal(n, 4);
	assert_string_equal(m[0].display_name, "Ann Local");
	assert_string_equal(m[0].side, "local");
	assert_string_equal(m[1].display_name, "Zed Local");
	assert_string_equal(m[2].display_name, "Dee Maker");
	assert_string_equal(m[2].side, "professional");
	assert_int_equal(m[3].role, GROUP_ROLE_FACILITATOR);
	assert_int_equal(group_role_of(f->d, id, f->dm), GROUP_ROLE_DECISION_MAKER);

	/* Leaving: not before joining; then they no longer count or see the group. */
	field_errors_init(&fe);
	assert_int_equal(
	    group_member_leave(f->d, f->a, &f->lead, id, mid, (struct date){2021, 1, 1}, &fe),
	    DOMAIN_EINVALID);
	assert_int_equal(group_member_leave(f->d, f->a, &f->lead, id, mid, jun14, NULL), DOMAIN_OK);
	assert_int_equal(group_member_leave(f->d, f->a, &f->lead, id, mid, jun14, NULL),
	                 DOMAIN_ECONFLICT);
	assert_int_equal(access_group(f->d, f->local1, ROLE_LOCAL_PERSON, id), ACCESS_NONE);
	assert_int_equal(groups_members(f->d, f->a, id, false, &m, &n), DOMAIN_OK);
	assert_int_equal(n, 3);
	assert_int_equal(groups_members(f->d, f->a, id, true, &m, &n), DOMAIN_OK);
	assert_int_equal(n, 4);
	assert_string_equal(m[3].left_on, "2022-06-14");
	/* And one can rejoin later. */
	assert_int_equal(group_member_add(f->d, f->a, &f->lead, id, f->local1,
	                                  GROUP_ROLE_LOCAL_PERSON, jun14, NULL, NULL),
	                 DOMAIN_OK);
}

static void test_parity(void **state)
{
	struct fixture *f = *state;
	struct group g = {0};
	struct group_parity p;

	group_parity_of(&g, &p);
	assert_false(p.has_target);
	g.target_local = 15;
	g.target_professional = 15;
	g.n_local = 12;
	g.n_professional = 17;
	group_parity_of(&g, &p);
	assert_true(p.has_target);
	assert_false(p.balanced);
	assert_int_equal(p.need_local, 3);
	assert_int_equal(p.over_professional, 2);
	assert_int_equal(p.need_professional, 0);
	g.n_local = 15;
	g.n_professional = 15;
	group_parity_of(&g, &p);
	assert_true(p.balanced);
	(void)f;
}

static void test_list_and_audit(void **state)
{
	struct fixture *f = *state;
	int64_t id = make_group(f);
	struct group *list;
	size_t n;
	struct group_new upd = {0, SV("Renamed group"), SV("New purpose"), SV("15"), SV("15")};
	struct group g;

	assert_int_equal(
	    group_list_for(f->d, f->a, f->lead.account_id, ROLE_PROGRAMME_LEAD, 0, &list, &n),
	    DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(group_list_for(f->d, f->a, f->local1, ROLE_LOCAL_PERSON, 0, &list, &n),
	                 DOMAIN_OK);
	assert_int_equal(n, 0);
	assert_int_equal(group_list_for(f->d, f->a, f->fac, ROLE_FACILITATOR, 0, &list, &n),
	                 DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(group_update(f->d, f->a, &f->lead, id, &upd, NULL), DOMAIN_OK);
	assert_int_equal(group_get(f->d, f->a, id, &g), DOMAIN_OK);
	assert_string_equal(g.name, "Renamed group");
	assert_int_equal(g.target_local, 15);

	struct audit_entry *e;
	assert_int_equal(audit_list(f->d, f->a, 10, 0, &e, &n), DB_OK);
	assert_true(n >= 3);
	assert_string_equal(e[0].action, "update");
	assert_string_equal(e[0].entity, "group");
	assert_non_null(strstr(e[0].before, "Young adults group"));
}

static const char *today_iso(arena *a)
{
	sbuf b;
	sbuf_init(&b, a, 16);
	date_iso(&b, date_today());
	return b.buf;
}

/* The demo tells the young adults' story, and does nothing without their programme. */
static void test_demo(void **state)
{
	struct fixture *f = *state;
	struct group *gs;
	struct meeting *ms, *ms2;
	size_t n, nm, n2;
	sbuf today;

	/* Not there yet: the programme is not "young-adults". */
	assert_int_equal(demo_load_groups(f->d, f->a), DOMAIN_OK);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM working_groups"), 0);

	assert_int_equal(
	    db_exec(f->d,
	            "UPDATE programmes SET slug = 'young-adults';"
	            "UPDATE accounts SET email = 'facilitator@example.org' WHERE "
	            "display_name = 'Fay Facilitator';"
	            "UPDATE accounts SET email = 'local.person@example.org' WHERE "
	            "display_name = 'Ann Local';"
	            "UPDATE accounts SET email = 'decision.maker@example.org' WHERE "
	            "display_name = 'Dee Maker';"
	            "INSERT INTO organisations (name, kind, created_at) VALUES "
	            "('Demo City Council', 'anchor', 'x'), ('Demo NHS Trust', 'anchor', 'x');"),
	    DB_OK);
	assert_int_equal(db_begin(f->d), DB_OK);
	assert_int_equal(demo_load_groups(f->d, f->a), DOMAIN_OK);
	assert_int_equal(db_commit(f->d), DB_OK);

	assert_int_equal(
	    group_list_for(f->d, f->a, f->lead.account_id, ROLE_PROGRAMME_LEAD, 0, &gs, &n),
	    DOMAIN_OK);
	assert_int_equal(n, 2);
	assert_string_equal(gs[0].name, "Parents group");
	assert_true(gs[0].local_only);
	assert_string_equal(gs[1].name, DEMO_GROUP_YOUNG_ADULTS);
	assert_false(gs[1].local_only);
	assert_string_equal(gs[1].opened_on, "2022-06-14");
	/* Ann and the ten young adults less the one who left (the demo's assisted person is
	 * not in this database): 10 local people; the facilitator and five decision-makers:
	 * 6 professionals. */
	assert_int_equal(gs[1].n_local, 10);
	assert_int_equal(gs[1].n_professional, 6);
	assert_int_equal(access_group(f->d, f->dm, ROLE_DECISION_MAKER, gs[1].id), ACCESS_VIEW);
	assert_int_equal(access_group(f->d, f->fac, ROLE_FACILITATOR, gs[1].id), ACCESS_MANAGE);

	/* Fortnightly from 7 December 2021 with the joint session on 14 June 2022; the past
	 * held with attendance; one cancelled; last Tuesday's waiting for attendance; four
	 * more from the next Tuesday. */
	assert_int_equal(meeting_list_group(f->d, f->a, gs[1].id, &ms, &nm), DOMAIN_OK);
	assert_int_equal(nm, 26 + 1 + 1 + 4);
	assert_string_equal(ms[nm - 5].status, "planned");
	assert_true(strncmp(ms[nm - 5].starts_at, today_iso(f->a), 10) < 0);
	assert_int_equal(meeting_list_needing_attendance(f->d, f->a, f->fac, false,
	                                                 "9999-12-31T00:00", 10, &ms2, &n2),
	                 DOMAIN_OK);
	/* Last Tuesday's, and (once they are past) the four to come and the Parents group's. */
	assert_int_equal(n2, 1 + 4 + 4);
	assert_string_equal(ms[0].starts_at, "2021-12-07T18:00");
	assert_string_equal(ms[0].status, "held");
	assert_string_equal(ms[1].status, "cancelled");
	assert_string_equal(ms[0].venue.name, DEMO_VENUE_HUB);
	assert_true(ms[0].venue.step_free);
	sbuf_init(&today, f->a, 16);
	date_iso(&today, date_today());
	for (size_t i = nm - 4; i < nm; i++) {
		assert_string_equal(ms[i].status, "planned");
		assert_true(strncmp(ms[i].starts_at, today.buf, 10) > 0);
		assert_int_equal(date_weekday((struct date){atoi_safe(ms[i].starts_at, 0, 4),
		                                            atoi_safe(ms[i].starts_at, 5, 2),
		                                            atoi_safe(ms[i].starts_at, 8, 2)}),
		                 1);
	}
	/* Decision-makers were expected only from 14 June 2022; local people from the start. */
	assert_int_equal(count(f->d, "SELECT MIN(s.starts_at) > '2022-06-14' OR MIN(s.starts_at) "
	                             "= '2022-06-14T18:00' FROM session_invitees i JOIN "
	                             "group_sessions s ON s.id = i.session_id JOIN accounts a ON "
	                             "a.id = i.account_id WHERE a.email = 'dm.helen@example.org'"),
	                 1);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM attendance"),
	                 count(f->d,
	                       "SELECT COUNT(*) FROM session_invitees i JOIN group_sessions s "
	                       "ON s.id = i.session_id WHERE s.status = 'held'"));
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM accounts WHERE is_demo = 1 AND "
	                             "display_name LIKE 'Demo %'"),
	                 17);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM accounts WHERE assisted = 1"), 5);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM accounts WHERE email LIKE '%@%' AND "
	                             "email NOT LIKE '%@example.org'"),
	                 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_create_and_validate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_local_only_then_open, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_parity, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_list_and_audit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_demo, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
