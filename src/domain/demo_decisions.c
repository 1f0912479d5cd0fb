/* demo_decisions.c: the demo's shared decisions; see demo_decisions.h. Every person and
 * idea comes from the earlier demo loaders; the positions follow a fixed pattern so the
 * demo is the same every time it is loaded. */
#include "domain/demo_decisions.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "domain/decisions.h"

#define DEMO_MEMBERS_MAX 64
#define DEMO_IDEAS_MAX   3

struct demo_member {
	int64_t id;
	enum role role;
	bool local, assisted;
	bool signs_in; /* one of the demo sign-ins: left to try giving a position */
	char joined[11];
};

struct demo_group {
	int64_t id, facilitator;
	struct demo_member m[DEMO_MEMBERS_MAX];
	size_t n;
	size_t turn; /* whose turn it is to propose, among the local people */
};

static int load_group(db *d, struct demo_group *g)
{
	db_stmt *st = db_prepare(d, "SELECT id FROM working_groups WHERE name = ? ORDER BY id "
	                            "LIMIT 1");
	int rc;
	memset(g, 0, sizeof(*g));
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, DEMO_DECISIONS_GROUP);
	rc = db_step(st);
	if (rc == DB_ROW)
		g->id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? DOMAIN_OK : rc;

	st = db_prepare(d, "SELECT m.account_id, m.role_in_group, a.role, a.email IS NULL, "
	                   "m.joined_on, a.email IN ('local.person@example.org', "
	                   "'decision.maker@example.org') FROM group_members m JOIN accounts a ON "
	                   "a.id = m.account_id "
	                   "WHERE m.group_id = ? AND m.left_on IS NULL ORDER BY m.id");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, g->id);
	while ((rc = db_step(st)) == DB_ROW) {
		sv in_group = db_col_sv(st, 1);
		if (sv_eq_cstr(in_group, "facilitator")) {
			if (!g->facilitator)
				g->facilitator = db_col_int(st, 0);
			continue;
		}
		if (g->n == DEMO_MEMBERS_MAX)
			continue;
		struct demo_member *m = &g->m[g->n++];
		m->id = db_col_int(st, 0);
		m->role = role_parse(db_col_sv(st, 2));
		m->local = sv_eq_cstr(in_group, "local_person");
		m->assisted = db_col_int(st, 3) != 0;
		snprintf(m->joined, sizeof(m->joined), "%.10s", db_col_text(st, 4));
		m->signs_in = db_col_int(st, 5) != 0;
	}
	db_done(st);
	return rc == DB_DONE ? DOMAIN_OK : rc;
}

/* Up to DEMO_IDEAS_MAX ideas of the group that reached one of the statuses in SQL_IN. */
static int ideas_at(db *d, const struct demo_group *g, const char *sql, int64_t *ids, size_t *n)
{
	db_stmt *st = db_prepare(d, sql);
	int rc;
	*n = 0;
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, g->id);
	while ((rc = db_step(st)) == DB_ROW && *n < DEMO_IDEAS_MAX)
		ids[(*n)++] = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? DOMAIN_OK : rc;
}

static int idea_title(db *d, arena *a, int64_t id, char **title)
{
	db_stmt *st = db_prepare(d, "SELECT title FROM ideas WHERE id = ?");
	int rc;
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		*title = db_col_dup(st, 0, a);
	db_done(st);
	return rc == DB_ROW && *title ? DOMAIN_OK : DB_ERR;
}

/* One decision of the story: opened on DAY (evening session), positions from each
 * member who had joined by then, as STANCE_OF says, closed a fortnight later (or left
 * open when CLOSE_DAY is NULL). */
typedef const char *(*stance_fn)(const struct demo_member *m, size_t i, const char **reason);

static int tell(db *d, arena *a, struct demo_group *g, int64_t idea, const char *question,
                const char *method, const char *day, const char *close_day, stance_fn stance_of)
{
	struct audit_actor fac = {g->facilitator, 0, NULL};
	struct decision_new in = {
	    .group_id = g->id,
	    .idea_id = idea,
	    .question = sv_from(question),
	    .method = sv_from(method),
	};
	struct field_errors fe;
	char at[32];
	int64_t id = 0;
	int rc;

	field_errors_init(&fe);
	snprintf(at, sizeof(at), "%sT18:15:00Z", day);
	/* Local people propose the group's decisions, a different one each time. */
	for (size_t k = 0, locals = 0; k < 2 * g->n && !in.proposed_by; k++) {
		const struct demo_member *m = &g->m[k % g->n];
		if (m->local && strcmp(m->joined, day) <= 0 && locals++ >= g->turn)
			in.proposed_by = m->id;
	}
	g->turn = (g->turn + 1) % 4;
	rc = decision_open_tx(d, a, &fac, ROLE_FACILITATOR, &in, close_day ? at : NULL, &fe, &id);
	if (rc != DOMAIN_OK) {
		log_error("demo: could not open the decision \"%s\" (%d)", question, rc);
		return rc == DOMAIN_EINVALID ? DB_ERR : rc;
	}
	for (size_t i = 0; i < g->n; i++) {
		const struct demo_member *m = &g->m[i];
		const char *reason = "";
		const char *stance;
		struct audit_actor self = {m->id, 0, NULL};
		bool by_facilitator = m->assisted || i % 3 == 0;
		struct position_new p = {0};
		if (strcmp(m->joined, day) > 0)
			continue;
		stance = stance_of(m, i, &reason);
		if (!stance)
			continue;
		p.account_id = m->id;
		p.stance = sv_from(stance);
		p.reason = sv_from(reason);
		snprintf(at, sizeof(at), "%sT18:%02zu:00Z", day, 30 + i % 30);
		rc = decision_position_add_tx(d, a, by_facilitator ? &fac : &self,
		                              by_facilitator ? ROLE_FACILITATOR : m->role, id, &p,
		                              close_day ? at : NULL, &fe);
		if (rc != DOMAIN_OK) {
			log_error("demo: could not record a position on \"%s\" (%d)", question, rc);
			return rc == DOMAIN_EINVALID ? DB_ERR : rc;
		}
	}
	if (!close_day)
		return DOMAIN_OK;
	snprintf(at, sizeof(at), "%sT19:45:00Z", close_day);
	return decision_close_tx(d, a, &fac, ROLE_FACILITATOR, id, -1, at, &fe, NULL);
}

/* --- Who said what --------------------------------------------------------------------- */

static const char *venue_first(const struct demo_member *m, size_t i, const char **reason)
{
	if (m->local && i == 1) {
		*reason = "The side entrance has steps and I use a wheelchair. I cannot get in on "
		          "my own.";
		return "object";
	}
	return i % 5 == 4 ? "abstain" : "agree";
}

static const char *venue_again(const struct demo_member *m, size_t i, const char **reason)
{
	(void)m;
	(void)reason;
	return i % 7 == 6 ? "abstain" : "agree";
}

static const char *concept(const struct demo_member *m, size_t i, const char **reason)
{
	(void)reason;
	if (!m->local && i % 4 == 1)
		return "abstain";
	return i % 6 == 5 ? "abstain" : "agree";
}

static const char *proposal(const struct demo_member *m, size_t i, const char **reason)
{
	if (m->local)
		return i % 5 == 3 ? "disagree" : "agree";
	if (i % 3 == 1) {
		*reason = "I support the aim but the costs need more work before the Board.";
		return "disagree";
	}
	return "agree";
}

/* Still open: about half the group has said so far, and the demo's local person and
 * decision-maker have not, so whoever tries the demo can give theirs. */
static const char *still_open(const struct demo_member *m, size_t i, const char **reason)
{
	if (m->signs_in || i % 2 == 1)
		return NULL;
	if (i % 8 == 4) {
		*reason =
		    "Our sessions are the one place I can speak freely. Maybe later in the year.";
		return "disagree";
	}
	return "agree";
}

int demo_load_decisions(db *d, arena *a)
{
	static const char *const concept_days[DEMO_IDEAS_MAX][2] = {
	    {"2022-07-19", "2022-08-02"},
	    {"2022-08-16", "2022-08-30"},
	    {"2022-09-13", "2022-09-27"},
	};
	struct demo_group g;
	int64_t ideas[DEMO_IDEAS_MAX];
	size_t n;
	int rc = load_group(d, &g);
	if (rc != DOMAIN_OK || !g.id)
		return rc;
	if (!g.facilitator || g.n == 0) {
		log_warn("demo: the %s has no facilitator or members; no decisions added",
		         DEMO_DECISIONS_GROUP);
		return DOMAIN_OK;
	}

	rc = tell(d, a, &g, 0,
	          "Shall we meet at the community centre on Tuesday evenings, using the side "
	          "entrance after 6pm?",
	          "consent", "2022-06-21", "2022-06-21", venue_first);
	if (rc == DOMAIN_OK)
		rc = tell(d, a, &g, 0,
		          "Shall we meet at the community centre on Tuesday evenings, with the "
		          "front entrance (step-free) kept open for us until 8pm?",
		          "consent", "2022-07-05", "2022-07-05", venue_again);
	if (rc != DOMAIN_OK)
		return rc;

	/* Ideas that became concepts (or went further) were developed by decision. */
	rc = ideas_at(d, &g,
	              "SELECT id FROM ideas WHERE group_id = ? AND status IN ('concept', "
	              "'proposal', 'presented', 'supported', 'not_supported', 'deferred', "
	              "'in_delivery', 'delivered') ORDER BY id",
	              ideas, &n);
	for (size_t i = 0; rc == DOMAIN_OK && i < n; i++) {
		char *title;
		rc = idea_title(d, a, ideas[i], &title);
		if (rc == DOMAIN_OK)
			rc = tell(d, a, &g, ideas[i],
			          arena_printf(a,
			                       "Shall we develop \"%s\" into a concept with the "
			                       "decision-makers?",
			                       title),
			          "consensus", concept_days[i][0], concept_days[i][1], concept);
	}
	if (rc != DOMAIN_OK)
		return rc;

	/* Proposals were put forward to the Board by a vote in which local people decide. */
	rc = ideas_at(d, &g,
	              "SELECT id FROM ideas WHERE group_id = ? AND status IN ('proposal', "
	              "'presented', 'supported', 'not_supported', 'deferred', 'in_delivery', "
	              "'delivered') ORDER BY id",
	              ideas, &n);
	for (size_t i = 0; rc == DOMAIN_OK && i < n; i++) {
		char *title;
		rc = idea_title(d, a, ideas[i], &title);
		if (rc == DOMAIN_OK)
			rc = tell(d, a, &g, ideas[i],
			          arena_printf(a,
			                       "Shall we put \"%s\" forward to the Health and "
			                       "Wellbeing Board on 15 November 2022?",
			                       title),
			          "vote", "2022-10-11", "2022-10-25", proposal);
	}
	if (rc != DOMAIN_OK)
		return rc;

	/* And one the group is deciding now. */
	{
		char today[11], now[32];
		db_now_iso(now, 0);
		snprintf(today, sizeof(today), "%.10s", now);
		rc = tell(d, a, &g, 0,
		          "Shall we invite the Parents group to a joint session to share what we "
		          "have learnt?",
		          "vote", today, NULL, still_open);
	}
	return rc;
}
