/* returns.c: organisations' half-yearly co-production returns; see returns.h. The rungs'
 * meanings paraphrase the ladder of co-production by Think Local Act Personal and the
 * National Co-production Advisory Group. */
#include "domain/returns.h"

#include <string.h>

#include "core/json.h"
#include "domain/record.h"
#include "domain/sessions.h"

#define AUDIT_JSON_MAX (64 * 1024)

static const struct {
	enum ladder_rung r;
	const char *slug, *label, *meaning;
} rungs[LADDER_RUNGS] = {
	{RUNG_COERCION, "coercion", "Coercion",
	 "People attend as passive recipients and their views are not considered."},
	{RUNG_EDUCATING, "educating", "Educating",
	 "We help people understand how services are designed and delivered."},
	{RUNG_INFORMING, "informing", "Informing",
	 "We tell people about services and may explain the decisions we made."},
	{RUNG_CONSULTATION, "consultation", "Consultation",
	 "We ask for views through surveys or meetings, but people have no power to make us act "
	 "on them."},
	{RUNG_ENGAGEMENT, "engagement", "Engagement",
	 "People have more chances to give their views and can influence some decisions, as far "
	 "as we allow."},
	{RUNG_CO_DESIGN, "co_design", "Co-design",
	 "People help design services and have real influence, but are not involved in seeing "
	 "them through."},
	{RUNG_CO_PRODUCTION, "co_production", "Co-production",
	 "People and professionals work as equals, together, from design through to delivery."},
};

const char *ladder_rung_slug(enum ladder_rung r)
{
	return r >= 0 && r < LADDER_RUNGS ? rungs[r].slug : "";
}

const char *ladder_rung_label(enum ladder_rung r)
{
	return r >= 0 && r < LADDER_RUNGS ? rungs[r].label : "";
}

const char *ladder_rung_meaning(enum ladder_rung r)
{
	return r >= 0 && r < LADDER_RUNGS ? rungs[r].meaning : "";
}

enum ladder_rung ladder_rung_parse(sv s)
{
	for (int i = 0; i < LADDER_RUNGS; i++)
		if (sv_eq_cstr(s, rungs[i].slug))
			return rungs[i].r;
	return RUNG_NONE;
}

/* --- Periods --------------------------------------------------------------------------- */

bool return_period_valid(sv p)
{
	int y = 0;
	if (p.len != 7 || p.ptr[4] != '-' || p.ptr[5] != 'H' || (p.ptr[6] != '1' && p.ptr[6] != '2'))
		return false;
	for (int i = 0; i < 4; i++) {
		if (p.ptr[i] < '0' || p.ptr[i] > '9')
			return false;
		y = y * 10 + (p.ptr[i] - '0');
	}
	return y >= 2000 && y <= 2199;
}

const char *return_period_label(arena *a, sv p)
{
	if (!return_period_valid(p))
		return "";
	return arena_printf(a, "%s %.4s", p.ptr[6] == '1' ? "January to June" : "July to December",
			    p.ptr);
}

/* Writes "YYYY-HN" for year Y (kept to four digits) and half H (1 or 2). */
static void put_period(char out[RETURN_PERIOD_LEN], int y, int h)
{
	unsigned u = (unsigned)(y < 0 ? 0 : y % 10000);
	out[0] = (char)('0' + u / 1000);
	out[1] = (char)('0' + u / 100 % 10);
	out[2] = (char)('0' + u / 10 % 10);
	out[3] = (char)('0' + u % 10);
	out[4] = '-';
	out[5] = 'H';
	out[6] = h == 1 ? '1' : '2';
	out[7] = '\0';
}

void return_period_of(struct date day, char out[RETURN_PERIOD_LEN])
{
	put_period(out, day.y, day.m <= 6 ? 1 : 2);
}

void return_period_before(const char *period, char out[RETURN_PERIOD_LEN])
{
	int y = (period[0] - '0') * 1000 + (period[1] - '0') * 100 + (period[2] - '0') * 10 +
		(period[3] - '0');
	if (period[6] == '2')
		put_period(out, y, 1);
	else
		put_period(out, y - 1, 2);
}

/* --- Filing ---------------------------------------------------------------------------- */

static sv need_text(sv s, const char *field, const char *empty, const char *too_long,
		    struct field_errors *errs, int *rc)
{
	sv t = sv_trim(s);
	if (!t.ptr || !t.len) {
		field_error_add(errs, field, empty);
		*rc = DOMAIN_EINVALID;
		return SV("");
	}
	if (t.len > RETURN_TEXT_MAX) {
		field_error_add(errs, field, too_long);
		*rc = DOMAIN_EINVALID;
	}
	return t;
}

int return_file_tx(db *d, arena *a, const struct audit_actor *who, int64_t organisation_id,
		   const struct return_new *in, struct field_errors *errs, int64_t *id)
{
	int rc = DOMAIN_OK, bad = 0, step;
	sv period = sv_trim(in->period), done, changed;
	enum ladder_rung rung = ladder_rung_parse(in->rung);
	char now[ISO_TIME_LEN], current[RETURN_PERIOD_LEN];
	int64_t new_id;
	db_stmt *st;
	sbuf js;
	json j;

	if (organisation_id <= 0)
		return DOMAIN_EFORBIDDEN;
	return_period_of(date_today(), current);
	if (!return_period_valid(period)) {
		field_error_add(errs, "period", "Select the half year the return is for");
		rc = DOMAIN_EINVALID;
	} else if (memcmp(period.ptr, current, 7) > 0) {
		field_error_add(errs, "period", "You cannot file a return for a half year that has "
						"not started");
		rc = DOMAIN_EINVALID;
	} else {
		st = db_prepare(d, "SELECT 1 FROM organisation_returns WHERE organisation_id = ?"
				   " AND period = ?");
		if (!st)
			return DB_ERR;
		bad |= db_bind_int(st, 1, organisation_id);
		bad |= db_bind_sv(st, 2, period);
		step = bad ? DB_ERR : db_step(st);
		db_done(st);
		if (step < 0)
			return step;
		if (step == DB_ROW) {
			field_error_add(errs, "period",
					arena_printf(a, "Your organisation has already filed its "
							"return for %s",
						     return_period_label(a, period)));
			rc = DOMAIN_EINVALID;
		}
	}
	done = need_text(in->what_done, "what_done", "Enter what co-production your organisation did",
			 "What your organisation did must be 10,000 characters or fewer", errs, &rc);
	if (rung == RUNG_NONE) {
		field_error_add(errs, "rung", "Select the rung of the ladder your organisation reached");
		rc = DOMAIN_EINVALID;
	}
	changed = need_text(in->what_changed, "what_changed", "Enter what changed as a result",
			    "What changed must be 10,000 characters or fewer", errs, &rc);
	if (rc != DOMAIN_OK)
		return rc;

	db_now_iso(now, 0);
	st = db_prepare(d, "INSERT INTO organisation_returns (organisation_id, period, what_done,"
			   " ladder_rung, what_changed, filed_by, filed_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERR;
	bad = 0;
	bad |= db_bind_int(st, 1, organisation_id);
	bad |= db_bind_sv(st, 2, period);
	bad |= db_bind_sv(st, 3, done);
	bad |= db_bind_text(st, 4, ladder_rung_slug(rung));
	bad |= db_bind_sv(st, 5, changed);
	bad |= who->account_id ? db_bind_int(st, 6, who->account_id) : db_bind_null(st, 6);
	bad |= db_bind_text(st, 7, now);
	step = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (step == DB_ECONSTRAINT) {
		/* Filed by a colleague since the check above. */
		field_error_add(errs, "period", "Your organisation has already filed this return");
		return DOMAIN_EINVALID;
	}
	if (step != DB_DONE)
		return step < 0 ? step : DB_ERR;
	new_id = db_last_insert_id(d);

	sbuf_init(&js, a, AUDIT_JSON_MAX);
	json_init(&j, &js);
	json_obj(&j);
	json_key(&j, "organisation_id");
	json_int(&j, organisation_id);
	json_key(&j, "period");
	json_str(&j, period);
	json_key(&j, "ladder_rung");
	json_cstr(&j, ladder_rung_slug(rung));
	json_key(&j, "what_done");
	json_str(&j, done);
	json_key(&j, "what_changed");
	json_str(&j, changed);
	json_end(&j);
	if (js.err)
		return DB_ERR;
	rc = audit_record(d, who, "organisation_return", new_id, "file", NULL, js.buf);
	if (rc == DB_OK && id)
		*id = new_id;
	return rc;
}

int return_file(db *d, arena *a, const struct audit_actor *who, int64_t organisation_id,
		const struct return_new *in, struct field_errors *errs, int64_t *id)
{
	int rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	rc = return_file_tx(d, a, who, organisation_id, in, errs, id);
	if (rc == DOMAIN_OK)
		rc = db_commit(d);
	if (rc != DOMAIN_OK)
		db_rollback(d);
	return rc;
}

/* --- Reading --------------------------------------------------------------------------- */

#define RETURN_COLUMNS                                                                    \
	"SELECT r.id, r.organisation_id, o.name, r.period, r.what_done, r.what_changed,"   \
	" r.ladder_rung, ac.display_name, r.filed_at FROM organisation_returns r"          \
	" JOIN organisations o ON o.id = r.organisation_id"                                \
	" LEFT JOIN accounts ac ON ac.id = r.filed_by"

static int return_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct org_return *r = item;
	sv period = db_col_sv(st, 3);
	r->id = db_col_int(st, 0);
	r->organisation_id = db_col_int(st, 1);
	r->organisation_name = db_col_dup(st, 2, a);
	snprintf(r->period, sizeof(r->period), "%.*s", (int)(period.len < 7 ? period.len : 7),
		 period.ptr ? period.ptr : "");
	r->what_done = db_col_dup(st, 4, a);
	r->what_changed = db_col_dup(st, 5, a);
	r->rung = ladder_rung_parse(db_col_sv(st, 6));
	r->filed_by_name = db_col_dup(st, 7, a);
	r->filed_at = db_col_dup(st, 8, a);
	return r->organisation_name && r->what_done && r->what_changed && r->filed_at ? DB_OK
										      : DB_ERR;
}

int return_get(db *d, arena *a, int64_t id, struct org_return *out)
{
	return record_get(d, a, RETURN_COLUMNS " WHERE r.id = ?", id, return_row, NULL, out);
}

int returns_for_organisation(db *d, arena *a, int64_t organisation_id, struct org_return **out,
			     size_t *n)
{
	db_stmt *st = db_prepare(d, RETURN_COLUMNS " WHERE r.organisation_id = ?"
				 " ORDER BY r.period DESC LIMIT ?");
	db_bind_int(st, 1, organisation_id);
	db_bind_int(st, 2, RETURNS_MAX);
	return db_collect(st, a, sizeof(**out), return_row, NULL, out, n);
}

static int status_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct return_status *s = item;
	s->organisation_id = db_col_int(st, 0);
	s->organisation_name = db_col_dup(st, 1, a);
	s->n_board_members = (size_t)db_col_int(st, 2);
	s->return_id = db_col_null(st, 3) ? 0 : db_col_int(st, 3);
	s->filed_at = db_col_dup(st, 4, a);
	s->rung = ladder_rung_parse(db_col_sv(st, 5));
	return s->organisation_name ? DB_OK : DB_ERR;
}

int returns_status(db *d, arena *a, const char *period, struct return_status **out, size_t *n)
{
	db_stmt *st = db_prepare(
		d, "SELECT o.id, o.name, COUNT(DISTINCT b.id), r.id, r.filed_at, r.ladder_rung"
		   " FROM organisations o JOIN accounts b ON b.organisation_id = o.id"
		   " AND b.role = 'board_member' AND b.disabled_at IS NULL"
		   " LEFT JOIN organisation_returns r ON r.organisation_id = o.id AND r.period = ?"
		   " GROUP BY o.id, o.name, r.id, r.filed_at, r.ladder_rung"
		   " ORDER BY o.name, o.id LIMIT ?");
	db_bind_text(st, 1, period);
	db_bind_int(st, 2, RETURNS_MAX);
	return db_collect(st, a, sizeof(**out), status_row, NULL, out, n);
}
