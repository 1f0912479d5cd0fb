/* programmes.h: programmes of co-production, the priority areas each one covers, where
 * each is on the six-stage journey, and its equality impact assessment.
 *
 * A programme (seed 001 section 13) brings local people and decision-makers together on
 * one or more priority areas. It walks the same six stages every time:
 *
 *   1 Reframe the priority as a positive statement
 *   2 Recruit and induct local people
 *   3 Local people develop ideas
 *   4 Local people engage decision-makers
 *   5 Proposals to the Board
 *   6 Co-delivery
 *
 * and each stage keeps planned and actual dates, a status and a line on what success
 * would look like at that stage (seed 003: "think about what success would look like at
 * each stage"). Every programme has all six stage rows from the moment it is created.
 *
 * Reading functions fill plain structs whose strings live in the caller's arena and are
 * never NULL unless a comment says so. Changing functions validate into a
 * `struct field_errors` (field names are the form's input names), write the change and
 * its audit record in one transaction, and return DOMAIN_OK, DOMAIN_EINVALID,
 * DOMAIN_ENOTFOUND or a DB_E* code. The _tx forms run inside a transaction the caller
 * holds (the demo loader); the others begin and commit their own.
 *
 * Who may do what is decided above this floor (the route table and access.h); these
 * functions trust their caller.
 */
#ifndef DOMAIN_PROGRAMMES_H
#define DOMAIN_PROGRAMMES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/validate.h"

enum {
	PROGRAMME_SLUG_MAX = 64,       /* bytes: slugs appear in URLs */
	PROGRAMME_NAME_MAX = 200,      /* bytes */
	PROGRAMME_SUMMARY_MAX = 4000,  /* bytes */
	PROGRAMME_SUCCESS_MAX = 1000,  /* bytes: one line on what success looks like */
	PROGRAMME_EIA_TEXT_MAX = 8000, /* bytes in each part of the equality assessment */
	PROGRAMME_AREAS_MAX = 20,      /* priority areas one programme may cover */
	PROGRAMMES_MAX = 500,          /* most programmes one list returns */
	PROGRAMME_STAGES = 6,
};

enum stage_status { STAGE_NOT_STARTED = 0, STAGE_IN_PROGRESS = 1, STAGE_DONE = 2 };

/* "Reframe the priority as a positive statement" ... for STAGE 1..6; "" otherwise. */
const char *programme_stage_name(int stage);
/* "not_started", "in_progress", "done" (stored and sent by forms). */
const char *stage_status_slug(enum stage_status s);
/* "Not started", "In progress", "Done". */
const char *stage_status_label(enum stage_status s);
/* The status whose slug is S; -1 for anything else. */
int stage_status_parse(sv s);

/* True if SLUG is 1..PROGRAMME_SLUG_MAX bytes of a-z, 0-9 and single inner hyphens,
 * and not a word the URLs use for pages ("new"). */
bool programme_slug_valid(const char *slug);

struct programme_area {
	int64_t id;
	char *slug, *name;
};

struct programme_stage {
	int stage; /* 1..6 */
	enum stage_status status;
	/* "YYYY-MM-DD", or NULL when not set. */
	char *planned_start, *planned_end, *actual_start, *actual_end;
	const char *success; /* what success would look like; may be "" */
};

struct programme {
	int64_t id;
	char *slug, *name, *summary;
	int64_t lead_id; /* 0 for none */
	char *lead_name; /* NULL for none */
	bool published;
	struct programme_area *areas; /* in the areas' own order */
	size_t n_areas;
	struct programme_stage stages[PROGRAMME_STAGES]; /* stages[i].stage == i + 1 */
	/* Where it is: the highest stage in progress; 0 when none is (then all_done says
	 * whether the journey is over or not started). */
	int current_stage;
	bool all_done;
	int64_t n_groups, n_sessions; /* counts only; cancelled sessions are not counted */
	char *created_at, *updated_at;
};

/* Which programmes programmes_list returns. */
struct programme_filter {
	bool published_only;
	int64_t area_id; /* only programmes covering this area; 0 for any */
	int64_t lead_id; /* only programmes this account leads; 0 for any */
};

/* Programmes matching F (NULL for all), by name, at most PROGRAMMES_MAX, each complete
 * with areas, stages and counts, into an arena array *OUT of *N. Returns DOMAIN_OK or a
 * DB_E* code. */
int programmes_list(db *d, arena *a, const struct programme_filter *f, struct programme **out,
                    size_t *n);

/* The programme with SLUG (or ID) into *OUT. Returns DOMAIN_OK, DOMAIN_ENOTFOUND or a
 * DB_E* code. */
int programme_get_by_slug(db *d, arena *a, const char *slug, struct programme *out);
int programme_get(db *d, arena *a, int64_t id, struct programme *out);

/* What creating or changing a programme takes; the caller keeps ownership. */
struct programme_input {
	sv slug, name, summary;
	const int64_t *area_ids; /* the priority areas it covers: at least one */
	size_t n_areas;
	int64_t lead_id; /* an enabled programme lead or facilitator; 0 for none yet */
	bool published;
};

/* Creates a programme with its six stages (not started), audited as "create". Errors on
 * "name", "slug" (also when taken), "summary", "areas", "lead_id". *ID (may be NULL)
 * receives its id. */
int programme_create(db *d, arena *a, const struct audit_actor *who,
                     const struct programme_input *in, struct field_errors *fe, int64_t *id);
int programme_create_tx(db *d, arena *a, const struct audit_actor *who,
                        const struct programme_input *in, struct field_errors *fe, int64_t *id);

/* Changes programme ID to IN (its areas replaced), audited as "update" with before and
 * after. Same errors as programme_create; DOMAIN_ENOTFOUND if there is no such
 * programme. */
int programme_update(db *d, arena *a, const struct audit_actor *who, int64_t id,
                     const struct programme_input *in, struct field_errors *fe);

/* A date as the GOV.UK date input sends it; all three empty means "not set". */
struct date_fields {
	sv day, month, year;
};

/* What one stage's form sends. */
struct stage_input {
	sv status; /* "not_started", "in_progress" or "done" */
	struct date_fields planned_start, planned_end, actual_start, actual_end;
	sv success;
};

/* Saves STAGE (1..6) of programme ID, audited as "update_stage" on the programme with
 * before and after. Errors on "status", "planned_start", "planned_end", "actual_start",
 * "actual_end" (a part missing, not a real date, or an end before its start) and
 * "success". DOMAIN_ENOTFOUND for no such programme or stage. */
int programme_stage_save(db *d, arena *a, const struct audit_actor *who, int64_t id, int stage,
                         const struct stage_input *in, struct field_errors *fe);
int programme_stage_save_tx(db *d, arena *a, const struct audit_actor *who, int64_t id, int stage,
                            const struct stage_input *in, struct field_errors *fe);

/* The equality impact assessment of a programme (one each). */
struct programme_eia {
	char *who_affected, *how_affected, *mitigations, *reviewer_name;
	char *assessed_on, *review_on; /* "YYYY-MM-DD" */
	char *updated_at;
	char *updated_by_name; /* NULL if made by the system */
};

/* The assessment of programme ID into *OUT. Returns DOMAIN_OK, DOMAIN_ENOTFOUND when it
 * has none yet, or a DB_E* code. */
int programme_eia_get(db *d, arena *a, int64_t id, struct programme_eia *out);

struct eia_input {
	sv who_affected, how_affected, mitigations, reviewer_name;
	struct date_fields assessed_on, review_on;
};

/* Creates or replaces the assessment of programme ID, audited as "update_eia". Errors on
 * "who_affected", "how_affected", "mitigations", "reviewer_name", "assessed_on" and
 * "review_on" (each required; the review on or after the assessment). */
int programme_eia_save(db *d, arena *a, const struct audit_actor *who, int64_t id,
                       const struct eia_input *in, struct field_errors *fe);
int programme_eia_save_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
                          const struct eia_input *in, struct field_errors *fe);

/* Someone who may lead a programme. */
struct programme_lead_option {
	int64_t id;
	char *name;
	const char *role_label; /* "Programme lead" or "Facilitator" */
};
/* Enabled programme leads and facilitators, by name, at most PROGRAMMES_MAX. */
int programme_lead_options(db *d, arena *a, struct programme_lead_option **out, size_t *n);

#endif
