/* arena.h: a region allocator owned by one request (or one CLI command).
 *
 * Everything allocated from an arena is freed at once by arena_free(), which first runs
 * the registered cleanups in reverse order (finalise statements, close files, ...).
 * Handlers never call free(). An arena has a hard maximum set at creation: past it,
 * arena_alloc returns NULL and the caller fails the request with 413/500, never the
 * server. Not thread-safe: one arena belongs to one thread at a time.
 */
#ifndef CORE_ARENA_H
#define CORE_ARENA_H
#include <stddef.h>

typedef struct arena arena;
typedef void (*arena_cleanup_fn)(void *data);

/* Creates an arena that may grow to MAX bytes in all. Returns NULL if out of memory. */
arena *arena_new(size_t max);

/* Frees every block after running the cleanups (last added first). NULL is fine. */
void arena_free(arena *a);

/* Returns N bytes aligned for any type, or NULL past the arena's maximum. */
void *arena_alloc(arena *a, size_t n);

/* As arena_alloc, zero-filled; checks NMEMB * SIZE for overflow. */
void *arena_calloc(arena *a, size_t nmemb, size_t size);

/* Copies LEN bytes of S and a NUL into the arena. NULL past the maximum. */
char *arena_strndup(arena *a, const char *s, size_t len);
char *arena_strdup(arena *a, const char *s);

/* printf into the arena. NULL on failure. */
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Registers FN(DATA) to run when the arena is freed. Returns 0, or -1 if out of memory
 * (in which case FN(DATA) is run at once so nothing leaks). */
int arena_cleanup_add(arena *a, arena_cleanup_fn fn, void *data);

/* Makes room for one more element in an arena-backed array of N elements of SIZE bytes
 * with capacity *CAP, doubling as needed. Returns ITEMS (or its moved copy), or NULL if
 * out of memory. Usage: if (!(arr = arena_grow(a, arr, n, &cap, sizeof(*arr)))) fail; */
void *arena_grow(arena *a, void *items, size_t n, size_t *cap, size_t size);

/* Bytes handed out so far (for limits and tests). */
size_t arena_used(const arena *a);

#endif
