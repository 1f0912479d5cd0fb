/* web_yousaid.c: "you said, we did": what became of the ideas local people raised once
 * they reached the Health and Wellbeing Board, for everyone, as pages and open data. No
 * names: only what was proposed, where it went and when. */
#include <inttypes.h>

#include "core/json.h"
#include "domain/ideas.h"
#include "web/web_ideas.h"

/* Open data responses are built in the request's arena up to this size. */
#define YOUSAID_JSON_MAX (2 * 1024 * 1024)

/* What happened next, in words, for each status an outcome can have. */
static const char *we_did(enum idea_status s)
{
	switch (s) {
	case IDEA_PRESENTED:
		return "The Board is considering it.";
	case IDEA_SUPPORTED:
		return "The Board supported it. A plan to deliver it is being made.";
	case IDEA_NOT_SUPPORTED:
		return "The Board did not support it.";
	case IDEA_DEFERRED:
		return "The Board asked for more work before it decides.";
	case IDEA_IN_DELIVERY:
		return "It is being delivered, as part of the Locality Implementation Plan.";
	case IDEA_DELIVERED:
		return "It has been delivered.";
	default:
		return "";
	}
}

static const char *tag_class(enum idea_status s)
{
	switch (s) {
	case IDEA_SUPPORTED:
	case IDEA_IN_DELIVERY:
		return "govuk-tag--blue";
	case IDEA_DELIVERED:
		return "govuk-tag--green";
	case IDEA_NOT_SUPPORTED:
		return "govuk-tag--grey";
	case IDEA_DEFERRED:
		return "govuk-tag--yellow";
	default:
		return "govuk-tag--purple";
	}
}

static int64_t before_param(req *r, bool *bad)
{
	sv v = kv_get(&r->query, "before");
	int64_t id = 0;
	*bad = false;
	if (v.ptr && (sv_to_i64(v, &id) != 0 || id <= 0))
		*bad = true;
	return id;
}

static void outcomes_page(req *r, struct web *w, int64_t programme_id, const char *programme_name,
                          const char *path)
{
	struct idea_outcome *o;
	size_t n;
	bool more = false, bad;
	int64_t before = before_param(r, &bad);
	tval *list = tv_list(r->a);
	int rc;
	if (bad) {
		page_error(r, w, 404);
		return;
	}
	rc = ideas_outcomes(w->db, r->a, programme_id, before, &o, &n, &more);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		tval *m = tv_map(r->a);
		tv_set_int(m, "id", o[i].id);
		tv_set_str(m, "href", arena_printf(r->a, "/ideas/%" PRId64, o[i].id));
		tv_set_str(m, "title", o[i].title);
		tv_set_str(m, "body", o[i].body);
		tv_set_str(m, "programme_name", o[i].programme_name);
		tv_set_str(
		    m, "programme_href",
		    arena_printf(r->a, "/programmes/%s/you-said-we-did", o[i].programme_slug));
		tv_set_str(m, "priority_name", o[i].priority_name);
		tv_set_str(m, "status_label", ideas_status_label(o[i].status));
		tv_set_str(m, "status_class", tag_class(o[i].status));
		tv_set_str(m, "we_did", we_did(o[i].status));
		tv_set_str(m, "raised_on", ideas_human_date(r->a, o[i].raised_on));
		tv_set_str(m, "presented_on", ideas_human_date(r->a, o[i].presented_on));
		tv_set_str(m, "status_on", ideas_human_date(r->a, o[i].status_on));
		tv_set_bool(m, "status_after_board", o[i].status != IDEA_PRESENTED);
		tv_set_str(m, "note", o[i].status_note);
		tv_set_str(m, "board_said", o[i].board_said);
		if (o[i].delivery_plan_id)
			tv_set_str(m, "plan_href",
			           arena_printf(r->a, "/delivery/%" PRId64, o[i].delivery_plan_id));
		tv_push(list, m);
	}
	tv_set(w->page, "outcomes", list);
	tv_set_bool(w->page, "any", n > 0);
	tv_set_str(w->page, "programme_name", programme_name);
	tv_set_bool(w->page, "all_programmes", programme_id == 0);
	tv_set_str(w->page, "path", path);
	if (more && n)
		tv_set_int(w->page, "older_before", o[n - 1].id);
	tv_set_bool(w->page, "later_page", before > 0);
	page_render(r, w, 200, "you_said_we_did",
	            programme_name ? arena_printf(r->a, "You said, we did: %s", programme_name)
	                           : "You said, we did");
}

void web_yousaid(req *r, struct web *w)
{
	outcomes_page(r, w, 0, NULL, "/you-said-we-did");
}

void web_yousaid_programme(req *r, struct web *w)
{
	char *slug = sv_dup(r->a, web_param(w, "slug")), *name = NULL;
	bool published = false;
	int64_t id = 0;
	int rc;
	if (!slug) {
		page_error(r, w, 500);
		return;
	}
	rc = ideas_programme_find(w->db, r->a, slug, &id, &name, &published);
	if (rc == DOMAIN_OK && !published)
		rc = DOMAIN_ENOTFOUND;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	tv_set_str(w->page, "programme_href", arena_printf(r->a, "/programmes/%s", slug));
	outcomes_page(r, w, id, name, arena_printf(r->a, "/programmes/%s/you-said-we-did", slug));
}

/* GET /api/v1/you-said-we-did[?programme=SLUG&before=ID]: the same list as open data. */
void web_yousaid_api(req *r, struct web *w)
{
	struct idea_outcome *o;
	size_t n;
	bool more = false, bad, published = true;
	int64_t before = before_param(r, &bad), programme_id = 0;
	sv slug = kv_get(&r->query, "programme");
	char *name = NULL;
	sbuf *b = &r->body_out;
	(void)name;
	json j;
	int rc = DOMAIN_OK;

	if (bad) {
		page_error(r, w, 400);
		return;
	}
	if (slug.ptr) {
		char *s = sv_dup(r->a, slug);
		rc = s ? ideas_programme_find(w->db, r->a, s, &programme_id, &name, &published)
		       : DB_ERR;
		if (rc == DOMAIN_OK && !published)
			rc = DOMAIN_ENOTFOUND;
	}
	if (rc == DOMAIN_OK)
		rc = ideas_outcomes(w->db, r->a, programme_id, before, &o, &n, &more);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	sbuf_reset(b);
	json_init(&j, b);
	json_obj(&j);
	json_key(&j, "ideas");
	json_arr(&j);
	for (size_t i = 0; i < n; i++) {
		json_obj(&j);
		json_key(&j, "id");
		json_int(&j, o[i].id);
		json_key(&j, "title");
		json_cstr(&j, o[i].title);
		json_key(&j, "you_said");
		json_cstr(&j, o[i].body);
		json_key(&j, "programme");
		json_obj(&j);
		json_key(&j, "slug");
		json_cstr(&j, o[i].programme_slug);
		json_key(&j, "name");
		json_cstr(&j, o[i].programme_name);
		json_end(&j);
		json_key(&j, "priority_area");
		json_cstr(&j, o[i].priority_name);
		json_key(&j, "status");
		json_cstr(&j, ideas_status_slug(o[i].status));
		json_key(&j, "we_did");
		json_cstr(&j, we_did(o[i].status));
		json_key(&j, "note");
		json_cstr(&j, o[i].status_note);
		json_key(&j, "board_said");
		json_cstr(&j, o[i].board_said);
		json_key(&j, "delivery_plan_id");
		if (o[i].delivery_plan_id)
			json_int(&j, o[i].delivery_plan_id);
		else
			json_null(&j);
		json_key(&j, "raised_on");
		json_cstr(&j, o[i].raised_on);
		json_key(&j, "presented_on");
		json_cstr(&j, o[i].presented_on);
		json_key(&j, "status_on");
		json_cstr(&j, o[i].status_on);
		json_key(&j, "url");
		json_cstr(&j, arena_printf(r->a, "/ideas/%" PRId64, o[i].id));
		json_end(&j);
	}
	json_end(&j);
	json_key(&j, "count");
	json_int(&j, (int64_t)n);
	json_key(&j, "next");
	if (more && n && programme_id)
		json_cstr(&j, arena_printf(r->a,
		                           "/api/v1/you-said-we-did?programme=" SV_FMT
		                           "&before=%" PRId64,
		                           SV_ARG(slug), o[n - 1].id));
	else if (more && n)
		json_cstr(
		    &j, arena_printf(r->a, "/api/v1/you-said-we-did?before=%" PRId64, o[n - 1].id));
	else
		json_null(&j);
	json_end(&j);
	if (b->err) {
		page_error(r, w, 500);
		return;
	}
	r->status = 200;
	r->content_type = "application/json";
	resp_header(r, "Access-Control-Allow-Origin", "*");
}
