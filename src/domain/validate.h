/* validate.h: the result codes domain functions share, and field-level validation errors
 * that a form shows beside each field and in its error summary.
 *
 * A domain function that validates input takes a `struct field_errors *` (may be NULL),
 * fills it with one entry per field that is wrong, and returns DOMAIN_EINVALID. The web
 * layer then re-renders the form with the user's input kept, each message beside its
 * field (matched by FIELD, which is the form's input name) and all of them in the error
 * summary, in the order they were added (which is the order of the fields on the form).
 *
 * Messages are plain English in the GOV.UK style ("Enter an email address in the correct
 * format, like name@example.org"). They are string literals or arena memory that lives as
 * long as the request: the struct never owns them.
 */
#ifndef DOMAIN_VALIDATE_H
#define DOMAIN_VALIDATE_H
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Result codes. Domain functions return DOMAIN_OK, one of these, or a negative DB_E*
 * code from db.h (a storage failure, already logged; the request fails with 500). */
enum {
	DOMAIN_OK = 0,
	DOMAIN_EINVALID = -100,   /* input failed validation: see the field_errors */
	DOMAIN_ENOTFOUND = -101,  /* no such record (or it has expired) */
	DOMAIN_EFORBIDDEN = -102, /* the acting account may not do this */
	DOMAIN_ECONFLICT = -103,  /* the data is not in a state that allows this */
};

/* Runs CALL (a *_tx function returning DOMAIN_OK or an error) inside a write transaction
 * of its own and returns from the enclosing function: commit on DOMAIN_OK, else roll
 * back and return the error. For the public wrapper of each *_tx domain function; the
 * caller's file includes db/db.h. */
#define IN_TRANSACTION(d, call)                                                                    \
	do {                                                                                       \
		int rc_ = db_begin(d);                                                             \
		if (rc_ != DB_OK)                                                                  \
			return rc_;                                                                \
		rc_ = (call);                                                                      \
		if (rc_ == DOMAIN_OK)                                                              \
			rc_ = db_commit(d);                                                        \
		if (rc_ != DOMAIN_OK)                                                              \
			db_rollback(d);                                                            \
		return rc_;                                                                        \
	} while (0)

/* A form has few fields; past this many errors, later ones are dropped (the first ones
 * are what the user fixes first). */
#define FIELD_ERRORS_MAX 8

struct field_error {
	const char *field;   /* the form input's name, e.g. "email" */
	const char *message; /* what to tell the user */
};

struct field_errors {
	struct field_error items[FIELD_ERRORS_MAX];
	size_t n;
};

static inline void field_errors_init(struct field_errors *e)
{
	if (e)
		e->n = 0;
}

/* Adds one error. E may be NULL (the caller only wants the result code). A second error
 * for a field that already has one is dropped: the first is the one to fix. */
static inline void field_error_add(struct field_errors *e, const char *field,
				   const char *message)
{
	if (!e || e->n >= FIELD_ERRORS_MAX)
		return;
	for (size_t i = 0; i < e->n; i++)
		if (strcmp(e->items[i].field, field) == 0)
			return;
	e->items[e->n].field = field;
	e->items[e->n].message = message;
	e->n++;
}

/* The message for FIELD, or NULL if it has none. */
static inline const char *field_error_get(const struct field_errors *e, const char *field)
{
	if (!e)
		return NULL;
	for (size_t i = 0; i < e->n; i++)
		if (strcmp(e->items[i].field, field) == 0)
			return e->items[i].message;
	return NULL;
}

static inline bool field_errors_any(const struct field_errors *e)
{
	return e && e->n > 0;
}

#endif
