/* report_pdf.c: the Board report as a tagged PDF drawn with cairo and pango; see
 * report.h.
 *
 * cairo 1.16 writes real, shaped text (pango) and a structure tree from cairo_tag_begin:
 * headings are H1-H3, paragraphs P, lists L/LI, tables Table/TR/TH/TD, so a screen
 * reader can move through the report as through the HTML. Each heading is also in the
 * PDF outline (bookmarks). Charts are drawn as vectors from the same struct chart as the
 * SVG, with the same axis (chart_axis) and value labels (chart_format_value).
 *
 * "Page N of M" needs M before the first page is finished, so the report is laid out
 * twice: once to count the pages (its output thrown away), once to keep. Layout is the
 * same both times, so the count is right.
 */
#include "domain/report.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <string.h>

#define PAGE_W 595.28 /* A4 in points */
#define PAGE_H 841.89
#define MARGIN 56.0
#define TOP MARGIN
#define BOTTOM (PAGE_H - MARGIN - 18.0) /* room for the footer */
#define WIDTH (PAGE_W - 2 * MARGIN)
#define CELL_PAD 4.0
#define FONT_FAMILY "Arial, Liberation Sans, sans-serif"
#define OUTLINE_MAX 256

struct pdf {
	cairo_surface_t *surface;
	cairo_t *cr;
	const struct report *rep;
	double y;
	int page, total;
	int outline_h2; /* the outline id of the latest h2, for its h3s */
	bool failed;
};

/* --- Text ------------------------------------------------------------------------------ */

static PangoLayout *layout(struct pdf *p, const char *text, const char *font, double width)
{
	PangoLayout *l = pango_cairo_create_layout(p->cr);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_text(l, text ? text : "", -1);
	return l;
}

static double layout_height(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

static void footer(struct pdf *p)
{
	char buf[64];
	PangoLayout *l;
	snprintf(buf, sizeof(buf), "Page %d of %d", p->page, p->total > 0 ? p->total : p->page);
	l = layout(p, buf, FONT_FAMILY " 9", WIDTH);
	pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
	cairo_set_source_rgb(p->cr, 0.2, 0.2, 0.2);
	cairo_move_to(p->cr, MARGIN, PAGE_H - MARGIN);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
	l = layout(p, p->rep->title, FONT_FAMILY " 9", WIDTH / 2);
	cairo_move_to(p->cr, MARGIN, PAGE_H - MARGIN);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
}

static void new_page(struct pdf *p)
{
	if (p->page > 0) {
		footer(p);
		cairo_show_page(p->cr);
	}
	p->page++;
	p->y = TOP;
}

static void ensure(struct pdf *p, double h)
{
	if (p->y + h > BOTTOM && p->y > TOP)
		new_page(p);
}

/* Draws TEXT at X across WIDTH, a line at a time so a long paragraph flows onto the next
 * page. */
static void flow(struct pdf *p, const char *text, const char *font, double x, double width)
{
	PangoLayout *l = layout(p, text, font, width);
	PangoLayoutIter *it = pango_layout_get_iter(l);
	double base = p->y; /* where the layout's top would be on this page */
	double shift = 0;   /* how far the lines so far have been pushed by page breaks */
	do {
		PangoRectangle r;
		double top, h;
		pango_layout_iter_get_line_extents(it, NULL, &r);
		top = (double)r.y / PANGO_SCALE;
		h = (double)r.height / PANGO_SCALE;
		if (base + top + shift + h > BOTTOM && base + top + shift > TOP) {
			new_page(p);
			shift = TOP - base - top;
		}
		cairo_move_to(p->cr, x, base + shift + (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE);
		pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
		p->y = base + top + shift + h;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	g_object_unref(l);
}

static void paragraph(struct pdf *p, const char *text)
{
	cairo_tag_begin(p->cr, "P", "");
	flow(p, text, FONT_FAMILY " 11", MARGIN, WIDTH);
	cairo_tag_end(p->cr, "P");
	p->y += 8;
}

static void heading(struct pdf *p, int level, const char *text)
{
	const char *tag = level <= 1 ? "H1" : level == 2 ? "H2" : "H3";
	const char *font = level <= 1 ? FONT_FAMILY " Bold 22" : level == 2 ? FONT_FAMILY " Bold 16"
									    : FONT_FAMILY " Bold 13";
	PangoLayout *l = layout(p, text, font, WIDTH);
	double h = layout_height(l);
	char attrs[64];
	int id;
	g_object_unref(l);
	/* A heading keeps at least two lines of what follows with it. */
	ensure(p, h + 40);
	p->y += level <= 2 ? 10 : 4;
	snprintf(attrs, sizeof(attrs), "page=%d pos=[%.0f %.0f]", p->page, MARGIN, p->y);
	id = cairo_pdf_surface_add_outline(p->surface, level > 2 ? p->outline_h2 : CAIRO_PDF_OUTLINE_ROOT,
					   text, attrs, 0);
	if (level <= 2)
		p->outline_h2 = id;
	cairo_tag_begin(p->cr, tag, "");
	flow(p, text, font, MARGIN, WIDTH);
	cairo_tag_end(p->cr, tag);
	p->y += 6;
}

static void list(struct pdf *p, const struct report_block *b)
{
	cairo_tag_begin(p->cr, "L", "");
	for (size_t i = 0; i < b->n_items; i++) {
		char mark[32];
		PangoLayout *l;
		if (b->numbered)
			snprintf(mark, sizeof(mark), "%zu.", i + 1);
		else
			snprintf(mark, sizeof(mark), "%s", "\u2022");
		cairo_tag_begin(p->cr, "LI", "");
		ensure(p, 16);
		cairo_tag_begin(p->cr, "Lbl", "");
		l = layout(p, mark, FONT_FAMILY " 11", 18);
		cairo_move_to(p->cr, MARGIN, p->y);
		pango_cairo_show_layout(p->cr, l);
		g_object_unref(l);
		cairo_tag_end(p->cr, "Lbl");
		cairo_tag_begin(p->cr, "LBody", "");
		flow(p, b->items[i], FONT_FAMILY " 11", MARGIN + 20, WIDTH - 20);
		cairo_tag_end(p->cr, "LBody");
		cairo_tag_end(p->cr, "LI");
		p->y += 4;
	}
	cairo_tag_end(p->cr, "L");
	p->y += 6;
}

/* --- Tables ---------------------------------------------------------------------------- */

static void column_widths(const struct report_table *t, double *w)
{
	if (t->ncols == 2) {
		w[0] = WIDTH * 0.55;
		w[1] = WIDTH * 0.45;
		return;
	}
	w[0] = t->ncols > 4 ? WIDTH * 0.28 : WIDTH * 0.34;
	for (size_t i = 1; i < t->ncols; i++)
		w[i] = (WIDTH - w[0]) / (double)(t->ncols - 1);
}

/* One row of cells; HEADER makes them all column headings. */
static void table_row(struct pdf *p, const struct report_table *t, const char **cells, bool header,
		      const double *w)
{
	double h = 0, x = MARGIN;
	PangoLayout *ls[8];
	size_t n = t->ncols < 8 ? t->ncols : 8;
	for (size_t i = 0; i < n; i++) {
		bool bold = header || (t->row_headers && i == 0);
		ls[i] = layout(p, cells[i], bold ? FONT_FAMILY " Bold 10" : FONT_FAMILY " 10",
			       w[i] - 2 * CELL_PAD);
		if (layout_height(ls[i]) > h)
			h = layout_height(ls[i]);
	}
	h += 2 * CELL_PAD;
	ensure(p, h);
	cairo_tag_begin(p->cr, "TR", "");
	for (size_t i = 0; i < n; i++) {
		const char *tag = header || (t->row_headers && i == 0) ? "TH" : "TD";
		cairo_tag_begin(p->cr, tag, "");
		cairo_move_to(p->cr, x + CELL_PAD, p->y + CELL_PAD);
		pango_cairo_show_layout(p->cr, ls[i]);
		cairo_tag_end(p->cr, tag);
		g_object_unref(ls[i]);
		x += w[i];
	}
	cairo_tag_end(p->cr, "TR");
	p->y += h;
	cairo_set_line_width(p->cr, header ? 1.0 : 0.5);
	cairo_set_source_rgb(p->cr, 0.69, 0.71, 0.72);
	cairo_move_to(p->cr, MARGIN, p->y);
	cairo_line_to(p->cr, MARGIN + WIDTH, p->y);
	cairo_stroke(p->cr);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
}

static void table(struct pdf *p, const struct report_table *t)
{
	double w[8];
	if (!t->ncols || t->ncols > 8)
		return;
	column_widths(t, w);
	cairo_tag_begin(p->cr, "Table", "");
	ensure(p, 60);
	cairo_tag_begin(p->cr, "Caption", "");
	flow(p, t->caption, FONT_FAMILY " Bold 11", MARGIN, WIDTH);
	cairo_tag_end(p->cr, "Caption");
	p->y += 4;
	table_row(p, t, t->head, true, w);
	for (size_t r = 0; r < t->nrows; r++)
		table_row(p, t, t->cells + r * t->ncols, false, w);
	cairo_tag_end(p->cr, "Table");
	p->y += 12;
}

/* --- Charts ---------------------------------------------------------------------------- */

static const double series_rgb[4][3] = {
	{0x1d / 255.0, 0x70 / 255.0, 0xb8 / 255.0},
	{0x00 / 255.0, 0x70 / 255.0, 0x3c / 255.0},
	{0x4c / 255.0, 0x2c / 255.0, 0x92 / 255.0},
	{0x0b / 255.0, 0x0c / 255.0, 0x0c / 255.0},
};

/* Fills a bar: series 0 solid; the others hatched or dotted as in the SVG, so the
 * chart still reads in black and white. */
static void fill_bar(cairo_t *cr, size_t s, double x, double y, double w, double h)
{
	const double *c = series_rgb[s % 4];
	cairo_save(cr);
	cairo_rectangle(cr, x, y, w, h);
	cairo_clip_preserve(cr);
	if (s == 0) {
		cairo_set_source_rgb(cr, c[0], c[1], c[2]);
		cairo_fill(cr);
	} else {
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, c[0], c[1], c[2]);
		cairo_set_line_width(cr, 2);
		if (s == 2) {
			for (double yy = y + 2; yy < y + h; yy += 5)
				for (double xx = x + 2; xx < x + w; xx += 5)
					cairo_rectangle(cr, xx, yy, 2, 2);
			cairo_fill(cr);
		} else {
			for (double d = -h; d < w; d += 6) {
				cairo_move_to(cr, x + d, y + h);
				cairo_line_to(cr, x + d + h, y);
			}
			cairo_stroke(cr);
		}
	}
	cairo_restore(cr);
	cairo_set_source_rgb(cr, c[0], c[1], c[2]);
	cairo_set_line_width(cr, 1);
	cairo_rectangle(cr, x, y, w, h);
	cairo_stroke(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
}

static void small_text(struct pdf *p, const char *text, double x, double y, double width,
		       PangoAlignment align)
{
	PangoLayout *l = layout(p, text, FONT_FAMILY " 9", width);
	pango_layout_set_alignment(l, align);
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
}

static void value_text(const struct chart *c, int64_t v, char *buf, size_t len)
{
	arena *a = arena_new(4096);
	sbuf b;
	buf[0] = '\0';
	if (!a)
		return;
	sbuf_init(&b, a, 256);
	chart_format_value(&b, c, v);
	snprintf(buf, len, "%s", b.err ? "" : b.buf);
	arena_free(a);
}

/* Horizontal bars, as CHART_BARS in the SVG: one group per label, one bar per series. */
static void chart_draw(struct pdf *p, const struct chart *c)
{
	const double label_w = 150, bar_h = 12, gap = 10;
	size_t ns = c->n_series > 4 ? 4 : c->n_series;
	double plot_x = MARGIN + label_w, plot_w = WIDTH - label_w - 40;
	double group_h = (double)ns * bar_h + gap;
	double h = 30 + (double)c->n_labels * group_h + 20 + 18 * (double)ns;
	int64_t top, step, max = chart_max_value(c);
	char buf[64];
	double y0;

	if (c->kind != CHART_BARS || !c->n_labels || !ns)
		return;
	chart_axis(max, &top, &step);
	if (top <= 0)
		top = 1;
	if (step <= 0)
		step = top;
	ensure(p, h);
	cairo_tag_begin(p->cr, "Figure", "");
	flow(p, c->title, FONT_FAMILY " Bold 11", MARGIN, WIDTH);
	y0 = p->y + 6;
	/* Gridlines and their values. */
	for (int64_t v = 0; v <= top; v += step) {
		double x = plot_x + plot_w * (double)v / (double)top;
		cairo_set_source_rgb(p->cr, 0.8, 0.8, 0.8);
		cairo_set_line_width(p->cr, 0.5);
		cairo_move_to(p->cr, x, y0);
		cairo_line_to(p->cr, x, y0 + (double)c->n_labels * group_h);
		cairo_stroke(p->cr);
		cairo_set_source_rgb(p->cr, 0, 0, 0);
		value_text(c, v, buf, sizeof(buf));
		small_text(p, buf, x - 30, y0 + (double)c->n_labels * group_h + 2, 60, PANGO_ALIGN_CENTER);
	}
	for (size_t i = 0; i < c->n_labels; i++) {
		double gy = y0 + (double)i * group_h;
		small_text(p, c->labels[i], MARGIN, gy, label_w - 8, PANGO_ALIGN_LEFT);
		for (size_t s = 0; s < ns; s++) {
			double by = gy + (double)s * bar_h;
			if (c->series[s].missing && c->series[s].missing[i])
				continue;
			double w = plot_w * (double)c->series[s].values[i] / (double)top;
			if (w > 0)
				fill_bar(p->cr, s, plot_x, by + 1, w, bar_h - 2);
			value_text(c, c->series[s].values[i], buf, sizeof(buf));
			small_text(p, buf, plot_x + w + 3, by, 60, PANGO_ALIGN_LEFT);
		}
	}
	p->y = y0 + (double)c->n_labels * group_h + 18;
	/* Legend. */
	for (size_t s = 0; s < ns; s++) {
		fill_bar(p->cr, s, MARGIN, p->y + 2, 14, 10);
		small_text(p, c->series[s].name, MARGIN + 20, p->y, WIDTH - 20, PANGO_ALIGN_LEFT);
		p->y += 16;
	}
	cairo_tag_end(p->cr, "Figure");
	p->y += 8;
}

/* Lines, as CHART_LINES in the SVG: one line per series across the labels (periods),
 * told apart by dash and marker as well as colour; a missing value breaks the line. */
static void lines_draw(struct pdf *p, const struct chart *c)
{
	static const double dashes[4][2] = {{0, 0}, {6, 3}, {2, 3}, {8, 3}};
	const double plot_x = MARGIN + 50, plot_w = WIDTH - 60, plot_h = 160;
	size_t ns = c->n_series > 4 ? 4 : c->n_series;
	size_t every = c->n_labels > 8 ? (c->n_labels + 7) / 8 : 1;
	int64_t top, step, max = chart_max_value(c);
	double y0, legend_h = 16 * (double)ns;
	char buf[64];

	if (!c->n_labels || !ns)
		return;
	chart_axis(max, &top, &step);
	if (top <= 0)
		top = 1;
	if (step <= 0)
		step = top;
	ensure(p, plot_h + 60 + legend_h);
	cairo_tag_begin(p->cr, "Figure", "");
	flow(p, c->title, FONT_FAMILY " Bold 11", MARGIN, WIDTH);
	y0 = p->y + 8;
	for (int64_t v = 0; v <= top; v += step) {
		double y = y0 + plot_h - plot_h * (double)v / (double)top;
		cairo_set_source_rgb(p->cr, 0.8, 0.8, 0.8);
		cairo_set_line_width(p->cr, 0.5);
		cairo_move_to(p->cr, plot_x, y);
		cairo_line_to(p->cr, plot_x + plot_w, y);
		cairo_stroke(p->cr);
		cairo_set_source_rgb(p->cr, 0, 0, 0);
		value_text(c, v, buf, sizeof(buf));
		small_text(p, buf, MARGIN, y - 6, 46, PANGO_ALIGN_RIGHT);
	}
	for (size_t i = 0; i < c->n_labels; i += every) {
		double x = c->n_labels > 1 ? plot_x + plot_w * (double)i / (double)(c->n_labels - 1)
					   : plot_x + plot_w / 2;
		small_text(p, c->labels[i], x - 35, y0 + plot_h + 4, 70, PANGO_ALIGN_CENTER);
	}
	for (size_t s = 0; s < ns; s++) {
		const double *rgb = series_rgb[s % 4];
		bool drawing = false;
		cairo_set_source_rgb(p->cr, rgb[0], rgb[1], rgb[2]);
		cairo_set_line_width(p->cr, 2);
		if (dashes[s % 4][0] > 0)
			cairo_set_dash(p->cr, dashes[s % 4], 2, 0);
		for (size_t i = 0; i < c->n_labels; i++) {
			double x = c->n_labels > 1 ? plot_x + plot_w * (double)i / (double)(c->n_labels - 1)
						   : plot_x + plot_w / 2;
			double y = y0 + plot_h - plot_h * (double)c->series[s].values[i] / (double)top;
			if (c->series[s].missing && c->series[s].missing[i]) {
				if (drawing)
					cairo_stroke(p->cr);
				drawing = false;
				continue;
			}
			if (drawing)
				cairo_line_to(p->cr, x, y);
			else
				cairo_move_to(p->cr, x, y);
			drawing = true;
		}
		if (drawing)
			cairo_stroke(p->cr);
		cairo_set_dash(p->cr, NULL, 0, 0);
		/* Markers: circles for the first series, squares for the second, ... */
		for (size_t i = 0; i < c->n_labels; i++) {
			double x = c->n_labels > 1 ? plot_x + plot_w * (double)i / (double)(c->n_labels - 1)
						   : plot_x + plot_w / 2;
			double y = y0 + plot_h - plot_h * (double)c->series[s].values[i] / (double)top;
			if (c->series[s].missing && c->series[s].missing[i])
				continue;
			if (s % 2 == 0)
				cairo_arc(p->cr, x, y, 3, 0, 6.2832);
			else
				cairo_rectangle(p->cr, x - 3, y - 3, 6, 6);
			cairo_fill(p->cr);
		}
		cairo_set_source_rgb(p->cr, 0, 0, 0);
	}
	p->y = y0 + plot_h + 22;
	for (size_t s = 0; s < ns; s++) {
		const double *rgb = series_rgb[s % 4];
		cairo_set_source_rgb(p->cr, rgb[0], rgb[1], rgb[2]);
		cairo_set_line_width(p->cr, 2);
		if (dashes[s % 4][0] > 0)
			cairo_set_dash(p->cr, dashes[s % 4], 2, 0);
		cairo_move_to(p->cr, MARGIN, p->y + 7);
		cairo_line_to(p->cr, MARGIN + 16, p->y + 7);
		cairo_stroke(p->cr);
		cairo_set_dash(p->cr, NULL, 0, 0);
		cairo_set_source_rgb(p->cr, 0, 0, 0);
		small_text(p, c->series[s].name, MARGIN + 22, p->y, WIDTH - 22, PANGO_ALIGN_LEFT);
		p->y += 16;
	}
	cairo_tag_end(p->cr, "Figure");
	p->y += 8;
}

/* --- The document ---------------------------------------------------------------------- */

static void draw_report(struct pdf *p)
{
	const struct report *rep = p->rep;
	char line[512];
	new_page(p);
	cairo_tag_begin(p->cr, "Document", "");
	heading(p, 1, rep->title);
	snprintf(line, sizeof(line), "%s Health and Wellbeing Board. Period covered: %s.%s%s%s%s%s%s",
		 rep->place, rep->period_text, *rep->prepared_text ? " Prepared on " : "",
		 rep->prepared_text, *rep->prepared_text ? "." : "",
		 *rep->figures_to_text ? " Figures to " : "", rep->figures_to_text,
		 *rep->figures_to_text ? "." : "");
	paragraph(p, line);
	for (size_t i = 0; i < rep->n_sections; i++) {
		const struct report_section *s = &rep->sections[i];
		heading(p, s->level, s->heading);
		for (size_t k = 0; k < s->n_blocks; k++) {
			const struct report_block *b = &s->blocks[k];
			switch (b->kind) {
			case RB_PARA:
				paragraph(p, b->text);
				break;
			case RB_LIST:
				list(p, b);
				break;
			case RB_TABLE:
				table(p, &b->table);
				break;
			case RB_CHART:
				if (b->chart.kind == CHART_LINES)
					lines_draw(p, &b->chart);
				else
					chart_draw(p, &b->chart);
				paragraph(p, b->text);
				table(p, &b->table);
				break;
			}
		}
	}
	cairo_tag_end(p->cr, "Document");
	footer(p);
	cairo_show_page(p->cr);
}

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len)
{
	sbuf *out = closure;
	if (!out)
		return CAIRO_STATUS_SUCCESS; /* the counting pass */
	sbuf_add(out, data, len);
	return out->err ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* Lays the report out on a PDF surface writing to OUT (NULL: discard). Returns the
 * number of pages, or -1. */
static int render(const struct report *rep, int total, sbuf *out)
{
	struct pdf p = {.rep = rep, .total = total};
	cairo_status_t st;
	p.surface = cairo_pdf_surface_create_for_stream(write_out, out, PAGE_W, PAGE_H);
	if (cairo_surface_status(p.surface) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(p.surface);
		return -1;
	}
	cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_TITLE, rep->title);
	cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_SUBJECT, rep->period_text);
	cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_CREATOR, "coprod");
	/* The file's own dates are the day it was prepared, not the moment it was written,
	 * so the same records give the same file. */
	{
		struct date d = date_valid(rep->prepared_on) ? rep->prepared_on : rep->to;
		char when[32];
		snprintf(when, sizeof(when), "%04d-%02d-%02dT00:00:00", d.y % 10000, d.m % 100,
			 d.d % 100);
		cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_CREATE_DATE, when);
		cairo_pdf_surface_set_metadata(p.surface, CAIRO_PDF_METADATA_MOD_DATE, when);
	}
	p.cr = cairo_create(p.surface);
	draw_report(&p);
	cairo_destroy(p.cr);
	cairo_surface_finish(p.surface);
	st = cairo_surface_status(p.surface);
	cairo_surface_destroy(p.surface);
	return st == CAIRO_STATUS_SUCCESS ? p.page : -1;
}

int report_pdf(arena *a, const struct report *rep, sbuf *out)
{
	int pages;
	(void)a;
	if ((pages = render(rep, 0, NULL)) < 0)
		return -1;
	if (render(rep, pages, out) != pages || out->err)
		return -1;
	return 0;
}
