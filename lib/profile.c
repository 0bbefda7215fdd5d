/* parse: JSON bytes -> struct shim_profile. This file owns the entry
 * points (comments blanked with a warning, integers above 2^63-1 widened,
 * the syntax check), the top level of the schema (defaultAction,
 * architectures, archMap, flags, listenerPath/listenerMetadata and what
 * relates them), the profile's release, and placing a JSON path in its
 * text. The rules are lib/profile_rules.c, an action and its errno
 * lib/profile_action.c, the reports and field reads lib/profile_fields.c.
 *
 * MUST: every rejection names file:line:column, the JSON path and what was
 * expected; nothing half-parsed escapes (on error the profile is freed).
 * Keys are matched exactly. A key that matches a known one only when case
 * is ignored is an error: Go's encoding/json would honour it, and ignoring
 * it could widen a rule ("Args" dropped makes a conditional ALLOW
 * unconditional). Unknown keys inside a rule or an argument are errors for
 * the same reason; unknown top-level keys are warnings. JSON null counts as
 * an absent field, as it does for Docker and runc.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile_parse.h"

static int parse_arch_oci(struct pctx *c, json_t *arr, size_t i,
			  const struct shim_arch_info **out)
{
	const char *name;

	if (shim_field_elem_string(c, arr, i, &name) < 0)
		return -1;
	*out = shim_arch_by_oci(name);
	if (*out)
		return 0;
	push_index(c, i);
	if (shim_arch_by_any(name))
		fail(c, "unknown-architecture", "unknown architecture \"%s\": write it as \"%s\" (runc and Docker refuse \"%s\" too)",
		     name, shim_arch_by_any(name)->oci, name);
	else
		fail(c, "unknown-architecture", "unknown architecture \"%s\" (expected SCMP_ARCH_X86_64, SCMP_ARCH_AARCH64, ... as in the OCI runtime-spec)",
		     name);
	pop(c);
	return -1;
}

static int parse_arch_list(struct pctx *c, json_t *obj, const char *key,
			   const struct shim_arch_info ***out, size_t *n)
{
	json_t *arr;
	int r = shim_field_array(c, obj, key, &arr);

	if (r <= 0)
		return r;
	*n = json_array_size(arr);
	*out = calloc(*n ? *n : 1, sizeof(**out));
	if (!*out)
		return fail(c, "out-of-memory", "out of memory");
	push_key(c, key);
	for (size_t i = 0; i < *n; i++)
		if (parse_arch_oci(c, arr, i, &(*out)[i]) < 0) {
			pop(c);
			return -1;
		}
	pop(c);
	return 0;
}

static int parse_arch_map(struct pctx *c, json_t *root, struct shim_profile *p)
{
	static const char *const known[] = { "architecture", "subArchitectures", NULL };
	json_t *arr;
	int r = shim_field_array(c, root, "archMap", &arr);

	if (r <= 0)
		return r;
	p->n_arch_map = json_array_size(arr);
	p->arch_map = calloc(p->n_arch_map ? p->n_arch_map : 1, sizeof(*p->arch_map));
	if (!p->arch_map)
		return fail(c, "out-of-memory", "out of memory");
	push_key(c, "archMap");
	for (size_t i = 0; i < p->n_arch_map; i++) {
		struct shim_arch_map *m = &p->arch_map[i];
		json_t *e = json_array_get(arr, i), *name;

		push_index(c, i);
		if (!json_is_object(e)) {
			fail(c, "wrong-type", "expected an object {architecture, subArchitectures}, found %s",
			     shim_json_type_name(e));
			goto bad;
		}
		if (shim_field_check_keys(c, e, known, true) < 0)
			goto bad;
		name = json_object_get(e, "architecture");
		if (!name || json_is_null(name)) {
			fail(c, "missing-key", "missing \"architecture\"");
			goto bad;
		}
		push_key(c, "architecture");
		if (!json_is_string(name)) {
			fail(c, "wrong-type", "expected a string, found %s", shim_json_type_name(name));
			pop(c);
			goto bad;
		}
		m->arch = shim_arch_by_oci(json_string_value(name));
		if (!m->arch) {
			fail(c, "unknown-architecture", "unknown architecture \"%s\" (expected SCMP_ARCH_X86_64, SCMP_ARCH_AARCH64, ...)",
			     json_string_value(name));
			pop(c);
			goto bad;
		}
		pop(c);
		if (parse_arch_list(c, e, "subArchitectures", &m->sub, &m->n_sub) < 0)
			goto bad;
		pop(c);
	}
	pop(c);
	return 0;
bad:
	pop(c);
	pop(c);
	return -1;
}

static int parse_flags(struct pctx *c, json_t *root, struct shim_profile *p)
{
	json_t *arr;
	int r = shim_field_array(c, root, "flags", &arr);

	if (r <= 0)
		return r;
	p->has_flags = true;
	push_key(c, "flags");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const char *name;
		unsigned flag;

		if (shim_field_elem_string(c, arr, i, &name) < 0)
			goto bad;
		if (shim_flag_from_name(name, &flag) < 0) {
			push_index(c, i);
			fail(c, "unknown-flag", "unknown flag \"%s\" (expected SECCOMP_FILTER_FLAG_TSYNC, _LOG, _SPEC_ALLOW or _WAIT_KILLABLE_RECV)",
			     name);
			pop(c);
			goto bad;
		}
		p->flags |= flag;
	}
	pop(c);
	return 0;
bad:
	pop(c);
	return -1;
}


static int parse_listener(struct pctx *c, json_t *root, struct shim_profile *p)
{
	const char *path = NULL, *meta = NULL;
	int r = shim_field_string(c, root, "listenerPath", &path);

	if (r < 0 || shim_field_string(c, root, "listenerMetadata", &meta) < 0)
		return -1;
	if (path && path[0] != '/') {
		push_key(c, "listenerPath");
		fail(c, "listener-path-relative", "\"%s\" is not an absolute path (the seccomp agent's UNIX socket)", path);
		pop(c);
		return -1;
	}
	if (meta && !path) {
		push_key(c, "listenerMetadata");
		fail_at_key(c, "listener-metadata-alone", "listenerMetadata needs listenerPath");
		pop(c);
		return -1;
	}
	if ((path && !(p->listener_path = strdup(path))) ||
	    (meta && !(p->listener_metadata = strdup(meta))))
		return fail(c, "out-of-memory", "out of memory");
	return 0;
}

static bool rules_use_notify(const struct shim_profile *p)
{
	for (size_t i = 0; i < p->n_rules; i++)
		if (p->rules[i].action.kind == SHIM_ACT_NOTIFY)
			return true;
	return false;
}

static int parse_root(struct pctx *c, json_t *root, struct shim_profile *p)
{
	static const char *const known[] = {
		"defaultAction", "defaultErrnoRet", "defaultErrno", "architectures",
		"archMap", "flags", "listenerPath", "listenerMetadata", "syscalls",
		"comment", NULL,
	};
	const char *comment = NULL;
	bool bad = false, bad_action = false;

	if (!json_is_object(root))
		return fail(c, "not-a-profile", "expected a JSON object with \"defaultAction\", found %s",
			    shim_json_type_name(root));
	/* Each field is read on its own (see parse_rule); what relates
	 * fields is judged only when all of them read. */
	PART(c, bad, shim_field_check_keys(c, root, known, false));
	PART(c, bad_action, shim_parse_action(c, root, "defaultAction", &p->default_action));
	if (!bad_action)
		PART(c, bad, shim_parse_errno_pair(c, root, "defaultErrnoRet", "defaultErrno",
						   &p->default_action));
	PART(c, bad, parse_arch_list(c, root, "architectures", &p->architectures,
				     &p->n_architectures));
	PART(c, bad, parse_arch_map(c, root, p));
	PART(c, bad, parse_flags(c, root, p));
	PART(c, bad, parse_listener(c, root, p));
	PART(c, bad, shim_parse_rules(c, root, p));
	PART(c, bad, shim_field_string(c, root, "comment", &comment));
	if (bad || bad_action)
		return -1;
	if (comment && !(p->comment = strdup(comment)))
		return fail(c, "out-of-memory", "out of memory");
	if (p->n_architectures && p->n_arch_map) {
		push_key(c, "archMap");
		fail_at_key(c, "architectures-and-archmap", "use either \"architectures\" or \"archMap\", not both");
		pop(c);
		return -1;
	}
	if (p->default_action.kind == SHIM_ACT_NOTIFY) {
		push_key(c, "defaultAction");
		fail(c, "notify-default", "SCMP_ACT_NOTIFY cannot be the default action (the process could not even talk to its agent)");
		pop(c);
		return -1;
	}
	if (rules_use_notify(p) && !p->listener_path) {
		push_key(c, "syscalls");
		fail_at_key(c, "notify-without-listener", "SCMP_ACT_NOTIFY is used but \"listenerPath\" is not set");
		pop(c);
		return -1;
	}
	return 0;
}

/* A hint for the syntax errors tutorials cause. */
static const char *syntax_hint(const char *text, size_t len, size_t pos, bool had_comments)
{
	size_t i = pos > 0 ? pos - 1 : 0;

	/* jansson stops just past the token it did not expect. */
	if (i < len && (text[i] == ']' || text[i] == '}')) {
		while (i > 0 && strchr(" \t\r\n", text[i - 1]))
			i--;
		if (i > 0 && text[i - 1] == ',')
			return " (a comma before ] or }: JSON allows none there; remove it)";
	}
	if (had_comments)
		return " (comments were blanked out first: was a value written as a comment?)";
	return "";
}

static int parse_text(const char *display_name, const char *text, size_t len,
		      bool had_comments, struct shim_profile **out, struct shim_warnings *warn,
		      struct shim_findings *errors, struct shim_error *err)
{
	struct pctx c = { .file = display_name, .text = text, .len = len,
			  .warn = warn, .err = err, .errors = errors };
	struct shim_profile *p;
	json_error_t jerr;
	json_t *root;

	struct shim_widened w;

	if (!shim_json_widen(text, len, &w)) {
		shim_json_widened_free(&w);
		shim_error_at(err, ENOMEM, "out-of-memory", display_name, 0, 0, NULL, "out of memory");
		return -1;
	}
	root = w.text ? json_loadb(w.text, w.len, JSON_REJECT_DUPLICATES, &jerr)
		      : json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		char path[256];
		/* The position is just past the offending token: stop inside it. */
		size_t pos = shim_json_widened_to_orig(&w, jerr.position > 0 ? (size_t)jerr.position - 1 : 0);
		unsigned line, col;

		shim_json_widened_free(&w);
		shim_json_line_col(text, pos <= len ? pos : len, &line, &col);
		shim_json_path_at(text, len, pos, path, sizeof(path));
		shim_error_at(err, EINVAL, "json-syntax", display_name, line, col, path,
			      "invalid JSON: %s%s", jerr.text, syntax_hint(text, len, pos + 1, had_comments));
		return -1;
	}
	shim_json_widened_free(&w);
	p = calloc(1, sizeof(*p));
	if (!p || !(p->path = strdup(display_name)) || !(p->text = malloc(len + 1))) {
		json_decref(root);
		shim_profile_free(p);
		shim_error_at(err, ENOMEM, "out-of-memory", display_name, 0, 0, NULL, "out of memory");
		return -1;
	}
	memcpy(p->text, text, len);
	p->text[len] = '\0';
	p->text_len = len;
	c.text = p->text;
	if (parse_root(&c, root, p) < 0) {
		json_decref(root);
		shim_profile_free(p);
		return -1;
	}
	json_decref(root);
	*out = p;
	return 0;
}

int shim_profile_parse(const char *display_name, const char *text, size_t len,
		       struct shim_profile **out, struct shim_warnings *warn,
		       struct shim_error *err)
{
	return shim_profile_parse_all(display_name, text, len, out, warn, NULL, err);
}

int shim_profile_parse_all(const char *display_name, const char *text, size_t len,
			   struct shim_profile **out, struct shim_warnings *warn,
			   struct shim_findings *errors, struct shim_error *err)
{
	char *uncommented;
	size_t first = 0, n_comments;
	int r;

	if (len == 0) {
		shim_error_at(err, EINVAL, "empty-file", display_name, 1, 1, NULL,
			      "the file is empty (expected a JSON object with \"defaultAction\")");
		return -1;
	}
	/* Tutorials write comments; JSON has none. Accepted, with a warning,
	 * since the rules they annotate are what the user meant. */
	n_comments = shim_json_strip_comments(text, len, &uncommented, &first);
	if (n_comments == (size_t)-1) {
		shim_error_at(err, ENOMEM, "out-of-memory", display_name, 0, 0, NULL, "out of memory");
		return -1;
	}
	if (n_comments) {
		char path[256];
		unsigned line, col;

		shim_json_line_col(text, first, &line, &col);
		shim_json_path_at(uncommented, len, first, path, sizeof(path));
		shim_warn_at(warn, "json-comment", display_name, line, col, path,
			     "%zu comment%s, which JSON does not have: runc, crun and Docker refuse this file; remove %s",
			     n_comments, n_comments == 1 ? "" : "s", n_comments == 1 ? "it" : "them");
	}
	r = parse_text(display_name, n_comments ? uncommented : text, len, n_comments > 0, out,
		       warn, errors, err);
	free(uncommented);
	return r;
}

static void condition_free(struct shim_condition *cond)
{
	free(cond->arches);
}

void shim_profile_free(struct shim_profile *p)
{
	if (!p || p->is_static)
		return;
	for (size_t i = 0; i < p->n_rules; i++) {
		struct shim_rule *r = &p->rules[i];
		for (size_t j = 0; j < r->n_names; j++)
			free(r->names[j]);
		free(r->names);
		free(r->args);
		condition_free(&r->includes);
		condition_free(&r->excludes);
		free(r->comment);
	}
	free(p->rules);
	free(p->comment);
	for (size_t i = 0; i < p->n_arch_map; i++)
		free(p->arch_map[i].sub);
	free(p->arch_map);
	free(p->architectures);
	free(p->listener_path);
	free(p->listener_metadata);
	free(p->text);
	free(p->path);
	free(p);
}

void shim_profile_locate(const struct shim_profile *p, const char *json_path,
			 unsigned *line, unsigned *col)
{
	struct shim_json_seg segs[PATH_MAX_DEPTH];
	char keys[PATH_MAX_DEPTH][64];
	size_t depth = 0;
	const char *s = json_path;

	while (*s && depth < PATH_MAX_DEPTH) {
		if (*s == '[') {
			segs[depth].key = NULL;
			segs[depth].index = strtoul(s + 1, (char **)&s, 10);
			if (*s == ']')
				s++;
		} else {
			size_t n = strcspn(s, ".[");
			if (n >= sizeof(keys[0]))
				n = sizeof(keys[0]) - 1;
			memcpy(keys[depth], s, n);
			keys[depth][n] = '\0';
			segs[depth].key = keys[depth];
			s += strcspn(s, ".[");
		}
		depth++;
		if (*s == '.')
			s++;
	}
	shim_json_locate(p->text, p->text_len, segs, depth, false, line, col);
}

void shim_profile_where(const struct shim_profile *p, const char *json_path,
			char *buf, size_t len)
{
	unsigned line, col;

	shim_profile_locate(p, json_path, &line, &col);
	snprintf(buf, len, "%s:%u:%u", p->path, line, col);
}
