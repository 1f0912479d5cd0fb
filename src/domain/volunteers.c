/* volunteers.c: expressions of interest, stages, duplicates and induction; see
 * volunteers.h. */
#include "domain/volunteers.h"

#include <string.h>

#include "core/json.h"
#include "domain/assets.h"
#include "domain/record.h"
#include "domain/sessions.h"
#include "domain/signin.h"

#define AUDIT_JSON_MAX 8192

const char *const volunteer_stages[VOLUNTEER_STAGES] = {
    "volunteered", "contacted", "selected", "waiting", "inducted", "active", "left"};
static const char *const stage_labels[VOLUNTEER_STAGES] = {
    "Volunteered", "Contacted",   "Selected", "On the waiting list",
    "Inducted",    "Taking part", "Left"};

const char *const access_need_slugs[ACCESS_NEEDS] = {
    "interpreter", "bsl",       "large-print", "easy-read",
    "step-free",   "childcare", "carer-cover", "quiet-space"};
const char *const access_need_labels[ACCESS_NEEDS] = {
    "An interpreter for a spoken language",
    "A British Sign Language (BSL) interpreter",
    "Large print",
    "Easy read",
    "Step-free access",
    "Childcare",
    "Cover for someone I care for",
    "A quiet space"};

const char *const preferred_time_slugs[PREFERRED_TIMES] = {
    "weekday-mornings", "weekday-afternoons", "weekday-evenings", "saturdays", "sundays"};
const char *const preferred_time_labels[PREFERRED_TIMES] = {
    "Weekday mornings", "Weekday afternoons", "Weekday evenings", "Saturdays", "Sundays"};

const char *const induction_item_slugs[INDUCTION_ITEMS] = {
    "welcome", "consent", "access_needs", "payment", "safeguarding", "travel"};
const char *const induction_item_labels[INDUCTION_ITEMS] = {
    "Welcome conversation",
    "Consent checked",
    "Access needs arranged",
    "Payment preference asked",
    "Safeguarding information given",
    "Travel arranged"};

static const char *label_of(sv slug, const char *const *slugs, const char *const *labels,
                            size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (sv_eq_cstr(slug, slugs[i]))
			return labels[i];
	return "";
}

const char *volunteer_stage_label(const char *stage)
{
	return label_of(sv_from(stage), volunteer_stages, stage_labels, VOLUNTEER_STAGES);
}

bool volunteer_stage_valid(sv stage)
{
	return label_of(stage, volunteer_stages, stage_labels, VOLUNTEER_STAGES)[0] != '\0';
}

const char *access_need_label(sv slug)
{
	return label_of(slug, access_need_slugs, access_need_labels, ACCESS_NEEDS);
}

const char *preferred_time_label(sv slug)
{
	return label_of(slug, preferred_time_slugs, preferred_time_labels, PREFERRED_TIMES);
}

/* --- Normalising ----------------------------------------------------------------------- */

char *volunteer_email_key(arena *a, sv email)
{
	char *k;
	email = sv_trim(email);
	if (!email.len)
		return NULL;
	k = sv_dup(a, email);
	for (char *p = k; p && *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return k;
}

char *volunteer_phone_key(arena *a, sv phone)
{
	sbuf b;
	sbuf_init(&b, a, VOLUNTEER_PHONE_MAX + 2);
	for (size_t i = 0; i < phone.len; i++)
		if (phone.ptr[i] >= '0' && phone.ptr[i] <= '9')
			sbuf_addc(&b, phone.ptr[i]);
	if (b.err || !b.len)
		return NULL;
	/* +44 7700 900123 and 07700 900123 are the same number. */
	if (b.len > 2 && b.buf[0] == '4' && b.buf[1] == '4') {
		char *k = arena_printf(a, "0%s", b.buf + 2);
		return k;
	}
	return b.buf;
}

/* --- Reading --------------------------------------------------------------------------- */

#define VOLUNTEER_COLUMNS                                                                          \
	"v.id, v.programme_id, v.account_id, v.name, v.email, v.phone, v.contact_via_org, "        \
	"v.ward_code, w.name, v.postcode, v.household_key, v.cares_about, v.access_needs, "        \
	"v.access_needs_other, v.preferred_times, v.preferred_times_note, v.heard_from, "          \
	"v.consent_version, v.consent_at, v.consent_method, v.recorded_by, r.display_name, "       \
	"v.stage, v.left_reason, v.stage_changed_at, v.monitoring_ref, v.merged_into, "            \
	"(SELECT MIN(o.id) FROM volunteers o WHERE o.programme_id = v.programme_id AND "           \
	VOLUNTEER_DUPLICATE_PAIR("v", "o") "), "                                                   \
	"(SELECT COUNT(*) FROM induction_items i WHERE i.volunteer_id = v.id AND "                 \
	"i.done_at IS NOT NULL), v.created_at, v.updated_at "                                      \
	"FROM volunteers v LEFT JOIN wards w ON w.code = v.ward_code "                             \
	"LEFT JOIN accounts r ON r.id = v.recorded_by "

static int volunteer_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct volunteer *v = item;
	(void)ctx;
	memset(v, 0, sizeof(*v));
	v->id = db_col_int(s, 0);
	v->programme_id = db_col_int(s, 1);
	v->account_id = db_col_int(s, 2);
	v->name = db_col_dup(s, 3, a);
	v->email = db_col_dup(s, 4, a);
	v->phone = db_col_dup(s, 5, a);
	v->contact_via_org = db_col_dup(s, 6, a);
	v->ward_code = db_col_dup(s, 7, a);
	v->ward_name = db_col_dup(s, 8, a);
	v->postcode = db_col_dup(s, 9, a);
	v->household_key = db_col_dup(s, 10, a);
	v->cares_about = db_col_dup(s, 11, a);
	v->access_needs = db_col_dup(s, 12, a);
	v->access_needs_other = db_col_dup(s, 13, a);
	v->preferred_times = db_col_dup(s, 14, a);
	v->preferred_times_note = db_col_dup(s, 15, a);
	v->heard_from = db_col_dup(s, 16, a);
	v->consent_version = db_col_dup(s, 17, a);
	v->consent_at = db_col_dup(s, 18, a);
	v->consent_method = db_col_dup(s, 19, a);
	v->recorded_by = db_col_int(s, 20);
	v->recorded_by_name = db_col_dup(s, 21, a);
	v->stage = db_col_dup(s, 22, a);
	v->left_reason = db_col_dup(s, 23, a);
	v->stage_changed_at = db_col_dup(s, 24, a);
	v->monitoring_ref = db_col_dup(s, 25, a);
	v->merged_into = db_col_int(s, 26);
	v->duplicate_of = db_col_int(s, 27);
	v->induction_done = (int)db_col_int(s, 28);
	v->created_at = db_col_dup(s, 29, a);
	v->updated_at = db_col_dup(s, 30, a);
	return v->name && v->cares_about && v->access_needs && v->access_needs_other &&
	               v->preferred_times && v->preferred_times_note && v->heard_from &&
	               v->consent_version && v->consent_at && v->consent_method && v->stage &&
	               v->stage_changed_at && v->monitoring_ref && v->created_at && v->updated_at
	           ? DB_OK
	           : DB_ERR;
}

int volunteer_get(db *d, arena *a, int64_t id, struct volunteer *out)
{
	return record_get(d, a, "SELECT " VOLUNTEER_COLUMNS "WHERE v.id = ?", id, volunteer_row,
	                  NULL, out);
}

int volunteer_get_by_ref(db *d, arena *a, const char *ref, struct volunteer *out)
{
	db_stmt *s = db_prepare(d, "SELECT " VOLUNTEER_COLUMNS "WHERE v.monitoring_ref = ?");
	int rc;
	db_bind_text(s, 1, ref ? ref : "");
	rc = db_one(s, a, volunteer_row, NULL, out);
	return rc == DB_DONE ? DOMAIN_ENOTFOUND : rc;
}

int volunteer_list(db *d, arena *a, int64_t programme_id, const char *stage,
                   struct volunteer **out, size_t *n)
{
	db_stmt *s = db_prepare(d, "SELECT " VOLUNTEER_COLUMNS
	                           "WHERE v.programme_id = ? AND v.merged_into IS NULL AND "
	                           "(? = '' OR v.stage = ?) ORDER BY v.name, v.id LIMIT ?");
	db_bind_int(s, 1, programme_id);
	db_bind_text(s, 2, stage ? stage : "");
	db_bind_text(s, 3, stage ? stage : "");
	db_bind_int(s, 4, VOLUNTEER_LIST_MAX);
	return db_collect(s, a, sizeof(**out), volunteer_row, NULL, out, n);
}

int volunteer_stage_counts(db *d, int64_t programme_id, int64_t counts[VOLUNTEER_STAGES])
{
	db_stmt *s = db_prepare(d, "SELECT stage, COUNT(*) FROM volunteers WHERE programme_id = ? "
	                           "AND merged_into IS NULL GROUP BY stage");
	int rc;
	memset(counts, 0, sizeof(int64_t) * VOLUNTEER_STAGES);
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, programme_id);
	while ((rc = db_step(s)) == DB_ROW)
		for (size_t i = 0; i < VOLUNTEER_STAGES; i++)
			if (sv_eq_cstr(db_col_sv(s, 0), volunteer_stages[i]))
				counts[i] = db_col_int(s, 1);
	db_done(s);
	return rc == DB_DONE ? DOMAIN_OK : rc < 0 ? rc : DB_ERR;
}

int volunteer_duplicate_count(db *d, int64_t programme_id, int64_t *out)
{
	db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM volunteers v WHERE v.programme_id = ? AND "
	                           "v.merged_into IS NULL AND " VOLUNTEER_HAS_DUPLICATE("v"));
	int rc;
	*out = 0;
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, programme_id);
	rc = db_step(s);
	if (rc == DB_ROW)
		*out = db_col_int(s, 0);
	db_done(s);
	return rc == DB_ROW ? DOMAIN_OK : rc < 0 ? rc : DB_ERR;
}

static int stage_change_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct volunteer_stage_change *c = item;
	(void)ctx;
	c->from_stage = db_col_dup(s, 0, a);
	c->to_stage = db_col_dup(s, 1, a);
	c->reason = db_col_dup(s, 2, a);
	c->changed_by_name = db_col_dup(s, 3, a);
	c->changed_at = db_col_dup(s, 4, a);
	return c->to_stage && c->reason && c->changed_at ? DB_OK : DB_ERR;
}

int volunteer_history(db *d, arena *a, int64_t id, struct volunteer_stage_change **out,
                      size_t *n)
{
	db_stmt *s = db_prepare(d, "SELECT c.from_stage, c.to_stage, c.reason, a.display_name, "
	                           "c.changed_at FROM volunteer_stage_changes c LEFT JOIN "
	                           "accounts a ON a.id = c.changed_by WHERE c.volunteer_id = ? "
	                           "ORDER BY c.id LIMIT ?");
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, VOLUNTEER_HISTORY_MAX);
	return db_collect(s, a, sizeof(**out), stage_change_row, NULL, out, n);
}

/* --- Access ---------------------------------------------------------------------------- */

int volunteer_can_manage(db *d, int64_t account_id, enum role role, int64_t programme_id)
{
	db_stmt *s;
	int rc;
	int64_t lead = 0;
	if (!account_id)
		return 0;
	s = db_prepare(d, "SELECT lead_account_id FROM programmes WHERE id = ?");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, programme_id);
	rc = db_step(s);
	if (rc == DB_ROW)
		lead = db_col_int(s, 0);
	db_done(s);
	if (rc == DB_DONE)
		return 0;
	if (rc != DB_ROW)
		return rc < 0 ? rc : DB_ERR;
	if (role == ROLE_PROGRAMME_LEAD || lead == account_id)
		return 1;
	if (role != ROLE_FACILITATOR)
		return 0;
	s = db_prepare(d, "SELECT 1 FROM group_members m JOIN working_groups g ON g.id = "
	                  "m.group_id WHERE g.programme_id = ? AND m.account_id = ? AND "
	                  "m.role_in_group = 'facilitator' AND m.left_on IS NULL LIMIT 1");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, programme_id);
	db_bind_int(s, 2, account_id);
	rc = db_step(s);
	db_done(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc < 0 ? rc : DB_ERR;
}

/* --- Creating -------------------------------------------------------------------------- */

static bool valid_email(sv e)
{
	sv domain;
	sv local = sv_cut(e, '@', &domain);
	if (!domain.ptr || !local.len || !domain.len)
		return false;
	for (size_t i = 0; i < e.len; i++)
		if (e.ptr[i] == ' ' || e.ptr[i] == '<' || e.ptr[i] == '>' || e.ptr[i] == ',')
			return false;
	for (size_t i = 0; i < domain.len; i++)
		if (domain.ptr[i] == '@')
			return false;
	return memchr(domain.ptr, '.', domain.len) != NULL && domain.ptr[0] != '.' &&
	       domain.ptr[domain.len - 1] != '.';
}

static bool valid_phone(sv p)
{
	size_t digits = 0;
	for (size_t i = 0; i < p.len; i++) {
		char c = p.ptr[i];
		if (c >= '0' && c <= '9')
			digits++;
		else if (c != ' ' && c != '+' && c != '-' && c != '(' && c != ')')
			return false;
	}
	return digits >= 10 && digits <= 15;
}

/* An outward code: one or two letters, a digit, then a digit or a letter or nothing
 * (A9, A99, AA9, AA99, A9A, AA9A). */
static bool outward_valid(const char *t, size_t n)
{
	size_t letters = 0;
	while (letters < n && t[letters] >= 'A' && t[letters] <= 'Z')
		letters++;
	if (letters < 1 || letters > 2 || letters >= n || t[letters] < '0' || t[letters] > '9')
		return false;
	/* What follows the first digit: nothing, or one more digit or letter. */
	return n - letters - 1 <= 1;
}

bool volunteer_postcode_normalise(sv in, char out[VOLUNTEER_POSTCODE_NORM])
{
	char t[VOLUNTEER_POSTCODE_NORM];
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < in.len; i++) {
		char c = in.ptr[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
			if (n >= 7)
				return false;
			t[n++] = c;
		} else if (c != ' ' && c != '\t') {
			return false;
		}
	}
	/* The inward code is the last three characters: a digit and two letters. */
	if (n < 5 || t[n - 3] < '0' || t[n - 3] > '9' || t[n - 2] < 'A' || t[n - 2] > 'Z' ||
	    t[n - 1] < 'A' || t[n - 1] > 'Z' || !outward_valid(t, n - 3))
		return false;
	memcpy(out, t, n - 3);
	out[n - 3] = ' ';
	memcpy(out + n - 2, t + n - 3, 3);
	out[n + 1] = '\0';
	return true;
}

/* Checks a comma-separated list of slugs against SLUGS; returns the list as stored
 * (known slugs in the form's order, without repeats) or NULL if the arena is full.
 * *OK is false when something unknown was sent. */
static char *slug_list(arena *a, sv list, const char *const *slugs, size_t n, bool *ok)
{
	bool on[16] = {false};
	sbuf b;
	sv rest = list;
	*ok = true;
	while (rest.ptr && list.len) {
		sv t = sv_trim(sv_cut(rest, ',', &rest));
		size_t i;
		if (!t.len)
			continue;
		for (i = 0; i < n; i++)
			if (sv_eq_cstr(t, slugs[i]))
				break;
		if (i == n)
			*ok = false;
		else
			on[i] = true;
	}
	sbuf_init(&b, a, 512);
	for (size_t i = 0; i < n; i++)
		if (on[i]) {
			if (b.len)
				sbuf_addc(&b, ',');
			sbuf_adds(&b, slugs[i]);
		}
	return b.err ? NULL : b.buf;
}

static void too_long(struct field_errors *fe, const char *field, sv v, size_t max,
                     const char *message)
{
	if (sv_trim(v).len > max)
		field_error_add(fe, field, message);
}

/* An optional text: NULL when empty after trimming. */
static char *opt(arena *a, sv v)
{
	v = sv_trim(v);
	return v.len ? sv_dup(a, v) : NULL;
}

static int programme_state(db *d, int64_t programme_id, bool *published)
{
	db_stmt *s = db_prepare(d, "SELECT published FROM programmes WHERE id = ?");
	int rc;
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, programme_id);
	rc = db_step(s);
	if (rc == DB_ROW)
		*published = db_col_int(s, 0) != 0;
	db_done(s);
	return rc == DB_ROW ? DOMAIN_OK : rc == DB_DONE ? DOMAIN_ENOTFOUND : rc;
}

static const char *create_json(arena *a, int64_t programme_id, const char *method,
                               int64_t in_person_by, int64_t account_id)
{
	sbuf b;
	json j;
	sbuf_init(&b, a, AUDIT_JSON_MAX);
	json_init(&j, &b);
	json_obj(&j);
	json_key(&j, "programme_id");
	json_int(&j, programme_id);
	json_key(&j, "stage");
	json_cstr(&j, "volunteered");
	json_key(&j, "consent_version");
	json_cstr(&j, VOLUNTEER_CONSENT_VERSION);
	json_key(&j, "consent_method");
	json_cstr(&j, method);
	if (in_person_by) {
		json_key(&j, "recorded_by");
		json_int(&j, in_person_by);
	}
	if (account_id) {
		json_key(&j, "account_id");
		json_int(&j, account_id);
	}
	json_end(&j);
	return b.err ? NULL : b.buf;
}

static int add_history(db *d, const struct audit_actor *who, int64_t id, const char *from,
                       const char *to, const char *reason, const char *now)
{
	db_stmt *s = db_prepare(d, "INSERT INTO volunteer_stage_changes (volunteer_id, from_stage, "
	                           "to_stage, reason, changed_by, changed_at) VALUES "
	                           "(?, ?, ?, ?, ?, ?)");
	int rc;
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, id);
	db_bind_text(s, 2, from);
	db_bind_text(s, 3, to);
	db_bind_text(s, 4, reason ? reason : "");
	if (who && who->account_id)
		db_bind_int(s, 5, who->account_id);
	else
		db_bind_null(s, 5);
	db_bind_text(s, 6, now);
	rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

static int account_exists(db *d, int64_t account_id)
{
	db_stmt *s = db_prepare(d, "SELECT 1 FROM accounts WHERE id = ?");
	int rc;
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, account_id);
	rc = db_step(s);
	db_done(s);
	return rc == DB_ROW ? DOMAIN_OK : rc == DB_DONE ? DOMAIN_ENOTFOUND : rc < 0 ? rc : DB_ERR;
}

/* A volunteer's details as checked and stored. */
struct checked {
	char *name, *email, *phone, *org, *email_key, *phone_key, *ward, *postcode, *household;
	char *cares, *needs, *needs_other, *times, *times_note, *heard;
};

/* Checks IN into C (arena strings; NULL for optional details not given). Returns DB_OK
 * with any mistakes in FE, or DB_ERR when the arena is full. */
static int check_volunteer(db *d, arena *a, const struct volunteer_input *in,
                           struct field_errors *fe, struct checked *c)
{
	sv name = sv_trim(in->name), email = sv_trim(in->email), phone = sv_trim(in->phone);
	sv org = sv_trim(in->contact_via_org), ward = sv_trim(in->ward);
	sv postcode = sv_trim(in->postcode);
	bool ok;

	memset(c, 0, sizeof(*c));
	if (!name.len)
		field_error_add(fe, "name", "Enter a name");
	else if (name.len > VOLUNTEER_NAME_MAX)
		field_error_add(fe, "name", "The name must be 100 characters or fewer");
	if (!email.len && !phone.len && !org.len)
		field_error_add(fe, "contact",
		                "Give at least one way to get in touch: an email address, a phone "
		                "number or a group or service");
	if (email.len && (email.len > VOLUNTEER_EMAIL_MAX || !valid_email(email)))
		field_error_add(fe, "email",
		                "Enter an email address in the correct format, like name@example.org");
	if (phone.len && (phone.len > VOLUNTEER_PHONE_MAX || !valid_phone(phone)))
		field_error_add(fe, "phone",
		                "Enter a phone number, like 07700 900 982 or 0161 496 0000");
	too_long(fe, "contact_via_org", org, VOLUNTEER_ORG_MAX,
	         "The group or service must be 200 characters or fewer");
	if (ward.len) {
		c->ward = sv_dup(a, ward);
		if (!c->ward)
			return DB_ERR;
		if (!ward_name(d, a, c->ward))
			field_error_add(fe, "ward", "Choose a ward from the list, or “I’m not sure”");
	}
	if (postcode.len) {
		char norm[VOLUNTEER_POSTCODE_NORM];
		if (volunteer_postcode_normalise(postcode, norm)) {
			c->postcode = arena_strdup(a, norm);
			if (!c->postcode)
				return DB_ERR;
		} else {
			field_error_add(fe, "postcode", "Enter a real postcode, like M6 5FX");
		}
	}
	too_long(fe, "household_key", in->household_key, VOLUNTEER_ORG_MAX,
	         "The household label must be 200 characters or fewer");
	too_long(fe, "cares_about", in->cares_about, VOLUNTEER_TEXT_MAX,
	         "What matters to you must be 2000 characters or fewer");
	c->needs = slug_list(a, in->access_needs, access_need_slugs, ACCESS_NEEDS, &ok);
	if (!c->needs)
		return DB_ERR;
	if (!ok)
		field_error_add(fe, "access_needs", "Choose from the list of support");
	too_long(fe, "access_needs_other", in->access_needs_other, VOLUNTEER_SHORT_MAX,
	         "Other support must be 200 characters or fewer");
	c->times = slug_list(a, in->preferred_times, preferred_time_slugs, PREFERRED_TIMES, &ok);
	if (!c->times)
		return DB_ERR;
	if (!ok)
		field_error_add(fe, "preferred_times", "Choose from the list of days and times");
	too_long(fe, "preferred_times_note", in->preferred_times_note, VOLUNTEER_SHORT_MAX,
	         "Anything else about times must be 200 characters or fewer");
	too_long(fe, "heard_from", in->heard_from, VOLUNTEER_SHORT_MAX,
	         "How they heard about us must be 200 characters or fewer");
	c->name = sv_dup(a, name);
	c->email = opt(a, email);
	c->phone = opt(a, phone);
	c->org = opt(a, org);
	c->email_key = volunteer_email_key(a, email);
	c->phone_key = volunteer_phone_key(a, phone);
	c->household = opt(a, in->household_key);
	c->cares = sv_dup(a, sv_trim(in->cares_about));
	c->needs_other = sv_dup(a, sv_trim(in->access_needs_other));
	c->times_note = sv_dup(a, sv_trim(in->preferred_times_note));
	c->heard = sv_dup(a, sv_trim(in->heard_from));
	return c->name && c->cares && c->needs_other && c->times_note && c->heard ? DB_OK : DB_ERR;
}

int volunteer_create_tx(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
                        int64_t in_person_by, const struct volunteer_input *in,
                        struct field_errors *fe, int64_t *out_id, char *out_ref)
{
	struct field_errors local;
	struct checked c;
	char now[ISO_TIME_LEN];
	char ref[SESSION_TOKEN_HEX + 1], ref_hash[SESSION_TOKEN_HEX + 1];
	bool published = false;
	const char *after;
	db_stmt *s;
	int64_t id;
	int rc;

	if (!fe) {
		field_errors_init(&local);
		fe = &local;
	}
	rc = programme_state(d, programme_id, &published);
	if (rc != DOMAIN_OK)
		return rc;
	if (!published && !in_person_by)
		return DOMAIN_ENOTFOUND;
	if (in->account_id) {
		rc = account_exists(d, in->account_id);
		if (rc != DOMAIN_OK)
			return rc;
	}
	rc = check_volunteer(d, a, in, fe, &c);
	if (rc != DB_OK)
		return rc;
	if (!in->consent)
		field_error_add(fe, "consent",
		                in_person_by ? "Confirm that they agreed, after you read them the words"
		                             : "Tick the box to say you agree, so that we can contact you");
	if (field_errors_any(fe))
		return DOMAIN_EINVALID;

	token_generate(ref, ref_hash);
	db_now_iso(now, 0);
	s = db_prepare(d, "INSERT INTO volunteers (programme_id, name, email, phone, "
	                  "contact_via_org, email_key, phone_key, ward_code, postcode, household_key, "
	                  "cares_about, access_needs, access_needs_other, preferred_times, "
	                  "preferred_times_note, heard_from, consent_version, consent_at, "
	                  "consent_method, recorded_by, stage, stage_changed_at, monitoring_ref, "
	                  "created_at, updated_at, account_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	                  "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'volunteered', ?, ?, ?, ?, ?)");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, programme_id);
	db_bind_text(s, 2, c.name);
	db_bind_text(s, 3, c.email);
	db_bind_text(s, 4, c.phone);
	db_bind_text(s, 5, c.org);
	db_bind_text(s, 6, c.email_key);
	db_bind_text(s, 7, c.phone_key);
	db_bind_text(s, 8, c.ward);
	db_bind_text(s, 9, c.postcode);
	db_bind_text(s, 10, c.household);
	db_bind_text(s, 11, c.cares);
	db_bind_text(s, 12, c.needs);
	db_bind_text(s, 13, c.needs_other);
	db_bind_text(s, 14, c.times);
	db_bind_text(s, 15, c.times_note);
	db_bind_text(s, 16, c.heard);
	db_bind_text(s, 17, VOLUNTEER_CONSENT_VERSION);
	db_bind_text(s, 18, now);
	db_bind_text(s, 19, in_person_by ? "in_person" : "online");
	if (in_person_by)
		db_bind_int(s, 20, in_person_by);
	else
		db_bind_null(s, 20);
	db_bind_text(s, 21, now);
	db_bind_text(s, 22, ref);
	db_bind_text(s, 23, now);
	db_bind_text(s, 24, now);
	if (in->account_id)
		db_bind_int(s, 25, in->account_id);
	else
		db_bind_null(s, 25);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	id = db_last_insert_id(d);
	rc = add_history(d, who, id, NULL, "volunteered",
	                 in_person_by ? "Met in person" : "Volunteered online", now);
	if (rc != DB_OK)
		return rc;
	after = create_json(a, programme_id, in_person_by ? "in_person" : "online", in_person_by,
	                    in->account_id);
	if (!after)
		return DB_ERR;
	rc = audit_record(d, who, "volunteer", id, "create", NULL, after);
	if (rc != DB_OK)
		return rc;
	if (out_id)
		*out_id = id;
	if (out_ref)
		memcpy(out_ref, ref, sizeof(ref));
	return DOMAIN_OK;
}

/* Whether two optional strings differ (NULL and "" are the same). */
static bool differs(const char *x, const char *y)
{
	return strcmp(x ? x : "", y ? y : "") != 0;
}

/* The audit record of an update names the details that changed, never their values. */
static const char *changed_json(arena *a, const struct volunteer *v, const struct checked *c)
{
	static const char *const names[] = {"name", "email", "phone", "contact_via_org",
	                                    "ward", "postcode", "household", "cares_about",
	                                    "access_needs", "access_needs_other",
	                                    "preferred_times", "preferred_times_note", "heard_from"};
	const char *old[] = {v->name, v->email, v->phone, v->contact_via_org, v->ward_code,
	                     v->postcode, v->household_key, v->cares_about, v->access_needs,
	                     v->access_needs_other, v->preferred_times, v->preferred_times_note,
	                     v->heard_from};
	const char *now[] = {c->name, c->email, c->phone, c->org, c->ward, c->postcode,
	                     c->household, c->cares, c->needs, c->needs_other, c->times,
	                     c->times_note, c->heard};
	sbuf b;
	json j;
	sbuf_init(&b, a, AUDIT_JSON_MAX);
	json_init(&j, &b);
	json_obj(&j);
	json_key(&j, "changed");
	json_arr(&j);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (differs(old[i], now[i]))
			json_cstr(&j, names[i]);
	json_end(&j);
	json_end(&j);
	return b.err ? NULL : b.buf;
}

/* Loads volunteer ID for a change: a record merged into another takes none. */
static int load_changeable(db *d, arena *a, int64_t id, struct volunteer *v)
{
	int rc = volunteer_get(d, a, id, v);
	if (rc != DOMAIN_OK)
		return rc;
	return v->merged_into ? DOMAIN_ECONFLICT : DOMAIN_OK;
}

int volunteer_update_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
                        const struct volunteer_input *in, struct field_errors *fe)
{
	struct field_errors local;
	struct volunteer v;
	struct checked c;
	char now[ISO_TIME_LEN];
	const char *what;
	db_stmt *s;
	int rc;

	if (!fe) {
		field_errors_init(&local);
		fe = &local;
	}
	rc = load_changeable(d, a, id, &v);
	if (rc != DOMAIN_OK)
		return rc;
	rc = check_volunteer(d, a, in, fe, &c);
	if (rc != DB_OK)
		return rc;
	if (field_errors_any(fe))
		return DOMAIN_EINVALID;
	what = changed_json(a, &v, &c);
	if (!what)
		return DB_ERR;
	db_now_iso(now, 0);
	s = db_prepare(d, "UPDATE volunteers SET name = ?, email = ?, phone = ?, contact_via_org = ?, "
	                  "email_key = ?, phone_key = ?, ward_code = ?, postcode = ?, "
	                  "household_key = ?, cares_about = ?, access_needs = ?, "
	                  "access_needs_other = ?, preferred_times = ?, preferred_times_note = ?, "
	                  "heard_from = ?, updated_at = ? WHERE id = ?");
	if (!s)
		return DB_ERR;
	db_bind_text(s, 1, c.name);
	db_bind_text(s, 2, c.email);
	db_bind_text(s, 3, c.phone);
	db_bind_text(s, 4, c.org);
	db_bind_text(s, 5, c.email_key);
	db_bind_text(s, 6, c.phone_key);
	db_bind_text(s, 7, c.ward);
	db_bind_text(s, 8, c.postcode);
	db_bind_text(s, 9, c.household);
	db_bind_text(s, 10, c.cares);
	db_bind_text(s, 11, c.needs);
	db_bind_text(s, 12, c.needs_other);
	db_bind_text(s, 13, c.times);
	db_bind_text(s, 14, c.times_note);
	db_bind_text(s, 15, c.heard);
	db_bind_text(s, 16, now);
	db_bind_int(s, 17, id);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	return audit_record(d, who, "volunteer", id, "update", NULL, what);
}

int volunteer_update(db *d, arena *a, const struct audit_actor *who, int64_t id,
                     const struct volunteer_input *in, struct field_errors *fe)
{
	IN_TRANSACTION(d, volunteer_update_tx(d, a, who, id, in, fe));
}

int volunteer_create(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
                     int64_t in_person_by, const struct volunteer_input *in,
                     struct field_errors *fe, int64_t *out_id, char *out_ref)
{
	IN_TRANSACTION(d, volunteer_create_tx(d, a, who, programme_id, in_person_by, in, fe,
	                                      out_id, out_ref));
}

/* --- Limiting the public form ---------------------------------------------------------- */

#define INTEREST_SCOPE "interest"
#define INTEREST_SET_ASIDE "interest_set_aside"

int volunteer_interest_limited(db *d, const char *address, int64_t now, int64_t *until)
{
	int rc = address_limit_until(d, INTEREST_SCOPE, address, VOLUNTEER_INTEREST_LIMIT,
	                             VOLUNTEER_INTEREST_WINDOW_SECONDS, now, until);
	if (rc != DOMAIN_OK || *until <= now)
		*until = 0;
	return rc;
}

int volunteer_interest_set_aside(db *d, int64_t programme_id)
{
	/* Nobody is named: not the sender (there is none to speak of) nor their address. */
	static const struct audit_actor nobody = {0, 0, NULL};
	return audit_record(d, &nobody, "programme", programme_id, INTEREST_SET_ASIDE, NULL, NULL);
}

int volunteer_interest_set_aside_count(db *d, int64_t programme_id, int64_t *n)
{
	char since[ISO_TIME_LEN];
	db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM audit_log WHERE entity = 'programme' "
	                           "AND entity_id = ? AND action = '" INTEREST_SET_ASIDE "' "
	                           "AND at >= ?");
	int rc;
	*n = 0;
	db_now_iso(since, -(long)VOLUNTEER_SET_ASIDE_DAYS * 24 * 60 * 60);
	db_bind_int(s, 1, programme_id);
	db_bind_text(s, 2, since);
	rc = s ? db_step(s) : DB_ERR;
	if (rc == DB_ROW)
		*n = db_col_int(s, 0);
	if (s)
		db_done(s);
	return rc < 0 ? rc : DOMAIN_OK;
}

int volunteer_interest_count(db *d, const char *address, int64_t now)
{
	return address_limit_record(d, INTEREST_SCOPE, address, now);
}

/* --- Stages ---------------------------------------------------------------------------- */

static const char *stage_json(arena *a, const char *stage, const char *reason)
{
	sbuf b;
	json j;
	sbuf_init(&b, a, AUDIT_JSON_MAX);
	json_init(&j, &b);
	json_obj(&j);
	json_key(&j, "stage");
	json_cstr(&j, stage);
	if (reason && reason[0]) {
		json_key(&j, "reason");
		json_cstr(&j, reason);
	}
	json_end(&j);
	return b.err ? NULL : b.buf;
}

/* Moves V to STAGE without checks beyond the database's. */
static int move(db *d, arena *a, const struct audit_actor *who, const struct volunteer *v,
                const char *stage, const char *reason)
{
	char now[ISO_TIME_LEN];
	const char *before, *after;
	db_stmt *s;
	int rc;
	db_now_iso(now, 0);
	s = db_prepare(d, "UPDATE volunteers SET stage = ?, left_reason = ?, stage_changed_at = ?, "
	                  "updated_at = ? WHERE id = ?");
	if (!s)
		return DB_ERR;
	db_bind_text(s, 1, stage);
	db_bind_text(s, 2, strcmp(stage, "left") == 0 ? reason : NULL);
	db_bind_text(s, 3, now);
	db_bind_text(s, 4, now);
	db_bind_int(s, 5, v->id);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	rc = add_history(d, who, v->id, v->stage, stage, reason, now);
	if (rc != DB_OK)
		return rc;
	before = stage_json(a, v->stage, NULL);
	after = stage_json(a, stage, reason);
	if (!before || !after)
		return DB_ERR;
	return audit_record(d, who, "volunteer", v->id, "stage", before, after);
}

int volunteer_set_stage_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
                           sv stage, sv reason, struct field_errors *fe)
{
	struct volunteer v;
	struct field_errors local;
	char *stage_s, *reason_s;
	int rc;
	if (!fe) {
		field_errors_init(&local);
		fe = &local;
	}
	rc = load_changeable(d, a, id, &v);
	if (rc != DOMAIN_OK)
		return rc;
	reason = sv_trim(reason);
	if (!volunteer_stage_valid(stage))
		field_error_add(fe, "stage", "Choose a stage");
	else if (sv_eq_cstr(stage, v.stage))
		field_error_add(fe, "stage", "They are already at that stage: choose another");
	if (sv_eq_cstr(stage, "left") && !reason.len)
		field_error_add(fe, "reason", "Say why they left, in a few words");
	else if (reason.len > VOLUNTEER_TEXT_MAX)
		field_error_add(fe, "reason", "The reason must be 2000 characters or fewer");
	if (field_errors_any(fe))
		return DOMAIN_EINVALID;
	stage_s = sv_dup(a, stage);
	reason_s = sv_dup(a, reason);
	if (!stage_s || !reason_s)
		return DB_ERR;
	return move(d, a, who, &v, stage_s, reason_s);
}

int volunteer_set_stage(db *d, arena *a, const struct audit_actor *who, int64_t id, sv stage,
                        sv reason, struct field_errors *fe)
{
	IN_TRANSACTION(d, volunteer_set_stage_tx(d, a, who, id, stage, reason, fe));
}

/* --- Induction ------------------------------------------------------------------------- */

/* One stored induction item: which, and (for induction_get) what was recorded. */
struct induction_row {
	char *item, *done_at, *done_by_name, *note;
};

static int induction_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct induction_row *r = item;
	(void)ctx;
	r->item = db_col_dup(s, 0, a);
	r->done_at = db_col_dup(s, 1, a);
	r->done_by_name = db_col_dup(s, 2, a);
	r->note = db_col_dup(s, 3, a);
	return r->item ? DB_OK : DB_ERR;
}

int induction_get(db *d, arena *a, int64_t id, struct induction_item out[INDUCTION_ITEMS])
{
	db_stmt *s = db_prepare(d, "SELECT i.item, i.done_at, a.display_name, i.note FROM "
	                           "induction_items i LEFT JOIN accounts a ON a.id = i.done_by "
	                           "WHERE i.volunteer_id = ?");
	struct induction_row *rows;
	size_t n;
	int rc;
	for (size_t i = 0; i < INDUCTION_ITEMS; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].slug = induction_item_slugs[i];
		out[i].label = induction_item_labels[i];
		out[i].note = "";
	}
	db_bind_int(s, 1, id);
	if ((rc = db_collect(s, a, sizeof(*rows), induction_row, NULL, &rows, &n)))
		return rc;
	for (size_t r = 0; r < n; r++)
		for (size_t i = 0; i < INDUCTION_ITEMS; i++)
			if (strcmp(rows[r].item, induction_item_slugs[i]) == 0) {
				out[i].done = rows[r].done_at != NULL;
				out[i].done_at = rows[r].done_at;
				out[i].done_by_name = rows[r].done_by_name;
				out[i].note = rows[r].note ? rows[r].note : "";
			}
	return DOMAIN_OK;
}

static bool before_induction(const char *stage)
{
	return strcmp(stage, "volunteered") == 0 || strcmp(stage, "contacted") == 0 ||
	       strcmp(stage, "selected") == 0 || strcmp(stage, "waiting") == 0;
}

static const char *induction_json(arena *a, const bool done[INDUCTION_ITEMS])
{
	sbuf b;
	json j;
	sbuf_init(&b, a, AUDIT_JSON_MAX);
	json_init(&j, &b);
	json_obj(&j);
	json_key(&j, "done");
	json_arr(&j);
	for (size_t i = 0; i < INDUCTION_ITEMS; i++)
		if (done[i])
			json_cstr(&j, induction_item_slugs[i]);
	json_end(&j);
	json_end(&j);
	return b.err ? NULL : b.buf;
}

/* Writes item I of volunteer ID: done (keeping when and by whom if it was already done),
 * or not, with NOTE. */
static int put_item(db *d, const struct audit_actor *who, int64_t id, size_t i,
                    const struct induction_item *old, bool done, const char *note,
                    const char *now)
{
	db_stmt *s;
	int rc;
	if (done && old->done) {
		s = db_prepare(d, "UPDATE induction_items SET note = ? WHERE volunteer_id = ? AND "
		                  "item = ?");
		if (!s)
			return DB_ERR;
		db_bind_text(s, 1, note);
		db_bind_int(s, 2, id);
		db_bind_text(s, 3, induction_item_slugs[i]);
		rc = db_step(s);
		db_done(s);
		return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
	}
	s = db_prepare(d, "DELETE FROM induction_items WHERE volunteer_id = ? AND item = ?");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, id);
	db_bind_text(s, 2, induction_item_slugs[i]);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	if (!done && !note[0])
		return DB_OK;
	s = db_prepare(d, "INSERT INTO induction_items (volunteer_id, item, done_at, done_by, note) "
	                  "VALUES (?, ?, ?, ?, ?)");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, id);
	db_bind_text(s, 2, induction_item_slugs[i]);
	if (done) {
		db_bind_text(s, 3, now);
		if (who && who->account_id)
			db_bind_int(s, 4, who->account_id);
		else
			db_bind_null(s, 4);
	} else {
		db_bind_null(s, 3);
		db_bind_null(s, 4);
	}
	db_bind_text(s, 5, note);
	rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

/* When every item is done and V has not been inducted yet, moves them on. */
static int maybe_induct(db *d, arena *a, const struct audit_actor *who,
                        const struct volunteer *v, bool *inducted)
{
	struct induction_item items[INDUCTION_ITEMS];
	int rc = induction_get(d, a, v->id, items);
	if (rc != DOMAIN_OK)
		return rc;
	for (size_t i = 0; i < INDUCTION_ITEMS; i++)
		if (!items[i].done)
			return DOMAIN_OK;
	if (!before_induction(v->stage))
		return DOMAIN_OK;
	rc = move(d, a, who, v, "inducted", "Induction checklist complete");
	if (rc == DB_OK && inducted)
		*inducted = true;
	return rc;
}

int induction_save_tx(db *d, arena *a, const struct audit_actor *who, int64_t id,
                      const bool done[INDUCTION_ITEMS], const sv note[INDUCTION_ITEMS],
                      struct field_errors *fe, bool *inducted)
{
	struct volunteer v;
	struct induction_item old[INDUCTION_ITEMS];
	struct field_errors local;
	bool was[INDUCTION_ITEMS];
	char now[ISO_TIME_LEN];
	const char *before, *after;
	int rc;

	if (inducted)
		*inducted = false;
	if (!fe) {
		field_errors_init(&local);
		fe = &local;
	}
	rc = load_changeable(d, a, id, &v);
	if (rc != DOMAIN_OK)
		return rc;
	rc = induction_get(d, a, id, old);
	if (rc != DOMAIN_OK)
		return rc;
	for (size_t i = 0; i < INDUCTION_ITEMS; i++) {
		was[i] = old[i].done;
		if (sv_trim(note[i]).len > VOLUNTEER_SHORT_MAX)
			field_error_add(fe, arena_printf(a, "note-%s", induction_item_slugs[i]),
			                "The note must be 200 characters or fewer");
	}
	if (field_errors_any(fe))
		return DOMAIN_EINVALID;
	db_now_iso(now, 0);
	for (size_t i = 0; i < INDUCTION_ITEMS; i++) {
		char *n = sv_dup(a, sv_trim(note[i]));
		if (!n)
			return DB_ERR;
		rc = put_item(d, who, id, i, &old[i], done[i], n, now);
		if (rc != DB_OK)
			return rc;
	}
	before = induction_json(a, was);
	after = induction_json(a, done);
	if (!before || !after)
		return DB_ERR;
	rc = audit_record(d, who, "volunteer", id, "induction", before, after);
	if (rc != DB_OK)
		return rc;
	return maybe_induct(d, a, who, &v, inducted);
}

int induction_save(db *d, arena *a, const struct audit_actor *who, int64_t id,
                   const bool done[INDUCTION_ITEMS], const sv note[INDUCTION_ITEMS],
                   struct field_errors *fe, bool *inducted)
{
	IN_TRANSACTION(d, induction_save_tx(d, a, who, id, done, note, fe, inducted));
}

/* One person and one induction item they have done (NULL when none). */
struct done_item_row {
	int64_t id;
	char *name, *stage, *item;
};

static int done_item_row(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct done_item_row *r = item;
	(void)ctx;
	r->id = db_col_int(s, 0);
	r->name = db_col_dup(s, 1, a);
	r->stage = db_col_dup(s, 2, a);
	r->item = db_col_dup(s, 3, a);
	return r->name && r->stage ? DB_OK : DB_ERR;
}

int induction_waiting_list(db *d, arena *a, int64_t programme_id,
                           struct induction_waiting **out, size_t *n)
{
	db_stmt *s = db_prepare(d, "SELECT v.id, v.name, v.stage, i.item FROM volunteers v "
	                           "LEFT JOIN induction_items i ON i.volunteer_id = v.id AND "
	                           "i.done_at IS NOT NULL WHERE v.programme_id = ? AND "
	                           "v.merged_into IS NULL AND v.stage IN ('contacted', 'selected', "
	                           "'waiting') ORDER BY v.name, v.id LIMIT ?");
	struct done_item_row *rows;
	struct induction_waiting *list, *cur = NULL;
	size_t n_rows, k = 0, w = 0;
	int rc;
	*out = NULL;
	*n = 0;
	db_bind_int(s, 1, programme_id);
	db_bind_int(s, 2, VOLUNTEER_LIST_MAX * INDUCTION_ITEMS);
	if ((rc = db_collect(s, a, sizeof(*rows), done_item_row, NULL, &rows, &n_rows)) || !n_rows)
		return rc;
	if (!(list = arena_calloc(a, n_rows, sizeof(*list))))
		return DB_ERR;
	for (size_t r = 0; r < n_rows; r++) {
		if (!cur || cur->id != rows[r].id) {
			cur = &list[k++];
			cur->id = rows[r].id;
			cur->name = rows[r].name;
			cur->stage = rows[r].stage;
			for (size_t i = 0; i < INDUCTION_ITEMS; i++)
				cur->missing[i] = true;
		}
		for (size_t i = 0; i < INDUCTION_ITEMS; i++)
			if (rows[r].item && strcmp(rows[r].item, induction_item_slugs[i]) == 0 &&
			    cur->missing[i]) {
				cur->missing[i] = false;
				cur->done++;
			}
	}
	/* Only those still waiting on something. */
	for (size_t i = 0; i < k; i++)
		if (list[i].done < INDUCTION_ITEMS)
			list[w++] = list[i];
	*out = list;
	*n = w;
	return DOMAIN_OK;
}

/* --- Merging --------------------------------------------------------------------------- */

static const char *merge_json(arena *a, int64_t keep, int64_t drop)
{
	sbuf b;
	json j;
	sbuf_init(&b, a, AUDIT_JSON_MAX);
	json_init(&j, &b);
	json_obj(&j);
	json_key(&j, "kept");
	json_int(&j, keep);
	json_key(&j, "merged");
	json_int(&j, drop);
	json_end(&j);
	return b.err ? NULL : b.buf;
}

/* The first of A and B that is set. */
static const char *first(const char *x, const char *y)
{
	return x ? x : y;
}

int volunteer_merge_tx(db *d, arena *a, const struct audit_actor *who, int64_t keep, int64_t drop)
{
	struct volunteer k, o;
	struct induction_item ki[INDUCTION_ITEMS], oi[INDUCTION_ITEMS];
	char now[ISO_TIME_LEN];
	const char *what;
	db_stmt *s;
	int rc;

	if (keep == drop)
		return DOMAIN_EINVALID;
	rc = volunteer_get(d, a, keep, &k);
	if (rc == DOMAIN_OK)
		rc = volunteer_get(d, a, drop, &o);
	if (rc != DOMAIN_OK)
		return rc;
	if (k.programme_id != o.programme_id)
		return DOMAIN_EINVALID;
	if (k.merged_into || o.merged_into)
		return DOMAIN_ECONFLICT;
	db_now_iso(now, 0);
	s = db_prepare(d, "UPDATE volunteers SET email = ?, phone = ?, contact_via_org = ?, "
	                  "email_key = ?, phone_key = ?, ward_code = ?, postcode = ?, "
	                  "household_key = ?, updated_at = ? WHERE id = ?");
	if (!s)
		return DB_ERR;
	db_bind_text(s, 1, first(k.email, o.email));
	db_bind_text(s, 2, first(k.phone, o.phone));
	db_bind_text(s, 3, first(k.contact_via_org, o.contact_via_org));
	db_bind_text(s, 4, volunteer_email_key(a, sv_from(first(k.email, o.email))));
	db_bind_text(s, 5, volunteer_phone_key(a, sv_from(first(k.phone, o.phone))));
	db_bind_text(s, 6, first(k.ward_code, o.ward_code));
	db_bind_text(s, 7, first(k.postcode, o.postcode));
	db_bind_text(s, 8, first(k.household_key, o.household_key));
	db_bind_text(s, 9, now);
	db_bind_int(s, 10, keep);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	s = db_prepare(d, "UPDATE volunteers SET merged_into = ?, updated_at = ? WHERE id = ?");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, keep);
	db_bind_text(s, 2, now);
	db_bind_int(s, 3, drop);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;

	/* Induction items ticked on the other record count for the one kept. */
	rc = induction_get(d, a, keep, ki);
	if (rc == DOMAIN_OK)
		rc = induction_get(d, a, drop, oi);
	if (rc != DOMAIN_OK)
		return rc;
	for (size_t i = 0; i < INDUCTION_ITEMS; i++) {
		if (ki[i].done || !oi[i].done)
			continue;
		s = db_prepare(d, "DELETE FROM induction_items WHERE volunteer_id = ? AND item = ?");
		if (!s)
			return DB_ERR;
		db_bind_int(s, 1, keep);
		db_bind_text(s, 2, induction_item_slugs[i]);
		rc = db_step(s);
		db_done(s);
		if (rc != DB_DONE)
			return rc < 0 ? rc : DB_ERR;
		s = db_prepare(d, "INSERT INTO induction_items (volunteer_id, item, done_at, done_by, "
		                  "note) SELECT ?, item, done_at, done_by, note FROM induction_items "
		                  "WHERE volunteer_id = ? AND item = ?");
		if (!s)
			return DB_ERR;
		db_bind_int(s, 1, keep);
		db_bind_int(s, 2, drop);
		db_bind_text(s, 3, induction_item_slugs[i]);
		rc = db_step(s);
		db_done(s);
		if (rc != DB_DONE)
			return rc < 0 ? rc : DB_ERR;
	}
	what = merge_json(a, keep, drop);
	if (!what)
		return DB_ERR;
	rc = audit_record(d, who, "volunteer", keep, "merge", NULL, what);
	if (rc == DB_OK)
		rc = audit_record(d, who, "volunteer", drop, "merge", NULL, what);
	if (rc != DB_OK)
		return rc;
	rc = volunteer_get(d, a, keep, &k);
	if (rc != DOMAIN_OK)
		return rc;
	return maybe_induct(d, a, who, &k, NULL);
}

int volunteer_merge(db *d, arena *a, const struct audit_actor *who, int64_t keep, int64_t drop)
{
	IN_TRANSACTION(d, volunteer_merge_tx(d, a, who, keep, drop));
}

/* --- Removing details ------------------------------------------------------------------ */

/* Runs SQL with ID bound to both of its parameters. */
static int run_id(db *d, const char *sql, int64_t id)
{
	db_stmt *s = db_prepare(d, sql);
	int rc;
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, id);
	rc = db_step(s);
	db_done(s);
	return rc == DB_DONE ? DB_OK : rc < 0 ? rc : DB_ERR;
}

int volunteer_erase_tx(db *d, arena *a, const struct audit_actor *who, int64_t id)
{
	struct volunteer v;
	char now[ISO_TIME_LEN];
	db_stmt *s;
	int rc = volunteer_get(d, a, id, &v);
	if (rc != DOMAIN_OK)
		return rc;
	if (v.merged_into || strcmp(v.name, VOLUNTEER_ERASED_NAME) == 0)
		return DOMAIN_ECONFLICT;
	if (strcmp(v.stage, "left") != 0) {
		rc = move(d, a, who, &v, "left", "Asked for their details to be removed");
		if (rc != DB_OK)
			return rc;
	}
	db_now_iso(now, 0);
	s = db_prepare(d, "UPDATE volunteers SET name = ?, email = NULL, phone = NULL, "
	                  "contact_via_org = NULL, email_key = NULL, phone_key = NULL, "
	                  "ward_code = NULL, postcode = NULL, household_key = NULL, "
	                  "cares_about = '', access_needs = '', access_needs_other = '', "
	                  "preferred_times = '', preferred_times_note = '', heard_from = '', "
	                  "left_reason = 'Asked for their details to be removed', updated_at = ? "
	                  "WHERE id = ? OR merged_into = ?");
	if (!s)
		return DB_ERR;
	/* Records merged into this one hold the same person's details. */
	db_bind_text(s, 1, VOLUNTEER_ERASED_NAME);
	db_bind_text(s, 2, now);
	db_bind_int(s, 3, id);
	db_bind_int(s, 4, id);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	/* Reasons and notes typed about them may name them too. */
	rc = run_id(d, "UPDATE volunteer_stage_changes SET reason = '' WHERE volunteer_id IN "
	               "(SELECT id FROM volunteers WHERE id = ? OR merged_into = ?)", id);
	if (rc == DB_OK)
		rc = run_id(d, "UPDATE induction_items SET note = '' WHERE volunteer_id IN "
		               "(SELECT id FROM volunteers WHERE id = ? OR merged_into = ?)", id);
	if (rc == DB_OK)
		rc = run_id(d, "UPDATE volunteer_not_duplicates SET note = '' WHERE EXISTS "
		               "(SELECT 1 FROM volunteers x WHERE (x.id = ? OR x.merged_into = ?) AND "
		               "(x.id = volunteer_not_duplicates.low_id OR "
		               "x.id = volunteer_not_duplicates.high_id))", id);
	if (rc != DB_OK)
		return rc;
	return audit_record(d, who, "volunteer", id, "erase", NULL, NULL);
}

int volunteer_erase(db *d, arena *a, const struct audit_actor *who, int64_t id)
{
	IN_TRANSACTION(d, volunteer_erase_tx(d, a, who, id));
}

/* --- Different people who share contact details ---------------------------------------- */

static const char *other_json(arena *a, int64_t other, const char *marked_at)
{
	sbuf b;
	json j;
	sbuf_init(&b, a, AUDIT_JSON_MAX);
	json_init(&j, &b);
	json_obj(&j);
	json_key(&j, "other");
	json_int(&j, other);
	if (marked_at) {
		json_key(&j, "marked_at");
		json_cstr(&j, marked_at);
	}
	json_end(&j);
	return b.err ? NULL : b.buf;
}

/* The same audit record on both records of the pair, each naming the other. */
static int audit_pair(db *d, arena *a, const struct audit_actor *who, int64_t low, int64_t high,
                      const char *action, const char *marked_at)
{
	const char *lo = other_json(a, high, marked_at), *hi = other_json(a, low, marked_at);
	bool undo = marked_at != NULL;
	int rc;
	if (!lo || !hi)
		return DB_ERR;
	rc = audit_record(d, who, "volunteer", low, action, undo ? lo : NULL, undo ? NULL : lo);
	if (rc == DB_OK)
		rc = audit_record(d, who, "volunteer", high, action, undo ? hi : NULL,
		                  undo ? NULL : hi);
	return rc;
}

/* When LOW and HIGH were marked as different people: *AT (arena) or NULL if they were
 * not. */
static int marked_at(db *d, arena *a, int64_t low, int64_t high, char **at)
{
	db_stmt *s = db_prepare(d, "SELECT marked_at FROM volunteer_not_duplicates WHERE "
	                           "low_id = ? AND high_id = ?");
	int rc;
	*at = NULL;
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, low);
	db_bind_int(s, 2, high);
	rc = db_step(s);
	if (rc == DB_ROW && !(*at = db_col_dup(s, 0, a)))
		rc = DB_ERR;
	db_done(s);
	return rc == DB_ROW || rc == DB_DONE ? DOMAIN_OK : rc < 0 ? rc : DB_ERR;
}

static int same_contact(db *d, int64_t low, int64_t high, bool *same)
{
	db_stmt *s = db_prepare(d, "SELECT 1 FROM volunteers v JOIN volunteers o ON o.id = ? "
	                           "WHERE v.id = ? AND " VOLUNTEER_SAME_CONTACT("v", "o"));
	int rc;
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, high);
	db_bind_int(s, 2, low);
	rc = db_step(s);
	db_done(s);
	*same = rc == DB_ROW;
	return rc == DB_ROW || rc == DB_DONE ? DOMAIN_OK : rc < 0 ? rc : DB_ERR;
}

int volunteer_mark_different_tx(db *d, arena *a, const struct audit_actor *who, int64_t a_id,
                                int64_t b_id, sv note, struct field_errors *fe)
{
	struct volunteer x, y;
	struct field_errors local;
	int64_t low = a_id < b_id ? a_id : b_id, high = a_id < b_id ? b_id : a_id;
	char now[ISO_TIME_LEN], *at, *note_s;
	bool same;
	db_stmt *s;
	int rc;

	if (!fe) {
		field_errors_init(&local);
		fe = &local;
	}
	if (a_id == b_id)
		return DOMAIN_EINVALID;
	rc = volunteer_get(d, a, low, &x);
	if (rc == DOMAIN_OK)
		rc = volunteer_get(d, a, high, &y);
	if (rc != DOMAIN_OK)
		return rc;
	if (x.programme_id != y.programme_id)
		return DOMAIN_EINVALID;
	if (x.merged_into || y.merged_into)
		return DOMAIN_ECONFLICT;
	note = sv_trim(note);
	if (note.len > VOLUNTEER_SHORT_MAX) {
		field_error_add(fe, "note", "The note must be 200 characters or fewer");
		return DOMAIN_EINVALID;
	}
	rc = same_contact(d, low, high, &same);
	if (rc == DOMAIN_OK)
		rc = marked_at(d, a, low, high, &at);
	if (rc != DOMAIN_OK)
		return rc;
	if (!same || at)
		return DOMAIN_ECONFLICT;
	note_s = sv_dup(a, note);
	if (!note_s)
		return DB_ERR;
	db_now_iso(now, 0);
	s = db_prepare(d, "INSERT INTO volunteer_not_duplicates (low_id, high_id, note, marked_by, "
	                  "marked_at) VALUES (?, ?, ?, ?, ?)");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, low);
	db_bind_int(s, 2, high);
	db_bind_text(s, 3, note_s);
	if (who && who->account_id)
		db_bind_int(s, 4, who->account_id);
	else
		db_bind_null(s, 4);
	db_bind_text(s, 5, now);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	return audit_pair(d, a, who, low, high, "not_duplicate", NULL);
}

int volunteer_mark_different(db *d, arena *a, const struct audit_actor *who, int64_t a_id,
                             int64_t b_id, sv note, struct field_errors *fe)
{
	IN_TRANSACTION(d, volunteer_mark_different_tx(d, a, who, a_id, b_id, note, fe));
}

int volunteer_unmark_different_tx(db *d, arena *a, const struct audit_actor *who,
                                  int64_t a_id, int64_t b_id)
{
	int64_t low = a_id < b_id ? a_id : b_id, high = a_id < b_id ? b_id : a_id;
	char *at;
	db_stmt *s;
	int rc = marked_at(d, a, low, high, &at);
	if (rc != DOMAIN_OK)
		return rc;
	if (!at)
		return DOMAIN_ENOTFOUND;
	s = db_prepare(d, "DELETE FROM volunteer_not_duplicates WHERE low_id = ? AND high_id = ?");
	if (!s)
		return DB_ERR;
	db_bind_int(s, 1, low);
	db_bind_int(s, 2, high);
	rc = db_step(s);
	db_done(s);
	if (rc != DB_DONE)
		return rc < 0 ? rc : DB_ERR;
	return audit_pair(d, a, who, low, high, "duplicate_again", at);
}

int volunteer_unmark_different(db *d, arena *a, const struct audit_actor *who, int64_t a_id,
                               int64_t b_id)
{
	IN_TRANSACTION(d, volunteer_unmark_different_tx(d, a, who, a_id, b_id));
}

static int not_duplicate_fill(db_stmt *s, arena *a, void *item, void *ctx)
{
	struct volunteer_not_duplicate *p = item;
	(void)ctx;
	p->other_id = db_col_int(s, 0);
	p->other_name = db_col_dup(s, 1, a);
	p->other_merged = !db_col_null(s, 2);
	p->note = db_col_dup(s, 3, a);
	p->marked_by_name = db_col_dup(s, 4, a);
	p->marked_at = db_col_dup(s, 5, a);
	return p->other_name && p->note && p->marked_at ? DB_OK : DB_ERR;
}

int volunteer_not_duplicates(db *d, arena *a, int64_t id, struct volunteer_not_duplicate **out,
                             size_t *n)
{
	db_stmt *s = db_prepare(d, "SELECT o.id, o.name, o.merged_into, nd.note, m.display_name, "
	                           "nd.marked_at FROM volunteer_not_duplicates nd JOIN volunteers o "
	                           "ON o.id = CASE WHEN nd.low_id = ? THEN nd.high_id ELSE "
	                           "nd.low_id END LEFT JOIN accounts m ON m.id = nd.marked_by "
	                           "WHERE nd.low_id = ? OR nd.high_id = ? "
	                           "ORDER BY nd.marked_at DESC, nd.id DESC LIMIT ?");
	db_bind_int(s, 1, id);
	db_bind_int(s, 2, id);
	db_bind_int(s, 3, id);
	db_bind_int(s, 4, VOLUNTEER_HISTORY_MAX);
	return db_collect(s, a, sizeof(**out), not_duplicate_fill, NULL, out, n);
}

static int panel_name_fill(db_stmt *s, arena *a, void *item, void *ctx)
{
	char **name = item;
	(void)ctx;
	*name = db_col_dup(s, 0, a);
	return *name ? DB_OK : DB_ERR;
}

int volunteer_published_panels_with(db *d, arena *a, int64_t a_id, int64_t b_id, char ***out,
                                    size_t *n)
{
	db_stmt *s = db_prepare(d, "SELECT p.name FROM panels p WHERE p.status = 'published' "
	                           "AND EXISTS (SELECT 1 FROM panel_pool x WHERE x.panel_id = p.id "
	                           "AND x.volunteer_id = ?) AND EXISTS (SELECT 1 FROM panel_pool y "
	                           "WHERE y.panel_id = p.id AND y.volunteer_id = ?) "
	                           "ORDER BY p.name, p.id LIMIT ?");
	db_bind_int(s, 1, a_id);
	db_bind_int(s, 2, b_id);
	db_bind_int(s, 3, VOLUNTEER_HISTORY_MAX);
	return db_collect(s, a, sizeof(**out), panel_name_fill, NULL, out, n);
}

unsigned volunteer_shared_contact(arena *a, const struct volunteer *x, const struct volunteer *y)
{
	unsigned shared = 0;
	char *kx, *ky;
	kx = volunteer_email_key(a, sv_from(x->email));
	ky = volunteer_email_key(a, sv_from(y->email));
	if (kx && ky && strcmp(kx, ky) == 0)
		shared |= VOLUNTEER_SHARE_EMAIL;
	kx = volunteer_phone_key(a, sv_from(x->phone));
	ky = volunteer_phone_key(a, sv_from(y->phone));
	if (kx && ky && strcmp(kx, ky) == 0)
		shared |= VOLUNTEER_SHARE_PHONE;
	return shared;
}
