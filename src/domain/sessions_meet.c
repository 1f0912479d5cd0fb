/* sessions_meet.c: group sessions, attendance, notes and calendar feeds; see
 * sessions_meet.h. */
#include "domain/sessions_meet.h"

#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "domain/record.h"

#define AUDIT_JSON_MAX 8192

static int finish(db *d, int rc)
{
	if (rc == DOMAIN_OK)
		rc = db_commit(d);
	if (rc != DOMAIN_OK)
		db_rollback(d);
	return rc;
}

/* Runs a statement that returns nothing. */
static int exec_done(db_stmt *s)
{
	int rc;
	if (!s)
		return DB_ERR;
	rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? DB_OK : rc;
}

/* --- Reading ------------------------------------------------------------------------- */

#define MEETING_COLUMNS                                                                            \
	"s.id, s.group_id, s.schedule_id, s.venue_id, g.name, s.title, s.starts_at, "              \
	"s.ends_at, s.status, s.notes, s.uid, s.sequence, s.updated_at, v.name, v.address, "       \
	"v.postcode, v.step_free, v.accessible_toilet, v.hearing_loop, v.quiet_room, "             \
	"v.near_transport, v.transport_note, v.capacity, v.cost_per_booking_pence "                \
	"FROM group_sessions s JOIN working_groups g ON g.id = s.group_id "                        \
	"LEFT JOIN venues v ON v.id = s.venue_id "

static int meeting_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct meeting *m = item;
	memset(m, 0, sizeof(*m));
	m->id = db_col_int(s, 0);
	m->group_id = db_col_int(s, 1);
	m->schedule_id = db_col_int(s, 2);
	m->venue_id = db_col_int(s, 3);
	m->group_name = db_col_dup(s, 4, a);
	m->title = db_col_dup(s, 5, a);
	m->starts_at = db_col_dup(s, 6, a);
	m->ends_at = db_col_dup(s, 7, a);
	m->status = db_col_dup(s, 8, a);
	m->notes = db_col_dup(s, 9, a);
	m->uid = db_col_dup(s, 10, a);
	m->sequence = db_col_int(s, 11);
	m->updated_at = db_col_dup(s, 12, a);
	if (m->venue_id) {
		struct venue *v = &m->venue;
		v->id = m->venue_id;
		v->name = db_col_dup(s, 13, a);
		v->address = db_col_dup(s, 14, a);
		v->postcode = db_col_dup(s, 15, a);
		v->step_free = db_col_int(s, 16) != 0;
		v->accessible_toilet = db_col_int(s, 17) != 0;
		v->hearing_loop = db_col_int(s, 18) != 0;
		v->quiet_room = db_col_int(s, 19) != 0;
		v->near_transport = db_col_int(s, 20) != 0;
		v->transport_note = db_col_dup(s, 21, a);
		v->capacity = (int)db_col_int(s, 22);
		v->cost_pence = db_col_int(s, 23);
		if (!v->name || !v->address || !v->postcode || !v->transport_note)
			return DB_ERR;
	}
	return m->group_name && m->title && m->starts_at && m->ends_at && m->status && m->notes &&
	               m->uid && m->updated_at
	           ? DB_OK
	           : DB_ERR;
}

int meeting_get(db *d, arena *a, int64_t id, struct meeting *out)
{
	return record_get(d, a, "SELECT " MEETING_COLUMNS "WHERE s.id = ?", id, meeting_row, NULL,
	                  out);
}

int meeting_list_group(db *d, arena *a, int64_t group_id, struct meeting **out, size_t *n)
{
	db_stmt *s = db_prepare(d, "SELECT " MEETING_COLUMNS
	                           "WHERE s.group_id = ? ORDER BY s.starts_at, s.id LIMIT ?");
	db_bind_int(s, 1, group_id);
	db_bind_int(s, 2, MEETING_LIST_MAX);
	return db_collect(s, a, sizeof(**out), meeting_row, NULL, out, n);
}

int meeting_list_for(db *d, arena *a, int64_t account_id, const char *from, int limit,
                     struct meeting **out, size_t *n)
{
	db_stmt *s = db_prepare(d, "SELECT " MEETING_COLUMNS
	                           "JOIN session_invitees i ON i.session_id = s.id "
	                           "WHERE i.account_id = ? AND s.ends_at >= ? "
	                           "ORDER BY s.starts_at, s.id LIMIT ?");
	if (limit <= 0 || limit > MEETING_LIST_MAX)
		limit = MEETING_LIST_MAX;
	db_bind_int(s, 1, account_id);
	db_bind_text(s, 2, from);
	db_bind_int(s, 3, limit);
	return db_collect(s, a, sizeof(**out), meeting_row, NULL, out, n);
}

int meeting_list_needing_attendance(db *d, arena *a, int64_t account_id, bool all,
                                    const char *now_local, int limit, struct meeting **out,
                                    size_t *n)
{
	db_stmt *s = db_prepare(
	    d, "SELECT " MEETING_COLUMNS "WHERE s.status <> 'cancelled' AND s.starts_at < ? "
	       "AND (? = 1 OR s.group_id IN (SELECT group_id FROM group_members WHERE "
	       "account_id = ? AND role_in_group = 'facilitator' AND left_on IS NULL)) "
	       "AND EXISTS (SELECT 1 FROM session_invitees i WHERE i.session_id = s.id AND "
	       "NOT EXISTS (SELECT 1 FROM attendance t WHERE t.session_id = s.id AND "
	       "t.account_id = i.account_id)) ORDER BY s.starts_at DESC, s.id LIMIT ?");
	if (limit <= 0 || limit > MEETING_LIST_MAX)
		limit = MEETING_LIST_MAX;
	db_bind_text(s, 1, now_local);
	db_bind_int(s, 2, all ? 1 : 0);
	db_bind_int(s, 3, account_id);
	db_bind_int(s, 4, limit);
	return db_collect(s, a, sizeof(**out), meeting_row, NULL, out, n);
}

/* --- Making sessions ----------------------------------------------------------------- */

/* Checks the when and where of IN into START and END ("YYYY-MM-DDTHH:MM"). */
static int check_when(db *d, arena *a, const struct meeting_new *in, bool need_title, char **start,
                      char **end, struct field_errors *errs)
{
	int smin = -1, emin = -1, rc;
	sbuf day;
	sv title = sv_trim(in->title);

	if (need_title) {
		if (!title.len)
			field_error_add(errs, "title", "Enter a title for the session");
		else if (title.len > MEETING_TITLE_MAX)
			field_error_add(errs, "title", "The title must be 200 characters or fewer");
	}
	if (!in->date_ok || !date_valid(in->date))
		field_error_add(errs, "date", "Enter a real date, like 22 11 2022");
	if (time_parse(sv_trim(in->start), &smin) != 0)
		field_error_add(errs, "start", "Enter the start time, like 18:00");
	if (time_parse(sv_trim(in->end), &emin) != 0)
		field_error_add(errs, "end", "Enter the end time, like 20:00");
	else if (smin >= 0 && emin <= smin)
		field_error_add(errs, "end", "The end time must be after the start time");
	if (in->venue_id) {
		struct venue v;
		rc = in->venue_id > 0 ? venue_get(d, a, in->venue_id, &v) : DOMAIN_ENOTFOUND;
		if (rc == DOMAIN_ENOTFOUND)
			field_error_add(errs, "venue_id", "Choose a venue from the list");
		else if (rc != DOMAIN_OK)
			return rc;
	}
	if (field_errors_any(errs))
		return DOMAIN_EINVALID;
	sbuf_init(&day, a, 32);
	date_iso(&day, in->date);
	*start = arena_printf(a, "%sT%02d:%02d", day.buf, smin / 60, smin % 60);
	*end = arena_printf(a, "%sT%02d:%02d", day.buf, emin / 60, emin % 60);
	return *start && *end && !day.err ? DOMAIN_OK : DB_ERR;
}

/* Inserts one session and invites the members on its day. */
static int insert_meeting(db *d, arena *a, int64_t group_id, int64_t schedule_id, sv title,
                          const char *start, const char *end, int64_t venue_id, int64_t *id)
{
	char token[SESSION_TOKEN_HEX + 1], now[ISO_TIME_LEN], day[11];
	db_stmt *s;
	int rc;
	const char *uid;

	token_generate(token, NULL);
	token[32] = 0;
	uid = arena_printf(a, "%s@coprod", token);
	if (!uid)
		return DB_ERR;
	db_now_iso(now, 0);
	s = db_prepare(d,
	               "INSERT INTO group_sessions (group_id, schedule_id, title, starts_at, "
	               "ends_at, venue_id, status, notes, uid, sequence, created_at, updated_at) "
	               "VALUES (?, ?, ?, ?, ?, ?, 'planned', '', ?, 0, ?, ?)");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, group_id);
	if (schedule_id)
		db_bind_int(s, 2, schedule_id);
	else
		db_bind_null(s, 2);
	db_bind_sv(s, 3, title);
	db_bind_text(s, 4, start);
	db_bind_text(s, 5, end);
	if (venue_id)
		db_bind_int(s, 6, venue_id);
	else
		db_bind_null(s, 6);
	db_bind_text(s, 7, uid);
	db_bind_text(s, 8, now);
	db_bind_text(s, 9, now);
	rc = exec_done(s);
	if (rc != DB_OK)
		return rc;
	*id = db_last_insert_id(d);
	memcpy(day, start, 10);
	day[10] = 0;
	s = db_prepare(d, "INSERT INTO session_invitees (session_id, account_id) SELECT DISTINCT "
	                  "?, account_id FROM group_members WHERE group_id = ? AND joined_on <= ? "
	                  "AND (left_on IS NULL OR left_on > ?)");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, *id);
	db_bind_int(s, 2, group_id);
	db_bind_text(s, 3, day);
	db_bind_text(s, 4, day);
	return exec_done(s);
}

static const char *when_json(arena *a, const char *start, const char *end, int64_t venue_id)
{
	return arena_printf(a, "{\"starts_at\":\"%s\",\"ends_at\":\"%s\",\"venue_id\":%lld}", start,
	                    end, (long long)venue_id);
}

static int group_exists(db *d, int64_t group_id)
{
	db_stmt *s = db_prepare(d, "SELECT 1 FROM working_groups WHERE id = ?");
	int rc;
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, group_id);
	rc = db_step(s);
	db_done(s);
	return rc == DB_ROW ? DOMAIN_OK : rc == DB_DONE ? DOMAIN_ENOTFOUND : rc;
}

int meeting_create_tx(db *d, arena *a, const struct audit_actor *who, int64_t group_id,
                      const struct meeting_new *in, struct field_errors *errs, int64_t *id)
{
	struct field_errors local;
	char *start, *end;
	int64_t new_id;
	int rc = group_exists(d, group_id);

	if (rc != DOMAIN_OK)
		return rc;
	if (!errs) {
		field_errors_init(&local);
		errs = &local;
	}
	rc = check_when(d, a, in, true, &start, &end, errs);
	if (rc != DOMAIN_OK)
		return rc;
	rc = insert_meeting(d, a, group_id, 0, sv_trim(in->title), start, end, in->venue_id,
	                    &new_id);
	if (rc != DB_OK)
		return rc;
	rc = audit_record(d, who, "session", new_id, "create", NULL,
	                  when_json(a, start, end, in->venue_id));
	if (rc == DB_OK && id)
		*id = new_id;
	return rc;
}

int meeting_create(db *d, arena *a, const struct audit_actor *who, int64_t group_id,
                   const struct meeting_new *in, struct field_errors *errs, int64_t *id)
{
	int rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	return finish(d, meeting_create_tx(d, a, who, group_id, in, errs, id));
}

int meeting_schedule_tx(db *d, arena *a, const struct audit_actor *who, int64_t group_id,
                        const struct schedule_new *in, struct field_errors *errs, int *created)
{
	struct field_errors local;
	char *start, *end, now[ISO_TIME_LEN];
	int64_t every = 0, count = 0, sched_id, first_days, until_days;
	sbuf first_iso, until_iso;
	db_stmt *s;
	int rc = group_exists(d, group_id);

	*created = 0;
	if (rc != DOMAIN_OK)
		return rc;
	if (!errs) {
		field_errors_init(&local);
		errs = &local;
	}
	rc = check_when(d, a, &in->first, true, &start, &end, errs);
	if (rc != DOMAIN_OK && rc != DOMAIN_EINVALID)
		return rc;
	if (sv_to_i64(sv_trim(in->every_days), &every) != 0 || every < 1 || every > 92)
		field_error_add(errs, "every_days",
		                "Enter how many days apart, from 1 to 92, like 14 for fortnightly");
	if (!in->until_ok || !date_valid(in->until))
		field_error_add(errs, "until",
		                "Enter the date of the last session, like 22 11 2022");
	else if (in->first.date_ok && date_cmp(in->until, in->first.date) < 0)
		field_error_add(errs, "until", "The last date must be on or after the first");
	if (field_errors_any(errs))
		return DOMAIN_EINVALID;
	first_days = date_to_days(in->first.date);
	until_days = date_to_days(in->until);
	count = (until_days - first_days) / every + 1;
	if (count > MEETING_SCHEDULE_MAX) {
		field_error_add(errs, "until",
		                arena_printf(a,
		                             "That would make %lld sessions. Make at most 200 at "
		                             "once: choose an earlier last date",
		                             (long long)count));
		return DOMAIN_EINVALID;
	}
	sbuf_init(&first_iso, a, 16);
	sbuf_init(&until_iso, a, 16);
	date_iso(&first_iso, in->first.date);
	date_iso(&until_iso, in->until);
	db_now_iso(now, 0);
	s = db_prepare(d, "INSERT INTO session_schedules (group_id, every_days, first_date, "
	                  "until_date, start_time, end_time, venue_id, created_by, created_at) "
	                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, group_id);
	db_bind_int(s, 2, every);
	db_bind_text(s, 3, first_iso.buf);
	db_bind_text(s, 4, until_iso.buf);
	db_bind_text(s, 5, start + 11);
	db_bind_text(s, 6, end + 11);
	if (in->first.venue_id)
		db_bind_int(s, 7, in->first.venue_id);
	else
		db_bind_null(s, 7);
	if (who->account_id)
		db_bind_int(s, 8, who->account_id);
	else
		db_bind_null(s, 8);
	db_bind_text(s, 9, now);
	rc = exec_done(s);
	if (rc != DB_OK)
		return rc;
	sched_id = db_last_insert_id(d);
	for (int64_t i = 0; i < count; i++) {
		sbuf day;
		int64_t id;
		char *st, *en;
		sbuf_init(&day, a, 16);
		date_iso(&day, date_from_days(first_days + i * every));
		st = arena_printf(a, "%s%s", day.buf, start + 10);
		en = arena_printf(a, "%s%s", day.buf, end + 10);
		if (!st || !en)
			return DB_ERR;
		rc = insert_meeting(d, a, group_id, sched_id, sv_trim(in->first.title), st, en,
		                    in->first.venue_id, &id);
		if (rc != DB_OK)
			return rc;
	}
	rc = audit_record(d, who, "group", group_id, "schedule", NULL,
	                  arena_printf(a,
	                               "{\"schedule_id\":%lld,\"every_days\":%lld,\"first_date\":"
	                               "\"%s\",\"until_date\":\"%s\",\"sessions\":%lld}",
	                               (long long)sched_id, (long long)every, first_iso.buf,
	                               until_iso.buf, (long long)count));
	if (rc == DB_OK)
		*created = (int)count;
	return rc;
}

int meeting_schedule(db *d, arena *a, const struct audit_actor *who, int64_t group_id,
                     const struct schedule_new *in, struct field_errors *errs, int *created)
{
	int rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	return finish(d, meeting_schedule_tx(d, a, who, group_id, in, errs, created));
}

/* --- Cancelling and moving ----------------------------------------------------------- */

static int add_notice(db *d, const struct audit_actor *who, int64_t id, const char *kind,
                      sv message)
{
	char now[ISO_TIME_LEN];
	db_stmt *s = db_prepare(d, "INSERT INTO session_notices (session_id, kind, message, "
	                           "created_by, created_at) VALUES (?, ?, ?, ?, ?)");
	if (!s)
		return DB_ERR;
	db_now_iso(now, 0);
	db_bind_int(s, 1, id);
	db_bind_text(s, 2, kind);
	db_bind_sv(s, 3, message);
	if (who->account_id)
		db_bind_int(s, 4, who->account_id);
	else
		db_bind_null(s, 4);
	db_bind_text(s, 5, now);
	return exec_done(s);
}

static void check_message(sv message, struct field_errors *errs)
{
	if (!message.len)
		field_error_add(errs, "message", "Enter what to tell the group’s members");
	else if (message.len > MEETING_MESSAGE_MAX)
		field_error_add(errs, "message", "The message must be 2000 characters or fewer");
}

int meeting_cancel_tx(db *d, arena *a, const struct audit_actor *who, int64_t id, sv message,
                      struct field_errors *errs)
{
	struct meeting m;
	struct field_errors local;
	char now[ISO_TIME_LEN];
	db_stmt *s;
	int rc;

	if (!errs) {
		field_errors_init(&local);
		errs = &local;
	}
	message = sv_trim(message);
	rc = meeting_get(d, a, id, &m);
	if (rc != DOMAIN_OK)
		return rc;
	if (strcmp(m.status, "planned") != 0)
		return DOMAIN_ECONFLICT;
	check_message(message, errs);
	if (field_errors_any(errs))
		return DOMAIN_EINVALID;
	db_now_iso(now, 0);
	s = db_prepare(d, "UPDATE group_sessions SET status = 'cancelled', sequence = sequence + "
	                  "1, updated_at = ? WHERE id = ?");
	if (!s)
		return DB_ERR;
	db_bind_text(s, 1, now);
	db_bind_int(s, 2, id);
	rc = exec_done(s);
	if (rc == DB_OK)
		rc = add_notice(d, who, id, "cancelled", message);
	if (rc == DB_OK)
		rc = audit_record(d, who, "session", id, "cancel", "{\"status\":\"planned\"}",
		                  "{\"status\":\"cancelled\"}");
	return rc;
}

int meeting_cancel(db *d, arena *a, const struct audit_actor *who, int64_t id, sv message,
                   struct field_errors *errs)
{
	int rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	return finish(d, meeting_cancel_tx(d, a, who, id, message, errs));
}

int meeting_move(db *d, arena *a, const struct audit_actor *who, int64_t id,
                 const struct meeting_new *to, sv message, struct field_errors *errs)
{
	struct meeting m;
	struct field_errors local;
	char now[ISO_TIME_LEN], *start, *end;
	db_stmt *s;
	int rc;

	if (!errs) {
		field_errors_init(&local);
		errs = &local;
	}
	message = sv_trim(message);
	rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	rc = meeting_get(d, a, id, &m);
	if (rc != DOMAIN_OK)
		return finish(d, rc);
	if (strcmp(m.status, "planned") != 0)
		return finish(d, DOMAIN_ECONFLICT);
	rc = check_when(d, a, to, false, &start, &end, errs);
	if (rc != DOMAIN_OK && rc != DOMAIN_EINVALID)
		return finish(d, rc);
	check_message(message, errs);
	if (field_errors_any(errs))
		return finish(d, DOMAIN_EINVALID);
	db_now_iso(now, 0);
	s = db_prepare(d, "UPDATE group_sessions SET starts_at = ?, ends_at = ?, venue_id = ?, "
	                  "sequence = sequence + 1, updated_at = ? WHERE id = ?");
	if (!s)
		return finish(d, DB_ERR);
	db_bind_text(s, 1, start);
	db_bind_text(s, 2, end);
	if (to->venue_id)
		db_bind_int(s, 3, to->venue_id);
	else
		db_bind_null(s, 3);
	db_bind_text(s, 4, now);
	db_bind_int(s, 5, id);
	rc = exec_done(s);
	if (rc == DB_OK)
		rc = add_notice(d, who, id, "moved", message);
	if (rc == DB_OK)
		rc = audit_record(d, who, "session", id, "move",
		                  when_json(a, m.starts_at, m.ends_at, m.venue_id),
		                  when_json(a, start, end, to->venue_id));
	return finish(d, rc);
}

static int notice_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct meeting_notice *x = item;
	x->kind = db_col_dup(s, 0, a);
	x->message = db_col_dup(s, 1, a);
	x->by_name = db_col_dup(s, 2, a);
	x->created_at = db_col_dup(s, 3, a);
	return DB_OK;
}

int meeting_notices(db *d, arena *a, int64_t id, struct meeting_notice **out, size_t *n)
{
	db_stmt *s =
	    db_prepare(d, "SELECT n.kind, n.message, ac.display_name, n.created_at FROM "
	                  "session_notices n LEFT JOIN accounts ac ON ac.id = n.created_by "
	                  "WHERE n.session_id = ? ORDER BY n.id LIMIT 100");
	db_bind_int(s, 1, id);
	return db_collect(s, a, sizeof(**out), notice_row, NULL, out, n);
}

/* --- Agenda -------------------------------------------------------------------------- */

static int agenda_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct agenda_item *x = item;
	x->id = db_col_int(s, 0);
	x->position = (int)db_col_int(s, 1);
	x->title = db_col_dup(s, 2, a);
	x->detail = db_col_dup(s, 3, a);
	return DB_OK;
}

int meeting_agenda(db *d, arena *a, int64_t id, struct agenda_item **out, size_t *n)
{
	db_stmt *s = db_prepare(d, "SELECT id, position, title, detail FROM agenda_items WHERE "
	                           "session_id = ? ORDER BY position, id LIMIT ?");
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, MEETING_AGENDA_MAX);
	return db_collect(s, a, sizeof(**out), agenda_row, NULL, out, n);
}

static int bump(db *d, int64_t id)
{
	char now[ISO_TIME_LEN];
	db_stmt *s = db_prepare(d, "UPDATE group_sessions SET sequence = sequence + 1, "
	                           "updated_at = ? WHERE id = ?");
	if (!s)
		return DB_ERR;
	db_now_iso(now, 0);
	db_bind_text(s, 1, now);
	db_bind_int(s, 2, id);
	return exec_done(s);
}

int meeting_agenda_add_tx(db *d, arena *a, const struct audit_actor *who, int64_t id, sv title,
                          sv detail, struct field_errors *errs)
{
	struct field_errors local_errs;
	struct meeting m;
	struct agenda_item *items;
	size_t n;
	db_stmt *s;
	int rc = meeting_get(d, a, id, &m);

	if (!errs) {
		field_errors_init(&local_errs);
		errs = &local_errs;
	}
	if (rc != DOMAIN_OK)
		return rc;
	title = sv_trim(title);
	detail = sv_trim(detail);
	rc = meeting_agenda(d, a, id, &items, &n);
	if (rc != DOMAIN_OK)
		return rc;
	if (!title.len)
		field_error_add(errs, "item_title", "Enter the agenda item");
	else if (title.len > MEETING_TITLE_MAX)
		field_error_add(errs, "item_title", "The item must be 200 characters or fewer");
	else if (n >= MEETING_AGENDA_MAX)
		field_error_add(errs, "item_title", "An agenda can have at most 50 items");
	if (detail.len > MEETING_MESSAGE_MAX)
		field_error_add(errs, "item_detail", "The detail must be 2000 characters or fewer");
	if (field_errors_any(errs))
		return DOMAIN_EINVALID;
	s = db_prepare(d, "INSERT INTO agenda_items (session_id, position, title, detail) VALUES "
	                  "(?, ?, ?, ?)");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, n ? items[n - 1].position + 1 : 1);
	db_bind_sv(s, 3, title);
	db_bind_sv(s, 4, detail);
	rc = exec_done(s);
	if (rc == DB_OK)
		rc = bump(d, id);
	if (rc == DB_OK) {
		sbuf b;
		json j;
		sbuf_init(&b, a, AUDIT_JSON_MAX);
		json_init(&j, &b);
		json_obj(&j);
		json_key(&j, "agenda_item");
		json_str(&j, title);
		json_end(&j);
		rc =
		    b.err ? DB_ERR : audit_record(d, who, "session", id, "agenda_add", NULL, b.buf);
	}
	return rc;
}

int meeting_agenda_add(db *d, arena *a, const struct audit_actor *who, int64_t id, sv title,
                       sv detail, struct field_errors *errs)
{
	int rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	return finish(d, meeting_agenda_add_tx(d, a, who, id, title, detail, errs));
}

/* --- Attendance ---------------------------------------------------------------------- */

const char *attendance_status_parse(sv s)
{
	if (sv_eq_cstr(s, "present"))
		return "present";
	if (sv_eq_cstr(s, "apologies"))
		return "apologies";
	if (sv_eq_cstr(s, "absent"))
		return "absent";
	return NULL;
}

const char *attendance_status_label(const char *status)
{
	if (!status)
		return "Not recorded";
	if (strcmp(status, "present") == 0)
		return "Present";
	if (strcmp(status, "apologies") == 0)
		return "Sent apologies";
	if (strcmp(status, "absent") == 0)
		return "Absent";
	return "Not recorded";
}

static int attendee_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct attendee *t = item;
	t->account_id = db_col_int(s, 0);
	t->display_name = db_col_dup(s, 1, a);
	t->assisted = db_col_int(s, 2) != 0;
	t->role = group_role_parse(db_col_sv(s, 4));
	t->side = role_parse(db_col_sv(s, 3)) == ROLE_LOCAL_PERSON ? "local" : "professional";
	t->status = db_col_dup(s, 5, a);
	return t->display_name ? DB_OK : DB_ERR;
}

int meeting_attendees(db *d, arena *a, int64_t id, struct attendee **out, size_t *n)
{
	db_stmt *s = db_prepare(
	    d, "SELECT i.account_id, ac.display_name, ac.assisted, ac.role, "
	       "(SELECT m.role_in_group FROM group_members m WHERE m.group_id = gs.group_id "
	       "AND m.account_id = i.account_id ORDER BY m.left_on IS NULL DESC, m.id DESC "
	       "LIMIT 1), t.status FROM session_invitees i "
	       "JOIN group_sessions gs ON gs.id = i.session_id "
	       "JOIN accounts ac ON ac.id = i.account_id "
	       "LEFT JOIN attendance t ON t.session_id = i.session_id AND t.account_id = "
	       "i.account_id WHERE i.session_id = ? ORDER BY CASE WHEN ac.role = "
	       "'local_person' THEN 0 ELSE 1 END, ac.display_name, ac.id LIMIT ?");
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, GROUP_MEMBERS_MAX);
	return db_collect(s, a, sizeof(**out), attendee_row, NULL, out, n);
}

int meeting_my_attendance(db *d, arena *a, int64_t account_id, int64_t group_id,
                          int64_t **session_ids, char ***statuses, size_t *n)
{
	db_stmt *s = db_prepare(d, "SELECT t.session_id, t.status FROM attendance t JOIN "
	                           "group_sessions s ON s.id = t.session_id WHERE t.account_id = ? "
	                           "AND s.group_id = ? ORDER BY s.starts_at DESC LIMIT ?");
	size_t k = 0;
	int rc;
	*n = 0;
	if (!s)
		return DB_ERR;
	*session_ids = arena_calloc(a, MEETING_LIST_MAX, sizeof(**session_ids));
	*statuses = arena_calloc(a, MEETING_LIST_MAX, sizeof(**statuses));
	if (!*session_ids || !*statuses) {
		db_done(s);
		return DB_ERR;
	}
	db_bind_int(s, 1, account_id);
	db_bind_int(s, 2, group_id);
	db_bind_int(s, 3, MEETING_LIST_MAX);
	while ((rc = db_step(s)) == DB_ROW && k < MEETING_LIST_MAX) {
		(*session_ids)[k] = db_col_int(s, 0);
		(*statuses)[k] = db_col_dup(s, 1, a);
		k++;
	}
	db_done(s);
	if (rc != DB_DONE && rc != DB_ROW)
		return rc;
	*n = k;
	return DOMAIN_OK;
}

int meeting_attendance_set_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
                              const int64_t *account_ids, const sv *statuses, size_t n,
                              struct field_errors *errs)
{
	struct field_errors local_errs;
	struct meeting m;
	char now[ISO_TIME_LEN];
	sbuf log;
	size_t changed = 0;
	int rc = meeting_get(d, a, id, &m);

	if (!errs) {
		field_errors_init(&local_errs);
		errs = &local_errs;
	}

	if (rc != DOMAIN_OK)
		return rc;
	if (strcmp(m.status, "cancelled") == 0)
		return DOMAIN_ECONFLICT;
	for (size_t i = 0; i < n; i++) {
		sv st = sv_trim(statuses[i]);
		if (st.len && !attendance_status_parse(st))
			field_error_add(errs,
			                arena_printf(a, "status-%lld", (long long)account_ids[i]),
			                "Choose present, sent apologies or absent");
	}
	if (field_errors_any(errs))
		return DOMAIN_EINVALID;
	db_now_iso(now, 0);
	sbuf_init(&log, a, AUDIT_JSON_MAX * 4);
	sbuf_adds(&log, "{");
	for (size_t i = 0; i < n; i++) {
		const char *st = attendance_status_parse(sv_trim(statuses[i]));
		db_stmt *s;
		if (!st)
			continue;
		s = db_prepare(d, "SELECT 1 FROM session_invitees WHERE session_id = ? AND "
		                  "account_id = ?");
		if (!s)
			return DB_ERR;
		db_bind_int(s, 1, id);
		db_bind_int(s, 2, account_ids[i]);
		rc = db_step(s);
		db_done(s);
		if (rc == DB_DONE)
			return DOMAIN_EINVALID;
		if (rc != DB_ROW)
			return rc;
		s = db_prepare(d, "DELETE FROM attendance WHERE session_id = ? AND account_id = ?");
		if (!s)
			return DB_ERR;
		db_bind_int(s, 1, id);
		db_bind_int(s, 2, account_ids[i]);
		rc = exec_done(s);
		if (rc != DB_OK)
			return rc;
		s = db_prepare(d, "INSERT INTO attendance (session_id, account_id, status, "
		                  "recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)");
		if (!s)
			return DB_ERR;
		db_bind_int(s, 1, id);
		db_bind_int(s, 2, account_ids[i]);
		db_bind_text(s, 3, st);
		if (who->account_id)
			db_bind_int(s, 4, who->account_id);
		else
			db_bind_null(s, 4);
		db_bind_text(s, 5, now);
		rc = exec_done(s);
		if (rc != DB_OK)
			return rc;
		sbuf_addf(&log, "%s\"%lld\":\"%s\"", changed++ ? "," : "",
		          (long long)account_ids[i], st);
	}
	sbuf_adds(&log, "}");
	if (!changed)
		return DOMAIN_OK;
	if (log.err)
		return DB_ERR;
	if (strcmp(m.status, "planned") == 0) {
		db_stmt *s =
		    db_prepare(d, "UPDATE group_sessions SET status = 'held', updated_at = "
		                  "? WHERE id = ?");
		if (!s)
			return DB_ERR;
		db_bind_text(s, 1, now);
		db_bind_int(s, 2, id);
		rc = exec_done(s);
		if (rc != DB_OK)
			return rc;
	}
	return audit_record(d, who, "session", id, "attendance", NULL, log.buf);
}

int meeting_attendance_set(db *d, arena *a, const struct audit_actor *who, int64_t id,
                           const int64_t *account_ids, const sv *statuses, size_t n,
                           struct field_errors *errs)
{
	int rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	return finish(d, meeting_attendance_set_tx(d, a, who, id, account_ids, statuses, n, errs));
}

/* --- Notes and outcomes -------------------------------------------------------------- */

int meeting_notes_set_tx(db *d, arena *a, const struct audit_actor *who, int64_t id, sv notes,
                         struct field_errors *errs)
{
	struct field_errors local_errs;
	struct meeting m;
	char now[ISO_TIME_LEN];
	db_stmt *s;
	sbuf b;
	json j;
	int rc = meeting_get(d, a, id, &m);

	if (!errs) {
		field_errors_init(&local_errs);
		errs = &local_errs;
	}
	if (rc != DOMAIN_OK)
		return rc;
	notes = sv_trim(notes);
	if (notes.len > MEETING_NOTES_MAX) {
		field_error_add(errs, "notes", "The notes must be 20000 characters or fewer");
		return DOMAIN_EINVALID;
	}
	db_now_iso(now, 0);
	s = db_prepare(d, "UPDATE group_sessions SET notes = ?, updated_at = ? WHERE id = ?");
	if (!s)
		return DB_ERR;
	db_bind_sv(s, 1, notes);
	db_bind_text(s, 2, now);
	db_bind_int(s, 3, id);
	rc = exec_done(s);
	if (rc != DB_OK)
		return rc;
	sbuf_init(&b, a, MEETING_NOTES_MAX * 8);
	json_init(&j, &b);
	json_obj(&j);
	json_key(&j, "notes");
	json_str(&j, notes);
	json_end(&j);
	return b.err ? DB_ERR : audit_record(d, who, "session", id, "notes", NULL, b.buf);
}

int meeting_notes_set(db *d, arena *a, const struct audit_actor *who, int64_t id, sv notes,
                      struct field_errors *errs)
{
	int rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	return finish(d, meeting_notes_set_tx(d, a, who, id, notes, errs));
}

static int outcome_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct meeting_outcome *o = item;
	o->id = db_col_int(s, 0);
	o->kind = db_col_dup(s, 1, a);
	o->text = db_col_dup(s, 2, a);
	o->owner_name = db_col_dup(s, 3, a);
	o->due_on = db_col_dup(s, 4, a);
	return DB_OK;
}

int meeting_outcomes(db *d, arena *a, int64_t id, struct meeting_outcome **out, size_t *n)
{
	db_stmt *s = db_prepare(d, "SELECT id, kind, text, owner_name, due_on FROM "
	                           "session_outcomes WHERE session_id = ? ORDER BY id LIMIT 200");
	db_bind_int(s, 1, id);
	return db_collect(s, a, sizeof(**out), outcome_row, NULL, out, n);
}

int meeting_outcome_add_tx(db *d, arena *a, const struct audit_actor *who, int64_t id, sv kind,
                           sv text, sv owner, const struct date *due, struct field_errors *errs)
{
	struct field_errors local_errs;
	struct meeting m;
	db_stmt *s;
	sbuf dueb, b;
	json j;
	int rc = meeting_get(d, a, id, &m);

	if (!errs) {
		field_errors_init(&local_errs);
		errs = &local_errs;
	}
	if (rc != DOMAIN_OK)
		return rc;
	text = sv_trim(text);
	owner = sv_trim(owner);
	if (!sv_eq_cstr(kind, "decision") && !sv_eq_cstr(kind, "action"))
		field_error_add(errs, "kind", "Choose whether this is a decision or an action");
	if (!text.len)
		field_error_add(errs, "text", "Enter what was decided or what will be done");
	else if (text.len > MEETING_OUTCOME_MAX)
		field_error_add(errs, "text", "This must be 2000 characters or fewer");
	if (owner.len > 200)
		field_error_add(errs, "owner_name", "The name must be 200 characters or fewer");
	if (due && !date_valid(*due))
		field_error_add(errs, "due_on", "Enter a real date, like 22 11 2022");
	if (field_errors_any(errs))
		return DOMAIN_EINVALID;
	sbuf_init(&dueb, a, 16);
	if (due)
		date_iso(&dueb, *due);
	s = db_prepare(d, "INSERT INTO session_outcomes (session_id, kind, text, owner_name, "
	                  "due_on) VALUES (?, ?, ?, ?, ?)");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, id);
	db_bind_sv(s, 2, kind);
	db_bind_sv(s, 3, text);
	db_bind_sv(s, 4, owner);
	if (due)
		db_bind_text(s, 5, dueb.buf);
	else
		db_bind_null(s, 5);
	rc = exec_done(s);
	if (rc != DB_OK)
		return rc;
	sbuf_init(&b, a, AUDIT_JSON_MAX);
	json_init(&j, &b);
	json_obj(&j);
	json_key(&j, "kind");
	json_str(&j, kind);
	json_key(&j, "text");
	json_str(&j, text);
	json_key(&j, "owner_name");
	json_str(&j, owner);
	json_end(&j);
	return b.err ? DB_ERR : audit_record(d, who, "session", id, "outcome_add", NULL, b.buf);
}

int meeting_outcome_add(db *d, arena *a, const struct audit_actor *who, int64_t id, sv kind,
                        sv text, sv owner, const struct date *due, struct field_errors *errs)
{
	int rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	return finish(d, meeting_outcome_add_tx(d, a, who, id, kind, text, owner, due, errs));
}

int meeting_invitees_follow(db *d, int64_t group_id, int64_t account_id, const char *from,
                            bool invite)
{
	db_stmt *s;
	if (invite)
		s = db_prepare(d,
		               "INSERT INTO session_invitees (session_id, account_id) SELECT "
		               "s.id, ? FROM group_sessions s WHERE s.group_id = ? AND "
		               "s.status = 'planned' AND s.starts_at >= ? AND NOT EXISTS (SELECT 1 "
		               "FROM session_invitees i WHERE i.session_id = s.id AND "
		               "i.account_id = ?)");
	else
		s = db_prepare(d,
		               "DELETE FROM session_invitees WHERE account_id = ? AND session_id "
		               "IN (SELECT id FROM group_sessions WHERE group_id = ? AND status = "
		               "'planned' AND starts_at > ?)");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, account_id);
	db_bind_int(s, 2, group_id);
	db_bind_text(s, 3, from);
	if (invite)
		db_bind_int(s, 4, account_id);
	return exec_done(s);
}

/* --- Calendar feeds ------------------------------------------------------------------ */

int calendar_feed_new(db *d, const struct audit_actor *who, int64_t account_id,
                      char token[SESSION_TOKEN_HEX + 1])
{
	char hash[SESSION_TOKEN_HEX + 1], now[ISO_TIME_LEN];
	db_stmt *s;
	int rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	token_generate(token, hash);
	db_now_iso(now, 0);
	s = db_prepare(d, "DELETE FROM calendar_feeds WHERE account_id = ?");
	if (!s)
		return finish(d, DB_ERR);
	db_bind_int(s, 1, account_id);
	rc = exec_done(s);
	if (rc == DB_OK) {
		s = db_prepare(d, "INSERT INTO calendar_feeds (account_id, token_hash, created_at) "
		                  "VALUES (?, ?, ?)");
		if (!s)
			return finish(d, DB_ERR);
		db_bind_int(s, 1, account_id);
		db_bind_text(s, 2, hash);
		db_bind_text(s, 3, now);
		rc = exec_done(s);
	}
	if (rc == DB_OK)
		rc = audit_record(d, who, "account", account_id, "calendar_feed_new", NULL, NULL);
	return finish(d, rc);
}

int calendar_feed_get(db *d, arena *a, int64_t account_id, char **created_at)
{
	db_stmt *s = db_prepare(d, "SELECT created_at FROM calendar_feeds WHERE account_id = ?");
	int rc;
	*created_at = NULL;
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, account_id);
	rc = db_step(s);
	if (rc == DB_ROW)
		*created_at = db_col_dup(s, 0, a);
	db_done(s);
	return rc == DB_ROW || rc == DB_DONE ? DOMAIN_OK : rc;
}

int calendar_feed_account(db *d, sv token, int64_t *account_id)
{
	char hash[SESSION_TOKEN_HEX + 1];
	db_stmt *s;
	int rc;
	if (token_hash(token, hash) != 0)
		return DOMAIN_ENOTFOUND;
	s = db_prepare(d, "SELECT f.account_id FROM calendar_feeds f JOIN accounts ac ON ac.id = "
	                  "f.account_id WHERE f.token_hash = ? AND ac.disabled_at IS NULL");
	if (!s)
		return DB_ERR;
	db_bind_text(s, 1, hash);
	rc = db_step(s);
	if (rc == DB_ROW)
		*account_id = db_col_int(s, 0);
	db_done(s);
	return rc == DB_ROW ? DOMAIN_OK : rc == DB_DONE ? DOMAIN_ENOTFOUND : rc;
}
