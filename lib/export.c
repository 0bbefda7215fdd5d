/* export: a profile in other forms (normalized JSON, the OCI object).
 * Compiled filter files are lib/bpffile.c's.
 *
 * MUST: the normalized JSON and the OCI object compile to the same filter
 * as the profile they come from (tests check it).
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include "internal.h"

static json_t *action_fields(json_t *o, const char *key, const char *errno_key,
			     const struct shim_action *a)
{
	json_object_set_new(o, key, json_string(shim_action_name(a->kind)));
	if (a->kind == SHIM_ACT_ERRNO || a->kind == SHIM_ACT_TRACE)
		json_object_set_new(o, errno_key, json_integer(a->errno_ret));
	return o;
}

static json_t *args_json(const struct shim_arg *args, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:I, s:o, s:o, s:s}", "index",
						     (json_int_t)args[i].index, "value",
						     shim_json_u64(args[i].value), "valueTwo",
						     shim_json_u64(args[i].value_two), "op",
						     shim_op_name(args[i].op)));
	return arr;
}

static json_t *flags_json(unsigned flags)
{
	json_t *arr = json_array();

	for (unsigned bit = 1; bit && bit <= flags; bit <<= 1)
		if ((flags & bit) && shim_flag_name(bit))
			json_array_append_new(arr, json_string(shim_flag_name(bit)));
	return arr;
}

static json_t *condition_json(const struct shim_condition *c)
{
	json_t *o = json_object();

	if (c->n_arches) {
		json_t *arr = json_array();
		for (size_t i = 0; i < c->n_arches; i++)
			json_array_append_new(arr, json_string(c->arches[i]->go));
		json_object_set_new(o, "arches", arr);
	}
	if (c->has_caps) {
		json_t *arr = json_array();
		char name[SHIM_CAP_NAME_MAX];
		for (int cap = 0; cap < 64; cap++)
			if (c->caps & (1ULL << cap))
				json_array_append_new(arr, json_string(shim_cap_name(cap, name)));
		json_object_set_new(o, "caps", arr);
	}
	if (c->has_min_kernel) {
		char v[32];
		snprintf(v, sizeof(v), "%u.%u", c->min_kernel_major, c->min_kernel_minor);
		json_object_set_new(o, "minKernel", json_string(v));
	}
	if (json_object_size(o) == 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int shim_export_json(const struct shim_profile *p, struct shim_text *out, struct shim_error *err)
{
	json_t *root = json_object(), *rules = json_array();

	/* The reasons are the point of a template: comments stay. */
	if (p->comment)
		json_object_set_new(root, "comment", json_string(p->comment));
	action_fields(root, "defaultAction", "defaultErrnoRet", &p->default_action);
	if (p->n_arch_map) {
		json_t *map = json_array();
		for (size_t i = 0; i < p->n_arch_map; i++) {
			json_t *subs = json_array();
			for (size_t j = 0; j < p->arch_map[i].n_sub; j++)
				json_array_append_new(subs, json_string(p->arch_map[i].sub[j]->oci));
			json_array_append_new(map, json_pack("{s:s, s:o}", "architecture",
							     p->arch_map[i].arch->oci,
							     "subArchitectures", subs));
		}
		json_object_set_new(root, "archMap", map);
	} else if (p->n_architectures) {
		json_t *arr = json_array();
		for (size_t i = 0; i < p->n_architectures; i++)
			json_array_append_new(arr, json_string(p->architectures[i]->oci));
		json_object_set_new(root, "architectures", arr);
	}
	if (p->has_flags)
		json_object_set_new(root, "flags", flags_json(p->flags));
	if (p->listener_path)
		json_object_set_new(root, "listenerPath", json_string(p->listener_path));
	if (p->listener_metadata)
		json_object_set_new(root, "listenerMetadata", json_string(p->listener_metadata));
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct shim_rule *r = &p->rules[i];
		json_t *o = json_object(), *names = json_array(), *c;

		if (r->comment)
			json_object_set_new(o, "comment", json_string(r->comment));
		for (size_t j = 0; j < r->n_names; j++)
			json_array_append_new(names, json_string(r->names[j]));
		json_object_set_new(o, "names", names);
		action_fields(o, "action", "errnoRet", &r->action);
		if (r->n_args)
			json_object_set_new(o, "args", args_json(r->args, r->n_args));
		if ((c = condition_json(&r->includes)))
			json_object_set_new(o, "includes", c);
		if ((c = condition_json(&r->excludes)))
			json_object_set_new(o, "excludes", c);
		json_array_append_new(rules, o);
	}
	json_object_set_new(root, "syscalls", rules);
	return shim_json_dump(root, out, err);
}

static bool same_rule(const struct shim_policy_rule *a, const struct shim_policy_rule *b)
{
	return shim_action_ret(&a->action) == shim_action_ret(&b->action) &&
	       a->n_args == b->n_args && memcmp(a->args, b->args, a->n_args * sizeof(a->args[0])) == 0;
}

/* Whether moving rule j up into the entry at i would put it ahead of a
 * rule for the same syscall still to be written: for one syscall the order
 * of rules decides (the first unconditional one wins), so it must stay. */
static bool overtakes(const struct shim_policy *pol, const bool *done, size_t i, size_t j)
{
	for (size_t k = i + 1; k < j; k++)
		if (!done[k] && strcmp(pol->rules[k].name, pol->rules[j].name) == 0)
			return true;
	return false;
}

/* What runc's init (1.1) calls between loading the filter and execve, Go
 * runtime included: an allow-list that lacks them cannot start under runc. */
static const char *const runtime_init_syscalls[] = {
	"brk", "close", "epoll_ctl", "epoll_pwait", "execve", "exit", "exit_group", "fcntl",
	"fstat", "fstatfs", "futex", "getdents64", "getpid", "gettid", "madvise", "mmap",
	"munmap", "nanosleep", "newfstatat", "openat", "read", "rt_sigprocmask",
	"rt_sigreturn", "sched_yield", "sigaltstack", "tgkill", "write",
};

int shim_export_oci(const struct shim_policy *pol, struct shim_text *out, struct shim_error *err)
{
	return shim_export_oci_for_runtime(pol, NULL, 0, out, NULL, err);
}

int shim_export_oci_for_runtime(const struct shim_policy *pol, const struct shim_filter *f,
				uint32_t arch, struct shim_text *out, struct shim_text *added,
				struct shim_error *err)
{
	json_t *root = json_object(), *arches = json_array(), *rules = json_array();
	bool *done = calloc(pol->n_rules + 1, sizeof(*done));

	if (!done) {
		json_decref(root);
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	action_fields(root, "defaultAction", "defaultErrnoRet", &pol->default_action);
	for (size_t i = 0; i < pol->n_arches; i++) {
		const struct shim_arch_info *a = shim_arch_by_token(pol->arches[i]);
		if (a)
			json_array_append_new(arches, json_string(a->oci));
	}
	json_object_set_new(root, "architectures", arches);
	/* Only flags the profile asked for: runc 1.1 refuses any. */
	if (pol->flags_given)
		json_object_set_new(root, "flags", flags_json(pol->flags));
	/* One entry for each action and set of conditions, names in order. */
	for (size_t i = 0; i < pol->n_rules; i++) {
		json_t *o, *names;

		if (done[i])
			continue;
		names = json_array();
		for (size_t j = i; j < pol->n_rules; j++)
			if (!done[j] && same_rule(&pol->rules[i], &pol->rules[j]) &&
			    !overtakes(pol, done, i, j)) {
				json_array_append_new(names, json_string(pol->rules[j].name));
				done[j] = true;
			}
		o = json_object();
		json_object_set_new(o, "names", names);
		action_fields(o, "action", "errnoRet", &pol->rules[i].action);
		if (pol->rules[i].n_args)
			json_object_set_new(o, "args", args_json(pol->rules[i].args, pol->rules[i].n_args));
		json_array_append_new(rules, o);
	}
	free(done);
	/* With a filter: allow what the runtime's init needs, where denied. */
	if (f) {
		json_t *extra = json_array();
		for (size_t i = 0; i < ARRAY_SIZE(runtime_init_syscalls); i++) {
			struct shim_seccomp_data d = { .arch = arch };
			uint32_t ret;
			d.nr = shim_syscall_resolve_name_arch(arch, runtime_init_syscalls[i]);
			if (d.nr < 0 || shim_bpf_run(f->insns, f->n_insns, &d, &ret, NULL) < 0)
				continue;
			ret &= SECCOMP_RET_ACTION_FULL;
			if (ret == SECCOMP_RET_ALLOW || ret == SECCOMP_RET_LOG)
				continue;
			json_array_append_new(extra, json_string(runtime_init_syscalls[i]));
			if (added)
				shim_text_printf(added, "%s%s", added->len ? " " : "", runtime_init_syscalls[i]);
		}
		if (json_array_size(extra))
			json_array_append_new(rules, json_pack("{s:o, s:s}", "names", extra, "action",
							       "SCMP_ACT_ALLOW"));
		else
			json_decref(extra);
	}
	json_object_set_new(root, "syscalls", rules);
	return shim_json_dump(root, out, err);
}
