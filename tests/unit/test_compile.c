/* compile: filters built from profiles and run in our interpreter, which
 * loads nothing. Each case is (arch, syscall number, args) -> verdict. */
#include <errno.h>
#include <stdio.h>
#include <seccomp.h>
#include <linux/seccomp.h>

#include "suites.h"

#define X32 0x40000000

static struct shim_filter compile_text(const char *text, struct shim_warnings *w)
{
	struct shim_profile *p = parse_ok(text);
	struct shim_host h = { .arch = shim_arch_by_oci("SCMP_ARCH_X86_64"), .kernel_major = 6,
			       .supported_flags = SECCOMP_FILTER_FLAG_SPEC_ALLOW };
	struct shim_policy pol;
	struct shim_filter f;
	struct shim_error err = { 0 };

	ck_assert_int_eq(shim_resolve(p, &h, &pol, w, &err), 0);
	if (shim_compile(p, &pol, NULL, &f, w, &err) < 0)
		ck_abort_msg("compile failed: %s", err.msg);
	shim_policy_free(&pol);
	shim_profile_free(p);
	return f;
}

static const char *verdict(const struct shim_filter *f, uint32_t arch, int nr,
			   uint64_t a0, uint64_t a1)
{
	static char buf[64];
	struct shim_seccomp_data d = { .nr = nr, .arch = arch, .args = { a0, a1 } };
	struct shim_error err = { 0 };
	uint32_t ret;

	if (shim_bpf_run(f->insns, f->n_insns, &d, &ret, &err) < 0)
		ck_abort_msg("interpreter: %s", err.msg);
	shim_bpf_ret_format(ret, buf, sizeof(buf));
	return buf;
}

static const char *allow_list =
	"{\"defaultAction\": \"SCMP_ACT_ERRNO\","
	" \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"],"
	" \"syscalls\": ["
	"{\"names\": [\"read\", \"write\", \"faccessat2\", \"no_such_syscall\"], \"action\": \"SCMP_ACT_ALLOW\"},"
	"{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_ERRNO\"},"
	"{\"names\": [\"getpriority\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 42, \"args\": ["
	" {\"index\": 0, \"value\": 0, \"op\": \"SCMP_CMP_EQ\"}, {\"index\": 1, \"value\": 0, \"op\": \"SCMP_CMP_EQ\"}]},"
	"{\"names\": [\"kill\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
	" {\"index\": 1, \"value\": 0, \"op\": \"SCMP_CMP_EQ\"}, {\"index\": 1, \"value\": 15, \"op\": \"SCMP_CMP_EQ\"}]},"
	"{\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": ["
	" {\"index\": 0, \"value\": 4294967295, \"valueTwo\": 8, \"op\": \"SCMP_CMP_MASKED_EQ\"}]},"
	"{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_KILL\"},"
	"{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_TRACE\", \"errnoRet\": 3}"
	"]}";

static const struct {
	uint32_t arch;
	int nr;
	uint64_t a0, a1;
	const char *expected;
} allow_list_cases[] = {
	{ SCMP_ARCH_X86_64, 0 /* read */, 0, 0, "ALLOW" },
	{ SCMP_ARCH_X86_64, 439 /* faccessat2, the highest named */, 0, 0, "ALLOW" },
	{ SCMP_ARCH_X86_64, 83 /* mkdir: equal to default, skipped */, 0, 0, "ERRNO(EPERM)" },
	{ SCMP_ARCH_X86_64, 2 /* open, not named */, 0, 0, "ERRNO(EPERM)" },
	{ SCMP_ARCH_X86_64, 440, 0, 0, "ERRNO(ENOSYS)" },
	{ SCMP_ARCH_X86_64, -1, 0, 0, "ERRNO(ENOSYS)" },
	{ SCMP_ARCH_X86_64, 140 /* getpriority */, 0, 0, "ERRNO(ENOMSG)" },
	{ SCMP_ARCH_X86_64, 140, 0, 1, "ERRNO(EPERM)" },
	{ SCMP_ARCH_X86_64, 140, 1, 0, "ERRNO(EPERM)" },
	{ SCMP_ARCH_X86_64, 62 /* kill */, 100, 0, "ALLOW" },
	{ SCMP_ARCH_X86_64, 62, 100, 15, "ALLOW" },
	{ SCMP_ARCH_X86_64, 62, 100, 9, "ERRNO(EPERM)" },
	{ SCMP_ARCH_X86_64, 135 /* personality */, 8, 0, "ALLOW" },
	{ SCMP_ARCH_X86_64, 135, 0xff08, 0, "ERRNO(EPERM)" },
	{ SCMP_ARCH_X86_64, 135, 9, 0, "ERRNO(EPERM)" },
	/* The mask keeps the low 32 bits only. */
	{ SCMP_ARCH_X86_64, 135, 0x100000008ull, 0, "ALLOW" },
	{ SCMP_ARCH_X86_64, 39 /* getpid */, 0, 0, "KILL_THREAD" },
	{ SCMP_ARCH_X86_64, 110 /* getppid */, 0, 0, "TRACE(3)" },
	{ SCMP_ARCH_X86_64, X32 | 0 /* x32 read */, 0, 0, "ALLOW" },
	{ SCMP_ARCH_X86_64, X32 | 2 /* x32 open */, 0, 0, "ERRNO(EPERM)" },
	{ SCMP_ARCH_X86_64, X32 | 500, 0, 0, "ERRNO(ENOSYS)" },
	{ SCMP_ARCH_X86, 3 /* i386 read */, 0, 0, "ALLOW" },
	{ SCMP_ARCH_X86, 5 /* i386 open */, 0, 0, "ERRNO(EPERM)" },
	{ SCMP_ARCH_X86, 500, 0, 0, "ERRNO(ENOSYS)" },
	{ SCMP_ARCH_AARCH64, 63 /* arm64 read */, 0, 0, "KILL_THREAD" },
};

START_TEST(allow_list_verdicts)
{
	struct shim_warnings w = { 0 };
	struct shim_filter f = compile_text(allow_list, &w);

	ck_assert_str_eq(verdict(&f, allow_list_cases[_i].arch, allow_list_cases[_i].nr,
				 allow_list_cases[_i].a0, allow_list_cases[_i].a1),
			 allow_list_cases[_i].expected);
	shim_filter_free(&f);
	shim_warnings_free(&w);
}
END_TEST

static const char *deny_list =
	"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
	"{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_ERRNO\"},"
	"{\"names\": [\"rmdir\"], \"action\": \"SCMP_ACT_KILL_PROCESS\"},"
	"{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_LOG\"},"
	"{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_TRAP\"}]}";

static const struct {
	uint32_t arch;
	int nr;
	const char *expected;
} deny_list_cases[] = {
	{ SCMP_ARCH_X86_64, 83, "ERRNO(EPERM)" },
	{ SCMP_ARCH_X86_64, 84, "KILL_PROCESS" },
	{ SCMP_ARCH_X86_64, 39, "LOG" },
	{ SCMP_ARCH_X86_64, 110, "TRAP" },
	{ SCMP_ARCH_X86_64, 0, "ALLOW" },
	/* Default ALLOW: no ENOSYS stub. */
	{ SCMP_ARCH_X86_64, 1000, "ALLOW" },
	/* x32 and i386 are not in the profile: killed, never allowed. */
	{ SCMP_ARCH_X86_64, X32 | 83, "KILL_THREAD" },
	{ SCMP_ARCH_X86_64, X32 | 0, "KILL_THREAD" },
	{ SCMP_ARCH_X86, 39, "KILL_THREAD" },
};

START_TEST(deny_list_verdicts)
{
	struct shim_filter f = compile_text(deny_list, NULL);

	ck_assert_str_eq(verdict(&f, deny_list_cases[_i].arch, deny_list_cases[_i].nr, 0, 0),
			 deny_list_cases[_i].expected);
	shim_filter_free(&f);
}
END_TEST

/* runtime/default on the calls whose arguments the filter cannot read, or
 * reads wider than the kernel does (issue #14). */
static const struct {
	uint32_t arch;
	int nr;
	uint64_t a0;
	const char *expected;
} runtime_default_cases[] = {
	/* i386 socketcall(2): every call it carries, whatever the family in
	 * memory; the direct i386 calls keep their own rules. */
	{ SCMP_ARCH_X86, 102 /* socketcall */, 1 /* SYS_SOCKET */, "ERRNO(EPERM)" },
	{ SCMP_ARCH_X86, 102, 3 /* SYS_CONNECT */, "ERRNO(EPERM)" },
	{ SCMP_ARCH_X86, 102, 8 /* SYS_SOCKETPAIR */, "ERRNO(EPERM)" },
	{ SCMP_ARCH_X86, 359 /* socket */, 40 /* AF_VSOCK */, "ERRNO(EAFNOSUPPORT)" },
	{ SCMP_ARCH_X86, 359, 2 /* AF_INET */, "ALLOW" },
	{ SCMP_ARCH_X86, 362 /* connect */, 3, "ALLOW" },
	/* ipc(2) stays: none of its calls is restricted. */
	{ SCMP_ARCH_X86, 117 /* ipc */, 23 /* SHMGET */, "ALLOW" },
	{ SCMP_ARCH_X86_64, 41 /* socket */, 40, "ERRNO(EAFNOSUPPORT)" },
	{ SCMP_ARCH_X86_64, 41, 2, "ALLOW" },
	/* The kernel reads the family as an int, so 0x100000028 is AF_VSOCK
	 * to it: refused (no rule matches a family with high bits set). */
	{ SCMP_ARCH_X86_64, 41, 0x100000028ull, "ERRNO(ENOSYS)" },
	{ SCMP_ARCH_X86_64, 41, 0xffffffff00000028ull, "ERRNO(ENOSYS)" },
	{ SCMP_ARCH_X86_64, 41, 0x100000026ull /* AF_ALG */, "ERRNO(ENOSYS)" },
	{ SCMP_ARCH_X86_64, 41, 38, "ERRNO(EAFNOSUPPORT)" },
	{ SCMP_ARCH_X86_64, 41, 39, "ALLOW" },
	{ SCMP_ARCH_X86_64, 41, 41, "ALLOW" },
	{ SCMP_ARCH_X86_64, 41, 43, "ALLOW" },
	{ SCMP_ARCH_X86_64, 41, 45, "ALLOW" },
	{ SCMP_ARCH_X86_64, 41, 63, "ALLOW" },
	{ SCMP_ARCH_X86_64, 41, 64, "ERRNO(ENOSYS)" },
	/* Other families with high bits set: refused by the exact tests,
	 * allowed by a mask of the low 32 bits only where the kernel reads
	 * an allowed family (42). */
	{ SCMP_ARCH_X86_64, 41, 0x100000002ull, "ERRNO(ENOSYS)" },
	{ SCMP_ARCH_X86_64, 41, 0x100000029ull, "ERRNO(ENOSYS)" },
	{ SCMP_ARCH_X86_64, 41, 0x10000002aull, "ALLOW" },
};

START_TEST(runtime_default_verdicts)
{
	struct shim_filter f = compile_text(shim_builtin_profile("runtime/default"), NULL);

	ck_assert_str_eq(verdict(&f, runtime_default_cases[_i].arch, runtime_default_cases[_i].nr,
				 runtime_default_cases[_i].a0, 0),
			 runtime_default_cases[_i].expected);
	shim_filter_free(&f);
}
END_TEST

START_TEST(stub_with_kill_default)
{
	struct shim_filter f = compile_text(
		"{\"defaultAction\": \"SCMP_ACT_KILL_PROCESS\","
		" \"syscalls\": [{\"names\": [\"read\", \"openat\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
		NULL);

	ck_assert_str_eq(verdict(&f, SCMP_ARCH_X86_64, 257, 0, 0), "ALLOW");
	ck_assert_str_eq(verdict(&f, SCMP_ARCH_X86_64, 83, 0, 0), "KILL_PROCESS");
	ck_assert_str_eq(verdict(&f, SCMP_ARCH_X86_64, 258, 0, 0), "ERRNO(ENOSYS)");
	shim_filter_free(&f);
}
END_TEST

START_TEST(unknown_syscalls)
{
	const char *text = "{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n \"syscalls\": [{\"names\": [\"mkdir\", \"frobnicate\"],"
			   " \"action\": \"SCMP_ACT_ERRNO\"}]}";
	struct shim_warnings w = { 0 };
	struct shim_filter f = compile_text(text, &w);
	struct shim_profile *p = parse_ok(text);
	struct shim_host h = { .arch = shim_arch_native(), .kernel_major = 6 };
	struct shim_compile_options fatal = { .unknown_syscalls_fatal = true };
	struct shim_policy pol;
	struct shim_error err = { 0 };
	const struct scmp_version *v = seccomp_version();
	char expected[256];

	ck_assert_uint_eq(w.n, 1);
	snprintf(expected, sizeof(expected),
		 "unknown syscall \"frobnicate\" skipped (libseccomp %u.%u.%u does not know it)",
		 v->major, v->minor, v->micro);
	/* A record, not a line: each field where it was found. */
	ck_assert_str_eq(w.v[0].message, expected);
	ck_assert_str_eq(w.v[0].code, "unknown-syscall");
	ck_assert_str_eq(w.v[0].file, "t.json");
	ck_assert_uint_eq(w.v[0].line, 2);
	ck_assert_uint_eq(w.v[0].col, 35);
	ck_assert_str_eq(w.v[0].path, "syscalls[0].names[1]");
	ck_assert_ptr_null(w.v[0].fix);
	ck_assert_str_eq(verdict(&f, SCMP_ARCH_X86_64, 83, 0, 0), "ERRNO(EPERM)");
	shim_filter_free(&f);
	shim_warnings_free(&w);

	ck_assert_int_eq(shim_resolve(p, &h, &pol, NULL, &err), 0);
	ck_assert_int_lt(shim_compile(p, &pol, &fatal, &f, NULL, &err), 0);
	ck_assert_int_eq(err.code, ENOENT);
	ck_assert_ptr_null(f.insns);
	shim_policy_free(&pol);
	shim_profile_free(p);
}
END_TEST

START_TEST(execve_check)
{
	struct shim_filter f = compile_text(
		"{\"defaultAction\": \"SCMP_ACT_ALLOW\","
		" \"syscalls\": [{\"names\": [\"execve\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 13}]}",
		NULL);
	struct shim_filter logged = compile_text(
		"{\"defaultAction\": \"SCMP_ACT_LOG\", \"syscalls\": []}", NULL);
	struct shim_error err = { 0 };
	char *argv[] = { "prog", NULL };

	ck_assert_int_lt(shim_filter_check_execve(&f, "/bin/prog", argv, argv, &err), 0);
	ck_assert_str_eq(err.msg, "the profile blocks execve (it gets ERRNO(EACCES)), so /bin/prog could never start: allow \"execve\" in the profile");
	ck_assert_int_eq(shim_filter_check_execve(&logged, "/bin/prog", argv, argv, &err), 0);
	shim_filter_free(&f);
	shim_filter_free(&logged);
}
END_TEST

Suite *compile_suite(void)
{
	Suite *s = suite_create("compile");
	TCase *tc = tcase_create("verdicts");

	tcase_add_loop_test(tc, allow_list_verdicts, 0,
			    sizeof(allow_list_cases) / sizeof(allow_list_cases[0]));
	tcase_add_loop_test(tc, deny_list_verdicts, 0,
			    sizeof(deny_list_cases) / sizeof(deny_list_cases[0]));
	tcase_add_loop_test(tc, runtime_default_verdicts, 0,
			    sizeof(runtime_default_cases) / sizeof(runtime_default_cases[0]));
	tcase_add_test(tc, stub_with_kill_default);
	tcase_add_test(tc, unknown_syscalls);
	tcase_add_test(tc, execve_check);
	suite_add_tcase(s, tc);
	return s;
}
