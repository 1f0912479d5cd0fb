/* escape.h: output escaping by context. Each appends S to B escaped for one context,
 * copying runs of safe bytes in one go (rendering is the hot path of a page).
 *
 *   esc_html     text between tags and inside quoted attribute values (both quote kinds):
 *                & < > " ' become entities.
 *   esc_url      one URL component (path segment or query value): everything but
 *                unreserved bytes (A-Z a-z 0-9 - . _ ~) is percent-encoded.
 *   esc_url_attr a whole URL put into href/src/action: refuses schemes other than http,
 *                https, mailto, tel and relative URLs (writes "#" instead), then HTML-escapes.
 *   esc_json     a JSON string body (no quotes added) safe inside <script>: also escapes
 *                < > & and U+2028/2029 so "</script>" cannot end the element.
 *   esc_csv      one CSV field (RFC 4180), quoted when needed; a leading = + - @ is
 *                prefixed with ' so spreadsheets do not run it as a formula (a plain
 *                signed number such as -2.17 is left as it is: it runs nothing).
 */
#ifndef CORE_ESCAPE_H
#define CORE_ESCAPE_H
#include "core/str.h"

void esc_html(sbuf *b, sv s);
void esc_url(sbuf *b, sv s);
void esc_url_attr(sbuf *b, sv s);
void esc_json(sbuf *b, sv s);
void esc_csv(sbuf *b, sv s);

#endif
