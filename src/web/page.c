/* page.c: rendering pages inside the layout, error pages and form errors. */
#include <string.h>

#include "core/json.h"
#include "core/log.h"
#include "http/static.h"
#include "web/web.h"

#define PAGE_CONTENT_MAX (4 * 1024 * 1024)

struct nav_item {
	const char *href, *label;
	unsigned who; /* ROUTE_PUBLIC: visitors not signed in; else a role mask */
};

static const struct nav_item nav_items[] = {
	{"/", "Home", ROUTE_PUBLIC},
	{"/priorities", "Priority areas", ROUTE_PUBLIC},
	{"/programmes", "Programmes", ROUTE_PUBLIC},
	{"/you-said-we-did", "You said, we did", ROUTE_PUBLIC},
	{"/case-studies", "Case studies", ROUTE_PUBLIC},
	{"/indicators", "Indicators", ROUTE_PUBLIC},
	{"/community-assets", "Community groups", ROUTE_PUBLIC},
	{"/board", "Board", ROUTE_PUBLIC},
	{"/sign-in", "Sign in", ROUTE_PUBLIC},
	{"/home", "Your home", ROLE_ANY},
	{"/priorities", "Priority areas", ROLE_ANY},
	{"/programmes", "Programmes", ROLE_ANY},
	{"/groups", "Groups", ROLE_ANY},
	{"/ideas", "Ideas", ROLE_ANY},
	{"/board", "Board", ROLE_ANY},
	{"/case-studies", "Case studies", ROLE_LOCAL_PERSON | ROLE_DECISION_MAKER | ROLE_BOARD_MEMBER},
	{"/indicators", "Indicators", ROLE_LOCAL_PERSON | ROLE_DECISION_MAKER | ROLE_BOARD_MEMBER},
	{"/reports", "Reports", ROLE_PROGRAMME_LEAD | ROLE_BOARD_MEMBER | ROLE_FACILITATOR},
	{"/returns", "Organisations' returns", ROLE_PROGRAMME_LEAD | ROLE_BOARD_MEMBER},
	{"/payments", "Payments", ROLE_FACILITATOR | ROLE_PROGRAMME_LEAD | ROLE_BOARD_MEMBER},
	{"/account/payments", "Your payments", ROLE_LOCAL_PERSON},
	{"/asset-register", "Community assets", ROLE_FACILITATOR | ROLE_PROGRAMME_LEAD},
	{"/assisted", "People you support", ROLE_FACILITATOR | ROLE_PROGRAMME_LEAD},
	{"/venues", "Venues", ROLE_FACILITATOR | ROLE_PROGRAMME_LEAD},
	{"/admin/people", "Manage people", ROLE_PROGRAMME_LEAD},
	{"/admin/audit", "Audit log", ROLE_PROGRAMME_LEAD},
};

static tval *nav(req *r, const struct web *w)
{
	tval *list = tv_list(r->a);
	for (size_t i = 0; i < sizeof(nav_items) / sizeof(nav_items[0]); i++) {
		const struct nav_item *n = &nav_items[i];
		bool show = w->sess ? (n->who & (unsigned)w->sess->role) && n->who != ROUTE_PUBLIC
				    : n->who == ROUTE_PUBLIC;
		if (!show)
			continue;
		tval *item = tv_map(r->a);
		sv href = sv_from(n->href);
		bool current = sv_eq(r->path, href) ||
			       (href.len > 1 && sv_starts_with(r->path, href) &&
				r->path.len > href.len && r->path.ptr[href.len] == '/');
		tv_set_str(item, "href", n->href);
		tv_set_str(item, "label", n->label);
		tv_set_bool(item, "current", current);
		tv_push(list, item);
	}
	return list;
}

/* What every template can use: see templates/layout.html. */
static void layout_context(req *r, struct web *w, const char *title)
{
	tval *p = w->page;
	tv_set_str(p, "title", title);
	tv_set_str(p, "nonce", r->nonce);
	tv_set_str(p, "csrf", w->csrf ? w->csrf : "");
	tv_set_str(p, "asset_version", static_version());
	tv_set_str(p, "place", w->app->place);
	tv_set_bool(p, "demo", w->app->demo);
	tv_set_str(p, "phase", w->app->demo ? "Demo" : "Beta");
	tv_set(p, "nav", nav(r, w));
	if (w->sess) {
		tval *u = tv_map(r->a);
		tv_set_str(u, "name", w->sess->display_name);
		tv_set_str(u, "role", role_label(w->sess->role));
		tv_set_str(u, "role_label", role_label(w->sess->role));
		tv_set(p, "user", u);
		if (w->sess->acting_for) {
			tval *af = tv_map(r->a);
			tv_set_str(af, "name", w->sess->acting_for_name);
			tv_set_int(af, "id", w->sess->acting_for);
			tv_set(p, "acting_for", af);
		}
	}
}

void page_render(req *r, struct web *w, int status, const char *name, const char *title)
{
	sbuf content;
	layout_context(r, w, title);
	sbuf_init(&content, r->a, PAGE_CONTENT_MAX);
	if (tmpl_render(name, w->page, &content) != 0 || content.err) {
		log_error("cannot render template %s", name);
		if (status != 500) {
			page_error(r, w, 500);
			return;
		}
		sbuf_reset(&content);
		sbuf_adds(&content, "<h1 class=\"govuk-heading-l\">Sorry, there is a problem "
				    "with the service</h1>");
	}
	tv_set(w->page, "content", tv_sv(r->a, sbuf_sv(&content)));
	r->status = status;
	r->content_type = "text/html; charset=utf-8";
	sbuf_reset(&r->body_out);
	if (tmpl_render("layout", w->page, &r->body_out) != 0) {
		log_error("cannot render the layout");
		resp_text(r, 500, "text/plain; charset=utf-8",
			  SV("Sorry, there is a problem with the service.\n"));
	}
}

static const struct {
	int status;
	const char *title, *message;
} errors[] = {
	{400, "Sorry, we could not understand that request",
	 "Something in the request was not in a form we can read. Go back and try again."},
	{403, "You cannot do that",
	 "Your account does not allow this, or the form had expired. Go back, reload the page "
	 "and try again. If you think you should be able to, ask your programme lead."},
	{404, "Page not found",
	 "If you typed the web address, check it is correct. If you pasted the web address, "
	 "check you copied the entire address."},
	{405, "Sorry, that cannot be done here",
	 "This page cannot be used in that way. Go back and use the links and buttons on the "
	 "page."},
	{413, "That was too large to send",
	 "What you sent was larger than we can accept. If you were uploading a file, try a "
	 "smaller one."},
	{500, "Sorry, there is a problem with the service",
	 "Try again later. Anything you saved before this happened has been kept."},
};

/* Open data clients get errors as JSON: routes that answer JSON, and anything under
 * /api/ (an unknown API path has no route to say so). */
static bool wants_json(const req *r, const struct web *w)
{
	return (w->route && (w->route->flags & ROUTE_JSON)) || sv_starts_with(r->path, SV("/api/"));
}

void page_error(req *r, struct web *w, int status)
{
	size_t i;
	for (i = 0; i < sizeof(errors) / sizeof(errors[0]) - 1; i++)
		if (errors[i].status == status)
			break;
	if (wants_json(r, w)) {
		json j;
		r->status = errors[i].status;
		r->content_type = "application/json";
		resp_header(r, "Cache-Control", "no-store");
		sbuf_reset(&r->body_out);
		json_init(&j, &r->body_out);
		json_obj(&j);
		json_key(&j, "error");
		json_cstr(&j, errors[i].title);
		json_key(&j, "status");
		json_int(&j, errors[i].status);
		json_end(&j);
		return;
	}
	w->page = tv_map(r->a);
	tv_set_int(w->page, "status", errors[i].status);
	tv_set_str(w->page, "heading", errors[i].title);
	tv_set_str(w->page, "message", errors[i].message);
	resp_header(r, "Cache-Control", "no-store");
	page_render(r, w, errors[i].status, "error", errors[i].title);
}

void page_fail(req *r, struct web *w, int rc)
{
	if (rc == DOMAIN_ENOTFOUND || rc == DB_DONE)
		page_error(r, w, 404);
	else if (rc == DOMAIN_EFORBIDDEN)
		page_error(r, w, 403);
	else
		page_error(r, w, 500);
}

void page_form_values(req *r, struct web *w, const char *const *fields)
{
	tval *values = tv_map(r->a);
	for (; *fields; fields++)
		tv_set_sv(values, *fields, kv_get(&r->form, *fields));
	tv_set(w->page, "values", values);
}

void page_form_errors(req *r, struct web *w, const struct field_errors *fe,
		      const char *const *fields)
{
	tval *list = tv_list(r->a), *by_field = tv_map(r->a);
	for (size_t i = 0; fe && i < fe->n; i++) {
		tval *e = tv_map(r->a);
		tv_set_str(e, "href", arena_printf(r->a, "#%s", fe->items[i].field));
		tv_set_str(e, "text", fe->items[i].message);
		tv_push(list, e);
		tv_set_str(by_field, fe->items[i].field, fe->items[i].message);
	}
	tv_set(w->page, "errors", list);
	tv_set_bool(w->page, "has_errors", fe && fe->n > 0);
	tv_set(w->page, "error", by_field);
	page_form_values(r, w, fields);
}

void page_notice(struct web *w, const char *message)
{
	tv_set_str(w->page, "notice", message);
}

void page_form(req *r, struct web *w, const struct field_spec *specs,
	       const struct field_errors *fe, const tval *defaults)
{
	tval *list = tv_list(r->a);
	for (size_t i = 0; fe && i < fe->n; i++) {
		tval *e = tv_map(r->a);
		tv_set_str(e, "href", arena_printf(r->a, "#%s", fe->items[i].field));
		tv_set_str(e, "text", fe->items[i].message);
		tv_push(list, e);
	}
	tv_set(w->page, "errors", list);
	tv_set_bool(w->page, "has_errors", fe && fe->n > 0);
	for (; specs->key; specs++) {
		tval *f = tv_map(r->a);
		bool email = specs->type && strcmp(specs->type, "email") == 0;
		tv_set_str(f, "id", specs->name);
		tv_set_str(f, "name", specs->name);
		tv_set_str(f, "label", specs->label);
		if (specs->hint)
			tv_set_str(f, "hint", specs->hint);
		if (specs->type)
			tv_set_str(f, "type", specs->type);
		if (specs->autocomplete)
			tv_set_str(f, "autocomplete", specs->autocomplete);
		if (email)
			tv_set_str(f, "spellcheck", "false");
		if (specs->keep) {
			sv typed = kv_get(&r->form, specs->name);
			if (r->method == HTTP_POST)
				tv_set_sv(f, "value", typed);
			else if (defaults && tv_get(defaults, specs->name))
				tv_set(f, "value", tv_get(defaults, specs->name));
		}
		tv_set_str(f, "error", field_error_get(fe, specs->name));
		tv_set(w->page, specs->key, f);
	}
}
