/* assets.c: wards and community assets; see assets.h. */
#include "domain/assets.h"

#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/json.h"
#include "domain/sessions.h"

#define AUDIT_JSON_MAX 16384

const char *const asset_kinds[ASSET_KINDS] = {"group", "venue", "service",
                                              "participation_group", "other"};
static const char *const kind_labels[ASSET_KINDS] = {"Community group", "Venue", "Service",
                                                     "Participation group", "Other"};

const char *asset_kind_label(const char *kind)
{
	for (size_t i = 0; kind && i < ASSET_KINDS; i++)
		if (strcmp(kind, asset_kinds[i]) == 0)
			return kind_labels[i];
	return "";
}

static bool valid_kind(sv kind)
{
	for (size_t i = 0; i < ASSET_KINDS; i++)
		if (sv_eq_cstr(kind, asset_kinds[i]))
			return true;
	return false;
}

/* --- Wards ----------------------------------------------------------------------------- */

static bool valid_ward_code(const char *code)
{
	if (!code || strlen(code) != 9 || strncmp(code, "E05", 3) != 0)
		return false;
	for (size_t i = 3; i < 9; i++)
		if (code[i] < '0' || code[i] > '9')
			return false;
	return true;
}

int ward_put_tx(db *d, const char *code, const char *name, int64_t population_2011,
                int64_t population_2021, const char *source)
{
	db_stmt *s;
	int rc;
	if (!valid_ward_code(code) || !name || !name[0] || strlen(name) > WARD_NAME_MAX ||
	    population_2011 < 0 || population_2021 < 0)
		return DOMAIN_EINVALID;
	/* Update in place: volunteers and assets refer to the ward by its code. */
	s = db_prepare(d, "UPDATE wards SET name = ?, population_2011 = ?, population_2021 = ?, "
	                  "source = ? WHERE code = ?");
	if (!s)
		return DB_ERR;
	db_bind_text(s, 1, name);
	if (population_2011)
		db_bind_int(s, 2, population_2011);
	else
		db_bind_null(s, 2);
	db_bind_int(s, 3, population_2021);
	db_bind_text(s, 4, source ? source : "");
	db_bind_text(s, 5, code);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	if (db_changes(d) > 0)
		return DOMAIN_OK;
	s = db_prepare(d, "INSERT INTO wards (code, name, population_2011, population_2021, "
	                  "source) VALUES (?, ?, ?, ?, ?)");
	if (!s)
		return DB_ERR;
	db_bind_text(s, 1, code);
	db_bind_text(s, 2, name);
	if (population_2011)
		db_bind_int(s, 3, population_2011);
	else
		db_bind_null(s, 3);
	db_bind_int(s, 4, population_2021);
	db_bind_text(s, 5, source ? source : "");
	rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? DOMAIN_OK : rc < 0 ? rc : DB_ERR;
}

static int ward_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct ward *w = item;
	w->code = db_col_dup(s, 0, a);
	w->name = db_col_dup(s, 1, a);
	w->population_2011 = db_col_int(s, 2);
	w->population_2021 = db_col_int(s, 3);
	w->source = db_col_dup(s, 4, a);
	return w->code && w->name && w->source ? DB_OK : DB_ERR;
}

int ward_list(db *d, arena *a, struct ward **out, size_t *n)
{
	db_stmt *s = db_prepare(d, "SELECT code, name, population_2011, population_2021, source "
	                           "FROM wards ORDER BY name LIMIT ?");
	db_bind_int(s, 1, WARDS_MAX);
	return db_collect(s, a, sizeof(**out), ward_row, NULL, out, n);
}

const char *ward_name(db *d, arena *a, const char *code)
{
	db_stmt *s = db_prepare(d, "SELECT name FROM wards WHERE code = ?");
	char *name = NULL;
	if (!s || !code)
		return NULL;
	db_bind_text(s, 1, code);
	if (db_step(s) == DB_ROW)
		name = db_col_dup(s, 0, a);
	db_done(s);
	return name;
}

/* Wards checked before any is written. */
struct ward_row {
	char *code, *name, *source;
	int64_t pop2011, pop2021;
};

static int import_error(arena *a, struct ward_import_error **errs, size_t *n, size_t *cap,
                        int line, const char *message)
{
	if (*n >= WARD_IMPORT_ERRORS_MAX)
		return DB_OK;
	*errs = arena_grow(a, *errs, *n, cap, sizeof(**errs));
	if (!*errs)
		return DB_ERR;
	(*errs)[*n].line = line;
	(*errs)[*n].message = message;
	(*n)++;
	return DB_OK;
}

/* A whole number of 0 or more; an empty optional field is 0. */
static bool count_field(sv v, bool required, int64_t *out)
{
	v = sv_trim(v);
	*out = 0;
	if (!v.len)
		return !required;
	return sv_to_i64(v, out) == 0 && *out >= 0;
}

static int import_tx(db *d, arena *a, const struct audit_actor *who, const struct ward_row *rows,
                     size_t n)
{
	sbuf b;
	json j;
	int rc;
	for (size_t i = 0; i < n; i++) {
		rc = ward_put_tx(d, rows[i].code, rows[i].name, rows[i].pop2011, rows[i].pop2021,
		                 rows[i].source);
		if (rc != DOMAIN_OK)
			return rc == DOMAIN_EINVALID ? DB_ERR : rc;
	}
	sbuf_init(&b, a, 256);
	json_init(&j, &b);
	json_obj(&j);
	json_key(&j, "wards");
	json_int(&j, (int64_t)n);
	json_end(&j);
	if (b.err)
		return DB_ERR;
	return audit_record(d, who, "wards", 0, "import", NULL, b.buf);
}

/* 1 if a ward other than CODE has NAME, 0 if not, or a DB_E* code. */
static int name_taken(db *d, const char *code, const char *name)
{
	db_stmt *s = db_prepare(d, "SELECT 1 FROM wards WHERE name = ? AND code <> ?");
	int rc;
	if (!s)
		return DB_ERR;
	db_bind_text(s, 1, name);
	db_bind_text(s, 2, code);
	rc = db_step(s);
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc < 0 ? rc : DB_ERR;
}

int ward_import(db *d, arena *a, const struct audit_actor *who, sv csv,
                struct ward_import_error **errs, size_t *nerrs, size_t *imported)
{
	struct csv_reader rd;
	struct csv_record *rec = arena_alloc(a, sizeof(*rec));
	struct ward_row *rows = NULL;
	size_t n = 0, cap = 0, ecap = 0;
	int col_code, col_name, col_2021, col_2011, col_source, got;
	const char *why = NULL;
	int rc;

	*errs = NULL;
	*nerrs = 0;
	if (imported)
		*imported = 0;
	if (!rec)
		return DB_ERR;
	csv_reader_init(&rd, a, csv);
	got = csv_read(&rd, rec, &why);
	if (got <= 0) {
		rc = import_error(a, errs, nerrs, &ecap, got < 0 ? rec->line : 1,
		                  got < 0 ? why : "The file is empty: it needs a header line and a "
		                                  "line for each ward");
		return rc == DB_OK ? DOMAIN_EINVALID : rc;
	}
	col_code = csv_column(rec, "code");
	col_name = csv_column(rec, "name");
	col_2021 = csv_column(rec, "population_2021");
	col_2011 = csv_column(rec, "population_2011");
	col_source = csv_column(rec, "source");
	if (col_code < 0 || col_name < 0 || col_2021 < 0) {
		rc = import_error(a, errs, nerrs, &ecap, rec->line,
		                  "The first line must name the columns: code, name and "
		                  "population_2021 (population_2011 and source are optional)");
		return rc == DB_OK ? DOMAIN_EINVALID : rc;
	}
	while ((got = csv_read(&rd, rec, &why)) > 0) {
		struct ward_row w;
		int width = col_code;
		const char *bad = NULL;
		if (col_name > width)
			width = col_name;
		if (col_2021 > width)
			width = col_2021;
		if ((size_t)width >= rec->n) {
			bad = "This line has fewer columns than the header";
		} else {
			memset(&w, 0, sizeof(w));
			w.code = sv_dup(a, sv_trim(rec->field[col_code]));
			w.name = sv_dup(a, sv_trim(rec->field[col_name]));
			w.source = col_source >= 0 && (size_t)col_source < rec->n
			               ? sv_dup(a, sv_trim(rec->field[col_source]))
			               : arena_strdup(a, "");
			if (!w.code || !w.name || !w.source)
				return DB_ERR;
			if (!valid_ward_code(w.code))
				bad = "The code must be an ONS ward code: E05 and six digits, like E05013028";
			else if (!w.name[0] || strlen(w.name) > WARD_NAME_MAX)
				bad = "Give the ward's name, of 100 characters or fewer";
			else if (!count_field(rec->field[col_2021], true, &w.pop2021))
				bad = "population_2021 must be a whole number of 0 or more";
			else if (col_2011 >= 0 && (size_t)col_2011 < rec->n &&
			         !count_field(rec->field[col_2011], false, &w.pop2011))
				bad = "population_2011 must be a whole number of 0 or more, or empty";
			for (size_t i = 0; !bad && i < n; i++)
				if (strcmp(rows[i].code, w.code) == 0)
					bad = arena_printf(a, "The code %s is given twice", w.code);
				else if (strcmp(rows[i].name, w.name) == 0)
					bad = "Two wards cannot have the same name";
			if (!bad) {
				rc = name_taken(d, w.code, w.name);
				if (rc < 0)
					return rc;
				if (rc)
					bad = "Another ward already has this name with a different code";
			}
		}
		if (bad) {
			if (import_error(a, errs, nerrs, &ecap, rec->line, bad) != DB_OK)
				return DB_ERR;
			continue;
		}
		rows = arena_grow(a, rows, n, &cap, sizeof(*rows));
		if (!rows)
			return DB_ERR;
		rows[n++] = w;
	}
	if (got < 0 && import_error(a, errs, nerrs, &ecap, rec->line, why) != DB_OK)
		return DB_ERR;
	if (!*nerrs && !n &&
	    import_error(a, errs, nerrs, &ecap, 2, "There are no wards after the header line") !=
	        DB_OK)
		return DB_ERR;
	if (*nerrs)
		return DOMAIN_EINVALID;
	rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	rc = import_tx(d, a, who, rows, n);
	if (rc == DB_OK)
		rc = db_commit(d);
	if (rc != DB_OK) {
		db_rollback(d);
		return rc;
	}
	if (imported)
		*imported = n;
	return DOMAIN_OK;
}

/* --- Tags ------------------------------------------------------------------------------ */

/* One tag as stored: trimmed, lower case, runs of spaces as one hyphen. */
static void add_tag(sbuf *b, sv t)
{
	bool space = false;
	size_t start = b->len;
	t = sv_trim(t);
	for (size_t i = 0; i < t.len; i++) {
		char c = t.ptr[i];
		if (c == ' ' || c == '\t') {
			space = true;
			continue;
		}
		if (space && b->len > start)
			sbuf_addc(b, '-');
		space = false;
		sbuf_addc(b, (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c);
	}
}

char *asset_tags_normalise(arena *a, sv tags)
{
	sbuf out, one;
	sv rest = tags;
	sbuf_init(&out, a, ASSET_TAGS_MAX * 2 + 2);
	sbuf_init(&one, a, ASSET_TAGS_MAX + 1);
	while (rest.ptr) {
		sv t = sv_cut(rest, ',', &rest);
		sbuf_reset(&one);
		add_tag(&one, t);
		if (!one.len)
			continue;
		/* Drop a tag already there: compare with ",tag," inside ",out,". */
		bool dup = false;
		sv have = sbuf_sv(&out), r2 = have;
		while (have.len && r2.ptr) {
			sv h = sv_cut(r2, ',', &r2);
			if (sv_eq(h, sbuf_sv(&one)))
				dup = true;
		}
		if (dup)
			continue;
		if (out.len)
			sbuf_addc(&out, ',');
		sbuf_addsv(&out, sbuf_sv(&one));
	}
	return out.err || one.err ? NULL : out.buf;
}

/* --- Assets ---------------------------------------------------------------------------- */

#define ASSET_COLUMNS                                                                              \
	"a.id, a.name, a.kind, a.ward_code, w.name, a.area_note, a.contact, a.who_they_reach, "   \
	"a.accessibility, a.tags, a.public, a.created_at, a.updated_at FROM assets a LEFT JOIN "   \
	"wards w ON w.code = a.ward_code "

static int asset_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct asset *x = item;
	memset(x, 0, sizeof(*x));
	x->id = db_col_int(s, 0);
	x->name = db_col_dup(s, 1, a);
	x->kind = db_col_dup(s, 2, a);
	x->ward_code = db_col_dup(s, 3, a);
	x->ward_name = db_col_dup(s, 4, a);
	x->area_note = db_col_dup(s, 5, a);
	x->contact = db_col_dup(s, 6, a);
	x->who_they_reach = db_col_dup(s, 7, a);
	x->accessibility = db_col_dup(s, 8, a);
	x->tags = db_col_dup(s, 9, a);
	x->public = db_col_int(s, 10) != 0;
	x->created_at = db_col_dup(s, 11, a);
	x->updated_at = db_col_dup(s, 12, a);
	return x->name && x->kind && x->area_note && x->contact && x->who_they_reach &&
	               x->accessibility && x->tags && x->created_at && x->updated_at
	           ? DB_OK
	           : DB_ERR;
}

int asset_get(db *d, arena *a, int64_t id, bool public_only, struct asset *out)
{
	db_stmt *s = db_prepare(d, "SELECT " ASSET_COLUMNS "WHERE a.id = ? AND (a.public = 1 OR ? = 0)");
	int rc;
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, public_only ? 1 : 0);
	rc = db_one(s, a, asset_row, NULL, out);
	return rc == DB_DONE ? DOMAIN_ENOTFOUND : rc;
}

/* "%TEXT%" lower-cased, with LIKE's own characters escaped by a backslash. */
static char *like_pattern(arena *a, const char *text, char space_for_hyphen)
{
	sbuf b;
	sbuf_init(&b, a, 4 * ASSET_TAGS_MAX);
	sbuf_addc(&b, '%');
	for (const char *p = text; *p; p++) {
		char c = *p;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (space_for_hyphen && c == '-')
			c = ' ';
		if (c == '%' || c == '_' || c == '\\')
			sbuf_addc(&b, '\\');
		sbuf_addc(&b, c);
	}
	sbuf_addc(&b, '%');
	return b.err ? NULL : b.buf;
}

/* "%,TAG,%" with LIKE's own characters in TAG escaped: matches TAG as one whole tag in
 * "," || tags || ",". */
static char *tag_pattern(arena *a, const char *tag)
{
	sbuf b;
	sbuf_init(&b, a, 4 * ASSET_TAGS_MAX);
	sbuf_adds(&b, "%,");
	for (const char *p = tag; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			sbuf_addc(&b, '\\');
		sbuf_addc(&b, *p);
	}
	sbuf_adds(&b, ",%");
	return b.err ? NULL : b.buf;
}



static const char *or_empty(const char *s)
{
	return s ? s : "";
}

int asset_search(db *d, arena *a, const struct asset_filter *f, struct asset **out, size_t *n)
{
	db_stmt *s = db_prepare(
	    d, "SELECT " ASSET_COLUMNS
	       "WHERE (a.public = 1 OR ? = 0) AND (? = '' OR a.kind = ?) AND "
	       "(? = '' OR a.ward_code = ?) AND "
	       "(? = '' OR (',' || a.tags || ',') LIKE ? ESCAPE '\\') AND "
	       "(? = '' OR LOWER(a.name) LIKE ? ESCAPE '\\' OR LOWER(a.who_they_reach) LIKE ? "
	       "ESCAPE '\\' OR LOWER(a.tags) LIKE ? ESCAPE '\\') "
	       "ORDER BY a.name, a.id LIMIT ?");
	const char *text = or_empty(f ? f->text : NULL), *kind = or_empty(f ? f->kind : NULL);
	const char *ward = or_empty(f ? f->ward : NULL), *tag = "";
	char *tag_like = NULL, *text_like;
	if (!s)
		return DB_ERR;
	if (f && f->tag && f->tag[0]) {
		tag = asset_tags_normalise(a, sv_from(f->tag));
		if (!tag)
			tag = "";
		tag_like = tag_pattern(a, tag);
	}
	text_like = like_pattern(a, text, 0);
	if (!text_like || (tag[0] && !tag_like)) {
		db_done(s);
		return DB_ERR;
	}
	db_bind_int(s, 1, f && f->public_only ? 1 : 0);
	db_bind_text(s, 2, kind);
	db_bind_text(s, 3, kind);
	db_bind_text(s, 4, ward);
	db_bind_text(s, 5, ward);
	db_bind_text(s, 6, tag);
	db_bind_text(s, 7, tag_like ? tag_like : "");
	db_bind_text(s, 8, text);
	db_bind_text(s, 9, text_like);
	db_bind_text(s, 10, text_like);
	db_bind_text(s, 11, text_like);
	db_bind_int(s, 12, ASSET_LIST_MAX);
	return db_collect(s, a, sizeof(**out), asset_row, NULL, out, n);
}

int assets_reaching(db *d, arena *a, const char *term, struct asset **out, size_t *n)
{
	db_stmt *s;
	char *tag, *tag_like, *text_like;
	*out = NULL;
	*n = 0;
	if (!term)
		return DOMAIN_OK;
	tag = asset_tags_normalise(a, sv_from(term));
	if (!tag)
		return DB_ERR;
	if (!tag[0])
		return DOMAIN_OK;
	tag_like = tag_pattern(a, tag);
	text_like = like_pattern(a, tag, '-');
	if (!tag_like || !text_like)
		return DB_ERR;
	s = db_prepare(d, "SELECT " ASSET_COLUMNS
	                  "WHERE (',' || a.tags || ',') LIKE ? ESCAPE '\\' OR "
	                  "LOWER(a.who_they_reach) LIKE ? ESCAPE '\\' ORDER BY a.name, a.id LIMIT ?");
	if (!s)
		return DB_ERR;
	db_bind_text(s, 1, tag_like);
	db_bind_text(s, 2, text_like);
	db_bind_int(s, 3, ASSET_LIST_MAX);
	return db_collect(s, a, sizeof(**out), asset_row, NULL, out, n);
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

int asset_tags(db *d, arena *a, bool public_only, char ***out, size_t *n)
{
	db_stmt *s = db_prepare(d, "SELECT tags FROM assets WHERE tags <> '' AND "
	                           "(public = 1 OR ? = 0) LIMIT ?");
	char **list = NULL;
	size_t k = 0, cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, public_only ? 1 : 0);
	db_bind_int(s, 2, ASSET_LIST_MAX);
	while ((rc = db_step(s)) == DB_ROW) {
		char *all = db_col_dup(s, 0, a);
		sv rest;
		if (!all) {
			rc = DB_ERR;
			break;
		}
		rest = sv_from(all);
		while (rest.ptr) {
			sv t = sv_cut(rest, ',', &rest);
			bool seen = false;
			if (!t.len)
				continue;
			for (size_t i = 0; i < k && !seen; i++)
				seen = sv_eq_cstr(t, list[i]);
			if (seen)
				continue;
			list = arena_grow(a, list, k, &cap, sizeof(*list));
			if (!list || !(list[k] = sv_dup(a, t))) {
				db_done(s);
				return DB_ERR;
			}
			k++;
		}
	}
	db_done(s);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	if (k)
		qsort(list, k, sizeof(*list), cmp_str);
	*out = list;
	*n = k;
	return DOMAIN_OK;
}

static const char *asset_json(arena *a, const struct asset *x)
{
	sbuf b;
	json j;
	sbuf_init(&b, a, AUDIT_JSON_MAX);
	json_init(&j, &b);
	json_obj(&j);
	json_key(&j, "name");
	json_cstr(&j, x->name);
	json_key(&j, "kind");
	json_cstr(&j, x->kind);
	json_key(&j, "ward_code");
	json_cstr(&j, x->ward_code);
	json_key(&j, "area_note");
	json_cstr(&j, x->area_note);
	json_key(&j, "contact");
	json_cstr(&j, x->contact);
	json_key(&j, "who_they_reach");
	json_cstr(&j, x->who_they_reach);
	json_key(&j, "accessibility");
	json_cstr(&j, x->accessibility);
	json_key(&j, "tags");
	json_cstr(&j, x->tags);
	json_key(&j, "public");
	json_bool(&j, x->public);
	json_end(&j);
	return b.err ? NULL : b.buf;
}

static void check_text(struct field_errors *fe, const char *field, sv v, size_t max,
                       const char *message)
{
	if (v.len > max)
		field_error_add(fe, field, message);
}

/* Checks IN into X (strings in A). */
static int check_asset(db *d, arena *a, const struct asset_input *in, struct asset *x,
                       struct field_errors *fe)
{
	sv name = sv_trim(in->name), ward = sv_trim(in->ward);
	memset(x, 0, sizeof(*x));
	if (!name.len)
		field_error_add(fe, "name", "Enter the name of the group, place or service");
	else if (name.len > ASSET_NAME_MAX)
		field_error_add(fe, "name", "The name must be 200 characters or fewer");
	if (!valid_kind(in->kind))
		field_error_add(fe, "kind", "Choose what kind of asset this is");
	if (ward.len) {
		x->ward_code = sv_dup(a, ward);
		if (!x->ward_code)
			return DB_ERR;
		x->ward_name = (char *)ward_name(d, a, x->ward_code);
		if (!x->ward_name)
			field_error_add(fe, "ward", "Choose a ward from the list, or “Not in one ward”");
	}
	check_text(fe, "area_note", sv_trim(in->area_note), ASSET_NAME_MAX,
	           "The area must be 200 characters or fewer");
	check_text(fe, "contact", sv_trim(in->contact), ASSET_TEXT_MAX,
	           "How to contact them must be 2000 characters or fewer");
	check_text(fe, "who_they_reach", sv_trim(in->who_they_reach), ASSET_TEXT_MAX,
	           "Who they reach must be 2000 characters or fewer");
	check_text(fe, "accessibility", sv_trim(in->accessibility), ASSET_TEXT_MAX,
	           "Accessibility must be 2000 characters or fewer");
	check_text(fe, "tags", sv_trim(in->tags), ASSET_TAGS_MAX,
	           "Tags must be 500 characters or fewer");
	x->name = sv_dup(a, name);
	x->kind = sv_dup(a, in->kind);
	x->area_note = sv_dup(a, sv_trim(in->area_note));
	x->contact = sv_dup(a, sv_trim(in->contact));
	x->who_they_reach = sv_dup(a, sv_trim(in->who_they_reach));
	x->accessibility = sv_dup(a, sv_trim(in->accessibility));
	x->tags = asset_tags_normalise(a, in->tags);
	x->public = in->public;
	return x->name && x->kind && x->area_note && x->contact && x->who_they_reach &&
	               x->accessibility && x->tags
	           ? DB_OK
	           : DB_ERR;
}

int asset_save_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
                  const struct asset_input *in, struct field_errors *fe, int64_t *out_id)
{
	struct asset x, old;
	struct field_errors local;
	char now[ISO_TIME_LEN];
	const char *before = NULL, *after;
	db_stmt *s;
	int rc;

	if (!fe) {
		field_errors_init(&local);
		fe = &local;
	}
	if (id) {
		rc = asset_get(d, a, id, false, &old);
		if (rc != DOMAIN_OK)
			return rc;
		before = asset_json(a, &old);
		if (!before)
			return DB_ERR;
	}
	rc = check_asset(d, a, in, &x, fe);
	if (rc != DB_OK)
		return rc;
	if (field_errors_any(fe))
		return DOMAIN_EINVALID;
	db_now_iso(now, 0);
	if (id)
		s = db_prepare(d, "UPDATE assets SET name = ?, kind = ?, ward_code = ?, area_note = ?, "
		                  "contact = ?, who_they_reach = ?, accessibility = ?, tags = ?, "
		                  "public = ?, updated_at = ? WHERE id = ?");
	else
		s = db_prepare(d, "INSERT INTO assets (name, kind, ward_code, area_note, contact, "
		                  "who_they_reach, accessibility, tags, public, updated_at, "
		                  "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!s)
		return DB_ERR;
	db_bind_text(s, 1, x.name);
	db_bind_text(s, 2, x.kind);
	db_bind_text(s, 3, x.ward_code);
	db_bind_text(s, 4, x.area_note);
	db_bind_text(s, 5, x.contact);
	db_bind_text(s, 6, x.who_they_reach);
	db_bind_text(s, 7, x.accessibility);
	db_bind_text(s, 8, x.tags);
	db_bind_int(s, 9, x.public ? 1 : 0);
	db_bind_text(s, 10, now);
	if (id) {
		db_bind_int(s, 11, id);
	} else {
		if (who && who->account_id)
			db_bind_int(s, 11, who->account_id);
		else
			db_bind_null(s, 11);
		db_bind_text(s, 12, now);
	}
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	if (!id)
		id = db_last_insert_id(d);
	after = asset_json(a, &x);
	if (!after)
		return DB_ERR;
	rc = audit_record(d, who, "asset", id, before ? "update" : "create", before, after);
	if (rc != DB_OK)
		return rc;
	if (out_id)
		*out_id = id;
	return DOMAIN_OK;
}

int asset_save(db *d, arena *a, const struct audit_actor *who, int64_t id,
               const struct asset_input *in, struct field_errors *fe, int64_t *out_id)
{
	IN_TRANSACTION(d, asset_save_tx(d, a, who, id, in, fe, out_id));
}
