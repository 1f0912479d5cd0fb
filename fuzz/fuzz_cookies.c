/* fuzz_cookies.c: Cookie headers: no cookie past the limit, no name or value a separator
 * could hide in, and the cookies read, written out again, read the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool clean(sv s, const char *forbidden)
{
	if (!s.ptr || s.ptr[s.len] != '\0')
		return false;
	for (size_t i = 0; i < s.len; i++)
		if ((unsigned char)s.ptr[i] < 0x20 || strchr(forbidden, s.ptr[i]))
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena *a = arena_new(16 * size + 65536);
	kvlist l = {0}, again = {0};
	sbuf b;
	int rc;

	if (!a)
		return 0;
	rc = cookies_parse(a, (sv){(const char *)data, size}, &l);
	if (rc != 0) {
		if (rc != FORM_ETOOBIG || l.n != 0)
			abort();
		goto out;
	}
	if (l.n > COOKIE_MAX_COUNT)
		abort();
	sbuf_init(&b, a, 4 * size + 64);
	for (size_t i = 0; i < l.n; i++) {
		if (l.items[i].key.len == 0 || !clean(l.items[i].key, " \t;=\",\\") ||
		    !clean(l.items[i].val, ";\"\\"))
			abort();
		sbuf_addf(&b, "%s" SV_FMT "=\"" SV_FMT "\"", i ? "; " : "", SV_ARG(l.items[i].key),
		          SV_ARG(l.items[i].val));
	}
	if (b.err || cookies_parse(a, sbuf_sv(&b), &again) != 0 || again.n != l.n)
		abort();
	for (size_t i = 0; i < l.n; i++)
		if (!sv_eq(l.items[i].key, again.items[i].key) ||
		    !sv_eq(l.items[i].val, again.items[i].val))
			abort();
out:
	arena_free(a);
	return 0;
}
