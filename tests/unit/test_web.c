/* test_web.c: the route table and the central checks, driven in-process with fake
 * requests (no socket): 404, 405, sign-in redirects, CSRF refusals, role refusals, body
 * errors, and that error pages never echo the request. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/log.h"
#include "domain/password.h"
#include "domain/priorities.h"
#include "domain/sessions.h"
#include "http/static.h"
#include "web/web.h"

static char dir[64], path[128];
static struct app app;
/* Like the server, each fake request has its own arena: freeing it returns the
 * request's pooled database connection. */
static arena *prev;
static char local_token[SESSION_TOKEN_HEX + 1], local_csrf[SESSION_TOKEN_HEX + 1];

static int setup_all(void **state)
{
	struct audit_actor sys = {0, 0, NULL};
	static const char *const ind[] = {"Children in relative low income families"};
	struct priority_new p = {"child-poverty", "Child poverty", "Reduce child poverty",
				 "Every child in Salford has what they need to thrive",
				 "Summary", "Poverty Truth Commission", ind, 1};
	struct account_new acc = {0};
	struct session s;
	int64_t id;
	arena *a = arena_new(1 << 20);
	db *d;

	setenv("COPROD_TEST_FAST_HASH", "1", 1);
	log_set_level(LOG_ERROR);
	snprintf(dir, sizeof(dir), "/tmp/coprod-test-web-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	if (password_init() != 0 || tmpl_init() != 0 ||
	    static_init("node_modules/govuk-frontend/dist/govuk") != 0)
		return -1;
	if (db_open(path, &d) != DB_OK || db_migrate(d, NULL, NULL) != DB_OK)
		return -1;
	if (priorities_add(d, &sys, &p, NULL) != DB_OK)
		return -1;
	acc.email = SV("local@example.org");
	acc.display_name = SV("Test Local Person");
	acc.password = SV("a long enough password");
	acc.role = ROLE_LOCAL_PERSON;
	if (account_create(d, a, &sys, &acc, NULL, &id) != DOMAIN_OK)
		return -1;
	if (session_create(d, a, id, NULL, (int64_t)time(NULL), local_token, &s) != DOMAIN_OK)
		return -1;
	memcpy(local_csrf, s.csrf, sizeof(local_csrf));
	db_close(d);
	arena_free(a);
	app.pool = db_pool_new(path, 2);
	app.place = "Testplace";
	*state = NULL;
	return app.pool ? 0 : -1;
}

static int teardown_all(void **state)
{
	arena_free(prev);
	prev = NULL;
	char p[160];
	db_pool_free(app.pool);
	static_free();
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	unlink(path);
	rmdir(dir);
	return 0;
}

static req *fake(enum http_method m, const char *p)
{
	arena *a;
	req *r;
	arena_free(prev);
	prev = a = arena_new(REQ_ARENA_MAX);
	r = arena_calloc(a, 1, sizeof(*r));
	r->a = a;
	r->method = m;
	r->method_name = m == HTTP_POST ? "POST" : "GET";
	r->path = sv_from(p);
	r->raw_path = r->path;
	r->client_address = "127.0.0.1";
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";
	memcpy(r->nonce, "testnonce", 10);
	sbuf_init(&r->body_out, a, RESP_BODY_MAX);
	return r;
}

static void signed_in(req *r)
{
	kv_add(r->a, &r->cookies, SV(SESSION_COOKIE), sv_from(local_token));
}

static sv header(req *r, const char *name)
{
	return kv_get_icase(&r->resp_headers, name);
}

static void test_routes_check(void **state)
{
	assert_int_equal(web_routes_check(), 0);
}

static void test_home_page(void **state)
{
	req *r = fake(HTTP_GET, "/");
	web_dispatch(r, &app);
	assert_int_equal(r->status, 200);
	assert_non_null(strstr(r->body_out.buf, "Child poverty"));
	assert_non_null(strstr(r->body_out.buf, "Testplace"));
}

static void test_priority_page_and_slugs(void **state)
{
	req *r = fake(HTTP_GET, "/priorities/child-poverty");
	web_dispatch(r, &app);
	assert_int_equal(r->status, 200);
	assert_non_null(strstr(r->body_out.buf, "Every child in Salford has what they need"));
	r = fake(HTTP_GET, "/priorities/no-such-area");
	web_dispatch(r, &app);
	assert_int_equal(r->status, 404);
	r = fake(HTTP_GET, "/priorities/");
	web_dispatch(r, &app);
	assert_int_equal(r->status, 404);
}

static void test_unknown_path_is_404_without_echo(void **state)
{
	req *r = fake(HTTP_GET, "/no-such-page-<script>zzqq</script>");
	web_dispatch(r, &app);
	assert_int_equal(r->status, 404);
	assert_non_null(strstr(r->body_out.buf, "Page not found"));
	assert_null(strstr(r->body_out.buf, "zzqq"));
}

static void test_wrong_method_is_405_with_allow(void **state)
{
	req *r = fake(HTTP_POST, "/priorities");
	web_dispatch(r, &app);
	assert_int_equal(r->status, 405);
	assert_true(sv_eq_cstr(header(r, "Allow"), "GET, HEAD"));
	r = fake(HTTP_GET, "/sign-out");
	web_dispatch(r, &app);
	assert_int_equal(r->status, 405);
	assert_true(sv_eq_cstr(header(r, "Allow"), "POST"));
}

static void test_signed_in_page_redirects_visitors(void **state)
{
	req *r = fake(HTTP_GET, "/home");
	web_dispatch(r, &app);
	assert_int_equal(r->status, 303);
	assert_true(sv_eq_cstr(header(r, "Location"), "/sign-in?next=%2Fhome"));
	r = fake(HTTP_POST, "/account/password");
	web_dispatch(r, &app);
	assert_int_equal(r->status, 403);
}

static void test_role_refused(void **state)
{
	req *r = fake(HTTP_POST, "/acting-for/1");
	signed_in(r);
	kv_add(r->a, &r->form, SV("csrf"), sv_from(local_csrf));
	web_dispatch(r, &app);
	assert_int_equal(r->status, 403); /* a local person may not act for anyone */
	r = fake(HTTP_GET, "/home");
	signed_in(r);
	web_dispatch(r, &app);
	assert_int_equal(r->status, 200);
	assert_non_null(strstr(r->body_out.buf, "Test Local Person"));
}

static void test_csrf_required(void **state)
{
	req *r = fake(HTTP_POST, "/sign-out");
	signed_in(r);
	kv_add(r->a, &r->form, SV("csrf"), SV("0000000000000000000000000000000000000000000000000000000000000000"));
	web_dispatch(r, &app);
	assert_int_equal(r->status, 403);

	/* A visitor's sign-in form must repeat the coprod_csrf cookie. */
	r = fake(HTTP_POST, "/sign-in");
	kv_add(r->a, &r->form, SV("email"), SV("local@example.org"));
	kv_add(r->a, &r->form, SV("password"), SV("a long enough password"));
	web_dispatch(r, &app);
	assert_int_equal(r->status, 403);

	r = fake(HTTP_POST, "/sign-in");
	kv_add(r->a, &r->cookies, SV(CSRF_COOKIE),
	       SV("1111111111111111111111111111111111111111111111111111111111111111"));
	kv_add(r->a, &r->form, SV("csrf"),
	       SV("1111111111111111111111111111111111111111111111111111111111111111"));
	kv_add(r->a, &r->form, SV("email"), SV("local@example.org"));
	kv_add(r->a, &r->form, SV("password"), SV("a long enough password"));
	web_dispatch(r, &app);
	assert_int_equal(r->status, 303);
	assert_true(sv_eq_cstr(header(r, "Location"), "/home"));
	assert_non_null(strstr(header(r, "Set-Cookie").ptr, SESSION_COOKIE "="));
}

static void test_body_errors(void **state)
{
	req *r = fake(HTTP_POST, "/sign-in");
	r->body_error = FORM_ETOOBIG;
	web_dispatch(r, &app);
	assert_int_equal(r->status, 413);
	r = fake(HTTP_POST, "/sign-in");
	r->body_error = FORM_EBAD;
	web_dispatch(r, &app);
	assert_int_equal(r->status, 400);
}

static void test_api_errors_are_json(void **state)
{
	req *r = fake(HTTP_GET, "/api/v1/no-such-thing");
	web_dispatch(r, &app);
	assert_int_equal(r->status, 404);
	assert_string_equal(r->content_type, "application/json");
	assert_string_equal(r->body_out.buf, "{\"error\":\"Page not found\",\"status\":404}");
}

static void test_static_files(void **state)
{
	req *r = fake(HTTP_GET, "/assets/govuk-frontend.min.js");
	web_dispatch(r, &app);
	assert_int_equal(r->status, 200);
	assert_string_equal(r->content_type, "text/javascript; charset=utf-8");
	assert_non_null(header(r, "ETag").ptr);
	r = fake(HTTP_GET, "/assets/fonts/bold-affa96571d-v2.woff");
	web_dispatch(r, &app);
	assert_int_equal(r->status, 404);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routes_check),
		cmocka_unit_test(test_home_page),
		cmocka_unit_test(test_priority_page_and_slugs),
		cmocka_unit_test(test_unknown_path_is_404_without_echo),
		cmocka_unit_test(test_wrong_method_is_405_with_allow),
		cmocka_unit_test(test_signed_in_page_redirects_visitors),
		cmocka_unit_test(test_role_refused),
		cmocka_unit_test(test_csrf_required),
		cmocka_unit_test(test_body_errors),
		cmocka_unit_test(test_api_errors_are_json),
		cmocka_unit_test(test_static_files),
	};
	return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
