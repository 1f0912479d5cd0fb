/* web_decisions.c: a group's shared decisions (open, take part, close, reopen), the
 * power summary of an idea and the balance of power of a programme over time. */
#include <inttypes.h>
#include <string.h>

#include "core/date.h"
#include "domain/access.h"
#include "domain/decisions.h"
#include "domain/groups.h"
#include "domain/ideas.h"
#include "domain/power.h"
#include "web/web_decisions.h"

/* --- Small helpers -------------------------------------------------------------------- */

static int64_t path_id(const struct web *w)
{
	int64_t id;
	if (sv_to_i64(web_param(w, "id"), &id) != 0 || id <= 0)
		return 0;
	return id;
}

static int64_t form_id(sv s)
{
	int64_t id;
	s = sv_trim(s);
	if (!s.len)
		return 0;
	if (sv_to_i64(s, &id) != 0 || id <= 0)
		return -1;
	return id;
}

/* "14 June 2022" from an ISO date or timestamp; "" for NULL or anything else. */
static const char *day_of(arena *a, const char *iso)
{
	struct date dt;
	sbuf b;
	if (!iso || strlen(iso) < 10 || date_parse((sv){iso, 10}, &dt) != 0)
		return "";
	sbuf_init(&b, a, 64);
	date_human(&b, dt);
	return b.err ? "" : b.buf;
}

static const char *side_label(const char *side)
{
	return side && strcmp(side, "local") == 0 ? "Local person" : "Professional";
}

static const char *side_words(const char *side)
{
	return side && strcmp(side, "local") == 0 ? "a local person" : "a professional";
}

static const char *method_hint(const char *method)
{
	if (strcmp(method, "consensus") == 0)
		return "Carried when everyone who takes part agrees or abstains: one person "
		       "disagreeing stops it.";
	if (strcmp(method, "consent") == 0)
		return "Carried unless someone objects, and an objection always comes with a "
		       "reason the group can respond to.";
	return "Carried when more people agree than disagree. With options, the option with "
	       "the most votes is chosen.";
}

static const char *rule_words(const char *rule)
{
	return rule && strcmp(rule, "local_majority") == 0
	           ? "Local people decide: a decision carries only if most local people who "
	             "take part agree, whatever the professionals say."
	           : "Everyone counts the same: the method alone decides.";
}

static const char *decision_href(req *r, int64_t id)
{
	return arena_printf(r->a, "/decisions/%" PRId64, id);
}

/* The message for ?done=KEY after a change. */
static void put_done(req *r, struct web *w)
{
	static const struct {
		const char *key, *message;
	} done[] = {
	    {"opened", "Decision opened. Members of the group can now give their position."},
	    {"position", "Position recorded."},
	    {"closed", "Decision closed. The result is below."},
	    {"reopened", "Decision reopened. People who have not taken part can now give "
	                 "their position."},
	};
	sv key = kv_get(&r->query, "done");
	for (size_t i = 0; key.ptr && i < sizeof(done) / sizeof(done[0]); i++)
		if (sv_eq_cstr(key, done[i].key))
			page_notice(w, done[i].message);
}

/* Loads the group in the path and the signed-in person's access to it, or shows the
 * error page (404 for a group they may not see) and returns false. */
static bool load_group(req *r, struct web *w, struct group *g, int *access)
{
	int64_t id = path_id(w);
	int rc = id ? group_get(w->db, r->a, id, g) : DOMAIN_ENOTFOUND;
	if (rc == DOMAIN_OK) {
		*access = access_group(w->db, w->sess->account_id, w->sess->role, id);
		rc = *access < 0 ? *access : *access == ACCESS_NONE ? DOMAIN_ENOTFOUND : DOMAIN_OK;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return false;
	}
	return true;
}

static tval *group_value(req *r, const struct group *g)
{
	tval *m = tv_map(r->a);
	tv_set_int(m, "id", g->id);
	tv_set_str(m, "name", g->name);
	tv_set_str(m, "href", arena_printf(r->a, "/groups/%" PRId64, g->id));
	tv_set_str(m, "decisions_href", arena_printf(r->a, "/groups/%" PRId64 "/decisions", g->id));
	tv_set_str(m, "programme_name", g->programme_name);
	tv_set_str(m, "power_href", arena_printf(r->a, "/programmes/%s/power", g->programme_slug));
	return m;
}

/* --- A group's decisions -------------------------------------------------------------- */

static void put_status(tval *m, const struct decision *d, const char *headline)
{
	bool open = strcmp(d->status, "open") == 0;
	tv_set_bool(m, "open", open);
	tv_set_str(m, "status", open ? "Open" : "Closed");
	tv_set_str(m, "status_class", open ? "govuk-tag--blue" : "govuk-tag--grey");
	tv_set_str(m, "headline", open ? "" : headline);
}

/* The headline of a closed decision from its stored outcome (a list does not recount). */
static const char *stored_headline(req *r, const struct decision *d)
{
	if (!d->outcome)
		return "";
	if (strcmp(d->outcome, "carried") == 0)
		return "Carried";
	if (strcmp(d->outcome, "not_carried") == 0)
		return "Not carried";
	return arena_printf(r->a, "Chosen: %s", d->outcome);
}

void web_decisions_group(req *r, struct web *w)
{
	struct group g;
	struct decision *list;
	size_t n;
	int access, rc;
	tval *items = tv_list(r->a);

	if (!load_group(r, w, &g, &access))
		return;
	rc = decision_list_group(w->db, r->a, g.id, &list, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "href", decision_href(r, list[i].id));
		tv_set_str(m, "question", list[i].question);
		tv_set_str(m, "idea_title", list[i].idea_title);
		tv_set_str(m, "method", decision_method_label(list[i].method));
		tv_set_str(m, "opened", day_of(r->a, list[i].opened_at));
		tv_set_str(m, "closed", day_of(r->a, list[i].closed_at));
		put_status(m, &list[i], stored_headline(r, &list[i]));
		tv_push(items, m);
	}
	tv_set(w->page, "group", group_value(r, &g));
	tv_set(w->page, "decisions", items);
	tv_set_bool(w->page, "has_decisions", n > 0);
	tv_set_bool(w->page, "manage", access == ACCESS_MANAGE);
	page_render(r, w, 200, "decision_list", arena_printf(r->a, "Decisions: %s", g.name));
}

/* --- Opening a decision --------------------------------------------------------------- */

static const char *const new_fields[] = {"question", "idea_id",     "method",
                                         "options",  "proposed_by", NULL};

static void put_errors(req *r, struct web *w, struct field_errors *fe, const char *const *fields)
{
	/* The summary reads in the order of the form. */
	if (fe) {
		struct field_errors sorted;
		field_errors_init(&sorted);
		for (const char *const *f = fields; *f; f++) {
			const char *m = field_error_get(fe, *f);
			if (m)
				field_error_add(&sorted, *f, m);
		}
		for (size_t i = 0; i < fe->n; i++)
			field_error_add(&sorted, fe->items[i].field, fe->items[i].message);
		*fe = sorted;
	}
	page_form_errors(r, w, fe, fields);
}

static void new_page(req *r, struct web *w, const struct group *g, int status,
                     struct field_errors *fe)
{
	struct idea_filter filter = {.group_id = g->id,
	                             .status = -1,
	                             .viewer = w->sess->account_id,
	                             .viewer_role = w->sess->role};
	struct idea_brief *ideas = NULL;
	struct group_member *members = NULL;
	size_t ni = 0, nm = 0;
	int64_t idea = form_id(r->method == HTTP_POST ? kv_get(&r->form, "idea_id")
	                                              : kv_get(&r->query, "idea"));
	int64_t proposer = form_id(kv_get(&r->form, "proposed_by"));
	sv method = kv_get(&r->form, "method");
	tval *idea_opts = tv_list(r->a), *member_opts = tv_list(r->a), *methods = tv_list(r->a);
	tval *none = tv_map(r->a), *self = tv_map(r->a);
	static const char *const method_values[] = {"consensus", "consent", "vote"};
	char *rule = NULL;
	int rc = ideas_list(w->db, r->a, &filter, &ideas, &ni, NULL, NULL);
	if (rc == DOMAIN_OK)
		rc = decision_group_rule(w->db, r->a, g->id, &rule);
	if (rc == DOMAIN_OK)
		rc = groups_members(w->db, r->a, g->id, false, &members, &nm);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	tv_set_str(none, "value", "");
	tv_set_str(none, "label", "Not about one idea");
	tv_set_bool(none, "selected", idea <= 0);
	tv_push(idea_opts, none);
	for (size_t i = 0; i < ni; i++) {
		tval *o = tv_map(r->a);
		tv_set_str(o, "value", arena_printf(r->a, "%" PRId64, ideas[i].id));
		tv_set_str(o, "label",
		           arena_printf(r->a, "%s (%s)", ideas[i].title,
		                        ideas_status_label(ideas[i].status)));
		tv_set_bool(o, "selected", ideas[i].id == idea);
		tv_push(idea_opts, o);
	}
	tv_set_str(self, "value", "");
	tv_set_str(self, "label", arena_printf(r->a, "You (%s)", w->sess->display_name));
	tv_set_bool(self, "selected", proposer <= 0);
	tv_push(member_opts, self);
	for (size_t i = 0; i < nm; i++) {
		tval *o;
		if (members[i].account_id == w->sess->account_id)
			continue;
		o = tv_map(r->a);
		tv_set_str(o, "value", arena_printf(r->a, "%" PRId64, members[i].account_id));
		tv_set_str(o, "label",
		           arena_printf(r->a, "%s (%s)", members[i].display_name,
		                        group_role_label(members[i].role)));
		tv_set_bool(o, "selected", members[i].account_id == proposer);
		tv_push(member_opts, o);
	}
	for (size_t i = 0; i < 3; i++) {
		tval *o = tv_map(r->a);
		tv_set_str(o, "id",
		           i == 0 ? "method" : arena_printf(r->a, "method-%s", method_values[i]));
		tv_set_str(o, "value", method_values[i]);
		tv_set_str(o, "label", decision_method_label(method_values[i]));
		tv_set_str(o, "hint", method_hint(method_values[i]));
		tv_set_bool(o, "checked", sv_eq_cstr(method, method_values[i]));
		tv_push(methods, o);
	}
	put_errors(r, w, fe, new_fields);
	tv_set(w->page, "group", group_value(r, g));
	tv_set(w->page, "ideas", idea_opts);
	tv_set(w->page, "members", member_opts);
	tv_set(w->page, "methods", methods);
	tv_set_str(w->page, "rule", rule_words(rule));
	page_render(r, w, status, "decision_new", "Open a decision");
}

/* The group for the new-decision pages, which only its managers may use. */
static bool load_managed_group(req *r, struct web *w, struct group *g)
{
	int access;
	if (!load_group(r, w, g, &access))
		return false;
	if (access != ACCESS_MANAGE) {
		page_error(r, w, 403);
		return false;
	}
	return true;
}

void web_decision_new(req *r, struct web *w)
{
	struct group g;
	if (load_managed_group(r, w, &g))
		new_page(r, w, &g, 200, NULL);
}

void web_decision_create(req *r, struct web *w)
{
	struct group g;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	struct decision_new in = {
	    .question = kv_get(&r->form, "question"),
	    .method = kv_get(&r->form, "method"),
	    .options = kv_get(&r->form, "options"),
	    .idea_id = form_id(kv_get(&r->form, "idea_id")),
	    .proposed_by = form_id(kv_get(&r->form, "proposed_by")),
	};
	int64_t id = 0;
	int rc;

	if (!load_managed_group(r, w, &g))
		return;
	in.group_id = g.id;
	field_errors_init(&fe);
	rc = decision_open(w->db, r->a, &who, w->sess->role, &in, &fe, &id);
	if (rc == DOMAIN_EINVALID) {
		new_page(r, w, &g, 400, &fe);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "%s?done=opened", decision_href(r, id)));
}

/* --- One decision ------------------------------------------------------------------- */

/* The stances offered for DEC, as radios [{id, value, label, hint, checked}] with ids
 * starting PREFIX (so the error summary's "#PREFIX" lands on the first). */
static tval *stance_options(req *r, const struct decision *dec, const char *prefix, sv checked)
{
	static const struct {
		const char *method, *value, *label, *hint;
	} table[] = {
	    {"consensus", "agree", "I agree", NULL},
	    {"consensus", "disagree", "I disagree",
	     "One person disagreeing means there is no "
	     "consensus"},
	    {"consent", "agree", "No objection", "I can live with this and am willing to try it"},
	    {"consent", "object", "I object", "Say why below, so the group can respond"},
	    {"vote", "agree", "I agree", NULL},
	    {"vote", "disagree", "I disagree", NULL},
	};
	tval *list = tv_list(r->a);
	size_t k = 0;
	if (dec->n_options) {
		for (size_t i = 0; i < dec->n_options; i++, k++) {
			tval *o = tv_map(r->a);
			const char *v = arena_printf(r->a, "option-%" PRId64, dec->options[i].id);
			tv_set_str(o, "id", k ? arena_printf(r->a, "%s-%zu", prefix, k) : prefix);
			tv_set_str(o, "value", v);
			tv_set_str(o, "label", dec->options[i].label);
			tv_set_str(o, "hint", "");
			tv_set_bool(o, "checked", v && sv_eq_cstr(checked, v));
			tv_push(list, o);
		}
	} else {
		for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
			tval *o;
			if (strcmp(table[i].method, dec->method) != 0)
				continue;
			o = tv_map(r->a);
			tv_set_str(o, "id", k ? arena_printf(r->a, "%s-%zu", prefix, k) : prefix);
			tv_set_str(o, "value", table[i].value);
			tv_set_str(o, "label", table[i].label);
			tv_set_str(o, "hint", table[i].hint);
			tv_set_bool(o, "checked", sv_eq_cstr(checked, table[i].value));
			tv_push(list, o);
			k++;
		}
	}
	{
		tval *o = tv_map(r->a);
		tv_set_str(o, "id", arena_printf(r->a, "%s-abstain", prefix));
		tv_set_str(o, "value", "abstain");
		tv_set_str(o, "label", "I abstain");
		tv_set_str(o, "hint",
		           "I am not taking a side. Abstaining is not counted for or "
		           "against");
		tv_set_bool(o, "checked", sv_eq_cstr(checked, "abstain"));
		tv_push(list, o);
	}
	return list;
}

/* The map decision_radios.html reads. */
static tval *radios(req *r, const struct field_errors *fe, const char *name, const char *legend,
                    tval *items)
{
	tval *m = tv_map(r->a);
	tv_set_str(m, "name", name);
	tv_set_str(m, "legend", legend);
	tv_set_str(m, "error", field_error_get(fe, name));
	tv_set(m, "items", items);
	return m;
}

/* One row of the side-by-side table. */
static void tally_row(req *r, tval *rows, const char *label, int local, int pro)
{
	tval *m = tv_map(r->a);
	tv_set_str(m, "label", label);
	tv_set_int(m, "local", local);
	tv_set_int(m, "professional", pro);
	tv_push(rows, m);
}

static tval *tally_rows(req *r, const struct decision *dec, const struct decision_tally *t)
{
	tval *rows = tv_list(r->a);
	if (dec->n_options) {
		for (size_t i = 0; i < dec->n_options; i++)
			tally_row(r, rows, dec->options[i].label, dec->options[i].votes[0],
			          dec->options[i].votes[1]);
	} else {
		bool consent = strcmp(dec->method, "consent") == 0;
		tally_row(r, rows, consent ? "No objection" : "Agree", t->agree[0], t->agree[1]);
		if (consent)
			tally_row(r, rows, "Object", t->object[0], t->object[1]);
		else
			tally_row(r, rows, "Disagree", t->disagree[0], t->disagree[1]);
	}
	tally_row(r, rows, "Abstain", t->abstain[0], t->abstain[1]);
	tally_row(r, rows, strcmp(dec->status, "open") == 0 ? "Not given yet" : "Did not take part",
	          t->members[0] - t->given[0] > 0 ? t->members[0] - t->given[0] : 0,
	          t->members[1] - t->given[1] > 0 ? t->members[1] - t->given[1] : 0);
	return rows;
}

static tval *position_value(req *r, const struct decision *dec, const struct decision_position *p)
{
	tval *m = tv_map(r->a);
	tv_set_str(m, "name", p->name);
	tv_set_str(m, "side", side_label(p->side));
	tv_set_str(m, "stance",
	           p->option_label ? p->option_label
	                           : decision_stance_label(dec->method, p->stance));
	tv_set_str(m, "reason", p->reason);
	tv_set_str(m, "recorded_by", p->recorded_by_name);
	tv_set_str(m, "when", day_of(r->a, p->recorded_at));
	return m;
}

/* The choices for what happens to the decision's idea if it carries: "moves" [{id,
 * value, label, checked}] (the first leaves it where it is) and "idea_status". */
static int put_moves(req *r, struct web *w, const struct decision *dec)
{
	static const enum idea_status targets[] = {IDEA_CONCEPT, IDEA_PROPOSAL};
	struct idea idea;
	sv chosen = kv_get(&r->form, "move_to");
	tval *list = tv_list(r->a), *stay = tv_map(r->a);
	int rc = ideas_get(w->db, r->a, dec->idea_id, &idea);
	if (rc != DOMAIN_OK)
		return rc;
	tv_set_str(stay, "id", "move_to");
	tv_set_str(stay, "value", "");
	tv_set_str(stay, "label", "Leave the idea where it is");
	tv_set_bool(stay, "checked", !chosen.len);
	tv_push(list, stay);
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		tval *o;
		if (!ideas_status_allowed(idea.status, targets[i]))
			continue;
		o = tv_map(r->a);
		tv_set_str(o, "id",
		           arena_printf(r->a, "move_to-%s", ideas_status_slug(targets[i])));
		tv_set_str(o, "value", ideas_status_slug(targets[i]));
		tv_set_str(o, "label",
		           arena_printf(r->a, "Make it a %s if the decision carries",
		                        targets[i] == IDEA_CONCEPT ? "concept" : "proposal"));
		tv_set_bool(o, "checked", sv_eq_cstr(chosen, ideas_status_slug(targets[i])));
		tv_push(list, o);
	}
	tv_set(w->page, "moves", list);
	tv_set_bool(w->page, "has_moves", tv_len(list) > 1);
	tv_set_str(w->page, "idea_status", ideas_status_label(idea.status));
	return DOMAIN_OK;
}

/* Renders the decision page with STATUS; FE (may be NULL) holds errors of the form named
 * FORM ("own", "room" or "reopen"). */
static void decision_page(req *r, struct web *w, int64_t id, int status, struct field_errors *fe,
                          const char *form)
{
	static const char *const own_fields[] = {"stance", "reason", NULL};
	static const char *const room_fields[] = {"room_account_id", "room_stance", "room_reason",
	                                          NULL};
	static const char *const reopen_fields[] = {"reopen_reason", NULL};
	static const char *const close_fields[] = {"move_to", NULL};
	struct decision dec;
	struct decision_position *pos;
	struct decision_member *mem;
	struct decision_tally t;
	struct decision_result res;
	size_t np, nm;
	int access, rc;
	int64_t me = w->sess->acting_for ? w->sess->acting_for : w->sess->account_id;
	const struct decision_position *mine = NULL;
	bool i_may = false, open;
	tval *d = tv_map(r->a), *positions = tv_list(r->a), *waiting = tv_list(r->a);
	tval *room_people = tv_list(r->a);

	rc = decision_get(w->db, r->a, w->sess->account_id, w->sess->role, id, &dec, &access);
	if (rc == DOMAIN_OK)
		rc = decision_positions(w->db, r->a, &dec, &pos, &np);
	if (rc == DOMAIN_OK)
		rc = decision_members(w->db, r->a, &dec, &mem, &nm);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	decision_tally(&dec, pos, np, mem, nm, &t);
	rc = decision_result(r->a, &dec, &t, &res);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	open = strcmp(dec.status, "open") == 0;
	for (size_t i = 0; i < np; i++) {
		tv_push(positions, position_value(r, &dec, &pos[i]));
		if (pos[i].account_id == me)
			mine = &pos[i];
	}
	{
		int64_t chosen = form_id(kv_get(&r->form, "room_account_id"));
		tval *pick = tv_map(r->a);
		tv_set_str(pick, "value", "");
		tv_set_str(pick, "label", "Choose a person");
		tv_set_bool(pick, "selected", chosen <= 0);
		tv_push(room_people, pick);
		for (size_t i = 0; i < nm; i++) {
			if (mem[i].account_id == me)
				i_may = true;
			if (mem[i].has_position)
				continue;
			tval *m = tv_map(r->a);
			tv_set_str(m, "name", mem[i].name);
			tv_set_str(m, "side", side_label(mem[i].side));
			tv_push(waiting, m);
			m = tv_map(r->a);
			tv_set_str(m, "value", arena_printf(r->a, "%" PRId64, mem[i].account_id));
			tv_set_str(
			    m, "label",
			    arena_printf(r->a, "%s (%s)", mem[i].name, side_label(mem[i].side)));
			tv_set_bool(m, "selected", mem[i].account_id == chosen);
			tv_push(room_people, m);
		}
	}

	tv_set_int(d, "id", dec.id);
	tv_set_str(d, "href", decision_href(r, dec.id));
	tv_set_str(d, "question", dec.question);
	tv_set_str(d, "group_name", dec.group_name);
	tv_set_str(d, "group_href",
	           arena_printf(r->a, "/groups/%" PRId64 "/decisions", dec.group_id));
	tv_set_str(d, "programme_name", dec.programme_name);
	tv_set_str(d, "power_href", arena_printf(r->a, "/programmes/%s/power", dec.programme_slug));
	if (dec.idea_id) {
		tv_set_str(d, "idea_title", dec.idea_title);
		tv_set_str(d, "idea_href", arena_printf(r->a, "/ideas/%" PRId64, dec.idea_id));
	}
	tv_set_str(d, "method", decision_method_label(dec.method));
	tv_set_str(d, "method_hint", method_hint(dec.method));
	tv_set_str(d, "rule",
	           dec.n_options && strcmp(dec.parity_rule, "local_majority") == 0
	               ? "Local people decide: an option is chosen only if it is the one "
	                 "local people chose most often, whatever the professionals say."
	               : rule_words(dec.parity_rule));
	tv_set_str(d, "proposed_by", dec.proposed_by_name);
	tv_set_str(d, "proposed_side", side_words(dec.proposed_side));
	tv_set_str(d, "opened", day_of(r->a, dec.opened_at));
	tv_set_str(d, "closed", day_of(r->a, dec.closed_at));
	tv_set_str(d, "closed_by", dec.closed_by_name);
	tv_set_str(d, "reopened", day_of(r->a, dec.reopened_at));
	tv_set_str(d, "reopened_by", dec.reopened_by_name);
	put_status(d, &dec, res.headline);
	tv_set_str(d, "summary", res.summary);
	tv_set_str(d, "why", res.why);
	tv_set_bool(d, "carried", res.carried);
	tv_set(d, "rows", tally_rows(r, &dec, &t));
	tv_set_int(d, "local_members", t.members[0]);
	tv_set_int(d, "professional_members", t.members[1]);
	tv_set(w->page, "decision", d);
	tv_set(w->page, "positions", positions);
	tv_set_bool(w->page, "has_positions", np > 0);
	tv_set(w->page, "waiting", waiting);
	tv_set_bool(w->page, "has_waiting", tv_len(waiting) > 0);
	tv_set_bool(w->page, "manage", access == ACCESS_MANAGE);
	tv_set_bool(w->page, "may_take_part", open && i_may && !mine);
	if (mine) {
		tval *m = position_value(r, &dec, mine);
		tv_set(w->page, "mine", m);
	}
	tv_set_bool(w->page, "acting", w->sess->acting_for != 0);
	tv_set(w->page, "own_radios",
	       radios(r, fe, "stance",
	              mine || !open         ? ""
	              : w->sess->acting_for ? "Their position"
	                                    : "Your position",
	              stance_options(r, &dec, "stance",
	                             form && strcmp(form, "own") == 0 ? kv_get(&r->form, "stance")
	                                                              : SV_NULL)));
	tv_set(w->page, "room_radios",
	       radios(r, fe, "room_stance", "Their position",
	              stance_options(r, &dec, "room_stance",
	                             form && strcmp(form, "room") == 0
	                                 ? kv_get(&r->form, "room_stance")
	                                 : SV_NULL)));
	tv_set(w->page, "room_people", room_people);
	if (open && access == ACCESS_MANAGE && dec.idea_id) {
		rc = put_moves(r, w, &dec);
		if (rc != DOMAIN_OK) {
			page_fail(r, w, rc);
			return;
		}
	}
	tv_set_bool(w->page, "room_open",
	            open && access == ACCESS_MANAGE && tv_len(room_people) > 1);
	if (status == 200)
		put_done(r, w);
	put_errors(r, w, fe,
	           !form                         ? own_fields
	           : strcmp(form, "room") == 0   ? room_fields
	           : strcmp(form, "reopen") == 0 ? reopen_fields
	           : strcmp(form, "close") == 0  ? close_fields
	                                         : own_fields);
	page_render(r, w, status, "decision", dec.question);
}

void web_decision(req *r, struct web *w)
{
	int64_t id = path_id(w);
	if (!id) {
		page_error(r, w, 404);
		return;
	}
	decision_page(r, w, id, 200, NULL, NULL);
}

/* Renames the domain's field names to the room form's. */
static void rename_room(struct field_errors *fe)
{
	for (size_t i = 0; i < fe->n; i++) {
		const char *f = fe->items[i].field;
		fe->items[i].field = strcmp(f, "stance") == 0       ? "room_stance"
		                     : strcmp(f, "reason") == 0     ? "room_reason"
		                     : strcmp(f, "account_id") == 0 ? "room_account_id"
		                                                    : f;
	}
}

void web_decision_position(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct field_errors fe;
	bool room = sv_eq_cstr(kv_get(&r->form, "form"), "room");
	sv stance = kv_get(&r->form, room ? "room_stance" : "stance");
	struct position_new in = {.reason = kv_get(&r->form, room ? "room_reason" : "reason")};
	int64_t id = path_id(w);
	int rc;

	if (!id) {
		page_error(r, w, 404);
		return;
	}
	if (room) {
		in.account_id = form_id(kv_get(&r->form, "room_account_id"));
		if (in.account_id <= 0) {
			field_errors_init(&fe);
			field_error_add(&fe, "room_account_id", "Select whose position this is");
			decision_page(r, w, id, 400, &fe, "room");
			return;
		}
	}
	if (sv_starts_with(stance, SV("option-"))) {
		in.stance = SV("option");
		in.option_id = form_id((sv){stance.ptr + 7, stance.len - 7});
	} else {
		in.stance = stance;
	}
	field_errors_init(&fe);
	rc = decision_position_add(w->db, r->a, &who, w->sess->role, id, &in, &fe);
	if (rc == DOMAIN_OK) {
		resp_redirect(r, arena_printf(r->a, "%s?done=position", decision_href(r, id)));
		return;
	}
	if ((rc == DOMAIN_EINVALID || rc == DOMAIN_ECONFLICT) && field_errors_any(&fe)) {
		if (room)
			rename_room(&fe);
		decision_page(r, w, id, rc == DOMAIN_EINVALID ? 400 : 409, &fe,
		              room ? "room" : "own");
		return;
	}
	page_fail(r, w, rc);
}

void web_decision_close(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct field_errors fe;
	int64_t id = path_id(w);
	sv move = sv_trim(kv_get(&r->form, "move_to"));
	int move_to = move.len ? ideas_status_parse(move) : -1;
	int rc;

	field_errors_init(&fe);
	if (move.len && move_to < 0) {
		field_error_add(&fe, "move_to", "Select what happens to the idea");
		rc = DOMAIN_EINVALID;
	} else {
		rc = id ? decision_close(w->db, r->a, &who, w->sess->role, id, move_to, &fe, NULL)
		        : DOMAIN_ENOTFOUND;
	}
	if (rc == DOMAIN_EINVALID && id) {
		decision_page(r, w, id, 400, &fe, "close");
		return;
	}
	if (rc == DOMAIN_ECONFLICT) {
		/* Closed already, perhaps from another device: show it as it is. */
		resp_redirect(r, decision_href(r, id));
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "%s?done=closed", decision_href(r, id)));
}

void web_decision_reopen(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct field_errors fe;
	int64_t id = path_id(w);
	int rc;
	field_errors_init(&fe);
	rc = id ? decision_reopen(w->db, r->a, &who, w->sess->role, id,
	                          kv_get(&r->form, "reopen_reason"), &fe)
	        : DOMAIN_ENOTFOUND;
	if (rc == DOMAIN_EINVALID) {
		for (size_t i = 0; i < fe.n; i++)
			if (strcmp(fe.items[i].field, "reason") == 0)
				fe.items[i].field = "reopen_reason";
		decision_page(r, w, id, 400, &fe, "reopen");
		return;
	}
	if (rc == DOMAIN_ECONFLICT) {
		resp_redirect(r, decision_href(r, id));
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "%s?done=reopened", decision_href(r, id)));
}

/* --- Home ----------------------------------------------------------------------------- */

void home_decisions(req *r, struct web *w)
{
	struct decision *list;
	size_t n;
	tval *m = tv_map(r->a), *items = tv_list(r->a);
	/* Nothing waiting, nothing shown: the home page is long enough. */
	int64_t me = w->sess->acting_for ? w->sess->acting_for : w->sess->account_id;
	if (decision_list_waiting(w->db, r->a, me, HOME_DECISIONS_MAX, &list, &n) != DOMAIN_OK ||
	    n == 0)
		return;
	for (size_t i = 0; i < n; i++) {
		tval *it = tv_map(r->a);
		tv_set_str(it, "href", decision_href(r, list[i].id));
		tv_set_str(it, "question", list[i].question);
		tv_set_str(it, "group", list[i].group_name);
		tv_set_str(it, "opened", day_of(r->a, list[i].opened_at));
		tv_push(items, it);
	}
	tv_set(m, "decisions", items);
	tv_set_bool(m, "has_decisions", n > 0);
	tv_set_bool(m, "is_facilitator",
	            !w->sess->acting_for && (w->sess->role == ROLE_FACILITATOR ||
	                                     w->sess->role == ROLE_PROGRAMME_LEAD));
	tv_set(w->page, "home_decisions", m);
}

/* --- Power ---------------------------------------------------------------------------- */

static tval *person_list(req *r, const struct power_person *p, size_t n, bool names)
{
	tval *list = tv_list(r->a);
	for (size_t i = 0; i < n; i++) {
		tval *m = tv_map(r->a);
		if (names)
			tv_set_str(m, "name", p[i].name);
		tv_set_str(m, "side", side_words(p[i].side));
		tv_set_bool(m, "local", strcmp(p[i].side, "local") == 0);
		if (names && p[i].recorded_by)
			tv_set_str(m, "recorded_by", p[i].recorded_by);
		tv_set_str(m, "when", day_of(r->a, p[i].at));
		tv_push(list, m);
	}
	return list;
}

int power_item_put(req *r, struct web *w, int64_t idea_id, bool show_names)
{
	struct power_item it;
	tval *m = tv_map(r->a), *decs = tv_list(r->a);
	int local = 0, pro = 0;
	int rc = power_item_summary(w->db, r->a, idea_id, &it);
	if (rc != DOMAIN_OK)
		return rc;
	for (size_t i = 0; i < it.n_proposers; i++)
		strcmp(it.proposers[i].side, "local") == 0 ? local++ : pro++;
	tv_set(m, "proposers", person_list(r, it.proposers, it.n_proposers, show_names));
	tv_set_str(m, "proposed_words",
	           it.n_proposers == 0 ? "Nobody is recorded as proposing it."
	           : pro == 0          ? "Proposed by local people."
	           : local == 0        ? "Proposed by professionals."
	                               : "Proposed by local people and professionals together.");
	tv_set(m, "amenders", person_list(r, it.amenders, it.n_amenders, show_names));
	tv_set_bool(m, "has_amenders", it.n_amenders > 0);
	for (size_t i = 0; i < it.n_decisions; i++) {
		const struct power_decision *pd = &it.decisions[i];
		tval *dm = tv_map(r->a);
		bool closed = strcmp(pd->decision.status, "closed") == 0;
		tv_set_str(dm, "href", decision_href(r, pd->decision.id));
		tv_set_str(dm, "question", pd->decision.question);
		tv_set_str(dm, "method", decision_method_label(pd->decision.method));
		tv_set_bool(dm, "closed", closed);
		tv_set_str(dm, "summary", closed ? pd->result.summary : "Still open.");
		tv_set_str(dm, "closed", day_of(r->a, pd->decision.closed_at));
		tv_set_int(dm, "local", pd->tally.took_part[0]);
		tv_set_int(dm, "professional", pd->tally.took_part[1]);
		tv_push(decs, dm);
	}
	tv_set(m, "decisions", decs);
	tv_set_bool(m, "has_decisions", it.n_decisions > 0);
	tv_set_bool(m, "names", show_names);
	tv_set(w->page, "power_item", m);
	return DOMAIN_OK;
}

/* The chart's geometry, in SVG user units; the SVG scales to the width of the page. */
#define CHART_BAR_H    24
#define CHART_GAP      10
#define CHART_LABEL_W  110
#define CHART_BAR_W    400
#define CHART_PAD      8
#define CHART_LEGEND_H 40 /* power.html draws the legend from y = -40 */

static tval *counts_value(req *r, struct power_counts c)
{
	tval *m = tv_map(r->a);
	tv_set_int(m, "local", c.local);
	tv_set_int(m, "professional", c.professional);
	tv_set_bool(m, "none", c.local + c.professional == 0);
	return m;
}

static int percent(int part, int whole)
{
	return whole ? (part * 100 + whole / 2) / whole : 0;
}

void web_power(req *r, struct web *w)
{
	struct power_quarter *q;
	size_t n;
	int64_t programme_id;
	char *name;
	int rc, all_local = 0, all = 0;
	tval *rows = tv_list(r->a), *bars = tv_list(r->a);

	rc = power_programme_find(w->db, r->a, w->sess->account_id, w->sess->role,
	                          web_param(w, "slug"), &programme_id, &name);
	if (rc == DOMAIN_OK)
		rc = power_programme(w->db, r->a, programme_id, &q, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		int local = q[i].ideas.local + q[i].amendments.local + q[i].comments.local +
		            q[i].positions.local;
		int total = local + q[i].ideas.professional + q[i].amendments.professional +
		            q[i].comments.professional + q[i].positions.professional;
		const char *label = arena_printf(r->a, "Q%d %d", q[i].quarter, q[i].year);
		const char *months[] = {"January to March", "April to June", "July to September",
		                        "October to December"};
		tval *row = tv_map(r->a), *bar = tv_map(r->a);
		int y = CHART_PAD + (int)i * (CHART_BAR_H + CHART_GAP);
		int lw = total ? CHART_BAR_W * local / total : 0;

		all_local += local;
		all += total;
		tv_set_str(row, "label",
		           arena_printf(r->a, "%s %d", months[q[i].quarter - 1], q[i].year));
		tv_set(row, "ideas", counts_value(r, q[i].ideas));
		tv_set(row, "amendments", counts_value(r, q[i].amendments));
		tv_set(row, "comments", counts_value(r, q[i].comments));
		tv_set(row, "positions", counts_value(r, q[i].positions));
		tv_set_bool(row, "none", total == 0);
		tv_set_str(row, "share",
		           total ? arena_printf(r->a, "%d%%", percent(local, total)) : "no data");
		tv_push(rows, row);

		tv_set_str(bar, "label", label);
		tv_set_int(bar, "y", y);
		tv_set_int(bar, "text_y", y + CHART_BAR_H / 2 + 5);
		tv_set_int(bar, "x", CHART_LABEL_W);
		tv_set_int(bar, "local_w", lw);
		tv_set_int(bar, "pro_x", CHART_LABEL_W + lw);
		tv_set_int(bar, "pro_w", total ? CHART_BAR_W - lw : 0);
		tv_set_bool(bar, "none", total == 0);
		tv_set_int(bar, "end_x", CHART_LABEL_W + CHART_BAR_W + 6);
		tv_set_str(bar, "value",
		           total ? arena_printf(r->a, "%d%% local", percent(local, total))
		                 : "no data");
		tv_push(bars, bar);
	}
	tv_set_str(w->page, "programme_name", name);
	tv_set_str(w->page, "programme_href",
	           arena_printf(r->a, "/programmes/" SV_FMT, SV_ARG(web_param(w, "slug"))));
	tv_set(w->page, "rows", rows);
	tv_set(w->page, "bars", bars);
	tv_set_bool(w->page, "has_data", n > 0);
	/* The legend sits above the bars, at negative y. */
	tv_set_int(w->page, "chart_h",
	           CHART_LEGEND_H + CHART_PAD * 2 + (int)n * (CHART_BAR_H + CHART_GAP));
	tv_set_int(w->page, "chart_w", CHART_LABEL_W + CHART_BAR_W + 90);
	tv_set_int(w->page, "mid_x", CHART_LABEL_W + CHART_BAR_W / 2);
	if (n > 0)
		tv_set_str(w->page, "summary",
		           arena_printf(r->a,
		                        "From %s %d to %s %d, %d%% of %d contributions came from "
		                        "local people and %d%% from professionals.",
		                        q[0].quarter == 1   ? "January"
		                        : q[0].quarter == 2 ? "April"
		                        : q[0].quarter == 3 ? "July"
		                                            : "October",
		                        q[0].year,
		                        q[n - 1].quarter == 1   ? "March"
		                        : q[n - 1].quarter == 2 ? "June"
		                        : q[n - 1].quarter == 3 ? "September"
		                                                : "December",
		                        q[n - 1].year, percent(all_local, all), all,
		                        100 - percent(all_local, all)));
	page_render(r, w, 200, "power", arena_printf(r->a, "Balance of power: %s", name));
}
