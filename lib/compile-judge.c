/* Holding a program to the rules: every candidate compile has (ours,
 * libseccomp's linear program, its tree) is run on the inputs lib/equiv.c
 * builds and compared with lib/refeval.c's verdicts; one that disagrees,
 * or is too long for the kernel, is never loaded, and the refusal names
 * the first input each gets wrong, what the rules say there and what the
 * program gives.
 */
#include <stdlib.h>
#include <string.h>
#include <seccomp.h>
#include <linux/filter.h>

#include "compile.h"

/* The seccomp_data arch and number as a libseccomp token and a name. */
static void input_name(const struct shim_policy *pol, const struct shim_seccomp_data *d,
		       uint32_t *token, char **name)
{
	*token = d->arch;
	if (d->arch == SCMP_ARCH_X86_64 && ((uint32_t)d->nr & SHIM_X32_SYSCALL_BIT) &&
	    shim_policy_has_arch(pol, SCMP_ARCH_X32))
		*token = SCMP_ARCH_X32;
	*name = seccomp_syscall_resolve_num_arch(*token, d->nr);
}

void shim_input_describe(const struct shim_policy *pol, const struct shim_seccomp_data *d,
			 struct shim_text *out)
{
	const struct shim_arch_info *a;
	uint32_t token;
	char *name;

	input_name(pol, d, &token, &name);
	a = shim_arch_by_token(token);
	if (a)
		shim_text_printf(out, "on %s ", a->oci);
	else
		shim_text_printf(out, "on arch %#x ", d->arch);
	if (name)
		shim_text_printf(out, "%s(", name);
	else
		shim_text_printf(out, "syscall %u(", (unsigned)d->nr);
	for (size_t i = 0; i < 6; i++)
		shim_text_printf(out, i ? ", %#llx" : "%#llx", (unsigned long long)d->args[i]);
	shim_text_printf(out, ")");
	if (d->instruction_pointer) /* the rules never read it; a program may */
		shim_text_printf(out, " at instruction pointer %#llx",
				 (unsigned long long)d->instruction_pointer);
	free(name);
}

void shim_rules_describe(const struct shim_profile *p, const struct shim_ref *ref,
			 const struct shim_seccomp_data *d, struct shim_text *out)
{
	struct shim_ref_verdict rv;
	struct shim_verdict v;

	shim_ref_eval(ref, d, &rv);
	v = (struct shim_verdict){ .ret = rv.ret, .by = rv.by, .rule = rv.rule, .max_nr = rv.max_nr };
	shim_text_printf(out, "the rules say ");
	shim_verdict_describe(p, &v, out);
	for (size_t i = 1; i < rv.n_match; i++) {
		char ret[64];
		shim_bpf_ret_format(rv.match[i].ret, ret, sizeof(ret));
		shim_text_printf(out, " or %s", ret);
	}
}

int shim_candidate_judge(const struct shim_policy *pol, const struct shim_ref *ref,
			 const struct shim_filter *f, struct shim_candidate *c,
			 struct shim_error *err)
{
	size_t inputs;
	int rc;

	c->n_insns = f->n_insns;
	if (f->n_insns > BPF_MAXINSNS) {
		c->too_big = true;
		return 0;
	}
	rc = shim_filter_check(pol, ref, f, &c->input, &inputs, err);
	if (rc != 0)
		return rc;
	c->wrong = true;
	return shim_bpf_run(f->insns, f->n_insns, &c->input, &c->got, err) < 0 ? -1 : 0;
}

void shim_candidates_explain(const struct shim_profile *p, const struct shim_policy *pol,
			     const struct shim_ref *ref, const struct shim_candidate *c,
			     size_t n, struct shim_text *why)
{
	for (size_t i = 0; i < n; i++) {
		char got[64];
		bool first_here = true;

		if (!c[i].wrong)
			continue;
		for (size_t k = 0; k < i; k++)
			first_here &= !(c[k].wrong && memcmp(&c[k].input, &c[i].input,
							     sizeof(c[i].input)) == 0);
		if (!first_here)
			continue;
		shim_text_printf(why, "%s", why->len ? "; " : "");
		shim_input_describe(pol, &c[i].input, why);
		shim_text_printf(why, " ");
		shim_rules_describe(p, ref, &c[i].input, why);
		for (size_t k = i; k < n; k++) {
			if (!c[k].wrong || memcmp(&c[k].input, &c[i].input, sizeof(c[i].input)))
				continue;
			shim_bpf_ret_format(c[k].got, got, sizeof(got));
			shim_text_printf(why, "%s %s gives %s", k == i ? ", but" : " and", c[k].what, got);
		}
	}
	for (size_t i = 0; i < n; i++)
		if (c[i].too_big)
			shim_text_printf(why, "%s%s has %zu instructions (the kernel takes %d)",
					 why->len ? "; " : "", c[i].what, c[i].n_insns, BPF_MAXINSNS);
}
