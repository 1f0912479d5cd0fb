/* money.c: parsing and showing amounts of money in pence; see money.h. */
#include "core/money.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int money_parse(sv s, int64_t max_pence, int64_t *pence)
{
	int64_t pounds = 0, p = 0;
	size_t i = 0, group = 0, ndigits = 0;
	bool commas = false;

	s = sv_trim(s);
	if (s.len >= 2 && (unsigned char)s.ptr[0] == 0xC2 && (unsigned char)s.ptr[1] == 0xA3) {
		s.ptr += 2; /* "£" in UTF-8 */
		s.len -= 2;
	}
	if (!s.len || !is_digit(s.ptr[0]))
		return -1;
	/* Whole pounds: digits, optionally in thousands separated by commas. */
	for (; i < s.len && s.ptr[i] != '.'; i++) {
		char c = s.ptr[i];
		if (c == ',') {
			/* the first group has 1 to 3 digits, every later one exactly 3 */
			if ((commas && group != 3) || (!commas && (group < 1 || group > 3)))
				return -1;
			commas = true;
			group = 0;
			continue;
		}
		if (!is_digit(c) || ++ndigits > 15)
			return -1;
		pounds = pounds * 10 + (c - '0');
		group++;
	}
	if (commas && group != 3)
		return -1;
	if (i < s.len) {
		size_t decimals = s.len - i - 1;
		if (decimals < 1 || decimals > 2)
			return -1;
		for (size_t k = i + 1; k < s.len; k++) {
			if (!is_digit(s.ptr[k]))
				return -1;
			p = p * 10 + (s.ptr[k] - '0');
		}
		if (decimals == 1)
			p *= 10;
	}
	if (pounds > max_pence / 100 || pounds * 100 + p > max_pence)
		return -1;
	*pence = pounds * 100 + p;
	return 0;
}

void money_format(sbuf *b, int64_t pence)
{
	char digits[32];
	uint64_t u = pence < 0 ? (uint64_t)0 - (uint64_t)pence : (uint64_t)pence;
	int n = snprintf(digits, sizeof(digits), "%" PRIu64, u / 100);
	if (pence < 0)
		sbuf_addc(b, '-');
	sbuf_adds(b, "\xC2\xA3");
	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			sbuf_addc(b, ',');
		sbuf_addc(b, digits[i]);
	}
	if (u % 100)
		sbuf_addf(b, ".%02d", (int)(u % 100));
}

void money_format_plain(sbuf *b, int64_t pence)
{
	uint64_t u = pence < 0 ? (uint64_t)0 - (uint64_t)pence : (uint64_t)pence;
	sbuf_addf(b, "%s%" PRIu64 ".%02d", pence < 0 ? "-" : "", u / 100, (int)(u % 100));
}

char *money_text(arena *a, int64_t pence)
{
	sbuf b;
	sbuf_init(&b, a, 64);
	money_format(&b, pence);
	return b.err ? arena_strdup(a, "") : b.buf;
}
