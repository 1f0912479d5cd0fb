/* fuzz_urlencoded.c: query strings and urlencoded bodies: limits hold, every name and value
 * is a clean NUL-terminated string, and a parsed form written out again parses the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char hex[] = "0123456789ABCDEF";

static bool clean(sv s)
{
	return s.ptr && s.ptr[s.len] == '\0' && (s.len == 0 || !memchr(s.ptr, '\0', s.len));
}

static void encode(sbuf *b, sv s)
{
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.ptr[i];
		char e[3] = {'%', hex[c >> 4], hex[c & 15]};
		sbuf_add(b, e, 3);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena *a = arena_new(64 * size + 65536);
	kvlist l = {0}, again = {0};
	sbuf b;
	int rc;

	if (!a)
		return 0;
	rc = form_parse_urlencoded(a, (sv){(const char *)data, size}, &l);
	if (rc != 0) {
		if ((rc != FORM_EBAD && rc != FORM_ETOOBIG) || l.n != 0)
			abort();
		goto out;
	}
	if (l.n > FORM_MAX_FIELDS)
		abort();
	sbuf_init(&b, a, 8 * size + 16);
	for (size_t i = 0; i < l.n; i++) {
		if (!clean(l.items[i].key) || !clean(l.items[i].val) ||
		    l.items[i].key.len > FORM_MAX_NAME)
			abort();
		if (i)
			sbuf_addc(&b, '&');
		encode(&b, l.items[i].key);
		sbuf_addc(&b, '=');
		encode(&b, l.items[i].val);
	}
	if (b.err || form_parse_urlencoded(a, sbuf_sv(&b), &again) != 0 || again.n != l.n)
		abort();
	for (size_t i = 0; i < l.n; i++)
		if (!sv_eq(l.items[i].key, again.items[i].key) ||
		    !sv_eq(l.items[i].val, again.items[i].val))
			abort();
out:
	arena_free(a);
	return 0;
}
