/* demo_payments.h: the demo's participant payments.
 *
 * demo_load_payments runs inside the demo's single transaction, after the programmes,
 * groups and sessions (with their attendance), and after the budget. It finds the
 * programme "young-adults" (doing nothing if it is missing), its lead
 * programme.lead@example.org and facilitator facilitator@example.org, and adds:
 *   - a payment policy: version 1 from 1 December 2021 at £15 an hour, with up to an
 *     hour's preparation at £15, extra roles "Co-chair" (£20) and "Speaking at the
 *     Health and Wellbeing Board" (£50), and expenses at cost; version 2 from 6 April
 *     2022 at £16 an hour;
 *   - a choice for each local person in the "Young adults group": "Demo Young Adult
 *     Leah" declines, "Demo Young Adult Marcus" has it paid to "Demo Salford Food Bank",
 *     others bank transfer, voucher or cash;
 *   - claims from attendance, submitted by the facilitator and approved by the lead:
 *     sessions to March 2022 in batch 1 (paid 31 March 2022), April to June 2022 in
 *     batch 2 (paid 15 July 2022), July to September 2022 approved in an open batch 3;
 *     October 2022 submitted and waiting, one of them returned with a reason; sessions
 *     from November 2022 left for the facilitator to claim; Kai's first paid claim
 *     reversed ("paid twice").
 * Returns DOMAIN_OK or an error code (the demo then rolls back).
 */
#ifndef DOMAIN_DEMO_PAYMENTS_H
#define DOMAIN_DEMO_PAYMENTS_H
#include "core/arena.h"
#include "db/db.h"

int demo_load_payments(db *d, arena *a);

#endif
