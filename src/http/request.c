/* request.c: reading a request and writing its response; see http.h. */
#include "http/http.h"

#include <stdio.h>

sv req_header(const req *r, const char *name)
{
	return kv_get_icase(&r->headers, name);
}

sv req_cookie(const req *r, const char *name)
{
	return kv_get(&r->cookies, name);
}

sv req_param(const req *r, const char *name)
{
	sv v = kv_get(&r->form, name);
	return v.ptr ? v : kv_get(&r->query, name);
}

void resp_header(req *r, const char *name, const char *value)
{
	kv_add(r->a, &r->resp_headers, sv_from(name), sv_from(value));
}

void resp_text(req *r, int status, const char *content_type, sv body)
{
	r->status = status;
	r->content_type = content_type;
	sbuf_reset(&r->body_out);
	sbuf_addsv(&r->body_out, body);
}

void resp_redirect(req *r, const char *location)
{
	r->status = 303;
	resp_header(r, "Location", location);
	r->content_type = "text/plain; charset=utf-8";
	sbuf_reset(&r->body_out);
}

void resp_cookie(req *r, const char *name, const char *value, long max_age)
{
	char *c;
	if (max_age >= 0)
		c = arena_printf(r->a, "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%ld%s", name,
				 value, max_age, http_secure_cookies() ? "; Secure" : "");
	else
		c = arena_printf(r->a, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s", name, value,
				 http_secure_cookies() ? "; Secure" : "");
	if (c)
		resp_header(r, "Set-Cookie", c);
}
