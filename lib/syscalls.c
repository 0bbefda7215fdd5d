/* syscalls: libseccomp's syscall names and numbers, from a table.
 *
 * build/lib/syscall-table.inc is written at build time by gen/gen-syscalls
 * from the libseccomp the shim is built with: every name libseccomp knows,
 * what it resolves to on each architecture, and the name libseccomp gives
 * each of those numbers back. A lookup is a binary search here instead of
 * a libseccomp call per name per architecture (Docker's profile names
 * about 420 syscalls, and a filter covers three architectures).
 *
 * Numbers libseccomp names but no name resolves to (i386's socket is 359;
 * "socket" resolves to a pseudo number) are in a second array, so that
 * shim_syscall_next walks only the back map while a lookup sees every
 * named number of the ranges gen-syscalls scanned.
 *
 * MUST: every answer is the one libseccomp (of the version in the table)
 * gives: tests/unit/test_syscalls.c compares both for every name on every
 * architecture, for every number in a wide range, and for the lowest
 * number of a range with a socket or ipc call's name. Numbers the table
 * does not hold are handed to libseccomp; a range the table does not
 * cover is refused, never answered in part.
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

/* The first of v[lo, hi) (sorted) not below nr. */
static size_t lower_bound(const int32_t *v, size_t lo, size_t hi, int nr)
{
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (v[mid] < nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* nr's name in one of arch column a's runs: true if the run holds nr,
 * with *name its name (NULL: libseccomp gives none). */
static bool run_find(const uint32_t *at, const int32_t *nrs, const int16_t *names, int a, int nr,
		     const char **name)
{
	size_t i = lower_bound(nrs, at[a], at[a + 1], nr);

	if (i == at[a + 1] || nrs[i] != nr)
		return false;
	*name = names[i] < 0 ? NULL : name_at((size_t)names[i]);
	return true;
}

const char *shim_syscall_resolve_num_arch(uint32_t arch, int nr)
{
	int a = column(arch);
	const char *found;
	char *name;
	long r;

	if (a >= 0 && (run_find(table_back_at, table_back_nr, table_back_name, a, nr, &found) ||
		       run_find(table_extra_at, table_extra_nr, table_extra_name, a, nr, &found)))
		return found;
	/* An arch or a number the table does not hold: ask libseccomp, and
	 * answer with the table's copy of the name. */
	name = seccomp_syscall_resolve_num_arch(arch, nr);
	r = name ? row(name) : -1;
	free(name);
	return r < 0 ? NULL : name_at((size_t)r);
}

/* Whether the ranges gen-syscalls scanned hold all of [lo, hi). */
static bool scanned(int lo, int hi)
{
	long at = lo;

	for (size_t s = 0; s < ARRAY_SIZE(table_scanned) && at < hi; s++)
		if (table_scanned[s].lo <= at && at <= table_scanned[s].hi)
			at = (long)table_scanned[s].hi + 1;
	return at >= hi;
}

/* The lowest number of [lo, hi) in one of column a's runs whose name is
 * row r, in *nr: false if none. */
static bool run_lowest(const uint32_t *at, const int32_t *nrs, const int16_t *names, int a,
		       long r, int lo, int hi, int *nr)
{
	for (size_t i = lower_bound(nrs, at[a], at[a + 1], lo); i < at[a + 1] && nrs[i] < hi; i++)
		if (names[i] == r) {
			*nr = nrs[i];
			return true;
		}
	return false;
}

int shim_syscall_lowest_num(uint32_t arch, const char *name, int lo, int hi, int *nr)
{
	int a = column(arch), back, extra;
	bool in_back, in_extra;
	long r;

	if (a < 0 || !scanned(lo, hi))
		return -1;
	/* A name the table lacks names no number of the scanned ranges. */
	r = row(name);
	if (r < 0)
		return 0;
	in_back = run_lowest(table_back_at, table_back_nr, table_back_name, a, r, lo, hi, &back);
	in_extra = run_lowest(table_extra_at, table_extra_nr, table_extra_name, a, r, lo, hi, &extra);
	if (!in_back && !in_extra)
		return 0;
	*nr = !in_extra || (in_back && back < extra) ? back : extra;
	return 1;
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
