/* assessment.h: the two self-assessments of co-production that local people and
 * professionals answer, compared side by side.
 *
 * The ladder of co-production (rungs in domain/returns.h): members of a programme's
 * groups rate the rung each session, decision and programme stage reached. One rating
 * per person per thing: rating again replaces their rating (people change their minds as
 * they see more), audited with the rung before. Results are counts of ratings on each
 * rung by side, disclosed (core/disclosure.h: below the threshold "fewer than 10",
 * others rounded to the nearest 5, shares from the rounded counts).
 *
 * The six principles (seed 001 section 3: Strengths, Power, Relationships, Diversity,
 * Knowledges, Testing): a programme lead opens a round per half year ("2022 H1") with
 * its dates; each member rates each principle from 1 to 5 with an optional comment, once
 * (a second answer is DOMAIN_ECONFLICT). Answers are stored apart from who answered, with
 * only the side, so they cannot be read back per person. Results are the mean rating of
 * each side and the gap between them, per round; a side with fewer than
 * PRINCIPLES_MIN_RESPONDENTS respondents shows no breakdown. Comments are for leads only,
 * unattributed.
 *
 * Everything returned lives in the arena A; _tx functions run inside the caller's
 * transaction.
 */
#ifndef DOMAIN_ASSESSMENT_H
#define DOMAIN_ASSESSMENT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/disclosure.h"
#include "core/str.h"
#include "db/db.h"
#include "domain/accounts.h"
#include "domain/audit.h"
#include "domain/returns.h"
#include "domain/validate.h"

#define PRINCIPLES 6
#define PRINCIPLES_MIN_RESPONDENTS 5 /* fewer on a side: no breakdown for that side */
#define PRINCIPLE_COMMENT_MAX 2000   /* bytes in one comment */
#define PRINCIPLE_PERIOD_MAX 40      /* bytes in a round's period label */
#define ASSESSMENT_LIST_MAX 2000     /* rows one list returns at most */

enum side { SIDE_LOCAL = 0, SIDE_PROFESSIONAL = 1 };
#define SIDES 2

/* --- The ladder ------------------------------------------------------------------------- */

enum ladder_subject { LADDER_SESSION = 0, LADDER_DECISION = 1, LADDER_STAGE = 2 };
#define LADDER_SUBJECTS 3
const char *ladder_subject_slug(enum ladder_subject k); /* "session", "decision", "stage" */
int ladder_subject_parse(sv s);                          /* -1 if unknown */

/* Records (or replaces) WHO's rating of a thing: SUBJECT_ID is a group session's id, a
 * decision's id or a programme stage's id (programme_stages.id). The rater must be a
 * current member of the thing's group (for a stage: of any group of its programme):
 * otherwise DOMAIN_ENOTFOUND (they may not see it). Sessions must have been held,
 * decisions closed and stages started: otherwise DOMAIN_ECONFLICT with a message on
 * "rung". Error on "rung" when RUNG is not a rung slug. ROLE gives the side. *PROGRAMME_ID (may be NULL) receives the programme. */
int ladder_rate(db *d, arena *a, const struct audit_actor *who, enum role role,
		enum ladder_subject kind, int64_t subject_id, sv rung, struct field_errors *errs,
		int64_t *programme_id);
int ladder_rate_tx(db *d, arena *a, const struct audit_actor *who, enum role role,
		   enum ladder_subject kind, int64_t subject_id, sv rung,
		   struct field_errors *errs, int64_t *programme_id);

/* Counts of ratings on each rung by side, disclosed, and each rung's share of its side
 * (parts per million, from the rounded counts; share_ok false when it cannot be shown). */
struct ladder_dist {
	struct disclosed rung[SIDES][LADDER_RUNGS];
	struct disclosed total[SIDES];
	int64_t share_ppm[SIDES][LADDER_RUNGS];
	bool share_ok[SIDES][LADDER_RUNGS];
	int64_t n_ratings; /* true number of ratings: only to tell "none yet" apart */
};

/* The distribution of a programme's ratings: of one kind of thing (KIND -1 for all
 * kinds), of one thing (SUBJECT_ID 0 for all), of things that happened from FROM to TO
 * (ISO dates, inclusive; NULL for no bound): a session's day, a decision's opening, a
 * stage's start. */
int ladder_distribution(db *d, int64_t programme_id, int kind, int64_t subject_id,
			const char *from, const char *to, struct ladder_dist *out);

/* A thing of a programme: what members can rate, or have rated. */
struct ladder_thing {
	enum ladder_subject kind;
	int64_t subject_id;
	char *label;     /* "Session: Young adults group, 7 December 2021" */
	char *on;        /* ISO date of the session / decision / stage start, or NULL */
	int my_rung;     /* the account's own rating (enum ladder_rung), RUNG_NONE if none */
	int64_t n_ratings; /* true count, for ordering only: never shown */
	bool ready;        /* can be rated: a session held, a decision closed, a stage begun */
};
/* The things of PROGRAMME_ID that ACCOUNT_ID may rate (current member of the group; held
 * sessions, closed decisions and started stages), latest first, with their own rating;
 * ACCOUNT_ID 0 lists every rated thing. */
int ladder_things(db *d, arena *a, int64_t programme_id, int64_t account_id,
		  struct ladder_thing **out, size_t *n);
/* One thing of PROGRAMME_ID of ACCOUNT_ID's groups (started or opened), ready to be rated
 * or not (see READY), into *OUT; DOMAIN_ENOTFOUND when they may not see it. */
int ladder_thing_find(db *d, arena *a, int64_t programme_id, int64_t account_id,
		      enum ladder_subject kind, int64_t subject_id, struct ladder_thing *out);

/* --- The six principles ---------------------------------------------------------------- */

enum principle {
	PRINCIPLE_STRENGTHS = 0,
	PRINCIPLE_POWER,
	PRINCIPLE_RELATIONSHIPS,
	PRINCIPLE_DIVERSITY,
	PRINCIPLE_KNOWLEDGES,
	PRINCIPLE_TESTING,
};
const char *principle_slug(enum principle p);      /* "strengths" */
const char *principle_label(enum principle p);     /* "Strengths" */
/* The principle's statements from seed 001, as a NULL-terminated list. */
const char *const *principle_statements(enum principle p);
/* The question asked of members, one line: "Everyone's skills, knowledge and ..." */
const char *principle_question(enum principle p);

struct principle_round {
	int64_t id, programme_id;
	char *period_label, *opens_on, *closes_on; /* ISO dates */
	bool open;        /* today is within its dates */
	bool answered;    /* by the account asked about (principle_rounds_list) */
};

struct round_input {
	sv period_label, opens_day, opens_month, opens_year, closes_day, closes_month,
		closes_year;
};
/* Opens a round. Errors on "period_label" (empty, too long, or already a round of the
 * programme), "opens" and "closes" (GOV.UK date fields; closes not before opens).
 * Audited as "open". */
int principle_round_open(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
			 const struct round_input *in, struct field_errors *errs, int64_t *id);
int principle_round_open_tx(db *d, arena *a, const struct audit_actor *who,
			    int64_t programme_id, const struct round_input *in,
			    struct field_errors *errs, int64_t *id);
int principle_round_get(db *d, arena *a, int64_t id, struct principle_round *out);
/* A programme's rounds, latest opening first; ANSWERED says whether ACCOUNT_ID has
 * answered each (0: always false). */
int principle_rounds_list(db *d, arena *a, int64_t programme_id, int64_t account_id,
			  struct principle_round **out, size_t *n);

/* A round waiting for ACCOUNT_ID's answers: open today, not answered, in a programme
 * whose group they are a current member of. For the home page. */
struct round_waiting {
	int64_t round_id;
	char *period_label, *closes_on, *programme_name, *programme_slug;
};
int principle_rounds_waiting(db *d, arena *a, int64_t account_id, struct round_waiting **out,
			     size_t *n);

struct principle_answer_input {
	sv rating[PRINCIPLES];  /* "1" to "5" */
	sv comment[PRINCIPLES]; /* optional */
};
/* Records WHO's answers to round ROUND_ID. The answerer must be a current member of one
 * of the programme's groups (else DOMAIN_ENOTFOUND) and the round open (else
 * DOMAIN_ECONFLICT with nothing recorded). Answering twice is DOMAIN_ECONFLICT. Errors on
 * "rating-<slug>" for each principle not rated 1-5 and "comment-<slug>" for a comment
 * too long. Audited as "answer" without the ratings. */
int principle_answer(db *d, arena *a, const struct audit_actor *who, enum role role,
		     int64_t round_id, const struct principle_answer_input *in,
		     struct field_errors *errs);
int principle_answer_tx(db *d, arena *a, const struct audit_actor *who, enum role role,
			int64_t round_id, const struct principle_answer_input *in,
			struct field_errors *errs);
/* As principle_answer_tx for answers given on paper and typed up after the round closed
 * (and for the demo): the round need not be open. */
int principle_answer_paper_tx(db *d, arena *a, const struct audit_actor *who, enum role role,
			      int64_t round_id, const struct principle_answer_input *in,
			      struct field_errors *errs);
/* 1 if ACCOUNT_ID has answered ROUND_ID, 0 if not, <0 on error. */
int principle_has_answered(db *d, int64_t round_id, int64_t account_id);
/* 1 if ACCOUNT_ID is a current member of a group of PROGRAMME_ID, 0 if not, <0. */
int assessment_is_member(db *d, int64_t programme_id, int64_t account_id);
/* 1 if ACCOUNT_ID currently facilitates a group of PROGRAMME_ID, 0 if not, <0. */
int assessment_is_facilitator(db *d, int64_t programme_id, int64_t account_id);

/* One round's results. A side is SHOWN only with at least PRINCIPLES_MIN_RESPONDENTS
 * respondents; its means are then in hundredths (3.45 is 345). The gap (local minus
 * professional, hundredths) is there only when both sides are shown. */
struct principle_result {
	struct principle_round round;
	int64_t respondents[SIDES];  /* true counts: show through disclosure or the rule */
	struct disclosed respondents_disclosed[SIDES];
	bool shown[SIDES];
	int64_t mean_centi[SIDES][PRINCIPLES];
	bool gap_shown;
	int64_t gap_centi[PRINCIPLES];
};
/* Results of every round of PROGRAMME_ID opening from FROM to TO (ISO dates inclusive,
 * NULL for no bound), oldest first: the trend over time. */
int principle_results(db *d, arena *a, int64_t programme_id, const char *from, const char *to,
		      struct principle_result **out, size_t *n);

struct principle_comment {
	enum principle principle;
	char *comment;
};
/* The comments of a round, by principle then text: for programme leads only. */
int principle_comments(db *d, arena *a, int64_t round_id, struct principle_comment **out,
		       size_t *n);

/* Appends hundredths as "3.45" (or "-0.50"). */
void centi_format(sbuf *b, int64_t v);
char *centi_text(arena *a, int64_t v);

#endif
