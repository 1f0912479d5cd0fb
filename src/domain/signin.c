/* signin.c: email and password checks with limits on repeated failures; see signin.h. */
#include "domain/signin.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "domain/password.h"
#include "domain/sessions.h"

/* When the events for KIND/KEY stop locking: the LIMIT-th most recent event within the
 * last WINDOW seconds leaves it WINDOW seconds after it happened. *UNTIL is 0 when fewer
 * than LIMIT events are in the window. Returns DOMAIN_OK or a DB_E* code. */
static int locked_until_in(db *d, const char *kind, const char *key, int limit,
			   int64_t window, int64_t now, int64_t *until)
{
	char window_start[ISO_TIME_LEN];
	int64_t at;
	db_stmt *st;
	int rc, bad = 0;

	*until = 0;
	if (!key)
		return DOMAIN_OK;
	iso_from_unix(now - window, window_start);
	st = db_prepare(d, "SELECT at FROM sign_in_failures WHERE kind = ? AND key = ? AND at > ?"
			   " ORDER BY at DESC LIMIT 1 OFFSET ?");
	if (!st)
		return DB_ERR;
	bad |= db_bind_text(st, 1, kind);
	bad |= db_bind_text(st, 2, key);
	bad |= db_bind_text(st, 3, window_start);
	bad |= db_bind_int(st, 4, limit - 1);
	rc = bad ? DB_ERR : db_step(st);
	if (rc == DB_ROW && iso_to_unix(db_col_text(st, 0), &at) == 0)
		*until = at + window;
	db_done(st);
	return rc < 0 ? rc : DOMAIN_OK;
}

/* The same for sign-in failures, over SIGNIN_WINDOW_SECONDS. */
static int locked_until(db *d, const char *kind, const char *key, int limit, int64_t now,
			int64_t *until)
{
	return locked_until_in(d, kind, key, limit, SIGNIN_WINDOW_SECONDS, now, until);
}

static int insert_failure(db *d, const char *kind, const char *key, const char *at)
{
	db_stmt *st;
	int rc, bad = 0;
	if (!key)
		return DOMAIN_OK;
	st = db_prepare(d, "INSERT INTO sign_in_failures (kind, key, at) VALUES (?, ?, ?)");
	if (!st)
		return DB_ERR;
	bad |= db_bind_text(st, 1, kind);
	bad |= db_bind_text(st, 2, key);
	bad |= db_bind_text(st, 3, at);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	return rc == DB_DONE ? DOMAIN_OK : rc;
}

/* Records one failure by email (KEY, NULL when the email was malformed) and by address,
 * and prunes failures too old to matter, so the table stays a day's worth. Other public
 * forms record their events by address through it too (address_limit_record). */
static int record_failure(db *d, const char *key, const char *address, int64_t now)
{
	char now_iso[ISO_TIME_LEN], prune_before[ISO_TIME_LEN];
	db_stmt *st;
	int rc, bad = 0;

	iso_from_unix(now, now_iso);
	iso_from_unix(now - SIGNIN_PRUNE_SECONDS, prune_before);
	rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	rc = insert_failure(d, "account", key, now_iso);
	if (rc == DOMAIN_OK)
		rc = insert_failure(d, "address", address, now_iso);
	if (rc == DOMAIN_OK) {
		st = db_prepare(d, "DELETE FROM sign_in_failures WHERE at < ?");
		if (!st) {
			rc = DB_ERR;
		} else {
			bad |= db_bind_text(st, 1, prune_before);
			rc = bad ? DB_ERR : db_step(st);
			db_done(st);
			rc = rc == DB_DONE ? DOMAIN_OK : rc;
		}
	}
	if (rc == DOMAIN_OK)
		rc = db_commit(d);
	if (rc != DOMAIN_OK)
		db_rollback(d);
	return rc;
}

static int clear_failures(db *d, const char *key)
{
	db_stmt *st = db_prepare(d, "DELETE FROM sign_in_failures WHERE kind = 'account'"
				    " AND key = ?");
	int rc, bad = 0;
	if (!st)
		return DB_ERR;
	bad |= db_bind_text(st, 1, key);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	return rc == DB_DONE ? DOMAIN_OK : rc;
}

enum signin_result signin_attempt(db *d, arena *a, sv email, sv password,
				  const char *client_address, int64_t now, struct account *account,
				  int *retry_minutes)
{
	char hash[PASSWORD_HASH_MAX] = "";
	int64_t id = 0, until_account, until_address, until;
	bool found = false, disabled = false, ok;
	const char *msg;
	char *key;
	db_stmt *st;
	int rc, bad = 0;

	*retry_minutes = 0;
	/* A malformed email cannot belong to an account; it still costs a hash and counts
	 * against the address, so it is answered exactly like a wrong password. */
	key = account_email_normalise(a, email, &msg);
	if (!key && !msg)
		return SIGNIN_ERROR;

	if (locked_until(d, "account", key, SIGNIN_ACCOUNT_LIMIT, now, &until_account) != 0 ||
	    locked_until(d, "address", client_address, SIGNIN_ADDRESS_LIMIT, now,
			 &until_address) != 0)
		return SIGNIN_ERROR;
	until = until_account > until_address ? until_account : until_address;
	if (until > now) {
		*retry_minutes = (int)((until - now + 59) / 60);
		return SIGNIN_LOCKED;
	}

	if (key) {
		st = db_prepare(d, "SELECT id, password_hash, disabled_at FROM accounts"
				   " WHERE email = ?");
		if (!st)
			return SIGNIN_ERROR;
		bad |= db_bind_text(st, 1, key);
		rc = bad ? DB_ERR : db_step(st);
		if (rc == DB_ROW) {
			found = !db_col_null(st, 1);
			id = db_col_int(st, 0);
			snprintf(hash, sizeof(hash), "%s", db_col_text(st, 1));
			disabled = !db_col_null(st, 2);
		}
		db_done(st);
		if (rc < 0)
			return SIGNIN_ERROR;
	}

	if (found) {
		ok = password_verify(hash, password);
	} else {
		password_verify_dummy(password);
		ok = false;
	}
	sodium_memzero(hash, sizeof(hash));
	if (!ok) {
		if (record_failure(d, key, client_address, now) != DOMAIN_OK)
			return SIGNIN_ERROR;
		return SIGNIN_BAD;
	}
	/* Only someone who knows the password learns that the account is disabled. */
	if (disabled)
		return SIGNIN_DISABLED;
	if (clear_failures(d, key) != DOMAIN_OK || account_get(d, a, id, account) != DOMAIN_OK)
		return SIGNIN_ERROR;
	return SIGNIN_OK;
}

const char *signin_message(arena *a, enum signin_result r, int retry_minutes)
{
	switch (r) {
	case SIGNIN_OK:
		return NULL;
	case SIGNIN_BAD:
		return "Enter a correct email address and password";
	case SIGNIN_LOCKED:
		if (retry_minutes <= 1)
			return "There have been too many attempts to sign in. Try again in 1 "
			       "minute";
		return arena_printf(a,
				    "There have been too many attempts to sign in. Try again in "
				    "%d minutes",
				    retry_minutes);
	case SIGNIN_DISABLED:
		return "Your account has been turned off. Contact the programme team if you think "
		       "this is a mistake";
	case SIGNIN_ERROR:
		break;
	}
	return "Sorry, there is a problem with the service. Try again later";
}

/* --- Counting by client address for other public forms --------------------------------- */

const char *address_limit_bucket(const char *address, char out[ADDRESS_BUCKET_MAX])
{
	unsigned char ip[16];
	if (!address)
		return NULL;
	if (inet_pton(AF_INET6, address, ip) == 1) {
		static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
		if (memcmp(ip, mapped, sizeof(mapped)) == 0) {
			if (!inet_ntop(AF_INET, ip + 12, out, ADDRESS_BUCKET_MAX))
				return NULL;
			return out;
		}
		memset(ip + 8, 0, 8);
		if (!inet_ntop(AF_INET6, ip, out, ADDRESS_BUCKET_MAX - 3))
			return NULL;
		memcpy(out + strlen(out), "/64", 4);
		return out;
	}
	if (strlen(address) >= ADDRESS_BUCKET_MAX)
		return NULL;
	memcpy(out, address, strlen(address) + 1);
	return out;
}

/* "SCOPE BUCKET" into BUF (BUCKET from address_limit_bucket), or NULL when there is no
 * address or it does not fit. */
static const char *scoped_key(char *buf, size_t size, const char *scope, const char *address)
{
	char bucket[ADDRESS_BUCKET_MAX];
	int n;
	if (!scope || strlen(scope) > ADDRESS_SCOPE_MAX ||
	    !address_limit_bucket(address, bucket))
		return NULL;
	n = snprintf(buf, size, "%s %s", scope, bucket);
	return n > 0 && (size_t)n < size ? buf : NULL;
}

#define SCOPED_KEY_MAX 256

int address_limit_until(db *d, const char *scope, const char *address, int limit,
			int64_t window, int64_t now, int64_t *until)
{
	char buf[SCOPED_KEY_MAX];
	return locked_until_in(d, "address", scoped_key(buf, sizeof(buf), scope, address), limit,
			       window, now, until);
}

int address_limit_record(db *d, const char *scope, const char *address, int64_t now)
{
	char buf[SCOPED_KEY_MAX];
	const char *key = scoped_key(buf, sizeof(buf), scope, address);
	return key ? record_failure(d, NULL, key, now) : DOMAIN_OK;
}
