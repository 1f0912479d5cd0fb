/* xlsx_export.c: a payment batch for finance as an Excel workbook (libxlsxwriter), the
 * same rows as the CSV in payments_export.c. libxlsxwriter only writes to a file, so the
 * workbook is written to a private temporary file under $TMPDIR (or /tmp), read back
 * into the caller's builder and removed. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/log.h"
#include "domain/payments_impl.h"

/* Pence as pounds for a spreadsheet cell: the one place money becomes a double, for
 * display in finance's spreadsheet only. Every figure, totals included, is added up in
 * pence first and divided once here, so a total is the nearest double to the exact sum
 * (a spreadsheet reads 8.3 back as 8.30; libxlsxwriter may spell that double with
 * sixteen digits in the XML). */
static double pounds(int64_t pence)
{
	return (double)pence / 100.0;
}

/* A session's "YYYY-MM-DD" as a spreadsheet date; false if malformed. */
static bool session_day(const char *iso, lxw_datetime *out)
{
	struct date dt;
	if (!iso || strlen(iso) < 10 || date_parse((sv){iso, 10}, &dt) != 0)
		return false;
	memset(out, 0, sizeof(*out));
	out->year = dt.y;
	out->month = dt.m;
	out->day = dt.d;
	return true;
}

static int write_workbook(const char *path, const struct pay_export *ex)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws;
	lxw_format *bold, *money, *money_bold, *day;
	lxw_datetime when;
	int64_t pay = 0, exp = 0;
	lxw_row_t row = 0;

	if (!wb)
		return -1;
	ws = workbook_add_worksheet(wb, "Payments");
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	money = workbook_add_format(wb);
	format_set_num_format(money, "\xc2\xa3#,##0.00");
	money_bold = workbook_add_format(wb);
	format_set_num_format(money_bold, "\xc2\xa3#,##0.00");
	format_set_bold(money_bold);
	day = workbook_add_format(wb);
	format_set_num_format(day, "d mmmm yyyy");
	for (lxw_col_t i = 0; i < PAY_EXPORT_COLUMNS; i++)
		worksheet_write_string(ws, row, i, pay_export_headings[i], bold);
	worksheet_set_column(ws, 0, PAY_EXPORT_COLUMNS - 1, 18, NULL);
	for (size_t i = 0; i < ex->n; i++) {
		const struct pay_claim *c = &ex->claims[i];
		row++;
		/* Text cells are written as strings, never as formulas, whatever they hold. */
		worksheet_write_number(ws, row, 0, (double)ex->batch.id, NULL);
		worksheet_write_string(ws, row, 1, c->person_ref, NULL);
		/* A real date, so finance can sort and filter by it. */
		if (session_day(c->session_date, &when))
			worksheet_write_datetime(ws, row, 2, &when, day);
		else
			worksheet_write_string(ws, row, 2, c->session_date, NULL);
		worksheet_write_number(ws, row, 3, pounds(c->payment_pence), money);
		worksheet_write_number(ws, row, 4, pounds(c->expenses_pence), money);
		worksheet_write_number(ws, row, 5, pounds(c->payment_pence + c->expenses_pence),
		                       money);
		worksheet_write_string(ws, row, 6, pay_method_label(c->method), NULL);
		worksheet_write_string(ws, row, 7, c->charity_name, NULL);
		worksheet_write_string(ws, row, 8, ex->payment_code, NULL);
		worksheet_write_string(ws, row, 9, ex->expenses_code, NULL);
		pay += c->payment_pence;
		exp += c->expenses_pence;
	}
	row++;
	worksheet_write_number(ws, row, 0, (double)ex->batch.id, bold);
	worksheet_write_string(ws, row, 1, "Total", bold);
	worksheet_write_number(ws, row, 3, pounds(pay), money_bold);
	worksheet_write_number(ws, row, 4, pounds(exp), money_bold);
	worksheet_write_number(ws, row, 5, pounds(pay + exp), money_bold);
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

static int read_back(const char *path, sbuf *out)
{
	int fd = open(path, O_RDONLY);
	struct stat stt;
	char *dst;
	ssize_t got = 0;

	if (fd < 0)
		return -1;
	if (fstat(fd, &stt) != 0 || stt.st_size <= 0 ||
	    !(dst = sbuf_reserve(out, (size_t)stt.st_size))) {
		close(fd);
		return -1;
	}
	while (got < stt.st_size) {
		ssize_t k = read(fd, dst + got, (size_t)(stt.st_size - got));
		if (k <= 0) {
			close(fd);
			return -1;
		}
		got += k;
	}
	close(fd);
	sbuf_commit(out, (size_t)got);
	return out->err ? -1 : 0;
}

int pay_batch_xlsx(db *d, arena *a, int64_t batch_id, sbuf *out)
{
	struct pay_export ex;
	const char *dir = getenv("TMPDIR");
	char *path;
	int fd, rc = pay_export_load(d, a, batch_id, &ex);

	if (rc != DOMAIN_OK)
		return rc;
	if (!dir || !*dir)
		dir = "/tmp";
	if (!(path = arena_printf(a, "%s/coprod-batch-XXXXXX", dir)))
		return DB_ERR;
	if ((fd = mkstemp(path)) < 0) {
		log_error("payments: cannot make a temporary file for the XLSX export");
		return DB_ERR;
	}
	close(fd);
	rc = write_workbook(path, &ex) == 0 && read_back(path, out) == 0 ? DOMAIN_OK : DB_ERR;
	unlink(path);
	if (rc != DOMAIN_OK)
		log_error("payments: writing the XLSX export of batch %lld failed",
		          (long long)batch_id);
	return rc;
}
