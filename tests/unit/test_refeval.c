/* refeval: the rules' own verdicts, with no program, and what compile
 * loads when libseccomp's programs do not follow them. Each case is a
 * profile, a call as the kernel passes it, and the verdict the rules
 * give, with what decides it. */
#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>

#include "suites.h"
#include "../../shim/diag.h"
#include "internal.h"

#define X32 0x40000000u
#define PROFILE(def, arches, rules) \
	"{\"defaultAction\": \"" def "\", \"architectures\": [" arches "], \"syscalls\": [" rules "]}"
#define X86_FAMILY "\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\""
#define ARG(i, op, v) "{\"index\": " #i ", \"value\": " #v ", \"op\": \"SCMP_CMP_" #op "\"}"
#define MASKED(i, m, v) \
	"{\"index\": " #i ", \"value\": " #m ", \"valueTwo\": " #v ", \"op\": \"SCMP_CMP_MASKED_EQ\"}"
#define RULE(names, act, args) "{\"names\": [" names "], \"action\": \"" act "\", \"args\": [" args "]}"

/* The profiles of issue #14/#15. */
#define I386_PROFILE                                                                       \
	"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":13,\"architectures\":[\"SCMP_ARCH_X86\"],"  \
	"\"syscalls\":[{\"names\":[\"futex_waitv\",\"sigprocmask\"],\"action\":\"SCMP_ACT_ALLOW\","          \
	"\"args\":[{\"index\":0,\"value\":4294967298,\"op\":\"SCMP_CMP_GE\"}]},"                             \
	"{\"names\":[\"sigprocmask\"],\"action\":\"SCMP_ACT_ERRNO\","                                        \
	"\"args\":[{\"index\":0,\"value\":4294967293,\"op\":\"SCMP_CMP_LE\"}]},"                             \
	"{\"names\":[\"futex_waitv\"],\"action\":\"SCMP_ACT_KILL\",\"args\":[{\"index\":0,\"value\":8,"     \
	"\"op\":\"SCMP_CMP_EQ\"},{\"index\":4,\"value\":7,\"op\":\"SCMP_CMP_GT\"}]}]}"
#define SOCKOPT_PROFILE                                                                    \
	"{\"defaultAction\":\"SCMP_ACT_KILL\",\"architectures\":[],\"syscalls\":[{\"names\":[\"getsockopt\"]," \
	"\"action\":\"SCMP_ACT_TRACE\",\"args\":[{\"index\":2,\"value\":9223372036854775806,"               \
	"\"op\":\"SCMP_CMP_GE\"}]},{\"names\":[\"getsockopt\",\"shutdown\"],\"action\":\"SCMP_ACT_TRACE\","  \
	"\"errnoRet\":4094,\"args\":[{\"index\":2,\"value\":4294967296,\"op\":\"SCMP_CMP_GE\"},"            \
	"{\"index\":2,\"value\":21474836479,\"op\":\"SCMP_CMP_LE\"}]}]}"
/* getppid allowed when arg1 > 0xf28adc2f47d9c043 or arg1 < 1, killed when
 * arg0 == 5: both of libseccomp's programs allow getppid(0, 0xffffffff). */
#define GETPPID_PROFILE                                                                   \
	PROFILE("SCMP_ACT_ERRNO", "",                                                     \
		RULE("\"getppid\"", "SCMP_ACT_ALLOW", ARG(1, GT, 17477023399591657539)) "," \
		RULE("\"getppid\"", "SCMP_ACT_ALLOW", ARG(1, LT, 1)) ","                   \
		RULE("\"getppid\"", "SCMP_ACT_KILL", ARG(0, EQ, 5)))
/* x86-only sigprocmask first, x32 listed: libseccomp's linear program
 * never loads the syscall number on x86_64 (every call gets the
 * default); the overlapping getppid rules leave the shape to libseccomp. */
#define LINEAR_WRONG_PROFILE                                                              \
	PROFILE("SCMP_ACT_ERRNO", X86_FAMILY,                                              \
		RULE("\"sigprocmask\"", "SCMP_ACT_TRAP", "") ","                           \
		RULE("\"read\", \"getpid\"", "SCMP_ACT_ALLOW", ARG(5, GE, 0)) ","          \
		RULE("\"getppid\"", "SCMP_ACT_ALLOW", ARG(0, EQ, 1)) ","                   \
		RULE("\"getppid\"", "SCMP_ACT_KILL_PROCESS", ARG(1, EQ, 1)))

/* getppid killed when arg4 & MASK == 0, then allowed for any arguments
 * (the profile of #15.1, as a test program needs it). */
#define ZERO_MASK_PROFILE(mask)                                                             \
	PROFILE("SCMP_ACT_ERRNO", X86_FAMILY,                                              \
		RULE("\"getppid\"", "SCMP_ACT_KILL_PROCESS",                               \
		     "{\"index\": 4, \"value\": " mask ", \"valueTwo\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\"}") "," \
		RULE("\"getppid\"", "SCMP_ACT_ALLOW", ""))

struct built {
	struct shim_profile *p;
	struct shim_policy pol;
	struct shim_ref *ref;
};

static struct built build(const char *text)
{
	struct built b = { .p = parse_ok(text) };
	struct shim_host h = { .arch = shim_arch_by_oci("SCMP_ARCH_X86_64"), .kernel_major = 6,
			       .kernel_minor = 1, .bounding = ~0ULL,
			       .supported_flags = SECCOMP_FILTER_FLAG_SPEC_ALLOW };
	struct shim_error err = { 0 };

	ck_assert_int_eq(shim_resolve(b.p, &h, &b.pol, NULL, &err), 0);
	ck_assert_int_eq(shim_ref_new(&b.pol, &b.ref, &err), 0);
	return b;
}

static void release(struct built *b)
{
	shim_ref_free(b->ref);
	shim_policy_free(&b->pol);
	shim_profile_free(b->p);
}

static const char *const decided_by[] = {
	[SHIM_BY_RULE] = "rule", [SHIM_BY_DEFAULT] = "default", [SHIM_BY_ENOSYS_STUB] = "stub",
	[SHIM_BY_BAD_ARCH] = "badarch", [SHIM_BY_PROGRAM_ONLY] = "program",
};

/* "ALLOW rule 0", "ERRNO(EPERM) default", "TRAP rule 1 or KILL_THREAD". */
static const char *say(const struct built *b, uint32_t arch, uint32_t nr, const uint64_t args[6])
{
	static char buf[256];
	struct shim_seccomp_data d = { .nr = (int)nr, .arch = arch };
	struct shim_ref_verdict v;
	char ret[64];
	size_t n;

	memcpy(d.args, args, sizeof(d.args));
	shim_ref_eval(b->ref, &d, &v);
	shim_bpf_ret_format(v.ret, ret, sizeof(ret));
	n = (size_t)snprintf(buf, sizeof(buf), "%s %s", ret, decided_by[v.by]);
	if (v.rule)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, " %zu", v.rule->src_index);
	for (size_t i = 1; i < v.n_match; i++) {
		shim_bpf_ret_format(v.match[i].ret, ret, sizeof(ret));
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, " or %s", ret);
	}
	return buf;
}

static int nr_of(const char *name, uint32_t arch)
{
	int nr = seccomp_syscall_resolve_name_arch(arch, name);

	ck_assert_msg(nr >= 0, "%s is not a syscall here", name);
	return nr;
}

#define I386 SCMP_ARCH_X86
#define AMD64 SCMP_ARCH_X86_64

static const struct {
	const char *profile;
	uint32_t arch; /* as seccomp_data has it */
	const char *name; /* resolved on arch (x32: with bit 30); NULL: nr */
	uint32_t nr;
	uint64_t args[6];
	const char *want;
} cases[] = {
	/* 32-bit compare on i386: 8 >= 0x100000002 holds as 8 >= 2. */
	{ I386_PROFILE, I386, "futex_waitv", 0, { 8 }, "ALLOW rule 0" },
	{ I386_PROFILE, I386, "futex_waitv", 0, { 1 }, "ERRNO(EACCES) default" },
	{ I386_PROFILE, I386, "futex_waitv", 0, { 0x100000001ULL }, "ERRNO(EACCES) default" },
	/* Both rules hold: libseccomp orders them by its tree, not the file. */
	{ I386_PROFILE, I386, "futex_waitv", 0, { 8, 0, 0, 0, 9 }, "ALLOW rule 0 or KILL_THREAD" },
	{ I386_PROFILE, I386, "futex_waitv", 0, { 8, 0, 0, 0, 0x700000000ULL }, "ALLOW rule 0" },
	{ I386_PROFILE, I386, "sigprocmask", 0, { 5 }, "ALLOW rule 0 or ERRNO(EPERM)" },
	{ I386_PROFILE, I386, "sigprocmask", 0, { 0xfffffffe }, "ALLOW rule 0" },
	{ I386_PROFILE, I386, "sigprocmask", 0, { 1 }, "ERRNO(EPERM) rule 1" },
	/* The native arch is always there; numbers above the highest named
	 * get ENOSYS; the ENOSYS stub is per arch. */
	{ I386_PROFILE, AMD64, "futex_waitv", 0, { 0x100000002ULL }, "ALLOW rule 0" },
	{ I386_PROFILE, AMD64, "futex_waitv", 0, { 8 }, "ERRNO(EACCES) default" },
	{ I386_PROFILE, AMD64, "futex_waitv", 0, { 0x100000001ULL }, "ERRNO(EACCES) default" },
	{ I386_PROFILE, AMD64, NULL, 450, { 0 }, "ERRNO(ENOSYS) stub" },
	{ I386_PROFILE, I386, NULL, 450, { 0 }, "ERRNO(ENOSYS) stub" },
	{ I386_PROFILE, AMD64, NULL, X32 | 1, { 0 }, "KILL_THREAD badarch" },
	{ I386_PROFILE, AMD64, NULL, UINT32_MAX, { 0 }, "ERRNO(EACCES) default" },
	{ I386_PROFILE, 0xc00000b7u /* aarch64 */, NULL, 1, { 0 }, "KILL_THREAD badarch" },
	/* A repeated index is several rules (runc): arg2 >= 2^32 OR
	 * arg2 <= 0x4ffffffff, so getsockopt is traced whatever arg2 is. */
	{ SOCKOPT_PROFILE, AMD64, "getsockopt", 0, { 0, 0, 0x7fffffff00000000ULL }, "TRACE(4094) rule 1" },
	{ SOCKOPT_PROFILE, AMD64, "getsockopt", 0, { 0, 0, 5 }, "TRACE(4094) rule 1" },
	{ SOCKOPT_PROFILE, AMD64, "getsockopt", 0, { 0, 0, ~0ULL }, "TRACE(1) rule 0 or TRACE(4094)" },
	{ SOCKOPT_PROFILE, AMD64, "shutdown", 0, { 0, 0, 0x7fffffff00000000ULL }, "TRACE(4094) rule 1" },
	{ SOCKOPT_PROFILE, AMD64, "read", 0, { 0 }, "KILL_THREAD default" },
	{ SOCKOPT_PROFILE, AMD64, NULL, 56, { 0 }, "ERRNO(ENOSYS) stub" },
	{ GETPPID_PROFILE, AMD64, "getppid", 0, { 0, 0xffffffff }, "ERRNO(EPERM) default" },
	{ GETPPID_PROFILE, AMD64, "getppid", 0, { 0, 0 }, "ALLOW rule 1" },
	{ GETPPID_PROFILE, AMD64, "getppid", 0, { 5, ~0ULL }, "ALLOW rule 0 or KILL_THREAD" },
	{ GETPPID_PROFILE, AMD64, "getppid", 0, { 5, 7 }, "KILL_THREAD rule 2" },
	/* An unconditional rule decides, whatever comes before or after it;
	 * the first unconditional one wins; rules equal to the default are
	 * not rules. */
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY,
		  RULE("\"read\"", "SCMP_ACT_KILL_PROCESS", ARG(0, EQ, 5)) ","
		  RULE("\"read\", \"write\"", "SCMP_ACT_LOG", "") ","
		  RULE("\"read\", \"write\"", "SCMP_ACT_ALLOW", "") ","
		  RULE("\"write\"", "SCMP_ACT_ERRNO", "") ","
		  RULE("\"close\"", "SCMP_ACT_ERRNO", "") ","
		  RULE("\"close\"", "SCMP_ACT_ALLOW", ARG(0, EQ, 5))),
	  AMD64, "read", 0, { 5 }, "LOG rule 1" },
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY, RULE("\"read\"", "SCMP_ACT_KILL_PROCESS", ARG(0, EQ, 5)) ","
		  RULE("\"read\", \"write\"", "SCMP_ACT_LOG", "") "," RULE("\"write\"", "SCMP_ACT_ALLOW", "")),
	  AMD64, "write", 0, { 0 }, "LOG rule 1" },
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY, RULE("\"close\"", "SCMP_ACT_ERRNO", "") ","
		  RULE("\"close\"", "SCMP_ACT_ALLOW", ARG(0, EQ, 5))),
	  AMD64, "close", 0, { 5 }, "ALLOW rule 1" },
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY, RULE("\"close\"", "SCMP_ACT_ERRNO", "") ","
		  RULE("\"close\"", "SCMP_ACT_ALLOW", ARG(0, EQ, 5))),
	  AMD64, "close", 0, { 6 }, "ERRNO(EPERM) default" },
	/* MASKED_EQ masks the value too; 64-bit values on x86_64, the low
	 * word on i386 and x32. */
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY, RULE("\"close\"", "SCMP_ACT_ALLOW", MASKED(0, 12, 7))),
	  AMD64, "close", 0, { 4 }, "ALLOW rule 0" },
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY, RULE("\"close\"", "SCMP_ACT_ALLOW", MASKED(0, 12, 7))),
	  AMD64, "close", 0, { 7 }, "ALLOW rule 0" },
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY, RULE("\"close\"", "SCMP_ACT_ALLOW", MASKED(0, 12, 7))),
	  AMD64, "close", 0, { 8 }, "ERRNO(EPERM) default" },
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY,
		  RULE("\"dup\"", "SCMP_ACT_ALLOW", MASKED(0, 18446744069414584320, 4294967296))),
	  AMD64, "dup", 0, { 0x100000000ULL }, "ALLOW rule 0" },
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY,
		  RULE("\"dup\"", "SCMP_ACT_ALLOW", MASKED(0, 18446744069414584320, 4294967296))),
	  I386, "dup", 0, { 0 }, "ALLOW rule 0" },
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY, RULE("\"read\"", "SCMP_ACT_ALLOW", ARG(0, EQ, 8589934597))),
	  AMD64, "read", 0, { 5 }, "ERRNO(EPERM) default" },
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY, RULE("\"read\"", "SCMP_ACT_ALLOW", ARG(0, EQ, 8589934597))),
	  I386, "read", 0, { 5 }, "ALLOW rule 0" },
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY, RULE("\"read\"", "SCMP_ACT_ALLOW", ARG(0, EQ, 8589934597))),
	  AMD64, NULL, X32 | 0, { 0x700000005ULL }, "ALLOW rule 0" },
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY, RULE("\"read\"", "SCMP_ACT_ALLOW", ARG(1, LT, 0))),
	  AMD64, "read", 0, { 0 }, "ERRNO(EPERM) default" },
	/* i386 socketcall(2)/ipc(2): a socket rule is also socketcall with
	 * arg0 == the call number, its own arg0 test dropped; the direct
	 * syscall keeps it. recv has no direct syscall on i386. */
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY,
		  RULE("\"connect\"", "SCMP_ACT_ALLOW", ARG(0, EQ, 5) "," ARG(1, GT, 7)) ","
		  RULE("\"recv\", \"msgget\"", "SCMP_ACT_LOG", "")),
	  I386, "socketcall", 0, { 3, 8 }, "ALLOW rule 0" },
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY,
		  RULE("\"connect\"", "SCMP_ACT_ALLOW", ARG(0, EQ, 5) "," ARG(1, GT, 7))),
	  I386, "socketcall", 0, { 3, 7 }, "ERRNO(EPERM) default" },
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY,
		  RULE("\"connect\"", "SCMP_ACT_ALLOW", ARG(0, EQ, 5) "," ARG(1, GT, 7))),
	  I386, NULL, 362 /* connect */, { 3, 8 }, "ERRNO(EPERM) default" },
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY,
		  RULE("\"connect\"", "SCMP_ACT_ALLOW", ARG(0, EQ, 5) "," ARG(1, GT, 7))),
	  I386, NULL, 362, { 5, 8 }, "ALLOW rule 0" },
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY,
		  RULE("\"connect\"", "SCMP_ACT_ALLOW", ARG(0, EQ, 5) "," ARG(1, GT, 7))),
	  AMD64, "connect", 0, { 5, 8 }, "ALLOW rule 0" },
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY, RULE("\"recv\", \"msgget\"", "SCMP_ACT_LOG", "")),
	  I386, "socketcall", 0, { 10 }, "LOG rule 0" },
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY, RULE("\"recv\", \"msgget\"", "SCMP_ACT_LOG", "")),
	  I386, "socketcall", 0, { 9 }, "ERRNO(EPERM) default" },
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY, RULE("\"recv\", \"msgget\"", "SCMP_ACT_LOG", "")),
	  I386, "ipc", 0, { 13 }, "LOG rule 0" },
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY, RULE("\"recv\", \"msgget\"", "SCMP_ACT_LOG", "")),
	  I386, NULL, 399 /* msgget */, { 0 }, "LOG rule 0" },
	/* socketcall named itself, unconditionally: it decides. */
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY, RULE("\"socket\"", "SCMP_ACT_ALLOW", "") ","
		  RULE("\"socketcall\"", "SCMP_ACT_LOG", "")),
	  I386, "socketcall", 0, { 1 }, "LOG rule 1" },
	/* x32 numbers carry bit 30; without x32 in the profile they are a
	 * foreign arch's. */
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY, RULE("\"kexec_load\"", "SCMP_ACT_LOG", "")),
	  AMD64, NULL, X32 | 528, { 0 }, "LOG rule 0" },
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY, RULE("\"kexec_load\"", "SCMP_ACT_LOG", "")),
	  AMD64, NULL, X32 | 246, { 0 }, "ERRNO(EPERM) default" },
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY, RULE("\"kexec_load\"", "SCMP_ACT_LOG", "")),
	  AMD64, NULL, X32 | 529, { 0 }, "ERRNO(ENOSYS) stub" },
	{ PROFILE("SCMP_ACT_ERRNO", "\"SCMP_ARCH_X86_64\"", RULE("\"kexec_load\"", "SCMP_ACT_LOG", "")),
	  AMD64, NULL, X32 | 528, { 0 }, "KILL_THREAD badarch" },
	/* A masked test with no mask bit in the arch's width always holds,
	 * and libseccomp leaves it out: a rule of only such tests is
	 * unconditional, so the first of them wins over the later
	 * unconditional one (#15.1). With mask 2^32 only the 32-bit arches
	 * see no bit; on x86_64 it is a test, and the later rule wins. */
	{ ZERO_MASK_PROFILE("0"), AMD64, "getppid", 0, { 0 }, "KILL_PROCESS rule 0" },
	{ ZERO_MASK_PROFILE("0"), I386, "getppid", 0, { 0, 0, 0, 0, 7 }, "KILL_PROCESS rule 0" },
	{ ZERO_MASK_PROFILE("0"), AMD64, NULL, X32 | 110, { 0 }, "KILL_PROCESS rule 0" },
	{ ZERO_MASK_PROFILE("4294967296"), AMD64, "getppid", 0, { 0 }, "ALLOW rule 1" },
	{ ZERO_MASK_PROFILE("4294967296"), I386, "getppid", 0, { 0 }, "KILL_PROCESS rule 0" },
	{ ZERO_MASK_PROFILE("4294967296"), I386, "getppid", 0, { 0, 0, 0, 0, 1ULL << 32 }, "KILL_PROCESS rule 0" },
	{ ZERO_MASK_PROFILE("4294967296"), AMD64, NULL, X32 | 110, { 0 }, "KILL_PROCESS rule 0" },
	/* Beside another test it is no test either: a conditional rule. */
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY,
		  RULE("\"getppid\"", "SCMP_ACT_KILL_PROCESS", MASKED(4, 0, 0) "," ARG(0, EQ, 1)) ","
		  RULE("\"getppid\"", "SCMP_ACT_ALLOW", "")),
	  AMD64, "getppid", 0, { 1 }, "ALLOW rule 1" },
	/* Tests that always hold but that libseccomp keeps: conditional. */
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY,
		  RULE("\"getppid\"", "SCMP_ACT_KILL_PROCESS", ARG(4, GE, 0)) ","
		  RULE("\"getppid\"", "SCMP_ACT_ALLOW", "")),
	  I386, "getppid", 0, { 0 }, "ALLOW rule 1" },
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY,
		  RULE("\"getppid\"", "SCMP_ACT_KILL_PROCESS", ARG(4, LE, 4294967295)) ","
		  RULE("\"getpid\"", "SCMP_ACT_ALLOW", "")),
	  I386, "getppid", 0, { 0, 0, 0, 0, 0xffffffff }, "KILL_PROCESS rule 0" },
	/* An allowing default: no stub. */
	{ PROFILE("SCMP_ACT_ALLOW", "", RULE("\"mount\"", "SCMP_ACT_ERRNO", "")),
	  AMD64, NULL, 1000, { 0 }, "ALLOW default" },
	/* Unknown names are no rules. */
	{ PROFILE("SCMP_ACT_ERRNO", "", RULE("\"no_such_call\", \"read\"", "SCMP_ACT_ALLOW", "")),
	  AMD64, "read", 0, { 0 }, "ALLOW rule 0" },
};

START_TEST(verdicts)
{
	struct built b = build(cases[_i].profile);
	uint32_t nr = cases[_i].nr;

	if (cases[_i].name)
		nr = (uint32_t)nr_of(cases[_i].name, cases[_i].arch);
	ck_assert_msg(strcmp(say(&b, cases[_i].arch, nr, cases[_i].args), cases[_i].want) == 0,
		      "case %d: %s(%#llx, %#llx, ...) on %#x: \"%s\", expected \"%s\"", _i,
		      cases[_i].name ? cases[_i].name : "?", (unsigned long long)cases[_i].args[0],
		      (unsigned long long)cases[_i].args[1], cases[_i].arch,
		      say(&b, cases[_i].arch, nr, cases[_i].args), cases[_i].want);
	release(&b);
}
END_TEST

/* What compile loads for the profiles of the issue: the program that
 * follows the rules, or nothing. */
static const struct {
	const char *profile;
	bool linear, libseccomp; /* asked for */
	int expect; /* 0 ours, 1 libseccomp's linear program, 2 its tree, -1 refused */
	const char *message; /* in the error, for -1 */
} choices[] = {
	{ I386_PROFILE, false, false, 1, NULL },
	{ I386_PROFILE, false, true, 1, NULL }, /* its tree is wrong: the linear one */
	{ SOCKOPT_PROFILE, false, false, 1, NULL },
	{ SOCKOPT_PROFILE, false, true, 1, NULL },
	{ LINEAR_WRONG_PROFILE, false, false, 2, NULL },
	{ LINEAR_WRONG_PROFILE, true, false, 2, NULL },
	{ GETPPID_PROFILE, false, false, -1,
	  "t.json: libseccomp 2.5.4 compiles this profile wrong, so no filter is loaded: on SCMP_ARCH_X86_64 getppid(0, 0xffffffff, 0, 0, 0, 0) the rules say ERRNO(EPERM) by default action, but libseccomp's linear program gives ALLOW and libseccomp's binary tree gives ALLOW" },
	/* Both of libseccomp's programs are wrong, ours is right. */
	{ PROFILE("SCMP_ACT_ALLOW", "\"SCMP_ARCH_X86_64\"",
		  RULE("\"open\"", "SCMP_ACT_KILL_PROCESS", ARG(1, LE, 15) "," ARG(2, NE, 4294967297)) ","
		  RULE("\"open\"", "SCMP_ACT_KILL_PROCESS", ARG(1, GE, 4294967297))),
	  false, false, 0, NULL },
	{ PROFILE("SCMP_ACT_ALLOW", "\"SCMP_ARCH_X86_64\"",
		  RULE("\"open\"", "SCMP_ACT_KILL_PROCESS", ARG(1, LE, 15) "," ARG(2, NE, 4294967297)) ","
		  RULE("\"open\"", "SCMP_ACT_KILL_PROCESS", ARG(1, GE, 4294967297))),
	  false, true, -1,
	  "on SCMP_ARCH_X86_64 open(0, 0xffffffff, 0, 0, 0, 0) the rules say ALLOW by default action, but libseccomp's binary tree gives KILL_PROCESS and libseccomp's linear program gives KILL_PROCESS" },
};

START_TEST(fallback_choice)
{
	struct built b = build(choices[_i].profile);
	struct shim_compile_options opt = { .linear = choices[_i].linear,
					    .libseccomp = choices[_i].libseccomp };
	struct shim_warnings w = { 0 };
	struct shim_error err = { 0 };
	struct shim_filter f;
	struct shim_seccomp_data d;
	size_t inputs;
	int rc = shim_compile(b.p, &b.pol, &opt, &f, &w, &err);

	if (choices[_i].expect < 0) {
		ck_assert_int_lt(rc, 0);
		ck_assert_msg(strstr(diag_error_text(&err), choices[_i].message), "message: %s", diag_error_text(&err));
		ck_assert_ptr_null(f.insns);
	} else {
		ck_assert_msg(rc == 0, "compile: %s", err.msg);
		ck_assert_int_eq(f.by_libseccomp, choices[_i].expect > 0);
		ck_assert_int_eq(f.linear, choices[_i].expect == 1);
		ck_assert_int_eq(shim_filter_check(&b.pol, b.ref, &f, &d, &inputs, &err), 1);
		ck_assert_uint_eq(w.n, 0);
		shim_filter_free(&f);
	}
	shim_warnings_free(&w);
	release(&b);
}
END_TEST

/* The other program is really wrong where the message says. */
START_TEST(unchecked_programs_are_wrong)
{
	struct built b = build(I386_PROFILE);
	struct shim_filter tree;
	struct shim_error err = { 0 };
	struct shim_seccomp_data d = { .nr = nr_of("futex_waitv", I386), .arch = I386, .args = { 8 } };
	size_t inputs;
	uint32_t ret;

	ck_assert_int_eq(shim_compile_libseccomp_unchecked(b.p, &b.pol, false, &tree, &err), 0);
	ck_assert_int_eq(shim_bpf_run(tree.insns, tree.n_insns, &d, &ret, &err), 0);
	ck_assert_uint_eq(ret, SECCOMP_RET_ERRNO | 13);
	ck_assert_int_eq(shim_filter_check(&b.pol, b.ref, &tree, &d, &inputs, &err), 0);
	ck_assert_str_eq(say(&b, d.arch, (uint32_t)d.nr, d.args), "ALLOW rule 0");
	shim_filter_free(&tree);
	release(&b);
}
END_TEST

/* A wrong verdict is found wherever a program puts it: at a number it
 * compares with, behind arithmetic or a small bit test on the number
 * (every number tried), past the x32 bit, and in a run of numbers sent
 * into an argument test (every number of such a run gets every input,
 * lib/equiv.c). Each prefix allows some call before a right program. */
#define ON_X86_64(rest) \
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SCMP_ARCH_X86_64, 0, rest)
#define ALLOW_IT BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
#define LOAD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0)
static const struct {
	struct sock_filter prefix[8];
	size_t n;
	int wrong_nr;
} wrong_prefixes[] = {
	{ { ON_X86_64(3), LOAD_NR, BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 700, 0, 1), ALLOW_IT }, 5, 700 },
	{ { ON_X86_64(4), LOAD_NR, BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0x3ff),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 700, 0, 1), ALLOW_IT },
	  6, 700 },
	{ { ON_X86_64(3), LOAD_NR, BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x200, 0, 1), ALLOW_IT }, 5, 0x200 },
	{ { ON_X86_64(3), LOAD_NR, BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 0x40000100, 0, 1), ALLOW_IT },
	  5, 0x40000101 },
	{ { ON_X86_64(4), LOAD_NR, BPF_STMT(BPF_MISC | BPF_TAX, 0),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_X, 0, 0, 1), ALLOW_IT },
	  6, 1 }, /* every number allowed; read is, nr 1 is not */
	/* 600..699 test arg0 against a value a rule names (0x12345) */
	{ { ON_X86_64(6), LOAD_NR, BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 600, 0, 4),
	    BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 700, 3, 0), BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 16),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x12345, 0, 1), ALLOW_IT },
	  8, 600 },
	/* personality (135): arg1, which no rule tests, at a value no rule
	 * names; arg0's high word at one no rule's neighbours have; the
	 * instruction pointer, which the rules never read (the programs'
	 * own constants are tried, lib/argconsts.c) */
	{ { ON_X86_64(5), LOAD_NR, BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 135, 0, 3),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 24), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xdead, 0, 1),
	    ALLOW_IT },
	  7, 135 },
	{ { ON_X86_64(5), LOAD_NR, BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 135, 0, 3),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 20), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 7, 0, 1),
	    ALLOW_IT },
	  7, 135 },
	{ { ON_X86_64(5), LOAD_NR, BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 135, 0, 3),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 8), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x1234, 0, 1),
	    ALLOW_IT },
	  7, 135 },
};

START_TEST(wrong_verdicts_found)
{
	struct built b = build(PROFILE("SCMP_ACT_ERRNO", "",
				       RULE("\"read\"", "SCMP_ACT_ALLOW", "") ","
				       RULE("\"personality\"", "SCMP_ACT_ALLOW", ARG(0, EQ, 74565))));
	struct shim_filter right, wrong = { 0 };
	struct shim_seccomp_data d = { 0 }, plain_d = { 0 };
	struct shim_error err = { 0 };
	size_t inputs, plain_inputs, n = wrong_prefixes[_i].n;

	ck_assert_int_eq(shim_compile(b.p, &b.pol, NULL, &right, NULL, &err), 0);
	ck_assert_int_eq(shim_filter_check(&b.pol, b.ref, &right, &d, &inputs, &err), 1);
	wrong.n_insns = n + right.n_insns;
	wrong.insns = malloc(wrong.n_insns * sizeof(*wrong.insns));
	ck_assert_ptr_nonnull(wrong.insns);
	memcpy(wrong.insns, wrong_prefixes[_i].prefix, n * sizeof(*wrong.insns));
	memcpy(wrong.insns + n, right.insns, right.n_insns * sizeof(*wrong.insns));
	ck_assert_int_eq(shim_filter_check(&b.pol, b.ref, &wrong, &d, &inputs, &err), 0);
	ck_assert_msg(d.arch == SCMP_ARCH_X86_64 && d.nr == wrong_prefixes[_i].wrong_nr,
		      "found arch %#x nr %#x", d.arch, (unsigned)d.nr);
	ck_assert_int_eq(shim_filter_check_sweep(&b.pol, b.ref, &wrong, true, &plain_d, &plain_inputs,
						 &err),
			 0);
	ck_assert_mem_eq(&d, &plain_d, sizeof(d));
	ck_assert_uint_eq(inputs, plain_inputs);
	if (d.instruction_pointer) { /* the refusal names it */
		struct shim_text t = { 0 };

		shim_input_describe(&b.pol, &d, &t);
		ck_assert_str_eq(t.s, "on SCMP_ARCH_X86_64 personality(0, 0, 0, 0, 0, 0) at instruction pointer 0x1234");
		shim_text_free(&t);
	}
	shim_filter_free(&wrong);
	shim_filter_free(&right);
	release(&b);
}
END_TEST

/* shim_nr_cuts_program follows only comparisons of the number with
 * constants, and says where each one can change. */
START_TEST(number_cuts)
{
	static const struct sock_filter compares[] = {
		LOAD_NR,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 10, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 20, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 5, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x40000000, 0, 0),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 16), /* A holds arg0 now */
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 7),
		BPF_STMT(BPF_MISC | BPF_TAX, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xffffffff, 0, 0),
		ALLOW_IT,
	};
	static const uint32_t cuts[] = { 5, 10, 11, 21, 0x40000000, 0x80000000, 0xc0000000, 0xffffffff };
	/* Each does more with the number than compare it with a constant. */
	static const struct sock_filter more[][3] = {
		{ LOAD_NR, BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1), ALLOW_IT },
		{ LOAD_NR, BPF_STMT(BPF_MISC | BPF_TAX, 0), ALLOW_IT },
		{ LOAD_NR, BPF_STMT(BPF_ST, 0), ALLOW_IT },
		{ LOAD_NR, BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x100, 0, 0), ALLOW_IT },
		{ LOAD_NR, BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_X, 0, 0, 0), ALLOW_IT },
		{ LOAD_NR, BPF_STMT(BPF_RET | BPF_A, 0), ALLOW_IT },
		{ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 0), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0), ALLOW_IT },
	};
	struct shim_nr_cuts c = { 0 };

	ck_assert(shim_nr_cuts_program(compares, ARRAY_SIZE(compares), &c));
	shim_nr_cuts_add(&c, 0xffffffff); /* again: one cut */
	shim_nr_cuts_add(&c, 1ULL << 32); /* the end of the space: none */
	shim_nr_cuts_finish(&c);
	ck_assert_uint_eq(c.n, ARRAY_SIZE(cuts));
	for (size_t i = 0; i < c.n; i++)
		ck_assert_uint_eq(c.v[i], cuts[i]);
	ck_assert_uint_eq(shim_nr_cell(&c, 0), 0);
	ck_assert_uint_eq(shim_nr_cell(&c, 4), 0);
	ck_assert_uint_eq(shim_nr_cell(&c, 5), 1);
	ck_assert_uint_eq(shim_nr_cell(&c, 10), 2);
	ck_assert_uint_eq(shim_nr_cell(&c, 11), 3);
	ck_assert_uint_eq(shim_nr_cell(&c, 20), 3);
	ck_assert_uint_eq(shim_nr_cell(&c, 0xffffffff), 8);
	ck_assert_uint_eq(shim_nr_cell(&c, 6), 1);
	free(c.v);
	for (size_t i = 0; i < ARRAY_SIZE(more); i++) {
		struct shim_nr_cuts none = { 0 };

		ck_assert_msg(!shim_nr_cuts_program(more[i], 3, &none), "program %zu", i);
		free(none.v);
	}
}
END_TEST

struct constants_seen {
	unsigned word[16];
	uint32_t k[16];
	size_t n;
};

static void constant_seen(void *ctx, unsigned word, uint32_t k)
{
	struct constants_seen *c = ctx;

	ck_assert_uint_lt(c->n, 16);
	c->word[c->n] = word;
	c->k[c->n++] = k;
}

/* Only the constants on the paths the call can take: nr 5 tests arg1
 * (word 4: offset 24) masked, nr 6 arg2's high word (word 7: offset 36),
 * nr 7 reaches neither test. */
START_TEST(argument_constants)
{
	static const struct sock_filter prog[] = {
		LOAD_NR,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 5, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 24),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xff),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 7, 4, 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 6, 0, 2),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 36),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 9, 1, 1),
		ALLOW_IT,
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};
	struct constants_seen five = { 0 }, six = { 0 }, seven = { 0 };

	ck_assert_int_eq(shim_program_arg_constants(prog, ARRAY_SIZE(prog), AMD64, 5, constant_seen, &five), 0);
	ck_assert_uint_eq(five.n, 2);
	ck_assert(five.word[0] == 4 && five.k[0] == 0xff && five.word[1] == 4 && five.k[1] == 7);
	ck_assert_int_eq(shim_program_arg_constants(prog, ARRAY_SIZE(prog), AMD64, 6, constant_seen, &six), 0);
	ck_assert_uint_eq(six.n, 1);
	ck_assert(six.word[0] == 7 && six.k[0] == 9);
	ck_assert_int_eq(shim_program_arg_constants(prog, ARRAY_SIZE(prog), AMD64, 7, constant_seen, &seven), 0);
	ck_assert_uint_eq(seven.n, 0);
}
END_TEST

static uint64_t mutation_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/* The judge's remainder without division is %, at the edges and on
 * random values (lib/equiv.c draws its mixtures with it). */
START_TEST(remainder_without_division)
{
	static const uint64_t edges[] = { 0, 1, 2, 3, 4095, 4096, 0xffffffff, 0x100000000ULL,
					  1ULL << 63, (1ULL << 63) + 1, UINT64_MAX - 1, UINT64_MAX };
	uint64_t state = 0x9e3779b97f4a7c15ULL;

	for (size_t i = 0; i < ARRAY_SIZE(edges); i++)
		for (size_t j = 0; j < ARRAY_SIZE(edges); j++)
			if (edges[j])
				ck_assert_uint_eq(shim_equiv_remainder(edges[i], edges[j]),
						  edges[i] % edges[j]);
	for (uint64_t d = 1; d <= 5000; d++)
		for (int i = 0; i < 200; i++) {
			uint64_t x = mutation_random(&state);

			ck_assert_uint_eq(shim_equiv_remainder(x, d), x % d);
		}
	for (int i = 0; i < 200000; i++) {
		uint64_t x = mutation_random(&state), d = mutation_random(&state) >> (i % 64);

		if (d)
			ck_assert_uint_eq(shim_equiv_remainder(x, d), x % d);
	}
}
END_TEST


/* One small change to p, of the kinds a miscompile makes: a jump's
 * targets swapped or moved, a constant off by one, another comparison,
 * another verdict, another word loaded. */
static void mutate(struct sock_filter *p, size_t n, uint64_t *state)
{
	static const uint32_t rets[] = { SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | EPERM,
					 SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_TRAP,
					 SECCOMP_RET_ERRNO | ENOSYS };
	static const uint16_t ops[] = { BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET };
	size_t pc = mutation_random(state) % n;
	struct sock_filter *f = &p[pc];
	uint64_t r = mutation_random(state);

	if (BPF_CLASS(f->code) == BPF_JMP && f->code != (BPF_JMP | BPF_JA)) {
		switch (r % 4) {
		case 0: {
			uint8_t t = f->jt;
			f->jt = f->jf;
			f->jf = t;
			break;
		}
		case 1: f->k += (uint32_t)(r >> 8) % 3 - 1; break;
		case 2: f->code = (uint16_t)(BPF_JMP | BPF_K | ops[(r >> 8) % 4]); break;
		default:
			if (n - pc > 1)
				f->jt = (uint8_t)((r >> 8) % (n - pc - 1 < 256 ? n - pc - 1 : 256));
		}
	} else if (f->code == (BPF_RET | BPF_K)) {
		f->k = rets[(r >> 8) % ARRAY_SIZE(rets)];
	} else if (f->code == (BPF_LD | BPF_W | BPF_ABS)) {
		f->k = r % 5 ? 16 + 4 * (uint32_t)((r >> 8) % 12) : 0;
	}
}

/* The cells and the checked interpreter change no answer: on programs
 * made wrong in many small ways, shim_filter_check and the plain sweep
 * (every number, the per-instruction checks) agree on the verdict, the
 * first input where the program is wrong, and how many inputs were
 * decided. Our generator's programs and libseccomp's, on profiles with
 * argument tests, x86's socketcall and the x32 bit. */
static const char *const mutated_profiles[] = {
	PROFILE("SCMP_ACT_ERRNO", X86_FAMILY,
		RULE("\"read\", \"write\", \"close\", \"getpid\", \"getppid\", \"socket\", \"connect\"",
		     "SCMP_ACT_ALLOW", "") ","
		RULE("\"personality\"", "SCMP_ACT_ALLOW", ARG(0, EQ, 0)) ","
		RULE("\"personality\"", "SCMP_ACT_ALLOW", ARG(0, EQ, 131080)) ","
		RULE("\"clone\"", "SCMP_ACT_ALLOW", MASKED(0, 2114060288, 0)) ","
		RULE("\"mmap\"", "SCMP_ACT_KILL_PROCESS", ARG(2, GT, 6) "," ARG(3, LT, 2))),
	GETPPID_PROFILE,
	LINEAR_WRONG_PROFILE,
	I386_PROFILE,
	/* numbers next to each other with other actions; the highest number
	 * named is the default's: no rule, but the stub starts above it */
	PROFILE("SCMP_ACT_ERRNO", X86_FAMILY,
		RULE("\"read\", \"open\", \"close\", \"getppid\"", "SCMP_ACT_ALLOW", "") ","
		RULE("\"write\"", "SCMP_ACT_TRAP", "") ","
		RULE("\"process_mrelease\"", "SCMP_ACT_ERRNO", "")),
};

START_TEST(cells_change_no_answer)
{
	struct built b = build(mutated_profiles[_i]);
	struct shim_filter progs[3];
	struct shim_error err = { 0 };
	uint64_t state = 0x2545f4914f6cdd1dULL + (uint64_t)_i;
	size_t n_progs = 0, wrong = 0;

	ck_assert_int_eq(shim_compile_libseccomp_unchecked(b.p, &b.pol, false, &progs[n_progs++], &err), 0);
	ck_assert_int_eq(shim_compile_libseccomp_unchecked(b.p, &b.pol, true, &progs[n_progs++], &err), 0);
	if (shim_compile(b.p, &b.pol, NULL, &progs[n_progs], NULL, &err) == 0)
		n_progs++;
	for (size_t m = 0; m < 3 * 60; m++) {
		const struct shim_filter *f = &progs[m % n_progs];
		struct shim_filter mutant = { .n_insns = f->n_insns };
		struct shim_seccomp_data d = { 0 }, plain_d = { 0 };
		size_t inputs = 0, plain_inputs = 0;
		int rc, plain_rc;

		mutant.insns = malloc(f->n_insns * sizeof(*f->insns));
		ck_assert_ptr_nonnull(mutant.insns);
		memcpy(mutant.insns, f->insns, f->n_insns * sizeof(*f->insns));
		for (uint64_t k = 1 + mutation_random(&state) % 2; k-- > 0;)
			mutate(mutant.insns, mutant.n_insns, &state);
		rc = shim_filter_check(&b.pol, b.ref, &mutant, &d, &inputs, &err);
		plain_rc = shim_filter_check_sweep(&b.pol, b.ref, &mutant, true, &plain_d,
						   &plain_inputs, &err);
		ck_assert_int_eq(rc, plain_rc);
		if (rc == 0) {
			ck_assert_mem_eq(&d, &plain_d, sizeof(d));
			wrong++;
		}
		if (rc >= 0)
			ck_assert_uint_eq(inputs, plain_inputs);
		shim_filter_free(&mutant);
	}
	ck_assert_uint_gt(wrong, 30); /* not vacuous: many mutants are wrong */
	for (size_t i = 0; i < n_progs; i++)
		shim_filter_free(&progs[i]);
	release(&b);
}
END_TEST

static const char *eval_text(const struct built *b, const struct shim_filter *f, uint32_t arch,
			     const char *name, uint64_t a0, uint64_t a1)
{
	static char buf[512];
	uint64_t args[6] = { a0, a1 };
	struct shim_verdict v;
	struct shim_text t = { 0 };
	struct shim_error err = { 0 };

	ck_assert_int_eq(shim_eval(&b->pol, f, arch, nr_of(name, arch), args, &v, &err), 0);
	shim_verdict_describe(b->p, &v, &t);
	snprintf(buf, sizeof(buf), "%s", t.s);
	shim_text_free(&t);
	return buf;
}

/* eval names the rules' reason, and never the default for a verdict
 * the default does not give: a program that does not follow the rules
 * (one compiled before this check, or from --bpf) is called out. */
START_TEST(eval_reasons)
{
	struct built b = build(GETPPID_PROFILE);
	struct built i386 = build(I386_PROFILE);
	struct shim_filter bad, good;
	struct shim_error err = { 0 };

	ck_assert_int_eq(shim_compile_libseccomp_unchecked(b.p, &b.pol, false, &bad, &err), 0);
	ck_assert_str_eq(eval_text(&b, &bad, AMD64, "getppid", 0, 0xffffffff),
			 "ALLOW from the filter, which does not follow the rules here: they say ERRNO(EPERM) by default action");
	ck_assert_str_eq(eval_text(&b, &bad, AMD64, "getppid", 0, 0),
			 "ALLOW by syscalls[1].names[0] (t.json:1:209, when arg1 < 0x1)");
	ck_assert_str_eq(eval_text(&b, &bad, AMD64, "getppid", 5, 7),
			 "KILL_THREAD by syscalls[2].names[0] (t.json:1:317, when arg0 == 0x5)");
	ck_assert_str_eq(eval_text(&b, &bad, AMD64, "getppid", 1, 7),
			 "ERRNO(EPERM) by default action");
	shim_filter_free(&bad);
	ck_assert_int_eq(shim_compile(i386.p, &i386.pol, NULL, &good, NULL, &err), 0);
	ck_assert_str_eq(eval_text(&i386, &good, I386, "futex_waitv", 8, 0),
			 "ALLOW by syscalls[0].names[0] (t.json:1:112, when arg0 >= 0x100000002)");
	ck_assert_str_eq(eval_text(&i386, &good, I386, "sigprocmask", 1, 0),
			 "ERRNO(EPERM) by syscalls[1].names[0] (t.json:1:237, when arg0 <= 0xfffffffd)");
	shim_filter_free(&good);
	release(&i386);
	release(&b);
}
END_TEST

Suite *refeval_suite(void)
{
	Suite *s = suite_create("refeval");
	TCase *tc = tcase_create("the rules' own verdicts");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, verdicts, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_loop_test(tc, fallback_choice, 0, sizeof(choices) / sizeof(choices[0]));
	tcase_add_test(tc, unchecked_programs_are_wrong);
	tcase_add_test(tc, eval_reasons);
	tcase_add_loop_test(tc, wrong_verdicts_found, 0,
			    sizeof(wrong_prefixes) / sizeof(wrong_prefixes[0]));
	tcase_add_test(tc, number_cuts);
	tcase_add_test(tc, argument_constants);
	tcase_add_test(tc, remainder_without_division);
	tcase_add_loop_test(tc, cells_change_no_answer, 0,
			    sizeof(mutated_profiles) / sizeof(mutated_profiles[0]));
	suite_add_tcase(s, tc);
	return s;
}
