/* web.h: the application floor: the route table, the checks every request passes before
 * a handler runs, and rendering pages into the layout.
 *
 * A handler is thin: it reads parameters from the req, calls a domain module with the
 * request's database handle and arena, puts plain values into a tval map and calls
 * page_render. It never checks who the user is (the route's flags did) and never frees.
 */
#ifndef WEB_WEB_H
#define WEB_WEB_H
#include <stdbool.h>

#include "db/db.h"
#include "domain/accounts.h"
#include "domain/sessions.h"
#include "domain/validate.h"
#include "http/http.h"
#include "tmpl/tmpl.h"

#define SESSION_COOKIE "coprod_session"
#define CSRF_COOKIE "coprod_csrf"
#define ROUTE_MAX_PARAMS 4

/* Who may call a route: a mask of enum role bits, or ROUTE_PUBLIC for anyone (signed in
 * or not). */
#define ROUTE_PUBLIC (1u << 8)
#define ROUTE_SIGNED_IN ((unsigned)ROLE_ANY)
/* The route changes data: its form must carry the CSRF token. Every POST route has it. */
#define ROUTE_CSRF (1u << 9)
/* Response types, for the route table's readers and the error pages' format. */
#define ROUTE_HTML 0u
#define ROUTE_JSON (1u << 10)
#define ROUTE_TEXT (1u << 11)
#define ROUTE_CSV (1u << 12)
/* Only for people who are not signed in (a signed-in visitor is sent home). */
#define ROUTE_ANON_ONLY (1u << 13)

struct web;
typedef void (*route_handler)(req *r, struct web *w);

struct route {
	unsigned methods; /* HTTP_GET | HTTP_POST ...; GET routes also answer HEAD */
	const char *pattern; /* "/priorities/:slug": ':name' matches one path segment */
	route_handler handler;
	unsigned flags;
};

/* Process-wide application state, set up by main before serving. */
struct app {
	db_pool *pool;
	const char *place; /* "Salford": shown in the header and pages */
	bool demo;         /* the database holds demo data: say so on every page */
};

/* Per-request state (r->app). */
struct web {
	struct app *app;
	db *db;
	struct session *sess; /* NULL when not signed in */
	sv session_token;
	const struct route *route;
	sv params[ROUTE_MAX_PARAMS];
	int nparams;
	const char *csrf; /* the token this page's forms carry */
	tval *page;       /* the context every template sees */
};

/* The dispatch function given to the HTTP server. CTX is the struct app. */
void web_dispatch(req *r, void *ctx);
/* Checks the route table (patterns parse, every POST route has ROUTE_CSRF). 0 or -1. */
int web_routes_check(void);

/* The value of path parameter NAME (":name" in the pattern), or SV_NULL. */
sv web_param(const struct web *w, const char *name);
/* The audit actor for this request (0 when not signed in). */
struct audit_actor web_actor(const req *r, const struct web *w);
bool web_has_role(const struct web *w, unsigned mask);

/* Renders template NAME with the page context (w->page, which handlers fill), inside the
 * layout, with TITLE as the page's <title>. */
void page_render(req *r, struct web *w, int status, const char *name, const char *title);
/* Renders the error page for STATUS (400, 403, 404, 405, 413, 500). Never echoes
 * anything from the request. */
void page_error(req *r, struct web *w, int status);
/* Puts a validation failure into the page context: "errors" (for the summary: a list of
 * {href, text}), "error" (a map field -> message, for the inline errors) and "values"
 * (a map field -> what the user typed, for each of FIELDS, a NULL-terminated list). */
void page_form_errors(req *r, struct web *w, const struct field_errors *fe,
		      const char *const *fields);
/* A form field for the field_text / field_password partials: the handler's static table
 * says what the field is; page_form adds what was typed and any error. */
struct field_spec {
	const char *key;   /* the context name the template uses, e.g. "email_field" */
	const char *name;  /* the input's name and id, e.g. "email" */
	const char *label, *hint; /* hint may be NULL */
	const char *type;  /* "text", "email", "tel", "password"... NULL for text */
	const char *autocomplete; /* NULL for none */
	bool keep;         /* put the typed value back (never for passwords) */
};
/* Puts each field of SPECS (ended by a NULL key) into the page context as a map
 * {id, name, label, hint, type, autocomplete, spellcheck, value, error}, the errors of FE
 * (may be NULL) into "errors"/"has_errors" for the summary, in FE's order. Values come from
 * the submitted form, or from DEFAULTS (a map name -> value, may be NULL) on first show. */
void page_form(req *r, struct web *w, const struct field_spec *specs,
	       const struct field_errors *fe, const tval *defaults);
/* Copies what the user typed in FIELDS into "values" (no errors). */
void page_form_values(req *r, struct web *w, const char *const *fields);
/* Sets a one-off success message shown on the next page (a cookie-free "notice" query
 * parameter is not used: notices are passed by redirecting to PATH?done=KEY and the
 * target page maps KEY to its message). */
void page_notice(struct web *w, const char *message);
/* Handles a storage or domain error code: 404 for DOMAIN_ENOTFOUND, 403 for
 * DOMAIN_EFORBIDDEN, 500 otherwise. */
void page_fail(req *r, struct web *w, int rc);

/* The route table (routes.c), ended by a NULL pattern. */
extern const struct route routes[];

/* The handlers, by file. */
void web_home_public(req *r, struct web *w);
void web_priorities(req *r, struct web *w);
void web_priority_area(req *r, struct web *w);
void web_static_page(req *r, struct web *w);
void web_healthz(req *r, struct web *w);
void web_sign_in_form(req *r, struct web *w);
void web_sign_in(req *r, struct web *w);
void web_sign_out(req *r, struct web *w);
void web_home(req *r, struct web *w);
void web_password_form(req *r, struct web *w);
void web_password_change(req *r, struct web *w);
void web_reset_form(req *r, struct web *w);
void web_reset(req *r, struct web *w);
void web_acting_for_start(req *r, struct web *w);
void web_acting_for_stop(req *r, struct web *w);

#endif
