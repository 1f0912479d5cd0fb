/* programmes.c: programmes, their priority areas, six stages and equality impact
 * assessments; see programmes.h. */
#include "domain/programmes.h"

#include <string.h>

#include "core/date.h"
#include "core/json.h"
#include "core/log.h"

enum {
	/* An audit record: every text at its maximum, each byte escaped as \u00XX. */
	PROGRAMME_JSON_MAX = 6 * (4 * PROGRAMME_EIA_TEXT_MAX + PROGRAMME_SUMMARY_MAX) + 8192,
};

static const char *const stage_names[PROGRAMME_STAGES] = {
    "Reframe the priority as a positive statement",
    "Recruit and induct local people",
    "Local people develop ideas",
    "Local people engage decision-makers",
    "Proposals to the Board",
    "Co-delivery",
};

static const char *const status_slugs[] = {"not_started", "in_progress", "done"};
static const char *const status_labels[] = {"Not started", "In progress", "Done"};

const char *programme_stage_name(int stage)
{
	return stage >= 1 && stage <= PROGRAMME_STAGES ? stage_names[stage - 1] : "";
}

const char *stage_status_slug(enum stage_status s)
{
	return (unsigned)s <= STAGE_DONE ? status_slugs[s] : "";
}

const char *stage_status_label(enum stage_status s)
{
	return (unsigned)s <= STAGE_DONE ? status_labels[s] : "";
}

int stage_status_parse(sv s)
{
	for (int i = 0; i <= STAGE_DONE; i++)
		if (sv_eq_cstr(s, status_slugs[i]))
			return i;
	return -1;
}

bool programme_slug_valid(const char *slug)
{
	size_t len = slug ? strlen(slug) : 0;
	if (len == 0 || len > PROGRAMME_SLUG_MAX || slug[0] == '-' || slug[len - 1] == '-')
		return false;
	if (strcmp(slug, "new") == 0)
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

static int step_rc(int rc)
{
	return rc < 0 ? rc : DB_ERR;
}

/* Copies column I, keeping SQL NULL as NULL; DB_ERR only when the arena is full. */
static int dup_col(db_stmt *s, int i, arena *a, char **out)
{
	*out = db_col_dup(s, i, a);
	if (*out)
		return DB_OK;
	return db_col_null(s, i) ? DB_OK : DB_ERR;
}

/* As dup_col for NOT NULL columns. */
static int dup_req(db_stmt *s, int i, arena *a, char **out)
{
	int rc = dup_col(s, i, a, out);
	return !rc && !*out ? DB_ERR : rc;
}

/* --- Reading ------------------------------------------------------------------------- */

#define PROGRAMME_COLUMNS                                                                          \
	"SELECT p.id, p.slug, p.name, p.summary, p.lead_account_id, l.display_name, "              \
	"p.published, p.created_at, p.updated_at, "                                                \
	"(SELECT COUNT(*) FROM working_groups g WHERE g.programme_id = p.id), "                    \
	"(SELECT COUNT(*) FROM group_sessions s JOIN working_groups g ON g.id = s.group_id "       \
	"WHERE g.programme_id = p.id AND s.status <> 'cancelled') "                                \
	"FROM programmes p LEFT JOIN accounts l ON l.id = p.lead_account_id "

static int programme_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct programme *p = item;
	int rc;
	memset(p, 0, sizeof(*p));
	p->id = db_col_int(s, 0);
	rc = dup_req(s, 1, a, &p->slug);
	if (!rc)
		rc = dup_req(s, 2, a, &p->name);
	if (!rc)
		rc = dup_req(s, 3, a, &p->summary);
	p->lead_id = db_col_null(s, 4) ? 0 : db_col_int(s, 4);
	if (!rc)
		rc = dup_col(s, 5, a, &p->lead_name);
	p->published = db_col_int(s, 6) != 0;
	if (!rc)
		rc = dup_req(s, 7, a, &p->created_at);
	if (!rc)
		rc = dup_req(s, 8, a, &p->updated_at);
	p->n_groups = db_col_int(s, 9);
	p->n_sessions = db_col_int(s, 10);
	return rc;
}

static int area_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct programme_area *pa = item;
	int rc;
	pa->id = db_col_int(s, 0);
	rc = dup_req(s, 1, a, &pa->slug);
	return rc ? rc : dup_req(s, 2, a, &pa->name);
}

static int load_areas(db *d, arena *a, struct programme *p)
{
	db_stmt *s = db_prepare(d, "SELECT pa.id, pa.slug, pa.name FROM programme_priorities pp "
	                           "JOIN priority_areas pa ON pa.id = pp.priority_area_id "
	                           "WHERE pp.programme_id = ? ORDER BY pa.sort_order, pa.id LIMIT ?");
	db_bind_int(s, 1, p->id);
	db_bind_int(s, 2, PROGRAMME_AREAS_MAX);
	return db_collect(s, a, sizeof(*p->areas), area_row, NULL, &p->areas, &p->n_areas);
}

static int load_stages(db *d, arena *a, struct programme *p)
{
	db_stmt *s = db_prepare(d, "SELECT stage, status, planned_start, planned_end, "
	                           "actual_start, actual_end, success_looks_like "
	                           "FROM programme_stages WHERE programme_id = ? ORDER BY stage");
	int rc;
	for (int i = 0; i < PROGRAMME_STAGES; i++) {
		memset(&p->stages[i], 0, sizeof(p->stages[i]));
		p->stages[i].stage = i + 1;
		p->stages[i].success = "";
	}
	if (!s)
		return DB_ERR;
	rc = db_bind_int(s, 1, p->id);
	while (!rc && (rc = db_step(s)) == DB_ROW) {
		int64_t n = db_col_int(s, 0);
		struct programme_stage *st;
		int status;
		if (n < 1 || n > PROGRAMME_STAGES)
			continue;
		st = &p->stages[n - 1];
		status = stage_status_parse(db_col_sv(s, 1));
		st->status = status < 0 ? STAGE_NOT_STARTED : (enum stage_status)status;
		rc = dup_col(s, 2, a, &st->planned_start);
		if (!rc)
			rc = dup_col(s, 3, a, &st->planned_end);
		if (!rc)
			rc = dup_col(s, 4, a, &st->actual_start);
		if (!rc)
			rc = dup_col(s, 5, a, &st->actual_end);
		if (!rc) {
			char *success;
			rc = dup_req(s, 6, a, &success);
			st->success = success;
		}
	}
	db_done(s);
	if (rc != DB_DONE)
		return step_rc(rc);
	p->current_stage = 0;
	p->all_done = true;
	for (int i = 0; i < PROGRAMME_STAGES; i++) {
		if (p->stages[i].status == STAGE_IN_PROGRESS)
			p->current_stage = i + 1;
		if (p->stages[i].status != STAGE_DONE)
			p->all_done = false;
	}
	return DB_OK;
}

static int complete(db *d, arena *a, struct programme *p)
{
	int rc = load_areas(d, a, p);
	if (!rc)
		rc = load_stages(d, a, p);
	return rc;
}

int programmes_list(db *d, arena *a, const struct programme_filter *f, struct programme **out,
                    size_t *n)
{
	static const struct programme_filter all = {0};
	db_stmt *s = db_prepare(d, PROGRAMME_COLUMNS
	                        "WHERE (? = 0 OR p.published = 1) "
	                        "AND (? = 0 OR p.lead_account_id = ?) "
	                        "AND (? = 0 OR EXISTS (SELECT 1 FROM programme_priorities x "
	                        "WHERE x.programme_id = p.id AND x.priority_area_id = ?)) "
	                        "ORDER BY p.name, p.id LIMIT ?");
	int rc;
	if (!f)
		f = &all;
	db_bind_int(s, 1, f->published_only);
	db_bind_int(s, 2, f->lead_id);
	db_bind_int(s, 3, f->lead_id);
	db_bind_int(s, 4, f->area_id);
	db_bind_int(s, 5, f->area_id);
	db_bind_int(s, 6, PROGRAMMES_MAX);
	if ((rc = db_collect(s, a, sizeof(**out), programme_row, NULL, out, n)) != DB_OK)
		return rc;
	for (size_t i = 0; i < *n; i++) {
		rc = complete(d, a, &(*out)[i]);
		if (rc) {
			*out = NULL;
			*n = 0;
			return rc;
		}
	}
	return DOMAIN_OK;
}

static int get_where(db *d, arena *a, const char *sql, const char *slug, int64_t id,
                     struct programme *out)
{
	db_stmt *s = db_prepare(d, sql);
	int rc;
	memset(out, 0, sizeof(*out));
	if (slug)
		db_bind_text(s, 1, slug);
	else
		db_bind_int(s, 1, id);
	rc = db_one(s, a, programme_row, NULL, out);
	if (rc == DB_DONE)
		return DOMAIN_ENOTFOUND;
	if (rc)
		return rc;
	return complete(d, a, out);
}

int programme_get_by_slug(db *d, arena *a, const char *slug, struct programme *out)
{
	if (!programme_slug_valid(slug)) {
		memset(out, 0, sizeof(*out));
		return DOMAIN_ENOTFOUND;
	}
	return get_where(d, a, PROGRAMME_COLUMNS "WHERE p.slug = ?", slug, 0, out);
}

int programme_get(db *d, arena *a, int64_t id, struct programme *out)
{
	return get_where(d, a, PROGRAMME_COLUMNS "WHERE p.id = ?", NULL, id, out);
}

static int lead_option_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct programme_lead_option *o = item;
	o->id = db_col_int(s, 0);
	o->role_label = sv_eq_cstr(db_col_sv(s, 2), "facilitator") ? "Facilitator" : "Programme lead";
	return dup_req(s, 1, a, &o->name);
}

int programme_lead_options(db *d, arena *a, struct programme_lead_option **out, size_t *n)
{
	db_stmt *s = db_prepare(d, "SELECT id, display_name, role FROM accounts "
	                           "WHERE role IN ('programme_lead', 'facilitator') "
	                           "AND disabled_at IS NULL ORDER BY display_name, id LIMIT ?");
	db_bind_int(s, 1, PROGRAMMES_MAX);
	return db_collect(s, a, sizeof(**out), lead_option_row, NULL, out, n);
}

/* --- Audit records -------------------------------------------------------------------- */

static void json_opt(json *j, const char *key, const char *v)
{
	json_key(j, key);
	json_cstr(j, v);
}

static void stage_json(json *j, const struct programme_stage *st)
{
	json_obj(j);
	json_key(j, "stage");
	json_int(j, st->stage);
	json_opt(j, "status", stage_status_slug(st->status));
	json_opt(j, "planned_start", st->planned_start);
	json_opt(j, "planned_end", st->planned_end);
	json_opt(j, "actual_start", st->actual_start);
	json_opt(j, "actual_end", st->actual_end);
	json_opt(j, "success_looks_like", st->success);
	json_end(j);
}

/* The programme's own fields as the audit log keeps them. */
static const char *input_json(arena *a, const char *slug, const char *name, const char *summary,
                              int64_t lead, bool published, const int64_t *areas, size_t n)
{
	sbuf b;
	json j;
	sbuf_init(&b, a, PROGRAMME_JSON_MAX);
	json_init(&j, &b);
	json_obj(&j);
	json_opt(&j, "slug", slug);
	json_opt(&j, "name", name);
	json_opt(&j, "summary", summary);
	json_key(&j, "lead_account_id");
	if (lead)
		json_int(&j, lead);
	else
		json_null(&j);
	json_key(&j, "published");
	json_bool(&j, published);
	json_key(&j, "priority_area_ids");
	json_arr(&j);
	for (size_t i = 0; i < n; i++)
		json_int(&j, areas[i]);
	json_end(&j);
	json_end(&j);
	return b.err ? NULL : b.buf;
}

static const char *programme_json(arena *a, const struct programme *p)
{
	int64_t *ids = arena_calloc(a, p->n_areas + 1, sizeof(*ids));
	if (!ids)
		return NULL;
	for (size_t i = 0; i < p->n_areas; i++)
		ids[i] = p->areas[i].id;
	return input_json(a, p->slug, p->name, p->summary, p->lead_id, p->published, ids,
	                  p->n_areas);
}

/* --- Creating and changing ------------------------------------------------------------ */

/* True if SQL (one '?' for ID) finds a row. *RC_OUT gets DB_OK or the error. */
static bool exists(db *d, const char *sql, int64_t id, int *rc_out)
{
	db_stmt *s = db_prepare(d, sql);
	int rc;
	if (!s) {
		*rc_out = DB_ERR;
		return false;
	}
	rc = db_bind_int(s, 1, id);
	if (!rc)
		rc = db_step(s);
	db_done(s);
	*rc_out = rc == DB_ROW || rc == DB_DONE ? DB_OK : step_rc(rc);
	return rc == DB_ROW;
}

static const char *text_error(sv s, size_t max, const char *empty, const char *too_long)
{
	if (!sv_trim(s).len)
		return empty;
	if (s.len > max)
		return too_long;
	return NULL;
}

/* Checks IN for programme SELF (0 when new); the slug, trimmed, into *SLUG. */
static int input_check(db *d, arena *a, const struct programme_input *in, int64_t self,
                       struct field_errors *fe, char **slug)
{
	const char *m;
	int rc = DB_OK;
	m = text_error(in->name, PROGRAMME_NAME_MAX, "Enter the programme’s name",
	               "The name must be 200 characters or fewer");
	if (m)
		field_error_add(fe, "name", m);

	*slug = sv_dup(a, sv_trim(in->slug));
	if (!*slug)
		return DB_ERR;
	if (!**slug) {
		field_error_add(fe, "slug", "Enter a web address name, like young-adults");
	} else if (!programme_slug_valid(*slug)) {
		field_error_add(
		    fe, "slug",
		    "The web address name must use only lower case letters, numbers and "
		    "single hyphens, like young-adults, and not be the word new");
	} else {
		db_stmt *s = db_prepare(d, "SELECT 1 FROM programmes WHERE slug = ? AND id <> ?");
		if (!s)
			return DB_ERR;
		rc = db_bind_text(s, 1, *slug);
		if (!rc)
			rc = db_bind_int(s, 2, self);
		if (!rc)
			rc = db_step(s);
		db_done(s);
		if (rc == DB_ROW)
			field_error_add(fe, "slug",
			                "Another programme already uses this web address name");
		else if (rc != DB_DONE)
			return step_rc(rc);
	}

	m = text_error(in->summary, PROGRAMME_SUMMARY_MAX, "Enter a summary of the programme",
	               "The summary must be 4,000 characters or fewer");
	if (m)
		field_error_add(fe, "summary", m);

	if (in->n_areas == 0) {
		field_error_add(fe, "areas", "Choose at least one priority area");
	} else if (in->n_areas > PROGRAMME_AREAS_MAX) {
		field_error_add(fe, "areas", "Choose fewer priority areas");
	} else {
		for (size_t i = 0; i < in->n_areas; i++) {
			bool ok = exists(d, "SELECT 1 FROM priority_areas WHERE id = ?",
			                 in->area_ids[i], &rc);
			if (rc)
				return rc;
			if (!ok) {
				field_error_add(fe, "areas", "Choose priority areas from the list");
				break;
			}
		}
	}

	if (in->lead_id < 0) {
		field_error_add(fe, "lead_id", "Choose a lead from the list");
	} else if (in->lead_id) {
		bool ok = exists(d,
		                 "SELECT 1 FROM accounts WHERE id = ? AND disabled_at IS NULL "
		                 "AND role IN ('programme_lead', 'facilitator')",
		                 in->lead_id, &rc);
		if (rc)
			return rc;
		if (!ok)
			field_error_add(fe, "lead_id", "Choose a lead from the list");
	}
	return field_errors_any(fe) ? DOMAIN_EINVALID : DOMAIN_OK;
}

static int put_areas(db *d, int64_t id, const struct programme_input *in)
{
	db_stmt *s = db_prepare(d, "DELETE FROM programme_priorities WHERE programme_id = ?");
	int rc;
	if (!s)
		return DB_ERR;
	rc = db_bind_int(s, 1, id);
	if (!rc)
		rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return step_rc(rc);
	for (size_t i = 0; i < in->n_areas; i++) {
		bool dup = false;
		for (size_t k = 0; k < i; k++)
			dup = dup || in->area_ids[k] == in->area_ids[i];
		if (dup)
			continue; /* a box sent twice is one area */
		s = db_prepare(d, "INSERT INTO programme_priorities (programme_id, "
		                  "priority_area_id) VALUES (?, ?)");
		if (!s)
			return DB_ERR;
		rc = db_bind_int(s, 1, id);
		if (!rc)
			rc = db_bind_int(s, 2, in->area_ids[i]);
		if (!rc)
			rc = db_step(s);
		db_done(s);
		if (rc != DB_DONE)
			return step_rc(rc);
	}
	return DB_OK;
}

static int bind_input(db_stmt *s, const char *slug, const struct programme_input *in)
{
	int rc = db_bind_text(s, 1, slug);
	if (!rc)
		rc = db_bind_sv(s, 2, sv_trim(in->name));
	if (!rc)
		rc = db_bind_sv(s, 3, sv_trim(in->summary));
	if (!rc)
		rc = in->lead_id ? db_bind_int(s, 4, in->lead_id) : db_bind_null(s, 4);
	if (!rc)
		rc = db_bind_int(s, 5, in->published ? 1 : 0);
	return rc;
}

int programme_create_tx(db *d, arena *a, const struct audit_actor *who,
                        const struct programme_input *in, struct field_errors *fe, int64_t *id_out)
{
	char now[32], *slug, *name, *summary;
	int64_t id;
	db_stmt *s;
	int rc = input_check(d, a, in, 0, fe, &slug);
	if (rc)
		return rc;
	db_now_iso(now, 0);
	s = db_prepare(d, "INSERT INTO programmes (slug, name, summary, lead_account_id, "
	                  "published, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (!s)
		return DB_ERR;
	rc = bind_input(s, slug, in);
	if (!rc)
		rc = db_bind_text(s, 6, now);
	if (!rc)
		rc = db_bind_text(s, 7, now);
	if (!rc)
		rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return step_rc(rc);
	id = db_last_insert_id(d);
	for (int stage = 1; stage <= PROGRAMME_STAGES; stage++) {
		s = db_prepare(d,
		               "INSERT INTO programme_stages (programme_id, stage) VALUES (?, ?)");
		if (!s)
			return DB_ERR;
		rc = db_bind_int(s, 1, id);
		if (!rc)
			rc = db_bind_int(s, 2, stage);
		if (!rc)
			rc = db_step(s);
		db_done(s);
		if (rc != DB_DONE)
			return step_rc(rc);
	}
	rc = put_areas(d, id, in);
	if (rc)
		return rc;
	name = sv_dup(a, sv_trim(in->name));
	summary = sv_dup(a, sv_trim(in->summary));
	{
		const char *after = name && summary
		                        ? input_json(a, slug, name, summary, in->lead_id,
		                                     in->published, in->area_ids, in->n_areas)
		                        : NULL;
		if (!after)
			return DB_ERR;
		rc = audit_record(d, who, "programme", id, "create", NULL, after);
	}
	if (!rc && id_out)
		*id_out = id;
	return rc;
}

/* Runs CALL (a *_tx function) inside a transaction of its own, committing when it
 * succeeds and rolling back when not, and returns its result from the enclosing function. */

int programme_create(db *d, arena *a, const struct audit_actor *who,
                     const struct programme_input *in, struct field_errors *fe, int64_t *id)
{
	IN_TRANSACTION(d, programme_create_tx(d, a, who, in, fe, id));
}

static int programme_update_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
                               const struct programme_input *in, struct field_errors *fe)
{
	struct programme before, after;
	const char *bj, *aj;
	char now[32], *slug;
	db_stmt *s;
	int rc = programme_get(d, a, id, &before);
	if (rc)
		return rc;
	rc = input_check(d, a, in, id, fe, &slug);
	if (rc)
		return rc;
	db_now_iso(now, 0);
	s = db_prepare(d, "UPDATE programmes SET slug = ?, name = ?, summary = ?, "
	                  "lead_account_id = ?, published = ?, updated_at = ? WHERE id = ?");
	if (!s)
		return DB_ERR;
	rc = bind_input(s, slug, in);
	if (!rc)
		rc = db_bind_text(s, 6, now);
	if (!rc)
		rc = db_bind_int(s, 7, id);
	if (!rc)
		rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return step_rc(rc);
	rc = put_areas(d, id, in);
	if (!rc)
		rc = programme_get(d, a, id, &after);
	if (rc)
		return rc;
	bj = programme_json(a, &before);
	aj = programme_json(a, &after);
	if (!bj || !aj)
		return DB_ERR;
	return audit_record(d, who, "programme", id, "update", bj, aj);
}

int programme_update(db *d, arena *a, const struct audit_actor *who, int64_t id,
                     const struct programme_input *in, struct field_errors *fe)
{
	IN_TRANSACTION(d, programme_update_tx(d, a, who, id, in, fe));
}

/* --- Dates as typed ------------------------------------------------------------------- */

/* Reads one GOV.UK date input into *ISO ("YYYY-MM-DD", or NULL when all three parts are
 * empty) and *DT. Adds an error on FIELD (LABEL starts the message) and returns false
 * when a part is missing or the date is not real. */
static bool read_date(arena *a, const struct date_fields *f, const char *field, const char *label,
                      struct field_errors *fe, char **iso, struct date *dt)
{
	size_t parts =
	    (sv_trim(f->day).len > 0) + (sv_trim(f->month).len > 0) + (sv_trim(f->year).len > 0);
	*iso = NULL;
	if (parts == 0)
		return true;
	if (parts < 3) {
		field_error_add(fe, field,
		                arena_printf(a, "%s must include a day, month and year", label));
		return false;
	}
	if (date_from_fields(f->day, f->month, f->year, dt) != 0) {
		field_error_add(fe, field, arena_printf(a, "%s must be a real date", label));
		return false;
	}
	{
		sbuf b;
		sbuf_init(&b, a, 16);
		date_iso(&b, *dt);
		*iso = b.err ? NULL : b.buf;
	}
	return *iso != NULL;
}

static int bind_opt(db_stmt *s, int i, const char *v)
{
	return v ? db_bind_text(s, i, v) : db_bind_null(s, i);
}

static int touch(db *d, int64_t id)
{
	char now[32];
	db_stmt *s = db_prepare(d, "UPDATE programmes SET updated_at = ? WHERE id = ?");
	int rc;
	db_now_iso(now, 0);
	if (!s)
		return DB_ERR;
	rc = db_bind_text(s, 1, now);
	if (!rc)
		rc = db_bind_int(s, 2, id);
	if (!rc)
		rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? DB_OK : step_rc(rc);
}

/* --- Stages ------------------------------------------------------------------------- */

int programme_stage_save_tx(db *d, arena *a, const struct audit_actor *who, int64_t id, int stage,
                            const struct stage_input *in, struct field_errors *fe)
{
	struct programme p;
	struct programme_stage next;
	struct date ps = {0}, pe = {0}, as = {0}, ae = {0};
	int status, rc;
	db_stmt *s;
	sbuf bj, aj;
	json j;

	if (stage < 1 || stage > PROGRAMME_STAGES)
		return DOMAIN_ENOTFOUND;
	rc = programme_get(d, a, id, &p);
	if (rc)
		return rc;
	memset(&next, 0, sizeof(next));
	next.stage = stage;
	status = stage_status_parse(in->status);
	if (status < 0)
		field_error_add(fe, "status", "Choose where this stage is");
	next.status = status < 0 ? STAGE_NOT_STARTED : (enum stage_status)status;
	read_date(a, &in->planned_start, "planned_start", "The planned start date", fe,
	          &next.planned_start, &ps);
	if (read_date(a, &in->planned_end, "planned_end", "The planned end date", fe,
	              &next.planned_end, &pe) &&
	    next.planned_start && next.planned_end && date_cmp(pe, ps) < 0)
		field_error_add(fe, "planned_end",
		                "The planned end date must be the same as or after the planned "
		                "start date");
	read_date(a, &in->actual_start, "actual_start", "The date it started", fe,
	          &next.actual_start, &as);
	if (read_date(a, &in->actual_end, "actual_end", "The date it finished", fe,
	              &next.actual_end, &ae)) {
		if (next.actual_start && next.actual_end && date_cmp(ae, as) < 0)
			field_error_add(fe, "actual_end",
			                "The date it finished must be the same as or after the "
			                "date it started");
		else if (next.actual_end && !next.actual_start)
			field_error_add(fe, "actual_start",
			                "Enter the date it started, as well as the date it "
			                "finished");
		else if (next.actual_end && status >= 0 && status != STAGE_DONE)
			field_error_add(fe, "actual_end",
			                "A stage that has finished is done: choose Done, or "
			                "remove the date it finished");
	}
	if (in->success.len > PROGRAMME_SUCCESS_MAX)
		field_error_add(fe, "success",
		                "What success would look like must be 1,000 characters or fewer");
	if (field_errors_any(fe))
		return DOMAIN_EINVALID;
	{
		char *success = sv_dup(a, sv_trim(in->success));
		if (!success)
			return DB_ERR;
		next.success = success;
	}

	s = db_prepare(d, "UPDATE programme_stages SET status = ?, planned_start = ?, "
	                  "planned_end = ?, actual_start = ?, actual_end = ?, "
	                  "success_looks_like = ? WHERE programme_id = ? AND stage = ?");
	if (!s)
		return DB_ERR;
	rc = db_bind_text(s, 1, stage_status_slug(next.status));
	if (!rc)
		rc = bind_opt(s, 2, next.planned_start);
	if (!rc)
		rc = bind_opt(s, 3, next.planned_end);
	if (!rc)
		rc = bind_opt(s, 4, next.actual_start);
	if (!rc)
		rc = bind_opt(s, 5, next.actual_end);
	if (!rc)
		rc = db_bind_text(s, 6, next.success);
	if (!rc)
		rc = db_bind_int(s, 7, id);
	if (!rc)
		rc = db_bind_int(s, 8, stage);
	if (!rc)
		rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return step_rc(rc);
	if (db_changes(d) != 1)
		return DOMAIN_ENOTFOUND;
	rc = touch(d, id);
	if (rc)
		return rc;

	sbuf_init(&bj, a, PROGRAMME_JSON_MAX);
	json_init(&j, &bj);
	stage_json(&j, &p.stages[stage - 1]);
	sbuf_init(&aj, a, PROGRAMME_JSON_MAX);
	json_init(&j, &aj);
	stage_json(&j, &next);
	if (bj.err || aj.err)
		return DB_ERR;
	return audit_record(d, who, "programme", id, "update_stage", bj.buf, aj.buf);
}

int programme_stage_save(db *d, arena *a, const struct audit_actor *who, int64_t id, int stage,
                         const struct stage_input *in, struct field_errors *fe)
{
	IN_TRANSACTION(d, programme_stage_save_tx(d, a, who, id, stage, in, fe));
}

/* --- Equality impact assessment ------------------------------------------------------- */

int programme_eia_get(db *d, arena *a, int64_t id, struct programme_eia *out)
{
	db_stmt *s = db_prepare(d, "SELECT e.who_affected, e.how_affected, e.mitigations, "
	                           "e.reviewer_name, e.assessed_on, e.review_on, e.updated_at, "
	                           "u.display_name FROM equality_impact_assessments e "
	                           "LEFT JOIN accounts u ON u.id = e.updated_by "
	                           "WHERE e.programme_id = ?");
	int rc;
	memset(out, 0, sizeof(*out));
	if (!s)
		return DB_ERR;
	rc = db_bind_int(s, 1, id);
	if (!rc)
		rc = db_step(s);
	if (rc == DB_ROW) {
		rc = dup_req(s, 0, a, &out->who_affected);
		if (!rc)
			rc = dup_req(s, 1, a, &out->how_affected);
		if (!rc)
			rc = dup_req(s, 2, a, &out->mitigations);
		if (!rc)
			rc = dup_req(s, 3, a, &out->reviewer_name);
		if (!rc)
			rc = dup_req(s, 4, a, &out->assessed_on);
		if (!rc)
			rc = dup_req(s, 5, a, &out->review_on);
		if (!rc)
			rc = dup_req(s, 6, a, &out->updated_at);
		if (!rc)
			rc = dup_col(s, 7, a, &out->updated_by_name);
	}
	db_done(s);
	if (rc == DB_DONE)
		return DOMAIN_ENOTFOUND;
	return rc ? step_rc(rc) : DOMAIN_OK;
}

static const char *eia_json(arena *a, const char *who_affected, const char *how,
                            const char *mitigations, const char *reviewer, const char *assessed,
                            const char *review)
{
	sbuf b;
	json j;
	sbuf_init(&b, a, PROGRAMME_JSON_MAX);
	json_init(&j, &b);
	json_obj(&j);
	json_opt(&j, "who_affected", who_affected);
	json_opt(&j, "how_affected", how);
	json_opt(&j, "mitigations", mitigations);
	json_opt(&j, "reviewer_name", reviewer);
	json_opt(&j, "assessed_on", assessed);
	json_opt(&j, "review_on", review);
	json_end(&j);
	return b.err ? NULL : b.buf;
}

int programme_eia_save_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
                          const struct eia_input *in, struct field_errors *fe)
{
	static const char too_long[] = "This must be 8,000 characters or fewer";
	struct programme_eia old;
	struct date on = {0}, review = {0};
	char *on_iso = NULL, *review_iso = NULL, now[32];
	const char *m, *before = NULL, *after;
	char *t[4];
	bool had;
	int rc, ok;
	db_stmt *s;

	if (!exists(d, "SELECT 1 FROM programmes WHERE id = ?", id, &rc))
		return rc ? rc : DOMAIN_ENOTFOUND;
	rc = programme_eia_get(d, a, id, &old);
	if (rc && rc != DOMAIN_ENOTFOUND)
		return rc;
	had = rc == DOMAIN_OK;

	m = text_error(in->who_affected, PROGRAMME_EIA_TEXT_MAX, "Enter who might be affected",
	               too_long);
	if (m)
		field_error_add(fe, "who_affected", m);
	m = text_error(in->how_affected, PROGRAMME_EIA_TEXT_MAX, "Enter how they might be affected",
	               too_long);
	if (m)
		field_error_add(fe, "how_affected", m);
	m = text_error(in->mitigations, PROGRAMME_EIA_TEXT_MAX,
	               "Enter what you will do to reduce any harm", too_long);
	if (m)
		field_error_add(fe, "mitigations", m);
	m = text_error(in->reviewer_name, PROGRAMME_NAME_MAX, "Enter the name of the reviewer",
	               "The reviewer’s name must be 200 characters or fewer");
	if (m)
		field_error_add(fe, "reviewer_name", m);
	ok = read_date(a, &in->assessed_on, "assessed_on", "The date of the assessment", fe,
	               &on_iso, &on);
	if (ok && !on_iso)
		field_error_add(fe, "assessed_on", "Enter the date of the assessment");
	if (read_date(a, &in->review_on, "review_on", "The review date", fe, &review_iso,
	              &review)) {
		if (!review_iso)
			field_error_add(fe, "review_on", "Enter the date it will next be reviewed");
		else if (on_iso && date_cmp(review, on) < 0)
			field_error_add(fe, "review_on",
			                "The review date must be the same as or after the date of "
			                "the assessment");
	}
	if (field_errors_any(fe))
		return DOMAIN_EINVALID;

	t[0] = sv_dup(a, sv_trim(in->who_affected));
	t[1] = sv_dup(a, sv_trim(in->how_affected));
	t[2] = sv_dup(a, sv_trim(in->mitigations));
	t[3] = sv_dup(a, sv_trim(in->reviewer_name));
	if (!t[0] || !t[1] || !t[2] || !t[3])
		return DB_ERR;
	db_now_iso(now, 0);
	s = had ? db_prepare(d, "UPDATE equality_impact_assessments SET who_affected = ?, "
	                        "how_affected = ?, mitigations = ?, reviewer_name = ?, "
	                        "assessed_on = ?, review_on = ?, updated_by = ?, updated_at = ? "
	                        "WHERE programme_id = ?")
	        : db_prepare(d, "INSERT INTO equality_impact_assessments (who_affected, "
	                        "how_affected, mitigations, reviewer_name, assessed_on, review_on, "
	                        "updated_by, updated_at, programme_id) "
	                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!s)
		return DB_ERR;
	rc = DB_OK;
	for (int i = 0; !rc && i < 4; i++)
		rc = db_bind_text(s, i + 1, t[i]);
	if (!rc)
		rc = db_bind_text(s, 5, on_iso);
	if (!rc)
		rc = db_bind_text(s, 6, review_iso);
	if (!rc)
		rc = who->account_id ? db_bind_int(s, 7, who->account_id) : db_bind_null(s, 7);
	if (!rc)
		rc = db_bind_text(s, 8, now);
	if (!rc)
		rc = db_bind_int(s, 9, id);
	if (!rc)
		rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return step_rc(rc);
	if (had) {
		before = eia_json(a, old.who_affected, old.how_affected, old.mitigations,
		                  old.reviewer_name, old.assessed_on, old.review_on);
		if (!before)
			return DB_ERR;
	}
	after = eia_json(a, t[0], t[1], t[2], t[3], on_iso, review_iso);
	if (!after)
		return DB_ERR;
	return audit_record(d, who, "programme", id, "update_eia", before, after);
}

int programme_eia_save(db *d, arena *a, const struct audit_actor *who, int64_t id,
                       const struct eia_input *in, struct field_errors *fe)
{
	IN_TRANSACTION(d, programme_eia_save_tx(d, a, who, id, in, fe));
}
