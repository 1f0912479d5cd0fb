/* sessions_meet.h: the sessions (meetings) of a group: when and where, the agenda, who
 * is expected, attendance, notes with the decisions and actions taken, cancelling or
 * moving with a notice to members, and a personal calendar feed. ("sessions.h" is the
 * sign-in sessions; the tables here are group_sessions and friends.)
 *
 * Times are local to Europe/London, stored as "YYYY-MM-DDTHH:MM": sessions happen in
 * one place. Each session has a calendar UID that never changes and a SEQUENCE that goes
 * up with every change calendars should notice (time, place, title, agenda, cancelling).
 *
 * Expected attendees are the members of the group on the session's day: set when the
 * session is made, extended when someone joins (group_member_add invites them to the
 * planned sessions from the day they join) and trimmed when someone leaves.
 *
 * Access to a session is access to its group (access_group); these functions do not
 * check it. Changes are audited in the same transaction. Everything returned lives in
 * the arena A.
 */
#ifndef DOMAIN_SESSIONS_MEET_H
#define DOMAIN_SESSIONS_MEET_H
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/str.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/groups.h"
#include "domain/sessions.h"
#include "domain/validate.h"
#include "domain/venues.h"

#define MEETING_TITLE_MAX    200
#define MEETING_NOTES_MAX    20000
#define MEETING_MESSAGE_MAX  2000
#define MEETING_AGENDA_MAX   50  /* items on one agenda */
#define MEETING_SCHEDULE_MAX 200 /* sessions one schedule makes at once */
#define MEETING_LIST_MAX     1000
#define MEETING_OUTCOME_MAX  2000 /* bytes of one decision or action */

struct meeting {
	int64_t id, group_id, schedule_id, venue_id; /* 0 for none */
	char *group_name, *title;
	char *starts_at, *ends_at; /* local "YYYY-MM-DDTHH:MM" */
	char *status;              /* "planned", "held" or "cancelled" */
	char *notes, *uid;
	int64_t sequence;
	char *updated_at;   /* ISO UTC */
	struct venue venue; /* filled when venue_id is not 0 */
};

/* A session as typed: date, times "HH:MM", venue (0 for none yet). */
struct meeting_new {
	sv title;
	struct date date;
	bool date_ok; /* the date fields made a real date */
	sv start, end;
	int64_t venue_id;
};

int meeting_get(db *d, arena *a, int64_t id, struct meeting *out);
/* Every session of GROUP_ID by start time. */
int meeting_list_group(db *d, arena *a, int64_t group_id, struct meeting **out, size_t *n);
/* Sessions ACCOUNT_ID is expected at that end at or after FROM (local
 * "YYYY-MM-DDTHH:MM"), cancelled ones too (calendars must learn of them), by start time,
 * at most LIMIT. */
int meeting_list_for(db *d, arena *a, int64_t account_id, const char *from, int limit,
                     struct meeting **out, size_t *n);
/* Sessions of the groups ACCOUNT_ID facilitates (all groups for a programme lead when
 * ALL) that have started before NOW_LOCAL, are not cancelled and have expected
 * attendees without attendance recorded. */
int meeting_list_needing_attendance(db *d, arena *a, int64_t account_id, bool all,
                                    const char *now_local, int limit, struct meeting **out,
                                    size_t *n);

/* Creates a session of GROUP_ID. Errors on "title", "date", "start", "end" (after the
 * start), "venue_id". Its expected attendees are the members on that day. Audited as
 * "create" on "session". */
int meeting_create(db *d, arena *a, const struct audit_actor *who, int64_t group_id,
                   const struct meeting_new *in, struct field_errors *errs, int64_t *id);
int meeting_create_tx(db *d, arena *a, const struct audit_actor *who, int64_t group_id,
                      const struct meeting_new *in, struct field_errors *errs, int64_t *id);

/* A recurring schedule: every EVERY_DAYS days from IN->date until UNTIL, same times and
 * venue. Errors as meeting_create, and on "every_days" (1 to 92), "until" (a real date,
 * not before the first), and on "until" when it would make more than
 * MEETING_SCHEDULE_MAX sessions. *CREATED receives how many were made. */
struct schedule_new {
	struct meeting_new first;
	sv every_days;
	struct date until;
	bool until_ok;
};
int meeting_schedule(db *d, arena *a, const struct audit_actor *who, int64_t group_id,
                     const struct schedule_new *in, struct field_errors *errs, int *created);
int meeting_schedule_tx(db *d, arena *a, const struct audit_actor *who, int64_t group_id,
                        const struct schedule_new *in, struct field_errors *errs, int *created);

/* Cancels a planned session, recording MESSAGE (error on "message": required) as the
 * notice to members. DOMAIN_ECONFLICT if it is not planned. Bumps SEQUENCE. */
int meeting_cancel(db *d, arena *a, const struct audit_actor *who, int64_t id, sv message,
                   struct field_errors *errs);
int meeting_cancel_tx(db *d, arena *a, const struct audit_actor *who, int64_t id, sv message,
                      struct field_errors *errs);
/* Moves a planned session to TO's date, times and venue (TO->title is ignored), with
 * MESSAGE as the notice. Same errors as meeting_create and on "message". Bumps SEQUENCE. */
int meeting_move(db *d, arena *a, const struct audit_actor *who, int64_t id,
                 const struct meeting_new *to, sv message, struct field_errors *errs);

struct meeting_notice {
	char *kind; /* "cancelled" or "moved" */
	char *message, *by_name, *created_at;
};
int meeting_notices(db *d, arena *a, int64_t id, struct meeting_notice **out, size_t *n);

struct agenda_item {
	int64_t id;
	int position;
	char *title, *detail;
};
int meeting_agenda(db *d, arena *a, int64_t id, struct agenda_item **out, size_t *n);
/* Adds an item at the end (errors on "item_title", "item_detail"; at most
 * MEETING_AGENDA_MAX items). Bumps SEQUENCE. */
int meeting_agenda_add(db *d, arena *a, const struct audit_actor *who, int64_t id, sv title,
                       sv detail, struct field_errors *errs);
int meeting_agenda_add_tx(db *d, arena *a, const struct audit_actor *who, int64_t id, sv title,
                          sv detail, struct field_errors *errs);

/* One expected attendee with what was recorded. */
struct attendee {
	int64_t account_id;
	char *display_name;
	bool assisted;
	enum group_role role; /* their role in the group now (NONE if they have left) */
	const char *side;     /* "local" or "professional" */
	char *status;         /* "present", "apologies", "absent", or NULL: not recorded */
};
int meeting_attendees(db *d, arena *a, int64_t id, struct attendee **out, size_t *n);
/* What was recorded for ACCOUNT_ID at each session of GROUP_ID: parallel arrays of
 * session ids and statuses ("present", "apologies", "absent"), at most
 * MEETING_LIST_MAX. For a member's own view of the sessions they came to. */
int meeting_my_attendance(db *d, arena *a, int64_t account_id, int64_t group_id,
                          int64_t **session_ids, char ***statuses, size_t *n);
/* "present", "apologies", "absent" -> the stored value, or NULL. */
const char *attendance_status_parse(sv s);
/* "Present", "Sent apologies", "Absent", "Not recorded". */
const char *attendance_status_label(const char *status);

/* Records attendance for N expected attendees (ACCOUNT_IDS[i] with STATUSES[i], each
 * "present", "apologies" or "absent"; a status left empty leaves that person's record
 * as it was). Errors on "status-ID" for a value that is not one of those; someone not
 * expected is DOMAIN_EINVALID. A cancelled session is DOMAIN_ECONFLICT. A session whose
 * attendance is taken is marked held. Audited as "attendance". */
int meeting_attendance_set(db *d, arena *a, const struct audit_actor *who, int64_t id,
                           const int64_t *account_ids, const sv *statuses, size_t n,
                           struct field_errors *errs);
int meeting_attendance_set_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
                              const int64_t *account_ids, const sv *statuses, size_t n,
                              struct field_errors *errs);

/* Saves the session's notes (error on "notes" past MEETING_NOTES_MAX). Audited. */
int meeting_notes_set(db *d, arena *a, const struct audit_actor *who, int64_t id, sv notes,
                      struct field_errors *errs);
int meeting_notes_set_tx(db *d, arena *a, const struct audit_actor *who, int64_t id, sv notes,
                         struct field_errors *errs);

struct meeting_outcome {
	int64_t id;
	char *kind; /* "decision" or "action" */
	char *text, *owner_name;
	char *due_on; /* "YYYY-MM-DD" or NULL */
};
int meeting_outcomes(db *d, arena *a, int64_t id, struct meeting_outcome **out, size_t *n);
/* Adds a decision or an action (errors on "kind", "text", "owner_name", "due_on"; DUE may
 * be NULL). */
int meeting_outcome_add(db *d, arena *a, const struct audit_actor *who, int64_t id, sv kind,
                        sv text, sv owner, const struct date *due, struct field_errors *errs);
int meeting_outcome_add_tx(db *d, arena *a, const struct audit_actor *who, int64_t id, sv kind,
                           sv text, sv owner, const struct date *due, struct field_errors *errs);

/* Invites ACCOUNT_ID to the planned sessions of GROUP_ID on or after FROM ("YYYY-MM-DD"),
 * or (INVITE false) removes them from those after FROM. For groups.c. */
int meeting_invitees_follow(db *d, int64_t group_id, int64_t account_id, const char *from,
                            bool invite);

/* --- Personal calendar feed ---------------------------------------------------------- */

/* Makes a new secret feed token for ACCOUNT_ID (replacing any old one, which stops
 * working) into TOKEN. Audited as "calendar_feed_new". */
int calendar_feed_new(db *d, const struct audit_actor *who, int64_t account_id,
                      char token[SESSION_TOKEN_HEX + 1]);
/* When ACCOUNT_ID's feed was made (ISO UTC, arena-owned) or NULL if none. */
int calendar_feed_get(db *d, arena *a, int64_t account_id, char **created_at);
/* The account whose feed TOKEN is. DOMAIN_ENOTFOUND if none. */
int calendar_feed_account(db *d, sv token, int64_t *account_id);

#endif
