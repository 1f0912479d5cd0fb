/* groups.c: co-production groups, their members and their balance; see groups.h. */
#include "domain/groups.h"

#include <string.h>

#include "core/json.h"
#include "domain/record.h"
#include "domain/sessions.h"
#include "domain/sessions_meet.h"

#define AUDIT_JSON_MAX 16384

const char *group_role_slug(enum group_role r)
{
	switch (r) {
	case GROUP_ROLE_LOCAL_PERSON:
		return "local_person";
	case GROUP_ROLE_DECISION_MAKER:
		return "decision_maker";
	case GROUP_ROLE_FACILITATOR:
		return "facilitator";
	case GROUP_ROLE_NONE:
		break;
	}
	return "";
}

const char *group_role_label(enum group_role r)
{
	switch (r) {
	case GROUP_ROLE_LOCAL_PERSON:
		return "Local person";
	case GROUP_ROLE_DECISION_MAKER:
		return "Decision-maker";
	case GROUP_ROLE_FACILITATOR:
		return "Facilitator";
	case GROUP_ROLE_NONE:
		break;
	}
	return "";
}

enum group_role group_role_parse(sv s)
{
	if (sv_eq_cstr(s, "local_person"))
		return GROUP_ROLE_LOCAL_PERSON;
	if (sv_eq_cstr(s, "decision_maker"))
		return GROUP_ROLE_DECISION_MAKER;
	if (sv_eq_cstr(s, "facilitator"))
		return GROUP_ROLE_FACILITATOR;
	return GROUP_ROLE_NONE;
}

const char *group_role_side(enum group_role r)
{
	return r == GROUP_ROLE_LOCAL_PERSON ? "local" : "professional";
}

/* --- Reading ------------------------------------------------------------------------- */

/* The columns group_row expects, in order; counts come from current members. */
#define GROUP_COLUMNS                                                                              \
	"g.id, g.programme_id, p.slug, p.name, g.name, g.purpose, g.local_only, g.opened_on, "     \
	"g.target_local, g.target_professional, "                                                  \
	"(SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id AND m.left_on IS NULL "     \
	"AND m.role_in_group = 'local_person'), "                                                  \
	"(SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id AND m.left_on IS NULL "     \
	"AND m.role_in_group <> 'local_person'), "                                                 \
	"(SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id AND m.left_on IS NULL "     \
	"AND m.role_in_group = 'facilitator'), g.created_at, g.updated_at "                        \
	"FROM working_groups g JOIN programmes p ON p.id = g.programme_id "

/* The same columns without the member counts (0 instead), for pages that list groups
 * only to name and link them: counting the members of every group costs a read of every
 * membership, which grows with the programme. */
#define GROUP_COLUMNS_BRIEF                                                                        \
	"g.id, g.programme_id, p.slug, p.name, g.name, g.purpose, g.local_only, g.opened_on, "     \
	"g.target_local, g.target_professional, 0, 0, 0, g.created_at, g.updated_at "              \
	"FROM working_groups g JOIN programmes p ON p.id = g.programme_id "

static int group_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct group *g = item;
	memset(g, 0, sizeof(*g));
	g->id = db_col_int(s, 0);
	g->programme_id = db_col_int(s, 1);
	g->programme_slug = db_col_dup(s, 2, a);
	g->programme_name = db_col_dup(s, 3, a);
	g->name = db_col_dup(s, 4, a);
	g->purpose = db_col_dup(s, 5, a);
	g->local_only = db_col_int(s, 6) != 0;
	g->opened_on = db_col_dup(s, 7, a);
	g->target_local = (int)db_col_int(s, 8);
	g->target_professional = (int)db_col_int(s, 9);
	g->n_local = (int)db_col_int(s, 10);
	g->n_professional = (int)db_col_int(s, 11);
	g->n_facilitators = (int)db_col_int(s, 12);
	g->created_at = db_col_dup(s, 13, a);
	g->updated_at = db_col_dup(s, 14, a);
	return DB_OK;
}

static int get_one(db *d, arena *a, int64_t id, const char *sql, struct group *out)
{
	int rc = record_get(d, a, sql, id, group_row, NULL, out);
	if (rc == DOMAIN_OK && (!out->name || !out->purpose))
		return DB_ERR;
	return rc;
}

int group_get(db *d, arena *a, int64_t id, struct group *out)
{
	return get_one(d, a, id, "SELECT " GROUP_COLUMNS "WHERE g.id = ?", out);
}

#define GROUP_LIST_ALL "WHERE (? = 0 OR g.programme_id = ?) ORDER BY p.name, g.name, g.id LIMIT ?"
#define GROUP_LIST_MINE                                                                            \
	"WHERE (? = 0 OR g.programme_id = ?) AND g.id IN (SELECT group_id FROM group_members "     \
	"WHERE account_id = ? AND left_on IS NULL) ORDER BY p.name, g.name, g.id LIMIT ?"

static int list_for(db *d, arena *a, int64_t account_id, enum role role, int64_t programme_id,
		    bool counts, struct group **out, size_t *n)
{
	db_stmt *s;

	if (role == ROLE_PROGRAMME_LEAD)
		s = db_prepare(d, counts ? "SELECT " GROUP_COLUMNS GROUP_LIST_ALL
					 : "SELECT " GROUP_COLUMNS_BRIEF GROUP_LIST_ALL);
	else
		s = db_prepare(d, counts ? "SELECT " GROUP_COLUMNS GROUP_LIST_MINE
					 : "SELECT " GROUP_COLUMNS_BRIEF GROUP_LIST_MINE);
	db_bind_int(s, 1, programme_id);
	db_bind_int(s, 2, programme_id);
	if (role == ROLE_PROGRAMME_LEAD) {
		db_bind_int(s, 3, GROUP_LIST_MAX);
	} else {
		db_bind_int(s, 3, account_id);
		db_bind_int(s, 4, GROUP_LIST_MAX);
	}
	return db_collect(s, a, sizeof(**out), group_row, NULL, out, n);
}

int group_list_for(db *d, arena *a, int64_t account_id, enum role role, int64_t programme_id,
                   struct group **out, size_t *n)
{
	return list_for(d, a, account_id, role, programme_id, true, out, n);
}

int group_names_for(db *d, arena *a, int64_t account_id, enum role role, int64_t programme_id,
		    struct group **out, size_t *n)
{
	return list_for(d, a, account_id, role, programme_id, false, out, n);
}

int group_get_brief(db *d, arena *a, int64_t id, struct group *out)
{
	return get_one(d, a, id, "SELECT " GROUP_COLUMNS_BRIEF "WHERE g.id = ?", out);
}

static int member_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct group_member *m = item;
	m->id = db_col_int(s, 0);
	m->account_id = db_col_int(s, 1);
	m->display_name = db_col_dup(s, 2, a);
	m->organisation_name = db_col_dup(s, 3, a);
	m->account_role = role_parse(db_col_sv(s, 4));
	m->assisted = db_col_int(s, 5) != 0;
	m->role = group_role_parse(db_col_sv(s, 6));
	m->side = group_role_side(m->role);
	m->joined_on = db_col_dup(s, 7, a);
	m->left_on = db_col_dup(s, 8, a);
	return m->display_name && m->joined_on ? DB_OK : DB_ERR;
}

int groups_members(db *d, arena *a, int64_t group_id, bool include_past, struct group_member **out,
                   size_t *n)
{
	db_stmt *s =
	    db_prepare(d, "SELECT m.id, m.account_id, ac.display_name, o.name, ac.role, "
	                  "ac.assisted, m.role_in_group, m.joined_on, m.left_on "
	                  "FROM group_members m JOIN accounts ac ON ac.id = m.account_id "
	                  "LEFT JOIN organisations o ON o.id = ac.organisation_id "
	                  "WHERE m.group_id = ? AND (? = 1 OR m.left_on IS NULL) "
	                  "ORDER BY CASE WHEN m.left_on IS NULL THEN 0 ELSE 1 END, "
	                  "CASE m.role_in_group WHEN 'local_person' THEN 0 WHEN 'decision_maker' "
	                  "THEN 1 ELSE 2 END, ac.display_name, m.id LIMIT ?");
	db_bind_int(s, 1, group_id);
	db_bind_int(s, 2, include_past ? 1 : 0);
	db_bind_int(s, 3, GROUP_MEMBERS_MAX);
	return db_collect(s, a, sizeof(**out), member_row, NULL, out, n);
}

enum group_role group_role_of(db *d, int64_t group_id, int64_t account_id)
{
	db_stmt *s = db_prepare(d, "SELECT role_in_group FROM group_members WHERE group_id = ? "
	                           "AND account_id = ? AND left_on IS NULL ORDER BY id LIMIT 1");
	enum group_role r = GROUP_ROLE_NONE;
	if (!s)
		return GROUP_ROLE_NONE;
	db_bind_int(s, 1, group_id);
	db_bind_int(s, 2, account_id);
	if (db_step(s) == DB_ROW)
		r = group_role_parse(db_col_sv(s, 0));
	db_done(s);
	return r;
}

void group_parity_of(const struct group *g, struct group_parity *p)
{
	memset(p, 0, sizeof(*p));
	p->local = g->n_local;
	p->professional = g->n_professional;
	p->target_local = g->target_local;
	p->target_professional = g->target_professional;
	p->has_target = g->target_local > 0 || g->target_professional > 0;
	if (!p->has_target)
		return;
	if (p->local < p->target_local)
		p->need_local = p->target_local - p->local;
	else
		p->over_local = p->local - p->target_local;
	if (p->professional < p->target_professional)
		p->need_professional = p->target_professional - p->professional;
	else
		p->over_professional = p->professional - p->target_professional;
	p->balanced =
	    !p->need_local && !p->need_professional && !p->over_local && !p->over_professional;
}

/* --- Changing ------------------------------------------------------------------------ */

/* Parses a target as typed: empty is 0; else a whole number 0..GROUP_TARGET_MAX. */
static int parse_target(sv s, int *out)
{
	int64_t v;
	s = sv_trim(s);
	if (!s.len) {
		*out = 0;
		return 0;
	}
	if (sv_to_i64(s, &v) != 0 || v < 0 || v > GROUP_TARGET_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

static void check_group(const struct group_new *in, sv *name, sv *purpose, int *tl, int *tp,
                        struct field_errors *errs)
{
	*name = sv_trim(in->name);
	*purpose = sv_trim(in->purpose);
	if (!name->len)
		field_error_add(errs, "name", "Enter a name for the group");
	else if (name->len > GROUP_NAME_MAX)
		field_error_add(errs, "name", "The group’s name must be 120 characters or fewer");
	if (purpose->len > GROUP_PURPOSE_MAX)
		field_error_add(errs, "purpose", "The purpose must be 4000 characters or fewer");
	if (parse_target(in->target_local, tl) != 0)
		field_error_add(errs, "target_local",
		                "Enter the number of local people as a whole number, like 15");
	if (parse_target(in->target_professional, tp) != 0)
		field_error_add(errs, "target_professional",
		                "Enter the number of professionals as a whole number, like 15");
}

/* 1 if another group of PROGRAMME_ID is called NAME, 0 if not, <0 on error. */
static int name_taken(db *d, int64_t programme_id, sv name, int64_t except_id)
{
	db_stmt *s = db_prepare(d, "SELECT 1 FROM working_groups WHERE programme_id = ? AND "
	                           "name = ? AND id <> ?");
	int rc;
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, programme_id);
	db_bind_sv(s, 2, name);
	db_bind_int(s, 3, except_id);
	rc = db_step(s);
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc;
}

static const char *group_json(arena *a, sv name, sv purpose, int tl, int tp)
{
	sbuf b;
	json j;
	sbuf_init(&b, a, AUDIT_JSON_MAX);
	json_init(&j, &b);
	json_obj(&j);
	json_key(&j, "name");
	json_str(&j, name);
	json_key(&j, "purpose");
	json_str(&j, purpose);
	json_key(&j, "target_local");
	json_int(&j, tl);
	json_key(&j, "target_professional");
	json_int(&j, tp);
	json_end(&j);
	return b.err ? NULL : b.buf;
}

int group_create_tx(db *d, arena *a, const struct audit_actor *who, const struct group_new *in,
                    int64_t facilitator_id, struct date joined, struct field_errors *errs,
                    int64_t *id)
{
	sv name, purpose;
	int tl, tp, rc;
	char now[ISO_TIME_LEN];
	db_stmt *s;
	int64_t new_id;
	const char *after;
	struct field_errors local;

	if (!errs) {
		field_errors_init(&local);
		errs = &local;
	}
	check_group(in, &name, &purpose, &tl, &tp, errs);
	s = db_prepare(d, "SELECT 1 FROM programmes WHERE id = ?");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, in->programme_id);
	rc = db_step(s);
	db_done(s);
	if (rc == DB_DONE)
		field_error_add(errs, "programme_id", "Choose the programme the group belongs to");
	else if (rc != DB_ROW)
		return rc;
	else if (name.len && (rc = name_taken(d, in->programme_id, name, 0)) != 0) {
		if (rc < 0)
			return rc;
		field_error_add(errs, "name", "This programme already has a group with that name");
	}
	if (field_errors_any(errs))
		return DOMAIN_EINVALID;
	db_now_iso(now, 0);
	s = db_prepare(d, "INSERT INTO working_groups (programme_id, name, purpose, local_only, "
	                  "target_local, target_professional, created_at, updated_at) VALUES "
	                  "(?, ?, ?, 1, ?, ?, ?, ?)");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, in->programme_id);
	db_bind_sv(s, 2, name);
	db_bind_sv(s, 3, purpose);
	db_bind_int(s, 4, tl);
	db_bind_int(s, 5, tp);
	db_bind_text(s, 6, now);
	db_bind_text(s, 7, now);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return rc == DB_ECONSTRAINT ? DOMAIN_EINVALID : rc;
	new_id = db_last_insert_id(d);
	after = group_json(a, name, purpose, tl, tp);
	if (!after)
		return DB_ERR;
	rc = audit_record(d, who, "group", new_id, "create", NULL, after);
	if (rc != DB_OK)
		return rc;
	if (facilitator_id) {
		rc = group_member_add_tx(d, a, who, new_id, facilitator_id, GROUP_ROLE_FACILITATOR,
		                         joined, errs, NULL);
		if (rc != DOMAIN_OK)
			return rc;
	}
	if (id)
		*id = new_id;
	return DOMAIN_OK;
}

/* Ends the transaction a change began: commit on DOMAIN_OK, else roll back. Returns
 * RC, or the commit's error. */
static int finish(db *d, int rc)
{
	if (rc == DOMAIN_OK)
		rc = db_commit(d);
	if (rc != DOMAIN_OK)
		db_rollback(d);
	return rc;
}

int group_create(db *d, arena *a, const struct audit_actor *who, const struct group_new *in,
                 int64_t facilitator_id, struct date joined, struct field_errors *errs, int64_t *id)
{
	int rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	return finish(d, group_create_tx(d, a, who, in, facilitator_id, joined, errs, id));
}

int group_update(db *d, arena *a, const struct audit_actor *who, int64_t id,
                 const struct group_new *in, struct field_errors *errs)
{
	struct group g;
	struct field_errors local;
	sv name, purpose;
	int tl, tp, rc;
	char now[ISO_TIME_LEN];
	const char *before, *after;
	db_stmt *s;

	if (!errs) {
		field_errors_init(&local);
		errs = &local;
	}
	rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	rc = group_get(d, a, id, &g);
	if (rc != DOMAIN_OK)
		return finish(d, rc);
	check_group(in, &name, &purpose, &tl, &tp, errs);
	if (name.len && (rc = name_taken(d, g.programme_id, name, id)) != 0) {
		if (rc < 0)
			return finish(d, rc);
		field_error_add(errs, "name", "This programme already has a group with that name");
	}
	if (field_errors_any(errs))
		return finish(d, DOMAIN_EINVALID);
	db_now_iso(now, 0);
	s = db_prepare(d, "UPDATE working_groups SET name = ?, purpose = ?, target_local = ?, "
	                  "target_professional = ?, updated_at = ? WHERE id = ?");
	if (!s)
		return finish(d, DB_ERR);
	db_bind_sv(s, 1, name);
	db_bind_sv(s, 2, purpose);
	db_bind_int(s, 3, tl);
	db_bind_int(s, 4, tp);
	db_bind_text(s, 5, now);
	db_bind_int(s, 6, id);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return finish(d, rc);
	before = group_json(a, sv_from(g.name), sv_from(g.purpose), g.target_local,
	                    g.target_professional);
	after = group_json(a, name, purpose, tl, tp);
	if (!before || !after)
		return finish(d, DB_ERR);
	return finish(d, audit_record(d, who, "group", id, "update", before, after));
}

/* The earliest joined_on of the group's members into FIRST ("" if none). */
static int first_joined(db *d, int64_t group_id, char first[11])
{
	db_stmt *s = db_prepare(d, "SELECT MIN(joined_on) FROM group_members WHERE group_id = ?");
	int rc;
	first[0] = 0;
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, group_id);
	rc = db_step(s);
	if (rc == DB_ROW) {
		sv v = db_col_sv(s, 0);
		if (v.len == 10) {
			memcpy(first, v.ptr, 10);
			first[10] = 0;
		}
	}
	db_done(s);
	return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int group_open_tx(db *d, arena *a, const struct audit_actor *who, int64_t id, struct date on,
                  struct field_errors *errs)
{
	struct group g;
	char first[11], now[ISO_TIME_LEN];
	sbuf iso;
	db_stmt *s;
	int rc = group_get(d, a, id, &g);

	if (rc != DOMAIN_OK)
		return rc;
	if (!g.local_only)
		return DOMAIN_ECONFLICT;
	if (!date_valid(on)) {
		field_error_add(errs, "opened_on", "Enter a real date");
		return DOMAIN_EINVALID;
	}
	sbuf_init(&iso, a, 16);
	date_iso(&iso, on);
	rc = first_joined(d, id, first);
	if (rc != DB_OK)
		return rc;
	if (first[0] && strcmp(iso.buf, first) < 0) {
		field_error_add(errs, "opened_on",
		                "The date must be on or after the day the group’s first member "
		                "joined");
		return DOMAIN_EINVALID;
	}
	db_now_iso(now, 0);
	s = db_prepare(d, "UPDATE working_groups SET local_only = 0, opened_on = ?, updated_at = "
	                  "? WHERE id = ?");
	if (!s)
		return DB_ERR;
	db_bind_text(s, 1, iso.buf);
	db_bind_text(s, 2, now);
	db_bind_int(s, 3, id);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return rc;
	return audit_record(
	    d, who, "group", id, "open", "{\"local_only\":true}",
	    arena_printf(a, "{\"local_only\":false,\"opened_on\":\"%s\"}", iso.buf));
}

int group_open(db *d, arena *a, const struct audit_actor *who, int64_t id, struct date on,
               struct field_errors *errs)
{
	int rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	return finish(d, group_open_tx(d, a, who, id, on, errs));
}

int group_member_add_tx(db *d, arena *a, const struct audit_actor *who, int64_t group_id,
                        int64_t account_id, enum group_role role, struct date joined,
                        struct field_errors *errs, int64_t *member_id)
{
	struct group g;
	struct account acc;
	struct field_errors local;
	sbuf iso;
	db_stmt *s;
	int64_t new_id;
	int rc;

	if (!errs) {
		field_errors_init(&local);
		errs = &local;
	}
	rc = group_get(d, a, group_id, &g);
	if (rc != DOMAIN_OK)
		return rc;
	rc = account_id > 0 ? account_get(d, a, account_id, &acc) : DOMAIN_ENOTFOUND;
	if (rc == DOMAIN_ENOTFOUND || (rc == DOMAIN_OK && acc.disabled)) {
		field_error_add(errs, "account_id", "Choose the person to add");
		rc = DOMAIN_ENOTFOUND;
	} else if (rc != DOMAIN_OK) {
		return rc;
	} else if (group_role_of(d, group_id, account_id) != GROUP_ROLE_NONE) {
		field_error_add(errs, "account_id", "They are already a member of this group");
	}
	if (role == GROUP_ROLE_NONE)
		field_error_add(errs, "role", "Choose their role in the group");
	else if (rc == DOMAIN_OK &&
	         (acc.role == ROLE_LOCAL_PERSON) != (role == GROUP_ROLE_LOCAL_PERSON))
		field_error_add(errs, "role",
		                role == GROUP_ROLE_LOCAL_PERSON
		                    ? "Only local people can join as a local person"
		                    : "A local person joins as a local person");
	if (!date_valid(joined))
		field_error_add(errs, "joined_on", "Enter the date they joined");
	if (field_errors_any(errs))
		return DOMAIN_EINVALID;
	sbuf_init(&iso, a, 16);
	date_iso(&iso, joined);
	if (role == GROUP_ROLE_DECISION_MAKER) {
		if (g.local_only)
			return DOMAIN_ECONFLICT;
		if (g.opened_on && strcmp(iso.buf, g.opened_on) < 0) {
			field_error_add(errs, "joined_on",
			                "Decision-makers can only join on or after the day the "
			                "group was opened to them");
			return DOMAIN_EINVALID;
		}
	}
	s = db_prepare(d, "INSERT INTO group_members (group_id, account_id, role_in_group, "
	                  "joined_on) VALUES (?, ?, ?, ?)");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, group_id);
	db_bind_int(s, 2, account_id);
	db_bind_text(s, 3, group_role_slug(role));
	db_bind_text(s, 4, iso.buf);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return rc;
	new_id = db_last_insert_id(d);
	/* They are expected at the group's planned sessions from the day they join. */
	rc = meeting_invitees_follow(d, group_id, account_id, iso.buf, true);
	if (rc != DB_OK)
		return rc;
	rc = audit_record(d, who, "group", group_id, "member_add", NULL,
	                  arena_printf(a,
	                               "{\"member_id\":%lld,\"account_id\":%lld,\"role_in_group\":"
	                               "\"%s\",\"joined_on\":\"%s\"}",
	                               (long long)new_id, (long long)account_id,
	                               group_role_slug(role), iso.buf));
	if (rc != DB_OK)
		return rc;
	if (member_id)
		*member_id = new_id;
	return DOMAIN_OK;
}

int group_member_add(db *d, arena *a, const struct audit_actor *who, int64_t group_id,
                     int64_t account_id, enum group_role role, struct date joined,
                     struct field_errors *errs, int64_t *member_id)
{
	int rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	return finish(
	    d, group_member_add_tx(d, a, who, group_id, account_id, role, joined, errs, member_id));
}

int group_member_leave_tx(db *d, arena *a, const struct audit_actor *who, int64_t group_id,
                          int64_t member_id, struct date left, struct field_errors *errs)
{
	db_stmt *s;
	sbuf iso;
	char *joined = NULL;
	int64_t account_id = 0;
	int rc, gone = 0;

	s = db_prepare(d,
	               "SELECT joined_on, left_on, account_id FROM group_members WHERE id = ? AND "
	               "group_id = ?");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, member_id);
	db_bind_int(s, 2, group_id);
	rc = db_step(s);
	if (rc == DB_ROW) {
		joined = db_col_dup(s, 0, a);
		gone = !db_col_null(s, 1);
		account_id = db_col_int(s, 2);
	}
	db_done(s);
	if (rc == DB_DONE)
		return DOMAIN_ENOTFOUND;
	if (rc != DB_ROW || !joined)
		return rc == DB_ROW ? DB_ERR : rc;
	if (gone)
		return DOMAIN_ECONFLICT;
	if (!date_valid(left)) {
		field_error_add(errs, "left_on", "Enter the date they left");
		return DOMAIN_EINVALID;
	}
	sbuf_init(&iso, a, 16);
	date_iso(&iso, left);
	if (strcmp(iso.buf, joined) < 0) {
		field_error_add(errs, "left_on",
		                "The date they left must be on or after the day "
		                "they joined");
		return DOMAIN_EINVALID;
	}
	s = db_prepare(d, "UPDATE group_members SET left_on = ? WHERE id = ?");
	if (!s)
		return DB_ERR;
	db_bind_text(s, 1, iso.buf);
	db_bind_int(s, 2, member_id);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return rc;
	/* Planned sessions after they left no longer expect them. */
	rc = meeting_invitees_follow(d, group_id, account_id, iso.buf, false);
	if (rc != DB_OK)
		return rc;
	return audit_record(d, who, "group", group_id, "member_leave", NULL,
	                    arena_printf(a, "{\"member_id\":%lld,\"left_on\":\"%s\"}",
	                                 (long long)member_id, iso.buf));
}

int group_member_leave(db *d, arena *a, const struct audit_actor *who, int64_t group_id,
                       int64_t member_id, struct date left, struct field_errors *errs)
{
	int rc = db_begin(d);
	if (rc != DB_OK)
		return rc;
	return finish(d, group_member_leave_tx(d, a, who, group_id, member_id, left, errs));
}
