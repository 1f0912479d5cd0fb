/* date.h: calendar dates and clock times as people type and read them.
 *
 * Dates are stored as "YYYY-MM-DD" and local times as "HH:MM" (Europe/London; sessions
 * happen in one place). Parsing is strict (real calendar dates only) and accepts what
 * the GOV.UK date input sends: day, month and year as separate fields. Display follows
 * GOV.UK style: "14 June 2022", "Tuesday 14 June 2022", "6:30pm".
 */
#ifndef CORE_DATE_H
#define CORE_DATE_H
#include <stdbool.h>
#include <stdint.h>

#include "core/str.h"

struct date {
	int y, m, d;
};

/* "YYYY-MM-DD" -> date. Returns 0, or -1 if not exactly that form or not a real date. */
int date_parse(sv s, struct date *out);
/* Day, month, year fields (as typed: spaces trimmed, leading zeros allowed, a 4-digit
 * year from 1900 to 2200) -> date. Returns 0 or -1. */
int date_from_fields(sv day, sv month, sv year, struct date *out);
bool date_valid(struct date d);
/* Days since 1970-01-01 (negative before), and back. */
int64_t date_to_days(struct date d);
struct date date_from_days(int64_t days);
struct date date_add_days(struct date d, int64_t n);
int date_cmp(struct date a, struct date b); /* <0, 0, >0 */
int date_weekday(struct date d);           /* 0 = Monday ... 6 = Sunday */
/* Today's date in UTC. */
struct date date_today(void);

/* Appends "YYYY-MM-DD". */
void date_iso(sbuf *b, struct date d);
/* Appends "14 June 2022". */
void date_human(sbuf *b, struct date d);
/* Appends "Tuesday 14 June 2022". */
void date_human_weekday(sbuf *b, struct date d);

/* "HH:MM" (24-hour, also "H:MM") -> minutes after midnight. Returns 0 or -1. */
int time_parse(sv s, int *minutes);
/* Appends "HH:MM". */
void time_hhmm(sbuf *b, int minutes);
/* Appends "6:30pm", "10am", "midday", "midnight" (GOV.UK style). */
void time_human(sbuf *b, int minutes);

/* Unix time T (seconds, UTC) as the clock in Salford shows it: seconds since 1970 in
 * Europe/London, one hour ahead of UTC from 1am UTC on the last Sunday of March to 1am
 * UTC on the last Sunday of October (British Summer Time). */
int64_t date_uk_clock(int64_t t);

#endif
