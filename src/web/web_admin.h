/* web_admin.h: managing people, organisations, reset links and the audit log
 * (programme leads), and registering people without email (facilitators).
 *
 * The handlers are listed with the route each one answers; routes.c holds the lines
 * that say who may call them. The helpers at the end are shared by web_admin.c and
 * web_assisted.c only. Everything they return lives in the request's arena.
 */
#ifndef WEB_WEB_ADMIN_H
#define WEB_WEB_ADMIN_H
#include <stdint.h>

#include "web/web.h"

/* Rows on one page of the people list and of the audit log. */
#define ADMIN_PEOPLE_PER_PAGE 100
#define ADMIN_AUDIT_PER_PAGE  50
/* Open reset links shown at most (they expire within a day, so there are few). */
#define ADMIN_RESETS_MAX 200
/* The highest ?page=N accepted; past it the page is not found. */
#define ADMIN_PAGE_MAX 100000

/* Programme leads (web_admin.c). */
void web_admin_people(req *r, struct web *w);              /* GET  /admin/people */
void web_admin_person_new(req *r, struct web *w);          /* GET  /admin/people/new */
void web_admin_person_create(req *r, struct web *w);       /* POST /admin/people/new */
void web_admin_person(req *r, struct web *w);              /* GET  /admin/people/:id */
void web_admin_person_update(req *r, struct web *w);       /* POST /admin/people/:id */
void web_admin_person_disable(req *r, struct web *w);      /* POST /admin/people/:id/disable */
void web_admin_person_enable(req *r, struct web *w);       /* POST /admin/people/:id/enable */
void web_admin_person_reset(req *r, struct web *w);        /* POST /admin/people/:id/reset */
void web_admin_resets(req *r, struct web *w);              /* GET  /admin/resets */
void web_admin_organisations(req *r, struct web *w);       /* GET  /admin/organisations */
void web_admin_organisation_create(req *r, struct web *w); /* POST /admin/organisations */
void web_admin_audit(req *r, struct web *w);               /* GET  /admin/audit */

/* Facilitators and programme leads (web_assisted.c). */
void web_assisted(req *r, struct web *w);        /* GET  /assisted */
void web_assisted_new(req *r, struct web *w);    /* GET  /assisted/new */
void web_assisted_create(req *r, struct web *w); /* POST /assisted/new */

/* --- Shared by web_admin.c and web_assisted.c ------------------------------------------ */

/* Fills the page context for a form. The text and password fields of SPECS go in
 * through page_form; the radios, selects, text areas and tick boxes that admin_*.html
 * and assisted_*.html write themselves read "error" (field -> message) and "values"
 * (page_form_errors). FE (may be NULL) is first put into the order of FIELDS, every
 * field on the form from top to bottom (NULL-terminated, never a password), so the
 * error summary reads in the same order as the form; errors on fields not listed come
 * last. DEFAULTS is page_form's (the stored values, shown before anything is typed). */
void admin_form(req *r, struct web *w, const struct field_spec *specs, struct field_errors *fe,
                const char *const *fields, const tval *defaults);

/* Reads a select's value: "" or "0" is 0 (none chosen), a positive whole number is
 * itself, anything else -1 (which matches no row, so the domain reports it). */
int64_t admin_parse_id(sv s);

/* Lists the organisations as select options [{value, label, selected}], with a first
 * option "None" (value ""), marking SELECTED (0 for none). Sets *OUT. Returns DOMAIN_OK
 * or a DB_E* code. */
int admin_org_options(req *r, struct web *w, int64_t selected, tval **out);

/* An ISO-8601 UTC timestamp from the database ("2025-03-30T09:05:00Z") as people in the
 * UK read it, in UK time: "30 March 2025 at 10:05am". Returns ISO itself if it is not in
 * that format, and "" for NULL. Arena-owned. */
const char *admin_when(arena *a, const char *iso);

#endif
