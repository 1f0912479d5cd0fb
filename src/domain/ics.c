/* ics.c: an iCalendar writer for sessions; see ics.h. */
#include "domain/ics.h"

#include <string.h>

#include "domain/sessions.h"

/* A line as long as a calendar line can be before folding, with room to spare. */
#define ICS_VALUE_MAX (64 * 1024)

void ics_escape_text(sbuf *b, sv v)
{
	for (size_t i = 0; i < v.len; i++) {
		unsigned char c = (unsigned char)v.ptr[i];
		switch (c) {
		case '\\':
			sbuf_adds(b, "\\\\");
			break;
		case ';':
			sbuf_adds(b, "\\;");
			break;
		case ',':
			sbuf_adds(b, "\\,");
			break;
		case '\n':
			sbuf_adds(b, "\\n");
			break;
		default:
			/* CR (of a CRLF), tabs and other controls: a TEXT value may not hold them.
			 */
			if (c < 0x20 || c == 0x7f)
				break;
			sbuf_addc(b, (char)c);
		}
	}
}

/* Appends LINE (no CRLF in it) folded at ICS_LINE_OCTETS, with a CRLF at the end. A fold
 * never falls inside a UTF-8 character: it moves back to the character's first byte. */
static void fold(sbuf *b, sv line)
{
	size_t pos = 0, room = ICS_LINE_OCTETS;
	while (line.len - pos > room) {
		size_t cut = pos + room;
		while (cut > pos && ((unsigned char)line.ptr[cut] & 0xc0) == 0x80)
			cut--;
		if (cut == pos) /* not UTF-8 at all: cut where we must */
			cut = pos + room;
		sbuf_add(b, line.ptr + pos, cut - pos);
		sbuf_adds(b, "\r\n ");
		pos = cut;
		room = ICS_LINE_OCTETS - 1; /* the leading space counts */
	}
	sbuf_add(b, line.ptr + pos, line.len - pos);
	sbuf_adds(b, "\r\n");
}

void ics_line(sbuf *b, const char *name, sv value)
{
	sbuf line;
	sbuf_init(&line, b->a, ICS_VALUE_MAX);
	sbuf_adds(&line, name);
	sbuf_addc(&line, ':');
	sbuf_addsv(&line, value);
	if (line.err) {
		b->err = line.err;
		return;
	}
	fold(b, sbuf_sv(&line));
}

void ics_text_line(sbuf *b, const char *name, sv value)
{
	sbuf esc;
	sbuf_init(&esc, b->a, ICS_VALUE_MAX);
	ics_escape_text(&esc, value);
	if (esc.err) {
		b->err = esc.err;
		return;
	}
	ics_line(b, name, sbuf_sv(&esc));
}

static const char vtimezone[] = "BEGIN:VTIMEZONE\r\n"
                                "TZID:" ICS_TZID "\r\n"
                                "X-LIC-LOCATION:" ICS_TZID "\r\n"
                                "BEGIN:DAYLIGHT\r\n"
                                "TZOFFSETFROM:+0000\r\n"
                                "TZOFFSETTO:+0100\r\n"
                                "TZNAME:BST\r\n"
                                "DTSTART:19700329T010000\r\n"
                                "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
                                "END:DAYLIGHT\r\n"
                                "BEGIN:STANDARD\r\n"
                                "TZOFFSETFROM:+0100\r\n"
                                "TZOFFSETTO:+0000\r\n"
                                "TZNAME:GMT\r\n"
                                "DTSTART:19701025T020000\r\n"
                                "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
                                "END:STANDARD\r\n"
                                "END:VTIMEZONE\r\n";

void ics_begin(sbuf *b, const char *name)
{
	sbuf_adds(b, "BEGIN:VCALENDAR\r\n"
	             "VERSION:2.0\r\n"
	             "PRODID:-//coprod//Co-production sessions//EN\r\n"
	             "CALSCALE:GREGORIAN\r\n"
	             "METHOD:PUBLISH\r\n");
	if (name)
		ics_text_line(b, "X-WR-CALNAME", sv_from(name));
	ics_line(b, "X-WR-TIMEZONE", SV(ICS_TZID));
	sbuf_adds(b, vtimezone);
}

void ics_end(sbuf *b)
{
	sbuf_adds(b, "END:VCALENDAR\r\n");
}

/* "YYYY-MM-DDTHH:MM" -> "YYYYMMDDTHHMM00" in OUT[16]. Returns 0 or -1. */
static int local_time(const char *s, char out[16])
{
	static const char shape[] = "dddd-dd-ddTdd:dd";
	if (!s || strlen(s) != sizeof(shape) - 1)
		return -1;
	for (size_t i = 0; i < sizeof(shape) - 1; i++)
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i])
			return -1;
	memcpy(out, s, 4);
	memcpy(out + 4, s + 5, 2);
	memcpy(out + 6, s + 8, 2);
	out[8] = 'T';
	memcpy(out + 9, s + 11, 2);
	memcpy(out + 11, s + 14, 2);
	memcpy(out + 13, "00", 3);
	return 0;
}

void ics_event(sbuf *b, const struct ics_event *e)
{
	char start[16], end[16], iso[ISO_TIME_LEN], stamp[17];
	size_t k = 0;

	if (local_time(e->starts_at, start) != 0 || local_time(e->ends_at, end) != 0 || !e->uid) {
		b->err = SBUF_ERR_TOOBIG;
		return;
	}
	/* "YYYY-MM-DDTHH:MM:SSZ" -> "YYYYMMDDTHHMMSSZ" */
	iso_from_unix(e->stamp, iso);
	for (size_t i = 0; iso[i] && k < sizeof(stamp) - 1; i++)
		if (iso[i] != '-' && iso[i] != ':')
			stamp[k++] = iso[i];
	stamp[k] = 0;

	sbuf_adds(b, "BEGIN:VEVENT\r\n");
	ics_text_line(b, "UID", sv_from(e->uid));
	ics_line(b, "DTSTAMP", sv_from(stamp));
	ics_line(b, "DTSTART;TZID=" ICS_TZID, sv_from(start));
	ics_line(b, "DTEND;TZID=" ICS_TZID, sv_from(end));
	sbuf_addf(b, "SEQUENCE:%lld\r\n", (long long)e->sequence);
	ics_line(b, "STATUS", e->cancelled ? SV("CANCELLED") : SV("CONFIRMED"));
	ics_text_line(b, "SUMMARY", sv_from(e->summary ? e->summary : ""));
	if (e->location && e->location[0])
		ics_text_line(b, "LOCATION", sv_from(e->location));
	if (e->description && e->description[0])
		ics_text_line(b, "DESCRIPTION", sv_from(e->description));
	if (e->url && e->url[0])
		ics_line(b, "URL", sv_from(e->url));
	sbuf_adds(b, "END:VEVENT\r\n");
}
