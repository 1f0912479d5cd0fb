/* signin.h: checking an email and password, with limits on repeated failures.
 *
 * An unknown email and a wrong password get the same answer in the same time (a hash is
 * spent either way), so the sign-in form does not reveal who has an account. Failures
 * are recorded in sign_in_failures by email and by client address: after
 * SIGNIN_ACCOUNT_LIMIT failures for one email, or SIGNIN_ADDRESS_LIMIT from one address,
 * within SIGNIN_WINDOW_SECONDS, sign-in is refused (without checking the password) until
 * enough of them are older than the window. The limit applies to unknown emails too, so
 * it reveals nothing either. A success clears that email's failures; failures older
 * than SIGNIN_PRUNE_SECONDS are deleted as new ones are recorded.
 *
 * Failed sign-ins are not written to the audit log (they change no one's data, and a
 * flood of them must not flood it); a successful one is, by session_create.
 */
#ifndef DOMAIN_SIGNIN_H
#define DOMAIN_SIGNIN_H
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"
#include "db/db.h"
#include "domain/accounts.h"

#define SIGNIN_ACCOUNT_LIMIT 5
#define SIGNIN_ADDRESS_LIMIT 20
#define SIGNIN_WINDOW_SECONDS (15 * 60)
#define SIGNIN_PRUNE_SECONDS (24 * 60 * 60)

enum signin_result {
	SIGNIN_OK = 0,       /* *ACCOUNT is filled: now call session_create */
	SIGNIN_BAD = 1,      /* "Enter a correct email address and password" */
	SIGNIN_LOCKED = 2,   /* too many failures: *RETRY_MINUTES says when to try again */
	SIGNIN_DISABLED = 3, /* right password, but the account is disabled */
	SIGNIN_ERROR = -1,   /* storage failure, logged: answer 500 */
};

/* Checks EMAIL and PASSWORD at time NOW (Unix seconds; the server passes time(NULL)).
 * CLIENT_ADDRESS may be NULL (then only the per-email limit applies). On SIGNIN_OK,
 * *ACCOUNT is filled (strings in A). On SIGNIN_LOCKED, *RETRY_MINUTES (at least 1) is
 * how long until a sign-in will be considered again. */
enum signin_result signin_attempt(db *d, arena *a, sv email, sv password,
				  const char *client_address, int64_t now, struct account *account,
				  int *retry_minutes);

/* Plain-English text for the form: for SIGNIN_LOCKED it includes RETRY_MINUTES ("Try
 * again in 12 minutes"), built in A. NULL for SIGNIN_OK. */
const char *signin_message(arena *a, enum signin_result r, int retry_minutes);

/* --- Counting by client address for other public forms ---------------------------------
 *
 * Public forms that anyone may send (the form to take part in a programme) are limited
 * per client address with the same table and the same counting as failed sign-ins. Their
 * rows are kind "address" with the key "SCOPE BUCKET" ("interest 192.0.2.1"), so they
 * never count towards sign-in's own limit, and they are pruned with the failures, after
 * SIGNIN_PRUNE_SECONDS (so WINDOW must not be longer). An ADDRESS of NULL is never
 * limited and never counted. */
#define ADDRESS_SCOPE_MAX 32

/* What one visitor is counted as: an IPv4 address as it is; an IPv6 address by its /64
 * prefix ("2001:db8:1:2::/64"), since a home or a phone is given a whole /64 and could
 * otherwise send each form from a new address; an IPv4-mapped IPv6 address
 * ("::ffff:192.0.2.1") as the IPv4 address it carries. Anything else (text no parser
 * reads) is kept as given. Written into OUT, which is returned; NULL when ADDRESS is
 * NULL or longer than OUT. Sign-in's own count by address does not use it. */
#define ADDRESS_BUCKET_MAX 64
const char *address_limit_bucket(const char *address, char out[ADDRESS_BUCKET_MAX]);

/* *UNTIL (Unix seconds) is when ADDRESS will be under LIMIT events of SCOPE within WINDOW
 * seconds again, or 0 when it already is, at time NOW. Returns DOMAIN_OK or DB_E*. */
int address_limit_until(db *d, const char *scope, const char *address, int limit,
			int64_t window, int64_t now, int64_t *until);

/* Counts one event of SCOPE from ADDRESS at NOW, in its own transaction. */
int address_limit_record(db *d, const char *scope, const char *address, int64_t now);

#endif
