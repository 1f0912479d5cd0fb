/* claims.c: claims for payment from attendance, their approval by a second person, and
 * reversals of paid claims; see payments.h. */
#include <inttypes.h>
#include <string.h>

#include "core/money.h"
#include "domain/budget.h"
#include "domain/payments_impl.h"
#include "domain/record.h"
#include "domain/sessions.h"

/* Minutes since 1970 of a local "YYYY-MM-DDTHH:MM"; -1 if malformed. */
static int64_t local_minutes(const char *at)
{
	struct date dt;
	int mins;
	if (!at || strlen(at) < 16 || at[10] != 'T' || date_parse((sv){at, 10}, &dt) != 0 ||
	    time_parse((sv){at + 11, 5}, &mins) != 0)
		return -1;
	return date_to_days(dt) * 24 * 60 + mins;
}

/* --- Proposals ------------------------------------------------------------------------ */

#define PROPOSAL_SELECT                                                                            \
	"SELECT a.account_id, ac.display_name, s.id, s.title, s.starts_at, s.ends_at FROM "        \
	"attendance a JOIN group_sessions s ON s.id = a.session_id JOIN working_groups g ON "      \
	"g.id = s.group_id JOIN accounts ac ON ac.id = a.account_id WHERE g.programme_id = ? "     \
	"AND a.status = 'present' AND ac.role = 'local_person' AND s.status <> 'cancelled' "

/* Fills P from a PROPOSAL_SELECT row; proposal_price adds the policy and choice. */
static int proposal_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct pay_proposal *p = item;
	int64_t start, end;
	memset(p, 0, sizeof(*p));
	p->account_id = db_col_int(st, 0);
	p->person_name = db_col_dup(st, 1, a);
	p->session_id = db_col_int(st, 2);
	p->session_title = db_col_dup(st, 3, a);
	p->session_date = arena_strndup(a, db_col_text(st, 4), 10);
	start = local_minutes(db_col_text(st, 4));
	end = local_minutes(db_col_text(st, 5));
	p->minutes = start >= 0 && end > start ? end - start : 0;
	return p->person_name && p->session_date ? DB_OK : DB_ERR;
}

/* Works out the policy, choice and amount of a filled proposal. */
static int proposal_price(db *d, arena *a, int64_t programme_id, struct pay_proposal *p)
{
	struct pay_policy pol;
	struct pay_choice ch;
	int rc = pay_choice_current(d, a, p->account_id, &ch);
	if (rc != DOMAIN_OK && rc != DOMAIN_ENOTFOUND)
		return rc;
	p->method = rc == DOMAIN_OK ? ch.method : arena_strdup(a, "");
	p->declined = rc == DOMAIN_OK && strcmp(ch.method, "decline") == 0;
	rc = pay_policy_in_force(d, a, programme_id, p->session_date, &pol);
	if (rc == DOMAIN_ENOTFOUND)
		return DOMAIN_OK;
	if (rc != DOMAIN_OK)
		return rc;
	p->policy_version = pol.version;
	if (!p->declined)
		p->payment_pence = strcmp(pol.rate_kind, "hour") == 0
		                       ? pay_hours_amount(p->minutes, pol.rate_pence)
		                       : pol.rate_pence;
	return DOMAIN_OK;
}

int pay_proposals(db *d, arena *a, int64_t programme_id, struct pay_proposal **out, size_t *n)
{
	int rc;
	db_stmt *st =
	    db_prepare(d, PROPOSAL_SELECT
	               "AND NOT EXISTS (SELECT 1 FROM payment_claims c WHERE "
	               "c.account_id = a.account_id AND c.session_id = s.id) ORDER BY "
	               "s.starts_at DESC, ac.display_name LIMIT 500");
	db_bind_int(st, 1, programme_id);
	if ((rc = db_collect(st, a, sizeof(**out), proposal_row, NULL, out, n)) != DB_OK)
		return rc;
	for (size_t i = 0; i < *n; i++)
		if ((rc = proposal_price(d, a, programme_id, &(*out)[i])) != DOMAIN_OK)
			return rc;
	return DOMAIN_OK;
}

int pay_proposal_get(db *d, arena *a, int64_t programme_id, int64_t account_id, int64_t session_id,
                     struct pay_proposal *out)
{
	int rc;
	db_stmt *st = db_prepare(d, PROPOSAL_SELECT "AND a.account_id = ? AND s.id = ?");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, account_id);
	db_bind_int(st, 3, session_id);
	rc = db_one(st, a, proposal_row, NULL, out);
	if (rc == DB_DONE)
		return DOMAIN_ENOTFOUND;
	if (rc != DB_OK)
		return rc;
	return proposal_price(d, a, programme_id, out);
}

/* --- Checking a claim ------------------------------------------------------------------ */

struct checked {
	struct pay_proposal prop;
	struct pay_policy pol;
	struct pay_choice choice;
	struct pay_item items[3 + PAY_ROLES_MAX];
	size_t n_items;
};

/* Is there a live claim for the person and session other than EXCEPT? 1, 0 or <0. */
static int live_claim(db *d, int64_t account_id, int64_t session_id, int64_t except)
{
	int rc;
	db_stmt *st = db_prepare(d, "SELECT 1 FROM payment_claims WHERE account_id = ? AND "
	                            "session_id = ? AND status <> 'reversed' AND id <> ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, account_id);
	db_bind_int(st, 2, session_id);
	db_bind_int(st, 3, except);
	rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc;
}

static void add_item(struct checked *c, const char *kind, const char *description, int64_t minutes,
                     const char *expense_kind, const char *receipt, int64_t amount)
{
	struct pay_item *it = &c->items[c->n_items++];
	it->kind = (char *)kind;
	it->description = (char *)description;
	it->minutes = minutes;
	it->expense_kind = (char *)expense_kind;
	it->receipt_ref = (char *)(receipt ? receipt : "");
	it->amount_pence = amount;
}

static void check_expense(arena *a, struct checked *c, sv amount_text, sv receipt_text,
                          const char *field, const char *receipt_field, const char *kind,
                          const char *description, struct field_errors *fe, int *rc)
{
	int local = DOMAIN_OK;
	int64_t amount = pay_amount(amount_text, field,
	                            "The amount must be in pounds and pence, like 4.80, and not "
	                            "less than zero",
	                            fe, &local);
	sv receipt = pay_text(receipt_text, PAY_REF_MAX, receipt_field, NULL,
	                      "The receipt reference must be 100 characters or fewer", fe, &local);
	if (local != DOMAIN_OK) {
		*rc = local;
		return;
	}
	if (amount == 0)
		return;
	if (!receipt.len) {
		field_error_add(fe, receipt_field,
		                "Enter the receipt reference, or 'none' with the reason, like "
		                "'none: bus fare'");
		*rc = DOMAIN_EINVALID;
		return;
	}
	add_item(c, "expense", description, 0, kind, sv_dup(a, receipt), amount);
}

/* Validates a claim and works out its parts. EXCEPT is the claim being corrected (0 for
 * a new one), and POLICY_ID the version it was made under (0: the one in force on the
 * session's date). */
static int claim_check(db *d, arena *a, int64_t programme_id, const struct pay_claim_in *in,
                       int64_t except, int64_t policy_id, struct field_errors *fe,
                       struct checked *c)
{
	int rc = DOMAIN_OK, r;
	int64_t minutes = 0, prep = 0;
	char *date_text;
	bool declined;

	memset(c, 0, sizeof(*c));
	r = pay_proposal_get(d, a, programme_id, in->account_id, in->session_id, &c->prop);
	if (r == DOMAIN_ENOTFOUND) {
		field_error_add(fe, "session",
		                "They were not marked present at this session, so "
		                "there is nothing to claim");
		return DOMAIN_EINVALID;
	}
	if (r != DOMAIN_OK)
		return r;
	if ((r = live_claim(d, in->account_id, in->session_id, except)) < 0)
		return r;
	if (r) {
		field_error_add(fe, "session",
		                "A claim for this person and session has already "
		                "been made: find it in the list of claims");
		return DOMAIN_EINVALID;
	}
	r = pay_choice_current(d, a, in->account_id, &c->choice);
	if (r == DOMAIN_ENOTFOUND) {
		field_error_add(fe, "session",
		                "Record how they would like to be paid before "
		                "making a claim");
		return DOMAIN_EINVALID;
	}
	if (r != DOMAIN_OK)
		return r;
	/* Declining payment is for their time: expenses are still paid back. */
	declined = strcmp(c->choice.method, "decline") == 0;
	r = policy_id ? pay_policy_get(d, a, policy_id, &c->pol)
	              : pay_policy_in_force(d, a, programme_id, c->prop.session_date, &c->pol);
	if (r == DOMAIN_ENOTFOUND) {
		field_error_add(fe, "session",
		                "No payment policy was in force on the day of this "
		                "session: a programme lead adds one first");
		return DOMAIN_EINVALID;
	}
	if (r != DOMAIN_OK)
		return r;

	if (declined)
		goto expenses;
	if (!sv_trim(in->hours).len)
		minutes = c->prop.minutes;
	else if (pay_hours_parse(in->hours, &minutes) != 0 || minutes == 0) {
		field_error_add(fe, "hours",
		                "Hours must be a number more than 0 and up to 12, "
		                "like 2 or 2.5");
		rc = DOMAIN_EINVALID;
	}
	if (sv_trim(in->prep_hours).len && pay_hours_parse(in->prep_hours, &prep) != 0) {
		field_error_add(fe, "prep_hours",
		                "Preparation time must be a number of hours, "
		                "like 1 or 0.5");
		rc = DOMAIN_EINVALID;
	} else if (prep > c->pol.prep_max_minutes) {
		field_error_add(fe, "prep_hours",
		                c->pol.prep_max_minutes
		                    ? "Preparation time is more than the policy pays for"
		                    : "This payment policy does not pay for preparation time");
		rc = DOMAIN_EINVALID;
	}
	if (rc == DOMAIN_OK) {
		date_text = c->prop.session_title;
		if (strcmp(c->pol.rate_kind, "hour") == 0)
			add_item(c, "attendance", date_text, minutes, NULL, NULL,
			         pay_hours_amount(minutes, c->pol.rate_pence));
		else
			add_item(c, "attendance", date_text, minutes, NULL, NULL,
			         c->pol.rate_pence);
		if (prep)
			add_item(c, "preparation", "Preparation", prep, NULL, NULL,
			         pay_hours_amount(prep, c->pol.prep_rate_pence));
	}
	for (size_t i = 0; i < in->n_roles && i < PAY_ROLES_MAX; i++) {
		bool found = false;
		for (size_t j = 0; j < c->pol.n_roles; j++) {
			if (c->pol.roles[j].id != in->role_ids[i])
				continue;
			found = true;
			add_item(c, "role", c->pol.roles[j].name, 0, NULL, NULL,
			         c->pol.roles[j].amount_pence);
		}
		if (!found) {
			field_error_add(fe, "roles",
			                "Select only the extra roles the policy pays for");
			rc = DOMAIN_EINVALID;
		}
	}
expenses:
	check_expense(a, c, in->travel, in->travel_receipt, "travel", "travel_receipt", "travel",
	              "Travel", fe, &rc);
	check_expense(a, c, in->care, in->care_receipt, "care", "care_receipt", "care",
	              "Carer or childcare cover", fe, &rc);
	if (declined && rc == DOMAIN_OK && c->n_items == 0) {
		field_error_add(fe, "travel",
		                "They chose not to be paid for their time, so enter the expenses "
		                "to pay back: travel, or carer or childcare cover");
		rc = DOMAIN_EINVALID;
	}
	return rc;
}

static int items_write(db *d, int64_t claim_id, const struct checked *c)
{
	for (size_t i = 0; i < c->n_items; i++) {
		const struct pay_item *it = &c->items[i];
		int rc;
		db_stmt *st = db_prepare(d, "INSERT INTO payment_claim_items (claim_id, kind, "
		                            "description, minutes, expense_kind, receipt_ref, "
		                            "amount_pence) VALUES (?, ?, ?, ?, ?, ?, ?)");
		if (!st)
			return DB_ERR;
		db_bind_int(st, 1, claim_id);
		db_bind_text(st, 2, it->kind);
		db_bind_text(st, 3, it->description);
		db_bind_int(st, 4, it->minutes);
		db_bind_text(st, 5, it->expense_kind);
		db_bind_text(st, 6, it->receipt_ref);
		db_bind_int(st, 7, it->amount_pence);
		if ((rc = pay_step_done(st)) != DOMAIN_OK)
			return rc;
	}
	return DOMAIN_OK;
}

static int64_t items_total(const struct checked *c)
{
	int64_t t = 0;
	for (size_t i = 0; i < c->n_items; i++)
		t += c->items[i].amount_pence;
	return t;
}

/* --- Submitting, approving, returning, reversing --------------------------------------- */

int pay_claim_submit_tx(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
                        const struct pay_claim_in *in, struct field_errors *fe, int64_t *id)
{
	struct checked c;
	char now[ISO_TIME_LEN];
	int64_t new_id;
	db_stmt *st;
	int rc = claim_check(d, a, programme_id, in, 0, 0, fe, &c);

	if (rc != DOMAIN_OK)
		return rc;
	db_now_iso(now, 0);
	st = db_prepare(d, "INSERT INTO payment_claims (account_id, session_id, programme_id, "
	                   "policy_id, status, method, charity_name, created_by, created_at, "
	                   "submitted_by, submitted_at, updated_at) VALUES (?, ?, ?, ?, "
	                   "'submitted', ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, in->account_id);
	db_bind_int(st, 2, in->session_id);
	db_bind_int(st, 3, programme_id);
	db_bind_int(st, 4, c.pol.id);
	db_bind_text(st, 5, c.choice.method);
	db_bind_text(st, 6, c.choice.charity_name);
	if (who->account_id) {
		db_bind_int(st, 7, who->account_id);
		db_bind_int(st, 9, who->account_id);
	} else {
		db_bind_null(st, 7);
		db_bind_null(st, 9);
	}
	db_bind_text(st, 8, now);
	db_bind_text(st, 10, now);
	db_bind_text(st, 11, now);
	if ((rc = pay_step_done(st)) == DB_ECONSTRAINT) {
		field_error_add(fe, "session",
		                "A claim for this person and session has already "
		                "been made: find it in the list of claims");
		return DOMAIN_EINVALID;
	}
	if (rc != DOMAIN_OK)
		return rc;
	new_id = db_last_insert_id(d);
	if ((rc = items_write(d, new_id, &c)) != DOMAIN_OK)
		return rc;
	if ((rc = pay_audit(d, a, who, "payment_claim", new_id, "submit", "method",
	                    sv_from(c.choice.method), "total_pence", items_total(&c))) != DB_OK)
		return rc;
	if (id)
		*id = new_id;
	return DOMAIN_OK;
}

int pay_claim_submit(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
                     const struct pay_claim_in *in, struct field_errors *fe, int64_t *id)
{
	IN_TRANSACTION(d, pay_claim_submit_tx(d, a, who, programme_id, in, fe, id));
}

static int resubmit_tx(db *d, arena *a, const struct audit_actor *who, int64_t claim_id,
                       const struct pay_claim_in *in, struct field_errors *fe)
{
	struct pay_claim old;
	struct pay_claim_in fixed = *in;
	struct checked c;
	char now[ISO_TIME_LEN];
	db_stmt *st;
	int rc = pay_claim_get(d, a, claim_id, &old);

	if (rc != DOMAIN_OK)
		return rc;
	if (strcmp(old.status, "submitted") != 0 && strcmp(old.status, "returned") != 0)
		return DOMAIN_ECONFLICT;
	fixed.account_id = old.account_id;
	fixed.session_id = old.session_id;
	if ((rc = claim_check(d, a, old.programme_id, &fixed, claim_id, old.policy_id, fe,
	                       &c)) != DOMAIN_OK)
		return rc;
	st = db_prepare(d, "DELETE FROM payment_claim_items WHERE claim_id = ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, claim_id);
	if ((rc = pay_step_done(st)) != DOMAIN_OK)
		return rc;
	if ((rc = items_write(d, claim_id, &c)) != DOMAIN_OK)
		return rc;
	db_now_iso(now, 0);
	/* Whoever submitted it stays its submitter: a lead who corrects a facilitator's claim
	 * does not make it theirs, or with one lead it could never be approved. The audit log
	 * keeps who made the correction. */
	st = db_prepare(d, "UPDATE payment_claims SET status = 'submitted', policy_id = ?, "
	                   "method = ?, charity_name = ?, submitted_at = ?, updated_at = ? "
	                   "WHERE id = ? AND status IN ('submitted', 'returned')");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, c.pol.id);
	db_bind_text(st, 2, c.choice.method);
	db_bind_text(st, 3, c.choice.charity_name);
	db_bind_text(st, 4, now);
	db_bind_text(st, 5, now);
	db_bind_int(st, 6, claim_id);
	if ((rc = pay_step_done(st)) != DOMAIN_OK)
		return rc;
	return pay_audit(d, a, who, "payment_claim", claim_id,
	                 who->account_id && who->account_id != old.submitted_by ? "correct"
	                                                                        : "resubmit",
	                 NULL, SV_NULL, "total_pence", items_total(&c));
}

int pay_claim_resubmit(db *d, arena *a, const struct audit_actor *who, int64_t claim_id,
                       const struct pay_claim_in *in, struct field_errors *fe)
{
	IN_TRANSACTION(d, resubmit_tx(d, a, who, claim_id, in, fe));
}

int pay_claim_approve_tx(db *d, arena *a, const struct audit_actor *who, int64_t claim_id)
{
	struct pay_claim c;
	char now[ISO_TIME_LEN];
	db_stmt *st;
	int rc = pay_claim_get(d, a, claim_id, &c);

	if (rc != DOMAIN_OK)
		return rc;
	if (strcmp(c.status, "submitted") != 0)
		return DOMAIN_ECONFLICT;
	/* Two people see every payment: whoever submitted it, and someone else who approves. */
	if (!who->account_id || who->account_id == c.submitted_by ||
	    who->account_id == c.account_id)
		return DOMAIN_EFORBIDDEN;
	db_now_iso(now, 0);
	st = db_prepare(d, "UPDATE payment_claims SET status = 'approved', approved_by = ?, "
	                   "approved_at = ?, updated_at = ? WHERE id = ? AND status = 'submitted'");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, who->account_id);
	db_bind_text(st, 2, now);
	db_bind_text(st, 3, now);
	db_bind_int(st, 4, claim_id);
	if ((rc = pay_step_done(st)) != DOMAIN_OK)
		return rc;
	return pay_audit(d, a, who, "payment_claim", claim_id, "approve", NULL, SV_NULL,
	                 "total_pence", c.payment_pence + c.expenses_pence);
}

int pay_claim_approve(db *d, arena *a, const struct audit_actor *who, int64_t claim_id)
{
	IN_TRANSACTION(d, pay_claim_approve_tx(d, a, who, claim_id));
}

int pay_claim_return_tx(db *d, arena *a, const struct audit_actor *who, int64_t claim_id, sv reason,
                        struct field_errors *fe)
{
	struct pay_claim c;
	char now[ISO_TIME_LEN];
	db_stmt *st;
	int rc = pay_claim_get(d, a, claim_id, &c);
	sv why;

	if (rc != DOMAIN_OK)
		return rc;
	if (strcmp(c.status, "submitted") != 0)
		return DOMAIN_ECONFLICT;
	why = pay_text(reason, PAY_TEXT_MAX, "reason", "Say why the claim is being returned",
	               "The reason must be 2000 characters or fewer", fe, &rc);
	if (rc != DOMAIN_OK)
		return rc;
	db_now_iso(now, 0);
	st = db_prepare(d, "UPDATE payment_claims SET status = 'returned', returned_by = ?, "
	                   "returned_at = ?, returned_reason = ?, updated_at = ? WHERE id = ? AND "
	                   "status = 'submitted'");
	if (!st)
		return DB_ERR;
	if (who->account_id)
		db_bind_int(st, 1, who->account_id);
	else
		db_bind_null(st, 1);
	db_bind_text(st, 2, now);
	db_bind_sv(st, 3, why);
	db_bind_text(st, 4, now);
	db_bind_int(st, 5, claim_id);
	if ((rc = pay_step_done(st)) != DOMAIN_OK)
		return rc;
	return pay_audit(d, a, who, "payment_claim", claim_id, "return", "reason", why, NULL, 0);
}

int pay_claim_return(db *d, arena *a, const struct audit_actor *who, int64_t claim_id, sv reason,
                     struct field_errors *fe)
{
	IN_TRANSACTION(d, pay_claim_return_tx(d, a, who, claim_id, reason, fe));
}

/* Takes AMOUNT of a reversed claim off the spend its batch booked on the programme's
 * line of KIND, dated the day of the reversal, so the budget counts what was really paid.
 * Nothing to do when the batch booked nothing there (the programme had no such line). */
static int unbook_spend(db *d, arena *a, const struct audit_actor *who, const struct pay_claim *c,
                        const char *kind, int64_t amount, const char *reversed_on)
{
	int64_t line_id;
	int rc;

	if (amount <= 0)
		return DOMAIN_OK;
	rc = budget_line_find(d, c->programme_id, kind, &line_id, NULL, a);
	if (rc == DOMAIN_ENOTFOUND)
		return DOMAIN_OK;
	if (rc != DOMAIN_OK)
		return rc;
	rc = budget_spend_correct_tx(
	    d, a, who, line_id, arena_printf(a, BUDGET_BATCH_REF_PREFIX "%" PRId64, c->batch_id),
	    reversed_on, amount,
	    arena_printf(a, "Claim %" PRId64 " reversed (%s)", c->id,
	                 strcmp(kind, "expenses") == 0 ? "expenses" : "payment for time"));
	return rc == DOMAIN_ENOTFOUND ? DOMAIN_OK : rc;
}

int pay_claim_reverse_tx(db *d, arena *a, const struct audit_actor *who, int64_t claim_id,
                         const char *reversed_on, sv reason, struct field_errors *fe)
{
	struct pay_claim c;
	char now[ISO_TIME_LEN];
	db_stmt *st;
	int rc = pay_claim_get(d, a, claim_id, &c);
	sv why;

	if (rc != DOMAIN_OK)
		return rc;
	if (strcmp(c.status, "paid") != 0)
		return DOMAIN_ECONFLICT;
	why = pay_text(reason, PAY_TEXT_MAX, "reason", "Say why the payment is being reversed",
	               "The reason must be 2000 characters or fewer", fe, &rc);
	if (rc != DOMAIN_OK)
		return rc;
	db_now_iso(now, 0);
	st = db_prepare(d, "INSERT INTO payment_reversals (claim_id, payment_pence, "
	                   "expenses_pence, reason, reversed_on, created_by, created_at) VALUES "
	                   "(?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, claim_id);
	db_bind_int(st, 2, -c.payment_pence);
	db_bind_int(st, 3, -c.expenses_pence);
	db_bind_sv(st, 4, why);
	db_bind_text(st, 5, reversed_on);
	if (who->account_id)
		db_bind_int(st, 6, who->account_id);
	else
		db_bind_null(st, 6);
	db_bind_text(st, 7, now);
	if ((rc = pay_step_done(st)) != DOMAIN_OK)
		return rc == DB_ECONSTRAINT ? DOMAIN_ECONFLICT : rc;
	st = db_prepare(d, "UPDATE payment_claims SET status = 'reversed', updated_at = ? WHERE "
	                   "id = ? AND status = 'paid'");
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, now);
	db_bind_int(st, 2, claim_id);
	if ((rc = pay_step_done(st)) != DOMAIN_OK)
		return rc;
	if ((rc = unbook_spend(d, a, who, &c, "participant-payments", c.payment_pence,
	                       reversed_on)) != DOMAIN_OK ||
	    (rc = unbook_spend(d, a, who, &c, "expenses", c.expenses_pence, reversed_on)) !=
	        DOMAIN_OK)
		return rc;
	return pay_audit(d, a, who, "payment_claim", claim_id, "reverse", "reason", why,
	                 "total_pence", -(c.payment_pence + c.expenses_pence));
}

int pay_claim_reverse(db *d, arena *a, const struct audit_actor *who, int64_t claim_id, sv reason,
                      struct field_errors *fe)
{
	char today[11];
	pay_date_iso(date_today(), today);
	IN_TRANSACTION(d, pay_claim_reverse_tx(d, a, who, claim_id, today, reason, fe));
}

/* --- Reading claims -------------------------------------------------------------------- */

#define CLAIM_SELECT                                                                               \
	"SELECT c.id, c.account_id, ac.display_name, c.session_id, s.title, s.starts_at, "         \
	"c.programme_id, p.slug, c.policy_id, pp.version, c.status, c.method, "                    \
	"c.charity_name, "                                                                         \
	"(SELECT COALESCE(SUM(i.amount_pence), 0) FROM payment_claim_items i WHERE "               \
	"i.claim_id = c.id AND i.kind <> 'expense'), "                                             \
	"(SELECT COALESCE(SUM(i.amount_pence), 0) FROM payment_claim_items i WHERE "               \
	"i.claim_id = c.id AND i.kind = 'expense'), "                                              \
	"c.submitted_by, sb.display_name, c.submitted_at, c.approved_by, ab.display_name, "        \
	"c.approved_at, rb.display_name, c.returned_reason, c.batch_id, b.paid_on, r.reason, "     \
	"r.reversed_on FROM payment_claims c JOIN accounts ac ON ac.id = c.account_id JOIN "       \
	"group_sessions s ON s.id = c.session_id JOIN programmes p ON p.id = c.programme_id "      \
	"JOIN payment_policies pp ON pp.id = c.policy_id LEFT JOIN accounts sb ON sb.id = "        \
	"c.submitted_by LEFT JOIN accounts ab ON ab.id = c.approved_by LEFT JOIN accounts rb "     \
	"ON rb.id = c.returned_by LEFT JOIN payment_batches b ON b.id = c.batch_id LEFT JOIN "     \
	"payment_reversals r ON r.claim_id = c.id "

static int claim_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct pay_claim *c = item;
	memset(c, 0, sizeof(*c));
	c->id = db_col_int(st, 0);
	c->account_id = db_col_int(st, 1);
	c->person_name = db_col_dup(st, 2, a);
	c->person_ref = pay_person_ref(a, c->account_id);
	c->session_id = db_col_int(st, 3);
	c->session_title = db_col_dup(st, 4, a);
	c->session_date = arena_strndup(a, db_col_text(st, 5), 10);
	c->programme_id = db_col_int(st, 6);
	c->programme_slug = db_col_dup(st, 7, a);
	c->policy_id = db_col_int(st, 8);
	c->policy_version = db_col_int(st, 9);
	c->status = db_col_dup(st, 10, a);
	c->method = db_col_dup(st, 11, a);
	c->charity_name = db_col_dup(st, 12, a);
	c->payment_pence = db_col_int(st, 13);
	c->expenses_pence = db_col_int(st, 14);
	c->submitted_by = db_col_int(st, 15);
	c->submitted_by_name = db_col_dup(st, 16, a);
	c->submitted_at = db_col_dup(st, 17, a);
	c->approved_by = db_col_int(st, 18);
	c->approved_by_name = db_col_dup(st, 19, a);
	c->approved_at = db_col_dup(st, 20, a);
	c->returned_by_name = db_col_dup(st, 21, a);
	c->returned_reason = db_col_dup(st, 22, a);
	c->batch_id = db_col_int(st, 23);
	c->paid_on = db_col_dup(st, 24, a);
	c->reversal_reason = db_col_dup(st, 25, a);
	c->reversed_on = db_col_dup(st, 26, a);
	return DB_OK;
}

static int item_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct pay_item *it = item;
	it->kind = db_col_dup(st, 0, a);
	it->description = db_col_dup(st, 1, a);
	it->minutes = db_col_int(st, 2);
	it->expense_kind = db_col_dup(st, 3, a);
	it->receipt_ref = db_col_dup(st, 4, a);
	it->amount_pence = db_col_int(st, 5);
	return DB_OK;
}

int pay_claim_get(db *d, arena *a, int64_t claim_id, struct pay_claim *out)
{
	int rc = record_get(d, a, CLAIM_SELECT "WHERE c.id = ?", claim_id, claim_row, NULL, out);
	db_stmt *st;
	if (rc != DOMAIN_OK)
		return rc;
	st = db_prepare(d, "SELECT kind, description, minutes, expense_kind, receipt_ref, "
	                   "amount_pence FROM payment_claim_items WHERE claim_id = ? ORDER BY id");
	db_bind_int(st, 1, claim_id);
	return db_collect(st, a, sizeof(*out->items), item_row, NULL, &out->items, &out->n_items);
}

int pay_claims_list(db *d, arena *a, int64_t programme_id, const char *status,
                    struct pay_claim **out, size_t *n)
{
	db_stmt *st;
	if (status) {
		st = db_prepare(d, CLAIM_SELECT "WHERE c.programme_id = ? AND c.status = ? ORDER "
		                                "BY s.starts_at DESC, ac.display_name LIMIT 500");
		db_bind_int(st, 1, programme_id);
		db_bind_text(st, 2, status);
	} else {
		st = db_prepare(d, CLAIM_SELECT "WHERE c.programme_id = ? ORDER BY s.starts_at "
		                                "DESC, ac.display_name LIMIT 500");
		db_bind_int(st, 1, programme_id);
	}
	return db_collect(st, a, sizeof(**out), claim_row, NULL, out, n);
}

int pay_claims_of(db *d, arena *a, int64_t account_id, struct pay_claim **out, size_t *n)
{
	db_stmt *st = db_prepare(d, CLAIM_SELECT "WHERE c.account_id = ? AND c.status <> "
	                                         "'draft' ORDER BY s.starts_at DESC LIMIT 500");
	db_bind_int(st, 1, account_id);
	return db_collect(st, a, sizeof(**out), claim_row, NULL, out, n);
}

int pay_batch_claims(db *d, arena *a, int64_t batch_id, struct pay_claim **out, size_t *n)
{
	db_stmt *st = db_prepare(d, CLAIM_SELECT "WHERE c.batch_id = ? ORDER BY c.account_id, "
	                                         "s.starts_at");
	db_bind_int(st, 1, batch_id);
	return db_collect(st, a, sizeof(**out), claim_row, NULL, out, n);
}
