/* csv.c: see csv.h. Written here because Debian's CSV libraries (libcsv) neither report
 * line numbers per record nor guard written fields against spreadsheet formulas, and
 * the reader is small. */
#include "core/csv.h"

#include <string.h>

#include "core/escape.h"

void csv_reader_init(struct csv_reader *r, arena *a, sv input)
{
	if (input.len >= 3 && memcmp(input.ptr, "\xEF\xBB\xBF", 3) == 0) {
		input.ptr += 3;
		input.len -= 3;
	}
	r->rest = input;
	r->line = 1;
	r->a = a;
}

static int fail(const char **err, const char *why)
{
	if (err)
		*err = why;
	return -1;
}

/* Reads one field starting at *P; on return *P is at the comma, line end or end. */
static int read_field(struct csv_reader *r, const char **p, const char *end, sv *out,
		      const char **err)
{
	const char *s = *p;
	if (s < end && *s == '"') {
		s++;
		sbuf b;
		sbuf_init(&b, r->a, CSV_MAX_FIELD);
		for (;;) {
			const char *q = memchr(s, '"', (size_t)(end - s));
			if (!q)
				return fail(err, "a quoted field is not closed");
			for (const char *c = s; c < q; c++)
				if (*c == '\n')
					r->line++;
			sbuf_add(&b, s, (size_t)(q - s));
			if (q + 1 < end && q[1] == '"') {
				sbuf_addc(&b, '"');
				s = q + 2;
				continue;
			}
			s = q + 1;
			break;
		}
		if (b.err)
			return fail(err, "a field is too long");
		if (s < end && *s != ',' && *s != '\n' && *s != '\r')
			return fail(err, "there is text after a closing quote");
		*out = (sv){b.buf, b.len};
		*p = s;
		return 0;
	}
	const char *e = s;
	while (e < end && *e != ',' && *e != '\n' && *e != '\r') {
		if (*e == '"')
			return fail(err, "a quote appears inside a field that does not start with one");
		e++;
	}
	if ((size_t)(e - s) > CSV_MAX_FIELD)
		return fail(err, "a field is too long");
	*out = (sv){s, (size_t)(e - s)};
	*p = e;
	return 0;
}

int csv_read(struct csv_reader *r, struct csv_record *rec, const char **err)
{
	for (;;) {
		const char *p = r->rest.ptr, *end = p + r->rest.len;
		if (r->rest.len == 0)
			return 0;
		rec->line = r->line;
		rec->n = 0;
		/* A wholly empty line is skipped. */
		if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n')) {
			size_t skip = *p == '\n' ? 1 : 2;
			r->rest.ptr += skip;
			r->rest.len -= skip;
			r->line++;
			continue;
		}
		for (;;) {
			if (rec->n == CSV_MAX_FIELDS)
				return fail(err, "a line has too many fields");
			if (read_field(r, &p, end, &rec->field[rec->n], err) < 0)
				return -1;
			rec->n++;
			if (p < end && *p == ',') {
				p++;
				continue;
			}
			break;
		}
		if (p < end && *p == '\r')
			p++;
		if (p < end && *p == '\n')
			p++;
		else if (p < end)
			return fail(err, "a line ends with a stray carriage return");
		r->line++;
		r->rest.len -= (size_t)(p - r->rest.ptr);
		r->rest.ptr = p;
		return 1;
	}
}

int csv_column(const struct csv_record *header, const char *name)
{
	sv want = sv_from(name);
	for (size_t i = 0; i < header->n; i++)
		if (sv_eq_icase(sv_trim(header->field[i]), want))
			return (int)i;
	return -1;
}

void csv_field(sbuf *b, sv v)
{
	esc_csv(b, v);
}

void csv_field_cstr(sbuf *b, const char *v)
{
	csv_field(b, sv_from(v ? v : ""));
}

void csv_number(sbuf *b, int64_t v)
{
	sbuf_add_i64(b, v);
}

void csv_money(sbuf *b, int64_t pence)
{
	uint64_t abs = pence < 0 ? (uint64_t)0 - (uint64_t)pence : (uint64_t)pence;
	sbuf_addf(b, "%s%llu.%02llu", pence < 0 ? "-" : "", (unsigned long long)(abs / 100),
		  (unsigned long long)(abs % 100));
}

void csv_end_record(sbuf *b)
{
	sbuf_add(b, "\r\n", 2);
}

void csv_sep(sbuf *b)
{
	sbuf_addc(b, ',');
}
