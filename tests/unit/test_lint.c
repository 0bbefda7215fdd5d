/* lint: what check says beyond the pipeline. Each case is a profile and
 * the findings of one code it must give, as "path: message" lines; the
 * verdicts behind them come from the compiled filter, as check's do. */
#include <seccomp.h>
#include <linux/seccomp.h>

#include "suites.h"

/* The findings with this code, for text resolved and compiled on an
 * x86_64 host with every capability. */
static char *findings(const char *text, const char *code)
{
	struct shim_profile *p = parse_ok(text);
	struct shim_host h = { .arch = shim_arch_by_oci("SCMP_ARCH_X86_64"), .kernel_major = 6,
			       .kernel_minor = 1, .bounding = ~0ULL,
			       .supported_flags = SECCOMP_FILTER_FLAG_SPEC_ALLOW };
	struct shim_policy pol;
	struct shim_filter f;
	struct shim_findings all = { 0 };
	struct shim_error err = { 0 };
	struct shim_text out = { 0 };
	char *s;

	ck_assert_int_eq(shim_resolve(p, &h, &pol, NULL, &err), 0);
	if (shim_compile(p, &pol, NULL, &f, NULL, &err) < 0)
		ck_abort_msg("compile failed: %s", err.msg);
	shim_lint(p, &pol, &f, SCMP_ARCH_X86_64, &all);
	for (size_t i = 0; i < all.n; i++)
		if (strcmp(all.v[i].code, code) == 0)
			shim_text_printf(&out, "%s: %s\n", all.v[i].path, all.v[i].message);
	s = strdup(out.s ? out.s : "");
	ck_assert_ptr_nonnull(s);
	shim_text_free(&out);
	shim_findings_free(&all);
	shim_filter_free(&f);
	shim_policy_free(&pol);
	shim_profile_free(p);
	return s;
}

#define ESSENTIALS "{\"names\": [\"execve\", \"execveat\", \"exit\", \"exit_group\", \"rt_sigreturn\"], \"action\": \"SCMP_ACT_ALLOW\"}"
#define X86_ARCHES "\"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"]"
#define SOCKET_UNIX "{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}"
#define SOCKETCALL_MSG(calls, why) \
	"i386 code reaches " calls " through socketcall(2), which the filter lets through: the profile's argument tests and denials for " calls " hold only for the direct calls (" why ")\n"
#define SOCKETCALL_WHY "socketcall passes the arguments in memory, where the filter cannot read them, so libseccomp matches it on the call number alone"

static const struct {
	const char *text, *expected;
} multiplexer_cases[] = {
	/* An allow-list of socket(AF_UNIX) with x86: socketcall(SYS_SOCKET)
	 * gets the rule without its family test. */
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", " X86_ARCHES ", \"syscalls\": [" ESSENTIALS ", " SOCKET_UNIX "]}",
	  "syscalls[1].names[0]: " SOCKETCALL_MSG("socket", SOCKETCALL_WHY) },
	/* Without x86, nothing to say. */
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"], \"syscalls\": [" ESSENTIALS ", " SOCKET_UNIX "]}",
	  "" },
	/* x86 through archMap counts too. */
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": [\"SCMP_ARCH_X86\"]}], \"syscalls\": [" ESSENTIALS ", " SOCKET_UNIX "]}",
	  "syscalls[1].names[0]: " SOCKETCALL_MSG("socket", SOCKETCALL_WHY) },
	/* The fix check gives: socketcall's own unconditional rule. */
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", " X86_ARCHES ", \"syscalls\": [" ESSENTIALS ", "
	  "{\"names\": [\"socketcall\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38}, " SOCKET_UNIX "]}",
	  "" },
	/* ... which is skipped when it equals the default: still open. */
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", " X86_ARCHES ", \"syscalls\": [" ESSENTIALS ", "
	  "{\"names\": [\"socketcall\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1}, " SOCKET_UNIX "]}",
	  "syscalls[2].names[0]: " SOCKETCALL_MSG("socket", SOCKETCALL_WHY) },
	/* socketcall allowed outright while connect and bind are not: pointed
	 * at the socketcall rule. */
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", " X86_ARCHES ", \"syscalls\": [" ESSENTIALS ", "
	  "{\"names\": [\"socketcall\", \"socket\", \"socketpair\", \"listen\", \"accept\", \"accept4\", \"getsockname\", \"getpeername\","
	  " \"sendto\", \"recvfrom\", \"shutdown\", \"setsockopt\", \"getsockopt\", \"sendmsg\", \"recvmsg\", \"recvmmsg\", \"sendmmsg\"],"
	  " \"action\": \"SCMP_ACT_ALLOW\"}]}",
	  "syscalls[1].names[0]: " SOCKETCALL_MSG("bind, connect", SOCKETCALL_WHY) },
	/* A deny-list denying socket outright: libseccomp denies
	 * socketcall(SYS_SOCKET) with it, nothing gets through. */
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", " X86_ARCHES ", \"syscalls\": ["
	  "{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ERRNO\"}]}",
	  "" },
	/* ipc: shmget tested on its flags (arg2), which ipc has in arg3. */
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", " X86_ARCHES ", \"syscalls\": ["
	  "{\"names\": [\"shmget\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 2, \"value\": 2048, \"valueTwo\": 2048, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}",
	  "syscalls[0].names[0]: i386 code reaches shmget through ipc(2), which the filter lets through: the profile's argument tests and denials for shmget hold only for the direct calls (ipc passes the arguments one place further on, some in memory, and libseccomp matches it on the call number and tests the rest where the direct call has them)\n" },
	/* No socket or IPC call restricted: nothing to bypass. */
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", " X86_ARCHES ", \"syscalls\": ["
	  "{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_ERRNO\"}]}",
	  "" },
};

START_TEST(multiplexers)
{
	char *got = findings(multiplexer_cases[_i].text, "socketcall-bypass");

	ck_assert_str_eq(got, multiplexer_cases[_i].expected);
	free(got);
}
END_TEST

#define ALLOW_ALL(rules) "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86_64\"], \"syscalls\": [" rules "]}"
#define DENY_ALL(rules) "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\"], \"syscalls\": [" ESSENTIALS ", " rules "]}"
#define RULE(name, act, args) "{\"names\": [\"" name "\"], \"action\": \"" act "\", \"args\": [" args "]}"
#define ARG(i, op, v) "{\"index\": " #i ", \"value\": " #v ", \"op\": \"SCMP_CMP_" #op "\"}"
#define MASKED(i, m, v) "{\"index\": " #i ", \"value\": " #m ", \"valueTwo\": " #v ", \"op\": \"SCMP_CMP_MASKED_EQ\"}"
#define WIDE(name, i) name " arg" #i " is 32 bits to the kernel, which ignores the high 32, but the filter compares all 64: "

static const struct {
	const char *text, *expected;
} wide_cases[] = {
	/* The case: personality 0x400000 (READ_IMPLIES_EXEC) denied
	 * by EQ; 0x100400000 is the same call to the kernel. */
	{ ALLOW_ALL(RULE("personality", "SCMP_ACT_ERRNO", ARG(0, EQ, 4194304))),
	  "syscalls[0].args[0]: " WIDE("personality", 0)
	  "personality(0x100400000) gets ALLOW, while personality(0x400000), the same call to the kernel, gets ERRNO(EPERM)\n" },
	/* The fix: the low 32 bits only. */
	{ ALLOW_ALL(RULE("personality", "SCMP_ACT_ERRNO", MASKED(0, 4294967295, 4194304))), "" },
	/* Allowing by EQ is only stricter than the kernel: nothing to say. */
	{ DENY_ALL(RULE("personality", "SCMP_ACT_ALLOW", ARG(0, EQ, 0)) ", "
		   RULE("personality", "SCMP_ACT_ALLOW", ARG(0, EQ, 4294967295))), "" },
	/* Docker's socket rules: GT 40 lets 0x100000028 (AF_VSOCK) through.
	 * Pinned on the rule that allows, once. */
	{ DENY_ALL(RULE("socket", "SCMP_ACT_ALLOW", ARG(0, LT, 38)) ", "
		   RULE("socket", "SCMP_ACT_ALLOW", ARG(0, EQ, 39)) ", "
		   RULE("socket", "SCMP_ACT_ALLOW", ARG(0, GT, 40))),
	  "syscalls[3].args[0]: " WIDE("socket", 0)
	  "socket(0x100000026) gets ALLOW, while socket(0x26), the same call to the kernel, gets ERRNO(EPERM)\n" },
	/* podman's: NETLINK_AUDIT denied when both tests hold, allowed when
	 * either NE does: each NE is got around on its own argument. */
	{ DENY_ALL("{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 22, \"args\": ["
		   ARG(0, EQ, 16) ", " ARG(2, EQ, 9) "]}, "
		   RULE("socket", "SCMP_ACT_ALLOW", ARG(2, NE, 9)) ", "
		   RULE("socket", "SCMP_ACT_ALLOW", ARG(0, NE, 16))),
	  "syscalls[3].args[0]: " WIDE("socket", 0)
	  "socket(0x100000010, 0, 0x9) gets ALLOW, while socket(0x10, 0, 0x9), the same call to the kernel, gets ERRNO(EINVAL)\n"
	  "syscalls[2].args[0]: " WIDE("socket", 2)
	  "socket(0x10, 0, 0x100000009) gets ALLOW, while socket(0x10, 0, 0x9), the same call to the kernel, gets ERRNO(EINVAL)\n" },
	/* A range deny: signals up to 9. */
	{ ALLOW_ALL(RULE("kill", "SCMP_ACT_ERRNO", ARG(1, LE, 9))),
	  "syscalls[0].args[0]: " WIDE("kill", 1)
	  "kill(0, 0x100000009) gets ALLOW, while kill(0, 0x9), the same call to the kernel, gets ERRNO(EPERM)\n" },
	/* kill(-1, ...) as glibc passes it (sign-extended) is denied, as a
	 * raw syscall passes it (zero-extended) is not. */
	{ ALLOW_ALL(RULE("kill", "SCMP_ACT_ERRNO", ARG(0, EQ, 18446744073709551615))),
	  "syscalls[0].args[0]: " WIDE("kill", 0)
	  "kill(0xffffffff) gets ALLOW, while kill(0xffffffffffffffff), the same call to the kernel, gets ERRNO(EPERM)\n" },
	/* clone's flags: the kernel takes the low 32 bits. */
	{ ALLOW_ALL(RULE("clone", "SCMP_ACT_ERRNO", ARG(0, EQ, 268435456))),
	  "syscalls[0].args[0]: " WIDE("clone", 0)
	  "clone(0x110000000) gets ALLOW, while clone(0x10000000), the same call to the kernel, gets ERRNO(EPERM)\n" },
	/* clone's usual test, a mask within the low 32 bits: sound. */
	{ ALLOW_ALL(RULE("clone", "SCMP_ACT_ERRNO", MASKED(0, 268435456, 268435456))), "" },
	/* unshare's flags are unsigned long and the kernel refuses unknown
	 * bits: not in the table. */
	{ ALLOW_ALL(RULE("unshare", "SCMP_ACT_ERRNO", ARG(0, EQ, 268435456))), "" },
	/* A mask reaching into the high 32 bits. */
	{ ALLOW_ALL(RULE("ioctl", "SCMP_ACT_ERRNO", MASKED(1, 18446744073709551615, 21522))),
	  "syscalls[0].args[0]: " WIDE("ioctl", 1)
	  "ioctl(0, 0x100005412) gets ALLOW, while ioctl(0, 0x5412), the same call to the kernel, gets ERRNO(EPERM)\n" },
};

START_TEST(wide_compares)
{
	char *got = findings(wide_cases[_i].text, "wide-compare-int-arg");

	ck_assert_str_eq(got, wide_cases[_i].expected);
	free(got);
}
END_TEST

#define X86_FAMILY(def, rules)                                                                   \
	"{\"defaultAction\": \"" def "\", \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", " \
	"\"SCMP_ARCH_X32\"], \"syscalls\": [" ESSENTIALS ", " rules "]}"
/* Tests that always hold or never do, on every arch or on the 32-bit
 * ones (#15.1); and which of two rules libseccomp lets decide. */
static const struct {
	const char *text, *code, *expected;
} constant_cases[] = {
	/* The getppid: a mask of 0 is no test, the rule is
	 * unconditional and the later one never applies. */
	{ X86_FAMILY("SCMP_ACT_ERRNO", RULE("getppid", "SCMP_ACT_KILL_PROCESS", MASKED(4, 0, 0)) ", "
		     RULE("getppid", "SCMP_ACT_ALLOW", "")),
	  "constant-condition",
	  "syscalls[1].args[0]: arg4 & 0 == 0 always holds, and libseccomp leaves such a test out: the rule is unconditional, so it decides its syscalls for any arguments and no other rule for them applies, but for an unconditional one before it\n" },
	{ X86_FAMILY("SCMP_ACT_ERRNO", RULE("getppid", "SCMP_ACT_KILL_PROCESS", MASKED(4, 0, 0)) ", "
		     RULE("getppid", "SCMP_ACT_ALLOW", "")),
	  "shadowed-rule",
	  "syscalls[2].names[0]: has no effect: syscalls[1].names[0] decides \"getppid\" first, for all arguments (libseccomp leaves out a masked test with no mask bit, so both rules are unconditional, and the first unconditional rule wins)\n" },
	/* 2^32: no bit in the low word, on i386 and x32 only. */
	{ X86_FAMILY("SCMP_ACT_ERRNO", RULE("getppid", "SCMP_ACT_KILL_PROCESS", MASKED(4, 4294967296, 0))),
	  "constant-condition",
	  "syscalls[1].args[0]: arg4 & 0x100000000 == 0 always holds on SCMP_ARCH_X86, SCMP_ARCH_X32 (they compare the low 32 bits only), and libseccomp leaves such a test out: the rule is unconditional there, so it decides its syscalls for any arguments and no other rule for them applies, but for an unconditional one before it\n" },
	/* ... beside another test: a test of nothing. */
	{ X86_FAMILY("SCMP_ACT_ERRNO", RULE("getppid", "SCMP_ACT_KILL_PROCESS", MASKED(4, 4294967296, 0) ", " ARG(0, EQ, 1))),
	  "constant-condition",
	  "syscalls[1].args[0]: arg4 & 0x100000000 == 0 always holds on SCMP_ARCH_X86, SCMP_ARCH_X32 (they compare the low 32 bits only): it tests nothing (libseccomp leaves it out)\n" },
	/* Ranges that always hold: tests libseccomp keeps. */
	{ X86_FAMILY("SCMP_ACT_ERRNO", RULE("read", "SCMP_ACT_ALLOW", ARG(2, GE, 0)) ", "
		     RULE("write", "SCMP_ACT_ALLOW", ARG(2, LE, 18446744073709551615)) ", "
		     RULE("close", "SCMP_ACT_ALLOW", ARG(0, LE, 4294967295))),
	  "constant-condition",
	  "syscalls[1].args[0]: arg2 >= 0 always holds: it tests nothing (libseccomp still compares, so the rule stays conditional, and an unconditional rule for the same syscall overrides it)\n"
	  "syscalls[2].args[0]: arg2 <= 0xffffffffffffffff always holds: it tests nothing (libseccomp still compares, so the rule stays conditional, and an unconditional rule for the same syscall overrides it)\n"
	  "syscalls[3].args[0]: arg0 <= 0xffffffff always holds on SCMP_ARCH_X86, SCMP_ARCH_X32 (they compare the low 32 bits only): it tests nothing (libseccomp still compares, so the rule stays conditional, and an unconditional rule for the same syscall overrides it)\n" },
	/* Tests that never hold. */
	{ X86_FAMILY("SCMP_ACT_ERRNO", RULE("read", "SCMP_ACT_ALLOW", ARG(1, LT, 0)) ", "
		     RULE("write", "SCMP_ACT_ALLOW", ARG(1, GT, 18446744073709551615)) ", "
		     RULE("close", "SCMP_ACT_ALLOW", ARG(0, GT, 8589934591)) ", "
		     RULE("dup", "SCMP_ACT_ALLOW", ARG(0, LT, 4294967296))),
	  "constant-condition",
	  "syscalls[1].args[0]: arg1 < 0 never holds: the rule never applies\n"
	  "syscalls[2].args[0]: arg1 > 0xffffffffffffffff never holds: the rule never applies\n"
	  "syscalls[3].args[0]: arg0 > 0x1ffffffff never holds on SCMP_ARCH_X86, SCMP_ARCH_X32 (they compare the low 32 bits only): the rule never applies there\n"
	  "syscalls[4].args[0]: arg0 < 0x100000000 never holds on SCMP_ARCH_X86, SCMP_ARCH_X32 (they compare the low 32 bits only): the rule never applies there\n" },
	/* Tests that depend on the argument: nothing to say. */
	{ X86_FAMILY("SCMP_ACT_ERRNO", RULE("read", "SCMP_ACT_ALLOW", ARG(1, LT, 1) ", " ARG(2, GE, 1) ", " MASKED(0, 1, 0))),
	  "constant-condition", "" },
	/* Only x86_64 listed: 2^32 is a test there. */
	{ DENY_ALL(RULE("getppid", "SCMP_ACT_KILL_PROCESS", MASKED(4, 4294967296, 0))), "constant-condition", "" },
};

START_TEST(constant_conditions)
{
	char *got = findings(constant_cases[_i].text, constant_cases[_i].code);

	ck_assert_str_eq(got, constant_cases[_i].expected);
	free(got);
}
END_TEST

/* A lower and an upper bound on one argument: runc and crun OR them. */
static const struct {
	const char *text, *expected;
} split_range_cases[] = {
	{ DENY_ALL(RULE("getsockopt", "SCMP_ACT_TRACE", ARG(2, GE, 4294967296) ", " ARG(2, LE, 21474836479))),
	  "syscalls[1].args[1]: args[2] SCMP_CMP_GE 0x100000000 and SCMP_CMP_LE 0x4ffffffff is no range: runc and crun make each test of a repeated index a rule of its own (OR), so the rule matches when either holds\n" },
	/* The upper bound first, and strict bounds. */
	{ DENY_ALL(RULE("read", "SCMP_ACT_ALLOW", ARG(0, EQ, 1)) ", "
		   RULE("write", "SCMP_ACT_ALLOW", ARG(2, LT, 100) ", " ARG(0, EQ, 1) ", " ARG(2, GT, 10))),
	  "syscalls[2].args[2]: args[2] SCMP_CMP_GT 0xa and SCMP_CMP_LT 0x64 is no range: runc and crun make each test of a repeated index a rule of its own (OR), so the rule matches when either holds\n" },
	/* Meant as OR: flags tested one by one (lib/lint_calls.c advises it
	 * for clone), and bounds on different arguments. */
	{ DENY_ALL(RULE("clone", "SCMP_ACT_ERRNO", MASKED(0, 131072, 131072) ", " MASKED(0, 33554432, 33554432)) ", "
		   RULE("read", "SCMP_ACT_ALLOW", ARG(0, GE, 3) ", " ARG(2, LE, 4096)) ", "
		   RULE("write", "SCMP_ACT_ALLOW", ARG(0, GE, 3) ", " ARG(0, GT, 4))),
	  "" },
};

START_TEST(split_ranges)
{
	char *got = findings(split_range_cases[_i].text, "split-range");

	ck_assert_str_eq(got, split_range_cases[_i].expected);
	free(got);
}
END_TEST

START_TEST(runtime_default_is_clean)
{
	static const char *const codes[] = { "socketcall-bypass", "wide-compare-int-arg",
					     "constant-condition", "split-range" };

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		char *got = findings(shim_builtin_profile("runtime/default"), codes[i]);
		ck_assert_str_eq(got, "");
		free(got);
	}
}
END_TEST

Suite *lint_suite(void)
{
	Suite *s = suite_create("lint");
	TCase *tc = tcase_create("findings");

	tcase_add_loop_test(tc, multiplexers, 0,
			    sizeof(multiplexer_cases) / sizeof(multiplexer_cases[0]));
	tcase_add_loop_test(tc, wide_compares, 0, sizeof(wide_cases) / sizeof(wide_cases[0]));
	tcase_add_loop_test(tc, constant_conditions, 0,
			    sizeof(constant_cases) / sizeof(constant_cases[0]));
	tcase_add_loop_test(tc, split_ranges, 0,
			    sizeof(split_range_cases) / sizeof(split_range_cases[0]));
	tcase_add_test(tc, runtime_default_is_clean);
	suite_add_tcase(s, tc);
	return s;
}
