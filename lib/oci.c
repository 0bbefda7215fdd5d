/* oci: bundle helpers. Reads and rewrites an OCI bundle's config.json.
 *
 * MUST: a bundle may belong to someone else, and this runs as root.
 * - The bundle directory is opened once (O_DIRECTORY | O_NOFOLLOW) and every
 *   name in it is reached through that fd; no link is followed, to the
 *   bundle or inside it.
 * - config.json is read with O_NOFOLLOW and fstat-checked as a regular file.
 * - Before anything is written, the directory must be owned by root or the
 *   caller and not writable by its group or others unless sticky: whoever
 *   controls its names could make them lead elsewhere while we write there.
 * - Every file written (config.json, config.json.orig, the profile) is made
 *   new with O_EXCL | O_NOFOLLOW under one fixed temporary name, fsynced and
 *   renamed over its name: a link or file planted there is replaced, never
 *   written through. A temporary name that exists stops the command.
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
 * config.json.orig; everything not touched stays as it was (jansson keeps
 * key order); wrap is idempotent and unwrap restores what wrap changed:
 * byte for byte from config.json.orig when that is wrap's backup (which
 * then goes), else by undoing wrap's changes (and config.json.orig, not
 * wrap's, stays as it is).
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
#define WRAP_SHIM_FILE "seccomp-shim-static"
/* Far above the static shim (about 1.1 MB). */
#define SHIM_MAX (64u << 20)
#define CONFIG_FILE "config.json"
#define BACKUP_FILE "config.json.orig"
#define TMP_FILE "seccomp-shim.tmp"
#define CONFIG_MAX (64u << 20)

struct bundle {
	char path[PATH_MAX]; /* as given, without trailing slashes */
	int fd; /* the directory */
	char *text; /* config.json as read */
	size_t len;
	mode_t mode; /* config.json's permission bits */
	json_t *root;
};

static void bundle_close(struct bundle *b)
{
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
	free(b->text);
	b->text = NULL;
	json_decref(b->root);
	b->root = NULL;
}

static int open_dir(struct bundle *b, const char *name, struct shim_error *err)
{
	size_t n = strlen(name);
	struct stat st;

	while (n > 1 && name[n - 1] == '/')
		n--;
	if (n >= sizeof(b->path)) {
		shim_error_set(err, ENAMETOOLONG, "bundle %s: path too long", name);
		return -1;
	}
	memcpy(b->path, name, n);
	b->path[n] = '\0';
	b->fd = open(b->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (b->fd >= 0)
		return 0;
	if ((errno == ELOOP || errno == ENOTDIR) && lstat(b->path, &st) == 0 && S_ISLNK(st.st_mode))
		shim_error_set(err, ELOOP, "bundle %s is a symbolic link: give the directory itself (seccomp-shim follows no link to or inside a bundle)",
			       b->path);
	else
		shim_error_set(err, errno, "bundle %s: %s", b->path, strerror(errno));
	return -1;
}

/* Whether we may write into the bundle: see MUST above. */
static int check_trusted(const struct bundle *b, struct shim_error *err)
{
	static const char risk[] = "could make them lead to files elsewhere while this command writes there with your privileges";
	uid_t me = geteuid();
	struct stat st;
	char who[64];

	if (fstat(b->fd, &st) < 0) {
		shim_error_set(err, errno, "bundle %s: %s", b->path, strerror(errno));
		return -1;
	}
	if (st.st_uid != 0 && st.st_uid != me) {
		if (me == 0)
			snprintf(who, sizeof(who), "not by root");
		else
			snprintf(who, sizeof(who), "neither by you (uid %u) nor by root", (unsigned)me);
		shim_error_set(err, EPERM, "refusing to write into bundle %s: it is owned by uid %u, %s: that user controls the names in it and %s (run the command as uid %u, or copy the bundle into a directory you own)",
			       b->path, (unsigned)st.st_uid, who, risk, (unsigned)st.st_uid);
		return -1;
	}
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX)) {
		if (st.st_mode & S_IWOTH)
			snprintf(who, sizeof(who), "every user");
		else
			snprintf(who, sizeof(who), "its group (gid %u)", (unsigned)st.st_gid);
		shim_error_set(err, EPERM, "refusing to write into bundle %s: its mode %04o lets %s write to it: they control the names in it and %s (chmod go-w %s, or copy the bundle into a directory you own)",
			       b->path, (unsigned)(st.st_mode & 07777), who, risk, b->path);
		return -1;
	}
	return 0;
}

static int read_all(int fd, size_t hint, size_t max, char **out, size_t *len)
{
	size_t cap = hint + 1, n = 0;
	char *buf = malloc(cap), *bigger;
	ssize_t r;

	if (!buf)
		return -1;
	for (;;) {
		if (n + 1 >= cap) {
			if (cap > max || !(bigger = realloc(buf, cap * 2))) {
				free(buf);
				errno = cap > max ? EFBIG : ENOMEM;
				return -1;
			}
			buf = bigger;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

/* config.json through the directory fd: a regular file, never a link. */
static int read_config(struct bundle *b, struct shim_error *err)
{
	json_error_t jerr;
	struct stat st;
	int fd, r;

	fd = openat(b->fd, CONFIG_FILE, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ELOOP)
			shim_error_set(err, ELOOP, "%s/" CONFIG_FILE " is a symbolic link: seccomp-shim follows no link inside a bundle (put the file itself there)",
				       b->path);
		else
			shim_error_set(err, errno, "%s/" CONFIG_FILE ": %s", b->path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		shim_error_set(err, EINVAL, "%s/" CONFIG_FILE " is not a regular file", b->path);
		close(fd);
		return -1;
	}
	b->mode = st.st_mode & 0777;
	r = read_all(fd, st.st_size > 0 && st.st_size < CONFIG_MAX ? (size_t)st.st_size : 4096, CONFIG_MAX,
		     &b->text, &b->len);
	if (r < 0)
		shim_error_set(err, errno, "%s/" CONFIG_FILE ": %s", b->path, strerror(errno));
	close(fd);
	if (r < 0)
		return -1;
	b->root = shim_json_load_wide(b->text, b->len, JSON_REJECT_DUPLICATES, &jerr);
	if (!b->root) {
		shim_error_set(err, EINVAL, "%s/" CONFIG_FILE ":%d:%d: %s", b->path, jerr.line, jerr.column, jerr.text);
		return -1;
	}
	if (!json_is_object(b->root)) {
		shim_error_set(err, EINVAL, "%s/" CONFIG_FILE ": not an OCI runtime config (expected a JSON object)", b->path);
		return -1;
	}
	return 0;
}

/* Opens the bundle and reads config.json; for_writing: the directory must
 * be trusted first. On failure the bundle is closed. */
static int bundle_open(struct bundle *b, const char *name, bool for_writing, struct shim_error *err)
{
	memset(b, 0, sizeof(*b));
	b->fd = -1;
	if (open_dir(b, name, err) < 0 || (for_writing && check_trusted(b, err) < 0) ||
	    read_config(b, err) < 0) {
		bundle_close(b);
		return -1;
	}
	return 0;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Puts data at name in the bundle: a new file under TMP_FILE (O_EXCL, so
 * nothing planted there is reused), renamed over name (so a link at name
 * is replaced, not followed). */
static int write_at(const struct bundle *b, const char *name, const char *data, size_t len,
		    mode_t mode, struct shim_error *err)
{
	int fd = openat(b->fd, TMP_FILE, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	int e;

	if (fd < 0) {
		if (errno == EEXIST)
			shim_error_set(err, EEXIST, "cannot create %s/" TMP_FILE ": it exists (another seccomp-shim may be writing to this bundle, or one was interrupted: remove it if none is running)",
				       b->path);
		else
			shim_error_set(err, errno, "cannot create %s/" TMP_FILE ": %s", b->path, strerror(errno));
		return -1;
	}
	if (write_all(fd, data, len) < 0 || fchmod(fd, mode) < 0 || fsync(fd) < 0) {
		e = errno;
		close(fd);
		goto fail;
	}
	if (close(fd) < 0 || renameat(b->fd, TMP_FILE, b->fd, name) < 0) {
		e = errno;
		goto fail;
	}
	return 0;
fail:
	shim_error_set(err, e, "cannot write %s/%s: %s", b->path, name, strerror(e));
	unlinkat(b->fd, TMP_FILE, 0);
	return -1;
}

/* The renames are what must last. */
static int sync_dir(const struct bundle *b, struct shim_error *err)
{
	if (fsync(b->fd) == 0)
		return 0;
	shim_error_set(err, errno, "%s: %s", b->path, strerror(errno));
	return -1;
}

/* Replaces config.json with b->root (integers above 2^63-1 written back
 * as the integers they were: see lib/jsontext.c). */
static int write_config(const struct bundle *b, struct shim_error *err)
{
	struct shim_text text = { 0 };
	int rc;

	if (shim_json_dump_wide(json_incref(b->root), &text, err) < 0) {
		shim_text_free(&text);
		shim_error_set(err, ENOMEM, "%s/" CONFIG_FILE ": out of memory", b->path);
		return -1;
	}
	rc = write_at(b, CONFIG_FILE, text.s, text.len, b->mode, err);
	shim_text_free(&text);
	return rc == 0 ? sync_dir(b, err) : -1;
}

/* Keeps config.json as it was read as config.json.orig, then replaces it. */
static int save_config(const struct bundle *b, struct shim_error *err)
{
	if (write_at(b, BACKUP_FILE, b->text, b->len, 0600, err) < 0)
		return -1;
	return write_config(b, err);
}

int shim_oci_bundle_caps(const char *bundle, uint64_t *caps, struct shim_error *err)
{
	struct bundle b;
	json_t *bounding, *v;
	size_t i;

	if (bundle_open(&b, bundle, false, err) < 0)
		return -1;
	*caps = 0;
	bounding = json_object_get(json_object_get(json_object_get(b.root, "process"), "capabilities"),
				   "bounding");
	json_array_foreach(bounding, i, v) {
		int cap = json_is_string(v) ? shim_cap_from_name(json_string_value(v)) : -1;
		if (cap < 0) {
			shim_error_set(err, EINVAL, "%s/" CONFIG_FILE ": process.capabilities.bounding[%zu]: unknown capability %s",
				       b.path, i, json_is_string(v) ? json_string_value(v) : "(not a string)");
			bundle_close(&b);
			return -1;
		}
		*caps |= 1ULL << cap;
	}
	bundle_close(&b);
	return 0;
}

int shim_oci_set_seccomp(const char *bundle, const char *seccomp_json, struct shim_error *err)
{
	struct bundle b;
	json_t *linux_obj, *seccomp;
	json_error_t jerr;
	int rc;

	seccomp = shim_json_load_wide(seccomp_json, strlen(seccomp_json), 0, &jerr);
	if (!seccomp) {
		shim_error_set(err, EINVAL, "internal: the OCI object is not JSON: %s", jerr.text);
		return -1;
	}
	if (bundle_open(&b, bundle, true, err) < 0) {
		json_decref(seccomp);
		return -1;
	}
	linux_obj = json_object_get(b.root, "linux");
	if (!json_is_object(linux_obj)) {
		linux_obj = json_object();
		json_object_set_new(b.root, "linux", linux_obj);
	}
	json_object_set_new(linux_obj, "seccomp", seccomp);
	rc = save_config(&b, err);
	bundle_close(&b);
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
static int read_shim(const char *path, char **data, size_t *len, struct shim_error *err)
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
	r = read_all(fd, (size_t)st.st_size, SHIM_MAX, data, len);
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

/* The runtime makes WRAP_DIR in the root filesystem and mounts over what
 * it finds there; a link there would send the mounts elsewhere. runc
 * resolves it inside the root, but nothing here relies on that. */
static int check_mount_point(const struct bundle *b, struct shim_error *err)
{
	const char *root = json_string_value(json_object_get(json_object_get(b->root, "root"), "path"));
	struct stat st;
	int fd, r;

	if (!root)
		return 0;
	fd = openat(b->fd, root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0; /* the runtime says what is wrong with the root */
	r = fstatat(fd, &WRAP_DIR[1], &st, AT_SYMLINK_NOFOLLOW);
	close(fd);
	if (r == 0 && !S_ISDIR(st.st_mode)) {
		shim_error_set(err, ENOTDIR, "%s%s%s" WRAP_DIR " is a symbolic link or not a directory: the runtime would mount the shim and its profile wherever it leads; remove it",
			       root[0] == '/' ? "" : b->path, root[0] == '/' ? "" : "/", root);
		return -1;
	}
	return 0;
}

/* The absolute path of the bundle we hold open, for the mount source:
 * the same directory, or an error. */
static int bundle_abs_path(const struct bundle *b, char *out, struct shim_error *err)
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
	wrapped = json_pack("[s, s, s, s]", WRAP_DIR "/seccomp-shim", "--profile",
			    WRAP_DIR "/profile.json", "--");
	json_array_extend(wrapped, args);
	json_object_set_new(process, "args", wrapped);
	mounts = json_object_get(root, "mounts");
	if (!json_is_array(mounts)) {
		mounts = json_array();
		json_object_set_new(root, "mounts", mounts);
	}
	json_array_append_new(mounts, bind_mount(WRAP_DIR "/seccomp-shim", shim));
	json_array_append_new(mounts, bind_mount(WRAP_DIR "/profile.json", prof));
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
	struct bundle b;
	json_t *process, *args;
	int rc = -1;

	*already = false;
	if (bundle_open(&b, bundle, true, err) < 0)
		return -1;
	if (json_is_string(json_object_get(json_object_get(b.root, "annotations"), WRAP_ANNOTATION))) {
		*already = true;
		bundle_close(&b);
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
	if (read_shim(shim_abs, &shim_data, &shim_len, err) < 0 || check_mount_point(&b, err) < 0 ||
	    bundle_abs_path(&b, bundle_abs, err) < 0)
		goto out;
	snprintf(prof, sizeof(prof), "%s/%s", bundle_abs, WRAP_PROFILE_FILE);
	snprintf(shim_copy, sizeof(shim_copy), "%s/%s", bundle_abs, WRAP_SHIM_FILE);
	if (write_at(&b, WRAP_SHIM_FILE, shim_data, shim_len, 0755, err) < 0 ||
	    write_at(&b, WRAP_PROFILE_FILE, profile_text, profile_len, 0644, err) < 0)
		goto out;
	wrap_config(b.root, process, args, shim_copy, prof);
	rc = save_config(&b, err);
out:
	free(shim_data);
	bundle_close(&b);
	return rc;
}

/* config.json.orig as wrap left it: a regular file (never a link), read
 * through the bundle fd. 1 and its bytes; 0 if there is none such. */
static int read_backup(const struct bundle *b, char **text, size_t *len)
{
	struct stat st;
	int fd = openat(b->fd, BACKUP_FILE, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	int r = 0;

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    read_all(fd, st.st_size > 0 && st.st_size < CONFIG_MAX ? (size_t)st.st_size : 4096, CONFIG_MAX,
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
static bool remove_mount_points(const struct bundle *b)
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
	dfd = openat(rfd, &WRAP_DIR[1], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
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
	ok = unlinkat(rfd, &WRAP_DIR[1], AT_REMOVEDIR) == 0 || errno == ENOENT;
	close(rfd);
	return ok;
}

/* config.json without wrap's changes: from wrap's backup, byte for byte,
 * which then goes; otherwise written anew, and a config.json.orig that
 * is not wrap's backup stays as it is. */
static int restore_config(const struct bundle *b, struct shim_oci_unwrapped *res,
			  struct shim_error *err)
{
	char *backup = NULL;
	size_t len = 0;
	int rc;

	if (read_backup(b, &backup, &len) == 1 && is_wrap_backup(backup, len, b->root)) {
		rc = write_at(b, CONFIG_FILE, backup, len, b->mode, err);
		free(backup);
		if (rc == 0 && unlinkat(b->fd, BACKUP_FILE, 0) < 0 && errno != ENOENT) {
			shim_error_set(err, errno, "cannot remove %s/" BACKUP_FILE ": %s", b->path, strerror(errno));
			rc = -1;
		}
		return rc == 0 ? sync_dir(b, err) : -1;
	}
	free(backup);
	res->kept_backup = faccessat(b->fd, BACKUP_FILE, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
	return write_config(b, err);
}

int shim_oci_unwrap(const char *bundle, struct shim_oci_unwrapped *res, struct shim_error *err)
{
	static const char *const ours[] = { WRAP_PROFILE_FILE, WRAP_SHIM_FILE };
	struct bundle b;
	json_t *annotations, *mark, *args, *mounts;
	json_error_t jerr;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	if (bundle_open(&b, bundle, true, err) < 0)
		return -1;
	annotations = json_object_get(b.root, "annotations");
	mark = json_object_get(annotations, WRAP_ANNOTATION);
	if (!json_is_string(mark)) {
		bundle_close(&b);
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
		if (dest && strncmp(dest, WRAP_DIR "/", strlen(WRAP_DIR) + 1) == 0)
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
	bundle_close(&b);
	return rc;
}
