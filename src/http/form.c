/* form.c: percent-decoding, query strings and urlencoded bodies, Cookie headers; see form.h.
 *
 * Written here rather than taken from a library: libmicrohttpd's post processor hands
 * values over in pieces through callbacks and has no limits of ours, and none of the
 * Debian-packaged URL libraries parse form bodies or Cookie headers. These are small
 * loops over a view, fuzzed in fuzz/.
 *
 * Every name and value handed back is NUL-terminated as well as being an sv, so a
 * value can go straight to SQLite or a C library; that is also why a decoded or raw NUL
 * byte is refused rather than let through to cut a string short later.
 */
#include "http/form.h"

#include <string.h>

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int pct_decode(arena *a, sv in, bool plus_is_space, sv *out)
{
	size_t i, n = 0;
	char *buf;

	if (in.len >= (size_t)-1)
		return FORM_ENOMEM;
	buf = arena_alloc(a, in.len + 1);
	if (!buf)
		return FORM_ENOMEM;
	for (i = 0; i < in.len; i++) {
		char c = in.ptr[i];
		if (c == '%') {
			int hi, lo;
			if (in.len - i < 3)
				return FORM_EBAD;
			hi = hexval(in.ptr[i + 1]);
			lo = hexval(in.ptr[i + 2]);
			if (hi < 0 || lo < 0)
				return FORM_EBAD;
			c = (char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus_is_space) {
			c = ' ';
		}
		if (c == '\0')
			return FORM_EBAD;
		buf[n++] = c;
	}
	buf[n] = '\0';
	*out = (sv){buf, n};
	return 0;
}

/* Decodes one "name=value" pair and appends it to OUT. */
static int add_pair(arena *a, sv pair, kvlist *out)
{
	sv name, value, rest;
	int rc;

	name = sv_cut(pair, '=', &rest);
	/* A name of more than three times the limit cannot decode to within it; refusing it
	 * here saves decoding a long run of junk. */
	if (name.len > 3 * (size_t)FORM_MAX_NAME)
		return FORM_ETOOBIG;
	rc = pct_decode(a, name, true, &name);
	if (rc)
		return rc;
	if (name.len > FORM_MAX_NAME)
		return FORM_ETOOBIG;
	rc = pct_decode(a, rest, true, &value);
	if (rc)
		return rc;
	return kv_add(a, out, name, value) ? FORM_ENOMEM : 0;
}

int form_parse_urlencoded(arena *a, sv body, kvlist *out)
{
	size_t start_n = out->n, count = 0;
	sv rest = body;
	int rc = 0;

	while (rest.ptr) {
		sv pair = sv_cut(rest, '&', &rest);
		if (pair.len == 0)
			continue;
		if (++count > FORM_MAX_FIELDS) {
			rc = FORM_ETOOBIG;
			goto out;
		}
		rc = add_pair(a, pair, out);
		if (rc)
			goto out;
	}
out:
	/* A form that fails is refused whole: leave no half of it behind. */
	if (rc)
		out->n = start_n;
	return rc;
}

/* RFC 7230 tchar: what a cookie name may be made of. */
static bool is_token_char(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return true;
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
		return true;
	return c && memchr("!#$%&'*+-.^_`|~", c, 15) != NULL;
}

static bool is_token(sv s)
{
	if (s.len == 0)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if (!is_token_char((unsigned char)s.ptr[i]))
			return false;
	return true;
}

/* What a cookie value may hold once its quotes are gone. RFC 6265's cookie-octet, widened
 * to spaces and commas inside the value as browsers let scripts set them (the same rule as
 * Go's net/http). Bytes outside ASCII are refused: our own cookies never have them. */
static bool is_cookie_value(sv s)
{
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.ptr[i];
		if (c < 0x20 || c >= 0x7f || c == '"' || c == ';' || c == '\\')
			return false;
	}
	return true;
}

int cookies_parse(arena *a, sv header, kvlist *out)
{
	size_t start_n = out->n, count = 0;
	char *copy;
	sv rest;
	int rc = 0;

	copy = sv_dup(a, header);
	if (!copy)
		return FORM_ENOMEM;
	rest = (sv){copy, header.len};
	while (rest.ptr) {
		sv pair = sv_trim(sv_cut(rest, ';', &rest)), name, value;

		name = sv_cut(pair, '=', &value);
		if (!value.ptr)
			continue;
		name = sv_trim(name);
		value = sv_trim(value);
		if (value.len >= 2 && value.ptr[0] == '"' && value.ptr[value.len - 1] == '"') {
			value.ptr++;
			value.len -= 2;
		}
		if (!is_token(name) || !is_cookie_value(value))
			continue;
		if (++count > COOKIE_MAX_COUNT) {
			rc = FORM_ETOOBIG;
			goto out;
		}
		/* The byte after each view is a separator, a space or a quote in our own copy,
		 * and everything after it has been cut off already: end the strings there. */
		copy[name.ptr - copy + name.len] = '\0';
		copy[value.ptr - copy + value.len] = '\0';
		if (kv_add(a, out, name, value)) {
			rc = FORM_ENOMEM;
			goto out;
		}
	}
out:
	if (rc)
		out->n = start_n;
	return rc;
}
