/* web_evidence.h: the evidence pages: outcome indicators with their charts
 * (web_indicators.c), the ladder and six principles self-assessments
 * (web_assessment.c) and the learning log (web_learning.c).
 *
 *   GET  /indicators                         anyone: every indicator, latest figures
 *   GET  /indicators/new, POST               programme leads: define an indicator
 *   GET  /indicators/import, POST            programme leads: values from a CSV file,
 *                                            applied whole or not at all
 *   GET  /indicators/:id                     anyone: definition, chart, table, summary
 *   GET  /indicators/:id/chart.svg           anyone: the trend chart, Salford against
 *                                            England
 *   GET  /indicators/:id/edit, POST          programme leads: change the definition
 *   GET  /indicators/:id/values/new, POST    programme leads: one value typed by hand
 *   GET  /api/v1/indicators, /api/v1/indicators/:id
 *                                            anyone: the definitions, and one
 *                                            indicator's values, as open data (values
 *                                            as exact decimal strings)
 *   GET  /programmes/:slug/assessment        members rate and answer; the programme's
 *                                            facilitators, programme leads and Board
 *                                            members see the results by side
 *   GET  /programmes/:slug/assessment/:kind/:id, POST
 *                                            members: rate a session, decision or stage
 *                                            on the ladder (rating again replaces it)
 *   GET  /programmes/:slug/principles/new, POST
 *                                            programme leads: open a half-yearly round
 *   GET  /programmes/:slug/principles/chart.svg
 *                                            those who see the results: both sides'
 *                                            average over the rounds
 *   GET  /programmes/:slug/principles/:id, POST
 *                                            members: answer a round, once
 *   GET  /programmes/:slug/learning          members of the programme and leads: the
 *                                            learning log as a timeline
 *   GET  /programmes/:slug/learning/new, POST
 *                                            the programme's facilitators and leads:
 *                                            add an entry
 *
 * routes.c says which roles may call each; a programme someone may not see is a 404.
 */
#ifndef WEB_WEB_EVIDENCE_H
#define WEB_WEB_EVIDENCE_H
#include <stdint.h>

#include "web/web.h"

void web_indicators(req *r, struct web *w);
void web_indicator_new(req *r, struct web *w);
void web_indicator_create(req *r, struct web *w);
void web_indicator_edit(req *r, struct web *w);
void web_indicator_update(req *r, struct web *w);
void web_indicator_import_form(req *r, struct web *w);
void web_indicator_import(req *r, struct web *w);
void web_indicator(req *r, struct web *w);
void web_indicator_chart(req *r, struct web *w);
void web_indicator_value_new(req *r, struct web *w);
void web_indicator_value_create(req *r, struct web *w);
void web_api_indicators(req *r, struct web *w);
void web_api_indicator(req *r, struct web *w);

void web_assessment(req *r, struct web *w);
void web_ladder_form(req *r, struct web *w);
void web_ladder_rate(req *r, struct web *w);
void web_principles_new(req *r, struct web *w);
void web_principles_open(req *r, struct web *w);
void web_principles_chart(req *r, struct web *w);
void web_principles_form(req *r, struct web *w);
void web_principles_answer(req *r, struct web *w);

void web_learning(req *r, struct web *w);
void web_learning_new(req *r, struct web *w);
void web_learning_create(req *r, struct web *w);

/* For the public priority area page: puts "priority_indicators" (a list of {name, href,
 * latest, period, trend, illustrative}) and "has_priority_indicators" into w->page for
 * the partial templates/priority_indicators.html. Nothing is put on a storage error
 * (logged); the area page still renders. */
void priority_indicators(req *r, struct web *w, int64_t priority_area_id);

/* For the signed-in home page: puts "home_evidence" into w->page for
 * templates/home_evidence.html: the principles rounds open now that the person has not
 * answered, in programmes they are a member of. Nothing for people with none. */
void home_evidence(req *r, struct web *w);

#endif
