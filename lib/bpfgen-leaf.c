/* bpfgen's leaves: what one syscall's conditional rules become, once the
 * search over syscall numbers (lib/bpfgen.c) has reached it. Each rule's
 * argument tests in turn (64-bit arguments as a high and a low word, as
 * libseccomp compares them), runs of equality tests on one argument as a
 * jeq per value jumping to one shared return per verdict; and whether
 * rules with different actions can be told apart at all (when not, the
 * policy is left to libseccomp). The MUST of lib/bpfgen.c holds here:
 * every jump goes to a label, no offset is worked out by hand.
 */
#include <linux/seccomp.h>

#include "bpfgen.h"

static uint64_t cond_value(const struct gen_cond *c, int bits)
{
	uint64_t v = c->op == SHIM_OP_MASKED_EQ ? c->value_two & c->value : c->value;
	return bits == 32 ? (uint32_t)v : v;
}

/* The values of one argument a condition accepts, as at most two
 * intervals; false for a masked test, which is not an interval. */
struct interval {
	uint64_t lo, hi;
};

static bool accepted(const struct gen_cond *c, int bits, struct interval out[2], size_t *n)
{
	uint64_t max = bits == 32 ? UINT32_MAX : UINT64_MAX, v = cond_value(c, bits);

	*n = 1;
	switch (c->op) {
	case SHIM_OP_EQ: out[0] = (struct interval){ v, v }; return true;
	case SHIM_OP_LE: out[0] = (struct interval){ 0, v }; return true;
	case SHIM_OP_GE: out[0] = (struct interval){ v, max }; return true;
	case SHIM_OP_LT:
		*n = v > 0;
		out[0] = (struct interval){ 0, v - 1 };
		return true;
	case SHIM_OP_GT:
		*n = v < max;
		out[0] = (struct interval){ v + 1, max };
		return true;
	case SHIM_OP_NE:
		*n = 0;
		if (v > 0)
			out[(*n)++] = (struct interval){ 0, v - 1 };
		if (v < max)
			out[(*n)++] = (struct interval){ v + 1, max };
		return true;
	case SHIM_OP_MASKED_EQ:
		return false;
	}
	return false;
}

/* The only condition rule g has on argument idx, or NULL. */
static const struct gen_cond *only_cond(const struct gen_rule *g, unsigned idx)
{
	const struct gen_cond *found = NULL;

	for (size_t j = 0; j < g->n_conds; j++)
		if (g->conds[j].index == idx) {
			if (found)
				return NULL;
			found = &g->conds[j];
		}
	return found;
}

/* A test as "arg & mask == value": equality and masked tests only. */
static bool as_masked(const struct gen_cond *c, int bits, uint64_t *mask, uint64_t *value)
{
	if (c->op != SHIM_OP_EQ && c->op != SHIM_OP_MASKED_EQ)
		return false;
	*mask = c->op == SHIM_OP_EQ ? UINT64_MAX : c->value;
	if (bits == 32)
		*mask &= UINT32_MAX;
	*value = cond_value(c, bits) & *mask;
	return true;
}

static bool never_both(const struct gen_rule *a, const struct gen_rule *b, unsigned idx)
{
	const struct gen_cond *ca = only_cond(a, idx), *cb = only_cond(b, idx);
	struct interval x[2], y[2];
	uint64_t ma, va, mb, vb;
	size_t nx, ny;

	/* Two masked tests exclude each other where a bit both look at
	 * must be set for one and clear for the other. */
	if (as_masked(ca, a->bits, &ma, &va) && as_masked(cb, b->bits, &mb, &vb))
		return ((va ^ vb) & ma & mb) != 0;
	if (!accepted(ca, a->bits, x, &nx) || !accepted(cb, b->bits, y, &ny))
		return false;
	for (size_t i = 0; i < nx; i++)
		for (size_t j = 0; j < ny; j++)
			if (x[i].lo <= y[j].hi && y[j].lo <= x[i].hi)
				return false;
	return true;
}

/* Rules of one syscall with different actions are only reproduced when
 * no two of them can match the same call: for each such pair, some
 * argument both test once with values that do not overlap. */
bool shim_bpfgen_actions_disjoint(const struct gen_rule *g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			bool apart = g[i].ret == g[j].ret;

			for (unsigned idx = 0; idx < 6 && !apart; idx++)
				apart = only_cond(&g[i], idx) && only_cond(&g[j], idx) &&
					never_both(&g[i], &g[j], idx);
			if (!apart)
				return false;
		}
	return true;
}

/* A 64-bit condition's test of the high word: on to the low word, to
 * fail, or to done (the condition holds whatever the low word). */
static void put_cond_hi(struct shim_asm *a, const struct gen_cond *c, uint32_t vhi, uint32_t mhi,
			shim_label fail, shim_label done)
{
	shim_asm_stmt(a, LD_ABS, SHIM_SD_ARG_HI(c->index));
	switch (c->op) {
	case SHIM_OP_EQ:
		shim_asm_jump(a, JMP(BPF_JEQ), vhi, NEXT, fail);
		break;
	case SHIM_OP_MASKED_EQ:
		shim_asm_stmt(a, BPF_ALU | BPF_AND | BPF_K, mhi);
		shim_asm_jump(a, JMP(BPF_JEQ), vhi, NEXT, fail);
		break;
	case SHIM_OP_NE: /* high words differ: holds, skip the low test */
		shim_asm_jump(a, JMP(BPF_JEQ), vhi, NEXT, done);
		break;
	case SHIM_OP_GT:
	case SHIM_OP_GE:
		shim_asm_jump(a, JMP(BPF_JGT), vhi, done, NEXT);
		shim_asm_jump(a, JMP(BPF_JEQ), vhi, NEXT, fail);
		break;
	case SHIM_OP_LT:
	case SHIM_OP_LE:
		shim_asm_jump(a, JMP(BPF_JGT), vhi, fail, NEXT);
		shim_asm_jump(a, JMP(BPF_JEQ), vhi, NEXT, done);
		break;
	}
}

/* One condition: it goes on to what follows when it holds, to fail when
 * it does not. */
static void put_cond(struct shim_asm *a, const struct gen_cond *c, int bits, shim_label fail)
{
	uint64_t v = cond_value(c, bits), mask = c->op == SHIM_OP_MASKED_EQ ? c->value : ~0ULL;
	uint32_t vlo = (uint32_t)v;
	shim_label done = shim_asm_label(a);

	if (bits == 64)
		put_cond_hi(a, c, (uint32_t)(v >> 32), (uint32_t)(mask >> 32), fail, done);
	shim_asm_stmt(a, LD_ABS, SHIM_SD_ARG_LO(c->index));
	switch (c->op) {
	case SHIM_OP_EQ: shim_asm_jump(a, JMP(BPF_JEQ), vlo, NEXT, fail); break;
	case SHIM_OP_MASKED_EQ:
		shim_asm_stmt(a, BPF_ALU | BPF_AND | BPF_K, (uint32_t)mask);
		shim_asm_jump(a, JMP(BPF_JEQ), vlo, NEXT, fail);
		break;
	case SHIM_OP_NE: shim_asm_jump(a, JMP(BPF_JEQ), vlo, fail, NEXT); break;
	case SHIM_OP_GT: shim_asm_jump(a, JMP(BPF_JGT), vlo, NEXT, fail); break;
	case SHIM_OP_GE: shim_asm_jump(a, JMP(BPF_JGE), vlo, NEXT, fail); break;
	case SHIM_OP_LT: shim_asm_jump(a, JMP(BPF_JGE), vlo, fail, NEXT); break;
	case SHIM_OP_LE: shim_asm_jump(a, JMP(BPF_JGT), vlo, fail, NEXT); break;
	}
	shim_asm_bind(a, done);
}

/* The longest run of values tested together: it keeps a run's program
 * the same whatever the assembler could reach (changing it changes the
 * programs test_builtin.c pins). */
#define EQ_RUN_MAX 120

static bool single_eq(const struct gen_rule *g)
{
	return g->n_conds == 1 && g->conds[0].op == SHIM_OP_EQ;
}

/* Where a run of rules starting at g[i] ends: each tests the same
 * argument for equality and nothing else (ioctl requests, personality
 * values, socket families). */
static size_t eq_run_end(const struct gen_rule *g, size_t i, size_t n)
{
	size_t j = i;

	while (j < n && j - i < EQ_RUN_MAX && single_eq(&g[j]) &&
	       g[j].conds[0].index == g[i].conds[0].index && g[j].bits == g[i].bits)
		j++;
	return j;
}

static uint32_t high_word(const struct gen_rule *g)
{
	return (uint32_t)(cond_value(&g->conds[0], g->bits) >> 32);
}

/* The rules of the run not done yet whose value has high word hi, in
 * value order (the same program whatever the rules' order); marks them
 * done. Returns how many. */
static size_t eq_group(const struct gen_rule *g, size_t n, size_t first, bool *done,
		       size_t *member)
{
	uint32_t hi = high_word(&g[first]);
	size_t m = 0;

	for (size_t k = first; k < n; k++)
		if (!done[k] && high_word(&g[k]) == hi) {
			done[k] = true;
			member[m++] = k;
		}
	for (size_t k = 1; k < m; k++)
		for (size_t j = k; j > 0 && cond_value(&g[member[j]].conds[0], 64) <
						    cond_value(&g[member[j - 1]].conds[0], 64); j--) {
			size_t t = member[j];
			member[j] = member[j - 1];
			member[j - 1] = t;
		}
	return m;
}

/* One group: a load per word and one jeq per value, jumping to one
 * shared return per verdict placed after them; a miss goes on to what
 * follows. */
static void put_eq_group(struct shim_asm *a, const struct gen_rule *g, const size_t *member,
			 size_t m)
{
	uint32_t rets[EQ_RUN_MAX];
	shim_label at[EQ_RUN_MAX], end = shim_asm_label(a);
	size_t n_rets = 0, index = g[member[0]].conds[0].index;

	if (g[0].bits == 64) {
		shim_asm_stmt(a, LD_ABS, SHIM_SD_ARG_HI(index));
		shim_asm_jump(a, JMP(BPF_JEQ), high_word(&g[member[0]]), NEXT, end);
	}
	shim_asm_stmt(a, LD_ABS, SHIM_SD_ARG_LO(index));
	for (size_t k = 0; k < m; k++) {
		const struct gen_rule *r = &g[member[k]];
		size_t i = 0;

		while (i < n_rets && rets[i] != r->ret)
			i++;
		if (i == n_rets) {
			rets[n_rets] = r->ret;
			at[n_rets++] = shim_asm_label(a);
		}
		shim_asm_jump(a, JMP(BPF_JEQ), (uint32_t)cond_value(&r->conds[0], r->bits), at[i],
			      k + 1 == m ? end : NEXT);
	}
	for (size_t i = 0; i < n_rets; i++) {
		shim_asm_bind(a, at[i]);
		shim_asm_stmt(a, BPF_RET | BPF_K, rets[i]);
	}
	shim_asm_bind(a, end);
}

/* A run as one group per high word. */
static void put_eq_run(struct shim_asm *a, const struct gen_rule *g, size_t n)
{
	bool done[EQ_RUN_MAX] = { false };
	size_t member[EQ_RUN_MAX];

	for (size_t first = 0; first < n; first++)
		if (!done[first])
			put_eq_group(a, g, member, eq_group(g, n, first, done, member));
}

/* Each rule's conditions in turn; the first rule whose conditions all
 * hold gives its action, none gives the default. With one action, or
 * disjoint rules, the order does not change the verdict. */
void shim_bpfgen_put_conditional(struct shim_asm *a, const struct gen_rule *g, size_t n,
				 uint32_t def)
{
	for (size_t i = 0; i < n;) {
		size_t end = single_eq(&g[i]) ? eq_run_end(g, i, n) : i;
		shim_label next;

		if (end - i >= 2) {
			put_eq_run(a, &g[i], end - i);
			i = end;
			continue;
		}
		next = shim_asm_label(a);
		for (size_t j = 0; j < g[i].n_conds; j++)
			put_cond(a, &g[i].conds[j], g[i].bits, next);
		shim_asm_stmt(a, BPF_RET | BPF_K, g[i].ret);
		shim_asm_bind(a, next);
		i++;
	}
	shim_asm_stmt(a, BPF_RET | BPF_K, def);
}
