/* fuzz_csv.c: CSV imports (core/csv.c): any bytes are read without a crash, line numbers
 * only go forward, no field passes its limit, and each record written out again with
 * csv_field reads back the same (fields a spreadsheet would run as a formula are left out
 * of that check: the writer deliberately changes them, as are a leading byte order mark
 * and an empty record, which the reader skips). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool formula_like(sv f)
{
	return f.len && strchr("=+-@\t\r", f.ptr[0]) != NULL && f.ptr[0] != '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena *a = arena_new(64 * size + (1 << 20));
	static struct csv_record rec, back;
	struct csv_reader r, r2;
	const char *err;
	int last = 0, rc;

	if (!a)
		return 0;
	csv_reader_init(&r, a, (sv){(const char *)data, size});
	while ((rc = csv_read(&r, &rec, &err)) == 1) {
		/* An empty record and a leading byte order mark do not survive a round trip
		 * by design: the reader skips both. */
		bool check = !(rec.n == 1 && rec.field[0].len == 0) &&
			     !(rec.field[0].len >= 3 && memcmp(rec.field[0].ptr, "\xEF\xBB\xBF", 3) == 0);
		if (rec.line < last || rec.n == 0 || rec.n > CSV_MAX_FIELDS)
			abort();
		last = rec.line;
		sbuf b;
		sbuf_init(&b, a, 8 * size + 1024);
		for (size_t i = 0; i < rec.n; i++) {
			if (rec.field[i].len > CSV_MAX_FIELD)
				abort();
			if (formula_like(rec.field[i]))
				check = false;
			if (i)
				csv_sep(&b);
			csv_field(&b, rec.field[i]);
		}
		csv_end_record(&b);
		if (!check || b.err)
			continue;
		csv_reader_init(&r2, a, sbuf_sv(&b));
		if (csv_read(&r2, &back, &err) != 1 || back.n != rec.n)
			abort();
		for (size_t i = 0; i < rec.n; i++)
			if (!sv_eq(back.field[i], rec.field[i]))
				abort();
	}
	if (rc == -1 && !err)
		abort();
	arena_free(a);
	return 0;
}
