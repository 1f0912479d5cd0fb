/* date.c: calendar arithmetic on the proleptic Gregorian calendar; see date.h. Written
 * here because the C library's mktime/strftime depend on the process's time zone and
 * locale, and a few lines of Howard Hinnant's civil-date algorithms do not. */
#include "core/date.h"

#include <time.h>

static const char *const months[] = {"January", "February", "March",     "April",
				     "May",     "June",     "July",      "August",
				     "September", "October", "November", "December"};
static const char *const weekdays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
				       "Friday", "Saturday", "Sunday"};

static int days_in_month(int y, int m)
{
	static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dim[m - 1];
}

bool date_valid(struct date d)
{
	return d.y >= 1900 && d.y <= 2200 && d.m >= 1 && d.m <= 12 && d.d >= 1 &&
	       d.d <= days_in_month(d.y, d.m);
}

static int digits(const char *p, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

int date_parse(sv s, struct date *out)
{
	struct date d;
	if (s.len != 10 || s.ptr[4] != '-' || s.ptr[7] != '-')
		return -1;
	d.y = digits(s.ptr, 4);
	d.m = digits(s.ptr + 5, 2);
	d.d = digits(s.ptr + 8, 2);
	if (d.y < 0 || d.m < 0 || d.d < 0 || !date_valid(d))
		return -1;
	*out = d;
	return 0;
}

static int field(sv s, size_t maxlen)
{
	s = sv_trim(s);
	if (s.len == 0 || s.len > maxlen)
		return -1;
	return digits(s.ptr, s.len);
}

int date_from_fields(sv day, sv month, sv year, struct date *out)
{
	struct date d = {field(year, 4), field(month, 2), field(day, 2)};
	if (d.y < 0 || d.m < 0 || d.d < 0 || sv_trim(year).len != 4 || !date_valid(d))
		return -1;
	*out = d;
	return 0;
}

int64_t date_to_days(struct date d)
{
	int64_t y = d.y - (d.m <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (d.m + (d.m > 2 ? -3 : 9)) + 2) / 5 + d.d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

struct date date_from_days(int64_t z)
{
	struct date d;
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	d.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	d.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	d.y = (int)(yoe + era * 400 + (d.m <= 2));
	return d;
}

struct date date_add_days(struct date d, int64_t n)
{
	return date_from_days(date_to_days(d) + n);
}

int date_cmp(struct date a, struct date b)
{
	int64_t x = date_to_days(a), y = date_to_days(b);
	return x < y ? -1 : x > y;
}

int date_weekday(struct date d)
{
	int64_t w = (date_to_days(d) + 3) % 7; /* 1970-01-01 was a Thursday */
	return (int)(w < 0 ? w + 7 : w);
}

struct date date_today(void)
{
	return date_from_days((int64_t)time(NULL) / 86400);
}

void date_iso(sbuf *b, struct date d)
{
	sbuf_addf(b, "%04d-%02d-%02d", d.y, d.m, d.d);
}

void date_human(sbuf *b, struct date d)
{
	if (!date_valid(d))
		return;
	sbuf_addf(b, "%d %s %d", d.d, months[d.m - 1], d.y);
}

void date_human_weekday(sbuf *b, struct date d)
{
	if (!date_valid(d))
		return;
	sbuf_adds(b, weekdays[date_weekday(d)]);
	sbuf_addc(b, ' ');
	date_human(b, d);
}

int time_parse(sv s, int *minutes)
{
	sv h, m;
	int hh, mm;
	s = sv_trim(s);
	h = sv_cut(s, ':', &m);
	if (!m.ptr || h.len < 1 || h.len > 2 || m.len != 2)
		return -1;
	hh = digits(h.ptr, h.len);
	mm = digits(m.ptr, m.len);
	if (hh < 0 || hh > 23 || mm < 0 || mm > 59)
		return -1;
	*minutes = hh * 60 + mm;
	return 0;
}

void time_hhmm(sbuf *b, int minutes)
{
	sbuf_addf(b, "%02d:%02d", minutes / 60 % 24, minutes % 60);
}

void time_human(sbuf *b, int minutes)
{
	int h = minutes / 60 % 24, m = minutes % 60;
	if (minutes == 12 * 60) {
		sbuf_adds(b, "midday");
		return;
	}
	if (minutes == 0) {
		sbuf_adds(b, "midnight");
		return;
	}
	sbuf_add_i64(b, h % 12 == 0 ? 12 : h % 12);
	if (m)
		sbuf_addf(b, ":%02d", m);
	sbuf_adds(b, h < 12 ? "am" : "pm");
}

int64_t date_uk_clock(int64_t t)
{
	int64_t day = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	int y = date_from_days(day).y;
	struct date march = {y, 3, 31}, october = {y, 10, 31};
	int64_t start = date_to_days(march) - (date_weekday(march) + 1) % 7;
	int64_t end = date_to_days(october) - (date_weekday(october) + 1) % 7;
	if (t >= start * 86400 + 3600 && t < end * 86400 + 3600)
		return t + 3600;
	return t;
}
