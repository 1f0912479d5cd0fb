/* sortition.c: LEXIMIN selection probabilities over types of interchangeable people, the
 * greedy method, quota relaxation and the re-checkable lottery; see sortition.h. */
#include "domain/sortition.h"

#include <glpk.h>
#include <limits.h>
#include <math.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Column generation stops when no panel beats the current dual bound by more than this. */
#define CG_EPS 1e-7
/* A dual value above this marks a probability that cannot rise further (the paper uses
 * 0.0005 with Gurobi's barrier duals; our simplex duals are vertex solutions, exact to
 * the solver's tolerance, so a smaller threshold is safe and fixes more per stage). */
#define FIX_EPS 1e-6
/* When a stage's linear programme turns out infeasible by rounding, fixed probabilities
 * are lowered by this much and the stage is solved again. */
#define BACKOFF 1e-9
#define MAX_BACKOFFS 20
/* Rounds of multiplicative weights that find a spread of panels before column
 * generation: the paper uses 3n; over types 3T, capped, is plenty because column
 * generation adds whatever is missing. */
#define WARMUP_PER_TYPE 3
#define WARMUP_MAX 200
#define MAX_CG_ITERATIONS 100000
#define LP_ITERATION_LIMIT 20000

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* ---- Types: people with the same values (and no housemate) ---- */

struct types {
	size_t n;          /* number of types */
	size_t n_features; /* category values in all */
	size_t n_categories;
	int *count;        /* people of each type */
	int **members;     /* each type's people, in increasing order */
	int *type_of;      /* n_people: each person's type */
	int **feat;        /* each type's feature index (flattened) per category */
	int *first_feature; /* n_categories: offset of each category's values */
	int *fmin, *fmax;  /* n_features quotas */
	/* households of two or more people in the pool, as lists of types */
	size_t n_households;
	int **household;
	int *household_size;
};

static uint64_t mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

static size_t table_size_for(size_t n)
{
	size_t s = 16;
	while (s < 2 * n + 1)
		s *= 2;
	return s;
}

/* Validates P; returns SORT_OK or SORT_EINVALID with ERR. */
static int check_problem(const struct sort_problem *p, char *err, size_t errlen)
{
	size_t i, c, v;
	if (!p || p->n_people == 0) {
		set_err(err, errlen, "the pool is empty");
		return SORT_EINVALID;
	}
	if (p->n_people > SORT_MAX_PEOPLE) {
		set_err(err, errlen, "the pool has more than %d people", SORT_MAX_PEOPLE);
		return SORT_EINVALID;
	}
	if (!(p->time_limit_seconds >= 0)) {
		set_err(err, errlen, "the time limit must be 0 (none) or a number of seconds");
		return SORT_EINVALID;
	}
	if (p->k < 1) {
		set_err(err, errlen, "the panel must have at least one place");
		return SORT_EINVALID;
	}
	if ((size_t)p->k > p->n_people) {
		set_err(err, errlen, "the panel (%d places) is larger than the pool (%zu people)",
			p->k, p->n_people);
		return SORT_EINVALID;
	}
	if (p->n_categories > SORT_MAX_CATEGORIES || (p->n_categories && !p->categories)) {
		set_err(err, errlen, "too many categories (at most %d)", SORT_MAX_CATEGORIES);
		return SORT_EINVALID;
	}
	for (c = 0; c < p->n_categories; c++) {
		const struct sort_category *cat = &p->categories[c];
		if (cat->n_values == 0 || cat->n_values > SORT_MAX_VALUES) {
			set_err(err, errlen, "category %s must have from 1 to %d values",
				cat->name ? cat->name : "?", SORT_MAX_VALUES);
			return SORT_EINVALID;
		}
		for (v = 0; v < cat->n_values; v++) {
			if (cat->min[v] < 0 || cat->max[v] < 0 || cat->min[v] > cat->max[v]) {
				set_err(err, errlen,
					"category %s, value %s: quotas must be whole numbers from 0 "
					"with the minimum no more than the maximum",
					cat->name ? cat->name : "?",
					cat->values && cat->values[v] ? cat->values[v] : "?");
				return SORT_EINVALID;
			}
		}
	}
	for (i = 0; i < p->n_people; i++)
		for (c = 0; c < p->n_categories; c++) {
			int f = p->feature[i * p->n_categories + c];
			if (f < 0 || (size_t)f >= p->categories[c].n_values) {
				set_err(err, errlen, "person %zu has no valid value for %s", i,
					p->categories[c].name ? p->categories[c].name : "?");
				return SORT_EINVALID;
			}
		}
	return SORT_OK;
}

/* Groups P's people into types. Returns SORT_OK or SORT_ENOMEM. */
static int types_build(const struct sort_problem *p, arena *a, struct types *t)
{
	size_t n = p->n_people, C = p->n_categories, i, c, size, mask;
	int *slot, *hh_count = NULL, *hh_of = NULL, *tmp_count, *fill;
	size_t hsize = 0, hmask = 0;
	int *hkeys = NULL, *hidx = NULL;
	size_t n_hh_keys = 0;

	memset(t, 0, sizeof(*t));
	t->n_categories = C;
	t->first_feature = arena_calloc(a, C + 1, sizeof(int));
	if (!t->first_feature)
		return SORT_ENOMEM;
	for (c = 0; c < C; c++)
		t->first_feature[c + 1] = t->first_feature[c] + (int)p->categories[c].n_values;
	t->n_features = (size_t)t->first_feature[C];
	t->fmin = arena_calloc(a, t->n_features + 1, sizeof(int));
	t->fmax = arena_calloc(a, t->n_features + 1, sizeof(int));
	t->type_of = arena_calloc(a, n, sizeof(int));
	if (!t->fmin || !t->fmax || !t->type_of)
		return SORT_ENOMEM;
	for (c = 0; c < C; c++)
		for (i = 0; i < p->categories[c].n_values; i++) {
			t->fmin[t->first_feature[c] + (int)i] = p->categories[c].min[i];
			t->fmax[t->first_feature[c] + (int)i] = p->categories[c].max[i];
		}

	/* Households: number each distinct household and count its people. */
	if (p->household) {
		hsize = table_size_for(n);
		hmask = hsize - 1;
		hkeys = arena_alloc(a, hsize * sizeof(int));
		hidx = arena_alloc(a, hsize * sizeof(int));
		hh_count = arena_calloc(a, n, sizeof(int));
		hh_of = arena_calloc(a, n, sizeof(int));
		if (!hkeys || !hidx || !hh_count || !hh_of)
			return SORT_ENOMEM;
		memset(hidx, 0xff, hsize * sizeof(int));
		for (i = 0; i < n; i++) {
			size_t h = mix64((uint64_t)(int64_t)p->household[i]) & hmask;
			while (hidx[h] >= 0 && hkeys[h] != p->household[i])
				h = (h + 1) & hmask;
			if (hidx[h] < 0) {
				hkeys[h] = p->household[i];
				hidx[h] = (int)n_hh_keys++;
			}
			hh_of[i] = hidx[h];
			hh_count[hidx[h]]++;
		}
	}

	/* Types: hash each person's values; a person with a housemate is a type alone. */
	size = table_size_for(n);
	mask = size - 1;
	slot = arena_alloc(a, size * sizeof(int));
	tmp_count = arena_calloc(a, n, sizeof(int));
	if (!slot || !tmp_count)
		return SORT_ENOMEM;
	memset(slot, 0xff, size * sizeof(int));
	for (i = 0; i < n; i++) {
		const int *fi = &p->feature[i * C];
		int alone = hh_count && hh_count[hh_of[i]] >= 2;
		uint64_t h = 1469598103934665603ULL;
		size_t s;
		if (alone) {
			t->type_of[i] = (int)t->n++;
			continue;
		}
		for (c = 0; c < C; c++)
			h = mix64(h ^ (uint64_t)(fi[c] + 1) * 0x9e3779b97f4a7c15ULL);
		s = h & mask;
		for (;;) {
			int other = slot[s];
			if (other < 0) {
				slot[s] = (int)i;
				t->type_of[i] = (int)t->n++;
				break;
			}
			if (memcmp(&p->feature[(size_t)other * C], fi, C * sizeof(int)) == 0) {
				t->type_of[i] = t->type_of[other];
				break;
			}
			s = (s + 1) & mask;
		}
	}
	t->count = arena_calloc(a, t->n, sizeof(int));
	t->members = arena_calloc(a, t->n, sizeof(int *));
	t->feat = arena_calloc(a, t->n, sizeof(int *));
	fill = arena_calloc(a, t->n, sizeof(int));
	if (!t->count || !t->members || !t->feat || !fill)
		return SORT_ENOMEM;
	for (i = 0; i < n; i++)
		t->count[t->type_of[i]]++;
	for (i = 0; i < t->n; i++) {
		t->members[i] = arena_alloc(a, (size_t)t->count[i] * sizeof(int));
		t->feat[i] = arena_alloc(a, (C ? C : 1) * sizeof(int));
		if (!t->members[i] || !t->feat[i])
			return SORT_ENOMEM;
	}
	for (i = 0; i < n; i++) {
		int ty = t->type_of[i];
		if (fill[ty] == 0)
			for (c = 0; c < C; c++)
				t->feat[ty][c] = t->first_feature[c] + p->feature[i * C + c];
		t->members[ty][fill[ty]++] = (int)i;
	}

	/* Households of two or more, as lists of (singleton) types. */
	if (hh_count) {
		int *hh_slot = arena_alloc(a, n_hh_keys * sizeof(int));
		if (!hh_slot)
			return SORT_ENOMEM;
		memset(hh_slot, 0xff, n_hh_keys * sizeof(int));
		for (i = 0; i < n_hh_keys; i++)
			if (hh_count[i] >= 2)
				hh_slot[i] = (int)t->n_households++;
		t->household = arena_calloc(a, t->n_households + 1, sizeof(int *));
		t->household_size = arena_calloc(a, t->n_households + 1, sizeof(int));
		if (!t->household || !t->household_size)
			return SORT_ENOMEM;
		for (i = 0; i < n_hh_keys; i++)
			if (hh_slot[i] >= 0) {
				t->household[hh_slot[i]] =
					arena_alloc(a, (size_t)hh_count[i] * sizeof(int));
				if (!t->household[hh_slot[i]])
					return SORT_ENOMEM;
			}
		for (i = 0; i < n; i++) {
			int hs = hh_slot[hh_of[i]];
			if (hs >= 0)
				t->household[hs][t->household_size[hs]++] = t->type_of[i];
		}
	}
	return SORT_OK;
}

/* ---- The pricing integer programme: the best panel for given weights ---- */

struct pricer {
	glp_prob *lp;
	/* When set, the search stops at the first panel found instead of the best one
	 * (peeling needs a panel on a face, not the best of them). */
	int first;
	const struct types *t;
	int *ind;    /* scratch, 1-based for GLPK */
	double *val;
	double deadline; /* now_seconds() by which to give up, or 0 */
};

static void pricer_free(struct pricer *pr)
{
	if (pr->lp)
		glp_delete_prob(pr->lp);
	pr->lp = NULL;
}

static void set_row_range(glp_prob *lp, int row, double lo, double hi)
{
	if (lo == hi)
		glp_set_row_bnds(lp, row, GLP_FX, lo, hi);
	else
		glp_set_row_bnds(lp, row, GLP_DB, lo, hi);
}

/* Builds the integer programme: a count per type from 0 to its size, k in all, every
 * quota, at most one per household. With RELAX, each quota also gets a slack below
 * (a_f, cost 1 + 2/min) and above (b_f, cost 1) and the objective is their cost. */
static int pricer_init(struct pricer *pr, const struct types *t, int k, arena *a, int relax)
{
	int T = (int)t->n, F = (int)t->n_features, ncols = T + (relax ? 2 * F : 0);
	int row, f;
	size_t i, j;
	int *nnz;
	int **rows_ind;

	memset(pr, 0, sizeof(*pr));
	pr->t = t;
	pr->ind = arena_alloc(a, (size_t)(ncols + 2) * sizeof(int));
	pr->val = arena_alloc(a, (size_t)(ncols + 2) * sizeof(double));
	nnz = arena_calloc(a, (size_t)F + 1, sizeof(int));
	rows_ind = arena_calloc(a, (size_t)F + 1, sizeof(int *));
	if (!pr->ind || !pr->val || !nnz || !rows_ind)
		return SORT_ENOMEM;
	{
		int C = (int)t->n_categories;
		for (i = 0; i < t->n; i++)
			for (f = 0; f < C; f++)
				nnz[t->feat[i][f]]++;
		for (f = 0; f < F; f++) {
			rows_ind[f] = arena_alloc(a, (size_t)(nnz[f] + 2) * sizeof(int));
			if (!rows_ind[f])
				return SORT_ENOMEM;
			nnz[f] = 0;
		}
		for (i = 0; i < t->n; i++)
			for (f = 0; f < C; f++) {
				int ff = t->feat[i][f];
				rows_ind[ff][1 + nnz[ff]++] = (int)i + 1;
			}
	}

	pr->lp = glp_create_prob();
	glp_set_obj_dir(pr->lp, relax ? GLP_MIN : GLP_MAX);
	glp_add_cols(pr->lp, ncols);
	for (i = 0; i < t->n; i++) {
		int col = (int)i + 1;
		if (t->count[i] > 0)
			glp_set_col_bnds(pr->lp, col, GLP_DB, 0.0, (double)t->count[i]);
		else
			glp_set_col_bnds(pr->lp, col, GLP_FX, 0.0, 0.0);
		glp_set_col_kind(pr->lp, col, GLP_IV);
	}
	glp_add_rows(pr->lp, 1 + (relax ? 2 * F : F) + (int)t->n_households);
	/* Row 1: exactly k people. */
	for (i = 0; i < t->n; i++) {
		pr->ind[i + 1] = (int)i + 1;
		pr->val[i + 1] = 1.0;
	}
	glp_set_mat_row(pr->lp, 1, T, pr->ind, pr->val);
	glp_set_row_bnds(pr->lp, 1, GLP_FX, (double)k, (double)k);
	row = 2;
	for (f = 0; f < F; f++) {
		int len = nnz[f];
		for (j = 1; j <= (size_t)len; j++)
			pr->val[j] = 1.0;
		if (!relax) {
			glp_set_mat_row(pr->lp, row, len, rows_ind[f], pr->val);
			set_row_range(pr->lp, row, t->fmin[f], t->fmax[f]);
			row++;
			continue;
		}
		/* sum + a_f >= min */
		rows_ind[f][len + 1] = T + 1 + 2 * f;
		pr->val[len + 1] = 1.0;
		glp_set_mat_row(pr->lp, row, len + 1, rows_ind[f], pr->val);
		glp_set_row_bnds(pr->lp, row, GLP_LO, t->fmin[f], 0.0);
		row++;
		/* sum - b_f <= max */
		rows_ind[f][len + 1] = T + 2 + 2 * f;
		pr->val[len + 1] = -1.0;
		glp_set_mat_row(pr->lp, row, len + 1, rows_ind[f], pr->val);
		glp_set_row_bnds(pr->lp, row, GLP_UP, 0.0, t->fmax[f]);
		row++;
	}
	if (relax)
		for (f = 0; f < F; f++) {
			int ca = T + 1 + 2 * f, cb = T + 2 + 2 * f;
			glp_set_col_kind(pr->lp, ca, GLP_IV);
			glp_set_col_kind(pr->lp, cb, GLP_IV);
			if (t->fmin[f] > 0)
				glp_set_col_bnds(pr->lp, ca, GLP_DB, 0.0, t->fmin[f]);
			else
				glp_set_col_bnds(pr->lp, ca, GLP_FX, 0.0, 0.0);
			glp_set_col_bnds(pr->lp, cb, GLP_LO, 0.0, 0.0);
			glp_set_obj_coef(pr->lp, ca, t->fmin[f] > 0 ? 1.0 + 2.0 / t->fmin[f] : 0.0);
			glp_set_obj_coef(pr->lp, cb, 1.0);
		}
	for (i = 0; i < t->n_households; i++) {
		int len = t->household_size[i];
		for (j = 0; j < (size_t)len; j++) {
			pr->ind[j + 1] = t->household[i][j] + 1;
			pr->val[j + 1] = 1.0;
		}
		glp_set_mat_row(pr->lp, row, len, pr->ind, pr->val);
		glp_set_row_bnds(pr->lp, row, GLP_UP, 0.0, 1.0);
		row++;
	}
	return SORT_OK;
}

/* Solves the integer programme with objective weights W (per person of each type; NULL
 * keeps the objective as it is). Writes the counts per type into X. Returns SORT_OK,
 * SORT_EINFEASIBLE or SORT_ESOLVER. */
static void stop_at_first(glp_tree *tree, void *info)
{
	(void)info;
	if (glp_ios_reason(tree) == GLP_IBINGO)
		glp_ios_terminate(tree);
}

static int pricer_solve(struct pricer *pr, const double *w, int *x)
{
	glp_iocp parm;
	int rc, st;
	size_t i;
	if (w)
		for (i = 0; i < pr->t->n; i++)
			glp_set_obj_coef(pr->lp, (int)i + 1, w[i]);
	glp_init_iocp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	parm.presolve = GLP_ON;
	if (pr->first) {
		parm.cb_func = stop_at_first;
		parm.fp_heur = GLP_ON;
	}
	if (pr->deadline > 0) {
		double left = pr->deadline - now_seconds();
		if (left <= 0)
			return SORT_ETIMEOUT;
		parm.tm_lim = left > 1e6 ? INT_MAX : (int)(left * 1000) + 1;
	}
	rc = glp_intopt(pr->lp, &parm);
	if (rc == GLP_ETMLIM)
		return SORT_ETIMEOUT;
	if (rc == GLP_ENOPFS || rc == GLP_ENOFEAS)
		return SORT_EINFEASIBLE;
	st = glp_mip_status(pr->lp);
	if (rc == GLP_ESTOP && pr->first && st == GLP_FEAS)
		st = GLP_OPT; /* stopped at the first panel, as asked */
	else if (rc != 0)
		return SORT_ESOLVER;
	if (st == GLP_NOFEAS)
		return SORT_EINFEASIBLE;
	if (st != GLP_OPT)
		return SORT_ESOLVER;
	for (i = 0; i < pr->t->n; i++)
		x[i] = (int)lround(glp_mip_col_val(pr->lp, (int)i + 1));
	return SORT_OK;
}

/* ---- The set of panels (counts per type, kept sparse) ---- */

struct panelset {
	size_t n, cap;
	size_t *start; /* into type/cnt */
	int *len;
	size_t used, pcap;
	int *type, *cnt;
	uint64_t *hash;
	int *table; /* open addressing over panel numbers */
	size_t tsize;
};

static uint64_t panel_hash(const int *x, size_t T)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;
	for (i = 0; i < T; i++)
		if (x[i])
			h = mix64(h ^ ((uint64_t)i << 20) ^ (uint64_t)x[i]);
	return h;
}

static int panel_equal(const struct panelset *ps, size_t j, const int *x, size_t T)
{
	size_t s = ps->start[j], i, nz = 0;
	int l = ps->len[j], m;
	for (m = 0; m < l; m++)
		if (x[ps->type[s + (size_t)m]] != ps->cnt[s + (size_t)m])
			return 0;
	for (i = 0; i < T; i++)
		nz += x[i] != 0;
	return nz == (size_t)l;
}

static int panelset_rehash(struct panelset *ps, arena *a)
{
	size_t size = table_size_for(ps->n + 1), i;
	int *table = arena_alloc(a, size * sizeof(int));
	if (!table)
		return -1;
	memset(table, 0xff, size * sizeof(int));
	for (i = 0; i < ps->n; i++) {
		size_t s = ps->hash[i] & (size - 1);
		while (table[s] >= 0)
			s = (s + 1) & (size - 1);
		table[s] = (int)i;
	}
	ps->table = table;
	ps->tsize = size;
	return 0;
}

/* Finds X; returns its number or -1. */
static int panelset_find(const struct panelset *ps, const int *x, size_t T, uint64_t h)
{
	size_t s;
	if (!ps->tsize)
		return -1;
	s = h & (ps->tsize - 1);
	while (ps->table[s] >= 0) {
		int j = ps->table[s];
		if (ps->hash[j] == h && panel_equal(ps, (size_t)j, x, T))
			return j;
		s = (s + 1) & (ps->tsize - 1);
	}
	return -1;
}

/* Adds X unless known. Returns its number (*ADDED says whether new), or -1 out of
 * memory. */
static int panelset_add(struct panelset *ps, arena *a, const int *x, size_t T, int *added)
{
	uint64_t h = panel_hash(x, T);
	int j = panelset_find(ps, x, T, h);
	size_t i, s;
	*added = 0;
	if (j >= 0)
		return j;
	if (ps->n == ps->cap) {
		size_t c1 = ps->cap, c2 = ps->cap, c3 = ps->cap;
		ps->start = arena_grow(a, ps->start, ps->n, &c1, sizeof(size_t));
		ps->len = arena_grow(a, ps->len, ps->n, &c2, sizeof(int));
		ps->hash = arena_grow(a, ps->hash, ps->n, &c3, sizeof(uint64_t));
		if (!ps->start || !ps->len || !ps->hash)
			return -1;
		ps->cap = c1;
	}
	for (i = 0; i < T; i++) {
		if (!x[i])
			continue;
		if (ps->used == ps->pcap) {
			size_t c1 = ps->pcap, c2 = ps->pcap;
			ps->type = arena_grow(a, ps->type, ps->used, &c1, sizeof(int));
			ps->cnt = arena_grow(a, ps->cnt, ps->used, &c2, sizeof(int));
			if (!ps->type || !ps->cnt)
				return -1;
			ps->pcap = c1;
		}
		ps->type[ps->used] = (int)i;
		ps->cnt[ps->used] = x[i];
		ps->used++;
	}
	j = (int)ps->n;
	for (s = 0, i = 0; i < T; i++)
		s += x[i] != 0;
	ps->start[j] = ps->used - s;
	ps->len[j] = (int)s;
	ps->hash[j] = h;
	ps->n++;
	if (2 * ps->n + 1 > ps->tsize) {
		if (panelset_rehash(ps, a) != 0)
			return -1;
	} else {
		size_t t = h & (ps->tsize - 1);
		while (ps->table[t] >= 0)
			t = (t + 1) & (ps->tsize - 1);
		ps->table[t] = j;
	}
	*added = 1;
	return j;
}

/* ---- LEXIMIN ---- */

struct peeled {
	int panel;
	double share;
};

struct leximin {
	const struct sort_problem *p;
	arena *a;
	struct types t;
	struct pricer pr;
	struct panelset ps;
	/* The restricted master, in its primal form: row 1 holds sum q = 1, row 1 + t type
	 * t's probability (at least z while unfixed, at least its fixed value after);
	 * column 1 is z and column 1 + j panel j's probability. Solved with the primal
	 * simplex, adding a panel adds a column and keeps the basis, and the basis is only
	 * as large as the number of types. The duals of its rows are the y of sortition.md. */
	glp_prob *dual;
	double *y;      /* per type: the dual of its row (0 or more) */
	int *fixed;     /* per type: 1 when its probability is fixed */
	double *pfix;   /* the fixed probabilities */
	/* When peeling reached the relaxation's answer: its panels and their shares. */
	struct peeled *peeled;
	size_t n_peeled;
	int peel_steps;
	int *x;         /* scratch counts per type */
	double *w;      /* scratch weights per type */
	int *ind;
	double *val;
	int pricing, lps;
	double pricing_seconds;
	double deadline; /* now_seconds() by which to give up, or 0 */
	/* local search */
	int *fc;        /* per feature: people on the panel with it */
	int *hh_of;     /* per type: its household (of two or more) or -1 */
	int *hh_sel;    /* per household: people on the panel from it */
	struct weighted *order; /* types by weight, heaviest first */
};

static int past_deadline(const struct leximin *L)
{
	return L->deadline > 0 && now_seconds() >= L->deadline;
}

static int count_pricing(struct leximin *L, const double *w, int *x)
{
	double t0 = now_seconds();
	int rc;
	L->pricing++;
	rc = pricer_solve(&L->pr, w, x);
	L->pricing_seconds += now_seconds() - t0;
	return rc;
}

/* ---- Local search: most new panels are found by swapping one person for another,
 * which costs microseconds where an integer programme costs a tenth of a second. The
 * integer programme is still what proves a stage finished. ---- */

struct weighted {
	double w;
	int type;
};

static int by_weight_desc(const void *x, const void *y)
{
	const struct weighted *a = x, *b = y;
	if (a->w != b->w)
		return a->w < b->w ? 1 : -1;
	return a->type - b->type;
}

static double panel_value(const struct leximin *L, const int *x, const double *w)
{
	double v = 0;
	size_t i;
	for (i = 0; i < L->t.n; i++)
		v += w[i] * x[i];
	return v;
}

/* Writes stored panel J's counts into X. */
static void panel_counts(const struct leximin *L, size_t j, int *x)
{
	size_t s = L->ps.start[j];
	int m;
	memset(x, 0, L->t.n * sizeof(int));
	for (m = 0; m < L->ps.len[j]; m++)
		x[L->ps.type[s + (size_t)m]] = L->ps.cnt[s + (size_t)m];
}

/* The stored panel with the largest value under W, copied into X. */
static void best_known(const struct leximin *L, const double *w, int *x)
{
	size_t j, best = 0;
	double bv = -1e300;
	for (j = 0; j < L->ps.n; j++) {
		size_t s = L->ps.start[j];
		double v = 0;
		int m;
		for (m = 0; m < L->ps.len[j]; m++)
			v += w[L->ps.type[s + (size_t)m]] * L->ps.cnt[s + (size_t)m];
		if (v > bv) {
			bv = v;
			best = j;
		}
	}
	panel_counts(L, best, x);
}

/* Whether swapping one person of type A out for one of type B keeps every quota and the
 * household rule. */
static int swap_ok(const struct leximin *L, int a, int b)
{
	size_t c;
	for (c = 0; c < L->t.n_categories; c++) {
		int fa = L->t.feat[a][c], fb = L->t.feat[b][c];
		if (fa == fb)
			continue;
		if (L->fc[fa] - 1 < L->t.fmin[fa] || L->fc[fb] + 1 > L->t.fmax[fb])
			return 0;
	}
	if (L->hh_of[b] >= 0) {
		int h = L->hh_of[b];
		if (L->hh_sel[h] - (L->hh_of[a] == h ? 1 : 0) > 0)
			return 0;
	}
	return 1;
}

static void apply_swap(struct leximin *L, int *x, int a, int b)
{
	size_t c;
	x[a]--;
	x[b]++;
	for (c = 0; c < L->t.n_categories; c++) {
		L->fc[L->t.feat[a][c]]--;
		L->fc[L->t.feat[b][c]]++;
	}
	if (L->hh_of[a] >= 0)
		L->hh_sel[L->hh_of[a]]--;
	if (L->hh_of[b] >= 0)
		L->hh_sel[L->hh_of[b]]++;
}

static void load_counts(struct leximin *L, const int *x)
{
	size_t i, c;
	memset(L->fc, 0, L->t.n_features * sizeof(int));
	if (L->t.n_households)
		memset(L->hh_sel, 0, L->t.n_households * sizeof(int));
	for (i = 0; i < L->t.n; i++) {
		if (!x[i])
			continue;
		for (c = 0; c < L->t.n_categories; c++)
			L->fc[L->t.feat[i][c]] += x[i];
		if (L->hh_of[i] >= 0)
			L->hh_sel[L->hh_of[i]] += x[i];
	}
}

/* Improves the valid panel X under weights W by the best single swaps until none helps. */
static void local_improve(struct leximin *L, int *x, const double *w)
{
	size_t T = L->t.n, i;
	int iter;
	for (i = 0; i < T; i++) {
		L->order[i].w = w[i];
		L->order[i].type = (int)i;
	}
	qsort(L->order, T, sizeof(*L->order), by_weight_desc);
	load_counts(L, x);
	for (iter = 0; iter < 4 * L->p->k + 10; iter++) {
		double best_gain = 1e-12;
		int ba = -1, bb = -1;
		size_t q;
		for (i = 0; i < T; i++) {
			int a = (int)i;
			if (!x[a])
				continue;
			for (q = 0; q < T; q++) {
				int b = L->order[q].type;
				if (w[b] - w[a] <= best_gain)
					break;
				if (x[b] >= L->t.count[b] || b == a)
					continue;
				if (swap_ok(L, a, b)) {
					best_gain = w[b] - w[a];
					ba = a;
					bb = b;
					break;
				}
			}
		}
		if (ba < 0)
			return;
		apply_swap(L, x, ba, bb);
	}
}

/* Puts one person of type T onto the valid panel X by a single swap, if one keeps every
 * quota. Returns 1 when done. */
static int local_include(struct leximin *L, int *x, int t)
{
	size_t i;
	load_counts(L, x);
	if (x[t] >= L->t.count[t])
		return 0;
	for (i = 0; i < L->t.n; i++)
		if (x[i] && (int)i != t && swap_ok(L, (int)i, t)) {
			apply_swap(L, x, (int)i, t);
			return 1;
		}
	return 0;
}

/* Adds panel J to the master as a column: 1 in the sum row, count / type size in each of
 * its types' rows. */
/* Adds stored panel J as a column of LP: 1 in row 1 (the shares sum to 1) and, in row
 * 2 + t, its count of type t over the type's size. The stages' master and the check of
 * the relaxation's answer share this layout. */
static void panel_add_col(struct leximin *L, glp_prob *lp, size_t j)
{
	const struct panelset *ps = &L->ps;
	size_t s = ps->start[j];
	int len = ps->len[j], m, col;
	L->ind[1] = 1;
	L->val[1] = 1.0;
	for (m = 0; m < len; m++) {
		int ty = ps->type[s + (size_t)m];
		L->ind[m + 2] = ty + 2;
		L->val[m + 2] = (double)ps->cnt[s + (size_t)m] / L->t.count[ty];
	}
	col = glp_add_cols(lp, 1);
	glp_set_mat_col(lp, col, len + 1, L->ind, L->val);
	glp_set_col_bnds(lp, col, GLP_LO, 0.0, 0.0);
}

static void dual_add_row(struct leximin *L, size_t j)
{
	panel_add_col(L, L->dual, j);
}

/* Finds a first spread of panels by multiplicative weights, then makes sure every type
 * that can be on a panel is on one; types that cannot are fixed at probability 0. */
static int warm_up(struct leximin *L)
{
	size_t T = L->t.n, i;
	int rounds = (int)(WARMUP_PER_TYPE * T), r, rc, added;
	double sum;
	if (rounds > WARMUP_MAX)
		rounds = WARMUP_MAX;
	if (rounds < 1)
		rounds = 1;
	for (i = 0; i < T; i++)
		L->w[i] = 1.0;
	for (r = 0; r < rounds; r++) {
		if (past_deadline(L))
			return SORT_ETIMEOUT;
		best_known(L, L->w, L->x);
		local_improve(L, L->x, L->w);
		if (panelset_add(&L->ps, L->a, L->x, T, &added) < 0)
			return SORT_ENOMEM;
		if (added) {
			for (i = 0; i < T; i++)
				if (L->x[i])
					L->w[i] *= 1.0 - 0.2 * L->x[i] / L->t.count[i];
		} else {
			for (i = 0; i < T; i++)
				L->w[i] = 0.9 * L->w[i] + 0.1;
		}
		sum = 0;
		for (i = 0; i < T; i++)
			sum += L->w[i] * L->t.count[i];
		for (i = 0; i < T; i++)
			L->w[i] *= (double)L->p->n_people / sum;
	}
	/* Types not on any panel yet: try to put each on one. */
	{
		char *seen = arena_calloc(L->a, T, 1);
		size_t j;
		int m;
		if (!seen)
			return SORT_ENOMEM;
		for (j = 0; j < L->ps.n; j++)
			for (m = 0; m < L->ps.len[j]; m++)
				seen[L->ps.type[L->ps.start[j] + (size_t)m]] = 1;
		for (i = 0; i < T; i++) {
			size_t q;
			if (seen[i])
				continue;
			size_t tries, got = 0;
			for (tries = 0; tries < L->ps.n && tries < 20 && !got; tries++) {
				panel_counts(L, tries, L->x);
				got = (size_t)local_include(L, L->x, (int)i);
			}
			if (!got) {
				/* Any panel with one of them will do, or proof there is none. */
				for (q = 0; q < T; q++)
					L->w[q] = 0.0;
				if (L->t.count[i] > 1)
					glp_set_col_bnds(L->pr.lp, (int)i + 1, GLP_DB, 1.0,
							 L->t.count[i]);
				else
					glp_set_col_bnds(L->pr.lp, (int)i + 1, GLP_FX, 1.0, 1.0);
				L->pr.first = 1;
				rc = count_pricing(L, L->w, L->x);
				L->pr.first = 0;
				glp_set_col_bnds(L->pr.lp, (int)i + 1, GLP_DB, 0.0, L->t.count[i]);
				if (rc == SORT_EINFEASIBLE)
					memset(L->x, 0, T * sizeof(int));
				else if (rc != SORT_OK)
					return rc;
			}
			if (!L->x[i]) {
				L->fixed[i] = 1;
				L->pfix[i] = 0.0;
				continue;
			}
			if (panelset_add(&L->ps, L->a, L->x, T, &added) < 0)
				return SORT_ENOMEM;
			for (j = 0; j < T; j++)
				if (L->x[j])
					seen[j] = 1;
		}
	}
	return SORT_OK;
}

/* Sets the master for a stage: z in every unfixed type's row, fixed types held at their
 * probabilities. */
static void dual_set_stage(struct leximin *L)
{
	size_t T = L->t.n, i;
	int len = 0;
	for (i = 0; i < T; i++) {
		if (L->fixed[i]) {
			glp_set_row_bnds(L->dual, (int)i + 2, GLP_LO, L->pfix[i], 0.0);
			continue;
		}
		glp_set_row_bnds(L->dual, (int)i + 2, GLP_LO, 0.0, 0.0);
		L->ind[len + 1] = (int)i + 2;
		L->val[len + 1] = -1.0;
		len++;
	}
	glp_set_mat_col(L->dual, 1, len, L->ind, L->val);
}

static int dual_solve(struct leximin *L)
{
	glp_smcp parm;
	int rc, attempt;
	size_t i;
	/* GLPK's primal simplex can stall on these very degenerate programmes; with an
	 * iteration limit it gives up quickly, and a fresh basis with the dual simplex (or
	 * the other ratio test) gets through. */
	for (attempt = 0; attempt < 4; attempt++) {
		glp_init_smcp(&parm);
		parm.msg_lev = GLP_MSG_OFF;
		parm.it_lim = LP_ITERATION_LIMIT;
		parm.meth = attempt % 2 ? GLP_DUALP : GLP_PRIMAL;
		parm.r_test = attempt >= 2 ? GLP_RT_STD : GLP_RT_HAR;
		if (L->deadline > 0) {
			double left = L->deadline - now_seconds();
			if (left <= 0)
				return SORT_ETIMEOUT;
			parm.tm_lim = left > 1e6 ? INT_MAX : (int)(left * 1000) + 1;
		}
		if (attempt)
			glp_std_basis(L->dual);
		L->lps++;
		rc = glp_simplex(L->dual, &parm);
		if (rc == GLP_ETMLIM)
			return SORT_ETIMEOUT;
		if (rc == 0 && glp_get_status(L->dual) == GLP_OPT)
			break;
	}
	if (attempt == 4)
		return -1;
	/* For a maximisation, a binding lower bound has a dual of 0 or less. */
	for (i = 0; i < L->t.n; i++) {
		double d = -glp_get_row_dual(L->dual, (int)i + 2);
		L->y[i] = d > 0 ? d : 0.0;
	}
	return 0;
}

/* Column generation on the master as it is set: solves it, and adds the panel that beats
 * the dual bound, until none does. *OBJ receives the master's optimum. Returns SORT_OK
 * or an error. */
static int column_generation(struct leximin *L, double *obj_out)
{
	size_t T = L->t.n, i;
	int iter, rc, backoffs = 0, added, j;
	double obj, yhat, value;

	for (iter = 0; iter < MAX_CG_ITERATIONS; iter++) {
		if (past_deadline(L))
			return SORT_ETIMEOUT;
		rc = dual_solve(L);
		if (rc == SORT_ETIMEOUT)
			return rc;
		if (rc != 0) {
			/* The fixed probabilities cannot all be met by rounding: ease them. */
			if (++backoffs > MAX_BACKOFFS)
				return SORT_ESOLVER;
			for (i = 0; i < T; i++)
				if (L->fixed[i] && L->pfix[i] > 0)
					L->pfix[i] = L->pfix[i] > BACKOFF ? L->pfix[i] - BACKOFF : 0.0;
			glp_std_basis(L->dual);
			dual_set_stage(L);
			continue;
		}
		obj = glp_get_obj_val(L->dual);
		yhat = glp_get_row_dual(L->dual, 1);
		for (i = 0; i < T; i++) {
			L->w[i] = L->y[i] / L->t.count[i];
		}
		/* A swap or two from the best panel known usually finds a better one. */
		best_known(L, L->w, L->x);
		local_improve(L, L->x, L->w);
		value = panel_value(L, L->x, L->w);
		if (value > yhat + CG_EPS && panelset_find(&L->ps, L->x, T,
							   panel_hash(L->x, T)) < 0) {
			j = panelset_add(&L->ps, L->a, L->x, T, &added);
			if (j < 0)
				return SORT_ENOMEM;
			dual_add_row(L, (size_t)j);
			continue;
		}
		rc = count_pricing(L, L->w, L->x);
		if (rc != SORT_OK)
			return rc;
		value = panel_value(L, L->x, L->w);
		if (value > yhat + CG_EPS) {
			j = panelset_add(&L->ps, L->a, L->x, T, &added);
			if (j < 0)
				return SORT_ENOMEM;
			if (added) {
				dual_add_row(L, (size_t)j);
				continue;
			}
			/* Known already: the difference is rounding, so the stage is done. */
		}
		*obj_out = obj;
		return SORT_OK;
	}
	return SORT_ESOLVER;
}

/* One stage: column generation until no panel improves the bound, then fixes the types
 * whose dual value is positive. Returns SORT_OK or an error. */
static int stage(struct leximin *L)
{
	size_t T = L->t.n, i;
	double obj;
	int rc;

	dual_set_stage(L);
	rc = column_generation(L, &obj);
	if (rc != SORT_OK)
		return rc;
	{
		int fixed_now = 0;
		double ymax = 0;
		size_t imax = 0;
		for (i = 0; i < T; i++) {
			double y = L->y[i];
			if (L->fixed[i])
				continue;
			if (y > ymax) {
				ymax = y;
				imax = i;
			}
			if (y > FIX_EPS) {
				L->fixed[i] = 1;
				L->pfix[i] = obj > 0 ? obj : 0.0;
				fixed_now++;
			}
		}
		if (!fixed_now) {
			/* Cannot happen while the unfixed y sum to 1 and FIX_EPS is tiny
			 * next to 1 / T; fix the largest to be sure to progress. */
			L->fixed[imax] = 1;
			L->pfix[imax] = obj > 0 ? obj : 0.0;
		}
	}
	return SORT_OK;
}

/* ---- The relaxation: LEXIMIN over the quotas' linear conditions alone ----
 *
 * Whatever the distribution over panels, the probabilities it gives (the same p_t for
 * everyone of type t) meet linear conditions: 0 <= p_t <= 1, the sum of count_t x p_t
 * is k, each quota's sum lies between its min and max, and a household's sum is at
 * most 1. The LEXIMIN over those conditions alone needs no panels: a handful of small
 * linear programmes (types x features), one per level of probability. It is at least as
 * good as any distribution over panels, so when some distribution over panels reaches
 * it, that distribution is the LEXIMIN. For pools met in practice it usually is: peeling
 * (below) then writes the target as panels directly, and column generation towards it
 * (relaxed_check) is the way out when peeling stops short; either replaces the many
 * stages, each a round of column generation, that find the levels one by one. */

/* A type whose probability can rise more than this above a stage's level is not held at
 * that level. */
#define PIN_EPS 1e-7
/* The check accepts the relaxation's answer when panels reach every target to within
 * this; probabilities are then at most this far from the LEXIMIN's. */
#define RELAX_TOL 1e-8

static int relax_simplex(glp_prob *lp)
{
	glp_smcp parm;
	int rc;
	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	rc = glp_simplex(lp, &parm);
	if (rc != 0 || glp_get_status(lp) != GLP_OPT) {
		parm.meth = GLP_DUALP;
		glp_std_basis(lp);
		rc = glp_simplex(lp, &parm);
	}
	return rc == 0 && glp_get_status(lp) == GLP_OPT ? 0 : -1;
}

/* Writes the relaxation's LEXIMIN probability of each type into TARGET and the number of
 * levels into *LEVELS. Types already fixed (at 0: on no panel) stay there. Returns
 * SORT_OK, SORT_ESOLVER, SORT_ETIMEOUT or SORT_ENOMEM. */
static int relaxed_leximin(struct leximin *L, double *target, int *levels)
{
	size_t T = L->t.n, F = L->t.n_features, C = L->t.n_categories, H = L->t.n_households;
	size_t i, c;
	int zc = (int)T + 1, trow = 2 + (int)F + (int)H, rc = SORT_OK, len;
	char *done = arena_calloc(L->a, T, 1), *cand = arena_calloc(L->a, T, 1);
	/* A column holds 3 + C entries, the level's column T. */
	int *ind = arena_alloc(L->a, (T + C + 4) * sizeof(int));
	double *val = arena_alloc(L->a, (T + C + 4) * sizeof(double));
	glp_prob *lp;

	if (!done || !cand || !ind || !val)
		return SORT_ENOMEM;
	lp = glp_create_prob();
	glp_set_obj_dir(lp, GLP_MAX);
	glp_add_rows(lp, 1 + (int)F + (int)H + (int)T);
	glp_set_row_bnds(lp, 1, GLP_FX, L->p->k, L->p->k);
	for (i = 0; i < F; i++)
		set_row_range(lp, 2 + (int)i, L->t.fmin[i], L->t.fmax[i]);
	for (i = 0; i < H; i++)
		glp_set_row_bnds(lp, 2 + (int)F + (int)i, GLP_UP, 0.0, 1.0);
	glp_add_cols(lp, (int)T + 1);
	for (i = 0; i < T; i++) {
		double m = L->t.count[i];
		len = 0;
		ind[++len] = 1;
		val[len] = m;
		for (c = 0; c < C; c++) {
			ind[++len] = 2 + L->t.feat[i][c];
			val[len] = m;
		}
		if (L->hh_of[i] >= 0) {
			ind[++len] = 2 + (int)F + L->hh_of[i];
			val[len] = 1.0;
		}
		ind[++len] = trow + (int)i;
		val[len] = 1.0;
		glp_set_mat_col(lp, (int)i + 1, len, ind, val);
		if (L->fixed[i]) {
			glp_set_col_bnds(lp, (int)i + 1, GLP_FX, L->pfix[i], L->pfix[i]);
			glp_set_row_bnds(lp, trow + (int)i, GLP_FR, 0.0, 0.0);
			target[i] = L->pfix[i];
			done[i] = 1;
		} else {
			glp_set_col_bnds(lp, (int)i + 1, GLP_DB, 0.0, 1.0);
			glp_set_row_bnds(lp, trow + (int)i, GLP_LO, 0.0, 0.0);
		}
	}
	len = 0;
	for (i = 0; i < T; i++) {
		ind[++len] = trow + (int)i;
		val[len] = -1.0;
	}
	glp_set_mat_col(lp, zc, len, ind, val);
	*levels = 0;
	for (;;) {
		double zstar;
		size_t left = 0, removed, lowest = 0;
		for (i = 0; i < T; i++)
			left += !done[i];
		if (!left)
			break;
		if (past_deadline(L)) {
			rc = SORT_ETIMEOUT;
			break;
		}
		/* The level: the largest z with every type not yet done at least z. */
		for (i = 0; i < T; i++)
			glp_set_obj_coef(lp, (int)i + 1, 0.0);
		glp_set_obj_coef(lp, zc, 1.0);
		glp_set_col_bnds(lp, zc, GLP_FR, 0.0, 0.0);
		L->lps++;
		if (relax_simplex(lp)) {
			rc = SORT_ESOLVER;
			break;
		}
		zstar = glp_get_col_prim(lp, zc);
		(*levels)++;
		/* Which types cannot rise above it: with z held there, push up the sum of
		 * the candidates; any that rises is free, and when none does, every one
		 * left is held (if one could rise, the sum could too). */
		glp_set_obj_coef(lp, zc, 0.0);
		glp_set_col_bnds(lp, zc, GLP_FX, zstar, zstar);
		for (i = 0; i < T; i++) {
			cand[i] = !done[i];
			glp_set_obj_coef(lp, (int)i + 1, cand[i] ? 1.0 : 0.0);
		}
		for (;;) {
			double pmin = 2.0;
			L->lps++;
			if (relax_simplex(lp)) {
				rc = SORT_ESOLVER;
				break;
			}
			removed = 0;
			for (i = 0; i < T; i++) {
				double v;
				if (!cand[i])
					continue;
				v = glp_get_col_prim(lp, (int)i + 1);
				if (v < pmin) {
					pmin = v;
					lowest = i;
				}
				if (v > zstar + PIN_EPS) {
					cand[i] = 0;
					glp_set_obj_coef(lp, (int)i + 1, 0.0);
					removed++;
				}
			}
			if (!removed)
				break;
			left = 0;
			for (i = 0; i < T; i++)
				left += cand[i];
			if (!left) {
				/* Only rounding can make every type rise above the level; hold
				 * the lowest so the next level is found. */
				cand[lowest] = 1;
				break;
			}
		}
		if (rc != SORT_OK)
			break;
		if (zstar < 0)
			zstar = 0;
		for (i = 0; i < T; i++) {
			if (!cand[i])
				continue;
			done[i] = 1;
			target[i] = zstar;
			glp_set_col_bnds(lp, (int)i + 1, GLP_FX, zstar, zstar);
			glp_set_row_bnds(lp, trow + (int)i, GLP_FR, 0.0, 0.0);
		}
	}
	glp_delete_prob(lp);
	return rc;
}

/* ---- Peeling: the relaxation's answer written as panels, one at a time ----
 *
 * R holds what is left to cover of each type's target probability and M the share of
 * the distribution not yet given to a panel; at the start R is the target and M is 1,
 * and R / M always meets the linear conditions above. Each step finds a panel that
 * keeps every condition tight at R / M tight (a type that is never or always chosen,
 * a quota at its min or max, a full household): the integer programme with those held
 * as equalities and the others as they are, preferring the types with the most left.
 * The panel gets the largest share L for which (R - L x panel) / (M - L) still meets
 * every condition, so at least one more becomes tight, and the number of steps is at
 * most the number of conditions. When M reaches 0 the panels reach the target exactly;
 * when no panel fits (the conditions' corners are not all panels) peeling stops and
 * column generation takes over from the panels found. */

/* A condition counts as tight when its slack is below this share of what is left (M),
 * and peeling stops when M itself is below PEEL_DONE: every probability is then within
 * PEEL_DONE of its target. */
#define PEEL_TIGHT 1e-9
#define PEEL_DONE 1e-8
/* Seconds one search for a panel on a face may take before peeling gives way. */
#define PEEL_SEARCH_SECONDS 5.0

static int peel(struct leximin *L, const double *target, struct peeled **out, size_t *n_out,
		int *reached)
{
	size_t T = L->t.n, F = L->t.n_features, C = L->t.n_categories, H = L->t.n_households;
	size_t i, f, cap = 0, n = 0, step, max_steps = 4 * (T + F + H) + 100;
	double *R = arena_alloc(L->a, T * sizeof(double));
	double *Q = arena_alloc(L->a, (F + 1) * sizeof(double));
	double *HR = arena_alloc(L->a, (H + 1) * sizeof(double));
	int *cf = arena_alloc(L->a, (F + 1) * sizeof(int));
	int *ch = arena_alloc(L->a, (H + 1) * sizeof(int));
	glp_prob *lp = L->pr.lp;
	double M = 1.0;
	struct peeled *list = NULL;
	int rc = SORT_OK, added, j;

	*reached = 0;
	if (!R || !Q || !HR || !cf || !ch)
		return SORT_ENOMEM;
	memcpy(R, target, T * sizeof(double));
	for (step = 0; step < max_steps && M > PEEL_DONE; step++) {
		double lam = M;
		if (past_deadline(L)) {
			rc = SORT_ETIMEOUT;
			break;
		}
		memset(Q, 0, F * sizeof(double));
		memset(HR, 0, (H ? H : 1) * sizeof(double));
		for (i = 0; i < T; i++) {
			double m = L->t.count[i], r = R[i] / M;
			int col = (int)i + 1;
			for (f = 0; f < C; f++)
				Q[L->t.feat[i][f]] += m * R[i];
			if (L->hh_of[i] >= 0)
				HR[L->hh_of[i]] += R[i];
			if (R[i] <= PEEL_TIGHT * M)
				glp_set_col_bnds(lp, col, GLP_FX, 0.0, 0.0);
			else if (R[i] >= M - PEEL_TIGHT * M)
				glp_set_col_bnds(lp, col, GLP_FX, m, m);
			else
				glp_set_col_bnds(lp, col, GLP_DB, 0.0, m);
			glp_set_obj_coef(lp, col, r);
		}
		for (f = 0; f < F; f++) {
			double lo = L->t.fmin[f], hi = L->t.fmax[f];
			if (Q[f] <= (lo + PEEL_TIGHT) * M)
				hi = lo;
			else if (Q[f] >= (hi - PEEL_TIGHT) * M)
				lo = hi;
			set_row_range(lp, 2 + (int)f, lo, hi);
		}
		for (i = 0; i < H; i++)
			if (HR[i] >= (1 - PEEL_TIGHT) * M)
				glp_set_row_bnds(lp, 2 + (int)F + (int)i, GLP_FX, 1.0, 1.0);
			else
				glp_set_row_bnds(lp, 2 + (int)F + (int)i, GLP_UP, 0.0, 1.0);
		{
			/* A face whose panels are hard to find (or that has none) is left to
			 * column generation rather than searched for long. */
			double limit = now_seconds() + PEEL_SEARCH_SECONDS;
			L->pr.deadline = L->deadline > 0 && L->deadline < limit ? L->deadline : limit;
			L->pr.first = 1;
			rc = count_pricing(L, NULL, L->x);
			L->pr.first = 0;
			L->pr.deadline = L->deadline;
		}
		if (rc == SORT_ETIMEOUT && !past_deadline(L)) {
			rc = SORT_OK;
			break;
		}
		if (rc == SORT_EINFEASIBLE) {
			rc = SORT_OK; /* a corner that is not a panel: stop here */
			break;
		}
		if (rc != SORT_OK)
			break;
		/* The largest share this panel can take. */
		memset(cf, 0, F * sizeof(int));
		memset(ch, 0, (H ? H : 1) * sizeof(int));
		for (i = 0; i < T; i++) {
			double m = L->t.count[i], a = L->x[i] / m;
			for (f = 0; f < C; f++)
				cf[L->t.feat[i][f]] += L->x[i];
			if (L->hh_of[i] >= 0)
				ch[L->hh_of[i]] += L->x[i];
			if (a > 0 && R[i] / a < lam)
				lam = R[i] / a;
			if (a < 1 && (M - R[i]) / (1 - a) < lam)
				lam = (M - R[i]) / (1 - a);
		}
		for (f = 0; f < F; f++) {
			double lo = L->t.fmin[f], hi = L->t.fmax[f];
			if (cf[f] > lo && (Q[f] - lo * M) / (cf[f] - lo) < lam)
				lam = (Q[f] - lo * M) / (cf[f] - lo);
			if (cf[f] < hi && (hi * M - Q[f]) / (hi - cf[f]) < lam)
				lam = (hi * M - Q[f]) / (hi - cf[f]);
		}
		for (i = 0; i < H; i++)
			if (!ch[i] && M - HR[i] < lam)
				lam = M - HR[i];
		if (lam <= 0) {
			break; /* only rounding is left to take: stop */
		}
		j = panelset_add(&L->ps, L->a, L->x, T, &added);
		if (j < 0) {
			rc = SORT_ENOMEM;
			break;
		}
		if (n == cap) {
			list = arena_grow(L->a, list, n, &cap, sizeof(*list));
			if (!list) {
				rc = SORT_ENOMEM;
				break;
			}
		}
		list[n].panel = j;
		list[n].share = lam;
		n++;
		for (i = 0; i < T; i++) {
			R[i] -= lam * L->x[i] / L->t.count[i];
			if (R[i] < 0)
				R[i] = 0;
		}
		M -= lam;
	}
	L->peel_steps = (int)step;
	/* Put the pricer back as column generation expects it. */
	for (i = 0; i < T; i++)
		if (L->t.count[i] > 0)
			glp_set_col_bnds(lp, (int)i + 1, GLP_DB, 0.0, L->t.count[i]);
	for (f = 0; f < F; f++)
		set_row_range(lp, 2 + (int)f, L->t.fmin[f], L->t.fmax[f]);
	for (i = 0; i < H; i++)
		glp_set_row_bnds(lp, 2 + (int)F + (int)i, GLP_UP, 0.0, 1.0);
	*out = list;
	*n_out = n;
	if (rc == SORT_OK && M <= PEEL_DONE)
		*reached = 1;
	return rc;
}

/* Whether panels reach the relaxation's LEXIMIN (see above). Column generation on the
 * programme: minimise the people-weighted shortfall, sum of count_t x s_t, with every
 * type's probability plus s_t at least its target and the panels' probabilities summing
 * to 1. Starting from the shortfalls alone is a feasible basis, and it is far less
 * degenerate than the stages' max-min form, so each new panel costs few pivots. On
 * SORT_OK, *REACHED says whether the shortfall reached 0 (then every type is fixed at
 * its target and the stages are skipped); otherwise the stages go on from every panel
 * found here. */
static int relaxed_peel(struct leximin *L, double *target, int *reached, int *levels)
{
	struct peeled *list;
	size_t n, i;
	int rc;

	*reached = 0;
	rc = relaxed_leximin(L, target, levels);
	if (rc != SORT_OK)
		return rc;
	rc = peel(L, target, &list, &n, reached);
	if (rc != SORT_OK || !*reached)
		return rc;
	L->peeled = list;
	L->n_peeled = n;
	for (i = 0; i < L->t.n; i++) {
		L->fixed[i] = 1;
		L->pfix[i] = target[i];
	}
	return SORT_OK;
}

static int relaxed_check(struct leximin *L, const double *target, int *reached)
{
	size_t T = L->t.n, i, j, n0 = L->ps.n;
	glp_prob *lp;
	glp_smcp parm;
	int rc, iter, added;

	*reached = 0;
	lp = glp_create_prob();
	glp_set_obj_dir(lp, GLP_MIN);
	glp_add_rows(lp, (int)T + 1);
	glp_set_row_bnds(lp, 1, GLP_FX, 1.0, 1.0);
	glp_add_cols(lp, (int)T);
	for (i = 0; i < T; i++) {
		int r[2] = {0, (int)i + 2};
		double one[2] = {0.0, 1.0};
		glp_set_row_bnds(lp, r[1], GLP_LO, target[i], 0.0);
		glp_set_mat_col(lp, (int)i + 1, 1, r, one);
		glp_set_col_bnds(lp, (int)i + 1, GLP_LO, 0.0, 0.0);
		glp_set_obj_coef(lp, (int)i + 1, L->t.count[i]);
	}
	for (j = 0; j < n0; j++)
		panel_add_col(L, lp, j);
	rc = SORT_ESOLVER;
	for (iter = 0; iter < MAX_CG_ITERATIONS; iter++) {
		double obj, mu, value;
		int st;
		if (past_deadline(L)) {
			rc = SORT_ETIMEOUT;
			break;
		}
		glp_init_smcp(&parm);
		parm.msg_lev = GLP_MSG_OFF;
		parm.it_lim = LP_ITERATION_LIMIT;
		L->lps++;
		st = glp_simplex(lp, &parm);
		if (st != 0 || glp_get_status(lp) != GLP_OPT) {
			glp_std_basis(lp);
			parm.meth = GLP_DUALP;
			L->lps++;
			st = glp_simplex(lp, &parm);
			if (st != 0 || glp_get_status(lp) != GLP_OPT)
				break;
		}
		obj = glp_get_obj_val(lp);
		if (obj <= RELAX_TOL) {
			*reached = 1;
			rc = SORT_OK;
			break;
		}
		mu = glp_get_row_dual(lp, 1);
		for (i = 0; i < T; i++) {
			double y = glp_get_row_dual(lp, (int)i + 2);
			L->w[i] = (y > 0 ? y : 0.0) / L->t.count[i];
		}
		best_known(L, L->w, L->x);
		local_improve(L, L->x, L->w);
		value = panel_value(L, L->x, L->w);
		if (value + mu <= CG_EPS || panelset_find(&L->ps, L->x, T,
							  panel_hash(L->x, T)) >= 0) {
			rc = count_pricing(L, L->w, L->x);
			if (rc != SORT_OK)
				break;
			value = panel_value(L, L->x, L->w);
			if (value + mu <= CG_EPS) {
				rc = SORT_OK; /* no panel lowers the shortfall: not reached */
				break;
			}
		}
		if (panelset_add(&L->ps, L->a, L->x, T, &added) < 0) {
			rc = SORT_ENOMEM;
			break;
		}
		if (!added) {
			rc = SORT_OK; /* rounding: treat as not reached */
			break;
		}
		panel_add_col(L, lp, L->ps.n - 1);
	}
	glp_delete_prob(lp);
	if (rc == SORT_ESOLVER)
		*reached = 0; /* numerical trouble here: the stages decide */
	else if (rc != SORT_OK)
		return rc;
	if (*reached) {
		for (i = 0; i < T; i++) {
			L->fixed[i] = 1;
			L->pfix[i] = target[i] > RELAX_TOL ? target[i] - RELAX_TOL : 0.0;
		}
		return SORT_OK;
	}
	/* Not reached: the stages' master gets the panels found here too. */
	for (j = n0; j < L->ps.n; j++)
		dual_add_row(L, j);
	return SORT_OK;
}

/* The final distribution: minimise eps with every type at least its fixed probability
 * less eps, over all panels found. Writes each panel's probability into Q. */
static int final_distribution(struct leximin *L, double *q)
{
	glp_prob *lp = glp_create_prob();
	size_t T = L->t.n, P = L->ps.n, i, j;
	int *ind = arena_alloc(L->a, (P + 2) * sizeof(int));
	double *val = arena_alloc(L->a, (P + 2) * sizeof(double));
	int **rows_ind = arena_calloc(L->a, T, sizeof(int *));
	double **rows_val = arena_calloc(L->a, T, sizeof(double *));
	int *len = arena_calloc(L->a, T, sizeof(int));
	glp_smcp parm;
	int rc, eps_col = (int)P + 1, m;
	double sum = 0;

	if (!ind || !val || !rows_ind || !rows_val || !len) {
		glp_delete_prob(lp);
		return SORT_ENOMEM;
	}
	for (j = 0; j < P; j++)
		for (m = 0; m < L->ps.len[j]; m++)
			len[L->ps.type[L->ps.start[j] + (size_t)m]]++;
	for (i = 0; i < T; i++) {
		rows_ind[i] = arena_alloc(L->a, (size_t)(len[i] + 2) * sizeof(int));
		rows_val[i] = arena_alloc(L->a, (size_t)(len[i] + 2) * sizeof(double));
		if (!rows_ind[i] || !rows_val[i]) {
			glp_delete_prob(lp);
			return SORT_ENOMEM;
		}
		len[i] = 0;
	}
	for (j = 0; j < P; j++)
		for (m = 0; m < L->ps.len[j]; m++) {
			size_t s = L->ps.start[j] + (size_t)m;
			int ty = L->ps.type[s];
			len[ty]++;
			rows_ind[ty][len[ty]] = (int)j + 1;
			rows_val[ty][len[ty]] = (double)L->ps.cnt[s] / L->t.count[ty];
		}
	glp_set_obj_dir(lp, GLP_MIN);
	glp_add_cols(lp, (int)P + 1);
	for (j = 0; j < P; j++)
		glp_set_col_bnds(lp, (int)j + 1, GLP_LO, 0.0, 0.0);
	glp_set_col_bnds(lp, eps_col, GLP_LO, 0.0, 0.0);
	glp_set_obj_coef(lp, eps_col, 1.0);
	glp_add_rows(lp, (int)T + 1);
	for (j = 0; j < P; j++) {
		ind[j + 1] = (int)j + 1;
		val[j + 1] = 1.0;
	}
	glp_set_mat_row(lp, 1, (int)P, ind, val);
	glp_set_row_bnds(lp, 1, GLP_FX, 1.0, 1.0);
	for (i = 0; i < T; i++) {
		int l = len[i];
		rows_ind[i][l + 1] = eps_col;
		rows_val[i][l + 1] = 1.0;
		glp_set_mat_row(lp, (int)i + 2, l + 1, rows_ind[i], rows_val[i]);
		glp_set_row_bnds(lp, (int)i + 2, GLP_LO, L->pfix[i], 0.0);
	}
	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	L->lps++;
	rc = glp_simplex(lp, &parm);
	if (rc != 0 || glp_get_status(lp) != GLP_OPT) {
		glp_delete_prob(lp);
		return SORT_ESOLVER;
	}
	for (j = 0; j < P; j++) {
		double v = glp_get_col_prim(lp, (int)j + 1);
		q[j] = v < 1e-12 ? 0.0 : (v > 1.0 ? 1.0 : v);
		sum += q[j];
	}
	glp_delete_prob(lp);
	if (sum <= 0)
		return SORT_ESOLVER;
	for (j = 0; j < P; j++)
		q[j] /= sum;
	return SORT_OK;
}

/* ---- From panels of counts to panels of named people ---- */

/* A breakpoint j/d on [0, 1), compared exactly. */
struct frac {
	int64_t num, den;
};

static int frac_cmp(const void *x, const void *y)
{
	const struct frac *a = x, *b = y;
	int64_t l = a->num * b->den, r = b->num * a->den;
	return (l > r) - (l < r);
}

static int int_cmp(const void *x, const void *y)
{
	int a = *(const int *)x, b = *(const int *)y;
	return (a > b) - (a < b);
}

static int64_t gcd64(int64_t a, int64_t b)
{
	while (b) {
		int64_t r = a % b;
		a = b;
		b = r;
	}
	return a;
}

/* Turns type panel J (probability QJ) into panels of people, appended to OUT. Within a
 * type of c people of whom x are on the panel, person m (0-based) is on it when a point
 * u' + j (j = 0..x-1) falls in [m x / c, (m + 1) x / c); u' uniform on [0, 1) gives each
 * exactly x / c. The chosen set changes only at the points m x / c mod 1, so the panel
 * splits into one named panel per interval between them, each with the interval's length
 * times QJ: exact, and few panels. */
static int expand_panel(struct leximin *L, size_t j, double qj, struct sort_result *out,
			size_t *cap_panels)
{
	const struct panelset *ps = &L->ps;
	size_t s = ps->start[j], nb = 0, b, cap_b = 0;
	int len = ps->len[j], m, k = L->p->k;
	struct frac *br = NULL;

	for (m = 0; m < len; m++) {
		int ty = ps->type[s + (size_t)m], x = ps->cnt[s + (size_t)m], c = L->t.count[ty];
		int64_t d, q;
		if (x == c)
			continue;
		d = c / gcd64(x, c);
		for (q = 0; q < d; q++) {
			if (nb == cap_b) {
				br = arena_grow(L->a, br, nb, &cap_b, sizeof(*br));
				if (!br)
					return SORT_ENOMEM;
			}
			br[nb].num = q;
			br[nb].den = d;
			nb++;
		}
	}
	if (nb == 0) {
		br = arena_alloc(L->a, sizeof(*br));
		if (!br)
			return SORT_ENOMEM;
		br[0].num = 0;
		br[0].den = 1;
		nb = 1;
	}
	qsort(br, nb, sizeof(*br), frac_cmp);
	{
		size_t u = 1;
		for (b = 1; b < nb; b++)
			if (frac_cmp(&br[b], &br[u - 1]) != 0)
				br[u++] = br[b];
		nb = u;
	}
	for (b = 0; b < nb; b++) {
		double lo = (double)br[b].num / (double)br[b].den;
		double hi = b + 1 < nb ? (double)br[b + 1].num / (double)br[b + 1].den : 1.0;
		double mid = (lo + hi) / 2, piece = (hi - lo) * qj;
		int *people, filled = 0;
		if (piece <= 0)
			continue;
		if (out->n_panels == SORT_MAX_PANELS_OUT)
			return SORT_ENOMEM;
		if (out->n_panels == *cap_panels) {
			size_t c1 = *cap_panels;
			double *pp = arena_grow(L->a, out->panel_prob, out->n_panels, &c1,
						sizeof(double));
			int *pl;
			if (!pp)
				return SORT_ENOMEM;
			out->panel_prob = pp;
			/* the panels grow with their probabilities, k people each */
			pl = arena_alloc(L->a, c1 * (size_t)k * sizeof(int));
			if (!pl)
				return SORT_ENOMEM;
			if (out->n_panels)
				memcpy(pl, out->panels, out->n_panels * (size_t)k * sizeof(int));
			out->panels = pl;
			*cap_panels = c1;
		}
		people = &out->panels[out->n_panels * (size_t)k];
		for (m = 0; m < len; m++) {
			int ty = ps->type[s + (size_t)m], x = ps->cnt[s + (size_t)m];
			int c = L->t.count[ty], q;
			for (q = 0; q < x; q++) {
				int who = x == c ? q : (int)floor((mid + q) * c / x);
				if (who >= c)
					who = c - 1;
				people[filled++] = L->t.members[ty][who];
			}
		}
		if (filled != k)
			return SORT_ESOLVER;
		qsort(people, (size_t)k, sizeof(int), int_cmp);
		out->panel_prob[out->n_panels++] = piece;
	}
	return SORT_OK;
}

static void leximin_release(struct leximin *L)
{
	pricer_free(&L->pr);
	if (L->dual)
		glp_delete_prob(L->dual);
	L->dual = NULL;
}

/* The stages' master programme over every panel found so far (see struct leximin). */
static int master_create(struct leximin *L)
{
	size_t j;
	L->dual = glp_create_prob();
	glp_set_obj_dir(L->dual, GLP_MAX);
	glp_add_cols(L->dual, 1);
	glp_set_col_bnds(L->dual, 1, GLP_FR, 0.0, 0.0);
	glp_set_obj_coef(L->dual, 1, 1.0);
	glp_add_rows(L->dual, (int)L->t.n + 1);
	glp_set_row_bnds(L->dual, 1, GLP_FX, 1.0, 1.0);
	for (j = 0; j < L->ps.n; j++)
		dual_add_row(L, j);
	return SORT_OK;
}

/* The quick way first (see "The relaxation" above): the relaxation's LEXIMIN, peeled into
 * panels. Failing that, the usual warm-up, the relaxation again if the warm-up found
 * types that are on no panel, and column generation towards it. When none of it reaches
 * the relaxation's answer, the stages go on from every panel found. */
static int shortcut(struct leximin *L, struct sort_result *out)
{
	size_t T = L->t.n, i, before = 0, after = 0;
	double *target = arena_calloc(L->a, T, sizeof(double));
	int reached = 0, levels = 0, rc, have_target = 1;

	if (!target)
		return SORT_ENOMEM;
	rc = relaxed_peel(L, target, &reached, &levels);
	if (rc == SORT_ESOLVER) /* numerical trouble in the quick way: take the long one */
		have_target = 0;
	else if (rc != SORT_OK)
		return rc;
	if (!reached) {
		for (i = 0; i < T; i++)
			before += (size_t)L->fixed[i];
		rc = warm_up(L);
		if (rc != SORT_OK)
			return rc;
		for (i = 0; i < T; i++)
			after += (size_t)L->fixed[i];
		if (have_target && after > before) {
			rc = relaxed_peel(L, target, &reached, &levels);
			if (rc == SORT_ESOLVER)
				have_target = 0;
			else if (rc != SORT_OK)
				return rc;
		}
	}
	if (!reached) {
		rc = master_create(L);
		if (rc == SORT_OK && have_target)
			rc = relaxed_check(L, target, &reached);
		if (rc != SORT_OK)
			return rc;
	}
	if (reached) {
		out->stages = levels;
		out->relaxed = 1;
		out->peel_steps = L->peeled ? L->peel_steps : 0;
	}
	return SORT_OK;
}

static int leximin_run(struct leximin *L, struct sort_result *out, char *err, size_t errlen)
{
	const struct sort_problem *p = L->p;
	size_t T, i, j, nfixed, cap_panels = 0;
	double *q, *pt;
	int rc;

	rc = types_build(p, L->a, &L->t);
	if (rc != SORT_OK)
		return rc;
	T = L->t.n;
	L->fixed = arena_calloc(L->a, T, sizeof(int));
	L->pfix = arena_calloc(L->a, T, sizeof(double));
	L->x = arena_calloc(L->a, T, sizeof(int));
	L->w = arena_calloc(L->a, T, sizeof(double));
	L->ind = arena_calloc(L->a, T + (size_t)p->k + 3, sizeof(int));
	L->val = arena_calloc(L->a, T + (size_t)p->k + 3, sizeof(double));
	L->fc = arena_calloc(L->a, L->t.n_features + 1, sizeof(int));
	L->y = arena_calloc(L->a, T, sizeof(double));
	L->hh_of = arena_alloc(L->a, T * sizeof(int));
	L->hh_sel = arena_calloc(L->a, L->t.n_households + 1, sizeof(int));
	L->order = arena_alloc(L->a, T * sizeof(*L->order));
	if (!L->fixed || !L->pfix || !L->x || !L->w || !L->ind || !L->val || !L->fc ||
	    !L->hh_of || !L->hh_sel || !L->order || !L->y)
		return SORT_ENOMEM;
	memset(L->hh_of, 0xff, T * sizeof(int));
	for (i = 0; i < L->t.n_households; i++) {
		int m;
		for (m = 0; m < L->t.household_size[i]; m++)
			L->hh_of[L->t.household[i][m]] = (int)i;
	}
	rc = pricer_init(&L->pr, &L->t, p->k, L->a, 0);
	if (rc != SORT_OK)
		return rc;
	L->pr.deadline = L->deadline;
	/* Is any panel possible at all? */
	rc = count_pricing(L, NULL, L->x);
	if (rc == SORT_EINFEASIBLE) {
		set_err(err, errlen, "no panel of %d can meet every quota", p->k);
		return rc;
	}
	if (rc != SORT_OK)
		return rc;
	{
		int added;
		if (panelset_add(&L->ps, L->a, L->x, T, &added) < 0)
			return SORT_ENOMEM;
	}
	if (p->stages_only) {
		rc = warm_up(L);
		if (rc == SORT_OK)
			rc = master_create(L);
	} else
		rc = shortcut(L, out);
	if (rc != SORT_OK)
		return rc;
	for (;;) {
		nfixed = 0;
		for (i = 0; i < T; i++)
			nfixed += (size_t)L->fixed[i];
		if (nfixed == T)
			break;
		rc = stage(L);
		if (rc == SORT_ETIMEOUT)
			return rc;
		if (rc != SORT_OK) {
			set_err(err, errlen, "the solver could not finish a stage");
			return rc;
		}
		out->stages++;
	}

	q = arena_calloc(L->a, L->ps.n, sizeof(double));
	pt = arena_calloc(L->a, T, sizeof(double));
	out->prob = arena_calloc(L->a, p->n_people, sizeof(double));
	if (!q || !pt || !out->prob)
		return SORT_ENOMEM;
	if (L->peeled) {
		double sum = 0;
		for (j = 0; j < L->n_peeled; j++) {
			q[L->peeled[j].panel] += L->peeled[j].share;
			sum += L->peeled[j].share;
		}
		for (j = 0; j < L->ps.n; j++)
			q[j] /= sum;
		rc = SORT_OK;
	} else
		rc = final_distribution(L, q);
	if (rc != SORT_OK) {
		set_err(err, errlen, "the solver could not find the final distribution");
		return rc;
	}
	for (j = 0; j < L->ps.n; j++) {
		int m;
		if (q[j] <= 0)
			continue;
		out->n_type_panels++;
		for (m = 0; m < L->ps.len[j]; m++) {
			size_t s = L->ps.start[j] + (size_t)m;
			pt[L->ps.type[s]] += q[j] * L->ps.cnt[s] / L->t.count[L->ps.type[s]];
		}
		rc = expand_panel(L, j, q[j], out, &cap_panels);
		if (rc != SORT_OK) {
			set_err(err, errlen, "too many panels to list");
			return rc;
		}
	}
	out->min_prob = 1.0;
	for (i = 0; i < p->n_people; i++) {
		out->prob[i] = pt[L->t.type_of[i]];
		if (out->prob[i] < out->min_prob)
			out->min_prob = out->prob[i];
	}
	out->n_types = T;
	return SORT_OK;
}

int sortition_leximin(const struct sort_problem *p, arena *a, struct sort_result *out,
		      char *err, size_t errlen)
{
	struct leximin L;
	double start = now_seconds();
	int rc, own_env;

	memset(out, 0, sizeof(*out));
	if (err && errlen)
		err[0] = '\0';
	rc = check_problem(p, err, errlen);
	if (rc != SORT_OK)
		return rc;
	memset(&L, 0, sizeof(L));
	L.p = p;
	L.a = a;
	if (p->time_limit_seconds > 0)
		L.deadline = start + p->time_limit_seconds;
	own_env = glp_init_env() == 0;
	rc = leximin_run(&L, out, err, errlen);
	leximin_release(&L);
	if (own_env)
		glp_free_env();
	out->pricing_solves = L.pricing;
	out->pricing_seconds = L.pricing_seconds;
	out->lp_solves = L.lps;
	out->seconds = now_seconds() - start;
	if (rc == SORT_ENOMEM && err && !err[0])
		set_err(err, errlen, "out of memory");
	if (rc == SORT_ESOLVER && err && !err[0])
		set_err(err, errlen, "the solver failed");
	if (rc == SORT_ETIMEOUT)
		set_err(err, errlen, "working out the chances took longer than the %g seconds allowed",
			p->time_limit_seconds);
	return rc;
}

/* ---- Relaxation ---- */

static int relax_run(const struct sort_problem *p, arena *a, int *min_out, int *max_out)
{
	struct types t;
	struct pricer pr;
	glp_iocp parm;
	int rc, st, f;

	rc = check_problem(p, NULL, 0);
	if (rc != SORT_OK)
		return rc;
	rc = types_build(p, a, &t);
	if (rc != SORT_OK)
		return rc;
	rc = pricer_init(&pr, &t, p->k, a, 1);
	if (rc != SORT_OK) {
		pricer_free(&pr);
		return rc;
	}
	glp_init_iocp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	parm.presolve = GLP_ON;
	rc = glp_intopt(pr.lp, &parm);
	st = glp_mip_status(pr.lp);
	if (rc == GLP_ENOPFS || rc == GLP_ENOFEAS || (rc == 0 && st == GLP_NOFEAS)) {
		pricer_free(&pr);
		return SORT_EINFEASIBLE;
	}
	if (rc != 0 || st != GLP_OPT) {
		pricer_free(&pr);
		return SORT_ESOLVER;
	}
	for (f = 0; f < (int)t.n_features; f++) {
		int ra = (int)lround(glp_mip_col_val(pr.lp, (int)t.n + 1 + 2 * f));
		int rb = (int)lround(glp_mip_col_val(pr.lp, (int)t.n + 2 + 2 * f));
		min_out[f] = t.fmin[f] - ra;
		max_out[f] = t.fmax[f] + rb;
	}
	pricer_free(&pr);
	return SORT_OK;
}

int sortition_relax(const struct sort_problem *p, arena *a, int *min_out, int *max_out)
{
	/* Frees GLPK's per-thread environment when this call created it (sortition.h). */
	int own_env = glp_init_env() == 0, rc;
	rc = relax_run(p, a, min_out, max_out);
	if (own_env)
		glp_free_env();
	return rc;
}

int sortition_panel_ok(const struct sort_problem *p, const int *people)
{
	size_t C = p->n_categories, c;
	int i, j;
	int counts[SORT_MAX_VALUES];
	for (i = 0; i < p->k; i++) {
		if (people[i] < 0 || (size_t)people[i] >= p->n_people)
			return 0;
		for (j = 0; j < i; j++)
			if (people[j] == people[i])
				return 0;
		if (p->household)
			for (j = 0; j < i; j++)
				if (p->household[people[j]] == p->household[people[i]])
					return 0;
	}
	for (c = 0; c < C; c++) {
		const struct sort_category *cat = &p->categories[c];
		size_t v;
		memset(counts, 0, sizeof(counts));
		for (i = 0; i < p->k; i++)
			counts[p->feature[(size_t)people[i] * C + c]]++;
		for (v = 0; v < cat->n_values; v++)
			if (counts[v] < cat->min[v] || counts[v] > cat->max[v])
				return 0;
	}
	return 1;
}

/* ---- The greedy method (sortition.md section 2) ---- */

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static size_t rng_below(struct rng *r, size_t n)
{
	return (size_t)(rng_next(r) % n);
}

/* Removes person I from the pool: REMAINING drops for each of their values. */
static void legacy_delete(const struct sort_problem *p, const struct types *t, char *alive,
			  int *remaining, size_t i)
{
	size_t c;
	if (!alive[i])
		return;
	alive[i] = 0;
	for (c = 0; c < p->n_categories; c++)
		remaining[t->first_feature[c] + p->feature[i * p->n_categories + c]]--;
}

/* One attempt; returns 1 and marks the chosen in CHOSEN, or 0 when it failed. */
static int legacy_attempt(const struct sort_problem *p, const struct types *t,
			  struct rng *r, char *alive, int *selected, int *remaining,
			  int *chosen)
{
	size_t n = p->n_people, C = p->n_categories, F = t->n_features, i, f, c;
	int step;
	memset(selected, 0, F * sizeof(int));
	memset(remaining, 0, F * sizeof(int));
	for (i = 0; i < n; i++) {
		alive[i] = 1;
		for (c = 0; c < C; c++)
			remaining[t->first_feature[c] + p->feature[i * C + c]]++;
	}
	for (step = 0; step < p->k; step++) {
		double best = -1e300;
		int bf = -1;
		size_t pick, seen = 0, who = n;
		for (f = 0; f < F; f++) {
			double ratio;
			if (remaining[f] == 0 || t->fmax[f] == 0)
				continue;
			if (selected[f] < t->fmin[f] && remaining[f] < t->fmin[f] - selected[f])
				return 0;
			ratio = (double)(t->fmin[f] - selected[f]) / remaining[f];
			if (ratio > 1.0)
				return 0;
			if (ratio > best) {
				best = ratio;
				bf = (int)f;
			}
		}
		if (bf < 0)
			return 0;
		/* A uniformly chosen remaining person with that value. */
		{
			int cat = 0;
			while (t->first_feature[cat + 1] <= bf)
				cat++;
			pick = rng_below(r, (size_t)remaining[bf]);
			for (i = 0; i < n; i++) {
				if (!alive[i] ||
				    t->first_feature[cat] + p->feature[i * C + (size_t)cat] != bf)
					continue;
				if (seen++ == pick) {
					who = i;
					break;
				}
			}
		}
		if (who == n)
			return 0;
		chosen[step] = (int)who;
		for (c = 0; c < C; c++)
			selected[t->first_feature[c] + p->feature[who * C + c]]++;
		legacy_delete(p, t, alive, remaining, who);
		if (p->household)
			for (i = 0; i < n; i++)
				if (alive[i] && p->household[i] == p->household[who])
					legacy_delete(p, t, alive, remaining, i);
		for (c = 0; c < C; c++) {
			int ff = t->first_feature[c] + p->feature[who * C + c];
			if (selected[ff] == t->fmax[ff])
				for (i = 0; i < n; i++)
					if (alive[i] &&
					    t->first_feature[c] + p->feature[i * C + c] == ff)
						legacy_delete(p, t, alive, remaining, i);
		}
		for (f = 0; f < F; f++)
			if (remaining[f] == 0 && selected[f] < t->fmin[f])
				return 0;
	}
	for (f = 0; f < F; f++)
		if (selected[f] < t->fmin[f])
			return 0;
	return 1;
}

int sortition_legacy(const struct sort_problem *p, arena *a, uint64_t seed, int runs,
		     double *prob_out)
{
	struct types t;
	struct rng r = {seed};
	char *alive;
	int *selected, *remaining, *chosen, run, rc;
	long attempts = 0, max_attempts = 100L * (runs > 0 ? runs : 1);
	size_t i;

	rc = check_problem(p, NULL, 0);
	if (rc != SORT_OK || runs < 1)
		return SORT_EINVALID;
	rc = types_build(p, a, &t);
	if (rc != SORT_OK)
		return rc;
	alive = arena_alloc(a, p->n_people);
	selected = arena_alloc(a, (t.n_features + 1) * sizeof(int));
	remaining = arena_alloc(a, (t.n_features + 1) * sizeof(int));
	chosen = arena_alloc(a, (size_t)p->k * sizeof(int));
	if (!alive || !selected || !remaining || !chosen)
		return SORT_ENOMEM;
	for (i = 0; i < p->n_people; i++)
		prob_out[i] = 0;
	for (run = 0; run < runs; run++) {
		int j;
		while (!legacy_attempt(p, &t, &r, alive, selected, remaining, chosen))
			if (++attempts > max_attempts)
				return SORT_EINFEASIBLE;
		for (j = 0; j < p->k; j++)
			prob_out[chosen[j]] += 1.0;
	}
	for (i = 0; i < p->n_people; i++)
		prob_out[i] /= runs;
	return SORT_OK;
}

/* ---- The lottery ---- */

int sortition_lottery(const struct sort_result *r, int k, int m, arena *a,
		      int *panel_of_ticket, double *max_deviation)
{
	size_t j = 0, n_people = 0, i;
	double cum, *got;
	int tk, q;

	if (!r || r->n_panels == 0 || m < 1 || m > SORT_MAX_TICKETS || k < 1)
		return SORT_EINVALID;
	cum = r->panel_prob[0];
	for (tk = 0; tk < m; tk++) {
		double point = (tk + 0.5) / m;
		while (point > cum && j + 1 < r->n_panels)
			cum += r->panel_prob[++j];
		panel_of_ticket[tk] = (int)j;
	}
	/* The tolerance: each person's chance in the lottery against their probability. */
	for (i = 0; i < r->n_panels * (size_t)k; i++)
		if ((size_t)r->panels[i] + 1 > n_people)
			n_people = (size_t)r->panels[i] + 1;
	got = arena_calloc(a, n_people + 1, sizeof(double));
	if (!got)
		return SORT_ENOMEM;
	for (tk = 0; tk < m; tk++)
		for (q = 0; q < k; q++)
			got[r->panels[(size_t)panel_of_ticket[tk] * (size_t)k + (size_t)q]] += 1.0;
	*max_deviation = 0;
	for (i = 0; i < n_people; i++) {
		double d = fabs(got[i] / m - r->prob[i]);
		if (d > *max_deviation)
			*max_deviation = d;
	}
	/* People in no panel at all have probability 0 and lottery chance 0. */
	return SORT_OK;
}

int sortition_lottery_text(const struct sort_problem *p, const struct sort_result *r, int m,
			   const int *panel_of_ticket, sbuf *out)
{
	int tk, q;
	size_t i;
	for (i = 0; i < p->n_people; i++)
		if (!p->person_id[i] || strpbrk(p->person_id[i], ",\r\n"))
			return SORT_EINVALID;
	sbuf_addf(out, "coprod lottery 1\ntickets %d\npanel size %d\n", m, p->k);
	for (tk = 0; tk < m; tk++) {
		const int *panel = &r->panels[(size_t)panel_of_ticket[tk] * (size_t)p->k];
		sbuf_addf(out, "%d: ", tk + 1);
		for (q = 0; q < p->k; q++) {
			if (q)
				sbuf_addc(out, ',');
			sbuf_adds(out, p->person_id[panel[q]]);
		}
		sbuf_addc(out, '\n');
	}
	return out->err ? SORT_ENOMEM : SORT_OK;
}

void sortition_lottery_hash(const char *text, size_t len, char hex[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)text, len);
	sodium_bin2hex(hex, 65, h, sizeof(h));
}

int sortition_draw(int m, const char *public_random, const char *list_hash_hex, char *err,
		   size_t errlen)
{
	char digits[1024];
	size_t nd = 0, i, need = 0;
	double outcomes = 1;
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state st;
	uint64_t rem = 0;

	if (m < 1 || m > SORT_MAX_TICKETS) {
		set_err(err, errlen, "the lottery must have from 1 to %d tickets",
			SORT_MAX_TICKETS);
		return 0;
	}
	if (!list_hash_hex || strlen(list_hash_hex) != 64) {
		set_err(err, errlen, "the lottery's hash is missing");
		return 0;
	}
	for (i = 0; public_random && public_random[i]; i++) {
		char ch = public_random[i];
		if (ch == ' ')
			continue;
		if (ch < '0' || ch > '9') {
			set_err(err, errlen, "the public number must be digits only");
			return 0;
		}
		if (nd + 1 >= sizeof(digits)) {
			set_err(err, errlen, "the public number is too long");
			return 0;
		}
		digits[nd++] = ch;
	}
	digits[nd] = '\0';
	while (outcomes < 100.0 * m) {
		outcomes *= 6;
		need++;
	}
	if (nd < need) {
		set_err(err, errlen, "the public number needs at least %zu digits for %d tickets",
			need, m);
		return 0;
	}
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)list_hash_hex, 64);
	crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)digits, nd);
	crypto_hash_sha256_final(&st, h);
	for (i = 0; i < sizeof(h); i++)
		rem = (rem * 256 + h[i]) % (uint64_t)m;
	return (int)rem + 1;
}
