/* case_studies.c: case studies of co-production, their narrative, quotes and the
 * figures behind them; see case_studies.h. */
#include "domain/case_studies.h"

#include <stdarg.h>
#include <string.h>

#include "core/json.h"
#include "domain/record.h"
#include "domain/sessions.h"

#define AUDIT_JSON_MAX (64 * 1024)

static const struct {
	const char *key, *heading;
} parts[CASE_STUDY_PARTS] = {
	{"issue", "The issue, reframed"},
	{"people", "Who took part"},
	{"coproduced", "What was co-produced"},
	{"decisions", "Decisions and the balance of power"},
	{"board", "What the Board decided"},
	{"changed", "What changed"},
	{"learned", "What was learned"},
};

const char *case_study_part_key(enum case_study_part p)
{
	return (int)p >= 0 && (int)p < (int)CASE_STUDY_PARTS ? parts[p].key : "";
}

const char *case_study_part_heading(enum case_study_part p)
{
	return (int)p >= 0 && (int)p < (int)CASE_STUDY_PARTS ? parts[p].heading : "";
}

/* --- Small query helpers --------------------------------------------------------------- */

/* Binds parameters described by FMT: 'i' an int64_t (0 binds NULL when upper case 'I'),
 * 's' a C string (NULL binds NULL), 'v' an sv. Returns 0 or a DB_E* code. */
static int bind_va(db_stmt *st, const char *fmt, va_list ap)
{
	int bad = 0;
	for (int i = 0; fmt[i]; i++) {
		switch (fmt[i]) {
		case 'i':
			bad |= db_bind_int(st, i + 1, va_arg(ap, int64_t));
			break;
		case 'I': {
			int64_t v = va_arg(ap, int64_t);
			bad |= v ? db_bind_int(st, i + 1, v) : db_bind_null(st, i + 1);
			break;
		}
		case 's':
			bad |= db_bind_text(st, i + 1, va_arg(ap, const char *));
			break;
		case 'v':
			bad |= db_bind_sv(st, i + 1, va_arg(ap, sv));
			break;
		default:
			return DB_ERR;
		}
	}
	return bad ? DB_ERR : DB_OK;
}

/* Runs SQL that changes data. Returns DB_OK or a DB_E* code. */
static int exec(db *d, const char *sql, const char *fmt, ...)
{
	va_list ap;
	int rc;
	db_stmt *st = db_prepare(d, sql);
	if (!st)
		return DB_ERR;
	va_start(ap, fmt);
	rc = bind_va(st, fmt, ap);
	va_end(ap);
	if (rc == DB_OK) {
		rc = db_step(st);
		if (rc == DB_DONE || rc == DB_ROW)
			rc = DB_OK;
	}
	db_done(st);
	return rc;
}

/* Runs a query whose first row's first column is a number into *OUT (0 when no row). */
static int count(db *d, int64_t *out, const char *sql, const char *fmt, ...)
{
	va_list ap;
	int rc;
	db_stmt *st = db_prepare(d, sql);
	*out = 0;
	if (!st)
		return DB_ERR;
	va_start(ap, fmt);
	rc = bind_va(st, fmt, ap);
	va_end(ap);
	if (rc == DB_OK) {
		rc = db_step(st);
		if (rc == DB_ROW)
			*out = db_col_int(st, 0);
		if (rc == DB_ROW || rc == DB_DONE)
			rc = DB_OK;
	}
	db_done(st);
	return rc;
}

static struct date col_date(db_stmt *st, int i)
{
	struct date dt = {0, 0, 0};
	if (!db_col_null(st, i))
		date_parse(db_col_sv(st, i), &dt);
	return dt;
}

/* --- Validation ------------------------------------------------------------------------ */

static sv check_text(sv s, size_t max, bool needed, const char *field, const char *empty,
		     const char *too_long, struct field_errors *errs, int *rc)
{
	sv t = sv_trim(s);
	if (!t.ptr)
		t = SV("");
	if (needed && !t.len) {
		field_error_add(errs, field, empty);
		*rc = DOMAIN_EINVALID;
	} else if (t.len > max) {
		field_error_add(errs, field, too_long);
		*rc = DOMAIN_EINVALID;
	}
	return t;
}

static int validate_input(arena *a, const struct case_study_input *in, struct case_study_input *out,
			  struct field_errors *errs)
{
	int rc = DOMAIN_OK;
	out->title = check_text(in->title, CASE_STUDY_TITLE_MAX, true, "title",
				"Enter a title for the case study",
				"The title must be 200 characters or fewer", errs, &rc);
	out->summary = check_text(in->summary, CASE_STUDY_SUMMARY_MAX, true, "summary",
				  "Enter a summary of the case study",
				  "The summary must be 2,000 characters or fewer", errs, &rc);
	for (int p = 0; p < CASE_STUDY_PARTS; p++)
		out->part[p] = check_text(in->part[p], CASE_STUDY_TEXT_MAX, false, parts[p].key, "",
					  arena_printf(a, "%s must be 10,000 characters or fewer",
						       parts[p].heading),
					  errs, &rc);
	return rc;
}

static const char *input_json(arena *a, const struct case_study_input *in)
{
	sbuf b;
	json j;
	sbuf_init(&b, a, AUDIT_JSON_MAX);
	json_init(&j, &b);
	json_obj(&j);
	json_key(&j, "title");
	json_str(&j, in->title);
	json_key(&j, "summary");
	json_str(&j, in->summary);
	for (int p = 0; p < CASE_STUDY_PARTS; p++) {
		json_key(&j, parts[p].key);
		json_str(&j, in->part[p]);
	}
	json_end(&j);
	return b.err ? NULL : b.buf;
}

/* --- Creating and editing -------------------------------------------------------------- */

int case_study_create_tx(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
			 const struct case_study_input *in, struct field_errors *errs, int64_t *id)
{
	struct case_study_input v;
	char now[ISO_TIME_LEN];
	int64_t found;
	int rc = count(d, &found, "SELECT COUNT(*) FROM programmes WHERE id = ?", "i", programme_id);
	if (rc != DB_OK)
		return rc;
	if (!found)
		return DOMAIN_ENOTFOUND;
	if ((rc = validate_input(a, in, &v, errs)) != DOMAIN_OK)
		return rc;
	db_now_iso(now, 0);
	rc = exec(d,
		  "INSERT INTO case_studies (programme_id, title, summary, issue_text, people_text,"
		  " coproduced_text, decisions_text, board_text, changed_text, learned_text, status,"
		  " created_by, created_at, updated_at)"
		  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?)",
		  "ivvvvvvvvvIss", programme_id, v.title, v.summary, v.part[0], v.part[1], v.part[2],
		  v.part[3], v.part[4], v.part[5], v.part[6], who->account_id, now, now);
	if (rc != DB_OK)
		return rc;
	*id = db_last_insert_id(d);
	return audit_record(d, who, "case_study", *id, "create", NULL, input_json(a, &v));
}

int case_study_create(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
		      const struct case_study_input *in, struct field_errors *errs, int64_t *id)
{
	IN_TRANSACTION(d, case_study_create_tx(d, a, who, programme_id, in, errs, id));
}

static int unpublish_tx(db *d, const struct audit_actor *who, int64_t id);

static int update_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
		     const struct case_study_input *in, bool may_publish,
		     struct field_errors *errs, bool *unpublished)
{
	struct case_study_input v;
	char now[ISO_TIME_LEN];
	int64_t found, published;
	int rc = count(d, &found, "SELECT COUNT(*) FROM case_studies WHERE id = ?", "i", id);
	if (rc != DB_OK)
		return rc;
	if (!found)
		return DOMAIN_ENOTFOUND;
	if ((rc = validate_input(a, in, &v, errs)) != DOMAIN_OK)
		return rc;
	if ((rc = count(d, &published,
			"SELECT COUNT(*) FROM case_studies WHERE id = ? AND status = 'published'",
			"i", id)) != DB_OK)
		return rc;
	db_now_iso(now, 0);
	rc = exec(d,
		  "UPDATE case_studies SET title = ?, summary = ?, issue_text = ?, people_text = ?,"
		  " coproduced_text = ?, decisions_text = ?, board_text = ?, changed_text = ?,"
		  " learned_text = ?, updated_at = ? WHERE id = ?",
		  "vvvvvvvvvsi", v.title, v.summary, v.part[0], v.part[1], v.part[2], v.part[3],
		  v.part[4], v.part[5], v.part[6], now, id);
	if (rc != DB_OK)
		return rc;
	if ((rc = audit_record(d, who, "case_study", id, "update", NULL, input_json(a, &v))) !=
	    DB_OK)
		return rc;
	/* Only a lead decides what the public reads: a facilitator's change to a published
	 * study waits for a lead to publish it again. */
	if (published && !may_publish) {
		if ((rc = unpublish_tx(d, who, id)) != DOMAIN_OK)
			return rc;
		if (unpublished)
			*unpublished = true;
	}
	return DOMAIN_OK;
}

int case_study_update(db *d, arena *a, const struct audit_actor *who, int64_t id,
		      const struct case_study_input *in, bool may_publish,
		      struct field_errors *errs, bool *unpublished)
{
	if (unpublished)
		*unpublished = false;
	IN_TRANSACTION(d, update_tx(d, a, who, id, in, may_publish, errs, unpublished));
}

/* --- Quotes ---------------------------------------------------------------------------- */

static int study_programme(db *d, int64_t case_study_id, int64_t *programme_id)
{
	int rc = count(d, programme_id, "SELECT programme_id FROM case_studies WHERE id = ?", "i",
		       case_study_id);
	if (rc == DB_OK && !*programme_id)
		return DOMAIN_ENOTFOUND;
	return rc;
}

/* The text of an idea comment or session outcome of programme PROGRAMME_ID. */
static int source_text(db *d, arena *a, enum quote_source src, int64_t source_id,
		       int64_t programme_id, char **text)
{
	const char *sql = src == QUOTE_IDEA_COMMENT
				  ? "SELECT c.body FROM idea_comments c JOIN ideas i ON i.id = c.idea_id"
				    " WHERE c.id = ? AND i.programme_id = ?"
				  : "SELECT o.text FROM session_outcomes o"
				    " JOIN group_sessions s ON s.id = o.session_id"
				    " JOIN working_groups g ON g.id = s.group_id"
				    " WHERE o.id = ? AND g.programme_id = ?";
	db_stmt *st = db_prepare(d, sql);
	int rc;
	*text = NULL;
	if (!st)
		return DB_ERR;
	if (db_bind_int(st, 1, source_id) || db_bind_int(st, 2, programme_id)) {
		db_done(st);
		return DB_ERR;
	}
	rc = db_step(st);
	if (rc == DB_ROW)
		*text = db_col_dup(st, 0, a);
	db_done(st);
	if (rc < 0)
		return rc;
	return *text ? DOMAIN_OK : DOMAIN_ENOTFOUND;
}

/* The consent date from the typed fields, or an error on "consent_on". */
static int consent_date(sv day, sv month, sv year, struct date *out, struct field_errors *errs)
{
	if (date_from_fields(day, month, year, out) != 0) {
		field_error_add(errs, "consent_on",
				"Enter the date the speaker gave consent, like 14 6 2022");
		return DOMAIN_EINVALID;
	}
	if (date_cmp(*out, date_today()) > 0) {
		field_error_add(errs, "consent_on", "The date consent was given must be today or "
						    "in the past");
		return DOMAIN_EINVALID;
	}
	return DOMAIN_OK;
}

int case_study_quote_add_tx(db *d, arena *a, const struct audit_actor *who,
			    int64_t case_study_id, const struct case_study_quote_input *in,
			    struct field_errors *errs, int64_t *quote_id)
{
	int64_t programme_id, n, pos;
	char now[ISO_TIME_LEN], on[11] = "";
	struct date cd = {0, 0, 0};
	sv quote = sv_trim(in->quote), speaker;
	char *src_text = NULL;
	int rc = study_programme(d, case_study_id, &programme_id), vrc = DOMAIN_OK;
	sbuf js;
	json j;

	if (rc != DOMAIN_OK)
		return rc;
	if ((rc = count(d, &n, "SELECT COUNT(*) FROM case_study_quotes WHERE case_study_id = ?",
			"i", case_study_id)) != DB_OK)
		return rc;
	if (n >= CASE_STUDY_QUOTES_MAX) {
		field_error_add(errs, "quote", "A case study can have at most 50 quotes");
		return DOMAIN_EINVALID;
	}
	if (in->source != QUOTE_TYPED) {
		rc = source_text(d, a, in->source, in->source_id, programme_id, &src_text);
		if (rc == DOMAIN_ENOTFOUND) {
			field_error_add(errs, "source", "Select a comment or outcome from this "
							"programme to quote");
			vrc = DOMAIN_EINVALID;
		} else if (rc != DOMAIN_OK) {
			return rc;
		}
		if (!quote.len && src_text)
			quote = sv_trim(sv_from(src_text));
	}
	if (vrc == DOMAIN_OK)
		quote = check_text(quote, CASE_STUDY_QUOTE_MAX, true, "quote", "Enter the quote",
				   "The quote must be 2,000 characters or fewer", errs, &vrc);
	speaker = check_text(in->speaker, CASE_STUDY_SPEAKER_MAX, true, "speaker",
			     "Enter who said it, as it will be shown, like a first name and their "
			     "part in the group",
			     "Who said it must be 200 characters or fewer", errs, &vrc);
	if (in->consent < 0) {
		field_error_add(errs, "consent", "Select whether the speaker has agreed to the quote "
						 "being published");
		vrc = DOMAIN_EINVALID;
	} else if (in->consent > 0 && consent_date(in->consent_day, in->consent_month,
						   in->consent_year, &cd, errs) != DOMAIN_OK) {
		vrc = DOMAIN_EINVALID;
	}
	if (vrc != DOMAIN_OK)
		return vrc;
	if (in->consent > 0) {
		sbuf b;
		sbuf_init(&b, a, 16);
		date_iso(&b, cd);
		memcpy(on, b.buf, b.len < 10 ? b.len : 10);
	}
	if ((rc = count(d, &pos, "SELECT COALESCE(MAX(position), 0) + 1 FROM case_study_quotes"
				 " WHERE case_study_id = ?",
			"i", case_study_id)) != DB_OK)
		return rc;
	db_now_iso(now, 0);
	rc = exec(d,
		  "INSERT INTO case_study_quotes (case_study_id, position, quote, speaker, source,"
		  " source_id, consent, consent_on, consent_recorded_by, created_by, created_at)"
		  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		  "iivvsIisIIs", case_study_id, pos, quote, speaker,
		  in->source == QUOTE_IDEA_COMMENT      ? "idea_comment"
		  : in->source == QUOTE_SESSION_OUTCOME ? "session_outcome"
							: "typed",
		  in->source == QUOTE_TYPED ? (int64_t)0 : in->source_id, (int64_t)(in->consent > 0),
		  in->consent > 0 ? on : NULL, in->consent > 0 ? who->account_id : (int64_t)0,
		  who->account_id,
		  now);
	if (rc != DB_OK)
		return rc;
	*quote_id = db_last_insert_id(d);
	sbuf_init(&js, a, AUDIT_JSON_MAX);
	json_init(&j, &js);
	json_obj(&j);
	json_key(&j, "case_study_id");
	json_int(&j, case_study_id);
	json_key(&j, "quote");
	json_str(&j, quote);
	json_key(&j, "speaker");
	json_str(&j, speaker);
	json_key(&j, "consent");
	json_bool(&j, in->consent > 0);
	json_end(&j);
	return audit_record(d, who, "case_study_quote", *quote_id, "create", NULL,
			    js.err ? NULL : js.buf);
}

int case_study_quote_add(db *d, arena *a, const struct audit_actor *who, int64_t case_study_id,
			 const struct case_study_quote_input *in, struct field_errors *errs,
			 int64_t *quote_id)
{
	IN_TRANSACTION(d, case_study_quote_add_tx(d, a, who, case_study_id, in, errs, quote_id));
}

static int quote_exists(db *d, int64_t case_study_id, int64_t quote_id)
{
	int64_t n;
	int rc = count(d, &n, "SELECT COUNT(*) FROM case_study_quotes WHERE id = ? AND"
			      " case_study_id = ?",
		       "ii", quote_id, case_study_id);
	if (rc != DB_OK)
		return rc;
	return n ? DOMAIN_OK : DOMAIN_ENOTFOUND;
}

static int consent_tx(db *d, arena *a, const struct audit_actor *who, int64_t case_study_id,
		      int64_t quote_id, bool consent, sv day, sv month, sv year,
		      struct field_errors *errs)
{
	struct date cd;
	int rc = quote_exists(d, case_study_id, quote_id);
	if (rc != DOMAIN_OK)
		return rc;
	if (consent) {
		sbuf b;
		if ((rc = consent_date(day, month, year, &cd, errs)) != DOMAIN_OK)
			return rc;
		sbuf_init(&b, a, 16);
		date_iso(&b, cd);
		rc = exec(d, "UPDATE case_study_quotes SET consent = 1, consent_on = ?,"
			     " consent_recorded_by = ? WHERE id = ?",
			  "sIi", b.buf, who->account_id, quote_id);
	} else {
		rc = exec(d, "UPDATE case_study_quotes SET consent = 0, consent_on = NULL,"
			     " consent_recorded_by = ? WHERE id = ?",
			  "Ii", who->account_id, quote_id);
	}
	if (rc != DB_OK)
		return rc;
	return audit_record(d, who, "case_study_quote", quote_id,
			    consent ? "consent" : "consent_withdrawn", NULL, NULL);
}

int case_study_quote_consent(db *d, arena *a, const struct audit_actor *who,
			     int64_t case_study_id, int64_t quote_id, bool consent, sv day,
			     sv month, sv year, struct field_errors *errs)
{
	IN_TRANSACTION(d, consent_tx(d, a, who, case_study_id, quote_id, consent, day, month, year,
				     errs));
}

static int remove_tx(db *d, const struct audit_actor *who, int64_t case_study_id,
		     int64_t quote_id)
{
	int rc = quote_exists(d, case_study_id, quote_id);
	if (rc != DOMAIN_OK)
		return rc;
	if ((rc = exec(d, "DELETE FROM case_study_quotes WHERE id = ?", "i", quote_id)) != DB_OK)
		return rc;
	return audit_record(d, who, "case_study_quote", quote_id, "delete", NULL, NULL);
}

int case_study_quote_remove(db *d, arena *a, const struct audit_actor *who,
			    int64_t case_study_id, int64_t quote_id)
{
	(void)a;
	IN_TRANSACTION(d, remove_tx(d, who, case_study_id, quote_id));
}

/* --- Publishing ------------------------------------------------------------------------ */

int case_study_publish_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
			  struct date on, struct field_errors *errs)
{
	int64_t pid, waiting, published;
	char now[ISO_TIME_LEN];
	sbuf b;
	int rc = study_programme(d, id, &pid);
	if (rc != DOMAIN_OK)
		return rc;
	if ((rc = count(d, &published, "SELECT COUNT(*) FROM case_studies WHERE id = ? AND"
				       " status = 'published'",
			"i", id)) != DB_OK)
		return rc;
	if (published)
		return DOMAIN_OK;
	if ((rc = count(d, &waiting, "SELECT COUNT(*) FROM case_study_quotes WHERE"
				     " case_study_id = ? AND consent = 0",
			"i", id)) != DB_OK)
		return rc;
	if (waiting) {
		field_error_add(errs, "quotes",
				waiting == 1 ? "One quote is waiting for its speaker's consent: "
					       "record their consent or remove the quote"
					     : arena_printf(a, "%lld quotes are waiting for their "
							       "speakers' consent: record their "
							       "consent or remove the quotes",
							    (long long)waiting));
		return DOMAIN_ECONFLICT;
	}
	sbuf_init(&b, a, 16);
	date_iso(&b, on);
	db_now_iso(now, 0);
	rc = exec(d, "UPDATE case_studies SET status = 'published', published_on = ?,"
		     " published_by = ?, updated_at = ? WHERE id = ?",
		  "sIsi", b.buf, who->account_id, now, id);
	if (rc != DB_OK)
		return rc;
	return audit_record(d, who, "case_study", id, "publish", NULL, NULL);
}

int case_study_publish(db *d, arena *a, const struct audit_actor *who, int64_t id,
		       struct date on, struct field_errors *errs)
{
	IN_TRANSACTION(d, case_study_publish_tx(d, a, who, id, on, errs));
}

static int unpublish_tx(db *d, const struct audit_actor *who, int64_t id)
{
	int64_t pid;
	char now[ISO_TIME_LEN];
	int rc = study_programme(d, id, &pid);
	if (rc != DOMAIN_OK)
		return rc;
	db_now_iso(now, 0);
	rc = exec(d, "UPDATE case_studies SET status = 'draft', published_on = NULL,"
		     " published_by = NULL, updated_at = ? WHERE id = ?",
		  "si", now, id);
	if (rc != DB_OK)
		return rc;
	return audit_record(d, who, "case_study", id, "unpublish", NULL, NULL);
}

int case_study_unpublish(db *d, arena *a, const struct audit_actor *who, int64_t id)
{
	(void)a;
	IN_TRANSACTION(d, unpublish_tx(d, who, id));
}

/* --- Reading --------------------------------------------------------------------------- */

#define STUDY_COLS                                                                                 \
	"SELECT c.id, c.programme_id, p.slug, p.name, p.published, c.title, c.summary,"            \
	" c.issue_text, c.people_text, c.coproduced_text, c.decisions_text, c.board_text,"         \
	" c.changed_text, c.learned_text, c.status, c.published_on, c.updated_at,"                 \
	" (SELECT COUNT(*) FROM case_study_quotes q WHERE q.case_study_id = c.id)"                 \
	" FROM case_studies c JOIN programmes p ON p.id = c.programme_id "

static int study_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct case_study *c = item;
	memset(c, 0, sizeof(*c));
	c->id = db_col_int(st, 0);
	c->programme_id = db_col_int(st, 1);
	c->programme_slug = db_col_dup(st, 2, a);
	c->programme_name = db_col_dup(st, 3, a);
	c->programme_published = db_col_int(st, 4) != 0;
	c->title = db_col_dup(st, 5, a);
	c->summary = db_col_dup(st, 6, a);
	for (int p = 0; p < CASE_STUDY_PARTS; p++)
		c->part[p] = db_col_dup(st, 7 + p, a);
	c->published = strcmp(db_col_text(st, 14), "published") == 0;
	c->published_on = col_date(st, 15);
	c->updated_at = db_col_dup(st, 16, a);
	c->n_quotes = (size_t)db_col_int(st, 17);
	return DB_OK;
}

static int quote_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct case_study_quote *q = item;
	const char *src = db_col_text(st, 4);
	q->id = db_col_int(st, 0);
	q->position = (int)db_col_int(st, 1);
	q->quote = db_col_dup(st, 2, a);
	q->speaker = db_col_dup(st, 3, a);
	q->source = strcmp(src, "idea_comment") == 0	    ? QUOTE_IDEA_COMMENT
		    : strcmp(src, "session_outcome") == 0 ? QUOTE_SESSION_OUTCOME
							  : QUOTE_TYPED;
	q->source_id = db_col_int(st, 5);
	q->consent = db_col_int(st, 6) != 0;
	q->consent_on = col_date(st, 7);
	return DB_OK;
}

static int read_quotes(db *d, arena *a, struct case_study *c)
{
	db_stmt *st = db_prepare(d, "SELECT id, position, quote, speaker, source, source_id,"
				    " consent, consent_on FROM case_study_quotes"
				    " WHERE case_study_id = ? ORDER BY position, id");
	db_bind_int(st, 1, c->id);
	return db_collect(st, a, sizeof(*c->quotes), quote_row, NULL, &c->quotes, &c->n_quotes);
}

/* The day of the latest change to the narrative after the latest publishing, from the
 * audit log (updated_at also moves when it is published, so it cannot tell). */
static int last_updated(db *d, struct case_study *c)
{
	int rc;
	db_stmt *st = db_prepare(d, "SELECT at FROM audit_log WHERE entity = 'case_study'"
				    " AND entity_id = ? AND action = 'update' AND id >"
				    " (SELECT COALESCE(MAX(id), 0) FROM audit_log"
				    " WHERE entity = 'case_study' AND entity_id = ? AND action = 'publish')"
				    " ORDER BY id DESC LIMIT 1");
	if (!st)
		return DB_ERR;
	if (db_bind_int(st, 1, c->id) || db_bind_int(st, 2, c->id)) {
		db_done(st);
		return DB_ERR;
	}
	rc = db_step(st);
	if (rc == DB_ROW) {
		sv at = db_col_sv(st, 0);
		if (at.len > 10)
			at.len = 10;
		date_parse(at, &c->last_updated);
	}
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : (rc < 0 ? rc : DB_ERR);
}

int case_study_get(db *d, arena *a, int64_t id, struct case_study *out)
{
	int rc;
	rc = record_get(d, a, STUDY_COLS "WHERE c.id = ?", id, study_row, NULL, out);
	if (rc != DOMAIN_OK)
		return rc;
	if (out->published && (rc = last_updated(d, out)) != DB_OK)
		return rc;
	return read_quotes(d, a, out);
}

int case_study_list(db *d, arena *a, const struct case_study_filter *f, struct case_study **out,
		    size_t *n)
{
	static const struct case_study_filter all = {0};
	char from[16] = "", to[16] = "";
	db_stmt *st;
	if (!f)
		f = &all;
	if (f->published_from.y) {
		sbuf b;
		sbuf_init(&b, a, 16);
		date_iso(&b, f->published_from);
		memcpy(from, b.buf, b.len < 15 ? b.len : 15);
	}
	if (f->published_to.y) {
		sbuf b;
		sbuf_init(&b, a, 16);
		date_iso(&b, f->published_to);
		memcpy(to, b.buf, b.len < 15 ? b.len : 15);
	}
	st = db_prepare(d, STUDY_COLS
			"WHERE (? = 0 OR (c.status = 'published' AND p.published = 1))"
			" AND (? = 0 OR c.programme_id = ?)"
			" AND (? = 0 OR EXISTS (SELECT 1 FROM programme_priorities pp"
			"   WHERE pp.programme_id = c.programme_id AND pp.priority_area_id = ?))"
			" AND (? = '' OR c.published_on >= ?) AND (? = '' OR c.published_on <= ?)"
			" ORDER BY c.published_on DESC, c.id DESC LIMIT ?");
	db_bind_int(st, 1, f->published_only ? 1 : 0);
	db_bind_int(st, 2, f->programme_id);
	db_bind_int(st, 3, f->programme_id);
	db_bind_int(st, 4, f->area_id);
	db_bind_int(st, 5, f->area_id);
	db_bind_text(st, 6, from);
	db_bind_text(st, 7, from);
	db_bind_text(st, 8, to);
	db_bind_text(st, 9, to);
	db_bind_int(st, 10, CASE_STUDIES_MAX);
	return db_collect(st, a, sizeof(**out), study_row, NULL, out, n);
}

int case_study_count_for_area(db *d, int64_t area_id, int64_t *n)
{
	return count(d, n,
		     "SELECT COUNT(*) FROM case_studies c JOIN programmes p ON p.id = c.programme_id"
		     " JOIN programme_priorities pp ON pp.programme_id = p.id"
		     " WHERE c.status = 'published' AND p.published = 1 AND pp.priority_area_id = ?",
		     "i", area_id);
}

int case_study_writer(db *d, int64_t account_id, enum role role, int64_t programme_id)
{
	int64_t n;
	int rc;
	if (!account_id)
		return 0;
	if (role == ROLE_PROGRAMME_LEAD)
		return 1;
	rc = count(d, &n,
		   "SELECT COUNT(*) FROM programmes p WHERE p.id = ? AND (p.lead_account_id = ?"
		   " OR EXISTS (SELECT 1 FROM group_members m JOIN working_groups g"
		   "  ON g.id = m.group_id WHERE g.programme_id = p.id AND m.account_id = ?"
		   "  AND m.role_in_group = 'facilitator' AND m.left_on IS NULL))",
		   "iii", programme_id, account_id, account_id);
	if (rc != DB_OK)
		return rc;
	return n > 0 && (role == ROLE_FACILITATOR || role == ROLE_PROGRAMME_LEAD);
}

/* --- The figures from the records ------------------------------------------------------ */

static int facts_areas(db *d, arena *a, int64_t programme_id, struct case_study_facts *out)
{
	size_t cap = 0, cap2 = 0;
	int rc;
	db_stmt *st = db_prepare(d, "SELECT a.name, a.reframed_statement FROM priority_areas a"
				    " JOIN programme_priorities pp ON pp.priority_area_id = a.id"
				    " WHERE pp.programme_id = ? ORDER BY a.sort_order, a.id");
	if (!st)
		return DB_ERR;
	if (db_bind_int(st, 1, programme_id)) {
		db_done(st);
		return DB_ERR;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		size_t n = out->n_areas;
		if (!(out->areas = arena_grow(a, out->areas, n, &cap, sizeof(char *))) ||
		    !(out->statements = arena_grow(a, out->statements, n, &cap2, sizeof(char *)))) {
			rc = DB_ERR;
			break;
		}
		out->areas[n] = db_col_dup(st, 0, a);
		out->statements[n] = db_col_dup(st, 1, a);
		out->n_areas++;
	}
	db_done(st);
	return rc == DB_DONE ? DOMAIN_OK : rc < 0 ? rc : DB_ERR;
}

int case_study_facts(db *d, arena *a, int64_t programme_id, struct case_study_facts *out)
{
	int64_t local = 0, prof = 0;
	int rc;
	memset(out, 0, sizeof(*out));
	if ((rc = facts_areas(d, a, programme_id, out)) != DOMAIN_OK)
		return rc;
#define Q(dst, sql) \
	if ((rc = count(d, &(dst), sql, "i", programme_id)) != DB_OK) \
		return rc
	Q(local, "SELECT COUNT(DISTINCT m.account_id) FROM group_members m JOIN working_groups g"
		 " ON g.id = m.group_id WHERE g.programme_id = ? AND m.role_in_group = 'local_person'");
	Q(prof, "SELECT COUNT(DISTINCT m.account_id) FROM group_members m JOIN working_groups g"
		" ON g.id = m.group_id WHERE g.programme_id = ? AND m.role_in_group <> 'local_person'");
	Q(out->n_groups, "SELECT COUNT(*) FROM working_groups WHERE programme_id = ?");
	Q(out->sessions_held, "SELECT COUNT(*) FROM group_sessions s JOIN working_groups g"
			      " ON g.id = s.group_id WHERE g.programme_id = ? AND s.status = 'held'");
	Q(out->ideas, "SELECT COUNT(*) FROM ideas WHERE programme_id = ?");
	Q(out->concepts_or_more, "SELECT COUNT(*) FROM ideas WHERE programme_id = ? AND status <> 'idea'");
	Q(out->ideas_local, "SELECT COUNT(*) FROM ideas WHERE programme_id = ? AND side = 'local'");
	Q(out->ideas_professional, "SELECT COUNT(*) FROM ideas WHERE programme_id = ?"
				   " AND side = 'professional'");
	Q(out->amendments_local, "SELECT COUNT(*) FROM idea_revisions r JOIN ideas i ON i.id = r.idea_id"
				 " WHERE i.programme_id = ? AND r.is_amendment = 1 AND r.side = 'local'");
	Q(out->amendments_professional,
	  "SELECT COUNT(*) FROM idea_revisions r JOIN ideas i ON i.id = r.idea_id"
	  " WHERE i.programme_id = ? AND r.is_amendment = 1 AND r.side = 'professional'");
	Q(out->decisions_closed, "SELECT COUNT(*) FROM decisions dd JOIN working_groups g"
				 " ON g.id = dd.group_id WHERE g.programme_id = ? AND dd.status = 'closed'");
	Q(out->positions_local, "SELECT COUNT(*) FROM decision_positions dp JOIN decisions dd"
				" ON dd.id = dp.decision_id JOIN working_groups g ON g.id = dd.group_id"
				" WHERE g.programme_id = ? AND dd.status = 'closed' AND dp.side = 'local'");
	Q(out->positions_professional,
	  "SELECT COUNT(*) FROM decision_positions dp JOIN decisions dd ON dd.id = dp.decision_id"
	  " JOIN working_groups g ON g.id = dd.group_id WHERE g.programme_id = ?"
	  " AND dd.status = 'closed' AND dp.side = 'professional'");
	Q(out->proposals, "SELECT COUNT(*) FROM board_papers b JOIN ideas i ON i.id = b.idea_id"
			  " WHERE i.programme_id = ?");
	Q(out->supported, "SELECT COUNT(*) FROM board_papers b JOIN ideas i ON i.id = b.idea_id"
			  " WHERE i.programme_id = ? AND b.decision = 'supported'");
	Q(out->not_supported, "SELECT COUNT(*) FROM board_papers b JOIN ideas i ON i.id = b.idea_id"
			      " WHERE i.programme_id = ? AND b.decision = 'not_supported'");
	Q(out->deferred, "SELECT COUNT(*) FROM board_papers b JOIN ideas i ON i.id = b.idea_id"
			 " WHERE i.programme_id = ? AND b.decision = 'deferred'");
	Q(out->pending, "SELECT COUNT(*) FROM board_papers b JOIN ideas i ON i.id = b.idea_id"
			" WHERE i.programme_id = ? AND b.decision = 'pending'");
	Q(out->plans, "SELECT COUNT(*) FROM delivery_plans dp JOIN ideas i ON i.id = dp.idea_id"
		      " WHERE i.programme_id = ?");
	Q(out->in_locality_plan, "SELECT COUNT(*) FROM delivery_plans dp JOIN ideas i"
				 " ON i.id = dp.idea_id WHERE i.programme_id = ? AND dp.in_locality_plan = 1");
	Q(out->actions, "SELECT COUNT(*) FROM delivery_actions da JOIN delivery_plans dp"
			" ON dp.id = da.plan_id JOIN ideas i ON i.id = dp.idea_id WHERE i.programme_id = ?");
	Q(out->actions_done, "SELECT COUNT(*) FROM delivery_actions da JOIN delivery_plans dp"
			     " ON dp.id = da.plan_id JOIN ideas i ON i.id = dp.idea_id"
			     " WHERE i.programme_id = ? AND da.status = 'done'");
	Q(out->milestones, "SELECT COUNT(*) FROM delivery_milestones m JOIN delivery_plans dp"
			   " ON dp.id = m.plan_id JOIN ideas i ON i.id = dp.idea_id WHERE i.programme_id = ?");
	Q(out->milestones_reached, "SELECT COUNT(*) FROM delivery_milestones m JOIN delivery_plans dp"
				   " ON dp.id = m.plan_id JOIN ideas i ON i.id = dp.idea_id"
				   " WHERE i.programme_id = ? AND m.reached_on IS NOT NULL");
	Q(out->learning_entries, "SELECT COUNT(*) FROM learning_entries WHERE programme_id = ?");
	Q(out->noticed_shift, "SELECT COUNT(*) FROM learning_entries WHERE programme_id = ?"
			      " AND noticed_shift = 1");
	Q(out->ideas_tested, "SELECT COUNT(DISTINCT t.idea_id) FROM idea_tests t JOIN ideas i"
			     " ON i.id = t.idea_id WHERE i.programme_id = ?");
#undef Q
	out->local_people = disclosure_count(local);
	out->professionals = disclosure_count(prof);
	return DOMAIN_OK;
}

static int candidate_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct quote_candidate *q = item;
	q->source = db_col_int(st, 0) == 1 ? QUOTE_IDEA_COMMENT : QUOTE_SESSION_OUTCOME;
	q->id = db_col_int(st, 1);
	q->text = db_col_dup(st, 2, a);
	q->context = db_col_dup(st, 3, a);
	q->side = db_col_dup(st, 4, a);
	return DB_OK;
}

int case_study_quote_candidates(db *d, arena *a, int64_t programme_id, size_t limit,
				struct quote_candidate **out, size_t *n)
{
	db_stmt *st = db_prepare(
		d, "SELECT 1, c.id, c.body, i.title, c.side, c.created_at FROM idea_comments c"
		   " JOIN ideas i ON i.id = c.idea_id WHERE i.programme_id = ?"
		   " UNION ALL SELECT 2, o.id, o.text, s.title, '', s.starts_at FROM session_outcomes o"
		   " JOIN group_sessions s ON s.id = o.session_id"
		   " JOIN working_groups g ON g.id = s.group_id WHERE g.programme_id = ?"
		   " ORDER BY 6 DESC, 2 DESC LIMIT ?");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, programme_id);
	db_bind_int(st, 3, (int64_t)limit);
	return db_collect(st, a, sizeof(**out), candidate_row, NULL, out, n);
}
