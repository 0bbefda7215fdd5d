/* record_profile: the profile written from a recording (lib/record.c),
 * and the file it goes to.
 *
 * The profile is an allow-list: defaultAction SCMP_ACT_ERRNO, one ALLOW
 * rule naming every call seen (sorted) with execve, execveat and the calls
 * the recording filter lets through unseen; the calls whose danger is in
 * one argument (socket, clone, ioctl, ...) a rule per value seen; clone
 * without CLONE_NEW* flags; clone3 ENOSYS. With --merge, an allow-list
 * as export writes it, plus rules for only what it did not allow.
 *
 * The output is opened before the command runs (a run of minutes must not
 * end in "cannot write") and replaces the file only when the whole profile
 * is written: a temporary next to it, renamed over it.
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

#include "internal.h"

/* The output is made before the command runs: a run of minutes must not
 * end in "cannot write". */
int shim_record_output_open(const char *path, struct shim_record_output *out,
			    struct shim_error *err)
{
	struct stat st, lst;
	bool exists = stat(path, &st) == 0;
	char *dir, *slash;
	mode_t mask;

	*out = (struct shim_record_output){ .fd = -1 };
	if (exists && S_ISDIR(st.st_mode)) {
		shim_error_set(err, EISDIR, "%s is a directory: -o takes the file to write", path);
		return -1;
	}
	if (exists && !S_ISREG(st.st_mode)) { /* /dev/stdout, a FIFO: written as they are */
		out->fd = open(path, O_WRONLY | O_CLOEXEC);
		out->path = out->fd < 0 ? NULL : strdup(path);
		if (out->fd < 0 || !out->path) {
			shim_error_set(err, errno, "cannot write %s: %s", path, strerror(errno));
			shim_record_output_abort(out);
			return -1;
		}
		return 0;
	}
	if (!exists && lstat(path, &lst) == 0) {
		shim_error_set(err, ENOENT, "cannot write %s: it is a symbolic link to a file that does not exist",
			       path);
		return -1;
	}
	/* A symlink is written through: the temporary goes next to its target. */
	out->path = exists ? realpath(path, NULL) : strdup(path);
	if (!out->path) {
		shim_error_set(err, errno, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	slash = strrchr(out->path, '/');
	if (asprintf(&out->tmp, "%.*s.%s.XXXXXX", slash ? (int)(slash - out->path + 1) : 0,
		     out->path, slash ? slash + 1 : out->path) < 0) {
		out->tmp = NULL;
		shim_record_output_abort(out);
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	out->fd = mkostemp(out->tmp, O_CLOEXEC);
	if (out->fd < 0) {
		int e = errno;
		dir = slash ? strndup(out->path, (size_t)(slash == out->path ? 1 : slash - out->path))
			    : strdup(".");
		shim_error_set(err, e, "cannot write %s: cannot create a file in %s: %s", path,
			       dir ? dir : "its directory", strerror(e));
		free(dir);
		free(out->tmp);
		out->tmp = NULL;
		shim_record_output_abort(out);
		return -1;
	}
	mask = umask(0);
	umask(mask);
	if (fchmod(out->fd, exists ? st.st_mode & 07777 : 0644 & ~mask) < 0) {
		shim_error_set(err, errno, "cannot write %s: fchmod: %s", path, strerror(errno));
		shim_record_output_abort(out);
		return -1;
	}
	return 0;
}

int shim_record_output_commit(struct shim_record_output *out, const struct shim_text *t,
			      struct shim_error *err)
{
	size_t done = 0;
	int fd = out->fd;

	while (t->s && done < t->len) {
		ssize_t n = write(fd, t->s + done, t->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		done += (size_t)n;
	}
	if (out->tmp && fsync(fd) < 0)
		goto fail;
	out->fd = -1;
	if (close(fd) < 0) /* never retried (STYLE.md) */
		goto fail;
	if (out->tmp && rename(out->tmp, out->path) < 0)
		goto fail;
	free(out->tmp);
	out->tmp = NULL;
	shim_record_output_abort(out); /* frees what is left */
	return 0;
fail:
	shim_error_set(err, errno, "cannot write %s: %s", out->path, strerror(errno));
	shim_record_output_abort(out);
	return -1;
}

void shim_record_output_abort(struct shim_record_output *out)
{
	if (out->fd >= 0)
		close(out->fd);
	if (out->tmp)
		unlink(out->tmp);
	free(out->tmp);
	free(out->path);
	*out = (struct shim_record_output){ .fd = -1 };
}

static bool names_has(json_t *names, const char *name)
{
	size_t i;
	json_t *v;

	json_array_foreach(names, i, v)
		if (strcmp(json_string_value(v), name) == 0)
			return true;
	return false;
}

static int cmp_json_str(const void *a, const void *b)
{
	return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

/* A JSON array of strings, sorted. */
static json_t *sorted(json_t *arr)
{
	size_t n = json_array_size(arr);
	json_t **v = malloc((n + 1) * sizeof(*v)), *out = json_array();

	for (size_t i = 0; v && i < n; i++)
		v[i] = json_array_get(arr, i);
	if (v)
		qsort(v, n, sizeof(*v), cmp_json_str);
	for (size_t i = 0; v && i < n; i++)
		json_array_append(out, v[i]);
	free(v);
	json_decref(arr);
	return out;
}

/* Whether p allows name for every argument on every arch: an ALLOW rule
 * without conditions. */
static bool merge_allows(const struct shim_profile *p, const char *name)
{
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct shim_rule *r = &p->rules[i];
		if (r->action.kind != SHIM_ACT_ALLOW || r->n_args || r->includes.n_arches ||
		    r->includes.has_caps || r->includes.has_min_kernel || r->excludes.n_arches ||
		    r->excludes.has_caps || r->excludes.has_min_kernel)
			continue;
		for (size_t j = 0; j < r->n_names; j++)
			if (strcmp(r->names[j], name) == 0)
				return true;
	}
	return false;
}

/* Whether any rule of p names name. */
static bool merge_names(const struct shim_profile *p, const char *name)
{
	for (size_t i = 0; i < p->n_rules; i++)
		for (size_t j = 0; j < p->rules[i].n_names; j++)
			if (strcmp(p->rules[i].names[j], name) == 0)
				return true;
	return false;
}

/* Where the profile came from: this run, after what merge's comment says. */
static json_t *provenance(const struct shim_profile *merge, const char *command)
{
	const char *old = merge ? merge->comment : NULL;
	json_t *c;

	if (!merge)
		c = json_sprintf("Recorded by seccomp-shim record from: %s", command);
	else if (old && *old && old[strlen(old) - 1] == '.')
		c = json_sprintf("%s Added by seccomp-shim record from: %s", old, command);
	else if (old && *old)
		c = json_sprintf("%s; added by seccomp-shim record from: %s", old, command);
	else
		c = json_sprintf("Added by seccomp-shim record from: %s", command);
	return c;
}

/* Whether p has this one-condition ALLOW rule for name already. */
static bool merge_has_rule(const struct shim_profile *p, const char *name, const struct shim_arg *a)
{
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct shim_rule *r = &p->rules[i];
		if (r->action.kind != SHIM_ACT_ALLOW || r->n_args != 1 || r->includes.n_arches ||
		    r->includes.has_caps || r->includes.has_min_kernel || r->excludes.n_arches ||
		    r->excludes.has_caps || r->excludes.has_min_kernel ||
		    r->args[0].index != a->index || r->args[0].op != a->op ||
		    r->args[0].value != a->value || r->args[0].value_two != a->value_two)
			continue;
		for (size_t j = 0; j < r->n_names; j++)
			if (strcmp(r->names[j], name) == 0)
				return true;
	}
	return false;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Whether the calls to v's syscall are written as one rule per value. */
static bool narrow(const struct shim_record_values *v, const struct shim_record_options *opt)
{
	return !opt->wide && !v->overflow;
}

/* One ALLOW rule per value seen: arg == value, or for clone
 * (arg & CLONE_NEW*) == the namespace flags seen, 0 among them (the
 * recording filter let those calls through unseen) unless the profile
 * merged into has a clone policy of its own. */
static void narrow_rules(const struct shim_record_values *v, const struct shim_record_options *opt,
			 json_t *syscalls)
{
	uint64_t values[SHIM_RECORD_MAX_VALUES + 1];
	size_t n = 0;
	bool masked = v->mask != UINT64_MAX;

	if (opt->merge && merge_allows(opt->merge, v->name))
		return;
	if (masked && !opt->seen_only && !(opt->merge && merge_names(opt->merge, v->name)))
		values[n++] = 0;
	for (size_t i = 0; i < v->n; i++)
		if (!(masked && v->v[i] == 0))
			values[n++] = v->v[i];
	qsort(values, n, sizeof(values[0]), cmp_u64);
	for (size_t i = 0; i < n; i++) {
		struct shim_arg a = { v->index, masked ? v->mask : values[i], masked ? values[i] : 0,
				      masked ? SHIM_OP_MASKED_EQ : SHIM_OP_EQ };
		json_t *arg = json_pack("{s:i, s:o}", "index", (int)a.index, "value", shim_json_u64(a.value));

		if (opt->merge && merge_has_rule(opt->merge, v->name, &a)) {
			json_decref(arg);
			continue;
		}
		json_object_set_new(arg, "valueTwo", shim_json_u64(a.value_two)); /* as export writes it */
		json_object_set_new(arg, "op", json_string(masked ? "SCMP_CMP_MASKED_EQ" : "SCMP_CMP_EQ"));
		json_array_append_new(syscalls, json_pack("{s:[s], s:s, s:[o]}", "names", v->name,
							  "action", "SCMP_ACT_ALLOW", "args", arg));
	}
}

/* The names for the ALLOW rule (sorted) and the architectures seen. */
static json_t *allowed_names(const struct shim_recording *rec, const struct shim_record_options *opt,
			     json_t *arches, struct shim_warnings *warn)
{
	static const char *const always[] = { "execve", "execveat" };
	const struct shim_record_table *t = rec->table;
	const struct shim_profile *merge = opt->merge;
	json_t *names = json_array();
	size_t unnamed = 0;

	/* The shim needs execve to start the command under the profile, and
	 * execveat can do nothing execve cannot (execve of /proc/self/fd/N)
	 * while fexecve(3) fails without it: check counts both as essential.
	 * The others any program may make on a path one run did not show: a
	 * thread ending, a signal handler returning, a call restarted after one. */
	for (size_t i = 0; i < ARRAY_SIZE(always) && !opt->seen_only; i++)
		if (!(merge && merge_allows(merge, always[i])))
			json_array_append_new(names, json_string(always[i]));
	for (size_t i = 0; i < shim_record_n_unnotified && !opt->seen_only; i++)
		if (!(merge && merge_allows(merge, shim_record_unnotified[i])))
			json_array_append_new(names, json_string(shim_record_unnotified[i]));
	for (size_t i = 0; i < SHIM_RECORD_TABLE_SIZE; i++) {
		const struct shim_record_entry *e = &t->v[i];
		const struct shim_arch_info *a = shim_arch_by_token(e->arch);
		char *name;

		if (!e->count)
			continue;
		if (a && !names_has(arches, a->oci))
			json_array_append_new(arches, json_string(a->oci));
		if (e->values >= 0 && narrow(&t->values[e->values], opt))
			continue; /* a rule per value (narrow_rules) */
		name = seccomp_syscall_resolve_num_arch(e->arch, e->nr);
		if (!name) {
			if (unnamed++ < 10)
				shim_warn(warn, "syscall %d on %s has no name in this libseccomp: the profile cannot allow it (the command gets the default errno there)",
					  e->nr & ~(int)SHIM_X32_SYSCALL_BIT, a ? a->oci : "an unknown architecture");
			continue;
		}
		if (!names_has(names, name) && !(merge && merge_allows(merge, name)))
			json_array_append_new(names, json_string(name));
		free(name);
	}
	if (unnamed > 10)
		shim_warn(warn, "%zu more syscalls without a name", unnamed - 10);
	for (size_t i = 0; i < t->n_values; i++)
		if (t->values[i].overflow && !opt->wide)
			shim_warn(warn, "%s was called with more than %d different values of argument %u: it is allowed for any",
				  t->values[i].name, SHIM_RECORD_MAX_VALUES, t->values[i].index);
	return sorted(names);
}

/* The profile to add to, as export writes it, with the comment first;
 * arches joins its architectures. */
static json_t *merged_root(const struct shim_record_options *opt, json_t *arches,
			   struct shim_error *err)
{
	const struct shim_profile *merge = opt->merge;
	struct shim_text text = { 0 };
	json_error_t jerr;
	json_t *root, *exported, *old;

	if (merge->default_action.kind != SHIM_ACT_ERRNO) {
		shim_error_set(err, EINVAL, "%s: --merge needs an allow-list (defaultAction SCMP_ACT_ERRNO), not %s",
			       merge->path, shim_action_name(merge->default_action.kind));
		return NULL;
	}
	if (shim_export_json(merge, &text, err) < 0)
		return NULL;
	exported = json_loads(text.s, JSON_PRESERVE_ORDER, &jerr);
	shim_text_free(&text);
	if (!exported) { /* a value above 2^63-1, which jansson cannot hold */
		shim_error_set(err, EINVAL, "%s: cannot add to this profile: %s", merge->path, jerr.text);
		return NULL;
	}
	root = json_object();
	if (opt->command)
		json_object_set_new(root, "comment", provenance(merge, opt->command));
	/* The provenance above already carries the old comment. */
	if (opt->command)
		json_object_del(exported, "comment");
	json_object_update(root, exported);
	json_decref(exported);
	old = json_object_get(root, "architectures");
	if (json_is_array(old)) {
		size_t i;
		json_t *v;
		json_array_foreach(arches, i, v)
			if (!names_has(old, json_string_value(v)))
				json_array_append(old, v);
	}
	if (!json_is_array(json_object_get(root, "syscalls")))
		json_object_set_new(root, "syscalls", json_array());
	return root;
}

int shim_record_merge_check(const struct shim_profile *merge, struct shim_error *err)
{
	struct shim_record_options opt = { .merge = merge };
	json_t *arches = json_array(), *root = merged_root(&opt, arches, err);

	json_decref(arches);
	json_decref(root);
	return root ? 0 : -1;
}

int shim_record_profile(const struct shim_recording *rec, const struct shim_record_options *opt,
			struct shim_text *out, struct shim_warnings *warn, struct shim_error *err)
{
	const struct shim_record_table *t = rec->table;
	const struct shim_profile *merge = opt->merge;
	const struct shim_record_values *clone = NULL;
	json_t *root, *arches = json_array(), *names, *syscalls;

	json_array_append_new(arches, json_string(shim_arch_native()->oci));
	names = allowed_names(rec, opt, arches, warn);
	if (merge) {
		/* The existing profile as it is, plus what it did not allow. */
		root = merged_root(opt, arches, err);
		json_decref(arches);
		if (!root) {
			json_decref(names);
			return -1;
		}
	} else {
		root = json_object();
		if (opt->command)
			json_object_set_new(root, "comment", provenance(NULL, opt->command));
		json_object_set_new(root, "defaultAction", json_string("SCMP_ACT_ERRNO"));
		json_object_set_new(root, "defaultErrnoRet", json_integer(opt->errno_ret));
		json_object_set_new(root, "architectures", arches);
		json_object_set_new(root, "syscalls", json_array());
	}
	syscalls = json_object_get(root, "syscalls");
	bool clone_seen = names_has(names, "clone") || (merge && merge_names(merge, "clone"));
	if (json_array_size(names))
		json_array_append_new(syscalls, json_pack("{s:o, s:s}", "names", names, "action",
							  "SCMP_ACT_ALLOW"));
	else
		json_decref(names);
	for (size_t i = 0; i < t->n_values; i++) {
		if (strcmp(t->values[i].name, "clone") == 0)
			clone = &t->values[i];
		if (narrow(&t->values[i], opt))
			narrow_rules(&t->values[i], opt, syscalls);
	}
	/* Else clone without CLONE_NEW*, as the recording filter let it
	 * through unseen, unless it is allowed already. */
	if (!(clone && narrow(clone, opt)) && !clone_seen && !opt->seen_only)
		json_array_append_new(syscalls,
				      json_pack("{s:[s], s:s, s:[{s:i, s:I, s:i, s:s}]}", "names", "clone",
						"action", "SCMP_ACT_ALLOW", "args", "index", 0, "value",
						(json_int_t)SHIM_CLONE_NEW_FLAGS, "valueTwo", 0, "op",
						"SCMP_CMP_MASKED_EQ"));
	/* (unless that is the default already: check calls the rule useless) */
	if (!opt->seen_only && !(merge && merge_names(merge, "clone3")) &&
	    (merge ? (int)merge->default_action.errno_ret : opt->errno_ret) != ENOSYS)
		json_array_append_new(syscalls, json_pack("{s:[s], s:s, s:i}", "names", "clone3",
							  "action", "SCMP_ACT_ERRNO", "errnoRet", ENOSYS));
	return shim_json_dump(root, out, err);
}
