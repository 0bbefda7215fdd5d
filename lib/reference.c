/* source: profile references, as Kubernetes and Docker name them.
 *
 *   runtime/default, RuntimeDefault   our built-in default (lib/builtin.c)
 *   audit                             built-in: log everything
 *   unconfined, Unconfined            no filter
 *   localhost/REL                     REL under the profile root
 *   anything else                     a file path
 *
 * MUST: a localhost reference never reads outside the profile root: REL
 * must be relative, without "..", and is opened with RESOLVE_BENEATH so a
 * symlink leading out is refused by the kernel itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>

#include "internal.h"

static bool has_dotdot(const char *rel)
{
	for (const char *p = rel; *p; p += strcspn(p, "/"), p += *p == '/') {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return true;
	}
	return false;
}

static int open_beneath(const char *root, const char *rel, struct shim_error *err)
{
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS };
	int dir = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC), fd;

	if (dir < 0) {
		shim_error_set(err, errno, "localhost/%s: cannot open the profile root %s: %s", rel,
			       root, strerror(errno));
		return -1;
	}
	fd = (int)syscall(SYS_openat2, dir, rel, &how, sizeof(how));
	if (fd < 0 && errno == EXDEV)
		shim_error_set(err, EXDEV, "localhost/%s: the path leads outside %s (through a symlink); refused",
			       rel, root);
	else if (fd < 0 && errno == ENOSYS)
		shim_error_set(err, ENOSYS, "localhost/%s: this kernel lacks openat2 (5.6), needed to open it safely under %s",
			       rel, root);
	else if (fd < 0)
		shim_error_set(err, errno, "localhost/%s: cannot open %s/%s: %s", rel, root, rel,
			       strerror(errno));
	close(dir);
	return fd;
}

static int read_localhost(const char *rel, const char *root, struct shim_source *src,
			  struct shim_error *err)
{
	char display[4096];
	int fd, r;

	if (rel[0] == '\0' || rel[0] == '/') {
		shim_error_set(err, EINVAL, "localhost/%s: a localhost profile is a path relative to %s, not %s",
			       rel, root, rel[0] ? "an absolute path" : "empty");
		return -1;
	}
	if (has_dotdot(rel)) {
		shim_error_set(err, EINVAL, "localhost/%s: \"..\" is not allowed: the profile must stay under %s",
			       rel, root);
		return -1;
	}
	fd = open_beneath(root, rel, err);
	if (fd < 0)
		return -1;
	snprintf(display, sizeof(display), "%s/%s", root, rel);
	r = shim_read_profile_fd(fd, display, &src->text, &src->len, err);
	close(fd);
	if (r == 0 && !(src->name = strdup(display))) {
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	return r;
}

static int read_file(const char *path, struct shim_source *src, struct shim_error *err)
{
	int r, fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0) {
		shim_error_at(err, errno, "unreadable", path, 0, 0, NULL, "cannot open the profile: %s",
			      strerror(errno));
		return -1;
	}
	r = shim_read_profile_fd(fd, path, &src->text, &src->len, err);
	close(fd);
	if (r == 0 && !(src->name = strdup(path))) {
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	return r;
}

int shim_source_read(const char *ref, const char *localhost_root, struct shim_source *src,
		     enum shim_ref_kind *kind, struct shim_error *err)
{
	struct shim_builtin b;

	memset(src, 0, sizeof(*src));
	if (strcmp(ref, "unconfined") == 0 || strcmp(ref, "Unconfined") == 0) {
		*kind = SHIM_REF_UNCONFINED;
		return 0;
	}
	if (shim_builtin_find(ref, &b) == 0) {
		*kind = SHIM_REF_BUILTIN;
		/* The embedded text itself, not a copy: a run that finds its
		 * program compiled at build time never reads it. */
		src->builtin = true;
		src->text = (char *)b.text;
		src->len = b.len;
		memcpy(src->sha256, b.sha256, sizeof(src->sha256));
		src->has_sha256 = true;
		if (!(src->name = strdup(ref))) {
			shim_error_set(err, ENOMEM, "out of memory");
			return -1;
		}
		return 0;
	}
	if (strncmp(ref, "localhost/", 10) == 0) {
		*kind = SHIM_REF_LOCALHOST;
		return read_localhost(ref + 10, localhost_root ? localhost_root : SHIM_PROFILE_ROOT,
				      src, err);
	}
	*kind = SHIM_REF_FILE;
	return read_file(ref, src, err);
}

int shim_source_from_text(const char *name, const char *text, size_t len, struct shim_source *src,
			  struct shim_error *err)
{
	memset(src, 0, sizeof(*src));
	src->name = strdup(name);
	src->text = malloc(len + 1);
	if (!src->name || !src->text) {
		shim_source_free(src);
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	memcpy(src->text, text, len);
	src->text[len] = '\0';
	src->len = len;
	return 0;
}

void shim_source_free(struct shim_source *src)
{
	free(src->name);
	if (!src->builtin)
		free(src->text);
	memset(src, 0, sizeof(*src));
}

int shim_source_profile(const struct shim_source *src, struct shim_profile **out,
			struct shim_warnings *warn, struct shim_findings *errors,
			struct shim_error *err)
{
	struct shim_builtin b;

	/* A built-in profile was parsed at build time (it gave no warning). */
	if (src->builtin && shim_builtin_find(src->name, &b) == 0 && b.profile) {
		*out = b.profile;
		return 0;
	}
	return shim_profile_parse_all(src->name, src->text, src->len, out, warn, errors, err);
}

int shim_source_precompiled(const struct shim_source *src, const struct shim_host *host,
			    const struct shim_compile_options *opt, struct shim_filter *out,
			    struct shim_error *err)
{
	struct shim_builtin b;
	int r;

	memset(out, 0, sizeof(*out));
	if (!src->builtin || shim_builtin_find(src->name, &b) < 0)
		return 0;
	r = shim_builtin_precompiled(&b, host, opt, out);
	if (r < 0)
		shim_error_set(err, ENOMEM, "out of memory");
	return r;
}

int shim_profile_open_ref(const char *ref, const char *localhost_root,
			  struct shim_profile **out, enum shim_ref_kind *kind,
			  struct shim_warnings *warn, struct shim_error *err)
{
	struct shim_source src;
	int r;

	*out = NULL;
	if (shim_source_read(ref, localhost_root, &src, kind, err) < 0)
		return -1;
	if (*kind == SHIM_REF_UNCONFINED)
		return 0;
	r = shim_source_profile(&src, out, warn, NULL, err);
	shim_source_free(&src);
	return r;
}
