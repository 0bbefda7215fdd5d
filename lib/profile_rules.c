/* parse: syscalls[], the rules: each rule's names (or Docker's single
 * name), action and errno (lib/profile_action.c), args and the
 * includes/excludes conditions on capabilities, architectures and the
 * kernel version.
 *
 * MUST: unknown keys inside a rule, an argument or a condition are errors:
 * ignoring one could widen a rule ("Args" dropped makes a conditional
 * ALLOW unconditional). A syscall group ("@...") is never a name: runc
 * and Docker would skip it, and an allow-list would lose all it meant.
 * The number of names is bounded, so that any input is refused or
 * compiled in bounded time. Each part of a rule is read on its own, so
 * that check reports every error of a file in one pass.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "profile_parse.h"

/* Far above any real profile (Docker's default names about 420 syscalls)
 * and small enough that any input is refused or compiled in bounded time:
 * a filter holds at most 4096 instructions anyway. */
#define PROFILE_MAX_NAMES 4096

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

int shim_parse_rules(struct pctx *c, json_t *root, struct shim_profile *p)
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
