/* board.c: Board meetings, proposals' papers and the Board's decisions; see board.h. */
#include "domain/board.h"

#include <inttypes.h>
#include <string.h>

#include "core/json.h"
#include "domain/ideas.h"
#include "domain/record.h"
#include "domain/sessions.h"

#define AUDIT_JSON_MAX (64 * 1024)

/* --- Decisions and money ------------------------------------------------------------- */

static const struct {
	enum board_decision d;
	const char *slug, *label;
} decisions[] = {
	{BOARD_PENDING, "pending", "Awaiting decision"},
	{BOARD_SUPPORTED, "supported", "Supported"},
	{BOARD_NOT_SUPPORTED, "not_supported", "Not supported"},
	{BOARD_DEFERRED, "deferred", "Deferred"},
};
#define N_DECISIONS (sizeof(decisions) / sizeof(decisions[0]))

const char *board_decision_slug(enum board_decision d)
{
	for (size_t i = 0; i < N_DECISIONS; i++)
		if (decisions[i].d == d)
			return decisions[i].slug;
	return "pending";
}

const char *board_decision_label(enum board_decision d)
{
	for (size_t i = 0; i < N_DECISIONS; i++)
		if (decisions[i].d == d)
			return decisions[i].label;
	return "Awaiting decision";
}

enum board_decision board_decision_parse(sv s)
{
	for (size_t i = 0; i < N_DECISIONS; i++)
		if (sv_eq_cstr(s, decisions[i].slug))
			return decisions[i].d;
	return BOARD_PENDING;
}

/* --- Small helpers --------------------------------------------------------------------- */


/* Checks required text: trims it, and adds EMPTY or TOO_LONG for FIELD. */
static sv need_text(sv s, size_t max, const char *field, const char *empty,
		    const char *too_long, struct field_errors *errs, int *rc)
{
	sv t = sv_trim(s);
	if (!t.ptr || !t.len) {
		if (empty) {
			field_error_add(errs, field, empty);
			*rc = DOMAIN_EINVALID;
		}
		return SV("");
	}
	if (t.len > max) {
		field_error_add(errs, field, too_long);
		*rc = DOMAIN_EINVALID;
	}
	return t;
}

static int step_done(db_stmt *st, int bad)
{
	int rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	return rc == DB_DONE ? DB_OK : (rc < 0 ? rc : DB_ERR);
}

static int audit_json(db *d, arena *a, const struct audit_actor *who, const char *entity,
		      int64_t id, const char *action, sbuf *before, sbuf *after)
{
	(void)a;
	if ((before && before->err) || (after && after->err))
		return DB_ERR;
	return audit_record(d, who, entity, id, action, before ? before->buf : NULL,
			    after ? after->buf : NULL);
}

/* --- Ideas' status --------------------------------------------------------------------- */

int board_idea_move_tx(db *d, arena *a, const struct audit_actor *who, int64_t idea_id,
		       const char *from, const char *to, const char *note)
{
	db_stmt *st = db_prepare(d, "SELECT status FROM ideas WHERE id = ?");
	int rc, target = ideas_status_parse(sv_from(to));
	bool at_from;
	if (!st || target < 0)
		return DB_ERR;
	rc = db_bind_int(st, 1, idea_id) ? DB_ERR : db_step(st);
	at_from = rc == DB_ROW && sv_eq_cstr(db_col_sv(st, 0), from);
	db_done(st);
	if (rc == DB_DONE)
		return DOMAIN_ENOTFOUND;
	if (rc != DB_ROW)
		return rc < 0 ? rc : DB_ERR;
	if (!at_from)
		return DOMAIN_ECONFLICT;
	/* The ideas module keeps the status history and its audit records. */
	return ideas_set_status_tx(d, a, who, idea_id, (enum idea_status)target,
				   sv_from(note ? note : ""), NULL);
}

/* --- Meetings -------------------------------------------------------------------------- */

int board_meeting_create_tx(db *d, arena *a, const struct audit_actor *who,
			    const struct board_meeting_new *in, struct field_errors *errs,
			    int64_t *id)
{
	int rc = DOMAIN_OK, bad = 0;
	struct date on;
	sv title, location;
	char now[ISO_TIME_LEN];
	int64_t new_id;
	db_stmt *st;
	sbuf day, js;
	json j;

	if (!sv_trim(in->day).len && !sv_trim(in->month).len && !sv_trim(in->year).len) {
		field_error_add(errs, "meets_on", "Enter the date of the meeting");
		rc = DOMAIN_EINVALID;
	} else if (date_from_fields(in->day, in->month, in->year, &on) != 0) {
		field_error_add(errs, "meets_on",
				"The date of the meeting must be a real date, like 15 11 2022");
		rc = DOMAIN_EINVALID;
	}
	title = need_text(in->title, BOARD_TITLE_MAX, "title", "Enter the title of the meeting",
			  "The title must be 200 characters or fewer", errs, &rc);
	location = need_text(in->location, BOARD_TITLE_MAX, "location", NULL,
			     "The place must be 200 characters or fewer", errs, &rc);
	if (rc != DOMAIN_OK)
		return rc;

	sbuf_init(&day, a, 16);
	date_iso(&day, on);
	db_now_iso(now, 0);
	st = db_prepare(d, "INSERT INTO board_meetings (meets_on, title, location, created_at)"
			   " VALUES (?, ?, ?, ?)");
	if (!st)
		return DB_ERR;
	bad |= db_bind_text(st, 1, day.buf);
	bad |= db_bind_sv(st, 2, title);
	bad |= db_bind_sv(st, 3, location);
	bad |= db_bind_text(st, 4, now);
	rc = step_done(st, bad || day.err);
	if (rc != DB_OK)
		return rc;
	new_id = db_last_insert_id(d);

	sbuf_init(&js, a, AUDIT_JSON_MAX);
	json_init(&j, &js);
	json_obj(&j);
	json_key(&j, "meets_on");
	json_str(&j, sbuf_sv(&day));
	json_key(&j, "title");
	json_str(&j, title);
	json_key(&j, "location");
	json_str(&j, location);
	json_end(&j);
	rc = audit_json(d, a, who, "board_meeting", new_id, "create", NULL, &js);
	if (rc == DB_OK && id)
		*id = new_id;
	return rc;
}

int board_meeting_create(db *d, arena *a, const struct audit_actor *who,
			 const struct board_meeting_new *in, struct field_errors *errs,
			 int64_t *id)
{
	IN_TRANSACTION(d, board_meeting_create_tx(d, a, who, in, errs, id));
}

#define MEETING_COLUMNS                                                                   \
	"SELECT m.id, m.meets_on, m.title, m.location,"                                   \
	" (SELECT COUNT(*) FROM board_papers p WHERE p.meeting_id = m.id),"              \
	" (SELECT COUNT(*) FROM board_papers p WHERE p.meeting_id = m.id"                \
	"  AND p.decision = 'pending')"                                                   \
	" FROM board_meetings m"

static int meeting_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct board_meeting *m = item;
	m->id = db_col_int(st, 0);
	if (date_parse(db_col_sv(st, 1), &m->meets_on) != 0)
		m->meets_on = (struct date){1970, 1, 1};
	m->title = db_col_dup(st, 2, a);
	m->location = db_col_dup(st, 3, a);
	m->n_papers = (size_t)db_col_int(st, 4);
	m->n_pending = (size_t)db_col_int(st, 5);
	return m->title && m->location ? DB_OK : DB_ERR;
}

int board_meeting_get(db *d, arena *a, int64_t id, struct board_meeting *out)
{
	return record_get(d, a, MEETING_COLUMNS " WHERE m.id = ?", id, meeting_row, NULL, out);
}

int board_meeting_list(db *d, arena *a, struct board_meeting **out, size_t *n)
{
	db_stmt *st = db_prepare(d, MEETING_COLUMNS " ORDER BY m.meets_on DESC, m.id DESC LIMIT ?");
	db_bind_int(st, 1, BOARD_MEETINGS_MAX);
	return db_collect(st, a, sizeof(**out), meeting_row, NULL, out, n);
}

int board_meeting_next(db *d, arena *a, struct date today, struct board_meeting *out)
{
	db_stmt *st = db_prepare(d, MEETING_COLUMNS
				 " WHERE m.meets_on >= ? ORDER BY m.meets_on, m.id LIMIT 1");
	char iso[16];
	int rc;
	snprintf(iso, sizeof(iso), "%04d-%02d-%02d", today.y, today.m, today.d);
	db_bind_text(st, 1, iso);
	rc = db_one(st, a, meeting_row, NULL, out);
	return rc == DB_DONE ? DOMAIN_ENOTFOUND : rc;
}

/* --- Papers ---------------------------------------------------------------------------- */

#define PAPER_COLUMNS                                                                     \
	"SELECT p.id, p.meeting_id, p.idea_id, i.programme_id, i.title, i.status, pr.name,"  \
	" pr.slug, m.title, m.meets_on, p.summary, p.ask, p.funding_sought_pence,"          \
	" p.funding_sought_from, p.decision, p.conditions, p.funding_agreed_pence,"         \
	" p.funding_agreed_from, p.decided_at,"                                              \
	" (SELECT MIN(dp.id) FROM delivery_plans dp WHERE dp.board_paper_id = p.id),"        \
	" pr.published"                                                                      \
	" FROM board_papers p JOIN board_meetings m ON m.id = p.meeting_id"                 \
	" JOIN ideas i ON i.id = p.idea_id JOIN programmes pr ON pr.id = i.programme_id"

static int paper_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct board_paper *p = item;
	p->id = db_col_int(st, 0);
	p->meeting_id = db_col_int(st, 1);
	p->idea_id = db_col_int(st, 2);
	p->programme_id = db_col_int(st, 3);
	p->title = db_col_dup(st, 4, a);
	p->idea_status = db_col_dup(st, 5, a);
	p->programme_name = db_col_dup(st, 6, a);
	p->programme_slug = db_col_dup(st, 7, a);
	p->meeting_title = db_col_dup(st, 8, a);
	if (date_parse(db_col_sv(st, 9), &p->meets_on) != 0)
		p->meets_on = (struct date){1970, 1, 1};
	p->summary = db_col_dup(st, 10, a);
	p->ask = db_col_dup(st, 11, a);
	p->funding_sought_pence = db_col_int(st, 12);
	p->funding_sought_from = db_col_dup(st, 13, a);
	p->decision = board_decision_parse(db_col_sv(st, 14));
	p->conditions = db_col_dup(st, 15, a);
	p->funding_agreed_pence = db_col_int(st, 16);
	p->funding_agreed_from = db_col_dup(st, 17, a);
	p->decided_at = db_col_dup(st, 18, a);
	p->plan_id = db_col_null(st, 19) ? 0 : db_col_int(st, 19);
	p->programme_published = db_col_int(st, 20) != 0;
	return p->title && p->idea_status && p->programme_name && p->programme_slug &&
			       p->meeting_title && p->summary && p->ask && p->funding_sought_from &&
			       p->conditions && p->funding_agreed_from
		       ? DB_OK
		       : DB_ERR;
}

int board_paper_get(db *d, arena *a, int64_t id, struct board_paper *out)
{
	return record_get(d, a, PAPER_COLUMNS " WHERE p.id = ?", id, paper_row, NULL, out);
}

int board_papers_for_meeting(db *d, arena *a, int64_t meeting_id, struct board_paper **out,
			     size_t *n)
{
	db_stmt *st = db_prepare(d, PAPER_COLUMNS " WHERE p.meeting_id = ? ORDER BY p.id LIMIT ?");
	db_bind_int(st, 1, meeting_id);
	db_bind_int(st, 2, BOARD_PAPERS_MAX);
	return db_collect(st, a, sizeof(**out), paper_row, NULL, out, n);
}

int board_papers_list(db *d, arena *a, struct board_paper **out, size_t *n)
{
	db_stmt *st = db_prepare(d, PAPER_COLUMNS
				 " ORDER BY m.meets_on DESC, m.id DESC, p.id LIMIT ?");
	db_bind_int(st, 1, BOARD_PAPERS_MAX);
	return db_collect(st, a, sizeof(**out), paper_row, NULL, out, n);
}

int board_papers_pending(db *d, arena *a, struct board_paper **out, size_t *n)
{
	db_stmt *st = db_prepare(d, PAPER_COLUMNS " WHERE p.decision = 'pending'"
				 " ORDER BY m.meets_on, m.id, p.id LIMIT ?");
	db_bind_int(st, 1, BOARD_PAPERS_MAX);
	return db_collect(st, a, sizeof(**out), paper_row, NULL, out, n);
}

static int ready_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct board_ready *r = item;
	r->idea_id = db_col_int(st, 0);
	r->title = db_col_dup(st, 1, a);
	r->programme_name = db_col_dup(st, 2, a);
	return r->title && r->programme_name ? DB_OK : DB_ERR;
}

int board_ready_list(db *d, arena *a, struct board_ready **out, size_t *n)
{
	db_stmt *st = db_prepare(d, "SELECT i.id, i.title, pr.name FROM ideas i"
				    " JOIN programmes pr ON pr.id = i.programme_id"
				    " WHERE i.status IN ('proposal', 'deferred') ORDER BY pr.name, i.title, i.id"
				    " LIMIT ?");
	db_bind_int(st, 1, BOARD_PAPERS_MAX);
	return db_collect(st, a, sizeof(**out), ready_row, NULL, out, n);
}

/* Checks money typed in FIELD with its source in SOURCE_FIELD: both empty is no money;
 * an amount needs a source. */
static void check_money(sv amount, sv source, const char *field, const char *source_field,
			const char *source_missing, int64_t *pence, sv *source_out,
			struct field_errors *errs, int *rc)
{
	sv t = sv_trim(amount);
	*pence = 0;
	*source_out = need_text(source, BOARD_SOURCE_MAX, source_field, NULL,
				"Where the money comes from must be 200 characters or fewer", errs,
				rc);
	if (!t.ptr || !t.len)
		return;
	if (money_parse(t, BOARD_MONEY_MAX_PENCE, pence) != 0) {
		field_error_add(errs, field,
				"Enter an amount in pounds, like 1,250.00, or leave it empty");
		*rc = DOMAIN_EINVALID;
		return;
	}
	if (*pence > 0 && !source_out->len) {
		field_error_add(errs, source_field, source_missing);
		*rc = DOMAIN_EINVALID;
	}
}

int board_paper_submit_tx(db *d, arena *a, const struct audit_actor *who,
			  const struct board_paper_new *in, struct field_errors *errs,
			  int64_t *id)
{
	struct board_meeting m;
	int rc = DOMAIN_OK, bad = 0;
	int64_t sought = 0, new_id;
	const char *from_status = "proposal";
	sv summary, ask, from;
	char now[ISO_TIME_LEN];
	db_stmt *st;
	sbuf js;
	json j;

	rc = board_meeting_get(d, a, in->meeting_id, &m);
	if (rc != DOMAIN_OK)
		return rc;
	if (in->idea_id <= 0) {
		field_error_add(errs, "idea_id", "Choose the proposal to take to the Board");
		rc = DOMAIN_EINVALID;
	} else {
		st = db_prepare(d, "SELECT status FROM ideas WHERE id = ?");
		if (!st)
			return DB_ERR;
		bad = db_bind_int(st, 1, in->idea_id);
		int step = bad ? DB_ERR : db_step(st);
		/* A deferred proposal may be taken back to a later meeting. */
		if (step == DB_ROW && sv_eq_cstr(db_col_sv(st, 0), "deferred"))
			from_status = "deferred";
		bool ready = step == DB_ROW && (sv_eq_cstr(db_col_sv(st, 0), "proposal") ||
						 sv_eq_cstr(db_col_sv(st, 0), "deferred"));
		db_done(st);
		if (step < 0)
			return step;
		if (!ready) {
			field_error_add(errs, "idea_id",
					"Choose a proposal that is ready to go to the Board");
			rc = DOMAIN_EINVALID;
		}
	}
	summary = need_text(in->summary, BOARD_TEXT_MAX, "summary", "Enter a summary of the proposal",
			    "The summary must be 10,000 characters or fewer", errs, &rc);
	ask = need_text(in->ask, BOARD_TEXT_MAX, "ask", "Enter what the Board is asked to do",
			"What the Board is asked to do must be 10,000 characters or fewer", errs,
			&rc);
	check_money(in->funding_sought, in->funding_sought_from, "funding_sought",
		    "funding_sought_from", "Enter where the funding is sought from", &sought, &from,
		    errs, &rc);
	if (rc != DOMAIN_OK)
		return rc;

	db_now_iso(now, 0);
	st = db_prepare(d, "INSERT INTO board_papers (meeting_id, idea_id, summary, ask,"
			   " funding_sought_pence, funding_sought_from, submitted_by, submitted_at)"
			   " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERR;
	bad = 0;
	bad |= db_bind_int(st, 1, in->meeting_id);
	bad |= db_bind_int(st, 2, in->idea_id);
	bad |= db_bind_sv(st, 3, summary);
	bad |= db_bind_sv(st, 4, ask);
	bad |= db_bind_int(st, 5, sought);
	bad |= db_bind_sv(st, 6, from);
	bad |= who->account_id ? db_bind_int(st, 7, who->account_id) : db_bind_null(st, 7);
	bad |= db_bind_text(st, 8, now);
	rc = step_done(st, bad);
	if (rc != DB_OK)
		return rc;
	new_id = db_last_insert_id(d);
	rc = board_idea_move_tx(d, a, who, in->idea_id, from_status, "presented",
				arena_printf(a, "Submitted to %s", m.title));
	if (rc != DOMAIN_OK)
		return rc;

	sbuf_init(&js, a, AUDIT_JSON_MAX);
	json_init(&j, &js);
	json_obj(&j);
	json_key(&j, "meeting_id");
	json_int(&j, in->meeting_id);
	json_key(&j, "idea_id");
	json_int(&j, in->idea_id);
	json_key(&j, "summary");
	json_str(&j, summary);
	json_key(&j, "ask");
	json_str(&j, ask);
	json_key(&j, "funding_sought_pence");
	json_int(&j, sought);
	json_key(&j, "funding_sought_from");
	json_str(&j, from);
	json_end(&j);
	rc = audit_json(d, a, who, "board_paper", new_id, "submit", NULL, &js);
	if (rc == DB_OK && id)
		*id = new_id;
	return rc;
}

int board_paper_submit(db *d, arena *a, const struct audit_actor *who,
		       const struct board_paper_new *in, struct field_errors *errs, int64_t *id)
{
	IN_TRANSACTION(d, board_paper_submit_tx(d, a, who, in, errs, id));
}

int board_paper_decide_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
			  const struct board_decision_new *in, struct field_errors *errs)
{
	struct board_paper p;
	int rc, bad = 0;
	int64_t agreed = 0;
	sv conditions, from;
	char now[ISO_TIME_LEN];
	const char *to;
	db_stmt *st;
	sbuf js;
	json j;

	rc = board_paper_get(d, a, id, &p);
	if (rc != DOMAIN_OK)
		return rc;
	if (p.decision != BOARD_PENDING)
		return DOMAIN_ECONFLICT;
	if (in->decision == BOARD_PENDING) {
		field_error_add(errs, "decision", "Select what the Board decided");
		rc = DOMAIN_EINVALID;
	}
	conditions = need_text(in->conditions, BOARD_TEXT_MAX, "conditions", NULL,
			       "Conditions must be 10,000 characters or fewer", errs, &rc);
	check_money(in->funding_agreed, in->funding_agreed_from, "funding_agreed",
		    "funding_agreed_from", "Enter where the agreed funding comes from", &agreed,
		    &from, errs, &rc);
	if (agreed > 0 && in->decision != BOARD_SUPPORTED && in->decision != BOARD_PENDING) {
		field_error_add(errs, "funding_agreed",
				"Funding can only be agreed for a proposal the Board supported");
		rc = DOMAIN_EINVALID;
	}
	if (rc != DOMAIN_OK)
		return rc;

	db_now_iso(now, 0);
	st = db_prepare(d, "UPDATE board_papers SET decision = ?, conditions = ?,"
			   " funding_agreed_pence = ?, funding_agreed_from = ?, decided_by = ?,"
			   " decided_at = ? WHERE id = ? AND decision = 'pending'");
	if (!st)
		return DB_ERR;
	bad |= db_bind_text(st, 1, board_decision_slug(in->decision));
	bad |= db_bind_sv(st, 2, conditions);
	bad |= db_bind_int(st, 3, agreed);
	bad |= db_bind_sv(st, 4, agreed ? from : SV(""));
	bad |= who->account_id ? db_bind_int(st, 5, who->account_id) : db_bind_null(st, 5);
	bad |= db_bind_text(st, 6, now);
	bad |= db_bind_int(st, 7, id);
	rc = step_done(st, bad);
	if (rc != DB_OK)
		return rc;
	if (db_changes(d) != 1)
		return DOMAIN_ECONFLICT;
	to = board_decision_slug(in->decision);
	rc = board_idea_move_tx(d, a, who, p.idea_id, "presented", to,
				arena_printf(a, "Decision of %s", p.meeting_title));
	/* An idea moved on by hand since it was presented still gets the Board's decision
	 * recorded on the paper; only its status is left as it is. */
	if (rc == DOMAIN_ECONFLICT)
		rc = DOMAIN_OK;
	if (rc != DOMAIN_OK)
		return rc;

	sbuf_init(&js, a, AUDIT_JSON_MAX);
	json_init(&j, &js);
	json_obj(&j);
	json_key(&j, "decision");
	json_cstr(&j, to);
	json_key(&j, "conditions");
	json_str(&j, conditions);
	json_key(&j, "funding_agreed_pence");
	json_int(&j, agreed);
	json_key(&j, "funding_agreed_from");
	json_str(&j, agreed ? from : SV(""));
	json_end(&j);
	return audit_json(d, a, who, "board_paper", id, "decide", NULL, &js);
}

int board_paper_decide(db *d, arena *a, const struct audit_actor *who, int64_t id,
		       const struct board_decision_new *in, struct field_errors *errs)
{
	IN_TRANSACTION(d, board_paper_decide_tx(d, a, who, id, in, errs));
}
