/* cache: compiled filters kept between runs.
 *
 * MUST: an entry is used only when everything that decides the program is
 * the same (its key: the profile bytes, the capabilities the command will
 * hold, the native arch, the kernel release and the filter flags it
 * supports, the libseccomp and shim versions, the options), when the file
 * belongs to the caller or root and nobody else can write it, and when its
 * program matches its hash. Anything else is ignored and rebuilt; a cache
 * that cannot be used never fails a run.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "internal.h"

#define CACHE_ENTRIES_MAX 64

void shim_cache_key(const struct shim_source *src, const struct shim_host *host,
		    const struct shim_compile_options *opt, uint8_t key[32])
{
	const struct scmp_version *v = seccomp_version();
	struct utsname u;
	char head[512];
	uint8_t text_sha[32];
	size_t n;

	if (uname(&u) < 0)
		memset(&u, 0, sizeof(u));
	/* The profile enters through its own hash, known beforehand for the
	 * built-in ones. */
	if (src->has_sha256)
		memcpy(text_sha, src->sha256, sizeof(text_sha));
	else
		shim_sha256(src->text, src->len, text_sha);
	n = (size_t)snprintf(head, sizeof(head),
			     "seccomp-shim cache 3\nshim %s\nlibseccomp %u.%u.%u\narch %u\nkernel %s\ncaps %llx\nflags %x\nunknown-fatal %d\nlinear %d\nby-libseccomp %d\nprofile ",
			     SHIM_VERSION, v->major, v->minor, v->micro, host->arch->token, u.release,
			     (unsigned long long)host->bounding, host->supported_flags,
			     opt && opt->unknown_syscalls_fatal, opt && opt->linear,
			     opt && opt->libseccomp);
	for (int i = 0; i < 32 && n + 3 < sizeof(head); i++)
		n += (size_t)snprintf(head + n, sizeof(head) - n, "%02x", text_sha[i]);
	shim_sha256(head, n, key);
}

int shim_cache_dir_default(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int n;

	if (xdg && xdg[0] == '/')
		n = snprintf(buf, len, "%s/seccomp-shim", xdg);
	else if (geteuid() == 0)
		n = snprintf(buf, len, "/var/cache/seccomp-shim");
	else if (home && home[0] == '/')
		n = snprintf(buf, len, "%s/.cache/seccomp-shim", home);
	else
		return -1;
	return n > 0 && (size_t)n < len ? 0 : -1;
}

static void entry_path(const char *dir, const uint8_t key[32], char *buf, size_t len)
{
	int n = snprintf(buf, len, "%.4000s/", dir);

	for (int i = 0; i < 32 && n > 0 && (size_t)n + 3 < len; i++)
		n += snprintf(buf + n, len - (size_t)n, "%02x", key[i]);
	if (n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, ".bpf");
}

/* Owned by us or root, and nobody else may write to it. */
static bool trusted(const struct stat *st)
{
	return (st->st_uid == geteuid() || st->st_uid == 0) && !(st->st_mode & 022);
}

int shim_cache_load(const char *dir, const uint8_t key[32], const struct shim_host *host,
		    struct shim_filter *out)
{
	char path[4200];
	struct stat st;
	int fd, r;

	entry_path(dir, key, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !trusted(&st)) {
		close(fd);
		return 0;
	}
	r = shim_bpf_file_read_fd(fd, path, host, key, out, NULL);
	close(fd);
	return r == 0 ? 1 : 0;
}

static int mkdir_p(const char *dir)
{
	char buf[4096];
	struct stat st;

	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
		return -1;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, 0700) < 0 && errno != EEXIST)
		return -1;
	/* A directory someone else controls could be made to hold anything. */
	if (lstat(buf, &st) < 0 || !S_ISDIR(st.st_mode) || !trusted(&st))
		return -1;
	return 0;
}

/* Keeps the newest CACHE_ENTRIES_MAX entries. */
static void evict(const char *dir)
{
	struct {
		char name[80];
		time_t mtime;
	} e[CACHE_ENTRIES_MAX * 2];
	size_t n = 0;
	struct dirent *d;
	DIR *dp = opendir(dir);

	if (!dp)
		return;
	while ((d = readdir(dp))) {
		char path[4200];
		struct stat st;
		size_t len = strlen(d->d_name);

		if (len != 68 || strcmp(d->d_name + 64, ".bpf") != 0)
			continue;
		snprintf(path, sizeof(path), "%.4000s/%.80s", dir, d->d_name);
		if (lstat(path, &st) < 0)
			continue;
		if (n == ARRAY_SIZE(e)) {
			/* Too many to sort here: drop this one outright. */
			unlink(path);
			continue;
		}
		snprintf(e[n].name, sizeof(e[n].name), "%.79s", d->d_name);
		e[n++].mtime = st.st_mtime;
	}
	closedir(dp);
	while (n > CACHE_ENTRIES_MAX) {
		size_t oldest = 0;
		char path[4200];
		for (size_t i = 1; i < n; i++)
			if (e[i].mtime < e[oldest].mtime)
				oldest = i;
		snprintf(path, sizeof(path), "%.4000s/%.80s", dir, e[oldest].name);
		unlink(path);
		e[oldest] = e[--n];
	}
}

int shim_cache_store(const char *dir, const uint8_t key[32], const struct shim_profile *p,
		     const struct shim_host *host, const struct shim_filter *f)
{
	char path[4200], tmp[4300];
	int fd;

	if (mkdir_p(dir) < 0)
		return -1;
	entry_path(dir, key, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%.4200s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return -1;
	if (fchmod(fd, 0644) < 0 || shim_bpf_file_write_key(fd, p, host, f, key, NULL) < 0 ||
	    fsync(fd) < 0) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	/* rename() replaces atomically: a racing reader sees one whole file. */
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		unlink(tmp);
		return -1;
	}
	evict(dir);
	return 0;
}
