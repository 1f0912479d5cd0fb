/* demo_ideas.c: the demo young adults group's ideas; see demo_ideas.h. Everything here is
 * invented for the demonstration. Dates follow the story: ideas raised from December
 * 2021 in the group's own space, developed with decision-makers from June 2022, and
 * proposals ready for the Board of 15 November 2022. */
#include "domain/demo_ideas.h"

#include "core/log.h"
#include "domain/access.h"
#include "domain/ideas.h"

#define DEMO_LOCALS_MAX 8

struct cast {
	int64_t programme, group, lead, facilitator, maker;
	int64_t locals[DEMO_LOCALS_MAX];
	size_t n_locals;
	int64_t assisted; /* a local person a facilitator writes for, or 0 */
};

static int64_t one_id(db *d, const char *sql, const char *text, int64_t num)
{
	db_stmt *st = db_prepare(d, sql);
	int64_t id = 0;
	if (!st)
		return -1;
	if (text)
		db_bind_text(st, 1, text);
	if (num)
		db_bind_int(st, text ? 2 : 1, num);
	if (db_step(st) == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	return id;
}

static int64_t by_email(db *d, const char *email)
{
	return one_id(d, "SELECT id FROM accounts WHERE email = ?", email, 0);
}

/* The first current member of the group with ROLE_IN_GROUP, or 0. */
static int64_t member(db *d, int64_t group, const char *role_in_group)
{
	return one_id(d,
	              "SELECT account_id FROM group_members WHERE role_in_group = ? AND "
	              "group_id = ? AND left_on IS NULL ORDER BY id LIMIT 1",
	              role_in_group, group);
}

static int find_cast(db *d, struct cast *c)
{
	db_stmt *st;
	int rc;
	c->programme = one_id(d, "SELECT id FROM programmes WHERE slug = ?", "young-adults", 0);
	if (c->programme <= 0)
		return c->programme < 0 ? DB_ERR : DOMAIN_ENOTFOUND;
	c->group = one_id(d, "SELECT id FROM working_groups WHERE name = ? AND programme_id = ?",
	                  "Young adults group", c->programme);
	if (c->group <= 0)
		return c->group < 0 ? DB_ERR : DOMAIN_ENOTFOUND;
	c->lead = by_email(d, "programme.lead@example.org");
	c->facilitator = member(d, c->group, "facilitator");
	if (!c->facilitator)
		c->facilitator = by_email(d, "facilitator@example.org");
	c->maker = member(d, c->group, "decision_maker");
	if (!c->maker)
		c->maker = by_email(d, "decision.maker@example.org");
	st =
	    db_prepare(d, "SELECT m.account_id, a.assisted FROM group_members m JOIN accounts a ON "
	                  "a.id = m.account_id WHERE m.group_id = ? AND m.role_in_group = "
	                  "'local_person' AND m.left_on IS NULL ORDER BY m.id LIMIT 20");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, c->group);
	while ((rc = db_step(st)) == DB_ROW) {
		if (db_col_int(st, 1) && !c->assisted)
			c->assisted = db_col_int(st, 0);
		else if (c->n_locals < DEMO_LOCALS_MAX)
			c->locals[c->n_locals++] = db_col_int(st, 0);
	}
	db_done(st);
	if (rc != DB_DONE)
		return DB_ERR;
	if (!c->n_locals) {
		int64_t amina = by_email(d, "local.person@example.org");
		if (amina > 0)
			c->locals[c->n_locals++] = amina;
	}
	if (!c->assisted)
		c->assisted = one_id(d,
		                     "SELECT id FROM accounts WHERE assisted = 1 AND is_demo = ? "
		                     "ORDER BY id LIMIT 1",
		                     NULL, 1);
	if (!c->n_locals || c->lead <= 0 || c->facilitator <= 0 || c->maker <= 0)
		return DOMAIN_ENOTFOUND;
	return DOMAIN_OK;
}

/* The actor for PERSON's own contribution: themselves when they are in the group, else
 * the programme lead writing it down for them (the group's members may not have been
 * loaded). */
static struct audit_actor as(db *d, const struct cast *c, int64_t person)
{
	int acc = access_group(d, person, ROLE_LOCAL_PERSON, c->group);
	if (acc > ACCESS_NONE)
		return (struct audit_actor){person, 0, NULL};
	return (struct audit_actor){c->lead, person, NULL};
}

/* A professional's contribution: themselves when they are in the group, else the lead. */
static struct audit_actor pro(db *d, const struct cast *c, int64_t person, enum role role)
{
	int acc = access_group(d, person, role, c->group);
	if (acc > ACCESS_NONE)
		return (struct audit_actor){person, 0, NULL};
	return (struct audit_actor){c->lead, 0, NULL};
}

static int stamp(db *d, const char *sql, const char *at, int64_t id)
{
	db_stmt *st = db_prepare(d, sql);
	int rc;
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, at);
	db_bind_int(st, 2, id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? DOMAIN_OK : DB_ERR;
}

/* Moves the latest version and status change of idea ID, and its dates, to AT: the demo
 * tells a story that happened in 2021 and 2022. */
static int backdate(db *d, int64_t id, const char *at, bool created)
{
	int rc = DOMAIN_OK;
	if (created)
		rc = stamp(d, "UPDATE ideas SET created_at = ? WHERE id = ?", at, id);
	if (rc == DOMAIN_OK)
		rc = stamp(d, "UPDATE ideas SET updated_at = ? WHERE id = ?", at, id);
	if (rc == DOMAIN_OK)
		rc = stamp(d,
		           "UPDATE idea_status_changes SET changed_at = ? WHERE id = (SELECT "
		           "MAX(id) FROM idea_status_changes WHERE idea_id = ?)",
		           at, id);
	if (rc == DOMAIN_OK && created)
		rc = stamp(d,
		           "UPDATE idea_revisions SET revised_at = ? WHERE id = (SELECT MAX(id) "
		           "FROM idea_revisions WHERE idea_id = ?)",
		           at, id);
	return rc;
}

static int check(int rc, const char *what)
{
	if (rc != DOMAIN_OK)
		log_error("demo: could not %s (%d)", what, rc);
	return rc == DOMAIN_EINVALID || rc == DOMAIN_ECONFLICT || rc == DOMAIN_EFORBIDDEN ||
	               rc == DOMAIN_ENOTFOUND
	           ? DB_ERR
	           : rc;
}

struct demo_idea {
	const char *area, *title, *body, *tags, *raised;
};

static const struct demo_idea ideas[] = {
    {"child-poverty", "Warm spaces youth network",
     "Free warm spaces run with young people, open in the evenings and at weekends, in "
     "youth centres, libraries and cafes across the city. Somewhere to go that is warm, "
     "with wifi, a hot drink and someone to talk to, without having to spend money.",
     "warm spaces, young people, cost of living", "2022-01-18T19:00:00Z"},
    {"climate-change", "Climate-action apprenticeships with local anchors",
     "Paid apprenticeships in retrofitting homes, green spaces and repair, offered by the "
     "council, the NHS, housing providers and the university together, kept for young "
     "adults who live here and who have been in care or out of work.",
     "climate, jobs, anchor institutions", "2022-02-15T19:00:00Z"},
    {"suicide-prevention", "Peer-support text line run by young people",
     "A text line in the evenings, answered by trained young volunteers who have been "
     "through hard times themselves, with mental health professionals on hand behind them.",
     "mental health, peer support, young people", "2022-03-01T19:00:00Z"},
    {"loneliness-and-social-isolation", "Free bus travel to group sessions",
     "Bus fares stop people coming. Give everyone in a group a free day ticket for the days "
     "it meets.",
     "transport, taking part", "2022-03-15T19:00:00Z"},
    {"child-poverty", "Cooking on a budget sessions",
     "Cooking sessions for young parents and care leavers: cheap, healthy meals, and food to "
     "take home.",
     "food, young parents, cost of living", "2022-04-12T19:00:00Z"},
    {"climate-change", "Repair cafe in the youth centre",
     "A monthly repair cafe where people fix clothes, bikes and phones together instead of "
     "throwing them away.",
     "climate, repair", "2022-05-10T19:00:00Z"},
    {"loneliness-and-social-isolation", "Walk-and-talk groups",
     "Weekly walks in the parks for anyone who feels alone, led by volunteers, ending with a "
     "brew.",
     "mental health, green spaces", "2022-05-24T19:00:00Z"},
    {"suicide-prevention", "Mental health first aid for youth workers and coaches",
     "Free training for the people young adults already trust: youth workers, sports "
     "coaches, barbers and hairdressers.",
     "mental health, training", "2022-06-07T19:00:00Z"},
};
#define N_IDEAS (sizeof(ideas) / sizeof(ideas[0]))

static int add(db *d, arena *a, const struct cast *c, size_t i, const struct audit_actor *who,
               int64_t *id)
{
	struct field_errors fe;
	struct idea_new in;
	int64_t area = one_id(d, "SELECT id FROM priority_areas WHERE slug = ?", ideas[i].area, 0);
	int rc;
	*id = 0;
	if (area <= 0)
		return area < 0 ? DB_ERR
		                : DOMAIN_OK; /* the area is not there: leave this one out */
	in = (struct idea_new){
	    c->group, area, sv_from(ideas[i].title), sv_from(ideas[i].body), sv_from(ideas[i].tags),
	    0};
	field_errors_init(&fe);
	rc = ideas_create_tx(d, a, who, &in, &fe, id);
	if (rc == DOMAIN_EINVALID) {
		/* The programme does not cover this area in this database. */
		*id = 0;
		return DOMAIN_OK;
	}
	if (rc == DOMAIN_OK)
		rc = backdate(d, *id, ideas[i].raised, true);
	return check(rc, "add a demo idea");
}

static int move(db *d, arena *a, const struct audit_actor *who, int64_t id, enum idea_status to,
                const char *note, const char *at)
{
	struct field_errors fe;
	int rc;
	field_errors_init(&fe);
	rc = ideas_set_status_tx(d, a, who, id, to, sv_from(note), &fe);
	if (rc == DOMAIN_OK)
		rc = backdate(d, id, at, false);
	return check(rc, "move a demo idea on");
}

static int comment(db *d, arena *a, const struct audit_actor *who, int64_t id, int64_t parent,
                   const char *text, const char *at, int64_t *cid)
{
	struct field_errors fe;
	int64_t new_id = 0;
	int rc;
	field_errors_init(&fe);
	rc = ideas_comment_add_tx(d, a, who, id, parent, sv_from(text), &fe, &new_id);
	if (rc == DOMAIN_OK)
		rc = stamp(d, "UPDATE idea_comments SET created_at = ? WHERE id = ?", at, new_id);
	if (cid)
		*cid = new_id;
	return check(rc, "add a demo comment");
}

static int develop(db *d, arena *a, const struct cast *c, const int64_t *ids)
{
	struct audit_actor fac = pro(d, c, c->facilitator, ROLE_FACILITATOR);
	struct audit_actor maker = pro(d, c, c->maker, ROLE_DECISION_MAKER);
	struct audit_actor local = as(d, c, c->locals[0]);
	struct audit_actor other = as(d, c, c->locals[c->n_locals > 1 ? 1 : 0]);
	struct field_errors fe;
	int64_t top = 0;
	int rc = DOMAIN_OK;

	/* The three proposals: concept in the summer with decision-makers, proposal in the
	 * autumn. */
	static const char *const concept_on[3] = {"2022-06-21T19:30:00Z", "2022-07-05T19:30:00Z",
	                                          "2022-07-19T19:30:00Z"};
	static const char *const proposal_on[3] = {"2022-10-11T19:30:00Z", "2022-10-25T19:30:00Z",
	                                           "2022-10-25T19:45:00Z"};
	for (int i = 0; i < 3 && rc == DOMAIN_OK; i++) {
		if (!ids[i])
			continue;
		rc = move(d, a, &fac, ids[i], IDEA_CONCEPT,
		          "Developed with decision-makers from the council and the NHS at the "
		          "group's joint sessions.",
		          concept_on[i]);
		if (rc == DOMAIN_OK)
			rc = move(d, a, &fac, ids[i], IDEA_PROPOSAL,
			          "The group agreed to take it to the Health and Wellbeing Board.",
			          proposal_on[i]);
	}
	/* Cooking on a budget became a concept too. */
	if (rc == DOMAIN_OK && ids[4])
		rc = move(d, a, &fac, ids[4], IDEA_CONCEPT,
		          "Developing it with the council's family support team.",
		          "2022-09-13T19:30:00Z");

	/* Decision-makers' comments, a reply from a local person, and an amendment. */
	if (rc == DOMAIN_OK && ids[0])
		rc =
		    comment(d, a, &maker, ids[0], 0,
		            "The council has three libraries and two youth centres that could open "
		            "later. We could start there and count who comes.",
		            "2022-06-21T20:00:00Z", &top);
	if (rc == DOMAIN_OK && ids[0] && top)
		rc = comment(d, a, &local, ids[0], top,
		             "Yes, but it has to feel like ours: young people on the door, not "
		             "security guards.",
		             "2022-06-21T20:10:00Z", NULL);
	if (rc == DOMAIN_OK && ids[0]) {
		field_errors_init(&fe);
		rc = check(
		    ideas_revise_tx(d, a, &maker, ids[0], SV("Warm spaces youth network"),
		                    SV("Free warm spaces run with young people, open in the "
		                       "evenings and at weekends, in youth centres, libraries "
		                       "and cafes across the city. Somewhere to go that is warm, "
		                       "with wifi, a hot drink and someone to talk to, without "
		                       "having to spend money.\nStart in the three libraries and "
		                       "two youth centres the council already runs, with young "
		                       "people paid as hosts, and count who comes each week."),
		                    &fe, NULL),
		    "amend a demo idea");
		if (rc == DOMAIN_OK)
			rc = stamp(d,
			           "UPDATE idea_revisions SET revised_at = ? WHERE id = (SELECT "
			           "MAX(id) FROM idea_revisions WHERE idea_id = ?)",
			           "2022-07-05T20:00:00Z", ids[0]);
	}
	if (rc == DOMAIN_OK && ids[2])
		rc = comment(d, a, &maker, ids[2], 0,
		             "The NHS trust can train volunteers and give clinical supervision. We "
		             "need to check how this fits with the helplines that exist already.",
		             "2022-07-19T20:00:00Z", NULL);
	if (rc == DOMAIN_OK && ids[1])
		rc = comment(d, a, &other, ids[1], 0,
		             "Could the apprenticeships start with the homes on our own estates?",
		             "2022-07-05T20:05:00Z", NULL);

	/* A test of the apprenticeships idea, and a link to the repair cafe. */
	if (rc == DOMAIN_OK && ids[1]) {
		struct idea_test_new t = {
		    SV("20"),
		    SV("9"),
		    SV("2022"),
		    SV("A taster day with the council's retrofit team: six young adults "
		       "insulated a community centre's loft."),
		    SV("That two or three would want to know more about an apprenticeship."),
		    SV("Five asked to sign up. Two could not come because the day clashed with "
		       "their benefits appointments."),
		    SV("Taster days now avoid the jobcentre's appointment days, and travel is "
		       "paid on the day."),
		};
		field_errors_init(&fe);
		rc = check(ideas_test_add_tx(d, a, &local, ids[1], &t, &fe), "add a demo test");
	}
	if (rc == DOMAIN_OK && ids[1] && ids[5]) {
		field_errors_init(&fe);
		rc = check(ideas_link_add_tx(d, a, &local, ids[5], ids[1], &fe), "link demo ideas");
	}
	return rc;
}

int demo_load_ideas(db *d, arena *a)
{
	struct cast c = {0};
	int64_t ids[N_IDEAS] = {0};
	int rc = find_cast(d, &c);
	if (rc == DOMAIN_ENOTFOUND)
		return DOMAIN_OK;
	if (rc != DOMAIN_OK)
		return rc;
	for (size_t i = 0; i < N_IDEAS && rc == DOMAIN_OK; i++) {
		struct audit_actor who;
		if (i == 3 && c.assisted) {
			/* Written down by the facilitator for the person they support. */
			who = (struct audit_actor){c.facilitator, c.assisted, NULL};
			if (access_group(d, c.facilitator, ROLE_FACILITATOR, c.group) <=
			    ACCESS_NONE)
				who.account_id = c.lead;
		} else {
			who = as(d, &c, c.locals[i % c.n_locals]);
		}
		rc = add(d, a, &c, i, &who, &ids[i]);
	}
	if (rc == DOMAIN_OK)
		rc = develop(d, a, &c, ids);
	return rc;
}
