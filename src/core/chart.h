/* chart.h: the charts coprod draws itself, as SVG for pages and as a model the PDF
 * report draws with cairo.
 *
 * A chart is never the only way to read its figures: every page that shows one also
 * shows the table of the same figures and a one-line text summary beside it, and the
 * SVG carries a <title> and <desc>. Pages show a chart with
 *   <img src="...chart.svg" alt="{{title}}: {{summary}}">
 * from a route that answers resp_text(r, 200, CHART_SVG_TYPE, ...), so the SVG (which
 * we write, escaping every label) never needs to be pasted into a page unescaped.
 *
 * No floating point reaches the figures: values are int64_t fixed-point (pence for
 * money, parts per million for shares, or a value with DECIMALS decimal places). Series
 * are told apart by more than colour: bars by fill pattern as well as colour, lines by
 * marker shape and dash, and a legend names each. Counts of people are disclosed (see
 * core/disclosure.h) before they become a chart; a suppressed cell is a missing value,
 * drawn as a gap marked "fewer than N" in the table beside it, never as a bar.
 */
#ifndef CORE_CHART_H
#define CORE_CHART_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"

#define CHART_SVG_TYPE "image/svg+xml; charset=utf-8"

enum chart_kind {
	CHART_BARS,  /* horizontal bars, one group per label, one bar per series */
	CHART_LINES, /* one line per series across the labels (periods, left to right) */
};

enum chart_unit {
	CHART_COUNT,   /* whole numbers: "15" */
	CHART_PERCENT, /* parts per million, shown as "12.5%" */
	CHART_PENCE,   /* money, shown as "£1,250" */
	CHART_VALUE,   /* fixed-point with chart.decimals places: 1234 with 1 -> "123.4" */
};

struct chart_series {
	const char *name;     /* legend text */
	const int64_t *values; /* n_labels values */
	const bool *missing;  /* n_labels flags, or NULL when none is missing */
};

struct chart {
	enum chart_kind kind;
	enum chart_unit unit;
	int decimals;      /* CHART_VALUE only */
	const char *title; /* e.g. "Ethnic group: participants against Salford's population" */
	const char *summary; /* the one-line text summary, also the SVG's <desc> */
	size_t n_labels;
	const char *const *labels;
	size_t n_series;   /* 1 to 4 */
	const struct chart_series *series;
};

/* Appends a complete SVG document (with XML declaration, viewBox, <title>, <desc>,
 * axis and value labels, legend) for C. Returns 0, or -1 when C is malformed (no
 * labels, more than 4 series) or the builder ran out of room. */
int chart_svg(sbuf *out, const struct chart *c);

/* Appends one value as the chart's unit shows it: "15", "12.5%", "£1,250", "123.4". */
void chart_format_value(sbuf *b, const struct chart *c, int64_t v);

/* The largest value across the series (0 when all are missing or there are none):
 * what the axis must reach. Shared by the SVG and PDF drawings. */
int64_t chart_max_value(const struct chart *c);

/* A "nice" axis top at or above MAX (1, 2 or 5 times a power of ten, in the chart's
 * fixed-point) and the step between gridlines; shared by the SVG and PDF drawings. */
void chart_axis(int64_t max, int64_t *top, int64_t *step);

#endif
