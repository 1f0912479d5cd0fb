/* learning.h: the learning log of a programme ("there is no failure", seed 001 3.7):
 * per stage, what happened, what we learned and what we will change, with the success
 * indicators noticed along the way (seed 003: a change in language, more flexibility,
 * new ideas, a shift in thinking), dated and optionally about one session, idea, test of
 * an idea or decision of the programme.
 *
 * Facilitators of the programme's groups and programme leads add entries; members of the
 * programme read the timeline. Everything returned lives in the arena A.
 */
#ifndef DOMAIN_LEARNING_H
#define DOMAIN_LEARNING_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/validate.h"

#define LEARNING_TEXT_MAX 5000  /* bytes in each of the three texts */
#define LEARNING_LIST_MAX 1000  /* entries one list returns at most */
#define LEARNING_ABOUT_MAX 500  /* things one entry could be about, offered at most */

enum noticed {
	NOTICED_LANGUAGE = 0, /* a change in language */
	NOTICED_FLEXIBILITY,  /* more flexibility */
	NOTICED_NEW_IDEAS,    /* new ideas */
	NOTICED_SHIFT,        /* a shift in thinking */
};
#define NOTICED_KINDS 4
const char *noticed_slug(enum noticed k);  /* "language", "flexibility", ... */
const char *noticed_label(enum noticed k); /* "A change in language", ... */

struct learning_entry {
	int64_t id, programme_id;
	int stage;            /* 1 to 6 */
	char *happened_on;    /* ISO date */
	char *what_happened, *what_learned, *what_change;
	bool noticed[NOTICED_KINDS];
	char *about_kind;     /* "session", "idea", "test", "decision", or NULL */
	int64_t about_id;
	char *about_label;    /* e.g. "Idea: Free bus passes for care leavers", or NULL */
	char *created_by_name;
};

struct learning_input {
	sv stage, day, month, year, what_happened, what_learned, what_change;
	bool noticed[NOTICED_KINDS];
	sv about; /* "", or "session:12", "idea:4", "test:7", "decision:3" */
};

/* Adds an entry to PROGRAMME_ID's log. Errors on "stage", "happened" (the date fields),
 * "what_happened", "what_learned", "what_change" (too long) and "about" (not a thing of
 * this programme). Audited as "create". */
int learning_add(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
		 const struct learning_input *in, struct field_errors *errs, int64_t *id);
int learning_add_tx(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
		    const struct learning_input *in, struct field_errors *errs, int64_t *id);

/* A programme's entries dated FROM to TO (ISO dates inclusive, NULL for no bound),
 * oldest first: the timeline. */
int learning_list(db *d, arena *a, int64_t programme_id, const char *from, const char *to,
		  struct learning_entry **out, size_t *n);

/* What an entry of PROGRAMME_ID can be about, for the form's select: value
 * "session:12" and a label ("Session: Young adults group, 5 January 2027"), latest first
 * within each kind. Sessions only once they have taken place (held, or on or before
 * today) and not cancelled. */
struct learning_about {
	char *value, *label;
};
int learning_about_options(db *d, arena *a, int64_t programme_id, struct learning_about **out,
			   size_t *n);

#endif
