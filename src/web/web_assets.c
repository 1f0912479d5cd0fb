/* web_assets.c: the community assets a programme starts from: a public list and page for
 * anyone, and a searchable list with a form for facilitators and programme leads. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domain/assets.h"
#include "web/web_recruitment.h"

static int64_t parse_id(sv s)
{
	int64_t id;
	return sv_to_i64(s, &id) == 0 && id > 0 ? id : 0;
}

/* Select options [{value, label, selected}] with a first option FIRST (value ""). */
static tval *kind_options(req *r, sv chosen, const char *first)
{
	tval *list = tv_list(r->a), *o = tv_map(r->a);
	tv_set_str(o, "value", "");
	tv_set_str(o, "label", first);
	tv_set_bool(o, "selected", chosen.len == 0);
	tv_push(list, o);
	for (size_t i = 0; i < ASSET_KINDS; i++) {
		o = tv_map(r->a);
		tv_set_str(o, "value", asset_kinds[i]);
		tv_set_str(o, "label", asset_kind_label(asset_kinds[i]));
		tv_set_bool(o, "selected", sv_eq_cstr(chosen, asset_kinds[i]));
		tv_push(list, o);
	}
	return list;
}

static int ward_options(req *r, struct web *w, sv chosen, const char *first, tval **out)
{
	struct ward *wards;
	size_t n;
	tval *list = tv_list(r->a), *o = tv_map(r->a);
	int rc = ward_list(w->db, r->a, &wards, &n);
	if (rc != DOMAIN_OK)
		return rc;
	tv_set_str(o, "value", "");
	tv_set_str(o, "label", first);
	tv_set_bool(o, "selected", chosen.len == 0);
	tv_push(list, o);
	for (size_t i = 0; i < n; i++) {
		o = tv_map(r->a);
		tv_set_str(o, "value", wards[i].code);
		tv_set_str(o, "label", wards[i].name);
		tv_set_bool(o, "selected", sv_eq_cstr(chosen, wards[i].code));
		tv_push(list, o);
	}
	*out = list;
	return DOMAIN_OK;
}

static tval *tag_list(req *r, const char *tags)
{
	tval *list = tv_list(r->a);
	sv rest = sv_from(tags);
	while (rest.ptr && rest.len) {
		sv t = sv_cut(rest, ',', &rest);
		if (t.len)
			tv_push(list, tv_sv(r->a, t));
	}
	return list;
}

static tval *asset_map(req *r, const struct asset *x, bool manage)
{
	tval *m = tv_map(r->a);
	tv_set_int(m, "id", x->id);
	tv_set_str(m, "href", arena_printf(r->a, "%s/%" PRId64,
	                                   manage ? "/asset-register" : "/community-assets", x->id));
	tv_set_str(m, "public_href", arena_printf(r->a, "/community-assets/%" PRId64, x->id));
	tv_set_str(m, "name", x->name);
	tv_set_str(m, "kind", asset_kind_label(x->kind));
	tv_set_str(m, "ward", x->ward_name);
	tv_set_str(m, "area_note", x->area_note);
	tv_set_str(m, "contact", x->contact);
	tv_set_str(m, "who_they_reach", x->who_they_reach);
	tv_set_str(m, "accessibility", x->accessibility);
	tv_set(m, "tags", tag_list(r, x->tags));
	tv_set_bool(m, "has_tags", x->tags[0] != '\0');
	tv_set_bool(m, "public", x->public);
	return m;
}

/* The search form and results, for both lists. */
static void asset_list(req *r, struct web *w, bool manage)
{
	struct asset_filter f;
	struct asset *list;
	char **tags;
	size_t n, ntags;
	tval *items = tv_list(r->a), *wards, *tag_opts = tv_list(r->a), *o;
	sv q = sv_trim(kv_get(&r->query, "q")), kind = kv_get(&r->query, "kind");
	sv ward = kv_get(&r->query, "ward"), tag = kv_get(&r->query, "tag");
	int rc;

	memset(&f, 0, sizeof(f));
	f.text = sv_dup(r->a, q);
	f.kind = sv_dup(r->a, kind);
	f.ward = sv_dup(r->a, ward);
	f.tag = sv_dup(r->a, tag);
	f.public_only = !manage;
	rc = asset_search(w->db, r->a, &f, &list, &n);
	if (rc == DOMAIN_OK)
		rc = ward_options(r, w, ward, "Any ward", &wards);
	if (rc == DOMAIN_OK)
		rc = asset_tags(w->db, r->a, !manage, &tags, &ntags);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++)
		tv_push(items, asset_map(r, &list[i], manage));
	o = tv_map(r->a);
	tv_set_str(o, "value", "");
	tv_set_str(o, "label", "Any tag");
	tv_set_bool(o, "selected", tag.len == 0);
	tv_push(tag_opts, o);
	for (size_t i = 0; i < ntags; i++) {
		o = tv_map(r->a);
		tv_set_str(o, "value", tags[i]);
		tv_set_str(o, "label", tags[i]);
		tv_set_bool(o, "selected", sv_eq_cstr(tag, tags[i]));
		tv_push(tag_opts, o);
	}
	tv_set(w->page, "assets", items);
	tv_set_int(w->page, "count", (int64_t)n);
	tv_set_bool(w->page, "one", n == 1);
	tv_set_bool(w->page, "has_assets", n > 0);
	tv_set_bool(w->page, "searched", q.len || kind.len || ward.len || tag.len);
	tv_set_sv(w->page, "q", q);
	tv_set(w->page, "kinds", kind_options(r, kind, "Any kind"));
	tv_set(w->page, "wards", wards);
	tv_set(w->page, "tag_options", tag_opts);
	tv_set_bool(w->page, "manage", manage);
	tv_set_str(w->page, "action", manage ? "/asset-register" : "/community-assets");
	if (sv_eq_cstr(kv_get(&r->query, "done"), "saved"))
		page_notice(w, "The asset has been saved.");
	page_render(r, w, 200, "asset_list", manage ? "Community assets" : "Community groups and places");
}

void web_assets_public(req *r, struct web *w)
{
	asset_list(r, w, false);
}

void web_assets(req *r, struct web *w)
{
	asset_list(r, w, true);
}

void web_asset_public(req *r, struct web *w)
{
	struct asset x;
	int64_t id = parse_id(web_param(w, "id"));
	int rc = id ? asset_get(w->db, r->a, id, true, &x) : DOMAIN_ENOTFOUND;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	tv_set(w->page, "asset", asset_map(r, &x, false));
	page_render(r, w, 200, "asset", x.name);
}

/* A text area for programme_textarea: what was typed, or STORED on first show. */
static void textarea(req *r, struct web *w, const char *key, const char *id, const char *label,
                     const char *hint, const char *stored, const struct field_errors *fe)
{
	tval *m = tv_map(r->a);
	tv_set_str(m, "id", id);
	tv_set_str(m, "label", label);
	tv_set_str(m, "hint", hint);
	tv_set_str(m, "error", field_error_get(fe, id));
	tv_set_int(m, "rows", 3);
	if (r->method == HTTP_POST)
		tv_set_sv(m, "value", kv_get(&r->form, id));
	else
		tv_set_str(m, "value", stored);
	tv_set(w->page, key, m);
}

/* --- The form -------------------------------------------------------------------------- */

static const struct field_spec asset_specs[] = {
    {"name_field", "name", "Name", "The name people know it by", NULL, "off", true},
    {"area_field", "area_note", "Area (optional)",
     "Where it works if not in one ward, like “City-wide” or “Eccles and Monton”", NULL, "off",
     true},
    {"tags_field", "tags", "Tags (optional)",
     "Words for who they reach, separated by commas, like “young-adults, carers”", NULL, "off",
     true},
    {NULL, NULL, NULL, NULL, NULL, NULL, false},
};
static const char *const asset_fields[] = {"name", "kind", "ward", "area_note", "contact",
                                           "who_they_reach", "accessibility", "tags", NULL};

static void asset_form(req *r, struct web *w, int status, int64_t id, const struct asset *x,
                       const struct field_errors *fe)
{
	tval *defaults = NULL, *wards;
	bool post = r->method == HTTP_POST;
	sv kind, ward;
	int rc;

	if (x) {
		defaults = tv_map(r->a);
		tv_set_str(defaults, "name", x->name);
		tv_set_str(defaults, "area_note", x->area_note);
		tv_set_str(defaults, "tags", x->tags);
	}
	kind = post ? kv_get(&r->form, "kind") : sv_from(x ? x->kind : "");
	ward = post ? kv_get(&r->form, "ward") : sv_from(x ? x->ward_code : "");
	rc = ward_options(r, w, ward, "Not in one ward", &wards);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	page_form(r, w, asset_specs, fe, defaults);
	page_form_errors(r, w, fe, asset_fields);
	textarea(r, w, "contact_field", "contact", "How to contact them (optional)",
	         "A phone number, email address, website or a place and time to find them",
	         x ? x->contact : NULL, fe);
	textarea(r, w, "reach_field", "who_they_reach", "Who they reach (optional)",
	         "For example, “parents of disabled children across Salford”",
	         x ? x->who_they_reach : NULL, fe);
	textarea(r, w, "access_field", "accessibility", "Accessibility (optional)",
	         "Step-free access, hearing loop, interpreters, quiet space, and so on",
	         x ? x->accessibility : NULL, fe);
	tv_set(w->page, "kinds", kind_options(r, kind, "Choose a kind"));
	tv_set(w->page, "wards", wards);
	tv_set_bool(w->page, "public_checked",
	            post ? sv_eq_cstr(kv_get(&r->form, "public"), "yes") : (x && x->public));
	tv_set_str(w->page, "action",
	           id ? arena_printf(r->a, "/asset-register/%" PRId64, id) : "/asset-register/new");
	tv_set_bool(w->page, "editing", id != 0);
	if (x && id)
		tv_set_str(w->page, "asset_name", x->name);
	page_render(r, w, status, "asset_form", id ? "Change a community asset" : "Add a community asset");
}

void web_asset_new(req *r, struct web *w)
{
	asset_form(r, w, 200, 0, NULL, NULL);
}

void web_asset_edit(req *r, struct web *w)
{
	struct asset x;
	int64_t id = parse_id(web_param(w, "id"));
	int rc = id ? asset_get(w->db, r->a, id, false, &x) : DOMAIN_ENOTFOUND;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	asset_form(r, w, 200, id, &x, NULL);
}

static void asset_post(req *r, struct web *w, int64_t id)
{
	struct asset_input in;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int rc;

	memset(&in, 0, sizeof(in));
	in.name = kv_get(&r->form, "name");
	in.kind = kv_get(&r->form, "kind");
	in.ward = kv_get(&r->form, "ward");
	in.area_note = kv_get(&r->form, "area_note");
	in.contact = kv_get(&r->form, "contact");
	in.who_they_reach = kv_get(&r->form, "who_they_reach");
	in.accessibility = kv_get(&r->form, "accessibility");
	in.tags = kv_get(&r->form, "tags");
	in.public = sv_eq_cstr(kv_get(&r->form, "public"), "yes");
	field_errors_init(&fe);
	rc = asset_save(w->db, r->a, &who, id, &in, &fe, NULL);
	if (rc == DOMAIN_OK) {
		resp_redirect(r, "/asset-register?done=saved");
		return;
	}
	if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	asset_form(r, w, 400, id, NULL, &fe);
}

void web_asset_create(req *r, struct web *w)
{
	asset_post(r, w, 0);
}

void web_asset_update(req *r, struct web *w)
{
	struct asset x;
	int64_t id = parse_id(web_param(w, "id"));
	int rc = id ? asset_get(w->db, r->a, id, false, &x) : DOMAIN_ENOTFOUND;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	asset_post(r, w, id);
}

/* "269,924": a count as people read it. */
static const char *thousands(arena *a, int64_t v)
{
	char digits[32];
	sbuf b;
	int len = snprintf(digits, sizeof(digits), "%" PRId64, v);
	sbuf_init(&b, a, 48);
	for (int i = 0; i < len; i++) {
		if (i && digits[i - 1] != '-' && (len - i) % 3 == 0)
			sbuf_addc(&b, ',');
		sbuf_addc(&b, digits[i]);
	}
	return b.err ? "" : b.buf;
}

/* --- Wards ----------------------------------------------------------------------------- */

/* The wards with their Census populations, and (for programme leads) the import form.
 * ERRS are the bad lines of a refused import. */
static void wards_page(req *r, struct web *w, int status, const struct ward_import_error *errs,
                       size_t nerrs)
{
	struct ward *wards;
	size_t n;
	int64_t total = 0;
	tval *rows = tv_list(r->a), *list = tv_list(r->a);
	int rc = ward_list(w->db, r->a, &wards, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "code", wards[i].code);
		tv_set_str(m, "name", wards[i].name);
		if (wards[i].population_2011)
			tv_set_str(m, "pop2011", thousands(r->a, wards[i].population_2011));
		tv_set_str(m, "pop2021", thousands(r->a, wards[i].population_2021));
		tv_set_str(m, "source", wards[i].source);
		tv_set_str(m, "assets_href", arena_printf(r->a, "/asset-register?ward=%s", wards[i].code));
		tv_push(rows, m);
		total += wards[i].population_2021;
	}
	for (size_t i = 0; i < nerrs; i++) {
		tval *e = tv_map(r->a);
		tv_set_str(e, "href", "#csv");
		tv_set_str(e, "text", arena_printf(r->a, "Line %d: %s", errs[i].line, errs[i].message));
		tv_push(list, e);
	}
	tv_set(w->page, "wards", rows);
	tv_set_bool(w->page, "has_wards", n > 0);
	tv_set_str(w->page, "total", thousands(r->a, total));
	tv_set_bool(w->page, "can_import", web_has_role(w, ROLE_PROGRAMME_LEAD));
	tv_set(w->page, "errors", list);
	tv_set_bool(w->page, "has_errors", nerrs > 0);
	if (nerrs)
		tv_set_str(w->page, "csv_error", "Nothing was imported: correct the lines listed above");
	tv_set_sv(w->page, "csv", kv_get(&r->form, "csv"));
	if (sv_eq_cstr(kv_get(&r->query, "done"), "imported"))
		page_notice(w, "The wards have been imported.");
	page_render(r, w, status, "asset_wards", "Wards and their populations");
}

void web_wards(req *r, struct web *w)
{
	wards_page(r, w, 200, NULL, 0);
}

void web_wards_import(req *r, struct web *w)
{
	struct ward_import_error *errs;
	struct audit_actor who = web_actor(r, w);
	size_t nerrs;
	int rc = ward_import(w->db, r->a, &who, kv_get(&r->form, "csv"), &errs, &nerrs, NULL);
	if (rc == DOMAIN_OK) {
		resp_redirect(r, "/asset-register/wards?done=imported");
		return;
	}
	if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	wards_page(r, w, 400, errs, nerrs);
}
