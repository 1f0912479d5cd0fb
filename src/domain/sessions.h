/* sessions.h: server-side sign-in sessions, their CSRF tokens, acting for an assisted
 * person, and the random tokens and timestamps the access modules share.
 *
 * A session token is 256 random bits, sent to the browser as SESSION_TOKEN_HEX hex
 * characters in a cookie; the database keeps only its BLAKE2b hash, so a copy of the
 * database cannot be used to sign in. A session ends SESSION_IDLE_SECONDS after it was
 * last used or SESSION_ABSOLUTE_SECONDS after it began, whichever comes first. Each
 * session has its own random CSRF token for forms, stable for the session's life.
 *
 * NOW is Unix time in seconds: the server passes time(NULL), tests pass their own so
 * expiry can be tested without sleeping.
 */
#ifndef DOMAIN_SESSIONS_H
#define DOMAIN_SESSIONS_H
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"
#include "db/db.h"
#include "domain/accounts.h"
#include "domain/audit.h"
#include "domain/validate.h"

#define SESSION_IDLE_SECONDS (30 * 60)
#define SESSION_ABSOLUTE_SECONDS (12 * 60 * 60)
/* last_seen_at is written at most this often, not on every request. */
#define SESSION_TOUCH_SECONDS 60
#define SESSION_TOKEN_HEX 64
#define ISO_TIME_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" and a NUL */

/* --- Tokens and timestamps (shared with signin.c and password.c) --------------------- */

/* Fills TOKEN_HEX with 256 random bits as 64 lower-case hex characters and a NUL, and
 * HASH_HEX (may be NULL) with the hex hash of the token that is stored instead of it. */
void token_generate(char token_hex[SESSION_TOKEN_HEX + 1], char hash_hex[SESSION_TOKEN_HEX + 1]);

/* Hashes a token the browser sent. Returns 0, or -1 if TOKEN is not exactly 64 hex
 * characters (then it cannot match anything and no query is needed). */
int token_hash(sv token, char hash_hex[SESSION_TOKEN_HEX + 1]);

/* Compares two tokens in time that does not depend on where they differ. */
bool token_equal(sv a, sv b);

/* Unix seconds to "YYYY-MM-DDTHH:MM:SSZ" (the format of db_now_iso), and back. Text in
 * this format sorts in time order, which is how the SQL compares it. iso_to_unix returns
 * 0, or -1 for anything not in exactly that format. */
void iso_from_unix(int64_t t, char buf[ISO_TIME_LEN]);
int iso_to_unix(const char *s, int64_t *out);

/* --- Sessions ------------------------------------------------------------------------ */

struct session {
	int64_t id;
	int64_t account_id;
	enum role role;            /* the signed-in account's role */
	char *display_name;        /* the signed-in account's name; arena-owned */
	int64_t acting_for;        /* the assisted person acted for, or 0 */
	char *acting_for_name;     /* their name, or NULL; arena-owned */
	char csrf[SESSION_TOKEN_HEX + 1];
	char created_at[ISO_TIME_LEN], last_seen_at[ISO_TIME_LEN], expires_at[ISO_TIME_LEN];
};

/* Starts a session for ACCOUNT_ID (which signin_attempt has just accepted) and writes
 * its token (for the cookie) to TOKEN_OUT. Audited as "sign_in" on the account, with
 * ADDRESS (may be NULL). OUT (may be NULL) receives the session as session_lookup would
 * return it. Returns DOMAIN_OK, DOMAIN_ENOTFOUND (no such account) or a DB_E* code. */
int session_create(db *d, arena *a, int64_t account_id, const char *address, int64_t now,
		   char token_out[SESSION_TOKEN_HEX + 1], struct session *out);

/* Finds the live session for the cookie value TOKEN and fills OUT (strings in A).
 * An expired session (idle or absolute), or one whose account has been disabled, is
 * deleted and reported as not found. last_seen_at is updated when it is more than
 * SESSION_TOUCH_SECONDS old. Returns DOMAIN_OK, DOMAIN_ENOTFOUND or a DB_E* code. */
int session_lookup(db *d, arena *a, sv token, int64_t now, struct session *out);

/* True if the CSRF token a form sent matches the session's (constant time). */
bool session_csrf_ok(const struct session *s, sv submitted);

/* The audit actor for changes made in session S: the signed-in account, and the person
 * acted for if any. ADDRESS may be NULL. */
struct audit_actor session_actor(const struct session *s, const char *address);

/* Signs out: deletes the session for TOKEN, audited as "sign_out". A token that matches
 * nothing is not an error (the session may have expired). Returns DOMAIN_OK or a DB_E*
 * code. */
int session_destroy(db *d, arena *a, sv token, const char *address);

/* Deletes every session of ACCOUNT_ID except EXCEPT_SESSION_ID (0 for none): used when a
 * password changes or an account is disabled. A single statement, so it is safe inside
 * or outside the caller's transaction; not audited itself (the caller's change is).
 * Returns DOMAIN_OK or a DB_E* code. */
int session_destroy_all_for(db *d, int64_t account_id, int64_t except_session_id);

/* Starts acting for PERSON_ID in session S (assisted participation: a facilitator
 * recording for someone who takes part in person). Only a facilitator or programme lead
 * may do so, and only for an assisted local person whose account is enabled. Audited as
 * "acting_for_start" on the person, with the person as on_behalf_of. Updates S.
 * Returns DOMAIN_OK, DOMAIN_EFORBIDDEN (the session's account may not act for anyone),
 * DOMAIN_ENOTFOUND (no such assisted, enabled local person) or a DB_E* code. */
int session_act_for(db *d, arena *a, struct session *s, int64_t person_id, const char *address);

/* Stops acting for anyone, audited as "acting_for_stop". Doing so when not acting for
 * anyone is not an error. Updates S. Returns DOMAIN_OK or a DB_E* code. */
int session_act_for_stop(db *d, arena *a, struct session *s, const char *address);

#endif
