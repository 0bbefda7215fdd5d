/* admission: the node policy (lib/nodepolicy.c) applied to one
 * container's config.json, for the runtime wrapper and the hooks.
 *
 *   capabilities, no_new_privs -> which profile (annotation, the engine's,
 *   the default) -> the pipeline (parse, resolve for the container's
 *   bounding set, compile) -> allow-by-default -> reporting -> edits
 *
 * MUST:
 * - A refusal names the policy rule and the container field, and the
 *   container does not start; nothing is half-edited (the caller writes
 *   the document only when this returns 0).
 * - Annotations come from whoever writes the pod, not the operator: one
 *   may only pick a profile the policy allows (built-in ones when it lists
 *   none), read beneath an allowed directory without following a link.
 * - Every profile a container gets went through the same pipeline as a
 *   run: one that would not load is refused here, not inside runc.
 * - Reporting is injected only where the supervisor it starts cannot be
 *   taken over from inside: not with CAP_SYS_PTRACE (which ptraces a
 *   process that is not dumpable). Its filter replaces linux.seccomp
 *   (the kernel answers with the most restrictive of stacked filters, so
 *   runc's would deny before ours could report), and the wrapper prefixes
 *   every exec in that container the same way (shim/runtime.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/openat2.h>

#include "internal.h"

/* The kernel's limit on one argument string (MAX_ARG_STRLEN). */
#define ARG_MAX_ONE (32u * 4096u)

struct admit {
	const struct shim_admission_request *rq;
	struct shim_admission *out;
	struct shim_error *err;
	json_t *process, *annotations;
	uint64_t bounding;
};

__attribute__((format(printf, 2, 3))) static int refuse(struct admit *a, const char *fmt, ...)
{
	char msg[sizeof(a->err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	shim_error_set(a->err, EPERM, "%s", msg);
	return -1;
}

static const char *policy_name(const struct admit *a)
{
	return a->rq->policy->file ? a->rq->policy->file : "the built-in policy (no policy file)";
}

static const char *annotation(const struct admit *a, const char *key)
{
	return json_string_value(json_object_get(a->annotations, key));
}

/* Every capability set of the process within maxCapabilities; the
 * bounding set kept for resolving profiles. */
static int check_caps(struct admit *a)
{
	static const char *const sets[] = { "bounding", "effective", "permitted", "inheritable", "ambient" };
	const struct shim_node_policy *p = a->rq->policy;
	json_t *caps = json_object_get(a->process, "capabilities"), *v;
	char buf[SHIM_CAP_NAME_MAX];
	size_t i;

	for (size_t s = 0; s < ARRAY_SIZE(sets); s++) {
		json_array_foreach(json_object_get(caps, sets[s]), i, v) {
			int cap = json_is_string(v) ? shim_cap_from_name(json_string_value(v)) : -1;
			if (cap < 0)
				return refuse(a, "%s: process.capabilities.%s[%zu]: unknown capability %s",
					      a->rq->config_name, sets[s], i,
					      json_is_string(v) ? json_string_value(v) : "(not a string)");
			if (s == 0)
				a->bounding |= 1ULL << cap;
			if (p->has_max_caps && !(p->max_caps & (1ULL << cap)))
				return refuse(a, "policy allows no %s (maxCapabilities in %s): process.capabilities.%s[%zu] is %s",
					      shim_cap_name(cap, buf), policy_name(a), sets[s], i,
					      json_string_value(v));
		}
	}
	return 0;
}

static int check_nnp(struct admit *a)
{
	json_t *nnp = json_object_get(a->process, "noNewPrivileges");

	if (!a->rq->policy->require_nnp || json_is_true(nnp))
		return 0;
	return refuse(a, "policy requires no_new_privs (requireNoNewPrivileges in %s): process.noNewPrivileges is %s",
		      policy_name(a), nnp ? "false" : "absent");
}

/* A profile file: one an annotation names (by_pod) beneath the allowed
 * directory it is in, no link followed; the policy's default as named.
 * Either must be written by root (or us) alone: whoever can write it
 * decides the containers' filter. */
static int open_named_file(struct admit *a, const char *ref, bool by_pod)
{
	const struct shim_node_policy *p = a->rq->policy;
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
	const char *dir = "/";
	struct stat st;
	int dfd, fd;

	for (size_t i = 0; i < p->n_allowed; i++) {
		size_t n = strlen(p->allowed[i]);
		if (p->allowed[i][n - 1] == '/' && strncmp(ref, p->allowed[i], n) == 0)
			dir = p->allowed[i];
	}
	/* The operator's own default may be reached through links. */
	dfd = by_pod ? open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
	fd = !by_pod ? open(ref, (int)how.flags)
	     : dfd < 0 ? -1 : (int)syscall(SYS_openat2, dfd, ref + strlen(dir), &how, sizeof(how));
	if (fd < 0) {
		refuse(a, "profile %s: %s%s", ref, strerror(errno),
		       errno == ELOOP || errno == EXDEV ? " (no link is followed in a profile an annotation names)" : "");
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	close(dfd);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & 022)) {
		close(fd);
		return refuse(a, "profile %s: not a regular file that belongs to root%s and is writable by no one else: whoever can write it decides the container's filter",
			      ref, geteuid() ? " or you" : "");
	}
	return fd;
}

/* What ref names, as the pipeline takes it: a file, the annotation's or
 * the policy's default, only when root (or we) alone may write it. */
static int read_source(struct admit *a, const char *ref, struct shim_source *src)
{
	const char *named = annotation(a, SHIM_ANNOTATION_PROFILE);
	enum shim_ref_kind kind;
	int fd;

	if (shim_builtin_profile(ref))
		return shim_source_read(ref, NULL, src, &kind, a->err);
	if ((fd = open_named_file(a, ref, named && strcmp(named, ref) == 0)) < 0)
		return -1;
	memset(src, 0, sizeof(*src));
	src->name = strdup(ref);
	if (!src->name || shim_read_profile_fd(fd, ref, &src->text, &src->len, a->err) < 0) {
		close(fd);
		shim_source_free(src);
		return -1;
	}
	close(fd);
	return 0;
}

/* The engine's own linux.seccomp, as a source. */
static int inline_source(struct admit *a, json_t *seccomp, struct shim_source *src)
{
	struct shim_text t = { 0 };
	char name[600];

	memset(src, 0, sizeof(*src));
	snprintf(name, sizeof(name), "linux.seccomp of %s", a->rq->config_name);
	if (shim_json_dump_wide(json_incref(seccomp), &t, a->err) < 0 || !(src->name = strdup(name))) {
		shim_text_free(&t);
		shim_error_set(a->err, ENOMEM, "out of memory");
		return -1;
	}
	src->text = t.s;
	src->len = t.len;
	return 0;
}

enum choice { KEEP_ENGINE = 1, UNCONFINED, NAMED };

/* Which profile the container gets: the annotation's, the engine's, or
 * the policy's default. *ref is set for NAMED. */
static int choose(struct admit *a, json_t *seccomp, enum choice *c, const char **ref)
{
	const struct shim_node_policy *p = a->rq->policy;
	const char *named = annotation(a, SHIM_ANNOTATION_PROFILE);

	if (named && strcmp(named, "unconfined") == 0) {
		if (!p->allow_unconfined)
			return refuse(a, "policy forbids Unconfined (allowUnconfined is false in %s): annotation %s is unconfined",
				      policy_name(a), SHIM_ANNOTATION_PROFILE);
		*c = UNCONFINED;
		return 0;
	}
	if (named) {
		if (!shim_node_policy_allows(p, named))
			return refuse(a, "policy does not allow profile %s (allowedProfiles in %s%s): annotation %s",
				      named, policy_name(a), p->has_allowed ? "" : ", which lists none: built-in profiles only",
				      SHIM_ANNOTATION_PROFILE);
		*c = NAMED;
		*ref = named;
		return 0;
	}
	if (seccomp && !p->replace_engine_profiles) {
		if (p->has_allowed)
			return refuse(a, "policy allows only the profiles it names (allowedProfiles in %s): linux.seccomp is the engine's own profile; name one with annotation %s, or set engineProfiles to replace",
				      policy_name(a), SHIM_ANNOTATION_PROFILE);
		*c = KEEP_ENGINE;
		return 0;
	}
	if (strcmp(p->default_profile, "refuse") == 0)
		return refuse(a, "policy forbids Unconfined: linux.seccomp is %s and defaultProfile is refuse (%s)",
			      seccomp ? "replaced (engineProfiles is replace)" : "absent", policy_name(a));
	if (strcmp(p->default_profile, "unconfined") == 0) {
		*c = UNCONFINED;
		return 0;
	}
	*c = NAMED;
	*ref = p->default_profile;
	return 0;
}

/* The pipeline, for this container: its bounding set, this machine. */
static int compile(struct admit *a, const struct shim_source *src, struct shim_compiled *c)
{
	struct shim_compile_options copt = { 0 };
	struct shim_pipeline_options po = { .compile = &copt, .want_profile = true };
	struct shim_host host = *a->rq->host;
	struct shim_warnings warn = { 0 };
	enum shim_action_kind def;
	int r;

	host.bounding = a->bounding;
	r = shim_pipeline_source(src, &host, &po, c, &warn, a->err);
	shim_warnings_free(&warn);
	if (r < 0)
		return -1;
	def = c->pol.default_action.kind;
	if (a->rq->policy->refuse_allow_by_default && (def == SHIM_ACT_ALLOW || def == SHIM_ACT_LOG))
		return refuse(a, "policy refuses allow-by-default profiles (refuseAllowByDefault in %s): %s has defaultAction %s",
			      policy_name(a), src->name, shim_action_name(def));
	return 0;
}

/* Whether to inject reporting: the policy, then the annotation. */
static int want_report(struct admit *a, bool *yes)
{
	enum shim_report_mode mode = a->rq->policy->report;
	const char *v = annotation(a, SHIM_ANNOTATION_REPORT), *kind;

	*yes = mode != SHIM_REPORT_OFF;
	if (v && strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
		return refuse(a, "annotation %s is %s: expected true or false", SHIM_ANNOTATION_REPORT, v);
	if (v && strcmp(v, "false") == 0 && mode == SHIM_REPORT_ALWAYS)
		return refuse(a, "policy reports every denial (report is always in %s): annotation %s is false",
			      policy_name(a), SHIM_ANNOTATION_REPORT);
	if (v)
		*yes = strcmp(v, "true") == 0;
	kind = annotation(a, "io.kubernetes.cri.container-type");
	if (!kind)
		kind = annotation(a, "io.kubernetes.cri-o.ContainerType");
	if (*yes && kind && strcmp(kind, "sandbox") == 0)
		*yes = false; /* the pod's pause process: nothing to report */
	if (*yes && (a->bounding & (1ULL << CAP_SYS_PTRACE))) {
		if (mode == SHIM_REPORT_ALWAYS)
			return refuse(a, "policy reports every denial (report is always in %s), but the container holds CAP_SYS_PTRACE (process.capabilities.bounding), with which it could take over the reporting supervisor",
				      policy_name(a));
		shim_warn(&a->out->notes, "denials are not reported: the container holds CAP_SYS_PTRACE, with which it could take over the reporting supervisor; the runtime applies the profile itself");
		*yes = false;
	}
	if (*yes && a->rq->check_only) {
		if (mode == SHIM_REPORT_ALWAYS)
			return refuse(a, "policy reports every denial (report is always in %s), which only the runtime wrapper or the precreate hook can set up: this hook only checks",
				      policy_name(a));
		shim_warn(&a->out->notes, "denials are not reported: this hook only checks (use the runtime wrapper or the precreate hook)");
		*yes = false;
	}
	if (*yes && a->rq->exec_unprefixed) {
		if (mode == SHIM_REPORT_ALWAYS)
			return refuse(a, "policy reports every denial (report is always in %s), which only the runtime wrapper can set up: after the precreate hook, an exec into the container would start with no filter",
				      policy_name(a));
		shim_warn(&a->out->notes, "denials are not reported: after the precreate hook, an exec into the container would start with no filter (use the runtime wrapper)");
		*yes = false;
	}
	return 0;
}

/* The runtime makes SHIM_INJECT_DIR in the root filesystem and mounts over
 * what it finds there; a link there would send the mount elsewhere. runc
 * and crun resolve it inside the root, but nothing here relies on that. */
static int check_mount_point(struct admit *a)
{
	const char *root = json_string_value(json_object_get(json_object_get(a->rq->config, "root"), "path"));
	char path[PATH_MAX];
	struct stat st;

	if (!root)
		return 0;
	if (root[0] != '/' && !a->rq->bundle)
		return 0; /* the precreate hook: the runtime's own resolution holds */
	snprintf(path, sizeof(path), "%s%s%s%s", root[0] == '/' ? "" : a->rq->bundle,
		 root[0] == '/' ? "" : "/", root, SHIM_INJECT_DIR);
	if (lstat(path, &st) == 0 && !S_ISDIR(st.st_mode))
		return refuse(a, "%s is a symbolic link or not a directory: the runtime would mount the shim wherever it leads; remove it from the image",
			      path);
	return 0;
}

/* The static shim to bind-mount: a program with no interpreter, written
 * by root (or us) alone, since it runs first in every container. */
static int check_shim(struct admit *a)
{
	const char *path = a->rq->shim_path;
	char *data = NULL;
	size_t len = 0;
	struct stat st;

	if (!path)
		return refuse(a, "cannot report denials: no static shim (seccomp-shim-static beside seccomp-shim, or \"shim\" in %s)",
			      policy_name(a));
	if (stat(path, &st) == 0 && ((st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & 022)))
		return refuse(a, "%s belongs to uid %u with mode %03o: the shim every container runs first must belong to root%s and be writable by no one else",
			      path, (unsigned)st.st_uid, (unsigned)(st.st_mode & 0777), geteuid() ? " or you" : "");
	if (shim_static_shim_read(path, &data, &len, a->err) < 0)
		return -1;
	free(data);
	return 0;
}

/* What the shim in the container is given: a built-in profile by name
 * (the static shim has it), any other as the resolved profile's text. */
static json_t *report_prefix(struct admit *a, const struct shim_source *src, struct shim_compiled *c)
{
	struct shim_text t = { 0 };
	json_t *prefix;

	if (src->builtin)
		return json_pack("[s, s, s, s, s]", SHIM_INJECT_DIR "/seccomp-shim", "--report", "--profile",
				 src->name, "--");
	if (shim_export_oci(&c->pol, &t, a->err) < 0)
		return NULL;
	if (t.len >= ARG_MAX_ONE) {
		refuse(a, "cannot report denials: %s resolves to %zu bytes, more than one argument may hold (%u)",
		       src->name, t.len, ARG_MAX_ONE - 1);
		shim_text_free(&t);
		return NULL;
	}
	prefix = json_pack("[s, s, s, s, s]", SHIM_INJECT_DIR "/seccomp-shim", "--report", "--profile-json",
			   t.s, "--");
	shim_text_free(&t);
	return prefix;
}

static json_t *object_member(json_t *parent, const char *key)
{
	json_t *v = json_object_get(parent, key);

	if (!json_is_object(v)) {
		v = json_object();
		json_object_set_new(parent, key, v);
	}
	return v;
}

static int inject(struct admit *a, const struct shim_source *src, struct shim_compiled *c)
{
	json_t *args = json_object_get(a->process, "args"), *prefix, *mounts;
	char *text;

	if (!json_is_array(args) || json_array_size(args) == 0)
		return refuse(a, "%s: process.args is missing or empty: nothing to report on", a->rq->config_name);
	if (check_shim(a) < 0 || check_mount_point(a) < 0 || !(prefix = report_prefix(a, src, c)))
		return -1;
	text = json_dumps(prefix, JSON_COMPACT);
	json_array_extend(prefix, args);
	json_object_set_new(a->process, "args", prefix);
	mounts = json_object_get(a->rq->config, "mounts");
	if (!json_is_array(mounts)) {
		mounts = json_array();
		json_object_set_new(a->rq->config, "mounts", mounts);
	}
	json_array_append_new(mounts, json_pack("{s:s, s:s, s:s, s:[s, s, s, s]}", "destination",
						SHIM_INJECT_DIR "/seccomp-shim", "type", "bind", "source",
						a->rq->shim_path, "options", "bind", "ro", "nosuid", "nodev"));
	json_object_del(object_member(a->rq->config, "linux"), "seccomp");
	json_object_set_new(object_member(a->rq->config, "annotations"), SHIM_ANNOTATION_INJECTED,
			    json_string(text ? text : "[]"));
	free(text);
	a->out->reporting = true;
	return 0;
}

/* linux.seccomp := the profile resolved for this container, with what
 * runc's init calls after loading it allowed (lib/export.c). */
static int set_seccomp(struct admit *a, struct shim_compiled *c)
{
	struct shim_text t = { 0 }, added = { 0 };
	json_error_t jerr;
	json_t *v = NULL;

	if (shim_export_oci_for_runtime(&c->pol, &c->filter, a->rq->host->arch->token, &t, &added, a->err) == 0)
		v = shim_json_load_wide(t.s, t.len, 0, &jerr);
	shim_text_free(&t);
	shim_text_free(&added);
	if (!v)
		return -1;
	json_object_set_new(object_member(a->rq->config, "linux"), "seccomp", v);
	return 0;
}

static void say_applied(struct admit *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say_applied(struct admit *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->out->applied, sizeof(a->out->applied), fmt, ap);
	va_end(ap);
}

/* The profile chosen, compiled, and put where it applies. */
static int apply(struct admit *a, json_t *seccomp, enum choice choice, const char *ref)
{
	struct shim_compiled c = { 0 };
	struct shim_source src = { 0 };
	bool report = false;
	int rc = -1;

	if ((choice == KEEP_ENGINE ? inline_source(a, seccomp, &src) : read_source(a, ref, &src)) < 0)
		return -1;
	if (compile(a, &src, &c) < 0 || want_report(a, &report) < 0)
		goto out;
	if (report) {
		rc = inject(a, &src, &c);
		a->out->changed = true;
	} else if (choice == NAMED) {
		rc = set_seccomp(a, &c);
		a->out->changed = true;
	} else {
		rc = 0;
	}
	say_applied(a, "%s%s%s", choice == KEEP_ENGINE ? "the engine's profile" : src.name,
		    choice == NAMED && annotation(a, SHIM_ANNOTATION_PROFILE) ? " (annotation)"
		    : choice == NAMED ? (seccomp ? " (default; the engine's profile replaced)" : " (default; linux.seccomp was absent)")
		    : "", report ? ", denials reported" : "");
out:
	shim_compiled_free(&c);
	shim_source_free(&src);
	return rc;
}

int shim_admit(const struct shim_admission_request *rq, struct shim_admission *out,
	       struct shim_error *err)
{
	struct admit a = { .rq = rq, .out = out, .err = err };
	json_t *seccomp;
	enum choice choice = 0;
	const char *ref = NULL;

	memset(out, 0, sizeof(*out));
	a.process = json_object_get(rq->config, "process");
	a.annotations = json_object_get(rq->config, "annotations");
	seccomp = json_object_get(json_object_get(rq->config, "linux"), "seccomp");
	if (annotation(&a, SHIM_ANNOTATION_INJECTED))
		return refuse(&a, "%s: annotation %s is set by seccomp-shim itself when it injects reporting: this config went through seccomp-shim already (the precreate hook and the runtime wrapper both configured? use one), or someone set it by hand",
			      rq->config_name, SHIM_ANNOTATION_INJECTED);
	if (!json_is_object(a.process))
		return refuse(&a, "%s: process is missing: not a container's config", rq->config_name);
	if (check_caps(&a) < 0 || check_nnp(&a) < 0 || choose(&a, seccomp, &choice, &ref) < 0)
		return -1;
	if (choice == UNCONFINED) {
		out->changed = seccomp != NULL;
		json_object_del(object_member(rq->config, "linux"), "seccomp");
		say_applied(&a, "unconfined (%s)", annotation(&a, SHIM_ANNOTATION_PROFILE) ? "annotation" : "default");
	} else if (apply(&a, seccomp, choice, ref) < 0) {
		return -1;
	}
	if (out->changed)
		json_object_set_new(object_member(rq->config, "annotations"), SHIM_ANNOTATION_APPLIED,
				    json_string(out->applied));
	return 0;
}

void shim_admission_free(struct shim_admission *out)
{
	shim_warnings_free(&out->notes);
}
