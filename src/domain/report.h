/* report.h: the six-monthly progress report on co-production to the Health and Wellbeing
 * Board (seed 001 section 7.2: "request a report to the Board on progress with
 * co-production every six months").
 *
 * report_build gathers the figures for a half-year (or any period) from the records into
 * one plain document: sections with headings, paragraphs, lists, tables and charts, in
 * the shape of the Board paper of seed 001 (an executive summary table; then one part per
 * programme: priority areas and stage on the journey, who took part, sessions held and
 * attendance, ideas and their fate, decisions and the balance of power, proposals and the
 * Board's decisions, co-delivery, money, self-assessment, indicators, case studies and
 * learning; recommendations; and the contextual information). Three writers turn the
 * same document into an accessible HTML page (report_html.c), a tagged PDF
 * (report_pdf.c) and the figures behind it as CSV (report_csv.c), so the three always
 * agree. `coprod report` runs them from the shell (report_cli.c).
 *
 * The same records give the same report: nothing in the body depends on the clock but
 * the period and the "prepared on" date the caller passes in. Every count of people is
 * disclosed through core/disclosure.h before it enters the document, so no writer can
 * show a small number. Counts of contributions (ideas, amendments, positions) and of
 * sessions are not counts of people and are shown as they are (see power.h).
 *
 * Everything lives in the caller's arena.
 */
#ifndef DOMAIN_REPORT_H
#define DOMAIN_REPORT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/chart.h"
#include "core/date.h"
#include "core/str.h"
#include "db/db.h"

#define REPORT_PERIOD_MAX_DAYS 800 /* a report covers at most about two years */
#define REPORT_OUT_MAX (32u * 1024 * 1024) /* bytes of one rendered report */

enum report_block_kind {
	RB_PARA,  /* a paragraph of TEXT */
	RB_LIST,  /* a bulleted (or, with NUMBERED, numbered) list of ITEMS */
	RB_TABLE, /* TABLE */
	RB_CHART, /* CHART, with TABLE holding the same figures and TEXT its summary */
};

struct report_table {
	const char *caption;
	size_t ncols, nrows;
	const char **head;  /* NCOLS column headings */
	const char **cells; /* NROWS * NCOLS texts, row by row, as shown */
	bool row_headers;   /* the first cell of each row names the row */
};

struct report_block {
	enum report_block_kind kind;
	const char *text;
	const char **items;
	size_t n_items;
	bool numbered;
	struct report_table table;
	struct chart chart;
	size_t chart_no; /* which chart of the report this is (0-based), for its image */
};

struct report_section {
	int level;              /* 2 for a part of the report, 3 for a part of a programme */
	const char *id;         /* a fragment id, unique in the report */
	const char *heading;
	const char *figures_section; /* the section its figures name in the CSV; NULL: heading */
	struct report_block *blocks;
	size_t n_blocks;
};

/* One figure of the report as shown, for the CSV. */
struct report_figure {
	const char *section, *programme, *measure, *value;
};

struct report {
	const char *title;       /* "Progress report on co-production" */
	const char *place;       /* "Salford" */
	const char *period_text; /* "1 July 2022 to 31 December 2022" */
	const char *prepared_text; /* "14 January 2023" */
	/* When the period had not ended by the day it was prepared: that day ("22 November
	 * 2026"), which the report names as "Figures to ..."; "" for a period that has ended. */
	const char *figures_to_text;
	struct date from, to, prepared_on;
	struct report_section *sections;
	size_t n_sections;
	struct report_figure *figures;
	size_t n_figures;
	struct report_block **charts; /* the chart blocks, by chart_no */
	size_t n_charts;
};

struct report_options {
	struct date from, to;     /* the period, both days included */
	struct date prepared_on;  /* shown on the cover; the caller passes today */
	const char *place;        /* NULL for "Salford" */
	/* Which programmes the report covers: every programme when ALL, else only those in
	 * PROGRAMME_IDS (a facilitator's own programmes). */
	bool all;
	const int64_t *programme_ids;
	size_t n_programme_ids;
};

/* Checks a period typed or passed on the command line: both real dates, TO not before
 * FROM, at most REPORT_PERIOD_MAX_DAYS long. Returns NULL when fine, else a plain-English
 * message. */
const char *report_period_check(struct date from, struct date to);

/* The half-year before DAY: 1 January to 30 June or 1 July to 31 December. */
void report_last_half_year(struct date day, struct date *from, struct date *to);

/* Builds the report for O into *OUT. Returns DOMAIN_OK, DOMAIN_EINVALID for a bad period
 * (see report_period_check) or a DB_E* code. Read-only: the caller may hold a read
 * snapshot. */
int report_build(db *d, arena *a, const struct report_options *o, struct report *out);

/* The HTML of the report's body (headings from h1, tables with captions, charts as
 * <img> with alt text beside the table of their figures), all escaped. CHART_SRC is a
 * printf format with one %zu for the chart number, giving each chart image's address;
 * NULL leaves charts as their tables and summaries only. Uses the embedded templates
 * (tmpl_init must have run). Returns 0 or -1. */
int report_html_body(arena *a, const struct report *rep, const char *chart_src, sbuf *out);
/* The page context report_body.html renders ({sections: [...]}), for a page that shows
 * the report inside its own layout. Arena-owned. */
struct tval;
struct tval *report_html_context(arena *a, const struct report *rep, const char *chart_src);
/* A whole standalone HTML document (for `coprod report`), charts drawn inline as data
 * addresses. Returns 0 or -1. */
int report_html_document(arena *a, const struct report *rep, sbuf *out);

/* The report as a tagged PDF (A4, real text, headings as H1-H3 structure, page numbers
 * "Page N of M", vector charts) into OUT. Returns 0 or -1. */
int report_pdf(arena *a, const struct report *rep, sbuf *out);

/* The figures behind the report as CSV: a header, then one row per figure with its
 * section, programme, measure and value as shown (suppressed counts as "fewer than 10").
 * Returns 0 or -1. */
int report_csv(arena *a, const struct report *rep, sbuf *out);

/* The SVG of chart N of the report. Returns 0, or -1 when there is no such chart. */
int report_chart_svg(const struct report *rep, size_t n, sbuf *out);

/* `coprod report --db FILE --from YYYY-MM-DD --to YYYY-MM-DD --format pdf|html|csv
 * --out FILE`, with ARGV[0] "report". Returns the process exit code: 0 done, 2 bad
 * usage (unknown option or format, bad dates, TO before FROM), 1 anything else. */
int report_cli(int argc, char **argv);

#endif
