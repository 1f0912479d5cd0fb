/* csv.h: reading and writing CSV (RFC 4180) for imports and exports.
 *
 * Reading: fields separated by commas, optionally quoted with '"' (a doubled quote inside
 * is one quote; quoted fields may hold commas and line breaks), records ended by CRLF or
 * LF, a UTF-8 byte order mark at the start skipped, a final record without a line break
 * accepted. Each record reports the line number it started on, so an import can say
 * "line 7: ..." for each bad row. Limits bound a hostile file: at most CSV_MAX_FIELDS
 * fields per record and CSV_MAX_FIELD bytes per field.
 *
 * Writing: csv_field quotes a field when it holds a comma, quote, CR or LF, and prefixes
 * a field that starts with =, +, - or @ with a single quote so a spreadsheet opened by
 * finance never runs it as a formula (OWASP "CSV injection"); numbers we write ourselves
 * go through csv_number, which is never prefixed.
 */
#ifndef CORE_CSV_H
#define CORE_CSV_H
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"

#define CSV_MAX_FIELDS 256
#define CSV_MAX_FIELD 65536

struct csv_reader {
	sv rest;      /* what is left to read */
	int line;     /* line number the next record starts on (1-based) */
	arena *a;
};

struct csv_record {
	int line;             /* the line this record started on */
	size_t n;             /* number of fields */
	sv field[CSV_MAX_FIELDS]; /* each field, unquoted (arena memory when unescaped) */
};

/* Starts reading INPUT (skips a UTF-8 BOM). */
void csv_reader_init(struct csv_reader *r, arena *a, sv input);

/* Reads the next record into REC. Returns 1 when a record was read, 0 at the end of the
 * input, or -1 on a malformed record (an unterminated quote, text after a closing quote,
 * too many fields, a field too long); then REC->line says where, ERR (if not NULL) gets
 * a plain-English reason, and reading cannot go on. A line that is wholly empty is
 * skipped. */
int csv_read(struct csv_reader *r, struct csv_record *rec, const char **err);

/* The index of the header field named NAME (case-insensitive, spaces trimmed), or -1. */
int csv_column(const struct csv_record *header, const char *name);

/* Appends one field, quoted when needed and guarded against formula injection. */
void csv_field(sbuf *b, sv value);
void csv_field_cstr(sbuf *b, const char *value);
/* Appends a number as is. */
void csv_number(sbuf *b, int64_t v);
/* Appends an amount of money as a plain number with two decimals ("1250.50", "-5.00"),
 * never prefixed: what finance's spreadsheet expects in an amount column. */
void csv_money(sbuf *b, int64_t pence);
/* Ends a record with CRLF, as RFC 4180 says. */
void csv_end_record(sbuf *b);
/* Appends ',' between fields: call before every field but the first. */
void csv_sep(sbuf *b);

#endif
