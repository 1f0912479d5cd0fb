/* tval_impl.h: the inside of template values, shared by tval.c (which builds them) and
 * tmpl.c (which renders them). Nothing outside src/tmpl/ includes this file.
 */
#ifndef TMPL_TVAL_IMPL_H
#define TMPL_TVAL_IMPL_H
#include <stdbool.h>
#include <stdint.h>

#include "tmpl/tmpl.h"

enum tval_kind { TV_STR, TV_INT, TV_BOOL, TV_MAP, TV_LIST };

/* One map entry. The hash lets a lookup skip most keys with one integer compare; the
 * template parser works out the same hash for each name once, at start-up. */
struct tval_entry {
	const char *key;
	uint32_t len, hash;
	tval *v;
};

struct tval {
	uint8_t kind;    /* enum tval_kind */
	bool failed;     /* a map or list lost a value to a full arena: render fails */
	uint32_t n, cap; /* entries or items, for maps and lists */
	union {
		sv s;
		int64_t i;
		bool b;
		struct {
			struct tval_entry *entries;
			arena *a; /* where the map grows */
		} map;
		struct {
			tval **items;
			arena *a;
		} list;
	} u;
};

/* FNV-1a over LEN bytes of S: the hash of map keys and of template names. */
uint32_t tval_hash(const char *s, size_t len);

/* Looks up the key S[0..LEN) with hash HASH in MAP. NULL if absent or MAP is no map. */
tval *tval_get_hashed(const tval *map, const char *s, size_t len, uint32_t hash);

#endif
