/* access.c: per-record access to programmes and groups; see access.h. */
#include "domain/access.h"

const char *side_of_role(enum role role)
{
	return role == ROLE_LOCAL_PERSON ? "local" : "professional";
}

/* The person's current role in the group, or NULL. */
static int member_role(db *d, int64_t account_id, int64_t group_id, int *is_facilitator)
{
	db_stmt *s = db_prepare(d, "SELECT role_in_group FROM group_members WHERE group_id = ? "
				   "AND account_id = ? AND left_on IS NULL");
	int rc, found = 0;
	*is_facilitator = 0;
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, group_id);
	db_bind_int(s, 2, account_id);
	while ((rc = db_step(s)) == DB_ROW) {
		found = 1;
		if (sv_eq_cstr(db_col_sv(s, 0), "facilitator"))
			*is_facilitator = 1;
	}
	db_done(s);
	return rc == DB_DONE ? found : rc;
}

int access_group(db *d, int64_t account_id, enum role role, int64_t group_id)
{
	int fac, rc;
	if (account_id == 0)
		return ACCESS_NONE;
	if (role == ROLE_PROGRAMME_LEAD) {
		db_stmt *s = db_prepare(d, "SELECT 1 FROM working_groups WHERE id = ?");
		if (!s)
			return DB_ERR;
		db_bind_int(s, 1, group_id);
		rc = db_step(s);
		db_done(s);
		return rc == DB_ROW ? ACCESS_MANAGE : rc == DB_DONE ? ACCESS_NONE : rc;
	}
	rc = member_role(d, account_id, group_id, &fac);
	if (rc < 0)
		return rc;
	if (!rc)
		return ACCESS_NONE;
	return fac && role == ROLE_FACILITATOR ? ACCESS_MANAGE : ACCESS_VIEW;
}

int access_programme(db *d, int64_t account_id, enum role role, int64_t programme_id)
{
	db_stmt *s;
	int rc, published = 0, member = 0, lead = 0;
	s = db_prepare(d, "SELECT published, lead_account_id FROM programmes WHERE id = ?");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, programme_id);
	rc = db_step(s);
	if (rc == DB_ROW) {
		published = (int)db_col_int(s, 0);
		lead = account_id && db_col_int(s, 1) == account_id;
	}
	db_done(s);
	if (rc == DB_DONE)
		return ACCESS_NONE;
	if (rc != DB_ROW)
		return rc;
	if (role == ROLE_PROGRAMME_LEAD || lead)
		return ACCESS_MANAGE;
	if (account_id) {
		s = db_prepare(d, "SELECT 1 FROM group_members m JOIN working_groups g ON g.id = "
				  "m.group_id WHERE g.programme_id = ? AND m.account_id = ? AND "
				  "m.left_on IS NULL LIMIT 1");
		if (!s)
			return DB_ERR;
		db_bind_int(s, 1, programme_id);
		db_bind_int(s, 2, account_id);
		rc = db_step(s);
		db_done(s);
		if (rc != DB_ROW && rc != DB_DONE)
			return rc;
		member = rc == DB_ROW;
	}
	return member || published ? ACCESS_VIEW : ACCESS_NONE;
}
