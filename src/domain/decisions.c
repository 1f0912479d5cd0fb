/* decisions.c: shared decisions of a group with the balance of power visible; see
 * decisions.h. */
#include "domain/decisions.h"

#include <inttypes.h>
#include <string.h>

#include "core/escape.h"
#include "domain/access.h"
#include "domain/ideas.h"
#include "domain/record.h"
#include "domain/sessions.h"

#define AUDIT_JSON_MAX (4 * 1024)

enum decision_side decision_side_parse(sv side)
{
	return sv_eq_cstr(side, "local") ? SIDE_LOCAL : SIDE_PROFESSIONAL;
}

const char *decision_method_label(const char *method)
{
	if (!method)
		return "";
	if (strcmp(method, "consensus") == 0)
		return "Consensus";
	if (strcmp(method, "consent") == 0)
		return "Consent";
	if (strcmp(method, "vote") == 0)
		return "Vote";
	return method;
}

const char *decision_stance_label(const char *method, const char *stance)
{
	bool consent = method && strcmp(method, "consent") == 0;
	if (!stance)
		return "";
	if (strcmp(stance, "agree") == 0)
		return consent ? "No objection" : "Agree";
	if (strcmp(stance, "disagree") == 0)
		return "Disagree";
	if (strcmp(stance, "abstain") == 0)
		return "Abstain";
	if (strcmp(stance, "object") == 0)
		return "Object";
	if (strcmp(stance, "option") == 0)
		return "Chose an option";
	return stance;
}

static bool method_valid(sv m)
{
	return sv_eq_cstr(m, "consensus") || sv_eq_cstr(m, "consent") || sv_eq_cstr(m, "vote");
}

/* --- Reading ---------------------------------------------------------------------- */

#define DECISION_COLUMNS                                                                           \
	"d.id, d.group_id, g.programme_id, d.idea_id, g.name, p.slug, p.name, i.title, "           \
	"d.question, d.method, d.parity_rule, d.status, d.outcome, d.proposed_by, "                \
	"pa.display_name, "                                                                        \
	"d.proposed_side, d.opened_at, d.closed_by, ca.display_name, d.closed_at, "                \
	"d.reopened_by, ra.display_name, d.reopened_at "                                           \
	"FROM decisions d JOIN working_groups g ON g.id = d.group_id "                             \
	"JOIN programmes p ON p.id = g.programme_id "                                              \
	"LEFT JOIN ideas i ON i.id = d.idea_id "                                                   \
	"LEFT JOIN accounts pa ON pa.id = d.proposed_by "                                          \
	"LEFT JOIN accounts ca ON ca.id = d.closed_by "                                            \
	"LEFT JOIN accounts ra ON ra.id = d.reopened_by "

static int decision_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct decision *out = item;
	memset(out, 0, sizeof(*out));
	out->id = db_col_int(st, 0);
	out->group_id = db_col_int(st, 1);
	out->programme_id = db_col_int(st, 2);
	out->idea_id = db_col_int(st, 3);
	out->group_name = db_col_dup(st, 4, a);
	out->programme_slug = db_col_dup(st, 5, a);
	out->programme_name = db_col_dup(st, 6, a);
	out->idea_title = db_col_dup(st, 7, a);
	out->question = db_col_dup(st, 8, a);
	out->method = db_col_dup(st, 9, a);
	out->parity_rule = db_col_dup(st, 10, a);
	out->status = db_col_dup(st, 11, a);
	out->outcome = db_col_dup(st, 12, a);
	out->proposed_by = db_col_int(st, 13);
	out->proposed_by_name = db_col_dup(st, 14, a);
	out->proposed_side = db_col_dup(st, 15, a);
	out->opened_at = db_col_dup(st, 16, a);
	out->closed_by = db_col_int(st, 17);
	out->closed_by_name = db_col_dup(st, 18, a);
	out->closed_at = db_col_dup(st, 19, a);
	out->reopened_by = db_col_int(st, 20);
	out->reopened_by_name = db_col_dup(st, 21, a);
	out->reopened_at = db_col_dup(st, 22, a);
	return out->group_name && out->question && out->method && out->status ? DB_OK : DB_ERR;
}

static int option_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct decision_option *o = item;
	o->id = db_col_int(st, 0);
	o->label = db_col_dup(st, 1, a);
	return o->label ? DB_OK : DB_ERR;
}

static int load_options(db *d, arena *a, struct decision *dec)
{
	db_stmt *st = db_prepare(d, "SELECT id, label FROM decision_options WHERE decision_id = ? "
	                            "ORDER BY position, id LIMIT ?");
	db_bind_int(st, 1, dec->id);
	db_bind_int(st, 2, DECISION_OPTIONS_MAX);
	return db_collect(st, a, sizeof(*dec->options), option_row, NULL, &dec->options,
	                  &dec->n_options);
}

int decision_load(db *d, arena *a, int64_t id, struct decision *out)
{
	int rc = record_get(d, a, "SELECT " DECISION_COLUMNS "WHERE d.id = ?", id, decision_row, NULL,
	                    out);
	return rc ? rc : load_options(d, a, out);
}

int decision_get(db *d, arena *a, int64_t account_id, enum role role, int64_t id,
                 struct decision *out, int *access)
{
	int rc = decision_load(d, a, id, out), acc;
	if (rc != DOMAIN_OK)
		return rc;
	acc = access_group(d, account_id, role, out->group_id);
	if (acc < 0)
		return acc;
	if (acc == ACCESS_NONE)
		return DOMAIN_ENOTFOUND;
	if (access)
		*access = acc;
	return DOMAIN_OK;
}

int decision_list_group(db *d, arena *a, int64_t group_id, struct decision **out, size_t *n)
{
	db_stmt *st = db_prepare(d, "SELECT " DECISION_COLUMNS
	                            "WHERE d.group_id = ? ORDER BY d.id DESC LIMIT ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, group_id);
	db_bind_int(st, 2, DECISION_LIST_MAX);
	return db_collect(st, a, sizeof(**out), decision_row, NULL, out, n);
}

int decision_list_waiting(db *d, arena *a, int64_t account_id, int limit, struct decision **out,
                          size_t *n)
{
	db_stmt *st = db_prepare(
	    d, "SELECT " DECISION_COLUMNS
	       "WHERE d.status = 'open' AND EXISTS (SELECT 1 FROM group_members m WHERE "
	       "m.group_id = d.group_id AND m.account_id = ? AND m.left_on IS NULL AND "
	       "(m.role_in_group = 'facilitator' OR NOT EXISTS (SELECT 1 FROM "
	       "decision_positions dp WHERE dp.decision_id = d.id AND dp.account_id = ?))) "
	       "ORDER BY d.id DESC LIMIT ?");
	if (!st)
		return DB_ERR;
	if (limit < 1 || limit > DECISION_LIST_MAX)
		limit = DECISION_LIST_MAX;
	db_bind_int(st, 1, account_id);
	db_bind_int(st, 2, account_id);
	db_bind_int(st, 3, limit);
	return db_collect(st, a, sizeof(**out), decision_row, NULL, out, n);
}

static int position_row(db_stmt *st, arena *a, void *item, void *ctx)
{
	struct decision_position *p = item;
	p->account_id = db_col_int(st, 0);
	p->name = db_col_dup(st, 1, a);
	p->side = db_col_dup(st, 2, a);
	p->stance = db_col_dup(st, 3, a);
	p->option_id = db_col_int(st, 4);
	p->option_label = db_col_dup(st, 5, a);
	p->reason = db_col_dup(st, 6, a);
	p->recorded_by = db_col_int(st, 7);
	p->recorded_by_name = db_col_dup(st, 8, a);
	p->recorded_at = db_col_dup(st, 9, a);
	return p->name && p->side && p->stance && p->reason && p->recorded_at ? DB_OK : DB_ERR;
}

int decision_positions(db *d, arena *a, const struct decision *dec, struct decision_position **out,
                       size_t *n)
{
	db_stmt *st = db_prepare(
	    d, "SELECT dp.account_id, ac.display_name, dp.side, dp.stance, dp.option_id, "
	       "o.label, dp.reason, dp.recorded_by, rb.display_name, dp.recorded_at "
	       "FROM decision_positions dp JOIN accounts ac ON ac.id = dp.account_id "
	       "LEFT JOIN decision_options o ON o.id = dp.option_id "
	       "LEFT JOIN accounts rb ON rb.id = dp.recorded_by "
	       "WHERE dp.decision_id = ? ORDER BY CASE WHEN dp.side = 'local' THEN 0 ELSE 1 END, "
	       "ac.display_name, dp.account_id LIMIT ?");
	db_bind_int(st, 1, dec->id);
	db_bind_int(st, 2, DECISION_MEMBERS_MAX);
	return db_collect(st, a, sizeof(**out), position_row, NULL, out, n);
}

int decision_members(db *d, arena *a, const struct decision *dec, struct decision_member **out,
                     size_t *n)
{
	db_stmt *st = db_prepare(
	    d, "SELECT m.account_id, ac.display_name, m.role_in_group, "
	       "(SELECT COUNT(*) FROM decision_positions dp WHERE dp.decision_id = ? AND "
	       "dp.account_id = m.account_id) "
	       "FROM group_members m JOIN accounts ac ON ac.id = m.account_id "
	       "WHERE m.group_id = ? AND m.left_on IS NULL AND m.role_in_group <> 'facilitator' "
	       "ORDER BY CASE WHEN m.role_in_group = 'local_person' THEN 0 ELSE 1 END, "
	       "ac.display_name, m.account_id LIMIT ?");
	int rc;
	*n = 0;
	*out = arena_calloc(a, DECISION_MEMBERS_MAX, sizeof(**out));
	if (!st || !*out)
		return DB_ERR;
	db_bind_int(st, 1, dec->id);
	db_bind_int(st, 2, dec->group_id);
	db_bind_int(st, 3, DECISION_MEMBERS_MAX);
	while ((rc = db_step(st)) == DB_ROW) {
		struct decision_member *m = &(*out)[*n];
		m->account_id = db_col_int(st, 0);
		/* Someone in the group twice (left and rejoined) is one voice. */
		bool dup = false;
		for (size_t i = 0; i < *n; i++)
			dup |= (*out)[i].account_id == m->account_id;
		if (dup)
			continue;
		m->name = db_col_dup(st, 1, a);
		m->side = arena_strdup(
		    a, sv_eq_cstr(db_col_sv(st, 2), "local_person") ? "local" : "professional");
		m->has_position = db_col_int(st, 3) > 0;
		if (!m->name || !m->side) {
			rc = DB_ERR;
			break;
		}
		(*n)++;
	}
	db_done(st);
	return rc == DB_DONE ? DOMAIN_OK : rc;
}

/* --- Counting and the result ------------------------------------------------------- */

void decision_tally(struct decision *dec, const struct decision_position *positions, size_t np,
                    const struct decision_member *members, size_t nm, struct decision_tally *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < dec->n_options; i++)
		memset(dec->options[i].votes, 0, sizeof(dec->options[i].votes));
	for (size_t i = 0; i < nm; i++)
		t->members[decision_side_parse(sv_from(members[i].side))]++;
	for (size_t i = 0; i < np; i++) {
		const struct decision_position *p = &positions[i];
		enum decision_side s = decision_side_parse(sv_from(p->side));
		sv stance = sv_from(p->stance);
		t->given[s]++;
		if (sv_eq_cstr(stance, "abstain")) {
			t->abstain[s]++;
			continue;
		}
		t->took_part[s]++;
		if (sv_eq_cstr(stance, "agree"))
			t->agree[s]++;
		else if (sv_eq_cstr(stance, "disagree"))
			t->disagree[s]++;
		else if (sv_eq_cstr(stance, "object"))
			t->object[s]++;
		else if (sv_eq_cstr(stance, "option")) {
			t->chose[s]++;
			for (size_t k = 0; k < dec->n_options; k++)
				if (dec->options[k].id == p->option_id)
					dec->options[k].votes[s]++;
		}
	}
}

static const char *people(int n)
{
	return n == 1 ? "person" : "people";
}

/* "3 of 5 professionals agreed" style phrase for one side. */
static const char *side_phrase(arena *a, int yes, int of, const char *who, const char *verb)
{
	if (of == 0)
		return arena_printf(a, "no %s took part", who);
	return arena_printf(a, "%d of %d %s %s", yes, of, who, verb);
}

/* The index of the option with the most votes on SIDE (or both when SIDE < 0), or -1
 * when there are none or a tie at the top. */
static int top_option(const struct decision *dec, int side)
{
	int best = -1, best_votes = 0;
	bool tie = false;
	for (size_t i = 0; i < dec->n_options; i++) {
		int v = side < 0 ? dec->options[i].votes[0] + dec->options[i].votes[1]
		                 : dec->options[i].votes[side];
		if (v > best_votes) {
			best = (int)i;
			best_votes = v;
			tie = false;
		} else if (v == best_votes && v > 0) {
			tie = true;
		}
	}
	return tie ? -1 : best;
}

static int result_options(arena *a, const struct decision *dec, const struct decision_tally *t,
                          struct decision_result *out)
{
	bool parity = dec->parity_rule && strcmp(dec->parity_rule, "local_majority") == 0;
	int win = top_option(dec, -1), local_win = top_option(dec, SIDE_LOCAL);
	const char *locals, *pros;

	if (win < 0) {
		out->carried = false;
		out->outcome = "not_carried";
		out->headline = "No option chosen";
		out->summary = t->chose[0] + t->chose[1] == 0
		                   ? "No option chosen: nobody chose an option."
		                   : "No option chosen: the options with the most votes had "
		                     "the same number.";
		return out->summary ? DOMAIN_OK : DB_ERR;
	}
	locals = side_phrase(a, dec->options[win].votes[SIDE_LOCAL], t->chose[SIDE_LOCAL],
	                     "local people", "chose it");
	pros = side_phrase(a, dec->options[win].votes[SIDE_PROFESSIONAL],
	                   t->chose[SIDE_PROFESSIONAL], "professionals", "chose it");
	if (!locals || !pros)
		return DB_ERR;
	if (parity && local_win != win) {
		out->carried = false;
		out->outcome = "not_carried";
		out->rule_decided = true;
		out->headline = "No option chosen";
		out->summary = arena_printf(a, "No option chosen: most votes went to %s, but %s.",
		                            dec->options[win].label,
		                            local_win < 0 ? "local people did not choose one "
		                                            "option more than any other"
		                                          : "local people chose another option "
		                                            "more often");
		out->why = local_win < 0
		               ? "The group's rule is that local people's choice "
		                 "decides, whatever the professionals say."
		               : arena_printf(a,
		                              "The group's rule is that local people's "
		                              "choice decides, whatever the professionals "
		                              "say: local people most often chose %s.",
		                              dec->options[local_win].label);
	} else {
		out->carried = true;
		out->outcome = dec->options[win].label;
		out->headline = arena_printf(a, "Chosen: %s", dec->options[win].label);
		out->summary = arena_printf(a, "Chosen: %s. Local people: %s. Professionals: %s.",
		                            dec->options[win].label, locals, pros);
	}
	return out->summary && out->headline && (out->carried || out->why) ? DOMAIN_OK : DB_ERR;
}

int decision_result(arena *a, const struct decision *dec, const struct decision_tally *t,
                    struct decision_result *out)
{
	bool parity = dec->parity_rule && strcmp(dec->parity_rule, "local_majority") == 0;
	bool consent = strcmp(dec->method, "consent") == 0;
	bool consensus = strcmp(dec->method, "consensus") == 0;
	int agree = t->agree[0] + t->agree[1], disagree = t->disagree[0] + t->disagree[1];
	int object = t->object[0] + t->object[1];
	bool method_ok, local_ok;
	const char *verb = consent ? "consented" : "agreed";
	const char *locals, *pros;

	memset(out, 0, sizeof(*out));
	if (dec->n_options > 0)
		return result_options(a, dec, t, out);

	if (consensus) {
		method_ok = disagree == 0 && object == 0 && agree > 0;
		if (disagree + object > 0)
			out->why = arena_printf(a, "There is no consensus: %d %s disagreed.",
			                        disagree + object, people(disagree + object));
		else if (agree == 0)
			out->why = "Nobody agreed, so there is no consensus.";
	} else if (consent) {
		method_ok = object == 0 && agree > 0;
		if (object > 0)
			out->why = arena_printf(a, "%d %s objected, so consent was not given.",
			                        object, people(object));
		else if (agree == 0)
			out->why = "Nobody gave their consent.";
	} else {
		method_ok = agree > disagree + object;
		if (!method_ok)
			out->why = agree == disagree + object
			               ? "As many people disagreed as agreed."
			               : "More people disagreed than agreed.";
	}
	local_ok = !parity || (t->took_part[SIDE_LOCAL] > 0 &&
	                       2 * t->agree[SIDE_LOCAL] > t->took_part[SIDE_LOCAL]);
	out->carried = method_ok && local_ok;
	out->outcome = out->carried ? "carried" : "not_carried";
	out->headline = out->carried ? "Carried" : "Not carried";
	if (method_ok && !local_ok) {
		out->rule_decided = true;
		out->why = t->took_part[SIDE_LOCAL] == 0
		               ? "No local people took part, and the group's rule is that a "
		                 "decision carries only if most local people who take part agree."
		               : "The group's rule is that a decision carries only if most local "
		                 "people who take part agree, whatever the professionals say.";
	}
	locals =
	    side_phrase(a, t->agree[SIDE_LOCAL], t->took_part[SIDE_LOCAL], "local people", verb);
	pros = t->took_part[SIDE_PROFESSIONAL] == 0
	           ? "none took part"
	           : arena_printf(a, "%d of %d %s", t->agree[SIDE_PROFESSIONAL],
	                          t->took_part[SIDE_PROFESSIONAL], verb);
	if (!locals || !pros)
		return DB_ERR;
	out->summary = arena_printf(a, "%s: %s. Professionals: %s.", out->headline, locals, pros);
	return out->summary ? DOMAIN_OK : DB_ERR;
}

/* --- Changes ----------------------------------------------------------------------- */

/* The access WHO has to GROUP_ID as DOMAIN_OK (manages), DOMAIN_EFORBIDDEN (sees) or
 * DOMAIN_ENOTFOUND (neither). */
static int need_manage(db *d, const struct audit_actor *who, enum role role, int64_t group_id)
{
	int acc = access_group(d, who->account_id, role, group_id);
	if (acc < 0)
		return acc;
	return acc == ACCESS_MANAGE ? DOMAIN_OK
	       : acc == ACCESS_VIEW ? DOMAIN_EFORBIDDEN
	                            : DOMAIN_ENOTFOUND;
}

/* The current role of ACCOUNT_ID in GROUP_ID into *ROLE_IN_GROUP ("" if not a member). */
static int member_role(db *d, int64_t group_id, int64_t account_id, const char **role_in_group)
{
	db_stmt *st = db_prepare(d, "SELECT role_in_group FROM group_members WHERE group_id = ? "
	                            "AND account_id = ? AND left_on IS NULL ORDER BY id LIMIT 1");
	int rc;
	*role_in_group = "";
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, group_id);
	db_bind_int(st, 2, account_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		sv r = db_col_sv(st, 0);
		*role_in_group = sv_eq_cstr(r, "local_person")     ? "local_person"
		                 : sv_eq_cstr(r, "decision_maker") ? "decision_maker"
		                                                   : "facilitator";
	}
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? DOMAIN_OK : rc;
}

static const char *side_of_member(const char *role_in_group)
{
	return strcmp(role_in_group, "local_person") == 0 ? "local" : "professional";
}

/* Splits the options text into trimmed non-empty lines, checking each. */
static int parse_options(arena *a, sv text, sv *opts, size_t *n, struct field_errors *errs)
{
	sv rest = text;
	*n = 0;
	while (rest.ptr && rest.len) {
		sv line = sv_trim(sv_cut(rest, '\n', &rest));
		if (line.len && line.ptr[line.len - 1] == '\r')
			line = sv_trim((sv){line.ptr, line.len - 1});
		if (!line.len)
			continue;
		if (*n == DECISION_OPTIONS_MAX) {
			field_error_add(
			    errs, "options",
			    arena_printf(a, "Enter %d options or fewer", DECISION_OPTIONS_MAX));
			return DOMAIN_EINVALID;
		}
		if (line.len > DECISION_OPTION_MAX) {
			field_error_add(errs, "options",
			                arena_printf(a,
			                             "Each option must be %d characters or fewer",
			                             DECISION_OPTION_MAX));
			return DOMAIN_EINVALID;
		}
		for (size_t i = 0; i < *n; i++)
			if (sv_eq_icase(opts[i], line)) {
				field_error_add(errs, "options", "Each option must be different");
				return DOMAIN_EINVALID;
			}
		opts[(*n)++] = line;
	}
	return DOMAIN_OK;
}

/* The time to record: AT when given (the demo's story), else now. */
static void stamp(char now[ISO_TIME_LEN], const char *at)
{
	if (at) {
		size_t n = strnlen(at, ISO_TIME_LEN - 1);
		memcpy(now, at, n);
		now[n] = '\0';
	} else {
		db_now_iso(now, 0);
	}
}

static void json_field(sbuf *b, const char *key, sv value, bool first)
{
	if (!first)
		sbuf_addc(b, ',');
	sbuf_addf(b, "\"%s\":", key);
	if (!value.ptr) {
		sbuf_adds(b, "null");
		return;
	}
	sbuf_addc(b, '"');
	esc_json(b, value);
	sbuf_addc(b, '"');
}

static int idea_in_group(db *d, int64_t idea_id, int64_t group_id)
{
	db_stmt *st = db_prepare(d, "SELECT 1 FROM ideas i WHERE i.id = ? AND (i.group_id = ? OR "
	                            "EXISTS (SELECT 1 FROM idea_shares s WHERE s.idea_id = i.id "
	                            "AND s.group_id = ?))");
	int rc;
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, idea_id);
	db_bind_int(st, 2, group_id);
	db_bind_int(st, 3, group_id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc;
}

int decision_group_rule(db *d, arena *a, int64_t group_id, char **rule)
{
	db_stmt *st = db_prepare(d, "SELECT parity_rule FROM working_groups WHERE id = ?");
	int rc;
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, group_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		*rule = db_col_dup(st, 0, a);
	db_done(st);
	if (rc == DB_DONE)
		return DOMAIN_ENOTFOUND;
	return rc == DB_ROW && *rule ? DOMAIN_OK : rc == DB_ROW ? DB_ERR : rc;
}

int decision_open_tx(db *d, arena *a, const struct audit_actor *who, enum role role,
                     const struct decision_new *in, const char *at, struct field_errors *errs,
                     int64_t *id)
{
	sv question = sv_trim(in->question), method = sv_trim(in->method);
	sv opts[DECISION_OPTIONS_MAX];
	size_t n_opts = 0;
	char now[ISO_TIME_LEN], *rule = NULL;
	const char *proposer_side = side_of_role(role), *member = "";
	int64_t proposer = in->proposed_by > 0 ? in->proposed_by : who->account_id, new_id;
	int rc, bad = 0;
	db_stmt *st;
	sbuf json;

	rc = need_manage(d, who, role, in->group_id);
	if (rc != DOMAIN_OK)
		return rc;
	rc = decision_group_rule(d, a, in->group_id, &rule);
	if (rc != DOMAIN_OK)
		return rc;

	if (!question.len)
		field_error_add(errs, "question", "Enter the question the group is deciding");
	else if (question.len > DECISION_QUESTION_MAX)
		field_error_add(errs, "question", "The question must be 500 characters or fewer");
	if (!method_valid(method))
		field_error_add(errs, "method", "Select how the group will decide");
	if (parse_options(a, in->options, opts, &n_opts, errs) == DOMAIN_OK) {
		if (n_opts == 1)
			field_error_add(errs, "options",
			                "Enter at least 2 options, one on each line, or leave this "
			                "empty for a yes or no question");
		else if (n_opts > 1 && method_valid(method) && !sv_eq_cstr(method, "vote"))
			field_error_add(
			    errs, "options",
			    "Options can only be chosen by a vote. Select vote, or leave "
			    "the options empty");
	}
	if (in->idea_id < 0) {
		field_error_add(errs, "idea_id", "Select an idea from this group");
	} else if (in->idea_id > 0) {
		rc = idea_in_group(d, in->idea_id, in->group_id);
		if (rc < 0)
			return rc;
		if (!rc)
			field_error_add(errs, "idea_id", "Select an idea from this group");
	}
	rc = member_role(d, in->group_id, proposer, &member);
	if (rc != DOMAIN_OK)
		return rc;
	if (in->proposed_by < 0 || (proposer != who->account_id && !member[0]))
		field_error_add(errs, "proposed_by",
		                "Select who proposed this from the members of the group");
	else if (member[0])
		proposer_side = side_of_member(member);
	if (field_errors_any(errs))
		return DOMAIN_EINVALID;

	stamp(now, at);
	st = db_prepare(d, "INSERT INTO decisions (group_id, idea_id, question, method, "
	                   "parity_rule, status, proposed_by, proposed_side, opened_at) "
	                   "VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?)");
	if (!st)
		return DB_ERR;
	bad |= db_bind_int(st, 1, in->group_id);
	bad |= in->idea_id ? db_bind_int(st, 2, in->idea_id) : db_bind_null(st, 2);
	bad |= db_bind_sv(st, 3, question);
	bad |= db_bind_sv(st, 4, method);
	bad |= db_bind_text(st, 5, rule);
	bad |= db_bind_int(st, 6, proposer);
	bad |= db_bind_text(st, 7, proposer_side);
	bad |= db_bind_text(st, 8, now);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return rc;
	new_id = db_last_insert_id(d);
	for (size_t i = 0; i < n_opts; i++) {
		st = db_prepare(d, "INSERT INTO decision_options (decision_id, position, label) "
		                   "VALUES (?, ?, ?)");
		if (!st)
			return DB_ERR;
		bad |= db_bind_int(st, 1, new_id);
		bad |= db_bind_int(st, 2, (int64_t)i + 1);
		bad |= db_bind_sv(st, 3, opts[i]);
		rc = bad ? DB_ERR : db_step(st);
		db_done(st);
		if (rc != DB_DONE)
			return rc;
	}

	sbuf_init(&json, a,
	          AUDIT_JSON_MAX + DECISION_OPTIONS_MAX * DECISION_OPTION_MAX * 6 +
	              DECISION_QUESTION_MAX * 6);
	sbuf_addf(&json, "{\"group_id\":%" PRId64 ",\"idea_id\":%" PRId64 ",", in->group_id,
	          in->idea_id);
	json_field(&json, "question", question, true);
	json_field(&json, "method", method, false);
	json_field(&json, "parity_rule", sv_from(rule), false);
	json_field(&json, "proposed_side", sv_from(proposer_side), false);
	sbuf_addf(&json, ",\"proposed_by\":%" PRId64 ",\"options\":[", proposer);
	for (size_t i = 0; i < n_opts; i++) {
		sbuf_adds(&json, i ? ",\"" : "\"");
		esc_json(&json, opts[i]);
		sbuf_addc(&json, '"');
	}
	sbuf_adds(&json, "]}");
	if (json.err)
		return DB_ERR;
	rc = audit_record(d, who, "decision", new_id, "open", NULL, json.buf);
	if (rc == DB_OK && id)
		*id = new_id;
	return rc;
}


int decision_open(db *d, arena *a, const struct audit_actor *who, enum role role,
                  const struct decision_new *in, struct field_errors *errs, int64_t *id)
{
	IN_TRANSACTION(d, decision_open_tx(d, a, who, role, in, NULL, errs, id));
}

static bool stance_fits(const struct decision *dec, sv stance)
{
	bool consent = strcmp(dec->method, "consent") == 0;
	if (sv_eq_cstr(stance, "abstain"))
		return true;
	if (dec->n_options > 0)
		return sv_eq_cstr(stance, "option");
	if (sv_eq_cstr(stance, "agree"))
		return true;
	if (sv_eq_cstr(stance, "object"))
		return consent;
	if (sv_eq_cstr(stance, "disagree"))
		return !consent;
	return false;
}

int decision_position_add_tx(db *d, arena *a, const struct audit_actor *who, enum role role,
                             int64_t id, const struct position_new *in, const char *at,
                             struct field_errors *errs)
{
	struct decision dec;
	int64_t person = in->account_id      ? in->account_id
	                 : who->on_behalf_of ? who->on_behalf_of
	                                     : who->account_id;
	bool own = person == who->account_id || person == who->on_behalf_of;
	sv stance = sv_trim(in->stance), reason = sv_trim(in->reason);
	const char *member = "";
	char now[ISO_TIME_LEN];
	int64_t option_id = 0;
	int rc, acc, bad = 0;
	db_stmt *st;
	sbuf json;

	rc = decision_get(d, a, who->account_id, role, id, &dec, &acc);
	if (rc != DOMAIN_OK)
		return rc;
	if (!own && acc != ACCESS_MANAGE)
		return DOMAIN_EFORBIDDEN;
	if (strcmp(dec.status, "open") != 0) {
		field_error_add(errs, "stance",
		                "This decision is closed, so positions cannot be added or changed. "
		                "A facilitator can reopen it");
		return DOMAIN_ECONFLICT;
	}
	rc = member_role(d, dec.group_id, person, &member);
	if (rc != DOMAIN_OK)
		return rc;
	if (!member[0] || strcmp(member, "facilitator") == 0) {
		if (own && !in->account_id) {
			field_error_add(errs, "stance",
			                strcmp(member, "facilitator") == 0
			                    ? "Facilitators run the decision and do not give a "
			                      "position of their own"
			                    : "Only members of the group can give a position");
			return DOMAIN_ECONFLICT;
		}
		field_error_add(errs, "account_id",
		                "Select a local person or decision-maker in this group");
		return DOMAIN_EINVALID;
	}

	if (!stance_fits(&dec, stance)) {
		field_error_add(errs, "stance",
		                dec.n_options ? "Select an option, or abstain"
		                              : "Select a position");
	} else if (sv_eq_cstr(stance, "option")) {
		for (size_t i = 0; i < dec.n_options; i++)
			if (dec.options[i].id == in->option_id)
				option_id = in->option_id;
		if (!option_id)
			field_error_add(errs, "stance", "Select an option, or abstain");
	}
	if (sv_eq_cstr(stance, "object") && !reason.len)
		field_error_add(errs, "reason", "Say why you object, so the group can respond");
	else if (reason.len > DECISION_REASON_MAX)
		field_error_add(errs, "reason", "The reason must be 1000 characters or fewer");
	if (field_errors_any(errs))
		return DOMAIN_EINVALID;

	st = db_prepare(d, "SELECT 1 FROM decision_positions WHERE decision_id = ? AND "
	                   "account_id = ?");
	if (!st)
		return DB_ERR;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, person);
	rc = db_step(st);
	db_done(st);
	if (rc == DB_ROW) {
		field_error_add(errs, "stance",
		                own ? "You have already given your position on this decision. A "
		                      "position cannot be recorded twice"
		                    : "This person has already given their position on this "
		                      "decision. A position cannot be recorded twice");
		return DOMAIN_ECONFLICT;
	}
	if (rc != DB_DONE)
		return rc;

	stamp(now, at);
	st = db_prepare(d, "INSERT INTO decision_positions (decision_id, account_id, side, stance, "
	                   "option_id, reason, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, "
	                   "?, ?)");
	if (!st)
		return DB_ERR;
	bad |= db_bind_int(st, 1, id);
	bad |= db_bind_int(st, 2, person);
	bad |= db_bind_text(st, 3, side_of_member(member));
	bad |= db_bind_sv(st, 4, stance);
	bad |= option_id ? db_bind_int(st, 5, option_id) : db_bind_null(st, 5);
	bad |= db_bind_sv(st, 6, reason.ptr ? reason : SV(""));
	bad |=
	    person != who->account_id ? db_bind_int(st, 7, who->account_id) : db_bind_null(st, 7);
	bad |= db_bind_text(st, 8, now);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (rc == DB_ECONSTRAINT) {
		/* Given at the same moment from another device. */
		field_error_add(errs, "stance",
		                "This position has already been recorded. A "
		                "position cannot be recorded twice");
		return DOMAIN_ECONFLICT;
	}
	if (rc != DB_DONE)
		return rc;

	sbuf_init(&json, a, AUDIT_JSON_MAX + DECISION_REASON_MAX * 6);
	sbuf_addf(&json, "{\"account_id\":%" PRId64 ",\"option_id\":%" PRId64 ",", person,
	          option_id);
	json_field(&json, "side", sv_from(side_of_member(member)), true);
	json_field(&json, "stance", stance, false);
	json_field(&json, "reason", reason.ptr ? reason : SV(""), false);
	sbuf_addc(&json, '}');
	if (json.err)
		return DB_ERR;
	return audit_record(d, who, "decision", id, "position", NULL, json.buf);
}

int decision_position_add(db *d, arena *a, const struct audit_actor *who, enum role role,
                          int64_t id, const struct position_new *in, struct field_errors *errs)
{
	IN_TRANSACTION(d, decision_position_add_tx(d, a, who, role, id, in, NULL, errs));
}

/* The result of DEC from what is stored now. */
static int compute(db *d, arena *a, struct decision *dec, struct decision_result *res)
{
	struct decision_position *pos;
	struct decision_member *mem;
	struct decision_tally t;
	size_t np, nm;
	int rc = decision_positions(d, a, dec, &pos, &np);
	if (rc == DOMAIN_OK)
		rc = decision_members(d, a, dec, &mem, &nm);
	if (rc != DOMAIN_OK)
		return rc;
	decision_tally(dec, pos, np, mem, nm, &t);
	return decision_result(a, dec, &t, res);
}

/* Checks that the decision's idea may move to MOVE_TO from where it is now. */
static int check_move(db *d, arena *a, const struct decision *dec, int move_to,
                      struct field_errors *errs)
{
	struct idea idea;
	int rc;
	if (move_to < 0)
		return DOMAIN_OK;
	if (!dec->idea_id || move_to >= IDEA_STATUS_COUNT) {
		field_error_add(errs, "move_to", "This decision is not about an idea to move on");
		return DOMAIN_EINVALID;
	}
	rc = ideas_get(d, a, dec->idea_id, &idea);
	if (rc != DOMAIN_OK)
		return rc;
	if (!ideas_status_allowed(idea.status, (enum idea_status)move_to)) {
		field_error_add(errs, "move_to",
		                arena_printf(a, "The idea is at %s now, so it cannot move to %s",
		                             ideas_status_label(idea.status),
		                             ideas_status_label((enum idea_status)move_to)));
		return DOMAIN_EINVALID;
	}
	return DOMAIN_OK;
}

int decision_close_tx(db *d, arena *a, const struct audit_actor *who, enum role role, int64_t id,
                      int move_to, const char *at, struct field_errors *errs,
                      struct decision_result *result)
{
	struct decision dec;
	struct decision_result res;
	char now[ISO_TIME_LEN];
	int rc = decision_get(d, a, who->account_id, role, id, &dec, NULL), bad = 0;
	db_stmt *st;
	sbuf json;

	if (rc != DOMAIN_OK)
		return rc;
	rc = need_manage(d, who, role, dec.group_id);
	if (rc != DOMAIN_OK)
		return rc;
	if (strcmp(dec.status, "open") != 0)
		return DOMAIN_ECONFLICT;
	rc = check_move(d, a, &dec, move_to, errs);
	if (rc != DOMAIN_OK)
		return rc;
	rc = compute(d, a, &dec, &res);
	if (rc != DOMAIN_OK)
		return rc;
	stamp(now, at);
	st = db_prepare(d, "UPDATE decisions SET status = 'closed', outcome = ?, closed_by = ?, "
	                   "closed_at = ? WHERE id = ? AND status = 'open'");
	if (!st)
		return DB_ERR;
	bad |= db_bind_text(st, 1, res.outcome);
	bad |= db_bind_int(st, 2, who->account_id);
	bad |= db_bind_text(st, 3, now);
	bad |= db_bind_int(st, 4, id);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return rc;
	if (db_changes(d) != 1)
		return DOMAIN_ECONFLICT;
	sbuf_init(&json, a, AUDIT_JSON_MAX + DECISION_OPTION_MAX * 6);
	sbuf_addc(&json, '{');
	json_field(&json, "outcome", sv_from(res.outcome), true);
	json_field(&json, "summary", sv_from(res.summary), false);
	sbuf_addc(&json, '}');
	if (json.err)
		return DB_ERR;
	rc = audit_record(d, who, "decision", id, "close", "{\"status\":\"open\"}", json.buf);
	if (rc == DB_OK && move_to >= 0 && res.carried) {
		const char *note = arena_printf(a, "Decided by the group: %s", res.summary);
		if (!note)
			return DB_ERR;
		rc = ideas_set_status_tx(d, a, who, dec.idea_id, (enum idea_status)move_to,
		                         sv_from(note), errs);
	}
	if (rc == DB_OK && result)
		*result = res;
	return rc;
}

int decision_close(db *d, arena *a, const struct audit_actor *who, enum role role, int64_t id,
                   int move_to, struct field_errors *errs, struct decision_result *result)
{
	IN_TRANSACTION(d, decision_close_tx(d, a, who, role, id, move_to, NULL, errs, result));
}

static int reopen_tx(db *d, arena *a, const struct audit_actor *who, enum role role, int64_t id,
                     sv reason, struct field_errors *errs)
{
	struct decision dec;
	char now[ISO_TIME_LEN];
	int rc = decision_get(d, a, who->account_id, role, id, &dec, NULL), bad = 0;
	db_stmt *st;
	sbuf before, after;

	if (rc != DOMAIN_OK)
		return rc;
	rc = need_manage(d, who, role, dec.group_id);
	if (rc != DOMAIN_OK)
		return rc;
	if (strcmp(dec.status, "closed") != 0)
		return DOMAIN_ECONFLICT;
	reason = sv_trim(reason);
	if (!reason.len)
		field_error_add(errs, "reason", "Enter why the decision is being reopened");
	else if (reason.len > DECISION_REASON_MAX)
		field_error_add(errs, "reason", "The reason must be 1000 characters or fewer");
	if (field_errors_any(errs))
		return DOMAIN_EINVALID;
	db_now_iso(now, 0);
	st = db_prepare(d, "UPDATE decisions SET status = 'open', outcome = NULL, closed_by = "
	                   "NULL, closed_at = NULL, reopened_by = ?, reopened_at = ? WHERE id = ? "
	                   "AND status = 'closed'");
	if (!st)
		return DB_ERR;
	bad |= db_bind_int(st, 1, who->account_id);
	bad |= db_bind_text(st, 2, now);
	bad |= db_bind_int(st, 3, id);
	rc = bad ? DB_ERR : db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return rc;
	if (db_changes(d) != 1)
		return DOMAIN_ECONFLICT;
	sbuf_init(&before, a, AUDIT_JSON_MAX + DECISION_OPTION_MAX * 6);
	sbuf_adds(&before, "{\"status\":\"closed\",");
	json_field(&before, "outcome", sv_from(dec.outcome), true);
	json_field(&before, "closed_at", sv_from(dec.closed_at), false);
	sbuf_addc(&before, '}');
	sbuf_init(&after, a, AUDIT_JSON_MAX + DECISION_REASON_MAX * 6);
	sbuf_adds(&after, "{\"status\":\"open\",");
	json_field(&after, "reason", reason, true);
	sbuf_addc(&after, '}');
	if (before.err || after.err)
		return DB_ERR;
	return audit_record(d, who, "decision", id, "reopen", before.buf, after.buf);
}

int decision_reopen(db *d, arena *a, const struct audit_actor *who, enum role role, int64_t id,
                    sv reason, struct field_errors *errs)
{
	IN_TRANSACTION(d, reopen_tx(d, a, who, role, id, reason, errs));
}
