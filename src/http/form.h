/* form.h: parsers for what a browser sends: percent-encoding, query strings and
 * application/x-www-form-urlencoded bodies, Cookie headers, and multipart/form-data
 * bodies fed in chunks as they arrive. All results are views into arena memory; nothing
 * here knows about routes or pages. Every limit is a named constant below, and input
 * past a limit is an error, never a silent truncation.
 *
 * Return convention: 0 on success; FORM_EBAD for malformed input (the server answers
 * 400); FORM_ETOOBIG for input past a limit (413); FORM_ENOMEM when the arena is full.
 */
#ifndef HTTP_FORM_H
#define HTTP_FORM_H
#include <stdbool.h>

#include "core/kv.h"
#include "core/str.h"

enum {
	FORM_EBAD = -1,
	FORM_ETOOBIG = -2,
	FORM_ENOMEM = -3,
};

#define FORM_MAX_FIELDS 256          /* fields in one form or query string */
#define FORM_MAX_NAME 128            /* bytes in a field name */
#define COOKIE_MAX_COUNT 32
#define MULTIPART_MAX_PARTS 64
#define MULTIPART_MAX_HEADER 1024    /* bytes of headers in one part */
#define MULTIPART_MAX_FIELD (64 * 1024) /* a non-file field's value */
#define MULTIPART_MAX_FILE (8 * 1024 * 1024)

/* Decodes %XX escapes (and '+' as space when PLUS_IS_SPACE) in IN into arena memory.
 * Malformed escapes and a decoded NUL are FORM_EBAD. The result is NUL-terminated. */
int pct_decode(arena *a, sv in, bool plus_is_space, sv *out);

/* Parses "a=1&b=two+words&c" (query strings and urlencoded bodies) into OUT, decoding
 * names and values. Empty pairs ("&&") are skipped; a name with no '=' has value "". */
int form_parse_urlencoded(arena *a, sv body, kvlist *out);

/* Parses a Cookie header "a=1; b=2" into OUT (values not decoded, surrounding quotes
 * removed). Malformed pairs are skipped, as browsers do. */
int cookies_parse(arena *a, sv header, kvlist *out);

/* One uploaded file. */
struct upload {
	sv field, filename, content_type, data;
	struct upload *next;
};

typedef struct multipart multipart;

/* Starts a streaming parser for CONTENT_TYPE ("multipart/form-data; boundary=..."). NULL
 * if the type or boundary is malformed (answer 400) or the arena is full. */
multipart *multipart_new(arena *a, sv content_type);
/* Feeds the next LEN bytes of the body. Returns 0 or an error code; after an error every
 * later call returns the same error. */
int multipart_feed(multipart *m, const char *data, size_t len);
/* Call after the last chunk: checks the closing boundary was seen, then hands over the
 * plain fields (appended to FIELDS, values decoded as UTF-8 text as sent) and the files. */
int multipart_finish(multipart *m, kvlist *fields, struct upload **files);

#endif
