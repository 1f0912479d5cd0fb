/* payments.c: payment policies, people's choices, batches and totals; see payments.h.
 * Claims themselves are in claims.c. */
#include "domain/payments.h"

#include <inttypes.h>
#include <string.h>

#include "core/json.h"
#include "core/money.h"
#include "domain/accounts.h"
#include "domain/budget.h"
#include "domain/payments_impl.h"
#include "domain/record.h"
#include "domain/sessions.h"

/* --- Arithmetic --------------------------------------------------------------------- */

int64_t pay_hours_amount(int64_t minutes, int64_t rate_pence)
{
	if (minutes <= 0 || rate_pence <= 0)
		return 0;
	return (minutes * rate_pence + 30) / 60;
}

int pay_hours_parse(sv s, int64_t *minutes)
{
	int64_t whole = 0, frac = 0, scale = 1;
	size_t i = 0;
	bool digits = false;

	s = sv_trim(s);
	if (!s.ptr || !s.len || s.len > 8)
		return -1;
	for (; i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9'; i++, digits = true)
		whole = whole * 10 + (s.ptr[i] - '0');
	if (i < s.len && s.ptr[i] == ':') {
		/* "2:30": hours and two-digit minutes. */
		if (!digits || s.len - i != 3 || s.ptr[i + 1] < '0' || s.ptr[i + 1] > '5' ||
		    s.ptr[i + 2] < '0' || s.ptr[i + 2] > '9')
			return -1;
		frac = (s.ptr[i + 1] - '0') * 10 + (s.ptr[i + 2] - '0');
		*minutes = whole * 60 + frac;
		return *minutes <= PAY_MINUTES_MAX ? 0 : -1;
	}
	if (i < s.len && s.ptr[i] == '.') {
		size_t j = i + 1;
		if (j == s.len || s.len - j > 2)
			return -1;
		for (; j < s.len; j++) {
			if (s.ptr[j] < '0' || s.ptr[j] > '9')
				return -1;
			frac = frac * 10 + (s.ptr[j] - '0');
			scale *= 10;
		}
		digits = true;
		i = s.len;
	}
	if (i != s.len || !digits)
		return -1;
	/* whole hours plus frac/scale of an hour, rounded to the nearest minute. */
	*minutes = whole * 60 + (frac * 60 + scale / 2) / scale;
	return *minutes <= PAY_MINUTES_MAX ? 0 : -1;
}

void pay_hours_format(sbuf *b, int64_t minutes)
{
	int64_t h = minutes / 60, rem = minutes % 60, hundredths;
	sbuf_add_i64(b, h);
	if (!rem)
		return;
	hundredths = (rem * 100 + 30) / 60;
	if (hundredths % 10 == 0)
		sbuf_addf(b, ".%" PRId64, hundredths / 10);
	else
		sbuf_addf(b, ".%02" PRId64, hundredths);
}

void pay_tax_year(struct date day, struct date *start, struct date *end)
{
	int y = day.y;
	if (day.m < 4 || (day.m == 4 && day.d < 6))
		y--;
	*start = (struct date){y, 4, 6};
	*end = (struct date){y + 1, 4, 5};
}

char *pay_person_ref(arena *a, int64_t account_id)
{
	return arena_printf(a, "CP-%06" PRId64, account_id);
}

/* --- Shared helpers (payments_impl.h) ------------------------------------------------ */

int pay_step_done(db_stmt *st)
{
	int rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? DOMAIN_OK : rc < 0 ? rc : DB_ERR;
}

int pay_audit(db *d, arena *a, const struct audit_actor *who, const char *entity, int64_t id,
              const char *action, const char *k1, sv v1, const char *k2, int64_t v2)
{
	sbuf js;
	json j;
	sbuf_init(&js, a, 16 * 1024);
	json_init(&j, &js);
	json_obj(&j);
	if (k1) {
		json_key(&j, k1);
		json_str(&j, v1);
	}
	if (k2) {
		json_key(&j, k2);
		json_int(&j, v2);
	}
	json_end(&j);
	if (js.err)
		return DB_ERR;
	return audit_record(d, who, entity, id, action, NULL, js.buf);
}

sv pay_text(sv s, size_t max, const char *field, const char *empty, const char *too_long,
            struct field_errors *fe, int *rc)
{
	sv t = sv_trim(s);
	if (!t.ptr || !t.len) {
		if (empty) {
			field_error_add(fe, field, empty);
			*rc = DOMAIN_EINVALID;
		}
		return SV("");
	}
	if (t.len > max) {
		field_error_add(fe, field, too_long);
		*rc = DOMAIN_EINVALID;
	}
	return t;
}

/* An optional amount: empty is 0. Refuses negatives, letters and more than the maximum. */
int64_t pay_amount(sv s, const char *field, const char *what, struct field_errors *fe, int *rc)
{
	int64_t p = 0;
	sv t = sv_trim(s);
	if (!t.ptr || !t.len)
		return 0;
	if (money_parse(t, PAY_AMOUNT_MAX_PENCE, &p) != 0) {
		field_error_add(fe, field, what);
		*rc = DOMAIN_EINVALID;
		return 0;
	}
	return p;
}

void pay_date_iso(struct date t, char out[11])
{
	unsigned y = (unsigned)t.y % 10000;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + t.m / 10);
	out[6] = (char)('0' + t.m % 10);
	out[7] = '-';
	out[8] = (char)('0' + t.d / 10);
	out[9] = (char)('0' + t.d % 10);
	out[10] = '\0';
}

/* --- Access --------------------------------------------------------------------------- */

int pay_access(db *d, int64_t account_id, unsigned role, int64_t programme_id)
{
	db_stmt *st;
	int rc;
	if (!account_id)
		return PAY_ACCESS_NONE;
	st = db_prepare(d, "SELECT 1 FROM programmes WHERE id = ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, programme_id);
	rc = db_step(st);
	db_done(st);
	if (rc == DB_DONE)
		return PAY_ACCESS_NONE;
	if (rc != DB_ROW)
		return rc < 0 ? rc : DB_ERR;
	if (role & ROLE_PROGRAMME_LEAD)
		return PAY_ACCESS_LEAD;
	if (!(role & ROLE_FACILITATOR))
		return PAY_ACCESS_NONE;
	st = db_prepare(d, "SELECT 1 FROM group_members m JOIN working_groups g ON g.id = "
	                   "m.group_id WHERE g.programme_id = ? AND m.account_id = ? AND "
	                   "m.left_on IS NULL AND m.role_in_group = 'facilitator'");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, account_id);
	rc = db_step(st);
	db_done(st);
	if (rc == DB_ROW)
		return PAY_ACCESS_FACILITATOR;
	return rc == DB_DONE ? PAY_ACCESS_NONE : rc;
}

/* --- Policy --------------------------------------------------------------------------- */

#define POLICY_SELECT                                                                              \
	"SELECT p.id, p.programme_id, p.version, p.starts_on, p.rate_kind, p.rate_pence, "         \
	"p.prep_max_minutes, p.prep_rate_pence, p.expenses_rules, a.display_name, "                \
	"p.created_at FROM payment_policies p LEFT JOIN accounts a ON a.id = p.created_by "

static int role_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct pay_role *r = item;
	r->id = db_col_int(st, 0);
	r->name = db_col_dup(st, 1, a);
	r->amount_pence = db_col_int(st, 2);
	return DB_OK;
}

static int policy_roles(db *d, arena *a, struct pay_policy *p)
{
	db_stmt *st = db_prepare(d, "SELECT id, name, amount_pence FROM payment_policy_roles "
	                            "WHERE policy_id = ? ORDER BY id");
	db_bind_int(st, 1, p->id);
	return db_collect(st, a, sizeof(*p->roles), role_row, NULL, &p->roles, &p->n_roles);
}

static int policy_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct pay_policy *p = item;
	memset(p, 0, sizeof(*p));
	p->id = db_col_int(st, 0);
	p->programme_id = db_col_int(st, 1);
	p->version = db_col_int(st, 2);
	p->starts_on = db_col_dup(st, 3, a);
	p->rate_kind = db_col_dup(st, 4, a);
	p->rate_pence = db_col_int(st, 5);
	p->prep_max_minutes = db_col_int(st, 6);
	p->prep_rate_pence = db_col_int(st, 7);
	p->expenses_rules = db_col_dup(st, 8, a);
	p->created_by_name = db_col_dup(st, 9, a);
	p->created_at = db_col_dup(st, 10, a);
	return DB_OK;
}

int pay_policy_list(db *d, arena *a, int64_t programme_id, struct pay_policy **out, size_t *n)
{
	int rc;
	db_stmt *st =
	    db_prepare(d, POLICY_SELECT "WHERE p.programme_id = ? ORDER BY p.version DESC");
	db_bind_int(st, 1, programme_id);
	if ((rc = db_collect(st, a, sizeof(**out), policy_row, NULL, out, n)) != DB_OK)
		return rc;
	for (size_t i = 0; i < *n; i++)
		if ((rc = policy_roles(d, a, &(*out)[i])) != DOMAIN_OK)
			return rc;
	return DOMAIN_OK;
}

/* The one policy ST (bound) selects, with its roles. */
static int policy_one(db *d, arena *a, db_stmt *st, struct pay_policy *out)
{
	int rc = db_one(st, a, policy_row, NULL, out);
	if (rc == DB_DONE)
		return DOMAIN_ENOTFOUND;
	if (rc != DB_OK)
		return rc;
	return policy_roles(d, a, out);
}

int pay_policy_in_force(db *d, arena *a, int64_t programme_id, const char *date_iso,
                        struct pay_policy *out)
{
	db_stmt *st = db_prepare(d, POLICY_SELECT "WHERE p.programme_id = ? AND p.starts_on <= ? "
	                                          "ORDER BY p.starts_on DESC LIMIT 1");
	db_bind_int(st, 1, programme_id);
	db_bind_text(st, 2, date_iso);
	return policy_one(d, a, st, out);
}

int pay_policy_get(db *d, arena *a, int64_t policy_id, struct pay_policy *out)
{
	int rc = record_get(d, a, POLICY_SELECT "WHERE p.id = ?", policy_id, policy_row, NULL, out);
	return rc ? rc : policy_roles(d, a, out);
}

/* The date ("YYYY-MM-DD", arena copy) of the latest session of PROGRAMME_ID that has a
 * claim, or "" when none has. */
static int latest_claimed_session(db *d, arena *a, int64_t programme_id, const char **day)
{
	int rc;
	db_stmt *st = db_prepare(d, "SELECT MAX(s.starts_at) FROM payment_claims c JOIN "
	                            "group_sessions s ON s.id = c.session_id WHERE "
	                            "c.programme_id = ?");
	*day = "";
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, programme_id);
	rc = db_step(st);
	if (rc == DB_ROW && !db_col_null(st, 0))
		*day = arena_strndup(a, db_col_text(st, 0), 10);
	db_done(st);
	if (!*day)
		return DB_ERR;
	return rc == DB_ROW ? DOMAIN_OK : rc < 0 ? rc : DB_ERR;
}

/* The latest version's number and start, or 0 and "" when there is none. */
static int policy_latest(db *d, arena *a, int64_t programme_id, int64_t *version,
                         const char **starts_on)
{
	int rc;
	db_stmt *st = db_prepare(d, "SELECT version, starts_on FROM payment_policies WHERE "
	                            "programme_id = ? ORDER BY version DESC LIMIT 1");
	*version = 0;
	*starts_on = "";
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, programme_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*version = db_col_int(st, 0);
		*starts_on = db_col_dup(st, 1, a);
	}
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? DOMAIN_OK : rc;
}

int pay_policy_add_tx(db *d, arena *a, const struct audit_actor *who,
                      const struct pay_policy_in *in, struct field_errors *fe, int64_t *id)
{
	int rc = DOMAIN_OK, step;
	struct date starts;
	char iso[11] = "", now[ISO_TIME_LEN];
	const char *latest_start, *claimed;
	int64_t latest, rate, prep_rate, prep_minutes = 0, amounts[PAY_ROLES_MAX], new_id;
	sv rules, names[PAY_ROLES_MAX];
	bool hourly = sv_eq_cstr(in->rate_kind, "hour");
	db_stmt *st;

	if ((rc = policy_latest(d, a, in->programme_id, &latest, &latest_start)) != DOMAIN_OK)
		return rc;
	if ((rc = latest_claimed_session(d, a, in->programme_id, &claimed)) != DOMAIN_OK)
		return rc;
	if (date_from_fields(in->day, in->month, in->year, &starts) != 0) {
		field_error_add(fe, "starts", "The start date must be a real date, like 7 12 2021");
		rc = DOMAIN_EINVALID;
	} else {
		pay_date_iso(starts, iso);
		if (latest && strcmp(iso, latest_start) <= 0) {
			field_error_add(fe, "starts",
			                "A new version must start after the current one, which "
			                "started on the date shown in the list of versions");
			rc = DOMAIN_EINVALID;
		} else if (*claimed && strcmp(iso, claimed) <= 0) {
			/* A back-dated version would reprice sessions people have already
			 * claimed for: it starts after the last of them instead. */
			struct date last;
			sbuf msg;
			sbuf_init(&msg, a, 300);
			sbuf_adds(&msg, "Claims have already been made for sessions up to ");
			if (date_parse(sv_from(claimed), &last) == 0)
				date_human(&msg, last);
			sbuf_adds(&msg, ". A new version must start after that date, so those "
			                "claims keep the rates they were made under");
			field_error_add(fe, "starts", msg.buf);
			rc = DOMAIN_EINVALID;
		}
	}
	if (!hourly && !sv_eq_cstr(in->rate_kind, "session")) {
		field_error_add(fe, "rate_kind",
		                "Select whether the rate is per hour or per session");
		rc = DOMAIN_EINVALID;
	}
	if (!sv_trim(in->rate).len) {
		field_error_add(fe, "rate", "Enter the rate, like 15.00");
		rc = DOMAIN_EINVALID;
	}
	rate = pay_amount(in->rate, "rate", "The rate must be an amount in pounds, like 15.00", fe,
	                  &rc);
	if (sv_trim(in->prep_hours).len && pay_hours_parse(in->prep_hours, &prep_minutes) != 0) {
		field_error_add(fe, "prep_hours",
		                "Preparation time must be a number of hours, like 1 or 1.5");
		rc = DOMAIN_EINVALID;
	}
	prep_rate =
	    pay_amount(in->prep_rate, "prep_rate",
	               "The preparation rate must be an amount in pounds, like 15.00", fe, &rc);
	if (prep_minutes > 0 && prep_rate == 0 && rc == DOMAIN_OK) {
		field_error_add(fe, "prep_rate", "Enter the hourly rate for preparation time");
		rc = DOMAIN_EINVALID;
	}
	rules = pay_text(in->expenses_rules, PAY_TEXT_MAX, "expenses_rules", NULL,
	                 "What expenses are paid must be 2000 characters or fewer", fe, &rc);
	for (int i = 0; i < PAY_ROLES_MAX; i++) {
		static const char *const name_fields[PAY_ROLES_MAX] = {
		    "role_name_1", "role_name_2", "role_name_3",
		    "role_name_4", "role_name_5", "role_name_6"};
		static const char *const amount_fields[PAY_ROLES_MAX] = {
		    "role_amount_1", "role_amount_2", "role_amount_3",
		    "role_amount_4", "role_amount_5", "role_amount_6"};
		sv amount = sv_trim(in->role_amount[i]);
		names[i] = sv_trim(in->role_name[i]);
		amounts[i] = -1;
		if (!names[i].len && !amount.len)
			continue;
		if (!names[i].len) {
			field_error_add(fe, name_fields[i], "Enter the name of the extra role");
			rc = DOMAIN_EINVALID;
		} else if (names[i].len > 100) {
			field_error_add(fe, name_fields[i],
			                "The name of the role must be 100 characters or fewer");
			rc = DOMAIN_EINVALID;
		}
		if (!amount.len) {
			field_error_add(fe, amount_fields[i], "Enter what the extra role is paid");
			rc = DOMAIN_EINVALID;
		} else {
			amounts[i] =
			    pay_amount(amount, amount_fields[i],
			               "The amount must be in pounds, like 25.00", fe, &rc);
		}
	}
	if (rc != DOMAIN_OK)
		return rc;

	db_now_iso(now, 0);
	st =
	    db_prepare(d, "INSERT INTO payment_policies (programme_id, version, starts_on, "
	                  "rate_kind, rate_pence, prep_max_minutes, prep_rate_pence, "
	                  "expenses_rules, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
	                  "?, ?)");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, in->programme_id);
	db_bind_int(st, 2, latest + 1);
	db_bind_text(st, 3, iso);
	db_bind_text(st, 4, hourly ? "hour" : "session");
	db_bind_int(st, 5, rate);
	db_bind_int(st, 6, prep_minutes);
	db_bind_int(st, 7, prep_minutes ? prep_rate : 0);
	db_bind_sv(st, 8, rules);
	if (who->account_id)
		db_bind_int(st, 9, who->account_id);
	else
		db_bind_null(st, 9);
	db_bind_text(st, 10, now);
	if ((step = pay_step_done(st)) != DOMAIN_OK)
		return step;
	new_id = db_last_insert_id(d);
	for (int i = 0; i < PAY_ROLES_MAX; i++) {
		if (amounts[i] < 0)
			continue;
		st = db_prepare(d, "INSERT INTO payment_policy_roles (policy_id, name, "
		                   "amount_pence) VALUES (?, ?, ?)");
		if (!st)
			return DB_ERR;
		db_bind_int(st, 1, new_id);
		db_bind_sv(st, 2, names[i]);
		db_bind_int(st, 3, amounts[i]);
		if ((step = pay_step_done(st)) == DB_ECONSTRAINT) {
			field_error_add(fe, "role_name_1", "Give each extra role a different name");
			return DOMAIN_EINVALID;
		}
		if (step != DOMAIN_OK)
			return step;
	}
	if ((rc = pay_audit(d, a, who, "payment_policy", new_id, "add", "starts_on", sv_from(iso),
	                    "rate_pence", rate)) != DB_OK)
		return rc;
	if (id)
		*id = new_id;
	return DOMAIN_OK;
}

int pay_policy_add(db *d, arena *a, const struct audit_actor *who, const struct pay_policy_in *in,
                   struct field_errors *fe, int64_t *id)
{
	IN_TRANSACTION(d, pay_policy_add_tx(d, a, who, in, fe, id));
}

/* --- Choices -------------------------------------------------------------------------- */

static const struct {
	const char *slug, *label;
} methods[] = {
    {"bank-transfer", "Bank transfer"},
    {"voucher", "Voucher"},
    {"cash", "Cash"},
    {"charity", "Paid to a charity"},
    {"decline", "Not paid (declined)"},
};

const char *pay_method_label(const char *method)
{
	for (size_t i = 0; method && i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strcmp(method, methods[i].slug) == 0)
			return methods[i].label;
	return "";
}

bool pay_method_valid(sv method)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (sv_eq_cstr(method, methods[i].slug))
			return true;
	return false;
}

int pay_choice_record_tx(db *d, arena *a, const struct audit_actor *who, int64_t account_id,
                         sv method, sv charity_name, struct field_errors *fe)
{
	int rc = DOMAIN_OK;
	char now[ISO_TIME_LEN];
	sv charity = SV("");
	db_stmt *st;

	if (!pay_method_valid(method)) {
		field_error_add(fe, "method", "Select how you would like to be paid");
		rc = DOMAIN_EINVALID;
	} else if (sv_eq_cstr(method, "charity")) {
		charity =
		    pay_text(charity_name, 200, "charity_name", "Enter the name of the charity",
		             "The charity's name must be 200 characters or fewer", fe, &rc);
	}
	if (rc != DOMAIN_OK)
		return rc;
	db_now_iso(now, 0);
	st = db_prepare(d, "INSERT INTO payment_choices (account_id, method, charity_name, "
	                   "chosen_at, recorded_by, notice_version) VALUES (?, ?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, account_id);
	db_bind_sv(st, 2, method);
	db_bind_sv(st, 3, charity);
	db_bind_text(st, 4, now);
	if (who->account_id)
		db_bind_int(st, 5, who->account_id);
	else
		db_bind_null(st, 5);
	db_bind_int(st, 6, PAY_NOTICE_VERSION);
	if ((rc = pay_step_done(st)) != DOMAIN_OK)
		return rc == DB_ECONSTRAINT ? DOMAIN_ENOTFOUND : rc;
	return pay_audit(d, a, who, "payment_choice", account_id, "choose", "method", method,
	                 "notice_version", PAY_NOTICE_VERSION);
}

int pay_choice_record(db *d, arena *a, const struct audit_actor *who, int64_t account_id, sv method,
                      sv charity_name, struct field_errors *fe)
{
	IN_TRANSACTION(d, pay_choice_record_tx(d, a, who, account_id, method, charity_name, fe));
}

int pay_programme_person(db *d, arena *a, int64_t programme_id, int64_t account_id, char **name)
{
	int rc;
	db_stmt *st =
	    db_prepare(d, "SELECT a.display_name FROM accounts a WHERE a.id = ? AND "
	                  "a.role = 'local_person' AND EXISTS (SELECT 1 FROM group_members "
	                  "m JOIN working_groups g ON g.id = m.group_id WHERE m.account_id "
	                  "= a.id AND g.programme_id = ?)");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, account_id);
	db_bind_int(st, 2, programme_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		*name = db_col_dup(st, 0, a);
	db_done(st);
	if (rc == DB_DONE)
		return DOMAIN_ENOTFOUND;
	return rc == DB_ROW ? DOMAIN_OK : rc;
}

static int person_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct pay_person *p = item;
	p->account_id = db_col_int(st, 0);
	p->name = db_col_dup(st, 1, a);
	p->method = arena_strdup(a, db_col_text(st, 2));
	p->charity_name = arena_strdup(a, db_col_text(st, 3));
	p->chosen_at = db_col_dup(st, 4, a);
	return DB_OK;
}

int pay_programme_people(db *d, arena *a, int64_t programme_id, struct pay_person **out, size_t *n)
{
	/* The latest choice is the one with the highest id for the person. */
	db_stmt *st = db_prepare(
	    d, "SELECT a.id, a.display_name, c.method, c.charity_name, c.chosen_at FROM accounts a "
	       "LEFT JOIN payment_choices c ON c.account_id = a.id AND c.id = (SELECT MAX(c2.id) "
	       "FROM payment_choices c2 WHERE c2.account_id = a.id) WHERE a.role = "
	       "'local_person' AND a.id IN (SELECT m.account_id FROM group_members m JOIN "
	       "working_groups g ON g.id = m.group_id WHERE g.programme_id = ?) ORDER BY "
	       "a.display_name, a.id LIMIT 500");
	db_bind_int(st, 1, programme_id);
	return db_collect(st, a, sizeof(**out), person_row, NULL, out, n);
}

/* CTX is the account's id. */
static int choice_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct pay_choice *c = item;
	memset(c, 0, sizeof(*c));
	c->id = db_col_int(st, 0);
	c->account_id = *(const int64_t *)ctx;
	c->method = db_col_dup(st, 1, a);
	c->charity_name = db_col_dup(st, 2, a);
	c->chosen_at = db_col_dup(st, 3, a);
	c->recorded_by = db_col_int(st, 4);
	c->recorded_by_name = db_col_dup(st, 5, a);
	c->notice_version = db_col_int(st, 6);
	return DB_OK;
}

int pay_choice_current(db *d, arena *a, int64_t account_id, struct pay_choice *out)
{
	return record_get(d, a,
	                  "SELECT c.id, c.method, c.charity_name, c.chosen_at, c.recorded_by, "
	                  "a.display_name, c.notice_version FROM payment_choices c LEFT JOIN "
	                  "accounts a ON a.id = c.recorded_by WHERE c.account_id = ? ORDER BY "
	                  "c.id DESC LIMIT 1",
	                  account_id, choice_row, &account_id, out);
}

/* --- Batches -------------------------------------------------------------------------- */

int pay_batch_create_tx(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
                        int64_t *id)
{
	char now[ISO_TIME_LEN];
	int64_t new_id;
	int rc, changed;
	db_stmt *st;

	db_now_iso(now, 0);
	st = db_prepare(d, "INSERT INTO payment_batches (programme_id, created_by, created_at) "
	                   "VALUES (?, ?, ?)");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, programme_id);
	if (who->account_id)
		db_bind_int(st, 2, who->account_id);
	else
		db_bind_null(st, 2);
	db_bind_text(st, 3, now);
	if ((rc = pay_step_done(st)) != DOMAIN_OK)
		return rc == DB_ECONSTRAINT ? DOMAIN_ENOTFOUND : rc;
	new_id = db_last_insert_id(d);
	st = db_prepare(d, "UPDATE payment_claims SET status = 'batched', batch_id = ?, "
	                   "updated_at = ? WHERE programme_id = ? AND status = 'approved'");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, new_id);
	db_bind_text(st, 2, now);
	db_bind_int(st, 3, programme_id);
	if ((rc = pay_step_done(st)) != DOMAIN_OK)
		return rc;
	changed = db_changes(d);
	if (changed == 0)
		return DOMAIN_ECONFLICT;
	if ((rc = pay_audit(d, a, who, "payment_batch", new_id, "create", NULL, SV_NULL, "claims",
	                    changed)) != DB_OK)
		return rc;
	if (id)
		*id = new_id;
	return DOMAIN_OK;
}

int pay_batch_create(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
                     int64_t *id)
{
	IN_TRANSACTION(d, pay_batch_create_tx(d, a, who, programme_id, id));
}

#define BATCH_SELECT                                                                               \
	"SELECT b.id, b.programme_id, p.slug, p.name, cb.display_name, b.created_at, "             \
	"b.paid_on, pb.display_name, "                                                             \
	"(SELECT COUNT(*) FROM payment_claims c WHERE c.batch_id = b.id), "                        \
	"(SELECT COALESCE(SUM(i.amount_pence), 0) FROM payment_claims c JOIN "                     \
	"payment_claim_items i ON i.claim_id = c.id WHERE c.batch_id = b.id AND i.kind <> "        \
	"'expense'), "                                                                             \
	"(SELECT COALESCE(SUM(i.amount_pence), 0) FROM payment_claims c JOIN "                     \
	"payment_claim_items i ON i.claim_id = c.id WHERE c.batch_id = b.id AND i.kind = "         \
	"'expense') "                                                                              \
	", b.exported_at, eb.display_name "                                                        \
	"FROM payment_batches b JOIN programmes p ON p.id = b.programme_id LEFT JOIN accounts "    \
	"cb ON cb.id = b.created_by LEFT JOIN accounts pb ON pb.id = b.paid_by LEFT JOIN "         \
	"accounts eb ON eb.id = b.exported_by "

static int batch_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct pay_batch *b = item;
	memset(b, 0, sizeof(*b));
	b->id = db_col_int(st, 0);
	b->programme_id = db_col_int(st, 1);
	b->programme_slug = db_col_dup(st, 2, a);
	b->programme_name = db_col_dup(st, 3, a);
	b->created_by_name = db_col_dup(st, 4, a);
	b->created_at = db_col_dup(st, 5, a);
	b->paid_on = db_col_dup(st, 6, a);
	b->paid_by_name = db_col_dup(st, 7, a);
	b->n_claims = db_col_int(st, 8);
	b->payment_pence = db_col_int(st, 9);
	b->expenses_pence = db_col_int(st, 10);
	b->exported_at = db_col_dup(st, 11, a);
	b->exported_by_name = db_col_dup(st, 12, a);
	return DB_OK;
}

static int batch_exported_tx(db *d, arena *a, const struct audit_actor *who, int64_t batch_id,
                             const char *format)
{
	char now[ISO_TIME_LEN];
	int rc;
	db_stmt *st = db_prepare(d, "UPDATE payment_batches SET exported_at = ?, exported_by = ? "
	                            "WHERE id = ? AND exported_at IS NULL");
	if (!st)
		return DB_ERR;
	db_now_iso(now, 0);
	db_bind_text(st, 1, now);
	if (who->account_id)
		db_bind_int(st, 2, who->account_id);
	else
		db_bind_null(st, 2);
	db_bind_int(st, 3, batch_id);
	if ((rc = pay_step_done(st)) != DOMAIN_OK)
		return rc;
	return pay_audit(d, a, who, "payment_batch", batch_id, "export", "format", sv_from(format),
	                 NULL, 0);
}

int pay_batch_exported(db *d, arena *a, const struct audit_actor *who, int64_t batch_id,
                       const char *format)
{
	struct pay_batch b;
	int rc = pay_batch_get(d, a, batch_id, &b);
	if (rc != DOMAIN_OK)
		return rc;
	IN_TRANSACTION(d, batch_exported_tx(d, a, who, batch_id, format));
}

int pay_batch_get(db *d, arena *a, int64_t batch_id, struct pay_batch *out)
{
	return record_get(d, a, BATCH_SELECT "WHERE b.id = ?", batch_id, batch_row, NULL, out);
}

int pay_batches_list(db *d, arena *a, int64_t programme_id, struct pay_batch **out, size_t *n)
{
	db_stmt *st = db_prepare(d, BATCH_SELECT "WHERE b.programme_id = ? ORDER BY b.id DESC "
	                                         "LIMIT 500");
	db_bind_int(st, 1, programme_id);
	return db_collect(st, a, sizeof(**out), batch_row, NULL, out, n);
}

/* Records AMOUNT of the batch as spend on the programme's line of KIND, if it has one. */
static int book_spend(db *d, arena *a, const struct audit_actor *who, const struct pay_batch *b,
                      const char *kind, int64_t amount, const char *paid_on, sv over_reason,
                      struct field_errors *fe)
{
	int64_t line_id;
	char *cost_code = NULL;
	const char *reason = NULL;
	int rc;

	if (amount <= 0)
		return DOMAIN_OK;
	rc = budget_line_find(d, b->programme_id, kind, &line_id, &cost_code, a);
	if (rc == DOMAIN_ENOTFOUND)
		return DOMAIN_OK;
	if (rc != DOMAIN_OK)
		return rc;
	over_reason = sv_trim(over_reason);
	if (over_reason.len)
		reason = sv_dup(a, over_reason);
	rc = budget_spend_record_tx(
	    d, a, who, line_id, paid_on, amount, BUDGET_PAYMENTS_SUPPLIER,
	    arena_printf(a, BUDGET_BATCH_REF_PREFIX "%" PRId64, b->id),
	    strcmp(kind, "expenses") == 0 ? "Participants' expenses" : "Participant payments",
	    reason, NULL);
	if (rc == DOMAIN_ECONFLICT) {
		field_error_add(fe, "over_reason",
		                "This takes the budget line over its budget. Say why it is "
		                "approved");
		return DOMAIN_EINVALID;
	}
	return rc;
}

/* Refuses (field "paid_on") a date paid before the batch was made or before the last of
 * its sessions: money cannot be paid for a batch that did not yet exist. */
static int paid_after_batch(db *d, arena *a, const struct pay_batch *b, const char *paid_on,
                            struct field_errors *fe)
{
	const char *made = b->created_at ? b->created_at : "";
	const char *last = "";
	struct date day;
	sbuf msg;
	int rc;
	db_stmt *st = db_prepare(d, "SELECT MAX(s.starts_at) FROM payment_claims c JOIN "
	                            "group_sessions s ON s.id = c.session_id WHERE c.batch_id = ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, b->id);
	rc = db_step(st);
	if (rc == DB_ROW && !db_col_null(st, 0))
		last = arena_strndup(a, db_col_text(st, 0), 10);
	db_done(st);
	if (rc != DB_ROW || !last)
		return rc < 0 ? rc : DB_ERR;
	if (strncmp(paid_on, made, 10) >= 0 && strcmp(paid_on, last) >= 0)
		return DOMAIN_OK;
	sbuf_init(&msg, a, 300);
	if (strncmp(paid_on, made, 10) < 0) {
		sbuf_adds(&msg, "The date paid cannot be before the batch was made, on ");
		if (date_parse((sv){made, strlen(made) < 10 ? strlen(made) : 10}, &day) == 0)
			date_human(&msg, day);
	} else {
		sbuf_adds(&msg, "The date paid cannot be before the batch's last session, on ");
		if (date_parse(sv_from(last), &day) == 0)
			date_human(&msg, day);
	}
	field_error_add(fe, "paid_on", msg.buf);
	return DOMAIN_EINVALID;
}

int pay_batch_mark_paid_tx(db *d, arena *a, const struct audit_actor *who, int64_t batch_id,
                           const char *paid_on, sv over_reason, struct field_errors *fe)
{
	struct pay_batch b;
	char now[ISO_TIME_LEN];
	db_stmt *st;
	int rc = pay_batch_get(d, a, batch_id, &b);

	if (rc != DOMAIN_OK)
		return rc;
	if (b.paid_on)
		return DOMAIN_ECONFLICT;
	if ((rc = paid_after_batch(d, a, &b, paid_on, fe)) != DOMAIN_OK)
		return rc;
	if (sv_trim(over_reason).len > PAY_TEXT_MAX) {
		field_error_add(fe, "over_reason", "The reason must be 2000 characters or fewer");
		return DOMAIN_EINVALID;
	}
	db_now_iso(now, 0);
	st = db_prepare(d, "UPDATE payment_batches SET paid_on = ?, paid_at = ?, paid_by = ? "
	                   "WHERE id = ? AND paid_on IS NULL");
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, paid_on);
	db_bind_text(st, 2, now);
	if (who->account_id)
		db_bind_int(st, 3, who->account_id);
	else
		db_bind_null(st, 3);
	db_bind_int(st, 4, batch_id);
	if ((rc = pay_step_done(st)) != DOMAIN_OK)
		return rc;
	st = db_prepare(d, "UPDATE payment_claims SET status = 'paid', updated_at = ? WHERE "
	                   "batch_id = ? AND status = 'batched'");
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, now);
	db_bind_int(st, 2, batch_id);
	if ((rc = pay_step_done(st)) != DOMAIN_OK)
		return rc;
	if ((rc = book_spend(d, a, who, &b, "participant-payments", b.payment_pence, paid_on,
	                     over_reason, fe)) != DOMAIN_OK)
		return rc;
	if ((rc = book_spend(d, a, who, &b, "expenses", b.expenses_pence, paid_on, over_reason,
	                     fe)) != DOMAIN_OK)
		return rc;
	return pay_audit(d, a, who, "payment_batch", batch_id, "paid", "paid_on", sv_from(paid_on),
	                 "total_pence", b.payment_pence + b.expenses_pence);
}

int pay_batch_mark_paid(db *d, arena *a, const struct audit_actor *who, int64_t batch_id, sv day,
                        sv month, sv year, sv over_reason, struct field_errors *fe)
{
	struct date on;
	char today[11], paid[11];

	pay_date_iso(date_today(), today);
	if (date_from_fields(day, month, year, &on) != 0) {
		field_error_add(fe, "paid_on",
		                "The date paid must be a real date, like 30 11 2022");
		return DOMAIN_EINVALID;
	}
	pay_date_iso(on, paid);
	if (strcmp(paid, today) > 0) {
		field_error_add(fe, "paid_on", "The date paid must be today or in the past");
		return DOMAIN_EINVALID;
	}
	IN_TRANSACTION(d, pay_batch_mark_paid_tx(d, a, who, batch_id, paid, over_reason, fe));
}

/* --- Totals and the picture ------------------------------------------------------------ */

static const char *const status_slugs[PAY_STATUS_COUNT] = {
    "draft", "submitted", "returned", "approved", "batched", "paid", "reversed"};
static const char *const status_labels[PAY_STATUS_COUNT] = {
    "Draft",   "Waiting for approval", "Returned", "Approved", "In a batch for finance", "Paid",
    "Reversed"};

const char *pay_status_slug(enum pay_status s)
{
	return s >= 0 && s < PAY_STATUS_COUNT ? status_slugs[s] : "";
}

int pay_status_parse(const char *s)
{
	for (int i = 0; s && i < PAY_STATUS_COUNT; i++)
		if (strcmp(s, status_slugs[i]) == 0)
			return i;
	return -1;
}

const char *pay_status_label(const char *status)
{
	int i = pay_status_parse(status);
	return i < 0 ? "" : status_labels[i];
}

int payments_totals(db *d, arena *a, int64_t programme_id, const char *from_iso, const char *to_iso,
                    struct payments_totals *out)
{
	db_stmt *st;
	int rc;
	char *to_time = arena_printf(a, "%sT99", to_iso);

	memset(out, 0, sizeof(*out));
	if (!to_time)
		return DB_ERR;
	st = db_prepare(d, "SELECT COALESCE(SUM(CASE WHEN i.kind <> 'expense' THEN "
	                   "i.amount_pence ELSE 0 END), 0), COALESCE(SUM(CASE WHEN i.kind = "
	                   "'expense' THEN i.amount_pence ELSE 0 END), 0) FROM payment_claims c "
	                   "JOIN payment_batches b ON b.id = c.batch_id JOIN payment_claim_items i "
	                   "ON i.claim_id = c.id WHERE c.status IN ('paid', 'reversed') AND "
	                   "b.paid_on >= ? AND b.paid_on <= ? AND (? = 0 OR c.programme_id = ?)");
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, from_iso);
	db_bind_text(st, 2, to_iso);
	db_bind_int(st, 3, programme_id);
	db_bind_int(st, 4, programme_id);
	if ((rc = db_step(st)) == DB_ROW) {
		out->paid_pence = db_col_int(st, 0);
		out->expenses_pence = db_col_int(st, 1);
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc < 0 ? rc : DB_ERR;
	st = db_prepare(d, "SELECT COALESCE(SUM(r.payment_pence), 0), "
	                   "COALESCE(SUM(r.expenses_pence), 0) FROM payment_reversals r JOIN "
	                   "payment_claims c ON c.id = r.claim_id WHERE r.reversed_on >= ? AND "
	                   "r.reversed_on <= ? AND (? = 0 OR c.programme_id = ?)");
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, from_iso);
	db_bind_text(st, 2, to_iso);
	db_bind_int(st, 3, programme_id);
	db_bind_int(st, 4, programme_id);
	if ((rc = db_step(st)) == DB_ROW) {
		out->paid_pence += db_col_int(st, 0);
		out->expenses_pence += db_col_int(st, 1);
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc < 0 ? rc : DB_ERR;
	st = db_prepare(d, "SELECT COUNT(DISTINCT c.account_id) FROM payment_claims c JOIN "
	                   "payment_batches b ON b.id = c.batch_id WHERE c.status = 'paid' AND "
	                   "b.paid_on >= ? AND b.paid_on <= ? AND (? = 0 OR c.programme_id = ?)");
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, from_iso);
	db_bind_text(st, 2, to_iso);
	db_bind_int(st, 3, programme_id);
	db_bind_int(st, 4, programme_id);
	if ((rc = db_step(st)) == DB_ROW)
		out->people_paid = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return rc < 0 ? rc : DB_ERR;
	st = db_prepare(d, "SELECT c.status, COUNT(*) FROM payment_claims c JOIN group_sessions "
	                   "s ON s.id = c.session_id WHERE s.starts_at >= ? AND s.starts_at <= ? "
	                   "AND (? = 0 OR c.programme_id = ?) GROUP BY c.status");
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, from_iso);
	db_bind_text(st, 2, to_time);
	db_bind_int(st, 3, programme_id);
	db_bind_int(st, 4, programme_id);
	while ((rc = db_step(st)) == DB_ROW) {
		int s = pay_status_parse(db_col_text(st, 0));
		if (s >= 0)
			out->claims_by_status[s] = db_col_int(st, 1);
	}
	db_done(st);
	return rc == DB_DONE ? DOMAIN_OK : rc;
}

/* Month index (year * 12 + month - 1) of "YYYY-MM..."; -1 if malformed. */
static int64_t month_index(const char *iso)
{
	struct date dt;
	if (!iso || strlen(iso) < 10 || date_parse((sv){iso, 10}, &dt) != 0)
		return -1;
	return (int64_t)dt.y * 12 + dt.m - 1;
}

struct month_amount {
	int64_t month, pence;
};

static int month_rows(db_stmt *st, arena *a, struct month_amount **rows, size_t *n, size_t *cap)
{
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t m = month_index(db_col_text(st, 0));
		if (m < 0)
			continue;
		if (!(*rows = arena_grow(a, *rows, *n, cap, sizeof(**rows)))) {
			db_done(st);
			return DB_ERR;
		}
		(*rows)[*n].month = m;
		(*rows)[(*n)++].pence = db_col_int(st, 1);
	}
	db_done(st);
	return rc == DB_DONE ? DOMAIN_OK : rc;
}

int pay_monthly(db *d, arena *a, int64_t programme_id, char ***months, int64_t **pence, size_t *n,
                bool *earlier)
{
	struct month_amount *rows = NULL;
	size_t nrows = 0, cap = 0, count;
	int64_t first = INT64_MAX, last = -1;
	int rc;
	db_stmt *st;

	*months = NULL;
	*pence = NULL;
	*n = 0;
	if (earlier)
		*earlier = false;
	st = db_prepare(d, "SELECT b.paid_on, SUM(i.amount_pence) FROM payment_batches b JOIN "
	                   "payment_claims c ON c.batch_id = b.id JOIN payment_claim_items i ON "
	                   "i.claim_id = c.id WHERE b.programme_id = ? AND b.paid_on IS NOT NULL "
	                   "AND c.status IN ('paid', 'reversed') GROUP BY b.paid_on");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, programme_id);
	if ((rc = month_rows(st, a, &rows, &nrows, &cap)) != DOMAIN_OK)
		return rc;
	st = db_prepare(d, "SELECT r.reversed_on, SUM(r.payment_pence + r.expenses_pence) FROM "
	                   "payment_reversals r JOIN payment_claims c ON c.id = r.claim_id WHERE "
	                   "c.programme_id = ? GROUP BY r.reversed_on");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, programme_id);
	if ((rc = month_rows(st, a, &rows, &nrows, &cap)) != DOMAIN_OK)
		return rc;
	for (size_t i = 0; i < nrows; i++) {
		if (rows[i].month < first)
			first = rows[i].month;
		if (rows[i].month > last)
			last = rows[i].month;
	}
	if (last < 0)
		return DOMAIN_OK;
	if (last - first + 1 > PAY_MONTHS_MAX) {
		first = last - PAY_MONTHS_MAX + 1;
		if (earlier)
			*earlier = true;
	}
	count = (size_t)(last - first + 1);
	*months = arena_calloc(a, count, sizeof(**months));
	*pence = arena_calloc(a, count, sizeof(**pence));
	if (!*months || !*pence)
		return DB_ERR;
	for (size_t i = 0; i < count; i++) {
		int64_t m = first + (int64_t)i;
		(*months)[i] = arena_printf(a, "%04" PRId64 "-%02" PRId64, m / 12, m % 12 + 1);
		if (!(*months)[i])
			return DB_ERR;
	}
	for (size_t i = 0; i < nrows; i++)
		if (rows[i].month >= first)
			(*pence)[rows[i].month - first] += rows[i].pence;
	*n = count;
	return DOMAIN_OK;
}

int pay_year_of(db *d, int64_t account_id, const char *today_iso, struct pay_year *out)
{
	struct date today;
	char from[11], to[11];
	int64_t week_start = -1, week_sum = 0;
	db_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (date_parse(sv_from(today_iso), &today) != 0)
		return DOMAIN_EINVALID;
	pay_tax_year(today, &out->start, &out->end);
	pay_date_iso(out->start, from);
	pay_date_iso(out->end, to);
	/* Payments by the date finance paid them, each claim's session week kept in order so
	 * the largest week can be found. A claim later reversed counts here as paid, and its
	 * reversal in the tax year of the reversal, as the Board's totals count them; the
	 * weeks count only what was kept. */
	st = db_prepare(d, "SELECT s.starts_at, COALESCE(SUM(CASE WHEN i.kind <> 'expense' THEN "
	                   "i.amount_pence ELSE 0 END), 0), COALESCE(SUM(CASE WHEN i.kind = "
	                   "'expense' THEN i.amount_pence ELSE 0 END), 0), c.status FROM "
	                   "payment_claims c JOIN payment_batches b ON b.id = c.batch_id JOIN "
	                   "group_sessions s ON s.id = c.session_id JOIN payment_claim_items i ON "
	                   "i.claim_id = c.id WHERE c.account_id = ? AND c.status IN ('paid', "
	                   "'reversed') AND b.paid_on >= ? AND b.paid_on <= ? GROUP BY c.id, "
	                   "s.starts_at, c.status ORDER BY s.starts_at");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, account_id);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	while ((rc = db_step(st)) == DB_ROW) {
		struct date sd;
		const char *at = db_col_text(st, 0);
		int64_t pay = db_col_int(st, 1), days, monday;
		out->payment_pence += pay;
		out->expenses_pence += db_col_int(st, 2);
		if (!sv_eq_cstr(db_col_sv(st, 3), "paid") || strlen(at) < 10 ||
		    date_parse((sv){at, 10}, &sd) != 0)
			continue;
		days = date_to_days(sd);
		monday = days - date_weekday(sd);
		if (monday != week_start) {
			week_start = monday;
			week_sum = 0;
		}
		week_sum += pay;
		if (week_sum > out->max_week_pence)
			out->max_week_pence = week_sum;
	}
	db_done(st);
	if (rc != DB_DONE)
		return rc;
	st = db_prepare(d, "SELECT COALESCE(SUM(r.payment_pence), 0), "
	                   "COALESCE(SUM(r.expenses_pence), 0) FROM payment_reversals r JOIN "
	                   "payment_claims c ON c.id = r.claim_id WHERE c.account_id = ? AND "
	                   "r.reversed_on >= ? AND r.reversed_on <= ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, account_id);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	if ((rc = db_step(st)) == DB_ROW) {
		out->payment_pence += db_col_int(st, 0);
		out->expenses_pence += db_col_int(st, 1);
	}
	db_done(st);
	return rc == DB_ROW ? DOMAIN_OK : rc < 0 ? rc : DB_ERR;
}
