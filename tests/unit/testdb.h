/* testdb.h: what the unit tests that use a database share: a temporary directory
 * removed afterwards, a quick insert of a fixture row, and a count from the database. */
#ifndef TESTS_UNIT_TESTDB_H
#define TESTS_UNIT_TESTDB_H
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"

/* Removes DIR and the files in it (a test's database and its WAL files). */
static inline void rm_dir(const char *dir)
{
	DIR *dh = opendir(dir);
	struct dirent *e;
	char p[512];
	if (!dh)
		return;
	while ((e = readdir(dh)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(dh);
	rmdir(dir);
}

/* Runs one INSERT of fixture data; returns the new row's id, or 0 when it failed. */
static inline int64_t insert(db *d, const char *sql)
{
	if (db_exec(d, sql) != DB_OK)
		return 0;
	return db_last_insert_id(d);
}

/* The single number SQL selects (a count, usually), or -1 when the query fails, so a
 * test comparing it with what it expects fails too. */
static inline int64_t count(db *d, const char *sql)
{
	db_stmt *st = db_prepare(d, sql);
	int64_t n = -1;
	if (st && db_step(st) == DB_ROW)
		n = db_col_int(st, 0);
	if (st)
		db_done(st);
	return n;
}

#endif
