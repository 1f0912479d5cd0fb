/* payments_export.c: a payment batch as finance receives it, as CSV; see payments.h. The
 * XLSX form of the same rows is in xlsx_export.c. */
#include <string.h>

#include "core/csv.h"
#include "core/money.h"
#include "domain/budget.h"
#include "domain/payments_impl.h"

const char *const pay_export_headings[PAY_EXPORT_COLUMNS] = {
    "Batch",     "Person reference", "Session date", "Payment (£)",       "Expenses (£)",
    "Total (£)", "Method",           "Charity",      "Payment cost code", "Expenses cost code"};

static int cost_code(db *d, arena *a, int64_t programme_id, const char *kind, char **out)
{
	int64_t line;
	int rc = budget_line_find(d, programme_id, kind, &line, out, a);
	if (rc == DOMAIN_ENOTFOUND) {
		*out = arena_strdup(a, "");
		return DOMAIN_OK;
	}
	if (rc == DOMAIN_OK && !*out)
		*out = arena_strdup(a, "");
	return rc;
}

int pay_export_load(db *d, arena *a, int64_t batch_id, struct pay_export *out)
{
	int rc = pay_batch_get(d, a, batch_id, &out->batch);
	if (rc != DOMAIN_OK)
		return rc;
	if ((rc = pay_batch_claims(d, a, batch_id, &out->claims, &out->n)) != DOMAIN_OK)
		return rc;
	if ((rc = cost_code(d, a, out->batch.programme_id, "participant-payments",
	                    &out->payment_code)) != DOMAIN_OK)
		return rc;
	return cost_code(d, a, out->batch.programme_id, "expenses", &out->expenses_code);
}

/* Amounts are written as plain numbers, never through csv_field, so a reversal's minus
 * sign is not mistaken for a formula and quoted away. */
static void amount(sbuf *b, int64_t pence)
{
	csv_sep(b);
	money_format_plain(b, pence);
}

int pay_batch_csv(db *d, arena *a, int64_t batch_id, sbuf *out)
{
	struct pay_export ex;
	int64_t pay = 0, exp = 0;
	int rc = pay_export_load(d, a, batch_id, &ex);

	if (rc != DOMAIN_OK)
		return rc;
	for (size_t i = 0; i < PAY_EXPORT_COLUMNS; i++) {
		if (i)
			csv_sep(out);
		csv_field_cstr(out, pay_export_headings[i]);
	}
	csv_end_record(out);
	for (size_t i = 0; i < ex.n; i++) {
		const struct pay_claim *c = &ex.claims[i];
		csv_number(out, ex.batch.id);
		csv_sep(out);
		csv_field_cstr(out, c->person_ref);
		csv_sep(out);
		csv_field_cstr(out, c->session_date);
		amount(out, c->payment_pence);
		amount(out, c->expenses_pence);
		amount(out, c->payment_pence + c->expenses_pence);
		csv_sep(out);
		csv_field_cstr(out, pay_method_label(c->method));
		csv_sep(out);
		csv_field_cstr(out, c->charity_name);
		csv_sep(out);
		csv_field_cstr(out, ex.payment_code);
		csv_sep(out);
		csv_field_cstr(out, ex.expenses_code);
		csv_end_record(out);
		pay += c->payment_pence;
		exp += c->expenses_pence;
	}
	csv_number(out, ex.batch.id);
	csv_sep(out);
	csv_field_cstr(out, "Total");
	csv_sep(out);
	amount(out, pay);
	amount(out, exp);
	amount(out, pay + exp);
	for (int i = 0; i < 4; i++)
		csv_sep(out);
	csv_end_record(out);
	return out->err ? DB_ERR : DOMAIN_OK;
}
