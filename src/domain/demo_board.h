/* demo_board.h: the demo's Health and Wellbeing Board meeting, its decisions, the
 * co-delivery plan that followed, and the organisations' co-production returns.
 *
 * demo_load_board runs inside the demo's single transaction, after the programmes,
 * groups, ideas and decisions have been loaded. It finds the programme "young-adults"
 * and its ideas at status 'proposal' (doing nothing if there are none) and adds:
 *   - the Board meeting "Health and Wellbeing Board" on Tuesday 15 November 2022 at the
 *     "Demo Civic Centre", with up to three of those proposals: the first supported
 *     with £18,000 from the "Demo Adult Commissioning Committee budget", the second
 *     deferred with conditions, the third not supported (invented figures);
 *   - a co-delivery plan for the supported one, with actions owned by demo
 *     organisations and the demo facilitator (some done, one in progress, one overdue)
 *     and milestones (two reached, one to come);
 *   - the Board member "Demo Board Member Olu" (board.member.nhs@example.org, no
 *     password) for "Demo NHS Trust", and returns for 2022-H2: "Demo City Council" filed
 *     by board.member@example.org, "Demo NHS Trust" not filed.
 * Returns DOMAIN_OK or an error code (the demo then rolls back).
 */
#ifndef DOMAIN_DEMO_BOARD_H
#define DOMAIN_DEMO_BOARD_H
#include "core/arena.h"
#include "db/db.h"

int demo_load_board(db *d, arena *a);

#endif
