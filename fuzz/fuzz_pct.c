/* fuzz_pct.c: percent-decoding never reads past its input, never lets a NUL through, and
 * whatever it accepts comes back unchanged from a full re-encoding. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char hex[] = "0123456789ABCDEF";

static void check(arena *a, sv in, bool plus)
{
	sv out, again;
	sbuf enc;
	int rc = pct_decode(a, in, plus, &out);

	if (rc == FORM_EBAD)
		return;
	if (rc != 0 || out.len > in.len || out.ptr[out.len] != '\0' ||
	    (out.len && memchr(out.ptr, '\0', out.len)))
		abort();
	/* Escape every byte and decode again: the same bytes must come back. */
	sbuf_init(&enc, a, 3 * out.len + 1);
	for (size_t i = 0; i < out.len; i++) {
		unsigned char c = (unsigned char)out.ptr[i];
		char e[3] = {'%', hex[c >> 4], hex[c & 15]};
		sbuf_add(&enc, e, 3);
	}
	if (enc.err || pct_decode(a, sbuf_sv(&enc), plus, &again) != 0 || !sv_eq(out, again))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena *a = arena_new(64 * size + 65536);
	sv in = {(const char *)data, size};

	if (!a)
		return 0;
	check(a, in, false);
	check(a, in, true);
	arena_free(a);
	return 0;
}
