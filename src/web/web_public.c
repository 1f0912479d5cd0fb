/* web_public.c: the pages anyone can see without signing in. */
#include <string.h>

#include "domain/priorities.h"
#include "web/web.h"
#include "web/web_evidence.h"
#include "web/web_reports.h"
#include "web/web_programmes.h"

static tval *area_value(arena *a, const struct priority_area *p)
{
	tval *m = tv_map(a), *ind = tv_list(a);
	tv_set_str(m, "slug", p->slug);
	tv_set_str(m, "name", p->name);
	tv_set_str(m, "original_framing", p->original_framing);
	tv_set_str(m, "reframed_statement", p->reframed_statement);
	tv_set_str(m, "summary", p->summary);
	tv_set_str(m, "partnership", p->partnership);
	for (size_t i = 0; i < p->n_indicators; i++) {
		tval *one = tv_map(a);
		tv_set_str(one, "name", p->indicators[i]);
		tv_push(ind, one);
	}
	tv_set(m, "indicators", ind);
	return m;
}

static int put_priorities(req *r, struct web *w)
{
	struct priority_area *areas;
	size_t n;
	tval *list = tv_list(r->a);
	int rc = priorities_list(w->db, r->a, &areas, &n);
	if (rc != DB_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		tv_push(list, area_value(r->a, &areas[i]));
	tv_set(w->page, "priorities", list);
	return DB_OK;
}

void web_home_public(req *r, struct web *w)
{
	int rc = put_priorities(r, w);
	if (rc != DB_OK) {
		page_fail(r, w, rc);
		return;
	}
	if (kv_get(&r->query, "signed-out").ptr && !w->sess)
		page_notice(w, "You have signed out.");
	page_render(r, w, 200, "home_public", "Shaping services together");
}

void web_priorities(req *r, struct web *w)
{
	int rc = put_priorities(r, w);
	if (rc != DB_OK) {
		page_fail(r, w, rc);
		return;
	}
	page_render(r, w, 200, "priorities", "Priority areas");
}

void web_priority_area(req *r, struct web *w)
{
	struct priority_area p;
	char *slug = sv_dup(r->a, web_param(w, "slug"));
	int rc;
	if (!slug || !priorities_slug_valid(slug)) {
		page_error(r, w, 404);
		return;
	}
	rc = priorities_get_by_slug(w->db, r->a, slug, &p);
	if (rc != DB_OK) {
		page_fail(r, w, rc);
		return;
	}
	tv_set(w->page, "area", area_value(r->a, &p));
	rc = web_programmes_put_for_area(r, w, p.id);
	if (rc != 0) {
		page_fail(r, w, rc);
		return;
	}
	priority_indicators(r, w, p.id);
	priority_case_studies(r, w, p.id);
	page_render(r, w, 200, "priority_area", p.name);
}

/* Pages whose template needs nothing but the layout's context. */
void web_static_page(req *r, struct web *w)
{
	static const struct {
		const char *path, *tmpl, *title;
	} pages[] = {
		{"/accessibility", "accessibility", "Accessibility statement"},
		{"/privacy", "privacy", "Privacy notice"},
		{"/cookies", "cookies", "Cookies"},
	};
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		if (sv_eq_cstr(r->path, pages[i].path)) {
			page_render(r, w, 200, pages[i].tmpl, pages[i].title);
			return;
		}
	page_error(r, w, 404);
}

void web_healthz(req *r, struct web *w)
{
	db_stmt *s = db_prepare(w->db, "SELECT 1");
	int ok = s && db_step(s) == DB_ROW;
	if (s)
		db_done(s);
	resp_header(r, "Cache-Control", "no-store");
	if (ok)
		resp_text(r, 200, "text/plain; charset=utf-8", SV("ok\n"));
	else
		resp_text(r, 503, "text/plain; charset=utf-8", SV("database unavailable\n"));
}
