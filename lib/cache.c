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
 * store does no fsync (a torn entry fails its seal and is rebuilt), writes
 * the entry in one call, and only lists the directory to evict.
 *
 * An entry is the compiled filter file (lib/bpffile.c) followed by the
 * warnings compiling it gave, which a run that loads it shows again: only
 * "unknown syscall skipped" ones, so a profile with other warnings is
 * never stored. They are inside the sealed bytes like the program.
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
/* The warnings an entry may carry, and their size. */
#define WARNINGS_MAX 16
#define WARNING_BYTES_MAX 2048
/* The largest entry: the header, BPF_MAXINSNS instructions, warnings. */
#define WARNING_HEAD 28
#define ENTRY_MAX (4096 + BPF_MAXINSNS * 8 + WARNINGS_MAX * (WARNING_HEAD + 4 * WARNING_BYTES_MAX))

static const char build_id[] =
#include "build-id.inc"
	;

const char *shim_build_id(void)
{
	return build_id;
}

/* 64 hex digits of sum at buf + n, if they fit; the new length. */
static size_t put_hex(char *buf, size_t n, size_t size, const uint8_t sum[32])
{
	static const char digits[] = "0123456789abcdef";

	if (n > size || size - n < 65)
		return n;
	for (int i = 0; i < 32; i++) {
		buf[n++] = digits[sum[i] >> 4];
		buf[n++] = digits[sum[i] & 15];
	}
	buf[n] = '\0';
	return n;
}

void shim_cache_key(const struct shim_source *src, const struct shim_host *host,
		    const struct shim_compile_options *opt, uint8_t key[32])
{
	const struct scmp_version *v = seccomp_version();
	struct utsname u;
	char head[640];
	uint8_t text_sha[32], name_sha[32];
	size_t n;

	if (uname(&u) < 0)
		memset(&u, 0, sizeof(u));
	/* The profile enters through its own hash, known beforehand for the
	 * built-in ones. */
	if (src->has_sha256)
		memcpy(text_sha, src->sha256, sizeof(text_sha));
	else
		shim_sha256(src->text, src->len, text_sha);
	/* The name too: the warnings kept with an entry name the file. */
	shim_sha256(src->name ? src->name : "", src->name ? strlen(src->name) : 0, name_sha);
	n = (size_t)snprintf(head, sizeof(head),
			     "seccomp-shim cache 5\nshim %s\nbuild %s\nlibseccomp %u.%u.%u\narch %u\nkernel %s\ncaps %llx\nflags %x\nunknown-fatal %d\nlinear %d\nby-libseccomp %d\nname ",
			     SHIM_VERSION, build_id, v->major, v->minor, v->micro, host->arch->token,
			     u.release, (unsigned long long)host->bounding, host->supported_flags,
			     opt && opt->unknown_syscalls_fatal, opt && opt->linear,
			     opt && opt->libseccomp);
	n = put_hex(head, n, sizeof(head), name_sha);
	n += (size_t)snprintf(head + n, sizeof(head) - n, "\nprofile ");
	n = put_hex(head, n, sizeof(head), text_sha);
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
	put_hex(name, 0, 72, key);
	memcpy(name + 64, ".bpf", 5);
}

/* The entry's bytes, when its seal (the SHA-256 of them, in an attribute
 * only CAP_SYS_ADMIN may read or write) matches; NULL otherwise. */
static char *read_sealed(int fd, const struct stat *st)
{
	uint8_t want[32], got[32];
	char *buf;

	if (st->st_size <= 0 || st->st_size > ENTRY_MAX ||
	    fgetxattr(fd, SEAL_XATTR, want, sizeof(want)) != (ssize_t)sizeof(want))
		return NULL;
	buf = malloc((size_t)st->st_size);
	if (!buf || pread(fd, buf, (size_t)st->st_size, 0) != st->st_size)
		goto bad;
	shim_sha256(buf, (size_t)st->st_size, got);
	if (memcmp(want, got, sizeof(got)) == 0)
		return buf;
bad:
	free(buf);
	return NULL;
}

static uint32_t get_u32(const char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* The warnings after the program: a count, then per warning its kind,
 * line, column and the lengths of its message, of the name a "did you
 * mean" is for (0: none), of its file and of its JSON path, then those
 * four strings. Added to warn only when all of it reads. */
static int decode_warnings(const char *p, size_t len, struct shim_warnings *warn)
{
	struct shim_warnings got = { 0 };
	uint32_t n;

	if (len < 4 || (n = get_u32(p)) > WARNINGS_MAX)
		return -1;
	p += 4;
	len -= 4;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t kind, lens[4];
		char str[4][WARNING_BYTES_MAX + 1];
		size_t total = 0;

		if (len < WARNING_HEAD)
			goto bad;
		kind = get_u32(p);
		for (int k = 0; k < 4; k++) {
			lens[k] = get_u32(p + 12 + 4 * k);
			if (lens[k] > WARNING_BYTES_MAX)
				goto bad;
			total += lens[k];
		}
		struct shim_diag place = { .code = "unknown-syscall", .line = get_u32(p + 4),
					   .col = get_u32(p + 8) };
		p += WARNING_HEAD;
		len -= WARNING_HEAD;
		if (kind != SHIM_WARNING_UNKNOWN_SYSCALL || len < total)
			goto bad;
		for (int k = 0; k < 4; k++) {
			memcpy(str[k], p, lens[k]);
			str[k][lens[k]] = '\0';
			if (strlen(str[k]) != lens[k])
				goto bad;
			p += lens[k];
			len -= lens[k];
		}
		place.file = str[2];
		place.path = str[3];
		shim_warn_note(&got, SHIM_WARNING_UNKNOWN_SYSCALL, lens[1] ? str[1] : NULL, &place,
			       "%s", str[0]);
	}
	if (len != 0 || got.n != n)
		goto bad;
	for (size_t i = 0; i < got.n; i++)
		shim_warn_note(warn, got.notes[i].kind, got.notes[i].suggest_for, &got.v[i], "%s",
			       got.v[i].message);
	shim_warnings_free(&got);
	return 0;
bad:
	shim_warnings_free(&got);
	return -1;
}

int shim_cache_load(const char *dir, const uint8_t key[32], const struct shim_host *host,
		    struct shim_filter *out, struct shim_warnings *warn)
{
	char name[72], *buf = NULL;
	struct stat st;
	size_t used = 0;
	int dfd, fd, r = -1;

	memset(out, 0, sizeof(*out));
	if (geteuid() != 0 || (dfd = open_dir(dir)) < 0)
		return 0;
	entry_name(key, name);
	fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	close(dfd);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && root_only(&st))
		buf = read_sealed(fd, &st);
	close(fd);
	if (buf)
		r = shim_bpf_file_decode(buf, (size_t)st.st_size, name, host, key, out, &used, NULL);
	if (r == 0 && decode_warnings(buf + used, (size_t)st.st_size - used, warn) < 0) {
		shim_filter_free(out);
		r = -1;
	}
	free(buf);
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

/* Keeps the newest CACHE_ENTRIES_MAX entries. Listing the directory is
 * all a store pays until it is full; only then are entries stat'ed. */
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
		size_t len = strlen(d->d_name);

		if (len != 68 || strcmp(d->d_name + 64, ".bpf") != 0)
			continue;
		if (n == ARRAY_SIZE(e)) {
			/* Too many to sort here: drop this one outright. */
			unlinkat(dfd, d->d_name, 0);
			continue;
		}
		memcpy(e[n++].name, d->d_name, len + 1);
	}
	closedir(dp);
	if (n <= CACHE_ENTRIES_MAX)
		return;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		e[i].mtime = fstatat(dfd, e[i].name, &st, AT_SYMLINK_NOFOLLOW) == 0 ? st.st_mtime : 0;
	}
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

static void put_u32(char *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* Warning i's message, "did you mean" name ("" for none, or when it is
 * in the message already), file and JSON path. */
static void warning_strings(const struct shim_warnings *w, size_t i, const char *str[4])
{
	const struct shim_warning_note *note = &w->notes[i];

	str[0] = w->v[i].message;
	str[1] = note->suggest_for && !note->done ? note->suggest_for : "";
	str[2] = w->v[i].file ? w->v[i].file : "";
	str[3] = w->v[i].path ? w->v[i].path : "";
}

/* The entry's bytes: the filter file, then the warnings (decode_warnings
 * reads them); NULL when they do not fit or are not all cacheable. */
static char *encode_entry(const struct shim_profile *p, const struct shim_host *host,
			  const struct shim_filter *f, const uint8_t key[32],
			  const struct shim_warnings *warn, size_t *len)
{
	size_t n = warn ? warn->n : 0, size = shim_bpf_file_size(f) + 4, at;
	char *buf;

	if (n > WARNINGS_MAX || !shim_warnings_all(warn, SHIM_WARNING_UNKNOWN_SYSCALL))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const char *str[4];
		warning_strings(warn, i, str);
		size += WARNING_HEAD;
		for (int k = 0; k < 4; k++) {
			if (strlen(str[k]) > WARNING_BYTES_MAX)
				return NULL;
			size += strlen(str[k]);
		}
	}
	if (size > ENTRY_MAX || !(buf = malloc(size)))
		return NULL;
	shim_bpf_file_encode(buf, p, host, f, key);
	at = shim_bpf_file_size(f);
	put_u32(buf + at, (uint32_t)n);
	at += 4;
	for (size_t i = 0; i < n; i++) {
		const char *str[4];
		warning_strings(warn, i, str);
		put_u32(buf + at, SHIM_WARNING_UNKNOWN_SYSCALL);
		put_u32(buf + at + 4, warn->v[i].line);
		put_u32(buf + at + 8, warn->v[i].col);
		for (int k = 0; k < 4; k++)
			put_u32(buf + at + 12 + 4 * k, (uint32_t)strlen(str[k]));
		at += WARNING_HEAD;
		for (int k = 0; k < 4; k++) {
			memcpy(buf + at, str[k], strlen(str[k]));
			at += strlen(str[k]);
		}
	}
	*len = size;
	return buf;
}

int shim_cache_store(const char *dir, const uint8_t key[32], const struct shim_profile *p,
		     const struct shim_host *host, const struct shim_filter *f,
		     const struct shim_warnings *warn)
{
	char name[72], tmp[100], *buf;
	uint8_t seal[32];
	size_t len;
	int dfd, fd, r = -1;

	if (geteuid() != 0 || !(buf = encode_entry(p, host, f, key, warn, &len)))
		return -1;
	/* The seal covers the bytes made here, not whatever the file holds
	 * by the time it is set. */
	shim_sha256(buf, len, seal);
	if ((dfd = make_dir(dir)) < 0) {
		free(buf);
		return -1;
	}
	entry_name(key, name);
	fd = create_temp(dfd, name, tmp, sizeof(tmp));
	if (fd >= 0) {
		/* renameat replaces atomically: a racing reader sees one whole
		 * file. */
		r = fchmod(fd, 0644) == 0 && write(fd, buf, len) == (ssize_t)len &&
				    fsetxattr(fd, SEAL_XATTR, seal, sizeof(seal), 0) == 0 &&
				    renameat(dfd, tmp, dfd, name) == 0
			    ? 0
			    : -1;
		if (r < 0)
			unlinkat(dfd, tmp, 0);
		close(fd);
	}
	if (r == 0)
		evict(dfd);
	close(dfd);
	free(buf);
	return r;
}

bool shim_cache_usable(void)
{
	return geteuid() == 0 && (shim_caps_read_permitted() & (1ULL << CAP_SYS_ADMIN));
}
