/* budget.h: the engagement's own budget: funding sources, budget lines, commitments and
 * actual spend, and the totals that say how much is left.
 *
 * A funding source is money given to the engagement (seed 001 §14: £30,000 each from
 * the Adult and the Children's Commissioning Committees). A programme splits it into
 * budget lines, one per source and kind of cost (venues, participant payments, ...).
 * Against a line, people record commitments (money promised: a venue booked for ten
 * sessions) and spend (money paid). A spend may settle an open commitment, which then
 * stops counting as committed for the part it settles, so nothing is counted twice.
 *
 * The arithmetic, for a line (and summed for a source, a kind or a programme):
 *   committed = what is still open of its commitments (each commitment less the spend
 *               that settles it, never below zero, less any correcting entries)
 *   spent     = its spend, correcting entries included
 *   remaining = budget - committed - spent (negative when over)
 * Amounts count net of VAT: the council recovers VAT, so the budget is net; VAT is kept
 * with each entry for finance.
 *
 * Going over: an entry that would leave a line's remaining below zero is refused (the
 * field error on "amount" says by how much) unless a programme lead approves it with a
 * reason, which is stored with the entry and audited. Exactly at budget is fine.
 *
 * Entries are never edited or deleted: a mistake is put right by a correcting entry of
 * the opposite amount that names the entry it reverses.
 *
 * Money is int64_t pence throughout (core/money.h); there is no floating point here.
 * Changes are audited in their transaction; _tx functions run inside the caller's.
 * Everything returned lives in the arena A.
 */
#ifndef DOMAIN_BUDGET_H
#define DOMAIN_BUDGET_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"
#include "db/db.h"
#include "domain/accounts.h"
#include "domain/audit.h"
#include "domain/validate.h"

#define BUDGET_NAME_MAX 200         /* bytes: a source's name or organisation */
#define BUDGET_TEXT_MAX 2000        /* bytes: conditions, a note, what an entry was for */
#define BUDGET_SHORT_MAX 100        /* bytes: supplier, reference, cost code, year */
#define BUDGET_MAX_PENCE 10000000000LL /* £100 million: more than any one amount here */
#define BUDGET_ENTRIES_MAX 2000     /* entries one list returns at most */
#define BUDGET_LINES_MAX 500        /* lines or sources one list returns at most */
#define BUDGET_MONTHS_MAX 36        /* months one spend-over-time series covers at most */

/* The kinds of cost, in the order pages show them. */
#define BUDGET_KIND_COUNT 10
/* "participant-payments", "expenses", "venues", "refreshments", "facilitation",
 * "interpreters-bsl", "childcare-carer-cover", "accessibility-support", "materials",
 * "other": the values stored and sent by forms. */
extern const char *const budget_kinds[BUDGET_KIND_COUNT];
/* "Participant payments", ..., "Interpreters and BSL", ...; "" for an unknown kind. */
const char *budget_kind_label(const char *kind);
/* The index of KIND in budget_kinds, or -1. */
int budget_kind_index(sv kind);

/* What someone may do with a programme's budget. */
enum budget_access {
	BUDGET_NONE = 0,   /* nothing: the page is not found */
	BUDGET_TOTALS = 1, /* Board members: totals per kind, no suppliers or references */
	BUDGET_RECORD = 2, /* facilitators of the programme: see it all, record within budget */
	BUDGET_MANAGE = 3, /* programme leads: lines, sources, approving overspend */
};
/* Returns an enum budget_access for the account on PROGRAMME_ID, or a negative DB_E*. */
int budget_access(db *d, int64_t account_id, enum role role, int64_t programme_id);

/* --- Funding sources --------------------------------------------------------------- */

struct budget_money {
	int64_t budget_pence, committed_pence, spent_pence, remaining_pence;
};

struct funding_source {
	int64_t id, amount_pence;
	char *name, *organisation, *financial_year, *conditions;
	char *starts_on, *ends_on; /* "YYYY-MM-DD" or NULL */
	int64_t allocated_pence;   /* given to budget lines */
	struct budget_money m;     /* over its lines: budget here is allocated_pence */
	int64_t unallocated_pence; /* amount - allocated (negative if over-allocated) */
};

/* What the form sends: every field as typed. */
struct funding_source_input {
	sv name, organisation, amount, financial_year, conditions;
	sv start_day, start_month, start_year, end_day, end_month, end_year;
};

/* Adds a source. DOMAIN_EINVALID with ERRS for a missing name, organisation or year, a
 * malformed amount, impossible dates or an end before the start; DOMAIN_ECONFLICT (and
 * an error on "name") when the name is taken. *ID (may be NULL) gets the new id. */
int funding_source_add(db *d, arena *a, const struct audit_actor *actor,
		       const struct funding_source_input *in, struct field_errors *errs,
		       int64_t *id);
int funding_source_add_tx(db *d, arena *a, const struct audit_actor *actor,
			  const struct funding_source_input *in, struct field_errors *errs,
			  int64_t *id);
/* Changes source ID as funding_source_add checks a new one; the amount cannot go below
 * what its budget lines already have (error on "amount"). DOMAIN_ENOTFOUND for an
 * unknown source. The audit log keeps the name and amount before. */
int funding_source_update(db *d, arena *a, const struct audit_actor *actor, int64_t id,
			  const struct funding_source_input *in, struct field_errors *errs);
int funding_source_update_tx(db *d, arena *a, const struct audit_actor *actor, int64_t id,
			     const struct funding_source_input *in, struct field_errors *errs);
/* Every source, by financial year then name, with its totals across all programmes. */
int funding_sources_list(db *d, arena *a, struct funding_source **out, size_t *n);
/* The source named NAME (exact), or DOMAIN_ENOTFOUND. */
int funding_source_find(db *d, const char *name, int64_t *id);

/* --- Budget lines ------------------------------------------------------------------ */

struct budget_line {
	int64_t id, programme_id, source_id;
	const char *kind;   /* one of budget_kinds (static) */
	const char *kind_label;
	char *source_name, *note, *cost_code;
	struct budget_money m;
};

struct budget_line_input {
	sv source_id, kind, amount, cost_code, note;
};

/* Adds a line to PROGRAMME_ID. DOMAIN_EINVALID with ERRS for an unknown source or kind,
 * a malformed amount, or more than the source has not yet given to other lines;
 * DOMAIN_ECONFLICT (error on "kind") when the programme already has a line of that kind
 * from that source. */
int budget_line_add(db *d, arena *a, const struct audit_actor *actor, int64_t programme_id,
		    const struct budget_line_input *in, struct field_errors *errs, int64_t *id);
int budget_line_add_tx(db *d, arena *a, const struct audit_actor *actor,
		       int64_t programme_id, const struct budget_line_input *in,
		       struct field_errors *errs, int64_t *id);
/* Changes line LINE_ID of PROGRAMME_ID: its budget (from IN->amount), cost code and
 * note (source and kind stay). DOMAIN_ENOTFOUND for a line of another programme;
 * DOMAIN_EINVALID (error on "amount") for a malformed amount, a rise beyond what the
 * source has left, or a cut below what the line has already committed and spent. The
 * audit log keeps the budget before and after. */
int budget_line_update(db *d, arena *a, const struct audit_actor *actor, int64_t programme_id,
		       int64_t line_id, const struct budget_line_input *in,
		       struct field_errors *errs);
int budget_line_update_tx(db *d, arena *a, const struct audit_actor *actor,
			  int64_t programme_id, int64_t line_id,
			  const struct budget_line_input *in, struct field_errors *errs);
/* The programme's lines in kind order then source name, each with its totals. */
int budget_lines_list(db *d, arena *a, int64_t programme_id, struct budget_line **out,
		      size_t *n);
/* For the payments module: the first line of KIND for the programme (lowest id) and its
 * cost code (arena copy, "" when none; COST_CODE may be NULL). DOMAIN_ENOTFOUND if the
 * programme has no line of that kind. */
int budget_line_find(db *d, int64_t programme_id, const char *kind, int64_t *line_id,
		     char **cost_code, arena *a);

/* --- Commitments and spend --------------------------------------------------------- */

struct budget_entry {
	int64_t id, line_id, session_id, reverses, settles;
	bool spend;            /* else a commitment */
	const char *line_kind_label;
	char *source_name;
	char *entry_date;      /* "YYYY-MM-DD" */
	char *supplier, *reference, *what_for;
	int64_t amount_pence, vat_pence;
	char *session_title, *session_date; /* NULL when not linked */
	char *over_reason, *over_approved_name; /* NULL unless approved over budget */
	char *created_by_name;
	int64_t open_pence; /* a commitment: what is still open of it */
};

/* What the record form sends, as typed. OVER_REASON counts only with APPROVE_OVER. */
struct budget_entry_input {
	sv kind; /* "commitment" or "spend" */
	sv line_id, day, month, year, supplier, amount, vat, reference, what_for;
	sv session_id; /* "" for none; else a session of the programme */
	sv settles;    /* "" for none; else an open commitment on the same line (spend only) */
	bool approve_over;
	sv over_reason;
};

/* Records a commitment or a spend on a line of PROGRAMME_ID. Refused with
 * DOMAIN_EINVALID and nothing saved for: an unknown line (or one of another programme),
 * a missing or impossible date, a spend dated after today (commitments may be later), a missing supplier (spend), a malformed or negative
 * amount or VAT, VAT above the amount, a session not of the programme, a commitment to
 * settle that is not open on that line, and an entry that would take the line over its
 * budget: then *OVER_BY (may be NULL) gets the overspend in pence and "amount" says so.
 * With MAY_APPROVE (a programme lead) and APPROVE_OVER and a reason, it is saved with
 * the approval; APPROVE_OVER without MAY_APPROVE is DOMAIN_EFORBIDDEN. */
int budget_entry_add(db *d, arena *a, const struct audit_actor *actor, int64_t programme_id,
		     bool may_approve, const struct budget_entry_input *in,
		     struct field_errors *errs, int64_t *over_by, int64_t *id);
int budget_entry_add_tx(db *d, arena *a, const struct audit_actor *actor,
			int64_t programme_id, bool may_approve,
			const struct budget_entry_input *in, struct field_errors *errs,
			int64_t *over_by, int64_t *id);

/* For the payments module, inside its transaction when a payment batch is marked paid:
 * records a spend of NET_PENCE (no VAT) on LINE_ID dated DATE_ISO ("YYYY-MM-DD"). When it
 * takes the line over budget it is refused with DOMAIN_ECONFLICT unless APPROVED_REASON
 * is non-NULL (the over-budget was already approved, e.g. "Payment batch 3 approved by
 * <lead>"), in which case it is saved with that reason and the actor as approver.
 * DOMAIN_ENOTFOUND for an unknown line, DOMAIN_EINVALID for a bad date, a negative
 * amount or an empty supplier. *ENTRY_ID may be NULL. */
int budget_spend_record_tx(db *d, arena *a, const struct audit_actor *actor, int64_t line_id,
			   const char *date_iso, int64_t net_pence, const char *supplier,
			   const char *reference, const char *what_for,
			   const char *approved_reason, int64_t *entry_id);

/* How a payment batch's spend is named, so the budget can tell it apart: the supplier,
 * and the reference "Payment batch 3". Such an entry is put right by reversing the claims
 * it paid, never on its own, or the budget and the payments would disagree. */
#define BUDGET_PAYMENTS_SUPPLIER "Participants (see the finance export)"
#define BUDGET_BATCH_REF_PREFIX "Payment batch "

/* For the payments module, inside its transaction when a paid claim is reversed: takes
 * PENCE (more than 0) off the spend that the batch named REFERENCE ("Payment batch 3")
 * booked on LINE_ID, with a correcting entry dated DATE_ISO ("YYYY-MM-DD", the reversal's
 * date) that names the spend it corrects, saying WHAT_FOR. Audited. DOMAIN_ENOTFOUND when
 * the batch booked nothing on that line; DOMAIN_ECONFLICT when the corrections would
 * come to more than the spend; DOMAIN_EINVALID for a bad date or amount. */
int budget_spend_correct_tx(db *d, arena *a, const struct audit_actor *actor, int64_t line_id,
			    const char *reference, const char *date_iso, int64_t pence,
			    const char *what_for);

/* The payment batch that booked an entry with SUPPLIER and REFERENCE (or of which it is
 * a correction), or 0 when the entry was recorded by hand. No database: the names say. */
int64_t budget_entry_batch(const char *supplier, const char *reference);

/* Records a correcting entry that cancels ENTRY_ID (of PROGRAMME_ID) in full, with
 * REASON (required). Refused with DOMAIN_EFORBIDDEN for a payment batch's spend
 * (budget_entry_batch): that is put right by reversing the claims it paid. It takes the corrected entry's date, so the month it belongs to is
 * put right; the audit log keeps when the correction was made. DOMAIN_ENOTFOUND for an unknown entry, DOMAIN_ECONFLICT if it is
 * itself a correction or already corrected, DOMAIN_EINVALID (error on "reason"). */
int budget_entry_reverse(db *d, arena *a, const struct audit_actor *actor,
			 int64_t programme_id, int64_t entry_id, sv reason,
			 struct field_errors *errs);

/* The programme's entries, newest first (at most BUDGET_ENTRIES_MAX). */
int budget_entries_list(db *d, arena *a, int64_t programme_id, struct budget_entry **out,
			size_t *n);

/* The programme's sessions one may link an entry to, newest first. */
struct budget_session {
	int64_t id;
	char *title, *date; /* date "YYYY-MM-DD" */
	char *group_name;
};
int budget_sessions_list(db *d, arena *a, int64_t programme_id,
			 struct budget_session **out, size_t *n);

/* --- Totals ------------------------------------------------------------------------ */

/* Totals per kind and overall, for the Board and its report. For the period FROM_ISO to
 * TO_ISO (inclusive "YYYY-MM-DD"; NULL for open-ended):
 *   budget    the lines' budgets (not time-bound)
 *   committed open commitments as at TO_ISO
 *   spent     spend dated in the period
 *   remaining budget - committed - everything spent up to TO_ISO
 * PROGRAMME_ID 0 means every programme. */
struct budget_totals {
	struct budget_money kinds[BUDGET_KIND_COUNT]; /* indexed as budget_kinds */
	struct budget_money all;
};
int budget_totals(db *d, arena *a, int64_t programme_id, const char *from_iso,
		  const char *to_iso, struct budget_totals *out);

/* Spend per calendar month for the programme, from its first entry's month to its last
 * (at most BUDGET_MONTHS_MAX, those ending with the latest; EARLIER says months before
 * them were left out): LABELS like "Dec 2021", SPENT and COMMITTED (commitments made that
 * month) in pence. Zero months when there are no entries. */
struct budget_months {
	size_t n;
	const char **labels;
	int64_t *spent, *committed;
	bool earlier;
};
int budget_months(db *d, arena *a, int64_t programme_id, struct budget_months *out);

/* Pure arithmetic, for tests and callers with figures in hand: how far USE_AFTER would
 * take a line of BUDGET over (0 when at or within budget). */
int64_t budget_over_by(int64_t budget_pence, int64_t use_after_pence);

#endif
