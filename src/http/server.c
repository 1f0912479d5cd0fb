/* server.c: libmicrohttpd glue: turns MHD callbacks into one req per request.
 *
 * Known traps in libmicrohttpd 0.9.75, and what this file does about them:
 * - answering on the first access-handler call makes it send "Connection: close", so we
 *   answer on a later call (except to refuse a declared body that is too large, where
 *   closing is what we want);
 * - in epoll-pool mode a slow handler delays unrelated requests, and our handlers block
 *   on SQLite and on password hashing, so we run a thread per connection, with a
 *   connection limit, a per-connection memory limit and an idle timeout;
 * - its timeout is an idle timeout and it accepts conflicting Content-Length, CL+TE and
 *   obs-fold headers: production runs behind nginx (deploy/nginx/coprod.conf), which
 *   closes slow clients and refuses those requests.
 * The raw URI comes from the URI-log callback, so the path is decoded once, by us.
 */
#include "http/http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/log.h"

struct http_server {
	struct MHD_Daemon *d;
	struct http_config cfg;
	pthread_mutex_t lock;
	pthread_cond_t idle;
	/* Requests being handled, plus connections accepted whose first request has not
	 * yet been read: shutdown waits for both, so a client that connected just before
	 * SIGTERM still gets its answer. */
	int in_flight;
};

/* Per connection (MHD's socket context). */
struct conn_state {
	bool fresh; /* accepted, first request not yet seen */
};

static void busy_add(http_server *s, int n)
{
	pthread_mutex_lock(&s->lock);
	s->in_flight += n;
	if (s->in_flight == 0)
		pthread_cond_broadcast(&s->idle);
	pthread_mutex_unlock(&s->lock);
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	http_server *s = cls;
	struct conn_state *cs = *socket_context;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		cs = calloc(1, sizeof(*cs));
		*socket_context = cs;
		if (cs) {
			cs->fresh = true;
			busy_add(s, 1);
		}
		return;
	}
	if (cs) {
		if (cs->fresh)
			busy_add(s, -1);
		free(cs);
		*socket_context = NULL;
	}
}

static bool secure_cookies;

bool http_secure_cookies(void)
{
	return secure_cookies;
}

enum body_kind { BODY_NONE, BODY_URLENCODED, BODY_MULTIPART, BODY_RAW };

struct conn_req {
	req r;
	http_server *srv;
	int phase; /* 0: headers not yet seen, 1: reading the body, 2: answered */
	enum body_kind kind;
	sbuf body;
	multipart *mp;
	size_t body_max;
	uint64_t bytes_out;
};

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	http_server *s = cls;
	arena *a = arena_new(REQ_ARENA_MAX);
	struct conn_req *cr;
	sv u = sv_from(uri), q;
	if (!a)
		return NULL;
	cr = arena_calloc(a, 1, sizeof(*cr));
	if (!cr) {
		arena_free(a);
		return NULL;
	}
	cr->srv = s;
	cr->r.a = a;
	cr->r.started_us = now_us();
	cr->r.raw_path = sv_cut(u, '?', &q);
	cr->r.raw_path.ptr = sv_dup(a, cr->r.raw_path);
	cr->r.query_raw = q.ptr ? (sv){sv_dup(a, q), q.len} : SV("");
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn_state *cs = ci ? ci->socket_context : NULL;
	if (cs && cs->fresh)
		cs->fresh = false; /* its count passes to this request */
	else
		busy_add(s, 1);
	return cr;
}

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
				      const char *value)
{
	req *r = cls;
	kv_add(r->a, &r->headers, sv_from(key), sv_from(value ? value : ""));
	return MHD_YES;
}

#define ADDRESS_TEXT_MAX 45 /* the longest IPv6 address as text */

static bool is_loopback(const char *address)
{
	return strncmp(address, "127.", 4) == 0 || strcmp(address, "::1") == 0 ||
	       strncmp(address, "::ffff:127.", 11) == 0;
}

/* The visitor's address, for limits on sign-in and forms, sessions and the audit log: the
 * connection's, or, when the connection comes from nginx on this machine
 * (deploy/nginx/coprod.conf), the address nginx gives in X-Real-IP, so that everyone
 * behind it is not counted as one visitor (twenty failed sign-ins by anyone would lock
 * out everyone). The header is believed from this machine only, and only when it looks
 * like an address. Headers are collected first (begin). */
static void set_client_address(req *r, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char buf[INET6_ADDRSTRLEN] = "unknown";
	sv real;
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
				  buf, sizeof(buf));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
				  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf,
				  sizeof(buf));
	}
	r->client_address = arena_strdup(r->a, buf);
	if (!is_loopback(buf))
		return;
	real = sv_trim(req_header(r, "X-Real-IP"));
	if (!real.len || real.len > ADDRESS_TEXT_MAX)
		return;
	for (size_t i = 0; i < real.len; i++) {
		char ch = real.ptr[i];
		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
		      (ch >= 'A' && ch <= 'F') || ch == ':' || ch == '.'))
			return;
	}
	r->client_address = sv_dup(r->a, real);
}

static void make_nonce(req *r)
{
	unsigned char raw[16];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(r->nonce, sizeof(r->nonce), raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static enum http_method parse_method(const char *m)
{
	if (strcmp(m, "GET") == 0)
		return HTTP_GET;
	if (strcmp(m, "HEAD") == 0)
		return HTTP_HEAD;
	if (strcmp(m, "POST") == 0)
		return HTTP_POST;
	return HTTP_OTHER;
}

/* Reads the request line and headers; decides how the body will be read. Returns false
 * when the request must be answered at once (body declared too large). */
static bool begin(struct conn_req *cr, struct MHD_Connection *c, const char *method)
{
	req *r = &cr->r;
	sv ct, cl;
	int64_t declared = -1;

	r->method = parse_method(method);
	r->method_name = arena_strdup(r->a, method);
	MHD_get_connection_values(c, MHD_HEADER_KIND, collect_header, r);
	set_client_address(r, c);
	make_nonce(r);
	sbuf_init(&r->body_out, r->a, RESP_BODY_MAX);
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";

	if (pct_decode(r->a, r->raw_path, false, &r->path) != 0 || r->path.len == 0 ||
	    r->path.ptr[0] != '/')
		r->body_error = FORM_EBAD;
	else if (form_parse_urlencoded(r->a, r->query_raw, &r->query) != 0)
		r->body_error = FORM_EBAD;
	cookies_parse(r->a, req_header(r, "Cookie"), &r->cookies);

	cl = req_header(r, "Content-Length");
	if (cl.ptr && sv_to_i64(cl, &declared) != 0)
		r->body_error = FORM_EBAD;
	ct = req_header(r, "Content-Type");
	if (r->method != HTTP_POST) {
		cr->kind = BODY_NONE;
		cr->body_max = 0;
	} else if (ct.ptr && sv_starts_with(ct, SV("multipart/form-data"))) {
		cr->kind = BODY_MULTIPART;
		cr->body_max = REQ_UPLOAD_MAX;
		cr->mp = multipart_new(r->a, ct);
		if (!cr->mp && !r->body_error)
			r->body_error = FORM_EBAD;
	} else if (ct.ptr && sv_starts_with(ct, SV("application/x-www-form-urlencoded"))) {
		cr->kind = BODY_URLENCODED;
		cr->body_max = REQ_BODY_MAX;
	} else {
		cr->kind = BODY_RAW;
		cr->body_max = REQ_BODY_MAX;
	}
	sbuf_init(&cr->body, r->a, cr->body_max);
	if (declared > (int64_t)cr->body_max && r->method == HTTP_POST) {
		r->body_error = FORM_ETOOBIG;
		return false;
	}
	return true;
}

static void feed(struct conn_req *cr, const char *data, size_t len)
{
	req *r = &cr->r;
	if (r->body_error)
		return;
	if (cr->kind == BODY_MULTIPART) {
		if (cr->body.len + len > cr->body_max) {
			r->body_error = FORM_ETOOBIG;
			return;
		}
		cr->body.len += len; /* counts bytes only; the parser keeps the parts */
		int rc = multipart_feed(cr->mp, data, len);
		if (rc != 0)
			r->body_error = rc;
		return;
	}
	sbuf_add(&cr->body, data, len);
	if (cr->body.err)
		r->body_error = cr->body.err == SBUF_ERR_TOOBIG ? FORM_ETOOBIG : FORM_ENOMEM;
}

static void finish_body(struct conn_req *cr)
{
	req *r = &cr->r;
	int rc = 0;
	if (r->body_error)
		return;
	if (cr->kind == BODY_URLENCODED)
		rc = form_parse_urlencoded(r->a, sbuf_sv(&cr->body), &r->form);
	else if (cr->kind == BODY_MULTIPART)
		rc = multipart_finish(cr->mp, &r->form, &r->uploads);
	else if (cr->kind == BODY_RAW)
		r->body = sbuf_sv(&cr->body);
	if (rc != 0)
		r->body_error = rc;
}

static void add_security_headers(struct MHD_Response *resp, const req *r)
{
	char csp[512];
	snprintf(csp, sizeof(csp),
		 "default-src 'self'; script-src 'self' 'nonce-%s'; style-src 'self' 'nonce-%s'; "
		 "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
		 "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
		 r->nonce, r->nonce);
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(resp, "Permissions-Policy",
				"camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
				"interest-cohort=()");
	if (secure_cookies)
		MHD_add_response_header(resp, "Strict-Transport-Security",
					"max-age=31536000; includeSubDomains");
}

static enum MHD_Result answer(struct conn_req *cr, struct MHD_Connection *c)
{
	req *r = &cr->r;
	struct MHD_Response *resp;
	const void *data;
	size_t len;
	enum MHD_Result ret;

	cr->srv->cfg.dispatch(r, cr->srv->cfg.ctx);
	if (r->static_body) {
		data = r->static_body;
		len = r->static_len;
	} else {
		if (r->body_out.err) {
			log_error("response body too large or out of memory for " SV_FMT,
				  SV_ARG(r->raw_path));
			r->status = 500;
			sbuf_reset(&r->body_out);
			sbuf_adds(&r->body_out, "Sorry, there is a problem with the service.\n");
			r->content_type = "text/plain; charset=utf-8";
		}
		data = r->body_out.buf;
		len = r->body_out.len;
	}
	resp = MHD_create_response_from_buffer(len, (void *)(uintptr_t)data,
					       MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", r->content_type);
	add_security_headers(resp, r);
	for (size_t i = 0; i < r->resp_headers.n; i++)
		MHD_add_response_header(resp, r->resp_headers.items[i].key.ptr,
					r->resp_headers.items[i].val.ptr);
	cr->bytes_out = len;
	cr->phase = 2;
	ret = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *c, const char *url,
				 const char *method, const char *version, const char *upload_data,
				 size_t *upload_data_size, void **con_cls)
{
	struct conn_req *cr = *con_cls;
	if (!cr)
		return MHD_NO; /* out of memory in on_uri: drop the connection */
	if (cr->phase == 0) {
		cr->phase = 1;
		if (!begin(cr, c, method))
			return answer(cr, c);
		return MHD_YES;
	}
	if (cr->phase == 2) {
		*upload_data_size = 0; /* already answered (e.g. 413): discard the rest */
		return MHD_YES;
	}
	if (*upload_data_size) {
		feed(cr, upload_data, *upload_data_size);
		*upload_data_size = 0;
		if (cr->r.body_error == FORM_ETOOBIG)
			return answer(cr, c);
		return MHD_YES;
	}
	finish_body(cr);
	return answer(cr, c);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct conn_req *cr = *con_cls;
	http_server *s = cls;
	if (!cr)
		return;
	if (cr->phase == 2)
		log_access(cr->r.method_name ? cr->r.method_name : "-", cr->r.raw_path.ptr,
			   cr->r.raw_path.len, cr->r.status, cr->bytes_out,
			   now_us() - cr->r.started_us);
	arena_free(cr->r.a);
	*con_cls = NULL;
	busy_add(s, -1);
}

__attribute__((format(printf, 2, 0))) static void on_mhd_error(void *cls, const char *fmt,
							     va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	log_debug("http: %s", msg);
}

http_server *http_start(const struct http_config *cfg)
{
	http_server *s = calloc(1, sizeof(*s));
	struct sockaddr_storage ss;
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
			 MHD_USE_POLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	socklen_t sl;

	if (!s)
		return NULL;
	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, cfg->listen, &((struct sockaddr_in *)(void *)&ss)->sin_addr) == 1) {
		struct sockaddr_in *sin = (struct sockaddr_in *)(void *)&ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)cfg->port);
		sl = sizeof(*sin);
	} else if (inet_pton(AF_INET6, cfg->listen,
			     &((struct sockaddr_in6 *)(void *)&ss)->sin6_addr) == 1) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)(void *)&ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)cfg->port);
		sl = sizeof(*sin6);
		flags |= MHD_USE_IPv6;
	} else {
		log_error("listen address %s is not an IPv4 or IPv6 address", cfg->listen);
		free(s);
		return NULL;
	}
	(void)sl;
	s->cfg = *cfg;
	secure_cookies = cfg->secure_cookies;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->idle, NULL);
	s->d = MHD_start_daemon(
		flags, (uint16_t)cfg->port, NULL, NULL, on_access, s, MHD_OPTION_SOCK_ADDR,
		(struct sockaddr *)&ss, MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_NOTIFY_CONNECTION,
		on_connection, s, MHD_OPTION_CONNECTION_LIMIT,
		(unsigned)cfg->max_connections, MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned)cfg->connection_timeout_s, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		(size_t)(64 * 1024), MHD_OPTION_THREAD_STACK_SIZE, (size_t)(1024 * 1024),
		MHD_OPTION_LISTENING_ADDRESS_REUSE, 1U, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error,
		NULL, MHD_OPTION_END);
	if (!s->d) {
		log_error("cannot listen on %s port %d (in use, or not allowed)", cfg->listen,
			  cfg->port);
		free(s);
		return NULL;
	}
	return s;
}

int http_port(const http_server *s)
{
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	return di ? di->port : -1;
}

/* Lets the listening thread accept the connections already waiting in the kernel's
 * queue (clients that connected just before the signal), which closing the socket would
 * reset, for at most BACKLOG_DRAIN_MS. */
#define BACKLOG_DRAIN_MS 500
static void drain_backlog(http_server *s)
{
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_LISTEN_FD);
	if (!di)
		return;
	for (int waited = 0; waited < BACKLOG_DRAIN_MS; waited += 5) {
		struct pollfd p = {di->listen_fd, POLLIN, 0};
		if (poll(&p, 1, 0) <= 0)
			return;
		struct timespec ts = {0, 5 * 1000000L};
		nanosleep(&ts, NULL);
	}
}

void http_stop(http_server *s, int grace_ms)
{
	struct timespec until;
	drain_backlog(s);
	MHD_socket fd = MHD_quiesce_daemon(s->d);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += grace_ms / 1000;
	until.tv_nsec += (long)(grace_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&s->lock);
	while (s->in_flight > 0)
		if (pthread_cond_timedwait(&s->idle, &s->lock, &until) != 0)
			break;
	if (s->in_flight > 0)
		log_warn("stopping with %d requests still in flight", s->in_flight);
	pthread_mutex_unlock(&s->lock);
	MHD_stop_daemon(s->d);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->idle);
	free(s);
}
