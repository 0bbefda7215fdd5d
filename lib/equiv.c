/* equiv: does a program give what the rules say, or what another gives?
 *
 * shim_filter_check holds a program to the rules' own verdicts
 * (lib/refeval.c): every program compile hands out passes it first.
 * shim_filter_equivalent holds our generator's program to libseccomp's
 * (tests, fuzzer, explain --stats); where libseccomp 2.5.4 is known to
 * break the rules, shim_libseccomp_excused tells its errors from ours.
 *
 * The inputs, the same for both: every arch the policy names plus a
 * foreign one; syscall numbers 0..1023 in both halves of x86_64's space,
 * the top of the space, libseccomp's pseudo numbers and every number a
 * rule names (ARM's private calls lie at 0xf0000) with its neighbours.
 * For each number whose verdict depends on the arguments: every value
 * its rules compare with, its neighbours, its halves, with bit 32
 * flipped, masked and inverted, in each argument a rule tests; the same
 * with the other tests of each rule of several tests held; the values
 * the programs themselves compare an argument word with on that call's
 * paths (lib/argconsts.c), and the instruction pointer alone at each
 * value they compare it with; then mixtures,
 * some of one value's high word and another's low word (where
 * libseccomp 2.5.4 goes wrong). A program for a big-endian arch is run
 * on arguments laid out as that kernel lays them out.
 *
 * The same inputs at a fraction of the cost (#16): a number of the sweep
 * whose cell (lib/nrcells.c) already had a number tried, with no
 * argument read and the sides agreeing, would give the same result and
 * is not run again; a number where an argument is read gets every input
 * above. And programs that pass shim_bpf_check run without the
 * interpreter's per-instruction checks.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MIXTURES 256
#define POOL_MAX 2048
#define ALL_INDICES 0x3fu

struct pool {
	uint64_t v[POOL_MAX];
	uint8_t idx[POOL_MAX]; /* bit i: a value for argument i */
	size_t n;
	unsigned indices; /* bit i: some rule tests argument i */
};

/* What runs on each input: two programs, or one and the rules. */
struct judge {
	const struct shim_filter *a, *b; /* b NULL: a against ref */
	size_t n_a; /* a is a stack of n_a filters, the oldest first */
	const struct shim_ref *ref;
	const struct shim_policy *pol;
	struct pool *global; /* every value of every rule, made when needed */
	size_t inputs; /* run, or decided by a number of the same cell */
	bool checked; /* every program passed shim_bpf_check */
	/* With checked: each program's run up to its first argument load on
	 * the call compare_nr is on (a's n_a, then b's), and the rules' part
	 * of that call. */
	struct shim_bpf_state *states;
	struct shim_ref_call call;
	bool plain; /* every number, run by shim_bpf_run_traced (tests) */
};

static void pool_add(struct pool *p, uint64_t v, unsigned idx)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i] == v) {
			p->idx[i] |= (uint8_t)idx;
			return;
		}
	if (p->n < POOL_MAX) {
		p->idx[p->n] = (uint8_t)idx;
		p->v[p->n++] = v;
	}
}

static void pool_start(struct pool *p)
{
	p->n = 0;
	p->indices = 0;
	pool_add(p, 0, ALL_INDICES);
	pool_add(p, ~0ULL, ALL_INDICES);
	pool_add(p, 0xffffffffULL, ALL_INDICES);
	pool_add(p, 1ULL << 32, ALL_INDICES);
	pool_add(p, 1ULL << 63, ALL_INDICES);
}

/* A value a rule compares argument index with, and those around it. */
static void pool_value(struct pool *p, unsigned index, enum shim_cmp_op op, uint64_t value,
		       uint64_t two)
{
	uint64_t both[2] = { value, two };
	unsigned bit = 1u << index;

	p->indices |= bit;
	for (size_t k = 0; k < (op == SHIM_OP_MASKED_EQ ? 2u : 1u); k++) {
		uint64_t v = both[k];
		pool_add(p, v, bit);
		pool_add(p, v + 1, bit);
		pool_add(p, v - 1, bit);
		pool_add(p, (uint32_t)v, bit);
		pool_add(p, v & 0xffffffff00000000ULL, bit);
		pool_add(p, v ^ (1ULL << 32), bit);
		pool_add(p, v & value, bit);
		pool_add(p, ~v, bit);
	}
	if (op == SHIM_OP_MASKED_EQ)
		pool_add(p, (two & value) | ~value, bit);
}

static void pool_fill_policy(struct pool *p, const struct shim_policy *pol)
{
	pool_start(p);
	for (size_t i = 0; i < pol->n_rules; i++)
		for (size_t j = 0; j < pol->rules[i].n_args; j++) {
			const struct shim_arg *a = &pol->rules[i].args[j];
			pool_value(p, a->index, a->op, a->value, a->value_two);
		}
	/* socketcall and ipc sub-call numbers, in arg0. */
	for (uint64_t v = 1; v <= 24; v++)
		pool_add(p, v, 1);
	p->indices |= 1;
}

/* The tests the rules make on one call, gathered for base vectors. */
struct tests {
	struct test {
		size_t entry;
		unsigned index;
		enum shim_cmp_op op;
		uint64_t value, two;
	} *v;
	size_t n, cap;
	struct pool *pool;
	bool oom;
};

static void gather(void *ctx, size_t entry, unsigned index, enum shim_cmp_op op, uint64_t value,
		   uint64_t two)
{
	struct tests *t = ctx;

	pool_value(t->pool, index, op, value, two);
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 32;
		struct test *grown = t->oom ? NULL : realloc(t->v, cap * sizeof(*grown));
		if (!grown) {
			t->oom = true;
			return;
		}
		t->v = grown;
		t->cap = cap;
	}
	t->v[t->n++] = (struct test){ entry, index, op, value, two };
}

/* An argument value that passes one test (as written; a 32-bit arch
 * cuts it the same way the test's value is cut). */
static uint64_t passing(const struct test *t)
{
	switch (t->op) {
	case SHIM_OP_NE: return t->value + 1;
	case SHIM_OP_LT: return t->value ? t->value - 1 : 0;
	case SHIM_OP_GT: return t->value + 1;
	case SHIM_OP_MASKED_EQ: return t->two & t->value;
	default: return t->value;
	}
}

/* x % d without a division (hundreds of thousands per compile, each a
 * slow instruction): with m = ceil(2^128 / d), the low 128 bits of m * x
 * are the fraction x / d - floor(x / d) scaled by 2^128, and times d,
 * its top bits are the remainder, exactly, for every 64-bit x and d
 * (Lemire, Kaser and Kurz, "Faster remainder by direct computation",
 * 2019). A unit test holds it to %. */
struct divisor {
	unsigned __int128 m;
	uint64_t d;
};

static struct divisor divisor_of(uint64_t d)
{
	return (struct divisor){ ~(unsigned __int128)0 / d + 1, d };
}

static uint64_t remainder_by(const struct divisor *v, uint64_t x)
{
	unsigned __int128 frac = v->m * x;
	unsigned __int128 low = (unsigned __int128)(uint64_t)frac * v->d;
	unsigned __int128 high = (unsigned __int128)(uint64_t)(frac >> 64) * v->d;

	return (uint64_t)((high + (low >> 64)) >> 64);
}

uint64_t shim_equiv_remainder(uint64_t x, uint64_t d)
{
	struct divisor v = divisor_of(d);

	return remainder_by(&v, x);
}

static uint64_t next_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/* 1: the sides agree on d; 0: they differ; -1: error. */
static int try_input(struct judge *j, const struct shim_seccomp_data *d, bool *reads_args,
		     struct shim_error *err)
{
	struct shim_ref_verdict v;
	uint32_t ra, rb;
	bool accepted;

	j->inputs++;
	if (j->checked) {
		shim_filters_run_checked_from(j->a, j->n_a, j->states, d, &ra, reads_args);
		if (j->b)
			shim_filters_run_checked_from(j->b, 1, j->states + j->n_a, d, &rb,
						      reads_args);
	} else if (shim_filters_run_traced(j->a, j->n_a, d, &ra, reads_args, err) < 0 ||
		   (j->b && shim_filters_run_traced(j->b, 1, d, &rb, reads_args, err) < 0)) {
		return -1;
	}
	if (j->b)
		return ra == rb;
	if (j->checked)
		shim_ref_eval_call(&j->call, d->args, &v);
	else
		shim_ref_eval(j->ref, d, &v);
	*reads_args |= v.reads_args;
	shim_ref_accepts(&v, ra, &accepted);
	return accepted;
}

#define TRY(vec)                                                      \
	do {                                                          \
		memcpy(d->args, (vec), sizeof(d->args));              \
		rc = try_input(j, d, &ignored, err);                  \
		if (rc <= 0)                                          \
			goto out;                                     \
	} while (0)

/* Each argument a rule tests over its values, from all zero and from
 * every rule's tests held; then mixtures. */
static int arg_inputs(struct judge *j, struct shim_seccomp_data *d, const struct pool *p,
		      const struct tests *t, struct shim_error *err)
{
	uint64_t state = 0x9e3779b97f4a7c15ULL ^ (uint32_t)d->nr ^ ((uint64_t)d->arch << 32);
	uint64_t base[6], vec[6];
	struct divisor n = divisor_of(p->n); /* p->n > 0: pool_start's values */
	bool ignored = false;
	int rc = 1;

	for (size_t e = 0; e <= (t->n ? t->v[t->n - 1].entry + 1 : 0); e++) {
		size_t held = 0;

		memset(base, 0, sizeof(base));
		for (size_t i = 0; i < t->n; i++)
			if (t->v[i].entry + 1 == e) {
				base[t->v[i].index] = passing(&t->v[i]);
				held++;
			}
		if (e && held < 2)
			continue; /* one test: the all-zero base covers it */
		for (unsigned k = 0; k < 6; k++)
			for (size_t i = 0; (p->indices >> k & 1) && i < p->n; i++) {
				if (!(p->idx[i] >> k & 1))
					continue;
				memcpy(vec, base, sizeof(vec));
				vec[k] = p->v[i];
				TRY(vec);
			}
	}
	for (size_t m = 0; m < MIXTURES; m++) {
		for (unsigned k = 0; k < 6; k++) {
			uint64_t x = p->v[remainder_by(&n, next_random(&state))];
			uint64_t y = p->v[remainder_by(&n, next_random(&state))];

			if (!(p->indices >> k & 1))
				x = next_random(&state) % 8 ? 0 : x;
			else if (next_random(&state) % 4 == 0)
				x = (x & 0xffffffff00000000ULL) | (uint32_t)y;
			vec[k] = x;
		}
		TRY(vec);
	}
out:
	return rc;
}

/* The constants the programs compare this call's argument words with
 * (lib/argconsts.c), and their neighbours, for the arguments; the
 * instruction pointer's, to try on their own. */
struct harvest {
	struct pool *pool;
	uint64_t ip[32];
	size_t n_ip;
};

static void ip_add(struct harvest *h, uint64_t v)
{
	for (size_t i = 0; i < h->n_ip; i++)
		if (h->ip[i] == v)
			return;
	if (h->n_ip < ARRAY_SIZE(h->ip))
		h->ip[h->n_ip++] = v;
}

static void harvest_one(void *ctx, unsigned index, uint64_t v)
{
	struct harvest *h = ctx;

	if (index == SHIM_ARG_IP) {
		ip_add(h, v);
		return;
	}
	pool_add(h->pool, v, 1u << index);
	h->pool->indices |= 1u << index;
}

static int harvest(const struct judge *j, const struct shim_seccomp_data *d, struct harvest *h)
{
	for (size_t i = 0; i < j->n_a; i++)
		if (shim_program_arg_values(j->a[i].insns, j->a[i].n_insns, d->arch,
					    (uint32_t)d->nr, harvest_one, h) < 0)
			return -1;
	if (j->b && shim_program_arg_values(j->b->insns, j->b->n_insns, d->arch, (uint32_t)d->nr,
					    harvest_one, h) < 0)
		return -1;
	return 0;
}

/* The instruction pointer at each value a program compares it with, the
 * arguments zero: the rules never look at it. */
static int ip_inputs(struct judge *j, struct shim_seccomp_data *d, const struct harvest *h,
		     struct shim_error *err)
{
	bool ignored = false;
	int rc = 1;

	for (size_t i = 0; rc > 0 && i < h->n_ip; i++) {
		d->instruction_pointer = h->ip[i];
		rc = try_input(j, d, &ignored, err);
	}
	if (rc > 0)
		d->instruction_pointer = 0;
	return rc;
}

/* 1: the sides agree on nr (with d's arch); 0: they differ (d holds the
 * input); -1: error. *reads_args: a side read an argument with all of
 * them zero (then more inputs were tried). */
static int compare_nr(struct judge *j, struct shim_seccomp_data *d, bool *reads_args,
		      struct shim_error *err)
{
	static const uint64_t zero[6];
	struct tests t = { 0 };
	struct harvest h = { 0 };
	int rc;

	*reads_args = false;
	memcpy(d->args, zero, sizeof(d->args));
	if (j->checked) {
		for (size_t i = 0; i < j->n_a; i++)
			shim_bpf_checked_prefix(j->a[i].insns, d, &j->states[i]);
		if (j->b)
			shim_bpf_checked_prefix(j->b->insns, d, &j->states[j->n_a]);
		else
			shim_ref_call_at(j->ref, d->arch, (uint32_t)d->nr, &j->call);
	}
	rc = try_input(j, d, reads_args, err);
	if (rc <= 0 || !*reads_args)
		return rc;
	if (!(t.pool = malloc(sizeof(*t.pool))))
		goto oom;
	pool_start(t.pool);
	shim_ref_each_cond(j->ref, d->arch, (uint32_t)d->nr, gather, &t);
	if (t.oom)
		goto oom;
	if (t.n == 0) { /* a program reads arguments no rule tests here */
		if (!j->global && (j->global = malloc(sizeof(*j->global))))
			pool_fill_policy(j->global, j->pol);
		if (!j->global)
			goto oom;
		memcpy(t.pool, j->global, sizeof(*t.pool));
	}
	h.pool = t.pool;
	if (harvest(j, d, &h) < 0)
		goto oom;
	rc = ip_inputs(j, d, &h, err);
	if (rc > 0)
		rc = arg_inputs(j, d, t.pool, &t, err);
	free(t.v);
	free(t.pool);
	return rc;
oom:
	free(t.v);
	free(t.pool);
	shim_error_set(err, ENOMEM, "out of memory");
	return -1;
}

struct named {
	uint32_t v[4096];
	size_t n;
};

static void add_named(void *ctx, uint32_t nr)
{
	struct named *n = ctx;

	for (int delta = -1; nr >= 1024 && delta <= 1 && n->n < ARRAY_SIZE(n->v); delta++)
		n->v[n->n++] = nr + (uint32_t)delta;
}

static void add_cut(void *ctx, uint64_t cut)
{
	shim_nr_cuts_add(ctx, cut);
}

/* The cells (lib/nrcells.c) of data arch `arch`: where some program or
 * the rules can tell a number from the one below it. False: a program
 * does more with the number, and every number is tried. */
static bool cells(const struct judge *j, uint32_t arch, struct shim_nr_cuts *out)
{
	for (size_t i = 0; i < j->n_a; i++)
		if (!shim_nr_cuts_program(j->a[i].insns, j->a[i].n_insns, out))
			return false;
	if (j->b && !shim_nr_cuts_program(j->b->insns, j->b->n_insns, out))
		return false;
	shim_ref_each_cut(j->ref, arch, add_cut, out);
	shim_nr_cuts_finish(out);
	return !out->oom;
}

/* compare_nr on the number in d, unless another number of its cell
 * already agreed with no argument read: it would agree the same way. */
static int compare_in_cell(struct judge *j, struct shim_seccomp_data *d, struct shim_nr_cuts *c,
			   uint8_t *agreed, struct shim_error *err)
{
	size_t cell = agreed ? shim_nr_cell(c, (uint32_t)d->nr) : 0;
	bool reads_args;
	int rc;

	if (agreed && agreed[cell]) {
		j->inputs++; /* decided: as the number already tried */
		return 1;
	}
	rc = compare_nr(j, d, &reads_args, err);
	if (agreed && rc > 0 && !reads_args)
		agreed[cell] = 1;
	return rc;
}

/* Whether every program passes shim_bpf_check; one that does not is run
 * by shim_bpf_run_traced, which says where it goes wrong. */
static bool all_checked(const struct judge *j)
{
	struct shim_error ignored = { 0 };

	for (size_t i = 0; i < j->n_a; i++)
		if (shim_bpf_check(j->a[i].insns, j->a[i].n_insns, &ignored) < 0)
			return false;
	return !j->b || shim_bpf_check(j->b->insns, j->b->n_insns, &ignored) == 0;
}

static int walk(struct judge *j, struct shim_seccomp_data *differing, struct shim_error *err)
{
	const struct shim_policy *pol = j->pol;
	uint32_t arches[ARRAY_SIZE(pol->arches)], nr;
	struct shim_seccomp_data d = { 0 };
	struct named *named = malloc(sizeof(*named));
	size_t n_arches = 0;
	int rc = 1;

	if (!named) {
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	j->checked = !j->plain && all_checked(j) &&
		     (j->states = calloc(j->n_a + 1, sizeof(*j->states)));
	/* x32 calls come in as x86_64's, with bit 30 set. */
	for (size_t i = 0; i < pol->n_arches; i++) {
		uint32_t a = pol->arches[i] == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : pol->arches[i];
		bool seen = false;

		for (size_t k = 0; k < n_arches; k++)
			seen |= arches[k] == a;
		if (!seen)
			arches[n_arches++] = a;
	}
	/* A foreign arch (and x32's token, which no kernel sends): the
	 * arch check comes first, a few numbers show it. */
	d.arch = SHIM_FOREIGN_ARCH;
	for (uint32_t k = 0; rc > 0 && k < 64; k++) {
		d.nr = k < 63 ? (int)k : -1;
		rc = compare_in_cell(j, &d, NULL, NULL, err);
	}
	if (rc > 0) /* else d names the foreign arch's failing input */
		d.arch = SCMP_ARCH_X32;
	for (uint32_t k = 0; rc > 0 && k < 4; k++) {
		d.nr = (int)(SHIM_X32_SYSCALL_BIT + k);
		rc = compare_in_cell(j, &d, NULL, NULL, err);
	}
	for (size_t i = 0; rc > 0 && i < n_arches; i++) {
		struct shim_nr_cuts c = { 0 };
		uint8_t *agreed = NULL;

		d.arch = arches[i];
		if (!j->plain && cells(j, d.arch, &c))
			agreed = calloc(c.n + 1, 1); /* NULL: every number tried */
		for (uint32_t k = 0; rc > 0 && shim_nr_sweep(d.arch, k, &nr); k++) {
			d.nr = (int)nr;
			rc = compare_in_cell(j, &d, &c, agreed, err);
		}
		/* The numbers the rules name, wherever they lie (ARM's private
		 * calls at 0xf0000, MIPS at 4000), and their neighbours. */
		named->n = 0;
		shim_ref_each_nr(j->ref, d.arch, add_named, named);
		for (size_t k = 0; rc > 0 && k < named->n; k++) {
			d.nr = (int)named->v[k];
			rc = compare_in_cell(j, &d, &c, agreed, err);
		}
		free(agreed);
		free(c.v);
	}
	free(named);
	free(j->states);
	j->states = NULL;
	if (rc == 0)
		*differing = d;
	return rc;
}

int shim_filter_equivalent(const struct shim_policy *pol, const struct shim_filter *a,
			   const struct shim_filter *b, struct shim_seccomp_data *differing,
			   size_t *inputs, struct shim_error *err)
{
	return shim_filters_equivalent(pol, a, 1, b, differing, inputs, err);
}

int shim_filters_equivalent(const struct shim_policy *pol, const struct shim_filter *stack,
			    size_t n, const struct shim_filter *b, struct shim_seccomp_data *differing,
			    size_t *inputs, struct shim_error *err)
{
	struct judge j = { .a = stack, .n_a = n, .b = b, .pol = pol };
	struct shim_ref *ref;
	int rc;

	*inputs = 0;
	if (shim_ref_new(pol, &ref, err) < 0)
		return -1;
	j.ref = ref;
	rc = walk(&j, differing, err);
	*inputs = j.inputs;
	shim_ref_free(ref);
	free(j.global);
	return rc;
}

int shim_filter_check(const struct shim_policy *pol, const struct shim_ref *ref,
		      const struct shim_filter *f, struct shim_seccomp_data *differing,
		      size_t *inputs, struct shim_error *err)
{
	return shim_filter_check_sweep(pol, ref, f, false, differing, inputs, err);
}

int shim_filter_check_sweep(const struct shim_policy *pol, const struct shim_ref *ref,
			    const struct shim_filter *f, bool plain,
			    struct shim_seccomp_data *differing, size_t *inputs,
			    struct shim_error *err)
{
	struct judge j = { .a = f, .n_a = 1, .ref = ref, .pol = pol, .plain = plain };
	int rc = walk(&j, differing, err);

	*inputs = j.inputs;
	free(j.global);
	return rc;
}

int shim_libseccomp_excused(const struct shim_ref *ref, const struct shim_filter *ours,
			    const struct shim_filter *theirs, const struct shim_seccomp_data *d,
			    struct shim_error *err)
{
	struct shim_ref_verdict v;
	bool mine_ok, theirs_ok, reads = false;
	uint32_t a, b;

	if (!shim_ref_libseccomp_suspect(ref))
		return 0;
	if (shim_filters_run_traced(ours, 1, d, &a, &reads, err) < 0 ||
	    shim_filters_run_traced(theirs, 1, d, &b, &reads, err) < 0)
		return -1;
	shim_ref_eval(ref, d, &v);
	shim_ref_accepts(&v, a, &mine_ok);
	shim_ref_accepts(&v, b, &theirs_ok);
	return mine_ok && !theirs_ok;
}
