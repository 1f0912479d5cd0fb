/* priorities.c: reading and adding priority areas, their boards and indicators. */
#include "domain/priorities.h"

#include <string.h>

#include "core/escape.h"
#include "core/log.h"
#include "core/str.h"
#include "domain/validate.h"

enum {
	/* The audit record of a new area: its texts at their maximum, every byte escaped
	 * as \u00XX, still fit. */
	PRIORITY_JSON_MAX = 6 * (3 * PRIORITY_TEXT_MAX +
				 (PRIORITY_INDICATORS_MAX + 3) * PRIORITY_NAME_MAX) + 4096,
	PRIORITY_ARENA_MAX = 2 * PRIORITY_JSON_MAX,
	/* Most indicator rows priorities_list reads in one go. */
	INDICATOR_ROWS_MAX = PRIORITIES_MAX * PRIORITY_INDICATORS_MAX,
};

#define AREA_COLUMNS                                                                        \
	"SELECT p.id, p.slug, p.name, p.original_framing, p.reframed_statement, p.summary, " \
	"b.name FROM priority_areas p LEFT JOIN partnerships b ON b.id = p.partnership_id "

static int dup_text(db_stmt *s, int i, arena *a, char **out)
{
	*out = db_col_dup(s, i, a);
	if (*out)
		return DB_OK;
	return db_col_null(s, i) ? DB_OK : DB_ERR; /* not NULL: the arena is full */
}

static int area_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct priority_area *p = item;
	memset(p, 0, sizeof(*p));
	p->id = db_col_int(s, 0);
	int rc = dup_text(s, 1, a, &p->slug);
	if (!rc)
		rc = dup_text(s, 2, a, &p->name);
	if (!rc)
		rc = dup_text(s, 3, a, &p->original_framing);
	if (!rc)
		rc = dup_text(s, 4, a, &p->reframed_statement);
	if (!rc)
		rc = dup_text(s, 5, a, &p->summary);
	if (!rc)
		rc = dup_text(s, 6, a, &p->partnership);
	return rc;
}

static int step_rc(int rc)
{
	return rc < 0 ? rc : DB_ERR;
}

/* Indicators. */

struct indicator_row {
	int64_t area_id;
	char *name;
};

/* Reads indicator rows (grouped by area, in order) for one area (AREA_ID > 0) or all. */
static int indicator_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct indicator_row *r = item;
	r->area_id = db_col_int(s, 0);
	int rc = dup_text(s, 1, a, &r->name);
	return !rc && !r->name ? DB_ERR : rc; /* name is NOT NULL */
}

static int read_indicators(db *d, arena *a, int64_t area_id, struct indicator_row **out,
			   size_t *n)
{
	db_stmt *s = area_id > 0 ? db_prepare(d, "SELECT priority_area_id, name "
						 "FROM priority_indicators WHERE priority_area_id = ? "
						 "ORDER BY sort_order, id LIMIT ?")
				 : db_prepare(d, "SELECT priority_area_id, name "
						 "FROM priority_indicators "
						 "ORDER BY priority_area_id, sort_order, id LIMIT ?");
	int p = 1;
	if (area_id > 0)
		db_bind_int(s, p++, area_id);
	/* One more than may be kept, to tell a full list from one that was cut short. */
	db_bind_int(s, p, INDICATOR_ROWS_MAX + 1);
	int rc = db_collect(s, a, sizeof(**out), indicator_row, NULL, out, n);
	if (rc == DB_OK && *n > INDICATOR_ROWS_MAX) {
		log_error("priorities: more than %d indicators", INDICATOR_ROWS_MAX);
		*out = NULL;
		*n = 0;
		rc = DB_ERR;
	}
	return rc;
}

/* Points P's indicators at its run of ROWS (sorted by area id). */
static int attach_indicators(arena *a, struct priority_area *p, const struct indicator_row *rows,
			     size_t n)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (rows[mid].area_id < p->id)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < n && rows[end].area_id == p->id)
		end++;
	p->n_indicators = end - lo;
	p->indicators = arena_calloc(a, p->n_indicators + 1, sizeof(*p->indicators));
	if (!p->indicators)
		return DB_ERR;
	for (size_t i = lo; i < end; i++)
		p->indicators[i - lo] = rows[i].name;
	return DB_OK;
}

/* Reading. */

int priorities_list(db *d, arena *a, struct priority_area **out, size_t *n)
{
	struct priority_area *items;
	size_t count;
	db_stmt *s = db_prepare(d, AREA_COLUMNS "ORDER BY p.sort_order, p.id LIMIT ?");
	db_bind_int(s, 1, PRIORITIES_MAX);
	*out = NULL;
	*n = 0;
	int rc = db_collect(s, a, sizeof(*items), area_row, NULL, &items, &count);
	if (rc)
		return rc;

	struct indicator_row *rows = NULL;
	size_t nrows = 0;
	rc = read_indicators(d, a, 0, &rows, &nrows);
	for (size_t i = 0; !rc && i < count; i++)
		rc = attach_indicators(a, &items[i], rows, nrows);
	if (rc)
		return rc;
	*out = items;
	*n = count;
	return DB_OK;
}

int priorities_get_by_slug(db *d, arena *a, const char *slug, struct priority_area *out)
{
	memset(out, 0, sizeof(*out));
	db_stmt *s = db_prepare(d, AREA_COLUMNS "WHERE p.slug = ?");
	db_bind_text(s, 1, slug);
	int rc = db_one(s, a, area_row, NULL, out);
	if (rc)
		return rc;

	struct indicator_row *rows = NULL;
	size_t nrows = 0;
	rc = read_indicators(d, a, out->id, &rows, &nrows);
	if (!rc)
		rc = attach_indicators(a, out, rows, nrows);
	return rc;
}

/* Adding. */

bool priorities_slug_valid(const char *slug)
{
	size_t len = slug ? strlen(slug) : 0;
	if (len == 0 || len > PRIORITY_SLUG_MAX || slug[0] == '-' || slug[len - 1] == '-')
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = slug[i];
		if (c == '-' && slug[i + 1] == '-')
			return false;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
	}
	return true;
}

static bool text_ok(const char *s, size_t max, bool required)
{
	size_t len = s ? strlen(s) : 0;
	return len <= max && (len > 0 || !required);
}

static bool new_valid(const struct priority_new *p)
{
	if (!priorities_slug_valid(p->slug) || !text_ok(p->name, PRIORITY_NAME_MAX, true) ||
	    !text_ok(p->original_framing, PRIORITY_TEXT_MAX, true) ||
	    !text_ok(p->reframed_statement, PRIORITY_TEXT_MAX, true) ||
	    !text_ok(p->summary, PRIORITY_TEXT_MAX, false) ||
	    !text_ok(p->partnership, PRIORITY_NAME_MAX, false) ||
	    p->n_indicators > PRIORITY_INDICATORS_MAX || (p->n_indicators && !p->indicators))
		return false;
	for (size_t i = 0; i < p->n_indicators; i++)
		if (!text_ok(p->indicators[i], PRIORITY_NAME_MAX, true))
			return false;
	return true;
}

static void json_str(sbuf *b, const char *key, const char *val, bool last)
{
	sbuf_addc(b, '"');
	sbuf_adds(b, key);
	sbuf_adds(b, "\":");
	if (val) {
		sbuf_addc(b, '"');
		esc_json(b, sv_from(val));
		sbuf_addc(b, '"');
	} else {
		sbuf_adds(b, "null");
	}
	if (!last)
		sbuf_addc(b, ',');
}

/* The area as the audit log keeps it; NULL if it does not fit (it always should). */
static const char *area_json(arena *a, const struct priority_new *p, int64_t partnership_id)
{
	sbuf b;
	sbuf_init(&b, a, PRIORITY_JSON_MAX);
	sbuf_addc(&b, '{');
	json_str(&b, "slug", p->slug, false);
	json_str(&b, "name", p->name, false);
	json_str(&b, "original_framing", p->original_framing, false);
	json_str(&b, "reframed_statement", p->reframed_statement, false);
	json_str(&b, "summary", p->summary ? p->summary : "", false);
	json_str(&b, "partnership", partnership_id ? p->partnership : NULL, false);
	sbuf_adds(&b, "\"indicators\":[");
	for (size_t i = 0; i < p->n_indicators; i++) {
		if (i)
			sbuf_addc(&b, ',');
		sbuf_addc(&b, '"');
		esc_json(&b, sv_from(p->indicators[i]));
		sbuf_addc(&b, '"');
	}
	sbuf_adds(&b, "]}");
	return b.err ? NULL : b.buf;
}

/* Finds the board NAME, adding it (and its audit record) if new. */
static int partnership_id(db *d, arena *a, const struct audit_actor *who, const char *name,
			  int64_t *id)
{
	db_stmt *s = db_prepare(d, "SELECT id FROM partnerships WHERE name = ?");
	if (!s)
		return DB_ERR;
	int rc = db_bind_text(s, 1, name);
	if (!rc)
		rc = db_step(s);
	if (rc == DB_ROW)
		*id = db_col_int(s, 0);
	db_done(s);
	if (rc == DB_ROW)
		return DB_OK;
	if (rc != DB_DONE)
		return step_rc(rc);

	s = db_prepare(d, "INSERT INTO partnerships (name) VALUES (?)");
	if (!s)
		return DB_ERR;
	rc = db_bind_text(s, 1, name);
	if (!rc)
		rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return step_rc(rc);
	*id = db_last_insert_id(d);

	sbuf b;
	sbuf_init(&b, a, PRIORITY_JSON_MAX);
	sbuf_addc(&b, '{');
	json_str(&b, "name", name, true);
	sbuf_addc(&b, '}');
	if (b.err)
		return DB_ERR;
	return audit_record(d, who, "partnership", *id, "create", NULL, b.buf);
}

static int insert_area(db *d, const struct priority_new *p, int64_t board, int64_t *id)
{
	char now[32];
	db_now_iso(now, 0);
	/* New areas go after the existing ones. */
	db_stmt *s = db_prepare(d,
		"INSERT INTO priority_areas (slug, name, original_framing, reframed_statement, "
		"summary, partnership_id, sort_order, created_at, updated_at) VALUES "
		"(?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM priority_areas), "
		"?, ?)");
	if (!s)
		return DB_ERR;
	int rc = db_bind_text(s, 1, p->slug);
	if (!rc)
		rc = db_bind_text(s, 2, p->name);
	if (!rc)
		rc = db_bind_text(s, 3, p->original_framing);
	if (!rc)
		rc = db_bind_text(s, 4, p->reframed_statement);
	if (!rc)
		rc = db_bind_text(s, 5, p->summary ? p->summary : "");
	if (!rc)
		rc = board ? db_bind_int(s, 6, board) : db_bind_null(s, 6);
	if (!rc)
		rc = db_bind_text(s, 7, now);
	if (!rc)
		rc = db_bind_text(s, 8, now);
	if (!rc)
		rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return step_rc(rc);
	*id = db_last_insert_id(d);
	return DB_OK;
}

static int insert_indicators(db *d, int64_t area, const struct priority_new *p)
{
	for (size_t i = 0; i < p->n_indicators; i++) {
		db_stmt *s = db_prepare(d, "INSERT INTO priority_indicators "
					   "(priority_area_id, name, sort_order) VALUES (?, ?, ?)");
		if (!s)
			return DB_ERR;
		int rc = db_bind_int(s, 1, area);
		if (!rc)
			rc = db_bind_text(s, 2, p->indicators[i]);
		if (!rc)
			rc = db_bind_int(s, 3, (int64_t)i + 1);
		if (!rc)
			rc = db_step(s);
		db_done(s);
		if (rc != DB_DONE)
			return step_rc(rc);
	}
	return DB_OK;
}

int priorities_add_tx(db *d, arena *a, const struct audit_actor *who,
		      const struct priority_new *p, int64_t *id_out)
{
	int64_t board = 0, new_id = 0, *id = &new_id;
	int rc = DB_OK;
	if (!new_valid(p)) {
		log_warn("priorities: refused an area with a missing or oversized field");
		return DB_ERR;
	}
	if (p->partnership && *p->partnership)
		rc = partnership_id(d, a, who, p->partnership, &board);
	if (!rc)
		rc = insert_area(d, p, board, id);
	if (!rc)
		rc = insert_indicators(d, *id, p);
	if (rc)
		return rc;
	const char *after = area_json(a, p, board);
	if (!after)
		return DB_ERR;
	rc = audit_record(d, who, "priority_area", *id, "create", NULL, after);
	if (!rc && id_out)
		*id_out = new_id;
	return rc;
}

int priorities_add(db *d, const struct audit_actor *who, const struct priority_new *p,
		   int64_t *id)
{
	int64_t new_id = 0;
	arena *a = arena_new(PRIORITY_ARENA_MAX);
	if (!a)
		return DB_ERR;
	int rc = db_begin(d);
	if (rc)
		goto out;
	rc = priorities_add_tx(d, a, who, p, &new_id);
	if (!rc)
		rc = db_commit(d);
	if (rc)
		db_rollback(d);
out:
	arena_free(a);
	if (!rc && id)
		*id = new_id;
	return rc;
}

/* The positive statement and its history. */

int priorities_statement_update_tx(db *d, arena *a, const struct audit_actor *who,
				   int64_t area_id, sv statement, struct field_errors *fe)
{
	char now[32], *old = NULL, *next;
	sbuf before, after;
	db_stmt *s = db_prepare(d, "SELECT reframed_statement FROM priority_areas WHERE id = ?");
	int rc;
	if (!s)
		return DB_ERR;
	rc = db_bind_int(s, 1, area_id);
	if (!rc)
		rc = db_step(s);
	if (rc == DB_ROW)
		rc = dup_text(s, 0, a, &old);
	db_done(s);
	if (rc == DB_DONE)
		return DOMAIN_ENOTFOUND;
	if (rc)
		return step_rc(rc);

	statement = sv_trim(statement);
	if (!statement.len)
		field_error_add(fe, "reframed_statement", "Enter the positive statement");
	else if (statement.len > PRIORITY_TEXT_MAX)
		field_error_add(fe, "reframed_statement",
				"The statement must be 10,000 characters or fewer");
	else if (old && sv_eq_cstr(statement, old))
		field_error_add(fe, "reframed_statement",
				"The statement is the same as now. Change it, or go back");
	if (field_errors_any(fe))
		return DOMAIN_EINVALID;
	next = sv_dup(a, statement);
	if (!next || !old)
		return DB_ERR;

	db_now_iso(now, 0);
	s = db_prepare(d, "INSERT INTO priority_statement_history (priority_area_id, "
			  "reframed_statement, changed_by, changed_at) VALUES (?, ?, ?, ?)");
	if (!s)
		return DB_ERR;
	rc = db_bind_int(s, 1, area_id);
	if (!rc)
		rc = db_bind_text(s, 2, old);
	if (!rc)
		rc = who->account_id ? db_bind_int(s, 3, who->account_id) : db_bind_null(s, 3);
	if (!rc)
		rc = db_bind_text(s, 4, now);
	if (!rc)
		rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return step_rc(rc);

	s = db_prepare(d, "UPDATE priority_areas SET reframed_statement = ?, updated_at = ? "
			  "WHERE id = ?");
	if (!s)
		return DB_ERR;
	rc = db_bind_text(s, 1, next);
	if (!rc)
		rc = db_bind_text(s, 2, now);
	if (!rc)
		rc = db_bind_int(s, 3, area_id);
	if (!rc)
		rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return step_rc(rc);

	sbuf_init(&before, a, PRIORITY_JSON_MAX);
	sbuf_addc(&before, '{');
	json_str(&before, "reframed_statement", old, true);
	sbuf_addc(&before, '}');
	sbuf_init(&after, a, PRIORITY_JSON_MAX);
	sbuf_addc(&after, '{');
	json_str(&after, "reframed_statement", next, true);
	sbuf_addc(&after, '}');
	if (before.err || after.err)
		return DB_ERR;
	return audit_record(d, who, "priority_area", area_id, "update_statement", before.buf,
			    after.buf);
}

int priorities_statement_update(db *d, arena *a, const struct audit_actor *who, int64_t area_id,
				sv statement, struct field_errors *fe)
{
	int rc = db_begin(d);
	if (rc)
		return rc;
	rc = priorities_statement_update_tx(d, a, who, area_id, statement, fe);
	if (!rc)
		rc = db_commit(d);
	if (rc)
		db_rollback(d);
	return rc;
}

static int change_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct priority_statement_change *c = item;
	int rc = dup_text(s, 0, a, &c->statement);
	if (!rc)
		rc = dup_text(s, 1, a, &c->changed_at);
	if (!rc)
		rc = dup_text(s, 2, a, &c->changed_by_name);
	return rc;
}

int priorities_statement_history(db *d, arena *a, int64_t area_id,
				 struct priority_statement_change **out, size_t *n)
{
	db_stmt *s = db_prepare(d, "SELECT h.reframed_statement, h.changed_at, u.display_name "
				   "FROM priority_statement_history h "
				   "LEFT JOIN accounts u ON u.id = h.changed_by "
				   "WHERE h.priority_area_id = ? ORDER BY h.changed_at DESC, h.id DESC "
				   "LIMIT ?");
	db_bind_int(s, 1, area_id);
	db_bind_int(s, 2, PRIORITY_HISTORY_MAX);
	return db_collect(s, a, sizeof(**out), change_row, NULL, out, n);
}
