/* test_csv_disclosure.c: the CSV reader and writer (csv.c) and disclosure control
 * (disclosure.c): what an import reports and what a published figure shows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/csv.h"
#include "core/disclosure.h"
#include "core/str.h"

static void assert_field(const struct csv_record *rec, size_t i, const char *want)
{
	assert_true(i < rec->n);
	if (!sv_eq_cstr(rec->field[i], want))
		fail_msg("field %zu is '%.*s', expected '%s'", i, (int)rec->field[i].len,
			 rec->field[i].ptr, want);
}

static void test_csv_reads_quotes_and_line_numbers(void **state)
{
	(void)state;
	arena *a = arena_new(1 << 20);
	struct csv_reader r;
	static struct csv_record rec;
	const char *err = NULL;
	csv_reader_init(&r, a,
			SV("\xEF\xBB\xBF"
			   "category,value,count\r\n"
			   "ethnicity,\"White, British\",120\r\n"
			   "\r\n"
			   "note,\"said \"\"hello\"\"\nover two lines\",7\n"
			   "last,,"));
	assert_int_equal(csv_read(&r, &rec, &err), 1);
	assert_int_equal(rec.line, 1);
	assert_field(&rec, 0, "category");
	assert_int_equal(csv_column(&rec, "COUNT"), 2);
	assert_int_equal(csv_column(&rec, "share"), -1);
	assert_int_equal(csv_read(&r, &rec, &err), 1);
	assert_int_equal(rec.line, 2);
	assert_field(&rec, 1, "White, British");
	assert_int_equal(csv_read(&r, &rec, &err), 1);
	assert_int_equal(rec.line, 4); /* the empty line 3 is skipped */
	assert_field(&rec, 1, "said \"hello\"\nover two lines");
	assert_int_equal(csv_read(&r, &rec, &err), 1);
	assert_int_equal(rec.line, 6); /* the quoted line break counted */
	assert_int_equal(rec.n, 3);
	assert_field(&rec, 2, "");
	assert_int_equal(csv_read(&r, &rec, &err), 0);
	arena_free(a);
}

static void test_csv_reports_malformed_lines(void **state)
{
	(void)state;
	arena *a = arena_new(1 << 20);
	struct csv_reader r;
	static struct csv_record rec;
	const char *err = NULL;
	csv_reader_init(&r, a, SV("a,b\n1,\"open\n2,3\n"));
	assert_int_equal(csv_read(&r, &rec, &err), 1);
	assert_int_equal(csv_read(&r, &rec, &err), -1);
	assert_int_equal(rec.line, 2);
	assert_string_equal(err, "a quoted field is not closed");
	csv_reader_init(&r, a, SV("\"x\"y,1\n"));
	assert_int_equal(csv_read(&r, &rec, &err), -1);
	assert_string_equal(err, "there is text after a closing quote");
	arena_free(a);
}

static void test_csv_writes_safe_fields(void **state)
{
	(void)state;
	arena *a = arena_new(1 << 16);
	sbuf b;
	sbuf_init(&b, a, 4096);
	csv_field_cstr(&b, "plain");
	csv_sep(&b);
	csv_field_cstr(&b, "a, \"b\"");
	csv_sep(&b);
	csv_field_cstr(&b, "=HYPERLINK(\"x\")");
	csv_sep(&b);
	csv_money(&b, -505);
	csv_sep(&b);
	csv_money(&b, 125050);
	csv_sep(&b);
	csv_number(&b, 42);
	csv_end_record(&b);
	assert_string_equal(b.buf, "plain,\"a, \"\"b\"\"\",\"'=HYPERLINK(\"\"x\"\")\",-5.05,1250.50,42\r\n");
	arena_free(a);
}

static void test_disclosure_rounds_and_suppresses(void **state)
{
	(void)state;
	arena *a = arena_new(1 << 16);
	disclosure_set_threshold(10);
	assert_true(disclosure_count(0).suppressed);
	assert_true(disclosure_count(9).suppressed);
	assert_false(disclosure_count(10).suppressed);
	assert_int_equal(disclosure_count(10).value, 10);
	assert_int_equal(disclosure_count(12).value, 10);
	assert_int_equal(disclosure_count(13).value, 15);
	assert_int_equal(disclosure_count(17).value, 15);
	assert_int_equal(disclosure_count(18).value, 20);
	assert_string_equal(disclosure_text(a, disclosure_count(3)), "fewer than 10");
	assert_string_equal(disclosure_text(a, disclosure_count(123)), "125");

	/* The total is the rounded true total, not the sum of what is shown. */
	int64_t cells[] = {3, 12, 13};
	struct disclosed t = disclosure_total(cells, 3);
	assert_int_equal(t.value, 30); /* 28 -> 30, while the shown cells add to 25 */

	int64_t ppm;
	assert_true(disclosure_share_ppm(disclosure_count(13), t, &ppm));
	assert_int_equal(ppm, 500000); /* 15 of 30, from the rounded figures */
	assert_false(disclosure_share_ppm(disclosure_count(3), t, &ppm));
	sbuf b;
	sbuf_init(&b, a, 64);
	disclosure_format_ppm(&b, 123456);
	assert_string_equal(b.buf, "12.3%");

	disclosure_set_threshold(1); /* raised to 2: a count of one is never shown */
	assert_true(disclosure_count(1).suppressed);
	assert_false(disclosure_count(2).suppressed);
	disclosure_set_threshold(10);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_reads_quotes_and_line_numbers),
		cmocka_unit_test(test_csv_reports_malformed_lines),
		cmocka_unit_test(test_csv_writes_safe_fields),
		cmocka_unit_test(test_disclosure_rounds_and_suppresses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
