/* sortition_files.c: the Sortition Foundation's CSV formats for quotas and pools, read
 * with a line number for every mistake and written back out; see sortition.h. */
#include "domain/sortition.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/csv.h"

static void add_error(arena *a, struct sort_file_errors *errs, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void add_error(arena *a, struct sort_file_errors *errs, int line, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	if (errs->n == SORT_FILE_MAX_ERRORS) {
		errs->truncated = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	errs->item[errs->n].line = line;
	errs->item[errs->n].message = arena_strdup(a, buf);
	if (!errs->item[errs->n].message)
		errs->item[errs->n].message = "out of memory";
	errs->n++;
}

/* A short, printable copy of a field for a message (long values are cut). */
static const char *shown(arena *a, sv s)
{
	const char *d;
	if (s.len > 60)
		s.len = 60;
	d = sv_dup(a, s);
	return d ? d : "";
}

/* Parses a whole number for a quota; -1 when it is not one (negative counts too). */
static int parse_count(sv s, int *out)
{
	int64_t v;
	if (sv_to_i64(sv_trim(s), &v) != 0 || v < 0 || v > 1000000)
		return -1;
	*out = (int)v;
	return 0;
}

struct cat_builder {
	size_t n, cap;
	struct sort_category *cats;
	size_t *vcap;
};

static int find_category(const struct cat_builder *b, sv name)
{
	size_t i;
	for (i = 0; i < b->n; i++)
		if (sv_eq_icase(sv_from(b->cats[i].name), name))
			return (int)i;
	return -1;
}

static int add_value(arena *a, struct cat_builder *b, sv cat_name, sv value, int min, int max,
		     int line, struct sort_file_errors *errs)
{
	int c = find_category(b, cat_name);
	struct sort_category *cat;
	size_t v;
	if (c < 0) {
		size_t cap = b->cap, vc = b->cap;
		if (b->n == SORT_MAX_CATEGORIES) {
			add_error(a, errs, line, "more than %d categories", SORT_MAX_CATEGORIES);
			return -1;
		}
		b->cats = arena_grow(a, b->cats, b->n, &cap, sizeof(*b->cats));
		b->vcap = arena_grow(a, b->vcap, b->n, &vc, sizeof(size_t));
		if (!b->cats || !b->vcap)
			return -2;
		b->cap = cap;
		c = (int)b->n++;
		memset(&b->cats[c], 0, sizeof(b->cats[c]));
		b->vcap[c] = 0;
		b->cats[c].name = sv_dup(a, cat_name);
		if (!b->cats[c].name)
			return -2;
	}
	cat = &b->cats[c];
	for (v = 0; v < cat->n_values; v++)
		if (sv_eq_icase(sv_from(cat->values[v]), value)) {
			add_error(a, errs, line, "%s, %s is given twice", cat->name,
				  shown(a, value));
			return -1;
		}
	if (cat->n_values == SORT_MAX_VALUES) {
		add_error(a, errs, line, "category %s has more than %d values", cat->name,
			  SORT_MAX_VALUES);
		return -1;
	}
	if (cat->n_values == b->vcap[c]) {
		size_t c1 = b->vcap[c], c2 = b->vcap[c], c3 = b->vcap[c];
		cat->values = arena_grow(a, (void *)cat->values, cat->n_values, &c1,
					 sizeof(*cat->values));
		cat->min = arena_grow(a, cat->min, cat->n_values, &c2, sizeof(int));
		cat->max = arena_grow(a, cat->max, cat->n_values, &c3, sizeof(int));
		if (!cat->values || !cat->min || !cat->max)
			return -2;
		b->vcap[c] = c1;
	}
	cat->values[cat->n_values] = sv_dup(a, value);
	if (!cat->values[cat->n_values])
		return -2;
	cat->min[cat->n_values] = min;
	cat->max[cat->n_values] = max;
	cat->n_values++;
	return 0;
}

int sortition_read_categories(arena *a, sv text, struct sort_problem *p,
			      struct sort_file_errors *errs)
{
	struct csv_reader rd;
	struct csv_record *rec = arena_alloc(a, sizeof(*rec));
	struct cat_builder b = {0};
	const char *why = NULL;
	int rc, ccat, cval, cmin, cmax;

	if (!rec)
		return SORT_ENOMEM;
	csv_reader_init(&rd, a, text);
	rc = csv_read(&rd, rec, &why);
	if (rc <= 0) {
		add_error(a, errs, rc < 0 ? rec->line : 1, "%s",
			  rc < 0 ? why : "the categories file is empty");
		return SORT_EINVALID;
	}
	ccat = csv_column(rec, "category");
	cval = csv_column(rec, "feature");
	if (cval < 0)
		cval = csv_column(rec, "name");
	if (ccat < 0 && cval >= 0 && csv_column(rec, "value") >= 0) {
		/* The Sortition Foundation library's `feature,value,min,max,...`. */
		ccat = cval;
		cval = csv_column(rec, "value");
	}
	cmin = csv_column(rec, "min");
	cmax = csv_column(rec, "max");
	if (ccat < 0 || cval < 0 || cmin < 0 || cmax < 0) {
		add_error(a, errs, rec->line,
			  "the header must be category,feature,min,max (or category,name,min,max)");
		return SORT_EINVALID;
	}
	while ((rc = csv_read(&rd, rec, &why)) == 1) {
		int need = ccat, mn, mx, r;
		sv cat, val;
		if (cval > need)
			need = cval;
		if (cmin > need)
			need = cmin;
		if (cmax > need)
			need = cmax;
		if (rec->n <= (size_t)need) {
			add_error(a, errs, rec->line, "expected at least %d fields, found %zu",
				  need + 1, rec->n);
			continue;
		}
		cat = sv_trim(rec->field[ccat]);
		val = sv_trim(rec->field[cval]);
		/* OpenDLP's example ends with note lines: no category and no quotas. */
		if (!cat.len && !sv_trim(rec->field[cmin]).len && !sv_trim(rec->field[cmax]).len)
			continue;
		if (!cat.len || !val.len) {
			add_error(a, errs, rec->line, "the category and the value must not be empty");
			continue;
		}
		if (parse_count(rec->field[cmin], &mn) != 0) {
			add_error(a, errs, rec->line,
				  "min must be a whole number, 0 or more (found \"%s\")",
				  shown(a, sv_trim(rec->field[cmin])));
			continue;
		}
		if (parse_count(rec->field[cmax], &mx) != 0) {
			add_error(a, errs, rec->line,
				  "max must be a whole number, 0 or more (found \"%s\")",
				  shown(a, sv_trim(rec->field[cmax])));
			continue;
		}
		if (mn > mx) {
			add_error(a, errs, rec->line, "%s, %s: min %d is more than max %d",
				  shown(a, cat), shown(a, val), mn, mx);
			continue;
		}
		r = add_value(a, &b, cat, val, mn, mx, rec->line, errs);
		if (r == -2)
			return SORT_ENOMEM;
	}
	if (rc < 0)
		add_error(a, errs, rec->line, "%s", why);
	if (b.n == 0 && errs->n == 0)
		add_error(a, errs, 0, "the categories file has no quotas");
	if (errs->n)
		return SORT_EINVALID;
	p->categories = b.cats;
	p->n_categories = b.n;
	return SORT_OK;
}

/* The id column: named "id" or ending in "_id". */
static int id_column(const struct csv_record *h)
{
	size_t i;
	for (i = 0; i < h->n; i++) {
		sv f = sv_trim(h->field[i]);
		if (sv_eq_icase(f, SV("id")))
			return (int)i;
		if (f.len > 3 && sv_eq_icase((sv){f.ptr + f.len - 3, 3}, SV("_id")))
			return (int)i;
	}
	return -1;
}

/* Households from a column: equal non-empty values share a number; an empty cell is a
 * household of its own. */
static int household_number(arena *a, sv value, const char ***names, size_t *n, size_t *cap,
			    int row)
{
	size_t i;
	if (!value.len)
		return -1 - row;
	for (i = 0; i < *n; i++)
		if (sv_eq(sv_from((*names)[i]), value))
			return (int)i;
	*names = arena_grow(a, (void *)*names, *n, cap, sizeof(**names));
	if (!*names)
		return -2000000000;
	(*names)[*n] = sv_dup(a, value);
	return (int)(*n)++;
}

int sortition_read_respondents(arena *a, sv text, struct sort_problem *p,
			       const char *household_column, struct sort_file_errors *errs)
{
	struct csv_reader rd;
	struct csv_record *rec = arena_alloc(a, sizeof(*rec));
	const char *why = NULL;
	int rc, col[SORT_MAX_CATEGORIES], cid, chh = -1, need;
	size_t C = p->n_categories, c, n = 0, fcap = 0, icap = 0, hcap = 0;
	int *feature = NULL, *household = NULL;
	const char **ids = NULL, **hh_names = NULL;
	size_t n_hh = 0, hh_cap = 0;

	if (!rec)
		return SORT_ENOMEM;
	csv_reader_init(&rd, a, text);
	rc = csv_read(&rd, rec, &why);
	if (rc <= 0) {
		add_error(a, errs, rc < 0 ? rec->line : 1, "%s",
			  rc < 0 ? why : "the respondents file is empty");
		return SORT_EINVALID;
	}
	need = 0;
	for (c = 0; c < C; c++) {
		col[c] = csv_column(rec, p->categories[c].name);
		if (col[c] < 0)
			add_error(a, errs, rec->line, "there is no column for the category %s",
				  p->categories[c].name);
		if (col[c] > need)
			need = col[c];
	}
	cid = id_column(rec);
	if (household_column) {
		chh = csv_column(rec, household_column);
		if (chh < 0)
			add_error(a, errs, rec->line, "there is no household column named %s",
				  household_column);
		if (chh > need)
			need = chh;
	}
	if (cid > need)
		need = cid;
	if (errs->n)
		return SORT_EINVALID;
	while ((rc = csv_read(&rd, rec, &why)) == 1) {
		int bad = 0;
		if (n == SORT_MAX_PEOPLE) {
			add_error(a, errs, rec->line, "more than %d people in the pool",
				  SORT_MAX_PEOPLE);
			break;
		}
		if (rec->n <= (size_t)need) {
			add_error(a, errs, rec->line, "expected %zu fields, found %zu",
				  (size_t)need + 1, rec->n);
			continue;
		}
		/* One more person: the feature array grows a whole row at a time. */
		feature = arena_grow(a, feature, n, &fcap, (C ? C : 1) * sizeof(int));
		ids = arena_grow(a, (void *)ids, n, &icap, sizeof(*ids));
		household = arena_grow(a, household, n, &hcap, sizeof(int));
		if (!feature || !ids || !household)
			return SORT_ENOMEM;
		for (c = 0; c < C; c++) {
			const struct sort_category *cat = &p->categories[c];
			sv v = sv_trim(rec->field[col[c]]);
			size_t k;
			int found = -1;
			for (k = 0; k < cat->n_values; k++)
				if (sv_eq_icase(sv_from(cat->values[k]), v)) {
					found = (int)k;
					break;
				}
			if (found < 0) {
				add_error(a, errs, rec->line,
					  "\"%s\" is not a value of the category %s in the "
					  "categories file",
					  shown(a, v), cat->name);
				bad = 1;
			}
			feature[n * C + c] = found;
		}
		if (bad)
			continue;
		if (cid >= 0) {
			sv id = sv_trim(rec->field[cid]);
			ids[n] = sv_dup(a, id);
		} else {
			ids[n] = arena_printf(a, "%zu", n);
		}
		if (!ids[n])
			return SORT_ENOMEM;
		if (chh >= 0) {
			household[n] = household_number(a, sv_trim(rec->field[chh]), &hh_names,
							&n_hh, &hh_cap, (int)n);
			if (household[n] == -2000000000)
				return SORT_ENOMEM;
		}
		n++;
	}
	if (rc < 0)
		add_error(a, errs, rec->line, "%s", why);
	if (n == 0 && errs->n == 0)
		add_error(a, errs, 0, "the respondents file has nobody in it");
	if (errs->n)
		return SORT_EINVALID;
	/* Ids must be unique so a published list names each person once. */
	if (cid >= 0) {
		size_t i, size = 16, mask;
		int *slot;
		while (size < 2 * n)
			size *= 2;
		mask = size - 1;
		slot = arena_alloc(a, size * sizeof(int));
		if (!slot)
			return SORT_ENOMEM;
		memset(slot, 0xff, size * sizeof(int));
		for (i = 0; i < n; i++) {
			uint64_t h = 1469598103934665603ULL;
			const char *s;
			size_t t;
			for (s = ids[i]; *s; s++)
				h = (h ^ (unsigned char)*s) * 1099511628211ULL;
			t = h & mask;
			while (slot[t] >= 0 && strcmp(ids[slot[t]], ids[i]) != 0)
				t = (t + 1) & mask;
			if (slot[t] >= 0) {
				add_error(a, errs, 0, "the id %s is given to more than one person",
					  shown(a, sv_from(ids[i])));
				if (errs->n == SORT_FILE_MAX_ERRORS)
					break;
				continue;
			}
			slot[t] = (int)i;
		}
		if (errs->n)
			return SORT_EINVALID;
	}
	p->n_people = n;
	p->feature = feature;
	p->person_id = ids;
	p->household = chh >= 0 ? household : NULL;
	return SORT_OK;
}

int sortition_check(const struct sort_problem *p, arena *a, struct sort_file_errors *errs)
{
	size_t n_before = errs->n;
	if (p->k < 1) {
		add_error(a, errs, 0, "the panel must have at least one place (--k)");
		return SORT_EINVALID;
	}
	if ((size_t)p->k > p->n_people) {
		add_error(a, errs, 0, "the panel (%d places) is larger than the pool (%zu people)",
			  p->k, p->n_people);
		return SORT_EINVALID;
	}
	if (p->household) {
		/* Distinct households, counted only as far as k: quadratic but bounded. */
		size_t i, j, distinct = 0;
		for (i = 0; i < p->n_people && distinct < (size_t)p->k; i++) {
			for (j = 0; j < i; j++)
				if (p->household[j] == p->household[i])
					break;
			distinct += j == i;
		}
		if (distinct < (size_t)p->k)
			add_error(a, errs, 0,
				  "the panel (%d places) is larger than the number of households "
				  "in the pool (%zu)",
				  p->k, distinct);
	}
	return errs->n > n_before ? SORT_EINVALID : SORT_OK;
}

void sortition_write_probabilities(const struct sort_problem *p, const double *prob,
				   sbuf *out)
{
	size_t i;
	sbuf_adds(out, "id,probability");
	csv_end_record(out);
	for (i = 0; i < p->n_people; i++) {
		csv_field_cstr(out, p->person_id[i]);
		csv_sep(out);
		sbuf_addf(out, "%.9f", prob[i] < 0 ? 0.0 : prob[i]);
		csv_end_record(out);
	}
}

void sortition_write_categories(const struct sort_problem *p, const int *min, const int *max,
				sbuf *out)
{
	size_t c, v, f = 0;
	sbuf_adds(out, "category,feature,min,max");
	csv_end_record(out);
	for (c = 0; c < p->n_categories; c++) {
		const struct sort_category *cat = &p->categories[c];
		for (v = 0; v < cat->n_values; v++, f++) {
			csv_field_cstr(out, cat->name);
			csv_sep(out);
			csv_field_cstr(out, cat->values[v]);
			csv_sep(out);
			csv_number(out, min ? min[f] : cat->min[v]);
			csv_sep(out);
			csv_number(out, max ? max[f] : cat->max[v]);
			csv_end_record(out);
		}
	}
}
