/* log.c: line-oriented logging; see log.h. */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static enum log_level current = LOG_INFO;
static const char *names[] = {"error", "warn", "info", "debug"};

void log_set_level(enum log_level level)
{
	current = level;
}

int log_level_parse(const char *s, enum log_level *out)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	return -1;
}

static void stamp(char *buf, size_t n)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char line[2048], ts[32];
	va_list ap;
	int n;
	if (level > current)
		return;
	stamp(ts, sizeof(ts));
	n = snprintf(line, sizeof(line), "%s %s ", ts, names[level]);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	n = (int)strlen(line);
	line[n++] = '\n';
	fwrite(line, 1, (size_t)n, stderr);
}

void log_access(const char *method, const char *path, size_t path_len, int status,
		uint64_t bytes, int64_t micros)
{
	char line[1024], ts[32];
	int n;
	if (current < LOG_INFO)
		return;
	stamp(ts, sizeof(ts));
	if (path_len > 512)
		path_len = 512;
	n = snprintf(line, sizeof(line), "%s access %s %.*s %d %llu %lldus\n", ts, method,
		     (int)path_len, path, status, (unsigned long long)bytes, (long long)micros);
	if (n > 0)
		fwrite(line, 1, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1, stdout);
	fflush(stdout);
}

int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
