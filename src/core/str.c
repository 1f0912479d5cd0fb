/* str.c: string view and bounded builder; see str.h. */
#include "core/str.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char empty_buf[1];

sv sv_from(const char *s)
{
	return s ? (sv){s, strlen(s)} : SV_NULL;
}

bool sv_eq(sv a, sv b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

bool sv_eq_cstr(sv a, const char *s)
{
	return sv_eq(a, sv_from(s));
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Compared byte by byte, not with strncasecmp: a view may hold a NUL (which would end
 * strncasecmp's comparison early) and header names fold ASCII only, whatever the locale. */
bool sv_eq_icase(sv a, sv b)
{
	if (a.len != b.len)
		return false;
	for (size_t i = 0; i < a.len; i++)
		if (ascii_lower(a.ptr[i]) != ascii_lower(b.ptr[i]))
			return false;
	return true;
}

bool sv_starts_with(sv s, sv prefix)
{
	return s.len >= prefix.len && (prefix.len == 0 || memcmp(s.ptr, prefix.ptr, prefix.len) == 0);
}

sv sv_trim(sv s)
{
	while (s.len && (s.ptr[0] == ' ' || s.ptr[0] == '\t')) {
		s.ptr++;
		s.len--;
	}
	while (s.len && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t'))
		s.len--;
	return s;
}

sv sv_cut(sv s, char c, sv *rest)
{
	const char *p = s.len ? memchr(s.ptr, c, s.len) : NULL;
	if (!p) {
		if (rest)
			*rest = SV_NULL;
		return s;
	}
	if (rest)
		*rest = (sv){p + 1, s.len - (size_t)(p - s.ptr) - 1};
	return (sv){s.ptr, (size_t)(p - s.ptr)};
}

int sv_to_i64(sv s, int64_t *out)
{
	/* Accumulated unsigned so that INT64_MIN, one more than INT64_MAX, parses too. */
	uint64_t v = 0, limit = INT64_MAX;
	size_t i = 0;
	bool neg = false;
	if (s.len && s.ptr[0] == '-') {
		neg = true;
		limit = (uint64_t)INT64_MAX + 1;
		i = 1;
	}
	if (i == s.len || s.len - i > 19)
		return -1;
	for (; i < s.len; i++) {
		int d = s.ptr[i] - '0';
		if (d < 0 || d > 9)
			return -1;
		if (v > (limit - (uint64_t)d) / 10)
			return -1;
		v = v * 10 + (uint64_t)d;
	}
	if (!neg)
		*out = (int64_t)v;
	else
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	return 0;
}

char *sv_dup(arena *a, sv s)
{
	return arena_strndup(a, s.ptr ? s.ptr : "", s.len);
}

void sbuf_init(sbuf *b, arena *a, size_t max)
{
	b->buf = empty_buf;
	b->len = b->cap = 0;
	b->max = max;
	b->a = a;
	b->err = 0;
}

static int grow(sbuf *b, size_t extra)
{
	size_t want, cap;
	char *nb;
	if (b->err)
		return -1;
	if (extra > b->max || b->len > b->max - extra) {
		b->err = SBUF_ERR_TOOBIG;
		return -1;
	}
	want = b->len + extra;
	if (want < b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap <= want)
		cap *= 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	nb = arena_alloc(b->a, cap);
	if (!nb) {
		b->err = SBUF_ERR_NOMEM;
		return -1;
	}
	memcpy(nb, b->buf, b->len + 1);
	b->buf = nb;
	b->cap = cap;
	return 0;
}

char *sbuf_reserve(sbuf *b, size_t n)
{
	if (grow(b, n) != 0)
		return NULL;
	return b->buf + b->len;
}

void sbuf_commit(sbuf *b, size_t n)
{
	b->len += n;
	b->buf[b->len] = '\0';
}

void sbuf_add(sbuf *b, const void *data, size_t len)
{
	if (len == 0 || grow(b, len) != 0)
		return;
	memcpy(b->buf + b->len, data, len);
	sbuf_commit(b, len);
}

void sbuf_adds(sbuf *b, const char *s)
{
	sbuf_add(b, s, strlen(s));
}

void sbuf_addsv(sbuf *b, sv s)
{
	sbuf_add(b, s.ptr, s.len);
}

void sbuf_addc(sbuf *b, char c)
{
	sbuf_add(b, &c, 1);
}

void sbuf_addf(sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->err = SBUF_ERR_NOMEM;
		return;
	}
	/* reserve(n) already leaves room for the NUL that vsnprintf writes. */
	p = sbuf_reserve(b, (size_t)n);
	if (!p)
		return;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sbuf_commit(b, (size_t)n);
}

void sbuf_add_i64(sbuf *b, int64_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	sbuf_add(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

void sbuf_reset(sbuf *b)
{
	b->len = 0;
	b->err = 0;
	if (b->cap)
		b->buf[0] = '\0';
}
