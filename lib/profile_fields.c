/* parse: the parser's reports and field accessors (lib/profile_parse.h):
 * a report placed at the JSON path being read, an error or a warning,
 * recorded as the first error and, for check, among every error; the
 * typed reads of a field or an array element; the check of an object's
 * keys.
 *
 * MUST: every rejection names file:line:column, the JSON path and what was
 * expected. Keys are matched exactly. A key that matches a known one only
 * when case is ignored is an error: Go's encoding/json would honour it,
 * and ignoring it could widen a rule ("Args" dropped makes a conditional
 * ALLOW unconditional). JSON null counts as an absent field, as it does
 * for Docker and runc.
 */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "profile_parse.h"

__attribute__((format(printf, 5, 0))) static void vreport(struct pctx *c, bool at_key, bool is_warning, const char *code,
		    const char *fmt, va_list ap)
{
	char where[256], what[700];
	unsigned line, col;

	shim_json_locate(c->text, c->len, c->path, c->depth, at_key, &line, &col);
	shim_json_path_format(c->path, c->depth, where, sizeof(where));
	vsnprintf(what, sizeof(what), fmt, ap);
	if (is_warning) {
		shim_warn_at(c->warn, code, c->file, line, col, where, "%s", what);
		return;
	}
	if (c->n_errors++ == 0)
		shim_error_at(c->err, EINVAL, code, c->file, line, col, where, "%s", what);
	if (strcmp(code, "out-of-memory") == 0)
		c->stop = true;
	if (c->errors) {
		const struct shim_diag d = {
			.severity = SHIM_SEV_ERROR, .code = code, .file = (char *)c->file,
			.line = line, .col = col, .path = where, .message = what,
		};
		shim_findings_add(c->errors, &d);
	}
}

int shim_parse_report(struct pctx *c, unsigned how, const char *code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(c, how & REPORT_AT_KEY, how & REPORT_WARN, code, fmt, ap);
	va_end(ap);
	return -1;
}

const char *shim_json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a fractional number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "something else";
}

/* "a, b, c" for an error message. */
static void key_list(const char *const *known, char *list, size_t len)
{
	list[0] = '\0';
	for (const char *const *k = known; *k; k++)
		if (strlen(list) + strlen(*k) + 3 < len)
			snprintf(list + strlen(list), len - strlen(list), "%s%s",
				 k == known ? "" : ", ", *k);
}

/* Unknown keys are errors where ignoring one could change what a rule
 * means (inside a rule or an argument), warnings elsewhere. */
int shim_field_check_keys(struct pctx *c, json_t *obj, const char *const *known,
			  bool unknown_is_error)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		const char *const *k;
		bool exact = false;
		const char *near = NULL;
		char list[300];

		for (k = known; *k && !exact; k++) {
			if (strcmp(key, *k) == 0)
				exact = true;
			else if (strcasecmp(key, *k) == 0)
				near = *k;
		}
		if (exact)
			continue;
		key_list(known, list, sizeof(list));
		push_key(c, key);
		if (near) {
			fail_at_key(c, "key-case", "key \"%s\" must be spelled \"%s\" (keys are case-sensitive)",
				    key, near);
			pop(c);
			return -1;
		}
		if (unknown_is_error) {
			fail_at_key(c, "unknown-key", "unknown key \"%s\" (expected one of: %s)", key, list);
			pop(c);
			return -1;
		}
		warn_at_key(c, "unknown-key", "unknown key \"%s\" ignored (known: %s)", key, list);
		pop(c);
	}
	return 0;
}

int shim_field_string(struct pctx *c, json_t *obj, const char *key, const char **out)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		push_key(c, key);
		fail(c, "wrong-type", "expected a string, found %s", shim_json_type_name(v));
		pop(c);
		return -1;
	}
	*out = json_string_value(v);
	return 1;
}

static int want_uint(struct pctx *c, json_t *v, uint64_t max, uint64_t *out)
{
	uint64_t u;

	if (json_is_real(v)) {
		char real[40];
		snprintf(real, sizeof(real), "%.17g", json_real_value(v));
		return fail(c, "not-a-number", "expected a non-negative integer, found the fractional number %s%s",
			    real, strpbrk(real, ".en") ? "" : ".0");
	}
	/* An integer above 2^63-1, which jansson cannot hold (lib/jsontext.c). */
	if (!shim_json_wide_value(v, &u)) {
		if (!json_is_integer(v))
			return fail(c, "not-a-number", "expected a non-negative integer, found %s", shim_json_type_name(v));
		json_int_t n = json_integer_value(v);
		if (n < 0)
			return fail(c, "not-a-number", "expected a non-negative integer, found %lld", (long long)n);
		u = (uint64_t)n;
	}
	if (u > max)
		return fail(c, "number-too-large", "%llu is too large (at most %llu)", (unsigned long long)u,
			    (unsigned long long)max);
	*out = u;
	return 0;
}

int shim_field_uint(struct pctx *c, json_t *obj, const char *key, uint64_t max, uint64_t *out)
{
	json_t *v = json_object_get(obj, key);
	int r;

	if (!v || json_is_null(v))
		return 0;
	push_key(c, key);
	r = want_uint(c, v, max, out);
	pop(c);
	return r < 0 ? -1 : 1;
}

int shim_field_array(struct pctx *c, json_t *obj, const char *key, json_t **out)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v)) {
		push_key(c, key);
		fail(c, "wrong-type", "expected an array, found %s", shim_json_type_name(v));
		pop(c);
		return -1;
	}
	*out = v;
	return 1;
}

int shim_field_object(struct pctx *c, json_t *obj, const char *key, json_t **out)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_object(v)) {
		push_key(c, key);
		fail(c, "wrong-type", "expected an object, found %s", shim_json_type_name(v));
		pop(c);
		return -1;
	}
	*out = v;
	return 1;
}

int shim_field_elem_string(struct pctx *c, json_t *arr, size_t i, const char **out)
{
	json_t *v = json_array_get(arr, i);

	if (json_is_string(v)) {
		*out = json_string_value(v);
		return 0;
	}
	push_index(c, i);
	fail(c, "wrong-type", "expected a string, found %s", shim_json_type_name(v));
	pop(c);
	return -1;
}
