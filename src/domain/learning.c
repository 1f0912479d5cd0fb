/* learning.c: a programme's learning log; see learning.h. */
#include "domain/learning.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/json.h"
#include "domain/sessions.h"

#define AUDIT_JSON_MAX (32 * 1024)

static const struct {
	const char *slug, *label, *column;
} noticed_kinds[NOTICED_KINDS] = {
	{"language", "A change in language", "noticed_language"},
	{"flexibility", "More flexibility", "noticed_flexibility"},
	{"new_ideas", "New ideas", "noticed_new_ideas"},
	{"shift", "A shift in thinking", "noticed_shift"},
};

const char *noticed_slug(enum noticed k)
{
	return (int)k >= 0 && k < NOTICED_KINDS ? noticed_kinds[k].slug : "";
}

const char *noticed_label(enum noticed k)
{
	return (int)k >= 0 && k < NOTICED_KINDS ? noticed_kinds[k].label : "";
}

/* What an entry can be about: the kind in the form's value, the column, and the query
 * that checks the thing belongs to the programme. */
static const struct {
	const char *kind, *check;
} about_kinds[] = {
	{"session", "SELECT 1 FROM group_sessions s JOIN working_groups g ON g.id = s.group_id"
		    " WHERE s.id = ? AND g.programme_id = ?"},
	{"idea", "SELECT 1 FROM ideas WHERE id = ? AND programme_id = ?"},
	{"test", "SELECT 1 FROM idea_tests t JOIN ideas i ON i.id = t.idea_id"
		 " WHERE t.id = ? AND i.programme_id = ?"},
	{"decision", "SELECT 1 FROM decisions x JOIN working_groups g ON g.id = x.group_id"
		     " WHERE x.id = ? AND g.programme_id = ?"},
};
#define ABOUT_KINDS (sizeof(about_kinds) / sizeof(about_kinds[0]))

/* Parses "kind:id" and checks it belongs to the programme: DOMAIN_OK with *K the kind's
 * index (-1 for empty), DOMAIN_EINVALID, or a DB_E* code. */
static int about_parse(db *d, int64_t programme_id, sv about, int *k_out, int64_t *id)
{
	sv rest, kind = sv_cut(sv_trim(about), ':', &rest);
	*k_out = -1;
	if (!about.ptr || !sv_trim(about).len)
		return DOMAIN_OK;
	if (!rest.ptr || sv_to_i64(rest, id) || *id <= 0)
		return DOMAIN_EINVALID;
	for (size_t k = 0; k < ABOUT_KINDS; k++) {
		db_stmt *st;
		int rc, bad = 0;
		if (!sv_eq_cstr(kind, about_kinds[k].kind))
			continue;
		st = db_prepare(d, about_kinds[k].check);
		if (!st)
			return DB_ERR;
		bad |= db_bind_int(st, 1, *id);
		bad |= db_bind_int(st, 2, programme_id);
		rc = bad ? DB_ERR : db_step(st);
		db_done(st);
		if (rc < 0)
			return rc;
		if (rc != DB_ROW)
			return DOMAIN_EINVALID;
		*k_out = (int)k;
		return DOMAIN_OK;
	}
	return DOMAIN_EINVALID;
}

static sv text_in(sv s, bool required, const char *field, const char *empty,
		  const char *too_long, struct field_errors *errs, int *rc)
{
	sv t = sv_trim(s);
	if (!t.ptr)
		t = SV("");
	if (required && !t.len) {
		field_error_add(errs, field, empty);
		*rc = DOMAIN_EINVALID;
	} else if (t.len > LEARNING_TEXT_MAX) {
		field_error_add(errs, field, too_long);
		*rc = DOMAIN_EINVALID;
	}
	return t;
}

int learning_add_tx(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
		    const struct learning_input *in, struct field_errors *errs, int64_t *id)
{
	int rc = DOMAIN_OK, bad = 0, step, about = -1;
	int64_t stage = 0, about_id = 0, new_id;
	struct date day;
	bool day_ok;
	char now[ISO_TIME_LEN], on[16];
	sv happened, learned, change;
	db_stmt *st;
	sbuf js;
	json j;

	if (sv_to_i64(sv_trim(in->stage), &stage) || stage < 1 || stage > 6) {
		field_error_add(errs, "stage", "Select the stage of the programme");
		rc = DOMAIN_EINVALID;
	}
	day_ok = date_from_fields(in->day, in->month, in->year, &day) == 0;
	if (!day_ok) {
		field_error_add(errs, "happened", "Enter the date it happened, like 14 6 2022");
		rc = DOMAIN_EINVALID;
	} else if (date_cmp(day, date_today()) > 0) {
		field_error_add(errs, "happened", "The date must be today or in the past");
		rc = DOMAIN_EINVALID;
	}
	happened = text_in(in->what_happened, true, "what_happened", "Enter what happened",
			   "What happened must be 5,000 characters or fewer", errs, &rc);
	learned = text_in(in->what_learned, true, "what_learned", "Enter what we learned",
			  "What we learned must be 5,000 characters or fewer", errs, &rc);
	change = text_in(in->what_change, false, "what_change", "",
			 "What we will change must be 5,000 characters or fewer", errs, &rc);
	step = about_parse(d, programme_id, in->about, &about, &about_id);
	if (step != DOMAIN_OK && step != DOMAIN_EINVALID)
		return step;
	if (step == DOMAIN_EINVALID) {
		field_error_add(errs, "about", "Select something from this programme, or nothing");
		rc = DOMAIN_EINVALID;
	}
	if (rc != DOMAIN_OK)
		return rc;

	snprintf(on, sizeof(on), "%04u-%02u-%02u", (unsigned)day.y % 10000u,
		 (unsigned)day.m % 100u, (unsigned)day.d % 100u);
	db_now_iso(now, 0);
	st = db_prepare(d, "INSERT INTO learning_entries (programme_id, stage, happened_on,"
			   " what_happened, what_learned, what_change, noticed_language,"
			   " noticed_flexibility, noticed_new_ideas, noticed_shift, session_id, idea_id,"
			   " idea_test_id, decision_id, created_by, created_at)"
			   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERR;
	bad |= db_bind_int(st, 1, programme_id);
	bad |= db_bind_int(st, 2, stage);
	bad |= db_bind_text(st, 3, on);
	bad |= db_bind_sv(st, 4, happened);
	bad |= db_bind_sv(st, 5, learned);
	bad |= db_bind_sv(st, 6, change);
	for (int k = 0; k < NOTICED_KINDS; k++)
		bad |= db_bind_int(st, 7 + k, in->noticed[k] ? 1 : 0);
	for (int k = 0; k < (int)ABOUT_KINDS; k++)
		bad |= about == k ? db_bind_int(st, 11 + k, about_id) : db_bind_null(st, 11 + k);
	bad |= who->account_id ? db_bind_int(st, 15, who->account_id) : db_bind_null(st, 15);
	bad |= db_bind_text(st, 16, now);
	step = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (step != DB_DONE)
		return step < 0 ? step : DB_ERR;
	new_id = db_last_insert_id(d);

	sbuf_init(&js, a, AUDIT_JSON_MAX);
	json_init(&j, &js);
	json_obj(&j);
	json_key(&j, "programme_id");
	json_int(&j, programme_id);
	json_key(&j, "stage");
	json_int(&j, stage);
	json_key(&j, "happened_on");
	json_cstr(&j, on);
	json_key(&j, "what_happened");
	json_str(&j, happened);
	json_key(&j, "what_learned");
	json_str(&j, learned);
	json_key(&j, "what_change");
	json_str(&j, change);
	json_key(&j, "noticed");
	json_arr(&j);
	for (int k = 0; k < NOTICED_KINDS; k++)
		if (in->noticed[k])
			json_cstr(&j, noticed_kinds[k].slug);
	json_end(&j);
	if (about >= 0) {
		json_key(&j, about_kinds[about].kind);
		json_int(&j, about_id);
	}
	json_end(&j);
	if (js.err)
		return DB_ERR;
	rc = audit_record(d, who, "learning_entry", new_id, "create", NULL, js.buf);
	if (rc == DB_OK && id)
		*id = new_id;
	return rc;
}

int learning_add(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
		 const struct learning_input *in, struct field_errors *errs, int64_t *id)
{
	IN_TRANSACTION(d, learning_add_tx(d, a, who, programme_id, in, errs, id));
}

/* LABEL with ", 14 June 2022" added when DAY (a leading 'YYYY-MM-DD') is a date. */
static char *label_on(arena *a, const char *label, const char *day)
{
	struct date dt;
	sbuf b;
	if (!day || strlen(day) < 10 || date_parse((sv){day, 10}, &dt) != 0)
		return arena_printf(a, "%s", label);
	sbuf_init(&b, a, 1024);
	sbuf_adds(&b, label);
	sbuf_adds(&b, ", ");
	date_human(&b, dt);
	return b.err ? NULL : b.buf;
}

static int entry_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	static const char *const about_label[] = {"Session", "Idea", "Test of an idea", "Decision"};
	struct learning_entry *e = item;
	e->id = db_col_int(st, 0);
	e->programme_id = db_col_int(st, 1);
	e->stage = (int)db_col_int(st, 2);
	e->happened_on = db_col_dup(st, 3, a);
	e->what_happened = db_col_dup(st, 4, a);
	e->what_learned = db_col_dup(st, 5, a);
	e->what_change = db_col_dup(st, 6, a);
	for (int k = 0; k < NOTICED_KINDS; k++)
		e->noticed[k] = db_col_int(st, 7 + k) != 0;
	for (int k = 0; k < (int)ABOUT_KINDS; k++)
		if (!db_col_null(st, 11 + k)) {
			e->about_kind = (char *)about_kinds[k].kind;
			e->about_id = db_col_int(st, 11 + k);
			e->about_label = label_on(
				a, arena_printf(a, "%s: %s", about_label[k], db_col_text(st, 16 + k)),
				k == 0 ? db_col_text(st, 20) : NULL);
			break;
		}
	e->created_by_name = db_col_dup(st, 15, a);
	return e->happened_on && e->what_happened && e->what_learned && e->what_change ? DB_OK
										       : DB_ERR;
}

int learning_list(db *d, arena *a, int64_t programme_id, const char *from, const char *to,
		  struct learning_entry **out, size_t *n)
{
	db_stmt *st = db_prepare(
		d, "SELECT e.id, e.programme_id, e.stage, e.happened_on, e.what_happened,"
		   " e.what_learned, e.what_change, e.noticed_language, e.noticed_flexibility,"
		   " e.noticed_new_ideas, e.noticed_shift, e.session_id, e.idea_id, e.idea_test_id,"
		   " e.decision_id, ac.display_name,"
		   " (SELECT g.name || CASE WHEN s.title = g.name OR s.title = '' THEN ''"
		   "   ELSE ', ' || s.title END FROM group_sessions s"
		   "   JOIN working_groups g ON g.id = s.group_id WHERE s.id = e.session_id),"
		   " (SELECT i.title FROM ideas i WHERE i.id = e.idea_id),"
		   " (SELECT i.title || ': ' || t.tried FROM idea_tests t"
		   "   JOIN ideas i ON i.id = t.idea_id WHERE t.id = e.idea_test_id),"
		   " (SELECT x.question FROM decisions x WHERE x.id = e.decision_id),"
		   " (SELECT s.starts_at FROM group_sessions s WHERE s.id = e.session_id)"
		   " FROM learning_entries e LEFT JOIN accounts ac ON ac.id = e.created_by"
		   " WHERE e.programme_id = ? AND (? IS NULL OR e.happened_on >= ?)"
		   " AND (? IS NULL OR e.happened_on <= ?)"
		   " ORDER BY e.happened_on, e.id LIMIT ?");
	db_bind_int(st, 1, programme_id);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, from);
	db_bind_text(st, 4, to);
	db_bind_text(st, 5, to);
	db_bind_int(st, 6, LEARNING_LIST_MAX);
	return db_collect(st, a, sizeof(**out), entry_row, NULL, out, n);
}

int learning_about_options(db *d, arena *a, int64_t programme_id, struct learning_about **out,
			   size_t *n)
{
	/* Each gives the value, the label and a day for the label (or NULL), with the
	 * programme as the first parameter and the limit as the last. Only sessions that have
	 * taken place: there is nothing yet to learn from one still to come. */
	static const struct {
		const char *sql;
		bool before_tomorrow; /* binds the day after today as the second parameter */
	} q[] = {
		{"SELECT 'session:' || s.id, 'Session: ' || g.name || CASE WHEN s.title = g.name"
		 " OR s.title = '' THEN '' ELSE ', ' || s.title END, s.starts_at FROM group_sessions s"
		 " JOIN working_groups g ON g.id = s.group_id WHERE g.programme_id = ?"
		 " AND s.status <> 'cancelled' AND (s.status = 'held' OR s.starts_at < ?)"
		 " ORDER BY s.starts_at DESC, s.id DESC LIMIT ?",
		 true},
		{"SELECT 'idea:' || id, 'Idea: ' || title, NULL FROM ideas WHERE programme_id = ?"
		 " ORDER BY id DESC LIMIT ?",
		 false},
		{"SELECT 'test:' || t.id, 'Test of an idea: ' || i.title, t.tested_on"
		 " FROM idea_tests t JOIN ideas i ON i.id = t.idea_id WHERE i.programme_id = ?"
		 " ORDER BY t.tested_on DESC LIMIT ?",
		 false},
		{"SELECT 'decision:' || x.id, 'Decision: ' || x.question, NULL FROM decisions x"
		 " JOIN working_groups g ON g.id = x.group_id WHERE g.programme_id = ?"
		 " ORDER BY x.id DESC LIMIT ?",
		 false},
	};
	struct learning_about *items = NULL;
	size_t cap = 0;
	char tomorrow[16];
	int rc = DB_DONE;
	{
		struct date t = date_add_days(date_today(), 1);
		snprintf(tomorrow, sizeof(tomorrow), "%04d-%02d-%02d", t.y % 10000, t.m % 100,
			 t.d % 100);
	}
	*out = NULL;
	*n = 0;
	for (size_t k = 0; k < sizeof(q) / sizeof(q[0]) && rc == DB_DONE; k++) {
		db_stmt *st = db_prepare(d, q[k].sql);
		int bad = 0, p = 1;
		if (!st)
			return DB_ERR;
		bad |= db_bind_int(st, p++, programme_id);
		if (q[k].before_tomorrow)
			bad |= db_bind_text(st, p++, tomorrow);
		bad |= db_bind_int(st, p, LEARNING_ABOUT_MAX);
		rc = bad ? DB_ERR : DB_DONE;
		while (rc == DB_DONE && (rc = db_step(st)) == DB_ROW) {
			if (!(items = arena_grow(a, items, *n, &cap, sizeof(*items)))) {
				rc = DB_ERR;
				break;
			}
			items[*n].value = db_col_dup(st, 0, a);
			items[*n].label = label_on(a, db_col_text(st, 1),
						   db_col_null(st, 2) ? NULL : db_col_text(st, 2));
			if (!items[*n].value || !items[*n].label) {
				rc = DB_ERR;
				break;
			}
			(*n)++;
			rc = DB_DONE;
		}
		db_done(st);
	}
	if (rc != DB_DONE) {
		*n = 0;
		return rc < 0 ? rc : DB_ERR;
	}
	*out = items;
	return DOMAIN_OK;
}
