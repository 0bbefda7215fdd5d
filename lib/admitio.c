/* admitio: what the runtime wrapper and the hooks hand to the admission
 * (lib/admission.c), and what they take back from the runtime.
 *
 *   a bundle's config.json (create, run, restore; the check hook),
 *   a config on stdin (the precreate hook), a container's state (its
 *   bundle, its reporting prefix), an exec's process file.
 *
 * MUST:
 * - A state that cannot be read never means "no reporting": an exec not
 *   prefixed in a reporting container would run with no filter at all.
 * - An exec adds no capability beyond maxCapabilities, and none that would
 *   reach a reporting supervisor (CAP_SYS_PTRACE).
 * - config.json is read and written under lib/bundle.c's rules, and only
 *   when root (or the caller) alone may write it: the runtime reads it
 *   again after us.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

int shim_admit_bundle(const struct shim_admission_request *rq, struct shim_admission *out,
		      struct shim_error *err)
{
	struct shim_admission_request mine = *rq;
	struct shim_bundle b;
	char name[PATH_MAX + 16], dir[2 * PATH_MAX + 2], cwd[PATH_MAX];
	int r;

	/* Messages name it as an operator finds it (runc is often run in
	 * the bundle itself): relative to the current directory, made
	 * absolute by name only, so that a link is still refused. */
	memset(out, 0, sizeof(*out));
	if (rq->bundle[0] != '/' && getcwd(cwd, sizeof(cwd)))
		snprintf(dir, sizeof(dir), "%s/%s", cwd, strcmp(rq->bundle, ".") == 0 ? "" : rq->bundle);
	else
		snprintf(dir, sizeof(dir), "%s", rq->bundle);
	if (shim_bundle_open(&b, dir, !rq->check_only, err) < 0)
		return -1;
	snprintf(name, sizeof(name), "%s/" SHIM_BUNDLE_CONFIG, b.path);
	/* The runtime reads config.json again after us: whoever else can
	 * write it then decides what runs (and an edit keeps its mode). The
	 * createRuntime hook comes after that read. */
	if (!rq->check_only && ((b.uid != 0 && b.uid != geteuid()) || (b.mode & 022))) {
		shim_error_set(err, EPERM, "%s belongs to uid %u with mode %03o: it must belong to root%s and be writable by no one else (chown, chmod go-w), since the runtime reads it again after the policy is applied",
			       name, b.uid, b.mode, geteuid() ? " or you" : "");
		shim_bundle_close(&b);
		return -1;
	}
	mine.config_name = name;
	mine.bundle = b.path;
	mine.config = b.root;
	r = shim_admit(&mine, out, err);
	if (r == 0 && out->changed && rq->check_only) {
		shim_error_set(err, EPERM, "%s: the policy would change this container (%s), and this hook only checks: use the runtime wrapper (seccomp-shim-runc) or the precreate hook",
			       name, out->applied);
		r = -1;
	} else if (r == 0 && out->changed) {
		r = shim_bundle_write_config(&b, err);
	}
	shim_bundle_close(&b);
	return r;
}

int shim_admit_text(const struct shim_admission_request *rq, const char *text, size_t len,
		    struct shim_text *result, struct shim_admission *out, struct shim_error *err)
{
	struct shim_admission_request mine = *rq;
	json_error_t jerr;
	json_t *config = shim_json_load_wide(text, len, JSON_REJECT_DUPLICATES, &jerr);
	int r;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(config)) {
		shim_error_set(err, EINVAL, "%s:%d:%d: %s", rq->config_name, jerr.line, jerr.column,
			       config ? "not an OCI runtime config (expected a JSON object)" : jerr.text);
		json_decref(config);
		return -1;
	}
	mine.config = config;
	r = shim_admit(&mine, out, err);
	if (r == 0)
		return shim_json_dump_wide(config, result, err);
	json_decref(config);
	return r;
}

int shim_state_bundle(const char *text, size_t len, char **bundle, struct shim_error *err)
{
	json_t *state = json_loadb(text, len, 0, NULL);
	const char *b = json_string_value(json_object_get(state, "bundle"));

	*bundle = b ? strdup(b) : NULL;
	json_decref(state);
	if (*bundle)
		return 0;
	shim_error_set(err, EINVAL, "the container's state (stdin) has no \"bundle\": is this an OCI hook?");
	return -1;
}

int shim_state_report_prefix(const char *text, size_t len, struct shim_argv *out,
			     struct shim_error *err)
{
	json_t *state = json_loadb(text, len, 0, NULL), *prefix = NULL, *v;
	const char *s = json_string_value(json_object_get(json_object_get(state, "annotations"),
							 SHIM_ANNOTATION_INJECTED));
	size_t i;
	int r = 0;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(state)) {
		/* Whether the container reports is unknown: never "it does not". */
		shim_error_set(err, EINVAL, "the container's state is not a JSON object: whether it reports its denials is unknown");
		json_decref(state);
		return -1;
	}
	if (s)
		prefix = json_loads(s, 0, NULL);
	if (s && (!json_is_array(prefix) || json_array_size(prefix) == 0)) {
		shim_error_set(err, EINVAL, "annotation %s is not a list of arguments", SHIM_ANNOTATION_INJECTED);
		r = -1;
	}
	out->v = prefix && r == 0 ? calloc(json_array_size(prefix) + 1, sizeof(char *)) : NULL;
	json_array_foreach(out->v ? prefix : NULL, i, v) {
		if (!json_is_string(v) || !(out->v[out->n++] = strdup(json_string_value(v)))) {
			shim_error_set(err, EINVAL, "annotation %s is not a list of strings", SHIM_ANNOTATION_INJECTED);
			r = -1;
			break;
		}
	}
	if (r == 0 && prefix && !out->v) {
		shim_error_set(err, ENOMEM, "out of memory");
		r = -1;
	}
	json_decref(prefix);
	json_decref(state);
	if (r < 0)
		shim_argv_free(out);
	return r < 0 ? -1 : out->n > 0;
}

void shim_argv_free(struct shim_argv *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

int shim_exec_admit(const struct shim_node_policy *pol, const char *process_file,
		    char *const *added_caps, size_t n_added, struct shim_error *err)
{
	static const char *const sets[] = { "bounding", "effective", "permitted", "inheritable", "ambient" };
	const char *policy = pol->file ? pol->file : "the built-in policy";
	json_t *proc = NULL, *v;
	char buf[SHIM_CAP_NAME_MAX];
	size_t i;
	int cap, r = 0;

	if (!pol->has_max_caps)
		return 0;
	for (i = 0; i < n_added; i++) {
		cap = shim_cap_from_name(added_caps[i]);
		if (cap < 0 || !(pol->max_caps & (1ULL << cap))) {
			shim_error_set(err, EPERM, "policy allows no %s (maxCapabilities in %s): exec --cap %s",
				       cap < 0 ? added_caps[i] : shim_cap_name(cap, buf), policy, added_caps[i]);
			return -1;
		}
	}
	if (process_file && !(proc = json_load_file(process_file, 0, NULL)))
		return 0; /* the runtime says what is wrong with it */
	for (size_t s = 0; s < ARRAY_SIZE(sets) && r == 0; s++) {
		json_array_foreach(json_object_get(json_object_get(proc, "capabilities"), sets[s]), i, v) {
			cap = json_is_string(v) ? shim_cap_from_name(json_string_value(v)) : -1;
			if (cap < 0 || !(pol->max_caps & (1ULL << cap))) {
				shim_error_set(err, EPERM, "policy allows no %s (maxCapabilities in %s): %s: process.capabilities.%s[%zu]",
					       json_is_string(v) ? json_string_value(v) : "(not a string)", policy,
					       process_file, sets[s], i);
				r = -1;
				break;
			}
		}
	}
	json_decref(proc);
	return r;
}

/* An exec'd process under the reporting shim must not hold what would
 * let it take over its supervisor (see want_report). */
static int check_exec_caps(const char *path, json_t *proc, struct shim_error *err)
{
	static const char *const sets[] = { "bounding", "effective", "permitted", "inheritable", "ambient" };
	json_t *caps = json_object_get(proc, "capabilities"), *v;
	size_t i;

	for (size_t s = 0; s < ARRAY_SIZE(sets); s++) {
		json_array_foreach(json_object_get(caps, sets[s]), i, v) {
			if (json_is_string(v) && strcasecmp(json_string_value(v), "CAP_SYS_PTRACE") == 0) {
				shim_error_set(err, EPERM, "%s: process.capabilities.%s[%zu] is CAP_SYS_PTRACE: the container reports its denials, and with CAP_SYS_PTRACE the process could take over the reporting supervisor",
					       path, sets[s], i);
				return -1;
			}
		}
	}
	return 0;
}

int shim_process_prefixed(const char *path, const struct shim_argv *prefix, struct shim_text *out,
			  struct shim_error *err)
{
	json_error_t jerr = { .text = "" };
	json_t *proc = NULL, *args, *joined;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	char *text = NULL;
	size_t len = 0;

	/* Wide: an rlimit of RLIM_INFINITY is 18446744073709551615. */
	if (fd < 0 || shim_read_all(fd, 4096, SHIM_CONFIG_MAX, &text, &len) < 0)
		snprintf(jerr.text, sizeof(jerr.text), "%s", strerror(errno));
	else
		proc = shim_json_load_wide(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (fd >= 0)
		close(fd);
	free(text);
	args = json_object_get(proc, "args");
	if (!json_is_array(args) || json_array_size(args) == 0) {
		shim_error_set(err, EINVAL, "%s: %s", path, proc ? "process.args is missing or empty" : jerr.text);
		json_decref(proc);
		return -1;
	}
	if (check_exec_caps(path, proc, err) < 0) {
		json_decref(proc);
		return -1;
	}
	joined = json_array();
	for (size_t i = 0; i < prefix->n; i++)
		json_array_append_new(joined, json_string(prefix->v[i]));
	json_array_extend(joined, args);
	json_object_set_new(proc, "args", joined);
	return shim_json_dump_wide(proc, out, err);
}
