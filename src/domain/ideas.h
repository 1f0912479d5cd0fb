/* ideas.h: ideas on their way from a first thought to delivered change: authors, status,
 * versions and amendments, comments with replies, tags, links, sharing between groups,
 * tests of an idea, and what became of the ideas local people raised ("you said, we
 * did").
 *
 * An idea belongs to a programme and a priority area, and usually to a group. It is
 * credited to the person it came from: when a facilitator acts for an assisted local
 * person (WHO->on_behalf_of), the idea, revision or comment is that person's, and the
 * facilitator is kept as the one who recorded it. Each contribution stores the side it
 * came from ('local' or 'professional', side_of_role of the credited person's role at the
 * time), so the balance of power can be counted later.
 *
 * Who may do what (ideas_access):
 *   IDEA_MANAGE   programme leads, and facilitators of the idea's group: change status,
 *                 share with other groups, everything below
 *   IDEA_TAKE_PART current members of the idea's group or of a group it is shared with,
 *                 and its authors: comment, revise, tag, link, record tests
 *   IDEA_PUBLIC   anyone else, once the idea has been presented to the Board or later
 *                 and if its programme is published: the idea's text and what became of
 *                 it, without names
 *   IDEA_NONE     otherwise: reported as not found, so its existence does not leak
 *
 * Status moves only along allowed paths (ideas_status_next); each move is recorded in
 * idea_status_changes with who, on whose behalf, when and a note, and audited.
 *
 * Functions ending in _tx run inside a transaction the caller holds; the others begin and
 * commit their own. Strings returned are arena-owned. Functions return DOMAIN_OK,
 * DOMAIN_EINVALID (with ERRS filled), DOMAIN_ENOTFOUND, DOMAIN_EFORBIDDEN,
 * DOMAIN_ECONFLICT or a DB_E* code.
 */
#ifndef DOMAIN_IDEAS_H
#define DOMAIN_IDEAS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"
#include "db/db.h"
#include "domain/accounts.h"
#include "domain/audit.h"
#include "domain/validate.h"

#define IDEA_TITLE_MAX     200   /* bytes */
#define IDEA_BODY_MAX      10000 /* bytes */
#define IDEA_COMMENT_MAX   4000  /* bytes */
#define IDEA_NOTE_MAX      2000  /* bytes in a status change note */
#define IDEA_TAG_MAX       40    /* bytes in one tag */
#define IDEA_TAGS_MAX      10    /* tags on one idea */
#define IDEA_TEST_TEXT_MAX 4000  /* bytes in each part of a test */
#define IDEAS_PER_PAGE     50    /* rows in one page of a list */
#define IDEA_DETAIL_MAX    500   /* comments, versions, tests, links read for one idea */

/* The statuses in journey order. */
enum idea_status {
	IDEA_IDEA,
	IDEA_CONCEPT,
	IDEA_PROPOSAL,
	IDEA_PRESENTED,
	IDEA_SUPPORTED,
	IDEA_NOT_SUPPORTED,
	IDEA_DEFERRED,
	IDEA_IN_DELIVERY,
	IDEA_DELIVERED,
	IDEA_STATUS_COUNT,
};

/* "idea", "concept", "proposal", "presented", "supported", "not_supported", "deferred",
 * "in_delivery", "delivered" (as stored), or "" for anything else. */
const char *ideas_status_slug(enum idea_status s);
/* "Idea", "Concept", "Proposal", "Presented to the Board", "Supported by the Board",
 * "Not supported by the Board", "Deferred by the Board", "In delivery", "Delivered". */
const char *ideas_status_label(enum idea_status s);
/* The status whose slug is S, or -1. */
int ideas_status_parse(sv s);
/* True if an idea at FROM may move to TO:
 *   idea -> concept -> proposal -> presented -> supported | not_supported | deferred
 *   proposal -> concept (sent back for more work), deferred -> presented (taken back to
 *   the Board), supported -> in_delivery -> delivered */
bool ideas_status_allowed(enum idea_status from, enum idea_status to);
/* True for presented and every status after it: what the public may see. */
bool ideas_status_public(enum idea_status s);

enum idea_access { IDEA_NONE = 0, IDEA_PUBLIC = 1, IDEA_TAKE_PART = 2, IDEA_MANAGE = 3 };

struct idea {
	int64_t id, programme_id, priority_area_id, group_id; /* group_id 0 for none */
	char *programme_slug, *programme_name, *priority_slug, *priority_name;
	char *group_name; /* NULL when the idea belongs to no group */
	char *title, *body;
	enum idea_status status;
	int version;
	int64_t created_by;
	char *side; /* "local" or "professional" */
	char *created_at, *updated_at;
};

struct idea_author {
	int64_t account_id;
	char *name;
	enum role role;
	char *side;
	int64_t recorded_by; /* the facilitator who wrote it down, or 0 */
	char *recorded_by_name;
};

struct idea_revision {
	int64_t id;
	int version;
	char *title, *body;
	int64_t revised_by, on_behalf_of;
	char *revised_by_name, *on_behalf_name; /* on_behalf_name NULL when 0 */
	char *side;
	bool is_amendment;
	char *revised_at;
};

struct idea_comment {
	int64_t id, parent_id; /* parent_id 0 for a top-level comment */
	int64_t account_id, on_behalf_of;
	char *name, *on_behalf_name;
	enum role role;
	char *side, *body, *created_at;
};

struct idea_status_change {
	int64_t id;
	int from; /* enum idea_status, or -1 for the first status */
	enum idea_status to;
	int64_t changed_by, on_behalf_of;
	char *changed_by_name, *on_behalf_name;
	char *note, *changed_at;
};

struct idea_test {
	int64_t id;
	char *tested_on; /* "YYYY-MM-DD" */
	char *tried, *expected, *happened, *changed;
	int64_t recorded_by;
	char *recorded_by_name, *created_at;
};

/* A short view of another idea (lists, links). */
struct idea_brief {
	int64_t id;
	char *title;
	enum idea_status status;
	char *group_name; /* NULL for none */
	char *side;
	char *updated_at;
};

/* --- Access ---------------------------------------------------------------------------- */

/* What ACCOUNT_ID (0 when signed out) with ROLE may do with idea ID (an enum
 * idea_access), or a negative DB_E* code. DOMAIN_ENOTFOUND is never returned: an idea
 * that does not exist gives IDEA_NONE. */
int ideas_access(db *d, int64_t account_id, enum role role, int64_t id);

/* Whether ACCOUNT_ID with ROLE may add ideas to GROUP_ID: a current member of the group
 * or a programme lead. Returns DOMAIN_OK, DOMAIN_ENOTFOUND (no such group, or one they
 * may not see) or DOMAIN_EFORBIDDEN, or a DB_E* code. */
int ideas_may_add(db *d, int64_t account_id, enum role role, int64_t group_id);

/* --- Creating and reading --------------------------------------------------------------- */

struct idea_new {
	int64_t group_id;         /* the group it comes from */
	int64_t priority_area_id; /* must be one of the programme's areas, when it has any */
	sv title, body;
	sv tags; /* comma-separated, may be empty */
	/* Another current member of the group whose idea it is, written down for them in the
	 * room by the group's facilitator (or a programme lead); 0 for none. */
	int64_t credit_to;
};

/* Adds an idea to IN->group_id (and so to that group's programme), credited to
 * WHO->on_behalf_of if set, else to WHO->account_id, with the facilitator as recorded_by
 * in the first case; or to IN->credit_to, with WHO as recorded_by, when WHO runs the
 * group (else DOMAIN_EFORBIDDEN; someone not in the group is an error on "credit_to").
 * Version 1 goes into idea_revisions and the first status 'idea' into
 * idea_status_changes. Errors on "priority_area_id", "title", "body", "tags". WHO must
 * be allowed by ideas_may_add (else DOMAIN_EFORBIDDEN / DOMAIN_ENOTFOUND). */
int ideas_create(db *d, arena *a, const struct audit_actor *who, const struct idea_new *in,
                 struct field_errors *errs, int64_t *id);
int ideas_create_tx(db *d, arena *a, const struct audit_actor *who, const struct idea_new *in,
                    struct field_errors *errs, int64_t *id);

/* Reads idea ID, with no access check (callers use ideas_access first). */
int ideas_get(db *d, arena *a, int64_t id, struct idea *out);

/* Authors, versions (oldest first), comments (oldest first, replies after their parent's
 * id order), status changes (oldest first), tests (by date tested), tags (sorted), linked
 * ideas and the groups it is shared with ({id, name} in struct idea_brief's id and
 * title). Each at most IDEA_DETAIL_MAX. */
int ideas_authors(db *d, arena *a, int64_t id, struct idea_author **out, size_t *n);
int ideas_revisions(db *d, arena *a, int64_t id, struct idea_revision **out, size_t *n);
int ideas_revision_get(db *d, arena *a, int64_t id, int version, struct idea_revision *out);
int ideas_comments(db *d, arena *a, int64_t id, struct idea_comment **out, size_t *n);
int ideas_status_changes(db *d, arena *a, int64_t id, struct idea_status_change **out, size_t *n);
int ideas_tests(db *d, arena *a, int64_t id, struct idea_test **out, size_t *n);
int ideas_tags(db *d, arena *a, int64_t id, char ***out, size_t *n);
/* Linked ideas that ACCOUNT_ID with ROLE may see (IDEA_TAKE_PART or more). */
int ideas_links(db *d, arena *a, int64_t id, int64_t account_id, enum role role,
                struct idea_brief **out, size_t *n);
int ideas_shares(db *d, arena *a, int64_t id, struct idea_brief **out, size_t *n);

/* --- Changing ------------------------------------------------------------------------- */

/* Moves idea ID to TO with NOTE, recorded with WHO, after checking the move is allowed
 * (else DOMAIN_ECONFLICT with a message on "status" in ERRS saying where it can go).
 * Makes no access check: the caller (the Board and delivery modules, or ideas_set_status)
 * has decided WHO may do this. Runs inside the caller's transaction. */
int ideas_set_status_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
                        enum idea_status to, sv note, struct field_errors *errs);
/* As ideas_set_status_tx in its own transaction, for people on the idea's page: WHO must
 * have IDEA_MANAGE, and may only move between idea, concept and proposal (the Board's
 * decisions are recorded with the Board's papers), else DOMAIN_EFORBIDDEN. */
int ideas_set_status(db *d, arena *a, const struct audit_actor *who, int64_t id,
                     enum idea_status to, sv note, struct field_errors *errs);

/* Saves a new version of the title and text (errors on "title", "body"; an unchanged
 * text is an error on "body"). A version by someone who is not an author is an
 * amendment. WHO needs IDEA_TAKE_PART. *VERSION (may be NULL) receives the new number. */
int ideas_revise(db *d, arena *a, const struct audit_actor *who, int64_t id, sv title, sv body,
                 struct field_errors *errs, int *version);
int ideas_revise_tx(db *d, arena *a, const struct audit_actor *who, int64_t id, sv title, sv body,
                    struct field_errors *errs, int *version);

/* Adds a comment, or a reply to top-level comment PARENT_ID (0 for none; a reply to a
 * reply is refused with an error on "body"). Errors on "body". WHO needs
 * IDEA_TAKE_PART. */
int ideas_comment_add(db *d, arena *a, const struct audit_actor *who, int64_t id, int64_t parent_id,
                      sv body, struct field_errors *errs, int64_t *comment_id);
int ideas_comment_add_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
                         int64_t parent_id, sv body, struct field_errors *errs,
                         int64_t *comment_id);

/* Normalises comma-separated TEXT into tags: trimmed, lower-case, inner spaces kept as
 * single spaces, duplicates and empty ones dropped; letters, digits, spaces and hyphens
 * only. Returns the count, or -1 with *MESSAGE set (too many, too long, other
 * characters). OUT holds IDEA_TAGS_MAX entries. */
int ideas_tags_parse(arena *a, sv text, char **out, const char **message);
/* Replaces the idea's tags with those in TEXT (error on "tags"). WHO needs
 * IDEA_TAKE_PART. */
int ideas_tags_set(db *d, arena *a, const struct audit_actor *who, int64_t id, sv text,
                   struct field_errors *errs);
int ideas_tags_set_tx(db *d, arena *a, const struct audit_actor *who, int64_t id, sv text,
                      struct field_errors *errs);

/* Links idea ID to RELATED (both ways for readers). WHO needs IDEA_TAKE_PART on both;
 * an idea they may not see is an error on "related_id" ("There is no idea with that
 * number you can see"), as are the idea itself and a link that already exists. */
int ideas_link_add(db *d, arena *a, const struct audit_actor *who, int64_t id, int64_t related,
                   struct field_errors *errs);
int ideas_link_add_tx(db *d, arena *a, const struct audit_actor *who, int64_t id, int64_t related,
                      struct field_errors *errs);

/* Shares idea ID with GROUP_ID, another group of the same programme (error on
 * "group_id" otherwise, or when already shared). WHO needs IDEA_MANAGE. */
int ideas_share(db *d, arena *a, const struct audit_actor *who, int64_t id, int64_t group_id,
                struct field_errors *errs);

/* A test of the idea (the Testing principle). Errors on "tested_on" (a real date, not in
 * the future), "tried", "expected", "happened", "changed". WHO needs IDEA_TAKE_PART. */
struct idea_test_new {
	sv day, month, year; /* the GOV.UK date fields of the day it was tried */
	sv tried, expected, happened, changed;
};
int ideas_test_add(db *d, arena *a, const struct audit_actor *who, int64_t id,
                   const struct idea_test_new *in, struct field_errors *errs);
int ideas_test_add_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
                      const struct idea_test_new *in, struct field_errors *errs);

/* --- Lists ---------------------------------------------------------------------------- */

/* Which ideas a list shows, and which page. Newest first, IDEAS_PER_PAGE at a time, by
 * id (keyset paging: BEFORE_ID gives the page after one ending there, AFTER_ID the page
 * before one starting there; both 0 for the first page). */
struct idea_filter {
	int64_t programme_id; /* 0 for every programme */
	int64_t group_id;     /* 0 for every group; else the group's own and shared ideas */
	int status;           /* enum idea_status, or -1 for any */
	const char *tag;      /* NULL for any */
	int64_t viewer;       /* the account reading (0 when signed out) */
	enum role viewer_role;
	int64_t before_id, after_id;
};

/* The ideas FILTER->viewer may take part in (programme leads: all) matching FILTER, at
 * most IDEAS_PER_PAGE, newest first. *MORE_BEFORE / *MORE_AFTER (may be NULL) say
 * whether older / newer ideas exist beyond this page. */
int ideas_list(db *d, arena *a, const struct idea_filter *filter, struct idea_brief **out,
               size_t *n, bool *more_older, bool *more_newer);

/* "You said, we did": ideas that came from local people (ideas.side 'local') and have
 * reached the Board or later, newest first, in PROGRAMME_ID (0 for all), with the date
 * each reached its current status. Keyset paging by BEFORE_ID as above (0 for the first
 * page). No personal data. */
struct idea_outcome {
	int64_t id;
	char *title, *body;
	char *programme_slug, *programme_name, *priority_name;
	enum idea_status status;
	char *raised_on;          /* "YYYY-MM-DD" the idea was first recorded */
	char *presented_on;       /* "YYYY-MM-DD" it went to the Board, or NULL */
	char *status_on;          /* "YYYY-MM-DD" it reached its current status */
	const char *status_note;  /* the note of that change ("" for none) */
	const char *board_said;   /* the conditions of the Board's latest decision ("" for none) */
	int64_t delivery_plan_id; /* its co-delivery plan, or 0 */
};
int ideas_outcomes(db *d, arena *a, int64_t programme_id, int64_t before_id,
                   struct idea_outcome **out, size_t *n, bool *more);

/* --- Places ideas belong to (for the pages that list and add them) ----------------------- */

/* A choice on a form: a priority area or a group. */
struct idea_option {
	int64_t id;
	char *name;
};

/* The programme with SLUG: its id, name and whether the public may see it. Returns
 * DOMAIN_OK or DOMAIN_ENOTFOUND. */
int ideas_programme_find(db *d, arena *a, const char *slug, int64_t *id, char **name,
                         bool *published);
/* The priority areas a programme's ideas may be about (all areas when it names none), and
 * the groups of a programme, by name. At most IDEA_DETAIL_MAX each. */
int ideas_area_options(db *d, arena *a, int64_t programme_id, struct idea_option **out, size_t *n);
int ideas_group_options(db *d, arena *a, int64_t programme_id, struct idea_option **out, size_t *n);

/* The ideas ACCOUNT_ID is an author of, newest first, at most LIMIT (capped at
 * IDEAS_PER_PAGE): for their home page. Each one's updated_at is when it reached its
 * current status. */
int ideas_of_author(db *d, arena *a, int64_t account_id, int limit, struct idea_brief **out,
                    size_t *n);

#endif
