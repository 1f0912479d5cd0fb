/* demo.h: clearly invented demonstration data, so people can try coprod before any real
 * person's details go in.
 *
 * demo_load fills a migrated, empty database with three demo organisations (every name
 * says "Demo"), one account per role plus one assisted local person registered by the
 * demo facilitator (all with is_demo = 1 and example.org addresses), and Salford's four
 * priority areas for co-production from the Locality Plan 2020-2025 (child poverty;
 * climate change; loneliness and social isolation; suicide prevention), each with its
 * original framing, a positive reframed statement, a plain-English summary, its
 * partnership and its indicators. Every account with an email signs in with
 * DEMO_PASSWORD.
 */
#ifndef DOMAIN_DEMO_H
#define DOMAIN_DEMO_H
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "db/db.h"

#define DEMO_PASSWORD "demo-password-2026"

/* One demo sign-in, for the command line to print after loading. */
struct demo_signin {
	const char *email;
	const char *role_label;   /* as role_label() gives it */
	const char *display_name;
};

/* The demo sign-ins, one per role, in the order roles are listed. */
extern const struct demo_signin demo_signins[];
extern const size_t demo_signin_count;

/* Loads the demo data in one transaction: all of it, or (after any failure or a kill)
 * none of it. A is for working memory. Returns DOMAIN_OK, DOMAIN_ECONFLICT if the database already has accounts or
 * organisations, or a DB_E* code. */
int demo_load(db *d, arena *a);

/* True if the database holds demo accounts: every page then says it is a demonstration
 * with invented people. */
bool demo_present(db *d);

#endif
