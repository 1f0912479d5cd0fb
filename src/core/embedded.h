/* embedded.h: files compiled into the binary by tools/embed.c. */
#ifndef CORE_EMBEDDED_H
#define CORE_EMBEDDED_H
#include <stddef.h>

struct embedded_file {
	const char *name; /* base name, e.g. "layout.html"; NULL ends a table */
	const char *data; /* NUL-terminated */
	size_t len;
};

extern const struct embedded_file embedded_templates[];  /* templates/, *.html */
extern const struct embedded_file embedded_migrations[]; /* migrations/, NNNN_name.sql, in order */
extern const struct embedded_file embedded_static[];     /* static/ (our own CSS) */

/* Returns the entry named NAME in TABLE, or NULL. */
const struct embedded_file *embedded_find(const struct embedded_file *table, const char *name);

#endif
