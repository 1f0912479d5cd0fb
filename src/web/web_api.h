/* web_api.h: open data as JSON under /api/v1/, for anyone, without signing in.
 *
 *   GET /api/v1/priorities            every priority area
 *   GET /api/v1/priorities/:slug      one area, its earlier statements and programmes
 *   GET /api/v1/programmes            every published programme
 *   GET /api/v1/programmes/:slug      one published programme
 *
 * Stable numeric ids and slugs, no personal data (no names of people, no accounts).
 * docs/API.md describes every field; keep it true when a field changes. Errors are
 * JSON too (page_error): {"error": "...", "status": 404}.
 */
#ifndef WEB_WEB_API_H
#define WEB_WEB_API_H
#include "web/web.h"

void web_api_priorities(req *r, struct web *w);
void web_api_priority(req *r, struct web *w);
void web_api_programmes(req *r, struct web *w);
void web_api_programme(req *r, struct web *w);

#endif
