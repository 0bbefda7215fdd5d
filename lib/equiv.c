/* equiv: do two programs for one policy give the same verdicts?
 *
 * Used to hold our generator to libseccomp's output (tests, fuzzer,
 * explain --stats). The inputs: every arch the policy names plus a
 * foreign one; syscall numbers 0..1023 in both halves of x86_64's space,
 * the top of the space, libseccomp's pseudo numbers and every number a
 * rule names (ARM's private calls lie at 0xf0000); for each number
 * whose verdict depends on the arguments, argument vectors built from
 * every value the policy compares with, its neighbours and its halves.
 */
#include <errno.h>
#include <seccomp.h>
#include <string.h>

#include "internal.h"

#define FOREIGN_ARCH 0x4000002au /* AUDIT_ARCH_SPARC: in no policy we build */
#define ARG_VECTORS 96

struct pool {
	uint64_t v[256];
	size_t n;
	unsigned indices; /* bit i: some rule tests argument i */
};

static void pool_add(struct pool *p, uint64_t v)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i] == v)
			return;
	if (p->n < ARRAY_SIZE(p->v))
		p->v[p->n++] = v;
}

static void pool_fill(struct pool *p, const struct shim_policy *pol)
{
	pool_add(p, 0);
	pool_add(p, ~0ULL);
	pool_add(p, 0xffffffffULL);
	pool_add(p, 1ULL << 32);
	for (size_t i = 0; i < pol->n_rules; i++)
		for (size_t j = 0; j < pol->rules[i].n_args; j++) {
			const struct shim_arg *a = &pol->rules[i].args[j];
			uint64_t both[2] = { a->value, a->value_two };

			p->indices |= 1u << a->index;
			for (size_t k = 0; k < 2; k++) {
				uint64_t v = both[k];
				pool_add(p, v);
				pool_add(p, v + 1);
				pool_add(p, v - 1);
				pool_add(p, (uint32_t)v);
				pool_add(p, v ^ (1ULL << 32));
				pool_add(p, v & a->value);
				pool_add(p, ~v);
			}
		}
	/* x86 socketcall and ipc sub-call numbers, in arg0. */
	for (uint64_t v = 1; v <= 24; v++)
		pool_add(p, v);
	p->indices |= 1;
}

/* A small deterministic generator: the same inputs on every run. */
static uint64_t next_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static int run(const struct shim_filter *f, const struct shim_seccomp_data *d, uint32_t *ret,
	       bool *reads_args, struct shim_error *err)
{
	struct shim_bpf_trace t = { 0 };

	if (shim_bpf_run_traced(f->insns, f->n_insns, d, ret, &t, err) < 0)
		return -1;
	*reads_args |= t.reads_args;
	return 0;
}

/* 1: a and b agree on nr; 0: they differ (d holds the input); -1: error. */
static int compare_nr(const struct shim_filter *a, const struct shim_filter *b,
		      const struct pool *pool, struct shim_seccomp_data *d, size_t *inputs,
		      struct shim_error *err)
{
	uint64_t state = 0x9e3779b97f4a7c15ULL ^ (uint32_t)d->nr ^ ((uint64_t)d->arch << 32);
	bool reads_args = false;
	uint32_t ra, rb;

	memset(d->args, 0, sizeof(d->args));
	if (run(a, d, &ra, &reads_args, err) < 0 || run(b, d, &rb, &reads_args, err) < 0)
		return -1;
	++*inputs;
	if (ra != rb)
		return 0;
	if (!reads_args)
		return 1;
	/* Every pool value in every argument tested, then random mixtures. */
	for (size_t i = 0; i < pool->n * 6 + ARG_VECTORS; i++) {
		if (i < pool->n * 6) {
			if (!(pool->indices & (1u << (i % 6))))
				continue;
			memset(d->args, 0, sizeof(d->args));
			d->args[i % 6] = pool->v[i / 6];
		} else {
			for (size_t k = 0; k < 6; k++)
				d->args[k] = pool->v[next_random(&state) % pool->n];
		}
		if (run(a, d, &ra, &reads_args, err) < 0 || run(b, d, &rb, &reads_args, err) < 0)
			return -1;
		++*inputs;
		if (ra != rb)
			return 0;
	}
	return 1;
}

int shim_filter_equivalent(const struct shim_policy *pol, const struct shim_filter *a,
			   const struct shim_filter *b, struct shim_seccomp_data *differing,
			   size_t *inputs, struct shim_error *err)
{
	struct pool pool = { .n = 0 };
	uint32_t arches[ARRAY_SIZE(pol->arches) + 1];
	size_t n_arches = 0;

	*inputs = 0;
	pool_fill(&pool, pol);
	for (size_t i = 0; i < pol->n_arches; i++)
		arches[n_arches++] = pol->arches[i];
	arches[n_arches++] = FOREIGN_ARCH;
	for (size_t i = 0; i < n_arches; i++) {
		struct shim_seccomp_data d = { .arch = arches[i] };
		for (uint64_t k = 0; k < 1024 + 1024 + 512 + 1024; k++) {
			uint32_t nr = k < 1024	       ? (uint32_t)k
				      : k < 2048       ? 0x40000000u + (uint32_t)(k - 1024)
				      : k < 2048 + 512 ? UINT32_MAX - (uint32_t)(k - 2048)
						       : (uint32_t)-10000 - (uint32_t)(k - 2560);
			int rc;

			d.nr = (int)nr;
			rc = compare_nr(a, b, &pool, &d, inputs, err);
			if (rc <= 0) {
				*differing = d;
				return rc;
			}
		}
		/* The numbers the rules name, wherever they lie (ARM's private
		 * calls at 0xf0000), and their neighbours. */
		for (size_t r = 0; r < pol->n_rules; r++) {
			int named = seccomp_syscall_resolve_name_arch(arches[i], pol->rules[r].name);

			for (int delta = -1; named >= 1024 && delta <= 1; delta++) {
				int rc;

				d.nr = named + delta;
				rc = compare_nr(a, b, &pool, &d, inputs, err);
				if (rc <= 0) {
					*differing = d;
					return rc;
				}
			}
		}
	}
	return 1;
}
