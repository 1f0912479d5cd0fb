/* web_reports.c: case studies (public pages, open data, writing and publishing them) and
 * the six-monthly Board report as a page, a PDF and a CSV; see web_reports.h. */
#include "web/web_reports.h"

#include <inttypes.h>
#include <string.h>

#include "core/disclosure.h"
#include "core/json.h"
#include "domain/case_studies.h"
#include "domain/programmes.h"
#include "domain/report.h"

#define REPORT_ROLES (ROLE_PROGRAMME_LEAD | ROLE_BOARD_MEMBER | ROLE_FACILITATOR)
#define QUOTE_CANDIDATES_MAX 100
#define CANDIDATE_TEXT_MAX 80 /* bytes of a comment shown in the list to choose from */

/* --- Small helpers --------------------------------------------------------------------- */

/* For page_form_errors on pages whose only inputs are not kept (dates are kept by their
 * own maps, buttons have none). */
static const char *const no_fields[] = {NULL};

static int64_t path_id(const struct web *w, const char *name)
{
	int64_t id;
	if (sv_to_i64(web_param(w, name), &id) != 0 || id <= 0)
		return 0;
	return id;
}

static const char *date_text(arena *a, struct date d)
{
	sbuf b;
	sbuf_init(&b, a, 64);
	date_human(&b, d);
	return b.err ? "" : b.buf;
}

static const char *iso_text(arena *a, struct date d)
{
	sbuf b;
	sbuf_init(&b, a, 16);
	date_iso(&b, d);
	return b.err ? "" : b.buf;
}

static void put_done(req *r, struct web *w, const char *const *pairs)
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

/* May the signed-in person write case studies of programme PID: programme leads, and
 * facilitators of one of its groups (case_study_writer). */
static bool may_write(struct web *w, int64_t pid)
{
	if (!w->sess)
		return false;
	return case_study_writer(w->db, w->sess->account_id, w->sess->role, pid) == 1;
}

/* The case study of the path's :id that the visitor may see into *C. Drafts, and case
 * studies of unpublished programmes, only for those who may write them; anyone else
 * gets 404. Renders the error and returns false when it cannot be shown. */
static bool load_study(req *r, struct web *w, struct case_study *c, bool for_writing)
{
	int64_t id = path_id(w, "id");
	int rc = id ? case_study_get(w->db, r->a, id, c) : DOMAIN_ENOTFOUND;
	if (rc == DOMAIN_OK) {
		bool writer = may_write(w, c->programme_id);
		if (for_writing ? !writer : !(writer || (c->published && c->programme_published)))
			rc = DOMAIN_ENOTFOUND;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return false;
	}
	return true;
}

/* Splits TEXT into paragraphs at blank lines, for a template list. */
static tval *paragraphs(arena *a, const char *text)
{
	tval *l = tv_list(a);
	sv rest = sv_from(text ? text : "");
	while (rest.len) {
		const char *p = rest.ptr, *end = rest.ptr + rest.len, *cut = NULL;
		for (const char *q = p; q + 1 < end; q++) {
			if (q[0] == '\n' && (q[1] == '\n' || (q[1] == '\r' && q + 2 < end && q[2] == '\n'))) {
				cut = q;
				break;
			}
		}
		sv part = {p, cut ? (size_t)(cut - p) : rest.len};
		part = sv_trim(part);
		while (part.len && (part.ptr[part.len - 1] == '\r' || part.ptr[part.len - 1] == '\n'))
			part.len--;
		while (part.len && (part.ptr[0] == '\r' || part.ptr[0] == '\n')) {
			part.ptr++;
			part.len--;
		}
		if (part.len)
			tv_push(l, tv_sv(a, part));
		if (!cut)
			break;
		rest = (sv){cut + 1, (size_t)(end - cut - 1)};
	}
	return l;
}

static tval *fact(arena *a, const char *label, const char *value)
{
	tval *m = tv_map(a);
	tv_set_str(m, "label", label);
	tv_set_str(m, "value", value);
	return m;
}

static const char *n_text(arena *a, int64_t n)
{
	return arena_printf(a, "%" PRId64, n);
}

/* The figures from the records for part P of the story. */
static tval *part_facts(arena *a, enum case_study_part p, const struct case_study_facts *f)
{
	tval *l = tv_list(a);
	switch (p) {
	case PART_ISSUE:
		for (size_t i = 0; i < f->n_areas; i++)
			tv_push(l, fact(a, f->areas[i], *f->statements[i] ? f->statements[i]
									    : "No reframed statement yet"));
		break;
	case PART_PEOPLE:
		tv_push(l, fact(a, "Local people", disclosure_text(a, f->local_people)));
		tv_push(l, fact(a, "Professionals and facilitators", disclosure_text(a, f->professionals)));
		tv_push(l, fact(a, "Groups", n_text(a, f->n_groups)));
		tv_push(l, fact(a, "Sessions held", n_text(a, f->sessions_held)));
		break;
	case PART_COPRODUCED:
		tv_push(l, fact(a, "Ideas", n_text(a, f->ideas)));
		tv_push(l, fact(a, "Developed into concepts or further", n_text(a, f->concepts_or_more)));
		break;
	case PART_DECISIONS:
		tv_push(l, fact(a, "Shared decisions taken", n_text(a, f->decisions_closed)));
		tv_push(l, fact(a, "Positions on decisions",
				arena_printf(a, "%" PRId64 " from local people, %" PRId64
						" from professionals",
					     f->positions_local, f->positions_professional)));
		tv_push(l, fact(a, "Ideas put forward",
				arena_printf(a, "%" PRId64 " by local people, %" PRId64
						" by professionals",
					     f->ideas_local, f->ideas_professional)));
		tv_push(l, fact(a, "Amendments to ideas",
				arena_printf(a, "%" PRId64 " by local people, %" PRId64
						" by professionals",
					     f->amendments_local, f->amendments_professional)));
		break;
	case PART_BOARD:
		tv_push(l, fact(a, "Proposals to the Board", n_text(a, f->proposals)));
		tv_push(l, fact(a, "Supported", n_text(a, f->supported)));
		tv_push(l, fact(a, "Deferred", n_text(a, f->deferred)));
		tv_push(l, fact(a, "Not supported", n_text(a, f->not_supported)));
		if (f->pending)
			tv_push(l, fact(a, "Waiting for a decision", n_text(a, f->pending)));
		break;
	case PART_CHANGED:
		tv_push(l, fact(a, "Co-delivery plans", n_text(a, f->plans)));
		tv_push(l, fact(a, "In the Locality Implementation Plan", n_text(a, f->in_locality_plan)));
		tv_push(l, fact(a, "Actions done",
				arena_printf(a, "%" PRId64 " of %" PRId64, f->actions_done, f->actions)));
		tv_push(l, fact(a, "Milestones reached",
				arena_printf(a, "%" PRId64 " of %" PRId64, f->milestones_reached,
					     f->milestones)));
		break;
	case PART_LEARNED:
		tv_push(l, fact(a, "Ideas tested early", n_text(a, f->ideas_tested)));
		tv_push(l, fact(a, "Entries in the learning log", n_text(a, f->learning_entries)));
		tv_push(l, fact(a, "A shift in thinking noticed", n_text(a, f->noticed_shift)));
		break;
	}
	return l;
}

static tval *study_summary_value(req *r, const struct case_study *c)
{
	tval *v = tv_map(r->a);
	tv_set_int(v, "id", c->id);
	tv_set_str(v, "href", arena_printf(r->a, "/case-studies/%" PRId64, c->id));
	tv_set_str(v, "title", c->title);
	tv_set_str(v, "summary", c->summary);
	tv_set_str(v, "programme", c->programme_name);
	tv_set_bool(v, "published", c->published);
	tv_set_str(v, "published_on", c->published ? date_text(r->a, c->published_on) : "");
	tv_set_str(v, "last_updated",
		   c->published && c->last_updated.y ? date_text(r->a, c->last_updated) : "");
	return v;
}

/* --- Public pages ---------------------------------------------------------------------- */

void web_case_studies(req *r, struct web *w)
{
	struct case_study_filter f = {.published_only = true};
	struct case_study *list, *all;
	size_t n, na;
	tval *pub = tv_list(r->a), *drafts = tv_list(r->a);
	bool writer = web_has_role(w, ROLE_FACILITATOR | ROLE_PROGRAMME_LEAD);
	int rc = case_study_list(w->db, r->a, &f, &list, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++)
		tv_push(pub, study_summary_value(r, &list[i]));
	if (writer) {
		if ((rc = case_study_list(w->db, r->a, NULL, &all, &na)) != DOMAIN_OK) {
			page_fail(r, w, rc);
			return;
		}
		for (size_t i = 0; i < na; i++)
			if ((!all[i].published || !all[i].programme_published) &&
			    may_write(w, all[i].programme_id))
				tv_push(drafts, study_summary_value(r, &all[i]));
	}
	tv_set(w->page, "studies", pub);
	tv_set_bool(w->page, "has_studies", n > 0);
	tv_set_int(w->page, "count", (int64_t)n);
	tv_set_bool(w->page, "writer", writer);
	tv_set(w->page, "drafts", drafts);
	tv_set_bool(w->page, "has_drafts", tv_len(drafts) > 0);
	page_render(r, w, 200, "case_studies", "Case studies");
}

static void study_page(req *r, struct web *w, int status, const struct case_study *c,
		       const struct field_errors *fe)
{
	static const char *const done[] = {
		"created", "Case study started. Add its story and choose quotes.",
		"saved", "Your changes have been saved.",
		"resubmit", "Your changes have been saved and the case study is back to draft, off "
			    "the public site. A programme lead needs to publish it again.",
		"published", "The case study is published on the public site.",
		"unpublished", "The case study has been taken off the public site.",
		NULL, NULL,
	};
	struct case_study_facts f;
	tval *parts = tv_list(r->a), *quotes = tv_list(r->a);
	bool writer = may_write(w, c->programme_id);
	size_t waiting = 0;
	int rc = case_study_facts(w->db, r->a, c->programme_id, &f);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (int p = 0; p < CASE_STUDY_PARTS; p++) {
		tval *v = tv_map(r->a), *facts = part_facts(r->a, (enum case_study_part)p, &f);
		tval *text = paragraphs(r->a, c->part[p]);
		if (!tv_len(facts) && !tv_len(text))
			continue;
		tv_set_str(v, "heading", case_study_part_heading((enum case_study_part)p));
		tv_set_str(v, "id", case_study_part_key((enum case_study_part)p));
		tv_set(v, "paragraphs", text);
		tv_set(v, "facts", facts);
		tv_set_bool(v, "has_facts", tv_len(facts) > 0);
		tv_push(parts, v);
	}
	for (size_t i = 0; i < c->n_quotes; i++) {
		const struct case_study_quote *q = &c->quotes[i];
		tval *v;
		if (!q->consent) {
			waiting++;
			continue;
		}
		v = tv_map(r->a);
		tv_set_str(v, "quote", q->quote);
		tv_set_str(v, "speaker", q->speaker);
		tv_push(quotes, v);
	}
	tv_set(w->page, "study", study_summary_value(r, c));
	tv_set(w->page, "summary_paragraphs", paragraphs(r->a, c->summary));
	tv_set_str(w->page, "programme_href", arena_printf(r->a, "/programmes/%s", c->programme_slug));
	tv_set(w->page, "parts", parts);
	tv_set(w->page, "quotes", quotes);
	tv_set_bool(w->page, "has_quotes", tv_len(quotes) > 0);
	tv_set_str(w->page, "figures_as_at", date_text(r->a, date_today()));
	tv_set_bool(w->page, "writer", writer);
	tv_set_bool(w->page, "is_lead", web_has_role(w, ROLE_PROGRAMME_LEAD));
	tv_set_int(w->page, "waiting", (int64_t)waiting);
	tv_set_bool(w->page, "has_waiting", waiting > 0);
	tv_set_str(w->page, "edit_href", arena_printf(r->a, "/case-studies/%" PRId64 "/edit", c->id));
	tv_set_str(w->page, "quotes_href", arena_printf(r->a, "/case-studies/%" PRId64 "/quotes", c->id));
	tv_set_str(w->page, "publish_action",
		   arena_printf(r->a, "/case-studies/%" PRId64 "/%s", c->id,
				c->published ? "unpublish" : "publish"));
	if (fe)
		page_form_errors(r, w, fe, no_fields);
	put_done(r, w, done);
	page_render(r, w, status, "case_study", c->title);
}

void web_case_study(req *r, struct web *w)
{
	struct case_study c;
	if (load_study(r, w, &c, false))
		study_page(r, w, 200, &c, NULL);
}

/* --- Writing the story ----------------------------------------------------------------- */

static tval *textarea(req *r, const char *id, const char *label, const char *hint,
		      const struct field_errors *fe, const char *stored, int rows)
{
	tval *m = tv_map(r->a);
	const char *err = field_error_get(fe, id);
	tv_set_str(m, "id", id);
	tv_set_str(m, "label", label);
	tv_set_str(m, "hint", hint ? hint : "");
	tv_set_str(m, "error", err ? err : "");
	if (r->method == HTTP_POST)
		tv_set_sv(m, "value", kv_get(&r->form, id));
	else
		tv_set_str(m, "value", stored ? stored : "");
	tv_set_int(m, "rows", rows);
	return m;
}

static const char *const part_hints[CASE_STUDY_PARTS] = {
	"How the group put the issue in its own words, as a positive statement",
	"Who took part and how: the figures from the records are shown beside your words",
	"The ideas, concepts and proposals people developed together",
	"How decisions were taken and who shaped them",
	"What the Health and Wellbeing Board decided, and any conditions or funding",
	"What changed as a result: for people, services and the way organisations work",
	"What the group and the organisations learned, including what did not work",
};

static const char *const story_fields[] = {"programme", "title", "summary", "issue", "people",
					   "coproduced", "decisions", "board", "changed",
					   "learned", NULL};

/* Programmes the signed-in person may write case studies for, as radios. */
static tval *programme_choices(req *r, struct web *w, sv chosen, size_t *n_out)
{
	struct programme *ps;
	size_t n;
	tval *l = tv_list(r->a);
	*n_out = 0;
	if (programmes_list(w->db, r->a, NULL, &ps, &n) != DOMAIN_OK)
		return l;
	for (size_t i = 0; i < n; i++) {
		tval *v;
		if (!may_write(w, ps[i].id))
			continue;
		v = tv_map(r->a);
		tv_set_str(v, "id", *n_out ? arena_printf(r->a, "programme-%zu", *n_out) : "programme");
		tv_set_str(v, "value", ps[i].slug);
		tv_set_str(v, "label", ps[i].name);
		tv_set_bool(v, "checked", sv_eq_cstr(chosen, ps[i].slug));
		tv_push(l, v);
		(*n_out)++;
	}
	return l;
}

static void story_form(req *r, struct web *w, int status, const struct case_study *c,
		       const struct field_errors *fe)
{
	tval *parts = tv_list(r->a);
	page_form_errors(r, w, fe, story_fields);
	if (!c) {
		size_t n;
		sv chosen = r->method == HTTP_POST ? kv_get(&r->form, "programme")
						   : kv_get(&r->query, "programme");
		tv_set(w->page, "programmes", programme_choices(r, w, chosen, &n));
		tv_set_bool(w->page, "has_programmes", n > 0);
		tv_set_bool(w->page, "is_new", true);
		tv_set_str(w->page, "action", "/case-studies/new");
	} else {
		tv_set_str(w->page, "action", arena_printf(r->a, "/case-studies/%" PRId64 "/edit", c->id));
		tv_set_str(w->page, "back_href", arena_printf(r->a, "/case-studies/%" PRId64, c->id));
		tv_set_str(w->page, "programme_name", c->programme_name);
	}
	tv_set(w->page, "title_field",
	       textarea(r, "title", "Title", NULL, fe, c ? c->title : NULL, 2));
	tv_set(w->page, "summary_field",
	       textarea(r, "summary", "Summary", "Two or three sentences for the list of case studies",
			fe, c ? c->summary : NULL, 4));
	for (int p = 0; p < CASE_STUDY_PARTS; p++)
		tv_push(parts, textarea(r, case_study_part_key((enum case_study_part)p),
					case_study_part_heading((enum case_study_part)p), part_hints[p],
					fe, c ? c->part[p] : NULL, 5));
	tv_set(w->page, "parts", parts);
	page_render(r, w, status, "case_study_form",
		    c ? "Edit the case study" : "Start a case study");
}

static struct case_study_input story_input(req *r)
{
	struct case_study_input in = {
		.title = kv_get(&r->form, "title"),
		.summary = kv_get(&r->form, "summary"),
	};
	for (int p = 0; p < CASE_STUDY_PARTS; p++)
		in.part[p] = kv_get(&r->form, case_study_part_key((enum case_study_part)p));
	return in;
}

void web_case_study_new(req *r, struct web *w)
{
	story_form(r, w, 200, NULL, NULL);
}

void web_case_study_create(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct case_study_input in = story_input(r);
	struct field_errors fe;
	struct programme p;
	sv slug = kv_get(&r->form, "programme");
	char *slug_c = slug.ptr ? sv_dup(r->a, slug) : NULL;
	int64_t id = 0;
	int rc = DOMAIN_EINVALID;
	field_errors_init(&fe);
	if (!slug_c || programme_get_by_slug(w->db, r->a, slug_c, &p) != DOMAIN_OK ||
	    !may_write(w, p.id)) {
		field_error_add(&fe, "programme", "Select the programme the case study is about");
		/* Check the rest too, so every mistake is shown at once. */
		case_study_create(w->db, r->a, &who, 0, &in, &fe, &id);
	} else {
		rc = case_study_create(w->db, r->a, &who, p.id, &in, &fe, &id);
	}
	if (rc == DOMAIN_EINVALID) {
		story_form(r, w, 400, NULL, &fe);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/case-studies/%" PRId64 "?done=created", id));
}

void web_case_study_edit(req *r, struct web *w)
{
	struct case_study c;
	if (load_study(r, w, &c, true))
		story_form(r, w, 200, &c, NULL);
}

void web_case_study_update(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct case_study c;
	struct case_study_input in = story_input(r);
	struct field_errors fe;
	bool unpublished = false;
	int rc;
	if (!load_study(r, w, &c, true))
		return;
	field_errors_init(&fe);
	rc = case_study_update(w->db, r->a, &who, c.id, &in, web_has_role(w, ROLE_PROGRAMME_LEAD),
			       &fe, &unpublished);
	if (rc == DOMAIN_EINVALID) {
		story_form(r, w, 400, &c, &fe);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/case-studies/%" PRId64 "?done=%s", c.id,
				      unpublished ? "resubmit" : "saved"));
}

/* --- Quotes and consent ---------------------------------------------------------------- */

static tval *date_field(req *r, const char *id, const char *legend, const char *hint,
			const char *error, bool from_form)
{
	tval *m = tv_map(r->a);
	tv_set_str(m, "id", id);
	tv_set_str(m, "legend", legend);
	tv_set_str(m, "hint", hint);
	tv_set_str(m, "error", error ? error : "");
	if (from_form) {
		tv_set_sv(m, "day", kv_get(&r->form, arena_printf(r->a, "%s-day", id)));
		tv_set_sv(m, "month", kv_get(&r->form, arena_printf(r->a, "%s-month", id)));
		tv_set_sv(m, "year", kv_get(&r->form, arena_printf(r->a, "%s-year", id)));
	}
	return m;
}

static const char *const quote_fields[] = {"source", "quote", "speaker", "consent", NULL};

/* FAILED_QUOTE: the quote whose consent form failed (its error in FE under
 * "consent_on"), or 0 when the add form failed (or nothing did). */
static void quotes_page(req *r, struct web *w, int status, const struct case_study *c,
			const struct field_errors *fe, int64_t failed_quote)
{
	static const char *const done[] = {
		"added", "Quote added.",
		"consent", "The speaker's consent has been recorded.",
		"withdrawn", "Consent withdrawn: the quote is no longer shown.",
		"removed", "Quote removed.",
		NULL, NULL,
	};
	struct quote_candidate *cands;
	size_t nc;
	tval *quotes = tv_list(r->a), *sources = tv_list(r->a);
	bool add_failed = fe && !failed_quote;
	sv chosen = add_failed ? kv_get(&r->form, "source") : SV("typed");
	int rc = case_study_quote_candidates(w->db, r->a, c->programme_id, QUOTE_CANDIDATES_MAX,
					     &cands, &nc);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < c->n_quotes; i++) {
		const struct case_study_quote *q = &c->quotes[i];
		tval *v = tv_map(r->a);
		const char *cid = arena_printf(r->a, "consent-%" PRId64, q->id);
		bool failed = failed_quote == q->id;
		tv_set_str(v, "quote", q->quote);
		tv_set_str(v, "speaker", q->speaker);
		tv_set_bool(v, "consent", q->consent);
		tv_set_str(v, "consent_on", q->consent ? date_text(r->a, q->consent_on) : "");
		tv_set_str(v, "consent_action",
			   arena_printf(r->a, "/case-studies/%" PRId64 "/quotes/%" PRId64 "/consent",
					c->id, q->id));
		tv_set_str(v, "remove_action",
			   arena_printf(r->a, "/case-studies/%" PRId64 "/quotes/%" PRId64 "/remove",
					c->id, q->id));
		tv_set(v, "date_field",
		       date_field(r, cid, "Date the speaker agreed", "For example, 14 6 2022",
				  failed ? field_error_get(fe, cid) : NULL, failed));
		tv_push(quotes, v);
	}
	{
		tval *t = tv_map(r->a);
		tv_set_str(t, "value", "typed");
		tv_set_str(t, "label", "Type the quote below");
		tv_set_bool(t, "selected", sv_eq_cstr(chosen, "typed"));
		tv_push(sources, t);
	}
	for (size_t i = 0; i < nc; i++) {
		tval *v = tv_map(r->a);
		const char *value = arena_printf(r->a, "%s-%" PRId64,
						 cands[i].source == QUOTE_IDEA_COMMENT ? "comment" : "outcome",
						 cands[i].id);
		sv text = sv_from(cands[i].text);
		if (text.len > CANDIDATE_TEXT_MAX) {
			/* Cut at a character boundary, not inside a UTF-8 sequence. */
			size_t k = CANDIDATE_TEXT_MAX;
			while (k && ((unsigned char)text.ptr[k] & 0xC0) == 0x80)
				k--;
			text = (sv){arena_printf(r->a, "%.*s…", (int)k, text.ptr), 0};
			text.len = strlen(text.ptr);
		}
		tv_set_str(v, "value", value);
		tv_set_str(v, "label",
			   arena_printf(r->a, "%s on \"%s\": %.*s",
					cands[i].source == QUOTE_IDEA_COMMENT
						? (strcmp(cands[i].side, "local") == 0 ? "A local person's comment"
										      : "A professional's comment")
						: "A session outcome",
					cands[i].context, SV_ARG(text)));
		tv_set_bool(v, "selected", sv_eq_cstr(chosen, value));
		tv_push(sources, v);
	}
	if (add_failed)
		page_form_errors(r, w, fe, quote_fields);
	else if (fe)
		page_form_errors(r, w, fe, no_fields);
	tv_set(w->page, "study", study_summary_value(r, c));
	tv_set(w->page, "quotes", quotes);
	tv_set_bool(w->page, "has_quotes", tv_len(quotes) > 0);
	tv_set(w->page, "sources", sources);
	tv_set_str(w->page, "add_action", arena_printf(r->a, "/case-studies/%" PRId64 "/quotes", c->id));
	tv_set_str(w->page, "back_href", arena_printf(r->a, "/case-studies/%" PRId64, c->id));
	tv_set_bool(w->page, "consent_yes", add_failed && sv_eq_cstr(kv_get(&r->form, "consent"), "yes"));
	tv_set_bool(w->page, "consent_no", add_failed && sv_eq_cstr(kv_get(&r->form, "consent"), "no"));
	tv_set(w->page, "consent_date",
	       date_field(r, "consent_on", "Date the speaker agreed", "Only if they agreed. For example, 14 6 2022",
			  add_failed ? field_error_get(fe, "consent_on") : NULL, add_failed));
	put_done(r, w, done);
	page_render(r, w, status, "case_study_quotes", "Quotes and consent");
}

void web_case_study_quotes(req *r, struct web *w)
{
	struct case_study c;
	if (load_study(r, w, &c, true))
		quotes_page(r, w, 200, &c, NULL, 0);
}

void web_case_study_quote_add(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct case_study c;
	struct field_errors fe;
	struct case_study_quote_input in = {
		.quote = kv_get(&r->form, "quote"),
		.speaker = kv_get(&r->form, "speaker"),
		.consent_day = kv_get(&r->form, "consent_on-day"),
		.consent_month = kv_get(&r->form, "consent_on-month"),
		.consent_year = kv_get(&r->form, "consent_on-year"),
	};
	sv source = kv_get(&r->form, "source"), consent = kv_get(&r->form, "consent"), rest;
	int64_t qid;
	int rc;
	if (!load_study(r, w, &c, true))
		return;
	field_errors_init(&fe);
	if (!source.ptr || sv_eq_cstr(source, "typed")) {
		in.source = QUOTE_TYPED;
	} else {
		sv kind = sv_cut(source, '-', &rest);
		in.source = sv_eq_cstr(kind, "comment")	  ? QUOTE_IDEA_COMMENT
			    : sv_eq_cstr(kind, "outcome") ? QUOTE_SESSION_OUTCOME
							  : QUOTE_TYPED;
		if (in.source == QUOTE_TYPED || sv_to_i64(rest, &in.source_id) != 0) {
			in.source = QUOTE_IDEA_COMMENT;
			in.source_id = 0; /* not found: the domain says which field is wrong */
		}
	}
	in.consent = sv_eq_cstr(consent, "yes") ? 1 : sv_eq_cstr(consent, "no") ? 0 : -1;
	rc = case_study_quote_add(w->db, r->a, &who, c.id, &in, &fe, &qid);
	if (rc == DOMAIN_EINVALID) {
		quotes_page(r, w, 400, &c, &fe, 0);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/case-studies/%" PRId64 "/quotes?done=added", c.id));
}

void web_case_study_quote_consent(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct case_study c;
	struct field_errors fe, shown;
	int64_t qid = path_id(w, "qid");
	bool yes = sv_eq_cstr(kv_get(&r->form, "consent"), "yes");
	const char *cid = arena_printf(r->a, "consent-%" PRId64, qid);
	int rc;
	if (!load_study(r, w, &c, true))
		return;
	field_errors_init(&fe);
	rc = case_study_quote_consent(w->db, r->a, &who, c.id, qid, yes,
				      kv_get(&r->form, arena_printf(r->a, "%s-day", cid)),
				      kv_get(&r->form, arena_printf(r->a, "%s-month", cid)),
				      kv_get(&r->form, arena_printf(r->a, "%s-year", cid)), &fe);
	if (rc == DOMAIN_EINVALID) {
		/* The form's date input is named for its quote. */
		field_errors_init(&shown);
		field_error_add(&shown, cid, field_error_get(&fe, "consent_on"));
		quotes_page(r, w, 400, &c, &shown, qid);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/case-studies/%" PRId64 "/quotes?done=%s", c.id,
				      yes ? "consent" : "withdrawn"));
}

void web_case_study_quote_remove(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct case_study c;
	int rc;
	if (!load_study(r, w, &c, true))
		return;
	rc = case_study_quote_remove(w->db, r->a, &who, c.id, path_id(w, "qid"));
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/case-studies/%" PRId64 "/quotes?done=removed", c.id));
}

/* --- Publishing ------------------------------------------------------------------------ */

void web_case_study_publish(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct case_study c;
	struct field_errors fe;
	int rc;
	if (!load_study(r, w, &c, true))
		return;
	field_errors_init(&fe);
	rc = case_study_publish(w->db, r->a, &who, c.id, date_today(), &fe);
	if (rc == DOMAIN_ECONFLICT) {
		study_page(r, w, 409, &c, &fe);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/case-studies/%" PRId64 "?done=published", c.id));
}

void web_case_study_unpublish(req *r, struct web *w)
{
	struct audit_actor who = web_actor(r, w);
	struct case_study c;
	int rc;
	if (!load_study(r, w, &c, true))
		return;
	rc = case_study_unpublish(w->db, r->a, &who, c.id);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/case-studies/%" PRId64 "?done=unpublished", c.id));
}

/* --- Open data ------------------------------------------------------------------------- */

static void json_begin(req *r, json *j)
{
	r->status = 200;
	r->content_type = "application/json";
	resp_header(r, "Access-Control-Allow-Origin", "*");
	sbuf_reset(&r->body_out);
	json_init(j, &r->body_out);
}

static void json_study(req *r, struct web *w, json *j, const struct case_study *c, bool full)
{
	json_obj(j);
	json_key(j, "id");
	json_int(j, c->id);
	json_key(j, "title");
	json_cstr(j, c->title);
	json_key(j, "summary");
	json_cstr(j, c->summary);
	json_key(j, "programme");
	json_obj(j);
	json_key(j, "slug");
	json_cstr(j, c->programme_slug);
	json_key(j, "name");
	json_cstr(j, c->programme_name);
	json_end(j);
	json_key(j, "published_on");
	json_cstr(j, iso_text(r->a, c->published_on));
	json_key(j, "url");
	json_cstr(j, arena_printf(r->a, "/case-studies/%" PRId64, c->id));
	if (full) {
		json_key(j, "last_updated");
		if (c->last_updated.y)
			json_cstr(j, iso_text(r->a, c->last_updated));
		else
			json_null(j);
		struct case_study_facts f;
		json_key(j, "sections");
		json_arr(j);
		for (int p = 0; p < CASE_STUDY_PARTS; p++) {
			json_obj(j);
			json_key(j, "key");
			json_cstr(j, case_study_part_key((enum case_study_part)p));
			json_key(j, "heading");
			json_cstr(j, case_study_part_heading((enum case_study_part)p));
			json_key(j, "text");
			json_cstr(j, c->part[p]);
			json_end(j);
		}
		json_end(j);
		json_key(j, "quotes");
		json_arr(j);
		for (size_t i = 0; i < c->n_quotes; i++) {
			/* Only quotes whose speakers agreed are ever published. */
			if (!c->quotes[i].consent)
				continue;
			json_obj(j);
			json_key(j, "quote");
			json_cstr(j, c->quotes[i].quote);
			json_key(j, "speaker");
			json_cstr(j, c->quotes[i].speaker);
			json_end(j);
		}
		json_end(j);
		if (case_study_facts(w->db, r->a, c->programme_id, &f) == DOMAIN_OK) {
			/* The figures come from the records as they are today, not as they were
			 * when the study was published. */
			json_key(j, "figures_as_at");
			json_cstr(j, iso_text(r->a, date_today()));
			json_key(j, "figures");
			json_obj(j);
			json_key(j, "local_people");
			json_cstr(j, disclosure_text(r->a, f.local_people));
			json_key(j, "professionals");
			json_cstr(j, disclosure_text(r->a, f.professionals));
			json_key(j, "sessions_held");
			json_int(j, f.sessions_held);
			json_key(j, "ideas");
			json_int(j, f.ideas);
			json_key(j, "decisions");
			json_int(j, f.decisions_closed);
			json_key(j, "positions_local");
			json_int(j, f.positions_local);
			json_key(j, "positions_professional");
			json_int(j, f.positions_professional);
			json_key(j, "proposals_to_board");
			json_int(j, f.proposals);
			json_key(j, "proposals_supported");
			json_int(j, f.supported);
			json_key(j, "delivery_plans");
			json_int(j, f.plans);
			json_end(j);
		}
	}
	json_end(j);
}

void web_api_case_studies(req *r, struct web *w)
{
	struct case_study_filter f = {.published_only = true};
	struct case_study *list;
	size_t n;
	json j;
	int rc = case_study_list(w->db, r->a, &f, &list, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	json_begin(r, &j);
	json_obj(&j);
	json_key(&j, "case_studies");
	json_arr(&j);
	for (size_t i = 0; i < n; i++)
		json_study(r, w, &j, &list[i], false);
	json_end(&j);
	json_key(&j, "count");
	json_int(&j, (int64_t)n);
	json_end(&j);
}

void web_api_case_study(req *r, struct web *w)
{
	struct case_study c;
	json j;
	int64_t id = path_id(w, "id");
	int rc = id ? case_study_get(w->db, r->a, id, &c) : DOMAIN_ENOTFOUND;
	/* Open data is what the public sees, whoever asks. */
	if (rc == DOMAIN_OK && !(c.published && c.programme_published))
		rc = DOMAIN_ENOTFOUND;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	json_begin(r, &j);
	json_study(r, w, &j, &c, true);
}

/* --- The Board report ------------------------------------------------------------------ */

/* Which programmes the visitor's report covers: all for programme leads and Board
 * members; otherwise a facilitator's own (those with a group they facilitate). */
static int report_scope(req *r, struct web *w, struct report_options *o)
{
	struct programme *ps;
	size_t n, k = 0;
	int64_t *ids;
	int rc;
	if (web_has_role(w, ROLE_PROGRAMME_LEAD | ROLE_BOARD_MEMBER)) {
		o->all = true;
		return DOMAIN_OK;
	}
	if ((rc = programmes_list(w->db, r->a, NULL, &ps, &n)) != DOMAIN_OK)
		return rc;
	if (!(ids = arena_calloc(r->a, n ? n : 1, sizeof(*ids))))
		return DB_ERR;
	for (size_t i = 0; i < n; i++)
		if ((rc = case_study_writer(w->db, w->sess->account_id, w->sess->role, ps[i].id)) < 0)
			return rc;
		else if (rc == 1)
			ids[k++] = ps[i].id;
	o->all = false;
	o->programme_ids = ids;
	o->n_programme_ids = k;
	return DOMAIN_OK;
}

/* Reads one end of the period: "from=YYYY-MM-DD", or the date input's three fields
 * "from-day", "from-month", "from-year". Returns 0, 1 when absent, -1 when wrong. */
static int period_end(req *r, const char *name, struct date *out)
{
	sv iso = kv_get(&r->query, name);
	sv d = kv_get(&r->query, arena_printf(r->a, "%s-day", name));
	sv m = kv_get(&r->query, arena_printf(r->a, "%s-month", name));
	sv y = kv_get(&r->query, arena_printf(r->a, "%s-year", name));
	if (iso.ptr && iso.len)
		return date_parse(sv_trim(iso), out) == 0 ? 0 : -1;
	if (!d.len && !m.len && !y.len)
		return 1;
	return date_from_fields(d, m, y, out) == 0 ? 0 : -1;
}

static tval *period_field(req *r, const char *id, const char *legend, const char *hint,
			  const char *error, const struct date *d)
{
	tval *m = tv_map(r->a);
	const char *parts[3] = {"day", "month", "year"};
	tv_set_str(m, "id", id);
	tv_set_str(m, "legend", legend);
	tv_set_str(m, "hint", hint);
	tv_set_str(m, "error", error ? error : "");
	for (int i = 0; i < 3; i++) {
		sv typed = kv_get(&r->query, arena_printf(r->a, "%s-%s", id, parts[i]));
		if (typed.ptr)
			tv_set_sv(m, parts[i], typed);
		else if (d)
			tv_set_int(m, parts[i], i == 0 ? d->d : i == 1 ? d->m : d->y);
	}
	return m;
}

/* The report's page, or with FORMAT "pdf" or "csv" its download (an address ending in
 * .pdf or .csv, so browsers and crawlers know it for a file). */
static const char *view_href(arena *a, struct date from, struct date to, const char *format)
{
	const char *page = !format			? "view"
			   : strcmp(format, "pdf") == 0 ? "report.pdf"
							: "figures.csv";
	return arena_printf(a, "/reports/%s?from=%s&to=%s", page, iso_text(a, from), iso_text(a, to));
}

static void report_form(req *r, struct web *w, int status, const struct field_errors *fe,
			const struct date *from, const struct date *to)
{
	struct date f1, t1, f2, t2, today = date_today();
	tval *recent = tv_list(r->a);
	report_last_half_year(today, &f1, &t1);
	report_last_half_year(f1, &f2, &t2);
	{
		/* Newest first: the half-year under way (a report can be prepared before it
		 * ends, its figures then run to today), then the two before it. */
		struct date now_from = {today.y, today.m <= 6 ? 1 : 7, 1};
		struct date now_to = {today.y, today.m <= 6 ? 6 : 12, today.m <= 6 ? 30 : 31};
		struct date fs[3] = {now_from, f1, f2}, ts[3] = {now_to, t1, t2};
		for (int i = 0; i < 3; i++) {
			tval *v = tv_map(r->a);
			bool open = date_cmp(ts[i], today) >= 0;
			tv_set_str(v, "label", arena_printf(r->a, "%s to %s%s", date_text(r->a, fs[i]),
							    date_text(r->a, ts[i]),
							    open ? " (to date)" : ""));
			tv_set_str(v, "href", view_href(r->a, fs[i], ts[i], NULL));
			tv_set_str(v, "pdf_href", view_href(r->a, fs[i], ts[i], "pdf"));
			tv_push(recent, v);
		}
	}
	if (fe)
		page_form_errors(r, w, fe, no_fields);
	tv_set(w->page, "recent", recent);
	tv_set(w->page, "from_field",
	       period_field(r, "from", "First day of the period", "For example, 1 7 2022",
			    field_error_get(fe, "from"), from ? from : &f1));
	tv_set(w->page, "to_field",
	       period_field(r, "to", "Last day of the period", "For example, 31 12 2022",
			    field_error_get(fe, "to"), to ? to : &t1));
	tv_set_bool(w->page, "facilitator_only", !web_has_role(w, ROLE_PROGRAMME_LEAD | ROLE_BOARD_MEMBER));
	page_render(r, w, status, "report_form", "Progress reports to the Board");
}

void web_reports(req *r, struct web *w)
{
	report_form(r, w, 200, NULL, NULL, NULL);
}

/* Reads the period and builds the report for the visitor. Renders the form with errors
 * (or a failure) and returns false when it cannot. */
static bool build_for_request(req *r, struct web *w, struct report *rep)
{
	struct field_errors fe;
	struct report_options o = {0};
	struct date from = {0, 0, 0}, to = {0, 0, 0}, prepared;
	int fr = period_end(r, "from", &from), tr = period_end(r, "to", &to), rc;
	const char *msg;
	field_errors_init(&fe);
	if (fr != 0)
		field_error_add(&fe, "from", fr > 0 ? "Enter the first day of the period"
						    : "The first day of the period must be a real "
						      "date, like 1 7 2022");
	if (tr != 0)
		field_error_add(&fe, "to", tr > 0 ? "Enter the last day of the period"
						  : "The last day of the period must be a real "
						    "date, like 31 12 2022");
	if (!field_errors_any(&fe) && (msg = report_period_check(from, to)))
		field_error_add(&fe, "to", msg);
	if (field_errors_any(&fe)) {
		report_form(r, w, 400, &fe, fr == 0 ? &from : NULL, tr == 0 ? &to : NULL);
		return false;
	}
	o.from = from;
	o.to = to;
	o.place = w->app && w->app->place ? w->app->place : NULL;
	/* A fixed "prepared on" date gives the very same file twice (tests, archives). */
	if (date_parse(kv_get(&r->query, "prepared"), &prepared) == 0)
		o.prepared_on = prepared;
	else
		o.prepared_on = date_today();
	if ((rc = report_scope(r, w, &o)) == DOMAIN_OK)
		rc = report_build(w->db, r->a, &o, rep);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return false;
	}
	return true;
}

static void send_file(req *r, struct web *w, sbuf *b, const char *type, const struct report *rep,
		      const char *ext)
{
	if (b->err) {
		page_error(r, w, 500);
		return;
	}
	resp_header(r, "Content-Disposition",
		    arena_printf(r->a, "attachment; filename=\"board-report-%s-to-%s.%s\"",
				 iso_text(r->a, rep->from), iso_text(r->a, rep->to), ext));
	resp_header(r, "Cache-Control", "no-store");
	resp_text(r, 200, type, sbuf_sv(b));
}

static void report_view(req *r, struct web *w, sv format);

void web_report_view(req *r, struct web *w)
{
	report_view(r, w, kv_get(&r->query, "format"));
}

void web_report_pdf(req *r, struct web *w)
{
	report_view(r, w, SV("pdf"));
}

void web_report_csv(req *r, struct web *w)
{
	report_view(r, w, SV("csv"));
}

/* The report in FORMAT: "html" (or empty) as a page, "pdf" or "csv" as a download. */
static void report_view(req *r, struct web *w, sv format)
{
	struct report rep;
	sbuf b;
	if (format.ptr && format.len && !sv_eq_cstr(format, "html") && !sv_eq_cstr(format, "pdf") &&
	    !sv_eq_cstr(format, "csv")) {
		page_error(r, w, 400);
		return;
	}
	if (!build_for_request(r, w, &rep))
		return;
	if (sv_eq_cstr(format, "pdf") || sv_eq_cstr(format, "csv")) {
		bool pdf = sv_eq_cstr(format, "pdf");
		sbuf_init(&b, r->a, RESP_BODY_MAX);
		if ((pdf ? report_pdf(r->a, &rep, &b) : report_csv(r->a, &rep, &b)) != 0)
			b.err = b.err ? b.err : SBUF_ERR_TOOBIG;
		send_file(r, w, &b, pdf ? "application/pdf" : "text/csv; charset=utf-8", &rep,
			  pdf ? "pdf" : "csv");
		return;
	}
	{
		tval *contents = tv_list(r->a);
		const char *q = arena_printf(r->a, "from=%s&to=%s", iso_text(r->a, rep.from),
					     iso_text(r->a, rep.to));
		for (size_t i = 0; i < rep.n_sections; i++) {
			tval *v;
			if (rep.sections[i].level > 2)
				continue;
			v = tv_map(r->a);
			tv_set_str(v, "href", arena_printf(r->a, "#%s", rep.sections[i].id));
			tv_set_str(v, "heading", rep.sections[i].heading);
			tv_push(contents, v);
		}
		tv_set(w->page, "contents", contents);
		tv_set(w->page, "report",
		       (tval *)report_html_context(r->a, &rep,
						   arena_printf(r->a, "/reports/chart.svg?%s&n=%%zu", q)));
		tv_set_str(w->page, "report_title", rep.title);
		tv_set_str(w->page, "period", rep.period_text);
		tv_set_str(w->page, "prepared", rep.prepared_text);
		tv_set_str(w->page, "figures_to", rep.figures_to_text);
		tv_set_str(w->page, "pdf_href", view_href(r->a, rep.from, rep.to, "pdf"));
		tv_set_str(w->page, "csv_href", view_href(r->a, rep.from, rep.to, "csv"));
		tv_set_bool(w->page, "facilitator_only",
			    !web_has_role(w, ROLE_PROGRAMME_LEAD | ROLE_BOARD_MEMBER));
		page_render(r, w, 200, "report", arena_printf(r->a, "Progress report: %s", rep.period_text));
	}
}

void web_report_chart(req *r, struct web *w)
{
	struct report rep;
	int64_t n;
	sbuf b;
	if (sv_to_i64(kv_get(&r->query, "n"), &n) != 0 || n < 0) {
		page_error(r, w, 404);
		return;
	}
	if (!build_for_request(r, w, &rep))
		return;
	sbuf_init(&b, r->a, RESP_BODY_MAX);
	if (report_chart_svg(&rep, (size_t)n, &b) != 0 || b.err) {
		page_error(r, w, 404);
		return;
	}
	resp_text(r, 200, CHART_SVG_TYPE, sbuf_sv(&b));
}

/* --- Pieces of other pages ------------------------------------------------------------- */

void priority_case_studies(req *r, struct web *w, int64_t priority_area_id)
{
	struct case_study_filter f = {.published_only = true, .area_id = priority_area_id};
	struct case_study *list;
	size_t n;
	tval *m = tv_map(r->a), *l = tv_list(r->a);
	if (case_study_list(w->db, r->a, &f, &list, &n) != DOMAIN_OK)
		n = 0;
	for (size_t i = 0; i < n; i++) {
		tval *v = tv_map(r->a);
		tv_set_str(v, "title", list[i].title);
		tv_set_str(v, "href", arena_printf(r->a, "/case-studies/%" PRId64, list[i].id));
		tv_set_str(v, "programme", list[i].programme_name);
		tv_push(l, v);
	}
	tv_set_int(m, "count", (int64_t)n);
	tv_set_bool(m, "one", n == 1);
	tv_set(m, "list", l);
	tv_set_bool(m, "has_any", n > 0);
	tv_set(w->page, "case_studies", m);
}

void home_reports(req *r, struct web *w)
{
	tval *m = tv_map(r->a), *drafts = tv_list(r->a);
	struct date from, to;
	bool may_report = web_has_role(w, REPORT_ROLES);
	bool may_write_any = web_has_role(w, ROLE_FACILITATOR | ROLE_PROGRAMME_LEAD);
	report_last_half_year(date_today(), &from, &to);
	if (may_write_any) {
		struct case_study *all;
		size_t n;
		if (case_study_list(w->db, r->a, NULL, &all, &n) == DOMAIN_OK)
			for (size_t i = 0; i < n; i++)
				if (!all[i].published && may_write(w, all[i].programme_id)) {
					tval *v = tv_map(r->a);
					tv_set_str(v, "title", all[i].title);
					tv_set_str(v, "href", arena_printf(r->a, "/case-studies/%" PRId64,
									   all[i].id));
					tv_push(drafts, v);
				}
	}
	tv_set_bool(m, "may_report", may_report);
	tv_set_str(m, "report_href", view_href(r->a, from, to, NULL));
	tv_set_str(m, "period", arena_printf(r->a, "%s to %s", date_text(r->a, from),
					     date_text(r->a, to)));
	tv_set_bool(m, "may_write", may_write_any);
	tv_set(m, "drafts", drafts);
	tv_set_bool(m, "has_drafts", tv_len(drafts) > 0);
	tv_set(w->page, "reports_home", m);
}
