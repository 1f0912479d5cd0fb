/* demo.c: clearly invented demonstration data and Salford's four priority areas; see
 * demo.h. The priority areas' original framings quote the Salford Locality Plan
 * 2020-2025 as given in the Health and Wellbeing Board paper (seeds/001, sections 9-12),
 * and their indicators are the ones named there. The reframed statements are examples of
 * the positive statements the approach asks for (section 13.1): the people taking part
 * write their own. */
#include "domain/demo.h"
#include "domain/demo_board.h"
#include "domain/demo_budget.h"
#include "domain/demo_decisions.h"
#include "domain/demo_equality.h"
#include "domain/demo_evidence.h"
#include "domain/demo_groups.h"
#include "domain/demo_ideas.h"
#include "domain/demo_panels.h"
#include "domain/demo_payments.h"
#include "domain/demo_programmes.h"
#include "domain/demo_recruitment.h"
#include "domain/demo_reports.h"

#include <string.h>

#include "core/log.h"
#include "domain/accounts.h"
#include "domain/organisations.h"
#include "domain/password.h"
#include "domain/priorities.h"
#include "domain/validate.h"

/* --- Priority areas ------------------------------------------------------------------ */

static const char *const child_poverty_indicators[] = {
	"Children in absolute low income families (under 16)",
	"Children in relative low income families (under 16)",
	"Fuel poverty (low income, low energy efficiency)",
	"Food poverty",
};

static const char *const climate_indicators[] = {
	"Clean Air Plan: exceedances in nitrogen oxides (NOx)",
	"Fine particulate matter (PM2.5) concentration",
	"Fraction of mortality attributable to particulate air pollution",
	"Carbon footprint or reductions (local greenhouse gas emissions)",
};

static const char *const loneliness_indicators[] = {
	"Public and private partners signed up to being age-friendly",
	"Percentage of people who describe their area as being age-friendly",
	"Employment rate of people aged 50 to 64 compared with the national average",
	"Number of people aged 50 to 64 in training or volunteering",
	"Adult social care users and carers who have as much social contact as they would like",
	"Salford residents aged over 50 who are 'active' or 'fairly active'",
};

static const char *const suicide_indicators[] = {
	"Mortality rate from suicide and injury of undetermined intent",
};

#define COUNT(x) (sizeof(x) / sizeof((x)[0]))

static const struct priority_new areas[] = {
	{
		.slug = "child-poverty",
		.name = "Child poverty",
		.original_framing =
			"\"Significant levels of poverty continue to exist in many parts of "
			"Salford. Working with our partners, we will take action to make things "
			"better for the many households struggling to make ends meet. We must "
			"also look to prevent people from falling into poverty in the first "
			"place, building on what we know is already working, as well as "
			"developing new ways of doing things.\" \"We will continue our "
			"co-production approach in the Poverty Truth Commission.\" (Salford "
			"Locality Plan 2020-2025)",
		.reframed_statement =
			"Every child and young person in Salford grows up with enough: a warm "
			"home, good food, and the same chances as anyone else.",
		.summary =
			"Too many families in Salford struggle to make ends meet, and children "
			"feel it most. Here, people who know poverty first-hand work alongside "
			"the council, the NHS and others to find what would really help, both to "
			"ease poverty now and to stop families falling into it. It builds on the "
			"Salford Poverty Truth Commission, where 15 people with personal "
			"experience of poverty and 15 people from business and public life worked "
			"together, and links with the 0-25 Board and Salford's Inclusive Economy "
			"Strategy.",
		.partnership = "Poverty Truth Commission and the 0-25 Board",
		.indicators = child_poverty_indicators,
		.n_indicators = COUNT(child_poverty_indicators),
	},
	{
		.slug = "climate-change",
		.name = "Climate change",
		.original_framing =
			"\"We will work together across partners to demonstrate progress towards "
			"tackling the climate change emergency and improve our environment to "
			"reduce carbon, create sustainable energy, reduce waste, recycle and "
			"improve air quality. Our refreshed climate change and adaptation action "
			"plan will be overseen by the Climate Action Board ... We will work with "
			"communities to play their part and devise innovative solutions through "
			"co-production.\" (Salford Locality Plan 2020-2025)",
		.reframed_statement =
			"Salford is a clean, green and healthy place to live, with fresh air to "
			"breathe and communities leading the way to a low-carbon future.",
		.summary =
			"Climate change and polluted air harm everyone's health, and often hit "
			"people on low incomes hardest. Here, residents and partners work out "
			"together how Salford can cut carbon, waste less, recycle more and have "
			"cleaner air, with ideas that come from communities themselves. It links "
			"with the Climate Action Board, the Salford Air Quality Action Plan and "
			"Greater Manchester's Clean Air Plan.",
		.partnership = "Climate Action Board",
		.indicators = climate_indicators,
		.n_indicators = COUNT(climate_indicators),
	},
	{
		.slug = "loneliness-and-social-isolation",
		.name = "Loneliness and social isolation",
		.original_framing =
			"\"Loneliness is a key risk factor in the mental health of older people. "
			"... there are 16,000 adults in Salford aged 65+ living in the most "
			"deprived national quintiles in respect to the risk of loneliness. This "
			"represents 44% of the 65+ Salford population.\" \"We will seek to "
			"co-produce solutions for loneliness and social isolation building on "
			"the huge diversity of backgrounds, experience and ambition of the "
			"millions of people who are older.\" (Salford Locality Plan 2020-2025)",
		.reframed_statement =
			"Older people in Salford are connected, valued and active, and their "
			"experience and ambition make our communities stronger.",
		.summary =
			"About 16,000 people in Salford aged 65 and over, 44% of that age group, "
			"live in the neighbourhoods where the risk of loneliness is highest. This "
			"area starts from what older people bring, their experience, skills and "
			"ambition, and looks for ways to help people stay connected and take an "
			"active part in the life of their community. It links with the work "
			"towards an Age-Friendly Salford.",
		.partnership = "Age-Friendly Salford",
		.indicators = loneliness_indicators,
		.n_indicators = COUNT(loneliness_indicators),
	},
	{
		.slug = "suicide-prevention",
		.name = "Suicide prevention",
		.original_framing =
			"\"Through the all age Salford Suicide Prevention Strategy (2017-2022), "
			"all public sector partners in Salford have pledged our commitment to "
			"work together to address the devastating impact that suicide has on "
			"families and communities and ensure that suicide should always be "
			"considered an avoidable occurrence. ... Salford will achieve the ten "
			"pillars of a Suicide Safer Community, with an action plan to raise "
			"awareness and work with communities for innovative local initiatives "
			"through co-production.\" (Salford Locality Plan 2020-2025)",
		.reframed_statement =
			"Everyone in Salford knows they matter and where to turn, in communities "
			"that notice, listen and help each other through hard times.",
		.summary =
			"Suicide devastates families and communities, and Salford's partners "
			"have agreed it should always be seen as preventable. Here, people with "
			"lived experience, including people bereaved by suicide, work with "
			"services and voluntary groups to raise awareness, reach the people most "
			"at risk and try new local ideas, as Salford works to become a Suicide "
			"Safer Community. It links with the Mental Health Partnership.",
		.partnership = "Mental Health Partnership",
		.indicators = suicide_indicators,
		.n_indicators = COUNT(suicide_indicators),
	},
};

/* --- Organisations and people -------------------------------------------------------- */

enum { ORG_COUNCIL, ORG_NHS, ORG_VOICES, DEMO_ORG_COUNT };

static const struct {
	const char *name;
	enum org_kind kind;
} orgs[DEMO_ORG_COUNT] = {
	[ORG_COUNCIL] = {"Demo City Council", ORG_ANCHOR},
	[ORG_NHS] = {"Demo NHS Trust", ORG_ANCHOR},
	[ORG_VOICES] = {"Demo Community Voices (VCSE)", ORG_VCSE},
};

#define NO_ORG (-1)

static const struct {
	const char *email, *display_name;
	enum role role;
	int org; /* index into orgs, or NO_ORG */
} people[] = {
	{"local.person@example.org", "Demo Local Person Amina", ROLE_LOCAL_PERSON, NO_ORG},
	{"decision.maker@example.org", "Demo Decision-maker Gareth", ROLE_DECISION_MAKER,
	 ORG_NHS},
	{"facilitator@example.org", "Demo Facilitator Priya", ROLE_FACILITATOR, ORG_VOICES},
	{"programme.lead@example.org", "Demo Programme Lead Tom", ROLE_PROGRAMME_LEAD,
	 ORG_COUNCIL},
	{"board.member@example.org", "Demo Board Member Margaret", ROLE_BOARD_MEMBER,
	 ORG_COUNCIL},
};
#define FACILITATOR_INDEX 2

const struct demo_signin demo_signins[] = {
	{"local.person@example.org", "Local person", "Demo Local Person Amina"},
	{"decision.maker@example.org", "Decision-maker", "Demo Decision-maker Gareth"},
	{"facilitator@example.org", "Facilitator", "Demo Facilitator Priya"},
	{"programme.lead@example.org", "Programme lead", "Demo Programme Lead Tom"},
	{"board.member@example.org", "Board member", "Demo Board Member Margaret"},
};
const size_t demo_signin_count = COUNT(demo_signins);
_Static_assert(COUNT(demo_signins) == COUNT(people), "one sign-in per demo account");

static const char assisted_name[] = "Demo Assisted Person Joe";
static const char assisted_contact[] =
	"Demo only, not a real person: comes to the Tuesday coffee morning at the community "
	"centre and prefers a phone call to a letter.";
static const char assisted_consent[] =
	"I agree that the facilitator may record my views and ideas in coprod for me. What I "
	"say can be shared with the group and with decision-makers without my name. I can ask "
	"to see it, change it or stop at any time.";

/* --- Loading ------------------------------------------------------------------------- */

static int is_empty(db *d)
{
	static const char *const checks[] = {"SELECT 1 FROM accounts LIMIT 1",
					     "SELECT 1 FROM organisations LIMIT 1"};
	for (size_t i = 0; i < COUNT(checks); i++) {
		db_stmt *st = db_prepare(d, checks[i]);
		int rc;
		if (!st)
			return DB_ERR;
		rc = db_step(st);
		db_done(st);
		if (rc == DB_ROW)
			return DOMAIN_ECONFLICT;
		if (rc != DB_DONE)
			return rc;
	}
	return DOMAIN_OK;
}

static int load_areas_tx(db *d, arena *a, const struct audit_actor *system)
{
	for (size_t i = 0; i < COUNT(areas); i++) {
		int rc = priorities_add_tx(d, a, system, &areas[i], NULL);
		if (rc != DB_OK) {
			log_error("demo: could not add the priority area %s", areas[i].slug);
			return rc;
		}
	}
	return DOMAIN_OK;
}

static int load_people_tx(db *d, arena *a, const struct audit_actor *system, const char *hash)
{
	int64_t org_ids[DEMO_ORG_COUNT], facilitator = 0;
	struct field_errors errs;
	int rc;

	field_errors_init(&errs);
	for (size_t i = 0; i < DEMO_ORG_COUNT; i++) {
		rc = organisation_create_tx(d, a, system, sv_from(orgs[i].name), orgs[i].kind,
					    &errs, &org_ids[i]);
		if (rc != DOMAIN_OK)
			return rc;
	}
	for (size_t i = 0; i < COUNT(people); i++) {
		struct account_new in = {
			.email = sv_from(people[i].email),
			.display_name = sv_from(people[i].display_name),
			.role = people[i].role,
			.organisation_id = people[i].org == NO_ORG ? 0 : org_ids[people[i].org],
			.is_demo = true,
		};
		int64_t id = 0;
		rc = account_create_tx(d, a, system, &in, hash, &errs, &id);
		if (rc != DOMAIN_OK)
			return rc;
		if (i == FACILITATOR_INDEX)
			facilitator = id;
	}
	{
		/* Registered in person by the demo facilitator, who records the consent. */
		struct audit_actor by_facilitator = {facilitator, 0, NULL};
		struct assisted_new in = {
			.display_name = SV(assisted_name),
			.contact_note = SV(assisted_contact),
			.consent_wording = SV(assisted_consent),
			.organisation_id = org_ids[ORG_VOICES],
			.is_demo = true,
		};
		rc = account_create_assisted_tx(d, a, &by_facilitator, &in, &errs, NULL);
	}
	return rc;
}

/* The co-production journey's demo data, in the order each part builds on the last. */
typedef int (*demo_part)(db *d, arena *a);
static const demo_part journey[] = {
	demo_load_programmes,
	demo_load_groups,
	demo_load_ideas,
	demo_load_decisions,
	demo_load_board,
	demo_load_recruitment,
	demo_load_equality,
	demo_load_panels,
	demo_load_budget,
	demo_load_payments,
	demo_load_evidence,
	demo_load_reports,
};

int demo_load(db *d, arena *a)
{
	static const struct audit_actor system = {0, 0, NULL};
	char hash[PASSWORD_HASH_MAX];
	int rc;

	rc = is_empty(d);
	if (rc != DOMAIN_OK)
		return rc;
	/* One hash for the one shared password, made before the write lock is taken. */
	if (password_hash(SV(DEMO_PASSWORD), hash) != 0)
		return DB_ERR;
	rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	rc = load_areas_tx(d, a, &system);
	if (rc == DOMAIN_OK)
		rc = load_people_tx(d, a, &system, hash);
	for (size_t i = 0; rc == DOMAIN_OK && i < COUNT(journey); i++)
		rc = journey[i](d, a);
	if (rc == DOMAIN_OK)
		rc = db_commit(d);
	if (rc != DOMAIN_OK) {
		/* DOMAIN_EINVALID here would mean the demo data above is wrong. */
		log_error("demo: could not load the demo data (%d); nothing was kept", rc);
		db_rollback(d);
		return rc == DOMAIN_EINVALID ? DB_ERR : rc;
	}
	return DOMAIN_OK;
}

bool demo_present(db *d)
{
	db_stmt *s = db_prepare(d, "SELECT 1 FROM accounts WHERE is_demo = 1 LIMIT 1");
	bool found;
	if (!s)
		return false;
	found = db_step(s) == DB_ROW;
	db_done(s);
	return found;
}
