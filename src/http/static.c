/* static.c: in-memory static files with ETags; see static.h. */
#include "http/static.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embedded.h"
#include "core/log.h"

#define STATIC_MAX_FILES 32
#define STATIC_MAX_SIZE (4 * 1024 * 1024)

struct static_file {
	char url[96];
	char etag[36];
	const char *type;
	char *data;
	size_t len;
	bool owned;
};

static struct static_file files[STATIC_MAX_FILES];
static int nfiles;
static char version[17];

/* The only files taken from GOV.UK Frontend's dist directory. */
static const char *const govuk_files[] = {"govuk-frontend.min.css", "govuk-frontend.min.js"};

static const char *type_for(const char *name)
{
	const char *dot = strrchr(name, '.');
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".css", "text/css; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
		{".svg", "image/svg+xml"},           {".png", "image/png"},
		{".ico", "image/x-icon"},            {".json", "application/json"},
		{".txt", "text/plain; charset=utf-8"},
	};
	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

static void hash_hex(const void *data, size_t len, char *out, size_t outlen)
{
	unsigned char h[8];
	crypto_generichash(h, sizeof(h), data, len, NULL, 0);
	sodium_bin2hex(out, outlen, h, sizeof(h));
}

static int add(const char *name, char *data, size_t len, bool owned)
{
	struct static_file *f;
	if (nfiles == STATIC_MAX_FILES)
		return -1;
	f = &files[nfiles++];
	snprintf(f->url, sizeof(f->url), "/assets/%s", name);
	f->type = type_for(name);
	f->data = data;
	f->len = len;
	f->owned = owned;
	f->etag[0] = '"';
	hash_hex(data, len, f->etag + 1, sizeof(f->etag) - 2);
	f->etag[strlen(f->etag)] = '"';
	return 0;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long n;
	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && n <= STATIC_MAX_SIZE &&
	    fseek(fp, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) != NULL) {
		if (fread(buf, 1, (size_t)n, fp) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(fp);
	return buf;
}

int static_init(const char *assets_dir)
{
	crypto_generichash_state st;
	unsigned char h[8];

	static_free();
	for (size_t i = 0; i < sizeof(govuk_files) / sizeof(govuk_files[0]); i++) {
		char path[4096];
		size_t len = 0;
		char *data;
		snprintf(path, sizeof(path), "%s/%s", assets_dir, govuk_files[i]);
		data = read_file(path, &len);
		if (!data) {
			log_error("cannot read %s: install GOV.UK Frontend with `npm ci` in the "
				  "coprod directory, or point --assets at its dist/govuk directory",
				  path);
			return -1;
		}
		add(govuk_files[i], data, len, true);
	}
	for (const struct embedded_file *e = embedded_static; e->name; e++)
		add(e->name, (char *)(uintptr_t)e->data, e->len, false);
	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	for (int i = 0; i < nfiles; i++)
		crypto_generichash_update(&st, (const unsigned char *)files[i].etag,
					  strlen(files[i].etag));
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(version, sizeof(version), h, sizeof(h));
	version[12] = '\0';
	return 0;
}

const char *static_version(void)
{
	return version;
}

bool static_serve(req *r)
{
	for (int i = 0; i < nfiles; i++) {
		struct static_file *f = &files[i];
		sv inm;
		if (!sv_eq_cstr(r->path, f->url))
			continue;
		if (r->method != HTTP_GET && r->method != HTTP_HEAD)
			return false;
		resp_header(r, "ETag", f->etag);
		resp_header(r, "Cache-Control", kv_get(&r->query, "v").ptr
							? "public, max-age=31536000, immutable"
							: "public, max-age=3600");
		inm = req_header(r, "If-None-Match");
		r->content_type = f->type;
		if (inm.ptr && sv_eq_cstr(inm, f->etag)) {
			r->status = 304;
			return true;
		}
		r->status = 200;
		r->static_body = f->data;
		r->static_len = f->len;
		return true;
	}
	return false;
}

void static_free(void)
{
	for (int i = 0; i < nfiles; i++)
		if (files[i].owned)
			free(files[i].data);
	nfiles = 0;
}
