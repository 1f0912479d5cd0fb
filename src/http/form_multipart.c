/* form_multipart.c: the streaming multipart/form-data parser (RFC 7578); see form.h.
 *
 * The body is fed in whatever chunks the connection delivers, so every state below can
 * stop after any byte and carry on with the next chunk. Only the current part's headers
 * (at most MULTIPART_MAX_HEADER bytes) and the values themselves are kept; the chunks are
 * not. The delimiter is "\r\n--" followed by the boundary, and the boundary may not hold a
 * CR (RFC 2046 bchars, checked in multipart_new), so a CR is the only byte at which a
 * delimiter can start: a partial match that fails is content, and the failing byte starts
 * a new match only if it is itself a CR. No backtracking and no copy of the chunk needed.
 */
#include "http/form.h"

#include <string.h>

#define BOUNDARY_MAX 70 /* RFC 2046 */

enum state {
	S_PREAMBLE,   /* before the first delimiter: dropped */
	S_DELIM_END,  /* just after a delimiter: "--" closes, else padding and CRLF */
	S_CLOSE_DASH, /* seen the first '-' of the closing "--" */
	S_PADDING,    /* spaces or tabs after a delimiter, before its CRLF */
	S_PADDING_LF, /* seen the CR after a delimiter */
	S_HEADERS,    /* a part's header lines, up to the blank line */
	S_DATA,       /* a part's content, up to the next delimiter */
	S_EPILOGUE,   /* after the closing delimiter: dropped */
	S_FINISHED,   /* multipart_finish has handed everything over */
};

struct multipart {
	arena *a;
	char *delim; /* "\r\n--" boundary */
	size_t dlen;
	size_t match; /* bytes of delim matched so far, not yet known to be content */
	enum state st;
	int err;
	size_t nparts;

	char hdr[MULTIPART_MAX_HEADER];
	size_t hlen;

	/* The part being read. */
	sv name, filename, ctype;
	bool is_file;
	sbuf body;

	kvlist fields;
	struct upload *files, **tail;
};

static bool is_bchar(char c)
{
	if (c >= '0' && c <= '9')
		return true;
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
		return true;
	return c && memchr("'()+_,-./:=? ", c, 13) != NULL;
}

static bool is_token_char(char c)
{
	if (c >= '0' && c <= '9')
		return true;
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
		return true;
	return c && memchr("!#$%&'*+-.^_`|~", c, 15) != NULL;
}

static sv skip_ows(sv s)
{
	while (s.len && (s.ptr[0] == ' ' || s.ptr[0] == '\t')) {
		s.ptr++;
		s.len--;
	}
	return s;
}

/* Copies the quoted-string at the start of *S (opening quote included) into the arena
 * without its quotes and advances *S past it. A backslash escapes only a quote or another
 * backslash: old Windows browsers send paths such as "C:\docs\a.txt" unescaped, and those
 * backslashes must survive. */
static int unquote(arena *a, sv *s, sv *out)
{
	char *buf = arena_alloc(a, s->len);
	size_t i, n = 0;

	if (!buf)
		return FORM_ENOMEM;
	for (i = 1; i < s->len; i++) {
		char c = s->ptr[i];
		if (c == '"') {
			buf[n] = '\0';
			*out = (sv){buf, n};
			s->ptr += i + 1;
			s->len -= i + 1;
			return 0;
		}
		if (c == '\\' && i + 1 < s->len && (s->ptr[i + 1] == '"' || s->ptr[i + 1] == '\\'))
			c = s->ptr[++i];
		buf[n++] = c;
	}
	return FORM_EBAD; /* no closing quote */
}

/* Reads the next "; name=value" parameter of a header value from *S. Returns 1 with NAME
 * and VALUE set, 0 when there are no more, or an error. Unquoted values run to the next
 * ';' (clients send boundaries with '=' in them unquoted). */
static int param_next(arena *a, sv *s, sv *name, sv *value)
{
	size_t i;

	*s = skip_ows(*s);
	if (s->len == 0)
		return 0;
	if (s->ptr[0] != ';')
		return FORM_EBAD;
	*s = skip_ows((sv){s->ptr + 1, s->len - 1});
	if (s->len == 0)
		return 0; /* a trailing ';' */
	for (i = 0; i < s->len && is_token_char(s->ptr[i]); i++)
		;
	if (i == 0)
		return FORM_EBAD;
	*name = (sv){s->ptr, i};
	*s = skip_ows((sv){s->ptr + i, s->len - i});
	if (s->len == 0 || s->ptr[0] != '=')
		return FORM_EBAD;
	*s = skip_ows((sv){s->ptr + 1, s->len - 1});
	if (s->len && s->ptr[0] == '"') {
		int rc = unquote(a, s, value);
		return rc ? rc : 1;
	}
	*value = sv_trim(sv_cut(*s, ';', NULL));
	s->ptr += value->len;
	s->len -= value->len;
	value->ptr = sv_dup(a, *value);
	return value->ptr ? 1 : FORM_ENOMEM;
}

/* Splits a header value such as "form-data; name=x" into its type and, in *PARAMS, the
 * parameters from the first ';' on (empty when there are none), ready for param_next. */
static sv split_type(sv v, sv *params)
{
	sv rest, type = sv_trim(sv_cut(v, ';', &rest));
	*params = rest.ptr ? (sv){rest.ptr - 1, rest.len + 1} : (sv){"", 0};
	return type;
}

multipart *multipart_new(arena *a, sv content_type)
{
	sv params, type, name, value, boundary = SV_NULL;
	multipart *m;
	int rc;

	type = split_type(content_type, &params);
	if (!sv_eq_icase(type, SV("multipart/form-data")))
		return NULL;
	while ((rc = param_next(a, &params, &name, &value)) == 1) {
		if (!sv_eq_icase(name, SV("boundary")))
			continue;
		if (boundary.ptr)
			return NULL; /* two boundaries: which one a proxy saw is anyone's guess */
		boundary = value;
	}
	if (rc || !boundary.ptr || boundary.len == 0 || boundary.len > BOUNDARY_MAX ||
	    boundary.ptr[boundary.len - 1] == ' ')
		return NULL;
	for (size_t i = 0; i < boundary.len; i++)
		if (!is_bchar(boundary.ptr[i]))
			return NULL;

	m = arena_calloc(a, 1, sizeof(*m));
	if (!m)
		return NULL;
	m->a = a;
	m->dlen = 4 + boundary.len;
	m->delim = arena_alloc(a, m->dlen);
	if (!m->delim)
		return NULL;
	memcpy(m->delim, "\r\n--", 4);
	memcpy(m->delim + 4, boundary.ptr, boundary.len);
	/* The first delimiter may open the body with no CRLF before it: start as if a CRLF
	 * had been seen. */
	m->match = 2;
	m->st = S_PREAMBLE;
	m->tail = &m->files;
	return m;
}

/* Keeps the part after the last '/' or '\\': browsers send a bare name, but some old
 * ones sent the whole path on the user's computer, which is none of our business. */
static sv basename_of(sv s)
{
	size_t i = s.len;
	while (i > 0 && s.ptr[i - 1] != '/' && s.ptr[i - 1] != '\\')
		i--;
	return (sv){s.ptr + i, s.len - i};
}

static int fail(multipart *m, int rc)
{
	if (rc && !m->err)
		m->err = rc;
	return m->err;
}

static bool is_token(sv s)
{
	if (s.len == 0)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if (!is_token_char(s.ptr[i]))
			return false;
	return true;
}

static int parse_disposition(multipart *m, sv v)
{
	sv params, name, value;
	bool have_name = false;
	int rc;

	if (!sv_eq_icase(split_type(v, &params), SV("form-data")))
		return FORM_EBAD;
	/* A repeated name or filename is refused: which one counts would be a guess. */
	while ((rc = param_next(m->a, &params, &name, &value)) == 1) {
		if (sv_eq_icase(name, SV("name"))) {
			if (have_name)
				return FORM_EBAD;
			have_name = true;
			m->name = value;
		} else if (sv_eq_icase(name, SV("filename"))) {
			if (m->is_file)
				return FORM_EBAD;
			m->is_file = true;
			m->filename = value;
		}
	}
	if (rc)
		return rc;
	if (!have_name)
		return FORM_EBAD;
	return m->name.len > FORM_MAX_NAME ? FORM_ETOOBIG : 0;
}

/* Parses the header lines in m->hdr, which end with the blank line's CRLF. Each line must
 * end in CRLF; a lone CR or LF, a NUL, or a folded line is malformed. */
static int parse_headers(multipart *m)
{
	sv rest = {m->hdr, m->hlen - 2}, line, hname, hval;
	bool have_disposition = false;
	int rc;

	m->name = m->filename = m->ctype = SV_NULL;
	m->is_file = false;
	while (rest.len) {
		const char *cr = memchr(rest.ptr, '\r', rest.len);
		size_t n;

		if (!cr || (size_t)(cr - rest.ptr) + 1 >= rest.len || cr[1] != '\n')
			return FORM_EBAD;
		n = (size_t)(cr - rest.ptr);
		line = (sv){rest.ptr, n};
		rest = (sv){cr + 2, rest.len - n - 2};
		if (n && (memchr(line.ptr, '\n', n) || memchr(line.ptr, '\0', n)))
			return FORM_EBAD;
		hname = sv_cut(line, ':', &hval);
		if (!hval.ptr || !is_token(hname))
			return FORM_EBAD;
		hval = sv_trim(hval);
		if (sv_eq_icase(hname, SV("Content-Disposition"))) {
			if (have_disposition)
				return FORM_EBAD;
			have_disposition = true;
			rc = parse_disposition(m, hval);
			if (rc)
				return rc;
		} else if (sv_eq_icase(hname, SV("Content-Type"))) {
			if (m->ctype.ptr)
				return FORM_EBAD;
			m->ctype.ptr = sv_dup(m->a, hval);
			m->ctype.len = hval.len;
			if (!m->ctype.ptr)
				return FORM_ENOMEM;
		}
	}
	return have_disposition ? 0 : FORM_EBAD;
}

/* Hands the part just read over to the field list or the file list. */
static int end_part(multipart *m)
{
	sv data = sbuf_sv(&m->body);
	struct upload *u;

	if (!m->is_file) {
		if (data.len && memchr(data.ptr, '\0', data.len))
			return FORM_EBAD;
		return kv_add(m->a, &m->fields, m->name, data) ? FORM_ENOMEM : 0;
	}
	/* A file input left empty still sends a part, with filename="" and no content. */
	if (m->filename.len == 0 && data.len == 0)
		return 0;
	u = arena_calloc(m->a, 1, sizeof(*u));
	if (!u)
		return FORM_ENOMEM;
	u->field = m->name;
	u->filename = basename_of(m->filename);
	/* RFC 7578 4.4: a part without a Content-Type is text/plain. */
	u->content_type = m->ctype.ptr ? m->ctype : SV("text/plain");
	u->data = data;
	*m->tail = u;
	m->tail = &u->next;
	return 0;
}

/* Looks for the delimiter in P, keeping what comes before it as the part's content (or
 * dropping it, in the preamble). Returns the bytes used; stops just after a delimiter. */
static size_t scan(multipart *m, const char *p, size_t len)
{
	bool keep = m->st == S_DATA, found = false;
	size_t i = 0;

	while (i < len) {
		if (m->match == 0) {
			const char *cr = memchr(p + i, '\r', len - i);
			size_t n = cr ? (size_t)(cr - p) - i : len - i;
			if (keep)
				sbuf_add(&m->body, p + i, n);
			i += n;
			if (!cr)
				break;
			m->match = 1;
			i++;
		} else if (p[i] == m->delim[m->match]) {
			i++;
			if (++m->match == m->dlen) {
				found = true;
				break;
			}
		} else {
			/* Not a delimiter after all: what matched was content. The byte that
			 * broke the match is looked at again with no match under way. */
			if (keep)
				sbuf_add(&m->body, m->delim, m->match);
			m->match = 0;
		}
	}
	if (keep && m->body.err) {
		fail(m, m->body.err == SBUF_ERR_TOOBIG ? FORM_ETOOBIG : FORM_ENOMEM);
		return i;
	}
	if (found) {
		m->match = 0;
		m->hlen = 0;
		if (keep && fail(m, end_part(m)))
			return i;
		m->st = S_DELIM_END;
	}
	return i;
}

/* One byte of what follows a delimiter: "--" for the last one, else optional spaces or
 * tabs and a CRLF before the next part's headers. */
static void after_delim(multipart *m, char c)
{
	switch (m->st) {
	case S_DELIM_END:
		if (c == '-') {
			m->st = S_CLOSE_DASH;
		} else if (c == ' ' || c == '\t') {
			m->st = S_PADDING;
			m->hlen = 1;
		} else if (c == '\r') {
			m->st = S_PADDING_LF;
		} else {
			fail(m, FORM_EBAD);
		}
		break;
	case S_CLOSE_DASH:
		if (c == '-')
			m->st = S_EPILOGUE;
		else
			fail(m, FORM_EBAD);
		break;
	case S_PADDING:
		if (c == '\r')
			m->st = S_PADDING_LF;
		else if (c != ' ' && c != '\t')
			fail(m, FORM_EBAD);
		else if (++m->hlen > MULTIPART_MAX_HEADER)
			fail(m, FORM_ETOOBIG);
		break;
	case S_PADDING_LF:
		if (c != '\n') {
			fail(m, FORM_EBAD);
			break;
		}
		if (++m->nparts > MULTIPART_MAX_PARTS) {
			fail(m, FORM_ETOOBIG);
			break;
		}
		m->hlen = 0;
		m->st = S_HEADERS;
		break;
	default:
		fail(m, FORM_EBAD); /* not reached: multipart_feed sends the rest elsewhere */
		break;
	}
}

static bool headers_done(const multipart *m)
{
	if (m->hlen == 2)
		return memcmp(m->hdr, "\r\n", 2) == 0;
	return m->hlen >= 4 && memcmp(m->hdr + m->hlen - 4, "\r\n\r\n", 4) == 0;
}

/* Collects a part's header bytes up to the blank line, then parses them. */
static size_t read_headers(multipart *m, const char *p, size_t len)
{
	size_t i = 0;

	while (i < len) {
		char c = p[i++];
		if (m->hlen == sizeof(m->hdr)) {
			fail(m, FORM_ETOOBIG);
			return i;
		}
		m->hdr[m->hlen++] = c;
		if (c == '\n' && headers_done(m)) {
			if (fail(m, parse_headers(m)))
				return i;
			sbuf_init(&m->body, m->a,
			          m->is_file ? MULTIPART_MAX_FILE : MULTIPART_MAX_FIELD);
			m->match = 0;
			m->st = S_DATA;
			return i;
		}
	}
	return i;
}

int multipart_feed(multipart *m, const char *data, size_t len)
{
	size_t i = 0;

	if (m->st == S_FINISHED)
		return fail(m, FORM_EBAD);
	while (i < len && !m->err) {
		switch (m->st) {
		case S_PREAMBLE:
		case S_DATA:
			i += scan(m, data + i, len - i);
			break;
		case S_HEADERS:
			i += read_headers(m, data + i, len - i);
			break;
		case S_EPILOGUE:
			i = len; /* after the closing delimiter: ignored, as RFC 2046 says */
			break;
		default:
			after_delim(m, data[i++]);
			break;
		}
	}
	return m->err;
}

int multipart_finish(multipart *m, kvlist *fields, struct upload **files)
{
	size_t start_n = fields->n;

	*files = NULL;
	if (m->err)
		return m->err;
	/* Without the closing delimiter the body was cut short: a half-sent file must not
	 * pass for a whole one. */
	if (m->st != S_EPILOGUE)
		return fail(m, FORM_EBAD);
	for (size_t i = 0; i < m->fields.n; i++) {
		if (kv_add(m->a, fields, m->fields.items[i].key, m->fields.items[i].val)) {
			fields->n = start_n;
			return fail(m, FORM_ENOMEM);
		}
	}
	*files = m->files;
	m->st = S_FINISHED;
	return 0;
}
