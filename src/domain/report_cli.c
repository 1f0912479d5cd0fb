/* report_cli.c: `coprod report`, the Board report from the shell, for a scheduled run
 * before each Board meeting; see report.h. */
#include "domain/report.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "core/disclosure.h"
#include "domain/validate.h"
#include "tmpl/tmpl.h"

#define CLI_ARENA_MAX (256u * 1024 * 1024)

static const char usage[] =
	"usage: coprod report --db FILE --from YYYY-MM-DD --to YYYY-MM-DD\n"
	"                     --format pdf|html|csv --out FILE [--prepared YYYY-MM-DD]\n"
	"                     [--suppress-below N]\n"
	"  Writes the progress report on co-production to the Health and Wellbeing Board\n"
	"  for the period FROM to TO (both days included). --out - writes to standard\n"
	"  output. --prepared is the date shown on the report (default today).\n"
	"  --suppress-below (COPROD_SUPPRESS_BELOW, default 10): counts of people below it\n"
	"  read \"fewer than N\", as on the site.\n";

static int bad(const char *msg)
{
	fprintf(stderr, "coprod report: %s\n", msg);
	return 2;
}

static int parse_date(const char *s, const char *what, struct date *out)
{
	if (!s) {
		fprintf(stderr, "coprod report: give the %s as --%s YYYY-MM-DD\n%s",
			strcmp(what, "from") == 0 ? "first day of the period" : strcmp(what, "to") == 0 ? "last day of the period" : "date it was prepared",
			what, usage);
		return 2;
	}
	if (date_parse(sv_from(s), out) != 0) {
		fprintf(stderr, "coprod report: --%s must be a real date written YYYY-MM-DD, like "
				"2022-12-31\n",
			what);
		return 2;
	}
	return 0;
}

/* Writes BYTES to PATH through a temporary file renamed into place, so a scheduled run
 * that fails never leaves half a report where last time's was. */
static int write_file(const char *path, sv bytes)
{
	char tmp[4096];
	FILE *f;
	if (strcmp(path, "-") == 0)
		return fwrite(bytes.ptr, 1, bytes.len, stdout) == bytes.len && fflush(stdout) == 0 ? 0 : -1;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid()) >= sizeof(tmp))
		return -1;
	if (!(f = fopen(tmp, "wb")))
		return -1;
	if (fwrite(bytes.ptr, 1, bytes.len, f) != bytes.len || fflush(f) != 0 ||
	    fsync(fileno(f)) != 0) {
		fclose(f);
		unlink(tmp);
		return -1;
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

int report_cli(int argc, char **argv)
{
	const char *dbpath = NULL, *from_s = NULL, *to_s = NULL, *format = NULL, *out = NULL,
		   *prepared_s = NULL, *suppress_s = getenv("COPROD_SUPPRESS_BELOW"), *msg;
	struct report_options o = {.all = true};
	struct report rep;
	arena *a = NULL;
	db *d = NULL;
	sbuf b;
	int rc, from_v = 0, to_v = 0, status = 1;
	FILE *check;

	for (int i = 1; i < argc; i++) {
		const char **slot = strcmp(argv[i], "--db") == 0	? &dbpath
				    : strcmp(argv[i], "--from") == 0	? &from_s
				    : strcmp(argv[i], "--to") == 0	? &to_s
				    : strcmp(argv[i], "--format") == 0	? &format
				    : strcmp(argv[i], "--out") == 0	? &out
				    : strcmp(argv[i], "--prepared") == 0 ? &prepared_s
				    : strcmp(argv[i], "--suppress-below") == 0 ? &suppress_s
									: NULL;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		}
		if (!slot) {
			fprintf(stderr, "coprod report: unknown option %s\n%s", argv[i], usage);
			return 2;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "coprod report: %s needs a value\n%s", argv[i], usage);
			return 2;
		}
		*slot = argv[++i];
	}
	if (!dbpath)
		dbpath = getenv("COPROD_DB");
	/* The same threshold as the site's, so the Board reads what the pages show. */
	if (suppress_s && *suppress_s) {
		int64_t v;
		if (sv_to_i64(sv_from(suppress_s), &v) != 0 || v < 2 || v > 1000)
			return bad("the suppression threshold must be a whole number from 2 to 1000");
		disclosure_set_threshold((int)v);
	}
	if (!dbpath)
		return bad("give the database with --db FILE");
	if ((rc = parse_date(from_s, "from", &o.from)) || (rc = parse_date(to_s, "to", &o.to)))
		return rc;
	if (prepared_s) {
		if ((rc = parse_date(prepared_s, "prepared", &o.prepared_on)))
			return rc;
	} else {
		o.prepared_on = date_today();
	}
	if ((msg = report_period_check(o.from, o.to))) {
		if (date_cmp(o.to, o.from) < 0)
			return bad("the last day (--to) is before the first day (--from)");
		return bad(msg);
	}
	if (!format)
		return bad("give the format with --format pdf, --format html or --format csv");
	if (strcmp(format, "pdf") && strcmp(format, "html") && strcmp(format, "csv")) {
		fprintf(stderr, "coprod report: unknown format \"%s\": use pdf, html or csv\n", format);
		return 2;
	}
	if (!out)
		return bad("give the file to write with --out FILE (or --out - for standard output)");

	/* A report never creates a database: a mistyped path is an error, not an empty
	 * report. */
	if (!(check = fopen(dbpath, "rb"))) {
		fprintf(stderr, "coprod report: cannot open database %s: %s\n", dbpath, strerror(errno));
		return 1;
	}
	fclose(check);
	if (db_open(dbpath, &d) != DB_OK) {
		fprintf(stderr, "coprod report: cannot open database %s\n", dbpath);
		return 1;
	}
	rc = db_migrate(d, &from_v, &to_v);
	if (rc != DB_OK) {
		fprintf(stderr, rc == DB_ETOONEW ? "coprod report: %s was written by a newer version "
						   "of coprod; upgrade coprod first\n"
						 : "coprod report: could not bring %s up to date\n",
			dbpath);
		goto out;
	}
	if (strcmp(format, "html") == 0 && tmpl_init() != 0) {
		fprintf(stderr, "coprod report: the report's templates did not load\n");
		goto out;
	}
	if (!(a = arena_new(CLI_ARENA_MAX))) {
		fprintf(stderr, "coprod report: out of memory\n");
		goto out;
	}
	db_read_begin(d);
	rc = report_build(d, a, &o, &rep);
	db_read_end(d);
	if (rc != DOMAIN_OK) {
		fprintf(stderr, "coprod report: could not read the records for the report\n");
		goto out;
	}
	sbuf_init(&b, a, REPORT_OUT_MAX);
	rc = strcmp(format, "pdf") == 0	   ? report_pdf(a, &rep, &b)
	     : strcmp(format, "html") == 0 ? report_html_document(a, &rep, &b)
					   : report_csv(a, &rep, &b);
	if (rc != 0 || b.err) {
		fprintf(stderr, "coprod report: could not write the %s\n", format);
		goto out;
	}
	if (write_file(out, sbuf_sv(&b)) != 0) {
		fprintf(stderr, "coprod report: cannot write %s: %s\n", out, strerror(errno));
		goto out;
	}
	status = 0;
out:
	arena_free(a);
	if (d)
		db_close(d);
	return status;
}
