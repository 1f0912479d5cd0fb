/* web_ideas.c: adding ideas, developing them with decision-makers into concepts and
 * proposals (versions, amendments, comments, tags, links, shares, tests), and the lists
 * of a programme's and a group's ideas. */
#include <inttypes.h>
#include <string.h>

#include "core/date.h"
#include "domain/access.h"
#include "domain/groups.h"
#include "domain/ideas.h"
#include "web/web_decisions.h"
#include "web/web_ideas.h"

/* Lines of a description compared side by side, at most. */
#define COMPARE_LINES_MAX 400

/* --- Small helpers ------------------------------------------------------------------------ */

const char *ideas_human_date(arena *a, const char *iso)
{
	struct date dt;
	sbuf b;
	sv s = sv_from(iso);
	if (s.len < 10)
		return "";
	s.len = 10;
	if (date_parse(s, &dt) != 0)
		return "";
	sbuf_init(&b, a, 40);
	date_human(&b, dt);
	return b.err ? "" : b.buf;
}

static int64_t id_param(const struct web *w, const char *name)
{
	int64_t id;
	if (sv_to_i64(web_param(w, name), &id) != 0 || id <= 0)
		return 0;
	return id;
}

static int64_t query_id(const kvlist *l, const char *name)
{
	int64_t id;
	sv v = sv_trim(kv_get(l, name));
	if (!v.len || sv_to_i64(v, &id) != 0 || id <= 0)
		return 0;
	return id;
}

static int64_t viewer_id(const struct web *w)
{
	return w->sess ? w->sess->account_id : 0;
}

static enum role viewer_role(const struct web *w)
{
	return w->sess ? w->sess->role : ROLE_NONE;
}

static const char *side_phrase(const char *side)
{
	return side && strcmp(side, "local") == 0 ? "a local person" : "a professional";
}

/* "Name (a local person)" for people who take part; "a local person" for the public. */
static const char *who_text(arena *a, const char *name, const char *side, bool names)
{
	if (!names || !name)
		return side_phrase(side);
	return arena_printf(a, "%s (%s)", name, side_phrase(side));
}

static const char *idea_href(arena *a, int64_t id)
{
	return arena_printf(a, "/ideas/%" PRId64, id);
}

struct done_message {
	const char *key, *message;
};

static const struct done_message done_messages[] = {
    {"created", "Your idea has been added"},
    {"saved", "The new version has been saved"},
    {"commented", "Your comment has been added"},
    {"status", "The status has been changed"},
    {"tags", "The tags have been saved"},
    {"linked", "The ideas have been linked"},
    {"shared", "The idea has been shared with the group"},
    {"tested", "The test has been recorded"},
    {NULL, NULL},
};

static void put_done(req *r, struct web *w)
{
	sv done = kv_get(&r->query, "done");
	if (!done.ptr)
		return;
	for (const struct done_message *m = done_messages; m->key; m++)
		if (sv_eq_cstr(done, m->key)) {
			page_notice(w, m->message);
			return;
		}
}

static void redirect_done(req *r, int64_t id, const char *done, const char *anchor)
{
	resp_redirect(r, arena_printf(r->a, "/ideas/%" PRId64 "?done=%s%s", id, done, anchor));
}

/* The idea of the path's :id with what the viewer may do with it; a 404 page has been
 * sent when this returns false. */
static bool load_idea(req *r, struct web *w, struct idea *idea, int *access, int need)
{
	int64_t id = id_param(w, "id");
	int acc, rc;
	if (!id) {
		page_error(r, w, 404);
		return false;
	}
	acc = ideas_access(w->db, viewer_id(w), viewer_role(w), id);
	if (acc < 0) {
		page_fail(r, w, acc);
		return false;
	}
	if (acc == IDEA_NONE) {
		page_error(r, w, 404);
		return false;
	}
	if (acc < need) {
		page_error(r, w, acc >= IDEA_TAKE_PART || need > IDEA_PUBLIC ? 403 : 404);
		return false;
	}
	rc = ideas_get(w->db, r->a, id, idea);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return false;
	}
	*access = acc;
	return true;
}

static tval *idea_value(req *r, const struct idea *idea)
{
	tval *m = tv_map(r->a);
	tv_set_int(m, "id", idea->id);
	tv_set_str(m, "href", idea_href(r->a, idea->id));
	tv_set_str(m, "title", idea->title);
	tv_set_str(m, "body", idea->body);
	tv_set_str(m, "status_label", ideas_status_label(idea->status));
	tv_set_str(m, "status_slug", ideas_status_slug(idea->status));
	tv_set_str(m, "programme_name", idea->programme_name);
	tv_set_str(m, "programme_slug", idea->programme_slug);
	tv_set_str(m, "priority_name", idea->priority_name);
	tv_set_str(m, "priority_slug", idea->priority_slug);
	tv_set_str(m, "group_name", idea->group_name);
	if (idea->group_id)
		tv_set_str(m, "group_href",
		           arena_printf(r->a, "/groups/%" PRId64 "/ideas", idea->group_id));
	tv_set_int(m, "version", idea->version);
	tv_set_str(m, "raised", ideas_human_date(r->a, idea->created_at));
	tv_set_str(m, "side_phrase", side_phrase(idea->side));
	return m;
}

/* --- The idea page ---------------------------------------------------------------------- */

static const char *const idea_page_fields[] = {
    "comment", "reply", "parent_id", "tags", "related_id", "group_id", "status", "note", NULL};

static int put_people(req *r, struct web *w, const struct idea *idea, bool names)
{
	struct idea_author *au;
	struct idea_revision *rv;
	size_t n;
	tval *authors = tv_list(r->a), *amenders = tv_list(r->a);
	int rc = ideas_authors(w->db, r->a, idea->id, &au, &n);
	if (rc != DOMAIN_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "who", who_text(r->a, au[i].name, au[i].side, names));
		if (names && au[i].recorded_by_name)
			tv_set_str(m, "recorded_by", au[i].recorded_by_name);
		tv_push(authors, m);
	}
	rc = ideas_revisions(w->db, r->a, idea->id, &rv, &n);
	if (rc != DOMAIN_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		tval *m;
		if (!rv[i].is_amendment)
			continue;
		m = tv_map(r->a);
		tv_set_str(
		    m, "who",
		    who_text(r->a,
		             rv[i].on_behalf_name ? rv[i].on_behalf_name : rv[i].revised_by_name,
		             rv[i].side, names));
		tv_set_int(m, "version", rv[i].version);
		tv_set_str(m, "date", ideas_human_date(r->a, rv[i].revised_at));
		tv_push(amenders, m);
	}
	tv_set(w->page, "authors", authors);
	tv_set(w->page, "amendments", amenders);
	tv_set_bool(w->page, "any_amendments", tv_len(amenders) > 0);
	return DOMAIN_OK;
}

static int put_timeline(req *r, struct web *w, const struct idea *idea, bool names)
{
	struct idea_status_change *sc;
	size_t n;
	tval *list = tv_list(r->a);
	int rc = ideas_status_changes(w->db, r->a, idea->id, &sc, &n);
	if (rc != DOMAIN_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "label",
		           sc[i].from < 0 ? "Idea raised" : ideas_status_label(sc[i].to));
		tv_set_str(m, "date", ideas_human_date(r->a, sc[i].changed_at));
		tv_set_str(m, "note", sc[i].note);
		if (names && sc[i].changed_by_name)
			tv_set_str(m, "by",
			           sc[i].on_behalf_name
			               ? arena_printf(r->a, "%s for %s", sc[i].changed_by_name,
			                              sc[i].on_behalf_name)
			               : sc[i].changed_by_name);
		tv_push(list, m);
	}
	tv_set(w->page, "timeline", list);
	return DOMAIN_OK;
}

static int put_comments(req *r, struct web *w, const struct idea *idea,
                        const struct field_errors *fe)
{
	struct idea_comment *c;
	size_t n, ntop = 0;
	tval *list = tv_list(r->a), **tops, **replies;
	int64_t *top_ids, reply_parent = query_id(&r->form, "parent_id");
	const char *reply_error =
	    reply_parent ? field_error_get(fe, arena_printf(r->a, "reply-%" PRId64, reply_parent))
	                 : NULL;
	int rc = ideas_comments(w->db, r->a, idea->id, &c, &n);
	if (rc != DOMAIN_OK)
		return rc;
	tops = arena_calloc(r->a, n + 1, sizeof(*tops));
	replies = arena_calloc(r->a, n + 1, sizeof(*replies));
	top_ids = arena_calloc(r->a, n + 1, sizeof(*top_ids));
	if (!tops || !replies || !top_ids)
		return DB_ERR;
	for (size_t i = 0; i < n; i++) {
		tval *m = tv_map(r->a);
		const char *name = c[i].on_behalf_name ? c[i].on_behalf_name : c[i].name;
		tv_set_int(m, "id", c[i].id);
		tv_set_str(m, "who", who_text(r->a, name, c[i].side, true));
		if (c[i].on_behalf_of)
			tv_set_str(m, "recorded_by", c[i].name);
		tv_set_str(m, "body", c[i].body);
		tv_set_str(m, "date", ideas_human_date(r->a, c[i].created_at));
		tv_set_str(m, "side", c[i].side);
		if (!c[i].parent_id) {
			tops[ntop] = m;
			replies[ntop] = tv_list(r->a);
			top_ids[ntop++] = c[i].id;
			tv_set(m, "replies", replies[ntop - 1]);
			if (reply_error && reply_parent == c[i].id) {
				tv_set_str(m, "reply_error", reply_error);
				tv_set_sv(m, "reply_value", kv_get(&r->form, "reply"));
			}
			tv_push(list, m);
			continue;
		}
		for (size_t k = 0; k < ntop; k++)
			if (top_ids[k] == c[i].parent_id) {
				tv_push(replies[k], m);
				break;
			}
	}
	tv_set(w->page, "comments", list);
	tv_set_bool(w->page, "any_comments", ntop > 0);
	return DOMAIN_OK;
}

static int put_extras(req *r, struct web *w, const struct idea *idea, bool manage, bool typed_tags)
{
	char **tags;
	struct idea_brief *links, *shares;
	struct idea_test *tests;
	struct idea_option *groups;
	size_t n, nshares, ngroups;
	tval *list;
	sbuf joined;
	int rc = ideas_tags(w->db, r->a, idea->id, &tags, &n);
	if (rc != DOMAIN_OK)
		return rc;
	list = tv_list(r->a);
	sbuf_init(&joined, r->a, IDEA_TAGS_MAX * (IDEA_TAG_MAX + 2) + 1);
	for (size_t i = 0; i < n; i++) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "tag", tags[i]);
		tv_push(list, m);
		if (i)
			sbuf_adds(&joined, ", ");
		sbuf_adds(&joined, tags[i]);
	}
	tv_set(w->page, "tags", list);
	tv_set_str(w->page, "tags_value", joined.buf);
	if (typed_tags)
		tv_set_sv(w->page, "tags_value", kv_get(&r->form, "tags"));

	rc = ideas_links(w->db, r->a, idea->id, viewer_id(w), viewer_role(w), &links, &n);
	if (rc != DOMAIN_OK)
		return rc;
	list = tv_list(r->a);
	for (size_t i = 0; i < n; i++) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "href", idea_href(r->a, links[i].id));
		tv_set_str(m, "title", links[i].title);
		tv_set_str(m, "status_label", ideas_status_label(links[i].status));
		tv_set_str(m, "group_name", links[i].group_name);
		tv_push(list, m);
	}
	tv_set(w->page, "links", list);

	rc = ideas_shares(w->db, r->a, idea->id, &shares, &nshares);
	if (rc != DOMAIN_OK)
		return rc;
	list = tv_list(r->a);
	for (size_t i = 0; i < nshares; i++) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "name", shares[i].title);
		tv_push(list, m);
	}
	tv_set(w->page, "shares", list);

	if (manage) {
		rc = ideas_group_options(w->db, r->a, idea->programme_id, &groups, &ngroups);
		if (rc != DOMAIN_OK)
			return rc;
		list = tv_list(r->a);
		for (size_t i = 0; i < ngroups; i++) {
			bool taken = groups[i].id == idea->group_id;
			tval *m;
			for (size_t k = 0; k < nshares && !taken; k++)
				taken = shares[k].id == groups[i].id;
			if (taken)
				continue;
			m = tv_map(r->a);
			tv_set_str(m, "value", arena_printf(r->a, "%" PRId64, groups[i].id));
			tv_set_str(m, "label", groups[i].name);
			tv_set_bool(m, "selected", query_id(&r->form, "group_id") == groups[i].id);
			tv_push(list, m);
		}
		tv_set(w->page, "share_options", list);
		tv_set_bool(w->page, "can_share", tv_len(list) > 0);
	}

	rc = ideas_tests(w->db, r->a, idea->id, &tests, &n);
	if (rc != DOMAIN_OK)
		return rc;
	list = tv_list(r->a);
	for (size_t i = 0; i < n; i++) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "date", ideas_human_date(r->a, tests[i].tested_on));
		tv_set_str(m, "tried", tests[i].tried);
		tv_set_str(m, "expected", tests[i].expected);
		tv_set_str(m, "happened", tests[i].happened);
		tv_set_str(m, "changed", tests[i].changed);
		tv_push(list, m);
	}
	tv_set(w->page, "tests", list);
	return DOMAIN_OK;
}

static const char *status_hint(enum idea_status from, enum idea_status to)
{
	if (to == IDEA_CONCEPT && from == IDEA_PROPOSAL)
		return "Send it back to be developed further before it goes to the Board";
	if (to == IDEA_CONCEPT)
		return "Local people and decision-makers are developing it together";
	if (to == IDEA_PROPOSAL)
		return "It is ready to go to the Health and Wellbeing Board";
	return "";
}

static void put_status_options(req *r, struct web *w, const struct idea *idea)
{
	tval *list = tv_list(r->a);
	int first = 1;
	sv typed = kv_get(&r->form, "status");
	for (int to = 0; to <= IDEA_PROPOSAL; to++) {
		tval *m;
		if (!ideas_status_allowed(idea->status, (enum idea_status)to))
			continue;
		m = tv_map(r->a);
		tv_set_str(m, "id", first ? "status" : arena_printf(r->a, "status-%d", to));
		tv_set_str(m, "value", ideas_status_slug((enum idea_status)to));
		tv_set_str(m, "label", ideas_status_label((enum idea_status)to));
		tv_set_str(m, "hint", status_hint(idea->status, (enum idea_status)to));
		tv_set_bool(m, "checked",
		            sv_eq_cstr(typed, ideas_status_slug((enum idea_status)to)));
		tv_push(list, m);
		first = 0;
	}
	tv_set(w->page, "status_options", list);
	tv_set_bool(w->page, "can_move", tv_len(list) > 0);
}

/* Renders the idea page, after a failed form (FE) or not. */
static void idea_page(req *r, struct web *w, int status, const struct idea *idea, int access,
                      struct field_errors *fe)
{
	bool names = access >= IDEA_TAKE_PART, manage = access >= IDEA_MANAGE;
	int rc;
	page_form_errors(r, w, fe, idea_page_fields);
	put_done(r, w);
	tv_set(w->page, "idea", idea_value(r, idea));
	tv_set_bool(w->page, "public_view", !names);
	tv_set_bool(w->page, "can_take_part", names);
	tv_set_bool(w->page, "can_manage", manage);
	tv_set_bool(w->page, "signed_in", w->sess != NULL);
	/* People taking part see who proposed, amended and decided, by name; the public sees
	 * only which side each came from. */
	rc = names ? power_item_put(r, w, idea->id, true) : put_people(r, w, idea, false);
	if (rc == DOMAIN_OK)
		rc = put_timeline(r, w, idea, names);
	if (rc == DOMAIN_OK && names)
		rc = put_comments(r, w, idea, fe);
	if (rc == DOMAIN_OK)
		rc = put_extras(r, w, idea, manage,
		                r->method == HTTP_POST && field_error_get(fe, "tags") != NULL);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	if (manage)
		put_status_options(r, w, idea);
	page_render(r, w, status, "idea", idea->title);
}

void web_idea(req *r, struct web *w)
{
	struct idea idea;
	int access;
	if (!load_idea(r, w, &idea, &access, IDEA_PUBLIC))
		return;
	idea_page(r, w, 200, &idea, access, NULL);
}

/* Renames the domain's field FROM to TO so the error lands on the right form. */
static void rename_field(struct field_errors *fe, const char *from, const char *to)
{
	for (size_t i = 0; i < fe->n; i++)
		if (strcmp(fe->items[i].field, from) == 0)
			fe->items[i].field = to;
}

/* After a change: back to the page with a notice, or the page again with the errors. */
static void after_change(req *r, struct web *w, int rc, const struct idea *idea, int access,
                         struct field_errors *fe, const char *done, const char *anchor)
{
	if (rc == DOMAIN_OK) {
		redirect_done(r, idea->id, done, anchor);
		return;
	}
	if (rc == DOMAIN_EINVALID || rc == DOMAIN_ECONFLICT) {
		/* Read again: the failed change was rolled back, nothing else moved. */
		idea_page(r, w, 400, idea, access, fe);
		return;
	}
	page_fail(r, w, rc);
}

void web_idea_comment(req *r, struct web *w)
{
	struct idea idea;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int access, rc;
	int64_t parent = query_id(&r->form, "parent_id");
	if (!load_idea(r, w, &idea, &access, IDEA_TAKE_PART))
		return;
	field_errors_init(&fe);
	rc = ideas_comment_add(w->db, r->a, &who, idea.id, parent,
	                       kv_get(&r->form, parent ? "reply" : "comment"), &fe, NULL);
	/* The summary links to the reply box under its own comment. */
	rename_field(&fe, "body",
	             parent ? arena_printf(r->a, "reply-%" PRId64, parent) : "comment");
	after_change(r, w, rc, &idea, access, &fe, "commented", "#comments");
}

void web_idea_status(req *r, struct web *w)
{
	struct idea idea;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int access, rc, to;
	if (!load_idea(r, w, &idea, &access, IDEA_MANAGE))
		return;
	field_errors_init(&fe);
	to = ideas_status_parse(kv_get(&r->form, "status"));
	if (to < 0 || to > IDEA_PROPOSAL) {
		field_error_add(&fe, "status", "Select what the idea has become");
		rc = DOMAIN_EINVALID;
	} else {
		rc = ideas_set_status(w->db, r->a, &who, idea.id, (enum idea_status)to,
		                      kv_get(&r->form, "note"), &fe);
	}
	after_change(r, w, rc, &idea, access, &fe, "status", "#status");
}

void web_idea_tags(req *r, struct web *w)
{
	struct idea idea;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int access, rc;
	if (!load_idea(r, w, &idea, &access, IDEA_TAKE_PART))
		return;
	field_errors_init(&fe);
	rc = ideas_tags_set(w->db, r->a, &who, idea.id, kv_get(&r->form, "tags"), &fe);
	after_change(r, w, rc, &idea, access, &fe, "tags", "#tags");
}

void web_idea_link(req *r, struct web *w)
{
	struct idea idea;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int access, rc;
	sv typed = sv_trim(kv_get(&r->form, "related_id"));
	int64_t related = 0;
	if (!load_idea(r, w, &idea, &access, IDEA_TAKE_PART))
		return;
	field_errors_init(&fe);
	if (typed.len && typed.ptr[0] == '#') {
		typed.ptr++;
		typed.len--;
	}
	if (!typed.len || sv_to_i64(typed, &related) != 0 || related <= 0) {
		field_error_add(&fe, "related_id", "Enter the number of the related idea, like 12");
		rc = DOMAIN_EINVALID;
	} else {
		rc = ideas_link_add(w->db, r->a, &who, idea.id, related, &fe);
	}
	after_change(r, w, rc, &idea, access, &fe, "linked", "#links");
}

void web_idea_share(req *r, struct web *w)
{
	struct idea idea;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int access, rc;
	if (!load_idea(r, w, &idea, &access, IDEA_MANAGE))
		return;
	field_errors_init(&fe);
	rc = ideas_share(w->db, r->a, &who, idea.id, query_id(&r->form, "group_id"), &fe);
	after_change(r, w, rc, &idea, access, &fe, "shared", "#shares");
}

/* --- Editing and versions ------------------------------------------------------------------ */

static const char *const edit_fields[] = {"title", "body", NULL};

static void edit_page(req *r, struct web *w, int status, const struct idea *idea,
                      struct field_errors *fe)
{
	page_form_errors(r, w, fe, edit_fields);
	tv_set(w->page, "idea", idea_value(r, idea));
	if (r->method != HTTP_POST) {
		tval *values = tv_map(r->a);
		tv_set_str(values, "title", idea->title);
		tv_set_str(values, "body", idea->body);
		tv_set(w->page, "values", values);
	}
	page_render(r, w, status, "idea_edit", "Change the idea");
}

void web_idea_edit_form(req *r, struct web *w)
{
	struct idea idea;
	int access;
	if (!load_idea(r, w, &idea, &access, IDEA_TAKE_PART))
		return;
	edit_page(r, w, 200, &idea, NULL);
}

void web_idea_edit(req *r, struct web *w)
{
	struct idea idea;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int access, rc;
	if (!load_idea(r, w, &idea, &access, IDEA_TAKE_PART))
		return;
	field_errors_init(&fe);
	rc = ideas_revise(w->db, r->a, &who, idea.id, kv_get(&r->form, "title"),
	                  kv_get(&r->form, "body"), &fe, NULL);
	if (rc == DOMAIN_OK)
		redirect_done(r, idea.id, "saved", "");
	else if (rc == DOMAIN_EINVALID)
		edit_page(r, w, 400, &idea, &fe);
	else
		page_fail(r, w, rc);
}

/* Splits TEXT into lines (without their ends), at most MAX. */
static size_t split_lines(arena *a, const char *text, sv **out, size_t max)
{
	sv rest = sv_from(text);
	size_t n = 0;
	*out = arena_calloc(a, max, sizeof(**out));
	if (!*out)
		return 0;
	while (rest.ptr && n < max) {
		sv line = sv_cut(rest, '\n', &rest);
		if (line.len && line.ptr[line.len - 1] == '\r')
			line.len--;
		(*out)[n++] = line;
	}
	return n;
}

static tval *compare_rows(req *r, const struct idea_revision *x, const struct idea_revision *y)
{
	sv *left, *right;
	size_t nl = split_lines(r->a, x->body, &left, COMPARE_LINES_MAX);
	size_t nr = split_lines(r->a, y->body, &right, COMPARE_LINES_MAX);
	tval *rows = tv_list(r->a);
	for (size_t i = 0; i < nl || i < nr; i++) {
		tval *m = tv_map(r->a);
		sv a = i < nl ? left[i] : SV("");
		sv b = i < nr ? right[i] : SV("");
		tv_set_sv(m, "left", a);
		tv_set_sv(m, "right", b);
		tv_set_bool(m, "changed", !sv_eq(a, b));
		tv_push(rows, m);
	}
	return rows;
}

static tval *revision_value(req *r, const struct idea_revision *v)
{
	tval *m = tv_map(r->a);
	const char *name = v->on_behalf_name ? v->on_behalf_name : v->revised_by_name;
	tv_set_int(m, "version", v->version);
	tv_set_str(m, "title", v->title);
	tv_set_str(m, "who", who_text(r->a, name, v->side, true));
	if (v->on_behalf_name && v->revised_by_name)
		tv_set_str(m, "recorded_by", v->revised_by_name);
	tv_set_bool(m, "is_amendment", v->is_amendment);
	tv_set_str(m, "date", ideas_human_date(r->a, v->revised_at));
	return m;
}

static tval *version_options(req *r, const struct idea_revision *rv, size_t n, int selected)
{
	tval *list = tv_list(r->a);
	for (size_t i = 0; i < n; i++) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "value", arena_printf(r->a, "%d", rv[i].version));
		tv_set_str(m, "label",
		           arena_printf(r->a, "Version %d, %s", rv[i].version,
		                        ideas_human_date(r->a, rv[i].revised_at)));
		tv_set_bool(m, "selected", rv[i].version == selected);
		tv_push(list, m);
	}
	return list;
}

void web_idea_versions(req *r, struct web *w)
{
	struct idea idea;
	struct idea_revision *rv;
	size_t n;
	int access, rc, from, to;
	tval *list;
	if (!load_idea(r, w, &idea, &access, IDEA_TAKE_PART))
		return;
	rc = ideas_revisions(w->db, r->a, idea.id, &rv, &n);
	if (rc != DOMAIN_OK || n == 0) {
		page_fail(r, w, rc == DOMAIN_OK ? DB_ERR : rc);
		return;
	}
	list = tv_list(r->a);
	for (size_t i = n; i-- > 0;)
		tv_push(list, revision_value(r, &rv[i]));
	from = (int)query_id(&r->query, "from");
	to = (int)query_id(&r->query, "to");
	if (!from)
		from = n > 1 ? rv[n - 2].version : rv[0].version;
	if (!to)
		to = rv[n - 1].version;
	tv_set(w->page, "idea", idea_value(r, &idea));
	tv_set(w->page, "versions", list);
	tv_set(w->page, "from_options", version_options(r, rv, n, from));
	tv_set(w->page, "to_options", version_options(r, rv, n, to));
	tv_set_bool(w->page, "several", n > 1);
	if (n > 1) {
		const struct idea_revision *x = NULL, *y = NULL;
		for (size_t i = 0; i < n; i++) {
			if (rv[i].version == from)
				x = &rv[i];
			if (rv[i].version == to)
				y = &rv[i];
		}
		if (!x || !y) {
			page_error(r, w, 404);
			return;
		}
		tval *cmp = tv_map(r->a);
		tv_set(cmp, "left", revision_value(r, x));
		tv_set(cmp, "right", revision_value(r, y));
		tv_set_bool(cmp, "title_changed", strcmp(x->title, y->title) != 0);
		tv_set(cmp, "rows", compare_rows(r, x, y));
		tv_set(w->page, "compare", cmp);
	}
	page_render(r, w, 200, "idea_versions", "Versions of the idea");
}

/* --- Tests ---------------------------------------------------------------------------------- */

static const char *const test_fields[] = {"tested_on", "tried",   "expected",
                                          "happened",  "changed", NULL};

static void test_page(req *r, struct web *w, int status, const struct idea *idea,
                      struct field_errors *fe)
{
	page_form_errors(r, w, fe, test_fields);
	/* The date's parts are typed into three boxes named tested_on-day and so on. */
	tv_set_sv(w->page, "day", kv_get(&r->form, "tested_on-day"));
	tv_set_sv(w->page, "month", kv_get(&r->form, "tested_on-month"));
	tv_set_sv(w->page, "year", kv_get(&r->form, "tested_on-year"));
	tv_set(w->page, "idea", idea_value(r, idea));
	page_render(r, w, status, "idea_test_new", "Record a test of the idea");
}

void web_idea_test_form(req *r, struct web *w)
{
	struct idea idea;
	int access;
	if (!load_idea(r, w, &idea, &access, IDEA_TAKE_PART))
		return;
	test_page(r, w, 200, &idea, NULL);
}

void web_idea_test(req *r, struct web *w)
{
	struct idea idea;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	struct idea_test_new in = {
	    kv_get(&r->form, "tested_on-day"),  kv_get(&r->form, "tested_on-month"),
	    kv_get(&r->form, "tested_on-year"), kv_get(&r->form, "tried"),
	    kv_get(&r->form, "expected"),       kv_get(&r->form, "happened"),
	    kv_get(&r->form, "changed"),
	};
	int access, rc;
	if (!load_idea(r, w, &idea, &access, IDEA_TAKE_PART))
		return;
	field_errors_init(&fe);
	rc = ideas_test_add(w->db, r->a, &who, idea.id, &in, &fe);
	if (rc == DOMAIN_OK)
		redirect_done(r, idea.id, "tested", "#tests");
	else if (rc == DOMAIN_EINVALID)
		test_page(r, w, 400, &idea, &fe);
	else
		page_fail(r, w, rc);
}

/* --- Adding ----------------------------------------------------------------------------------- */

static const char *const new_fields[] = {"credit_to", "priority_area_id", "title", "body", "tags",
                                         NULL};

/* For those who run the group: whose idea it is, when they write it down in the room.
 * Puts "members" [{value, label, selected}] and "can_credit". */
static int put_credit_options(req *r, struct web *w, const struct group *g)
{
	struct group_member *m;
	size_t n;
	tval *list = tv_list(r->a), *me = tv_map(r->a);
	int64_t chosen = query_id(&r->form, "credit_to");
	int rc = access_group(w->db, viewer_id(w), viewer_role(w), g->id);
	if (rc < 0)
		return rc;
	if (rc != ACCESS_MANAGE || (w->sess && w->sess->acting_for))
		return DOMAIN_OK;
	rc = groups_members(w->db, r->a, g->id, false, &m, &n);
	if (rc != DOMAIN_OK)
		return rc;
	tv_set_str(me, "value", "");
	tv_set_str(me, "label", "Mine");
	tv_set_bool(me, "selected", chosen == 0);
	tv_push(list, me);
	for (size_t i = 0; i < n; i++) {
		tval *o;
		if (m[i].account_id == viewer_id(w))
			continue;
		o = tv_map(r->a);
		tv_set_str(o, "value", arena_printf(r->a, "%" PRId64, m[i].account_id));
		tv_set_str(
		    o, "label",
		    arena_printf(r->a, "%s (%s)", m[i].display_name, group_role_label(m[i].role)));
		tv_set_bool(o, "selected", chosen == m[i].account_id);
		tv_push(list, o);
	}
	tv_set(w->page, "members", list);
	tv_set_bool(w->page, "can_credit", true);
	return DOMAIN_OK;
}

/* The group of the path's :id that the viewer may see; a page has been sent on false. */
static bool load_group(req *r, struct web *w, struct group *g)
{
	int64_t id = id_param(w, "id");
	int rc;
	if (!id) {
		page_error(r, w, 404);
		return false;
	}
	rc = access_group(w->db, viewer_id(w), viewer_role(w), id);
	if (rc < 0 || rc == ACCESS_NONE) {
		page_fail(r, w, rc < 0 ? rc : DOMAIN_ENOTFOUND);
		return false;
	}
	rc = group_get_brief(w->db, r->a, id, g);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return false;
	}
	return true;
}

static void new_page(req *r, struct web *w, int status, const struct group *g,
                     struct field_errors *fe)
{
	struct idea_option *areas;
	size_t n;
	int64_t chosen = query_id(&r->form, "priority_area_id");
	tval *list = tv_list(r->a), *grp = tv_map(r->a);
	int rc = ideas_area_options(w->db, r->a, g->programme_id, &areas, &n);
	if (rc == DOMAIN_OK)
		rc = put_credit_options(r, w, g);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "id",
		           i == 0 ? "priority_area_id"
		                  : arena_printf(r->a, "priority_area_id-%zu", i));
		tv_set_str(m, "value", arena_printf(r->a, "%" PRId64, areas[i].id));
		tv_set_str(m, "label", areas[i].name);
		tv_set_bool(m, "checked", areas[i].id == chosen || (n == 1 && !chosen));
		tv_push(list, m);
	}
	page_form_errors(r, w, fe, new_fields);
	tv_set_int(grp, "id", g->id);
	tv_set_str(grp, "name", g->name);
	tv_set_str(grp, "programme_name", g->programme_name);
	tv_set(w->page, "group", grp);
	tv_set(w->page, "areas", list);
	page_render(r, w, status, "idea_new", "Add an idea");
}

void web_idea_new(req *r, struct web *w)
{
	struct group g;
	if (!load_group(r, w, &g))
		return;
	new_page(r, w, 200, &g, NULL);
}

void web_idea_create(req *r, struct web *w)
{
	struct group g;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	struct idea_new in;
	int64_t id = 0;
	int rc;
	if (!load_group(r, w, &g))
		return;
	in = (struct idea_new){g.id,
	                       query_id(&r->form, "priority_area_id"),
	                       kv_get(&r->form, "title"),
	                       kv_get(&r->form, "body"),
	                       kv_get(&r->form, "tags"),
	                       query_id(&r->form, "credit_to")};
	field_errors_init(&fe);
	rc = ideas_create(w->db, r->a, &who, &in, &fe, &id);
	if (rc == DOMAIN_OK)
		redirect_done(r, id, "created", "");
	else if (rc == DOMAIN_EINVALID)
		new_page(r, w, 400, &g, &fe);
	else
		page_fail(r, w, rc);
}

/* --- Lists -------------------------------------------------------------------------------------
 */

/* Reads ?status=, ?tag=, ?before= and ?after= into F; false if they cannot be a page. */
static bool read_filter(req *r, struct idea_filter *f, const char **tag_out)
{
	sv status = sv_trim(kv_get(&r->query, "status"));
	sv tag = sv_trim(kv_get(&r->query, "tag"));
	char *tags[IDEA_TAGS_MAX];
	const char *msg;
	f->status = -1;
	if (status.len) {
		f->status = ideas_status_parse(status);
		if (f->status < 0)
			return false;
	}
	*tag_out = "";
	if (tag.len) {
		/* Typed tags are normalised as stored ones are; a tag that cannot exist finds
		 * nothing rather than an error. */
		int n = ideas_tags_parse(r->a, tag, tags, &msg);
		f->tag = n > 0 ? tags[0] : "-";
		*tag_out = n > 0 ? tags[0] : sv_dup(r->a, tag);
	}
	f->before_id = query_id(&r->query, "before");
	f->after_id = query_id(&r->query, "after");
	return true;
}

static void list_page(req *r, struct web *w, struct idea_filter *f, const char *path,
                      const char *title)
{
	struct idea_brief *rows;
	size_t n;
	bool older = false, newer = false;
	const char *tag = "";
	char **tags;
	size_t ntags;
	tval *list = tv_list(r->a), *statuses = tv_list(r->a), *any = tv_map(r->a), *tag_list;
	int rc;

	if (!read_filter(r, f, &tag)) {
		page_error(r, w, 404);
		return;
	}
	f->viewer = viewer_id(w);
	f->viewer_role = viewer_role(w);
	rc = ideas_list(w->db, r->a, f, &rows, &n, &older, &newer);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		tval *m = tv_map(r->a);
		tv_set_int(m, "id", rows[i].id);
		tv_set_str(m, "href", idea_href(r->a, rows[i].id));
		tv_set_str(m, "title", rows[i].title);
		tv_set_str(m, "status_label", ideas_status_label(rows[i].status));
		tv_set_str(m, "group_name", rows[i].group_name);
		tv_set_str(m, "side_phrase", side_phrase(rows[i].side));
		tv_set_str(m, "updated", ideas_human_date(r->a, rows[i].updated_at));
		/* Each row's tags lead to the other ideas that have them. */
		rc = ideas_tags(w->db, r->a, rows[i].id, &tags, &ntags);
		if (rc != DOMAIN_OK) {
			page_fail(r, w, rc);
			return;
		}
		tag_list = tv_list(r->a);
		for (size_t k = 0; k < ntags; k++) {
			tval *t = tv_map(r->a);
			tv_set_str(t, "tag", tags[k]);
			tv_push(tag_list, t);
		}
		tv_set(m, "tags", tag_list);
		tv_push(list, m);
	}
	tv_set_str(any, "value", "");
	tv_set_str(any, "label", "Any status");
	tv_set_bool(any, "selected", f->status < 0);
	tv_push(statuses, any);
	for (int s = 0; s < IDEA_STATUS_COUNT; s++) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "value", ideas_status_slug((enum idea_status)s));
		tv_set_str(m, "label", ideas_status_label((enum idea_status)s));
		tv_set_bool(m, "selected", f->status == s);
		tv_push(statuses, m);
	}
	tv_set(w->page, "ideas", list);
	tv_set_bool(w->page, "any", n > 0);
	tv_set(w->page, "statuses", statuses);
	tv_set_str(w->page, "path", path);
	tv_set_str(w->page, "status",
	           f->status >= 0 ? ideas_status_slug((enum idea_status)f->status) : "");
	tv_set_str(w->page, "tag", tag);
	tv_set_bool(w->page, "filtered", f->status >= 0 || tag[0]);
	tv_set_str(w->page, "heading", title);
	if (n && older)
		tv_set_int(w->page, "older_before", rows[n - 1].id);
	if (n && newer)
		tv_set_int(w->page, "newer_after", rows[0].id);
	tv_set_bool(w->page, "pager", n && (older || newer));
	tv_set_bool(w->page, "later_page", f->before_id || f->after_id);
	page_render(r, w, 200, "idea_list", title);
}

/* The groups the viewer may add an idea to, in PROGRAMME_ID (0 for all), as
 * [{href, name}] in "add_to". */
static int put_add_links(req *r, struct web *w, int64_t programme_id)
{
	struct group *groups;
	size_t n;
	tval *list = tv_list(r->a);
	int rc =
	    group_names_for(w->db, r->a, viewer_id(w), viewer_role(w), programme_id, &groups, &n);
	if (rc != DOMAIN_OK)
		return rc;
	for (size_t i = 0; i < n && i < 50; i++) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "href",
		           arena_printf(r->a, "/groups/%" PRId64 "/ideas/new", groups[i].id));
		tv_set_str(m, "list_href",
		           arena_printf(r->a, "/groups/%" PRId64 "/ideas", groups[i].id));
		tv_set_str(m, "name", groups[i].name);
		tv_set_str(m, "programme_name", groups[i].programme_name);
		tv_push(list, m);
	}
	tv_set(w->page, "add_to", list);
	tv_set_bool(w->page, "has_add_to", n > 0);
	return DOMAIN_OK;
}

void web_ideas(req *r, struct web *w)
{
	struct idea_filter f = {0};
	int rc = put_add_links(r, w, 0);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	tv_set_str(w->page, "intro",
	           w->sess && w->sess->role == ROLE_PROGRAMME_LEAD
	               ? "Every idea in every programme."
	               : "The ideas of your groups, ideas shared with them, "
	                 "and your own.");
	list_page(r, w, &f, "/ideas", "Ideas");
}

void web_ideas_programme(req *r, struct web *w)
{
	struct idea_filter f = {0};
	char *slug = sv_dup(r->a, web_param(w, "slug")), *name = NULL;
	bool published = false;
	int64_t id = 0;
	int rc;
	if (!slug) {
		page_error(r, w, 500);
		return;
	}
	rc = ideas_programme_find(w->db, r->a, slug, &id, &name, &published);
	if (rc == DOMAIN_OK) {
		rc = access_programme(w->db, viewer_id(w), viewer_role(w), id);
		rc = rc < 0 ? rc : rc == ACCESS_NONE ? DOMAIN_ENOTFOUND : DOMAIN_OK;
	}
	if (rc == DOMAIN_OK)
		rc = put_add_links(r, w, id);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	f.programme_id = id;
	tv_set_str(w->page, "programme_name", name);
	tv_set_str(w->page, "programme_href", arena_printf(r->a, "/programmes/%s", slug));
	tv_set_str(w->page, "yousaid_href",
	           arena_printf(r->a, "/programmes/%s/you-said-we-did", slug));
	list_page(r, w, &f, arena_printf(r->a, "/programmes/%s/ideas", slug),
	          arena_printf(r->a, "Ideas in %s", name));
}

void web_ideas_group(req *r, struct web *w)
{
	struct idea_filter f = {0};
	struct group g;
	tval *add = tv_list(r->a), *m = tv_map(r->a);
	if (!load_group(r, w, &g))
		return;
	f.group_id = g.id;
	tv_set_str(m, "href", arena_printf(r->a, "/groups/%" PRId64 "/ideas/new", g.id));
	tv_set_str(m, "name", g.name);
	tv_push(add, m);
	tv_set(w->page, "add_to", add);
	tv_set_bool(w->page, "one_group", true);
	tv_set_str(w->page, "group_name", g.name);
	tv_set_str(w->page, "group_href", arena_printf(r->a, "/groups/%" PRId64, g.id));
	tv_set_str(w->page, "programme_name", g.programme_name);
	tv_set_str(w->page, "programme_href",
	           arena_printf(r->a, "/programmes/%s/ideas", g.programme_slug));
	list_page(r, w, &f, arena_printf(r->a, "/groups/%" PRId64 "/ideas", g.id),
	          arena_printf(r->a, "Ideas of %s", g.name));
}

/* --- Home ----------------------------------------------------------------------------------------
 */

void home_ideas(req *r, struct web *w)
{
	struct idea_brief *rows;
	size_t n;
	int64_t who;
	tval *home = tv_map(r->a), *list = tv_list(r->a);
	if (!w->sess)
		return;
	who = w->sess->acting_for ? w->sess->acting_for : w->sess->account_id;
	if (ideas_of_author(w->db, r->a, who, HOME_IDEAS_MAX, &rows, &n) != DOMAIN_OK)
		n = 0;
	for (size_t i = 0; i < n; i++) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "href", idea_href(r->a, rows[i].id));
		tv_set_str(m, "title", rows[i].title);
		tv_set_str(m, "status_label", ideas_status_label(rows[i].status));
		tv_set_str(m, "updated", ideas_human_date(r->a, rows[i].updated_at));
		tv_push(list, m);
	}
	tv_set(home, "ideas", list);
	tv_set_bool(home, "any", n > 0);
	tv_set(w->page, "home_ideas", home);
}
