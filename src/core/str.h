/* str.h: the one string view (sv) and the one bounded string builder (sbuf).
 *
 * sv is a borrowed {ptr, len}: never owns memory, may not be NUL-terminated.
 *
 * sbuf is git's strbuf with curl's dynbuf limit and SQLite's sticky error: its buf is
 * never NULL and always NUL-terminated; it grows inside an arena up to a hard maximum set
 * at sbuf_init. An append that would pass the maximum (or fail to allocate) sets b->err
 * and leaves the contents as they were; every later append is a no-op. Check b->err once,
 * at the end.
 */
#ifndef CORE_STR_H
#define CORE_STR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

typedef struct {
	const char *ptr;
	size_t len;
} sv;

#define SV(lit) ((sv){(lit), sizeof(lit) - 1})
#define SV_NULL ((sv){NULL, 0})
#define SV_FMT "%.*s"
#define SV_ARG(s) (int)(s).len, (s).ptr

sv sv_from(const char *s); /* NULL gives SV_NULL */
bool sv_eq(sv a, sv b);
bool sv_eq_cstr(sv a, const char *s);
bool sv_eq_icase(sv a, sv b);
bool sv_starts_with(sv s, sv prefix);
sv sv_trim(sv s); /* strips ASCII spaces and tabs at both ends */
/* Splits S at the first C: returns the part before, sets *REST to the part after
 * (SV_NULL with ptr NULL if C is absent, in which case the whole of S is returned). */
sv sv_cut(sv s, char c, sv *rest);
/* Parses a whole decimal integer (optional leading '-') into *OUT. Returns 0, or -1 on
 * empty input, junk or overflow. */
int sv_to_i64(sv s, int64_t *out);
char *sv_dup(arena *a, sv s); /* NUL-terminated arena copy; NULL on failure */

typedef struct {
	char *buf;
	size_t len, cap, max;
	arena *a;
	int err; /* sticky: set when an append failed; contents are then truncated */
} sbuf;

#define SBUF_ERR_TOOBIG 1
#define SBUF_ERR_NOMEM 2

void sbuf_init(sbuf *b, arena *a, size_t max);
void sbuf_add(sbuf *b, const void *data, size_t len);
void sbuf_adds(sbuf *b, const char *s);
void sbuf_addsv(sbuf *b, sv s);
void sbuf_addc(sbuf *b, char c);
void sbuf_addf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_add_i64(sbuf *b, int64_t v);
/* Makes room for N more bytes and returns where they go (or NULL, with err set); the
 * caller writes them and then calls sbuf_commit(b, N). */
char *sbuf_reserve(sbuf *b, size_t n);
void sbuf_commit(sbuf *b, size_t n);
void sbuf_reset(sbuf *b);
static inline sv sbuf_sv(const sbuf *b)
{
	return (sv){b->buf, b->len};
}

#endif
