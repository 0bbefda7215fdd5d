/* syscalls: libseccomp's syscall names and numbers, from a table.
 *
 * build/lib/syscall-table.inc is written at build time by gen/gen-syscalls
 * from the libseccomp the shim is built with: every name libseccomp knows,
 * what it resolves to on each architecture, and the name libseccomp gives
 * each of those numbers back. A lookup is a binary search here instead of
 * a libseccomp call per name per architecture (Docker's profile names
 * about 420 syscalls, and a filter covers three architectures).
 *
 * MUST: every answer is the one libseccomp (of the version in the table)
 * gives: tests/unit/test_syscalls.c compares both for every name on every
 * architecture and for every number in a wide range. Numbers no name
 * resolves to (explain walks all of them) are handed to libseccomp.
 */
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "syscall-hash.h"

#include "syscall-table.inc"

/* The arch's column in the table, or -1. 0 is the native arch. */
static int column(uint32_t arch)
{
	if (arch == SCMP_ARCH_NATIVE)
		arch = seccomp_arch_native();
	for (int a = 0; a < TABLE_ARCHES; a++)
		if (table_arches[a] == arch)
			return a;
	return -1;
}

static const char *name_at(size_t i)
{
	return table_pool + table_name_at[i];
}

/* The name's row in the table, or -1. */
static long row(const char *name)
{
	uint32_t at = syscall_name_hash(name) & (SYSCALL_HASH_SLOTS - 1);

	/* The table is at most half full: a free slot ends every probe. */
	for (; table_hash[at]; at = (at + 1) & (SYSCALL_HASH_SLOTS - 1))
		if (strcmp(name, name_at(table_hash[at] - 1u)) == 0)
			return (long)table_hash[at] - 1;
	return -1;
}

int shim_syscall_resolve_name_arch(uint32_t arch, const char *name)
{
	int a = column(arch);
	long r;

	if (!name)
		return __NR_SCMP_ERROR;
	if (a < 0) /* an arch the table does not serve: libseccomp says */
		return seccomp_syscall_resolve_name_arch(arch, name);
	r = row(name);
	return r < 0 ? __NR_SCMP_ERROR : table_nr[r][a];
}

int shim_syscall_resolve_name(const char *name)
{
	return shim_syscall_resolve_name_arch(SCMP_ARCH_NATIVE, name);
}

const char *shim_syscall_resolve_num_arch(uint32_t arch, int nr)
{
	int a = column(arch);
	char *name;
	long r;

	if (a >= 0) {
		size_t lo = table_back_at[a], hi = table_back_at[a + 1];
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (table_back_nr[mid] == nr)
				return table_back_name[mid] < 0 ? NULL : name_at((size_t)table_back_name[mid]);
			if (nr < table_back_nr[mid])
				hi = mid;
			else
				lo = mid + 1;
		}
	}
	/* A number no name resolves to (MIPS takes 4001 and 1 alike): ask
	 * libseccomp, and answer with the table's copy of the name. */
	name = seccomp_syscall_resolve_num_arch(arch, nr);
	r = name ? row(name) : -1;
	free(name);
	return r < 0 ? NULL : name_at((size_t)r);
}

void shim_syscall_table_version(unsigned *major, unsigned *minor, unsigned *micro)
{
	*major = TABLE_VERSION_MAJOR;
	*minor = TABLE_VERSION_MINOR;
	*micro = TABLE_VERSION_MICRO;
}

/* A name with a real number (not a pseudo one) on some architecture. */
static bool real_somewhere(size_t r)
{
	for (int a = 0; a < TABLE_ARCHES; a++)
		if (table_nr[r][a] >= 0)
			return true;
	return false;
}

bool shim_syscall_known(const char *name)
{
	long r = row(name);
	return r >= 0 && real_somewhere((size_t)r);
}

/* Edit distance, stopping early once it exceeds limit. */
size_t shim_edit_distance(const char *a, const char *b, size_t limit)
{
	size_t la = strlen(a), lb = strlen(b), row_[64], prev;

	if (la >= ARRAY_SIZE(row_) || lb >= ARRAY_SIZE(row_))
		return limit + 1;
	for (size_t j = 0; j <= lb; j++)
		row_[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t best;
		prev = row_[0];
		row_[0] = best = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cur = row_[j];
			size_t sub = prev + (a[i - 1] != b[j - 1]);
			size_t v = row_[j] + 1 < row_[j - 1] + 1 ? row_[j] + 1 : row_[j - 1] + 1;
			row_[j] = sub < v ? sub : v;
			prev = cur;
			if (row_[j] < best)
				best = row_[j];
		}
		if (best > limit)
			return limit + 1;
	}
	return row_[lb];
}

/* Only called to show a message: a scan of the names in the table. */
const char *shim_syscall_suggest(const char *name)
{
	size_t best = 3, len = strlen(name);
	const char *found = NULL;

	/* Short names are too easy to confuse: allow fewer edits. */
	if (len <= 4)
		best = 2;
	for (size_t r = 0; r < TABLE_NAMES; r++) {
		size_t d;
		/* The length difference alone is a lower bound. */
		size_t ln = strlen(name_at(r)), diff = ln > len ? ln - len : len - ln;
		if (diff >= best || !real_somewhere(r))
			continue;
		d = shim_edit_distance(name, name_at(r), best - 1);
		if (d < best) {
			best = d;
			found = name_at(r);
		}
	}
	return found;
}

size_t shim_syscall_arch_count(void)
{
	return TABLE_ARCHES;
}

uint32_t shim_syscall_arch_at(size_t i)
{
	return i < TABLE_ARCHES ? table_arches[i] : 0;
}

/* The back table holds each arch's numbers sorted, pseudo ones (below 0)
 * first; *cursor is a position in it (0: the start). */
bool shim_syscall_next(uint32_t arch, size_t *cursor, int *nr, const char **name)
{
	int a = column(arch);
	size_t at;

	if (a < 0)
		return false;
	at = table_back_at[a] + *cursor;
	for (; at < table_back_at[a + 1]; at++) {
		if (table_back_nr[at] < 0 || table_back_name[at] < 0)
			continue;
		*nr = table_back_nr[at];
		*name = name_at((size_t)table_back_name[at]);
		*cursor = at + 1 - table_back_at[a];
		return true;
	}
	return false;
}
