/* test_sortition.c: fair selection of panels: LEXIMIN on the paper's instances and the
 * Sortition Foundation's fixtures, against an independent brute force on small pools,
 * infeasible quotas and their relaxation, the lottery and the public draw, and the CSV
 * formats' line-numbered errors. */
#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/str.h"
#include "domain/sortition.h"

#define DATA "../shared/data/sortition/"
#define ARENA_MAX ((size_t)1 << 30)

/* Reads a whole file into the arena; NULL when it is missing. */
static int slurp(arena *a, const char *path, sv *out)
{
	FILE *f = fopen(path, "rb");
	sbuf b;
	char buf[65536];
	size_t n;
	if (!f)
		return -1;
	sbuf_init(&b, a, (size_t)64 << 20);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sbuf_add(&b, buf, n);
	fclose(f);
	*out = sbuf_sv(&b);
	return b.err ? -1 : 0;
}

static int load(arena *a, const char *cats, const char *resp, int k, struct sort_problem *p)
{
	struct sort_file_errors errs = {0};
	sv c, r;
	memset(p, 0, sizeof(*p));
	p->k = k;
	if (slurp(a, cats, &c) != 0 || slurp(a, resp, &r) != 0)
		return -1;
	assert_int_equal(sortition_read_categories(a, c, p, &errs), SORT_OK);
	assert_int_equal(sortition_read_respondents(a, r, p, NULL, &errs), SORT_OK);
	return 0;
}

/* What every LEXIMIN result must satisfy: probabilities sum to k, every panel in the
 * support is a valid panel, panel probabilities sum to 1, and the panels' marginals are
 * exactly the reported probabilities. */
static void check_result(const struct sort_problem *p, const struct sort_result *r, arena *a)
{
	double sum = 0, psum = 0, *marg = arena_calloc(a, p->n_people, sizeof(double));
	size_t i, j;
	int q;
	assert_non_null(marg);
	for (i = 0; i < p->n_people; i++) {
		sum += r->prob[i];
		assert_true(r->prob[i] >= r->min_prob - 1e-12);
	}
	assert_true(fabs(sum - p->k) < 1e-6);
	assert_true(r->n_panels >= 1);
	for (j = 0; j < r->n_panels; j++) {
		assert_true(sortition_panel_ok(p, &r->panels[j * (size_t)p->k]));
		assert_true(r->panel_prob[j] > 0);
		psum += r->panel_prob[j];
		for (q = 0; q < p->k; q++)
			marg[r->panels[j * (size_t)p->k + (size_t)q]] += r->panel_prob[j];
	}
	assert_true(fabs(psum - 1.0) < 1e-9);
	for (i = 0; i < p->n_people; i++)
		assert_true(fabs(marg[i] - r->prob[i]) < 1e-9);
}

static void run_paper(const char *name, int k)
{
	arena *a = arena_new(ARENA_MAX);
	struct sort_problem p;
	struct sort_result r;
	char cats[256], resp[256], err[200];
	snprintf(cats, sizeof(cats), DATA "paper/%s/categories.csv", name);
	snprintf(resp, sizeof(resp), DATA "paper/%s/respondents.csv", name);
	if (load(a, cats, resp, k, &p) != 0) {
		arena_free(a);
		skip();
	}
	assert_int_equal(sortition_leximin(&p, a, &r, err, sizeof(err)), SORT_OK);
	/* The paper's exact LEXIMIN minimum for both synthetic instances is 10.0%. */
	assert_true(fabs(r.min_prob - 0.100) < 1e-6);
	check_result(&p, &r, a);
	arena_free(a);
}

static void test_example_small_20(void **state)
{
	(void)state;
	run_paper("example_small_20", 20);
}

static void test_example_large_200(void **state)
{
	(void)state;
	run_paper("example_large_200", 200);
}

static void test_fixtures(void **state)
{
	arena *a = arena_new(ARENA_MAX);
	struct sort_problem p;
	struct sort_result r;
	char err[200];
	size_t i, zero = 0;
	(void)state;
	if (load(a, DATA "fixtures/sf-library-features.csv",
		 DATA "fixtures/sf-library-candidates.csv", 22, &p) != 0) {
		arena_free(a);
		skip();
	}
	assert_int_equal(p.n_people, 150);
	assert_string_equal(p.person_id[0], "p0"); /* the nationbuilder_id column */
	assert_int_equal(sortition_leximin(&p, a, &r, err, sizeof(err)), SORT_OK);
	check_result(&p, &r, a);
	/* An independent SciPy/HiGHS run found 2/22 for this fixture (sortition.md 7). */
	assert_true(fabs(r.min_prob - 2.0 / 22) < 1e-6);
	/* Found the quick way: the relaxation's answer, peeled into panels. */
	assert_int_equal(r.relaxed, 1);
	assert_true(r.peel_steps > 0);

	assert_int_equal(load(a, DATA "fixtures/opendlp/Categories_csv_example.csv",
			      DATA "fixtures/opendlp/Respondents_csv_example.csv", 20, &p),
			 0);
	assert_int_equal(p.n_people, 100);
	assert_string_equal(p.person_id[0], "1"); /* unique_id */
	assert_int_equal(sortition_leximin(&p, a, &r, err, sizeof(err)), SORT_OK);
	check_result(&p, &r, a);
	for (i = 0; i < p.n_people; i++)
		zero += r.prob[i] < 1e-9;
	/* Whoever can be on no panel gets 0, and no one else does. */
	for (i = 0; i < p.n_people; i++)
		if (r.prob[i] < 1e-9)
			assert_true(r.min_prob < 1e-9);
	arena_free(a);
}

/* ---- An independent LEXIMIN: all feasible panels enumerated, a primal LP per stage,
 * and a person is fixed only when an LP shows they cannot get more. ---- */

struct tiny {
	int n, k, C;
	int nv[2];
	int feature[12 * 2];
	int mn[2][3], mx[2][3];
	int household[12];
	int use_household;
};

static int popcount(unsigned v)
{
	int c = 0;
	while (v) {
		c += (int)(v & 1);
		v >>= 1;
	}
	return c;
}

static int tiny_feasible(const struct tiny *t, unsigned mask)
{
	int c, v, i, j, cnt;
	if (popcount(mask) != t->k)
		return 0;
	for (c = 0; c < t->C; c++)
		for (v = 0; v < t->nv[c]; v++) {
			cnt = 0;
			for (i = 0; i < t->n; i++)
				if ((mask >> i) & 1 && t->feature[i * t->C + c] == v)
					cnt++;
			if (cnt < t->mn[c][v] || cnt > t->mx[c][v])
				return 0;
		}
	if (t->use_household)
		for (i = 0; i < t->n; i++)
			for (j = i + 1; j < t->n; j++)
				if ((mask >> i) & 1 && (mask >> j) & 1 &&
				    t->household[i] == t->household[j])
					return 0;
	return 1;
}

/* max (z or person TARGET's probability) over all panel distributions with unfixed people
 * at least ZMIN (when TARGET >= 0) and fixed people at least their value. */
static double tiny_lp(const unsigned *panels, int np, const struct tiny *t, const int *fixed,
		      const double *pv, int target, double zmin)
{
	glp_prob *lp = glp_create_prob();
	glp_smcp parm;
	int ind[1100], i, j, len;
	double val[1100], res;
	glp_set_obj_dir(lp, GLP_MAX);
	glp_add_cols(lp, np + 1); /* q_1..q_np, z */
	for (j = 1; j <= np; j++)
		glp_set_col_bnds(lp, j, GLP_LO, 0, 0);
	glp_set_col_bnds(lp, np + 1, GLP_FR, 0, 0);
	if (target < 0)
		glp_set_obj_coef(lp, np + 1, 1.0);
	else
		for (j = 0; j < np; j++)
			if ((panels[j] >> target) & 1)
				glp_set_obj_coef(lp, j + 1, 1.0);
	glp_add_rows(lp, 1 + t->n);
	for (j = 0; j < np; j++) {
		ind[j + 1] = j + 1;
		val[j + 1] = 1;
	}
	glp_set_mat_row(lp, 1, np, ind, val);
	glp_set_row_bnds(lp, 1, GLP_FX, 1, 1);
	for (i = 0; i < t->n; i++) {
		len = 0;
		for (j = 0; j < np; j++)
			if ((panels[j] >> i) & 1) {
				ind[++len] = j + 1;
				val[len] = 1;
			}
		if (!fixed[i] && target < 0) {
			ind[++len] = np + 1;
			val[len] = -1;
			glp_set_mat_row(lp, i + 2, len, ind, val);
			glp_set_row_bnds(lp, i + 2, GLP_LO, 0, 0);
		} else {
			glp_set_mat_row(lp, i + 2, len, ind, val);
			glp_set_row_bnds(lp, i + 2, GLP_LO, (fixed[i] ? pv[i] : zmin) - 1e-9, 0);
		}
	}
	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	assert_int_equal(glp_simplex(lp, &parm), 0);
	assert_int_equal(glp_get_status(lp), GLP_OPT);
	res = glp_get_obj_val(lp);
	glp_delete_prob(lp);
	return res;
}

static void tiny_leximin(const struct tiny *t, const unsigned *panels, int np, double *pv)
{
	int fixed[12] = {0}, left = t->n, i;
	while (left > 0) {
		double z = tiny_lp(panels, np, t, fixed, pv, -1, 0);
		int now = 0;
		for (i = 0; i < t->n; i++) {
			if (fixed[i])
				continue;
			if (tiny_lp(panels, np, t, fixed, pv, i, z) <= z + 1e-7) {
				fixed[i] = 1;
				pv[i] = z;
				now++;
			}
		}
		assert_true(now > 0);
		left -= now;
	}
}

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

static void tiny_problem(const struct tiny *t, struct sort_problem *p,
			 struct sort_category *cats, int *mn, int *mx, const char **names)
{
	int c;
	memset(p, 0, sizeof(*p));
	p->k = t->k;
	p->n_people = (size_t)t->n;
	p->n_categories = (size_t)t->C;
	p->categories = cats;
	p->feature = (int *)t->feature;
	p->household = t->use_household ? t->household : NULL;
	for (c = 0; c < t->C; c++) {
		cats[c].name = c ? "second" : "first";
		cats[c].n_values = (size_t)t->nv[c];
		cats[c].values = names;
		cats[c].min = &mn[c * 3];
		cats[c].max = &mx[c * 3];
		memcpy(cats[c].min, t->mn[c], sizeof(t->mn[c]));
		memcpy(cats[c].max, t->mx[c], sizeof(t->mx[c]));
	}
}

static void test_brute_force(void **state)
{
	static const char *names[] = {"a", "b", "c"};
	uint32_t seed = 7;
	int inst, feasible_seen = 0, infeasible_seen = 0, household_seen = 0;
	(void)state;
	for (inst = 0; inst < 60; inst++) {
		struct tiny t;
		struct sort_problem p;
		struct sort_category cats[2];
		struct sort_result r;
		int mn[6], mx[6], i, c, v, np = 0, rc;
		unsigned panels[1024], mask;
		double pv[12];
		char err[200];
		arena *a = arena_new(ARENA_MAX);

		memset(&t, 0, sizeof(t));
		t.n = 6 + (int)(lcg(&seed) % 5); /* 6..10 */
		t.k = 2 + (int)(lcg(&seed) % 3); /* 2..4 */
		t.C = 2;
		t.use_household = inst % 3 == 2;
		for (c = 0; c < 2; c++) {
			t.nv[c] = 2 + (int)(lcg(&seed) % 2);
			for (v = 0; v < t.nv[c]; v++) {
				t.mn[c][v] = (int)(lcg(&seed) % 2);
				t.mx[c][v] = t.mn[c][v] + (int)(lcg(&seed) % (unsigned)t.k);
			}
		}
		for (i = 0; i < t.n; i++) {
			for (c = 0; c < 2; c++)
				/* skewed, so some values are rare and probabilities differ */
				t.feature[i * 2 + c] = (int)(lcg(&seed) % 5) < 3
							       ? 0
							       : 1 + (int)(lcg(&seed) %
									   (unsigned)(t.nv[c] - 1));
			t.household[i] = (int)(lcg(&seed) % (unsigned)(t.n - 2));
		}
		for (mask = 0; mask < (1u << t.n); mask++)
			if (tiny_feasible(&t, mask))
				panels[np++] = mask;
		tiny_problem(&t, &p, cats, mn, mx, names);
		rc = sortition_leximin(&p, a, &r, err, sizeof(err));
		if (np == 0) {
			assert_int_equal(rc, SORT_EINFEASIBLE);
			infeasible_seen++;
			arena_free(a);
			continue;
		}
		assert_int_equal(rc, SORT_OK);
		feasible_seen++;
		household_seen += t.use_household;
		check_result(&p, &r, a);
		tiny_leximin(&t, panels, np, pv);
		for (i = 0; i < t.n; i++)
			assert_true(fabs(pv[i] - r.prob[i]) < 1e-6);
		arena_free(a);
	}
	/* The generator must exercise both outcomes and the household rule. */
	assert_true(feasible_seen >= 20);
	assert_true(infeasible_seen >= 1);
	assert_true(household_seen >= 5);
}

/* The quick way through the quotas' relaxation and the stage-by-stage column generation
 * are two roads to the same LEXIMIN: on mid-sized random pools (3 or 4 categories, skewed
 * values, tight quotas, households in some) every probability agrees, and the quick way
 * is really taken. */
static void test_relaxation_agrees(void **state)
{
	static const char *names[] = {"a", "b", "c", "d"};
	uint32_t seed = 2021;
	int inst, compared = 0, peeled = 0;
	(void)state;
	for (inst = 0; inst < 16; inst++) {
		arena *a = arena_new(ARENA_MAX);
		struct sort_problem p;
		struct sort_category cats[4];
		struct sort_result fast, slow;
		int mn[4][4], mx[4][4], cnt[4][4], house[90], c, v, i, rc1, rc2;
		int n = 40 + (int)(lcg(&seed) % 51), C = 3 + (int)(lcg(&seed) % 2);
		int k = 8 + (int)(lcg(&seed) % 8), *feature;
		char err[200];
		double worst = 0;

		assert_non_null(a);
		feature = arena_alloc(a, (size_t)n * (size_t)C * sizeof(int));
		assert_non_null(feature);
		memset(&p, 0, sizeof(p));
		memset(cnt, 0, sizeof(cnt));
		p.k = k;
		p.n_people = (size_t)n;
		p.n_categories = (size_t)C;
		p.categories = cats;
		p.feature = feature;
		for (i = 0; i < n; i++) {
			for (c = 0; c < C; c++) {
				int nv = 2 + c % 3, u = (int)(lcg(&seed) % 10);
				v = u < 5 ? 0 : u < 8 ? 1 % nv : u < 9 ? 2 % nv : nv - 1;
				feature[i * C + c] = v;
				cnt[c][v]++;
			}
			house[i] = (int)(lcg(&seed) % (unsigned)(n - 5));
		}
		if (inst % 4 == 3)
			p.household = house;
		for (c = 0; c < C; c++) {
			cats[c].name = "category";
			cats[c].n_values = (size_t)(2 + c % 3);
			cats[c].values = names;
			cats[c].min = mn[c];
			cats[c].max = mx[c];
			/* Quotas a little off the pool's own shares, so some bind. */
			for (v = 0; v < 2 + c % 3; v++) {
				double e = (double)cnt[c][v] * k / n;
				mn[c][v] = (int)e - (v == 0 ? 0 : 1);
				if (mn[c][v] < 0)
					mn[c][v] = 0;
				mx[c][v] = (int)e + (v == 0 ? 0 : 2);
				if (v == 1 && mn[c][v] < 2 && cnt[c][v] >= 2)
					mn[c][v] = 2; /* a lifted minimum for a rare value */
			}
		}
		rc1 = sortition_leximin(&p, a, &fast, err, sizeof(err));
		p.stages_only = 1;
		rc2 = sortition_leximin(&p, a, &slow, err, sizeof(err));
		p.stages_only = 0;
		assert_int_equal(rc1, rc2);
		if (rc1 != SORT_OK) {
			arena_free(a);
			continue;
		}
		check_result(&p, &fast, a);
		for (i = 0; i < n; i++)
			if (fabs(fast.prob[i] - slow.prob[i]) > worst)
				worst = fabs(fast.prob[i] - slow.prob[i]);
		assert_true(worst < 1e-6);
		assert_int_equal(slow.relaxed, 0);
		compared++;
		peeled += fast.relaxed && fast.peel_steps > 0;
		arena_free(a);
	}
	assert_true(compared >= 8);
	assert_true(peeled >= 4);
}

/* One woman and three men, one place for each: she is certain, each man has 1/3. */
static void test_hand_computed(void **state)
{
	static const char *gender[] = {"woman", "man"};
	int feature[] = {0, 1, 1, 1}, mn[] = {1, 1}, mx[] = {1, 1};
	struct sort_category cat = {"gender", 2, gender, mn, mx};
	struct sort_problem p = {2, 4, 1, &cat, feature, NULL, NULL, 0, 0};
	struct sort_result r;
	arena *a = arena_new(ARENA_MAX);
	(void)state;
	assert_int_equal(sortition_leximin(&p, a, &r, NULL, 0), SORT_OK);
	assert_true(fabs(r.prob[0] - 1.0) < 1e-9);
	assert_true(fabs(r.prob[1] - 1.0 / 3) < 1e-9);
	assert_true(fabs(r.prob[3] - 1.0 / 3) < 1e-9);
	assert_int_equal(r.n_panels, 3);
	arena_free(a);
}

/* Quotas asking for three women from a pool of two: infeasible; the relaxation lowers
 * that minimum to 2 (and needs nothing else), and then a panel exists. */
static void test_infeasible_and_relax(void **state)
{
	static const char *gender[] = {"woman", "man"};
	static const char *age[] = {"young", "old"};
	int feature[] = {0, 0, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1};
	int mn[] = {3, 1, 1, 1}, mx[] = {4, 4, 4, 4};
	struct sort_category cats[] = {{"gender", 2, gender, &mn[0], &mx[0]},
				       {"age", 2, age, &mn[2], &mx[2]}};
	struct sort_problem p = {4, 6, 2, cats, feature, NULL, NULL, 0, 0};
	struct sort_result r;
	int rmin[4], rmax[4];
	char err[200];
	arena *a = arena_new(ARENA_MAX);
	(void)state;
	assert_int_equal(sortition_leximin(&p, a, &r, err, sizeof(err)), SORT_EINFEASIBLE);
	assert_non_null(strstr(err, "quota"));
	assert_int_equal(sortition_relax(&p, a, rmin, rmax), SORT_OK);
	assert_int_equal(rmin[0], 2);
	assert_int_equal(rmin[1], 1);
	assert_int_equal(rmin[2], 1);
	assert_int_equal(rmin[3], 1);
	assert_int_equal(rmax[0], 4);
	assert_int_equal(rmax[1], 4);
	memcpy(mn, rmin, sizeof(mn));
	memcpy(mx, rmax, sizeof(mx));
	assert_int_equal(sortition_leximin(&p, a, &r, err, sizeof(err)), SORT_OK);
	check_result(&p, &r, a);

	/* Maxima too low to fill the panel: raised, never lowered below what exists. */
	mn[0] = 0, mn[1] = 0, mn[2] = 0, mn[3] = 0;
	mx[0] = 1, mx[1] = 1, mx[2] = 4, mx[3] = 4;
	assert_int_equal(sortition_leximin(&p, a, &r, err, sizeof(err)), SORT_EINFEASIBLE);
	assert_int_equal(sortition_relax(&p, a, rmin, rmax), SORT_OK);
	assert_int_equal(rmax[0] + rmax[1], 4); /* two more places, the cheapest way */
	memcpy(mn, rmin, sizeof(mn));
	memcpy(mx, rmax, sizeof(mx));
	assert_int_equal(sortition_leximin(&p, a, &r, err, sizeof(err)), SORT_OK);
	arena_free(a);
}

static void test_lottery_and_draw(void **state)
{
	arena *a = arena_new(ARENA_MAX);
	struct sort_problem p;
	struct sort_result r;
	int m = 1000, *tickets, t, q, d1, d2;
	double dev, *got, worst = 0;
	size_t i;
	sbuf text;
	char hex[65], hex2[65], err[200];
	(void)state;
	if (load(a, DATA "fixtures/sf-library-features.csv",
		 DATA "fixtures/sf-library-candidates.csv", 22, &p) != 0) {
		arena_free(a);
		skip();
	}
	assert_int_equal(sortition_leximin(&p, a, &r, NULL, 0), SORT_OK);
	tickets = arena_calloc(a, (size_t)m, sizeof(int));
	got = arena_calloc(a, p.n_people, sizeof(double));
	assert_int_equal(sortition_lottery(&r, p.k, m, a, tickets, &dev), SORT_OK);
	for (t = 0; t < m; t++) {
		assert_true(tickets[t] >= 0 && (size_t)tickets[t] < r.n_panels);
		assert_true(sortition_panel_ok(&p, &r.panels[(size_t)tickets[t] * 22]));
		for (q = 0; q < p.k; q++)
			got[r.panels[(size_t)tickets[t] * 22 + (size_t)q]] += 1.0 / m;
	}
	for (i = 0; i < p.n_people; i++)
		if (fabs(got[i] - r.prob[i]) > worst)
			worst = fabs(got[i] - r.prob[i]);
	/* The stated tolerance is the true worst case, and it is small. */
	assert_true(fabs(worst - dev) < 1e-9);
	assert_true(dev < 0.02);

	sbuf_init(&text, a, (size_t)16 << 20);
	assert_int_equal(sortition_lottery_text(&p, &r, m, tickets, &text), SORT_OK);
	assert_true(sv_starts_with(sbuf_sv(&text), SV("coprod lottery 1\ntickets 1000\n"
						      "panel size 22\n1: p")));
	assert_non_null(strstr(text.buf, "\n1000: p"));
	sortition_lottery_hash(text.buf, text.len, hex);
	sortition_lottery_hash(text.buf, text.len, hex2);
	assert_string_equal(hex, hex2);
	assert_int_equal(strlen(hex), 64);

	/* SHA-256("abc") is the standard test vector. */
	sortition_lottery_hash("abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	/* printf '%s\n%s' HASH 3141592653 | sha256sum, then 1 + S mod M, by hand. */
	d1 = sortition_draw(1000, "3141592653", hex, err, sizeof(err));
	assert_int_equal(d1, 428);
	d2 = sortition_draw(1000, "31415 92653", hex, err, sizeof(err));
	assert_int_equal(d2, 428); /* spaces as read out at the meeting do not matter */
	assert_int_equal(sortition_draw(37, "3141592653", hex, err, sizeof(err)), 14);
	assert_int_equal(sortition_draw(1000, "12345", hex, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "digits"));
	assert_int_equal(sortition_draw(1000, "3141x92653", hex, err, sizeof(err)), 0);
	assert_int_equal(sortition_draw(1000, "3141592653", "short", err, sizeof(err)), 0);
	arena_free(a);
}

static void test_legacy(void **state)
{
	arena *a = arena_new(ARENA_MAX);
	struct sort_problem p;
	double *lp, lmin = 1, sum = 0, *again;
	size_t i;
	(void)state;
	if (load(a, DATA "paper/example_small_20/categories.csv",
		 DATA "paper/example_small_20/respondents.csv", 20, &p) != 0) {
		arena_free(a);
		skip();
	}
	lp = arena_calloc(a, p.n_people, sizeof(double));
	again = arena_calloc(a, p.n_people, sizeof(double));
	assert_int_equal(sortition_legacy(&p, a, 42, 2000, lp), SORT_OK);
	for (i = 0; i < p.n_people; i++) {
		sum += lp[i];
		if (lp[i] < lmin)
			lmin = lp[i];
	}
	assert_true(fabs(sum - 20) < 1e-9);
	/* The greedy method all but ignores the one female conservative (paper: <= 1.21%). */
	assert_true(lmin < 0.03);
	assert_int_equal(sortition_legacy(&p, a, 42, 2000, again), SORT_OK);
	assert_memory_equal(lp, again, p.n_people * sizeof(double));
	arena_free(a);
}

/* Two people in one household are never on the same panel. */
static void test_household(void **state)
{
	static const char *v[] = {"x"};
	int feature[] = {0, 0, 0, 0}, mn[] = {0}, mx[] = {3};
	int household[] = {1, 1, 2, 3};
	struct sort_category cat = {"all", 1, v, mn, mx};
	struct sort_problem p = {3, 4, 1, &cat, feature, household, NULL, 0, 0};
	struct sort_result r;
	arena *a = arena_new(ARENA_MAX);
	(void)state;
	assert_int_equal(sortition_leximin(&p, a, &r, NULL, 0), SORT_OK);
	check_result(&p, &r, a);
	assert_true(fabs(r.prob[0] - 0.5) < 1e-9);
	assert_true(fabs(r.prob[1] - 0.5) < 1e-9);
	assert_true(fabs(r.prob[2] - 1.0) < 1e-9);
	p.k = 4; /* only three households */
	assert_int_equal(sortition_leximin(&p, a, &r, NULL, 0), SORT_EINFEASIBLE);
	arena_free(a);
}

/* A time limit stops a pool too large for it cleanly, in about that time, and a call
 * that created GLPK's per-thread environment frees it, while a caller's own is kept. */
static void test_time_limit(void **state)
{
	static const char *names[] = {"a", "b", "c", "d", "e", "f"};
	static const int nv[5] = {3, 6, 5, 5, 2};
	enum { N = 400, C = 5, K = 35 };
	struct sort_category cats[C];
	int mn[C][6], mx[C][6], *feature = NULL, i, c, v;
	uint32_t seed = 11;
	struct sort_problem p;
	struct sort_result r;
	char err[200];
	arena *a = arena_new(ARENA_MAX);
	(void)state;

	feature = arena_alloc(a, N * C * sizeof(int));
	assert_non_null(feature);
	memset(&p, 0, sizeof(p));
	p.k = K;
	p.n_people = N;
	p.n_categories = C;
	p.categories = cats;
	p.feature = feature;
	for (c = 0; c < C; c++) {
		cats[c].name = "category";
		cats[c].n_values = (size_t)nv[c];
		cats[c].values = names;
		cats[c].min = mn[c];
		cats[c].max = mx[c];
		for (v = 0; v < nv[c]; v++) {
			mn[c][v] = K / nv[c] - 2;
			mx[c][v] = K / nv[c] + 3;
		}
	}
	for (i = 0; i < N * C; i++)
		feature[i] = (int)(lcg(&seed) % (unsigned)nv[i % C]);

	/* Nearly everyone is a type of their own: far more than 50 ms of work. */
	glp_free_env(); /* start from no environment, whatever earlier tests left */
	p.time_limit_seconds = 0.05;
	err[0] = '\0';
	assert_int_equal(sortition_leximin(&p, a, &r, err, sizeof(err)), SORT_ETIMEOUT);
	assert_non_null(strstr(err, "seconds allowed"));
	assert_null(r.prob);
	assert_true(r.seconds < 0.05 + 2.0); /* generous: sanitizers and shared machines */
	assert_int_equal(glp_free_env(), 1); /* nothing left behind */

	/* A caller's own environment is still there afterwards. */
	assert_int_equal(glp_init_env(), 0);
	assert_int_equal(sortition_leximin(&p, a, &r, err, sizeof(err)), SORT_ETIMEOUT);
	assert_int_equal(glp_init_env(), 1);
	assert_int_equal(glp_free_env(), 0);

	p.time_limit_seconds = -1;
	assert_int_equal(sortition_leximin(&p, a, &r, err, sizeof(err)), SORT_EINVALID);
	arena_free(a);

	/* A limit the work fits in changes nothing: the paper's exact 10.0%. */
	a = arena_new(ARENA_MAX);
	if (load(a, DATA "paper/example_small_20/categories.csv",
		 DATA "paper/example_small_20/respondents.csv", 20, &p) != 0) {
		arena_free(a);
		skip();
	}
	p.time_limit_seconds = 60;
	assert_int_equal(sortition_leximin(&p, a, &r, err, sizeof(err)), SORT_OK);
	assert_true(fabs(r.min_prob - 0.100) < 1e-6);
	check_result(&p, &r, a);
	assert_int_equal(glp_free_env(), 1);
	arena_free(a);
}

static const char *first_error(const struct sort_file_errors *e, int line)
{
	size_t i;
	for (i = 0; i < e->n; i++)
		if (e->item[i].line == line)
			return e->item[i].message;
	return NULL;
}

static void test_file_errors(void **state)
{
	arena *a = arena_new(ARENA_MAX);
	struct sort_problem p;
	struct sort_file_errors e;
	const char *m;
	(void)state;

	memset(&p, 0, sizeof(p));
	memset(&e, 0, sizeof(e));
	assert_int_equal(sortition_read_categories(a, SV("category,feature,min,max\n"
							 "gender,woman,2,1\n"
							 "gender,man,-1,3\n"
							 "age,young,1\n"
							 "age,old,x,2\n"
							 "age,young,0,2\n"
							 "age,young,0,3\n"),
						   &p, &e),
			 SORT_EINVALID);
	assert_non_null(m = first_error(&e, 2));
	assert_non_null(strstr(m, "min 2 is more than max 1"));
	assert_non_null(m = first_error(&e, 3));
	assert_non_null(strstr(m, "min must be a whole number"));
	assert_non_null(m = first_error(&e, 4));
	assert_non_null(strstr(m, "fields"));
	assert_non_null(first_error(&e, 5));
	assert_null(first_error(&e, 6));
	assert_non_null(m = first_error(&e, 7));
	assert_non_null(strstr(m, "given twice"));

	memset(&e, 0, sizeof(e));
	assert_int_equal(sortition_read_categories(a, SV("group,value,low,high\na,b,1,2\n"), &p,
						   &e),
			 SORT_EINVALID);
	assert_non_null(m = first_error(&e, 1));
	assert_non_null(strstr(m, "header"));

	/* OpenDLP's name column and notes, with Windows line ends. */
	memset(&e, 0, sizeof(e));
	assert_int_equal(sortition_read_categories(a, SV("category,name,min,max,Notes\r\n"
							 "gender,woman,1,2,\r\n"
							 "gender,man,1,2,\"soft\"\r\n"
							 ",,,,\r\n"
							 ",Geographical target?,,,\r\n"),
						   &p, &e),
			 SORT_OK);
	assert_int_equal(p.n_categories, 1);
	assert_int_equal(p.categories[0].n_values, 2);

	memset(&e, 0, sizeof(e));
	assert_int_equal(sortition_read_respondents(a, SV("id,name,gender\n"
							  "a1,Demo One,woman\n"
							  "a2,Demo Two,robot\n"
							  "a3,Demo Three\n"
							  "a4,Demo Four,Man\n"),
						    &p, NULL, &e),
			 SORT_EINVALID);
	assert_non_null(m = first_error(&e, 3));
	assert_non_null(strstr(m, "\"robot\" is not a value of the category gender"));
	assert_non_null(m = first_error(&e, 4));
	assert_non_null(strstr(m, "fields"));
	assert_null(first_error(&e, 5)); /* values match whatever their case */

	memset(&e, 0, sizeof(e));
	assert_int_equal(sortition_read_respondents(a, SV("ward,sex\nx,woman\n"), &p, NULL, &e),
			 SORT_EINVALID);
	assert_non_null(m = first_error(&e, 1));
	assert_non_null(strstr(m, "no column for the category gender"));

	memset(&e, 0, sizeof(e));
	assert_int_equal(sortition_read_respondents(a, SV("person_id,gender\nx,woman\nx,man\n"),
						    &p, NULL, &e),
			 SORT_EINVALID);
	assert_non_null(strstr(e.item[0].message, "more than one person"));

	/* A pool read well, without an id column: ids are row numbers from 0. */
	memset(&e, 0, sizeof(e));
	assert_int_equal(sortition_read_respondents(a, SV("gender,household\nwoman,h1\nman,h1\n"
							  "man,\n"),
						    &p, "household", &e),
			 SORT_OK);
	assert_int_equal(p.n_people, 3);
	assert_string_equal(p.person_id[2], "2");
	assert_int_equal(p.household[0], p.household[1]);
	assert_true(p.household[2] != p.household[0]);
	p.k = 3;
	assert_int_equal(sortition_check(&p, a, &e), SORT_EINVALID);
	assert_non_null(strstr(e.item[0].message, "households"));
	p.k = 4;
	memset(&e, 0, sizeof(e));
	assert_int_equal(sortition_check(&p, a, &e), SORT_EINVALID);
	assert_non_null(strstr(e.item[0].message, "larger than the pool"));
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_small_20),
		cmocka_unit_test(test_example_large_200),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_brute_force),
		cmocka_unit_test(test_relaxation_agrees),
		cmocka_unit_test(test_hand_computed),
		cmocka_unit_test(test_infeasible_and_relax),
		cmocka_unit_test(test_lottery_and_draw),
		cmocka_unit_test(test_legacy),
		cmocka_unit_test(test_household),
		cmocka_unit_test(test_time_limit),
		cmocka_unit_test(test_file_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
