/* organisations.c: the organisations people belong to; see organisations.h. */
#include "domain/organisations.h"

#include <string.h>

#include "core/escape.h"
#include "domain/record.h"
#include "domain/sessions.h"

#define AUDIT_JSON_MAX 1024

static const struct {
	enum org_kind kind;
	const char *slug, *label;
} kind_table[ORG_KIND_COUNT] = {
	{ORG_ANCHOR, "anchor", "Anchor institution"},
	{ORG_VCSE, "vcse", "Voluntary, community or social enterprise (VCSE)"},
	{ORG_COMMUNITY, "community", "Community group"},
	{ORG_OTHER, "other", "Other"},
};

const enum org_kind org_kinds[ORG_KIND_COUNT] = {ORG_ANCHOR, ORG_VCSE, ORG_COMMUNITY, ORG_OTHER};

const char *org_kind_slug(enum org_kind k)
{
	for (size_t i = 0; i < ORG_KIND_COUNT; i++)
		if (kind_table[i].kind == k)
			return kind_table[i].slug;
	return "";
}

const char *org_kind_label(enum org_kind k)
{
	for (size_t i = 0; i < ORG_KIND_COUNT; i++)
		if (kind_table[i].kind == k)
			return kind_table[i].label;
	return "";
}

enum org_kind org_kind_parse(sv s)
{
	for (size_t i = 0; i < ORG_KIND_COUNT; i++)
		if (sv_eq_cstr(s, kind_table[i].slug))
			return kind_table[i].kind;
	return ORG_NONE;
}

static const char duplicate_name_message[] = "An organisation with this name already exists";

int organisation_create_tx(db *d, arena *a, const struct audit_actor *who, sv name,
			   enum org_kind kind, struct field_errors *errs, int64_t *id)
{
	int bad = 0;
	char now[ISO_TIME_LEN];
	sv t = sv_trim(name);
	int rc = DOMAIN_OK;
	int64_t new_id;
	db_stmt *st;
	sbuf json;

	if (!t.ptr || t.len == 0) {
		field_error_add(errs, "name", "Enter the organisation's name");
		rc = DOMAIN_EINVALID;
	} else if (t.len > ORGANISATION_NAME_MAX) {
		field_error_add(errs, "name", "Organisation name must be 200 characters or fewer");
		rc = DOMAIN_EINVALID;
	}
	if (!org_kind_slug(kind)[0]) {
		field_error_add(errs, "kind", "Select what kind of organisation it is");
		rc = DOMAIN_EINVALID;
	}
	if (rc != DOMAIN_OK)
		return rc;
	/* Names differing only in case would be the same organisation entered twice. */
	st = db_prepare(d, "SELECT 1 FROM organisations WHERE lower(name) = lower(?)");
	if (!st)
		return DB_ERR;
	bad |= db_bind_sv(st, 1, t);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (rc == DB_ROW) {
		field_error_add(errs, "name", duplicate_name_message);
		return DOMAIN_EINVALID;
	}
	if (rc != DB_DONE)
		return rc;

	db_now_iso(now, 0);
	st = db_prepare(d, "INSERT INTO organisations (name, kind, created_at) VALUES (?, ?, ?)");
	if (!st)
		return DB_ERR;
	bad |= db_bind_sv(st, 1, t);
	bad |= db_bind_text(st, 2, org_kind_slug(kind));
	bad |= db_bind_text(st, 3, now);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (rc == DB_ECONSTRAINT) {
		/* The name is the only unique column: taken since the check above. */
		field_error_add(errs, "name", duplicate_name_message);
		return DOMAIN_EINVALID;
	}
	if (rc != DB_DONE)
		return rc;
	new_id = db_last_insert_id(d);

	sbuf_init(&json, a, AUDIT_JSON_MAX + ORGANISATION_NAME_MAX * 6);
	sbuf_adds(&json, "{\"name\":\"");
	esc_json(&json, t);
	sbuf_addf(&json, "\",\"kind\":\"%s\"}", org_kind_slug(kind));
	if (json.err)
		return DB_ERR;
	rc = audit_record(d, who, "organisation", new_id, "create", NULL, json.buf);
	if (rc == DB_OK && id)
		*id = new_id;
	return rc;
}

int organisation_create(db *d, arena *a, const struct audit_actor *who, sv name,
			enum org_kind kind, struct field_errors *errs, int64_t *id)
{
	int rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	rc = organisation_create_tx(d, a, who, name, kind, errs, id);
	if (rc == DOMAIN_OK)
		rc = db_commit(d);
	if (rc != DOMAIN_OK)
		db_rollback(d);
	return rc;
}

static int organisation_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct organisation *out = item;
	out->id = db_col_int(st, 0);
	out->name = db_col_dup(st, 1, a);
	out->kind = org_kind_parse(db_col_sv(st, 2));
	out->created_at = db_col_dup(st, 3, a);
	return out->name && out->created_at ? DB_OK : DB_ERR;
}

int organisation_list(db *d, arena *a, struct organisation **out, size_t *n)
{
	db_stmt *st = db_prepare(d, "SELECT id, name, kind, created_at FROM organisations"
				    " ORDER BY lower(name), id LIMIT ?");
	db_bind_int(st, 1, ORGANISATION_LIST_MAX);
	return db_collect(st, a, sizeof(**out), organisation_row, NULL, out, n);
}

int organisation_get(db *d, arena *a, int64_t id, struct organisation *out)
{
	return record_get(d, a, "SELECT id, name, kind, created_at FROM organisations WHERE id = ?",
			  id, organisation_row, NULL, out);
}
