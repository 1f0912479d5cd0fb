/* report_evidence.c: the Board report's parts that come from the other modules' records:
 * who took part against the local population (population.h, already disclosed), the
 * engagement's budget (budget.h) and payments to participants (payments.h), the
 * self-assessments (assessment.h: the ladder and the six principles, with its
 * fewer-than-five rule) and the learning log (learning.h). A part with nothing recorded
 * says so in plain words. See report.h. */
#include <inttypes.h>
#include <string.h>

#include "core/disclosure.h"
#include "core/money.h"
#include "domain/assessment.h"
#include "domain/budget.h"
#include "domain/learning.h"
#include "domain/payments.h"
#include "domain/population.h"
#include "domain/programmes.h"
#include "domain/report_impl.h"
#include "domain/returns.h"

#define EQUALITY_CHARTS_MAX 3 /* participants-against-population charts per programme */

static const char *share_text(struct ctx *c, bool has, int64_t ppm)
{
	sbuf b;
	if (!has)
		return "not shown";
	sbuf_init(&b, c->a, 32);
	disclosure_format_ppm(&b, ppm);
	return b.err ? "" : b.buf;
}

static const char *disclosed_text(struct ctx *c, struct disclosed d)
{
	char *s = disclosure_text(c->a, d);
	return s ? s : "";
}

/* --- Participants against the population ----------------------------------------------- */

/* "25 (62.5%)", or just the count when its share cannot be shown. */
static const char *count_share(struct ctx *c, struct disclosed d, bool has, int64_t ppm)
{
	if (!has)
		return disclosed_text(c, d);
	return rp_fmt(c, "%s (%s)", disclosed_text(c, d), share_text(c, true, ppm));
}

static void equality_category(struct ctx *c, const struct prog *p, const struct diversity_category *k,
			      int *charts)
{
	static const char *head[] = {"Answer", "Volunteers (share)", "Attended a session (share)",
				     "Share of the population"};
	static const char *chart_head[] = {"Answer", "Volunteers", "People who attended",
					   "Local population"};
	struct rp_tb tb;
	size_t rows = k->n_rows + 1, n = 0, hidden = 0;
	int64_t *vol = arena_calloc(c->a, rows, sizeof(int64_t));
	int64_t *att = arena_calloc(c->a, rows, sizeof(int64_t));
	int64_t *pop = arena_calloc(c->a, rows, sizeof(int64_t));
	bool *vol_missing = arena_calloc(c->a, rows, sizeof(bool));
	bool *att_missing = arena_calloc(c->a, rows, sizeof(bool));
	const char **labels = arena_calloc(c->a, rows, sizeof(char *));
	struct chart_series *series = arena_calloc(c->a, 3, sizeof(*series));
	bool any_share = false;
	if (!vol || !att || !pop || !vol_missing || !att_missing || !labels || !series) {
		rp_fail(c, DB_ERR);
		return;
	}
	rp_tb_init(&tb, rp_fmt(c, "%s: who took part against the local population", k->label), 4,
		   head, true);
	for (size_t i = 0; i < k->n_rows; i++) {
		const struct diversity_row *r = &k->rows[i];
		if (r->has_pop) {
			labels[n] = r->label;
			vol_missing[n] = !r->has_share[STAGE_VOLUNTEERED];
			att_missing[n] = !r->has_share[STAGE_ATTENDED];
			vol[n] = vol_missing[n] ? 0 : r->share_ppm[STAGE_VOLUNTEERED];
			att[n] = att_missing[n] ? 0 : r->share_ppm[STAGE_ATTENDED];
			pop[n] = r->pop_share_ppm;
			any_share |= !vol_missing[n] || !att_missing[n];
			n++;
		}
		/* A Board paper lists the answers it can show; the rest are counted in one
		 * line, so thirty rows of "fewer than 10" do not bury the figures. */
		if (r->count[STAGE_VOLUNTEERED].suppressed && r->count[STAGE_ATTENDED].suppressed) {
			hidden++;
			continue;
		}
		rp_figure(c, rp_fmt(c, "%s: %s: volunteers", k->label, r->label),
			  disclosed_text(c, r->count[STAGE_VOLUNTEERED]));
		rp_figure(c, rp_fmt(c, "%s: %s: attended", k->label, r->label),
			  disclosed_text(c, r->count[STAGE_ATTENDED]));
		rp_figure(c, rp_fmt(c, "%s: %s: share of the population", k->label, r->label),
			  r->has_pop ? share_text(c, true, r->pop_share_ppm) : "no figure");
		const char *cells[4] = {
			r->label,
			count_share(c, r->count[STAGE_VOLUNTEERED], r->has_share[STAGE_VOLUNTEERED],
				    r->share_ppm[STAGE_VOLUNTEERED]),
			count_share(c, r->count[STAGE_ATTENDED], r->has_share[STAGE_ATTENDED],
				    r->share_ppm[STAGE_ATTENDED]),
			r->has_pop ? share_text(c, true, r->pop_share_ppm) : "no figure",
		};
		rp_tb_row(c, &tb, cells);
	}
	if (hidden) {
		const char *each = rp_fmt(c, "fewer than %d each", disclosure_threshold());
		const char *cells[4] = {rp_fmt(c, "%zu other %s", hidden, hidden == 1 ? "answer" : "answers"),
					each, each, ""};
		rp_tb_row(c, &tb, cells);
	}
	{
		const char *cells[4] = {
			"Everyone",
			rp_figure(c, rp_fmt(c, "%s: everyone: volunteers", k->label),
				  disclosed_text(c, k->totals[STAGE_VOLUNTEERED])),
			rp_figure(c, rp_fmt(c, "%s: everyone: attended", k->label),
				  disclosed_text(c, k->totals[STAGE_ATTENDED])),
			""};
		rp_tb_row(c, &tb, cells);
	}
	rp_tb_end(c, &tb);
	if (n && any_share && k->has_population && *charts < EQUALITY_CHARTS_MAX) {
		(*charts)++;
		series[0] = (struct chart_series){"Volunteers", vol, vol_missing};
		series[1] = (struct chart_series){"People who attended", att, att_missing};
		series[2] = (struct chart_series){"Local population", pop, NULL};
		rp_chart(c, rp_fmt(c, "%s: %s against the local population", p->name, k->label),
			 rp_fmt(c, "The share of each answer among volunteers and among people who "
				   "attended, beside its share of the local population%s; a share is "
				   "not shown when its count is below the disclosure threshold.",
				k->illustrative ? " (illustrative population figures)" : ""),
			 CHART_PERCENT, labels, n, series, 3, chart_head);
	}
	if (k->has_population && *k->source)
		rp_para(c, rp_fmt(c, "Population figures for %s: %s%s%s.", k->label, k->source,
				  *k->as_of ? ", " : "", k->as_of));
}

void rp_part_equality(struct ctx *c, const struct prog *p)
{
	struct diversity_category *cats;
	size_t n, shown = 0;
	int charts = 0, rc;
	sbuf few;
	sbuf_init(&few, c->a, 8192);
	rp_section(c, 3, rp_fmt(c, "p%" PRId64 "-equality", p->id),
		   "Who took part against the local population");
	if (c->rc != DOMAIN_OK)
		return;
	rc = diversity_all(c->d, c->a, p->id, &cats, &n);
	if (rc != DOMAIN_OK) {
		rp_fail(c, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		bool any = false;
		for (size_t r = 0; r < cats[i].n_rows; r++)
			any |= !cats[i].rows[r].count[STAGE_VOLUNTEERED].suppressed ||
			       !cats[i].rows[r].count[STAGE_ATTENDED].suppressed;
		/* A category with no answer that can be shown adds only "fewer than 10". */
		if (!any) {
			if (!few.len)
				sbuf_adds(&few, "Too few answers to show without identifying anyone: ");
			else
				sbuf_adds(&few, ", ");
			sbuf_adds(&few, cats[i].label);
			continue;
		}
		if (!shown++)
			rp_para(c, "Equality monitoring answers of the programme's volunteers and of "
				   "those who attended its sessions, against the local population: "
				   "who are we leaving out? These figures are as recorded now, not "
				   "only for the period.");
		equality_category(c, p, &cats[i], &charts);
	}
	if (few.len) {
		sbuf_adds(&few, ".");
		rp_para(c, few.err ? "" : few.buf);
	}
	if (!shown && !few.len)
		rp_para(c, "No equality monitoring answers have been recorded for this programme.");
}

/* --- Money ----------------------------------------------------------------------------- */

void rp_part_money(struct ctx *c, const struct prog *p, struct totals *t)
{
	static const char *head[] = {"Kind of spending", "Budget", "Spent in the period", "Remaining"};
	static const char *pay_head[] = {"Measure", "Figure"};
	struct budget_totals bt;
	struct payments_totals pt;
	struct rp_tb tb;
	int rc;
	rp_section(c, 3, rp_fmt(c, "p%" PRId64 "-money", p->id), "Budget and payments");
	if (c->rc != DOMAIN_OK)
		return;
	if ((rc = budget_totals(c->d, c->a, p->id, c->from, c->to, &bt)) != DOMAIN_OK ||
	    (rc = payments_totals(c->d, c->a, p->id, c->from, c->to, &pt)) != DOMAIN_OK) {
		rp_fail(c, rc);
		return;
	}
	if (!bt.all.budget_pence && !bt.all.spent_pence && !bt.all.committed_pence) {
		rp_para(c, "No budget has been recorded for this programme.");
	} else {
		rp_tb_init(&tb, "The programme's budget", 4, head, true);
		for (int k = 0; k < BUDGET_KIND_COUNT; k++) {
			const struct budget_money *m = &bt.kinds[k];
			const char *label = budget_kind_label(budget_kinds[k]);
			if (!m->budget_pence && !m->spent_pence && !m->committed_pence)
				continue;
			const char *cells[4] = {
				label,
				rp_figure(c, rp_fmt(c, "Budget: %s", label), money_text(c->a, m->budget_pence)),
				rp_figure(c, rp_fmt(c, "Spent in the period: %s", label),
					  money_text(c->a, m->spent_pence)),
				rp_figure(c, rp_fmt(c, "Remaining: %s", label),
					  money_text(c->a, m->remaining_pence)),
			};
			rp_tb_row(c, &tb, cells);
		}
		{
			const char *cells[4] = {
				"All spending",
				rp_figure(c, "Budget: all", money_text(c->a, bt.all.budget_pence)),
				rp_figure(c, "Spent in the period: all", money_text(c->a, bt.all.spent_pence)),
				rp_figure(c, "Remaining: all", money_text(c->a, bt.all.remaining_pence)),
			};
			rp_tb_row(c, &tb, cells);
		}
		rp_tb_end(c, &tb);
		if (bt.all.committed_pence)
			rp_para(c, rp_fmt(c, "A further %s was committed but not yet spent at the end "
					     "of the period.",
					  money_text(c->a, bt.all.committed_pence)));
		t->budget += bt.all.budget_pence;
		t->spent += bt.all.spent_pence;
	}
	if (!pt.paid_pence && !pt.expenses_pence && !pt.people_paid) {
		rp_para(c, "No payments to participants were made in the period.");
		return;
	}
	rp_tb_init(&tb, "Payments to participants for their time and expenses", 2, pay_head, true);
	rp_tb_fig(c, &tb, "Paid for people's time", money_text(c->a, pt.paid_pence));
	rp_tb_fig(c, &tb, "Expenses paid", money_text(c->a, pt.expenses_pence));
	rp_tb_fig(c, &tb, "People paid", rp_people(c, pt.people_paid));
	rp_tb_fig(c, &tb, "Claims waiting to be paid",
		  rp_num(c, pt.claims_by_status[PAY_SUBMITTED] + pt.claims_by_status[PAY_APPROVED] +
				    pt.claims_by_status[PAY_BATCHED]));
	rp_tb_end(c, &tb);
	t->paid += pt.paid_pence + pt.expenses_pence;
}

/* --- Self-assessment ------------------------------------------------------------------- */

static void ladder_part(struct ctx *c, const struct prog *p)
{
	static const char *head[] = {"Rung of the ladder", "Local people", "Professionals"};
	struct ladder_dist ld;
	const char **labels = arena_calloc(c->a, LADDER_RUNGS, sizeof(char *));
	int64_t *lv = arena_calloc(c->a, LADDER_RUNGS, sizeof(int64_t));
	int64_t *pv = arena_calloc(c->a, LADDER_RUNGS, sizeof(int64_t));
	bool *lm = arena_calloc(c->a, LADDER_RUNGS, sizeof(bool));
	bool *pm = arena_calloc(c->a, LADDER_RUNGS, sizeof(bool));
	struct chart_series *series = arena_calloc(c->a, 2, sizeof(*series));
	int rc = ladder_distribution(c->d, p->id, -1, 0, c->from, c->to, &ld);
	if (rc != DOMAIN_OK) {
		rp_fail(c, rc);
		return;
	}
	if (!labels || !lv || !pv || !lm || !pm || !series) {
		rp_fail(c, DB_ERR);
		return;
	}
	if (!ld.n_ratings) {
		rp_para(c, "Nobody rated the sessions, decisions or stages of the period on the "
			   "ladder of co-production.");
		return;
	}
	/* The top rung first, as the ladder is drawn. */
	for (int i = 0; i < LADDER_RUNGS; i++) {
		int r = LADDER_RUNGS - 1 - i;
		labels[i] = ladder_rung_label((enum ladder_rung)r);
		lm[i] = ld.rung[SIDE_LOCAL][r].suppressed;
		pm[i] = ld.rung[SIDE_PROFESSIONAL][r].suppressed;
		lv[i] = lm[i] ? 0 : ld.rung[SIDE_LOCAL][r].value;
		pv[i] = pm[i] ? 0 : ld.rung[SIDE_PROFESSIONAL][r].value;
	}
	series[0] = (struct chart_series){"Local people", lv, lm};
	series[1] = (struct chart_series){"Professionals", pv, pm};
	rp_chart(c, rp_fmt(c, "%s: ratings on the ladder of co-production", p->name),
		 rp_fmt(c, "How local people (%s ratings) and professionals (%s ratings) rated what "
			   "happened in the period, from co-production down to coercion; counts "
			   "below the disclosure threshold are not shown.",
			disclosed_text(c, ld.total[SIDE_LOCAL]),
			disclosed_text(c, ld.total[SIDE_PROFESSIONAL])),
		 CHART_COUNT, labels, LADDER_RUNGS, series, 2, head);
}

static void principles_part(struct ctx *c, const struct prog *p)
{
	static const char *head[] = {"Principle", "Local people", "Professionals", "Gap"};
	struct principle_result *res;
	size_t n;
	int rc = principle_results(c->d, c->a, p->id, c->from, c->to, &res, &n);
	if (rc != DOMAIN_OK) {
		rp_fail(c, rc);
		return;
	}
	if (!n) {
		rp_para(c, "No questionnaire on the six principles was run in the period.");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct principle_result *r = &res[i];
		struct rp_tb tb;
		rp_para(c, rp_fmt(c, "The six principles, %s: %s local people and %s professionals "
				     "answered. Average ratings from 1 (not at all) to 5 (fully); a "
				     "side with fewer than %d answers shows no breakdown.",
				  r->round.period_label, disclosed_text(c, r->respondents_disclosed[SIDE_LOCAL]),
				  disclosed_text(c, r->respondents_disclosed[SIDE_PROFESSIONAL]),
				  PRINCIPLES_MIN_RESPONDENTS));
		rp_tb_init(&tb, rp_fmt(c, "The six principles: %s", r->round.period_label), 4, head,
			   true);
		for (int k = 0; k < PRINCIPLES; k++) {
			const char *label = principle_label((enum principle)k);
			const char *cells[4] = {
				label,
				rp_figure(c, rp_fmt(c, "%s, %s: local people", label, r->round.period_label),
					  r->shown[SIDE_LOCAL] ? centi_text(c->a, r->mean_centi[SIDE_LOCAL][k])
							       : "fewer than 5 answered"),
				rp_figure(c, rp_fmt(c, "%s, %s: professionals", label, r->round.period_label),
					  r->shown[SIDE_PROFESSIONAL]
						  ? centi_text(c->a, r->mean_centi[SIDE_PROFESSIONAL][k])
						  : "fewer than 5 answered"),
				rp_figure(c, rp_fmt(c, "%s, %s: gap", label, r->round.period_label),
					  r->gap_shown ? centi_text(c->a, r->gap_centi[k]) : "not shown"),
			};
			rp_tb_row(c, &tb, cells);
		}
		rp_tb_end(c, &tb);
	}
}

void rp_part_assessment(struct ctx *c, const struct prog *p)
{
	rp_section(c, 3, rp_fmt(c, "p%" PRId64 "-assessment", p->id), "Self-assessment");
	if (c->rc != DOMAIN_OK)
		return;
	ladder_part(c, p);
	principles_part(c, p);
}

/* --- Learning -------------------------------------------------------------------------- */

void rp_part_learning(struct ctx *c, const struct prog *p)
{
	static const char *head[] = {"Date", "Stage", "What we learned", "What we will change"};
	struct learning_entry *e;
	struct rp_tb tb;
	size_t n;
	int64_t noticed[NOTICED_KINDS] = {0};
	int rc;
	rp_section(c, 3, rp_fmt(c, "p%" PRId64 "-learning", p->id), "Learning");
	if (c->rc != DOMAIN_OK)
		return;
	if ((rc = learning_list(c->d, c->a, p->id, c->from, c->to, &e, &n)) != DOMAIN_OK) {
		rp_fail(c, rc);
		return;
	}
	rp_figure(c, "Learning log entries", rp_num(c, (int64_t)n));
	if (!n) {
		rp_para(c, "Nothing was added to this programme's learning log in the period.");
		return;
	}
	rp_tb_init(&tb, "The learning log for the period", 4, head, true);
	for (size_t i = 0; i < n; i++) {
		struct date d = {0, 0, 0};
		const char *cells[4];
		date_parse(sv_from(e[i].happened_on), &d);
		cells[0] = rp_date(c, d);
		cells[1] = rp_fmt(c, "%d. %s", e[i].stage, programme_stage_name(e[i].stage));
		cells[2] = e[i].what_learned;
		cells[3] = e[i].what_change;
		rp_tb_row(c, &tb, cells);
		for (int k = 0; k < NOTICED_KINDS; k++)
			noticed[k] += e[i].noticed[k];
	}
	rp_tb_end(c, &tb);
	{
		static const char *nhead[] = {"Success indicator noticed", "Times noticed"};
		rp_tb_init(&tb, "Success indicators noticed along the way", 2, nhead, true);
		for (int k = 0; k < NOTICED_KINDS; k++)
			rp_tb_fig(c, &tb, noticed_label((enum noticed)k), rp_num(c, noticed[k]));
		rp_tb_end(c, &tb);
	}
}
