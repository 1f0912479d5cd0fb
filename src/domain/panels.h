/* panels.h: fair selection of a panel from a programme's volunteers (issue 4 section 5).
 *
 * A panel has a name, a number of places k, a pool of volunteers (by default everyone of
 * the programme at stage volunteered, contacted or waiting, except possible duplicates
 * not yet merged: see panel_pool_duplicate_pairs), an optional rule of one
 * person per household, and quotas [min, max] per category value. It walks four
 * statuses:
 *
 *   draft      settings, pool and quotas are being edited
 *   computed   LEXIMIN probabilities are stored for everyone in the pool, with the
 *              greedy method's beside them (any later edit goes back to draft)
 *   published  the lottery (m tickets, each a panel of opaque public ids) and its
 *              SHA-256 hash are public; nothing can change any more but the date, time
 *              and place of the draw
 *   drawn      a public random number chose a ticket: its people are 'selected', the
 *              rest of the pool 'waiting'; replacements may follow
 *
 * Categories a quota may use: 'ward' (the volunteer's ward), 'role' (the panel's own
 * assignment of each volunteer, e.g. lived experience or professional, as in the Poverty
 * Truth Commission's 15 + 15), and the equality categories (equality.h). A volunteer
 * with no value in a category (not answered, "prefer not to say", withdrawn, no ward, no
 * role) has the value PANEL_NOT_SAID there, a value of its own with its own quota.
 * Equality values are read only inside the selection (equality_selection_values, which
 * audits the read) and never leave this module: pages get names and probabilities only.
 *
 * The draw is planned (panel_draw_plan_set): a date and time in the future, a place and,
 * if the lead wants, who will roll the dice and an https link to watch online
 * (migration 0013), so the public can come and watch. It is made no earlier than that
 * time; a plan whose time has passed with no draw is overdue (panel_draw_overdue). The lottery
 * is published only with such a plan. After publication the plan may still move until
 * the draw; the public page then says what it moved from.
 *
 * Proposed quotas (panel_quotas_propose). For a value with population share s (from the
 * programme's population_figures, or for ward from the wards' 2021 populations) the
 * expected number on a panel of k is e = s x k; the proposal is min = floor(e), max =
 * ceil(e). Then, so the panel stays viable and nobody expected is left out:
 *   1. a value expected at least half a person (e >= 0.5) gets a minimum of at least 1;
 *   2. for wards, no minimum asks for more people than the pool has with that value;
 *      equality categories never read the pool at all (its counts would give away how
 *      many gave a special-category answer when they are few): a minimum the pool
 *      cannot meet shows up when the chances are worked out, as quotas no panel can
 *      meet with their smallest relaxation;
 *   3. while the minima add up to more than k, the largest minimum is lowered by one;
 *      while the maxima (counting at most the people the pool has with each value) add
 *      up to fewer than k, the maximum of the value with most people to spare is raised
 *      by one; for equality categories k stands in for the pool's counts here, so no
 *      maximum gives away how many of the pool gave an answer;
 *   4. values without a population figure, and PANEL_NOT_SAID, get min 0 and max k
 *      (no bound: the lead sets one if they want). For equality categories every value
 *      of the category is proposed, whether or not anyone in the pool gave it; for
 *      ward, the wards the pool lives in;
 *   5. for 'role', lived experience and professional get floor(k/2) and ceil(k/2).
 * The lead then edits any of them.
 *
 * Who may do what is decided by panels_access (leads manage; facilitators of one of the
 * programme's groups view; nobody else sees a panel), checked by the web floor.
 * Changing functions write an audit record in the same transaction; *_tx forms run in a
 * transaction the caller holds (the demo loader).
 */
#ifndef DOMAIN_PANELS_H
#define DOMAIN_PANELS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/validate.h"

enum {
	PANEL_NAME_MAX = 200,      /* bytes */
	PANEL_PLACES_MAX = 500,    /* places on one panel */
	PANEL_POOL_MAX = 5000,     /* volunteers in one pool */
	PANEL_CATEGORIES_MAX = 12, /* categories one panel may use */
	PANEL_TICKETS = 1000,      /* tickets in a published lottery (m) */
	PANEL_PUBLIC_ID_LEN = 6,   /* letters in an opaque public id */
	PANEL_LEGACY_RUNS = 2000,  /* greedy draws used to estimate its probabilities */
	PANEL_NUMBER_MAX = 100,    /* bytes of a public random number as typed */
	PANELS_MAX = 500,          /* panels one list returns */
	PANEL_DRAW_PLACE_MAX = 200, /* bytes of where the draw takes place */
	PANEL_DRAW_ROLLER_MAX = 100, /* bytes of who rolls the dice */
	PANEL_DRAW_LINK_MAX = 500,  /* bytes of the link to watch the draw online */
};

/* Working out the chances or replacements stops after this many seconds, so a request
 * never holds the server for minutes; the command line (coprod select) has no limit. */
#define PANEL_TIME_LIMIT_SECONDS 60.0
/* What the lead is told when it stops. */
#define PANEL_TOO_LARGE                                                                     \
	"This pool is too large to work out here. Run coprod select with the exported files, " \
	"or make the pool smaller."
/* Changes the limit (0: none), for tests. */
void panel_set_time_limit(double seconds);

#define PANEL_NOT_SAID "not said"
#define PANEL_ROLE_LIVED "lived experience"
#define PANEL_ROLE_PROFESSIONAL "professional"

enum panel_status { PANEL_DRAFT = 0, PANEL_COMPUTED, PANEL_PUBLISHED, PANEL_DRAWN };
/* "draft", "computed", "published", "drawn" (stored). */
const char *panel_status_slug(enum panel_status s);
/* "Draft", "Chances worked out", "Lottery published", "Drawn" (shown). */
const char *panel_status_label(enum panel_status s);

struct panel {
	int64_t id, programme_id;
	char *programme_slug, *programme_name;
	bool programme_published;
	char *name;
	int places;
	bool one_per_household;
	enum panel_status status;
	size_t pool_size;
	/* the last computation; min_ppb < 0 when none */
	int64_t min_ppb, legacy_min_ppb;
	int panels_used;
	int64_t compute_ms;
	char *computed_at; /* NULL when none */
	/* the lottery (status published or drawn), else 0 / NULL */
	int tickets;
	int64_t tolerance_ppb;
	char *lottery_sha256, *published_at;
	/* the draw (status drawn), else NULL / 0 */
	char *public_number, *drawn_at;
	int drawn_ticket;
	/* the planned draw: local "YYYY-MM-DDTHH:MM" (Europe/London) and place, NULL when
	 * not planned; the roller may be NULL. MOVED_FROM_* hold the plan it last moved from
	 * after the lottery was published (else NULL); SEQUENCE counts the changes. */
	char *draw_at, *draw_place, *draw_roller;
	char *draw_moved_from_at, *draw_moved_from_place;
	int64_t draw_sequence;
	char *draw_link; /* https link to watch online, NULL when none */
	char *created_at, *updated_at;
};

/* One volunteer in a pool, for the lead's page: name and probability, never a category
 * value other than the panel's own role. */
struct panel_member {
	int64_t volunteer_id;
	char *name;
	char *stage;     /* the volunteer's stage now */
	char *public_id; /* opaque, given on joining the pool; public once published */
	char *role;      /* PANEL_ROLE_* or NULL */
	int64_t prob_ppb, legacy_ppb; /* -1 when not computed */
	char *outcome;     /* NULL, "selected" or "waiting" */
	char *selected_by; /* NULL, "draw" or "replacement" */
};

struct panel_quota {
	char *category; /* "ward", "role" or an equality category slug */
	char *value;    /* a value slug, ward code, role or PANEL_NOT_SAID */
	int min, max;
};

/* A category a panel may use, with its label. */
struct panel_category_option {
	const char *slug, *label;
};

/* ---- Access and reading ---- */

/* ACCESS_MANAGE for programme leads (and the programme's own lead), ACCESS_VIEW for a
 * facilitator of one of the programme's groups, else ACCESS_NONE (enum access in
 * access.h); or a negative DB_E* code. */
int panels_access(db *d, int64_t account_id, int role, int64_t programme_id);

/* Panels of PROGRAMME_ID (0: of every programme), newest first. Arena-owned. */
int panels_list(db *d, arena *a, int64_t programme_id, struct panel **out, size_t *n);
int panel_get(db *d, arena *a, int64_t id, struct panel *out);

/* The pool in name order, with probabilities (highest first when computed). */
int panel_pool_list(db *d, arena *a, int64_t panel_id, struct panel_member **out, size_t *n);

/* Volunteers of the panel's programme who could be in its pool (stage volunteered,
 * contacted or waiting, not merged) plus those already in it, in name order, with
 * IN_POOL set for those in it and POSSIBLE_DUPLICATE for those who share an email or
 * phone with another record not yet merged (volunteers.h). */
struct panel_candidate {
	int64_t volunteer_id;
	char *name, *stage, *role;
	bool in_pool;
	bool possible_duplicate;
};
int panel_candidates(db *d, arena *a, int64_t panel_id, struct panel_candidate **out, size_t *n);

/* The pairs of people in the pool (A's id below B's, in name order) who share an email or
 * phone and have not been merged nor marked as different people (volunteers.h): the same
 * person might be drawn twice. For the warning, with a link to compare each pair;
 * panel_publish and panel_draw refuse while there is one. */
struct panel_duplicate_pair {
	int64_t a_id, b_id;
	char *a_name, *b_name;
};
int panel_pool_duplicate_pairs(db *d, arena *a, int64_t panel_id,
			       struct panel_duplicate_pair **out, size_t *n);

/* Why a draw is refused while the pool holds possible duplicates (panel_draw). */
#define PANEL_DUPLICATES_BEFORE_DRAW                                                        \
	"Two records in the pool may be the same person, who could be chosen twice. A "      \
	"facilitator must merge them or mark them as different people before the draw."

/* Quotas in category order (as added) then value order. */
int panel_quotas_list(db *d, arena *a, int64_t panel_id, struct panel_quota **out, size_t *n);

/* The categories a quota may use for PROGRAMME_ID: ward, role, then the equality
 * categories (lived-experience flags included). Arena-owned. */
int panel_category_options(db *d, arena *a, int64_t programme_id,
			   struct panel_category_option **out, size_t *n);
/* The label of category SLUG ("Ward", "Role", "Age band"...), or SLUG. */
const char *panel_category_label(db *d, arena *a, int64_t programme_id, const char *slug);
/* The label of VALUE in CATEGORY ("Ordsall" for a ward code, "Not said"...), or VALUE. */
const char *panel_value_label(db *d, arena *a, const char *category, const char *value);

/* One sentence on where the proposed quotas for CATEGORY came from (the population
 * figures' source and date, "Illustrative figures" when they are), for the quotas page. */
const char *panel_population_note(db *d, arena *a, int64_t programme_id, const char *category);

/* How many of the pool have each value of CATEGORY: true counts for the quota form
 * (callers disclose them through core/disclosure.h before showing). Reads equality
 * values through equality_selection_values (audited), so WHO is needed. VALUES_OUT and
 * COUNTS_OUT are arena arrays of *N entries. */
int panel_pool_counts(db *d, arena *a, const struct audit_actor *who, int64_t panel_id,
		      const char *category, const char ***values_out, int64_t **counts_out,
		      size_t *n);
int panel_pool_counts_tx(db *d, arena *a, const struct audit_actor *who, int64_t panel_id,
			 const char *category, const char ***values_out, int64_t **counts_out,
			 size_t *n);

/* ---- Changes (each audited; every edit of a computed panel returns it to draft) ---- */

/* Creates a draft panel with the default pool. Errors under "name", "places" (also when
 * the places are more than the people waiting to take part). */
int panel_create(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
		 const char *name, const char *places, bool one_per_household,
		 struct field_errors *errs, int64_t *id_out);
int panel_create_tx(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
		    const char *name, const char *places, bool one_per_household,
		    struct field_errors *errs, int64_t *id_out);

/* Changes name, places and the household rule. Errors under "name", "places" (places
 * more than the pool is refused). DOMAIN_ECONFLICT once published. */
int panel_update(db *d, arena *a, const struct audit_actor *who, int64_t id, const char *name,
		 const char *places, bool one_per_household, struct field_errors *errs);

/* Replaces the pool with VOLUNTEER_IDS (each must be a candidate) and their roles
 * (ROLE_OF[i] is PANEL_ROLE_LIVED, PANEL_ROLE_PROFESSIONAL, or NULL/"" for none). Errors
 * under "pool" (empty, or fewer than the places). DOMAIN_ECONFLICT once published. */
int panel_pool_set(db *d, arena *a, const struct audit_actor *who, int64_t id,
		   const int64_t *volunteer_ids, const char *const *role_of, size_t n,
		   struct field_errors *errs);
int panel_pool_set_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
		      const int64_t *volunteer_ids, const char *const *role_of, size_t n,
		      struct field_errors *errs);

/* Adds CATEGORY (one of panel_category_options) with proposed quotas (see the rule at
 * the top), replacing any it had. Errors under "category" (also past
 * PANEL_CATEGORIES_MAX categories). */
int panel_category_add(db *d, arena *a, const struct audit_actor *who, int64_t id,
		       const char *category, struct field_errors *errs);
int panel_category_add_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
			  const char *category, struct field_errors *errs);
/* Removes CATEGORY and its quotas. */
int panel_category_remove(db *d, arena *a, const struct audit_actor *who, int64_t id,
			  const char *category);

/* The proposal for CATEGORY on panel ID without saving it: *N quotas into OUT. */
int panel_quotas_propose(db *d, arena *a, const struct audit_actor *who, int64_t id,
			 const char *category, struct panel_quota **out, size_t *n);

/* Saves edited quotas: MINS[i] and MAXS[i] as typed for the panel's i-th quota (in
 * panel_quotas_list order; N must match). Refused with a message under "min-I" or
 * "max-I" (I from 0): not a whole number, negative, min more than max, a category's
 * minima adding up to more than the places or its maxima to fewer. */
int panel_quotas_save(db *d, arena *a, const struct audit_actor *who, int64_t id,
		      const char *const *mins, const char *const *maxs, size_t n,
		      struct field_errors *errs);
int panel_quotas_save_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
			 const char *const *mins, const char *const *maxs, size_t n,
			 struct field_errors *errs);

/* Replaces the panel's quotas with those of a categories file in the Sortition
 * Foundation format (sortition_read_categories). Each category must be one the panel may
 * use. Applies whole or not at all: on DOMAIN_EINVALID, *LINES_OUT (arena) holds "Line N:
 * message" for each bad line, *N_LINES how many. */
int panel_quotas_import(db *d, arena *a, const struct audit_actor *who, int64_t id, sv text,
			const char ***lines_out, size_t *n_lines);

/* ---- Selection ---- */

/* One quota the smallest relaxation changes. For an equality category the change is
 * made coarser so that it does not tell how many in the pool gave an answer: a minimum
 * lowered to fewer than the disclosure threshold (core/disclosure.h) becomes 0, one
 * lowered to more is rounded down to a multiple of 5, and a raised maximum is rounded up
 * to a multiple of 5 (at most the places). Coarser is still a relaxation, so the quotas
 * can still be met. Wards and roles are changed exactly. */
struct panel_relax_change {
	char *category, *value;
	int min, max;         /* as set */
	int new_min, new_max; /* as relaxed */
};

struct panel_compute_outcome {
	/* set when the quotas cannot be met (DOMAIN_ECONFLICT) */
	bool infeasible;
	const char *reason; /* plain English, when the problem is malformed or unsolvable */
	struct panel_relax_change *changes;
	size_t n_changes;
};

/* Works out LEXIMIN probabilities and the greedy method's, stores them and sets status
 * computed. On quotas no panel can meet: DOMAIN_ECONFLICT with OUT->infeasible and the
 * smallest relaxation in OUT->changes (nothing stored). Other refusals (places more
 * than the pool..., or PANEL_TOO_LARGE after PANEL_TIME_LIMIT_SECONDS) are
 * DOMAIN_ECONFLICT with OUT->reason. The _tx form returns
 * DOMAIN_OK in both cases (check OUT), so the caller may still commit the audit
 * records of the equality values read. */
int panel_compute(db *d, arena *a, const struct audit_actor *who, int64_t id,
		  struct panel_compute_outcome *out);
int panel_compute_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
		     struct panel_compute_outcome *out);

/* Applies the smallest relaxation to the quotas (status back to draft). */
int panel_relax_apply(db *d, arena *a, const struct audit_actor *who, int64_t id);
int panel_relax_apply_tx(db *d, arena *a, const struct audit_actor *who, int64_t id);

/* The planned draw as typed: the date as GOV.UK day, month and year fields, the time
 * as typed (panel_time_parse), the place, who will roll the dice and a link to watch
 * online (each of the last two may be NULL or empty). */
struct panel_draw_plan {
	const char *day, *month, *year, *time, *place, *roller, *link;
};

/* Sets or changes the planned draw of panel ID. Errors under "draw_date" (not a real
 * date, or a day gone), "draw_time" (not a time panel_time_parse reads, or gone today), "draw_place" (missing or
 * longer than PANEL_DRAW_PLACE_MAX) and "draw_roller" (longer than PANEL_DRAW_ROLLER_MAX) and
 * "draw_link" (not an https address, or longer than PANEL_DRAW_LINK_MAX).
 * Does not touch the chances. Once the lottery is published a change of time or place
 * keeps the plan it moved from (for the public page) and is audited as
 * 'panel.draw_moved'; once drawn, DOMAIN_ECONFLICT. *MOVED_OUT (may be NULL) says
 * whether a published plan moved. */
int panel_draw_plan_set(db *d, arena *a, const struct audit_actor *who, int64_t id,
			const struct panel_draw_plan *in, bool *moved_out,
			struct field_errors *errs);
int panel_draw_plan_set_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
			   const struct panel_draw_plan *in, bool *moved_out,
			   struct field_errors *errs);

/* A planned local time "YYYY-MM-DDTHH:MM" as people read it, the way sessions show
 * times: "Tuesday 7 March 2023 at 6:30pm" (arena-owned; "" when AT is NULL or malformed). */
const char *panel_draw_when(arena *a, const char *at);

/* A time as people type it: "18:30", "18.30", "1830", "7pm", "6.30pm", "6:30 PM". Into
 * *MINUTES after midnight; returns 0 or -1. (core/date.h's time_parse takes "HH:MM"
 * only, as sessions store it.) */
int panel_time_parse(const char *text, int *minutes);

/* A stored UTC time ("2026-11-22T19:40:05Z", as drawn_at) as Salford's local time
 * "YYYY-MM-DDTHH:MM" (British Summer Time from the last Sunday of March to the last
 * Sunday of October), arena-owned; NULL when ISO is not such a time. */
const char *panel_local_at(arena *a, const char *iso);

/* Whether a published panel's planned draw time has come (or passed) with no draw. */
bool panel_draw_overdue(const struct panel *p);

/* Publishes the lottery of PANEL_TICKETS tickets: gives everyone in the pool a public
 * id, stores the lottery text and its hash, sets status published. With PLAN (may be
 * NULL: the plan already saved) the planned draw is set first, in the same transaction.
 * The draw must be planned in the future: else DOMAIN_EINVALID with the reason under
 * "draw_date" (and PLAN's own errors as panel_draw_plan_set gives them). The panel must
 * be computed and its pool hold no possible duplicates (panel_pool_duplicate_pairs); else
 * DOMAIN_ECONFLICT. */
int panel_publish(db *d, arena *a, const struct audit_actor *who, int64_t id,
		  const struct panel_draw_plan *plan, struct field_errors *errs);
int panel_publish_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
		     const struct panel_draw_plan *plan, struct field_errors *errs);

/* The published lottery's text, exactly as hashed (status published or drawn; else
 * DOMAIN_ENOTFOUND). Arena-owned. */
int panel_lottery_text(db *d, arena *a, int64_t id, char **text_out);

/* Draws with the public random NUMBER (dice digits 1 to 6; spaces ignored), not before the
 * planned time (error under "number": when it is planned) and not while the pool holds
 * possible duplicates (error PANEL_DUPLICATES_BEFORE_DRAW under "number"): chooses the ticket
 * (sortition_draw), marks its people selected and moves them to stage 'selected', the
 * rest of the pool to 'waiting' (each stage change recorded and audited). Errors under
 * "number". DOMAIN_ECONFLICT unless published. */
int panel_draw(db *d, arena *a, const struct audit_actor *who, int64_t id, const char *number,
	       struct field_errors *errs);
int panel_draw_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
		  const char *number, struct field_errors *errs);

/* Places open on a drawn panel: places minus the selected who have not left. */
int panel_places_open(db *d, int64_t id, int *open);

/* Fills the places open after people selected have left (stage 'left'): LEXIMIN over
 * those still waiting, with k = places open and each quota reduced by those still on the
 * panel, then one panel sampled from that distribution with fresh randomness. The people
 * chosen are marked selected (by 'replacement') and moved to stage 'selected'.
 * *CHOSEN_OUT gets how many. DOMAIN_ECONFLICT with OUT->reason or OUT->infeasible when
 * nobody can fill them. */
int panel_replace(db *d, arena *a, const struct audit_actor *who, int64_t id, int *chosen_out,
		  struct panel_compute_outcome *out);

/* ---- Interchange (Sortition Foundation formats) ---- */

/* The quotas as `category,feature,min,max` CSV into OUT. */
int panel_export_categories(db *d, arena *a, int64_t id, sbuf *out);
/* The pool as respondents CSV: `id` (the opaque public id) then one column per category
 * of the quotas with each person's value. Ward and role are given for everyone; the
 * equality categories (special-category data) only for people who agreed to a
 * programme lead seeing their answers (equality_consents, lead_view), and PANEL_NOT_SAID
 * for everyone else, since the lead can pair codes with names. Audited as
 * 'panel.export_respondents' with how many people's answers it shows. */
int panel_export_respondents(db *d, arena *a, const struct audit_actor *who, int64_t id,
			     sbuf *out);

#endif
