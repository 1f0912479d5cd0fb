/* test_budget.c: the engagement's budget: totals across lines and sources, what is left,
 * overspend refused at 1p over but not at exactly the budget, a lead's approval with a
 * reason, commitments settled by spend, corrections, and who may see the money. */
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
#include "core/log.h"
#include "db/db.h"
#include "domain/budget.h"
#include "domain/demo.h"
#include "domain/demo_budget.h"
#include "domain/password.h"

struct fixture {
	char dir[64];
	db *d;
	arena *a;
	struct audit_actor lead, fac;
	int64_t programme, other_programme, board, local, other_fac, session, other_session;
	int64_t adult, children; /* funding sources */
	int64_t venues, pay;     /* lines of the programme, Adult source */
};

static int64_t add_source(struct fixture *f, const char *name, const char *amount)
{
	struct funding_source_input in = {
		.name = sv_from(name), .organisation = SV("Demo Commissioning Committee"),
		.amount = sv_from(amount), .financial_year = SV("2021-22"),
		.start_day = SV("1"), .start_month = SV("4"), .start_year = SV("2021"),
		.end_day = SV("31"), .end_month = SV("3"), .end_year = SV("2022"),
	};
	struct field_errors e;
	int64_t id = 0;
	field_errors_init(&e);
	return funding_source_add(f->d, f->a, &f->lead, &in, &e, &id) == DOMAIN_OK ? id : 0;
}

static int64_t add_line(struct fixture *f, int64_t programme, int64_t source, const char *kind,
			const char *amount)
{
	struct budget_line_input in = {.source_id = sv_from(arena_printf(f->a, "%lld",
									     (long long)source)),
				       .kind = sv_from(kind), .amount = sv_from(amount),
				       .cost_code = SV("CC-1")};
	struct field_errors e;
	int64_t id = 0;
	field_errors_init(&e);
	return budget_line_add(f->d, f->a, &f->lead, programme, &in, &e, &id) == DOMAIN_OK ? id : 0;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[128];
	log_set_level(LOG_ERROR);
	snprintf(f->dir, sizeof(f->dir), "/tmp/coprod-test-budget-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/coprod.db", f->dir);
	if (db_open(path, &f->d) != DB_OK || db_migrate(f->d, NULL, NULL) != DB_OK)
		return -1;
	f->a = arena_new(8 << 20);
	f->lead.account_id = insert(f->d, "INSERT INTO accounts (display_name, role, created_at,"
					  " updated_at) VALUES ('Pat Lead', 'programme_lead', 'x', 'x')");
	f->fac.account_id = insert(f->d, "INSERT INTO accounts (display_name, role, created_at,"
					 " updated_at) VALUES ('Fay Fac', 'facilitator', 'x', 'x')");
	f->other_fac = insert(f->d, "INSERT INTO accounts (display_name, role, created_at,"
				    " updated_at) VALUES ('Oz Fac', 'facilitator', 'x', 'x')");
	f->board = insert(f->d, "INSERT INTO accounts (display_name, role, created_at,"
				" updated_at) VALUES ('Bo Board', 'board_member', 'x', 'x')");
	f->local = insert(f->d, "INSERT INTO accounts (display_name, role, created_at,"
				" updated_at) VALUES ('Lu Local', 'local_person', 'x', 'x')");
	f->programme = insert(f->d, "INSERT INTO programmes (slug, name, summary, created_at,"
				    " updated_at) VALUES ('young-adults', 'Young adults', 's', 'x', 'x')");
	f->other_programme = insert(f->d, "INSERT INTO programmes (slug, name, summary, created_at,"
					  " updated_at) VALUES ('other', 'Other', 's', 'x', 'x')");
	insert(f->d, "INSERT INTO working_groups (programme_id, name, created_at, updated_at)"
		     " VALUES (1, 'Group', 'x', 'x')");
	insert(f->d, "INSERT INTO working_groups (programme_id, name, created_at, updated_at)"
		     " VALUES (2, 'Other group', 'x', 'x')");
	insert(f->d, "INSERT INTO group_members (group_id, account_id, role_in_group, joined_on)"
		     " VALUES (1, 2, 'facilitator', '2021-12-01')");
	insert(f->d, "INSERT INTO group_members (group_id, account_id, role_in_group, joined_on)"
		     " VALUES (2, 3, 'facilitator', '2021-12-01')");
	insert(f->d, "INSERT INTO group_members (group_id, account_id, role_in_group, joined_on)"
		     " VALUES (1, 5, 'local_person', '2021-12-01')");
	f->session = insert(f->d, "INSERT INTO group_sessions (group_id, title, starts_at, ends_at,"
				  " uid, created_at, updated_at) VALUES (1, 'Session one',"
				  " '2021-12-07T18:00', '2021-12-07T20:00', 'u1', 'x', 'x')");
	f->other_session = insert(f->d, "INSERT INTO group_sessions (group_id, title, starts_at,"
					" ends_at, uid, created_at, updated_at) VALUES (2, 'Elsewhere',"
					" '2021-12-08T18:00', '2021-12-08T20:00', 'u2', 'x', 'x')");
	f->adult = add_source(f, "Adult Commissioning Committee", "30,000");
	f->children = add_source(f, "Children's Commissioning Committee", "£30000.00");
	f->venues = add_line(f, f->programme, f->adult, "venues", "100");
	f->pay = add_line(f, f->programme, f->adult, "participant-payments", "1,000");
	if (!f->lead.account_id || !f->board || !f->session || !f->other_session || !f->adult ||
	    !f->children || !f->venues || !f->pay)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->d);
	arena_free(f->a);
	rm_dir(f->dir);
	free(f);
	return 0;
}

/* An entry as a form would send it, with the date 10 1 2022. */
static struct budget_entry_input entry(const char *kind, int64_t line, const char *amount,
				       const char *vat, const char *supplier, arena *a)
{
	return (struct budget_entry_input){
		.kind = sv_from(kind), .line_id = sv_from(arena_printf(a, "%lld", (long long)line)),
		.day = SV("10"), .month = SV("1"), .year = SV("2022"),
		.supplier = sv_from(supplier), .amount = sv_from(amount), .vat = sv_from(vat),
		.reference = SV("INV-1"), .what_for = SV("Room hire"),
	};
}

static int count_entries(struct fixture *f)
{
	db_stmt *st = db_prepare(f->d, "SELECT COUNT(*) FROM budget_entries");
	int n = -1;
	if (st && db_step(st) == DB_ROW)
		n = (int)db_col_int(st, 0);
	db_done(st);
	return n;
}

static struct budget_line line_of(struct fixture *f, int64_t id)
{
	struct budget_line *l, none = {0};
	size_t n;
	assert_int_equal(budget_lines_list(f->d, f->a, f->programme, &l, &n), DOMAIN_OK);
	for (size_t i = 0; i < n; i++)
		if (l[i].id == id)
			return l[i];
	fail_msg("line %lld not listed", (long long)id);
	return none;
}

static void test_over_by_boundary(void **state)
{
	(void)state;
	assert_int_equal(budget_over_by(10000, 10000), 0);
	assert_int_equal(budget_over_by(10000, 10001), 1);
	assert_int_equal(budget_over_by(10000, 0), 0);
	assert_int_equal(budget_over_by(0, 250), 250);
}

/* Exactly at budget is saved; 1p more is refused with the overspend named, and nothing
 * is saved; a lead's approval with a reason saves it. */
static void test_exactly_at_budget_then_one_penny_over(void **state)
{
	struct fixture *f = *state;
	struct field_errors e;
	int64_t over = -1, id = 0;
	struct budget_entry_input in = entry("commitment", f->venues, "60", "", "", f->a);

	field_errors_init(&e);
	assert_int_equal(budget_entry_add(f->d, f->a, &f->fac, f->programme, false, &in, &e, &over,
					  &id),
			 DOMAIN_OK);
	in = entry("spend", f->venues, "40.00", "8.00", "Demo Hall", f->a);
	assert_int_equal(budget_entry_add(f->d, f->a, &f->fac, f->programme, false, &in, &e, &over,
					  &id),
			 DOMAIN_OK);
	struct budget_line l = line_of(f, f->venues);
	assert_int_equal(l.m.budget_pence, 10000);
	assert_int_equal(l.m.committed_pence, 6000);
	assert_int_equal(l.m.spent_pence, 4000);
	assert_int_equal(l.m.remaining_pence, 0);

	in = entry("spend", f->venues, "0.01", "", "Demo Hall", f->a);
	assert_int_equal(budget_entry_add(f->d, f->a, &f->fac, f->programme, false, &in, &e, &over,
					  &id),
			 DOMAIN_EINVALID);
	assert_int_equal(over, 1);
	assert_non_null(field_error_get(&e, "amount"));
	assert_non_null(strstr(field_error_get(&e, "amount"), "£0.01 over its budget of £100"));
	assert_non_null(strstr(field_error_get(&e, "amount"), "Only a programme lead"));
	assert_int_equal(count_entries(f), 2);

	/* A facilitator cannot approve it. */
	in.approve_over = true;
	in.over_reason = SV("Because");
	field_errors_init(&e);
	assert_int_equal(budget_entry_add(f->d, f->a, &f->fac, f->programme, false, &in, &e, &over,
					  &id),
			 DOMAIN_EFORBIDDEN);
	/* A lead must give a reason. */
	in.over_reason = SV("  ");
	assert_int_equal(budget_entry_add(f->d, f->a, &f->lead, f->programme, true, &in, &e, &over,
					  &id),
			 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&e, "over_reason"));
	assert_int_equal(count_entries(f), 2);
	/* The lead without ticking the box is told how to go ahead. */
	in.approve_over = false;
	field_errors_init(&e);
	assert_int_equal(budget_entry_add(f->d, f->a, &f->lead, f->programme, true, &in, &e, &over,
					  &id),
			 DOMAIN_EINVALID);
	assert_non_null(strstr(field_error_get(&e, "amount"), "give the reason"));
	/* Approved with a reason: saved and audited. */
	in.approve_over = true;
	in.over_reason = SV("Extra session agreed by the group");
	field_errors_init(&e);
	assert_int_equal(budget_entry_add(f->d, f->a, &f->lead, f->programme, true, &in, &e, &over,
					  &id),
			 DOMAIN_OK);
	l = line_of(f, f->venues);
	assert_int_equal(l.m.remaining_pence, -1);
	struct budget_entry *es;
	size_t n;
	assert_int_equal(budget_entries_list(f->d, f->a, f->programme, &es, &n), DOMAIN_OK);
	assert_int_equal(n, 3);
	assert_string_equal(es[0].over_reason, "Extra session agreed by the group");
	assert_string_equal(es[0].over_approved_name, "Pat Lead");
	db_stmt *st = db_prepare(f->d, "SELECT COUNT(*) FROM audit_log WHERE entity = 'budget_entry'"
				       " AND action = 'create_over_budget'");
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 1);
	db_done(st);
}

/* Each refusal names its field and saves nothing. */
static void test_refusals(void **state)
{
	struct fixture *f = *state;
	struct field_errors e;
	struct budget_entry_input in;
	int64_t over;

	static const struct {
		const char *kind, *amount, *vat, *supplier, *field;
		int line; /* 0 venues, 1 unknown, 2 other programme's */
	} cases[] = {
		{"spend", "-5", "", "Demo Hall", "amount", 0},
		{"spend", "12.345", "", "Demo Hall", "amount", 0},
		{"spend", "ten pounds", "", "Demo Hall", "amount", 0},
		{"spend", "0", "", "Demo Hall", "amount", 0},
		{"spend", "10", "12", "Demo Hall", "vat", 0},
		{"spend", "10", "-1", "Demo Hall", "vat", 0},
		{"spend", "10", "", "  ", "supplier", 0},
		{"spend", "10", "", "Demo Hall", "line_id", 1},
		{"spend", "10", "", "Demo Hall", "line_id", 2},
		{"refund", "10", "", "Demo Hall", "kind", 0},
	};
	int64_t other_line = add_line(f, f->other_programme, f->adult, "venues", "500");
	assert_true(other_line > 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t line = cases[i].line == 0 ? f->venues : cases[i].line == 1 ? 9999 : other_line;
		in = entry(cases[i].kind, line, cases[i].amount, cases[i].vat, cases[i].supplier,
			   f->a);
		field_errors_init(&e);
		assert_int_equal(budget_entry_add(f->d, f->a, &f->lead, f->programme, true, &in, &e,
						  &over, NULL),
				 DOMAIN_EINVALID);
		if (!field_error_get(&e, cases[i].field))
			fail_msg("case %zu: no error on %s", i, cases[i].field);
	}
	/* A session of another programme, and an impossible date. */
	in = entry("spend", f->venues, "10", "", "Demo Hall", f->a);
	in.session_id = sv_from(arena_printf(f->a, "%lld", (long long)f->other_session));
	in.day = SV("31");
	in.month = SV("2");
	field_errors_init(&e);
	assert_int_equal(budget_entry_add(f->d, f->a, &f->lead, f->programme, true, &in, &e, &over,
					  NULL),
			 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&e, "session_id"));
	assert_non_null(field_error_get(&e, "date"));
	assert_int_equal(count_entries(f), 0);
	/* Money spent cannot be dated after today; a commitment for later can. */
	in = entry("spend", f->venues, "10", "", "Demo Hall", f->a);
	in.year = SV("2199");
	field_errors_init(&e);
	assert_int_equal(budget_entry_add(f->d, f->a, &f->lead, f->programme, true, &in, &e, &over,
					  NULL),
			 DOMAIN_EINVALID);
	assert_non_null(strstr(field_error_get(&e, "date"), "today or earlier"));
	assert_int_equal(count_entries(f), 0);
	/* A commitment needs no supplier, may be for later; a session of the programme is
	 * fine. */
	in = entry("commitment", f->venues, "10", "", "", f->a);
	in.year = SV("2199");
	in.session_id = sv_from(arena_printf(f->a, "%lld", (long long)f->session));
	assert_int_equal(budget_entry_add(f->d, f->a, &f->fac, f->programme, false, &in, &e, &over,
					  NULL),
			 DOMAIN_OK);
	assert_int_equal(count_entries(f), 1);
}

/* A spend that settles a commitment counts once; a correction reopens it. */
static void test_settling_and_correcting(void **state)
{
	struct fixture *f = *state;
	struct field_errors e;
	int64_t commitment = 0, spend = 0, over;
	struct budget_entry_input in = entry("commitment", f->venues, "100", "", "Demo Hall", f->a);

	field_errors_init(&e);
	assert_int_equal(budget_entry_add(f->d, f->a, &f->fac, f->programme, false, &in, &e, &over,
					  &commitment),
			 DOMAIN_OK);
	/* Without settling, paying the first invoice would count twice and go over. */
	in = entry("spend", f->venues, "60", "12", "Demo Hall", f->a);
	assert_int_equal(budget_entry_add(f->d, f->a, &f->fac, f->programme, false, &in, &e, &over,
					  NULL),
			 DOMAIN_EINVALID);
	assert_int_equal(over, 6000);
	in.settles = sv_from(arena_printf(f->a, "%lld", (long long)commitment));
	field_errors_init(&e);
	assert_int_equal(budget_entry_add(f->d, f->a, &f->fac, f->programme, false, &in, &e, &over,
					  &spend),
			 DOMAIN_OK);
	struct budget_line l = line_of(f, f->venues);
	assert_int_equal(l.m.committed_pence, 4000);
	assert_int_equal(l.m.spent_pence, 6000);
	assert_int_equal(l.m.remaining_pence, 0);

	/* Correcting the spend reopens the commitment: back to 100 committed, 0 spent. */
	field_errors_init(&e);
	assert_int_equal(budget_entry_reverse(f->d, f->a, &f->lead, f->programme, spend, SV(""), &e),
			 DOMAIN_EINVALID);
	assert_int_equal(budget_entry_reverse(f->d, f->a, &f->lead, f->programme, spend,
					      SV("Invoice sent twice"), &e),
			 DOMAIN_OK);
	l = line_of(f, f->venues);
	assert_int_equal(l.m.committed_pence, 10000);
	assert_int_equal(l.m.spent_pence, 0);
	assert_int_equal(budget_entry_reverse(f->d, f->a, &f->lead, f->programme, spend,
					      SV("Again"), &e),
			 DOMAIN_ECONFLICT);
	assert_int_equal(budget_entry_reverse(f->d, f->a, &f->lead, f->other_programme, commitment,
					      SV("Wrong programme"), &e),
			 DOMAIN_ENOTFOUND);
	/* Cancelling the commitment frees the whole line. */
	assert_int_equal(budget_entry_reverse(f->d, f->a, &f->lead, f->programme, commitment,
					      SV("Booking cancelled"), &e),
			 DOMAIN_OK);
	l = line_of(f, f->venues);
	assert_int_equal(l.m.committed_pence, 0);
	assert_int_equal(l.m.remaining_pence, 10000);
}

/* Totals across lines and sources, per kind and for a period. */
static void test_totals_across_lines_and_sources(void **state)
{
	struct fixture *f = *state;
	struct field_errors e;
	int64_t over;
	int64_t kids_venues = add_line(f, f->programme, f->children, "venues", "200");
	assert_true(kids_venues > 0);
	/* The same kind from the same source twice is refused. */
	struct budget_line_input dup = {.source_id = sv_from(arena_printf(f->a, "%lld",
									      (long long)f->adult)),
					.kind = SV("venues"), .amount = SV("5")};
	field_errors_init(&e);
	assert_int_equal(budget_line_add(f->d, f->a, &f->lead, f->programme, &dup, &e, NULL),
			 DOMAIN_ECONFLICT);
	assert_non_null(field_error_get(&e, "kind"));

	struct budget_entry_input in = entry("spend", kids_venues, "150", "30", "Demo Hall", f->a);
	field_errors_init(&e);
	assert_int_equal(budget_entry_add(f->d, f->a, &f->fac, f->programme, false, &in, &e, &over,
					  NULL),
			 DOMAIN_OK);
	in = entry("spend", f->pay, "25", "", "Demo Person", f->a);
	in.year = SV("2021");
	in.month = SV("12");
	assert_int_equal(budget_entry_add(f->d, f->a, &f->fac, f->programme, false, &in, &e, &over,
					  NULL),
			 DOMAIN_OK);
	in = entry("commitment", f->venues, "70", "", "", f->a);
	assert_int_equal(budget_entry_add(f->d, f->a, &f->fac, f->programme, false, &in, &e, &over,
					  NULL),
			 DOMAIN_OK);

	struct budget_totals t;
	assert_int_equal(budget_totals(f->d, f->a, f->programme, NULL, NULL, &t), DOMAIN_OK);
	int v = budget_kind_index(SV("venues")), p = budget_kind_index(SV("participant-payments"));
	assert_int_equal(t.kinds[v].budget_pence, 30000);
	assert_int_equal(t.kinds[v].committed_pence, 7000);
	assert_int_equal(t.kinds[v].spent_pence, 15000);
	assert_int_equal(t.kinds[v].remaining_pence, 8000);
	assert_int_equal(t.kinds[p].spent_pence, 2500);
	assert_int_equal(t.all.budget_pence, 130000);
	assert_int_equal(t.all.spent_pence, 17500);
	assert_int_equal(t.all.remaining_pence, 130000 - 7000 - 17500);
	/* December 2021 only: the payment is spent in the period, the hall's bill is not yet
	 * made and neither is the commitment. */
	assert_int_equal(budget_totals(f->d, f->a, f->programme, "2021-12-01", "2021-12-31", &t),
			 DOMAIN_OK);
	assert_int_equal(t.all.spent_pence, 2500);
	assert_int_equal(t.all.committed_pence, 0);
	assert_int_equal(t.all.remaining_pence, 130000 - 2500);
	/* January 2022: the rest was spent in the period, but remaining counts everything. */
	assert_int_equal(budget_totals(f->d, f->a, 0, "2022-01-01", "2022-01-31", &t), DOMAIN_OK);
	assert_int_equal(t.all.spent_pence, 15000);
	assert_int_equal(t.all.remaining_pence, 130000 - 7000 - 17500);

	struct funding_source *s;
	size_t n;
	assert_int_equal(funding_sources_list(f->d, f->a, &s, &n), DOMAIN_OK);
	assert_int_equal(n, 2);
	assert_string_equal(s[0].name, "Adult Commissioning Committee");
	assert_int_equal(s[0].amount_pence, 3000000);
	assert_int_equal(s[0].allocated_pence, 110000);
	assert_int_equal(s[0].unallocated_pence, 3000000 - 110000);
	assert_int_equal(s[0].m.spent_pence, 2500);
	assert_int_equal(s[0].m.committed_pence, 7000);
	assert_int_equal(s[1].m.spent_pence, 15000);
	assert_int_equal(s[1].m.remaining_pence, 5000);

	struct budget_months m;
	assert_int_equal(budget_months(f->d, f->a, f->programme, &m), DOMAIN_OK);
	assert_int_equal(m.n, 2);
	assert_string_equal(m.labels[0], "Dec 2021");
	assert_int_equal(m.spent[0], 2500);
	assert_int_equal(m.spent[1], 15000);
	assert_int_equal(m.committed[1], 7000);
	assert_false(m.earlier);

	/* Years of quiet months are not drawn: at most 36, ending with the latest. */
	struct budget_entry_input far = entry("commitment", f->venues, "1", "", "", f->a);
	far.year = SV("2031");
	struct field_errors fe;
	int64_t over_by;
	field_errors_init(&fe);
	assert_int_equal(budget_entry_add(f->d, f->a, &f->lead, f->programme, true, &far, &fe,
					  &over_by, NULL),
			 DOMAIN_OK);
	assert_int_equal(budget_months(f->d, f->a, f->programme, &m), DOMAIN_OK);
	assert_int_equal(m.n, 36);
	assert_true(m.earlier);
	assert_string_equal(m.labels[35], "Jan 2031");
}

/* What the payments module calls when a batch is paid. */
static void test_payments_interface(void **state)
{
	struct fixture *f = *state;
	int64_t line = 0, id = 0;
	char *code = NULL;
	assert_int_equal(budget_line_find(f->d, f->programme, "participant-payments", &line, &code,
					  f->a),
			 DOMAIN_OK);
	assert_int_equal(line, f->pay);
	assert_string_equal(code, "CC-1");
	assert_int_equal(budget_line_find(f->d, f->programme, "materials", &line, NULL, f->a),
			 DOMAIN_ENOTFOUND);

	assert_int_equal(db_begin(f->d), DB_OK);
	assert_int_equal(budget_spend_record_tx(f->d, f->a, &f->lead, f->pay, "2022-02-01", 100000,
						"Payment batch 1", "B1", "Participant payments",
						NULL, &id),
			 DOMAIN_OK);
	assert_int_equal(budget_spend_record_tx(f->d, f->a, &f->lead, f->pay, "2022-03-01", 1,
						"Payment batch 2", "B2", "Participant payments",
						NULL, &id),
			 DOMAIN_ECONFLICT);
	assert_int_equal(budget_spend_record_tx(f->d, f->a, &f->lead, f->pay, "2022-03-01", 1,
						"Payment batch 2", "B2", "Participant payments",
						"Payment batch 2 approved by Pat Lead", &id),
			 DOMAIN_OK);
	assert_int_equal(budget_spend_record_tx(f->d, f->a, &f->lead, 9999, "2022-03-01", 1, "x",
						"", "", NULL, &id),
			 DOMAIN_ENOTFOUND);
	assert_int_equal(budget_spend_record_tx(f->d, f->a, &f->lead, f->pay, "2022-02-30", 1, "x",
						"", "", NULL, &id),
			 DOMAIN_EINVALID);
	assert_int_equal(db_commit(f->d), DB_OK);
	assert_int_equal(line_of(f, f->pay).m.remaining_pence, -1);
}

/* A source cannot give lines more than it has; a line's budget can move, but not below
 * what it has already committed and spent. */
static void test_line_budgets_within_source(void **state)
{
	struct fixture *f = *state;
	struct field_errors e;
	struct budget_line_input in = {.source_id = sv_from(arena_printf(f->a, "%lld",
									     (long long)f->adult)),
				       .kind = SV("materials"), .amount = SV("28,900.01")};
	field_errors_init(&e);
	assert_int_equal(budget_line_add(f->d, f->a, &f->lead, f->programme, &in, &e, NULL),
			 DOMAIN_EINVALID);
	assert_non_null(strstr(field_error_get(&e, "amount"), "has only £28,900 not yet given"));
	in.amount = SV("28,900");
	field_errors_init(&e);
	int64_t materials = 0;
	assert_int_equal(budget_line_add(f->d, f->a, &f->lead, f->programme, &in, &e, &materials),
			 DOMAIN_OK);

	/* 60 of the venues line's 100 is used: it may go down to 60, not 59.99. */
	struct budget_entry_input x = entry("spend", f->venues, "60", "", "Demo Hall", f->a);
	int64_t over;
	assert_int_equal(budget_entry_add(f->d, f->a, &f->fac, f->programme, false, &x, &e, &over,
					  NULL),
			 DOMAIN_OK);
	struct budget_line_input up = {.amount = SV("59.99"), .cost_code = SV("CC-2")};
	field_errors_init(&e);
	assert_int_equal(budget_line_update(f->d, f->a, &f->lead, f->programme, f->venues, &up, &e),
			 DOMAIN_EINVALID);
	assert_non_null(strstr(field_error_get(&e, "amount"), "£60 committed and spent"));
	up.amount = SV("60");
	assert_int_equal(budget_line_update(f->d, f->a, &f->lead, f->programme, f->venues, &up, &e),
			 DOMAIN_OK);
	assert_int_equal(line_of(f, f->venues).m.remaining_pence, 0);
	assert_string_equal(line_of(f, f->venues).cost_code, "CC-2");
	/* The source is fully given out now: 40 came back, so 40.01 more is too much. */
	up.amount = SV("100.01");
	field_errors_init(&e);
	assert_int_equal(budget_line_update(f->d, f->a, &f->lead, f->programme, f->venues, &up, &e),
			 DOMAIN_EINVALID);
	assert_non_null(strstr(field_error_get(&e, "amount"),
			       "has only £40 not yet given to budget lines, so this line can be at most £100"));
	up.amount = SV("100");
	assert_int_equal(budget_line_update(f->d, f->a, &f->lead, f->programme, f->venues, &up, &e),
			 DOMAIN_OK);
	/* A line of another programme is not found through this one. */
	assert_int_equal(budget_line_update(f->d, f->a, &f->lead, f->other_programme, f->venues,
					    &up, &e),
			 DOMAIN_ENOTFOUND);
	db_stmt *st = db_prepare(f->d, "SELECT COUNT(*) FROM audit_log WHERE entity = 'budget_line'"
				       " AND action = 'update'");
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 2);
	db_done(st);
}

static void test_access(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(budget_access(f->d, f->lead.account_id, ROLE_PROGRAMME_LEAD, f->programme),
			 BUDGET_MANAGE);
	assert_int_equal(budget_access(f->d, f->fac.account_id, ROLE_FACILITATOR, f->programme),
			 BUDGET_RECORD);
	assert_int_equal(budget_access(f->d, f->other_fac, ROLE_FACILITATOR, f->programme),
			 BUDGET_NONE);
	assert_int_equal(budget_access(f->d, f->other_fac, ROLE_FACILITATOR, f->other_programme),
			 BUDGET_RECORD);
	assert_int_equal(budget_access(f->d, f->board, ROLE_BOARD_MEMBER, f->programme),
			 BUDGET_TOTALS);
	assert_int_equal(budget_access(f->d, f->local, ROLE_LOCAL_PERSON, f->programme),
			 BUDGET_NONE);
	assert_int_equal(budget_access(f->d, 0, ROLE_NONE, f->programme), BUDGET_NONE);
	assert_int_equal(budget_access(f->d, f->lead.account_id, ROLE_PROGRAMME_LEAD, 999),
			 BUDGET_NONE);
}

static void test_source_validation(void **state)
{
	struct fixture *f = *state;
	struct field_errors e;
	struct funding_source_input in = {
		.name = SV("Adult Commissioning Committee"), .organisation = SV(""),
		.amount = SV("-30000"), .financial_year = SV("2021-22"),
		.start_day = SV("1"), .start_month = SV("4"), .start_year = SV("2022"),
		.end_day = SV("31"), .end_month = SV("3"), .end_year = SV("2022"),
	};
	field_errors_init(&e);
	assert_int_equal(funding_source_add(f->d, f->a, &f->lead, &in, &e, NULL), DOMAIN_EINVALID);
	assert_non_null(field_error_get(&e, "organisation"));
	assert_non_null(field_error_get(&e, "amount"));
	assert_non_null(field_error_get(&e, "ends"));
	in.organisation = SV("Demo");
	in.amount = SV("5");
	in.end_year = SV("2023");
	field_errors_init(&e);
	assert_int_equal(funding_source_add(f->d, f->a, &f->lead, &in, &e, NULL), DOMAIN_ECONFLICT);
	assert_non_null(field_error_get(&e, "name"));

	/* Changing a source: not below what its lines have (1,100 of the Adult source). */
	in.name = SV("Adult Commissioning Committee");
	in.amount = SV("1,099.99");
	field_errors_init(&e);
	assert_int_equal(funding_source_update(f->d, f->a, &f->lead, f->adult, &in, &e),
			 DOMAIN_EINVALID);
	assert_non_null(strstr(field_error_get(&e, "amount"), "already have £1,100"));
	in.name = SV("Children's Commissioning Committee");
	in.amount = SV("1,100");
	field_errors_init(&e);
	assert_int_equal(funding_source_update(f->d, f->a, &f->lead, f->adult, &in, &e),
			 DOMAIN_ECONFLICT);
	in.name = SV("Adult Commissioning Committee 2021-22");
	field_errors_init(&e);
	assert_int_equal(funding_source_update(f->d, f->a, &f->lead, f->adult, &in, &e), DOMAIN_OK);
	assert_int_equal(funding_source_update(f->d, f->a, &f->lead, 999, &in, &e), DOMAIN_ENOTFOUND);
	struct funding_source *s;
	size_t n;
	assert_int_equal(funding_sources_list(f->d, f->a, &s, &n), DOMAIN_OK);
	assert_string_equal(s[0].name, "Adult Commissioning Committee 2021-22");
	assert_int_equal(s[0].unallocated_pence, 0);
}

/* The demo's budget: the two £30,000 sources wholly given to lines, spend linked to
 * sessions, and one approved overspend. */
static void test_demo_budget(void **state)
{
	struct fixture f = {0};
	char path[128];
	(void)state;
	snprintf(f.dir, sizeof(f.dir), "/tmp/coprod-test-budget-XXXXXX");
	assert_non_null(mkdtemp(f.dir));
	snprintf(path, sizeof(path), "%s/coprod.db", f.dir);
	assert_int_equal(db_open(path, &f.d), DB_OK);
	assert_int_equal(db_migrate(f.d, NULL, NULL), DB_OK);
	f.a = arena_new(64 << 20);
	assert_int_equal(password_init(), 0);
	assert_int_equal(demo_load(f.d, f.a), DOMAIN_OK);
	/* Until the demo loads the budget itself, load it here as the demo would. */
	int64_t id = 0;
	if (funding_source_find(f.d, DEMO_SOURCE_ADULT, &id) == DOMAIN_ENOTFOUND) {
		assert_int_equal(db_begin(f.d), DB_OK);
		assert_int_equal(demo_load_budget(f.d, f.a), DOMAIN_OK);
		assert_int_equal(db_commit(f.d), DB_OK);
	}

	struct funding_source *s;
	size_t n;
	assert_int_equal(funding_sources_list(f.d, f.a, &s, &n), DOMAIN_OK);
	assert_int_equal(n, 2);
	assert_int_equal(s[0].amount_pence + s[1].amount_pence, 6000000);
	assert_int_equal(s[0].unallocated_pence, 0);
	assert_int_equal(s[1].unallocated_pence, 0);

	int64_t programme = 0;
	db_stmt *st = db_prepare(f.d, "SELECT id FROM programmes WHERE slug = 'young-adults'");
	assert_int_equal(db_step(st), DB_ROW);
	programme = db_col_int(st, 0);
	db_done(st);
	struct budget_entry *e;
	assert_int_equal(budget_entries_list(f.d, f.a, programme, &e, &n), DOMAIN_OK);
	size_t linked = 0, approved = 0, open = 0;
	for (size_t i = 0; i < n; i++) {
		linked += e[i].session_id != 0;
		approved += e[i].over_reason != NULL;
		open += e[i].open_pence > 0;
	}
	assert_true(linked > 20);
	assert_int_equal(approved, 1);
	assert_int_equal(open, 1);
	struct budget_totals t;
	assert_int_equal(budget_totals(f.d, f.a, programme, NULL, NULL, &t), DOMAIN_OK);
	assert_int_equal(t.all.budget_pence, 6000000);
	assert_int_equal(t.kinds[budget_kind_index(SV("facilitation"))].spent_pence, 635000);
	assert_true(t.all.remaining_pence > 0);
	db_close(f.d);
	arena_free(f.a);
	rm_dir(f.dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_over_by_boundary),
		cmocka_unit_test_setup_teardown(test_exactly_at_budget_then_one_penny_over, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_settling_and_correcting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_totals_across_lines_and_sources, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_payments_interface, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_budgets_within_source, setup, teardown),
		cmocka_unit_test_setup_teardown(test_access, setup, teardown),
		cmocka_unit_test_setup_teardown(test_source_validation, setup, teardown),
		cmocka_unit_test(test_demo_budget),
	};
	setenv("COPROD_TEST_FAST_HASH", "1", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
