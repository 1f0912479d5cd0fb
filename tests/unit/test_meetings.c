/* test_meetings.c: sessions of a group: schedules, expected attendees, cancelling and
 * moving with notices and calendar sequence, attendance, notes and calendar feeds. */
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
#include "domain/groups.h"
#include "domain/sessions_meet.h"
#include "domain/venues.h"

struct fixture {
	char dir[64];
	db *d;
	arena *a;
	struct audit_actor lead;
	int64_t programme, fac, local1, local2, dm;
	struct audit_actor fac_actor;
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
	snprintf(f->dir, sizeof(f->dir), "/tmp/coprod-test-meetings-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/coprod.db", f->dir);
	if (db_open(path, &f->d) != DB_OK || db_migrate(f->d, NULL, NULL) != DB_OK)
		return -1;
	f->a = arena_new(16 << 20);
	f->lead = (struct audit_actor){add_account(f->d, "Pat Lead", "programme_lead"), 0, NULL};
	f->fac = add_account(f->d, "Fay Facilitator", "facilitator");
	f->fac_actor = (struct audit_actor){f->fac, 0, NULL};
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

static int64_t group_with_members(struct fixture *f)
{
	struct group_new in = {f->programme, SV("Young adults group"), SV(""), SV(""), SV("")};
	int64_t id = 0;
	assert_int_equal(
	    group_create(f->d, f->a, &f->lead, &in, f->fac, (struct date){2021, 12, 7}, NULL, &id),
	    DOMAIN_OK);
	assert_int_equal(group_member_add(f->d, f->a, &f->lead, id, f->local1,
	                                  GROUP_ROLE_LOCAL_PERSON, (struct date){2021, 12, 7}, NULL,
	                                  NULL),
	                 DOMAIN_OK);
	return id;
}

static struct meeting_new when(int y, int m, int d, const char *start, const char *end)
{
	struct meeting_new n = {SV("Group session"), {y, m, d},    true,
	                        sv_from(start),      sv_from(end), 0};
	return n;
}

static void test_schedule(void **state)
{
	struct fixture *f = *state;
	int64_t g = group_with_members(f);
	struct schedule_new sch = {
	    when(2021, 12, 7, "18:00", "20:00"), SV("14"), {2022, 11, 22}, true};
	struct field_errors fe;
	struct meeting *list;
	size_t n;
	int made = 0;

	field_errors_init(&fe);
	assert_int_equal(meeting_schedule(f->d, f->a, &f->lead, g, &sch, &fe, &made), DOMAIN_OK);
	assert_int_equal(made, 26); /* 7 Dec 2021 to 22 Nov 2022, fortnightly */
	assert_int_equal(meeting_list_group(f->d, f->a, g, &list, &n), DOMAIN_OK);
	assert_int_equal(n, 26);
	assert_string_equal(list[0].starts_at, "2021-12-07T18:00");
	assert_string_equal(list[25].starts_at, "2022-11-22T18:00");
	assert_string_equal(list[25].ends_at, "2022-11-22T20:00");
	assert_string_not_equal(list[0].uid, list[1].uid);

	/* Open in June; a decision-maker joins and is expected from then on only. */
	assert_int_equal(group_open(f->d, f->a, &f->lead, g, (struct date){2022, 6, 14}, NULL),
	                 DOMAIN_OK);
	assert_int_equal(group_member_add(f->d, f->a, &f->lead, g, f->dm, GROUP_ROLE_DECISION_MAKER,
	                                  (struct date){2022, 6, 14}, NULL, NULL),
	                 DOMAIN_OK);
	assert_int_equal(meeting_list_for(f->d, f->a, f->dm, "2000-01-01T00:00", 0, &list, &n),
	                 DOMAIN_OK);
	assert_int_equal(n, 12);
	assert_string_equal(list[0].starts_at, "2022-06-21T18:00");
	assert_int_equal(meeting_list_for(f->d, f->a, f->local1, "2022-11-01T00:00", 0, &list, &n),
	                 DOMAIN_OK);
	assert_int_equal(n, 2);

	/* Too many at once, and bad input, are refused with messages. */
	struct schedule_new many = {
	    when(2023, 1, 1, "18:00", "20:00"), SV("1"), {2023, 12, 31}, true};
	field_errors_init(&fe);
	assert_int_equal(meeting_schedule(f->d, f->a, &f->lead, g, &many, &fe, &made),
	                 DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "until"),
	                    "That would make 365 sessions. Make at most 200 at once: choose an "
	                    "earlier last date");
	struct schedule_new bad = {when(2023, 1, 1, "20:00", "18:00"), SV("0"), {2022, 1, 1}, true};
	field_errors_init(&fe);
	assert_int_equal(meeting_schedule(f->d, f->a, &f->lead, g, &bad, &fe, &made),
	                 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "end"));
	assert_non_null(field_error_get(&fe, "every_days"));
	assert_non_null(field_error_get(&fe, "until"));
	assert_int_equal(meeting_list_group(f->d, f->a, g, &list, &n), DOMAIN_OK);
	assert_int_equal(n, 26);
}

static void test_cancel_move_attendance(void **state)
{
	struct fixture *f = *state;
	int64_t g = group_with_members(f), id = 0, venue = 0;
	struct meeting_new in = when(2022, 11, 22, "18:00", "20:00");
	struct venue_new vn = {SV("Demo Hall"),
	                       SV("1 Example Street"),
	                       SV("M5 4WT"),
	                       SV(""),
	                       SV("30"),
	                       SV("12.50"),
	                       true,
	                       true,
	                       false,
	                       false,
	                       true};
	struct field_errors fe;
	struct meeting m;
	struct meeting_notice *notes;
	struct attendee *att;
	size_t n;

	assert_int_equal(venue_save(f->d, f->a, &f->lead, 0, &vn, NULL, &venue), DOMAIN_OK);
	in.venue_id = venue;
	assert_int_equal(meeting_create(f->d, f->a, &f->lead, g, &in, NULL, &id), DOMAIN_OK);
	assert_int_equal(meeting_get(f->d, f->a, id, &m), DOMAIN_OK);
	assert_int_equal(m.sequence, 0);
	assert_string_equal(m.venue.name, "Demo Hall");
	assert_int_equal(m.venue.cost_pence, 1250);
	assert_true(m.venue.step_free);
	char *uid = m.uid;

	/* Move: a message is required; the time changes, the UID stays, SEQUENCE goes up. */
	struct meeting_new to = when(2022, 11, 29, "17:30", "19:30");
	to.venue_id = venue;
	field_errors_init(&fe);
	assert_int_equal(meeting_move(f->d, f->a, &f->fac_actor, id, &to, SV("  "), &fe),
	                 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "message"));
	assert_int_equal(
	    meeting_move(f->d, f->a, &f->fac_actor, id, &to, SV("Moved a week later"), NULL),
	    DOMAIN_OK);
	assert_int_equal(meeting_get(f->d, f->a, id, &m), DOMAIN_OK);
	assert_string_equal(m.starts_at, "2022-11-29T17:30");
	assert_string_equal(m.uid, uid);
	assert_int_equal(m.sequence, 1);

	/* Attendance: a bad value is refused; then recorded, and the session is held. */
	assert_int_equal(meeting_attendees(f->d, f->a, id, &att, &n), DOMAIN_OK);
	assert_int_equal(n, 2);
	assert_string_equal(att[0].display_name, "Zed Local");
	assert_string_equal(att[0].side, "local");
	assert_null(att[0].status);
	int64_t ids[2] = {f->local1, f->fac};
	sv bad[2] = {SV("maybe"), SV("present")};
	sv good[2] = {SV("apologies"), SV("present")};
	field_errors_init(&fe);
	assert_int_equal(meeting_attendance_set(f->d, f->a, &f->fac_actor, id, ids, bad, 2, &fe),
	                 DOMAIN_EINVALID);
	assert_non_null(fe.n ? fe.items[0].message : NULL);
	int64_t stranger[1] = {f->dm};
	assert_int_equal(
	    meeting_attendance_set(f->d, f->a, &f->fac_actor, id, stranger, good, 1, NULL),
	    DOMAIN_EINVALID);
	assert_int_equal(meeting_attendance_set(f->d, f->a, &f->fac_actor, id, ids, good, 2, NULL),
	                 DOMAIN_OK);
	assert_int_equal(meeting_attendees(f->d, f->a, id, &att, &n), DOMAIN_OK);
	assert_string_equal(att[0].status, "apologies");
	assert_string_equal(att[1].status, "present");
	assert_int_equal(meeting_get(f->d, f->a, id, &m), DOMAIN_OK);
	assert_string_equal(m.status, "held");

	/* A held session cannot be cancelled; a planned one can, with a notice kept. */
	assert_int_equal(meeting_cancel(f->d, f->a, &f->fac_actor, id, SV("x"), NULL),
	                 DOMAIN_ECONFLICT);
	int64_t id2 = 0;
	assert_int_equal(meeting_create(f->d, f->a, &f->lead, g, &in, NULL, &id2), DOMAIN_OK);
	assert_int_equal(meeting_cancel(f->d, f->a, &f->fac_actor, id2,
	                                SV("Cancelled: the hall is closed"), NULL),
	                 DOMAIN_OK);
	assert_int_equal(meeting_get(f->d, f->a, id2, &m), DOMAIN_OK);
	assert_string_equal(m.status, "cancelled");
	assert_int_equal(m.sequence, 1);
	assert_int_equal(meeting_notices(f->d, f->a, id2, &notes, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_string_equal(notes[0].kind, "cancelled");
	assert_string_equal(notes[0].by_name, "Fay Facilitator");
	assert_int_equal(meeting_attendance_set(f->d, f->a, &f->fac_actor, id2, ids, good, 2, NULL),
	                 DOMAIN_ECONFLICT);

	/* Agenda, notes and outcomes. */
	assert_int_equal(
	    meeting_agenda_add(f->d, f->a, &f->fac_actor, id, SV("Welcome"), SV(""), NULL),
	    DOMAIN_OK);
	field_errors_init(&fe);
	assert_int_equal(meeting_agenda_add(f->d, f->a, &f->fac_actor, id, SV(""), SV(""), &fe),
	                 DOMAIN_EINVALID);
	assert_int_equal(meeting_notes_set(f->d, f->a, &f->fac_actor, id, SV("Good talk"), NULL),
	                 DOMAIN_OK);
	struct date due = {2022, 12, 6};
	assert_int_equal(meeting_outcome_add(f->d, f->a, &f->fac_actor, id, SV("action"),
	                                     SV("Book the hall"), SV("Fay"), &due, NULL),
	                 DOMAIN_OK);
	assert_int_equal(meeting_outcome_add(f->d, f->a, &f->fac_actor, id, SV("vote"), SV("x"),
	                                     SV(""), NULL, NULL),
	                 DOMAIN_EINVALID);
	struct meeting_outcome *oc;
	assert_int_equal(meeting_outcomes(f->d, f->a, id, &oc, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_string_equal(oc[0].due_on, "2022-12-06");
	assert_int_equal(meeting_get(f->d, f->a, id, &m), DOMAIN_OK);
	assert_string_equal(m.notes, "Good talk");
	assert_int_equal(m.sequence, 2); /* the agenda item */
}

static void test_feed(void **state)
{
	struct fixture *f = *state;
	char t1[SESSION_TOKEN_HEX + 1], t2[SESSION_TOKEN_HEX + 1], *at;
	int64_t who = 0;

	assert_int_equal(calendar_feed_get(f->d, f->a, f->local1, &at), DOMAIN_OK);
	assert_null(at);
	assert_int_equal(calendar_feed_new(f->d, &f->lead, f->local1, t1), DOMAIN_OK);
	assert_int_equal(calendar_feed_account(f->d, sv_from(t1), &who), DOMAIN_OK);
	assert_int_equal(who, f->local1);
	/* A new token replaces the old one. */
	assert_int_equal(calendar_feed_new(f->d, &f->lead, f->local1, t2), DOMAIN_OK);
	assert_int_equal(calendar_feed_account(f->d, sv_from(t1), &who), DOMAIN_ENOTFOUND);
	assert_int_equal(calendar_feed_account(f->d, sv_from(t2), &who), DOMAIN_OK);
	assert_int_equal(calendar_feed_account(f->d, SV("nope"), &who), DOMAIN_ENOTFOUND);
	assert_int_equal(calendar_feed_get(f->d, f->a, f->local1, &at), DOMAIN_OK);
	assert_non_null(at);
	/* Only the hash is stored. */
	db_stmt *s = db_prepare(f->d, "SELECT token_hash FROM calendar_feeds");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_not_equal(db_col_text(s, 0), t2);
	db_done(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_schedule, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cancel_move_attendance, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_feed, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
