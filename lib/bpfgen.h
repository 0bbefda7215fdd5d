/* Shared by the parts of the BPF generator: lib/bpfgen.c (the rules
 * per arch, the arch dispatch and the search over syscall numbers) and
 * lib/bpfgen-leaf.c (the leaves: argument tests, runs of values with
 * shared returns). Nothing else includes it. */
#ifndef SHIM_BPFGEN_H
#define SHIM_BPFGEN_H

#include "internal.h"

struct gen_cond {
	unsigned index;
	enum shim_cmp_op op;
	uint64_t value, value_two;
};

struct gen_rule {
	uint32_t nr;
	size_t order;
	uint32_t ret;
	int bits; /* argument width libseccomp compares: 32 or 64 */
	const struct gen_cond *conds; /* in the gen_rules' pool */
	size_t n_conds;
};

#define LD_ABS (BPF_LD | BPF_W | BPF_ABS)
#define JMP(op) (BPF_JMP | (op) | BPF_K)
#define NEXT SHIM_LABEL_NEXT

/* Rules of one syscall (g[0..n), sorted by order) with different actions
 * are only reproduced when no two of them can match the same call. */
bool shim_bpfgen_actions_disjoint(const struct gen_rule *g, size_t n);
/* The leaf of one syscall's conditional rules g[0..n): the first whose
 * conditions all hold gives its action, none gives def. Ends in ret. */
void shim_bpfgen_put_conditional(struct shim_asm *a, const struct gen_rule *g, size_t n,
				 uint32_t def);

#endif
