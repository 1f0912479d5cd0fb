/* log.h: errors and diagnostics to stderr, one access line per request to stdout.
 * Thread-safe: each call writes one whole line. */
#ifndef CORE_LOG_H
#define CORE_LOG_H
#include <stdint.h>

enum log_level { LOG_ERROR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

void log_set_level(enum log_level level);
/* Parses "error", "warn", "info" or "debug". Returns 0, or -1 for anything else. */
int log_level_parse(const char *s, enum log_level *out);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/* One access-log line: method, path (never the query string), status, bytes, µs. */
void log_access(const char *method, const char *path, size_t path_len, int status,
		uint64_t bytes, int64_t micros);

/* Microseconds from a monotonic clock. */
int64_t now_us(void);

#endif
