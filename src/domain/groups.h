/* groups.h: co-production groups, the people in them, and the balance between local
 * people and professionals.
 *
 * A group belongs to a programme and has a name and a purpose. Its members each have a
 * role in the group (local person, decision-maker or facilitator) with the date they
 * joined and, once they have left, the date they left; only current members (no left
 * date) count. A group starts "local people only": local people develop their ideas in
 * their own space with their facilitator, and decision-makers cannot be added until the
 * group is opened to them on a given date (seed 001, section 13, steps 3 and 4).
 *
 * Parity: the group sets a target balance (for example 15 local people and 15
 * professionals, as in the Poverty Truth Commission) and the counts of current members
 * on each side are compared with it. Facilitators are counted as professionals.
 *
 * Changes are audited in the same transaction as the change; functions ending in _tx run
 * inside a transaction the caller holds (see accounts.h). Access to one group is decided
 * by access_group (access.h); these functions do not check it. Everything returned lives
 * in the arena A.
 */
#ifndef DOMAIN_GROUPS_H
#define DOMAIN_GROUPS_H
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/str.h"
#include "db/db.h"
#include "domain/accounts.h"
#include "domain/audit.h"
#include "domain/validate.h"

#define GROUP_NAME_MAX    120  /* bytes */
#define GROUP_PURPOSE_MAX 4000 /* bytes */
#define GROUP_TARGET_MAX  500  /* people on one side */
#define GROUP_LIST_MAX    500  /* groups one list call returns at most */
#define GROUP_MEMBERS_MAX 1000 /* members one list call returns at most */

/* A person's role in a group, as stored in group_members.role_in_group. */
enum group_role {
	GROUP_ROLE_NONE = 0,
	GROUP_ROLE_LOCAL_PERSON,
	GROUP_ROLE_DECISION_MAKER,
	GROUP_ROLE_FACILITATOR,
};
/* "local_person", "decision_maker", "facilitator", or "". */
const char *group_role_slug(enum group_role r);
/* "Local person", "Decision-maker", "Facilitator", or "". */
const char *group_role_label(enum group_role r);
enum group_role group_role_parse(sv s);
/* "local" for a local person, "professional" for the others: the side a member sits on,
 * as access.h's side_of_role does for an account's role. */
const char *group_role_side(enum group_role r);

struct group {
	int64_t id, programme_id;
	char *programme_slug, *programme_name;
	char *name, *purpose;
	bool local_only;
	char *opened_on; /* "YYYY-MM-DD" when decision-makers were invited in; NULL before */
	int target_local, target_professional; /* 0 and 0: no target set */
	int n_local, n_professional;           /* current members on each side */
	int n_facilitators;                    /* of n_professional */
	char *created_at, *updated_at;
};

/* Fills OUT. Returns DOMAIN_OK, DOMAIN_ENOTFOUND or a DB_E* code. */
int group_get(db *d, arena *a, int64_t id, struct group *out);
/* As group_get, without the member counts (n_local, n_professional and n_facilitators
 * are 0): for pages that only name the group. */
int group_get_brief(db *d, arena *a, int64_t id, struct group *out);

/* The groups ACCOUNT_ID may see, by programme then name: every group for a programme
 * lead, else those the account is a current member of. PROGRAMME_ID 0 lists all
 * programmes, else only that one. *OUT is arena-owned. Returns DOMAIN_OK or a DB_E*
 * code. */
int group_list_for(db *d, arena *a, int64_t account_id, enum role role, int64_t programme_id,
                   struct group **out, size_t *n);
/* As group_list_for, without the member counts: for pages that only name and link the
 * groups. */
int group_names_for(db *d, arena *a, int64_t account_id, enum role role, int64_t programme_id,
		    struct group **out, size_t *n);

/* What a new group (or an edit) says. TARGET_* are as typed: empty means 0. */
struct group_new {
	int64_t programme_id; /* ignored by group_update */
	sv name, purpose;
	sv target_local, target_professional;
};

/* Validates IN (errors on "programme_id", "name" — required, at most GROUP_NAME_MAX
 * bytes, unique in its programme —, "purpose", "target_local", "target_professional":
 * whole numbers from 0 to GROUP_TARGET_MAX) and creates the group, local people only,
 * audited as "create". If FACILITATOR_ID is not 0, that account joins as the group's
 * facilitator from JOINED (the day it was made, usually). *ID (may be NULL) receives
 * the new id. Returns DOMAIN_OK, DOMAIN_EINVALID or a DB_E* code. */
int group_create(db *d, arena *a, const struct audit_actor *who, const struct group_new *in,
                 int64_t facilitator_id, struct date joined, struct field_errors *errs,
                 int64_t *id);
int group_create_tx(db *d, arena *a, const struct audit_actor *who, const struct group_new *in,
                    int64_t facilitator_id, struct date joined, struct field_errors *errs,
                    int64_t *id);

/* Changes the name, purpose and target balance (same checks as group_create), audited
 * as "update". Returns DOMAIN_OK, DOMAIN_EINVALID, DOMAIN_ENOTFOUND or a DB_E* code. */
int group_update(db *d, arena *a, const struct audit_actor *who, int64_t id,
                 const struct group_new *in, struct field_errors *errs);

/* Opens a local-only group to decision-makers from ON (error on "opened_on" if it is
 * before the group's first member joined), audited as "open". Opening a group that is
 * already open is DOMAIN_ECONFLICT. Returns DOMAIN_OK, DOMAIN_EINVALID,
 * DOMAIN_ECONFLICT, DOMAIN_ENOTFOUND or a DB_E* code. */
int group_open(db *d, arena *a, const struct audit_actor *who, int64_t id, struct date on,
               struct field_errors *errs);
int group_open_tx(db *d, arena *a, const struct audit_actor *who, int64_t id, struct date on,
                  struct field_errors *errs);

/* One membership of a group. */
struct group_member {
	int64_t id; /* the membership's id (group_members.id) */
	int64_t account_id;
	char *display_name;
	char *organisation_name; /* NULL for none */
	enum role account_role;
	bool assisted; /* takes part in person, through a facilitator */
	enum group_role role;
	const char *side; /* "local" or "professional" (static) */
	char *joined_on;  /* "YYYY-MM-DD" */
	char *left_on;    /* NULL while a current member */
};

/* The members of GROUP_ID: local people first, then decision-makers, then facilitators,
 * each by name. With INCLUDE_PAST, those who have left too (after the current ones).
 * *OUT is arena-owned. Returns DOMAIN_OK or a DB_E* code (an unknown group has no
 * members). This is what ideas and decisions use to count each side. */
int groups_members(db *d, arena *a, int64_t group_id, bool include_past, struct group_member **out,
                   size_t *n);

/* ACCOUNT_ID's current role in GROUP_ID, or GROUP_ROLE_NONE (also on a storage error). */
enum group_role group_role_of(db *d, int64_t group_id, int64_t account_id);

/* Adds ACCOUNT_ID to the group as ROLE from JOINED. Errors on "account_id" (no such
 * enabled account, or already a current member), "role" (a local person's account can
 * only be a local person in the group, and other accounts cannot be), "joined_on" (before
 * the group was opened, for a decision-maker). A decision-maker cannot join while the
 * group is for local people only: DOMAIN_ECONFLICT, which the page explains. Audited as
 * "member_add" on the group. *MEMBER_ID (may be NULL) receives the membership's id.
 * Returns DOMAIN_OK, DOMAIN_EINVALID, DOMAIN_ECONFLICT, DOMAIN_ENOTFOUND or a DB_E*
 * code. */
int group_member_add(db *d, arena *a, const struct audit_actor *who, int64_t group_id,
                     int64_t account_id, enum group_role role, struct date joined,
                     struct field_errors *errs, int64_t *member_id);
int group_member_add_tx(db *d, arena *a, const struct audit_actor *who, int64_t group_id,
                        int64_t account_id, enum group_role role, struct date joined,
                        struct field_errors *errs, int64_t *member_id);

/* Records that membership MEMBER_ID of GROUP_ID ended on LEFT (error on "left_on" if
 * before they joined). DOMAIN_ECONFLICT if they have already left. Audited as
 * "member_leave". Returns DOMAIN_OK, DOMAIN_EINVALID, DOMAIN_ECONFLICT,
 * DOMAIN_ENOTFOUND or a DB_E* code. */
int group_member_leave(db *d, arena *a, const struct audit_actor *who, int64_t group_id,
                       int64_t member_id, struct date left, struct field_errors *errs);
int group_member_leave_tx(db *d, arena *a, const struct audit_actor *who, int64_t group_id,
                          int64_t member_id, struct date left, struct field_errors *errs);

/* How far a group is from its target balance. */
struct group_parity {
	int local, professional;               /* current members */
	int target_local, target_professional; /* 0 and 0: no target */
	int need_local, need_professional;     /* more needed to reach the target (>= 0) */
	int over_local, over_professional;     /* past the target (>= 0) */
	bool has_target, balanced;             /* balanced: exactly at the target */
};
void group_parity_of(const struct group *g, struct group_parity *out);

#endif
