/* budget.c: funding sources, budget lines, commitments and spend; see budget.h. */
#include "domain/budget.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/json.h"
#include "core/money.h"
#include "domain/access.h"
#include "domain/record.h"

#define AUDIT_JSON_MAX (16 * 1024)

const char *const budget_kinds[BUDGET_KIND_COUNT] = {
	"participant-payments", "expenses",     "venues",
	"refreshments",         "facilitation", "interpreters-bsl",
	"childcare-carer-cover", "accessibility-support", "materials",
	"other",
};

static const char *const kind_labels[BUDGET_KIND_COUNT] = {
	"Participant payments",       "Expenses",       "Venues",
	"Refreshments",               "Facilitation",   "Interpreters and BSL",
	"Childcare and carer cover",  "Accessibility support", "Materials",
	"Other",
};

int budget_kind_index(sv kind)
{
	for (int i = 0; i < BUDGET_KIND_COUNT; i++)
		if (sv_eq_cstr(kind, budget_kinds[i]))
			return i;
	return -1;
}

const char *budget_kind_label(const char *kind)
{
	int i = kind ? budget_kind_index(sv_from(kind)) : -1;
	return i < 0 ? "" : kind_labels[i];
}

int64_t budget_over_by(int64_t budget_pence, int64_t use_after_pence)
{
	return use_after_pence > budget_pence ? use_after_pence - budget_pence : 0;
}

/* --- Small helpers --------------------------------------------------------------------- */

static int step_done(db_stmt *st, int bad)
{
	int rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	return rc == DB_DONE ? DB_OK : (rc < 0 ? rc : DB_ERR);
}

static int audit_json(db *d, const struct audit_actor *who, const char *entity, int64_t id,
		      const char *action, sbuf *after)
{
	if (after->err)
		return DB_ERR;
	return audit_record(d, who, entity, id, action, NULL, after->buf);
}

/* A required short text: trimmed, not empty, at most MAX bytes. */
static char *text_field(arena *a, sv v, size_t max, bool required, const char *field,
			const char *missing, const char *too_long, struct field_errors *errs)
{
	v = sv_trim(v);
	if (required && v.len == 0) {
		field_error_add(errs, field, missing);
		return NULL;
	}
	if (v.len > max) {
		field_error_add(errs, field, too_long);
		return NULL;
	}
	return sv_dup(a, v.ptr ? v : SV(""));
}

/* A GOV.UK date as "YYYY-MM-DD" into *ISO (arena memory); all three parts empty gives
 * NULL, which is an error (MISSING) only when REQUIRED. */
static int date_field(arena *a, sv day, sv month, sv year, bool required, const char *field,
		      const char *missing, const char *impossible, char **iso,
		      struct field_errors *errs)
{
	struct date dt;
	sbuf b;
	*iso = NULL;
	if (!sv_trim(day).len && !sv_trim(month).len && !sv_trim(year).len) {
		if (!required)
			return DOMAIN_OK;
		field_error_add(errs, field, missing);
		return DOMAIN_EINVALID;
	}
	if (date_from_fields(day, month, year, &dt) != 0) {
		field_error_add(errs, field, impossible);
		return DOMAIN_EINVALID;
	}
	sbuf_init(&b, a, 16);
	date_iso(&b, dt);
	*iso = b.err ? NULL : b.buf;
	return *iso ? DOMAIN_OK : DB_ERR;
}

/* An amount as typed: empty gives MISSING, anything money_parse refuses gives BAD. */
static int amount_field(sv v, bool required, bool allow_zero, const char *field,
			const char *missing, const char *bad, int64_t *pence,
			struct field_errors *errs)
{
	v = sv_trim(v);
	*pence = 0;
	if (v.len == 0) {
		if (!required)
			return DOMAIN_OK;
		field_error_add(errs, field, missing);
		return DOMAIN_EINVALID;
	}
	if (money_parse(v, BUDGET_MAX_PENCE, pence) != 0 || (!allow_zero && *pence == 0)) {
		field_error_add(errs, field, bad);
		return DOMAIN_EINVALID;
	}
	return DOMAIN_OK;
}

static int id_field(sv v, int64_t *id)
{
	v = sv_trim(v);
	*id = 0;
	if (v.len == 0)
		return 0;
	if (sv_to_i64(v, id) != 0 || *id <= 0)
		return -1;
	return 1;
}

/* --- Access ---------------------------------------------------------------------------- */

int budget_access(db *d, int64_t account_id, enum role role, int64_t programme_id)
{
	int rc;
	db_stmt *st;
	if (account_id == 0)
		return BUDGET_NONE;
	st = db_prepare(d, "SELECT 1 FROM programmes WHERE id = ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, programme_id);
	rc = db_step(st);
	db_done(st);
	if (rc == DB_DONE)
		return BUDGET_NONE;
	if (rc != DB_ROW)
		return rc < 0 ? rc : DB_ERR;
	if (role == ROLE_PROGRAMME_LEAD)
		return BUDGET_MANAGE;
	if (role == ROLE_BOARD_MEMBER)
		return BUDGET_TOTALS;
	if (role != ROLE_FACILITATOR)
		return BUDGET_NONE;
	/* A facilitator of one of the programme's groups, or the programme's own lead. */
	st = db_prepare(d, "SELECT 1 FROM group_members m JOIN working_groups g ON g.id = m.group_id"
			   " WHERE g.programme_id = ? AND m.account_id = ? AND m.left_on IS NULL"
			   " AND m.role_in_group = 'facilitator'"
			   " UNION SELECT 1 FROM programmes WHERE id = ? AND lead_account_id = ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, account_id);
	db_bind_int(st, 3, programme_id);
	db_bind_int(st, 4, account_id);
	rc = db_step(st);
	db_done(st);
	if (rc == DB_ROW)
		return BUDGET_RECORD;
	return rc == DB_DONE ? BUDGET_NONE : (rc < 0 ? rc : DB_ERR);
}

/* --- The arithmetic -------------------------------------------------------------------- */

struct raw_entry {
	int64_t id, line_id, amount, reverses, settles;
	bool spend;
	char date[11];
	int64_t open; /* commitments: still open as at the cut-off */
};

struct line_fig {
	int64_t id, programme_id, source_id, budget;
	int kind;
	int64_t committed, spent_period, spent_to_date;
};

static int line_fig_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct line_fig *f = item;
	f->id = db_col_int(st, 0);
	f->programme_id = db_col_int(st, 1);
	f->source_id = db_col_int(st, 2);
	f->kind = budget_kind_index(db_col_sv(st, 3));
	f->budget = db_col_int(st, 4);
	return DB_OK;
}

/* Lines of PROGRAMME_ID (0 = all; LINE_ID non-zero = that line only) with their budgets. */
static int load_lines(db *d, arena *a, int64_t programme_id, int64_t line_id,
		      struct line_fig **out, size_t *n)
{
	db_stmt *st = db_prepare(d, "SELECT id, programme_id, source_id, kind, amount_pence"
				    " FROM budget_lines WHERE (? = 0 OR programme_id = ?)"
				    " AND (? = 0 OR id = ?) ORDER BY id");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, programme_id);
	db_bind_int(st, 3, line_id);
	db_bind_int(st, 4, line_id);
	return db_collect(st, a, sizeof(**out), line_fig_row, NULL, out, n);
}

static int raw_entry_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct raw_entry *e = item;
	e->id = db_col_int(st, 0);
	e->line_id = db_col_int(st, 1);
	e->spend = sv_eq_cstr(db_col_sv(st, 2), "spend");
	snprintf(e->date, sizeof(e->date), "%.10s", db_col_text(st, 3));
	e->amount = db_col_int(st, 4);
	e->reverses = db_col_null(st, 5) ? 0 : db_col_int(st, 5);
	e->settles = db_col_null(st, 6) ? 0 : db_col_int(st, 6);
	return DB_OK;
}

static int load_entries(db *d, arena *a, int64_t programme_id, int64_t line_id,
			struct raw_entry **out, size_t *n)
{
	db_stmt *st = db_prepare(d, "SELECT e.id, e.line_id, e.kind, e.entry_date, e.amount_pence,"
				    " e.reverses, e.closes FROM budget_entries e"
				    " JOIN budget_lines l ON l.id = e.line_id"
				    " WHERE (? = 0 OR l.programme_id = ?) AND (? = 0 OR l.id = ?)"
				    " ORDER BY e.id");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, programme_id);
	db_bind_int(st, 3, line_id);
	db_bind_int(st, 4, line_id);
	return db_collect(st, a, sizeof(**out), raw_entry_row, NULL, out, n);
}

/* ENTRIES are in id order: find one by id. */
static struct raw_entry *entry_by_id(struct raw_entry *e, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e[mid].id == id)
			return &e[mid];
		if (e[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static bool in_range(const char *date, const char *from, const char *to)
{
	return (!from || strcmp(date, from) >= 0) && (!to || strcmp(date, to) <= 0);
}

/* Works out each commitment's open amount and each line's committed and spent, counting
 * entries dated up to TO (NULL: all) and spend in FROM..TO as the period's. */
static void compute(struct raw_entry *e, size_t n, struct line_fig *lines, size_t n_lines,
		    const char *from, const char *to)
{
	for (size_t i = 0; i < n; i++)
		e[i].open = !e[i].spend && !e[i].reverses && in_range(e[i].date, NULL, to)
				    ? e[i].amount
				    : 0;
	for (size_t i = 0; i < n; i++) {
		if (!in_range(e[i].date, NULL, to))
			continue;
		/* A correction of a commitment, or a spend settling one (or the correction
		 * of such a spend, whose negative amount reopens it). */
		int64_t target = !e[i].spend && e[i].reverses ? e[i].reverses
				 : e[i].spend		      ? e[i].settles
							      : 0;
		struct raw_entry *c = target ? entry_by_id(e, n, target) : NULL;
		if (c && !c->spend && !c->reverses)
			c->open += e[i].spend ? -e[i].amount : e[i].amount;
	}
	for (size_t i = 0; i < n; i++) {
		struct line_fig *f = NULL;
		for (size_t j = 0; j < n_lines; j++)
			if (lines[j].id == e[i].line_id)
				f = &lines[j];
		if (!f || !in_range(e[i].date, NULL, to))
			continue;
		if (!e[i].spend && !e[i].reverses && e[i].open > 0)
			f->committed += e[i].open;
		if (e[i].spend) {
			f->spent_to_date += e[i].amount;
			if (in_range(e[i].date, from, to))
				f->spent_period += e[i].amount;
		}
	}
}

static int figures(db *d, arena *a, int64_t programme_id, int64_t line_id, const char *from,
		   const char *to, struct line_fig **lines, size_t *n_lines,
		   struct raw_entry **entries, size_t *n_entries)
{
	int rc = load_lines(d, a, programme_id, line_id, lines, n_lines);
	if (rc == DOMAIN_OK)
		rc = load_entries(d, a, programme_id, line_id, entries, n_entries);
	if (rc == DOMAIN_OK)
		compute(*entries, *n_entries, *lines, *n_lines, from, to);
	return rc;
}

static void money_of(struct budget_money *m, const struct line_fig *f)
{
	m->budget_pence = f->budget;
	m->committed_pence = f->committed;
	m->spent_pence = f->spent_to_date;
	m->remaining_pence = f->budget - f->committed - f->spent_to_date;
}

static void money_add(struct budget_money *m, const struct budget_money *x)
{
	m->budget_pence += x->budget_pence;
	m->committed_pence += x->committed_pence;
	m->spent_pence += x->spent_pence;
	m->remaining_pence += x->remaining_pence;
}

int budget_totals(db *d, arena *a, int64_t programme_id, const char *from_iso,
		  const char *to_iso, struct budget_totals *out)
{
	struct line_fig *lines;
	struct raw_entry *entries;
	size_t nl, ne;
	int rc;
	memset(out, 0, sizeof(*out));
	rc = figures(d, a, programme_id, 0, from_iso, to_iso, &lines, &nl, &entries, &ne);
	if (rc != DOMAIN_OK)
		return rc;
	for (size_t i = 0; i < nl; i++) {
		struct budget_money m;
		money_of(&m, &lines[i]);
		m.spent_pence = lines[i].spent_period;
		if (lines[i].kind >= 0)
			money_add(&out->kinds[lines[i].kind], &m);
		money_add(&out->all, &m);
	}
	return DOMAIN_OK;
}

/* --- Funding sources ------------------------------------------------------------------- */

static int source_room(db *d, int64_t source_id, int64_t except_line, int64_t *room,
		       char **name, arena *a);

/* A funding source as the form gave it, checked. */
struct source_fields {
	char *name, *org, *year, *cond, *start, *end; /* start and end NULL when not given */
	int64_t amount;
};

/* Checks IN into *F; the name must not be another source's than EXCEPT_ID's. */
static int source_validate(db *d, arena *a, const struct funding_source_input *in,
			   int64_t except_id, struct field_errors *errs, struct source_fields *f)
{
	int bad = 0;
	memset(f, 0, sizeof(*f));
	f->name = text_field(a, in->name, BUDGET_NAME_MAX, true, "name",
			     "Enter the name of the funding source",
			     "Name must be 200 characters or fewer", errs);
	f->org = text_field(a, in->organisation, BUDGET_NAME_MAX, true, "organisation",
			    "Enter the organisation or committee that gives the money",
			    "Organisation must be 200 characters or fewer", errs);
	if (amount_field(in->amount, true, false, "amount", "Enter the amount",
			 "Enter the amount in pounds, like 30000 or 30,000.00", &f->amount,
			 errs) != DOMAIN_OK)
		bad = 1;
	f->year = text_field(a, in->financial_year, BUDGET_SHORT_MAX, true, "financial_year",
			     "Enter the financial year, like 2021-22",
			     "Financial year must be 100 characters or fewer", errs);
	f->cond = text_field(a, in->conditions, BUDGET_TEXT_MAX, false, "conditions", "",
			     "Conditions must be 2000 characters or fewer", errs);
	if (date_field(a, in->start_day, in->start_month, in->start_year, false, "starts", "",
		       "The start date must be a real date, like 1 4 2021", &f->start,
		       errs) != DOMAIN_OK)
		bad = 1;
	if (date_field(a, in->end_day, in->end_month, in->end_year, false, "ends", "",
		       "The end date must be a real date, like 31 3 2022", &f->end,
		       errs) != DOMAIN_OK)
		bad = 1;
	if (f->start && f->end && strcmp(f->end, f->start) < 0) {
		field_error_add(errs, "ends", "The end date must be the same as or after the start date");
		bad = 1;
	}
	if (bad || !f->name || !f->org || !f->year || !f->cond)
		return DOMAIN_EINVALID;

	db_stmt *st = db_prepare(d, "SELECT 1 FROM funding_sources WHERE name = ? AND id <> ?");
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, f->name);
	db_bind_int(st, 2, except_id);
	int rc = db_step(st);
	db_done(st);
	if (rc == DB_ROW) {
		field_error_add(errs, "name", "There is already a funding source with this name");
		return DOMAIN_ECONFLICT;
	}
	return rc == DB_DONE ? DOMAIN_OK : (rc < 0 ? rc : DB_ERR);
}

static void source_json(sbuf *b, const struct source_fields *f)
{
	json j;
	json_init(&j, b);
	json_obj(&j);
	json_key(&j, "name");
	json_cstr(&j, f->name);
	json_key(&j, "organisation_or_committee");
	json_cstr(&j, f->org);
	json_key(&j, "amount_pence");
	json_int(&j, f->amount);
	json_key(&j, "financial_year");
	json_cstr(&j, f->year);
	json_key(&j, "conditions");
	json_cstr(&j, f->cond);
	json_key(&j, "starts_on");
	json_cstr(&j, f->start);
	json_key(&j, "ends_on");
	json_cstr(&j, f->end);
	json_end(&j);
}

int funding_source_add_tx(db *d, arena *a, const struct audit_actor *actor,
			  const struct funding_source_input *in, struct field_errors *errs,
			  int64_t *id)
{
	struct source_fields f;
	int bad = 0;
	char now[32];
	db_stmt *st;
	int rc = source_validate(d, a, in, 0, errs, &f);
	if (rc != DOMAIN_OK)
		return rc;
	db_now_iso(now, 0);
	st = db_prepare(d, "INSERT INTO funding_sources (name, organisation_or_committee,"
			   " amount_pence, financial_year, conditions, starts_on, ends_on,"
			   " created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)");
	if (!st)
		return DB_ERR;
	bad |= db_bind_text(st, 1, f.name);
	bad |= db_bind_text(st, 2, f.org);
	bad |= db_bind_int(st, 3, f.amount);
	bad |= db_bind_text(st, 4, f.year);
	bad |= db_bind_text(st, 5, f.cond);
	bad |= db_bind_text(st, 6, f.start);
	bad |= db_bind_text(st, 7, f.end);
	bad |= actor->account_id ? db_bind_int(st, 8, actor->account_id) : db_bind_null(st, 8);
	bad |= db_bind_text(st, 9, now);
	bad |= db_bind_text(st, 10, now);
	rc = step_done(st, bad);
	if (rc != DB_OK)
		return rc;
	int64_t new_id = db_last_insert_id(d);

	sbuf b;
	sbuf_init(&b, a, AUDIT_JSON_MAX);
	source_json(&b, &f);
	rc = audit_json(d, actor, "funding_source", new_id, "create", &b);
	if (rc == DB_OK && id)
		*id = new_id;
	return rc;
}

int funding_source_add(db *d, arena *a, const struct audit_actor *actor,
		       const struct funding_source_input *in, struct field_errors *errs,
		       int64_t *id)
{
	IN_TRANSACTION(d, funding_source_add_tx(d, a, actor, in, errs, id));
}

int funding_source_update_tx(db *d, arena *a, const struct audit_actor *actor, int64_t id,
			     const struct funding_source_input *in, struct field_errors *errs)
{
	struct source_fields f;
	int64_t room = 0;
	char *old_name = NULL;
	int bad = 0;
	/* What the source has given its lines: its amount cannot go below that. */
	int rc = source_room(d, id, 0, &room, &old_name, a);
	if (rc != DOMAIN_OK)
		return rc;
	rc = source_validate(d, a, in, id, errs, &f);
	if (rc != DOMAIN_OK)
		return rc;
	db_stmt *st = db_prepare(d, "SELECT amount_pence FROM funding_sources WHERE id = ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, id);
	rc = db_step(st);
	int64_t old_amount = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? DOMAIN_ENOTFOUND : (rc < 0 ? rc : DB_ERR);
	int64_t allocated = old_amount - room;
	if (f.amount < allocated) {
		field_error_add(errs, "amount",
				arena_printf(a, "Budget lines already have %s of this source, so it "
						"cannot be less than that",
					     money_text(a, allocated)));
		return DOMAIN_EINVALID;
	}

	char now[32];
	db_now_iso(now, 0);
	st = db_prepare(d, "UPDATE funding_sources SET name = ?, organisation_or_committee = ?,"
			   " amount_pence = ?, financial_year = ?, conditions = ?, starts_on = ?,"
			   " ends_on = ?, updated_at = ? WHERE id = ?");
	if (!st)
		return DB_ERR;
	bad |= db_bind_text(st, 1, f.name);
	bad |= db_bind_text(st, 2, f.org);
	bad |= db_bind_int(st, 3, f.amount);
	bad |= db_bind_text(st, 4, f.year);
	bad |= db_bind_text(st, 5, f.cond);
	bad |= db_bind_text(st, 6, f.start);
	bad |= db_bind_text(st, 7, f.end);
	bad |= db_bind_text(st, 8, now);
	bad |= db_bind_int(st, 9, id);
	rc = step_done(st, bad);
	if (rc != DB_OK)
		return rc;
	sbuf before, after;
	json j;
	sbuf_init(&before, a, AUDIT_JSON_MAX);
	json_init(&j, &before);
	json_obj(&j);
	json_key(&j, "name");
	json_cstr(&j, old_name);
	json_key(&j, "amount_pence");
	json_int(&j, old_amount);
	json_end(&j);
	sbuf_init(&after, a, AUDIT_JSON_MAX);
	source_json(&after, &f);
	if (before.err || after.err)
		return DB_ERR;
	return audit_record(d, actor, "funding_source", id, "update", before.buf, after.buf);
}

int funding_source_update(db *d, arena *a, const struct audit_actor *actor, int64_t id,
			  const struct funding_source_input *in, struct field_errors *errs)
{
	IN_TRANSACTION(d, funding_source_update_tx(d, a, actor, id, in, errs));
}

int funding_source_find(db *d, const char *name, int64_t *id)
{
	db_stmt *st = db_prepare(d, "SELECT id FROM funding_sources WHERE name = ?");
	int rc;
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, name);
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? DOMAIN_OK : rc == DB_DONE ? DOMAIN_ENOTFOUND : (rc < 0 ? rc : DB_ERR);
}

static int source_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct funding_source *s = item;
	s->id = db_col_int(st, 0);
	s->name = db_col_dup(st, 1, a);
	s->organisation = db_col_dup(st, 2, a);
	s->amount_pence = db_col_int(st, 3);
	s->financial_year = db_col_dup(st, 4, a);
	s->conditions = db_col_dup(st, 5, a);
	s->starts_on = db_col_dup(st, 6, a);
	s->ends_on = db_col_dup(st, 7, a);
	return s->name && s->organisation && s->financial_year && s->conditions ? DB_OK : DB_ERR;
}

int funding_sources_list(db *d, arena *a, struct funding_source **out, size_t *n)
{
	db_stmt *st = db_prepare(d, "SELECT id, name, organisation_or_committee, amount_pence,"
				    " financial_year, conditions, starts_on, ends_on"
				    " FROM funding_sources ORDER BY financial_year, name, id LIMIT ?");
	struct funding_source *items;
	struct line_fig *lines;
	struct raw_entry *entries;
	size_t nl, ne;
	int rc;

	db_bind_int(st, 1, BUDGET_LINES_MAX);
	rc = db_collect(st, a, sizeof(*items), source_row, NULL, &items, n);
	if (rc == DB_OK)
		rc = figures(d, a, 0, 0, NULL, NULL, &lines, &nl, &entries, &ne);
	*out = NULL;
	if (rc != DOMAIN_OK) {
		*n = 0;
		return rc;
	}
	for (size_t i = 0; i < *n; i++) {
		for (size_t j = 0; j < nl; j++) {
			if (lines[j].source_id != items[i].id)
				continue;
			struct budget_money m;
			money_of(&m, &lines[j]);
			money_add(&items[i].m, &m);
		}
		items[i].allocated_pence = items[i].m.budget_pence;
		items[i].unallocated_pence = items[i].amount_pence - items[i].allocated_pence;
	}
	*out = items;
	return DOMAIN_OK;
}

/* --- Budget lines ---------------------------------------------------------------------- */

struct source_room_row {
	int64_t room;
	char *name;
};

static int source_room_fill(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct source_room_row *row = item;
	(void)ctx;
	row->room = db_col_int(st, 0);
	row->name = db_col_dup(st, 1, a);
	return row->name ? DB_OK : DB_ERR;
}

/* What is left of SOURCE_ID to give to lines, not counting line EXCEPT_LINE (0 for
 * none): its amount less the other lines' budgets. */
static int source_room(db *d, int64_t source_id, int64_t except_line, int64_t *room,
		       char **name, arena *a)
{
	struct source_room_row row = {0, NULL};
	db_stmt *st = db_prepare(d, "SELECT s.amount_pence - COALESCE((SELECT SUM(l.amount_pence)"
				    " FROM budget_lines l WHERE l.source_id = s.id AND l.id <> ?), 0),"
				    " s.name FROM funding_sources s WHERE s.id = ?");
	int rc;
	db_bind_int(st, 1, except_line);
	db_bind_int(st, 2, source_id);
	rc = db_one(st, a, source_room_fill, NULL, &row);
	*room = row.room;
	*name = row.name;
	return rc == DB_OK ? DOMAIN_OK : rc == DB_DONE ? DOMAIN_ENOTFOUND : rc;
}

/* Refuses AMOUNT for a line of SOURCE_ID (a new one, or EXCEPT_LINE whose budget is now
 * CURRENT) when the source has not that much left. */
static int check_room(db *d, arena *a, int64_t source_id, int64_t except_line, int64_t current,
		      int64_t amount, struct field_errors *errs)
{
	int64_t room = 0;
	char *name = NULL;
	int rc = source_room(d, source_id, except_line, &room, &name, a);
	if (rc != DOMAIN_OK)
		return rc;
	if (amount <= room)
		return DOMAIN_OK;
	int64_t left = room - current;
	const char *left_text = money_text(a, left < 0 ? 0 : left);
	field_error_add(errs, "amount",
			except_line
				? arena_printf(a, "%s has only %s not yet given to budget lines, so "
						  "this line can be at most %s",
					       name, left_text, money_text(a, room < 0 ? 0 : room))
				: arena_printf(a, "%s has only %s not yet given to budget lines", name,
					       left_text));
	return DOMAIN_EINVALID;
}

int budget_line_add_tx(db *d, arena *a, const struct audit_actor *actor,
		       int64_t programme_id, const struct budget_line_input *in,
		       struct field_errors *errs, int64_t *id)
{
	int64_t source_id = 0, amount = 0;
	int kind, rc, bad = 0;
	char *code, *note, now[32];
	db_stmt *st;

	if (id_field(in->source_id, &source_id) != 1) {
		field_error_add(errs, "source_id", "Select the funding source");
		bad = 1;
	} else {
		st = db_prepare(d, "SELECT 1 FROM funding_sources WHERE id = ?");
		if (!st)
			return DB_ERR;
		db_bind_int(st, 1, source_id);
		rc = db_step(st);
		db_done(st);
		if (rc == DB_DONE) {
			field_error_add(errs, "source_id", "Select the funding source");
			bad = 1;
		} else if (rc != DB_ROW) {
			return rc < 0 ? rc : DB_ERR;
		}
	}
	kind = budget_kind_index(sv_trim(in->kind));
	if (kind < 0) {
		field_error_add(errs, "kind", "Select what the money is for");
		bad = 1;
	}
	if (amount_field(in->amount, true, true, "amount", "Enter the amount for this line",
			 "Enter the amount in pounds, like 5000 or 5,000.00", &amount,
			 errs) != DOMAIN_OK)
		bad = 1;
	code = text_field(a, in->cost_code, BUDGET_SHORT_MAX, false, "cost_code", "",
			  "Cost code must be 100 characters or fewer", errs);
	note = text_field(a, in->note, BUDGET_TEXT_MAX, false, "note", "",
			  "Note must be 2000 characters or fewer", errs);
	if (bad || !code || !note)
		return DOMAIN_EINVALID;

	st = db_prepare(d, "SELECT 1 FROM budget_lines WHERE programme_id = ? AND source_id = ?"
			   " AND kind = ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, source_id);
	db_bind_text(st, 3, budget_kinds[kind]);
	rc = db_step(st);
	db_done(st);
	if (rc == DB_ROW) {
		field_error_add(errs, "kind",
				"This programme already has a line of this kind from this source");
		return DOMAIN_ECONFLICT;
	}
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	rc = check_room(d, a, source_id, 0, 0, amount, errs);
	if (rc != DOMAIN_OK)
		return rc;

	db_now_iso(now, 0);
	st = db_prepare(d, "INSERT INTO budget_lines (programme_id, source_id, kind, amount_pence,"
			   " note, cost_code, created_by, created_at, updated_at)"
			   " VALUES (?,?,?,?,?,?,?,?,?)");
	if (!st)
		return DB_ERR;
	bad |= db_bind_int(st, 1, programme_id);
	bad |= db_bind_int(st, 2, source_id);
	bad |= db_bind_text(st, 3, budget_kinds[kind]);
	bad |= db_bind_int(st, 4, amount);
	bad |= db_bind_text(st, 5, note);
	bad |= db_bind_text(st, 6, code);
	bad |= actor->account_id ? db_bind_int(st, 7, actor->account_id) : db_bind_null(st, 7);
	bad |= db_bind_text(st, 8, now);
	bad |= db_bind_text(st, 9, now);
	rc = step_done(st, bad);
	if (rc != DB_OK)
		return rc;
	int64_t new_id = db_last_insert_id(d);

	sbuf b;
	json j;
	sbuf_init(&b, a, AUDIT_JSON_MAX);
	json_init(&j, &b);
	json_obj(&j);
	json_key(&j, "programme_id");
	json_int(&j, programme_id);
	json_key(&j, "source_id");
	json_int(&j, source_id);
	json_key(&j, "kind");
	json_cstr(&j, budget_kinds[kind]);
	json_key(&j, "amount_pence");
	json_int(&j, amount);
	json_key(&j, "cost_code");
	json_cstr(&j, code);
	json_end(&j);
	rc = audit_json(d, actor, "budget_line", new_id, "create", &b);
	if (rc == DB_OK && id)
		*id = new_id;
	return rc;
}

int budget_line_add(db *d, arena *a, const struct audit_actor *actor, int64_t programme_id,
		    const struct budget_line_input *in, struct field_errors *errs, int64_t *id)
{
	IN_TRANSACTION(d, budget_line_add_tx(d, a, actor, programme_id, in, errs, id));
}

int budget_line_update_tx(db *d, arena *a, const struct audit_actor *actor,
			  int64_t programme_id, int64_t line_id,
			  const struct budget_line_input *in, struct field_errors *errs)
{
	struct line_fig *lines;
	struct raw_entry *entries;
	size_t nl, ne;
	int64_t amount = 0;
	int bad = 0;
	int rc = figures(d, a, programme_id, line_id, NULL, NULL, &lines, &nl, &entries, &ne);
	if (rc != DOMAIN_OK)
		return rc;
	if (nl != 1)
		return DOMAIN_ENOTFOUND;
	if (amount_field(in->amount, true, true, "amount", "Enter the amount for this line",
			 "Enter the amount in pounds, like 5000 or 5,000.00", &amount,
			 errs) != DOMAIN_OK)
		bad = 1;
	char *code = text_field(a, in->cost_code, BUDGET_SHORT_MAX, false, "cost_code", "",
				"Cost code must be 100 characters or fewer", errs);
	char *note = text_field(a, in->note, BUDGET_TEXT_MAX, false, "note", "",
				"Note must be 2000 characters or fewer", errs);
	if (bad || !code || !note)
		return DOMAIN_EINVALID;
	int64_t used = lines[0].committed + lines[0].spent_to_date;
	if (amount < used && amount < lines[0].budget) {
		field_error_add(errs, "amount",
				arena_printf(a, "This line already has %s committed and spent, so its "
						"budget cannot be less than that",
					     money_text(a, used)));
		return DOMAIN_EINVALID;
	}
	if (amount > lines[0].budget) {
		rc = check_room(d, a, lines[0].source_id, line_id, lines[0].budget, amount, errs);
		if (rc != DOMAIN_OK)
			return rc;
	}

	char now[32];
	db_stmt *st = db_prepare(d, "UPDATE budget_lines SET amount_pence = ?, cost_code = ?,"
				    " note = ?, updated_at = ? WHERE id = ?");
	if (!st)
		return DB_ERR;
	db_now_iso(now, 0);
	bad |= db_bind_int(st, 1, amount);
	bad |= db_bind_text(st, 2, code);
	bad |= db_bind_text(st, 3, note);
	bad |= db_bind_text(st, 4, now);
	bad |= db_bind_int(st, 5, line_id);
	rc = step_done(st, bad);
	if (rc != DB_OK)
		return rc;

	sbuf before, after;
	json j;
	sbuf_init(&before, a, AUDIT_JSON_MAX);
	json_init(&j, &before);
	json_obj(&j);
	json_key(&j, "amount_pence");
	json_int(&j, lines[0].budget);
	json_end(&j);
	sbuf_init(&after, a, AUDIT_JSON_MAX);
	json_init(&j, &after);
	json_obj(&j);
	json_key(&j, "amount_pence");
	json_int(&j, amount);
	json_key(&j, "cost_code");
	json_cstr(&j, code);
	json_key(&j, "note");
	json_cstr(&j, note);
	json_end(&j);
	if (before.err || after.err)
		return DB_ERR;
	return audit_record(d, actor, "budget_line", line_id, "update", before.buf, after.buf);
}

int budget_line_update(db *d, arena *a, const struct audit_actor *actor, int64_t programme_id,
		       int64_t line_id, const struct budget_line_input *in,
		       struct field_errors *errs)
{
	IN_TRANSACTION(d, budget_line_update_tx(d, a, actor, programme_id, line_id, in, errs));
}

/* CTX is the programme's id. */
static int line_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct budget_line *l = item;
	int k = budget_kind_index(db_col_sv(st, 2));
	l->id = db_col_int(st, 0);
	l->programme_id = *(const int64_t *)ctx;
	l->source_id = db_col_int(st, 1);
	l->kind = k >= 0 ? budget_kinds[k] : "other";
	l->kind_label = budget_kind_label(l->kind);
	l->source_name = db_col_dup(st, 3, a);
	l->note = db_col_dup(st, 4, a);
	l->cost_code = db_col_dup(st, 5, a);
	return l->source_name && l->note && l->cost_code ? DB_OK : DB_ERR;
}

int budget_lines_list(db *d, arena *a, int64_t programme_id, struct budget_line **out,
		      size_t *n)
{
	db_stmt *st = db_prepare(d, "SELECT l.id, l.source_id, l.kind, s.name, l.note, l.cost_code"
				    " FROM budget_lines l JOIN funding_sources s ON s.id = l.source_id"
				    " WHERE l.programme_id = ? ORDER BY s.name, l.id LIMIT ?");
	struct budget_line *items;
	struct line_fig *lines;
	struct raw_entry *entries;
	size_t nl, ne, count;
	int rc;

	*out = NULL;
	*n = 0;
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, BUDGET_LINES_MAX);
	rc = db_collect(st, a, sizeof(*items), line_row, &programme_id, &items, &count);
	if (rc != DB_OK)
		return rc;
	rc = figures(d, a, programme_id, 0, NULL, NULL, &lines, &nl, &entries, &ne);
	if (rc != DOMAIN_OK)
		return rc;
	for (size_t i = 0; i < count; i++)
		for (size_t j = 0; j < nl; j++)
			if (lines[j].id == items[i].id)
				money_of(&items[i].m, &lines[j]);
	/* In kind order, then source: the order of the budget_kinds table. */
	struct budget_line *sorted = count ? arena_alloc(a, count * sizeof(*sorted)) : NULL;
	size_t k = 0;
	if (count && !sorted)
		return DB_ERR;
	for (int kind = 0; kind < BUDGET_KIND_COUNT; kind++)
		for (size_t i = 0; i < count; i++)
			if (items[i].kind == budget_kinds[kind])
				sorted[k++] = items[i];
	*out = sorted;
	*n = k;
	return DOMAIN_OK;
}

int budget_line_find(db *d, int64_t programme_id, const char *kind, int64_t *line_id,
		     char **cost_code, arena *a)
{
	db_stmt *st = db_prepare(d, "SELECT id, cost_code FROM budget_lines WHERE programme_id = ?"
				    " AND kind = ? ORDER BY id LIMIT 1");
	int rc;
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, programme_id);
	db_bind_text(st, 2, kind);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*line_id = db_col_int(st, 0);
		if (cost_code) {
			*cost_code = db_col_dup(st, 1, a);
			if (!*cost_code)
				rc = DB_ERR;
		}
	}
	db_done(st);
	return rc == DB_ROW ? DOMAIN_OK : rc == DB_DONE ? DOMAIN_ENOTFOUND : (rc < 0 ? rc : DB_ERR);
}

/* --- Entries --------------------------------------------------------------------------- */

/* The line's programme, kind label and source, or DOMAIN_ENOTFOUND. */
struct line_owner_row {
	int64_t programme_id;
	const char *label;
	char *source;
};

static int line_owner_fill(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct line_owner_row *row = item;
	(void)ctx;
	row->programme_id = db_col_int(st, 0);
	row->label = budget_kind_label(db_col_text(st, 1));
	row->source = db_col_dup(st, 2, a);
	return row->source ? DB_OK : DB_ERR;
}

static int line_owner(db *d, arena *a, int64_t line_id, int64_t *programme_id,
		      const char **label, char **source)
{
	struct line_owner_row row = {0, NULL, NULL};
	int rc = record_get(d, a,
			    "SELECT l.programme_id, l.kind, s.name FROM budget_lines l"
			    " JOIN funding_sources s ON s.id = l.source_id WHERE l.id = ?",
			    line_id, line_owner_fill, NULL, &row);
	*programme_id = row.programme_id;
	*label = row.label;
	*source = row.source;
	return rc;
}

/* How far an entry of AMOUNT (settling SETTLES, 0 for none) would take LINE_ID over. */
static int line_over_by(db *d, arena *a, int64_t line_id, bool spend, int64_t amount,
			int64_t settles, int64_t *over, int64_t *budget, int64_t *open_of_settled)
{
	struct line_fig *lines;
	struct raw_entry *entries;
	size_t nl, ne;
	int rc = figures(d, a, 0, line_id, NULL, NULL, &lines, &nl, &entries, &ne);
	if (rc != DOMAIN_OK)
		return rc;
	if (nl != 1)
		return DOMAIN_ENOTFOUND;
	int64_t use = lines[0].committed + lines[0].spent_to_date + amount;
	*open_of_settled = -1;
	if (spend && settles) {
		struct raw_entry *c = entry_by_id(entries, ne, settles);
		if (!c || c->spend || c->reverses || c->open <= 0)
			return DOMAIN_ENOTFOUND;
		*open_of_settled = c->open;
		use -= amount < c->open ? amount : c->open;
	}
	*budget = lines[0].budget;
	*over = budget_over_by(lines[0].budget, use);
	return DOMAIN_OK;
}

static int session_of_programme(db *d, int64_t programme_id, int64_t session_id)
{
	db_stmt *st = db_prepare(d, "SELECT 1 FROM group_sessions s JOIN working_groups g"
				    " ON g.id = s.group_id WHERE s.id = ? AND g.programme_id = ?");
	int rc;
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, session_id);
	db_bind_int(st, 2, programme_id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : (rc < 0 ? rc : DB_ERR);
}

struct new_entry {
	int64_t line_id, amount, vat, session_id, settles, reverses, approved_by;
	bool spend;
	const char *date, *supplier, *reference, *what_for, *over_reason;
};

static int entry_insert(db *d, arena *a, const struct audit_actor *actor,
			const struct new_entry *e, int64_t *id)
{
	char now[32];
	int bad = 0, rc;
	db_stmt *st = db_prepare(d, "INSERT INTO budget_entries (line_id, kind, entry_date, supplier,"
				    " amount_pence, vat_pence, reference, what_for, session_id,"
				    " over_approved_by, over_reason, reverses, closes, created_by,"
				    " created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
	if (!st)
		return DB_ERR;
	db_now_iso(now, 0);
	bad |= db_bind_int(st, 1, e->line_id);
	bad |= db_bind_text(st, 2, e->spend ? "spend" : "commitment");
	bad |= db_bind_text(st, 3, e->date);
	bad |= db_bind_text(st, 4, e->supplier);
	bad |= db_bind_int(st, 5, e->amount);
	bad |= db_bind_int(st, 6, e->vat);
	bad |= db_bind_text(st, 7, e->reference);
	bad |= db_bind_text(st, 8, e->what_for);
	bad |= e->session_id ? db_bind_int(st, 9, e->session_id) : db_bind_null(st, 9);
	bad |= e->approved_by ? db_bind_int(st, 10, e->approved_by) : db_bind_null(st, 10);
	bad |= db_bind_text(st, 11, e->over_reason);
	bad |= e->reverses ? db_bind_int(st, 12, e->reverses) : db_bind_null(st, 12);
	bad |= e->settles ? db_bind_int(st, 13, e->settles) : db_bind_null(st, 13);
	bad |= actor->account_id ? db_bind_int(st, 14, actor->account_id) : db_bind_null(st, 14);
	bad |= db_bind_text(st, 15, now);
	rc = step_done(st, bad);
	if (rc != DB_OK)
		return rc;
	int64_t new_id = db_last_insert_id(d);

	sbuf b;
	json j;
	sbuf_init(&b, a, AUDIT_JSON_MAX);
	json_init(&j, &b);
	json_obj(&j);
	json_key(&j, "line_id");
	json_int(&j, e->line_id);
	json_key(&j, "kind");
	json_cstr(&j, e->spend ? "spend" : "commitment");
	json_key(&j, "entry_date");
	json_cstr(&j, e->date);
	json_key(&j, "supplier");
	json_cstr(&j, e->supplier);
	json_key(&j, "amount_pence");
	json_int(&j, e->amount);
	json_key(&j, "vat_pence");
	json_int(&j, e->vat);
	json_key(&j, "reference");
	json_cstr(&j, e->reference);
	if (e->over_reason) {
		json_key(&j, "over_budget_approved_by");
		json_int(&j, e->approved_by);
		json_key(&j, "over_budget_reason");
		json_cstr(&j, e->over_reason);
	}
	if (e->reverses) {
		json_key(&j, "reverses");
		json_int(&j, e->reverses);
	}
	json_end(&j);
	rc = audit_json(d, actor, "budget_entry", new_id,
			e->reverses ? "reverse" : e->over_reason ? "create_over_budget" : "create",
			&b);
	if (rc == DB_OK && id)
		*id = new_id;
	return rc;
}

int budget_entry_add_tx(db *d, arena *a, const struct audit_actor *actor,
			int64_t programme_id, bool may_approve,
			const struct budget_entry_input *in, struct field_errors *errs,
			int64_t *over_by, int64_t *id)
{
	struct new_entry e = {0};
	int bad = 0, rc;
	int64_t line_programme = 0;
	const char *label = "";
	char *source = NULL, *date = NULL, *reason = NULL;

	if (over_by)
		*over_by = 0;
	if (in->approve_over && !may_approve)
		return DOMAIN_EFORBIDDEN;

	sv kind = sv_trim(in->kind);
	if (sv_eq_cstr(kind, "spend"))
		e.spend = true;
	else if (!sv_eq_cstr(kind, "commitment")) {
		field_error_add(errs, "kind", "Select whether this is money spent or a commitment");
		bad = 1;
	}
	if (id_field(in->line_id, &e.line_id) != 1)
		e.line_id = 0;
	rc = e.line_id ? line_owner(d, a, e.line_id, &line_programme, &label, &source)
		       : DOMAIN_ENOTFOUND;
	if (rc != DOMAIN_OK && rc != DOMAIN_ENOTFOUND)
		return rc;
	if (rc == DOMAIN_ENOTFOUND || line_programme != programme_id) {
		field_error_add(errs, "line_id", "Select a budget line of this programme");
		e.line_id = 0;
		bad = 1;
	}
	if (date_field(a, in->day, in->month, in->year, true, "date",
		       "Enter the date of the invoice or booking",
		       "The date must be a real date, like 14 6 2022", &date, errs) != DOMAIN_OK)
		bad = 1;
	e.date = date;
	if (date && e.spend) {
		/* Money is spent on or before today; what is promised for later is a
		 * commitment. */
		struct date today = date_today(), on;
		if (date_parse(sv_from(date), &on) == 0 && date_cmp(on, today) > 0) {
			field_error_add(errs, "date",
					"Money spent must be dated today or earlier. For money "
					"promised for later, record a commitment");
			bad = 1;
		}
	}
	e.supplier = text_field(a, in->supplier, BUDGET_SHORT_MAX, e.spend, "supplier",
				"Enter who was paid", "Supplier must be 100 characters or fewer",
				errs);
	if (amount_field(in->amount, true, false, "amount", "Enter the amount, not counting VAT",
			 "Enter the amount in pounds and pence, like 125.50, more than £0",
			 &e.amount, errs) != DOMAIN_OK)
		bad = 1;
	if (amount_field(in->vat, false, true, "vat", "",
			 "Enter the VAT in pounds and pence, like 25.10, or leave it empty",
			 &e.vat, errs) != DOMAIN_OK)
		bad = 1;
	else if (!field_error_get(errs, "amount") && e.vat > e.amount) {
		field_error_add(errs, "vat", "VAT cannot be more than the amount");
		bad = 1;
	}
	e.reference = text_field(a, in->reference, BUDGET_SHORT_MAX, false, "reference", "",
				 "Reference must be 100 characters or fewer", errs);
	e.what_for = text_field(a, in->what_for, BUDGET_TEXT_MAX, true, "what_for",
				"Enter what it was for", "What it was for must be 2000 characters or fewer",
				errs);
	int has = id_field(in->session_id, &e.session_id);
	if (has < 0) {
		field_error_add(errs, "session_id", "Select a session of this programme, or none");
		bad = 1;
	} else if (has > 0) {
		rc = session_of_programme(d, programme_id, e.session_id);
		if (rc < 0)
			return rc;
		if (!rc) {
			field_error_add(errs, "session_id", "Select a session of this programme, or none");
			bad = 1;
		}
	}
	has = id_field(in->settles, &e.settles);
	if (has < 0 || (has > 0 && !e.spend)) {
		field_error_add(errs, "settles", "Only money spent can settle a commitment");
		bad = 1;
	}
	if (in->approve_over) {
		reason = text_field(a, in->over_reason, BUDGET_TEXT_MAX, true, "over_reason",
				    "Enter why going over budget is approved",
				    "Reason must be 2000 characters or fewer", errs);
		if (!reason)
			bad = 1;
	}
	if (bad || !e.supplier || !e.reference || !e.what_for)
		return DOMAIN_EINVALID;

	int64_t over = 0, budget = 0, open = -1;
	rc = line_over_by(d, a, e.line_id, e.spend, e.amount, e.settles, &over, &budget, &open);
	if (rc == DOMAIN_ENOTFOUND && e.settles) {
		field_error_add(errs, "settles", "Select an open commitment on the same line, or none");
		return DOMAIN_EINVALID;
	}
	if (rc != DOMAIN_OK)
		return rc;
	if (over > 0) {
		if (over_by)
			*over_by = over;
		if (!in->approve_over) {
			field_error_add(
				errs, "amount",
				arena_printf(a,
					     "This would take the %s line (%s) %s over its budget of %s. %s",
					     label, source, money_text(a, over), money_text(a, budget),
					     may_approve ? "To go ahead, tick \xe2\x80\x9c" "Approve going over "
							   "budget\xe2\x80\x9d and give the reason."
							 : "Only a programme lead can approve going over "
							   "budget."));
			return DOMAIN_EINVALID;
		}
		e.approved_by = actor->account_id;
		e.over_reason = reason;
	}
	return entry_insert(d, a, actor, &e, id);
}

int budget_entry_add(db *d, arena *a, const struct audit_actor *actor, int64_t programme_id,
		     bool may_approve, const struct budget_entry_input *in,
		     struct field_errors *errs, int64_t *over_by, int64_t *id)
{
	IN_TRANSACTION(d, budget_entry_add_tx(d, a, actor, programme_id, may_approve, in, errs,
					      over_by, id));
}

int budget_spend_record_tx(db *d, arena *a, const struct audit_actor *actor, int64_t line_id,
			   const char *date_iso, int64_t net_pence, const char *supplier,
			   const char *reference, const char *what_for,
			   const char *approved_reason, int64_t *entry_id)
{
	struct new_entry e = {0};
	struct date dt;
	int64_t programme_id, over, budget, open;
	const char *label;
	char *source;
	int rc = line_owner(d, a, line_id, &programme_id, &label, &source);
	if (rc != DOMAIN_OK)
		return rc;
	if (!date_iso || date_parse(sv_from(date_iso), &dt) != 0 || net_pence < 0 ||
	    net_pence > BUDGET_MAX_PENCE || !supplier || !sv_trim(sv_from(supplier)).len)
		return DOMAIN_EINVALID;
	rc = line_over_by(d, a, line_id, true, net_pence, 0, &over, &budget, &open);
	if (rc != DOMAIN_OK)
		return rc;
	if (over > 0 && !approved_reason)
		return DOMAIN_ECONFLICT;
	e.line_id = line_id;
	e.spend = true;
	e.date = date_iso;
	e.amount = net_pence;
	e.supplier = supplier;
	e.reference = reference ? reference : "";
	e.what_for = what_for ? what_for : "";
	if (over > 0) {
		e.approved_by = actor->account_id;
		e.over_reason = approved_reason;
	}
	return entry_insert(d, a, actor, &e, entry_id);
}

int budget_spend_correct_tx(db *d, arena *a, const struct audit_actor *actor, int64_t line_id,
			    const char *reference, const char *date_iso, int64_t pence,
			    const char *what_for)
{
	struct new_entry e = {0};
	struct date dt;
	int64_t spent = 0, corrected = 0;
	int rc;
	db_stmt *st;

	if (!date_iso || date_parse(sv_from(date_iso), &dt) != 0 || pence <= 0 ||
	    pence > BUDGET_MAX_PENCE || !reference)
		return DOMAIN_EINVALID;
	st = db_prepare(d, "SELECT e.id, e.supplier, e.amount_pence, (SELECT"
			   " COALESCE(SUM(x.amount_pence), 0) FROM budget_entries x WHERE"
			   " x.reverses = e.id) FROM budget_entries e WHERE e.line_id = ? AND"
			   " e.kind = 'spend' AND e.reference = ? AND e.reverses IS NULL"
			   " ORDER BY e.id LIMIT 1");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, line_id);
	db_bind_text(st, 2, reference);
	rc = db_step(st);
	if (rc == DB_ROW) {
		e.reverses = db_col_int(st, 0);
		e.supplier = db_col_dup(st, 1, a);
		spent = db_col_int(st, 2);
		corrected = -db_col_int(st, 3);
	}
	db_done(st);
	if (rc == DB_DONE)
		return DOMAIN_ENOTFOUND;
	if (rc != DB_ROW)
		return rc < 0 ? rc : DB_ERR;
	if (!e.supplier)
		return DB_ERR;
	if (corrected + pence > spent)
		return DOMAIN_ECONFLICT;
	e.line_id = line_id;
	e.spend = true;
	e.date = date_iso;
	e.amount = -pence;
	e.reference = reference;
	e.what_for = what_for ? what_for : "";
	return entry_insert(d, a, actor, &e, NULL);
}

int64_t budget_entry_batch(const char *supplier, const char *reference)
{
	size_t plen = strlen(BUDGET_BATCH_REF_PREFIX);
	int64_t id = 0;
	const char *p;

	if (!supplier || !reference || strcmp(supplier, BUDGET_PAYMENTS_SUPPLIER) != 0 ||
	    strncmp(reference, BUDGET_BATCH_REF_PREFIX, plen) != 0 || !reference[plen])
		return 0;
	for (p = reference + plen; *p >= '0' && *p <= '9' && id < INT64_MAX / 10; p++)
		id = id * 10 + (*p - '0');
	return *p ? 0 : id;
}

static int budget_entry_reverse_tx(db *d, arena *a, const struct audit_actor *actor,
				   int64_t programme_id, int64_t entry_id, sv reason,
				   struct field_errors *errs)
{
	db_stmt *st = db_prepare(d, "SELECT e.line_id, e.kind, e.supplier, e.amount_pence,"
				    " e.vat_pence, e.reference, e.session_id, e.reverses, e.closes, e.entry_date,"
				    " (SELECT COUNT(*) FROM budget_entries x WHERE x.reverses = e.id)"
				    " FROM budget_entries e JOIN budget_lines l ON l.id = e.line_id"
				    " WHERE e.id = ? AND l.programme_id = ?");
	struct new_entry e = {0};
	int rc;
	bool corrected = false;
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, entry_id);
	db_bind_int(st, 2, programme_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		e.line_id = db_col_int(st, 0);
		e.spend = sv_eq_cstr(db_col_sv(st, 1), "spend");
		e.supplier = db_col_dup(st, 2, a);
		e.amount = -db_col_int(st, 3);
		e.vat = -db_col_int(st, 4);
		e.reference = db_col_dup(st, 5, a);
		e.session_id = db_col_null(st, 6) ? 0 : db_col_int(st, 6);
		corrected = !db_col_null(st, 7) || db_col_int(st, 10) > 0;
		e.settles = db_col_null(st, 8) ? 0 : db_col_int(st, 8);
		e.date = db_col_dup(st, 9, a);
	}
	db_done(st);
	if (rc == DB_DONE)
		return DOMAIN_ENOTFOUND;
	if (rc != DB_ROW)
		return rc < 0 ? rc : DB_ERR;
	/* A batch's spend stands for the claims it paid: correcting it alone would leave
	 * the budget saying one thing and the payments another. */
	if (budget_entry_batch(e.supplier, e.reference))
		return DOMAIN_EFORBIDDEN;
	if (corrected)
		return DOMAIN_ECONFLICT;
	e.what_for = text_field(a, reason, BUDGET_TEXT_MAX, true, "reason",
				"Enter why this entry is being corrected",
				"Reason must be 2000 characters or fewer", errs);
	if (!e.what_for)
		return DOMAIN_EINVALID;
	if (!e.supplier || !e.reference || !e.date)
		return DB_ERR;
	e.reverses = entry_id;
	return entry_insert(d, a, actor, &e, NULL);
}

int budget_entry_reverse(db *d, arena *a, const struct audit_actor *actor,
			 int64_t programme_id, int64_t entry_id, sv reason,
			 struct field_errors *errs)
{
	IN_TRANSACTION(d, budget_entry_reverse_tx(d, a, actor, programme_id, entry_id, reason,
						  errs));
}

static int entry_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct budget_entry *x = item;
	x->id = db_col_int(st, 0);
	x->line_id = db_col_int(st, 1);
	x->spend = sv_eq_cstr(db_col_sv(st, 2), "spend");
	x->line_kind_label = budget_kind_label(db_col_text(st, 3));
	x->source_name = db_col_dup(st, 4, a);
	x->entry_date = db_col_dup(st, 5, a);
	x->supplier = db_col_dup(st, 6, a);
	x->reference = db_col_dup(st, 7, a);
	x->what_for = db_col_dup(st, 8, a);
	x->amount_pence = db_col_int(st, 9);
	x->vat_pence = db_col_int(st, 10);
	x->session_id = db_col_null(st, 11) ? 0 : db_col_int(st, 11);
	x->session_title = db_col_dup(st, 12, a);
	x->session_date = db_col_null(st, 13) ? NULL : arena_strndup(a, db_col_text(st, 13), 10);
	x->over_reason = db_col_dup(st, 14, a);
	x->over_approved_name = db_col_dup(st, 15, a);
	x->created_by_name = db_col_dup(st, 16, a);
	x->reverses = db_col_null(st, 17) ? 0 : db_col_int(st, 17);
	x->settles = db_col_null(st, 18) ? 0 : db_col_int(st, 18);
	return x->source_name && x->entry_date && x->supplier && x->reference && x->what_for
		       ? DB_OK
		       : DB_ERR;
}

int budget_entries_list(db *d, arena *a, int64_t programme_id, struct budget_entry **out,
			size_t *n)
{
	db_stmt *st = db_prepare(
		d, "SELECT e.id, e.line_id, e.kind, l.kind, s.name, e.entry_date, e.supplier,"
		   " e.reference, e.what_for, e.amount_pence, e.vat_pence, e.session_id, gs.title,"
		   " gs.starts_at, e.over_reason, ap.display_name, cb.display_name, e.reverses,"
		   " e.closes"
		   " FROM budget_entries e JOIN budget_lines l ON l.id = e.line_id"
		   " JOIN funding_sources s ON s.id = l.source_id"
		   " LEFT JOIN group_sessions gs ON gs.id = e.session_id"
		   " LEFT JOIN accounts ap ON ap.id = e.over_approved_by"
		   " LEFT JOIN accounts cb ON cb.id = e.created_by"
		   " WHERE l.programme_id = ? ORDER BY e.entry_date DESC, e.id DESC LIMIT ?");
	struct budget_entry *items;
	struct line_fig *lines;
	struct raw_entry *raw;
	size_t nl, nr;
	int rc;

	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, BUDGET_ENTRIES_MAX);
	rc = db_collect(st, a, sizeof(*items), entry_row, NULL, &items, n);
	if (rc == DB_OK)
		rc = figures(d, a, programme_id, 0, NULL, NULL, &lines, &nl, &raw, &nr);
	*out = NULL;
	if (rc != DOMAIN_OK) {
		*n = 0;
		return rc;
	}
	for (size_t i = 0; i < *n; i++) {
		struct raw_entry *r = entry_by_id(raw, nr, items[i].id);
		items[i].open_pence = r && !r->spend && !r->reverses && r->open > 0 ? r->open : 0;
	}
	*out = items;
	return DOMAIN_OK;
}

static int session_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct budget_session *s = item;
	s->id = db_col_int(st, 0);
	s->title = db_col_dup(st, 1, a);
	s->date = arena_strndup(a, db_col_text(st, 2), 10);
	s->group_name = db_col_dup(st, 3, a);
	return s->title && s->date && s->group_name ? DB_OK : DB_ERR;
}

int budget_sessions_list(db *d, arena *a, int64_t programme_id,
			 struct budget_session **out, size_t *n)
{
	db_stmt *st = db_prepare(d, "SELECT s.id, s.title, s.starts_at, g.name FROM group_sessions s"
				    " JOIN working_groups g ON g.id = s.group_id"
				    " WHERE g.programme_id = ? ORDER BY s.starts_at DESC, s.id LIMIT ?");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, BUDGET_ENTRIES_MAX);
	return db_collect(st, a, sizeof(**out), session_row, NULL, out, n);
}

/* --- Over time ------------------------------------------------------------------------- */

static const char *const month_short[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

int budget_months(db *d, arena *a, int64_t programme_id, struct budget_months *out)
{
	struct raw_entry *e;
	size_t n;
	int rc = load_entries(d, a, programme_id, 0, &e, &n);
	memset(out, 0, sizeof(*out));
	if (rc != DOMAIN_OK)
		return rc;
	int first = 0, last = 0; /* months since year 0 */
	for (size_t i = 0; i < n; i++) {
		struct date dt;
		if (date_parse(sv_from(e[i].date), &dt) != 0)
			continue;
		int m = dt.y * 12 + dt.m - 1;
		if (!first || m < first)
			first = m;
		if (m > last)
			last = m;
	}
	if (!first)
		return DOMAIN_OK;
	if (last - first + 1 > BUDGET_MONTHS_MAX) {
		first = last - BUDGET_MONTHS_MAX + 1;
		out->earlier = true;
	}
	size_t count = (size_t)(last - first + 1);
	out->labels = arena_calloc(a, count, sizeof(*out->labels));
	out->spent = arena_calloc(a, count, sizeof(*out->spent));
	out->committed = arena_calloc(a, count, sizeof(*out->committed));
	if (!out->labels || !out->spent || !out->committed)
		return DB_ERR;
	for (size_t i = 0; i < count; i++) {
		int m = first + (int)i;
		out->labels[i] = arena_printf(a, "%s %d", month_short[m % 12], m / 12);
		if (!out->labels[i])
			return DB_ERR;
	}
	for (size_t i = 0; i < n; i++) {
		struct date dt;
		if (date_parse(sv_from(e[i].date), &dt) != 0)
			continue;
		int m = dt.y * 12 + dt.m - 1;
		if (m < first)
			continue;
		if (e[i].spend)
			out->spent[m - first] += e[i].amount;
		else
			out->committed[m - first] += e[i].amount;
	}
	out->n = count;
	return DOMAIN_OK;
}
