/* board_fixture.h: the fixture the Board, co-delivery and returns tests share: a
 * programme lead, a Board member of "Org A", a programme and three ideas at status
 * 'proposal', with helpers to add a Board meeting and submit a proposal to it.
 * Include after cmocka.h, testdb.h and the domain headers it uses (board.h). */
#ifndef TESTS_UNIT_BOARD_FIXTURE_H
#define TESTS_UNIT_BOARD_FIXTURE_H
#include <stdlib.h>

#include "core/arena.h"
#include "domain/audit.h"
#include "domain/board.h"

struct fixture {
	char dir[64];
	db *d;
	arena *a;
	struct audit_actor lead, member;
	int64_t programme, org, ideas[3];
};

/* A programme lead, a Board member of "Org A", a programme and three ideas at status
 * 'proposal'. */
static inline int board_fixture_setup(void **state, const char *name)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[128];
	snprintf(f->dir, sizeof(f->dir), "/tmp/coprod-test-%s-XXXXXX", name);
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/coprod.db", f->dir);
	if (db_open(path, &f->d) != DB_OK || db_migrate(f->d, NULL, NULL) != DB_OK)
		return -1;
	f->a = arena_new(4 << 20);
	f->org = insert(f->d, "INSERT INTO organisations (name, kind, created_at)"
			      " VALUES ('Org A', 'anchor', 'x')");
	f->lead.account_id = insert(f->d, "INSERT INTO accounts (display_name, role, created_at,"
					  " updated_at) VALUES ('Pat Lead', 'programme_lead', 'x', 'x')");
	f->member.account_id = insert(
		f->d, "INSERT INTO accounts (display_name, role, organisation_id, created_at,"
		      " updated_at) VALUES ('Bo Member', 'board_member', 1, 'x', 'x')");
	insert(f->d, "INSERT INTO priority_areas (slug, name, original_framing,"
		     " reframed_statement, summary, created_at, updated_at)"
		     " VALUES ('p', 'P', 'o', 'r', 's', 'x', 'x')");
	f->programme = insert(f->d, "INSERT INTO programmes (slug, name, summary, created_at,"
				    " updated_at) VALUES ('young-adults', 'Young adults', 's', 'x', 'x')");
	for (int i = 0; i < 3; i++)
		f->ideas[i] = insert(f->d, "INSERT INTO ideas (programme_id, priority_area_id, title,"
					   " body, status, side, created_at, updated_at)"
					   " VALUES (1, 1, 'Idea', 'Body', 'proposal', 'local', 'x', 'x')");
	if (!f->org || !f->lead.account_id || !f->member.account_id || !f->programme ||
	    !f->ideas[2])
		return -1;
	*state = f;
	return 0;
}

static inline int teardown(void **state)
{
	struct fixture *f = *state;
	arena_free(f->a);
	db_close(f->d);
	rm_dir(f->dir);
	free(f);
	return 0;
}

static inline const char *idea_status(struct fixture *f, int64_t id)
{
	db_stmt *s = db_prepare(f->d, "SELECT status FROM ideas WHERE id = ?");
	const char *v;
	assert_non_null(s);
	db_bind_int(s, 1, id);
	assert_int_equal(db_step(s), DB_ROW);
	v = arena_strdup(f->a, db_col_text(s, 0));
	db_done(s);
	return v;
}

static inline int64_t add_meeting(struct fixture *f)
{
	struct board_meeting_new m = {SV("15"), SV("11"), SV("2022"), SV("Health and Wellbeing Board"),
				      SV("Civic Centre")};
	int64_t id = 0;
	assert_int_equal(board_meeting_create(f->d, f->a, &f->lead, &m, NULL, &id), DOMAIN_OK);
	return id;
}

static inline int64_t submit(struct fixture *f, int64_t meeting, int64_t idea, const char *money)
{
	struct board_paper_new in = {meeting, idea, SV("Summary"), SV("Support it"), sv_from(money),
				     sv_from(money[0] ? "Adult Commissioning Committee" : "")};
	int64_t id = 0;
	assert_int_equal(board_paper_submit(f->d, f->a, &f->lead, &in, NULL, &id), DOMAIN_OK);
	return id;
}

#endif
