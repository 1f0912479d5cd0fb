/* board.h: the Health and Wellbeing Board's meetings, the proposals taken to them with
 * their papers, and the Board's decision on each.
 *
 * A programme lead adds a meeting (a date, a title and a place) and submits to it a
 * proposal: an idea at status 'proposal', with a paper saying what it is (summary), what
 * the Board is asked to do (ask) and any funding sought and from where. Submitting moves
 * the idea to 'presented'. A Board member or programme lead then records the Board's
 * decision (supported, not supported or deferred), with any conditions and the funding
 * agreed and its source; the idea's status follows. A decision is recorded once: a
 * second attempt is refused with DOMAIN_ECONFLICT, so what the Board decided cannot be
 * rewritten quietly afterwards (a deferred proposal goes to a later meeting as a new
 * paper).
 *
 * Money is whole pence (int64_t) from end to end: typed as "1,250.00" or "£18,000",
 * shown as "£1,250" or "£1,250.50". No floating point.
 *
 * Every change is audited in its transaction. Functions ending in _tx run inside a
 * transaction the caller holds; the others begin and commit their own. Everything
 * returned lives in the arena A.
 */
#ifndef DOMAIN_BOARD_H
#define DOMAIN_BOARD_H
#include "core/money.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/str.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/validate.h"

#define BOARD_TITLE_MAX 200      /* bytes: a meeting's title and location */
#define BOARD_TEXT_MAX 10000     /* bytes: a paper's summary, ask and conditions */
#define BOARD_SOURCE_MAX 200     /* bytes: where funding comes from */
#define BOARD_MEETINGS_MAX 500   /* meetings one list returns at most */
#define BOARD_PAPERS_MAX 2000    /* papers one list returns at most */
/* The most a single paper may seek or be agreed: £100 million, far above any real one,
 * so a slip of the keyboard is caught. */
#define BOARD_MONEY_MAX_PENCE ((int64_t)100000000 * 100)

enum board_decision {
	BOARD_PENDING = 0,
	BOARD_SUPPORTED,
	BOARD_NOT_SUPPORTED,
	BOARD_DEFERRED,
};

/* "pending", "supported", "not_supported", "deferred" (stored and sent by forms). */
const char *board_decision_slug(enum board_decision d);
/* "Awaiting decision", "Supported", "Not supported", "Deferred". */
const char *board_decision_label(enum board_decision d);
/* The decision whose slug is S; BOARD_PENDING for anything else. */
enum board_decision board_decision_parse(sv s);


struct board_meeting {
	int64_t id;
	struct date meets_on;
	char *title, *location;
	size_t n_papers, n_pending; /* proposals on the agenda, and those not yet decided */
};

/* What a new meeting needs: the date as the GOV.UK date input sends it. */
struct board_meeting_new {
	sv day, month, year;
	sv title, location; /* location may be empty */
};

/* Validates IN (errors on "meets_on" (the date), "title", "location") and adds the
 * meeting, audited as "create". *ID (may be NULL) receives its id. Returns DOMAIN_OK,
 * DOMAIN_EINVALID or a DB_E* code. */
int board_meeting_create(db *d, arena *a, const struct audit_actor *who,
			 const struct board_meeting_new *in, struct field_errors *errs,
			 int64_t *id);
int board_meeting_create_tx(db *d, arena *a, const struct audit_actor *who,
			    const struct board_meeting_new *in, struct field_errors *errs,
			    int64_t *id);
/* Returns DOMAIN_OK, DOMAIN_ENOTFOUND or a DB_E* code. */
int board_meeting_get(db *d, arena *a, int64_t id, struct board_meeting *out);
/* Every meeting, latest date first (at most BOARD_MEETINGS_MAX). */
int board_meeting_list(db *d, arena *a, struct board_meeting **out, size_t *n);
/* The first meeting on or after TODAY, into OUT. DOMAIN_ENOTFOUND when none is planned. */
int board_meeting_next(db *d, arena *a, struct date today, struct board_meeting *out);

/* A proposal on a meeting's agenda, with its paper and the Board's decision. */
struct board_paper {
	int64_t id, meeting_id, idea_id, programme_id;
	char *title;          /* the idea's title */
	char *idea_status;    /* the idea's status now ("presented", "in_delivery" ...) */
	char *programme_name, *programme_slug;
	bool programme_published; /* else the public does not see it */
	char *meeting_title;
	struct date meets_on;
	char *summary, *ask;
	int64_t funding_sought_pence;
	char *funding_sought_from;
	enum board_decision decision;
	char *conditions;
	int64_t funding_agreed_pence;
	char *funding_agreed_from;
	char *decided_at; /* ISO time, NULL while pending */
	int64_t plan_id;  /* its co-delivery plan, 0 for none */
};

struct board_paper_new {
	int64_t meeting_id, idea_id;
	sv summary, ask;
	sv funding_sought;      /* money as typed; empty for none */
	sv funding_sought_from; /* required when funding is sought */
};

/* Puts the idea IN->idea_id on the agenda of meeting IN->meeting_id with its paper.
 * Errors on "idea_id" (none chosen, or not a proposal ready for the Board), "summary",
 * "ask", "funding_sought", "funding_sought_from". The idea moves from 'proposal' (or
 * 'deferred', when a deferred proposal goes back to the Board) to 'presented'. Audited as "submit". DOMAIN_ENOTFOUND if the meeting does not exist.
 * Returns DOMAIN_OK, DOMAIN_EINVALID, DOMAIN_ENOTFOUND or a DB_E* code. */
int board_paper_submit(db *d, arena *a, const struct audit_actor *who,
		       const struct board_paper_new *in, struct field_errors *errs, int64_t *id);
int board_paper_submit_tx(db *d, arena *a, const struct audit_actor *who,
			  const struct board_paper_new *in, struct field_errors *errs,
			  int64_t *id);

struct board_decision_new {
	enum board_decision decision; /* BOARD_PENDING means none was chosen */
	sv conditions;
	sv funding_agreed;      /* money as typed; empty for none */
	sv funding_agreed_from; /* required when funding is agreed */
};

/* Records the Board's decision on paper ID. Errors on "decision", "conditions",
 * "funding_agreed" (also: funding agreed for a proposal not supported),
 * "funding_agreed_from". DOMAIN_ECONFLICT if a decision is already recorded. The idea
 * moves from 'presented' to 'supported', 'not_supported' or 'deferred'. Audited as
 * "decide". Returns DOMAIN_OK, DOMAIN_EINVALID, DOMAIN_ENOTFOUND, DOMAIN_ECONFLICT or a
 * DB_E* code. */
int board_paper_decide(db *d, arena *a, const struct audit_actor *who, int64_t id,
		       const struct board_decision_new *in, struct field_errors *errs);
int board_paper_decide_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
			  const struct board_decision_new *in, struct field_errors *errs);

int board_paper_get(db *d, arena *a, int64_t id, struct board_paper *out);
/* The papers of one meeting, in the order they were submitted. */
int board_papers_for_meeting(db *d, arena *a, int64_t meeting_id, struct board_paper **out,
			     size_t *n);
/* Every paper, latest meeting first (at most BOARD_PAPERS_MAX): the open data. */
int board_papers_list(db *d, arena *a, struct board_paper **out, size_t *n);
/* Papers still awaiting a decision, earliest meeting first. */
int board_papers_pending(db *d, arena *a, struct board_paper **out, size_t *n);

/* An idea ready to go to the Board (status 'proposal', or 'deferred' to go back), for
 * the submission form. */
struct board_ready {
	int64_t idea_id;
	char *title, *programme_name;
};
int board_ready_list(db *d, arena *a, struct board_ready **out, size_t *n);

/* Moves idea ID from status FROM to TO (slugs as stored) with NOTE, through the ideas
 * module's ideas_set_status_tx (which keeps the status history and audits it), inside
 * the caller's transaction. DOMAIN_ECONFLICT if the idea is not at FROM (someone moved
 * it meanwhile) or the move is not one ideas allow, DOMAIN_ENOTFOUND if there is no
 * such idea. Used by this module and delivery.c. */
int board_idea_move_tx(db *d, arena *a, const struct audit_actor *who, int64_t idea_id,
		       const char *from, const char *to, const char *note);

#endif
