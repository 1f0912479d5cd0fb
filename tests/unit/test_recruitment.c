/* test_recruitment.c: community assets and wards, expressions of interest, stages,
 * duplicates and merging, and induction: what a facilitator sees after each change, what
 * is refused and why, and what the audit log keeps (never contact details). */
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
#include "domain/assets.h"
#include "domain/audit.h"
#include "domain/demo.h"
#include "domain/demo_recruitment.h"
#include "domain/password.h"
#include "domain/volunteers.h"

#define WARD_A "E05013028" /* Ordsall */
#define WARD_B "E05013024" /* Eccles */

struct fixture {
	char dir[64];
	db *d;
	arena *a;
	struct audit_actor lead, fac, visitor;
	int64_t programme, hidden;
};

static int open_db(struct fixture *f)
{
	char path[128];
	snprintf(f->dir, sizeof(f->dir), "/tmp/coprod-test-recruitment-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/coprod.db", f->dir);
	if (db_open(path, &f->d) != DB_OK || db_migrate(f->d, NULL, NULL) != DB_OK)
		return -1;
	f->a = arena_new(32 << 20);
	return f->a ? 0 : -1;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (!f || open_db(f) != 0)
		return -1;
	if (db_exec(f->d,
	            "INSERT INTO accounts (id, display_name, role, created_at, updated_at) VALUES "
	            "(1, 'Pat Lead', 'programme_lead', 'x', 'x'), "
	            "(2, 'Fay Facilitator', 'facilitator', 'x', 'x'), "
	            "(3, 'Other Facilitator', 'facilitator', 'x', 'x'), "
	            "(4, 'Lee Local', 'local_person', 'x', 'x'); "
	            "INSERT INTO programmes (id, slug, name, summary, published, created_at, "
	            "updated_at) VALUES (1, 'young-adults', 'Young adults', 's', 1, 'x', 'x'), "
	            "(2, 'hidden', 'Not yet published', 's', 0, 'x', 'x'); "
	            "INSERT INTO working_groups (id, programme_id, name, created_at, updated_at) "
	            "VALUES (1, 1, 'Group', 'x', 'x'); "
	            "INSERT INTO group_members (group_id, account_id, role_in_group, joined_on) "
	            "VALUES (1, 2, 'facilitator', '2021-12-07'), (1, 4, 'local_person', "
	            "'2021-12-07')") != DB_OK)
		return -1;
	if (db_begin(f->d) != DB_OK ||
	    ward_put_tx(f->d, WARD_A, "Ordsall", 6815, 10094, "test") != DOMAIN_OK ||
	    ward_put_tx(f->d, WARD_B, "Eccles", 13054, 14523, "test") != DOMAIN_OK ||
	    db_commit(f->d) != DB_OK)
		return -1;
	f->lead = (struct audit_actor){1, 0, NULL};
	f->fac = (struct audit_actor){2, 0, NULL};
	f->visitor = (struct audit_actor){0, 0, NULL};
	f->programme = 1;
	f->hidden = 2;
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

/* --- Assets ---------------------------------------------------------------------------- */

static void assets_saved_searched_and_reaching(void **state)
{
	struct fixture *f = *state;
	struct field_errors fe;
	struct asset *list, x;
	size_t n;
	int64_t id, hidden_id;
	struct asset_input bad = {.name = SV(""), .kind = SV("castle"), .ward = SV("E05999999")};
	struct asset_input forum = {.name = SV("Parent Carer Forum"),
	                            .kind = SV("participation_group"),
	                            .who_they_reach = SV("Parents of disabled children"),
	                            .tags = SV("Parents, Young Carers ,parents"),
	                            .public = true};
	struct asset_input bank = {.name = SV("Food bank"),
	                           .kind = SV("service"),
	                           .ward = SV(WARD_A),
	                           .tags = SV("food-poverty"),
	                           .public = false};
	struct asset_filter by_tag = {.tag = "young carers", .public_only = true};
	struct asset_filter public_only = {.public_only = true};
	struct asset_filter by_ward = {.ward = WARD_A};
	struct asset_filter by_text = {.text = "DISABLED"};

	field_errors_init(&fe);
	assert_int_equal(asset_save(f->d, f->a, &f->fac, 0, &bad, &fe, NULL), DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "name"));
	assert_non_null(field_error_get(&fe, "kind"));
	assert_non_null(field_error_get(&fe, "ward"));
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM assets"), 0);

	assert_int_equal(asset_save(f->d, f->a, &f->fac, 0, &forum, NULL, &id), DOMAIN_OK);
	assert_int_equal(asset_save(f->d, f->a, &f->fac, 0, &bank, NULL, &hidden_id), DOMAIN_OK);
	assert_int_equal(asset_get(f->d, f->a, id, true, &x), DOMAIN_OK);
	assert_string_equal(x.tags, "parents,young-carers");
	assert_string_equal(x.kind, "participation_group");
	/* A staff-only asset has no public page. */
	assert_int_equal(asset_get(f->d, f->a, hidden_id, true, &x), DOMAIN_ENOTFOUND);
	assert_int_equal(asset_get(f->d, f->a, hidden_id, false, &x), DOMAIN_OK);
	assert_string_equal(x.ward_name, "Ordsall");

	assert_int_equal(asset_search(f->d, f->a, &by_tag, &list, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].name, "Parent Carer Forum");
	assert_int_equal(asset_search(f->d, f->a, &public_only, &list, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(asset_search(f->d, f->a, &by_ward, &list, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].name, "Food bank");
	assert_int_equal(asset_search(f->d, f->a, &by_text, &list, &n), DOMAIN_OK);
	assert_int_equal(n, 1);

	/* "Who are we leaving out?" finds assets by whole tag or by who they reach. */
	assert_int_equal(assets_reaching(f->d, f->a, "Young Carers", &list, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(assets_reaching(f->d, f->a, "disabled-children", &list, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(assets_reaching(f->d, f->a, "carers-of-all", &list, &n), DOMAIN_OK);
	assert_int_equal(n, 0);
	assert_int_equal(assets_reaching(f->d, f->a, "", &list, &n), DOMAIN_OK);
	assert_int_equal(n, 0);
	/* A LIKE wildcard typed as a term matches nothing special. */
	assert_int_equal(assets_reaching(f->d, f->a, "%", &list, &n), DOMAIN_OK);
	assert_int_equal(n, 0);

	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE entity = 'asset' AND "
	                             "action = 'create' AND account_id = 2"),
	                 2);
}

static void wards_imported_whole_or_not_at_all(void **state)
{
	struct fixture *f = *state;
	struct ward_import_error *errs;
	struct ward *wards;
	size_t nerrs, imported, n;
	const char *bad = "name,code,population_2021,population_2011\n"
	                  "Ordsall,E05013028,10100,\n"
	                  "Nowhere,X123,5,5\n"
	                  "\"Eccles, town\",E05013024,-3,\n"
	                  ",E05013025,10,\n"
	                  "Again,E05013028,1,1\n";
	const char *good = "\xEF\xBB\xBF" "code,name,population_2021,population_2011,source\r\n"
	                   "E05013028,Ordsall,10100,6815,ONS\r\n"
	                   "E05013030,\"Pendleton & Charlestown\",17154,,ONS\r\n";

	assert_int_equal(ward_import(f->d, f->a, &f->lead, sv_from(bad), &errs, &nerrs, &imported),
	                 DOMAIN_EINVALID);
	assert_int_equal(nerrs, 4);
	assert_int_equal(errs[0].line, 3);
	assert_non_null(strstr(errs[0].message, "E05"));
	assert_int_equal(errs[1].line, 4);
	assert_int_equal(errs[2].line, 5);
	assert_int_equal(errs[3].line, 6);
	assert_non_null(strstr(errs[3].message, "twice"));
	/* Nothing was applied, not even the good first line. */
	assert_int_equal(count(f->d, "SELECT population_2021 FROM wards WHERE code = 'E05013028'"),
	                 10094);
	assert_int_equal(ward_import(f->d, f->a, &f->lead, SV("code,name\nE05013028,Ordsall\n"),
	                             &errs, &nerrs, NULL),
	                 DOMAIN_EINVALID);
	assert_int_equal(errs[0].line, 1);
	assert_int_equal(ward_import(f->d, f->a, &f->lead, SV(""), &errs, &nerrs, NULL),
	                 DOMAIN_EINVALID);
	/* A name another ward already has is a mistake on that line, not a failure. */
	assert_int_equal(ward_import(f->d, f->a, &f->lead,
	                             SV("code,name,population_2021\nE05013030,Eccles,5\n"), &errs,
	                             &nerrs, NULL),
	                 DOMAIN_EINVALID);
	assert_int_equal(errs[0].line, 2);

	/* A ward someone lives in is updated in place, never removed. */
	{
		struct volunteer_input in = {.name = SV("Sam"),
		                             .phone = SV("07700 900123"),
		                             .ward = SV("E05013028"),
		                             .consent = true};
		assert_int_equal(volunteer_create(f->d, f->a, &f->visitor, f->programme, 0, &in, NULL,
		                                  NULL, NULL),
		                 DOMAIN_OK);
	}
	assert_int_equal(ward_import(f->d, f->a, &f->lead, sv_from(good), &errs, &nerrs, &imported),
	                 DOMAIN_OK);
	assert_int_equal(imported, 2);
	assert_int_equal(ward_list(f->d, f->a, &wards, &n), DOMAIN_OK);
	assert_int_equal(n, 3);
	assert_string_equal(wards[1].name, "Ordsall");
	assert_int_equal(wards[1].population_2021, 10100);
	assert_string_equal(wards[2].name, "Pendleton & Charlestown");
	assert_int_equal(wards[2].population_2011, 0);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE entity = 'wards' AND "
	                             "action = 'import' AND account_id = 1"),
	                 1);
}

/* --- Expressions of interest ----------------------------------------------------------- */

static struct volunteer_input person(const char *name, const char *email, const char *phone)
{
	struct volunteer_input in = {.name = sv_from(name),
	                             .email = email ? sv_from(email) : SV(""),
	                             .phone = phone ? sv_from(phone) : SV(""),
	                             .ward = SV(WARD_A),
	                             .access_needs = SV("bsl,step-free"),
	                             .preferred_times = SV("weekday-evenings"),
	                             .consent = true};
	return in;
}

static void interest_refused_with_reasons(void **state)
{
	struct fixture *f = *state;
	struct field_errors fe;
	struct volunteer_input in = {.name = SV("Sam"),
	                             .email = SV("not-an-email"),
	                             .postcode = SV("??"),
	                             .ward = SV("E05000001"),
	                             .access_needs = SV("bsl,jetpack"),
	                             .consent = false};
	struct volunteer_input none = {.name = SV(""), .consent = true};
	struct volunteer_input ok = person("Sam", "sam@example.org", NULL);

	field_errors_init(&fe);
	assert_int_equal(volunteer_create(f->d, f->a, &f->visitor, f->programme, 0, &in, &fe, NULL,
	                                  NULL),
	                 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "email"));
	assert_non_null(field_error_get(&fe, "postcode"));
	assert_non_null(field_error_get(&fe, "ward"));
	assert_non_null(field_error_get(&fe, "access_needs"));
	assert_non_null(field_error_get(&fe, "consent"));
	field_errors_init(&fe);
	assert_int_equal(volunteer_create(f->d, f->a, &f->visitor, f->programme, 0, &none, &fe,
	                                  NULL, NULL),
	                 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "name"));
	assert_non_null(field_error_get(&fe, "contact"));
	/* Nobody volunteers online for a programme that is not published. */
	assert_int_equal(volunteer_create(f->d, f->a, &f->visitor, f->hidden, 0, &ok, NULL, NULL,
	                                  NULL),
	                 DOMAIN_ENOTFOUND);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM volunteers"), 0);
}

static void interest_creates_a_volunteer(void **state)
{
	struct fixture *f = *state;
	struct volunteer_input in = person("Sam Example", "Sam@Example.org", "+44 7700 900123");
	struct volunteer v;
	struct volunteer_stage_change *h;
	char ref[65];
	int64_t id;
	size_t n;

	in.contact_via_org = SV("Demo Hub");
	in.postcode = SV("m6 5fx");
	assert_int_equal(volunteer_create(f->d, f->a, &f->visitor, f->programme, 0, &in, NULL, &id,
	                                  ref),
	                 DOMAIN_OK);
	assert_int_equal(volunteer_get(f->d, f->a, id, &v), DOMAIN_OK);
	assert_string_equal(v.stage, "volunteered");
	assert_string_equal(v.consent_version, VOLUNTEER_CONSENT_VERSION);
	assert_string_equal(v.consent_method, "online");
	assert_string_equal(v.access_needs, "bsl,step-free");
	assert_string_equal(v.postcode, "M6 5FX");
	assert_string_equal(v.ward_name, "Ordsall");
	assert_int_equal(strlen(v.monitoring_ref), 64);
	assert_string_equal(v.monitoring_ref, ref);
	assert_int_equal(volunteer_get_by_ref(f->d, f->a, ref, &v), DOMAIN_OK);
	assert_int_equal(v.id, id);
	assert_int_equal(volunteer_history(f->d, f->a, id, &h, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_null(h[0].from_stage);
	assert_string_equal(h[0].to_stage, "volunteered");
	/* The audit log says what happened, never how to reach the person. */
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE entity = 'volunteer' "
	                             "AND action = 'create'"),
	                 1);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%xample%' "
	                             "OR after_json LIKE '%7700%'"),
	                 0);

	/* Met in person: consent is in person and the facilitator is recorded, even for a
	 * programme not yet published. */
	in = person("Jo", NULL, "0161 496 0000");
	assert_int_equal(volunteer_create(f->d, f->a, &f->fac, f->hidden, 2, &in, NULL, &id, NULL),
	                 DOMAIN_OK);
	assert_int_equal(volunteer_get(f->d, f->a, id, &v), DOMAIN_OK);
	assert_string_equal(v.consent_method, "in_person");
	assert_string_equal(v.recorded_by_name, "Fay Facilitator");
}

/* Postcodes as people type them: any case and spacing is fine and stored one way, the
 * way the postcode-to-decile table is looked up; anything that is not a postcode is a
 * mistake beside the field, never a failure of the service. */
static void postcodes_checked_and_stored_one_way(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *typed, *stored;
	} good[] = {
	    {"m65zz", "M6 5ZZ"},     {"M6  5ZZ", "M6 5ZZ"},     {" m6 5zz ", "M6 5ZZ"},
	    {"M 6 5 Z Z", "M6 5ZZ"}, {"m50 3ab", "M50 3AB"},    {"ec1a1bb", "EC1A 1BB"},
	    {"W1A 0AX", "W1A 0AX"},  {"sw1a 2aa", "SW1A 2AA"},  {"OL16 1AB", "OL16 1AB"},
	};
	static const char *const bad[] = {
	    "not a postcode", "abc def", "M6 5ZZZ", "M6", "65ZZ", "M6 ZZ5", "1M6 5ZZ",
	    "MMM6 5ZZ", "M6AB 5ZZ", "M6-5ZZ", "M6 5ZZ 5ZZ",
	};
	char out[VOLUNTEER_POSTCODE_NORM];
	char *longest;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct volunteer_input in = person("Sam", "sam@example.org", NULL);
		struct volunteer v;
		int64_t id;
		assert_true(volunteer_postcode_normalise(sv_from(good[i].typed), out));
		assert_string_equal(out, good[i].stored);
		in.postcode = sv_from(good[i].typed);
		assert_int_equal(volunteer_create(f->d, f->a, &f->visitor, f->programme, 0, &in, NULL,
		                                  &id, NULL),
		                 DOMAIN_OK);
		assert_int_equal(volunteer_get(f->d, f->a, id, &v), DOMAIN_OK);
		assert_string_equal(v.postcode, good[i].stored);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct volunteer_input in = person("Sam", "sam@example.org", NULL);
		struct field_errors fe;
		assert_false(volunteer_postcode_normalise(sv_from(bad[i]), out));
		assert_string_equal(out, "");
		in.postcode = sv_from(bad[i]);
		field_errors_init(&fe);
		assert_int_equal(volunteer_create(f->d, f->a, &f->visitor, f->programme, 0, &in, &fe,
		                                  NULL, NULL),
		                 DOMAIN_EINVALID);
		assert_string_equal(field_error_get(&fe, "postcode"),
		                    "Enter a real postcode, like M6 5FX");
		assert_int_equal(fe.n, 1);
	}
	/* However long, it is a mistake to correct, not a failure. */
	longest = arena_alloc(f->a, 4001);
	assert_non_null(longest);
	memset(longest, 'M', 4000);
	longest[4000] = '\0';
	{
		struct volunteer_input in = person("Sam", "sam@example.org", NULL);
		struct field_errors fe;
		in.postcode = sv_from(longest);
		field_errors_init(&fe);
		assert_int_equal(volunteer_create(f->d, f->a, &f->visitor, f->programme, 0, &in, &fe,
		                                  NULL, NULL),
		                 DOMAIN_EINVALID);
		assert_non_null(field_error_get(&fe, "postcode"));
	}
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM volunteers"),
	                 (int64_t)(sizeof(good) / sizeof(good[0])));
}

/* Someone signed in (or acted for by a facilitator) volunteers from their own account,
 * so the record is theirs to find under "About you". */
static void interest_linked_to_an_account(void **state)
{
	struct fixture *f = *state;
	struct volunteer_input in = person("Lee Local", "lee@example.org", NULL);
	struct volunteer v;
	struct audit_actor lee = {4, 0, NULL};
	int64_t id;

	in.account_id = 4;
	assert_int_equal(volunteer_create(f->d, f->a, &lee, f->programme, 0, &in, NULL, &id, NULL),
	                 DOMAIN_OK);
	assert_int_equal(volunteer_get(f->d, f->a, id, &v), DOMAIN_OK);
	assert_int_equal(v.account_id, 4);
	assert_string_equal(v.consent_method, "online");
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM volunteers WHERE account_id = 4"), 1);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE entity = 'volunteer' AND "
	                             "action = 'create' AND account_id = 4 AND after_json LIKE "
	                             "'%\"account_id\":4%'"),
	                 1);

	/* Without an account, nothing is linked. */
	in = person("Sam", "sam@example.org", NULL);
	assert_int_equal(volunteer_create(f->d, f->a, &f->visitor, f->programme, 0, &in, NULL, &id,
	                                  NULL),
	                 DOMAIN_OK);
	assert_int_equal(volunteer_get(f->d, f->a, id, &v), DOMAIN_OK);
	assert_int_equal(v.account_id, 0);

	/* An account that does not exist is not made up. */
	in = person("Nobody", "nobody@example.org", NULL);
	in.account_id = 999;
	assert_int_equal(volunteer_create(f->d, f->a, &f->visitor, f->programme, 0, &in, NULL, &id,
	                                  NULL),
	                 DOMAIN_ENOTFOUND);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM volunteers WHERE name = 'Nobody'"), 0);
}

static void details_corrected_and_audited_by_name(void **state)
{
	struct fixture *f = *state;
	struct volunteer_input in = person("Sam", "sam@example.org", NULL);
	struct volunteer_input other = person("Alex", NULL, "07700 900123");
	struct field_errors fe;
	struct volunteer v;
	int64_t id, id2;

	assert_int_equal(volunteer_create(f->d, f->a, &f->visitor, f->programme, 0, &in, NULL, &id,
	                                  NULL),
	                 DOMAIN_OK);
	assert_int_equal(volunteer_create(f->d, f->a, &f->visitor, f->programme, 0, &other, NULL,
	                                  &id2, NULL),
	                 DOMAIN_OK);
	in.email = SV("");
	field_errors_init(&fe);
	assert_int_equal(volunteer_update(f->d, f->a, &f->fac, id, &in, &fe), DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "contact"));
	/* Consent is not asked again when details are corrected. */
	in.consent = false;
	in.phone = SV("+44 7700 900123");
	in.access_needs = SV("");
	assert_int_equal(volunteer_update(f->d, f->a, &f->fac, id, &in, NULL), DOMAIN_OK);
	assert_int_equal(volunteer_get(f->d, f->a, id, &v), DOMAIN_OK);
	assert_null(v.email);
	assert_string_equal(v.phone, "+44 7700 900123");
	assert_string_equal(v.access_needs, "");
	assert_string_equal(v.consent_method, "online");
	/* The new phone number is the other record's: now a likely duplicate. */
	assert_int_equal(v.duplicate_of, id2);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE action = 'update' AND "
	                             "after_json = '{\"changed\":[\"email\",\"phone\",\"access_needs\"]}'"),
	                 1);
	assert_int_equal(volunteer_merge(f->d, f->a, &f->fac, id2, id), DOMAIN_OK);
	assert_int_equal(volunteer_update(f->d, f->a, &f->fac, id, &in, NULL), DOMAIN_ECONFLICT);
}

static void who_may_manage(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(volunteer_can_manage(f->d, 1, ROLE_PROGRAMME_LEAD, f->programme), 1);
	assert_int_equal(volunteer_can_manage(f->d, 2, ROLE_FACILITATOR, f->programme), 1);
	assert_int_equal(volunteer_can_manage(f->d, 2, ROLE_FACILITATOR, f->hidden), 0);
	assert_int_equal(volunteer_can_manage(f->d, 3, ROLE_FACILITATOR, f->programme), 0);
	assert_int_equal(volunteer_can_manage(f->d, 4, ROLE_LOCAL_PERSON, f->programme), 0);
	assert_int_equal(volunteer_can_manage(f->d, 0, ROLE_NONE, f->programme), 0);
}

/* --- Stages ---------------------------------------------------------------------------- */

static void stages_change_with_history(void **state)
{
	struct fixture *f = *state;
	struct volunteer_input in = person("Sam", "sam@example.org", NULL);
	struct field_errors fe;
	struct volunteer v;
	struct volunteer_stage_change *h;
	int64_t id, counts[VOLUNTEER_STAGES];
	size_t n;

	assert_int_equal(volunteer_create(f->d, f->a, &f->visitor, f->programme, 0, &in, NULL, &id,
	                                  NULL),
	                 DOMAIN_OK);
	field_errors_init(&fe);
	assert_int_equal(volunteer_set_stage(f->d, f->a, &f->fac, id, SV("left"), SV("  "), &fe),
	                 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "reason"));
	field_errors_init(&fe);
	assert_int_equal(volunteer_set_stage(f->d, f->a, &f->fac, id, SV("volunteered"), SV(""),
	                                     &fe),
	                 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "stage"));
	field_errors_init(&fe);
	assert_int_equal(volunteer_set_stage(f->d, f->a, &f->fac, id, SV("famous"), SV(""), &fe),
	                 DOMAIN_EINVALID);
	assert_int_equal(volunteer_set_stage(f->d, f->a, &f->fac, id, SV("contacted"),
	                                     SV("Phoned"), NULL),
	                 DOMAIN_OK);
	assert_int_equal(volunteer_set_stage(f->d, f->a, &f->fac, id, SV("left"),
	                                     SV("Moved away"), NULL),
	                 DOMAIN_OK);
	assert_int_equal(volunteer_get(f->d, f->a, id, &v), DOMAIN_OK);
	assert_string_equal(v.stage, "left");
	assert_string_equal(v.left_reason, "Moved away");
	assert_int_equal(volunteer_history(f->d, f->a, id, &h, &n), DOMAIN_OK);
	assert_int_equal(n, 3);
	assert_string_equal(h[2].from_stage, "contacted");
	assert_string_equal(h[2].to_stage, "left");
	assert_string_equal(h[2].changed_by_name, "Fay Facilitator");
	/* Back again: the reason for leaving goes. */
	assert_int_equal(volunteer_set_stage(f->d, f->a, &f->fac, id, SV("waiting"), SV(""), NULL),
	                 DOMAIN_OK);
	assert_int_equal(volunteer_get(f->d, f->a, id, &v), DOMAIN_OK);
	assert_null(v.left_reason);
	assert_int_equal(volunteer_stage_counts(f->d, f->programme, counts), DOMAIN_OK);
	assert_int_equal(counts[3], 1); /* waiting */
	assert_int_equal(counts[6], 0); /* left */
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE entity = 'volunteer' "
	                             "AND action = 'stage'"),
	                 3);
}

/* --- Duplicates ------------------------------------------------------------------------ */

static void duplicates_flagged_then_merged(void **state)
{
	struct fixture *f = *state;
	struct volunteer_input a = person("Sam Example", "sam@example.org", NULL);
	struct volunteer_input b = person("S. Example", " SAM@example.ORG ", "07700 900123");
	struct volunteer_input c = person("Other", NULL, "+44 (0)7700 900999");
	struct volunteer_input d2 = person("Other again", NULL, "07700900999");
	struct volunteer *list;
	struct volunteer v;
	bool done[INDUCTION_ITEMS] = {true, false, false, false, false, false};
	sv notes[INDUCTION_ITEMS] = {SV("Had a cup of tea"), SV(""), SV(""), SV(""), SV(""), SV("")};
	int64_t ida, idb, idc, idd, dups;
	size_t n;

	assert_int_equal(volunteer_create(f->d, f->a, &f->visitor, f->programme, 0, &a, NULL, &ida,
	                                  NULL),
	                 DOMAIN_OK);
	assert_int_equal(volunteer_create(f->d, f->a, &f->visitor, f->programme, 0, &b, NULL, &idb,
	                                  NULL),
	                 DOMAIN_OK);
	assert_int_equal(volunteer_create(f->d, f->a, &f->visitor, f->programme, 0, &c, NULL, &idc,
	                                  NULL),
	                 DOMAIN_OK);
	(void)d2;
	assert_int_equal(volunteer_list(f->d, f->a, f->programme, NULL, &list, &n), DOMAIN_OK);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++) {
		if (list[i].id == ida)
			assert_int_equal(list[i].duplicate_of, idb);
		else if (list[i].id == idb)
			assert_int_equal(list[i].duplicate_of, ida);
		else
			assert_int_equal(list[i].duplicate_of, 0);
	}
	assert_int_equal(volunteer_duplicate_count(f->d, f->programme, &dups), DOMAIN_OK);
	assert_int_equal(dups, 2);

	/* +44 (0)7700 ... is not the same digits as 07700...: only exact numbers match, after
	 * +44 is read as 0. */
	d2.phone = SV("+44 7700 900999");
	assert_int_equal(volunteer_create(f->d, f->a, &f->visitor, f->programme, 0, &d2, NULL,
	                                  &idd, NULL),
	                 DOMAIN_OK);
	assert_int_equal(volunteer_get(f->d, f->a, idd, &v), DOMAIN_OK);
	assert_int_equal(v.duplicate_of, 0);

	assert_int_equal(induction_save(f->d, f->a, &f->fac, idb, done, notes, NULL, NULL),
	                 DOMAIN_OK);
	assert_int_equal(volunteer_merge(f->d, f->a, &f->fac, ida, ida), DOMAIN_EINVALID);
	assert_int_equal(volunteer_merge(f->d, f->a, &f->fac, ida, idb), DOMAIN_OK);
	assert_int_equal(volunteer_get(f->d, f->a, ida, &v), DOMAIN_OK);
	assert_string_equal(v.phone, "07700 900123"); /* copied from the other record */
	assert_string_equal(v.email, "sam@example.org"); /* its own kept */
	assert_int_equal(v.induction_done, 1);
	assert_int_equal(v.duplicate_of, 0);
	assert_int_equal(volunteer_get(f->d, f->a, idb, &v), DOMAIN_OK);
	assert_int_equal(v.merged_into, ida);
	assert_int_equal(volunteer_list(f->d, f->a, f->programme, NULL, &list, &n), DOMAIN_OK);
	assert_int_equal(n, 3);
	assert_int_equal(volunteer_duplicate_count(f->d, f->programme, &dups), DOMAIN_OK);
	assert_int_equal(dups, 0);
	assert_int_equal(volunteer_merge(f->d, f->a, &f->fac, ida, idb), DOMAIN_ECONFLICT);
	assert_int_equal(volunteer_set_stage(f->d, f->a, &f->fac, idb, SV("contacted"), SV(""),
	                                     NULL),
	                 DOMAIN_ECONFLICT);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE action = 'merge'"), 2);
}

static void details_removed_on_request(void **state)
{
	struct fixture *f = *state;
	struct volunteer_input a = person("Sam Example", "sam@example.org", "07700 900123");
	struct volunteer_input b = person("S. Example", "SAM@example.org", NULL);
	bool done[INDUCTION_ITEMS] = {true, false, false, false, false, false};
	sv notes[INDUCTION_ITEMS] = {SV("Sam's mum came too"), SV(""), SV(""), SV(""), SV(""),
	                             SV("")};
	struct volunteer v;
	int64_t ida, idb, counts[VOLUNTEER_STAGES];

	assert_int_equal(volunteer_create(f->d, f->a, &f->visitor, f->programme, 0, &a, NULL, &ida,
	                                  NULL),
	                 DOMAIN_OK);
	assert_int_equal(volunteer_create(f->d, f->a, &f->visitor, f->programme, 0, &b, NULL, &idb,
	                                  NULL),
	                 DOMAIN_OK);
	assert_int_equal(volunteer_set_stage(f->d, f->a, &f->fac, ida, SV("contacted"),
	                                     SV("Spoke to Sam on Monday"), NULL),
	                 DOMAIN_OK);
	assert_int_equal(induction_save(f->d, f->a, &f->fac, ida, done, notes, NULL, NULL),
	                 DOMAIN_OK);
	assert_int_equal(volunteer_merge(f->d, f->a, &f->fac, ida, idb), DOMAIN_OK);
	assert_int_equal(volunteer_erase(f->d, f->a, &f->fac, ida), DOMAIN_OK);
	assert_int_equal(volunteer_get(f->d, f->a, ida, &v), DOMAIN_OK);
	assert_string_equal(v.name, VOLUNTEER_ERASED_NAME);
	assert_null(v.email);
	assert_null(v.phone);
	assert_null(v.ward_code);
	assert_string_equal(v.stage, "left");
	/* Nothing anywhere in their records still names them, merged copy included. */
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM volunteers WHERE name LIKE '%Example%' "
	                             "OR email IS NOT NULL OR phone IS NOT NULL"),
	                 0);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM volunteer_stage_changes WHERE reason "
	                             "LIKE '%Sam%'"),
	                 0);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM induction_items WHERE note <> ''"), 0);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM induction_items WHERE done_at IS NOT "
	                             "NULL"),
	                 1);
	assert_int_equal(volunteer_stage_counts(f->d, f->programme, counts), DOMAIN_OK);
	assert_int_equal(counts[6], 1);
	assert_int_equal(volunteer_erase(f->d, f->a, &f->fac, ida), DOMAIN_ECONFLICT);
	assert_int_equal(volunteer_erase(f->d, f->a, &f->fac, idb), DOMAIN_ECONFLICT);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE action = 'erase'"), 1);
}

/* --- Induction ------------------------------------------------------------------------- */

static void induction_completes_to_inducted(void **state)
{
	struct fixture *f = *state;
	struct volunteer_input in = person("Sam", "sam@example.org", NULL);
	struct induction_item items[INDUCTION_ITEMS];
	struct induction_waiting *wl;
	struct field_errors fe;
	struct volunteer v;
	bool done[INDUCTION_ITEMS] = {true, true, true, true, true, false};
	sv notes[INDUCTION_ITEMS] = {SV(""), SV(""), SV("BSL interpreter booked"), SV(""), SV(""),
	                             SV("")};
	sv long_notes[INDUCTION_ITEMS];
	char big[VOLUNTEER_SHORT_MAX + 10];
	bool inducted = true;
	int64_t id;
	size_t n;

	assert_int_equal(volunteer_create(f->d, f->a, &f->visitor, f->programme, 0, &in, NULL, &id,
	                                  NULL),
	                 DOMAIN_OK);
	assert_int_equal(volunteer_set_stage(f->d, f->a, &f->fac, id, SV("selected"), SV(""), NULL),
	                 DOMAIN_OK);
	assert_int_equal(induction_save(f->d, f->a, &f->fac, id, done, notes, NULL, &inducted),
	                 DOMAIN_OK);
	assert_false(inducted);
	assert_int_equal(induction_get(f->d, f->a, id, items), DOMAIN_OK);
	assert_true(items[0].done);
	assert_string_equal(items[0].done_by_name, "Fay Facilitator");
	assert_string_equal(items[2].note, "BSL interpreter booked");
	assert_false(items[5].done);
	assert_int_equal(induction_waiting_list(f->d, f->a, f->programme, &wl, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_true(wl[0].missing[5]);
	assert_false(wl[0].missing[0]);
	assert_int_equal(wl[0].done, 5);

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (size_t i = 0; i < INDUCTION_ITEMS; i++)
		long_notes[i] = i == 3 ? sv_from(big) : SV("");
	field_errors_init(&fe);
	assert_int_equal(induction_save(f->d, f->a, &f->fac, id, done, long_notes, &fe, NULL),
	                 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "note-payment"));

	done[5] = true;
	assert_int_equal(induction_save(f->d, f->a, &f->fac, id, done, notes, NULL, &inducted),
	                 DOMAIN_OK);
	assert_true(inducted);
	assert_int_equal(volunteer_get(f->d, f->a, id, &v), DOMAIN_OK);
	assert_string_equal(v.stage, "inducted");
	assert_int_equal(v.induction_done, 6);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM volunteer_stage_changes WHERE "
	                             "to_stage = 'inducted' AND reason = 'Induction checklist "
	                             "complete' AND changed_by = 2"),
	                 1);
	assert_int_equal(induction_waiting_list(f->d, f->a, f->programme, &wl, &n), DOMAIN_OK);
	assert_int_equal(n, 0);
	/* Saving the complete checklist again changes nothing about the stage. */
	assert_int_equal(induction_save(f->d, f->a, &f->fac, id, done, notes, NULL, &inducted),
	                 DOMAIN_OK);
	assert_false(inducted);
}

/* --- The demo -------------------------------------------------------------------------- */

static int setup_empty(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (!f || open_db(f) != 0)
		return -1;
	*state = f;
	return 0;
}

static void demo_wards_assets_and_volunteers(void **state)
{
	struct fixture *f = *state;
	struct asset *list;
	size_t n;
	int64_t dups;
	assert_int_equal(demo_load(f->d, f->a), DOMAIN_OK);
	/* Until demo_load runs it among the others, run it after them as it would be. */
	if (count(f->d, "SELECT COUNT(*) FROM wards") == 0) {
		assert_int_equal(db_begin(f->d), DB_OK);
		assert_int_equal(demo_load_recruitment(f->d, f->a), DOMAIN_OK);
		assert_int_equal(db_commit(f->d), DB_OK);
	}
	/* Real Census figures: the wards sum to the city's 2021 total (one person off,
	 * output-area based) and to the 2011 total. */
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM wards"), 20);
	assert_int_equal(count(f->d, "SELECT SUM(population_2021) FROM wards"), 269924);
	assert_int_equal(count(f->d, "SELECT SUM(population_2011) FROM wards"), 233933);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM volunteers v JOIN programmes p ON "
	                             "p.id = v.programme_id WHERE p.slug = 'young-adults'"),
	                 41); /* forty people, one of them twice */
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM volunteers WHERE stage = 'active' AND "
	                             "account_id IS NOT NULL"),
	                 9);
	assert_int_equal(count(f->d, "SELECT COUNT(DISTINCT monitoring_ref) FROM volunteers"), 41);
	assert_int_equal(volunteer_duplicate_count(f->d, 1, &dups), DOMAIN_OK);
	assert_int_equal(dups, 2);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM volunteers WHERE name = 'Demo Vol 07'"), 1);
	assert_int_equal(assets_reaching(f->d, f->a, "carers", &list, &n), DOMAIN_OK);
	assert_true(n >= 2);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM assets WHERE name = '"
	                             DEMO_ASSET_PARENT_CARER_FORUM "' AND kind = "
	                             "'participation_group'"),
	                 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(assets_saved_searched_and_reaching, setup, teardown),
	    cmocka_unit_test_setup_teardown(wards_imported_whole_or_not_at_all, setup, teardown),
	    cmocka_unit_test_setup_teardown(interest_refused_with_reasons, setup, teardown),
	    cmocka_unit_test_setup_teardown(interest_creates_a_volunteer, setup, teardown),
	    cmocka_unit_test_setup_teardown(postcodes_checked_and_stored_one_way, setup, teardown),
	    cmocka_unit_test_setup_teardown(interest_linked_to_an_account, setup, teardown),
	    cmocka_unit_test_setup_teardown(details_corrected_and_audited_by_name, setup, teardown),
	    cmocka_unit_test_setup_teardown(who_may_manage, setup, teardown),
	    cmocka_unit_test_setup_teardown(stages_change_with_history, setup, teardown),
	    cmocka_unit_test_setup_teardown(duplicates_flagged_then_merged, setup, teardown),
	    cmocka_unit_test_setup_teardown(details_removed_on_request, setup, teardown),
	    cmocka_unit_test_setup_teardown(induction_completes_to_inducted, setup, teardown),
	    cmocka_unit_test_setup_teardown(demo_wards_assets_and_volunteers, setup_empty, teardown),
	};
	setenv("COPROD_TEST_FAST_HASH", "1", 1);
	log_set_level(LOG_ERROR);
	if (password_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
