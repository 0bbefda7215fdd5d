/* Errors and warnings: the only way lib/ reports anything. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seccomp-shim.h"

void shim_error_set(struct shim_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	err->code = code;
	err->exit_code = SHIM_EXIT_FAILURE;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

void shim_warn(struct shim_warnings *w, const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;
	char **grown;

	if (!w)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (!msg)
		return; /* out of memory: a warning is not worth failing for */
	grown = realloc(w->msgs, (w->n + 1) * sizeof(*grown));
	if (!grown) {
		free(msg);
		return;
	}
	w->msgs = grown;
	w->msgs[w->n++] = msg;
}

void shim_warnings_free(struct shim_warnings *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->n; i++)
		free(w->msgs[i]);
	free(w->msgs);
	w->msgs = NULL;
	w->n = 0;
}
