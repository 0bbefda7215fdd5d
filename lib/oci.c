/* oci: convert and wrap, on an OCI bundle's config.json (read and
 * written through lib/bundle.c, whose rules hold here too).
 *
 * MUST: a bundle may belong to someone else, and this runs as root.
 * - Nothing is written into the root filesystem: the runtime makes the
 *   mount points for wrap (runc resolves them inside the root); wrap refuses
 *   a root whose .seccomp-shim is anything but a plain directory. unwrap
 *   removes those mount points only where they are what a runtime makes
 *   (empty regular files in a plain directory, reached without following
 *   a link), and names in that directory only.
 * - wrap copies the static shim into the bundle (like every other file it
 *   writes), so the bundle runs whatever happens to the file it came from;
 *   the copy is checked as it was read, not the file afterwards.
 * config.json is replaced atomically after the previous one is kept as
 * config.json.orig; wrap is idempotent and unwrap restores what wrap
 * changed: byte for byte from config.json.orig when that is wrap's backup
 * (which then goes), else by undoing wrap's changes (and config.json.orig,
 * not wrap's, stays as it is).
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
#define WRAP_PROFILE_FILE "seccomp-shim-profile.json"
#define WRAP_SHIM_FILE "seccomp-shim-static"
/* Far above the static shim (about 1.1 MB). */
#define SHIM_MAX (64u << 20)
#define CONFIG_FILE SHIM_BUNDLE_CONFIG
#define BACKUP_FILE SHIM_BUNDLE_BACKUP

int shim_oci_bundle_caps(const char *bundle, uint64_t *caps, struct shim_error *err)
{
	struct shim_bundle b;
	json_t *bounding, *v;
	size_t i;

	if (shim_bundle_open(&b, bundle, false, err) < 0)
		return -1;
	*caps = 0;
	bounding = json_object_get(json_object_get(json_object_get(b.root, "process"), "capabilities"),
				   "bounding");
	json_array_foreach(bounding, i, v) {
		int cap = json_is_string(v) ? shim_cap_from_name(json_string_value(v)) : -1;
		if (cap < 0) {
			shim_error_set(err, EINVAL, "%s/" CONFIG_FILE ": process.capabilities.bounding[%zu]: unknown capability %s",
				       b.path, i, json_is_string(v) ? json_string_value(v) : "(not a string)");
			shim_bundle_close(&b);
			return -1;
		}
		*caps |= 1ULL << cap;
	}
	shim_bundle_close(&b);
	return 0;
}

int shim_oci_set_seccomp(const char *bundle, const char *seccomp_json, struct shim_error *err)
{
	struct shim_bundle b;
	json_t *linux_obj, *seccomp;
	json_error_t jerr;
	int rc;

	seccomp = shim_json_load_wide(seccomp_json, strlen(seccomp_json), 0, &jerr);
	if (!seccomp) {
		shim_error_set(err, EINVAL, "internal: the OCI object is not JSON: %s", jerr.text);
		return -1;
	}
	if (shim_bundle_open(&b, bundle, true, err) < 0) {
		json_decref(seccomp);
		return -1;
	}
	linux_obj = json_object_get(b.root, "linux");
	if (!json_is_object(linux_obj)) {
		linux_obj = json_object();
		json_object_set_new(b.root, "linux", linux_obj);
	}
	json_object_set_new(linux_obj, "seccomp", seccomp);
	rc = shim_bundle_save_config(&b, err);
	shim_bundle_close(&b);
	return rc;
}

/* Whether data (the file at path) is an ELF program with no interpreter,
 * which runs in an image that has nothing else. */
static int check_static_elf(const char *path, const char *data, size_t len, struct shim_error *err)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;

	if (len >= sizeof(eh))
		memcpy(&eh, data, sizeof(eh));
	if (len < sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64) {
		shim_error_set(err, ENOEXEC, "%s: not a 64-bit ELF program", path);
		return -1;
	}
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		uint64_t off = eh.e_phoff + (uint64_t)i * eh.e_phentsize;
		if (eh.e_phentsize < sizeof(ph) || off > len || len - off < sizeof(ph)) {
			shim_error_set(err, ENOEXEC, "%s: cannot read its program headers", path);
			return -1;
		}
		memcpy(&ph, data + off, sizeof(ph));
		if (ph.p_type == PT_INTERP) {
			shim_error_set(err, ENOEXEC, "%s is dynamically linked, so it cannot run inside an image that lacks its libraries: build one with make static and give it with --shim (or install it beside seccomp-shim as seccomp-shim-static, as make install does)",
				       path);
			return -1;
		}
	}
	return 0;
}

/* The static shim's bytes, checked as read: what goes into the bundle. */
int shim_static_shim_read(const char *path, char **data, size_t *len, struct shim_error *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC), r;

	if (fd < 0) {
		shim_error_set(err, errno, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > SHIM_MAX) {
		shim_error_set(err, EINVAL, "%s: not a program (a regular file of at most %u MiB)", path,
			       SHIM_MAX >> 20);
		close(fd);
		return -1;
	}
	r = shim_read_all(fd, (size_t)st.st_size, SHIM_MAX, data, len);
	if (r < 0)
		shim_error_set(err, errno, "%s: %s", path, strerror(errno));
	close(fd);
	if (r < 0)
		return -1;
	if (check_static_elf(path, *data, *len, err) < 0) {
		free(*data);
		*data = NULL;
		return -1;
	}
	return 0;
}

static json_t *bind_mount(const char *dest, const char *source)
{
	return json_pack("{s:s, s:s, s:s, s:[s, s, s, s]}", "destination", dest, "type", "bind",
			 "source", source, "options", "bind", "ro", "nosuid", "nodev");
}

/* The runtime makes SHIM_INJECT_DIR in the root filesystem and mounts over what
 * it finds there; a link there would send the mounts elsewhere. runc
 * resolves it inside the root, but nothing here relies on that. */
static int check_mount_point(const struct shim_bundle *b, struct shim_error *err)
{
	const char *root = json_string_value(json_object_get(json_object_get(b->root, "root"), "path"));
	struct stat st;
	int fd, r;

	if (!root)
		return 0;
	fd = openat(b->fd, root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0; /* the runtime says what is wrong with the root */
	r = fstatat(fd, &SHIM_INJECT_DIR[1], &st, AT_SYMLINK_NOFOLLOW);
	close(fd);
	if (r == 0 && !S_ISDIR(st.st_mode)) {
		shim_error_set(err, ENOTDIR, "%s%s%s" SHIM_INJECT_DIR " is a symbolic link or not a directory: the runtime would mount the shim and its profile wherever it leads; remove it",
			       root[0] == '/' ? "" : b->path, root[0] == '/' ? "" : "/", root);
		return -1;
	}
	return 0;
}

/* The absolute path of the bundle we hold open, for the mount source:
 * the same directory, or an error. */
static int bundle_abs_path(const struct shim_bundle *b, char *out, struct shim_error *err)
{
	struct stat held, named;

	if (!realpath(b->path, out) || stat(out, &named) < 0 || fstat(b->fd, &held) < 0) {
		shim_error_set(err, errno, "bundle %s: %s", b->path, strerror(errno));
		return -1;
	}
	if (held.st_dev != named.st_dev || held.st_ino != named.st_ino) {
		shim_error_set(err, EAGAIN, "bundle %s was moved or replaced while seccomp-shim worked on it", b->path);
		return -1;
	}
	return 0;
}

/* process.args prefixed with the shim, the two mounts, the annotation. */
static void wrap_config(json_t *root, json_t *process, json_t *args, const char *shim,
			const char *prof)
{
	json_t *wrapped, *mounts, *annotations, *orig;
	char *orig_text;

	orig = json_deep_copy(args);
	orig_text = json_dumps(orig, JSON_COMPACT);
	json_decref(orig);
	wrapped = json_pack("[s, s, s, s]", SHIM_INJECT_DIR "/seccomp-shim", "--profile",
			    SHIM_INJECT_DIR "/profile.json", "--");
	json_array_extend(wrapped, args);
	json_object_set_new(process, "args", wrapped);
	mounts = json_object_get(root, "mounts");
	if (!json_is_array(mounts)) {
		mounts = json_array();
		json_object_set_new(root, "mounts", mounts);
	}
	json_array_append_new(mounts, bind_mount(SHIM_INJECT_DIR "/seccomp-shim", shim));
	json_array_append_new(mounts, bind_mount(SHIM_INJECT_DIR "/profile.json", prof));
	annotations = json_object_get(root, "annotations");
	if (!json_is_object(annotations)) {
		annotations = json_object();
		json_object_set_new(root, "annotations", annotations);
	}
	json_object_set_new(annotations, WRAP_ANNOTATION, json_string(orig_text ? orig_text : "[]"));
	free(orig_text);
}

int shim_oci_wrap(const char *bundle, const char *shim_path, const char *profile_text,
		  size_t profile_len, bool *already, struct shim_error *err)
{
	char prof[PATH_MAX + 32], shim_copy[PATH_MAX + 32], bundle_abs[PATH_MAX], shim_abs[PATH_MAX];
	char *shim_data = NULL;
	size_t shim_len = 0;
	struct shim_bundle b;
	json_t *process, *args;
	int rc = -1;

	*already = false;
	if (shim_bundle_open(&b, bundle, true, err) < 0)
		return -1;
	if (json_is_string(json_object_get(json_object_get(b.root, "annotations"), WRAP_ANNOTATION))) {
		*already = true;
		shim_bundle_close(&b);
		return 0;
	}
	process = json_object_get(b.root, "process");
	args = json_object_get(process, "args");
	if (!json_is_array(args) || json_array_size(args) == 0) {
		shim_error_set(err, EINVAL, "%s/" CONFIG_FILE ": process.args is missing or empty: nothing to wrap", b.path);
		goto out;
	}
	if (!realpath(shim_path, shim_abs)) {
		shim_error_set(err, errno, "%s: %s", shim_path, strerror(errno));
		goto out;
	}
	if (shim_static_shim_read(shim_abs, &shim_data, &shim_len, err) < 0 || check_mount_point(&b, err) < 0 ||
	    bundle_abs_path(&b, bundle_abs, err) < 0)
		goto out;
	snprintf(prof, sizeof(prof), "%s/%s", bundle_abs, WRAP_PROFILE_FILE);
	snprintf(shim_copy, sizeof(shim_copy), "%s/%s", bundle_abs, WRAP_SHIM_FILE);
	if (shim_bundle_write_file(&b, WRAP_SHIM_FILE, shim_data, shim_len, 0755, err) < 0 ||
	    shim_bundle_write_file(&b, WRAP_PROFILE_FILE, profile_text, profile_len, 0644, err) < 0)
		goto out;
	wrap_config(b.root, process, args, shim_copy, prof);
	rc = shim_bundle_save_config(&b, err);
out:
	free(shim_data);
	shim_bundle_close(&b);
	return rc;
}

/* config.json.orig as wrap left it: a regular file (never a link), read
 * through the bundle fd. 1 and its bytes; 0 if there is none such. */
static int read_backup(const struct shim_bundle *b, char **text, size_t *len)
{
	struct stat st;
	int fd = openat(b->fd, BACKUP_FILE, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	int r = 0;

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    shim_read_all(fd, st.st_size > 0 && st.st_size < SHIM_CONFIG_MAX ? (size_t)st.st_size : 4096, SHIM_CONFIG_MAX,
		     text, len) == 0)
		r = 1;
	close(fd);
	return r;
}

/* Whether backup (JSON text) is the configuration wrap was given, which
 * unwrapping gave back as root: the same JSON value, where a "mounts" or
 * "annotations" wrap had to add may be left empty in root. */
static bool is_wrap_backup(const char *backup, size_t len, json_t *root)
{
	json_t *orig = shim_json_load_wide(backup, len, JSON_REJECT_DUPLICATES, NULL), *copy;
	bool same = false;

	if (!json_is_object(orig))
		goto out;
	same = json_equal(orig, root);
	if (!same && !json_object_get(orig, "mounts") &&
	    json_array_size(json_object_get(root, "mounts")) == 0 && (copy = json_deep_copy(root))) {
		json_object_del(copy, "mounts");
		same = json_equal(orig, copy);
		json_decref(copy);
	}
out:
	json_decref(orig);
	return same;
}

/* Removes the mount points a runtime made for a wrapped bundle in its
 * root filesystem: empty regular files in the plain directory
 * .seccomp-shim, then the directory if that leaves it empty. false when
 * something stays (a container still runs with them mounted, or files
 * that are not ours are there). */
static bool remove_mount_points(const struct shim_bundle *b)
{
	static const char *const names[] = { "seccomp-shim", "profile.json" };
	const char *root = json_string_value(json_object_get(json_object_get(b->root, "root"), "path"));
	struct stat st;
	int rfd, dfd;
	bool ok;

	if (!root)
		return true;
	rfd = openat(b->fd, root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (rfd < 0)
		return errno == ENOENT;
	dfd = openat(rfd, &SHIM_INJECT_DIR[1], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0) {
		ok = errno == ENOENT;
		close(rfd);
		return ok;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
		    st.st_size == 0)
			unlinkat(dfd, names[i], 0);
	close(dfd);
	ok = unlinkat(rfd, &SHIM_INJECT_DIR[1], AT_REMOVEDIR) == 0 || errno == ENOENT;
	close(rfd);
	return ok;
}

/* config.json without wrap's changes: from wrap's backup, byte for byte,
 * which then goes; otherwise written anew, and a config.json.orig that
 * is not wrap's backup stays as it is. */
static int restore_config(const struct shim_bundle *b, struct shim_oci_unwrapped *res,
			  struct shim_error *err)
{
	char *backup = NULL;
	size_t len = 0;
	int rc;

	if (read_backup(b, &backup, &len) == 1 && is_wrap_backup(backup, len, b->root)) {
		rc = shim_bundle_write_file(b, CONFIG_FILE, backup, len, b->mode, err);
		free(backup);
		if (rc == 0 && unlinkat(b->fd, BACKUP_FILE, 0) < 0 && errno != ENOENT) {
			shim_error_set(err, errno, "cannot remove %s/" BACKUP_FILE ": %s", b->path, strerror(errno));
			rc = -1;
		}
		return rc == 0 ? shim_bundle_sync(b, err) : -1;
	}
	free(backup);
	res->kept_backup = faccessat(b->fd, BACKUP_FILE, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
	return shim_bundle_write_config(b, err);
}

int shim_oci_unwrap(const char *bundle, struct shim_oci_unwrapped *res, struct shim_error *err)
{
	static const char *const ours[] = { WRAP_PROFILE_FILE, WRAP_SHIM_FILE };
	struct shim_bundle b;
	json_t *annotations, *mark, *args, *mounts;
	json_error_t jerr;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	if (shim_bundle_open(&b, bundle, true, err) < 0)
		return -1;
	annotations = json_object_get(b.root, "annotations");
	mark = json_object_get(annotations, WRAP_ANNOTATION);
	if (!json_is_string(mark)) {
		shim_bundle_close(&b);
		return 0;
	}
	res->was_wrapped = true;
	args = json_loads(json_string_value(mark), 0, &jerr);
	if (!json_is_array(args)) {
		shim_error_set(err, EINVAL, "%s/" CONFIG_FILE ": annotation %s does not hold the original args",
			       b.path, WRAP_ANNOTATION);
		json_decref(args);
		goto out;
	}
	json_object_set_new(json_object_get(b.root, "process"), "args", args);
	mounts = json_object_get(b.root, "mounts");
	for (size_t i = json_array_size(mounts); i-- > 0;) {
		const char *dest = json_string_value(json_object_get(json_array_get(mounts, i), "destination"));
		if (dest && strncmp(dest, SHIM_INJECT_DIR "/", strlen(SHIM_INJECT_DIR) + 1) == 0)
			json_array_remove(mounts, i);
	}
	json_object_del(annotations, WRAP_ANNOTATION);
	if (json_object_size(annotations) == 0)
		json_object_del(b.root, "annotations");
	rc = restore_config(&b, res, err);
	/* A link there is removed, not followed. */
	for (size_t i = 0; rc == 0 && i < sizeof(ours) / sizeof(ours[0]); i++)
		if (unlinkat(b.fd, ours[i], 0) < 0 && errno != ENOENT) {
			shim_error_set(err, errno, "cannot remove %s/%s: %s", b.path, ours[i], strerror(errno));
			rc = -1;
		}
	if (rc == 0)
		res->left_mount_points = !remove_mount_points(&b);
out:
	shim_bundle_close(&b);
	return rc;
}
