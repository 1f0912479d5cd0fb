/* test_form.c: what a browser sends, as the form parsers must read it (src/http/form.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/form.h"

#define TEST_ARENA_MAX (256u * 1024 * 1024)

static int setup(void **state)
{
	*state = arena_new(TEST_ARENA_MAX);
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

/* A view compared with a C string, and the view's own NUL terminator checked too. */
static void check_sv(sv got, const char *want)
{
	assert_non_null(got.ptr);
	assert_int_equal(got.len, strlen(want));
	assert_memory_equal(got.ptr, want, got.len);
	assert_int_equal(got.ptr[got.len], '\0');
}

static void check_kv(const kvlist *l, size_t i, const char *key, const char *val)
{
	assert_true(i < l->n);
	check_sv(l->items[i].key, key);
	check_sv(l->items[i].val, val);
}

/* ---- percent-decoding ---- */

static int decode(arena *a, const char *in, bool plus, sv *out)
{
	return pct_decode(a, sv_from(in), plus, out);
}

static void test_pct_plain_and_escapes(void **state)
{
	sv out;
	assert_int_equal(decode(*state, "hello", true, &out), 0);
	check_sv(out, "hello");
	assert_int_equal(decode(*state, "a%20b%2Bc", false, &out), 0);
	check_sv(out, "a b+c");
	assert_int_equal(decode(*state, "%e2%82%AC!", false, &out), 0);
	check_sv(out, "\xe2\x82\xac!");
	assert_int_equal(decode(*state, "", false, &out), 0);
	check_sv(out, "");
}

static void test_pct_plus(void **state)
{
	sv out;
	assert_int_equal(decode(*state, "two+words%2B", true, &out), 0);
	check_sv(out, "two words+");
	assert_int_equal(decode(*state, "two+words%2B", false, &out), 0);
	check_sv(out, "two+words+");
}

static void test_pct_bad_escapes(void **state)
{
	sv out = SV("untouched");
	assert_int_equal(decode(*state, "%G1", false, &out), FORM_EBAD);
	assert_int_equal(decode(*state, "%1G", false, &out), FORM_EBAD);
	assert_int_equal(decode(*state, "abc%4", false, &out), FORM_EBAD);
	assert_int_equal(decode(*state, "abc%", false, &out), FORM_EBAD);
	assert_int_equal(decode(*state, "%%41", false, &out), FORM_EBAD);
	assert_int_equal(decode(*state, "a%00b", false, &out), FORM_EBAD);
	assert_int_equal(pct_decode(*state, (sv){"a\0b", 3}, false, &out), FORM_EBAD);
	/* The view ends inside the escape even though the memory after it does not. */
	assert_int_equal(pct_decode(*state, (sv){"x%41", 3}, false, &out), FORM_EBAD);
	assert_int_equal(pct_decode(*state, (sv){"x%41", 2}, false, &out), FORM_EBAD);
	check_sv(out, "untouched");
}

static void test_pct_arena_full(void **state)
{
	arena *small = arena_new(64);
	sv out;
	char big[200];
	memset(big, 'x', sizeof(big));
	assert_int_equal(pct_decode(small, (sv){big, sizeof(big)}, false, &out), FORM_ENOMEM);
	arena_free(small);
}

/* ---- urlencoded ---- */

static int urlenc(arena *a, const char *body, kvlist *l)
{
	return form_parse_urlencoded(a, sv_from(body), l);
}

static void test_urlenc_basic(void **state)
{
	kvlist l = {0};
	assert_int_equal(urlenc(*state, "a=1&b=two+words&c", &l), 0);
	assert_int_equal(l.n, 3);
	check_kv(&l, 0, "a", "1");
	check_kv(&l, 1, "b", "two words");
	check_kv(&l, 2, "c", "");
}

static void test_urlenc_repeated_and_empty(void **state)
{
	kvlist l = {0};
	assert_int_equal(urlenc(*state, "&&tag=x&&tag=y&note=&=v&q=a=b&na%6De=%C3%A9&", &l), 0);
	assert_int_equal(l.n, 6);
	assert_int_equal(kv_count(&l, "tag"), 2);
	check_kv(&l, 0, "tag", "x");
	check_kv(&l, 1, "tag", "y");
	check_kv(&l, 2, "note", "");
	check_kv(&l, 3, "", "v");
	check_kv(&l, 4, "q", "a=b");
	check_kv(&l, 5, "name", "\xc3\xa9");
	l.n = 0;
	assert_int_equal(urlenc(*state, "", &l), 0);
	assert_int_equal(l.n, 0);
}

static void test_urlenc_appends(void **state)
{
	kvlist l = {0};
	assert_int_equal(urlenc(*state, "page=2", &l), 0);
	assert_int_equal(urlenc(*state, "title=Food+and+catering", &l), 0);
	assert_int_equal(l.n, 2);
	check_kv(&l, 0, "page", "2");
	check_kv(&l, 1, "title", "Food and catering");
}

static void test_urlenc_bad_escape_refused_whole(void **state)
{
	kvlist l = {0};
	assert_int_equal(urlenc(*state, "keep=1", &l), 0);
	assert_int_equal(urlenc(*state, "a=1&b=%G1&c=3", &l), FORM_EBAD);
	assert_int_equal(l.n, 1);
	assert_int_equal(urlenc(*state, "a=1&b%4=2", &l), FORM_EBAD);
	assert_int_equal(urlenc(*state, "a=%00", &l), FORM_EBAD);
	assert_int_equal(l.n, 1);
}

static void fields_body(sbuf *b, int n)
{
	for (int i = 0; i < n; i++)
		sbuf_addf(b, "%sf%d=%d", i ? "&" : "", i, i);
}

static void test_urlenc_too_many_fields(void **state)
{
	kvlist l = {0};
	sbuf b;

	sbuf_init(&b, *state, 1 << 20);
	fields_body(&b, FORM_MAX_FIELDS);
	assert_int_equal(form_parse_urlencoded(*state, sbuf_sv(&b), &l), 0);
	assert_int_equal(l.n, FORM_MAX_FIELDS);
	check_kv(&l, FORM_MAX_FIELDS - 1, "f255", "255");

	l.n = 0;
	sbuf_reset(&b);
	fields_body(&b, FORM_MAX_FIELDS + 1);
	assert_int_equal(form_parse_urlencoded(*state, sbuf_sv(&b), &l), FORM_ETOOBIG);
	assert_int_equal(l.n, 0);

	/* Empty pairs are not fields and do not count. */
	sbuf_reset(&b);
	fields_body(&b, FORM_MAX_FIELDS);
	sbuf_adds(&b, "&&&&&&");
	assert_int_equal(form_parse_urlencoded(*state, sbuf_sv(&b), &l), 0);
	assert_int_equal(l.n, FORM_MAX_FIELDS);
	assert_int_equal(b.err, 0);
}

static void test_urlenc_long_names(void **state)
{
	kvlist l = {0};
	sbuf b;

	sbuf_init(&b, *state, 1 << 20);
	for (int i = 0; i < FORM_MAX_NAME; i++)
		sbuf_addc(&b, 'n');
	sbuf_adds(&b, "=ok");
	assert_int_equal(form_parse_urlencoded(*state, sbuf_sv(&b), &l), 0);
	assert_int_equal(l.items[0].key.len, FORM_MAX_NAME);

	sbuf_reset(&b);
	for (int i = 0; i < FORM_MAX_NAME + 1; i++)
		sbuf_addc(&b, 'n');
	assert_int_equal(form_parse_urlencoded(*state, sbuf_sv(&b), &l), FORM_ETOOBIG);

	/* Escapes count once decoded: 128 "%41" is within the limit, 129 is not. */
	sbuf_reset(&b);
	for (int i = 0; i < FORM_MAX_NAME; i++)
		sbuf_adds(&b, "%41");
	sbuf_adds(&b, "=1");
	assert_int_equal(form_parse_urlencoded(*state, sbuf_sv(&b), &l), 0);
	assert_int_equal(l.items[1].key.len, FORM_MAX_NAME);
	sbuf_reset(&b);
	for (int i = 0; i < FORM_MAX_NAME + 1; i++)
		sbuf_adds(&b, "%41");
	assert_int_equal(form_parse_urlencoded(*state, sbuf_sv(&b), &l), FORM_ETOOBIG);

	/* A name far past the limit is refused as too big before anything else is said of it. */
	sbuf_reset(&b);
	for (int i = 0; i <= 3 * FORM_MAX_NAME; i++)
		sbuf_addc(&b, 'n');
	sbuf_adds(&b, "%G1=1");
	assert_int_equal(form_parse_urlencoded(*state, sbuf_sv(&b), &l), FORM_ETOOBIG);

	/* A long value is fine: only the body size limits it. */
	sbuf_reset(&b);
	sbuf_adds(&b, "v=");
	for (int i = 0; i < 100000; i++)
		sbuf_addc(&b, 'v');
	assert_int_equal(form_parse_urlencoded(*state, sbuf_sv(&b), &l), 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.items[2].val.len, 100000);
}

/* ---- cookies ---- */

static int cookies(arena *a, const char *h, kvlist *l)
{
	return cookies_parse(a, sv_from(h), l);
}

static void test_cookies_basic(void **state)
{
	kvlist l = {0};
	assert_int_equal(cookies(*state, "sid=abc123; csrf=x-y_z", &l), 0);
	assert_int_equal(l.n, 2);
	check_kv(&l, 0, "sid", "abc123");
	check_kv(&l, 1, "csrf", "x-y_z");
	l.n = 0;
	assert_int_equal(cookies(*state, "", &l), 0);
	assert_int_equal(l.n, 0);
}

static void test_cookies_spaces(void **state)
{
	kvlist l = {0};
	assert_int_equal(cookies(*state, "  a = 1 ;b=2;\tc=3  ;;  ", &l), 0);
	assert_int_equal(l.n, 3);
	check_kv(&l, 0, "a", "1");
	check_kv(&l, 1, "b", "2");
	check_kv(&l, 2, "c", "3");
}

static void test_cookies_quotes(void **state)
{
	kvlist l = {0};
	assert_int_equal(cookies(*state, "q=\"quoted value\"; e=\"\"; raw=%22x%22", &l), 0);
	assert_int_equal(l.n, 3);
	check_kv(&l, 0, "q", "quoted value");
	check_kv(&l, 1, "e", "");
	check_kv(&l, 2, "raw", "%22x%22"); /* not decoded */
}

static void test_cookies_malformed_skipped(void **state)
{
	kvlist l = {0};
	assert_int_equal(cookies(*state,
	                         "novalue; =empty; a b=1; ok=1; half=\"open; mid=a\"b; back=a\\b; "
	                         "ctl=a\x01z; utf=caf\xc3\xa9; semi=\"; last=yes",
	                         &l),
	                 0);
	assert_int_equal(l.n, 2);
	check_kv(&l, 0, "ok", "1");
	check_kv(&l, 1, "last", "yes");
}

static void test_cookies_too_many(void **state)
{
	kvlist l = {0};
	sbuf b;

	sbuf_init(&b, *state, 1 << 16);
	for (int i = 0; i < COOKIE_MAX_COUNT; i++)
		sbuf_addf(&b, "c%d=%d; junk%d; ", i, i, i);
	assert_int_equal(cookies_parse(*state, sbuf_sv(&b), &l), 0);
	assert_int_equal(l.n, COOKIE_MAX_COUNT);
	check_kv(&l, COOKIE_MAX_COUNT - 1, "c31", "31");
	l.n = 0;
	sbuf_adds(&b, "one=more");
	assert_int_equal(cookies_parse(*state, sbuf_sv(&b), &l), FORM_ETOOBIG);
	assert_int_equal(l.n, 0);
}

static void test_cookies_copy_not_view(void **state)
{
	kvlist l = {0};
	char header[] = "sid=abc";
	assert_int_equal(cookies(*state, header, &l), 0);
	header[4] = 'X'; /* the request's header buffer may go away or be reused */
	check_kv(&l, 0, "sid", "abc");
}

/* ---- multipart ---- */

#define B    "AaB03x"
#define CT   "multipart/form-data; boundary=" B
#define CRLF "\r\n"
#define CD   "Content-Disposition: form-data; "

/* The outcome of parsing one body, written out as text so that two ways of feeding the
 * same body can be compared byte for byte. */
struct mp_result {
	int feed_rc, finish_rc;
	kvlist fields;
	struct upload *files;
	sbuf dump;
};

static void dump_sv(sbuf *d, sv s)
{
	sbuf_add_i64(d, (int64_t)s.len);
	sbuf_addc(d, ':');
	sbuf_addsv(d, s);
	sbuf_addc(d, ' ');
}

/* CHUNK gives the size of each chunk in turn (0: the whole body at once). */
static struct mp_result mp_parse(arena *a, sv ct, sv body, size_t (*chunk)(size_t *seed),
                                 size_t seed)
{
	struct mp_result r = {0};
	multipart *m = multipart_new(a, ct);
	size_t off = 0;

	assert_non_null(m);
	while (off < body.len && r.feed_rc == 0) {
		size_t n = chunk ? chunk(&seed) : body.len;
		if (n > body.len - off)
			n = body.len - off;
		r.feed_rc = multipart_feed(m, body.ptr + off, n);
		off += n;
	}
	r.finish_rc = multipart_finish(m, &r.fields, &r.files);
	sbuf_init(&r.dump, a, 32u << 20);
	sbuf_addf(&r.dump, "feed %d finish %d\n", r.feed_rc, r.finish_rc);
	for (size_t i = 0; i < r.fields.n; i++) {
		dump_sv(&r.dump, r.fields.items[i].key);
		dump_sv(&r.dump, r.fields.items[i].val);
		sbuf_addc(&r.dump, '\n');
	}
	for (struct upload *u = r.files; u; u = u->next) {
		dump_sv(&r.dump, u->field);
		dump_sv(&r.dump, u->filename);
		dump_sv(&r.dump, u->content_type);
		dump_sv(&r.dump, u->data);
		sbuf_addc(&r.dump, '\n');
	}
	assert_int_equal(r.dump.err, 0);
	return r;
}

static struct mp_result mp_whole(arena *a, const char *body, size_t len)
{
	return mp_parse(a, SV(CT), (sv){body, len}, NULL, 0);
}

#define MP(a, lit) mp_whole((a), (lit), sizeof(lit) - 1)
/* clang-format off */
#define BODY(lit) {(lit), sizeof(lit) - 1}
/* clang-format on */

static size_t one_byte(size_t *seed)
{
	(void)seed;
	return 1;
}

static size_t random_size(size_t *seed)
{
	*seed = *seed * 6364136223846793005u + 1442695040888963407u;
	/* Mostly small chunks, now and then a big one. */
	return (*seed >> 33) % 8 == 0 ? 1 + (*seed >> 40) % 4096 : 1 + (*seed >> 40) % 13;
}

static size_t nfiles(const struct upload *u)
{
	size_t n = 0;
	for (; u; u = u->next)
		n++;
	return n;
}

/* clang-format off */
static const char one_field[] = "--" B CRLF
				"Content-Disposition: form-data; name=\"title\"" CRLF CRLF
				"Warm spaces in winter" CRLF
				"--" B "--" CRLF;
/* clang-format on */

static void test_mp_one_field(void **state)
{
	struct mp_result r = MP(*state, one_field);
	assert_int_equal(r.feed_rc, 0);
	assert_int_equal(r.finish_rc, 0);
	assert_int_equal(r.fields.n, 1);
	check_kv(&r.fields, 0, "title", "Warm spaces in winter");
	assert_null(r.files);
}

/* clang-format off */
static const char idea_form[] =
	"--" B CRLF
	"Content-Disposition: form-data; name=\"title\"" CRLF CRLF
	"Lunch club" CRLF
	"--" B CRLF
	"content-disposition: form-data; name=\"summary\"" CRLF CRLF
	"Line one" CRLF "line two" CRLF CRLF
	"--" B CRLF
	"Content-Disposition: form-data; name=\"photo\"; filename=\"hall.png\"" CRLF
	"Content-Type: image/png" CRLF CRLF
	"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" CRLF "--AaB03y" CRLF "-" CRLF "\r\r\n-" CRLF
	"--" B CRLF
	"Content-Disposition: form-data; name=\"tags\"" CRLF CRLF
	"food" CRLF
	"--" B CRLF
	"Content-Disposition: form-data; name=\"tags\"" CRLF CRLF
	"" CRLF
	"--" B "--" CRLF;
/* clang-format on */

static void test_mp_fields_and_file(void **state)
{
	static const char png[] =
	    "\x89PNG\r\n\x1a\n\0\0\0\rIHDR" CRLF "--AaB03y" CRLF "-" CRLF "\r\r\n-";
	struct mp_result r = MP(*state, idea_form);
	assert_int_equal(r.feed_rc, 0);
	assert_int_equal(r.finish_rc, 0);
	assert_int_equal(r.fields.n, 4);
	check_kv(&r.fields, 0, "title", "Lunch club");
	check_kv(&r.fields, 1, "summary", "Line one\r\nline two\r\n"); /* CRLFs kept */
	check_kv(&r.fields, 2, "tags", "food");
	check_kv(&r.fields, 3, "tags", "");
	assert_int_equal(nfiles(r.files), 1);
	check_sv(r.files->field, "photo");
	check_sv(r.files->filename, "hall.png");
	check_sv(r.files->content_type, "image/png");
	assert_int_equal(r.files->data.len, sizeof(png) - 1);
	assert_memory_equal(r.files->data.ptr, png, sizeof(png) - 1);
}

/* However the body is cut into chunks, the result is the same. */
static void check_chunkings(arena *a, sv ct, sv body)
{
	struct mp_result whole = mp_parse(a, ct, body, NULL, 0);
	struct mp_result r = mp_parse(a, ct, body, one_byte, 0);
	assert_string_equal(r.dump.buf, whole.dump.buf);
	for (size_t seed = 1; seed <= 40; seed++) {
		r = mp_parse(a, ct, body, random_size, seed);
		assert_string_equal(r.dump.buf, whole.dump.buf);
	}
	/* Every place to cut it in two, so that each delimiter is split at each byte (for
	 * small bodies: the cost grows with the square of the length). */
	for (size_t cut = 1; cut < body.len && body.len <= 4096; cut++) {
		multipart *m = multipart_new(a, ct);
		struct mp_result two = {0};
		two.feed_rc = multipart_feed(m, body.ptr, cut);
		if (two.feed_rc == 0)
			two.feed_rc = multipart_feed(m, body.ptr + cut, body.len - cut);
		two.finish_rc = multipart_finish(m, &two.fields, &two.files);
		assert_int_equal(two.feed_rc, whole.feed_rc);
		assert_int_equal(two.finish_rc, whole.finish_rc);
		assert_int_equal(two.fields.n, whole.fields.n);
		assert_int_equal(nfiles(two.files), nfiles(whole.files));
		if (two.files)
			assert_true(sv_eq(two.files->data, whole.files->data));
	}
}

static void test_mp_chunking_same_result(void **state)
{
	check_chunkings(*state, SV(CT), (sv){idea_form, sizeof(idea_form) - 1});
	check_chunkings(*state, SV(CT), (sv){one_field, sizeof(one_field) - 1});
}

static void test_mp_chunking_large_file(void **state)
{
	sbuf b;
	struct mp_result r;

	/* A file full of near-delimiters, bigger than any one chunk. */
	sbuf_init(&b, *state, 1 << 20);
	sbuf_adds(&b,
	          "--" B CRLF "Content-Disposition: form-data; name=\"f\"; filename=\"a.csv\"" CRLF
	          "Content-Type: text/csv" CRLF CRLF);
	for (int i = 0; i < 3000; i++)
		sbuf_addf(&b, "row,%d\r\n--AaB03%s\r", i, i % 3 ? "" : "y");
	sbuf_adds(&b, CRLF "--" B "--");
	assert_int_equal(b.err, 0);
	check_chunkings(*state, SV(CT), sbuf_sv(&b));
	r = mp_parse(*state, SV(CT), sbuf_sv(&b), NULL, 0);
	assert_int_equal(r.finish_rc, 0);
	assert_int_equal(nfiles(r.files), 1);
	assert_true(sv_starts_with(r.files->data, SV("row,0\r\n--AaB03y\rrow,1\r\n--AaB03\r")));
}

static void test_mp_errors_same_however_chunked(void **state)
{
	/* clang-format off */
	static const char bad[] = "--" B CRLF "Content-Disposition: form-data; name=\"a\"" CRLF CRLF
				  "1" CRLF "--" B "junk" CRLF;
	/* clang-format on */
	check_chunkings(*state, SV(CT), (sv){bad, sizeof(bad) - 1});
	assert_int_equal(MP(*state, bad).feed_rc, FORM_EBAD);
}

static void test_mp_missing_close(void **state)
{
	/* clang-format off */
	static const char no_close[] =
		"--" B CRLF CD "name=\"a\"" CRLF CRLF "1" CRLF
		"--" B CRLF CD "name=\"f\"; filename=\"x\"" CRLF CRLF "half a fi";
	static const char no_dashes[] =
		"--" B CRLF CD "name=\"a\"" CRLF CRLF "1" CRLF
		"--" B;
	/* clang-format on */
	struct mp_result r = MP(*state, no_close);
	assert_int_equal(r.feed_rc, 0);
	assert_int_equal(r.finish_rc, FORM_EBAD);
	assert_int_equal(r.fields.n, 0);
	assert_null(r.files);
	r = MP(*state, no_dashes);
	assert_int_equal(r.feed_rc, 0);
	assert_int_equal(r.finish_rc, FORM_EBAD);
	r = mp_whole(*state, "", 0);
	assert_int_equal(r.finish_rc, FORM_EBAD);
	r = MP(*state, "no boundary anywhere in here");
	assert_int_equal(r.finish_rc, FORM_EBAD);
}

static sv field_of_size(arena *a, const char *disposition, size_t n)
{
	sbuf b;
	char *p;
	sbuf_init(&b, a, n + 1024);
	sbuf_adds(&b, "--" B CRLF "Content-Disposition: form-data; ");
	sbuf_adds(&b, disposition);
	sbuf_adds(&b, CRLF CRLF);
	p = sbuf_reserve(&b, n);
	assert_non_null(p);
	memset(p, 'x', n);
	sbuf_commit(&b, n);
	sbuf_adds(&b, CRLF "--" B "--" CRLF);
	assert_int_equal(b.err, 0);
	return sbuf_sv(&b);
}

static void test_mp_field_too_big(void **state)
{
	struct mp_result r;
	r = mp_parse(*state, SV(CT), field_of_size(*state, "name=\"v\"", MULTIPART_MAX_FIELD), NULL,
	             0);
	assert_int_equal(r.finish_rc, 0);
	assert_int_equal(r.fields.items[0].val.len, MULTIPART_MAX_FIELD);

	r = mp_parse(*state, SV(CT), field_of_size(*state, "name=\"v\"", MULTIPART_MAX_FIELD + 1),
	             NULL, 0);
	assert_int_equal(r.feed_rc, FORM_ETOOBIG);
	assert_int_equal(r.finish_rc, FORM_ETOOBIG);
	assert_int_equal(r.fields.n, 0);

	/* The same size is fine for a file. */
	r = mp_parse(
	    *state, SV(CT),
	    field_of_size(*state, "name=\"v\"; filename=\"v.txt\"", MULTIPART_MAX_FIELD + 1), NULL,
	    0);
	assert_int_equal(r.finish_rc, 0);
	assert_int_equal(r.files->data.len, MULTIPART_MAX_FIELD + 1);
}

static void test_mp_file_too_big(void **state)
{
	sv ok = field_of_size(*state, "name=\"f\"; filename=\"big.bin\"", MULTIPART_MAX_FILE);
	sv big = field_of_size(*state, "name=\"f\"; filename=\"big.bin\"", MULTIPART_MAX_FILE + 1);
	multipart *m;
	kvlist fields = {0};
	struct upload *files;

	m = multipart_new(*state, SV(CT));
	assert_int_equal(multipart_feed(m, ok.ptr, ok.len), 0);
	assert_int_equal(multipart_finish(m, &fields, &files), 0);
	assert_int_equal(files->data.len, MULTIPART_MAX_FILE);

	m = multipart_new(*state, SV(CT));
	assert_int_equal(multipart_feed(m, big.ptr, big.len), FORM_ETOOBIG);
	assert_int_equal(multipart_finish(m, &fields, &files), FORM_ETOOBIG);
	assert_null(files);
}

static void test_mp_errors_are_sticky(void **state)
{
	/* clang-format off */
	static const char bad[] = "--" B CRLF "Content-Disposition: form-data" CRLF CRLF "x" CRLF;
	/* clang-format on */
	multipart *m = multipart_new(*state, SV(CT));
	kvlist fields = {0};
	struct upload dummy, *files = &dummy;

	assert_int_equal(multipart_feed(m, bad, sizeof(bad) - 1), FORM_EBAD);
	assert_int_equal(multipart_feed(m, one_field, sizeof(one_field) - 1), FORM_EBAD);
	assert_int_equal(multipart_finish(m, &fields, &files), FORM_EBAD);
	assert_null(files);

	/* Once finished, a parser takes nothing more. */
	m = multipart_new(*state, SV(CT));
	assert_int_equal(multipart_feed(m, one_field, sizeof(one_field) - 1), 0);
	assert_int_equal(multipart_finish(m, &fields, &files), 0);
	assert_int_equal(fields.n, 1);
	assert_int_equal(multipart_feed(m, "", 0), FORM_EBAD);
	assert_int_equal(multipart_feed(m, "x", 1), FORM_EBAD);
	assert_int_equal(multipart_finish(m, &fields, &files), FORM_EBAD);
	assert_int_equal(fields.n, 1);
}

static void test_mp_content_types(void **state)
{
	/* clang-format off */
	static const char quoted_body[] = "--a b:c=d" CRLF
					  "Content-Disposition: form-data; name=a" CRLF CRLF
					  "1" CRLF "--a b:c=d--";
	/* clang-format on */
	struct mp_result r;
	multipart *m;

	r = mp_parse(*state, SV("multipart/form-data; boundary=\"a b:c=d\""), SV(quoted_body), NULL,
	             0);
	assert_int_equal(r.finish_rc, 0);
	check_kv(&r.fields, 0, "a", "1");
	r = mp_parse(*state, SV("Multipart/Form-Data ; charset=utf-8;BOUNDARY = " B " ;"),
	             SV(one_field), NULL, 0);
	assert_int_equal(r.finish_rc, 0);
	check_kv(&r.fields, 0, "title", "Warm spaces in winter");
	r = mp_parse(*state, SV("multipart/form-data; boundary=\"" B "\"; x=\"y;z\""),
	             SV(one_field), NULL, 0);
	assert_int_equal(r.finish_rc, 0);

	/* clang-format off */
	static const char *const refused[] = {
		"",
		"text/plain; boundary=x",
		"multipart/form-data",
		"multipart/form-data;",
		"multipart/form-data; boundary=",
		"multipart/form-data; boundary=\"\"",
		"multipart/form-data; boundary=\"abc",
		"multipart/form-data; boundary=\"ab\\\"c\"",
		"multipart/form-data; boundary=ab;cd",
		"multipart/form-data; boundary=a\rb",
		"multipart/form-data; boundary=\"ends with space \"",
		"multipart/form-data; boundary=a; boundary=b",
		"multipart/form-data; boundary",
		"multipart/form-data; =x; boundary=a",
		"multipart/mixed; boundary=a",
		"multipart/form-data; boundary="
		"12345678901234567890123456789012345678901234567890123456789012345678901",
	};
	/* clang-format on */
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		m = multipart_new(*state, sv_from(refused[i]));
		if (m)
			fail_msg("accepted content type: %s", refused[i]);
	}
	assert_non_null(multipart_new(
	    *state, SV("multipart/form-data; boundary="
	               "1234567890123456789012345678901234567890123456789012345678901234567890")));
}

static void test_mp_preamble_epilogue_padding(void **state)
{
	/* clang-format off */
	static const char body[] = "This is a preamble --" B " for mail readers." CRLF
				   "--" B " \t" CRLF
				   "Content-Disposition: form-data; name=\"a\"" CRLF CRLF
				   "1" CRLF "--" B "--" CRLF
				   "epilogue, ignored" CRLF "--" B CRLF "not a part";
	/* clang-format on */
	struct mp_result r = MP(*state, body);
	assert_int_equal(r.feed_rc, 0);
	assert_int_equal(r.finish_rc, 0);
	assert_int_equal(r.fields.n, 1);
	check_kv(&r.fields, 0, "a", "1");
	check_chunkings(*state, SV(CT), SV(body));
	/* A CRLF before the first delimiter is a (tiny) preamble too. */
	r = MP(*state, CRLF "--" B CRLF "Content-Disposition: form-data; name=\"a\"" CRLF CRLF
	                    "2" CRLF "--" B "--");
	assert_int_equal(r.finish_rc, 0);
	check_kv(&r.fields, 0, "a", "2");
}

static void test_mp_filenames(void **state)
{
	/* clang-format off */
	static const char body[] =
		"--" B CRLF CD "name=\"a\"; filename=\"say \\\"hi\\\".txt\"" CRLF CRLF "1" CRLF
		"--" B CRLF CD "name=\"b\"; filename=\"C:\\docs\\minutes.doc\"" CRLF CRLF "2" CRLF
		"--" B CRLF CD "filename=\"../../etc/passwd\"; name=\"c\"" CRLF CRLF "3" CRLF
		"--" B CRLF CD "name=d; filename=plain.csv" CRLF CRLF "4" CRLF
		"--" B CRLF CD "name=\"e\\\\f\"; filename=\"semi;colon.txt\"" CRLF CRLF "5" CRLF
		"--" B "--";
	/* clang-format on */
	struct mp_result r = MP(*state, body);
	struct upload *u = r.files;

	assert_int_equal(r.finish_rc, 0);
	assert_int_equal(nfiles(u), 5);
	check_sv(u->field, "a");
	check_sv(u->filename, "say \"hi\".txt");
	check_sv(u->content_type, "text/plain"); /* RFC 7578's default */
	u = u->next;
	check_sv(u->filename, "minutes.doc");
	u = u->next;
	check_sv(u->field, "c");
	check_sv(u->filename, "passwd");
	u = u->next;
	check_sv(u->field, "d");
	check_sv(u->filename, "plain.csv");
	check_sv(u->data, "4");
	u = u->next;
	check_sv(u->field, "e\\f");
	check_sv(u->filename, "semi;colon.txt");
}

static void test_mp_empty_file_input(void **state)
{
	/* clang-format off */
	static const char body[] =
		"--" B CRLF CD "name=\"note\"" CRLF CRLF "hi" CRLF
		"--" B CRLF CD "name=\"photo\"; filename=\"\"" CRLF
		"Content-Type: application/octet-stream" CRLF CRLF CRLF
		"--" B CRLF CD "name=\"empty\"; filename=\"empty.txt\"" CRLF CRLF CRLF
		"--" B CRLF CD "name=\"noname\"; filename=\"\"" CRLF CRLF "data" CRLF
		"--" B "--";
	/* clang-format on */
	struct mp_result r = MP(*state, body);

	assert_int_equal(r.finish_rc, 0);
	assert_int_equal(r.fields.n, 1);
	check_kv(&r.fields, 0, "note", "hi");
	assert_int_equal(nfiles(r.files), 2);
	/* A chosen file that happens to be empty is still a file. */
	check_sv(r.files->field, "empty");
	check_sv(r.files->filename, "empty.txt");
	assert_int_equal(r.files->data.len, 0);
	/* So is data sent with no name. */
	check_sv(r.files->next->field, "noname");
	check_sv(r.files->next->filename, "");
	check_sv(r.files->next->data, "data");
}

static void test_mp_bad_parts(void **state)
{
	/* clang-format off */
	static const struct { const char *p; size_t len; } bad[] = {
		/* no Content-Disposition */
		BODY("--" B CRLF "Content-Type: text/plain" CRLF CRLF "x" CRLF "--" B "--"),
		/* no headers at all */
		BODY("--" B CRLF CRLF "x" CRLF "--" B "--"),
		/* no name */
		BODY("--" B CRLF CD "filename=\"a\"" CRLF CRLF "x" CRLF
		     "--" B "--"),
		/* not form-data */
		BODY("--" B CRLF "Content-Disposition: attachment; name=\"a\"" CRLF CRLF "x" CRLF
		     "--" B "--"),
		/* two names */
		BODY("--" B CRLF CD "name=a; name=b" CRLF CRLF "x" CRLF
		     "--" B "--"),
		/* two dispositions */
		BODY("--" B CRLF CD "name=a" CRLF
		     CD "name=b" CRLF CRLF "x" CRLF "--" B "--"),
		/* unterminated quote */
		BODY("--" B CRLF CD "name=\"a" CRLF CRLF "x" CRLF "--" B "--"),
		/* a header line without a colon */
		BODY("--" B CRLF CD "name=a" CRLF "junk" CRLF CRLF "x" CRLF
		     "--" B "--"),
		/* a folded header */
		BODY("--" B CRLF "Content-Disposition: form-data;" CRLF " name=a" CRLF CRLF "x" CRLF
		     "--" B "--"),
		/* a bare LF inside the headers */
		BODY("--" B CRLF CD "name=a\nX-Y: z" CRLF CRLF "x" CRLF
		     "--" B "--"),
		/* junk after a delimiter */
		BODY("--" B "-x" CRLF),
		BODY("--" B " x" CRLF),
		BODY("--" B "\rx"),
		/* a header name that is not a token */
		BODY("--" B CRLF CD "name=a" CRLF "Bad Header: x" CRLF CRLF
		     "x" CRLF "--" B "--"),
		/* a lone CR inside the headers */
		BODY("--" B CRLF CD "name=a" CRLF
		     "X-Y: a\rxContent-Type: text/html" CRLF CRLF "x" CRLF
		     "--" B "--"),
		/* two content types */
		BODY("--" B CRLF CD "name=a" CRLF "Content-Type: text/plain" CRLF
		     "Content-Type: text/html" CRLF CRLF "x" CRLF "--" B "--"),
		/* two filenames */
		BODY("--" B CRLF CD "name=a; filename=x; filename=y" CRLF CRLF
		     "x" CRLF "--" B "--"),
		/* a NUL in a text field */
		BODY("--" B CRLF CD "name=a" CRLF CRLF "x\0y" CRLF "--" B "--"),
	};
	/* clang-format on */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mp_result r = mp_whole(*state, bad[i].p, bad[i].len);
		/* The mistake is caught as the body arrives, not only at the end. */
		if (r.feed_rc != FORM_EBAD || r.finish_rc != FORM_EBAD)
			fail_msg("body %zu: feed gave %d and finish %d, not FORM_EBAD", i,
			         r.feed_rc, r.finish_rc);
	}
}

static void test_mp_binary_file_keeps_nul(void **state)
{
	/* clang-format off */
	static const char body[] = "--" B CRLF "Content-Disposition: form-data; name=f; filename=z"
				   CRLF CRLF "a\0b" CRLF "--" B "--";
	/* clang-format on */
	struct mp_result r = MP(*state, body);
	assert_int_equal(r.finish_rc, 0);
	assert_int_equal(r.files->data.len, 3);
	assert_memory_equal(r.files->data.ptr, "a\0b", 3);
}

static void test_mp_too_many_parts(void **state)
{
	sbuf b;
	struct mp_result r;

	sbuf_init(&b, *state, 1 << 20);
	for (int i = 0; i < MULTIPART_MAX_PARTS; i++)
		sbuf_addf(&b,
		          "--" B CRLF "Content-Disposition: form-data; name=\"f%d\"" CRLF CRLF
		          "%d" CRLF,
		          i, i);
	sbuf_adds(&b, "--" B "--");
	r = mp_parse(*state, SV(CT), sbuf_sv(&b), NULL, 0);
	assert_int_equal(r.finish_rc, 0);
	assert_int_equal(r.fields.n, MULTIPART_MAX_PARTS);

	sbuf_reset(&b);
	for (int i = 0; i <= MULTIPART_MAX_PARTS; i++)
		sbuf_addf(&b,
		          "--" B CRLF "Content-Disposition: form-data; name=\"f%d\"" CRLF CRLF
		          "%d" CRLF,
		          i, i);
	sbuf_adds(&b, "--" B "--");
	r = mp_parse(*state, SV(CT), sbuf_sv(&b), NULL, 0);
	assert_int_equal(r.feed_rc, FORM_ETOOBIG);
	assert_int_equal(r.finish_rc, FORM_ETOOBIG);
}

static sv part_with_header_bytes(arena *a, size_t total)
{
	static const char cd[] = "Content-Disposition: form-data; name=a" CRLF "X-Pad: ";
	sbuf b;
	size_t pad = total - (sizeof(cd) - 1) - 4; /* the pad line's CRLF and the blank line */

	sbuf_init(&b, a, 1 << 16);
	sbuf_adds(&b, "--" B CRLF);
	sbuf_adds(&b, cd);
	for (size_t i = 0; i < pad; i++)
		sbuf_addc(&b, 'p');
	sbuf_adds(&b, CRLF CRLF "v" CRLF "--" B "--");
	return sbuf_sv(&b);
}

static void test_mp_header_limit(void **state)
{
	struct mp_result r;
	r = mp_parse(*state, SV(CT), part_with_header_bytes(*state, MULTIPART_MAX_HEADER), NULL, 0);
	assert_int_equal(r.finish_rc, 0);
	check_kv(&r.fields, 0, "a", "v");
	r = mp_parse(*state, SV(CT), part_with_header_bytes(*state, MULTIPART_MAX_HEADER + 1), NULL,
	             0);
	assert_int_equal(r.feed_rc, FORM_ETOOBIG);

	/* Endless padding after a delimiter counts against the same limit. */
	sbuf p;
	sbuf_init(&p, *state, 1 << 16);
	sbuf_adds(&p, "--" B);
	for (int i = 0; i <= MULTIPART_MAX_HEADER; i++)
		sbuf_addc(&p, ' ');
	r = mp_parse(*state, SV(CT), sbuf_sv(&p), NULL, 0);
	assert_int_equal(r.feed_rc, FORM_ETOOBIG);

	/* A long name is refused as it is in urlencoded bodies. */
	sbuf b;
	sbuf_init(&b, *state, 1 << 16);
	sbuf_adds(&b, "--" B CRLF "Content-Disposition: form-data; name=");
	for (int i = 0; i <= FORM_MAX_NAME; i++)
		sbuf_addc(&b, 'n');
	sbuf_adds(&b, CRLF CRLF "v" CRLF "--" B "--");
	r = mp_parse(*state, SV(CT), sbuf_sv(&b), NULL, 0);
	assert_int_equal(r.finish_rc, FORM_ETOOBIG);
}

static void test_mp_finish_appends(void **state)
{
	kvlist fields = {0};
	struct upload *files;
	multipart *m = multipart_new(*state, SV(CT));

	assert_int_equal(form_parse_urlencoded(*state, SV("from=query"), &fields), 0);
	assert_int_equal(multipart_feed(m, one_field, sizeof(one_field) - 1), 0);
	assert_int_equal(multipart_finish(m, &fields, &files), 0);
	assert_int_equal(fields.n, 2);
	check_kv(&fields, 0, "from", "query");
	check_kv(&fields, 1, "title", "Warm spaces in winter");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_pct_plain_and_escapes),
	    T(test_pct_plus),
	    T(test_pct_bad_escapes),
	    T(test_pct_arena_full),
	    T(test_urlenc_basic),
	    T(test_urlenc_repeated_and_empty),
	    T(test_urlenc_appends),
	    T(test_urlenc_bad_escape_refused_whole),
	    T(test_urlenc_too_many_fields),
	    T(test_urlenc_long_names),
	    T(test_cookies_basic),
	    T(test_cookies_spaces),
	    T(test_cookies_quotes),
	    T(test_cookies_malformed_skipped),
	    T(test_cookies_too_many),
	    T(test_cookies_copy_not_view),
	    T(test_mp_one_field),
	    T(test_mp_fields_and_file),
	    T(test_mp_chunking_same_result),
	    T(test_mp_chunking_large_file),
	    T(test_mp_errors_same_however_chunked),
	    T(test_mp_missing_close),
	    T(test_mp_field_too_big),
	    T(test_mp_file_too_big),
	    T(test_mp_errors_are_sticky),
	    T(test_mp_content_types),
	    T(test_mp_preamble_epilogue_padding),
	    T(test_mp_filenames),
	    T(test_mp_empty_file_input),
	    T(test_mp_bad_parts),
	    T(test_mp_binary_file_keeps_nul),
	    T(test_mp_too_many_parts),
	    T(test_mp_header_limit),
	    T(test_mp_finish_appends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
