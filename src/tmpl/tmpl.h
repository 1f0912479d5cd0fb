/* tmpl.h: HTML templates that escape by default, by context.
 *
 * Syntax (a small Mustache):
 *   {{name}} {{a.b}}   a value, escaped for where it stands (see below)
 *   {{{name}}}         raw output: explicit and rare (pre-rendered, already-safe HTML)
 *   {{#name}}..{{/name}}  section: once per list item (item pushed as context), once with
 *                      a map pushed, once if true / non-empty / non-zero; else skipped
 *   {{^name}}..{{/name}}  inverted: only if missing, false, empty or zero
 *   {{> partial}}      another template by name (without ".html"), same context
 *   {{! comment}}
 *   {{.}}              the current list item (for lists of strings)
 * Lookup walks the context stack outwards; a dotted name looks up each part in turn.
 * A missing name renders nothing. Strings are escaped as below; integers render as
 * decimal; true renders "true" and false nothing; maps and lists render nothing.
 * Sections count as true when the value is a non-empty string or list, a non-zero
 * integer, true, or any map. There is no standalone-line trimming: the newline after a
 * section tag stays in the output.
 *
 * Context is worked out when a template is parsed, from the HTML around each tag:
 *   text, or inside a quoted attribute value   -> esc_html
 *   at the start of href/src/action/formaction -> esc_url_attr (unsafe schemes become #)
 *   later in such a URL attribute               -> esc_url (component)
 *   inside <script>...</script>                 -> esc_json (write the quotes yourself)
 *   an unquoted attribute value or a tag name   -> parse error (never guessed)
 *   <style>, style="", on*="" and srcdoc=""      -> parse error
 * Inside <script> a value must stand inside a "double-quoted" string (esc_json does not
 * escape ' or `); raw {{{x}}} is allowed only in text. A section must close in the same
 * place in the HTML as it opened (same text, tag, attribute value or script string), so
 * that skipping it cannot change the context of what follows; a partial may only stand
 * in text, and a template must end in text.
 *
 * Templates are files in templates/, compiled into the binary and parsed once by
 * tmpl_init(). Values (tval) live in the request's arena.
 */
#ifndef TMPL_TMPL_H
#define TMPL_TMPL_H
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/str.h"

typedef struct tval tval;

tval *tv_map(arena *a);
tval *tv_list(arena *a);
tval *tv_str(arena *a, const char *s); /* NULL gives an empty string; not copied */
tval *tv_sv(arena *a, sv s);           /* not copied */
tval *tv_int(arena *a, int64_t v);
tval *tv_bool(arena *a, bool v);
/* Map setters. KEY is not copied (use literals or arena strings). A later set of the
 * same key replaces the earlier. All are no-ops when MAP is NULL (allocation failed
 * earlier), and render then fails, so callers need not check each one: a NULL V (or a
 * failed allocation inside a setter) marks MAP as failed, and rendering fails when it
 * meets a failed map or list. The same goes for tv_push. */
void tv_set(tval *map, const char *key, tval *v);
void tv_set_str(tval *map, const char *key, const char *s);
void tv_set_sv(tval *map, const char *key, sv s);
void tv_set_int(tval *map, const char *key, int64_t v);
void tv_set_bool(tval *map, const char *key, bool v);
void tv_push(tval *list, tval *v);
size_t tv_len(const tval *list);
/* Looks up KEY in MAP (no dots). NULL if absent. */
tval *tv_get(const tval *map, const char *key);

typedef struct tmpl tmpl;

/* Parses SRC as template NAME into arena A (SRC is copied: the caller may free it). On
 * error returns NULL and writes "NAME:LINE: message" into ERR. */
tmpl *tmpl_parse(arena *a, const char *name, sv src, char *err, size_t errlen);

/* A set of parsed templates for partial lookup. */
typedef struct tmpl_set tmpl_set;
tmpl_set *tmpl_set_new(arena *a);
/* Adds T as NAME (copied). Returns 0, or -1 if NAME is already there or out of memory. */
int tmpl_set_add(tmpl_set *set, const char *name, tmpl *t);
const tmpl *tmpl_set_find(const tmpl_set *set, const char *name);

/* Renders T with CTX into OUT, resolving partials in SET (may be NULL). Returns 0, or -1
 * on a missing partial, nesting deeper than TMPL_MAX_DEPTH, more than TMPL_MAX_STEPS,
 * a NULL or failed CTX (or a failed value met on the way), or OUT's sticky error. On -1
 * OUT holds a partial page: send an error page instead. */
#define TMPL_MAX_DEPTH 32
int tmpl_render_t(const tmpl *t, const tmpl_set *set, const tval *ctx, sbuf *out);
/* Node visits in one render: partials and nested lists can multiply the work, and a
 * runaway template must fail one page, not hold a worker. A page needing more is wrong. */
#define TMPL_MAX_STEPS (16 * 1024 * 1024)
/* As tmpl_render_t with a smaller budget than TMPL_MAX_STEPS (tests and fuzzing). */
int tmpl_render_limit(const tmpl *t, const tmpl_set *set, const tval *ctx, sbuf *out,
                      size_t max_steps);

/* Parses every embedded template into a process-wide set, and checks that every partial
 * named exists. Returns 0, or -1 after logging each error as "FILE.html:LINE: message".
 * Call once at start-up, before threads. */
int tmpl_init(void);
/* Renders the embedded template NAME (without ".html"). Returns 0, or -1 after logging
 * why (never the values). Safe from many threads at once after tmpl_init. */
int tmpl_render(const char *name, const tval *ctx, sbuf *out);

#endif
