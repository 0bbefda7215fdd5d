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

START_TEST(runtime_default_is_clean)
{
	char *got = findings(shim_builtin_profile("runtime/default"), "socketcall-bypass");

	ck_assert_str_eq(got, "");
	free(got);
}
END_TEST

Suite *lint_suite(void)
{
	Suite *s = suite_create("lint");
	TCase *tc = tcase_create("findings");

	tcase_add_loop_test(tc, multiplexers, 0,
			    sizeof(multiplexer_cases) / sizeof(multiplexer_cases[0]));
	tcase_add_test(tc, runtime_default_is_clean);
	suite_add_tcase(s, tc);
	return s;
}
