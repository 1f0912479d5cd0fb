/* test_volunteers.c: two people who share contact details (a parent and an adult child
 * sharing a phone) marked as different people, so that only that pair stops being flagged
 * as possible duplicates, with the mark audited and taken back; and the limit on how
 * many public forms one address may send in an hour. */
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
#include "domain/audit.h"
#include "domain/signin.h"
#include "domain/volunteers.h"

struct fixture {
	char dir[64];
	db *d;
	arena *a;
	struct audit_actor fac, visitor;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[128];
	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/coprod-test-volunteers-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/coprod.db", f->dir);
	if (db_open(path, &f->d) != DB_OK || db_migrate(f->d, NULL, NULL) != DB_OK)
		return -1;
	f->a = arena_new(16 << 20);
	if (!f->a)
		return -1;
	if (db_exec(f->d,
	            "INSERT INTO accounts (id, display_name, role, created_at, updated_at) VALUES "
	            "(1, 'Pat Lead', 'programme_lead', 'x', 'x'), "
	            "(2, 'Fay Facilitator', 'facilitator', 'x', 'x'); "
	            "INSERT INTO programmes (id, slug, name, summary, published, created_at, "
	            "updated_at) VALUES (1, 'young-adults', 'Young adults', 's', 1, 'x', 'x'), "
	            "(2, 'older', 'Older people', 's', 1, 'x', 'x')") != DB_OK)
		return -1;
	f->fac = (struct audit_actor){2, 0, NULL};
	f->visitor = (struct audit_actor){0, 0, NULL};
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

/* Someone volunteering online for PROGRAMME with an email and a phone (either "" for
 * none); returns their id. */
static int64_t volunteer(struct fixture *f, int64_t programme, const char *name,
                         const char *email, const char *phone)
{
	struct volunteer_input in = {.name = sv_from(name), .email = sv_from(email),
	                             .phone = sv_from(phone), .consent = true};
	int64_t id = 0;
	assert_int_equal(volunteer_create(f->d, f->a, &f->visitor, programme, 0, &in, NULL, &id,
	                                  NULL),
	                 DOMAIN_OK);
	return id;
}

static int64_t duplicate_of(struct fixture *f, int64_t id)
{
	struct volunteer v;
	assert_int_equal(volunteer_get(f->d, f->a, id, &v), DOMAIN_OK);
	return v.duplicate_of;
}

static int64_t duplicates(struct fixture *f)
{
	int64_t n = -1;
	assert_int_equal(volunteer_duplicate_count(f->d, 1, &n), DOMAIN_OK);
	return n;
}

/* --- Different people ------------------------------------------------------------------- */

static void different_people_unflagged_for_that_pair_only(void **state)
{
	struct fixture *f = *state;
	struct volunteer_not_duplicate *marks;
	size_t n;
	int64_t mum = volunteer(f, 1, "Mo Parent", "", "07700 900111");
	int64_t son = volunteer(f, 1, "Sam Parent", "sam@example.org", "+44 7700 900111");

	assert_int_equal(duplicate_of(f, mum), son);
	assert_int_equal(duplicate_of(f, son), mum);
	assert_int_equal(duplicates(f), 2);

	/* The facilitator rang them: a mother and her son who share her phone. */
	assert_int_equal(volunteer_mark_different(f->d, f->a, &f->fac, son, mum,
	                                          SV("  Mother and son, one phone  "), NULL),
	                 DOMAIN_OK);
	assert_int_equal(duplicate_of(f, mum), 0);
	assert_int_equal(duplicate_of(f, son), 0);
	assert_int_equal(duplicates(f), 0);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM volunteer_not_duplicates"), 1);

	/* Both records show the mark, naming the other, who made it and the note. */
	assert_int_equal(volunteer_not_duplicates(f->d, f->a, mum, &marks, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(marks[0].other_id, son);
	assert_string_equal(marks[0].other_name, "Sam Parent");
	assert_string_equal(marks[0].note, "Mother and son, one phone");
	assert_string_equal(marks[0].marked_by_name, "Fay Facilitator");
	assert_false(marks[0].other_merged);
	assert_int_equal(volunteer_not_duplicates(f->d, f->a, son, &marks, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(marks[0].other_id, mum);

	/* Audited on both records, each naming the other, without the note. */
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE entity = 'volunteer' "
	                             "AND action = 'not_duplicate' AND account_id = 2"),
	                 2);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE action = "
	                             "'not_duplicate' AND after_json LIKE '%Mother%'"),
	                 0);

	/* Marking the same pair twice is refused, in either order. */
	assert_int_equal(volunteer_mark_different(f->d, f->a, &f->fac, mum, son, SV(""), NULL),
	                 DOMAIN_ECONFLICT);

	/* A third record with the same phone is flagged with each of them. */
	int64_t third = volunteer(f, 1, "Someone Else", "", "07700900111");
	assert_int_equal(duplicate_of(f, mum), third);
	assert_int_equal(duplicate_of(f, son), third);
	assert_int_equal(duplicate_of(f, third), mum);
	assert_int_equal(duplicates(f), 3);

	/* Taking the mark back flags the pair again. */
	assert_int_equal(volunteer_unmark_different(f->d, f->a, &f->fac, son, mum), DOMAIN_OK);
	assert_int_equal(duplicate_of(f, mum), son);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM volunteer_not_duplicates"), 0);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE action = "
	                             "'duplicate_again' AND before_json IS NOT NULL"),
	                 2);
	assert_int_equal(volunteer_unmark_different(f->d, f->a, &f->fac, son, mum),
	                 DOMAIN_ENOTFOUND);
	assert_int_equal(volunteer_not_duplicates(f->d, f->a, mum, &marks, &n), DOMAIN_OK);
	assert_int_equal(n, 0);
}

static void marking_different_refused_when_it_makes_no_sense(void **state)
{
	struct fixture *f = *state;
	struct field_errors fe;
	char long_note[VOLUNTEER_SHORT_MAX + 2];
	int64_t a = volunteer(f, 1, "Ann Shared", "family@example.org", "");
	int64_t b = volunteer(f, 1, "Bob Shared", "FAMILY@example.org", "");
	int64_t stranger = volunteer(f, 1, "Cat Stranger", "cat@example.org", "");
	int64_t elsewhere = volunteer(f, 2, "Ann Elsewhere", "family@example.org", "");

	assert_int_equal(volunteer_mark_different(f->d, f->a, &f->fac, a, a, SV(""), NULL),
	                 DOMAIN_EINVALID);
	assert_int_equal(volunteer_mark_different(f->d, f->a, &f->fac, a, 9999, SV(""), NULL),
	                 DOMAIN_ENOTFOUND);
	/* Nothing to mark: they share no contact details. */
	assert_int_equal(volunteer_mark_different(f->d, f->a, &f->fac, a, stranger, SV(""), NULL),
	                 DOMAIN_ECONFLICT);
	/* Records of two programmes are never duplicates of each other. */
	assert_int_equal(volunteer_mark_different(f->d, f->a, &f->fac, a, elsewhere, SV(""), NULL),
	                 DOMAIN_EINVALID);

	memset(long_note, 'x', sizeof(long_note) - 1);
	long_note[sizeof(long_note) - 1] = '\0';
	field_errors_init(&fe);
	assert_int_equal(volunteer_mark_different(f->d, f->a, &f->fac, a, b, sv_from(long_note),
	                                          &fe),
	                 DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "note"), "The note must be 200 characters or fewer");

	/* Once merged, there is no pair left to mark. */
	assert_int_equal(volunteer_merge(f->d, f->a, &f->fac, a, b), DOMAIN_OK);
	assert_int_equal(volunteer_mark_different(f->d, f->a, &f->fac, a, b, SV(""), NULL),
	                 DOMAIN_ECONFLICT);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM volunteer_not_duplicates"), 0);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE action = "
	                             "'not_duplicate'"),
	                 0);
}

static void removing_details_clears_the_note(void **state)
{
	struct fixture *f = *state;
	int64_t a = volunteer(f, 1, "Dee Phone", "", "0161 496 0001");
	int64_t b = volunteer(f, 1, "Dan Phone", "", "0161 496 0001");
	assert_int_equal(volunteer_mark_different(f->d, f->a, &f->fac, a, b,
	                                          SV("Dee is Dan's grandmother"), NULL),
	                 DOMAIN_OK);
	assert_int_equal(volunteer_erase(f->d, f->a, &f->fac, b), DOMAIN_OK);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM volunteer_not_duplicates WHERE "
	                             "note = ''"),
	                 1);
}

/* What two records really share, for the comparison page. */
static void shared_contact_says_what_is_shared(void **state)
{
	struct fixture *f = *state;
	struct volunteer a, b, c, d;
	assert_int_equal(volunteer_get(f->d, f->a, volunteer(f, 1, "Ann", "Ann@Example.org", "07700 900222"), &a), DOMAIN_OK);
	assert_int_equal(volunteer_get(f->d, f->a, volunteer(f, 1, "Bob", "", "+44 7700 900222"), &b), DOMAIN_OK);
	assert_int_equal(volunteer_get(f->d, f->a, volunteer(f, 1, "Cat", "ann@example.org", "07700 900333"), &c), DOMAIN_OK);
	assert_int_equal(volunteer_get(f->d, f->a, volunteer(f, 1, "Dan", "dan@example.org", ""), &d), DOMAIN_OK);
	assert_int_equal(volunteer_shared_contact(f->a, &a, &b), VOLUNTEER_SHARE_PHONE);
	assert_int_equal(volunteer_shared_contact(f->a, &a, &c), VOLUNTEER_SHARE_EMAIL);
	assert_int_equal(volunteer_shared_contact(f->a, &b, &d), 0);
	assert_int_equal(volunteer_shared_contact(f->a, &c, &d), 0);
	c.phone = a.phone;
	assert_int_equal(volunteer_shared_contact(f->a, &a, &c),
	                 VOLUNTEER_SHARE_EMAIL | VOLUNTEER_SHARE_PHONE);
}

/* Only published panels (lottery public, not drawn) holding both are named. */
static void published_panels_holding_both(void **state)
{
	struct fixture *f = *state;
	char **names;
	size_t n = 9;
	int64_t mum = volunteer(f, 1, "Mo Pool", "", "07700 900444");
	int64_t son = volunteer(f, 1, "Sam Pool", "", "07700 900444");
	int64_t other = volunteer(f, 1, "Other Pool", "", "07700 900555");
	char sql[1024];
	snprintf(sql, sizeof(sql),
	         "INSERT INTO panels (id, programme_id, name, places, status, created_at, "
	         "updated_at) VALUES (1, 1, 'Spring panel', 2, 'published', 'x', 'x'), "
	         "(2, 1, 'Draft panel', 2, 'draft', 'x', 'x'), "
	         "(3, 1, 'Drawn panel', 2, 'drawn', 'x', 'x'), "
	         "(4, 1, 'Half panel', 2, 'published', 'x', 'x'); "
	         "INSERT INTO panel_pool (panel_id, volunteer_id) VALUES (1, %lld), (1, %lld), "
	         "(2, %lld), (2, %lld), (3, %lld), (3, %lld), (4, %lld), (4, %lld)",
	         (long long)mum, (long long)son, (long long)mum, (long long)son, (long long)mum,
	         (long long)son, (long long)mum, (long long)other);
	assert_int_equal(db_exec(f->d, sql), DB_OK);
	assert_int_equal(volunteer_published_panels_with(f->d, f->a, son, mum, &names, &n), DB_OK);
	assert_int_equal(n, 1);
	assert_string_equal(names[0], "Spring panel");
	assert_int_equal(volunteer_published_panels_with(f->d, f->a, son, other, &names, &n), DB_OK);
	assert_int_equal(n, 0);
}

/* --- The limit on the public form ------------------------------------------------------- */

static void public_form_limited_per_address(void **state)
{
	struct fixture *f = *state;
	const int64_t now = 1800000000;
	int64_t limited = 1;

	for (int i = 0; i < VOLUNTEER_INTEREST_LIMIT; i++) {
		assert_int_equal(volunteer_interest_limited(f->d, "192.0.2.1", now + i, &limited),
		                 DOMAIN_OK);
		assert_int_equal(limited, 0);
		assert_int_equal(volunteer_interest_count(f->d, "192.0.2.1", now + i), DOMAIN_OK);
	}
	assert_int_equal(volunteer_interest_limited(f->d, "192.0.2.1", now + 60, &limited),
	                 DOMAIN_OK);
	/* They are told when they may send it: an hour after the first of the ten. */
	assert_int_equal(limited, now + VOLUNTEER_INTEREST_WINDOW_SECONDS);
	/* Another connection is not held back, nor is one with no address. */
	assert_int_equal(volunteer_interest_limited(f->d, "192.0.2.2", now + 60, &limited),
	                 DOMAIN_OK);
	assert_int_equal(limited, 0);
	assert_int_equal(volunteer_interest_limited(f->d, NULL, now + 60, &limited), DOMAIN_OK);
	assert_int_equal(limited, 0);
	/* An hour after the first form, one more may be sent. */
	assert_int_equal(volunteer_interest_limited(f->d, "192.0.2.1",
	                                            now + VOLUNTEER_INTEREST_WINDOW_SECONDS + 1,
	                                            &limited),
	                 DOMAIN_OK);
	assert_int_equal(limited, 0);

	/* Forms never count towards the sign-in limit of the same address. */
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM sign_in_failures WHERE "
	                             "key = '192.0.2.1'"),
	                 0);
	int64_t until = 1;
	assert_int_equal(address_limit_until(f->d, "interest", "192.0.2.1", 1, 60, now + 600,
	                                     &until),
	                 DOMAIN_OK);
	assert_int_equal(until, 0);
}

/* A household on IPv6 has a whole /64: its devices' many addresses are one connection,
 * and an IPv4 address written the IPv6 way is that IPv4 address. */
static void public_form_counts_ipv6_by_64(void **state)
{
	struct fixture *f = *state;
	const int64_t now = 1800000000;
	int64_t until = 0;
	char addr[64], bucket[ADDRESS_BUCKET_MAX];

	for (int i = 0; i < VOLUNTEER_INTEREST_LIMIT; i++) {
		snprintf(addr, sizeof(addr), "2001:db8:1:2:%x::%x", i + 1, i + 7);
		assert_int_equal(volunteer_interest_count(f->d, addr, now + i), DOMAIN_OK);
	}
	assert_int_equal(volunteer_interest_limited(f->d, "2001:db8:1:2:ffff::1", now + 60, &until),
	                 DOMAIN_OK);
	assert_int_equal(until, now + VOLUNTEER_INTEREST_WINDOW_SECONDS);
	/* The next /64 along is someone else. */
	assert_int_equal(volunteer_interest_limited(f->d, "2001:db8:1:3::1", now + 60, &until),
	                 DOMAIN_OK);
	assert_int_equal(until, 0);

	for (int i = 0; i < VOLUNTEER_INTEREST_LIMIT; i++)
		assert_int_equal(volunteer_interest_count(f->d, "::ffff:192.0.2.9", now + i), DOMAIN_OK);
	assert_int_equal(volunteer_interest_limited(f->d, "192.0.2.9", now + 60, &until), DOMAIN_OK);
	assert_int_not_equal(until, 0);

	assert_string_equal(address_limit_bucket("2001:DB8:1:2:3:4:5:6", bucket), "2001:db8:1:2::/64");
	assert_string_equal(address_limit_bucket("::ffff:198.51.100.4", bucket), "198.51.100.4");
	assert_string_equal(address_limit_bucket("198.51.100.4", bucket), "198.51.100.4");
	assert_string_equal(address_limit_bucket("unknown", bucket), "unknown");
	assert_null(address_limit_bucket(NULL, bucket));
}

/* Forms set aside because the hidden field was filled in are counted for the programme,
 * for thirty days, with nothing about who sent them. */
static void set_aside_forms_counted(void **state)
{
	struct fixture *f = *state;
	int64_t n = -1;
	assert_int_equal(volunteer_interest_set_aside_count(f->d, 1, &n), DOMAIN_OK);
	assert_int_equal(n, 0);
	assert_int_equal(volunteer_interest_set_aside(f->d, 1), DOMAIN_OK);
	assert_int_equal(volunteer_interest_set_aside(f->d, 1), DOMAIN_OK);
	assert_int_equal(volunteer_interest_set_aside(f->d, 2), DOMAIN_OK);
	assert_int_equal(volunteer_interest_set_aside_count(f->d, 1, &n), DOMAIN_OK);
	assert_int_equal(n, 2);
	assert_int_equal(count(f->d, "SELECT COUNT(*) FROM audit_log WHERE action = "
	                             "'interest_set_aside' AND account_id IS NULL AND address IS "
	                             "NULL AND before_json IS NULL AND after_json IS NULL"),
	                 3);
	/* One older than thirty days no longer counts. */
	assert_int_equal(db_exec(f->d, "UPDATE audit_log SET at = '2020-01-01T00:00:00Z' WHERE "
	                               "id = (SELECT MIN(id) FROM audit_log)"),
	                 DB_OK);
	assert_int_equal(volunteer_interest_set_aside_count(f->d, 1, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(different_people_unflagged_for_that_pair_only, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(marking_different_refused_when_it_makes_no_sense, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(removing_details_clears_the_note, setup, teardown),
	    cmocka_unit_test_setup_teardown(public_form_limited_per_address, setup, teardown),
	    cmocka_unit_test_setup_teardown(public_form_counts_ipv6_by_64, setup, teardown),
	    cmocka_unit_test_setup_teardown(shared_contact_says_what_is_shared, setup, teardown),
	    cmocka_unit_test_setup_teardown(published_panels_holding_both, setup, teardown),
	    cmocka_unit_test_setup_teardown(set_aside_forms_counted, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
