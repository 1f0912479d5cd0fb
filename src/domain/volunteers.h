/* volunteers.h: people who volunteer for a programme (expressions of interest), their
 * stages from volunteering to taking part, likely duplicates and merging them, and the
 * induction checklist.
 *
 * A volunteer belongs to one programme. They volunteer online through the public form
 * (consent given on the form) or a facilitator records them after meeting them in person
 * (consent given in person, with the facilitator's name). Each has a monitoring_ref: an
 * opaque random id (64 hex characters) that the equality monitoring tables use to link
 * optional answers; no equality answer is ever stored with the volunteer.
 *
 * Stages: volunteered -> contacted -> selected or waiting -> inducted -> active, and left
 * (with a reason) from any stage. Every change is kept in volunteer_stage_changes and
 * audited. Ticking the last item of the induction checklist of someone who has not yet
 * been inducted moves them to "inducted" in the same transaction.
 *
 * Duplicates: two volunteers of the same programme with the same email (ignoring case)
 * or the same phone number (digits only, +44 read as 0) are flagged, never merged
 * silently: a facilitator chooses which record to keep and the other gets merged_into.
 * Merged records drop out of lists and counts. A facilitator who finds that a flagged
 * pair are two different people (a parent and an adult child sharing a phone) marks that
 * pair as such, and it is flagged no more; anyone else with the same contact details
 * still is, and the mark can be taken back.
 *
 * Who may see volunteers: volunteer_can_manage. Functions that change data take the
 * actor WHO; *_tx forms run in the caller's transaction (the demo), the others in their
 * own. Everything returned lives in the arena A.
 */
#ifndef DOMAIN_VOLUNTEERS_H
#define DOMAIN_VOLUNTEERS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"
#include "db/db.h"
#include "domain/accounts.h"
#include "domain/audit.h"
#include "domain/validate.h"

#define VOLUNTEER_NAME_MAX    100  /* bytes */
#define VOLUNTEER_EMAIL_MAX   254
#define VOLUNTEER_PHONE_MAX   30
#define VOLUNTEER_ORG_MAX     200
#define VOLUNTEER_POSTCODE_MAX 10
#define VOLUNTEER_TEXT_MAX    2000 /* what they care about, notes, reasons */
#define VOLUNTEER_SHORT_MAX   200  /* other access needs, times note, how they heard */
#define VOLUNTEER_LIST_MAX    2000 /* rows one list returns at most */
#define VOLUNTEER_HISTORY_MAX 200

/* The version of the consent wording on the expression of interest form, stored with
 * each volunteer; change it whenever the wording changes. */
#define VOLUNTEER_CONSENT_VERSION "interest-2026-11-v1"

/* --- Stages ---------------------------------------------------------------------------- */

#define VOLUNTEER_STAGES 7
/* "volunteered", "contacted", "selected", "waiting", "inducted", "active", "left". */
extern const char *const volunteer_stages[VOLUNTEER_STAGES];
/* "Volunteered", "Contacted", "Selected", "On the waiting list", "Inducted",
 * "Taking part", "Left"; "" for anything else. */
const char *volunteer_stage_label(const char *stage);
bool volunteer_stage_valid(sv stage);

/* --- Access needs and times ------------------------------------------------------------ */

#define ACCESS_NEEDS 8
/* "interpreter", "bsl", "large-print", "easy-read", "step-free", "childcare",
 * "carer-cover", "quiet-space", with labels for forms and pages. */
extern const char *const access_need_slugs[ACCESS_NEEDS];
extern const char *const access_need_labels[ACCESS_NEEDS];
#define PREFERRED_TIMES 5
/* "weekday-mornings", "weekday-afternoons", "weekday-evenings", "saturdays", "sundays". */
extern const char *const preferred_time_slugs[PREFERRED_TIMES];
extern const char *const preferred_time_labels[PREFERRED_TIMES];
/* The label of a slug in a comma-separated list, "" if unknown. */
const char *access_need_label(sv slug);
const char *preferred_time_label(sv slug);

/* --- Induction ------------------------------------------------------------------------- */

#define INDUCTION_ITEMS 6
/* "welcome", "consent", "access_needs", "payment", "safeguarding", "travel". */
extern const char *const induction_item_slugs[INDUCTION_ITEMS];
/* "Welcome conversation", "Consent checked", "Access needs arranged", "Payment
 * preference asked", "Safeguarding information given", "Travel arranged". */
extern const char *const induction_item_labels[INDUCTION_ITEMS];

/* --- Volunteers ------------------------------------------------------------------------ */

struct volunteer {
	int64_t id, programme_id, account_id; /* account_id 0: none */
	char *name, *email, *phone, *contact_via_org; /* NULL when not given */
	char *ward_code, *ward_name, *postcode, *household_key; /* NULL when not given */
	char *cares_about, *access_needs, *access_needs_other;
	char *preferred_times, *preferred_times_note, *heard_from;
	char *consent_version, *consent_at, *consent_method; /* "online" or "in_person" */
	int64_t recorded_by;     /* 0: volunteered online */
	char *recorded_by_name;  /* NULL when recorded_by is 0 */
	char *stage, *left_reason, *stage_changed_at;
	char *monitoring_ref;
	int64_t merged_into;     /* 0: not merged */
	int64_t duplicate_of;    /* lists only: another live record with the same email or
	                          * phone (the lowest id), 0 for none */
	int induction_done;      /* lists only: induction items ticked, 0..INDUCTION_ITEMS */
	char *created_at, *updated_at;
};

/* A UK postcode as typed, in any case and spacing ("m65fx", "M6  5FX"), normalised into
 * OUT the way it is stored and looked up: upper case with exactly one space before the
 * inward code (the last three characters), "M6 5FX". The outward code must be one or two
 * letters, a digit, and at most one more digit or letter (2 to 4 characters); the inward
 * code a digit and two letters. Returns false, with OUT empty, for anything else. */
#define VOLUNTEER_POSTCODE_NORM 9 /* "AA9A 9AA" and its NUL */
bool volunteer_postcode_normalise(sv in, char out[VOLUNTEER_POSTCODE_NORM]);

/* An expression of interest as typed. Checkbox groups are given as comma-separated
 * slugs (ACCESS_NEEDS / PREFERRED_TIMES; unknown ones are refused). WARD is a ward
 * code, or "" for "not sure". CONSENT is whether the consent box was ticked. */
struct volunteer_input {
	sv name, email, phone, contact_via_org, ward, postcode, household_key;
	sv cares_about, access_needs, access_needs_other, preferred_times, preferred_times_note;
	sv heard_from;
	bool consent;
	/* volunteer_create only: the volunteer's own account (someone signed in, or the
	 * person a facilitator is acting for), so that they find the record under "About
	 * you"; 0 for none. It must exist (else DOMAIN_ENOTFOUND). */
	int64_t account_id;
};

/* Validates IN (errors on "name", "contact" — at least one of email, phone or
 * organisation —, "email", "phone", "contact_via_org", "ward", "postcode",
 * "household_key", "cares_about", "access_needs", "access_needs_other",
 * "preferred_times", "preferred_times_note", "heard_from", "consent") and creates a
 * volunteer of PROGRAMME_ID at stage "volunteered" with consent version
 * VOLUNTEER_CONSENT_VERSION and a fresh monitoring_ref, audited as "create" of entity
 * "volunteer" (the audit record holds no contact details, only the linked account's id).
 * The postcode is stored as volunteer_postcode_normalise gives it. IN_PERSON_BY (an account id,
 * 0 for none) records the facilitator who met them and took consent in person. The
 * programme must exist and be published for an online volunteer (else
 * DOMAIN_ENOTFOUND). *OUT_ID and OUT_REF (may be NULL; at least 65 bytes) receive the new
 * id and monitoring_ref. Returns DOMAIN_OK, DOMAIN_EINVALID, DOMAIN_ENOTFOUND or DB_E*. */
int volunteer_create(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
                     int64_t in_person_by, const struct volunteer_input *in,
                     struct field_errors *fe, int64_t *out_id, char *out_ref);
int volunteer_create_tx(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
                        int64_t in_person_by, const struct volunteer_input *in,
                        struct field_errors *fe, int64_t *out_id, char *out_ref);

/* The public form is limited per client address, so that a program cannot fill the
 * list with made-up people: at most VOLUNTEER_INTEREST_LIMIT forms from one address
 * within VOLUNTEER_INTEREST_WINDOW_SECONDS, counted as signin.h counts failed sign-ins.
 * Forms a facilitator records for someone met in person are not counted. */
#define VOLUNTEER_INTEREST_LIMIT 10
#define VOLUNTEER_INTEREST_WINDOW_SECONDS (60 * 60)

/* When ADDRESS (NULL: never) has sent VOLUNTEER_INTEREST_LIMIT forms within the window
 * before NOW (Unix seconds), *UNTIL is when (Unix seconds) it may send one again; else
 * 0. Addresses are counted as address_limit_bucket (signin.h) groups them: an IPv6
 * household's whole /64 together. Returns DOMAIN_OK or DB_E*. */
int volunteer_interest_limited(db *d, const char *address, int64_t now, int64_t *until);
/* Counts one form sent from ADDRESS at NOW (in its own transaction). */
int volunteer_interest_count(db *d, const char *address, int64_t now);

/* A public form for PROGRAMME_ID whose hidden field was filled in is set aside, not
 * kept; so that a real person's form lost that way (an autofill that filled the field
 * in) can be noticed, each is recorded as an audit record "interest_set_aside" of entity
 * "programme", naming nobody and holding nothing that was sent. */
#define VOLUNTEER_SET_ASIDE_DAYS 30
int volunteer_interest_set_aside(db *d, int64_t programme_id);
/* *N: forms for PROGRAMME_ID set aside in the last VOLUNTEER_SET_ASIDE_DAYS days. */
int volunteer_interest_set_aside_count(db *d, int64_t programme_id, int64_t *n);

/* Corrects the details of volunteer ID (a facilitator, after talking with them): the
 * same fields and errors as volunteer_create except consent, which stays as given.
 * Audited as "update" naming the details that changed, never their values.
 * DOMAIN_ECONFLICT for a merged record. */
int volunteer_update(db *d, arena *a, const struct audit_actor *who, int64_t id,
                     const struct volunteer_input *in, struct field_errors *fe);
int volunteer_update_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
                        const struct volunteer_input *in, struct field_errors *fe);

/* Removes the personal details of volunteer ID when they ask (the consent words promise
 * it): name becomes "Details removed", every contact and other detail is cleared, they
 * move to "left" with the reason "Asked for their details to be removed", and the
 * stage history keeps only stages, dates and who made each change. Equality answers,
 * kept elsewhere by monitoring_ref, are withdrawn by the equality module. Audited as
 * "erase" with no details. DOMAIN_ECONFLICT if already removed or merged. */
#define VOLUNTEER_ERASED_NAME "Details removed"
int volunteer_erase(db *d, arena *a, const struct audit_actor *who, int64_t id);
int volunteer_erase_tx(db *d, arena *a, const struct audit_actor *who, int64_t id);

/* True when the account may see and manage the volunteers of PROGRAMME_ID: programme
 * leads, the programme's own lead, and facilitators who currently facilitate one of the
 * programme's groups. Returns 1, 0, or a DB_E* code. */
int volunteer_can_manage(db *d, int64_t account_id, enum role role, int64_t programme_id);

/* Volunteer ID into *OUT (merged ones too). DOMAIN_ENOTFOUND if absent. */
int volunteer_get(db *d, arena *a, int64_t id, struct volunteer *out);
/* The volunteer whose monitoring_ref is REF (for the equality pages). */
int volunteer_get_by_ref(db *d, arena *a, const char *ref, struct volunteer *out);

/* The live (not merged) volunteers of PROGRAMME_ID at STAGE (NULL or "" for every
 * stage), by name, with duplicate_of and induction_done filled in, at most
 * VOLUNTEER_LIST_MAX. */
int volunteer_list(db *d, arena *a, int64_t programme_id, const char *stage,
                   struct volunteer **out, size_t *n);

/* Live volunteers of PROGRAMME_ID per stage: COUNTS[i] for volunteer_stages[i]. These
 * are operational counts for staff, not published figures. */
int volunteer_stage_counts(db *d, int64_t programme_id, int64_t counts[VOLUNTEER_STAGES]);
/* How many live volunteers of PROGRAMME_ID have a likely duplicate. */
int volunteer_duplicate_count(db *d, int64_t programme_id, int64_t *out);

/* One change of stage. */
struct volunteer_stage_change {
	char *from_stage; /* NULL for the first */
	char *to_stage, *reason, *changed_by_name, *changed_at;
};
/* The volunteer's stage history, oldest first. */
int volunteer_history(db *d, arena *a, int64_t id, struct volunteer_stage_change **out,
                      size_t *n);

/* Moves volunteer ID to STAGE with REASON (required when the stage is "left"; errors
 * on "stage" and "reason"), recorded in the history and audited as "stage". Refuses
 * (DOMAIN_EINVALID on "stage") the stage they are already at, and DOMAIN_ECONFLICT a
 * merged record. */
int volunteer_set_stage(db *d, arena *a, const struct audit_actor *who, int64_t id, sv stage,
                        sv reason, struct field_errors *fe);
int volunteer_set_stage_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
                           sv stage, sv reason, struct field_errors *fe);

/* Merges two records of one person: KEEP stays, DROP gets merged_into = KEEP and leaves
 * lists and counts. Contact details, ward, postcode and household missing from KEEP are
 * copied from DROP; induction items ticked on DROP and not on KEEP are copied too.
 * Audited as "merge" on both. DOMAIN_EINVALID if they are the same record or of
 * different programmes, DOMAIN_ECONFLICT if either is already merged. */
int volunteer_merge(db *d, arena *a, const struct audit_actor *who, int64_t keep, int64_t drop);
int volunteer_merge_tx(db *d, arena *a, const struct audit_actor *who, int64_t keep,
                       int64_t drop);

/* --- Different people who share contact details ---------------------------------------- */

/* SQL for queries here and in other modules (panels.c), so that every list, count and
 * pool agrees on who is a possible duplicate. V and O are table aliases of volunteers,
 * as string literals ("v", "o").
 *
 * VOLUNTEER_SAME_CONTACT: the two records have the same email or phone key.
 * VOLUNTEER_DUPLICATE_PAIR: O is a live record other than V with the same contact
 * details, and nobody marked the two as different people (volunteer_mark_different).
 * VOLUNTEER_HAS_DUPLICATE: V has such a record in its programme (V's own merged_into
 * is for the caller to check). */
#define VOLUNTEER_SAME_CONTACT(V, O)                                                         \
	"((" V ".email_key IS NOT NULL AND " O ".email_key = " V ".email_key) OR (" V          \
	".phone_key IS NOT NULL AND " O ".phone_key = " V ".phone_key))"
#define VOLUNTEER_DUPLICATE_PAIR(V, O)                                                       \
	"(" O ".id <> " V ".id AND " O ".merged_into IS NULL AND " VOLUNTEER_SAME_CONTACT(V, O) \
	" AND NOT EXISTS (SELECT 1 FROM volunteer_not_duplicates nd WHERE (nd.low_id = " V     \
	".id AND nd.high_id = " O ".id) OR (nd.low_id = " O ".id AND nd.high_id = " V ".id)))"
#define VOLUNTEER_HAS_DUPLICATE(V)                                                           \
	"EXISTS (SELECT 1 FROM volunteers dup WHERE dup.programme_id = " V ".programme_id AND " \
	VOLUNTEER_DUPLICATE_PAIR(V, "dup") ")"

/* One pair marked as different people, seen from one of its records. */
struct volunteer_not_duplicate {
	int64_t other_id;
	char *other_name;
	bool other_merged;    /* the other record has since been merged into another */
	char *note;           /* "" for none */
	char *marked_by_name; /* NULL when nobody signed in marked it */
	char *marked_at;
};

/* Records that volunteers A and B (in either order), flagged as possible duplicates
 * because they share an email or phone, are two different people, with an optional
 * NOTE of at most VOLUNTEER_SHORT_MAX bytes (error on "note"), WHO and the time. The pair
 * stops being flagged; each of them is still flagged with anyone else who has the same
 * details. Audited as "not_duplicate" on both records, naming the other (the note stays
 * in its table, where removing either person's details clears it). DOMAIN_EINVALID for
 * the same record, records of different programmes or a note too long;
 * DOMAIN_ECONFLICT if either is merged, they do not share an email or phone, or the pair
 * is already marked; DOMAIN_ENOTFOUND if either does not exist. */
int volunteer_mark_different(db *d, arena *a, const struct audit_actor *who, int64_t a_id,
                             int64_t b_id, sv note, struct field_errors *fe);
int volunteer_mark_different_tx(db *d, arena *a, const struct audit_actor *who, int64_t a_id,
                                int64_t b_id, sv note, struct field_errors *fe);

/* Takes the mark back: A and B are flagged as possible duplicates again (if they still
 * share details). Audited as "duplicate_again" on both. DOMAIN_ENOTFOUND if the pair is
 * not marked. */
int volunteer_unmark_different(db *d, arena *a, const struct audit_actor *who, int64_t a_id,
                               int64_t b_id);
int volunteer_unmark_different_tx(db *d, arena *a, const struct audit_actor *who,
                                  int64_t a_id, int64_t b_id);

/* The pairs with volunteer ID marked as different people, newest first, at most
 * VOLUNTEER_HISTORY_MAX. */
int volunteer_not_duplicates(db *d, arena *a, int64_t id, struct volunteer_not_duplicate **out,
                             size_t *n);

/* The names of the published panels (lottery public, not yet drawn) whose pool holds
 * both A_ID and B_ID, by name, as an arena array *OUT of *N (NULL and 0 for none): taking
 * back a "different people" mark for such a pair leaves the panel's lead a possible
 * duplicate to resolve before the draw. */
int volunteer_published_panels_with(db *d, arena *a, int64_t a_id, int64_t b_id, char ***out,
                                    size_t *n);

/* What two records share, as VOLUNTEER_SHARE_* bits (0: neither), compared as duplicates
 * are found (volunteer_email_key, volunteer_phone_key). */
#define VOLUNTEER_SHARE_EMAIL 1u
#define VOLUNTEER_SHARE_PHONE 2u
unsigned volunteer_shared_contact(arena *a, const struct volunteer *x, const struct volunteer *y);

/* --- The induction checklist ----------------------------------------------------------- */

struct induction_item {
	const char *slug, *label;
	bool done;
	char *done_at, *done_by_name; /* NULL when not done */
	const char *note;            /* "" for none */
};

/* The six items of volunteer ID, in the order of induction_item_slugs. */
int induction_get(db *d, arena *a, int64_t id, struct induction_item out[INDUCTION_ITEMS]);

/* Saves the checklist: DONE[i] and NOTE[i] for induction_item_slugs[i] (notes of at most
 * VOLUNTEER_SHORT_MAX bytes: errors on "note-<slug>"). Items newly ticked get the time
 * and WHO; unticked ones lose them. Audited as "induction". When every item is ticked and
 * the volunteer is at volunteered, contacted, selected or waiting, they move to
 * "inducted" (history reason "Induction checklist complete"); *INDUCTED (may be NULL)
 * says whether that happened. DOMAIN_ECONFLICT for a merged record. */
int induction_save(db *d, arena *a, const struct audit_actor *who, int64_t id,
                   const bool done[INDUCTION_ITEMS], const sv note[INDUCTION_ITEMS],
                   struct field_errors *fe, bool *inducted);
int induction_save_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
                      const bool done[INDUCTION_ITEMS], const sv note[INDUCTION_ITEMS],
                      struct field_errors *fe, bool *inducted);

/* Who is waiting on what: the live volunteers of PROGRAMME_ID at contacted, selected or
 * waiting whose checklist is not complete, by name, with MISSING[i] true for each item
 * not yet ticked. */
struct induction_waiting {
	int64_t id;
	char *name, *stage;
	bool missing[INDUCTION_ITEMS];
	int done;
};
int induction_waiting_list(db *d, arena *a, int64_t programme_id,
                           struct induction_waiting **out, size_t *n);

/* Normalised forms used to find duplicates, arena-owned; NULL when nothing is left
 * ("" or no digits). */
char *volunteer_email_key(arena *a, sv email);
char *volunteer_phone_key(arena *a, sv phone);

#endif
