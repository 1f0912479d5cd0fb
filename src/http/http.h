/* http.h: one HTTP request and its response, as handlers see them.
 *
 * The server (server.c) fills a req from libmicrohttpd and hands it to the application's
 * dispatch function once the whole body has arrived; the application sets the status,
 * headers and body through the resp_* functions below. Nothing here knows about routes,
 * accounts or pages. Everything a request allocates lives in r->a, freed in one go when
 * the response has been sent.
 */
#ifndef HTTP_HTTP_H
#define HTTP_HTTP_H
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/kv.h"
#include "core/str.h"
#include "http/form.h"

enum http_method { HTTP_GET = 1, HTTP_HEAD = 2, HTTP_POST = 4, HTTP_OTHER = 8 };

#define REQ_ARENA_MAX (32 * 1024 * 1024) /* all memory one request may use */
#define REQ_BODY_MAX (1024 * 1024)        /* urlencoded bodies */
#define REQ_UPLOAD_MAX (10 * 1024 * 1024) /* multipart bodies (CSV imports, files) */
#define RESP_BODY_MAX (8 * 1024 * 1024)   /* a rendered page or export */
#define CSP_NONCE_LEN 22                  /* base64url of 16 random bytes */

typedef struct req req;

struct req {
	arena *a;
	enum http_method method;
	const char *method_name;
	sv path;        /* percent-decoded path, without the query string */
	sv raw_path;    /* as sent, for logs */
	sv query_raw;   /* after '?', not decoded */
	kvlist query;   /* decoded query parameters */
	kvlist headers; /* request headers as sent */
	kvlist cookies;
	kvlist form;    /* decoded urlencoded or multipart fields (POST) */
	struct upload *uploads;
	sv body;        /* raw body for non-form content types */
	const char *client_address;
	int body_error; /* FORM_E* from body parsing, 0 if none */
	char nonce[CSP_NONCE_LEN + 1];
	int64_t started_us;

	/* response */
	int status;
	const char *content_type;
	kvlist resp_headers;
	sbuf body_out;
	const void *static_body; /* when set, sent instead of body_out (not copied) */
	size_t static_len;

	void *app; /* the application's per-request state */
};

sv req_header(const req *r, const char *name);
sv req_cookie(const req *r, const char *name);
sv req_param(const req *r, const char *name); /* form field, else query parameter */

/* Response helpers. resp_header copies nothing: pass literals or arena strings. */
void resp_header(req *r, const char *name, const char *value);
void resp_text(req *r, int status, const char *content_type, sv body);
void resp_redirect(req *r, const char *location); /* 303 See Other */
/* Sets a cookie: HttpOnly, SameSite=Lax, Path=/, Secure when the server runs in
 * secure-cookie mode. MAX_AGE < 0 means a session cookie; 0 deletes it. */
void resp_cookie(req *r, const char *name, const char *value, long max_age);

/* The server. */
struct http_config {
	const char *listen; /* IPv4 or IPv6 literal address */
	int port;           /* 0 picks a free port */
	bool secure_cookies;
	int max_connections;
	int connection_timeout_s;
	void (*dispatch)(req *r, void *ctx);
	void *ctx;
};

typedef struct http_server http_server;

/* Starts listening and serving on background threads. NULL on failure (logged). */
http_server *http_start(const struct http_config *cfg);
int http_port(const http_server *s);
/* Stops accepting, waits up to GRACE_MS for requests in flight, then stops. */
void http_stop(http_server *s, int grace_ms);
bool http_secure_cookies(void);

#endif
