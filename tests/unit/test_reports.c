/* test_reports.c: case studies (narrative, quotes only with consent, publishing, the
 * figures from the records) and the six-monthly Board report built from the demo's
 * records: its figures, suppression of small counts in every output, the same report
 * from the same records, and `coprod report`'s refusals. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testdb.h"

#include "core/arena.h"
#include "core/disclosure.h"
#include "db/db.h"
#include "domain/case_studies.h"
#include "domain/demo.h"
#include "domain/demo_reports.h"
#include "domain/password.h"
#include "domain/report.h"
#include "tmpl/tmpl.h"

struct fixture {
	char dir[64];
	char path[128];
	db *d;
	arena *a;
	struct audit_actor fac, lead;
	int64_t programme;
};

static int64_t q1(db *d, const char *sql)
{
	db_stmt *st = db_prepare(d, sql);
	int64_t v = -1;
	if (st && db_step(st) == DB_ROW)
		v = db_col_int(st, 0);
	if (st)
		db_done(st);
	return v;
}

/* The demo, with its case studies even before the demo loads them itself. */
static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	setenv("COPROD_TEST_FAST_HASH", "1", 1);
	if (!f || password_init() != 0 || tmpl_init() != 0)
		return -1;
	disclosure_set_threshold(10);
	snprintf(f->dir, sizeof(f->dir), "/tmp/coprod-test-reports-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/coprod.db", f->dir);
	if (db_open(f->path, &f->d) != DB_OK || db_migrate(f->d, NULL, NULL) != DB_OK)
		return -1;
	f->a = arena_new(64 << 20);
	if (demo_load(f->d, f->a) != DOMAIN_OK)
		return -1;
	if (q1(f->d, "SELECT COUNT(*) FROM case_studies") == 0) {
		if (db_begin(f->d) != DB_OK || demo_load_reports(f->d, f->a) != DOMAIN_OK ||
		    db_commit(f->d) != DB_OK)
			return -1;
	}
	f->programme = q1(f->d, "SELECT id FROM programmes WHERE slug = 'young-adults'");
	f->fac.account_id = q1(f->d, "SELECT id FROM accounts WHERE email = 'facilitator@example.org'");
	f->lead.account_id = q1(f->d, "SELECT id FROM accounts WHERE email = 'programme.lead@example.org'");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	arena_free(f->a);
	db_close(f->d);
	rm_dir(f->dir);
	free(f);
	return 0;
}

static struct case_study_input story(const char *title)
{
	struct case_study_input in = {.title = sv_from(title), .summary = SV("A summary")};
	for (int p = 0; p < CASE_STUDY_PARTS; p++)
		in.part[p] = SV("");
	return in;
}

/* --- Case studies ---------------------------------------------------------------------- */

static void test_demo_case_studies(void **state)
{
	struct fixture *f = *state;
	struct case_study_filter pub = {.published_only = true};
	struct case_study *list, c;
	size_t n;
	int64_t area = q1(f->d, "SELECT id FROM priority_areas WHERE slug = 'child-poverty'"), count;
	assert_int_equal(case_study_list(f->d, f->a, &pub, &list, &n), DOMAIN_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].title, "Young adults shaping support: from ideas to the Board");
	assert_int_equal(list[0].published_on.y, 2022);
	assert_int_equal(case_study_get(f->d, f->a, list[0].id, &c), DOMAIN_OK);
	assert_int_equal(c.n_quotes, 2);
	assert_true(c.quotes[0].consent && c.quotes[1].consent);
	/* The Locality Plan indicator: one published case study for each area the programme
	 * covers. */
	assert_int_equal(case_study_count_for_area(f->d, area, &count), DOMAIN_OK);
	assert_int_equal(count, 1);
}

static void test_facts_from_records(void **state)
{
	struct fixture *f = *state;
	struct case_study_facts x;
	int64_t locals = q1(f->d, "SELECT COUNT(DISTINCT m.account_id) FROM group_members m"
				  " JOIN working_groups g ON g.id = m.group_id JOIN programmes p"
				  " ON p.id = g.programme_id WHERE p.slug = 'young-adults'"
				  " AND m.role_in_group = 'local_person'");
	struct disclosed want = disclosure_count(locals);
	assert_int_equal(case_study_facts(f->d, f->a, f->programme, &x), DOMAIN_OK);
	assert_int_equal(x.n_areas, 4);
	assert_int_equal(x.local_people.suppressed, want.suppressed);
	assert_int_equal(x.local_people.value, want.value);
	/* Fewer than ten professionals took part: suppressed, with no number kept. */
	assert_true(x.professionals.suppressed);
	assert_int_equal(x.professionals.value, 0);
	assert_int_equal(x.proposals, 3);
	assert_int_equal(x.supported, 1);
	assert_int_equal(x.plans, 1);
	assert_int_equal(x.learning_entries, q1(f->d, "SELECT COUNT(*) FROM learning_entries l"
						      " JOIN programmes p ON p.id = l.programme_id"
						      " WHERE p.slug = 'young-adults'"));
	assert_int_equal(x.ideas, q1(f->d, "SELECT COUNT(*) FROM ideas i JOIN programmes p ON"
					   " p.id = i.programme_id WHERE p.slug = 'young-adults'"));
}

static void test_validation_and_consent(void **state)
{
	struct fixture *f = *state;
	struct field_errors fe;
	struct case_study_input in = story("");
	struct case_study c;
	int64_t id = 0, qid = 0;
	struct case_study_quote_input q = {.source = QUOTE_TYPED, .quote = SV("We did it"),
					   .speaker = SV("Demo Sam"), .consent = -1};
	char long_title[CASE_STUDY_TITLE_MAX + 2];

	field_errors_init(&fe);
	assert_int_equal(case_study_create(f->d, f->a, &f->fac, f->programme, &in, &fe, &id),
			 DOMAIN_EINVALID);
	assert_string_equal(field_error_get(&fe, "title"), "Enter a title for the case study");
	memset(long_title, 'x', sizeof(long_title) - 1);
	long_title[sizeof(long_title) - 1] = '\0';
	in = story(long_title);
	field_errors_init(&fe);
	assert_int_equal(case_study_create(f->d, f->a, &f->fac, f->programme, &in, &fe, &id),
			 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "title"));
	in = story("A new story");
	assert_int_equal(case_study_create(f->d, f->a, &f->fac, 999999, &in, &fe, &id),
			 DOMAIN_ENOTFOUND);
	field_errors_init(&fe);
	assert_int_equal(case_study_create(f->d, f->a, &f->fac, f->programme, &in, &fe, &id),
			 DOMAIN_OK);

	/* Consent must be answered; a "yes" needs its date, not in the future. */
	field_errors_init(&fe);
	assert_int_equal(case_study_quote_add(f->d, f->a, &f->fac, id, &q, &fe, &qid),
			 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "consent"));
	q.consent = 1;
	q.consent_day = SV("1");
	q.consent_month = SV("1");
	q.consent_year = SV("2199");
	field_errors_init(&fe);
	assert_int_equal(case_study_quote_add(f->d, f->a, &f->fac, id, &q, &fe, &qid),
			 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "consent_on"));
	q.consent = 0;
	field_errors_init(&fe);
	assert_int_equal(case_study_quote_add(f->d, f->a, &f->fac, id, &q, &fe, &qid), DOMAIN_OK);

	/* A quote waiting for consent stops publication. */
	field_errors_init(&fe);
	assert_int_equal(case_study_publish(f->d, f->a, &f->lead, id, (struct date){2023, 2, 1}, &fe),
			 DOMAIN_ECONFLICT);
	assert_non_null(field_error_get(&fe, "quotes"));
	assert_int_equal(case_study_get(f->d, f->a, id, &c), DOMAIN_OK);
	assert_false(c.published);

	/* Consent recorded: it publishes, and a quote from another programme is refused. */
	field_errors_init(&fe);
	assert_int_equal(case_study_quote_consent(f->d, f->a, &f->fac, id, qid, true, SV("2"),
						  SV("1"), SV("2023"), &fe),
			 DOMAIN_OK);
	assert_int_equal(case_study_publish(f->d, f->a, &f->lead, id, (struct date){2023, 2, 1}, &fe),
			 DOMAIN_OK);
	assert_int_equal(case_study_get(f->d, f->a, id, &c), DOMAIN_OK);
	assert_true(c.published);
	assert_int_equal(c.published_on.m, 2);
	assert_int_equal(case_study_quote_consent(f->d, f->a, &f->fac, id + 1000, qid, false,
						  SV_NULL, SV_NULL, SV_NULL, &fe),
			 DOMAIN_ENOTFOUND);
	q.source = QUOTE_IDEA_COMMENT;
	q.source_id = 999999;
	q.quote = SV("");
	field_errors_init(&fe);
	assert_int_equal(case_study_quote_add(f->d, f->a, &f->fac, id, &q, &fe, &qid),
			 DOMAIN_EINVALID);
	assert_non_null(field_error_get(&fe, "source"));
	assert_int_equal(case_study_unpublish(f->d, f->a, &f->lead, id), DOMAIN_OK);
	/* Every change is in the audit log. */
	assert_true(q1(f->d, "SELECT COUNT(*) FROM audit_log WHERE entity = 'case_study'"
			     " AND action IN ('publish', 'unpublish')") >= 3);
}

static void test_writers(void **state)
{
	struct fixture *f = *state;
	int64_t local = q1(f->d, "SELECT id FROM accounts WHERE email = 'local.person@example.org'");
	int64_t member = q1(f->d, "SELECT id FROM accounts WHERE email = 'board.member@example.org'");
	assert_int_equal(case_study_writer(f->d, f->fac.account_id, ROLE_FACILITATOR, f->programme), 1);
	assert_int_equal(case_study_writer(f->d, f->lead.account_id, ROLE_PROGRAMME_LEAD, f->programme), 1);
	assert_int_equal(case_study_writer(f->d, local, ROLE_LOCAL_PERSON, f->programme), 0);
	assert_int_equal(case_study_writer(f->d, member, ROLE_BOARD_MEMBER, f->programme), 0);
	assert_int_equal(case_study_writer(f->d, 0, ROLE_FACILITATOR, f->programme), 0);
}

/* --- The Board report ------------------------------------------------------------------ */

static const char *figure(const struct report *r, const char *programme, const char *measure)
{
	for (size_t i = 0; i < r->n_figures; i++)
		if (strcmp(r->figures[i].programme, programme) == 0 &&
		    strcmp(r->figures[i].measure, measure) == 0)
			return r->figures[i].value;
	return NULL;
}

static struct report_options half_year(void)
{
	struct report_options o = {.from = {2022, 7, 1}, .to = {2022, 12, 31},
				   .prepared_on = {2023, 1, 10}, .all = true};
	return o;
}

static void test_report_figures(void **state)
{
	struct fixture *f = *state;
	struct report_options o = half_year();
	struct report r;
	char want[32];
	int64_t held = q1(f->d, "SELECT COUNT(*) FROM group_sessions s JOIN working_groups g ON"
				" g.id = s.group_id JOIN programmes p ON p.id = g.programme_id"
				" WHERE p.slug = 'young-adults' AND s.status = 'held'"
				" AND s.starts_at >= '2022-07-01' AND s.starts_at < '2023-01-01'");
	assert_int_equal(report_build(f->d, f->a, &o, &r), DOMAIN_OK);
	snprintf(want, sizeof(want), "%lld", (long long)held);
	assert_string_equal(figure(&r, "Young adults co-production", "Sessions held"), want);
	assert_string_equal(figure(&r, "", "Proposals taken to the Board"), "3");
	assert_string_equal(figure(&r, "", "Proposals the Board supported"), "1");
	assert_string_equal(figure(&r, "", "Funding agreed by the Board"), "£18,000");
	assert_string_equal(figure(&r, "Young adults co-production",
				   "Board decision: Warm spaces youth network"),
			    "Supported");
	assert_string_equal(figure(&r, "Young adults co-production", "Published case studies"), "1");
	/* The Locality Plan indicator per priority area, by the end of the period. */
	assert_string_equal(figure(&r, "", "Case studies published: Child poverty"), "1");
	assert_string_equal(figure(&r, "", "Programmes: Loneliness and social isolation"), "2");
	assert_string_equal(figure(&r, "Young adults co-production",
				   "Professionals who attended at least once"),
			    "fewer than 10");
	/* Where the programme stood at the end of the period, not today: the Board decided
	 * in November 2022 and co-delivery started in January 2023. */
	assert_string_equal(figure(&r, "Young adults co-production", "Stage 5 status"), "Done");
	assert_string_equal(figure(&r, "Young adults co-production", "Stage 6 status"), "Not started");
	/* The summary comes first, the context last, in the Board paper's order. */
	assert_string_equal(r.sections[0].heading, "Executive summary");
	assert_string_equal(r.sections[r.n_sections - 1].heading, "Contextual information");
	assert_true(r.n_charts >= 1);
}

static void test_report_same_records_same_report(void **state)
{
	struct fixture *f = *state;
	struct report_options o = half_year();
	struct report r1, r2;
	sbuf c1, c2, p1, p2, h1;
	assert_int_equal(report_build(f->d, f->a, &o, &r1), DOMAIN_OK);
	assert_int_equal(report_build(f->d, f->a, &o, &r2), DOMAIN_OK);
	sbuf_init(&c1, f->a, REPORT_OUT_MAX);
	sbuf_init(&c2, f->a, REPORT_OUT_MAX);
	sbuf_init(&p1, f->a, REPORT_OUT_MAX);
	sbuf_init(&p2, f->a, REPORT_OUT_MAX);
	sbuf_init(&h1, f->a, REPORT_OUT_MAX);
	assert_int_equal(report_csv(f->a, &r1, &c1), 0);
	assert_int_equal(report_csv(f->a, &r2, &c2), 0);
	assert_string_equal(c1.buf, c2.buf);
	assert_int_equal(report_pdf(f->a, &r1, &p1), 0);
	assert_int_equal(report_pdf(f->a, &r2, &p2), 0);
	assert_true(p1.len > 1000 && memcmp(p1.buf, "%PDF-", 5) == 0);
	assert_int_equal(p1.len, p2.len);
	assert_memory_equal(p1.buf, p2.buf, p1.len);
	assert_int_equal(report_html_body(f->a, &r1, "/c/%zu.svg", &h1), 0);
	assert_non_null(strstr(h1.buf, "<h2 class=\"govuk-heading-l\" id=\"summary\">Executive summary</h2>"));
	assert_non_null(strstr(h1.buf, "fewer than 10"));
	assert_non_null(strstr(c1.buf, "fewer than 10"));
}

static void test_report_threshold_and_scope(void **state)
{
	struct fixture *f = *state;
	struct report_options o = half_year();
	struct report r;
	int64_t none = 0;
	/* With a threshold of 1000 every count of people is suppressed everywhere. */
	disclosure_set_threshold(1000);
	assert_int_equal(report_build(f->d, f->a, &o, &r), DOMAIN_OK);
	disclosure_set_threshold(10);
	assert_string_equal(figure(&r, "Young adults co-production",
				   "Local people who attended at least once"),
			    "fewer than 1000");
	assert_string_equal(figure(&r, "", "People taking part (counted once in each programme)"),
			    "fewer than 1000");
	/* A report limited to no programme says so, rather than showing blanks. */
	o.all = false;
	o.programme_ids = &none;
	o.n_programme_ids = 1;
	assert_int_equal(report_build(f->d, f->a, &o, &r), DOMAIN_OK);
	assert_string_equal(figure(&r, "", "Programmes"), "0");
	/* A bad period is refused. */
	o = half_year();
	o.to = (struct date){2022, 6, 30};
	assert_int_equal(report_build(f->d, f->a, &o, &r), DOMAIN_EINVALID);
	assert_non_null(report_period_check(o.from, o.to));
	o.to = (struct date){2025, 1, 1};
	assert_non_null(report_period_check(o.from, o.to));
}

static void test_last_half_year(void **state)
{
	struct date from, to;
	(void)state;
	report_last_half_year((struct date){2023, 1, 10}, &from, &to);
	assert_int_equal(from.y, 2022);
	assert_int_equal(from.m, 7);
	assert_int_equal(to.m, 12);
	assert_int_equal(to.d, 31);
	report_last_half_year((struct date){2023, 7, 1}, &from, &to);
	assert_int_equal(from.y, 2023);
	assert_int_equal(from.m, 1);
	assert_int_equal(to.m, 6);
	assert_int_equal(to.d, 30);
}

/* --- coprod report --------------------------------------------------------------------- */

static int cli(const char *db_path, const char *from, const char *to, const char *format,
	       const char *out)
{
	char *argv[] = {(char *)"report", (char *)"--db", (char *)db_path, (char *)"--from",
			(char *)from, (char *)"--to", (char *)to, (char *)"--format",
			(char *)format, (char *)"--out", (char *)out, (char *)"--prepared",
			(char *)"2023-01-10", NULL};
	return report_cli(13, argv);
}

static void test_cli(void **state)
{
	struct fixture *f = *state;
	char out[160], missing[160];
	FILE *fp;
	char head[8] = "";
	snprintf(out, sizeof(out), "%s/report.pdf", f->dir);
	snprintf(missing, sizeof(missing), "%s/no-such.db", f->dir);
	assert_int_equal(cli(f->path, "2022-12-31", "2022-07-01", "pdf", out), 2);
	assert_int_equal(cli(f->path, "2022-07-01", "2022-12-31", "docx", out), 2);
	assert_int_equal(cli(f->path, "2022-02-30", "2022-12-31", "pdf", out), 2);
	assert_int_equal(access(out, F_OK), -1);
	/* A mistyped database is an error, never a new empty database. */
	assert_int_equal(cli(missing, "2022-07-01", "2022-12-31", "pdf", out), 1);
	assert_int_equal(access(missing, F_OK), -1);
	assert_int_equal(cli(f->path, "2022-07-01", "2022-12-31", "pdf", out), 0);
	fp = fopen(out, "rb");
	assert_non_null(fp);
	assert_int_equal(fread(head, 1, 5, fp), 5);
	fclose(fp);
	assert_memory_equal(head, "%PDF-", 5);
	snprintf(out, sizeof(out), "%s/report.html", f->dir);
	assert_int_equal(cli(f->path, "2022-07-01", "2022-12-31", "html", out), 0);
	unlink(out);

	/* The shell's report uses the site's suppression threshold. */
	{
		char csv[160], buf[65536];
		size_t got;
		char *argv[] = {(char *)"report", (char *)"--db", f->path, (char *)"--from",
				(char *)"2022-07-01", (char *)"--to", (char *)"2022-12-31",
				(char *)"--format", (char *)"csv", (char *)"--out", csv,
				(char *)"--suppress-below", (char *)"1000", NULL};
		char *bad_argv[] = {(char *)"report", (char *)"--db", f->path, (char *)"--suppress-below",
				    (char *)"1", NULL};
		snprintf(csv, sizeof(csv), "%s/report.csv", f->dir);
		assert_int_equal(report_cli(13, argv), 0);
		disclosure_set_threshold(10);
		fp = fopen(csv, "rb");
		assert_non_null(fp);
		got = fread(buf, 1, sizeof(buf) - 1, fp);
		fclose(fp);
		buf[got] = '\0';
		assert_non_null(strstr(buf, "fewer than 1000"));
		assert_int_equal(report_cli(5, bad_argv), 2);
		unlink(csv);
	}
}

/* A facilitator's change to a published case study goes back to draft for a lead to
 * publish again; a lead's change stays live and the study says when it changed. */
static void test_edit_published(void **state)
{
	struct fixture *f = *state;
	struct field_errors fe;
	struct case_study_input in = story("Walking group for young adults");
	struct case_study c;
	int64_t id = 0;
	bool unpublished = true;

	field_errors_init(&fe);
	assert_int_equal(case_study_create(f->d, f->a, &f->fac, f->programme, &in, &fe, &id),
			 DOMAIN_OK);
	assert_int_equal(case_study_publish(f->d, f->a, &f->lead, id, (struct date){2022, 12, 13}, &fe),
			 DOMAIN_OK);
	assert_int_equal(case_study_get(f->d, f->a, id, &c), DOMAIN_OK);
	assert_true(c.published);
	assert_int_equal(c.last_updated.y, 0); /* unchanged since it was published */

	/* A lead's edit: still published on the same day, last updated today. */
	in = story("Walking group for young adults, one year on");
	assert_int_equal(case_study_update(f->d, f->a, &f->lead, id, &in, true, &fe, &unpublished),
			 DOMAIN_OK);
	assert_false(unpublished);
	assert_int_equal(case_study_get(f->d, f->a, id, &c), DOMAIN_OK);
	assert_true(c.published);
	assert_int_equal(c.published_on.y, 2022);
	assert_int_equal(date_cmp(c.last_updated, date_today()), 0);

	/* A facilitator's edit: off the public site until a lead publishes it again. */
	in = story("Walking group, changed by a facilitator");
	assert_int_equal(case_study_update(f->d, f->a, &f->fac, id, &in, false, &fe, &unpublished),
			 DOMAIN_OK);
	assert_true(unpublished);
	assert_int_equal(case_study_get(f->d, f->a, id, &c), DOMAIN_OK);
	assert_false(c.published);
	assert_string_equal(c.title, "Walking group, changed by a facilitator");
	assert_int_equal(case_study_publish(f->d, f->a, &f->lead, id, date_today(), &fe), DOMAIN_OK);
	assert_int_equal(case_study_get(f->d, f->a, id, &c), DOMAIN_OK);
	assert_true(c.published);
	assert_int_equal(c.last_updated.y, 0);
}

/* Outcome indicators sit under a heading for each priority area; one that belongs to two
 * areas is charted once, under the first, and named under the second. */
static void test_indicators_by_area(void **state)
{
	struct fixture *f = *state;
	struct report_options o = half_year();
	struct report r;
	char sql[512], name[256] = "";
	const char *first = NULL;
	int64_t ind = q1(f->d, "SELECT MIN(indicator_id) FROM indicator_values");
	size_t charts = 0, h3 = 0;
	bool also = false, shown_under = false;
	db_stmt *st;
	assert_true(ind > 0);
	/* Link it to every area the programme covers, so it belongs to at least two. */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO indicator_priority_areas (indicator_id, priority_area_id)"
		 " SELECT %lld, pp.priority_area_id FROM programme_priorities pp"
		 " WHERE pp.programme_id = %lld AND pp.priority_area_id NOT IN"
		 " (SELECT priority_area_id FROM indicator_priority_areas WHERE indicator_id = %lld)",
		 (long long)ind, (long long)f->programme, (long long)ind);
	assert_int_equal(db_exec(f->d, sql), DB_OK);
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM indicator_priority_areas WHERE indicator_id = %lld",
		 (long long)ind);
	assert_true(q1(f->d, sql) >= 2);
	st = db_prepare(f->d, "SELECT name FROM indicators WHERE id = ?");
	assert_non_null(st);
	db_bind_int(st, 1, ind);
	assert_int_equal(db_step(st), DB_ROW);
	snprintf(name, sizeof(name), "%s", db_col_text(st, 0));
	db_done(st);
	assert_int_equal(report_build(f->d, f->a, &o, &r), DOMAIN_OK);
	for (size_t i = 0; i < r.n_sections; i++) {
		const struct report_section *s = &r.sections[i];
		if (!s->id || strncmp(s->id, "indicators-", 11) != 0)
			continue;
		h3++;
		assert_int_equal(s->level, 3);
		for (size_t b = 0; b < s->n_blocks; b++) {
			const struct report_block *k = &s->blocks[b];
			if (k->kind == RB_CHART && strcmp(k->chart.title, name) == 0) {
				charts++;
				first = s->heading;
			}
			if (k->kind == RB_PARA && strstr(k->text, name) && strstr(k->text, "Also for "))
				also = true;
			/* Named, not charted again, under a later area. */
			if (k->kind == RB_PARA && first && strcmp(s->heading, first) != 0 &&
			    strstr(k->text, name) && strstr(k->text, "shown under") &&
			    strstr(k->text, first))
				shown_under = true;
		}
	}
	assert_true(h3 >= 2);
	assert_int_equal(charts, 1);
	assert_true(also);
	assert_true(shown_under);
	/* The CSV names the area in each figure's section. */
	{
		bool named = false;
		char want[200];
		assert_non_null(first);
		snprintf(want, sizeof(want), "Outcome indicators: %s", first);
		for (size_t i = 0; i < r.n_figures; i++)
			named |= strcmp(r.figures[i].section, want) == 0;
		assert_true(named);
	}
}

/* The text of the row headed ROW in any table of report R, or NULL. */
static const char *table_row(const struct report *r, const char *row)
{
	for (size_t i = 0; i < r->n_sections; i++)
		for (size_t b = 0; b < r->sections[i].n_blocks; b++) {
			const struct report_table *t = &r->sections[i].blocks[b].table;
			if (r->sections[i].blocks[b].kind != RB_TABLE || t->ncols < 2)
				continue;
			for (size_t k = 0; k < t->nrows; k++)
				if (strcmp(t->cells[k * t->ncols], row) == 0)
					return t->cells[k * t->ncols + 1];
		}
	return NULL;
}

/* A report of a past period shows only the equality impact assessment made by its end. */
static void test_equality_assessment_by_period_end(void **state)
{
	struct fixture *f = *state;
	struct report_options o = half_year();
	struct report r;
	const char *eq;
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "INSERT OR IGNORE INTO equality_impact_assessments (programme_id, who_affected,"
		 " how_affected, mitigations, reviewer_name, assessed_on, review_on, updated_at)"
		 " VALUES (%lld, 'Young adults', 'h', 'Meet in the evening', 'Demo Reviewer',"
		 " '2025-12-02', '2026-12-02', '2025-12-02T10:00:00Z');"
		 " UPDATE equality_impact_assessments SET assessed_on = '2025-12-02'"
		 " WHERE programme_id = %lld;",
		 (long long)f->programme, (long long)f->programme);
	assert_int_equal(db_exec(f->d, sql), DB_OK);

	assert_int_equal(report_build(f->d, f->a, &o, &r), DOMAIN_OK);
	eq = table_row(&r, "Equality impact assessment and implications");
	assert_non_null(eq);
	assert_null(strstr(eq, "2 December 2025"));
	assert_non_null(strstr(eq, "Young adults co-production: no equality impact assessment had "
				   "been recorded by the end of the period."));

	o.from = (struct date){2025, 7, 1};
	o.to = (struct date){2025, 12, 31};
	assert_int_equal(report_build(f->d, f->a, &o, &r), DOMAIN_OK);
	eq = table_row(&r, "Equality impact assessment and implications");
	assert_non_null(eq);
	assert_non_null(strstr(eq, "Young adults co-production: assessed on 2 December 2025"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo_case_studies),
		cmocka_unit_test(test_facts_from_records),
		cmocka_unit_test(test_writers),
		cmocka_unit_test(test_report_figures),
		cmocka_unit_test(test_report_same_records_same_report),
		cmocka_unit_test(test_report_threshold_and_scope),
		cmocka_unit_test(test_last_half_year),
		cmocka_unit_test(test_cli),
		cmocka_unit_test(test_validation_and_consent),
		cmocka_unit_test(test_edit_published),
		cmocka_unit_test(test_indicators_by_area),
		cmocka_unit_test(test_equality_assessment_by_period_end),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
