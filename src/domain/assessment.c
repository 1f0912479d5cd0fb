/* assessment.c: the ladder of co-production and the six principles as self-assessments;
 * see assessment.h. The principles' statements are seed 001's (section 3), from the
 * Elephants co-production project in Greater Manchester. */
#include "domain/assessment.h"

#include <string.h>

#include "core/date.h"
#include "core/json.h"
#include "domain/access.h"
#include "domain/programmes.h"
#include "domain/sessions.h"

#define AUDIT_JSON_MAX 4096

static int side_index(sv side)
{
	return sv_eq_cstr(side, "local") ? SIDE_LOCAL : SIDE_PROFESSIONAL;
}

static void date_text(char out[16], struct date dt)
{
	snprintf(out, 16, "%04u-%02u-%02u", (unsigned)dt.y % 10000u, (unsigned)dt.m % 100u,
		 (unsigned)dt.d % 100u);
}

int assessment_is_member(db *d, int64_t programme_id, int64_t account_id)
{
	db_stmt *st = db_prepare(d, "SELECT 1 FROM group_members m"
				 " JOIN working_groups g ON g.id = m.group_id"
				 " WHERE g.programme_id = ? AND m.account_id = ? AND m.left_on IS NULL"
				 " LIMIT 1");
	int rc, bad = 0;
	if (!st)
		return DB_ERR;
	bad |= db_bind_int(st, 1, programme_id);
	bad |= db_bind_int(st, 2, account_id);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (rc < 0)
		return rc;
	return rc == DB_ROW;
}

int assessment_is_facilitator(db *d, int64_t programme_id, int64_t account_id)
{
	db_stmt *st = db_prepare(d, "SELECT 1 FROM group_members m"
				 " JOIN working_groups g ON g.id = m.group_id"
				 " WHERE g.programme_id = ? AND m.account_id = ? AND m.left_on IS NULL"
				 " AND m.role_in_group = 'facilitator' LIMIT 1");
	int rc, bad = 0;
	if (!st)
		return DB_ERR;
	bad |= db_bind_int(st, 1, programme_id);
	bad |= db_bind_int(st, 2, account_id);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (rc < 0)
		return rc;
	return rc == DB_ROW;
}

/* --- The ladder ------------------------------------------------------------------------- */

static const char *const subject_slugs[LADDER_SUBJECTS] = {"session", "decision", "stage"};

const char *ladder_subject_slug(enum ladder_subject k)
{
	return (int)k >= 0 && k < LADDER_SUBJECTS ? subject_slugs[k] : "";
}

int ladder_subject_parse(sv s)
{
	for (int i = 0; i < LADDER_SUBJECTS; i++)
		if (sv_eq_cstr(s, subject_slugs[i]))
			return i;
	return -1;
}

/* The programme and (for sessions and decisions) the group of a thing, and whether it
 * can be rated yet: a session once held, a decision once closed (there is nothing to
 * judge before), a stage once started. DOMAIN_ENOTFOUND when there is no such thing. */
static int subject_find(db *d, enum ladder_subject kind, int64_t subject_id,
			int64_t *programme_id, int64_t *group_id, bool *ready)
{
	static const char *const sql[LADDER_SUBJECTS] = {
		"SELECT g.programme_id, s.group_id, s.status = 'held' AND s.starts_at <= ?"
		" FROM group_sessions s JOIN working_groups g ON g.id = s.group_id"
		" WHERE s.id = ? AND s.status <> 'cancelled'",
		"SELECT g.programme_id, x.group_id, x.status = 'closed' AND x.opened_at <= ?"
		" FROM decisions x JOIN working_groups g ON g.id = x.group_id WHERE x.id = ?",
		"SELECT programme_id, 0, status <> 'not_started' AND ? IS NOT NULL"
		" FROM programme_stages WHERE id = ?",
	};
	char now[ISO_TIME_LEN];
	db_stmt *st = db_prepare(d, sql[kind]);
	int rc, bad = 0;
	if (!st)
		return DB_ERR;
	db_now_iso(now, 0);
	bad |= db_bind_text(st, 1, now);
	bad |= db_bind_int(st, 2, subject_id);
	rc = bad ? DB_ERR : db_step(st);
	if (rc == DB_ROW) {
		*programme_id = db_col_int(st, 0);
		*group_id = db_col_int(st, 1);
		*ready = db_col_int(st, 2) != 0;
		rc = DOMAIN_OK;
	} else if (rc == DB_DONE) {
		rc = DOMAIN_ENOTFOUND;
	}
	db_done(st);
	return rc;
}

static int group_member(db *d, int64_t group_id, int64_t account_id)
{
	db_stmt *st = db_prepare(d, "SELECT 1 FROM group_members WHERE group_id = ?"
				 " AND account_id = ? AND left_on IS NULL");
	int rc, bad = 0;
	if (!st)
		return DB_ERR;
	bad |= db_bind_int(st, 1, group_id);
	bad |= db_bind_int(st, 2, account_id);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (rc < 0)
		return rc;
	return rc == DB_ROW;
}

int ladder_rate_tx(db *d, arena *a, const struct audit_actor *who, enum role role,
		   enum ladder_subject kind, int64_t subject_id, sv rung,
		   struct field_errors *errs, int64_t *programme_id)
{
	enum ladder_rung r = ladder_rung_parse(sv_trim(rung));
	int64_t programme = 0, group = 0, before = -1;
	bool ready = false;
	char now[ISO_TIME_LEN], after_json[64], before_json[64];
	const char *side = side_of_role(role);
	db_stmt *st;
	int rc, bad = 0;
	int64_t account = who->on_behalf_of ? who->on_behalf_of : who->account_id;

	if ((int)kind < 0 || kind >= LADDER_SUBJECTS || !account)
		return DOMAIN_ENOTFOUND;
	rc = subject_find(d, kind, subject_id, &programme, &group, &ready);
	if (rc != DOMAIN_OK)
		return rc;
	rc = kind == LADDER_STAGE ? assessment_is_member(d, programme, account)
				  : group_member(d, group, account);
	if (rc < 0)
		return rc;
	if (!rc)
		return DOMAIN_ENOTFOUND;
	if (!ready) {
		static const char *const not_yet[LADDER_SUBJECTS] = {
			"You can rate a session on the ladder once it has been held",
			"You can rate a decision on the ladder once it has been closed",
			"You can rate a stage on the ladder once it has started",
		};
		field_error_add(errs, "rung", not_yet[kind]);
		return DOMAIN_ECONFLICT;
	}
	if (r == RUNG_NONE) {
		field_error_add(errs, "rung", "Select the rung of the ladder you think it reached");
		return DOMAIN_EINVALID;
	}

	st = db_prepare(d, "SELECT rung FROM ladder_ratings WHERE subject_kind = ?"
			   " AND subject_id = ? AND account_id = ?");
	if (!st)
		return DB_ERR;
	bad |= db_bind_text(st, 1, subject_slugs[kind]);
	bad |= db_bind_int(st, 2, subject_id);
	bad |= db_bind_int(st, 3, account);
	rc = bad ? DB_ERR : db_step(st);
	if (rc == DB_ROW)
		before = db_col_int(st, 0) - 1;
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;

	db_now_iso(now, 0);
	if (before >= 0)
		st = db_prepare(d, "UPDATE ladder_ratings SET rung = ?, side = ?, rated_at = ?"
				   " WHERE subject_kind = ? AND subject_id = ? AND account_id = ?"
				   " AND programme_id = ?");
	else
		st = db_prepare(d, "INSERT INTO ladder_ratings (rung, side, rated_at, subject_kind,"
				   " subject_id, account_id, programme_id) VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERR;
	bad = 0;
	bad |= db_bind_int(st, 1, (int64_t)r + 1);
	bad |= db_bind_text(st, 2, side);
	bad |= db_bind_text(st, 3, now);
	bad |= db_bind_text(st, 4, subject_slugs[kind]);
	bad |= db_bind_int(st, 5, subject_id);
	bad |= db_bind_int(st, 6, account);
	bad |= db_bind_int(st, 7, programme);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;

	(void)a;
	snprintf(after_json, sizeof(after_json), "{\"%s\":%lld,\"rung\":\"%s\"}",
		 subject_slugs[kind], (long long)subject_id, ladder_rung_slug(r));
	snprintf(before_json, sizeof(before_json), "{\"rung\":\"%s\"}",
		 ladder_rung_slug((enum ladder_rung)before));
	rc = audit_record(d, who, "ladder_rating", subject_id, before >= 0 ? "replace" : "rate",
			  before >= 0 ? before_json : NULL, after_json);
	if (rc == DB_OK && programme_id)
		*programme_id = programme;
	return rc;
}

int ladder_rate(db *d, arena *a, const struct audit_actor *who, enum role role,
		enum ladder_subject kind, int64_t subject_id, sv rung, struct field_errors *errs,
		int64_t *programme_id)
{
	IN_TRANSACTION(d, ladder_rate_tx(d, a, who, role, kind, subject_id, rung, errs,
					 programme_id));
}

int ladder_distribution(db *d, int64_t programme_id, int kind, int64_t subject_id,
			const char *from, const char *to, struct ladder_dist *out)
{
	int64_t counts[SIDES][LADDER_RUNGS] = {{0}};
	/* A rating belongs to the day of the thing rated: the session, the decision's
	 * opening or the stage's start. */
	db_stmt *st = db_prepare(
		d, "SELECT side, rung, COUNT(*) FROM (SELECT r.side, r.rung, COALESCE("
		   " (SELECT substr(s.starts_at, 1, 10) FROM group_sessions s"
		   "   WHERE r.subject_kind = 'session' AND s.id = r.subject_id),"
		   " (SELECT substr(x.opened_at, 1, 10) FROM decisions x"
		   "   WHERE r.subject_kind = 'decision' AND x.id = r.subject_id),"
		   " (SELECT ps.actual_start FROM programme_stages ps"
		   "   WHERE r.subject_kind = 'stage' AND ps.id = r.subject_id),"
		   " substr(r.rated_at, 1, 10)) AS day FROM ladder_ratings r"
		   " WHERE r.programme_id = ? AND (? IS NULL OR r.subject_kind = ?)"
		   " AND (? = 0 OR r.subject_id = ?)) t"
		   " WHERE (? IS NULL OR day >= ?) AND (? IS NULL OR day <= ?)"
		   " GROUP BY side, rung");
	const char *kind_slug = kind >= 0 && kind < LADDER_SUBJECTS ? subject_slugs[kind] : NULL;
	int rc, bad = 0;

	memset(out, 0, sizeof(*out));
	if (!st)
		return DB_ERR;
	bad |= db_bind_int(st, 1, programme_id);
	bad |= db_bind_text(st, 2, kind_slug);
	bad |= db_bind_text(st, 3, kind_slug);
	bad |= db_bind_int(st, 4, subject_id);
	bad |= db_bind_int(st, 5, subject_id);
	bad |= db_bind_text(st, 6, from);
	bad |= db_bind_text(st, 7, from);
	bad |= db_bind_text(st, 8, to);
	bad |= db_bind_text(st, 9, to);
	if (bad) {
		db_done(st);
		return DB_ERR;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		int s = side_index(db_col_sv(st, 0));
		int64_t r = db_col_int(st, 1) - 1;
		if (r >= 0 && r < LADDER_RUNGS)
			counts[s][r] += db_col_int(st, 2);
	}
	db_done(st);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	for (int s = 0; s < SIDES; s++) {
		out->total[s] = disclosure_total(counts[s], LADDER_RUNGS);
		for (int r = 0; r < LADDER_RUNGS; r++) {
			out->n_ratings += counts[s][r];
			out->rung[s][r] = disclosure_count(counts[s][r]);
			out->share_ok[s][r] =
				disclosure_share_ppm(out->rung[s][r], out->total[s], &out->share_ppm[s][r]);
		}
	}
	return DOMAIN_OK;
}

/* One kind of thing for ladder_things: columns id, label, ISO date, own rung, count. */
static const char *const things_sql[LADDER_SUBJECTS] = {
	"SELECT s.id, s.title, substr(s.starts_at, 1, 10),"
	" (SELECT rung FROM ladder_ratings r WHERE r.subject_kind = 'session'"
	"   AND r.subject_id = s.id AND r.account_id = ?),"
	" (SELECT COUNT(*) FROM ladder_ratings r WHERE r.subject_kind = 'session'"
	"   AND r.subject_id = s.id), s.status = 'held'"
	" FROM group_sessions s JOIN working_groups g ON g.id = s.group_id"
	" WHERE g.programme_id = ? AND s.status <> 'cancelled' AND s.starts_at <= ?"
	" AND ((? > 0 AND EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = g.id"
	"   AND m.account_id = ? AND m.left_on IS NULL))"
	"  OR (? = 0 AND EXISTS (SELECT 1 FROM ladder_ratings r"
	"   WHERE r.subject_kind = 'session' AND r.subject_id = s.id)))"
	" ORDER BY s.starts_at DESC, s.id DESC LIMIT ?",
	"SELECT x.id, x.question, substr(x.opened_at, 1, 10),"
	" (SELECT rung FROM ladder_ratings r WHERE r.subject_kind = 'decision'"
	"   AND r.subject_id = x.id AND r.account_id = ?),"
	" (SELECT COUNT(*) FROM ladder_ratings r WHERE r.subject_kind = 'decision'"
	"   AND r.subject_id = x.id), x.status = 'closed'"
	" FROM decisions x JOIN working_groups g ON g.id = x.group_id"
	" WHERE g.programme_id = ? AND x.opened_at <= ?"
	" AND ((? > 0 AND EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = g.id"
	"   AND m.account_id = ? AND m.left_on IS NULL))"
	"  OR (? = 0 AND EXISTS (SELECT 1 FROM ladder_ratings r"
	"   WHERE r.subject_kind = 'decision' AND r.subject_id = x.id)))"
	" ORDER BY x.opened_at DESC, x.id DESC LIMIT ?",
	"SELECT ps.id, ps.stage, ps.actual_start,"
	" (SELECT rung FROM ladder_ratings r WHERE r.subject_kind = 'stage'"
	"   AND r.subject_id = ps.id AND r.account_id = ?),"
	" (SELECT COUNT(*) FROM ladder_ratings r WHERE r.subject_kind = 'stage'"
	"   AND r.subject_id = ps.id), 1"
	" FROM programme_stages ps WHERE ps.programme_id = ? AND ps.status <> 'not_started'"
	" AND ? IS NOT NULL"
	" AND ((? > 0 AND EXISTS (SELECT 1 FROM group_members m"
	"   JOIN working_groups g ON g.id = m.group_id WHERE g.programme_id = ps.programme_id"
	"   AND m.account_id = ? AND m.left_on IS NULL))"
	"  OR (? = 0 AND EXISTS (SELECT 1 FROM ladder_ratings r"
	"   WHERE r.subject_kind = 'stage' AND r.subject_id = ps.id)))"
	" ORDER BY ps.stage DESC LIMIT ?",
};

static const char *thing_label(arena *a, enum ladder_subject kind, db_stmt *st)
{
	if (kind == LADDER_STAGE)
		return arena_printf(a, "Stage %lld: %s", (long long)db_col_int(st, 1),
				    programme_stage_name((int)db_col_int(st, 1)));
	return arena_printf(a, "%s: %s", kind == LADDER_SESSION ? "Session" : "Decision",
			    db_col_text(st, 1));
}

static int things(db *d, arena *a, int64_t programme_id, int64_t account_id, bool all,
		  struct ladder_thing **out, size_t *n)
{
	struct ladder_thing *items = NULL;
	size_t cap = 0;
	char now[ISO_TIME_LEN];
	int rc = DB_DONE;

	*out = NULL;
	*n = 0;
	db_now_iso(now, 0);
	for (int k = 0; k < LADDER_SUBJECTS && rc == DB_DONE; k++) {
		db_stmt *st = db_prepare(d, things_sql[k]);
		int bad = 0;
		if (!st)
			return DB_ERR;
		bad |= db_bind_int(st, 1, account_id);
		bad |= db_bind_int(st, 2, programme_id);
		bad |= db_bind_text(st, 3, now);
		bad |= db_bind_int(st, 4, account_id);
		bad |= db_bind_int(st, 5, account_id);
		bad |= db_bind_int(st, 6, account_id);
		bad |= db_bind_int(st, 7, ASSESSMENT_LIST_MAX);
		if (bad) {
			db_done(st);
			return DB_ERR;
		}
		while ((rc = db_step(st)) == DB_ROW) {
			struct ladder_thing *t;
			/* A member is offered only what can be rated; results list every
			 * thing rated. */
			if (!all && account_id > 0 && db_col_int(st, 5) == 0)
				continue;
			if (!(items = arena_grow(a, items, *n, &cap, sizeof(*items)))) {
				rc = DB_ERR;
				break;
			}
			t = &items[*n];
			t->kind = (enum ladder_subject)k;
			t->subject_id = db_col_int(st, 0);
			t->label = (char *)thing_label(a, t->kind, st);
			t->on = db_col_dup(st, 2, a);
			t->my_rung = db_col_null(st, 3) ? RUNG_NONE : (int)db_col_int(st, 3) - 1;
			t->n_ratings = db_col_int(st, 4);
			t->ready = db_col_int(st, 5) != 0;
			if (!t->label) {
				rc = DB_ERR;
				break;
			}
			(*n)++;
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

int ladder_things(db *d, arena *a, int64_t programme_id, int64_t account_id,
		  struct ladder_thing **out, size_t *n)
{
	return things(d, a, programme_id, account_id, false, out, n);
}

int ladder_thing_find(db *d, arena *a, int64_t programme_id, int64_t account_id,
		      enum ladder_subject kind, int64_t subject_id, struct ladder_thing *out)
{
	struct ladder_thing *all;
	size_t n;
	int rc = things(d, a, programme_id, account_id, true, &all, &n);
	if (rc != DOMAIN_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (all[i].kind == kind && all[i].subject_id == subject_id) {
			*out = all[i];
			return DOMAIN_OK;
		}
	return DOMAIN_ENOTFOUND;
}

/* --- The six principles ---------------------------------------------------------------- */

static const char *const strengths_s[] = {
	"Everybody has strengths and weaknesses.",
	"Everyone has skills, knowledge, experience and other qualities to offer.",
	"Everyone is needed to produce solutions that work.", NULL};
static const char *const power_s[] = {
	"It is difficult for either citizens or professionals to challenge how things are alone.",
	"All types of power must be shared.",
	"Leadership, support and resources must come from everyone involved.",
	"Unequal power needs to be recognised and addressed.", NULL};
static const char *const relationships_s[] = {
	"Good relationships are crucial for working together.",
	"Positive relationships require time, respect and trust.",
	"Everyone needs to feel safe, valued and wanted.",
	"The process must feel fair, open and honest to everyone.", NULL};
static const char *const diversity_s[] = {
	"Diversity of people is important for high quality thinking.",
	"The process of working together and the language must make sense to everyone involved.",
	"Inequalities must be identified and talked about. These might link to age, class, "
	"disability, education, race, religion, sex or sexual orientation.",
	NULL};
static const char *const knowledges_s[] = {
	"There are different ways of 'knowing things' and all of them are valuable.",
	"First-hand experience is as valuable as professional or academic knowledge.",
	"Knowledge of what does or does not work in the real world must be recognised and valued.",
	NULL};
static const char *const testing_s[] = {
	"Finding ways to reduce disadvantage is difficult and complicated.",
	"It is important to test new ideas early on and continue to test them.",
	"There is no failure. If things don't work out as expected make time to learn from this "
	"and change what you do.",
	NULL};

static const struct {
	const char *slug, *label, *question;
	const char *const *statements;
} principles[PRINCIPLES] = {
	{"strengths", "Strengths",
	 "How well do we use everyone's skills, knowledge and experience?", strengths_s},
	{"power", "Power", "How well do we share power, leadership and resources?", power_s},
	{"relationships", "Relationships",
	 "How safe, valued and respected does everyone feel working together?", relationships_s},
	{"diversity", "Diversity",
	 "How well do we include different people and make sense to everyone?", diversity_s},
	{"knowledges", "Knowledges",
	 "How much do we value first-hand experience as well as professional knowledge?",
	 knowledges_s},
	{"testing", "Testing", "How well do we test ideas early and learn when things go wrong?",
	 testing_s},
};

const char *principle_slug(enum principle p)
{
	return (int)p >= 0 && p < PRINCIPLES ? principles[p].slug : "";
}

const char *principle_label(enum principle p)
{
	return (int)p >= 0 && p < PRINCIPLES ? principles[p].label : "";
}

const char *const *principle_statements(enum principle p)
{
	static const char *const none[] = {NULL};
	return (int)p >= 0 && p < PRINCIPLES ? principles[p].statements : none;
}

const char *principle_question(enum principle p)
{
	return (int)p >= 0 && p < PRINCIPLES ? principles[p].question : "";
}

static int principle_parse(sv s)
{
	for (int i = 0; i < PRINCIPLES; i++)
		if (sv_eq_cstr(s, principles[i].slug))
			return i;
	return -1;
}

void centi_format(sbuf *b, int64_t v)
{
	if (v < 0) {
		sbuf_addc(b, '-');
		v = -v;
	}
	sbuf_addf(b, "%lld.%02lld", (long long)(v / 100), (long long)(v % 100));
}

char *centi_text(arena *a, int64_t v)
{
	sbuf b;
	sbuf_init(&b, a, 32);
	centi_format(&b, v);
	return b.err ? NULL : b.buf;
}


int principle_round_open_tx(db *d, arena *a, const struct audit_actor *who,
			    int64_t programme_id, const struct round_input *in,
			    struct field_errors *errs, int64_t *id)
{
	sv label = sv_trim(in->period_label);
	struct date opens, closes;
	bool opens_ok, closes_ok;
	char now[ISO_TIME_LEN], o[16], c[16];
	int rc = DOMAIN_OK, step, bad = 0;
	db_stmt *st;
	int64_t new_id;
	sbuf js;
	json j;

	if (!label.ptr || !label.len) {
		field_error_add(errs, "period_label", "Enter the half year, like 2022 H1");
		rc = DOMAIN_EINVALID;
	} else if (label.len > PRINCIPLE_PERIOD_MAX) {
		field_error_add(errs, "period_label", "The half year must be 40 characters or fewer");
		rc = DOMAIN_EINVALID;
	} else {
		st = db_prepare(d, "SELECT 1 FROM principle_rounds WHERE programme_id = ?"
				   " AND period_label = ?");
		if (!st)
			return DB_ERR;
		bad |= db_bind_int(st, 1, programme_id);
		bad |= db_bind_sv(st, 2, label);
		step = bad ? DB_ERR : db_step(st);
		db_done(st);
		if (step < 0)
			return step;
		if (step == DB_ROW) {
			field_error_add(errs, "period_label",
					"This programme already has a round for that half year");
			rc = DOMAIN_EINVALID;
		}
	}
	opens_ok = date_from_fields(in->opens_day, in->opens_month, in->opens_year, &opens) == 0;
	closes_ok = date_from_fields(in->closes_day, in->closes_month, in->closes_year, &closes) == 0;
	if (!opens_ok) {
		field_error_add(errs, "opens", "Enter the date the round opens, like 1 6 2022");
		rc = DOMAIN_EINVALID;
	}
	if (!closes_ok) {
		field_error_add(errs, "closes", "Enter the date the round closes, like 30 6 2022");
		rc = DOMAIN_EINVALID;
	} else if (opens_ok && date_cmp(closes, opens) < 0) {
		field_error_add(errs, "closes", "The closing date must be on or after the opening date");
		rc = DOMAIN_EINVALID;
	}
	if (rc != DOMAIN_OK)
		return rc;

	date_text(o, opens);
	date_text(c, closes);
	db_now_iso(now, 0);
	st = db_prepare(d, "INSERT INTO principle_rounds (programme_id, period_label, opens_on,"
			   " closes_on, opened_by, created_at) VALUES (?, ?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERR;
	bad = 0;
	bad |= db_bind_int(st, 1, programme_id);
	bad |= db_bind_sv(st, 2, label);
	bad |= db_bind_text(st, 3, o);
	bad |= db_bind_text(st, 4, c);
	bad |= who->account_id ? db_bind_int(st, 5, who->account_id) : db_bind_null(st, 5);
	bad |= db_bind_text(st, 6, now);
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
	json_key(&j, "period_label");
	json_str(&j, label);
	json_key(&j, "opens_on");
	json_cstr(&j, o);
	json_key(&j, "closes_on");
	json_cstr(&j, c);
	json_end(&j);
	if (js.err)
		return DB_ERR;
	rc = audit_record(d, who, "principle_round", new_id, "open", NULL, js.buf);
	if (rc == DB_OK && id)
		*id = new_id;
	return rc;
}

int principle_round_open(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
			 const struct round_input *in, struct field_errors *errs, int64_t *id)
{
	IN_TRANSACTION(d, principle_round_open_tx(d, a, who, programme_id, in, errs, id));
}

#define ROUND_COLUMNS                                                                        \
	"SELECT r.id, r.programme_id, r.period_label, r.opens_on, r.closes_on,"               \
	" EXISTS (SELECT 1 FROM principle_respondents x WHERE x.round_id = r.id"              \
	" AND x.account_id = ?) FROM principle_rounds r"

static int round_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct principle_round *x = item;
	char today[16];
	date_text(today, date_today());
	x->id = db_col_int(st, 0);
	x->programme_id = db_col_int(st, 1);
	x->period_label = db_col_dup(st, 2, a);
	x->opens_on = db_col_dup(st, 3, a);
	x->closes_on = db_col_dup(st, 4, a);
	x->answered = db_col_int(st, 5) != 0;
	if (!x->period_label || !x->opens_on || !x->closes_on)
		return DB_ERR;
	x->open = strcmp(x->opens_on, today) <= 0 && strcmp(today, x->closes_on) <= 0;
	return DB_OK;
}

int principle_round_get(db *d, arena *a, int64_t id, struct principle_round *out)
{
	db_stmt *st = db_prepare(d, ROUND_COLUMNS " WHERE r.id = ?");
	int rc;
	db_bind_int(st, 1, 0);
	db_bind_int(st, 2, id);
	rc = db_one(st, a, round_row, NULL, out);
	return rc == DB_DONE ? DOMAIN_ENOTFOUND : rc;
}

static int rounds_query(db *d, arena *a, int64_t programme_id, int64_t account_id,
			const char *from, const char *to, bool oldest_first,
			struct principle_round **out, size_t *n)
{
	db_stmt *st = db_prepare(d, oldest_first
					    ? ROUND_COLUMNS " WHERE r.programme_id = ?"
						" AND (? IS NULL OR r.opens_on >= ?)"
						" AND (? IS NULL OR r.opens_on <= ?)"
						" ORDER BY r.opens_on, r.id LIMIT ?"
					    : ROUND_COLUMNS " WHERE r.programme_id = ?"
						" AND (? IS NULL OR r.opens_on >= ?)"
						" AND (? IS NULL OR r.opens_on <= ?)"
						" ORDER BY r.opens_on DESC, r.id DESC LIMIT ?");
	db_bind_int(st, 1, account_id);
	db_bind_int(st, 2, programme_id);
	db_bind_text(st, 3, from);
	db_bind_text(st, 4, from);
	db_bind_text(st, 5, to);
	db_bind_text(st, 6, to);
	db_bind_int(st, 7, ASSESSMENT_LIST_MAX);
	return db_collect(st, a, sizeof(**out), round_row, NULL, out, n);
}

int principle_rounds_list(db *d, arena *a, int64_t programme_id, int64_t account_id,
			  struct principle_round **out, size_t *n)
{
	return rounds_query(d, a, programme_id, account_id, NULL, NULL, false, out, n);
}

int principle_has_answered(db *d, int64_t round_id, int64_t account_id)
{
	db_stmt *st = db_prepare(d, "SELECT 1 FROM principle_respondents WHERE round_id = ?"
				 " AND account_id = ?");
	int rc, bad = 0;
	if (!st)
		return DB_ERR;
	bad |= db_bind_int(st, 1, round_id);
	bad |= db_bind_int(st, 2, account_id);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (rc < 0)
		return rc;
	return rc == DB_ROW;
}

static int answer_tx(db *d, arena *a, const struct audit_actor *who, enum role role,
		     int64_t round_id, const struct principle_answer_input *in,
		     struct field_errors *errs, bool late)
{
	struct principle_round round;
	int64_t rating[PRINCIPLES];
	sv comment[PRINCIPLES];
	int64_t account = who->on_behalf_of ? who->on_behalf_of : who->account_id;
	const char *side = side_of_role(role);
	char now[ISO_TIME_LEN], after[128];
	int rc = principle_round_get(d, a, round_id, &round), bad, step;
	db_stmt *st;

	if (rc != DOMAIN_OK)
		return rc;
	rc = account ? assessment_is_member(d, round.programme_id, account) : 0;
	if (rc < 0)
		return rc;
	if (!rc)
		return DOMAIN_ENOTFOUND;
	rc = principle_has_answered(d, round_id, account);
	if (rc < 0)
		return rc;
	if (rc || (!round.open && !late))
		return DOMAIN_ECONFLICT;
	rc = DOMAIN_OK;
	for (int p = 0; p < PRINCIPLES; p++) {
		sv t = sv_trim(in->rating[p]);
		if (sv_to_i64(t, &rating[p]) || rating[p] < 1 || rating[p] > 5) {
			field_error_add(errs, arena_printf(a, "rating-%s", principles[p].slug),
					arena_printf(a, "Select how well we live up to %s, from 1 to 5",
						     principles[p].label));
			rc = DOMAIN_EINVALID;
		}
		comment[p] = sv_trim(in->comment[p]);
		if (!comment[p].ptr)
			comment[p] = SV("");
		if (comment[p].len > PRINCIPLE_COMMENT_MAX) {
			field_error_add(errs, arena_printf(a, "comment-%s", principles[p].slug),
					"A comment must be 2,000 characters or fewer");
			rc = DOMAIN_EINVALID;
		}
	}
	if (rc != DOMAIN_OK)
		return rc;

	db_now_iso(now, 0);
	st = db_prepare(d, "INSERT INTO principle_respondents (round_id, account_id, side,"
			   " answered_at) VALUES (?, ?, ?, ?)");
	if (!st)
		return DB_ERR;
	bad = 0;
	bad |= db_bind_int(st, 1, round_id);
	bad |= db_bind_int(st, 2, account);
	bad |= db_bind_text(st, 3, side);
	bad |= db_bind_text(st, 4, now);
	step = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (step == DB_ECONSTRAINT)
		return DOMAIN_ECONFLICT; /* answered in another tab meanwhile */
	if (step != DB_DONE)
		return step < 0 ? step : DB_ERR;
	for (int p = 0; p < PRINCIPLES; p++) {
		st = db_prepare(d, "INSERT INTO principle_answers (round_id, side, principle, rating,"
				   " comment) VALUES (?, ?, ?, ?, ?)");
		if (!st)
			return DB_ERR;
		bad = 0;
		bad |= db_bind_int(st, 1, round_id);
		bad |= db_bind_text(st, 2, side);
		bad |= db_bind_text(st, 3, principles[p].slug);
		bad |= db_bind_int(st, 4, rating[p]);
		bad |= db_bind_sv(st, 5, comment[p]);
		step = bad ? DB_ERR : db_step(st);
		db_done(st);
		if (step != DB_DONE)
			return step < 0 ? step : DB_ERR;
	}
	/* The audit says who answered, never what: the answers are anonymous. */
	snprintf(after, sizeof(after), "{\"round_id\":%lld,\"side\":\"%s\"}", (long long)round_id,
		 side);
	return audit_record(d, who, "principle_round", round_id, "answer", NULL, after);
}

int principle_answer_tx(db *d, arena *a, const struct audit_actor *who, enum role role,
			int64_t round_id, const struct principle_answer_input *in,
			struct field_errors *errs)
{
	return answer_tx(d, a, who, role, round_id, in, errs, false);
}

int principle_answer_paper_tx(db *d, arena *a, const struct audit_actor *who, enum role role,
			      int64_t round_id, const struct principle_answer_input *in,
			      struct field_errors *errs)
{
	return answer_tx(d, a, who, role, round_id, in, errs, true);
}

int principle_answer(db *d, arena *a, const struct audit_actor *who, enum role role,
		     int64_t round_id, const struct principle_answer_input *in,
		     struct field_errors *errs)
{
	IN_TRANSACTION(d, principle_answer_tx(d, a, who, role, round_id, in, errs));
}

/* Fills one round's results. */
static int round_results(db *d, struct principle_result *res)
{
	int64_t sum[SIDES][PRINCIPLES] = {{0}}, cnt[SIDES][PRINCIPLES] = {{0}};
	db_stmt *st = db_prepare(d, "SELECT side, COUNT(*) FROM principle_respondents"
				 " WHERE round_id = ? GROUP BY side");
	int rc;
	if (!st)
		return DB_ERR;
	rc = db_bind_int(st, 1, res->round.id) ? DB_ERR : db_step(st);
	for (; rc == DB_ROW; rc = db_step(st))
		res->respondents[side_index(db_col_sv(st, 0))] = db_col_int(st, 1);
	db_done(st);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	st = db_prepare(d, "SELECT side, principle, SUM(rating), COUNT(*) FROM principle_answers"
			   " WHERE round_id = ? GROUP BY side, principle");
	if (!st)
		return DB_ERR;
	rc = db_bind_int(st, 1, res->round.id) ? DB_ERR : db_step(st);
	for (; rc == DB_ROW; rc = db_step(st)) {
		int s = side_index(db_col_sv(st, 0)), p = principle_parse(db_col_sv(st, 1));
		if (p < 0)
			continue;
		sum[s][p] = db_col_int(st, 2);
		cnt[s][p] = db_col_int(st, 3);
	}
	db_done(st);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	for (int s = 0; s < SIDES; s++) {
		res->respondents_disclosed[s] = disclosure_count(res->respondents[s]);
		res->shown[s] = res->respondents[s] >= PRINCIPLES_MIN_RESPONDENTS;
		for (int p = 0; p < PRINCIPLES; p++)
			/* The mean in hundredths, rounded half up. */
			res->mean_centi[s][p] =
				res->shown[s] && cnt[s][p] ? (sum[s][p] * 200 + cnt[s][p]) / (2 * cnt[s][p]) : 0;
	}
	res->gap_shown = res->shown[SIDE_LOCAL] && res->shown[SIDE_PROFESSIONAL];
	for (int p = 0; p < PRINCIPLES; p++)
		res->gap_centi[p] = res->gap_shown ? res->mean_centi[SIDE_LOCAL][p] -
							     res->mean_centi[SIDE_PROFESSIONAL][p]
						   : 0;
	return DOMAIN_OK;
}

int principle_results(db *d, arena *a, int64_t programme_id, const char *from, const char *to,
		      struct principle_result **out, size_t *n)
{
	struct principle_round *rounds;
	struct principle_result *items;
	size_t nr;
	int rc = rounds_query(d, a, programme_id, 0, from, to, true, &rounds, &nr);
	*out = NULL;
	*n = 0;
	if (rc != DOMAIN_OK)
		return rc;
	items = arena_calloc(a, nr ? nr : 1, sizeof(*items));
	if (!items)
		return DB_ERR;
	for (size_t i = 0; i < nr; i++) {
		items[i].round = rounds[i];
		rc = round_results(d, &items[i]);
		if (rc != DOMAIN_OK)
			return rc;
	}
	*out = items;
	*n = nr;
	return DOMAIN_OK;
}

static int comment_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct principle_comment *c = item;
	int p = principle_parse(db_col_sv(st, 0));
	c->principle = (enum principle)(p < 0 ? 0 : p);
	c->comment = db_col_dup(st, 1, a);
	return c->comment ? DB_OK : DB_ERR;
}

int principle_comments(db *d, arena *a, int64_t round_id, struct principle_comment **out,
		       size_t *n)
{
	db_stmt *st = db_prepare(d, "SELECT principle, comment FROM principle_answers"
				 " WHERE round_id = ? AND comment <> '' ORDER BY principle, comment"
				 " LIMIT ?");
	struct principle_comment *items;
	int rc;
	db_bind_int(st, 1, round_id);
	db_bind_int(st, 2, ASSESSMENT_LIST_MAX);
	if ((rc = db_collect(st, a, sizeof(**out), comment_row, NULL, out, n)) != DB_OK)
		return rc;
	/* In order of the principles, not of their names. */
	items = *out;
	for (size_t i = 1; i < *n; i++)
		for (size_t k = i; k > 0 && items[k - 1].principle > items[k].principle; k--) {
			struct principle_comment t = items[k];
			items[k] = items[k - 1];
			items[k - 1] = t;
		}
	return DOMAIN_OK;
}

static int waiting_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct round_waiting *x = item;
	x->round_id = db_col_int(st, 0);
	x->period_label = db_col_dup(st, 1, a);
	x->closes_on = db_col_dup(st, 2, a);
	x->programme_name = db_col_dup(st, 3, a);
	x->programme_slug = db_col_dup(st, 4, a);
	return x->period_label && x->closes_on && x->programme_name && x->programme_slug
		       ? DB_OK
		       : DB_ERR;
}

int principle_rounds_waiting(db *d, arena *a, int64_t account_id, struct round_waiting **out,
			     size_t *n)
{
	db_stmt *st = db_prepare(
		d, "SELECT r.id, r.period_label, r.closes_on, p.name, p.slug FROM principle_rounds r"
		   " JOIN programmes p ON p.id = r.programme_id"
		   " WHERE r.opens_on <= ? AND r.closes_on >= ?"
		   " AND EXISTS (SELECT 1 FROM group_members m JOIN working_groups g"
		   "   ON g.id = m.group_id WHERE g.programme_id = r.programme_id"
		   "   AND m.account_id = ? AND m.left_on IS NULL)"
		   " AND NOT EXISTS (SELECT 1 FROM principle_respondents x WHERE x.round_id = r.id"
		   "   AND x.account_id = ?)"
		   " ORDER BY r.closes_on, r.id LIMIT ?");
	char today[16];
	date_text(today, date_today());
	db_bind_text(st, 1, today);
	db_bind_text(st, 2, today);
	db_bind_int(st, 3, account_id);
	db_bind_int(st, 4, account_id);
	db_bind_int(st, 5, ASSESSMENT_LIST_MAX);
	return db_collect(st, a, sizeof(**out), waiting_row, NULL, out, n);
}
