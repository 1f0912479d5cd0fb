/* demo_programmes.h: the demo's programmes, so people can see several at once at
 * different points on the journey.
 *
 * demo_load_programmes adds, inside the demo's single transaction (after the priority
 * areas and the demo accounts exist):
 *
 *   "Young adults co-production" (slug young-adults): all four priority areas, led by
 *   programme.lead@example.org, published; stages 1-5 done (reframing in autumn 2021,
 *   recruitment to November 2021, the group developing ideas from Tuesday 7 December
 *   2021, decision-makers joining from June 2022, proposals to the Health and Wellbeing
 *   Board on Tuesday 15 November 2022) and co-delivery in progress since January 2023,
 *   each with a line on what success looks like, and an equality impact assessment.
 *
 *   "Older people's loneliness programme" (slug older-people): loneliness and social
 *   isolation only, same lead, published, reframed and now recruiting.
 *
 * Later demo loaders find them by slug. Returns DOMAIN_OK or an error code (the caller
 * rolls the whole demo back).
 */
#ifndef DOMAIN_DEMO_PROGRAMMES_H
#define DOMAIN_DEMO_PROGRAMMES_H
#include "core/arena.h"
#include "db/db.h"

#define DEMO_PROGRAMME_YOUNG_ADULTS "young-adults"
#define DEMO_PROGRAMME_OLDER_PEOPLE "older-people"

int demo_load_programmes(db *d, arena *a);

#endif
