/* demo_equality.h: the demo's equality monitoring for "Young adults co-production".
 *
 * demo_load_equality runs inside the demo's single transaction, after recruitment (it
 * needs the volunteers and wards) and before panels. It adds, for the programme with
 * slug young-adults (if it exists):
 *
 *   Settings: lawful basis explicit consent, and two lived-experience questions,
 *   "lived:poverty" ("Have you experienced poverty?") and "lived:care-leaver" ("Have you
 *   been in care (a care leaver)?").
 *
 *   Answers for most of its volunteers (every one not merged, in id order, except every
 *   ninth, who has not answered), invented and spread so that some figures are at or
 *   above the disclosure threshold (e.g. age 16 to 24, White British) and some below it
 *   (e.g. Pakistani, Roma). Every fourth person agrees to a programme lead seeing their
 *   answers. Deprivation deciles of volunteers who gave a postcode are derived from the
 *   demo postcode table.
 *
 *   Population figures for every category, marked illustrative (shown on screen as
 *   "Illustrative figures"), and a small illustrative postcode-to-decile table. Ward
 *   figures are not added: they come from the wards table (real Census 2021 figures).
 *
 * Returns DOMAIN_OK or an error code (the caller rolls the whole demo back).
 */
#ifndef DOMAIN_DEMO_EQUALITY_H
#define DOMAIN_DEMO_EQUALITY_H
#include "core/arena.h"
#include "db/db.h"

int demo_load_equality(db *d, arena *a);

#endif
