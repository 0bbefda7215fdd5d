/* The syscall table generated at build time against libseccomp itself:
 * every name on every architecture, and every number in the ranges
 * libseccomp's tables use, must get libseccomp's answer. */
#include <limits.h>
#include <seccomp.h>

#include "suites.h"
#include "internal.h"

static const uint32_t arches[] = {
	SCMP_ARCH_NATIVE, SCMP_ARCH_X86, SCMP_ARCH_X86_64, SCMP_ARCH_X32, SCMP_ARCH_ARM,
	SCMP_ARCH_AARCH64, SCMP_ARCH_MIPS, SCMP_ARCH_MIPS64, SCMP_ARCH_MIPS64N32,
	SCMP_ARCH_MIPSEL, SCMP_ARCH_MIPSEL64, SCMP_ARCH_MIPSEL64N32, SCMP_ARCH_PPC,
	SCMP_ARCH_PPC64, SCMP_ARCH_PPC64LE, SCMP_ARCH_S390, SCMP_ARCH_S390X,
	SCMP_ARCH_PARISC, SCMP_ARCH_PARISC64, SCMP_ARCH_RISCV64,
	0x12345678, /* no such arch: both say unknown */
};

static const struct {
	long lo, hi;
} ranges[] = {
	{ -11000, 8100 }, { 0x0f0000, 0x0f1000 }, { 0x40000000, 0x40001000 },
	{ 0x900000, 0x900400 }, { INT32_MIN, INT32_MIN + 10 }, { INT32_MAX - 10, INT32_MAX - 1 },
};

static void same_name(uint32_t arch, const char *name)
{
	int want = seccomp_syscall_resolve_name_arch(arch, name);
	int got = shim_syscall_resolve_name_arch(arch, name);

	if (want != got)
		ck_abort_msg("\"%s\" on arch %#x: libseccomp %d, table %d", name, arch, want, got);
}

START_TEST(numbers_and_names)
{
	size_t names = 0;

	for (size_t a = 0; a < sizeof(arches) / sizeof(arches[0]); a++)
		for (size_t r = 0; r < sizeof(ranges) / sizeof(ranges[0]); r++)
			for (long n = ranges[r].lo; n <= ranges[r].hi; n++) {
				char *want = seccomp_syscall_resolve_num_arch(arches[a], (int)n);
				const char *got = shim_syscall_resolve_num_arch(arches[a], (int)n);

				if ((want == NULL) != (got == NULL) || (want && strcmp(want, got) != 0))
					ck_abort_msg("%ld on arch %#x: libseccomp \"%s\", table \"%s\"", n,
						     arches[a], want ? want : "(none)", got ? got : "(none)");
				if (want) {
					/* Every name, on every arch. */
					for (size_t b = 0; b < sizeof(arches) / sizeof(arches[0]); b++)
						same_name(arches[b], want);
					names++;
				}
				free(want);
			}
	ck_assert_uint_gt(names, 1000);
	for (size_t a = 0; a < sizeof(arches) / sizeof(arches[0]); a++) {
		same_name(arches[a], "frobnicate");
		same_name(arches[a], "");
		same_name(arches[a], "READ");
		same_name(arches[a], "read ");
		same_name(arches[a], "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz");
		ck_assert_int_eq(shim_syscall_resolve_name_arch(arches[a], NULL), __NR_SCMP_ERROR);
	}
	ck_assert_int_eq(shim_syscall_resolve_name("read"), seccomp_syscall_resolve_name("read"));
}
END_TEST

/* Numbers libseccomp is asked about for the lowest-number lookup: all of
 * the table's ranges below 8000, with a step past them. */
#define SCAN_LO (-11000)
#define SCAN_HI 8010

/* No number (pseudo numbers are below 0). */
#define NONE INT_MIN

/* For each mux name, the lowest number of [lo, hi) libseccomp names it
 * (NONE: none), from by_nr: the mux name's index at each number from
 * SCAN_LO (-1: another name or none). */
static void scan_lowest(const int *by_nr, int lo, int hi, int *lowest, size_t n_mux)
{
	for (size_t m = 0; m < n_mux; m++)
		lowest[m] = NONE;
	for (int nr = lo; nr < hi; nr++) {
		int m = by_nr[nr - SCAN_LO];
		if (m >= 0 && lowest[m] == NONE)
			lowest[m] = nr;
	}
}

/* The table's lowest number of [lo, hi) for every mux name is
 * libseccomp's; counts the numbers found. */
static void same_lowest(uint32_t arch, const int *by_nr, int lo, int hi, size_t n_mux,
			size_t *found)
{
	int want[64];

	ck_assert_uint_le(n_mux, sizeof(want) / sizeof(want[0]));
	scan_lowest(by_nr, lo, hi, want, n_mux);
	for (size_t m = 0; m < n_mux; m++) {
		int got = -2, rc = shim_syscall_lowest_num(arch, shim_mux_name(m), lo, hi, &got);

		if (rc != (want[m] != NONE) || (rc == 1 && got != want[m]) || (rc == 0 && got != -2))
			ck_abort_msg("%s in [%d, %d) on arch %#x: libseccomp %d, table %d (%d)",
				     shim_mux_name(m), lo, hi, arch, want[m], got, rc);
		*found += rc == 1;
	}
}

/* The direct numbers of the socket and ipc calls (lib/refeval.c's
 * mux_directs): for every name of shim_mux_name on every arch of the
 * table, over the whole table, the windows mux_directs searches, and from
 * just past each number found (a second number of the same name). */
START_TEST(lowest_mux_numbers)
{
	size_t n_mux = 0, found = 0;
	int *by_nr = calloc(SCAN_HI - SCAN_LO, sizeof(*by_nr)), nr = -2;

	ck_assert_ptr_nonnull(by_nr);
	while (shim_mux_name(n_mux))
		n_mux++;
	ck_assert_uint_ge(n_mux, 20);
	for (size_t a = 0; a < shim_syscall_arch_count(); a++) {
		uint32_t arch = shim_syscall_arch_at(a);
		int socketcall = seccomp_syscall_resolve_name_arch(arch, "socketcall"), lowest[64];

		for (int n = SCAN_LO; n < SCAN_HI; n++) {
			char *name = seccomp_syscall_resolve_num_arch(arch, n);

			by_nr[n - SCAN_LO] = -1;
			for (size_t m = 0; name && m < n_mux; m++)
				if (strcmp(name, shim_mux_name(m)) == 0)
					by_nr[n - SCAN_LO] = (int)m;
			free(name);
		}
		same_lowest(arch, by_nr, SCAN_LO, 8000, n_mux, &found);
		same_lowest(arch, by_nr, 0, 1100, n_mux, &found);
		same_lowest(arch, by_nr, 4000, 5100, n_mux, &found);
		if (socketcall > 0)
			same_lowest(arch, by_nr, socketcall - 102, socketcall - 102 + 1100, n_mux, &found);
		scan_lowest(by_nr, 0, 8000, lowest, n_mux);
		for (size_t m = 0; m < n_mux; m++)
			if (lowest[m] != NONE)
				same_lowest(arch, by_nr, lowest[m] + 1, 8000, n_mux, &found);
		/* Beyond the numbers the table was made from: it cannot say. */
		ck_assert_int_eq(shim_syscall_lowest_num(arch, "socket", 7990, SCAN_HI, &nr), -1);
		ck_assert_int_eq(shim_syscall_lowest_num(arch, "socket", 0x900000, 0x900400, &nr), -1);
		ck_assert_int_eq(shim_syscall_lowest_num(arch, "frobnicate", 0, 8000, &nr), 0);
		ck_assert_int_eq(shim_syscall_lowest_num(arch, "socket", 100, 100, &nr), 0);
		ck_assert_int_eq(nr, -2);
	}
	/* i386's socket is 359 (libseccomp resolves "socket" to -101). */
	ck_assert_int_eq(shim_syscall_lowest_num(SCMP_ARCH_X86, "socket", 0, 1100, &nr), 1);
	ck_assert_int_eq(nr, 359);
	ck_assert_int_eq(shim_syscall_lowest_num(0x12345678, "socket", 0, 1100, &nr), -1);
	ck_assert_uint_gt(found, 500);
	free(by_nr);
}
END_TEST

START_TEST(table_version)
{
	const struct scmp_version *v = seccomp_version();
	unsigned major, minor, micro;

	/* The table is this libseccomp's. */
	shim_syscall_table_version(&major, &minor, &micro);
	ck_assert_uint_eq(major, v->major);
	ck_assert_uint_eq(minor, v->minor);
	ck_assert_uint_eq(micro, v->micro);
}
END_TEST

Suite *syscalls_suite(void)
{
	Suite *s = suite_create("syscalls");
	TCase *tc = tcase_create("table");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, numbers_and_names);
	tcase_add_test(tc, lowest_mux_numbers);
	tcase_add_test(tc, table_version);
	suite_add_tcase(s, tc);
	return s;
}
