/* Diagnostics as text: lib/ hands over records (struct shim_diag, the
 * place fields of struct shim_error); only here do they become lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "diag.h"

void diag_line(const struct shim_diag *d, struct shim_text *out)
{
	if (d->file && *d->file) {
		if (d->line)
			shim_text_printf(out, "%s:%u:%u: ", d->file, d->line, d->col);
		else
			shim_text_printf(out, "%s: ", d->file);
	}
	if (d->path && *d->path)
		shim_text_printf(out, "%s: ", d->path);
	shim_text_printf(out, "%s", d->message ? d->message : "");
}

/* One line in a buffer that lives until the next call: shim/ says one
 * thing at a time. Static, not heap: nothing is left to free at exit
 * (valgrind holds the shim to that). */
static const char *keep(struct shim_text *t)
{
	static char line[8192];

	snprintf(line, sizeof(line), "%s", t->oom ? "(out of memory)" : t->s ? t->s : "");
	shim_text_free(t);
	return line;
}

const char *diag_error_text(const struct shim_error *err)
{
	const struct shim_diag d = {
		.file = (char *)err->file, .line = err->line, .col = err->col,
		.path = (char *)err->path, .message = (char *)err->msg,
	};
	struct shim_text t = { 0 };

	diag_line(&d, &t);
	return keep(&t);
}

const char *diag_warning_text(struct shim_warnings *w, size_t i)
{
	const struct shim_diag *d = shim_warning_diag(w, i);
	struct shim_text t = { 0 };

	if (!d)
		return NULL;
	diag_line(d, &t);
	return keep(&t);
}

static void findings_json(const struct shim_findings *f, struct shim_text *out)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < f->n; i++) {
		const struct shim_diag *x = &f->v[i];
		json_t *o = json_pack("{s:s, s:s, s:s?, s:i, s:i, s:s?, s:s?, s:s?}",
				      "severity", x->severity == SHIM_SEV_ERROR ? "error" : "warning",
				      "code", x->code, "file", x->file, "line", (int)x->line,
				      "column", (int)x->col, "path", x->path, "message", x->message,
				      "fix", x->fix);
		if (o)
			json_array_append_new(arr, o);
	}
	char *s = arr ? json_dumps(arr, JSON_INDENT(2)) : NULL;
	shim_text_printf(out, "%s\n", s ? s : "[]");
	free(s);
	json_decref(arr);
}

void diag_findings_format(const struct shim_findings *f, bool as_json, struct shim_text *out)
{
	if (as_json) {
		findings_json(f, out);
		return;
	}
	for (size_t i = 0; i < f->n; i++) {
		const struct shim_diag *x = &f->v[i];
		const char *sev = x->severity == SHIM_SEV_ERROR ? "error" : "warning";

		if (x->line)
			shim_text_printf(out, "%s:%u:%u: %s: ", x->file, x->line, x->col, sev);
		else
			shim_text_printf(out, "%s: %s: ", x->file ? x->file : "?", sev);
		if (x->path)
			shim_text_printf(out, "%s: ", x->path);
		shim_text_printf(out, "%s [%s]\n", x->message, x->code);
		if (x->fix)
			shim_text_printf(out, "    fix: %s\n", x->fix);
	}
}
