/* demo_panels.h: the demo's fair selection of a panel.
 *
 * demo_load_panels runs inside the demo's single transaction, after recruitment and
 * equality (it needs the volunteers and their demo answers). For the programme with slug
 * young-adults, if it has enough volunteers still waiting to take part, it creates the
 * panel DEMO_PANEL_NAME with DEMO_PANEL_PLACES places from everyone at stage
 * volunteered, contacted or waiting (except the likely duplicate record "Demo Vol 07"),
 * quotas proposed for age band and ethnic group, widened (each minimum one lower, each
 * maximum two higher, a few times at most) until everyone in the pool has some chance,
 * works out everyone's chance, publishes the lottery and draws it with the public number
 * DEMO_PANEL_NUMBER, so its public page shows a real result. The panel's own dates are
 * those of 2021 (published 16 November, drawn 23 November). The people drawn move to
 * stage selected and the rest of the pool to waiting. Actions are the programme lead's
 * (programme.lead@example.org). Does nothing if the programme, the lead or enough
 * volunteers are missing. Returns DOMAIN_OK or an error code (the demo then rolls back).
 */
#ifndef DOMAIN_DEMO_PANELS_H
#define DOMAIN_DEMO_PANELS_H
#include "core/arena.h"
#include "db/db.h"

#define DEMO_PANEL_NAME "Young adults panel 2021"
#define DEMO_PANEL_PLACES 12
#define DEMO_PANEL_NUMBER "3 1 4 1 5 2 6 5"

int demo_load_panels(db *d, arena *a);

#endif
