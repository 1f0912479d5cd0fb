/* web_equality.h: the equality questions ("About you"), a programme's equality monitoring
 * settings and population imports, a lead's consented view of one person's answers
 * (web_equality.c), and the diversity page with its chart, CSV and JSON
 * (web_diversity.c). */
#ifndef WEB_WEB_EQUALITY_H
#define WEB_WEB_EQUALITY_H
#include "web/web.h"

/* web_equality.c */
void web_about_you_interest_form(req *r, struct web *w);
void web_about_you_interest_save(req *r, struct web *w);
void web_about_you_form(req *r, struct web *w);
void web_about_you_save(req *r, struct web *w);
void web_about_you_withdraw(req *r, struct web *w);
void web_equality_settings_form(req *r, struct web *w);
void web_equality_settings_save(req *r, struct web *w);
void web_population_form(req *r, struct web *w);
void web_population_figures_import(req *r, struct web *w);
void web_population_postcodes_import(req *r, struct web *w);
void web_equality_person(req *r, struct web *w);
void web_equality_person_view(req *r, struct web *w);

/* web_diversity.c */
void web_diversity(req *r, struct web *w);
void web_diversity_csv(req *r, struct web *w);
void web_diversity_chart(req *r, struct web *w);
void web_diversity_json(req *r, struct web *w);

/* The equality part of the signed-in home page (templates/home_equality.html): for a
 * person who has volunteered, a link to their "About you" questions; for leads and
 * facilitators, nothing (they reach the diversity page from the programme). Puts
 * "equality" into w->page. */
void home_equality(req *r, struct web *w);

#endif
