/* ics.h: writing iCalendar (RFC 5545) for group sessions, so people can have their
 * sessions in the calendar on their phone.
 *
 * Written here rather than with a library: Debian's libical is large for what we need
 * (one kind of event, one time zone), and the rules that matter are few and tested in
 * tests/unit/test_ics.c: lines end in CRLF; a line longer than 75 octets is folded (CRLF
 * and one space), never inside a UTF-8 character; TEXT values escape backslash,
 * semicolon, comma and newlines; times are local to Europe/London with a VTIMEZONE that
 * says when the clocks change, and DTSTAMP is in UTC.
 *
 * The writer appends to a bounded sbuf; check the sbuf's err once at the end.
 */
#ifndef DOMAIN_ICS_H
#define DOMAIN_ICS_H
#include <stdbool.h>
#include <stdint.h>

#include "core/str.h"

#define ICS_LINE_OCTETS 75 /* longest line before folding, CRLF not counted */
#define ICS_TZID        "Europe/London"

struct ics_event {
	const char *uid;         /* stable for the session, e.g. "session-4@coprod" */
	int64_t sequence;        /* bumped on each change */
	int64_t stamp;           /* Unix seconds: DTSTAMP, in UTC */
	const char *starts_at;   /* local "YYYY-MM-DDTHH:MM" */
	const char *ends_at;     /* local "YYYY-MM-DDTHH:MM" */
	const char *summary;     /* the title */
	const char *description; /* may be NULL */
	const char *location;    /* may be NULL */
	const char *url;         /* may be NULL: the session's page */
	bool cancelled;          /* STATUS:CANCELLED, else CONFIRMED */
};

/* BEGIN:VCALENDAR with VERSION, PRODID, METHOD:PUBLISH, the calendar's NAME (may be NULL)
 * and the VTIMEZONE for Europe/London. */
void ics_begin(sbuf *b, const char *name);
/* One VEVENT. A start or end that is not "YYYY-MM-DDTHH:MM" sets b->err (SBUF_ERR_TOOBIG
 * is not the right word for it, but the event must not be written half right). */
void ics_event(sbuf *b, const struct ics_event *e);
/* END:VCALENDAR. */
void ics_end(sbuf *b);

/* The building blocks, for tests: NAME ":" VALUE folded and ended with CRLF. NAME may
 * carry parameters ("DTSTART;TZID=Europe/London"). ics_text_line escapes VALUE as TEXT
 * first (\\ \; \, and \n for a newline; CR and other control characters are dropped). */
void ics_line(sbuf *b, const char *name, sv value);
void ics_text_line(sbuf *b, const char *name, sv value);
/* Appends VALUE escaped as TEXT, unfolded. */
void ics_escape_text(sbuf *b, sv value);

#endif
