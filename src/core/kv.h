/* kv.h: an ordered list of name/value string views (form fields, query parameters,
 * cookies, headers). Lives in an arena; keys may repeat (checkboxes), kv_get returns the
 * first. */
#ifndef CORE_KV_H
#define CORE_KV_H
#include "core/str.h"

typedef struct {
	sv key, val;
} kv;

typedef struct {
	kv *items;
	size_t n, cap;
} kvlist;

/* Appends KEY=VAL (views are stored as given, not copied). Returns 0, or -1 if out of
 * memory. */
int kv_add(arena *a, kvlist *l, sv key, sv val);
/* First value for KEY, or SV_NULL (ptr NULL) if absent. */
sv kv_get(const kvlist *l, const char *key);
/* As kv_get, compared without regard to ASCII case (header names). */
sv kv_get_icase(const kvlist *l, const char *key);
/* Number of entries with KEY. */
size_t kv_count(const kvlist *l, const char *key);

#endif
