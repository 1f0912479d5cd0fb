/* delivery.c: co-delivery plans, their actions and milestones; see delivery.h. */
#include "domain/delivery.h"

#include <inttypes.h>
#include <string.h>

#include "core/json.h"
#include "domain/board.h"
#include "domain/record.h"
#include "domain/sessions.h"

#define AUDIT_JSON_MAX (16 * 1024)

static const struct {
	enum action_status s;
	const char *slug, *label;
} statuses[ACTION_STATUS_COUNT] = {
	{ACTION_NOT_STARTED, "not_started", "Not started"},
	{ACTION_IN_PROGRESS, "in_progress", "In progress"},
	{ACTION_DONE, "done", "Done"},
	{ACTION_BLOCKED, "blocked", "Blocked"},
};

const enum action_status action_statuses[ACTION_STATUS_COUNT] = {
	ACTION_NOT_STARTED, ACTION_IN_PROGRESS, ACTION_DONE, ACTION_BLOCKED};

const char *action_status_slug(enum action_status s)
{
	for (size_t i = 0; i < ACTION_STATUS_COUNT; i++)
		if (statuses[i].s == s)
			return statuses[i].slug;
	return "";
}

const char *action_status_label(enum action_status s)
{
	for (size_t i = 0; i < ACTION_STATUS_COUNT; i++)
		if (statuses[i].s == s)
			return statuses[i].label;
	return "";
}

enum action_status action_status_parse(sv s)
{
	for (size_t i = 0; i < ACTION_STATUS_COUNT; i++)
		if (sv_eq_cstr(s, statuses[i].slug))
			return statuses[i].s;
	return ACTION_STATUS_NONE;
}

/* --- Small helpers --------------------------------------------------------------------- */


static int step_done(db_stmt *st, int bad)
{
	int rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	return rc == DB_DONE ? DB_OK : (rc < 0 ? rc : DB_ERR);
}

static void iso_date(char buf[16], struct date d)
{
	snprintf(buf, 16, "%04d-%02d-%02d", d.y % 10000, d.m % 100, d.d % 100);
}

static struct date col_date(db_stmt *st, int i)
{
	struct date d;
	if (date_parse(db_col_sv(st, i), &d) != 0)
		d = (struct date){1970, 1, 1};
	return d;
}


/* Reads a due date from the GOV.UK date input into OUT; adds an error on FIELD. */
static int due_date(sv day, sv month, sv year, const char *field, const char *what,
		    struct date *out, struct field_errors *errs, arena *a)
{
	if (!sv_trim(day).len && !sv_trim(month).len && !sv_trim(year).len) {
		field_error_add(errs, field, arena_printf(a, "Enter the date %s is due", what));
		return DOMAIN_EINVALID;
	}
	if (date_from_fields(day, month, year, out) != 0) {
		field_error_add(errs, field,
				arena_printf(a, "The date %s is due must be a real date, like 31 3 2023",
					     what));
		return DOMAIN_EINVALID;
	}
	return DOMAIN_OK;
}

static int audit_sbuf(db *d, const struct audit_actor *who, const char *entity, int64_t id,
		      const char *action, sbuf *before, sbuf *after)
{
	if ((before && before->err) || (after && after->err))
		return DB_ERR;
	return audit_record(d, who, entity, id, action, before ? before->buf : NULL,
			    after ? after->buf : NULL);
}

/* --- Plans ----------------------------------------------------------------------------- */

#define PLAN_COLUMNS                                                                      \
	"SELECT dp.id, dp.idea_id, dp.board_paper_id, i.programme_id, dp.title, i.status,"  \
	" pr.name, dp.created_at,"                                                          \
	" (SELECT COUNT(*) FROM delivery_actions x WHERE x.plan_id = dp.id),"             \
	" (SELECT COUNT(*) FROM delivery_actions x WHERE x.plan_id = dp.id"               \
	"  AND x.status = 'done'),"                                                        \
	" (SELECT COUNT(*) FROM delivery_actions x WHERE x.plan_id = dp.id"               \
	"  AND x.status <> 'done' AND x.due_on < ?),"                                      \
	" (SELECT COUNT(*) FROM delivery_actions x WHERE x.plan_id = dp.id"               \
	"  AND x.status = 'blocked'),"                                                     \
	" (SELECT COUNT(*) FROM delivery_milestones y WHERE y.plan_id = dp.id),"          \
	" (SELECT COUNT(*) FROM delivery_milestones y WHERE y.plan_id = dp.id"            \
	"  AND y.reached_on IS NOT NULL), pr.published"                                    \
	" FROM delivery_plans dp JOIN ideas i ON i.id = dp.idea_id"                        \
	" JOIN programmes pr ON pr.id = i.programme_id"

static int plan_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct delivery_plan *p = item;
	p->id = db_col_int(st, 0);
	p->idea_id = db_col_int(st, 1);
	p->board_paper_id = db_col_null(st, 2) ? 0 : db_col_int(st, 2);
	p->programme_id = db_col_int(st, 3);
	p->title = db_col_dup(st, 4, a);
	p->idea_status = db_col_dup(st, 5, a);
	p->programme_name = db_col_dup(st, 6, a);
	p->created_at = db_col_dup(st, 7, a);
	p->n_actions = (size_t)db_col_int(st, 8);
	p->n_done = (size_t)db_col_int(st, 9);
	p->n_overdue = (size_t)db_col_int(st, 10);
	p->n_blocked = (size_t)db_col_int(st, 11);
	p->n_milestones = (size_t)db_col_int(st, 12);
	p->n_reached = (size_t)db_col_int(st, 13);
	p->programme_published = db_col_int(st, 14) != 0;
	p->delivered = p->idea_status && strcmp(p->idea_status, "delivered") == 0;
	return p->title && p->idea_status && p->programme_name && p->created_at ? DB_OK : DB_ERR;
}

int delivery_plan_get(db *d, arena *a, int64_t id, struct date today, struct delivery_plan *out)
{
	db_stmt *st = db_prepare(d, PLAN_COLUMNS " WHERE dp.id = ?");
	char iso[16];
	int rc;
	iso_date(iso, today);
	db_bind_text(st, 1, iso);
	db_bind_int(st, 2, id);
	rc = db_one(st, a, plan_row, NULL, out);
	return rc == DB_DONE ? DOMAIN_ENOTFOUND : rc;
}

int delivery_plans_list(db *d, arena *a, struct date today, struct delivery_plan **out,
			size_t *n)
{
	db_stmt *st = db_prepare(d, PLAN_COLUMNS " WHERE dp.in_locality_plan = 1"
				 " ORDER BY dp.created_at, dp.id LIMIT ?");
	char iso[16];
	iso_date(iso, today);
	db_bind_text(st, 1, iso);
	db_bind_int(st, 2, DELIVERY_PLANS_MAX);
	return db_collect(st, a, sizeof(**out), plan_row, NULL, out, n);
}

int delivery_plan_create_tx(db *d, arena *a, const struct audit_actor *who, int64_t paper_id,
			    int64_t *id)
{
	struct board_paper p;
	char now[ISO_TIME_LEN];
	int64_t new_id;
	db_stmt *st;
	int rc, bad = 0;
	sbuf js;
	json j;

	rc = board_paper_get(d, a, paper_id, &p);
	if (rc != DOMAIN_OK)
		return rc;
	if (p.decision != BOARD_SUPPORTED || p.plan_id)
		return DOMAIN_ECONFLICT;
	/* One plan per idea (the schema says so too). */
	st = db_prepare(d, "SELECT 1 FROM delivery_plans WHERE idea_id = ?");
	if (!st)
		return DB_ERR;
	rc = db_bind_int(st, 1, p.idea_id) ? DB_ERR : db_step(st);
	db_done(st);
	if (rc == DB_ROW)
		return DOMAIN_ECONFLICT;
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;

	db_now_iso(now, 0);
	st = db_prepare(d, "INSERT INTO delivery_plans (idea_id, board_paper_id, title,"
			   " in_locality_plan, created_by, created_at) VALUES (?, ?, ?, 1, ?, ?)");
	if (!st)
		return DB_ERR;
	bad |= db_bind_int(st, 1, p.idea_id);
	bad |= db_bind_int(st, 2, p.id);
	bad |= db_bind_text(st, 3, p.title);
	bad |= who->account_id ? db_bind_int(st, 4, who->account_id) : db_bind_null(st, 4);
	bad |= db_bind_text(st, 5, now);
	rc = step_done(st, bad);
	if (rc != DB_OK)
		return rc;
	new_id = db_last_insert_id(d);
	rc = board_idea_move_tx(d, a, who, p.idea_id, "supported", "in_delivery",
				"Co-delivery plan started");
	if (rc != DOMAIN_OK)
		return rc;

	sbuf_init(&js, a, AUDIT_JSON_MAX);
	json_init(&j, &js);
	json_obj(&j);
	json_key(&j, "board_paper_id");
	json_int(&j, p.id);
	json_key(&j, "idea_id");
	json_int(&j, p.idea_id);
	json_key(&j, "title");
	json_cstr(&j, p.title);
	json_end(&j);
	rc = audit_sbuf(d, who, "delivery_plan", new_id, "create", NULL, &js);
	if (rc == DB_OK && id)
		*id = new_id;
	return rc;
}

int delivery_plan_create(db *d, arena *a, const struct audit_actor *who, int64_t paper_id,
			 int64_t *id)
{
	IN_TRANSACTION(d, delivery_plan_create_tx(d, a, who, paper_id, id));
}

static int mark_delivered_tx(db *d, arena *a, const struct audit_actor *who, int64_t id)
{
	struct delivery_plan p;
	int rc = delivery_plan_get(d, a, id, date_today(), &p);
	if (rc != DOMAIN_OK)
		return rc;
	if (p.delivered || p.n_actions == 0 || p.n_done != p.n_actions)
		return DOMAIN_ECONFLICT;
	rc = board_idea_move_tx(d, a, who, p.idea_id, "in_delivery", "delivered",
				"Every action in the co-delivery plan is done");
	if (rc != DOMAIN_OK)
		return rc;
	return audit_record(d, who, "delivery_plan", id, "delivered", NULL, NULL);
}

int delivery_plan_mark_delivered(db *d, arena *a, const struct audit_actor *who, int64_t id)
{
	IN_TRANSACTION(d, mark_delivered_tx(d, a, who, id));
}

/* --- Actions --------------------------------------------------------------------------- */

#define ACTION_COLUMNS                                                                    \
	"SELECT x.id, x.plan_id, x.description, x.owner_account_id,"                      \
	" x.owner_organisation_id, ac.display_name, ao.name, ac.role, o.name, x.due_on,"   \
	" x.status, x.progress, x.updated_at"                                               \
	" FROM delivery_actions x LEFT JOIN accounts ac ON ac.id = x.owner_account_id"     \
	" LEFT JOIN organisations ao ON ao.id = ac.organisation_id"                        \
	" LEFT JOIN organisations o ON o.id = x.owner_organisation_id"

/* CTX is today's date, for what is overdue. */
static int action_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct delivery_action *x = item;
	x->id = db_col_int(st, 0);
	x->plan_id = db_col_int(st, 1);
	x->description = db_col_dup(st, 2, a);
	x->owner_account_id = db_col_null(st, 3) ? 0 : db_col_int(st, 3);
	x->owner_organisation_id = db_col_null(st, 4) ? 0 : db_col_int(st, 4);
	x->owner_name = db_col_dup(st, 5, a);
	x->owner_person_org = db_col_dup(st, 6, a);
	x->owner_is_local = sv_eq_cstr(db_col_sv(st, 7), "local_person");
	x->owner_org_name = db_col_dup(st, 8, a);
	x->due_on = col_date(st, 9);
	x->status = action_status_parse(db_col_sv(st, 10));
	x->progress = db_col_dup(st, 11, a);
	x->updated_at = db_col_dup(st, 12, a);
	x->overdue = x->status != ACTION_DONE && date_cmp(x->due_on, *(const struct date *)ctx) < 0;
	return x->description && x->progress && x->updated_at ? DB_OK : DB_ERR;
}

int delivery_action_get(db *d, arena *a, int64_t id, struct date today,
			struct delivery_action *out)
{
	return record_get(d, a, ACTION_COLUMNS " WHERE x.id = ?", id, action_row, &today, out);
}

int delivery_actions(db *d, arena *a, int64_t plan_id, struct date today,
		     struct delivery_action **out, size_t *n)
{
	db_stmt *st = db_prepare(d, ACTION_COLUMNS
				 " WHERE x.plan_id = ? ORDER BY x.due_on, x.id LIMIT ?");
	db_bind_int(st, 1, plan_id);
	db_bind_int(st, 2, DELIVERY_ITEMS_MAX);
	return db_collect(st, a, sizeof(**out), action_row, &today, out, n);
}

/* 1 if a row of SQL with ID exists, 0 if not, <0 on error. */
static int exists(db *d, const char *sql, int64_t id)
{
	db_stmt *st = db_prepare(d, sql);
	int rc;
	if (!st)
		return DB_ERR;
	rc = db_bind_int(st, 1, id) ? DB_ERR : db_step(st);
	db_done(st);
	if (rc == DB_ROW)
		return 1;
	return rc == DB_DONE ? 0 : (rc < 0 ? rc : DB_ERR);
}

/* The plan must exist (else DOMAIN_ENOTFOUND) and not be delivered (DOMAIN_ECONFLICT). */
static int plan_open(db *d, int64_t plan_id)
{
	db_stmt *st = db_prepare(d, "SELECT i.status FROM delivery_plans dp"
				    " JOIN ideas i ON i.id = dp.idea_id WHERE dp.id = ?");
	int rc;
	bool delivered;
	if (!st)
		return DB_ERR;
	rc = db_bind_int(st, 1, plan_id) ? DB_ERR : db_step(st);
	delivered = rc == DB_ROW && sv_eq_cstr(db_col_sv(st, 0), "delivered");
	db_done(st);
	if (rc == DB_DONE)
		return DOMAIN_ENOTFOUND;
	if (rc != DB_ROW)
		return rc < 0 ? rc : DB_ERR;
	return delivered ? DOMAIN_ECONFLICT : DOMAIN_OK;
}

int delivery_action_add_tx(db *d, arena *a, const struct audit_actor *who, int64_t plan_id,
			   const struct delivery_action_new *in, struct field_errors *errs,
			   int64_t *id)
{
	int rc = plan_open(d, plan_id), bad = 0, found;
	sv text = sv_trim(in->description);
	struct date due;
	char now[ISO_TIME_LEN], due_iso[16];
	int64_t new_id;
	db_stmt *st;
	sbuf js;
	json j;

	if (rc != DOMAIN_OK)
		return rc;
	if (!text.ptr || !text.len) {
		field_error_add(errs, "description", "Enter what the action is");
		rc = DOMAIN_EINVALID;
	} else if (text.len > DELIVERY_TEXT_MAX) {
		field_error_add(errs, "description", "The action must be 2,000 characters or fewer");
		rc = DOMAIN_EINVALID;
	}
	if (in->owner_account_id && in->owner_organisation_id) {
		field_error_add(errs, "owner",
				"Choose a person or an organisation to own the action, not both");
		rc = DOMAIN_EINVALID;
	} else if (!in->owner_account_id && !in->owner_organisation_id) {
		field_error_add(errs, "owner", "Choose who owns the action");
		rc = DOMAIN_EINVALID;
	} else {
		found = in->owner_account_id > 0
				? exists(d, "SELECT 1 FROM accounts WHERE id = ? AND disabled_at IS NULL",
					 in->owner_account_id)
				: in->owner_organisation_id > 0
					  ? exists(d, "SELECT 1 FROM organisations WHERE id = ?",
						   in->owner_organisation_id)
					  : 0;
		if (found < 0)
			return found;
		if (!found) {
			field_error_add(errs, "owner", "Choose who owns the action from the list");
			rc = DOMAIN_EINVALID;
		}
	}
	if (due_date(in->due_day, in->due_month, in->due_year, "due_on", "the action", &due, errs,
		     a) != DOMAIN_OK)
		rc = DOMAIN_EINVALID;
	if (rc != DOMAIN_OK)
		return rc;

	db_now_iso(now, 0);
	iso_date(due_iso, due);
	st = db_prepare(d, "INSERT INTO delivery_actions (plan_id, description, owner_account_id,"
			   " owner_organisation_id, due_on, status, progress, updated_at)"
			   " VALUES (?, ?, ?, ?, ?, 'not_started', '', ?)");
	if (!st)
		return DB_ERR;
	bad |= db_bind_int(st, 1, plan_id);
	bad |= db_bind_sv(st, 2, text);
	bad |= in->owner_account_id ? db_bind_int(st, 3, in->owner_account_id) : db_bind_null(st, 3);
	bad |= in->owner_organisation_id ? db_bind_int(st, 4, in->owner_organisation_id)
					 : db_bind_null(st, 4);
	bad |= db_bind_text(st, 5, due_iso);
	bad |= db_bind_text(st, 6, now);
	rc = step_done(st, bad);
	if (rc != DB_OK)
		return rc;
	new_id = db_last_insert_id(d);

	sbuf_init(&js, a, AUDIT_JSON_MAX);
	json_init(&j, &js);
	json_obj(&j);
	json_key(&j, "plan_id");
	json_int(&j, plan_id);
	json_key(&j, "description");
	json_str(&j, text);
	json_key(&j, "owner_account_id");
	json_int(&j, in->owner_account_id);
	json_key(&j, "owner_organisation_id");
	json_int(&j, in->owner_organisation_id);
	json_key(&j, "due_on");
	json_cstr(&j, due_iso);
	json_end(&j);
	rc = audit_sbuf(d, who, "delivery_action", new_id, "create", NULL, &js);
	if (rc == DB_OK && id)
		*id = new_id;
	return rc;
}

int delivery_action_add(db *d, arena *a, const struct audit_actor *who, int64_t plan_id,
			const struct delivery_action_new *in, struct field_errors *errs,
			int64_t *id)
{
	IN_TRANSACTION(d, delivery_action_add_tx(d, a, who, plan_id, in, errs, id));
}

int delivery_action_update_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
			      enum action_status status, sv progress, struct field_errors *errs)
{
	struct delivery_action x;
	sv text = sv_trim(progress);
	char now[ISO_TIME_LEN];
	db_stmt *st;
	int rc, bad = 0;
	sbuf before, after;
	json j;

	rc = delivery_action_get(d, a, id, date_today(), &x);
	if (rc != DOMAIN_OK)
		return rc;
	rc = plan_open(d, x.plan_id);
	if (rc != DOMAIN_OK)
		return rc;
	if (!action_status_slug(status)[0]) {
		field_error_add(errs, "status", "Select where the action is up to");
		rc = DOMAIN_EINVALID;
	}
	if (text.len > DELIVERY_TEXT_MAX) {
		field_error_add(errs, "progress", "Progress must be 2,000 characters or fewer");
		rc = DOMAIN_EINVALID;
	}
	if (rc != DOMAIN_OK)
		return rc;

	db_now_iso(now, 0);
	st = db_prepare(d, "UPDATE delivery_actions SET status = ?, progress = ?, updated_at = ?"
			   " WHERE id = ?");
	if (!st)
		return DB_ERR;
	bad |= db_bind_text(st, 1, action_status_slug(status));
	bad |= db_bind_sv(st, 2, text.ptr ? text : SV(""));
	bad |= db_bind_text(st, 3, now);
	bad |= db_bind_int(st, 4, id);
	rc = step_done(st, bad);
	if (rc != DB_OK)
		return rc;

	sbuf_init(&before, a, AUDIT_JSON_MAX);
	json_init(&j, &before);
	json_obj(&j);
	json_key(&j, "status");
	json_cstr(&j, action_status_slug(x.status));
	json_key(&j, "progress");
	json_cstr(&j, x.progress);
	json_end(&j);
	sbuf_init(&after, a, AUDIT_JSON_MAX);
	json_init(&j, &after);
	json_obj(&j);
	json_key(&j, "status");
	json_cstr(&j, action_status_slug(status));
	json_key(&j, "progress");
	json_str(&j, text.ptr ? text : SV(""));
	json_end(&j);
	return audit_sbuf(d, who, "delivery_action", id, "update", &before, &after);
}

int delivery_action_update(db *d, arena *a, const struct audit_actor *who, int64_t id,
			   enum action_status status, sv progress, struct field_errors *errs)
{
	IN_TRANSACTION(d, delivery_action_update_tx(d, a, who, id, status, progress, errs));
}

/* --- Milestones ------------------------------------------------------------------------ */

/* CTX is today's date, for what is overdue. */
static int milestone_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct delivery_milestone *m = item;
	m->id = db_col_int(st, 0);
	m->plan_id = db_col_int(st, 1);
	m->title = db_col_dup(st, 2, a);
	m->due_on = col_date(st, 3);
	m->reached = !db_col_null(st, 4);
	if (m->reached)
		m->reached_on = col_date(st, 4);
	m->overdue = !m->reached && date_cmp(m->due_on, *(const struct date *)ctx) < 0;
	return m->title ? DB_OK : DB_ERR;
}

int delivery_milestones(db *d, arena *a, int64_t plan_id, struct date today,
			struct delivery_milestone **out, size_t *n)
{
	db_stmt *st = db_prepare(d, "SELECT id, plan_id, title, due_on, reached_on"
				    " FROM delivery_milestones WHERE plan_id = ?"
				    " ORDER BY due_on, id LIMIT ?");
	db_bind_int(st, 1, plan_id);
	db_bind_int(st, 2, DELIVERY_ITEMS_MAX);
	return db_collect(st, a, sizeof(**out), milestone_row, &today, out, n);
}

int delivery_milestone_add_tx(db *d, arena *a, const struct audit_actor *who, int64_t plan_id,
			      sv title, sv due_day, sv due_month, sv due_year,
			      struct field_errors *errs, int64_t *id)
{
	int rc = plan_open(d, plan_id), bad = 0;
	sv t = sv_trim(title);
	struct date due;
	char due_iso[16];
	int64_t new_id;
	db_stmt *st;
	sbuf js;
	json j;

	if (rc != DOMAIN_OK)
		return rc;
	if (!t.ptr || !t.len) {
		field_error_add(errs, "title", "Enter the milestone");
		rc = DOMAIN_EINVALID;
	} else if (t.len > DELIVERY_TITLE_MAX) {
		field_error_add(errs, "title", "The milestone must be 200 characters or fewer");
		rc = DOMAIN_EINVALID;
	}
	if (due_date(due_day, due_month, due_year, "due_on", "the milestone", &due, errs, a) !=
	    DOMAIN_OK)
		rc = DOMAIN_EINVALID;
	if (rc != DOMAIN_OK)
		return rc;

	iso_date(due_iso, due);
	st = db_prepare(d, "INSERT INTO delivery_milestones (plan_id, title, due_on) VALUES (?, ?, ?)");
	if (!st)
		return DB_ERR;
	bad |= db_bind_int(st, 1, plan_id);
	bad |= db_bind_sv(st, 2, t);
	bad |= db_bind_text(st, 3, due_iso);
	rc = step_done(st, bad);
	if (rc != DB_OK)
		return rc;
	new_id = db_last_insert_id(d);

	sbuf_init(&js, a, AUDIT_JSON_MAX);
	json_init(&j, &js);
	json_obj(&j);
	json_key(&j, "plan_id");
	json_int(&j, plan_id);
	json_key(&j, "title");
	json_str(&j, t);
	json_key(&j, "due_on");
	json_cstr(&j, due_iso);
	json_end(&j);
	rc = audit_sbuf(d, who, "delivery_milestone", new_id, "create", NULL, &js);
	if (rc == DB_OK && id)
		*id = new_id;
	return rc;
}

int delivery_milestone_add(db *d, arena *a, const struct audit_actor *who, int64_t plan_id,
			   sv title, sv due_day, sv due_month, sv due_year,
			   struct field_errors *errs, int64_t *id)
{
	IN_TRANSACTION(d, delivery_milestone_add_tx(d, a, who, plan_id, title, due_day, due_month,
						    due_year, errs, id));
}

int delivery_milestone_reach_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
				struct date on, int64_t *plan_id)
{
	db_stmt *st = db_prepare(d, "SELECT plan_id, reached_on FROM delivery_milestones"
				    " WHERE id = ?");
	char iso[16], after[64];
	int64_t plan;
	bool reached;
	int rc, bad = 0;

	(void)a;
	if (!st)
		return DB_ERR;
	rc = db_bind_int(st, 1, id) ? DB_ERR : db_step(st);
	plan = rc == DB_ROW ? db_col_int(st, 0) : 0;
	reached = rc == DB_ROW && !db_col_null(st, 1);
	db_done(st);
	if (rc == DB_DONE)
		return DOMAIN_ENOTFOUND;
	if (rc != DB_ROW)
		return rc < 0 ? rc : DB_ERR;
	if (reached)
		return DOMAIN_ECONFLICT;
	rc = plan_open(d, plan);
	if (rc != DOMAIN_OK)
		return rc;
	iso_date(iso, on);
	st = db_prepare(d, "UPDATE delivery_milestones SET reached_on = ? WHERE id = ?");
	if (!st)
		return DB_ERR;
	bad |= db_bind_text(st, 1, iso);
	bad |= db_bind_int(st, 2, id);
	rc = step_done(st, bad);
	if (rc != DB_OK)
		return rc;
	snprintf(after, sizeof(after), "{\"reached_on\":\"%s\"}", iso);
	rc = audit_record(d, who, "delivery_milestone", id, "reached", NULL, after);
	if (rc == DB_OK && plan_id)
		*plan_id = plan;
	return rc;
}

int delivery_milestone_reach(db *d, arena *a, const struct audit_actor *who, int64_t id,
			     struct date on, int64_t *plan_id)
{
	IN_TRANSACTION(d, delivery_milestone_reach_tx(d, a, who, id, on, plan_id));
}
