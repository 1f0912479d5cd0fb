/* case_studies.h: case studies of co-production, the Locality Plan's own indicator for
 * co-production ("co-production of innovative local solutions (case studies)", seed 001
 * section 8.5).
 *
 * A case study tells one programme's story. Its figures are never typed: who took part,
 * what was co-produced, the decisions and their balance of power and what the Board
 * decided come from the programme's records each time it is shown (case_study_facts),
 * with counts of people disclosed through core/disclosure.h. A facilitator of the
 * programme writes the narrative (title, summary and one text per part of the story) and
 * chooses quotes: from an idea comment or a session outcome of the programme, or typed
 * with a named speaker. A quote is shown publicly only once its speaker's consent is
 * recorded (yes, with the date it was given); a case study with a quote still waiting
 * for consent cannot be published. A programme lead publishes it; it is then on the
 * public site and in the open data.
 *
 * Reading functions fill plain structs whose strings live in the caller's arena and are
 * never NULL unless a comment says so. Changing functions validate into a
 * `struct field_errors` (field names are the form's input names), write the change and
 * its audit record in one transaction and return DOMAIN_OK, DOMAIN_EINVALID,
 * DOMAIN_ENOTFOUND, DOMAIN_ECONFLICT or a DB_E* code. The _tx forms run inside a
 * transaction the caller holds (the demo loader). Who may do what is decided above this
 * floor (the route table and access.h).
 */
#ifndef DOMAIN_CASE_STUDIES_H
#define DOMAIN_CASE_STUDIES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/disclosure.h"
#include "core/str.h"
#include "db/db.h"
#include "domain/accounts.h"
#include "domain/audit.h"
#include "domain/validate.h"

enum {
	CASE_STUDY_TITLE_MAX = 200,    /* bytes */
	CASE_STUDY_SUMMARY_MAX = 2000, /* bytes */
	CASE_STUDY_TEXT_MAX = 10000,   /* bytes in each part of the story */
	CASE_STUDY_QUOTE_MAX = 2000,   /* bytes */
	CASE_STUDY_SPEAKER_MAX = 200,  /* bytes */
	CASE_STUDY_QUOTES_MAX = 50,    /* quotes in one case study */
	CASE_STUDIES_MAX = 500,        /* most case studies one list returns */
	CASE_STUDY_PARTS = 7,
};

/* The parts of the story, in the order they are told. */
enum case_study_part {
	PART_ISSUE,      /* the issue, reframed */
	PART_PEOPLE,     /* who took part */
	PART_COPRODUCED, /* what was co-produced */
	PART_DECISIONS,  /* decisions and the balance of power */
	PART_BOARD,      /* what the Board decided */
	PART_CHANGED,    /* what changed */
	PART_LEARNED,    /* what was learned */
};
/* The form field and column stem ("issue", "people", ...) and the heading ("The issue,
 * reframed", ...) of part P. */
const char *case_study_part_key(enum case_study_part p);
const char *case_study_part_heading(enum case_study_part p);

enum quote_source { QUOTE_TYPED = 0, QUOTE_IDEA_COMMENT = 1, QUOTE_SESSION_OUTCOME = 2 };

struct case_study_quote {
	int64_t id;
	int position;
	char *quote, *speaker;
	enum quote_source source;
	int64_t source_id; /* 0 for a typed quote */
	bool consent;
	struct date consent_on; /* meaningful when consent */
};

struct case_study {
	int64_t id, programme_id;
	char *programme_slug, *programme_name;
	bool programme_published;
	char *title, *summary;
	char *part[CASE_STUDY_PARTS];
	bool published;
	struct date published_on; /* meaningful when published */
	struct case_study_quote *quotes; /* by position; every quote, consented or not */
	size_t n_quotes;
	char *updated_at;
	/* The day the narrative was last changed after it was published; a zero date when it
	 * has not changed since (or is not published). */
	struct date last_updated;
};

/* The figures behind a case study, from the programme's records. People are disclosed;
 * ideas, decisions and proposals are plain counts of contributions (see power.h). */
struct case_study_facts {
	char **areas;             /* names of the priority areas it covers */
	char **statements;        /* their reframed statements, "" where none */
	size_t n_areas;
	struct disclosed local_people, professionals; /* who ever took part in a group */
	int64_t n_groups, sessions_held;
	int64_t ideas, concepts_or_more; /* ideas; of them, developed at least to a concept */
	int64_t decisions_closed, positions_local, positions_professional;
	int64_t ideas_local, ideas_professional, amendments_local, amendments_professional;
	int64_t proposals, supported, not_supported, deferred, pending;
	int64_t plans, actions, actions_done, milestones, milestones_reached;
	int64_t in_locality_plan; /* plans embedded in the Locality Implementation Plan */
	int64_t learning_entries, ideas_tested; /* the learning log; ideas tested early */
	int64_t noticed_shift;    /* learning entries that noticed a shift in thinking */
};

/* What creating or editing the narrative takes; the caller keeps ownership. */
struct case_study_input {
	sv title, summary;
	sv part[CASE_STUDY_PARTS];
};

/* A new draft case study for programme PROGRAMME_ID into *ID. */
int case_study_create(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
		      const struct case_study_input *in, struct field_errors *errs, int64_t *id);
int case_study_create_tx(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
			 const struct case_study_input *in, struct field_errors *errs,
			 int64_t *id);
/* Changes the narrative of case study ID. A published case study changed by someone who
 * may not publish (MAY_PUBLISH false: a facilitator) goes back to draft in the same
 * transaction, so nothing reaches the public site until a programme lead publishes it
 * again; *UNPUBLISHED (may be NULL) then says so. Changed by a lead, it stays published
 * and its page says when it was last updated. */
int case_study_update(db *d, arena *a, const struct audit_actor *who, int64_t id,
		      const struct case_study_input *in, bool may_publish,
		      struct field_errors *errs, bool *unpublished);

/* A quote to add. For QUOTE_IDEA_COMMENT and QUOTE_SESSION_OUTCOME the text is taken from
 * the record SOURCE_ID, which must belong to the case study's programme; QUOTE then may
 * be empty. CONSENT says whether the speaker has agreed, CONSENT_DAY/MONTH/YEAR when. */
struct case_study_quote_input {
	enum quote_source source;
	int64_t source_id;
	sv quote, speaker;
	int consent; /* 1 the speaker agreed, 0 not yet, -1 not answered (an error) */
	sv consent_day, consent_month, consent_year;
};
int case_study_quote_add(db *d, arena *a, const struct audit_actor *who, int64_t case_study_id,
			 const struct case_study_quote_input *in, struct field_errors *errs,
			 int64_t *quote_id);
int case_study_quote_add_tx(db *d, arena *a, const struct audit_actor *who,
			    int64_t case_study_id, const struct case_study_quote_input *in,
			    struct field_errors *errs, int64_t *quote_id);
/* Records that the speaker of quote QUOTE_ID (in case study CASE_STUDY_ID) gave consent
 * on the date typed, or (CONSENT false) withdrew it: the quote is then hidden. */
int case_study_quote_consent(db *d, arena *a, const struct audit_actor *who,
			     int64_t case_study_id, int64_t quote_id, bool consent, sv day,
			     sv month, sv year, struct field_errors *errs);
/* Removes quote QUOTE_ID from case study CASE_STUDY_ID. */
int case_study_quote_remove(db *d, arena *a, const struct audit_actor *who,
			    int64_t case_study_id, int64_t quote_id);

/* Publishes case study ID on day ON (the caller passes today). DOMAIN_ECONFLICT with a
 * "quotes" error when a quote is waiting for consent. Publishing twice is DOMAIN_OK. */
int case_study_publish(db *d, arena *a, const struct audit_actor *who, int64_t id,
		       struct date on, struct field_errors *errs);
int case_study_publish_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
			  struct date on, struct field_errors *errs);
/* Takes it off the public site (back to draft). */
int case_study_unpublish(db *d, arena *a, const struct audit_actor *who, int64_t id);

/* Case study ID with its quotes into *OUT; DOMAIN_ENOTFOUND when there is none. */
int case_study_get(db *d, arena *a, int64_t id, struct case_study *out);

struct case_study_filter {
	bool published_only;   /* and only of published programmes */
	int64_t programme_id;  /* 0 for any */
	int64_t area_id;       /* only those of programmes covering this area; 0 for any */
	/* only those published between these dates (inclusive); zero dates for any */
	struct date published_from, published_to;
};
/* Case studies matching F (NULL for all), newest first, at most CASE_STUDIES_MAX, without
 * their quotes (n_quotes is the number of quotes). */
int case_study_list(db *d, arena *a, const struct case_study_filter *f, struct case_study **out,
		    size_t *n);
/* The number of published case studies of published programmes covering priority area
 * AREA_ID: the Locality Plan indicator. */
int case_study_count_for_area(db *d, int64_t area_id, int64_t *n);

/* 1 if ACCOUNT_ID (with ROLE) works on programme PROGRAMME_ID as a facilitator or lead:
 * any programme lead, the programme's own lead, or a current facilitator of one of its
 * groups; 0 if not; a DB_E* code on failure. Writers of case studies, and the programmes
 * a facilitator's Board report covers. */
int case_study_writer(db *d, int64_t account_id, enum role role, int64_t programme_id);

/* The figures from programme PROGRAMME_ID's records into *OUT. */
int case_study_facts(db *d, arena *a, int64_t programme_id, struct case_study_facts *out);

/* A quote someone may choose: an idea comment or a session outcome of the programme. */
struct quote_candidate {
	enum quote_source source;
	int64_t id;
	char *text, *context; /* context: the idea's title or the session's title */
	char *side;           /* "local" or "professional" (comments); "" for outcomes */
};
/* At most LIMIT candidates from programme PROGRAMME_ID, newest first. */
int case_study_quote_candidates(db *d, arena *a, int64_t programme_id, size_t limit,
				struct quote_candidate **out, size_t *n);

#endif
