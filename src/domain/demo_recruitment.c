/* demo_recruitment.c: the demo's wards, community assets and volunteers; see
 * demo_recruitment.h.
 *
 * The wards are REAL ONS data, not invented: usual residents of Salford's 20 electoral
 * wards (December 2022 boundaries, built from Census output areas) at the 2011 and 2021
 * Censuses, from ../shared/data/salford/wards-census-2021.csv (source: ONS Census via
 * citypopulation.de, Salford wards page), with each ward's ONS code. They are embedded
 * here so that the demo does not depend on a file outside the repository. Everything
 * else in this file is invented and named "Demo ...".
 */
#include "domain/demo_recruitment.h"

#include <string.h>

#include "domain/assets.h"
#include "domain/volunteers.h"

#define COUNT(x) (sizeof(x) / sizeof((x)[0]))

#define WARD_SOURCE "ONS Census 2011 and 2021, usual residents (via citypopulation.de)"

static const struct {
	const char *code, *name;
	int64_t pop2011, pop2021;
} wards[] = {
    {"E05013018", "Barton & Winton", 13532, 15754},
    {"E05013019", "Blackfriars & Trinity", 7601, 10656},
    {"E05013020", "Boothstown & Ellenbrook", 12123, 12517},
    {"E05013021", "Broughton", 12265, 16958},
    {"E05013022", "Cadishead & Lower Irlam", 11729, 12208},
    {"E05013023", "Claremont", 12792, 13241},
    {"E05013024", "Eccles", 13054, 14523},
    {"E05013025", "Higher Irlam & Peel Green", 13864, 14035},
    {"E05013026", "Kersal & Broughton Park", 14298, 16039},
    {"E05013027", "Little Hulton", 12568, 14491},
    {"E05013028", "Ordsall", 6815, 10094},
    {"E05013029", "Pendlebury & Clifton", 12806, 13935},
    {"E05013030", "Pendleton & Charlestown", 14823, 17154},
    {"E05013031", "Quays", 3722, 9307},
    {"E05013032", "Swinton & Wardley", 12469, 12456},
    {"E05013033", "Swinton Park", 12416, 12897},
    {"E05013034", "Walkden North", 11647, 13555},
    {"E05013035", "Walkden South", 10520, 11715},
    {"E05013036", "Weaste & Seedley", 13162, 16357},
    {"E05013037", "Worsley & Westwood Park", 11727, 12032},
};

/* Ward indexes into the table above, by name, for the data below. */
enum {
	W_BARTON, W_BLACKFRIARS, W_BOOTHSTOWN, W_BROUGHTON, W_CADISHEAD, W_CLAREMONT, W_ECCLES,
	W_IRLAM, W_KERSAL, W_LITTLE_HULTON, W_ORDSALL, W_PENDLEBURY, W_PENDLETON, W_QUAYS,
	W_SWINTON_WARDLEY, W_SWINTON_PARK, W_WALKDEN_N, W_WALKDEN_S, W_WEASTE, W_WORSLEY,
	W_NONE = -1
};

static const struct {
	const char *name, *kind;
	int ward;
	const char *area, *contact, *reach, *access, *tags;
	bool public;
} assets[] = {
    {DEMO_ASSET_PARENT_CARER_FORUM, "participation_group", W_NONE, "City-wide",
     "Demo email: forum@example.org. Monthly coffee mornings.",
     "Parents and carers of children and young people with special educational needs and "
     "disabilities (SEND). Experienced in co-production with the council and the NHS.",
     "Meets at step-free venues; childcare can be arranged.", "parents,carers,send,disabled",
     true},
    {DEMO_ASSET_PARENTS_POSITIVE, "participation_group", W_NONE, "City-wide",
     "Demo email: positive.change@example.org",
     "Parents and families, including families on low incomes, who work with services to "
     "improve them.",
     "Evening and daytime meetings; travel costs paid.", "parents,families,child-poverty",
     true},
    {"Demo Young People's Drop-in", "group", W_ORDSALL, "",
     "Demo phone: 0161 496 0101. Drop in Wednesdays 4pm to 7pm.",
     "Young people aged 16 to 25, including care leavers and young people not in work or "
     "education.",
     "Ground floor, step-free. Quiet room available.", "young-adults,care-leavers", true},
    {"Demo Community Hub", "venue", W_PENDLETON, "",
     "Demo email: bookings.hub@example.org",
     "Everyone: community groups, classes and a weekly lunch club.",
     "Step-free, accessible toilet, hearing loop, quiet room, near buses.",
     "venue,step-free,hearing-loop", true},
    {"Demo Carers' Centre", "service", W_NONE, "City-wide",
     "Demo phone: 0161 496 0102",
     "Unpaid carers of all ages, including young carers.",
     "Home visits possible. Replacement care can be arranged.",
     "carers,young-carers,older-people", true},
    {"Demo Women's Tea and Talk", "group", W_BROUGHTON, "",
     "Through the Demo Community Hub",
     "Women of South Asian heritage, many with English as a second language.",
     "Women-only space; interpreters for Urdu and Bengali.",
     "women,south-asian,interpreter", true},
    {"Demo Men's Shed", "group", W_LITTLE_HULTON, "",
     "Demo phone: 0161 496 0103. Open Tuesday and Thursday mornings.",
     "Men of all ages, many retired or living alone.",
     "Workshop on the ground floor; step-free.", "men,older-people,loneliness", true},
    {"Demo Deaf Social Club", "group", W_ECCLES, "",
     "Demo email: deafclub@example.org (text or email only)",
     "Deaf people and BSL users, and their families.",
     "BSL throughout; hearing loop.", "deaf,bsl,disabled", true},
    {"Demo LGBT+ Youth Group", "group", W_BLACKFRIARS, "",
     "Demo email: lgbtyouth@example.org",
     "LGBT+ young people aged 14 to 25.",
     "Step-free; gender-neutral toilets.", "lgbt,young-adults", true},
    {"Demo Food Bank Network", "service", W_NONE, "City-wide",
     "Demo coordinator: foodbank@example.org",
     "Households on low incomes and in crisis, including families with children.",
     "Deliveries for people who cannot travel.", "food-poverty,families,child-poverty",
     false},
};

/* The young adults of the demo group, as they volunteered in November 2021. */
static const struct {
	const char *name;
	int ward;
	const char *needs, *times, *cares;
} members[] = {
    {"Demo Young Adult Kai", W_ORDSALL, "", "weekday-evenings",
     "Jobs for young people that pay enough to live on."},
    {"Demo Young Adult Leah", W_ECCLES, "quiet-space", "weekday-evenings,saturdays",
     "Mental health support that you do not wait months for."},
    {"Demo Young Adult Marcus", W_LITTLE_HULTON, "", "weekday-evenings",
     "Somewhere to go in the evenings that is not the street."},
    {"Demo Young Adult Nadia", W_BROUGHTON, "interpreter", "weekday-evenings",
     "Cleaner air near the main roads."},
    {"Demo Young Adult Owen", W_WALKDEN_N, "", "weekday-evenings",
     "Loneliness when you move out on your own."},
    {"Demo Young Adult Precious", W_PENDLETON, "childcare", "weekday-evenings,sundays",
     "Help for young parents."},
    {"Demo Young Adult Reece", W_SWINTON_PARK, "", "weekday-evenings",
     "Buses that run when you finish work."},
    {"Demo Young Adult Sana", W_KERSAL, "step-free", "weekday-evenings",
     "Access for disabled young people."},
    {"Demo Young Adult Tyler", W_CADISHEAD, "easy-read", "weekday-evenings",
     "Talking about suicide so people get help sooner."},
    {"Demo Young Adult Zainab", W_WEASTE, "", "weekday-evenings,saturdays",
     "Food costs for students and young families."},
};
#define MEMBER_WHO_LEFT 4 /* Owen moved away for work in September 2022 */

/* Thirty more people who volunteered later, at every stage. */
static const struct {
	const char *name, *email, *phone, *org;
	int ward;
	const char *postcode, *needs, *times, *stage;
	int induction; /* items done, in checklist order */
	bool in_person;
	const char *cares, *left_reason;
} others[] = {
    {"Demo Volunteer 01", "v01.demo@example.org", NULL, NULL, W_BARTON, NULL, "", "weekday-evenings", "volunteered", 0, false, "Youth clubs closing.", NULL},
    {"Demo Volunteer 02", NULL, "07700 900001", NULL, W_BLACKFRIARS, NULL, "bsl", "saturdays", "volunteered", 0, false, "", NULL},
    {"Demo Volunteer 03", "v03.demo@example.org", "07700 900003", NULL, W_NONE, "M6 5FX", "", "weekday-mornings,weekday-afternoons", "volunteered", 0, false, "Cost of the bus to college.", NULL},
    {"Demo Volunteer 04", NULL, NULL, "Demo Young People's Drop-in", W_ORDSALL, NULL, "easy-read,quiet-space", "weekday-afternoons", "volunteered", 0, true, "Being listened to.", NULL},
    {"Demo Volunteer 05", "v05.demo@example.org", NULL, NULL, W_QUAYS, NULL, "", "weekday-evenings", "volunteered", 0, false, "Housing that young people can afford.", NULL},
    {"Demo Volunteer 06", NULL, "07700 900006", NULL, W_IRLAM, NULL, "carer-cover", "sundays", "volunteered", 0, false, "Support for young carers.", NULL},
    {"Demo Volunteer 07", "v07.demo@example.org", NULL, NULL, W_SWINTON_WARDLEY, NULL, "", "weekday-evenings", "volunteered", 0, false, "Green spaces.", NULL},
    {"Demo Vol 07", "V07.Demo@Example.org", "07700 900007", NULL, W_SWINTON_WARDLEY, NULL, "", "weekday-evenings,saturdays", "volunteered", 0, false, "Parks and green spaces near home.", NULL},
    {"Demo Volunteer 08", "v08.demo@example.org", NULL, NULL, W_WALKDEN_S, NULL, "large-print", "weekday-mornings", "contacted", 0, false, "", NULL},
    {"Demo Volunteer 09", NULL, "07700 900009", NULL, W_CLAREMONT, NULL, "", "weekday-evenings", "contacted", 0, true, "Knife crime.", NULL},
    {"Demo Volunteer 10", "v10.demo@example.org", NULL, NULL, W_PENDLEBURY, NULL, "step-free", "saturdays,sundays", "contacted", 0, false, "Getting into work after illness.", NULL},
    {"Demo Volunteer 11", NULL, NULL, "Demo Women's Tea and Talk", W_BROUGHTON, NULL, "interpreter,childcare", "weekday-mornings", "contacted", 1, true, "Food prices.", NULL},
    {"Demo Volunteer 12", "v12.demo@example.org", "07700 900012", NULL, W_WORSLEY, NULL, "", "weekday-evenings", "contacted", 0, false, "", NULL},
    {"Demo Volunteer 13", "v13.demo@example.org", NULL, NULL, W_WEASTE, NULL, "", "weekday-evenings", "selected", 3, false, "Mental health in schools.", NULL},
    {"Demo Volunteer 14", NULL, "07700 900014", NULL, W_LITTLE_HULTON, NULL, "quiet-space", "weekday-afternoons", "selected", 2, true, "Loneliness after leaving care.", NULL},
    {"Demo Volunteer 15", "v15.demo@example.org", NULL, NULL, W_ECCLES, NULL, "bsl", "saturdays", "selected", 4, false, "Deaf young people being left out.", NULL},
    {"Demo Volunteer 16", "v16.demo@example.org", NULL, NULL, W_KERSAL, NULL, "", "weekday-evenings", "selected", 0, false, "", NULL},
    {"Demo Volunteer 17", NULL, "07700 900017", NULL, W_BOOTHSTOWN, NULL, "", "sundays", "waiting", 2, false, "Transport in the evenings.", NULL},
    {"Demo Volunteer 18", "v18.demo@example.org", NULL, NULL, W_PENDLETON, NULL, "childcare", "weekday-mornings", "waiting", 1, false, "Nursery costs.", NULL},
    {"Demo Volunteer 19", "v19.demo@example.org", NULL, NULL, W_NONE, "M30 0AB", "", "weekday-evenings", "waiting", 0, false, "", NULL},
    {"Demo Volunteer 20", NULL, NULL, "Demo Carers' Centre", W_CADISHEAD, NULL, "carer-cover", "weekday-afternoons", "waiting", 3, true, "Young carers missing school.", NULL},
    {"Demo Volunteer 21", "v21.demo@example.org", NULL, NULL, W_SWINTON_PARK, NULL, "", "weekday-evenings", "waiting", 0, false, "Climate change.", NULL},
    {"Demo Volunteer 22", "v22.demo@example.org", NULL, NULL, W_ORDSALL, NULL, "", "weekday-evenings", "inducted", 6, false, "Safe streets at night.", NULL},
    {"Demo Volunteer 23", NULL, "07700 900023", NULL, W_BARTON, NULL, "easy-read", "weekday-afternoons", "inducted", 6, true, "Help with forms and benefits.", NULL},
    {"Demo Volunteer 24", "v24.demo@example.org", NULL, NULL, W_QUAYS, NULL, "", "weekday-evenings", "inducted", 6, false, "", NULL},
    {"Demo Volunteer 25", "v25.demo@example.org", "07700 900025", NULL, W_BLACKFRIARS, NULL, "", "weekday-evenings,saturdays", "active", 6, false, "LGBT+ young people's mental health.", NULL},
    {"Demo Volunteer 26", NULL, "07700 900026", NULL, W_WALKDEN_N, NULL, "step-free", "weekday-evenings", "active", 6, false, "Disabled people's access to work.", NULL},
    {"Demo Volunteer 27", "v27.demo@example.org", NULL, NULL, W_CLAREMONT, NULL, "", "weekday-evenings", "left", 0, false, "", "Started a full-time course and cannot come in the evenings"},
    {"Demo Volunteer 28", NULL, "07700 900028", NULL, W_IRLAM, NULL, "", "sundays", "left", 0, false, "", "Could not be reached after three tries"},
    {"Demo Volunteer 29", "v29.demo@example.org", NULL, NULL, W_PENDLEBURY, NULL, "", "weekday-mornings", "left", 0, false, "", "Moved out of Salford"},
    {"Demo Volunteer 30", "v30.demo@example.org", NULL, NULL, W_WEASTE, NULL, "interpreter", "saturdays", "volunteered", 0, false, "English classes for parents.", NULL},
};

static int64_t one_id(db *d, const char *sql, const char *p)
{
	db_stmt *s = db_prepare(d, sql);
	int64_t id = 0;
	int rc;
	if (!s)
		return DB_ERR;
	db_bind_text(s, 1, p);
	rc = db_step(s);
	if (rc == DB_ROW)
		id = db_col_int(s, 0);
	db_done(s);
	return rc == DB_ROW || rc == DB_DONE ? id : rc;
}

static sv s_or_empty(const char *s)
{
	return s ? sv_from(s) : SV("");
}

static int add_assets(db *d, arena *a, const struct audit_actor *who)
{
	for (size_t i = 0; i < COUNT(assets); i++) {
		struct asset_input in = {
		    .name = sv_from(assets[i].name),
		    .kind = sv_from(assets[i].kind),
		    .ward = assets[i].ward >= 0 ? sv_from(wards[assets[i].ward].code) : SV(""),
		    .area_note = sv_from(assets[i].area),
		    .contact = sv_from(assets[i].contact),
		    .who_they_reach = sv_from(assets[i].reach),
		    .accessibility = sv_from(assets[i].access),
		    .tags = sv_from(assets[i].tags),
		    .public = assets[i].public,
		};
		int rc = asset_save_tx(d, a, who, 0, &in, NULL, NULL);
		if (rc != DOMAIN_OK)
			return rc;
	}
	return DOMAIN_OK;
}

/* Moves volunteer ID through the stages that lead to TARGET, ticking the first
 * INDUCTION items of the checklist on the way. */
static int walk(db *d, arena *a, const struct audit_actor *who, int64_t id, const char *target,
                int induction, const char *left_reason)
{
	bool done[INDUCTION_ITEMS] = {false};
	sv notes[INDUCTION_ITEMS];
	bool through_induction = strcmp(target, "inducted") == 0 || strcmp(target, "active") == 0;
	int rc = DOMAIN_OK;

	for (size_t i = 0; i < INDUCTION_ITEMS; i++) {
		done[i] = (int)i < induction;
		notes[i] = SV("");
	}
	if (strcmp(target, "volunteered") == 0)
		return DOMAIN_OK;
	rc = volunteer_set_stage_tx(d, a, who, id, SV("contacted"), SV("Phoned for a first chat"),
	                            NULL);
	if (rc == DOMAIN_OK && strcmp(target, "left") == 0)
		return volunteer_set_stage_tx(d, a, who, id, SV("left"), sv_from(left_reason), NULL);
	if (rc == DOMAIN_OK && strcmp(target, "waiting") == 0)
		rc = volunteer_set_stage_tx(d, a, who, id, SV("waiting"),
		                            SV("The group is full for now"), NULL);
	if (rc == DOMAIN_OK &&
	    (strcmp(target, "selected") == 0 || through_induction))
		rc = volunteer_set_stage_tx(d, a, who, id, SV("selected"), SV(""), NULL);
	if (rc == DOMAIN_OK && induction > 0)
		rc = induction_save_tx(d, a, who, id, done, notes, NULL, NULL);
	if (rc == DOMAIN_OK && strcmp(target, "active") == 0)
		rc = volunteer_set_stage_tx(d, a, who, id, SV("active"),
		                            SV("Came to their first session"), NULL);
	return rc;
}

/* The young adults volunteered in November 2021 and took part from 7 December 2021:
 * their records and history carry those dates. */
static int backdate(db *d, int64_t id, const char *account_name, bool left)
{
	db_stmt *s = db_prepare(d, "UPDATE volunteers SET account_id = (SELECT id FROM accounts "
	                           "WHERE display_name = ?), consent_at = ?, created_at = ?, "
	                           "stage_changed_at = ?, updated_at = ? WHERE id = ?");
	int rc;
	if (!s)
		return DB_ERR;
	db_bind_text(s, 1, account_name);
	db_bind_text(s, 2, "2021-11-09T10:00:00Z");
	db_bind_text(s, 3, "2021-11-09T10:00:00Z");
	db_bind_text(s, 4, left ? "2022-09-13T18:00:00Z" : "2021-12-07T18:00:00Z");
	db_bind_text(s, 5, left ? "2022-09-13T18:00:00Z" : "2021-12-07T18:00:00Z");
	db_bind_int(s, 6, id);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	s = db_prepare(d, "UPDATE volunteer_stage_changes SET changed_at = CASE to_stage "
	                  "WHEN 'volunteered' THEN '2021-11-09T10:00:00Z' "
	                  "WHEN 'contacted' THEN '2021-11-12T10:00:00Z' "
	                  "WHEN 'selected' THEN '2021-11-23T10:00:00Z' "
	                  "WHEN 'inducted' THEN '2021-11-30T10:00:00Z' "
	                  "WHEN 'left' THEN '2022-09-13T18:00:00Z' "
	                  "ELSE '2021-12-07T18:00:00Z' END WHERE volunteer_id = ?");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, id);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	s = db_prepare(d, "UPDATE induction_items SET done_at = '2021-11-30T10:00:00Z' WHERE "
	                  "volunteer_id = ? AND done_at IS NOT NULL");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, id);
	rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? DOMAIN_OK : rc < 0 ? rc : DB_ERR;
}

static int add_members(db *d, arena *a, int64_t programme, int64_t fac)
{
	const struct audit_actor by_fac = {fac, 0, NULL};
	for (size_t i = 0; i < COUNT(members); i++) {
		struct volunteer_input in = {
		    .name = sv_from(members[i].name),
		    .contact_via_org = SV("Through the Young adults group"),
		    .ward = sv_from(wards[members[i].ward].code),
		    .access_needs = sv_from(members[i].needs),
		    .preferred_times = sv_from(members[i].times),
		    .cares_about = sv_from(members[i].cares),
		    .heard_from = SV("A youth worker"),
		    .consent = true,
		};
		int64_t id;
		int rc = volunteer_create_tx(d, a, &by_fac, programme, fac, &in, NULL, &id, NULL);
		if (rc == DOMAIN_OK)
			rc = walk(d, a, &by_fac, id, "active", INDUCTION_ITEMS, NULL);
		if (rc == DOMAIN_OK && i == MEMBER_WHO_LEFT)
			rc = volunteer_set_stage_tx(d, a, &by_fac, id, SV("left"),
			                            SV("Moved away for work in September 2022"), NULL);
		if (rc == DOMAIN_OK)
			rc = backdate(d, id, members[i].name, i == MEMBER_WHO_LEFT);
		if (rc != DOMAIN_OK)
			return rc;
	}
	return DOMAIN_OK;
}

static int add_others(db *d, arena *a, int64_t programme, int64_t fac)
{
	const struct audit_actor online = {0, 0, NULL}, by_fac = {fac, 0, NULL};
	for (size_t i = 0; i < COUNT(others); i++) {
		struct volunteer_input in = {
		    .name = sv_from(others[i].name),
		    .email = s_or_empty(others[i].email),
		    .phone = s_or_empty(others[i].phone),
		    .contact_via_org = s_or_empty(others[i].org),
		    .ward = others[i].ward >= 0 ? sv_from(wards[others[i].ward].code) : SV(""),
		    .postcode = s_or_empty(others[i].postcode),
		    .access_needs = sv_from(others[i].needs),
		    .preferred_times = sv_from(others[i].times),
		    .cares_about = sv_from(others[i].cares),
		    .heard_from = others[i].in_person ? SV("Met a facilitator at a group")
		                                      : SV("A poster at the library"),
		    .consent = true,
		};
		int64_t id;
		int rc = volunteer_create_tx(d, a, others[i].in_person ? &by_fac : &online, programme,
		                             others[i].in_person ? fac : 0, &in, NULL, &id, NULL);
		if (rc == DOMAIN_OK)
			rc = walk(d, a, &by_fac, id, others[i].stage, others[i].induction,
			          others[i].left_reason);
		if (rc != DOMAIN_OK)
			return rc;
	}
	return DOMAIN_OK;
}

int demo_load_recruitment(db *d, arena *a)
{
	static const struct audit_actor system = {0, 0, NULL};
	int64_t programme, fac;
	int rc;

	for (size_t i = 0; i < COUNT(wards); i++) {
		rc = ward_put_tx(d, wards[i].code, wards[i].name, wards[i].pop2011, wards[i].pop2021,
		                 WARD_SOURCE);
		if (rc != DOMAIN_OK)
			return rc;
	}
	rc = add_assets(d, a, &system);
	if (rc != DOMAIN_OK)
		return rc;
	programme = one_id(d, "SELECT id FROM programmes WHERE slug = ?", "young-adults");
	fac = one_id(d, "SELECT id FROM accounts WHERE email = ?", "facilitator@example.org");
	if (programme < 0 || fac < 0)
		return DB_ERR;
	if (!programme || !fac)
		return DOMAIN_OK;
	rc = add_members(d, a, programme, fac);
	if (rc == DOMAIN_OK)
		rc = add_others(d, a, programme, fac);
	return rc;
}
