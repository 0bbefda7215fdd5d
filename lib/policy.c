/* policy: helpers on a resolved policy (struct shim_policy, made by
 * lib/resolve.c) that every later stage uses: which arches and numbers it
 * names, whether a rule's argument conditions hold and how they read, and
 * freeing it.
 */
#include <seccomp.h>
#include <stdlib.h>

#include "internal.h"

/* The highest syscall number the policy names on one arch, or -1. */
long shim_policy_max_nr(const struct shim_policy *pol, uint32_t arch)
{
	long max = -1;

	for (size_t i = 0; i < pol->n_rules; i++) {
		int nr = shim_syscall_resolve_name_arch(arch, pol->rules[i].name);
		if (nr >= 0 && nr > max)
			max = nr;
	}
	return max;
}

bool shim_policy_has_arch(const struct shim_policy *pol, uint32_t arch)
{
	for (size_t i = 0; i < pol->n_arches; i++)
		if (pol->arches[i] == arch)
			return true;
	return false;
}

bool shim_args_match(const struct shim_arg *a, size_t n, const uint64_t args[6])
{
	for (size_t i = 0; i < n; i++) {
		uint64_t v = args[a[i].index];
		bool ok = false;

		switch (a[i].op) {
		case SHIM_OP_NE: ok = v != a[i].value; break;
		case SHIM_OP_LT: ok = v < a[i].value; break;
		case SHIM_OP_LE: ok = v <= a[i].value; break;
		case SHIM_OP_EQ: ok = v == a[i].value; break;
		case SHIM_OP_GE: ok = v >= a[i].value; break;
		case SHIM_OP_GT: ok = v > a[i].value; break;
		/* As libseccomp compiles it: the value is masked too. */
		case SHIM_OP_MASKED_EQ: ok = (v & a[i].value) == (a[i].value_two & a[i].value); break;
		}
		if (!ok)
			return false;
	}
	return true;
}

void shim_args_format(const struct shim_arg *a, size_t n, struct shim_text *out)
{
	static const char *const ops[] = {
		[SHIM_OP_NE] = "!=", [SHIM_OP_LT] = "<", [SHIM_OP_LE] = "<=",
		[SHIM_OP_EQ] = "==", [SHIM_OP_GE] = ">=", [SHIM_OP_GT] = ">",
	};

	for (size_t i = 0; i < n; i++) {
		const char *and = i ? " && " : "";
		if (a[i].op == SHIM_OP_MASKED_EQ)
			shim_text_printf(out, "%sarg%u & %#llx == %#llx", and, a[i].index,
					 (unsigned long long)a[i].value,
					 (unsigned long long)a[i].value_two);
		else
			shim_text_printf(out, "%sarg%u %s %#llx", and, a[i].index, ops[a[i].op],
					 (unsigned long long)a[i].value);
	}
}

void shim_policy_free(struct shim_policy *pol)
{
	free(pol->rules);
	pol->rules = NULL;
	pol->n_rules = 0;
}
