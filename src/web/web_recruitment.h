/* web_recruitment.h: recruitment pages: community assets (web_assets.c), and
 * expressions of interest, volunteers, duplicates and induction (web_volunteers.c).
 *
 * The handlers are listed with the route each one answers and who may call it; routes.c
 * holds the lines. Pages about a programme's volunteers are for programme leads, the
 * programme's lead and the facilitators of its groups (volunteer_can_manage): another
 * facilitator gets "not found", other roles are refused by the route table.
 */
#ifndef WEB_WEB_RECRUITMENT_H
#define WEB_WEB_RECRUITMENT_H
#include "web/web.h"

/* Community assets (web_assets.c). */
void web_assets_public(req *r, struct web *w);      /* GET  /community-assets (anyone) */
void web_asset_public(req *r, struct web *w);       /* GET  /community-assets/:id (anyone) */
void web_assets(req *r, struct web *w);             /* GET  /assets (facilitators, leads) */
void web_asset_new(req *r, struct web *w);          /* GET  /assets/new */
void web_asset_create(req *r, struct web *w);       /* POST /assets/new */
void web_asset_edit(req *r, struct web *w);         /* GET  /assets/:id */
void web_asset_update(req *r, struct web *w);       /* POST /assets/:id */
void web_wards(req *r, struct web *w);              /* GET  /assets/wards */
void web_wards_import(req *r, struct web *w);       /* POST /assets/wards (leads) */

/* Expressions of interest (web_volunteers.c). */
void web_interest_form(req *r, struct web *w);      /* GET  /programmes/:slug/interest */
void web_interest_send(req *r, struct web *w);      /* POST /programmes/:slug/interest */
void web_interest_sent(req *r, struct web *w);      /* GET  /programmes/:slug/interest/:ref */

/* Volunteers and induction (web_volunteers.c), facilitators and leads of the programme. */
void web_volunteers(req *r, struct web *w);         /* GET  /programmes/:slug/volunteers */
void web_volunteer_new(req *r, struct web *w);      /* GET  /programmes/:slug/volunteers/new */
void web_volunteer_create(req *r, struct web *w);   /* POST /programmes/:slug/volunteers/new */
void web_volunteer(req *r, struct web *w);          /* GET  .../volunteers/:id */
void web_volunteer_edit(req *r, struct web *w);     /* GET  .../volunteers/:id/edit */
void web_volunteer_update(req *r, struct web *w);   /* POST .../volunteers/:id/edit */
void web_volunteer_stage(req *r, struct web *w);    /* POST .../volunteers/:id/stage */
void web_volunteer_erase_form(req *r, struct web *w); /* GET .../volunteers/:id/remove */
void web_volunteer_erase(req *r, struct web *w);    /* POST .../volunteers/:id/remove */
void web_volunteer_merge_form(req *r, struct web *w); /* GET .../volunteers/:id/merge/:other */
void web_volunteer_merge(req *r, struct web *w);    /* POST .../volunteers/:id/merge/:other */
/* POST .../volunteers/:id/different/:other: the pair are different people (optional note) */
void web_volunteer_different(req *r, struct web *w);
/* POST .../volunteers/:id/different/:other/undo: flag the pair as possible duplicates again */
void web_volunteer_duplicate_again(req *r, struct web *w);
void web_induction_form(req *r, struct web *w);     /* GET  .../volunteers/:id/induction */
void web_induction_save(req *r, struct web *w);     /* POST .../volunteers/:id/induction */
void web_induction(req *r, struct web *w);          /* GET  /programmes/:slug/induction */

/* The home page's recruitment panel for facilitators and programme leads: puts
 * "recruitment" (see templates/home_recruitment.html) into w->page; nothing for other
 * roles or when they manage no programme. */
void home_recruitment(req *r, struct web *w);

#endif
