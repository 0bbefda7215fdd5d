/* Diagnostics as lines and JSON: the one place a struct shim_diag or the
 * place of a struct shim_error becomes text. lib/ makes the records. */
#ifndef SHIM_DIAG_H
#define SHIM_DIAG_H

#include <stdbool.h>

#include "seccomp-shim/inspect.h"

/* "FILE:LINE:COL: PATH: message", leaving out what d does not have. */
void diag_line(const struct shim_diag *d, struct shim_text *out);
/* The error as the run and the subcommands say it, in the same form;
 * valid until the next call. */
const char *diag_error_text(const struct shim_error *err);
/* Warning i of w in the same form; valid until the next call. */
const char *diag_warning_text(struct shim_warnings *w, size_t i);
/* check's findings as text ("FILE:L:C: warning: PATH: what [code]" and a
 * fix line) or as JSON, a faithful dump of the records. */
void diag_findings_format(const struct shim_findings *f, bool as_json, struct shim_text *out);

#endif
