/* demo_evidence.c: the demo's indicators, self-assessments and learning log; see
 * demo_evidence.h. Every figure here is invented for the demo and marked illustrative. */
#include "domain/demo_evidence.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/log.h"
#include "domain/accounts.h"
#include "domain/assessment.h"
#include "domain/indicators.h"
#include "domain/learning.h"
#include "domain/sessions.h"

#define COUNT(x) (sizeof(x) / sizeof((x)[0]))
#define DEMO_PERIODS 5

static int64_t one_id(db *d, const char *sql, const char *p)
{
	db_stmt *s = db_prepare(d, sql);
	int64_t id = 0;
	int rc;
	if (!s)
		return DB_ERR;
	rc = db_bind_text(s, 1, p) ? DB_ERR : db_step(s);
	if (rc == DB_ROW)
		id = db_col_int(s, 0);
	db_done(s);
	return rc == DB_ROW || rc == DB_DONE ? id : rc;
}

/* --- Indicators ------------------------------------------------------------------------ */

static const struct demo_indicator {
	const char *code, *name, *unit, *polarity, *period_type, *description;
	const char *areas[2];
	const char *periods[DEMO_PERIODS];
	const char *salford[DEMO_PERIODS], *england[DEMO_PERIODS];
} indicators[] = {
	{"93701", "Children in absolute low income families (under 16s)", "%", "lower_is_better",
	 "financial_year",
	 "Children under 16 living in families with an income below 60% of the 2010/11 median, "
	 "before housing costs (DWP and HMRC).",
	 {"child-poverty", NULL},
	 {"2017/18", "2018/19", "2019/20", "2020/21", "2021/22"},
	 {"20.1", "21.0", "21.9", "19.8", "20.6"},
	 {"15.3", "15.6", "15.8", "15.1", "15.3"}},
	{"93759", "Fuel poverty (low income, low energy efficiency methodology)", "% of households",
	 "lower_is_better", "calendar_year",
	 "Households with a low income living in a home with an energy efficiency rating of band "
	 "D or below.",
	 {"climate-change", "child-poverty"},
	 {"2019", "2020", "2021", "2022", NULL},
	 {"14.8", "14.1", "14.6", "15.0", NULL},
	 {"13.4", "13.2", "13.1", "13.4", NULL}},
	{"93861", "Fraction of mortality attributable to particulate air pollution (new method)",
	 "%", "lower_is_better", "calendar_year",
	 "The share of deaths among adults aged 30 and over attributable to long-term exposure to "
	 "fine particulate matter (PM2.5).",
	 {"climate-change", NULL},
	 {"2018", "2019", "2020", "2021", "2022"},
	 {"6.4", "6.2", "5.6", "5.9", "5.8"},
	 {"5.6", "5.4", "5.0", "5.5", "5.8"}},
	{"93867", "Air pollution: fine particulate matter (new method: concentrations of total PM2.5)",
	 "µg/m³", "lower_is_better", "calendar_year",
	 "Annual mean concentration of fine particulate matter, population-weighted.",
	 {"climate-change", NULL},
	 {"2018", "2019", "2020", "2021", "2022"},
	 {"9.4", "8.9", "7.9", "8.2", "8.1"},
	 {"9.0", "8.4", "7.6", "7.8", "7.9"}},
	{"41001", "Suicide rate (persons, age-standardised)", "per 100,000", "lower_is_better",
	 "three_years",
	 "Deaths from suicide and injury of undetermined intent, age-standardised, three years "
	 "pooled.",
	 {"suicide-prevention", NULL},
	 {"2017 - 19", "2018 - 20", "2019 - 21", "2020 - 22", NULL},
	 {"11.9", "12.5", "12.1", "11.4", NULL},
	 {"10.1", "10.4", "10.4", "10.3", NULL}},
	{"90280",
	 "Social isolation: adult social care users who have as much social contact as they would "
	 "like (18 and over)",
	 "%", "higher_is_better", "financial_year",
	 "From the Adult Social Care Survey: users who say they have as much social contact as "
	 "they would like.",
	 {"loneliness-and-social-isolation", NULL},
	 {"2017/18", "2018/19", "2019/20", "2021/22", "2022/23"},
	 {"45.2", "44.8", "46.0", "41.3", "43.9"},
	 {"46.0", "45.9", "45.9", "40.6", "44.4"}},
};

static int load_indicators(db *d, arena *a, const struct audit_actor *who)
{
	for (size_t i = 0; i < COUNT(indicators); i++) {
		const struct demo_indicator *x = &indicators[i];
		int64_t areas[2], id = 0;
		size_t n_areas = 0;
		struct field_errors fe;
		int rc;
		for (int k = 0; k < 2 && x->areas[k]; k++) {
			int64_t area = one_id(d, "SELECT id FROM priority_areas WHERE slug = ?",
					      x->areas[k]);
			if (area < 0)
				return (int)area;
			if (area)
				areas[n_areas++] = area;
		}
		struct indicator_input in = {
			.code = sv_from(x->code),
			.name = sv_from(x->name),
			.unit = sv_from(x->unit),
			.polarity = sv_from(x->polarity),
			.source = SV("OHID Fingertips"),
			.source_id = sv_from(x->code),
			.geography = SV("Upper tier local authority"),
			.period_type = sv_from(x->period_type),
			.decimals = SV("1"),
			.description = sv_from(x->description),
			.priority_area_ids = areas,
			.n_areas = n_areas,
		};
		field_errors_init(&fe);
		rc = indicator_create_tx(d, a, who, &in, &fe, &id);
		if (rc != DOMAIN_OK) {
			log_error("demo: could not add the indicator %s (%d)", x->code, rc);
			return rc;
		}
		for (int p = 0; p < DEMO_PERIODS && x->periods[p]; p++) {
			for (int side = 0; side < 2; side++) {
				struct indicator_value_input v = {
					.area_code = side ? SV(INDICATOR_COMPARATOR_CODE)
							  : SV(INDICATOR_LOCAL_CODE),
					.area_name = side ? SV(INDICATOR_COMPARATOR_NAME)
							  : SV(INDICATOR_LOCAL_NAME),
					.period = sv_from(x->periods[p]),
					.value = sv_from(side ? x->england[p] : x->salford[p]),
					.illustrative = true,
				};
				rc = indicator_value_set_tx(d, a, who, id, &v, &fe, NULL);
				if (rc != DOMAIN_OK) {
					log_error("demo: could not add a value of %s (%d)", x->code, rc);
					return rc;
				}
			}
		}
	}
	return DOMAIN_OK;
}

/* --- Members and what they rated -------------------------------------------------------- */

struct member {
	int64_t id;
	enum role role;
	char *joined;
};

struct thing {
	int64_t id;
	char *day;
};

static int member_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct member *m = item;
	m->id = db_col_int(st, 0);
	m->role = role_parse(db_col_sv(st, 1));
	m->joined = db_col_dup(st, 2, a);
	return DB_OK;
}

static int load_members(db *d, arena *a, int64_t group, struct member **out, size_t *n)
{
	db_stmt *st = db_prepare(d, "SELECT m.account_id, ac.role, m.joined_on FROM group_members m"
				 " JOIN accounts ac ON ac.id = m.account_id"
				 " WHERE m.group_id = ? AND m.left_on IS NULL ORDER BY m.id");
	db_bind_int(st, 1, group);
	return db_collect(st, a, sizeof(**out), member_row, NULL, out, n);
}

static int thing_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct thing *t = item;
	t->id = db_col_int(st, 0);
	t->day = db_col_dup(st, 1, a);
	return DB_OK;
}

static int load_things(db *d, arena *a, const char *sql, int64_t group, struct thing **out,
		       size_t *n)
{
	db_stmt *st = db_prepare(d, sql);
	db_bind_int(st, 1, group);
	return db_collect(st, a, sizeof(**out), thing_row, NULL, out, n);
}

/* An invented but plausible rung: local people see engagement and co-design before
 * decision-makers join, more co-production after; professionals rate a little higher. */
static const char *demo_rung(const struct member *m, size_t who, size_t k, const char *day)
{
	static const char *const rung[] = {"consultation", "engagement", "co_design",
					   "co_production"};
	unsigned roll = (unsigned)((who * 7 + k * 3) % 10);
	bool joint = strcmp(day, "2022-06-14") >= 0;
	if (m->role != ROLE_LOCAL_PERSON)
		return rung[roll < 3 ? 2 : 3];
	if (!joint)
		return rung[roll < 2 ? 0 : roll < 6 ? 1 : 2];
	return rung[roll < 1 ? 1 : roll < 6 ? 2 : 3];
}

static int rate_all(db *d, arena *a, const struct member *ms, size_t nm, enum ladder_subject kind,
		    const struct thing *things, size_t nt)
{
	for (size_t k = 0; k < nt; k++)
		for (size_t i = 0; i < nm; i++) {
			struct audit_actor who = {ms[i].id, 0, NULL};
			struct field_errors fe;
			int rc;
			if (ms[i].joined && things[k].day && strcmp(ms[i].joined, things[k].day) > 0)
				continue; /* not yet a member then */
			field_errors_init(&fe);
			rc = ladder_rate_tx(d, a, &who, ms[i].role, kind, things[k].id,
					    sv_from(demo_rung(&ms[i], i, k, things[k].day ? things[k].day
											  : "")),
					    &fe, NULL);
			if (rc == DOMAIN_ENOTFOUND || rc == DOMAIN_ECONFLICT)
				continue;
			if (rc != DOMAIN_OK) {
				log_error("demo: could not rate a %s (%d)", ladder_subject_slug(kind), rc);
				return rc;
			}
		}
	return DOMAIN_OK;
}

/* --- Principles -------------------------------------------------------------------------- */

static int open_round(db *d, arena *a, const struct audit_actor *lead, int64_t programme,
		      const char *label, const char *opens, const char *closes, int64_t *id)
{
	struct round_input in = {
		.period_label = sv_from(label),
		.opens_day = (sv){opens + 8, 2},
		.opens_month = (sv){opens + 5, 2},
		.opens_year = (sv){opens, 4},
		.closes_day = (sv){closes + 8, 2},
		.closes_month = (sv){closes + 5, 2},
		.closes_year = (sv){closes, 4},
	};
	struct field_errors fe;
	field_errors_init(&fe);
	return principle_round_open_tx(d, a, lead, programme, &in, &fe, id);
}

/* Ratings by side and round: local people rate power and diversity lower than
 * professionals do, and the gap narrows in the second half year. */
static const int base[2][SIDES][PRINCIPLES] = {
	{{4, 2, 4, 3, 3, 3}, {4, 4, 4, 4, 4, 3}},
	{{4, 3, 4, 3, 4, 4}, {4, 4, 5, 4, 4, 4}},
};

/* One comment per principle per round, each from a different member. */
static const char *const comments[2][PRINCIPLES] = {
	{"People listened to what I know about getting by on very little.",
	 "The decision-makers still set the agenda for the first joint sessions.",
	 "Food before every session made it easier to talk.",
	 "We need more young carers and young dads in the room.",
	 "Our stories were treated as evidence, not just examples.",
	 "We tried the apprenticeships idea early and changed it when it did not work."},
	{"Everyone brought something, including the officers who listened more than they spoke.",
	 "We chose which proposals went to the Board, not the council.",
	 "It took months, but people trust each other now.",
	 "Still hardly anyone from the east of the city.",
	 "The NHS data and our own experience were put side by side.",
	 "The mentors for apprentices came out of a test that went wrong."},
};

static int answer_round(db *d, arena *a, int64_t round, int which, const struct member *ms,
			size_t nm, size_t max_professionals)
{
	size_t professionals = 0;
	for (size_t i = 0; i < nm; i++) {
		struct audit_actor who = {ms[i].id, 0, NULL};
		struct principle_answer_input in;
		struct field_errors fe;
		int side = ms[i].role == ROLE_LOCAL_PERSON ? SIDE_LOCAL : SIDE_PROFESSIONAL;
		int rc;
		if (side == SIDE_PROFESSIONAL && professionals++ >= max_professionals)
			continue;
		memset(&in, 0, sizeof(in));
		for (int p = 0; p < PRINCIPLES; p++) {
			int r = base[which][side][p] + (int)((i + (size_t)p) % 3) - 1;
			r = r < 1 ? 1 : r > 5 ? 5 : r;
			in.rating[p] = sv_from(arena_printf(a, "%d", r));
			in.comment[p] = i == (size_t)p + 1 ? sv_from(comments[which][p]) : SV("");
		}
		field_errors_init(&fe);
		rc = principle_answer_paper_tx(d, a, &who, ms[i].role, round, &in, &fe);
		if (rc == DOMAIN_ENOTFOUND)
			continue;
		if (rc != DOMAIN_OK) {
			log_error("demo: could not answer the principles round (%d)", rc);
			return rc;
		}
	}
	return DOMAIN_OK;
}

/* --- Learning log ------------------------------------------------------------------------ */

static const struct {
	int stage;
	const char *day, *happened, *learned, *change;
	bool noticed[NOTICED_KINDS];
	const char *about; /* "session", "test" (or its idea), "decision", or NULL */
} entries[] = {
	{2, "2021-12-07",
	 "Eleven young adults came to the first session of the group, at the community hub.",
	 "Several could only come after work or college, and two came straight from a shift "
	 "without having eaten.",
	 "Sessions start at 6pm with food first, and we pay for travel on the night.",
	 {false, true, false, false}, "session"},
	{3, "2022-02-15",
	 "The group talked about money, cold homes and getting around the city.",
	 "Nobody used the words \"child poverty\" or \"fuel poverty\": they said \"skint\", "
	 "\"choosing between the bus and the electric\". Our own words kept people out.",
	 "We write the group's notes in the group's words, and keep a list of our jargon to avoid.",
	 {true, false, true, false}, NULL},
	{4, "2022-09-20",
	 "We tried the apprenticeships idea on a small scale: a taster day with the council's "
	 "retrofit team.",
	 "It did not go as expected: two of the six could not afford the bus, and no one knew who "
	 "to ask for help on the day. There is no failure: we learned what the idea was missing.",
	 "The concept now includes paid travel and a named mentor for each apprentice.",
	 {false, true, true, false}, "test"},
	{4, "2022-06-14",
	 "Decision-makers from the council and the NHS joined the group for the first time.",
	 "The young adults led the session; the professionals said they had come to listen, "
	 "and two of them changed their minds about what the problem was.",
	 "Every joint session opens with the young adults' own summary of where we are.",
	 {true, false, false, true}, NULL},
	{4, "2022-10-11",
	 "The group decided together which proposals to take to the Board.",
	 "Counting local people's and professionals' positions side by side made it plain that "
	 "the young adults' view carried.",
	 "We will show the balance of power on every decision we report.",
	 {false, false, false, true}, "decision"},
	{5, "2022-11-15",
	 "Two young adults presented the proposals to the Health and Wellbeing Board themselves.",
	 "The Board asked more questions of the young adults than of the officers.",
	 "Local people present their own proposals from now on, with paid preparation time.",
	 {true, true, false, true}, NULL},
};

static int load_learning(db *d, arena *a, const struct audit_actor *fac, int64_t programme,
			 int64_t group)
{
	char first_session[32] = "", first_test[32] = "", first_decision[32] = "";
	int64_t id;
	id = one_id(d, "SELECT id FROM group_sessions WHERE group_id = CAST(? AS INTEGER)"
		       " AND status <> 'cancelled' ORDER BY starts_at LIMIT 1",
		    arena_printf(a, "%lld", (long long)group));
	if (id > 0)
		snprintf(first_session, sizeof(first_session), "session:%lld", (long long)id);
	/* A test of an idea if there is one, else the programme's first idea. */
	id = one_id(d, "SELECT t.id FROM idea_tests t JOIN ideas i ON i.id = t.idea_id"
		       " WHERE i.programme_id = CAST(? AS INTEGER) ORDER BY t.id LIMIT 1",
		    arena_printf(a, "%lld", (long long)programme));
	if (id > 0) {
		snprintf(first_test, sizeof(first_test), "test:%lld", (long long)id);
	} else {
		id = one_id(d, "SELECT id FROM ideas WHERE programme_id = CAST(? AS INTEGER)"
			       " ORDER BY id LIMIT 1",
			    arena_printf(a, "%lld", (long long)programme));
		if (id > 0)
			snprintf(first_test, sizeof(first_test), "idea:%lld", (long long)id);
	}
	/* The decision to take proposals to the Board. */
	id = one_id(d, "SELECT id FROM decisions WHERE group_id = CAST(? AS INTEGER)"
		       " AND question LIKE 'Shall we put%' ORDER BY id LIMIT 1",
		    arena_printf(a, "%lld", (long long)group));
	if (id <= 0)
		id = one_id(d, "SELECT id FROM decisions WHERE group_id = CAST(? AS INTEGER)"
			       " ORDER BY id LIMIT 1",
			    arena_printf(a, "%lld", (long long)group));
	if (id > 0)
		snprintf(first_decision, sizeof(first_decision), "decision:%lld", (long long)id);

	for (size_t i = 0; i < COUNT(entries); i++) {
		struct learning_input in;
		struct field_errors fe;
		const char *about = "";
		int rc;
		if (entries[i].about && strcmp(entries[i].about, "session") == 0)
			about = first_session;
		else if (entries[i].about && strcmp(entries[i].about, "test") == 0)
			about = first_test;
		else if (entries[i].about && strcmp(entries[i].about, "decision") == 0)
			about = first_decision;
		memset(&in, 0, sizeof(in));
		in.stage = sv_from(arena_printf(a, "%d", entries[i].stage));
		in.year = (sv){entries[i].day, 4};
		in.month = (sv){entries[i].day + 5, 2};
		in.day = (sv){entries[i].day + 8, 2};
		in.what_happened = sv_from(entries[i].happened);
		in.what_learned = sv_from(entries[i].learned);
		in.what_change = sv_from(entries[i].change);
		for (int k = 0; k < NOTICED_KINDS; k++)
			in.noticed[k] = entries[i].noticed[k];
		in.about = sv_from(about);
		field_errors_init(&fe);
		rc = learning_add_tx(d, a, fac, programme, &in, &fe, NULL);
		if (rc != DOMAIN_OK) {
			log_error("demo: could not add a learning log entry (%d)", rc);
			return rc;
		}
	}
	return DOMAIN_OK;
}

int demo_load_evidence(db *d, arena *a)
{
	static const struct audit_actor system = {0, 0, NULL};
	struct member *members;
	struct thing *sessions, *decisions, *stages;
	size_t nm, ns, nd, nst;
	int64_t programme, group, lead, fac, round;
	struct audit_actor lead_actor, fac_actor;
	int rc = load_indicators(d, a, &system);
	char now[ISO_TIME_LEN];

	if (rc != DOMAIN_OK)
		return rc;
	programme = one_id(d, "SELECT id FROM programmes WHERE slug = ?", "young-adults");
	group = one_id(d, "SELECT id FROM working_groups WHERE name = ?", "Young adults group");
	lead = one_id(d, "SELECT id FROM accounts WHERE email = ?", "programme.lead@example.org");
	fac = one_id(d, "SELECT id FROM accounts WHERE email = ?", "facilitator@example.org");
	if (programme < 0 || group < 0 || lead < 0 || fac < 0)
		return DB_ERR;
	if (!programme || !group)
		return DOMAIN_OK;
	lead_actor = (struct audit_actor){lead, 0, NULL};
	fac_actor = (struct audit_actor){fac, 0, NULL};

	db_now_iso(now, 0);
	rc = load_members(d, a, group, &members, &nm);
	if (rc == DOMAIN_OK)
		rc = load_things(d, a,
				 "SELECT id, substr(starts_at, 1, 10) FROM group_sessions"
				 " WHERE group_id = ? AND status <> 'cancelled'"
				 " AND starts_at < '2023-01-01' ORDER BY starts_at",
				 group, &sessions, &ns);
	if (rc == DOMAIN_OK)
		rc = load_things(d, a,
				 "SELECT id, substr(opened_at, 1, 10) FROM decisions WHERE group_id = ?"
				 " ORDER BY id",
				 group, &decisions, &nd);
	if (rc == DOMAIN_OK)
		rc = load_things(d, a,
				 "SELECT id, actual_start FROM programme_stages WHERE programme_id = ?"
				 " AND status <> 'not_started' ORDER BY stage",
				 programme, &stages, &nst);
	if (rc != DOMAIN_OK)
		return rc;
	rc = rate_all(d, a, members, nm, LADDER_SESSION, sessions, ns);
	if (rc == DOMAIN_OK)
		rc = rate_all(d, a, members, nm, LADDER_DECISION, decisions, nd);
	/* The stages are rated by three members only: too few to show. */
	if (rc == DOMAIN_OK)
		rc = rate_all(d, a, members, nm < 3 ? nm : 3, LADDER_STAGE, stages, nst);
	if (rc != DOMAIN_OK)
		return rc;

	rc = open_round(d, a, &lead_actor, programme, "2022 H1", "2022-06-01", "2022-06-30", &round);
	if (rc == DOMAIN_OK)
		rc = answer_round(d, a, round, 0, members, nm, nm);
	if (rc == DOMAIN_OK)
		rc = open_round(d, a, &lead_actor, programme, "2022 H2", "2022-12-01", "2022-12-16",
				&round);
	if (rc == DOMAIN_OK)
		rc = answer_round(d, a, round, 1, members, nm, 3);
	/* A round open now, so members of the demo can answer one. */
	if (rc == DOMAIN_OK) {
		struct date today = date_today();
		bool first = today.m <= 6;
		char label[16], opens[16], closes[16];
		snprintf(label, sizeof(label), "%04u H%c", (unsigned)today.y % 10000u, first ? '1' : '2');
		snprintf(opens, sizeof(opens), "%04u-%s", (unsigned)today.y % 10000u,
			 first ? "01-01" : "07-01");
		snprintf(closes, sizeof(closes), "%04u-%s", (unsigned)today.y % 10000u,
			 first ? "06-30" : "12-31");
		rc = open_round(d, a, &lead_actor, programme, label, opens, closes, &round);
	}
	if (rc != DOMAIN_OK) {
		log_error("demo: could not load the principles rounds (%d)", rc);
		return rc;
	}
	return load_learning(d, a, &fac_actor, programme, group);
}
