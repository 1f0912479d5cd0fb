/* backup.c: an online copy of the live database, checked before it is called a backup. */
#include "db/db.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"

enum {
	BACKUP_BUSY_TIMEOUT_MS = 5000,
	/* Times a locked source is retried, BACKUP_RETRY_MS apart, before giving up. */
	BACKUP_RETRIES = 50,
	BACKUP_RETRY_MS = 100,
};

static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (err && errlen)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Copies every page in one step: the source is then read inside one snapshot, so the
 * copy is the database as it was at one moment. In WAL mode that snapshot does not hold
 * writers back, whereas copying in slices would restart each time the app wrote. */
static int copy(sqlite3 *src, sqlite3 *dst, char *err, size_t errlen)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b) {
		set_err(err, errlen, "cannot start the backup: %s", sqlite3_errmsg(dst));
		return DB_ERR;
	}
	int rc, tries = 0;
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
		if (++tries > BACKUP_RETRIES)
			break;
		sqlite3_sleep(BACKUP_RETRY_MS);
	}
	int frc = sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE || frc != SQLITE_OK) {
		set_err(err, errlen, "copying failed: %s",
			sqlite3_errstr(rc != SQLITE_DONE ? rc : frc));
		return DB_ERR;
	}
	return DB_OK;
}

static int check(const char *dest, char *err, size_t errlen)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	int ret = DB_ERR;
	if (sqlite3_open_v2(dest, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		set_err(err, errlen, "cannot open the copy %s: %s", dest,
			h ? sqlite3_errmsg(h) : "out of memory");
		goto out;
	}
	if (sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK) {
		set_err(err, errlen, "cannot check the copy: %s", sqlite3_errmsg(h));
		goto out;
	}
	int rc = sqlite3_step(st);
	const unsigned char *first = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
	if (!first) {
		set_err(err, errlen, "cannot check the copy: %s", sqlite3_errmsg(h));
		goto out;
	}
	if (strcmp((const char *)first, "ok") != 0) {
		set_err(err, errlen, "the copy failed its integrity check: %s", first);
		goto out;
	}
	ret = DB_OK;
out:
	sqlite3_finalize(st);
	sqlite3_close(h);
	return ret;
}

/* Removes a copy that did not complete, with the journal SQLite may have left beside it,
 * so that nothing half-made is mistaken for a backup. */
static void discard(const char *dest)
{
	char side[4096];
	unlink(dest);
	if ((size_t)snprintf(side, sizeof(side), "%s-journal", dest) < sizeof(side))
		unlink(side);
}

int db_backup(const char *src, const char *dest, char *err, size_t errlen)
{
	sqlite3 *s = NULL, *d = NULL;
	int ret = DB_ERR;
	set_err(err, errlen, "%s", "");
	/* Claiming the name with O_EXCL refuses an existing file even if one appears
	 * between a check and the copy, and makes the copy readable by its owner only:
	 * it holds the same personal data as the live database. */
	int fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			set_err(err, errlen, "%s already exists; a backup never overwrites a file",
				dest);
		else
			set_err(err, errlen, "cannot create %s: %s", dest, strerror(errno));
		goto fail_early;
	}
	close(fd);
	if (sqlite3_open_v2(src, &s, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		set_err(err, errlen, "cannot open the database %s: %s", src,
			s ? sqlite3_errmsg(s) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(s, BACKUP_BUSY_TIMEOUT_MS);
	if (sqlite3_open_v2(dest, &d, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		set_err(err, errlen, "cannot open %s: %s", dest,
			d ? sqlite3_errmsg(d) : "out of memory");
		goto out;
	}
	if (copy(s, d, err, errlen))
		goto out;
	sqlite3_close(d);
	d = NULL;
	ret = check(dest, err, errlen);
out:
	sqlite3_close(s);
	sqlite3_close(d);
	if (ret != DB_OK)
		discard(dest);
fail_early:
	if (ret != DB_OK)
		log_error("backup: %s", err && errlen ? err : "failed");
	return ret;
}
