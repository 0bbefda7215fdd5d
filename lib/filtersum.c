/* filtersum: what a stack of seccomp filters does, told from the programs
 * alone (a running process's: there is no profile to consult).
 *
 * MUST: every verdict is the interpreter's (lib/bpf.c) on the program the
 * kernel holds, combined across filters as the kernel combines them
 * (shim_bpf_ret_combine); the syscalls tried are every number libseccomp
 * names on each architecture (lib/syscalls.c). Whether a verdict depends
 * on the arguments is exact in the kernel's own sense: the path the call
 * takes through some filter loads an argument or the instruction pointer
 * (so no vector of arguments can change a verdict whose path reads none).
 * The verdicts listed for such a call are those seen over argument
 * vectors built from the constants the programs compare with: each value,
 * its neighbours, in each argument's low and high word.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define CONSTS_MAX 96
#define UNKNOWN_NRS 1100 /* numbers tried on an unknown architecture */

struct sum_ctx {
	const struct shim_filter *stack;
	size_t n;
	uint64_t consts[CONSTS_MAX]; /* what the programs compare with */
	size_t n_consts;
};

/* A big-endian kernel keeps an argument's high word first. */
static const struct shim_seccomp_data *as_kernel_lays_out(const struct shim_seccomp_data *d,
							  struct shim_seccomp_data *swapped)
{
	if (!shim_arch_big_endian(d->arch))
		return d;
	*swapped = *d;
	for (size_t i = 0; i < 6; i++)
		swapped->args[i] = d->args[i] << 32 | d->args[i] >> 32;
	return swapped;
}

int shim_filters_run_traced(const struct shim_filter *stack, size_t n,
			    const struct shim_seccomp_data *d, uint32_t *ret, bool *reads_args,
			    struct shim_error *err)
{
	struct shim_seccomp_data swapped;

	d = as_kernel_lays_out(d, &swapped);
	/* As seccomp_run_filters: every filter, the newest first. */
	*ret = SECCOMP_RET_ALLOW;
	for (size_t i = n; i-- > 0;) {
		struct shim_bpf_trace t = { 0 };
		uint32_t r;

		if (shim_bpf_run_traced(stack[i].insns, stack[i].n_insns, d, &r, &t, err) < 0)
			return -1;
		*reads_args |= t.reads_args;
		*ret = shim_bpf_ret_combine(*ret, r);
	}
	return 0;
}

void shim_filters_run_checked_from(const struct shim_filter *stack, size_t n,
				   const struct shim_bpf_state *states,
				   const struct shim_seccomp_data *d, uint32_t *ret, bool *reads_args)
{
	struct shim_seccomp_data swapped;

	d = as_kernel_lays_out(d, &swapped);
	*ret = SECCOMP_RET_ALLOW;
	for (size_t i = n; i-- > 0;)
		*ret = shim_bpf_ret_combine(
			*ret, shim_bpf_run_checked_from(stack[i].insns, &states[i], d, reads_args));
}

int shim_filters_run(const struct shim_filter *stack, size_t n, const struct shim_seccomp_data *d,
		     uint32_t *ret, struct shim_error *err)
{
	bool reads = false;

	return shim_filters_run_traced(stack, n, d, ret, &reads, err);
}

static void const_add(struct sum_ctx *c, uint64_t v)
{
	for (size_t i = 0; i < c->n_consts; i++)
		if (c->consts[i] == v)
			return;
	if (c->n_consts < CONSTS_MAX)
		c->consts[c->n_consts++] = v;
}

/* The constants of every conditional jump, and their neighbours (a JGT's
 * boundary lies one off). */
static void consts_collect(struct sum_ctx *c)
{
	for (size_t i = 0; i < c->n; i++)
		for (size_t k = 0; k < c->stack[i].n_insns; k++) {
			const struct sock_filter *f = &c->stack[i].insns[k];

			if (BPF_CLASS(f->code) != BPF_JMP || BPF_OP(f->code) == BPF_JA ||
			    BPF_SRC(f->code) != BPF_K)
				continue;
			const_add(c, f->k);
			const_add(c, (uint32_t)(f->k + 1));
			const_add(c, (uint32_t)(f->k - 1));
		}
}

static void ret_seen(struct shim_cond_syscall *cs, uint32_t ret)
{
	for (size_t i = 0; i < cs->n_rets; i++)
		if (cs->rets[i] == ret)
			return;
	if (cs->n_rets < SHIM_COND_RETS)
		cs->rets[cs->n_rets++] = ret;
}

/* The verdicts d's call gets over the argument vectors tried. */
static int probe(const struct sum_ctx *c, struct shim_seccomp_data d, struct shim_cond_syscall *cs,
		 struct shim_error *err)
{
	bool reads = false;
	uint32_t ret;

	for (unsigned idx = 0; idx < 6; idx++)
		for (size_t k = 0; k < c->n_consts; k++)
			for (unsigned shift = 0; shift <= 32; shift += 32) {
				memset(d.args, 0, sizeof(d.args));
				d.args[idx] = c->consts[k] << shift;
				if (shim_filters_run_traced(c->stack, c->n, &d, &ret, &reads, err) < 0)
					return -1;
				ret_seen(cs, ret);
			}
	return 0;
}

static void *grow(void *v, size_t n, size_t size)
{
	/* Doubling at powers of two: n is the count before the new one. */
	if (n & (n - 1))
		return v;
	return realloc(v, (n ? 2 * n : 1) * size);
}

static int group_add(struct shim_arch_summary *a, uint32_t ret, const char *name)
{
	struct shim_ret_group *g = NULL;
	void *p;

	for (size_t i = 0; i < a->n_groups && !g; i++)
		if (a->groups[i].ret == ret)
			g = &a->groups[i];
	if (!g) {
		if (!(p = grow(a->groups, a->n_groups, sizeof(*a->groups))))
			return -1;
		a->groups = p;
		g = &a->groups[a->n_groups++];
		*g = (struct shim_ret_group){ .ret = ret };
	}
	if (!(p = grow(g->names, g->n, sizeof(*g->names))))
		return -1;
	g->names = p;
	g->names[g->n++] = name;
	return 0;
}

static int cond_add(const struct sum_ctx *c, struct shim_arch_summary *a,
		    const struct shim_seccomp_data *d, uint32_t ret, const char *name,
		    struct shim_error *err)
{
	struct shim_cond_syscall *cs;
	void *p = grow(a->cond, a->n_cond, sizeof(*a->cond));

	if (!p) {
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	a->cond = p;
	cs = &a->cond[a->n_cond++];
	*cs = (struct shim_cond_syscall){ .name = name, .nr = d->nr, .rets = { ret }, .n_rets = 1 };
	return probe(c, *d, cs, err);
}

static int cmp_groups(const void *x, const void *y)
{
	const struct shim_ret_group *a = x, *b = y;

	if (a->n != b->n)
		return a->n < b->n ? 1 : -1;
	return a->ret < b->ret ? -1 : a->ret > b->ret;
}

/* One call of arch: counted as allowed, in a group, or as conditional;
 * *apart: it gets another verdict than on an unknown architecture. */
static int one_call(const struct sum_ctx *c, struct shim_arch_summary *a,
		    const struct shim_seccomp_data *d, const char *name, bool *apart,
		    struct shim_error *err)
{
	struct shim_seccomp_data foreign = { .nr = d->nr, .arch = SHIM_FOREIGN_ARCH };
	bool reads = false, ignored = false;
	uint32_t ret, fret;

	if (shim_filters_run_traced(c->stack, c->n, d, &ret, &reads, err) < 0 ||
	    shim_filters_run_traced(c->stack, c->n, &foreign, &fret, &ignored, err) < 0)
		return -1;
	*apart |= reads || ret != fret;
	if (reads)
		return cond_add(c, a, d, ret, name, err);
	if (ret == SECCOMP_RET_ALLOW) {
		a->n_allowed++;
		return 0;
	}
	if (group_add(a, ret, name) < 0) {
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	return 0;
}

static int summarize_arch(const struct sum_ctx *c, const struct shim_arch_info *arch,
			  struct shim_arch_summary *a, bool *apart, struct shim_error *err)
{
	/* x32's calls come in as x86_64's, the number with bit 30 set. */
	uint32_t data_arch = arch->token == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : arch->token;
	struct shim_seccomp_data d = { .arch = data_arch };
	bool ignored = false;
	const char *name;
	size_t cursor = 0;
	int nr;

	memset(a, 0, sizeof(*a));
	a->arch = arch;
	a->max_nr = -1;
	while (shim_syscall_next(arch->token, &cursor, &nr, &name)) {
		d.nr = nr;
		a->n_known++;
		a->max_nr = nr;
		if (one_call(c, a, &d, name, apart, err) < 0)
			return -1;
	}
	d.nr = a->max_nr + 1;
	memset(d.args, 0, sizeof(d.args));
	if (shim_filters_run_traced(c->stack, c->n, &d, &a->above_ret, &ignored, err) < 0)
		return -1;
	if (a->n_groups > 1) /* qsort takes no NULL, even for nothing */
		qsort(a->groups, a->n_groups, sizeof(*a->groups), cmp_groups);
	return 0;
}

static void arch_free(struct shim_arch_summary *a)
{
	for (size_t i = 0; i < a->n_groups; i++)
		free(a->groups[i].names);
	free(a->groups);
	free(a->cond);
}

static int unknown_arch(const struct sum_ctx *c, struct shim_filter_summary *out,
			struct shim_error *err)
{
	struct shim_seccomp_data d = { .arch = SHIM_FOREIGN_ARCH };
	bool ignored = false;
	uint32_t ret;

	if (shim_filters_run_traced(c->stack, c->n, &d, &out->unknown_arch_ret, &ignored, err) < 0)
		return -1;
	for (d.nr = 1; d.nr < UNKNOWN_NRS && !out->unknown_arch_varies; d.nr++) {
		if (shim_filters_run_traced(c->stack, c->n, &d, &ret, &ignored, err) < 0)
			return -1;
		out->unknown_arch_varies = ret != out->unknown_arch_ret;
	}
	return 0;
}

/* Each architecture libseccomp knows, the native one first; kept when the
 * stack treats it apart from an unknown one. */
static int each_arch(const struct sum_ctx *c, struct shim_filter_summary *out,
		     struct shim_error *err)
{
	uint32_t native = seccomp_arch_native();
	size_t count = shim_syscall_arch_count();

	if (!(out->arches = calloc(count + 1, sizeof(*out->arches)))) {
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	for (size_t i = 0; i <= count; i++) {
		uint32_t token = i == 0 ? native : shim_syscall_arch_at(i - 1);
		const struct shim_arch_info *arch = shim_arch_by_token(token);
		struct shim_arch_summary *a = &out->arches[out->n_arches];
		bool apart = false;

		if (!arch || (i > 0 && token == native))
			continue;
		if (summarize_arch(c, arch, a, &apart, err) < 0) {
			arch_free(a);
			return -1;
		}
		if (apart || i == 0)
			out->n_arches++;
		else
			arch_free(a);
	}
	return 0;
}

int shim_filters_summarize(const struct shim_filter *stack, size_t n,
			   struct shim_filter_summary *out, struct shim_error *err)
{
	struct sum_ctx *c = calloc(1, sizeof(*c));

	memset(out, 0, sizeof(*out));
	if (!c) {
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	c->stack = stack;
	c->n = n;
	for (size_t i = 0; i < n; i++)
		out->n_insns += stack[i].n_insns;
	consts_collect(c);
	if (unknown_arch(c, out, err) < 0 || each_arch(c, out, err) < 0) {
		free(c);
		shim_filter_summary_free(out);
		return -1;
	}
	free(c);
	return 0;
}

void shim_filter_summary_free(struct shim_filter_summary *s)
{
	for (size_t i = 0; i < s->n_arches; i++)
		arch_free(&s->arches[i]);
	free(s->arches);
	s->arches = NULL;
	s->n_arches = 0;
}
