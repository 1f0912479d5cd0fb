/* delivery.h: co-delivery plans for proposals the Board supported, their actions and
 * milestones, and the Locality Implementation Plan that gathers them.
 *
 * A programme lead turns a supported proposal into a plan (the idea moves from
 * 'supported' to 'in_delivery'), adds actions, each owned by a person or an organisation
 * with a due date, a status and progress in words, and milestones that are due and then
 * reached. When every action is done, a programme lead marks the plan delivered (the
 * idea moves to 'delivered'). Every plan is embedded in the Locality Implementation
 * Plan, whose page lists them with their progress.
 *
 * Whether something is overdue depends on the day: functions that say so take TODAY, so
 * tests can fix it. Changes are audited in their transaction; _tx functions run inside
 * the caller's. Everything returned lives in the arena A.
 */
#ifndef DOMAIN_DELIVERY_H
#define DOMAIN_DELIVERY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/str.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/validate.h"

#define DELIVERY_TEXT_MAX 2000   /* bytes: an action's description or progress */
#define DELIVERY_TITLE_MAX 200   /* bytes: a milestone's title */
#define DELIVERY_ITEMS_MAX 500   /* actions or milestones one plan lists at most */
#define DELIVERY_PLANS_MAX 500   /* plans one list returns at most */

enum action_status {
	ACTION_NOT_STARTED = 0,
	ACTION_IN_PROGRESS,
	ACTION_DONE,
	ACTION_BLOCKED,
	ACTION_STATUS_NONE = -1,
};
#define ACTION_STATUS_COUNT 4
extern const enum action_status action_statuses[ACTION_STATUS_COUNT];
/* "not_started", "in_progress", "done", "blocked" (stored and sent by forms). */
const char *action_status_slug(enum action_status s);
/* "Not started", "In progress", "Done", "Blocked". */
const char *action_status_label(enum action_status s);
enum action_status action_status_parse(sv s); /* ACTION_STATUS_NONE if unknown */

struct delivery_plan {
	int64_t id, idea_id, board_paper_id, programme_id;
	char *title, *idea_status, *programme_name;
	bool programme_published; /* else the public does not see it */
	char *created_at;
	bool delivered; /* the idea is at 'delivered' */
	/* Progress, counted for TODAY by delivery_plan_get / delivery_plans_list. */
	size_t n_actions, n_done, n_overdue, n_blocked, n_milestones, n_reached;
};

struct delivery_action {
	int64_t id, plan_id;
	char *description;
	int64_t owner_account_id, owner_organisation_id; /* one of them, or neither */
	char *owner_name;        /* the person's name, or NULL */
	char *owner_person_org;  /* the person's own organisation, or NULL */
	bool owner_is_local;     /* the person is a local person */
	char *owner_org_name;    /* the owning organisation's name, or NULL */
	struct date due_on;
	enum action_status status;
	char *progress, *updated_at;
	bool overdue; /* past its due date and not done */
};

struct delivery_milestone {
	int64_t id, plan_id;
	char *title;
	struct date due_on;
	bool reached;
	struct date reached_on; /* when reached */
	bool overdue;           /* past due and not reached */
};

/* Makes the co-delivery plan for Board paper PAPER_ID, titled after its idea, in the
 * Locality Implementation Plan. DOMAIN_ENOTFOUND for no such paper; DOMAIN_ECONFLICT if
 * the Board did not support it or it already has a plan. The idea moves to
 * 'in_delivery'. Audited as "create". */
int delivery_plan_create(db *d, arena *a, const struct audit_actor *who, int64_t paper_id,
			 int64_t *id);
int delivery_plan_create_tx(db *d, arena *a, const struct audit_actor *who, int64_t paper_id,
			    int64_t *id);

int delivery_plan_get(db *d, arena *a, int64_t id, struct date today, struct delivery_plan *out);
/* Every plan in the Locality Implementation Plan, oldest first. */
int delivery_plans_list(db *d, arena *a, struct date today, struct delivery_plan **out,
			size_t *n);

int delivery_actions(db *d, arena *a, int64_t plan_id, struct date today,
		     struct delivery_action **out, size_t *n);
int delivery_milestones(db *d, arena *a, int64_t plan_id, struct date today,
			struct delivery_milestone **out, size_t *n);
int delivery_action_get(db *d, arena *a, int64_t id, struct date today,
			struct delivery_action *out);

struct delivery_action_new {
	sv description;
	/* The owner: a person or an organisation (choosing both is an error on "owner"). */
	int64_t owner_account_id, owner_organisation_id;
	sv due_day, due_month, due_year;
};

/* Adds an action to plan PLAN_ID, not started. Errors on "description", "owner",
 * "due_on". DOMAIN_ENOTFOUND for no such plan; DOMAIN_ECONFLICT once it is delivered.
 * Audited as "create". */
int delivery_action_add(db *d, arena *a, const struct audit_actor *who, int64_t plan_id,
			const struct delivery_action_new *in, struct field_errors *errs,
			int64_t *id);
int delivery_action_add_tx(db *d, arena *a, const struct audit_actor *who, int64_t plan_id,
			   const struct delivery_action_new *in, struct field_errors *errs,
			   int64_t *id);

/* Sets an action's status and progress text. Errors on "status", "progress". Audited
 * as "update" with before and after. */
int delivery_action_update(db *d, arena *a, const struct audit_actor *who, int64_t id,
			   enum action_status status, sv progress, struct field_errors *errs);
int delivery_action_update_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
			      enum action_status status, sv progress, struct field_errors *errs);

/* Adds a milestone. Errors on "title", "due_on". Audited as "create". */
int delivery_milestone_add(db *d, arena *a, const struct audit_actor *who, int64_t plan_id,
			   sv title, sv due_day, sv due_month, sv due_year,
			   struct field_errors *errs, int64_t *id);
int delivery_milestone_add_tx(db *d, arena *a, const struct audit_actor *who, int64_t plan_id,
			      sv title, sv due_day, sv due_month, sv due_year,
			      struct field_errors *errs, int64_t *id);

/* Marks milestone ID reached on ON. DOMAIN_ECONFLICT if already reached. Audited as
 * "reached". *PLAN_ID (may be NULL) receives its plan. */
int delivery_milestone_reach(db *d, arena *a, const struct audit_actor *who, int64_t id,
			     struct date on, int64_t *plan_id);
int delivery_milestone_reach_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
				struct date on, int64_t *plan_id);

/* Marks plan ID delivered: the idea moves from 'in_delivery' to 'delivered'.
 * DOMAIN_ECONFLICT when it has no actions, an action is not done, or it is already
 * delivered. Audited as "delivered". */
int delivery_plan_mark_delivered(db *d, arena *a, const struct audit_actor *who, int64_t id);

#endif
