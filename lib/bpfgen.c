/* bpfgen: flat policy -> classic BPF, without libseccomp's compiler.
 *
 * libseccomp 2.5 takes tens of milliseconds to compile a Docker-sized
 * profile (a snapshot of its whole rule database per rule added, then a
 * slow export); this takes well under one. Its program is smaller too:
 * neighbouring syscall numbers with the same verdict share one range of a
 * binary search whose comparisons jump to shared returns, where
 * libseccomp tests each number and returns from each.
 *
 * MUST: for every (arch, nr, args) the program returns what the rules
 * mean under libseccomp's semantics (lib/refeval.c), libseccomp's quirks
 * included (x86 socketcall/ipc rules, pseudo syscall numbers left out,
 * 32-bit argument truncation, masked values, masked tests with no mask
 * bit in the arch's width left out, the x32 split, the first
 * unconditional rule winning). Where libseccomp 2.5.4's own program is
 * wrong (man page BUGS) this one follows the rules, on purpose. A shape
 * this file cannot reproduce makes it return 0 and libseccomp compiles
 * the policy; nothing is approximated, and lib/compile.c holds every
 * program to the rules before it is used. A program from here says
 * nothing of whether libseccomp accepts the rules (it refuses some that
 * conflict, and hangs on others): compile asks (lib/scmpdb.c). The unit
 * tests and the fuzzer compare ours with libseccomp's on every input
 * they see.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>

#include "internal.h"

#define X32_SYSCALL_BIT 0x40000000u
#define X86_NR_SOCKETCALL 102
#define X86_NR_IPC 117
/* What libseccomp returns for a filter's foreign arch (SCMP_ACT_KILL). */
#define BADARCH_RET SECCOMP_RET_KILL_THREAD
#define ARGS_OFFSET 16 /* offsetof(struct seccomp_data, args) */

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

/* Sized once for everything one arch's rules can need, so that the
 * rules' pointers into the pool stay valid. */
struct gen_rules {
	struct gen_rule *v;
	size_t n, cap;
	struct gen_cond *pool;
	size_t pool_n, pool_cap;
};

struct prog {
	struct sock_filter *v;
	size_t n, cap;
	bool oom;
};

/* What one range of syscall numbers gets: a return value, or the
 * conditional rules of one syscall (then first..first+count in rules). */
struct range {
	uint32_t start;
	bool conditional;
	uint32_t ret;
	size_t first, count;
};

struct section {
	const struct gen_rules *rules;
	uint32_t def;
};

static void put(struct prog *p, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct sock_filter *grown = p->oom ? NULL : realloc(p->v, cap * sizeof(*grown));
		if (!grown) {
			p->oom = true;
			return;
		}
		p->v = grown;
		p->cap = cap;
	}
	p->v[p->n++] = (struct sock_filter){ code, jt, jf, k };
}

static void append(struct prog *p, const struct prog *q)
{
	for (size_t i = 0; i < q->n; i++)
		put(p, q->v[i].code, q->v[i].jt, q->v[i].jf, q->v[i].k);
	p->oom |= q->oom;
}

static int arch_args_bits(uint32_t arch)
{
	switch (arch) {
	case SCMP_ARCH_X86_64:
	case SCMP_ARCH_AARCH64:
	case SCMP_ARCH_RISCV64:
		return 64;
	case SCMP_ARCH_X86:
	case SCMP_ARCH_X32:
	case SCMP_ARCH_ARM:
		return 32; /* libseccomp compares the low 32 bits only */
	default:
		return 0; /* big-endian, or multiplexing we do not reproduce */
	}
}

/* x86 socketcall(2)/ipc(2) calls: libseccomp's pseudo number (negative)
 * and the direct syscall i386 has for it, if any. The sub-call number
 * passed in arg0 is -pseudo % 100 (socket) or % 200 (ipc). */
static const struct {
	int pseudo, direct;
} x86_mux[] = {
	{ -101, 359 }, { -102, 361 }, { -103, 362 }, { -104, 363 }, { -105, -105 },
	{ -106, 367 }, { -107, 368 }, { -108, 360 }, { -109, -109 }, { -110, -110 },
	{ -111, 369 }, { -112, 371 }, { -113, 373 }, { -114, 366 }, { -115, 365 },
	{ -116, 370 }, { -117, 372 }, { -118, 364 }, { -119, 337 }, { -120, 345 },
	{ -201, -201 }, { -202, 393 }, { -203, 394 }, { -204, -204 },
	{ -211, 400 }, { -212, 401 }, { -213, 399 }, { -214, 402 },
	{ -221, 397 }, { -222, 398 }, { -223, 395 }, { -224, 396 },
};

static bool x86_socket_range(int nr)
{
	return (nr <= -100 && nr >= -120) || (nr >= 359 && nr <= 373);
}

static bool x86_ipc_range(int nr)
{
	return (nr <= -200 && nr >= -224) || (nr >= 393 && nr <= 402);
}

static int add_rule(struct gen_rules *out, uint32_t nr, size_t order, uint32_t ret, int bits,
		    const struct shim_arg *args, size_t n_args, int mux_sub)
{
	struct gen_cond *c = out->pool + out->pool_n;
	struct gen_rule *g;
	size_t n = 0;

	if (out->n == out->cap || out->pool_cap - out->pool_n < n_args + 1)
		return -1; /* cannot happen: sized by reserve() */
	if (mux_sub >= 0) /* arg0 becomes the sub-call; the other args stay */
		c[n++] = (struct gen_cond){ 0, SHIM_OP_EQ, (uint64_t)mux_sub, 0 };
	for (size_t i = 0; i < n_args; i++) {
		/* libseccomp leaves out a masked test with no mask bit in the
		 * arch's width: always true, and a rule of only such tests is
		 * unconditional (it then beats later rules). */
		bool no_test = args[i].op == SHIM_OP_MASKED_EQ &&
			       (bits == 32 ? (uint32_t)args[i].value : args[i].value) == 0;

		if ((mux_sub >= 0 && args[i].index == 0) || no_test)
			continue;
		c[n++] = (struct gen_cond){ args[i].index, args[i].op, args[i].value,
					    args[i].value_two };
	}
	out->pool_n += n;
	g = &out->v[out->n++];
	*g = (struct gen_rule){ nr, order, ret, bits, c, n };
	return 0;
}

/* The rules one input rule becomes on x86 (libseccomp's x86_rule_add):
 * a socket or ipc call becomes a socketcall/ipc rule on its sub-call plus
 * its direct syscall where i386 has one; pseudo numbers (negative) are
 * not in the program. 0: unsupported. */
static int add_x86(struct gen_rules *out, int nr, size_t order, uint32_t ret,
		   const struct shim_arg *args, size_t n_args)
{
	bool sock = x86_socket_range(nr), ipc = x86_ipc_range(nr);
	int pseudo = 0, direct = 0;

	if (!sock && !ipc) {
		if (nr < 0)
			return 1;
		return add_rule(out, (uint32_t)nr, order, ret, 32, args, n_args, -1) < 0 ? -1 : 1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(x86_mux); i++)
		if (x86_mux[i].pseudo == nr || (nr > 0 && x86_mux[i].direct == nr)) {
			pseudo = x86_mux[i].pseudo;
			direct = x86_mux[i].direct;
		}
	if (pseudo == 0)
		return 0;
	if (add_rule(out, sock ? X86_NR_SOCKETCALL : X86_NR_IPC, order, ret, 32, args, n_args,
		     -pseudo % (sock ? 100 : 200)) < 0)
		return -1;
	if (direct > 0 && add_rule(out, (uint32_t)direct, order, ret, 32, args, n_args, -1) < 0)
		return -1;
	return 1;
}

/* libseccomp's translation of a native syscall number to another arch
 * goes through the native name (so aliases resolve as it resolves them):
 * the names, one per input rule, found once for all arches. */
static const char **native_names(const struct shim_compile_rule *in, size_t n_in)
{
	const char **names = calloc(n_in + 1, sizeof(*names));

	for (size_t i = 0; names && i < n_in; i++)
		names[i] = shim_syscall_resolve_num_arch(seccomp_arch_native(), in[i].native_nr);
	return names;
}

/* Room for `arches` collects of the input: each input rule gives at
 * most two rules (x86 socket calls), each with one condition more. */
static int reserve(struct gen_rules *r, const struct shim_compile_rule *in, size_t n_in,
		   size_t arches)
{
	size_t conds = 0;

	for (size_t i = 0; i < n_in; i++)
		conds += in[i].rule->n_args + 1;
	r->cap = 2 * n_in * arches;
	r->pool_cap = 2 * conds * arches;
	r->v = malloc((r->cap + 1) * sizeof(*r->v));
	r->pool = malloc((r->pool_cap + 1) * sizeof(*r->pool));
	return r->v && r->pool ? 0 : -1;
}

/* Sorted by syscall number, the order the rules were added kept among
 * equal numbers: a stable radix sort of keys (number << 32 | position),
 * a byte of the number per pass. */
static int sort_rules(struct gen_rules *r)
{
	uint64_t *keys = malloc(2 * r->n * sizeof(*keys));
	struct gen_rule *sorted = malloc((r->cap + 1) * sizeof(*sorted));

	if (!keys || !sorted) {
		free(keys);
		free(sorted);
		return -1;
	}
	for (size_t i = 0; i < r->n; i++)
		keys[i] = (uint64_t)r->v[i].nr << 32 | i;
	for (unsigned shift = 32; shift < 64; shift += 8) {
		uint64_t *from = keys + (shift & 8 ? r->n : 0), *to = keys + (shift & 8 ? 0 : r->n);
		size_t count[257] = { 0 };

		for (size_t i = 0; i < r->n; i++)
			count[((from[i] >> shift) & 0xff) + 1]++;
		for (size_t b = 1; b < 257; b++)
			count[b] += count[b - 1];
		for (size_t i = 0; i < r->n; i++)
			to[count[(from[i] >> shift) & 0xff]++] = from[i];
	}
	/* Four passes: the sorted keys are back at the start. */
	for (size_t i = 0; i < r->n; i++)
		sorted[i] = r->v[(uint32_t)keys[i]];
	free(keys);
	free(r->v);
	r->v = sorted;
	return 0;
}

static int collect(const struct shim_compile_rule *in, const char *const *names, size_t n_in,
		   uint32_t arch, struct gen_rules *out)
{
	bool native = arch == seccomp_arch_native();

	for (size_t i = 0; i < n_in; i++) {
		const struct shim_policy_rule *r = in[i].rule;
		int nr = in[i].native_nr, rc;

		if (!native) {
			if (!names[i])
				return 0;
			nr = shim_syscall_resolve_name_arch(arch, names[i]);
			if (nr == __NR_SCMP_ERROR)
				return 0;
		}
		if (arch == SCMP_ARCH_X86)
			rc = add_x86(out, nr, i, in[i].ret, r->args, r->n_args);
		else if (nr < 0) /* a pseudo number: not in this arch's program */
			rc = 1;
		else
			rc = add_rule(out, (uint32_t)nr, i, in[i].ret, arch_args_bits(arch),
				      r->args, r->n_args, -1) < 0 ? -1 : 1;
		if (rc <= 0)
			return rc;
	}
	return 1;
}

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
static bool actions_disjoint(const struct gen_rule *g, size_t n)
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

/* Ranges covering every syscall number. 0: a shape left to libseccomp. */
static int make_ranges(const struct gen_rules *rules, uint32_t def, struct range **out,
		       size_t *n_out)
{
	struct range *v = malloc((2 * rules->n + 2) * sizeof(*v));
	size_t n = 0;
	uint64_t cur = 0;

	if (!v)
		return -1;
#define ADD_RANGE(s, cond, r, f, c)                                                         \
	do {                                                                                \
		if (n && !(cond) && !v[n - 1].conditional && v[n - 1].ret == (r))           \
			break; /* same verdict as the range before: one range */            \
		v[n++] = (struct range){ (uint32_t)(s), (cond), (r), (f), (c) };            \
	} while (0)
	for (size_t i = 0; i < rules->n;) {
		const struct gen_rule *g = &rules->v[i];
		size_t k = i, uncond = SIZE_MAX;

		while (k < rules->n && rules->v[k].nr == g->nr) {
			if (rules->v[k].n_conds == 0 && uncond == SIZE_MAX)
				uncond = k;
			k++;
		}
		bool same = true;
		for (size_t j = i; j < k; j++)
			same &= rules->v[j].ret == g->ret;
		if (uncond == SIZE_MAX && !same && !actions_disjoint(g, k - i)) {
			free(v);
			return 0;
		}
		if (g->nr > cur)
			ADD_RANGE(cur, false, def, 0, 0);
		if (uncond != SIZE_MAX)
			ADD_RANGE(g->nr, false, rules->v[uncond].ret, 0, 0);
		else
			ADD_RANGE(g->nr, true, 0, i, k - i);
		cur = (uint64_t)g->nr + 1;
		i = k;
	}
	if (cur <= UINT32_MAX)
		ADD_RANGE(cur, false, def, 0, 0);
#undef ADD_RANGE
	*out = v;
	*n_out = n;
	return 1;
}

#define LD_ABS (BPF_LD | BPF_W | BPF_ABS)
#define FAIL 0xff /* placeholder: jump to the next rule */

/* One condition; a jump offset of FAIL is patched to the next rule. */
static void put_cond(struct prog *p, const struct gen_cond *c, int bits)
{
	uint32_t lo_off = ARGS_OFFSET + 8 * c->index, hi_off = lo_off + 4;
	uint64_t v = cond_value(c, bits), mask = c->op == SHIM_OP_MASKED_EQ ? c->value : ~0ULL;
	uint32_t vlo = (uint32_t)v, vhi = (uint32_t)(v >> 32);
	uint32_t mlo = (uint32_t)mask, mhi = (uint32_t)(mask >> 32);

	if (bits == 64) {
		put(p, LD_ABS, 0, 0, hi_off);
		switch (c->op) {
		case SHIM_OP_EQ:
			put(p, BPF_JMP | BPF_JEQ | BPF_K, 0, FAIL, vhi);
			break;
		case SHIM_OP_MASKED_EQ:
			put(p, BPF_ALU | BPF_AND | BPF_K, 0, 0, mhi);
			put(p, BPF_JMP | BPF_JEQ | BPF_K, 0, FAIL, vhi);
			break;
		case SHIM_OP_NE: /* high words differ: holds, skip the low test */
			put(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 2, vhi);
			break;
		case SHIM_OP_GT:
		case SHIM_OP_GE:
			put(p, BPF_JMP | BPF_JGT | BPF_K, 3, 0, vhi);
			put(p, BPF_JMP | BPF_JEQ | BPF_K, 0, FAIL, vhi);
			break;
		case SHIM_OP_LT:
		case SHIM_OP_LE:
			put(p, BPF_JMP | BPF_JGT | BPF_K, FAIL, 0, vhi);
			put(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 2, vhi);
			break;
		}
	}
	put(p, LD_ABS, 0, 0, lo_off);
	switch (c->op) {
	case SHIM_OP_EQ: put(p, BPF_JMP | BPF_JEQ | BPF_K, 0, FAIL, vlo); break;
	case SHIM_OP_MASKED_EQ:
		put(p, BPF_ALU | BPF_AND | BPF_K, 0, 0, mlo);
		put(p, BPF_JMP | BPF_JEQ | BPF_K, 0, FAIL, vlo);
		break;
	case SHIM_OP_NE: put(p, BPF_JMP | BPF_JEQ | BPF_K, FAIL, 0, vlo); break;
	case SHIM_OP_GT: put(p, BPF_JMP | BPF_JGT | BPF_K, 0, FAIL, vlo); break;
	case SHIM_OP_GE: put(p, BPF_JMP | BPF_JGE | BPF_K, 0, FAIL, vlo); break;
	case SHIM_OP_LT: put(p, BPF_JMP | BPF_JGE | BPF_K, FAIL, 0, vlo); break;
	case SHIM_OP_LE: put(p, BPF_JMP | BPF_JGT | BPF_K, FAIL, 0, vlo); break;
	}
}

#define EQ_RUN_MAX 120 /* values and returns: every jump within 255 */

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

/* A run as one load per word and one jeq per value; the values that
 * share a high word are tested together, the returns follow them. */
static void put_eq_run(struct prog *p, const struct gen_rule *g, size_t n)
{
	uint32_t lo_off = ARGS_OFFSET + 8 * g[0].conds[0].index;
	bool done[EQ_RUN_MAX] = { false };

	for (size_t first = 0; first < n; first++) {
		uint32_t rets[EQ_RUN_MAX], hi;
		size_t member[EQ_RUN_MAX], m = 0, n_rets = 0;

		if (done[first])
			continue;
		hi = (uint32_t)(cond_value(&g[first].conds[0], g[first].bits) >> 32);
		for (size_t k = first; k < n; k++)
			if (!done[k] && (uint32_t)(cond_value(&g[k].conds[0], g[k].bits) >> 32) == hi) {
				done[k] = true;
				member[m++] = k;
			}
		/* In value order: the same program whatever the rules' order. */
		for (size_t k = 1; k < m; k++)
			for (size_t j = k; j > 0 && cond_value(&g[member[j]].conds[0], 64) <
							    cond_value(&g[member[j - 1]].conds[0], 64); j--) {
				size_t t = member[j];
				member[j] = member[j - 1];
				member[j - 1] = t;
			}
		for (size_t k = 0; k < m; k++) {
			size_t r = 0;
			while (r < n_rets && rets[r] != g[member[k]].ret)
				r++;
			if (r == n_rets)
				rets[n_rets++] = g[member[k]].ret;
		}
		if (g[0].bits == 64) {
			put(p, LD_ABS, 0, 0, lo_off + 4);
			put(p, BPF_JMP | BPF_JEQ | BPF_K, 0, (uint8_t)(1 + m + n_rets), hi);
		}
		put(p, LD_ABS, 0, 0, lo_off);
		for (size_t k = 0; k < m; k++) {
			size_t r = 0;
			while (rets[r] != g[member[k]].ret)
				r++;
			put(p, BPF_JMP | BPF_JEQ | BPF_K, (uint8_t)(m - k - 1 + r),
			    (uint8_t)(k + 1 == m ? n_rets : 0),
			    (uint32_t)cond_value(&g[member[k]].conds[0], g[member[k]].bits));
		}
		for (size_t r = 0; r < n_rets; r++)
			put(p, BPF_RET | BPF_K, 0, 0, rets[r]);
	}
}

/* Each rule's conditions in turn; the first rule whose conditions all
 * hold gives its action, none gives the default. With one action, or
 * disjoint rules, the order does not change the verdict. */
static void put_conditional(struct prog *p, const struct gen_rule *g, size_t n, uint32_t def)
{
	for (size_t i = 0; i < n;) {
		size_t start = p->n, end = single_eq(&g[i]) ? eq_run_end(g, i, n) : i;

		if (end - i >= 2) {
			put_eq_run(p, &g[i], end - i);
			i = end;
			continue;
		}
		for (size_t j = 0; j < g[i].n_conds; j++)
			put_cond(p, &g[i].conds[j], g[i].bits);
		put(p, BPF_RET | BPF_K, 0, 0, g[i].ret);
		if (p->oom)
			return;
		for (size_t at = start; at < p->n; at++) {
			size_t next = p->n - (at + 1);
			if (p->v[at].jt == FAIL)
				p->v[at].jt = (uint8_t)next;
			if (p->v[at].jf == FAIL)
				p->v[at].jf = (uint8_t)next;
		}
		i++;
	}
	put(p, BPF_RET | BPF_K, 0, 0, def);
}

/* A subtree laid out so that its plain leaves are not instructions of
 * their own: the comparisons jump straight to one shared return per
 * verdict, placed after the subtree. Only for subtrees whose every jump
 * stays within 255 instructions. */
struct flat {
	struct prog code;
	uint8_t jt_slot[256], jf_slot[256]; /* 1 + index into ret, 0: none */
	uint32_t ret[256];
	size_t n_ret;
	bool too_big;
};

static uint8_t flat_slot(struct flat *f, uint32_t ret)
{
	size_t i = 0;

	while (i < f->n_ret && f->ret[i] != ret)
		i++;
	if (i == f->n_ret)
		f->ret[f->n_ret++] = ret;
	return (uint8_t)(i + 1);
}

static bool plain_leaf(const struct range *r, size_t lo, size_t hi)
{
	return hi - lo == 1 && !r[lo].conditional;
}

static void flat_node(struct flat *f, const struct section *s, const struct range *r,
		      size_t lo, size_t hi)
{
	size_t mid = lo + (hi - lo) / 2, at = f->code.n;

	if (f->too_big || f->code.n >= 200 || f->n_ret >= 50) {
		f->too_big = true;
		return;
	}
	if (hi - lo == 1) { /* a conditional leaf, inline: it ends in ret */
		put_conditional(&f->code, &s->rules->v[r[lo].first], r[lo].count, s->def);
		return;
	}
	put(&f->code, BPF_JMP | BPF_JGE | BPF_K, 0, 0, r[mid].start);
	f->jt_slot[at] = f->jf_slot[at] = 0;
	if (plain_leaf(r, lo, mid))
		f->jf_slot[at] = flat_slot(f, r[lo].ret);
	else
		flat_node(f, s, r, lo, mid);
	if (plain_leaf(r, mid, hi)) {
		f->jt_slot[at] = flat_slot(f, r[mid].ret);
	} else {
		if (f->code.n - (at + 1) > 255 || f->too_big) {
			f->too_big = true;
			return;
		}
		f->code.v[at].jt = (uint8_t)(f->code.n - (at + 1));
		flat_node(f, s, r, mid, hi);
	}
}

/* The subtree with its shared returns; false when it does not fit. */
static bool put_flat(struct prog *p, const struct section *s, const struct range *r,
		     size_t lo, size_t hi)
{
	struct flat *f = calloc(1, sizeof(*f));
	bool ok;

	if (!f) {
		p->oom = true;
		return true;
	}
	if (plain_leaf(r, lo, hi))
		put(&f->code, BPF_RET | BPF_K, 0, 0, r[lo].ret);
	else
		flat_node(f, s, r, lo, hi);
	ok = !f->too_big && !f->code.oom && f->code.n + f->n_ret <= 256;
	for (size_t i = 0; ok && i < f->code.n && i < 256; i++) {
		size_t end = f->code.n;

		if (f->jt_slot[i] && end + f->jt_slot[i] - 1 - (i + 1) > 255)
			ok = false;
		if (f->jf_slot[i] && end + f->jf_slot[i] - 1 - (i + 1) > 255)
			ok = false;
		if (ok && f->jt_slot[i])
			f->code.v[i].jt = (uint8_t)(end + f->jt_slot[i] - 1 - (i + 1));
		if (ok && f->jf_slot[i])
			f->code.v[i].jf = (uint8_t)(end + f->jf_slot[i] - 1 - (i + 1));
	}
	if (ok) {
		append(p, &f->code);
		for (size_t i = 0; i < f->n_ret; i++)
			put(p, BPF_RET | BPF_K, 0, 0, f->ret[i]);
	}
	free(f->code.v);
	free(f);
	return ok;
}

/* A binary search over ranges [lo, hi) of the syscall number in A: a
 * subtree that fits is laid out flat with shared returns, a larger one is
 * split in two, each half laid out the same way. */
static void put_tree(struct prog *p, const struct section *s, const struct range *r,
		     size_t lo, size_t hi)
{
	struct prog left = { 0 };
	size_t mid;

	if (put_flat(p, s, r, lo, hi))
		return;
	if (hi - lo == 1) { /* a conditional leaf too long to lay out flat */
		put_conditional(p, &s->rules->v[r[lo].first], r[lo].count, s->def);
		return;
	}
	mid = lo + (hi - lo) / 2;
	put_tree(&left, s, r, lo, mid);
	/* A leaf that loads arguments ends in ret: wherever the search goes
	 * on, A still holds the syscall number. */
	if (left.n <= 255) {
		put(p, BPF_JMP | BPF_JGE | BPF_K, (uint8_t)left.n, 0, r[mid].start);
	} else {
		put(p, BPF_JMP | BPF_JGE | BPF_K, 0, 1, r[mid].start);
		put(p, BPF_JMP | BPF_JA, 0, 0, (uint32_t)left.n);
	}
	append(p, &left);
	p->oom |= left.oom;
	free(left.v);
	put_tree(p, s, r, mid, hi);
}

/* The tree for one arch's syscall numbers, A holding the number. */
static int put_section(struct prog *p, const struct gen_rules *rules, uint32_t def)
{
	struct section s = { rules, def };
	struct range *ranges;
	size_t n;
	int rc = make_ranges(rules, def, &ranges, &n);

	if (rc <= 0)
		return rc;
	put_tree(p, &s, ranges, 0, n);
	free(ranges);
	return 1;
}

/* The body for one arch token: ld nr, then the tree. x86_64 and x32 share
 * AUDIT_ARCH_X86_64: with x32 filtered too, libseccomp makes one tree of
 * both arches' numbers (x32's have bit 30 set); without, a number at or
 * above bit 30 is a foreign arch's, except -1. */
static int put_arch(struct prog *p, const struct shim_compile_rule *in, const char *const *names,
		    size_t n_in, uint32_t arch, bool with_x32, uint32_t def)
{
	bool both = arch == SCMP_ARCH_X86_64 && with_x32;
	struct gen_rules rules = { 0 };
	int rc = reserve(&rules, in, n_in, both ? 2 : 1) < 0 ? -1 : 1;

	put(p, LD_ABS, 0, 0, 0 /* offsetof nr */);
	if (rc > 0)
		rc = collect(in, names, n_in, arch, &rules);
	if (rc > 0 && both)
		rc = collect(in, names, n_in, SCMP_ARCH_X32, &rules);
	if (rc > 0 && rules.n > 1 && sort_rules(&rules) < 0)
		rc = -1;
	if (rc > 0 && arch == SCMP_ARCH_X86_64 && !with_x32) {
		put(p, BPF_JMP | BPF_JGE | BPF_K, 0, 2, X32_SYSCALL_BIT);
		put(p, BPF_JMP | BPF_JEQ | BPF_K, 1, 0, UINT32_MAX);
		put(p, BPF_RET | BPF_K, 0, 0, BADARCH_RET);
	}
	if (rc > 0)
		rc = put_section(p, &rules, def);
	free(rules.v);
	free(rules.pool);
	return rc;
}

int shim_bpfgen(const struct shim_policy *pol, const struct shim_compile_rule *in,
		size_t n_in, struct shim_filter *out)
{
	uint32_t def = shim_action_ret(&pol->default_action);
	bool with_x32 = shim_policy_has_arch(pol, SCMP_ARCH_X32);
	struct prog body[ARRAY_SIZE(pol->arches)], all = { 0 };
	uint32_t token[ARRAY_SIZE(pol->arches)];
	size_t n_sec = 0, offset;
	const char **names = NULL;
	int rc = 1;

	if (with_x32 && !shim_policy_has_arch(pol, SCMP_ARCH_X86_64))
		return 0;
	for (size_t i = 0; i < pol->n_arches; i++) {
		if (!arch_args_bits(pol->arches[i]))
			return 0;
		if (pol->arches[i] != seccomp_arch_native() && !names &&
		    !(names = native_names(in, n_in)))
			return -1;
	}
	memset(body, 0, sizeof(body));
	for (size_t i = 0; rc > 0 && i < pol->n_arches; i++) {
		if (pol->arches[i] == SCMP_ARCH_X32)
			continue;
		token[n_sec] = pol->arches[i];
		rc = put_arch(&body[n_sec], in, names, n_in, pol->arches[i], with_x32, def);
		if (body[n_sec++].oom)
			rc = -1;
	}
	/* ld arch; per arch "jeq token; ja body"; ret badarch; bodies */
	put(&all, LD_ABS, 0, 0, 4 /* offsetof arch */);
	offset = 2 * n_sec + 1;
	for (size_t s = 0; rc > 0 && s < n_sec; s++) {
		put(&all, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, token[s]);
		put(&all, BPF_JMP | BPF_JA, 0, 0, (uint32_t)(offset - 2 * s - 2));
		offset += body[s].n;
	}
	put(&all, BPF_RET | BPF_K, 0, 0, BADARCH_RET);
	for (size_t s = 0; s < n_sec; s++) {
		append(&all, &body[s]);
		free(body[s].v);
	}
	free(names);
	if (rc > 0 && all.oom)
		rc = -1;
	if (rc <= 0) {
		free(all.v);
		return rc;
	}
	out->insns = all.v;
	out->n_insns = all.n;
	return 1;
}
