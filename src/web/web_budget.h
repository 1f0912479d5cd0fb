/* web_budget.h: the engagement's budget as pages: funding sources, a programme's budget
 * lines with what is committed, spent and left, recording spend and commitments, and
 * the totals and pictures the Board sees.
 *
 *   GET  /funding                              programme leads: every funding source with
 *                                              what is allocated, committed, spent, left
 *   GET  /funding/new, POST                    programme leads: a new funding source
 *   GET  /funding/:id, POST                    programme leads: change a funding source
 *   GET  /programmes/:slug/budget              programme leads and the programme's
 *                                              facilitators: lines, entries, pictures
 *   GET  /programmes/:slug/budget/lines/new, POST   programme leads: a budget line
 *   GET  /programmes/:slug/budget/lines/:id, POST   programme leads: change its budget,
 *                                              cost code or note
 *   GET  /programmes/:slug/budget/record, POST      leads and the programme's
 *                                              facilitators: a commitment or money spent
 *                                              (only leads may approve going over budget)
 *   GET  /programmes/:slug/budget/entries/:id/correct, POST   programme leads: cancel an
 *                                              entry with a correcting entry
 *   GET  /programmes/:slug/budget/entries.csv  leads and the programme's facilitators:
 *                                              every entry for finance, oldest first
 *   GET  /programmes/:slug/budget/summary      also Board members: totals per kind of cost,
 *                                              with no suppliers or references
 *   GET  /programmes/:slug/budget/chart-lines.svg, chart-months.svg   the pictures
 *
 * Anyone else is refused by the route table (403); a facilitator of another programme is
 * told the page is not found (404).
 */
#ifndef WEB_WEB_BUDGET_H
#define WEB_WEB_BUDGET_H

#include "web/web.h"

void web_funding(req *r, struct web *w);
void web_funding_new(req *r, struct web *w);
void web_funding_create(req *r, struct web *w);
void web_funding_edit(req *r, struct web *w);
void web_funding_update(req *r, struct web *w);
void web_budget(req *r, struct web *w);
void web_budget_line_new(req *r, struct web *w);
void web_budget_line_create(req *r, struct web *w);
void web_budget_line_edit(req *r, struct web *w);
void web_budget_line_update(req *r, struct web *w);
void web_budget_record_form(req *r, struct web *w);
void web_budget_record(req *r, struct web *w);
void web_budget_correct_form(req *r, struct web *w);
void web_budget_correct(req *r, struct web *w);
void web_budget_summary(req *r, struct web *w);
void web_budget_entries_csv(req *r, struct web *w);
void web_budget_chart_lines(req *r, struct web *w);
void web_budget_chart_months(req *r, struct web *w);

/* For the signed-in home page: puts "budget_home" into w->page for
 * templates/home_budget.html: for programme leads and facilitators, the programmes
 * whose budgets they may see, each with its budget, spent and left and a link; for
 * Board members, links to the totals. Nothing for anyone else. */
void home_budget(req *r, struct web *w);

#endif
