/* chart.c: SVG drawing of the chart model in chart.h. Written here because Debian has
 * no C library that writes accessible SVG charts (with title, description, patterns
 * and our own number formats) without bringing a whole plotting stack.
 *
 * Geometry is in whole SVG user units inside a fixed-width viewBox, so the image
 * scales down to a phone's width; every label is XML-escaped. Positions are computed in
 * integer arithmetic from the fixed-point values (no floating point, so the same figures
 * always give the same bytes).
 */
#include "core/chart.h"

#include <string.h>

#include "core/escape.h"
#include "core/money.h"

#define W 640 /* viewBox width */
#define MAX_SERIES 4

/* Fills and strokes with at least 3:1 contrast against white (WCAG 1.4.11); patterns
 * and marker shapes tell series apart without colour. */
static const char *const colour[MAX_SERIES] = {"#1d70b8", "#00703c", "#4c2c92", "#0b0c0c"};
static const char *const dash[MAX_SERIES] = {"", "8 4", "2 4", "10 4 2 4"};

static void text(sbuf *b, const char *s)
{
	esc_html(b, sv_from(s ? s : ""));
}

static void add_thousands(sbuf *b, uint64_t v)
{
	char digits[24];
	int n = 0;
	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (int i = n - 1; i >= 0; i--) {
		sbuf_addc(b, digits[i]);
		if (i > 0 && i % 3 == 0)
			sbuf_addc(b, ',');
	}
}

void chart_format_value(sbuf *b, const struct chart *c, int64_t v)
{
	uint64_t abs = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	switch (c->unit) {
	case CHART_PENCE:
		money_format(b, v);
		return;
	case CHART_PERCENT: {
		uint64_t tenths = (abs + 500) / 1000;
		sbuf_addf(b, "%s%llu.%llu%%", v < 0 ? "-" : "", (unsigned long long)(tenths / 10),
			  (unsigned long long)(tenths % 10));
		return;
	}
	case CHART_VALUE: {
		uint64_t scale = 1;
		int d = c->decimals < 0 ? 0 : c->decimals > 6 ? 6 : c->decimals;
		for (int i = 0; i < d; i++)
			scale *= 10;
		if (v < 0)
			sbuf_addc(b, '-');
		add_thousands(b, abs / scale);
		if (d > 0)
			sbuf_addf(b, ".%0*llu", d, (unsigned long long)(abs % scale));
		return;
	}
	case CHART_COUNT:
	default:
		if (v < 0)
			sbuf_addc(b, '-');
		add_thousands(b, abs);
		return;
	}
}

int64_t chart_max_value(const struct chart *c)
{
	int64_t max = 0;
	for (size_t s = 0; s < c->n_series; s++)
		for (size_t i = 0; i < c->n_labels; i++) {
			if (c->series[s].missing && c->series[s].missing[i])
				continue;
			if (c->series[s].values[i] > max)
				max = c->series[s].values[i];
		}
	return max;
}

void chart_axis(int64_t max, int64_t *top, int64_t *step)
{
	int64_t p = 1;
	if (max <= 0) {
		*top = 1;
		*step = 1;
		return;
	}
	/* The smallest of 1, 2, 5 x 10^n at or above max / 4 gives four or five gridlines. */
	for (;;) {
		static const int m[] = {1, 2, 5};
		for (int i = 0; i < 3; i++) {
			int64_t s = p * m[i];
			if (s * 5 >= max) {
				*step = s;
				*top = (max + s - 1) / s * s;
				return;
			}
		}
		if (p > INT64_MAX / 100) {
			*step = max;
			*top = max;
			return;
		}
		p *= 10;
	}
}

/* X position (0..span) of V on an axis from 0 to TOP. */
static int64_t scale_to(int64_t v, int64_t top, int64_t span)
{
	if (v <= 0 || top <= 0)
		return 0;
	if (v >= top)
		return span;
	/* v * span may overflow for pence in the billions: divide first when large. */
	if (v > INT64_MAX / (span + 1))
		return v / (top / span + 1);
	return v * span / top;
}

static bool missing(const struct chart *c, size_t s, size_t i)
{
	return c->series[s].missing && c->series[s].missing[i];
}

static void open_svg(sbuf *b, const struct chart *c, int height)
{
	sbuf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	sbuf_addf(b,
		  "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
		  "height=\"%d\" role=\"img\" aria-labelledby=\"t d\" "
		  "font-family=\"Arial, sans-serif\" font-size=\"14\">\n<title id=\"t\">",
		  W, height, W, height);
	text(b, c->title);
	sbuf_adds(b, "</title>\n<desc id=\"d\">");
	text(b, c->summary);
	sbuf_adds(b, "</desc>\n<defs>\n");
	/* Series 1 and 2 are hatched, 3 dotted, so print in black and white still works. */
	sbuf_addf(b,
		  "<pattern id=\"p1\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" "
		  "patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"#fff\"/>"
		  "<rect width=\"4\" height=\"8\" fill=\"%s\"/></pattern>\n",
		  colour[1]);
	sbuf_addf(b,
		  "<pattern id=\"p2\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">"
		  "<rect width=\"6\" height=\"6\" fill=\"#fff\"/><circle cx=\"3\" cy=\"3\" r=\"2\" "
		  "fill=\"%s\"/></pattern>\n",
		  colour[2]);
	sbuf_addf(b,
		  "<pattern id=\"p3\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" "
		  "patternTransform=\"rotate(-45)\"><rect width=\"8\" height=\"8\" fill=\"#fff\"/>"
		  "<rect width=\"3\" height=\"8\" fill=\"%s\"/></pattern>\n",
		  colour[3]);
	sbuf_addf(b, "</defs>\n<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n", W, height);
}

static void fill_of(sbuf *b, size_t s)
{
	if (s == 0)
		sbuf_addf(b, "fill=\"%s\"", colour[0]);
	else
		sbuf_addf(b, "fill=\"url(#p%zu)\" stroke=\"%s\" stroke-width=\"1\"", s, colour[s]);
}

static void marker(sbuf *b, size_t s, int64_t x, int64_t y)
{
	long long X = (long long)x, Y = (long long)y;
	switch (s) {
	case 0:
		sbuf_addf(b, "<circle cx=\"%lld\" cy=\"%lld\" r=\"5\" fill=\"%s\"/>\n", X, Y,
			  colour[0]);
		break;
	case 1:
		sbuf_addf(b, "<rect x=\"%lld\" y=\"%lld\" width=\"10\" height=\"10\" fill=\"%s\"/>\n",
			  X - 5, Y - 5, colour[1]);
		break;
	case 2:
		sbuf_addf(b, "<path d=\"M%lld %lldl6 10h-12z\" fill=\"%s\"/>\n", X, Y - 6,
			  colour[2]);
		break;
	default:
		sbuf_addf(b, "<path d=\"M%lld %lldl6 6l-6 6l-6 -6z\" fill=\"%s\"/>\n", X, Y - 6,
			  colour[3]);
		break;
	}
}

/* The legend, one row per series, from Y; returns the height used. */
static int legend(sbuf *b, const struct chart *c, int y, bool lines)
{
	for (size_t s = 0; s < c->n_series; s++) {
		int ry = y + (int)s * 22;
		if (lines) {
			sbuf_addf(b, "<line x1=\"0\" y1=\"%d\" x2=\"30\" y2=\"%d\" stroke=\"%s\" "
				     "stroke-width=\"3\"%s%s%s/>\n",
				  ry + 8, ry + 8, colour[s], *dash[s] ? " stroke-dasharray=\"" : "",
				  dash[s], *dash[s] ? "\"" : "");
			marker(b, s, 15, ry + 8);
		} else {
			sbuf_addf(b, "<rect x=\"0\" y=\"%d\" width=\"30\" height=\"16\" ", ry);
			fill_of(b, s);
			sbuf_adds(b, "/>\n");
		}
		sbuf_addf(b, "<text x=\"40\" y=\"%d\">", ry + 13);
		text(b, c->series[s].name);
		sbuf_adds(b, "</text>\n");
	}
	return (int)c->n_series * 22 + 8;
}

static int bars(sbuf *b, const struct chart *c)
{
	const int bar_h = 18, label_h = 22, gap = 14, span = 520;
	int group_h = label_h + (int)c->n_series * (bar_h + 4) + gap;
	int top_y = (int)c->n_series * 22 + 8 + 8;
	int height = top_y + (int)c->n_labels * group_h + 30;
	int64_t top, step;
	chart_axis(chart_max_value(c), &top, &step);

	open_svg(b, c, height);
	legend(b, c, 4, false);
	int axis_y = height - 24;
	/* Gridlines and their values along the bottom. */
	for (int64_t v = 0; v <= top; v += step) {
		int64_t x = scale_to(v, top, span);
		sbuf_addf(b, "<line x1=\"%lld\" y1=\"%d\" x2=\"%lld\" y2=\"%d\" stroke=\"#b1b4b6\"/>\n",
			  (long long)x, top_y, (long long)x, axis_y);
		sbuf_addf(b, "<text x=\"%lld\" y=\"%d\" text-anchor=\"%s\">", (long long)x,
			  axis_y + 18, v == 0 ? "start" : "middle");
		chart_format_value(b, c, v);
		sbuf_adds(b, "</text>\n");
	}
	for (size_t i = 0; i < c->n_labels; i++) {
		int gy = top_y + (int)i * group_h;
		sbuf_addf(b, "<text x=\"0\" y=\"%d\" font-weight=\"bold\">", gy + 15);
		text(b, c->labels[i]);
		sbuf_adds(b, "</text>\n");
		for (size_t s = 0; s < c->n_series; s++) {
			int by = gy + label_h + (int)s * (bar_h + 4);
			if (missing(c, s, i)) {
				sbuf_addf(b, "<text x=\"4\" y=\"%d\" font-style=\"italic\">", by + 14);
				text(b, c->series[s].name);
				sbuf_adds(b, ": not shown</text>\n");
				continue;
			}
			int64_t v = c->series[s].values[i];
			int64_t w = scale_to(v, top, span);
			sbuf_addf(b, "<rect x=\"0\" y=\"%d\" width=\"%lld\" height=\"%d\" ", by,
				  (long long)w, bar_h);
			fill_of(b, s);
			sbuf_adds(b, "/>\n");
			sbuf_addf(b, "<text x=\"%lld\" y=\"%d\">", (long long)w + 6, by + 14);
			chart_format_value(b, c, v);
			sbuf_adds(b, "</text>\n");
		}
	}
	sbuf_adds(b, "</svg>\n");
	return 0;
}

/* The x position of period I: spread evenly, one period sits in the middle. */
static int64_t x_at(const struct chart *c, size_t i, int left, int64_t span)
{
	if (c->n_labels == 1)
		return left + span / 2;
	return left + span * (int64_t)i / (int64_t)(c->n_labels - 1);
}

static int lines(sbuf *b, const struct chart *c)
{
	const int left = 90, right = 30, plot_h = 240;
	int top_y = (int)c->n_series * 22 + 8 + 14;
	int height = top_y + plot_h + 60;
	int bottom = top_y + plot_h;
	int64_t span = W - left - right;
	int64_t top, step;
	chart_axis(chart_max_value(c), &top, &step);

	open_svg(b, c, height);
	legend(b, c, 4, true);
	for (int64_t v = 0; v <= top; v += step) {
		int64_t y = bottom - scale_to(v, top, plot_h);
		sbuf_addf(b, "<line x1=\"%d\" y1=\"%lld\" x2=\"%d\" y2=\"%lld\" stroke=\"#b1b4b6\"/>\n",
			  left, (long long)y, W - right, (long long)y);
		sbuf_addf(b, "<text x=\"%d\" y=\"%lld\" text-anchor=\"end\">", left - 8,
			  (long long)y + 5);
		chart_format_value(b, c, v);
		sbuf_adds(b, "</text>\n");
	}
	/* Label every period when they fit, else every k-th (the table beside has all). */
	size_t every = c->n_labels <= 8 ? 1 : (c->n_labels + 7) / 8;
	for (size_t i = 0; i < c->n_labels; i++) {
		int64_t x = x_at(c, i, left, span);
		if (i % every != 0 && i != c->n_labels - 1)
			continue;
		sbuf_addf(b, "<text x=\"%lld\" y=\"%d\" text-anchor=\"middle\">", (long long)x,
			  bottom + 22);
		text(b, c->labels[i]);
		sbuf_adds(b, "</text>\n");
	}
	for (size_t s = 0; s < c->n_series; s++) {
		bool pen_down = false;
		sbuf_addf(b, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"3\"%s%s%s d=\"",
			  colour[s], *dash[s] ? " stroke-dasharray=\"" : "", dash[s],
			  *dash[s] ? "\"" : "");
		for (size_t i = 0; i < c->n_labels; i++) {
			if (missing(c, s, i)) {
				pen_down = false; /* a gap, not a line across a missing period */
				continue;
			}
			int64_t x = x_at(c, i, left, span);
			int64_t y = bottom - scale_to(c->series[s].values[i], top, plot_h);
			sbuf_addf(b, "%c%lld %lld ", pen_down ? 'L' : 'M', (long long)x, (long long)y);
			pen_down = true;
		}
		sbuf_adds(b, "\"/>\n");
		for (size_t i = 0; i < c->n_labels; i++) {
			if (missing(c, s, i))
				continue;
			int64_t x = x_at(c, i, left, span);
			int64_t y = bottom - scale_to(c->series[s].values[i], top, plot_h);
			marker(b, s, x, y);
		}
	}
	sbuf_adds(b, "</svg>\n");
	return 0;
}

int chart_svg(sbuf *out, const struct chart *c)
{
	if (!c || c->n_labels == 0 || !c->labels || c->n_series == 0 ||
	    c->n_series > MAX_SERIES || !c->series)
		return -1;
	for (size_t s = 0; s < c->n_series; s++)
		if (!c->series[s].values)
			return -1;
	int rc = c->kind == CHART_LINES ? lines(out, c) : bars(out, c);
	return rc == 0 && !out->err ? 0 : -1;
}
