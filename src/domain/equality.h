/* equality.h: equality monitoring kept apart from identity: the questions and their
 * categories, answers and consent, withdrawal, and counts in aggregate.
 *
 * Answers to the equality questions are special-category data (UK GDPR Article 9). They
 * live in equality_answers keyed only by a volunteer's opaque monitoring_ref (volunteers
 * in 0004), never by name or account. This module never hands answer rows to a page:
 *   - the person themselves may see, change or withdraw their own answers
 *     (equality_answers_own, equality_answers_save, equality_withdraw);
 *   - a programme lead may see one person's answers only with that person's recorded
 *     consent, and every such view is audited as 'equality.view' (equality_answers_view);
 *   - everything else reads counts per category value per stage (equality_counts), which
 *     callers disclose through core/disclosure.h before showing;
 *   - fair selection reads each volunteer's value inside the selection engine only
 *     (equality_selection_values), audited without the values.
 * Audit records of changes never contain the answers themselves.
 *
 * Categories and values follow Census 2021 (ethnicity: 19 categories in 5 groups; the
 * Equality Act two-step disability question; religion; sex; gender identity; sexual
 * orientation), plus age band, unpaid carer, deprivation decile and the lived-experience
 * flags a programme chooses ('lived:<flag>', values 'yes' and 'no'). Every question is
 * optional and may be answered "Prefer not to say" (stored as EQUALITY_PREFER_NOT); a
 * question left blank has no answer.
 */
#ifndef DOMAIN_EQUALITY_H
#define DOMAIN_EQUALITY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"
#include "domain/accounts.h"
#include "domain/audit.h"
#include "domain/validate.h"

#define EQUALITY_PREFER_NOT "prefer_not_to_say"
#define EQUALITY_FLAGS_MAX 8          /* lived-experience flags a programme may ask */
#define EQUALITY_FLAG_LABEL_MAX 100   /* bytes in a flag's label */
#define EQUALITY_WORDING_MAX 4000     /* bytes of lawful-basis wording */
#define EQUALITY_SELECTION_MAX 100000 /* volunteers one selection read may ask about */
/* The version of the consent wording on the form; stored with each consent. */
#define EQUALITY_CONSENT_VERSION "2026-11-v1"

struct equality_value {
	const char *slug;  /* stored, e.g. "bangladeshi" */
	const char *label; /* shown, e.g. "Bangladeshi" */
	const char *group; /* ethnicity: the slug of its ethnic_group value; else NULL */
};

struct equality_category {
	const char *slug;     /* e.g. "ethnicity", or "lived:poverty" */
	const char *label;    /* e.g. "Ethnic group" */
	const char *question; /* the question as the form asks it */
	size_t n_values;
	const struct equality_value *values; /* not counting "Prefer not to say" */
	bool derived; /* ethnic_group: worked out from ethnicity, never asked */
};

/* The fixed categories, in the order the form and the diversity page show them:
 * age_band, sex, gender_identity, sexual_orientation, ethnicity, ethnic_group,
 * disability, religion, carer, deprivation_decile. Static memory. */
const struct equality_category *equality_categories(size_t *n);

/* The fixed category with SLUG, or NULL. */
const struct equality_category *equality_category_find(const char *slug);

/* The fixed categories followed by the programme's lived-experience flags (as
 * 'lived:<flag>' with values yes/no). Arena-owned array; values of fixed categories
 * point at static memory. */
int equality_programme_categories(db *d, arena *a, int64_t programme_id,
				  const struct equality_category **out, size_t *n);

/* The label of VALUE in CATEGORY ("Prefer not to say" included), or NULL if unknown. */
const char *equality_value_label(const struct equality_category *c, const char *value);

/* The ethnic_group slug of an ethnicity slug, or NULL. */
const char *equality_ethnic_group_of(const char *ethnicity);

/* The disability value from the two-step Equality Act question: CONDITION ("yes", "no",
 * EQUALITY_PREFER_NOT or blank) and LIMITED ("a_lot", "a_little", "not_at_all",
 * EQUALITY_PREFER_NOT or blank). The second step applies only after "yes". NULL when the
 * first step is blank; "" when the answer is incomplete, contradictory or unknown (yes
 * without the second step; no with "a lot" or "a little"), which the caller turns into
 * an error rather than saving something the person did not say. */
const char *equality_disability_from(const char *condition, const char *limited);

/* The deprivation decile (1..10) of POSTCODE in the programme's imported table (any case
 * and spacing), or *DECILE = 0 when it is not there. */
int equality_postcode_decile(db *d, int64_t programme_id, const char *postcode, int *decile);

/* ---- Per-programme settings ---- */

struct equality_flag {
	const char *flag;  /* slug, e.g. "care-leaver" */
	const char *label; /* e.g. "Have you been in care (a care leaver)?" */
};

struct equality_settings {
	int64_t programme_id;
	char *lawful_basis;  /* "explicit-consent" or "dpa-sch1-para8" */
	char *basis_wording; /* shown on the form */
	struct equality_flag *flags;
	size_t n_flags;
};

/* The settings of a programme; defaults (explicit consent, standard wording, no flags)
 * when none are saved. Arena-owned. */
int equality_settings_get(db *d, arena *a, int64_t programme_id, struct equality_settings *out);

/* Standard wording for a lawful basis ("explicit-consent" or "dpa-sch1-para8"). */
const char *equality_basis_default_wording(const char *basis);

/* Saves the lawful basis, its wording (empty: the standard wording) and the flags
 * (replacing all; labels 1..EQUALITY_FLAG_LABEL_MAX bytes, slugs made from labels when
 * FLAG is empty). Validation errors go to ERRS under "lawful_basis", "basis_wording",
 * "flags". Audited as 'equality.settings'. */
int equality_settings_set_tx(db *d, arena *a, const struct audit_actor *who,
			     int64_t programme_id, const char *basis, const char *wording,
			     const struct equality_flag *flags, size_t n_flags,
			     struct field_errors *errs);
int equality_settings_set(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
			  const char *basis, const char *wording, const struct equality_flag *flags,
			  size_t n_flags, struct field_errors *errs);

/* ---- Answers ---- */

struct equality_answer {
	const char *category; /* a category slug, 'lived:<flag>' included */
	const char *value;    /* a value slug or EQUALITY_PREFER_NOT; NULL or "" = blank */
};

/* Saves one person's answers, replacing all of them (a category left blank is deleted),
 * records consent to answering (wording EQUALITY_CONSENT_VERSION) and LEAD_VIEW as
 * granted or withdrawn. Each value must be one of its category's (else DOMAIN_EINVALID
 * with the category slug as the field). A deprivation_decile of "" is derived from
 * POSTCODE via the programme's postcode table when POSTCODE is given and known.
 * The audit record ('equality.answers', entity 'equality') names the categories
 * answered, never the values. */
int equality_answers_save_tx(db *d, arena *a, const struct audit_actor *who,
			     int64_t programme_id, const char *monitoring_ref,
			     const struct equality_answer *answers, size_t n, const char *postcode,
			     bool lead_view, struct field_errors *errs);
int equality_answers_save(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
			  const char *monitoring_ref, const struct equality_answer *answers,
			  size_t n, const char *postcode, bool lead_view,
			  struct field_errors *errs);

struct equality_own {
	struct equality_answer *answers; /* arena-owned */
	size_t n;
	bool consented;  /* consent to answering granted */
	bool lead_view;  /* consent to a programme lead viewing granted */
	char *answered_at; /* latest, or NULL */
};

/* Whether the person has ever saved answers: their consent to answering is on record,
 * even when every question was left blank or the answers were later withdrawn. */
int equality_has_answered(db *d, const char *monitoring_ref, bool *out);

/* As equality_answers_save, for the link shown after volunteering, which anyone who finds
 * it (in a shared computer's history, say) could open: it saves only when the person has
 * never saved answers before (equality_has_answered), else returns DOMAIN_ECONFLICT and
 * changes nothing. The check and the save are one transaction. */
int equality_answers_save_first(db *d, arena *a, const struct audit_actor *who,
				int64_t programme_id, const char *monitoring_ref,
				const struct equality_answer *answers, size_t n,
				const char *postcode, bool lead_view, struct field_errors *errs);

/* The person's own answers, for their own page only (the caller has checked that the
 * signed-in person owns MONITORING_REF). Never for a facilitator acting for them. */
int equality_answers_own(db *d, arena *a, const char *monitoring_ref, struct equality_own *out);

/* Whether the person has any answers saved (no values): for "you have answered". */
int equality_has_answers(db *d, const char *monitoring_ref, bool *out);

/* Whether the person has agreed to a programme lead seeing their answers. */
int equality_lead_view_consented(db *d, const char *monitoring_ref, bool *out);

/* A programme lead's view of one person's answers. Without the person's consent to
 * lead_view, returns DOMAIN_EFORBIDDEN and shows nothing. With it, writes the audit
 * record 'equality.view' (entity 'equality', no values) and fills OUT. */
int equality_answers_view(db *d, arena *a, const struct audit_actor *who,
			  const char *monitoring_ref, struct equality_own *out);

/* Withdraws: deletes every answer of the person and marks both consents withdrawn, so
 * they leave every future figure. Audited as 'equality.withdraw' without values. */
int equality_withdraw_tx(db *d, arena *a, const struct audit_actor *who,
			 const char *monitoring_ref);
int equality_withdraw(db *d, arena *a, const struct audit_actor *who, const char *monitoring_ref);

/* ---- Whose answers ---- */

/* A volunteer as the equality pages need them: never with their answers. */
struct equality_subject {
	int64_t volunteer_id, programme_id, account_id; /* account 0 when not linked */
	char *monitoring_ref, *name, *programme_slug, *programme_name;
	char *postcode;   /* as they gave it, or NULL */
	char *created_at; /* when they volunteered (ISO UTC) */
};

/* The volunteer (not merged) with MONITORING_REF; DOMAIN_ENOTFOUND if none. Arena-owned. */
int equality_subject_by_ref(db *d, arena *a, const char *monitoring_ref,
			    struct equality_subject *out);
/* Volunteer VOLUNTEER_ID of PROGRAMME_ID (not merged); DOMAIN_ENOTFOUND if none. */
int equality_subject_by_id(db *d, arena *a, int64_t programme_id, int64_t volunteer_id,
			   struct equality_subject *out);
/* The volunteer records linked to ACCOUNT_ID (not merged), newest first. */
int equality_subjects_of_account(db *d, arena *a, int64_t account_id,
				 struct equality_subject **out, size_t *n);

/* The programme's volunteers (not merged) who have agreed that a programme lead may see
 * their answers, by name, at most EQUALITY_PEOPLE_MAX: names only, never answers. */
#define EQUALITY_PEOPLE_MAX 500
int equality_lead_view_people(db *d, arena *a, int64_t programme_id,
			      struct equality_subject **out, size_t *n);

/* Whether ACCOUNT_ID (with ROLE) may see a programme's equality figures: every programme
 * lead, and a facilitator who currently facilitates one of the programme's groups or
 * leads the programme. Nobody else, even where the programme's public page is open. */
int equality_may_see_figures(db *d, int64_t account_id, enum role role, int64_t programme_id,
			     bool *out);

struct equality_programme_ref {
	char *slug, *name;
};
/* The programmes whose figures ACCOUNT_ID may see (see equality_may_see_figures), by
 * name, at most 50. Arena-owned. */
int equality_programmes_visible(db *d, arena *a, int64_t account_id, enum role role,
				struct equality_programme_ref **out, size_t *n);

/* ---- Counts in aggregate ---- */

enum equality_stage {
	STAGE_VOLUNTEERED = 0, /* every volunteer of the programme not merged */
	STAGE_SELECTED,        /* selected, inducted, active, or left after being selected */
	STAGE_ATTENDED,        /* present at least once at a session of the programme's groups */
	STAGE_ACTIVE,          /* active now */
	EQUALITY_STAGES
};
const char *equality_stage_label(enum equality_stage s);
const char *equality_stage_slug(enum equality_stage s);

/* True counts of people for one category of a programme: COUNTS[value][stage] for each
 * of the category's values, then one row "prefer not to say or not answered"
 * (N_VALUES + 1 rows), and TOTALS[stage] (everyone at that stage). Arena-owned. These
 * are true counts: callers disclose them (core/disclosure.h) before they leave.
 * A category with the slug "ward" (values: ward codes) counts volunteers by their ward
 * instead of by an answer. */
struct equality_counts {
	const struct equality_category *category;
	size_t n_rows; /* category->n_values + 1 */
	int64_t (*counts)[EQUALITY_STAGES];
	int64_t totals[EQUALITY_STAGES];
};
int equality_counts(db *d, arena *a, int64_t programme_id, const struct equality_category *c,
		    struct equality_counts *out);

/* For the fair-selection engine only: VALUES_OUT[i] is volunteer VOLUNTEER_IDS[i]'s value
 * slug for CATEGORY, or NULL when not answered, "prefer not to say" or withdrawn (or
 * not a volunteer of PROGRAMME_ID). ethnic_group is derived from ethnicity. Strings are
 * arena-owned. Never display these. Writes one audit record 'equality.selection_read'
 * with the category and the number of people, no values. */
int equality_selection_values(db *d, arena *a, const struct audit_actor *actor,
			      int64_t programme_id, const char *category, size_t n,
			      const int64_t *volunteer_ids, const char **values_out);

#endif
