/* web_ideas.h: the pages where ideas are added, developed with decision-makers into
 * concepts and proposals, and followed to the Board (web_ideas.c), and "you said, we did"
 * for the public (web_yousaid.c).
 *
 * Each handler is listed with the route it answers; routes.c says who may call it. Who may
 * see or change one idea is decided per record by ideas_access (domain/ideas.h): an idea
 * someone may not see is a 404.
 */
#ifndef WEB_WEB_IDEAS_H
#define WEB_WEB_IDEAS_H

#include "web/web.h"

/* How many of their own ideas a person sees on their home page. */
#define HOME_IDEAS_MAX 10

/* Lists (signed in). */
void web_ideas(req *r, struct web *w);           /* GET /ideas: every idea you can take part in */
void web_ideas_programme(req *r, struct web *w); /* GET /programmes/:slug/ideas */
void web_ideas_group(req *r, struct web *w);     /* GET /groups/:id/ideas */

/* Adding (members of the group, programme leads). */
void web_idea_new(req *r, struct web *w);    /* GET  /groups/:id/ideas/new */
void web_idea_create(req *r, struct web *w); /* POST /groups/:id/ideas/new */

/* One idea: anyone may ask; the page shows what they may see. */
void web_idea(req *r, struct web *w); /* GET /ideas/:id */

/* Changing one idea (signed in; ideas_access decides). */
void web_idea_edit_form(req *r, struct web *w); /* GET  /ideas/:id/edit */
void web_idea_edit(req *r, struct web *w);      /* POST /ideas/:id/edit */
void web_idea_versions(req *r, struct web *w);  /* GET  /ideas/:id/versions[?from=N&to=M] */
void web_idea_comment(req *r, struct web *w);   /* POST /ideas/:id/comments */
void web_idea_status(req *r, struct web *w);    /* POST /ideas/:id/status */
void web_idea_tags(req *r, struct web *w);      /* POST /ideas/:id/tags */
void web_idea_link(req *r, struct web *w);      /* POST /ideas/:id/links */
void web_idea_share(req *r, struct web *w);     /* POST /ideas/:id/shares */
void web_idea_test_form(req *r, struct web *w); /* GET  /ideas/:id/tests/new */
void web_idea_test(req *r, struct web *w);      /* POST /ideas/:id/tests/new */

/* "You said, we did" (public; web_yousaid.c). */
void web_yousaid(req *r, struct web *w);           /* GET /you-said-we-did */
void web_yousaid_programme(req *r, struct web *w); /* GET /programmes/:slug/you-said-we-did */
void web_yousaid_api(req *r, struct web *w);       /* GET /api/v1/you-said-we-did */

/* Puts "home_ideas" {ideas: [{href, title, status_label, updated}], any} into w->page for
 * the home page partial templates/home_ideas.html: what became of the signed-in person's
 * own ideas (or of the person a facilitator is acting for). */
void home_ideas(req *r, struct web *w);

/* Shared by web_ideas.c and web_yousaid.c: "14 June 2022" for an ISO date or timestamp
 * ("" when it is not one). Arena-owned. */
const char *ideas_human_date(arena *a, const char *iso);

#endif
