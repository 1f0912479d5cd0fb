/* power.c: the balance of power between local people and professionals; see power.h. */
#include "domain/power.h"

#include <string.h>

#include "domain/access.h"

/* --- One idea ---------------------------------------------------------------------- */

static int person_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct power_person *p = item;
	p->account_id = db_col_int(st, 0);
	p->name = db_col_dup(st, 1, a);
	p->side = db_col_dup(st, 2, a);
	p->recorded_by = db_col_dup(st, 3, a);
	p->at = db_col_dup(st, 4, a);
	if (!p->side)
		return DB_ERR;
	if (!p->name)
		p->name = arena_strdup(a, "Someone no longer on coprod");
	return DB_OK;
}

int power_item_summary(db *d, arena *a, int64_t idea_id, struct power_item *out)
{
	int64_t ids[POWER_DECISIONS_MAX];
	size_t nids = 0;
	db_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	st = db_prepare(d, "SELECT ia.account_id, ac.display_name, ia.side, rb.display_name, NULL "
	                   "FROM idea_authors ia LEFT JOIN accounts ac ON ac.id = ia.account_id "
	                   "LEFT JOIN accounts rb ON rb.id = ia.recorded_by "
	                   "WHERE ia.idea_id = ? ORDER BY ac.display_name, ia.account_id LIMIT ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, idea_id);
	db_bind_int(st, 2, POWER_PEOPLE_MAX);
	rc = db_collect(st, a, sizeof(*out->proposers), person_row, NULL, &out->proposers,
			&out->n_proposers);
	if (rc != DOMAIN_OK)
		return rc;

	/* A facilitator who typed an amendment for someone is not its author: the person
	 * it was made for is. */
	st =
	    db_prepare(d, "SELECT COALESCE(r.on_behalf_of, r.revised_by), ac.display_name, r.side, "
	                  "CASE WHEN r.on_behalf_of IS NOT NULL THEN rb.display_name END, "
	                  "r.revised_at FROM idea_revisions r "
	                  "LEFT JOIN accounts ac ON ac.id = COALESCE(r.on_behalf_of, r.revised_by) "
	                  "LEFT JOIN accounts rb ON rb.id = r.revised_by "
	                  "WHERE r.idea_id = ? AND r.is_amendment = 1 ORDER BY r.version LIMIT ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, idea_id);
	db_bind_int(st, 2, POWER_PEOPLE_MAX);
	rc = db_collect(st, a, sizeof(*out->amenders), person_row, NULL, &out->amenders,
			&out->n_amenders);
	if (rc != DOMAIN_OK)
		return rc;

	st = db_prepare(d, "SELECT id FROM decisions WHERE idea_id = ? ORDER BY id LIMIT ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, idea_id);
	db_bind_int(st, 2, POWER_DECISIONS_MAX);
	while ((rc = db_step(st)) == DB_ROW && nids < POWER_DECISIONS_MAX)
		ids[nids++] = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_DONE && rc != DB_ROW)
		return rc;
	out->decisions = arena_calloc(a, nids ? nids : 1, sizeof(*out->decisions));
	if (!out->decisions)
		return DB_ERR;
	for (size_t i = 0; i < nids; i++) {
		struct power_decision *pd = &out->decisions[i];
		struct decision_position *pos;
		struct decision_member *mem;
		size_t np, nm;
		rc = decision_load(d, a, ids[i], &pd->decision);
		if (rc == DOMAIN_OK)
			rc = decision_positions(d, a, &pd->decision, &pos, &np);
		if (rc == DOMAIN_OK)
			rc = decision_members(d, a, &pd->decision, &mem, &nm);
		if (rc != DOMAIN_OK)
			return rc;
		decision_tally(&pd->decision, pos, np, mem, nm, &pd->tally);
		rc = decision_result(a, &pd->decision, &pd->tally, &pd->result);
		if (rc != DOMAIN_OK)
			return rc;
		out->n_decisions++;
	}
	return DOMAIN_OK;
}

/* --- A programme over time --------------------------------------------------------- */

int power_programme_find(db *d, arena *a, int64_t account_id, enum role role, sv slug, int64_t *id,
                         char **name)
{
	db_stmt *st = db_prepare(d, "SELECT id, name, lead_account_id FROM programmes WHERE "
	                            "slug = ?");
	int64_t lead = 0;
	int rc;
	if (!st)
		return DB_ERR;
	db_bind_sv(st, 1, slug);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_col_int(st, 0);
		*name = db_col_dup(st, 1, a);
		lead = db_col_int(st, 2);
	}
	db_done(st);
	if (rc == DB_DONE || account_id == 0)
		return DOMAIN_ENOTFOUND;
	if (rc != DB_ROW)
		return rc;
	if (!*name)
		return DB_ERR;
	if (role == ROLE_PROGRAMME_LEAD || lead == account_id)
		return DOMAIN_OK;
	st = db_prepare(d, "SELECT 1 FROM group_members m JOIN working_groups g ON g.id = "
	                   "m.group_id WHERE g.programme_id = ? AND m.account_id = ? AND "
	                   "m.left_on IS NULL LIMIT 1");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, *id);
	db_bind_int(st, 2, account_id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? DOMAIN_OK : rc == DB_DONE ? DOMAIN_ENOTFOUND : rc;
}

enum kind { K_IDEAS, K_AMENDMENTS, K_COMMENTS, K_POSITIONS, K_COUNT };

/* Each query gives (month "YYYY-MM", side, count) rows for one programme. The month is
 * cut from the ISO text, which sorts and groups the same way in every database. */
static const char *const kind_sql[K_COUNT] = {
    [K_IDEAS] = "SELECT substr(created_at, 1, 7), side, COUNT(*) FROM ideas "
                "WHERE programme_id = ? GROUP BY substr(created_at, 1, 7), side",
    [K_AMENDMENTS] = "SELECT substr(r.revised_at, 1, 7), r.side, COUNT(*) FROM idea_revisions r "
                     "JOIN ideas i ON i.id = r.idea_id WHERE i.programme_id = ? AND "
                     "r.is_amendment = 1 GROUP BY substr(r.revised_at, 1, 7), r.side",
    [K_COMMENTS] = "SELECT substr(c.created_at, 1, 7), c.side, COUNT(*) FROM idea_comments c "
                   "JOIN ideas i ON i.id = c.idea_id WHERE i.programme_id = ? "
                   "GROUP BY substr(c.created_at, 1, 7), c.side",
    /* A position counts once the decision is closed: then it decided something. */
    [K_POSITIONS] = "SELECT substr(d.closed_at, 1, 7), p.side, COUNT(*) FROM "
                    "decision_positions p JOIN decisions d ON d.id = p.decision_id "
                    "JOIN working_groups g ON g.id = d.group_id WHERE g.programme_id = ? "
                    "AND d.status = 'closed' AND p.stance <> 'abstain' "
                    "GROUP BY substr(d.closed_at, 1, 7), p.side",
};

struct cell {
	int q; /* year * 4 + quarter - 1 */
	enum kind kind;
	bool local;
	int count;
};

#define POWER_CELLS_MAX (K_COUNT * 2 * 12 * 50) /* fifty years of months: plenty */

static int parse_month(sv ym, int *q)
{
	int64_t y, m;
	sv rest;
	sv ys = sv_cut(ym, '-', &rest);
	if (!rest.ptr || sv_to_i64(ys, &y) != 0 || sv_to_i64(rest, &m) != 0 || y < 1900 ||
	    y > 2200 || m < 1 || m > 12)
		return -1;
	*q = (int)(y * 4 + (m - 1) / 3);
	return 0;
}

int power_programme(db *d, arena *a, int64_t programme_id, struct power_quarter **out, size_t *n)
{
	struct cell *cells = arena_calloc(a, POWER_CELLS_MAX, sizeof(*cells));
	size_t nc = 0;
	int lo = 0, hi = -1, rc = DB_DONE;

	*out = NULL;
	*n = 0;
	if (!cells)
		return DB_ERR;
	for (int k = 0; k < K_COUNT; k++) {
		db_stmt *st = db_prepare(d, kind_sql[k]);
		if (!st)
			return DB_ERR;
		db_bind_int(st, 1, programme_id);
		while ((rc = db_step(st)) == DB_ROW && nc < POWER_CELLS_MAX) {
			struct cell *c = &cells[nc];
			if (parse_month(db_col_sv(st, 0), &c->q) != 0)
				continue;
			c->kind = (enum kind)k;
			c->local = sv_eq_cstr(db_col_sv(st, 1), "local");
			c->count = (int)db_col_int(st, 2);
			if (hi < lo || c->q < lo)
				lo = c->q;
			if (c->q > hi)
				hi = c->q;
			nc++;
		}
		db_done(st);
		if (rc != DB_DONE && rc != DB_ROW)
			return rc;
	}
	if (nc == 0)
		return DOMAIN_OK;
	if (hi - lo + 1 > POWER_QUARTERS_MAX)
		lo = hi - POWER_QUARTERS_MAX + 1;
	*out = arena_calloc(a, (size_t)(hi - lo + 1), sizeof(**out));
	if (!*out)
		return DB_ERR;
	*n = (size_t)(hi - lo + 1);
	for (int q = lo; q <= hi; q++) {
		(*out)[q - lo].year = q / 4;
		(*out)[q - lo].quarter = q % 4 + 1;
	}
	for (size_t i = 0; i < nc; i++) {
		struct power_counts *pc;
		struct power_quarter *pq;
		if (cells[i].q < lo)
			continue;
		pq = &(*out)[cells[i].q - lo];
		pc = cells[i].kind == K_IDEAS        ? &pq->ideas
		     : cells[i].kind == K_AMENDMENTS ? &pq->amendments
		     : cells[i].kind == K_COMMENTS   ? &pq->comments
		                                     : &pq->positions;
		if (cells[i].local)
			pc->local += cells[i].count;
		else
			pc->professional += cells[i].count;
	}
	return DOMAIN_OK;
}
