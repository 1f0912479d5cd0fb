/* demo_ideas.h: the demo young adults group's ideas, clearly invented: raised by local
 * people from December 2021, developed with decision-makers from June 2022 into concepts
 * and three proposals for the Health and Wellbeing Board of 15 November 2022.
 *
 * Runs inside the demo's single transaction, after the programmes and the groups: it
 * finds the programme "young-adults" and its group "Young adults group" (and does nothing
 * if either is missing), and takes the group's current members as authors, commenters and
 * amenders (falling back to the demo accounts by email). It leaves ideas at most at
 * status 'proposal': the Board's demo moves them on. The proposals, oldest first, are
 * "Warm spaces youth network", "Climate-action apprenticeships with local anchors" and
 * "Peer-support text line run by young people".
 */
#ifndef DOMAIN_DEMO_IDEAS_H
#define DOMAIN_DEMO_IDEAS_H
#include "core/arena.h"
#include "db/db.h"

/* Returns DOMAIN_OK (also when there is no group to add ideas to) or a DB_E* code. */
int demo_load_ideas(db *d, arena *a);

#endif
