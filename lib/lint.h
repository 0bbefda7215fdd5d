/* The checks of check (lib/lint*.c), one file a family of findings, and
 * what they share: a finding placed at a JSON path of the profile, and
 * the compiled filter's verdict on a call, run in our interpreter.
 * shim_lint (lib/lint.c) calls each check in a fixed order, the order the
 * findings are reported in.
 *
 * MUST: every finding names file:line:column and the JSON path, says what
 * is wrong and how to fix it; verdicts come from the compiled filter in
 * the interpreter, not from reading the rules.
 */
#ifndef SHIM_LINT_H
#define SHIM_LINT_H

#include "internal.h"

/* A finding at a JSON path of the profile. */
void shim_lint_at(struct shim_findings *out, const struct shim_profile *p, enum shim_severity sev,
		  const char *code, const char *fix, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
/* Whether ret lets the call through (ALLOW or LOG). */
bool shim_lint_passes(uint32_t ret);
/* The filter's verdict for name on arch with zero arguments; *known:
 * whether arch has the call (the verdict is KILL_PROCESS when not). */
uint32_t shim_lint_verdict_of(const struct shim_filter *f, uint32_t arch, const char *name,
			      bool *known);
/* The filter's verdict for one call with these arguments. */
uint32_t shim_lint_verdict_args(const struct shim_filter *f, uint32_t arch, int nr,
				const uint64_t args[6]);
/* Arguments that meet every condition of rule r (zero elsewhere). */
void shim_lint_witness(const struct shim_policy_rule *r, uint64_t args[6]);

/* lib/lint_calls.c */
void shim_lint_essentials(const struct shim_profile *p, const struct shim_policy *pol,
			  const struct shim_filter *f, uint32_t arch, struct shim_findings *out);
void shim_lint_deny_list(const struct shim_profile *p, const struct shim_policy *pol,
			 const struct shim_filter *f, uint32_t arch, struct shim_findings *out);

/* lib/lint_multiplexers.c */
void shim_lint_multiplexers(const struct shim_profile *p, const struct shim_policy *pol,
			    const struct shim_filter *f, uint32_t arch, struct shim_findings *out);

/* lib/lint_wide_compare.c */
void shim_lint_wide_compare(const struct shim_profile *p, const struct shim_policy *pol,
			    const struct shim_filter *f, uint32_t arch, struct shim_findings *out);

/* lib/lint_portability.c */
void shim_lint_foreign_arches(const struct shim_profile *p, uint32_t arch,
			      struct shim_findings *out);
void shim_lint_portability(const struct shim_profile *p, struct shim_findings *out);

/* lib/lint_rules.c */
void shim_lint_kill(const struct shim_profile *p, struct shim_findings *out);
void shim_lint_same_as_default(const struct shim_profile *p, struct shim_findings *out);
void shim_lint_pairs(const struct shim_profile *p, const struct shim_policy *pol, uint32_t arch,
		     struct shim_findings *out);
void shim_lint_mask(const struct shim_profile *p, struct shim_findings *out);
void shim_lint_split_range(const struct shim_profile *p, struct shim_findings *out);
void shim_lint_constant(const struct shim_profile *p, const struct shim_policy *pol,
			struct shim_findings *out);

#endif
