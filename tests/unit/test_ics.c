/* test_ics.c: the iCalendar writer: CRLF endings, folding at 75 octets without splitting
 * a UTF-8 character, TEXT escaping, local times with a time zone, DTSTAMP in UTC. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "domain/ics.h"
#include "domain/venues.h"

/* Checks every line of TEXT: ends in CRLF, at most 75 octets, no bare CR or LF, and a
 * continuation starts with one space; returns the text unfolded (CRLF SP removed). */
static char *check_lines(arena *a, const char *text)
{
	size_t n = strlen(text), i = 0, k = 0;
	char *out = arena_alloc(a, n + 1);
	assert_non_null(out);
	while (i < n) {
		const char *crlf = strstr(text + i, "\r\n");
		assert_non_null(crlf);
		size_t len = (size_t)(crlf - (text + i));
		assert_true(len <= ICS_LINE_OCTETS);
		assert_null(memchr(text + i, '\n', len));
		assert_null(memchr(text + i, '\r', len));
		/* A fold never leaves a UTF-8 continuation byte at the start of the next line. */
		if (i > 0 && text[i] == ' ')
			assert_true(((unsigned char)text[i + 1] & 0xc0) != 0x80);
		size_t from = (i > 0 && text[i] == ' ') ? i + 1 : i;
		if (from == i + 1 && k > 0 && out[k - 1] == '\n')
			k--; /* join a continuation to the line before */
		memcpy(out + k, text + from, (size_t)(crlf - (text + from)));
		k += (size_t)(crlf - (text + from));
		out[k++] = '\n';
		i = (size_t)(crlf - text) + 2;
	}
	out[k] = 0;
	return out;
}

static void test_escape(void **state)
{
	arena *a = arena_new(1 << 20);
	sbuf b;
	(void)state;
	sbuf_init(&b, a, 4096);
	ics_escape_text(&b, SV("a\\b;c,d\ne\r\nf\tg"));
	assert_string_equal(b.buf, "a\\\\b\\;c\\,d\\ne\\nfg");
	arena_free(a);
}

static void test_fold_ascii(void **state)
{
	arena *a = arena_new(1 << 20);
	sbuf b;
	char long_text[301];
	(void)state;
	memset(long_text, 'x', 300);
	long_text[300] = 0;
	sbuf_init(&b, a, 8192);
	ics_text_line(&b, "DESCRIPTION", sv_from(long_text));
	assert_int_equal(b.err, 0);
	/* 12 + 300 = 312 octets: 75, then 74 per continuation line. */
	assert_int_equal(b.len, 312 + 2 + 4 * 3);
	assert_memory_equal(b.buf, "DESCRIPTION:xxx", 15);
	assert_memory_equal(b.buf + 75, "\r\n x", 4);
	char *u = check_lines(a, b.buf);
	assert_int_equal(strlen(u), 313);
	assert_memory_equal(u + 12, long_text, 300);
	/* Exactly 75 octets: not folded. */
	sbuf_reset(&b);
	ics_line(&b, "X", sv_from(long_text + 300 - 73));
	assert_int_equal(b.len, 77);
	arena_free(a);
}

static void test_fold_utf8(void **state)
{
	arena *a = arena_new(1 << 20);
	sbuf b, text;
	(void)state;
	sbuf_init(&text, a, 4096);
	/* "£" is 2 octets and "€" 3; a run of them cannot all fall on a boundary. */
	for (int i = 0; i < 40; i++)
		sbuf_adds(&text, i % 2 ? "\xc2\xa3" : "\xe2\x82\xac");
	sbuf_init(&b, a, 8192);
	ics_text_line(&b, "SUMMARY", sbuf_sv(&text));
	char *u = check_lines(a, b.buf);
	assert_true(b.len > 100); /* it was folded */
	assert_memory_equal(u + 8, text.buf, text.len);
	assert_string_equal(u + 8 + text.len, "\n");
	arena_free(a);
}

static void test_calendar(void **state)
{
	arena *a = arena_new(1 << 20);
	sbuf b;
	struct ics_event e = {
	    .uid = "session-7@coprod",
	    .sequence = 3,
	    .stamp = 1669113000, /* 2022-11-22T10:30:00Z */
	    .starts_at = "2022-11-22T18:00",
	    .ends_at = "2022-11-22T20:00",
	    .summary = "Young adults group; ideas, and more",
	    .description = "Agenda:\n1. Welcome",
	    .location = "Demo Community Centre, 1 Example Street, M5 4WT",
	    .cancelled = true,
	};
	(void)state;
	sbuf_init(&b, a, 64 * 1024);
	ics_begin(&b, "Your sessions");
	ics_event(&b, &e);
	ics_end(&b);
	assert_int_equal(b.err, 0);
	char *u = check_lines(a, b.buf);
	assert_memory_equal(u, "BEGIN:VCALENDAR\nVERSION:2.0\n", 28);
	assert_non_null(strstr(u, "\nBEGIN:VTIMEZONE\nTZID:Europe/London\n"));
	assert_non_null(strstr(u, "\nDTSTART;TZID=Europe/London:20221122T180000\n"));
	assert_non_null(strstr(u, "\nDTEND;TZID=Europe/London:20221122T200000\n"));
	assert_non_null(strstr(u, "\nDTSTAMP:20221122T103000Z\n"));
	assert_non_null(strstr(u, "\nUID:session-7@coprod\n"));
	assert_non_null(strstr(u, "\nSEQUENCE:3\n"));
	assert_non_null(strstr(u, "\nSTATUS:CANCELLED\n"));
	assert_non_null(strstr(u, "\nSUMMARY:Young adults group\\; ideas\\, and more\n"));
	assert_non_null(strstr(u, "\nDESCRIPTION:Agenda:\\n1. Welcome\n"));
	assert_non_null(
	    strstr(u, "\nLOCATION:Demo Community Centre\\, 1 Example Street\\, M5 4WT\n"));
	assert_string_equal(u + strlen(u) - 14, "END:VCALENDAR\n");

	/* A malformed time fails the whole calendar rather than writing half an event. */
	sbuf_reset(&b);
	e.starts_at = "2022-11-22 18:00";
	ics_event(&b, &e);
	assert_int_not_equal(b.err, 0);
	arena_free(a);
}

static void test_money(void **state)
{
	arena *a = arena_new(1 << 20);
	sbuf b;
	int64_t p;
	(void)state;
	assert_int_equal(money_parse(SV("12.50"), VENUE_COST_MAX_PENCE, &p), 0);
	assert_int_equal(p, 1250);
	assert_int_equal(money_parse(SV("\xc2\xa3"
	                                      "1,250"), VENUE_COST_MAX_PENCE,
	                                   &p),
	                 0);
	assert_int_equal(p, 125000);
	assert_int_equal(money_parse(SV("12.5"), VENUE_COST_MAX_PENCE, &p), 0);
	assert_int_equal(p, 1250);
	assert_int_equal(money_parse(SV(" 0 "), VENUE_COST_MAX_PENCE, &p), 0);
	assert_int_equal(p, 0);
	assert_int_equal(money_parse(SV("12.505"), VENUE_COST_MAX_PENCE, &p), -1);
	assert_int_equal(money_parse(SV("-3"), VENUE_COST_MAX_PENCE, &p), -1);
	assert_int_equal(money_parse(SV("12."), VENUE_COST_MAX_PENCE, &p), -1);
	assert_int_equal(money_parse(SV("twelve"), VENUE_COST_MAX_PENCE, &p), -1);
	assert_int_equal(money_parse(SV("99999999999"), VENUE_COST_MAX_PENCE, &p), -1);
	sbuf_init(&b, a, 64);
	money_format(&b, 125005);
	assert_string_equal(b.buf, "\xc2\xa3"
	                           "1,250.05");
	sbuf_reset(&b);
	money_format(&b, 5);
	assert_string_equal(b.buf, "\xc2\xa3"
	                           "0.05");
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape),    cmocka_unit_test(test_fold_ascii),
	    cmocka_unit_test(test_fold_utf8), cmocka_unit_test(test_calendar),
	    cmocka_unit_test(test_money),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
