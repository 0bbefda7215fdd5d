/* Errors and warnings: the only way lib/ reports anything. Both are
 * values with their place in a profile as fields; shim/ formats them. */
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
	err->diag_code = NULL;
	err->file[0] = err->path[0] = '\0';
	err->line = err->col = 0;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

void shim_error_at(struct shim_error *err, int code, const char *diag_code, const char *file,
		   unsigned line, unsigned col, const char *path, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	err->code = code;
	err->exit_code = SHIM_EXIT_FAILURE;
	err->diag_code = diag_code;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	err->col = col;
	snprintf(err->path, sizeof(err->path), "%s", path ? path : "");
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

static char *dup_or_null(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

void shim_diag_free(struct shim_diag *d)
{
	free(d->file);
	free(d->path);
	free(d->message);
	free(d->fix);
	memset(d, 0, sizeof(*d));
}

/* Copies what d's strings hold into out; -1 out of memory. */
static int diag_copy(const struct shim_diag *d, struct shim_diag *out)
{
	*out = (struct shim_diag){
		.severity = d->severity, .code = d->code, .line = d->line, .col = d->col,
		.file = dup_or_null(d->file), .path = dup_or_null(d->path),
		.message = strdup(d->message ? d->message : ""), .fix = dup_or_null(d->fix),
	};
	if (!out->message || (d->file && *d->file && !out->file) ||
	    (d->path && *d->path && !out->path) || (d->fix && *d->fix && !out->fix)) {
		shim_diag_free(out);
		return -1;
	}
	return 0;
}

int shim_error_diag(const struct shim_error *err, struct shim_diag *out)
{
	const struct shim_diag d = {
		.severity = SHIM_SEV_ERROR, .code = err->diag_code ? err->diag_code : "error",
		.file = (char *)err->file, .line = err->line, .col = err->col,
		.path = (char *)err->path, .message = (char *)err->msg,
	};
	return diag_copy(&d, out);
}

__attribute__((format(printf, 5, 0))) static void add(struct shim_warnings *w,
		enum shim_warning_kind kind, const char *suggest_for,
		const struct shim_diag *place, const char *fmt, va_list ap)
{
	struct shim_diag d = { .severity = SHIM_SEV_WARNING, .code = "warning" }, *grown;
	struct shim_warning_note *notes;
	char *msg = NULL, *name = NULL;

	if (place)
		d = *place;
	d.severity = SHIM_SEV_WARNING;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	d.message = msg;
	if (!msg || (suggest_for && !(name = strdup(suggest_for))))
		goto oom; /* out of memory: a warning is not worth failing for */
	grown = realloc(w->v, (w->n + 1) * sizeof(*grown));
	if (!grown)
		goto oom;
	w->v = grown;
	notes = realloc(w->notes, (w->n + 1) * sizeof(*notes));
	if (!notes)
		goto oom;
	w->notes = notes;
	if (diag_copy(&d, &w->v[w->n]) < 0)
		goto oom;
	w->notes[w->n++] = (struct shim_warning_note){ .kind = kind, .suggest_for = name };
oom:
	free(msg);
	if (w->n == 0 || w->notes[w->n - 1].suggest_for != name)
		free(name);
}

void shim_warn(struct shim_warnings *w, const char *fmt, ...)
{
	va_list ap;

	if (!w)
		return;
	va_start(ap, fmt);
	add(w, SHIM_WARNING_OTHER, NULL, NULL, fmt, ap);
	va_end(ap);
}

void shim_warn_at(struct shim_warnings *w, const char *diag_code, const char *file,
		  unsigned line, unsigned col, const char *path, const char *fmt, ...)
{
	const struct shim_diag place = { .code = diag_code, .file = (char *)file, .line = line,
					 .col = col, .path = (char *)path };
	va_list ap;

	if (!w)
		return;
	va_start(ap, fmt);
	add(w, SHIM_WARNING_OTHER, NULL, &place, fmt, ap);
	va_end(ap);
}

void shim_warn_note(struct shim_warnings *w, enum shim_warning_kind kind,
		    const char *suggest_for, const struct shim_diag *place, const char *fmt, ...)
{
	va_list ap;

	if (!w)
		return;
	va_start(ap, fmt);
	add(w, kind, suggest_for, place, fmt, ap);
	va_end(ap);
}

bool shim_warnings_all(const struct shim_warnings *w, enum shim_warning_kind kind)
{
	for (size_t i = 0; w && i < w->n; i++)
		if (w->notes[i].kind != kind)
			return false;
	return true;
}

/* The "did you mean" is looked for here, when the warning is taken: a
 * scan of every syscall name, which a run under -q never pays. */
const struct shim_diag *shim_warning_diag(struct shim_warnings *w, size_t i)
{
	struct shim_warning_note *note;
	const char *near;
	char *msg, *done;
	size_t len, at;

	if (!w || i >= w->n)
		return NULL;
	note = &w->notes[i];
	if (!note->suggest_for || note->done)
		return &w->v[i];
	note->done = true;
	near = shim_syscall_suggest(note->suggest_for);
	msg = w->v[i].message;
	len = strlen(msg);
	at = len && msg[len - 1] == ')' ? len - 1 : len;
	if (near && asprintf(&done, "%.*s; did you mean \"%s\"?%s", (int)at, msg, near, msg + at) >= 0) {
		free(msg);
		w->v[i].message = done;
	}
	return &w->v[i];
}

void shim_warnings_free(struct shim_warnings *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->n; i++) {
		shim_diag_free(&w->v[i]);
		free(w->notes[i].suggest_for);
	}
	free(w->v);
	free(w->notes);
	w->v = NULL;
	w->notes = NULL;
	w->n = 0;
}
