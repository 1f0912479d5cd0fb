/* accounts.h: the people who use coprod, their roles, and assisted accounts for people
 * who take part in person without email.
 *
 * Emails are stored trimmed and lower-cased, so lookups ignore case. An account made with
 * an email may have no password yet (a programme lead invites someone, then gives them a
 * reset link to choose one). An assisted account is a local person registered in person
 * by a facilitator, with their consent: no email, no password, a note of how to reach
 * them, the consent wording they agreed to, and who recorded it and when.
 *
 * Every change is audited (audit.h) in the same transaction as the change, with the
 * actor passed in WHO. Audit JSON never contains passwords or hashes.
 *
 * Functions ending in _tx run inside a transaction the caller holds (db_begin ...
 * db_commit), so several changes can commit together (demo.c); the others begin and
 * commit their own. Password hashing happens before any transaction begins, so the _tx
 * forms take a finished hash.
 */
#ifndef DOMAIN_ACCOUNTS_H
#define DOMAIN_ACCOUNTS_H
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/validate.h"

/* Bit values so the route table can say who may call a route with a mask. */
enum role {
	ROLE_NONE = 0,
	ROLE_LOCAL_PERSON = 1,
	ROLE_DECISION_MAKER = 2,
	ROLE_FACILITATOR = 4,
	ROLE_PROGRAMME_LEAD = 8,
	ROLE_BOARD_MEMBER = 16,
};
#define ROLE_ANY                                                                       \
	(ROLE_LOCAL_PERSON | ROLE_DECISION_MAKER | ROLE_FACILITATOR | ROLE_PROGRAMME_LEAD | \
	 ROLE_BOARD_MEMBER)
#define ROLE_COUNT 5

/* ROLES lists every role in the order forms show them. */
extern const enum role roles[ROLE_COUNT];

/* "local_person", "decision_maker", "facilitator", "programme_lead", "board_member" (the
 * values stored in the database and sent by forms), or "" for anything else. */
const char *role_slug(enum role r);
/* "Local person", "Decision-maker", "Facilitator", "Programme lead", "Board member". */
const char *role_label(enum role r);
/* The role whose slug is S, or ROLE_NONE. */
enum role role_parse(sv s);

#define ACCOUNT_EMAIL_MAX 254  /* bytes: the longest address SMTP allows */
#define ACCOUNT_NAME_MAX 100   /* bytes in a display name */
#define ACCOUNT_NOTE_MAX 1000  /* bytes in a contact note */
#define ACCOUNT_CONSENT_MAX 4000 /* bytes of consent wording */
#define ACCOUNT_LIST_MAX 500   /* rows one list call returns at most */

struct account {
	int64_t id;
	char *email;             /* NULL for assisted accounts */
	char *display_name;
	enum role role;
	int64_t organisation_id; /* 0 for none */
	char *organisation_name; /* NULL for none */
	bool assisted, is_demo, has_password, disabled;
	char *contact_note;        /* assisted accounts: how to reach them; else NULL */
	char *consent_wording;     /* assisted accounts: what they agreed to */
	int64_t consent_recorded_by; /* the facilitator who recorded it, or 0 */
	char *consent_recorded_by_name;
	char *consent_recorded_at;
	char *disabled_at; /* NULL while enabled */
	char *created_at, *updated_at;
};

/* Normalises an email as stored (trimmed, ASCII lower-cased) into arena memory, after
 * checking its format. Returns the copy, or NULL with *MESSAGE set to the form message
 * (empty, too long or not like name@example.org) or to NULL if out of memory. */
char *account_email_normalise(arena *a, sv email, const char **message);

/* A new account that signs in with an email. */
struct account_new {
	sv email, display_name;
	sv password;             /* may be empty: the account then has no password yet */
	enum role role;
	int64_t organisation_id; /* 0 for none */
	bool is_demo;
};

/* Validates IN (errors on "email", "display_name", "password", "role",
 * "organisation_id"; a duplicate email is an error on "email"), hashes the password and
 * creates the account, audited as "create". *ID (may be NULL) receives its id. Returns
 * DOMAIN_OK, DOMAIN_EINVALID or a DB_E* code. */
int account_create(db *d, arena *a, const struct audit_actor *who, const struct account_new *in,
		   struct field_errors *errs, int64_t *id);
/* The same inside the caller's transaction, with the password already hashed by
 * password_hash (PASSWORD_HASH NULL for none; IN->password is then ignored). */
int account_create_tx(db *d, arena *a, const struct audit_actor *who,
		      const struct account_new *in, const char *password_hash,
		      struct field_errors *errs, int64_t *id);

/* A local person registered in person by a facilitator, with their consent. */
struct assisted_new {
	sv display_name;
	sv contact_note;    /* how to reach them: a phone number, a group they come to... */
	sv consent_wording; /* the words they agreed to, as read to them */
	int64_t organisation_id; /* 0 for none */
	bool is_demo;
};

/* Creates an assisted local person, with consent recorded by WHO->account_id now. WHO
 * must be a facilitator or programme lead (else DOMAIN_EFORBIDDEN). Errors on
 * "display_name", "contact_note", "consent_wording", "organisation_id". Audited as
 * "create_assisted". Returns DOMAIN_OK, DOMAIN_EINVALID, DOMAIN_EFORBIDDEN or a DB_E*
 * code. */
int account_create_assisted(db *d, arena *a, const struct audit_actor *who,
			    const struct assisted_new *in, struct field_errors *errs, int64_t *id);
int account_create_assisted_tx(db *d, arena *a, const struct audit_actor *who,
			       const struct assisted_new *in, struct field_errors *errs,
			       int64_t *id);

/* Whether ACCOUNT_ID may register assisted people and act for them: an enabled
 * facilitator or programme lead. Read from the database, so a role changed a moment ago
 * counts. Returns DOMAIN_OK, DOMAIN_EFORBIDDEN or a DB_E* code. */
int account_may_assist(db *d, int64_t account_id);

/* Fill OUT (strings in A). Return DOMAIN_OK, DOMAIN_ENOTFOUND or a DB_E* code.
 * account_get_by_email normalises EMAIL first, so case and spaces do not matter. */
int account_get(db *d, arena *a, int64_t id, struct account *out);
int account_get_by_email(db *d, arena *a, sv email, struct account *out);

/* Accounts ordered by name, with their organisation's name, at most LIMIT (capped at
 * ACCOUNT_LIST_MAX) after skipping OFFSET. account_list_assisted lists only enabled
 * assisted local people (for a facilitator choosing whom to act for). *OUT is
 * arena-owned. Return DOMAIN_OK or a DB_E* code. */
int account_list(db *d, arena *a, int limit, int offset, struct account **out, size_t *n);
int account_list_assisted(db *d, arena *a, struct account **out, size_t *n);

/* What an update may change. */
struct account_changes {
	sv display_name;
	enum role role;
	int64_t organisation_id; /* 0 for none */
};

/* Changes an account's name, role and organisation. Errors on "display_name", "role"
 * (assisted accounts stay local people) and "organisation_id". Audited as "update" with
 * before and after. Returns DOMAIN_OK, DOMAIN_EINVALID, DOMAIN_ENOTFOUND or a DB_E*
 * code. */
int account_update(db *d, arena *a, const struct audit_actor *who, int64_t id,
		   const struct account_changes *c, struct field_errors *errs);

/* Disables (signing it out everywhere and ending anyone's acting for it) or enables an
 * account. Disabling one's own account is refused (DOMAIN_EFORBIDDEN), so the last
 * programme lead cannot lock everyone out by accident. Doing what is already done is not
 * an error and writes nothing. Audited as "disable" / "enable". Returns DOMAIN_OK,
 * DOMAIN_ENOTFOUND, DOMAIN_EFORBIDDEN or a DB_E* code. */
int account_set_disabled(db *d, arena *a, const struct audit_actor *who, int64_t id,
			 bool disabled);

/* Sets a new password after checking the rules (error on "password"), and signs the
 * account out of every session except KEEP_SESSION_ID (the one making the change, or
 * 0). Audited as "password_set" (the audit holds no password or hash). Returns
 * DOMAIN_OK, DOMAIN_EINVALID, DOMAIN_ENOTFOUND or a DB_E* code. */
int account_set_password(db *d, arena *a, const struct audit_actor *who, int64_t id,
			 sv password, int64_t keep_session_id, struct field_errors *errs);

/* True if PASSWORD is the account's current one (for "enter your current password").
 * False for no such account, no password, or a storage error. */
bool account_check_password(db *d, int64_t id, sv password);

#endif
