/* access.h: who may see or change a programme or a group, beyond what a route's role
 * mask says. The route table admits roles; these functions decide for one record.
 *
 *   programme lead            manages every programme and group
 *   facilitator               manages the groups they facilitate (a current member with
 *                             role_in_group 'facilitator') and views their programmes
 *   decision-maker, local person, Board member
 *                             view the groups they are current members of
 *   anyone (even signed out)  views a published programme's public page only
 *
 * A record someone may not see is reported as not found (404), so its existence does
 * not leak.
 */
#ifndef DOMAIN_ACCESS_H
#define DOMAIN_ACCESS_H
#include <stdint.h>

#include "db/db.h"
#include "domain/accounts.h"

enum access { ACCESS_NONE = 0, ACCESS_VIEW = 1, ACCESS_MANAGE = 2 };

/* ACCOUNT_ID 0 means not signed in. Return an enum access, or a negative DB_E* code. */
int access_group(db *d, int64_t account_id, enum role role, int64_t group_id);
int access_programme(db *d, int64_t account_id, enum role role, int64_t programme_id);

/* "local" for local people, "professional" for everyone else: the side of the table a
 * contribution came from, stored with it when it is made. */
const char *side_of_role(enum role role);

#endif
