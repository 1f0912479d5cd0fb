/* fuzz_ics.c: any text written as an iCalendar TEXT line comes out as lines that end in
 * CRLF, are at most 75 octets and never split a UTF-8 character; and unfolding and
 * unescaping them gives back the text, less the control characters TEXT cannot hold. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "domain/ics.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_IN (16 * 1024)

static int is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena *a;
	sbuf b, back, want;
	size_t i, line_start = 0;

	if (size > FUZZ_MAX_IN)
		return 0;
	a = arena_new(4 * 1024 * 1024);
	if (!a)
		abort();
	sbuf_init(&b, a, 1024 * 1024);
	ics_text_line(&b, "DESCRIPTION", (sv){(const char *)data, size});
	if (b.err)
		abort();

	/* Every line: CRLF at the end, no CR or LF inside, at most 75 octets, and a fold
	 * never leaves a continuation byte first on the next line (for UTF-8 input). */
	sbuf_init(&back, a, 1024 * 1024);
	for (i = 0; i < b.len; i++) {
		if (b.buf[i] == '\r') {
			size_t content = line_start + (line_start ? 1 : 0), end = i;
			if (i + 1 >= b.len || b.buf[i + 1] != '\n')
				abort();
			if (i - line_start > ICS_LINE_OCTETS)
				abort();
			i++;
			line_start = i + 1;
			if (line_start < b.len) {
				if (b.buf[line_start] != ' ')
					abort();
				/* A continuation byte may start the next line only when the fold
				 * could not move back (input that is not UTF-8): the line before
				 * was continuation bytes after its first. */
				if (line_start + 1 < b.len &&
				    is_cont((unsigned char)b.buf[line_start + 1]))
					for (size_t k = content + 1; k < end; k++)
						if (!is_cont((unsigned char)b.buf[k]))
							abort();
				i++; /* skip the fold's space */
			}
			continue;
		}
		if (b.buf[i] == '\n')
			abort();
		sbuf_addc(&back, b.buf[i]);
	}
	if (line_start != b.len)
		abort();

	/* Unescape and compare with the input less control characters. */
	if (back.len < 12 || memcmp(back.buf, "DESCRIPTION:", 12) != 0)
		abort();
	sbuf_init(&want, a, 1024 * 1024);
	for (i = 0; i < size; i++) {
		unsigned char c = data[i];
		if (c == '\n' || (c >= 0x20 && c != 0x7f))
			sbuf_addc(&want, (char)c);
	}
	{
		size_t k = 0;
		for (i = 12; i < back.len; i++) {
			char c = back.buf[i];
			if (c == '\\') {
				char n = ++i < back.len ? back.buf[i] : 0;
				c = n == 'n' ? '\n' : n;
				if (n != 'n' && n != '\\' && n != ';' && n != ',')
					abort();
			} else if (c == ';' || c == ',') {
				abort(); /* must have been escaped */
			}
			if (k >= want.len || want.buf[k++] != c)
				abort();
		}
		if (k != want.len)
			abort();
	}
	arena_free(a);
	return 0;
}
