/* The syscall table generated at build time against libseccomp itself:
 * every name on every architecture, and every number in the ranges
 * libseccomp's tables use, must get libseccomp's answer. */
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
	tcase_add_test(tc, table_version);
	suite_add_tcase(s, tc);
	return s;
}
