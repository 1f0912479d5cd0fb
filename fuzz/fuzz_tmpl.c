/* fuzz_tmpl.c: any input either fails to parse with a "fuzz:LINE: message", or renders
 * against a fixed context without crashing, leaking or running away; and unless the
 * template asks for raw output, no '<' or '"' from a value ever reaches the page as is. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl/tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_OUT   (64 * 1024)
#define FUZZ_MAX_STEPS 100000

/* String values carry '<' and '"' followed by the byte F7, which escaping must keep
 * apart. F7 never starts a value, so a template's own '<' or '"' cannot be followed by it
 * unless the template itself holds the byte. */
static tval *context(arena *a)
{
	tval *c = tv_map(a), *l = tv_list(a), *ml = tv_list(a), *m = tv_map(a);
	tval *m2 = tv_map(a);
	const char *evil = "<\xf7"
	                   "evil>\"\xf7q'&</script><!--\xe2\x80\xa8";

	tv_set_str(c, "s", evil);
	tv_set_str(c, "u", "javascript:alert(\"\xf7q\")<\xf7u>");
	tv_set_str(c, "e", "");
	tv_set_int(c, "n", -42); /* starts with '-', never F7 */
	tv_set_int(c, "z", 0);
	tv_set_bool(c, "b", true);
	tv_set_bool(c, "f", false);
	tv_push(l, tv_str(a, evil));
	tv_push(l, tv_str(a, "two"));
	tv_push(l, tv_int(a, 3));
	tv_set(c, "l", l);
	tv_set(c, "el", tv_list(a));
	tv_set_str(m, "s", "<\xf7m>");
	tv_set_int(m, "n", 7);
	tv_set(m, "l", l);
	tv_set(c, "m", m);
	tv_set_str(m2, "s", "\"\xf7m2");
	tv_set_bool(m2, "b", false);
	tv_push(ml, m);
	tv_push(ml, m2);
	tv_set(c, "ml", ml);
	return c;
}

static bool contains(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(hay + i, needle, k) == 0)
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena *a = arena_new(32 * size + (1 << 20));
	sv src = {(const char *)data, size};
	char err[256];
	tmpl_set *set;
	tmpl *t, *p;
	sbuf out;
	int rc;

	if (!a)
		return 0;
	t = tmpl_parse(a, "fuzz", src, err, sizeof(err));
	if (!t) {
		/* A refusal always says where, and always fits. */
		if (strncmp(err, "fuzz:", 5) != 0 || memchr(err, '\0', sizeof(err)) == NULL)
			abort();
		arena_free(a);
		return 0;
	}
	set = tmpl_set_new(a);
	p = tmpl_parse(a, "p", SV("<b title=\"{{s}}\">{{s}}{{#l}}{{.}}{{/l}}</b>"), err,
	               sizeof(err));
	if (!set || !p || tmpl_set_add(set, "fuzz", t) != 0 || tmpl_set_add(set, "p", p) != 0)
		abort();

	sbuf_init(&out, a, FUZZ_MAX_OUT);
	rc = tmpl_render_limit(t, set, context(a), &out, FUZZ_MAX_STEPS);
	if (out.len > FUZZ_MAX_OUT || out.buf[out.len] != '\0' || (rc == 0 && out.err))
		abort();
	/* The template's own text may hold anything; values may not break out. */
	if (!contains(src.ptr, src.len, "{{{") && !memchr(src.ptr, 0xf7, src.len) &&
	    (contains(out.buf, out.len, "<\xf7") || contains(out.buf, out.len, "\"\xf7")))
		abort();
	arena_free(a);
	return 0;
}
