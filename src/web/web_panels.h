/* web_panels.h: the pages for fair selection of panels: programme leads set up a panel,
 * its pool and quotas, work out everyone's chance (LEXIMIN beside the greedy method),
 * publish the lottery and draw it in public; facilitators of the programme may look.
 * The public page and the lottery file show only opaque ids, never names.
 *
 * Handlers, with their routes (routes.c says who may call each):
 */
#ifndef WEB_WEB_PANELS_H
#define WEB_WEB_PANELS_H

#include "web/web.h"

/* Programme leads and facilitators (of the panel's programme; others get 404). */
void web_panels(req *r, struct web *w);             /* GET  /panels */
void web_panel_manage(req *r, struct web *w);       /* GET  /panels/:id/manage */
void web_panel_chart(req *r, struct web *w);        /* GET  /panels/:id/chart.svg */
/* Programme leads only. */
void web_panel_new(req *r, struct web *w);          /* GET  /panels/new */
void web_panel_create(req *r, struct web *w);       /* POST /panels/new */
void web_panel_settings(req *r, struct web *w);     /* GET  /panels/:id/settings */
void web_panel_settings_save(req *r, struct web *w); /* POST /panels/:id/settings */
void web_panel_pool(req *r, struct web *w);         /* GET  /panels/:id/pool */
void web_panel_pool_save(req *r, struct web *w);    /* POST /panels/:id/pool */
void web_panel_quotas(req *r, struct web *w);       /* GET  /panels/:id/quotas */
void web_panel_quotas_save(req *r, struct web *w);  /* POST /panels/:id/quotas */
void web_panel_category_add(req *r, struct web *w); /* POST /panels/:id/quotas/add */
void web_panel_category_remove(req *r, struct web *w); /* POST /panels/:id/quotas/remove */
void web_panel_import(req *r, struct web *w);       /* GET  /panels/:id/quotas/import */
void web_panel_import_save(req *r, struct web *w);  /* POST /panels/:id/quotas/import */
void web_panel_compute(req *r, struct web *w);      /* POST /panels/:id/compute */
void web_panel_relax(req *r, struct web *w);        /* POST /panels/:id/relax */
void web_panel_publish(req *r, struct web *w);      /* POST /panels/:id/publish */
void web_panel_draw_plan(req *r, struct web *w);    /* POST /panels/:id/draw-plan */
void web_panel_draw(req *r, struct web *w);         /* POST /panels/:id/draw */
void web_panel_replace(req *r, struct web *w);      /* POST /panels/:id/replace */
void web_panel_categories_csv(req *r, struct web *w);  /* GET /panels/:id/categories.csv */
void web_panel_respondents_csv(req *r, struct web *w); /* GET /panels/:id/respondents.csv */
/* Anyone, once the lottery is published (else 404). */
void web_panel_public(req *r, struct web *w);       /* GET  /panels/:id */
void web_panel_lottery(req *r, struct web *w);      /* GET  /panels/:id/lottery.txt */
void web_panel_draw_ics(req *r, struct web *w);     /* GET  /panels/:id/draw.ics (when planned) */

/* For the signed-in home page: puts "panels_home" (a map: {panels: [{name, href,
 * status}], can_create}) into w->page for programme leads and facilitators who may see
 * a panel; nothing for anyone else. templates/home_panels.html shows it. */
void home_panels(req *r, struct web *w);

/* For a programme's public page: puts "programme_panels" (a map {panels: [{name,
 * public_href, is_drawn}]}) into w->page for its panels whose lottery is public, and
 * nothing when there are none. templates/panel_links.html shows it. */
void programme_panels(req *r, struct web *w, int64_t programme_id);

#endif
