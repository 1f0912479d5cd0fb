/* demo_evidence.h: the demo's outcome indicators, self-assessments and learning log.
 *
 * demo_load_evidence runs inside the demo's single transaction, after the journey's
 * modules (it finds the programme "young-adults" and its "Young adults group"; without
 * them it loads the indicators only). It adds:
 *   - the six Locality Plan indicators of facts.md section 6 with their OHID Fingertips
 *     ids as codes (93701, 93759, 93861, 93867, 41001, 90280), linked to the priority
 *     areas, with values for Salford (E08000006) and England (E92000001) over four or
 *     five periods, every one marked illustrative (invented, not the published figures);
 *   - ladder ratings by the group's current members of its past sessions and decisions,
 *     and of the programme's stages by three members only (too few to show);
 *   - principles rounds "2022 H1" (every current member answered: five or more on each
 *     side) and "2022 H2" (the local people and three professionals: too few to show),
 *     and a round for the current half year ("2026 H2"), open and not yet answered;
 *   - learning log entries along the young adults' journey.
 * Returns DOMAIN_OK or an error code (the demo then rolls back).
 */
#ifndef DOMAIN_DEMO_EVIDENCE_H
#define DOMAIN_DEMO_EVIDENCE_H
#include "core/arena.h"
#include "db/db.h"

int demo_load_evidence(db *d, arena *a);

#endif
