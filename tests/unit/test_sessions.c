/* test_sessions.c: sign-in sessions expire when idle or old, keep one CSRF token, and let
 * only facilitators and programme leads act for an assisted person. The clock is passed
 * in, so nothing here sleeps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/accounts.h"
#include "domain/sessions.h"
#include "domain/validate.h"

#define T0 1760000000 /* 2025-10-09T08:53:20Z */

struct fixture {
	db *d;
	arena *a;
	int64_t fac, lead, dm, person, person2, local;
};

static const struct audit_actor system_actor = {0, 0, NULL};

static int64_t make_account(db *d, arena *a, const char *email, const char *name, enum role r)
{
	struct account_new in = {.email = sv_from(email),
				 .display_name = sv_from(name),
				 .password = SV("a long enough password"),
				 .role = r};
	int64_t id = 0;
	assert_int_equal(account_create(d, a, &system_actor, &in, NULL, &id), DOMAIN_OK);
	return id;
}

static int64_t count_with_id(db *d, const char *sql, int64_t id)
{
	db_stmt *st = db_prepare(d, sql);
	int64_t v;
	assert_non_null(st);
	if (id)
		db_bind_int(st, 1, id);
	assert_int_equal(db_step(st), DB_ROW);
	v = db_col_int(st, 0);
	db_done(st);
	return v;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct assisted_new in = {.display_name = SV("Pat"),
				  .contact_note = SV("Tuesday drop-in"),
				  .consent_wording = SV("Agreed")};
	struct audit_actor fac;

	if (!f || db_open(":memory:", &f->d) != DB_OK || db_migrate(f->d, NULL, NULL) != DB_OK)
		return -1;
	f->a = arena_new(4 << 20);
	f->fac = make_account(f->d, f->a, "fac@example.org", "Femi", ROLE_FACILITATOR);
	f->lead = make_account(f->d, f->a, "lead@example.org", "Lena", ROLE_PROGRAMME_LEAD);
	f->dm = make_account(f->d, f->a, "dm@example.org", "Dee", ROLE_DECISION_MAKER);
	f->local = make_account(f->d, f->a, "local@example.org", "Lou", ROLE_LOCAL_PERSON);
	fac = (struct audit_actor){f->fac, 0, NULL};
	if (account_create_assisted(f->d, f->a, &fac, &in, NULL, &f->person) != DOMAIN_OK)
		return -1;
	in.display_name = SV("Sam");
	if (account_create_assisted(f->d, f->a, &fac, &in, NULL, &f->person2) != DOMAIN_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	arena_free(f->a);
	db_close(f->d);
	free(f);
	return 0;
}

static bool is_hex(const char *s, size_t len)
{
	if (strlen(s) != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!strchr("0123456789abcdef", s[i]))
			return false;
	return true;
}

static void create_and_lookup(void **state)
{
	struct fixture *f = *state;
	char token[SESSION_TOKEN_HEX + 1];
	struct session s, made;
	db_stmt *st;

	assert_int_equal(session_create(f->d, f->a, f->fac, "192.0.2.7", T0, token, &made),
			 DOMAIN_OK);
	assert_true(is_hex(token, 64));
	assert_true(is_hex(made.csrf, 64));
	assert_string_equal(made.created_at, "2025-10-09T08:53:20Z");
	assert_string_equal(made.expires_at, "2025-10-09T20:53:20Z");

	assert_int_equal(session_lookup(f->d, f->a, sv_from(token), T0 + 5, &s), DOMAIN_OK);
	assert_int_equal(s.id, made.id);
	assert_int_equal(s.account_id, f->fac);
	assert_int_equal(s.role, ROLE_FACILITATOR);
	assert_string_equal(s.display_name, "Femi");
	assert_int_equal(s.acting_for, 0);

	/* The database keeps a hash, never the token itself. */
	st = db_prepare(f->d, "SELECT token_hash FROM sessions WHERE id = ?");
	db_bind_int(st, 1, s.id);
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(is_hex(db_col_text(st, 0), 64));
	assert_string_not_equal(db_col_text(st, 0), token);
	db_done(st);
	assert_int_equal(count_with_id(f->d, "SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in'"
				     " AND account_id = ?",
			       f->fac),
			 1);
	assert_int_equal(count_with_id(f->d, "SELECT COUNT(*) FROM audit_log WHERE after_json LIKE"
				     " '%' || (SELECT token_hash FROM sessions LIMIT 1) || '%'",
			       0),
			 0);

	/* Unknown, malformed and altered tokens find nothing. */
	assert_int_equal(session_lookup(f->d, f->a, SV("nope"), T0, &s), DOMAIN_ENOTFOUND);
	assert_int_equal(session_lookup(f->d, f->a, SV(""), T0, &s), DOMAIN_ENOTFOUND);
	token[0] = token[0] == 'a' ? 'b' : 'a';
	assert_int_equal(session_lookup(f->d, f->a, sv_from(token), T0, &s), DOMAIN_ENOTFOUND);
	memset(token, 'z', SESSION_TOKEN_HEX);
	assert_int_equal(session_lookup(f->d, f->a, sv_from(token), T0, &s), DOMAIN_ENOTFOUND);

	/* No session for an account that does not exist. */
	assert_int_equal(session_create(f->d, f->a, 9999, NULL, T0, token, NULL), DOMAIN_ENOTFOUND);
}

static void idle_expiry(void **state)
{
	struct fixture *f = *state;
	char token[SESSION_TOKEN_HEX + 1];
	struct session s;

	assert_int_equal(session_create(f->d, f->a, f->dm, NULL, T0, token, NULL), DOMAIN_OK);
	assert_int_equal(session_lookup(f->d, f->a, sv_from(token), T0 + SESSION_IDLE_SECONDS - 1,
					&s),
			 DOMAIN_OK);
	/* That use counts: 29 minutes after it, still signed in. */
	assert_int_equal(session_lookup(f->d, f->a, sv_from(token),
					T0 + 2 * SESSION_IDLE_SECONDS - 61, &s),
			 DOMAIN_OK);
	/* Idle for the whole 30 minutes: gone, and deleted. */
	assert_int_equal(session_lookup(f->d, f->a, sv_from(token),
					T0 + 3 * SESSION_IDLE_SECONDS, &s),
			 DOMAIN_ENOTFOUND);
	assert_int_equal(count_with_id(f->d, "SELECT COUNT(*) FROM sessions", 0), 0);
}

static void absolute_expiry(void **state)
{
	struct fixture *f = *state;
	char token[SESSION_TOKEN_HEX + 1];
	struct session s;
	int64_t t;

	assert_int_equal(session_create(f->d, f->a, f->dm, NULL, T0, token, NULL), DOMAIN_OK);
	/* Busy all day, never idle for long, still signed out after 12 hours. */
	for (t = T0 + 20 * 60; t < T0 + SESSION_ABSOLUTE_SECONDS; t += 20 * 60)
		assert_int_equal(session_lookup(f->d, f->a, sv_from(token), t, &s), DOMAIN_OK);
	assert_int_equal(session_lookup(f->d, f->a, sv_from(token), T0 + SESSION_ABSOLUTE_SECONDS,
					&s),
			 DOMAIN_ENOTFOUND);
}

static void touched_at_most_once_a_minute(void **state)
{
	struct fixture *f = *state;
	char token[SESSION_TOKEN_HEX + 1];
	struct session s;

	assert_int_equal(session_create(f->d, f->a, f->dm, NULL, T0, token, NULL), DOMAIN_OK);
	assert_int_equal(session_lookup(f->d, f->a, sv_from(token), T0 + 30, &s), DOMAIN_OK);
	assert_string_equal(s.last_seen_at, "2025-10-09T08:53:20Z");
	assert_int_equal(session_lookup(f->d, f->a, sv_from(token), T0 + 59, &s), DOMAIN_OK);
	assert_string_equal(s.last_seen_at, "2025-10-09T08:53:20Z");
	assert_int_equal(session_lookup(f->d, f->a, sv_from(token), T0 + 61, &s), DOMAIN_OK);
	assert_string_equal(s.last_seen_at, "2025-10-09T08:54:21Z");
	/* And it was written, not just reported. */
	assert_int_equal(session_lookup(f->d, f->a, sv_from(token), T0 + 62, &s), DOMAIN_OK);
	assert_string_equal(s.last_seen_at, "2025-10-09T08:54:21Z");
}

static void csrf_token(void **state)
{
	struct fixture *f = *state;
	char t1[SESSION_TOKEN_HEX + 1], t2[SESSION_TOKEN_HEX + 1], csrf[SESSION_TOKEN_HEX + 1];
	struct session s1, s2;

	assert_int_equal(session_create(f->d, f->a, f->dm, NULL, T0, t1, &s1), DOMAIN_OK);
	memcpy(csrf, s1.csrf, sizeof(csrf));
	assert_int_equal(session_lookup(f->d, f->a, sv_from(t1), T0 + 100, &s1), DOMAIN_OK);
	assert_string_equal(s1.csrf, csrf);
	assert_int_equal(session_lookup(f->d, f->a, sv_from(t1), T0 + 1000, &s1), DOMAIN_OK);
	assert_string_equal(s1.csrf, csrf);
	assert_true(session_csrf_ok(&s1, sv_from(csrf)));

	assert_int_equal(session_create(f->d, f->a, f->dm, NULL, T0, t2, &s2), DOMAIN_OK);
	assert_string_not_equal(s2.csrf, s1.csrf);
	assert_string_not_equal(s1.csrf, t1); /* not the session token either */
	assert_false(session_csrf_ok(&s1, sv_from(s2.csrf)));
	assert_false(session_csrf_ok(&s1, SV("")));
	assert_false(session_csrf_ok(&s1, (sv){csrf, 63}));
	assert_false(session_csrf_ok(&s1, SV_NULL));

	assert_true(token_equal(SV("abc"), SV("abc")));
	assert_false(token_equal(SV("abc"), SV("abd")));
	assert_false(token_equal(SV("abc"), SV("abcd")));
}

static void acting_for(void **state)
{
	struct fixture *f = *state;
	char token[SESSION_TOKEN_HEX + 1];
	struct session s, again;
	db_stmt *st;

	assert_int_equal(session_create(f->d, f->a, f->fac, NULL, T0, token, &s), DOMAIN_OK);
	assert_int_equal(session_act_for(f->d, f->a, &s, f->person, "192.0.2.9"), DOMAIN_OK);
	assert_int_equal(s.acting_for, f->person);
	assert_string_equal(s.acting_for_name, "Pat");
	assert_int_equal(session_lookup(f->d, f->a, sv_from(token), T0 + 1, &again), DOMAIN_OK);
	assert_int_equal(again.acting_for, f->person);
	assert_string_equal(again.acting_for_name, "Pat");

	/* Changes made now are recorded as the facilitator, on Pat's behalf. */
	struct audit_actor who = session_actor(&again, NULL);
	assert_int_equal(who.account_id, f->fac);
	assert_int_equal(who.on_behalf_of, f->person);

	st = db_prepare(f->d, "SELECT account_id, on_behalf_of, entity_id, address FROM audit_log"
			      " WHERE action = 'acting_for_start'");
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), f->fac);
	assert_int_equal(db_col_int(st, 1), f->person);
	assert_int_equal(db_col_int(st, 2), f->person);
	assert_string_equal(db_col_text(st, 3), "192.0.2.9");
	db_done(st);

	assert_int_equal(session_act_for_stop(f->d, f->a, &again, NULL), DOMAIN_OK);
	assert_int_equal(again.acting_for, 0);
	assert_int_equal(session_lookup(f->d, f->a, sv_from(token), T0 + 2, &s), DOMAIN_OK);
	assert_int_equal(s.acting_for, 0);
	assert_null(s.acting_for_name);
	assert_int_equal(count_with_id(f->d, "SELECT COUNT(*) FROM audit_log WHERE action ="
				     " 'acting_for_stop' AND on_behalf_of = ?",
			       f->person),
			 1);
	/* Stopping again is harmless and records nothing. */
	assert_int_equal(session_act_for_stop(f->d, f->a, &s, NULL), DOMAIN_OK);
	assert_int_equal(count_with_id(f->d, "SELECT COUNT(*) FROM audit_log WHERE action ="
				     " 'acting_for_stop'",
			       0),
			 1);

	/* Moving straight from one person to another records both. */
	assert_int_equal(session_act_for(f->d, f->a, &s, f->person, NULL), DOMAIN_OK);
	assert_int_equal(session_act_for(f->d, f->a, &s, f->person2, NULL), DOMAIN_OK);
	assert_string_equal(s.acting_for_name, "Sam");
	assert_int_equal(count_with_id(f->d, "SELECT COUNT(*) FROM audit_log WHERE action ="
				     " 'acting_for_stop' AND on_behalf_of = ?",
			       f->person),
			 2);
	assert_int_equal(count_with_id(f->d, "SELECT COUNT(*) FROM audit_log WHERE action ="
				     " 'acting_for_start' AND on_behalf_of = ?",
			       f->person2),
			 1);
	assert_int_equal(session_act_for_stop(f->d, f->a, &s, NULL), DOMAIN_OK);

	/* Only for an assisted local person. */
	assert_int_equal(session_act_for(f->d, f->a, &s, f->local, NULL), DOMAIN_ENOTFOUND);
	assert_int_equal(session_act_for(f->d, f->a, &s, 9999, NULL), DOMAIN_ENOTFOUND);
	assert_int_equal(s.acting_for, 0);
}

static void acting_for_programme_lead(void **state)
{
	struct fixture *f = *state;
	char token[SESSION_TOKEN_HEX + 1];
	struct session s;

	assert_int_equal(session_create(f->d, f->a, f->lead, NULL, T0, token, &s), DOMAIN_OK);
	assert_int_equal(session_act_for(f->d, f->a, &s, f->person, NULL), DOMAIN_OK);
}

static void acting_for_refused(void **state)
{
	struct fixture *f = *state;
	char token[SESSION_TOKEN_HEX + 1];
	struct session s;

	assert_int_equal(session_create(f->d, f->a, f->dm, NULL, T0, token, &s), DOMAIN_OK);
	assert_int_equal(session_act_for(f->d, f->a, &s, f->person, NULL), DOMAIN_EFORBIDDEN);
	assert_int_equal(s.acting_for, 0);
	assert_int_equal(session_lookup(f->d, f->a, sv_from(token), T0 + 1, &s), DOMAIN_OK);
	assert_int_equal(s.acting_for, 0);
	assert_int_equal(count_with_id(f->d, "SELECT COUNT(*) FROM audit_log WHERE action ="
				     " 'acting_for_start'",
			       0),
			 0);

	/* A local person cannot act for another either. */
	assert_int_equal(session_create(f->d, f->a, f->local, NULL, T0, token, &s), DOMAIN_OK);
	assert_int_equal(session_act_for(f->d, f->a, &s, f->person, NULL), DOMAIN_EFORBIDDEN);
}

static void demoted_facilitator_stops_acting(void **state)
{
	struct fixture *f = *state;
	char token[SESSION_TOKEN_HEX + 1];
	struct account_changes c = {SV("Femi"), ROLE_DECISION_MAKER, 0};
	struct session s;

	assert_int_equal(session_create(f->d, f->a, f->fac, NULL, T0, token, &s), DOMAIN_OK);
	assert_int_equal(session_act_for(f->d, f->a, &s, f->person, NULL), DOMAIN_OK);
	assert_int_equal(account_update(f->d, f->a, &system_actor, f->fac, &c, NULL), DOMAIN_OK);
	assert_int_equal(session_lookup(f->d, f->a, sv_from(token), T0 + 1, &s), DOMAIN_OK);
	assert_int_equal(s.role, ROLE_DECISION_MAKER);
	assert_int_equal(s.acting_for, 0);
}

static void destroy(void **state)
{
	struct fixture *f = *state;
	char t1[SESSION_TOKEN_HEX + 1], t2[SESSION_TOKEN_HEX + 1], t3[SESSION_TOKEN_HEX + 1];
	struct session s, keep;

	assert_int_equal(session_create(f->d, f->a, f->dm, NULL, T0, t1, NULL), DOMAIN_OK);
	assert_int_equal(session_destroy(f->d, f->a, sv_from(t1), "192.0.2.3"), DOMAIN_OK);
	assert_int_equal(session_lookup(f->d, f->a, sv_from(t1), T0 + 1, &s), DOMAIN_ENOTFOUND);
	assert_int_equal(count_with_id(f->d, "SELECT COUNT(*) FROM audit_log WHERE action = 'sign_out'"
				     " AND account_id = ?",
			       f->dm),
			 1);
	/* Signing out twice, or with rubbish, is not an error. */
	assert_int_equal(session_destroy(f->d, f->a, sv_from(t1), NULL), DOMAIN_OK);
	assert_int_equal(session_destroy(f->d, f->a, SV("rubbish"), NULL), DOMAIN_OK);

	assert_int_equal(session_create(f->d, f->a, f->dm, NULL, T0, t1, NULL), DOMAIN_OK);
	assert_int_equal(session_create(f->d, f->a, f->dm, NULL, T0, t2, &keep), DOMAIN_OK);
	assert_int_equal(session_create(f->d, f->a, f->fac, NULL, T0, t3, NULL), DOMAIN_OK);
	assert_int_equal(session_destroy_all_for(f->d, f->dm, keep.id), DOMAIN_OK);
	assert_int_equal(session_lookup(f->d, f->a, sv_from(t1), T0 + 1, &s), DOMAIN_ENOTFOUND);
	assert_int_equal(session_lookup(f->d, f->a, sv_from(t2), T0 + 1, &s), DOMAIN_OK);
	assert_int_equal(session_lookup(f->d, f->a, sv_from(t3), T0 + 1, &s), DOMAIN_OK);
	assert_int_equal(session_destroy_all_for(f->d, f->dm, 0), DOMAIN_OK);
	assert_int_equal(session_lookup(f->d, f->a, sv_from(t2), T0 + 1, &s), DOMAIN_ENOTFOUND);
}

static void disabled_account_is_signed_out(void **state)
{
	struct fixture *f = *state;
	char token[SESSION_TOKEN_HEX + 1];
	struct session s;

	assert_int_equal(session_create(f->d, f->a, f->dm, NULL, T0, token, NULL), DOMAIN_OK);
	/* Even if the sessions were not deleted, a disabled account's session is refused. */
	db_stmt *st = db_prepare(f->d, "UPDATE accounts SET disabled_at = '2025-01-01T00:00:00Z'"
				       " WHERE id = ?");
	db_bind_int(st, 1, f->dm);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	assert_int_equal(session_lookup(f->d, f->a, sv_from(token), T0 + 1, &s), DOMAIN_ENOTFOUND);
	assert_int_equal(session_create(f->d, f->a, f->dm, NULL, T0, token, NULL),
			 DOMAIN_ENOTFOUND);
}

static void iso_times(void **state)
{
	char buf[ISO_TIME_LEN];
	int64_t t;
	(void)state;

	iso_from_unix(0, buf);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	iso_from_unix(T0, buf);
	assert_int_equal(iso_to_unix(buf, &t), 0);
	assert_int_equal(t, T0);
	assert_int_equal(iso_to_unix("2025-13-01T00:00:00Z", &t), -1);
	assert_int_equal(iso_to_unix("2025-10-09 08:53:20Z", &t), -1);
	assert_int_equal(iso_to_unix("2025-10-09T08:53:20", &t), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(create_and_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(idle_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(absolute_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(touched_at_most_once_a_minute, setup, teardown),
		cmocka_unit_test_setup_teardown(csrf_token, setup, teardown),
		cmocka_unit_test_setup_teardown(acting_for, setup, teardown),
		cmocka_unit_test_setup_teardown(acting_for_programme_lead, setup, teardown),
		cmocka_unit_test_setup_teardown(acting_for_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(demoted_facilitator_stops_acting, setup, teardown),
		cmocka_unit_test_setup_teardown(destroy, setup, teardown),
		cmocka_unit_test_setup_teardown(disabled_account_is_signed_out, setup, teardown),
		cmocka_unit_test(iso_times),
	};
	setenv("COPROD_TEST_FAST_HASH", "1", 1);
	log_set_level(LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
