/* payments_impl.h: helpers shared by the files of the payments module (payments.c,
 * claims.c, payments_export.c, xlsx_export.c); not for other modules. */
#ifndef DOMAIN_PAYMENTS_IMPL_H
#define DOMAIN_PAYMENTS_IMPL_H
#include "domain/payments.h"

/* Steps a statement that returns no rows and finishes it: DOMAIN_OK or a DB_E* code. */
int pay_step_done(db_stmt *st);
/* Audits a change with an AFTER object of up to one text and one number (K1 or K2 NULL
 * to leave it out). */
int pay_audit(db *d, arena *a, const struct audit_actor *who, const char *entity, int64_t id,
              const char *action, const char *k1, sv v1, const char *k2, int64_t v2);
/* Trimmed text of at most MAX bytes; EMPTY (NULL: optional) and TOO_LONG are the messages
 * for FIELD. Sets *RC to DOMAIN_EINVALID on a mistake. */
sv pay_text(sv s, size_t max, const char *field, const char *empty, const char *too_long,
            struct field_errors *fe, int *rc);
/* An optional amount in pounds (empty is 0); WHAT is the message for anything else. */
int64_t pay_amount(sv s, const char *field, const char *what, struct field_errors *fe, int *rc);

/* A batch as finance receives it (payments_export.c): its claims in reference order and
 * the programme's cost codes ("" when it has no budget line of that kind). */
struct pay_export {
	struct pay_batch batch;
	struct pay_claim *claims;
	size_t n;
	char *payment_code, *expenses_code;
};
int pay_export_load(db *d, arena *a, int64_t batch_id, struct pay_export *out);
/* The export's column headings, PAY_EXPORT_COLUMNS of them. */
#define PAY_EXPORT_COLUMNS 10
extern const char *const pay_export_headings[PAY_EXPORT_COLUMNS];

#endif
