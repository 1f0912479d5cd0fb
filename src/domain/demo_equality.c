/* demo_equality.c: the demo's equality monitoring; see demo_equality.h. */
#include "domain/demo_equality.h"

#include <string.h>

#include "core/log.h"
#include "domain/equality.h"
#include "domain/population.h"

#define DEMO_EQUALITY_PEOPLE_MAX 200

/* Illustrative population figures (shares in per cent), not real ones. */
static const char population_csv[] =
    "category,value,count,share,source,date\n"
    "age_band,16_24,,45,Illustrative figures for the demo,2021\n"
    "age_band,25_34,,55,Illustrative figures for the demo,2021\n"
    "sex,female,,50.5,Illustrative figures for the demo,2021\n"
    "sex,male,,49.5,Illustrative figures for the demo,2021\n"
    "gender_identity,same,,99.4,Illustrative figures for the demo,2021\n"
    "gender_identity,different,,0.6,Illustrative figures for the demo,2021\n"
    "sexual_orientation,straight,,93,Illustrative figures for the demo,2021\n"
    "sexual_orientation,gay_lesbian,,3.5,Illustrative figures for the demo,2021\n"
    "sexual_orientation,bisexual,,2.5,Illustrative figures for the demo,2021\n"
    "sexual_orientation,other,,1,Illustrative figures for the demo,2021\n"
    "ethnicity,white_british,,72,Illustrative figures for the demo,2021\n"
    "ethnicity,other_white,,6,Illustrative figures for the demo,2021\n"
    "ethnicity,irish,,1,Illustrative figures for the demo,2021\n"
    "ethnicity,roma,,0.5,Illustrative figures for the demo,2021\n"
    "ethnicity,pakistani,,3,Illustrative figures for the demo,2021\n"
    "ethnicity,chinese,,2,Illustrative figures for the demo,2021\n"
    "ethnicity,african,,5,Illustrative figures for the demo,2021\n"
    "ethnicity,white_black_caribbean,,1.5,Illustrative figures for the demo,2021\n"
    "ethnicity,arab,,1.5,Illustrative figures for the demo,2021\n"
    "ethnic_group,white,,79.5,Illustrative figures for the demo,2021\n"
    "ethnic_group,asian,,7,Illustrative figures for the demo,2021\n"
    "ethnic_group,black,,6,Illustrative figures for the demo,2021\n"
    "ethnic_group,mixed,,3.5,Illustrative figures for the demo,2021\n"
    "ethnic_group,other,,4,Illustrative figures for the demo,2021\n"
    "disability,disabled_a_lot,,9,Illustrative figures for the demo,2021\n"
    "disability,disabled_a_little,,11,Illustrative figures for the demo,2021\n"
    "disability,not_disabled_condition,,7,Illustrative figures for the demo,2021\n"
    "disability,not_disabled,,73,Illustrative figures for the demo,2021\n"
    "religion,no_religion,,40,Illustrative figures for the demo,2021\n"
    "religion,christian,,45,Illustrative figures for the demo,2021\n"
    "religion,muslim,,7,Illustrative figures for the demo,2021\n"
    "religion,jewish,,4,Illustrative figures for the demo,2021\n"
    "religion,other,,4,Illustrative figures for the demo,2021\n"
    "carer,yes,,9,Illustrative figures for the demo,2021\n"
    "carer,no,,91,Illustrative figures for the demo,2021\n"
    "deprivation_decile,1,,35,Illustrative figures for the demo,2019\n"
    "deprivation_decile,2,,15,Illustrative figures for the demo,2019\n"
    "deprivation_decile,3,,10,Illustrative figures for the demo,2019\n"
    "deprivation_decile,4,,8,Illustrative figures for the demo,2019\n"
    "deprivation_decile,5,,7,Illustrative figures for the demo,2019\n"
    "deprivation_decile,6,,7,Illustrative figures for the demo,2019\n"
    "deprivation_decile,7,,6,Illustrative figures for the demo,2019\n"
    "deprivation_decile,8,,5,Illustrative figures for the demo,2019\n"
    "deprivation_decile,9,,4,Illustrative figures for the demo,2019\n"
    "deprivation_decile,10,,3,Illustrative figures for the demo,2019\n"
    "lived:poverty,yes,,30,Illustrative figures for the demo,2021\n"
    "lived:poverty,no,,70,Illustrative figures for the demo,2021\n"
    "lived:care-leaver,yes,,2,Illustrative figures for the demo,2021\n"
    "lived:care-leaver,no,,98,Illustrative figures for the demo,2021\n";

static const char postcode_csv[] = "postcode,decile\n"
                                   "M6 5FX,1\n"
                                   "M30 0AB,4\n"
                                   "M5 4WT,2\n"
                                   "M7 1PZ,3\n";

/* Answers are picked from these lists in turn, person by person, so that the common
 * answers reach the disclosure threshold and the rarer ones stay below it. */
static const char *const ages[] = {"16_24", "16_24", "25_34", "16_24", "16_24", "25_34",
                                   "16_24", "25_34", "16_24", EQUALITY_PREFER_NOT};
static const char *const sexes[] = {"female", "male", "female", "male", "female",
                                    "male", "female", EQUALITY_PREFER_NOT};
static const char *const genders[] = {"same", "same", "same", "same", "same", "same",
                                      "same", "same", "same", "same", "same", "different"};
static const char *const orientations[] = {"straight", "straight", "straight", "bisexual",
                                           "straight", "straight", "gay_lesbian",
                                           EQUALITY_PREFER_NOT};
static const char *const ethnicities[] = {
    "white_british", "white_british", "pakistani", "white_british", "african",
    "white_british", "white_british", "other_white", "white_british", "white_black_caribbean",
    "white_british", "roma", "white_british", "chinese", "white_british", "arab"};
static const char *const disabilities[] = {"not_disabled", "not_disabled", "disabled_a_little",
                                           "not_disabled", "disabled_a_lot",
                                           "not_disabled_condition", "not_disabled",
                                           "not_disabled"};
static const char *const religions[] = {"no_religion", "no_religion", "christian", "muslim",
                                        "no_religion", "christian", "no_religion",
                                        EQUALITY_PREFER_NOT};
/* Three answers in ten from the most deprived tenth of areas, against 35% of the
 * population: the most deprived areas are slightly under-represented. */
static const char *const deciles[] = {"1", "3", "5", "1", "7", "2", "1", "8", "4", "6"};
static const char *const carers[] = {"no", "no", "no", "yes", "no", "no"};
static const char *const poverty[] = {"yes", "no", "yes", "yes", "no"};
static const char *const care_leaver[] = {"no", "no", "no", "no", "yes", "no", "no"};

#define PICK(list, i) ((list)[(i) % (sizeof(list) / sizeof((list)[0]))])

static int set_up(db *d, arena *a, const struct audit_actor *who, int64_t programme)
{
	static const struct equality_flag flags[] = {
	    {"poverty", "Have you experienced poverty?"},
	    {"care-leaver", "Have you been in care (a care leaver)?"},
	};
	struct import_result res;
	int rc = equality_settings_set_tx(d, a, who, programme, "explicit-consent", "", flags, 2,
					  NULL);
	if (rc == DOMAIN_OK)
		rc = population_import_tx(d, a, who, programme, sv_from(population_csv), true, &res);
	if (rc == DOMAIN_OK)
		rc = postcode_import_tx(d, a, who, programme, sv_from(postcode_csv), &res);
	if (rc != DOMAIN_OK)
		log_error("demo: equality settings or population figures failed (%d)", rc);
	return rc;
}

int demo_load_equality(db *d, arena *a)
{
	const struct audit_actor system = {0, 0, NULL};
	char *refs[DEMO_EQUALITY_PEOPLE_MAX], *postcodes[DEMO_EQUALITY_PEOPLE_MAX];
	size_t n = 0;
	int64_t programme = 0;
	db_stmt *st;
	int rc;

	st = db_prepare(d, "SELECT id FROM programmes WHERE slug = 'young-adults'");
	if (!st)
		return DB_ERR;
	rc = db_step(st);
	if (rc == DB_ROW)
		programme = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_DONE)
		return DOMAIN_OK; /* no such programme in this demo */
	if (rc != DB_ROW)
		return rc;
	rc = set_up(d, a, &system, programme);
	if (rc != DOMAIN_OK)
		return rc;

	st = db_prepare(d, "SELECT monitoring_ref, postcode FROM volunteers WHERE programme_id = ? "
	                   "AND merged_into IS NULL ORDER BY id");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, programme);
	while ((rc = db_step(st)) == DB_ROW && n < DEMO_EQUALITY_PEOPLE_MAX) {
		refs[n] = db_col_dup(st, 0, a);
		postcodes[n] = db_col_dup(st, 1, a);
		n++;
	}
	db_done(st);
	if (rc != DB_DONE && rc != DB_ROW)
		return rc;

	for (size_t i = 0; i < n; i++) {
		struct equality_answer ans[] = {
		    {"age_band", PICK(ages, i)},
		    {"sex", PICK(sexes, i)},
		    {"gender_identity", PICK(genders, i)},
		    {"sexual_orientation", PICK(orientations, i)},
		    {"ethnicity", PICK(ethnicities, i)},
		    {"disability", PICK(disabilities, i)},
		    {"religion", PICK(religions, i)},
		    {"carer", PICK(carers, i)},
		    {"deprivation_decile", PICK(deciles, i)},
		    {"lived:poverty", PICK(poverty, i)},
		    {"lived:care-leaver", PICK(care_leaver, i)},
		};
		if (!refs[i])
			return DB_ERR;
		if (i % 9 == 8)
			continue; /* not everyone answers */
		rc = equality_answers_save_tx(d, a, &system, programme, refs[i], ans,
					      sizeof(ans) / sizeof(ans[0]), postcodes[i], i % 4 == 0,
					      NULL);
		if (rc != DOMAIN_OK) {
			log_error("demo: equality answers failed (%d)", rc);
			return rc;
		}
	}
	return DOMAIN_OK;
}
