/* json.c: a streaming JSON writer; see json.h. */
#include "core/json.h"

#include "core/escape.h"

void json_init(json *j, sbuf *b)
{
	j->b = b;
	j->depth = 0;
	j->first[0] = true;
	j->after_key = false;
}

/* Writes the comma before a value or key when one is due. */
static void sep(json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		sbuf_addc(j->b, ',');
	j->first[j->depth] = false;
}

static void open(json *j, char c, char closing)
{
	sep(j);
	if (j->depth == JSON_MAX_DEPTH) {
		j->b->err = SBUF_ERR_TOOBIG;
		return;
	}
	sbuf_addc(j->b, c);
	j->first[++j->depth] = true;
	j->close[j->depth] = closing;
}

void json_obj(json *j)
{
	open(j, '{', '}');
}

void json_arr(json *j)
{
	open(j, '[', ']');
}

void json_end(json *j)
{
	if (j->depth == 0) {
		j->b->err = SBUF_ERR_TOOBIG;
		return;
	}
	sbuf_addc(j->b, j->close[j->depth--]);
}

void json_key(json *j, const char *key)
{
	sep(j);
	sbuf_addc(j->b, '"');
	esc_json(j->b, sv_from(key));
	sbuf_adds(j->b, "\":");
	j->after_key = true;
}

void json_str(json *j, sv s)
{
	sep(j);
	if (!s.ptr) {
		sbuf_adds(j->b, "null");
		return;
	}
	sbuf_addc(j->b, '"');
	esc_json(j->b, s);
	sbuf_addc(j->b, '"');
}

void json_cstr(json *j, const char *s)
{
	json_str(j, sv_from(s));
}

void json_int(json *j, int64_t v)
{
	sep(j);
	sbuf_add_i64(j->b, v);
}

void json_bool(json *j, bool v)
{
	sep(j);
	sbuf_adds(j->b, v ? "true" : "false");
}

void json_null(json *j)
{
	sep(j);
	sbuf_adds(j->b, "null");
}
