/* web_meetings.c: the sessions of a group: making them one at a time or on a schedule,
 * the session page with its agenda, attendance, notes and outcomes, cancelling and
 * moving with a notice, and calendars (one session, or a personal feed at a secret
 * address that calendar apps can follow). */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "domain/access.h"
#include "domain/ics.h"
#include "web/web_admin.h"
#include "web/web_groups.h"

/* How long the personal feed looks back, so a session just gone stays in calendars. */
#define FEED_PAST_DAYS 90
#define FEED_MAX       500
#define ICS_MAX        (4 * 1024 * 1024)

/* Loads the ":id" session and its group with at least NEED access, or renders the error
 * and returns -1. */
static int load_meeting(req *r, struct web *w, int need, struct meeting *m, struct group *g,
                        int *level)
{
	int64_t id = admin_parse_id(web_param(w, "id"));
	int rc = id > 0 ? meeting_get(w->db, r->a, id, m) : DOMAIN_ENOTFOUND;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return -1;
	}
	return groups_load(r, w, m->group_id, need, g, level);
}

static void read_when(req *r, struct meeting_new *in)
{
	memset(in, 0, sizeof(*in));
	in->title = kv_get(&r->form, "title");
	in->date_ok = groups_date_field(r, "date", &in->date);
	in->start = kv_get(&r->form, "start");
	in->end = kv_get(&r->form, "end");
	in->venue_id = admin_parse_id(kv_get(&r->form, "venue_id"));
}

static void form_errors(req *r, struct web *w, struct field_errors *fe, const char *const *fields)
{
	admin_form(r, w, (const struct field_spec[]){{NULL, NULL, NULL, NULL, NULL, NULL, false}},
	           fe, fields, NULL);
}

/* --- New sessions --------------------------------------------------------------------- */

static const char *const meeting_fields[] = {"title",    "date",       "start", "end",
                                             "venue_id", "every_days", "until", NULL};

static void meeting_form_page(req *r, struct web *w, int status, struct field_errors *fe,
                              const struct group *g, bool schedule)
{
	tval *venues, *values;
	int rc = groups_venue_options(r, w, admin_parse_id(kv_get(&r->form, "venue_id")), &venues);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	if (r->method == HTTP_POST) {
		form_errors(r, w, fe, meeting_fields);
	} else {
		page_form_errors(r, w, NULL, meeting_fields);
		values = tv_map(r->a);
		tv_set_str(values, "title", g->name);
		tv_set_str(values, "start", "18:00");
		tv_set_str(values, "end", "20:00");
		tv_set_str(values, "every_days", "14");
		tv_set(w->page, "values", values);
	}
	groups_date_values(r, w, "date", NULL, schedule ? "Date of the first session" : "Date",
	                   "For example, 7 12 2021", fe);
	if (schedule)
		groups_date_values(r, w, "until", NULL, "Date of the last session",
		                   "Sessions are made up to and including this date", fe);
	tv_set(w->page, "venues", venues);
	tv_set_int(w->page, "group_id", g->id);
	tv_set_str(w->page, "group_name", g->name);
	tv_set_bool(w->page, "schedule", schedule);
	tv_set_str(w->page, "action",
	           arena_printf(r->a, "/groups/%" PRId64 "/%s", g->id,
	                        schedule ? "schedule" : "sessions/new"));
	page_render(r, w, status, "meeting_form",
	            schedule ? "Set up regular sessions" : "Add a session");
}

void web_meeting_new(req *r, struct web *w)
{
	struct group g;
	if (groups_load(r, w, 0, ACCESS_MANAGE, &g, NULL) == 0)
		meeting_form_page(r, w, 200, NULL, &g, false);
}

void web_meeting_create(req *r, struct web *w)
{
	struct group g;
	struct meeting_new in;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int64_t id = 0;
	int rc;
	if (groups_load(r, w, 0, ACCESS_MANAGE, &g, NULL) != 0)
		return;
	read_when(r, &in);
	field_errors_init(&fe);
	rc = meeting_create(w->db, r->a, &who, g.id, &in, &fe, &id);
	if (rc == DOMAIN_OK) {
		resp_redirect(r, arena_printf(r->a, "/meetings/%" PRId64 "?done=created", id));
		return;
	}
	if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	meeting_form_page(r, w, 400, &fe, &g, false);
}

void web_meeting_schedule_form(req *r, struct web *w)
{
	struct group g;
	if (groups_load(r, w, 0, ACCESS_MANAGE, &g, NULL) == 0)
		meeting_form_page(r, w, 200, NULL, &g, true);
}

void web_meeting_schedule(req *r, struct web *w)
{
	struct group g;
	struct schedule_new in;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int made = 0, rc;
	if (groups_load(r, w, 0, ACCESS_MANAGE, &g, NULL) != 0)
		return;
	memset(&in, 0, sizeof(in));
	read_when(r, &in.first);
	in.every_days = kv_get(&r->form, "every_days");
	in.until_ok = groups_date_field(r, "until", &in.until);
	field_errors_init(&fe);
	rc = meeting_schedule(w->db, r->a, &who, g.id, &in, &fe, &made);
	if (rc == DOMAIN_OK) {
		resp_redirect(r, arena_printf(r->a, "/groups/%" PRId64 "?done=scheduled", g.id));
		return;
	}
	if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	meeting_form_page(r, w, 400, &fe, &g, true);
}

/* --- The session page ----------------------------------------------------------------- */

static const struct {
	const char *key, *message;
} meeting_notices_done[] = {
    {"created", "The session has been added. The group’s members are expected at it."},
    {"agenda", "The agenda item has been added."},
    {"notes", "The notes have been saved."},
    {"outcome", "It has been added to the session’s record."},
    {"attendance", "Attendance has been saved."},
    {"cancelled", "The session has been cancelled. Your notice has been recorded, but not "
                  "yet sent: tell members yourself for now."},
    {"moved", "The session has been moved. Your notice has been recorded, but not yet sent: "
              "tell members yourself for now."},
};

static const char *const session_fields[] = {"item_title", "item_detail", "notes",  "kind",
                                             "text",       "owner_name",  "due_on", NULL};

/* Renders the session page; FE (may be NULL) holds errors of one of its forms. */
static void meeting_page(req *r, struct web *w, int status, struct field_errors *fe,
                         const struct meeting *m, const struct group *g, int level)
{
	struct agenda_item *items;
	struct attendee *att;
	struct meeting_notice *notices;
	struct meeting_outcome *outs;
	size_t ni, na, nn, no;
	tval *agenda = tv_list(r->a), *people = tv_list(r->a), *nl = tv_list(r->a);
	tval *decisions = tv_list(r->a), *actions = tv_list(r->a), *mt;
	const char *mine = NULL;
	bool manage = level == ACCESS_MANAGE;
	sv done = kv_get(&r->query, "done");
	int present = 0, apologies = 0, absent = 0, rc;

	rc = meeting_agenda(w->db, r->a, m->id, &items, &ni);
	if (rc == DOMAIN_OK)
		rc = meeting_attendees(w->db, r->a, m->id, &att, &na);
	if (rc == DOMAIN_OK)
		rc = meeting_notices(w->db, r->a, m->id, &notices, &nn);
	if (rc == DOMAIN_OK)
		rc = meeting_outcomes(w->db, r->a, m->id, &outs, &no);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < ni; i++) {
		tval *t = tv_map(r->a);
		tv_set_str(t, "title", items[i].title);
		tv_set_str(t, "detail", items[i].detail);
		tv_push(agenda, t);
	}
	for (size_t i = 0; i < na; i++) {
		tval *t = tv_map(r->a);
		if (att[i].account_id == w->sess->account_id ||
		    (w->sess->acting_for && att[i].account_id == w->sess->acting_for))
			mine = attendance_status_label(att[i].status);
		if (att[i].status) {
			present += strcmp(att[i].status, "present") == 0;
			apologies += strcmp(att[i].status, "apologies") == 0;
			absent += strcmp(att[i].status, "absent") == 0;
		}
		tv_set_str(t, "name", att[i].display_name);
		tv_set_str(t, "side", strcmp(att[i].side, "local") == 0 ? "Local" : "Professional");
		tv_set_str(t, "status", attendance_status_label(att[i].status));
		tv_push(people, t);
	}
	for (size_t i = 0; i < nn; i++) {
		tval *t = tv_map(r->a);
		tv_set_str(t, "kind",
		           strcmp(notices[i].kind, "cancelled") == 0 ? "Cancelled" : "Moved");
		tv_set_str(t, "message", notices[i].message);
		tv_set_str(t, "by", notices[i].by_name);
		tv_set_str(t, "at", admin_when(r->a, notices[i].created_at));
		tv_push(nl, t);
	}
	for (size_t i = 0; i < no; i++) {
		tval *t = tv_map(r->a);
		tv_set_str(t, "text", outs[i].text);
		tv_set_str(t, "owner", outs[i].owner_name);
		tv_set_str(t, "due", outs[i].due_on ? groups_day(r->a, outs[i].due_on) : "");
		tv_push(strcmp(outs[i].kind, "decision") == 0 ? decisions : actions, t);
	}
	mt = tv_map(r->a);
	tv_set_int(mt, "id", m->id);
	tv_set_str(mt, "title", m->title);
	tv_set_str(mt, "day", groups_day(r->a, m->starts_at));
	tv_set_str(mt, "times", groups_times(r->a, m->starts_at, m->ends_at));
	tv_set_str(mt, "notes", m->notes);
	tv_set_bool(mt, "cancelled", strcmp(m->status, "cancelled") == 0);
	tv_set_bool(mt, "held", strcmp(m->status, "held") == 0);
	tv_set_bool(mt, "planned", strcmp(m->status, "planned") == 0);
	tv_set_str(mt, "group_name", g->name);
	tv_set_str(mt, "group_href", arena_printf(r->a, "/groups/%" PRId64, g->id));
	if (m->venue_id)
		tv_set(mt, "venue", groups_venue_tval(r->a, &m->venue));
	tv_set(w->page, "meeting", mt);
	tv_set(w->page, "agenda", agenda);
	tv_set_bool(w->page, "has_agenda", ni > 0);
	tv_set(w->page, "attendees", people);
	tv_set_bool(w->page, "has_attendees", na > 0);
	tv_set_int(w->page, "n_expected", (int64_t)na);
	tv_set_int(w->page, "n_present", present);
	tv_set_int(w->page, "n_apologies", apologies);
	tv_set_int(w->page, "n_absent", absent);
	tv_set(w->page, "notices", nl);
	tv_set_bool(w->page, "has_notices", nn > 0);
	tv_set(w->page, "decisions", decisions);
	tv_set(w->page, "actions", actions);
	tv_set_bool(w->page, "has_decisions", tv_len(decisions) > 0);
	tv_set_bool(w->page, "has_actions", tv_len(actions) > 0);
	tv_set_str(w->page, "my_attendance", mine ? mine : "");
	tv_set_bool(w->page, "manage", manage);
	if (r->method == HTTP_POST) {
		form_errors(r, w, fe, session_fields);
	} else {
		tval *values = tv_map(r->a);
		page_form_errors(r, w, NULL, session_fields);
		tv_set_str(values, "notes", m->notes);
		tv_set(w->page, "values", values);
	}
	groups_date_values(r, w, "due_on", NULL, "Due by (optional)", "For example, 6 12 2022", fe);
	for (size_t i = 0; i < sizeof(meeting_notices_done) / sizeof(meeting_notices_done[0]); i++)
		if (sv_eq_cstr(done, meeting_notices_done[i].key))
			page_notice(w, meeting_notices_done[i].message);
	/* Every session of a group may share its title: the date tells tabs and history
	 * apart. */
	page_render(r, w, status, "meeting",
		    arena_printf(r->a, "%s, %s", m->title, groups_day(r->a, m->starts_at)));
}

void web_meeting(req *r, struct web *w)
{
	struct meeting m;
	struct group g;
	int level;
	if (load_meeting(r, w, ACCESS_VIEW, &m, &g, &level) == 0)
		meeting_page(r, w, 200, NULL, &m, &g, level);
}

/* The end of a POST from the session page: back to it with DONE, or the page again with
 * the errors. */
static void after_post(req *r, struct web *w, int rc, struct field_errors *fe, struct meeting *m,
                       struct group *g, const char *done)
{
	if (rc == DOMAIN_OK) {
		resp_redirect(r, arena_printf(r->a, "/meetings/%" PRId64 "?done=%s", m->id, done));
		return;
	}
	if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	meeting_page(r, w, 400, fe, m, g, ACCESS_MANAGE);
}

void web_meeting_agenda_add(req *r, struct web *w)
{
	struct meeting m;
	struct group g;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int rc;
	if (load_meeting(r, w, ACCESS_MANAGE, &m, &g, NULL) != 0)
		return;
	field_errors_init(&fe);
	rc = meeting_agenda_add(w->db, r->a, &who, m.id, kv_get(&r->form, "item_title"),
	                        kv_get(&r->form, "item_detail"), &fe);
	after_post(r, w, rc, &fe, &m, &g, "agenda");
}

void web_meeting_notes(req *r, struct web *w)
{
	struct meeting m;
	struct group g;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int rc;
	if (load_meeting(r, w, ACCESS_MANAGE, &m, &g, NULL) != 0)
		return;
	field_errors_init(&fe);
	rc = meeting_notes_set(w->db, r->a, &who, m.id, kv_get(&r->form, "notes"), &fe);
	after_post(r, w, rc, &fe, &m, &g, "notes");
}

void web_meeting_outcome_add(req *r, struct web *w)
{
	struct meeting m;
	struct group g;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	struct date due;
	bool any_due = kv_get(&r->form, "due_on-day").len || kv_get(&r->form, "due_on-month").len ||
	               kv_get(&r->form, "due_on-year").len;
	int rc;
	if (load_meeting(r, w, ACCESS_MANAGE, &m, &g, NULL) != 0)
		return;
	field_errors_init(&fe);
	if (any_due && !groups_date_field(r, "due_on", &due)) {
		field_error_add(&fe, "due_on",
		                "Enter a real date, like 6 12 2022, or leave it empty");
		due = (struct date){0, 0, 0};
	}
	rc = meeting_outcome_add(w->db, r->a, &who, m.id, kv_get(&r->form, "kind"),
	                         kv_get(&r->form, "text"), kv_get(&r->form, "owner_name"),
	                         any_due ? &due : NULL, &fe);
	after_post(r, w, rc, &fe, &m, &g, "outcome");
}

/* --- Attendance ----------------------------------------------------------------------- */

static void attendance_page(req *r, struct web *w, int status, struct field_errors *fe,
                            const struct meeting *m, const struct group *g)
{
	struct attendee *att;
	size_t n;
	tval *rows = tv_list(r->a);
	static const char *const statuses[] = {"present", "apologies", "absent"};
	static const char *const fields[] = {NULL};
	int rc = meeting_attendees(w->db, r->a, m->id, &att, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		tval *t = tv_map(r->a), *opts = tv_list(r->a);
		const char *name = arena_printf(r->a, "status-%" PRId64, att[i].account_id);
		sv typed = kv_get(&r->form, name);
		for (int k = 0; k < 3; k++) {
			tval *o = tv_map(r->a);
			bool on = r->method == HTTP_POST
			              ? sv_eq_cstr(typed, statuses[k])
			              : att[i].status && strcmp(att[i].status, statuses[k]) == 0;
			/* The first radio carries the field's name as its id: the error
			 * summary links to it. */
			tv_set_str(o, "id",
			           k == 0 ? name : arena_printf(r->a, "%s-%s", name, statuses[k]));
			tv_set_str(o, "value", statuses[k]);
			tv_set_str(o, "label", attendance_status_label(statuses[k]));
			tv_set_bool(o, "checked", on);
			tv_push(opts, o);
		}
		tv_set_str(t, "name", att[i].display_name);
		tv_set_str(t, "field", name);
		tv_set_bool(t, "assisted", att[i].assisted);
		tv_set_str(t, "side",
		           strcmp(att[i].side, "local") == 0 ? "local person" : "professional");
		tv_set_str(t, "error", field_error_get(fe, name));
		tv_set(t, "options", opts);
		tv_push(rows, t);
	}
	form_errors(r, w, fe, fields);
	tv_set(w->page, "people", rows);
	tv_set_bool(w->page, "has_people", n > 0);
	tv_set_int(w->page, "meeting_id", m->id);
	tv_set_str(w->page, "meeting_title", m->title);
	tv_set_str(w->page, "day", groups_day(r->a, m->starts_at));
	tv_set_str(w->page, "group_name", g->name);
	page_render(r, w, status, "meeting_attendance", "Record attendance");
}

void web_meeting_attendance_form(req *r, struct web *w)
{
	struct meeting m;
	struct group g;
	if (load_meeting(r, w, ACCESS_MANAGE, &m, &g, NULL) != 0)
		return;
	if (strcmp(m.status, "cancelled") == 0) {
		page_error(r, w, 404);
		return;
	}
	attendance_page(r, w, 200, NULL, &m, &g);
}

void web_meeting_attendance(req *r, struct web *w)
{
	struct meeting m;
	struct group g;
	struct attendee *att;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	size_t n;
	int64_t *ids;
	sv *sts;
	int rc;
	if (load_meeting(r, w, ACCESS_MANAGE, &m, &g, NULL) != 0)
		return;
	rc = meeting_attendees(w->db, r->a, m.id, &att, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	ids = arena_calloc(r->a, n + 1, sizeof(*ids));
	sts = arena_calloc(r->a, n + 1, sizeof(*sts));
	if (!ids || !sts) {
		page_error(r, w, 500);
		return;
	}
	/* "Save, and mark everyone else present": on a phone, going through a whole group
	 * one by one is long; the facilitator answers for those who were not there and the
	 * rest are recorded as present. Someone already recorded keeps their answer. */
	bool rest_present = sv_eq_cstr(kv_get(&r->form, "rest"), "present");
	for (size_t i = 0; i < n; i++) {
		ids[i] = att[i].account_id;
		sts[i] = kv_get(&r->form, arena_printf(r->a, "status-%" PRId64, ids[i]));
		if (!sts[i].ptr || !sts[i].len)
			sts[i] = rest_present && !att[i].status ? SV("present") : SV("");
	}
	field_errors_init(&fe);
	rc = meeting_attendance_set(w->db, r->a, &who, m.id, ids, sts, n, &fe);
	if (rc == DOMAIN_OK) {
		resp_redirect(r, arena_printf(r->a, "/meetings/%" PRId64 "?done=attendance", m.id));
		return;
	}
	if (rc == DOMAIN_ECONFLICT) {
		page_error(r, w, 404);
		return;
	}
	if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	attendance_page(r, w, 400, &fe, &m, &g);
}

/* --- Cancelling and moving ------------------------------------------------------------ */

static void change_page(req *r, struct web *w, int status, struct field_errors *fe,
                        const struct meeting *m, bool move)
{
	static const char *const fields[] = {"date", "start", "end", "venue_id", "message", NULL};
	tval *venues;
	int rc = groups_venue_options(
	    r, w,
	    r->method == HTTP_POST ? admin_parse_id(kv_get(&r->form, "venue_id")) : m->venue_id,
	    &venues);
	struct date day;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	if (r->method == HTTP_POST) {
		form_errors(r, w, fe, fields);
	} else {
		tval *values = tv_map(r->a);
		page_form_errors(r, w, NULL, fields);
		tv_set_sv(values, "start", (sv){m->starts_at + 11, 5});
		tv_set_sv(values, "end", (sv){m->ends_at + 11, 5});
		tv_set(w->page, "values", values);
	}
	if (date_parse((sv){m->starts_at, 10}, &day) == 0)
		groups_date_values(r, w, "date", &day, "New date", "For example, 29 11 2022", fe);
	tv_set(w->page, "venues", venues);
	tv_set_bool(w->page, "move", move);
	tv_set_int(w->page, "meeting_id", m->id);
	tv_set_str(w->page, "meeting_title", m->title);
	tv_set_str(w->page, "day", groups_day(r->a, m->starts_at));
	tv_set_str(w->page, "times", groups_times(r->a, m->starts_at, m->ends_at));
	tv_set_str(w->page, "action",
	           arena_printf(r->a, "/meetings/%" PRId64 "/%s", m->id, move ? "move" : "cancel"));
	page_render(r, w, status, "meeting_change", move ? "Move a session" : "Cancel a session");
}

static int load_planned(req *r, struct web *w, struct meeting *m, struct group *g)
{
	if (load_meeting(r, w, ACCESS_MANAGE, m, g, NULL) != 0)
		return -1;
	if (strcmp(m->status, "planned") != 0) {
		resp_redirect(r, arena_printf(r->a, "/meetings/%" PRId64, m->id));
		return -1;
	}
	return 0;
}

void web_meeting_cancel_form(req *r, struct web *w)
{
	struct meeting m;
	struct group g;
	if (load_planned(r, w, &m, &g) == 0)
		change_page(r, w, 200, NULL, &m, false);
}

void web_meeting_move_form(req *r, struct web *w)
{
	struct meeting m;
	struct group g;
	if (load_planned(r, w, &m, &g) == 0)
		change_page(r, w, 200, NULL, &m, true);
}

static void change_submit(req *r, struct web *w, bool move)
{
	struct meeting m;
	struct group g;
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	sv message = kv_get(&r->form, "message");
	int rc;
	if (load_planned(r, w, &m, &g) != 0)
		return;
	field_errors_init(&fe);
	if (move) {
		struct meeting_new to;
		read_when(r, &to);
		rc = meeting_move(w->db, r->a, &who, m.id, &to, message, &fe);
	} else {
		rc = meeting_cancel(w->db, r->a, &who, m.id, message, &fe);
	}
	if (rc == DOMAIN_OK || rc == DOMAIN_ECONFLICT) {
		resp_redirect(r, arena_printf(r->a, "/meetings/%" PRId64 "%s", m.id,
		                              rc == DOMAIN_ECONFLICT ? ""
		                              : move                 ? "?done=moved"
		                                                     : "?done=cancelled"));
		return;
	}
	if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	change_page(r, w, 400, &fe, &m, move);
}

void web_meeting_cancel(req *r, struct web *w)
{
	change_submit(r, w, false);
}

void web_meeting_move(req *r, struct web *w)
{
	change_submit(r, w, true);
}

/* --- Calendars ------------------------------------------------------------------------ */

static const char *location_of(arena *a, const struct meeting *m)
{
	if (!m->venue_id)
		return NULL;
	return arena_printf(a, "%s, %s%s%s", m->venue.name, m->venue.address,
	                    m->venue.postcode[0] ? ", " : "", m->venue.postcode);
}

static void add_event(req *r, sbuf *b, const struct meeting *m, int64_t now)
{
	sbuf desc;
	struct ics_event e;
	sbuf_init(&desc, r->a, 4096);
	sbuf_addf(&desc, "A session of %s.", m->group_name);
	if (m->venue_id)
		sbuf_addf(&desc, "\nStep-free access: %s.", m->venue.step_free ? "yes" : "no");
	memset(&e, 0, sizeof(e));
	e.uid = m->uid;
	e.sequence = m->sequence;
	e.stamp = now;
	e.starts_at = m->starts_at;
	e.ends_at = m->ends_at;
	e.summary = m->title;
	e.description = desc.err ? NULL : desc.buf;
	e.location = location_of(r->a, m);
	e.cancelled = strcmp(m->status, "cancelled") == 0;
	ics_event(b, &e);
}

static void send_ics(req *r, struct web *w, sbuf *b, const char *filename)
{
	if (b->err) {
		page_error(r, w, 500);
		return;
	}
	resp_header(r, "Content-Disposition",
	            arena_printf(r->a, "attachment; filename=\"%s\"", filename));
	resp_header(r, "Cache-Control", "no-store");
	resp_text(r, 200, "text/calendar; charset=utf-8", sbuf_sv(b));
}

void web_meeting_ics(req *r, struct web *w)
{
	struct meeting m;
	struct group g;
	sbuf b;
	if (load_meeting(r, w, ACCESS_VIEW, &m, &g, NULL) != 0)
		return;
	sbuf_init(&b, r->a, ICS_MAX);
	ics_begin(&b, m.group_name);
	add_event(r, &b, &m, (int64_t)time(NULL));
	ics_end(&b);
	send_ics(r, w, &b, arena_printf(r->a, "session-%" PRId64 ".ics", m.id));
}

static void calendar_page(req *r, struct web *w, const char *token)
{
	char *made = NULL;
	int rc = calendar_feed_get(w->db, r->a, w->sess->account_id, &made);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	tv_set_bool(w->page, "has_feed", made != NULL);
	tv_set_str(w->page, "made", made ? admin_when(r->a, made) : "");
	if (token) {
		const char *host = sv_dup(r->a, kv_get_icase(&r->headers, "Host"));
		tv_set_str(w->page, "feed_path", arena_printf(r->a, "/calendar/%s.ics", token));
		tv_set_str(w->page, "feed_url",
		           arena_printf(r->a, "%s://%s/calendar/%s.ics",
		                        kv_get_icase(&r->headers, "X-Forwarded-Proto").len ? "https"
		                                                                           : "http",
		                        host && host[0] ? host : "localhost", token));
	}
	page_render(r, w, 200, "meeting_calendar", "Your calendar");
}

void web_calendar(req *r, struct web *w)
{
	calendar_page(r, w, NULL);
}

void web_calendar_new(req *r, struct web *w)
{
	char token[SESSION_TOKEN_HEX + 1];
	struct audit_actor who = web_actor(r, w);
	int rc;
	who.on_behalf_of = 0; /* a calendar is one's own */
	rc = calendar_feed_new(w->db, &who, w->sess->account_id, token);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	/* The address is shown once, on this page, and never stored: no redirect. */
	calendar_page(r, w, token);
}

void web_calendar_feed(req *r, struct web *w)
{
	sv token = web_param(w, "token");
	int64_t account = 0, now = (int64_t)time(NULL);
	struct meeting *ms;
	size_t n;
	sbuf b;
	char from[ISO_TIME_LEN];
	int rc;

	if (token.len < 4 || memcmp(token.ptr + token.len - 4, ".ics", 4) != 0) {
		page_error(r, w, 404);
		return;
	}
	token.len -= 4;
	rc = calendar_feed_account(w->db, token, &account);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	iso_from_unix(now - (int64_t)FEED_PAST_DAYS * 86400, from);
	from[16] = 0;
	rc = meeting_list_for(w->db, r->a, account, from, FEED_MAX, &ms, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	sbuf_init(&b, r->a, ICS_MAX);
	ics_begin(&b, "Co-production sessions");
	for (size_t i = 0; i < n; i++)
		add_event(r, &b, &ms[i], now);
	ics_end(&b);
	send_ics(r, w, &b, "sessions.ics");
}
