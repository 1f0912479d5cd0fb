/* json.h: writing JSON (open data under /api/v1/) into a bounded builder.
 *
 * The writer keeps a small stack of open objects and arrays so commas come out right:
 *
 *     json j; json_init(&j, &b);
 *     json_obj(&j);
 *       json_key(&j, "id");   json_int(&j, 4);
 *       json_key(&j, "name"); json_str(&j, SV("Child poverty"));
 *       json_key(&j, "tags"); json_arr(&j); json_str(&j, SV("a")); json_end(&j);
 *     json_end(&j);
 *
 * Strings are escaped with esc_json (so the output is also safe inside HTML). Nesting
 * deeper than JSON_MAX_DEPTH sets the builder's sticky error.
 */
#ifndef CORE_JSON_H
#define CORE_JSON_H
#include <stdbool.h>
#include <stdint.h>

#include "core/str.h"

#define JSON_MAX_DEPTH 16

typedef struct {
	sbuf *b;
	int depth;
	bool first[JSON_MAX_DEPTH + 1]; /* no value written yet at this level */
	char close[JSON_MAX_DEPTH + 1];  /* the bracket that ends this level */
	bool after_key;
} json;

void json_init(json *j, sbuf *b);
void json_obj(json *j);
void json_arr(json *j);
void json_end(json *j); /* closes the innermost object or array */
void json_key(json *j, const char *key);
void json_str(json *j, sv s);    /* SV_NULL (ptr NULL) writes null */
void json_cstr(json *j, const char *s); /* NULL writes null */
void json_int(json *j, int64_t v);
void json_bool(json *j, bool v);
void json_null(json *j);

#endif
