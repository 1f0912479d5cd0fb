/* arena.c: region allocator with a cleanup list; see arena.h. */
#include "core/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ARENA_BLOCK = 16 * 1024, ARENA_ALIGN = 16 };

struct block {
	struct block *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

struct cleanup {
	struct cleanup *next;
	arena_cleanup_fn fn;
	void *data;
};

struct arena {
	struct block *head;
	struct cleanup *cleanups;
	size_t max, total;
};

arena *arena_new(size_t max)
{
	arena *a = calloc(1, sizeof(*a));
	if (a)
		a->max = max;
	return a;
}

void arena_free(arena *a)
{
	if (!a)
		return;
	for (struct cleanup *c = a->cleanups; c; c = c->next)
		c->fn(c->data);
	for (struct block *b = a->head, *n; b; b = n) {
		n = b->next;
		free(b);
	}
	free(a);
}

void *arena_alloc(arena *a, size_t n)
{
	struct block *b = a->head;
	size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (n == 0)
		need = ARENA_ALIGN;
	if (need < n || need > a->max || a->total > a->max - need)
		return NULL;
	if (!b || b->size - b->used < need) {
		size_t size = need > ARENA_BLOCK / 4 ? need : ARENA_BLOCK;
		struct block *nb = malloc(sizeof(*nb) + size);
		if (!nb)
			return NULL;
		nb->size = size;
		nb->used = 0;
		if (b && size == need) {
			/* A large allocation goes behind the current block so the current
			 * block's free space stays usable. */
			nb->next = b->next;
			b->next = nb;
			b = nb;
		} else {
			nb->next = b;
			a->head = b = nb;
		}
	}
	void *p = b->data + b->used;
	b->used += need;
	a->total += need;
	return p;
}

void *arena_calloc(arena *a, size_t nmemb, size_t size)
{
	void *p;
	if (size && nmemb > SIZE_MAX / size)
		return NULL;
	p = arena_alloc(a, nmemb * size);
	if (p)
		memset(p, 0, nmemb * size);
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t len)
{
	char *p;
	if (len == SIZE_MAX)
		return NULL;
	p = arena_alloc(a, len + 1);
	if (p) {
		if (len)
			memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	p = arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

int arena_cleanup_add(arena *a, arena_cleanup_fn fn, void *data)
{
	struct cleanup *c = arena_alloc(a, sizeof(*c));
	if (!c) {
		fn(data);
		return -1;
	}
	c->fn = fn;
	c->data = data;
	c->next = a->cleanups;
	a->cleanups = c;
	return 0;
}

void *arena_grow(arena *a, void *items, size_t n, size_t *cap, size_t size)
{
	void *bigger;
	if (n < *cap)
		return items;
	*cap = *cap ? *cap * 2 : 16;
	bigger = arena_calloc(a, *cap, size);
	if (bigger && n)
		memcpy(bigger, items, n * size);
	return bigger;
}

size_t arena_used(const arena *a)
{
	return a->total;
}
