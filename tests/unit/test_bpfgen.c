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
		ck_abort_msg("%s", w.v[i].message);
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

/* Whether the programs' difference on d is libseccomp's known error. */
static bool excused(const struct shim_policy *pol, const struct shim_filter *ours,
		    const struct shim_filter *theirs, const struct shim_seccomp_data *d)
{
	struct shim_error err = { 0 };
	struct shim_ref *ref;
	int rc;

	ck_assert_int_eq(shim_ref_new(pol, &ref, &err), 0);
	rc = shim_libseccomp_excused(ref, ours, theirs, d, &err);
	ck_assert_int_ge(rc, 0);
	shim_ref_free(ref);
	return rc == 1;
}

/* Compiles text for a host both ways; the programs must agree, but where
 * libseccomp's breaks the rules in a shape it is known to. */
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
	/* Where libseccomp 2.5.4 is known to break the rules: its error
	 * (ours follows them everywhere, below). */
	if (rc == 0 && excused(&pol, &ours, &theirs, &d))
		rc = 1;
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

/* Tests that always hold or never do, on every arch or on 32-bit ones
 * (values cut to the low word): masks with no bit (libseccomp leaves the
 * test out), GE 0, LE max, LT 0, GT max. */
static const char *const constant_tests[] = {
	"\"value\": 0, \"valueTwo\": 5, \"op\": \"SCMP_CMP_MASKED_EQ\"",
	"\"value\": 4294967296, \"valueTwo\": 0, \"op\": \"SCMP_CMP_MASKED_EQ\"",
	"\"value\": 18446744069414584320, \"valueTwo\": 4294967296, \"op\": \"SCMP_CMP_MASKED_EQ\"",
	"\"value\": 0, \"op\": \"SCMP_CMP_GE\"",
	"\"value\": 18446744073709551615, \"op\": \"SCMP_CMP_LE\"",
	"\"value\": 4294967295, \"op\": \"SCMP_CMP_LE\"",
	"\"value\": 0, \"op\": \"SCMP_CMP_LT\"",
	"\"value\": 18446744073709551615, \"op\": \"SCMP_CMP_GT\"",
	"\"value\": 4294967295, \"op\": \"SCMP_CMP_GT\"",
};
#define N_MASKS 3 /* the first constant tests: no range operator */

static const char *const random_arches[] = {
	"", "\"SCMP_ARCH_X86\"", X86_FAMILY, "\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X32\"",
};

/* A random profile from small pools, so that names, numbers and values
 * collide often, with tests that always hold or never do, and rules that
 * repeat an earlier rule's names with another action (with its tests,
 * or none: conflicts libseccomp refuses, or unconditional rules that end
 * them). At most max_ranges range tests (NE, LT, LE, GE, GT), constants
 * included. */
static void random_profile(uint64_t s, char *text, size_t size, unsigned max_ranges)
{
	char names[8][200], args[8][1200];
	unsigned rules = 1 + rnd(&s) % 8, ranges = 0;
	size_t n = 0;

#define OUT(buf, len, ...) (len += (size_t)snprintf(buf + len, sizeof(buf) - len, __VA_ARGS__))
	n += (size_t)snprintf(text, size, "{\"defaultAction\": \"%s\", \"architectures\": [%s], \"syscalls\": [",
			      rnd(&s) % 2 ? "SCMP_ACT_ERRNO" : "SCMP_ACT_ALLOW", random_arches[rnd(&s) % 4]);
	for (unsigned r = 0; r < rules; r++) {
		unsigned kind = r ? rnd(&s) % 8 : 7;
		size_t nn = 0, an = 0;

		if (kind < 2) { /* a conflict: an earlier rule's names */
			unsigned e = rnd(&s) % r;
			snprintf(names[r], sizeof(names[r]), "%s", names[e]);
			snprintf(args[r], sizeof(args[r]), "%s", kind == 0 ? args[e] : "");
		} else {
			unsigned n_names = 1 + rnd(&s) % 3, n_args = rnd(&s) % 3;

			names[r][0] = args[r][0] = '\0';
			for (unsigned k = 0; k < n_names; k++)
				OUT(names[r], nn, "%s\"%s\"", k ? ", " : "", pool_names[rnd(&s) % 32]);
			for (unsigned k = 0; k < n_args; k++) {
				unsigned idx = rnd(&s) % 3, c = rnd(&s) % 9;
				const char *op = pool_ops[rnd(&s) % 7];

				if (rnd(&s) % 4 == 0) {
					if (c >= N_MASKS && ranges >= max_ranges)
						c = rnd(&s) % N_MASKS;
					ranges += c >= N_MASKS;
					OUT(args[r], an, "%s{\"index\": %u, %s}", k ? ", " : "", idx,
					    constant_tests[c]);
					continue;
				}
				if (strcmp(op, "EQ") && strcmp(op, "MASKED_EQ") && ranges >= max_ranges)
					op = rnd(&s) % 2 ? "EQ" : "MASKED_EQ";
				ranges += strcmp(op, "EQ") && strcmp(op, "MASKED_EQ");
				OUT(args[r], an,
				    "%s{\"index\": %u, \"value\": %s, \"valueTwo\": %s, \"op\": \"SCMP_CMP_%s\"}",
				    k ? ", " : "", idx, pool_values[rnd(&s) % 10], pool_values[rnd(&s) % 10], op);
			}
		}
		n += (size_t)snprintf(text + n, size - n, "%s{\"names\": [%s], \"action\": \"%s\", \"args\": [%s]}",
				      r ? ", " : "", names[r], pool_actions[rnd(&s) % 5], args[r]);
	}
	snprintf(text + n, size - n, "]}");
#undef OUT
}

/* What a profile comes to on an x86_64 host: a program, or an error. */
struct outcome {
	struct shim_profile *p;
	struct shim_policy pol;
	struct shim_filter f;
	int rc;
	struct shim_error err;
};

static struct outcome compile_text(const char *text, size_t len)
{
	struct shim_host h = { .arch = shim_arch_by_oci("SCMP_ARCH_X86_64"), .kernel_major = 6,
			       .kernel_minor = 1, .bounding = ~0ULL,
			       .supported_flags = SECCOMP_FILTER_FLAG_SPEC_ALLOW };
	struct outcome o = { .p = NULL };
	struct shim_error err = { 0 };

	if (shim_profile_parse("again.json", text, len, &o.p, NULL, &err) < 0)
		ck_abort_msg("an export does not parse: %s (%.*s)", err.msg, (int)len, text);
	ck_assert_int_eq(shim_resolve(o.p, &h, &o.pol, NULL, &err), 0);
	o.rc = compile_one(o.p, &o.pol, false, &o.f, &o.err);
	return o;
}

static void outcome_free(struct outcome *o)
{
	if (o->rc == 0)
		shim_filter_free(&o->f);
	shim_policy_free(&o->pol);
	shim_profile_free(o->p);
}

/* The error without where it points: "libseccomp refused ...". */
static const char *reason(const char *msg)
{
	const char *r = strstr(msg, "libseccomp");
	return r ? r : msg;
}

/* export --format json and oci compile back to the same verdicts, or to
 * the same refusal. */
static void round_trips(const char *text)
{
	struct outcome o = compile_text(text, strlen(text));
	struct shim_error err = { 0 };
	struct shim_text out[2] = { { 0 } };

	ck_assert_int_eq(shim_export_json(o.p, &out[0], &err), 0);
	ck_assert_int_eq(shim_export_oci(&o.pol, &out[1], &err), 0);
	for (size_t k = 0; k < 2; k++) {
		struct outcome again = compile_text(out[k].s, out[k].len);
		struct shim_seccomp_data d;
		size_t inputs;

		ck_assert_msg((o.rc == 0) == (again.rc == 0), "%s: \"%s\" and \"%s\" (profile %s)",
			      k ? "oci" : "json", o.rc ? o.err.msg : "", again.rc ? again.err.msg : "", text);
		if (o.rc)
			ck_assert_str_eq(reason(again.err.msg), reason(o.err.msg));
		else
			ck_assert_msg(shim_filter_equivalent(&o.pol, &o.f, &again.f, &d, &inputs, &err) == 1,
				      "export --format %s compiles to other verdicts (profile %s)",
				      k ? "oci" : "json", text);
		outcome_free(&again);
		shim_text_free(&out[k]);
	}
	outcome_free(&o);
}

/* Random profiles: whatever shape comes out, the verdicts agree with
 * libseccomp's, or it refuses them as libseccomp does; and the exports
 * compile back to the same. One range test at most: libseccomp 2.5.4
 * miscompiles several range tests on one syscall (see
 * libseccomp_miscompiles). */
START_TEST(random_profiles)
{
	char text[16384];

	random_profile(0x1234567ULL + (uint64_t)_i * 0x9e3779b97f4a7c15ULL, text, sizeof(text), 1);
	same_verdicts(text, "SCMP_ARCH_X86_64", ~0ULL, EITHER);
	round_trips(text);
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

/* More shapes libseccomp 2.5.4 compiles wrong (#15, found by the tests
 * above): its program gives a verdict the rules do not give, ours gives
 * theirs. Each is one the differential test excuses
 * (shim_ref_libseccomp_suspect), but the linear program's, which it does
 * not compare. */
static const struct {
	const char *what, *text;
	bool linear; /* libseccomp's linear program is the wrong one */
	uint32_t arch; /* as seccomp_data has it */
	int nr;
	uint64_t a0, a1, a2;
	const char *rules, *libseccomp;
} known_wrong[] = {
	{ "NE with EQ on one 64-bit argument",
	  PROFILE("SCMP_ACT_ERRNO", "",
		  RULE("\"getppid\"", "SCMP_ACT_ALLOW", ARG(1, NE, 0) "," ARG(0, NE, 1)) ","
		  RULE("\"getppid\"", "SCMP_ACT_ALLOW", ARG(0, EQ, 0))),
	  false, SCMP_ARCH_X86_64, 110, 0xffffffff, 0, 0, "ERRNO(EPERM)", "ALLOW" },
	{ "equality tests only, one rule of two arguments between two of one",
	  PROFILE("SCMP_ACT_ERRNO", "\"SCMP_ARCH_X86\"",
		  RULE("\"getppid\"", "SCMP_ACT_LOG", ARG(0, EQ, 4294967297)) ","
		  RULE("\"getppid\"", "SCMP_ACT_LOG", ARG(0, EQ, 1) "," ARG(1, EQ, 1)) ","
		  RULE("\"getppid\"", "SCMP_ACT_LOG", ARG(0, EQ, 0))),
	  false, SCMP_ARCH_X86_64, 110, 1, 0, 0, "ERRNO(EPERM)", "LOG" },
	{ "x32, MASKED_EQ and NE",
	  PROFILE("SCMP_ACT_ERRNO", "\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X32\"",
		  RULE("\"getppid\"", "SCMP_ACT_ALLOW", MASKED(0, 1, 0)) ","
		  RULE("\"getppid\"", "SCMP_ACT_ALLOW", ARG(1, NE, 0) "," ARG(0, NE, 1))),
	  false, SCMP_ARCH_X86_64, 0x40000000 | 110, ~0ULL, 0, 0, "ERRNO(EPERM)", "ALLOW" },
	{ "i386 ipc with a range test",
	  PROFILE("SCMP_ACT_ERRNO", X86_FAMILY,
		  RULE("\"semget\"", "SCMP_ACT_LOG", ARG(2, GT, 1)) ","
		  RULE("\"socket\", \"recvmmsg\", \"semop\"", "SCMP_ACT_KILL_PROCESS", "")),
	  false, SCMP_ARCH_X86, 117 /* ipc */, 2 /* semget */, 0, 1, "ERRNO(EPERM)", "KILL_PROCESS" },
	{ "x86_64 and x32, every real rule conditional, an i386-only name",
	  PROFILE("SCMP_ACT_ERRNO", "\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X32\"",
		  RULE("\"getppid\"", "SCMP_ACT_ALLOW", ARG(0, EQ, 1)) ","
		  RULE("\"vm86\"", "SCMP_ACT_ALLOW", "")),
	  true, SCMP_ARCH_X86_64, 110, 1, 0, 0, "ALLOW", "ERRNO(EPERM)" },
};

START_TEST(libseccomp_known_wrong)
{
	struct shim_profile *p = parse_ok(known_wrong[_i].text);
	struct shim_host h = { .arch = shim_arch_by_oci("SCMP_ARCH_X86_64"), .kernel_major = 6 };
	struct shim_policy pol;
	struct shim_filter ours, theirs;
	struct shim_error err = { 0 };
	struct shim_seccomp_data d = { .nr = known_wrong[_i].nr, .arch = known_wrong[_i].arch,
				       .args = { known_wrong[_i].a0, known_wrong[_i].a1, known_wrong[_i].a2 } };
	struct shim_ref *ref;
	uint32_t ret;
	char got[64];

	ck_assert_int_eq(shim_resolve(p, &h, &pol, NULL, &err), 0);
	ck_assert_int_eq(compile_one(p, &pol, false, &ours, &err), 0);
	ck_assert_msg(!ours.by_libseccomp, "%s: compiled by libseccomp", known_wrong[_i].what);
	follows_rules(&pol, &ours, known_wrong[_i].text);
	ck_assert_int_eq(shim_compile_libseccomp_unchecked(p, &pol, known_wrong[_i].linear, &theirs, &err), 0);
	ck_assert_int_eq(shim_bpf_run(ours.insns, ours.n_insns, &d, &ret, &err), 0);
	shim_bpf_ret_format(ret, got, sizeof(got));
	ck_assert_msg(strcmp(got, known_wrong[_i].rules) == 0, "%s: ours gives %s", known_wrong[_i].what, got);
	ck_assert_int_eq(shim_bpf_run(theirs.insns, theirs.n_insns, &d, &ret, &err), 0);
	shim_bpf_ret_format(ret, got, sizeof(got));
	ck_assert_msg(strcmp(got, known_wrong[_i].libseccomp) == 0, "%s: libseccomp's gives %s",
		      known_wrong[_i].what, got);
	/* What the rules say, and that the differential test excuses it. */
	ck_assert_int_eq(shim_ref_new(&pol, &ref, &err), 0);
	{
		struct shim_ref_verdict v;
		bool ok;
		shim_ref_eval(ref, &d, &v);
		shim_ref_accepts(&v, ret, &ok);
		ck_assert(!ok);
	}
	if (!known_wrong[_i].linear)
		ck_assert_int_eq(shim_libseccomp_excused(ref, &ours, &theirs, &d, &err), 1);
	shim_ref_free(ref);
	shim_filter_free(&ours);
	shim_filter_free(&theirs);
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
			if (rnd(&s) % 4 == 0)
				OUT("%s{\"index\": %u, %s}", k ? ", " : "", rnd(&s) % 3,
				    constant_tests[rnd(&s) % 9]);
			else
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
		ck_assert_msg(strstr(err.msg, "the rules say") || strstr(err.msg, "libseccomp refused") ||
				      strstr(err.msg, "never finishes adding"),
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
	tcase_add_loop_test(tc, random_profiles, 0, 300);
	tcase_add_test(tc, libseccomp_miscompiles);
	tcase_add_loop_test(tc, libseccomp_known_wrong, 0, sizeof(known_wrong) / sizeof(known_wrong[0]));
	tcase_add_loop_test(tc, value_lists, 0, 4);
	tcase_add_loop_test(tc, random_against_rules, 0, 300);
	suite_add_tcase(s, tc);
	return s;
}
