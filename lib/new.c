/* new: a standard profile written from syscall groups and names.
 *
 * MUST: the output is a profile runc, crun and Docker read as it is:
 * defaultAction (with defaultErrnoRet for ERRNO), architectures, and
 * syscalls entries holding plain names and an action; no group, no
 * Docker-only key. A name in --deny is never allowed, whatever --allow
 * says. @default (what every program needs to start and end) is part of
 * every allow-list, as systemd adds it to every SystemCallFilter=
 * allow-list; a deny still removes any of it.
 */
#include <errno.h>
#include <jansson.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The ABIs each architecture's kernel also runs: runtime/default's archMap
 * (Docker's, with ppc64le's 32-bit and big-endian siblings). */
static const struct {
	const char *arch;
	const char *sub[3];
} families[] = {
	{ "SCMP_ARCH_X86_64", { "SCMP_ARCH_X86", "SCMP_ARCH_X32" } },
	{ "SCMP_ARCH_AARCH64", { "SCMP_ARCH_ARM" } },
	{ "SCMP_ARCH_PPC64LE", { "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC" } },
	{ "SCMP_ARCH_S390X", { "SCMP_ARCH_S390" } },
	{ "SCMP_ARCH_MIPS64", { "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64N32" } },
	{ "SCMP_ARCH_MIPS64N32", { "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64" } },
	{ "SCMP_ARCH_MIPSEL64", { "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64N32" } },
	{ "SCMP_ARCH_MIPSEL64N32", { "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64" } },
};

size_t shim_arch_family(const struct shim_arch_info *arch, const struct shim_arch_info **out,
			size_t max)
{
	size_t n = 0;

	if (!arch || !arch->token || max == 0)
		return 0;
	out[n++] = arch;
	for (size_t i = 0; i < ARRAY_SIZE(families); i++) {
		if (strcmp(families[i].arch, arch->oci) != 0)
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(families[i].sub) && families[i].sub[k]; k++) {
			const struct shim_arch_info *a = shim_arch_by_oci(families[i].sub[k]);
			if (a && a->token && n < max)
				out[n++] = a;
		}
	}
	return n;
}

/* A list of names: built by shim_group_expand, then sorted and unique. */
struct names {
	char **v;
	size_t n;
};

static void names_free(struct names *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void names_sort_unique(struct names *s)
{
	size_t w = 0;

	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), cmp_name);
	for (size_t i = 0; i < s->n; i++) {
		if (w && strcmp(s->v[w - 1], s->v[i]) == 0)
			free(s->v[i]);
		else
			s->v[w++] = s->v[i];
	}
	s->n = w;
}

static bool names_has(const struct names *s, const char *name)
{
	return s->n && bsearch(&name, s->v, s->n, sizeof(*s->v), cmp_name) != NULL;
}

/* Whether libseccomp knows name at all: the test the compiler makes
 * before it warns of an unknown syscall. */
static bool known(const char *name)
{
	return seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR;
}

/* Whether name is a syscall on one of the architectures. */
static bool on_family(const char *name, const struct shim_arch_info *const *fam, size_t n_fam)
{
	for (size_t i = 0; i < n_fam; i++)
		if (seccomp_syscall_resolve_name_arch(fam[i]->token, name) >= 0)
			return true;
	return false;
}

static const char *family_names(const struct shim_arch_info *const *fam, size_t n_fam,
				char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0, used = 0; i < n_fam && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", fam[i]->oci);
	return buf;
}

/* A name the caller wrote: it must be a syscall libseccomp knows. */
static int check_plain(const char *opt, const char *name, const struct shim_arch_info *const *fam,
		       size_t n_fam, struct shim_warnings *warn, struct shim_error *err)
{
	const struct scmp_version *v = seccomp_version();
	char arches[256];

	if (!known(name)) {
		const char *near = shim_syscall_suggest(name);
		shim_error_set(err, ENOENT, "%s %s: unknown syscall: libseccomp %u.%u.%u does not know it (%s%s%sa group starts with @: seccomp-shim new --list shows them)",
			       opt, name, v->major, v->minor, v->micro, near ? "did you mean \"" : "",
			       near ? near : "", near ? "\"? " : "");
		return -1;
	}
	if (!on_family(name, fam, n_fam))
		shim_warn(warn, "%s %s: not a syscall on %s: left out", opt, name,
			  family_names(fam, n_fam, arches, sizeof(arches)));
	return 0;
}

/* Expands specs into s, keeping only what exists on the family; what
 * libseccomp does not know at all moves to unknown. */
static int collect(const char *opt, char *const *specs, size_t n_specs, bool with_default,
		   const struct shim_arch_info *const *fam, size_t n_fam, struct names *s,
		   struct names *unknown, struct shim_warnings *warn, struct shim_error *err)
{
	size_t w = 0;

	if (with_default && shim_group_expand("@default", &s->v, &s->n, err) < 0)
		return -1;
	for (size_t i = 0; i < n_specs; i++) {
		if (specs[i][0] != '@' &&
		    check_plain(opt, specs[i], fam, n_fam, warn, err) < 0)
			return -1;
		if (shim_group_expand(specs[i], &s->v, &s->n, err) < 0) {
			char msg[sizeof(err->msg)];
			snprintf(msg, sizeof(msg), "%s", err->msg);
			shim_error_set(err, err->code, "%s: %s", opt, msg);
			return -1;
		}
	}
	names_sort_unique(s);
	for (size_t i = 0; i < s->n; i++) {
		if (on_family(s->v[i], fam, n_fam)) {
			s->v[w++] = s->v[i];
			continue;
		}
		if (!known(s->v[i])) {
			char **grown = realloc(unknown->v, (unknown->n + 1) * sizeof(*grown));
			if (grown) {
				unknown->v = grown;
				unknown->v[unknown->n++] = s->v[i];
				continue;
			}
		}
		free(s->v[i]);
	}
	s->n = w;
	return 0;
}

static bool lets_through(enum shim_action_kind k)
{
	return k == SHIM_ACT_ALLOW || k == SHIM_ACT_LOG;
}

static json_t *names_json(const struct names *s, const struct names *minus)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < s->n; i++)
		if (!minus || !names_has(minus, s->v[i]))
			json_array_append_new(arr, json_string(s->v[i]));
	return arr;
}

static json_t *profile_json(const struct shim_new_request *rq, const struct shim_action *def,
			    const struct shim_arch_info *const *fam, size_t n_fam,
			    const struct names *allow, const struct names *deny)
{
	json_t *root = json_object(), *arches = json_array(), *syscalls = json_array();
	json_t *allowed = names_json(allow, deny);

	if (rq->comment)
		json_object_set_new(root, "comment", json_string(rq->comment));
	json_object_set_new(root, "defaultAction", json_string(shim_action_name(def->kind)));
	if (def->kind == SHIM_ACT_ERRNO)
		json_object_set_new(root, "defaultErrnoRet", json_integer(def->errno_ret));
	for (size_t i = 0; i < n_fam; i++)
		json_array_append_new(arches, json_string(fam[i]->oci));
	json_object_set_new(root, "architectures", arches);
	if (json_array_size(allowed) && def->kind != SHIM_ACT_ALLOW)
		json_array_append_new(syscalls, json_pack("{s:o, s:s}", "names", allowed,
							  "action", "SCMP_ACT_ALLOW"));
	else
		json_decref(allowed);
	/* A denied call gets the default action, unless that lets it through. */
	if (deny->n && lets_through(def->kind))
		json_array_append_new(syscalls,
				      json_pack("{s:o, s:s, s:i}", "names", names_json(deny, NULL),
						"action", "SCMP_ACT_ERRNO", "errnoRet",
						rq->deny_errno ? (int)rq->deny_errno : EPERM));
	json_object_set_new(root, "syscalls", syscalls);
	return root;
}

static int check_default(const struct shim_action *def, const struct shim_new_request *rq,
			 struct shim_error *err)
{
	switch (def->kind) {
	case SHIM_ACT_TRACE:
	case SHIM_ACT_NOTIFY:
		shim_error_set(err, EINVAL, "default action %s: it needs a tracer or a seccomp agent; use errno, kill-process, kill-thread, trap, log or allow",
			       shim_action_name(def->kind));
		return -1;
	case SHIM_ACT_ALLOW:
		if (rq->n_allow) {
			shim_error_set(err, EINVAL, "--allow with default action allow: everything is allowed already; say what to deny with --deny");
			return -1;
		}
		break;
	default:
		break;
	}
	return 0;
}

int shim_new_profile(const struct shim_new_request *rq, struct shim_text *out,
		     struct shim_warnings *warn, struct shim_error *err)
{
	const struct shim_arch_info *fam[8];
	struct shim_action def = rq->default_action;
	struct names allow = { 0 }, deny = { 0 }, unknown = { 0 };
	struct shim_text list = { 0 };
	const struct scmp_version *v = seccomp_version();
	size_t n_fam;
	int rc = -1;

	if (!def.kind)
		def = (struct shim_action){ .kind = SHIM_ACT_ERRNO, .errno_ret = EPERM };
	if (def.kind == SHIM_ACT_ERRNO && !def.errno_ret)
		def.errno_ret = EPERM;
	if (check_default(&def, rq, err) < 0)
		return -1;
	n_fam = shim_arch_family(rq->arch ? rq->arch : shim_arch_native(), fam, ARRAY_SIZE(fam));
	if (!n_fam) {
		shim_error_set(err, EINVAL, "this architecture is not one libseccomp %u.%u.%u supports",
			       v->major, v->minor, v->micro);
		return -1;
	}
	if (collect("--allow", rq->allow, rq->n_allow, !lets_through(def.kind), fam, n_fam, &allow,
		    &unknown, warn, err) < 0 ||
	    collect("--deny", rq->deny, rq->n_deny, false, fam, n_fam, &deny, &unknown, warn,
		    err) < 0)
		goto out;
	names_sort_unique(&unknown);
	for (size_t i = 0; i < unknown.n; i++)
		shim_text_printf(&list, "%s%s", i ? ", " : "", unknown.v[i]);
	if (unknown.n)
		shim_warn(warn, "left out, as libseccomp %u.%u.%u does not know them: %s", v->major,
			  v->minor, v->micro, list.s ? list.s : "");
	rc = shim_json_dump(profile_json(rq, &def, fam, n_fam, &allow, &deny), out, err);
out:
	shim_text_free(&list);
	names_free(&unknown);
	names_free(&allow);
	names_free(&deny);
	return rc;
}
