/* demo_groups.c: invented groups, venues and sessions for the demo; see demo_groups.h. */
#include "domain/demo_groups.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "domain/accounts.h"
#include "domain/groups.h"
#include "domain/sessions_meet.h"
#include "domain/venues.h"

#define COUNT(x) (sizeof(x) / sizeof((x)[0]))

static const struct audit_actor system_actor = {0, 0, NULL};

/* The id of the first row of SQL (one text parameter P), 0 if none, <0 on error. */
static int64_t one_id(db *d, const char *sql, const char *p)
{
	db_stmt *s = db_prepare(d, sql);
	int64_t id = 0;
	int rc;
	if (!s)
		return DB_ERR;
	db_bind_text(s, 1, p);
	rc = db_step(s);
	if (rc == DB_ROW)
		id = db_col_int(s, 0);
	db_done(s);
	return rc == DB_ROW || rc == DB_DONE ? id : rc;
}

static const struct {
	const char *name, *email; /* email NULL: registered in person */
	const char *joined;       /* "YYYY-MM-DD" */
} young_adults[] = {
    {"Demo Young Adult Kai", "kai.demo@example.org", "2021-12-07"},
    {"Demo Young Adult Leah", "leah.demo@example.org", "2021-12-07"},
    {"Demo Young Adult Marcus", NULL, "2021-12-07"},
    {"Demo Young Adult Nadia", "nadia.demo@example.org", "2021-12-07"},
    {"Demo Young Adult Owen", "owen.demo@example.org", "2021-12-07"},
    {"Demo Young Adult Precious", NULL, "2021-12-07"},
    {"Demo Young Adult Reece", "reece.demo@example.org", "2022-01-18"},
    {"Demo Young Adult Sana", "sana.demo@example.org", "2022-01-18"},
    {"Demo Young Adult Tyler", NULL, "2022-02-01"},
    {"Demo Young Adult Zainab", NULL, "2022-02-01"},
};
#define LEAVER_INDEX 4 /* Owen moved away for work in September 2022 */

static const struct {
	const char *name, *email; /* email NULL: registered in person */
} parents[] = {
    {"Demo Parent Beth", "beth.demo@example.org"},
    {"Demo Parent Carl", "carl.demo@example.org"},
    {"Demo Parent Dina", NULL},
};

static const struct {
	const char *name, *email, *org;
} makers[] = {
    {"Demo Decision-maker Helen", "dm.helen@example.org", "Demo City Council"},
    {"Demo Decision-maker Imran", "dm.imran@example.org", "Demo NHS Trust"},
    {"Demo Decision-maker Julie", "dm.julie@example.org", "Demo City Council"},
    {"Demo Decision-maker Kwame", "dm.kwame@example.org", "Demo NHS Trust"},
};

static const char consent[] =
    "Demo only. I agree that the facilitator may record my views, ideas and attendance in "
    "coprod for me, and share them with my group and with decision-makers. I can ask to "
    "see it, change it or stop at any time.";

/* Creates a demo local person (assisted when EMAIL is NULL, registered by FAC). */
static int add_person(db *d, arena *a, const char *name, const char *email, enum role role,
                      int64_t org, const struct audit_actor *fac, int64_t *id)
{
	struct field_errors fe;
	field_errors_init(&fe);
	if (!email) {
		struct assisted_new in = {
		    .display_name = sv_from(name),
		    .contact_note = SV("Demo only, not a real person: comes to the group's "
		                       "sessions and prefers a text message to a letter."),
		    .consent_wording = SV(consent),
		    .organisation_id = org,
		    .is_demo = true,
		};
		return account_create_assisted_tx(d, a, fac, &in, &fe, id);
	}
	struct account_new in = {
	    .email = sv_from(email),
	    .display_name = sv_from(name),
	    .role = role,
	    .organisation_id = org,
	    .is_demo = true,
	};
	return account_create_tx(d, a, &system_actor, &in, NULL, &fe, id);
}

static struct date day_of(const char *iso)
{
	struct date dt = {0, 0, 0};
	date_parse(sv_from(iso), &dt);
	return dt;
}

static int add_venues(db *d, arena *a, const struct audit_actor *fac, int64_t *hub,
                      int64_t *library)
{
	struct venue_new h = {
	    .name = SV(DEMO_VENUE_HUB),
	    .address = SV("1 Example Street\nDemo Town"),
	    .postcode = SV("M3 0DE"),
	    .transport_note = SV("Buses stop outside. The tram stop is a five-minute walk on "
	                         "level ground."),
	    .capacity = SV("40"),
	    .cost = SV("25.00"),
	    .step_free = true,
	    .accessible_toilet = true,
	    .hearing_loop = true,
	    .quiet_room = true,
	    .near_transport = true,
	};
	struct venue_new l = {
	    .name = SV("Demo Library Meeting Room"),
	    .address = SV("Demo Library, 2 Sample Road\nDemo Town"),
	    .postcode = SV("M6 0DE"),
	    .transport_note = SV("The room is upstairs and there is no lift."),
	    .capacity = SV("15"),
	    .cost = SV(""),
	    .accessible_toilet = true,
	    .near_transport = true,
	};
	int rc = venue_save_tx(d, a, fac, 0, &h, NULL, hub);
	return rc ? rc : venue_save_tx(d, a, fac, 0, &l, NULL, library);
}

/* The first WEEKDAY (0 = Monday) after today. */
static struct date next_weekday(int weekday)
{
	struct date t = date_add_days(date_today(), 1);
	while (date_weekday(t) != weekday)
		t = date_add_days(t, 1);
	return t;
}

static int schedule(db *d, arena *a, const struct audit_actor *fac, int64_t group,
                    const char *title, struct date first, struct date until, const char *every,
                    const char *start, const char *end, int64_t venue)
{
	struct schedule_new s = {
	    .first = {sv_from(title), first, true, sv_from(start), sv_from(end), venue},
	    .every_days = sv_from(every),
	    .until = until,
	    .until_ok = true,
	};
	int made = 0;
	return meeting_schedule_tx(d, a, fac, group, &s, NULL, &made);
}

static const char *const notes_text[] = {
    "We got to know each other and agreed how we want to work together: everyone gets a "
    "say, and no idea is a silly idea.",
    "We talked about what makes life hard for young adults here: money, somewhere warm to "
    "go, and feeling alone after leaving care.",
    "Small groups mapped the places and people that already help. Lots of ideas about "
    "free spaces in the evening.",
    "We looked at the four priority areas and put our ideas next to each one.",
    "We chose three ideas to work up further and agreed who would find out more.",
};

static const char *const agenda_text[] = {"Welcome and food", "What we found out since last time",
                                          "Working on our ideas", "What happens next"};

/* Marks every session of GROUP before TODAY held, with attendance, notes and an agenda. */
static int hold_past(db *d, arena *a, const struct audit_actor *fac, int64_t group)
{
	struct meeting *ms;
	size_t n;
	sbuf today;
	int rc = meeting_list_group(d, a, group, &ms, &n);
	if (rc)
		return rc;
	sbuf_init(&today, a, 16);
	date_iso(&today, date_today());
	for (size_t i = 0; i < n; i++) {
		struct attendee *att;
		size_t na;
		int64_t *ids;
		sv *sts;
		if (strcmp(ms[i].status, "planned") != 0 ||
		    strncmp(ms[i].starts_at, today.buf, 10) >= 0)
			continue;
		for (size_t k = 0; k < COUNT(agenda_text) && i % 3 == 0; k++) {
			rc = meeting_agenda_add_tx(d, a, fac, ms[i].id, sv_from(agenda_text[k]),
			                           SV(""), NULL);
			if (rc)
				return rc;
		}
		rc = meeting_attendees(d, a, ms[i].id, &att, &na);
		if (rc)
			return rc;
		ids = arena_calloc(a, na + 1, sizeof(*ids));
		sts = arena_calloc(a, na + 1, sizeof(*sts));
		if (!ids || !sts)
			return DB_ERR;
		for (size_t k = 0; k < na; k++) {
			size_t v = (i * 5 + k * 3) % 13;
			ids[k] = att[k].account_id;
			sts[k] = v == 4 ? SV("apologies") : v == 9 ? SV("absent") : SV("present");
		}
		rc = meeting_attendance_set_tx(d, a, fac, ms[i].id, ids, sts, na, NULL);
		if (!rc)
			rc = meeting_notes_set_tx(d, a, fac, ms[i].id,
			                          sv_from(notes_text[i % COUNT(notes_text)]), NULL);
		if (rc)
			return rc;
	}
	return DOMAIN_OK;
}

static int young_adults_group(db *d, arena *a, const struct audit_actor *fac, int64_t programme,
                              int64_t hub)
{
	struct group_new in = {
	    .programme_id = programme,
	    .name = SV(DEMO_GROUP_YOUNG_ADULTS),
	    .purpose = SV("Young adults aged 18 to 25 from across the city, meeting every "
	                  "fortnight to turn what they know about their own lives into ideas "
	                  "that change services, on all four priority areas."),
	    .target_local = SV("12"),
	    .target_professional = SV("6"),
	};
	int64_t group = 0, amina, joe, gareth, leaver = 0, first_joint = 0, org;
	struct date dec7 = {2021, 12, 7}, jun14 = {2022, 6, 14};
	struct meeting *ms;
	size_t n;
	int rc;

	rc = group_create_tx(d, a, fac, &in, fac->account_id, dec7, NULL, &group);
	if (rc)
		return rc;
	amina = one_id(d, "SELECT id FROM accounts WHERE email = ?", "local.person@example.org");
	joe = one_id(d, "SELECT id FROM accounts WHERE display_name = ? AND assisted = 1",
	             "Demo Assisted Person Joe");
	gareth = one_id(d, "SELECT id FROM accounts WHERE email = ?", "decision.maker@example.org");
	if (amina < 0 || joe < 0 || gareth < 0)
		return DB_ERR;
	if (amina)
		rc = group_member_add_tx(d, a, fac, group, amina, GROUP_ROLE_LOCAL_PERSON, dec7,
		                         NULL, NULL);
	if (!rc && joe)
		rc = group_member_add_tx(d, a, fac, group, joe, GROUP_ROLE_LOCAL_PERSON, dec7, NULL,
		                         NULL);
	for (size_t i = 0; !rc && i < COUNT(young_adults); i++) {
		int64_t id = 0, mid = 0;
		rc = add_person(d, a, young_adults[i].name, young_adults[i].email,
		                ROLE_LOCAL_PERSON, 0, fac, &id);
		if (!rc)
			rc = group_member_add_tx(d, a, fac, group, id, GROUP_ROLE_LOCAL_PERSON,
			                         day_of(young_adults[i].joined), NULL, &mid);
		if (i == LEAVER_INDEX)
			leaver = mid;
	}
	if (rc)
		return rc;

	/* Fortnightly from the first session to the one after the Board. */
	rc = schedule(d, a, fac, group, "Young adults group", dec7, (struct date){2022, 11, 22},
	              "14", "18:00", "20:00", hub);
	if (rc)
		return rc;
	rc = meeting_list_group(d, a, group, &ms, &n);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (strncmp(ms[i].starts_at, "2021-12-21", 10) == 0) {
			rc =
			    meeting_cancel_tx(d, a, fac, ms[i].id,
			                      SV("No session on 21 December: have a good break. We "
			                         "meet again on 4 January."),
			                      NULL);
			if (rc)
				return rc;
		}

	/* June 2022: the group invites decision-makers in. */
	rc = group_open_tx(d, a, fac, group, jun14, NULL);
	if (!rc) {
		struct meeting_new joint = {SV("First session with decision-makers"),
		                            jun14,
		                            true,
		                            SV("18:00"),
		                            SV("20:00"),
		                            hub};
		rc = meeting_create_tx(d, a, fac, group, &joint, NULL, &first_joint);
	}
	if (!rc && gareth)
		rc = group_member_add_tx(d, a, fac, group, gareth, GROUP_ROLE_DECISION_MAKER, jun14,
		                         NULL, NULL);
	for (size_t i = 0; !rc && i < COUNT(makers); i++) {
		int64_t id = 0;
		org = one_id(d, "SELECT id FROM organisations WHERE name = ?", makers[i].org);
		if (org < 0)
			return (int)org;
		rc = add_person(d, a, makers[i].name, makers[i].email, ROLE_DECISION_MAKER, org,
		                fac, &id);
		if (!rc)
			rc = group_member_add_tx(d, a, fac, group, id, GROUP_ROLE_DECISION_MAKER,
			                         jun14, NULL, NULL);
	}
	if (!rc && first_joint) {
		static const char *const items[] = {"Introductions: who we are and why we are here",
		                                    "How we will work together as equals",
		                                    "The young adults present their ideas so far"};
		for (size_t k = 0; !rc && k < COUNT(items); k++)
			rc = meeting_agenda_add_tx(d, a, fac, first_joint, sv_from(items[k]),
			                           SV(""), NULL);
		if (!rc)
			rc = meeting_outcome_add_tx(
			    d, a, fac, first_joint, SV("decision"),
			    SV("We will meet as one group from now on, with "
			       "young adults chairing each session in turn."),
			    SV(""), NULL, NULL);
		if (!rc) {
			struct date due = {2022, 6, 28};
			rc = meeting_outcome_add_tx(d, a, fac, first_joint, SV("action"),
			                            SV("Share the council's data on youth services "
			                               "with the group."),
			                            SV("Demo Decision-maker Helen"), &due, NULL);
		}
	}
	if (rc)
		return rc;
	if (leaver) {
		struct field_errors fe;
		field_errors_init(&fe);
		rc =
		    group_member_leave_tx(d, a, fac, group, leaver, (struct date){2022, 9, 6}, &fe);
		if (rc)
			return rc;
	}

	/* The story so far has happened; the group carries on meeting. */
	rc = hold_past(d, a, fac, group);
	if (rc)
		return rc;
	{
		/* Last Tuesday's session is waiting for its attendance, as on a real Wednesday. */
		struct date last = date_add_days(date_today(), -1);
		struct meeting_new recent = {
		    SV("Young adults group"), last, true, SV("18:00"), SV("20:00"), hub};
		while (date_weekday(last) != 1)
			last = date_add_days(last, -1);
		recent.date = last;
		rc = meeting_create_tx(d, a, fac, group, &recent, NULL, NULL);
		if (rc)
			return rc;
	}
	{
		struct date first = next_weekday(1); /* Tuesday */
		return schedule(d, a, fac, group, "Young adults group", first,
		                date_add_days(first, 42), "14", "18:00", "20:00", hub);
	}
}

static int parents_group(db *d, arena *a, const struct audit_actor *fac, int64_t programme,
                         int64_t library)
{
	struct group_new in = {
	    .programme_id = programme,
	    .name = SV(DEMO_GROUP_PARENTS),
	    .purpose = SV("Parents of young children sharing what would make the biggest "
	                  "difference to family life on a low income, starting with food and "
	                  "keeping warm."),
	    .target_local = SV("8"),
	    .target_professional = SV("4"),
	};
	struct date today = date_today(), first = next_weekday(3); /* Thursday */
	int64_t group = 0;
	int rc = group_create_tx(d, a, fac, &in, fac->account_id, today, NULL, &group);
	for (size_t i = 0; !rc && i < COUNT(parents); i++) {
		int64_t id = 0;
		rc = add_person(d, a, parents[i].name, parents[i].email, ROLE_LOCAL_PERSON, 0, fac,
		                &id);
		if (!rc)
			rc = group_member_add_tx(d, a, fac, group, id, GROUP_ROLE_LOCAL_PERSON,
			                         today, NULL, NULL);
	}
	if (!rc)
		rc = schedule(d, a, fac, group, "Parents group", first, date_add_days(first, 21),
		              "7", "10:00", "11:30", library);
	return rc;
}

int demo_load_groups(db *d, arena *a)
{
	int64_t programme, fac, hub = 0, library = 0;
	struct audit_actor by_fac;
	int rc;

	programme = one_id(d, "SELECT id FROM programmes WHERE slug = ?", "young-adults");
	if (programme <= 0)
		return programme < 0 ? (int)programme : DOMAIN_OK;
	fac = one_id(d, "SELECT id FROM accounts WHERE email = ?", "facilitator@example.org");
	if (fac <= 0)
		return fac < 0 ? (int)fac : DOMAIN_OK;
	by_fac = (struct audit_actor){fac, 0, NULL};
	rc = add_venues(d, a, &by_fac, &hub, &library);
	if (!rc)
		rc = young_adults_group(d, a, &by_fac, programme, hub);
	if (!rc)
		rc = parents_group(d, a, &by_fac, programme, library);
	if (rc)
		log_error("demo: could not load the groups and sessions (%d)", rc);
	return rc;
}
