/* audit.c: records every change with its actor, and lists the record for the audit page. */
#include "domain/audit.h"

#include "core/log.h"

enum {
	/* Most entries one audit_list call returns: a page of the audit view. */
	AUDIT_LIST_MAX = 500,
};

/* Account ids are foreign keys: 0 (the system, nobody) is stored as NULL. */
static int bind_account(db_stmt *s, int i, int64_t id)
{
	return id > 0 ? db_bind_int(s, i, id) : db_bind_null(s, i);
}

int audit_record(db *d, const struct audit_actor *who, const char *entity, int64_t entity_id,
		 const char *action, const char *before, const char *after)
{
	static const struct audit_actor system = {0, 0, NULL};
	char now[32];
	if (!who)
		who = &system;
	db_now_iso(now, 0);
	db_stmt *s = db_prepare(d, "INSERT INTO audit_log (at, account_id, on_behalf_of, address, "
				   "entity, entity_id, action, before_json, after_json) "
				   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!s)
		return DB_ERR;
	int rc = db_bind_text(s, 1, now);
	if (!rc)
		rc = bind_account(s, 2, who->account_id);
	if (!rc)
		rc = bind_account(s, 3, who->on_behalf_of);
	if (!rc)
		rc = db_bind_text(s, 4, who->address);
	if (!rc)
		rc = db_bind_text(s, 5, entity);
	if (!rc)
		rc = db_bind_int(s, 6, entity_id);
	if (!rc)
		rc = db_bind_text(s, 7, action);
	if (!rc)
		rc = db_bind_text(s, 8, before);
	if (!rc)
		rc = db_bind_text(s, 9, after);
	if (!rc)
		rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE) {
		log_error("audit: cannot record %s of %s %lld", action, entity, (long long)entity_id);
		return rc < 0 ? rc : DB_ERR;
	}
	return DB_OK;
}

/* Copies column I, telling SQL NULL (fine: *OUT is NULL) from a full arena (an error). */
static int dup_col(db_stmt *s, int i, arena *a, char **out)
{
	*out = db_col_dup(s, i, a);
	return *out || db_col_null(s, i) ? DB_OK : DB_ERR;
}

static int entry_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct audit_entry *e = item;
	e->id = db_col_int(s, 0);
	e->account_id = db_col_int(s, 2);
	e->on_behalf_of = db_col_int(s, 3);
	e->entity_id = db_col_int(s, 5);
	int rc = dup_col(s, 1, a, &e->at);
	if (!rc)
		rc = dup_col(s, 4, a, &e->entity);
	if (!rc)
		rc = dup_col(s, 6, a, &e->action);
	if (!rc)
		rc = dup_col(s, 7, a, &e->before);
	if (!rc)
		rc = dup_col(s, 8, a, &e->after);
	if (!rc)
		rc = dup_col(s, 9, a, &e->actor_name);
	if (!rc)
		rc = dup_col(s, 10, a, &e->on_behalf_name);
	return rc;
}

int audit_list(db *d, arena *a, int limit, int offset, struct audit_entry **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (limit <= 0)
		return DB_OK;
	if (limit > AUDIT_LIST_MAX)
		limit = AUDIT_LIST_MAX;
	if (offset < 0)
		offset = 0;
	/* Ids rise with each insert, so id order is the order changes were made even if the
	 * clock was stepped back in between. */
	db_stmt *s = db_prepare(d, "SELECT l.id, l.at, l.account_id, l.on_behalf_of, l.entity, "
				   "l.entity_id, l.action, l.before_json, l.after_json, "
				   "actor.display_name, person.display_name "
				   "FROM audit_log l "
				   "LEFT JOIN accounts actor ON actor.id = l.account_id "
				   "LEFT JOIN accounts person ON person.id = l.on_behalf_of "
				   "ORDER BY l.id DESC LIMIT ? OFFSET ?");
	db_bind_int(s, 1, limit);
	db_bind_int(s, 2, offset);
	return db_collect(s, a, sizeof(**out), entry_row, NULL, out, n);
}
