/* demo_budget.c: the demo's engagement budget; see demo_budget.h. */
#include "domain/demo_budget.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "domain/budget.h"

#define DEMO_SESSIONS_MAX 100
#define PHASE_TWO "2022-06-01" /* decision-makers joined the group in June 2022 */

struct demo {
	db *d;
	arena *a;
	int64_t programme;
	struct audit_actor lead, fac;
	int64_t line[2][BUDGET_KIND_COUNT]; /* [0] adult, [1] children; 0 when none */
};

static int64_t find_id(db *d, const char *sql, const char *text)
{
	db_stmt *st = db_prepare(d, sql);
	int64_t id = 0;
	int rc;
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, text);
	rc = db_step(st);
	if (rc == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? id : rc == DB_DONE ? 0 : (rc < 0 ? rc : DB_ERR);
}

static int add_source(struct demo *x, const char *name, const char *organisation,
		      int64_t *id)
{
	struct funding_source_input in = {
		.name = sv_from(name),
		.organisation = sv_from(organisation),
		.amount = SV("30,000"),
		.financial_year = SV("2020-21"),
		.conditions = SV("Non-recurrent. Committed in 2020-21 by the Health and Care "
				 "Commissioning Committee, directed by the Health and Wellbeing "
				 "Board towards tackling health inequalities: to facilitate "
				 "convening local people for the selected priority areas."),
	};
	struct field_errors fe;
	field_errors_init(&fe);
	return funding_source_add_tx(x->d, x->a, &x->lead, &in, &fe, id);
}

static const struct {
	int source; /* 0 adult, 1 children */
	const char *kind, *amount, *code, *note;
} lines[] = {
	{0, "participant-payments", "12,000", "DEMO-A-PAY", "Paying local people for their time"},
	{0, "expenses", "3,000", "DEMO-A-EXP", "Travel and other costs of taking part"},
	{0, "venues", "4,000", "DEMO-A-VEN", ""},
	{0, "refreshments", "2,000", "DEMO-A-REF", ""},
	{0, "facilitation", "6,000", "DEMO-A-FAC", "The group's independent facilitator"},
	{0, "interpreters-bsl", "1,500", "DEMO-A-BSL", ""},
	{0, "accessibility-support", "1,500", "DEMO-A-ACC", "Large print, easy read, hearing loop hire"},
	{1, "participant-payments", "10,000", "DEMO-C-PAY", "Paying local people for their time"},
	{1, "expenses", "2,000", "DEMO-C-EXP", ""},
	{1, "venues", "3,000", "DEMO-C-VEN", ""},
	{1, "refreshments", "1,500", "DEMO-C-REF", ""},
	{1, "facilitation", "8,000", "DEMO-C-FAC", ""},
	{1, "childcare-carer-cover", "3,000", "DEMO-C-CHC", "So young parents and carers can come"},
	{1, "interpreters-bsl", "1,000", "DEMO-C-BSL", ""},
	{1, "materials", "1,500", "DEMO-C-MAT", ""},
};

static int add_lines(struct demo *x, const int64_t source[2])
{
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct budget_line_input in = {
			.source_id = sv_from(arena_printf(x->a, "%" PRId64, source[lines[i].source])),
			.kind = sv_from(lines[i].kind),
			.amount = sv_from(lines[i].amount),
			.cost_code = sv_from(lines[i].code),
			.note = sv_from(lines[i].note),
		};
		struct field_errors fe;
		int k = budget_kind_index(sv_from(lines[i].kind));
		field_errors_init(&fe);
		int rc = budget_line_add_tx(x->d, x->a, &x->lead, x->programme, &in, &fe,
					    &x->line[lines[i].source][k]);
		if (rc)
			return rc;
	}
	return DOMAIN_OK;
}

struct entry {
	bool spend;
	int source;
	const char *kind, *date, *supplier, *amount, *vat, *reference, *what_for;
	int64_t session, settles;
	const char *over_reason; /* approved by the lead */
};

static int add_entry(struct demo *x, const struct entry *e, int64_t *id)
{
	struct field_errors fe;
	int64_t over = 0;
	int k = budget_kind_index(sv_from(e->kind));
	struct budget_entry_input in = {
		.kind = e->spend ? SV("spend") : SV("commitment"),
		.line_id = sv_from(arena_printf(x->a, "%" PRId64, x->line[e->source][k])),
		.year = {e->date, 4},
		.month = {e->date + 5, 2},
		.day = {e->date + 8, 2},
		.supplier = sv_from(e->supplier),
		.amount = sv_from(e->amount),
		.vat = sv_from(e->vat),
		.reference = sv_from(e->reference),
		.what_for = sv_from(e->what_for),
		.session_id = e->session ? sv_from(arena_printf(x->a, "%" PRId64, e->session)) : SV(""),
		.settles = e->settles ? sv_from(arena_printf(x->a, "%" PRId64, e->settles)) : SV(""),
		.approve_over = e->over_reason != NULL,
		.over_reason = sv_from(e->over_reason),
	};
	field_errors_init(&fe);
	int rc = budget_entry_add_tx(x->d, x->a, e->over_reason ? &x->lead : &x->fac, x->programme,
				     e->over_reason != NULL, &in, &fe, &over, id);
	if (rc == DOMAIN_EINVALID)
		log_error("demo: budget entry %s %s refused: %s", e->kind, e->date,
			  fe.n ? fe.items[0].message : "");
	return rc;
}

struct demo_session {
	int64_t id;
	char date[11];
};

/* The young adults group's sessions up to the Board meeting month, in order. */
static int group_sessions(struct demo *x, struct demo_session *out, size_t *n)
{
	db_stmt *st = db_prepare(x->d, "SELECT s.id, s.starts_at FROM group_sessions s"
				       " JOIN working_groups g ON g.id = s.group_id"
				       " WHERE g.programme_id = ? AND g.name = ?"
				       " AND s.status <> 'cancelled' AND s.starts_at < ?"
				       " ORDER BY s.starts_at, s.id");
	int rc;
	*n = 0;
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, x->programme);
	db_bind_text(st, 2, "Young adults group");
	db_bind_text(st, 3, "2022-12-01");
	while ((rc = db_step(st)) == DB_ROW && *n < DEMO_SESSIONS_MAX) {
		out[*n].id = db_col_int(st, 0);
		snprintf(out[*n].date, sizeof(out[*n].date), "%.10s", db_col_text(st, 1));
		(*n)++;
	}
	db_done(st);
	return rc == DB_DONE || rc == DB_ROW ? DOMAIN_OK : (rc < 0 ? rc : DB_ERR);
}

/* The room at the hub, booked in two blocks and paid session by session, with the
 * refreshments, childcare and interpreters that came with each session. */
static int session_costs(struct demo *x, const struct demo_session *s, size_t n)
{
	size_t before = 0, bsl = 0;
	int64_t block[2] = {0, 0};
	int rc;
	for (size_t i = 0; i < n; i++)
		if (strcmp(s[i].date, PHASE_TWO) < 0)
			before++;
	if (before) {
		struct entry c = {false, 0, "venues", "2021-11-23", "Demo Community Hub",
				  arena_printf(x->a, "%zu", before * 25), "", "DCH-BOOK-1",
				  arena_printf(x->a, "Main hall for %zu fortnightly sessions, "
						     "December 2021 to May 2022", before),
				  0, 0, NULL};
		rc = add_entry(x, &c, &block[0]);
		if (rc)
			return rc;
	}
	if (n > before) {
		/* Two more sessions were booked for December, still to come. */
		struct entry c = {false, 0, "venues", "2022-05-24", "Demo Community Hub",
				  arena_printf(x->a, "%zu", (n - before + 2) * 25), "", "DCH-BOOK-2",
				  arena_printf(x->a, "Main hall for %zu fortnightly sessions, "
						     "June to December 2022", n - before + 2),
				  0, 0, NULL};
		rc = add_entry(x, &c, &block[1]);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < n; i++) {
		bool joint = strcmp(s[i].date, PHASE_TWO) >= 0;
		const char *ref = arena_printf(x->a, "%.4s%.2s%.2s", s[i].date, s[i].date + 5,
					       s[i].date + 8);
		struct entry room = {true, 0, "venues", s[i].date, "Demo Community Hub", "25", "",
				     arena_printf(x->a, "DCH-%s", ref), "Main hall for the session",
				     s[i].id, block[joint], NULL};
		struct entry food = {true, 0, "refreshments", s[i].date, "Demo Café Co-operative",
				     "18.50", "3.70", arena_printf(x->a, "CAFE-%s", ref),
				     "Hot food and drinks for the group", s[i].id, 0, NULL};
		rc = add_entry(x, &room, NULL);
		if (!rc)
			rc = add_entry(x, &food, NULL);
		if (!rc && strcmp(s[i].date, "2022-03-01") >= 0) {
			struct entry care = {true, 1, "childcare-carer-cover", s[i].date,
					     "Demo Crèche Services", "60", "",
					     arena_printf(x->a, "CRECHE-%s", ref),
					     "Crèche during the session for members' children",
					     s[i].id, 0, NULL};
			rc = add_entry(x, &care, NULL);
		}
		if (!rc && joint && bsl < 2) {
			struct entry in = {true, 0, "interpreters-bsl", s[i].date,
					   "Demo BSL Interpreting Ltd", "240", "48",
					   arena_printf(x->a, "BSL-%s", ref),
					   "Two BSL interpreters for a joint session with "
					   "decision-makers",
					   s[i].id, 0, NULL};
			rc = add_entry(x, &in, NULL);
			bsl++;
		}
		if (rc)
			return rc;
	}
	return DOMAIN_OK;
}

static int other_costs(struct demo *x)
{
	static const char *const months[] = {"2021-12-28", "2022-01-28", "2022-02-28",
					     "2022-03-28", "2022-04-28", "2022-05-28",
					     "2022-06-28", "2022-07-28", "2022-08-28",
					     "2022-09-28", "2022-10-28", "2022-11-28"};
	int rc = DOMAIN_OK;
	/* The facilitator's monthly invoices use the Adult line to the penny. */
	for (size_t i = 0; !rc && i < sizeof(months) / sizeof(months[0]); i++) {
		struct entry f = {true, 0, "facilitation", months[i], "Demo Facilitation CIC",
				  "500", "", arena_printf(x->a, "DFC-%.7s", months[i]),
				  "Facilitating the group's sessions this month", 0, 0, NULL};
		rc = add_entry(x, &f, NULL);
	}
	if (rc)
		return rc;
	const struct entry rest[] = {
		{true, 0, "accessibility-support", "2022-02-10", "Demo Access Services", "120", "24",
		 "DAS-0042", "Large-print and easy-read versions of the session packs", 0, 0, NULL},
		{true, 1, "materials", "2022-11-08", "Demo Print Shop", "85.40", "17.08", "DPS-1187",
		 "Printing the proposals and their easy-read summaries for the Board", 0, 0, NULL},
		{true, 0, "facilitation", "2022-11-30", "Demo Facilitation CIC", "350", "",
		 "DFC-2022-11-EXTRA",
		 "Two extra sessions to prepare the proposals for the Board on 15 November 2022",
		 0, 0,
		 "The group asked for two extra preparation sessions before the Board. The "
		 "Children's Commissioning Committee facilitation line has room to cover this "
		 "at the year end."},
	};
	for (size_t i = 0; !rc && i < sizeof(rest) / sizeof(rest[0]); i++)
		rc = add_entry(x, &rest[i], NULL);
	return rc;
}

int demo_load_budget(db *d, arena *a)
{
	struct demo x = {.d = d, .a = a};
	struct demo_session sessions[DEMO_SESSIONS_MAX];
	size_t n = 0;
	int64_t source[2] = {0, 0};
	int rc;

	x.programme = find_id(d, "SELECT id FROM programmes WHERE slug = ?", "young-adults");
	if (x.programme <= 0)
		return x.programme < 0 ? (int)x.programme : DOMAIN_OK;
	x.lead.account_id = find_id(d, "SELECT id FROM accounts WHERE email = ?",
				    "programme.lead@example.org");
	x.fac.account_id = find_id(d, "SELECT id FROM accounts WHERE email = ?",
				   "facilitator@example.org");
	if (x.lead.account_id < 0 || x.fac.account_id < 0)
		return DB_ERR;
	rc = add_source(&x, DEMO_SOURCE_ADULT, "Adult Commissioning Committee", &source[0]);
	if (!rc)
		rc = add_source(&x, DEMO_SOURCE_CHILDREN, "Children's Commissioning Committee",
				&source[1]);
	if (!rc)
		rc = add_lines(&x, source);
	if (!rc)
		rc = group_sessions(&x, sessions, &n);
	if (!rc)
		rc = session_costs(&x, sessions, n);
	if (!rc)
		rc = other_costs(&x);
	if (rc)
		log_error("demo: could not load the budget (%d)", rc);
	return rc;
}
