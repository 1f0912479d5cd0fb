/* web_admin.c: the programme leads' pages: people and their access, organisations, open
 * password reset links and the audit log. */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "domain/audit.h"
#include "domain/organisations.h"
#include "domain/password.h"
#include "web/web_admin.h"

/* --- Shared helpers (declared in web_admin.h) ---------------------------------------- */

void admin_form(req *r, struct web *w, const struct field_spec *specs, struct field_errors *fe,
                const char *const *fields, const tval *defaults)
{
	if (fe) {
		struct field_errors sorted;
		field_errors_init(&sorted);
		for (const char *const *f = fields; *f; f++) {
			const char *m = field_error_get(fe, *f);
			if (m)
				field_error_add(&sorted, *f, m);
		}
		for (size_t i = 0; i < fe->n; i++)
			field_error_add(&sorted, fe->items[i].field, fe->items[i].message);
		*fe = sorted;
	}
	page_form_errors(r, w, fe, fields);
	page_form(r, w, specs, fe, defaults);
}

int64_t admin_parse_id(sv s)
{
	int64_t id;
	s = sv_trim(s);
	if (!s.len)
		return 0;
	if (sv_to_i64(s, &id) != 0 || id < 0)
		return -1;
	return id;
}

int admin_org_options(req *r, struct web *w, int64_t selected, tval **out)
{
	struct organisation *orgs;
	size_t n;
	tval *list = tv_list(r->a), *none = tv_map(r->a);
	int rc = organisation_list(w->db, r->a, &orgs, &n);
	*out = list;
	if (rc != DOMAIN_OK)
		return rc;
	tv_set_str(none, "value", "");
	tv_set_str(none, "label", "None");
	tv_set_bool(none, "selected", selected == 0);
	tv_push(list, none);
	for (size_t i = 0; i < n; i++) {
		tval *o = tv_map(r->a);
		tv_set_str(o, "value", arena_printf(r->a, "%" PRId64, orgs[i].id));
		tv_set_str(o, "label", orgs[i].name);
		tv_set_bool(o, "selected", orgs[i].id == selected);
		tv_push(list, o);
	}
	return DOMAIN_OK;
}

/* Days since 1970-01-01 of a date in the proleptic Gregorian calendar (Howard Hinnant's
 * days_from_civil), so that the clock change can be found without the C library's
 * time zone, which depends on how the server was set up. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* UK clocks go forward at 01:00 UTC on the last Sunday of March and back at 01:00 UTC
 * on the last Sunday of October. */
static int64_t uk_last_sunday_1am(int64_t year, int month)
{
	int64_t day31 = days_from_civil(year, month, 31);
	int64_t dow = ((day31 + 4) % 7 + 7) % 7; /* 1970-01-01 was a Thursday; 0 is Sunday */
	return (day31 - dow) * 86400 + 3600;
}

const char *admin_when(arena *a, const char *iso)
{
	static const char *const months[] = {"January",   "February", "March",    "April",
	                                     "May",       "June",     "July",     "August",
	                                     "September", "October",  "November", "December"};
	int64_t t;
	struct tm tm;
	time_t tt;
	int hour12;
	const char *ampm, *time_text;

	if (!iso)
		return "";
	if (iso_to_unix(iso, &t) != 0)
		return iso;
	tt = (time_t)t;
	if (!gmtime_r(&tt, &tm))
		return iso;
	if (t >= uk_last_sunday_1am(tm.tm_year + 1900, 3) &&
	    t < uk_last_sunday_1am(tm.tm_year + 1900, 10))
		t += 3600;
	tt = (time_t)t;
	if (!gmtime_r(&tt, &tm))
		return iso;
	/* GOV.UK style: 9am, 5:30pm, midday, midnight. */
	if (tm.tm_hour == 12 && tm.tm_min == 0)
		time_text = "midday";
	else if (tm.tm_hour == 0 && tm.tm_min == 0)
		time_text = "midnight";
	else {
		hour12 = tm.tm_hour % 12 ? tm.tm_hour % 12 : 12;
		ampm = tm.tm_hour < 12 ? "am" : "pm";
		time_text = tm.tm_min ? arena_printf(a, "%d:%02d%s", hour12, tm.tm_min, ampm)
		                      : arena_printf(a, "%d%s", hour12, ampm);
		if (!time_text)
			return iso;
	}
	return arena_printf(a, "%d %s %d at %s", tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
	                    time_text);
}

/* --- Small helpers for this file ------------------------------------------------------ */

/* The page number from ?page=N: 1 when absent, 0 when it is not a page that can exist. */
static int page_number(req *r)
{
	sv p = kv_get(&r->query, "page");
	int64_t n;
	if (!p.ptr)
		return 1;
	if (sv_to_i64(p, &n) != 0 || n < 1 || n > ADMIN_PAGE_MAX)
		return 0;
	return (int)n;
}

/* Puts "pagination" {prev_href, next_href, page} into the page when there is more than
 * one page. */
static void put_pagination(req *r, struct web *w, const char *path, int page, bool more)
{
	tval *p;
	if (page == 1 && !more)
		return;
	p = tv_map(r->a);
	if (page == 2)
		tv_set_str(p, "prev_href", path);
	else if (page > 2)
		tv_set_str(p, "prev_href", arena_printf(r->a, "%s?page=%d", path, page - 1));
	else
		tv_set_str(p, "prev_href", "");
	tv_set_str(p, "next_href", more ? arena_printf(r->a, "%s?page=%d", path, page + 1) : "");
	tv_set_int(p, "page", page);
	tv_set(w->page, "pagination", p);
}

/* The message for ?done=KEY after a change, from TABLE (ended by a NULL key). */
struct done_message {
	const char *key, *message;
};

static void put_done(req *r, struct web *w, const struct done_message *table)
{
	sv done = kv_get(&r->query, "done");
	if (!done.ptr)
		return;
	for (; table->key; table++)
		if (sv_eq_cstr(done, table->key)) {
			page_notice(w, table->message);
			return;
		}
}

static int64_t path_id(const struct web *w)
{
	int64_t id;
	if (sv_to_i64(web_param(w, "id"), &id) != 0 || id <= 0)
		return 0;
	return id;
}

/* --- Roles ---------------------------------------------------------------------------- */

static const char *role_hint(enum role role)
{
	switch (role) {
	case ROLE_LOCAL_PERSON:
		return "Takes part in groups and sessions, and shapes ideas and proposals";
	case ROLE_DECISION_MAKER:
		return "Works for an anchor institution, joins sessions and responds to proposals";
	case ROLE_FACILITATOR:
		return "Runs groups and supports local people, including people without email";
	case ROLE_PROGRAMME_LEAD:
		return "Manages the programme, the people in it and their access";
	case ROLE_BOARD_MEMBER:
		return "Sits on the Health and Wellbeing Board and decides on proposals";
	default:
		return "";
	}
}

/* The role radios: [{id, value, label, hint, checked}]. The first input's id is "role",
 * so the error summary's "#role" lands on it. */
static tval *role_options(req *r, enum role checked)
{
	tval *list = tv_list(r->a);
	for (size_t i = 0; i < ROLE_COUNT; i++) {
		tval *o = tv_map(r->a);
		tv_set_str(o, "id",
		           i == 0 ? "role" : arena_printf(r->a, "role-%s", role_slug(roles[i])));
		tv_set_str(o, "value", role_slug(roles[i]));
		tv_set_str(o, "label", role_label(roles[i]));
		tv_set_str(o, "hint", role_hint(roles[i]));
		tv_set_bool(o, "checked", roles[i] == checked);
		tv_push(list, o);
	}
	return list;
}

/* --- People --------------------------------------------------------------------------- */

static const char *person_href(req *r, int64_t id)
{
	return arena_printf(r->a, "/admin/people/%" PRId64, id);
}

/* Status words and the GOV.UK tag colour that goes with them. */
static void put_status(tval *m, const struct account *acc)
{
	if (acc->disabled) {
		tv_set_str(m, "status", "Turned off");
		tv_set_str(m, "status_class", "govuk-tag--grey");
	} else if (!acc->assisted && !acc->has_password) {
		tv_set_str(m, "status", "No password yet");
		tv_set_str(m, "status_class", "govuk-tag--yellow");
	} else {
		tv_set_str(m, "status", "Active");
		tv_set_str(m, "status_class", "govuk-tag--green");
	}
}

static tval *person_value(req *r, const struct account *acc)
{
	tval *m = tv_map(r->a);
	tv_set_int(m, "id", acc->id);
	tv_set_str(m, "href", person_href(r, acc->id));
	tv_set_str(m, "name", acc->display_name);
	tv_set_str(m, "email", acc->email);
	tv_set_bool(m, "assisted", acc->assisted);
	tv_set_str(m, "role_label", role_label(acc->role));
	tv_set_str(m, "organisation", acc->organisation_name);
	tv_set_bool(m, "disabled", acc->disabled);
	tv_set_bool(m, "has_password", acc->has_password);
	tv_set_str(m, "created", admin_when(r->a, acc->created_at));
	tv_set_str(m, "disabled_at", admin_when(r->a, acc->disabled_at));
	tv_set_str(m, "contact_note", acc->contact_note);
	tv_set_str(m, "consent_wording", acc->consent_wording);
	tv_set_str(m, "consent_by", acc->consent_recorded_by_name);
	tv_set_str(m, "consent_at", admin_when(r->a, acc->consent_recorded_at));
	put_status(m, acc);
	return m;
}

void web_admin_people(req *r, struct web *w)
{
	struct account *accs;
	size_t n;
	int page = page_number(r), rc;
	bool more;
	tval *list = tv_list(r->a);

	if (!page) {
		page_error(r, w, 404);
		return;
	}
	rc = account_list(w->db, r->a, ADMIN_PEOPLE_PER_PAGE + 1,
	                  (page - 1) * ADMIN_PEOPLE_PER_PAGE, &accs, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	if (page > 1 && n == 0) {
		page_error(r, w, 404);
		return;
	}
	more = n > ADMIN_PEOPLE_PER_PAGE;
	if (more)
		n = ADMIN_PEOPLE_PER_PAGE;
	for (size_t i = 0; i < n; i++)
		tv_push(list, person_value(r, &accs[i]));
	tv_set(w->page, "people", list);
	put_pagination(r, w, "/admin/people", page, more);
	page_render(r, w, 200, "admin_people",
	            page > 1 ? arena_printf(r->a, "People (page %d)", page) : "People");
}

#define NAME_HINT "The name they like to be called"

static const struct field_spec new_person_form[] = {
    {"name_field", "display_name", "Full name", NAME_HINT, NULL, "off", true},
    {"email_field", "email", "Email address", "They will use this to sign in", "email", "off",
     true},
    {"password_field", "password", "Password (optional)",
     "Leave this empty and we will give you a link for them to set their own password. "
     "A password must be at least 10 characters.",
     "password", "new-password", false},
    {NULL, NULL, NULL, NULL, NULL, NULL, false},
};

/* Every field of the new-person form, top to bottom, but the password (which is never
 * sent back to the browser). */
static const char *const new_person_fields[] = {"display_name", "email", "role", "organisation_id",
                                                NULL};

static void new_person_page(req *r, struct web *w, int status, struct field_errors *fe)
{
	tval *orgs;
	int64_t org = admin_parse_id(kv_get(&r->form, "organisation_id"));
	int rc = admin_org_options(r, w, org, &orgs);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	admin_form(r, w, new_person_form, fe, new_person_fields, NULL);
	tv_set(w->page, "roles", role_options(r, role_parse(kv_get(&r->form, "role"))));
	tv_set(w->page, "organisations", orgs);
	tv_set_str(w->page, "org_label", "Organisation (optional)");
	tv_set_str(w->page, "org_hint", "The organisation they work for or belong to");
	page_render(r, w, status, "admin_person_new", "Add a person");
}

void web_admin_person_new(req *r, struct web *w)
{
	new_person_page(r, w, 200, NULL);
}

/* Makes a one-time reset link for ACC and shows it on a page of its own, once. Until
 * coprod sends email, the programme lead passes the link on; the server log keeps a
 * copy for whoever runs the server. Only the account's id goes in the log line: a name
 * could hold anything, including line breaks. */
static void reset_link_page(req *r, struct web *w, const struct account *acc, bool new_account)
{
	char token[RESET_TOKEN_HEX + 1], expires[ISO_TIME_LEN];
	struct audit_actor who = web_actor(r, w);
	int64_t now = (int64_t)time(NULL);
	sv host = req_header(r, "Host");
	const char *link;
	bool host_ok = host.len > 0 && host.len <= 255;
	int rc;

	rc = reset_create(w->db, r->a, &who, acc->id, now, token);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	/* The link names this server as the browser reached it; a Host header that is not a
	 * plain host name (and port) is not trusted, and the path alone is shown. */
	for (size_t i = 0; host_ok && i < host.len; i++) {
		char c = host.ptr[i];
		host_ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		          (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':' || c == '[' ||
		          c == ']';
	}
	if (host_ok)
		link = arena_printf(r->a, "%s://" SV_FMT "/reset-password/%s",
		                    http_secure_cookies() ? "https" : "http", SV_ARG(host), token);
	else
		link = arena_printf(r->a, "/reset-password/%s", token);
	memset(token, 0, sizeof(token));
	if (!link) {
		page_error(r, w, 500);
		return;
	}
	log_info("password reset link for account %" PRId64 " (valid for %d hours): %s", acc->id,
	         RESET_VALID_SECONDS / 3600, link);
	iso_from_unix(now + RESET_VALID_SECONDS, expires);
	tv_set(w->page, "person", person_value(r, acc));
	tv_set_str(w->page, "link", link);
	tv_set_str(w->page, "expires", admin_when(r->a, expires));
	tv_set_bool(w->page, "new_account", new_account);
	page_render(r, w, 200, "admin_reset_link",
	            new_account ? "Account created" : "Password reset link created");
}

void web_admin_person_create(req *r, struct web *w)
{
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	struct account_new in;
	struct account acc;
	int64_t id = 0;
	int rc;

	memset(&in, 0, sizeof(in));
	in.display_name = kv_get(&r->form, "display_name");
	in.email = kv_get(&r->form, "email");
	in.password = kv_get(&r->form, "password");
	in.role = role_parse(kv_get(&r->form, "role"));
	in.organisation_id = admin_parse_id(kv_get(&r->form, "organisation_id"));
	field_errors_init(&fe);
	rc = account_create(w->db, r->a, &who, &in, &fe, &id);
	if (rc == DOMAIN_EINVALID) {
		new_person_page(r, w, 400, &fe);
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	if (in.password.len) {
		resp_redirect(r, arena_printf(r->a, "/admin/people/%" PRId64 "?done=created", id));
		return;
	}
	rc = account_get(w->db, r->a, id, &acc);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	reset_link_page(r, w, &acc, true);
}

static const struct field_spec person_form[] = {
    {"name_field", "display_name", "Full name", NAME_HINT, NULL, "off", true},
    {NULL, NULL, NULL, NULL, NULL, NULL, false},
};
static const char *const person_fields[] = {"display_name", "role", "organisation_id", NULL};

/* The page for one person: their details, the form to change them (showing ROLE and ORG,
 * which are the stored values or what was just chosen), and the buttons that change
 * their access. */
static void person_page(req *r, struct web *w, const struct account *acc, int status,
                        enum role role, int64_t org, struct field_errors *fe)
{
	static const struct done_message done[] = {
	    {"created", "Account created. They can sign in with the password you chose."},
	    {"saved", "Changes saved."},
	    {"disabled", "Account turned off. They can no longer sign in, and nobody can act "
	                 "for them."},
	    {"enabled", "Account turned back on."},
	    {NULL, NULL},
	};
	tval *orgs, *stored = tv_map(r->a);
	int rc = admin_org_options(r, w, org, &orgs);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	if (status == 200)
		put_done(r, w, done);
	tv_set_str(stored, "display_name", acc->display_name);
	admin_form(r, w, person_form, fe, person_fields, stored);
	tv_set(w->page, "person", person_value(r, acc));
	tv_set_bool(w->page, "is_self", acc->id == w->sess->account_id);
	tv_set(w->page, "roles", role_options(r, role));
	tv_set(w->page, "organisations", orgs);
	tv_set_str(w->page, "org_label", "Organisation (optional)");
	tv_set_str(w->page, "org_hint", "The organisation they work for or belong to");
	page_render(r, w, status, "admin_person", acc->display_name);
}

/* Loads the person named by the path's :id into ACC, or shows the error page and returns
 * false. */
static bool load_person(req *r, struct web *w, struct account *acc)
{
	int64_t id = path_id(w);
	int rc = id ? account_get(w->db, r->a, id, acc) : DOMAIN_ENOTFOUND;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return false;
	}
	return true;
}

void web_admin_person(req *r, struct web *w)
{
	struct account acc;
	if (!load_person(r, w, &acc))
		return;
	person_page(r, w, &acc, 200, acc.role, acc.organisation_id, NULL);
}

void web_admin_person_update(req *r, struct web *w)
{
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	struct account_changes c;
	struct account acc;
	int rc;

	if (!load_person(r, w, &acc))
		return;
	c.display_name = kv_get(&r->form, "display_name");
	c.role = role_parse(kv_get(&r->form, "role"));
	c.organisation_id = admin_parse_id(kv_get(&r->form, "organisation_id"));
	field_errors_init(&fe);
	/* A programme lead who changed their own role would lose this page half-way through
	 * and could leave the programme with no lead at all. */
	if (acc.id == w->sess->account_id && c.role != acc.role) {
		field_error_add(
		    &fe, "role",
		    "You cannot change your own role. Ask another programme lead to do it");
		rc = DOMAIN_EINVALID;
	} else {
		rc = account_update(w->db, r->a, &who, acc.id, &c, &fe);
	}
	if (rc == DOMAIN_OK) {
		resp_redirect(r, arena_printf(r->a, "%s?done=saved", person_href(r, acc.id)));
		return;
	}
	if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	person_page(r, w, &acc, 400, c.role, c.organisation_id, &fe);
}

static void set_disabled(req *r, struct web *w, bool disabled)
{
	struct audit_actor who = web_actor(r, w);
	int64_t id = path_id(w);
	int rc = id ? account_set_disabled(w->db, r->a, &who, id, disabled) : DOMAIN_ENOTFOUND;
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, arena_printf(r->a, "%s?done=%s", person_href(r, id),
	                              disabled ? "disabled" : "enabled"));
}

void web_admin_person_disable(req *r, struct web *w)
{
	set_disabled(r, w, true);
}

void web_admin_person_enable(req *r, struct web *w)
{
	set_disabled(r, w, false);
}

void web_admin_person_reset(req *r, struct web *w)
{
	struct account acc;
	if (!load_person(r, w, &acc))
		return;
	/* People registered in person do not sign in, and a turned-off account cannot:
	 * their pages offer no reset button, so this is a stale or forged form. */
	if (acc.assisted || acc.disabled) {
		page_error(r, w, 403);
		return;
	}
	reset_link_page(r, w, &acc, false);
}

/* --- Open reset links ----------------------------------------------------------------- */

void web_admin_resets(req *r, struct web *w)
{
	struct reset_open *links;
	size_t n;
	tval *list = tv_list(r->a);
	int rc = reset_list_open(w->db, r->a, (int64_t)time(NULL), ADMIN_RESETS_MAX, &links, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "href", person_href(r, links[i].account_id));
		tv_set_str(m, "name", links[i].account_name);
		tv_set_str(m, "email", links[i].account_email);
		tv_set_str(m, "created_by", links[i].created_by_name);
		tv_set_str(m, "created", admin_when(r->a, links[i].created_at));
		tv_set_str(m, "expires", admin_when(r->a, links[i].expires_at));
		tv_push(list, m);
	}
	tv_set(w->page, "resets", list);
	tv_set_bool(w->page, "has_resets", n > 0);
	page_render(r, w, 200, "admin_resets", "Open password reset links");
}

/* --- Organisations -------------------------------------------------------------------- */

/* The kinds as the form and the list name them. The form's labels say who is meant, so
 * that nobody has to know what "anchor institution" or "VCSE" means. */
static const struct {
	enum org_kind kind;
	const char *label, *short_label;
} kind_labels[ORG_KIND_COUNT] = {
    {ORG_ANCHOR, "Anchor institution (council, NHS, university, housing, police)",
     "Anchor institution"},
    {ORG_VCSE, "Voluntary, community or social enterprise group",
     "Voluntary, community or social enterprise group"},
    {ORG_COMMUNITY, "Community group", "Community group"},
    {ORG_OTHER, "Other", "Other"},
};

static const char *kind_short_label(enum org_kind k)
{
	for (size_t i = 0; i < ORG_KIND_COUNT; i++)
		if (kind_labels[i].kind == k)
			return kind_labels[i].short_label;
	return "";
}

static const struct field_spec organisation_form[] = {
    {"name_field", "name", "Name of the organisation", NULL, NULL, "off", true},
    {NULL, NULL, NULL, NULL, NULL, NULL, false},
};
static const char *const organisation_fields[] = {"name", "kind", NULL};

static void organisations_page(req *r, struct web *w, int status, struct field_errors *fe)
{
	static const struct done_message done[] = {
	    {"added", "Organisation added. You can now choose it for a person."},
	    {NULL, NULL},
	};
	struct organisation *orgs;
	size_t n;
	tval *list = tv_list(r->a), *kinds = tv_list(r->a);
	enum org_kind checked = org_kind_parse(kv_get(&r->form, "kind"));
	int rc = organisation_list(w->db, r->a, &orgs, &n);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		tval *m = tv_map(r->a);
		tv_set_str(m, "name", orgs[i].name);
		tv_set_str(m, "kind", kind_short_label(orgs[i].kind));
		tv_set_str(m, "created", admin_when(r->a, orgs[i].created_at));
		tv_push(list, m);
	}
	for (size_t i = 0; i < ORG_KIND_COUNT; i++) {
		tval *k = tv_map(r->a);
		tv_set_str(k, "id",
		           i == 0
		               ? "kind"
		               : arena_printf(r->a, "kind-%s", org_kind_slug(kind_labels[i].kind)));
		tv_set_str(k, "value", org_kind_slug(kind_labels[i].kind));
		tv_set_str(k, "label", kind_labels[i].label);
		tv_set_bool(k, "checked", kind_labels[i].kind == checked);
		tv_push(kinds, k);
	}
	if (status == 200)
		put_done(r, w, done);
	tv_set(w->page, "organisations", list);
	tv_set_bool(w->page, "has_organisations", n > 0);
	tv_set(w->page, "kinds", kinds);
	admin_form(r, w, organisation_form, fe, organisation_fields, NULL);
	page_render(r, w, status, "admin_organisations", "Organisations");
}

void web_admin_organisations(req *r, struct web *w)
{
	organisations_page(r, w, 200, NULL);
}

void web_admin_organisation_create(req *r, struct web *w)
{
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	int rc;

	field_errors_init(&fe);
	rc = organisation_create(w->db, r->a, &who, kv_get(&r->form, "name"),
	                         org_kind_parse(kv_get(&r->form, "kind")), &fe, NULL);
	if (rc == DOMAIN_OK) {
		resp_redirect(r, "/admin/organisations?done=added");
		return;
	}
	if (rc != DOMAIN_EINVALID) {
		page_fail(r, w, rc);
		return;
	}
	organisations_page(r, w, 400, &fe);
}

/* --- Audit log ------------------------------------------------------------------------ */

static const char *action_label(const char *action)
{
	static const struct {
		const char *action, *label;
	} labels[] = {
	    {"create", "Created"},
	    {"create_assisted", "Registered in person, with consent"},
	    {"update", "Changed"},
	    {"disable", "Turned off"},
	    {"enable", "Turned back on"},
	    {"password_set", "Password changed"},
	    {"password_reset", "Password set with a reset link"},
	    {"reset_create", "Reset link created"},
	    {"sign_in", "Signed in"},
	    {"sign_out", "Signed out"},
	    {"acting_for_start", "Started acting for them"},
	    {"acting_for_stop", "Stopped acting for them"},
	    {"update_statement", "Reframed statement changed"},
	    {"update_stage", "Stage changed"},
	    {"update_eia", "Equality impact assessment changed"},
	    {"member_add", "Member added"},
	    {"member_leave", "Member left"},
	    {"schedule", "Sessions scheduled"},
	    {"agenda_add", "Agenda item added"},
	    {"attendance", "Attendance taken"},
	    {"cancel", "Cancelled"},
	    {"move", "Moved"},
	    {"notes", "Notes written"},
	    {"outcome_add", "Decision or action noted"},
	    {"calendar_feed_new", "New calendar address made"},
	    {"open", "Opened"},
	    {"close", "Closed"},
	    {"reopen", "Reopened"},
	    {"position", "Position given"},
	    {"status", "Status changed"},
	    {"tags_set", "Tags changed"},
	    {"link", "Linked to another idea"},
	    {"share", "Shared with another group"},
	    {"file", "Return filed"},
	    {"reached", "Milestone reached"},
	    {"delivered", "Marked delivered"},
	    {"add", "Added"},
	    {"amend", "Amended"},
	    {"answer", "Answered"},
	    {"approve", "Approved"},
	    {"choose", "Choice recorded"},
	    {"create_over_budget", "Recorded over budget, with a lead's approval"},
	    {"decide", "Decided"},
	    {"induction", "Induction step ticked"},
	    {"paid", "Marked paid"},
	    {"publish", "Published"},
	    {"rate", "Rated"},
	    {"return", "Returned with a reason"},
	    {"reverse", "Reversed by a correcting entry"},
	    {"set", "Set"},
	    {"stage", "Stage changed"},
	    {"submit", "Submitted"},
	    {"equality.answers", "Answers about them saved (not shown)"},
	    {"equality.view", "A lead looked at their answers, with consent"},
	    {"equality.withdraw", "Equality answers deleted"},
	    {"equality.settings", "Equality monitoring settings changed"},
	    {"equality.selection_read", "Read for fair selection (no answers shown)"},
	    {"population.import", "Population figures imported"},
	    {"population.postcodes", "Postcode table imported"},
	    {"panel.create", "Panel created"},
	    {"panel.pool", "Panel's pool changed"},
	    {"panel.quotas", "Quotas changed"},
	    {"panel.category_add", "Quota category added"},
	    {"panel.compute", "Chances worked out"},
	    {"panel.publish", "Lottery published"},
	    {"panel.draw", "Panel drawn"},
	};
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(action, labels[i].action) == 0)
			return labels[i].label;
	return action;
}

static const char *entity_label(const char *entity)
{
	static const struct {
		const char *entity, *label;
	} labels[] = {
	    {"account", "Person"},
	    {"organisation", "Organisation"},
	    {"priority_area", "Priority area"},
	    {"partnership", "Partnership"},
	    {"programme", "Programme"},
	    {"group", "Group"},
	    {"venue", "Venue"},
	    {"session", "Session"},
	    {"idea", "Idea"},
	    {"idea_comment", "Comment on an idea"},
	    {"idea_test", "Test of an idea"},
	    {"decision", "Decision"},
	    {"board_meeting", "Board meeting"},
	    {"board_paper", "Proposal to the Board"},
	    {"delivery_plan", "Co-delivery plan"},
	    {"delivery_action", "Co-delivery action"},
	    {"delivery_milestone", "Milestone"},
	    {"organisation_return", "Organisation's return"},
	    {"asset", "Community asset"},
	    {"volunteer", "Volunteer"},
	    {"equality", "Equality monitoring"},
	    {"panel", "Panel"},
	    {"funding_source", "Funding source"},
	    {"budget_line", "Budget line"},
	    {"budget_entry", "Spend or commitment"},
	    {"payment_policy", "Payment policy"},
	    {"payment_choice", "Payment choice"},
	    {"payment_claim", "Payment claim"},
	    {"payment_batch", "Payment batch"},
	    {"indicator", "Indicator"},
	    {"indicator_value", "Indicator value"},
	    {"ladder_rating", "Ladder rating"},
	    {"principle_round", "Principles questionnaire"},
	    {"learning_entry", "Learning log entry"},
	    {"case_study", "Case study"},
	    {"case_study_quote", "Quote in a case study"},
	};
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(entity, labels[i].entity) == 0)
			return labels[i].label;
	return entity;
}

/* The four hex digits at P as a number, or -1. */
static long hex4(const char *p)
{
	long v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static void add_utf8(sbuf *b, long cp)
{
	if (cp < 0x80) {
		sbuf_addc(b, (char)cp);
	} else if (cp < 0x800) {
		sbuf_addc(b, (char)(0xc0 | (cp >> 6)));
		sbuf_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		sbuf_addc(b, (char)(0xe0 | (cp >> 12)));
		sbuf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		sbuf_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		sbuf_addc(b, (char)(0xf0 | (cp >> 18)));
		sbuf_addc(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
		sbuf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		sbuf_addc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

/* Copies the \uXXXX escape (or surrogate pair) at P as the character it stands for, so
 * a name reads as typed; returns the bytes of P used, or 0 to copy it as it is. Control
 * characters other than line breaks and tabs, and lone surrogates, stay escaped. The
 * template escapes what comes out. */
static size_t unescape_u(sbuf *b, const char *p)
{
	long cp = hex4(p + 2), lo;
	if ((cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7f)
		return 0;
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (p[6] != '\\' || p[7] != 'u' || (lo = hex4(p + 8)) < 0xdc00 || lo > 0xdfff)
			return 0;
		add_utf8(b, 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00));
		return 12;
	}
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return 0;
	add_utf8(b, cp);
	return 6;
}

/* Audit JSON as stored is one line; this puts each top-level field on its own line and
 * shows \uXXXX escapes as their characters, so a change can be read at a glance. Other
 * escapes (\" \\ \n) are left as they are. Returns JSON itself if it is malformed. */
static const char *json_lines(arena *a, const char *json)
{
	sbuf b;
	bool in_string = false;
	int depth = 0;
	if (!json)
		return "";
	sbuf_init(&b, a, strlen(json) * 2 + 64);
	for (const char *p = json; *p; p++) {
		char c = *p;
		if (in_string) {
			if (c == '\\' && p[1] == 'u') {
				size_t used = unescape_u(&b, p);
				if (used) {
					p += used - 1;
					continue;
				}
			}
			sbuf_addc(&b, c);
			if (c == '\\' && p[1]) {
				sbuf_addc(&b, *++p);
			} else if (c == '"') {
				in_string = false;
			}
			continue;
		}
		if (c == '"')
			in_string = true;
		if ((c == '}' || c == ']') && --depth == 0)
			sbuf_addc(&b, '\n');
		sbuf_addc(&b, c);
		if (c == '{' || c == '[') {
			if (depth++ == 0)
				sbuf_adds(&b, "\n  ");
		} else if (c == ',' && depth == 1) {
			sbuf_adds(&b, "\n  ");
		} else if (c == ':' && depth == 1) {
			sbuf_addc(&b, ' ');
		}
	}
	return b.err || in_string ? json : b.buf;
}

void web_admin_audit(req *r, struct web *w)
{
	struct audit_entry *items;
	size_t n;
	int page = page_number(r), rc;
	bool more;
	tval *list = tv_list(r->a);

	if (!page) {
		page_error(r, w, 404);
		return;
	}
	rc = audit_list(w->db, r->a, ADMIN_AUDIT_PER_PAGE + 1, (page - 1) * ADMIN_AUDIT_PER_PAGE,
	                &items, &n);
	if (rc != DB_OK) {
		page_fail(r, w, rc);
		return;
	}
	if (page > 1 && n == 0) {
		page_error(r, w, 404);
		return;
	}
	more = n > ADMIN_AUDIT_PER_PAGE;
	if (more)
		n = ADMIN_AUDIT_PER_PAGE;
	for (size_t i = 0; i < n; i++) {
		const struct audit_entry *e = &items[i];
		tval *m = tv_map(r->a);
		tv_set_int(m, "id", e->id);
		tv_set_str(m, "at", e->at);
		tv_set_str(m, "when", admin_when(r->a, e->at));
		tv_set_str(m, "who",
		           e->account_id ? (e->actor_name ? e->actor_name : "A deleted account")
		                         : "The system");
		tv_set_str(m, "on_behalf",
		           e->on_behalf_of
		               ? (e->on_behalf_name ? e->on_behalf_name : "a deleted account")
		               : "");
		tv_set_str(
		    m, "what",
		    arena_printf(r->a, "%s %" PRId64, entity_label(e->entity), e->entity_id));
		tv_set_str(m, "what_href",
		           strcmp(e->entity, "account") == 0 ? person_href(r, e->entity_id) : "");
		tv_set_str(m, "action", action_label(e->action));
		tv_set_str(m, "before", json_lines(r->a, e->before));
		tv_set_str(m, "after", json_lines(r->a, e->after));
		tv_set_bool(m, "has_details", e->before || e->after);
		tv_push(list, m);
	}
	tv_set(w->page, "entries", list);
	tv_set_bool(w->page, "has_entries", n > 0);
	put_pagination(r, w, "/admin/audit", page, more);
	page_render(r, w, 200, "admin_audit",
	            page > 1 ? arena_printf(r->a, "Audit log (page %d)", page) : "Audit log");
}
