/* web_groups.c: groups, their members and balance, and venues: the pages facilitators
 * run their groups from, and members see their group on. */
#include "web/web_groups.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "domain/access.h"
#include "domain/venues.h"
#include "web/web_admin.h"

/* --- Shared helpers ------------------------------------------------------------------- */

int groups_load(req *r, struct web *w, int64_t id, int need, struct group *g, int *level)
{
	int acc, rc;
	if (!id)
		id = admin_parse_id(web_param(w, "id"));
	if (id <= 0) {
		page_error(r, w, 404);
		return -1;
	}
	acc = access_group(w->db, w->sess->account_id, w->sess->role, id);
	if (acc < 0) {
		page_error(r, w, 500);
		return -1;
	}
	if (acc == ACCESS_NONE) {
		page_error(r, w, 404);
		return -1;
	}
	if (acc < need) {
		page_error(r, w, 403);
		return -1;
	}
	rc = group_get(w->db, r->a, id, g);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return -1;
	}
	if (level)
		*level = acc;
	return 0;
}

static sv form_part(req *r, const char *prefix, const char *part)
{
	char name[64];
	snprintf(name, sizeof(name), "%s-%s", prefix, part);
	return kv_get(&r->form, name);
}

bool groups_date_field(req *r, const char *prefix, struct date *out)
{
	return date_from_fields(form_part(r, prefix, "day"), form_part(r, prefix, "month"),
	                        form_part(r, prefix, "year"), out) == 0;
}

void groups_date_values(req *r, struct web *w, const char *prefix, const struct date *d,
                        const char *legend, const char *hint, const struct field_errors *fe)
{
	static const char *const parts[] = {"day", "month", "year"};
	tval *m = tv_map(r->a);
	const char *err = field_error_get(fe, prefix);
	for (int i = 0; i < 3; i++) {
		if (r->method == HTTP_POST)
			tv_set_sv(m, parts[i], form_part(r, prefix, parts[i]));
		else if (d)
			tv_set_int(m, parts[i], i == 0 ? d->d : i == 1 ? d->m : d->y);
		else
			tv_set_str(m, parts[i], "");
	}
	tv_set_str(m, "id", prefix);
	tv_set_str(m, "legend", legend);
	tv_set_str(m, "hint", hint ? hint : "");
	tv_set_str(m, "error", err ? err : "");
	tv_set(w->page, arena_printf(r->a, "%s_input", prefix), m);
}

const char *groups_day(arena *a, const char *iso)
{
	struct date d;
	sbuf b;
	if (!iso || strlen(iso) < 10 || date_parse((sv){iso, 10}, &d) != 0)
		return iso ? iso : "";
	sbuf_init(&b, a, 64);
	date_human_weekday(&b, d);
	return b.err ? iso : b.buf;
}

static const char *date_plain(arena *a, const char *iso)
{
	struct date d;
	sbuf b;
	if (!iso || strlen(iso) < 10 || date_parse((sv){iso, 10}, &d) != 0)
		return iso ? iso : "";
	sbuf_init(&b, a, 64);
	date_human(&b, d);
	return b.err ? iso : b.buf;
}

const char *groups_times(arena *a, const char *starts_at, const char *ends_at)
{
	int s, e;
	sbuf b;
	if (strlen(starts_at) < 16 || strlen(ends_at) < 16 ||
	    time_parse(sv_from(starts_at + 11), &s) != 0 ||
	    time_parse(sv_from(ends_at + 11), &e) != 0)
		return "";
	sbuf_init(&b, a, 64);
	time_human(&b, s);
	sbuf_adds(&b, " to ");
	time_human(&b, e);
	return b.err ? "" : b.buf;
}

const char *groups_now_local(arena *a)
{
	char iso[ISO_TIME_LEN];
	iso_from_unix((int64_t)time(NULL), iso);
	return arena_strndup(a, iso, 16);
}

tval *groups_venue_tval(arena *a, const struct venue *v)
{
	tval *m = tv_map(a), *facts = tv_list(a);
	sbuf cost;
	struct {
		bool on;
		const char *yes, *no;
	} f[] = {
	    {v->step_free, "Step-free access", "No step-free access"},
	    {v->accessible_toilet, "Accessible toilet", "No accessible toilet"},
	    {v->hearing_loop, "Hearing loop", "No hearing loop"},
	    {v->quiet_room, "Quiet room", "No quiet room"},
	    {v->near_transport, "Near a bus or tram stop", "Not near a bus or tram stop"},
	};
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		tval *t = tv_map(a);
		tv_set_str(t, "text", f[i].on ? f[i].yes : f[i].no);
		tv_set_bool(t, "yes", f[i].on);
		tv_push(facts, t);
	}
	sbuf_init(&cost, a, 32);
	money_format(&cost, v->cost_pence);
	tv_set_int(m, "id", v->id);
	tv_set_str(m, "name", v->name);
	tv_set_str(m, "address", v->address);
	tv_set_str(m, "postcode", v->postcode);
	tv_set_str(m, "transport_note", v->transport_note);
	tv_set_bool(m, "step_free", v->step_free);
	tv_set(m, "facts", facts);
	if (v->capacity)
		tv_set_int(m, "capacity", v->capacity);
	tv_set_str(m, "cost", cost.err ? "" : cost.buf);
	tv_set_bool(m, "free", v->cost_pence == 0);
	return m;
}

int groups_venue_options(req *r, struct web *w, int64_t selected, tval **out)
{
	struct venue *vs;
	size_t n;
	tval *list = tv_list(r->a), *none = tv_map(r->a);
	int rc = venue_list(w->db, r->a, &vs, &n);
	*out = list;
	if (rc != DOMAIN_OK)
		return rc;
	tv_set_str(none, "value", "");
	tv_set_str(none, "label", "No venue yet");
	tv_set_bool(none, "selected", selected == 0);
	tv_push(list, none);
	for (size_t i = 0; i < n; i++) {
		tval *o = tv_map(r->a);
		tv_set_str(o, "value", arena_printf(r->a, "%" PRId64, vs[i].id));
		tv_set_str(o, "label", vs[i].name);
		tv_set_bool(o, "selected", vs[i].id == selected);
		tv_push(list, o);
	}
	return DOMAIN_OK;
}

/* The form's state: after a POST, the errors and what was typed in FIELDS; before, no
 * errors and DEFAULTS (may be NULL) as the values. */
static void form_state(req *r, struct web *w, struct field_errors *fe, const char *const *fields,
                       tval *defaults)
{
	if (r->method == HTTP_POST) {
		admin_form(r, w,
		           (const struct field_spec[]){{NULL, NULL, NULL, NULL, NULL, NULL, false}},
		           fe, fields, NULL);
		return;
	}
	page_form_errors(r, w, NULL, fields);
	if (defaults)
		tv_set(w->page, "values", defaults);
}

/* --- Words about a group -------------------------------------------------------------- */

static const char *people(arena *a, int n, const char *one, const char *many)
{
	return arena_printf(a, "%d %s", n, n == 1 ? one : many);
}

/* "The group has 8 local people and 5 professionals. Its target is 10 and 5: it needs 2
 * more local people." */
static const char *parity_words(arena *a, const struct group_parity *p)
{
	const char *now = arena_printf(a, "The group has %s and %s.",
	                               people(a, p->local, "local person", "local people"),
	                               people(a, p->professional, "professional", "professionals"));
	const char *need = "";
	if (!p->has_target)
		return arena_printf(a, "%s It has not set a target balance.", now);
	if (p->balanced)
		return arena_printf(a, "%s That is the balance it aims for.", now);
	if (p->need_local && p->need_professional)
		need =
		    arena_printf(a, "It needs %s and %s more to reach its target.",
		                 people(a, p->need_local, "local person", "local people"),
		                 people(a, p->need_professional, "professional", "professionals"));
	else if (p->need_local)
		need = arena_printf(a, "It needs %s more to reach its target.",
		                    people(a, p->need_local, "local person", "local people"));
	else if (p->need_professional)
		need =
		    arena_printf(a, "It needs %s more to reach its target.",
		                 people(a, p->need_professional, "professional", "professionals"));
	if (p->over_professional)
		need =
		    arena_printf(a,
		                 "%s%sIt has %s more than its target, so local voices may "
		                 "be outnumbered.",
		                 need, need[0] ? " " : "",
		                 people(a, p->over_professional, "professional", "professionals"));
	else if (p->over_local)
		need =
		    arena_printf(a, "%s%sIt has %s more than its target.", need, need[0] ? " " : "",
		                 people(a, p->over_local, "local person", "local people"));
	return arena_printf(a, "%s It aims for %d and %d. %s", now, p->target_local,
	                    p->target_professional, need);
}

static tval *group_tval(req *r, const struct group *g)
{
	tval *m = tv_map(r->a);
	struct group_parity p;
	group_parity_of(g, &p);
	tv_set_int(m, "id", g->id);
	tv_set_str(m, "href", arena_printf(r->a, "/groups/%" PRId64, g->id));
	tv_set_str(m, "name", g->name);
	tv_set_str(m, "purpose", g->purpose);
	tv_set_str(m, "programme_name", g->programme_name);
	tv_set_str(m, "programme_href", arena_printf(r->a, "/programmes/%s", g->programme_slug));
	tv_set_bool(m, "local_only", g->local_only);
	tv_set_str(m, "opened_on", g->opened_on ? date_plain(r->a, g->opened_on) : "");
	tv_set_int(m, "n_local", g->n_local);
	tv_set_int(m, "n_professional", g->n_professional);
	tv_set_int(m, "target_local", g->target_local);
	tv_set_int(m, "target_professional", g->target_professional);
	tv_set_bool(m, "has_target", p.has_target);
	tv_set_str(m, "parity_words", parity_words(r->a, &p));
	tv_set_str(m, "need_local",
	           p.has_target ? arena_printf(r->a, "%d", p.need_local - p.over_local) : "");
	tv_set_str(m, "need_professional",
	           p.has_target
	               ? arena_printf(r->a, "%d", p.need_professional - p.over_professional)
	               : "");
	return m;
}

/* --- The list of groups --------------------------------------------------------------- */

void web_groups(req *r, struct web *w)
{
	struct group *gs;
	size_t n;
	tval *list = tv_list(r->a);
	int rc = group_list_for(w->db, r->a, w->sess->account_id, w->sess->role, 0, &gs, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++)
		tv_push(list, group_tval(r, &gs[i]));
	tv_set(w->page, "groups", list);
	tv_set_bool(w->page, "has_groups", n > 0);
	tv_set_bool(w->page, "can_create", web_has_role(w, ROLE_FACILITATOR | ROLE_PROGRAMME_LEAD));
	tv_set_bool(w->page, "is_lead", web_has_role(w, ROLE_PROGRAMME_LEAD));
	page_render(r, w, 200, "group_list", "Groups");
}

/* --- Creating and changing a group ---------------------------------------------------- */

static const char *const group_fields[] = {"programme_id",        "name", "purpose", "target_local",
                                           "target_professional", NULL};

static int programme_options(req *r, struct web *w, int64_t selected, tval **out)
{
	db_stmt *s =
	    db_prepare(w->db, "SELECT id, name FROM programmes ORDER BY name, id LIMIT 500");
	tval *list = tv_list(r->a), *none = tv_map(r->a);
	int rc;
	*out = list;
	if (!s)
		return DB_ERR;
	tv_set_str(none, "value", "");
	tv_set_str(none, "label", "Choose a programme");
	tv_set_bool(none, "selected", selected == 0);
	tv_push(list, none);
	while ((rc = db_step(s)) == DB_ROW) {
		tval *o = tv_map(r->a);
		int64_t id = db_col_int(s, 0);
		tv_set_str(o, "value", arena_printf(r->a, "%" PRId64, id));
		tv_set_str(o, "label", db_col_dup(s, 1, r->a));
		tv_set_bool(o, "selected", id == selected);
		tv_push(list, o);
	}
	db_done(s);
	return rc == DB_DONE ? DOMAIN_OK : rc;
}

static void group_form_page(req *r, struct web *w, int status, struct field_errors *fe,
                            const struct group *g)
{
	tval *defaults = NULL, *progs;
	int rc;
	if (g) {
		defaults = tv_map(r->a);
		tv_set_str(defaults, "name", g->name);
		tv_set_str(defaults, "purpose", g->purpose);
		tv_set_str(defaults, "target_local", arena_printf(r->a, "%d", g->target_local));
		tv_set_str(defaults, "target_professional",
		           arena_printf(r->a, "%d", g->target_professional));
		tv_set(w->page, "group", group_tval(r, g));
		tv_set_str(w->page, "action",
		           arena_printf(r->a, "/groups/%" PRId64 "/edit", g->id));
	} else {
		rc = programme_options(r, w, admin_parse_id(kv_get(&r->form, "programme_id")),
		                       &progs);
		if (rc != DOMAIN_OK) {
			page_fail(r, w, rc);
			return;
		}
		tv_set(w->page, "programmes", progs);
		tv_set_bool(w->page, "is_new", true);
		tv_set_str(w->page, "action", "/groups/new");
	}
	form_state(r, w, fe, group_fields, defaults);
	page_render(r, w, status, "group_form", g ? "Change the group" : "Create a group");
}

static void read_group_form(req *r, struct group_new *in)
{
	memset(in, 0, sizeof(*in));
	in->programme_id = admin_parse_id(kv_get(&r->form, "programme_id"));
	in->name = kv_get(&r->form, "name");
	in->purpose = kv_get(&r->form, "purpose");
	in->target_local = kv_get(&r->form, "target_local");
	in->target_professional = kv_get(&r->form, "target_professional");
}

void web_group_new(req *r, struct web *w)
{
	group_form_page(r, w, 200, NULL, NULL);
}

void web_group_create(req *r, struct web *w)
{
	struct group_new in;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int64_t id = 0;
	int rc;
	int64_t fac = web_has_role(w, ROLE_FACILITATOR) ? w->sess->account_id : 0;

	read_group_form(r, &in);
	field_errors_init(&fe);
	rc = group_create(w->db, r->a, &who, &in, fac, date_today(), &fe, &id);
	if (rc == DOMAIN_OK) {
		resp_redirect(r, arena_printf(r->a, "/groups/%" PRId64 "?done=created", id));
		return;
	}
	if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	group_form_page(r, w, 400, &fe, NULL);
}

void web_group_edit(req *r, struct web *w)
{
	struct group g;
	if (groups_load(r, w, 0, ACCESS_MANAGE, &g, NULL) != 0)
		return;
	group_form_page(r, w, 200, NULL, &g);
}

void web_group_update(req *r, struct web *w)
{
	struct group g;
	struct group_new in;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int rc;
	if (groups_load(r, w, 0, ACCESS_MANAGE, &g, NULL) != 0)
		return;
	read_group_form(r, &in);
	field_errors_init(&fe);
	rc = group_update(w->db, r->a, &who, g.id, &in, &fe);
	if (rc == DOMAIN_OK) {
		resp_redirect(r, arena_printf(r->a, "/groups/%" PRId64 "?done=updated", g.id));
		return;
	}
	if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	group_form_page(r, w, 400, &fe, &g);
}

/* --- One group ------------------------------------------------------------------------ */

static const struct {
	const char *key, *message;
} group_notices[] = {
    {"created", "The group has been created. You are its facilitator."},
    {"updated", "The group’s details have been saved."},
    {"opened", "The group is now open to decision-makers. You can add them as members."},
    {"added", "They have been added to the group and to its planned sessions."},
    {"left", "They have been recorded as having left the group today."},
    {"scheduled", "The sessions have been added."},
    {"session", "The session has been added."},
};

static tval *members_tval(req *r, const struct group_member *m, size_t n, bool manage,
                          int64_t group_id, bool current, int64_t viewer)
{
	tval *list = tv_list(r->a);
	for (size_t i = 0; i < n; i++) {
		tval *t;
		if ((m[i].left_on == NULL) != current)
			continue;
		t = tv_map(r->a);
		tv_set_str(t, "name", m[i].display_name);
		tv_set_str(t, "organisation", m[i].organisation_name);
		tv_set_str(t, "role", group_role_label(m[i].role));
		tv_set_str(t, "side", strcmp(m[i].side, "local") == 0 ? "Local" : "Professional");
		tv_set_bool(t, "assisted", m[i].assisted);
		tv_set_str(t, "joined_on", date_plain(r->a, m[i].joined_on));
		tv_set_str(t, "left_on", m[i].left_on ? date_plain(r->a, m[i].left_on) : "");
		/* No link to remove oneself: a facilitator would lose their own group. */
		if (manage && current && m[i].account_id != viewer)
			tv_set_str(t, "leave_href",
			           arena_printf(r->a,
			                        "/groups/%" PRId64 "/members/%" PRId64 "/leave",
			                        group_id, m[i].id));
		tv_push(list, t);
	}
	return list;
}

static tval *meeting_row(req *r, const struct meeting *m)
{
	tval *t = tv_map(r->a);
	tv_set_str(t, "href", arena_printf(r->a, "/meetings/%" PRId64, m->id));
	tv_set_str(t, "title", m->title);
	tv_set_str(t, "group_name", m->group_name);
	tv_set_str(t, "day", groups_day(r->a, m->starts_at));
	tv_set_str(t, "times", groups_times(r->a, m->starts_at, m->ends_at));
	tv_set_str(t, "venue", m->venue_id ? m->venue.name : "No venue yet");
	tv_set_bool(t, "step_free", m->venue_id && m->venue.step_free);
	tv_set_bool(t, "has_venue", m->venue_id != 0);
	tv_set_bool(t, "cancelled", strcmp(m->status, "cancelled") == 0);
	tv_set_bool(t, "held", strcmp(m->status, "held") == 0);
	return t;
}

void web_group(req *r, struct web *w)
{
	struct group g;
	struct group_member *mem;
	struct meeting *ms;
	size_t n, nm;
	int level, rc;
	bool manage;
	tval *upcoming = tv_list(r->a), *past = tv_list(r->a), *gt;
	const char *now = groups_now_local(r->a);
	sv done = kv_get(&r->query, "done");

	if (groups_load(r, w, 0, ACCESS_VIEW, &g, &level) != 0)
		return;
	manage = level == ACCESS_MANAGE;
	rc = groups_members(w->db, r->a, g.id, manage, &mem, &n);
	if (rc == DOMAIN_OK)
		rc = meeting_list_group(w->db, r->a, g.id, &ms, &nm);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < nm; i++)
		tv_push(strcmp(ms[i].ends_at, now) >= 0 ? upcoming : past, meeting_row(r, &ms[i]));
	/* Most recent first for the past, with whether the viewer (or the person they act
	 * for) came: the record their payments are based on. */
	{
		tval *rev = tv_list(r->a);
		int64_t me = w->sess->acting_for ? w->sess->acting_for : w->sess->account_id;
		int64_t *ids;
		char **sts;
		size_t na;
		rc = meeting_my_attendance(w->db, r->a, me, g.id, &ids, &sts, &na);
		if (rc != DOMAIN_OK) {
			page_fail(r, w, rc);
			return;
		}
		for (size_t i = nm; i-- > 0;) {
			tval *row;
			if (strcmp(ms[i].ends_at, now) >= 0)
				continue;
			row = meeting_row(r, &ms[i]);
			for (size_t k = 0; k < na; k++)
				if (ids[k] == ms[i].id)
					tv_set_str(row, "mine", attendance_status_label(sts[k]));
			tv_push(rev, row);
		}
		past = rev;
	}
	gt = group_tval(r, &g);
	tv_set(w->page, "group", gt);
	tv_set_bool(w->page, "manage", manage);
	tv_set(w->page, "members",
	       members_tval(r, mem, n, manage, g.id, true, w->sess->account_id));
	tv_set(w->page, "past_members",
	       members_tval(r, mem, n, manage, g.id, false, w->sess->account_id));
	tv_set_bool(w->page, "has_past_members", manage && tv_len(tv_get(w->page, "past_members")));
	tv_set(w->page, "upcoming", upcoming);
	tv_set_bool(w->page, "has_upcoming", tv_len(upcoming) > 0);
	tv_set(w->page, "past", past);
	tv_set_bool(w->page, "has_past", tv_len(past) > 0);
	for (size_t i = 0; i < sizeof(group_notices) / sizeof(group_notices[0]); i++)
		if (sv_eq_cstr(done, group_notices[i].key))
			page_notice(w, group_notices[i].message);
	page_render(r, w, 200, "group", g.name);
}

/* --- Opening to decision-makers ------------------------------------------------------- */

static void open_page(req *r, struct web *w, int status, struct field_errors *fe,
                      const struct group *g)
{
	static const char *const fields[] = {"opened_on", NULL};
	struct date today = date_today();
	form_state(r, w, fe, fields, NULL);
	groups_date_values(r, w, "opened_on", &today, "When were they invited in?",
	                   "For example, 14 6 2022", fe);
	tv_set(w->page, "group", group_tval(r, g));
	page_render(r, w, status, "group_open", "Open the group to decision-makers");
}

void web_group_open_form(req *r, struct web *w)
{
	struct group g;
	if (groups_load(r, w, 0, ACCESS_MANAGE, &g, NULL) != 0)
		return;
	if (!g.local_only) {
		resp_redirect(r, arena_printf(r->a, "/groups/%" PRId64, g.id));
		return;
	}
	open_page(r, w, 200, NULL, &g);
}

void web_group_open(req *r, struct web *w)
{
	struct group g;
	struct date on = {0, 0, 0};
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int rc;
	if (groups_load(r, w, 0, ACCESS_MANAGE, &g, NULL) != 0)
		return;
	field_errors_init(&fe);
	if (!groups_date_field(r, "opened_on", &on)) {
		field_error_add(&fe, "opened_on", "Enter a real date, like 14 6 2022");
		rc = DOMAIN_EINVALID;
	} else {
		rc = group_open(w->db, r->a, &who, g.id, on, &fe);
	}
	if (rc == DOMAIN_OK || rc == DOMAIN_ECONFLICT) {
		resp_redirect(r, arena_printf(r->a, "/groups/%" PRId64 "%s", g.id,
		                              rc == DOMAIN_OK ? "?done=opened" : ""));
		return;
	}
	if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	open_page(r, w, 400, &fe, &g);
}

/* --- Members -------------------------------------------------------------------------- */

static const char *const member_fields[] = {"account_id", "role", "joined_on", NULL};

static void member_page(req *r, struct web *w, int status, struct field_errors *fe,
                        const struct group *g)
{
	struct account *accs;
	struct group_member *mem;
	size_t n, nm;
	tval *people = tv_list(r->a), *none = tv_map(r->a), *role_opts = tv_list(r->a);
	int64_t chosen = admin_parse_id(kv_get(&r->form, "account_id"));
	enum group_role role = group_role_parse(kv_get(&r->form, "role"));
	struct date today = date_today();
	int rc = account_list(w->db, r->a, ACCOUNT_LIST_MAX, 0, &accs, &n);
	if (rc == DOMAIN_OK)
		rc = groups_members(w->db, r->a, g->id, false, &mem, &nm);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	tv_set_str(none, "value", "");
	tv_set_str(none, "label", "Choose a person");
	tv_push(people, none);
	for (size_t i = 0; i < n; i++) {
		bool member = false;
		tval *o;
		if (accs[i].disabled)
			continue;
		for (size_t k = 0; k < nm; k++)
			member |= mem[k].account_id == accs[i].id;
		if (member)
			continue;
		o = tv_map(r->a);
		tv_set_str(o, "value", arena_printf(r->a, "%" PRId64, accs[i].id));
		tv_set_str(
		    o, "label",
		    arena_printf(r->a, "%s (%s%s%s)", accs[i].display_name,
		                 role_label(accs[i].role), accs[i].organisation_name ? ", " : "",
		                 accs[i].organisation_name ? accs[i].organisation_name : ""));
		tv_set_bool(o, "selected", accs[i].id == chosen);
		tv_push(people, o);
	}
	for (enum group_role k = GROUP_ROLE_LOCAL_PERSON; k <= GROUP_ROLE_FACILITATOR; k++) {
		tval *o = tv_map(r->a);
		tv_set_str(o, "value", group_role_slug(k));
		/* The first radio carries the field's own id, for the error summary's link. */
		tv_set_str(o, "id",
		           k == GROUP_ROLE_LOCAL_PERSON
		               ? "role"
		               : arena_printf(r->a, "role-%s", group_role_slug(k)));
		tv_set_str(o, "label", group_role_label(k));
		tv_set_bool(o, "checked", role == k);
		tv_set_str(o, "hint",
		           k == GROUP_ROLE_DECISION_MAKER && g->local_only
		               ? "Not yet: the group is for local people only until it is "
		                 "opened to decision-makers"
		               : "");
		tv_push(role_opts, o);
	}
	form_state(r, w, fe, member_fields, NULL);
	groups_date_values(r, w, "joined_on", &today, "When did they join?",
	                   "For example, 7 12 2021", fe);
	tv_set(w->page, "people", people);
	tv_set(w->page, "roles", role_opts);
	tv_set(w->page, "group", group_tval(r, g));
	page_render(r, w, status, "group_member_form", "Add someone to the group");
}

void web_group_member_new(req *r, struct web *w)
{
	struct group g;
	if (groups_load(r, w, 0, ACCESS_MANAGE, &g, NULL) != 0)
		return;
	member_page(r, w, 200, NULL, &g);
}

void web_group_member_add(req *r, struct web *w)
{
	struct group g;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	struct date joined = {0, 0, 0};
	int rc;
	if (groups_load(r, w, 0, ACCESS_MANAGE, &g, NULL) != 0)
		return;
	field_errors_init(&fe);
	if (!groups_date_field(r, "joined_on", &joined))
		field_error_add(&fe, "joined_on", "Enter the date they joined, like 7 12 2021");
	rc = group_member_add(w->db, r->a, &who, g.id,
	                      admin_parse_id(kv_get(&r->form, "account_id")),
	                      group_role_parse(kv_get(&r->form, "role")), joined, &fe, NULL);
	if (rc == DOMAIN_OK) {
		resp_redirect(r, arena_printf(r->a, "/groups/%" PRId64 "?done=added", g.id));
		return;
	}
	if (rc == DOMAIN_ECONFLICT) {
		field_error_add(&fe, "role",
		                "This group is for local people only, so decision-makers cannot "
		                "join yet. Open the group to decision-makers first");
		rc = DOMAIN_EINVALID;
	}
	if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	member_page(r, w, 400, &fe, &g);
}

/* The current membership MID of G (with its name), or NULL after rendering 404. */
static const struct group_member *find_member(req *r, struct web *w, const struct group *g)
{
	struct group_member *mem;
	size_t n;
	int64_t mid = admin_parse_id(web_param(w, "mid"));
	int rc = groups_members(w->db, r->a, g->id, false, &mem, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if (mem[i].id == mid && mem[i].account_id != w->sess->account_id)
			return &mem[i];
	page_error(r, w, 404);
	return NULL;
}

static void leave_page(req *r, struct web *w, int status, struct field_errors *fe,
                       const struct group *g, const struct group_member *m)
{
	static const char *const fields[] = {"left_on", NULL};
	struct date today = date_today();
	form_state(r, w, fe, fields, NULL);
	groups_date_values(r, w, "left_on", &today, "When did they leave?",
	                   arena_printf(r->a, "They joined on %s", date_plain(r->a, m->joined_on)),
	                   fe);
	tv_set(w->page, "group", group_tval(r, g));
	tv_set_str(w->page, "member_name", m->display_name);
	tv_set_str(
	    w->page, "action",
	    arena_printf(r->a, "/groups/%" PRId64 "/members/%" PRId64 "/leave", g->id, m->id));
	page_render(r, w, status, "group_member_leave", "Record that someone has left");
}

void web_group_member_leave_form(req *r, struct web *w)
{
	struct group g;
	const struct group_member *m;
	if (groups_load(r, w, 0, ACCESS_MANAGE, &g, NULL) != 0)
		return;
	m = find_member(r, w, &g);
	if (m)
		leave_page(r, w, 200, NULL, &g, m);
}

void web_group_member_leave(req *r, struct web *w)
{
	struct group g;
	const struct group_member *m;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	struct date left = {0, 0, 0};
	int rc;
	if (groups_load(r, w, 0, ACCESS_MANAGE, &g, NULL) != 0)
		return;
	m = find_member(r, w, &g);
	if (!m)
		return;
	field_errors_init(&fe);
	if (!groups_date_field(r, "left_on", &left)) {
		field_error_add(&fe, "left_on", "Enter a real date, like 6 9 2022");
		rc = DOMAIN_EINVALID;
	} else {
		rc = group_member_leave(w->db, r->a, &who, g.id, m->id, left, &fe);
	}
	if (rc == DOMAIN_OK || rc == DOMAIN_ECONFLICT) {
		resp_redirect(r, arena_printf(r->a, "/groups/%" PRId64 "%s", g.id,
		                              rc == DOMAIN_OK ? "?done=left" : ""));
		return;
	}
	if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	leave_page(r, w, 400, &fe, &g, m);
}

/* --- Venues --------------------------------------------------------------------------- */

void web_venues(req *r, struct web *w)
{
	struct venue *vs;
	size_t n;
	tval *list = tv_list(r->a);
	int rc = venue_list(w->db, r->a, &vs, &n);
	sv done = kv_get(&r->query, "done");
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		tval *v = groups_venue_tval(r->a, &vs[i]);
		tv_set_str(v, "href", arena_printf(r->a, "/venues/%" PRId64, vs[i].id));
		tv_push(list, v);
	}
	if (sv_eq_cstr(done, "saved"))
		page_notice(w, "The venue has been saved.");
	tv_set(w->page, "venues", list);
	tv_set_bool(w->page, "has_venues", n > 0);
	page_render(r, w, 200, "venue_list", "Venues");
}

static const char *const venue_fields[] = {"name", "address",        "postcode", "capacity",
                                           "cost", "transport_note", NULL};
static const char *const venue_checks[] = {"step_free", "accessible_toilet", "hearing_loop",
                                           "quiet_room", "near_transport"};
static const char *const venue_check_labels[] = {
    "Step-free access, from the street to the room", "An accessible toilet", "A hearing loop",
    "A quiet room people can use", "Near a bus or tram stop"};

static void venue_page(req *r, struct web *w, int status, struct field_errors *fe,
                       const struct venue *v)
{
	tval *defaults = NULL, *checks = tv_list(r->a);
	bool on[5] = {false, false, false, false, false};
	if (v) {
		sbuf cost;
		sbuf_init(&cost, r->a, 32);
		if (v->cost_pence)
			money_format_plain(&cost, v->cost_pence);
		defaults = tv_map(r->a);
		tv_set_str(defaults, "name", v->name);
		tv_set_str(defaults, "address", v->address);
		tv_set_str(defaults, "postcode", v->postcode);
		tv_set_str(defaults, "transport_note", v->transport_note);
		tv_set_str(defaults, "capacity",
		           v->capacity ? arena_printf(r->a, "%d", v->capacity) : "");
		tv_set_str(defaults, "cost", cost.buf);
		on[0] = v->step_free;
		on[1] = v->accessible_toilet;
		on[2] = v->hearing_loop;
		on[3] = v->quiet_room;
		on[4] = v->near_transport;
		tv_set_str(w->page, "action", arena_printf(r->a, "/venues/%" PRId64, v->id));
		tv_set_str(w->page, "venue_name", v->name);
	} else {
		tv_set_str(w->page, "action", "/venues/new");
	}
	for (int i = 0; i < 5; i++) {
		tval *c = tv_map(r->a);
		if (r->method == HTTP_POST)
			on[i] = sv_eq_cstr(kv_get(&r->form, venue_checks[i]), "yes");
		tv_set_str(c, "name", venue_checks[i]);
		tv_set_str(c, "label", venue_check_labels[i]);
		tv_set_bool(c, "checked", on[i]);
		tv_push(checks, c);
	}
	form_state(r, w, fe, venue_fields, defaults);
	tv_set(w->page, "checks", checks);
	tv_set_bool(w->page, "is_new", v == NULL);
	page_render(r, w, status, "venue_form", v ? "Change a venue" : "Add a venue");
}

static void venue_submit(req *r, struct web *w, int64_t id, const struct venue *old)
{
	struct venue_new in;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int rc;
	memset(&in, 0, sizeof(in));
	in.name = kv_get(&r->form, "name");
	in.address = kv_get(&r->form, "address");
	in.postcode = kv_get(&r->form, "postcode");
	in.transport_note = kv_get(&r->form, "transport_note");
	in.capacity = kv_get(&r->form, "capacity");
	in.cost = kv_get(&r->form, "cost");
	in.step_free = sv_eq_cstr(kv_get(&r->form, "step_free"), "yes");
	in.accessible_toilet = sv_eq_cstr(kv_get(&r->form, "accessible_toilet"), "yes");
	in.hearing_loop = sv_eq_cstr(kv_get(&r->form, "hearing_loop"), "yes");
	in.quiet_room = sv_eq_cstr(kv_get(&r->form, "quiet_room"), "yes");
	in.near_transport = sv_eq_cstr(kv_get(&r->form, "near_transport"), "yes");
	field_errors_init(&fe);
	rc = venue_save(w->db, r->a, &who, id, &in, &fe, NULL);
	if (rc == DOMAIN_OK) {
		resp_redirect(r, "/venues?done=saved");
		return;
	}
	if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	venue_page(r, w, 400, &fe, old);
}

void web_venue_new(req *r, struct web *w)
{
	venue_page(r, w, 200, NULL, NULL);
}

void web_venue_create(req *r, struct web *w)
{
	venue_submit(r, w, 0, NULL);
}

static int load_venue(req *r, struct web *w, struct venue *v)
{
	int64_t id = admin_parse_id(web_param(w, "id"));
	int rc = id > 0 ? venue_get(w->db, r->a, id, v) : DOMAIN_ENOTFOUND;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return -1;
	}
	return 0;
}

void web_venue_edit(req *r, struct web *w)
{
	struct venue v;
	if (load_venue(r, w, &v) == 0)
		venue_page(r, w, 200, NULL, &v);
}

void web_venue_update(req *r, struct web *w)
{
	struct venue v;
	if (load_venue(r, w, &v) == 0)
		venue_submit(r, w, v.id, &v);
}

/* --- Home ----------------------------------------------------------------------------- */

#define HOME_SESSIONS 5

void home_groups(req *r, struct web *w)
{
	struct group *gs;
	struct meeting *ms;
	size_t n, nm;
	tval *m = tv_map(r->a), *groups = tv_list(r->a), *next = tv_list(r->a);
	bool runs = web_has_role(w, ROLE_FACILITATOR | ROLE_PROGRAMME_LEAD);
	const char *now = groups_now_local(r->a);
	/* The home page names and links the groups; their member counts are on each group's
	 * own page. */
	int rc = group_names_for(w->db, r->a, w->sess->account_id, w->sess->role, 0, &gs, &n);
	if (rc != DOMAIN_OK)
		return;
	for (size_t i = 0; i < n; i++) {
		tval *g = tv_map(r->a);
		tv_set_str(g, "href", arena_printf(r->a, "/groups/%" PRId64, gs[i].id));
		tv_set_str(g, "name", gs[i].name);
		tv_set_bool(g, "local_only", gs[i].local_only);
		tv_push(groups, g);
	}
	rc = meeting_list_for(w->db, r->a, w->sess->account_id, now, HOME_SESSIONS, &ms, &nm);
	if (rc != DOMAIN_OK)
		return;
	for (size_t i = 0; i < nm; i++)
		tv_push(next, meeting_row(r, &ms[i]));
	tv_set(m, "groups", groups);
	tv_set_bool(m, "has_groups", n > 0);
	tv_set(m, "sessions", next);
	tv_set_bool(m, "has_sessions", nm > 0);
	tv_set_bool(m, "runs_groups", runs);
	if (runs) {
		tval *due = tv_list(r->a);
		rc = meeting_list_needing_attendance(w->db, r->a, w->sess->account_id,
		                                     web_has_role(w, ROLE_PROGRAMME_LEAD), now,
		                                     HOME_SESSIONS, &ms, &nm);
		if (rc != DOMAIN_OK)
			return;
		for (size_t i = 0; i < nm; i++) {
			tval *t = meeting_row(r, &ms[i]);
			tv_set_str(
			    t, "attendance_href",
			    arena_printf(r->a, "/meetings/%" PRId64 "/attendance", ms[i].id));
			tv_push(due, t);
		}
		tv_set(m, "needing_attendance", due);
		tv_set_bool(m, "has_needing_attendance", nm > 0);
	}
	tv_set(w->page, "groups_home", m);
}
