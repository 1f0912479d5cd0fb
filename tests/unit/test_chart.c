/* test_chart.c: the SVG charts (chart.c): what a reader of the picture relies on —
 * title and summary, every label escaped, values in the chart's unit, a suppressed
 * figure shown as not shown rather than as a bar, and the axis reaching the largest
 * value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/chart.h"
#include "core/str.h"

static void save(const char *name, const sbuf *b)
{
	/* Kept for a person to look at: build/chart-*.svg when CHART_SAMPLES is set. */
	const char *dir = getenv("CHART_SAMPLES");
	if (!dir)
		return;
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (f) {
		fwrite(b->buf, 1, b->len, f);
		fclose(f);
	}
}

static void test_bars(void **state)
{
	(void)state;
	arena *a = arena_new(1 << 20);
	const char *labels[] = {"White: English, Welsh, Scottish, Northern Irish or British",
				"Black, Black British, Caribbean or African", "<script>x</script>"};
	int64_t part[] = {612500, 150000, 0};
	bool part_missing[] = {false, false, true};
	int64_t pop[] = {743000, 48000, 21000};
	struct chart_series s[] = {{"Participants", part, part_missing}, {"Population", pop, NULL}};
	struct chart c = {.kind = CHART_BARS,
			  .unit = CHART_PERCENT,
			  .title = "Ethnic group & participants",
			  .summary = "Participants are more often Black than the population.",
			  .n_labels = 3,
			  .labels = labels,
			  .n_series = 2,
			  .series = s};
	sbuf b;
	sbuf_init(&b, a, 1 << 20);
	assert_int_equal(chart_svg(&b, &c), 0);
	save("bars.svg", &b);
	assert_non_null(strstr(b.buf, "<title id=\"t\">Ethnic group &amp; participants</title>"));
	assert_non_null(strstr(b.buf, "<desc id=\"d\">Participants are more often"));
	assert_non_null(strstr(b.buf, "&lt;script&gt;x&lt;/script&gt;"));
	assert_null(strstr(b.buf, "<script"));
	assert_non_null(strstr(b.buf, ">61.3%<"));
	assert_non_null(strstr(b.buf, ">74.3%<"));
	assert_non_null(strstr(b.buf, "Participants: not shown"));
	/* The axis reaches 74.3%: gridlines in steps of 20% up to 80%. */
	assert_non_null(strstr(b.buf, ">80.0%<"));
	assert_null(strstr(b.buf, ">100.0%<"));
	arena_free(a);
}

static void test_lines_and_units(void **state)
{
	(void)state;
	arena *a = arena_new(1 << 20);
	const char *labels[] = {"2019", "2020", "2021", "2022"};
	int64_t salford[] = {123, 118, 0, 101}; /* one decimal place: 12.3 ... */
	bool gap[] = {false, false, true, false};
	int64_t england[] = {104, 104, 103, 100};
	struct chart_series s[] = {{"Salford", salford, gap}, {"England", england, NULL}};
	struct chart c = {.kind = CHART_LINES,
			  .unit = CHART_VALUE,
			  .decimals = 1,
			  .title = "Suicide rate",
			  .summary = "Salford's rate fell from 12.3 in 2019 to 10.1 in 2022.",
			  .n_labels = 4,
			  .labels = labels,
			  .n_series = 2,
			  .series = s};
	sbuf b;
	sbuf_init(&b, a, 1 << 20);
	assert_int_equal(chart_svg(&b, &c), 0);
	save("lines.svg", &b);
	/* The missing 2021 breaks the line into two pieces. */
	assert_non_null(strstr(b.buf, "M90 "));
	const char *path = strstr(b.buf, "stroke=\"#1d70b8\" stroke-width=\"3\" d=\"");
	assert_non_null(path);
	const char *second_move = strchr(path + 40, 'M');
	assert_non_null(second_move);
	assert_true(second_move < strstr(path, "\"/>"));
	assert_non_null(strstr(b.buf, ">2022<"));

	sbuf v;
	sbuf_init(&v, a, 256);
	c.unit = CHART_PENCE;
	chart_format_value(&v, &c, 125050);
	c.unit = CHART_COUNT;
	sbuf_adds(&v, " ");
	chart_format_value(&v, &c, 1234567);
	c.unit = CHART_VALUE;
	c.decimals = 2;
	sbuf_adds(&v, " ");
	chart_format_value(&v, &c, -105);
	assert_string_equal(v.buf, "£1,250.50 1,234,567 -1.05");

	int64_t top, step;
	chart_axis(7430, &top, &step);
	assert_int_equal(step, 2000);
	assert_int_equal(top, 8000);
	chart_axis(0, &top, &step);
	assert_int_equal(top, 1);

	c.n_series = 5;
	assert_int_equal(chart_svg(&b, &c), -1);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bars),
		cmocka_unit_test(test_lines_and_units),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
