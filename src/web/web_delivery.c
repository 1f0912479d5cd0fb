/* web_delivery.c: co-delivery plans and the Locality Implementation Plan: public progress
 * pages, programme leads' forms for actions and milestones, and the open data at
 * /api/v1/delivery. */
#include <inttypes.h>
#include <string.h>

#include "core/json.h"
#include "domain/board.h"
#include "domain/delivery.h"
#include "domain/organisations.h"
#include "web/web_board.h"

/* The most people offered as an action's owner. */
#define OWNER_PEOPLE_MAX ACCOUNT_LIST_MAX

/* --- Values for templates -------------------------------------------------------------- */

/* Who owns an action: people's names only when NAMED (someone is signed in); the public
 * and the open data see the organisation, or that a local person owns it. */
static const char *owner_text(req *r, bool named, const struct delivery_action *x)
{
	if (x->owner_org_name)
		return x->owner_org_name;
	if (!x->owner_name)
		return "Nobody yet";
	if (named)
		return x->owner_person_org
			       ? arena_printf(r->a, "%s (%s)", x->owner_name, x->owner_person_org)
			       : x->owner_name;
	if (x->owner_is_local)
		return "A local person";
	return x->owner_person_org ? x->owner_person_org : "A named person";
}

static const char *status_class(enum action_status s)
{
	switch (s) {
	case ACTION_DONE:
		return "govuk-tag--green";
	case ACTION_IN_PROGRESS:
		return "govuk-tag--blue";
	case ACTION_BLOCKED:
		return "govuk-tag--red";
	default:
		return "govuk-tag--grey";
	}
}

static const char *plural(arena *a, size_t n, const char *one, const char *many)
{
	return arena_printf(a, "%zu %s", n, n == 1 ? one : many);
}

static tval *plan_value(req *r, const struct delivery_plan *p)
{
	tval *v = tv_map(r->a);
	tv_set_int(v, "id", p->id);
	tv_set_str(v, "href", arena_printf(r->a, "/delivery/%" PRId64, p->id));
	tv_set_str(v, "title", p->title);
	tv_set_str(v, "programme", p->programme_name);
	tv_set_bool(v, "delivered", p->delivered);
	tv_set_str(v, "actions_text",
		   arena_printf(r->a, "%zu of %s done", p->n_done,
				plural(r->a, p->n_actions, "action", "actions")));
	tv_set_str(v, "milestones_text",
		   arena_printf(r->a, "%zu of %s reached", p->n_reached,
				plural(r->a, p->n_milestones, "milestone", "milestones")));
	if (p->n_overdue && !p->delivered)
		tv_set_str(v, "overdue_text",
			   arena_printf(r->a, "%s overdue",
					p->n_overdue == 1
						? "1 action is"
						: arena_printf(r->a, "%zu actions are", p->n_overdue)));
	if (p->n_blocked && !p->delivered)
		tv_set_str(v, "blocked_text",
			   p->n_blocked == 1 ? "1 action is blocked"
					     : arena_printf(r->a, "%zu actions are blocked", p->n_blocked));
	return v;
}

static tval *action_value(req *r, const struct web *w, const struct delivery_action *x)
{
	tval *v = tv_map(r->a);
	tv_set_int(v, "id", x->id);
	tv_set_str(v, "description", x->description);
	tv_set_str(v, "owner", owner_text(r, w->sess != NULL, x));
	tv_set_str(v, "due", board_date_text(r->a, x->due_on));
	tv_set_str(v, "status", action_status_label(x->status));
	tv_set_str(v, "status_class", status_class(x->status));
	tv_set_str(v, "progress", x->progress);
	tv_set_bool(v, "overdue", x->overdue);
	tv_set_str(v, "href", arena_printf(r->a, "/delivery/actions/%" PRId64, x->id));
	return v;
}

static tval *milestone_value(req *r, const struct delivery_milestone *m)
{
	tval *v = tv_map(r->a);
	tv_set_int(v, "id", m->id);
	tv_set_str(v, "title", m->title);
	tv_set_str(v, "due", board_date_text(r->a, m->due_on));
	tv_set_bool(v, "reached", m->reached);
	if (m->reached)
		tv_set_str(v, "reached_on", board_date_text(r->a, m->reached_on));
	tv_set_bool(v, "overdue", m->overdue);
	tv_set_str(v, "reach_action",
		   arena_printf(r->a, "/delivery/milestones/%" PRId64 "/reached", m->id));
	return v;
}

/* --- Public pages ---------------------------------------------------------------------- */

void web_locality_plan(req *r, struct web *w)
{
	struct delivery_plan *plans;
	size_t n;
	tval *list = tv_list(r->a);
	int rc = delivery_plans_list(w->db, r->a, date_today(), &plans, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (w->sess || plans[i].programme_published)
			tv_push(list, plan_value(r, &plans[i]));
	tv_set(w->page, "plans", list);
	tv_set_bool(w->page, "has_plans", tv_len(list) > 0);
	page_render(r, w, 200, "lip", "Locality Implementation Plan");
}

static void plan_page(req *r, struct web *w, int64_t id)
{
	static const char *const done[] = {
		"created", "Co-delivery plan started. Add its actions and milestones.",
		"action", "Action added.",
		"updated", "Action updated.",
		"milestone", "Milestone added.",
		"reached", "Milestone marked as reached.",
		"delivered", "The plan is marked as delivered.",
		NULL, NULL,
	};
	struct delivery_plan p;
	struct delivery_action *actions;
	struct delivery_milestone *milestones;
	size_t na, nm;
	struct date today = date_today();
	tval *al = tv_list(r->a), *ml = tv_list(r->a), *pv;
	bool lead = web_has_role(w, ROLE_PROGRAMME_LEAD);
	int rc = delivery_plan_get(w->db, r->a, id, today, &p);
	if (rc == DOMAIN_OK)
		rc = delivery_actions(w->db, r->a, id, today, &actions, &na);
	if (rc == DOMAIN_OK)
		rc = delivery_milestones(w->db, r->a, id, today, &milestones, &nm);
	if (rc == DOMAIN_OK && !w->sess && !p.programme_published)
		rc = DOMAIN_ENOTFOUND;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < na; i++)
		tv_push(al, action_value(r, w, &actions[i]));
	for (size_t i = 0; i < nm; i++)
		tv_push(ml, milestone_value(r, &milestones[i]));
	pv = plan_value(r, &p);
	if (p.board_paper_id) {
		/* What the Board agreed, beside what is being done about it. */
		struct board_paper paper;
		rc = board_paper_get(w->db, r->a, p.board_paper_id, &paper);
		if (rc != DOMAIN_OK) {
			page_fail(r, w, rc);
			return;
		}
		tv_set_str(pv, "meeting_href",
			   arena_printf(r->a, "/board/meetings/%" PRId64, paper.meeting_id));
		tv_set_str(pv, "meeting", arena_printf(r->a, "%s, %s", paper.meeting_title,
						      board_date_text(r->a, paper.meets_on)));
		tv_set_str(pv, "conditions", paper.conditions);
		if (paper.funding_agreed_pence)
			tv_set_str(pv, "funding",
				   arena_printf(r->a, "%s from %s",
						money_text(r->a, paper.funding_agreed_pence),
						paper.funding_agreed_from));
	}
	tv_set(w->page, "plan", pv);
	tv_set(w->page, "actions", al);
	tv_set(w->page, "milestones", ml);
	tv_set_bool(w->page, "has_actions", na > 0);
	tv_set_bool(w->page, "has_milestones", nm > 0);
	tv_set_bool(w->page, "may_manage", lead && !p.delivered);
	tv_set_bool(w->page, "may_deliver",
		    lead && !p.delivered && p.n_actions > 0 && p.n_done == p.n_actions);
	tv_set_str(w->page, "new_action_href",
		   arena_printf(r->a, "/delivery/%" PRId64 "/actions/new", id));
	tv_set_str(w->page, "new_milestone_href",
		   arena_printf(r->a, "/delivery/%" PRId64 "/milestones/new", id));
	tv_set_str(w->page, "delivered_action",
		   arena_printf(r->a, "/delivery/%" PRId64 "/delivered", id));
	board_put_done(r, w, done);
	page_render(r, w, 200, "delivery_plan", p.title);
}

void web_delivery_plan(req *r, struct web *w)
{
	int64_t id = board_path_id(w, "id");
	if (!id) {
		page_error(r, w, 404);
		return;
	}
	plan_page(r, w, id);
}

/* --- Changes --------------------------------------------------------------------------- */

static void redirect_plan(req *r, int64_t plan_id, const char *done)
{
	resp_redirect(r, arena_printf(r->a, "/delivery/%" PRId64 "?done=%s", plan_id, done));
}

void web_delivery_plan_create(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	int64_t paper = board_path_id(w, "id"), plan = 0;
	int rc = paper ? delivery_plan_create(w->db, r->a, &who, paper, &plan) : DOMAIN_ENOTFOUND;
	if (rc == DOMAIN_ECONFLICT) {
		/* Already started (or not supported): the proposal's page says which. */
		page_error(r, w, 403);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	redirect_plan(r, plan, "created");
}

void web_delivery_delivered(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	int64_t id = board_path_id(w, "id");
	int rc = id ? delivery_plan_mark_delivered(w->db, r->a, &who, id) : DOMAIN_ENOTFOUND;
	if (rc == DOMAIN_ECONFLICT) {
		page_error(r, w, 403);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	redirect_plan(r, id, "delivered");
}

void web_delivery_milestone_reached(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	int64_t id = board_path_id(w, "id"), plan = 0;
	int rc = id ? delivery_milestone_reach(w->db, r->a, &who, id, date_today(), &plan)
		    : DOMAIN_ENOTFOUND;
	if (rc == DOMAIN_ECONFLICT) {
		page_error(r, w, 403);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	redirect_plan(r, plan, "reached");
}

/* Loads the plan named by :id for a form, or shows the error page. A delivered plan
 * takes no more changes. */
static bool load_open_plan(req *r, struct web *w, struct delivery_plan *p)
{
	int64_t id = board_path_id(w, "id");
	int rc = id ? delivery_plan_get(w->db, r->a, id, date_today(), p) : DOMAIN_ENOTFOUND;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return false;
	}
	if (p->delivered) {
		page_error(r, w, 403);
		return false;
	}
	return true;
}

/* --- Adding an action ------------------------------------------------------------------ */

static const char *const action_fields[] = {"description", "owner", "due_on", NULL};

/* The owner select's options: people, then organisations, as two groups. Values are
 * "p-ID" and "o-ID". */
static int owner_options(req *r, struct web *w, sv chosen, tval **people, tval **orgs)
{
	struct account *accs;
	struct organisation *os;
	size_t na, no;
	int rc = account_list(w->db, r->a, OWNER_PEOPLE_MAX, 0, &accs, &na);
	if (rc == DOMAIN_OK)
		rc = organisation_list(w->db, r->a, &os, &no);
	*people = tv_list(r->a);
	*orgs = tv_list(r->a);
	if (rc != DOMAIN_OK)
		return rc;
	for (size_t i = 0; i < na; i++) {
		tval *o;
		const char *value;
		if (accs[i].disabled)
			continue;
		o = tv_map(r->a);
		value = arena_printf(r->a, "p-%" PRId64, accs[i].id);
		tv_set_str(o, "value", value);
		tv_set_str(o, "label",
			   accs[i].organisation_name
				   ? arena_printf(r->a, "%s (%s)", accs[i].display_name,
						  accs[i].organisation_name)
				   : accs[i].display_name);
		tv_set_bool(o, "selected", value && sv_eq_cstr(chosen, value));
		tv_push(*people, o);
	}
	for (size_t i = 0; i < no; i++) {
		tval *o = tv_map(r->a);
		const char *value = arena_printf(r->a, "o-%" PRId64, os[i].id);
		tv_set_str(o, "value", value);
		tv_set_str(o, "label", os[i].name);
		tv_set_bool(o, "selected", value && sv_eq_cstr(chosen, value));
		tv_push(*orgs, o);
	}
	return DOMAIN_OK;
}

static void action_form(req *r, struct web *w, const struct delivery_plan *p, int status,
			struct field_errors *fe)
{
	tval *people, *orgs;
	int rc = owner_options(r, w, kv_get(&r->form, "owner"), &people, &orgs);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	page_form_errors(r, w, fe, action_fields);
	tv_set(w->page, "plan", plan_value(r, p));
	tv_set(w->page, "people", people);
	tv_set(w->page, "organisations", orgs);
	tv_set(w->page, "date_field",
	       board_date_field(r, "due_on", "When is it due?", "For example, 31 3 2023",
				field_error_get(fe, "due_on"), NULL));
	tv_set_str(w->page, "action", arena_printf(r->a, "/delivery/%" PRId64 "/actions/new", p->id));
	page_render(r, w, status, "delivery_action_new", "Add an action");
}

void web_delivery_action_new(req *r, struct web *w)
{
	struct delivery_plan p;
	if (load_open_plan(r, w, &p))
		action_form(r, w, &p, 200, NULL);
}

void web_delivery_action_create(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct delivery_plan p;
	struct delivery_action_new in;
	struct field_errors fe;
	sv owner = sv_trim(kv_get(&r->form, "owner"));
	int64_t owner_id = 0;
	int rc;

	if (!load_open_plan(r, w, &p))
		return;
	memset(&in, 0, sizeof(in));
	in.description = kv_get(&r->form, "description");
	in.due_day = kv_get(&r->form, "due_on_day");
	in.due_month = kv_get(&r->form, "due_on_month");
	in.due_year = kv_get(&r->form, "due_on_year");
	if (owner.len > 2 && sv_to_i64((sv){owner.ptr + 2, owner.len - 2}, &owner_id) == 0 &&
	    owner_id > 0) {
		if (owner.ptr[0] == 'p' && owner.ptr[1] == '-')
			in.owner_account_id = owner_id;
		else if (owner.ptr[0] == 'o' && owner.ptr[1] == '-')
			in.owner_organisation_id = owner_id;
	}
	if (owner.len && !in.owner_account_id && !in.owner_organisation_id)
		in.owner_account_id = -1; /* something not offered: reported as not in the list */
	field_errors_init(&fe);
	rc = delivery_action_add(w->db, r->a, &who, p.id, &in, &fe, NULL);
	if (rc == DOMAIN_EINVALID) {
		action_form(r, w, &p, 400, &fe);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	redirect_plan(r, p.id, "action");
}

/* --- Updating an action ---------------------------------------------------------------- */

static const char *const update_fields[] = {"status", "progress", NULL};

static void update_form(req *r, struct web *w, const struct delivery_action *x, int status,
			struct field_errors *fe)
{
	tval *list = tv_list(r->a);
	enum action_status checked = r->method == HTTP_POST
					     ? action_status_parse(kv_get(&r->form, "status"))
					     : x->status;
	for (size_t i = 0; i < ACTION_STATUS_COUNT; i++) {
		tval *o = tv_map(r->a);
		const char *slug = action_status_slug(action_statuses[i]);
		tv_set_str(o, "id", i == 0 ? "status" : arena_printf(r->a, "status-%s", slug));
		tv_set_str(o, "value", slug);
		tv_set_str(o, "label", action_status_label(action_statuses[i]));
		tv_set_bool(o, "checked", action_statuses[i] == checked);
		tv_push(list, o);
	}
	page_form_errors(r, w, fe, update_fields);
	if (r->method != HTTP_POST)
		tv_set_str(tv_get(w->page, "values"), "progress", x->progress);
	tv_set(w->page, "statuses", list);
	tv_set(w->page, "item", action_value(r, w, x));
	tv_set_str(w->page, "plan_href", arena_printf(r->a, "/delivery/%" PRId64, x->plan_id));
	page_render(r, w, status, "delivery_action", "Update an action");
}

static bool load_action(req *r, struct web *w, struct delivery_action *x)
{
	int64_t id = board_path_id(w, "id");
	int rc = id ? delivery_action_get(w->db, r->a, id, date_today(), x) : DOMAIN_ENOTFOUND;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return false;
	}
	return true;
}

void web_delivery_action(req *r, struct web *w)
{
	struct delivery_action x;
	if (load_action(r, w, &x))
		update_form(r, w, &x, 200, NULL);
}

void web_delivery_action_save(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct delivery_action x;
	struct field_errors fe;
	int rc;
	if (!load_action(r, w, &x))
		return;
	field_errors_init(&fe);
	rc = delivery_action_update(w->db, r->a, &who, x.id,
				    action_status_parse(kv_get(&r->form, "status")),
				    kv_get(&r->form, "progress"), &fe);
	if (rc == DOMAIN_EINVALID) {
		update_form(r, w, &x, 400, &fe);
		return;
	}
	if (rc == DOMAIN_ECONFLICT) {
		page_error(r, w, 403);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	redirect_plan(r, x.plan_id, "updated");
}

/* --- Adding a milestone ---------------------------------------------------------------- */

static const char *const milestone_fields[] = {"title", "due_on", NULL};

static void milestone_form(req *r, struct web *w, const struct delivery_plan *p, int status,
			   struct field_errors *fe)
{
	page_form_errors(r, w, fe, milestone_fields);
	tv_set(w->page, "plan", plan_value(r, p));
	tv_set(w->page, "date_field",
	       board_date_field(r, "due_on", "When is it due?", "For example, 30 6 2023",
				field_error_get(fe, "due_on"), NULL));
	tv_set_str(w->page, "action",
		   arena_printf(r->a, "/delivery/%" PRId64 "/milestones/new", p->id));
	page_render(r, w, status, "delivery_milestone_new", "Add a milestone");
}

void web_delivery_milestone_new(req *r, struct web *w)
{
	struct delivery_plan p;
	if (load_open_plan(r, w, &p))
		milestone_form(r, w, &p, 200, NULL);
}

void web_delivery_milestone_create(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct delivery_plan p;
	struct field_errors fe;
	int rc;
	if (!load_open_plan(r, w, &p))
		return;
	field_errors_init(&fe);
	rc = delivery_milestone_add(w->db, r->a, &who, p.id, kv_get(&r->form, "title"),
				    kv_get(&r->form, "due_on_day"), kv_get(&r->form, "due_on_month"),
				    kv_get(&r->form, "due_on_year"), &fe, NULL);
	if (rc == DOMAIN_EINVALID) {
		milestone_form(r, w, &p, 400, &fe);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	redirect_plan(r, p.id, "milestone");
}

/* --- Open data ------------------------------------------------------------------------- */

static void json_date(json *j, struct date d)
{
	char buf[16];
	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", d.y % 10000, d.m % 100, d.d % 100);
	json_cstr(j, buf);
}

void web_api_delivery(req *r, struct web *w)
{
	struct delivery_plan *plans;
	struct date today = date_today();
	size_t n, count = 0;
	json j;
	int rc = delivery_plans_list(w->db, r->a, today, &plans, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	board_json_begin(r, &j);
	json_obj(&j);
	json_key(&j, "plans");
	json_arr(&j);
	for (size_t i = 0; i < n; i++) {
		const struct delivery_plan *p = &plans[i];
		struct delivery_action *actions;
		struct delivery_milestone *ms;
		size_t na, nm;
		/* Open data is what the public sees, whoever asks. */
		if (!p->programme_published)
			continue;
		count++;
		rc = delivery_actions(w->db, r->a, p->id, today, &actions, &na);
		if (rc == DOMAIN_OK)
			rc = delivery_milestones(w->db, r->a, p->id, today, &ms, &nm);
		if (rc != DOMAIN_OK) {
			page_fail(r, w, rc);
			return;
		}
		json_obj(&j);
		json_key(&j, "id");
		json_int(&j, p->id);
		json_key(&j, "title");
		json_cstr(&j, p->title);
		json_key(&j, "programme");
		json_cstr(&j, p->programme_name);
		json_key(&j, "proposal_id");
		if (p->board_paper_id)
			json_int(&j, p->board_paper_id);
		else
			json_null(&j);
		json_key(&j, "idea_id");
		json_int(&j, p->idea_id);
		json_key(&j, "status");
		json_cstr(&j, p->delivered ? "delivered" : "in_delivery");
		json_key(&j, "in_locality_plan");
		json_bool(&j, true);
		json_key(&j, "actions_total");
		json_int(&j, (int64_t)p->n_actions);
		json_key(&j, "actions_done");
		json_int(&j, (int64_t)p->n_done);
		json_key(&j, "actions_overdue");
		json_int(&j, (int64_t)p->n_overdue);
		json_key(&j, "milestones_total");
		json_int(&j, (int64_t)p->n_milestones);
		json_key(&j, "milestones_reached");
		json_int(&j, (int64_t)p->n_reached);
		json_key(&j, "actions");
		json_arr(&j);
		for (size_t k = 0; k < na; k++) {
			json_obj(&j);
			json_key(&j, "id");
			json_int(&j, actions[k].id);
			json_key(&j, "description");
			json_cstr(&j, actions[k].description);
			json_key(&j, "owner");
			json_cstr(&j, owner_text(r, false, &actions[k]));
			json_key(&j, "due_on");
			json_date(&j, actions[k].due_on);
			json_key(&j, "status");
			json_cstr(&j, action_status_slug(actions[k].status));
			json_key(&j, "overdue");
			json_bool(&j, actions[k].overdue);
			json_end(&j);
		}
		json_end(&j);
		json_key(&j, "milestones");
		json_arr(&j);
		for (size_t k = 0; k < nm; k++) {
			json_obj(&j);
			json_key(&j, "id");
			json_int(&j, ms[k].id);
			json_key(&j, "title");
			json_cstr(&j, ms[k].title);
			json_key(&j, "due_on");
			json_date(&j, ms[k].due_on);
			json_key(&j, "reached_on");
			if (ms[k].reached)
				json_date(&j, ms[k].reached_on);
			else
				json_null(&j);
			json_end(&j);
		}
		json_end(&j);
		json_key(&j, "url");
		json_cstr(&j, arena_printf(r->a, "/delivery/%" PRId64, p->id));
		json_end(&j);
	}
	json_end(&j);
	json_key(&j, "count");
	json_int(&j, (int64_t)count);
	json_end(&j);
	if (r->body_out.err)
		page_error(r, w, 500);
}
