/* test_str.c: string views, the bounded builder and name/value lists (str.c, kv.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/kv.h"
#include "core/str.h"

/* ---- sv ---- */

static void test_sv_compare(void **state)
{
	(void)state;
	assert_null(sv_from(NULL).ptr);
	assert_int_equal(sv_from(NULL).len, 0);
	assert_int_equal(sv_from("abc").len, 3);
	assert_true(sv_eq(SV("abc"), SV("abc")));
	assert_false(sv_eq(SV("abc"), SV("abd")));
	assert_false(sv_eq(SV("abc"), SV("ab")));
	assert_true(sv_eq(SV_NULL, SV("")));
	assert_true(sv_eq((sv){"a\0b", 3}, (sv){"a\0b", 3}));
	assert_false(sv_eq((sv){"a\0b", 3}, (sv){"a\0c", 3}));
	assert_true(sv_eq_cstr(SV("abc"), "abc"));
	assert_false(sv_eq_cstr(SV("abc"), "abcd"));
	assert_true(sv_eq_cstr(SV_NULL, NULL));
	assert_true(sv_eq_icase(SV("Content-Type"), SV("content-TYPE")));
	assert_false(sv_eq_icase(SV("Content-Type"), SV("Content-Typo")));
	assert_false(sv_eq_icase(SV("abc"), SV("abcd")));
	/* Views are not C strings: bytes after a NUL still count. */
	assert_false(sv_eq_icase((sv){"a\0x", 3}, (sv){"a\0y", 3}));
	assert_true(sv_eq_icase((sv){"A\0x", 3}, (sv){"a\0X", 3}));
	/* Only ASCII letters fold. */
	assert_false(sv_eq_icase(SV("\xc3\xa9"), SV("\xc3\x89")));
	assert_false(sv_eq_icase(SV("@"), SV("`")));
	assert_true(sv_starts_with(SV("https://x"), SV("https:")));
	assert_false(sv_starts_with(SV("http"), SV("https")));
	assert_true(sv_starts_with(SV("x"), SV_NULL));
}

static void test_sv_trim_and_cut(void **state)
{
	sv rest, head;
	(void)state;
	assert_true(sv_eq(sv_trim(SV(" \t a b \t ")), SV("a b")));
	assert_true(sv_eq(sv_trim(SV("\n a \n")), SV("\n a \n")));
	assert_int_equal(sv_trim(SV("   ")).len, 0);
	assert_int_equal(sv_trim(SV_NULL).len, 0);

	head = sv_cut(SV("name=value=more"), '=', &rest);
	assert_true(sv_eq(head, SV("name")));
	assert_true(sv_eq(rest, SV("value=more")));
	head = sv_cut(SV("name="), '=', &rest);
	assert_true(sv_eq(head, SV("name")));
	assert_non_null(rest.ptr);
	assert_int_equal(rest.len, 0);
	head = sv_cut(SV("novalue"), '=', &rest);
	assert_true(sv_eq(head, SV("novalue")));
	assert_null(rest.ptr);
	head = sv_cut(SV_NULL, '=', &rest);
	assert_int_equal(head.len, 0);
	assert_null(rest.ptr);
	head = sv_cut(SV("a;b"), ';', NULL);
	assert_true(sv_eq(head, SV("a")));
}

static void test_sv_to_i64(void **state)
{
	int64_t v = 99;
	(void)state;
	assert_int_equal(sv_to_i64(SV("0"), &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(sv_to_i64(SV("-17"), &v), 0);
	assert_int_equal(v, -17);
	assert_int_equal(sv_to_i64(SV("9223372036854775807"), &v), 0);
	assert_true(v == INT64_MAX);
	/* The most negative value is in range, and is what its text says. */
	assert_int_equal(sv_to_i64(SV("-9223372036854775808"), &v), 0);
	assert_true(v == INT64_MIN);
	v = 5;
	assert_int_equal(sv_to_i64(SV("9223372036854775808"), &v), -1);
	assert_int_equal(sv_to_i64(SV("-9223372036854775809"), &v), -1);
	assert_int_equal(sv_to_i64(SV("99999999999999999999"), &v), -1);
	assert_int_equal(sv_to_i64(SV(""), &v), -1);
	assert_int_equal(sv_to_i64(SV("-"), &v), -1);
	assert_int_equal(sv_to_i64(SV("+1"), &v), -1);
	assert_int_equal(sv_to_i64(SV(" 1"), &v), -1);
	assert_int_equal(sv_to_i64(SV("1 "), &v), -1);
	assert_int_equal(sv_to_i64(SV("12a"), &v), -1);
	assert_int_equal(sv_to_i64(SV("0x10"), &v), -1);
	assert_int_equal(sv_to_i64((sv){"1\0", 2}, &v), -1);
	/* Failures leave the output alone. */
	assert_int_equal(v, 5);
}

static void test_sv_dup(void **state)
{
	arena *a = arena_new(1024);
	char *s;
	(void)state;
	s = sv_dup(a, (sv){"abcdef", 3});
	assert_string_equal(s, "abc");
	assert_string_equal(sv_dup(a, SV_NULL), "");
	arena_free(a);
}

/* ---- sbuf ---- */

static void test_sbuf_basics(void **state)
{
	arena *a = arena_new(1 << 20);
	sbuf b;
	(void)state;
	sbuf_init(&b, a, 1000);
	/* Never NULL, always terminated, even before the first append. */
	assert_non_null(b.buf);
	assert_string_equal(b.buf, "");
	sbuf_adds(&b, "a");
	sbuf_addc(&b, 'b');
	sbuf_addsv(&b, SV("cd"));
	sbuf_add(&b, "efg", 2);
	sbuf_add(&b, NULL, 0);
	sbuf_addf(&b, "[%d|%s]", 7, "x");
	sbuf_add_i64(&b, 0);
	sbuf_addc(&b, ' ');
	sbuf_add_i64(&b, INT64_MIN);
	sbuf_addc(&b, ' ');
	sbuf_add_i64(&b, INT64_MAX);
	assert_string_equal(b.buf, "abcdef[7|x]0 -9223372036854775808 9223372036854775807");
	assert_int_equal(b.len, strlen(b.buf));
	assert_int_equal(b.err, 0);
	assert_true(sv_eq(sbuf_sv(&b), sv_from(b.buf)));
	sbuf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.buf, "");
	sbuf_adds(&b, "again");
	assert_string_equal(b.buf, "again");
	arena_free(a);
}

static void test_sbuf_grows(void **state)
{
	arena *a = arena_new(1 << 22);
	sbuf b;
	(void)state;
	sbuf_init(&b, a, 1 << 20);
	for (int i = 0; i < 100000; i++)
		sbuf_addc(&b, (char)('a' + i % 26));
	assert_int_equal(b.err, 0);
	assert_int_equal(b.len, 100000);
	assert_int_equal(b.buf[100000], '\0');
	for (int i = 0; i < 100000; i++)
		assert_int_equal(b.buf[i], 'a' + i % 26);
	arena_free(a);
}

static void test_sbuf_limit_is_sticky(void **state)
{
	arena *a = arena_new(1 << 20);
	sbuf b;
	char *p;
	(void)state;
	sbuf_init(&b, a, 10);
	sbuf_adds(&b, "0123456789");
	assert_int_equal(b.err, 0);
	assert_string_equal(b.buf, "0123456789");
	/* One byte past the maximum fails and leaves the contents as they were. */
	sbuf_addc(&b, 'x');
	assert_int_equal(b.err, SBUF_ERR_TOOBIG);
	assert_string_equal(b.buf, "0123456789");
	sbuf_reset(&b);
	sbuf_adds(&b, "012345");
	sbuf_adds(&b, "6789x");
	assert_int_equal(b.err, SBUF_ERR_TOOBIG);
	assert_string_equal(b.buf, "012345");
	/* Sticky: a later append that would fit is still refused. */
	sbuf_addc(&b, 'y');
	assert_string_equal(b.buf, "012345");

	/* printf may fill the builder to exactly its maximum, as sbuf_add may. */
	sbuf_init(&b, a, 5);
	sbuf_addf(&b, "%s", "abcde");
	assert_int_equal(b.err, 0);
	assert_string_equal(b.buf, "abcde");
	sbuf_addf(&b, "%d", 1);
	assert_int_equal(b.err, SBUF_ERR_TOOBIG);
	assert_string_equal(b.buf, "abcde");

	sbuf_init(&b, a, 8);
	sbuf_addf(&b, "%d-%d", 12, 34);
	sbuf_addf(&b, "%s", "xyz");
	assert_int_equal(b.err, 0);
	assert_string_equal(b.buf, "12-34xyz");

	/* reserve/commit write in place. */
	sbuf_init(&b, a, 16);
	p = sbuf_reserve(&b, 3);
	assert_non_null(p);
	memcpy(p, "abc", 3);
	sbuf_commit(&b, 3);
	assert_string_equal(b.buf, "abc");
	assert_null(sbuf_reserve(&b, 14));
	assert_int_equal(b.err, SBUF_ERR_TOOBIG);
	arena_free(a);
}

static void test_sbuf_out_of_memory(void **state)
{
	arena *a = arena_new(512);
	sbuf b;
	(void)state;
	/* The builder may be larger than its arena: running out of arena is NOMEM. */
	sbuf_init(&b, a, 1 << 20);
	for (int i = 0; i < 1000 && !b.err; i++)
		sbuf_adds(&b, "0123456789");
	assert_int_equal(b.err, SBUF_ERR_NOMEM);
	assert_true(b.len <= 512);
	assert_int_equal(b.buf[b.len], '\0');
	arena_free(a);
}

/* ---- kv ---- */

static void test_kv(void **state)
{
	arena *a = arena_new(1 << 20);
	kvlist l = {0};
	(void)state;
	assert_null(kv_get(&l, "a").ptr);
	assert_int_equal(kv_count(&l, "a"), 0);
	assert_int_equal(kv_add(a, &l, SV("topic"), SV("health")), 0);
	assert_int_equal(kv_add(a, &l, SV("Accept"), SV("text/html")), 0);
	assert_int_equal(kv_add(a, &l, SV("topic"), SV("housing")), 0);
	assert_int_equal(kv_add(a, &l, SV("empty"), SV("")), 0);
	for (int i = 0; i < 100; i++)
		assert_int_equal(kv_add(a, &l, SV("n"), SV("v")), 0);
	assert_int_equal(l.n, 104);
	/* First value wins; repeats are counted (checkboxes). */
	assert_true(sv_eq(kv_get(&l, "topic"), SV("health")));
	assert_int_equal(kv_count(&l, "topic"), 2);
	assert_int_equal(kv_count(&l, "n"), 100);
	assert_true(sv_eq(l.items[2].val, SV("housing")));
	/* Present but empty is not absent. */
	assert_non_null(kv_get(&l, "empty").ptr);
	assert_int_equal(kv_get(&l, "empty").len, 0);
	assert_null(kv_get(&l, "missing").ptr);
	/* Names are compared exactly, except by kv_get_icase. */
	assert_null(kv_get(&l, "accept").ptr);
	assert_true(sv_eq(kv_get_icase(&l, "accept"), SV("text/html")));
	assert_null(kv_get(&l, "topi").ptr);
	arena_free(a);
}

static void test_kv_out_of_memory(void **state)
{
	arena *a = arena_new(256);
	kvlist l = {0};
	int rc = 0;
	(void)state;
	for (int i = 0; i < 100 && rc == 0; i++)
		rc = kv_add(a, &l, SV("k"), SV("v"));
	assert_int_equal(rc, -1);
	/* What was added before stays readable. */
	assert_true(l.n >= 1);
	assert_true(sv_eq(kv_get(&l, "k"), SV("v")));
	assert_int_equal(kv_count(&l, "k"), l.n);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sv_compare),
		cmocka_unit_test(test_sv_trim_and_cut),
		cmocka_unit_test(test_sv_to_i64),
		cmocka_unit_test(test_sv_dup),
		cmocka_unit_test(test_sbuf_basics),
		cmocka_unit_test(test_sbuf_grows),
		cmocka_unit_test(test_sbuf_limit_is_sticky),
		cmocka_unit_test(test_sbuf_out_of_memory),
		cmocka_unit_test(test_kv),
		cmocka_unit_test(test_kv_out_of_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
