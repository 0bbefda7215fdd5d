/* Shared by the parts of the compiler: lib/compile.c (choosing a
 * program, libseccomp's path), lib/compile-stub.c (runc's ENOSYS stub)
 * and lib/compile-judge.c (holding a program to the rules). Nothing else
 * includes it. */
#ifndef SHIM_COMPILE_H
#define SHIM_COMPILE_H

#include "internal.h"

/* A program that could be loaded, and what was found about it. */
struct shim_candidate {
	const char *what; /* "libseccomp's binary tree" */
	bool too_big, wrong;
	size_t n_insns;
	struct shim_seccomp_data input; /* wrong: the first input it gets wrong */
	uint32_t got; /* and what it gives there */
};

/* Whether f can be loaded: 1 yes; 0 no (c says why); -1 error. */
int shim_candidate_judge(const struct shim_policy *pol, const struct shim_ref *ref,
			 const struct shim_filter *f, struct shim_candidate *c,
			 struct shim_error *err);
/* Why the candidates c[0..n) cannot be loaded, appended to why: "on ARCH
 * name(args) the rules say X, but A gives Y and B gives Z; ...". */
void shim_candidates_explain(const struct shim_profile *p, const struct shim_policy *pol,
			     const struct shim_ref *ref, const struct shim_candidate *c,
			     size_t n, struct shim_text *why);

/* runc's ENOSYS stub in front of f's program, when the policy wants one;
 * the length is judged later, with the other candidates'. */
int shim_stub_prepend(const struct shim_policy *pol, struct shim_filter *f,
		      struct shim_error *err);

#endif
