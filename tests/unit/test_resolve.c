/* resolve: includes/excludes against caps, arch and kernel; archMap;
 * repeated argument indexes; flags. Hosts are built by hand. */
#include <stdio.h>
#include <linux/seccomp.h>

#include "suites.h"
#include "../../shim/diag.h"

#define CAP(n) (1ull << (n))
#define SYS_ADMIN 21
#define SYS_PTRACE 19

static struct shim_host host(const char *oci_arch, unsigned major, unsigned minor,
			     uint64_t bounding)
{
	struct shim_host h = {
		.arch = shim_arch_by_oci(oci_arch),
		.kernel_major = major,
		.kernel_minor = minor,
		.bounding = bounding,
		.supported_flags = SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG |
				   SECCOMP_FILTER_FLAG_SPEC_ALLOW,
	};
	return h;
}

static const char *conditional =
	"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
	"{\"names\": [\"r0\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}},"
	"{\"names\": [\"r1\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}},"
	"{\"names\": [\"r2\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\", \"CAP_SYS_PTRACE\"]}},"
	"{\"names\": [\"r3\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"caps\": [\"CAP_SYS_ADMIN\", \"CAP_SYS_PTRACE\"]}},"
	"{\"names\": [\"r4\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"arches\": [\"amd64\", \"x32\"]}},"
	"{\"names\": [\"r5\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"arches\": [\"arm64\"]}},"
	"{\"names\": [\"r6\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"minKernel\": \"4.8\"}},"
	"{\"names\": [\"r7\"], \"action\": \"SCMP_ACT_ALLOW\", \"excludes\": {\"minKernel\": \"4.8\"}},"
	"{\"names\": [\"r8\"], \"action\": \"SCMP_ACT_ALLOW\", \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]},"
	" \"excludes\": {\"arches\": [\"amd64\"]}}"
	"]}";

/* Which of r0..r8 survive, as a string like "0,1,4". */
static void survivors(const struct shim_host *h, char *buf, size_t len)
{
	struct shim_profile *p = parse_ok(conditional);
	struct shim_policy pol;
	struct shim_error err = { 0 };

	ck_assert_int_eq(shim_resolve(p, h, &pol, NULL, &err), 0);
	buf[0] = '\0';
	for (size_t i = 0; i < pol.n_rules; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%c", i ? "," : "",
			 pol.rules[i].name[1]);
	shim_policy_free(&pol);
	shim_profile_free(p);
}

static const struct {
	const char *arch;
	unsigned major, minor;
	uint64_t caps;
	const char *expected;
} conditional_cases[] = {
	{ "SCMP_ARCH_X86_64", 6, 1, 0, "1,3,4,5,6" },
	{ "SCMP_ARCH_X86_64", 6, 1, CAP(SYS_ADMIN), "0,4,5,6" },
	{ "SCMP_ARCH_X86_64", 6, 1, CAP(SYS_ADMIN) | CAP(SYS_PTRACE), "0,2,4,5,6" },
	{ "SCMP_ARCH_X86_64", 6, 1, CAP(SYS_PTRACE), "1,4,5,6" },
	{ "SCMP_ARCH_X86_64", 4, 7, 0, "1,3,4,5,7" },
	{ "SCMP_ARCH_X86_64", 4, 8, 0, "1,3,4,5,6" },
	{ "SCMP_ARCH_X86_64", 3, 19, 0, "1,3,4,5,7" },
	{ "SCMP_ARCH_AARCH64", 6, 1, CAP(SYS_ADMIN), "0,6,8" },
};

START_TEST(includes_excludes)
{
	struct shim_host h = host(conditional_cases[_i].arch, conditional_cases[_i].major,
				  conditional_cases[_i].minor, conditional_cases[_i].caps);
	char got[64];

	survivors(&h, got, sizeof(got));
	ck_assert_str_eq(got, conditional_cases[_i].expected);
}
END_TEST

START_TEST(arch_map_native_and_subs)
{
	struct shim_profile *p = parse_ok(
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": ["
		"{\"architecture\": \"SCMP_ARCH_AARCH64\", \"subArchitectures\": [\"SCMP_ARCH_ARM\"]},"
		"{\"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": [\"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"]}]}");
	struct shim_host x86 = host("SCMP_ARCH_X86_64", 6, 1, 0);
	struct shim_host arm = host("SCMP_ARCH_AARCH64", 6, 1, 0);
	struct shim_host s390 = host("SCMP_ARCH_S390X", 6, 1, 0);
	struct shim_policy pol;
	struct shim_error err = { 0 };

	ck_assert_int_eq(shim_resolve(p, &x86, &pol, NULL, &err), 0);
	ck_assert_uint_eq(pol.n_arches, 3);
	ck_assert_str_eq(shim_arch_by_token(pol.arches[0])->oci, "SCMP_ARCH_X86_64");
	ck_assert_str_eq(shim_arch_by_token(pol.arches[1])->oci, "SCMP_ARCH_X86");
	ck_assert_str_eq(shim_arch_by_token(pol.arches[2])->oci, "SCMP_ARCH_X32");
	shim_policy_free(&pol);
	ck_assert_int_eq(shim_resolve(p, &arm, &pol, NULL, &err), 0);
	ck_assert_uint_eq(pol.n_arches, 2);
	ck_assert_str_eq(shim_arch_by_token(pol.arches[1])->oci, "SCMP_ARCH_ARM");
	shim_policy_free(&pol);
	/* No entry for the native arch: the native arch alone. */
	ck_assert_int_eq(shim_resolve(p, &s390, &pol, NULL, &err), 0);
	ck_assert_uint_eq(pol.n_arches, 1);
	ck_assert_str_eq(shim_arch_by_token(pol.arches[0])->oci, "SCMP_ARCH_S390X");
	shim_policy_free(&pol);
	shim_profile_free(p);
}
END_TEST

START_TEST(native_arch_always_added)
{
	struct shim_profile *p = parse_ok(
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86\"]}");
	struct shim_host h = host("SCMP_ARCH_X86_64", 6, 1, 0);
	struct shim_policy pol;
	struct shim_error err = { 0 };

	ck_assert_int_eq(shim_resolve(p, &h, &pol, NULL, &err), 0);
	ck_assert_uint_eq(pol.n_arches, 2);
	ck_assert_uint_eq(pol.arches[0], h.arch->token);
	shim_policy_free(&pol);
	shim_profile_free(p);
}
END_TEST

START_TEST(repeated_index_becomes_or)
{
	struct shim_profile *p = parse_ok(
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
		"{\"names\": [\"a\", \"b\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
		"{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"},"
		"{\"index\": 1, \"value\": 2, \"op\": \"SCMP_CMP_EQ\"}]},"
		"{\"names\": [\"c\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
		"{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"},"
		"{\"index\": 1, \"value\": 5, \"op\": \"SCMP_CMP_EQ\"},"
		"{\"index\": 0, \"value\": 3, \"op\": \"SCMP_CMP_EQ\"}]}]}");
	struct shim_host h = host("SCMP_ARCH_X86_64", 6, 1, 0);
	struct shim_policy pol;
	struct shim_error err = { 0 };

	ck_assert_int_eq(shim_resolve(p, &h, &pol, NULL, &err), 0);
	/* a and b: one rule each with both conditions (AND); c: three rules. */
	ck_assert_uint_eq(pol.n_rules, 5);
	ck_assert_uint_eq(pol.rules[0].n_args, 2);
	ck_assert_str_eq(pol.rules[1].name, "b");
	ck_assert_uint_eq(pol.rules[1].src_name_index, 1);
	for (size_t i = 2; i < 5; i++) {
		ck_assert_str_eq(pol.rules[i].name, "c");
		ck_assert_uint_eq(pol.rules[i].n_args, 1);
	}
	ck_assert_uint_eq(pol.rules[4].args[0].value, 3);
	shim_policy_free(&pol);
	shim_profile_free(p);
}
END_TEST

START_TEST(flags)
{
	struct shim_host h = host("SCMP_ARCH_X86_64", 6, 1, 0);
	struct shim_policy pol;
	struct shim_error err = { 0 };
	struct shim_profile *p = parse_ok("{\"defaultAction\": \"SCMP_ACT_ERRNO\"}");

	ck_assert_int_eq(shim_resolve(p, &h, &pol, NULL, &err), 0);
	ck_assert_uint_eq(pol.flags, SECCOMP_FILTER_FLAG_SPEC_ALLOW);
	h.supported_flags = SECCOMP_FILTER_FLAG_TSYNC;
	ck_assert_int_eq(shim_resolve(p, &h, &pol, NULL, &err), 0);
	ck_assert_uint_eq(pol.flags, 0);
	shim_profile_free(p);

	p = parse_ok("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"flags\": []}");
	h.supported_flags = SECCOMP_FILTER_FLAG_SPEC_ALLOW;
	ck_assert_int_eq(shim_resolve(p, &h, &pol, NULL, &err), 0);
	ck_assert_uint_eq(pol.flags, 0);
	shim_profile_free(p);

	p = parse_ok("{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\"]}");
	h.supported_flags = SECCOMP_FILTER_FLAG_SPEC_ALLOW;
	h.kernel_major = 4;
	h.kernel_minor = 13;
	ck_assert_int_lt(shim_resolve(p, &h, &pol, NULL, &err), 0);
	ck_assert_str_eq(diag_error_text(&err), "t.json:2:11: flags: this kernel (4.13) does not support SECCOMP_FILTER_FLAG_LOG; remove it");
	shim_profile_free(p);
}
END_TEST

Suite *resolve_suite(void)
{
	Suite *s = suite_create("resolve");
	TCase *tc = tcase_create("resolve");

	tcase_add_loop_test(tc, includes_excludes, 0,
			    sizeof(conditional_cases) / sizeof(conditional_cases[0]));
	tcase_add_test(tc, arch_map_native_and_subs);
	tcase_add_test(tc, native_arch_always_added);
	tcase_add_test(tc, repeated_index_becomes_or);
	tcase_add_test(tc, flags);
	suite_add_tcase(s, tc);
	return s;
}
