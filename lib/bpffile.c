/* bpffile: the compiled filter file format (struct bpf_file_header),
 * written by export (shim_bpf_file_write) and read by the run and the
 * cache (lib/cache.c: an entry is such a file and a seal).
 *
 * MUST: a compiled filter file is only used on a machine that matches
 * what it was resolved for.
 */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include "internal.h"

/* Version 1 files hold for the kernel they were compiled on when the
 * profile has minKernel conditions; version 2 ones for every kernel on
 * which those conditions resolve the same way. Both are read. */
#define BPF_FILE_MAGIC_V1 "SHIMBPF1"
#define BPF_FILE_MAGIC "SHIMBPF2"

struct bpf_file_header {
	char magic[8];
	uint32_t arch; /* libseccomp token of the arch it was resolved for */
	/* v1: the kernel it was resolved on; v2: the lowest kernel it holds
	 * for (the highest minKernel at or below that one, or 0.0). */
	uint32_t kernel_major, kernel_minor;
	uint32_t flags; /* seccomp filter flags */
	uint64_t caps; /* the capabilities includes/excludes were resolved with */
	uint64_t caps_named; /* the ones they name: only those must match */
	uint32_t n_insns;
	/* v1: a minKernel condition was resolved; v2: the first kernel it no
	 * longer holds for (major << 16 | minor: the lowest minKernel above
	 * the one it was resolved on), 0 for none. */
	uint32_t kernel_matters;
	uint8_t profile_sha256[32];
	uint8_t program_sha256[32];
};

static uint32_t kernel_pack(unsigned major, unsigned minor)
{
	return (major > 0xffff ? 0xffff : major) << 16 | (minor > 0xffff ? 0xffff : minor);
}

/* The kernels on which p's minKernel conditions resolve as on host's:
 * [lo, hi), hi 0 for no end. */
static void kernel_range(const struct shim_profile *p, const struct shim_host *host, uint32_t *lo,
			 uint32_t *hi)
{
	uint32_t k = kernel_pack(host->kernel_major, host->kernel_minor);

	*lo = 0;
	*hi = 0;
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct shim_condition *c[2] = { &p->rules[i].includes, &p->rules[i].excludes };
		for (int j = 0; j < 2; j++) {
			uint32_t t = kernel_pack(c[j]->min_kernel_major, c[j]->min_kernel_minor);
			if (!c[j]->has_min_kernel)
				continue;
			if (t <= k && t > *lo)
				*lo = t;
			if (t > k && (*hi == 0 || t < *hi))
				*hi = t;
		}
	}
}

/* Whether host's kernel is one the file holds for; what it holds for,
 * for a message, in want. */
static bool kernel_fits(const struct bpf_file_header *h, const struct shim_host *host,
			char *want, size_t len)
{
	uint32_t k = kernel_pack(host->kernel_major, host->kernel_minor);
	uint32_t lo = kernel_pack(h->kernel_major, h->kernel_minor), hi = h->kernel_matters;

	if (memcmp(h->magic, BPF_FILE_MAGIC_V1, sizeof(h->magic)) == 0) {
		snprintf(want, len, "kernel %u.%u", h->kernel_major, h->kernel_minor);
		return !h->kernel_matters || k == lo;
	}
	if (hi)
		snprintf(want, len, "kernels %u.%u up to %u.%u", lo >> 16, lo & 0xffff, hi >> 16,
			 hi & 0xffff);
	else
		snprintf(want, len, "kernels from %u.%u on", lo >> 16, lo & 0xffff);
	return k >= lo && (!hi || k < hi);
}

size_t shim_bpf_file_size(const struct shim_filter *f)
{
	return sizeof(struct bpf_file_header) + f->n_insns * sizeof(f->insns[0]);
}

void shim_bpf_file_encode(void *buf, const struct shim_profile *p, const struct shim_host *host,
			  const struct shim_filter *f, const uint8_t *key)
{
	struct bpf_file_header h = {
		.arch = host->arch->token,
		.flags = f->flags,
		.caps = host->bounding,
		.n_insns = (uint32_t)f->n_insns,
	};
	size_t size = f->n_insns * sizeof(f->insns[0]);
	uint32_t lo;

	for (size_t i = 0; i < p->n_rules; i++)
		h.caps_named |= p->rules[i].includes.caps | p->rules[i].excludes.caps;
	h.caps &= h.caps_named;
	kernel_range(p, host, &lo, &h.kernel_matters);
	h.kernel_major = lo >> 16;
	h.kernel_minor = lo & 0xffff;
	memcpy(h.magic, BPF_FILE_MAGIC, sizeof(h.magic));
	if (key)
		memcpy(h.profile_sha256, key, sizeof(h.profile_sha256));
	else
		shim_sha256(p->text, p->text_len, h.profile_sha256);
	shim_sha256(f->insns, size, h.program_sha256);
	memcpy(buf, &h, sizeof(h));
	memcpy((char *)buf + sizeof(h), f->insns, size);
}

int shim_bpf_file_write(int fd, const struct shim_profile *p, const struct shim_host *host,
			const struct shim_filter *f, struct shim_error *err)
{
	size_t size = shim_bpf_file_size(f);
	char *buf = malloc(size);
	ssize_t n;

	if (!buf) {
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	shim_bpf_file_encode(buf, p, host, f, NULL);
	n = write(fd, buf, size);
	free(buf);
	if (n != (ssize_t)size) {
		shim_error_set(err, n < 0 ? errno : EIO, "cannot write the compiled filter: %s",
			       strerror(n < 0 ? errno : EIO));
		return -1;
	}
	return 0;
}

int shim_bpf_file_read(const char *path, const struct shim_host *host,
		       struct shim_filter *out, struct shim_error *err)
{
	int r, fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;

	memset(out, 0, sizeof(*out));
	if (fd < 0) {
		shim_error_set(err, errno, "%s: cannot open the compiled filter: %s", path, strerror(errno));
		return -1;
	}
	/* Whoever may write the file decides the filter: only us or root. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    ((st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & 022))) {
		shim_error_set(err, EPERM, "%s: the compiled filter belongs to uid %u with mode %03o: it must belong to root%s and be writable by no one else (chown, chmod go-w), since whoever can write it decides the filter",
			       path, (unsigned)st.st_uid, (unsigned)(st.st_mode & 0777),
			       geteuid() ? " or you" : "");
		close(fd);
		return -1;
	}
	r = shim_bpf_file_read_fd(fd, path, host, NULL, out, err);
	close(fd);
	return r;
}

/* The largest file: a header and BPF_MAXINSNS instructions. */
#define BPF_FILE_MAX (sizeof(struct bpf_file_header) + BPF_MAXINSNS * sizeof(struct sock_filter))

int shim_bpf_file_read_fd(int fd, const char *path, const struct shim_host *host,
			  const uint8_t *want_key, struct shim_filter *out, struct shim_error *err)
{
	struct stat st;
	char *buf = NULL;
	size_t used = 0;
	int r = -1;

	memset(out, 0, sizeof(*out));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (size_t)st.st_size > BPF_FILE_MAX || !(buf = malloc((size_t)st.st_size)) ||
	    read(fd, buf, (size_t)st.st_size) != st.st_size) {
		shim_error_set(err, EINVAL, "%s: not a filter written by seccomp-shim compile (or cut short)", path);
		goto out;
	}
	r = shim_bpf_file_decode(buf, (size_t)st.st_size, path, host, want_key, out, &used, err);
	if (r == 0 && used != (size_t)st.st_size) {
		shim_filter_free(out);
		shim_error_set(err, EINVAL, "%s: not a filter written by seccomp-shim compile (it goes on after the program)", path);
		r = -1;
	}
out:
	free(buf);
	return r;
}

int shim_bpf_file_decode(const void *buf, size_t len, const char *path, const struct shim_host *host,
			 const uint8_t *want_key, struct shim_filter *out, size_t *used,
			 struct shim_error *err)
{
	struct bpf_file_header h;
	uint8_t sum[32];
	const struct shim_arch_info *a;
	char want[1024];

	memset(out, 0, sizeof(*out));
	if (len >= sizeof(h))
		memcpy(&h, buf, sizeof(h));
	if (len < sizeof(h) ||
	    (memcmp(h.magic, BPF_FILE_MAGIC, sizeof(h.magic)) != 0 &&
	     memcmp(h.magic, BPF_FILE_MAGIC_V1, sizeof(h.magic)) != 0) ||
	    h.n_insns == 0 || h.n_insns > BPF_MAXINSNS ||
	    len - sizeof(h) < h.n_insns * sizeof(struct sock_filter)) {
		shim_error_set(err, EINVAL, "%s: not a filter written by seccomp-shim compile (or cut short)", path);
		return -1;
	}
	if (want_key && memcmp(want_key, h.profile_sha256, sizeof(h.profile_sha256)) != 0) {
		shim_error_set(err, EINVAL, "%s: made for another profile or options", path);
		return -1;
	}
	out->insns = malloc(h.n_insns * sizeof(*out->insns));
	if (!out->insns) {
		shim_error_set(err, ENOMEM, "%s: out of memory", path);
		goto fail;
	}
	memcpy(out->insns, (const char *)buf + sizeof(h), h.n_insns * sizeof(*out->insns));
	*used = sizeof(h) + h.n_insns * sizeof(*out->insns);
	out->n_insns = h.n_insns;
	out->flags = h.flags;
	shim_sha256(out->insns, h.n_insns * sizeof(*out->insns), sum);
	if (memcmp(sum, h.program_sha256, sizeof(sum)) != 0) {
		shim_error_set(err, EINVAL, "%s: the program does not match its checksum: the file was changed", path);
		goto fail;
	}
	a = shim_arch_by_token(h.arch);
	if (h.arch != host->arch->token) {
		shim_error_set(err, EINVAL, "%s: compiled for %s, but this machine is %s: compile it here",
			       path, a ? a->oci : "another architecture", host->arch->oci);
		goto fail;
	}
	if (!kernel_fits(&h, host, want, sizeof(want))) {
		shim_error_set(err, EINVAL, "%s: compiled for %s, but this one is %u.%u (its minKernel rules resolve otherwise): compile it here",
			       path, want, host->kernel_major, host->kernel_minor);
		goto fail;
	}
	if (h.caps != (host->bounding & h.caps_named)) {
		shim_caps_format(h.caps ^ (host->bounding & h.caps_named), want, sizeof(want));
		shim_error_set(err, EINVAL, "%s: compiled for a command holding other capabilities among those its includes/excludes name (they differ in %s); compile it with --caps set to what the command holds here",
			       path, want);
		goto fail;
	}
	if ((h.flags & ~host->supported_flags) != 0) {
		shim_error_set(err, EINVAL, "%s: uses filter flags %#x this kernel does not support", path,
			       h.flags & ~host->supported_flags);
		goto fail;
	}
	return 0;
fail:
	shim_filter_free(out);
	return -1;
}
