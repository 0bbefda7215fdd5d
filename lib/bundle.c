/* bundle: an OCI bundle's config.json, read and written as root in a
 * directory that may belong to someone else (lib/oci.c, lib/admission.c).
 *
 * MUST:
 * - The bundle directory is opened once (O_DIRECTORY | O_NOFOLLOW) and every
 *   name in it is reached through that fd; no link is followed, to the
 *   bundle or inside it.
 * - config.json is read with O_NOFOLLOW and fstat-checked as a regular file.
 * - Before anything is written, the directory must be owned by root or the
 *   caller and not writable by its group or others unless sticky: whoever
 *   controls its names could make them lead elsewhere while we write there.
 * - Every file written is made new with O_EXCL | O_NOFOLLOW under one fixed
 *   temporary name, fsynced and renamed over its name: a link or file
 *   planted there is replaced, never written through. A temporary name that
 *   exists stops the command.
 * config.json is replaced atomically with its mode kept; everything not
 * touched stays as it was (jansson keeps key order; integers above 2^63-1
 * are written back as integers: lib/jsontext.c).
 */
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

#define CONFIG_FILE SHIM_BUNDLE_CONFIG
#define BACKUP_FILE SHIM_BUNDLE_BACKUP
#define TMP_FILE "seccomp-shim.tmp"

void shim_bundle_close(struct shim_bundle *b)
{
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
	free(b->text);
	b->text = NULL;
	json_decref(b->root);
	b->root = NULL;
}

static int open_dir(struct shim_bundle *b, const char *name, struct shim_error *err)
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
static int check_trusted(const struct shim_bundle *b, struct shim_error *err)
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

int shim_read_all(int fd, size_t hint, size_t max, char **out, size_t *len)
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
static int read_config(struct shim_bundle *b, struct shim_error *err)
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
	b->uid = (unsigned)st.st_uid;
	r = shim_read_all(fd, st.st_size > 0 && st.st_size < SHIM_CONFIG_MAX ? (size_t)st.st_size : 4096, SHIM_CONFIG_MAX,
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
int shim_bundle_open(struct shim_bundle *b, const char *name, bool for_writing, struct shim_error *err)
{
	memset(b, 0, sizeof(*b));
	b->fd = -1;
	if (open_dir(b, name, err) < 0 || (for_writing && check_trusted(b, err) < 0) ||
	    read_config(b, err) < 0) {
		shim_bundle_close(b);
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
int shim_bundle_write_file(const struct shim_bundle *b, const char *name, const char *data, size_t len,
		    unsigned mode, struct shim_error *err)
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
int shim_bundle_sync(const struct shim_bundle *b, struct shim_error *err)
{
	if (fsync(b->fd) == 0)
		return 0;
	shim_error_set(err, errno, "%s: %s", b->path, strerror(errno));
	return -1;
}

/* Replaces config.json with b->root (integers above 2^63-1 written back
 * as the integers they were: see lib/jsontext.c). */
int shim_bundle_write_config(const struct shim_bundle *b, struct shim_error *err)
{
	struct shim_text text = { 0 };
	int rc;

	if (shim_json_dump_wide(json_incref(b->root), &text, err) < 0) {
		shim_text_free(&text);
		shim_error_set(err, ENOMEM, "%s/" CONFIG_FILE ": out of memory", b->path);
		return -1;
	}
	rc = shim_bundle_write_file(b, CONFIG_FILE, text.s, text.len, b->mode, err);
	shim_text_free(&text);
	return rc == 0 ? shim_bundle_sync(b, err) : -1;
}

/* Keeps config.json as it was read as config.json.orig, then replaces it. */
int shim_bundle_save_config(const struct shim_bundle *b, struct shim_error *err)
{
	if (shim_bundle_write_file(b, BACKUP_FILE, b->text, b->len, 0600, err) < 0)
		return -1;
	return shim_bundle_write_config(b, err);
}
