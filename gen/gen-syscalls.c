/* gen-syscalls: writes libseccomp's syscall name <-> number tables as C
 * data (build/lib/syscall-table.inc), for lib/syscalls.c. Runs on the
 * build host, against the libseccomp the shim is built with.
 *
 * libseccomp has no call that lists its names, so they are found by
 * asking for the name of every number its tables can hold, on every
 * architecture: real numbers (0..7999, which covers the MIPS bases, and
 * the x32 and ARM private ranges) and pseudo numbers (-11000..-1). Then
 * every name is resolved on every architecture, and every number a name
 * resolves to is resolved back. The numbers of those ranges libseccomp
 * names but no name resolves to (i386's socket is 359, yet "socket"
 * resolves to a pseudo number; MIPS o32 names 3 "read" as well as 4003)
 * are kept apart, so that with the back map they make every named number
 * of the ranges. The output holds libseccomp's answers only;
 * lib/syscalls.c adds no rule of its own, and a unit test compares both
 * over every name and a wide range of numbers.
 *
 * Exits non-zero (and the build stops) on anything inconsistent, such as
 * a number whose name is not among the names found.
 */
#include <seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syscall-hash.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define NAMES_MAX 4096

/* Every architecture this libseccomp may know; the ones it does not are
 * left out of the table (lib/syscalls.c then asks libseccomp). */
static const uint32_t candidates[] = {
	SCMP_ARCH_X86, SCMP_ARCH_X86_64, SCMP_ARCH_X32, SCMP_ARCH_ARM, SCMP_ARCH_AARCH64,
	SCMP_ARCH_MIPS, SCMP_ARCH_MIPS64, SCMP_ARCH_MIPS64N32, SCMP_ARCH_MIPSEL,
	SCMP_ARCH_MIPSEL64, SCMP_ARCH_MIPSEL64N32, SCMP_ARCH_PPC, SCMP_ARCH_PPC64,
	SCMP_ARCH_PPC64LE, SCMP_ARCH_S390, SCMP_ARCH_S390X, SCMP_ARCH_PARISC,
	SCMP_ARCH_PARISC64, SCMP_ARCH_RISCV64,
#ifdef SCMP_ARCH_LOONGARCH64
	SCMP_ARCH_LOONGARCH64,
#endif
#ifdef SCMP_ARCH_M68K
	SCMP_ARCH_M68K,
#endif
#ifdef SCMP_ARCH_SH
	SCMP_ARCH_SH, SCMP_ARCH_SHEB,
#endif
};

static const struct {
	long lo, hi;
} ranges[] = {
	{ -11000, -1 }, { 0, 7999 }, { 0x0f0000, 0x0f0fff }, { 0x40000000, 0x40000fff },
};

static char *names[NAMES_MAX];
static size_t n_names;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static long name_index(const char *name)
{
	char **hit = bsearch(&name, names, n_names, sizeof(*names), cmp_str);
	return hit ? hit - names : -1;
}

static void add_name(char *name)
{
	for (size_t i = 0; i < n_names; i++)
		if (strcmp(names[i], name) == 0) {
			free(name);
			return;
		}
	if (n_names == NAMES_MAX) {
		fprintf(stderr, "gen-syscalls: more than %d names\n", NAMES_MAX);
		exit(1);
	}
	names[n_names++] = name;
}

struct by_nr {
	int32_t nr;
	long name;
};

static int cmp_nr(const void *a, const void *b)
{
	const struct by_nr *x = a, *y = b;
	return x->nr < y->nr ? -1 : x->nr > y->nr;
}

/* back: sorted by number. */
static bool in_back(const struct by_nr *back, size_t n, int32_t nr)
{
	struct by_nr key = { nr, 0 };

	return bsearch(&key, back, n, sizeof(*back), cmp_nr) != NULL;
}

/* Arch's named numbers of the ranges that are not in its back map, in
 * number order (the ranges are sorted). */
static size_t find_extras(uint32_t arch, const struct by_nr *back, size_t n_back,
			  struct by_nr *extra)
{
	size_t n = 0;

	for (size_t r = 0; r < ARRAY_SIZE(ranges); r++)
		for (long nr = ranges[r].lo; nr <= ranges[r].hi; nr++) {
			char *name = seccomp_syscall_resolve_num_arch(arch, (int)nr);
			long at = name ? name_index(name) : -1;

			if (name && at < 0) {
				fprintf(stderr, "gen-syscalls: %ld on arch %#x is \"%s\", not a name found\n",
					nr, arch, name);
				exit(1);
			}
			free(name);
			if (at < 0 || in_back(back, n_back, (int32_t)nr))
				continue;
			if (n == NAMES_MAX) {
				fprintf(stderr, "gen-syscalls: more than %d extra numbers on arch %#x\n",
					NAMES_MAX, arch);
				exit(1);
			}
			extra[n++] = (struct by_nr){ (int32_t)nr, at };
		}
	return n;
}

/* Arrays of per-arch runs: at[a] is where arch a's start. C has no empty
 * array, so an unused 0 stands in when there are none. */
static void print_runs(const char *prefix, struct by_nr (*v)[NAMES_MAX], const size_t *n,
		       size_t n_arches)
{
	size_t total = 0;

	printf("static const uint32_t table_%s_at[TABLE_ARCHES + 1] = {", prefix);
	for (size_t a = 0; a < n_arches; a++) {
		printf(" %zu,", total);
		total += n[a];
	}
	printf(" %zu };\n", total);
	printf("static const int32_t table_%s_nr[] = {", prefix);
	for (size_t a = 0; a < n_arches; a++)
		for (size_t k = 0; k < n[a]; k++)
			printf("%s%d,", k % 10 ? " " : "\n\t", v[a][k].nr);
	printf("%s\n};\nstatic const int16_t table_%s_name[] = {", total ? "" : " 0", prefix);
	for (size_t a = 0; a < n_arches; a++)
		for (size_t k = 0; k < n[a]; k++)
			printf("%s%ld,", k % 12 ? " " : "\n\t", v[a][k].name);
	printf("%s\n};\n", total ? "" : " 0");
}

int main(void)
{
	const struct scmp_version *v = seccomp_version();
	uint32_t arches[ARRAY_SIZE(candidates)];
	size_t n_arches = 0, pool = 0;
	static int32_t nr[NAMES_MAX][ARRAY_SIZE(candidates)];
	static struct by_nr back[ARRAY_SIZE(candidates)][NAMES_MAX];
	static struct by_nr extra[ARRAY_SIZE(candidates)][NAMES_MAX];
	size_t n_back[ARRAY_SIZE(candidates)] = { 0 }, n_extra[ARRAY_SIZE(candidates)];

	for (size_t a = 0; a < ARRAY_SIZE(candidates); a++)
		/* Known: it resolves something. */
		if (seccomp_syscall_resolve_name_arch(candidates[a], "read") != __NR_SCMP_ERROR)
			arches[n_arches++] = candidates[a];
	for (size_t a = 0; a < n_arches; a++)
		for (size_t r = 0; r < ARRAY_SIZE(ranges); r++)
			for (long n = ranges[r].lo; n <= ranges[r].hi; n++) {
				char *name = seccomp_syscall_resolve_num_arch(arches[a], (int)n);
				if (name)
					add_name(name);
			}
	qsort(names, n_names, sizeof(*names), cmp_str);

	for (size_t i = 0; i < n_names; i++)
		for (size_t a = 0; a < n_arches; a++) {
			int n = seccomp_syscall_resolve_name_arch(arches[a], names[i]);
			nr[i][a] = n;
			if (n == __NR_SCMP_ERROR)
				continue;
			/* Each number once: several names may resolve to it. */
			bool seen = false;
			for (size_t k = 0; k < n_back[a] && !seen; k++)
				seen = back[a][k].nr == n;
			if (seen)
				continue;
			char *name = seccomp_syscall_resolve_num_arch(arches[a], n);
			long at = name ? name_index(name) : -1;
			if (name && at < 0) {
				fprintf(stderr, "gen-syscalls: %d on arch %#x is \"%s\", not a name found\n",
					n, arches[a], name);
				return 1;
			}
			free(name);
			back[a][n_back[a]++] = (struct by_nr){ n, at };
		}
	for (size_t a = 0; a < n_arches; a++) {
		qsort(back[a], n_back[a], sizeof(back[a][0]), cmp_nr);
		n_extra[a] = find_extras(arches[a], back[a], n_back[a], extra[a]);
	}

	printf("/* Generated by gen/gen-syscalls from libseccomp %u.%u.%u: do not edit. */\n",
	       v->major, v->minor, v->micro);
	printf("#define TABLE_VERSION_MAJOR %u\n#define TABLE_VERSION_MINOR %u\n#define TABLE_VERSION_MICRO %u\n",
	       v->major, v->minor, v->micro);
	printf("#define TABLE_ARCHES %zu\n#define TABLE_NAMES %zu\n\n", n_arches, n_names);
	printf("static const uint32_t table_arches[TABLE_ARCHES] = {");
	for (size_t a = 0; a < n_arches; a++)
		printf("%s%#x", a ? ", " : " ", arches[a]);
	printf(" };\n\n/* The names, sorted, one after another. */\nstatic const char table_pool[] =");
	for (size_t i = 0; i < n_names; i++)
		printf("%s\"%s\\0\"", i % 6 ? " " : "\n\t", names[i]);
	printf(";\n\nstatic const uint16_t table_name_at[TABLE_NAMES] = {");
	for (size_t i = 0; i < n_names; i++) {
		printf("%s%zu,", i % 12 ? " " : "\n\t", pool);
		pool += strlen(names[i]) + 1;
	}
	if (pool > UINT16_MAX) {
		fprintf(stderr, "gen-syscalls: the names take %zu bytes\n", pool);
		return 1;
	}
	printf("\n};\n\n/* Per name, what it resolves to on each of table_arches (-1: unknown). */\n");
	printf("static const int32_t table_nr[TABLE_NAMES][TABLE_ARCHES] = {\n");
	for (size_t i = 0; i < n_names; i++) {
		printf("\t{");
		for (size_t a = 0; a < n_arches; a++)
			printf("%s%d", a ? ", " : " ", nr[i][a]);
		printf(" }, /* %s */\n", names[i]);
	}
	printf("};\n\n/* Open addressing by syscall_name_hash, linear probing: row + 1, 0 free. */\n");
	static uint16_t slots[SYSCALL_HASH_SLOTS];
	if (n_names * 2 > SYSCALL_HASH_SLOTS) {
		fprintf(stderr, "gen-syscalls: %zu names need more than %u hash slots\n", n_names,
			SYSCALL_HASH_SLOTS);
		return 1;
	}
	for (size_t i = 0; i < n_names; i++) {
		uint32_t at = syscall_name_hash(names[i]) & (SYSCALL_HASH_SLOTS - 1);
		while (slots[at])
			at = (at + 1) & (SYSCALL_HASH_SLOTS - 1);
		slots[at] = (uint16_t)(i + 1);
	}
	printf("static const uint16_t table_hash[SYSCALL_HASH_SLOTS] = {");
	for (size_t i = 0; i < SYSCALL_HASH_SLOTS; i++)
		printf("%s%u,", i % 16 ? " " : "\n\t", slots[i]);
	printf("\n};\n\n/* The ranges of numbers asked about, inclusive, sorted. */\n");
	printf("static const struct {\n\tint32_t lo, hi;\n} table_scanned[] = {");
	for (size_t r = 0; r < ARRAY_SIZE(ranges); r++)
		printf("%s{ %ld, %ld },", r ? " " : "\n\t", ranges[r].lo, ranges[r].hi);
	printf("\n};\n\n/* Per arch, every number a name resolves to, sorted, with the name\n"
	       " * libseccomp gives that number back (-1: none); table_back_at[a] is\n"
	       " * where arch a's numbers start. */\n");
	print_runs("back", back, n_back, n_arches);
	printf("\n/* Per arch, every other number of table_scanned libseccomp names, sorted,\n"
	       " * with that name; table_extra_at[a] is where arch a's start. */\n");
	print_runs("extra", extra, n_extra, n_arches);
	for (size_t i = 0; i < n_names; i++)
		free(names[i]);
	return fflush(stdout) == 0 ? 0 : 1;
}
