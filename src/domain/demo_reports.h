/* demo_reports.h: the demo's case studies of co-production.
 *
 * demo_load_reports runs inside the demo's single transaction, after the programmes,
 * groups, ideas, decisions, the Board and the other evidence have been loaded. It finds
 * the programme "young-adults" (doing nothing if there is none), the facilitator
 * facilitator@example.org and the lead programme.lead@example.org, and adds:
 *   - the published case study "Young adults shaping support: from ideas to the Board",
 *     published on 13 December 2022, its story told from the group's records, with two
 *     quotes from invented demo speakers ("Demo Kai, young adult in the group" and
 *     "Demo officer, Demo City Council"), each with consent recorded;
 *   - the draft case study "Warm spaces youth network: the first months of co-delivery",
 *     with one quote still waiting for its speaker's consent (so it cannot be published
 *     yet).
 * Returns DOMAIN_OK or an error code (the demo then rolls back).
 */
#ifndef DOMAIN_DEMO_REPORTS_H
#define DOMAIN_DEMO_REPORTS_H
#include "core/arena.h"
#include "db/db.h"

int demo_load_reports(db *d, arena *a);

#endif
