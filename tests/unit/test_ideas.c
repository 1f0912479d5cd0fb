/* test_ideas.c: ideas credited to the right person and side, who may see and change
 * them, status moves along the journey only, versions and amendments, replies one level
 * deep, tags, links, shares, tests, paged lists and "you said, we did". */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testdb.h"

#include "core/arena.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/ideas.h"

struct fixture {
	char dir[64];
	db *d;
	arena *a;
	int64_t local, assisted, maker, facilitator, lead, outsider, board;
	int64_t programme, group, other_group, area;
};

static int64_t exec_id(db *d, const char *sql)
{
	if (db_exec(d, sql) != DB_OK)
		return -1;
	return db_last_insert_id(d);
}

static int64_t person(db *d, const char *name, const char *role)
{
	char sql[256];
	snprintf(sql, sizeof(sql),
	         "INSERT INTO accounts (display_name, role, created_at, updated_at) VALUES "
	         "('%s', '%s', 'x', 'x')",
	         name, role);
	return exec_id(d, sql);
}

static void member(db *d, int64_t group, int64_t account, const char *role)
{
	char sql[256];
	snprintf(sql, sizeof(sql),
	         "INSERT INTO group_members (group_id, account_id, role_in_group, joined_on) "
	         "VALUES (%lld, %lld, '%s', '2021-12-07')",
	         (long long)group, (long long)account, role);
	assert_int_equal(db_exec(d, sql), DB_OK);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[128], sql[256];
	snprintf(f->dir, sizeof(f->dir), "/tmp/coprod-test-ideas-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/coprod.db", f->dir);
	if (db_open(path, &f->d) != DB_OK || db_migrate(f->d, NULL, NULL) != DB_OK)
		return -1;
	f->a = arena_new(8 << 20);
	f->local = person(f->d, "Lee Local", "local_person");
	f->assisted = person(f->d, "Ash Assisted", "local_person");
	f->maker = person(f->d, "Dee Maker", "decision_maker");
	f->facilitator = person(f->d, "Fay Facilitator", "facilitator");
	f->lead = person(f->d, "Pat Lead", "programme_lead");
	f->outsider = person(f->d, "Otto Outside", "local_person");
	f->board = person(f->d, "Bea Board", "board_member");
	f->area =
	    exec_id(f->d, "INSERT INTO priority_areas (slug, name, original_framing, "
	                  "reframed_statement, summary, sort_order, created_at, updated_at) "
	                  "VALUES ('climate-change', 'Climate change', 'o', 'r', 's', 1, 'x', "
	                  "'x')");
	f->programme =
	    exec_id(f->d, "INSERT INTO programmes (slug, name, summary, created_at, "
	                  "updated_at) VALUES ('young-adults', 'Young adults', 's', 'x', "
	                  "'x')");
	snprintf(sql, sizeof(sql),
	         "INSERT INTO programme_priorities (programme_id, priority_area_id) VALUES (%lld, "
	         "%lld)",
	         (long long)f->programme, (long long)f->area);
	if (db_exec(f->d, sql) != DB_OK)
		return -1;
	snprintf(sql, sizeof(sql),
	         "INSERT INTO working_groups (programme_id, name, created_at, updated_at) VALUES "
	         "(%lld, 'Young adults group', 'x', 'x')",
	         (long long)f->programme);
	f->group = exec_id(f->d, sql);
	snprintf(sql, sizeof(sql),
	         "INSERT INTO working_groups (programme_id, name, created_at, updated_at) VALUES "
	         "(%lld, 'Other group', 'x', 'x')",
	         (long long)f->programme);
	f->other_group = exec_id(f->d, sql);
	if (f->area < 0 || f->programme < 0 || f->group < 0 || f->other_group < 0)
		return -1;
	member(f->d, f->group, f->local, "local_person");
	member(f->d, f->group, f->assisted, "local_person");
	member(f->d, f->group, f->maker, "decision_maker");
	member(f->d, f->group, f->facilitator, "facilitator");
	member(f->d, f->other_group, f->outsider, "local_person");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	arena_free(f->a);
	db_close(f->d);
	rm_dir(f->dir);
	free(f);
	return 0;
}

static int64_t count_with_id(db *d, const char *sql, int64_t id)
{
	db_stmt *s = db_prepare(d, sql);
	int64_t v;
	assert_non_null(s);
	if (strchr(sql, '?'))
		db_bind_int(s, 1, id);
	assert_int_equal(db_step(s), DB_ROW);
	v = db_col_int(s, 0);
	db_done(s);
	return v;
}

static int64_t add_idea(struct fixture *f, int64_t actor, int64_t for_whom, const char *title)
{
	struct audit_actor who = {actor, for_whom, NULL};
	struct idea_new in = {f->group,
	                      f->area,
	                      sv_from(title),
	                      SV("A place to go when it is cold"),
	                      SV("Warm Spaces, youth ,warm spaces"),
	                      0};
	struct field_errors fe;
	int64_t id = 0;
	field_errors_init(&fe);
	assert_int_equal(ideas_create(f->d, f->a, &who, &in, &fe, &id), DOMAIN_OK);
	assert_true(id > 0);
	return id;
}

static void create_credits_the_person_and_side(void **state)
{
	struct fixture *f = *state;
	struct idea idea;
	struct idea_author *au;
	struct idea_revision *rv;
	struct idea_status_change *sc;
	char **tags;
	size_t n;
	int64_t id = add_idea(f, f->facilitator, f->assisted, "Warm spaces for young people");

	assert_int_equal(ideas_get(f->d, f->a, id, &idea), DOMAIN_OK);
	assert_string_equal(idea.title, "Warm spaces for young people");
	assert_string_equal(idea.side, "local");
	assert_int_equal(idea.status, IDEA_IDEA);
	assert_int_equal(idea.version, 1);
	assert_string_equal(idea.group_name, "Young adults group");
	assert_string_equal(idea.programme_slug, "young-adults");

	assert_int_equal(ideas_authors(f->d, f->a, id, &au, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(au[0].account_id, f->assisted);
	assert_int_equal(au[0].recorded_by, f->facilitator);
	assert_string_equal(au[0].recorded_by_name, "Fay Facilitator");
	assert_string_equal(au[0].side, "local");

	assert_int_equal(ideas_revisions(f->d, f->a, id, &rv, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_false(rv[0].is_amendment);
	assert_int_equal(ideas_status_changes(f->d, f->a, id, &sc, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(sc[0].from, -1);
	assert_int_equal(sc[0].to, IDEA_IDEA);
	assert_int_equal(sc[0].on_behalf_of, f->assisted);

	/* Tags are lower-cased, trimmed and never twice. */
	assert_int_equal(ideas_tags(f->d, f->a, id, &tags, &n), DOMAIN_OK);
	assert_int_equal(n, 2);
	assert_string_equal(tags[0], "warm spaces");
	assert_string_equal(tags[1], "youth");

	assert_int_equal(count_with_id(f->d,
	                       "SELECT COUNT(*) FROM audit_log WHERE entity = 'idea' AND "
	                       "entity_id = ? AND action = 'create'",
	                       id),
	                 1);

	/* A professional's idea is on the professional side. */
	id = add_idea(f, f->maker, 0, "Data on cold homes");
	assert_int_equal(ideas_get(f->d, f->a, id, &idea), DOMAIN_OK);
	assert_string_equal(idea.side, "professional");
}

static void facilitator_writes_down_a_members_idea(void **state)
{
	struct fixture *f = *state;
	struct audit_actor fac = {f->facilitator, 0, NULL}, maker = {f->maker, 0, NULL};
	struct idea_new in = {f->group, f->area, SV("Bus passes"), SV("Said at the session"),
	                      SV(""),   f->local};
	struct idea_author *au;
	struct field_errors fe;
	size_t n;
	int64_t id = 0;

	field_errors_init(&fe);
	assert_int_equal(ideas_create(f->d, f->a, &fac, &in, &fe, &id), DOMAIN_OK);
	assert_int_equal(ideas_authors(f->d, f->a, id, &au, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(au[0].account_id, f->local);
	assert_int_equal(au[0].recorded_by, f->facilitator);
	assert_string_equal(au[0].side, "local");
	/* Only those who run the group write ideas down for others... */
	assert_int_equal(ideas_create(f->d, f->a, &maker, &in, &fe, NULL), DOMAIN_EFORBIDDEN);
	/* ... and only for its members. */
	in.credit_to = f->outsider;
	assert_int_equal(ideas_create(f->d, f->a, &fac, &in, &fe, NULL), DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "credit_to"), "Select a member of the group");
}

static void create_refuses_outsiders_and_bad_input(void **state)
{
	struct fixture *f = *state;
	struct audit_actor outsider = {f->outsider, 0, NULL}, local = {f->local, 0, NULL};
	struct idea_new in = {f->group, f->area, SV("Title"), SV("Body"), SV(""), 0};
	struct field_errors fe;
	char long_title[IDEA_TITLE_MAX + 2];

	field_errors_init(&fe);
	assert_int_equal(ideas_create(f->d, f->a, &outsider, &in, &fe, NULL), DOMAIN_ENOTFOUND);

	memset(long_title, 'x', sizeof(long_title) - 1);
	long_title[sizeof(long_title) - 1] = 0;
	in = (struct idea_new){f->group, 0, sv_from(long_title), SV("  "), SV("ok, <b>bad</b>"), 0};
	field_errors_init(&fe);
	assert_int_equal(ideas_create(f->d, f->a, &local, &in, &fe, NULL), DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "priority_area_id"));
	assert_string_equal(field_error_get(&fe, "title"), "Title must be 200 characters or fewer");
	assert_string_equal(field_error_get(&fe, "body"), "Describe the idea");
	assert_non_null(field_error_get(&fe, "tags"));
	assert_int_equal(count_with_id(f->d, "SELECT COUNT(*) FROM ideas", 0), 0);
}

static void access_by_membership_sharing_and_status(void **state)
{
	struct fixture *f = *state;
	struct audit_actor fac = {f->facilitator, 0, NULL}, lead = {f->lead, 0, NULL};
	struct field_errors fe;
	int64_t id = add_idea(f, f->local, 0, "Youth text line");

	assert_int_equal(ideas_access(f->d, f->local, ROLE_LOCAL_PERSON, id), IDEA_TAKE_PART);
	assert_int_equal(ideas_access(f->d, f->maker, ROLE_DECISION_MAKER, id), IDEA_TAKE_PART);
	assert_int_equal(ideas_access(f->d, f->facilitator, ROLE_FACILITATOR, id), IDEA_MANAGE);
	assert_int_equal(ideas_access(f->d, f->lead, ROLE_PROGRAMME_LEAD, id), IDEA_MANAGE);
	assert_int_equal(ideas_access(f->d, f->outsider, ROLE_LOCAL_PERSON, id), IDEA_NONE);
	assert_int_equal(ideas_access(f->d, 0, ROLE_NONE, id), IDEA_NONE);
	assert_int_equal(ideas_access(f->d, f->board, ROLE_BOARD_MEMBER, id), IDEA_NONE);
	assert_int_equal(ideas_access(f->d, f->lead, ROLE_PROGRAMME_LEAD, id + 100), IDEA_NONE);

	/* Sharing with the other group lets its members take part. */
	field_errors_init(&fe);
	assert_int_equal(ideas_share(f->d, f->a, &fac, id, f->other_group, &fe), DOMAIN_OK);
	assert_int_equal(ideas_access(f->d, f->outsider, ROLE_LOCAL_PERSON, id), IDEA_TAKE_PART);
	assert_int_equal(ideas_share(f->d, f->a, &fac, id, f->other_group, &fe), DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "group_id"));
	field_errors_init(&fe);
	assert_int_equal(ideas_share(f->d, f->a, &fac, id, f->group, &fe), DOMAIN_EINVALID);

	/* Once it has been to the Board, everyone may read it. */
	field_errors_init(&fe);
	assert_int_equal(ideas_set_status(f->d, f->a, &lead, id, IDEA_CONCEPT, SV(""), &fe),
	                 DOMAIN_OK);
	assert_int_equal(ideas_set_status(f->d, f->a, &lead, id, IDEA_PROPOSAL, SV(""), &fe),
	                 DOMAIN_OK);
	assert_int_equal(db_begin(f->d), DB_OK);
	assert_int_equal(
	    ideas_set_status_tx(f->d, f->a, &lead, id, IDEA_PRESENTED, SV("Board"), &fe),
	    DOMAIN_OK);
	assert_int_equal(db_commit(f->d), DB_OK);
	assert_int_equal(ideas_access(f->d, 0, ROLE_NONE, id), IDEA_PUBLIC);
	assert_int_equal(ideas_access(f->d, f->board, ROLE_BOARD_MEMBER, id), IDEA_PUBLIC);
}

static void status_moves_along_the_journey_only(void **state)
{
	struct fixture *f = *state;
	struct audit_actor fac = {f->facilitator, 0, NULL}, local = {f->local, 0, NULL};
	struct field_errors fe;
	struct idea idea;
	struct idea_status_change *sc;
	size_t n;
	int64_t id = add_idea(f, f->local, 0, "Apprenticeships");

	assert_true(ideas_status_allowed(IDEA_IDEA, IDEA_CONCEPT));
	assert_false(ideas_status_allowed(IDEA_IDEA, IDEA_SUPPORTED));
	assert_true(ideas_status_allowed(IDEA_PRESENTED, IDEA_DEFERRED));
	assert_false(ideas_status_allowed(IDEA_DELIVERED, IDEA_IDEA));
	assert_int_equal(ideas_status_parse(SV("not_supported")), IDEA_NOT_SUPPORTED);
	assert_int_equal(ideas_status_parse(SV("nonsense")), -1);

	/* A member who does not run the group cannot move it. */
	field_errors_init(&fe);
	assert_int_equal(ideas_set_status(f->d, f->a, &local, id, IDEA_CONCEPT, SV(""), &fe),
	                 DOMAIN_EFORBIDDEN);
	/* Jumping ahead is refused, and the message says where it can go. */
	assert_int_equal(ideas_set_status(f->d, f->a, &fac, id, IDEA_PROPOSAL, SV(""), &fe),
	                 DOMAIN_ECONFLICT);
	assert_string_equal(field_error_get(&fe, "status"),
	                    "Idea cannot move to that status. It can move to: Concept.");
	field_errors_init(&fe);
	assert_int_equal(ideas_set_status(f->d, f->a, &fac, id, IDEA_CONCEPT,
	                                  SV("Developed with the council's climate team"), &fe),
	                 DOMAIN_OK);
	/* The Board's own decisions are not made from the idea's page. */
	assert_int_equal(ideas_set_status(f->d, f->a, &fac, id, IDEA_PRESENTED, SV(""), &fe),
	                 DOMAIN_EFORBIDDEN);
	assert_int_equal(ideas_get(f->d, f->a, id, &idea), DOMAIN_OK);
	assert_int_equal(idea.status, IDEA_CONCEPT);
	assert_int_equal(ideas_status_changes(f->d, f->a, id, &sc, &n), DOMAIN_OK);
	assert_int_equal(n, 2);
	assert_int_equal(sc[1].from, IDEA_IDEA);
	assert_int_equal(sc[1].to, IDEA_CONCEPT);
	assert_int_equal(sc[1].changed_by, f->facilitator);
	assert_string_equal(sc[1].note, "Developed with the council's climate team");
}

static void revisions_and_amendments(void **state)
{
	struct fixture *f = *state;
	struct audit_actor local = {f->local, 0, NULL}, maker = {f->maker, 0, NULL},
	                   outsider = {f->outsider, 0, NULL};
	struct field_errors fe;
	struct idea_revision *rv, one;
	size_t n;
	int version = 0;
	int64_t id = add_idea(f, f->local, 0, "Text line");

	field_errors_init(&fe);
	assert_int_equal(ideas_revise(f->d, f->a, &local, id, SV("Text line"),
	                              SV("A place to go when it is cold"), &fe, &version),
	                 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "body"));
	field_errors_init(&fe);
	assert_int_equal(ideas_revise(f->d, f->a, &local, id, SV("Peer text line"),
	                              SV("Run by young people"), &fe, &version),
	                 DOMAIN_OK);
	assert_int_equal(version, 2);
	assert_int_equal(ideas_revise(f->d, f->a, &maker, id, SV("Peer text line"),
	                              SV("Run by young people, with NHS training"), &fe, &version),
	                 DOMAIN_OK);
	assert_int_equal(version, 3);
	assert_int_equal(ideas_revise(f->d, f->a, &outsider, id, SV("x"), SV("y"), &fe, NULL),
	                 DOMAIN_ENOTFOUND);

	assert_int_equal(ideas_revisions(f->d, f->a, id, &rv, &n), DOMAIN_OK);
	assert_int_equal(n, 3);
	assert_false(rv[1].is_amendment);
	assert_string_equal(rv[1].side, "local");
	assert_true(rv[2].is_amendment);
	assert_string_equal(rv[2].side, "professional");
	assert_int_equal(ideas_revision_get(f->d, f->a, id, 1, &one), DOMAIN_OK);
	assert_string_equal(one.title, "Text line");
	assert_int_equal(ideas_revision_get(f->d, f->a, id, 9, &one), DOMAIN_ENOTFOUND);
}

static void comments_reply_one_level(void **state)
{
	struct fixture *f = *state;
	struct audit_actor local = {f->local, 0, NULL}, maker = {f->maker, 0, NULL},
	                   for_ash = {f->facilitator, f->assisted, NULL};
	struct field_errors fe;
	struct idea_comment *c;
	size_t n;
	int64_t id = add_idea(f, f->local, 0, "Warm spaces"), top = 0, reply = 0;

	field_errors_init(&fe);
	assert_int_equal(
	    ideas_comment_add(f->d, f->a, &maker, id, 0, SV("We have two libraries"), &fe, &top),
	    DOMAIN_OK);
	assert_int_equal(
	    ideas_comment_add(f->d, f->a, &for_ash, id, top, SV("Open late please"), &fe, &reply),
	    DOMAIN_OK);
	assert_int_equal(ideas_comment_add(f->d, f->a, &local, id, reply, SV("Nested"), &fe, NULL),
	                 DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "body"),
	                    "You can only reply to a comment, not to a reply");
	field_errors_init(&fe);
	assert_int_equal(ideas_comment_add(f->d, f->a, &local, id, 0, SV("   "), &fe, NULL),
	                 DOMAIN_EINVALID);
	assert_int_equal(ideas_comments(f->d, f->a, id, &c, &n), DOMAIN_OK);
	assert_int_equal(n, 2);
	assert_string_equal(c[0].side, "professional");
	assert_int_equal(c[1].parent_id, top);
	assert_string_equal(c[1].side, "local");
	assert_int_equal(c[1].account_id, f->facilitator);
	assert_int_equal(c[1].on_behalf_of, f->assisted);
	assert_int_equal(c[1].role, ROLE_LOCAL_PERSON);
}

static void tags_links_and_tests(void **state)
{
	struct fixture *f = *state;
	struct audit_actor local = {f->local, 0, NULL}, outsider = {f->outsider, 0, NULL};
	struct field_errors fe;
	struct idea_brief *links;
	struct idea_test *tests;
	char *tags[IDEA_TAGS_MAX];
	const char *msg = NULL;
	size_t n;
	int64_t a1 = add_idea(f, f->local, 0, "One"), a2 = add_idea(f, f->local, 0, "Two");
	struct idea_test_new t = {SV("14"),
	                          SV("6"),
	                          SV("2022"),
	                          SV("A pop-up"),
	                          SV("10 people"),
	                          SV("25 people"),
	                          SV("We booked a bigger room")};

	assert_int_equal(ideas_tags_parse(f->a, SV(" A  b , a b,,C-3 "), tags, &msg), 2);
	assert_string_equal(tags[0], "a b");
	assert_string_equal(tags[1], "c-3");
	assert_int_equal(ideas_tags_parse(f->a, SV("1,2,3,4,5,6,7,8,9,10,11"), tags, &msg), -1);
	assert_string_equal(msg, "Add 10 tags or fewer");

	field_errors_init(&fe);
	assert_int_equal(ideas_link_add(f->d, f->a, &local, a1, a2, &fe), DOMAIN_OK);
	assert_int_equal(ideas_link_add(f->d, f->a, &local, a2, a1, &fe), DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "related_id"), "These ideas are already linked");
	field_errors_init(&fe);
	assert_int_equal(ideas_link_add(f->d, f->a, &local, a1, a1 + 999, &fe), DOMAIN_EINVALID);
	assert_int_equal(ideas_links(f->d, f->a, a2, f->local, ROLE_LOCAL_PERSON, &links, &n),
	                 DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(links[0].id, a1);
	/* Someone who cannot see the other idea does not learn of it through the link. */
	assert_int_equal(ideas_links(f->d, f->a, a2, f->outsider, ROLE_LOCAL_PERSON, &links, &n),
	                 DOMAIN_OK);
	assert_int_equal(n, 0);

	field_errors_init(&fe);
	assert_int_equal(ideas_test_add(f->d, f->a, &local, a1, &t, &fe), DOMAIN_OK);
	assert_int_equal(ideas_test_add(f->d, f->a, &outsider, a1, &t, &fe), DOMAIN_ENOTFOUND);
	t.year = SV("2199");
	t.happened = SV("");
	assert_int_equal(ideas_test_add(f->d, f->a, &local, a1, &t, &fe), DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "tested_on"),
	                    "The date it was tried must be today or in the past");
	assert_non_null(field_error_get(&fe, "happened"));
	assert_int_equal(ideas_tests(f->d, f->a, a1, &tests, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_string_equal(tests[0].tested_on, "2022-06-14");
	assert_string_equal(tests[0].changed, "We booked a bigger room");
}

static void lists_page_by_id_and_filter(void **state)
{
	struct fixture *f = *state;
	struct audit_actor fac = {f->facilitator, 0, NULL}, lead = {f->lead, 0, NULL};
	struct idea_filter filter = {.programme_id = f->programme,
	                             .status = -1,
	                             .viewer = f->local,
	                             .viewer_role = ROLE_LOCAL_PERSON};
	struct idea_brief *rows;
	struct field_errors fe;
	size_t n;
	bool older = false, newer = false;
	int64_t first = 0, last = 0, mine;

	assert_int_equal(db_begin(f->d), DB_OK);
	for (int i = 0; i < IDEAS_PER_PAGE + 5; i++) {
		struct idea_new in = {
		    f->group, f->area, SV("Idea"), SV("Body"), i % 2 ? SV("even") : SV("odd"), 0};
		int64_t id;
		field_errors_init(&fe);
		assert_int_equal(ideas_create_tx(f->d, f->a, &fac, &in, &fe, &id), DOMAIN_OK);
		if (!first)
			first = id;
		last = id;
	}
	assert_int_equal(db_commit(f->d), DB_OK);

	assert_int_equal(ideas_list(f->d, f->a, &filter, &rows, &n, &older, &newer), DOMAIN_OK);
	assert_int_equal(n, IDEAS_PER_PAGE);
	assert_true(older);
	assert_false(newer);
	assert_int_equal(rows[0].id, last);
	filter.before_id = rows[n - 1].id;
	assert_int_equal(ideas_list(f->d, f->a, &filter, &rows, &n, &older, &newer), DOMAIN_OK);
	assert_int_equal(n, 5);
	assert_false(older);
	assert_true(newer);
	assert_int_equal(rows[n - 1].id, first);
	/* Back to the newer page. */
	filter.after_id = rows[0].id;
	filter.before_id = 0;
	assert_int_equal(ideas_list(f->d, f->a, &filter, &rows, &n, &older, &newer), DOMAIN_OK);
	assert_int_equal(n, IDEAS_PER_PAGE);
	assert_int_equal(rows[0].id, last);
	assert_false(newer);

	filter.after_id = 0;
	filter.tag = "odd";
	assert_int_equal(ideas_list(f->d, f->a, &filter, &rows, &n, &older, &newer), DOMAIN_OK);
	assert_int_equal(n, 28);

	/* Status filter. */
	filter.tag = NULL;
	field_errors_init(&fe);
	assert_int_equal(ideas_set_status(f->d, f->a, &lead, first, IDEA_CONCEPT, SV(""), &fe),
	                 DOMAIN_OK);
	filter.status = IDEA_CONCEPT;
	assert_int_equal(ideas_list(f->d, f->a, &filter, &rows, &n, &older, &newer), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, first);

	/* Someone outside the group sees none of them, in the programme or anywhere. */
	filter.status = -1;
	filter.viewer = f->outsider;
	assert_int_equal(ideas_list(f->d, f->a, &filter, &rows, &n, &older, &newer), DOMAIN_OK);
	assert_int_equal(n, 0);
	filter.programme_id = 0;
	assert_int_equal(ideas_list(f->d, f->a, &filter, &rows, &n, &older, &newer), DOMAIN_OK);
	assert_int_equal(n, 0);
	/* ... but does see what they wrote themselves after leaving for another group. */
	mine = add_idea(f, f->local, 0, "Mine");
	assert_int_equal(ideas_of_author(f->d, f->a, f->local, 10, &rows, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, mine);
	/* Programme leads see everything; the group list has the group's ideas. */
	filter.viewer = f->lead;
	filter.viewer_role = ROLE_PROGRAMME_LEAD;
	assert_int_equal(ideas_list(f->d, f->a, &filter, &rows, &n, &older, &newer), DOMAIN_OK);
	assert_int_equal(n, IDEAS_PER_PAGE);
	filter.group_id = f->other_group;
	assert_int_equal(ideas_list(f->d, f->a, &filter, &rows, &n, &older, &newer), DOMAIN_OK);
	assert_int_equal(n, 0);
	/* A group's list has the ideas shared with it, in id order among its own. */
	field_errors_init(&fe);
	assert_int_equal(ideas_share(f->d, f->a, &lead, first + 1, f->other_group, &fe), DOMAIN_OK);
	assert_int_equal(ideas_list(f->d, f->a, &filter, &rows, &n, &older, &newer), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, first + 1);
	filter.group_id = f->group;
	filter.before_id = first + 3;
	assert_int_equal(ideas_list(f->d, f->a, &filter, &rows, &n, &older, &newer), DOMAIN_OK);
	assert_int_equal(n, 3);
	assert_int_equal(rows[0].id, first + 2);
	assert_int_equal(rows[2].id, first);
}

static void you_said_we_did_lists_local_ideas_at_the_board(void **state)
{
	struct fixture *f = *state;
	struct audit_actor lead = {f->lead, 0, NULL};
	struct field_errors fe;
	struct idea_outcome *o;
	size_t n;
	bool more = true;
	int64_t local_idea = add_idea(f, f->local, 0, "Warm spaces network");
	int64_t pro_idea = add_idea(f, f->maker, 0, "A professional idea");
	int64_t early = add_idea(f, f->local, 0, "Still an idea");
	static const enum idea_status path[] = {IDEA_CONCEPT, IDEA_PROPOSAL, IDEA_PRESENTED,
	                                        IDEA_SUPPORTED};
	(void)early;

	assert_int_equal(db_begin(f->d), DB_OK);
	for (size_t i = 0; i < sizeof(path) / sizeof(path[0]); i++) {
		field_errors_init(&fe);
		assert_int_equal(ideas_set_status_tx(f->d, f->a, &lead, local_idea, path[i],
		                                     i == 3 ? SV("With £18,000") : SV(""), &fe),
		                 DOMAIN_OK);
		assert_int_equal(
		    ideas_set_status_tx(f->d, f->a, &lead, pro_idea, path[i], SV(""), &fe),
		    DOMAIN_OK);
	}
	assert_int_equal(db_commit(f->d), DB_OK);

	assert_int_equal(ideas_outcomes(f->d, f->a, 0, 0, &o, &n, &more), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_false(more);
	assert_int_equal(o[0].id, local_idea);
	assert_int_equal(ideas_access(f->d, 0, ROLE_NONE, local_idea), IDEA_PUBLIC);
	assert_int_equal(o[0].status, IDEA_SUPPORTED);
	assert_non_null(o[0].presented_on);
	assert_int_equal(strlen(o[0].presented_on), 10);
	assert_string_equal(o[0].status_note, "With £18,000");
	assert_int_equal(ideas_outcomes(f->d, f->a, f->programme, 0, &o, &n, &more), DOMAIN_OK);
	assert_int_equal(n, 1);
	/* An unpublished programme's ideas are not shown. */
	assert_int_equal(db_exec(f->d, "UPDATE programmes SET published = 0"), DB_OK);
	assert_int_equal(ideas_outcomes(f->d, f->a, 0, 0, &o, &n, &more), DOMAIN_OK);
	assert_int_equal(n, 0);
	assert_int_equal(ideas_access(f->d, 0, ROLE_NONE, local_idea), IDEA_NONE);
	assert_int_equal(ideas_access(f->d, f->local, ROLE_LOCAL_PERSON, local_idea),
	                 IDEA_TAKE_PART);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(create_credits_the_person_and_side, setup, teardown),
	    cmocka_unit_test_setup_teardown(facilitator_writes_down_a_members_idea, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(create_refuses_outsiders_and_bad_input, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(access_by_membership_sharing_and_status, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(status_moves_along_the_journey_only, setup, teardown),
	    cmocka_unit_test_setup_teardown(revisions_and_amendments, setup, teardown),
	    cmocka_unit_test_setup_teardown(comments_reply_one_level, setup, teardown),
	    cmocka_unit_test_setup_teardown(tags_links_and_tests, setup, teardown),
	    cmocka_unit_test_setup_teardown(lists_page_by_id_and_filter, setup, teardown),
	    cmocka_unit_test_setup_teardown(you_said_we_did_lists_local_ideas_at_the_board, setup,
	                                    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
