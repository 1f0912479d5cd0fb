/* static.h: the static files coprod serves itself (nginx serves them in production).
 *
 * At start-up the GOV.UK Frontend stylesheet and script are read from the assets
 * directory (node_modules/govuk-frontend/dist/govuk by default) and our own files are
 * taken from the binary (static/), all into memory, each with a content hash as ETag.
 * They are served under /assets/NAME. Pages link to them as /assets/NAME?v=VERSION, where
 * VERSION changes whenever any file changes, so they can be cached for a year. GOV.UK's
 * fonts and crown images are deliberately not served: this is a council service, in
 * Arial, with its own header.
 */
#ifndef HTTP_STATIC_H
#define HTTP_STATIC_H
#include <stdbool.h>

#include "http/http.h"

/* Loads the files. Returns 0, or -1 if the GOV.UK files are missing (logged, saying
 * how to install them). */
int static_init(const char *assets_dir);
/* A short hash of all the files together. */
const char *static_version(void);
/* Answers R if its path is a static file (200, or 304 for a matching If-None-Match).
 * Returns false, touching nothing, if it is not. */
bool static_serve(req *r);
void static_free(void);

#endif
