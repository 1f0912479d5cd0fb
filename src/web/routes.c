/* routes.c: the route table. Every URL coprod answers is one line here, saying who may
 * call it and whether it changes data; web_dispatch checks both before any handler runs.
 * A new page is a handler in its web_*.c file and a line in this table. */
#include "web/web.h"
#include "web/web_admin.h"
#include "web/web_api.h"
#include "web/web_programmes.h"
#include "web/web_decisions.h"

#define PUBLIC ROUTE_PUBLIC
#define SIGNED_IN ROUTE_SIGNED_IN
#define LEAD ((unsigned)ROLE_PROGRAMME_LEAD)
#define FACILITATORS ((unsigned)(ROLE_FACILITATOR | ROLE_PROGRAMME_LEAD))
#define GET HTTP_GET
#define POST HTTP_POST

const struct route routes[] = {
	/* Public pages */
	{GET, "/", web_home_public, PUBLIC},
	{GET, "/priorities", web_priorities, PUBLIC},
	{GET, "/priorities/:slug", web_priority_area, PUBLIC},
	{GET, "/accessibility", web_static_page, PUBLIC},
	{GET, "/privacy", web_static_page, PUBLIC},
	{GET, "/cookies", web_static_page, PUBLIC},
	{GET, "/healthz", web_healthz, PUBLIC | ROUTE_TEXT},

	/* Signing in and out */
	{GET, "/sign-in", web_sign_in_form, PUBLIC},
	{POST, "/sign-in", web_sign_in, PUBLIC | ROUTE_CSRF},
	{POST, "/sign-out", web_sign_out, SIGNED_IN | ROUTE_CSRF},
	{GET, "/reset-password/:token", web_reset_form, PUBLIC | ROUTE_ANON_ONLY},
	{POST, "/reset-password/:token", web_reset, PUBLIC | ROUTE_ANON_ONLY | ROUTE_CSRF},

	/* Signed-in home and account */
	{GET, "/home", web_home, SIGNED_IN},
	{GET, "/account/password", web_password_form, SIGNED_IN},
	{POST, "/account/password", web_password_change, SIGNED_IN | ROUTE_CSRF},

	/* Assisted participation */
	{POST, "/acting-for/stop", web_acting_for_stop, SIGNED_IN | ROUTE_CSRF},
	{POST, "/acting-for/:id", web_acting_for_start, FACILITATORS | ROUTE_CSRF},

	/* People and access (web_admin.c, web_assisted.c) */
	{GET, "/admin/people", web_admin_people, LEAD},
	{GET, "/admin/people/new", web_admin_person_new, LEAD},
	{POST, "/admin/people/new", web_admin_person_create, LEAD | ROUTE_CSRF},
	{GET, "/admin/people/:id", web_admin_person, LEAD},
	{POST, "/admin/people/:id", web_admin_person_update, LEAD | ROUTE_CSRF},
	{POST, "/admin/people/:id/disable", web_admin_person_disable, LEAD | ROUTE_CSRF},
	{POST, "/admin/people/:id/enable", web_admin_person_enable, LEAD | ROUTE_CSRF},
	{POST, "/admin/people/:id/reset", web_admin_person_reset, LEAD | ROUTE_CSRF},
	{GET, "/admin/resets", web_admin_resets, LEAD},
	{GET, "/admin/organisations", web_admin_organisations, LEAD},
	{POST, "/admin/organisations", web_admin_organisation_create, LEAD | ROUTE_CSRF},
	{GET, "/admin/audit", web_admin_audit, LEAD},
	{GET, "/assisted", web_assisted, FACILITATORS},
	{GET, "/assisted/new", web_assisted_new, FACILITATORS},
	{POST, "/assisted/new", web_assisted_create, FACILITATORS | ROUTE_CSRF},

	/* Programmes and priority statements (web_programmes.c, web_api.c) */
	{GET, "/programmes", web_programmes, PUBLIC},
	{GET, "/programmes/new", web_programme_new, LEAD},
	{POST, "/programmes/new", web_programme_create, LEAD | ROUTE_CSRF},
	{GET, "/programmes/:slug", web_programme, PUBLIC},
	{GET, "/programmes/:slug/edit", web_programme_edit, LEAD},
	{POST, "/programmes/:slug/edit", web_programme_update, LEAD | ROUTE_CSRF},
	{GET, "/programmes/:slug/stages/:stage", web_programme_stage_form, LEAD},
	{POST, "/programmes/:slug/stages/:stage", web_programme_stage_save, LEAD | ROUTE_CSRF},
	{GET, "/programmes/:slug/equality", web_programme_eia_form, LEAD},
	{POST, "/programmes/:slug/equality", web_programme_eia_save, LEAD | ROUTE_CSRF},
	{GET, "/priorities/:slug/history", web_priority_history, PUBLIC},
	{GET, "/priorities/:slug/edit", web_priority_edit_form, LEAD},
	{POST, "/priorities/:slug/edit", web_priority_edit, LEAD | ROUTE_CSRF},
	{GET, "/api/v1/priorities", web_api_priorities, PUBLIC | ROUTE_JSON},
	{GET, "/api/v1/priorities/:slug", web_api_priority, PUBLIC | ROUTE_JSON},
	{GET, "/api/v1/programmes", web_api_programmes, PUBLIC | ROUTE_JSON},
	{GET, "/api/v1/programmes/:slug", web_api_programme, PUBLIC | ROUTE_JSON},

	/* Decisions and the balance of power (web_decisions.c) */
	{GET, "/groups/:id/decisions", web_decisions_group, SIGNED_IN},
	{GET, "/groups/:id/decisions/new", web_decision_new, FACILITATORS},
	{POST, "/groups/:id/decisions/new", web_decision_create, FACILITATORS | ROUTE_CSRF},
	{GET, "/decisions/:id", web_decision, SIGNED_IN},
	{POST, "/decisions/:id/position", web_decision_position, SIGNED_IN | ROUTE_CSRF},
	{POST, "/decisions/:id/close", web_decision_close, FACILITATORS | ROUTE_CSRF},
	{POST, "/decisions/:id/reopen", web_decision_reopen, FACILITATORS | ROUTE_CSRF},
	{GET, "/programmes/:slug/power", web_power, SIGNED_IN},

	{0, NULL, NULL, 0},
};
