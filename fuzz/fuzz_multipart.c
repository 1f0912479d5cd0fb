/* fuzz_multipart.c: the streaming multipart/form-data parser. The first two bytes of the
 * input choose how the rest is cut into chunks (the largest chunk and a seed); the rest is
 * the body of a request with a fixed boundary. The body is parsed twice, once in those
 * chunks and once whole, and the two outcomes must be the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/form.h"

#define FUZZ_CT "multipart/form-data; boundary=xYz"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void dump_sv(sbuf *d, sv s)
{
	if (!s.ptr || s.ptr[s.len] != '\0')
		abort();
	sbuf_add_i64(d, (int64_t)s.len);
	sbuf_addc(d, ':');
	sbuf_addsv(d, s);
}

/* Parses BODY in chunks of 1..MAXCHUNK bytes (the whole body when MAXCHUNK is 0) and
 * writes what came out into OUT. */
static void parse(arena *a, sv body, size_t maxchunk, uint32_t seed, sbuf *out)
{
	multipart *m = multipart_new(a, SV(FUZZ_CT));
	kvlist fields = {0};
	struct upload *files = NULL;
	size_t off = 0;
	int feed_rc = 0, rc;

	if (!m)
		abort();
	while (off < body.len && feed_rc == 0) {
		size_t n = body.len - off;
		if (maxchunk) {
			seed = seed * 1103515245u + 12345u;
			n = 1 + (seed >> 16) % maxchunk;
			if (n > body.len - off)
				n = body.len - off;
		}
		feed_rc = multipart_feed(m, body.ptr + off, n);
		off += n;
	}
	rc = multipart_finish(m, &fields, &files);
	if (feed_rc && rc != feed_rc)
		abort(); /* errors are sticky */
	if (rc && (fields.n || files))
		abort();
	if (fields.n + (size_t)(files != NULL) > MULTIPART_MAX_PARTS)
		abort();
	sbuf_add_i64(out, rc);
	for (size_t i = 0; i < fields.n; i++) {
		if (fields.items[i].key.len > FORM_MAX_NAME ||
		    fields.items[i].val.len > MULTIPART_MAX_FIELD ||
		    memchr(fields.items[i].val.ptr, '\0', fields.items[i].val.len))
			abort();
		dump_sv(out, fields.items[i].key);
		dump_sv(out, fields.items[i].val);
	}
	for (struct upload *u = files; u; u = u->next) {
		if (memchr(u->filename.ptr, '/', u->filename.len) ||
		    memchr(u->filename.ptr, '\\', u->filename.len) ||
		    u->data.len > MULTIPART_MAX_FILE)
			abort();
		dump_sv(out, u->field);
		dump_sv(out, u->filename);
		dump_sv(out, u->content_type);
		dump_sv(out, u->data);
	}
	if (out->err)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena *a;
	sbuf chunked, whole;
	sv body;

	if (size < 2)
		return 0;
	a = arena_new(64 * size + (1u << 20));
	if (!a)
		return 0;
	body = (sv){(const char *)data + 2, size - 2};
	sbuf_init(&chunked, a, 8 * size + 4096);
	sbuf_init(&whole, a, 8 * size + 4096);
	parse(a, body, 1 + data[0] % 64u, data[1], &chunked);
	parse(a, body, 0, 0, &whole);
	if (!sv_eq(sbuf_sv(&chunked), sbuf_sv(&whole)))
		abort();
	arena_free(a);
	return 0;
}
