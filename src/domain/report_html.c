/* report_html.c: the Board report as HTML, through the embedded templates report_body
 * and report_document, so every text is escaped by the template engine; see report.h. */
#include "domain/report.h"

#include "tmpl/tmpl.h"

static tval *strings(arena *a, const char **items, size_t n)
{
	tval *l = tv_list(a);
	for (size_t i = 0; i < n; i++)
		tv_push(l, tv_str(a, items[i]));
	return l;
}

static tval *table_value(arena *a, const struct report_table *t)
{
	tval *m = tv_map(a), *rows = tv_list(a);
	tv_set_str(m, "caption", t->caption);
	tv_set(m, "head", strings(a, t->head, t->ncols));
	for (size_t r = 0; r < t->nrows; r++) {
		tval *row = tv_map(a);
		const char **cells = t->cells + r * t->ncols;
		tv_set_str(row, "header", cells[0]);
		tv_set(row, "cells", strings(a, cells + 1, t->ncols - 1));
		tv_push(rows, row);
	}
	tv_set(m, "rows", rows);
	return m;
}

static tval *block_value(arena *a, const struct report_block *b, const char *chart_src)
{
	tval *m = tv_map(a);
	tv_set_bool(m, "is_para", b->kind == RB_PARA);
	tv_set_bool(m, "is_list", b->kind == RB_LIST);
	tv_set_bool(m, "is_table", b->kind == RB_TABLE || b->kind == RB_CHART);
	tv_set_bool(m, "is_chart", b->kind == RB_CHART);
	tv_set_bool(m, "numbered", b->numbered);
	tv_set_str(m, "text", b->text);
	if (b->kind == RB_LIST)
		tv_set(m, "items", strings(a, b->items, b->n_items));
	if (b->kind == RB_TABLE || b->kind == RB_CHART)
		tv_set(m, "table", table_value(a, &b->table));
	if (b->kind == RB_CHART) {
		tval *c = tv_map(a);
		tv_set_bool(c, "has_src", chart_src != NULL);
		if (chart_src) {
			/* CHART_SRC is the caller's own format with one %zu. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
			tv_set_str(c, "src", arena_printf(a, chart_src, b->chart_no));
#pragma GCC diagnostic pop
		}
		tv_set_str(c, "title", b->chart.title);
		tv_set_str(c, "alt", arena_printf(a, "%s: %s", b->chart.title, b->chart.summary));
		tv_set(m, "chart", c);
	}
	return m;
}

static tval *body_value(arena *a, const struct report *rep, const char *chart_src)
{
	tval *m = tv_map(a), *sections = tv_list(a);
	for (size_t i = 0; i < rep->n_sections; i++) {
		const struct report_section *s = &rep->sections[i];
		tval *sec = tv_map(a), *blocks = tv_list(a);
		tv_set_bool(sec, "h2", s->level <= 2);
		tv_set_bool(sec, "h3", s->level > 2);
		tv_set_str(sec, "id", s->id);
		tv_set_str(sec, "heading", s->heading);
		for (size_t k = 0; k < s->n_blocks; k++)
			tv_push(blocks, block_value(a, &s->blocks[k], chart_src));
		tv_set(sec, "blocks", blocks);
		tv_push(sections, sec);
	}
	tv_set(m, "sections", sections);
	return m;
}

struct tval *report_html_context(arena *a, const struct report *rep, const char *chart_src)
{
	return body_value(a, rep, chart_src);
}

int report_html_body(arena *a, const struct report *rep, const char *chart_src, sbuf *out)
{
	if (tmpl_render("report_body", body_value(a, rep, chart_src), out) != 0 || out->err)
		return -1;
	return 0;
}

int report_html_document(arena *a, const struct report *rep, sbuf *out)
{
	tval *m = tv_map(a);
	tv_set_str(m, "title", rep->title);
	tv_set_str(m, "place", rep->place);
	tv_set_str(m, "period", rep->period_text);
	tv_set_str(m, "prepared", rep->prepared_text);
	tv_set_str(m, "figures_to", rep->figures_to_text);
	tv_set(m, "body", body_value(a, rep, NULL));
	if (tmpl_render("report_document", m, out) != 0 || out->err)
		return -1;
	return 0;
}
