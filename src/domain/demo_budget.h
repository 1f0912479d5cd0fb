/* demo_budget.h: the demo's engagement budget (seed 001 §14: £60,000, £30,000 each from
 * the Adult and the Children's Commissioning Committees).
 *
 * demo_load_budget runs inside the demo's single transaction, after the programmes,
 * groups and sessions (and the later journey modules) have been loaded. It finds the
 * programme "young-adults", the "Young adults group" and its sessions, the accounts
 * programme.lead@example.org and facilitator@example.org (doing nothing if the
 * programme is missing), and adds:
 *   - the funding sources DEMO_SOURCE_ADULT and DEMO_SOURCE_CHILDREN, £30,000 each,
 *     financial year 2020-21;
 *   - budget lines for young-adults splitting the £60,000 between participant payments,
 *     expenses, venues, refreshments, facilitation, interpreters and BSL, childcare and
 *     carer cover, accessibility support and materials, with invented cost codes
 *     ("DEMO-A-PAY", "DEMO-C-PAY", ...);
 *   - the venue booked at the "Demo Community Hub" for the group's fortnightly sessions
 *     as two commitments, settled session by session, with refreshments, childcare,
 *     BSL interpreters at the joint sessions, monthly facilitation from "Demo
 *     Facilitation CIC" and the printing of the Board proposals, each linked to its
 *     session where there is one;
 *   - one facilitation payment in November 2022 that went over its line, approved by the
 *     programme lead with a reason.
 * Participant payments and expenses are left for the payments module to book.
 * Returns DOMAIN_OK or an error code (the demo then rolls back).
 */
#ifndef DOMAIN_DEMO_BUDGET_H
#define DOMAIN_DEMO_BUDGET_H
#include "core/arena.h"
#include "db/db.h"

#define DEMO_SOURCE_ADULT "Demo Adult Commissioning Committee fund"
#define DEMO_SOURCE_CHILDREN "Demo Children's Commissioning Committee fund"

int demo_load_budget(db *d, arena *a);

#endif
