/* demo_decisions.h: the demo's shared decisions in the "Young adults group".
 *
 * After the groups and ideas of the demo are loaded, demo_load_decisions tells the
 * group's 2022 story: a consent decision on where to meet that a local person objected
 * to, and the amended one that carried; decisions to develop ideas into concepts with
 * decision-makers (consensus); decisions to put proposals forward to the Health and
 * Wellbeing Board (votes, with local people deciding); and one decision still open today
 * with some positions to come. It finds the group by name and its ideas by status, so it
 * works with whatever ideas the demo has; if the group is absent it does nothing.
 */
#ifndef DOMAIN_DEMO_DECISIONS_H
#define DOMAIN_DEMO_DECISIONS_H
#include "core/arena.h"
#include "db/db.h"

#define DEMO_DECISIONS_GROUP "Young adults group"

/* Runs inside the demo's transaction. Returns DOMAIN_OK or an error code. */
int demo_load_decisions(db *d, arena *a);

#endif
