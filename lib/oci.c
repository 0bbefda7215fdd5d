/* oci: bundle helpers. Reads and rewrites an OCI bundle's config.json.
 *
 * MUST: config.json is replaced atomically (a temporary file in the same
 * directory, fsync, rename) after the previous one is kept as
 * config.json.orig; everything not touched stays as it was (jansson keeps
 * key order); wrap is idempotent and unwrap restores what wrap changed.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define WRAP_ANNOTATION "org.seccomp-shim.wrapped-args"
#define WRAP_DIR "/.seccomp-shim"
#define WRAP_PROFILE_FILE "seccomp-shim-profile.json"

static json_t *load_config(const char *bundle, char *path, size_t len, struct shim_error *err)
{
	json_error_t jerr;
	json_t *root;

	if ((size_t)snprintf(path, len, "%s/config.json", bundle) >= len) {
		shim_error_set(err, ENAMETOOLONG, "%s: path too long", bundle);
		return NULL;
	}
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		shim_error_set(err, EINVAL, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		shim_error_set(err, EINVAL, "%s: not an OCI runtime config (expected a JSON object)", path);
		json_decref(root);
		return NULL;
	}
	return root;
}

static int copy_file(const char *from, const char *to, struct shim_error *err)
{
	char buf[65536];
	ssize_t n;
	int in = open(from, O_RDONLY | O_CLOEXEC), out = -1, rc = -1;

	if (in < 0 || (out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
		goto done;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			goto done;
	if (n == 0 && fsync(out) == 0)
		rc = 0;
done:
	if (rc < 0)
		shim_error_set(err, errno, "cannot copy %s to %s: %s", from, to, strerror(errno));
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) < 0 && rc == 0) {
		shim_error_set(err, errno, "cannot write %s: %s", to, strerror(errno));
		rc = -1;
	}
	return rc;
}

/* Keeps config.json as config.json.orig, then replaces it atomically. */
static int save_config(const char *path, json_t *root, struct shim_error *err)
{
	char tmp[PATH_MAX + 16], backup[PATH_MAX + 16];
	struct stat st;
	int fd;

	snprintf(backup, sizeof(backup), "%s.orig", path);
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	if (copy_file(path, backup, err) < 0)
		return -1;
	fd = mkstemp(tmp);
	if (fd < 0) {
		shim_error_set(err, errno, "cannot create a file next to %s: %s", path, strerror(errno));
		return -1;
	}
	if (stat(path, &st) == 0)
		fchmod(fd, st.st_mode & 07777);
	if (json_dumpfd(root, fd, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0 ||
	    write(fd, "\n", 1) != 1 || fsync(fd) < 0) {
		shim_error_set(err, errno, "cannot write %s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		shim_error_set(err, errno, "cannot replace %s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int shim_oci_bundle_caps(const char *bundle, uint64_t *caps, struct shim_error *err)
{
	char path[PATH_MAX];
	json_t *root = load_config(bundle, path, sizeof(path), err), *bounding, *v;
	size_t i;

	if (!root)
		return -1;
	*caps = 0;
	bounding = json_object_get(json_object_get(json_object_get(root, "process"), "capabilities"),
				   "bounding");
	json_array_foreach(bounding, i, v) {
		int cap = json_is_string(v) ? shim_cap_from_name(json_string_value(v)) : -1;
		if (cap < 0) {
			shim_error_set(err, EINVAL, "%s: process.capabilities.bounding[%zu]: unknown capability %s",
				       path, i, json_is_string(v) ? json_string_value(v) : "(not a string)");
			json_decref(root);
			return -1;
		}
		*caps |= 1ULL << cap;
	}
	json_decref(root);
	return 0;
}

int shim_oci_set_seccomp(const char *bundle, const char *seccomp_json, struct shim_error *err)
{
	char path[PATH_MAX];
	json_t *root = load_config(bundle, path, sizeof(path), err), *linux_obj, *seccomp;
	json_error_t jerr;
	int rc;

	if (!root)
		return -1;
	seccomp = json_loads(seccomp_json, 0, &jerr);
	if (!seccomp) {
		shim_error_set(err, EINVAL, "internal: the OCI object is not JSON: %s", jerr.text);
		json_decref(root);
		return -1;
	}
	linux_obj = json_object_get(root, "linux");
	if (!json_is_object(linux_obj)) {
		linux_obj = json_object();
		json_object_set_new(root, "linux", linux_obj);
	}
	json_object_set_new(linux_obj, "seccomp", seccomp);
	rc = save_config(path, root, err);
	json_decref(root);
	return rc;
}

/* Whether the file at path is an ELF program with no interpreter, which
 * runs in an image that has nothing else. */
static int is_static_elf(const char *path, struct shim_error *err)
{
	Elf64_Ehdr eh;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc = -1;

	if (fd < 0) {
		shim_error_set(err, errno, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (read(fd, &eh, sizeof(eh)) != (ssize_t)sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64) {
		shim_error_set(err, ENOEXEC, "%s: not a 64-bit ELF program", path);
		goto out;
	}
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + (uint64_t)i * eh.e_phentsize)) !=
		    (ssize_t)sizeof(ph)) {
			shim_error_set(err, ENOEXEC, "%s: cannot read its program headers", path);
			goto out;
		}
		if (ph.p_type == PT_INTERP) {
			shim_error_set(err, ENOEXEC, "%s is dynamically linked, so it cannot run inside an image that lacks its libraries: build one with make static and give it with --shim",
				       path);
			goto out;
		}
	}
	rc = 0;
out:
	close(fd);
	return rc;
}

static json_t *bind_mount(const char *dest, const char *source)
{
	return json_pack("{s:s, s:s, s:s, s:[s, s, s, s]}", "destination", dest, "type", "bind",
			 "source", source, "options", "bind", "ro", "nosuid", "nodev");
}

int shim_oci_wrap(const char *bundle, const char *shim_path, const char *profile_text,
		  size_t profile_len, bool *already, struct shim_error *err)
{
	char path[PATH_MAX], prof[PATH_MAX + 32], shim_abs[PATH_MAX], bundle_abs[PATH_MAX];
	json_t *root = load_config(bundle, path, sizeof(path), err), *process, *args, *wrapped,
	       *mounts, *annotations, *orig;
	char *orig_text;
	int rc = -1, fd;

	*already = false;
	if (!root)
		return -1;
	annotations = json_object_get(root, "annotations");
	if (json_is_string(json_object_get(annotations, WRAP_ANNOTATION))) {
		*already = true;
		json_decref(root);
		return 0;
	}
	process = json_object_get(root, "process");
	args = json_object_get(process, "args");
	if (!json_is_array(args) || json_array_size(args) == 0) {
		shim_error_set(err, EINVAL, "%s: process.args is missing or empty: nothing to wrap", path);
		goto out;
	}
	if (!realpath(shim_path, shim_abs) || !realpath(bundle, bundle_abs)) {
		shim_error_set(err, errno, "%s: %s", shim_path, strerror(errno));
		goto out;
	}
	if (is_static_elf(shim_abs, err) < 0)
		goto out;
	snprintf(prof, sizeof(prof), "%s/%s", bundle_abs, WRAP_PROFILE_FILE);
	fd = open(prof, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, profile_text, profile_len) != (ssize_t)profile_len || close(fd) < 0) {
		shim_error_set(err, errno, "cannot write %s: %s", prof, strerror(errno));
		goto out;
	}
	orig = json_deep_copy(args);
	orig_text = json_dumps(orig, JSON_COMPACT);
	json_decref(orig);
	wrapped = json_pack("[s, s, s, s]", WRAP_DIR "/seccomp-shim", "--profile",
			    WRAP_DIR "/profile.json", "--");
	json_array_extend(wrapped, args);
	json_object_set_new(process, "args", wrapped);
	mounts = json_object_get(root, "mounts");
	if (!json_is_array(mounts)) {
		mounts = json_array();
		json_object_set_new(root, "mounts", mounts);
	}
	json_array_append_new(mounts, bind_mount(WRAP_DIR "/seccomp-shim", shim_abs));
	json_array_append_new(mounts, bind_mount(WRAP_DIR "/profile.json", prof));
	if (!json_is_object(annotations)) {
		annotations = json_object();
		json_object_set_new(root, "annotations", annotations);
	}
	json_object_set_new(annotations, WRAP_ANNOTATION, json_string(orig_text ? orig_text : "[]"));
	free(orig_text);
	rc = save_config(path, root, err);
out:
	json_decref(root);
	return rc;
}

int shim_oci_unwrap(const char *bundle, bool *was_wrapped, struct shim_error *err)
{
	char path[PATH_MAX], prof[PATH_MAX + 32];
	json_t *root = load_config(bundle, path, sizeof(path), err), *annotations, *mark, *args,
	       *mounts;
	json_error_t jerr;
	int rc = -1;

	*was_wrapped = false;
	if (!root)
		return -1;
	annotations = json_object_get(root, "annotations");
	mark = json_object_get(annotations, WRAP_ANNOTATION);
	if (!json_is_string(mark)) {
		json_decref(root);
		return 0;
	}
	*was_wrapped = true;
	args = json_loads(json_string_value(mark), 0, &jerr);
	if (!json_is_array(args)) {
		shim_error_set(err, EINVAL, "%s: annotation %s does not hold the original args", path,
			       WRAP_ANNOTATION);
		json_decref(args);
		goto out;
	}
	json_object_set_new(json_object_get(root, "process"), "args", args);
	mounts = json_object_get(root, "mounts");
	for (size_t i = json_array_size(mounts); i-- > 0;) {
		const char *dest = json_string_value(json_object_get(json_array_get(mounts, i), "destination"));
		if (dest && strncmp(dest, WRAP_DIR "/", strlen(WRAP_DIR) + 1) == 0)
			json_array_remove(mounts, i);
	}
	json_object_del(annotations, WRAP_ANNOTATION);
	if (json_object_size(annotations) == 0)
		json_object_del(root, "annotations");
	rc = save_config(path, root, err);
	snprintf(prof, sizeof(prof), "%s/%s", bundle, WRAP_PROFILE_FILE);
	if (rc == 0)
		unlink(prof);
out:
	json_decref(root);
	return rc;
}
