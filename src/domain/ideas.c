/* ideas.c: ideas, their versions, comments, tags, links, shares, tests and status; see
 * ideas.h. */
#include "domain/ideas.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/json.h"
#include "domain/access.h"
#include "domain/record.h"
#include "domain/sessions.h"

#define AUDIT_JSON_MAX 16384

/* --- Statuses ------------------------------------------------------------------------- */

static const struct {
	const char *slug, *label;
} status_table[IDEA_STATUS_COUNT] = {
    [IDEA_IDEA] = {"idea", "Idea"},
    [IDEA_CONCEPT] = {"concept", "Concept"},
    [IDEA_PROPOSAL] = {"proposal", "Proposal"},
    [IDEA_PRESENTED] = {"presented", "Presented to the Board"},
    [IDEA_SUPPORTED] = {"supported", "Supported by the Board"},
    [IDEA_NOT_SUPPORTED] = {"not_supported", "Not supported by the Board"},
    [IDEA_DEFERRED] = {"deferred", "Deferred by the Board"},
    [IDEA_IN_DELIVERY] = {"in_delivery", "In delivery"},
    [IDEA_DELIVERED] = {"delivered", "Delivered"},
};

const char *ideas_status_slug(enum idea_status s)
{
	return (unsigned)s < IDEA_STATUS_COUNT ? status_table[s].slug : "";
}

const char *ideas_status_label(enum idea_status s)
{
	return (unsigned)s < IDEA_STATUS_COUNT ? status_table[s].label : "";
}

int ideas_status_parse(sv s)
{
	for (int i = 0; i < IDEA_STATUS_COUNT; i++)
		if (sv_eq_cstr(s, status_table[i].slug))
			return i;
	return -1;
}

bool ideas_status_allowed(enum idea_status from, enum idea_status to)
{
	switch (from) {
	case IDEA_IDEA:
		return to == IDEA_CONCEPT;
	case IDEA_CONCEPT:
		return to == IDEA_PROPOSAL;
	case IDEA_PROPOSAL:
		return to == IDEA_PRESENTED || to == IDEA_CONCEPT;
	case IDEA_PRESENTED:
		return to == IDEA_SUPPORTED || to == IDEA_NOT_SUPPORTED || to == IDEA_DEFERRED;
	case IDEA_DEFERRED:
		return to == IDEA_PRESENTED;
	case IDEA_SUPPORTED:
		return to == IDEA_IN_DELIVERY;
	case IDEA_IN_DELIVERY:
		return to == IDEA_DELIVERED;
	default:
		return false;
	}
}

bool ideas_status_public(enum idea_status s)
{
	return s >= IDEA_PRESENTED && s < IDEA_STATUS_COUNT;
}

/* --- Small helpers ---------------------------------------------------------------------- */

static int account_role(db *d, int64_t id, enum role *role)
{
	db_stmt *st = db_prepare(d, "SELECT role FROM accounts WHERE id = ?");
	int rc;
	*role = ROLE_NONE;
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		*role = role_parse(db_col_sv(st, 0));
	db_done(st);
	return rc == DB_ROW ? DOMAIN_OK : rc == DB_DONE ? DOMAIN_ENOTFOUND : rc;
}

/* The person a contribution is credited to (the person acted for, else the actor), and
 * the side they sit on. */
static int credited(db *d, const struct audit_actor *who, int64_t *account, const char **side)
{
	enum role role;
	int rc;
	*account = who->on_behalf_of ? who->on_behalf_of : who->account_id;
	rc = account_role(d, *account, &role);
	if (rc != DOMAIN_OK)
		return rc == DOMAIN_ENOTFOUND ? DOMAIN_EFORBIDDEN : rc;
	*side = side_of_role(role);
	return DOMAIN_OK;
}

/* What the actor may do with idea ID, as ideas_access, looking up their role. */
static int actor_access(db *d, const struct audit_actor *who, int64_t id)
{
	enum role role;
	int rc;
	if (!who->account_id)
		return IDEA_NONE;
	rc = account_role(d, who->account_id, &role);
	if (rc == DOMAIN_ENOTFOUND)
		return IDEA_NONE;
	if (rc != DOMAIN_OK)
		return rc;
	return ideas_access(d, who->account_id, role, id);
}

/* Maps an access level to the result a change needing NEED gets. */
static int need_access(int acc, int need)
{
	if (acc < 0)
		return acc;
	if (acc >= need)
		return DOMAIN_OK;
	return acc >= IDEA_PUBLIC ? DOMAIN_EFORBIDDEN : DOMAIN_ENOTFOUND;
}

static void bind_opt(db_stmt *st, int i, int64_t v)
{
	if (v)
		db_bind_int(st, i, v);
	else
		db_bind_null(st, i);
}

/* Checks a required text field: trimmed, not empty, at most MAX bytes. */
static sv required_text(sv in, size_t max, struct field_errors *errs, const char *field,
                        const char *empty_msg, const char *long_msg, int *rc)
{
	sv t = sv_trim(in);
	if (!t.ptr || t.len == 0) {
		field_error_add(errs, field, empty_msg);
		*rc = DOMAIN_EINVALID;
	} else if (t.len > max) {
		field_error_add(errs, field, long_msg);
		*rc = DOMAIN_EINVALID;
	}
	return t;
}

static int audit_json(db *d, arena *a, const struct audit_actor *who, const char *entity,
                      int64_t id, const char *action, void (*fill)(json *, const void *),
                      const void *data)
{
	sbuf b;
	json j;
	sbuf_init(&b, a, AUDIT_JSON_MAX);
	json_init(&j, &b);
	json_obj(&j);
	fill(&j, data);
	json_end(&j);
	if (b.err)
		return DB_ERR;
	return audit_record(d, who, entity, id, action, NULL, b.buf);
}

/* --- Access ----------------------------------------------------------------------------- */

int ideas_access(db *d, int64_t account_id, enum role role, int64_t id)
{
	db_stmt *st;
	int rc, status = -1, level = IDEA_NONE;
	int64_t group_id = 0;
	bool published = false;

	st =
	    db_prepare(d, "SELECT i.group_id, i.status, p.published FROM ideas i JOIN programmes p "
	                  "ON p.id = i.programme_id WHERE i.id = ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		group_id = db_col_int(st, 0);
		status = ideas_status_parse(db_col_sv(st, 1));
		published = db_col_int(st, 2) != 0;
	}
	db_done(st);
	if (rc == DB_DONE)
		return IDEA_NONE;
	if (rc != DB_ROW)
		return rc;
	if (account_id && role == ROLE_PROGRAMME_LEAD)
		return IDEA_MANAGE;
	if (account_id && group_id) {
		rc = access_group(d, account_id, role, group_id);
		if (rc < 0)
			return rc;
		if (rc == ACCESS_MANAGE)
			return IDEA_MANAGE;
		if (rc == ACCESS_VIEW)
			return IDEA_TAKE_PART;
	}
	if (account_id) {
		st = db_prepare(d,
		                "SELECT 1 FROM idea_authors WHERE idea_id = ? AND account_id = ? "
		                "UNION ALL SELECT 1 FROM idea_shares s JOIN group_members m ON "
		                "m.group_id = s.group_id WHERE s.idea_id = ? AND m.account_id = ? "
		                "AND m.left_on IS NULL");
		if (!st)
			return DB_ERR;
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, account_id);
		db_bind_int(st, 3, id);
		db_bind_int(st, 4, account_id);
		rc = db_step(st);
		db_done(st);
		if (rc == DB_ROW)
			return IDEA_TAKE_PART;
		if (rc != DB_DONE)
			return rc;
	}
	/* An unpublished programme shows nothing to the public, even what went to the Board. */
	if (published && status >= 0 && ideas_status_public((enum idea_status)status))
		level = IDEA_PUBLIC;
	return level;
}

int ideas_may_add(db *d, int64_t account_id, enum role role, int64_t group_id)
{
	int rc;
	if (!account_id || group_id <= 0)
		return DOMAIN_ENOTFOUND;
	rc = access_group(d, account_id, role, group_id);
	if (rc < 0)
		return rc;
	return rc == ACCESS_NONE ? DOMAIN_ENOTFOUND : DOMAIN_OK;
}

/* --- Tags ------------------------------------------------------------------------------- */

int ideas_tags_parse(arena *a, sv text, char **out, const char **message)
{
	int n = 0;
	sv rest = text;
	while (rest.ptr && rest.len) {
		sv part = sv_trim(sv_cut(rest, ',', &rest));
		sbuf b;
		bool space = false, dup = false;
		if (!part.len)
			continue;
		if (part.len > IDEA_TAG_MAX) {
			*message = "Each tag must be 40 characters or fewer";
			return -1;
		}
		sbuf_init(&b, a, IDEA_TAG_MAX + 1);
		for (size_t i = 0; i < part.len; i++) {
			unsigned char c = (unsigned char)part.ptr[i];
			if (c == ' ' || c == '\t') {
				space = true;
				continue;
			}
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c - 'A' + 'a');
			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
			      c >= 0x80)) {
				*message = "Tags can only contain letters, numbers, spaces and "
				           "hyphens, with a comma between tags";
				return -1;
			}
			if (space && b.len)
				sbuf_addc(&b, ' ');
			space = false;
			sbuf_addc(&b, (char)c);
		}
		if (b.err) {
			*message = NULL;
			return -1;
		}
		for (int i = 0; i < n; i++)
			dup |= strcmp(out[i], b.buf) == 0;
		if (dup)
			continue;
		if (n == IDEA_TAGS_MAX) {
			*message = "Add 10 tags or fewer";
			return -1;
		}
		out[n++] = b.buf;
	}
	return n;
}

static int tags_write(db *d, int64_t id, char **tags, int n)
{
	db_stmt *st = db_prepare(d, "DELETE FROM idea_tags WHERE idea_id = ?");
	int rc;
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, id);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	for (int i = 0; i < n; i++) {
		st = db_prepare(d, "INSERT INTO idea_tags (idea_id, tag) VALUES (?, ?)");
		if (!st)
			return DB_ERR;
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, tags[i]);
		rc = db_step(st);
		db_done(st);
		if (rc != DB_DONE)
			return rc < 0 ? rc : DB_ERR;
	}
	return DOMAIN_OK;
}

struct tags_audit {
	char **tags;
	int n;
};

static void fill_tags(json *j, const void *data)
{
	const struct tags_audit *t = data;
	json_key(j, "tags");
	json_arr(j);
	for (int i = 0; i < t->n; i++)
		json_cstr(j, t->tags[i]);
	json_end(j);
}

int ideas_tags_set_tx(db *d, arena *a, const struct audit_actor *who, int64_t id, sv text,
                      struct field_errors *errs)
{
	char *tags[IDEA_TAGS_MAX];
	const char *msg = NULL;
	int n, rc = need_access(actor_access(d, who, id), IDEA_TAKE_PART);
	if (rc != DOMAIN_OK)
		return rc;
	n = ideas_tags_parse(a, text, tags, &msg);
	if (n < 0) {
		if (!msg)
			return DB_ERR;
		field_error_add(errs, "tags", msg);
		return DOMAIN_EINVALID;
	}
	rc = tags_write(d, id, tags, n);
	if (rc == DOMAIN_OK) {
		struct tags_audit t = {tags, n};
		rc = audit_json(d, a, who, "idea", id, "tags_set", fill_tags, &t);
	}
	return rc;
}


int ideas_tags_set(db *d, arena *a, const struct audit_actor *who, int64_t id, sv text,
                   struct field_errors *errs)
{
	IN_TRANSACTION(d, ideas_tags_set_tx(d, a, who, id, text, errs));
}

/* --- Creating --------------------------------------------------------------------------- */

struct create_audit {
	const struct idea_new *in;
	int64_t programme_id, author, recorded_by;
	const char *side;
};

static void fill_create(json *j, const void *data)
{
	const struct create_audit *c = data;
	json_key(j, "programme_id");
	json_int(j, c->programme_id);
	json_key(j, "group_id");
	json_int(j, c->in->group_id);
	json_key(j, "priority_area_id");
	json_int(j, c->in->priority_area_id);
	json_key(j, "title");
	json_str(j, sv_trim(c->in->title));
	json_key(j, "author");
	json_int(j, c->author);
	json_key(j, "side");
	json_cstr(j, c->side);
	if (c->recorded_by) {
		json_key(j, "recorded_by");
		json_int(j, c->recorded_by);
	}
}

/* Checks the priority area belongs to the programme (any area, when the programme names
 * none). */
static int area_ok(db *d, int64_t programme_id, int64_t area_id)
{
	db_stmt *st;
	int rc;
	if (area_id <= 0)
		return 0;
	st = db_prepare(d, "SELECT 1 FROM programme_priorities WHERE programme_id = ? AND "
	                   "priority_area_id = ? UNION ALL SELECT 1 FROM priority_areas a WHERE "
	                   "a.id = ? AND NOT EXISTS (SELECT 1 FROM programme_priorities p WHERE "
	                   "p.programme_id = ?)");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, area_id);
	db_bind_int(st, 3, area_id);
	db_bind_int(st, 4, programme_id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc;
}

static int insert_status_change(db *d, const struct audit_actor *who, int64_t id, int from,
                                enum idea_status to, sv note, const char *now)
{
	db_stmt *st = db_prepare(d, "INSERT INTO idea_status_changes (idea_id, from_status, "
	                            "to_status, changed_by, on_behalf_of, note, changed_at) VALUES "
	                            "(?, ?, ?, ?, ?, ?, ?)");
	int rc;
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, id);
	if (from >= 0)
		db_bind_text(st, 2, ideas_status_slug((enum idea_status)from));
	else
		db_bind_null(st, 2);
	db_bind_text(st, 3, ideas_status_slug(to));
	bind_opt(st, 4, who->account_id);
	bind_opt(st, 5, who->on_behalf_of);
	db_bind_sv(st, 6, note.ptr ? note : SV(""));
	db_bind_text(st, 7, now);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? DOMAIN_OK : rc < 0 ? rc : DB_ERR;
}

static int insert_revision(db *d, const struct audit_actor *who, int64_t id, int version, sv title,
                           sv body, const char *side, bool amendment, const char *now)
{
	db_stmt *st = db_prepare(d, "INSERT INTO idea_revisions (idea_id, version, title, body, "
	                            "revised_by, on_behalf_of, side, is_amendment, revised_at) "
	                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	int rc;
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, version);
	db_bind_sv(st, 3, title);
	db_bind_sv(st, 4, body);
	bind_opt(st, 5, who->account_id);
	bind_opt(st, 6, who->on_behalf_of);
	db_bind_text(st, 7, side);
	db_bind_int(st, 8, amendment ? 1 : 0);
	db_bind_text(st, 9, now);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? DOMAIN_OK : rc < 0 ? rc : DB_ERR;
}

int ideas_create_tx(db *d, arena *a, const struct audit_actor *who, const struct idea_new *in,
                    struct field_errors *errs, int64_t *id)
{
	char now[ISO_TIME_LEN], *tags[IDEA_TAGS_MAX];
	const char *side = NULL, *msg = NULL;
	int64_t author = 0, programme_id = 0, new_id,
	        recorder = who->on_behalf_of ? who->account_id : 0;
	enum role role;
	db_stmt *st;
	sv title, body;
	int rc, ntags, ok;

	if (!who->account_id)
		return DOMAIN_EFORBIDDEN;
	rc = account_role(d, who->account_id, &role);
	if (rc != DOMAIN_OK)
		return rc == DOMAIN_ENOTFOUND ? DOMAIN_EFORBIDDEN : rc;
	rc = ideas_may_add(d, who->account_id, role, in->group_id);
	if (rc != DOMAIN_OK)
		return rc;
	rc = credited(d, who, &author, &side);
	if (rc != DOMAIN_OK)
		return rc;
	if (in->credit_to && in->credit_to != author) {
		/* Written down in the room for another member: only those who run the group. */
		enum role their_role;
		int acc = access_group(d, who->account_id, role, in->group_id);
		if (acc < 0)
			return acc;
		if (acc != ACCESS_MANAGE)
			return DOMAIN_EFORBIDDEN;
		st = db_prepare(d,
		                "SELECT 1 FROM group_members WHERE group_id = ? AND account_id = ? "
		                "AND left_on IS NULL");
		if (!st)
			return DB_ERR;
		db_bind_int(st, 1, in->group_id);
		db_bind_int(st, 2, in->credit_to);
		rc = db_step(st);
		db_done(st);
		if (rc != DB_ROW && rc != DB_DONE)
			return rc;
		if (rc == DB_DONE || account_role(d, in->credit_to, &their_role) != DOMAIN_OK) {
			field_error_add(errs, "credit_to", "Select a member of the group");
			return DOMAIN_EINVALID;
		}
		author = in->credit_to;
		side = side_of_role(their_role);
		recorder = who->account_id;
	}
	st = db_prepare(d, "SELECT programme_id FROM working_groups WHERE id = ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, in->group_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		programme_id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? DOMAIN_ENOTFOUND : rc;

	rc = DOMAIN_OK;
	ok = area_ok(d, programme_id, in->priority_area_id);
	if (ok < 0)
		return ok;
	if (!ok) {
		field_error_add(errs, "priority_area_id",
		                "Select the priority area the idea is about");
		rc = DOMAIN_EINVALID;
	}
	title =
	    required_text(in->title, IDEA_TITLE_MAX, errs, "title", "Enter a title for the idea",
	                  "Title must be 200 characters or fewer", &rc);
	body = required_text(in->body, IDEA_BODY_MAX, errs, "body", "Describe the idea",
	                     "Description must be 10,000 characters or fewer", &rc);
	ntags = ideas_tags_parse(a, in->tags, tags, &msg);
	if (ntags < 0) {
		if (!msg)
			return DB_ERR;
		field_error_add(errs, "tags", msg);
		rc = DOMAIN_EINVALID;
	}
	if (rc != DOMAIN_OK)
		return rc;

	db_now_iso(now, 0);
	st = db_prepare(d, "INSERT INTO ideas (programme_id, priority_area_id, group_id, title, "
	                   "body, status, version, created_by, side, created_at, updated_at) "
	                   "VALUES (?, ?, ?, ?, ?, 'idea', 1, ?, ?, ?, ?)");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, in->priority_area_id);
	db_bind_int(st, 3, in->group_id);
	db_bind_sv(st, 4, title);
	db_bind_sv(st, 5, body);
	db_bind_int(st, 6, author);
	db_bind_text(st, 7, side);
	db_bind_text(st, 8, now);
	db_bind_text(st, 9, now);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	new_id = db_last_insert_id(d);

	st = db_prepare(d, "INSERT INTO idea_authors (idea_id, account_id, side, recorded_by) "
	                   "VALUES (?, ?, ?, ?)");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, new_id);
	db_bind_int(st, 2, author);
	db_bind_text(st, 3, side);
	bind_opt(st, 4, recorder);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	rc = insert_revision(d, who, new_id, 1, title, body, side, false, now);
	if (rc == DOMAIN_OK)
		rc = insert_status_change(d, who, new_id, -1, IDEA_IDEA, SV(""), now);
	if (rc == DOMAIN_OK)
		rc = tags_write(d, new_id, tags, ntags);
	if (rc == DOMAIN_OK) {
		struct create_audit c = {in, programme_id, author, recorder, side};
		rc = audit_json(d, a, who, "idea", new_id, "create", fill_create, &c);
	}
	if (rc == DOMAIN_OK && id)
		*id = new_id;
	return rc;
}

int ideas_create(db *d, arena *a, const struct audit_actor *who, const struct idea_new *in,
                 struct field_errors *errs, int64_t *id)
{
	IN_TRANSACTION(d, ideas_create_tx(d, a, who, in, errs, id));
}

/* --- Reading ---------------------------------------------------------------------------- */

static int idea_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct idea *x = item;
	int s = ideas_status_parse(db_col_sv(st, 11));
	x->id = db_col_int(st, 0);
	x->programme_id = db_col_int(st, 1);
	x->priority_area_id = db_col_int(st, 2);
	x->group_id = db_col_int(st, 3);
	x->programme_slug = db_col_dup(st, 4, a);
	x->programme_name = db_col_dup(st, 5, a);
	x->priority_slug = db_col_dup(st, 6, a);
	x->priority_name = db_col_dup(st, 7, a);
	x->group_name = db_col_dup(st, 8, a);
	x->title = db_col_dup(st, 9, a);
	x->body = db_col_dup(st, 10, a);
	x->status = s < 0 ? IDEA_IDEA : (enum idea_status)s;
	x->version = (int)db_col_int(st, 12);
	x->created_by = db_col_int(st, 13);
	x->side = db_col_dup(st, 14, a);
	x->created_at = db_col_dup(st, 15, a);
	x->updated_at = db_col_dup(st, 16, a);
	return x->title && x->body && x->side && x->programme_slug ? DB_OK : DB_ERR;
}

int ideas_get(db *d, arena *a, int64_t id, struct idea *out)
{
	return record_get(
	    d, a,
	    "SELECT i.id, i.programme_id, i.priority_area_id, i.group_id, p.slug, p.name, "
	    "pa.slug, pa.name, g.name, i.title, i.body, i.status, i.version, i.created_by, "
	    "i.side, i.created_at, i.updated_at FROM ideas i JOIN programmes p ON p.id = "
	    "i.programme_id JOIN priority_areas pa ON pa.id = i.priority_area_id LEFT JOIN "
	    "working_groups g ON g.id = i.group_id WHERE i.id = ?",
	    id, idea_row, NULL, out);
}

static int author_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct idea_author *x = item;
	x->account_id = db_col_int(st, 0);
	x->name = db_col_dup(st, 1, a);
	x->role = role_parse(db_col_sv(st, 2));
	x->side = db_col_dup(st, 3, a);
	x->recorded_by = db_col_int(st, 4);
	x->recorded_by_name = db_col_dup(st, 5, a);
	return DB_OK;
}

int ideas_authors(db *d, arena *a, int64_t id, struct idea_author **out, size_t *n)
{
	db_stmt *st = db_prepare(d, "SELECT au.account_id, ac.display_name, ac.role, au.side, "
	                            "au.recorded_by, r.display_name FROM idea_authors au JOIN "
	                            "accounts ac ON ac.id = au.account_id LEFT JOIN accounts r ON "
	                            "r.id = au.recorded_by WHERE au.idea_id = ? ORDER BY "
	                            "au.account_id LIMIT 500");
	db_bind_int(st, 1, id);
	return db_collect(st, a, sizeof(**out), author_row, NULL, out, n);
}

#define REVISION_COLS                                                                              \
	"SELECT r.id, r.version, r.title, r.body, r.revised_by, r.on_behalf_of, a.display_name, "  \
	"b.display_name, r.side, r.is_amendment, r.revised_at FROM idea_revisions r LEFT JOIN "    \
	"accounts a ON a.id = r.revised_by LEFT JOIN accounts b ON b.id = r.on_behalf_of "

static int revision_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct idea_revision *x = item;
	x->id = db_col_int(st, 0);
	x->version = (int)db_col_int(st, 1);
	x->title = db_col_dup(st, 2, a);
	x->body = db_col_dup(st, 3, a);
	x->revised_by = db_col_int(st, 4);
	x->on_behalf_of = db_col_int(st, 5);
	x->revised_by_name = db_col_dup(st, 6, a);
	x->on_behalf_name = db_col_dup(st, 7, a);
	x->side = db_col_dup(st, 8, a);
	x->is_amendment = db_col_int(st, 9) != 0;
	x->revised_at = db_col_dup(st, 10, a);
	return DB_OK;
}

int ideas_revisions(db *d, arena *a, int64_t id, struct idea_revision **out, size_t *n)
{
	db_stmt *st = db_prepare(d, REVISION_COLS "WHERE r.idea_id = ? ORDER BY r.version "
	                                          "LIMIT 500");
	db_bind_int(st, 1, id);
	return db_collect(st, a, sizeof(**out), revision_row, NULL, out, n);
}

int ideas_revision_get(db *d, arena *a, int64_t id, int version, struct idea_revision *out)
{
	db_stmt *st = db_prepare(d, REVISION_COLS "WHERE r.idea_id = ? AND r.version = ?");
	int rc;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, version);
	rc = db_one(st, a, revision_row, NULL, out);
	return rc == DB_DONE ? DOMAIN_ENOTFOUND : rc;
}

static int comment_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct idea_comment *x = item;
	x->id = db_col_int(st, 0);
	x->parent_id = db_col_int(st, 1);
	x->account_id = db_col_int(st, 2);
	x->on_behalf_of = db_col_int(st, 3);
	x->name = db_col_dup(st, 4, a);
	x->on_behalf_name = db_col_dup(st, 5, a);
	x->role = role_parse(db_col_sv(st, 6));
	x->side = db_col_dup(st, 7, a);
	x->body = db_col_dup(st, 8, a);
	x->created_at = db_col_dup(st, 9, a);
	return DB_OK;
}

int ideas_comments(db *d, arena *a, int64_t id, struct idea_comment **out, size_t *n)
{
	db_stmt *st =
	    db_prepare(d, "SELECT c.id, c.parent_id, c.account_id, c.on_behalf_of, a.display_name, "
	                  "b.display_name, COALESCE(b.role, a.role), c.side, c.body, c.created_at "
	                  "FROM idea_comments c "
	                  "JOIN accounts a ON a.id = c.account_id LEFT JOIN accounts b ON b.id = "
	                  "c.on_behalf_of WHERE c.idea_id = ? ORDER BY c.id LIMIT 500");
	db_bind_int(st, 1, id);
	return db_collect(st, a, sizeof(**out), comment_row, NULL, out, n);
}

static int status_change_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct idea_status_change *x = item;
	int to = ideas_status_parse(db_col_sv(st, 2));
	x->id = db_col_int(st, 0);
	x->from = db_col_null(st, 1) ? -1 : ideas_status_parse(db_col_sv(st, 1));
	x->to = to < 0 ? IDEA_IDEA : (enum idea_status)to;
	x->changed_by = db_col_int(st, 3);
	x->on_behalf_of = db_col_int(st, 4);
	x->changed_by_name = db_col_dup(st, 5, a);
	x->on_behalf_name = db_col_dup(st, 6, a);
	x->note = db_col_dup(st, 7, a);
	x->changed_at = db_col_dup(st, 8, a);
	return DB_OK;
}

int ideas_status_changes(db *d, arena *a, int64_t id, struct idea_status_change **out, size_t *n)
{
	db_stmt *st = db_prepare(
	    d, "SELECT c.id, c.from_status, c.to_status, c.changed_by, c.on_behalf_of, "
	       "a.display_name, b.display_name, c.note, c.changed_at FROM idea_status_changes "
	       "c LEFT JOIN accounts a ON a.id = c.changed_by LEFT JOIN accounts b ON b.id = "
	       "c.on_behalf_of WHERE c.idea_id = ? ORDER BY c.id LIMIT 500");
	db_bind_int(st, 1, id);
	return db_collect(st, a, sizeof(**out), status_change_row, NULL, out, n);
}

static int test_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct idea_test *x = item;
	x->id = db_col_int(st, 0);
	x->tested_on = db_col_dup(st, 1, a);
	x->tried = db_col_dup(st, 2, a);
	x->expected = db_col_dup(st, 3, a);
	x->happened = db_col_dup(st, 4, a);
	x->changed = db_col_dup(st, 5, a);
	x->recorded_by = db_col_int(st, 6);
	x->recorded_by_name = db_col_dup(st, 7, a);
	x->created_at = db_col_dup(st, 8, a);
	return DB_OK;
}

int ideas_tests(db *d, arena *a, int64_t id, struct idea_test **out, size_t *n)
{
	db_stmt *st = db_prepare(
	    d, "SELECT t.id, t.tested_on, t.tried, t.expected, t.happened, t.changed, "
	       "t.recorded_by, a.display_name, t.created_at FROM idea_tests t LEFT JOIN "
	       "accounts a ON a.id = t.recorded_by WHERE t.idea_id = ? ORDER BY t.tested_on, "
	       "t.id LIMIT 500");
	db_bind_int(st, 1, id);
	return db_collect(st, a, sizeof(**out), test_row, NULL, out, n);
}

static int tag_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	*(char **)item = db_col_dup(st, 0, a);
	return DB_OK;
}

int ideas_tags(db *d, arena *a, int64_t id, char ***out, size_t *n)
{
	db_stmt *st = db_prepare(d, "SELECT tag FROM idea_tags WHERE idea_id = ? ORDER BY tag "
	                            "LIMIT 500");
	db_bind_int(st, 1, id);
	return db_collect(st, a, sizeof(**out), tag_row, NULL, out, n);
}

static int brief_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct idea_brief *x = item;
	int s = ideas_status_parse(db_col_sv(st, 2));
	x->id = db_col_int(st, 0);
	x->title = db_col_dup(st, 1, a);
	x->status = s < 0 ? IDEA_IDEA : (enum idea_status)s;
	x->group_name = db_col_dup(st, 3, a);
	x->side = db_col_dup(st, 4, a);
	x->updated_at = db_col_dup(st, 5, a);
	return DB_OK;
}

#define BRIEF_COLS                                                                                 \
	"SELECT i.id, i.title, i.status, g.name, i.side, i.updated_at FROM ideas i LEFT JOIN "     \
	"working_groups g ON g.id = i.group_id "

int ideas_links(db *d, arena *a, int64_t id, int64_t account_id, enum role role,
                struct idea_brief **out, size_t *n)
{
	db_stmt *st =
	    db_prepare(d, BRIEF_COLS "WHERE i.id IN (SELECT related_idea_id FROM "
	                             "idea_links WHERE idea_id = ? UNION SELECT idea_id "
	                             "FROM idea_links WHERE related_idea_id = ?) ORDER BY "
	                             "i.id LIMIT 500");
	struct idea_brief *all;
	size_t count, kept = 0;
	int rc;
	*out = NULL;
	*n = 0;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, id);
	if ((rc = db_collect(st, a, sizeof(*all), brief_row, NULL, &all, &count)) != DB_OK)
		return rc;
	/* Keep only what the reader may see: a link must not reveal another group's idea. */
	for (size_t i = 0; i < count; i++) {
		int acc = ideas_access(d, account_id, role, all[i].id);
		if (acc < 0)
			return acc;
		if (acc >= IDEA_TAKE_PART)
			all[kept++] = all[i];
	}
	*out = all;
	*n = kept;
	return DOMAIN_OK;
}

static int share_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct idea_brief *x = item;
	x->id = db_col_int(st, 0);
	x->title = db_col_dup(st, 1, a);
	return DB_OK;
}

int ideas_shares(db *d, arena *a, int64_t id, struct idea_brief **out, size_t *n)
{
	db_stmt *st = db_prepare(d, "SELECT g.id, g.name FROM idea_shares s JOIN working_groups g "
	                            "ON g.id = s.group_id WHERE s.idea_id = ? ORDER BY g.name "
	                            "LIMIT 500");
	db_bind_int(st, 1, id);
	return db_collect(st, a, sizeof(**out), share_row, NULL, out, n);
}

/* --- Status ----------------------------------------------------------------------------- */

static int current_status(db *d, int64_t id)
{
	db_stmt *st = db_prepare(d, "SELECT status FROM ideas WHERE id = ?");
	int rc, s = -1;
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		s = ideas_status_parse(db_col_sv(st, 0));
	db_done(st);
	if (rc == DB_DONE)
		return DOMAIN_ENOTFOUND;
	if (rc != DB_ROW)
		return rc < 0 ? rc : DB_ERR;
	return s < 0 ? DB_ERR : s;
}

/* "An idea that is a concept can only become a proposal." */
static const char *move_message(arena *a, enum idea_status from)
{
	sbuf b;
	int first = 1;
	sbuf_init(&b, a, 512);
	sbuf_addf(&b, "%s cannot move to that status. ", ideas_status_label(from));
	for (int to = 0; to < IDEA_STATUS_COUNT; to++) {
		if (!ideas_status_allowed(from, (enum idea_status)to))
			continue;
		sbuf_adds(&b, first ? "It can move to: " : ", ");
		sbuf_adds(&b, ideas_status_label((enum idea_status)to));
		first = 0;
	}
	sbuf_adds(&b, first ? "It is at the end of its journey." : ".");
	return b.err ? "That change of status is not allowed" : b.buf;
}

struct status_audit {
	enum idea_status from, to;
	sv note;
};

static void fill_status(json *j, const void *data)
{
	const struct status_audit *s = data;
	json_key(j, "from");
	json_cstr(j, ideas_status_slug(s->from));
	json_key(j, "to");
	json_cstr(j, ideas_status_slug(s->to));
	json_key(j, "note");
	json_str(j, s->note.ptr ? s->note : SV(""));
}

int ideas_set_status_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
                        enum idea_status to, sv note, struct field_errors *errs)
{
	char now[ISO_TIME_LEN];
	int from = current_status(d, id), rc;
	db_stmt *st;
	if (from < 0)
		return from;
	note = sv_trim(note);
	if ((unsigned)to >= IDEA_STATUS_COUNT ||
	    !ideas_status_allowed((enum idea_status)from, to)) {
		field_error_add(errs, "status", move_message(a, (enum idea_status)from));
		return DOMAIN_ECONFLICT;
	}
	if (note.len > IDEA_NOTE_MAX) {
		field_error_add(errs, "note", "Note must be 2,000 characters or fewer");
		return DOMAIN_EINVALID;
	}
	db_now_iso(now, 0);
	st = db_prepare(d,
	                "UPDATE ideas SET status = ?, updated_at = ? WHERE id = ? AND status = ?");
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, ideas_status_slug(to));
	db_bind_text(st, 2, now);
	db_bind_int(st, 3, id);
	db_bind_text(st, 4, ideas_status_slug((enum idea_status)from));
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	rc = insert_status_change(d, who, id, from, to, note, now);
	if (rc == DOMAIN_OK) {
		struct status_audit s = {(enum idea_status)from, to, note};
		rc = audit_json(d, a, who, "idea", id, "status", fill_status, &s);
	}
	return rc;
}

static int set_status_checked(db *d, arena *a, const struct audit_actor *who, int64_t id,
                              enum idea_status to, sv note, struct field_errors *errs)
{
	int rc = need_access(actor_access(d, who, id), IDEA_MANAGE);
	if (rc != DOMAIN_OK)
		return rc;
	if (to > IDEA_PROPOSAL)
		return DOMAIN_EFORBIDDEN;
	return ideas_set_status_tx(d, a, who, id, to, note, errs);
}

int ideas_set_status(db *d, arena *a, const struct audit_actor *who, int64_t id,
                     enum idea_status to, sv note, struct field_errors *errs)
{
	IN_TRANSACTION(d, set_status_checked(d, a, who, id, to, note, errs));
}

/* --- Revisions -------------------------------------------------------------------------- */

struct revise_audit {
	int version;
	bool amendment;
	sv title;
};

static void fill_revise(json *j, const void *data)
{
	const struct revise_audit *r = data;
	json_key(j, "version");
	json_int(j, r->version);
	json_key(j, "is_amendment");
	json_bool(j, r->amendment);
	json_key(j, "title");
	json_str(j, r->title);
}

int ideas_revise_tx(db *d, arena *a, const struct audit_actor *who, int64_t id, sv title, sv body,
                    struct field_errors *errs, int *version)
{
	char now[ISO_TIME_LEN];
	const char *side = NULL;
	int64_t person = 0;
	int rc = need_access(actor_access(d, who, id), IDEA_TAKE_PART), cur = 0, is_author = 0;
	bool same = false;
	db_stmt *st;

	if (rc != DOMAIN_OK)
		return rc;
	title = required_text(title, IDEA_TITLE_MAX, errs, "title", "Enter a title for the idea",
	                      "Title must be 200 characters or fewer", &rc);
	body = required_text(body, IDEA_BODY_MAX, errs, "body", "Describe the idea",
	                     "Description must be 10,000 characters or fewer", &rc);
	if (rc != DOMAIN_OK)
		return rc;
	st = db_prepare(d, "SELECT version, title, body FROM ideas WHERE id = ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		cur = (int)db_col_int(st, 0);
		same = sv_eq(db_col_sv(st, 1), title) && sv_eq(db_col_sv(st, 2), body);
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? DOMAIN_ENOTFOUND : rc < 0 ? rc : DB_ERR;
	if (same) {
		field_error_add(errs, "body",
		                "Change the title or the description before you save "
		                "a new version");
		return DOMAIN_EINVALID;
	}
	rc = credited(d, who, &person, &side);
	if (rc != DOMAIN_OK)
		return rc;
	st = db_prepare(d, "SELECT 1 FROM idea_authors WHERE idea_id = ? AND account_id = ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, person);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return rc;
	is_author = rc == DB_ROW;

	db_now_iso(now, 0);
	rc = insert_revision(d, who, id, cur + 1, title, body, side, !is_author, now);
	if (rc != DOMAIN_OK)
		return rc;
	st = db_prepare(d, "UPDATE ideas SET title = ?, body = ?, version = ?, updated_at = ? "
	                   "WHERE id = ?");
	if (!st)
		return DB_ERR;
	db_bind_sv(st, 1, title);
	db_bind_sv(st, 2, body);
	db_bind_int(st, 3, cur + 1);
	db_bind_text(st, 4, now);
	db_bind_int(st, 5, id);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	{
		struct revise_audit r = {cur + 1, !is_author, title};
		rc = audit_json(d, a, who, "idea", id, is_author ? "revise" : "amend", fill_revise,
		                &r);
	}
	if (rc == DOMAIN_OK && version)
		*version = cur + 1;
	return rc;
}

int ideas_revise(db *d, arena *a, const struct audit_actor *who, int64_t id, sv title, sv body,
                 struct field_errors *errs, int *version)
{
	IN_TRANSACTION(d, ideas_revise_tx(d, a, who, id, title, body, errs, version));
}

/* --- Comments --------------------------------------------------------------------------- */

struct comment_audit {
	int64_t idea_id, parent_id;
	const char *side;
};

static void fill_comment(json *j, const void *data)
{
	const struct comment_audit *c = data;
	json_key(j, "idea_id");
	json_int(j, c->idea_id);
	if (c->parent_id) {
		json_key(j, "parent_id");
		json_int(j, c->parent_id);
	}
	json_key(j, "side");
	json_cstr(j, c->side);
}

int ideas_comment_add_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
                         int64_t parent_id, sv body, struct field_errors *errs, int64_t *comment_id)
{
	char now[ISO_TIME_LEN];
	const char *side = NULL;
	int64_t person = 0, new_id;
	int rc = need_access(actor_access(d, who, id), IDEA_TAKE_PART);
	db_stmt *st;

	if (rc != DOMAIN_OK)
		return rc;
	if (!who->account_id)
		return DOMAIN_EFORBIDDEN;
	body = required_text(body, IDEA_COMMENT_MAX, errs, "body", "Enter your comment",
	                     "Comment must be 4,000 characters or fewer", &rc);
	if (rc != DOMAIN_OK)
		return rc;
	if (parent_id) {
		st = db_prepare(d,
		                "SELECT parent_id FROM idea_comments WHERE id = ? AND idea_id = ?");
		if (!st)
			return DB_ERR;
		db_bind_int(st, 1, parent_id);
		db_bind_int(st, 2, id);
		rc = db_step(st);
		if (rc == DB_ROW && !db_col_null(st, 0))
			rc = DOMAIN_EINVALID;
		db_done(st);
		if (rc == DB_DONE || rc == DOMAIN_EINVALID) {
			field_error_add(errs, "body",
			                "You can only reply to a comment, not to a reply");
			return DOMAIN_EINVALID;
		}
		if (rc != DB_ROW)
			return rc < 0 ? rc : DB_ERR;
	}
	rc = credited(d, who, &person, &side);
	if (rc != DOMAIN_OK)
		return rc;
	db_now_iso(now, 0);
	st = db_prepare(d, "INSERT INTO idea_comments (idea_id, parent_id, account_id, "
	                   "on_behalf_of, side, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, id);
	bind_opt(st, 2, parent_id);
	/* As everywhere: account_id is who typed it, on_behalf_of the person it came from
	 * when a facilitator typed it for them; the side is that person's. */
	db_bind_int(st, 3, who->account_id);
	bind_opt(st, 4, who->on_behalf_of);
	db_bind_text(st, 5, side);
	db_bind_sv(st, 6, body);
	db_bind_text(st, 7, now);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	new_id = db_last_insert_id(d);
	{
		struct comment_audit c = {id, parent_id, side};
		rc = audit_json(d, a, who, "idea_comment", new_id, "create", fill_comment, &c);
	}
	if (rc == DOMAIN_OK && comment_id)
		*comment_id = new_id;
	return rc;
}

int ideas_comment_add(db *d, arena *a, const struct audit_actor *who, int64_t id, int64_t parent_id,
                      sv body, struct field_errors *errs, int64_t *comment_id)
{
	IN_TRANSACTION(d, ideas_comment_add_tx(d, a, who, id, parent_id, body, errs, comment_id));
}

/* --- Links and shares ------------------------------------------------------------------- */

struct pair_audit {
	const char *key;
	int64_t other;
};

static void fill_pair(json *j, const void *data)
{
	const struct pair_audit *p = data;
	json_key(j, p->key);
	json_int(j, p->other);
}

/* Adds a row that pairs idea ID with OTHER (SQL takes idea, other, who, when) and records
 * ACTION in the audit log with OTHER under FIELD: linking and sharing are alike. */
static int insert_pair(db *d, arena *a, const struct audit_actor *who, int64_t id, int64_t other,
		       const char *sql, const char *field, const char *action)
{
	char now[ISO_TIME_LEN];
	struct pair_audit p = {field, other};
	db_stmt *st = db_prepare(d, sql);
	int rc;
	if (!st)
		return DB_ERR;
	db_now_iso(now, 0);
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, other);
	bind_opt(st, 3, who->account_id);
	db_bind_text(st, 4, now);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	return audit_json(d, a, who, "idea", id, action, fill_pair, &p);
}

int ideas_link_add_tx(db *d, arena *a, const struct audit_actor *who, int64_t id, int64_t related,
                      struct field_errors *errs)
{
	int rc = need_access(actor_access(d, who, id), IDEA_TAKE_PART), other;
	db_stmt *st;
	if (rc != DOMAIN_OK)
		return rc;
	if (related == id) {
		field_error_add(errs, "related_id",
		                "Enter the number of another idea, not this one");
		return DOMAIN_EINVALID;
	}
	other = related > 0 ? actor_access(d, who, related) : IDEA_NONE;
	if (other < 0)
		return other;
	if (other < IDEA_TAKE_PART) {
		field_error_add(errs, "related_id",
		                "There is no idea with that number that you can "
		                "see");
		return DOMAIN_EINVALID;
	}
	st = db_prepare(d, "SELECT 1 FROM idea_links WHERE (idea_id = ? AND related_idea_id = ?) "
	                   "OR (idea_id = ? AND related_idea_id = ?)");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, related);
	db_bind_int(st, 3, related);
	db_bind_int(st, 4, id);
	rc = db_step(st);
	db_done(st);
	if (rc == DB_ROW) {
		field_error_add(errs, "related_id", "These ideas are already linked");
		return DOMAIN_EINVALID;
	}
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	return insert_pair(d, a, who, id, related,
			   "INSERT INTO idea_links (idea_id, related_idea_id, created_by, created_at) "
			   "VALUES (?, ?, ?, ?)",
			   "related_idea_id", "link");
}

int ideas_link_add(db *d, arena *a, const struct audit_actor *who, int64_t id, int64_t related,
                   struct field_errors *errs)
{
	IN_TRANSACTION(d, ideas_link_add_tx(d, a, who, id, related, errs));
}

static int share_tx(db *d, arena *a, const struct audit_actor *who, int64_t id, int64_t group_id,
                    struct field_errors *errs)
{
	int rc = need_access(actor_access(d, who, id), IDEA_MANAGE);
	db_stmt *st;
	if (rc != DOMAIN_OK)
		return rc;
	st = db_prepare(d, "SELECT 1 FROM working_groups g JOIN ideas i ON i.programme_id = "
	                   "g.programme_id WHERE g.id = ? AND i.id = ? AND (i.group_id IS NULL OR "
	                   "i.group_id <> g.id) AND NOT EXISTS (SELECT 1 FROM idea_shares s WHERE "
	                   "s.idea_id = i.id AND s.group_id = g.id)");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, group_id);
	db_bind_int(st, 2, id);
	rc = db_step(st);
	db_done(st);
	if (rc == DB_DONE) {
		field_error_add(errs, "group_id",
		                "Select another group of this programme that the "
		                "idea is not already shared with");
		return DOMAIN_EINVALID;
	}
	if (rc != DB_ROW)
		return rc < 0 ? rc : DB_ERR;
	return insert_pair(d, a, who, id, group_id,
			   "INSERT INTO idea_shares (idea_id, group_id, shared_by, shared_at) "
			   "VALUES (?, ?, ?, ?)",
			   "group_id", "share");
}

int ideas_share(db *d, arena *a, const struct audit_actor *who, int64_t id, int64_t group_id,
                struct field_errors *errs)
{
	IN_TRANSACTION(d, share_tx(d, a, who, id, group_id, errs));
}

/* --- Tests ------------------------------------------------------------------------------ */

struct test_audit {
	const char *tested_on;
};

static void fill_test(json *j, const void *data)
{
	const struct test_audit *t = data;
	json_key(j, "tested_on");
	json_cstr(j, t->tested_on);
}

int ideas_test_add_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
                      const struct idea_test_new *in, struct field_errors *errs)
{
	char now[ISO_TIME_LEN];
	struct date on;
	sbuf iso;
	sv tried, expected, happened, changed;
	int rc = need_access(actor_access(d, who, id), IDEA_TAKE_PART);
	db_stmt *st;
	if (rc != DOMAIN_OK)
		return rc;
	if (date_from_fields(in->day, in->month, in->year, &on) != 0) {
		field_error_add(errs, "tested_on",
		                "Enter the date it was tried as a real date, "
		                "like 14 6 2022");
		rc = DOMAIN_EINVALID;
	} else if (date_cmp(on, date_today()) > 0) {
		field_error_add(errs, "tested_on",
		                "The date it was tried must be today or in the "
		                "past");
		rc = DOMAIN_EINVALID;
	}
	tried = required_text(in->tried, IDEA_TEST_TEXT_MAX, errs, "tried", "Enter what was tried",
	                      "What was tried must be 4,000 characters or fewer", &rc);
	expected = required_text(in->expected, IDEA_TEST_TEXT_MAX, errs, "expected",
	                         "Enter what you expected to happen",
	                         "What you expected must be 4,000 characters or fewer", &rc);
	happened =
	    required_text(in->happened, IDEA_TEST_TEXT_MAX, errs, "happened", "Enter what happened",
	                  "What happened must be 4,000 characters or fewer", &rc);
	changed = required_text(in->changed, IDEA_TEST_TEXT_MAX, errs, "changed",
	                        "Enter what changed as a result, or \"nothing yet\"",
	                        "What changed must be 4,000 characters or fewer", &rc);
	if (rc != DOMAIN_OK)
		return rc;
	sbuf_init(&iso, a, 16);
	date_iso(&iso, on);
	if (iso.err)
		return DB_ERR;
	db_now_iso(now, 0);
	st = db_prepare(d, "INSERT INTO idea_tests (idea_id, tested_on, tried, expected, happened, "
	                   "changed, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, iso.buf);
	db_bind_sv(st, 3, tried);
	db_bind_sv(st, 4, expected);
	db_bind_sv(st, 5, happened);
	db_bind_sv(st, 6, changed);
	bind_opt(st, 7, who->account_id);
	db_bind_text(st, 8, now);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	{
		struct test_audit t = {iso.buf};
		return audit_json(d, a, who, "idea_test", db_last_insert_id(d), "create", fill_test,
		                  &t);
	}
}

int ideas_test_add(db *d, arena *a, const struct audit_actor *who, int64_t id,
                   const struct idea_test_new *in, struct field_errors *errs)
{
	IN_TRANSACTION(d, ideas_test_add_tx(d, a, who, id, in, errs));
}

/* --- Lists ------------------------------------------------------------------------------ */

/* A list is made of indexed walks down ideas by id, newest first (or up, for the page
 * before), each stopping after a page and one more. Each combination of filters has its
 * own SQL text, written once, so the database can use the index that fits: ideas_programme
 * or ideas_group for a plain list, ideas_status when a status is chosen, idea_tags_tag for
 * a tag. A programme lead's list is one walk. Anyone else sees the ideas of their groups,
 * those shared with their groups and their own: one walk for each (people belong to few
 * groups), merged, so the work stays bounded by the page size whatever the number of
 * ideas the reader may not see. */
enum {
	SCOPE_ALL,              /* every programme */
	SCOPE_PROGRAMME,        /* one programme */
	SCOPE_GROUP,            /* one group's own ideas */
	SCOPE_GROUP_SHARED,     /* ideas other groups shared with one group */
	SCOPE_AUTHOR,           /* one person's own ideas, in every programme */
	SCOPE_AUTHOR_PROGRAMME, /* one person's own ideas in one programme */
	SCOPE_COUNT,
};
#define V_TAG        1
#define V_STATUS     2
#define V_NEWER      4
#define V_COUNT      8
#define LIST_SQL_MAX 1400

static char list_sql[SCOPE_COUNT][V_COUNT][LIST_SQL_MAX];
static pthread_once_t list_sql_once = PTHREAD_ONCE_INIT;

static void list_sql_build(void)
{
	for (int scope = 0; scope < SCOPE_COUNT; scope++)
		for (int v = 0; v < V_COUNT; v++)
			snprintf(
			    list_sql[scope][v], LIST_SQL_MAX, "%s%sWHERE 1 = 1 %s%s%s%s%s%s",
			    BRIEF_COLS,
			    v & V_TAG ? "JOIN idea_tags t ON t.idea_id = i.id AND t.tag = ? " : "",
			    /* These two start from the few shares or authorships and look the
			     * ideas up by id, rather than walking every idea. */
			    scope == SCOPE_GROUP_SHARED ? "AND i.id IN (SELECT sh.idea_id FROM "
			                                  "idea_shares sh WHERE sh.group_id = ?) "
			                                : "",
			    scope >= SCOPE_AUTHOR
			        ? "AND i.id IN (SELECT au.idea_id FROM idea_authors "
			          "au WHERE au.account_id = ?) "
			        : "",
			    scope == SCOPE_PROGRAMME || scope == SCOPE_AUTHOR_PROGRAMME
			        ? "AND i.programme_id = ? "
			    : scope == SCOPE_GROUP ? "AND i.group_id = ? "
			                           : "",
			    v & V_STATUS ? "AND i.status = ? " : "",
			    v & V_NEWER ? "AND i.id > ? ORDER BY i.id ASC "
			                : "AND i.id < ? ORDER BY i.id DESC ",
			    "LIMIT 51");
}

/* Runs one walk for SCOPE over ID (the group or the author; 0 otherwise) into ROWS (room
 * for IDEAS_PER_PAGE + 1); *COUNT rows, in the order of the walk. */
static int list_walk(db *d, arena *a, const struct idea_filter *f, int scope, int64_t id,
                     bool newer, struct idea_brief *rows, size_t *count)
{
	int v = (f->tag && f->tag[0] ? V_TAG : 0) | (f->status >= 0 ? V_STATUS : 0) |
	        (newer ? V_NEWER : 0);
	db_stmt *st;
	int i = 1, rc;

	pthread_once(&list_sql_once, list_sql_build);
	st = db_prepare(d, list_sql[scope][v]);
	*count = 0;
	if (!st)
		return DB_ERR;
	if (v & V_TAG)
		db_bind_text(st, i++, f->tag);
	if (scope == SCOPE_GROUP_SHARED || scope >= SCOPE_AUTHOR)
		db_bind_int(st, i++, id);
	if (scope == SCOPE_PROGRAMME || scope == SCOPE_AUTHOR_PROGRAMME)
		db_bind_int(st, i++, f->programme_id);
	if (scope == SCOPE_GROUP)
		db_bind_int(st, i++, id);
	if (v & V_STATUS)
		db_bind_text(st, i++, ideas_status_slug((enum idea_status)f->status));
	db_bind_int(st, i, newer ? f->after_id : f->before_id > 0 ? f->before_id : INT64_MAX);
	while (*count <= IDEAS_PER_PAGE && (rc = db_step(st)) == DB_ROW)
		brief_row(st, a, &rows[(*count)++], NULL);
	db_done(st);
	return rc == DB_DONE || rc == DB_ROW ? DOMAIN_OK : rc < 0 ? rc : DB_ERR;
}

/* The groups whose ideas VIEWER takes part in, in PROGRAMME_ID (0 for all): their current
 * groups. At most IDEA_GROUPS_MAX. */
#define IDEA_GROUPS_MAX 50
static int viewer_groups(db *d, int64_t viewer, int64_t programme_id, int64_t *out, size_t *n)
{
	db_stmt *st =
	    db_prepare(d, "SELECT m.group_id, g.programme_id FROM group_members m JOIN "
	                  "working_groups g ON g.id = m.group_id WHERE m.account_id = ? AND "
	                  "m.left_on IS NULL ORDER BY m.group_id LIMIT 200");
	int rc;
	*n = 0;
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, viewer);
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t g = db_col_int(st, 0);
		if (programme_id && db_col_int(st, 1) != programme_id)
			continue;
		if (*n < IDEA_GROUPS_MAX && (*n == 0 || out[*n - 1] != g))
			out[(*n)++] = g;
	}
	db_done(st);
	return rc == DB_DONE ? DOMAIN_OK : rc < 0 ? rc : DB_ERR;
}

static int by_id_desc(const void *x, const void *y)
{
	int64_t a = ((const struct idea_brief *)x)->id, b = ((const struct idea_brief *)y)->id;
	return a < b ? 1 : a > b ? -1 : 0;
}

static int by_id_asc(const void *x, const void *y)
{
	return -by_id_desc(x, y);
}

/* Walks every source a non-lead's list draws from and keeps the first page and one more,
 * without repeats, in walk order. */
static int list_for_member(db *d, arena *a, const struct idea_filter *f, bool newer,
                           struct idea_brief *rows, size_t *count)
{
	int64_t groups[IDEA_GROUPS_MAX];
	size_t ngroups = 0, nwalks, total = 0, n;
	struct idea_brief *all;
	int rc = viewer_groups(d, f->viewer, f->programme_id, groups, &ngroups);
	if (rc != DOMAIN_OK)
		return rc;
	nwalks = 2 * ngroups + 1;
	all = arena_calloc(a, nwalks * (IDEAS_PER_PAGE + 1), sizeof(*all));
	if (!all)
		return DB_ERR;
	for (size_t k = 0; k < ngroups; k++) {
		rc = list_walk(d, a, f, SCOPE_GROUP, groups[k], newer, all + total, &n);
		total += n;
		if (rc == DOMAIN_OK)
			rc = list_walk(d, a, f, SCOPE_GROUP_SHARED, groups[k], newer, all + total,
			               &n);
		total += rc == DOMAIN_OK ? n : 0;
		if (rc != DOMAIN_OK)
			return rc;
	}
	rc = list_walk(d, a, f, f->programme_id ? SCOPE_AUTHOR_PROGRAMME : SCOPE_AUTHOR, f->viewer,
	               newer, all + total, &n);
	if (rc != DOMAIN_OK)
		return rc;
	total += n;
	qsort(all, total, sizeof(*all), newer ? by_id_asc : by_id_desc);
	*count = 0;
	for (size_t k = 0; k < total && *count <= IDEAS_PER_PAGE; k++)
		if (*count == 0 || rows[*count - 1].id != all[k].id)
			rows[(*count)++] = all[k];
	return DOMAIN_OK;
}

/* Merges two walks in the same direction into OUT, keeping at most IDEAS_PER_PAGE + 1. */
static size_t merge(const struct idea_brief *x, size_t nx, const struct idea_brief *y, size_t ny,
                    bool newer, struct idea_brief *out)
{
	size_t i = 0, j = 0, n = 0;
	while (n <= IDEAS_PER_PAGE && (i < nx || j < ny)) {
		bool take_x =
		    j >= ny || (i < nx && (newer ? x[i].id < y[j].id : x[i].id > y[j].id));
		out[n++] = take_x ? x[i++] : y[j++];
	}
	return n;
}

int ideas_list(db *d, arena *a, const struct idea_filter *f, struct idea_brief **out, size_t *n,
               bool *more_older, bool *more_newer)
{
	bool newer = f->after_id > 0 && !f->before_id;
	struct idea_brief *rows = arena_calloc(a, IDEAS_PER_PAGE + 1, sizeof(*rows));
	size_t count = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!rows)
		return DB_ERR;
	if (f->group_id) {
		struct idea_brief *own = arena_calloc(a, IDEAS_PER_PAGE + 1, sizeof(*own));
		struct idea_brief *shared = arena_calloc(a, IDEAS_PER_PAGE + 1, sizeof(*shared));
		size_t nown = 0, nshared = 0;
		if (!own || !shared)
			return DB_ERR;
		rc = list_walk(d, a, f, SCOPE_GROUP, f->group_id, newer, own, &nown);
		if (rc == DOMAIN_OK)
			rc = list_walk(d, a, f, SCOPE_GROUP_SHARED, f->group_id, newer, shared,
			               &nshared);
		if (rc != DOMAIN_OK)
			return rc;
		count = merge(own, nown, shared, nshared, newer, rows);
	} else if (f->viewer_role == ROLE_PROGRAMME_LEAD) {
		rc = list_walk(d, a, f, f->programme_id ? SCOPE_PROGRAMME : SCOPE_ALL, 0, newer,
		               rows, &count);
		if (rc != DOMAIN_OK)
			return rc;
	} else {
		rc = list_for_member(d, a, f, newer, rows, &count);
		if (rc != DOMAIN_OK)
			return rc;
	}
	{
		bool more = count > IDEAS_PER_PAGE;
		if (more)
			count = IDEAS_PER_PAGE;
		if (newer) {
			/* Read oldest first to find the page; show it newest first. */
			for (size_t k = 0; k < count / 2; k++) {
				struct idea_brief t = rows[k];
				rows[k] = rows[count - 1 - k];
				rows[count - 1 - k] = t;
			}
			if (more_newer)
				*more_newer = more;
			if (more_older)
				*more_older = true;
		} else {
			if (more_older)
				*more_older = more;
			if (more_newer)
				*more_newer = f->before_id > 0;
		}
	}
	*out = rows;
	*n = count;
	return DOMAIN_OK;
}

#define OUTCOME_COLS                                                                               \
	"SELECT i.id, i.title, i.body, p.slug, p.name, pa.name, i.status, i.created_at, (SELECT "  \
	"bp.conditions FROM board_papers bp WHERE bp.idea_id = i.id AND bp.decision <> "           \
	"'pending' ORDER BY bp.id DESC LIMIT 1), (SELECT dp.id FROM delivery_plans dp WHERE "      \
	"dp.idea_id = i.id) FROM ideas i JOIN programmes p ON p.id = i.programme_id JOIN "         \
	"priority_areas pa ON pa.id = "                                                            \
	"i.priority_area_id WHERE i.status IN ('presented', 'supported', 'not_supported', "        \
	"'deferred', 'in_delivery', 'delivered') AND i.side = 'local' AND p.published = 1 "

/* When the idea first went to the Board, and when it reached its current status, with
 * that change's note. */
static int outcome_dates(db *d, arena *a, struct idea_outcome *o)
{
	db_stmt *st = db_prepare(d, "SELECT to_status, changed_at, note FROM idea_status_changes "
	                            "WHERE idea_id = ? ORDER BY id LIMIT 500");
	int rc;
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, o->id);
	o->status_note = "";
	while ((rc = db_step(st)) == DB_ROW) {
		sv to = db_col_sv(st, 0), at = db_col_sv(st, 1);
		if (at.len > 10)
			at.len = 10;
		if (!o->presented_on && sv_eq_cstr(to, "presented"))
			o->presented_on = sv_dup(a, at);
		if (sv_eq_cstr(to, ideas_status_slug(o->status))) {
			o->status_on = sv_dup(a, at);
			o->status_note = db_col_dup(st, 2, a);
		}
	}
	db_done(st);
	return rc == DB_DONE ? DOMAIN_OK : rc < 0 ? rc : DB_ERR;
}

int ideas_outcomes(db *d, arena *a, int64_t programme_id, int64_t before_id,
                   struct idea_outcome **out, size_t *n, bool *more)
{
	db_stmt *st =
	    db_prepare(d, programme_id ? OUTCOME_COLS "AND i.programme_id = ? AND i.id < ? "
	                                              "ORDER BY i.id DESC LIMIT 51"
	                               : OUTCOME_COLS "AND i.id < ? ORDER BY i.id DESC LIMIT 51");
	struct idea_outcome *rows;
	size_t count = 0;
	int rc, p = 1;

	*out = NULL;
	*n = 0;
	if (more)
		*more = false;
	if (!st)
		return DB_ERR;
	rows = arena_calloc(a, IDEAS_PER_PAGE + 1, sizeof(*rows));
	if (!rows) {
		db_done(st);
		return DB_ERR;
	}
	if (programme_id)
		db_bind_int(st, p++, programme_id);
	db_bind_int(st, p, before_id > 0 ? before_id : INT64_MAX);
	while (count <= IDEAS_PER_PAGE && (rc = db_step(st)) == DB_ROW) {
		struct idea_outcome *o = &rows[count++];
		int s = ideas_status_parse(db_col_sv(st, 6));
		sv created = db_col_sv(st, 7);
		o->id = db_col_int(st, 0);
		o->title = db_col_dup(st, 1, a);
		o->body = db_col_dup(st, 2, a);
		o->programme_slug = db_col_dup(st, 3, a);
		o->programme_name = db_col_dup(st, 4, a);
		o->priority_name = db_col_dup(st, 5, a);
		o->status = s < 0 ? IDEA_PRESENTED : (enum idea_status)s;
		if (created.len > 10)
			created.len = 10;
		o->raised_on = sv_dup(a, created);
		o->board_said = db_col_null(st, 8) ? "" : db_col_dup(st, 8, a);
		o->delivery_plan_id = db_col_int(st, 9);
	}
	if (count > IDEAS_PER_PAGE)
		rc = DB_DONE;
	db_done(st);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	if (count > IDEAS_PER_PAGE) {
		count = IDEAS_PER_PAGE;
		if (more)
			*more = true;
	}
	for (size_t k = 0; k < count; k++) {
		rc = outcome_dates(d, a, &rows[k]);
		if (rc != DOMAIN_OK)
			return rc;
	}
	*out = rows;
	*n = count;
	return DOMAIN_OK;
}

int ideas_of_author(db *d, arena *a, int64_t account_id, int limit, struct idea_brief **out,
                    size_t *n)
{
	/* updated_at here is when the idea reached its current status: what its author wants
	 * to know. */
	db_stmt *st =
	    db_prepare(d, "SELECT i.id, i.title, i.status, g.name, i.side, (SELECT "
	                  "MAX(c.changed_at) FROM idea_status_changes c WHERE c.idea_id = "
	                  "i.id) FROM ideas i LEFT JOIN working_groups g ON g.id = "
	                  "i.group_id JOIN idea_authors au ON au.idea_id = i.id WHERE "
	                  "au.account_id = ? ORDER BY i.id DESC LIMIT ?");
	if (limit <= 0 || limit > IDEAS_PER_PAGE)
		limit = IDEAS_PER_PAGE;
	db_bind_int(st, 1, account_id);
	db_bind_int(st, 2, limit);
	return db_collect(st, a, sizeof(**out), brief_row, NULL, out, n);
}

/* --- Places ----------------------------------------------------------------------------- */

int ideas_programme_find(db *d, arena *a, const char *slug, int64_t *id, char **name,
                         bool *published)
{
	db_stmt *st = db_prepare(d, "SELECT id, name, published FROM programmes WHERE slug = ?");
	int rc;
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, slug);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_col_int(st, 0);
		*name = db_col_dup(st, 1, a);
		*published = db_col_int(st, 2) != 0;
		if (!*name)
			rc = DB_ERR;
	}
	db_done(st);
	return rc == DB_ROW ? DOMAIN_OK : rc == DB_DONE ? DOMAIN_ENOTFOUND : rc < 0 ? rc : DB_ERR;
}

static int option_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct idea_option *o = item;
	o->id = db_col_int(st, 0);
	o->name = db_col_dup(st, 1, a);
	return DB_OK;
}

static int options(db_stmt *st, arena *a, int64_t programme_id, struct idea_option **out, size_t *n,
                   int binds)
{
	for (int i = 1; i <= binds; i++)
		db_bind_int(st, i, programme_id);
	return db_collect(st, a, sizeof(**out), option_row, NULL, out, n);
}

int ideas_area_options(db *d, arena *a, int64_t programme_id, struct idea_option **out, size_t *n)
{
	return options(db_prepare(d, "SELECT a.id, a.name FROM priority_areas a WHERE a.id IN "
	                             "(SELECT priority_area_id FROM programme_priorities WHERE "
	                             "programme_id = ?) OR NOT EXISTS (SELECT 1 FROM "
	                             "programme_priorities WHERE programme_id = ?) ORDER BY "
	                             "a.sort_order, a.id LIMIT 500"),
	               a, programme_id, out, n, 2);
}

int ideas_group_options(db *d, arena *a, int64_t programme_id, struct idea_option **out, size_t *n)
{
	return options(db_prepare(d, "SELECT id, name FROM working_groups WHERE programme_id = ? "
	                             "ORDER BY name LIMIT 500"),
	               a, programme_id, out, n, 1);
}
