/* web_board.c: the Health and Wellbeing Board's meetings, the proposals taken to them and
 * the Board's decisions: public pages, the forms of programme leads and Board members,
 * and the open data at /api/v1/proposals. */
#include "web/web_board.h"

#include <inttypes.h>
#include <string.h>

#include "core/json.h"
#include "domain/board.h"

/* --- Shared helpers (web_board.h) ------------------------------------------------------ */

int64_t board_path_id(const struct web *w, const char *name)
{
	int64_t id;
	if (sv_to_i64(web_param(w, name), &id) != 0 || id <= 0)
		return 0;
	return id;
}

const char *board_date_text(arena *a, struct date d)
{
	sbuf b;
	sbuf_init(&b, a, 64);
	date_human(&b, d);
	return b.err ? "" : b.buf;
}

tval *board_date_field(req *r, const char *name, const char *legend, const char *hint,
		       const char *error, const struct date *d)
{
	tval *m = tv_map(r->a);
	const char *parts[3] = {"day", "month", "year"};
	tv_set_str(m, "id", name);
	tv_set_str(m, "legend", legend);
	tv_set_str(m, "hint", hint);
	tv_set_str(m, "error", error ? error : "");
	for (int i = 0; i < 3; i++) {
		const char *field = arena_printf(r->a, "%s_%s", name, parts[i]);
		tv_set_str(m, arena_printf(r->a, "%s_name", parts[i]), field);
		if (r->method == HTTP_POST)
			tv_set_sv(m, parts[i], kv_get(&r->form, field ? field : ""));
		else if (d)
			tv_set_int(m, parts[i], i == 0 ? d->d : i == 1 ? d->m : d->y);
	}
	return m;
}

void board_put_done(req *r, struct web *w, const char *const *pairs)
{
	sv done = kv_get(&r->query, "done");
	if (!done.ptr)
		return;
	for (; pairs[0]; pairs += 2)
		if (sv_eq_cstr(done, pairs[0])) {
			page_notice(w, pairs[1]);
			return;
		}
}

bool board_paper_visible(const struct web *w, const struct board_paper *p)
{
	return w->sess || p->programme_published;
}

void board_json_begin(req *r, json *j)
{
	r->status = 200;
	r->content_type = "application/json";
	resp_header(r, "Access-Control-Allow-Origin", "*");
	sbuf_reset(&r->body_out);
	json_init(j, &r->body_out);
}

/* --- Values for templates -------------------------------------------------------------- */

static const char *decision_tag_class(enum board_decision d)
{
	switch (d) {
	case BOARD_SUPPORTED:
		return "govuk-tag--green";
	case BOARD_NOT_SUPPORTED:
		return "govuk-tag--red";
	case BOARD_DEFERRED:
		return "govuk-tag--yellow";
	default:
		return "govuk-tag--grey";
	}
}

static tval *meeting_value(req *r, const struct board_meeting *m)
{
	tval *v = tv_map(r->a);
	tv_set_int(v, "id", m->id);
	tv_set_str(v, "href", arena_printf(r->a, "/board/meetings/%" PRId64, m->id));
	tv_set_str(v, "title", m->title);
	tv_set_str(v, "location", m->location);
	tv_set_str(v, "date", board_date_text(r->a, m->meets_on));
	tv_set_int(v, "n_papers", (int64_t)m->n_papers);
	tv_set_int(v, "n_pending", (int64_t)m->n_pending);
	tv_set_bool(v, "upcoming", date_cmp(m->meets_on, date_today()) >= 0);
	return v;
}

static tval *paper_value(req *r, struct web *w, const struct board_paper *p)
{
	tval *v = tv_map(r->a);
	bool lead = web_has_role(w, ROLE_PROGRAMME_LEAD);
	tv_set_int(v, "id", p->id);
	tv_set_str(v, "title", p->title);
	tv_set_str(v, "programme", p->programme_name);
	tv_set_str(v, "programme_href", arena_printf(r->a, "/programmes/%s", p->programme_slug));
	tv_set_str(v, "meeting_title", p->meeting_title);
	tv_set_str(v, "meeting_href", arena_printf(r->a, "/board/meetings/%" PRId64, p->meeting_id));
	tv_set_str(v, "meeting_date", board_date_text(r->a, p->meets_on));
	tv_set_str(v, "summary", p->summary);
	tv_set_str(v, "ask", p->ask);
	if (p->funding_sought_pence) {
		tv_set_str(v, "funding_sought", money_text(r->a, p->funding_sought_pence));
		tv_set_str(v, "funding_sought_from", p->funding_sought_from);
	}
	tv_set_str(v, "decision", board_decision_label(p->decision));
	tv_set_str(v, "decision_class", decision_tag_class(p->decision));
	tv_set_bool(v, "pending", p->decision == BOARD_PENDING);
	tv_set_str(v, "conditions", p->conditions);
	if (p->funding_agreed_pence) {
		tv_set_str(v, "funding_agreed", money_text(r->a, p->funding_agreed_pence));
		tv_set_str(v, "funding_agreed_from", p->funding_agreed_from);
	}
	if (p->plan_id)
		tv_set_str(v, "plan_href", arena_printf(r->a, "/delivery/%" PRId64, p->plan_id));
	tv_set_bool(v, "may_decide", p->decision == BOARD_PENDING &&
					     web_has_role(w, ROLE_PROGRAMME_LEAD | ROLE_BOARD_MEMBER));
	tv_set_str(v, "decide_href", arena_printf(r->a, "/board/proposals/%" PRId64 "/decision", p->id));
	tv_set_bool(v, "may_plan", lead && p->decision == BOARD_SUPPORTED && !p->plan_id);
	tv_set_str(v, "plan_action", arena_printf(r->a, "/board/proposals/%" PRId64 "/plan", p->id));
	return v;
}

/* --- Public pages ---------------------------------------------------------------------- */

/* A meeting with its papers for the list on /board. */
static tval *meeting_with_papers(req *r, struct web *w, const struct board_meeting *m,
				 const struct board_paper *papers, size_t np)
{
	tval *v = meeting_value(r, m), *list = tv_list(r->a);
	for (size_t k = 0; k < np; k++)
		if (papers[k].meeting_id == m->id && board_paper_visible(w, &papers[k]))
			tv_push(list, paper_value(r, w, &papers[k]));
	tv_set(v, "papers", list);
	return v;
}

void web_board(req *r, struct web *w)
{
	static const char *const done[] = {"added", "Meeting added.", NULL, NULL};
	struct board_meeting *meetings;
	struct board_paper *papers;
	size_t nm, np;
	struct date today = date_today();
	tval *upcoming = tv_list(r->a), *past = tv_list(r->a);
	int rc = board_meeting_list(w->db, r->a, &meetings, &nm);
	if (rc == DOMAIN_OK)
		rc = board_papers_list(w->db, r->a, &papers, &np);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	/* The list comes latest first: past meetings read best that way, upcoming ones
	 * soonest first. */
	for (size_t i = nm; i-- > 0;)
		if (date_cmp(meetings[i].meets_on, today) >= 0)
			tv_push(upcoming, meeting_with_papers(r, w, &meetings[i], papers, np));
	for (size_t i = 0; i < nm; i++)
		if (date_cmp(meetings[i].meets_on, today) < 0)
			tv_push(past, meeting_with_papers(r, w, &meetings[i], papers, np));
	tv_set(w->page, "upcoming", upcoming);
	tv_set(w->page, "past", past);
	tv_set_bool(w->page, "has_upcoming", tv_len(upcoming) > 0);
	tv_set_bool(w->page, "has_past", tv_len(past) > 0);
	tv_set_bool(w->page, "is_lead", web_has_role(w, ROLE_PROGRAMME_LEAD));
	board_put_done(r, w, done);
	page_render(r, w, 200, "board", "Health and Wellbeing Board");
}

void web_board_meeting(req *r, struct web *w)
{
	static const char *const done[] = {
		"added", "Meeting added. You can now submit proposals to it.",
		"submitted", "Proposal submitted to this meeting.",
		"decided", "The Board's decision has been recorded.",
		"already", "The Board's decision had already been recorded, so nothing was "
			   "changed.",
		NULL, NULL,
	};
	struct board_meeting m;
	struct board_paper *papers;
	size_t n;
	tval *list = tv_list(r->a);
	int64_t id = board_path_id(w, "id");
	int rc = id ? board_meeting_get(w->db, r->a, id, &m) : DOMAIN_ENOTFOUND;
	if (rc == DOMAIN_OK)
		rc = board_papers_for_meeting(w->db, r->a, id, &papers, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (board_paper_visible(w, &papers[i]))
			tv_push(list, paper_value(r, w, &papers[i]));
	tv_set(w->page, "meeting", meeting_value(r, &m));
	tv_set(w->page, "papers", list);
	tv_set_bool(w->page, "has_papers", tv_len(list) > 0);
	tv_set_bool(w->page, "is_lead", web_has_role(w, ROLE_PROGRAMME_LEAD));
	tv_set_str(w->page, "submit_href",
		   arena_printf(r->a, "/board/meetings/%" PRId64 "/proposals/new", id));
	board_put_done(r, w, done);
	page_render(r, w, 200, "board_meeting", m.title);
}

/* --- Adding a meeting ------------------------------------------------------------------ */

static const char *const meeting_fields[] = {"title", "meets_on", "location", NULL};

static void meeting_form(req *r, struct web *w, int status, struct field_errors *fe)
{
	page_form_errors(r, w, fe, meeting_fields);
	tv_set(w->page, "date_field",
	       board_date_field(r, "meets_on", "Date of the meeting", "For example, 15 11 2022",
				field_error_get(fe, "meets_on"), NULL));
	page_render(r, w, status, "board_meeting_new", "Add a Board meeting");
}

void web_board_meeting_new(req *r, struct web *w)
{
	meeting_form(r, w, 200, NULL);
}

void web_board_meeting_create(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct field_errors fe;
	struct board_meeting_new in = {
		.day = kv_get(&r->form, "meets_on_day"),
		.month = kv_get(&r->form, "meets_on_month"),
		.year = kv_get(&r->form, "meets_on_year"),
		.title = kv_get(&r->form, "title"),
		.location = kv_get(&r->form, "location"),
	};
	int64_t id = 0;
	int rc;
	field_errors_init(&fe);
	rc = board_meeting_create(w->db, r->a, &who, &in, &fe, &id);
	if (rc == DOMAIN_EINVALID) {
		meeting_form(r, w, 400, &fe);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/board/meetings/%" PRId64 "?done=added", id));
}

/* --- Submitting a proposal ------------------------------------------------------------- */

static const char *const paper_fields[] = {"idea_id", "summary", "ask", "funding_sought",
					   "funding_sought_from", NULL};

static void paper_form(req *r, struct web *w, const struct board_meeting *m, int status,
		       struct field_errors *fe)
{
	struct board_ready *ready;
	size_t n;
	tval *list = tv_list(r->a);
	sv chosen = kv_get(&r->form, "idea_id");
	int rc = board_ready_list(w->db, r->a, &ready, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		tval *o = tv_map(r->a);
		const char *value = arena_printf(r->a, "%" PRId64, ready[i].idea_id);
		tv_set_str(o, "id", i == 0 ? "idea_id" : arena_printf(r->a, "idea_id-%s", value));
		tv_set_str(o, "value", value);
		tv_set_str(o, "label", ready[i].title);
		tv_set_str(o, "hint", ready[i].programme_name);
		tv_set_bool(o, "checked", value && sv_eq_cstr(chosen, value));
		tv_push(list, o);
	}
	page_form_errors(r, w, fe, paper_fields);
	tv_set(w->page, "ideas", list);
	tv_set_bool(w->page, "has_ideas", n > 0);
	tv_set(w->page, "meeting", meeting_value(r, m));
	tv_set_str(w->page, "action",
		   arena_printf(r->a, "/board/meetings/%" PRId64 "/proposals/new", m->id));
	page_render(r, w, status, "board_paper_new", "Submit a proposal to the Board");
}

static bool load_meeting(req *r, struct web *w, struct board_meeting *m)
{
	int64_t id = board_path_id(w, "id");
	int rc = id ? board_meeting_get(w->db, r->a, id, m) : DOMAIN_ENOTFOUND;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return false;
	}
	return true;
}

void web_board_paper_new(req *r, struct web *w)
{
	struct board_meeting m;
	if (load_meeting(r, w, &m))
		paper_form(r, w, &m, 200, NULL);
}

static int64_t form_id(req *r, const char *name)
{
	int64_t id;
	sv s = sv_trim(kv_get(&r->form, name));
	if (!s.len)
		return 0;
	if (sv_to_i64(s, &id) != 0 || id <= 0)
		return -1;
	return id;
}

void web_board_paper_create(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct board_meeting m;
	struct field_errors fe;
	struct board_paper_new in;
	int rc;

	if (!load_meeting(r, w, &m))
		return;
	in.meeting_id = m.id;
	in.idea_id = form_id(r, "idea_id");
	in.summary = kv_get(&r->form, "summary");
	in.ask = kv_get(&r->form, "ask");
	in.funding_sought = kv_get(&r->form, "funding_sought");
	in.funding_sought_from = kv_get(&r->form, "funding_sought_from");
	field_errors_init(&fe);
	rc = board_paper_submit(w->db, r->a, &who, &in, &fe, NULL);
	if (rc == DOMAIN_EINVALID) {
		paper_form(r, w, &m, 400, &fe);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/board/meetings/%" PRId64 "?done=submitted", m.id));
}

/* --- Recording the decision ------------------------------------------------------------ */

static const char *const decision_fields[] = {"decision", "conditions", "funding_agreed",
					      "funding_agreed_from", NULL};

static void decision_form(req *r, struct web *w, const struct board_paper *p, int status,
			  struct field_errors *fe)
{
	static const struct {
		enum board_decision d;
		const char *hint;
	} options[] = {
		{BOARD_SUPPORTED, "The Board supports the proposal, with any conditions below"},
		{BOARD_DEFERRED, "The Board will look at it again, for example once a condition "
				 "is met"},
		{BOARD_NOT_SUPPORTED, "The Board does not support the proposal"},
	};
	tval *list = tv_list(r->a);
	enum board_decision chosen = board_decision_parse(kv_get(&r->form, "decision"));
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
		tval *o = tv_map(r->a);
		const char *slug = board_decision_slug(options[i].d);
		tv_set_str(o, "id", i == 0 ? "decision" : arena_printf(r->a, "decision-%s", slug));
		tv_set_str(o, "value", slug);
		tv_set_str(o, "label", board_decision_label(options[i].d));
		tv_set_str(o, "hint", options[i].hint);
		tv_set_bool(o, "checked", options[i].d == chosen);
		tv_push(list, o);
	}
	page_form_errors(r, w, fe, decision_fields);
	tv_set(w->page, "decisions", list);
	tv_set(w->page, "paper", paper_value(r, w, p));
	page_render(r, w, status, "board_decision", "Record the Board's decision");
}

/* Loads the paper named by :id; a paper already decided is shown on its meeting's page
 * instead of the form (the decision is recorded once). */
static bool load_paper(req *r, struct web *w, struct board_paper *p)
{
	int64_t id = board_path_id(w, "id");
	int rc = id ? board_paper_get(w->db, r->a, id, p) : DOMAIN_ENOTFOUND;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return false;
	}
	return true;
}

void web_board_decision(req *r, struct web *w)
{
	struct board_paper p;
	if (!load_paper(r, w, &p))
		return;
	if (p.decision != BOARD_PENDING) {
		resp_redirect(r, arena_printf(r->a, "/board/meetings/%" PRId64, p.meeting_id));
		return;
	}
	decision_form(r, w, &p, 200, NULL);
}

void web_board_decision_save(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct board_paper p;
	struct field_errors fe;
	struct board_decision_new in;
	int rc;

	if (!load_paper(r, w, &p))
		return;
	in.decision = board_decision_parse(kv_get(&r->form, "decision"));
	in.conditions = kv_get(&r->form, "conditions");
	in.funding_agreed = kv_get(&r->form, "funding_agreed");
	in.funding_agreed_from = kv_get(&r->form, "funding_agreed_from");
	field_errors_init(&fe);
	rc = board_paper_decide(w->db, r->a, &who, p.id, &in, &fe);
	if (rc == DOMAIN_EINVALID) {
		decision_form(r, w, &p, 400, &fe);
		return;
	}
	if (rc == DOMAIN_ECONFLICT) {
		/* Someone recorded it first: the decision stands as they recorded it. */
		resp_redirect(r, arena_printf(r->a, "/board/meetings/%" PRId64 "?done=already",
					      p.meeting_id));
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/board/meetings/%" PRId64 "?done=decided", p.meeting_id));
}

/* --- Open data ------------------------------------------------------------------------- */

static void json_date(json *j, arena *a, struct date d)
{
	sbuf b;
	sbuf_init(&b, a, 16);
	date_iso(&b, d);
	json_str(j, sbuf_sv(&b));
}

void web_api_proposals(req *r, struct web *w)
{
	struct board_paper *papers;
	size_t n, count = 0;
	json j;
	int rc = board_papers_list(w->db, r->a, &papers, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	board_json_begin(r, &j);
	json_obj(&j);
	json_key(&j, "proposals");
	json_arr(&j);
	for (size_t i = 0; i < n; i++) {
		const struct board_paper *p = &papers[i];
		/* Open data is what the public sees, whoever asks. */
		if (!p->programme_published)
			continue;
		count++;
		json_obj(&j);
		json_key(&j, "id");
		json_int(&j, p->id);
		json_key(&j, "idea_id");
		json_int(&j, p->idea_id);
		json_key(&j, "title");
		json_cstr(&j, p->title);
		json_key(&j, "programme");
		json_obj(&j);
		json_key(&j, "slug");
		json_cstr(&j, p->programme_slug);
		json_key(&j, "name");
		json_cstr(&j, p->programme_name);
		json_end(&j);
		json_key(&j, "meeting");
		json_obj(&j);
		json_key(&j, "id");
		json_int(&j, p->meeting_id);
		json_key(&j, "title");
		json_cstr(&j, p->meeting_title);
		json_key(&j, "date");
		json_date(&j, r->a, p->meets_on);
		json_end(&j);
		json_key(&j, "summary");
		json_cstr(&j, p->summary);
		json_key(&j, "ask");
		json_cstr(&j, p->ask);
		json_key(&j, "funding_sought_pence");
		json_int(&j, p->funding_sought_pence);
		json_key(&j, "funding_sought_from");
		json_cstr(&j, p->funding_sought_from);
		json_key(&j, "decision");
		json_cstr(&j, board_decision_slug(p->decision));
		json_key(&j, "conditions");
		json_cstr(&j, p->conditions);
		json_key(&j, "funding_agreed_pence");
		json_int(&j, p->funding_agreed_pence);
		json_key(&j, "funding_agreed_from");
		json_cstr(&j, p->funding_agreed_from);
		json_key(&j, "delivery_plan_id");
		if (p->plan_id)
			json_int(&j, p->plan_id);
		else
			json_null(&j);
		json_key(&j, "url");
		json_cstr(&j, arena_printf(r->a, "/board/meetings/%" PRId64, p->meeting_id));
		json_end(&j);
	}
	json_end(&j);
	json_key(&j, "count");
	json_int(&j, (int64_t)count);
	json_end(&j);
	if (r->body_out.err)
		page_error(r, w, 500);
}
