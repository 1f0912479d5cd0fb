/* test_payments.c: paying participants: the money arithmetic (hours by rate to the penny,
 * totals across a claim's parts), the policy version in force at its boundary, tax years
 * across 5 and 6 April, and the claim -> approve -> batch -> paid -> reversed path with
 * each refusal a facilitator or lead would meet. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testdb.h"

#include "core/arena.h"
#include "db/db.h"
#include "core/log.h"
#include "domain/budget.h"
#include "domain/demo.h"
#include "domain/payments.h"

struct fixture {
	char dir[64];
	db *d;
	arena *a;
	struct audit_actor lead, lead2, fac;
	int64_t programme, group, alex, bea, pro, s1, s2, s3;
};

static int64_t account(db *d, const char *name, const char *role)
{
	char sql[256];
	snprintf(sql, sizeof(sql),
	         "INSERT INTO accounts (display_name, role, created_at, updated_at) VALUES "
	         "('%s', '%s', 'x', 'x')",
	         name, role);
	return insert(d, sql);
}

static int64_t session(struct fixture *f, const char *day)
{
	char sql[512];
	snprintf(sql, sizeof(sql),
	         "INSERT INTO group_sessions (group_id, title, starts_at, ends_at, uid, "
	         "created_at, updated_at) VALUES (%lld, 'Session %s', '%sT18:00', '%sT20:00', "
	         "'uid-%s', 'x', 'x')",
	         (long long)f->group, day, day, day, day);
	return insert(f->d, sql);
}

static void present(struct fixture *f, int64_t sess, int64_t who)
{
	char sql[256];
	snprintf(sql, sizeof(sql),
	         "INSERT INTO attendance (session_id, account_id, status, recorded_at) VALUES "
	         "(%lld, %lld, 'present', 'x')",
	         (long long)sess, (long long)who);
	insert(f->d, sql);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[128];
	snprintf(f->dir, sizeof(f->dir), "/tmp/coprod-test-payments-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/coprod.db", f->dir);
	if (db_open(path, &f->d) != DB_OK || db_migrate(f->d, NULL, NULL) != DB_OK)
		return -1;
	f->a = arena_new(8 << 20);
	f->lead.account_id = account(f->d, "Demo Lead One", "programme_lead");
	f->lead2.account_id = account(f->d, "Demo Lead Two", "programme_lead");
	f->fac.account_id = account(f->d, "Demo Facilitator", "facilitator");
	f->alex = account(f->d, "Demo Alex", "local_person");
	f->bea = account(f->d, "Demo Bea", "local_person");
	f->pro = account(f->d, "Demo Officer", "decision_maker");
	f->programme = insert(f->d, "INSERT INTO programmes (slug, name, summary, created_at, "
	                            "updated_at) VALUES ('ya', 'Young adults', 's', 'x', 'x')");
	f->group = insert(f->d, "INSERT INTO working_groups (programme_id, name, created_at, "
	                        "updated_at) VALUES (1, 'Group', 'x', 'x')");
	f->s1 = session(f, "2022-04-05");
	f->s2 = session(f, "2022-04-12");
	f->s3 = session(f, "2022-04-19");
	present(f, f->s1, f->alex);
	present(f, f->s2, f->alex);
	present(f, f->s1, f->bea);
	present(f, f->s1, f->pro);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	arena_free(f->a);
	db_close(f->d);
	rm_dir(f->dir);
	free(f);
	return 0;
}

static int add_policy(struct fixture *f, const char *day, const char *month, const char *year,
                      const char *rate, struct field_errors *fe)
{
	struct pay_policy_in in;
	memset(&in, 0, sizeof(in));
	in.programme_id = f->programme;
	in.day = sv_from(day);
	in.month = sv_from(month);
	in.year = sv_from(year);
	in.rate_kind = SV("hour");
	in.rate = sv_from(rate);
	in.prep_hours = SV("1");
	in.prep_rate = SV("15");
	in.role_name[0] = SV("Co-chair");
	in.role_amount[0] = SV("25");
	return pay_policy_add(f->d, f->a, &f->lead, &in, fe, NULL);
}

static void arithmetic(void **state)
{
	int64_t m = 0;
	struct date s, e;
	(void)state;
	/* Hours by rate, to the nearest penny, halves up. */
	assert_int_equal(pay_hours_amount(120, 1500), 3000);
	assert_int_equal(pay_hours_amount(50, 1500), 1250);
	assert_int_equal(pay_hours_amount(20, 1380), 460);
	assert_int_equal(pay_hours_amount(7, 1333), 156); /* 155.52p */
	assert_int_equal(pay_hours_amount(30, 1), 1);     /* half a penny rounds up */
	assert_int_equal(pay_hours_amount(10, 1), 0);
	assert_int_equal(pay_hours_amount(-60, 1500), 0);

	assert_int_equal(pay_hours_parse(SV("2"), &m), 0);
	assert_int_equal(m, 120);
	assert_int_equal(pay_hours_parse(SV(" 1.5 "), &m), 0);
	assert_int_equal(m, 90);
	assert_int_equal(pay_hours_parse(SV("0.75"), &m), 0);
	assert_int_equal(m, 45);
	assert_int_equal(pay_hours_parse(SV("2:30"), &m), 0);
	assert_int_equal(m, 150);
	assert_int_equal(pay_hours_parse(SV("-1"), &m), -1);
	assert_int_equal(pay_hours_parse(SV("1.555"), &m), -1);
	assert_int_equal(pay_hours_parse(SV("two"), &m), -1);
	assert_int_equal(pay_hours_parse(SV("13"), &m), -1);
	assert_int_equal(pay_hours_parse(SV(""), &m), -1);
	assert_int_equal(pay_hours_parse(SV("2:75"), &m), -1);

	/* The tax year turns between 5 and 6 April. */
	pay_tax_year((struct date){2022, 4, 5}, &s, &e);
	assert_int_equal(s.y, 2021);
	assert_int_equal(e.y, 2022);
	assert_int_equal(e.d, 5);
	pay_tax_year((struct date){2022, 4, 6}, &s, &e);
	assert_int_equal(s.y, 2022);
	assert_int_equal(s.m, 4);
	assert_int_equal(s.d, 6);
	pay_tax_year((struct date){2023, 1, 10}, &s, &e);
	assert_int_equal(s.y, 2022);

	{
		arena *a = arena_new(4096);
		assert_string_equal(pay_person_ref(a, 42), "CP-000042");
		arena_free(a);
	}
}

static void policy_versions(void **state)
{
	struct fixture *f = *state;
	struct field_errors fe;
	struct pay_policy p;
	struct pay_policy *list;
	size_t n;

	field_errors_init(&fe);
	assert_int_equal(add_policy(f, "1", "12", "2021", "15.00", &fe), DOMAIN_OK);
	assert_int_equal(add_policy(f, "6", "4", "2022", "16.00", &fe), DOMAIN_OK);
	/* The version in force at the boundary. */
	assert_int_equal(pay_policy_in_force(f->d, f->a, f->programme, "2022-04-05", &p),
	                 DOMAIN_OK);
	assert_int_equal(p.version, 1);
	assert_int_equal(p.rate_pence, 1500);
	assert_int_equal(p.n_roles, 1);
	assert_string_equal(p.roles[0].name, "Co-chair");
	assert_int_equal(pay_policy_in_force(f->d, f->a, f->programme, "2022-04-06", &p),
	                 DOMAIN_OK);
	assert_int_equal(p.version, 2);
	assert_int_equal(p.rate_pence, 1600);
	assert_int_equal(pay_policy_in_force(f->d, f->a, f->programme, "2021-11-30", &p),
	                 DOMAIN_ENOTFOUND);
	/* Never backdated before the current version; never a negative or malformed rate. */
	field_errors_init(&fe);
	assert_int_equal(add_policy(f, "1", "1", "2022", "15.00", &fe), DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "starts"));
	field_errors_init(&fe);
	assert_int_equal(add_policy(f, "1", "1", "2023", "-5", &fe), DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "rate"));
	field_errors_init(&fe);
	assert_int_equal(add_policy(f, "1", "1", "2023", "12.345", &fe), DOMAIN_EINVALID);
	assert_int_equal(pay_policy_list(f->d, f->a, f->programme, &list, &n), DOMAIN_OK);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].version, 2);
}

static int submit(struct fixture *f, const struct audit_actor *who, int64_t person, int64_t sess,
                  const char *hours, const char *travel, const char *receipt,
                  struct field_errors *fe, int64_t *id)
{
	struct pay_claim_in in;
	memset(&in, 0, sizeof(in));
	in.account_id = person;
	in.session_id = sess;
	in.hours = sv_from(hours);
	in.travel = sv_from(travel);
	in.travel_receipt = sv_from(receipt);
	field_errors_init(fe);
	return pay_claim_submit(f->d, f->a, who, f->programme, &in, fe, id);
}

static void claims_flow(void **state)
{
	struct fixture *f = *state;
	struct field_errors fe;
	struct pay_claim c;
	struct pay_proposal *props;
	struct payments_totals t;
	struct pay_year y;
	size_t n;
	int64_t id1, id2, batch, batch2;
	struct pay_claim_in fix;

	field_errors_init(&fe);
	assert_int_equal(add_policy(f, "1", "12", "2021", "15.00", &fe), DOMAIN_OK);
	assert_int_equal(add_policy(f, "6", "4", "2022", "16.00", &fe), DOMAIN_OK);

	/* Without a choice, no claim; Bea declines and is proposed nothing. */
	assert_int_equal(submit(f, &f->fac, f->alex, f->s1, "", "", "", &fe, &id1),
	                 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "session"));
	assert_int_equal(
	    pay_choice_record(f->d, f->a, &f->fac, f->alex, SV("bank-transfer"), SV(""), &fe),
	    DOMAIN_OK);
	assert_int_equal(pay_choice_record(f->d, f->a, &f->fac, f->bea, SV("charity"), SV(""), &fe),
	                 DOMAIN_EINVALID);
	assert_int_equal(pay_choice_record(f->d, f->a, &f->fac, f->bea, SV("decline"), SV(""), &fe),
	                 DOMAIN_OK);
	assert_int_equal(pay_proposals(f->d, f->a, f->programme, &props, &n), DOMAIN_OK);
	/* Alex twice, Bea once; the decision-maker is paid by their employer. */
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++) {
		if (props[i].account_id == f->bea) {
			assert_true(props[i].declined);
			assert_int_equal(props[i].payment_pence, 0);
		} else if (props[i].session_id == f->s1) {
			assert_int_equal(props[i].payment_pence, 3000); /* 2 hours at £15 */
		} else {
			assert_int_equal(props[i].payment_pence, 3200); /* 2 hours at £16 */
		}
	}
	/* Declining is for their time: Bea's expenses are still paid back, and only them. */
	field_errors_init(&fe);
	assert_int_equal(submit(f, &f->fac, f->bea, f->s1, "", "", "", &fe, &id1), DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "travel"));
	assert_int_equal(submit(f, &f->fac, f->bea, f->s1, "2", "3.20", "Bus B1", &fe, &id1),
	                 DOMAIN_OK);
	assert_int_equal(pay_claim_get(f->d, f->a, id1, &c), DOMAIN_OK);
	assert_int_equal(c.payment_pence, 0);
	assert_int_equal(c.expenses_pence, 320);
	assert_int_equal(c.n_items, 1);
	/* Refusals: a session not attended, a negative or malformed amount, no receipt. */
	assert_int_equal(submit(f, &f->fac, f->alex, f->s3, "", "", "", &fe, &id1),
	                 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "session"));
	assert_int_equal(submit(f, &f->fac, f->alex, f->s1, "", "-4.80", "R1", &fe, &id1),
	                 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "travel"));
	assert_int_equal(submit(f, &f->fac, f->alex, f->s1, "", "4.8.0", "R1", &fe, &id1),
	                 DOMAIN_EINVALID);
	assert_int_equal(submit(f, &f->fac, f->alex, f->s1, "", "4.80", "", &fe, &id1),
	                 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "travel_receipt"));
	assert_int_equal(submit(f, &f->fac, f->alex, f->s1, "-2", "", "", &fe, &id1),
	                 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "hours"));

	/* 2.5 hours at £15 and £4.80 travel: payment and expenses kept apart. */
	assert_int_equal(submit(f, &f->fac, f->alex, f->s1, "2.5", "4.80", "Bus R1", &fe, &id1),
	                 DOMAIN_OK);
	assert_int_equal(pay_claim_get(f->d, f->a, id1, &c), DOMAIN_OK);
	assert_int_equal(c.payment_pence, 3750);
	assert_int_equal(c.expenses_pence, 480);
	assert_int_equal(c.n_items, 2);
	assert_string_equal(c.status, "submitted");
	assert_string_equal(c.method, "bank-transfer");
	/* A second claim for the same session is refused. */
	assert_int_equal(submit(f, &f->fac, f->alex, f->s1, "2", "", "", &fe, &id2),
	                 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "session"));

	/* A lead cannot approve a claim they submitted; another lead can. */
	assert_int_equal(submit(f, &f->lead, f->alex, f->s2, "", "", "", &fe, &id2), DOMAIN_OK);
	assert_int_equal(pay_claim_approve(f->d, f->a, &f->lead, id2), DOMAIN_EFORBIDDEN);
	assert_int_equal(pay_claim_return(f->d, f->a, &f->lead2, id2, SV(" "), &fe),
	                 DOMAIN_EINVALID);
	assert_int_equal(pay_claim_return(f->d, f->a, &f->lead2, id2, SV("Check the hours"), &fe),
	                 DOMAIN_OK);
	/* A back-dated version that would reprice sessions already claimed for is refused,
	 * beside its date. */
	field_errors_init(&fe);
	assert_int_equal(add_policy(f, "10", "4", "2022", "20.00", &fe), DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "starts"));
	assert_non_null(strstr(field_error_get(&fe, "starts"), "12 April 2022"));
	/* Even if a version had come in first (as in older records), correcting the claim
	 * keeps the version it was made under. */
	insert(f->d, "INSERT INTO payment_policies (programme_id, version, starts_on, "
	             "rate_kind, rate_pence, created_at) VALUES (1, 3, '2022-04-10', 'hour', "
	             "2000, 'x')");
	memset(&fix, 0, sizeof(fix));
	fix.hours = SV("1.5");
	assert_int_equal(pay_claim_resubmit(f->d, f->a, &f->fac, id2, &fix, &fe), DOMAIN_OK);
	assert_int_equal(pay_claim_get(f->d, f->a, id2, &c), DOMAIN_OK);
	assert_string_equal(c.status, "submitted");
	assert_int_equal(c.payment_pence, 2400); /* 1.5 hours at £16 */
	assert_int_equal(c.policy_version, 2);
	/* Corrected by the facilitator, it is still the lead's claim: the other lead approves. */
	assert_int_equal(c.submitted_by, f->lead.account_id);
	assert_int_equal(pay_claim_approve(f->d, f->a, &f->lead, id2), DOMAIN_EFORBIDDEN);
	assert_int_equal(pay_claim_approve(f->d, f->a, &f->lead2, id2), DOMAIN_OK);
	/* A lead who corrects the facilitator's claim leaves it the facilitator's, so the
	 * lead (the only other one here) can still approve it; the correction is audited. */
	{
		struct pay_claim_in same;
		memset(&same, 0, sizeof(same));
		same.hours = SV("2.5");
		same.travel = SV("4.80");
		same.travel_receipt = SV("Bus R1 (checked)");
		assert_int_equal(pay_claim_resubmit(f->d, f->a, &f->lead, id1, &same, &fe), DOMAIN_OK);
		assert_int_equal(pay_claim_get(f->d, f->a, id1, &c), DOMAIN_OK);
		assert_int_equal(c.submitted_by, f->fac.account_id);
		assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE entity = "
		                             "'payment_claim' AND action = 'correct' AND account_id = 1"),
		                 1);
	}
	assert_int_equal(pay_claim_approve(f->d, f->a, &f->lead, id1), DOMAIN_OK);
	assert_int_equal(pay_claim_approve(f->d, f->a, &f->lead, id1), DOMAIN_ECONFLICT);

	/* The programme's budget: finance's cost code goes into the export, and paying the
	 * batch records the spend. */
	insert(f->d, "INSERT INTO funding_sources (name, organisation_or_committee, amount_pence, "
	             "financial_year, created_at, updated_at) VALUES ('Demo fund', 'Demo "
	             "committee', 3000000, '2021-22', 'x', 'x')");
	insert(f->d, "INSERT INTO budget_lines (programme_id, source_id, kind, amount_pence, "
	             "cost_code, created_at, updated_at) VALUES (1, 1, 'participant-payments', "
	             "500000, 'PP-001', 'x', 'x')");
	/* Both go into one batch; a second batch has nothing to take. */
	assert_int_equal(pay_batch_create(f->d, f->a, &f->lead, f->programme, &batch), DOMAIN_OK);
	assert_int_equal(pay_batch_create(f->d, f->a, &f->lead, f->programme, &batch2),
	                 DOMAIN_ECONFLICT);
	{
		sbuf csv;
		sbuf_init(&csv, f->a, 1 << 16);
		assert_int_equal(pay_batch_csv(f->d, f->a, batch, &csv), DOMAIN_OK);
		assert_non_null(strstr(csv.buf, "CP-"));
		assert_non_null(strstr(csv.buf, ",37.50,4.80,42.30,Bank transfer,"));
		assert_non_null(strstr(csv.buf, "Total,,61.50,4.80,66.30,,,,\r\n"));
		assert_null(strstr(csv.buf, "Demo Alex"));
		assert_non_null(strstr(csv.buf, ",PP-001,\r\n"));
		/* The workbook is a zip file, read back whole from its temporary file. */
		sbuf_init(&csv, f->a, 1 << 20);
		assert_int_equal(pay_batch_xlsx(f->d, f->a, batch, &csv), DOMAIN_OK);
		assert_true(csv.len > 1000);
		assert_memory_equal(csv.buf, "PK\x03\x04", 4);
	}
	/* Never paid before the batch was made, nor before its last session (12 April). */
	insert(f->d, "UPDATE payment_batches SET created_at = '2022-04-08T09:00:00Z'");
	field_errors_init(&fe);
	assert_int_equal(pay_batch_mark_paid(f->d, f->a, &f->lead, batch, SV("7"), SV("4"),
	                                     SV("2022"), SV(""), &fe),
	                 DOMAIN_EINVALID);
	assert_non_null(strstr(field_error_get(&fe, "paid_on"), "before the batch was made"));
	field_errors_init(&fe);
	assert_int_equal(pay_batch_mark_paid(f->d, f->a, &f->lead, batch, SV("11"), SV("4"),
	                                     SV("2022"), SV(""), &fe),
	                 DOMAIN_EINVALID);
	assert_non_null(strstr(field_error_get(&fe, "paid_on"), "12 April 2022"));
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM payment_claims WHERE status = 'paid'"),
	                 0);
	/* Paid after the turn of the tax year: nothing was paid by 5 April. */
	assert_int_equal(db_begin(f->d), DB_OK);
	assert_int_equal(
	    pay_batch_mark_paid_tx(f->d, f->a, &f->lead, batch, "2022-04-13", SV(""), &fe),
	    DOMAIN_OK);
	assert_int_equal(db_commit(f->d), DB_OK);
	assert_int_equal(pay_claim_get(f->d, f->a, id1, &c), DOMAIN_OK);
	assert_string_equal(c.status, "paid");
	assert_int_equal(count(f->d, "SELECT SUM(amount_pence) FROM budget_entries WHERE kind = "
	                             "'spend'"),
	                 3750 + 2400);
	assert_int_equal(pay_year_of(f->d, f->alex, "2022-04-05", &y), DOMAIN_OK);
	assert_int_equal(y.payment_pence, 0);
	assert_int_equal(pay_year_of(f->d, f->alex, "2022-04-06", &y), DOMAIN_OK);
	assert_int_equal(y.payment_pence, 3750 + 2400);
	assert_int_equal(y.expenses_pence, 480);
	assert_int_equal(y.max_week_pence, 3750);
	assert_int_equal(y.start.y, 2022);

	/* A paid claim is never edited, only reversed with a reason. */
	assert_int_equal(pay_claim_resubmit(f->d, f->a, &f->fac, id1, &fix, &fe), DOMAIN_ECONFLICT);
	assert_int_equal(pay_claim_reverse(f->d, f->a, &f->lead, id2, SV(""), &fe),
	                 DOMAIN_EINVALID);
	assert_int_equal(db_begin(f->d), DB_OK);
	assert_int_equal(
	    pay_claim_reverse_tx(f->d, f->a, &f->lead, id2, "2022-05-02", SV("Paid twice"), &fe),
	    DOMAIN_OK);
	assert_int_equal(db_commit(f->d), DB_OK);
	assert_int_equal(pay_claim_reverse(f->d, f->a, &f->lead, id2, SV("again"), &fe),
	                 DOMAIN_ECONFLICT);
	/* The reversal takes the money off the budget too, dated the day it was reversed. */
	assert_int_equal(count(f->d, "SELECT SUM(amount_pence) FROM budget_entries WHERE kind = "
	                             "'spend'"),
	                 3750);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM budget_entries WHERE amount_pence = "
	                             "-2400 AND entry_date = '2022-05-02' AND reverses IS NOT "
	                             "NULL"),
	                 1);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE entity = "
	                             "'budget_entry' AND action = 'reverse'"),
	                 1);
	{
		struct budget_totals bt;
		assert_int_equal(budget_totals(f->d, f->a, f->programme, "2022-04-06", "2023-04-05",
		                               &bt),
		                 DOMAIN_OK);
		assert_int_equal(bt.kinds[0].spent_pence, 3750);
	}

	assert_int_equal(payments_totals(f->d, f->a, f->programme, "2022-04-06", "2023-04-05", &t),
	                 DOMAIN_OK);
	assert_int_equal(t.paid_pence, 3750);
	assert_int_equal(t.expenses_pence, 480);
	assert_int_equal(t.people_paid, 1);
	/* Claims count by their session's date: the paid one was for 5 April. */
	assert_int_equal(t.claims_by_status[PAY_PAID], 0);
	assert_int_equal(t.claims_by_status[PAY_REVERSED], 1);
	/* Before the reversal's date, the reversed payment still counts as paid. */
	assert_int_equal(payments_totals(f->d, f->a, 0, "2022-04-06", "2022-04-30", &t), DOMAIN_OK);
	assert_int_equal(t.paid_pence, 3750 + 2400);
	{
		char **months;
		int64_t *pence;
		bool earlier = true;
		assert_int_equal(pay_monthly(f->d, f->a, f->programme, &months, &pence, &n, &earlier),
		                 DOMAIN_OK);
		assert_false(earlier);
		assert_int_equal(n, 2);
		assert_string_equal(months[0], "2022-04");
		assert_int_equal(pence[0], 3750 + 480 + 2400);
		assert_int_equal(pence[1], -2400);
	}
	/* The reversed session is not proposed again as owed... */
	assert_int_equal(pay_proposals(f->d, f->a, f->programme, &props, &n), DOMAIN_OK);
	for (size_t i = 0; i < n; i++)
		assert_false(props[i].account_id == f->alex && props[i].session_id == f->s2);
	/* ...but can be claimed again, correctly, when the reversal put a wrong amount right. */
	assert_int_equal(submit(f, &f->fac, f->alex, f->s2, "1", "", "", &fe, &id2), DOMAIN_OK);
}

/* Paying a batch that takes the budget line over needs a reason; without one nothing
 * changes. */
static void over_budget(void **state)
{
	struct fixture *f = *state;
	struct field_errors fe;
	struct pay_batch b;
	int64_t id, batch;

	field_errors_init(&fe);
	assert_int_equal(add_policy(f, "1", "12", "2021", "15.00", &fe), DOMAIN_OK);
	assert_int_equal(
	    pay_choice_record(f->d, f->a, &f->fac, f->alex, SV("voucher"), SV(""), &fe), DOMAIN_OK);
	assert_int_equal(submit(f, &f->fac, f->alex, f->s1, "2", "", "", &fe, &id), DOMAIN_OK);
	assert_int_equal(pay_claim_approve(f->d, f->a, &f->lead, id), DOMAIN_OK);
	insert(f->d, "INSERT INTO funding_sources (name, organisation_or_committee, amount_pence, "
	             "financial_year, created_at, updated_at) VALUES ('Demo fund', 'Demo "
	             "committee', 3000000, '2021-22', 'x', 'x')");
	insert(f->d, "INSERT INTO budget_lines (programme_id, source_id, kind, amount_pence, "
	             "cost_code, created_at, updated_at) VALUES (1, 1, 'participant-payments', "
	             "1000, 'PP-001', 'x', 'x')");
	assert_int_equal(pay_batch_create(f->d, f->a, &f->lead, f->programme, &batch), DOMAIN_OK);
	insert(f->d, "UPDATE payment_batches SET created_at = '2022-04-06T09:00:00Z'");
	field_errors_init(&fe);
	assert_int_equal(pay_batch_mark_paid(f->d, f->a, &f->lead, batch, SV("6"), SV("4"),
	                                     SV("2022"), SV(""), &fe),
	                 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "over_reason"));
	assert_int_equal(pay_batch_get(f->d, f->a, batch, &b), DOMAIN_OK);
	assert_null(b.paid_on);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM payment_claims WHERE status = 'paid'"),
	                 0);
	field_errors_init(&fe);
	assert_int_equal(pay_batch_mark_paid(f->d, f->a, &f->lead, batch, SV("6"), SV("4"),
	                                     SV("2022"), SV("Agreed at the steering group"), &fe),
	                 DOMAIN_OK);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM budget_entries WHERE over_reason = "
	                             "'Agreed at the steering group'"),
	                 1);
	/* Paid once only. */
	assert_int_equal(pay_batch_mark_paid(f->d, f->a, &f->lead, batch, SV("6"), SV("4"),
	                                     SV("2022"), SV(""), &fe),
	                 DOMAIN_ECONFLICT);
}

static void access_rules(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(pay_access(f->d, f->lead.account_id, 8, f->programme), PAY_ACCESS_LEAD);
	/* A facilitator only once they facilitate one of the programme's groups. */
	assert_int_equal(pay_access(f->d, f->fac.account_id, 4, f->programme), PAY_ACCESS_NONE);
	insert(f->d, "INSERT INTO group_members (group_id, account_id, role_in_group, joined_on) "
	             "VALUES (1, 3, 'facilitator', '2021-12-01')");
	assert_int_equal(pay_access(f->d, f->fac.account_id, 4, f->programme),
	                 PAY_ACCESS_FACILITATOR);
	assert_int_equal(pay_access(f->d, f->alex, 1, f->programme), PAY_ACCESS_NONE);
	assert_int_equal(pay_access(f->d, f->lead.account_id, 8, 999), PAY_ACCESS_NONE);
}

/* The demo story: every step of the path is there for people to look at. */
static void demo_story(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[128];
	(void)state;
	snprintf(f->dir, sizeof(f->dir), "/tmp/coprod-test-payments-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(path, sizeof(path), "%s/coprod.db", f->dir);
	assert_int_equal(db_open(path, &f->d), DB_OK);
	assert_int_equal(db_migrate(f->d, NULL, NULL), DB_OK);
	f->a = arena_new(64 << 20);
	/* demo_load runs demo_load_payments after the budget. */
	assert_int_equal(demo_load(f->d, f->a), DOMAIN_OK);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM payment_policies"), 2);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM payment_batches WHERE paid_on IS "
	                             "NOT NULL"),
	                 2);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM payment_batches WHERE paid_on IS "
	                             "NULL"),
	                 1);
	assert_true(count(f->d, "SELECT COUNT(*) FROM payment_claims WHERE status = 'paid'") > 10);
	assert_true(count(f->d, "SELECT COUNT(*) FROM payment_claims WHERE status = "
	                        "'batched'") > 0);
	assert_true(count(f->d, "SELECT COUNT(*) FROM payment_claims WHERE status = "
	                        "'submitted'") > 0);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM payment_claims WHERE status = "
	                             "'returned'"),
	                 1);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM payment_reversals"), 1);
	/* The budget and the payments agree, the reversal included. */
	assert_int_equal(
	    count(f->d, "SELECT SUM(e.amount_pence) FROM budget_entries e JOIN budget_lines l ON "
	                "l.id = e.line_id WHERE l.kind = 'participant-payments' AND e.kind = "
	                "'spend'"),
	    count(f->d, "SELECT SUM(i.amount_pence) FROM payment_claim_items i JOIN "
	                "payment_claims c ON c.id = i.claim_id WHERE c.status IN ('paid', "
	                "'reversed') AND i.kind <> 'expense'") +
	        count(f->d, "SELECT SUM(payment_pence) FROM payment_reversals"));
	/* Each person's tax-year totals add up to the Board's, Kai's reversal (paid in March,
	 * reversed in April 2022) counted in the year it was made on both. */
	{
		static const char *const years[][2] = {{"2021-04-06", "2022-04-05"},
		                                       {"2022-04-06", "2023-04-05"}};
		for (size_t k = 0; k < 2; k++) {
			struct payments_totals t;
			int64_t pay = 0, exp = 0;
			db_stmt *st = db_prepare(f->d, "SELECT DISTINCT account_id FROM "
			                               "payment_claims");
			assert_non_null(st);
			while (db_step(st) == DB_ROW) {
				struct pay_year y;
				assert_int_equal(pay_year_of(f->d, db_col_int(st, 0), years[k][0], &y),
				                 DOMAIN_OK);
				pay += y.payment_pence;
				exp += y.expenses_pence;
			}
			db_done(st);
			assert_int_equal(payments_totals(f->d, f->a, 0, years[k][0], years[k][1], &t),
			                 DOMAIN_OK);
			assert_int_equal(pay, t.paid_pence);
			assert_int_equal(exp, t.expenses_pence);
		}
	}
	/* Leah declined: nothing was claimed for her. */
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM payment_claims c JOIN accounts a ON "
	                             "a.id = c.account_id WHERE a.display_name = 'Demo Young "
	                             "Adult Leah'"),
	                 0);
	teardown((void **)&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(arithmetic),
	    cmocka_unit_test_setup_teardown(policy_versions, setup, teardown),
	    cmocka_unit_test_setup_teardown(claims_flow, setup, teardown),
	    cmocka_unit_test_setup_teardown(over_budget, setup, teardown),
	    cmocka_unit_test_setup_teardown(access_rules, setup, teardown),
	    cmocka_unit_test(demo_story),
	};
	setenv("COPROD_TEST_FAST_HASH", "1", 1);
	log_set_level(LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
