/* main.c: the coprod command line: serve, migrate, demo, user and backup. Wires the
 * floors together; holds no logic of its own beyond reading options. */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/disclosure.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/accounts.h"
#include "domain/demo.h"
#include "domain/password.h"
#include "domain/report.h"
#include "domain/sortition.h"
#include "http/static.h"
#include "tmpl/tmpl.h"
#include "web/web.h"

#define DEFAULT_DB "coprod.db"
#define DEFAULT_ASSETS "node_modules/govuk-frontend/dist/govuk"
#define DB_POOL_SIZE 16
#define MAX_CONNECTIONS 256
#define IDLE_TIMEOUT_S 30
#define SHUTDOWN_GRACE_MS 10000
#define PASSWORD_STDIN_MAX 1024

struct options {
	const char *db, *listen, *assets, *place;
	int port;
	bool secure_cookies, force;
	const char *role, *name;
};

static const char usage[] =
	"usage: coprod COMMAND [options]\n"
	"\n"
	"Commands:\n"
	"  serve                 run the web server\n"
	"  migrate               bring the database's tables up to date\n"
	"  demo                  create a new database with demo data (--force replaces one)\n"
	"  user add EMAIL --role ROLE [--name NAME]\n"
	"                        add an account; the password is read from standard input\n"
	"  user set-password EMAIL\n"
	"                        set an account's password, read from standard input\n"
	"  user reset EMAIL      print a one-time link with which the person sets a password\n"
	"  backup DEST           copy the live database to DEST and check the copy\n"
	"  select --categories FILE --respondents FILE --k N [--household-column NAME]\n"
	"                        fair selection from Sortition Foundation files: each\n"
	"                        volunteer's LEXIMIN probability as CSV (id,probability)\n"
	"  report --db FILE --from YYYY-MM-DD --to YYYY-MM-DD --format pdf|html|csv --out FILE\n"
	"                        the six-monthly progress report on co-production for the Board\n"
	"\n"
	"Options (and environment variables):\n"
	"  --db FILE             database file (COPROD_DB, default " DEFAULT_DB ")\n"
	"  --port N              port to listen on; 0 picks a free one (COPROD_PORT, default 8080)\n"
	"  --listen ADDR         address to listen on (COPROD_LISTEN, default 127.0.0.1)\n"
	"  --secure-cookies      mark cookies Secure, for running behind TLS\n"
	"                        (COPROD_SECURE_COOKIES=1)\n"
	"  --log-level LEVEL     error, warn, info or debug (COPROD_LOG_LEVEL, default info)\n"
	"  --assets DIR          GOV.UK Frontend's dist/govuk directory\n"
	"                        (COPROD_ASSETS, default " DEFAULT_ASSETS ")\n"
	"  --place NAME          the place shown in the header (COPROD_PLACE, default Salford)\n"
	"  --suppress-below N    counts of people below N are shown as \"fewer than N\"\n"
	"                        everywhere (COPROD_SUPPRESS_BELOW, default 10, at least 2)\n"
	"  --role ROLE           local_person, decision_maker, facilitator, programme_lead or\n"
	"                        board_member (user add)\n"
	"  --name NAME           display name (user add; default: the part of EMAIL before @)\n"
	"  --force               demo: replace an existing database file\n"
	"  -h, --help            show this help\n";

/* The disclosure threshold: a whole number from 2 to 1000. */
static int parse_suppress(const char *s)
{
	int64_t v;
	if (sv_to_i64(sv_from(s), &v) != 0 || v < 2 || v > 1000) {
		fprintf(stderr, "coprod: the suppression threshold must be a whole number from 2 "
				"to 1000\n");
		return -1;
	}
	disclosure_set_threshold((int)v);
	return 0;
}

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);
	return v && *v ? v : def;
}

static int parse_port(const char *s, int *out)
{
	int64_t v;
	if (sv_to_i64(sv_from(s), &v) != 0 || v < 0 || v > 65535)
		return -1;
	*out = (int)v;
	return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'},
		{"port", required_argument, NULL, 'p'},
		{"listen", required_argument, NULL, 'l'},
		{"secure-cookies", no_argument, NULL, 's'},
		{"log-level", required_argument, NULL, 'L'},
		{"assets", required_argument, NULL, 'a'},
		{"place", required_argument, NULL, 'P'},
		{"role", required_argument, NULL, 'r'},
		{"name", required_argument, NULL, 'n'},
		{"force", no_argument, NULL, 'f'},
		{"suppress-below", required_argument, NULL, 'S'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	enum log_level level;
	const char *lv = env_or("COPROD_LOG_LEVEL", "info");
	int c;

	o->db = env_or("COPROD_DB", DEFAULT_DB);
	o->listen = env_or("COPROD_LISTEN", "127.0.0.1");
	o->assets = env_or("COPROD_ASSETS", DEFAULT_ASSETS);
	o->place = env_or("COPROD_PLACE", "Salford");
	o->secure_cookies = strcmp(env_or("COPROD_SECURE_COOKIES", "0"), "1") == 0;
	if (parse_port(env_or("COPROD_PORT", "8080"), &o->port) != 0) {
		fprintf(stderr, "coprod: COPROD_PORT must be a number from 0 to 65535\n");
		return -1;
	}
	if (parse_suppress(env_or("COPROD_SUPPRESS_BELOW", "10")) != 0)
		return -1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			o->db = optarg;
			break;
		case 'p':
			if (parse_port(optarg, &o->port) != 0) {
				fprintf(stderr, "coprod: --port must be a number from 0 to 65535\n");
				return -1;
			}
			break;
		case 'l':
			o->listen = optarg;
			break;
		case 's':
			o->secure_cookies = true;
			break;
		case 'L':
			lv = optarg;
			break;
		case 'a':
			o->assets = optarg;
			break;
		case 'P':
			o->place = optarg;
			break;
		case 'r':
			o->role = optarg;
			break;
		case 'n':
			o->name = optarg;
			break;
		case 'f':
			o->force = true;
			break;
		case 'S':
			if (parse_suppress(optarg) != 0)
				return -1;
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		default:
			fputs(usage, stderr);
			return -1;
		}
	}
	if (log_level_parse(lv, &level) != 0) {
		fprintf(stderr, "coprod: log level must be error, warn, info or debug\n");
		return -1;
	}
	log_set_level(level);
	return 0;
}

/* Opens the database and brings its schema up to date. */
static db *open_migrated(const char *path)
{
	db *d;
	int from = 0, to = 0, rc;
	if (db_open(path, &d) != DB_OK) {
		fprintf(stderr, "coprod: cannot open database %s\n", path);
		return NULL;
	}
	rc = db_migrate(d, &from, &to);
	if (rc == DB_ETOONEW) {
		fprintf(stderr,
			"coprod: %s was written by a newer version of coprod (schema %d; this "
			"version knows up to %d). Upgrade coprod before using it.\n",
			path, db_schema_version(d), db_code_version());
		db_close(d);
		return NULL;
	}
	if (rc != DB_OK) {
		fprintf(stderr, "coprod: could not update the database's tables; nothing was "
				"changed\n");
		db_close(d);
		return NULL;
	}
	if (from != to)
		log_info("database %s updated from schema %d to %d", path, from, to);
	return d;
}

static int cmd_migrate(const struct options *o)
{
	db *d = open_migrated(o->db);
	if (!d)
		return 1;
	printf("%s is at schema version %d\n", o->db, db_schema_version(d));
	db_close(d);
	return 0;
}

static void print_demo_signins(void)
{
	printf("Demo sign-ins (password for all: %s):\n", DEMO_PASSWORD);
	for (size_t i = 0; i < demo_signin_count; i++)
		printf("  %-16s %s\n", demo_signins[i].role_label, demo_signins[i].email);
}

static int cmd_demo(const struct options *o)
{
	arena *a = NULL;
	db *d;
	if (access(o->db, F_OK) == 0) {
		if (!o->force) {
			fprintf(stderr, "coprod: %s already exists; use --force to replace it\n",
				o->db);
			return 1;
		}
		char wal[4096], shm[4096];
		snprintf(wal, sizeof(wal), "%s-wal", o->db);
		snprintf(shm, sizeof(shm), "%s-shm", o->db);
		if (unlink(o->db) != 0) {
			fprintf(stderr, "coprod: cannot remove %s: %s\n", o->db, strerror(errno));
			return 1;
		}
		unlink(wal);
		unlink(shm);
	}
	if (password_init() != 0)
		return 1;
	d = open_migrated(o->db);
	a = arena_new(16 * 1024 * 1024);
	if (!d || !a || demo_load(d, a) != DOMAIN_OK) {
		fprintf(stderr, "coprod: could not load the demo data\n");
		arena_free(a);
		if (d)
			db_close(d);
		return 1;
	}
	arena_free(a);
	db_close(d);
	printf("Created %s with demo data. Everyone and every organisation in it is invented.\n",
	       o->db);
	print_demo_signins();
	return 0;
}

/* Reads a password from standard input (one line, without its newline). */
static int read_password(char *buf, size_t len)
{
	size_t n;
	if (isatty(STDIN_FILENO))
		fprintf(stderr, "Password (at least 10 characters): ");
	if (!fgets(buf, (int)len, stdin)) {
		fprintf(stderr, "coprod: no password on standard input\n");
		return -1;
	}
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	return 0;
}

static void print_field_errors(const struct field_errors *fe)
{
	for (size_t i = 0; i < fe->n; i++)
		fprintf(stderr, "coprod: %s: %s\n", fe->items[i].field, fe->items[i].message);
}

static int cmd_user(int argc, char **argv, const struct options *o)
{
	const char *verb = optind < argc ? argv[optind] : NULL;
	const char *email = optind + 1 < argc ? argv[optind + 1] : NULL;
	struct audit_actor shell = {0, 0, "command line"};
	struct field_errors fe;
	char pw[PASSWORD_STDIN_MAX];
	arena *a;
	db *d;
	int rc = 1;

	if (!verb || !email) {
		fputs(usage, stderr);
		return 2;
	}
	if (password_init() != 0)
		return 1;
	d = open_migrated(o->db);
	a = arena_new(16 * 1024 * 1024);
	if (!d || !a)
		goto out;
	field_errors_init(&fe);
	if (strcmp(verb, "add") == 0) {
		struct account_new in = {0};
		const char *at = strchr(email, '@');
		in.email = sv_from(email);
		in.role = o->role ? role_parse(sv_from(o->role)) : ROLE_NONE;
		in.display_name = o->name ? sv_from(o->name)
					  : (sv){email, at ? (size_t)(at - email) : strlen(email)};
		if (in.role == ROLE_NONE) {
			fprintf(stderr, "coprod: --role must be local_person, decision_maker, "
					"facilitator, programme_lead or board_member\n");
			goto out;
		}
		if (read_password(pw, sizeof(pw)) != 0)
			goto out;
		in.password = sv_from(pw);
		int64_t id;
		if (account_create(d, a, &shell, &in, &fe, &id) != DOMAIN_OK) {
			print_field_errors(&fe);
			goto out;
		}
		printf("Added %s (%s), account %lld\n", email, role_label(in.role), (long long)id);
		rc = 0;
	} else if (strcmp(verb, "set-password") == 0 || strcmp(verb, "reset") == 0) {
		struct account acc;
		if (account_get_by_email(d, a, sv_from(email), &acc) != DOMAIN_OK) {
			fprintf(stderr, "coprod: there is no account with the email %s\n", email);
			goto out;
		}
		if (strcmp(verb, "reset") == 0) {
			char token[RESET_TOKEN_HEX + 1];
			if (reset_create(d, a, &shell, acc.id, (int64_t)time(NULL), token) !=
			    DOMAIN_OK) {
				fprintf(stderr, "coprod: could not create a reset link (is the "
						"account disabled?)\n");
				goto out;
			}
			printf("One-time link, valid for 24 hours: /reset-password/%s\n"
			       "(add it to this site's address, e.g. https://example.org/reset-password/...)\n",
			       token);
			rc = 0;
			goto out;
		}
		if (read_password(pw, sizeof(pw)) != 0)
			goto out;
		if (account_set_password(d, a, &shell, acc.id, sv_from(pw), 0, &fe) != DOMAIN_OK) {
			print_field_errors(&fe);
			goto out;
		}
		printf("Password set for %s; they have been signed out everywhere.\n", email);
		rc = 0;
	} else {
		fputs(usage, stderr);
		rc = 2;
	}
out:
	sodium_memzero(pw, sizeof(pw));
	arena_free(a);
	if (d)
		db_close(d);
	return rc;
}

static int cmd_backup(int argc, char **argv, const struct options *o)
{
	char err[512];
	const char *dest = optind < argc ? argv[optind] : NULL;
	if (!dest) {
		fprintf(stderr, "usage: coprod backup --db FILE DEST\n");
		return 2;
	}
	if (db_backup(o->db, dest, err, sizeof(err)) != DB_OK) {
		fprintf(stderr, "coprod: backup failed: %s\n", err);
		return 1;
	}
	printf("Copied %s to %s; the copy passed its integrity check.\n", o->db, dest);
	return 0;
}

static int cmd_serve(const struct options *o)
{
	struct app app = {0};
	struct http_config cfg = {0};
	http_server *srv;
	sigset_t set;
	int sig = 0;
	db *d;

	if (password_init() != 0 || tmpl_init() != 0 || web_routes_check() != 0 ||
	    static_init(o->assets) != 0)
		return 1;
	/* Each request's arena is freed when its response is sent; without these, glibc hands
	 * the memory back to the kernel and faults it in again on the next request, and with a
	 * thread per connection every such unmapping interrupts the other core. Measured with
	 * bench/run.sh: about a third more signed-in pages a second. */
	mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 128 * 1024 * 1024);
	d = open_migrated(o->db);
	if (!d)
		return 1;
	app.demo = demo_present(d);
	db_close(d);
	app.pool = db_pool_new(o->db, DB_POOL_SIZE);
	if (!app.pool) {
		fprintf(stderr, "coprod: cannot open database %s\n", o->db);
		return 1;
	}
	app.place = o->place;

	/* Signals are taken by sigwait below, so every thread is started with them blocked. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	cfg.listen = o->listen;
	cfg.port = o->port;
	cfg.secure_cookies = o->secure_cookies;
	cfg.max_connections = MAX_CONNECTIONS;
	cfg.connection_timeout_s = IDLE_TIMEOUT_S;
	cfg.dispatch = web_dispatch;
	cfg.ctx = &app;
	srv = http_start(&cfg);
	if (!srv) {
		db_pool_free(app.pool);
		return 1;
	}
	fprintf(stderr, "coprod: listening on http://%s%s%s:%d/\n",
		strchr(o->listen, ':') ? "[" : "", o->listen, strchr(o->listen, ':') ? "]" : "",
		http_port(srv));
	sigwait(&set, &sig);
	log_info("received %s: finishing requests in flight, then stopping",
		 sig == SIGTERM ? "SIGTERM" : "SIGINT");
	http_stop(srv, SHUTDOWN_GRACE_MS);
	db_pool_free(app.pool);
	static_free();
	log_info("stopped cleanly");
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = {0};
	const char *cmd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	cmd = argv[1];
	/* Commands with options of their own parse them themselves. */
	if (strcmp(cmd, "select") == 0)
		return sortition_cli(argc - 1, argv + 1);
	if (strcmp(cmd, "report") == 0)
		return report_cli(argc - 1, argv + 1);
	optind = 2;
	if (parse_options(argc, argv, &o) != 0)
		return 2;
	if (strcmp(cmd, "serve") == 0)
		return cmd_serve(&o);
	if (strcmp(cmd, "migrate") == 0)
		return cmd_migrate(&o);
	if (strcmp(cmd, "demo") == 0)
		return cmd_demo(&o);
	if (strcmp(cmd, "user") == 0)
		return cmd_user(argc, argv, &o);
	if (strcmp(cmd, "backup") == 0)
		return cmd_backup(argc, argv, &o);
	fprintf(stderr, "coprod: unknown command '%s'\n\n%s", cmd, usage);
	return 2;
}
