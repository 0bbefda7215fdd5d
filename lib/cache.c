/* cache: compiled filters kept between runs.
 *
 * Trust model (man page, SECURITY): a confined program must never change
 * what a later run loads. File ownership cannot prove that: a target that
 * runs as uid 0 without capabilities still owns every file root owns, and
 * a non-root target owns its own cache. So every entry carries a seal, the
 * SHA-256 of its bytes in the extended attribute trusted.seccomp-shim,
 * which only a process holding CAP_SYS_ADMIN can set or even read. An
 * entry the shim did not write has no valid seal and is never loaded.
 *
 * MUST: an entry is used only when (1) its seal matches its bytes, (2) its
 * key is the one asked for (the profile bytes, the capabilities the
 * command will hold, native arch, kernel release and supported flags, the
 * libseccomp version, the build id of this generator, the options), (3) it
 * and its directory belong to root and nobody else may write them, and (4)
 * it is reached without following a symlink. Anything else is ignored and
 * rebuilt; a cache that cannot be used never fails or delays a run: a
 * store does no fsync (a torn entry fails its seal and is rebuilt).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <linux/capability.h>

#include "internal.h"

#define CACHE_ENTRIES_MAX 64
#define CACHE_DIR_ROOT "/var/cache/seccomp-shim"
#define SEAL_XATTR "trusted.seccomp-shim"
/* The largest entry: the header and BPF_MAXINSNS instructions. */
#define ENTRY_MAX (4096 + BPF_MAXINSNS * 8)

static const char build_id[] =
#include "build-id.inc"
	;

const char *shim_build_id(void)
{
	return build_id;
}

void shim_cache_key(const struct shim_source *src, const struct shim_host *host,
		    const struct shim_compile_options *opt, uint8_t key[32])
{
	const struct scmp_version *v = seccomp_version();
	struct utsname u;
	char head[640];
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
			     "seccomp-shim cache 4\nshim %s\nbuild %s\nlibseccomp %u.%u.%u\narch %u\nkernel %s\ncaps %llx\nflags %x\nunknown-fatal %d\nlinear %d\nby-libseccomp %d\nprofile ",
			     SHIM_VERSION, build_id, v->major, v->minor, v->micro, host->arch->token,
			     u.release, (unsigned long long)host->bounding, host->supported_flags,
			     opt && opt->unknown_syscalls_fatal, opt && opt->linear,
			     opt && opt->libseccomp);
	for (int i = 0; i < 32 && n + 3 < sizeof(head); i++)
		n += (size_t)snprintf(head + n, sizeof(head) - n, "%02x", text_sha[i]);
	shim_sha256(head, n, key);
}

int shim_cache_dir_default(char *buf, size_t len)
{
	/* Only root can seal entries; and root's cache never follows the
	 * environment (XDG_CACHE_HOME, HOME), which an image may set. */
	if (geteuid() != 0)
		return -1;
	return (size_t)snprintf(buf, len, "%s", CACHE_DIR_ROOT) < len ? 0 : -1;
}

/* Root's, and nobody else may write to it. */
static bool root_only(const struct stat *st)
{
	return st->st_uid == 0 && !(st->st_mode & 022);
}

static int open_dir(const char *dir)
{
	struct stat st;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd >= 0 && (fstat(fd, &st) < 0 || !root_only(&st))) {
		close(fd);
		return -1;
	}
	return fd;
}

static void entry_name(const uint8_t key[32], char name[72])
{
	for (int i = 0; i < 32; i++)
		snprintf(name + 2 * i, 3, "%02x", key[i]);
	memcpy(name + 64, ".bpf", 5);
}

/* The seal is the SHA-256 of the entry's bytes, in an attribute only
 * CAP_SYS_ADMIN may read or write. */
static bool sealed(int fd, const struct stat *st)
{
	uint8_t want[32], got[32];
	char *buf;
	bool ok;

	if (st->st_size <= 0 || st->st_size > ENTRY_MAX ||
	    fgetxattr(fd, SEAL_XATTR, want, sizeof(want)) != (ssize_t)sizeof(want))
		return false;
	buf = malloc((size_t)st->st_size);
	ok = buf && pread(fd, buf, (size_t)st->st_size, 0) == st->st_size;
	if (ok) {
		shim_sha256(buf, (size_t)st->st_size, got);
		ok = memcmp(want, got, sizeof(got)) == 0;
	}
	free(buf);
	return ok;
}

int shim_cache_load(const char *dir, const uint8_t key[32], const struct shim_host *host,
		    struct shim_filter *out)
{
	char name[72];
	struct stat st;
	int dfd, fd, r = -1;

	if (geteuid() != 0 || (dfd = open_dir(dir)) < 0)
		return 0;
	entry_name(key, name);
	fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	close(dfd);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && root_only(&st) && sealed(fd, &st) &&
	    lseek(fd, 0, SEEK_SET) == 0)
		r = shim_bpf_file_read_fd(fd, name, host, key, out, NULL);
	close(fd);
	return r == 0 ? 1 : 0;
}

/* Creates the last component of dir if missing (its parent must exist),
 * and opens it. */
static int make_dir(const char *dir)
{
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -1;
	return open_dir(dir);
}

/* Keeps the newest CACHE_ENTRIES_MAX entries. */
static void evict(int dfd)
{
	struct {
		char name[72];
		time_t mtime;
	} e[CACHE_ENTRIES_MAX * 2];
	size_t n = 0;
	struct dirent *d;
	int fd = dup(dfd);
	DIR *dp = fd >= 0 ? fdopendir(fd) : NULL;

	if (!dp) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((d = readdir(dp))) {
		struct stat st;
		size_t len = strlen(d->d_name);

		if (len != 68 || strcmp(d->d_name + 64, ".bpf") != 0 ||
		    fstatat(dfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (n == ARRAY_SIZE(e)) {
			/* Too many to sort here: drop this one outright. */
			unlinkat(dfd, d->d_name, 0);
			continue;
		}
		memcpy(e[n].name, d->d_name, len + 1);
		e[n++].mtime = st.st_mtime;
	}
	closedir(dp);
	while (n > CACHE_ENTRIES_MAX) {
		size_t oldest = 0;
		for (size_t i = 1; i < n; i++)
			if (e[i].mtime < e[oldest].mtime)
				oldest = i;
		unlinkat(dfd, e[oldest].name, 0);
		e[oldest] = e[--n];
	}
}

/* A new file with a name nobody can guess, never an existing one. */
static int create_temp(int dfd, const char *name, char *tmp, size_t len)
{
	uint64_t r;

	if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return -1;
	snprintf(tmp, len, ".%.68s.%016llx", name, (unsigned long long)r);
	return openat(dfd, tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
}

static int write_sealed(int fd, const struct shim_profile *p, const struct shim_host *host,
			const struct shim_filter *f, const uint8_t key[32])
{
	uint8_t seal[32];
	struct stat st;
	char *buf;
	int r = -1;

	if (fchmod(fd, 0644) < 0 || shim_bpf_file_write_key(fd, p, host, f, key, NULL) < 0 ||
	    fstat(fd, &st) < 0 || st.st_size <= 0 || st.st_size > ENTRY_MAX)
		return -1;
	/* The seal covers what the file holds now, read back. */
	buf = malloc((size_t)st.st_size);
	if (buf && pread(fd, buf, (size_t)st.st_size, 0) == st.st_size) {
		shim_sha256(buf, (size_t)st.st_size, seal);
		r = fsetxattr(fd, SEAL_XATTR, seal, sizeof(seal), 0);
	}
	free(buf);
	return r;
}

int shim_cache_store(const char *dir, const uint8_t key[32], const struct shim_profile *p,
		     const struct shim_host *host, const struct shim_filter *f)
{
	char name[72], tmp[100];
	int dfd, fd, r = -1;

	if (geteuid() != 0 || (dfd = make_dir(dir)) < 0)
		return -1;
	entry_name(key, name);
	fd = create_temp(dfd, name, tmp, sizeof(tmp));
	if (fd >= 0) {
		/* renameat replaces atomically: a racing reader sees one whole
		 * file. */
		r = write_sealed(fd, p, host, f, key) == 0 && renameat(dfd, tmp, dfd, name) == 0 ? 0 : -1;
		if (r < 0)
			unlinkat(dfd, tmp, 0);
		close(fd);
	}
	if (r == 0)
		evict(dfd);
	close(dfd);
	return r;
}

bool shim_cache_usable(void)
{
	return geteuid() == 0 && (shim_caps_read_permitted() & (1ULL << CAP_SYS_ADMIN));
}
