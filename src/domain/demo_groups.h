/* demo_groups.h: the demo's groups, venues and sessions, telling the young adults'
 * story from seeds 000 and 001.
 *
 * demo_load_groups runs inside the demo's single transaction, after the programmes
 * (demo_programmes.h). If the programme "young-adults" is absent it does nothing. It
 * adds, all invented and marked is_demo:
 *
 *   People: ten young adults ("Demo Young Adult Kai" ... "Zainab"; four of them without
 *   email, registered in person by facilitator@example.org), three parents ("Demo
 *   Parent Beth", "Carl", "Dina"; Dina without email), and four decision-makers from
 *   "Demo City Council" and "Demo NHS Trust" (dm.helen@, dm.imran@, dm.julie@,
 *   dm.kwame@example.org), none of whom can sign in (no passwords).
 *
 *   Venues: "Demo Community Hub" (step-free, accessible toilet, hearing loop, quiet
 *   room, near buses; £25.00 a booking) and "Demo Library Meeting Room" (upstairs, no
 *   step-free access; free).
 *
 *   "Young adults group" (programme young-adults; target 12 local people and 6
 *   professionals): local people only from Tuesday 7 December 2021 with
 *   facilitator@example.org, local.person@example.org, the assisted demo person and the
 *   young adults; sessions every fortnight on Tuesdays 18:00 to 20:00 at the Hub until
 *   22 November 2022 (the one on 21 December 2021 cancelled for the Christmas break);
 *   opened to decision-makers on Tuesday 14 June 2022 with a first joint session that
 *   day, when decision.maker@example.org and the four decision-makers joined; one young
 *   adult left in September 2022. Past sessions are held, with attendance, agendas and
 *   short notes. The session on the last Tuesday before the demo is loaded waits for
 *   its attendance, and four more fortnightly sessions start on the first Tuesday after
 *   it, so home pages and calendars have something to show.
 *
 *   "Parents group" (same programme, target 8 and 4, local people only): the
 *   facilitator and the three parents, meeting weekly on Thursdays 10:00 to 11:30 at the
 *   library from the first Thursday after loading.
 *
 * Returns DOMAIN_OK or an error code (the caller rolls the whole demo back).
 */
#ifndef DOMAIN_DEMO_GROUPS_H
#define DOMAIN_DEMO_GROUPS_H
#include "core/arena.h"
#include "db/db.h"

#define DEMO_GROUP_YOUNG_ADULTS "Young adults group"
#define DEMO_GROUP_PARENTS      "Parents group"
#define DEMO_VENUE_HUB          "Demo Community Hub"

int demo_load_groups(db *d, arena *a);

#endif
