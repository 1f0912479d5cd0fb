/* tval.c: the values a handler hands to a template (strings, integers, booleans, maps and
 * lists), built in the request's arena; see tmpl.h. */
#include "tmpl/tval_impl.h"

#include <string.h>

enum { TV_FIRST_CAP = 8 };

uint32_t tval_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static tval *tv_new(arena *a, enum tval_kind kind)
{
	tval *v = arena_alloc(a, sizeof(*v));
	if (!v)
		return NULL;
	memset(v, 0, sizeof(*v));
	v->kind = (uint8_t)kind;
	return v;
}

tval *tv_map(arena *a)
{
	tval *v = tv_new(a, TV_MAP);
	if (v)
		v->u.map.a = a;
	return v;
}

tval *tv_list(arena *a)
{
	tval *v = tv_new(a, TV_LIST);
	if (v)
		v->u.list.a = a;
	return v;
}

tval *tv_sv(arena *a, sv s)
{
	tval *v = tv_new(a, TV_STR);
	if (v)
		v->u.s = s.ptr ? s : SV("");
	return v;
}

tval *tv_str(arena *a, const char *s)
{
	return tv_sv(a, sv_from(s));
}

tval *tv_int(arena *a, int64_t i)
{
	tval *v = tv_new(a, TV_INT);
	if (v)
		v->u.i = i;
	return v;
}

tval *tv_bool(arena *a, bool b)
{
	tval *v = tv_new(a, TV_BOOL);
	if (v)
		v->u.b = b;
	return v;
}

/* Makes room for one more entry or item of SIZE bytes in *ITEMS. The old array stays in
 * the arena until the request ends; doubling keeps that waste below the final size. */
static int grow(arena *a, void **items, uint32_t n, uint32_t *cap, size_t size)
{
	uint32_t ncap;
	void *nitems;
	if (n < *cap)
		return 0;
	if (*cap > UINT32_MAX / 2)
		return -1;
	ncap = *cap ? *cap * 2 : TV_FIRST_CAP;
	nitems = arena_calloc(a, ncap, size);
	if (!nitems)
		return -1;
	if (n)
		memcpy(nitems, *items, (size_t)n * size);
	*items = nitems;
	*cap = ncap;
	return 0;
}

static struct tval_entry *find(const tval *map, const char *s, size_t len, uint32_t hash)
{
	for (uint32_t i = 0; i < map->n; i++) {
		struct tval_entry *e = &map->u.map.entries[i];
		if (e->hash == hash && e->len == len && memcmp(e->key, s, len) == 0)
			return e;
	}
	return NULL;
}

void tv_set(tval *map, const char *key, tval *v)
{
	size_t len;
	uint32_t hash;
	struct tval_entry *e;
	void *entries;
	if (!map)
		return;
	/* A NULL value or key means an allocation failed in the caller, and a set on
	 * something that is not a map is a mistake: either way the page must not be
	 * rendered with a value silently missing. */
	if (!v || !key || map->kind != TV_MAP) {
		map->failed = true;
		return;
	}
	len = strlen(key);
	if (len > UINT32_MAX) {
		map->failed = true;
		return;
	}
	hash = tval_hash(key, len);
	e = find(map, key, len, hash);
	if (e) {
		e->v = v;
		return;
	}
	entries = map->u.map.entries;
	if (grow(map->u.map.a, &entries, map->n, &map->cap, sizeof(struct tval_entry)) != 0) {
		map->failed = true;
		return;
	}
	map->u.map.entries = entries;
	e = &map->u.map.entries[map->n++];
	e->key = key;
	e->len = (uint32_t)len;
	e->hash = hash;
	e->v = v;
}

/* The typed setters need MAP's arena, which only a map has. */
static bool settable(tval *map)
{
	if (!map)
		return false;
	if (map->kind != TV_MAP) {
		map->failed = true;
		return false;
	}
	return true;
}

void tv_set_str(tval *map, const char *key, const char *s)
{
	if (settable(map))
		tv_set(map, key, tv_str(map->u.map.a, s));
}

void tv_set_sv(tval *map, const char *key, sv s)
{
	if (settable(map))
		tv_set(map, key, tv_sv(map->u.map.a, s));
}

void tv_set_int(tval *map, const char *key, int64_t i)
{
	if (settable(map))
		tv_set(map, key, tv_int(map->u.map.a, i));
}

void tv_set_bool(tval *map, const char *key, bool b)
{
	if (settable(map))
		tv_set(map, key, tv_bool(map->u.map.a, b));
}

void tv_push(tval *list, tval *v)
{
	void *items;
	if (!list)
		return;
	if (!v || list->kind != TV_LIST) {
		list->failed = true;
		return;
	}
	items = list->u.list.items;
	if (grow(list->u.list.a, &items, list->n, &list->cap, sizeof(tval *)) != 0) {
		list->failed = true;
		return;
	}
	list->u.list.items = items;
	list->u.list.items[list->n++] = v;
}

size_t tv_len(const tval *v)
{
	if (!v || (v->kind != TV_LIST && v->kind != TV_MAP))
		return 0;
	return v->n;
}

tval *tval_get_hashed(const tval *map, const char *s, size_t len, uint32_t hash)
{
	struct tval_entry *e;
	if (!map || map->kind != TV_MAP)
		return NULL;
	e = find(map, s, len, hash);
	return e ? e->v : NULL;
}

tval *tv_get(const tval *map, const char *key)
{
	size_t len;
	if (!key)
		return NULL;
	len = strlen(key);
	return tval_get_hashed(map, key, len, tval_hash(key, len));
}
