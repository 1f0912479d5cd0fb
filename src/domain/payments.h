/* payments.h: paying participants fairly for their time and expenses.
 *
 * A programme's payment policy says what a local person is paid: a rate per hour or per
 * session for attending, preparation time by the hour, fixed amounts for extra roles
 * (co-chair, speaking at the Board), and expenses at cost with a receipt reference. A
 * policy is never edited: a change is a new version from a later start date, and a claim
 * uses the version in force on its session's date.
 *
 * Before choosing how to be paid, a person is shown a notice (payments and vouchers count
 * as income for benefits and tax; expenses do not; they may decline, take less, or have
 * it paid to a charity). The choice, its date and the notice's version are kept; the
 * latest choice is the one in force. Bank details are never stored: finance holds them
 * and matches them to the person's reference ("CP-000042").
 *
 * Claims come from attendance: for each local person marked present at a session of the
 * programme's groups, coprod proposes what they are owed under the policy in force on the
 * session's date. A facilitator reviews and submits it (hours, preparation, extra roles,
 * expenses); a programme lead who did not submit it approves it or returns it with a
 * reason. Approved claims go into a batch for finance (CSV and XLSX); marking the batch
 * paid closes its claims and records the spend against the programme's budget. A paid
 * claim is never edited: a lead reverses it with a reason, which records a correcting
 * entry of the opposite amounts.
 *
 * Money is int64_t pence throughout (core/money.h); time is whole minutes. Every change
 * is audited in the same transaction. Functions ending in _tx run inside a transaction
 * the caller holds; the others open their own. Returned structs and strings live in the
 * arena A.
 */
#ifndef DOMAIN_PAYMENTS_H
#define DOMAIN_PAYMENTS_H
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/str.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/validate.h"

/* The version of the benefits and tax notice shown before a person chooses. Raise it
 * when the notice's wording changes, so each choice says which wording was read. */
#define PAY_NOTICE_VERSION   1
#define PAY_AMOUNT_MAX_PENCE 1000000   /* £10,000: no one amount in a claim or policy is more */
#define PAY_MINUTES_MAX      (12 * 60) /* hours of a session or of preparation */
#define PAY_ROLES_MAX        6         /* extra roles in one policy */
#define PAY_TEXT_MAX         2000      /* bytes of expenses rules, a reason or a charity */
#define PAY_REF_MAX          100       /* bytes of a receipt reference */
#define PAY_LIST_MAX         500       /* rows one list call returns at most */
#define PAY_MONTHS_MAX       36        /* months in the payments picture */

/* --- Arithmetic (no database) ------------------------------------------------------- */

/* MINUTES at RATE_PENCE an hour, rounded to the nearest penny (halves up). */
int64_t pay_hours_amount(int64_t minutes, int64_t rate_pence);
/* Parses hours as people type them ("2", "1.5", "0.75", "2:30") into whole minutes
 * (rounded to the nearest minute). 0 or -1 for anything else: empty, negative, more than
 * two decimals, or more than PAY_MINUTES_MAX. */
int pay_hours_parse(sv s, int64_t *minutes);
/* Appends minutes as hours for a form or a page: "2", "1.5", "0.75", "1.33". */
void pay_hours_format(sbuf *b, int64_t minutes);
/* The tax year (6 April to 5 April) that DAY falls in. */
void pay_tax_year(struct date day, struct date *start, struct date *end);
/* "YYYY-MM-DD" of T into OUT. */
void pay_date_iso(struct date t, char out[11]);
/* The person's reference finance matches to the bank details it holds: "CP-000042". */
char *pay_person_ref(arena *a, int64_t account_id);

/* --- Access --------------------------------------------------------------------------- */

/* What ACCOUNT_ID (with ROLE, a bit of enum role) may do with PROGRAMME_ID's money:
 * PAY_ACCESS_LEAD for programme leads (everything, and approving), PAY_ACCESS_FACILITATOR
 * for a current facilitator of one of its groups (claims, choices), PAY_ACCESS_NONE
 * otherwise; or a negative DB_E* code. */
enum pay_access { PAY_ACCESS_NONE = 0, PAY_ACCESS_FACILITATOR = 1, PAY_ACCESS_LEAD = 2 };
int pay_access(db *d, int64_t account_id, unsigned role, int64_t programme_id);

/* --- Policy --------------------------------------------------------------------------- */

struct pay_role {
	int64_t id;
	char *name;
	int64_t amount_pence;
};

struct pay_policy {
	int64_t id, programme_id, version;
	char *starts_on; /* YYYY-MM-DD */
	char *rate_kind; /* "hour" or "session" */
	int64_t rate_pence;
	int64_t prep_max_minutes, prep_rate_pence; /* 0 minutes: preparation is not paid */
	char *expenses_rules;
	struct pay_role *roles;
	size_t n_roles;
	char *created_by_name, *created_at;
};

/* A new version, as typed on the form. Each role row is a name and an amount; rows with
 * both empty are skipped. */
struct pay_policy_in {
	int64_t programme_id;
	sv day, month, year; /* starts on */
	sv rate_kind, rate, prep_hours, prep_rate, expenses_rules;
	sv role_name[PAY_ROLES_MAX], role_amount[PAY_ROLES_MAX];
};

/* Adds the next version. Refused (DOMAIN_EINVALID, with FE) for a bad date, a start on
 * or before the latest version's start or on or before the date of any session that
 * already has a claim (claims keep the rates they were made under), a rate kind other than hour or session, a
 * malformed, negative or too large amount, hours out of range, or a role without a name
 * or amount. Fields: starts (date), rate_kind, rate, prep_hours, prep_rate,
 * expenses_rules, role_name_N / role_amount_N (N from 1). */
int pay_policy_add(db *d, arena *a, const struct audit_actor *who, const struct pay_policy_in *in,
                   struct field_errors *fe, int64_t *id);
int pay_policy_add_tx(db *d, arena *a, const struct audit_actor *who,
                      const struct pay_policy_in *in, struct field_errors *fe, int64_t *id);
/* Version POLICY_ID with its roles; DOMAIN_ENOTFOUND if there is none. */
int pay_policy_get(db *d, arena *a, int64_t policy_id, struct pay_policy *out);
/* Every version of PROGRAMME_ID's policy, newest first, with its roles. */
int pay_policy_list(db *d, arena *a, int64_t programme_id, struct pay_policy **out, size_t *n);
/* The version in force on DATE_ISO (the latest starting on or before it), with its
 * roles; DOMAIN_ENOTFOUND when none had started. */
int pay_policy_in_force(db *d, arena *a, int64_t programme_id, const char *date_iso,
                        struct pay_policy *out);

/* --- Choices -------------------------------------------------------------------------- */

/* "bank-transfer", "voucher", "cash", "charity", "decline" -> "Bank transfer", ...; ""
 * for anything else. */
const char *pay_method_label(const char *method);
bool pay_method_valid(sv method);

struct pay_choice {
	int64_t id, account_id;
	char *method, *charity_name, *chosen_at;
	int64_t recorded_by; /* who pressed the button: the person, or a facilitator */
	char *recorded_by_name;
	int64_t notice_version;
};

/* Records ACCOUNT_ID's choice (who->account_id is the person or the facilitator acting
 * for them). Refused for an unknown method, or 'charity' without the charity's name
 * (fields: method, charity_name). */
int pay_choice_record(db *d, arena *a, const struct audit_actor *who, int64_t account_id, sv method,
                      sv charity_name, struct field_errors *fe);
int pay_choice_record_tx(db *d, arena *a, const struct audit_actor *who, int64_t account_id,
                         sv method, sv charity_name, struct field_errors *fe);
/* ACCOUNT_ID's name (arena copy) when they are a local person who is, or was, a member of
 * one of PROGRAMME_ID's groups: someone a facilitator of the programme may record a
 * choice for. DOMAIN_ENOTFOUND otherwise. */
int pay_programme_person(db *d, arena *a, int64_t programme_id, int64_t account_id, char **name);
/* The local people who are, or were, members of PROGRAMME_ID's groups, by name, each
 * with the choice in force (method "" when they have not chosen), at most PAY_LIST_MAX. */
struct pay_person {
	int64_t account_id;
	char *name, *method, *charity_name, *chosen_at;
};
int pay_programme_people(db *d, arena *a, int64_t programme_id, struct pay_person **out, size_t *n);
/* The choice in force; DOMAIN_ENOTFOUND when they have not chosen. */
int pay_choice_current(db *d, arena *a, int64_t account_id, struct pay_choice *out);

/* --- Claims --------------------------------------------------------------------------- */

struct pay_item {
	char *kind; /* attendance, preparation, role, expense */
	char *description;
	int64_t minutes;
	char *expense_kind; /* travel, care, other; NULL unless an expense */
	char *receipt_ref;
	int64_t amount_pence;
};

struct pay_claim {
	int64_t id, account_id, session_id, programme_id, policy_id, policy_version;
	char *person_name, *person_ref;
	char *session_title, *session_date; /* YYYY-MM-DD */
	char *programme_slug;
	char *status, *method, *charity_name;
	int64_t payment_pence, expenses_pence; /* payment is income; expenses are not */
	int64_t submitted_by, approved_by;
	char *submitted_by_name, *submitted_at, *approved_by_name, *approved_at;
	char *returned_by_name, *returned_reason;
	int64_t batch_id;
	char *paid_on;                       /* the batch's paid date, or NULL */
	char *reversal_reason, *reversed_on; /* NULL unless reversed */
	struct pay_item *items;              /* pay_claim_get only */
	size_t n_items;
};

/* What coprod proposes for one local person present at one session without a claim. */
struct pay_proposal {
	int64_t account_id, session_id;
	char *person_name, *session_title, *session_date;
	int64_t minutes;        /* the session's length */
	int64_t policy_version; /* 0: no policy in force on that date */
	int64_t payment_pence;
	char *method;  /* the choice in force, "" when none */
	bool declined; /* they chose not to be paid: only expenses can be claimed */
};

/* Every proposal for PROGRAMME_ID, newest session first, at most PAY_LIST_MAX. A session
 * with any claim is not proposed again, a reversed one included: a reversal means the
 * money should not have been paid (paid twice, or in cash), and when it only put a wrong
 * amount right, a new claim is made from the reversed claim's page. */
int pay_proposals(db *d, arena *a, int64_t programme_id, struct pay_proposal **out, size_t *n);
/* The proposal for one person and session, even if declined; DOMAIN_ENOTFOUND unless
 * they are a local person marked present at a session of PROGRAMME_ID. */
int pay_proposal_get(db *d, arena *a, int64_t programme_id, int64_t account_id, int64_t session_id,
                     struct pay_proposal *out);

/* A claim as a facilitator submits it. Role rows are the policy's role ids ticked. */
struct pay_claim_in {
	int64_t account_id, session_id;
	sv hours, prep_hours;
	int64_t role_ids[PAY_ROLES_MAX];
	size_t n_roles;
	sv travel, travel_receipt, care, care_receipt;
};

/* Creates and submits a claim of PROGRAMME_ID. Refused with DOMAIN_EINVALID and FE for:
 * a person not marked present at the session (field "session"), a second live claim for
 * the same person and session ("session"), no policy in force ("session"), a person who
 * has not chosen how to be paid ("session"), a person who chose to decline payment but
 * gave no expenses ("travel": for them a claim is expenses only), malformed or negative
 * hours or amounts (hours, prep_hours, travel, care), preparation beyond the policy's
 * limit, an expense without a receipt reference (travel_receipt, care_receipt), a role
 * not in the policy (roles). */
int pay_claim_submit(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
                     const struct pay_claim_in *in, struct field_errors *fe, int64_t *id);
int pay_claim_submit_tx(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
                        const struct pay_claim_in *in, struct field_errors *fe, int64_t *id);
/* Corrects and resubmits a claim that was returned (or is still submitted): its parts
 * are replaced, priced under the policy version it was first made under (not a later
 * one). Its submitter stays whoever first submitted it; a correction by someone else
 * (a lead putting a facilitator's claim right) is audited as "correct", and does not
 * stop that person approving it. DOMAIN_ECONFLICT once it is approved, batched, paid or reversed. */
int pay_claim_resubmit(db *d, arena *a, const struct audit_actor *who, int64_t claim_id,
                       const struct pay_claim_in *in, struct field_errors *fe);
/* Approves a submitted claim. DOMAIN_EFORBIDDEN when the approver submitted it or is the
 * person paid; DOMAIN_ECONFLICT unless it is submitted. */
int pay_claim_approve(db *d, arena *a, const struct audit_actor *who, int64_t claim_id);
int pay_claim_approve_tx(db *d, arena *a, const struct audit_actor *who, int64_t claim_id);
/* Returns a submitted claim to the facilitator with REASON (field "reason", required). */
int pay_claim_return(db *d, arena *a, const struct audit_actor *who, int64_t claim_id, sv reason,
                     struct field_errors *fe);
int pay_claim_return_tx(db *d, arena *a, const struct audit_actor *who, int64_t claim_id, sv reason,
                        struct field_errors *fe);
/* Reverses a paid claim with REASON (field "reason"): a correcting entry of the opposite
 * amounts dated today. DOMAIN_ECONFLICT unless it is paid. */
int pay_claim_reverse(db *d, arena *a, const struct audit_actor *who, int64_t claim_id, sv reason,
                      struct field_errors *fe);
int pay_claim_reverse_tx(db *d, arena *a, const struct audit_actor *who, int64_t claim_id,
                         const char *reversed_on, sv reason, struct field_errors *fe);

/* One claim with its parts; DOMAIN_ENOTFOUND if there is none. */
int pay_claim_get(db *d, arena *a, int64_t claim_id, struct pay_claim *out);
/* PROGRAMME_ID's claims (STATUS NULL for all, else one status), newest session first,
 * without their parts, at most PAY_LIST_MAX. */
int pay_claims_list(db *d, arena *a, int64_t programme_id, const char *status,
                    struct pay_claim **out, size_t *n);
/* ACCOUNT_ID's own claims that have been submitted, across programmes, newest first. */
int pay_claims_of(db *d, arena *a, int64_t account_id, struct pay_claim **out, size_t *n);
/* The claims of batch BATCH_ID, by person reference then session date. */
int pay_batch_claims(db *d, arena *a, int64_t batch_id, struct pay_claim **out, size_t *n);

/* --- Batches -------------------------------------------------------------------------- */

struct pay_batch {
	int64_t id, programme_id;
	char *programme_slug, *programme_name;
	char *created_by_name, *created_at;
	char *paid_on, *paid_by_name;         /* NULL until paid */
	char *exported_at, *exported_by_name; /* the first download for finance, or NULL */
	int64_t n_claims, payment_pence, expenses_pence;
};

/* Puts every approved claim of PROGRAMME_ID into a new batch. DOMAIN_ECONFLICT when
 * there is none. */
int pay_batch_create(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
                     int64_t *id);
int pay_batch_create_tx(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
                        int64_t *id);
int pay_batch_get(db *d, arena *a, int64_t batch_id, struct pay_batch *out);
/* PROGRAMME_ID's batches, newest first. */
int pay_batches_list(db *d, arena *a, int64_t programme_id, struct pay_batch **out, size_t *n);
/* Marks a batch paid on the date typed (fields "paid_on"; not in the future, nor before
 * the batch was made or before the last of its sessions), closing
 * its claims, and records its payments and expenses as spend on the programme's
 * 'participant-payments' and 'expenses' budget lines (when it has them).
 * DOMAIN_ECONFLICT if it was already paid. A spend that takes a line over its budget is
 * refused (field "over_reason") unless OVER_REASON explains why it is approved. */
int pay_batch_mark_paid(db *d, arena *a, const struct audit_actor *who, int64_t batch_id, sv day,
                        sv month, sv year, sv over_reason, struct field_errors *fe);
int pay_batch_mark_paid_tx(db *d, arena *a, const struct audit_actor *who, int64_t batch_id,
                           const char *paid_on, sv over_reason, struct field_errors *fe);

/* Records that WHO downloaded batch BATCH_ID for finance as FORMAT ("csv" or "xlsx"):
 * every download is audited (personal data leaving coprod), and the first one is kept on
 * the batch as when it was sent to finance. DOMAIN_ENOTFOUND for no such batch. */
int pay_batch_exported(db *d, arena *a, const struct audit_actor *who, int64_t batch_id,
                       const char *format);

/* The finance export of a batch: one row per claim with batch id, person reference,
 * session date, payment, expenses and total in pounds with two decimals, method, charity,
 * cost code, then a totals row. Names are left out: finance matches the reference to the
 * bank details it holds. CSV into OUT (payments_export.c); XLSX bytes into OUT
 * (xlsx_export.c, through a temporary file under $TMPDIR). */
int pay_batch_csv(db *d, arena *a, int64_t batch_id, sbuf *out);
int pay_batch_xlsx(db *d, arena *a, int64_t batch_id, sbuf *out);

/* --- Totals and the picture ------------------------------------------------------------ */

enum pay_status {
	PAY_DRAFT,
	PAY_SUBMITTED,
	PAY_RETURNED,
	PAY_APPROVED,
	PAY_BATCHED,
	PAY_PAID,
	PAY_REVERSED,
	PAY_STATUS_COUNT
};
/* "draft", ... "reversed" and back; -1 for an unknown status. */
const char *pay_status_slug(enum pay_status s);
const char *pay_status_label(const char *status);
int pay_status_parse(const char *s);

struct payments_totals {
	int64_t paid_pence;     /* payments paid in the period, less reversals in it */
	int64_t expenses_pence; /* expenses likewise */
	int64_t claims_by_status[PAY_STATUS_COUNT]; /* claims of sessions in the period */
	int64_t people_paid; /* TRUE count of people with a paid claim: disclose it */
};

/* Totals for PROGRAMME_ID (0 = all) between FROM_ISO and TO_ISO inclusive (dates
 * YYYY-MM-DD; payments by the date their batch was paid, reversals by their date,
 * claims by their session's date). */
int payments_totals(db *d, arena *a, int64_t programme_id, const char *from_iso, const char *to_iso,
                    struct payments_totals *out);

/* Payments and expenses paid per month for PROGRAMME_ID, from the first month anything
 * was paid or reversed to the last (at most PAY_MONTHS_MAX, those ending with the latest;
 * *EARLIER, which may be NULL, is then set to say months before them were left out),
 * less reversals. MONTHS[i] is "YYYY-MM"; *N is 0 when nothing was paid. */
int pay_monthly(db *d, arena *a, int64_t programme_id, char ***months, int64_t **pence, size_t *n,
                bool *earlier);

/* A person's payments in the tax year containing TODAY_ISO: payment (income) and
 * expenses paid, less reversals made in that year (counted as payments_totals counts
 * them: a payment in the year finance paid it, its reversal in the year it was
 * reversed), and the most paid for sessions in any one week, not counting reversed
 * claims (for the ESA permitted work limit). */
struct pay_year {
	struct date start, end;
	int64_t payment_pence, expenses_pence, max_week_pence;
};
int pay_year_of(db *d, int64_t account_id, const char *today_iso, struct pay_year *out);

#endif
