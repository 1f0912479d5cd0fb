/* demo_payments.c: the demo's payment policy, choices, claims, batches and a reversal;
 * see demo_payments.h. Every name is invented. */
#include "domain/demo_payments.h"

#include <string.h>

#include "domain/accounts.h"
#include "domain/payments.h"
#include "domain/programmes.h"

static int64_t account_by_name(db *d, const char *name)
{
	int64_t id = 0;
	db_stmt *st = db_prepare(d, "SELECT id FROM accounts WHERE display_name = ?");
	if (!st)
		return 0;
	db_bind_text(st, 1, name);
	if (db_step(st) == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	return id;
}

static int64_t account_by_email(db *d, arena *a, const char *email)
{
	struct account acc;
	return account_get_by_email(d, a, sv_from(email), &acc) == DOMAIN_OK ? acc.id : 0;
}

static int policy(db *d, arena *a, const struct audit_actor *lead, int64_t programme,
                  const char *day, const char *month, const char *year, const char *rate)
{
	struct pay_policy_in in;
	struct field_errors fe;
	memset(&in, 0, sizeof(in));
	in.programme_id = programme;
	in.day = sv_from(day);
	in.month = sv_from(month);
	in.year = sv_from(year);
	in.rate_kind = SV("hour");
	in.rate = sv_from(rate);
	in.prep_hours = SV("1");
	in.prep_rate = sv_from(rate);
	in.expenses_rules = SV("Bus and tram fares, and carer or childcare cover, paid back at "
	                       "cost with a receipt or ticket number. Taxis only when agreed "
	                       "first, for access needs.");
	in.role_name[0] = SV("Co-chair");
	in.role_amount[0] = SV("20");
	in.role_name[1] = SV("Speaking at the Health and Wellbeing Board");
	in.role_amount[1] = SV("50");
	field_errors_init(&fe);
	return pay_policy_add_tx(d, a, lead, &in, &fe, NULL);
}

static const struct {
	const char *name, *method, *charity;
} choices[] = {
    {"Demo Local Person Amina", "bank-transfer", ""},
    {"Demo Assisted Person Joe", "cash", ""},
    {"Demo Young Adult Kai", "voucher", ""},
    {"Demo Young Adult Leah", "decline", ""},
    {"Demo Young Adult Marcus", "charity", "Demo Salford Food Bank"},
    {"Demo Young Adult Nadia", "bank-transfer", ""},
    {"Demo Young Adult Owen", "bank-transfer", ""},
    {"Demo Young Adult Precious", "voucher", ""},
    {"Demo Young Adult Reece", "bank-transfer", ""},
    {"Demo Young Adult Sana", "bank-transfer", ""},
    {"Demo Young Adult Tyler", "cash", ""},
    {"Demo Young Adult Zainab", "bank-transfer", ""},
};

/* The claim's timestamps as they would have been: submitted two days after the session
 * and approved a week after it, rather than the day the demo was made. */
static int backdate(db *d, int64_t claim, const char *session_date, bool approved)
{
	struct date sd;
	char sub[11], app[11];
	char *subts, *appts;
	db_stmt *st;
	int rc;
	arena *a;

	if (date_parse((sv){session_date, 10}, &sd) != 0)
		return DOMAIN_OK;
	pay_date_iso(date_add_days(sd, 2), sub);
	pay_date_iso(date_add_days(sd, 7), app);
	a = arena_new(4096);
	if (!a)
		return DB_ERR;
	subts = arena_printf(a, "%sT10:00:00Z", sub);
	appts = arena_printf(a, "%sT10:00:00Z", app);
	st = db_prepare(d, "UPDATE payment_claims SET created_at = ?, submitted_at = ?, "
	                   "approved_at = CASE WHEN approved_at IS NULL THEN NULL ELSE ? END, "
	                   "updated_at = ? WHERE id = ?");
	if (!st || !subts || !appts) {
		arena_free(a);
		return DB_ERR;
	}
	db_bind_text(st, 1, subts);
	db_bind_text(st, 2, subts);
	db_bind_text(st, 3, appts);
	db_bind_text(st, 4, approved ? appts : subts);
	db_bind_int(st, 5, claim);
	rc = db_step(st);
	db_done(st);
	arena_free(a);
	return rc == DB_DONE ? DOMAIN_OK : DB_ERR;
}

/* When the batch was made, and sent to finance the same day by the lead. */
static int batch_dates(db *d, int64_t batch, const char *made, int64_t lead)
{
	int rc;
	db_stmt *st = db_prepare(d, "UPDATE payment_batches SET created_at = ?, exported_at = ?, "
	                            "exported_by = ? WHERE id = ?");
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, made);
	db_bind_text(st, 2, made);
	db_bind_int(st, 3, lead);
	db_bind_int(st, 4, batch);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? DOMAIN_OK : DB_ERR;
}

/* Claims for every proposal with a session in [FROM, TO): submitted, and approved when
 * APPROVE. Returns the number made in *N. */
static int claim_period(db *d, arena *a, const struct audit_actor *fac,
                        const struct audit_actor *lead, int64_t programme, int64_t amina,
                        const char *from, const char *to, bool approve, int *n)
{
	struct pay_proposal *props;
	size_t np;
	int rc = pay_proposals(d, a, programme, &props, &np);
	if (rc != DOMAIN_OK)
		return rc;
	*n = 0;
	/* Oldest first, as the facilitator would have done them. */
	for (size_t k = np; k-- > 0;) {
		const struct pay_proposal *q = &props[k];
		struct pay_claim_in in;
		struct field_errors fe;
		int64_t id;
		if (q->declined || !q->method[0] || !q->policy_version ||
		    strcmp(q->session_date, from) < 0 || strcmp(q->session_date, to) >= 0)
			continue;
		memset(&in, 0, sizeof(in));
		in.account_id = q->account_id;
		in.session_id = q->session_id;
		if (strcmp(q->method, "cash") == 0) {
			/* People paid in cash also came by bus. */
			in.travel = SV("4.80");
			in.travel_receipt = SV("Demo bus ticket");
		}
		if (q->account_id == amina && strcmp(q->session_date, "2022-06-01") >= 0) {
			struct pay_policy pol;
			if ((rc = pay_policy_in_force(d, a, programme, q->session_date, &pol)) !=
			    DOMAIN_OK)
				return rc;
			for (size_t i = 0; i < pol.n_roles; i++)
				if (strcmp(pol.roles[i].name, "Co-chair") == 0)
					in.role_ids[in.n_roles++] = pol.roles[i].id;
			in.prep_hours = SV("1");
		}
		field_errors_init(&fe);
		if ((rc = pay_claim_submit_tx(d, a, fac, programme, &in, &fe, &id)) != DOMAIN_OK)
			return rc;
		if (approve && (rc = pay_claim_approve_tx(d, a, lead, id)) != DOMAIN_OK)
			return rc;
		if ((rc = backdate(d, id, q->session_date, approve)) != DOMAIN_OK)
			return rc;
		(*n)++;
	}
	return DOMAIN_OK;
}

static int first_claim_of(db *d, int64_t account, int64_t *id)
{
	int rc;
	db_stmt *st = db_prepare(d, "SELECT c.id FROM payment_claims c JOIN group_sessions s ON "
	                            "s.id = c.session_id WHERE c.account_id = ? AND c.status = ? "
	                            "ORDER BY s.starts_at LIMIT 1");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, account);
	db_bind_text(st, 2, "paid");
	rc = db_step(st);
	*id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? DOMAIN_OK : rc;
}

static int last_submitted(db *d, int64_t *id)
{
	int rc;
	db_stmt *st = db_prepare(d, "SELECT id FROM payment_claims WHERE status = 'submitted' "
	                            "ORDER BY id LIMIT 1");
	if (!st)
		return DB_ERR;
	rc = db_step(st);
	*id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? DOMAIN_OK : rc;
}

int demo_load_payments(db *d, arena *a)
{
	struct programme p;
	struct audit_actor lead = {0, 0, NULL}, fac = {0, 0, NULL};
	struct field_errors fe;
	int64_t amina, kai, batch, claim;
	int rc, n;

	rc = programme_get_by_slug(d, a, "young-adults", &p);
	if (rc == DOMAIN_ENOTFOUND)
		return DOMAIN_OK;
	if (rc != DOMAIN_OK)
		return rc;
	lead.account_id = account_by_email(d, a, "programme.lead@example.org");
	fac.account_id = account_by_email(d, a, "facilitator@example.org");
	if (!lead.account_id || !fac.account_id)
		return DOMAIN_OK;
	if ((rc = policy(d, a, &lead, p.id, "1", "12", "2021", "15")) != DOMAIN_OK ||
	    (rc = policy(d, a, &lead, p.id, "6", "4", "2022", "16")) != DOMAIN_OK)
		return rc;

	for (size_t i = 0; i < sizeof(choices) / sizeof(choices[0]); i++) {
		int64_t who = account_by_name(d, choices[i].name);
		struct audit_actor by = fac;
		if (!who)
			continue;
		by.on_behalf_of = who;
		field_errors_init(&fe);
		if ((rc = pay_choice_record_tx(d, a, &by, who, sv_from(choices[i].method),
		                               sv_from(choices[i].charity), &fe)) != DOMAIN_OK)
			return rc;
	}
	/* People chose at their induction, before the first session. */
	{
		db_stmt *st = db_prepare(d, "UPDATE payment_choices SET chosen_at = ?");
		if (!st)
			return DB_ERR;
		db_bind_text(st, 1, "2021-12-07T17:30:00Z");
		rc = db_step(st);
		db_done(st);
		if (rc != DB_DONE)
			return DB_ERR;
	}
	amina = account_by_name(d, "Demo Local Person Amina");
	kai = account_by_name(d, "Demo Young Adult Kai");

	/* Batch 1: sessions to March 2022, paid before the tax year ended. */
	if ((rc = claim_period(d, a, &fac, &lead, p.id, amina, "2021-01-01", "2022-04-01", true,
	                       &n)) != DOMAIN_OK)
		return rc;
	if (n) {
		if ((rc = pay_batch_create_tx(d, a, &lead, p.id, &batch)) != DOMAIN_OK ||
		    (rc = batch_dates(d, batch, "2022-03-28T10:00:00Z", lead.account_id)) !=
		        DOMAIN_OK ||
		    (rc = pay_batch_mark_paid_tx(d, a, &lead, batch, "2022-03-31",
		                                 SV("Agreed by the programme lead when the batch "
		                                    "was paid"),
		                                 &fe)) != DOMAIN_OK)
			return rc;
	}
	/* Batch 2: April to June 2022. */
	if ((rc = claim_period(d, a, &fac, &lead, p.id, amina, "2022-04-01", "2022-07-01", true,
	                       &n)) != DOMAIN_OK)
		return rc;
	if (n) {
		if ((rc = pay_batch_create_tx(d, a, &lead, p.id, &batch)) != DOMAIN_OK ||
		    (rc = batch_dates(d, batch, "2022-07-11T10:00:00Z", lead.account_id)) !=
		        DOMAIN_OK ||
		    (rc = pay_batch_mark_paid_tx(d, a, &lead, batch, "2022-07-15",
		                                 SV("Agreed by the programme lead when the batch "
		                                    "was paid"),
		                                 &fe)) != DOMAIN_OK)
			return rc;
	}
	/* Batch 3: July to September 2022, with finance, not paid yet. */
	if ((rc = claim_period(d, a, &fac, &lead, p.id, amina, "2022-07-01", "2022-10-01", true,
	                       &n)) != DOMAIN_OK)
		return rc;
	if (n &&
	    ((rc = pay_batch_create_tx(d, a, &lead, p.id, &batch)) != DOMAIN_OK ||
	     (rc = batch_dates(d, batch, "2022-10-10T10:00:00Z", lead.account_id)) != DOMAIN_OK))
		return rc;
	/* October 2022: submitted and waiting; one returned. */
	if ((rc = claim_period(d, a, &fac, &lead, p.id, amina, "2022-10-01", "2022-11-01", false,
	                       &n)) != DOMAIN_OK)
		return rc;
	if ((rc = last_submitted(d, &claim)) != DOMAIN_OK)
		return rc;
	field_errors_init(&fe);
	if (claim && (rc = pay_claim_return_tx(d, a, &lead, claim,
	                                       SV("The register says they left at the break: "
	                                          "please check the hours with them."),
	                                       &fe)) != DOMAIN_OK)
		return rc;
	/* Kai was also paid in cash at the first session: the voucher is reversed. */
	if ((rc = first_claim_of(d, kai, &claim)) != DOMAIN_OK)
		return rc;
	if (claim && (rc = pay_claim_reverse_tx(d, a, &lead, claim, "2022-04-20",
	                                        SV("Paid twice: Kai was also given cash at the "
	                                           "session. Recovered in person."),
	                                        &fe)) != DOMAIN_OK)
		return rc;
	return DOMAIN_OK;
}
