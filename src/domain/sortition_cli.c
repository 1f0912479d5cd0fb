/* sortition_cli.c: `coprod select`, LEXIMIN selection probabilities from the Sortition
 * Foundation's CSV files, for comparing coprod with other tools; see sortition.h. */
#include "domain/sortition.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "core/str.h"

#define CLI_ARENA_MAX ((size_t)4 << 30) /* 4 GiB: more than any pool within the limits */
#define CLI_FILE_MAX ((size_t)256 << 20) /* 256 MiB per input file */
#define CLI_OUT_MAX ((size_t)64 << 20)
#define CLI_LEGACY_SEED 20211201u

static const char select_usage[] =
	"usage: coprod select --categories FILE --respondents FILE --k N\n"
	"                     [--household-column NAME] [--legacy RUNS] [--tickets M]\n"
	"                     [--stages-only]\n"
	"\n"
	"Computes each volunteer's LEXIMIN selection probability for a panel of N places.\n"
	"  --categories FILE      quotas: category,feature,min,max (or category,name,min,max)\n"
	"  --respondents FILE     the pool: one column per category, optionally an id column\n"
	"  --k N                  the number of places on the panel\n"
	"  --household-column NAME\n"
	"                         at most one person from each value of this column\n"
	"  --legacy RUNS          also estimate the greedy method's probabilities from RUNS\n"
	"                         draws and compare the minimums\n"
	"  --tickets M            also round to a lottery of M tickets and report its\n"
	"                         tolerance and SHA-256\n"
	"  --stages-only          find every level by column generation, without the quick\n"
	"                         way through the quotas' relaxation (same answer; slower)\n"
	"Writes id,probability to standard output and a summary to standard error.\n"
	"Exit status: 0 done, 1 bad input, 2 the quotas cannot be met (the smallest change\n"
	"that would make them possible is shown).\n";

/* Reads the whole of PATH into the arena. Returns 0, or -1 after saying why. */
static int read_file(arena *a, const char *path, sv *out)
{
	FILE *f = fopen(path, "rb");
	sbuf b;
	char chunk[65536];
	size_t got;
	if (!f) {
		fprintf(stderr, "coprod select: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	sbuf_init(&b, a, CLI_FILE_MAX);
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		sbuf_add(&b, chunk, got);
	if (ferror(f)) {
		fprintf(stderr, "coprod select: cannot read %s\n", path);
		fclose(f);
		return -1;
	}
	fclose(f);
	if (b.err) {
		fprintf(stderr, "coprod select: %s is too large (at most %zu MiB)\n", path,
			CLI_FILE_MAX >> 20);
		return -1;
	}
	*out = sbuf_sv(&b);
	return 0;
}

static void print_errors(const char *path, const struct sort_file_errors *errs)
{
	size_t i;
	for (i = 0; i < errs->n; i++) {
		if (errs->item[i].line > 0)
			fprintf(stderr, "coprod select: %s line %d: %s\n", path, errs->item[i].line,
				errs->item[i].message);
		else
			fprintf(stderr, "coprod select: %s: %s\n", path, errs->item[i].message);
	}
	if (errs->truncated)
		fprintf(stderr, "coprod select: %s: more errors not shown\n", path);
}

static long peak_memory_kib(void)
{
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return -1;
	return ru.ru_maxrss;
}

/* The quotas cannot be met: say so and show the smallest relaxation. */
static int report_infeasible(const struct sort_problem *p, arena *a)
{
	size_t total = 0, c, v, f = 0;
	int *mn, *mx, rc;
	sbuf b;
	for (c = 0; c < p->n_categories; c++)
		total += p->categories[c].n_values;
	mn = arena_calloc(a, total + 1, sizeof(int));
	mx = arena_calloc(a, total + 1, sizeof(int));
	if (!mn || !mx)
		return 1;
	fprintf(stderr, "coprod select: no panel of %d can meet every quota.\n", p->k);
	rc = sortition_relax(p, a, mn, mx);
	if (rc != SORT_OK) {
		fprintf(stderr, "coprod select: and no change to the quotas alone would help\n");
		return 2;
	}
	fprintf(stderr, "The smallest change to the quotas that makes a panel possible:\n");
	for (c = 0; c < p->n_categories; c++) {
		const struct sort_category *cat = &p->categories[c];
		for (v = 0; v < cat->n_values; v++, f++) {
			if (mn[f] != cat->min[v])
				fprintf(stderr, "  %s, %s: lower the minimum from %d to %d\n",
					cat->name, cat->values[v], cat->min[v], mn[f]);
			if (mx[f] != cat->max[v])
				fprintf(stderr, "  %s, %s: raise the maximum from %d to %d\n",
					cat->name, cat->values[v], cat->max[v], mx[f]);
		}
	}
	sbuf_init(&b, a, CLI_OUT_MAX);
	sortition_write_categories(p, mn, mx, &b);
	fprintf(stderr, "The relaxed quotas as a categories file:\n%s", b.buf);
	return 2;
}

/* The greedy method's minimum beside LEXIMIN's, and how many it treats worse. */
static void report_legacy(const struct sort_problem *p, arena *a, int runs,
			  const struct sort_result *r)
{
	double *lp = arena_calloc(a, p->n_people, sizeof(double)), lmin = 1.0;
	size_t i, below = 0;
	if (!lp || sortition_legacy(p, a, CLI_LEGACY_SEED, runs, lp) != SORT_OK) {
		fprintf(stderr, "greedy method: no successful draws\n");
		return;
	}
	for (i = 0; i < p->n_people; i++) {
		if (lp[i] < lmin)
			lmin = lp[i];
		below += lp[i] < r->min_prob - 1e-9;
	}
	fprintf(stderr,
		"greedy method (%d draws): minimum %.4f%%; %zu of %zu people (%.1f%%) below the "
		"LEXIMIN minimum\n",
		runs, 100 * lmin, below, p->n_people, 100.0 * (double)below / (double)p->n_people);
}

static void report_lottery(const struct sort_problem *p, arena *a, int m,
			   const struct sort_result *r)
{
	int *tickets = arena_calloc(a, (size_t)m, sizeof(int));
	double dev = 0;
	char hex[65];
	sbuf b;
	if (!tickets || sortition_lottery(r, p->k, m, a, tickets, &dev) != SORT_OK) {
		fprintf(stderr, "lottery: could not be made\n");
		return;
	}
	sbuf_init(&b, a, CLI_OUT_MAX);
	if (sortition_lottery_text(p, r, m, tickets, &b) != SORT_OK) {
		fprintf(stderr, "lottery: the ids cannot be published (commas or too long)\n");
		return;
	}
	sortition_lottery_hash(b.buf, b.len, hex);
	fprintf(stderr, "lottery: %d tickets, each person within %.4f%% of their probability; "
			"SHA-256 %s\n",
		m, 100 * dev, hex);
}

static int parse_positive(const char *s, const char *what, int max, int *out)
{
	int64_t v;
	if (sv_to_i64(sv_from(s), &v) != 0 || v < 1 || v > max) {
		fprintf(stderr, "coprod select: %s must be a whole number from 1 to %d\n", what,
			max);
		return -1;
	}
	*out = (int)v;
	return 0;
}

static int run(arena *a, const char *cat_path, const char *resp_path, int k,
	       const char *household, int legacy_runs, int tickets, int stages_only)
{
	struct sort_problem p;
	struct sort_file_errors *errs = arena_calloc(a, 1, sizeof(*errs));
	struct sort_result r;
	sv cats, resp;
	sbuf out;
	char err[256];
	int rc;
	size_t i, zero = 0;

	memset(&p, 0, sizeof(p));
	p.k = k;
	p.stages_only = stages_only;
	if (!errs || read_file(a, cat_path, &cats) != 0 || read_file(a, resp_path, &resp) != 0)
		return 1;
	rc = sortition_read_categories(a, cats, &p, errs);
	if (rc != SORT_OK) {
		print_errors(cat_path, errs);
		return 1;
	}
	rc = sortition_read_respondents(a, resp, &p, household, errs);
	if (rc != SORT_OK) {
		print_errors(resp_path, errs);
		return 1;
	}
	if (sortition_check(&p, a, errs) != SORT_OK) {
		print_errors(resp_path, errs);
		return 1;
	}
	rc = sortition_leximin(&p, a, &r, err, sizeof(err));
	if (rc == SORT_EINFEASIBLE)
		return report_infeasible(&p, a);
	if (rc != SORT_OK) {
		fprintf(stderr, "coprod select: %s\n", err);
		return 1;
	}
	sbuf_init(&out, a, CLI_OUT_MAX);
	sortition_write_probabilities(&p, r.prob, &out);
	if (out.err || fwrite(out.buf, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
		fprintf(stderr, "coprod select: could not write the probabilities\n");
		return 1;
	}
	for (i = 0; i < p.n_people; i++)
		zero += r.prob[i] < 1e-9;
	fprintf(stderr,
		"coprod select: %zu people, panel of %d, %zu categories, %zu types of person\n"
		"minimum probability %.9f (%.4f%%); k/n %.4f%%\n"
		"panels used: %zu (%zu by count of each type)\n"
		"time %.3f s (%d stages; %d integer programmes taking %.3f s, %d linear); peak "
		"memory %ld KiB\n",
		p.n_people, p.k, p.n_categories, r.n_types, r.min_prob, 100 * r.min_prob,
		100.0 * p.k / (double)p.n_people, r.n_panels, r.n_type_panels, r.seconds, r.stages,
		r.pricing_solves, r.pricing_seconds, r.lp_solves, peak_memory_kib());
	if (r.relaxed && r.peel_steps)
		fprintf(stderr, "found as the quotas' relaxation (%d levels), peeled into %d panels\n",
			r.stages, r.peel_steps);
	else if (r.relaxed)
		fprintf(stderr, "found as the quotas' relaxation (%d levels), reached by column "
				"generation\n", r.stages);
	else
		fprintf(stderr, "found by column generation, stage by stage\n");
	if (zero)
		fprintf(stderr, "%zu people can be on no panel that meets the quotas\n", zero);
	if (legacy_runs)
		report_legacy(&p, a, legacy_runs, &r);
	if (tickets)
		report_lottery(&p, a, tickets, &r);
	return 0;
}

int sortition_cli(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"categories", required_argument, NULL, 'c'},
		{"respondents", required_argument, NULL, 'r'},
		{"k", required_argument, NULL, 'k'},
		{"household-column", required_argument, NULL, 'H'},
		{"legacy", required_argument, NULL, 'l'},
		{"tickets", required_argument, NULL, 't'},
		{"stages-only", no_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *cat_path = NULL, *resp_path = NULL, *household = NULL;
	int k = 0, legacy_runs = 0, tickets = 0, stages_only = 0, c, rc;
	arena *a;

	optind = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			cat_path = optarg;
			break;
		case 'r':
			resp_path = optarg;
			break;
		case 'k':
			if (parse_positive(optarg, "--k", SORT_MAX_PEOPLE, &k) != 0)
				return 1;
			break;
		case 'H':
			household = optarg;
			break;
		case 'l':
			if (parse_positive(optarg, "--legacy", 1000000, &legacy_runs) != 0)
				return 1;
			break;
		case 't':
			if (parse_positive(optarg, "--tickets", SORT_MAX_TICKETS, &tickets) != 0)
				return 1;
			break;
		case 's':
			stages_only = 1;
			break;
		case 'h':
			fputs(select_usage, stdout);
			return 0;
		default:
			fputs(select_usage, stderr);
			return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "coprod select: unexpected argument %s\n", argv[optind]);
		fputs(select_usage, stderr);
		return 1;
	}
	if (!cat_path || !resp_path || !k) {
		fprintf(stderr, "coprod select: --categories, --respondents and --k are all "
				"needed\n");
		fputs(select_usage, stderr);
		return 1;
	}
	a = arena_new(CLI_ARENA_MAX);
	if (!a) {
		fprintf(stderr, "coprod select: out of memory\n");
		return 1;
	}
	rc = run(a, cat_path, resp_path, k, household, legacy_runs, tickets, stages_only);
	arena_free(a);
	return rc;
}
