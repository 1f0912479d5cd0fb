/* password.h: password hashing (Argon2id), the password rules, and one-time reset links.
 *
 * Hashing uses libsodium's crypto_pwhash_str with OPSLIMIT_INTERACTIVE and
 * MEMLIMIT_INTERACTIVE: about 70 ms and 64 MiB per hash. A semaphore lets at most
 * PASSWORD_MAX_CONCURRENT hashes run at once, so a burst of sign-ins queues instead of
 * exhausting the machine's memory.
 *
 * Tests only: when the environment variable COPROD_TEST_FAST_HASH=1 is set at
 * password_init, hashes use OPSLIMIT_MIN and MEMLIMIT_MIN instead, so a test suite that
 * creates many accounts runs in seconds. A warning is logged; never set it on a server.
 * Verification reads the cost from the stored hash, so a hash made either way verifies
 * either way.
 */
#ifndef DOMAIN_PASSWORD_H
#define DOMAIN_PASSWORD_H
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/validate.h"

#define PASSWORD_MIN_CHARS 10      /* characters (UTF-8 code points), not bytes */
#define PASSWORD_MAX_BYTES 128     /* Argon2 does not need more, and it bounds the work */
#define PASSWORD_MAX_CONCURRENT 2  /* hashes at once: each takes 64 MiB */
#define PASSWORD_HASH_MAX 128      /* crypto_pwhash_STRBYTES, as a buffer size */
#define PASSWORD_FAST_ENV "COPROD_TEST_FAST_HASH"

/* Initialises libsodium and the semaphore and reads COPROD_TEST_FAST_HASH. Safe to call
 * more than once and from several threads; every other function here calls it. Returns
 * 0, or -1 if libsodium cannot start (the server must not). */
int password_init(void);

/* Hashes PASSWORD into OUT (PASSWORD_HASH_MAX bytes, NUL-terminated "$argon2id$..."
 * text). Blocks while PASSWORD_MAX_CONCURRENT other hashes run. Returns 0, or -1 if out of
 * memory (logged). Never call it inside a database transaction: the write lock would be
 * held for the whole hash. */
int password_hash(sv password, char out[PASSWORD_HASH_MAX]);

/* True if PASSWORD matches HASH (as made by password_hash). Takes as long as a hash. */
bool password_verify(const char *hash, sv password);

/* Spends the time of one verification without a real hash, so that a sign-in with an
 * unknown email takes as long as one with a wrong password. */
void password_verify_dummy(sv password);

/* Checks the password rules: at least PASSWORD_MIN_CHARS characters, at most
 * PASSWORD_MAX_BYTES bytes, not the same as EMAIL (ignoring case and surrounding spaces;
 * EMAIL may be SV_NULL). Returns NULL if the password is acceptable, or a message for
 * the form (a string literal). */
const char *password_check_rules(sv password, sv email);

/* --- One-time password reset links ---------------------------------------------------
 *
 * A reset token is 256 random bits, given out once as RESET_TOKEN_HEX hex characters
 * (for a link like /reset/<token>); only its hash is stored. It is valid for
 * RESET_VALID_SECONDS and can be used once. Until email sending exists, the programme
 * lead who created it passes the link on; the web layer also writes it to the server log.
 * NOW is Unix time in seconds (time(NULL); tests pass their own).
 */
#define RESET_VALID_SECONDS (24 * 60 * 60)
#define RESET_TOKEN_HEX 64

/* Creates a reset link for ACCOUNT_ID, invalidating any earlier unused one for that
 * account, and writes the token (RESET_TOKEN_HEX hex characters and a NUL) to TOKEN_OUT.
 * Audited as "reset_create" by WHO. Returns DOMAIN_OK, DOMAIN_ENOTFOUND (no such account),
 * DOMAIN_EFORBIDDEN (the account is disabled) or a DB_E* code. */
int reset_create(db *d, arena *a, const struct audit_actor *who, int64_t account_id,
		 int64_t now, char token_out[RESET_TOKEN_HEX + 1]);

/* Finds the account a valid (unused, unexpired) TOKEN is for. Returns DOMAIN_OK with
 * *ACCOUNT_ID set, DOMAIN_ENOTFOUND for a malformed, unknown, used or expired token, or
 * a DB_E* code. */
int reset_lookup(db *d, sv token, int64_t now, int64_t *account_id);

/* Uses TOKEN to set NEW_PASSWORD: checks the password rules (DOMAIN_EINVALID with an
 * error on "password"), sets the password, marks the token used, signs the account out
 * everywhere, clears its failed sign-ins, and audits "password_reset" with the account
 * itself as the actor (ADDRESS may be NULL). Returns DOMAIN_OK, DOMAIN_EINVALID,
 * DOMAIN_ENOTFOUND (token not valid, including used a moment ago by someone else), or a
 * DB_E* code. *ACCOUNT_ID (may be NULL) receives the account on success. */
int reset_use(db *d, arena *a, sv token, sv new_password, const char *address, int64_t now,
	      struct field_errors *errs, int64_t *account_id);

/* An open (unused, unexpired) reset link, for the programme leads' list. The token is not
 * here: it is shown once, when created. Strings are arena-owned. */
struct reset_open {
	int64_t id, account_id, created_by;
	char *account_name, *account_email; /* email NULL for assisted accounts */
	char *created_by_name;              /* NULL if made from the command line */
	char *created_at, *expires_at;
};

/* Lists open reset links, newest first, at most LIMIT. *OUT is arena-owned. Returns
 * DOMAIN_OK or a DB_E* code. */
int reset_list_open(db *d, arena *a, int64_t now, int limit, struct reset_open **out,
		    size_t *n);

#endif
