/* sortition.h: fair selection of a panel from a pool of volunteers: LEXIMIN selection
 * probabilities, the greedy method they replace, the smallest relaxation of impossible
 * quotas, a uniform lottery over m numbered tickets that anyone can re-check, and the
 * Sortition Foundation's CSV formats.
 *
 * The problem: a pool of n people, each with exactly one value in every category (gender,
 * age band, ward, role, ...). Every category value has inclusive quotas [min, max]. A
 * panel is a set of exactly k people meeting every quota and, when households are given,
 * holding at most one person per household. A selection method is a probability
 * distribution over panels; it gives each person a probability of being selected.
 *
 * LEXIMIN (Flanigan, Goelz, Gupta, Hennig and Procaccia, Nature 596, 2021) chooses the
 * distribution that makes the smallest probability as large as it can be, then the next
 * smallest, and so on. ../shared/domain/sortition.md describes the paper's method: stage
 * by stage, column generation (a linear programme over the panels found so far, and an
 * integer programme to find a better panel) fixes the probabilities of one level at a
 * time. That is still here (stages_only, and the way out below), but it is not how the
 * answer is usually found, because on pools of hundreds of people with many categories
 * each stage needs thousands of linear programmes.
 *
 * The quick way. Whatever the distribution, its probabilities meet a few linear
 * conditions: each between 0 and 1, k in all, each quota's sum between its min and max,
 * at most 1 in a household. The LEXIMIN over those conditions alone (the "relaxation")
 * takes a handful of small linear programmes and is at least as good as any real
 * distribution; so when real panels reach it, it is the LEXIMIN. To find out, it is
 * "peeled": take a panel that keeps every condition that is tight at the target tight
 * (an integer programme with those as equalities), give it the largest share that leaves
 * the rest still meeting the conditions, and repeat on the rest; each step makes one
 * more condition tight, so there are at most as many steps as conditions, and the
 * panels found are the distribution itself, with every probability within 1e-8 of the
 * target. When a step finds no panel (the conditions' corners are not all panels) or
 * the target cannot be reached, column generation takes over from the panels found, and
 * the stages after it if need be: the answer is the LEXIMIN either way.
 *
 * Why it is fast here: people with the same value in every category (and no housemate in
 * the pool) are interchangeable, and LEXIMIN gives interchangeable people the same
 * probability. So the programmes work over "types" (distinct combinations, each with a
 * count of people) and a panel is a count per type; only at the end is each panel of
 * counts turned into panels of named people, exactly preserving every probability.
 * The paper's example_large_200 (2,000 people, 3 types) then takes milliseconds, and a
 * generated 1,500-person pool with 7 categories (990 types) a few seconds; see
 * bench/README.md.
 *
 * This module is pure: no database, no web, no global state. Memory comes from the
 * caller's arena; everything returned lives until the arena is freed. GLPK's own memory
 * is freed before each function returns.
 */
#ifndef DOMAIN_SORTITION_H
#define DOMAIN_SORTITION_H
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"

/* Return codes. */
#define SORT_OK 0
#define SORT_EINFEASIBLE 1 /* no panel meets the quotas (see sortition_relax) */
#define SORT_EINVALID 2    /* the problem is malformed (ERR says how) */
#define SORT_ENOMEM 3      /* the arena is full */
#define SORT_ESOLVER 4     /* the solver failed numerically or ran out of time */
#define SORT_ETIMEOUT 5    /* P->time_limit_seconds passed before the work was done */

/* Limits that bound the work one request or one command can ask for. */
#define SORT_MAX_PEOPLE 20000
#define SORT_MAX_CATEGORIES 32
#define SORT_MAX_VALUES 256       /* values in one category */
#define SORT_MAX_PANELS_OUT 200000 /* named panels in a result's support */
#define SORT_MAX_TICKETS 100000    /* tickets in one lottery */

struct sort_category {
	const char *name;
	size_t n_values;
	const char **values;
	int *min; /* n_values inclusive quotas */
	int *max;
};

struct sort_problem {
	int k;                           /* panel size */
	size_t n_people;
	size_t n_categories;
	struct sort_category *categories;
	int *feature;          /* n_people * n_categories: value index per person per category */
	const int *household;  /* n_people household numbers, or NULL for no household rule */
	const char **person_id; /* n_people labels (the id column, or the row number) */
	/* Wall-clock seconds sortition_leximin may take, or 0 for no limit. A web request
	 * sets one so that a pool too large to work out there is refused in bounded time
	 * (and pointed to `coprod select`) instead of holding a thread for minutes. */
	double time_limit_seconds;
	/* Skip the quick way through the quotas' relaxation and find every level by
	 * column generation (for comparison and tests; the answer is the same). */
	int stages_only;
};

struct sort_result {
	double *prob;      /* n_people selection probabilities; they sum to k */
	double min_prob;   /* the smallest of them */
	size_t n_panels;   /* panels of named people in the distribution's support */
	int *panels;       /* n_panels * k person indices, each panel's in increasing order */
	double *panel_prob; /* n_panels probabilities summing to 1; panels of the same
			     * counts per type come together, so a systematic lottery keeps
			     * each person's chance close */
	double seconds;    /* wall-clock time taken */
	/* How the work went, for the summary a person running it sees. */
	size_t n_types;        /* distinct combinations of values in the pool */
	size_t n_type_panels;  /* panels of counts per type in the support */
	int stages;            /* LEXIMIN stages (each fixes some probabilities) */
	int pricing_solves;    /* integer programmes solved */
	double pricing_seconds; /* time spent in them */
	int lp_solves;         /* linear programmes solved */
	int relaxed;           /* 1 when the answer is the relaxation's LEXIMIN (see above) */
	int peel_steps;        /* panels peeled to reach it, or 0 when column generation did */
};

/* The LEXIMIN distribution for P. Returns SORT_OK and fills OUT (arena memory), or
 * SORT_EINFEASIBLE when no panel meets the quotas, SORT_EINVALID for a malformed problem
 * (k < 1, k > n, a value index out of range, min > max, negative quotas, a negative time
 * limit), SORT_ENOMEM, SORT_ESOLVER, or SORT_ETIMEOUT when P->time_limit_seconds (if
 * not 0) passed first: it is checked between solver steps and bounds each integer
 * programme, so the call returns within about a tenth of a second of the limit, with
 * OUT's counters and time filled in but no probabilities. ERR (ERRLEN bytes, may be
 * NULL) then holds a plain-English reason. Deterministic: the same problem gives the
 * same result (a time limit only decides whether there is one).
 *
 * GLPK keeps an environment per thread. When this call is the one that created it (the
 * thread had none), it is freed before returning, so a server thread that ends leaks
 * nothing; a caller with GLPK objects of its own keeps its environment. The same holds
 * for sortition_relax. */
int sortition_leximin(const struct sort_problem *p, arena *a, struct sort_result *out,
		      char *err, size_t errlen);

/* The greedy method most selections used before LEXIMIN (sortition.md section 2): RUNS
 * random draws, each restarted until it succeeds, from a generator seeded with SEED.
 * Writes each person's share of draws that selected them into PROB_OUT (n_people).
 * Returns SORT_OK, SORT_EINVALID, SORT_EINFEASIBLE (no draw succeeded in 100 * RUNS
 * attempts) or SORT_ENOMEM. Deterministic for a given SEED. */
int sortition_legacy(const struct sort_problem *p, arena *a, uint64_t seed, int runs,
		     double *prob_out);

/* The smallest change to the quotas that makes a panel possible: lowering a minimum of m
 * by one costs 1 + 2/m, raising a maximum by one costs 1 (sortition.md section 3), and the
 * total cost is made as small as it can be. MIN_OUT and MAX_OUT receive the relaxed
 * quotas, flattened in category order then value order (as many entries as there are
 * category values in all); quotas that need no change are copied as they are. Household
 * rules are kept. Returns SORT_OK, SORT_EINVALID, SORT_EINFEASIBLE (even relaxing cannot
 * help: k > n, or too few households), SORT_ENOMEM or SORT_ESOLVER. */
int sortition_relax(const struct sort_problem *p, arena *a, int *min_out, int *max_out);

/* Whether the K people in PEOPLE form a valid panel of P: distinct, in range, every quota
 * met, at most one per household. Returns 1 or 0. */
int sortition_panel_ok(const struct sort_problem *p, const int *people);

/* Rounds the distribution R to a uniform lottery over M tickets numbered 1..M: ticket j
 * (0-based index j in PANEL_OF_TICKET) is the panel R->panels[PANEL_OF_TICKET[j]].
 * Systematic rounding: ticket j takes the panel whose share of the cumulative distribution
 * holds (j + 1/2) / M, so every panel gets the floor or ceiling of M times its
 * probability. *MAX_DEVIATION receives the largest difference, over all people, between a
 * person's chance in the lottery (tickets holding them / M) and their LEXIMIN probability:
 * the tolerance to state beside the published list. Returns SORT_OK, SORT_EINVALID
 * (M < 1 or above SORT_MAX_TICKETS, or an empty result) or SORT_ENOMEM. */
int sortition_lottery(const struct sort_result *r, int k, int m, arena *a,
		      int *panel_of_ticket, double *max_deviation);

/* The canonical text of a lottery, the thing that is published and hashed. It is, with
 * "\n" line ends and no other whitespace:
 *   coprod lottery 1
 *   tickets M
 *   panel size K
 *   then one line per ticket: "<ticket number 1..M>: <id>,<id>,..."
 * where the ids are P->person_id of the ticket's panel, in the panel's order (person
 * index order). Ids must not hold commas or line breaks (SORT_EINVALID). Appends to OUT;
 * returns SORT_OK, SORT_EINVALID, or SORT_ENOMEM when OUT's limit was reached. */
int sortition_lottery_text(const struct sort_problem *p, const struct sort_result *r, int m,
			   const int *panel_of_ticket, sbuf *out);

/* SHA-256 (libsodium's crypto_hash_sha256) of LEN bytes of TEXT, as 64 lowercase hex
 * digits and a NUL in HEX. The same as `sha256sum` of the published file. */
void sortition_lottery_hash(const char *text, size_t len, char hex[65]);

/* Chooses a ticket 1..M from a public random number, such as dice rolled at a meeting,
 * deterministically and so anyone can re-check it:
 *   1. the number is normalised by dropping spaces; it must then be digits only, and have
 *      enough of them that even dice (digits 1 to 6) leave a hundred outcomes per ticket
 *      (6^digits >= 100 * M);
 *   2. S = SHA-256 of the lottery's hash (64 hex digits), "\n", and the digits;
 *   3. the ticket is 1 + (S read as a 256-bit big-endian number) mod M.
 * So `printf '%s\n%s' HASH DIGITS | sha256sum` gives S, and the result follows by hand
 * or with `python3 -c 'print(1 + int("S", 16) % M)'`. Returns the ticket, or 0 with a
 * reason in ERR (ERRLEN bytes) when the number is not acceptable. */
int sortition_draw(int m, const char *public_random, const char *list_hash_hex, char *err,
		   size_t errlen);

/* ---- The Sortition Foundation's CSV formats (sortition_files.c) ---- */

#define SORT_FILE_MAX_ERRORS 50 /* bad lines reported before giving up */

struct sort_file_error {
	int line;            /* 1-based line in the file, 0 for the file as a whole */
	const char *message; /* plain English, arena memory */
};

struct sort_file_errors {
	size_t n;
	int truncated; /* more errors than were kept */
	struct sort_file_error item[SORT_FILE_MAX_ERRORS];
};

/* Reads quotas from TEXT: a header `category,feature,min,max`, `category,name,min,max`
 * (OpenDLP; further columns such as Notes are ignored) or `feature,value,min,max,...`
 * (the Sortition Foundation library), then one line per category value. Fills
 * P->categories and P->n_categories (leaving the people alone). Each bad line is reported
 * with its number in ERRS: wrong columns, a missing or negative or non-whole number, min
 * greater than max, a value given twice. Returns SORT_OK or SORT_EINVALID (ERRS says
 * why) or SORT_ENOMEM. */
int sortition_read_categories(arena *a, sv text, struct sort_problem *p,
			      struct sort_file_errors *errs);

/* Reads the pool from TEXT: a header naming at least every category of P (already read by
 * sortition_read_categories), and one line per person. An id column (named "id" or ending
 * in "_id", case-insensitive) gives P->person_id; without one a person's id is their
 * 0-based row number. Other columns (names, contact details) are ignored. When
 * HOUSEHOLD_COLUMN is not NULL that column must exist, and people with the same
 * non-empty value in it share a household (at most one of them may be selected).
 * Each bad line is reported with its number: a value that is not one of its category's
 * values, a missing category column, too few fields. Returns SORT_OK, SORT_EINVALID or
 * SORT_ENOMEM. */
int sortition_read_respondents(arena *a, sv text, struct sort_problem *p,
			       const char *household_column, struct sort_file_errors *errs);

/* Checks what makes a pool unusable whatever the quotas: k at least 1 and at most the
 * pool (or the number of households, when there are households). Adds a line-0 error to
 * ERRS (messages in A) for each problem found; returns SORT_OK or SORT_EINVALID. Quotas
 * that cannot be met together are for sortition_leximin and sortition_relax to find. */
int sortition_check(const struct sort_problem *p, arena *a, struct sort_file_errors *errs);

/* Appends `id,probability` and one line per person (probability to 9 decimal places) to
 * OUT in CSV. */
void sortition_write_probabilities(const struct sort_problem *p, const double *prob,
				   sbuf *out);

/* Appends P's quotas (or, when MIN and MAX are not NULL, those flattened quotas instead)
 * in the `category,feature,min,max` format to OUT. */
void sortition_write_categories(const struct sort_problem *p, const int *min, const int *max,
				sbuf *out);

/* ---- The command line (sortition_cli.c) ---- */

/* `coprod select --categories FILE --respondents FILE --k N [--household-column NAME]
 *  [--legacy RUNS] [--tickets M]`: ARGV[0] is "select" and the options follow (main
 * passes argc - 1, argv + 1). Writes `id,probability` CSV to standard output and a
 * summary (minimum probability, time, panels used) to standard error. Returns 0 on
 * success, 1 on bad input (each bad line with its number), 2 when the quotas cannot be
 * met (the smallest relaxation is printed as a categories file on standard error). */
int sortition_cli(int argc, char **argv);

#endif
