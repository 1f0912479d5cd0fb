/* web_programmes.h: programmes on the journey and the priority areas' positive
 * statements, as pages.
 *
 *   GET  /programmes                         anyone: published programmes (signed-in
 *                                            people also see the unpublished ones they
 *                                            may see; programme leads see every one)
 *   GET  /programmes/new, POST               programme leads: a new programme
 *   GET  /programmes/:slug                   anyone who may see it (published: everyone;
 *                                            a record someone may not see is a 404)
 *   GET  /programmes/:slug/edit, POST        programme leads: name, web address,
 *                                            summary, priority areas, lead, published
 *   GET  /programmes/:slug/stages/:n, POST   programme leads: one of the six stages
 *   GET  /programmes/:slug/equality, POST    programme leads: the equality impact
 *                                            assessment (shown on the programme page
 *                                            to signed-in people)
 *   GET  /priorities/:slug/history           anyone: the earlier positive statements
 *   GET  /priorities/:slug/edit, POST        programme leads: change the statement
 *
 * routes.c says who may call each; everything returned lives in the request's arena.
 */
#ifndef WEB_WEB_PROGRAMMES_H
#define WEB_WEB_PROGRAMMES_H
#include <stdint.h>

#include "web/web.h"

void web_programmes(req *r, struct web *w);
void web_programme_new(req *r, struct web *w);
void web_programme_create(req *r, struct web *w);
void web_programme(req *r, struct web *w);
void web_programme_edit(req *r, struct web *w);
void web_programme_update(req *r, struct web *w);
void web_programme_stage_form(req *r, struct web *w);
void web_programme_stage_save(req *r, struct web *w);
void web_programme_eia_form(req *r, struct web *w);
void web_programme_eia_save(req *r, struct web *w);
void web_priority_history(req *r, struct web *w);
void web_priority_edit_form(req *r, struct web *w);
void web_priority_edit(req *r, struct web *w);

/* For the public priority area page (web_priority_area): puts "area_programmes", a list
 * [{href, name, stage_text, ...}] of the published programmes covering area AREA_ID, and
 * "has_area_programmes" into w->page, for templates/priority_area.html. Returns DOMAIN_OK or a
 * DB_E* code. */
int web_programmes_put_for_area(req *r, struct web *w, int64_t area_id);

/* For the signed-in home page: puts "home_programmes" into w->page for
 * templates/home_programmes.html when the person is a programme lead (the programmes
 * they lead, each with where it is on the journey); nothing for anyone else. */
void home_programmes(req *r, struct web *w);

#endif
