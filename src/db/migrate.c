/* migrate.c: brings the database schema up to the migrations built into the binary. */
#include "db/db.h"

#include <limits.h>

#include "core/embedded.h"
#include "core/log.h"

/* The leading number of "0001_foundation.sql", or -1 if there is none. */
static int version_of(const char *name)
{
	long v = 0;
	const char *p = name;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v > INT_MAX)
			return -1;
	}
	if (p == name || *p != '_')
		return -1;
	return (int)v;
}

int db_migrations_version(const struct embedded_file *table)
{
	int last = 0;
	for (const struct embedded_file *m = table; m->name; m++) {
		int v = version_of(m->name);
		if (v <= last) {
			log_error("migrate: %s: migration names need rising leading numbers",
				  m->name);
			return DB_ERR;
		}
		last = v;
	}
	return last;
}

int db_code_version(void)
{
	return db_migrations_version(embedded_migrations);
}

static int current_version(db *d)
{
	db_stmt *s = db_prepare(d, "SELECT MAX(version) FROM schema_migrations");
	if (!s)
		return DB_ERR;
	int rc = db_step(s);
	int v = rc == DB_ROW ? (int)db_col_int(s, 0) : (rc < 0 ? rc : DB_ERR);
	db_done(s);
	return v;
}

int db_schema_version(db *d)
{
	int exists = db_table_exists(d, "schema_migrations");
	if (exists <= 0)
		return exists;
	return current_version(d);
}

static int record(db *d, int version, const char *name)
{
	char now[32];
	db_now_iso(now, 0);
	db_stmt *s = db_prepare(d,
		"INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
	if (!s)
		return DB_ERR;
	int rc = db_bind_int(s, 1, version);
	if (!rc)
		rc = db_bind_text(s, 2, name);
	if (!rc)
		rc = db_bind_text(s, 3, now);
	if (!rc)
		rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? DB_OK : (rc < 0 ? rc : DB_ERR);
}

/* Applies every migration in TABLE newer than the database, inside the caller's
 * transaction. *CUR is the version found. */
static int apply_pending(db *d, const struct embedded_file *table, int code, int *cur)
{
	int rc = db_exec(d, "CREATE TABLE IF NOT EXISTS schema_migrations (\n"
			    "\tversion INTEGER PRIMARY KEY,\n"
			    "\tname TEXT NOT NULL,\n"
			    "\tapplied_at TEXT NOT NULL\n"
			    ")");
	if (rc)
		return rc;
	*cur = current_version(d);
	if (*cur < 0)
		return *cur;
	if (*cur > code) {
		log_error("migrate: the database is at schema version %d but this program only "
			  "knows up to %d: run a newer coprod, or restore a backup taken by this one",
			  *cur, code);
		return DB_ETOONEW;
	}
	for (const struct embedded_file *m = table; m->name; m++) {
		int v = version_of(m->name);
		if (v <= *cur)
			continue;
		log_info("migrate: applying %s", m->name);
		rc = db_exec(d, m->data);
		if (!rc)
			rc = record(d, v, m->name);
		if (rc) {
			log_error("migrate: %s failed; no migration applied", m->name);
			return rc;
		}
	}
	return DB_OK;
}

int db_migrate_table(db *d, const struct embedded_file *table, int *from, int *to)
{
	int cur = -1;
	int code = db_migrations_version(table);
	int rc = code < 0 ? DB_ERR : db_begin(d);
	if (rc)
		goto out;
	rc = apply_pending(d, table, code, &cur);
	if (!rc)
		rc = db_commit(d);
	if (rc)
		db_rollback(d);
out:
	if (from)
		*from = cur;
	if (to)
		*to = rc ? cur : code;
	return rc;
}

int db_migrate(db *d, int *from, int *to)
{
	return db_migrate_table(d, embedded_migrations, from, to);
}
