/* population.c: the local population and the participants-against-population figures;
 * see population.h. */
#include "domain/population.h"

#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/json.h"
#include "domain/sessions.h"

/* --- Importing --------------------------------------------------------------------- */

static void import_error(arena *a, struct import_result *out, size_t *cap, int line,
			 const char *message)
{
	if (out->n_errors >= POPULATION_IMPORT_ERRORS_MAX)
		return;
	out->errors = arena_grow(a, out->errors, out->n_errors, cap, sizeof(*out->errors));
	if (!out->errors) {
		out->n_errors = 0;
		return;
	}
	out->errors[out->n_errors].line = line;
	out->errors[out->n_errors].message = message;
	out->n_errors++;
}

static sv field_at(const struct csv_record *rec, int col)
{
	if (col < 0 || (size_t)col >= rec->n)
		return SV_NULL;
	return sv_trim(rec->field[col]);
}

/* "12.5", "12.5%", "100" -> parts per million; false for anything else or over 100%. */
static bool parse_share(sv s, int64_t *ppm, bool *over)
{
	int64_t whole = 0, frac = 0, scale = 1000;
	size_t i = 0;
	bool digits = false;
	*over = false;
	if (s.len && s.ptr[s.len - 1] == '%')
		s.len--;
	s = sv_trim(s);
	for (; i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9'; i++) {
		whole = whole * 10 + (s.ptr[i] - '0');
		digits = true;
		if (whole > 1000)
			return *over = true, false;
	}
	if (i < s.len && s.ptr[i] == '.') {
		for (i++; i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9'; i++) {
			if (scale >= 1)
				frac += (s.ptr[i] - '0') * scale;
			scale /= 10;
			digits = true;
		}
	}
	if (!digits || i != s.len)
		return false;
	*ppm = whole * 10000 + frac;
	if (*ppm > 1000000)
		return *over = true, false;
	return true;
}

/* YYYY, YYYY-MM or YYYY-MM-DD. */
static bool plausible_date(sv s)
{
	static const char shape[] = "9999-99-99";
	if (s.len != 4 && s.len != 7 && s.len != 10)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		if (shape[i] == '9' && (s.ptr[i] < '0' || s.ptr[i] > '9'))
			return false;
		if (shape[i] == '-' && s.ptr[i] != '-')
			return false;
	}
	return true;
}

struct pop_line {
	const char *category, *value, *source, *as_of;
	bool has_count, has_share;
	int64_t count, share_ppm;
};

static int exec_done(db_stmt *st)
{
	int rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? DB_OK : rc;
}

int population_import_tx(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
			 sv csv, bool illustrative, struct import_result *out)
{
	const struct equality_category *cats;
	size_t ncats, cap = 0, lcap = 0, nlines = 0;
	struct pop_line *lines = NULL;
	struct csv_reader rd;
	struct csv_record *hdr, *rec;
	int c_cat, c_val, c_count, c_share, c_source, c_date;
	const char *err;
	char now[ISO_TIME_LEN];
	int rc;

	memset(out, 0, sizeof(*out));
	rc = equality_programme_categories(d, a, programme_id, &cats, &ncats);
	if (rc != DOMAIN_OK)
		return rc;
	hdr = arena_alloc(a, sizeof(*hdr));
	rec = arena_alloc(a, sizeof(*rec));
	if (!hdr || !rec)
		return DB_ERR;
	csv_reader_init(&rd, a, csv);
	rc = csv_read(&rd, hdr, &err);
	if (rc <= 0) {
		import_error(a, out, &cap, rc < 0 ? hdr->line : 1,
			     rc < 0 ? err : "The file is empty: it needs a header line and figures");
		return DOMAIN_EINVALID;
	}
	c_cat = csv_column(hdr, "category");
	c_val = csv_column(hdr, "value");
	c_count = csv_column(hdr, "count");
	c_share = csv_column(hdr, "share");
	c_source = csv_column(hdr, "source");
	c_date = csv_column(hdr, "date");
	if (c_cat < 0 || c_val < 0 || (c_count < 0 && c_share < 0) || c_source < 0 || c_date < 0) {
		import_error(a, out, &cap, hdr->line,
			     "The first line must name the columns category, value, count, share, "
			     "source and date");
		return DOMAIN_EINVALID;
	}
	while ((rc = csv_read(&rd, rec, &err)) == 1) {
		const struct equality_category *c = NULL;
		struct pop_line l = {0};
		sv cat = field_at(rec, c_cat), val = field_at(rec, c_val);
		sv cnt = field_at(rec, c_count), shr = field_at(rec, c_share);
		sv src = field_at(rec, c_source), dt = field_at(rec, c_date);
		bool bad = false;
		int line = rec->line;

		if (nlines >= POPULATION_IMPORT_MAX_LINES) {
			import_error(a, out, &cap, line, "The file has too many lines: split it");
			return DOMAIN_EINVALID;
		}
		if (rec->n < hdr->n) {
			import_error(a, out, &cap, line,
				     arena_printf(a, "Line %d has %zu columns but the header has %zu",
						  line, rec->n, hdr->n));
			continue;
		}
		for (size_t k = 0; k < ncats; k++)
			if (sv_eq_cstr(cat, cats[k].slug))
				c = &cats[k];
		if (!c) {
			import_error(a, out, &cap, line,
				     arena_printf(a, "Line %d: the category \"%.*s\" is not one we ask "
						     "about",
						  line, (int)(cat.len > 60 ? 60 : cat.len), cat.ptr));
			continue;
		}
		l.category = c->slug;
		for (size_t k = 0; k < c->n_values; k++)
			if (sv_eq_cstr(val, c->values[k].slug))
				l.value = c->values[k].slug;
		if (!l.value) {
			import_error(a, out, &cap, line,
				     arena_printf(a, "Line %d: \"%.*s\" is not a value of %s", line,
						  (int)(val.len > 60 ? 60 : val.len), val.ptr, c->slug));
			continue;
		}
		if (cnt.len) {
			if (sv_to_i64(cnt, &l.count) != 0 || l.count < 0) {
				import_error(a, out, &cap, line,
					     arena_printf(a, "Line %d: the count must be a whole number, "
							     "0 or more",
							  line));
				bad = true;
			}
			l.has_count = true;
		}
		if (shr.len && !bad) {
			bool over;
			if (!parse_share(shr, &l.share_ppm, &over)) {
				import_error(a, out, &cap, line,
					     arena_printf(a, over ? "Line %d: the share must be 100%% or "
								    "less"
								  : "Line %d: the share must be a "
								    "percentage, like 12.5",
							  line));
				bad = true;
			}
			l.has_share = true;
		}
		if (!bad && !l.has_count && !l.has_share) {
			import_error(a, out, &cap, line,
				     arena_printf(a, "Line %d: give a count or a share", line));
			bad = true;
		}
		if (!bad && (src.len == 0 || src.len > POPULATION_SOURCE_MAX)) {
			import_error(a, out, &cap, line,
				     arena_printf(a, "Line %d: say where the figure comes from, in 200 "
						     "characters or fewer",
						  line));
			bad = true;
		}
		if (!bad && !plausible_date(dt)) {
			import_error(a, out, &cap, line,
				     arena_printf(a, "Line %d: the date must be like 2021-03-21 or 2021",
						  line));
			bad = true;
		}
		for (size_t k = 0; !bad && k < nlines; k++)
			if (strcmp(lines[k].category, l.category) == 0 &&
			    strcmp(lines[k].value, l.value) == 0) {
				import_error(a, out, &cap, line,
					     arena_printf(a, "Line %d: %s %s is given twice", line,
							  l.category, l.value));
				bad = true;
			}
		if (bad)
			continue;
		l.source = sv_dup(a, src);
		l.as_of = sv_dup(a, dt);
		lines = arena_grow(a, lines, nlines, &lcap, sizeof(*lines));
		if (!lines || !l.source || !l.as_of)
			return DB_ERR;
		lines[nlines++] = l;
	}
	if (rc < 0)
		import_error(a, out, &cap, rec->line,
			     arena_printf(a, "Line %d: %s", rec->line, err ? err : "cannot be read"));
	if (out->n_errors == 0 && nlines == 0)
		import_error(a, out, &cap, 2, "The file has no figures after its header line");
	if (out->n_errors)
		return DOMAIN_EINVALID;

	db_now_iso(now, 0);
	for (size_t i = 0; i < nlines; i++) {
		bool first = true;
		db_stmt *st;
		for (size_t k = 0; k < i; k++)
			if (strcmp(lines[k].category, lines[i].category) == 0)
				first = false;
		if (first) {
			st = db_prepare(d, "DELETE FROM population_figures WHERE programme_id = ? "
			                   "AND category = ?");
			if (!st)
				return DB_ERR;
			db_bind_int(st, 1, programme_id);
			db_bind_text(st, 2, lines[i].category);
			if ((rc = exec_done(st)) != DB_OK)
				return rc;
		}
		st = db_prepare(d, "INSERT INTO population_figures (programme_id, category, value, "
		                   "count, share_ppm, source, as_of, illustrative, imported_by, "
		                   "imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
		if (!st)
			return DB_ERR;
		db_bind_int(st, 1, programme_id);
		db_bind_text(st, 2, lines[i].category);
		db_bind_text(st, 3, lines[i].value);
		if (lines[i].has_count)
			db_bind_int(st, 4, lines[i].count);
		else
			db_bind_null(st, 4);
		if (lines[i].has_share)
			db_bind_int(st, 5, lines[i].share_ppm);
		else
			db_bind_null(st, 5);
		db_bind_text(st, 6, lines[i].source);
		db_bind_text(st, 7, lines[i].as_of);
		db_bind_int(st, 8, illustrative ? 1 : 0);
		if (who && who->account_id)
			db_bind_int(st, 9, who->account_id);
		else
			db_bind_null(st, 9);
		db_bind_text(st, 10, now);
		if ((rc = exec_done(st)) != DB_OK)
			return rc;
	}
	out->applied = nlines;
	{
		sbuf b;
		json j;
		sbuf_init(&b, a, 256);
		json_init(&j, &b);
		json_obj(&j);
		json_key(&j, "figures");
		json_int(&j, (int64_t)nlines);
		json_key(&j, "illustrative");
		json_bool(&j, illustrative);
		json_end(&j);
		if (b.err)
			return DB_ERR;
		return audit_record(d, who, "programme", programme_id, "population.import", NULL,
				    b.buf);
	}
}

int population_import(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
		      sv csv, bool illustrative, struct import_result *out)
{
	IN_TRANSACTION(d, population_import_tx(d, a, who, programme_id, csv, illustrative, out));
}

bool postcode_normalise(const char *in, char out[9])
{
	size_t j = 0;
	char t[8];
	for (size_t i = 0; in && in[i]; i++) {
		char c = in[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
			if (j >= 7)
				return false;
			t[j++] = c;
		} else if (c != ' ') {
			return false;
		}
	}
	if (j < 5)
		return false;
	/* The inward code is a digit and two letters. */
	if (t[j - 3] < '0' || t[j - 3] > '9' || t[j - 2] < 'A' || t[j - 2] > 'Z' || t[j - 1] < 'A' ||
	    t[j - 1] > 'Z')
		return false;
	memcpy(out, t, j - 3);
	out[j - 3] = ' ';
	memcpy(out + j - 2, t + j - 3, 3);
	out[j + 1] = '\0';
	return true;
}

struct pc_line {
	char postcode[9];
	int decile;
	int line; /* in the file */
};

/* By postcode, then by line, so that a repeat follows its first appearance. */
static int pc_cmp(const void *x, const void *y)
{
	const struct pc_line *p = x, *q = y;
	int c = strcmp(p->postcode, q->postcode);
	return c ? c : (p->line > q->line) - (p->line < q->line);
}

int postcode_import_tx(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
		       sv csv, struct import_result *out)
{
	struct csv_reader rd;
	struct csv_record *hdr, *rec;
	struct pc_line *lines = NULL;
	size_t nlines = 0, lcap = 0, cap = 0;
	int c_pc, c_dec, rc;
	const char *err;
	db_stmt *st;

	memset(out, 0, sizeof(*out));
	hdr = arena_alloc(a, sizeof(*hdr));
	rec = arena_alloc(a, sizeof(*rec));
	if (!hdr || !rec)
		return DB_ERR;
	csv_reader_init(&rd, a, csv);
	rc = csv_read(&rd, hdr, &err);
	if (rc <= 0) {
		import_error(a, out, &cap, rc < 0 ? hdr->line : 1,
			     rc < 0 ? err : "The file is empty: it needs a header line and postcodes");
		return DOMAIN_EINVALID;
	}
	c_pc = csv_column(hdr, "postcode");
	c_dec = csv_column(hdr, "decile");
	if (c_pc < 0 || c_dec < 0) {
		import_error(a, out, &cap, hdr->line,
			     "The first line must name the columns postcode and decile");
		return DOMAIN_EINVALID;
	}
	while ((rc = csv_read(&rd, rec, &err)) == 1) {
		struct pc_line l;
		sv pc = field_at(rec, c_pc), dec = field_at(rec, c_dec);
		char *pcs = sv_dup(a, pc);
		int64_t dv;
		int line = rec->line;
		if (nlines >= POPULATION_IMPORT_MAX_LINES) {
			import_error(a, out, &cap, line, "The file has too many lines: split it");
			return DOMAIN_EINVALID;
		}
		if (rec->n < hdr->n) {
			import_error(a, out, &cap, line,
				     arena_printf(a, "Line %d has %zu columns but the header has %zu",
						  line, rec->n, hdr->n));
			continue;
		}
		if (!pcs || !postcode_normalise(pcs, l.postcode)) {
			import_error(a, out, &cap, line,
				     arena_printf(a, "Line %d: enter a full postcode, like M6 5AB", line));
			continue;
		}
		if (sv_to_i64(dec, &dv) != 0 || dv < 1 || dv > 10) {
			import_error(a, out, &cap, line,
				     arena_printf(a, "Line %d: the decile must be a whole number from 1 "
						     "to 10",
						  line));
			continue;
		}
		l.decile = (int)dv;
		l.line = line;
		lines = arena_grow(a, lines, nlines, &lcap, sizeof(*lines));
		if (!lines)
			return DB_ERR;
		lines[nlines++] = l;
	}
	if (rc < 0)
		import_error(a, out, &cap, rec->line,
			     arena_printf(a, "Line %d: %s", rec->line, err ? err : "cannot be read"));
	if (out->n_errors == 0 && nlines == 0)
		import_error(a, out, &cap, 2, "The file has no postcodes after its header line");
	if (out->n_errors)
		return DOMAIN_EINVALID;
	/* A postcode given twice is a mistake in the file, not a later correction. */
	qsort(lines, nlines, sizeof(*lines), pc_cmp);
	for (size_t i = 1, first = 0; i < nlines; i++) {
		if (strcmp(lines[i].postcode, lines[first].postcode) != 0) {
			first = i;
			continue;
		}
		import_error(a, out, &cap, lines[i].line,
			     arena_printf(a, "Line %d: the postcode %s is already on line %d",
					  lines[i].line, lines[i].postcode, lines[first].line));
	}
	if (out->n_errors)
		return DOMAIN_EINVALID;

	st = db_prepare(d, "DELETE FROM postcode_deciles WHERE programme_id = ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, programme_id);
	if ((rc = exec_done(st)) != DB_OK)
		return rc;
	for (size_t i = 0; i < nlines; i++) {
		st = db_prepare(d, "INSERT INTO postcode_deciles (programme_id, postcode, decile) "
		                   "VALUES (?, ?, ?)");
		if (!st)
			return DB_ERR;
		db_bind_int(st, 1, programme_id);
		db_bind_text(st, 2, lines[i].postcode);
		db_bind_int(st, 3, lines[i].decile);
		if ((rc = exec_done(st)) != DB_OK)
			return rc;
	}
	out->applied = nlines;
	return audit_record(d, who, "programme", programme_id, "population.postcodes", NULL,
			    arena_printf(a, "{\"postcodes\":%zu}", nlines));
}

int postcode_import(db *d, arena *a, const struct audit_actor *who, int64_t programme_id, sv csv,
		    struct import_result *out)
{
	IN_TRANSACTION(d, postcode_import_tx(d, a, who, programme_id, csv, out));
}

int population_summary(db *d, int64_t programme_id, struct population_summary *out)
{
	db_stmt *st;
	int rc;
	memset(out, 0, sizeof(*out));
	st = db_prepare(d, "SELECT COUNT(*), COALESCE(MAX(illustrative), 0) FROM "
	                   "population_figures WHERE programme_id = ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, programme_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->figures = db_col_int(st, 0);
		out->illustrative = db_col_int(st, 1) != 0;
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc;
	st = db_prepare(d, "SELECT COUNT(*) FROM postcode_deciles WHERE programme_id = ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, programme_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		out->postcodes = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? DOMAIN_OK : rc;
}

/* --- The diversity figures ---------------------------------------------------------- */

/* Salford's wards as a category: values are ward codes, labelled with their names. */
static int ward_category(db *d, arena *a, struct equality_category *c, int64_t **pop)
{
	struct equality_value *v = NULL;
	size_t n = 0, cap = 0, pcap = 0;
	db_stmt *st = db_prepare(d, "SELECT code, name, population_2021 FROM wards ORDER BY name");
	int rc;
	*pop = NULL;
	if (!st)
		return DB_ERR;
	while ((rc = db_step(st)) == DB_ROW) {
		v = arena_grow(a, v, n, &cap, sizeof(*v));
		*pop = arena_grow(a, *pop, n, &pcap, sizeof(**pop));
		if (!v || !*pop) {
			rc = DB_ERR;
			break;
		}
		v[n].slug = db_col_dup(st, 0, a);
		v[n].label = db_col_dup(st, 1, a);
		v[n].group = NULL;
		(*pop)[n] = db_col_int(st, 2);
		n++;
	}
	db_done(st);
	if (rc != DB_DONE)
		return rc;
	memset(c, 0, sizeof(*c));
	c->slug = "ward";
	c->label = "Ward";
	c->question = "Ward";
	c->n_values = n;
	c->values = v;
	return DOMAIN_OK;
}

/* Population shares of each value: from counts (share of the sum of the category's
 * counts) where given, else the share given. */
static int population_shares(db *d, arena *a, int64_t programme_id,
			     struct diversity_category *out)
{
	db_stmt *st;
	int rc;
	int64_t sum = 0;
	int64_t *counts = arena_calloc(a, out->n_rows, sizeof(*counts));
	bool *has_count = arena_calloc(a, out->n_rows, sizeof(*has_count));
	if (!counts || !has_count)
		return DB_ERR;
	st = db_prepare(d, "SELECT value, count, share_ppm, source, as_of, illustrative FROM "
	                   "population_figures WHERE programme_id = ? AND category = ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, programme_id);
	db_bind_text(st, 2, out->slug);
	while ((rc = db_step(st)) == DB_ROW) {
		const char *v = db_col_text(st, 0);
		for (size_t r = 0; r + 1 < out->n_rows; r++) {
			if (strcmp(out->rows[r].value, v) != 0)
				continue;
			if (!db_col_null(st, 1)) {
				has_count[r] = true;
				counts[r] = db_col_int(st, 1);
				sum += counts[r];
			} else if (!db_col_null(st, 2)) {
				out->rows[r].has_pop = true;
				out->rows[r].pop_share_ppm = db_col_int(st, 2);
			}
		}
		out->has_population = true;
		if (!*out->source) {
			out->source = db_col_dup(st, 3, a);
			out->as_of = db_col_dup(st, 4, a);
		}
		if (db_col_int(st, 5))
			out->illustrative = true;
	}
	db_done(st);
	if (rc != DB_DONE)
		return rc;
	for (size_t r = 0; sum > 0 && r + 1 < out->n_rows; r++)
		if (has_count[r]) {
			out->rows[r].has_pop = true;
			out->rows[r].pop_share_ppm = (counts[r] * 1000000 + sum / 2) / sum;
		}
	return DOMAIN_OK;
}

/* Turns true counts into the disclosed figures, by the rule in population.h. */
static int disclose(arena *a, const struct equality_counts *tc, struct diversity_category *out)
{
	int64_t *col = arena_calloc(a, tc->n_rows, sizeof(*col));
	if (!col)
		return DB_ERR;
	for (int s = 0; s < EQUALITY_STAGES; s++) {
		size_t suppressed = 0, smallest = (size_t)-1;
		for (size_t r = 0; r < tc->n_rows; r++) {
			col[r] = tc->counts[r][s];
			out->rows[r].count[s] = disclosure_count(col[r]);
			if (out->rows[r].count[s].suppressed)
				suppressed++;
		}
		out->totals[s] = disclosure_total(col, (int)tc->n_rows);
		out->answered[s] = disclosure_total(col, (int)tc->n_rows - 1);
		if (suppressed == 1 && !out->totals[s].suppressed) {
			for (size_t r = 0; r < tc->n_rows; r++)
				if (!out->rows[r].count[s].suppressed &&
				    (smallest == (size_t)-1 || col[r] < col[smallest]))
					smallest = r;
			if (smallest != (size_t)-1)
				out->rows[smallest].count[s] = (struct disclosed){true, 0};
		}
		for (size_t r = 0; r < tc->n_rows; r++) {
			struct diversity_row *row = &out->rows[r];
			/* The last row (not answered) has no share: it is not a value. */
			row->has_share[s] = r + 1 < tc->n_rows &&
			                    disclosure_share_ppm(row->count[s], out->answered[s],
			                                         &row->share_ppm[s]);
		}
	}
	return DOMAIN_OK;
}

int diversity_category(db *d, arena *a, int64_t programme_id, const char *slug,
		       struct diversity_category *out)
{
	const struct equality_category *cats, *c = NULL;
	struct equality_category ward;
	struct equality_counts tc;
	int64_t *ward_pop = NULL;
	size_t ncats;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!slug)
		return DOMAIN_ENOTFOUND;
	if (strcmp(slug, "ward") == 0) {
		rc = ward_category(d, a, &ward, &ward_pop);
		if (rc != DOMAIN_OK)
			return rc;
		c = arena_alloc(a, sizeof(ward));
		if (!c)
			return DB_ERR;
		memcpy((void *)c, &ward, sizeof(ward));
	} else {
		rc = equality_programme_categories(d, a, programme_id, &cats, &ncats);
		if (rc != DOMAIN_OK)
			return rc;
		for (size_t k = 0; k < ncats; k++)
			if (strcmp(cats[k].slug, slug) == 0)
				c = &cats[k];
		if (!c)
			return DOMAIN_ENOTFOUND;
	}
	rc = equality_counts(d, a, programme_id, c, &tc);
	if (rc != DOMAIN_OK)
		return rc;
	out->slug = c->slug;
	out->label = c->label;
	out->source = "";
	out->as_of = "";
	out->n_rows = tc.n_rows;
	out->rows = arena_calloc(a, out->n_rows, sizeof(*out->rows));
	if (!out->rows)
		return DB_ERR;
	for (size_t r = 0; r < c->n_values; r++) {
		out->rows[r].value = c->values[r].slug;
		out->rows[r].label = c->values[r].label;
	}
	out->rows[c->n_values].value = "";
	out->rows[c->n_values].label =
	    ward_pop ? "Ward not known" : "Prefer not to say or not answered";
	rc = disclose(a, &tc, out);
	if (rc != DOMAIN_OK)
		return rc;
	if (ward_pop) {
		int64_t sum = 0;
		for (size_t r = 0; r < c->n_values; r++)
			sum += ward_pop[r];
		for (size_t r = 0; sum > 0 && r < c->n_values; r++) {
			out->rows[r].has_pop = true;
			out->rows[r].pop_share_ppm = (ward_pop[r] * 1000000 + sum / 2) / sum;
		}
		out->has_population = sum > 0;
		out->source = "Census 2021, usual residents (Office for National Statistics)";
		out->as_of = "2021-03-21";
	} else {
		rc = population_shares(d, a, programme_id, out);
		if (rc != DOMAIN_OK)
			return rc;
	}
	for (size_t r = 0; r < out->n_rows; r++)
		for (int s = 0; s < EQUALITY_STAGES; s++) {
			struct diversity_row *row = &out->rows[r];
			row->has_gap[s] = row->has_pop && row->has_share[s];
			if (row->has_gap[s])
				row->gap_ppm[s] = row->share_ppm[s] - row->pop_share_ppm;
		}
	return DOMAIN_OK;
}

int diversity_all(db *d, arena *a, int64_t programme_id, struct diversity_category **out,
		  size_t *n)
{
	const struct equality_category *cats;
	size_t ncats;
	int rc = equality_programme_categories(d, a, programme_id, &cats, &ncats);
	*n = 0;
	if (rc != DOMAIN_OK)
		return rc;
	*out = arena_calloc(a, ncats + 1, sizeof(**out));
	if (!*out)
		return DB_ERR;
	rc = diversity_category(d, a, programme_id, "ward", &(*out)[0]);
	if (rc != DOMAIN_OK)
		return rc;
	for (size_t k = 0; k < ncats; k++) {
		rc = diversity_category(d, a, programme_id, cats[k].slug, &(*out)[k + 1]);
		if (rc != DOMAIN_OK)
			return rc;
	}
	*n = ncats + 1;
	return DOMAIN_OK;
}

/* Words that assets use for people a value describes, beyond the value's own label. */
static const struct {
	const char *category, *value, *term;
} extra_terms[] = {
    {"age_band", "16_24", "young"},       {"age_band", "under_16", "young"},
    {"age_band", "65_plus", "older"},     {"disability", "disabled_a_lot", "disab"},
    {"disability", "disabled_a_little", "disab"}, {"carer", "yes", "carer"},
    {"deprivation_decile", "1", "poverty"}, {"deprivation_decile", "2", "poverty"},
    {"sexual_orientation", "gay_lesbian", "lgbt"}, {"sexual_orientation", "bisexual", "lgbt"},
    {"gender_identity", "different", "trans"},
};

static char *lower_copy(arena *a, const char *s, char space_as)
{
	char *t = arena_strdup(a, s);
	for (size_t i = 0; t && t[i]; i++) {
		if (t[i] >= 'A' && t[i] <= 'Z')
			t[i] = (char)(t[i] - 'A' + 'a');
		if ((t[i] == ' ' || t[i] == '_' || t[i] == '-') && space_as)
			t[i] = space_as;
	}
	return t;
}

static int find_assets(db *d, arena *a, const char *cat, const char *value, const char *label,
		       struct leaving_out *lo)
{
	const char *terms[3] = {NULL, NULL, NULL};
	size_t nterms = 0, cap = 0;
	bool ward = strcmp(cat, "ward") == 0;
	int rc = DB_DONE;

	if (!ward) {
		if (strncmp(cat, "lived:", 6) == 0) {
			if (strcmp(value, "yes") != 0)
				return DOMAIN_OK;
			terms[nterms++] = lower_copy(a, cat + 6, ' ');
		} else {
			terms[nterms++] = lower_copy(a, label, 0);
		}
		for (size_t i = 0; i < sizeof(extra_terms) / sizeof(extra_terms[0]); i++)
			if (strcmp(extra_terms[i].category, cat) == 0 &&
			    strcmp(extra_terms[i].value, value) == 0)
				terms[nterms++] = extra_terms[i].term;
	}
	for (size_t t = 0; t < (ward ? 1 : nterms); t++) {
		db_stmt *st;
		char *pat = ward ? NULL : arena_printf(a, "%%%s%%", terms[t]);
		char *tagpat = ward ? NULL : arena_printf(a, "%%%s%%", lower_copy(a, terms[t], '-'));
		if (!ward && (!pat || !tagpat))
			return DB_ERR;
		st = db_prepare(d, "SELECT id, name, kind, who_they_reach FROM assets WHERE "
		                   "ward_code = ? OR LOWER(tags) LIKE ? OR LOWER(who_they_reach) "
		                   "LIKE ? ORDER BY name, id LIMIT ?");
		if (!st)
			return DB_ERR;
		db_bind_text(st, 1, ward ? value : NULL);
		db_bind_text(st, 2, tagpat);
		db_bind_text(st, 3, pat);
		db_bind_int(st, 4, DIVERSITY_ASSETS_MAX);
		while ((rc = db_step(st)) == DB_ROW && lo->n_assets < DIVERSITY_ASSETS_MAX) {
			int64_t id = db_col_int(st, 0);
			bool seen = false;
			for (size_t k = 0; k < lo->n_assets; k++)
				seen = seen || lo->assets[k].id == id;
			if (seen)
				continue;
			lo->assets = arena_grow(a, lo->assets, lo->n_assets, &cap,
						sizeof(*lo->assets));
			if (!lo->assets) {
				rc = DB_ERR;
				break;
			}
			lo->assets[lo->n_assets].id = id;
			lo->assets[lo->n_assets].name = db_col_dup(st, 1, a);
			lo->assets[lo->n_assets].kind = db_col_dup(st, 2, a);
			lo->assets[lo->n_assets].who_they_reach = db_col_dup(st, 3, a);
			lo->n_assets++;
		}
		db_done(st);
		if (rc != DB_DONE && rc != DB_ROW)
			return rc;
	}
	return DOMAIN_OK;
}

struct candidate {
	const struct diversity_category *c;
	const struct diversity_row *row;
	int64_t under;
};

static int candidate_cmp(const void *x, const void *y)
{
	const struct candidate *p = x, *q = y;
	if (p->under != q->under)
		return p->under > q->under ? -1 : 1;
	return strcmp(p->row->label, q->row->label);
}

/* How far a shown count may be from the true one: rounding to the nearest 5. */
#define ROUNDING_SLACK 2

bool diversity_fairly_under(const struct diversity_category *c, const struct diversity_row *row,
			 enum equality_stage s)
{
	int64_t largest = 0, count, answered;
	if (!row->has_gap[s] || row->gap_ppm[s] >= 0 || strcmp(row->value, "no") == 0)
		return false;
	if (row->count[s].suppressed || c->answered[s].suppressed)
		return false;
	for (size_t r = 0; r + 1 < c->n_rows; r++)
		if (c->rows[r].has_pop && c->rows[r].pop_share_ppm > largest)
			largest = c->rows[r].pop_share_ppm;
	if (row->pop_share_ppm >= largest)
		return false;
	count = row->count[s].value + ROUNDING_SLACK;
	answered = c->answered[s].value - ROUNDING_SLACK;
	if (answered <= 0)
		return false;
	/* count / answered < pop share, in whole numbers: no rounding of our own. */
	return count * 1000000 < row->pop_share_ppm * answered;
}

int diversity_leaving_out(db *d, arena *a, const struct diversity_category *cats, size_t n,
			  enum equality_stage stage, struct leaving_out **out, size_t *nout)
{
	struct candidate *cand = NULL;
	size_t nc = 0, cap = 0;
	*out = NULL;
	*nout = 0;
	if (stage >= EQUALITY_STAGES)
		return DOMAIN_EINVALID;
	for (size_t k = 0; k < n; k++) {
		/* The ethnic groups repeat the ethnicities in coarser form: list the finer. */
		if (strcmp(cats[k].slug, "ethnic_group") == 0)
			continue;
		for (size_t r = 0; r + 1 < cats[k].n_rows; r++) {
			const struct diversity_row *row = &cats[k].rows[r];
			if (!diversity_fairly_under(&cats[k], row, stage))
				continue;
			cand = arena_grow(a, cand, nc, &cap, sizeof(*cand));
			if (!cand)
				return DB_ERR;
			cand[nc++] = (struct candidate){&cats[k], row, -row->gap_ppm[stage]};
		}
	}
	if (nc == 0)
		return DOMAIN_OK;
	qsort(cand, nc, sizeof(*cand), candidate_cmp);
	if (nc > DIVERSITY_LEAVING_OUT_MAX)
		nc = DIVERSITY_LEAVING_OUT_MAX;
	*out = arena_calloc(a, nc, sizeof(**out));
	if (!*out)
		return DB_ERR;
	for (size_t i = 0; i < nc; i++) {
		struct leaving_out *lo = &(*out)[i];
		int rc;
		lo->category_label = cand[i].c->label;
		lo->value_label = cand[i].row->label;
		lo->gap_ppm = cand[i].under;
		lo->pop_share_ppm = cand[i].row->pop_share_ppm;
		lo->share_ppm = cand[i].row->share_ppm[stage];
		rc = find_assets(d, a, cand[i].c->slug, cand[i].row->value, cand[i].row->label, lo);
		if (rc != DOMAIN_OK)
			return rc;
	}
	*nout = nc;
	return DOMAIN_OK;
}
