/* web_api.c: the open data API under /api/v1/: priority areas and published programmes
 * as JSON; see web_api.h and docs/API.md. */
#include "web/web_api.h"

#include "core/json.h"
#include "domain/priorities.h"
#include "domain/programmes.h"

static void json_begin(req *r, json *j)
{
	r->status = 200;
	r->content_type = "application/json";
	resp_header(r, "Access-Control-Allow-Origin", "*");
	sbuf_reset(&r->body_out);
	json_init(j, &r->body_out);
}

/* The body could not be written in full (far past any real size): say so in JSON. */
static void json_finish(req *r, struct web *w)
{
	if (r->body_out.err)
		page_error(r, w, 500);
}

static void kv_str(json *j, const char *key, const char *v)
{
	json_key(j, key);
	json_cstr(j, v);
}

/* Writes area P's fields into an object the caller has yet to close (json_end), so
 * that the single-area answer can add more. */
static void area_json(json *j, arena *a, const struct priority_area *p)
{
	json_obj(j);
	json_key(j, "id");
	json_int(j, p->id);
	kv_str(j, "slug", p->slug);
	kv_str(j, "name", p->name);
	kv_str(j, "reframed_statement", p->reframed_statement);
	kv_str(j, "original_framing", p->original_framing);
	kv_str(j, "summary", p->summary);
	kv_str(j, "partnership", p->partnership);
	json_key(j, "indicators");
	json_arr(j);
	for (size_t i = 0; i < p->n_indicators; i++)
		json_cstr(j, p->indicators[i]);
	json_end(j);
	kv_str(j, "url", arena_printf(a, "/priorities/%s", p->slug));
}

static void programme_summary_json(json *j, const struct programme *p)
{
	json_obj(j);
	json_key(j, "id");
	json_int(j, p->id);
	kv_str(j, "slug", p->slug);
	kv_str(j, "name", p->name);
	json_end(j);
}

static void programme_json(json *j, arena *a, const struct programme *p)
{
	json_obj(j);
	json_key(j, "id");
	json_int(j, p->id);
	kv_str(j, "slug", p->slug);
	kv_str(j, "name", p->name);
	kv_str(j, "summary", p->summary);
	json_key(j, "priority_areas");
	json_arr(j);
	for (size_t i = 0; i < p->n_areas; i++) {
		json_obj(j);
		json_key(j, "id");
		json_int(j, p->areas[i].id);
		kv_str(j, "slug", p->areas[i].slug);
		kv_str(j, "name", p->areas[i].name);
		json_end(j);
	}
	json_end(j);
	json_key(j, "current_stage");
	if (p->current_stage) {
		json_obj(j);
		json_key(j, "number");
		json_int(j, p->current_stage);
		kv_str(j, "name", programme_stage_name(p->current_stage));
		json_end(j);
	} else {
		json_null(j);
	}
	json_key(j, "all_stages_done");
	json_bool(j, p->all_done);
	json_key(j, "stages");
	json_arr(j);
	for (int i = 0; i < PROGRAMME_STAGES; i++) {
		const struct programme_stage *st = &p->stages[i];
		json_obj(j);
		json_key(j, "number");
		json_int(j, st->stage);
		kv_str(j, "name", programme_stage_name(st->stage));
		kv_str(j, "status", stage_status_slug(st->status));
		kv_str(j, "planned_start", st->planned_start);
		kv_str(j, "planned_end", st->planned_end);
		kv_str(j, "actual_start", st->actual_start);
		kv_str(j, "actual_end", st->actual_end);
		kv_str(j, "success_looks_like", st->success);
		json_end(j);
	}
	json_end(j);
	json_key(j, "groups");
	json_int(j, p->n_groups);
	json_key(j, "sessions");
	json_int(j, p->n_sessions);
	kv_str(j, "updated_at", p->updated_at);
	kv_str(j, "url", arena_printf(a, "/programmes/%s", p->slug));
	json_end(j);
}

void web_api_priorities(req *r, struct web *w)
{
	struct priority_area *areas;
	size_t n;
	json j;
	int rc = priorities_list(w->db, r->a, &areas, &n);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	json_begin(r, &j);
	json_obj(&j);
	json_key(&j, "priorities");
	json_arr(&j);
	for (size_t i = 0; i < n; i++) {
		area_json(&j, r->a, &areas[i]);
		json_end(&j);
	}
	json_end(&j);
	json_key(&j, "count");
	json_int(&j, (int64_t)n);
	json_end(&j);
	json_finish(r, w);
}

void web_api_priority(req *r, struct web *w)
{
	struct priority_area p;
	struct priority_statement_change *changes;
	struct programme_filter f = {.published_only = true};
	struct programme *progs;
	size_t n_changes, n_progs;
	char *slug = sv_dup(r->a, web_param(w, "slug"));
	json j;
	int rc;
	if (!slug || !priorities_slug_valid(slug)) {
		page_error(r, w, 404);
		return;
	}
	rc = priorities_get_by_slug(w->db, r->a, slug, &p);
	if (!rc)
		rc = priorities_statement_history(w->db, r->a, p.id, &changes, &n_changes);
	f.area_id = p.id;
	if (!rc)
		rc = programmes_list(w->db, r->a, &f, &progs, &n_progs);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	json_begin(r, &j);
	area_json(&j, r->a, &p);
	json_key(&j, "statement_history");
	json_arr(&j);
	for (size_t i = 0; i < n_changes; i++) {
		json_obj(&j);
		kv_str(&j, "statement", changes[i].statement);
		kv_str(&j, "replaced_at", changes[i].changed_at);
		json_end(&j);
	}
	json_end(&j);
	json_key(&j, "programmes");
	json_arr(&j);
	for (size_t i = 0; i < n_progs; i++)
		programme_summary_json(&j, &progs[i]);
	json_end(&j);
	json_end(&j);
	json_finish(r, w);
}

void web_api_programmes(req *r, struct web *w)
{
	struct programme_filter f = {.published_only = true};
	struct programme *items;
	size_t n;
	json j;
	int rc = programmes_list(w->db, r->a, &f, &items, &n);
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	json_begin(r, &j);
	json_obj(&j);
	json_key(&j, "programmes");
	json_arr(&j);
	for (size_t i = 0; i < n; i++)
		programme_json(&j, r->a, &items[i]);
	json_end(&j);
	json_key(&j, "count");
	json_int(&j, (int64_t)n);
	json_end(&j);
	json_finish(r, w);
}

void web_api_programme(req *r, struct web *w)
{
	struct programme p;
	char *slug = sv_dup(r->a, web_param(w, "slug"));
	json j;
	int rc = slug ? programme_get_by_slug(w->db, r->a, slug, &p) : DB_ERR;
	if (!rc && !p.published)
		rc = DOMAIN_ENOTFOUND; /* open data is what the public may see */
	if (rc) {
		page_fail(r, w, rc);
		return;
	}
	json_begin(r, &j);
	programme_json(&j, r->a, &p);
	json_finish(r, w);
}
