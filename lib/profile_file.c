/* source: a profile file read whole, and the file functions of the
 * public API (shim_profile_load, shim_profile_load_fd) that read one and
 * hand it to the parser (lib/profile.c).
 *
 * MUST: only a regular file is read, never more than PROFILE_MAX_BYTES,
 * with a bounded read loop: a FIFO, a device (/dev/zero) or a directory
 * is refused before any read, so nothing can make the shim wait or read
 * forever. Descriptors are opened O_CLOEXEC | O_NOCTTY | O_NONBLOCK.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* Larger than any real profile (Docker's is ~20 KiB), small enough to
 * refuse /dev/zero and hostile input early. */
#define PROFILE_MAX_BYTES (4u << 20)

static const char *file_kind(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR: return "a directory";
	case S_IFIFO: return "a FIFO or pipe";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFSOCK: return "a socket";
	}
	return "not a regular file";
}

/* Reads the whole file with a bounded read loop; fd stays open. Only
 * regular files: a FIFO, a device (/dev/zero) or a directory is refused
 * before any read, so nothing can make the shim wait or read forever.
 * The buffer is one byte larger than the file: a read that does not fill
 * it has reached the end (a regular file's reads are short only there),
 * so a profile takes one read(2). A file that grows meanwhile is read on. */
int shim_read_profile_fd(int fd, const char *path, char **out, size_t *len,
			 struct shim_error *err)
{
	struct stat st;
	size_t cap, used = 0;
	char *buf;

	if (fstat(fd, &st) < 0) {
		shim_error_at(err, errno, "unreadable", path, 0, 0, NULL, "cannot stat the profile: %s", strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		shim_error_at(err, EINVAL, "not-a-regular-file", path, 0, 0, NULL, "is %s; a profile must be a regular JSON file", file_kind(st.st_mode));
		return -1;
	}
	if ((uint64_t)st.st_size > PROFILE_MAX_BYTES) {
		shim_error_at(err, EFBIG, "file-too-large", path, 0, 0, NULL, "is %llu bytes; a seccomp profile is at most %u MiB", (unsigned long long)st.st_size, PROFILE_MAX_BYTES >> 20);
		return -1;
	}
	cap = (size_t)st.st_size + 1;
	buf = malloc(cap);
	for (;;) {
		ssize_t n;

		if (!buf) {
			shim_error_at(err, ENOMEM, "out-of-memory", path, 0, 0, NULL, "out of memory");
			return -1;
		}
		if (used == cap) {
			/* The file grew while being read. */
			size_t want = cap * 2 > PROFILE_MAX_BYTES ? PROFILE_MAX_BYTES : cap * 2;
			char *grown = cap >= PROFILE_MAX_BYTES ? NULL : realloc(buf, want);
			if (!grown) {
				free(buf);
				shim_error_at(err, EFBIG, "file-too-large", path, 0, 0, NULL, "larger than %u MiB; a seccomp profile is smaller", PROFILE_MAX_BYTES >> 20);
				return -1;
			}
			buf = grown;
			cap = want;
		}
		n = read(fd, buf + used, cap - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			shim_error_at(err, errno, "unreadable", path, 0, 0, NULL, "cannot read the profile: %s", strerror(errno));
			free(buf);
			return -1;
		}
		if (n == 0)
			break;
		used += (size_t)n;
		if (used < cap)
			break; /* short: the end of the file */
	}
	*out = buf;
	*len = used;
	return 0;
}

int shim_profile_load_fd(int fd, const char *display_name, struct shim_profile **out,
			 struct shim_warnings *warn, struct shim_error *err)
{
	char *text;
	size_t len;
	int r;

	if (shim_read_profile_fd(fd, display_name, &text, &len, err) < 0)
		return -1;
	r = shim_profile_parse(display_name, text, len, out, warn, err);
	free(text);
	return r;
}

int shim_profile_load(const char *path, struct shim_profile **out,
		      struct shim_warnings *warn, struct shim_error *err)
{
	int r, fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0) {
		shim_error_at(err, errno, "unreadable", path, 0, 0, NULL, "cannot open the profile: %s",
			       strerror(errno));
		return -1;
	}
	r = shim_profile_load_fd(fd, path, out, warn, err);
	close(fd);
	return r;
}
