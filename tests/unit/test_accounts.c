/* test_accounts.c: accounts, roles, assisted accounts and organisations: what a
 * programme lead or facilitator would notice, and that every change is audited. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/accounts.h"
#include "domain/organisations.h"
#include "domain/sessions.h"
#include "domain/validate.h"

#define NOW 1760000000 /* 2025-10-09: a fixed clock for sessions */

struct fixture {
	db *d;
	arena *a;
	int64_t lead, facilitator, org;
};

static const struct audit_actor system_actor = {0, 0, NULL};

static int64_t make_account(db *d, arena *a, const char *email, const char *name, enum role r)
{
	struct account_new in = {.email = sv_from(email),
				 .display_name = sv_from(name),
				 .password = SV("a long enough password"),
				 .role = r};
	int64_t id = 0;
	assert_int_equal(account_create(d, a, &system_actor, &in, NULL, &id), DOMAIN_OK);
	assert_true(id > 0);
	return id;
}

static int64_t scalar(db *d, const char *sql, const char *text, int64_t id)
{
	db_stmt *st = db_prepare(d, sql);
	int64_t v;
	assert_non_null(st);
	if (text)
		db_bind_text(st, 1, text);
	if (id)
		db_bind_int(st, text ? 2 : 1, id);
	assert_int_equal(db_step(st), DB_ROW);
	v = db_col_int(st, 0);
	db_done(st);
	return v;
}

static int64_t audit_count(db *d, const char *action, int64_t entity_id)
{
	return scalar(d, "SELECT COUNT(*) FROM audit_log WHERE action = ? AND entity_id = ?",
		      action, entity_id);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (!f || db_open(":memory:", &f->d) != DB_OK || db_migrate(f->d, NULL, NULL) != DB_OK)
		return -1;
	f->a = arena_new(4 << 20);
	f->lead = make_account(f->d, f->a, "lead@example.org", "Lena Lead", ROLE_PROGRAMME_LEAD);
	f->facilitator = make_account(f->d, f->a, "fac@example.org", "Femi Facilitator",
				      ROLE_FACILITATOR);
	assert_int_equal(organisation_create(f->d, f->a, &system_actor, SV("Test Council"),
					     ORG_ANCHOR, NULL, &f->org),
			 DOMAIN_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	arena_free(f->a);
	db_close(f->d);
	free(f);
	return 0;
}

static void roles_round_trip(void **state)
{
	(void)state;
	assert_int_equal(ROLE_LOCAL_PERSON | ROLE_DECISION_MAKER | ROLE_FACILITATOR |
				 ROLE_PROGRAMME_LEAD | ROLE_BOARD_MEMBER,
			 31);
	for (size_t i = 0; i < ROLE_COUNT; i++)
		assert_int_equal(role_parse(sv_from(role_slug(roles[i]))), roles[i]);
	assert_string_equal(role_slug(ROLE_DECISION_MAKER), "decision_maker");
	assert_string_equal(role_label(ROLE_DECISION_MAKER), "Decision-maker");
	assert_string_equal(role_label(ROLE_PROGRAMME_LEAD), "Programme lead");
	assert_int_equal(role_parse(SV("admin")), ROLE_NONE);
	assert_int_equal(role_parse(SV("Facilitator")), ROLE_NONE);
	assert_string_equal(role_slug((enum role)3), "");
}

static void create_and_get(void **state)
{
	struct fixture *f = *state;
	struct account_new in = {.email = SV("  Sam.Jones@Example.ORG "),
				 .display_name = SV(" Sam Jones "),
				 .password = SV("correct horse battery"),
				 .role = ROLE_DECISION_MAKER,
				 .organisation_id = f->org};
	struct field_errors errs;
	struct account acc;
	int64_t id = 0;

	field_errors_init(&errs);
	assert_int_equal(account_create(f->d, f->a, &system_actor, &in, &errs, &id), DOMAIN_OK);
	assert_int_equal(errs.n, 0);
	assert_int_equal(account_get(f->d, f->a, id, &acc), DOMAIN_OK);
	assert_string_equal(acc.email, "sam.jones@example.org");
	assert_string_equal(acc.display_name, "Sam Jones");
	assert_int_equal(acc.role, ROLE_DECISION_MAKER);
	assert_int_equal(acc.organisation_id, f->org);
	assert_string_equal(acc.organisation_name, "Test Council");
	assert_true(acc.has_password);
	assert_false(acc.assisted);
	assert_false(acc.disabled);
	assert_true(account_check_password(f->d, id, SV("correct horse battery")));
	assert_false(account_check_password(f->d, id, SV("Correct horse battery")));

	/* Case and spaces do not matter when looking someone up. */
	assert_int_equal(account_get_by_email(f->d, f->a, SV("SAM.JONES@example.org  "), &acc),
			 DOMAIN_OK);
	assert_int_equal(acc.id, id);
	assert_int_equal(account_get_by_email(f->d, f->a, SV("nobody@example.org"), &acc),
			 DOMAIN_ENOTFOUND);
	assert_int_equal(account_get(f->d, f->a, 9999, &acc), DOMAIN_ENOTFOUND);
	assert_int_equal(audit_count(f->d, "create", id), 1);
}

static void duplicate_email_is_a_field_error(void **state)
{
	struct fixture *f = *state;
	struct account_new in = {.email = SV("LEAD@example.org"),
				 .display_name = SV("Another Lead"),
				 .role = ROLE_PROGRAMME_LEAD};
	struct field_errors errs;

	field_errors_init(&errs);
	assert_int_equal(account_create(f->d, f->a, &system_actor, &in, &errs, NULL),
			 DOMAIN_EINVALID);
	assert_int_equal(errs.n, 1);
	assert_string_equal(errs.items[0].field, "email");
	assert_string_equal(field_error_get(&errs, "email"),
			    "An account with this email address already exists");
	assert_int_equal(scalar(f->d, "SELECT COUNT(*) FROM accounts", NULL, 0), 2);
}

static void every_error_at_once(void **state)
{
	struct fixture *f = *state;
	struct account_new in = {.email = SV("not an email"),
				 .display_name = SV("   "),
				 .password = SV("short"),
				 .role = ROLE_NONE,
				 .organisation_id = 4242};
	struct field_errors errs;

	field_errors_init(&errs);
	assert_int_equal(account_create(f->d, f->a, &system_actor, &in, &errs, NULL),
			 DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&errs, "email"),
			    "Enter an email address in the correct format, like name@example.org");
	assert_string_equal(field_error_get(&errs, "display_name"), "Enter a name");
	assert_string_equal(field_error_get(&errs, "role"), "Select a role");
	assert_string_equal(field_error_get(&errs, "organisation_id"),
			    "Select an organisation from the list");
	assert_string_equal(field_error_get(&errs, "password"),
			    "Password must be 10 characters or more");
	/* In the order of the form's fields, for the error summary. */
	assert_string_equal(errs.items[0].field, "email");
	assert_string_equal(errs.items[1].field, "display_name");
}

static void email_formats(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = {"", "   ", "name", "@example.org", "name@", "name@org",
					  "name@@example.org", "na me@example.org",
					  "name@example..org", "name@.example.org",
					  "name@example.org.", "<name@example.org>"};
	static const char *const good[] = {"name@example.org", "first.last+tag@sub.example.co.uk",
					   "o'brien@example.ie"};
	const char *msg;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_null(account_email_normalise(f->a, sv_from(bad[i]), &msg));
		assert_non_null(msg);
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		char *e = account_email_normalise(f->a, sv_from(good[i]), &msg);
		assert_non_null(e);
		assert_null(msg);
	}
	assert_null(account_email_normalise(f->a, SV(""), &msg));
	assert_string_equal(msg, "Enter an email address");
}

static void account_without_password(void **state)
{
	struct fixture *f = *state;
	struct account_new in = {.email = SV("invited@example.org"),
				 .display_name = SV("Ivy Invited"),
				 .role = ROLE_BOARD_MEMBER};
	struct account acc;
	int64_t id;

	assert_int_equal(account_create(f->d, f->a, &system_actor, &in, NULL, &id), DOMAIN_OK);
	assert_int_equal(account_get(f->d, f->a, id, &acc), DOMAIN_OK);
	assert_false(acc.has_password);
	assert_false(account_check_password(f->d, id, SV("")));
}

static void assisted_account(void **state)
{
	struct fixture *f = *state;
	struct audit_actor fac = {f->facilitator, 0, "192.0.2.1"};
	struct assisted_new in = {.display_name = SV("Dot"),
				  .contact_note = SV("Comes to the Thursday lunch club"),
				  .consent_wording =
					  SV("I agree the facilitator records my views.")};
	struct field_errors errs;
	struct account acc, *list;
	size_t n;
	int64_t id = 0;

	field_errors_init(&errs);
	assert_int_equal(account_create_assisted(f->d, f->a, &fac, &in, &errs, &id), DOMAIN_OK);
	assert_int_equal(account_get(f->d, f->a, id, &acc), DOMAIN_OK);
	assert_null(acc.email);
	assert_false(acc.has_password);
	assert_true(acc.assisted);
	assert_int_equal(acc.role, ROLE_LOCAL_PERSON);
	assert_string_equal(acc.contact_note, "Comes to the Thursday lunch club");
	assert_string_equal(acc.consent_wording, "I agree the facilitator records my views.");
	assert_int_equal(acc.consent_recorded_by, f->facilitator);
	assert_string_equal(acc.consent_recorded_by_name, "Femi Facilitator");
	assert_non_null(acc.consent_recorded_at);
	assert_int_equal(audit_count(f->d, "create_assisted", id), 1);
	assert_int_equal(scalar(f->d, "SELECT account_id FROM audit_log WHERE action = ?",
				"create_assisted", 0),
			 f->facilitator);

	/* A second person without email is fine: NULL emails do not clash. */
	in.display_name = SV("Dot's neighbour");
	assert_int_equal(account_create_assisted(f->d, f->a, &fac, &in, &errs, NULL), DOMAIN_OK);
	assert_int_equal(account_list_assisted(f->d, f->a, &list, &n), DOMAIN_OK);
	assert_int_equal(n, 2);

	/* Consent and a way to reach them are required. */
	in.contact_note = SV("");
	in.consent_wording = SV(" ");
	field_errors_init(&errs);
	assert_int_equal(account_create_assisted(f->d, f->a, &fac, &in, &errs, NULL),
			 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&errs, "contact_note"));
	assert_non_null(field_error_get(&errs, "consent_wording"));
}

static void assisted_needs_a_facilitator(void **state)
{
	struct fixture *f = *state;
	int64_t dm = make_account(f->d, f->a, "dm@example.org", "Dee Maker", ROLE_DECISION_MAKER);
	struct audit_actor who = {dm, 0, NULL};
	struct assisted_new in = {.display_name = SV("Dot"),
				  .contact_note = SV("Phone"),
				  .consent_wording = SV("Agreed")};

	assert_int_equal(account_create_assisted(f->d, f->a, &who, &in, NULL, NULL),
			 DOMAIN_EFORBIDDEN);
	assert_int_equal(account_create_assisted(f->d, f->a, &system_actor, &in, NULL, NULL),
			 DOMAIN_EFORBIDDEN);
	assert_int_equal(scalar(f->d, "SELECT COUNT(*) FROM accounts WHERE assisted = 1", NULL, 0),
			 0);
}

static void list_with_organisation(void **state)
{
	struct fixture *f = *state;
	struct account_changes c = {SV("Lena Lead"), ROLE_PROGRAMME_LEAD, f->org};
	struct account *list;
	size_t n;

	assert_int_equal(account_update(f->d, f->a, &system_actor, f->lead, &c, NULL), DOMAIN_OK);
	assert_int_equal(account_list(f->d, f->a, 10, 0, &list, &n), DOMAIN_OK);
	assert_int_equal(n, 2);
	/* Ordered by name: Femi before Lena. */
	assert_string_equal(list[0].display_name, "Femi Facilitator");
	assert_null(list[0].organisation_name);
	assert_string_equal(list[1].display_name, "Lena Lead");
	assert_string_equal(list[1].organisation_name, "Test Council");
	assert_int_equal(account_list(f->d, f->a, 10, 1, &list, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(account_list(f->d, f->a, 1, 0, &list, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
}

static void update_is_audited_with_before_and_after(void **state)
{
	struct fixture *f = *state;
	struct audit_actor who = {f->lead, 0, NULL};
	struct account_changes c = {SV("Femi A. Facilitator"), ROLE_DECISION_MAKER, f->org};
	struct field_errors errs;
	struct account acc;
	db_stmt *st;

	assert_int_equal(account_update(f->d, f->a, &who, f->facilitator, &c, NULL), DOMAIN_OK);
	assert_int_equal(account_get(f->d, f->a, f->facilitator, &acc), DOMAIN_OK);
	assert_string_equal(acc.display_name, "Femi A. Facilitator");
	assert_int_equal(acc.role, ROLE_DECISION_MAKER);
	assert_int_equal(acc.organisation_id, f->org);

	st = db_prepare(f->d, "SELECT before_json, after_json, account_id FROM audit_log"
			      " WHERE action = 'update'");
	assert_int_equal(db_step(st), DB_ROW);
	assert_non_null(strstr(db_col_text(st, 0), "\"role\":\"facilitator\""));
	assert_non_null(strstr(db_col_text(st, 1), "\"role\":\"decision_maker\""));
	assert_non_null(strstr(db_col_text(st, 1), "Femi A. Facilitator"));
	assert_int_equal(db_col_int(st, 2), f->lead);
	db_done(st);

	c.role = (enum role)99;
	field_errors_init(&errs);
	assert_int_equal(account_update(f->d, f->a, &who, f->facilitator, &c, &errs),
			 DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&errs, "role"), "Select a role");
	assert_int_equal(account_update(f->d, f->a, &who, 9999, &c, NULL), DOMAIN_ENOTFOUND);
}

static void assisted_stays_a_local_person(void **state)
{
	struct fixture *f = *state;
	struct audit_actor fac = {f->facilitator, 0, NULL};
	struct assisted_new in = {.display_name = SV("Dot"),
				  .contact_note = SV("Phone"),
				  .consent_wording = SV("Agreed")};
	struct account_changes c = {SV("Dot"), ROLE_BOARD_MEMBER, 0};
	struct field_errors errs;
	int64_t id;

	assert_int_equal(account_create_assisted(f->d, f->a, &fac, &in, NULL, &id), DOMAIN_OK);
	field_errors_init(&errs);
	assert_int_equal(account_update(f->d, f->a, &fac, id, &c, &errs), DOMAIN_EINVALID);
	assert_non_null(field_error_get(&errs, "role"));
}

static void disable_and_enable(void **state)
{
	struct fixture *f = *state;
	struct audit_actor who = {f->lead, 0, NULL};
	char token[SESSION_TOKEN_HEX + 1];
	struct session s;
	struct account acc;

	assert_int_equal(session_create(f->d, f->a, f->facilitator, NULL, NOW, token, NULL),
			 DOMAIN_OK);
	assert_int_equal(account_set_disabled(f->d, f->a, &who, f->facilitator, true), DOMAIN_OK);
	assert_int_equal(account_get(f->d, f->a, f->facilitator, &acc), DOMAIN_OK);
	assert_true(acc.disabled);
	assert_non_null(acc.disabled_at);
	/* Disabling signs them out everywhere. */
	assert_int_equal(session_lookup(f->d, f->a, sv_from(token), NOW + 1, &s), DOMAIN_ENOTFOUND);
	/* Twice is not an error and is not recorded twice. */
	assert_int_equal(account_set_disabled(f->d, f->a, &who, f->facilitator, true), DOMAIN_OK);
	assert_int_equal(audit_count(f->d, "disable", f->facilitator), 1);

	assert_int_equal(account_set_disabled(f->d, f->a, &who, f->facilitator, false), DOMAIN_OK);
	assert_int_equal(account_get(f->d, f->a, f->facilitator, &acc), DOMAIN_OK);
	assert_false(acc.disabled);
	assert_int_equal(audit_count(f->d, "enable", f->facilitator), 1);

	/* A programme lead cannot lock themselves out. */
	assert_int_equal(account_set_disabled(f->d, f->a, &who, f->lead, true), DOMAIN_EFORBIDDEN);
	assert_int_equal(account_set_disabled(f->d, f->a, &who, 9999, true), DOMAIN_ENOTFOUND);
}

static void set_password_keeps_only_this_session(void **state)
{
	struct fixture *f = *state;
	struct audit_actor who = {f->lead, 0, NULL};
	char keep[SESSION_TOKEN_HEX + 1], other[SESSION_TOKEN_HEX + 1];
	struct session s, kept;
	struct field_errors errs;
	db_stmt *st;

	assert_int_equal(session_create(f->d, f->a, f->lead, NULL, NOW, keep, &kept), DOMAIN_OK);
	assert_int_equal(session_create(f->d, f->a, f->lead, NULL, NOW, other, NULL), DOMAIN_OK);

	field_errors_init(&errs);
	assert_int_equal(account_set_password(f->d, f->a, &who, f->lead, SV("lead@example.org"),
					      kept.id, &errs),
			 DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&errs, "password"),
			    "Password must not be the same as your email address");

	assert_int_equal(account_set_password(f->d, f->a, &who, f->lead, SV("a brand new password"),
					      kept.id, NULL),
			 DOMAIN_OK);
	assert_true(account_check_password(f->d, f->lead, SV("a brand new password")));
	assert_false(account_check_password(f->d, f->lead, SV("a long enough password")));
	assert_int_equal(session_lookup(f->d, f->a, sv_from(keep), NOW + 1, &s), DOMAIN_OK);
	assert_int_equal(session_lookup(f->d, f->a, sv_from(other), NOW + 1, &s), DOMAIN_ENOTFOUND);
	assert_int_equal(audit_count(f->d, "password_set", f->lead), 1);

	/* Nothing secret reaches the audit log. */
	st = db_prepare(f->d, "SELECT COUNT(*) FROM audit_log WHERE before_json LIKE '%argon2%'"
			      " OR after_json LIKE '%argon2%' OR after_json LIKE '%password%'");
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 0);
	db_done(st);
}

static void organisations(void **state)
{
	struct fixture *f = *state;
	struct organisation o, *list;
	struct field_errors errs;
	size_t n;
	int64_t id;

	assert_int_equal(organisation_create(f->d, f->a, &system_actor, SV(" Age Friends "),
					     ORG_COMMUNITY, NULL, &id),
			 DOMAIN_OK);
	assert_int_equal(organisation_get(f->d, f->a, id, &o), DOMAIN_OK);
	assert_string_equal(o.name, "Age Friends");
	assert_int_equal(o.kind, ORG_COMMUNITY);
	assert_int_equal(scalar(f->d, "SELECT COUNT(*) FROM audit_log WHERE entity = ?"
				      " AND entity_id = ?",
				"organisation", id),
			 1);

	field_errors_init(&errs);
	assert_int_equal(organisation_create(f->d, f->a, &system_actor, SV("Test Council"),
					     ORG_OTHER, &errs, NULL),
			 DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&errs, "name"),
			    "An organisation with this name already exists");
	field_errors_init(&errs);
	assert_int_equal(organisation_create(f->d, f->a, &system_actor, SV(""), ORG_NONE, &errs,
					     NULL),
			 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&errs, "name"));
	assert_non_null(field_error_get(&errs, "kind"));

	assert_int_equal(organisation_list(f->d, f->a, &list, &n), DOMAIN_OK);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].name, "Age Friends");
	assert_string_equal(list[1].name, "Test Council");
	assert_int_equal(organisation_get(f->d, f->a, 9999, &o), DOMAIN_ENOTFOUND);

	assert_int_equal(org_kind_parse(SV("vcse")), ORG_VCSE);
	assert_int_equal(org_kind_parse(SV("charity")), ORG_NONE);
	assert_string_equal(org_kind_slug(ORG_ANCHOR), "anchor");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roles_round_trip),
		cmocka_unit_test_setup_teardown(create_and_get, setup, teardown),
		cmocka_unit_test_setup_teardown(duplicate_email_is_a_field_error, setup, teardown),
		cmocka_unit_test_setup_teardown(every_error_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(email_formats, setup, teardown),
		cmocka_unit_test_setup_teardown(account_without_password, setup, teardown),
		cmocka_unit_test_setup_teardown(assisted_account, setup, teardown),
		cmocka_unit_test_setup_teardown(assisted_needs_a_facilitator, setup, teardown),
		cmocka_unit_test_setup_teardown(list_with_organisation, setup, teardown),
		cmocka_unit_test_setup_teardown(update_is_audited_with_before_and_after, setup,
						teardown),
		cmocka_unit_test_setup_teardown(assisted_stays_a_local_person, setup, teardown),
		cmocka_unit_test_setup_teardown(disable_and_enable, setup, teardown),
		cmocka_unit_test_setup_teardown(set_password_keeps_only_this_session, setup,
						teardown),
		cmocka_unit_test_setup_teardown(organisations, setup, teardown),
	};
	setenv("COPROD_TEST_FAST_HASH", "1", 1);
	log_set_level(LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
