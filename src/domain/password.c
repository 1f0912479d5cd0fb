/* password.c: Argon2id hashing with bounded concurrency, the password rules, and
 * one-time reset links; see password.h. */
#include "domain/password.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "domain/accounts.h"
#include "domain/sessions.h"

_Static_assert(PASSWORD_HASH_MAX >= crypto_pwhash_STRBYTES, "hash buffer too small");

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_result = -1;
static sem_t slots;
static unsigned long long opslimit;
static size_t memlimit;

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[PASSWORD_HASH_MAX];

static void init(void)
{
	const char *fast = getenv(PASSWORD_FAST_ENV);

	if (sodium_init() < 0) {
		log_error("password: libsodium could not start");
		return;
	}
	if (sem_init(&slots, 0, PASSWORD_MAX_CONCURRENT) != 0) {
		log_error("password: sem_init: %s", strerror(errno));
		return;
	}
	if (fast && strcmp(fast, "1") == 0) {
		opslimit = crypto_pwhash_OPSLIMIT_MIN;
		memlimit = crypto_pwhash_MEMLIMIT_MIN;
		log_warn("password: %s=1, so passwords are hashed with minimal work: for tests "
			 "only, never on a server",
			 PASSWORD_FAST_ENV);
	} else {
		opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
	}
	init_result = 0;
}

int password_init(void)
{
	pthread_once(&init_once, init);
	return init_result;
}

static int slot_take(void)
{
	while (sem_wait(&slots) != 0) {
		if (errno != EINTR) {
			log_error("password: sem_wait: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}

int password_hash(sv password, char out[PASSWORD_HASH_MAX])
{
	const char *p = password.ptr ? password.ptr : "";
	int rc;

	out[0] = '\0';
	if (password_init() != 0 || slot_take() != 0)
		return -1;
	rc = crypto_pwhash_str(out, p, password.len, opslimit, memlimit);
	sem_post(&slots);
	if (rc != 0) {
		log_error("password: hashing failed (out of memory?)");
		return -1;
	}
	return 0;
}

bool password_verify(const char *hash, sv password)
{
	const char *p = password.ptr ? password.ptr : "";
	int rc;

	if (!hash || !*hash || password_init() != 0 || slot_take() != 0)
		return false;
	rc = crypto_pwhash_str_verify(hash, p, password.len);
	sem_post(&slots);
	return rc == 0;
}

static void make_dummy(void)
{
	char random_password[SESSION_TOKEN_HEX + 1];
	token_generate(random_password, NULL);
	if (password_hash(sv_from(random_password), dummy_hash) != 0)
		dummy_hash[0] = '\0';
}

void password_verify_dummy(sv password)
{
	pthread_once(&dummy_once, make_dummy);
	(void)password_verify(dummy_hash, password);
}

/* Characters, not bytes: continuation bytes of UTF-8 sequences are not counted. */
static size_t utf8_chars(sv s)
{
	size_t n = 0;
	for (size_t i = 0; i < s.len; i++)
		if (((unsigned char)s.ptr[i] & 0xC0) != 0x80)
			n++;
	return n;
}

const char *password_check_rules(sv password, sv email)
{
	sv e = sv_trim(email);

	if (password.len == 0)
		return "Enter a password";
	if (password.len > PASSWORD_MAX_BYTES)
		return "Password must be 128 characters or fewer";
	if (utf8_chars(password) < PASSWORD_MIN_CHARS)
		return "Password must be 10 characters or more";
	if (e.len && sv_eq_icase(sv_trim(password), e))
		return "Password must not be the same as your email address";
	return NULL;
}

/* --- Reset links --------------------------------------------------------------------- */

static int find_reset(db *d, const char *hash, int64_t now, int64_t *reset_id,
		      int64_t *account_id)
{
	char now_iso[ISO_TIME_LEN];
	db_stmt *st;
	int rc, bad = 0;

	iso_from_unix(now, now_iso);
	st = db_prepare(d, "SELECT r.id, r.account_id FROM password_resets r"
			   " JOIN accounts a ON a.id = r.account_id"
			   " WHERE r.token_hash = ? AND r.used_at IS NULL AND r.expires_at > ?"
			   " AND a.disabled_at IS NULL");
	if (!st)
		return DB_ERR;
	bad |= db_bind_text(st, 1, hash);
	bad |= db_bind_text(st, 2, now_iso);
	rc = bad ? DB_ERR : db_step(st);
	if (rc == DB_ROW) {
		*reset_id = db_col_int(st, 0);
		*account_id = db_col_int(st, 1);
	}
	db_done(st);
	if (rc == DB_DONE)
		return DOMAIN_ENOTFOUND;
	return rc == DB_ROW ? DOMAIN_OK : rc;
}

int reset_create(db *d, arena *a, const struct audit_actor *who, int64_t account_id,
		 int64_t now, char token_out[RESET_TOKEN_HEX + 1])
{
	char hash[SESSION_TOKEN_HEX + 1], now_iso[ISO_TIME_LEN], expires[ISO_TIME_LEN];
	char after[128];
	struct account acc;
	db_stmt *st;
	int rc, bad = 0;

	_Static_assert(RESET_TOKEN_HEX == SESSION_TOKEN_HEX, "one token format");
	token_out[0] = '\0';
	iso_from_unix(now, now_iso);
	iso_from_unix(now + RESET_VALID_SECONDS, expires);

	rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	rc = account_get(d, a, account_id, &acc);
	if (rc != DOMAIN_OK)
		goto out;
	if (acc.disabled) {
		rc = DOMAIN_EFORBIDDEN;
		goto out;
	}
	/* An earlier link that was never used stops working: only the newest one counts. */
	st = db_prepare(d, "UPDATE password_resets SET expires_at = ? WHERE account_id = ?"
			   " AND used_at IS NULL AND expires_at > ?");
	if (!st) {
		rc = DB_ERR;
		goto out;
	}
	bad |= db_bind_text(st, 1, now_iso);
	bad |= db_bind_int(st, 2, account_id);
	bad |= db_bind_text(st, 3, now_iso);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		goto out;

	token_generate(token_out, hash);
	st = db_prepare(d, "INSERT INTO password_resets (token_hash, account_id, created_by,"
			   " created_at, expires_at) VALUES (?, ?, ?, ?, ?)");
	if (!st) {
		rc = DB_ERR;
		goto out;
	}
	bad |= db_bind_text(st, 1, hash);
	bad |= db_bind_int(st, 2, account_id);
	if (who->account_id)
		bad |= db_bind_int(st, 3, who->account_id);
	else
		bad |= db_bind_null(st, 3);
	bad |= db_bind_text(st, 4, now_iso);
	bad |= db_bind_text(st, 5, expires);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		goto out;
	snprintf(after, sizeof(after), "{\"reset_id\":%" PRId64 ",\"expires_at\":\"%s\"}",
		 db_last_insert_id(d), expires);
	rc = audit_record(d, who, "account", account_id, "reset_create", NULL, after);
	if (rc == DB_OK)
		rc = db_commit(d);
out:
	if (rc != DB_OK) {
		db_rollback(d);
		sodium_memzero(token_out, RESET_TOKEN_HEX + 1);
	}
	return rc;
}

int reset_lookup(db *d, sv token, int64_t now, int64_t *account_id)
{
	char hash[SESSION_TOKEN_HEX + 1];
	int64_t reset_id;
	if (token_hash(token, hash) != 0)
		return DOMAIN_ENOTFOUND;
	return find_reset(d, hash, now, &reset_id, account_id);
}

int reset_use(db *d, arena *a, sv token, sv new_password, const char *address, int64_t now,
	      struct field_errors *errs, int64_t *account_id)
{
	char hash[SESSION_TOKEN_HEX + 1], now_iso[ISO_TIME_LEN], after[64];
	char pw_hash[PASSWORD_HASH_MAX];
	int64_t reset_id = 0, acc_id = 0;
	struct account acc;
	const char *msg;
	db_stmt *st;
	int rc, bad = 0;

	if (token_hash(token, hash) != 0)
		return DOMAIN_ENOTFOUND;
	rc = find_reset(d, hash, now, &reset_id, &acc_id);
	if (rc != DOMAIN_OK)
		return rc;
	rc = account_get(d, a, acc_id, &acc);
	if (rc != DOMAIN_OK)
		return rc;
	msg = password_check_rules(new_password, sv_from(acc.email));
	if (msg) {
		field_error_add(errs, "password", msg);
		return DOMAIN_EINVALID;
	}
	if (password_hash(new_password, pw_hash) != 0)
		return DB_ERR;

	iso_from_unix(now, now_iso);
	rc = db_begin(d);
	if (rc != DB_OK)
		goto wipe;
	/* Marking the token used is the test that it still was unused: two people submitting
	 * the same link at once cannot both succeed. */
	st = db_prepare(d, "UPDATE password_resets SET used_at = ? WHERE id = ?"
			   " AND used_at IS NULL AND expires_at > ?");
	if (!st) {
		rc = DB_ERR;
		goto out;
	}
	bad |= db_bind_text(st, 1, now_iso);
	bad |= db_bind_int(st, 2, reset_id);
	bad |= db_bind_text(st, 3, now_iso);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		goto out;
	if (db_changes(d) != 1) {
		rc = DOMAIN_ENOTFOUND;
		goto out;
	}
	st = db_prepare(d, "UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?");
	if (!st) {
		rc = DB_ERR;
		goto out;
	}
	bad |= db_bind_text(st, 1, pw_hash);
	bad |= db_bind_text(st, 2, now_iso);
	bad |= db_bind_int(st, 3, acc_id);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		goto out;
	rc = session_destroy_all_for(d, acc_id, 0);
	if (rc != DOMAIN_OK)
		goto out;
	if (acc.email) {
		st = db_prepare(d, "DELETE FROM sign_in_failures WHERE kind = 'account'"
				   " AND key = ?");
		if (!st) {
			rc = DB_ERR;
			goto out;
		}
		bad |= db_bind_text(st, 1, acc.email);
		rc = bad ? DB_ERR : db_step(st);
		db_done(st);
		if (rc != DB_DONE)
			goto out;
	}
	snprintf(after, sizeof(after), "{\"reset_id\":%" PRId64 "}", reset_id);
	{
		struct audit_actor who = {acc_id, 0, address};
		rc = audit_record(d, &who, "account", acc_id, "password_reset", NULL, after);
	}
	if (rc == DB_OK)
		rc = db_commit(d);
out:
	if (rc != DB_OK)
		db_rollback(d);
	else if (account_id)
		*account_id = acc_id;
wipe:
	sodium_memzero(pw_hash, sizeof(pw_hash));
	return rc;
}

int reset_list_open(db *d, arena *a, int64_t now, int limit, struct reset_open **out,
		    size_t *n)
{
	char now_iso[ISO_TIME_LEN];
	struct reset_open *items = NULL;
	size_t cap = 0;
	db_stmt *st;
	int rc, bad = 0;

	*out = NULL;
	*n = 0;
	if (limit <= 0)
		return DOMAIN_OK;
	iso_from_unix(now, now_iso);
	st = db_prepare(d, "SELECT r.id, r.account_id, a.display_name, a.email, r.created_by,"
			   " c.display_name, r.created_at, r.expires_at FROM password_resets r"
			   " JOIN accounts a ON a.id = r.account_id"
			   " LEFT JOIN accounts c ON c.id = r.created_by"
			   " WHERE r.used_at IS NULL AND r.expires_at > ?"
			   " ORDER BY r.created_at DESC, r.id DESC LIMIT ?");
	if (!st)
		return DB_ERR;
	bad |= db_bind_text(st, 1, now_iso);
	bad |= db_bind_int(st, 2, limit);
	if (bad) {
		db_done(st);
		return DB_ERR;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		struct reset_open *r;
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct reset_open *ni = arena_calloc(a, ncap, sizeof(*ni));
			if (!ni) {
				rc = DB_ERR;
				break;
			}
			if (*n)
				memcpy(ni, items, *n * sizeof(*ni));
			items = ni;
			cap = ncap;
		}
		r = &items[(*n)++];
		r->id = db_col_int(st, 0);
		r->account_id = db_col_int(st, 1);
		r->account_name = db_col_dup(st, 2, a);
		r->account_email = db_col_dup(st, 3, a);
		r->created_by = db_col_null(st, 4) ? 0 : db_col_int(st, 4);
		r->created_by_name = db_col_dup(st, 5, a);
		r->created_at = db_col_dup(st, 6, a);
		r->expires_at = db_col_dup(st, 7, a);
		if (!r->account_name || !r->created_at || !r->expires_at) {
			rc = DB_ERR;
			break;
		}
	}
	db_done(st);
	if (rc != DB_DONE) {
		*n = 0;
		return rc < 0 ? rc : DB_ERR;
	}
	*out = items;
	return DOMAIN_OK;
}
