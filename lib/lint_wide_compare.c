/* lint: wide-compare-int-arg, a test of an argument the kernel reads as
 * 32 bits that the filter compares as 64, so that high bits get a call
 * the kernel cannot tell apart from a denied one through.
 *
 * MUST: every finding names file:line:column and the JSON path, says what
 * is wrong and how to fix it; verdicts come from the compiled filter in
 * the interpreter, not from reading the rules.
 */
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"

/* Arguments the kernel reads as 32 bits on a 64-bit architecture (int,
 * unsigned int, pid_t or uid_t in the kernel's prototype; clone's flags go
 * through lower_32_bits()): bit i for argument i. The high 32 bits change
 * nothing for the kernel, but the filter compares all 64. Long arguments
 * (ptrace's request, unshare's flags, mount's flags) are not here: the
 * kernel sees their high bits, or refuses them. */
static const struct {
	const char *name;
	unsigned args;
} int_args[] = {
	{ "personality", 1 << 0 },	     /* unsigned int personality */
	{ "socket", 7 },		     /* int family, type, protocol */
	{ "socketpair", 7 },		     /* int family, type, protocol */
	{ "setsockopt", 7 },		     /* int fd, level, optname */
	{ "getsockopt", 7 },		     /* int fd, level, optname */
	{ "clone", 1 << 0 },		     /* lower_32_bits(clone_flags) */
	{ "setns", 3 },			     /* int fd, int nstype */
	{ "kill", 3 },			     /* pid_t pid, int sig */
	{ "tkill", 3 },			     /* pid_t pid, int sig */
	{ "tgkill", 7 },		     /* pid_t tgid, pid, int sig */
	{ "rt_sigqueueinfo", 3 },	     /* pid_t pid, int sig */
	{ "rt_tgsigqueueinfo", 7 },	     /* pid_t tgid, pid, int sig */
	{ "pidfd_send_signal", 1 | 2 | 8 }, /* int pidfd, int sig, unsigned int flags */
	{ "prctl", 1 << 0 },		     /* int option */
	{ "arch_prctl", 1 << 0 },	     /* int option */
	{ "ioctl", 3 },			     /* unsigned int fd, unsigned int cmd */
	{ "fcntl", 3 },			     /* unsigned int fd, unsigned int cmd */
	{ "open", 1 << 1 },		     /* int flags */
	{ "openat", 1 | 4 },		     /* int dfd, int flags */
	{ "read", 1 << 0 },		     /* unsigned int fd */
	{ "write", 1 << 0 },		     /* unsigned int fd */
	{ "close", 1 << 0 },		     /* unsigned int fd */
	{ "dup2", 3 },			     /* unsigned int oldfd, newfd */
	{ "dup3", 7 },			     /* unsigned int oldfd, newfd, int flags */
	{ "setuid", 1 },		     /* uid_t */
	{ "setgid", 1 },
	{ "setreuid", 3 },
	{ "setregid", 3 },
	{ "setresuid", 7 },
	{ "setresgid", 7 },
	{ "setfsuid", 1 },
	{ "setfsgid", 1 },
	{ "bpf", 1 << 0 },		     /* int cmd */
	{ "keyctl", 1 << 0 },		     /* int option */
	{ "seccomp", 3 },		     /* unsigned int op, flags */
	{ "umount2", 1 << 1 },		     /* int flags */
	{ "reboot", 7 },		     /* int magic1, magic2, unsigned int cmd */
	{ "syslog", 1 << 0 },		     /* int type */
	{ "madvise", 1 << 2 },		     /* int behavior */
	{ "memfd_create", 1 << 1 },	     /* unsigned int flags */
	{ "getrandom", 1 << 2 },	     /* unsigned int flags */
	{ "kcmp", 7 },			     /* pid_t pid1, pid2, int type */
	{ "perf_event_open", 2 | 4 | 8 },   /* pid_t pid, int cpu, int group_fd */
	{ "finit_module", 1 | 4 },	     /* int fd, int flags */
	{ "ioprio_set", 7 },		     /* int which, who, ioprio */
};

static unsigned int_arg_mask(const char *name, uint32_t arch)
{
	/* s390 passes clone's flags second. */
	if (strcmp(name, "clone") == 0 && (arch == SCMP_ARCH_S390X || arch == SCMP_ARCH_S390))
		return 1u << 1;
	for (size_t i = 0; i < ARRAY_SIZE(int_args); i++)
		if (strcmp(int_args[i].name, name) == 0)
			return int_args[i].args;
	return 0;
}

/* Is there a value near the one a tests, as a program passes it (high
 * bits zero, or a negative int sign-extended), that the filter holds
 * back, while the same low 32 bits with other high bits get through?
 * The kernel cannot tell those two calls apart. */
static bool wide_bypass(const struct shim_filter *f, uint32_t arch, int nr,
			const uint64_t base[6], const struct shim_arg *a, uint64_t found[2],
			uint32_t rets[2])
{
	uint64_t v = a->op == SHIM_OP_MASKED_EQ ? a->value_two & a->value : a->value;
	uint64_t cand[4], args[6];
	size_t n = 0;

	cand[n++] = v;
	if (v > 0)
		cand[n++] = v - 1;
	if (v < UINT64_MAX)
		cand[n++] = v + 1;
	if (a->op == SHIM_OP_MASKED_EQ && a->value)
		cand[n++] = v ^ (a->value & -a->value); /* its lowest masked bit flipped */
	memcpy(args, base, sizeof(args));
	for (size_t i = 0; i < n; i++) {
		uint64_t x = cand[i], low = x & UINT32_MAX;
		const uint64_t other[] = { low, low | 1ULL << 32, low | 0xffffffff00000000ULL,
					   low | 1ULL << 63 };

		if (x > UINT32_MAX && x < 0xffffffff80000000ULL)
			continue; /* no program passes a 32-bit value like that */
		args[a->index] = x;
		rets[0] = shim_lint_verdict_args(f, arch, nr, args);
		if (shim_lint_passes(rets[0]))
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(other); k++) {
			args[a->index] = other[k];
			rets[1] = shim_lint_verdict_args(f, arch, nr, args);
			if (other[k] != x && shim_lint_passes(rets[1])) {
				found[0] = x;
				found[1] = other[k];
				return true;
			}
		}
	}
	return false;
}

/* The position of a in its source rule's args, for the JSON path. */
static size_t source_arg(const struct shim_profile *p, const struct shim_policy_rule *r,
			 const struct shim_arg *a)
{
	const struct shim_rule *src = &p->rules[r->src_index];

	for (size_t j = 0; j < src->n_args; j++)
		if (src->args[j].index == a->index && src->args[j].op == a->op &&
		    src->args[j].value == a->value && src->args[j].value_two == a->value_two)
			return j;
	return 0;
}

static void wide_fix(const struct shim_arg *a, char *fix, size_t size)
{
	switch (a->op) {
	case SHIM_OP_EQ:
		snprintf(fix, size,
			 "compare the low 32 bits only: \"op\": \"SCMP_CMP_MASKED_EQ\", \"value\": 4294967295 (the mask), \"valueTwo\": %llu; and let no GT, GE or NE test on this argument allow what this denies",
			 (unsigned long long)(a->value & UINT32_MAX));
		break;
	case SHIM_OP_MASKED_EQ:
		snprintf(fix, size,
			 "keep the mask to the low 32 bits (\"value\": %llu), or let no other rule on this argument allow what this denies",
			 (unsigned long long)(a->value & UINT32_MAX));
		break;
	case SHIM_OP_NE:
	case SHIM_OP_GT:
	case SHIM_OP_GE:
		snprintf(fix, size, "%s",
			 "a range or NE test sees the high 32 bits: allow by exact values (SCMP_CMP_EQ) or by SCMP_CMP_MASKED_EQ tests of the low 32 bits that match only allowed values, so that nothing the kernel reads as a denied value matches an allowing rule (as runtime/default's socket rules do)");
		break;
	case SHIM_OP_LT:
	case SHIM_OP_LE:
		snprintf(fix, size, "%s",
			 "a range test sees the high 32 bits: deny each value with SCMP_CMP_MASKED_EQ, \"value\": 4294967295 and the value in \"valueTwo\", or allow what is needed and let the default deny the rest");
		break;
	}
}

/* The test rule r makes on argument idx, or NULL. */
static const struct shim_arg *arg_test(const struct shim_policy_rule *r, unsigned idx)
{
	for (size_t k = 0; r && k < r->n_args; k++)
		if (r->args[k].index == idx)
			return &r->args[k];
	return NULL;
}

/* Which test to blame for a bypass on argument idx: the one in the rule
 * that lets the wide value through, else the one in the rule that holds
 * the plain value back (the default let the wide one through). */
static const struct shim_arg *blame(const struct shim_policy *pol, const struct shim_filter *f,
				    uint32_t arch, int nr, uint64_t args[6], unsigned idx,
				    const uint64_t found[2], const struct shim_policy_rule **rule)
{
	struct shim_verdict through, held;
	const struct shim_arg *a;

	args[idx] = found[1];
	if (shim_eval(pol, f, arch, nr, args, &through, NULL) == 0 && through.by == SHIM_BY_RULE &&
	    (a = arg_test(through.rule, idx))) {
		*rule = through.rule;
		return a;
	}
	args[idx] = found[0];
	if (shim_eval(pol, f, arch, nr, args, &held, NULL) == 0 && held.by == SHIM_BY_RULE &&
	    (a = arg_test(held.rule, idx))) {
		*rule = held.rule;
		return a;
	}
	return NULL;
}

/* "name(0x100400000)", "socket(0x100000010, 0, 0x9)": the arguments up to
 * the last one that is set or tested. */
static void call_format(const char *name, const uint64_t args[6], unsigned idx, char *buf,
			size_t size)
{
	unsigned last = idx;
	size_t len;

	for (unsigned i = idx + 1; i < 6; i++)
		if (args[i])
			last = i;
	len = (size_t)snprintf(buf, size, "%s(", name);
	for (unsigned i = 0; i <= last && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, args[i] ? "%s%#llx" : "%s%llu",
					i ? ", " : "", (unsigned long long)args[i]);
	if (len < size)
		snprintf(buf + len, size - len, ")");
}

/* A test of a 32-bit argument that high bits get around (runc's meaning
 * too: libseccomp compares all 64 bits on 64-bit architectures). Values
 * near every test of such an argument are tried; each bypass is pinned on
 * one test, and each test is reported once. */
void shim_lint_wide_compare(const struct shim_profile *p, const struct shim_policy *pol,
			    const struct shim_filter *f, uint32_t arch, struct shim_findings *out)
{
	bool *seen = calloc(pol->n_rules * 6 + 1, sizeof(*seen));

	for (size_t j = 0; seen && j < pol->n_rules; j++) {
		const struct shim_policy_rule *r = &pol->rules[j];
		unsigned mask = r->n_args ? int_arg_mask(r->name, arch) : 0;
		int nr = mask ? shim_syscall_resolve_name_arch(arch, r->name) : -1;

		for (size_t k = 0; nr >= 0 && k < r->n_args; k++) {
			const struct shim_policy_rule *culprit = NULL;
			const struct shim_arg *a = &r->args[k], *bad;
			uint64_t base[6], found[2];
			uint32_t rets[2];
			char path[96], fix[400], held[64], through[64], wide[160], plain[160];

			shim_lint_witness(r, base);
			if (a->index >= 6 || !(mask & 1u << a->index) ||
			    !wide_bypass(f, arch, nr, base, a, found, rets) ||
			    !(bad = blame(pol, f, arch, nr, base, a->index, found, &culprit)) ||
			    seen[(size_t)(culprit - pol->rules) * 6 + a->index])
				continue;
			seen[(size_t)(culprit - pol->rules) * 6 + a->index] = true;
			snprintf(path, sizeof(path), "syscalls[%zu].args[%zu]", culprit->src_index,
				 source_arg(p, culprit, bad));
			shim_bpf_ret_format(rets[0], held, sizeof(held));
			shim_bpf_ret_format(rets[1], through, sizeof(through));
			wide_fix(bad, fix, sizeof(fix));
			base[a->index] = found[1];
			call_format(r->name, base, a->index, wide, sizeof(wide));
			base[a->index] = found[0];
			call_format(r->name, base, a->index, plain, sizeof(plain));
			shim_lint_at(out, p, SHIM_SEV_WARNING, "wide-compare-int-arg", fix, path,
				     "%s arg%u is 32 bits to the kernel, which ignores the high 32, but the filter compares all 64: %s gets %s, while %s, the same call to the kernel, gets %s",
				     r->name, a->index, wide, through, plain, held);
		}
	}
	free(seen);
}
