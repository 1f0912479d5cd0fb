/* test_password.c: password hashing and rules, and one-time reset links. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/accounts.h"
#include "domain/password.h"
#include "domain/sessions.h"
#include "domain/signin.h"
#include "domain/validate.h"
#include "testdb.h"

#define T0 1760000000
#define OLD_PASSWORD "a long enough password"

struct fixture {
	db *d;
	arena *a;
	int64_t lead, ann;
};

static void hash_and_verify(void **state)
{
	char hash[PASSWORD_HASH_MAX], again[PASSWORD_HASH_MAX];
	(void)state;

	assert_int_equal(password_hash(SV("correct horse battery"), hash), 0);
	assert_true(strncmp(hash, "$argon2id$", 10) == 0);
	/* Tests run with COPROD_TEST_FAST_HASH=1: the minimum cost. */
	assert_non_null(strstr(hash, "$m=8,t=1,"));
	assert_true(password_verify(hash, SV("correct horse battery")));
	assert_false(password_verify(hash, SV("correct horse batter")));
	assert_false(password_verify(hash, SV("")));
	assert_false(password_verify("", SV("correct horse battery")));
	assert_false(password_verify("not a hash", SV("correct horse battery")));
	/* Salted: the same password never hashes the same way twice. */
	assert_int_equal(password_hash(SV("correct horse battery"), again), 0);
	assert_string_not_equal(hash, again);
	/* Not NUL-terminated input is fine: only LEN bytes count. */
	assert_true(password_verify(hash, (sv){"correct horse battery staple", 21}));
	password_verify_dummy(SV("anything"));
}

/* Without the test switch, hashes use the interactive cost (64 MiB, 2 passes). The cost
 * is chosen once per process, so a fresh copy of this program, run without the switch,
 * makes the hash (see main). */
#define CHILD_ARG "--hash-without-test-switch"

static void server_cost_without_test_switch(void **state)
{
	int fds[2];
	char buf[PASSWORD_HASH_MAX] = "";
	pid_t pid;
	int status;
	(void)state;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		unsetenv(PASSWORD_FAST_ENV);
		execl("/proc/self/exe", "test_password", CHILD_ARG, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	assert_true(read(fds[0], buf, sizeof(buf) - 1) > 0);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_non_null(strstr(buf, "$m=65536,t=2,"));
	/* And it verifies here, whatever this process's own cost. */
	assert_true(password_verify(buf, SV("correct horse battery")));
}

static void *verify_thread(void *arg)
{
	const char *hash = arg;
	for (int i = 0; i < 5; i++)
		if (!password_verify(hash, SV("correct horse battery")))
			return (void *)1;
	return NULL;
}

/* More threads than hash slots: they queue and all get the right answer. */
static void concurrent_verification(void **state)
{
	char hash[PASSWORD_HASH_MAX];
	pthread_t th[6];
	void *res;
	(void)state;

	assert_int_equal(password_hash(SV("correct horse battery"), hash), 0);
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(pthread_create(&th[i], NULL, verify_thread, hash), 0);
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(pthread_join(th[i], &res), 0);
		assert_null(res);
	}
}

static void rules(void **state)
{
	char longest[PASSWORD_MAX_BYTES + 2];
	(void)state;

	assert_string_equal(password_check_rules(SV(""), SV_NULL), "Enter a password");
	assert_string_equal(password_check_rules(SV("123456789"), SV_NULL),
			    "Password must be 10 characters or more");
	assert_null(password_check_rules(SV("1234567890"), SV_NULL));
	/* Characters, not bytes: nine accented letters are still too short. */
	assert_non_null(password_check_rules(SV("ééééééééé"), SV_NULL));
	assert_null(password_check_rules(SV("éééééééééé"), SV_NULL));

	memset(longest, 'x', sizeof(longest));
	assert_null(password_check_rules((sv){longest, PASSWORD_MAX_BYTES}, SV_NULL));
	assert_string_equal(password_check_rules((sv){longest, PASSWORD_MAX_BYTES + 1}, SV_NULL),
			    "Password must be 128 characters or fewer");

	assert_string_equal(password_check_rules(SV("Ann.Long@Example.org"),
						 SV(" ann.long@example.org")),
			    "Password must not be the same as your email address");
	assert_null(password_check_rules(SV("ann.long@example.org!"), SV("ann.long@example.org")));
}

/* --- Reset links --------------------------------------------------------------------- */

static int setup(void **state)
{
	static const struct audit_actor system_actor = {0, 0, NULL};
	struct fixture *f = calloc(1, sizeof(*f));
	struct account_new lead = {.email = SV("lead@example.org"),
				   .display_name = SV("Lena Lead"),
				   .password = SV(OLD_PASSWORD),
				   .role = ROLE_PROGRAMME_LEAD};
	struct account_new ann = {.email = SV("ann@example.org"),
				  .display_name = SV("Ann"),
				  .password = SV(OLD_PASSWORD),
				  .role = ROLE_LOCAL_PERSON};

	if (!f || db_open(":memory:", &f->d) != DB_OK || db_migrate(f->d, NULL, NULL) != DB_OK)
		return -1;
	f->a = arena_new(4 << 20);
	if (account_create(f->d, f->a, &system_actor, &lead, NULL, &f->lead) != DOMAIN_OK ||
	    account_create(f->d, f->a, &system_actor, &ann, NULL, &f->ann) != DOMAIN_OK)
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

static void reset_is_used_once(void **state)
{
	struct fixture *f = *state;
	struct audit_actor lead = {f->lead, 0, NULL};
	char token[RESET_TOKEN_HEX + 1], session[SESSION_TOKEN_HEX + 1];
	struct field_errors errs;
	struct session s;
	int64_t who = 0;

	assert_int_equal(session_create(f->d, f->a, f->ann, NULL, T0, session, NULL), DOMAIN_OK);
	assert_int_equal(reset_create(f->d, f->a, &lead, f->ann, T0, token), DOMAIN_OK);
	assert_int_equal(strlen(token), RESET_TOKEN_HEX);
	assert_int_equal(reset_lookup(f->d, sv_from(token), T0 + 60, &who), DOMAIN_OK);
	assert_int_equal(who, f->ann);

	/* A password that breaks the rules leaves the link usable. */
	field_errors_init(&errs);
	assert_int_equal(reset_use(f->d, f->a, sv_from(token), SV("short"), NULL, T0 + 60, &errs,
				   NULL),
			 DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&errs, "password"),
			    "Password must be 10 characters or more");
	assert_int_equal(reset_lookup(f->d, sv_from(token), T0 + 60, &who), DOMAIN_OK);

	who = 0;
	assert_int_equal(reset_use(f->d, f->a, sv_from(token), SV("my new password"), "192.0.2.1",
				   T0 + 120, NULL, &who),
			 DOMAIN_OK);
	assert_int_equal(who, f->ann);
	assert_true(account_check_password(f->d, f->ann, SV("my new password")));
	assert_false(account_check_password(f->d, f->ann, SV(OLD_PASSWORD)));
	/* Signed out everywhere. */
	assert_int_equal(session_lookup(f->d, f->a, sv_from(session), T0 + 121, &s),
			 DOMAIN_ENOTFOUND);

	/* Once only. */
	assert_int_equal(reset_lookup(f->d, sv_from(token), T0 + 180, &who), DOMAIN_ENOTFOUND);
	assert_int_equal(reset_use(f->d, f->a, sv_from(token), SV("another new password"), NULL,
				   T0 + 180, NULL, NULL),
			 DOMAIN_ENOTFOUND);
	assert_true(account_check_password(f->d, f->ann, SV("my new password")));

	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log"
				     " WHERE action = 'reset_create'"),
			 1);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE action ="
				     " 'password_reset' AND address = '192.0.2.1'"),
			 1);
	/* Neither the token, its hash nor the password hash is in the audit log. */
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log a, password_resets r"
				     " WHERE a.after_json LIKE '%' || r.token_hash || '%'"
				     " OR a.after_json LIKE '%argon2%'"),
			 0);
}

static void reset_expires_after_a_day(void **state)
{
	struct fixture *f = *state;
	struct audit_actor lead = {f->lead, 0, NULL};
	char token[RESET_TOKEN_HEX + 1];
	int64_t who;

	assert_int_equal(reset_create(f->d, f->a, &lead, f->ann, T0, token), DOMAIN_OK);
	assert_int_equal(reset_lookup(f->d, sv_from(token), T0 + RESET_VALID_SECONDS - 1, &who),
			 DOMAIN_OK);
	assert_int_equal(reset_lookup(f->d, sv_from(token), T0 + RESET_VALID_SECONDS, &who),
			 DOMAIN_ENOTFOUND);
	assert_int_equal(reset_use(f->d, f->a, sv_from(token), SV("my new password"), NULL,
				   T0 + RESET_VALID_SECONDS, NULL, NULL),
			 DOMAIN_ENOTFOUND);
	assert_true(account_check_password(f->d, f->ann, SV(OLD_PASSWORD)));
}

static void new_reset_replaces_old(void **state)
{
	struct fixture *f = *state;
	struct audit_actor lead = {f->lead, 0, NULL};
	char first[RESET_TOKEN_HEX + 1], second[RESET_TOKEN_HEX + 1];
	struct reset_open *open;
	size_t n;
	int64_t who;

	assert_int_equal(reset_create(f->d, f->a, &lead, f->ann, T0, first), DOMAIN_OK);
	assert_int_equal(reset_create(f->d, f->a, &lead, f->ann, T0 + 60, second), DOMAIN_OK);
	assert_string_not_equal(first, second);
	assert_int_equal(reset_lookup(f->d, sv_from(first), T0 + 120, &who), DOMAIN_ENOTFOUND);
	assert_int_equal(reset_lookup(f->d, sv_from(second), T0 + 120, &who), DOMAIN_OK);

	/* The programme leads' list shows the one open link, without its token. */
	assert_int_equal(reset_list_open(f->d, f->a, T0 + 120, 50, &open, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(open[0].account_id, f->ann);
	assert_string_equal(open[0].account_name, "Ann");
	assert_string_equal(open[0].account_email, "ann@example.org");
	assert_int_equal(open[0].created_by, f->lead);
	assert_string_equal(open[0].created_by_name, "Lena Lead");
	assert_string_equal(open[0].created_at, "2025-10-09T08:54:20Z");
	assert_string_equal(open[0].expires_at, "2025-10-10T08:54:20Z");
	assert_int_equal(reset_list_open(f->d, f->a, T0 + 60 + RESET_VALID_SECONDS, 50, &open, &n),
			 DOMAIN_OK);
	assert_int_equal(n, 0);
}

static void reset_refused_for_disabled_or_missing(void **state)
{
	struct fixture *f = *state;
	struct audit_actor lead = {f->lead, 0, NULL};
	char token[RESET_TOKEN_HEX + 1];
	int64_t who;

	assert_int_equal(reset_create(f->d, f->a, &lead, 9999, T0, token), DOMAIN_ENOTFOUND);
	assert_int_equal(reset_create(f->d, f->a, &lead, f->ann, T0, token), DOMAIN_OK);
	assert_int_equal(account_set_disabled(f->d, f->a, &lead, f->ann, true), DOMAIN_OK);
	/* A link made before the account was disabled stops working too. */
	assert_int_equal(reset_lookup(f->d, sv_from(token), T0 + 1, &who), DOMAIN_ENOTFOUND);
	assert_int_equal(reset_create(f->d, f->a, &lead, f->ann, T0, token), DOMAIN_EFORBIDDEN);
	assert_int_equal(reset_lookup(f->d, SV("0123"), T0, &who), DOMAIN_ENOTFOUND);
}

static void reset_clears_lockout(void **state)
{
	struct fixture *f = *state;
	struct audit_actor lead = {f->lead, 0, NULL};
	char token[RESET_TOKEN_HEX + 1];
	struct account acc;
	int retry;

	for (int i = 0; i < SIGNIN_ACCOUNT_LIMIT; i++)
		assert_int_equal(signin_attempt(f->d, f->a, SV("ann@example.org"), SV("guess"),
						NULL, T0, &acc, &retry),
				 SIGNIN_BAD);
	assert_int_equal(signin_attempt(f->d, f->a, SV("ann@example.org"), SV(OLD_PASSWORD), NULL,
					T0, &acc, &retry),
			 SIGNIN_LOCKED);
	assert_int_equal(reset_create(f->d, f->a, &lead, f->ann, T0, token), DOMAIN_OK);
	assert_int_equal(reset_use(f->d, f->a, sv_from(token), SV("my new password"), NULL, T0 + 60,
				   NULL, NULL),
			 DOMAIN_OK);
	assert_int_equal(signin_attempt(f->d, f->a, SV("ann@example.org"), SV("my new password"),
					NULL, T0 + 61, &acc, &retry),
			 SIGNIN_OK);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hash_and_verify),
		cmocka_unit_test(server_cost_without_test_switch),
		cmocka_unit_test(concurrent_verification),
		cmocka_unit_test(rules),
		cmocka_unit_test_setup_teardown(reset_is_used_once, setup, teardown),
		cmocka_unit_test_setup_teardown(reset_expires_after_a_day, setup, teardown),
		cmocka_unit_test_setup_teardown(new_reset_replaces_old, setup, teardown),
		cmocka_unit_test_setup_teardown(reset_refused_for_disabled_or_missing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(reset_clears_lockout, setup, teardown),
	};
	log_set_level(LOG_ERROR);
	if (argc == 2 && strcmp(argv[1], CHILD_ARG) == 0) {
		char hash[PASSWORD_HASH_MAX];
		if (password_hash(SV("correct horse battery"), hash) != 0)
			return 1;
		return fputs(hash, stdout) < 0;
	}
	setenv(PASSWORD_FAST_ENV, "1", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
