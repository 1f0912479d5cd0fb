/* report.c: gathers the six-monthly Board report from the records into one document; see
 * report.h. The writers (report_html.c, report_pdf.c, report_csv.c) only lay it out. */
#include "domain/report.h"
#include "domain/report_impl.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "core/disclosure.h"
#include "core/money.h"
#include "domain/board.h"
#include "domain/ideas.h"
#include "domain/indicators.h"
#include "domain/programmes.h"
#include "domain/validate.h"


/* --- Building the document ------------------------------------------------------------- */

void rp_fail(struct ctx *c, int rc)
{
	if (c->rc == DOMAIN_OK)
		c->rc = rc;
}

char *rp_fmt(struct ctx *c, const char *f, ...)
{
	va_list ap;
	sbuf b;
	sbuf_init(&b, c->a, 64 * 1024);
	va_start(ap, f);
	{
		char tmp[8192];
		int n = vsnprintf(tmp, sizeof(tmp), f, ap);
		if (n >= 0 && (size_t)n < sizeof(tmp))
			sbuf_add(&b, tmp, (size_t)n);
		else
			b.err = SBUF_ERR_TOOBIG;
	}
	va_end(ap);
	if (b.err) {
		rp_fail(c, DB_ERR);
		return (char *)"";
	}
	return b.buf;
}

void rp_section(struct ctx *c, int level, const char *id, const char *heading)
{
	struct report *r = c->rep;
	struct report_section *s;
	if (!(r->sections = arena_grow(c->a, r->sections, r->n_sections, &c->cap_sections,
				       sizeof(*r->sections)))) {
		rp_fail(c, DB_ERR);
		return;
	}
	s = &r->sections[r->n_sections++];
	memset(s, 0, sizeof(*s));
	s->level = level;
	s->id = id;
	s->heading = heading;
	c->cap_blocks = 0;
}

static struct report_block *block(struct ctx *c, enum report_block_kind kind)
{
	struct report_section *s;
	struct report_block *b;
	if (c->rc != DOMAIN_OK || !c->rep->n_sections)
		return NULL;
	s = &c->rep->sections[c->rep->n_sections - 1];
	if (!(s->blocks = arena_grow(c->a, s->blocks, s->n_blocks, &c->cap_blocks,
				     sizeof(*s->blocks)))) {
		rp_fail(c, DB_ERR);
		return NULL;
	}
	b = &s->blocks[s->n_blocks++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	return b;
}

void rp_para(struct ctx *c, const char *text)
{
	struct report_block *b = block(c, RB_PARA);
	if (b)
		b->text = text;
}

void rp_list(struct ctx *c, const char **items, size_t n, bool numbered)
{
	struct report_block *b = block(c, RB_LIST);
	if (b) {
		b->items = items;
		b->n_items = n;
		b->numbered = numbered;
	}
}

static const char *current_heading(struct ctx *c)
{
	const struct report_section *s;
	if (!c->rep->n_sections)
		return "";
	s = &c->rep->sections[c->rep->n_sections - 1];
	return s->figures_section ? s->figures_section : s->heading;
}

/* Records one figure of the current section for the CSV and returns VALUE. */
const char *rp_figure(struct ctx *c, const char *measure, const char *value)
{
	struct report *r = c->rep;
	if (c->rc != DOMAIN_OK)
		return value;
	if (!(r->figures = arena_grow(c->a, r->figures, r->n_figures, &c->cap_figures,
				      sizeof(*r->figures)))) {
		rp_fail(c, DB_ERR);
		return value;
	}
	r->figures[r->n_figures++] = (struct report_figure){current_heading(c), c->programme,
							    measure, value};
	return value;
}

void rp_tb_init(struct rp_tb *tb, const char *caption, size_t ncols, const char **head,
		    bool row_headers)
{
	memset(tb, 0, sizeof(*tb));
	tb->t.caption = caption;
	tb->t.ncols = ncols;
	tb->t.head = head;
	tb->t.row_headers = row_headers;
}

void rp_tb_row(struct ctx *c, struct rp_tb *tb, const char **cells)
{
	size_t n = tb->t.nrows * tb->t.ncols;
	for (size_t i = 0; i < tb->t.ncols; i++) {
		if (!(tb->t.cells = arena_grow(c->a, tb->t.cells, n + i, &tb->cap,
					       sizeof(*tb->t.cells)))) {
			rp_fail(c, DB_ERR);
			return;
		}
		tb->t.cells[n + i] = cells[i] ? cells[i] : "";
	}
	tb->t.nrows++;
}

/* A two-column row "measure | value" that is also a figure. */
void rp_tb_fig(struct ctx *c, struct rp_tb *tb, const char *measure, const char *value)
{
	const char *cells[2] = {measure, rp_figure(c, measure, value)};
	rp_tb_row(c, tb, cells);
}

void rp_tb_end(struct ctx *c, struct rp_tb *tb)
{
	struct report_block *b = block(c, RB_TABLE);
	if (b)
		b->table = tb->t;
}

const char *rp_num(struct ctx *c, int64_t v)
{
	return rp_fmt(c, "%" PRId64, v);
}

const char *rp_people(struct ctx *c, int64_t true_count)
{
	char *s = disclosure_text(c->a, disclosure_count(true_count));
	if (!s) {
		rp_fail(c, DB_ERR);
		return "";
	}
	return s;
}

const char *rp_date(struct ctx *c, struct date d)
{
	sbuf b;
	sbuf_init(&b, c->a, 64);
	date_human(&b, d);
	if (b.err)
		rp_fail(c, DB_ERR);
	return b.buf;
}

/* A chart with the table of its figures beside it (the table is also the figures of the
 * CSV). LABELS and each series' VALUES have N entries. */
static void chart_add(struct ctx *c, enum chart_kind kind, enum chart_unit unit, int decimals,
		      const char *title, const char *summary, const char **labels, size_t n,
		      const struct chart_series *series, size_t ns, const char **head)
{
	struct report_block *b = block(c, RB_CHART);
	struct rp_tb tb;
	if (!b)
		return;
	b->chart = (struct chart){
		.kind = kind,
		.unit = unit,
		.decimals = decimals,
		.title = title,
		.summary = summary,
		.n_labels = n,
		.labels = labels,
		.n_series = ns,
		.series = series,
	};
	b->text = summary;
	rp_tb_init(&tb, title, ns + 1, head, true);
	for (size_t i = 0; i < n; i++) {
		const char *cells[5] = {labels[i], "", "", "", ""};
		for (size_t s = 0; s < ns && s < 4; s++) {
			sbuf v;
			sbuf_init(&v, c->a, 64);
			/* A suppressed cell is a gap in the chart and says why in the table. */
			if (series[s].missing && series[s].missing[i]) {
				if (unit == CHART_COUNT)
					sbuf_addf(&v, "fewer than %d", disclosure_threshold());
				else if (unit == CHART_VALUE)
					sbuf_adds(&v, "no figure");
				else
					sbuf_adds(&v, "not shown");
			} else {
				chart_format_value(&v, &b->chart, series[s].values[i]);
			}
			cells[s + 1] = rp_figure(c, rp_fmt(c, "%s: %s", labels[i], series[s].name), v.buf);
		}
		rp_tb_row(c, &tb, cells);
	}
	b->table = tb.t;
}

void rp_chart(struct ctx *c, const char *title, const char *summary, enum chart_unit unit,
	      const char **labels, size_t n, const struct chart_series *series, size_t ns,
	      const char **head)
{
	chart_add(c, CHART_BARS, unit, 0, title, summary, labels, n, series, ns, head);
}

void rp_chart_lines(struct ctx *c, const char *title, const char *summary, int decimals,
		    const char **labels, size_t n, const struct chart_series *milli, size_t ns,
		    const char **head)
{
	struct chart_series *series = arena_calloc(c->a, ns ? ns : 1, sizeof(*series));
	int64_t div = 1;
	if (decimals < 0)
		decimals = 0;
	if (decimals > 3)
		decimals = 3;
	for (int k = decimals; k < 3; k++)
		div *= 10;
	if (!series) {
		rp_fail(c, DB_ERR);
		return;
	}
	/* Thousandths to the indicator's own decimal places, rounded half away from zero. */
	for (size_t s = 0; s < ns; s++) {
		int64_t *v = arena_calloc(c->a, n ? n : 1, sizeof(int64_t));
		if (!v) {
			rp_fail(c, DB_ERR);
			return;
		}
		for (size_t i = 0; i < n; i++) {
			int64_t x = milli[s].values[i];
			v[i] = x >= 0 ? (x + div / 2) / div : -((-x + div / 2) / div);
		}
		series[s] = (struct chart_series){milli[s].name, v, milli[s].missing};
	}
	chart_add(c, CHART_LINES, CHART_VALUE, decimals, title, summary, labels, n, series, ns, head);
}

/* --- Queries --------------------------------------------------------------------------- */

/* Runs a query whose first column of its first row is a number. FMT describes the
 * parameters: 'i' an int64_t, 's' a C string. */
int64_t rp_q(struct ctx *c, const char *sql, const char *f, ...)
{
	va_list ap;
	int64_t v = 0;
	int rc = DB_OK;
	db_stmt *st;
	if (c->rc != DOMAIN_OK)
		return 0;
	if (!(st = db_prepare(c->d, sql))) {
		rp_fail(c, DB_ERR);
		return 0;
	}
	va_start(ap, f);
	for (int i = 0; f[i] && rc == DB_OK; i++)
		rc = f[i] == 'i' ? db_bind_int(st, i + 1, va_arg(ap, int64_t))
				 : db_bind_text(st, i + 1, va_arg(ap, const char *));
	va_end(ap);
	if (rc == DB_OK) {
		rc = db_step(st);
		if (rc == DB_ROW)
			v = db_col_int(st, 0);
		else if (rc != DB_DONE)
			rp_fail(c, rc < 0 ? rc : DB_ERR);
	} else {
		rp_fail(c, DB_ERR);
	}
	db_done(st);
	return v;
}

/* The same with the programme and the period bound as (programme, from, end). */
int64_t rp_qp(struct ctx *c, int64_t pid, const char *sql)
{
	return rp_q(c, sql, "iss", pid, c->from, c->end);
}

/* --- The parts of the report ----------------------------------------------------------- */

static void part_stage(struct ctx *c, const struct prog *p)
{
	struct programme pr;
	struct rp_tb tb;
	static const char *head[] = {"Stage", "Status", "Started", "Finished"};
	enum stage_status at_end[PROGRAMME_STAGES];
	int current = 0, last_done = 0;
	const char **areas;
	int rc = programme_get(c->d, c->a, p->id, &pr);
	if (rc != DOMAIN_OK) {
		rp_fail(c, rc);
		return;
	}
	rp_section(c, 3, rp_fmt(c, "p%" PRId64 "-stage", p->id), "Priority areas and stage on the journey");
	if (!(areas = arena_calloc(c->a, pr.n_areas ? pr.n_areas : 1, sizeof(*areas)))) {
		rp_fail(c, DB_ERR);
		return;
	}
	for (size_t i = 0; i < pr.n_areas; i++)
		areas[i] = pr.areas[i].name;
	if (pr.n_areas) {
		rp_para(c, "The programme covers these priority areas of the Locality Plan:");
		rp_list(c, areas, pr.n_areas, false);
	} else {
		rp_para(c, "No priority area has been recorded for this programme.");
	}
	/* Where the programme stood at the end of the period, from the stages' actual dates:
	 * a report on an earlier half-year must not show where it stands today. */
	for (int i = 0; i < PROGRAMME_STAGES; i++) {
		const struct programme_stage *s = &pr.stages[i];
		if (s->actual_end && strcmp(s->actual_end, c->to) <= 0)
			at_end[i] = STAGE_DONE;
		else if (s->actual_start && strcmp(s->actual_start, c->to) <= 0)
			at_end[i] = STAGE_IN_PROGRESS;
		else
			at_end[i] = STAGE_NOT_STARTED;
		if (at_end[i] == STAGE_IN_PROGRESS)
			current = s->stage;
		if (at_end[i] == STAGE_DONE)
			last_done = s->stage;
	}
	rp_para(c, current ? rp_fmt(c, "At the end of the period the programme was at stage %d of 6: "
				       "%s.",
				    current, programme_stage_name(current))
		   : last_done == PROGRAMME_STAGES
			? "By the end of the period all six stages were done."
		   : last_done ? rp_fmt(c, "At the end of the period stage %d (%s) was done and the "
					   "next had not started.",
					last_done, programme_stage_name(last_done))
			       : "By the end of the period no stage had started.");
	rp_figure(c, "Stage at the end of the period", current ? rp_num(c, current) : "none in progress");
	rp_tb_init(&tb, "The six stages of the journey at the end of the period", 4, head, true);
	for (int i = 0; i < PROGRAMME_STAGES; i++) {
		const struct programme_stage *s = &pr.stages[i];
		struct date d;
		const char *cells[4] = {rp_fmt(c, "%d. %s", s->stage, programme_stage_name(s->stage)),
					stage_status_label(at_end[i]), "", ""};
		if (at_end[i] != STAGE_NOT_STARTED && date_parse(sv_from(s->actual_start), &d) == 0)
			cells[2] = rp_date(c, d);
		if (at_end[i] == STAGE_DONE && date_parse(sv_from(s->actual_end), &d) == 0)
			cells[3] = rp_date(c, d);
		rp_figure(c, rp_fmt(c, "Stage %d status", s->stage), cells[1]);
		rp_tb_row(c, &tb, cells);
	}
	rp_tb_end(c, &tb);
}

static void part_people(struct ctx *c, const struct prog *p, struct totals *t)
{
	static const char *head[] = {"Measure", "Number"};
	struct rp_tb tb;
	/* SQL text is kept by the statement cache, so it is always a literal. */
#define ACTIVE                                                                                     \
	"SELECT COUNT(DISTINCT m.account_id) FROM group_members m"                                 \
	" JOIN working_groups g ON g.id = m.group_id WHERE g.programme_id = ?"                     \
	" AND m.joined_on < ? AND (m.left_on IS NULL OR m.left_on >= ?) AND m.role_in_group "
	int64_t local = rp_q(c, ACTIVE "= 'local_person'", "iss", p->id, c->end, c->from);
	int64_t prof = rp_q(c, ACTIVE "<> 'local_person'", "iss", p->id, c->end, c->from);
#undef ACTIVE
	int64_t joined = rp_q(c, "SELECT COUNT(DISTINCT m.account_id) FROM group_members m"
			      " JOIN working_groups g ON g.id = m.group_id WHERE g.programme_id = ?"
			      " AND m.joined_on >= ? AND m.joined_on < ?",
			   "iss", p->id, c->from, c->end);
	int64_t *np;
	rp_section(c, 3, rp_fmt(c, "p%" PRId64 "-people", p->id), "Who took part");
	rp_tb_init(&tb, "Members of the programme's groups during the period", 2, head, true);
	rp_tb_fig(c, &tb, "Local people", rp_people(c, local));
	rp_tb_fig(c, &tb, "Professionals and facilitators", rp_people(c, prof));
	rp_tb_fig(c, &tb, "People who joined during the period", rp_people(c, joined));
	rp_tb_end(c, &tb);
	if (!(np = arena_grow(c->a, t->people, t->n_people, &(size_t){t->n_people}, sizeof(*np)))) {
		rp_fail(c, DB_ERR);
		return;
	}
	np[t->n_people++] = local + prof;
	t->people = np;
	rp_para(c, rp_fmt(c, "Numbers of people are rounded to the nearest 5, and any number below %d "
		       "is shown as \"fewer than %d\", so that no one can be identified.",
		    disclosure_threshold(), disclosure_threshold()));
}

static void part_sessions(struct ctx *c, const struct prog *p, struct totals *t)
{
	static const char *head[] = {"Measure", "Number"};
	struct rp_tb tb;
#define IN_PERIOD                                                                                  \
	"SELECT COUNT(*) FROM group_sessions s JOIN working_groups g ON g.id = s.group_id"         \
	" WHERE g.programme_id = ? AND s.starts_at >= ? AND s.starts_at < ?"
	int64_t held = rp_qp(c, p->id, IN_PERIOD " AND s.status = 'held'");
	int64_t cancelled = rp_qp(c, p->id, IN_PERIOD " AND s.status = 'cancelled'");
#undef IN_PERIOD
#define ATT(what, cond)                                                                            \
	"SELECT COUNT(" what ") FROM attendance at JOIN group_sessions s"                          \
	" ON s.id = at.session_id JOIN working_groups g ON g.id = s.group_id"                      \
	" JOIN accounts ac ON ac.id = at.account_id"                                               \
	" WHERE g.programme_id = ? AND s.starts_at >= ? AND s.starts_at < ?"                       \
	" AND s.status = 'held' AND at.status = 'present'" cond
	int64_t attendances = rp_qp(c, p->id, ATT("*", ""));
	int64_t local = rp_qp(c, p->id, ATT("DISTINCT at.account_id", " AND ac.role = 'local_person'"));
	int64_t prof = rp_qp(c, p->id, ATT("DISTINCT at.account_id", " AND ac.role <> 'local_person'"));
#undef ATT
	rp_section(c, 3, rp_fmt(c, "p%" PRId64 "-sessions", p->id), "Sessions held and attendance");
	rp_tb_init(&tb, "Sessions and attendance during the period", 2, head, true);
	rp_tb_fig(c, &tb, "Sessions held", rp_num(c, held));
	rp_tb_fig(c, &tb, "Sessions cancelled", rp_num(c, cancelled));
	rp_tb_fig(c, &tb, "Attendances (one person at one session)", rp_people(c, attendances));
	rp_tb_fig(c, &tb, "Local people who attended at least once", rp_people(c, local));
	rp_tb_fig(c, &tb, "Professionals who attended at least once", rp_people(c, prof));
	rp_tb_end(c, &tb);
	t->sessions += held;
}

static void part_ideas(struct ctx *c, const struct prog *p, struct totals *t)
{
	static const char *head[] = {"Status at the end of the period", "Ideas"};
	int64_t raised = rp_qp(c, p->id, "SELECT COUNT(*) FROM ideas WHERE programme_id = ?"
				      " AND created_at >= ? AND created_at < ?");
	struct rp_tb tb;
	int64_t any = 0;
	rp_section(c, 3, rp_fmt(c, "p%" PRId64 "-ideas", p->id), "Ideas and their fate");
	rp_para(c, rp_fmt(c, "%" PRId64 " new %s raised during the period.", raised,
		    raised == 1 ? "idea was" : "ideas were"));
	rp_figure(c, "Ideas raised during the period", rp_num(c, raised));
	rp_tb_init(&tb, "Every idea of the programme by where it stood at the end of the period", 2,
		head, true);
	for (int s = 0; s < IDEA_STATUS_COUNT; s++) {
		/* Where each idea stood at the end of the period: its last status change before
		 * then (every idea records its first status when it is made). */
		int64_t n = rp_q(c,
			      "SELECT COUNT(*) FROM ideas i WHERE i.programme_id = ? AND"
			      " i.created_at < ? AND (SELECT sc.to_status FROM idea_status_changes sc"
			      "  WHERE sc.idea_id = i.id AND sc.changed_at < ?"
			      "  ORDER BY sc.changed_at DESC, sc.id DESC LIMIT 1) = ?",
			      "isss", p->id, c->end, c->end, ideas_status_slug((enum idea_status)s));
		any += n;
		if (n)
			rp_tb_fig(c, &tb, ideas_status_label((enum idea_status)s), rp_num(c, n));
	}
	if (any)
		rp_tb_end(c, &tb);
	else
		rp_para(c, "The programme had no ideas by the end of the period.");
	t->ideas += raised;
}

static void part_power(struct ctx *c, const struct prog *p, struct totals *t)
{
	static const char *labels[] = {"Ideas put forward", "Amendments to ideas", "Comments on ideas",
				       "Positions on decisions"};
	static const char *head[] = {"Contribution", "Local people", "Professionals"};
	static const char *sql[4] = {
		"SELECT COUNT(*) FROM ideas WHERE programme_id = ? AND created_at >= ?"
		" AND created_at < ? AND side = ?",
		"SELECT COUNT(*) FROM idea_revisions r JOIN ideas i ON i.id = r.idea_id"
		" WHERE i.programme_id = ? AND r.revised_at >= ? AND r.revised_at < ?"
		" AND r.is_amendment = 1 AND r.side = ?",
		"SELECT COUNT(*) FROM idea_comments m JOIN ideas i ON i.id = m.idea_id"
		" WHERE i.programme_id = ? AND m.created_at >= ? AND m.created_at < ? AND m.side = ?",
		"SELECT COUNT(*) FROM decision_positions dp JOIN decisions dd ON dd.id = dp.decision_id"
		" JOIN working_groups g ON g.id = dd.group_id WHERE g.programme_id = ?"
		" AND dd.status = 'closed' AND dd.closed_at >= ? AND dd.closed_at < ? AND dp.side = ?",
	};
	int64_t *lv = arena_calloc(c->a, 4, sizeof(int64_t));
	int64_t *pv = arena_calloc(c->a, 4, sizeof(int64_t));
	struct chart_series *series = arena_calloc(c->a, 2, sizeof(*series));
	int64_t closed, carried, all_local = 0, all_prof = 0;
	if (!lv || !pv || !series) {
		rp_fail(c, DB_ERR);
		return;
	}
	closed = rp_qp(c, p->id, "SELECT COUNT(*) FROM decisions dd JOIN working_groups g"
			      " ON g.id = dd.group_id WHERE g.programme_id = ? AND dd.status = 'closed'"
			      " AND dd.closed_at >= ? AND dd.closed_at < ?");
	carried = rp_qp(c, p->id, "SELECT COUNT(*) FROM decisions dd JOIN working_groups g"
			       " ON g.id = dd.group_id WHERE g.programme_id = ? AND dd.status = 'closed'"
			       " AND dd.closed_at >= ? AND dd.closed_at < ? AND dd.outcome = 'carried'");
	for (int i = 0; i < 4; i++) {
		lv[i] = rp_q(c, sql[i], "isss", p->id, c->from, c->end, "local");
		pv[i] = rp_q(c, sql[i], "isss", p->id, c->from, c->end, "professional");
		all_local += lv[i];
		all_prof += pv[i];
	}
	rp_section(c, 3, rp_fmt(c, "p%" PRId64 "-power", p->id), "Decisions and the balance of power");
	rp_para(c, rp_fmt(c, "The groups closed %" PRId64 " shared %s during the period; %" PRId64
		       " carried.",
		    closed, closed == 1 ? "decision" : "decisions", carried));
	rp_figure(c, "Decisions closed", rp_num(c, closed));
	rp_figure(c, "Decisions carried", rp_num(c, carried));
	series[0] = (struct chart_series){"Local people", lv, NULL};
	series[1] = (struct chart_series){"Professionals", pv, NULL};
	if (all_local + all_prof == 0) {
		/* A chart of nothing but zeros says less than one sentence. */
		struct rp_tb tb;
		rp_para(c, "No ideas, amendments, comments or positions on decisions were recorded "
			   "during the period.");
		rp_tb_init(&tb, rp_fmt(c, "Contributions by side: %s", p->name), 3, head, true);
		for (int i = 0; i < 4; i++) {
			const char *cells[3] = {
				labels[i], rp_figure(c, rp_fmt(c, "%s: Local people", labels[i]), "0"),
				rp_figure(c, rp_fmt(c, "%s: Professionals", labels[i]), "0")};
			rp_tb_row(c, &tb, cells);
		}
		rp_tb_end(c, &tb);
	} else {
		rp_chart(c, rp_fmt(c, "Contributions by side: %s", p->name),
			 rp_fmt(c, "Local people made %" PRId64 " of the %" PRId64 " contributions "
				   "recorded during the period; professionals made %" PRId64 ".",
				all_local, all_local + all_prof, all_prof),
			 CHART_COUNT, labels, 4, series, 2, head);
	}
	t->decisions += closed;
}

static void part_board(struct ctx *c, const struct prog *p, struct totals *t)
{
	static const char *head[] = {"Proposal", "Board meeting", "Decision", "Funding agreed"};
	struct rp_tb tb;
	int rc;
	size_t n = 0;
	db_stmt *st = db_prepare(c->d,
		"SELECT i.title, m.meets_on, b.decision, b.funding_agreed_pence, b.conditions"
		" FROM board_papers b JOIN board_meetings m ON m.id = b.meeting_id"
		" JOIN ideas i ON i.id = b.idea_id WHERE i.programme_id = ? AND m.meets_on >= ?"
		" AND m.meets_on <= ? ORDER BY m.meets_on, b.id");
	rp_section(c, 3, rp_fmt(c, "p%" PRId64 "-board", p->id), "Proposals and the Board's decisions");
	if (!st) {
		rp_fail(c, DB_ERR);
		return;
	}
	rp_tb_init(&tb, "Proposals taken to the Board during the period", 4, head, true);
	if (db_bind_int(st, 1, p->id) || db_bind_text(st, 2, c->from) || db_bind_text(st, 3, c->to)) {
		db_done(st);
		rp_fail(c, DB_ERR);
		return;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		const char *dec = db_col_text(st, 2);
		struct date md = {0, 0, 0};
		enum board_decision bd = strcmp(dec, "supported") == 0	   ? BOARD_SUPPORTED
					 : strcmp(dec, "not_supported") == 0 ? BOARD_NOT_SUPPORTED
					 : strcmp(dec, "deferred") == 0	   ? BOARD_DEFERRED
									   : BOARD_PENDING;
		int64_t pence = db_col_int(st, 3);
		const char *title = db_col_dup(st, 0, c->a);
		const char *cells[4];
		date_parse(db_col_sv(st, 1), &md);
		cells[0] = title ? title : "";
		cells[1] = rp_date(c, md);
		cells[2] = rp_figure(c, rp_fmt(c, "Board decision: %s", cells[0]), board_decision_label(bd));
		cells[3] = rp_figure(c, rp_fmt(c, "Funding agreed: %s", cells[0]),
				  pence ? money_text(c->a, pence) : "None");
		rp_tb_row(c, &tb, cells);
		n++;
		t->proposals++;
		t->funding_agreed += pence;
		if (bd == BOARD_SUPPORTED)
			t->supported++;
		if (bd == BOARD_PENDING)
			t->pending++;
	}
	db_done(st);
	if (rc != DB_DONE)
		rp_fail(c, rc < 0 ? rc : DB_ERR);
	if (n)
		rp_tb_end(c, &tb);
	else
		rp_para(c, "No proposal from this programme went to the Board during the period.");
}

static void part_delivery(struct ctx *c, const struct prog *p)
{
	static const char *head[] = {"Plan", "In the Locality Implementation Plan", "Actions done",
				     "Milestones reached"};
	struct rp_tb tb;
	int rc;
	size_t n = 0;
	db_stmt *st = db_prepare(c->d,
		"SELECT dp.title, dp.in_locality_plan,"
		" (SELECT COUNT(*) FROM delivery_actions da WHERE da.plan_id = dp.id"
		"  AND da.status = 'done'),"
		" (SELECT COUNT(*) FROM delivery_actions da WHERE da.plan_id = dp.id),"
		" (SELECT COUNT(*) FROM delivery_milestones ms WHERE ms.plan_id = dp.id"
		"  AND ms.reached_on IS NOT NULL AND ms.reached_on <= ?),"
		" (SELECT COUNT(*) FROM delivery_milestones ms WHERE ms.plan_id = dp.id)"
		" FROM delivery_plans dp JOIN ideas i ON i.id = dp.idea_id"
		" WHERE i.programme_id = ? AND dp.created_at < ? ORDER BY dp.id");
	rp_section(c, 3, rp_fmt(c, "p%" PRId64 "-delivery", p->id), "Co-delivery");
	if (!st) {
		rp_fail(c, DB_ERR);
		return;
	}
	if (db_bind_text(st, 1, c->to) || db_bind_int(st, 2, p->id) || db_bind_text(st, 3, c->end)) {
		db_done(st);
		rp_fail(c, DB_ERR);
		return;
	}
	rp_tb_init(&tb, "Co-delivery plans by the end of the period", 4, head, true);
	while ((rc = db_step(st)) == DB_ROW) {
		const char *title = db_col_dup(st, 0, c->a);
		const char *cells[4];
		cells[0] = title ? title : "";
		cells[1] = db_col_int(st, 1) ? "Yes" : "No";
		cells[2] = rp_figure(c, rp_fmt(c, "Actions done: %s", cells[0]),
				  rp_fmt(c, "%" PRId64 " of %" PRId64, db_col_int(st, 2), db_col_int(st, 3)));
		cells[3] = rp_figure(c, rp_fmt(c, "Milestones reached: %s", cells[0]),
				  rp_fmt(c, "%" PRId64 " of %" PRId64, db_col_int(st, 4), db_col_int(st, 5)));
		rp_tb_row(c, &tb, cells);
		n++;
	}
	db_done(st);
	if (rc != DB_DONE)
		rp_fail(c, rc < 0 ? rc : DB_ERR);
	if (n)
		rp_tb_end(c, &tb);
	else
		rp_para(c, "No co-delivery plan had been made for this programme by the end of the "
			"period.");
}

static void part_case_studies(struct ctx *c, const struct prog *p, struct totals *t)
{
	int rc;
	size_t n = 0, cap = 0;
	const char **items = NULL;
	db_stmt *st = db_prepare(c->d, "SELECT title, published_on FROM case_studies"
				       " WHERE programme_id = ? AND status = 'published'"
				       " AND published_on <= ? ORDER BY published_on, id");
	rp_section(c, 3, rp_fmt(c, "p%" PRId64 "-case-studies", p->id), "Case studies");
	if (!st) {
		rp_fail(c, DB_ERR);
		return;
	}
	if (db_bind_int(st, 1, p->id) || db_bind_text(st, 2, c->to)) {
		db_done(st);
		rp_fail(c, DB_ERR);
		return;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		struct date pd = {0, 0, 0};
		date_parse(db_col_sv(st, 1), &pd);
		if (!(items = arena_grow(c->a, items, n, &cap, sizeof(*items)))) {
			rc = DB_ERR;
			break;
		}
		items[n++] = rp_fmt(c, "%s (published %s)", db_col_text(st, 0), rp_date(c, pd));
		if (strcmp(db_col_text(st, 1), c->from) >= 0)
			t->case_studies++;
	}
	db_done(st);
	if (rc != DB_DONE)
		rp_fail(c, rc < 0 ? rc : DB_ERR);
	rp_figure(c, "Published case studies", rp_num(c, (int64_t)n));
	if (n) {
		rp_para(c, rp_fmt(c, "%zu published case %s, the Locality Plan's indicator for "
			       "co-production:",
			    n, n == 1 ? "study" : "studies"));
		rp_list(c, items, n, false);
	} else {
		rp_para(c, "No case study of this programme has been published yet.");
	}
}

static void programme_part(struct ctx *c, const struct prog *p, struct totals *t)
{
	c->programme = p->name;
	rp_section(c, 2, rp_fmt(c, "programme-%" PRId64, p->id), rp_fmt(c, "Programme: %s", p->name));
	part_stage(c, p);
	part_people(c, p, t);
	rp_part_equality(c, p);
	part_sessions(c, p, t);
	part_ideas(c, p, t);
	part_power(c, p, t);
	part_board(c, p, t);
	part_delivery(c, p);
	rp_part_money(c, p, t);
	rp_part_assessment(c, p);
	part_case_studies(c, p, t);
	rp_part_learning(c, p);
	c->programme = "";
}

/* One outcome indicator as a chart of the local area against the comparator, with its
 * table and summary; ALSO names the other areas it belongs to ("" for none). Returns
 * whether it had values to show. */
static bool indicator_chart(struct ctx *c, const struct indicator *ind, const char *also)
{
	static const char *head[] = {"Period", INDICATOR_LOCAL_NAME, INDICATOR_COMPARATOR_NAME};
	struct indicator_series se;
	struct chart_series *series;
	int rc;
	if ((rc = indicator_series_get(c->d, c->a, ind->id, &se)) != DOMAIN_OK) {
		rp_fail(c, rc);
		return false;
	}
	if (!se.n)
		return false;
	if (!(series = arena_calloc(c->a, 2, sizeof(*series)))) {
		rp_fail(c, DB_ERR);
		return false;
	}
	series[0] = (struct chart_series){INDICATOR_LOCAL_NAME, se.local, se.local_missing};
	series[1] = (struct chart_series){INDICATOR_COMPARATOR_NAME, se.comparator,
					  se.comparator_missing};
	rp_para(c, rp_fmt(c, "%s (%s; %s; source: %s)%s.%s%s", ind->name, ind->unit,
			  indicator_polarity_label(ind->polarity), ind->source,
			  se.illustrative ? ". Illustrative figures, not real data" : "",
			  *also ? " Also for " : "", *also ? rp_fmt(c, "%s.", also) : ""));
	c->programme = "";
	rp_chart_lines(c, ind->name, indicator_summary(c->a, &se), ind->decimals, se.periods, se.n,
		       series, 2, head);
	return true;
}

enum { REPORT_AREAS_MAX = 64 };

struct area_inds {
	int64_t id;
	char *name;
	struct indicator *inds;
	size_t n;
};

/* The areas the programmes PS cover, each once, in the order the programmes first name
 * them, with their indicators, into AREAS; returns how many. */
static size_t report_areas(struct ctx *c, const struct prog *ps, size_t np,
			   struct area_inds *areas)
{
	size_t n = 0;
	int rc;
	for (size_t i = 0; i < np && c->rc == DOMAIN_OK; i++) {
		db_stmt *st = db_prepare(c->d, "SELECT DISTINCT a.id, a.name, a.sort_order"
					       " FROM priority_areas a JOIN programme_priorities pp"
					       " ON pp.priority_area_id = a.id WHERE pp.programme_id = ?"
					       " ORDER BY a.sort_order, a.id");
		if (!st) {
			rp_fail(c, DB_ERR);
			break;
		}
		if (db_bind_int(st, 1, ps[i].id) != DB_OK) {
			db_done(st);
			rp_fail(c, DB_ERR);
			break;
		}
		while ((rc = db_step(st)) == DB_ROW) {
			int64_t area = db_col_int(st, 0);
			bool dup = false;
			for (size_t k = 0; k < n; k++)
				dup |= areas[k].id == area;
			if (!dup && n < REPORT_AREAS_MAX)
				areas[n++] = (struct area_inds){area, db_col_dup(st, 1, c->a), NULL, 0};
		}
		db_done(st);
		if (rc != DB_DONE)
			rp_fail(c, rc < 0 ? rc : DB_ERR);
	}
	for (size_t k = 0; k < n && c->rc == DOMAIN_OK; k++)
		if ((rc = indicators_for_priority(c->d, c->a, areas[k].id, &areas[k].inds,
						  &areas[k].n)) != DOMAIN_OK)
			rp_fail(c, rc);
	return c->rc == DOMAIN_OK ? n : 0;
}

/* Where indicator IND_ID is listed before area K: the index of the first area, or K. */
static size_t first_area_of(const struct area_inds *areas, size_t k, int64_t ind_id)
{
	for (size_t i = 0; i < k; i++)
		for (size_t j = 0; j < areas[i].n; j++)
			if (areas[i].inds[j].id == ind_id)
				return i;
	return k;
}

/* The outcome indicators of the priority areas the report's programmes cover, under a
 * heading for each area. An indicator of two areas is shown once, under the first, and
 * named under the other. Values are the latest known, whatever the period: indicators
 * move over years, not half-years. */
static void part_indicators(struct ctx *c, const struct prog *ps, size_t np)
{
	struct area_inds *areas;
	size_t n;
	rp_section(c, 2, "indicators", "Outcome indicators by priority area");
	if (c->rc != DOMAIN_OK)
		return;
	if (!(areas = arena_calloc(c->a, REPORT_AREAS_MAX, sizeof(*areas)))) {
		rp_fail(c, DB_ERR);
		return;
	}
	n = report_areas(c, ps, np, areas);
	if (!n)
		rp_para(c, "These programmes cover no priority area yet.");
	for (size_t k = 0; k < n && c->rc == DOMAIN_OK; k++) {
		size_t here = 0;
		rp_section(c, 3, rp_fmt(c, "indicators-%" PRId64, areas[k].id), areas[k].name);
		c->rep->sections[c->rep->n_sections - 1].figures_section =
			rp_fmt(c, "Outcome indicators: %s", areas[k].name);
		for (size_t j = 0; j < areas[k].n && c->rc == DOMAIN_OK; j++) {
			const struct indicator *ind = &areas[k].inds[j];
			size_t first = first_area_of(areas, k, ind->id);
			sbuf also;
			if (first < k) {
				rp_para(c, rp_fmt(c, "%s: shown under %s above.", ind->name,
						  areas[first].name));
				here++;
				continue;
			}
			sbuf_init(&also, c->a, 256);
			for (size_t i = k + 1; i < n; i++)
				for (size_t m = 0; m < areas[i].n; m++)
					if (areas[i].inds[m].id == ind->id)
						sbuf_addf(&also, "%s%s", also.len ? " and " : "",
							    areas[i].name);
			if (indicator_chart(c, ind, also.err ? "" : also.buf))
				here++;
		}
		if (!here)
			rp_para(c, "No outcome indicator values have been recorded for this priority "
				   "area.");
	}
}

/* Each priority area with the programmes working on it, its published case studies (the
 * Locality Plan's indicator for co-production) and the outcome indicators tracked. */
static void part_areas(struct ctx *c, const struct prog *ps, size_t np)
{
	static const char *head[] = {"Priority area", "Programmes", "Case studies published",
				     "Outcome indicators tracked"};
	struct rp_tb tb;
	int rc;
	size_t n = 0;
	db_stmt *st = db_prepare(c->d, "SELECT id, name FROM priority_areas ORDER BY sort_order, id");
	rp_section(c, 2, "areas", "Priority areas");
	if (!st) {
		rp_fail(c, DB_ERR);
		return;
	}
	rp_tb_init(&tb, "Priority areas of the Locality Plan", 4, head, true);
	while (c->rc == DOMAIN_OK && (rc = db_step(st)) == DB_ROW) {
		int64_t area = db_col_int(st, 0), programmes = 0, studies = 0, indicators;
		const char *name = db_col_dup(st, 1, c->a);
		for (size_t i = 0; i < np; i++) {
			if (!rp_q(c, "SELECT COUNT(*) FROM programme_priorities WHERE programme_id = ?"
				     " AND priority_area_id = ?",
				  "ii", ps[i].id, area))
				continue;
			programmes++;
			studies += rp_q(c, "SELECT COUNT(*) FROM case_studies WHERE programme_id = ?"
					   " AND status = 'published' AND published_on <= ?",
					"is", ps[i].id, c->to);
		}
		indicators = rp_q(c, "SELECT COUNT(*) FROM indicator_priority_areas"
				     " WHERE priority_area_id = ?",
				  "i", area);
		name = name ? name : "";
		const char *cells[4] = {
			name,
			rp_figure(c, rp_fmt(c, "Programmes: %s", name), rp_num(c, programmes)),
			rp_figure(c, rp_fmt(c, "Case studies published: %s", name), rp_num(c, studies)),
			rp_figure(c, rp_fmt(c, "Outcome indicators: %s", name), rp_num(c, indicators)),
		};
		rp_tb_row(c, &tb, cells);
		n++;
	}
	db_done(st);
	if (c->rc != DOMAIN_OK)
		return;
	if (rc != DB_DONE) {
		rp_fail(c, rc < 0 ? rc : DB_ERR);
		return;
	}
	if (n) {
		rp_para(c, "Case studies count those published by the end of the period, of the "
			   "programmes this report covers; a programme working on several areas counts "
			   "for each.");
		rp_tb_end(c, &tb);
	} else {
		rp_para(c, "No priority area has been recorded.");
	}
}

static void part_summary(struct ctx *c, size_t n_programmes, const struct totals *t)
{
	static const char *head[] = {"Question", "Answer"};
	static const char *fig_head[] = {"Measure", "Number"};
	struct rp_tb tb;
	const char *ask[3];
	size_t n_ask = 0;
	struct disclosed all = disclosure_total(t->people, (int)t->n_people);
	char *people_text = disclosure_text(c->a, all);

	rp_section(c, 2, "summary", "Executive summary");
	if (*c->rep->figures_to_text)
		rp_para(c, rp_fmt(c, "Figures to %s. The period has not ended yet, so its figures "
				  "will change.", c->rep->figures_to_text));
	rp_tb_init(&tb, "Summary for the Board", 2, head, true);
	{
		const char *cells[2] = {
			"Why is this report being brought to the Board?",
			rp_fmt(c, "The Board resolved to receive a report on progress with co-production "
			       "every six months. Co-production with local people is a priority of the "
			       "Locality Plan for innovative local solutions to child poverty, climate "
			       "change, loneliness and social isolation, and suicide prevention. This "
			       "report covers %s.",
			    c->rep->period_text)};
		rp_tb_row(c, &tb, cells);
	}
	{
		const char *cells[2] = {
			"The Board's duties in this area",
			"To understand needs, inequalities, risks and assets locally; to determine "
			"priorities for local action; and to promote integration and partnership, "
			"holding organisations accountable for their contribution to the outcomes in "
			"the Locality Plan."};
		rp_tb_row(c, &tb, cells);
	}
	ask[n_ask++] = "To note the progress with co-production set out in this report.";
	if (t->pending)
		ask[n_ask++] = rp_fmt(c, "To decide on the %" PRId64 " %s still waiting for the Board's "
				      "decision.",
				   t->pending, t->pending == 1 ? "proposal" : "proposals");
	ask[n_ask++] = "To receive the next progress report in six months.";
	{
		sbuf b;
		sbuf_init(&b, c->a, 4096);
		for (size_t i = 0; i < n_ask; i++)
			sbuf_addf(&b, "%s%zu. %s", i ? " " : "", i + 1, ask[i]);
		const char *cells[2] = {"What is the Board asked to decide?", b.buf};
		rp_tb_row(c, &tb, cells);
	}
	{
		const char *cells[2] = {
			"What communication is needed?",
			"Everyone who took part is told what the Board decided and what changed as a "
			"result (\"you said, we did\"). Published case studies and the proposals' "
			"outcomes are on the public site."};
		rp_tb_row(c, &tb, cells);
	}
	rp_tb_end(c, &tb);

	rp_section(c, 2, "figures", "The period in figures");
	rp_para(c, rp_fmt(c, "Figures for %zu %s during %s.", n_programmes,
		    n_programmes == 1 ? "programme" : "programmes", c->rep->period_text));
	rp_tb_init(&tb, "The period in figures", 2, fig_head, true);
	rp_tb_fig(c, &tb, "Programmes", rp_num(c, (int64_t)n_programmes));
	rp_tb_fig(c, &tb, "People taking part (counted once in each programme)",
	       people_text ? people_text : "");
	rp_tb_fig(c, &tb, "Sessions held", rp_num(c, t->sessions));
	rp_tb_fig(c, &tb, "Ideas raised", rp_num(c, t->ideas));
	rp_tb_fig(c, &tb, "Shared decisions closed", rp_num(c, t->decisions));
	rp_tb_fig(c, &tb, "Proposals taken to the Board", rp_num(c, t->proposals));
	rp_tb_fig(c, &tb, "Proposals the Board supported", rp_num(c, t->supported));
	rp_tb_fig(c, &tb, "Funding agreed by the Board", money_text(c->a, t->funding_agreed));
	rp_tb_fig(c, &tb, "Case studies published", rp_num(c, t->case_studies));
	rp_tb_fig(c, &tb, "Spent from the programmes' budgets", money_text(c->a, t->spent));
	rp_tb_fig(c, &tb, "Paid to participants for their time and expenses", money_text(c->a, t->paid));
	rp_tb_end(c, &tb);
}

static void part_recommendations(struct ctx *c, const struct totals *t)
{
	const char **items = arena_calloc(c->a, 4, sizeof(*items));
	size_t n = 0;
	if (!items) {
		rp_fail(c, DB_ERR);
		return;
	}
	rp_section(c, 2, "recommendations", "Recommendations for action");
	rp_para(c, "In line with the Locality Plan, the Health and Wellbeing Board is asked:");
	items[n++] = "To note the progress with co-production set out in this report.";
	if (t->pending)
		items[n++] = rp_fmt(c, "To decide on the %" PRId64 " %s waiting for its decision.",
				 t->pending, t->pending == 1 ? "proposal" : "proposals");
	items[n++] = "To ask each member organisation to report back on its own co-production "
		     "for the same half-year.";
	items[n++] = "To receive the next progress report in six months.";
	rp_list(c, items, n, true);
}

static void part_context(struct ctx *c, const struct prog *ps, size_t np, const struct totals *t)
{
	static const char *head[] = {"Topic", "Information"};
	struct rp_tb tb;
	sbuf eq;
	sbuf_init(&eq, c->a, 64 * 1024);
	for (size_t i = 0; i < np; i++) {
		db_stmt *st = db_prepare(c->d, "SELECT who_affected, mitigations, assessed_on, review_on"
					       " FROM equality_impact_assessments WHERE programme_id = ?");
		int rc;
		if (!st || db_bind_int(st, 1, ps[i].id)) {
			if (st)
				db_done(st);
			rp_fail(c, DB_ERR);
			return;
		}
		rc = db_step(st);
		if (eq.len)
			sbuf_adds(&eq, " ");
		/* A report of a past period shows only what the Board could have known then: an
		 * assessment made after the period's end is not part of it. */
		if (rc == DB_ROW && strcmp(db_col_text(st, 2), c->to) > 0) {
			sbuf_addf(&eq, "%s: no equality impact assessment had been recorded by the "
				       "end of the period.",
				  ps[i].name);
		} else if (rc == DB_ROW) {
			struct date ad = {0, 0, 0}, rd = {0, 0, 0};
			date_parse(db_col_sv(st, 2), &ad);
			date_parse(db_col_sv(st, 3), &rd);
			sbuf_addf(&eq, "%s: assessed on %s, to be reviewed on %s. Who is affected: %s "
				       "Mitigations: %s",
				  ps[i].name, rp_date(c, ad), rp_date(c, rd), db_col_text(st, 0),
				  db_col_text(st, 1));
		} else if (rc == DB_DONE) {
			sbuf_addf(&eq, "%s: no equality impact assessment has been recorded.",
				  ps[i].name);
		} else {
			rp_fail(c, rc < 0 ? rc : DB_ERR);
		}
		db_done(st);
	}
	rp_section(c, 2, "context", "Contextual information");
	rp_tb_init(&tb, "Background, equality, risk and implications", 2, head, true);
	{
		const char *rows[][2] = {
			{"Background documents",
			 "Salford Locality Plan 2020-2025 (2020). Report to the Health and Wellbeing "
			 "Board on co-production for health and well-being in Salford, with its "
			 "resolution to receive a progress report every six months. Centre for Local "
			 "Economic Strategies (2017) Working Together to Tackle Disadvantage."},
			{"Equality impact assessment and implications",
			 np ? eq.buf : "No programme is covered by this report."},
			{"Assessment of risk", TO_COMPLETE},
			{"Legal implications", TO_COMPLETE},
			{"Financial implications",
			 rp_fmt(c, "%s The programmes' budgets total %s, of which %s was spent in the "
				   "period, including %s paid to participants for their time and "
				   "expenses. Details are under each programme.",
				t->funding_agreed
					? rp_fmt(c, "The Board agreed funding of %s for proposals during "
						    "the period.",
						 money_text(c->a, t->funding_agreed))
					: "The Board agreed no funding for proposals during the period.",
				money_text(c->a, t->budget), money_text(c->a, t->spent),
				money_text(c->a, t->paid))},
			{"Procurement implications", TO_COMPLETE},
			{"HR implications", TO_COMPLETE},
		};
		for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
			rp_tb_row(c, &tb, rows[i]);
	}
	rp_tb_end(c, &tb);
}

/* --- Periods --------------------------------------------------------------------------- */

const char *report_period_check(struct date from, struct date to)
{
	if (!date_valid(from))
		return "Enter the first day of the period as a real date";
	if (!date_valid(to))
		return "Enter the last day of the period as a real date";
	if (date_cmp(to, from) < 0)
		return "The last day of the period must be the same as or after the first day";
	if (date_to_days(to) - date_to_days(from) > REPORT_PERIOD_MAX_DAYS)
		return "A report can cover at most two years";
	return NULL;
}

void report_last_half_year(struct date day, struct date *from, struct date *to)
{
	if (day.m <= 6) {
		*from = (struct date){day.y - 1, 7, 1};
		*to = (struct date){day.y - 1, 12, 31};
	} else {
		*from = (struct date){day.y, 1, 1};
		*to = (struct date){day.y, 6, 30};
	}
}

static void iso(char out[11], struct date d)
{
	char tmp[32];
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", d.y % 10000, d.m % 100, d.d % 100);
	memcpy(out, tmp, 10);
	out[10] = '\0';
}

/* Lists the chart blocks in document order once the sections are in their final order
 * and no block array will move again. */
static void number_charts(struct ctx *c)
{
	struct report *r = c->rep;
	size_t n = 0;
	for (size_t i = 0; i < r->n_sections; i++)
		for (size_t k = 0; k < r->sections[i].n_blocks; k++)
			n += r->sections[i].blocks[k].kind == RB_CHART;
	r->n_charts = 0;
	if (!(r->charts = arena_calloc(c->a, n ? n : 1, sizeof(*r->charts)))) {
		rp_fail(c, DB_ERR);
		return;
	}
	for (size_t i = 0; i < r->n_sections; i++)
		for (size_t k = 0; k < r->sections[i].n_blocks; k++)
			if (r->sections[i].blocks[k].kind == RB_CHART) {
				r->sections[i].blocks[k].chart_no = r->n_charts;
				r->charts[r->n_charts++] = &r->sections[i].blocks[k];
			}
}

/* CTX is the report's options: the programmes they ask for. */
static int prog_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	const struct report_options *o = ctx;
	struct prog *p = item;
	int64_t id = db_col_int(st, 0);
	bool wanted = o->all;
	for (size_t i = 0; !wanted && i < o->n_programme_ids; i++)
		wanted = o->programme_ids[i] == id;
	if (!wanted)
		return DB_SKIP;
	p->id = id;
	p->slug = db_col_dup(st, 1, a);
	p->name = db_col_dup(st, 2, a);
	return DB_OK;
}

static int load_programmes(struct ctx *c, const struct report_options *o, struct prog **out,
			   size_t *n)
{
	db_stmt *st = db_prepare(c->d, "SELECT id, slug, name FROM programmes ORDER BY name, id");
	return db_collect(st, c->a, sizeof(**out), prog_row, (void *)o, out, n);
}

int report_build(db *d, arena *a, const struct report_options *o, struct report *out)
{
	struct ctx c = {.d = d, .a = a, .rc = DOMAIN_OK, .rep = out, .programme = ""};
	struct prog *ps;
	size_t np;
	struct totals t = {0};
	int rc;

	memset(out, 0, sizeof(*out));
	if (report_period_check(o->from, o->to))
		return DOMAIN_EINVALID;
	iso(c.from, o->from);
	iso(c.to, o->to);
	iso(c.end, date_add_days(o->to, 1));
	out->from = o->from;
	out->to = o->to;
	out->prepared_on = o->prepared_on;
	out->place = o->place ? o->place : "Salford";
	out->title = "Progress report on co-production";
	out->period_text = rp_fmt(&c, "%s to %s", rp_date(&c, o->from), rp_date(&c, o->to));
	out->prepared_text = date_valid(o->prepared_on) ? rp_date(&c, o->prepared_on) : "";
	out->figures_to_text = date_valid(o->prepared_on) && date_cmp(o->to, o->prepared_on) >= 0
				       ? out->prepared_text
				       : "";
	if ((rc = load_programmes(&c, o, &ps, &np)) != DOMAIN_OK)
		return rc;

	/* The programmes come first so the summary can add up their figures; the summary's
	 * sections are then moved to the front. */
	for (size_t i = 0; i < np && c.rc == DOMAIN_OK; i++)
		programme_part(&c, &ps[i], &t);
	if (c.rc == DOMAIN_OK) {
		size_t first = out->n_sections, n_summary;
		struct report_section *all;
		part_summary(&c, np, &t);
		part_areas(&c, ps, np);
		if (!np) {
			rp_section(&c, 2, "programmes", "Programmes");
			rp_para(&c, "No programme of co-production is covered by this report.");
		}
		if (c.rc != DOMAIN_OK)
			return c.rc;
		n_summary = out->n_sections - first;
		if (!(all = arena_calloc(a, out->n_sections + 8, sizeof(*all))))
			return DB_ERR;
		memcpy(all, out->sections + first, n_summary * sizeof(*all));
		memcpy(all + n_summary, out->sections, first * sizeof(*all));
		out->sections = all;
		c.cap_sections = out->n_sections + 8;
		/* The summary's figures were recorded last; the CSV lists them first too. */
		{
			size_t nf = out->n_figures, k = 0;
			struct report_figure *f = arena_calloc(a, nf ? nf : 1, sizeof(*f));
			if (!f)
				return DB_ERR;
			for (size_t i = 0; i < nf; i++)
				if (!*out->figures[i].programme)
					f[k++] = out->figures[i];
			for (size_t i = 0; i < nf; i++)
				if (*out->figures[i].programme)
					f[k++] = out->figures[i];
			out->figures = f;
			c.cap_figures = nf ? nf : 1;
		}
	}
	part_indicators(&c, ps, np);
	part_recommendations(&c, &t);
	part_context(&c, ps, np, &t);
	if (c.rc == DOMAIN_OK)
		number_charts(&c);
	return c.rc;
}

int report_chart_svg(const struct report *rep, size_t n, sbuf *out)
{
	if (n >= rep->n_charts)
		return -1;
	return chart_svg(out, &rep->charts[n]->chart);
}
