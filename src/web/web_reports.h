/* web_reports.h: case studies of co-production (public pages, their open data, and the
 * forms with which facilitators write them and programme leads publish them) and the
 * six-monthly progress report to the Health and Wellbeing Board as a page, a PDF and a
 * CSV (web_reports.c).
 *
 * Who sees what:
 *   - anyone: published case studies of published programmes, and their JSON;
 *   - a facilitator of a programme (one who may view it, access.h) and programme leads:
 *     that programme's draft case studies; they write the story and choose quotes;
 *   - programme leads: publish and unpublish;
 *   - programme leads and Board members: the whole Board report; facilitators: the
 *     report with only their own programmes' sections (the summary adds up only those).
 * A draft case study someone may not see is answered 404.
 */
#ifndef WEB_WEB_REPORTS_H
#define WEB_WEB_REPORTS_H
#include <stdint.h>

#include "web/web.h"

/* Case studies. */
void web_case_studies(req *r, struct web *w);          /* GET  /case-studies */
void web_case_study(req *r, struct web *w);            /* GET  /case-studies/:id */
void web_case_study_new(req *r, struct web *w);        /* GET  /case-studies/new */
void web_case_study_create(req *r, struct web *w);     /* POST /case-studies/new */
void web_case_study_edit(req *r, struct web *w);       /* GET  /case-studies/:id/edit */
void web_case_study_update(req *r, struct web *w);     /* POST /case-studies/:id/edit */
void web_case_study_quotes(req *r, struct web *w);     /* GET  /case-studies/:id/quotes */
void web_case_study_quote_add(req *r, struct web *w);  /* POST /case-studies/:id/quotes */
void web_case_study_quote_consent(req *r, struct web *w); /* POST .../quotes/:qid/consent */
void web_case_study_quote_remove(req *r, struct web *w);  /* POST .../quotes/:qid/remove */
void web_case_study_publish(req *r, struct web *w);    /* POST /case-studies/:id/publish */
void web_case_study_unpublish(req *r, struct web *w);  /* POST /case-studies/:id/unpublish */
void web_api_case_studies(req *r, struct web *w);      /* GET  /api/v1/case-studies */
void web_api_case_study(req *r, struct web *w);        /* GET  /api/v1/case-studies/:id */

/* The Board report. */
void web_reports(req *r, struct web *w);               /* GET  /reports */
void web_report_view(req *r, struct web *w);           /* GET  /reports/view?from=&to=[&format=] */
void web_report_pdf(req *r, struct web *w);            /* GET  /reports/report.pdf?from=&to= */
void web_report_csv(req *r, struct web *w);            /* GET  /reports/figures.csv?from=&to= */
void web_report_chart(req *r, struct web *w);          /* GET  /reports/chart.svg?from=&to=&n= */

/* For the public priority area page: "case_studies" = {count (the Locality Plan
 * indicator: published case studies of programmes covering the area), list [{title,
 * href, programme}], has_any} for the partial templates/priority_case_studies.html. */
void priority_case_studies(req *r, struct web *w, int64_t priority_area_id);

/* For the signed-in home page: "reports_home" = {may_report bool, report_href, period,
 * may_write bool, drafts list [{title, href}], has_drafts} for templates/home_reports.html. */
void home_reports(req *r, struct web *w);

#endif
