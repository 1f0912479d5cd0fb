/* web_payments.c: the pages that pay participants; see web_payments.h. */
#include "web/web_payments.h"

#include <inttypes.h>
#include <string.h>

#include "core/chart.h"
#include "core/disclosure.h"
#include "core/money.h"
#include "domain/payments.h"
#include "domain/programmes.h"
#include "web/web_board.h"

#define CSV_TYPE               "text/csv; charset=utf-8"
#define XLSX_TYPE              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define EXPORT_MAX             (8u << 20) /* bytes of one batch's export */
#define CHART_MAX              (256u << 10)
#define TAX_YEARS_SHOWN        6 /* on a person's own page and the totals page */
#define ESA_LOWER_LIMIT_PENCE  2000
#define ESA_HIGHER_LIMIT_PENCE 19550 /* from April 2025 */
#define SELF_ASSESSMENT_PENCE  100000

/* --- Small helpers ------------------------------------------------------------------- */

static const char *day_text(arena *a, const char *iso)
{
	struct date dt;
	sv s = sv_from(iso);
	if (s.len < 10)
		return "";
	s.len = 10;
	if (date_parse(s, &dt) != 0)
		return "";
	return board_date_text(a, dt);
}

static const char *hours_text(arena *a, int64_t minutes)
{
	sbuf b;
	sbuf_init(&b, a, 32);
	pay_hours_format(&b, minutes);
	sbuf_adds(&b, minutes == 60 ? " hour" : " hours");
	return b.err ? "" : b.buf;
}

static const char *hours_value(arena *a, int64_t minutes)
{
	sbuf b;
	sbuf_init(&b, a, 32);
	pay_hours_format(&b, minutes);
	return b.err ? "" : b.buf;
}

static const char *rate_text(arena *a, const struct pay_policy *p)
{
	return arena_printf(a, "%s %s", money_text(a, p->rate_pence),
	                    strcmp(p->rate_kind, "hour") == 0 ? "an hour" : "a session");
}

static const char *status_class(const char *status)
{
	if (strcmp(status, "paid") == 0)
		return "govuk-tag--green";
	if (strcmp(status, "approved") == 0 || strcmp(status, "batched") == 0)
		return "govuk-tag--blue";
	if (strcmp(status, "returned") == 0)
		return "govuk-tag--orange";
	if (strcmp(status, "reversed") == 0)
		return "govuk-tag--red";
	return "govuk-tag--grey";
}

/* The programme named by :slug that this person may see the money of, or 404. */
static bool money_programme(req *r, struct web *w, struct programme *p, int *access)
{
	char *slug = sv_dup(r->a, web_param(w, "slug"));
	int rc = slug ? programme_get_by_slug(w->db, r->a, slug, p) : DB_ERR;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return false;
	}
	rc = pay_access(w->db, w->sess->account_id, (unsigned)w->sess->role, p->id);
	if (rc < 0) {
		page_fail(r, w, rc);
		return false;
	}
	if (rc == PAY_ACCESS_NONE) {
		page_error(r, w, 404);
		return false;
	}
	if (access)
		*access = rc;
	return true;
}

static void programme_context(req *r, struct web *w, const struct programme *p)
{
	tval *m = tv_map(r->a);
	tv_set_str(m, "name", p->name);
	tv_set_str(m, "slug", p->slug);
	tv_set_str(m, "href", arena_printf(r->a, "/programmes/%s", p->slug));
	tv_set_str(m, "payments_href", arena_printf(r->a, "/programmes/%s/payments", p->slug));
	tv_set(w->page, "programme", m);
}

static tval *claim_value(req *r, const struct pay_claim *c)
{
	tval *m = tv_map(r->a);
	tv_set_int(m, "id", c->id);
	tv_set_str(m, "href", arena_printf(r->a, "/payments/claims/%" PRId64, c->id));
	tv_set_str(m, "person", c->person_name);
	tv_set_str(m, "ref", c->person_ref);
	tv_set_str(m, "session", c->session_title);
	tv_set_str(m, "date", day_text(r->a, c->session_date));
	tv_set_str(m, "status", pay_status_label(c->status));
	tv_set_str(m, "status_class", status_class(c->status));
	tv_set_str(m, "method", pay_method_label(c->method));
	tv_set_str(m, "charity", c->charity_name);
	tv_set_str(m, "payment", money_text(r->a, c->payment_pence));
	tv_set_str(m, "expenses", money_text(r->a, c->expenses_pence));
	tv_set_str(m, "total", money_text(r->a, c->payment_pence + c->expenses_pence));
	tv_set_str(m, "paid_on", c->paid_on ? day_text(r->a, c->paid_on) : "");
	tv_set_str(m, "reversed_on", c->reversed_on ? day_text(r->a, c->reversed_on) : "");
	tv_set_str(m, "reversed_total",
	           money_text(r->a, -(c->payment_pence + c->expenses_pence)));
	tv_set_str(m, "reversal_reason", c->reversal_reason);
	return m;
}

/* --- The programmes' money ----------------------------------------------------------- */

void web_pay_index(req *r, struct web *w)
{
	struct programme *ps;
	size_t n;
	tval *list = tv_list(r->a);
	bool board_only = !web_has_role(w, ROLE_FACILITATOR | ROLE_PROGRAMME_LEAD);
	int rc = programmes_list(w->db, r->a, NULL, &ps, &n);

	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		int acc = PAY_ACCESS_NONE;
		tval *m;
		if (!board_only) {
			acc = pay_access(w->db, w->sess->account_id, (unsigned)w->sess->role,
			                 ps[i].id);
			if (acc < 0) {
				page_fail(r, w, acc);
				return;
			}
			if (acc == PAY_ACCESS_NONE)
				continue;
		} else if (!ps[i].published) {
			continue;
		}
		m = tv_map(r->a);
		tv_set_str(m, "name", ps[i].name);
		tv_set_str(m, "href",
		           board_only
		               ? arena_printf(r->a, "/programmes/%s/payments/totals", ps[i].slug)
		               : arena_printf(r->a, "/programmes/%s/payments", ps[i].slug));
		tv_push(list, m);
	}
	tv_set(w->page, "programmes", list);
	tv_set_bool(w->page, "has_programmes", tv_len(list) > 0);
	tv_set_bool(w->page, "board_only", board_only);
	page_render(r, w, 200, "payment_index", "Participant payments");
}

/* The months of the payments picture with their labels ("April 2022"). */
struct picture {
	char **months;
	int64_t *pence;
	size_t n;
	const char **labels;
	int64_t total;
	size_t top;
	bool earlier; /* months before the first shown were left out */
};

static int picture_load(req *r, struct web *w, int64_t programme_id, struct picture *pic)
{
	int rc = pay_monthly(w->db, r->a, programme_id, &pic->months, &pic->pence, &pic->n,
	                     &pic->earlier);
	pic->total = 0;
	pic->top = 0;
	if (rc != DOMAIN_OK)
		return rc;
	pic->labels = arena_calloc(r->a, pic->n ? pic->n : 1, sizeof(*pic->labels));
	if (!pic->labels)
		return DB_ERR;
	for (size_t i = 0; i < pic->n; i++) {
		char *iso = arena_printf(r->a, "%s-01", pic->months[i]);
		struct date dt;
		sbuf b;
		sbuf_init(&b, r->a, 40);
		if (iso && date_parse(sv_from(iso), &dt) == 0)
			date_human(&b, dt);
		/* "1 April 2022" -> "April 2022" */
		pic->labels[i] = b.len > 2 ? b.buf + (b.buf[1] == ' ' ? 2 : 3) : "";
		pic->total += pic->pence[i];
		if (pic->pence[i] > pic->pence[pic->top])
			pic->top = i;
	}
	return DOMAIN_OK;
}

static const char *picture_summary(arena *a, const struct picture *pic)
{
	const char *most = "", *period = "";
	if (!pic->n)
		return "nothing has been paid yet";
	/* A month is "the most" only if something was paid in it. */
	if (pic->pence[pic->top] > 0)
		most = arena_printf(a, ", the most in %s (%s)", pic->labels[pic->top],
		                    money_text(a, pic->pence[pic->top]));
	if (pic->earlier)
		period = arena_printf(a, " (the latest %d months; earlier months are not shown)",
		                      PAY_MONTHS_MAX);
	return arena_printf(a, "%s paid from %s to %s%s%s", money_text(a, pic->total),
	                    pic->labels[0], pic->labels[pic->n - 1], most, period);
}

#define PICTURE_TITLE "Payments and expenses paid each month"

void web_pay_overview(req *r, struct web *w)
{
	struct programme p;
	struct pay_policy pol;
	struct pay_batch *batches;
	struct picture pic;
	struct payments_totals t;
	size_t nb;
	int access, rc;
	char today[11];
	tval *blist = tv_list(r->a), *rows = tv_list(r->a);
	static const char *const done[] = {
	    "batched", "The approved claims are now in a batch for finance.",
	    "nothing", "There are no approved claims to put in a batch.",
	    "chosen",  "Their choice has been recorded.",
	    NULL};

	if (!money_programme(r, w, &p, &access))
		return;
	programme_context(r, w, &p);
	pay_date_iso(date_today(), today);
	rc = pay_policy_in_force(w->db, r->a, p.id, today, &pol);
	if (rc == DOMAIN_OK) {
		tval *m = tv_map(r->a);
		tv_set_int(m, "version", pol.version);
		tv_set_str(m, "rate", rate_text(r->a, &pol));
		tv_set_str(m, "starts", day_text(r->a, pol.starts_on));
		tv_set(w->page, "policy", m);
	} else if (rc != DOMAIN_ENOTFOUND) {
		page_fail(r, w, rc);
		return;
	}
	if ((rc = payments_totals(w->db, r->a, p.id, "0000-01-01", "9999-12-31", &t)) !=
	    DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	tv_set_int(w->page, "n_submitted", t.claims_by_status[PAY_SUBMITTED]);
	tv_set_int(w->page, "n_returned", t.claims_by_status[PAY_RETURNED]);
	tv_set_int(w->page, "n_approved", t.claims_by_status[PAY_APPROVED]);
	tv_set_bool(w->page, "may_batch",
	            access == PAY_ACCESS_LEAD && t.claims_by_status[PAY_APPROVED] > 0);
	tv_set_str(w->page, "batch_action",
	           arena_printf(r->a, "/programmes/%s/payments/batches", p.slug));
	if ((rc = pay_batches_list(w->db, r->a, p.id, &batches, &nb)) != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < nb; i++) {
		tval *m = tv_map(r->a);
		tv_set_int(m, "id", batches[i].id);
		tv_set_str(m, "href",
		           arena_printf(r->a, "/payments/batches/%" PRId64, batches[i].id));
		tv_set_str(m, "created", day_text(r->a, batches[i].created_at));
		tv_set_int(m, "n_claims", batches[i].n_claims);
		tv_set_str(m, "total",
		           money_text(r->a, batches[i].payment_pence + batches[i].expenses_pence));
		tv_set_str(m, "paid_on",
		           batches[i].paid_on ? day_text(r->a, batches[i].paid_on)
		                              : "Not yet paid");
		tv_push(blist, m);
	}
	tv_set(w->page, "batches", blist);
	tv_set_bool(w->page, "has_batches", nb > 0);
	{
		struct pay_person *people;
		size_t npeople;
		tval *plist = tv_list(r->a);
		if ((rc = pay_programme_people(w->db, r->a, p.id, &people, &npeople)) !=
		    DOMAIN_OK) {
			page_fail(r, w, rc);
			return;
		}
		for (size_t i = 0; i < npeople; i++) {
			tval *m = tv_map(r->a);
			tv_set_str(m, "name", people[i].name);
			tv_set_str(m, "ref", pay_person_ref(r->a, people[i].account_id));
			tv_set_str(m, "method",
			           people[i].method[0] ? pay_method_label(people[i].method)
			                               : "Not chosen yet");
			tv_set_str(m, "charity", people[i].charity_name);
			tv_set_str(m, "chosen",
			           people[i].chosen_at ? day_text(r->a, people[i].chosen_at) : "");
			tv_set_str(m, "href",
			           arena_printf(r->a, "/programmes/%s/payments/choices/%" PRId64,
			                        p.slug, people[i].account_id));
			tv_push(plist, m);
		}
		tv_set(w->page, "people", plist);
		tv_set_bool(w->page, "has_people", npeople > 0);
	}
	if ((rc = picture_load(r, w, p.id, &pic)) != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < pic.n; i++) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "month", pic.labels[i]);
		tv_set_str(m, "amount", money_text(r->a, pic.pence[i]));
		tv_push(rows, m);
	}
	tv_set(w->page, "months", rows);
	tv_set_bool(w->page, "has_months", pic.n > 0);
	tv_set_str(w->page, "chart_title", PICTURE_TITLE);
	tv_set_str(w->page, "chart_summary", picture_summary(r->a, &pic));
	tv_set_str(w->page, "chart_src",
	           arena_printf(r->a, "/programmes/%s/payments/chart.svg", p.slug));
	tv_set_bool(w->page, "lead", access == PAY_ACCESS_LEAD);
	board_put_done(r, w, done);
	page_render(r, w, 200, "payment_overview", arena_printf(r->a, "Payments: %s", p.name));
}

void web_pay_chart(req *r, struct web *w)
{
	struct programme p;
	struct picture pic;
	struct chart c;
	struct chart_series s;
	sbuf out;
	int rc;

	if (!money_programme(r, w, &p, NULL))
		return;
	if ((rc = picture_load(r, w, p.id, &pic)) != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	if (!pic.n) {
		/* An empty picture still draws: one month of nothing, so the image is never broken.
		 */
		static const char *const none[] = {"No payments yet"};
		static const int64_t zero[] = {0};
		pic.labels = (const char **)none;
		pic.pence = (int64_t *)zero;
		pic.n = 1;
	}
	memset(&c, 0, sizeof(c));
	memset(&s, 0, sizeof(s));
	s.name = "Paid";
	s.values = pic.pence;
	c.kind = CHART_BARS;
	c.unit = CHART_PENCE;
	c.title = PICTURE_TITLE;
	c.summary = picture_summary(r->a, &pic);
	c.n_labels = pic.n;
	c.labels = pic.labels;
	c.n_series = 1;
	c.series = &s;
	sbuf_init(&out, r->a, CHART_MAX);
	if (chart_svg(&out, &c) != 0) {
		page_error(r, w, 500);
		return;
	}
	resp_text(r, 200, CHART_SVG_TYPE, sbuf_sv(&out));
}

/* --- Totals for the Board ------------------------------------------------------------- */

void web_pay_totals(req *r, struct web *w)
{
	struct programme p;
	struct date start, end, today = date_today();
	tval *years = tv_list(r->a);
	int rc;
	bool money = web_has_role(w, ROLE_FACILITATOR | ROLE_PROGRAMME_LEAD);
	char *slug = sv_dup(r->a, web_param(w, "slug"));

	rc = slug ? programme_get_by_slug(w->db, r->a, slug, &p) : DB_ERR;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	if (money) {
		rc = pay_access(w->db, w->sess->account_id, (unsigned)w->sess->role, p.id);
		if (rc < 0) {
			page_fail(r, w, rc);
			return;
		}
		money = rc != PAY_ACCESS_NONE;
	}
	/* Board members see the totals of published programmes; facilitators those they
	 * work in. */
	if (!money && !(web_has_role(w, ROLE_BOARD_MEMBER) && p.published)) {
		page_error(r, w, 404);
		return;
	}
	programme_context(r, w, &p);
	pay_tax_year(today, &start, &end);
	for (int i = 0; i < TAX_YEARS_SHOWN; i++) {
		struct payments_totals t;
		char from[11], to[11];
		tval *m = tv_map(r->a);
		struct disclosed people;
		pay_date_iso(start, from);
		pay_date_iso(end, to);
		if ((rc = payments_totals(w->db, r->a, p.id, from, to, &t)) != DOMAIN_OK) {
			page_fail(r, w, rc);
			return;
		}
		if (i > 0 && t.paid_pence == 0 && t.expenses_pence == 0 && t.people_paid == 0) {
			start.y--;
			end.y--;
			continue;
		}
		people = disclosure_count(t.people_paid);
		tv_set_str(m, "year", arena_printf(r->a, "%d to %d", start.y, end.y));
		tv_set_str(m, "paid", money_text(r->a, t.paid_pence));
		tv_set_str(m, "expenses", money_text(r->a, t.expenses_pence));
		tv_set_str(m, "people", disclosure_text(r->a, people));
		tv_push(years, m);
		start.y--;
		end.y--;
	}
	tv_set(w->page, "years", years);
	tv_set_int(w->page, "threshold", disclosure_threshold());
	tv_set_bool(w->page, "money", money);
	page_render(r, w, 200, "payment_totals", arena_printf(r->a, "Payment totals: %s", p.name));
}

/* --- Policy --------------------------------------------------------------------------- */

static const char *const role_name_fields[PAY_ROLES_MAX] = {
    "role_name_1", "role_name_2", "role_name_3", "role_name_4", "role_name_5", "role_name_6"};
static const char *const role_amount_fields[PAY_ROLES_MAX] = {"role_amount_1", "role_amount_2",
                                                              "role_amount_3", "role_amount_4",
                                                              "role_amount_5", "role_amount_6"};
static const char *const policy_fields[] = {
    "rate_kind",     "rate",        "prep_hours",    "prep_rate",   "expenses_rules", "role_name_1",
    "role_amount_1", "role_name_2", "role_amount_2", "role_name_3", "role_amount_3",  "role_name_4",
    "role_amount_4", "role_name_5", "role_amount_5", "role_name_6", "role_amount_6",  NULL};
#define ROLE_ROWS_SHOWN 3

static void policy_page(req *r, struct web *w, int status, const struct programme *p, int access,
                        const struct field_errors *fe)
{
	struct pay_policy *list;
	size_t n;
	tval *versions = tv_list(r->a), *role_rows = tv_list(r->a);
	int rc = pay_policy_list(w->db, r->a, p->id, &list, &n);

	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	programme_context(r, w, p);
	for (size_t i = 0; i < n; i++) {
		tval *m = tv_map(r->a), *role_list = tv_list(r->a);
		tv_set_int(m, "version", list[i].version);
		tv_set_str(m, "starts", day_text(r->a, list[i].starts_on));
		tv_set_str(m, "rate", rate_text(r->a, &list[i]));
		tv_set_str(m, "prep",
		           list[i].prep_max_minutes
		               ? arena_printf(r->a, "Up to %s at %s an hour",
		                              hours_text(r->a, list[i].prep_max_minutes),
		                              money_text(r->a, list[i].prep_rate_pence))
		               : "Not paid");
		for (size_t j = 0; j < list[i].n_roles; j++) {
			tval *rm = tv_map(r->a);
			tv_set_str(rm, "name", list[i].roles[j].name);
			tv_set_str(rm, "amount", money_text(r->a, list[i].roles[j].amount_pence));
			tv_push(role_list, rm);
		}
		tv_set(m, "roles", role_list);
		tv_set_bool(m, "has_roles", list[i].n_roles > 0);
		tv_set_str(m, "expenses_rules", list[i].expenses_rules);
		tv_set_str(m, "added_by", list[i].created_by_name);
		tv_set_str(m, "added", day_text(r->a, list[i].created_at));
		tv_push(versions, m);
	}
	tv_set(w->page, "versions", versions);
	tv_set_bool(w->page, "has_versions", n > 0);
	tv_set_bool(w->page, "lead", access == PAY_ACCESS_LEAD);
	page_form_errors(r, w, fe, policy_fields);
	for (int i = 0; i < ROLE_ROWS_SHOWN; i++) {
		tval *m = tv_map(r->a);
		tv_set_int(m, "n", i + 1);
		tv_set_str(m, "name_field", role_name_fields[i]);
		tv_set_str(m, "amount_field", role_amount_fields[i]);
		tv_set_sv(m, "name", kv_get(&r->form, role_name_fields[i]));
		tv_set_sv(m, "amount", kv_get(&r->form, role_amount_fields[i]));
		tv_set_str(m, "name_error", field_error_get(fe, role_name_fields[i]));
		tv_set_str(m, "amount_error", field_error_get(fe, role_amount_fields[i]));
		tv_push(role_rows, m);
	}
	tv_set(w->page, "role_rows", role_rows);
	tv_set_bool(w->page, "per_session", sv_eq_cstr(kv_get(&r->form, "rate_kind"), "session"));
	tv_set(w->page, "date_field",
	       board_date_field(r, "starts", "The date this version starts",
	                        "For example, 6 4 2022. Claims for sessions on or after this "
	                        "date use it",
	                        field_error_get(fe, "starts"), NULL));
	tv_set_str(w->page, "action",
	           arena_printf(r->a, "/programmes/%s/payments/policy", p->slug));
	if (sv_eq_cstr(kv_get(&r->query, "done"), "added"))
		page_notice(w, "The new version of the payment policy has been added.");
	page_render(r, w, status, "payment_policy",
	            arena_printf(r->a, "Payment policy: %s", p->name));
}

void web_pay_policy(req *r, struct web *w)
{
	struct programme p;
	int access;
	if (!money_programme(r, w, &p, &access))
		return;
	policy_page(r, w, 200, &p, access, NULL);
}

void web_pay_policy_add(req *r, struct web *w)
{
	struct programme p;
	struct pay_policy_in in;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int access, rc;

	if (!money_programme(r, w, &p, &access))
		return;
	memset(&in, 0, sizeof(in));
	in.programme_id = p.id;
	in.day = kv_get(&r->form, "starts_day");
	in.month = kv_get(&r->form, "starts_month");
	in.year = kv_get(&r->form, "starts_year");
	in.rate_kind = kv_get(&r->form, "rate_kind");
	in.rate = kv_get(&r->form, "rate");
	in.prep_hours = kv_get(&r->form, "prep_hours");
	in.prep_rate = kv_get(&r->form, "prep_rate");
	in.expenses_rules = kv_get(&r->form, "expenses_rules");
	for (int i = 0; i < PAY_ROLES_MAX; i++) {
		in.role_name[i] = kv_get(&r->form, role_name_fields[i]);
		in.role_amount[i] = kv_get(&r->form, role_amount_fields[i]);
	}
	field_errors_init(&fe);
	rc = pay_policy_add(w->db, r->a, &who, &in, &fe, NULL);
	if (rc == DOMAIN_OK) {
		resp_redirect(
		    r, arena_printf(r->a, "/programmes/%s/payments/policy?done=added", p.slug));
		return;
	}
	if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	policy_page(r, w, 400, &p, access, &fe);
}

/* --- Claims: proposals and the list ---------------------------------------------------- */

/* The claims page; PROBLEM (may be NULL) is a refusal to show in the error summary. */
static void claims_page(req *r, struct web *w, int http_status, const struct programme *pp,
                        const char *problem)
{
	struct programme p = *pp;
	struct pay_proposal *props;
	struct pay_claim *claims;
	size_t np, nc;
	tval *plist = tv_list(r->a), *clist = tv_list(r->a);
	int rc;
	const char *status = NULL;
	sv want = kv_get(&r->query, "status");

	programme_context(r, w, &p);
	if (problem) {
		static const char *const no_fields[] = {NULL};
		struct field_errors fe;
		field_errors_init(&fe);
		field_error_add(&fe, "owed", problem);
		page_form_errors(r, w, &fe, no_fields);
	}
	if (want.len) {
		status = sv_dup(r->a, want);
		if (pay_status_parse(status) < 0)
			status = NULL;
	}
	if ((rc = pay_proposals(w->db, r->a, p.id, &props, &np)) != DOMAIN_OK ||
	    (rc = pay_claims_list(w->db, r->a, p.id, status, &claims, &nc)) != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	/* People who chose not to be paid are listed once each, with the sessions whose
	 * expenses can still be claimed, not as a row of "nothing" per session. */
	tval *dlist = tv_list(r->a);
	int64_t *dpeople = np ? arena_calloc(r->a, np, sizeof(*dpeople)) : NULL;
	tval **dsessions = np ? arena_calloc(r->a, np, sizeof(*dsessions)) : NULL;
	size_t nd = 0, nowed = 0;
	if (np && (!dpeople || !dsessions)) {
		page_error(r, w, 500);
		return;
	}
	for (size_t i = 0; i < np; i++) {
		const struct pay_proposal *q = &props[i];
		size_t k;
		tval *sm;
		if (!q->declined)
			continue;
		for (k = 0; k < nd && dpeople[k] != q->account_id; k++)
			;
		if (k == nd) {
			tval *pm = tv_map(r->a);
			dpeople[nd] = q->account_id;
			dsessions[nd] = tv_list(r->a);
			tv_set_str(pm, "person", q->person_name);
			tv_set_str(pm, "choice_href",
			           arena_printf(r->a, "/programmes/%s/payments/choices/%" PRId64,
			                        p.slug, q->account_id));
			tv_set(pm, "sessions", dsessions[nd]);
			tv_push(dlist, pm);
			nd++;
		}
		sm = tv_map(r->a);
		tv_set_str(sm, "date", day_text(r->a, q->session_date));
		tv_set_str(sm, "session", q->session_title);
		tv_set_str(sm, "claim_href",
		           arena_printf(r->a,
		                        "/programmes/%s/payments/claims/new?person=%" PRId64
		                        "&session=%" PRId64,
		                        p.slug, q->account_id, q->session_id));
		tv_push(dsessions[k], sm);
	}
	tv_set(w->page, "declined", dlist);
	tv_set_bool(w->page, "has_declined", nd > 0);
	for (size_t i = 0; i < np; i++) {
		tval *m;
		const struct pay_proposal *q = &props[i];
		if (q->declined)
			continue;
		nowed++;
		m = tv_map(r->a);
		tv_set_str(m, "person", q->person_name);
		tv_set_str(m, "session", q->session_title);
		tv_set_str(m, "date", day_text(r->a, q->session_date));
		tv_set_str(m, "hours", hours_text(r->a, q->minutes));
		tv_set_bool(m, "declined", q->declined);
		tv_set_bool(m, "no_choice", !q->method[0]);
		tv_set_bool(m, "no_policy", q->policy_version == 0);
		tv_set_str(m, "amount", money_text(r->a, q->payment_pence));
		tv_set_str(m, "claim_href",
		           arena_printf(r->a,
		                        "/programmes/%s/payments/claims/new?person=%" PRId64
		                        "&session=%" PRId64,
		                        p.slug, q->account_id, q->session_id));
		tv_set_str(m, "choice_href",
		           arena_printf(r->a, "/programmes/%s/payments/choices/%" PRId64, p.slug,
		                        q->account_id));
		tv_push(plist, m);
	}
	for (size_t i = 0; i < nc; i++)
		tv_push(clist, claim_value(r, &claims[i]));
	tv_set(w->page, "proposals", plist);
	tv_set_bool(w->page, "has_proposals", nowed > 0);
	tv_set(w->page, "claims", clist);
	tv_set_bool(w->page, "has_claims", nc > 0);
	{
		tval *filters = tv_list(r->a);
		static const char *const shown[] = {"submitted", "returned", "approved",
		                                    "batched",   "paid",     "reversed"};
		tval *all = tv_map(r->a);
		tv_set_str(all, "label", "All");
		tv_set_str(all, "href",
		           arena_printf(r->a, "/programmes/%s/payments/claims", p.slug));
		tv_set_bool(all, "current", status == NULL);
		tv_push(filters, all);
		for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
			tval *m = tv_map(r->a);
			tv_set_str(m, "label", pay_status_label(shown[i]));
			tv_set_str(m, "href",
			           arena_printf(r->a, "/programmes/%s/payments/claims?status=%s",
			                        p.slug, shown[i]));
			tv_set_bool(m, "current", status && strcmp(status, shown[i]) == 0);
			tv_push(filters, m);
		}
		tv_set(w->page, "filters", filters);
	}
	if (sv_eq_cstr(kv_get(&r->query, "done"), "chosen"))
		page_notice(w, "Their choice has been recorded.");
	page_render(r, w, http_status, "payment_claims", arena_printf(r->a, "Claims: %s", p.name));
}

void web_pay_claims(req *r, struct web *w)
{
	struct programme p;
	if (!money_programme(r, w, &p, NULL))
		return;
	claims_page(r, w, 200, &p, NULL);
}

/* --- The claim form ----------------------------------------------------------------------- */

static const char *const claim_fields[] = {"hours", "prep_hours",   "travel", "travel_receipt",
                                           "care",  "care_receipt", NULL};

static void claim_in_read(req *r, struct pay_claim_in *in)
{
	memset(in, 0, sizeof(in[0]));
	in->hours = kv_get(&r->form, "hours");
	in->prep_hours = kv_get(&r->form, "prep_hours");
	in->travel = kv_get(&r->form, "travel");
	in->travel_receipt = kv_get(&r->form, "travel_receipt");
	in->care = kv_get(&r->form, "care");
	in->care_receipt = kv_get(&r->form, "care_receipt");
	for (size_t i = 0; i < r->form.n && in->n_roles < PAY_ROLES_MAX; i++) {
		int64_t id;
		if (sv_eq_cstr(r->form.items[i].key, "role") &&
		    sv_to_i64(r->form.items[i].val, &id) == 0)
			in->role_ids[in->n_roles++] = id;
	}
}

static bool role_ticked(req *r, int64_t id)
{
	for (size_t i = 0; i < r->form.n; i++) {
		int64_t v;
		if (sv_eq_cstr(r->form.items[i].key, "role") &&
		    sv_to_i64(r->form.items[i].val, &v) == 0 && v == id)
			return true;
	}
	return false;
}

/* The form's context: the person, session and policy, and the fields. CLAIM is the claim
 * being corrected, or NULL. */
static void claim_form_context(req *r, struct web *w, const struct programme *p,
                               const struct pay_proposal *q, const struct pay_policy *pol,
                               const struct pay_claim *claim, const struct field_errors *fe)
{
	tval *f = tv_map(r->a), *role_list = tv_list(r->a);
	programme_context(r, w, p);
	tv_set_str(f, "person", q->person_name);
	tv_set_str(f, "session", q->session_title);
	tv_set_str(f, "date", day_text(r->a, q->session_date));
	tv_set_str(f, "length", hours_text(r->a, q->minutes));
	tv_set_int(f, "person_id", q->account_id);
	tv_set_int(f, "session_id", q->session_id);
	if (pol) {
		tv_set_int(f, "policy_version", pol->version);
		tv_set_str(f, "rate", rate_text(r->a, pol));
		tv_set_bool(f, "prep_paid", pol->prep_max_minutes > 0);
		tv_set_str(f, "prep_limit", hours_text(r->a, pol->prep_max_minutes));
		tv_set_str(f, "prep_rate", money_text(r->a, pol->prep_rate_pence));
		for (size_t i = 0; i < pol->n_roles; i++) {
			tval *m = tv_map(r->a);
			bool ticked = false;
			tv_set_int(m, "id", pol->roles[i].id);
			tv_set_str(m, "name", pol->roles[i].name);
			tv_set_str(m, "amount", money_text(r->a, pol->roles[i].amount_pence));
			tv_set_str(m, "input_id",
			           i == 0 ? "roles" : arena_printf(r->a, "roles-%zu", i + 1));
			if (r->method == HTTP_POST)
				ticked = role_ticked(r, pol->roles[i].id);
			else if (claim)
				for (size_t j = 0; j < claim->n_items; j++)
					ticked |= strcmp(claim->items[j].kind, "role") == 0 &&
					          strcmp(claim->items[j].description,
					                 pol->roles[i].name) == 0;
			tv_set_bool(m, "checked", ticked);
			tv_push(role_list, m);
		}
	}
	tv_set(f, "roles", role_list);
	tv_set_bool(f, "has_roles", tv_len(role_list) > 0);
	tv_set_bool(f, "declined", q->declined);
	tv_set_bool(f, "no_choice", !q->method[0]);
	tv_set_str(f, "method", pay_method_label(q->method));
	tv_set_str(
	    f, "choice_href",
	    arena_printf(r->a, "/programmes/%s/payments/choices/%" PRId64, p->slug, q->account_id));
	tv_set(w->page, "claim_form", f);
	page_form_errors(r, w, fe, claim_fields);
	if (r->method != HTTP_POST) {
		/* First show: the session's length, or what the claim being corrected holds. */
		tval *v = tv_map(r->a);
		tv_set_str(v, "hours", hours_value(r->a, q->minutes));
		for (size_t j = 0; claim && j < claim->n_items; j++) {
			const struct pay_item *it = &claim->items[j];
			sbuf b;
			sbuf_init(&b, r->a, 32);
			money_format_plain(&b, it->amount_pence);
			if (strcmp(it->kind, "attendance") == 0)
				tv_set_str(v, "hours", hours_value(r->a, it->minutes));
			else if (strcmp(it->kind, "preparation") == 0)
				tv_set_str(v, "prep_hours", hours_value(r->a, it->minutes));
			else if (it->expense_kind && strcmp(it->expense_kind, "travel") == 0) {
				tv_set_str(v, "travel", b.buf);
				tv_set_str(v, "travel_receipt", it->receipt_ref);
			} else if (it->expense_kind && strcmp(it->expense_kind, "care") == 0) {
				tv_set_str(v, "care", b.buf);
				tv_set_str(v, "care_receipt", it->receipt_ref);
			}
		}
		tv_set(w->page, "values", v);
	}
}

/* The proposal named by ?person=&session= (or the form's hidden fields). */
static int proposal_from_request(req *r, struct web *w, const struct programme *p,
                                 struct pay_proposal *q)
{
	int64_t person = 0, sess = 0;
	const kvlist *src = r->method == HTTP_POST ? &r->form : &r->query;
	if (sv_to_i64(kv_get(src, "person"), &person) != 0 ||
	    sv_to_i64(kv_get(src, "session"), &sess) != 0)
		return DOMAIN_ENOTFOUND;
	return pay_proposal_get(w->db, r->a, p->id, person, sess, q);
}

static void claim_new_page(req *r, struct web *w, int status, const struct programme *p,
                           const struct pay_proposal *q, const struct field_errors *fe)
{
	struct pay_policy pol;
	int rc = pay_policy_in_force(w->db, r->a, p->id, q->session_date, &pol);
	if (rc != DOMAIN_OK && rc != DOMAIN_ENOTFOUND) {
		page_fail(r, w, rc);
		return;
	}
	claim_form_context(r, w, p, q, rc == DOMAIN_OK ? &pol : NULL, NULL, fe);
	tv_set_str(w->page, "action",
	           arena_printf(r->a, "/programmes/%s/payments/claims/new", p->slug));
	tv_set_str(w->page, "back_href",
	           arena_printf(r->a, "/programmes/%s/payments/claims", p->slug));
	tv_set_str(w->page, "heading", "Check and submit a claim");
	tv_set_str(w->page, "button", "Submit the claim");
	page_render(r, w, status, "claim_new", "Check and submit a claim");
}

void web_pay_claim_new(req *r, struct web *w)
{
	struct programme p;
	struct pay_proposal q;
	int rc;
	if (!money_programme(r, w, &p, NULL))
		return;
	if ((rc = proposal_from_request(r, w, &p, &q)) != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	claim_new_page(r, w, 200, &p, &q, NULL);
}

void web_pay_claim_create(req *r, struct web *w)
{
	struct programme p;
	struct pay_proposal q;
	struct pay_claim_in in;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int64_t id;
	int rc;

	if (!money_programme(r, w, &p, NULL))
		return;
	claim_in_read(r, &in);
	field_errors_init(&fe);
	rc = proposal_from_request(r, w, &p, &q);
	if (rc == DOMAIN_ENOTFOUND) {
		/* Not a local person marked present at a session of this programme: nothing is
		 * saved, and the list of what is owed says why. */
		claims_page(r, w, 400, &p,
		            "They were not marked present at that session, so there "
		            "is nothing to claim. Check the session's attendance first");
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	in.account_id = q.account_id;
	in.session_id = q.session_id;
	rc = pay_claim_submit(w->db, r->a, &who, p.id, &in, &fe, &id);
	if (rc == DOMAIN_OK) {
		resp_redirect(
		    r, arena_printf(r->a, "/payments/claims/%" PRId64 "?done=submitted", id));
		return;
	}
	if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	claim_new_page(r, w, 400, &p, &q, &fe);
}

/* --- One claim ---------------------------------------------------------------------------- */

/* The claim at :id with its programme, if this person may see its money; else an error
 * page has been sent. */
static bool claim_load(req *r, struct web *w, struct pay_claim *c, struct programme *p, int *access)
{
	int64_t id = board_path_id(w, "id");
	int rc = id ? pay_claim_get(w->db, r->a, id, c) : DOMAIN_ENOTFOUND;
	if (rc == DOMAIN_OK)
		rc = programme_get(w->db, r->a, c->programme_id, p);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return false;
	}
	rc = pay_access(w->db, w->sess->account_id, (unsigned)w->sess->role, p->id);
	if (rc < 0) {
		page_fail(r, w, rc);
		return false;
	}
	if (rc == PAY_ACCESS_NONE) {
		page_error(r, w, 404);
		return false;
	}
	*access = rc;
	return true;
}

static void claim_page(req *r, struct web *w, int status, const struct pay_claim *c,
                       const struct programme *p, int access, const struct field_errors *fe,
                       const char *form)
{
	tval *items = tv_list(r->a);
	bool lead = access == PAY_ACCESS_LEAD;
	bool open = strcmp(c->status, "submitted") == 0 || strcmp(c->status, "returned") == 0;
	static const char *const done[] = {
	    "submitted", "The claim has been submitted. A programme lead will check it.",
	    "approved",  "The claim has been approved. It goes to finance in the next batch.",
	    "returned",  "The claim has been returned to the facilitator with your reason.",
	    "corrected", "The claim has been corrected and submitted again.",
	    "reversed",  "The payment has been reversed. The correcting entry is recorded below.",
	    NULL};

	programme_context(r, w, p);
	tv_set(w->page, "claim", claim_value(r, c));
	for (size_t i = 0; i < c->n_items; i++) {
		const struct pay_item *it = &c->items[i];
		tval *m = tv_map(r->a);
		const char *what = it->description;
		if (strcmp(it->kind, "attendance") == 0)
			what = arena_printf(r->a, "Taking part: %s", hours_text(r->a, it->minutes));
		else if (strcmp(it->kind, "preparation") == 0)
			what = arena_printf(r->a, "Preparation: %s", hours_text(r->a, it->minutes));
		else if (strcmp(it->kind, "role") == 0)
			what = arena_printf(r->a, "Extra role: %s", it->description);
		else
			what = arena_printf(r->a, "Expenses: %s (receipt %s)", it->description,
			                    it->receipt_ref);
		tv_set_str(m, "what", what);
		tv_set_str(m, "kind",
		           strcmp(it->kind, "expense") == 0 ? "Expenses, not income"
		                                            : "Payment, counts as income");
		tv_set_str(m, "amount", money_text(r->a, it->amount_pence));
		tv_push(items, m);
	}
	tv_set(w->page, "items", items);
	tv_set_int(w->page, "policy_version", c->policy_version);
	tv_set_str(w->page, "policy_href",
	           arena_printf(r->a, "/programmes/%s/payments/policy", p->slug));
	tv_set_str(w->page, "submitted_by", c->submitted_by_name);
	tv_set_str(w->page, "submitted_on", day_text(r->a, c->submitted_at));
	tv_set_str(w->page, "approved_by", c->approved_by_name);
	tv_set_str(w->page, "approved_on", c->approved_at ? day_text(r->a, c->approved_at) : "");
	tv_set_str(w->page, "returned_reason",
	           strcmp(c->status, "returned") == 0 ? c->returned_reason : "");
	tv_set_str(w->page, "returned_by", c->returned_by_name);
	tv_set_str(w->page, "reversal_reason", c->reversal_reason);
	tv_set_str(w->page, "reversed_on", c->reversed_on ? day_text(r->a, c->reversed_on) : "");
	tv_set_str(w->page, "reversed_total",
	           money_text(r->a, -(c->payment_pence + c->expenses_pence)));
	if (c->batch_id)
		tv_set_str(w->page, "batch_href",
		           arena_printf(r->a, "/payments/batches/%" PRId64, c->batch_id));
	tv_set_int(w->page, "batch_id", c->batch_id);
	/* What this person may do now. */
	tv_set_bool(w->page, "may_decide",
	            lead && strcmp(c->status, "submitted") == 0 &&
	                c->submitted_by != w->sess->account_id);
	tv_set_bool(w->page, "own_submission",
	            lead && strcmp(c->status, "submitted") == 0 &&
	                c->submitted_by == w->sess->account_id);
	tv_set_bool(w->page, "waiting", strcmp(c->status, "submitted") == 0);
	tv_set_bool(w->page, "may_reverse", lead && strcmp(c->status, "paid") == 0);
	if (strcmp(c->status, "reversed") == 0) {
		/* The session is not offered again as owed; when the reversal only put a wrong
		 * amount right, a new claim starts here (unless one has been made already). */
		struct pay_claim *mine;
		size_t n;
		bool again = false;
		if (pay_claims_of(w->db, r->a, c->account_id, &mine, &n) == DOMAIN_OK) {
			again = true;
			for (size_t i = 0; i < n; i++)
				if (mine[i].session_id == c->session_id &&
				    strcmp(mine[i].status, "reversed") != 0)
					again = false;
		}
		if (again)
			tv_set_str(w->page, "claim_again_href",
			           arena_printf(r->a,
			                        "/programmes/%s/payments/claims/new?person=%" PRId64
			                        "&session=%" PRId64,
			                        p->slug, c->account_id, c->session_id));
	}
	tv_set_bool(w->page, "may_correct", open);
	tv_set_str(w->page, "base", arena_printf(r->a, "/payments/claims/%" PRId64, c->id));
	tv_set_str(w->page, "reason_form", form ? form : "");
	if (open) {
		struct pay_proposal q;
		struct pay_policy pol;
		int rc = pay_proposal_get(w->db, r->a, p->id, c->account_id, c->session_id, &q);
		/* A correction keeps the version the claim was made under. */
		if (rc == DOMAIN_OK)
			rc = pay_policy_get(w->db, r->a, c->policy_id, &pol);
		if (rc == DOMAIN_OK) {
			claim_form_context(r, w, p, &q, &pol, c,
			                   form && strcmp(form, "edit") == 0 ? fe : NULL);
			tv_set_str(w->page, "action",
			           arena_printf(r->a, "/payments/claims/%" PRId64 "/edit", c->id));
		} else {
			tv_set_bool(w->page, "may_correct", false);
		}
	}
	/* The reason forms keep what was typed and show their error. */
	{
		tval *errs = tv_list(r->a), *by = tv_map(r->a);
		for (size_t i = 0; fe && i < fe->n; i++) {
			tval *e = tv_map(r->a);
			tv_set_str(e, "href", arena_printf(r->a, "#%s", fe->items[i].field));
			tv_set_str(e, "text", fe->items[i].message);
			tv_push(errs, e);
			tv_set_str(by, fe->items[i].field, fe->items[i].message);
		}
		if (fe && fe->n) {
			tv_set(w->page, "errors", errs);
			tv_set_bool(w->page, "has_errors", true);
		}
		tv_set(w->page, "reason_error", by);
		tv_set_sv(w->page, "reason_value",
		          r->method == HTTP_POST ? kv_get(&r->form, "reason") : SV(""));
	}
	board_put_done(r, w, done);
	page_render(r, w, status, "claim",
	            arena_printf(r->a, "Claim for %s, %s", c->person_name,
	                         day_text(r->a, c->session_date)));
}

void web_pay_claim(req *r, struct web *w)
{
	struct pay_claim c;
	struct programme p;
	int access;
	if (!claim_load(r, w, &c, &p, &access))
		return;
	claim_page(r, w, 200, &c, &p, access, NULL, NULL);
}

void web_pay_claim_edit(req *r, struct web *w)
{
	struct pay_claim c;
	struct programme p;
	struct pay_claim_in in;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int access, rc;

	if (!claim_load(r, w, &c, &p, &access))
		return;
	claim_in_read(r, &in);
	field_errors_init(&fe);
	rc = pay_claim_resubmit(w->db, r->a, &who, c.id, &in, &fe);
	if (rc == DOMAIN_OK) {
		resp_redirect(
		    r, arena_printf(r->a, "/payments/claims/%" PRId64 "?done=corrected", c.id));
		return;
	}
	if (rc == DOMAIN_ECONFLICT) {
		/* Approved, batched or paid: never edited. Say so on the claim's own page. */
		field_error_add(&fe, "claim",
		                "This claim can no longer be changed: once approved "
		                "it is paid as it stands, and a paid claim can only "
		                "be reversed by a programme lead");
		claim_page(r, w, 409, &c, &p, access, &fe, "conflict");
		return;
	}
	if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	claim_page(r, w, 400, &c, &p, access, &fe, "edit");
}

void web_pay_claim_approve(req *r, struct web *w)
{
	struct pay_claim c;
	struct programme p;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int access, rc;

	if (!claim_load(r, w, &c, &p, &access))
		return;
	if (access != PAY_ACCESS_LEAD) {
		page_error(r, w, 403);
		return;
	}
	rc = pay_claim_approve(w->db, r->a, &who, c.id);
	if (rc == DOMAIN_OK) {
		resp_redirect(
		    r, arena_printf(r->a, "/payments/claims/%" PRId64 "?done=approved", c.id));
		return;
	}
	field_errors_init(&fe);
	if (rc == DOMAIN_EFORBIDDEN) {
		field_error_add(&fe, "claim",
		                "You submitted this claim, so another programme lead "
		                "must approve it");
		claim_page(r, w, 403, &c, &p, access, &fe, "approve");
		return;
	}
	if (rc == DOMAIN_ECONFLICT) {
		field_error_add(&fe, "claim", "Only a claim waiting for approval can be approved");
		claim_page(r, w, 409, &c, &p, access, &fe, "approve");
		return;
	}
	page_fail(r, w, rc);
}

/* Returning and reversing a claim: a programme lead acts with a reason. ACT changes the
 * claim; DONE names the notice after it; CONFLICT says why the claim is not in the state
 * the action needs; FORM is the claim page's form to show again with the error. */
typedef int (*claim_reason_fn)(db *d, arena *a, const struct audit_actor *who, int64_t claim_id,
			       sv reason, struct field_errors *fe);

static void claim_with_reason(req *r, struct web *w, claim_reason_fn act, const char *done,
			      const char *conflict, const char *form)
{
	struct pay_claim c;
	struct programme p;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int access, rc;

	if (!claim_load(r, w, &c, &p, &access))
		return;
	if (access != PAY_ACCESS_LEAD) {
		page_error(r, w, 403);
		return;
	}
	field_errors_init(&fe);
	rc = act(w->db, r->a, &who, c.id, kv_get(&r->form, "reason"), &fe);
	if (rc == DOMAIN_OK) {
		resp_redirect(r, arena_printf(r->a, "/payments/claims/%" PRId64 "?done=%s", c.id,
					      done));
		return;
	}
	if (rc == DOMAIN_EINVALID || rc == DOMAIN_ECONFLICT) {
		if (rc == DOMAIN_ECONFLICT)
			field_error_add(&fe, "claim", conflict);
		claim_page(r, w, rc == DOMAIN_EINVALID ? 400 : 409, &c, &p, access, &fe, form);
		return;
	}
	page_fail(r, w, rc);
}

void web_pay_claim_return(req *r, struct web *w)
{
	claim_with_reason(r, w, pay_claim_return, "returned",
			  "Only a claim waiting for approval can be returned", "return");
}

void web_pay_claim_reverse(req *r, struct web *w)
{
	claim_with_reason(r, w, pay_claim_reverse, "reversed", "Only a paid claim can be reversed",
			  "reverse");
}

/* --- Batches ---------------------------------------------------------------------------- */

void web_pay_batch_create(req *r, struct web *w)
{
	struct programme p;
	struct audit_actor who = web_actor(r, w);
	int64_t id;
	int access, rc;

	if (!money_programme(r, w, &p, &access))
		return;
	if (access != PAY_ACCESS_LEAD) {
		page_error(r, w, 403);
		return;
	}
	rc = pay_batch_create(w->db, r->a, &who, p.id, &id);
	if (rc == DOMAIN_ECONFLICT) {
		resp_redirect(r,
		              arena_printf(r->a, "/programmes/%s/payments?done=nothing", p.slug));
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "/payments/batches/%" PRId64 "?done=created", id));
}

static bool batch_load(req *r, struct web *w, struct pay_batch *b, int *access)
{
	int64_t id = board_path_id(w, "id");
	int rc = id ? pay_batch_get(w->db, r->a, id, b) : DOMAIN_ENOTFOUND;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return false;
	}
	rc = pay_access(w->db, w->sess->account_id, (unsigned)w->sess->role, b->programme_id);
	if (rc < 0) {
		page_fail(r, w, rc);
		return false;
	}
	if (rc == PAY_ACCESS_NONE) {
		page_error(r, w, 404);
		return false;
	}
	*access = rc;
	return true;
}

static void batch_page(req *r, struct web *w, int status, const struct pay_batch *b, int access,
                       const struct field_errors *fe)
{
	struct pay_claim *claims;
	size_t n;
	tval *list = tv_list(r->a), *prog = tv_map(r->a);
	static const char *const done[] = {
	    "created",
	    "The batch is ready. Download it for finance, then mark it paid once finance has paid "
	    "it.",
	    "paid", "The batch has been marked paid. Its claims are closed.", NULL};
	static const char *const fields[] = {"over_reason", NULL};
	int rc = pay_batch_claims(w->db, r->a, b->id, &claims, &n);

	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++)
		tv_push(list, claim_value(r, &claims[i]));
	tv_set_str(prog, "name", b->programme_name);
	tv_set_str(prog, "payments_href",
	           arena_printf(r->a, "/programmes/%s/payments", b->programme_slug));
	tv_set(w->page, "programme", prog);
	tv_set(w->page, "claims", list);
	tv_set_int(w->page, "id", b->id);
	tv_set_str(w->page, "created", day_text(r->a, b->created_at));
	tv_set_str(w->page, "created_by", b->created_by_name);
	tv_set_str(w->page, "payment", money_text(r->a, b->payment_pence));
	tv_set_str(w->page, "expenses", money_text(r->a, b->expenses_pence));
	tv_set_str(w->page, "total", money_text(r->a, b->payment_pence + b->expenses_pence));
	tv_set_str(w->page, "paid_on", b->paid_on ? day_text(r->a, b->paid_on) : "");
	tv_set_str(w->page, "paid_by", b->paid_by_name);
	tv_set_str(w->page, "exported_on", b->exported_at ? day_text(r->a, b->exported_at) : "");
	tv_set_str(w->page, "exported_by", b->exported_by_name);
	tv_set_bool(w->page, "lead", access == PAY_ACCESS_LEAD);
	tv_set_bool(w->page, "may_pay", access == PAY_ACCESS_LEAD && !b->paid_on);
	tv_set_str(w->page, "csv_href",
	           arena_printf(r->a, "/payments/batches/%" PRId64 "/export.csv", b->id));
	tv_set_str(w->page, "xlsx_href",
	           arena_printf(r->a, "/payments/batches/%" PRId64 "/export.xlsx", b->id));
	tv_set_str(w->page, "paid_action",
	           arena_printf(r->a, "/payments/batches/%" PRId64 "/paid", b->id));
	page_form_errors(r, w, fe, fields);
	{
		struct date today = date_today();
		tv_set(w->page, "date_field",
		       board_date_field(r, "paid_on", "The date finance paid it",
		                        "For example, 30 11 2022", field_error_get(fe, "paid_on"),
		                        &today));
	}
	board_put_done(r, w, done);
	page_render(r, w, status, "batch", arena_printf(r->a, "Payment batch %" PRId64, b->id));
}

void web_pay_batch(req *r, struct web *w)
{
	struct pay_batch b;
	int access;
	if (!batch_load(r, w, &b, &access))
		return;
	batch_page(r, w, 200, &b, access, NULL);
}

static void batch_download(req *r, struct web *w, bool xlsx)
{
	struct pay_batch b;
	sbuf out;
	int access, rc;

	if (!batch_load(r, w, &b, &access))
		return;
	if (access != PAY_ACCESS_LEAD) {
		page_error(r, w, 403);
		return;
	}
	sbuf_init(&out, r->a, EXPORT_MAX);
	rc =
	    xlsx ? pay_batch_xlsx(w->db, r->a, b.id, &out) : pay_batch_csv(w->db, r->a, b.id, &out);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	/* Personal data is leaving coprod: every download is recorded, with who took it. */
	{
		struct audit_actor who = web_actor(r, w);
		if ((rc = pay_batch_exported(w->db, r->a, &who, b.id, xlsx ? "xlsx" : "csv")) !=
		    DOMAIN_OK) {
			page_fail(r, w, rc);
			return;
		}
	}
	resp_header(r, "Content-Disposition",
	            arena_printf(r->a, "attachment; filename=\"payment-batch-%" PRId64 ".%s\"",
	                         b.id, xlsx ? "xlsx" : "csv"));
	resp_header(r, "Cache-Control", "no-store");
	resp_text(r, 200, xlsx ? XLSX_TYPE : CSV_TYPE, sbuf_sv(&out));
}

void web_pay_batch_csv(req *r, struct web *w)
{
	batch_download(r, w, false);
}

void web_pay_batch_xlsx(req *r, struct web *w)
{
	batch_download(r, w, true);
}

void web_pay_batch_paid(req *r, struct web *w)
{
	struct pay_batch b;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int access, rc;

	if (!batch_load(r, w, &b, &access))
		return;
	if (access != PAY_ACCESS_LEAD) {
		page_error(r, w, 403);
		return;
	}
	field_errors_init(&fe);
	rc =
	    pay_batch_mark_paid(w->db, r->a, &who, b.id, kv_get(&r->form, "paid_on_day"),
	                        kv_get(&r->form, "paid_on_month"), kv_get(&r->form, "paid_on_year"),
	                        kv_get(&r->form, "over_reason"), &fe);
	if (rc == DOMAIN_OK) {
		resp_redirect(r,
		              arena_printf(r->a, "/payments/batches/%" PRId64 "?done=paid", b.id));
		return;
	}
	if (rc == DOMAIN_ECONFLICT) {
		page_error(r, w, 409);
		return;
	}
	if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	batch_page(r, w, 400, &b, access, &fe);
}

/* --- A person's own payments and choice -------------------------------------------------- */

/* The person these pages are about: the one a facilitator is acting for, or oneself. */
static int64_t own_account(const struct web *w, const char **name)
{
	if (w->sess->acting_for) {
		*name = w->sess->acting_for_name;
		return w->sess->acting_for;
	}
	*name = w->sess->display_name;
	return w->sess->account_id;
}

static void year_notes(req *r, tval *m, const struct pay_year *y)
{
	tval *notes = tv_list(r->a);
	if (y->payment_pence > 0) {
		tval *n = tv_map(r->a);
		tv_set_str(n, "text",
		           "Payments and vouchers count as income. If you get benefits, "
		           "you may need to tell the Department for Work and Pensions "
		           "(DWP) or your council about them. Expenses paid back at cost "
		           "do not count as income.");
		tv_push(notes, n);
	}
	if (y->max_week_pence > ESA_LOWER_LIMIT_PENCE) {
		tval *n = tv_map(r->a);
		tv_set_str(
		    n, "text",
		    arena_printf(r->a,
		                 "In at least one week you were paid more than £20 (the most "
		                 "in one week was %s). If you get Employment and Support "
		                 "Allowance (ESA), the permitted work rules allow up to £20 a "
		                 "week; more than that, up to £195.50 a week from April 2025 "
		                 "(£183.50 in 2024 to 2025) and under 16 hours a week, needs "
		                 "form PW1. Universal Credit has no permitted work rules: "
		                 "earnings count through its work allowance and taper.",
		                 money_text(r->a, y->max_week_pence)));
		tv_push(notes, n);
	}
	if (y->max_week_pence > ESA_HIGHER_LIMIT_PENCE) {
		tval *n = tv_map(r->a);
		tv_set_str(n, "text",
		           "In at least one week you were paid more than £195.50, the "
		           "higher limit for permitted work on ESA from April 2025. "
		           "Talk to a benefits adviser.");
		tv_push(notes, n);
	}
	if (y->payment_pence > SELF_ASSESSMENT_PENCE) {
		tval *n = tv_map(r->a);
		tv_set_str(n, "text",
		           "You were paid more than £1,000 this tax year. Some guidance "
		           "says you then need to fill in a Self Assessment tax return. "
		           "We have not been able to confirm this: ask HM Revenue and "
		           "Customs or a benefits adviser.");
		tv_set_bool(n, "uncertain", true);
		tv_push(notes, n);
	}
	tv_set(m, "notes", notes);
	tv_set_bool(m, "has_notes", tv_len(notes) > 0);
}

void web_pay_mine(req *r, struct web *w)
{
	const char *name;
	int64_t me = own_account(w, &name);
	struct pay_claim *claims;
	struct pay_choice ch;
	struct date start, end, today = date_today();
	size_t n;
	tval *list = tv_list(r->a), *years = tv_list(r->a);
	int rc = pay_claims_of(w->db, r->a, me, &claims, &n);

	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++)
		tv_push(list, claim_value(r, &claims[i]));
	tv_set(w->page, "claims", list);
	tv_set_bool(w->page, "has_claims", n > 0);
	rc = pay_choice_current(w->db, r->a, me, &ch);
	if (rc == DOMAIN_OK) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "method", pay_method_label(ch.method));
		tv_set_str(m, "charity", ch.charity_name);
		tv_set_str(m, "chosen", day_text(r->a, ch.chosen_at));
		tv_set(w->page, "choice", m);
	} else if (rc != DOMAIN_ENOTFOUND) {
		page_fail(r, w, rc);
		return;
	}
	/* This tax year, then each earlier one in which something was paid. */
	pay_tax_year(today, &start, &end);
	for (int i = 0; i < TAX_YEARS_SHOWN; i++) {
		struct pay_year y;
		char inside[11];
		tval *m;
		pay_date_iso(start, inside);
		if ((rc = pay_year_of(w->db, me, inside, &y)) != DOMAIN_OK) {
			page_fail(r, w, rc);
			return;
		}
		if (i == 0 || y.payment_pence || y.expenses_pence) {
			m = tv_map(r->a);
			tv_set_str(m, "year",
			           arena_printf(r->a, "6 April %d to 5 April %d", start.y, end.y));
			tv_set_bool(m, "current", i == 0);
			tv_set_str(m, "payment", money_text(r->a, y.payment_pence));
			tv_set_str(m, "expenses", money_text(r->a, y.expenses_pence));
			year_notes(r, m, &y);
			tv_push(years, m);
		}
		start.y--;
		end.y--;
	}
	tv_set(w->page, "years", years);
	tv_set_str(w->page, "person", name);
	tv_set_bool(w->page, "acting", w->sess->acting_for != 0);
	tv_set_bool(w->page, "professional",
	            !w->sess->acting_for && w->sess->role != ROLE_LOCAL_PERSON);
	tv_set_str(w->page, "ref", pay_person_ref(r->a, me));
	if (sv_eq_cstr(kv_get(&r->query, "done"), "chosen"))
		page_notice(w, "Your choice has been saved.");
	page_render(r, w, 200, "payment_mine", "Your payments");
}

static const char *const choice_fields[] = {"method", "charity_name", NULL};

static void choice_page(req *r, struct web *w, int status, int64_t person, const char *name,
                        const char *action, const char *back, bool for_other,
                        const struct field_errors *fe)
{
	struct pay_choice ch;
	int rc = pay_choice_current(w->db, r->a, person, &ch);
	sv method = r->method == HTTP_POST ? kv_get(&r->form, "method")
	                                   : sv_from(rc == DOMAIN_OK ? ch.method : NULL);
	tval *opts = tv_list(r->a);
	static const char *const slugs[] = {"bank-transfer", "voucher", "cash", "charity",
	                                    "decline"};
	static const char *const hints[] = {
	    "Finance pays it into your bank account. They hold your bank details, not coprod.",
	    "A shopping voucher. Vouchers count as income, just like money.",
	    "Paid to you in cash at a session, with a receipt for you to sign.",
	    "We pay it to a charity you name, instead of to you.",
	    "You take part without being paid. We can still pay your expenses back."};

	if (rc != DOMAIN_OK && rc != DOMAIN_ENOTFOUND) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < sizeof(slugs) / sizeof(slugs[0]); i++) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "value", slugs[i]);
		tv_set_str(m, "label", pay_method_label(slugs[i]));
		tv_set_str(m, "hint", hints[i]);
		tv_set_str(m, "id", i == 0 ? "method" : arena_printf(r->a, "method-%zu", i + 1));
		tv_set_bool(m, "checked", sv_eq_cstr(method, slugs[i]));
		tv_push(opts, m);
	}
	tv_set(w->page, "options", opts);
	page_form_errors(r, w, fe, choice_fields);
	if (r->method != HTTP_POST && rc == DOMAIN_OK) {
		tval *v = tv_map(r->a);
		tv_set_str(v, "charity_name", ch.charity_name);
		tv_set(w->page, "values", v);
	}
	if (rc == DOMAIN_OK) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "method", pay_method_label(ch.method));
		tv_set_str(m, "chosen", day_text(r->a, ch.chosen_at));
		tv_set(w->page, "current", m);
	}
	tv_set_str(w->page, "person", name);
	tv_set_bool(w->page, "for_other", for_other);
	tv_set_str(w->page, "ref", pay_person_ref(r->a, person));
	tv_set_str(w->page, "action", action);
	tv_set_str(w->page, "back_href", back);
	tv_set_int(w->page, "notice_version", PAY_NOTICE_VERSION);
	page_render(r, w, status, "payment_choice",
	            for_other ? arena_printf(r->a, "How %s would like to be paid", name)
	                      : "How you would like to be paid");
}

void web_pay_choice(req *r, struct web *w)
{
	const char *name;
	int64_t me = own_account(w, &name);
	choice_page(r, w, 200, me, name, "/account/payments/choice", "/account/payments",
	            w->sess->acting_for != 0, NULL);
}

void web_pay_choice_save(req *r, struct web *w)
{
	const char *name;
	int64_t me = own_account(w, &name);
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int rc;

	field_errors_init(&fe);
	rc = pay_choice_record(w->db, r->a, &who, me, kv_get(&r->form, "method"),
	                       kv_get(&r->form, "charity_name"), &fe);
	if (rc == DOMAIN_OK) {
		resp_redirect(r, "/account/payments?done=chosen");
		return;
	}
	if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	choice_page(r, w, 400, me, name, "/account/payments/choice", "/account/payments",
	            w->sess->acting_for != 0, &fe);
}

/* A facilitator recording the choice of someone in their programme, with them. */
static bool choice_for_load(req *r, struct web *w, struct programme *p, int64_t *person,
                            char **name)
{
	int rc;
	if (!money_programme(r, w, p, NULL))
		return false;
	*person = board_path_id(w, "id");
	rc = *person ? pay_programme_person(w->db, r->a, p->id, *person, name) : DOMAIN_ENOTFOUND;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return false;
	}
	return true;
}

void web_pay_choice_for(req *r, struct web *w)
{
	struct programme p;
	int64_t person;
	char *name;
	if (!choice_for_load(r, w, &p, &person, &name))
		return;
	choice_page(r, w, 200, person, name,
	            arena_printf(r->a, "/programmes/%s/payments/choices/%" PRId64, p.slug, person),
	            arena_printf(r->a, "/programmes/%s/payments", p.slug), true, NULL);
}

void web_pay_choice_for_save(req *r, struct web *w)
{
	struct programme p;
	int64_t person;
	char *name;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int rc;

	if (!choice_for_load(r, w, &p, &person, &name))
		return;
	/* Audited as the facilitator, on behalf of the person whose choice it is. */
	who.on_behalf_of = person;
	field_errors_init(&fe);
	rc = pay_choice_record(w->db, r->a, &who, person, kv_get(&r->form, "method"),
	                       kv_get(&r->form, "charity_name"), &fe);
	if (rc == DOMAIN_OK) {
		resp_redirect(
		    r, arena_printf(r->a, "/programmes/%s/payments?done=chosen#people", p.slug));
		return;
	}
	if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	choice_page(r, w, 400, person, name,
	            arena_printf(r->a, "/programmes/%s/payments/choices/%" PRId64, p.slug, person),
	            arena_printf(r->a, "/programmes/%s/payments", p.slug), true, &fe);
}

/* --- Home ------------------------------------------------------------------------------ */

void home_payments(req *r, struct web *w)
{
	tval *m = tv_map(r->a);
	if (!w->sess)
		return;
	if (web_has_role(w, ROLE_LOCAL_PERSON)) {
		struct pay_choice ch;
		int rc = pay_choice_current(w->db, r->a, w->sess->account_id, &ch);
		if (rc != DOMAIN_OK && rc != DOMAIN_ENOTFOUND)
			return;
		tv_set_bool(m, "local", true);
		tv_set_bool(m, "chosen", rc == DOMAIN_OK);
		tv_set_str(m, "method", rc == DOMAIN_OK ? pay_method_label(ch.method) : "");
	}
	if (web_has_role(w, ROLE_PROGRAMME_LEAD)) {
		struct payments_totals t;
		if (payments_totals(w->db, r->a, 0, "0000-01-01", "9999-12-31", &t) != DOMAIN_OK)
			return;
		tv_set_bool(m, "lead", true);
		tv_set_int(m, "waiting", t.claims_by_status[PAY_SUBMITTED]);
		tv_set_int(m, "approved", t.claims_by_status[PAY_APPROVED]);
	}
	if (web_has_role(w, ROLE_FACILITATOR))
		tv_set_bool(m, "facilitator", true);
	tv_set(w->page, "payments_home", m);
}
