/* export: a profile in other forms, and compiled filter files.
 *
 * MUST: the normalized JSON and the OCI object compile to the same filter
 * as the profile they come from (tests check it); a compiled filter file
 * is only used on a machine that matches what it was resolved for.
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

/* ---- compiled filter files --------------------------------------------- */

/* Version 1 files hold for the kernel they were compiled on when the
 * profile has minKernel conditions; version 2 ones for every kernel on
 * which those conditions resolve the same way. Both are read. */
#define BPF_FILE_MAGIC_V1 "SHIMBPF1"
#define BPF_FILE_MAGIC "SHIMBPF2"

struct bpf_file_header {
	char magic[8];
	uint32_t arch; /* libseccomp token of the arch it was resolved for */
	/* v1: the kernel it was resolved on; v2: the lowest kernel it holds
	 * for (the highest minKernel at or below that one, or 0.0). */
	uint32_t kernel_major, kernel_minor;
	uint32_t flags; /* seccomp filter flags */
	uint64_t caps; /* the capabilities includes/excludes were resolved with */
	uint64_t caps_named; /* the ones they name: only those must match */
	uint32_t n_insns;
	/* v1: a minKernel condition was resolved; v2: the first kernel it no
	 * longer holds for (major << 16 | minor: the lowest minKernel above
	 * the one it was resolved on), 0 for none. */
	uint32_t kernel_matters;
	uint8_t profile_sha256[32];
	uint8_t program_sha256[32];
};

static uint32_t kernel_pack(unsigned major, unsigned minor)
{
	return (major > 0xffff ? 0xffff : major) << 16 | (minor > 0xffff ? 0xffff : minor);
}

/* The kernels on which p's minKernel conditions resolve as on host's:
 * [lo, hi), hi 0 for no end. */
static void kernel_range(const struct shim_profile *p, const struct shim_host *host, uint32_t *lo,
			 uint32_t *hi)
{
	uint32_t k = kernel_pack(host->kernel_major, host->kernel_minor);

	*lo = 0;
	*hi = 0;
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct shim_condition *c[2] = { &p->rules[i].includes, &p->rules[i].excludes };
		for (int j = 0; j < 2; j++) {
			uint32_t t = kernel_pack(c[j]->min_kernel_major, c[j]->min_kernel_minor);
			if (!c[j]->has_min_kernel)
				continue;
			if (t <= k && t > *lo)
				*lo = t;
			if (t > k && (*hi == 0 || t < *hi))
				*hi = t;
		}
	}
}

/* Whether host's kernel is one the file holds for; what it holds for,
 * for a message, in want. */
static bool kernel_fits(const struct bpf_file_header *h, const struct shim_host *host,
			char *want, size_t len)
{
	uint32_t k = kernel_pack(host->kernel_major, host->kernel_minor);
	uint32_t lo = kernel_pack(h->kernel_major, h->kernel_minor), hi = h->kernel_matters;

	if (memcmp(h->magic, BPF_FILE_MAGIC_V1, sizeof(h->magic)) == 0) {
		snprintf(want, len, "kernel %u.%u", h->kernel_major, h->kernel_minor);
		return !h->kernel_matters || k == lo;
	}
	if (hi)
		snprintf(want, len, "kernels %u.%u up to %u.%u", lo >> 16, lo & 0xffff, hi >> 16,
			 hi & 0xffff);
	else
		snprintf(want, len, "kernels from %u.%u on", lo >> 16, lo & 0xffff);
	return k >= lo && (!hi || k < hi);
}

size_t shim_bpf_file_size(const struct shim_filter *f)
{
	return sizeof(struct bpf_file_header) + f->n_insns * sizeof(f->insns[0]);
}

void shim_bpf_file_encode(void *buf, const struct shim_profile *p, const struct shim_host *host,
			  const struct shim_filter *f, const uint8_t *key)
{
	struct bpf_file_header h = {
		.arch = host->arch->token,
		.flags = f->flags,
		.caps = host->bounding,
		.n_insns = (uint32_t)f->n_insns,
	};
	size_t size = f->n_insns * sizeof(f->insns[0]);
	uint32_t lo;

	for (size_t i = 0; i < p->n_rules; i++)
		h.caps_named |= p->rules[i].includes.caps | p->rules[i].excludes.caps;
	h.caps &= h.caps_named;
	kernel_range(p, host, &lo, &h.kernel_matters);
	h.kernel_major = lo >> 16;
	h.kernel_minor = lo & 0xffff;
	memcpy(h.magic, BPF_FILE_MAGIC, sizeof(h.magic));
	if (key)
		memcpy(h.profile_sha256, key, sizeof(h.profile_sha256));
	else
		shim_sha256(p->text, p->text_len, h.profile_sha256);
	shim_sha256(f->insns, size, h.program_sha256);
	memcpy(buf, &h, sizeof(h));
	memcpy((char *)buf + sizeof(h), f->insns, size);
}

int shim_bpf_file_write(int fd, const struct shim_profile *p, const struct shim_host *host,
			const struct shim_filter *f, struct shim_error *err)
{
	size_t size = shim_bpf_file_size(f);
	char *buf = malloc(size);
	ssize_t n;

	if (!buf) {
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	shim_bpf_file_encode(buf, p, host, f, NULL);
	n = write(fd, buf, size);
	free(buf);
	if (n != (ssize_t)size) {
		shim_error_set(err, n < 0 ? errno : EIO, "cannot write the compiled filter: %s",
			       strerror(n < 0 ? errno : EIO));
		return -1;
	}
	return 0;
}

int shim_bpf_file_read(const char *path, const struct shim_host *host,
		       struct shim_filter *out, struct shim_error *err)
{
	int r, fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;

	memset(out, 0, sizeof(*out));
	if (fd < 0) {
		shim_error_set(err, errno, "%s: cannot open the compiled filter: %s", path, strerror(errno));
		return -1;
	}
	/* Whoever may write the file decides the filter: only us or root. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    ((st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & 022))) {
		shim_error_set(err, EPERM, "%s: the compiled filter belongs to uid %u with mode %03o: it must belong to root%s and be writable by no one else (chown, chmod go-w), since whoever can write it decides the filter",
			       path, (unsigned)st.st_uid, (unsigned)(st.st_mode & 0777),
			       geteuid() ? " or you" : "");
		close(fd);
		return -1;
	}
	r = shim_bpf_file_read_fd(fd, path, host, NULL, out, err);
	close(fd);
	return r;
}

/* The largest file: a header and BPF_MAXINSNS instructions. */
#define BPF_FILE_MAX (sizeof(struct bpf_file_header) + BPF_MAXINSNS * sizeof(struct sock_filter))

int shim_bpf_file_read_fd(int fd, const char *path, const struct shim_host *host,
			  const uint8_t *want_key, struct shim_filter *out, struct shim_error *err)
{
	struct stat st;
	char *buf = NULL;
	size_t used = 0;
	int r = -1;

	memset(out, 0, sizeof(*out));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (size_t)st.st_size > BPF_FILE_MAX || !(buf = malloc((size_t)st.st_size)) ||
	    read(fd, buf, (size_t)st.st_size) != st.st_size) {
		shim_error_set(err, EINVAL, "%s: not a filter written by seccomp-shim compile (or cut short)", path);
		goto out;
	}
	r = shim_bpf_file_decode(buf, (size_t)st.st_size, path, host, want_key, out, &used, err);
	if (r == 0 && used != (size_t)st.st_size) {
		shim_filter_free(out);
		shim_error_set(err, EINVAL, "%s: not a filter written by seccomp-shim compile (it goes on after the program)", path);
		r = -1;
	}
out:
	free(buf);
	return r;
}

int shim_bpf_file_decode(const void *buf, size_t len, const char *path, const struct shim_host *host,
			 const uint8_t *want_key, struct shim_filter *out, size_t *used,
			 struct shim_error *err)
{
	struct bpf_file_header h;
	uint8_t sum[32];
	const struct shim_arch_info *a;
	char want[1024];

	memset(out, 0, sizeof(*out));
	if (len >= sizeof(h))
		memcpy(&h, buf, sizeof(h));
	if (len < sizeof(h) ||
	    (memcmp(h.magic, BPF_FILE_MAGIC, sizeof(h.magic)) != 0 &&
	     memcmp(h.magic, BPF_FILE_MAGIC_V1, sizeof(h.magic)) != 0) ||
	    h.n_insns == 0 || h.n_insns > BPF_MAXINSNS ||
	    len - sizeof(h) < h.n_insns * sizeof(struct sock_filter)) {
		shim_error_set(err, EINVAL, "%s: not a filter written by seccomp-shim compile (or cut short)", path);
		return -1;
	}
	if (want_key && memcmp(want_key, h.profile_sha256, sizeof(h.profile_sha256)) != 0) {
		shim_error_set(err, EINVAL, "%s: made for another profile or options", path);
		return -1;
	}
	out->insns = malloc(h.n_insns * sizeof(*out->insns));
	if (!out->insns) {
		shim_error_set(err, ENOMEM, "%s: out of memory", path);
		goto fail;
	}
	memcpy(out->insns, (const char *)buf + sizeof(h), h.n_insns * sizeof(*out->insns));
	*used = sizeof(h) + h.n_insns * sizeof(*out->insns);
	out->n_insns = h.n_insns;
	out->flags = h.flags;
	shim_sha256(out->insns, h.n_insns * sizeof(*out->insns), sum);
	if (memcmp(sum, h.program_sha256, sizeof(sum)) != 0) {
		shim_error_set(err, EINVAL, "%s: the program does not match its checksum: the file was changed", path);
		goto fail;
	}
	a = shim_arch_by_token(h.arch);
	if (h.arch != host->arch->token) {
		shim_error_set(err, EINVAL, "%s: compiled for %s, but this machine is %s: compile it here",
			       path, a ? a->oci : "another architecture", host->arch->oci);
		goto fail;
	}
	if (!kernel_fits(&h, host, want, sizeof(want))) {
		shim_error_set(err, EINVAL, "%s: compiled for %s, but this one is %u.%u (its minKernel rules resolve otherwise): compile it here",
			       path, want, host->kernel_major, host->kernel_minor);
		goto fail;
	}
	if (h.caps != (host->bounding & h.caps_named)) {
		shim_caps_format(h.caps ^ (host->bounding & h.caps_named), want, sizeof(want));
		shim_error_set(err, EINVAL, "%s: compiled for a command holding other capabilities among those its includes/excludes name (they differ in %s); compile it with --caps set to what the command holds here",
			       path, want);
		goto fail;
	}
	if ((h.flags & ~host->supported_flags) != 0) {
		shim_error_set(err, EINVAL, "%s: uses filter flags %#x this kernel does not support", path,
			       h.flags & ~host->supported_flags);
		goto fail;
	}
	return 0;
fail:
	shim_filter_free(out);
	return -1;
}
