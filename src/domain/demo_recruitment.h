/* demo_recruitment.h: the demo's wards, community assets and volunteers.
 *
 * demo_load_recruitment runs inside the demo's single transaction, after the
 * programmes, groups, ideas, decisions, Board and returns. It adds:
 *
 *   Wards: Salford's 20 electoral wards (December 2022 boundaries, ONS codes
 *   E05013018 to E05013037) with their usual residents at the 2011 and 2021 Censuses.
 *   These are real ONS figures (see demo_recruitment.c), not invented.
 *
 *   Community assets, all invented and named "Demo ...": participation groups "Demo
 *   Parent Carer Forum" and "Demo Parents for Positive Change", groups, venues and
 *   services (one of them, "Demo Food Bank Network", for staff only), tagged with who
 *   they reach (e.g. "young-adults", "carers", "deaf", "south-asian", "lgbt").
 *
 *   Volunteers for "Young adults co-production" (slug young-adults), if it exists: the
 *   ten young adults of the "Young adults group" under their account names ("Demo Young
 *   Adult Kai" ... "Zainab", linked to their accounts; nine "Taking part", Owen "Left"
 *   with a reason), and thirty more people named "Demo Volunteer 01" ... "Demo Volunteer 30" at
 *   every stage, some met in person by facilitator@example.org, with access needs,
 *   preferred times and induction checklists (complete for those inducted or taking
 *   part, partial for some selected or waiting). "Demo Volunteer 07" volunteered twice:
 *   a second record "Demo Vol 07" has the same email in capitals and is flagged as a
 *   likely duplicate, waiting to be merged. Each volunteer has a random monitoring_ref;
 *   the equality module finds them by name (volunteers.name) to add demo answers.
 *
 * Returns DOMAIN_OK or an error code (the caller rolls the whole demo back).
 */
#ifndef DOMAIN_DEMO_RECRUITMENT_H
#define DOMAIN_DEMO_RECRUITMENT_H
#include "core/arena.h"
#include "db/db.h"

#define DEMO_ASSET_PARENT_CARER_FORUM "Demo Parent Carer Forum"
#define DEMO_ASSET_PARENTS_POSITIVE   "Demo Parents for Positive Change"

int demo_load_recruitment(db *d, arena *a);

#endif
