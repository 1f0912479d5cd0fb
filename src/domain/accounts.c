/* accounts.c: accounts, roles and assisted accounts; see accounts.h. */
#include "domain/accounts.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/escape.h"
#include "core/log.h"
#include "domain/password.h"
#include "domain/sessions.h"

#define AUDIT_JSON_MAX (16 * 1024)

static const struct {
	enum role role;
	const char *slug, *label;
} role_table[ROLE_COUNT] = {
	{ROLE_LOCAL_PERSON, "local_person", "Local person"},
	{ROLE_DECISION_MAKER, "decision_maker", "Decision-maker"},
	{ROLE_FACILITATOR, "facilitator", "Facilitator"},
	{ROLE_PROGRAMME_LEAD, "programme_lead", "Programme lead"},
	{ROLE_BOARD_MEMBER, "board_member", "Board member"},
};

const enum role roles[ROLE_COUNT] = {ROLE_LOCAL_PERSON, ROLE_DECISION_MAKER, ROLE_FACILITATOR,
				     ROLE_PROGRAMME_LEAD, ROLE_BOARD_MEMBER};

const char *role_slug(enum role r)
{
	for (size_t i = 0; i < ROLE_COUNT; i++)
		if (role_table[i].role == r)
			return role_table[i].slug;
	return "";
}

const char *role_label(enum role r)
{
	for (size_t i = 0; i < ROLE_COUNT; i++)
		if (role_table[i].role == r)
			return role_table[i].label;
	return "";
}

enum role role_parse(sv s)
{
	for (size_t i = 0; i < ROLE_COUNT; i++)
		if (sv_eq_cstr(s, role_table[i].slug))
			return role_table[i].role;
	return ROLE_NONE;
}

/* --- Email addresses ------------------------------------------------------------------ */

static const char email_format_message[] =
	"Enter an email address in the correct format, like name@example.org";

static bool email_byte_ok(unsigned char c)
{
	/* Control characters, spaces and the characters that only appear in quoted or
	 * bracketed forms nobody types into a sign-in box are refused; UTF-8 is allowed. */
	return c > 0x20 && c != 0x7f && !strchr("()<>,;:\\\"[]", c);
}

static bool email_format_ok(sv e)
{
	const char *at = memchr(e.ptr, '@', e.len);
	size_t local_len, i;
	sv domain;

	if (!at)
		return false;
	local_len = (size_t)(at - e.ptr);
	domain = (sv){at + 1, e.len - local_len - 1};
	if (local_len == 0 || local_len > 64 || domain.len < 3)
		return false;
	for (i = 0; i < e.len; i++)
		if (!email_byte_ok((unsigned char)e.ptr[i]))
			return false;
	if (memchr(domain.ptr, '@', domain.len) || !memchr(domain.ptr, '.', domain.len))
		return false;
	if (domain.ptr[0] == '.' || domain.ptr[domain.len - 1] == '.' || domain.ptr[0] == '-')
		return false;
	for (i = 1; i < domain.len; i++)
		if (domain.ptr[i] == '.' && domain.ptr[i - 1] == '.')
			return false;
	return true;
}

char *account_email_normalise(arena *a, sv email, const char **message)
{
	sv e = sv_trim(email);
	char *out;

	*message = NULL;
	if (!e.ptr || e.len == 0) {
		*message = "Enter an email address";
		return NULL;
	}
	if (e.len > ACCOUNT_EMAIL_MAX) {
		*message = "Email address must be 254 characters or fewer";
		return NULL;
	}
	if (!email_format_ok(e)) {
		*message = email_format_message;
		return NULL;
	}
	out = sv_dup(a, e);
	if (!out)
		return NULL;
	for (char *p = out; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return out;
}

/* --- Audit JSON ----------------------------------------------------------------------- */

static void json_key(sbuf *b, const char *key)
{
	if (b->len > 1)
		sbuf_addc(b, ',');
	sbuf_addf(b, "\"%s\":", key);
}

static void json_str(sbuf *b, const char *key, const char *val)
{
	json_key(b, key);
	if (!val) {
		sbuf_adds(b, "null");
		return;
	}
	sbuf_addc(b, '"');
	esc_json(b, sv_from(val));
	sbuf_addc(b, '"');
}

static void json_int(sbuf *b, const char *key, int64_t v)
{
	json_key(b, key);
	sbuf_add_i64(b, v);
}

static void json_bool(sbuf *b, const char *key, bool v)
{
	json_key(b, key);
	sbuf_adds(b, v ? "true" : "false");
}

/* The audit view of an account: never a password or hash. */
static void account_json(sbuf *b, const struct account *acc)
{
	sbuf_addc(b, '{');
	json_str(b, "email", acc->email);
	json_str(b, "display_name", acc->display_name);
	json_str(b, "role", role_slug(acc->role));
	if (acc->organisation_id)
		json_int(b, "organisation_id", acc->organisation_id);
	else
		json_str(b, "organisation_id", NULL);
	json_bool(b, "assisted", acc->assisted);
	if (acc->assisted) {
		json_str(b, "contact_note", acc->contact_note);
		json_str(b, "consent_wording", acc->consent_wording);
		json_int(b, "consent_recorded_by", acc->consent_recorded_by);
	}
	json_bool(b, "is_demo", acc->is_demo);
	json_bool(b, "disabled", acc->disabled);
	sbuf_addc(b, '}');
}

static const char *account_json_dup(arena *a, const struct account *acc)
{
	sbuf b;
	sbuf_init(&b, a, AUDIT_JSON_MAX);
	account_json(&b, acc);
	return b.err ? NULL : b.buf;
}

/* --- Reading ------------------------------------------------------------------------- */

#define ACCOUNT_SELECT                                                                       \
	"SELECT a.id, a.email, a.display_name, a.role, a.organisation_id, o.name,"            \
	" CASE WHEN a.password_hash IS NULL THEN 0 ELSE 1 END, a.assisted, a.is_demo,"         \
	" a.contact_note, a.consent_wording, a.consent_recorded_by, c.display_name,"          \
	" a.consent_recorded_at, a.disabled_at, a.created_at, a.updated_at"                   \
	" FROM accounts a LEFT JOIN organisations o ON o.id = a.organisation_id"              \
	" LEFT JOIN accounts c ON c.id = a.consent_recorded_by "

static int account_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct account *out = item;
	memset(out, 0, sizeof(*out));
	out->id = db_col_int(st, 0);
	out->email = db_col_dup(st, 1, a);
	out->display_name = db_col_dup(st, 2, a);
	out->role = role_parse(db_col_sv(st, 3));
	out->organisation_id = db_col_null(st, 4) ? 0 : db_col_int(st, 4);
	out->organisation_name = db_col_dup(st, 5, a);
	out->has_password = db_col_int(st, 6) != 0;
	out->assisted = db_col_int(st, 7) != 0;
	out->is_demo = db_col_int(st, 8) != 0;
	out->contact_note = db_col_dup(st, 9, a);
	out->consent_wording = db_col_dup(st, 10, a);
	out->consent_recorded_by = db_col_null(st, 11) ? 0 : db_col_int(st, 11);
	out->consent_recorded_by_name = db_col_dup(st, 12, a);
	out->consent_recorded_at = db_col_dup(st, 13, a);
	out->disabled_at = db_col_dup(st, 14, a);
	out->disabled = out->disabled_at != NULL;
	out->created_at = db_col_dup(st, 15, a);
	out->updated_at = db_col_dup(st, 16, a);
	if (!out->display_name || !out->created_at || !out->updated_at)
		return DB_ERR; /* the arena is full */
	return DB_OK;
}

/* Reads the one row of ST (parameters bound). */
static int get_one(db_stmt *st, arena *a, struct account *out)
{
	int rc = db_one(st, a, account_row, NULL, out);
	return rc == DB_DONE ? DOMAIN_ENOTFOUND : rc;
}

int account_get(db *d, arena *a, int64_t id, struct account *out)
{
	db_stmt *st = db_prepare(d, ACCOUNT_SELECT "WHERE a.id = ?");
	db_bind_int(st, 1, id);
	return get_one(st, a, out);
}

int account_get_by_email(db *d, arena *a, sv email, struct account *out)
{
	const char *msg;
	char *norm = account_email_normalise(a, email, &msg);
	db_stmt *st;

	if (!norm)
		return msg ? DOMAIN_ENOTFOUND : DB_ERR;
	st = db_prepare(d, ACCOUNT_SELECT "WHERE a.email = ?");
	db_bind_text(st, 1, norm);
	return get_one(st, a, out);
}

int account_list(db *d, arena *a, int limit, int offset, struct account **out, size_t *n)
{
	db_stmt *st;

	*out = NULL;
	*n = 0;
	if (limit <= 0)
		return DOMAIN_OK;
	if (limit > ACCOUNT_LIST_MAX)
		limit = ACCOUNT_LIST_MAX;
	st = db_prepare(d, ACCOUNT_SELECT "ORDER BY lower(a.display_name), a.id LIMIT ? OFFSET ?");
	db_bind_int(st, 1, limit);
	db_bind_int(st, 2, offset < 0 ? 0 : offset);
	return db_collect(st, a, sizeof(**out), account_row, NULL, out, n);
}

int account_list_assisted(db *d, arena *a, struct account **out, size_t *n)
{
	db_stmt *st;

	*out = NULL;
	*n = 0;
	st = db_prepare(d, ACCOUNT_SELECT "WHERE a.assisted = 1 AND a.role = 'local_person'"
					  " AND a.disabled_at IS NULL"
					  " ORDER BY lower(a.display_name), a.id LIMIT ?");
	db_bind_int(st, 1, ACCOUNT_LIST_MAX);
	return db_collect(st, a, sizeof(**out), account_row, NULL, out, n);
}

/* --- Validation ----------------------------------------------------------------------- */

/* Returns 1 if a row matches, 0 if none, or a DB_E* code. */
static int exists(db *d, const char *sql, const char *text, int64_t id)
{
	db_stmt *st = db_prepare(d, sql);
	int rc, bad = 0;
	if (!st)
		return DB_ERR;
	if (text)
		bad |= db_bind_text(st, 1, text);
	else
		bad |= db_bind_int(st, 1, id);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (rc == DB_ROW)
		return 1;
	return rc == DB_DONE ? 0 : rc;
}

static void invalid(int *rc)
{
	if (*rc == DOMAIN_OK)
		*rc = DOMAIN_EINVALID;
}

/* Trims a required text field and checks its length. Returns the trimmed copy, or NULL
 * with an error added and *RC set to DOMAIN_EINVALID (unless it already holds an error),
 * or NULL with *RC set to DB_ERR when the arena is full. */
static char *check_text(arena *a, sv in, const char *field, size_t max, const char *empty_msg,
			const char *long_msg, struct field_errors *errs, int *rc)
{
	sv t = sv_trim(in);
	char *out;
	if (!t.ptr || t.len == 0) {
		field_error_add(errs, field, empty_msg);
		invalid(rc);
		return NULL;
	}
	if (t.len > max) {
		field_error_add(errs, field, long_msg);
		invalid(rc);
		return NULL;
	}
	out = sv_dup(a, t);
	if (!out)
		*rc = DB_ERR;
	return out;
}

static char *check_name(arena *a, sv in, struct field_errors *errs, int *rc)
{
	return check_text(a, in, "display_name", ACCOUNT_NAME_MAX, "Enter a name",
			  "Name must be 100 characters or fewer", errs, rc);
}

static void check_organisation(db *d, int64_t org_id, struct field_errors *errs, int *rc)
{
	int found;
	if (!org_id)
		return;
	found = exists(d, "SELECT 1 FROM organisations WHERE id = ?", NULL, org_id);
	if (found < 0) {
		*rc = found;
	} else if (!found) {
		field_error_add(errs, "organisation_id", "Select an organisation from the list");
		invalid(rc);
	}
}

static const char duplicate_email_message[] =
	"An account with this email address already exists";

/* Checks everything about IN but the password. Fills *EMAIL and *NAME with normalised
 * copies. Returns DOMAIN_OK, DOMAIN_EINVALID or a DB_E* code. */
static int check_new(db *d, arena *a, const struct account_new *in, struct field_errors *errs,
		     char **email, char **name)
{
	const char *msg;
	int rc = DOMAIN_OK, found;

	*email = account_email_normalise(a, in->email, &msg);
	if (!*email) {
		if (!msg)
			return DB_ERR;
		field_error_add(errs, "email", msg);
		rc = DOMAIN_EINVALID;
	} else {
		found = exists(d, "SELECT 1 FROM accounts WHERE email = ?", *email, 0);
		if (found < 0)
			return found;
		if (found) {
			field_error_add(errs, "email", duplicate_email_message);
			invalid(&rc);
		}
	}
	*name = check_name(a, in->display_name, errs, &rc);
	if (rc == DB_ERR)
		return rc;
	if (!role_slug(in->role)[0]) {
		field_error_add(errs, "role", "Select a role");
		invalid(&rc);
	}
	check_organisation(d, in->organisation_id, errs, &rc);
	return rc;
}

/* --- Changes -------------------------------------------------------------------------- */

static int bind_org(db_stmt *st, int i, int64_t org_id)
{
	return org_id ? db_bind_int(st, i, org_id) : db_bind_null(st, i);
}

int account_create_tx(db *d, arena *a, const struct audit_actor *who,
		      const struct account_new *in, const char *password_hash,
		      struct field_errors *errs, int64_t *id)
{
	char now[ISO_TIME_LEN];
	char *email = NULL, *name = NULL;
	struct account acc;
	const char *after;
	db_stmt *st;
	int rc, bad = 0;

	rc = check_new(d, a, in, errs, &email, &name);
	if (rc != DOMAIN_OK)
		return rc;
	db_now_iso(now, 0);
	st = db_prepare(d, "INSERT INTO accounts (email, display_name, role, organisation_id,"
			   " password_hash, assisted, is_demo, created_at, updated_at)"
			   " VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)");
	if (!st)
		return DB_ERR;
	bad |= db_bind_text(st, 1, email);
	bad |= db_bind_text(st, 2, name);
	bad |= db_bind_text(st, 3, role_slug(in->role));
	bad |= bind_org(st, 4, in->organisation_id);
	bad |= db_bind_text(st, 5, password_hash); /* NULL binds NULL: no password yet */
	bad |= db_bind_int(st, 6, in->is_demo ? 1 : 0);
	bad |= db_bind_text(st, 7, now);
	bad |= db_bind_text(st, 8, now);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (rc == DB_ECONSTRAINT) {
		/* Someone else took the email between the check and the insert. */
		field_error_add(errs, "email", duplicate_email_message);
		return DOMAIN_EINVALID;
	}
	if (rc != DB_DONE)
		return rc;

	memset(&acc, 0, sizeof(acc));
	acc.id = db_last_insert_id(d);
	acc.email = email;
	acc.display_name = name;
	acc.role = in->role;
	acc.organisation_id = in->organisation_id;
	acc.is_demo = in->is_demo;
	after = account_json_dup(a, &acc);
	if (!after)
		return DB_ERR;
	rc = audit_record(d, who, "account", acc.id, "create", NULL, after);
	if (rc == DB_OK && id)
		*id = acc.id;
	return rc;
}

/* Ends the transaction a change began: commits on DOMAIN_OK, rolls back otherwise. */
static int finish(db *d, int rc)
{
	if (rc == DOMAIN_OK)
		rc = db_commit(d);
	if (rc != DOMAIN_OK)
		db_rollback(d);
	return rc;
}

int account_create(db *d, arena *a, const struct audit_actor *who, const struct account_new *in,
		   struct field_errors *errs, int64_t *id)
{
	char hash[PASSWORD_HASH_MAX];
	char *email = NULL, *name = NULL;
	const char *msg = NULL;
	int rc;

	/* Check everything first, so the form shows every error at once and no hash is
	 * spent on a form that will be sent back. */
	rc = check_new(d, a, in, errs, &email, &name);
	if (rc != DOMAIN_OK && rc != DOMAIN_EINVALID)
		return rc;
	if (in->password.len) {
		msg = password_check_rules(in->password, in->email);
		if (msg) {
			field_error_add(errs, "password", msg);
			rc = DOMAIN_EINVALID;
		}
	}
	if (rc != DOMAIN_OK)
		return rc;
	if (in->password.len && password_hash(in->password, hash) != 0)
		return DB_ERR;

	rc = db_begin(d);
	if (rc == DB_OK)
		rc = finish(d, account_create_tx(d, a, who, in, in->password.len ? hash : NULL,
						 errs, id));
	memset(hash, 0, sizeof(hash));
	return rc;
}

int account_may_assist(db *d, int64_t account_id)
{
	db_stmt *st = db_prepare(d, "SELECT role FROM accounts WHERE id = ?"
				    " AND disabled_at IS NULL");
	enum role r = ROLE_NONE;
	int rc, bad = 0;
	if (!st)
		return DB_ERR;
	bad |= db_bind_int(st, 1, account_id);
	rc = bad ? DB_ERR : db_step(st);
	if (rc == DB_ROW)
		r = role_parse(db_col_sv(st, 0));
	db_done(st);
	if (rc < 0)
		return rc;
	return (r == ROLE_FACILITATOR || r == ROLE_PROGRAMME_LEAD) ? DOMAIN_OK : DOMAIN_EFORBIDDEN;
}

int account_create_assisted_tx(db *d, arena *a, const struct audit_actor *who,
			       const struct assisted_new *in, struct field_errors *errs,
			       int64_t *id)
{
	int bad = 0;
	char now[ISO_TIME_LEN];
	char *name, *note, *consent;
	struct account acc;
	const char *after;
	db_stmt *st;
	int rc = account_may_assist(d, who->account_id);

	if (rc != DOMAIN_OK)
		return rc;
	name = check_name(a, in->display_name, errs, &rc);
	note = check_text(a, in->contact_note, "contact_note", ACCOUNT_NOTE_MAX,
			  "Enter how to contact them, such as a phone number or a group they go to",
			  "How to contact them must be 1000 characters or fewer", errs, &rc);
	consent = check_text(a, in->consent_wording, "consent_wording", ACCOUNT_CONSENT_MAX,
			     "Enter the consent wording they agreed to",
			     "Consent wording must be 4000 characters or fewer", errs, &rc);
	if (rc == DB_ERR)
		return rc;
	check_organisation(d, in->organisation_id, errs, &rc);
	if (rc != DOMAIN_OK)
		return rc;

	db_now_iso(now, 0);
	st = db_prepare(d, "INSERT INTO accounts (email, display_name, role, organisation_id,"
			   " password_hash, assisted, contact_note, consent_recorded_by,"
			   " consent_recorded_at, consent_wording, is_demo, created_at, updated_at)"
			   " VALUES (NULL, ?, 'local_person', ?, NULL, 1, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERR;
	bad |= db_bind_text(st, 1, name);
	bad |= bind_org(st, 2, in->organisation_id);
	bad |= db_bind_text(st, 3, note);
	bad |= db_bind_int(st, 4, who->account_id);
	bad |= db_bind_text(st, 5, now);
	bad |= db_bind_text(st, 6, consent);
	bad |= db_bind_int(st, 7, in->is_demo ? 1 : 0);
	bad |= db_bind_text(st, 8, now);
	bad |= db_bind_text(st, 9, now);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return rc;

	memset(&acc, 0, sizeof(acc));
	acc.id = db_last_insert_id(d);
	acc.display_name = name;
	acc.role = ROLE_LOCAL_PERSON;
	acc.organisation_id = in->organisation_id;
	acc.assisted = true;
	acc.contact_note = note;
	acc.consent_wording = consent;
	acc.consent_recorded_by = who->account_id;
	acc.is_demo = in->is_demo;
	after = account_json_dup(a, &acc);
	if (!after)
		return DB_ERR;
	rc = audit_record(d, who, "account", acc.id, "create_assisted", NULL, after);
	if (rc == DB_OK && id)
		*id = acc.id;
	return rc;
}

int account_create_assisted(db *d, arena *a, const struct audit_actor *who,
			    const struct assisted_new *in, struct field_errors *errs, int64_t *id)
{
	int rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	return finish(d, account_create_assisted_tx(d, a, who, in, errs, id));
}

int account_update(db *d, arena *a, const struct audit_actor *who, int64_t id,
		   const struct account_changes *c, struct field_errors *errs)
{
	int bad = 0;
	char now[ISO_TIME_LEN];
	struct account before, after;
	const char *before_json, *after_json;
	char *name;
	db_stmt *st;
	int rc = db_begin(d);

	if (rc != DB_OK)
		return rc;
	rc = account_get(d, a, id, &before);
	if (rc != DOMAIN_OK)
		return finish(d, rc);
	name = check_name(a, c->display_name, errs, &rc);
	if (rc == DB_ERR)
		return finish(d, rc);
	if (!role_slug(c->role)[0]) {
		field_error_add(errs, "role", "Select a role");
		invalid(&rc);
	} else if (before.assisted && c->role != ROLE_LOCAL_PERSON) {
		field_error_add(errs, "role",
				"Someone registered in person can only be a local person");
		invalid(&rc);
	}
	check_organisation(d, c->organisation_id, errs, &rc);
	if (rc != DOMAIN_OK)
		return finish(d, rc);

	db_now_iso(now, 0);
	st = db_prepare(d, "UPDATE accounts SET display_name = ?, role = ?, organisation_id = ?,"
			   " updated_at = ? WHERE id = ?");
	if (!st)
		return finish(d, DB_ERR);
	bad |= db_bind_text(st, 1, name);
	bad |= db_bind_text(st, 2, role_slug(c->role));
	bad |= bind_org(st, 3, c->organisation_id);
	bad |= db_bind_text(st, 4, now);
	bad |= db_bind_int(st, 5, id);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return finish(d, rc);
	/* Someone who is no longer a facilitator or programme lead stops acting for others. */
	if (c->role != ROLE_FACILITATOR && c->role != ROLE_PROGRAMME_LEAD) {
		st = db_prepare(d, "UPDATE sessions SET acting_for = NULL WHERE account_id = ?");
		if (!st)
			return finish(d, DB_ERR);
		bad |= db_bind_int(st, 1, id);
		rc = bad ? DB_ERR : db_step(st);
		db_done(st);
		if (rc != DB_DONE)
			return finish(d, rc);
	}

	after = before;
	after.display_name = name;
	after.role = c->role;
	after.organisation_id = c->organisation_id;
	before_json = account_json_dup(a, &before);
	after_json = account_json_dup(a, &after);
	if (!before_json || !after_json)
		return finish(d, DB_ERR);
	return finish(d, audit_record(d, who, "account", id, "update", before_json, after_json));
}

static int exec_int(db *d, const char *sql, int64_t v)
{
	db_stmt *st = db_prepare(d, sql);
	int rc, bad = 0;
	if (!st)
		return DB_ERR;
	bad |= db_bind_int(st, 1, v);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	return rc == DB_DONE ? DOMAIN_OK : rc;
}

int account_set_disabled(db *d, arena *a, const struct audit_actor *who, int64_t id,
			 bool disabled)
{
	char now[ISO_TIME_LEN];
	const char *before = disabled ? "{\"disabled\":false}" : "{\"disabled\":true}";
	const char *after = disabled ? "{\"disabled\":true}" : "{\"disabled\":false}";
	struct account acc;
	db_stmt *st;
	int rc, bad = 0;

	if (disabled && who->account_id == id)
		return DOMAIN_EFORBIDDEN;
	rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	rc = account_get(d, a, id, &acc);
	if (rc != DOMAIN_OK)
		return finish(d, rc);
	if (acc.disabled == disabled) {
		db_rollback(d);
		return DOMAIN_OK;
	}
	db_now_iso(now, 0);
	st = db_prepare(d, "UPDATE accounts SET disabled_at = ?, updated_at = ? WHERE id = ?");
	if (!st)
		return finish(d, DB_ERR);
	bad |= db_bind_text(st, 1, disabled ? now : NULL);
	bad |= db_bind_text(st, 2, now);
	bad |= db_bind_int(st, 3, id);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return finish(d, rc);
	if (disabled) {
		rc = session_destroy_all_for(d, id, 0);
		if (rc == DOMAIN_OK)
			rc = exec_int(d, "UPDATE sessions SET acting_for = NULL"
					 " WHERE acting_for = ?",
				      id);
		if (rc != DOMAIN_OK)
			return finish(d, rc);
	}
	return finish(d, audit_record(d, who, "account", id, disabled ? "disable" : "enable",
				      before, after));
}

int account_set_password(db *d, arena *a, const struct audit_actor *who, int64_t id,
			 sv password, int64_t keep_session_id, struct field_errors *errs)
{
	char hash[PASSWORD_HASH_MAX], now[ISO_TIME_LEN];
	struct account acc;
	const char *msg;
	db_stmt *st;
	int rc, bad = 0;

	rc = account_get(d, a, id, &acc);
	if (rc != DOMAIN_OK)
		return rc;
	msg = password_check_rules(password, sv_from(acc.email));
	if (msg) {
		field_error_add(errs, "password", msg);
		return DOMAIN_EINVALID;
	}
	if (password_hash(password, hash) != 0)
		return DB_ERR;

	rc = db_begin(d);
	if (rc != DB_OK)
		goto out;
	db_now_iso(now, 0);
	st = db_prepare(d, "UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?");
	if (!st) {
		rc = finish(d, DB_ERR);
		goto out;
	}
	bad |= db_bind_text(st, 1, hash);
	bad |= db_bind_text(st, 2, now);
	bad |= db_bind_int(st, 3, id);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (rc == DB_DONE && db_changes(d) == 0)
		rc = DOMAIN_ENOTFOUND;
	else if (rc == DB_DONE)
		rc = session_destroy_all_for(d, id, keep_session_id);
	if (rc == DOMAIN_OK)
		rc = audit_record(d, who, "account", id, "password_set", NULL, NULL);
	rc = finish(d, rc);
out:
	memset(hash, 0, sizeof(hash));
	return rc;
}

bool account_check_password(db *d, int64_t id, sv password)
{
	char hash[PASSWORD_HASH_MAX] = "";
	db_stmt *st = db_prepare(d, "SELECT password_hash FROM accounts WHERE id = ?"
				    " AND password_hash IS NOT NULL");
	bool ok;
	int rc, bad = 0;

	if (!st)
		return false;
	bad |= db_bind_int(st, 1, id);
	rc = bad ? DB_ERR : db_step(st);
	if (rc == DB_ROW)
		snprintf(hash, sizeof(hash), "%s", db_col_text(st, 0));
	db_done(st);
	if (rc != DB_ROW)
		return false;
	ok = password_verify(hash, password);
	memset(hash, 0, sizeof(hash));
	return ok;
}
