/* sessions.c: server-side sessions, CSRF tokens and acting for an assisted person; see
 * sessions.h. */
#include "domain/sessions.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "domain/password.h"

#define TOKEN_BYTES 32

void token_generate(char token_hex[SESSION_TOKEN_HEX + 1], char hash_hex[SESSION_TOKEN_HEX + 1])
{
	unsigned char raw[TOKEN_BYTES], h[TOKEN_BYTES];

	/* password_init starts libsodium, whose random source must be set up first. */
	(void)password_init();
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(token_hex, SESSION_TOKEN_HEX + 1, raw, sizeof(raw));
	if (hash_hex) {
		crypto_generichash(h, sizeof(h), raw, sizeof(raw), NULL, 0);
		sodium_bin2hex(hash_hex, SESSION_TOKEN_HEX + 1, h, sizeof(h));
	}
	sodium_memzero(raw, sizeof(raw));
}

int token_hash(sv token, char hash_hex[SESSION_TOKEN_HEX + 1])
{
	unsigned char raw[TOKEN_BYTES], h[TOKEN_BYTES];
	size_t bin_len = 0;
	const char *end = NULL;

	if (!token.ptr || token.len != SESSION_TOKEN_HEX)
		return -1;
	if (sodium_hex2bin(raw, sizeof(raw), token.ptr, token.len, NULL, &bin_len, &end) != 0 ||
	    bin_len != sizeof(raw) || end != token.ptr + token.len)
		return -1;
	crypto_generichash(h, sizeof(h), raw, sizeof(raw), NULL, 0);
	sodium_bin2hex(hash_hex, SESSION_TOKEN_HEX + 1, h, sizeof(h));
	sodium_memzero(raw, sizeof(raw));
	return 0;
}

bool token_equal(sv a, sv b)
{
	if (!a.ptr || !b.ptr || a.len != b.len || a.len == 0)
		return false;
	return sodium_memcmp(a.ptr, b.ptr, a.len) == 0;
}

void iso_from_unix(int64_t t, char buf[ISO_TIME_LEN])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || strftime(buf, ISO_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, ISO_TIME_LEN, "%s", "1970-01-01T00:00:00Z");
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int iso_to_unix(const char *s, int64_t *out)
{
	struct tm tm = {0};

	if (!s || strlen(s) != ISO_TIME_LEN - 1 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return -1;
	tm.tm_year = digits(s, 4) - 1900;
	tm.tm_mon = digits(s + 5, 2) - 1;
	tm.tm_mday = digits(s + 8, 2);
	tm.tm_hour = digits(s + 11, 2);
	tm.tm_min = digits(s + 14, 2);
	tm.tm_sec = digits(s + 17, 2);
	if (tm.tm_year < 0 || tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour < 0 || tm.tm_hour > 23 || tm.tm_min < 0 ||
	    tm.tm_min > 59 || tm.tm_sec < 0 || tm.tm_sec > 60)
		return -1;
	*out = (int64_t)timegm(&tm);
	return 0;
}

/* One query for a session and its account, so a request costs one read. */
#define SESSION_SELECT                                                                      \
	"SELECT s.id, s.account_id, s.acting_for, s.csrf_token, s.created_at, s.last_seen_at," \
	" s.expires_at, a.role, a.display_name, a.disabled_at, p.display_name"                \
	" FROM sessions s JOIN accounts a ON a.id = s.account_id"                             \
	" LEFT JOIN accounts p ON p.id = s.acting_for "

static void copy_text(char *dst, size_t size, db_stmt *st, int col)
{
	snprintf(dst, size, "%s", db_col_text(st, col));
}

/* Fills OUT from the current row of a SESSION_SELECT; *DISABLED says whether the
 * account has been disabled since. Returns 0, or -1 if out of memory. */
static int fill(db_stmt *st, arena *a, struct session *out, bool *disabled)
{
	memset(out, 0, sizeof(*out));
	out->id = db_col_int(st, 0);
	out->account_id = db_col_int(st, 1);
	out->acting_for = db_col_null(st, 2) ? 0 : db_col_int(st, 2);
	copy_text(out->csrf, sizeof(out->csrf), st, 3);
	copy_text(out->created_at, sizeof(out->created_at), st, 4);
	copy_text(out->last_seen_at, sizeof(out->last_seen_at), st, 5);
	copy_text(out->expires_at, sizeof(out->expires_at), st, 6);
	out->role = role_parse(db_col_sv(st, 7));
	out->display_name = db_col_dup(st, 8, a);
	*disabled = !db_col_null(st, 9);
	out->acting_for_name = db_col_dup(st, 10, a);
	if (!out->display_name || (out->acting_for && !out->acting_for_name))
		return -1;
	return 0;
}

static int delete_session(db *d, int64_t id)
{
	db_stmt *st = db_prepare(d, "DELETE FROM sessions WHERE id = ?");
	int rc, bad = 0;
	if (!st)
		return DB_ERR;
	bad |= db_bind_int(st, 1, id);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	return rc == DB_DONE ? DOMAIN_OK : rc;
}

/* Loads a session by its stored hash, deleting it if it has expired. */
static int load(db *d, arena *a, const char *hash, int64_t now, struct session *out)
{
	char now_iso[ISO_TIME_LEN], idle_iso[ISO_TIME_LEN], touch_iso[ISO_TIME_LEN];
	bool disabled = false;
	db_stmt *st;
	int rc, bad = 0;

	st = db_prepare(d, SESSION_SELECT "WHERE s.token_hash = ?");
	if (!st)
		return DB_ERR;
	bad |= db_bind_text(st, 1, hash);
	rc = bad ? DB_ERR : db_step(st);
	if (rc == DB_ROW && fill(st, a, out, &disabled) != 0)
		rc = DB_ERR;
	db_done(st);
	if (rc == DB_DONE)
		return DOMAIN_ENOTFOUND;
	if (rc != DB_ROW)
		return rc;

	iso_from_unix(now, now_iso);
	iso_from_unix(now - SESSION_IDLE_SECONDS, idle_iso);
	iso_from_unix(now - SESSION_TOUCH_SECONDS, touch_iso);
	if (disabled || strcmp(out->expires_at, now_iso) <= 0 ||
	    strcmp(out->last_seen_at, idle_iso) <= 0) {
		rc = delete_session(d, out->id);
		return rc == DOMAIN_OK ? DOMAIN_ENOTFOUND : rc;
	}
	if (strcmp(out->last_seen_at, touch_iso) <= 0) {
		st = db_prepare(d, "UPDATE sessions SET last_seen_at = ? WHERE id = ?");
		if (!st)
			return DB_ERR;
		bad |= db_bind_text(st, 1, now_iso);
		bad |= db_bind_int(st, 2, out->id);
		rc = bad ? DB_ERR : db_step(st);
		db_done(st);
		if (rc != DB_DONE)
			return rc;
		memcpy(out->last_seen_at, now_iso, sizeof(out->last_seen_at));
	}
	return DOMAIN_OK;
}

static int audit_simple(db *d, const struct audit_actor *who, int64_t account_id,
			const char *action, int64_t session_id)
{
	char after[64];
	snprintf(after, sizeof(after), "{\"session_id\":%" PRId64 "}", session_id);
	return audit_record(d, who, "account", account_id, action, NULL, after);
}

int session_create(db *d, arena *a, int64_t account_id, const char *address, int64_t now,
		   char token_out[SESSION_TOKEN_HEX + 1], struct session *out)
{
	char hash[SESSION_TOKEN_HEX + 1], csrf[SESSION_TOKEN_HEX + 1];
	char now_iso[ISO_TIME_LEN], expires[ISO_TIME_LEN];
	struct audit_actor who = {account_id, 0, address};
	int64_t sid;
	db_stmt *st;
	int rc, bad = 0;

	token_generate(token_out, hash);
	token_generate(csrf, NULL);
	iso_from_unix(now, now_iso);
	iso_from_unix(now + SESSION_ABSOLUTE_SECONDS, expires);

	rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	st = db_prepare(d, "SELECT id FROM accounts WHERE id = ? AND disabled_at IS NULL");
	if (!st) {
		rc = DB_ERR;
		goto out;
	}
	bad |= db_bind_int(st, 1, account_id);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (rc == DB_DONE)
		rc = DOMAIN_ENOTFOUND;
	if (rc != DB_ROW)
		goto out;

	st = db_prepare(d, "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at,"
			   " last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)");
	if (!st) {
		rc = DB_ERR;
		goto out;
	}
	bad |= db_bind_text(st, 1, hash);
	bad |= db_bind_int(st, 2, account_id);
	bad |= db_bind_text(st, 3, csrf);
	bad |= db_bind_text(st, 4, now_iso);
	bad |= db_bind_text(st, 5, now_iso);
	bad |= db_bind_text(st, 6, expires);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		goto out;
	sid = db_last_insert_id(d);
	rc = audit_simple(d, &who, account_id, "sign_in", sid);
	if (rc == DB_OK)
		rc = db_commit(d);
out:
	if (rc != DB_OK) {
		db_rollback(d);
		memset(token_out, 0, SESSION_TOKEN_HEX + 1);
		return rc;
	}
	return out ? load(d, a, hash, now, out) : DOMAIN_OK;
}

int session_lookup(db *d, arena *a, sv token, int64_t now, struct session *out)
{
	char hash[SESSION_TOKEN_HEX + 1];
	if (token_hash(token, hash) != 0)
		return DOMAIN_ENOTFOUND;
	return load(d, a, hash, now, out);
}

bool session_csrf_ok(const struct session *s, sv submitted)
{
	return token_equal(sv_from(s->csrf), submitted);
}

struct audit_actor session_actor(const struct session *s, const char *address)
{
	return (struct audit_actor){s->account_id, s->acting_for, address};
}

int session_destroy(db *d, arena *a, sv token, const char *address)
{
	char hash[SESSION_TOKEN_HEX + 1];
	int64_t sid = 0, account_id = 0;
	db_stmt *st;
	int rc, bad = 0;

	if (token_hash(token, hash) != 0)
		return DOMAIN_OK;
	rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	st = db_prepare(d, "SELECT id, account_id FROM sessions WHERE token_hash = ?");
	if (!st) {
		rc = DB_ERR;
		goto out;
	}
	bad |= db_bind_text(st, 1, hash);
	rc = bad ? DB_ERR : db_step(st);
	if (rc == DB_ROW) {
		sid = db_col_int(st, 0);
		account_id = db_col_int(st, 1);
	}
	db_done(st);
	if (rc == DB_DONE) {
		db_rollback(d);
		return DOMAIN_OK;
	}
	if (rc != DB_ROW)
		goto out;
	rc = delete_session(d, sid);
	if (rc == DOMAIN_OK) {
		struct audit_actor who = {account_id, 0, address};
		rc = audit_simple(d, &who, account_id, "sign_out", sid);
	}
	if (rc == DB_OK)
		rc = db_commit(d);
out:
	if (rc != DB_OK)
		db_rollback(d);
	return rc;
}

int session_destroy_all_for(db *d, int64_t account_id, int64_t except_session_id)
{
	db_stmt *st = db_prepare(d, "DELETE FROM sessions WHERE account_id = ? AND id <> ?");
	int rc, bad = 0;
	if (!st)
		return DB_ERR;
	bad |= db_bind_int(st, 1, account_id);
	bad |= db_bind_int(st, 2, except_session_id);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	return rc == DB_DONE ? DOMAIN_OK : rc;
}

static int set_acting_for(db *d, int64_t session_id, int64_t person_id)
{
	db_stmt *st = db_prepare(d, "UPDATE sessions SET acting_for = ? WHERE id = ?");
	int rc, bad = 0;
	if (!st)
		return DB_ERR;
	if (person_id)
		bad |= db_bind_int(st, 1, person_id);
	else
		bad |= db_bind_null(st, 1);
	bad |= db_bind_int(st, 2, session_id);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	return rc == DB_DONE ? DOMAIN_OK : rc;
}

int session_act_for(db *d, arena *a, struct session *s, int64_t person_id, const char *address)
{
	char *name = NULL;
	db_stmt *st;
	int rc, bad = 0;

	rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	rc = account_may_assist(d, s->account_id);
	if (rc != DOMAIN_OK)
		goto out;
	st = db_prepare(d, "SELECT display_name FROM accounts WHERE id = ? AND assisted = 1"
			   " AND role = 'local_person' AND disabled_at IS NULL");
	if (!st) {
		rc = DB_ERR;
		goto out;
	}
	bad |= db_bind_int(st, 1, person_id);
	rc = bad ? DB_ERR : db_step(st);
	if (rc == DB_ROW && !(name = db_col_dup(st, 0, a)))
		rc = DB_ERR;
	db_done(st);
	if (rc == DB_DONE)
		rc = DOMAIN_ENOTFOUND;
	if (rc != DB_ROW)
		goto out;

	if (s->acting_for && s->acting_for != person_id) {
		struct audit_actor prev = {s->account_id, s->acting_for, address};
		rc = audit_simple(d, &prev, s->acting_for, "acting_for_stop", s->id);
		if (rc != DB_OK)
			goto out;
	}
	rc = set_acting_for(d, s->id, person_id);
	if (rc == DOMAIN_OK) {
		struct audit_actor who = {s->account_id, person_id, address};
		rc = audit_simple(d, &who, person_id, "acting_for_start", s->id);
	}
	if (rc == DB_OK)
		rc = db_commit(d);
out:
	if (rc != DB_OK) {
		db_rollback(d);
		return rc;
	}
	s->acting_for = person_id;
	s->acting_for_name = name;
	return DOMAIN_OK;
}

int session_act_for_stop(db *d, arena *a, struct session *s, const char *address)
{
	struct audit_actor who = {s->account_id, s->acting_for, address};
	int rc;

	if (!s->acting_for)
		return DOMAIN_OK;
	rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	rc = set_acting_for(d, s->id, 0);
	if (rc == DOMAIN_OK)
		rc = audit_simple(d, &who, s->acting_for, "acting_for_stop", s->id);
	if (rc == DB_OK)
		rc = db_commit(d);
	if (rc != DB_OK) {
		db_rollback(d);
		return rc;
	}
	s->acting_for = 0;
	s->acting_for_name = NULL;
	return DOMAIN_OK;
}
