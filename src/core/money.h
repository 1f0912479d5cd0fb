/* money.h: money as integer pence, typed and shown as people in the UK write it.
 *
 * There is no floating point anywhere in money: amounts are int64_t pence. Parsing takes
 * what people type ("12.50", "£1,250", "18,000", "7.5"); display follows GOV.UK style:
 * "£1,250.50", and "£18,000" when there are no pence.
 */
#ifndef CORE_MONEY_H
#define CORE_MONEY_H
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"

/* Parses an amount: an optional "£", whole pounds with or without thousands commas (in
 * groups of three), and optionally one or two decimal places. Returns 0 with *PENCE set,
 * or -1 for anything else: empty, negative, misplaced commas, more decimals, letters, or
 * more than MAX_PENCE. */
int money_parse(sv s, int64_t max_pence, int64_t *pence);
/* Appends "£1,250.50", or "£18,000" for whole pounds ("-£5" below zero). */
void money_format(sbuf *b, int64_t pence);
/* Appends "1250.50": a stored amount put back into a form field. */
void money_format_plain(sbuf *b, int64_t pence);
/* money_format into arena memory ("" if out of memory). */
char *money_text(arena *a, int64_t pence);

#endif
