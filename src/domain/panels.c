/* panels.c: fair selection of panels: settings, pool, quotas, LEXIMIN probabilities, the
 * published lottery, the public draw and replacements; see panels.h. */
#include "domain/panels.h"

#include <glpk.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/csv.h"
#include "core/date.h"
#include "core/disclosure.h"
#include "core/json.h"
#include "core/log.h"
#include "domain/access.h"
#include "domain/accounts.h"
#include "domain/equality.h"
#include "domain/record.h"
#include "domain/sortition.h"
#include "domain/volunteers.h"

#define AUDIT_JSON_MAX 4096
#define LOTTERY_TEXT_MAX (8 * 1024 * 1024)
#define ERR_MAX 256

/* How long working out the chances (or replacements) may take: PANEL_TIME_LIMIT_SECONDS
 * unless a test changed it (panel_set_time_limit). */
static double time_limit = PANEL_TIME_LIMIT_SECONDS;

void panel_set_time_limit(double seconds)
{
	time_limit = seconds < 0 ? 0 : seconds;
}

/* True for a live volunteer v who shares an email or phone with another live record of
 * the same programme: a possible duplicate nobody has merged yet (volunteers.h). Such a
 * person could hold two tickets' worth of chances, so pools leave them out by default. */
#define HAS_DUPLICATE VOLUNTEER_HAS_DUPLICATE("v")

static const char *const status_slugs[] = {"draft", "computed", "published", "drawn"};
static const char *const status_labels[] = {"Draft", "Chances worked out", "Lottery published",
					    "Drawn"};

const char *panel_status_slug(enum panel_status s)
{
	return (unsigned)s < 4 ? status_slugs[s] : "";
}

const char *panel_status_label(enum panel_status s)
{
	return (unsigned)s < 4 ? status_labels[s] : "";
}

static enum panel_status status_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, status_slugs[i]) == 0)
			return (enum panel_status)i;
	return PANEL_DRAFT;
}

static int64_t to_ppb(double p)
{
	if (p < 0)
		p = 0;
	return (int64_t)(p * 1e9 + 0.5);
}

/* GLPK keeps an environment per thread that only glp_free_env releases, and the server
 * runs each connection on a thread of its own that then ends: without this, every
 * request that works out chances would leave that environment behind. Called once the
 * selection functions have returned (a later call makes a fresh one). */
static void solver_release(void)
{
	glp_free_env();
}

/* --- Access -------------------------------------------------------------------------- */

int panels_access(db *d, int64_t account_id, int role, int64_t programme_id)
{
	db_stmt *s;
	int rc;
	int64_t lead = 0;
	if (!account_id)
		return ACCESS_NONE;
	s = db_prepare(d, "SELECT lead_account_id FROM programmes WHERE id = ?");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, programme_id);
	rc = db_step(s);
	if (rc == DB_ROW)
		lead = db_col_int(s, 0);
	db_done(s);
	if (rc == DB_DONE)
		return ACCESS_NONE;
	if (rc != DB_ROW)
		return rc;
	if (role == ROLE_PROGRAMME_LEAD || lead == account_id)
		return ACCESS_MANAGE;
	if (role != ROLE_FACILITATOR)
		return ACCESS_NONE;
	s = db_prepare(d, "SELECT 1 FROM group_members m JOIN working_groups g ON g.id = m.group_id "
			  "WHERE g.programme_id = ? AND m.account_id = ? AND m.left_on IS NULL "
			  "AND m.role_in_group = 'facilitator' LIMIT 1");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, programme_id);
	db_bind_int(s, 2, account_id);
	rc = db_step(s);
	db_done(s);
	if (rc == DB_ROW)
		return ACCESS_VIEW;
	return rc == DB_DONE ? ACCESS_NONE : rc;
}

/* --- Reading ------------------------------------------------------------------------- */

#define PANEL_COLUMNS                                                                              \
	"p.id, p.programme_id, g.slug, g.name, g.published, p.name, p.places, "                    \
	"p.one_per_household, p.status, p.min_probability_ppb, p.legacy_min_probability_ppb, "     \
	"p.panels_used, p.compute_ms, p.computed_at, p.tickets, p.tolerance_ppb, "                 \
	"p.lottery_sha256, p.published_at, p.public_number, p.drawn_ticket, p.drawn_at, "          \
	"p.created_at, p.updated_at, "                                                             \
	"(SELECT COUNT(*) FROM panel_pool x WHERE x.panel_id = p.id), "                            \
	"p.draw_at, p.draw_place, p.draw_roller, p.draw_moved_from_at, p.draw_moved_from_place, "  \
	"p.draw_sequence, p.draw_link "                                                            \
	"FROM panels p JOIN programmes g ON g.id = p.programme_id "

static int panel_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct panel *p = item;
	(void)ctx;
	memset(p, 0, sizeof(*p));
	p->id = db_col_int(s, 0);
	p->programme_id = db_col_int(s, 1);
	p->programme_slug = db_col_dup(s, 2, a);
	p->programme_name = db_col_dup(s, 3, a);
	p->programme_published = db_col_int(s, 4) != 0;
	p->name = db_col_dup(s, 5, a);
	p->places = (int)db_col_int(s, 6);
	p->one_per_household = db_col_int(s, 7) != 0;
	p->status = status_parse(db_col_text(s, 8));
	p->min_ppb = db_col_null(s, 9) ? -1 : db_col_int(s, 9);
	p->legacy_min_ppb = db_col_null(s, 10) ? -1 : db_col_int(s, 10);
	p->panels_used = (int)db_col_int(s, 11);
	p->compute_ms = db_col_int(s, 12);
	p->computed_at = db_col_dup(s, 13, a);
	p->tickets = (int)db_col_int(s, 14);
	p->tolerance_ppb = db_col_int(s, 15);
	p->lottery_sha256 = db_col_dup(s, 16, a);
	p->published_at = db_col_dup(s, 17, a);
	p->public_number = db_col_dup(s, 18, a);
	p->drawn_ticket = (int)db_col_int(s, 19);
	p->drawn_at = db_col_dup(s, 20, a);
	p->created_at = db_col_dup(s, 21, a);
	p->updated_at = db_col_dup(s, 22, a);
	p->pool_size = (size_t)db_col_int(s, 23);
	p->draw_at = db_col_dup(s, 24, a);
	p->draw_place = db_col_dup(s, 25, a);
	p->draw_roller = db_col_dup(s, 26, a);
	p->draw_moved_from_at = db_col_dup(s, 27, a);
	p->draw_moved_from_place = db_col_dup(s, 28, a);
	p->draw_sequence = db_col_int(s, 29);
	p->draw_link = db_col_dup(s, 30, a);
	return DB_OK;
}

int panels_list(db *d, arena *a, int64_t programme_id, struct panel **out, size_t *n)
{
	db_stmt *s = db_prepare(d, "SELECT " PANEL_COLUMNS
				   "WHERE (? = 0 OR p.programme_id = ?) ORDER BY p.id DESC LIMIT ?");
	db_bind_int(s, 1, programme_id);
	db_bind_int(s, 2, programme_id);
	db_bind_int(s, 3, PANELS_MAX);
	return db_collect(s, a, sizeof(**out), panel_row, NULL, out, n);
}

int panel_get(db *d, arena *a, int64_t id, struct panel *out)
{
	return record_get(d, a, "SELECT " PANEL_COLUMNS "WHERE p.id = ?", id, panel_row, NULL, out);
}

static int member_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct panel_member *m = item;
	(void)ctx;
	m->volunteer_id = db_col_int(s, 0);
	m->name = db_col_dup(s, 1, a);
	m->stage = db_col_dup(s, 2, a);
	m->public_id = db_col_dup(s, 3, a);
	m->role = db_col_dup(s, 4, a);
	m->prob_ppb = db_col_null(s, 5) ? -1 : db_col_int(s, 5);
	m->legacy_ppb = db_col_null(s, 6) ? -1 : db_col_int(s, 6);
	m->outcome = db_col_dup(s, 7, a);
	m->selected_by = db_col_dup(s, 8, a);
	return DB_OK;
}

int panel_pool_list(db *d, arena *a, int64_t panel_id, struct panel_member **out, size_t *n)
{
	db_stmt *s = db_prepare(
		d, "SELECT x.volunteer_id, v.name, v.stage, x.public_id, x.role_value, "
		   "x.probability_ppb, x.legacy_probability_ppb, x.outcome, x.selected_by "
		   "FROM panel_pool x JOIN volunteers v ON v.id = x.volunteer_id "
		   "WHERE x.panel_id = ? "
		   "ORDER BY CASE WHEN x.probability_ppb IS NULL THEN 1 ELSE 0 END, "
		   "x.probability_ppb DESC, v.name, v.id");
	db_bind_int(s, 1, panel_id);
	return db_collect(s, a, sizeof(**out), member_row, NULL, out, n);
}

static int candidate_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct panel_candidate *c = item;
	(void)ctx;
	c->volunteer_id = db_col_int(s, 0);
	c->name = db_col_dup(s, 1, a);
	c->stage = db_col_dup(s, 2, a);
	c->role = db_col_dup(s, 3, a);
	c->in_pool = !db_col_null(s, 4);
	c->possible_duplicate = db_col_int(s, 5) != 0;
	return DB_OK;
}

int panel_candidates(db *d, arena *a, int64_t panel_id, struct panel_candidate **out, size_t *n)
{
	db_stmt *s = db_prepare(
		d, "SELECT v.id, v.name, v.stage, x.role_value, x.id, "
		   "CASE WHEN v.merged_into IS NULL AND " HAS_DUPLICATE " THEN 1 ELSE 0 END "
		   "FROM volunteers v "
		   "JOIN panels p ON p.programme_id = v.programme_id AND p.id = ? "
		   "LEFT JOIN panel_pool x ON x.panel_id = p.id AND x.volunteer_id = v.id "
		   "WHERE x.id IS NOT NULL OR (v.merged_into IS NULL AND v.stage IN "
		   "('volunteered', 'contacted', 'waiting')) ORDER BY v.name, v.id LIMIT ?");
	db_bind_int(s, 1, panel_id);
	db_bind_int(s, 2, PANEL_POOL_MAX);
	return db_collect(s, a, sizeof(**out), candidate_row, NULL, out, n);
}

static int pair_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct panel_duplicate_pair *p = item;
	(void)ctx;
	p->a_id = db_col_int(s, 0);
	p->a_name = db_col_dup(s, 1, a);
	p->b_id = db_col_int(s, 2);
	p->b_name = db_col_dup(s, 3, a);
	return DB_OK;
}

int panel_pool_duplicate_pairs(db *d, arena *a, int64_t panel_id,
			       struct panel_duplicate_pair **out, size_t *n)
{
	/* Only pairs with both records in this pool: one record alone cannot be drawn twice. */
	db_stmt *s = db_prepare(
		d, "SELECT v.id, v.name, o.id, o.name FROM panel_pool x JOIN volunteers v ON v.id = "
		   "x.volunteer_id JOIN panel_pool y ON y.panel_id = x.panel_id JOIN volunteers o "
		   "ON o.id = y.volunteer_id WHERE x.panel_id = ? AND v.id < o.id AND "
		   "v.merged_into IS NULL AND " VOLUNTEER_DUPLICATE_PAIR("v", "o")
		   " ORDER BY v.name, v.id, o.name, o.id LIMIT ?");
	db_bind_int(s, 1, panel_id);
	db_bind_int(s, 2, PANEL_POOL_MAX);
	return db_collect(s, a, sizeof(**out), pair_row, NULL, out, n);
}

/* 1 when panel ID's pool holds possible duplicates, 0 when not, or a negative DB_E*. */
static int pool_has_duplicates(db *d, arena *a, int64_t id)
{
	struct panel_duplicate_pair *pairs;
	size_t n;
	int rc = panel_pool_duplicate_pairs(d, a, id, &pairs, &n);
	return rc ? rc : n > 0;
}

static int quota_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct panel_quota *q = item;
	(void)ctx;
	q->category = db_col_dup(s, 0, a);
	q->value = db_col_dup(s, 1, a);
	q->min = (int)db_col_int(s, 2);
	q->max = (int)db_col_int(s, 3);
	return DB_OK;
}

int panel_quotas_list(db *d, arena *a, int64_t panel_id, struct panel_quota **out, size_t *n)
{
	db_stmt *s = db_prepare(d, "SELECT category, value, min_count, max_count FROM panel_quotas "
				   "WHERE panel_id = ? ORDER BY position, id");
	db_bind_int(s, 1, panel_id);
	return db_collect(s, a, sizeof(**out), quota_row, NULL, out, n);
}

int panel_category_options(db *d, arena *a, int64_t programme_id,
			   struct panel_category_option **out, size_t *n)
{
	const struct equality_category *cats;
	size_t nc = 0;
	int rc = equality_programme_categories(d, a, programme_id, &cats, &nc);
	struct panel_category_option *o;
	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	if (!(o = arena_calloc(a, nc + 2, sizeof(*o))))
		return DB_ERR;
	o[0] = (struct panel_category_option){"ward", "Ward"};
	o[1] = (struct panel_category_option){"role", "Role (lived experience or professional)"};
	for (size_t i = 0; i < nc; i++)
		o[i + 2] = (struct panel_category_option){cats[i].slug, cats[i].label};
	*out = o;
	*n = nc + 2;
	return DOMAIN_OK;
}

static bool category_allowed(db *d, arena *a, int64_t programme_id, const char *slug)
{
	struct panel_category_option *o;
	size_t n;
	if (panel_category_options(d, a, programme_id, &o, &n))
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(o[i].slug, slug) == 0)
			return true;
	return false;
}

const char *panel_category_label(db *d, arena *a, int64_t programme_id, const char *slug)
{
	struct panel_category_option *o;
	size_t n;
	if (panel_category_options(d, a, programme_id, &o, &n) == DOMAIN_OK)
		for (size_t i = 0; i < n; i++)
			if (strcmp(o[i].slug, slug) == 0)
				return o[i].label;
	return slug;
}

const char *panel_value_label(db *d, arena *a, const char *category, const char *value)
{
	if (strcmp(value, PANEL_NOT_SAID) == 0)
		return "Not said";
	if (strcmp(category, "role") == 0)
		return strcmp(value, PANEL_ROLE_LIVED) == 0	      ? "Lived experience"
		       : strcmp(value, PANEL_ROLE_PROFESSIONAL) == 0 ? "Professional"
								      : value;
	if (strcmp(category, "ward") == 0) {
		db_stmt *s = db_prepare(d, "SELECT name FROM wards WHERE code = ?");
		const char *label = value;
		if (!s)
			return value;
		db_bind_text(s, 1, value);
		if (db_step(s) == DB_ROW)
			label = db_col_dup(s, 0, a);
		db_done(s);
		return label ? label : value;
	}
	{
		const struct equality_category *c = equality_category_find(category);
		const char *label = c ? equality_value_label(c, value) : NULL;
		if (!c && strncmp(category, "lived:", 6) == 0)
			label = strcmp(value, "yes") == 0 ? "Yes" : strcmp(value, "no") == 0 ? "No" : NULL;
		return label ? label : value;
	}
}

const char *panel_population_note(db *d, arena *a, int64_t programme_id, const char *category)
{
	db_stmt *s;
	const char *note = NULL;
	if (strcmp(category, "role") == 0)
		return "Proposed half and half, as in the Poverty Truth Commission.";
	if (strcmp(category, "ward") == 0)
		return "Proposed from the wards' usual residents at the 2021 Census.";
	s = db_prepare(d, "SELECT source, as_of, illustrative FROM population_figures WHERE "
			  "programme_id = ? AND category = ? ORDER BY illustrative DESC, id LIMIT 1");
	if (!s)
		return "";
	db_bind_int(s, 1, programme_id);
	db_bind_text(s, 2, category);
	if (db_step(s) == DB_ROW) {
		sv src = db_col_sv(s, 0), as_of = db_col_sv(s, 1);
		bool illustrative = db_col_int(s, 2) != 0;
		if (!src.len)
			src = SV("the programme's population figures");
		note = arena_printf(a, "Proposed from %s%.*s%s%.*s.",
				    illustrative ? "illustrative figures, not facts: " : "",
				    SV_ARG(src), as_of.len ? ", " : "", SV_ARG(as_of));
	}
	db_done(s);
	return note ? note
		    : "No population figures for this category: every answer may have anyone "
		      "from 0 to all the places until you set quotas.";
}

/* --- The pool as the selection sees it ------------------------------------------------ */

struct pool_row {
	int64_t pool_id, volunteer_id;
	char *public_id, *role, *ward, *household, *outcome, *stage;
};

/* Reads one pool row; CTX points to a bool, WAITING_ONLY (see pool_rows). */
static int pool_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct pool_row *p = item;
	if (*(const bool *)ctx) {
		sv stage = db_col_sv(s, 7);
		if (!sv_eq_cstr(db_col_sv(s, 6), "waiting") ||
		    !(sv_eq_cstr(stage, "waiting") || sv_eq_cstr(stage, "volunteered") ||
		      sv_eq_cstr(stage, "contacted")))
			return DB_SKIP;
	}
	p->pool_id = db_col_int(s, 0);
	p->volunteer_id = db_col_int(s, 1);
	p->public_id = db_col_dup(s, 2, a);
	p->role = db_col_dup(s, 3, a);
	p->ward = db_col_dup(s, 4, a);
	p->household = db_col_dup(s, 5, a);
	p->outcome = db_col_dup(s, 6, a);
	p->stage = db_col_dup(s, 7, a);
	return DB_OK;
}

/* Pool rows in volunteer order (the order of the selection problem: stable, so the same
 * pool and quotas give the same result). WAITING_ONLY keeps those whose outcome is
 * 'waiting' and who are still at stage waiting, volunteered or contacted. */
static int pool_rows(db *d, arena *a, int64_t panel_id, bool waiting_only, struct pool_row **out,
		     size_t *n)
{
	db_stmt *s = db_prepare(
		d, "SELECT x.id, x.volunteer_id, x.public_id, x.role_value, v.ward_code, "
		   "v.household_key, x.outcome, v.stage FROM panel_pool x "
		   "JOIN volunteers v ON v.id = x.volunteer_id WHERE x.panel_id = ? "
		   "ORDER BY x.volunteer_id");
	db_bind_int(s, 1, panel_id);
	return db_collect(s, a, sizeof(**out), pool_row, &waiting_only, out, n);
}

/* Each person's value in CATEGORY into VALUES (PANEL_NOT_SAID when they have none).
 * Equality values come through equality_selection_values, which audits the read. */
static int person_values(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
			 const char *category, const struct pool_row *rows, size_t n,
			 const char **values)
{
	if (strcmp(category, "ward") == 0 || strcmp(category, "role") == 0) {
		bool ward = category[0] == 'w';
		for (size_t i = 0; i < n; i++) {
			const char *v = ward ? rows[i].ward : rows[i].role;
			values[i] = v && *v ? v : PANEL_NOT_SAID;
		}
		return DOMAIN_OK;
	}
	{
		int64_t *ids = arena_calloc(a, n ? n : 1, sizeof(*ids));
		int rc;
		if (!ids)
			return DB_ERR;
		for (size_t i = 0; i < n; i++)
			ids[i] = rows[i].volunteer_id;
		rc = equality_selection_values(d, a, who, programme_id, category, n, ids, values);
		if (rc)
			return rc;
		for (size_t i = 0; i < n; i++)
			if (!values[i] || !*values[i])
				values[i] = PANEL_NOT_SAID;
		return DOMAIN_OK;
	}
}

/* The selection problem for a panel, with the quota rows each category value came from
 * (quota index, or -1 for a value found in the pool without a quota: min 0, max k). */
struct built {
	struct sort_problem p;
	const struct pool_row *rows;
	size_t n;
	int **quota_of; /* per category, per value */
};

static int find_value(const struct sort_category *c, const char *v)
{
	for (size_t i = 0; i < c->n_values; i++)
		if (strcmp(c->values[i], v) == 0)
			return (int)i;
	return -1;
}

/* Builds the problem of choosing K of ROWS under QUOTAS, where SELECTED_COUNTS (may be
 * NULL) lowers each quota by the people already on the panel (replacements). IDS gives
 * each person's label (NULL: their pool row's public id). */
static int build_problem(db *d, arena *a, const struct audit_actor *who, const struct panel *pn,
			 const struct pool_row *rows, size_t n, const struct panel_quota *q,
			 size_t nq, int k, const int *already, struct built *b)
{
	size_t ncat = 0;
	const char **cat_names = arena_calloc(a, nq + 1, sizeof(*cat_names));
	const char **vals = arena_calloc(a, n ? n : 1, sizeof(*vals));
	int rc;
	memset(b, 0, sizeof(*b));
	if (!cat_names || !vals)
		return DB_ERR;
	for (size_t i = 0; i < nq; i++) {
		size_t j;
		for (j = 0; j < ncat; j++)
			if (strcmp(cat_names[j], q[i].category) == 0)
				break;
		if (j == ncat)
			cat_names[ncat++] = q[i].category;
	}
	b->rows = rows;
	b->n = n;
	b->p.k = k;
	b->p.n_people = n;
	b->p.n_categories = ncat;
	b->p.categories = arena_calloc(a, ncat ? ncat : 1, sizeof(*b->p.categories));
	b->p.feature = arena_calloc(a, (n ? n : 1) * (ncat ? ncat : 1), sizeof(int));
	b->p.person_id = arena_calloc(a, n ? n : 1, sizeof(char *));
	b->quota_of = arena_calloc(a, ncat ? ncat : 1, sizeof(int *));
	if (!b->p.categories || !b->p.feature || !b->p.person_id || !b->quota_of)
		return DB_ERR;
	for (size_t i = 0; i < n; i++)
		b->p.person_id[i] = rows[i].public_id ? rows[i].public_id : "?";
	for (size_t c = 0; c < ncat; c++) {
		struct sort_category *sc = &b->p.categories[c];
		size_t cap = nq + n + 1;
		sc->name = cat_names[c];
		sc->values = arena_calloc(a, cap, sizeof(char *));
		sc->min = arena_calloc(a, cap, sizeof(int));
		sc->max = arena_calloc(a, cap, sizeof(int));
		b->quota_of[c] = arena_calloc(a, cap, sizeof(int));
		if (!sc->values || !sc->min || !sc->max || !b->quota_of[c])
			return DB_ERR;
		for (size_t i = 0; i < nq; i++) {
			if (strcmp(q[i].category, sc->name) != 0)
				continue;
			sc->values[sc->n_values] = q[i].value;
			sc->min[sc->n_values] = q[i].min;
			sc->max[sc->n_values] = q[i].max;
			if (already) {
				int m = q[i].min - already[i], x = q[i].max - already[i];
				sc->min[sc->n_values] = m < 0 ? 0 : m;
				sc->max[sc->n_values] = x < 0 ? 0 : x;
			}
			b->quota_of[c][sc->n_values] = (int)i;
			sc->n_values++;
		}
		rc = person_values(d, a, who, pn->programme_id, sc->name, rows, n, vals);
		if (rc)
			return rc;
		for (size_t i = 0; i < n; i++) {
			int v = find_value(sc, vals[i]);
			if (v < 0) {
				v = (int)sc->n_values++;
				sc->values[v] = vals[i];
				sc->min[v] = 0;
				sc->max[v] = k;
				b->quota_of[c][v] = -1;
			}
			b->p.feature[i * ncat + c] = v;
		}
	}
	if (pn->one_per_household) {
		int *h = arena_calloc(a, n ? n : 1, sizeof(int));
		if (!h)
			return DB_ERR;
		for (size_t i = 0; i < n; i++) {
			h[i] = (int)i;
			if (!rows[i].household || !*rows[i].household)
				continue;
			for (size_t j = 0; j < i; j++)
				if (rows[j].household && strcmp(rows[j].household, rows[i].household) == 0) {
					h[i] = h[j];
					break;
				}
		}
		b->p.household = h;
	}
	return DOMAIN_OK;
}

/* --- Audit and small writes ----------------------------------------------------------- */

static int audit_panel(db *d, const struct audit_actor *who, int64_t id, const char *action,
		       const char *key, const char *text, const char *key2, int64_t num)
{
	char buf[AUDIT_JSON_MAX];
	arena *a = arena_new(AUDIT_JSON_MAX * 4);
	sbuf b;
	json j;
	int rc;
	if (!a)
		return DB_ERR;
	sbuf_init(&b, a, AUDIT_JSON_MAX);
	json_init(&j, &b);
	json_obj(&j);
	if (key) {
		json_key(&j, key);
		json_cstr(&j, text);
	}
	if (key2) {
		json_key(&j, key2);
		json_int(&j, num);
	}
	json_end(&j);
	snprintf(buf, sizeof(buf), "%s", b.err ? "{}" : b.buf);
	arena_free(a);
	rc = audit_record(d, who, "panel", id, action, NULL, buf);
	return rc;
}

static int exec_id(db *d, const char *sql, int64_t id)
{
	db_stmt *s = db_prepare(d, sql);
	int rc;
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, id);
	rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? DOMAIN_OK : rc;
}

/* Any edit after a computation clears it: probabilities for other quotas mislead. */
static int back_to_draft(db *d, int64_t id)
{
	char now[32];
	db_stmt *s;
	int rc;
	db_now_iso(now, 0);
	s = db_prepare(d, "UPDATE panels SET status = 'draft', min_probability_ppb = NULL, "
			  "legacy_min_probability_ppb = NULL, panels_used = NULL, compute_ms = NULL, "
			  "computed_at = NULL, updated_at = ? WHERE id = ?");
	if (!s)
		return DB_ERR;
	db_bind_text(s, 1, now);
	db_bind_int(s, 2, id);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return rc;
	return exec_id(d, "UPDATE panel_pool SET probability_ppb = NULL, "
			  "legacy_probability_ppb = NULL WHERE panel_id = ?",
		       id);
}

/* Loads panel ID for a change that needs it still editable. */
static int load_editable(db *d, arena *a, int64_t id, struct panel *p)
{
	int rc = panel_get(d, a, id, p);
	if (rc)
		return rc;
	return p->status == PANEL_DRAFT || p->status == PANEL_COMPUTED ? DOMAIN_OK
									 : DOMAIN_ECONFLICT;
}

/* Six letters without I and O (read aloud at a meeting, never mistaken for 1 and 0). */
static void new_public_id(char out[PANEL_PUBLIC_ID_LEN + 1])
{
	static const char letters[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
	for (int i = 0; i < PANEL_PUBLIC_ID_LEN; i++)
		out[i] = letters[randombytes_uniform(sizeof(letters) - 1)];
	out[PANEL_PUBLIC_ID_LEN] = '\0';
}

static int pool_add(db *d, int64_t panel_id, int64_t volunteer_id, const char *role)
{
	for (int attempt = 0; attempt < 20; attempt++) {
		char pid[PANEL_PUBLIC_ID_LEN + 1];
		db_stmt *s = db_prepare(d, "SELECT 1 FROM panel_pool WHERE panel_id = ? AND public_id = ?");
		int rc;
		if (!s)
			return DB_ERR;
		new_public_id(pid);
		db_bind_int(s, 1, panel_id);
		db_bind_text(s, 2, pid);
		rc = db_step(s);
		db_done(s);
		if (rc == DB_ROW)
			continue;
		if (rc != DB_DONE)
			return rc;
		s = db_prepare(d, "INSERT INTO panel_pool (panel_id, volunteer_id, public_id, role_value) "
				  "VALUES (?, ?, ?, ?)");
		if (!s)
			return DB_ERR;
		db_bind_int(s, 1, panel_id);
		db_bind_int(s, 2, volunteer_id);
		db_bind_text(s, 3, pid);
		db_bind_text(s, 4, role && *role ? role : NULL);
		rc = db_step(s);
		db_done(s);
		return rc == DB_DONE ? DOMAIN_OK : rc;
	}
	return DB_ERR;
}

/* --- Creating and editing ------------------------------------------------------------- */

static const char *check_name(const char *name)
{
	size_t len = name ? strlen(name) : 0;
	if (!len)
		return "Enter a name for the panel";
	if (len > PANEL_NAME_MAX)
		return "Name must be 200 characters or fewer";
	return NULL;
}

/* Parses PLACES as a whole number of places 1..PANEL_PLACES_MAX. */
static const char *check_places(const char *text, int *out)
{
	int64_t v;
	if (!text || !*text)
		return "Enter the number of places on the panel";
	if (sv_to_i64(sv_trim(sv_from(text)), &v) != 0)
		return "Number of places must be a whole number, like 12";
	if (v < 1)
		return "Number of places must be 1 or more";
	if (v > PANEL_PLACES_MAX)
		return "Number of places must be 500 or fewer";
	*out = (int)v;
	return NULL;
}

/* The default pool: everyone of the programme still waiting to take part, except
 * possible duplicates (both records of a pair) until a facilitator merges them. */
static int id_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	(void)a;
	(void)ctx;
	*(int64_t *)item = db_col_int(s, 0);
	return DB_OK;
}

static int default_pool(db *d, arena *a, int64_t programme_id, int64_t **ids, size_t *n)
{
	db_stmt *s = db_prepare(d, "SELECT v.id FROM volunteers v WHERE v.programme_id = ? AND "
				   "v.merged_into IS NULL AND v.stage IN ('volunteered', 'contacted', "
				   "'waiting') AND NOT " HAS_DUPLICATE " ORDER BY v.id LIMIT ?");
	db_bind_int(s, 1, programme_id);
	db_bind_int(s, 2, PANEL_POOL_MAX);
	return db_collect(s, a, sizeof(**ids), id_row, NULL, ids, n);
}

int panel_create_tx(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
		    const char *name, const char *places, bool one_per_household,
		    struct field_errors *errs, int64_t *id_out)
{
	const char *m;
	char now[32];
	int k = 0, rc;
	db_stmt *s;
	int64_t id, *pool = NULL;
	size_t n = 0;
	if ((m = check_name(name)))
		field_error_add(errs, "name", m);
	if ((m = check_places(places, &k)))
		field_error_add(errs, "places", m);
	if (field_errors_any(errs))
		return DOMAIN_EINVALID;
	s = db_prepare(d, "SELECT 1 FROM panels WHERE programme_id = ? AND name = ?");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, programme_id);
	db_bind_text(s, 2, name);
	rc = db_step(s);
	db_done(s);
	if (rc == DB_ROW) {
		field_error_add(errs, "name", "This programme already has a panel with that name");
		return DOMAIN_EINVALID;
	}
	if (rc != DB_DONE)
		return rc;
	if ((rc = default_pool(d, a, programme_id, &pool, &n)))
		return rc;
	if ((size_t)k > n) {
		field_error_add(errs, "places",
				n ? arena_printf(a, "Number of places must be no more than the %zu "
						    "people waiting to take part",
						 n)
				  : "Nobody in this programme is waiting to take part yet: a panel "
				    "needs volunteers to choose from");
		return DOMAIN_EINVALID;
	}
	db_now_iso(now, 0);
	s = db_prepare(d, "INSERT INTO panels (programme_id, name, places, one_per_household, "
			  "status, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, 'draft', "
			  "?, ?, ?)");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, programme_id);
	db_bind_text(s, 2, name);
	db_bind_int(s, 3, k);
	db_bind_int(s, 4, one_per_household ? 1 : 0);
	if (who && who->account_id)
		db_bind_int(s, 5, who->account_id);
	else
		db_bind_null(s, 5);
	db_bind_text(s, 6, now);
	db_bind_text(s, 7, now);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return rc == DB_ECONSTRAINT ? DOMAIN_ENOTFOUND : rc;
	id = db_last_insert_id(d);
	for (size_t i = 0; i < n; i++)
		if ((rc = pool_add(d, id, pool[i], NULL)))
			return rc;
	rc = audit_panel(d, who, id, "panel.create", "name", name, "places", k);
	if (rc)
		return rc;
	if (id_out)
		*id_out = id;
	return DOMAIN_OK;
}

int panel_create(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
		 const char *name, const char *places, bool one_per_household,
		 struct field_errors *errs, int64_t *id_out)
{
	IN_TRANSACTION(d, panel_create_tx(d, a, who, programme_id, name, places, one_per_household,
					  errs, id_out));
}

static int panel_update_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
			   const char *name, const char *places, bool one_per_household,
			   struct field_errors *errs)
{
	struct panel p;
	const char *m;
	char now[32];
	int k = 0, rc = load_editable(d, a, id, &p);
	db_stmt *s;
	if (rc)
		return rc;
	if ((m = check_name(name)))
		field_error_add(errs, "name", m);
	if ((m = check_places(places, &k)))
		field_error_add(errs, "places", m);
	else if ((size_t)k > p.pool_size)
		field_error_add(errs, "places",
				arena_printf(a, "Number of places must be no more than the %zu people "
						"in the pool",
					     p.pool_size));
	if (field_errors_any(errs))
		return DOMAIN_EINVALID;
	s = db_prepare(d, "SELECT 1 FROM panels WHERE programme_id = ? AND name = ? AND id <> ?");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, p.programme_id);
	db_bind_text(s, 2, name);
	db_bind_int(s, 3, id);
	rc = db_step(s);
	db_done(s);
	if (rc == DB_ROW) {
		field_error_add(errs, "name", "This programme already has a panel with that name");
		return DOMAIN_EINVALID;
	}
	db_now_iso(now, 0);
	s = db_prepare(d, "UPDATE panels SET name = ?, places = ?, one_per_household = ?, "
			  "updated_at = ? WHERE id = ?");
	if (!s)
		return DB_ERR;
	db_bind_text(s, 1, name);
	db_bind_int(s, 2, k);
	db_bind_int(s, 3, one_per_household ? 1 : 0);
	db_bind_text(s, 4, now);
	db_bind_int(s, 5, id);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return rc;
	if ((rc = back_to_draft(d, id)))
		return rc;
	return audit_panel(d, who, id, "panel.update", "name", name, "places", k);
}

int panel_update(db *d, arena *a, const struct audit_actor *who, int64_t id, const char *name,
		 const char *places, bool one_per_household, struct field_errors *errs)
{
	IN_TRANSACTION(d, panel_update_tx(d, a, who, id, name, places, one_per_household, errs));
}

int panel_pool_set_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
		      const int64_t *volunteer_ids, const char *const *role_of, size_t n,
		      struct field_errors *errs)
{
	struct panel p;
	struct panel_candidate *c;
	size_t nc;
	int rc = load_editable(d, a, id, &p);
	if (rc)
		return rc;
	if (n == 0) {
		field_error_add(errs, "pool", "Choose at least one person for the pool");
		return DOMAIN_EINVALID;
	}
	if (n < (size_t)p.places) {
		field_error_add(errs, "pool",
				arena_printf(a, "Choose at least %d people: the panel has %d places",
					     p.places, p.places));
		return DOMAIN_EINVALID;
	}
	if ((rc = panel_candidates(d, a, id, &c, &nc)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		size_t j;
		const char *role = role_of ? role_of[i] : NULL;
		for (j = 0; j < nc; j++)
			if (c[j].volunteer_id == volunteer_ids[i])
				break;
		if (j == nc)
			return DOMAIN_ENOTFOUND;
		if (role && *role && strcmp(role, PANEL_ROLE_LIVED) != 0 &&
		    strcmp(role, PANEL_ROLE_PROFESSIONAL) != 0) {
			field_error_add(errs, "pool", "Choose lived experience, professional or no role");
			return DOMAIN_EINVALID;
		}
	}
	/* Keep the rows (and public ids) of those who stay; drop the others. */
	for (size_t j = 0; j < nc; j++) {
		bool keep = false;
		for (size_t i = 0; i < n && !keep; i++)
			keep = volunteer_ids[i] == c[j].volunteer_id;
		if (c[j].in_pool && !keep) {
			db_stmt *s = db_prepare(d, "DELETE FROM panel_pool WHERE panel_id = ? AND "
						   "volunteer_id = ?");
			if (!s)
				return DB_ERR;
			db_bind_int(s, 1, id);
			db_bind_int(s, 2, c[j].volunteer_id);
			rc = db_step(s);
			db_done(s);
			if (rc != DB_DONE)
				return rc;
		}
	}
	for (size_t i = 0; i < n; i++) {
		const char *role = role_of && role_of[i] && *role_of[i] ? role_of[i] : NULL;
		bool was = false;
		for (size_t j = 0; j < nc; j++)
			if (c[j].volunteer_id == volunteer_ids[i])
				was = c[j].in_pool;
		if (was) {
			db_stmt *s = db_prepare(d, "UPDATE panel_pool SET role_value = ? WHERE "
						   "panel_id = ? AND volunteer_id = ?");
			if (!s)
				return DB_ERR;
			db_bind_text(s, 1, role);
			db_bind_int(s, 2, id);
			db_bind_int(s, 3, volunteer_ids[i]);
			rc = db_step(s);
			db_done(s);
			if (rc != DB_DONE)
				return rc;
		} else if ((rc = pool_add(d, id, volunteer_ids[i], role))) {
			return rc;
		}
	}
	if ((rc = back_to_draft(d, id)))
		return rc;
	return audit_panel(d, who, id, "panel.pool", NULL, NULL, "pool_size", (int64_t)n);
}

int panel_pool_set(db *d, arena *a, const struct audit_actor *who, int64_t id,
		   const int64_t *volunteer_ids, const char *const *role_of, size_t n,
		   struct field_errors *errs)
{
	IN_TRANSACTION(d, panel_pool_set_tx(d, a, who, id, volunteer_ids, role_of, n, errs));
}

/* --- Quotas --------------------------------------------------------------------------- */

int panel_pool_counts_tx(db *d, arena *a, const struct audit_actor *who, int64_t panel_id,
			 const char *category, const char ***values_out, int64_t **counts_out,
			 size_t *n)
{
	struct panel p;
	struct pool_row *rows;
	size_t nr, nv = 0;
	const char **vals, **distinct;
	int64_t *counts;
	int rc = panel_get(d, a, panel_id, &p);
	*n = 0;
	if (rc || (rc = pool_rows(d, a, panel_id, false, &rows, &nr)))
		return rc;
	vals = arena_calloc(a, nr + 1, sizeof(*vals));
	distinct = arena_calloc(a, nr + 1, sizeof(*distinct));
	counts = arena_calloc(a, nr + 1, sizeof(*counts));
	if (!vals || !distinct || !counts)
		return DB_ERR;
	if ((rc = person_values(d, a, who, p.programme_id, category, rows, nr, vals)))
		return rc;
	for (size_t i = 0; i < nr; i++) {
		size_t j;
		for (j = 0; j < nv; j++)
			if (strcmp(distinct[j], vals[i]) == 0)
				break;
		if (j == nv)
			distinct[nv++] = vals[i];
		counts[j]++;
	}
	*values_out = distinct;
	*counts_out = counts;
	*n = nv;
	return DOMAIN_OK;
}

int panel_pool_counts(db *d, arena *a, const struct audit_actor *who, int64_t panel_id,
		      const char *category, const char ***values_out, int64_t **counts_out,
		      size_t *n)
{
	IN_TRANSACTION(d, panel_pool_counts_tx(d, a, who, panel_id, category, values_out,
					       counts_out, n));
}

struct population_row {
	const char *value;
	int64_t count; /* -1 when there is none */
	int64_t share_ppm;
};

/* Reads one population figure, leaving out "prefer not to say". */
static int population_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct population_row *r = item;
	(void)ctx;
	if (sv_eq_cstr(db_col_sv(s, 0), EQUALITY_PREFER_NOT))
		return DB_SKIP;
	r->value = db_col_dup(s, 0, a);
	r->count = db_col_null(s, 1) ? -1 : db_col_int(s, 1);
	r->share_ppm = db_col_null(s, 2) ? 0 : db_col_int(s, 2);
	return DB_OK;
}

/* Population weights for CATEGORY: for ward, the wards' 2021 populations; else the
 * programme's population figures (counts, or shares when there are no counts). */
static int population(db *d, arena *a, int64_t programme_id, const char *category,
		      const char ***values, int64_t **weights, size_t *n)
{
	db_stmt *s;
	struct population_row *rows;
	size_t n_counts = 0;
	int rc;
	bool ward = strcmp(category, "ward") == 0;
	*values = NULL;
	*weights = NULL;
	*n = 0;
	if (strcmp(category, "role") == 0)
		return DOMAIN_OK;
	s = ward ? db_prepare(d, "SELECT code, population_2021, NULL FROM wards ORDER BY code")
		 : db_prepare(d, "SELECT value, count, share_ppm FROM population_figures WHERE "
				 "programme_id = ? AND category = ? ORDER BY value");
	if (!ward) {
		db_bind_int(s, 1, programme_id);
		db_bind_text(s, 2, category);
	}
	if ((rc = db_collect(s, a, sizeof(*rows), population_row, NULL, &rows, n)) || !*n)
		return rc;
	if (!(*values = arena_calloc(a, *n, sizeof(**values))) ||
	    !(*weights = arena_calloc(a, *n, sizeof(**weights)))) {
		*n = 0;
		return DB_ERR;
	}
	for (size_t i = 0; i < *n; i++)
		n_counts += rows[i].count >= 0;
	/* Counts where every value has one, else shares. */
	for (size_t i = 0; i < *n; i++) {
		(*values)[i] = rows[i].value;
		(*weights)[i] = n_counts == *n ? rows[i].count : rows[i].share_ppm;
	}
	return DOMAIN_OK;
}

int panel_quotas_propose(db *d, arena *a, const struct audit_actor *who, int64_t id,
			 const char *category, struct panel_quota **out, size_t *n)
{
	struct panel p;
	const char **pool_vals = NULL, **pop_vals;
	int64_t *pool_counts = NULL, *weights, total = 0;
	size_t np = 0, npop;
	struct panel_quota *q;
	/* Equality answers are special-category data: their pool counts are never read. */
	bool special = strcmp(category, "ward") != 0 && strcmp(category, "role") != 0;
	int rc = panel_get(d, a, id, &p), k;
	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	k = p.places;
	if (!special &&
	    (rc = panel_pool_counts_tx(d, a, who, id, category, &pool_vals, &pool_counts, &np)))
		return rc;
	if ((rc = population(d, a, p.programme_id, category, &pop_vals, &weights, &npop)))
		return rc;
	for (size_t i = 0; i < npop; i++)
		total += weights[i] > 0 ? weights[i] : 0;
	if (!(q = arena_calloc(a, np + 3, sizeof(*q))))
		return DB_ERR;
	if (strcmp(category, "role") == 0) {
		/* Lived experience and professional side by side, half and half. */
		q[(*n)++] = (struct panel_quota){(char *)"role", (char *)PANEL_ROLE_LIVED, k / 2,
						 (k + 1) / 2};
		q[(*n)++] = (struct panel_quota){(char *)"role", (char *)PANEL_ROLE_PROFESSIONAL,
						 k / 2, (k + 1) / 2};
		for (size_t i = 0; i < np; i++)
			if (strcmp(pool_vals[i], PANEL_NOT_SAID) == 0)
				q[(*n)++] = (struct panel_quota){(char *)"role", (char *)PANEL_NOT_SAID,
								 0, k};
	} else {
		/* Equality answers are special-category data: the rows, minima and maxima must
		 * not say which answers the pool holds or how many gave them, so every value of
		 * the category is listed and no quota is fitted to the pool (k stands in for its
		 * counts). Wards are not special: their rows are the wards the pool lives in. */
		const char **vals = pool_vals;
		int64_t *cnt = pool_counts;
		size_t nv = np;
		if (special) {
			const struct equality_category *cats, *ec = NULL;
			size_t ncats;
			if ((rc = equality_programme_categories(d, a, p.programme_id, &cats, &ncats)))
				return rc;
			for (size_t i = 0; i < ncats && !ec; i++)
				if (strcmp(cats[i].slug, category) == 0)
					ec = &cats[i];
			if (!ec)
				return DOMAIN_EINVALID;
			nv = ec->n_values + 1;
			vals = arena_calloc(a, nv, sizeof(*vals));
			cnt = arena_calloc(a, nv, sizeof(*cnt));
			if (!vals || !cnt || !(q = arena_calloc(a, nv + 3, sizeof(*q))))
				return DB_ERR;
			for (size_t i = 0; i < nv; i++)
				vals[i] = i < ec->n_values ? ec->values[i].slug : PANEL_NOT_SAID;
		}
		for (size_t i = 0; i < nv; i++) {
			struct panel_quota *x = &q[(*n)++];
			int64_t w = -1;
			x->category = arena_strdup(a, category);
			x->value = (char *)vals[i];
			for (size_t j = 0; j < npop; j++)
				if (strcmp(pop_vals[j], vals[i]) == 0)
					w = weights[j];
			if (w < 0 || total <= 0 || strcmp(vals[i], PANEL_NOT_SAID) == 0) {
				x->min = 0;
				x->max = k;
				continue;
			}
			/* e = w * k / total: floor and ceiling, lifted to 1 from half a person. */
			x->min = (int)(w * k / total);
			x->max = (int)((w * k + total - 1) / total);
			if (x->min == 0 && 2 * w * k >= total)
				x->min = 1;
			if (!special && x->min > cnt[i])
				x->min = (int)cnt[i];
			if (x->max < x->min)
				x->max = x->min;
			if (x->max > k)
				x->max = k;
		}
		/* Keep it viable: minima at most k, maxima at least k in all. */
		for (;;) {
			int sum = 0;
			size_t big = 0;
			for (size_t i = 0; i < *n; i++) {
				sum += q[i].min;
				if (q[i].min > q[big].min)
					big = i;
			}
			if (sum <= k || q[big].min == 0)
				break;
			q[big].min--;
		}
		for (;;) {
			int sum = 0;
			size_t roomy = 0;
			int64_t best = -1;
			/* Only people who are in the pool can fill a maximum; for special
			 * categories that count stays unread and k stands in for it. */
			for (size_t i = 0; i < *n; i++) {
				int64_t avail = special ? k : cnt[i];
				sum += q[i].max < avail ? q[i].max : (int)avail;
				if (q[i].max < k && avail - q[i].max > best) {
					best = avail - q[i].max;
					roomy = i;
				}
			}
			if (sum >= k || best <= 0)
				break;
			q[roomy].max++;
		}
	}
	*out = q;
	return DOMAIN_OK;
}

static int next_position(db *d, int64_t id, int *pos)
{
	db_stmt *s = db_prepare(d, "SELECT COALESCE(MAX(position), 0) FROM panel_quotas WHERE "
				   "panel_id = ?");
	int rc;
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, id);
	rc = db_step(s);
	*pos = rc == DB_ROW ? (int)db_col_int(s, 0) + 1 : 1;
	db_done(s);
	return rc == DB_ROW ? DOMAIN_OK : rc;
}

/* Where CATEGORY's quotas stand on the page, so a value added later sits with them. */
static int category_position(db *d, int64_t id, const char *category, int *pos)
{
	db_stmt *s = db_prepare(d, "SELECT MIN(position) FROM panel_quotas WHERE panel_id = ? AND "
				   "category = ?");
	int rc;
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, id);
	db_bind_text(s, 2, category);
	rc = db_step(s);
	if (rc == DB_ROW && !db_col_null(s, 0)) {
		*pos = (int)db_col_int(s, 0);
		db_done(s);
		return DOMAIN_OK;
	}
	db_done(s);
	if (rc != DB_ROW)
		return rc;
	return next_position(d, id, pos);
}

static int quota_insert(db *d, int64_t id, const char *category, const char *value, int min,
			int max, int pos)
{
	db_stmt *s = db_prepare(d, "INSERT INTO panel_quotas (panel_id, category, value, min_count, "
				   "max_count, position) VALUES (?, ?, ?, ?, ?, ?)");
	int rc;
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, id);
	db_bind_text(s, 2, category);
	db_bind_text(s, 3, value);
	db_bind_int(s, 4, min);
	db_bind_int(s, 5, max);
	db_bind_int(s, 6, pos);
	rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? DOMAIN_OK : rc;
}

static int category_delete(db *d, int64_t id, const char *category)
{
	db_stmt *s = db_prepare(d, "DELETE FROM panel_quotas WHERE panel_id = ? AND category = ?");
	int rc;
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, id);
	db_bind_text(s, 2, category);
	rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? DOMAIN_OK : rc;
}

int panel_category_add_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
			  const char *category, struct field_errors *errs)
{
	struct panel p;
	struct panel_quota *q;
	size_t n;
	int pos, rc = load_editable(d, a, id, &p);
	if (rc)
		return rc;
	if (!category || !*category || !category_allowed(d, a, p.programme_id, category)) {
		field_error_add(errs, "category", "Choose a category from the list");
		return DOMAIN_EINVALID;
	}
	{
		db_stmt *s = db_prepare(d, "SELECT COUNT(DISTINCT category) FROM panel_quotas WHERE "
					   "panel_id = ? AND category <> ?");
		int64_t used = 0;
		if (!s)
			return DB_ERR;
		db_bind_int(s, 1, id);
		db_bind_text(s, 2, category);
		if ((rc = db_step(s)) == DB_ROW)
			used = db_col_int(s, 0);
		db_done(s);
		if (rc != DB_ROW)
			return rc;
		if (used >= PANEL_CATEGORIES_MAX) {
			field_error_add(errs, "category",
					"A panel can have quotas for at most 12 categories: remove one "
					"first");
			return DOMAIN_EINVALID;
		}
	}
	if ((rc = panel_quotas_propose(d, a, who, id, category, &q, &n)))
		return rc;
	if ((rc = category_delete(d, id, category)) || (rc = next_position(d, id, &pos)))
		return rc;
	for (size_t i = 0; i < n; i++)
		if ((rc = quota_insert(d, id, category, q[i].value, q[i].min, q[i].max, pos)))
			return rc;
	if ((rc = back_to_draft(d, id)))
		return rc;
	return audit_panel(d, who, id, "panel.category_add", "category", category, NULL, 0);
}

int panel_category_add(db *d, arena *a, const struct audit_actor *who, int64_t id,
		       const char *category, struct field_errors *errs)
{
	IN_TRANSACTION(d, panel_category_add_tx(d, a, who, id, category, errs));
}

static int panel_category_remove_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
				    const char *category)
{
	struct panel p;
	int rc = load_editable(d, a, id, &p);
	if (rc || (rc = category_delete(d, id, category)) || (rc = back_to_draft(d, id)))
		return rc;
	return audit_panel(d, who, id, "panel.category_remove", "category", category, NULL, 0);
}

int panel_category_remove(db *d, arena *a, const struct audit_actor *who, int64_t id,
			  const char *category)
{
	IN_TRANSACTION(d, panel_category_remove_tx(d, a, who, id, category));
}

static const char *parse_count(const char *text, int *out)
{
	int64_t v;
	if (!text || !*sv_trim(sv_from(text)).ptr)
		return "Enter a number";
	if (sv_to_i64(sv_trim(sv_from(text)), &v) != 0)
		return "Enter a whole number, like 2";
	if (v < 0)
		return "Enter a number that is 0 or more";
	if (v > PANEL_PLACES_MAX)
		return "Enter a number no more than 500";
	*out = (int)v;
	return NULL;
}

int panel_quotas_save_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
				const char *const *mins, const char *const *maxs, size_t n,
				struct field_errors *errs)
{
	struct panel p;
	struct panel_quota *q;
	size_t nq;
	int *mn, *mx, rc = load_editable(d, a, id, &p);
	if (rc || (rc = panel_quotas_list(d, a, id, &q, &nq)))
		return rc;
	if (n != nq)
		return DOMAIN_ECONFLICT;
	mn = arena_calloc(a, nq + 1, sizeof(int));
	mx = arena_calloc(a, nq + 1, sizeof(int));
	if (!mn || !mx)
		return DB_ERR;
	for (size_t i = 0; i < nq; i++) {
		const char *fmin = arena_printf(a, "min-%zu", i), *fmax = arena_printf(a, "max-%zu", i);
		const char *e1 = parse_count(mins[i], &mn[i]), *e2 = parse_count(maxs[i], &mx[i]);
		if (e1)
			field_error_add(errs, fmin, e1);
		if (e2)
			field_error_add(errs, fmax, e2);
		if (!e1 && !e2 && mn[i] > mx[i])
			field_error_add(errs, fmin, "Minimum must not be more than the maximum");
	}
	/* Each category's minima and maxima must leave room for exactly k people. */
	for (size_t i = 0; i < nq && !field_errors_any(errs); i++) {
		int smin = 0, smax = 0;
		size_t first = i;
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			seen = seen || strcmp(q[j].category, q[i].category) == 0;
		if (seen)
			continue;
		for (size_t j = i; j < nq; j++)
			if (strcmp(q[j].category, q[i].category) == 0) {
				smin += mn[j];
				smax += mx[j];
			}
		if (smin > p.places)
			field_error_add(errs, arena_printf(a, "min-%zu", first),
					arena_printf(a, "The minimums for %s add up to %d, more than "
							"the %d places",
						     panel_category_label(d, a, p.programme_id,
									  q[i].category),
						     smin, p.places));
		else if (smax < p.places)
			field_error_add(errs, arena_printf(a, "max-%zu", first),
					arena_printf(a, "The maximums for %s add up to %d, fewer than "
							"the %d places",
						     panel_category_label(d, a, p.programme_id,
									  q[i].category),
						     smax, p.places));
	}
	if (field_errors_any(errs))
		return DOMAIN_EINVALID;
	for (size_t i = 0; i < nq; i++) {
		db_stmt *s = db_prepare(d, "UPDATE panel_quotas SET min_count = ?, max_count = ? "
					   "WHERE panel_id = ? AND category = ? AND value = ?");
		if (!s)
			return DB_ERR;
		db_bind_int(s, 1, mn[i]);
		db_bind_int(s, 2, mx[i]);
		db_bind_int(s, 3, id);
		db_bind_text(s, 4, q[i].category);
		db_bind_text(s, 5, q[i].value);
		rc = db_step(s);
		db_done(s);
		if (rc != DB_DONE)
			return rc;
	}
	if ((rc = back_to_draft(d, id)))
		return rc;
	return audit_panel(d, who, id, "panel.quotas", NULL, NULL, "quotas", (int64_t)nq);
}

int panel_quotas_save(db *d, arena *a, const struct audit_actor *who, int64_t id,
		      const char *const *mins, const char *const *maxs, size_t n,
		      struct field_errors *errs)
{
	IN_TRANSACTION(d, panel_quotas_save_tx(d, a, who, id, mins, maxs, n, errs));
}

static int panel_quotas_import_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
				  sv text, const char ***lines_out, size_t *n_lines)
{
	struct panel p;
	struct sort_problem sp;
	struct sort_file_errors fe;
	const char **lines;
	int rc = load_editable(d, a, id, &p);
	*lines_out = NULL;
	*n_lines = 0;
	if (rc)
		return rc;
	memset(&sp, 0, sizeof(sp));
	memset(&fe, 0, sizeof(fe));
	if (!(lines = arena_calloc(a, SORT_FILE_MAX_ERRORS + 2 * SORT_MAX_CATEGORIES + 3,
				   sizeof(*lines))))
		return DB_ERR;
	rc = sortition_read_categories(a, text, &sp, &fe);
	if (rc == SORT_ENOMEM)
		return DB_ERR;
	for (size_t i = 0; i < fe.n; i++)
		lines[(*n_lines)++] = fe.item[i].line
					      ? arena_printf(a, "Line %d: %s", fe.item[i].line,
							     fe.item[i].message)
					      : arena_strdup(a, fe.item[i].message);
	if (rc == SORT_OK && sp.n_categories > PANEL_CATEGORIES_MAX)
		lines[(*n_lines)++] = "A panel can have quotas for at most 12 categories";
	if (rc == SORT_OK) {
		for (size_t c = 0; c < sp.n_categories; c++)
			if (!category_allowed(d, a, p.programme_id, sp.categories[c].name))
				lines[(*n_lines)++] = arena_printf(
					a, "Category \"%s\" is not one this panel can use: use ward, role or an equality category such as age_band",
					sp.categories[c].name);
		for (size_t c = 0; c < sp.n_categories; c++) {
			int smin = 0;
			for (size_t v = 0; v < sp.categories[c].n_values; v++)
				smin += sp.categories[c].min[v];
			if (smin > p.places)
				lines[(*n_lines)++] = arena_printf(
					a, "The minimums for %s add up to %d, more than the %d places",
					sp.categories[c].name, smin, p.places);
		}
	}
	*lines_out = lines;
	if (rc != SORT_OK || *n_lines) {
		if (!*n_lines)
			lines[(*n_lines)++] = "The file could not be read as a categories file";
		return DOMAIN_EINVALID;
	}
	if ((rc = exec_id(d, "DELETE FROM panel_quotas WHERE panel_id = ?", id)))
		return rc;
	for (size_t c = 0; c < sp.n_categories; c++)
		for (size_t v = 0; v < sp.categories[c].n_values; v++)
			if ((rc = quota_insert(d, id, sp.categories[c].name, sp.categories[c].values[v],
					       sp.categories[c].min[v], sp.categories[c].max[v],
					       (int)c + 1)))
				return rc == DB_ECONSTRAINT ? DOMAIN_EINVALID : rc;
	if ((rc = back_to_draft(d, id)))
		return rc;
	return audit_panel(d, who, id, "panel.quotas_import", NULL, NULL, "categories",
			   (int64_t)sp.n_categories);
}

int panel_quotas_import(db *d, arena *a, const struct audit_actor *who, int64_t id, sv text,
			const char ***lines_out, size_t *n_lines)
{
	IN_TRANSACTION(d, panel_quotas_import_tx(d, a, who, id, text, lines_out, n_lines));
}

/* --- Computing ------------------------------------------------------------------------ */

/* Loads the panel, its pool and quotas and builds the problem. */
static int prepare(db *d, arena *a, const struct audit_actor *who, int64_t id, struct panel *p,
		   struct pool_row **rows, size_t *n, struct panel_quota **q, size_t *nq,
		   struct built *b, struct panel_compute_outcome *out)
{
	int rc;
	if ((rc = pool_rows(d, a, id, false, rows, n)) || (rc = panel_quotas_list(d, a, id, q, nq)))
		return rc;
	if (*n < (size_t)p->places) {
		out->reason = arena_printf(a, "The panel has %d places but only %zu people in "
					      "the pool. Add people to the pool or reduce the places.",
					   p->places, *n);
		return DOMAIN_ECONFLICT;
	}
	return build_problem(d, a, who, p, *rows, *n, *q, *nq, p->places, NULL, b);
}

/* Makes the change CH to a quota of an equality category coarser, so that it does not
 * tell how many in the pool gave that answer (see panel_relax_change): still a
 * relaxation, so the quotas can still be met. */
static void coarsen(struct panel_relax_change *ch, int k)
{
	if (ch->new_min < ch->min)
		ch->new_min = ch->new_min < disclosure_threshold() ? 0 : ch->new_min / 5 * 5;
	if (ch->new_max > ch->max) {
		int up = (ch->new_max + 4) / 5 * 5;
		ch->new_max = up > k ? (ch->new_max > k ? ch->new_max : k) : up;
	}
}

/* The smallest relaxation of B's quotas, as changes to show. */
static int relaxation(arena *a, const struct built *b, const struct panel_quota *q,
		      struct panel_compute_outcome *out)
{
	size_t total = 0, at = 0;
	int *mn, *mx, rc;
	for (size_t c = 0; c < b->p.n_categories; c++)
		total += b->p.categories[c].n_values;
	mn = arena_calloc(a, total + 1, sizeof(int));
	mx = arena_calloc(a, total + 1, sizeof(int));
	out->changes = arena_calloc(a, total + 1, sizeof(*out->changes));
	if (!mn || !mx || !out->changes)
		return DB_ERR;
	rc = sortition_relax(&b->p, a, mn, mx);
	if (rc != SORT_OK) {
		out->reason = "Even changing the quotas cannot make a panel: there are too few "
			      "people in the pool, or too few households.";
		return DOMAIN_OK;
	}
	for (size_t c = 0; c < b->p.n_categories; c++) {
		const struct sort_category *sc = &b->p.categories[c];
		for (size_t v = 0; v < sc->n_values; v++, at++) {
			struct panel_relax_change *ch;
			if (mn[at] == sc->min[v] && mx[at] == sc->max[v])
				continue;
			ch = &out->changes[out->n_changes++];
			ch->category = (char *)sc->name;
			ch->value = (char *)sc->values[v];
			ch->min = sc->min[v];
			ch->max = sc->max[v];
			ch->new_min = mn[at];
			ch->new_max = mx[at];
			if (strcmp(sc->name, "ward") != 0 && strcmp(sc->name, "role") != 0)
				coarsen(ch, b->p.k);
		}
	}
	(void)q;
	return DOMAIN_OK;
}

/* Stores PROB for the pool, and LEGACY's beside it unless LEGACY is NULL (the lottery
 * keeps the greedy figures worked out before it). */
static int store_probabilities(db *d, const struct built *b, const double *prob,
			       const double *legacy, bool keep_legacy)
{
	for (size_t i = 0; i < b->n; i++) {
		db_stmt *s = keep_legacy
				     ? db_prepare(d, "UPDATE panel_pool SET probability_ppb = ? "
						     "WHERE id = ?")
				     : db_prepare(d, "UPDATE panel_pool SET probability_ppb = ?, "
						     "legacy_probability_ppb = ? WHERE id = ?");
		int rc;
		if (!s)
			return DB_ERR;
		db_bind_int(s, 1, to_ppb(prob[i]));
		if (keep_legacy) {
			db_bind_int(s, 2, b->rows[i].pool_id);
		} else {
			if (legacy)
				db_bind_int(s, 2, to_ppb(legacy[i]));
			else
				db_bind_null(s, 2);
			db_bind_int(s, 3, b->rows[i].pool_id);
		}
		rc = db_step(s);
		db_done(s);
		if (rc != DB_DONE)
			return rc;
	}
	return DOMAIN_OK;
}

int panel_compute_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
		     struct panel_compute_outcome *out)
{
	struct panel p;
	struct pool_row *rows;
	struct panel_quota *q;
	size_t n, nq;
	struct built b;
	struct sort_result res;
	double *legacy;
	char err[ERR_MAX] = "", now[32];
	int64_t legacy_min = -1;
	db_stmt *s;
	int rc = load_editable(d, a, id, &p);
	memset(out, 0, sizeof(*out));
	if (rc)
		return rc;
	if ((rc = prepare(d, a, who, id, &p, &rows, &n, &q, &nq, &b, out)))
		return rc == DOMAIN_ECONFLICT ? DOMAIN_OK : rc;
	b.p.time_limit_seconds = time_limit;
	rc = sortition_leximin(&b.p, a, &res, err, sizeof(err));
	if (rc == SORT_EINFEASIBLE) {
		out->infeasible = true;
		return relaxation(a, &b, q, out);
	}
	if (rc == SORT_ENOMEM)
		return DB_ERR;
	if (rc == SORT_ETIMEOUT) {
		out->reason = PANEL_TOO_LARGE;
		return DOMAIN_OK;
	}
	if (rc != SORT_OK) {
		out->reason = arena_printf(a, "The chances could not be worked out: %s", err);
		return DOMAIN_OK;
	}
	legacy = arena_calloc(a, n ? n : 1, sizeof(double));
	if (!legacy)
		return DB_ERR;
	if (sortition_legacy(&b.p, a, (uint64_t)id, PANEL_LEGACY_RUNS, legacy) != SORT_OK)
		legacy = NULL;
	else
		for (size_t i = 0; i < n; i++)
			if (legacy_min < 0 || to_ppb(legacy[i]) < legacy_min)
				legacy_min = to_ppb(legacy[i]);
	if ((rc = store_probabilities(d, &b, res.prob, legacy, false)))
		return rc;
	db_now_iso(now, 0);
	s = db_prepare(d, "UPDATE panels SET status = 'computed', min_probability_ppb = ?, "
			  "legacy_min_probability_ppb = ?, panels_used = ?, compute_ms = ?, "
			  "computed_at = ?, updated_at = ? WHERE id = ?");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, to_ppb(res.min_prob));
	if (legacy_min >= 0)
		db_bind_int(s, 2, legacy_min);
	else
		db_bind_null(s, 2);
	db_bind_int(s, 3, (int64_t)res.n_panels);
	db_bind_int(s, 4, (int64_t)(res.seconds * 1000 + 0.5));
	db_bind_text(s, 5, now);
	db_bind_text(s, 6, now);
	db_bind_int(s, 7, id);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return rc;
	return audit_panel(d, who, id, "panel.compute", NULL, NULL, "min_probability_ppb",
			   to_ppb(res.min_prob));
}

int panel_compute(db *d, arena *a, const struct audit_actor *who, int64_t id,
		  struct panel_compute_outcome *out)
{
	int rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	rc = panel_compute_tx(d, a, who, id, out);
	solver_release();
	/* A refusal still commits: the reads of equality values stay in the audit log. */
	if (rc == DOMAIN_OK)
		rc = db_commit(d);
	if (rc != DOMAIN_OK) {
		db_rollback(d);
		return rc;
	}
	return out->infeasible || out->reason ? DOMAIN_ECONFLICT : DOMAIN_OK;
}

int panel_relax_apply_tx(db *d, arena *a, const struct audit_actor *who, int64_t id)
{
	struct panel p;
	struct pool_row *rows;
	struct panel_quota *q;
	size_t n, nq;
	struct built b;
	struct panel_compute_outcome out;
	int pos = 0, rc = load_editable(d, a, id, &p);
	memset(&out, 0, sizeof(out));
	if (rc)
		return rc;
	if ((rc = prepare(d, a, who, id, &p, &rows, &n, &q, &nq, &b, &out)))
		return rc;
	if ((rc = relaxation(a, &b, q, &out)))
		return rc;
	if (out.reason)
		return DOMAIN_ECONFLICT;
	for (size_t i = 0; i < out.n_changes; i++) {
		const struct panel_relax_change *ch = &out.changes[i];
		db_stmt *s = db_prepare(d, "UPDATE panel_quotas SET min_count = ?, max_count = ? "
					   "WHERE panel_id = ? AND category = ? AND value = ?");
		if (!s)
			return DB_ERR;
		db_bind_int(s, 1, ch->new_min);
		db_bind_int(s, 2, ch->new_max);
		db_bind_int(s, 3, id);
		db_bind_text(s, 4, ch->category);
		db_bind_text(s, 5, ch->value);
		rc = db_step(s);
		db_done(s);
		if (rc != DB_DONE)
			return rc;
		if (db_changes(d) == 0 &&
		    ((rc = category_position(d, id, ch->category, &pos)) ||
		     (rc = quota_insert(d, id, ch->category, ch->value, ch->new_min, ch->new_max,
					pos))))
			return rc;
	}
	if ((rc = back_to_draft(d, id)))
		return rc;
	return audit_panel(d, who, id, "panel.relax", NULL, NULL, "changes",
			   (int64_t)out.n_changes);
}

static int relax_apply(db *d, arena *a, const struct audit_actor *who, int64_t id)
{
	IN_TRANSACTION(d, panel_relax_apply_tx(d, a, who, id));
}

int panel_relax_apply(db *d, arena *a, const struct audit_actor *who, int64_t id)
{
	int rc = relax_apply(d, a, who, id);
	solver_release();
	return rc;
}

/* --- The lottery and the draw --------------------------------------------------------- */

/* The day and the minutes after midnight of AT, which starts "YYYY-MM-DDTHH:MM".
 * Returns 0, or -1 when it does not. */
static int split_at(const char *at, struct date *day, int *minutes)
{
	return at && strlen(at) >= 16 && at[10] == 'T' && date_parse((sv){at, 10}, day) == 0 &&
			       time_parse((sv){at + 11, 5}, minutes) == 0
		       ? 0
		       : -1;
}

/* ISO (UTC, "YYYY-MM-DDTHH:MM...") as Salford's local time "YYYY-MM-DDTHH:MM" into OUT.
 * Returns 0, or -1 when ISO is not such a time. */
static int local_at(const char *iso, char out[17])
{
	char buf[40];
	struct date day;
	int m;
	int64_t minutes;
	if (split_at(iso, &day, &m) != 0)
		return -1;
	minutes = date_uk_clock((date_to_days(day) * 1440 + m) * 60) / 60;
	day = date_from_days(minutes / 1440);
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d", day.y, day.m, day.d,
		 (int)(minutes % 1440) / 60, (int)(minutes % 60));
	snprintf(out, 17, "%.16s", buf);
	return 0;
}

const char *panel_local_at(arena *a, const char *iso)
{
	char out[17];
	return local_at(iso, out) == 0 ? arena_strdup(a, out) : NULL;
}

/* The time now in Salford as a planned draw is written, to compare with one:
 * "YYYY-MM-DDTHH:MM". */
static void now_local(char out[17])
{
	char iso[32];
	db_now_iso(iso, 0);
	if (local_at(iso, out) != 0)
		snprintf(out, 17, "%.16s", iso);
}

bool panel_draw_overdue(const struct panel *p)
{
	char now[17];
	if (p->status != PANEL_PUBLISHED || !p->draw_at)
		return false;
	now_local(now);
	return strcmp(p->draw_at, now) <= 0;
}

/* Digits S[0..N) as a number, or -1 when N is 0 or any is not a digit. */
static int small_number(const char *s, size_t n)
{
	int v = 0;
	if (!n || n > 2)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + s[i] - '0';
	}
	return v;
}

int panel_time_parse(const char *text, int *minutes)
{
	sv t = sv_trim(sv_from(text));
	char buf[16];
	size_t n = 0, split;
	int h, m = 0, pm = -1;
	/* Lower case, without spaces: "6.30 PM" is "6.30pm". */
	for (size_t i = 0; i < t.len; i++) {
		char c = t.ptr[i];
		if (c == ' ')
			continue;
		if (n + 1 >= sizeof(buf))
			return -1;
		buf[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	buf[n] = '\0';
	if (n > 2 && (strcmp(buf + n - 2, "am") == 0 || strcmp(buf + n - 2, "pm") == 0)) {
		pm = buf[n - 2] == 'p';
		n -= 2;
		buf[n] = '\0';
	}
	split = strcspn(buf, ":.");
	if (split < n) { /* "18:30", "18.30", "6.30" */
		h = small_number(buf, split);
		if (n - split - 1 != 2 || (m = small_number(buf + split + 1, 2)) < 0)
			return -1;
	} else if (n == 3 || n == 4) { /* "1830", "630" */
		h = small_number(buf, n - 2);
		m = small_number(buf + n - 2, 2);
	} else { /* "7pm" */
		h = pm >= 0 ? small_number(buf, n) : -1;
	}
	if (h < 0 || m < 0 || m > 59 || h > 23 || (pm >= 0 && (h < 1 || h > 12)))
		return -1;
	if (pm >= 0)
		h = h % 12 + (pm ? 12 : 0);
	*minutes = h * 60 + m;
	return 0;
}

/* Whether LINK is an https address a browser can open: "https://", a host, and no
 * spaces, quotes or angle brackets. */
static bool link_ok(sv link)
{
	sv rest;
	if (!sv_starts_with(link, sv_from("https://")))
		return false;
	rest = (sv){link.ptr + 8, link.len - 8};
	if (!rest.len || rest.ptr[0] == '/' || rest.ptr[0] == '.')
		return false;
	for (size_t i = 0; i < rest.len; i++) {
		unsigned char ch = (unsigned char)rest.ptr[i];
		if (ch <= ' ' || ch == 0x7f || ch == '"' || ch == '<' || ch == '>' || ch == '\\')
			return false;
	}
	return true;
}

/* Checks the plan IN into *AT ("YYYY-MM-DDTHH:MM"), *PLACE, *ROLLER and *LINK (NULL for
 * none). */
static int check_plan(arena *a, const struct panel_draw_plan *in, char **at, char **place,
		      char **roller, char **link, struct field_errors *errs)
{
	struct field_errors own;
	struct date day;
	int minutes = -1;
	char now[17];
	sv pl = sv_trim(sv_from(in->place)), ro = sv_trim(sv_from(in->roller));
	sv li = sv_trim(sv_from(in->link));
	bool date_ok = date_from_fields(sv_from(in->day), sv_from(in->month),
					sv_from(in->year), &day) == 0;
	if (!errs) {
		field_errors_init(&own);
		errs = &own;
	}
	*at = *place = *roller = *link = NULL;
	if (!date_ok)
		field_error_add(errs, "draw_date", "Enter the date of the draw as a real date, "
						   "like 7 3 2027");
	if (panel_time_parse(in->time, &minutes) != 0)
		field_error_add(errs, "draw_time", "Enter the time of the draw, like 18:30 or 6:30pm");
	if (!pl.len)
		field_error_add(errs, "draw_place", "Enter where the draw will take place");
	else if (pl.len > PANEL_DRAW_PLACE_MAX)
		field_error_add(errs, "draw_place", "The place must be 200 characters or fewer");
	if (ro.len > PANEL_DRAW_ROLLER_MAX)
		field_error_add(errs, "draw_roller", "Who will roll the dice must be 100 "
						     "characters or fewer");
	if (li.len > PANEL_DRAW_LINK_MAX)
		field_error_add(errs, "draw_link", "The link must be 500 characters or fewer");
	else if (li.len && !link_ok(li))
		field_error_add(errs, "draw_link", "Enter the link as a full web address starting "
						   "https://, like https://meet.example.org/draw");
	if (date_ok && minutes >= 0) {
		if (!(*at = arena_printf(a, "%04d-%02d-%02dT%02d:%02d", day.y, day.m, day.d,
					 minutes / 60, minutes % 60)))
			return DB_ERR;
		now_local(now);
		/* Today at a time gone: the time is what is wrong, not the date. */
		if (strcmp(*at, now) <= 0)
			field_error_add(errs, strncmp(*at, now, 10) == 0 ? "draw_time" : "draw_date",
					"The draw must be planned for a time in the future");
	}
	if (field_errors_any(errs))
		return DOMAIN_EINVALID;
	*place = sv_dup(a, pl);
	*roller = ro.len ? sv_dup(a, ro) : NULL;
	*link = li.len ? sv_dup(a, li) : NULL;
	return *place && (*roller || !ro.len) && (*link || !li.len) ? DOMAIN_OK : DB_ERR;
}

/* {"draw_at": AT, "draw_place": PLACE} for the audit log (arena-owned). */
static const char *plan_json(arena *a, const char *at, const char *place)
{
	sbuf b;
	json j;
	sbuf_init(&b, a, AUDIT_JSON_MAX);
	json_init(&j, &b);
	json_obj(&j);
	json_key(&j, "draw_at");
	json_cstr(&j, at);
	json_key(&j, "draw_place");
	json_cstr(&j, place);
	json_end(&j);
	return b.err ? "{}" : b.buf;
}

static bool same_text(const char *x, const char *y)
{
	return (!x && !y) || (x && y && strcmp(x, y) == 0);
}

int panel_draw_plan_set_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
			   const struct panel_draw_plan *in, bool *moved_out,
			   struct field_errors *errs)
{
	struct panel p;
	char *at, *place, *roller, *link, now[32];
	bool moved;
	db_stmt *s;
	int rc = panel_get(d, a, id, &p);
	if (moved_out)
		*moved_out = false;
	if (rc)
		return rc;
	if (p.status == PANEL_DRAWN)
		return DOMAIN_ECONFLICT;
	if ((rc = check_plan(a, in, &at, &place, &roller, &link, errs)))
		return rc;
	/* Before publication nobody outside has seen the plan: only a published one moves. */
	moved = p.status == PANEL_PUBLISHED && p.draw_at &&
		(!same_text(p.draw_at, at) || !same_text(p.draw_place, place));
	db_now_iso(now, 0);
	s = db_prepare(d, "UPDATE panels SET draw_at = ?, draw_place = ?, draw_roller = ?, "
			  "draw_moved_from_at = ?, draw_moved_from_place = ?, "
			  "draw_sequence = draw_sequence + 1, updated_at = ?, draw_link = ? WHERE id = ?");
	if (!s)
		return DB_ERR;
	db_bind_text(s, 1, at);
	db_bind_text(s, 2, place);
	if (roller)
		db_bind_text(s, 3, roller);
	else
		db_bind_null(s, 3);
	if (moved) {
		db_bind_text(s, 4, p.draw_at);
		db_bind_text(s, 5, p.draw_place);
	} else if (p.draw_moved_from_at) {
		db_bind_text(s, 4, p.draw_moved_from_at);
		db_bind_text(s, 5, p.draw_moved_from_place);
	} else {
		db_bind_null(s, 4);
		db_bind_null(s, 5);
	}
	db_bind_text(s, 6, now);
	if (link)
		db_bind_text(s, 7, link);
	else
		db_bind_null(s, 7);
	db_bind_int(s, 8, id);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return rc;
	if (moved_out)
		*moved_out = moved;
	return audit_record(d, who, "panel", id, moved ? "panel.draw_moved" : "panel.draw_plan",
			    p.draw_at ? plan_json(a, p.draw_at, p.draw_place) : NULL,
			    plan_json(a, at, place));
}

int panel_draw_plan_set(db *d, arena *a, const struct audit_actor *who, int64_t id,
			const struct panel_draw_plan *in, bool *moved_out,
			struct field_errors *errs)
{
	IN_TRANSACTION(d, panel_draw_plan_set_tx(d, a, who, id, in, moved_out, errs));
}

/* AT ("YYYY-MM-DDTHH:MM") as its day and its time as people read them: "Saturday 7 March
 * 2099" and "6:30pm" (arena-owned). Returns 0, or -1 when AT is not such a time. */
static int when_parts(arena *a, const char *at, const char **day_out, const char **time_out)
{
	struct date day;
	int minutes;
	sbuf d, t;
	if (!at || strlen(at) != 16 || split_at(at, &day, &minutes) != 0)
		return -1;
	sbuf_init(&d, a, 64);
	sbuf_init(&t, a, 16);
	date_human_weekday(&d, day);
	time_human(&t, minutes);
	if (d.err || t.err)
		return -1;
	*day_out = d.buf;
	*time_out = t.buf;
	return 0;
}

const char *panel_draw_when(arena *a, const char *at)
{
	const char *day, *time, *when;
	if (when_parts(a, at, &day, &time) != 0 || !(when = arena_printf(a, "%s at %s", day, time)))
		return "";
	return when;
}

/* "The draw is planned for 7:40pm on Saturday 7 March 2099. Make it then, or move it
 * first." for a draw tried before AT. */
static const char *too_early(arena *a, const char *at)
{
	const char *day, *time, *msg = NULL;
	if (when_parts(a, at, &day, &time) == 0)
		msg = arena_printf(a, "The draw is planned for %s on %s. Make it then, or move it "
				      "first.",
				   time, day);
	return msg ? msg : "The draw is planned for later. Make it then, or move it first.";
}

int panel_publish_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
		     const struct panel_draw_plan *plan, struct field_errors *errs)
{
	struct panel p;
	struct pool_row *rows;
	struct panel_quota *q;
	size_t n, nq;
	struct built b;
	struct sort_result res;
	struct panel_compute_outcome out;
	int *ticket_panel;
	double dev = 0;
	char hash[65], now[32], err[ERR_MAX];
	sbuf text;
	db_stmt *s;
	int rc = panel_get(d, a, id, &p);
	memset(&out, 0, sizeof(out));
	if (rc)
		return rc;
	if (p.status != PANEL_COMPUTED)
		return DOMAIN_ECONFLICT;
	/* The public is told when and where to watch the draw before the lottery is out. */
	if (plan) {
		if ((rc = panel_draw_plan_set_tx(d, a, who, id, plan, NULL, errs)) ||
		    (rc = panel_get(d, a, id, &p)))
			return rc;
	} else {
		char local[17];
		now_local(local);
		if (!p.draw_at || strcmp(p.draw_at, local) <= 0) {
			field_error_add(errs, "draw_date",
					"Enter when the draw will take place, in the future, before "
					"publishing the lottery");
			return DOMAIN_EINVALID;
		}
	}
	if ((rc = pool_has_duplicates(d, a, id)))
		return rc < 0 ? rc : DOMAIN_ECONFLICT;
	if ((rc = prepare(d, a, who, id, &p, &rows, &n, &q, &nq, &b, &out)))
		return rc;
	if (sortition_leximin(&b.p, a, &res, err, sizeof(err)) != SORT_OK)
		return DOMAIN_ECONFLICT;
	if (!(ticket_panel = arena_calloc(a, PANEL_TICKETS, sizeof(int))))
		return DB_ERR;
	if (sortition_lottery(&res, b.p.k, PANEL_TICKETS, a, ticket_panel, &dev) != SORT_OK)
		return DOMAIN_ECONFLICT;
	sbuf_init(&text, a, LOTTERY_TEXT_MAX);
	if (sortition_lottery_text(&b.p, &res, PANEL_TICKETS, ticket_panel, &text) != SORT_OK ||
	    text.err)
		return DOMAIN_ECONFLICT;
	sortition_lottery_hash(text.buf, text.len, hash);
	if ((rc = store_probabilities(d, &b, res.prob, NULL, true)) != DOMAIN_OK)
		return rc;
	db_now_iso(now, 0);
	s = db_prepare(d, "UPDATE panels SET status = 'published', tickets = ?, tolerance_ppb = ?, "
			  "lottery_text = ?, lottery_sha256 = ?, published_at = ?, "
			  "min_probability_ppb = ?, updated_at = ? WHERE id = ?");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, PANEL_TICKETS);
	db_bind_int(s, 2, to_ppb(dev));
	db_bind_sv(s, 3, sbuf_sv(&text));
	db_bind_text(s, 4, hash);
	db_bind_text(s, 5, now);
	db_bind_int(s, 6, to_ppb(res.min_prob));
	db_bind_text(s, 7, now);
	db_bind_int(s, 8, id);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return rc;
	/* The greedy figures stay as computed; they were estimates, not this lottery. */
	return audit_panel(d, who, id, "panel.publish", "sha256", hash, "tickets", PANEL_TICKETS);
}

static int publish(db *d, arena *a, const struct audit_actor *who, int64_t id,
		   const struct panel_draw_plan *plan, struct field_errors *errs)
{
	IN_TRANSACTION(d, panel_publish_tx(d, a, who, id, plan, errs));
}

int panel_publish(db *d, arena *a, const struct audit_actor *who, int64_t id,
		  const struct panel_draw_plan *plan, struct field_errors *errs)
{
	int rc = publish(d, a, who, id, plan, errs);
	solver_release();
	return rc;
}

int panel_lottery_text(db *d, arena *a, int64_t id, char **text_out)
{
	db_stmt *s = db_prepare(d, "SELECT lottery_text FROM panels WHERE id = ? AND status IN "
				   "('published', 'drawn')");
	int rc;
	*text_out = NULL;
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, id);
	rc = db_step(s);
	if (rc == DB_ROW)
		*text_out = db_col_dup(s, 0, a);
	db_done(s);
	return rc == DB_ROW ? DOMAIN_OK : rc == DB_DONE ? DOMAIN_ENOTFOUND : rc;
}

/* The public ids on ticket T of the lottery TEXT ("T: a,b,c" line), as a view. */
static sv ticket_line(sv text, int t)
{
	char prefix[32];
	sv line, rest = text;
	snprintf(prefix, sizeof(prefix), "%d: ", t);
	while (rest.ptr && rest.len) {
		line = sv_cut(rest, '\n', &rest);
		if (sv_starts_with(line, sv_from(prefix)))
			return (sv){line.ptr + strlen(prefix), line.len - strlen(prefix)};
	}
	return SV_NULL;
}

static bool id_in_list(sv list, const char *id)
{
	sv rest = list;
	while (rest.ptr) {
		sv one = sv_cut(rest, ',', &rest);
		if (sv_eq_cstr(one, id))
			return true;
	}
	return false;
}

/* Moves a volunteer to stage TO through the recruitment module, which keeps the history
 * and the audit record. A record merged into another since it joined the pool is left
 * alone: the person is counted under the record that was kept. */
static int volunteer_stage(db *d, arena *a, const struct audit_actor *who, int64_t vid,
			   const char *from, const char *to, const char *reason)
{
	int rc;
	if (from && strcmp(from, to) == 0)
		return DOMAIN_OK;
	rc = volunteer_set_stage_tx(d, a, who, vid, sv_from(to), sv_from(reason), NULL);
	return rc == DOMAIN_ECONFLICT ? DOMAIN_OK : rc;
}

static int set_outcome(db *d, int64_t pool_id, const char *outcome, const char *by)
{
	char now[32];
	db_stmt *s = db_prepare(d, "UPDATE panel_pool SET outcome = ?, selected_by = ?, "
				   "outcome_at = ? WHERE id = ?");
	int rc;
	if (!s)
		return DB_ERR;
	db_now_iso(now, 0);
	db_bind_text(s, 1, outcome);
	db_bind_text(s, 2, by);
	db_bind_text(s, 3, now);
	db_bind_int(s, 4, pool_id);
	rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? DOMAIN_OK : rc;
}

static bool stage_waiting_kind(const char *stage)
{
	return strcmp(stage, "volunteered") == 0 || strcmp(stage, "contacted") == 0 ||
	       strcmp(stage, "waiting") == 0;
}

int panel_draw_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
		  const char *number, struct field_errors *errs)
{
	struct panel p;
	struct pool_row *rows;
	size_t n;
	char err[ERR_MAX] = "", now[32], *text, *reason;
	sv ids;
	int ticket, selected = 0, rc = panel_get(d, a, id, &p);
	db_stmt *s;
	if (rc)
		return rc;
	if (p.status != PANEL_PUBLISHED)
		return DOMAIN_ECONFLICT;
	/* The public were told when to come and watch: not before then. */
	if (p.draw_at && !panel_draw_overdue(&p)) {
		field_error_add(errs, "number", too_early(a, p.draw_at));
		return DOMAIN_EINVALID;
	}
	/* A facilitator may have said two records are one person again since the lottery was
	 * published: the same person could then be chosen twice. */
	if ((rc = pool_has_duplicates(d, a, id))) {
		if (rc < 0)
			return rc;
		field_error_add(errs, "number", PANEL_DUPLICATES_BEFORE_DRAW);
		return DOMAIN_EINVALID;
	}
	if (!number || !*sv_trim(sv_from(number)).ptr) {
		field_error_add(errs, "number", "Enter the public random number, like the dice rolled at the meeting");
		return DOMAIN_EINVALID;
	}
	if (strlen(number) > PANEL_NUMBER_MAX) {
		field_error_add(errs, "number", "The number must be 100 characters or fewer");
		return DOMAIN_EINVALID;
	}
	/* The number comes from dice rolled in public: any other digit was not rolled. */
	for (const char *c = number; *c; c++)
		if (*c != ' ' && (*c < '1' || *c > '6')) {
			field_error_add(errs, "number",
					"Enter only the numbers rolled on the dice, 1 to 6, like 3 5 1 6 2 4 4 1");
			return DOMAIN_EINVALID;
		}
	ticket = sortition_draw(p.tickets, number, p.lottery_sha256, err, sizeof(err));
	if (ticket <= 0) {
		field_error_add(errs, "number", arena_strdup(a, err[0] ? err : "Enter digits only"));
		return DOMAIN_EINVALID;
	}
	if ((rc = panel_lottery_text(d, a, id, &text)))
		return rc;
	ids = ticket_line(sv_from(text), ticket);
	if (!ids.ptr)
		return DOMAIN_ECONFLICT;
	if ((rc = pool_rows(d, a, id, false, &rows, &n)))
		return rc;
	reason = arena_printf(a, "Panel \"%s\": ticket %d of the public draw", p.name, ticket);
	for (size_t i = 0; i < n; i++) {
		bool in = rows[i].public_id && id_in_list(ids, rows[i].public_id);
		if ((rc = set_outcome(d, rows[i].pool_id, in ? "selected" : "waiting",
				      in ? "draw" : NULL)))
			return rc;
		selected += in;
		if (!stage_waiting_kind(rows[i].stage))
			continue;
		if ((rc = volunteer_stage(d, a, who, rows[i].volunteer_id, rows[i].stage,
					  in ? "selected" : "waiting", reason)))
			return rc;
	}
	if (selected != p.places)
		return DOMAIN_ECONFLICT;
	db_now_iso(now, 0);
	s = db_prepare(d, "UPDATE panels SET status = 'drawn', public_number = ?, drawn_ticket = ?, "
			  "drawn_at = ?, drawn_by = ?, updated_at = ? WHERE id = ?");
	if (!s)
		return DB_ERR;
	db_bind_sv(s, 1, sv_trim(sv_from(number)));
	db_bind_int(s, 2, ticket);
	db_bind_text(s, 3, now);
	if (who && who->account_id)
		db_bind_int(s, 4, who->account_id);
	else
		db_bind_null(s, 4);
	db_bind_text(s, 5, now);
	db_bind_int(s, 6, id);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return rc;
	return audit_panel(d, who, id, "panel.draw", "public_number", number, "ticket", ticket);
}

int panel_draw(db *d, arena *a, const struct audit_actor *who, int64_t id, const char *number,
	       struct field_errors *errs)
{
	IN_TRANSACTION(d, panel_draw_tx(d, a, who, id, number, errs));
}

/* --- Replacements ----------------------------------------------------------------------- */

int panel_places_open(db *d, int64_t id, int *open)
{
	db_stmt *s = db_prepare(d, "SELECT p.places - (SELECT COUNT(*) FROM panel_pool x JOIN "
				   "volunteers v ON v.id = x.volunteer_id WHERE x.panel_id = p.id "
				   "AND x.outcome = 'selected' AND v.stage <> 'left') FROM panels p "
				   "WHERE p.id = ? AND p.status = 'drawn'");
	int rc;
	*open = 0;
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, id);
	rc = db_step(s);
	if (rc == DB_ROW)
		*open = (int)db_col_int(s, 0);
	db_done(s);
	return rc == DB_ROW || rc == DB_DONE ? DOMAIN_OK : rc;
}

static int panel_replace_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
			    int *chosen_out, struct panel_compute_outcome *out)
{
	struct panel p;
	struct pool_row *all, *waiting;
	struct panel_quota *q;
	size_t n_all, n_wait, nq;
	struct built b, whole;
	struct sort_result res;
	char err[ERR_MAX] = "";
	int open, *already, rc = panel_get(d, a, id, &p);
	size_t chosen;
	*chosen_out = 0;
	memset(out, 0, sizeof(*out));
	if (rc)
		return rc;
	if (p.status != PANEL_DRAWN)
		return DOMAIN_ECONFLICT;
	if ((rc = panel_places_open(d, id, &open)))
		return rc;
	if (open <= 0) {
		out->reason = "Every place on the panel is filled.";
		return DOMAIN_OK;
	}
	if ((rc = pool_rows(d, a, id, false, &all, &n_all)) ||
	    (rc = pool_rows(d, a, id, true, &waiting, &n_wait)) ||
	    (rc = panel_quotas_list(d, a, id, &q, &nq)))
		return rc;
	if (n_wait < (size_t)open) {
		out->reason = arena_printf(a, "%d places are open but only %zu people are still "
					      "waiting in the pool.",
					   open, n_wait);
		return DOMAIN_OK;
	}
	/* How many of those still on the panel have each quota's value. */
	if (!(already = arena_calloc(a, nq + 1, sizeof(int))))
		return DB_ERR;
	{
		struct pool_row *on = arena_calloc(a, n_all + 1, sizeof(*on));
		size_t n_on = 0;
		if (!on)
			return DB_ERR;
		for (size_t i = 0; i < n_all; i++)
			if (all[i].outcome && strcmp(all[i].outcome, "selected") == 0 &&
			    strcmp(all[i].stage, "left") != 0)
				on[n_on++] = all[i];
		if ((rc = build_problem(d, a, who, &p, on, n_on, q, nq, p.places, NULL, &whole)))
			return rc;
		for (size_t c = 0; c < whole.p.n_categories; c++)
			for (size_t i = 0; i < n_on; i++) {
				int qi = whole.quota_of[c][whole.p.feature[i * whole.p.n_categories + c]];
				if (qi >= 0)
					already[qi]++;
			}
	}
	if ((rc = build_problem(d, a, who, &p, waiting, n_wait, q, nq, open, already, &b)))
		return rc;
	b.p.time_limit_seconds = time_limit;
	rc = sortition_leximin(&b.p, a, &res, err, sizeof(err));
	if (rc == SORT_EINFEASIBLE) {
		out->infeasible = true;
		out->reason = "Nobody still waiting can fill the open places within the quotas.";
		return DOMAIN_OK;
	}
	if (rc == SORT_ETIMEOUT) {
		out->reason = PANEL_TOO_LARGE;
		return DOMAIN_OK;
	}
	if (rc != SORT_OK) {
		out->reason = arena_printf(a, "The replacements could not be worked out: %s", err);
		return DOMAIN_OK;
	}
	/* Sample one panel from the LEXIMIN distribution with fresh randomness. */
	{
		double u = (double)randombytes_uniform(1000000000u) / 1e9, acc = 0;
		size_t pick = res.n_panels - 1;
		for (size_t j = 0; j < res.n_panels; j++) {
			acc += res.panel_prob[j];
			if (u < acc) {
				pick = j;
				break;
			}
		}
		for (chosen = 0; chosen < (size_t)open; chosen++) {
			const struct pool_row *r = &waiting[res.panels[pick * (size_t)open + chosen]];
			if ((rc = set_outcome(d, r->pool_id, "selected", "replacement")) ||
			    (rc = volunteer_stage(d, a, who, r->volunteer_id, r->stage, "selected",
						  arena_printf(a, "Panel \"%s\": replacement", p.name))))
				return rc;
		}
	}
	*chosen_out = (int)chosen;
	return audit_panel(d, who, id, "panel.replace", NULL, NULL, "replacements", (int64_t)chosen);
}

int panel_replace(db *d, arena *a, const struct audit_actor *who, int64_t id, int *chosen_out,
		  struct panel_compute_outcome *out)
{
	int rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	rc = panel_replace_tx(d, a, who, id, chosen_out, out);
	solver_release();
	if (rc == DOMAIN_OK)
		rc = db_commit(d);
	if (rc != DOMAIN_OK) {
		db_rollback(d);
		return rc;
	}
	return out->infeasible || out->reason ? DOMAIN_ECONFLICT : DOMAIN_OK;
}

/* --- Interchange ---------------------------------------------------------------------- */

int panel_export_categories(db *d, arena *a, int64_t id, sbuf *out)
{
	struct panel_quota *q;
	size_t nq;
	int rc = panel_quotas_list(d, a, id, &q, &nq);
	if (rc)
		return rc;
	csv_field_cstr(out, "category");
	csv_sep(out);
	csv_field_cstr(out, "feature");
	csv_sep(out);
	csv_field_cstr(out, "min");
	csv_sep(out);
	csv_field_cstr(out, "max");
	csv_end_record(out);
	for (size_t i = 0; i < nq; i++) {
		csv_field_cstr(out, q[i].category);
		csv_sep(out);
		csv_field_cstr(out, q[i].value);
		csv_sep(out);
		csv_number(out, q[i].min);
		csv_sep(out);
		csv_number(out, q[i].max);
		csv_end_record(out);
	}
	return out->err ? DB_ERR : DOMAIN_OK;
}

/* SHOWN[i] (arena) is true when ROWS[i] agreed to a programme lead seeing their equality
 * answers (equality_consents, kind lead_view, granted); *N_SHOWN counts them. */
static int lead_view_consents(db *d, arena *a, int64_t panel_id, const struct pool_row *rows,
			      size_t n, bool **shown, size_t *n_shown)
{
	db_stmt *s = db_prepare(
		d, "SELECT x.volunteer_id FROM panel_pool x JOIN volunteers v ON v.id = "
		   "x.volunteer_id JOIN equality_consents c ON c.monitoring_ref = v.monitoring_ref "
		   "WHERE x.panel_id = ? AND c.kind = 'lead_view' AND c.status = 'granted'");
	int64_t *ids;
	size_t n_ids;
	int rc;
	*n_shown = 0;
	db_bind_int(s, 1, panel_id);
	if ((rc = db_collect(s, a, sizeof(*ids), id_row, NULL, &ids, &n_ids)))
		return rc;
	if (!(*shown = arena_calloc(a, n ? n : 1, sizeof(**shown))))
		return DB_ERR;
	for (size_t k = 0; k < n_ids; k++)
		for (size_t i = 0; i < n; i++)
			if (rows[i].volunteer_id == ids[k] && !(*shown)[i]) {
				(*shown)[i] = true;
				(*n_shown)++;
			}
	return DOMAIN_OK;
}

static int panel_export_respondents_tx(db *d, arena *a, const struct audit_actor *who,
				       int64_t id, sbuf *out)
{
	struct panel p;
	struct pool_row *rows;
	struct panel_quota *q;
	bool *shown;
	size_t n, nq, n_shown;
	struct built b;
	int rc = panel_get(d, a, id, &p);
	if (rc || (rc = pool_rows(d, a, id, false, &rows, &n)) ||
	    (rc = panel_quotas_list(d, a, id, &q, &nq)))
		return rc;
	if ((rc = build_problem(d, a, who, &p, rows, n, q, nq, p.places, NULL, &b)))
		return rc;
	if ((rc = lead_view_consents(d, a, id, rows, n, &shown, &n_shown)))
		return rc;
	csv_field_cstr(out, "id");
	for (size_t c = 0; c < b.p.n_categories; c++) {
		csv_sep(out);
		csv_field_cstr(out, b.p.categories[c].name);
	}
	csv_end_record(out);
	for (size_t i = 0; i < n; i++) {
		csv_field_cstr(out, b.p.person_id[i]);
		for (size_t c = 0; c < b.p.n_categories; c++) {
			const struct sort_category *sc = &b.p.categories[c];
			bool special = strcmp(sc->name, "ward") != 0 && strcmp(sc->name, "role") != 0;
			csv_sep(out);
			csv_field_cstr(out, special && !shown[i]
						    ? PANEL_NOT_SAID
						    : sc->values[b.p.feature[i * b.p.n_categories + c]]);
		}
		csv_end_record(out);
	}
	if (out->err)
		return DB_ERR;
	return audit_panel(d, who, id, "panel.export_respondents", "answers_shown_for",
			   arena_printf(a, "%zu of %zu people, who agreed to a lead seeing their "
					   "answers",
					n_shown, n),
			   "people", (int64_t)n);
}

int panel_export_respondents(db *d, arena *a, const struct audit_actor *who, int64_t id,
			     sbuf *out)
{
	IN_TRANSACTION(d, panel_export_respondents_tx(d, a, who, id, out));
}
