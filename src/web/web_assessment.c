/* web_assessment.c: the self-assessments of a programme: members rate sessions,
 * decisions and stages on the ladder of co-production and answer the six principles
 * questionnaire each half year; its members, facilitators, programme leads and Board
 * members see the results, local people's and professionals' side by side, with small
 * numbers protected (comments are for programme leads only). */
#include <inttypes.h>
#include <string.h>

#include "core/chart.h"
#include "core/date.h"
#include "domain/access.h"
#include "domain/assessment.h"
#include "domain/programmes.h"
#include "web/web_evidence.h"

/* Who the signed-in person is for this programme. */
struct viewer {
	struct programme p;
	int64_t account;  /* the person answering: the assisted person when acting for one */
	enum role role;   /* their role */
	bool member;      /* a current member of one of its groups: rates and answers */
	bool results;     /* sees the disclosed results: members, facilitators, leads, Board */
	bool lead;        /* manages the programme: opens rounds, reads comments */
};

static int load_viewer(req *r, struct web *w, struct viewer *v)
{
	char *slug = sv_dup(r->a, web_param(w, "slug"));
	int rc, access;
	memset(v, 0, sizeof(*v));
	if (!slug)
		return DB_ERR;
	rc = programme_get_by_slug(w->db, r->a, slug, &v->p);
	if (rc)
		return rc;
	access = access_programme(w->db, w->sess->account_id, w->sess->role, v->p.id);
	if (access < 0)
		return access;
	if (access == ACCESS_NONE)
		return DOMAIN_ENOTFOUND;
	v->lead = access == ACCESS_MANAGE;
	v->account = w->sess->acting_for ? w->sess->acting_for : w->sess->account_id;
	v->role = w->sess->acting_for ? ROLE_LOCAL_PERSON : w->sess->role;
	rc = assessment_is_member(w->db, v->p.id, v->account);
	if (rc < 0)
		return rc;
	v->member = rc == 1;
	rc = assessment_is_facilitator(w->db, v->p.id, w->sess->account_id);
	if (rc < 0)
		return rc;
	/* The page promises members the comparison they contributed to, so they see the same
	 * disclosed results as those who run the programme; comments stay with the lead. */
	v->results = v->lead || rc == 1 || w->sess->role == ROLE_BOARD_MEMBER || v->member;
	return DOMAIN_OK;
}

static const char *day_text(req *r, const char *iso)
{
	struct date d;
	sbuf b;
	if (!iso || strlen(iso) < 10 || date_parse((sv){iso, 10}, &d) != 0)
		return "";
	sbuf_init(&b, r->a, 64);
	date_human(&b, d);
	return b.err ? "" : b.buf;
}

static void put_done(req *r, struct web *w, const char *const *pairs)
{
	sv done = kv_get(&r->query, "done");
	if (!done.ptr)
		return;
	for (; pairs[0]; pairs += 2)
		if (sv_eq_cstr(done, pairs[0])) {
			page_notice(w, pairs[1]);
			return;
		}
}

/* --- Results ----------------------------------------------------------------------------- */

static const char *share_text(req *r, const struct ladder_dist *d, int side, int rung)
{
	sbuf b;
	if (!d->share_ok[side][rung])
		return "";
	sbuf_init(&b, r->a, 32);
	disclosure_format_ppm(&b, d->share_ppm[side][rung]);
	return b.err ? "" : b.buf;
}

static tval *ladder_table(req *r, const struct ladder_dist *d, const char *title,
			  const char *id)
{
	tval *m = tv_map(r->a), *rows = tv_list(r->a);
	tv_set_str(m, "title", title);
	tv_set_str(m, "id", id);
	tv_set_bool(m, "none", d->n_ratings == 0);
	/* Top rung first: the one to aim for. */
	for (int k = LADDER_RUNGS - 1; k >= 0; k--) {
		tval *row = tv_map(r->a);
		tv_set_str(row, "rung", ladder_rung_label((enum ladder_rung)k));
		tv_set_str(row, "local", disclosure_text(r->a, d->rung[SIDE_LOCAL][k]));
		tv_set_str(row, "local_share", share_text(r, d, SIDE_LOCAL, k));
		tv_set_str(row, "professional", disclosure_text(r->a, d->rung[SIDE_PROFESSIONAL][k]));
		tv_set_str(row, "professional_share", share_text(r, d, SIDE_PROFESSIONAL, k));
		tv_push(rows, row);
	}
	tv_set(m, "rows", rows);
	tv_set_str(m, "local_total", disclosure_text(r->a, d->total[SIDE_LOCAL]));
	tv_set_str(m, "professional_total", disclosure_text(r->a, d->total[SIDE_PROFESSIONAL]));
	tv_set_bool(m, "too_few", d->n_ratings > 0 && d->total[SIDE_LOCAL].suppressed &&
					  d->total[SIDE_PROFESSIONAL].suppressed);
	return m;
}

static int put_ladder_results(req *r, struct web *w, int64_t programme)
{
	static const struct {
		int kind;
		const char *title, *id;
	} tables[] = {
		{-1, "Everything rated", "ladder-all"},
		{LADDER_SESSION, "Sessions", "ladder-sessions"},
		{LADDER_DECISION, "Decisions", "ladder-decisions"},
		{LADDER_STAGE, "Stages of the programme", "ladder-stages"},
	};
	tval *list = tv_list(r->a);
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		struct ladder_dist d;
		int rc = ladder_distribution(w->db, programme, tables[i].kind, 0, NULL, NULL, &d);
		if (rc != DOMAIN_OK)
			return rc;
		tv_push(list, ladder_table(r, &d, tables[i].title, tables[i].id));
	}
	tv_set(w->page, "ladder_tables", list);
	tv_set_str(w->page, "threshold", arena_printf(r->a, "%d", disclosure_threshold()));
	return DOMAIN_OK;
}

/* The average of a side's six means (hundredths, rounded half up), when it is shown. */
static int64_t overall(const struct principle_result *x, int side)
{
	int64_t sum = 0;
	for (int p = 0; p < PRINCIPLES; p++)
		sum += x->mean_centi[side][p];
	return (sum * 2 + PRINCIPLES) / (2 * PRINCIPLES);
}

/* One line on how each side's average moved from the first round it was shown in to the
 * last. */
static const char *overall_summary(req *r, const struct principle_result *res, size_t n)
{
	static const char *const names[SIDES] = {"Local people's", "professionals'"};
	sbuf b;
	sbuf_init(&b, r->a, 1024);
	for (int side = 0; side < SIDES; side++) {
		size_t first = n, last = n;
		for (size_t i = 0; i < n; i++)
			if (res[i].shown[side]) {
				if (first == n)
					first = i;
				last = i;
			}
		if (side)
			sbuf_adds(&b, "; ");
		if (first == n) {
			sbuf_addf(&b, "%s average is not shown: too few answered",
				  side ? names[side] : "Local people's");
			continue;
		}
		if (first == last)
			sbuf_addf(&b, "%s average was %s in %s", names[side],
				  centi_text(r->a, overall(&res[first], side)),
				  res[first].round.period_label);
		else
			sbuf_addf(&b, "%s average went from %s in %s to %s in %s", names[side],
				  centi_text(r->a, overall(&res[first], side)),
				  res[first].round.period_label,
				  centi_text(r->a, overall(&res[last], side)),
				  res[last].round.period_label);
	}
	sbuf_addc(&b, '.');
	return b.err ? "" : b.buf;
}

static const char *respondents_text(req *r, const struct principle_result *x, int side)
{
	if (!x->shown[side])
		return arena_printf(r->a, "fewer than %d answered", PRINCIPLES_MIN_RESPONDENTS);
	return disclosure_text(r->a, x->respondents_disclosed[side]);
}

static int put_principle_results(req *r, struct web *w, int64_t programme, bool lead)
{
	struct principle_result *res;
	size_t n;
	tval *list = tv_list(r->a);
	int rc = principle_results(w->db, r->a, programme, NULL, NULL, &res, &n);
	if (rc != DOMAIN_OK)
		return rc;
	/* Latest round first on the page. */
	for (size_t i = n; i > 0; i--) {
		const struct principle_result *x = &res[i - 1];
		tval *m = tv_map(r->a), *rows = tv_list(r->a);
		tv_set_str(m, "period", x->round.period_label);
		tv_set_str(m, "dates", arena_printf(r->a, "%s to %s", day_text(r, x->round.opens_on),
						    day_text(r, x->round.closes_on)));
		tv_set_str(m, "local_respondents", respondents_text(r, x, SIDE_LOCAL));
		tv_set_str(m, "professional_respondents", respondents_text(r, x, SIDE_PROFESSIONAL));
		for (int p = 0; p < PRINCIPLES; p++) {
			tval *row = tv_map(r->a);
			tv_set_str(row, "principle", principle_label((enum principle)p));
			tv_set_str(row, "local", x->shown[SIDE_LOCAL]
							 ? centi_text(r->a, x->mean_centi[SIDE_LOCAL][p])
							 : "No breakdown");
			tv_set_str(row, "professional",
				   x->shown[SIDE_PROFESSIONAL]
					   ? centi_text(r->a, x->mean_centi[SIDE_PROFESSIONAL][p])
					   : "No breakdown");
			tv_set_str(row, "gap", x->gap_shown ? centi_text(r->a, x->gap_centi[p]) : "");
			tv_push(rows, row);
		}
		tv_set(m, "rows", rows);
		tv_set_bool(m, "gap_shown", x->gap_shown);
		if (lead) {
			struct principle_comment *cs;
			size_t nc;
			tval *comments = tv_list(r->a);
			rc = principle_comments(w->db, r->a, x->round.id, &cs, &nc);
			if (rc != DOMAIN_OK)
				return rc;
			for (size_t k = 0; k < nc; k++) {
				tval *c = tv_map(r->a);
				tv_set_str(c, "principle", principle_label(cs[k].principle));
				tv_set_str(c, "comment", cs[k].comment);
				tv_push(comments, c);
			}
			tv_set(m, "comments", comments);
			tv_set_bool(m, "has_comments", nc > 0);
		}
		tv_push(list, m);
	}
	{
		tval *over = tv_list(r->a);
		bool any = false;
		for (size_t i = 0; i < n; i++) {
			tval *m = tv_map(r->a);
			tv_set_str(m, "period", res[i].round.period_label);
			tv_set_str(m, "local", res[i].shown[SIDE_LOCAL]
						       ? centi_text(r->a, overall(&res[i], SIDE_LOCAL))
						       : "No breakdown");
			tv_set_str(m, "professional",
				   res[i].shown[SIDE_PROFESSIONAL]
					   ? centi_text(r->a, overall(&res[i], SIDE_PROFESSIONAL))
					   : "No breakdown");
			tv_set_str(m, "gap", res[i].gap_shown
						     ? centi_text(r->a, overall(&res[i], SIDE_LOCAL) -
									overall(&res[i], SIDE_PROFESSIONAL))
						     : "Not shown");
			any = any || res[i].shown[SIDE_LOCAL] || res[i].shown[SIDE_PROFESSIONAL];
			tv_push(over, m);
		}
		tv_set(w->page, "principle_overall", over);
		tv_set_bool(w->page, "has_principle_chart", any);
		tv_set_str(w->page, "principle_summary", overall_summary(r, res, n));
		tv_set_str(w->page, "principle_chart_title",
			   "Average rating across the six principles, local people and professionals");
	}
	tv_set(w->page, "principle_results", list);
	tv_set_bool(w->page, "has_principle_results", n > 0);
	tv_set_int(w->page, "min_respondents", PRINCIPLES_MIN_RESPONDENTS);
	return DOMAIN_OK;
}

void web_principles_chart(req *r, struct web *w)
{
	struct viewer v;
	struct principle_result *res;
	size_t n;
	int rc = load_viewer(r, w, &v);
	if (rc == DOMAIN_OK && !v.results)
		rc = DOMAIN_ENOTFOUND;
	if (rc == DOMAIN_OK)
		rc = principle_results(w->db, r->a, v.p.id, NULL, NULL, &res, &n);
	if (rc == DOMAIN_OK && n == 0)
		rc = DOMAIN_ENOTFOUND;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	{
		const char **labels = arena_calloc(r->a, n, sizeof(*labels));
		int64_t *vals[SIDES];
		bool *missing[SIDES];
		struct chart_series series[SIDES];
		struct chart c;
		sbuf svg;
		for (int s = 0; s < SIDES; s++) {
			vals[s] = arena_calloc(r->a, n, sizeof(int64_t));
			missing[s] = arena_calloc(r->a, n, sizeof(bool));
			if (!vals[s] || !missing[s]) {
				page_error(r, w, 500);
				return;
			}
		}
		if (!labels) {
			page_error(r, w, 500);
			return;
		}
		for (size_t i = 0; i < n; i++) {
			labels[i] = res[i].round.period_label;
			for (int s = 0; s < SIDES; s++) {
				missing[s][i] = !res[i].shown[s];
				vals[s][i] = res[i].shown[s] ? overall(&res[i], s) : 0;
			}
		}
		series[SIDE_LOCAL] = (struct chart_series){"Local people", vals[SIDE_LOCAL],
							   missing[SIDE_LOCAL]};
		series[SIDE_PROFESSIONAL] = (struct chart_series){
			"Professionals", vals[SIDE_PROFESSIONAL], missing[SIDE_PROFESSIONAL]};
		memset(&c, 0, sizeof(c));
		c.kind = CHART_LINES;
		c.unit = CHART_VALUE;
		c.decimals = 2;
		c.title = "Average rating across the six principles, local people and professionals";
		c.summary = overall_summary(r, res, n);
		c.n_labels = n;
		c.labels = labels;
		c.n_series = SIDES;
		c.series = series;
		sbuf_init(&svg, r->a, 256 * 1024);
		if (chart_svg(&svg, &c) != 0 || svg.err) {
			page_error(r, w, 500);
			return;
		}
		resp_text(r, 200, CHART_SVG_TYPE, sbuf_sv(&svg));
	}
}

/* --- The page ------------------------------------------------------------------------------ */

#define THINGS_SHOWN 30 /* things to rate listed on the page, latest first */

static int put_member_part(req *r, struct web *w, const struct viewer *v)
{
	struct ladder_thing *things;
	struct principle_round *rounds;
	size_t n, nr;
	tval *list = tv_list(r->a), *open = tv_list(r->a);
	int rc = ladder_things(w->db, r->a, v->p.id, v->account, &things, &n);
	if (rc == DOMAIN_OK)
		rc = principle_rounds_list(w->db, r->a, v->p.id, v->account, &rounds, &nr);
	if (rc != DOMAIN_OK)
		return rc;
	for (size_t i = 0; i < n && i < THINGS_SHOWN; i++) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "label", things[i].label);
		tv_set_str(m, "on", day_text(r, things[i].on));
		tv_set_str(m, "rating", things[i].my_rung == RUNG_NONE
						? "Not rated yet"
						: ladder_rung_label((enum ladder_rung)things[i].my_rung));
		tv_set_bool(m, "rated", things[i].my_rung != RUNG_NONE);
		tv_set_str(m, "href", arena_printf(r->a, "/programmes/%s/assessment/%s/%" PRId64,
						   v->p.slug, ladder_subject_slug(things[i].kind),
						   things[i].subject_id));
		tv_push(list, m);
	}
	for (size_t i = 0; i < nr; i++) {
		tval *m;
		if (!rounds[i].open)
			continue;
		m = tv_map(r->a);
		tv_set_str(m, "period", rounds[i].period_label);
		tv_set_str(m, "closes", day_text(r, rounds[i].closes_on));
		tv_set_bool(m, "answered", rounds[i].answered);
		tv_set_str(m, "href", arena_printf(r->a, "/programmes/%s/principles/%" PRId64,
						   v->p.slug, rounds[i].id));
		tv_push(open, m);
	}
	tv_set(w->page, "things", list);
	tv_set_bool(w->page, "has_things", n > 0);
	tv_set(w->page, "open_rounds", open);
	tv_set_bool(w->page, "has_open_rounds", tv_len(open) > 0);
	return DOMAIN_OK;
}

void web_assessment(req *r, struct web *w)
{
	static const char *const done[] = {
		"rated", "Your rating has been saved.",
		"answered", "Thank you. Your answers have been saved. No one else will see your own answers.",
		"round", "Round opened. Members can now answer it.",
		NULL, NULL};
	struct viewer v;
	int rc = load_viewer(r, w, &v);
	if (rc == DOMAIN_OK && !v.member && !v.results)
		rc = DOMAIN_ENOTFOUND;
	if (rc == DOMAIN_OK && v.member)
		rc = put_member_part(r, w, &v);
	if (rc == DOMAIN_OK && v.results)
		rc = put_ladder_results(r, w, v.p.id);
	if (rc == DOMAIN_OK && v.results)
		rc = put_principle_results(r, w, v.p.id, v.lead);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	tv_set_str(w->page, "programme", v.p.name);
	tv_set_str(w->page, "slug", v.p.slug);
	tv_set_bool(w->page, "is_member", v.member);
	tv_set_bool(w->page, "sees_results", v.results);
	tv_set_bool(w->page, "is_lead", v.lead);
	put_done(r, w, done);
	page_render(r, w, 200, "assessment", "Self-assessment");
}

/* --- Rating one thing on the ladder ------------------------------------------------------ */

static int find_thing(req *r, struct web *w, const struct viewer *v, struct ladder_thing *out)
{
	int kind = ladder_subject_parse(web_param(w, "kind"));
	int64_t id;
	if (kind < 0 || sv_to_i64(web_param(w, "id"), &id) || id <= 0 || !v->member)
		return DOMAIN_ENOTFOUND;
	return ladder_thing_find(w->db, r->a, v->p.id, v->account, (enum ladder_subject)kind, id,
				 out);
}

static void ladder_page(req *r, struct web *w, const struct viewer *v,
			const struct ladder_thing *t, int status, const struct field_errors *fe)
{
	static const char *const fields[] = {"rung", NULL};
	tval *rungs = tv_list(r->a);
	sv typed = kv_get(&r->form, "rung");
	int chosen = typed.ptr ? (int)ladder_rung_parse(typed) : t->my_rung;
	for (int k = LADDER_RUNGS - 1; k >= 0; k--) {
		tval *o = tv_map(r->a);
		const char *slug = ladder_rung_slug((enum ladder_rung)k);
		tv_set_str(o, "id", k == LADDER_RUNGS - 1 ? "rung" : arena_printf(r->a, "rung-%s", slug));
		tv_set_str(o, "value", slug);
		tv_set_str(o, "label", ladder_rung_label((enum ladder_rung)k));
		tv_set_str(o, "hint", ladder_rung_meaning((enum ladder_rung)k));
		tv_set_bool(o, "checked", chosen == k);
		tv_push(rungs, o);
	}
	page_form_errors(r, w, fe, fields);
	tv_set(w->page, "rungs", rungs);
	tv_set_str(w->page, "label", t->label);
	tv_set_str(w->page, "on", day_text(r, t->on));
	tv_set_bool(w->page, "rated", t->my_rung != RUNG_NONE);
	tv_set_str(w->page, "programme", v->p.name);
	tv_set_str(w->page, "slug", v->p.slug);
	tv_set_str(w->page, "action", arena_printf(r->a, "/programmes/%s/assessment/%s/%" PRId64,
						   v->p.slug, ladder_subject_slug(t->kind),
						   t->subject_id));
	page_render(r, w, status, "ladder_rate", "Rate it on the ladder of co-production");
}

void web_ladder_form(req *r, struct web *w)
{
	struct viewer v;
	struct ladder_thing t;
	int rc = load_viewer(r, w, &v);
	if (rc == DOMAIN_OK)
		rc = find_thing(r, w, &v, &t);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	if (!t.ready) {
		/* Not offered yet; an old link says why rather than offering a form. */
		struct field_errors fe;
		field_errors_init(&fe);
		field_error_add(&fe, "rung", t.kind == LADDER_SESSION
						     ? "You can rate a session on the ladder once it has been held"
						     : "You can rate a decision on the ladder once it has been closed");
		ladder_page(r, w, &v, &t, 200, &fe);
		return;
	}
	ladder_page(r, w, &v, &t, 200, NULL);
}

void web_ladder_rate(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct viewer v;
	struct ladder_thing t;
	struct field_errors fe;
	int rc = load_viewer(r, w, &v);
	if (rc == DOMAIN_OK)
		rc = find_thing(r, w, &v, &t);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	field_errors_init(&fe);
	rc = ladder_rate(w->db, r->a, &who, v.role, t.kind, t.subject_id, kv_get(&r->form, "rung"),
			 &fe, NULL);
	if (rc == DOMAIN_EINVALID || rc == DOMAIN_ECONFLICT) {
		ladder_page(r, w, &v, &t, rc == DOMAIN_ECONFLICT ? 409 : 400, &fe);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/programmes/%s/assessment?done=rated", v.p.slug));
}

/* --- Opening a round ------------------------------------------------------------------------ */

static const char *const round_fields[] = {"period_label", "opens-day", "opens-month",
					   "opens-year", "closes-day", "closes-month",
					   "closes-year", NULL};

static tval *date_field(req *r, const char *id, const char *legend, const char *hint,
			const struct field_errors *fe)
{
	tval *m = tv_map(r->a);
	tv_set_str(m, "id", id);
	tv_set_str(m, "legend", legend);
	tv_set_str(m, "hint", hint);
	tv_set_str(m, "error", field_error_get(fe, id));
	tv_set_sv(m, "day", kv_get(&r->form, arena_printf(r->a, "%s-day", id)));
	tv_set_sv(m, "month", kv_get(&r->form, arena_printf(r->a, "%s-month", id)));
	tv_set_sv(m, "year", kv_get(&r->form, arena_printf(r->a, "%s-year", id)));
	return m;
}

static void round_page(req *r, struct web *w, const struct viewer *v, int status,
		       const struct field_errors *fe)
{
	page_form_errors(r, w, fe, round_fields);
	tv_set(w->page, "opens", date_field(r, "opens", "When does it open?",
					    "For example, 1 6 2022", fe));
	tv_set(w->page, "closes", date_field(r, "closes", "When does it close?",
					     "For example, 30 6 2022", fe));
	tv_set_str(w->page, "programme", v->p.name);
	tv_set_str(w->page, "slug", v->p.slug);
	page_render(r, w, status, "principles_new", "Open a principles round");
}

static int load_lead(req *r, struct web *w, struct viewer *v)
{
	int rc = load_viewer(r, w, v);
	if (rc == DOMAIN_OK && !v->lead)
		rc = DOMAIN_EFORBIDDEN;
	return rc;
}

void web_principles_new(req *r, struct web *w)
{
	struct viewer v;
	int rc = load_lead(r, w, &v);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	round_page(r, w, &v, 200, NULL);
}

void web_principles_open(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct viewer v;
	struct round_input in;
	struct field_errors fe;
	int rc = load_lead(r, w, &v);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	in.period_label = kv_get(&r->form, "period_label");
	in.opens_day = kv_get(&r->form, "opens-day");
	in.opens_month = kv_get(&r->form, "opens-month");
	in.opens_year = kv_get(&r->form, "opens-year");
	in.closes_day = kv_get(&r->form, "closes-day");
	in.closes_month = kv_get(&r->form, "closes-month");
	in.closes_year = kv_get(&r->form, "closes-year");
	field_errors_init(&fe);
	rc = principle_round_open(w->db, r->a, &who, v.p.id, &in, &fe, NULL);
	if (rc == DOMAIN_EINVALID) {
		round_page(r, w, &v, 400, &fe);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/programmes/%s/assessment?done=round", v.p.slug));
}

/* --- Answering a round ------------------------------------------------------------------- */

static int load_round(req *r, struct web *w, struct viewer *v, struct principle_round *round)
{
	int64_t id;
	int rc = load_viewer(r, w, v);
	if (rc != DOMAIN_OK)
		return rc;
	if (sv_to_i64(web_param(w, "id"), &id) || id <= 0 || !v->member)
		return DOMAIN_ENOTFOUND;
	rc = principle_round_get(w->db, r->a, id, round);
	if (rc == DOMAIN_OK && round->programme_id != v->p.id)
		rc = DOMAIN_ENOTFOUND;
	if (rc == DOMAIN_OK) {
		int answered = principle_has_answered(w->db, id, v->account);
		if (answered < 0)
			return answered;
		round->answered = answered == 1;
	}
	return rc;
}

static void principles_page(req *r, struct web *w, const struct viewer *v,
			    const struct principle_round *round, int status,
			    const struct field_errors *fe)
{
	static const char *const scale[5] = {"1: not at all", "2: a little", "3: partly",
					     "4: mostly", "5: completely"};
	static const char *const no_fields[] = {NULL};
	tval *list = tv_list(r->a);
	page_form_errors(r, w, fe, no_fields);
	for (int p = 0; p < PRINCIPLES; p++) {
		const char *slug = principle_slug((enum principle)p);
		const char *rname = arena_printf(r->a, "rating-%s", slug);
		const char *cname = arena_printf(r->a, "comment-%s", slug);
		sv chosen = kv_get(&r->form, rname);
		const char *const *st = principle_statements((enum principle)p);
		tval *m = tv_map(r->a), *opts = tv_list(r->a), *stl = tv_list(r->a);
		for (; *st; st++)
			tv_push(stl, tv_str(r->a, *st));
		for (int k = 1; k <= 5; k++) {
			tval *o = tv_map(r->a);
			char *val = arena_printf(r->a, "%d", k);
			tv_set_str(o, "id", k == 1 ? rname : arena_printf(r->a, "%s-%d", rname, k));
			tv_set_str(o, "value", val);
			tv_set_str(o, "label", scale[k - 1]);
			tv_set_bool(o, "checked", sv_eq_cstr(chosen, val));
			tv_push(opts, o);
		}
		tv_set_str(m, "slug", slug);
		tv_set_str(m, "label", principle_label((enum principle)p));
		tv_set_str(m, "question", principle_question((enum principle)p));
		tv_set(m, "statements", stl);
		tv_set(m, "options", opts);
		tv_set_str(m, "rating_name", rname);
		tv_set_str(m, "comment_name", cname);
		tv_set_str(m, "rating_error", field_error_get(fe, rname));
		tv_set_str(m, "comment_error", field_error_get(fe, cname));
		tv_set_sv(m, "comment", kv_get(&r->form, cname));
		tv_push(list, m);
	}
	tv_set(w->page, "principles", list);
	tv_set_str(w->page, "period", round->period_label);
	tv_set_str(w->page, "closes", day_text(r, round->closes_on));
	tv_set_bool(w->page, "answered", round->answered);
	tv_set_bool(w->page, "closed", !round->open);
	tv_set_str(w->page, "programme", v->p.name);
	tv_set_str(w->page, "slug", v->p.slug);
	tv_set_str(w->page, "action", arena_printf(r->a, "/programmes/%s/principles/%" PRId64,
						   v->p.slug, round->id));
	page_render(r, w, status, "principles_answer",
		    arena_printf(r->a, "Six principles: %s", round->period_label));
}

void web_principles_form(req *r, struct web *w)
{
	struct viewer v;
	struct principle_round round;
	int rc = load_round(r, w, &v, &round);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	principles_page(r, w, &v, &round, 200, NULL);
}

void web_principles_answer(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct viewer v;
	struct principle_round round;
	struct principle_answer_input in;
	struct field_errors fe;
	int rc = load_round(r, w, &v, &round);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (int p = 0; p < PRINCIPLES; p++) {
		const char *slug = principle_slug((enum principle)p);
		in.rating[p] = kv_get(&r->form, arena_printf(r->a, "rating-%s", slug));
		in.comment[p] = kv_get(&r->form, arena_printf(r->a, "comment-%s", slug));
	}
	field_errors_init(&fe);
	rc = principle_answer(w->db, r->a, &who, v.role, round.id, &in, &fe);
	if (rc == DOMAIN_EINVALID) {
		principles_page(r, w, &v, &round, 400, &fe);
		return;
	}
	if (rc == DOMAIN_ECONFLICT) {
		/* Answered already (or closed): say so plainly, and record nothing. */
		round.answered = principle_has_answered(w->db, round.id, v.account) == 1;
		principles_page(r, w, &v, &round, 409, NULL);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/programmes/%s/assessment?done=answered", v.p.slug));
}

/* --- The home page --------------------------------------------------------------------------- */

void home_evidence(req *r, struct web *w)
{
	struct round_waiting *xs;
	size_t n;
	tval *list = tv_list(r->a);
	if (!w->sess)
		return;
	if (principle_rounds_waiting(w->db, r->a,
				     w->sess->acting_for ? w->sess->acting_for : w->sess->account_id,
				     &xs, &n) != DOMAIN_OK || n == 0)
		return;
	for (size_t i = 0; i < n; i++) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "programme", xs[i].programme_name);
		tv_set_str(m, "period", xs[i].period_label);
		tv_set_str(m, "closes", day_text(r, xs[i].closes_on));
		tv_set_str(m, "href", arena_printf(r->a, "/programmes/%s/principles/%" PRId64,
						   xs[i].programme_slug, xs[i].round_id));
		tv_push(list, m);
	}
	tv_set(w->page, "home_evidence", list);
}
