/* test_tmpl.c: the template engine: golden files (escaping by context, sections,
 * partials, parse errors) and the contract of values, sets, limits and start-up.
 *
 * Golden files live in tests/unit/golden/tmpl/. Each NAME.html is parsed as "NAME.html";
 * if NAME.err exists the parse must fail with exactly that message, otherwise NAME.out
 * holds the exact output of rendering it against world() below. Files whose name starts
 * with '_' are partials: they must parse, and are only rendered from other templates.
 * Run with COPROD_GOLDEN_UPDATE=1 to rewrite the .out files after a deliberate change
 * (then read the diff: it is the test).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/str.h"
#include "tmpl/tmpl.h"

#define GOLDEN_DIR       "tests/unit/golden/tmpl"
#define GOLDEN_MIN_CASES 50
#define MAX_GOLDEN       256

/* The context every golden template is rendered against. */
static tval *world(arena *a)
{
	tval *w = tv_map(a), *people = tv_list(a), *tags = tv_list(a), *group = tv_map(a);
	tval *meets = tv_map(a), *p;

	tv_set_str(w, "evil", "<script>alert(1)</script>");
	tv_set_str(w, "quote", "\" onmouseover=\"x");
	tv_set_str(w, "squote", "' onmouseover='x");
	tv_set_str(w, "amp", "Fish & Chips");
	tv_set_str(w, "js_url", "javascript:alert(1)");
	tv_set_str(w, "js_url_spaced", " JavaScript:alert(1)");
	tv_set_str(w, "data_url", "data:text/html,<script>alert(1)</script>");
	tv_set_str(w, "ok_url", "https://example.org/a?b=1&c=2");
	tv_set_str(w, "rel_url", "/groups/12");
	tv_set_str(w, "q", "fish & chips/5?");
	tv_set_str(w, "script_text", "</script><script>alert(1)</script>");
	tv_set_str(w, "line_sep",
	           "a\xe2\x80\xa8"
	           "b");
	tv_set_str(w, "textarea_text", "</textarea><script>alert(1)</script>");
	tv_set_str(w, "html", "<em>already safe</em>");
	tv_set_str(w, "name", "Salford");
	tv_set_str(w, "place", "Salford");
	tv_set_str(w, "empty", NULL);
	tv_set_int(w, "n", 42);
	tv_set_int(w, "neg", -7);
	tv_set_int(w, "zero", 0);
	tv_set_int(w, "big", INT64_MAX);
	tv_set_int(w, "small", INT64_MIN);
	tv_set_bool(w, "yes", true);
	tv_set_bool(w, "no", false);
	tv_set(w, "none", tv_list(a));
	tv_set(w, "empty_map", tv_map(a));

	tv_push(tags, tv_str(a, "health"));
	tv_push(tags, tv_str(a, "<b>housing</b>"));
	tv_push(tags, tv_str(a, "work"));
	tv_set(w, "tags", tags);

	p = tv_map(a);
	tv_set_str(p, "name", "Amina");
	tv_set_str(p, "role", "resident");
	tv_set_bool(p, "lead", true);
	tv_push(people, p);
	p = tv_map(a);
	tv_set_str(p, "name", "Bob");
	tv_set_str(p, "role", "<officer>");
	tv_set_bool(p, "lead", false);
	tv_push(people, p);
	p = tv_map(a);
	tv_set_str(p, "name", "Chen");
	tv_push(people, p);
	tv_set(w, "people", people);

	tv_set_str(meets, "day", "Tuesday");
	tv_set_str(meets, "time", "6pm");
	tv_set_str(group, "title", "Young adults' group");
	tv_set(group, "meets", meets);
	tv_set_int(group, "count", 15);
	tv_set(w, "group", group);
	return w;
}

/* ---- helpers ---- */

static char *slurp(arena *a, const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	buf = arena_alloc(a, (size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

static void spit(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static int cmp_names(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Parses SRC as "test" and renders it against CTX; returns the output or NULL. */
static const char *render_str(arena *a, const char *src, const tval *ctx)
{
	char err[256];
	sbuf out;
	tmpl *t = tmpl_parse(a, "test", sv_from(src), err, sizeof(err));
	if (!t) {
		print_error("parse failed: %s\n", err);
		return NULL;
	}
	sbuf_init(&out, a, 1 << 20);
	if (tmpl_render_t(t, NULL, ctx, &out) != 0)
		return NULL;
	return out.buf;
}

/* Parses SRC and returns the error message, or NULL if it parsed. */
static const char *parse_err(arena *a, const char *src)
{
	static char err[256];
	return tmpl_parse(a, "test", sv_from(src), err, sizeof(err)) ? NULL : err;
}

/* ---- golden files ---- */

struct golden {
	char *stem;
	tmpl *t;
};

static void test_golden(void **state)
{
	arena *a = arena_new(64 << 20);
	tmpl_set *set = tmpl_set_new(a);
	struct golden cases[MAX_GOLDEN];
	char *names[MAX_GOLDEN];
	size_t nnames = 0, ncases = 0, checked = 0, failures = 0;
	bool update = getenv("COPROD_GOLDEN_UPDATE") != NULL;
	tval *ctx = world(a);
	DIR *d = opendir(GOLDEN_DIR);
	struct dirent *e;
	char path[512], err[256];
	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len > 5 && strcmp(e->d_name + len - 5, ".html") == 0) {
			assert_true(nnames < MAX_GOLDEN);
			names[nnames++] = arena_strndup(a, e->d_name, len - 5);
		}
	}
	closedir(d);
	qsort(names, nnames, sizeof(names[0]), cmp_names);

	/* Parse everything first, so partials are in the set before anything renders. */
	for (size_t i = 0; i < nnames; i++) {
		size_t srclen, errlen;
		char *src, *want_err, *fname = arena_printf(a, "%s.html", names[i]);
		tmpl *t;
		snprintf(path, sizeof(path), GOLDEN_DIR "/%s.html", names[i]);
		src = slurp(a, path, &srclen);
		assert_non_null(src);
		snprintf(path, sizeof(path), GOLDEN_DIR "/%s.err", names[i]);
		want_err = slurp(a, path, &errlen);
		t = tmpl_parse(a, fname, (sv){src, srclen}, err, sizeof(err));
		if (want_err) {
			while (errlen && want_err[errlen - 1] == '\n')
				want_err[--errlen] = '\0';
			checked++;
			if (t) {
				print_error("%s: parsed, but should fail with: %s\n", fname,
				            want_err);
				failures++;
			} else if (strcmp(err, want_err) != 0) {
				print_error("%s: wrong error\n  want: %s\n  got:  %s\n", fname,
				            want_err, err);
				failures++;
			}
			continue;
		}
		if (!t) {
			print_error("%s: should parse, but: %s\n", fname, err);
			failures++;
			continue;
		}
		assert_int_equal(tmpl_set_add(set, names[i], t), 0);
		if (names[i][0] != '_')
			cases[ncases++] = (struct golden){names[i], t};
	}

	for (size_t i = 0; i < ncases; i++) {
		sbuf out;
		size_t wantlen;
		char *want;
		snprintf(path, sizeof(path), GOLDEN_DIR "/%s.out", cases[i].stem);
		sbuf_init(&out, a, 1 << 20);
		checked++;
		if (tmpl_render_t(cases[i].t, set, ctx, &out) != 0) {
			print_error("%s: render failed\n", cases[i].stem);
			failures++;
			continue;
		}
		if (update)
			spit(path, out.buf, out.len);
		want = slurp(a, path, &wantlen);
		if (!want) {
			print_error("%s: no %s (run with COPROD_GOLDEN_UPDATE=1 and read it)\n",
			            cases[i].stem, path);
			failures++;
		} else if (wantlen != out.len || memcmp(want, out.buf, out.len) != 0) {
			print_error("%s: output differs\n--- want\n%s--- got\n%s---\n",
			            cases[i].stem, want, out.buf);
			failures++;
		}
	}
	arena_free(a);
	assert_int_equal(failures, 0);
	/* A golden directory that went missing or empty must not pass quietly. */
	assert_true(checked >= GOLDEN_MIN_CASES);
}

/* ---- escaping, one context at a time ---- */

static void test_text_and_attribute_escaping(void **state)
{
	arena *a = arena_new(1 << 20);
	tval *c = tv_map(a);
	(void)state;
	tv_set_str(c, "x", "<script>alert(1)</script>\" onmouseover=\"x' &");
	assert_string_equal(render_str(a, "{{x}}", c),
	                    "&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;x&#39; "
	                    "&amp;");
	assert_string_equal(render_str(a, "<i title='{{x}}'>", c),
	                    "<i title='&lt;script&gt;alert(1)&lt;/script&gt;&quot; "
	                    "onmouseover=&quot;x&#39; &amp;'>");
	assert_string_equal(render_str(a, "{{{x}}}", c),
	                    "<script>alert(1)</script>\" onmouseover=\"x' &");
	arena_free(a);
}

static void test_url_contexts(void **state)
{
	arena *a = arena_new(1 << 20);
	tval *c = tv_map(a);
	(void)state;
	tv_set_str(c, "u", "javascript:alert(1)");
	tv_set_str(c, "ok", "https://example.org/?a=1&b=2");
	tv_set_str(c, "v", "a b&c/d?e=f#g");
	assert_string_equal(render_str(a, "<a href=\"{{u}}\">", c), "<a href=\"#\">");
	assert_string_equal(render_str(a, "<a href=\"{{ok}}\">", c),
	                    "<a href=\"https://example.org/?a=1&amp;b=2\">");
	assert_string_equal(render_str(a, "<a href=\"/s?q={{v}}\">", c),
	                    "<a href=\"/s?q=a%20b%26c%2Fd%3Fe%3Df%23g\">");
	/* A later value in the same URL is a component, so a scheme cannot sneak in. */
	assert_string_equal(
	    render_str(a, "<a href=\"{{ok}}{{u}}\">", c),
	    "<a href=\"https://example.org/?a=1&amp;b=2javascript%3Aalert%281%29\">");
	assert_string_equal(render_str(a, "<a\nhref='{{u}}'>", c), "<a\nhref='#'>");
	assert_string_equal(render_str(a, "<form action=\"{{u}}\">", c), "<form action=\"#\">");
	assert_string_equal(render_str(a, "<img src=\"{{u}}\" alt=\"{{u}}\">", c),
	                    "<img src=\"#\" alt=\"javascript:alert(1)\">");
	arena_free(a);
}

static void test_script_json(void **state)
{
	arena *a = arena_new(1 << 20);
	tval *c = tv_map(a);
	(void)state;
	tv_set_str(c, "x", "</script><script>alert(\"1\")</script>\\");
	assert_string_equal(
	    render_str(a, "<script>var x = \"{{x}}\";</script>", c),
	    "<script>var x = \"\\u003C/script\\u003E\\u003Cscript\\u003Ealert(\\u00221"
	    "\\u0022)\\u003C/script\\u003E\\u005C\";</script>");
	/* Escaped quotes and comments are followed: the value is still inside a string. */
	assert_string_equal(render_str(a, "<script>var s = \"a\\\" {{x}}\";</script>", c),
	                    "<script>var s = \"a\\\" \\u003C/script\\u003E\\u003Cscript\\u003Eale"
	                    "rt(\\u00221\\u0022)\\u003C/script\\u003E\\u005C\";</script>");
	assert_non_null(parse_err(a, "<script>// \"\n{{x}}</script>"));
	assert_null(parse_err(a, "<script>/* ' */ var s = \"{{x}}\";</script>"));
	assert_non_null(parse_err(a, "<script>var s = \"\\{{x}}\";</script>"));
	/* After </script> we are back in text. */
	assert_string_equal(
	    render_str(a, "<script>\"\"</script >{{x}}", c),
	    "<script>\"\"</script >&lt;/script&gt;&lt;script&gt;alert(&quot;1&quot;)"
	    "&lt;/script&gt;\\");
	arena_free(a);
}

/* ---- values ---- */

static void test_values(void **state)
{
	arena *a = arena_new(1 << 20);
	tval *m = tv_map(a), *l = tv_list(a), *v;
	sbuf want;
	(void)state;
	tv_set_str(m, "a", "one");
	tv_set_str(m, "a", "two");
	tv_set_int(m, "b", 3);
	assert_int_equal(tv_len(m), 2);
	v = tv_get(m, "a");
	assert_non_null(v);
	assert_string_equal(render_str(a, "{{a}} {{b}} [{{c}}]", m), "two 3 []");
	assert_null(tv_get(m, "c"));
	assert_null(tv_get(NULL, "a"));
	assert_null(tv_get(l, "a"));
	assert_int_equal(tv_len(l), 0);
	for (int i = 0; i < 100; i++)
		tv_push(l, tv_int(a, i));
	assert_int_equal(tv_len(l), 100);
	assert_int_equal(tv_len(NULL), 0);
	assert_int_equal(tv_len(tv_str(a, "abc")), 0);
	tv_set(m, "l", l);
	v = tv_map(a);
	tv_set_sv(v, "s", (sv){"abcdef", 3});
	tv_set_sv(v, "null", SV_NULL);
	tv_set(m, "v", v);
	sbuf_init(&want, a, 1024);
	for (int i = 0; i < 100; i++)
		sbuf_addf(&want, "%d,", i);
	assert_string_equal(render_str(a, "{{#l}}{{.}},{{/l}}", m), want.buf);
	assert_string_equal(render_str(a, "{{v.s}}[{{v.null}}]{{#v.null}}x{{/v.null}}", m),
	                    "abc[]");
	/* Setters on a NULL map do nothing and do not crash. */
	tv_set_str(NULL, "a", "b");
	tv_set_int(NULL, "a", 1);
	tv_set_bool(NULL, "a", true);
	tv_set_sv(NULL, "a", SV("b"));
	tv_set(NULL, "a", v);
	tv_push(NULL, v);
	arena_free(a);
}

static void test_bools_and_ints(void **state)
{
	arena *a = arena_new(1 << 20);
	tval *c = tv_map(a);
	(void)state;
	tv_set_bool(c, "t", true);
	tv_set_bool(c, "f", false);
	tv_set_int(c, "min", INT64_MIN);
	tv_set_int(c, "z", 0);
	assert_string_equal(render_str(a, "[{{t}}][{{f}}][{{min}}][{{z}}]", c),
	                    "[true][][-9223372036854775808][0]");
	assert_string_equal(render_str(a, "<a href=\"{{min}}\" title=\"{{t}}\">", c),
	                    "<a href=\"-9223372036854775808\" title=\"true\">");
	assert_string_equal(render_str(a, "{{#z}}z{{/z}}{{^z}}not z{{/z}}{{#t}}{{.}}{{/t}}", c),
	                    "not ztrue");
	arena_free(a);
}

/* A value lost to a full arena must fail the page, not render it with a gap. */
static void test_failed_values_fail_render(void **state)
{
	arena *a = arena_new(1 << 20), *tiny;
	tval *c = tv_map(a), *child = tv_map(a), *l = tv_list(a);
	sbuf out;
	tmpl *t;
	char err[128];
	(void)state;
	tv_set_str(c, "ok", "fine");
	tv_set(c, "child", child);
	tv_set(c, "l", l);
	assert_string_equal(render_str(a, "{{ok}}{{child.x}}{{#l}}x{{/l}}", c), "fine");

	tv_set(child, "x", NULL); /* as when tv_str returned NULL */
	assert_null(render_str(a, "{{child.x}}", c));
	assert_null(render_str(a, "{{#child}}{{ok}}{{/child}}", c));
	assert_string_equal(render_str(a, "{{ok}}", c), "fine");

	tv_push(l, NULL);
	assert_null(render_str(a, "{{#l}}x{{/l}}", c));

	tv_set(c, "y", NULL);
	assert_null(render_str(a, "static text only", c));
	assert_null(render_str(a, "static text only", NULL));

	/* A real full arena: keep setting until the map cannot grow. */
	tiny = arena_new(2048);
	c = tv_map(tiny);
	for (int i = 0; i < 200; i++)
		tv_set_int(c, arena_printf(a, "k%d", i), i);
	t = tmpl_parse(a, "t", SV("x"), err, sizeof(err));
	assert_non_null(t);
	sbuf_init(&out, a, 100);
	assert_int_equal(tmpl_render_t(t, NULL, c, &out), -1);
	arena_free(tiny);

	/* Typed setters on something that is not a map mark it failed. */
	c = tv_list(a);
	tv_set_str(c, "a", "b");
	assert_null(render_str(a, "x", c));
	arena_free(a);
}

/* ---- limits ---- */

static void test_output_limit(void **state)
{
	arena *a = arena_new(1 << 20);
	tval *c = tv_map(a);
	tmpl *t = tmpl_parse(a, "t", SV("0123456789{{x}}"), NULL, 0);
	sbuf out;
	(void)state;
	tv_set_str(c, "x", "abc");
	assert_non_null(t);
	sbuf_init(&out, a, 13);
	assert_int_equal(tmpl_render_t(t, NULL, c, &out), 0);
	assert_string_equal(out.buf, "0123456789abc");
	sbuf_init(&out, a, 12);
	assert_int_equal(tmpl_render_t(t, NULL, c, &out), -1);
	assert_int_equal(out.err, SBUF_ERR_TOOBIG);
	arena_free(a);
}

static void test_section_depth(void **state)
{
	arena *a = arena_new(1 << 20);
	sbuf src;
	const char *err;
	char want[64];
	(void)state;
	sbuf_init(&src, a, 1 << 16);
	for (int i = 0; i < TMPL_MAX_DEPTH; i++)
		sbuf_addf(&src, "{{#s%d}}\n", i);
	for (int i = TMPL_MAX_DEPTH - 1; i >= 0; i--)
		sbuf_addf(&src, "{{/s%d}}\n", i);
	assert_null(parse_err(a, src.buf));

	sbuf_reset(&src);
	for (int i = 0; i <= TMPL_MAX_DEPTH; i++)
		sbuf_addf(&src, "{{#s%d}}\n", i);
	err = parse_err(a, src.buf);
	assert_non_null(err);
	snprintf(want, sizeof(want), "test:%d: sections nested deeper than %d", TMPL_MAX_DEPTH + 1,
	         TMPL_MAX_DEPTH);
	assert_string_equal(err, want);
	arena_free(a);
}

/* Builds a chain of N templates, c0 including c1 including ... c(N-1), and renders c0. */
static int render_chain(arena *a, int n)
{
	tmpl_set *set = tmpl_set_new(a);
	tval *c = tv_map(a);
	sbuf out;
	for (int i = 0; i < n; i++) {
		char *name = arena_printf(a, "c%d", i);
		const char *src = i + 1 < n ? arena_printf(a, "{{> c%d}}", i + 1) : "end";
		tmpl *t = tmpl_parse(a, name, sv_from(src), NULL, 0);
		assert_non_null(t);
		assert_int_equal(tmpl_set_add(set, name, t), 0);
	}
	sbuf_init(&out, a, 1024);
	if (tmpl_render_t(tmpl_set_find(set, "c0"), set, c, &out) != 0)
		return -1;
	assert_string_equal(out.buf, "end");
	return 0;
}

static void test_partial_depth(void **state)
{
	arena *a = arena_new(1 << 20);
	(void)state;
	/* c0 is the page itself: TMPL_MAX_DEPTH partials below it are allowed. */
	assert_int_equal(render_chain(a, TMPL_MAX_DEPTH + 1), 0);
	assert_int_equal(render_chain(a, TMPL_MAX_DEPTH + 2), -1);
	arena_free(a);
}

static void test_partials_missing_or_recursive(void **state)
{
	arena *a = arena_new(1 << 20);
	tmpl_set *set = tmpl_set_new(a);
	tval *c = tv_map(a), *l = tv_list(a);
	tmpl *page = tmpl_parse(a, "page", SV("a{{> nope}}b"), NULL, 0);
	tmpl *self = tmpl_parse(a, "self", SV("x{{> self}}"), NULL, 0);
	tmpl *fan = tmpl_parse(a, "fan", SV("{{#l}}{{> fan}}{{/l}}"), NULL, 0);
	sbuf out;
	(void)state;
	assert_non_null(page);
	assert_non_null(self);
	assert_non_null(fan);
	assert_int_equal(tmpl_set_add(set, "page", page), 0);
	assert_int_equal(tmpl_set_add(set, "self", self), 0);
	assert_int_equal(tmpl_set_add(set, "fan", fan), 0);
	sbuf_init(&out, a, 1 << 16);
	assert_int_equal(tmpl_render_t(page, set, c, &out), -1);
	sbuf_init(&out, a, 1 << 16);
	assert_int_equal(tmpl_render_t(page, NULL, c, &out), -1);
	sbuf_init(&out, a, 1 << 16);
	assert_int_equal(tmpl_render_t(self, set, c, &out), -1);

	/* A partial that includes itself over a list stops at the depth limit... */
	tv_push(l, tv_int(a, 1));
	tv_push(l, tv_int(a, 2));
	tv_set(c, "l", l);
	sbuf_init(&out, a, 1 << 16);
	assert_int_equal(tmpl_render_t(fan, set, c, &out), -1);
	arena_free(a);
}

/* Sections nested 30 deep over a two-item list would visit 2^30 nodes, within every
 * depth limit: the step budget is what stops them. */
static void test_step_budget(void **state)
{
	arena *a = arena_new(1 << 20);
	tval *c = tv_map(a), *l = tv_list(a);
	sbuf src, out;
	tmpl *t;
	(void)state;
	sbuf_init(&src, a, 4096);
	for (int i = 0; i < 30; i++)
		sbuf_adds(&src, "{{#l}}");
	sbuf_adds(&src, "{{nothing}}");
	for (int i = 0; i < 30; i++)
		sbuf_adds(&src, "{{/l}}");
	t = tmpl_parse(a, "deep", sbuf_sv(&src), NULL, 0);
	assert_non_null(t);
	tv_push(l, tv_int(a, 1));
	tv_set(c, "l", l);
	/* One item: 31 visits, fine. */
	sbuf_init(&out, a, 1 << 16);
	assert_int_equal(tmpl_render_t(t, NULL, c, &out), 0);
	assert_int_equal(tmpl_render_limit(t, NULL, c, &out, 31), 0);
	sbuf_init(&out, a, 1 << 16);
	assert_int_equal(tmpl_render_limit(t, NULL, c, &out, 30), -1);
	/* Two items: 2^31 - 1 visits, writing nothing, so only the budget can stop it. */
	tv_push(l, tv_int(a, 2));
	sbuf_init(&out, a, 1 << 16);
	assert_int_equal(tmpl_render_t(t, NULL, c, &out), -1);
	assert_int_equal(out.err, 0);
	assert_int_equal(out.len, 0);
	arena_free(a);
}

static void test_step_budget_counts_nodes(void **state)
{
	arena *a = arena_new(1 << 20);
	tval *c = tv_map(a);
	tmpl *page;
	sbuf out;
	(void)state;
	/* The budget counts node visits: "a", {{x}}, "b" is three. */
	page = tmpl_parse(a, "three", SV("a{{x}}b"), NULL, 0);
	sbuf_init(&out, a, 1 << 16);
	assert_int_equal(tmpl_render_limit(page, NULL, c, &out, 3), 0);
	sbuf_init(&out, a, 1 << 16);
	assert_int_equal(tmpl_render_limit(page, NULL, c, &out, 2), -1);
	arena_free(a);
}

/* ---- parsing ---- */

static void test_parse_copies_source(void **state)
{
	arena *a = arena_new(1 << 20);
	char buf[] = "<p>{{x}}</p>";
	tval *c = tv_map(a);
	tmpl *t = tmpl_parse(a, "t", sv_from(buf), NULL, 0);
	sbuf out;
	(void)state;
	assert_non_null(t);
	memset(buf, '!', sizeof(buf) - 1);
	tv_set_str(c, "x", "y");
	sbuf_init(&out, a, 100);
	assert_int_equal(tmpl_render_t(t, NULL, c, &out), 0);
	assert_string_equal(out.buf, "<p>y</p>");
	arena_free(a);
}

static void test_parse_error_reporting(void **state)
{
	arena *a = arena_new(1 << 20), *tiny = arena_new(256);
	char err[16], big[256];
	(void)state;
	/* A short buffer is truncated and terminated, never overrun. */
	memset(err, 'x', sizeof(err));
	assert_null(tmpl_parse(a, "page", SV("{{#a}}"), err, sizeof(err)));
	assert_int_equal(strlen(err), sizeof(err) - 1);
	assert_memory_equal(err, "page:1: unclosed", 15);
	assert_null(tmpl_parse(a, "page", SV("{{#a}}"), NULL, 0));
	/* An empty template is fine and renders nothing. */
	assert_string_equal(render_str(a, "", tv_map(a)), "");
	/* A full arena is an error, not a crash. */
	assert_null(tmpl_parse(tiny, "page", SV("<p>{{a}}{{b}}{{c}}{{d}}{{e}}{{f}}</p>"), big,
	                       sizeof(big)));
	assert_string_equal(big, "page:1: out of memory");
	/* Errors count lines in text, tags and comments alike. */
	assert_string_equal(parse_err(a, "a\n{{! one\ntwo }}\n<p>\n{{/x}}"),
	                    "test:5: {{/x}} closes no open section");
	arena_free(tiny);
	arena_free(a);
}

static void test_html_edge_cases(void **state)
{
	arena *a = arena_new(1 << 20);
	tval *c = tv_map(a);
	(void)state;
	tv_set_str(c, "x", "<x>");
	/* Text that only looks like markup stays text. */
	assert_string_equal(render_str(a, "1 < 2 {{x}} <", c), "1 < 2 &lt;x&gt; <");
	assert_string_equal(render_str(a, "<!-- <a href=\" -->{{x}}", c),
	                    "<!-- <a href=\" -->&lt;x&gt;");
	assert_string_equal(render_str(a, "<!---->{{x}}<!-->{{x}}", c),
	                    "<!---->&lt;x&gt;<!-->&lt;x&gt;");
	assert_string_equal(render_str(a, "<p title=\"a>b\">{{x}}", c),
	                    "<p title=\"a>b\">&lt;x&gt;");
	assert_string_equal(render_str(a, "<input disabled value=\"{{x}}\">", c),
	                    "<input disabled value=\"&lt;x&gt;\">");
	assert_string_equal(render_str(a, "<input type=text value=\"{{x}}\">", c),
	                    "<input type=text value=\"&lt;x&gt;\">");
	assert_string_equal(render_str(a, "<style>p{}</style><p>{{x}}</p>", c),
	                    "<style>p{}</style><p>&lt;x&gt;</p>");
	assert_string_equal(render_str(a, "<SCRIPT>\"{{x}}\"</SCRIPT>", c),
	                    "<SCRIPT>\"\\u003Cx\\u003E\"</SCRIPT>");
	assert_string_equal(render_str(a, "<td{{#x}} class=\"y\"{{/x}}>", c), "<td class=\"y\">");
	/* A script tag mentioned in a JavaScript string still ends the script. */
	assert_string_equal(render_str(a, "<script>\"</script>{{x}}\"</script>", c),
	                    "<script>\"</script>&lt;x&gt;\"</script>");
	/* The tag name is complete only at a space, '/' or '>'. */
	assert_string_equal(render_str(a, "<scripts>{{x}}</scripts>", c),
	                    "<scripts>&lt;x&gt;</scripts>");
	assert_non_null(parse_err(a, "<p {{x}}>"));
	assert_non_null(parse_err(a, "<p title={{x}}>"));
	assert_null(parse_err(a, "<p title=\"{{x}}\" {{#y}}a=\"1\"{{/y}}>"));
	assert_non_null(parse_err(a, "<a {{#y}}href{{/y}}=\"{{x}}\">"));
	arena_free(a);
}

/* ---- sets and the embedded templates ---- */

static void test_set(void **state)
{
	arena *a = arena_new(1 << 20);
	tmpl_set *set = tmpl_set_new(a);
	tmpl *t = tmpl_parse(a, "t", SV("x"), NULL, 0);
	char name[32];
	(void)state;
	assert_non_null(t);
	for (int i = 0; i < 500; i++) {
		snprintf(name, sizeof(name), "page-%d", i);
		assert_int_equal(tmpl_set_add(set, name, t), 0);
	}
	for (int i = 0; i < 500; i++) {
		snprintf(name, sizeof(name), "page-%d", i);
		assert_ptr_equal(tmpl_set_find(set, name), t);
	}
	assert_int_equal(tmpl_set_add(set, "page-7", t), -1);
	assert_null(tmpl_set_find(set, "page-500"));
	assert_null(tmpl_set_find(set, "page"));
	assert_null(tmpl_set_find(NULL, "page-1"));
	assert_int_equal(tmpl_set_add(set, "x", NULL), -1);
	arena_free(a);
}

static void test_embedded_templates_parse(void **state)
{
	arena *a = arena_new(1 << 20);
	sbuf out;
	(void)state;
	/* Every file in templates/ must parse, and every partial it names must exist. */
	assert_int_equal(tmpl_init(), 0);
	sbuf_init(&out, a, 1024);
	assert_int_equal(tmpl_render("no-such-template", tv_map(a), &out), -1);
	/* Calling it again rebuilds the set rather than leaking or failing. */
	assert_int_equal(tmpl_init(), 0);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_text_and_attribute_escaping),
		cmocka_unit_test(test_url_contexts),
		cmocka_unit_test(test_script_json),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_bools_and_ints),
		cmocka_unit_test(test_failed_values_fail_render),
		cmocka_unit_test(test_output_limit),
		cmocka_unit_test(test_section_depth),
		cmocka_unit_test(test_partial_depth),
		cmocka_unit_test(test_partials_missing_or_recursive),
		cmocka_unit_test(test_step_budget),
		cmocka_unit_test(test_step_budget_counts_nodes),
		cmocka_unit_test(test_parse_copies_source),
		cmocka_unit_test(test_parse_error_reporting),
		cmocka_unit_test(test_html_edge_cases),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_embedded_templates_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
