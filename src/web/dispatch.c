/* dispatch.c: the checks every request passes, once, before its handler runs: a body
 * that parsed, a route that exists for the path and method, a signed-in user whose role
 * the route allows, and a CSRF token on anything that changes data. */
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "core/escape.h"
#include "core/log.h"
#include "http/static.h"
#include "web/web.h"

static void release_db(void *p)
{
	struct web *w = p;
	if (w->db) {
		db_pool_put(w->app->pool, w->db);
		w->db = NULL;
	}
}

/* Matches PATH against PATTERN, capturing ':name' segments into W. */
static bool match(const char *pattern, sv path, struct web *w)
{
	sv p = sv_from(pattern), prest, srest;
	int n = 0;
	if (path.len > 1 && path.ptr[path.len - 1] == '/')
		return false; /* one spelling per page: "/priorities", not "/priorities/" */
	p.ptr++, p.len--;
	path.ptr++, path.len--;
	for (;;) {
		sv pseg = sv_cut(p, '/', &prest), seg = sv_cut(path, '/', &srest);
		if (pseg.len && pseg.ptr[0] == ':') {
			if (seg.len == 0 || n == ROUTE_MAX_PARAMS)
				return false;
			w->params[n++] = seg;
		} else if (!sv_eq(pseg, seg)) {
			return false;
		}
		if (!prest.ptr && !srest.ptr)
			break;
		if (!prest.ptr || !srest.ptr)
			return false;
		p = prest;
		path = srest;
	}
	w->nparams = n;
	return true;
}

sv web_param(const struct web *w, const char *name)
{
	sv p = sv_from(w->route->pattern), rest, want = sv_from(name);
	int i = 0;
	while (p.len) {
		sv seg = sv_cut(p, '/', &rest);
		if (seg.len && seg.ptr[0] == ':') {
			if (seg.len - 1 == want.len && memcmp(seg.ptr + 1, want.ptr, want.len) == 0)
				return i < w->nparams ? w->params[i] : SV_NULL;
			i++;
		}
		if (!rest.ptr)
			break;
		p = rest;
	}
	return SV_NULL;
}

struct audit_actor web_actor(const req *r, const struct web *w)
{
	if (w->sess)
		return session_actor(w->sess, r->client_address);
	return (struct audit_actor){0, 0, r->client_address};
}

bool web_has_role(const struct web *w, unsigned mask)
{
	return w->sess && (mask & (unsigned)w->sess->role);
}

/* Anonymous visitors' forms are protected by a double-submit token: a random cookie that
 * the form repeats. A cross-site page can make the browser send the cookie but cannot
 * read it to put it in the form. */
static void anon_csrf(req *r, struct web *w)
{
	sv c = req_cookie(r, CSRF_COOKIE);
	if (c.len == SESSION_TOKEN_HEX) {
		w->csrf = sv_dup(r->a, c);
		return;
	}
	char *tok = arena_alloc(r->a, SESSION_TOKEN_HEX + 1);
	if (!tok)
		return;
	token_generate(tok, NULL);
	w->csrf = tok;
	resp_cookie(r, CSRF_COOKIE, tok, -1);
}

static bool csrf_ok(req *r, struct web *w)
{
	sv sent = kv_get(&r->form, "csrf");
	if (w->sess)
		return session_csrf_ok(w->sess, sent);
	sv cookie = req_cookie(r, CSRF_COOKIE);
	return cookie.len == SESSION_TOKEN_HEX && token_equal(cookie, sent);
}

static void load_session(req *r, struct web *w)
{
	sv tok = req_cookie(r, SESSION_COOKIE);
	struct session *s;
	int rc;
	if (!tok.len)
		return;
	s = arena_calloc(r->a, 1, sizeof(*s));
	if (!s)
		return;
	rc = session_lookup(w->db, r->a, tok, (int64_t)time(NULL), s);
	if (rc == DOMAIN_OK) {
		w->sess = s;
		w->session_token = tok;
		w->csrf = s->csrf;
	} else if (rc == DOMAIN_ENOTFOUND) {
		resp_cookie(r, SESSION_COOKIE, "", 0); /* expired: forget it */
	}
}

static void find_route(req *r, struct web *w, unsigned *allowed)
{
	unsigned m = r->method == HTTP_HEAD ? HTTP_GET : r->method;
	*allowed = 0;
	for (const struct route *rt = routes; rt->pattern; rt++) {
		if (!match(rt->pattern, r->path, w))
			continue;
		*allowed |= rt->methods;
		if (rt->methods & m) {
			w->route = rt;
			return;
		}
	}
}

static void set_allow(req *r, unsigned allowed)
{
	const char *v = allowed & HTTP_POST ? (allowed & HTTP_GET ? "GET, HEAD, POST" : "POST")
					    : "GET, HEAD";
	resp_header(r, "Allow", v);
}

void web_dispatch(req *r, void *ctx)
{
	struct web *w = arena_calloc(r->a, 1, sizeof(*w));
	unsigned allowed = 0, flags;
	if (!w) {
		resp_text(r, 500, "text/plain; charset=utf-8", SV("Server busy\n"));
		return;
	}
	w->app = ctx;
	r->app = w;
	w->page = tv_map(r->a);

	if (static_serve(r))
		return;
	w->db = db_pool_get(w->app->pool);
	arena_cleanup_add(r->a, release_db, w);
	if (r->body_error) {
		anon_csrf(r, w);
		page_error(r, w, r->body_error == FORM_ETOOBIG ? 413 : 400);
		return;
	}
	find_route(r, w, &allowed);
	load_session(r, w);
	if (!w->sess)
		anon_csrf(r, w);
	if (!w->route) {
		if (allowed) {
			set_allow(r, allowed);
			page_error(r, w, 405);
		} else {
			page_error(r, w, 404);
		}
		return;
	}
	flags = w->route->flags;
	if (!(flags & ROUTE_PUBLIC)) {
		if (!w->sess) {
			if (r->method == HTTP_POST) {
				page_error(r, w, 403);
			} else {
				sbuf to;
				sbuf_init(&to, r->a, 4096);
				sbuf_adds(&to, "/sign-in?next=");
				esc_url(&to, r->path);
				resp_redirect(r, to.err ? "/sign-in" : to.buf);
			}
			return;
		}
		if (!(flags & (unsigned)w->sess->role)) {
			page_error(r, w, 403);
			return;
		}
	}
	if ((flags & ROUTE_ANON_ONLY) && w->sess) {
		resp_redirect(r, "/home");
		return;
	}
	if ((flags & ROUTE_CSRF) && !csrf_ok(r, w)) {
		log_info("refused a form without a valid CSRF token on " SV_FMT, SV_ARG(r->path));
		page_error(r, w, 403);
		return;
	}
	resp_header(r, "Cache-Control", w->sess ? "no-store" : "no-cache");
	/* A page that only reads sees one snapshot of the database, taken once. */
	if (!(flags & ROUTE_CSRF))
		db_read_begin(w->db);
	w->route->handler(r, w);
}

int web_routes_check(void)
{
	int bad = 0;
	for (const struct route *rt = routes; rt->pattern; rt++) {
		if (rt->pattern[0] != '/') {
			log_error("route %s: pattern must start with /", rt->pattern);
			bad = 1;
		}
		if ((rt->methods & HTTP_POST) && !(rt->flags & ROUTE_CSRF)) {
			log_error("route POST %s changes data but has no ROUTE_CSRF", rt->pattern);
			bad = 1;
		}
		if (!(rt->flags & (ROUTE_PUBLIC | ROUTE_SIGNED_IN))) {
			log_error("route %s: says nobody may use it", rt->pattern);
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}
