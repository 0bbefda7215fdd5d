/* lint: the rules as written. kill-means-thread (SCMP_ACT_KILL);
 * same-as-default; repeated-rule, contradicting-rules, shadowed-rule (two
 * rules for one syscall); mask-value (valueTwo bits outside the mask);
 * constant-condition (a test that always or never holds, on every arch or
 * on the 32-bit ones); split-range (a lower and an upper bound on one
 * argument, which runc ORs).
 *
 * MUST: every finding names file:line:column and the JSON path, says what
 * is wrong and how to fix it. These findings read the rules as
 * libseccomp (and so runc) reads them, and say what it makes of them.
 */
#include <seccomp.h>
#include <stdio.h>
#include <string.h>

#include "lint.h"

void shim_lint_kill(const struct shim_profile *p, struct shim_findings *out)
{
	static const char *kill_msg = "SCMP_ACT_KILL means SCMP_ACT_KILL_THREAD: only the calling thread dies, and the rest of a threaded program runs on";
	static const char *fix = "write SCMP_ACT_KILL_PROCESS to end the whole process, or SCMP_ACT_KILL_THREAD to keep this meaning and say so";
	char path[64];

	if (p->default_action.kill_alias)
		shim_lint_at(out, p, SHIM_SEV_WARNING, "kill-means-thread", fix, "defaultAction", "%s", kill_msg);
	for (size_t i = 0; i < p->n_rules; i++)
		if (p->rules[i].action.kill_alias) {
			snprintf(path, sizeof(path), "syscalls[%zu].action", i);
			shim_lint_at(out, p, SHIM_SEV_WARNING, "kill-means-thread", fix, path, "%s", kill_msg);
		}
}

void shim_lint_same_as_default(const struct shim_profile *p, struct shim_findings *out)
{
	uint32_t def = shim_action_ret(&p->default_action);
	char path[64], act[64];

	for (size_t i = 0; i < p->n_rules; i++) {
		if (shim_action_ret(&p->rules[i].action) != def || p->rules[i].n_names == 0)
			continue;
		shim_bpf_ret_format(def, act, sizeof(act));
		snprintf(path, sizeof(path), "syscalls[%zu].action", i);
		shim_lint_at(out, p, SHIM_SEV_WARNING, "same-as-default",
			     "remove the entry, or give it the action you meant", path,
			     "has no effect: %s is also the default action", act);
	}
}

#define AUDIT_ARCH_64BIT 0x80000000u

/* The argument width libseccomp compares on arch: 32 or 64. */
static int arch_bits(uint32_t arch)
{
	if (arch == SCMP_ARCH_MIPS64N32 || arch == SCMP_ARCH_MIPSEL64N32)
		return 32;
	return arch & AUDIT_ARCH_64BIT ? 64 : 32;
}

/* 1: a holds for every argument on an arch of this width; -1: it never
 * does; 0: it depends. *dropped: libseccomp leaves it out (a mask with
 * no bit in the width), where other tests that always hold stay tests. */
static int constant_test(const struct shim_arg *a, int bits, bool *dropped)
{
	uint64_t width = bits == 32 ? UINT32_MAX : UINT64_MAX, v = a->value & width;

	*dropped = false;
	switch (a->op) {
	case SHIM_OP_MASKED_EQ:
		*dropped = v == 0;
		return v == 0;
	case SHIM_OP_GE: return v == 0;
	case SHIM_OP_LE: return v == width;
	case SHIM_OP_LT: return v == 0 ? -1 : 0;
	case SHIM_OP_GT: return v == width ? -1 : 0;
	case SHIM_OP_EQ:
	case SHIM_OP_NE:
		break;
	}
	return 0;
}

/* Whether libseccomp sees r with no test on an arch of this width: no
 * args, or only tests it leaves out. */
static bool unconditional(const struct shim_policy_rule *r, int bits)
{
	bool dropped;

	for (size_t i = 0; i < r->n_args; i++)
		if (constant_test(&r->args[i], bits, &dropped) != 1 || !dropped)
			return false;
	return true;
}

/* Pairs of rules for the same syscall on arch, as libseccomp will see them. */
void shim_lint_pairs(const struct shim_profile *p, const struct shim_policy *pol,
		     uint32_t arch, struct shim_findings *out)
{
	uint32_t def = shim_action_ret(&pol->default_action);
	char path[64], other[64], a1[64], a2[64];

	for (size_t j = 0; j < pol->n_rules; j++) {
		const struct shim_policy_rule *r = &pol->rules[j];
		int nr = shim_syscall_resolve_name_arch(arch, r->name);

		if (nr < 0 && nr != __NR_SCMP_ERROR)
			nr = seccomp_syscall_resolve_name(r->name);
		if (nr == __NR_SCMP_ERROR || shim_action_ret(&r->action) == def)
			continue;
		snprintf(path, sizeof(path), "syscalls[%zu].names[%zu]", r->src_index, r->src_name_index);
		for (size_t i = 0; i < j; i++) {
			const struct shim_policy_rule *q = &pol->rules[i];
			bool same_args = q->n_args == r->n_args &&
					 memcmp(q->args, r->args, r->n_args * sizeof(r->args[0])) == 0;
			bool q_unc = unconditional(q, arch_bits(arch)), r_unc = unconditional(r, arch_bits(arch));

			if (strcmp(q->name, r->name) != 0 || shim_action_ret(&q->action) == def)
				continue;
			snprintf(other, sizeof(other), "syscalls[%zu].names[%zu]", q->src_index,
				 q->src_name_index);
			shim_bpf_ret_format(shim_action_ret(&q->action), a1, sizeof(a1));
			shim_bpf_ret_format(shim_action_ret(&r->action), a2, sizeof(a2));
			if (same_args && shim_action_ret(&q->action) == shim_action_ret(&r->action)) {
				shim_lint_at(out, p, SHIM_SEV_WARNING, "repeated-rule", "remove one of them", path,
					     "\"%s\" repeats %s (same action, same conditions)", r->name, other);
			} else if (same_args) {
				shim_lint_at(out, p, SHIM_SEV_WARNING, "contradicting-rules",
					     "keep the one you mean and remove the other", path,
					     "\"%s\" gets %s here but %s from %s, under the same conditions",
					     r->name, a2, a1, other);
			} else if (q_unc && r_unc) {
				/* Tests libseccomp leaves out: both unconditional. */
				shim_lint_at(out, p, SHIM_SEV_WARNING, "shadowed-rule",
					     "remove one of them; a test whose mask has no bit set is no test",
					     path,
					     "has no effect: %s decides \"%s\" first, for all arguments (libseccomp leaves out a masked test with no mask bit, so both rules are unconditional, and the first unconditional rule wins)",
					     other, r->name);
			} else if (q_unc || r_unc) {
				/* libseccomp lets the unconditional rule override. */
				const char *cond_path = q_unc ? path : other;
				const char *uncond_path = q_unc ? other : path;
				shim_lint_at(out, p, SHIM_SEV_WARNING, "shadowed-rule",
					     "remove the conditional rule, or put the syscall only in rules with conditions",
					     cond_path,
					     "has no effect: %s decides \"%s\" for all arguments (an unconditional rule overrides conditional ones)",
					     uncond_path, r->name);
			} else {
				continue;
			}
			break;
		}
	}
}

/* valueTwo with bits outside the mask: libseccomp (and so runc) compares
 * (arg & value) == (valueTwo & value), not what the numbers say. */
void shim_lint_mask(const struct shim_profile *p, struct shim_findings *out)
{
	char path[96];

	for (size_t i = 0; i < p->n_rules; i++)
		for (size_t j = 0; j < p->rules[i].n_args; j++) {
			const struct shim_arg *a = &p->rules[i].args[j];

			if (a->op != SHIM_OP_MASKED_EQ || !(a->value_two & ~a->value))
				continue;
			snprintf(path, sizeof(path), "syscalls[%zu].args[%zu].valueTwo", i, j);
			shim_lint_at(out, p, SHIM_SEV_WARNING, "mask-value",
				     "keep only the bits of valueTwo that are set in value (the mask)", path,
				     "0x%llx has bits outside the mask 0x%llx: the filter compares arg & 0x%llx with 0x%llx",
				     (unsigned long long)a->value_two, (unsigned long long)a->value,
				     (unsigned long long)a->value, (unsigned long long)(a->value_two & a->value));
		}
}

static bool is_lower_bound(enum shim_cmp_op op)
{
	return op == SHIM_OP_GE || op == SHIM_OP_GT;
}

static bool is_upper_bound(enum shim_cmp_op op)
{
	return op == SHIM_OP_LE || op == SHIM_OP_LT;
}

/* The first test of r that bounds an argument another test bounds on the
 * other side: its position, and the lower and upper bound; -1 if none. */
static long split_range_of(const struct shim_rule *r, const struct shim_arg **lower,
			   const struct shim_arg **upper)
{
	for (size_t j = 0; j < r->n_args; j++)
		for (size_t k = 0; k < j; k++) {
			const struct shim_arg *a = &r->args[k], *b = &r->args[j];

			if (a->index != b->index)
				continue;
			if (is_lower_bound(a->op) && is_upper_bound(b->op)) {
				*lower = a;
				*upper = b;
				return (long)j;
			}
			if (is_upper_bound(a->op) && is_lower_bound(b->op)) {
				*lower = b;
				*upper = a;
				return (long)j;
			}
		}
	return -1;
}

/* A rule that bounds one argument from below and from above reads as a
 * range, but runc and crun make each test of a repeated index a rule of
 * its own (lib/resolve.c does the same): the rule matches when either
 * bound holds, which is nearly every value. Named at the second bound. */
void shim_lint_split_range(const struct shim_profile *p, struct shim_findings *out)
{
	const struct shim_arg *lo, *hi;
	char path[96];

	for (size_t i = 0; i < p->n_rules; i++) {
		long at = split_range_of(&p->rules[i], &lo, &hi);

		if (at < 0)
			continue;
		snprintf(path, sizeof(path), "syscalls[%zu].args[%ld]", i, at);
		shim_lint_at(out, p, SHIM_SEV_WARNING, "split-range",
			     "list the values the range holds with SCMP_CMP_EQ, or test its high bits with SCMP_CMP_MASKED_EQ: one rule cannot bound an argument on both sides",
			     path,
			     "args[%u] %s 0x%llx and %s 0x%llx is no range: runc and crun make each test of a repeated index a rule of its own (OR), so the rule matches when either holds",
			     lo->index, shim_op_name(lo->op), (unsigned long long)lo->value,
			     shim_op_name(hi->op), (unsigned long long)hi->value);
	}
}

/* "SCMP_ARCH_X86, SCMP_ARCH_X32" into buf: the policy's arches of a width. */
static void arches_of_width(const struct shim_policy *pol, int bits, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < pol->n_arches && len < size; i++) {
		const struct shim_arch_info *a = shim_arch_by_token(pol->arches[i]);
		if (arch_bits(pol->arches[i]) == bits && a)
			len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "", a->oci);
	}
}

/* A test that always holds, or never does, on the arches of one width
 * (where: "" for all, else " on ARCHES (...)"): what libseccomp makes of it. */
static void constant_finding(const struct shim_profile *p, const struct shim_rule *r,
			     size_t i, size_t j, int kind, bool dropped, bool alone,
			     const char *where, struct shim_findings *out)
{
	const char *there = where[0] ? " there" : "";
	char path[96], test[96];
	struct shim_text t = { 0 };

	snprintf(path, sizeof(path), "syscalls[%zu].args[%zu]", i, j);
	shim_args_format(&r->args[j], 1, &t);
	snprintf(test, sizeof(test), "%s", t.s ? t.s : "");
	shim_text_free(&t);
	if (kind < 0)
		shim_lint_at(out, p, SHIM_SEV_WARNING, "constant-condition",
			     "fix the value, or remove the rule if it is not meant to apply", path,
			     "%s never holds%s: the rule never applies%s", test, where, there);
	else if (dropped && alone)
		shim_lint_at(out, p, SHIM_SEV_WARNING, "constant-condition",
			     "give the mask the bits you mean to test; or, to decide the syscall for any arguments, remove the test and say so",
			     path,
			     "%s always holds%s, and libseccomp leaves such a test out: the rule is unconditional%s, so it decides its syscalls for any arguments and no other rule for them applies, but for an unconditional one before it",
			     test, where, there);
	else
		shim_lint_at(out, p, SHIM_SEV_WARNING, "constant-condition",
			     "remove the test (the rule's other tests decide), or fix the value", path,
			     "%s always holds%s: it tests nothing%s", test, where,
			     dropped ? " (libseccomp leaves it out)"
			   : " (libseccomp still compares, so the rule stays conditional, and an unconditional rule for the same syscall overrides it)");
}

/* Whether libseccomp sees no test but a->args[j] in r (its own rule when
 * runc splits r, or every other test left out) on an arch of this width. */
static bool only_test(const struct shim_rule *r, size_t j, int bits)
{
	bool dropped;

	if (shim_rule_index_repeats(r))
		return true;
	for (size_t k = 0; k < r->n_args; k++)
		if (k != j && (constant_test(&r->args[k], bits, &dropped) != 1 || !dropped))
			return false;
	return true;
}

/* Tests that always hold or never hold, on every arch of the policy or
 * on its 32-bit ones (they compare the low 32 bits only). */
void shim_lint_constant(const struct shim_profile *p, const struct shim_policy *pol,
			struct shim_findings *out)
{
	bool has64 = false, has32 = false;
	char narrow[200], where[260];

	for (size_t i = 0; i < pol->n_arches; i++) {
		has64 |= arch_bits(pol->arches[i]) == 64;
		has32 |= arch_bits(pol->arches[i]) == 32;
	}
	arches_of_width(pol, 32, narrow, sizeof(narrow));
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct shim_rule *r = &p->rules[i];

		for (size_t j = 0; j < r->n_args; j++) {
			bool dropped64, dropped32;
			int k64 = has64 ? constant_test(&r->args[j], 64, &dropped64) : 0;
			int k32 = has32 ? constant_test(&r->args[j], 32, &dropped32) : 0;

			if (k64 != 0 || (k32 != 0 && !has64))
				/* 64-bit constants are constants on 32-bit too. */
				constant_finding(p, r, i, j, has64 ? k64 : k32, has64 ? dropped64 : dropped32,
						 only_test(r, j, has64 ? 64 : 32), "", out);
			else if (k32 != 0) {
				snprintf(where, sizeof(where), " on %s (they compare the low 32 bits only)", narrow);
				constant_finding(p, r, i, j, k32, dropped32, only_test(r, j, 32), where, out);
			}
		}
	}
}
