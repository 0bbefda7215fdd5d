/* Errors and warnings: the only way lib/ reports anything. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

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

__attribute__((format(printf, 4, 0))) static void add(struct shim_warnings *w, enum shim_warning_kind kind, const char *suggest_for,
		const char *fmt, va_list ap)
{
	char *msg = NULL, *name = NULL;
	char **grown;
	struct shim_warning_note *notes;

	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	if (!msg || (suggest_for && !(name = strdup(suggest_for))))
		goto oom; /* out of memory: a warning is not worth failing for */
	grown = realloc(w->msgs, (w->n + 1) * sizeof(*grown));
	if (!grown)
		goto oom;
	w->msgs = grown;
	notes = realloc(w->notes, (w->n + 1) * sizeof(*notes));
	if (!notes)
		goto oom;
	w->notes = notes;
	w->notes[w->n] = (struct shim_warning_note){ kind, name };
	w->msgs[w->n++] = msg;
	return;
oom:
	free(msg);
	free(name);
}

void shim_warn(struct shim_warnings *w, const char *fmt, ...)
{
	va_list ap;

	if (!w)
		return;
	va_start(ap, fmt);
	add(w, SHIM_WARNING_OTHER, NULL, fmt, ap);
	va_end(ap);
}

void shim_warn_note(struct shim_warnings *w, enum shim_warning_kind kind,
		    const char *suggest_for, const char *fmt, ...)
{
	va_list ap;

	if (!w)
		return;
	va_start(ap, fmt);
	add(w, kind, suggest_for, fmt, ap);
	va_end(ap);
}

bool shim_warnings_all(const struct shim_warnings *w, enum shim_warning_kind kind)
{
	for (size_t i = 0; w && i < w->n; i++)
		if (w->notes[i].kind != kind)
			return false;
	return true;
}

/* The "did you mean" is looked for here, when the message is shown: a
 * scan of every syscall name, which a run under -q never pays. */
const char *shim_warning_text(struct shim_warnings *w, size_t i)
{
	struct shim_warning_note *note;
	const char *near;
	char *msg, *done;
	size_t len, at;

	if (!w || i >= w->n)
		return NULL;
	note = &w->notes[i];
	if (!note->suggest_for)
		return w->msgs[i];
	near = shim_syscall_suggest(note->suggest_for);
	msg = w->msgs[i];
	len = strlen(msg);
	at = len && msg[len - 1] == ')' ? len - 1 : len;
	if (near && asprintf(&done, "%.*s; did you mean \"%s\"?%s", (int)at, msg, near, msg + at) >= 0) {
		free(msg);
		w->msgs[i] = done;
	}
	free(note->suggest_for);
	note->suggest_for = NULL;
	return w->msgs[i];
}

void shim_warnings_free(struct shim_warnings *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->n; i++) {
		free(w->msgs[i]);
		free(w->notes[i].suggest_for);
	}
	free(w->msgs);
	free(w->notes);
	w->msgs = NULL;
	w->notes = NULL;
	w->n = 0;
}
