/* web_board.h: the Health and Wellbeing Board's pages (web_board.c), co-delivery and the
 * Locality Implementation Plan (web_delivery.c), and organisations' half-yearly
 * co-production returns (web_returns.c), with their open data.
 *
 * Each handler is listed with the route it answers; routes.c says who may call it. The
 * public pages show no personal data: who submitted or decided is in the audit log, and
 * an action owned by a person shows their organisation (or "A local person") to anyone
 * not signed in.
 */
#ifndef WEB_WEB_BOARD_H
#define WEB_WEB_BOARD_H
#include <stdint.h>

#include "core/date.h"
#include "core/json.h"
#include "web/web.h"

/* The Board (web_board.c). */
void web_board(req *r, struct web *w);                  /* GET  /board */
void web_board_meeting(req *r, struct web *w);          /* GET  /board/meetings/:id */
void web_board_meeting_new(req *r, struct web *w);      /* GET  /board/meetings/new */
void web_board_meeting_create(req *r, struct web *w);   /* POST /board/meetings/new */
void web_board_paper_new(req *r, struct web *w);        /* GET  /board/meetings/:id/proposals/new */
void web_board_paper_create(req *r, struct web *w);     /* POST /board/meetings/:id/proposals/new */
void web_board_decision(req *r, struct web *w);         /* GET  /board/proposals/:id/decision */
void web_board_decision_save(req *r, struct web *w);    /* POST /board/proposals/:id/decision */
void web_api_proposals(req *r, struct web *w);          /* GET  /api/v1/proposals */

/* Co-delivery (web_delivery.c). */
void web_locality_plan(req *r, struct web *w);          /* GET  /locality-plan */
void web_delivery_plan(req *r, struct web *w);          /* GET  /delivery/:id */
void web_delivery_plan_create(req *r, struct web *w);   /* POST /board/proposals/:id/plan */
void web_delivery_action_new(req *r, struct web *w);    /* GET  /delivery/:id/actions/new */
void web_delivery_action_create(req *r, struct web *w); /* POST /delivery/:id/actions/new */
void web_delivery_action(req *r, struct web *w);        /* GET  /delivery/actions/:id */
void web_delivery_action_save(req *r, struct web *w);   /* POST /delivery/actions/:id */
void web_delivery_milestone_new(req *r, struct web *w); /* GET  /delivery/:id/milestones/new */
void web_delivery_milestone_create(req *r, struct web *w); /* POST /delivery/:id/milestones/new */
void web_delivery_milestone_reached(req *r, struct web *w); /* POST /delivery/milestones/:id/reached */
void web_delivery_delivered(req *r, struct web *w);     /* POST /delivery/:id/delivered */
void web_api_delivery(req *r, struct web *w);           /* GET  /api/v1/delivery */

/* Organisations' returns (web_returns.c). */
void web_returns(req *r, struct web *w);                /* GET  /returns */
void web_return_new(req *r, struct web *w);             /* GET  /returns/new */
void web_return_create(req *r, struct web *w);          /* POST /returns/new */
void web_return(req *r, struct web *w);                 /* GET  /returns/:id */

/* The home page's part for Board members and programme leads: puts "board_home" into
 * w->page for templates/home_board.html (nothing for other roles). */
void home_board(req *r, struct web *w);

/* --- Shared by web_board.c, web_delivery.c and web_returns.c ------------------------- */

/* The positive whole number in path parameter NAME, or 0. */
int64_t board_path_id(const struct web *w, const char *name);
/* "15 November 2022" (arena-owned). */
const char *board_date_text(arena *a, struct date d);
/* A GOV.UK date input's context {id, name, legend, hint, day, month, year, error} for
 * templates/date_input.html: the inputs are NAME_day, NAME_month and NAME_year, the
 * first with id NAME so the error summary's "#NAME" lands on it; values are what was
 * typed (or the D given, when not NULL and nothing was posted). */
tval *board_date_field(req *r, const char *name, const char *legend, const char *hint,
		       const char *error, const struct date *d);
/* Whether this visitor sees paper P: people signed in see every one; the public only
 * those from published programmes. */
struct board_paper;
bool board_paper_visible(const struct web *w, const struct board_paper *p);
/* Starts a 200 JSON answer for the open data (with CORS for other sites) into J. */
void board_json_begin(req *r, json *j);
/* Puts the message for ?done=KEY from KEYS/MESSAGES (NULL-terminated pairs) on the page. */
void board_put_done(req *r, struct web *w, const char *const *pairs);

#endif
