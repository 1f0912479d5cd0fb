/* equality.c: equality monitoring kept apart from identity; see equality.h. */
#include "domain/equality.h"

#include <string.h>

#include "core/json.h"
#include "core/str.h"
#include "domain/sessions.h"

/* --- The categories ---------------------------------------------------------------- */

static const struct equality_value age_values[] = {
    {"under_16", "Under 16", NULL}, {"16_24", "16 to 24", NULL}, {"25_34", "25 to 34", NULL},
    {"35_49", "35 to 49", NULL},   {"50_64", "50 to 64", NULL}, {"65_plus", "65 or over", NULL},
};
static const struct equality_value sex_values[] = {
    {"female", "Female", NULL},
    {"male", "Male", NULL},
};
static const struct equality_value gender_values[] = {
    {"same", "Yes, the same as my sex registered at birth", NULL},
    {"different", "No, different from my sex registered at birth", NULL},
};
static const struct equality_value orientation_values[] = {
    {"straight", "Straight or heterosexual", NULL},
    {"gay_lesbian", "Gay or lesbian", NULL},
    {"bisexual", "Bisexual", NULL},
    {"other", "Another sexual orientation", NULL},
};
/* Census 2021: 19 categories in 5 groups, in the order of the Census form. */
static const struct equality_value ethnicity_values[] = {
    {"indian", "Indian", "asian"},
    {"pakistani", "Pakistani", "asian"},
    {"bangladeshi", "Bangladeshi", "asian"},
    {"chinese", "Chinese", "asian"},
    {"other_asian", "Any other Asian background", "asian"},
    {"caribbean", "Caribbean", "black"},
    {"african", "African", "black"},
    {"other_black", "Any other Black, Black British or Caribbean background", "black"},
    {"white_black_caribbean", "White and Black Caribbean", "mixed"},
    {"white_black_african", "White and Black African", "mixed"},
    {"white_asian", "White and Asian", "mixed"},
    {"other_mixed", "Any other Mixed or Multiple ethnic background", "mixed"},
    {"white_british", "English, Welsh, Scottish, Northern Irish or British", "white"},
    {"irish", "Irish", "white"},
    {"gypsy_traveller", "Gypsy or Irish Traveller", "white"},
    {"roma", "Roma", "white"},
    {"other_white", "Any other White background", "white"},
    {"arab", "Arab", "other"},
    {"other_ethnic", "Any other ethnic group", "other"},
};
static const struct equality_value ethnic_group_values[] = {
    {"asian", "Asian, Asian British or Asian Welsh", NULL},
    {"black", "Black, Black British, Black Welsh, Caribbean or African", NULL},
    {"mixed", "Mixed or Multiple ethnic groups", NULL},
    {"white", "White", NULL},
    {"other", "Other ethnic group", NULL},
};
static const struct equality_value disability_values[] = {
    {"disabled_a_lot", "Disabled: day-to-day activities limited a lot", NULL},
    {"disabled_a_little", "Disabled: day-to-day activities limited a little", NULL},
    {"not_disabled_condition", "Not disabled: a long-term condition that does not limit "
                               "day-to-day activities", NULL},
    {"not_disabled", "Not disabled: no long-term condition", NULL},
};
static const struct equality_value religion_values[] = {
    {"no_religion", "No religion", NULL}, {"christian", "Christian", NULL},
    {"buddhist", "Buddhist", NULL},       {"hindu", "Hindu", NULL},
    {"jewish", "Jewish", NULL},           {"muslim", "Muslim", NULL},
    {"sikh", "Sikh", NULL},               {"other", "Any other religion", NULL},
};
static const struct equality_value yes_no_values[] = {
    {"yes", "Yes", NULL},
    {"no", "No", NULL},
};
static const struct equality_value decile_values[] = {
    {"1", "1 (the most deprived 10% of areas)", NULL},
    {"2", "2", NULL},
    {"3", "3", NULL},
    {"4", "4", NULL},
    {"5", "5", NULL},
    {"6", "6", NULL},
    {"7", "7", NULL},
    {"8", "8", NULL},
    {"9", "9", NULL},
    {"10", "10 (the least deprived 10% of areas)", NULL},
};

#define VALUES(v) (sizeof(v) / sizeof((v)[0])), (v)

static const struct equality_category categories[] = {
    {"age_band", "Age", "How old are you?", VALUES(age_values), false},
    {"sex", "Sex", "What is your sex?", VALUES(sex_values), false},
    {"gender_identity", "Gender identity",
     "Is the gender you identify with the same as your sex registered at birth?",
     VALUES(gender_values), false},
    {"sexual_orientation", "Sexual orientation",
     "Which of the following best describes your sexual orientation?",
     VALUES(orientation_values), false},
    {"ethnicity", "Ethnicity", "What is your ethnic group?", VALUES(ethnicity_values), false},
    {"ethnic_group", "Ethnic group", "Ethnic group (from your answer about ethnicity)",
     VALUES(ethnic_group_values), true},
    {"disability", "Disability",
     "Do you have any physical or mental health conditions or illnesses lasting or "
     "expected to last 12 months or more?",
     VALUES(disability_values), false},
    {"religion", "Religion", "What is your religion?", VALUES(religion_values), false},
    {"carer", "Unpaid carer",
     "Do you look after, or give any help or support to, anyone because they have "
     "long-term physical or mental health conditions or illnesses, or problems related to "
     "old age?",
     VALUES(yes_no_values), false},
    {"deprivation_decile", "Deprivation of the area you live in",
     "Compared with the rest of England, how deprived is the area you live in?",
     VALUES(decile_values), false},
};
#define N_CATEGORIES (sizeof(categories) / sizeof(categories[0]))

const struct equality_category *equality_categories(size_t *n)
{
	*n = N_CATEGORIES;
	return categories;
}

const struct equality_category *equality_category_find(const char *slug)
{
	for (size_t i = 0; slug && i < N_CATEGORIES; i++)
		if (strcmp(categories[i].slug, slug) == 0)
			return &categories[i];
	return NULL;
}

const char *equality_value_label(const struct equality_category *c, const char *value)
{
	if (!c || !value)
		return NULL;
	if (strcmp(value, EQUALITY_PREFER_NOT) == 0)
		return "Prefer not to say";
	for (size_t i = 0; i < c->n_values; i++)
		if (strcmp(c->values[i].slug, value) == 0)
			return c->values[i].label;
	return NULL;
}

const char *equality_ethnic_group_of(const char *ethnicity)
{
	for (size_t i = 0; ethnicity && i < sizeof(ethnicity_values) / sizeof(ethnicity_values[0]);
	     i++)
		if (strcmp(ethnicity_values[i].slug, ethnicity) == 0)
			return ethnicity_values[i].group;
	return NULL;
}

const char *equality_disability_from(const char *condition, const char *limited)
{
	if (!condition || !*condition)
		return NULL;
	if (strcmp(condition, EQUALITY_PREFER_NOT) == 0)
		return EQUALITY_PREFER_NOT;
	if (strcmp(condition, "no") == 0) {
		/* No condition cannot limit anything: "a lot" or "a little" after "no" is a
		 * slip to point out, not a reason to record "not disabled" silently. */
		if (limited && (strcmp(limited, "a_lot") == 0 || strcmp(limited, "a_little") == 0))
			return "";
		return "not_disabled";
	}
	if (strcmp(condition, "yes") != 0)
		return "";
	if (!limited || !*limited)
		return "";
	if (strcmp(limited, "a_lot") == 0)
		return "disabled_a_lot";
	if (strcmp(limited, "a_little") == 0)
		return "disabled_a_little";
	if (strcmp(limited, "not_at_all") == 0)
		return "not_disabled_condition";
	if (strcmp(limited, EQUALITY_PREFER_NOT) == 0)
		return EQUALITY_PREFER_NOT;
	return "";
}

/* --- Settings ---------------------------------------------------------------------- */

const char *equality_basis_default_wording(const char *basis)
{
	if (basis && strcmp(basis, "dpa-sch1-para8") == 0)
		return "We use your answers to check that everyone in the area has a fair chance "
		       "to take part, under the Data Protection Act 2018, Schedule 1, paragraph 8 "
		       "(equality of opportunity or treatment). We never use them to make a "
		       "decision about you. You can object at any time and we will stop.";
	return "We ask for your explicit consent to use your answers to check that everyone "
	       "in the area has a fair chance to take part. You can withdraw it at any time.";
}

static const struct equality_value lived_values[] = {
    {"yes", "Yes", NULL},
    {"no", "No", NULL},
};

static int flag_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct equality_flag *f = item;
	f->flag = db_col_dup(st, 0, a);
	f->label = db_col_dup(st, 1, a);
	return DB_OK;
}

int equality_settings_get(db *d, arena *a, int64_t programme_id, struct equality_settings *out)
{
	db_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	out->programme_id = programme_id;
	st = db_prepare(d, "SELECT lawful_basis, basis_wording FROM equality_settings WHERE "
	                   "programme_id = ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, programme_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->lawful_basis = db_col_dup(st, 0, a);
		out->basis_wording = db_col_dup(st, 1, a);
	}
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return rc;
	if (!out->lawful_basis)
		out->lawful_basis = arena_strdup(a, "explicit-consent");
	if (!out->basis_wording || !*out->basis_wording)
		out->basis_wording = arena_strdup(a, equality_basis_default_wording(out->lawful_basis));

	st = db_prepare(d, "SELECT flag, label FROM equality_lived_flags WHERE programme_id = ? "
	                   "ORDER BY position, flag LIMIT ?");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, EQUALITY_FLAGS_MAX);
	return db_collect(st, a, sizeof(*out->flags), flag_row, NULL, &out->flags, &out->n_flags);
}

int equality_programme_categories(db *d, arena *a, int64_t programme_id,
				  const struct equality_category **out, size_t *n)
{
	struct equality_settings s;
	struct equality_category *all;
	int rc = equality_settings_get(d, a, programme_id, &s);
	if (rc != DOMAIN_OK)
		return rc;
	all = arena_calloc(a, N_CATEGORIES + s.n_flags, sizeof(*all));
	if (!all)
		return DB_ERR;
	memcpy(all, categories, sizeof(categories));
	for (size_t i = 0; i < s.n_flags; i++) {
		struct equality_category *c = &all[N_CATEGORIES + i];
		c->slug = arena_printf(a, "lived:%s", s.flags[i].flag);
		c->label = s.flags[i].label;
		c->question = s.flags[i].label;
		c->n_values = 2;
		c->values = lived_values;
		if (!c->slug)
			return DB_ERR;
	}
	*out = all;
	*n = N_CATEGORIES + s.n_flags;
	return DOMAIN_OK;
}

/* A flag slug from its label: lower-case letters and digits, other runs as one '-'. */
static char *flag_slug(arena *a, const char *label)
{
	size_t len = strlen(label), j = 0;
	char *s = arena_alloc(a, len + 1);
	if (!s)
		return NULL;
	for (size_t i = 0; i < len && j < 40; i++) {
		char c = label[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			s[j++] = c;
		else if (j > 0 && s[j - 1] != '-')
			s[j++] = '-';
	}
	while (j > 0 && s[j - 1] == '-')
		j--;
	s[j] = '\0';
	return s;
}

int equality_settings_set_tx(db *d, arena *a, const struct audit_actor *who,
			     int64_t programme_id, const char *basis, const char *wording,
			     const struct equality_flag *flags, size_t n_flags,
			     struct field_errors *errs)
{
	char now[ISO_TIME_LEN];
	db_stmt *st;
	sbuf b;
	json j;
	int rc;

	if (!basis || (strcmp(basis, "explicit-consent") != 0 &&
	               strcmp(basis, "dpa-sch1-para8") != 0))
		field_error_add(errs, "lawful_basis", "Select the lawful basis for asking");
	if (wording && strlen(wording) > EQUALITY_WORDING_MAX)
		field_error_add(errs, "basis_wording", "The wording must be 4,000 characters or fewer");
	if (n_flags > EQUALITY_FLAGS_MAX)
		field_error_add(errs, "flags", "Ask at most 8 lived-experience questions");
	for (size_t i = 0; i < n_flags && i < EQUALITY_FLAGS_MAX; i++) {
		size_t l = flags[i].label ? strlen(flags[i].label) : 0;
		if (l == 0 || l > EQUALITY_FLAG_LABEL_MAX)
			field_error_add(errs, "flags",
					"Each lived-experience question must be 1 to 100 characters");
	}
	if (field_errors_any(errs) || !basis || n_flags > EQUALITY_FLAGS_MAX)
		return DOMAIN_EINVALID;

	db_now_iso(now, 0);
	st = db_prepare(d, "DELETE FROM equality_settings WHERE programme_id = ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, programme_id);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return rc;
	st = db_prepare(d, "INSERT INTO equality_settings (programme_id, lawful_basis, "
	                   "basis_wording, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, programme_id);
	db_bind_text(st, 2, basis);
	db_bind_text(st, 3, wording ? wording : "");
	if (who && who->account_id)
		db_bind_int(st, 4, who->account_id);
	else
		db_bind_null(st, 4);
	db_bind_text(st, 5, now);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return rc;

	st = db_prepare(d, "DELETE FROM equality_lived_flags WHERE programme_id = ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, programme_id);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return rc;
	for (size_t i = 0; i < n_flags; i++) {
		const char *slug = flags[i].flag && *flags[i].flag ? flags[i].flag
		                                                   : flag_slug(a, flags[i].label);
		if (!slug)
			return DB_ERR;
		if (!*slug) {
			field_error_add(errs, "flags", "Each lived-experience question needs a letter "
			                               "or a number");
			return DOMAIN_EINVALID;
		}
		st = db_prepare(d, "INSERT INTO equality_lived_flags (programme_id, flag, label, "
		                   "position) VALUES (?, ?, ?, ?)");
		if (!st)
			return DB_ERR;
		db_bind_int(st, 1, programme_id);
		db_bind_text(st, 2, slug);
		db_bind_text(st, 3, flags[i].label);
		db_bind_int(st, 4, (int64_t)i);
		rc = db_step(st);
		db_done(st);
		if (rc == DB_ECONSTRAINT) {
			field_error_add(errs, "flags", "Ask each lived-experience question once");
			return DOMAIN_EINVALID;
		}
		if (rc != DB_DONE)
			return rc;
	}

	sbuf_init(&b, a, 8192);
	json_init(&j, &b);
	json_obj(&j);
	json_key(&j, "lawful_basis");
	json_cstr(&j, basis);
	json_key(&j, "lived_experience");
	json_arr(&j);
	for (size_t i = 0; i < n_flags; i++)
		json_cstr(&j, flags[i].label);
	json_end(&j);
	json_end(&j);
	if (b.err)
		return DB_ERR;
	return audit_record(d, who, "programme", programme_id, "equality.settings", NULL, b.buf);
}

int equality_settings_set(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
			  const char *basis, const char *wording, const struct equality_flag *flags,
			  size_t n_flags, struct field_errors *errs)
{
	IN_TRANSACTION(d, equality_settings_set_tx(d, a, who, programme_id, basis, wording, flags,
						   n_flags, errs));
}

/* --- Answers ----------------------------------------------------------------------- */

static int exec_ref(db *d, const char *sql, const char *ref)
{
	db_stmt *st = db_prepare(d, sql);
	int rc;
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, ref);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? DB_OK : rc;
}

static int consent_set(db *d, const char *ref, const char *kind, bool granted, const char *now)
{
	db_stmt *st;
	int rc;
	st = db_prepare(d, "DELETE FROM equality_consents WHERE monitoring_ref = ? AND kind = ?");
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, ref);
	db_bind_text(st, 2, kind);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return rc;
	st = db_prepare(d, "INSERT INTO equality_consents (monitoring_ref, kind, status, "
	                   "wording_version, recorded_at) VALUES (?, ?, ?, ?, ?)");
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, ref);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, granted ? "granted" : "withdrawn");
	db_bind_text(st, 4, EQUALITY_CONSENT_VERSION);
	db_bind_text(st, 5, now);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? DB_OK : rc;
}

/* The decile of POSTCODE in the programme's table ("M6 5AB", any case and spacing), or 0. */
int equality_postcode_decile(db *d, int64_t programme_id, const char *postcode, int *decile)
{
	char norm[16];
	size_t j = 0;
	db_stmt *st;
	int rc;
	*decile = 0;
	for (size_t i = 0; postcode && postcode[i] && j < sizeof(norm) - 2; i++) {
		char c = postcode[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			norm[j++] = c;
	}
	if (j < 5 || j > 7)
		return DOMAIN_OK;
	/* One space before the inward code (the last three characters). */
	memmove(norm + j - 2, norm + j - 3, 3);
	norm[j - 3] = ' ';
	norm[j + 1] = '\0';
	st = db_prepare(d, "SELECT decile FROM postcode_deciles WHERE programme_id = ? AND "
	                   "postcode = ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, programme_id);
	db_bind_text(st, 2, norm);
	rc = db_step(st);
	if (rc == DB_ROW)
		*decile = (int)db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? DOMAIN_OK : rc;
}

int equality_answers_save_tx(db *d, arena *a, const struct audit_actor *who,
			     int64_t programme_id, const char *monitoring_ref,
			     const struct equality_answer *answers, size_t n, const char *postcode,
			     bool lead_view, struct field_errors *errs)
{
	const struct equality_category *cats;
	size_t ncats;
	char now[ISO_TIME_LEN];
	bool decile_given = false;
	sbuf b;
	json j;
	int rc;

	if (!monitoring_ref || !*monitoring_ref)
		return DOMAIN_ENOTFOUND;
	rc = equality_programme_categories(d, a, programme_id, &cats, &ncats);
	if (rc != DOMAIN_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		const struct equality_category *c = NULL;
		if (!answers[i].value || !*answers[i].value)
			continue;
		for (size_t k = 0; k < ncats && answers[i].category; k++)
			if (strcmp(cats[k].slug, answers[i].category) == 0)
				c = &cats[k];
		if (!c || c->derived || !equality_value_label(c, answers[i].value))
			field_error_add(errs, answers[i].category ? answers[i].category : "answers",
					"Select one of the answers given, or leave it blank");
		else if (strcmp(c->slug, "deprivation_decile") == 0)
			decile_given = true;
	}
	if (field_errors_any(errs))
		return DOMAIN_EINVALID;

	db_now_iso(now, 0);
	rc = exec_ref(d, "DELETE FROM equality_answers WHERE monitoring_ref = ?", monitoring_ref);
	if (rc != DB_OK)
		return rc;
	sbuf_init(&b, a, 8192);
	json_init(&j, &b);
	json_obj(&j);
	json_key(&j, "programme_id");
	json_int(&j, programme_id);
	json_key(&j, "monitoring_ref");
	json_cstr(&j, monitoring_ref);
	json_key(&j, "categories_answered");
	json_arr(&j);
	for (size_t i = 0; i <= n; i++) {
		const char *cat, *val;
		db_stmt *st;
		if (i < n) {
			cat = answers[i].category;
			val = answers[i].value;
		} else {
			/* The area's decile, from the postcode, when the person did not give it. */
			int decile = 0;
			if (decile_given || !postcode || !*postcode)
				break;
			rc = equality_postcode_decile(d, programme_id, postcode, &decile);
			if (rc != DOMAIN_OK)
				return rc;
			if (decile < 1 || decile > 10)
				break;
			cat = "deprivation_decile";
			val = arena_printf(a, "%d", decile);
			if (!val)
				return DB_ERR;
		}
		if (!val || !*val)
			continue;
		st = db_prepare(d, "INSERT INTO equality_answers (monitoring_ref, category, value, "
		                   "answered_at) VALUES (?, ?, ?, ?)");
		if (!st)
			return DB_ERR;
		db_bind_text(st, 1, monitoring_ref);
		db_bind_text(st, 2, cat);
		db_bind_text(st, 3, val);
		db_bind_text(st, 4, now);
		rc = db_step(st);
		db_done(st);
		if (rc == DB_ECONSTRAINT) {
			field_error_add(errs, cat, "Answer each question once");
			return DOMAIN_EINVALID;
		}
		if (rc != DB_DONE)
			return rc;
		json_cstr(&j, cat);
	}
	json_end(&j);
	json_key(&j, "lead_may_view");
	json_bool(&j, lead_view);
	json_end(&j);
	if (b.err)
		return DB_ERR;
	rc = consent_set(d, monitoring_ref, "answer", true, now);
	if (rc == DB_OK)
		rc = consent_set(d, monitoring_ref, "lead_view", lead_view, now);
	if (rc != DB_OK)
		return rc;
	return audit_record(d, who, "equality", programme_id, "equality.answers", NULL, b.buf);
}

int equality_answers_save(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
			  const char *monitoring_ref, const struct equality_answer *answers,
			  size_t n, const char *postcode, bool lead_view,
			  struct field_errors *errs)
{
	IN_TRANSACTION(d, equality_answers_save_tx(d, a, who, programme_id, monitoring_ref,
						   answers, n, postcode, lead_view, errs));
}

/* Whether SQL (with one '?' for the reference) finds a row for MONITORING_REF. */
static int ref_has_row(db *d, const char *sql, const char *monitoring_ref, bool *out)
{
	db_stmt *st = db_prepare(d, sql);
	int rc;
	*out = false;
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, monitoring_ref);
	rc = db_step(st);
	db_done(st);
	*out = rc == DB_ROW;
	return rc == DB_ROW || rc == DB_DONE ? DOMAIN_OK : rc;
}

int equality_has_answered(db *d, const char *monitoring_ref, bool *out)
{
	return ref_has_row(d, "SELECT 1 FROM equality_consents WHERE monitoring_ref = ? AND "
	                      "kind = 'answer'", monitoring_ref, out);
}

static int save_first_tx(db *d, arena *a, const struct audit_actor *who, int64_t programme_id,
			 const char *monitoring_ref, const struct equality_answer *answers,
			 size_t n, const char *postcode, bool lead_view, struct field_errors *errs)
{
	bool answered = false;
	int rc;
	if (!monitoring_ref || !*monitoring_ref)
		return DOMAIN_ENOTFOUND;
	rc = equality_has_answered(d, monitoring_ref, &answered);
	if (rc != DOMAIN_OK)
		return rc;
	if (answered)
		return DOMAIN_ECONFLICT;
	return equality_answers_save_tx(d, a, who, programme_id, monitoring_ref, answers, n,
					postcode, lead_view, errs);
}

int equality_answers_save_first(db *d, arena *a, const struct audit_actor *who,
				int64_t programme_id, const char *monitoring_ref,
				const struct equality_answer *answers, size_t n,
				const char *postcode, bool lead_view, struct field_errors *errs)
{
	IN_TRANSACTION(d, save_first_tx(d, a, who, programme_id, monitoring_ref, answers, n,
					postcode, lead_view, errs));
}

/* CTX is the person's equality_own: its answered_at is taken from the first row. */
static int own_answer_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct equality_answer *x = item;
	struct equality_own *own = ctx;
	x->category = db_col_dup(st, 0, a);
	x->value = db_col_dup(st, 1, a);
	if (!own->answered_at)
		own->answered_at = db_col_dup(st, 2, a);
	return DB_OK;
}

int equality_answers_own(db *d, arena *a, const char *monitoring_ref, struct equality_own *out)
{
	db_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	st = db_prepare(d, "SELECT category, value, answered_at FROM equality_answers WHERE "
	                   "monitoring_ref = ? ORDER BY category");
	db_bind_text(st, 1, monitoring_ref);
	rc = db_collect(st, a, sizeof(*out->answers), own_answer_row, out, &out->answers, &out->n);
	if (rc != DB_OK)
		return rc;
	st = db_prepare(d, "SELECT kind, status FROM equality_consents WHERE monitoring_ref = ?");
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, monitoring_ref);
	while ((rc = db_step(st)) == DB_ROW) {
		bool granted = strcmp(db_col_text(st, 1), "granted") == 0;
		if (strcmp(db_col_text(st, 0), "answer") == 0)
			out->consented = granted;
		else
			out->lead_view = granted;
	}
	db_done(st);
	return rc == DB_DONE ? DOMAIN_OK : rc;
}

int equality_has_answers(db *d, const char *monitoring_ref, bool *out)
{
	return ref_has_row(d, "SELECT 1 FROM equality_answers WHERE monitoring_ref = ? LIMIT 1",
	                   monitoring_ref, out);
}

int equality_lead_view_consented(db *d, const char *monitoring_ref, bool *out)
{
	db_stmt *st = db_prepare(d, "SELECT 1 FROM equality_consents WHERE monitoring_ref = ? AND "
	                            "kind = 'lead_view' AND status = 'granted'");
	int rc;
	*out = false;
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, monitoring_ref);
	rc = db_step(st);
	db_done(st);
	*out = rc == DB_ROW;
	return rc == DB_ROW || rc == DB_DONE ? DOMAIN_OK : rc;
}

static int view_tx(db *d, arena *a, const struct audit_actor *who, const char *ref,
		   struct equality_own *out)
{
	sbuf b;
	json j;
	int rc = equality_answers_own(d, a, ref, out);
	if (rc != DOMAIN_OK)
		return rc;
	if (!out->lead_view) {
		memset(out, 0, sizeof(*out));
		return DOMAIN_EFORBIDDEN;
	}
	sbuf_init(&b, a, 1024);
	json_init(&j, &b);
	json_obj(&j);
	json_key(&j, "monitoring_ref");
	json_cstr(&j, ref);
	json_key(&j, "answers_seen");
	json_int(&j, (int64_t)out->n);
	json_end(&j);
	if (b.err)
		return DB_ERR;
	return audit_record(d, who, "equality", 0, "equality.view", NULL, b.buf);
}

int equality_answers_view(db *d, arena *a, const struct audit_actor *who,
			  const char *monitoring_ref, struct equality_own *out)
{
	memset(out, 0, sizeof(*out));
	IN_TRANSACTION(d, view_tx(d, a, who, monitoring_ref, out));
}

int equality_withdraw_tx(db *d, arena *a, const struct audit_actor *who,
			 const char *monitoring_ref)
{
	char now[ISO_TIME_LEN];
	sbuf b;
	json j;
	int rc;

	if (!monitoring_ref || !*monitoring_ref)
		return DOMAIN_ENOTFOUND;
	db_now_iso(now, 0);
	rc = exec_ref(d, "DELETE FROM equality_answers WHERE monitoring_ref = ?", monitoring_ref);
	if (rc == DB_OK)
		rc = consent_set(d, monitoring_ref, "answer", false, now);
	if (rc == DB_OK)
		rc = consent_set(d, monitoring_ref, "lead_view", false, now);
	if (rc != DB_OK)
		return rc;
	sbuf_init(&b, a, 1024);
	json_init(&j, &b);
	json_obj(&j);
	json_key(&j, "monitoring_ref");
	json_cstr(&j, monitoring_ref);
	json_end(&j);
	if (b.err)
		return DB_ERR;
	return audit_record(d, who, "equality", 0, "equality.withdraw", NULL, b.buf);
}

int equality_withdraw(db *d, arena *a, const struct audit_actor *who, const char *monitoring_ref)
{
	IN_TRANSACTION(d, equality_withdraw_tx(d, a, who, monitoring_ref));
}

/* --- Whose answers ----------------------------------------------------------------- */

#define SUBJECT_SQL                                                                            \
	"SELECT v.id, v.programme_id, COALESCE(v.account_id, 0), v.monitoring_ref, v.name, "      \
	"p.slug, p.name, v.postcode, v.created_at FROM volunteers v JOIN programmes p ON p.id = " \
	"v.programme_id WHERE v.merged_into IS NULL AND "

static int subject_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct equality_subject *s = item;
	s->volunteer_id = db_col_int(st, 0);
	s->programme_id = db_col_int(st, 1);
	s->account_id = db_col_int(st, 2);
	s->monitoring_ref = db_col_dup(st, 3, a);
	s->name = db_col_dup(st, 4, a);
	s->programme_slug = db_col_dup(st, 5, a);
	s->programme_name = db_col_dup(st, 6, a);
	s->postcode = db_col_dup(st, 7, a);
	s->created_at = db_col_dup(st, 8, a);
	return DB_OK;
}

static int subject_one(db_stmt *st, arena *a, struct equality_subject *out)
{
	int rc = db_one(st, a, subject_row, NULL, out);
	if (rc == DB_DONE)
		return DOMAIN_ENOTFOUND;
	if (rc != DB_OK)
		return rc;
	return out->monitoring_ref && out->programme_slug ? DOMAIN_OK : DB_ERR;
}

int equality_subject_by_ref(db *d, arena *a, const char *monitoring_ref,
			    struct equality_subject *out)
{
	db_stmt *st;
	memset(out, 0, sizeof(*out));
	if (!monitoring_ref || !*monitoring_ref)
		return DOMAIN_ENOTFOUND;
	st = db_prepare(d, SUBJECT_SQL "v.monitoring_ref = ?");
	if (!st)
		return DB_ERR;
	db_bind_text(st, 1, monitoring_ref);
	return subject_one(st, a, out);
}

int equality_subject_by_id(db *d, arena *a, int64_t programme_id, int64_t volunteer_id,
			   struct equality_subject *out)
{
	db_stmt *st;
	memset(out, 0, sizeof(*out));
	st = db_prepare(d, SUBJECT_SQL "v.id = ? AND v.programme_id = ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, volunteer_id);
	db_bind_int(st, 2, programme_id);
	return subject_one(st, a, out);
}

int equality_subjects_of_account(db *d, arena *a, int64_t account_id,
				 struct equality_subject **out, size_t *n)
{
	db_stmt *st = db_prepare(d, SUBJECT_SQL "v.account_id = ? ORDER BY v.created_at DESC, "
	                                        "v.id DESC LIMIT 50");
	db_bind_int(st, 1, account_id);
	return db_collect(st, a, sizeof(**out), subject_row, NULL, out, n);
}

int equality_lead_view_people(db *d, arena *a, int64_t programme_id,
			      struct equality_subject **out, size_t *n)
{
	db_stmt *st = db_prepare(d, SUBJECT_SQL "v.programme_id = ? AND EXISTS (SELECT 1 FROM "
	                                        "equality_consents c WHERE c.monitoring_ref = "
	                                        "v.monitoring_ref AND c.kind = 'lead_view' AND "
	                                        "c.status = 'granted') ORDER BY v.name, v.id "
	                                        "LIMIT ?");
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, EQUALITY_PEOPLE_MAX);
	return db_collect(st, a, sizeof(**out), subject_row, NULL, out, n);
}

int equality_may_see_figures(db *d, int64_t account_id, enum role role, int64_t programme_id,
			     bool *out)
{
	db_stmt *st;
	int rc;
	*out = false;
	if (account_id == 0)
		return DOMAIN_OK;
	if (role == ROLE_PROGRAMME_LEAD) {
		*out = true;
		return DOMAIN_OK;
	}
	if (role != ROLE_FACILITATOR)
		return DOMAIN_OK;
	st = db_prepare(d, "SELECT 1 FROM programmes p WHERE p.id = ? AND (p.lead_account_id = ? "
	                   "OR EXISTS (SELECT 1 FROM group_members m JOIN working_groups g ON "
	                   "g.id = m.group_id WHERE g.programme_id = p.id AND m.account_id = ? AND "
	                   "m.role_in_group = 'facilitator' AND m.left_on IS NULL))");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, programme_id);
	db_bind_int(st, 2, account_id);
	db_bind_int(st, 3, account_id);
	rc = db_step(st);
	db_done(st);
	*out = rc == DB_ROW;
	return rc == DB_ROW || rc == DB_DONE ? DOMAIN_OK : rc;
}

static int programme_ref_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct equality_programme_ref *p = item;
	p->slug = db_col_dup(st, 0, a);
	p->name = db_col_dup(st, 1, a);
	return DB_OK;
}

int equality_programmes_visible(db *d, arena *a, int64_t account_id, enum role role,
				struct equality_programme_ref **out, size_t *n)
{
	db_stmt *st;
	*out = NULL;
	*n = 0;
	if (role != ROLE_PROGRAMME_LEAD && role != ROLE_FACILITATOR)
		return DOMAIN_OK;
	st = db_prepare(d, "SELECT p.slug, p.name FROM programmes p WHERE ? = 1 OR "
	                   "p.lead_account_id = ? OR EXISTS (SELECT 1 FROM group_members m JOIN "
	                   "working_groups g ON g.id = m.group_id WHERE g.programme_id = p.id AND "
	                   "m.account_id = ? AND m.role_in_group = 'facilitator' AND m.left_on IS "
	                   "NULL) ORDER BY p.name, p.id LIMIT 50");
	db_bind_int(st, 1, role == ROLE_PROGRAMME_LEAD ? 1 : 0);
	db_bind_int(st, 2, account_id);
	db_bind_int(st, 3, account_id);
	return db_collect(st, a, sizeof(**out), programme_ref_row, NULL, out, n);
}

/* --- Counts in aggregate ----------------------------------------------------------- */

const char *equality_stage_label(enum equality_stage s)
{
	static const char *const labels[EQUALITY_STAGES] = {
	    "Volunteered", "Selected", "Attended at least once", "Active now"};
	return s < EQUALITY_STAGES ? labels[s] : "";
}

const char *equality_stage_slug(enum equality_stage s)
{
	static const char *const slugs[EQUALITY_STAGES] = {"volunteered", "selected", "attended",
	                                                   "active"};
	return s < EQUALITY_STAGES ? slugs[s] : "";
}

/* Every volunteer of the programme (not merged) with their stages and their answer to
 * CATEGORY. Columns: selected, attended, active, value (NULL when not answered). */
#define STAGE_SQL                                                                              \
	"SELECT CASE WHEN v.stage IN ('selected', 'inducted', 'active') OR (v.stage = 'left' "    \
	"AND EXISTS (SELECT 1 FROM volunteer_stage_changes c WHERE c.volunteer_id = v.id AND "     \
	"c.to_stage IN ('selected', 'inducted', 'active'))) THEN 1 ELSE 0 END, "                   \
	"CASE WHEN v.account_id IS NOT NULL AND EXISTS (SELECT 1 FROM attendance t JOIN "          \
	"group_sessions s ON s.id = t.session_id JOIN working_groups g ON g.id = s.group_id "       \
	"WHERE t.account_id = v.account_id AND t.status = 'present' AND g.programme_id = "         \
	"v.programme_id) THEN 1 ELSE 0 END, "                                                      \
	"CASE WHEN v.stage = 'active' THEN 1 ELSE 0 END, ea.value FROM volunteers v LEFT JOIN "   \
	"equality_answers ea ON ea.monitoring_ref = v.monitoring_ref AND ea.category = ? "         \
	"WHERE v.programme_id = ? AND v.merged_into IS NULL"

#define WARD_SQL                                                                               \
	"SELECT CASE WHEN v.stage IN ('selected', 'inducted', 'active') OR (v.stage = 'left' "    \
	"AND EXISTS (SELECT 1 FROM volunteer_stage_changes c WHERE c.volunteer_id = v.id AND "     \
	"c.to_stage IN ('selected', 'inducted', 'active'))) THEN 1 ELSE 0 END, "                   \
	"CASE WHEN v.account_id IS NOT NULL AND EXISTS (SELECT 1 FROM attendance t JOIN "          \
	"group_sessions s ON s.id = t.session_id JOIN working_groups g ON g.id = s.group_id "       \
	"WHERE t.account_id = v.account_id AND t.status = 'present' AND g.programme_id = "         \
	"v.programme_id) THEN 1 ELSE 0 END, "                                                      \
	"CASE WHEN v.stage = 'active' THEN 1 ELSE 0 END, v.ward_code FROM volunteers v "          \
	"WHERE v.programme_id = ? AND v.merged_into IS NULL"

int equality_counts(db *d, arena *a, int64_t programme_id, const struct equality_category *c,
		    struct equality_counts *out)
{
	bool group = strcmp(c->slug, "ethnic_group") == 0;
	bool ward = strcmp(c->slug, "ward") == 0;
	db_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	out->category = c;
	out->n_rows = c->n_values + 1;
	out->counts = arena_calloc(a, out->n_rows, sizeof(*out->counts));
	if (!out->counts)
		return DB_ERR;
	st = db_prepare(d, ward ? WARD_SQL : STAGE_SQL);
	if (!st)
		return DB_ERR;
	if (ward) {
		db_bind_int(st, 1, programme_id);
	} else {
		db_bind_text(st, 1, group ? "ethnicity" : c->slug);
		db_bind_int(st, 2, programme_id);
	}
	while ((rc = db_step(st)) == DB_ROW) {
		bool in[EQUALITY_STAGES] = {true, db_col_int(st, 0) != 0, db_col_int(st, 1) != 0,
		                            db_col_int(st, 2) != 0};
		const char *v = db_col_null(st, 3) ? NULL : db_col_text(st, 3);
		size_t row = c->n_values; /* prefer not to say, or not answered */
		if (v && group)
			v = equality_ethnic_group_of(v);
		for (size_t k = 0; v && k < c->n_values; k++)
			if (strcmp(c->values[k].slug, v) == 0)
				row = k;
		for (int s = 0; s < EQUALITY_STAGES; s++)
			if (in[s]) {
				out->counts[row][s]++;
				out->totals[s]++;
			}
	}
	db_done(st);
	return rc == DB_DONE ? DOMAIN_OK : rc;
}

int equality_selection_values(db *d, arena *a, const struct audit_actor *actor,
			      int64_t programme_id, const char *category, size_t n,
			      const int64_t *volunteer_ids, const char **values_out)
{
	bool group = category && strcmp(category, "ethnic_group") == 0;
	int rc = DB_OK;

	if (!category || n > EQUALITY_SELECTION_MAX || strlen(category) > 120)
		return DOMAIN_EINVALID;
	for (size_t i = 0; i < n; i++) {
		db_stmt *st = db_prepare(d, "SELECT ea.value FROM volunteers v JOIN equality_answers "
		                            "ea ON ea.monitoring_ref = v.monitoring_ref WHERE v.id = "
		                            "? AND v.programme_id = ? AND ea.category = ?");
		values_out[i] = NULL;
		if (!st)
			return DB_ERR;
		db_bind_int(st, 1, volunteer_ids[i]);
		db_bind_int(st, 2, programme_id);
		db_bind_text(st, 3, group ? "ethnicity" : category);
		rc = db_step(st);
		if (rc == DB_ROW) {
			const char *v = db_col_text(st, 0);
			if (group)
				v = equality_ethnic_group_of(v);
			if (v && strcmp(v, EQUALITY_PREFER_NOT) != 0)
				values_out[i] = arena_strdup(a, v);
		}
		db_done(st);
		if (rc != DB_ROW && rc != DB_DONE)
			return rc;
	}
	{
		sbuf b;
		json j;
		sbuf_init(&b, a, 512);
		json_init(&j, &b);
		json_obj(&j);
		json_key(&j, "category");
		json_cstr(&j, category);
		json_key(&j, "people");
		json_int(&j, (int64_t)n);
		json_end(&j);
		if (b.err)
			return DB_ERR;
		return audit_record(d, actor, "programme", programme_id, "equality.selection_read",
				    NULL, b.buf);
	}
}
