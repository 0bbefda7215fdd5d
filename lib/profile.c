/* parse: JSON bytes -> struct shim_profile.
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
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "profile_parse.h"

/* Far above any real profile (Docker's default names about 420 syscalls)
 * and small enough that any input is refused or compiled in bounded time:
 * a filter holds at most 4096 instructions anyway. */
#define PROFILE_MAX_NAMES 4096

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

/* includes/excludes "caps": names as Docker writes them. */
static int parse_condition_caps(struct pctx *c, json_t *arr, struct shim_condition *cond)
{
	cond->has_caps = json_array_size(arr) > 0;
	push_key(c, "caps");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const char *name;
		int cap;

		if (shim_field_elem_string(c, arr, i, &name) < 0)
			goto bad;
		cap = shim_cap_from_name(name);
		if (cap < 0) {
			push_index(c, i);
			fail(c, "unknown-capability", "unknown capability \"%s\" (expected a name like CAP_SYS_ADMIN)", name);
			pop(c);
			goto bad;
		}
		cond->caps |= 1ULL << cap;
	}
	pop(c);
	return 0;
bad:
	pop(c);
	return -1;
}

/* includes/excludes "arches": Go's names. */
static int parse_condition_arches(struct pctx *c, json_t *arr, struct shim_condition *cond)
{
	cond->n_arches = json_array_size(arr);
	cond->arches = calloc(cond->n_arches ? cond->n_arches : 1, sizeof(*cond->arches));
	if (!cond->arches)
		return fail(c, "out-of-memory", "out of memory");
	push_key(c, "arches");
	for (size_t i = 0; i < cond->n_arches; i++) {
		const char *name;

		if (shim_field_elem_string(c, arr, i, &name) < 0)
			goto bad;
		cond->arches[i] = shim_arch_by_go(name);
		if (!cond->arches[i]) {
			push_index(c, i);
			fail(c, "unknown-architecture", "unknown architecture \"%s\" (includes/excludes use Go names: amd64, arm64, x86, x32, s390x, ...)",
			     name);
			pop(c);
			goto bad;
		}
	}
	pop(c);
	return 0;
bad:
	pop(c);
	return -1;
}

static int parse_condition(struct pctx *c, json_t *rule, const char *key,
			   struct shim_condition *cond)
{
	static const char *const known[] = { "caps", "arches", "minKernel", NULL };
	json_t *obj, *arr;
	const char *mk = NULL;
	int r = shim_field_object(c, rule, key, &obj);

	if (r <= 0)
		return r;
	push_key(c, key);
	if (shim_field_check_keys(c, obj, known, true) < 0)
		goto bad;
	r = shim_field_array(c, obj, "caps", &arr);
	if (r < 0 || (r > 0 && parse_condition_caps(c, arr, cond) < 0))
		goto bad;
	r = shim_field_array(c, obj, "arches", &arr);
	if (r < 0 || (r > 0 && parse_condition_arches(c, arr, cond) < 0))
		goto bad;
	r = shim_field_string(c, obj, "minKernel", &mk);
	if (r < 0)
		goto bad;
	if (r > 0) {
		if (shim_kernel_parse_release(mk, &cond->min_kernel_major,
					      &cond->min_kernel_minor) < 0 ||
		    strspn(mk, "0123456789.") != strlen(mk) ||
		    strchr(strchr(mk, '.') + 1, '.')) {
			push_key(c, "minKernel");
			fail(c, "bad-kernel-version", "invalid kernel version \"%s\" (expected \"X.Y\", like \"4.8\")", mk);
			pop(c);
			goto bad;
		}
		cond->has_min_kernel = true;
	}
	pop(c);
	return 0;
bad:
	pop(c);
	return -1;
}

static int parse_arg(struct pctx *c, json_t *e, struct shim_arg *a)
{
	static const char *const known[] = { "index", "value", "valueTwo", "op", NULL };
	const char *op = NULL;
	uint64_t index = 0;
	int r;

	if (!json_is_object(e))
		return fail(c, "wrong-type", "expected an object {index, value, valueTwo, op}, found %s",
			    shim_json_type_name(e));
	if (shim_field_check_keys(c, e, known, true) < 0)
		return -1;
	r = shim_field_uint(c, e, "index", UINT64_MAX, &index);
	if (r < 0)
		return -1;
	if (r == 0)
		return fail(c, "missing-key", "missing \"index\" (the argument number, 0 to 5)");
	if (index > 5) {
		push_key(c, "index");
		fail(c, "arg-index-out-of-range", "index %llu is out of range (a syscall has arguments 0 to 5)",
		     (unsigned long long)index);
		pop(c);
		return -1;
	}
	a->index = (unsigned)index;
	if (shim_field_uint(c, e, "value", UINT64_MAX, &a->value) < 0 ||
	    shim_field_uint(c, e, "valueTwo", UINT64_MAX, &a->value_two) < 0)
		return -1;
	r = shim_field_string(c, e, "op", &op);
	if (r < 0)
		return -1;
	if (r == 0)
		return fail(c, "missing-key", "missing \"op\" (expected SCMP_CMP_EQ, SCMP_CMP_NE, ...)");
	if (shim_op_from_name(op, &a->op) < 0) {
		push_key(c, "op");
		fail(c, "unknown-operator", "unknown operator \"%s\" (expected one of SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT, SCMP_CMP_MASKED_EQ)",
		     op);
		pop(c);
		return -1;
	}
	return 0;
}

static int parse_args(struct pctx *c, json_t *rule_obj, struct shim_rule *rule)
{
	json_t *arr;
	int r = shim_field_array(c, rule_obj, "args", &arr);

	if (r <= 0)
		return r;
	rule->n_args = json_array_size(arr);
	if (rule->n_args == 0)
		return 0;
	rule->args = calloc(rule->n_args, sizeof(*rule->args));
	if (!rule->args)
		return fail(c, "out-of-memory", "out of memory");
	push_key(c, "args");
	for (size_t i = 0; i < rule->n_args; i++) {
		push_index(c, i);
		if (parse_arg(c, json_array_get(arr, i), &rule->args[i]) < 0) {
			pop(c);
			pop(c);
			return -1;
		}
		pop(c);
	}
	pop(c);
	return 0;
}

/* "@system-service" is a group for writing profiles (seccomp-shim new),
 * never a name in one: runc and Docker would skip it as an unknown
 * syscall, and the allow-list would silently lose everything it meant. */
static int refuse_group(struct pctx *c, const char *name)
{
	if (name[0] != '@')
		return 0;
	if (shim_group_find(name))
		return fail(c, "syscall-group", "\"%s\" is a syscall group: a profile holds syscall names only (runc and Docker would skip it as an unknown syscall); write the names with seccomp-shim new --allow %s -o FILE",
			    name, name);
	return fail(c, "syscall-group", "\"%s\" is not a syscall name (names starting with @ are syscall groups for seccomp-shim new, which writes profiles from them; seccomp-shim new --list shows them)",
		    name);
}

static int parse_names(struct pctx *c, json_t *obj, struct shim_rule *rule)
{
	const char *single = NULL;
	json_t *arr = NULL;
	int has_names = shim_field_array(c, obj, "names", &arr);
	int has_name = shim_field_string(c, obj, "name", &single);

	if (has_names < 0 || has_name < 0)
		return -1;
	if (has_name && single[0] && has_names && json_array_size(arr) > 0) {
		push_key(c, "name");
		fail_at_key(c, "name-and-names", "use either \"name\" or \"names\", not both");
		pop(c);
		return -1;
	}
	if (has_name && single[0]) {
		if (++c->n_names > PROFILE_MAX_NAMES) {
			push_key(c, "name");
			fail(c, "too-large", "more than %d syscall names in the profile: not a seccomp profile (a filter holds at most 4096 instructions)",
			     PROFILE_MAX_NAMES);
			pop(c);
			return -1;
		}
		push_key(c, "name");
		if (refuse_group(c, single) < 0) {
			pop(c);
			return -1;
		}
		pop(c);
		rule->single_name = true;
		rule->names = calloc(1, sizeof(char *));
		if (!rule->names || !(rule->names[0] = strdup(single)))
			return fail(c, "out-of-memory", "out of memory");
		rule->n_names = 1;
		return 0;
	}
	if (!has_names)
		return 0;
	if (json_array_size(arr) > PROFILE_MAX_NAMES - c->n_names) {
		push_key(c, "names");
		push_index(c, PROFILE_MAX_NAMES - c->n_names);
		fail(c, "too-large", "more than %d syscall names in the profile: not a seccomp profile (a filter holds at most 4096 instructions)",
		     PROFILE_MAX_NAMES);
		pop(c);
		pop(c);
		return -1;
	}
	rule->n_names = json_array_size(arr);
	c->n_names += rule->n_names;
	rule->names = calloc(rule->n_names ? rule->n_names : 1, sizeof(char *));
	if (!rule->names)
		return fail(c, "out-of-memory", "out of memory");
	push_key(c, "names");
	for (size_t i = 0; i < rule->n_names; i++) {
		const char *name;

		if (shim_field_elem_string(c, arr, i, &name) < 0) {
			pop(c);
			return -1;
		}
		if (name[0] == '\0' || name[0] == '@') {
			push_index(c, i);
			if (name[0] == '\0')
				fail(c, "empty-syscall-name", "empty syscall name");
			else
				refuse_group(c, name);
			pop(c);
			pop(c);
			return -1;
		}
		rule->names[i] = strdup(name);
		if (!rule->names[i]) {
			pop(c);
			return fail(c, "out-of-memory", "out of memory");
		}
	}
	pop(c);
	return 0;
}

static int parse_rule(struct pctx *c, json_t *obj, struct shim_rule *rule)
{
	static const char *const known[] = {
		"names", "name", "action", "errnoRet", "errno", "args",
		"comment", "includes", "excludes", NULL,
	};
	const char *comment = NULL;
	bool bad = false, bad_action = false;

	if (!json_is_object(obj))
		return fail(c, "wrong-type", "expected an object {names, action, args, ...}, found %s",
			    shim_json_type_name(obj));
	/* Each part is read on its own: a bad name does not hide a bad
	 * argument. errno is only judged against an action that read. */
	PART(c, bad, shim_field_check_keys(c, obj, known, true));
	PART(c, bad, parse_names(c, obj, rule));
	PART(c, bad_action, shim_parse_action(c, obj, "action", &rule->action));
	if (!bad_action)
		PART(c, bad, shim_parse_errno_pair(c, obj, "errnoRet", "errno", &rule->action));
	PART(c, bad, parse_args(c, obj, rule));
	PART(c, bad, shim_field_string(c, obj, "comment", &comment));
	PART(c, bad, parse_condition(c, obj, "includes", &rule->includes));
	PART(c, bad, parse_condition(c, obj, "excludes", &rule->excludes));
	if (bad || bad_action)
		return -1;
	if (comment && !(rule->comment = strdup(comment)))
		return fail(c, "out-of-memory", "out of memory");
	return 0;
}

static int parse_rules(struct pctx *c, json_t *root, struct shim_profile *p)
{
	bool bad = false;
	json_t *arr;
	int r = shim_field_array(c, root, "syscalls", &arr);

	if (r <= 0)
		return r;
	if (json_array_size(arr) > PROFILE_MAX_NAMES) {
		push_key(c, "syscalls");
		push_index(c, PROFILE_MAX_NAMES);
		fail(c, "too-large", "more than %d entries in syscalls: not a seccomp profile (a filter holds at most 4096 instructions)",
		     PROFILE_MAX_NAMES);
		pop(c);
		pop(c);
		return -1;
	}
	p->n_rules = json_array_size(arr);
	p->rules = calloc(p->n_rules ? p->n_rules : 1, sizeof(*p->rules));
	if (!p->rules)
		return fail(c, "out-of-memory", "out of memory");
	push_key(c, "syscalls");
	for (size_t i = 0; i < p->n_rules; i++) {
		p->rules[i].src_index = i;
		push_index(c, i);
		if (parse_rule(c, json_array_get(arr, i), &p->rules[i]) < 0) {
			bad = true;
			if (!go_on(c)) {
				pop(c);
				pop(c);
				return -1;
			}
		}
		pop(c);
	}
	pop(c);
	return bad ? -1 : 0;
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
	PART(c, bad, parse_rules(c, root, p));
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
