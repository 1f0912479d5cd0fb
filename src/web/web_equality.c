/* web_equality.c: the equality questions ("About you") for someone who has just
 * volunteered, for a signed-in person and for a facilitator acting for someone; a
 * programme's lawful basis and lived-experience questions; the population imports; and a
 * programme lead's consented, audited view of one person's answers. */
#include <inttypes.h>
#include <string.h>

#include "core/date.h"
#include "core/disclosure.h"
#include "domain/equality.h"
#include "domain/population.h"
#include "domain/programmes.h"
#include "domain/sessions.h"
#include "http/form.h"
#include "web/web_equality.h"

/* How long the link shown after volunteering accepts answers: after that, someone who
 * merely knows the link could be anyone, so they sign in or ask their facilitator. */
#define INTEREST_ANSWER_SECONDS (24 * 60 * 60)
#define FLAGS_TEXT_MAX 2000 /* bytes in the lived-experience questions box */

/* --- Helpers --------------------------------------------------------------------------- */

/* The programme named by :slug, if the signed-in person may see its equality pages (404
 * otherwise). Only programme leads reach the routes that use this. */
static int programme_from_path(req *r, struct web *w, struct programme *p)
{
	char *slug = sv_dup(r->a, web_param(w, "slug"));
	bool may = false;
	int rc;
	if (!slug)
		return DB_ERR;
	rc = programme_get_by_slug(w->db, r->a, slug, p);
	if (rc == DOMAIN_OK)
		rc = equality_may_see_figures(w->db, w->sess->account_id, w->sess->role, p->id, &may);
	if (rc != DOMAIN_OK)
		return rc;
	return may ? DOMAIN_OK : DOMAIN_ENOTFOUND;
}

static const char *date_text(req *r, const char *iso)
{
	struct date d;
	sbuf b;
	if (!iso || strlen(iso) < 10 || date_parse((sv){iso, 10}, &d) != 0)
		return "";
	sbuf_init(&b, r->a, 64);
	date_human(&b, d);
	return b.err ? "" : b.buf;
}

static const char *form_str(req *r, const char *name)
{
	sv v = sv_trim(kv_get(&r->form, name));
	return v.ptr ? sv_dup(r->a, v) : "";
}

/* --- The questions ------------------------------------------------------------------- */

static tval *radio_item(req *r, const char *name, size_t i, const char *value,
			const char *label, const char *chosen)
{
	tval *it = tv_map(r->a);
	tv_set_str(it, "id", i == 0 ? name : arena_printf(r->a, "%s-%zu", name, i + 1));
	tv_set_str(it, "name", name);
	tv_set_str(it, "value", value);
	tv_set_str(it, "label", label);
	tv_set_bool(it, "checked", chosen && strcmp(chosen, value) == 0);
	return it;
}

/* One question as radios (with "Prefer not to say" after a divider). CHOSEN is the
 * value to show selected, or NULL. */
static tval *question(req *r, const char *name, const char *legend, const char *hint,
		      const struct equality_value *values, size_t n, const char *chosen,
		      const struct field_errors *fe)
{
	tval *q = tv_map(r->a), *items = tv_list(r->a);
	size_t i;
	tv_set_str(q, "name", name);
	tv_set_str(q, "legend", legend);
	if (hint)
		tv_set_str(q, "hint", hint);
	if (field_error_get(fe, name))
		tv_set_str(q, "err", field_error_get(fe, name));
	/* The fieldset is described by its hint and its error, when it has them. */
	if (hint || field_error_get(fe, name))
		tv_set_str(q, "describedby",
			   arena_printf(r->a, "%s%s%s", hint ? arena_printf(r->a, "%s-hint", name) : "",
					hint && field_error_get(fe, name) ? " " : "",
					field_error_get(fe, name) ? arena_printf(r->a, "%s-error", name)
								  : ""));
	for (i = 0; i < n; i++)
		tv_push(items, radio_item(r, name, i, values[i].slug, values[i].label, chosen));
	tv_set(q, "items", items);
	tv_set(q, "prefer_not", radio_item(r, name, i, EQUALITY_PREFER_NOT, "Prefer not to say",
					   chosen));
	return q;
}

/* Ethnicity: the 19 Census categories under their 5 group headings. */
static tval *ethnicity_question(req *r, const struct equality_category *c, const char *chosen,
				const struct field_errors *fe)
{
	const struct equality_category *groups = equality_category_find("ethnic_group");
	tval *q = question(r, c->slug, c->question, "Choose the one that best describes you",
			   NULL, 0, chosen, fe);
	tval *glist = tv_list(r->a);
	size_t idx = 0;
	for (size_t g = 0; g < groups->n_values; g++) {
		tval *gv = tv_map(r->a), *items = tv_list(r->a);
		tv_set_str(gv, "legend", groups->values[g].label);
		for (size_t i = 0; i < c->n_values; i++)
			if (strcmp(c->values[i].group, groups->values[g].slug) == 0)
				tv_push(items, radio_item(r, c->slug, idx++, c->values[i].slug,
							  c->values[i].label, chosen));
		tv_set(gv, "items", items);
		tv_push(glist, gv);
	}
	tv_set(q, "groups", glist);
	tv_set(q, "prefer_not",
	       radio_item(r, c->slug, idx, EQUALITY_PREFER_NOT, "Prefer not to say", chosen));
	return q;
}

static const struct equality_value condition_values[] = {
    {"yes", "Yes", NULL},
    {"no", "No", NULL},
};
static const struct equality_value limited_values[] = {
    {"a_lot", "Yes, a lot", NULL},
    {"a_little", "Yes, a little", NULL},
    {"not_at_all", "Not at all", NULL},
};

/* The two steps of the disability question from a saved value. */
static void disability_steps(const char *value, const char **condition, const char **limited)
{
	*condition = *limited = NULL;
	if (!value)
		return;
	if (strcmp(value, EQUALITY_PREFER_NOT) == 0)
		*condition = EQUALITY_PREFER_NOT;
	else if (strcmp(value, "not_disabled") == 0)
		*condition = "no";
	else {
		*condition = "yes";
		*limited = strcmp(value, "disabled_a_lot") == 0      ? "a_lot"
		           : strcmp(value, "disabled_a_little") == 0 ? "a_little"
		                                                     : "not_at_all";
	}
}

/* The value to show selected for CATEGORY: what was just typed (after an error), or the
 * saved answer (the person's own page only), or nothing. */
static const char *chosen_value(req *r, const char *category, const struct equality_own *own,
				bool from_form)
{
	if (from_form) {
		sv v = kv_get(&r->form, category);
		return v.ptr ? sv_dup(r->a, v) : NULL;
	}
	for (size_t i = 0; own && i < own->n; i++)
		if (strcmp(own->answers[i].category, category) == 0)
			return own->answers[i].value;
	return NULL;
}

/* Whether the programme's postcode table knows the postcode the person gave when they
 * volunteered, so that the deprivation of their area can be worked out rather than
 * asked. */
static bool decile_derivable(struct web *w, const struct equality_subject *s)
{
	int decile = 0;
	if (!s->postcode || !*s->postcode)
		return false;
	if (equality_postcode_decile(w->db, s->programme_id, s->postcode, &decile) != DOMAIN_OK)
		return false;
	return decile >= 1 && decile <= 10;
}

#define FROM_POSTCODE "postcode" /* the form's answer "work it out from my postcode" */

enum about_mode { ABOUT_INTEREST, ABOUT_ACCOUNT, ABOUT_ACTING };

struct about_ctx {
	enum about_mode mode;
	const struct equality_subject *subject;
	const struct equality_own *own; /* shown only in ABOUT_ACCOUNT; else NULL */
	const struct field_errors *fe;
	bool from_form; /* re-showing what was typed after an error */
};

/* The deprivation question in plain words. Few people know their area's Index of
 * Multiple Deprivation decile, so when their postcode is in the programme's table we
 * offer to work it out from that; otherwise we ask, saying what the numbers mean and
 * that it can be left blank. The postcode itself is never shown: the link after
 * volunteering may be opened by someone else. */
static tval *deprivation_question(req *r, struct web *w, const struct about_ctx *x,
				  const struct equality_category *c, const char *chosen)
{
	static const struct equality_value from_postcode[] = {
	    {FROM_POSTCODE, "Yes, work it out from my postcode", NULL},
	};
	if (decile_derivable(w, x->subject)) {
		/* A decile saved before was worked out from the postcode (or matches it). */
		if (chosen && strcmp(chosen, EQUALITY_PREFER_NOT) != 0 &&
		    strcmp(chosen, FROM_POSTCODE) != 0)
			chosen = FROM_POSTCODE;
		return question(r, c->slug, "Can we use your postcode to see how deprived your area is?",
				"We can work this out from the postcode you gave us. Official "
				"figures rank every area of England from the most deprived to the "
				"least deprived. We only use this to check that we reach people "
				"from every kind of area.",
				from_postcode, 1, chosen, x->fe);
	}
	return question(r, c->slug, c->question,
			"Official figures rank every area of England from 1 (the most deprived "
			"tenth of areas) to 10 (the least deprived tenth). If you do not know your "
			"area's number, leave this question blank.",
			c->values, c->n_values, chosen, x->fe);
}

static int about_you_render(req *r, struct web *w, const struct about_ctx *x, int status)
{
	struct equality_settings set;
	const struct equality_category *cats;
	size_t ncats;
	tval *qs = tv_list(r->a);
	const char *cond = NULL, *lim = NULL;
	int rc = equality_settings_get(w->db, r->a, x->subject->programme_id, &set);
	if (rc == DOMAIN_OK)
		rc = equality_programme_categories(w->db, r->a, x->subject->programme_id, &cats,
						   &ncats);
	if (rc != DOMAIN_OK)
		return rc;
	for (size_t k = 0; k < ncats; k++) {
		const struct equality_category *c = &cats[k];
		const char *chosen = chosen_value(r, c->slug, x->own, x->from_form);
		tval *q;
		if (c->derived)
			continue;
		if (strcmp(c->slug, "ethnicity") == 0) {
			q = ethnicity_question(r, c, chosen, x->fe);
		} else if (strcmp(c->slug, "disability") == 0) {
			if (x->from_form) {
				cond = chosen_value(r, "disability_condition", NULL, true);
				lim = chosen_value(r, "disability_limited", NULL, true);
			} else {
				disability_steps(chosen, &cond, &lim);
			}
			tv_push(qs, question(r, "disability_condition", c->question, NULL,
					     condition_values, 2, cond, x->fe));
			q = question(r, "disability_limited",
				     "Do any of your conditions or illnesses reduce your ability to "
				     "carry out day-to-day activities?",
				     "Only answer this if you said yes to the question before. If you "
				     "said no, leave it blank.",
				     limited_values,
				     3, lim, x->fe);
		} else if (strcmp(c->slug, "deprivation_decile") == 0) {
			q = deprivation_question(r, w, x, c, chosen);
			if (!q)
				return DB_ERR;
		} else {
			q = question(r, c->slug, c->question, NULL, c->values, c->n_values, chosen,
				     x->fe);
		}
		tv_push(qs, q);
	}
	tv_set(w->page, "questions", qs);
	tv_set_str(w->page, "programme_name", x->subject->programme_name);
	tv_set_str(w->page, "basis_wording", set.basis_wording);
	tv_set_bool(w->page, "explicit_consent", strcmp(set.lawful_basis, "explicit-consent") == 0);
	tv_set_bool(w->page, "consent_checked",
		    x->from_form ? kv_get(&r->form, "consent").ptr != NULL
				 : (x->own && x->own->consented && x->own->n > 0));
	tv_set_bool(w->page, "lead_view_checked",
		    x->from_form ? kv_get(&r->form, "lead_view").ptr != NULL
				 : (x->own && x->own->lead_view));
	if (field_error_get(x->fe, "consent"))
		tv_set_str(w->page, "consent_error", field_error_get(x->fe, "consent"));
	if (x->fe && x->fe->n)
		page_form_errors(r, w, x->fe, (const char *const[]){NULL});
	tv_set_bool(w->page, "acting", x->mode == ABOUT_ACTING);
	tv_set_bool(w->page, "interest", x->mode == ABOUT_INTEREST);
	tv_set_int(w->page, "threshold", disclosure_threshold());
	tv_set_bool(w->page, "own", x->mode == ABOUT_ACCOUNT);
	tv_set_bool(w->page, "has_answers", x->own && x->own->n > 0);
	if (x->own && x->own->answered_at)
		tv_set_str(w->page, "answered_on", date_text(r, x->own->answered_at));
	if (x->mode == ABOUT_INTEREST) {
		tv_set_str(w->page, "action",
			   arena_printf(r->a, "/interest/%s/about-you", x->subject->monitoring_ref));
	} else {
		tv_set_str(w->page, "action", "/account/about-you");
		tv_set_str(w->page, "programme_slug", x->subject->programme_slug);
	}
	page_render(r, w, status, "about_you", "About you");
	return DOMAIN_OK;
}

/* Reads the answers from the form and saves them; DOMAIN_EINVALID with FE filled. FIRST:
 * the link after volunteering, which saves only if nothing was saved before
 * (DOMAIN_ECONFLICT otherwise). */
static int about_you_save(req *r, struct web *w, const struct equality_subject *s, bool first,
			  struct field_errors *fe)
{
	struct equality_settings set;
	const struct equality_category *cats;
	size_t ncats, n = 0;
	struct equality_answer *ans;
	struct audit_actor who = web_actor(r, w);
	bool any = false, use_postcode = false;
	const char *postcode;
	int rc = equality_settings_get(w->db, r->a, s->programme_id, &set);
	if (rc == DOMAIN_OK)
		rc = equality_programme_categories(w->db, r->a, s->programme_id, &cats, &ncats);
	if (rc != DOMAIN_OK)
		return rc;
	ans = arena_calloc(r->a, ncats, sizeof(*ans));
	if (!ans)
		return DB_ERR;
	for (size_t k = 0; k < ncats; k++) {
		const char *v;
		if (cats[k].derived)
			continue;
		if (strcmp(cats[k].slug, "disability") == 0) {
			const char *cond = form_str(r, "disability_condition");
			v = equality_disability_from(cond, form_str(r, "disability_limited"));
			if (v && !*v) {
				const char *lim = form_str(r, "disability_limited");
				if (strcmp(cond, "no") == 0)
					field_error_add(fe, "disability_limited",
							"You said you do not have a long-term "
							"condition, so leave this question blank, or "
							"change your answer to the question before");
				else if (strcmp(cond, "yes") == 0 && !*lim)
					field_error_add(fe, "disability_limited",
							"Select whether your conditions reduce your "
							"ability to carry out day-to-day activities, or "
							"Prefer not to say");
				else
					field_error_add(fe, "disability_condition",
							"Select one of the answers given, or leave it "
							"blank");
				continue;
			}
		} else if (strcmp(cats[k].slug, "deprivation_decile") == 0 &&
			   strcmp(form_str(r, cats[k].slug), FROM_POSTCODE) == 0) {
			/* Worked out from the postcode by the save, with the person's say-so. */
			use_postcode = true;
			continue;
		} else {
			v = form_str(r, cats[k].slug);
		}
		if (v && *v) {
			any = true;
			ans[n].category = cats[k].slug;
			ans[n].value = v;
			n++;
		}
	}
	if (use_postcode)
		any = true;
	/* The decile comes from the postcode only when the person chose that. */
	postcode = use_postcode ? s->postcode : NULL;
	if (any && strcmp(set.lawful_basis, "explicit-consent") == 0 &&
	    !kv_get(&r->form, "consent").ptr)
		field_error_add(fe, "consent", "Tick the box to agree to us using your answers, or "
		                               "leave every question blank");
	if (field_errors_any(fe))
		return DOMAIN_EINVALID;
	if (first)
		return equality_answers_save_first(w->db, r->a, &who, s->programme_id,
						   s->monitoring_ref, ans, n, postcode,
						   kv_get(&r->form, "lead_view").ptr != NULL, fe);
	return equality_answers_save(w->db, r->a, &who, s->programme_id, s->monitoring_ref, ans, n,
				     postcode, kv_get(&r->form, "lead_view").ptr != NULL, fe);
}

/* --- Straight after volunteering: /interest/:ref/about-you ----------------------------- */

enum link_state { LINK_OPEN, LINK_EXPIRED, LINK_ANSWERED };

/* The volunteer behind the link, and whether the link still takes answers: only within
 * INTEREST_ANSWER_SECONDS of volunteering, and only until answers are saved once. After
 * that, whoever opens the link (on a shared computer, from its history) must not be able
 * to overwrite or wipe what was saved, nor see it. */
static int interest_subject(req *r, struct web *w, struct equality_subject *s,
			    enum link_state *state)
{
	char *ref = sv_dup(r->a, web_param(w, "ref"));
	char since[ISO_TIME_LEN];
	bool answered = false;
	int rc;
	*state = LINK_EXPIRED;
	if (!ref)
		return DB_ERR;
	rc = equality_subject_by_ref(w->db, r->a, ref, s);
	if (rc == DOMAIN_OK)
		rc = equality_has_answered(w->db, s->monitoring_ref, &answered);
	if (rc != DOMAIN_OK)
		return rc;
	db_now_iso(since, -INTEREST_ANSWER_SECONDS);
	if (answered)
		*state = LINK_ANSWERED;
	else if (s->created_at && strcmp(s->created_at, since) >= 0)
		*state = LINK_OPEN;
	return DOMAIN_OK;
}

static void interest_closed(req *r, struct web *w, const struct equality_subject *s,
			    enum link_state state, int status)
{
	tv_set_str(w->page, "programme_name", s->programme_name);
	tv_set_bool(w->page, "answered", state == LINK_ANSWERED);
	page_render(r, w, status, "about_you_closed",
		    state == LINK_ANSWERED ? "Your answers are saved" : "This link has expired");
}

void web_about_you_interest_form(req *r, struct web *w)
{
	struct equality_subject s;
	struct about_ctx x = {ABOUT_INTEREST, &s, NULL, NULL, false};
	enum link_state state;
	int rc = interest_subject(r, w, &s, &state);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	if (state == LINK_ANSWERED && sv_eq_cstr(kv_get(&r->query, "done"), "saved")) {
		tv_set_str(w->page, "programme_name", s.programme_name);
		tv_set_int(w->page, "threshold", disclosure_threshold());
		page_render(r, w, 200, "about_you_thanks", "Thank you");
		return;
	}
	if (state != LINK_OPEN) {
		interest_closed(r, w, &s, state, 200);
		return;
	}
	rc = about_you_render(r, w, &x, 200);
	if (rc != DOMAIN_OK)
		page_fail(r, w, rc);
}

void web_about_you_interest_save(req *r, struct web *w)
{
	struct equality_subject s;
	struct field_errors fe;
	struct about_ctx x = {ABOUT_INTEREST, &s, NULL, &fe, true};
	enum link_state state;
	int rc = interest_subject(r, w, &s, &state);
	field_errors_init(&fe);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	if (state != LINK_OPEN) {
		interest_closed(r, w, &s, state, state == LINK_ANSWERED ? 409 : 403);
		return;
	}
	rc = about_you_save(r, w, &s, true, &fe);
	if (rc == DOMAIN_ECONFLICT) {
		/* Saved by another request since this one looked: nothing was replaced. */
		interest_closed(r, w, &s, LINK_ANSWERED, 409);
		return;
	}
	if (rc == DOMAIN_EINVALID)
		rc = about_you_render(r, w, &x, 400);
	else if (rc == DOMAIN_OK)
		resp_redirect(r, arena_printf(r->a, "/interest/%s/about-you?done=saved",
					      s.monitoring_ref));
	if (rc != DOMAIN_OK)
		page_fail(r, w, rc);
}

/* --- Signed in: /account/about-you ----------------------------------------------------- */

/* The volunteer record the page is about: the signed-in person's own, or, while a
 * facilitator acts for someone, that person's. ?programme= (or the form's programme)
 * picks one when there are several, and *OTHERS lists them all for the page (with
 * "several" set in the page). DOMAIN_ENOTFOUND when there is none. */
static int account_subject(req *r, struct web *w, struct equality_subject *out, tval **others)
{
	struct equality_subject *list;
	size_t n;
	int64_t who = w->sess->acting_for ? w->sess->acting_for : w->sess->account_id;
	sv want = kv_get(r->method == HTTP_POST ? &r->form : &r->query, "programme");
	size_t pick = 0;
	int rc = equality_subjects_of_account(w->db, r->a, who, &list, &n);
	if (rc != DOMAIN_OK)
		return rc;
	if (n == 0)
		return DOMAIN_ENOTFOUND;
	for (size_t i = 0; want.ptr && i < n; i++)
		if (sv_eq_cstr(want, list[i].programme_slug))
			pick = i;
	*out = list[pick];
	*others = tv_list(r->a);
	for (size_t i = 0; n > 1 && i < n; i++) {
		tval *o = tv_map(r->a);
		tv_set_str(o, "name", list[i].programme_name);
		tv_set_str(o, "href",
			   arena_printf(r->a, "/account/about-you?programme=%s", list[i].programme_slug));
		tv_set_bool(o, "current", i == pick);
		tv_push(*others, o);
	}
	tv_set_bool(w->page, "several", n > 1);
	return DOMAIN_OK;
}

static void account_page(req *r, struct web *w, struct field_errors *fe, int status)
{
	struct equality_subject s;
	struct equality_own own;
	tval *others = NULL;
	bool acting = w->sess->acting_for != 0;
	struct about_ctx x = {acting ? ABOUT_ACTING : ABOUT_ACCOUNT, &s, NULL, fe,
			      fe && fe->n > 0};
	sv done = kv_get(&r->query, "done");
	int rc = account_subject(r, w, &s, &others);
	if (rc == DOMAIN_ENOTFOUND) {
		tv_set_bool(w->page, "acting", acting);
		page_render(r, w, 200, "about_you_none", "About you");
		return;
	}
	if (rc == DOMAIN_OK && !acting) {
		/* Only the person themselves ever sees their answers again; a facilitator
		 * acting for them records new ones without seeing the old. */
		rc = equality_answers_own(w->db, r->a, s.monitoring_ref, &own);
		x.own = &own;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	tv_set(w->page, "others", others);
	if (sv_eq_cstr(done, "saved"))
		page_notice(w, acting ? "Their answers are saved" : "Your answers are saved");
	else if (sv_eq_cstr(done, "withdrawn"))
		page_notice(w, acting ? "Their answers are deleted" : "Your answers are deleted");
	rc = about_you_render(r, w, &x, status);
	if (rc != DOMAIN_OK)
		page_fail(r, w, rc);
}

void web_about_you_form(req *r, struct web *w)
{
	account_page(r, w, NULL, 200);
}

void web_about_you_save(req *r, struct web *w)
{
	struct equality_subject s;
	struct field_errors fe;
	tval *others;
	int rc = account_subject(r, w, &s, &others);
	field_errors_init(&fe);
	if (rc == DOMAIN_OK)
		rc = about_you_save(r, w, &s, false, &fe);
	if (rc == DOMAIN_EINVALID) {
		account_page(r, w, &fe, 400);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/account/about-you?programme=%s&done=saved",
				      s.programme_slug));
}

void web_about_you_withdraw(req *r, struct web *w)
{
	struct equality_subject s;
	tval *others;
	struct audit_actor who = web_actor(r, w);
	int rc = account_subject(r, w, &s, &others);
	if (rc == DOMAIN_OK)
		rc = equality_withdraw(w->db, r->a, &who, s.monitoring_ref);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/account/about-you?programme=%s&done=withdrawn",
				      s.programme_slug));
}

/* --- A programme's settings: /programmes/:slug/equality-monitoring ---------------------- */

static void settings_page(req *r, struct web *w, const struct programme *p,
			  const struct field_errors *fe, int status)
{
	struct equality_settings set;
	struct population_summary sum;
	sbuf flags;
	tval *bases = tv_list(r->a);
	static const char *const basis_values[] = {"explicit-consent", "dpa-sch1-para8"};
	static const char *const basis_labels[] = {
	    "Explicit consent: each person agrees to us using their answers",
	    "Equality of opportunity or treatment (Data Protection Act 2018, Schedule 1, "
	    "paragraph 8): used only to check fairness between groups"};
	const char *basis;
	struct equality_subject *people;
	size_t npeople = 0;
	tval *plist = tv_list(r->a);
	int rc = equality_settings_get(w->db, r->a, p->id, &set);
	if (rc == DOMAIN_OK)
		rc = population_summary(w->db, p->id, &sum);
	if (rc == DOMAIN_OK)
		rc = equality_lead_view_people(w->db, r->a, p->id, &people, &npeople);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	basis = fe ? form_str(r, "lawful_basis") : set.lawful_basis;
	for (size_t i = 0; i < 2; i++)
		tv_push(bases, radio_item(r, "lawful_basis", i, basis_values[i], basis_labels[i], basis));
	sbuf_init(&flags, r->a, FLAGS_TEXT_MAX + 64);
	for (size_t i = 0; i < set.n_flags; i++) {
		sbuf_adds(&flags, set.flags[i].label);
		sbuf_addc(&flags, '\n');
	}
	for (size_t i = 0; i < npeople; i++) {
		tval *pv = tv_map(r->a);
		tv_set_str(pv, "name", people[i].name);
		tv_set_str(pv, "href", arena_printf(r->a, "/programmes/%s/equality/people/%" PRId64,
						     p->slug, people[i].volunteer_id));
		tv_push(plist, pv);
	}
	tv_set(w->page, "people", plist);
	tv_set_bool(w->page, "has_people", npeople > 0);
	tv_set(w->page, "bases", bases);
	tv_set_str(w->page, "basis_wording", fe ? form_str(r, "basis_wording") : set.basis_wording);
	tv_set_str(w->page, "flags", fe ? form_str(r, "flags") : flags.buf);
	tv_set_str(w->page, "programme_name", p->name);
	tv_set_str(w->page, "slug", p->slug);
	tv_set_int(w->page, "figures", sum.figures);
	tv_set_int(w->page, "postcodes", sum.postcodes);
	if (fe && fe->n)
		page_form_errors(r, w, fe, (const char *const[]){NULL});
	if (sv_eq_cstr(kv_get(&r->query, "done"), "saved"))
		page_notice(w, "Equality monitoring settings saved");
	page_render(r, w, status, "equality_settings", "Equality monitoring");
}

void web_equality_settings_form(req *r, struct web *w)
{
	struct programme p;
	int rc = programme_from_path(r, w, &p);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	settings_page(r, w, &p, NULL, 200);
}

void web_equality_settings_save(req *r, struct web *w)
{
	struct programme p;
	struct field_errors fe;
	struct equality_flag flags[EQUALITY_FLAGS_MAX + 1];
	size_t nf = 0;
	struct audit_actor who = web_actor(r, w);
	sv text = kv_get(&r->form, "flags"), line;
	int rc = programme_from_path(r, w, &p);
	field_errors_init(&fe);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	if (text.len > FLAGS_TEXT_MAX)
		field_error_add(&fe, "flags", "The questions must be 2,000 characters or fewer");
	while (text.len && !field_errors_any(&fe)) {
		line = sv_trim(sv_cut(text, '\n', &text));
		if (line.len && line.ptr[line.len - 1] == '\r')
			line.len--;
		line = sv_trim(line);
		if (!line.len)
			continue;
		if (nf > EQUALITY_FLAGS_MAX) {
			field_error_add(&fe, "flags", "Ask at most 8 lived-experience questions");
			break;
		}
		flags[nf].flag = NULL;
		flags[nf].label = sv_dup(r->a, line);
		nf++;
	}
	if (!field_errors_any(&fe))
		rc = equality_settings_set(w->db, r->a, &who, p.id, form_str(r, "lawful_basis"),
					   form_str(r, "basis_wording"), flags, nf, &fe);
	else
		rc = DOMAIN_EINVALID;
	if (rc == DOMAIN_EINVALID) {
		settings_page(r, w, &p, &fe, 400);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/programmes/%s/equality-monitoring?done=saved", p.slug));
}

/* --- Population imports: /programmes/:slug/population ---------------------------------- */

static void population_page(req *r, struct web *w, const struct programme *p,
			    const struct import_result *res, const char *which, int status)
{
	struct population_summary sum;
	sv done = kv_get(&r->query, "done");
	int rc = population_summary(w->db, p->id, &sum);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	tv_set_str(w->page, "programme_name", p->name);
	tv_set_str(w->page, "slug", p->slug);
	tv_set_int(w->page, "figures", sum.figures);
	tv_set_int(w->page, "postcodes", sum.postcodes);
	tv_set_bool(w->page, "illustrative", sum.illustrative);
	if (res && res->n_errors) {
		tval *list = tv_list(r->a), *errs = tv_list(r->a);
		for (size_t i = 0; i < res->n_errors; i++) {
			tval *e = tv_map(r->a);
			tv_set_str(e, "text", res->errors[i].message);
			tv_push(list, e);
		}
		{
			tval *e = tv_map(r->a);
			tv_set_str(e, "href", arena_printf(r->a, "#%s-file", which));
			tv_set_str(e, "text", "The file has problems: nothing was imported. Correct "
			                      "the lines listed and import it again.");
			tv_push(errs, e);
		}
		tv_set(w->page, "errors", errs);
		tv_set_bool(w->page, "has_errors", true);
		tv_set(w->page, strcmp(which, "figures") == 0 ? "figures_errors" : "postcodes_errors",
		       list);
		tv_set_bool(w->page,
			    strcmp(which, "figures") == 0 ? "figures_failed" : "postcodes_failed",
			    true);
	}
	if (sv_eq_cstr(done, "figures"))
		page_notice(w, "Population figures imported");
	else if (sv_eq_cstr(done, "postcodes"))
		page_notice(w, "Postcode table imported");
	page_render(r, w, status, "population", "Local population");
}

void web_population_form(req *r, struct web *w)
{
	struct programme p;
	int rc = programme_from_path(r, w, &p);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	population_page(r, w, &p, NULL, "", 200);
}

static sv uploaded(req *r, const char *field)
{
	for (struct upload *u = r->uploads; u; u = u->next)
		if (sv_eq_cstr(u->field, field))
			return u->data;
	return SV_NULL;
}

static void population_import_post(req *r, struct web *w, bool postcodes)
{
	struct programme p;
	struct import_result res;
	struct audit_actor who = web_actor(r, w);
	sv csv = uploaded(r, "file");
	int rc = programme_from_path(r, w, &p);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	memset(&res, 0, sizeof(res));
	if (!csv.ptr || csv.len == 0) {
		res.errors = arena_calloc(r->a, 1, sizeof(*res.errors));
		if (!res.errors) {
			page_error(r, w, 500);
			return;
		}
		res.errors[0].message = "Choose a CSV file to import";
		res.n_errors = 1;
		rc = DOMAIN_EINVALID;
	} else if (postcodes) {
		rc = postcode_import(w->db, r->a, &who, p.id, csv, &res);
	} else {
		rc = population_import(w->db, r->a, &who, p.id, csv,
				       kv_get(&r->form, "illustrative").ptr != NULL, &res);
	}
	if (rc == DOMAIN_EINVALID) {
		population_page(r, w, &p, &res, postcodes ? "postcodes" : "figures", 400);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/programmes/%s/population?done=%s", p.slug,
				      postcodes ? "postcodes" : "figures"));
}

void web_population_figures_import(req *r, struct web *w)
{
	population_import_post(r, w, false);
}

void web_population_postcodes_import(req *r, struct web *w)
{
	population_import_post(r, w, true);
}

/* --- A lead's view of one person's answers --------------------------------------------- */

static int person_from_path(req *r, struct web *w, struct programme *p,
			    struct equality_subject *s)
{
	int64_t id;
	int rc = programme_from_path(r, w, p);
	if (rc != DOMAIN_OK)
		return rc;
	if (sv_to_i64(web_param(w, "id"), &id) != 0)
		return DOMAIN_ENOTFOUND;
	return equality_subject_by_id(w->db, r->a, p->id, id, s);
}

static void person_page(req *r, struct web *w, const struct programme *p,
			const struct equality_subject *s, const struct equality_own *shown,
			bool consent, int status)
{
	tval *rows = tv_list(r->a);
	const struct equality_category *cats;
	size_t ncats;
	int rc = equality_programme_categories(w->db, r->a, p->id, &cats, &ncats);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t k = 0; shown && k < ncats; k++) {
		const char *v = NULL;
		tval *row;
		if (cats[k].derived)
			continue;
		for (size_t i = 0; i < shown->n; i++)
			if (strcmp(shown->answers[i].category, cats[k].slug) == 0)
				v = shown->answers[i].value;
		row = tv_map(r->a);
		tv_set_str(row, "question", cats[k].label);
		tv_set_str(row, "answer", v ? equality_value_label(&cats[k], v) : "Not answered");
		tv_push(rows, row);
	}
	tv_set_str(w->page, "programme_name", p->name);
	tv_set_str(w->page, "slug", p->slug);
	tv_set_str(w->page, "name", s->name);
	tv_set_str(w->page, "action", arena_printf(r->a, "/programmes/%s/equality/people/%" PRId64,
						   p->slug, s->volunteer_id));
	tv_set_bool(w->page, "consent", consent);
	tv_set_bool(w->page, "shown", shown != NULL);
	tv_set(w->page, "answers", rows);
	page_render(r, w, status, "equality_person", "Equality answers");
}

void web_equality_person(req *r, struct web *w)
{
	struct programme p;
	struct equality_subject s;
	bool consent = false;
	int rc = person_from_path(r, w, &p, &s);
	if (rc == DOMAIN_OK)
		rc = equality_lead_view_consented(w->db, s.monitoring_ref, &consent);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	person_page(r, w, &p, &s, NULL, consent, 200);
}

void web_equality_person_view(req *r, struct web *w)
{
	struct programme p;
	struct equality_subject s;
	struct equality_own own;
	struct audit_actor who = web_actor(r, w);
	int rc = person_from_path(r, w, &p, &s);
	if (rc == DOMAIN_OK)
		rc = equality_answers_view(w->db, r->a, &who, s.monitoring_ref, &own);
	if (rc == DOMAIN_EFORBIDDEN) {
		person_page(r, w, &p, &s, NULL, false, 403);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	person_page(r, w, &p, &s, &own, true, 200);
}

/* --- Home ------------------------------------------------------------------------------ */

void home_equality(req *r, struct web *w)
{
	struct equality_subject *list;
	struct equality_programme_ref *progs;
	size_t n = 0, np = 0;
	tval *eq = tv_map(r->a), *links = tv_list(r->a);
	if (!w->sess)
		return;
	if (w->sess->acting_for) {
		/* A facilitator acting for someone who has volunteered can record their
		 * answers with them (and never sees what was saved). */
		if (equality_subjects_of_account(w->db, r->a, w->sess->acting_for, &list, &n) ==
		        DOMAIN_OK &&
		    n > 0) {
			tv_set_bool(eq, "acting", true);
			tv_set_str(eq, "name", w->sess->acting_for_name);
			tv_set(w->page, "equality", eq);
		}
		return;
	}
	if (equality_subjects_of_account(w->db, r->a, w->sess->account_id, &list, &n) != DOMAIN_OK)
		n = 0;
	if (equality_programmes_visible(w->db, r->a, w->sess->account_id, w->sess->role, &progs,
					&np) != DOMAIN_OK)
		np = 0;
	if (n == 0 && np == 0)
		return;
	if (n > 0)
		tv_set_str(eq, "programme_name", list[0].programme_name);
	tv_set_bool(eq, "volunteered", n > 0);
	for (size_t i = 0; i < np; i++) {
		tval *l = tv_map(r->a);
		tv_set_str(l, "name", progs[i].name);
		tv_set_str(l, "href", arena_printf(r->a, "/programmes/%s/diversity", progs[i].slug));
		tv_push(links, l);
	}
	tv_set(eq, "diversity", links);
	tv_set_bool(eq, "has_diversity", np > 0);
	tv_set(w->page, "equality", eq);
}
