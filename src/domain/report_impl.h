/* report_impl.h: what the files that gather the Board report share (report.c builds the
 * document and the journey's parts; report_evidence.c the money, equality,
 * self-assessment and learning parts). Not for use outside src/domain/report*.c.
 *
 * A build holds a sticky error: once a helper fails, later ones do nothing and
 * report_build returns the first error. Every text is arena memory of the build.
 */
#ifndef DOMAIN_REPORT_IMPL_H
#define DOMAIN_REPORT_IMPL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/report.h"

#define TO_COMPLETE "To be completed by the report's author."

/* The state of one build: the document so far and a sticky error. */
struct ctx {
	db *d;
	arena *a;
	int rc;
	struct report *rep;
	size_t cap_sections, cap_blocks, cap_figures;
	const char *programme; /* the programme the figures being added belong to, or "" */
	char from[11], to[11]; /* the period as 'YYYY-MM-DD' */
	char end[11];          /* the day after the period: timestamps are compared with it */
};


struct prog {
	int64_t id;
	char *slug, *name;
};

/* Totals over the programmes the report covers, for the summary. */
struct totals {
	int64_t sessions, ideas, decisions, proposals, supported, pending, case_studies;
	int64_t funding_agreed;
	int64_t budget, spent, paid; /* pence: budgets, spend in the period, paid to people */
	int64_t *people; /* true counts per programme, for disclosure_total */
	size_t n_people;
};


/* A table being filled row by row. */
struct rp_tb {
	struct report_table t;
	size_t cap;
};


/* The first error wins. */
void rp_fail(struct ctx *c, int rc);
/* printf into the build's arena ("" after a failure). */
char *rp_fmt(struct ctx *c, const char *f, ...) __attribute__((format(printf, 2, 3)));
/* Starts a section: LEVEL 2 for a part of the report, 3 for a part of a programme; ID is
 * its fragment id, unique in the report. */
void rp_section(struct ctx *c, int level, const char *id, const char *heading);
/* Blocks of the current section. */
void rp_para(struct ctx *c, const char *text);
void rp_list(struct ctx *c, const char **items, size_t n, bool numbered);
/* Records one figure of the current section (and programme) for the CSV; returns VALUE. */
const char *rp_figure(struct ctx *c, const char *measure, const char *value);
/* Tables: rows of NCOLS cells; rp_tb_fig adds a "measure | value" row that is also a
 * figure; rp_tb_end adds the table to the current section. */
void rp_tb_init(struct rp_tb *tb, const char *caption, size_t ncols, const char **head,
		bool row_headers);
void rp_tb_row(struct ctx *c, struct rp_tb *tb, const char **cells);
void rp_tb_fig(struct ctx *c, struct rp_tb *tb, const char *measure, const char *value);
void rp_tb_end(struct ctx *c, struct rp_tb *tb);
/* A chart of N labels and NS series, with the table of its figures (HEAD: NS + 1 column
 * headings) and SUMMARY beside it; each value is a figure. */
void rp_chart(struct ctx *c, const char *title, const char *summary, enum chart_unit unit,
	      const char **labels, size_t n, const struct chart_series *series, size_t ns,
	      const char **head);
/* A line chart of MILLI (values in thousandths, shown with DECIMALS places) across the
 * periods LABELS, with its table and summary: the outcome indicators. */
void rp_chart_lines(struct ctx *c, const char *title, const char *summary, int decimals,
		    const char **labels, size_t n, const struct chart_series *milli, size_t ns,
		    const char **head);
/* "15"; a count of people as disclosed ("fewer than 10", "15"); "14 June 2022". */
const char *rp_num(struct ctx *c, int64_t v);
const char *rp_people(struct ctx *c, int64_t true_count);
const char *rp_date(struct ctx *c, struct date d);
/* The number in the first column of the first row of SQL (a literal: the statement cache
 * keeps it), with parameters described by F: 'i' int64_t, 's' C string. 0 on no row. */
int64_t rp_q(struct ctx *c, const char *sql, const char *f, ...);
/* The same with (programme id, period's first day, day after the period) bound. */
int64_t rp_qp(struct ctx *c, int64_t pid, const char *sql);

/* The parts from the other modules' records (report_evidence.c). */
void rp_part_equality(struct ctx *c, const struct prog *p);
void rp_part_money(struct ctx *c, const struct prog *p, struct totals *t);
void rp_part_assessment(struct ctx *c, const struct prog *p);
void rp_part_learning(struct ctx *c, const struct prog *p);

#endif
