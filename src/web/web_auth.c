/* web_auth.c: signing in and out, the signed-in home page, changing a password, reset
 * links, and a facilitator acting for someone who takes part in person. */
#include <string.h>
#include <time.h>

#include "core/escape.h"
#include "core/log.h"
#include "domain/password.h"
#include "domain/signin.h"
#include "web/web.h"
#include "web/web_board.h"
#include "web/web_budget.h"
#include "web/web_decisions.h"
#include "web/web_equality.h"
#include "web/web_evidence.h"
#include "web/web_groups.h"
#include "web/web_ideas.h"
#include "web/web_panels.h"
#include "web/web_payments.h"
#include "web/web_programmes.h"
#include "web/web_recruitment.h"
#include "web/web_reports.h"

static const struct field_spec sign_in_form[] = {
	{"email_field", "email", "Email address", NULL, "email", "email", true},
	{"password_field", "password", "Password", NULL, "password", "current-password", false},
	{NULL, NULL, NULL, NULL, NULL, NULL, false},
};

static const struct field_spec password_form[] = {
	{"current_field", "current_password", "Current password", NULL, "password",
	 "current-password", false},
	{"new_field", "new_password", "New password",
	 "At least 10 characters. A few words you can remember works well.", "password",
	 "new-password", false},
	{"confirm_field", "confirm_password", "Type the new password again", NULL, "password",
	 "new-password", false},
	{NULL, NULL, NULL, NULL, NULL, NULL, false},
};

/* The reset form is the password form without the current password. */
static const struct field_spec *const reset_form = password_form + 1;

/* A domain error about "password" is about the new one on these forms. */
static void rename_password_error(struct field_errors *fe)
{
	for (size_t i = 0; i < fe->n; i++)
		if (strcmp(fe->items[i].field, "password") == 0)
			fe->items[i].field = "new_password";
}

/* Only same-site paths are followed after signing in, never another site. */
static const char *safe_next(req *r)
{
	sv next = req_param(r, "next");
	if (next.len < 1 || next.len > 512 || next.ptr[0] != '/' ||
	    (next.len > 1 && (next.ptr[1] == '/' || next.ptr[1] == '\\')))
		return "/home";
	for (size_t i = 0; i < next.len; i++)
		if ((unsigned char)next.ptr[i] < 0x20)
			return "/home";
	return sv_dup(r->a, next);
}

static void sign_in_page(req *r, struct web *w, int status, const struct field_errors *fe)
{
	sv next = req_param(r, "next");
	if (next.ptr)
		tv_set_sv(w->page, "next", next);
	if (kv_get(&r->query, "reset").ptr)
		page_notice(w, "Your password has been set. You can now sign in with it.");
	page_form(r, w, sign_in_form, fe, NULL);
	page_render(r, w, status, "sign_in", "Sign in");
}

void web_sign_in_form(req *r, struct web *w)
{
	if (w->sess) {
		resp_redirect(r, "/home");
		return;
	}
	sign_in_page(r, w, 200, NULL);
}

void web_sign_in(req *r, struct web *w)
{
	struct field_errors fe;
	struct account acc;
	char token[SESSION_TOKEN_HEX + 1];
	sv email = sv_trim(kv_get(&r->form, "email")), password = kv_get(&r->form, "password");
	int retry = 0, rc;
	enum signin_result res;

	field_errors_init(&fe);
	if (!email.len)
		field_error_add(&fe, "email", "Enter your email address");
	if (!password.len)
		field_error_add(&fe, "password", "Enter your password");
	if (field_errors_any(&fe)) {
		sign_in_page(r, w, 400, &fe);
		return;
	}
	res = signin_attempt(w->db, r->a, email, password, r->client_address, (int64_t)time(NULL),
			     &acc, &retry);
	if (res == SIGNIN_ERROR) {
		page_error(r, w, 500);
		return;
	}
	if (res != SIGNIN_OK) {
		field_error_add(&fe, "email", signin_message(r->a, res, retry));
		sign_in_page(r, w, res == SIGNIN_LOCKED ? 429 : 400, &fe);
		return;
	}
	rc = session_create(w->db, r->a, acc.id, r->client_address, (int64_t)time(NULL), token,
			    NULL);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_cookie(r, SESSION_COOKIE, token, -1);
	resp_redirect(r, safe_next(r));
}

void web_sign_out(req *r, struct web *w)
{
	int rc = session_destroy(w->db, r->a, w->session_token, r->client_address);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_cookie(r, SESSION_COOKIE, "", 0);
	resp_redirect(r, "/?signed-out=1");
}

void web_home(req *r, struct web *w)
{
	unsigned role = (unsigned)w->sess->role;
	tv_set_str(w->page, "name", w->sess->display_name);
	tv_set_str(w->page, "role_label", role_label(w->sess->role));
	tv_set_bool(w->page, "is_local_person", role == ROLE_LOCAL_PERSON);
	tv_set_bool(w->page, "is_decision_maker", role == ROLE_DECISION_MAKER);
	tv_set_bool(w->page, "is_facilitator", role == ROLE_FACILITATOR);
	tv_set_bool(w->page, "is_programme_lead", role == ROLE_PROGRAMME_LEAD);
	tv_set_bool(w->page, "is_board_member", role == ROLE_BOARD_MEMBER);
	home_programmes(r, w);
	home_groups(r, w);
	home_ideas(r, w);
	home_decisions(r, w);
	home_board(r, w);
	home_recruitment(r, w);
	home_equality(r, w);
	home_panels(r, w);
	home_budget(r, w);
	home_payments(r, w);
	home_evidence(r, w);
	home_reports(r, w);
	if (kv_get(&r->query, "password-changed").ptr)
		page_notice(w, "Your password has been changed.");
	page_render(r, w, 200, "home", "Your home");
}

void web_password_form(req *r, struct web *w)
{
	page_form(r, w, password_form, NULL, NULL);
	page_render(r, w, 200, "password_change", "Change your password");
}

void web_password_change(req *r, struct web *w)
{
	struct field_errors fe;
	struct audit_actor who = web_actor(r, w);
	sv current = kv_get(&r->form, "current_password");
	sv next = kv_get(&r->form, "new_password"), confirm = kv_get(&r->form, "confirm_password");
	int rc;

	field_errors_init(&fe);
	if (!current.len)
		field_error_add(&fe, "current_password", "Enter your current password");
	else if (!account_check_password(w->db, w->sess->account_id, current))
		field_error_add(&fe, "current_password", "Your current password is not correct");
	if (!next.len)
		field_error_add(&fe, "new_password", "Enter a new password");
	else if (!sv_eq(next, confirm))
		field_error_add(&fe, "confirm_password", "The passwords do not match");
	if (!field_errors_any(&fe)) {
		who.on_behalf_of = 0; /* a password is one's own, even while acting for someone */
		rc = account_set_password(w->db, r->a, &who, w->sess->account_id, next,
					  w->sess->id, &fe);
		if (rc == DOMAIN_OK) {
			resp_redirect(r, "/home?password-changed=1");
			return;
		}
		if (rc != DOMAIN_EINVALID) {
			page_fail(r, w, rc);
			return;
		}
		rename_password_error(&fe);
	}
	page_form(r, w, password_form, &fe, NULL);
	page_render(r, w, 400, "password_change", "Change your password");
}

void web_reset_form(req *r, struct web *w)
{
	int64_t account_id;
	int rc = reset_lookup(w->db, web_param(w, "token"), (int64_t)time(NULL), &account_id);
	if (rc == DOMAIN_ENOTFOUND) {
		tv_set_bool(w->page, "invalid", true);
		page_render(r, w, 404, "reset_password", "Set a new password");
		return;
	}
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	page_form(r, w, reset_form, NULL, NULL);
	page_render(r, w, 200, "reset_password", "Set a new password");
}

void web_reset(req *r, struct web *w)
{
	struct field_errors fe;
	sv next = kv_get(&r->form, "new_password"), confirm = kv_get(&r->form, "confirm_password");
	int rc;

	field_errors_init(&fe);
	if (!next.len)
		field_error_add(&fe, "new_password", "Enter a new password");
	else if (!sv_eq(next, confirm))
		field_error_add(&fe, "confirm_password", "The passwords do not match");
	if (!field_errors_any(&fe)) {
		rc = reset_use(w->db, r->a, web_param(w, "token"), next, r->client_address,
			       (int64_t)time(NULL), &fe, NULL);
		if (rc == DOMAIN_OK) {
			resp_redirect(r, "/sign-in?reset=1");
			return;
		}
		if (rc == DOMAIN_ENOTFOUND) {
			tv_set_bool(w->page, "invalid", true);
			page_render(r, w, 404, "reset_password", "Set a new password");
			return;
		}
		if (rc != DOMAIN_EINVALID) {
			page_fail(r, w, rc);
			return;
		}
		rename_password_error(&fe);
	}
	page_form(r, w, reset_form, &fe, NULL);
	page_render(r, w, 400, "reset_password", "Set a new password");
}

void web_acting_for_start(req *r, struct web *w)
{
	int64_t id;
	int rc;
	if (sv_to_i64(web_param(w, "id"), &id) != 0) {
		page_error(r, w, 404);
		return;
	}
	rc = session_act_for(w->db, r->a, w->sess, id, r->client_address);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, "/home");
}

void web_acting_for_stop(req *r, struct web *w)
{
	int rc = session_act_for_stop(w->db, r->a, w->sess, r->client_address);
	if (rc != DOMAIN_OK) {
		page_fail(r, w, rc);
		return;
	}
	resp_redirect(r, "/assisted");
}
