/* tmpl.c: the template engine: parses each template once into a flat list of nodes,
 * deciding from the HTML around every {{value}} how it must be escaped, and renders
 * those nodes against tval contexts; see tmpl.h.
 *
 * Written here rather than taken from a library because no packaged C Mustache library
 * decides escaping from the HTML context when a template is parsed, and that decision
 * is what keeps residents' words from becoming someone else's script.
 *
 * The HTML tracking is a small tokenizer after the WHATWG one: text, tags, attribute
 * names and values (by quote kind), comments, and the raw-text elements script, style,
 * textarea and title. Inside <script> it also follows JavaScript strings and comments,
 * so that a value is accepted only inside a double-quoted string, where esc_json is
 * enough. It does not recognise regular expression literals: a quote inside a /regex/
 * in a template's own script would confuse it, so templates must not contain one.
 *
 * Sections do not change the HTML around them: each must close in the same context it
 * opened in (the same text, tag, attribute value or script string), so the context
 * worked out for a value holds whether or not the sections before it are rendered.
 */
#include "tmpl/tmpl.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/embedded.h"
#include "core/escape.h"
#include "core/log.h"
#include "tmpl/tval_impl.h"

#define TMPL_MAX_NAME      128                /* bytes in one {{name}} */
#define TMPL_MAX_SRC       (16 * 1024 * 1024) /* bytes in one template */
#define TMPL_ARENA_MAX     (64 * 1024 * 1024) /* every embedded template, parsed */
#define TMPL_SET_FIRST_CAP 64

enum node_kind { N_TEXT, N_VAR, N_SECTION, N_INVERTED, N_PARTIAL };
enum esc_kind { ESC_HTML, ESC_URL_ATTR, ESC_URL, ESC_JSON, ESC_RAW };

/* One part of a dotted name, with its hash worked out once at parse time. */
struct part {
	const char *ptr;
	uint32_t len, hash;
};

struct node {
	uint8_t kind;    /* enum node_kind */
	uint8_t esc;     /* N_VAR: enum esc_kind */
	uint16_t nparts; /* name parts; 0 for {{.}} */
	uint32_t end;    /* sections: index of the first node after the body */
	uint32_t line;   /* where the tag is, for start-up checks */
	sv text;         /* N_TEXT: the bytes to copy; otherwise the name as written */
	const struct part *parts;
};

struct tmpl {
	const char *name;
	const struct node *nodes;
	uint32_t n;
};

/* ---- HTML context tracking ---- */

enum hstate {
	H_TEXT,
	H_TAG_OPEN,     /* after '<' */
	H_END_TAG_OPEN, /* after "</" */
	H_TAG_NAME,
	H_IN_TAG, /* between attributes */
	H_ATTR_NAME,
	H_AFTER_ATTR_NAME,
	H_BEFORE_VALUE, /* after '=' */
	H_VALUE_DQ,
	H_VALUE_SQ,
	H_VALUE_UNQ,
	H_MARKUP, /* after "<!" */
	H_COMMENT,
	H_BOGUS, /* <!DOCTYPE ...>, <?...>: up to the next '>' */
	H_RAW,   /* the body of script, style, textarea or title */
};

enum rawkind { RAW_NONE, RAW_SCRIPT, RAW_STYLE, RAW_RCDATA };
enum attrkind { A_PLAIN, A_URL, A_EVENT, A_STYLE, A_SRCDOC };
enum jsstate { JS_CODE, JS_DQ, JS_SQ, JS_TPL, JS_LINE, JS_BLOCK };

struct html {
	uint8_t st;        /* enum hstate */
	uint8_t raw;       /* enum rawkind, in H_RAW */
	uint8_t attr;      /* enum attrkind of the current attribute */
	uint8_t js;        /* enum jsstate, in <script> */
	uint8_t dashes;    /* '-' just seen in a comment (or after "<!") */
	bool end_tag;      /* the current tag is an end tag */
	bool value_used;   /* something was written in the current attribute value */
	bool name_cut;     /* a template tag just ended a tag or attribute name */
	bool comment_bang; /* "--!" seen in a comment */
	bool js_escape;    /* a backslash just seen in a JavaScript string */
	char js_prev;      /* the previous byte of script code */
	const char *tag;   /* the current tag's name */
	size_t taglen;
	const char *attrname;
	size_t attrlen;
	const char *rawname;     /* the element whose end tag ends H_RAW */
	size_t rawlen, rawmatch; /* bytes of "</name" matched so far */
	uint32_t tag_serial;     /* which tag we are in */
	uint32_t serial;         /* which attribute value, raw element or comment we are in */
};

/* Where a section opened, compared with where it closes. */
struct snap {
	uint8_t cls, js;
	uint32_t serial;
};

enum { C_TEXT, C_TAG, C_VALUE, C_RAW, C_COMMENT, C_OTHER };

struct open_section {
	uint32_t node, line;
	char sigil;
	struct snap at;
};

struct parser {
	arena *a;
	const char *name;
	const char *src;
	size_t len;
	uint32_t line;
	char *err;
	size_t errlen;
	struct node *nodes;
	uint32_t n, cap;
	struct open_section open[TMPL_MAX_DEPTH];
	int depth;
	uint32_t serials;
	struct html h;
};

__attribute__((format(printf, 2, 3))) static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n;
	if (!p->err || p->errlen == 0)
		return -1;
	n = snprintf(p->err, p->errlen, "%s:%u: ", p->name, (unsigned)p->line);
	if (n < 0 || (size_t)n >= p->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static uint8_t attr_kind(sv name)
{
	static const char *const url[] = {"href",   "src",  "action",     "formaction",
	                                  "poster", "cite", "xlink:href", "background"};
	for (size_t i = 0; i < sizeof(url) / sizeof(url[0]); i++)
		if (sv_eq_icase(name, sv_from(url[i])))
			return A_URL;
	if (sv_eq_icase(name, SV("style")))
		return A_STYLE;
	if (sv_eq_icase(name, SV("srcdoc")))
		return A_SRCDOC;
	if (name.len > 2 && lower(name.ptr[0]) == 'o' && lower(name.ptr[1]) == 'n')
		return A_EVENT;
	return A_PLAIN;
}

static void start_tag(struct parser *p, const char *name, bool end)
{
	struct html *h = &p->h;
	h->st = H_TAG_NAME;
	h->tag = name;
	h->taglen = 1;
	h->end_tag = end;
	h->tag_serial = ++p->serials;
}

static void start_attr(struct html *h, const char *name)
{
	h->st = H_ATTR_NAME;
	h->attrname = name;
	h->attrlen = 1;
}

static void end_attr_name(struct html *h)
{
	h->attr = attr_kind((sv){h->attrname, h->attrlen});
}

/* '>' ends a tag: a start tag of a raw-text element switches to H_RAW until its end tag. */
static void end_of_tag(struct parser *p)
{
	static const struct {
		const char *name;
		uint8_t kind;
	} raws[] = {{"script", RAW_SCRIPT},
	            {"style", RAW_STYLE},
	            {"textarea", RAW_RCDATA},
	            {"title", RAW_RCDATA}};
	struct html *h = &p->h;
	sv tag = {h->tag, h->taglen};
	h->st = H_TEXT;
	if (h->end_tag)
		return;
	for (size_t i = 0; i < sizeof(raws) / sizeof(raws[0]); i++) {
		if (!sv_eq_icase(tag, sv_from(raws[i].name)))
			continue;
		h->st = H_RAW;
		h->raw = raws[i].kind;
		h->rawname = raws[i].name;
		h->rawlen = strlen(raws[i].name);
		h->rawmatch = 0;
		h->js = JS_CODE;
		h->js_escape = false;
		h->js_prev = 0;
		h->serial = ++p->serials;
		return;
	}
}

/* Follows JavaScript strings and comments, enough to tell whether a value would land
 * inside a double-quoted string. */
static void js_step(struct html *h, char c)
{
	switch (h->js) {
	case JS_CODE:
		if (c == '"')
			h->js = JS_DQ;
		else if (c == '\'')
			h->js = JS_SQ;
		else if (c == '`')
			h->js = JS_TPL;
		else if (c == '/' && h->js_prev == '/')
			h->js = JS_LINE;
		else if (c == '*' && h->js_prev == '/')
			h->js = JS_BLOCK;
		h->js_prev = h->js == JS_CODE ? c : 0;
		return;
	case JS_DQ:
	case JS_SQ:
	case JS_TPL:
		if (h->js_escape)
			h->js_escape = false;
		else if (c == '\\')
			h->js_escape = true;
		else if ((c == '"' && h->js == JS_DQ) || (c == '\'' && h->js == JS_SQ) ||
		         (c == '`' && h->js == JS_TPL) || (c == '\n' && h->js != JS_TPL))
			h->js = JS_CODE;
		return;
	case JS_LINE:
		if (c == '\n')
			h->js = JS_CODE;
		return;
	case JS_BLOCK:
		if (c == '/' && h->js_prev == '*') {
			h->js = JS_CODE;
			c = 0;
		}
		h->js_prev = c;
		return;
	}
}

/* In a raw-text element, only "</name" followed by a space, '/' or '>' ends it. Two
 * things would make browsers disagree with that, so they are refused: "<!" in a script
 * (after "<!--" a later "</script>" may not end it), and tags inside <title> or
 * <textarea> (which are markup, not text, when the element is inside <svg>). */
static int raw_step(struct parser *p, char c)
{
	struct html *h = &p->h;
	if (h->raw == RAW_SCRIPT)
		js_step(h, c);
	if (h->rawmatch == 0) {
		h->rawmatch = c == '<';
	} else if (h->rawmatch == 1) {
		if (c == '!' && h->raw == RAW_SCRIPT)
			return fail(p, "\"<!\" inside <script>: it changes where the script ends");
		if (is_alpha(c) && h->raw == RAW_RCDATA)
			return fail(p, "a tag inside <%s>: it holds text only", h->rawname);
		h->rawmatch = c == '/' ? 2 : c == '<';
	} else if (h->rawmatch - 2 < h->rawlen) {
		if (lower(c) == h->rawname[h->rawmatch - 2])
			h->rawmatch++;
		else
			h->rawmatch = c == '<';
	} else if (is_space(c) || c == '/' || c == '>') {
		h->raw = RAW_NONE;
		h->rawmatch = 0;
		h->end_tag = true;
		h->tag_serial = ++p->serials;
		h->st = c == '>' ? H_TEXT : H_IN_TAG;
	} else {
		h->rawmatch = c == '<';
	}
	return 0;
}

static int malformed(struct parser *p, char c)
{
	return fail(p, "malformed tag: '%c' where an attribute name should be", c);
}

/* Moves the HTML state over N bytes of literal template text at S. */
static int html_feed(struct parser *p, const char *s, size_t n)
{
	struct html *h = &p->h;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (h->name_cut) {
			h->name_cut = false;
			if (!is_space(c) && c != '/' && c != '>')
				return fail(p,
				            "a template tag splits a tag or attribute name; put a "
				            "space after it");
		}
	again:
		switch (h->st) {
		case H_TEXT:
			if (c == '<')
				h->st = H_TAG_OPEN;
			break;
		case H_TAG_OPEN:
			if (is_alpha(c)) {
				start_tag(p, s + i, false);
			} else if (c == '/') {
				h->st = H_END_TAG_OPEN;
			} else if (c == '!') {
				h->st = H_MARKUP;
				h->dashes = 0;
				h->serial = ++p->serials;
			} else if (c == '?') {
				h->st = H_BOGUS;
				h->serial = ++p->serials;
			} else {
				h->st = H_TEXT;
				goto again;
			}
			break;
		case H_END_TAG_OPEN:
			if (is_alpha(c)) {
				start_tag(p, s + i, true);
			} else if (c == '>') {
				h->st = H_TEXT;
			} else {
				h->st = H_BOGUS;
				h->serial = ++p->serials;
			}
			break;
		case H_TAG_NAME:
			if (is_space(c) || c == '/')
				h->st = H_IN_TAG;
			else if (c == '>')
				end_of_tag(p);
			else
				h->taglen++;
			break;
		case H_IN_TAG:
		case H_AFTER_ATTR_NAME:
			if (is_space(c))
				break;
			if (c == '/')
				h->st = H_IN_TAG;
			else if (c == '>')
				end_of_tag(p);
			else if (c == '=' && h->st == H_AFTER_ATTR_NAME)
				h->st = H_BEFORE_VALUE;
			else if (c == '"' || c == '\'' || c == '<' || c == '=')
				return malformed(p, c);
			else
				start_attr(h, s + i);
			break;
		case H_ATTR_NAME:
			if (c == '"' || c == '\'' || c == '<')
				return malformed(p, c);
			if (!is_space(c) && c != '/' && c != '=' && c != '>') {
				h->attrlen++;
				break;
			}
			end_attr_name(h);
			h->st = H_AFTER_ATTR_NAME;
			goto again;
		case H_BEFORE_VALUE:
			if (is_space(c))
				break;
			if (c == '"' || c == '\'') {
				h->st = c == '"' ? H_VALUE_DQ : H_VALUE_SQ;
				h->value_used = false;
				h->serial = ++p->serials;
			} else if (c == '>') {
				end_of_tag(p);
			} else {
				h->st = H_VALUE_UNQ;
			}
			break;
		case H_VALUE_DQ:
		case H_VALUE_SQ:
			if (c == (h->st == H_VALUE_DQ ? '"' : '\''))
				h->st = H_IN_TAG;
			else
				h->value_used = true;
			break;
		case H_VALUE_UNQ:
			if (is_space(c))
				h->st = H_IN_TAG;
			else if (c == '>')
				end_of_tag(p);
			break;
		case H_MARKUP:
			if (c == '-' && h->dashes == 0) {
				h->dashes = 1;
			} else if (c == '-') {
				/* "<!--": "<!-->" and "<!--->" already close it, as in browsers. */
				h->st = H_COMMENT;
				h->dashes = 2;
				h->comment_bang = false;
			} else {
				h->st = c == '>' ? H_TEXT : H_BOGUS;
			}
			break;
		case H_COMMENT:
			if (c == '>' && (h->dashes >= 2 || h->comment_bang)) {
				h->st = H_TEXT;
			} else if (c == '-') {
				h->dashes = h->dashes < 2 ? h->dashes + 1 : 2;
				h->comment_bang = false;
			} else if (c == '!' && h->dashes >= 2) {
				h->dashes = 0;
				h->comment_bang = true;
			} else {
				h->dashes = 0;
				h->comment_bang = false;
			}
			break;
		case H_BOGUS:
			if (c == '>')
				h->st = H_TEXT;
			break;
		case H_RAW:
			if (raw_step(p, c) != 0)
				return -1;
			break;
		}
		if (c == '\n')
			p->line++;
	}
	return 0;
}

static const char *raw_element(const struct html *h)
{
	return h->rawname ? h->rawname : "";
}

/* Decides how a {{value}} (or {{{raw}}} value) is escaped where the HTML now stands. */
static int place_value(struct parser *p, bool raw, uint8_t *esc)
{
	struct html *h = &p->h;
	switch (h->st) {
	case H_TEXT:
		*esc = raw ? ESC_RAW : ESC_HTML;
		return 0;
	case H_VALUE_DQ:
	case H_VALUE_SQ:
		if (raw)
			return fail(p, "raw {{{...}}} output is only allowed in text, not in an "
			               "attribute value");
		if (h->end_tag)
			return fail(p, "a value in an end tag");
		if (h->attr == A_EVENT)
			return fail(p,
			            "values are not allowed in event handler attributes (on...)");
		if (h->attr == A_STYLE)
			return fail(p, "values are not allowed in style attributes");
		if (h->attr == A_SRCDOC)
			return fail(p, "values are not allowed in srcdoc attributes");
		if (h->attr == A_URL)
			*esc = h->value_used ? ESC_URL : ESC_URL_ATTR;
		else
			*esc = ESC_HTML;
		h->value_used = true;
		return 0;
	case H_RAW:
		if (h->rawmatch)
			return fail(p, "a template tag inside </%s>", raw_element(h));
		if (raw)
			return fail(p, "raw {{{...}}} output is only allowed in text, not in <%s>",
			            raw_element(h));
		if (h->raw == RAW_STYLE)
			return fail(p, "values are not allowed in <style>");
		if (h->raw == RAW_RCDATA) {
			*esc = ESC_HTML;
			return 0;
		}
		if (h->js != JS_DQ || h->js_escape)
			return fail(p, "a value in <script> must be inside a \"double-quoted\" "
			               "string");
		*esc = ESC_JSON;
		return 0;
	case H_BEFORE_VALUE:
	case H_VALUE_UNQ:
		return fail(p, "unquoted attribute value: put quotes around it");
	case H_IN_TAG:
	case H_ATTR_NAME:
	case H_AFTER_ATTR_NAME:
		return fail(p, "a value where an attribute name should be: values go inside "
		               "quoted attribute values");
	case H_TAG_OPEN:
	case H_END_TAG_OPEN:
	case H_TAG_NAME:
		return fail(p, "a value in a tag name");
	default:
		return fail(p, "a value inside an HTML comment or <!...> declaration");
	}
}

/* Checks that a section, comment or closing tag may stand here. One in the middle of a
 * tag or attribute name ends that name, and the text after it must not go on with it. */
static int place_block(struct parser *p)
{
	struct html *h = &p->h;
	switch (h->st) {
	case H_TEXT:
	case H_IN_TAG:
	case H_AFTER_ATTR_NAME:
	case H_VALUE_DQ:
	case H_VALUE_SQ:
	case H_COMMENT:
	case H_BOGUS:
		return 0;
	case H_RAW:
		if (h->rawmatch)
			return fail(p, "a template tag inside </%s>", raw_element(h));
		return 0;
	case H_ATTR_NAME:
		end_attr_name(h);
		/* fall through */
	case H_TAG_NAME:
		h->st = H_IN_TAG;
		h->name_cut = true;
		return 0;
	case H_BEFORE_VALUE:
	case H_VALUE_UNQ:
		return fail(p, "a template tag in an unquoted attribute value: put quotes around "
		               "it");
	default:
		return fail(p, "a template tag right after '<' or \"<!\"");
	}
}

static struct snap snap_of(const struct html *h)
{
	switch (h->st) {
	case H_TEXT:
		return (struct snap){C_TEXT, 0, 0};
	case H_IN_TAG:
	case H_AFTER_ATTR_NAME:
		return (struct snap){C_TAG, 0, h->tag_serial};
	case H_VALUE_DQ:
	case H_VALUE_SQ:
		return (struct snap){C_VALUE, 0, h->serial};
	case H_RAW:
		return (struct snap){C_RAW, h->js, h->serial};
	case H_COMMENT:
	case H_BOGUS:
		return (struct snap){C_COMMENT, 0, h->serial};
	default:
		return (struct snap){C_OTHER, 0, 0};
	}
}

/* ---- tags and nodes ---- */

static struct node *add_node(struct parser *p, uint8_t kind)
{
	struct node *nd;
	if (p->n == p->cap) {
		uint32_t cap = p->cap ? p->cap * 2 : 64;
		struct node *nodes;
		if (p->cap > UINT32_MAX / 4)
			goto nomem;
		nodes = arena_calloc(p->a, cap, sizeof(*nodes));
		if (!nodes)
			goto nomem;
		if (p->n)
			memcpy(nodes, p->nodes, (size_t)p->n * sizeof(*nodes));
		p->nodes = nodes;
		p->cap = cap;
	}
	nd = &p->nodes[p->n++];
	memset(nd, 0, sizeof(*nd));
	nd->kind = kind;
	nd->line = p->line;
	return nd;
nomem:
	fail(p, "out of memory");
	return NULL;
}

static bool name_char(char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Splits NAME ("a.b.c", or "." for the current item) into ND's parts. */
static int parse_name(struct parser *p, sv name, struct node *nd)
{
	struct part *parts;
	size_t nparts = 1, start = 0, k = 0;
	nd->text = name;
	if (name.len == 0)
		return fail(p, "a tag without a name");
	if (name.len > TMPL_MAX_NAME)
		return fail(p, "a name longer than %d bytes", TMPL_MAX_NAME);
	if (name.len == 1 && name.ptr[0] == '.')
		return 0;
	for (size_t i = 0; i < name.len; i++) {
		char c = name.ptr[i];
		if (c == '.' && i > 0 && i + 1 < name.len && name.ptr[i - 1] != '.')
			nparts++;
		else if (!name_char(c))
			return fail(p, "bad name \"%.*s\": use letters, digits, '_', '-' and dots",
			            (int)name.len, name.ptr);
	}
	parts = arena_alloc(p->a, nparts * sizeof(*parts));
	if (!parts)
		return fail(p, "out of memory");
	for (size_t i = 0; i <= name.len; i++) {
		if (i < name.len && name.ptr[i] != '.')
			continue;
		parts[k].ptr = name.ptr + start;
		parts[k].len = (uint32_t)(i - start);
		parts[k].hash = tval_hash(parts[k].ptr, parts[k].len);
		k++;
		start = i + 1;
	}
	nd->parts = parts;
	nd->nparts = (uint16_t)nparts;
	return 0;
}

static int parse_partial_name(struct parser *p, sv name, struct node *nd)
{
	struct part *part;
	nd->text = name;
	if (name.len == 0)
		return fail(p, "a partial without a name");
	if (name.len > TMPL_MAX_NAME)
		return fail(p, "a name longer than %d bytes", TMPL_MAX_NAME);
	for (size_t i = 0; i < name.len; i++)
		if (!name_char(name.ptr[i]) && name.ptr[i] != '.')
			return fail(p, "bad partial name \"%.*s\"", (int)name.len, name.ptr);
	part = arena_alloc(p->a, sizeof(*part));
	if (!part)
		return fail(p, "out of memory");
	part->ptr = name.ptr;
	part->len = (uint32_t)name.len;
	part->hash = tval_hash(name.ptr, name.len);
	nd->parts = part;
	nd->nparts = 1;
	return 0;
}

static sv trim_name(sv s)
{
	while (s.len && (s.ptr[0] == ' ' || s.ptr[0] == '\t')) {
		s.ptr++;
		s.len--;
	}
	while (s.len && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t'))
		s.len--;
	return s;
}

static const char *find2(const char *s, size_t n, char c)
{
	for (const char *q; n >= 2 && (q = memchr(s, c, n - 1)) != NULL;) {
		if (q[1] == c)
			return q;
		n -= (size_t)(q - s) + 1;
		s = q + 1;
	}
	return NULL;
}

static int open_section(struct parser *p, char sigil, sv name)
{
	struct node *nd;
	if (place_block(p) != 0)
		return -1;
	if (p->depth == TMPL_MAX_DEPTH)
		return fail(p, "sections nested deeper than %d", TMPL_MAX_DEPTH);
	nd = add_node(p, sigil == '#' ? N_SECTION : N_INVERTED);
	if (!nd || parse_name(p, name, nd) != 0)
		return -1;
	p->open[p->depth++] = (struct open_section){p->n - 1, p->line, sigil, snap_of(&p->h)};
	return 0;
}

static int close_section(struct parser *p, sv name)
{
	struct open_section *o;
	struct snap at;
	sv opened;
	if (place_block(p) != 0)
		return -1;
	if (p->depth == 0)
		return fail(p, "{{/%.*s}} closes no open section", (int)name.len, name.ptr);
	o = &p->open[p->depth - 1];
	opened = p->nodes[o->node].text;
	if (!sv_eq(name, opened))
		return fail(p, "{{/%.*s}} does not close {{%c%.*s}} (opened at line %u)",
		            (int)name.len, name.ptr, o->sigil, (int)opened.len, opened.ptr,
		            (unsigned)o->line);
	at = snap_of(&p->h);
	if (at.cls != o->at.cls || at.js != o->at.js || at.serial != o->at.serial)
		return fail(p,
		            "{{%c%.*s}} (line %u) closes somewhere else in the HTML than it "
		            "opened: a section must open and close in the same text, tag, "
		            "attribute value or script string",
		            o->sigil, (int)opened.len, opened.ptr, (unsigned)o->line);
	p->nodes[o->node].end = p->n;
	p->depth--;
	return 0;
}

/* Parses the tag at P->src + *POS (which starts with "{{") and moves *POS past it. */
static int parse_tag(struct parser *p, size_t *pos)
{
	const char *s = p->src + *pos + 2, *end;
	size_t rest = p->len - *pos - 2;
	char sigil = rest ? s[0] : '\0';
	struct node *nd;
	sv body;
	uint8_t esc;

	if (sigil == '{') {
		end = rest > 1 ? find2(s + 1, rest - 1, '}') : NULL;
		if (!end || (size_t)(end - s) + 2 >= rest || end[2] != '}')
			return fail(p, "{{{ without }}}");
		*pos = (size_t)(end + 3 - p->src);
		body = trim_name((sv){s + 1, (size_t)(end - s - 1)});
		if (place_value(p, true, &esc) != 0)
			return -1;
		nd = add_node(p, N_VAR);
		if (!nd)
			return -1;
		nd->esc = esc;
		return parse_name(p, body, nd);
	}
	end = find2(s, rest, '}');
	if (!end)
		return fail(p, "{{ without }}");
	*pos = (size_t)(end + 2 - p->src);
	body = (sv){s, (size_t)(end - s)};
	switch (sigil) {
	case '!':
		if (place_block(p) != 0)
			return -1;
		for (size_t i = 0; i < body.len; i++)
			p->line += body.ptr[i] == '\n';
		return 0;
	case '#':
	case '^':
		return open_section(p, sigil, trim_name((sv){s + 1, body.len - 1}));
	case '/':
		return close_section(p, trim_name((sv){s + 1, body.len - 1}));
	case '>':
		if (p->h.st != H_TEXT)
			return fail(p, "a partial is only allowed in text, between tags");
		nd = add_node(p, N_PARTIAL);
		if (!nd)
			return -1;
		return parse_partial_name(p, trim_name((sv){s + 1, body.len - 1}), nd);
	case '=':
	case '&':
		return fail(p, "{{%c is not supported", sigil);
	default:
		if (place_value(p, false, &esc) != 0)
			return -1;
		nd = add_node(p, N_VAR);
		if (!nd)
			return -1;
		nd->esc = esc;
		return parse_name(p, trim_name(body), nd);
	}
}

static int add_text(struct parser *p, const char *s, size_t n)
{
	struct node *nd = add_node(p, N_TEXT);
	if (!nd)
		return -1;
	nd->text = (sv){s, n};
	return 0;
}

static int finish(struct parser *p)
{
	if (p->depth) {
		struct open_section *o = &p->open[p->depth - 1];
		sv name = p->nodes[o->node].text;
		p->line = o->line;
		return fail(p, "unclosed section {{%c%.*s}}", o->sigil, (int)name.len, name.ptr);
	}
	switch (p->h.st) {
	case H_TEXT:
	case H_TAG_OPEN: /* a lone '<' at the very end is text */
		return 0;
	case H_RAW:
		return fail(p, "the template ends inside <%s>", raw_element(&p->h));
	case H_COMMENT:
	case H_BOGUS:
	case H_MARKUP:
		return fail(p, "the template ends inside an HTML comment or declaration");
	default:
		return fail(p, "the template ends inside a tag");
	}
}

tmpl *tmpl_parse(arena *a, const char *name, sv src, char *err, size_t errlen)
{
	struct parser p;
	size_t pos = 0;
	tmpl *t;
	memset(&p, 0, sizeof(p));
	p.a = a;
	p.name = name ? name : "template";
	p.line = 1;
	p.err = err;
	p.errlen = errlen;
	if (err && errlen)
		err[0] = '\0';
	if (src.len > TMPL_MAX_SRC) {
		fail(&p, "template longer than %d bytes", TMPL_MAX_SRC);
		return NULL;
	}
	/* Our own copy, so a template never depends on its caller's buffer. */
	p.src = arena_strndup(a, src.len ? src.ptr : "", src.len);
	p.len = src.len;
	if (!p.src) {
		fail(&p, "out of memory");
		return NULL;
	}
	while (pos < p.len) {
		const char *open = find2(p.src + pos, p.len - pos, '{');
		size_t textlen = open ? (size_t)(open - (p.src + pos)) : p.len - pos;
		if (textlen) {
			if (html_feed(&p, p.src + pos, textlen) != 0 ||
			    add_text(&p, p.src + pos, textlen) != 0)
				return NULL;
			pos += textlen;
		}
		if (!open)
			break;
		if (parse_tag(&p, &pos) != 0)
			return NULL;
	}
	if (finish(&p) != 0)
		return NULL;
	t = arena_alloc(a, sizeof(*t));
	if (!t || !(t->name = arena_strdup(a, p.name))) {
		fail(&p, "out of memory");
		return NULL;
	}
	t->nodes = p.nodes;
	t->n = p.n;
	return t;
}

/* ---- sets of templates ---- */

struct set_entry {
	const char *name;
	size_t len;
	uint32_t hash;
	const tmpl *t;
};

struct tmpl_set {
	arena *a;
	struct set_entry *slots; /* open addressing; CAP is a power of two */
	uint32_t n, cap;
};

tmpl_set *tmpl_set_new(arena *a)
{
	tmpl_set *set = arena_calloc(a, 1, sizeof(*set));
	if (!set)
		return NULL;
	set->a = a;
	set->cap = TMPL_SET_FIRST_CAP;
	set->slots = arena_calloc(a, set->cap, sizeof(*set->slots));
	return set->slots ? set : NULL;
}

static const struct set_entry *set_slot(const tmpl_set *set, const char *name, size_t len,
                                        uint32_t hash)
{
	for (uint32_t i = hash & (set->cap - 1);; i = (i + 1) & (set->cap - 1)) {
		const struct set_entry *e = &set->slots[i];
		if (!e->name ||
		    (e->hash == hash && e->len == len && memcmp(e->name, name, len) == 0))
			return e;
	}
}

static const tmpl *set_find(const tmpl_set *set, const char *name, size_t len, uint32_t hash)
{
	return set ? set_slot(set, name, len, hash)->t : NULL;
}

static int set_grow(tmpl_set *set)
{
	struct set_entry *old = set->slots;
	uint32_t oldcap = set->cap;
	if (set->cap > UINT32_MAX / 4)
		return -1;
	set->slots = arena_calloc(set->a, (size_t)oldcap * 2, sizeof(*set->slots));
	if (!set->slots) {
		set->slots = old;
		return -1;
	}
	set->cap = oldcap * 2;
	for (uint32_t i = 0; i < oldcap; i++)
		if (old[i].name)
			*(struct set_entry *)set_slot(set, old[i].name, old[i].len, old[i].hash) =
			    old[i];
	return 0;
}

int tmpl_set_add(tmpl_set *set, const char *name, tmpl *t)
{
	struct set_entry *e;
	size_t len;
	uint32_t hash;
	char *copy;
	if (!set || !name || !t)
		return -1;
	len = strlen(name);
	hash = tval_hash(name, len);
	if (set_find(set, name, len, hash))
		return -1;
	if ((set->n + 1) * 2 > set->cap && set_grow(set) != 0)
		return -1;
	copy = arena_strndup(set->a, name, len);
	if (!copy)
		return -1;
	e = (struct set_entry *)set_slot(set, name, len, hash);
	*e = (struct set_entry){copy, len, hash, t};
	set->n++;
	return 0;
}

const tmpl *tmpl_set_find(const tmpl_set *set, const char *name)
{
	size_t len;
	if (!set || !name)
		return NULL;
	len = strlen(name);
	return set_find(set, name, len, tval_hash(name, len));
}

/* ---- rendering ---- */

struct frame {
	const tval *v;
	const struct frame *up;
};

struct render {
	const tmpl_set *set;
	sbuf *out;
	size_t steps, max_steps;
	int partials;
	const char *why; /* for the log when rendering fails */
};

/* Finds ND's name from frame F outwards; a dotted name's first part is looked up that
 * way and the others inside it. Sets *OUT to NULL when the name is missing; returns -1
 * when the lookup meets a value that lost data to a full arena. */
static int lookup(const struct node *nd, const struct frame *f, const tval **out)
{
	const tval *v = NULL;
	*out = NULL;
	if (nd->nparts == 0) {
		v = f->v;
	} else {
		const struct part *pt = &nd->parts[0];
		for (; f && !v; f = f->up) {
			if (f->v->kind != TV_MAP)
				continue;
			if (f->v->failed)
				return -1;
			v = tval_get_hashed(f->v, pt->ptr, pt->len, pt->hash);
		}
		for (uint16_t i = 1; v && i < nd->nparts; i++) {
			if (v->failed)
				return -1;
			pt = &nd->parts[i];
			v = tval_get_hashed(v, pt->ptr, pt->len, pt->hash);
		}
	}
	if (v && v->failed)
		return -1;
	*out = v;
	return 0;
}

static bool truthy(const tval *v)
{
	if (!v)
		return false;
	switch (v->kind) {
	case TV_STR:
		return v->u.s.len > 0;
	case TV_INT:
		return v->u.i != 0;
	case TV_BOOL:
		return v->u.b;
	case TV_LIST:
		return v->n > 0;
	default:
		return true;
	}
}

static void put(sbuf *out, uint8_t esc, const tval *v)
{
	switch (v->kind) {
	case TV_STR:
		switch (esc) {
		case ESC_HTML:
			esc_html(out, v->u.s);
			break;
		case ESC_URL_ATTR:
			esc_url_attr(out, v->u.s);
			break;
		case ESC_URL:
			esc_url(out, v->u.s);
			break;
		case ESC_JSON:
			esc_json(out, v->u.s);
			break;
		default:
			sbuf_addsv(out, v->u.s);
			break;
		}
		break;
	case TV_INT:
		/* Digits and '-' are safe in every context. */
		sbuf_add_i64(out, v->u.i);
		break;
	case TV_BOOL:
		if (v->u.b)
			sbuf_add(out, "true", 4);
		break;
	default:
		/* A map or a list has no text of its own. */
		break;
	}
}

static int render_nodes(struct render *r, const tmpl *t, uint32_t from, uint32_t to,
                        const struct frame *f);

static int render_section(struct render *r, const tmpl *t, uint32_t i, const struct frame *f)
{
	const struct node *nd = &t->nodes[i];
	const tval *v;
	if (lookup(nd, f, &v) != 0) {
		r->why = "a value lost data to a full arena";
		return -1;
	}
	if (nd->kind == N_INVERTED)
		return truthy(v) ? 0 : render_nodes(r, t, i + 1, nd->end, f);
	if (!truthy(v))
		return 0;
	if (v->kind == TV_LIST) {
		for (uint32_t k = 0; k < v->n; k++) {
			struct frame item = {v->u.list.items[k], f};
			if (item.v->failed) {
				r->why = "a value lost data to a full arena";
				return -1;
			}
			if (render_nodes(r, t, i + 1, nd->end, &item) != 0)
				return -1;
		}
		return 0;
	}
	struct frame one = {v, f};
	return render_nodes(r, t, i + 1, nd->end, &one);
}

static int render_partial(struct render *r, const struct node *nd, const struct frame *f)
{
	const tmpl *pt = set_find(r->set, nd->parts[0].ptr, nd->parts[0].len, nd->parts[0].hash);
	int rc;
	if (!pt) {
		r->why = "a partial is missing";
		return -1;
	}
	if (r->partials >= TMPL_MAX_DEPTH) {
		r->why = "partials nested too deep";
		return -1;
	}
	r->partials++;
	rc = render_nodes(r, pt, 0, pt->n, f);
	r->partials--;
	return rc;
}

static int render_nodes(struct render *r, const tmpl *t, uint32_t from, uint32_t to,
                        const struct frame *f)
{
	for (uint32_t i = from; i < to; i++) {
		const struct node *nd = &t->nodes[i];
		const tval *v;
		if (r->out->err) {
			r->why = "the output is full";
			return -1;
		}
		if (++r->steps > r->max_steps) {
			r->why = "too many steps";
			return -1;
		}
		switch (nd->kind) {
		case N_TEXT:
			sbuf_add(r->out, nd->text.ptr, nd->text.len);
			break;
		case N_VAR:
			if (lookup(nd, f, &v) != 0) {
				r->why = "a value lost data to a full arena";
				return -1;
			}
			if (v)
				put(r->out, nd->esc, v);
			break;
		case N_SECTION:
		case N_INVERTED:
			if (render_section(r, t, i, f) != 0)
				return -1;
			i = nd->end - 1;
			break;
		case N_PARTIAL:
			if (render_partial(r, nd, f) != 0)
				return -1;
			break;
		}
	}
	return 0;
}

static int render(const tmpl *t, const tmpl_set *set, const tval *ctx, sbuf *out, size_t max_steps,
                  const char **why)
{
	struct render r = {set, out, 0, max_steps, 0, NULL};
	struct frame root = {ctx, NULL};
	*why = NULL;
	if (!t || !out)
		return -1;
	if (!ctx || ctx->failed) {
		*why = "the context lost data to a full arena";
		return -1;
	}
	if (render_nodes(&r, t, 0, t->n, &root) != 0) {
		*why = r.why;
		return -1;
	}
	if (out->err) {
		*why = "the output is full";
		return -1;
	}
	return 0;
}

int tmpl_render_limit(const tmpl *t, const tmpl_set *set, const tval *ctx, sbuf *out,
                      size_t max_steps)
{
	const char *why;
	return render(t, set, ctx, out, max_steps, &why);
}

int tmpl_render_t(const tmpl *t, const tmpl_set *set, const tval *ctx, sbuf *out)
{
	return tmpl_render_limit(t, set, ctx, out, TMPL_MAX_STEPS);
}

/* ---- the embedded templates ---- */

static arena *embedded_arena;
static tmpl_set *embedded_set;

/* Every {{> name}} in the set must name a template in it, so that a typo stops start-up
 * instead of failing one page later. */
static int check_partials(const tmpl_set *set)
{
	int rc = 0;
	for (uint32_t i = 0; i < set->cap; i++) {
		const tmpl *t = set->slots[i].t;
		for (uint32_t k = 0; t && k < t->n; k++) {
			const struct node *nd = &t->nodes[k];
			if (nd->kind != N_PARTIAL ||
			    set_find(set, nd->parts[0].ptr, nd->parts[0].len, nd->parts[0].hash))
				continue;
			log_error("%s:%u: {{> %.*s}}: no such template", t->name,
			          (unsigned)nd->line, (int)nd->text.len, nd->text.ptr);
			rc = -1;
		}
	}
	return rc;
}

int tmpl_init(void)
{
	char err[256];
	int rc = 0;
	arena_free(embedded_arena);
	embedded_set = NULL;
	embedded_arena = arena_new(TMPL_ARENA_MAX);
	tmpl_set *set = embedded_arena ? tmpl_set_new(embedded_arena) : NULL;
	if (!set) {
		log_error("templates: out of memory");
		return -1;
	}
	for (const struct embedded_file *f = embedded_templates; f->name; f++) {
		size_t len = strlen(f->name);
		char *name;
		tmpl *t;
		if (len <= 5 || strcmp(f->name + len - 5, ".html") != 0)
			continue;
		/* Messages name the file; the set names the template. */
		t = tmpl_parse(embedded_arena, f->name, (sv){f->data, f->len}, err, sizeof(err));
		if (!t) {
			log_error("%s", err);
			rc = -1;
			continue;
		}
		name = arena_strndup(embedded_arena, f->name, len - 5);
		if (!name || tmpl_set_add(set, name, t) != 0) {
			log_error("%s: cannot add to the template set", f->name);
			rc = -1;
		}
	}
	if (check_partials(set) != 0)
		rc = -1;
	embedded_set = set;
	return rc;
}

int tmpl_render(const char *name, const tval *ctx, sbuf *out)
{
	const tmpl *t = tmpl_set_find(embedded_set, name);
	const char *why;
	if (!t) {
		log_error("template %s: no such template (was tmpl_init called?)", name);
		return -1;
	}
	if (render(t, embedded_set, ctx, out, TMPL_MAX_STEPS, &why) != 0) {
		log_error("template %s: rendering failed: %s", name, why ? why : "unknown");
		return -1;
	}
	return 0;
}
