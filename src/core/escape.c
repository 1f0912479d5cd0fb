/* escape.c: context escaping; see escape.h. */
#include "core/escape.h"

#include <stdbool.h>
#include <string.h>

static const char hex[] = "0123456789ABCDEF";

void esc_html(sbuf *b, sv s)
{
	size_t start = 0;
	for (size_t i = 0; i < s.len; i++) {
		const char *rep;
		switch (s.ptr[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		sbuf_add(b, s.ptr + start, i - start);
		sbuf_adds(b, rep);
		start = i + 1;
	}
	sbuf_add(b, s.ptr + start, s.len - start);
}

static int unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

void esc_url(sbuf *b, sv s)
{
	size_t start = 0;
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.ptr[i];
		char enc[3];
		if (unreserved(c))
			continue;
		sbuf_add(b, s.ptr + start, i - start);
		enc[0] = '%';
		enc[1] = hex[c >> 4];
		enc[2] = hex[c & 15];
		sbuf_add(b, enc, 3);
		start = i + 1;
	}
	sbuf_add(b, s.ptr + start, s.len - start);
}

static int safe_scheme(sv s)
{
	/* Relative URLs have no ':' before the first '/', '?' or '#'. */
	for (size_t i = 0; i < s.len; i++) {
		char c = s.ptr[i];
		if (c == '/' || c == '?' || c == '#')
			return 1;
		if (c == ':') {
			sv scheme = {s.ptr, i};
			return sv_eq_icase(scheme, SV("http")) || sv_eq_icase(scheme, SV("https")) ||
			       sv_eq_icase(scheme, SV("mailto")) || sv_eq_icase(scheme, SV("tel"));
		}
		if ((unsigned char)c < 0x21)
			return 0;
	}
	return 1;
}

void esc_url_attr(sbuf *b, sv s)
{
	if (!safe_scheme(s)) {
		sbuf_addc(b, '#');
		return;
	}
	esc_html(b, s);
}

void esc_json(sbuf *b, sv s)
{
	size_t start = 0;
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.ptr[i];
		char enc[6];
		if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' &&
		    !(c == 0xE2 && i + 2 < s.len && (unsigned char)s.ptr[i + 1] == 0x80 &&
		      ((unsigned char)s.ptr[i + 2] == 0xA8 || (unsigned char)s.ptr[i + 2] == 0xA9)))
			continue;
		sbuf_add(b, s.ptr + start, i - start);
		if (c == 0xE2) {
			sbuf_adds(b, (unsigned char)s.ptr[i + 2] == 0xA8 ? "\\u2028" : "\\u2029");
			i += 2;
		} else {
			enc[0] = '\\';
			enc[1] = 'u';
			enc[2] = '0';
			enc[3] = '0';
			enc[4] = hex[c >> 4];
			enc[5] = hex[c & 15];
			sbuf_add(b, enc, 6);
		}
		start = i + 1;
	}
	sbuf_add(b, s.ptr + start, s.len - start);
}

/* A plain decimal number such as "-2.17" or "+0.6": a spreadsheet reads it as a number
 * and runs nothing, so it needs no guard (and a guard would turn it into text). */
static bool plain_number(sv s)
{
	size_t i = 0, digits = 0;
	if (i < s.len && (s.ptr[i] == '-' || s.ptr[i] == '+'))
		i++;
	for (; i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9'; i++)
		digits++;
	if (i < s.len && s.ptr[i] == '.') {
		size_t frac = 0;
		for (i++; i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9'; i++)
			frac++;
		if (!frac)
			return false;
	}
	return digits > 0 && i == s.len;
}

void esc_csv(sbuf *b, sv s)
{
	/* memchr, not strchr: strchr would also find a leading NUL (the terminator). */
	int formula = s.len && memchr("=+-@\t\r", s.ptr[0], 6) != NULL && !plain_number(s);
	int quote = formula || (s.len && memchr(s.ptr, ',', s.len)) ||
		    (s.len && memchr(s.ptr, '"', s.len)) || (s.len && memchr(s.ptr, '\n', s.len)) ||
		    (s.len && memchr(s.ptr, '\r', s.len));
	size_t start = 0;
	if (!quote) {
		sbuf_add(b, s.ptr, s.len);
		return;
	}
	sbuf_addc(b, '"');
	if (formula)
		sbuf_addc(b, '\'');
	for (size_t i = 0; i < s.len; i++) {
		if (s.ptr[i] != '"')
			continue;
		sbuf_add(b, s.ptr + start, i + 1 - start);
		sbuf_addc(b, '"');
		start = i + 1;
	}
	sbuf_add(b, s.ptr + start, s.len - start);
	sbuf_addc(b, '"');
}
