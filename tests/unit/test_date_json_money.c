/* test_date_json_money.c: core/date.c (calendar dates as typed and shown), core/json.c and
 * core/money.c (pence, typed and shown). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/date.h"
#include "core/json.h"
#include "core/money.h"

static void test_parse_and_validate(void **state)
{
	struct date d;
	assert_int_equal(date_parse(SV("2022-06-14"), &d), 0);
	assert_int_equal(d.y, 2022);
	assert_int_equal(d.m, 6);
	assert_int_equal(d.d, 14);
	assert_int_equal(date_parse(SV("2023-02-29"), &d), -1); /* not a leap year */
	assert_int_equal(date_parse(SV("2024-02-29"), &d), 0);
	assert_int_equal(date_parse(SV("2022-13-01"), &d), -1);
	assert_int_equal(date_parse(SV("2022-6-14"), &d), -1);
	assert_int_equal(date_parse(SV("2022-06-1x"), &d), -1);
	assert_int_equal(date_from_fields(SV(" 1 "), SV("12"), SV("2021"), &d), 0);
	assert_int_equal(d.d, 1);
	assert_int_equal(date_from_fields(SV("31"), SV("4"), SV("2021"), &d), -1);
	assert_int_equal(date_from_fields(SV("1"), SV("4"), SV("21"), &d), -1);
	assert_int_equal(date_from_fields(SV(""), SV("4"), SV("2021"), &d), -1);
}

static void test_arithmetic(void **state)
{
	struct date d = {2021, 12, 7}, e;
	assert_int_equal(date_to_days((struct date){1970, 1, 1}), 0);
	e = date_add_days(d, 14);
	assert_int_equal(e.y, 2021);
	assert_int_equal(e.m, 12);
	assert_int_equal(e.d, 21);
	e = date_add_days(d, 28);
	assert_int_equal(e.y, 2022);
	assert_int_equal(e.m, 1);
	assert_int_equal(e.d, 4);
	assert_int_equal(date_weekday(d), 1); /* 7 December 2021 was a Tuesday */
	assert_true(date_cmp(d, e) < 0);
	for (int64_t n = -800000; n < 800000; n += 997)
		assert_int_equal(date_to_days(date_from_days(n)), n);
}

static void test_display(void **state)
{
	arena *a = arena_new(1 << 16);
	sbuf b;
	int m;
	sbuf_init(&b, a, 256);
	date_human_weekday(&b, (struct date){2022, 6, 14});
	assert_string_equal(b.buf, "Tuesday 14 June 2022");
	sbuf_reset(&b);
	assert_int_equal(time_parse(SV("18:30"), &m), 0);
	time_human(&b, m);
	sbuf_addc(&b, ' ');
	time_human(&b, 10 * 60);
	sbuf_addc(&b, ' ');
	time_human(&b, 12 * 60);
	assert_string_equal(b.buf, "6:30pm 10am midday");
	assert_int_equal(time_parse(SV("24:00"), &m), -1);
	assert_int_equal(time_parse(SV("9:5"), &m), -1);
	arena_free(a);
}

/* Salford's clock: British Summer Time from 1am UTC on the last Sunday of March (29 March
 * 2026) to 1am UTC on the last Sunday of October (25 October 2026). */
static void test_uk_clock(void **state)
{
	int64_t spring = date_to_days((struct date){2026, 3, 29}) * 86400;
	int64_t autumn = date_to_days((struct date){2026, 10, 25}) * 86400;
	int64_t winter = date_to_days((struct date){2026, 12, 1}) * 86400 + 18 * 3600;
	(void)state;
	assert_int_equal(date_uk_clock(spring + 3599), spring + 3599);     /* 00:59 UTC: GMT */
	assert_int_equal(date_uk_clock(spring + 3600), spring + 2 * 3600); /* 01:00 UTC: 02:00 */
	assert_int_equal(date_uk_clock(autumn + 3599), autumn + 3599 + 3600); /* 01:59 BST */
	assert_int_equal(date_uk_clock(autumn + 3600), autumn + 3600);     /* back to GMT */
	assert_int_equal(date_uk_clock(winter), winter);
	assert_int_equal(date_uk_clock(winter - 150 * 86400), winter - 150 * 86400 + 3600);
}

static void test_json(void **state)
{
	arena *a = arena_new(1 << 16);
	sbuf b;
	json j;
	sbuf_init(&b, a, 4096);
	json_init(&j, &b);
	json_obj(&j);
	json_key(&j, "id");
	json_int(&j, -4);
	json_key(&j, "name");
	json_str(&j, SV("</script>\"x\""));
	json_key(&j, "tags");
	json_arr(&j);
	json_str(&j, SV("a"));
	json_obj(&j);
	json_key(&j, "ok");
	json_bool(&j, true);
	json_end(&j);
	json_null(&j);
	json_end(&j);
	json_key(&j, "none");
	json_cstr(&j, NULL);
	json_end(&j);
	assert_int_equal(b.err, 0);
	assert_string_equal(b.buf, "{\"id\":-4,\"name\":\"\\u003C/script\\u003E\\u0022x\\u0022\","
				   "\"tags\":[\"a\",{\"ok\":true},null],\"none\":null}");
	arena_free(a);
}

static void test_money(void **state)
{
	arena *a = arena_new(1 << 16);
	int64_t p = -1;
	assert_int_equal(money_parse(SV("1,250.00"), 1000000000, &p), 0);
	assert_int_equal(p, 125000);
	assert_int_equal(money_parse(SV("\xc2\xa3" "18,000"), 1000000000, &p), 0);
	assert_int_equal(p, 1800000);
	assert_int_equal(money_parse(SV(" 7.5 "), 1000000000, &p), 0);
	assert_int_equal(p, 750);
	assert_int_equal(money_parse(SV("1,25.00"), 1000000000, &p), -1);
	assert_int_equal(money_parse(SV("12.345"), 1000000000, &p), -1);
	assert_int_equal(money_parse(SV("-5"), 1000000000, &p), -1);
	assert_int_equal(money_parse(SV("1e5"), 1000000000, &p), -1);
	assert_int_equal(money_parse(SV("100.01"), 10000, &p), -1); /* over the limit */
	assert_int_equal(money_parse(SV("100"), 10000, &p), 0);
	assert_string_equal(money_text(a, 123456), "\xc2\xa3" "1,234.56");
	assert_string_equal(money_text(a, 1800000), "\xc2\xa3" "18,000");
	assert_string_equal(money_text(a, 5), "\xc2\xa3" "0.05");
	assert_string_equal(money_text(a, -500), "-\xc2\xa3" "5");
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_and_validate),
		cmocka_unit_test(test_arithmetic),
		cmocka_unit_test(test_display),
		cmocka_unit_test(test_uk_clock),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_money),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
