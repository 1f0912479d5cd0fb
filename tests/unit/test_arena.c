/* test_arena.c: the request arena: alignment, the hard maximum, large allocations,
 * zeroing, copies, printf and the cleanup list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"

static void test_alignment_and_accounting(void **state)
{
	arena *a = arena_new(1 << 20);
	size_t want = 0;
	(void)state;
	assert_non_null(a);
	assert_int_equal(arena_used(a), 0);
	for (size_t n = 0; n < 100; n++) {
		unsigned char *p = arena_alloc(a, n);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		memset(p, 0xAB, n); /* ASan would catch an allocation shorter than asked */
		want += n ? (n + 15) / 16 * 16 : 16;
	}
	assert_int_equal(arena_used(a), want);
	assert_int_equal(want, 5728);
	arena_free(a);
}

static void test_used_counts_rounded_sizes(void **state)
{
	arena *a = arena_new(1 << 20);
	(void)state;
	assert_non_null(arena_alloc(a, 1));
	assert_int_equal(arena_used(a), 16);
	assert_non_null(arena_alloc(a, 16));
	assert_int_equal(arena_used(a), 32);
	assert_non_null(arena_alloc(a, 17));
	assert_int_equal(arena_used(a), 64);
	assert_non_null(arena_alloc(a, 0));
	assert_int_equal(arena_used(a), 80);
	arena_free(a);
}

static void test_maximum_is_hard(void **state)
{
	arena *a = arena_new(1000);
	size_t got = 0;
	(void)state;
	while (arena_alloc(a, 100))
		got += 112;
	/* 8 allocations of 112 bytes fit in 1000, the ninth does not. */
	assert_int_equal(got, 8 * 112);
	assert_true(arena_used(a) <= 1000);
	/* Smaller requests that still fit are served. */
	assert_non_null(arena_alloc(a, 100 - 96));
	assert_null(arena_alloc(a, 1000));
	assert_null(arena_alloc(a, SIZE_MAX));
	assert_null(arena_alloc(a, SIZE_MAX - 8));
	arena_free(a);
}

static void test_large_allocations_keep_block_space(void **state)
{
	arena *a = arena_new(1 << 24);
	char *small1, *big, *small2;
	(void)state;
	small1 = arena_alloc(a, 32);
	big = arena_alloc(a, 100000);
	small2 = arena_alloc(a, 32);
	assert_non_null(small1);
	assert_non_null(big);
	assert_non_null(small2);
	memset(big, 1, 100000);
	/* The small allocation after the big one comes from the first block, right after
	 * the first small one. */
	assert_ptr_equal(small2, small1 + 32);
	/* Many blocks' worth of small allocations all stay writable. */
	for (int i = 0; i < 5000; i++) {
		char *p = arena_alloc(a, 48);
		assert_non_null(p);
		memset(p, 2, 48);
	}
	assert_int_equal(big[99999], 1);
	arena_free(a);
}

static void test_calloc_zeroes_and_checks_overflow(void **state)
{
	arena *a = arena_new(1 << 20);
	unsigned char *p;
	(void)state;
	/* Fill some memory first so that calloc has something to clear. */
	memset(arena_alloc(a, 4096), 0xFF, 4096);
	p = arena_calloc(a, 100, 7);
	assert_non_null(p);
	for (int i = 0; i < 700; i++)
		assert_int_equal(p[i], 0);
	assert_null(arena_calloc(a, SIZE_MAX / 2, 4));
	assert_null(arena_calloc(a, 4, SIZE_MAX / 2));
	assert_non_null(arena_calloc(a, 0, 8));
	arena_free(a);
}

static void test_strdup_and_printf(void **state)
{
	arena *a = arena_new(1 << 20);
	char *s;
	(void)state;
	s = arena_strndup(a, "hello world", 5);
	assert_string_equal(s, "hello");
	s = arena_strndup(a, "a\0b", 3);
	assert_memory_equal(s, "a\0b\0", 4);
	assert_string_equal(arena_strdup(a, ""), "");
	assert_string_equal(arena_strndup(a, NULL, 0), "");
	assert_null(arena_strndup(a, "x", SIZE_MAX));
	assert_string_equal(arena_printf(a, "%s-%d-%05.1f", "x", -3, 2.5), "x--3-002.5");
	assert_string_equal(arena_printf(a, "%s", ""), "");
	arena_free(a);

	/* Past the maximum, copies fail cleanly. */
	a = arena_new(32);
	assert_null(arena_strdup(a, "a string that is much longer than thirty-two bytes"));
	assert_null(arena_printf(a, "%0100d", 1));
	assert_string_equal(arena_printf(a, "%d", 12), "12");
	arena_free(a);
}

static char order[16];
static size_t norder;

static void note(void *data)
{
	order[norder++] = *(const char *)data;
}

static void test_cleanups_run_last_first(void **state)
{
	arena *a = arena_new(1 << 20);
	static const char x = 'x', y = 'y', z = 'z';
	(void)state;
	norder = 0;
	assert_int_equal(arena_cleanup_add(a, note, (void *)&x), 0);
	assert_int_equal(arena_cleanup_add(a, note, (void *)&y), 0);
	assert_int_equal(arena_cleanup_add(a, note, (void *)&z), 0);
	assert_int_equal(norder, 0);
	arena_free(a);
	assert_int_equal(norder, 3);
	assert_memory_equal(order, "zyx", 3);
	arena_free(NULL);
}

static void test_cleanup_runs_at_once_when_full(void **state)
{
	arena *a = arena_new(16);
	static const char x = 'x', y = 'y';
	(void)state;
	norder = 0;
	assert_non_null(arena_alloc(a, 16));
	/* No room for the cleanup record: it runs now so nothing leaks, and not again. */
	assert_int_equal(arena_cleanup_add(a, note, (void *)&x), -1);
	assert_int_equal(norder, 1);
	arena_free(a);
	assert_int_equal(norder, 1);

	a = arena_new(64);
	assert_int_equal(arena_cleanup_add(a, note, (void *)&y), 0);
	assert_int_equal(norder, 1);
	arena_free(a);
	assert_int_equal(norder, 2);
	assert_memory_equal(order, "xy", 2);
}

/* One growing array keeps every element it had as it moves. */
static void test_grow_keeps_elements(void **state)
{
	arena *a = arena_new(1 << 20);
	int *v = NULL;
	size_t cap = 0;
	(void)state;
	for (size_t i = 0; i < 1000; i++) {
		v = arena_grow(a, v, i, &cap, sizeof(*v));
		assert_non_null(v);
		v[i] = (int)i * 3;
	}
	assert_true(cap >= 1000);
	for (size_t i = 0; i < 1000; i++)
		assert_int_equal(v[i], (int)i * 3);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow_keeps_elements),
		cmocka_unit_test(test_alignment_and_accounting),
		cmocka_unit_test(test_used_counts_rounded_sizes),
		cmocka_unit_test(test_maximum_is_hard),
		cmocka_unit_test(test_large_allocations_keep_block_space),
		cmocka_unit_test(test_calloc_zeroes_and_checks_overflow),
		cmocka_unit_test(test_strdup_and_printf),
		cmocka_unit_test(test_cleanups_run_last_first),
		cmocka_unit_test(test_cleanup_runs_at_once_when_full),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
