/* test_escape.c: output escaping for each context (escape.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/escape.h"
#include "core/str.h"

static arena *a;

static int setup(void **state)
{
	(void)state;
	a = arena_new(1 << 20);
	return a ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(a);
	return 0;
}

/* Runs FN over S in a fresh builder and returns the result. */
static const char *run(void (*fn)(sbuf *, sv), sv s)
{
	sbuf b;
	sbuf_init(&b, a, 1 << 16);
	fn(&b, s);
	assert_int_equal(b.err, 0);
	return b.buf;
}

static void test_html(void **state)
{
	(void)state;
	assert_string_equal(run(esc_html, SV("<script>alert(1)</script>")),
	                    "&lt;script&gt;alert(1)&lt;/script&gt;");
	assert_string_equal(run(esc_html, SV("\" onmouseover=\"x' &amp;")),
	                    "&quot; onmouseover=&quot;x&#39; &amp;amp;");
	assert_string_equal(run(esc_html, SV("plain text, unchanged")), "plain text, unchanged");
	assert_string_equal(run(esc_html, SV("caf\xc3\xa9 \xe2\x80\x94 ok")),
	                    "caf\xc3\xa9 \xe2\x80\x94 ok");
	assert_string_equal(run(esc_html, SV("")), "");
	assert_string_equal(run(esc_html, SV_NULL), "");
	assert_string_equal(run(esc_html, SV("&")), "&amp;");
	/* Bytes after a NUL are escaped too: the view's length rules, not the NUL. */
	{
		sbuf b;
		sbuf_init(&b, a, 64);
		esc_html(&b, (sv){"a\0<", 3});
		assert_int_equal(b.len, 6);
		assert_memory_equal(b.buf, "a\0&lt;", 6);
	}
}

static void test_url_component(void **state)
{
	(void)state;
	assert_string_equal(run(esc_url, SV("AZaz09-._~")), "AZaz09-._~");
	assert_string_equal(run(esc_url, SV("fish & chips/5?a=b#c+d%")),
	                    "fish%20%26%20chips%2F5%3Fa%3Db%23c%2Bd%25");
	assert_string_equal(run(esc_url, SV("javascript:alert(1)")), "javascript%3Aalert%281%29");
	assert_string_equal(run(esc_url, SV("\xc2\xa3"
	                                    "5")),
	                    "%C2%A35");
	assert_string_equal(run(esc_url, SV("\"<>'")), "%22%3C%3E%27");
	assert_string_equal(run(esc_url, (sv){"\0\x7f\xff", 3}), "%00%7F%FF");
}

static void test_url_attr(void **state)
{
	(void)state;
	/* Unsafe schemes become "#", however they are dressed up. */
	assert_string_equal(run(esc_url_attr, SV("javascript:alert(1)")), "#");
	assert_string_equal(run(esc_url_attr, SV("JaVaScRiPt:alert(1)")), "#");
	assert_string_equal(run(esc_url_attr, SV(" javascript:alert(1)")), "#");
	assert_string_equal(run(esc_url_attr, SV("java\tscript:alert(1)")), "#");
	assert_string_equal(run(esc_url_attr, SV("java\nscript:alert(1)")), "#");
	assert_string_equal(run(esc_url_attr, SV("\x01javascript:alert(1)")), "#");
	assert_string_equal(run(esc_url_attr, SV("data:text/html,<script>")), "#");
	assert_string_equal(run(esc_url_attr, SV("vbscript:x")), "#");
	assert_string_equal(run(esc_url_attr, SV("file:///etc/passwd")), "#");
	assert_string_equal(run(esc_url_attr, SV("httpx://example.org")), "#");
	/* Safe schemes and relative URLs are kept, HTML-escaped. */
	assert_string_equal(run(esc_url_attr, SV("https://example.org/?a=1&b=\"2\"")),
	                    "https://example.org/?a=1&amp;b=&quot;2&quot;");
	assert_string_equal(run(esc_url_attr, SV("HTTP://example.org")), "HTTP://example.org");
	assert_string_equal(run(esc_url_attr, SV("mailto:a@example.org")), "mailto:a@example.org");
	assert_string_equal(run(esc_url_attr, SV("tel:+441610000000")), "tel:+441610000000");
	assert_string_equal(run(esc_url_attr, SV("/groups/12")), "/groups/12");
	assert_string_equal(run(esc_url_attr, SV("groups/12")), "groups/12");
	assert_string_equal(run(esc_url_attr, SV("?page=2")), "?page=2");
	assert_string_equal(run(esc_url_attr, SV("#main")), "#main");
	/* A colon after the path starts is not a scheme. */
	assert_string_equal(run(esc_url_attr, SV("/a:b")), "/a:b");
	assert_string_equal(run(esc_url_attr, SV("?next=javascript:x")), "?next=javascript:x");
	assert_string_equal(run(esc_url_attr, SV("")), "");
	/* Entities cannot smuggle a colon: '&' is escaped, so "&colon;" stays text. */
	assert_string_equal(run(esc_url_attr, SV("javascript&colon;alert(1)")),
	                    "javascript&amp;colon;alert(1)");
}

static void test_json(void **state)
{
	(void)state;
	assert_string_equal(
	    run(esc_json, SV("</script><script>alert(1)</script>")),
	    "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E");
	assert_string_equal(run(esc_json, SV("a\"b\\c&d")), "a\\u0022b\\u005Cc\\u0026d");
	assert_string_equal(run(esc_json, SV("<!--")), "\\u003C!--");
	assert_string_equal(run(esc_json, SV("\n\r\t\x01\x1f")),
	                    "\\u000A\\u000D\\u0009\\u0001\\u001F");
	assert_string_equal(run(esc_json, SV("a\xe2\x80\xa8"
	                                     "b\xe2\x80\xa9"
	                                     "c")),
	                    "a\\u2028b\\u2029c");
	/* Other three-byte characters, and a cut-off one at the end, pass through. */
	assert_string_equal(run(esc_json, SV("\xe2\x80\x94")), "\xe2\x80\x94");
	assert_string_equal(run(esc_json, SV("x\xe2\x80")), "x\xe2\x80");
	assert_string_equal(run(esc_json, SV("caf\xc3\xa9 'ok'")), "caf\xc3\xa9 'ok'");
	{
		sbuf b;
		sbuf_init(&b, a, 64);
		esc_json(&b, (sv){"\0", 1});
		assert_string_equal(b.buf, "\\u0000");
	}
}

static void test_csv(void **state)
{
	(void)state;
	assert_string_equal(run(esc_csv, SV("plain")), "plain");
	assert_string_equal(run(esc_csv, SV("")), "");
	assert_string_equal(run(esc_csv, SV("a,b")), "\"a,b\"");
	assert_string_equal(run(esc_csv, SV("say \"hi\"")), "\"say \"\"hi\"\"\"");
	assert_string_equal(run(esc_csv, SV("two\nlines")), "\"two\nlines\"");
	assert_string_equal(run(esc_csv, SV("cr\r")), "\"cr\r\"");
	/* Spreadsheet formulas are defused. */
	assert_string_equal(run(esc_csv, SV("=HYPERLINK(\"x\")")), "\"'=HYPERLINK(\"\"x\"\")\"");
	assert_string_equal(run(esc_csv, SV("+1+cmd")), "\"'+1+cmd\"");
	assert_string_equal(run(esc_csv, SV("-1+2")), "\"'-1+2\"");
	assert_string_equal(run(esc_csv, SV("-.5")), "\"'-.5\"");
	/* A plain signed number runs nothing and stays a number for the spreadsheet. */
	assert_string_equal(run(esc_csv, SV("-1")), "-1");
	assert_string_equal(run(esc_csv, SV("+0.6")), "+0.6");
	assert_string_equal(run(esc_csv, SV("-2.17")), "-2.17");
	assert_string_equal(run(esc_csv, SV("@SUM(A1)")), "\"'@SUM(A1)\"");
	assert_string_equal(run(esc_csv, SV("\tx")), "\"'\tx\"");
	assert_string_equal(run(esc_csv, SV("1-2")), "1-2");
	/* A NUL is not a formula character. */
	{
		sbuf b;
		sbuf_init(&b, a, 64);
		esc_csv(&b, (sv){"\0x", 2});
		assert_int_equal(b.len, 2);
		assert_memory_equal(b.buf, "\0x", 2);
	}
}

static void test_full_builder(void **state)
{
	sbuf b;
	(void)state;
	/* Escaping into a full builder sets its error and never overruns. */
	sbuf_init(&b, a, 8);
	esc_html(&b, SV("<<<<"));
	assert_int_equal(b.err, SBUF_ERR_TOOBIG);
	assert_true(b.len <= 8);
	assert_int_equal(b.buf[b.len], '\0');
	sbuf_init(&b, a, 4);
	esc_json(&b, SV("<"));
	assert_int_equal(b.err, SBUF_ERR_TOOBIG);
	sbuf_init(&b, a, 2);
	esc_url(&b, SV(" "));
	assert_int_equal(b.err, SBUF_ERR_TOOBIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html),     cmocka_unit_test(test_url_component),
		cmocka_unit_test(test_url_attr), cmocka_unit_test(test_json),
		cmocka_unit_test(test_csv),      cmocka_unit_test(test_full_builder),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
