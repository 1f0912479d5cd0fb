/* web_admin.h: managing people, organisations, reset links and the audit log
 * (programme leads), and registering people without email (facilitators). */
#ifndef WEB_WEB_ADMIN_H
#define WEB_WEB_ADMIN_H
#include "web/web.h"

#endif
