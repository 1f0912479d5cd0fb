/* kv.c: name/value lists; see kv.h. */
#include "core/kv.h"

#include <string.h>

int kv_add(arena *a, kvlist *l, sv key, sv val)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		kv *items = arena_calloc(a, cap, sizeof(kv));
		if (!items)
			return -1;
		if (l->n)
			memcpy(items, l->items, l->n * sizeof(kv));
		l->items = items;
		l->cap = cap;
	}
	l->items[l->n].key = key;
	l->items[l->n].val = val;
	l->n++;
	return 0;
}

sv kv_get(const kvlist *l, const char *key)
{
	sv k = sv_from(key);
	for (size_t i = 0; i < l->n; i++)
		if (sv_eq(l->items[i].key, k))
			return l->items[i].val;
	return SV_NULL;
}

sv kv_get_icase(const kvlist *l, const char *key)
{
	sv k = sv_from(key);
	for (size_t i = 0; i < l->n; i++)
		if (sv_eq_icase(l->items[i].key, k))
			return l->items[i].val;
	return SV_NULL;
}

size_t kv_count(const kvlist *l, const char *key)
{
	sv k = sv_from(key);
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += sv_eq(l->items[i].key, k);
	return n;
}
