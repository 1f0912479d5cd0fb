/* demo_board.c: the demo's Board meeting, decisions, co-delivery plan and returns; see
 * demo_board.h. Every name, sum and date here is invented for the demonstration. */
#include "domain/demo_board.h"

#include <string.h>

#include "core/log.h"
#include "domain/accounts.h"
#include "domain/board.h"
#include "domain/delivery.h"
#include "domain/returns.h"
#include "domain/validate.h"

#define DEMO_PAPERS 3

/* The id of the row SQL finds for TEXT, or 0. */
static int64_t find_id(db *d, const char *sql, const char *text)
{
	db_stmt *st = db_prepare(d, sql);
	int64_t id = 0;
	if (!st)
		return 0;
	if (db_bind_text(st, 1, text) == DB_OK && db_step(st) == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	return id;
}

/* The programme's ideas at status 'proposal', oldest first, at most DEMO_PAPERS. */
static size_t find_proposals(db *d, int64_t programme, int64_t ids[DEMO_PAPERS])
{
	db_stmt *st = db_prepare(d, "SELECT id FROM ideas WHERE programme_id = ?"
				    " AND status = 'proposal' ORDER BY id LIMIT 3");
	size_t n = 0;
	if (!st)
		return 0;
	if (db_bind_int(st, 1, programme) == DB_OK)
		while (n < DEMO_PAPERS && db_step(st) == DB_ROW)
			ids[n++] = db_col_int(st, 0);
	db_done(st);
	return n;
}

static const struct {
	const char *summary, *ask, *sought, *sought_from;
	enum board_decision decision;
	const char *conditions, *agreed, *agreed_from;
} papers[DEMO_PAPERS] = {
	{
		"Demo paper. The young adults group developed this proposal on their own from "
		"December 2021, then with decision-makers from the council and the NHS from June "
		"2022. It answers what young adults told us matters most to them.",
		"Support the proposal and agree £18,000 for its first year from the Adult "
		"Commissioning Committee budget (invented figure for the demo).",
		"18,000", "Demo Adult Commissioning Committee budget",
		BOARD_SUPPORTED,
		"Report progress to the Board in six months, and keep young adults in the group "
		"that oversees delivery.",
		"18,000", "Demo Adult Commissioning Committee budget",
	},
	{
		"Demo paper. A proposal the group shaped with council and NHS officers over four "
		"joint sessions in autumn 2022.",
		"Support the proposal in principle and agree £6,500 from the Children's "
		"Commissioning Committee budget (invented figure for the demo).",
		"6,500.00", "Demo Children's Commissioning Committee budget",
		BOARD_DEFERRED,
		"Bring it back to the Board in March 2023 with a costed plan agreed with the "
		"employers who would take part.",
		"", "",
	},
	{
		"Demo paper. A proposal for a new city-wide service, developed by the group with "
		"two decision-makers.",
		"Support the proposal and agree funding for a pilot.",
		"", "",
		BOARD_NOT_SUPPORTED,
		"The Board thanked the group. Much of this is already offered by an existing "
		"service: the group is invited to work with that service to reach more young "
		"adults, and to tell the Board what gets in the way.",
		"", "",
	},
};

static int load_papers(db *d, arena *a, const struct audit_actor *lead,
		       const struct audit_actor *member, int64_t meeting, const int64_t *ideas,
		       size_t n, int64_t *supported_paper)
{
	struct field_errors errs;
	int rc = DOMAIN_OK;
	field_errors_init(&errs);
	for (size_t i = 0; i < n && rc == DOMAIN_OK; i++) {
		struct board_paper_new in = {
			.meeting_id = meeting,
			.idea_id = ideas[i],
			.summary = sv_from(papers[i].summary),
			.ask = sv_from(papers[i].ask),
			.funding_sought = sv_from(papers[i].sought),
			.funding_sought_from = sv_from(papers[i].sought_from),
		};
		struct board_decision_new dec = {
			.decision = papers[i].decision,
			.conditions = sv_from(papers[i].conditions),
			.funding_agreed = sv_from(papers[i].agreed),
			.funding_agreed_from = sv_from(papers[i].agreed_from),
		};
		int64_t paper = 0;
		rc = board_paper_submit_tx(d, a, lead, &in, &errs, &paper);
		if (rc == DOMAIN_OK)
			rc = board_paper_decide_tx(d, a, member, paper, &dec, &errs);
		if (rc == DOMAIN_OK && papers[i].decision == BOARD_SUPPORTED)
			*supported_paper = paper;
	}
	return rc;
}

static struct date ymd(int y, int m, int day)
{
	return (struct date){y, m, day};
}

/* Adds an action due on DUE, then moves it to STATUS with PROGRESS. */
static int add_action(db *d, arena *a, const struct audit_actor *lead, int64_t plan,
		      const char *text, int64_t person, int64_t org, struct date due,
		      enum action_status status, const char *progress)
{
	struct field_errors errs;
	char day[8], month[8], year[8];
	struct delivery_action_new in;
	int64_t id = 0;
	int rc;

	field_errors_init(&errs);
	snprintf(day, sizeof(day), "%d", due.d % 100);
	snprintf(month, sizeof(month), "%d", due.m % 100);
	snprintf(year, sizeof(year), "%d", due.y % 10000);
	memset(&in, 0, sizeof(in));
	in.description = sv_from(text);
	in.owner_account_id = person;
	in.owner_organisation_id = org;
	in.due_day = sv_from(day);
	in.due_month = sv_from(month);
	in.due_year = sv_from(year);
	rc = delivery_action_add_tx(d, a, lead, plan, &in, &errs, &id);
	if (rc == DOMAIN_OK && (status != ACTION_NOT_STARTED || progress))
		rc = delivery_action_update_tx(d, a, lead, id, status, sv_from(progress ? progress : ""),
					       &errs);
	return rc;
}

static int add_milestone(db *d, arena *a, const struct audit_actor *lead, int64_t plan,
			 const char *title, struct date due, const struct date *reached)
{
	struct field_errors errs;
	char day[8], month[8], year[8];
	int64_t id = 0;
	int rc;
	field_errors_init(&errs);
	snprintf(day, sizeof(day), "%d", due.d % 100);
	snprintf(month, sizeof(month), "%d", due.m % 100);
	snprintf(year, sizeof(year), "%d", due.y % 10000);
	rc = delivery_milestone_add_tx(d, a, lead, plan, sv_from(title), sv_from(day),
				       sv_from(month), sv_from(year), &errs, &id);
	if (rc == DOMAIN_OK && reached)
		rc = delivery_milestone_reach_tx(d, a, lead, id, *reached, NULL);
	return rc;
}

static int load_plan(db *d, arena *a, const struct audit_actor *lead, int64_t paper)
{
	/* Dates around today keep one action in progress and one overdue whenever the demo
	 * is made. */
	struct date today = date_today(), reached1 = ymd(2023, 2, 23), reached2 = ymd(2023, 10, 3);
	int64_t plan = 0;
	int64_t voices = find_id(d, "SELECT id FROM organisations WHERE name = ?",
				 "Demo Community Voices (VCSE)");
	int64_t council = find_id(d, "SELECT id FROM organisations WHERE name = ?",
				  "Demo City Council");
	int64_t nhs = find_id(d, "SELECT id FROM organisations WHERE name = ?", "Demo NHS Trust");
	int64_t facilitator = find_id(d, "SELECT id FROM accounts WHERE email = ?",
				      "facilitator@example.org");
	int rc = delivery_plan_create_tx(d, a, lead, paper, &plan);

	if (rc == DOMAIN_OK && voices)
		rc = add_action(d, a, lead, plan,
				"Agree a venue and times that suit young adults, with the group",
				0, voices, ymd(2023, 1, 31), ACTION_DONE,
				"Tuesday evenings at the demo community centre, agreed with the "
				"group in January.");
	if (rc == DOMAIN_OK && facilitator)
		rc = add_action(d, a, lead, plan,
				"Recruit and train six peer supporters from the group", facilitator,
				0, ymd(2023, 4, 28), ACTION_DONE,
				"Six peer supporters trained; two more asked to join.");
	if (rc == DOMAIN_OK && council)
		rc = add_action(d, a, lead, plan,
				"Tell young adults about it through colleges, youth clubs and GP "
				"surgeries",
				0, council, date_add_days(today, 60), ACTION_IN_PROGRESS,
				"Posters are up in three colleges; youth clubs next.");
	if (rc == DOMAIN_OK && nhs)
		rc = add_action(d, a, lead, plan,
				"Agree how people can be referred from NHS mental health services", 0,
				nhs, date_add_days(today, -14), ACTION_NOT_STARTED, NULL);
	if (rc == DOMAIN_OK)
		rc = add_milestone(d, a, lead, plan, "First drop-in session held", ymd(2023, 2, 28),
				   &reached1);
	if (rc == DOMAIN_OK)
		rc = add_milestone(d, a, lead, plan, "Six-month review with the group",
				   ymd(2023, 9, 30), &reached2);
	if (rc == DOMAIN_OK)
		rc = add_milestone(d, a, lead, plan, "Progress report to the Board",
				   date_add_days(today, 120), NULL);
	return rc;
}

static int load_returns(db *d, arena *a, int64_t member)
{
	struct field_errors errs;
	int64_t council = find_id(d, "SELECT id FROM organisations WHERE name = ?",
				  "Demo City Council");
	int64_t nhs = find_id(d, "SELECT id FROM organisations WHERE name = ?", "Demo NHS Trust");
	const struct audit_actor system = {0, 0, NULL}, by_member = {member, 0, NULL};
	int rc = DOMAIN_OK;

	field_errors_init(&errs);
	if (nhs) {
		/* A second Board member, for the NHS Trust, who has not filed: no password, so
		 * nobody signs in as them. */
		struct account_new in = {
			.email = SV("board.member.nhs@example.org"),
			.display_name = SV("Demo Board Member Olu"),
			.role = ROLE_BOARD_MEMBER,
			.organisation_id = nhs,
			.is_demo = true,
		};
		rc = account_create_tx(d, a, &system, &in, NULL, &errs, NULL);
	}
	if (rc == DOMAIN_OK && council && member) {
		struct return_new in = {
			.period = SV("2022-H2"),
			.what_done = SV("Demo return. Council officers joined the young adults group's "
					"sessions from June 2022 as equals, shared data on services for "
					"young adults, and worked on three proposals with the group."),
			.rung = SV("co_design"),
			.what_changed = SV("Two council services changed their opening times after "
					   "hearing from the group, and the council now pays local "
					   "people for their time in every working group."),
		};
		int64_t id = 0;
		rc = return_file_tx(d, a, &by_member, council, &in, &errs, &id);
		if (rc == DOMAIN_OK) {
			db_stmt *st = db_prepare(d, "UPDATE organisation_returns"
						    " SET filed_at = '2023-01-20T10:00:00Z' WHERE id = ?");
			rc = !st ? DB_ERR : db_bind_int(st, 1, id) ? DB_ERR : db_step(st);
			if (st)
				db_done(st);
			rc = rc == DB_DONE ? DOMAIN_OK : rc < 0 ? rc : DB_ERR;
		}
	}
	return rc;
}

/* The functions above stamp everything with today's time; the story happened in
 * 2022-23, so the dates people read are moved back to when it happened. The audit log
 * keeps the real time the demo was made. */
static int backdate(db *d, int64_t meeting)
{
	static const char *const sql[] = {
		"UPDATE board_papers SET submitted_at = '2022-11-01T10:00:00Z',"
		" decided_at = '2022-11-15T16:00:00Z' WHERE meeting_id = ?",
		"UPDATE idea_status_changes SET changed_at = '2022-11-01T10:00:00Z'"
		" WHERE to_status = 'presented' AND idea_id IN"
		" (SELECT idea_id FROM board_papers WHERE meeting_id = ?)",
		"UPDATE idea_status_changes SET changed_at = '2022-11-15T16:00:00Z'"
		" WHERE to_status IN ('supported', 'not_supported', 'deferred') AND idea_id IN"
		" (SELECT idea_id FROM board_papers WHERE meeting_id = ?)",
		"UPDATE idea_status_changes SET changed_at = '2022-12-06T10:00:00Z'"
		" WHERE to_status = 'in_delivery' AND idea_id IN"
		" (SELECT idea_id FROM board_papers WHERE meeting_id = ?)",
		"UPDATE delivery_plans SET created_at = '2022-12-06T10:00:00Z' WHERE board_paper_id IN"
		" (SELECT id FROM board_papers WHERE meeting_id = ?)",
	};
	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		db_stmt *st = db_prepare(d, sql[i]);
		int rc;
		if (!st)
			return DB_ERR;
		rc = db_bind_int(st, 1, meeting) ? DB_ERR : db_step(st);
		db_done(st);
		if (rc != DB_DONE)
			return rc < 0 ? rc : DB_ERR;
	}
	return DOMAIN_OK;
}

int demo_load_board(db *d, arena *a)
{
	struct field_errors errs;
	int64_t programme = find_id(d, "SELECT id FROM programmes WHERE slug = ?", "young-adults");
	int64_t lead_id = find_id(d, "SELECT id FROM accounts WHERE email = ?",
				  "programme.lead@example.org");
	int64_t member_id = find_id(d, "SELECT id FROM accounts WHERE email = ?",
				    "board.member@example.org");
	const struct audit_actor lead = {lead_id, 0, NULL}, member = {member_id, 0, NULL};
	struct board_meeting_new meeting = {
		.day = SV("15"),
		.month = SV("11"),
		.year = SV("2022"),
		.title = SV("Health and Wellbeing Board"),
		.location = SV("Demo Civic Centre, Committee Room 2"),
	};
	int64_t ideas[DEMO_PAPERS], meeting_id = 0, supported = 0;
	size_t n = programme ? find_proposals(d, programme, ideas) : 0;
	int rc = DOMAIN_OK;

	field_errors_init(&errs);
	if (n) {
		rc = board_meeting_create_tx(d, a, &lead, &meeting, &errs, &meeting_id);
		if (rc == DOMAIN_OK)
			rc = load_papers(d, a, &lead, &member, meeting_id, ideas, n, &supported);
		if (rc == DOMAIN_OK && supported)
			rc = load_plan(d, a, &lead, supported);
		if (rc == DOMAIN_OK)
			rc = backdate(d, meeting_id);
	}
	if (rc == DOMAIN_OK)
		rc = load_returns(d, a, member_id);
	if (rc != DOMAIN_OK)
		log_error("demo: could not load the Board, co-delivery and returns (%d)", rc);
	return rc;
}
