/* decisions.h: shared decisions of a group, with the balance of power visible.
 *
 * A decision is a question a group settles together, usually about one of its ideas
 * (develop it into a concept, put a proposal forward) or a choice between options. It
 * has a method:
 *
 *   consensus  carried when nobody disagrees or objects and at least one person agrees
 *   consent    carried unless someone objects (an objection always has a reason)
 *   vote       carried when more people agree than disagree; with options, the option
 *              with the most votes is chosen (a tie chooses nothing)
 *
 * and the group's parity rule, copied from the group when the decision is opened:
 *
 *   local_majority  on top of the method, it carries only if most local people who took
 *                   part agree (or, with options, chose the winning option more than any
 *                   other), whatever the professionals say
 *   none            the method alone decides
 *
 * Abstentions never count as taking part. Facilitators run the decision and do not give
 * a position of their own.
 *
 * Each current member of the group (local people and decision-makers) gives one position;
 * a second position by the same person is refused (DOMAIN_ECONFLICT with a message on
 * "stance"), because the record of who decided must not shift after the fact. A
 * facilitator may write down a position given in the room, credited to that person
 * (recorded_by = the facilitator). Closing works out the outcome; a closed decision
 * cannot change until a facilitator of the group (or a programme lead) reopens it, with
 * a reason, which lets people who had not yet taken part give their position.
 *
 * Access: members of the group see its decisions, its facilitators and programme leads
 * manage them (access.h); for anyone else a decision does not exist (DOMAIN_ENOTFOUND).
 * Every change is audited in the same transaction. Functions ending in _tx run inside
 * the caller's transaction and take AT, the time to record (ISO-8601 UTC; NULL for now),
 * so the demo can tell a story that happened in 2022. Strings are arena-owned.
 */
#ifndef DOMAIN_DECISIONS_H
#define DOMAIN_DECISIONS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"
#include "db/db.h"
#include "domain/accounts.h"
#include "domain/audit.h"
#include "domain/validate.h"

#define DECISION_QUESTION_MAX 500  /* bytes in the question */
#define DECISION_OPTION_MAX   200  /* bytes in one option's label */
#define DECISION_OPTIONS_MAX  10   /* options of one decision */
#define DECISION_REASON_MAX   1000 /* bytes in an objection's or a reopening's reason */
#define DECISION_LIST_MAX     200  /* decisions one list call returns at most */
#define DECISION_MEMBERS_MAX  500  /* members of a group read for one decision */

enum decision_side { SIDE_LOCAL = 0, SIDE_PROFESSIONAL = 1, SIDE_COUNT = 2 };

/* "local" -> SIDE_LOCAL, anything else SIDE_PROFESSIONAL. */
enum decision_side decision_side_parse(sv side);

struct decision_option {
	int64_t id;
	char *label;
	int votes[SIDE_COUNT]; /* filled by decision_tally */
};

struct decision {
	int64_t id, group_id, programme_id, idea_id; /* idea_id 0 for none */
	char *group_name, *programme_slug, *programme_name;
	char *idea_title; /* NULL when idea_id is 0 */
	char *question;
	char *method;      /* "consensus", "consent", "vote" */
	char *parity_rule; /* "none", "local_majority" */
	char *status;      /* "open", "closed" */
	char *outcome;     /* NULL while open: "carried", "not_carried" or an option's label */
	int64_t proposed_by, closed_by, reopened_by; /* 0 for none */
	char *proposed_by_name, *proposed_side, *opened_at;
	char *closed_by_name, *closed_at;     /* NULL while open */
	char *reopened_by_name, *reopened_at; /* NULL unless reopened */
	struct decision_option *options;      /* in their order; none for yes/no questions */
	size_t n_options;
};

/* One person's position. */
struct decision_position {
	int64_t account_id, option_id, recorded_by; /* option_id, recorded_by 0 for none */
	char *name, *side, *stance, *reason, *recorded_at;
	char *option_label;     /* NULL unless stance is "option" */
	char *recorded_by_name; /* the facilitator who wrote it down, or NULL */
};

/* A current member who may give a position, and whether they have. */
struct decision_member {
	int64_t account_id;
	char *name;
	char *side; /* "local" or "professional" */
	bool has_position;
};

/* Counts for each side: the basis of the result and of the power-balance view. */
struct decision_tally {
	int agree[SIDE_COUNT], disagree[SIDE_COUNT], abstain[SIDE_COUNT], object[SIDE_COUNT];
	int chose[SIDE_COUNT];     /* positions for an option */
	int took_part[SIDE_COUNT]; /* every position but abstain */
	int members[SIDE_COUNT];   /* current members who may give a position */
	int given[SIDE_COUNT];     /* positions given, abstentions included */
};

/* The outcome, and the sentences that explain it. */
struct decision_result {
	bool carried;         /* for options: an option was chosen */
	const char *outcome;  /* "carried", "not_carried" or the chosen option's label */
	const char *headline; /* "Carried", "Not carried", "Chosen: Warm spaces" */
	const char *summary;  /* "Carried: 7 of 9 local people agreed. Professionals: 3 of 5
	                         agreed." */
	const char *why;      /* what decided it, in a sentence; NULL when nothing to add */
	bool rule_decided;    /* the parity rule stopped what the method alone carried */
};

/* What opening a decision needs. Strings are as typed. */
struct decision_new {
	int64_t group_id;
	int64_t idea_id;     /* 0 for a question not about one idea */
	int64_t proposed_by; /* who proposed it: a member of the group, or 0 for the opener */
	sv question;
	sv method;  /* "consensus", "consent" or "vote" */
	sv options; /* vote only: one option per line; empty for a yes or no question */
};

/* Opens a decision for WHO (with ROLE), who must manage the group (DOMAIN_EFORBIDDEN if
 * they only see it, DOMAIN_ENOTFOUND if not even that). Errors on "question", "method",
 * "options", "idea_id", "proposed_by". Audited as "open". *ID (may be NULL) receives the
 * new id. */
int decision_open(db *d, arena *a, const struct audit_actor *who, enum role role,
                  const struct decision_new *in, struct field_errors *errs, int64_t *id);
int decision_open_tx(db *d, arena *a, const struct audit_actor *who, enum role role,
                     const struct decision_new *in, const char *at, struct field_errors *errs,
                     int64_t *id);

/* The decision ID with its options, if ACCOUNT_ID (with ROLE) may see it, into *OUT.
 * *ACCESS (may be NULL) receives the enum access the person has. Returns DOMAIN_OK,
 * DOMAIN_ENOTFOUND or a DB_E* code. */
int decision_get(db *d, arena *a, int64_t account_id, enum role role, int64_t id,
                 struct decision *out, int *access);

/* The parity rule of group GROUP_ID ("none" or "local_majority") into *RULE. Returns
 * DOMAIN_OK, DOMAIN_ENOTFOUND or a DB_E* code. */
int decision_group_rule(db *d, arena *a, int64_t group_id, char **rule);

/* The decision ID without any access check, for callers that have already checked that
 * the reader may see what it belongs to (power.c, for an idea's page). */
int decision_load(db *d, arena *a, int64_t id, struct decision *out);

/* The group's decisions, newest first, at most DECISION_LIST_MAX (without options). */
int decision_list_group(db *d, arena *a, int64_t group_id, struct decision **out, size_t *n);

/* Open decisions waiting for ACCOUNT_ID: in groups where they are a current local person
 * or decision-maker and have not given a position, or, for a facilitator, in the groups
 * they facilitate. At most LIMIT, newest first. */
int decision_list_waiting(db *d, arena *a, int64_t account_id, int limit, struct decision **out,
                          size_t *n);

/* Positions given on decision D, local people first, then by name. */
int decision_positions(db *d, arena *a, const struct decision *dec, struct decision_position **out,
                       size_t *n);

/* The current members of D's group who may give a position (not facilitators), local
 * people first, then by name, with whether each has given one. */
int decision_members(db *d, arena *a, const struct decision *dec, struct decision_member **out,
                     size_t *n);

/* Counts POSITIONS by side and stance (and option, into DEC's options) and MEMBERS by
 * side. Pure: no database. */
void decision_tally(struct decision *dec, const struct decision_position *positions, size_t np,
                    const struct decision_member *members, size_t nm, struct decision_tally *t);

/* Works out the result of DEC from its tally, with the sentences that explain it
 * (arena-owned). Pure. Returns DOMAIN_OK or DB_ERR when out of memory. */
int decision_result(arena *a, const struct decision *dec, const struct decision_tally *t,
                    struct decision_result *out);

/* A position to record. */
struct position_new {
	int64_t account_id; /* whose position: WHO's own (or the person acted for) if 0 */
	sv stance;          /* "agree", "disagree", "abstain", "object" or "option" */
	int64_t option_id;  /* for "option" */
	sv reason;          /* required for "object" */
};

/* Records a position on decision ID. The person must be a current local person or
 * decision-maker in the group; recording someone else's (a position given in the room)
 * needs WHO to manage the group, and credits it to them with recorded_by = WHO. When WHO
 * acts for someone (on_behalf_of), their own position is that person's. The stance must
 * suit the method ("object" only for consent, "disagree" not for consent, "option" only
 * with options). Errors on "stance", "option_id", "reason", "account_id". A second
 * position by the same person, or any position on a closed decision, is
 * DOMAIN_ECONFLICT with a message on "stance". Audited as "position". */
int decision_position_add(db *d, arena *a, const struct audit_actor *who, enum role role,
                          int64_t id, const struct position_new *in, struct field_errors *errs);
int decision_position_add_tx(db *d, arena *a, const struct audit_actor *who, enum role role,
                             int64_t id, const struct position_new *in, const char *at,
                             struct field_errors *errs);

/* Closes decision ID and stores its outcome. WHO must manage the group. Closing a closed
 * decision is DOMAIN_ECONFLICT. Audited as "close" with the outcome. *RESULT (may be
 * NULL) receives it.
 *
 * MOVE_TO (an enum idea_status, or -1 for none) moves the decision's idea on when the
 * decision carries, in the same transaction, noting the result as the reason (for
 * "develop this idea into a concept", "put this proposal forward"). A move the idea's
 * journey does not allow from where it is now is DOMAIN_EINVALID with a message on
 * "move_to", and nothing is closed; when the decision does not carry, the idea stays. */
int decision_close(db *d, arena *a, const struct audit_actor *who, enum role role, int64_t id,
                   int move_to, struct field_errors *errs, struct decision_result *result);
int decision_close_tx(db *d, arena *a, const struct audit_actor *who, enum role role, int64_t id,
                      int move_to, const char *at, struct field_errors *errs,
                      struct decision_result *result);

/* Reopens a closed decision, with REASON (error on "reason" when empty or too long).
 * WHO must manage the group. The outcome is cleared; the positions stay. Reopening an
 * open decision is DOMAIN_ECONFLICT. Audited as "reopen" with the reason and the outcome
 * it had. */
int decision_reopen(db *d, arena *a, const struct audit_actor *who, enum role role, int64_t id,
                    sv reason, struct field_errors *errs);

/* Human words: "Consensus", "Consent", "Vote"; "Agree", "No objection"... */
const char *decision_method_label(const char *method);
const char *decision_stance_label(const char *method, const char *stance);

#endif
