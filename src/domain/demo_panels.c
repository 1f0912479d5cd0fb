/* demo_panels.c: the demo's drawn panel; see demo_panels.h. */
#include "domain/demo_panels.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "domain/audit.h"
#include "domain/demo_groups.h"
#include "domain/panels.h"
#include "domain/validate.h"

static int64_t id_of(db *d, const char *sql, const char *param)
{
	db_stmt *s = db_prepare(d, sql);
	int64_t id = 0;
	int rc;
	if (!s)
		return DB_ERR;
	db_bind_text(s, 1, param);
	rc = db_step(s);
	if (rc == DB_ROW)
		id = db_col_int(s, 0);
	db_done(s);
	return rc == DB_ROW || rc == DB_DONE ? id : rc;
}

/* The pool: the default one without the record waiting to be merged. */
static int pool_without_duplicate(db *d, arena *a, const struct audit_actor *who, int64_t id,
				  size_t *kept)
{
	struct panel_candidate *c;
	size_t n, k = 0;
	int64_t *ids;
	int rc = panel_candidates(d, a, id, &c, &n);
	if (rc)
		return rc;
	if (!(ids = arena_calloc(a, n + 1, sizeof(*ids))))
		return DB_ERR;
	for (size_t i = 0; i < n; i++)
		if (c[i].in_pool && strcmp(c[i].name, "Demo Vol 07") != 0)
			ids[k++] = c[i].volunteer_id;
	*kept = k;
	if (k < (size_t)DEMO_PANEL_PLACES)
		return DOMAIN_OK;
	return panel_pool_set_tx(d, a, who, id, ids, NULL, k, NULL);
}

/* The lead widens each proposed quota (minimum one lower, maximum two higher): the
 * proposal follows the population closely, and with a small pool that can leave some
 * people no chance at all. */
static int widen_maxima(db *d, arena *a, const struct audit_actor *who, int64_t id)
{
	struct panel_quota *q;
	size_t n;
	const char **mins, **maxs;
	int rc = panel_quotas_list(d, a, id, &q, &n);
	if (rc)
		return rc;
	mins = arena_calloc(a, n + 1, sizeof(*mins));
	maxs = arena_calloc(a, n + 1, sizeof(*maxs));
	if (!mins || !maxs)
		return DB_ERR;
	for (size_t i = 0; i < n; i++) {
		int max = q[i].max + 2 > DEMO_PANEL_PLACES ? DEMO_PANEL_PLACES : q[i].max + 2;
		mins[i] = arena_printf(a, "%d", q[i].min > 0 ? q[i].min - 1 : 0);
		maxs[i] = arena_printf(a, "%d", max);
	}
	return panel_quotas_save_tx(d, a, who, id, mins, maxs, n, NULL);
}

/* Where the demo's draw took place: the hub where the group meets. */
#define DEMO_DRAW_PLACE DEMO_VENUE_HUB ", 1 Example Street, Demo Town"

/* The lottery is published only with a draw planned in the future: plan it a week
 * from today, as the lead would have; backdate then gives it its real date. */
static int plan_draw(db *d, arena *a, const struct audit_actor *who, int64_t id)
{
	struct date day = date_add_days(date_today(), 7);
	struct panel_draw_plan plan = {
		arena_printf(a, "%d", day.d), arena_printf(a, "%d", day.m),
		arena_printf(a, "%d", day.y), "19:30", DEMO_DRAW_PLACE, "A member of the group", NULL,
	};
	return panel_draw_plan_set_tx(d, a, who, id, &plan, NULL, NULL);
}

/* The panel of 2021 carries its own dates: made, published at a meeting a week before
 * the draw, drawn at the hub at the time planned, a fortnight before the group first
 * met on 7 December 2021. */
static int backdate(db *d, int64_t id)
{
	db_stmt *s = db_prepare(d, "UPDATE panels SET created_at = '2021-11-02T10:00:00Z', "
				   "computed_at = '2021-11-09T10:00:00Z', "
				   "published_at = '2021-11-16T19:00:00Z', "
				   "drawn_at = '2021-11-23T19:30:00Z', "
				   "draw_at = '2021-11-23T19:30', draw_place = ?, "
				   "updated_at = '2021-11-23T19:30:00Z' WHERE id = ?");
	int rc;
	if (!s)
		return DB_ERR;
	db_bind_text(s, 1, DEMO_DRAW_PLACE);
	db_bind_int(s, 2, id);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return rc;
	s = db_prepare(d, "UPDATE panel_pool SET outcome_at = '2021-11-23T19:30:00Z' WHERE "
			  "panel_id = ?");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, id);
	rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? DOMAIN_OK : rc;
}

int demo_load_panels(db *d, arena *a)
{
	struct audit_actor lead = {0, 0, NULL};
	struct panel_compute_outcome co;
	int64_t programme, id = 0;
	size_t pool = 0;
	char places[16];
	int rc;
	programme = id_of(d, "SELECT id FROM programmes WHERE slug = ?", "young-adults");
	lead.account_id = id_of(d, "SELECT id FROM accounts WHERE email = ?",
				"programme.lead@example.org");
	if (programme < 0 || lead.account_id < 0)
		return DB_ERR;
	if (!programme || !lead.account_id || db_table_exists(d, "volunteers") != 1)
		return DOMAIN_OK;
	snprintf(places, sizeof(places), "%d", DEMO_PANEL_PLACES);
	rc = panel_create_tx(d, a, &lead, programme, DEMO_PANEL_NAME, places, true, NULL, &id);
	if (rc == DOMAIN_EINVALID) /* fewer volunteers waiting than places: no panel */
		return DOMAIN_OK;
	if (rc)
		return rc;
	if ((rc = pool_without_duplicate(d, a, &lead, id, &pool)))
		return rc;
	if (pool < (size_t)DEMO_PANEL_PLACES) {
		/* Too few volunteers for a draw: leave the panel as a draft to show. */
		return DOMAIN_OK;
	}
	if ((rc = panel_category_add_tx(d, a, &lead, id, "age_band", NULL)) ||
	    (rc = panel_category_add_tx(d, a, &lead, id, "ethnic_group", NULL)))
		return rc;
	/* Widen until everyone in the pool has some chance (a few rounds at most). */
	for (int round = 0; round < 4; round++) {
		struct panel p;
		if ((rc = widen_maxima(d, a, &lead, id)) ||
		    (rc = panel_compute_tx(d, a, &lead, id, &co)))
			return rc;
		if (co.infeasible &&
		    ((rc = panel_relax_apply_tx(d, a, &lead, id)) ||
		     (rc = panel_compute_tx(d, a, &lead, id, &co))))
			return rc;
		if (co.infeasible || co.reason)
			return DOMAIN_ECONFLICT;
		if ((rc = panel_get(d, a, id, &p)))
			return rc;
		if (p.min_ppb > 0)
			break;
	}
	if ((rc = plan_draw(d, a, &lead, id)) || (rc = panel_publish_tx(d, a, &lead, id, NULL, NULL)))
		return rc;
	/* A draw is refused before its planned time: give the plan its real date of 2021
	 * first, then again the dates the draw itself wrote. */
	if ((rc = backdate(d, id)) || (rc = panel_draw_tx(d, a, &lead, id, DEMO_PANEL_NUMBER, NULL)))
		return rc;
	return backdate(d, id);
}
