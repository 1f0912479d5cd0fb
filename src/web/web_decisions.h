/* web_decisions.h: pages for a group's shared decisions and for the balance of power
 * between local people and professionals.
 *
 * The handlers are listed with the route each one answers; routes.c says who may call
 * them, and each one checks per record (decisions.h, power.h) that the person may see
 * the group or programme: a record someone may not see is not found (404).
 */
#ifndef WEB_WEB_DECISIONS_H
#define WEB_WEB_DECISIONS_H
#include <stdbool.h>
#include <stdint.h>

#include "web/web.h"

/* Open decisions shown on someone's home page at most. */
#define HOME_DECISIONS_MAX 10

void web_decisions_group(req *r, struct web *w);   /* GET  /groups/:id/decisions */
void web_decision_new(req *r, struct web *w);      /* GET  /groups/:id/decisions/new */
void web_decision_create(req *r, struct web *w);   /* POST /groups/:id/decisions/new */
void web_decision(req *r, struct web *w);          /* GET  /decisions/:id */
void web_decision_position(req *r, struct web *w); /* POST /decisions/:id/position */
void web_decision_close(req *r, struct web *w);    /* POST /decisions/:id/close */
void web_decision_reopen(req *r, struct web *w);   /* POST /decisions/:id/reopen */
void web_power(req *r, struct web *w);             /* GET  /programmes/:slug/power */

/* For the home page: puts "home_decisions" {decisions [{href, question, group, status}],
 * has_decisions, is_facilitator} into w->page, the open decisions waiting for the
 * signed-in person (or, for a facilitator, running in their groups). Renders with
 * templates/home_decisions.html ({{> home_decisions}}). Does nothing when no decision is
 * waiting, or on a storage error (the home page still shows). */
void home_decisions(req *r, struct web *w);

/* For an idea's page: puts "power_item" into w->page for templates/power_item.html
 * ({{> power_item}}): who proposed idea IDEA_ID, who amended it and how its group
 * decided on it, each side by side. SHOW_NAMES gives people's names (for members of the
 * group); otherwise only "a local person" / "a professional". The caller has already
 * checked that the reader may see the idea. Returns DOMAIN_OK or a DB_E* code. */
int power_item_put(req *r, struct web *w, int64_t idea_id, bool show_names);

#endif
