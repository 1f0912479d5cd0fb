/* web_groups.h: the pages of groups, their members and balance, venues, and group
 * sessions with attendance, notes and calendars.
 *
 * Every group page checks access_group (access.h) for the one group: a group someone
 * may not see is not found (404); one they may see but not manage answers 403 to a
 * change. Sessions take their group's access. The handlers are listed with the route
 * each one answers; routes.c says which roles may call them.
 */
#ifndef WEB_WEB_GROUPS_H
#define WEB_WEB_GROUPS_H
#include <stdint.h>

#include "domain/groups.h"
#include "domain/sessions_meet.h"
#include "web/web.h"

/* Groups and members (web_groups.c). */
void web_groups(req *r, struct web *w);                  /* GET  /groups */
void web_group_new(req *r, struct web *w);               /* GET  /groups/new */
void web_group_create(req *r, struct web *w);            /* POST /groups/new */
void web_group(req *r, struct web *w);                   /* GET  /groups/:id */
void web_group_edit(req *r, struct web *w);              /* GET  /groups/:id/edit */
void web_group_update(req *r, struct web *w);            /* POST /groups/:id/edit */
void web_group_open_form(req *r, struct web *w);         /* GET  /groups/:id/open */
void web_group_open(req *r, struct web *w);              /* POST /groups/:id/open */
void web_group_member_new(req *r, struct web *w);        /* GET  /groups/:id/members/new */
void web_group_member_add(req *r, struct web *w);        /* POST /groups/:id/members/new */
void web_group_member_leave_form(req *r, struct web *w); /* GET  /groups/:id/members/:mid/leave */
void web_group_member_leave(req *r, struct web *w);      /* POST /groups/:id/members/:mid/leave */

/* Venues (web_groups.c). */
void web_venues(req *r, struct web *w);       /* GET  /venues */
void web_venue_new(req *r, struct web *w);    /* GET  /venues/new */
void web_venue_create(req *r, struct web *w); /* POST /venues/new */
void web_venue_edit(req *r, struct web *w);   /* GET  /venues/:id */
void web_venue_update(req *r, struct web *w); /* POST /venues/:id */

/* Sessions (web_meetings.c). */
void web_meeting_new(req *r, struct web *w);             /* GET  /groups/:id/sessions/new */
void web_meeting_create(req *r, struct web *w);          /* POST /groups/:id/sessions/new */
void web_meeting_schedule_form(req *r, struct web *w);   /* GET  /groups/:id/schedule */
void web_meeting_schedule(req *r, struct web *w);        /* POST /groups/:id/schedule */
void web_meeting(req *r, struct web *w);                 /* GET  /meetings/:id */
void web_meeting_agenda_add(req *r, struct web *w);      /* POST /meetings/:id/agenda */
void web_meeting_notes(req *r, struct web *w);           /* POST /meetings/:id/notes */
void web_meeting_outcome_add(req *r, struct web *w);     /* POST /meetings/:id/outcomes */
void web_meeting_attendance_form(req *r, struct web *w); /* GET  /meetings/:id/attendance */
void web_meeting_attendance(req *r, struct web *w);      /* POST /meetings/:id/attendance */
void web_meeting_cancel_form(req *r, struct web *w);     /* GET  /meetings/:id/cancel */
void web_meeting_cancel(req *r, struct web *w);          /* POST /meetings/:id/cancel */
void web_meeting_move_form(req *r, struct web *w);       /* GET  /meetings/:id/move */
void web_meeting_move(req *r, struct web *w);            /* POST /meetings/:id/move */
void web_meeting_ics(req *r, struct web *w);             /* GET  /meetings/:id/calendar.ics */
void web_calendar(req *r, struct web *w);                /* GET  /calendar */
void web_calendar_new(req *r, struct web *w);            /* POST /calendar */
void web_calendar_feed(req *r, struct web *w);           /* GET  /calendar/:token (NAME.ics) */

/* The home page's part (templates/home_groups.html): for local people and
 * decision-makers, their groups and next sessions; for facilitators and programme
 * leads, the groups they run and sessions still needing attendance. Sets "groups_home"
 * in w->page. */
void home_groups(req *r, struct web *w);

/* --- Shared by web_groups.c and web_meetings.c ---------------------------------------- */

/* Loads group ID (the ":id" parameter when ID is 0) if the signed-in person has at least
 * NEED (ACCESS_VIEW or ACCESS_MANAGE) and fills G; else renders 404 (cannot see it) or
 * 403 (can see, cannot manage) or 500 and returns -1. *LEVEL (may be NULL) receives
 * their access. */
int groups_load(req *r, struct web *w, int64_t id, int need, struct group *g, int *level);
/* Reads a GOV.UK date input's PREFIX-day, PREFIX-month and PREFIX-year. Returns true for
 * a real date. */
bool groups_date_field(req *r, const char *prefix, struct date *out);
/* Puts a GOV.UK date input into the page as "PREFIX_input" for the date_input
 * partial: {name, legend, hint, day, month, year, error}, with what was typed (after a
 * POST) or D (else; NULL for empty), and FE's error on PREFIX (FE may be NULL). */
void groups_date_values(req *r, struct web *w, const char *prefix, const struct date *d,
                        const char *legend, const char *hint, const struct field_errors *fe);
/* "Tuesday 22 November 2022" for "2022-11-22..." (arena-owned; the text itself if not a
 * date). */
const char *groups_day(arena *a, const char *iso);
/* "6pm to 8pm" for a session. */
const char *groups_times(arena *a, const char *starts_at, const char *ends_at);
/* The venue's accessibility as a list of {text} for a template, and "step_free". */
tval *groups_venue_tval(arena *a, const struct venue *v);
/* Options [{value, label, selected}] of every venue, with "No venue yet" first. */
int groups_venue_options(req *r, struct web *w, int64_t selected, tval **out);
/* Where the session's times stand against now: "YYYY-MM-DDTHH:MM" in UTC (the server
 * clock; sessions are compared with this to tell upcoming from past). */
const char *groups_now_local(arena *a);

#endif
