/* bpfgen: our generator against libseccomp and against the rules. Each
 * profile is compiled both ways and the two programs must give the same
 * verdict on every input shim_filter_equivalent builds, ours the rules'
 * own verdict (lib/refeval.c) too; profiles in shapes the generator
 * leaves to libseccomp must really be compiled by libseccomp. */
#include <seccomp.h>
#include <linux/seccomp.h>

#include "suites.h"
#include "internal.h"

enum who { OURS, LIBSECCOMP, EITHER };

/* Ours (checked), or libseccomp's binary tree as it comes (unchecked:
 * it is what ours is compared with). */
static int compile_one(struct shim_profile *p, const struct shim_policy *pol, bool lib,
		       struct shim_filter *f, struct shim_error *err)
{
	struct shim_warnings w = { 0 };
	int rc;

	if (lib)
		return shim_compile_libseccomp_unchecked(p, pol, false, f, err);
	rc = shim_compile(p, pol, NULL, f, &w, err);
	/* A warning here is our generator disagreeing with the rules. */
	for (size_t i = 0; i < w.n; i++)
		ck_abort_msg("%s", w.msgs[i]);
	shim_warnings_free(&w);
	return rc;
}

/* Our program gives what the rules say. */
static void follows_rules(const struct shim_policy *pol, const struct shim_filter *f,
			  const char *text)
{
	struct shim_ref *ref;
	struct shim_seccomp_data d;
	struct shim_error err = { 0 };
	size_t inputs;
	int rc;

	ck_assert_int_eq(shim_ref_new(pol, &ref, &err), 0);
	rc = shim_filter_check(pol, ref, f, &d, &inputs, &err);
	ck_assert_msg(rc == 1,
		      "not what the rules say on arch 0x%x nr %u args %llx %llx %llx %llx %llx %llx (profile %s)",
		      d.arch, (unsigned)d.nr, (unsigned long long)d.args[0],
		      (unsigned long long)d.args[1], (unsigned long long)d.args[2],
		      (unsigned long long)d.args[3], (unsigned long long)d.args[4],
		      (unsigned long long)d.args[5], text);
	shim_ref_free(ref);
}

/* Compiles text for a host both ways; the programs must agree. */
static void same_verdicts(const char *text, const char *host_arch, uint64_t bounding,
			  enum who expected)
{
	struct shim_profile *p = parse_ok(text);
	struct shim_host h = { .arch = shim_arch_by_oci(host_arch), .kernel_major = 6,
			       .kernel_minor = 1, .bounding = bounding,
			       .supported_flags = SECCOMP_FILTER_FLAG_SPEC_ALLOW };
	struct shim_policy pol;
	struct shim_filter ours, theirs;
	struct shim_seccomp_data d;
	struct shim_error err = { 0 }, their_err = { 0 };
	size_t inputs;
	int rc;

	ck_assert_ptr_nonnull(h.arch);
	ck_assert_int_eq(shim_resolve(p, &h, &pol, NULL, &err), 0);
	rc = compile_one(p, &pol, true, &theirs, &their_err);
	/* What libseccomp refuses is refused, with its message. */
	if (rc < 0) {
		ck_assert_int_lt(compile_one(p, &pol, false, &ours, &err), 0);
		ck_assert_str_eq(err.msg, their_err.msg);
		ck_assert_int_ne(expected, OURS);
		shim_policy_free(&pol);
		shim_profile_free(p);
		return;
	}
	if (compile_one(p, &pol, false, &ours, &err) < 0)
		ck_abort_msg("compile failed: %s", err.msg);
	ck_assert(theirs.by_libseccomp);
	if (expected != EITHER)
		ck_assert_msg(ours.by_libseccomp == (expected == LIBSECCOMP),
			      "%s compiled by %s", host_arch,
			      ours.by_libseccomp ? "libseccomp" : "our generator");
	rc = shim_filter_equivalent(&pol, &ours, &theirs, &d, &inputs, &err);
	if (rc < 0)
		ck_abort_msg("comparing: %s", err.msg);
	ck_assert_msg(rc == 1,
		      "programs differ on arch 0x%x nr %u args %llx %llx %llx %llx %llx %llx (profile %s)",
		      d.arch, (unsigned)d.nr, (unsigned long long)d.args[0],
		      (unsigned long long)d.args[1], (unsigned long long)d.args[2],
		      (unsigned long long)d.args[3], (unsigned long long)d.args[4],
		      (unsigned long long)d.args[5], text);
	ck_assert_uint_gt(inputs, 2500);
	follows_rules(&pol, &ours, text);
	shim_filter_free(&ours);
	shim_filter_free(&theirs);
	shim_policy_free(&pol);
	shim_profile_free(p);
}

static const char *const host_arches[] = {
	"SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_X86",
};

START_TEST(builtin_profiles)
{
	const char *names[] = { "runtime/default", "audit" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *text = shim_builtin_profile(names[i]);
		ck_assert_ptr_nonnull(text);
		same_verdicts(text, host_arches[_i], ~0ULL, OURS);
		same_verdicts(text, host_arches[_i], 0, OURS);
		same_verdicts(text, host_arches[_i], 1ULL << 21 /* CAP_SYS_ADMIN */, OURS);
	}
}
END_TEST

#define PROFILE(def, arches, rules) \
	"{\"defaultAction\": \"" def "\", \"architectures\": [" arches "], \"syscalls\": [" rules "]}"
#define X86_FAMILY "\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\""
#define ARG(i, op, v) "{\"index\": " #i ", \"value\": " #v ", \"op\": \"SCMP_CMP_" #op "\"}"
#define MASKED(i, m, v) \
	"{\"index\": " #i ", \"value\": " #m ", \"valueTwo\": " #v ", \"op\": \"SCMP_CMP_MASKED_EQ\"}"
#define RULE(names, act, args) "{\"names\": [" names "], \"action\": \"" act "\", \"args\": [" args "]}"

/* libseccomp's corners, each reproduced (or left to it) on purpose. */
static const struct {
	const char *text;
	enum who who;
} quirks[] = {
	/* x86: socket calls become socketcall(arg0 == call) plus the direct
	 * syscall where i386 has one; the rule's arg0 test is dropped. */
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY,
		  RULE("\"socket\", \"recv\", \"accept\", \"recvmmsg\", \"semop\", \"semget\", \"shmctl\"",
		       "SCMP_ACT_ALLOW", "") ","
		  RULE("\"connect\"", "SCMP_ACT_ALLOW", ARG(0, EQ, 5) "," ARG(1, GT, 7)) ","
		  RULE("\"bind\"", "SCMP_ACT_LOG", "")),
	  OURS },
	/* socketcall named itself, before and after the calls it carries. */
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY,
		  RULE("\"socketcall\"", "SCMP_ACT_LOG", "") ","
		  RULE("\"socket\", \"ipc\", \"msgget\"", "SCMP_ACT_ALLOW", "")),
	  OURS },
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY,
		  RULE("\"socket\", \"msgget\"", "SCMP_ACT_ALLOW", "") ","
		  RULE("\"socketcall\", \"ipc\"", "SCMP_ACT_LOG", "")),
	  OURS },
	/* Unconditional wins over conditional, in either order; the first
	 * unconditional one wins over a later one. */
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY,
		  RULE("\"read\"", "SCMP_ACT_ALLOW", ARG(0, EQ, 5)) ","
		  RULE("\"read\", \"write\"", "SCMP_ACT_LOG", "") ","
		  RULE("\"write\"", "SCMP_ACT_ALLOW", ARG(0, EQ, 5)) ","
		  RULE("\"getpid\"", "SCMP_ACT_ALLOW", "") ","
		  RULE("\"getpid\", \"getppid\"", "SCMP_ACT_KILL_PROCESS", "") ","
		  RULE("\"getppid\"", "SCMP_ACT_ALLOW", "")),
	  OURS },
	/* A masked test with no mask bit in the arch's width is left out:
	 * alone, the rule is unconditional and the first such rule wins
	 * (mask 2^32: on i386 and x32 only) (#15.1). */
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY,
		  RULE("\"getppid\"", "SCMP_ACT_KILL_PROCESS", MASKED(4, 0, 0)) ","
		  RULE("\"getppid\"", "SCMP_ACT_ALLOW", "") ","
		  RULE("\"getpid\"", "SCMP_ACT_LOG", MASKED(1, 4294967296, 0)) ","
		  RULE("\"getpid\"", "SCMP_ACT_ALLOW", "") ","
		  RULE("\"gettid\"", "SCMP_ACT_TRAP", MASKED(1, 18446744069414584320, 5) "," MASKED(2, 0, 1)) ","
		  RULE("\"gettid\"", "SCMP_ACT_ALLOW", "") ","
		  RULE("\"getuid\"", "SCMP_ACT_TRAP", MASKED(1, 0, 0) "," ARG(2, EQ, 7)) ","
		  RULE("\"getuid\"", "SCMP_ACT_ALLOW", "")),
	  OURS },
	/* Every operator, 64-bit values on 32-bit arches (truncated), a
	 * masked value with bits outside its mask. */
	{ PROFILE("SCMP_ACT_KILL_PROCESS", X86_FAMILY,
		  RULE("\"read\"", "SCMP_ACT_ALLOW", ARG(0, EQ, 8589934597)) ","
		  RULE("\"write\"", "SCMP_ACT_ALLOW", ARG(0, GT, 5) "," ARG(2, LE, 4294967296)) ","
		  RULE("\"close\"", "SCMP_ACT_ALLOW", MASKED(0, 12, 3)) ","
		  RULE("\"dup\"", "SCMP_ACT_ALLOW", MASKED(0, 18446744069414584320, 4294967296)) ","
		  RULE("\"lseek\"", "SCMP_ACT_ALLOW", ARG(1, NE, 4294967297)) ","
		  RULE("\"mmap\"", "SCMP_ACT_ALLOW", ARG(3, LT, 8589934592)) ","
		  RULE("\"munmap\"", "SCMP_ACT_ALLOW", ARG(5, GE, 18446744073709551615)) ","
		  RULE("\"mprotect\"", "SCMP_ACT_ALLOW", ARG(0, GE, 0)) ","
		  RULE("\"brk\"", "SCMP_ACT_ALLOW", ARG(0, LT, 0)) ","
		  RULE("\"kill\"", "SCMP_ACT_ALLOW", ARG(1, EQ, 0)) ","
		  RULE("\"kill\"", "SCMP_ACT_ALLOW", ARG(1, EQ, 15) "," ARG(0, GT, 1))),
	  OURS },
	/* Different actions on one syscall: reproduced when disjoint. */
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY,
		  RULE("\"personality\"", "SCMP_ACT_ALLOW", ARG(0, EQ, 0)) ","
		  RULE("\"personality\"", "SCMP_ACT_LOG", ARG(0, EQ, 8) "," ARG(1, EQ, 1)) ","
		  RULE("\"personality\"", "SCMP_ACT_ALLOW", ARG(0, EQ, 4294967295))),
	  OURS },
	/* Podman's socket rules: each pair apart on its own argument (on x86
	 * they meet in socketcall, which libseccomp refuses). */
	{ PROFILE("SCMP_ACT_ERRNO", "\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X32\"",
		  "{\"names\": [\"socket\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 22, \"args\": ["
		  ARG(0, EQ, 16) "," ARG(2, EQ, 9) "]},"
		  RULE("\"socket\"", "SCMP_ACT_ALLOW", ARG(2, NE, 9)) ","
		  RULE("\"socket\"", "SCMP_ACT_ALLOW", ARG(0, NE, 16))),
	  OURS },
	{ PROFILE("SCMP_ACT_ERRNO", "\"SCMP_ARCH_X86_64\"",
		  RULE("\"close\"", "SCMP_ACT_LOG", ARG(1, EQ, 5)) ","
		  RULE("\"close\"", "SCMP_ACT_ALLOW", ARG(0, EQ, 5))),
	  LIBSECCOMP },
	/* Equal on a 64-bit arch, equal once truncated on a 32-bit one. */
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY,
		  RULE("\"fcntl\"", "SCMP_ACT_ALLOW", ARG(1, EQ, 1)) ","
		  RULE("\"fcntl\"", "SCMP_ACT_LOG", ARG(1, EQ, 4294967297))),
	  LIBSECCOMP },
	/* An allow-all default with a deny list: no stub, ranges of ERRNO. */
	{ PROFILE("SCMP_ACT_ALLOW", X86_FAMILY,
		  RULE("\"mount\", \"umount\", \"umount2\", \"kexec_load\", \"ptrace\"",
		       "SCMP_ACT_ERRNO", "") ","
		  RULE("\"unshare\"", "SCMP_ACT_KILL_THREAD", MASKED(0, 268435456, 268435456))),
	  OURS },
	/* Only x86_64: pseudo numbers above bit 30 meet the x32 split. */
	{ PROFILE("SCMP_ACT_ERRNO", "\"SCMP_ARCH_X86_64\"",
		  RULE("\"read\", \"socketcall\", \"ipc\", \"recv\"", "SCMP_ACT_ALLOW", "")),
	  OURS },
	/* ARM's private calls, far above the others (0xf0001...). */
	{ PROFILE("SCMP_ACT_ERRNO", "\"SCMP_ARCH_ARM\"",
		  RULE("\"cacheflush\", \"set_tls\", \"read\"", "SCMP_ACT_ALLOW", "") ","
		  RULE("\"breakpoint\"", "SCMP_ACT_LOG", ARG(1, GT, 3))),
	  OURS },
	{ PROFILE("SCMP_ACT_TRAP", "\"SCMP_ARCH_AARCH64\", \"SCMP_ARCH_ARM\"",
		  RULE("\"read\", \"open\", \"renameat\", \"socket\"", "SCMP_ACT_ALLOW", "") ","
		  RULE("\"ioctl\"", "SCMP_ACT_TRACE", ARG(1, MASKED_EQ, 21505))),
	  EITHER },
};

START_TEST(libseccomp_quirks)
{
	same_verdicts(quirks[_i].text, "SCMP_ARCH_X86_64", ~0ULL, quirks[_i].who);
}
END_TEST

START_TEST(other_hosts)
{
	for (size_t i = 1; i < sizeof(host_arches) / sizeof(host_arches[0]); i++)
		same_verdicts(quirks[_i].text, host_arches[i], ~0ULL, EITHER);
}
END_TEST

static const char *const pool_names[] = {
	"read", "write", "close", "socket", "connect", "recv", "accept", "accept4",
	"recvmmsg", "sendmmsg", "socketcall", "ipc", "semop", "semget", "shmat", "msgrcv",
	"umount", "umount2", "open", "openat", "clone", "clone3", "personality", "getpid",
	"exit_group", "faccessat2", "arch_prctl", "mmap", "mmap2", "_llseek", "kill", "ioctl",
};
static const char *const pool_actions[] = {
	"SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_ERRNO",
	"SCMP_ACT_TRAP",
};
static const char *const pool_ops[] = { "NE", "LT", "LE", "EQ", "GE", "GT", "MASKED_EQ" };
static const char *const pool_values[] = {
	"0", "1", "5", "15", "4294967295", "4294967296", "4294967297", "18446744073709551615",
	"2147483648", "9223372036854775808",
};

static uint32_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (uint32_t)(*s >> 11);
}

/* Random profiles from small pools, so that names, numbers and values
 * collide often: whatever shape comes out, the verdicts must agree. One
 * condition at most has a range operator: libseccomp 2.5 miscompiles
 * several range tests on one syscall (see libseccomp_miscompiles). */
START_TEST(random_profiles)
{
	uint64_t s = 0x1234567ULL + (uint64_t)_i * 0x9e3779b97f4a7c15ULL;
	char text[8192];
	size_t n = 0;
	unsigned rules = 1 + rnd(&s) % 8;
	bool range_used = false;

#define OUT(...) (n += (size_t)snprintf(text + n, sizeof(text) - n, __VA_ARGS__))
	OUT("{\"defaultAction\": \"%s\", \"architectures\": [" X86_FAMILY "], \"syscalls\": [",
	    rnd(&s) % 2 ? "SCMP_ACT_ERRNO" : "SCMP_ACT_ALLOW");
	for (unsigned r = 0; r < rules; r++) {
		unsigned names = 1 + rnd(&s) % 3, args = rnd(&s) % 3;
		OUT("%s{\"names\": [", r ? ", " : "");
		for (unsigned k = 0; k < names; k++)
			OUT("%s\"%s\"", k ? ", " : "", pool_names[rnd(&s) % 32]);
		OUT("], \"action\": \"%s\", \"args\": [", pool_actions[rnd(&s) % 5]);
		for (unsigned k = 0; k < args; k++) {
			const char *op = pool_ops[rnd(&s) % 7];
			bool range = strcmp(op, "EQ") && strcmp(op, "MASKED_EQ");

			if (range && range_used)
				op = rnd(&s) % 2 ? "EQ" : "MASKED_EQ";
			range_used |= range;
			OUT("%s{\"index\": %u, \"value\": %s, \"valueTwo\": %s, \"op\": \"SCMP_CMP_%s\"}",
			    k ? ", " : "", rnd(&s) % 3, pool_values[rnd(&s) % 10],
			    pool_values[rnd(&s) % 10], op);
		}
		OUT("]}");
	}
	OUT("]}");
#undef OUT
	same_verdicts(text, "SCMP_ARCH_X86_64", ~0ULL, EITHER);
}
END_TEST

/* Long lists of values on one argument, two actions, values with and
 * without high bits: the runs of jeq and their shared returns. */
START_TEST(value_lists)
{
	static char text[65536];
	size_t n = 0;
	unsigned count = 60 + 90 * (unsigned)_i;

	n += (size_t)snprintf(text + n, sizeof(text) - n,
			      "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [" X86_FAMILY
			      "], \"syscalls\": [");
	for (unsigned v = 0; v < count; v++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "%s{\"names\": [\"ioctl\", \"fcntl\"], \"action\": \"%s\", \"args\": ["
				      "{\"index\": 1, \"value\": %llu, \"op\": \"SCMP_CMP_EQ\"}]}",
				      v ? ", " : "", v % 7 == 3 ? "SCMP_ACT_LOG" : "SCMP_ACT_ALLOW",
				      (unsigned long long)v * 0x2f01ULL + (v % 5 == 0 ? (1ULL << 33) * v : 0));
	snprintf(text + n, sizeof(text) - n, "]}");
	same_verdicts(text, "SCMP_ARCH_X86_64", ~0ULL, OURS);
}
END_TEST

static const char *verdict(const struct shim_filter *f, uint32_t arch, int nr, uint64_t a1,
			   uint64_t a2)
{
	static char buf[64];
	struct shim_seccomp_data d = { .nr = nr, .arch = arch, .args = { 0, a1, a2 } };
	struct shim_error err = { 0 };
	uint32_t ret;

	ck_assert_int_eq(shim_bpf_run(f->insns, f->n_insns, &d, &ret, &err), 0);
	shim_bpf_ret_format(ret, buf, sizeof(buf));
	return buf;
}

/* Two rules testing one 64-bit argument with ranges: libseccomp 2.5.4
 * jumps from the low-word test into a high-word test of the other rule
 * with the low word still loaded, and kills open(_, 0xffffffff, _),
 * which neither rule matches. Our program gives what the rules say. */
START_TEST(libseccomp_miscompiles)
{
	struct shim_profile *p = parse_ok(PROFILE("SCMP_ACT_ALLOW", "\"SCMP_ARCH_X86_64\"",
		RULE("\"open\"", "SCMP_ACT_KILL_PROCESS", ARG(1, LE, 15) "," ARG(2, NE, 4294967297)) ","
		RULE("\"open\"", "SCMP_ACT_KILL_PROCESS", ARG(1, GE, 4294967297))));
	struct shim_host h = { .arch = shim_arch_by_oci("SCMP_ARCH_X86_64"), .kernel_major = 6 };
	struct shim_policy pol;
	struct shim_filter ours, theirs;
	struct shim_error err = { 0 };

	ck_assert_int_eq(shim_resolve(p, &h, &pol, NULL, &err), 0);
	ck_assert_int_eq(compile_one(p, &pol, false, &ours, &err), 0);
	ck_assert_int_eq(compile_one(p, &pol, true, &theirs, &err), 0);
	ck_assert(!ours.by_libseccomp);
	follows_rules(&pol, &ours, "open");
	ck_assert_str_eq(verdict(&ours, SCMP_ARCH_X86_64, 2, 0xffffffff, 0), "ALLOW");
	ck_assert_str_eq(verdict(&theirs, SCMP_ARCH_X86_64, 2, 0xffffffff, 0), "KILL_PROCESS");
	ck_assert_str_eq(verdict(&ours, SCMP_ARCH_X86_64, 2, 15, 0), "KILL_PROCESS");
	ck_assert_str_eq(verdict(&ours, SCMP_ARCH_X86_64, 2, 15, 4294967297), "ALLOW");
	ck_assert_str_eq(verdict(&ours, SCMP_ARCH_X86_64, 2, 16, 0), "ALLOW");
	ck_assert_str_eq(verdict(&ours, SCMP_ARCH_X86_64, 2, 4294967297, 0), "KILL_PROCESS");
	ck_assert_str_eq(verdict(&ours, SCMP_ARCH_X86_64, 2, 4294967296, 0), "ALLOW");
	ck_assert_str_eq(verdict(&ours, SCMP_ARCH_X86_64, 2, ~0ULL, 0), "KILL_PROCESS");
	shim_filter_free(&ours);
	shim_filter_free(&theirs);
	/* Asked for libseccomp's program: neither of its programs follows
	 * the rules, so nothing is compiled. */
	{
		struct shim_compile_options lib = { .libseccomp = true };
		ck_assert_int_lt(shim_compile(p, &pol, &lib, &theirs, NULL, &err), 0);
		ck_assert_msg(strstr(err.msg, "on SCMP_ARCH_X86_64 open(0, 0xffffffff, 0, 0, 0, 0) the rules say ALLOW by default action, but libseccomp's binary tree gives KILL_PROCESS"),
			      "%s", err.msg);
	}
	shim_policy_free(&pol);
	shim_profile_free(p);
}
END_TEST

/* Random profiles with any number of range tests, held to the rules
 * rather than to libseccomp: whatever compile hands out follows them
 * (ours, or libseccomp's program that does), and a refusal names an
 * input where the rules and a program disagree. Our generator getting
 * one wrong fails the test (compile_one turns its warning into a
 * failure). */
START_TEST(random_against_rules)
{
	uint64_t s = 0x7654321ULL + (uint64_t)_i * 0x9e3779b97f4a7c15ULL;
	static const char *const arches[] = { "", "\"SCMP_ARCH_X86\"", X86_FAMILY };
	char text[8192];
	size_t n = 0;
	unsigned rules = 1 + rnd(&s) % 6;
	struct shim_profile *p;
	struct shim_host h = { .arch = shim_arch_by_oci("SCMP_ARCH_X86_64"), .kernel_major = 6,
			       .kernel_minor = 1, .bounding = ~0ULL,
			       .supported_flags = SECCOMP_FILTER_FLAG_SPEC_ALLOW };
	struct shim_policy pol;
	struct shim_filter f;
	struct shim_error err = { 0 };

#define OUT(...) (n += (size_t)snprintf(text + n, sizeof(text) - n, __VA_ARGS__))
	OUT("{\"defaultAction\": \"%s\", \"architectures\": [%s], \"syscalls\": [",
	    pool_actions[rnd(&s) % 5], arches[rnd(&s) % 3]);
	for (unsigned r = 0; r < rules; r++) {
		unsigned names = 1 + rnd(&s) % 2, args = rnd(&s) % 3;
		OUT("%s{\"names\": [", r ? ", " : "");
		for (unsigned k = 0; k < names; k++)
			OUT("%s\"%s\"", k ? ", " : "", pool_names[rnd(&s) % 8]);
		OUT("], \"action\": \"%s\", \"args\": [", pool_actions[rnd(&s) % 5]);
		for (unsigned k = 0; k < args; k++)
			OUT("%s{\"index\": %u, \"value\": %s, \"valueTwo\": %s, \"op\": \"SCMP_CMP_%s\"}",
			    k ? ", " : "", rnd(&s) % 3, pool_values[rnd(&s) % 10],
			    pool_values[rnd(&s) % 10], pool_ops[rnd(&s) % 7]);
		OUT("]}");
	}
	OUT("]}");
#undef OUT
	p = parse_ok(text);
	ck_assert_int_eq(shim_resolve(p, &h, &pol, NULL, &err), 0);
	if (compile_one(p, &pol, false, &f, &err) == 0) {
		follows_rules(&pol, &f, text);
		shim_filter_free(&f);
	} else {
		ck_assert_msg(strstr(err.msg, "the rules say") || strstr(err.msg, "libseccomp refused"),
			      "%s (profile %s)", err.msg, text);
	}
	shim_policy_free(&pol);
	shim_profile_free(p);
}
END_TEST

Suite *bpfgen_suite(void)
{
	Suite *s = suite_create("bpfgen");
	TCase *tc = tcase_create("against libseccomp");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, builtin_profiles, 0, sizeof(host_arches) / sizeof(host_arches[0]));
	tcase_add_loop_test(tc, libseccomp_quirks, 0, sizeof(quirks) / sizeof(quirks[0]));
	tcase_add_loop_test(tc, other_hosts, 0, sizeof(quirks) / sizeof(quirks[0]));
	tcase_add_loop_test(tc, random_profiles, 0, 150);
	tcase_add_test(tc, libseccomp_miscompiles);
	tcase_add_loop_test(tc, value_lists, 0, 4);
	tcase_add_loop_test(tc, random_against_rules, 0, 300);
	suite_add_tcase(s, tc);
	return s;
}
