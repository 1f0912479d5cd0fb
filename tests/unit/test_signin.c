/* test_signin.c: signing in, the same answer for an unknown email and a wrong password,
 * and the limits on repeated failures by account and by address. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/accounts.h"
#include "domain/password.h"
#include "domain/signin.h"
#include "domain/validate.h"
#include "testdb.h"

#define T0 1760000000
#define PASSWORD "a long enough password"
#define HOME "198.51.100.1"

struct fixture {
	db *d;
	arena *a;
	int64_t ann, bob;
};

static const struct audit_actor system_actor = {0, 0, NULL};

static int64_t make_account(db *d, arena *a, const char *email, const char *name)
{
	struct account_new in = {.email = sv_from(email),
				 .display_name = sv_from(name),
				 .password = SV(PASSWORD),
				 .role = ROLE_LOCAL_PERSON};
	int64_t id = 0;
	assert_int_equal(account_create(d, a, &system_actor, &in, NULL, &id), DOMAIN_OK);
	return id;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (!f || db_open(":memory:", &f->d) != DB_OK || db_migrate(f->d, NULL, NULL) != DB_OK)
		return -1;
	f->a = arena_new(8 << 20);
	f->ann = make_account(f->d, f->a, "ann@example.org", "Ann");
	f->bob = make_account(f->d, f->a, "bob@example.org", "Bob");
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

static enum signin_result attempt(struct fixture *f, const char *email, const char *password,
				  const char *address, int64_t now, int *retry)
{
	struct account acc;
	return signin_attempt(f->d, f->a, sv_from(email), sv_from(password), address, now, &acc,
			      retry);
}

static void correct_password(void **state)
{
	struct fixture *f = *state;
	struct account acc;
	int retry = -1;

	assert_int_equal(signin_attempt(f->d, f->a, SV(" Ann@Example.org"), SV(PASSWORD), HOME,
					T0, &acc, &retry),
			 SIGNIN_OK);
	assert_int_equal(acc.id, f->ann);
	assert_string_equal(acc.display_name, "Ann");
	assert_int_equal(retry, 0);
	assert_null(signin_message(f->a, SIGNIN_OK, 0));
}

static void wrong_password_and_unknown_email_look_the_same(void **state)
{
	struct fixture *f = *state;
	int retry;

	assert_int_equal(attempt(f, "ann@example.org", "not the password", HOME, T0, &retry),
			 SIGNIN_BAD);
	assert_int_equal(attempt(f, "nobody@example.org", PASSWORD, HOME, T0, &retry), SIGNIN_BAD);
	assert_int_equal(attempt(f, "not an email", PASSWORD, HOME, T0, &retry), SIGNIN_BAD);
	assert_string_equal(signin_message(f->a, SIGNIN_BAD, 0),
			    "Enter a correct email address and password");
	/* Each failure counted by address; the well-formed emails by email too. */
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM sign_in_failures"
				     " WHERE kind = 'address'"),
			 3);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM sign_in_failures"
				     " WHERE kind = 'account'"),
			 2);
	/* Failed sign-ins change no one's data, so they are not in the audit log. */
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'sign%'"),
			 0);
}

static void locked_after_five_failures(void **state)
{
	struct fixture *f = *state;
	int retry = 0;

	for (int i = 0; i < SIGNIN_ACCOUNT_LIMIT; i++)
		assert_int_equal(attempt(f, "ann@example.org", "guess", NULL, T0 + i, &retry),
				 SIGNIN_BAD);
	/* Now even the right password is refused, with a time to come back. */
	assert_int_equal(attempt(f, "ann@example.org", PASSWORD, NULL, T0 + 10, &retry),
			 SIGNIN_LOCKED);
	assert_int_equal(retry, 15);
	assert_string_equal(signin_message(f->a, SIGNIN_LOCKED, retry),
			    "There have been too many attempts to sign in. "
			    "Try again in 15 minutes");
	assert_int_equal(attempt(f, "ANN@example.org", PASSWORD, NULL, T0 + 6 * 60, &retry),
			 SIGNIN_LOCKED);
	assert_int_equal(retry, 9);
	/* Refused attempts are not counted, so waiting is enough. */
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM sign_in_failures"
				     " WHERE kind = 'account'"),
			 5);
	/* Bob is not affected. */
	assert_int_equal(attempt(f, "bob@example.org", PASSWORD, NULL, T0 + 10, &retry), SIGNIN_OK);
	/* The lock lifts when the oldest of the five failures is 15 minutes old. */
	assert_int_equal(attempt(f, "ann@example.org", PASSWORD, NULL,
				 T0 + SIGNIN_WINDOW_SECONDS - 1, &retry),
			 SIGNIN_LOCKED);
	assert_int_equal(retry, 1);
	assert_string_equal(signin_message(f->a, SIGNIN_LOCKED, retry),
			    "There have been too many attempts to sign in. Try again in 1 "
			    "minute");
	assert_int_equal(attempt(f, "ann@example.org", PASSWORD, NULL, T0 + SIGNIN_WINDOW_SECONDS,
				 &retry),
			 SIGNIN_OK);
	/* And success clears Ann's failures. */
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM sign_in_failures"
				     " WHERE kind = 'account'"),
			 0);
}

static void four_failures_do_not_lock(void **state)
{
	struct fixture *f = *state;
	int retry;

	for (int i = 0; i < SIGNIN_ACCOUNT_LIMIT - 1; i++)
		assert_int_equal(attempt(f, "ann@example.org", "guess", NULL, T0, &retry),
				 SIGNIN_BAD);
	assert_int_equal(attempt(f, "ann@example.org", PASSWORD, NULL, T0, &retry), SIGNIN_OK);
	/* The success cleared the count: four more mistakes still do not lock. */
	for (int i = 0; i < SIGNIN_ACCOUNT_LIMIT - 1; i++)
		assert_int_equal(attempt(f, "ann@example.org", "guess", NULL, T0, &retry),
				 SIGNIN_BAD);
	assert_int_equal(attempt(f, "ann@example.org", PASSWORD, NULL, T0, &retry), SIGNIN_OK);
}

static void unknown_email_locks_the_same_way(void **state)
{
	struct fixture *f = *state;
	int retry = 0;

	for (int i = 0; i < SIGNIN_ACCOUNT_LIMIT; i++)
		assert_int_equal(attempt(f, "nobody@example.org", "guess", NULL, T0, &retry),
				 SIGNIN_BAD);
	assert_int_equal(attempt(f, "nobody@example.org", "guess", NULL, T0 + 60, &retry),
			 SIGNIN_LOCKED);
	assert_int_equal(retry, 14);
}

static void address_limit(void **state)
{
	struct fixture *f = *state;
	char email[64];
	int retry = 0;

	/* Twenty guesses at different emails from one address. */
	for (int i = 0; i < SIGNIN_ADDRESS_LIMIT; i++) {
		snprintf(email, sizeof(email), "person%d@example.org", i);
		assert_int_equal(attempt(f, email, "guess", "203.0.113.5", T0, &retry), SIGNIN_BAD);
	}
	/* That address is now refused, even for Bob with his right password... */
	assert_int_equal(attempt(f, "bob@example.org", PASSWORD, "203.0.113.5", T0 + 30, &retry),
			 SIGNIN_LOCKED);
	assert_int_equal(retry, 15);
	/* ...but Bob can sign in from anywhere else. */
	assert_int_equal(attempt(f, "bob@example.org", PASSWORD, HOME, T0 + 30, &retry), SIGNIN_OK);
}

/* Public forms count an IPv6 household by its /64 (address_limit_bucket); sign-in's own
 * count by address is unchanged: each full address on its own. */
static void address_limit_ipv6_unchanged(void **state)
{
	struct fixture *f = *state;
	char email[64];
	int retry = 0;

	for (int i = 0; i < SIGNIN_ADDRESS_LIMIT; i++) {
		snprintf(email, sizeof(email), "person%d@example.org", i);
		assert_int_equal(attempt(f, email, "guess", "2001:db8:5:6::1", T0, &retry), SIGNIN_BAD);
	}
	assert_int_equal(attempt(f, "bob@example.org", PASSWORD, "2001:db8:5:6::1", T0 + 30, &retry),
			 SIGNIN_LOCKED);
	assert_int_equal(attempt(f, "bob@example.org", PASSWORD, "2001:db8:5:6::2", T0 + 30, &retry),
			 SIGNIN_OK);
}

static void disabled_account(void **state)
{
	struct fixture *f = *state;
	struct audit_actor who = {f->bob, 0, NULL};
	int retry;

	assert_int_equal(account_set_disabled(f->d, f->a, &who, f->ann, true), DOMAIN_OK);
	assert_int_equal(attempt(f, "ann@example.org", PASSWORD, HOME, T0, &retry),
			 SIGNIN_DISABLED);
	/* Someone without the password does not learn that it is disabled. */
	assert_int_equal(attempt(f, "ann@example.org", "guess", HOME, T0, &retry), SIGNIN_BAD);
	assert_non_null(strstr(signin_message(f->a, SIGNIN_DISABLED, 0), "turned off"));
}

static void account_without_password(void **state)
{
	struct fixture *f = *state;
	struct account_new in = {.email = SV("new@example.org"),
				 .display_name = SV("New"),
				 .role = ROLE_BOARD_MEMBER};
	int retry;

	assert_int_equal(account_create(f->d, f->a, &system_actor, &in, NULL, NULL), DOMAIN_OK);
	assert_int_equal(attempt(f, "new@example.org", "", HOME, T0, &retry), SIGNIN_BAD);
	assert_int_equal(attempt(f, "new@example.org", "anything at all", HOME, T0, &retry),
			 SIGNIN_BAD);
}

static void old_failures_are_pruned(void **state)
{
	struct fixture *f = *state;
	int retry;

	assert_int_equal(attempt(f, "ann@example.org", "guess", HOME, T0, &retry), SIGNIN_BAD);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM sign_in_failures"), 2);
	assert_int_equal(attempt(f, "bob@example.org", "guess", HOME,
				 T0 + SIGNIN_PRUNE_SECONDS + 1, &retry),
			 SIGNIN_BAD);
	/* Only the new failure's two rows are left. */
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM sign_in_failures"), 2);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM sign_in_failures WHERE key ="
				     " 'ann@example.org'"),
			 0);
}

/* An unknown email must cost a password hash like a wrong password does, or the time of
 * the answer would tell who has an account. At the test cost a hash takes microseconds,
 * lost in the noise, so a fresh copy of this program measures at the server's cost (see
 * main) and prints the two times. */
#define TIMING_ARG "--time-unknown-email"

static int64_t micros(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int timing_child(void)
{
	struct fixture f = {0};
	struct account acc;
	int64_t t, wrong, unknown;
	int retry;

	if (db_open(":memory:", &f.d) != DB_OK || db_migrate(f.d, NULL, NULL) != DB_OK)
		return 1;
	f.a = arena_new(1 << 20);
	f.ann = make_account(f.d, f.a, "ann@example.org", "Ann");
	/* The first unknown email also makes the stand-in hash: not what is measured. */
	signin_attempt(f.d, f.a, SV("first@example.org"), SV("guess"), NULL, T0, &acc, &retry);
	t = micros();
	if (signin_attempt(f.d, f.a, SV("ann@example.org"), SV("guess"), NULL, T0, &acc,
			   &retry) != SIGNIN_BAD)
		return 1;
	wrong = micros() - t;
	t = micros();
	if (signin_attempt(f.d, f.a, SV("nobody@example.org"), SV("guess"), NULL, T0, &acc,
			   &retry) != SIGNIN_BAD)
		return 1;
	unknown = micros() - t;
	arena_free(f.a);
	db_close(f.d);
	printf("%lld %lld\n", (long long)wrong, (long long)unknown);
	return fflush(stdout) != 0;
}

static void unknown_email_takes_as_long(void **state)
{
	char buf[64] = "";
	long long wrong = 0, unknown = 0;
	int fds[2], status;
	pid_t pid;
	(void)state;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		unsetenv(PASSWORD_FAST_ENV);
		execl("/proc/self/exe", "test_signin", TIMING_ARG, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	assert_true(read(fds[0], buf, sizeof(buf) - 1) > 0);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(sscanf(buf, "%lld %lld", &wrong, &unknown), 2);
	/* A real hash takes tens of milliseconds; both answers spend one. */
	assert_true(wrong > 10000);
	assert_true(unknown > wrong / 2);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(correct_password, setup, teardown),
		cmocka_unit_test_setup_teardown(wrong_password_and_unknown_email_look_the_same,
						setup, teardown),
		cmocka_unit_test_setup_teardown(locked_after_five_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(four_failures_do_not_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_email_locks_the_same_way, setup, teardown),
		cmocka_unit_test_setup_teardown(address_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(address_limit_ipv6_unchanged, setup, teardown),
		cmocka_unit_test_setup_teardown(disabled_account, setup, teardown),
		cmocka_unit_test_setup_teardown(account_without_password, setup, teardown),
		cmocka_unit_test_setup_teardown(old_failures_are_pruned, setup, teardown),
		cmocka_unit_test(unknown_email_takes_as_long),
	};
	log_set_level(LOG_ERROR);
	if (argc == 2 && strcmp(argv[1], TIMING_ARG) == 0)
		return timing_child();
	setenv(PASSWORD_FAST_ENV, "1", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
