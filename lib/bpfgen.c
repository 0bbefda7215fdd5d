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
 * they see. Every jump goes to a label (lib/bpfasm.c resolves them,
 * with a long jump where a conditional cannot reach): no offset here is
 * worked out by hand.
 *
 * This file: the rules per arch (x86's socketcall and ipc), the arch
 * dispatch, and the search over syscall numbers down to its leaves.
 * lib/bpfgen-leaf.c: a leaf of conditional rules (the argument tests).
 */
#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>

#include "bpfgen.h"

#define X86_NR_SOCKETCALL 102
#define X86_NR_IPC 117
/* What libseccomp returns for a filter's foreign arch (SCMP_ACT_KILL). */
#define BADARCH_RET SECCOMP_RET_KILL_THREAD


/* Sized once for everything one arch's rules can need, so that the
 * rules' pointers into the pool stay valid. */
struct gen_rules {
	struct gen_rule *v;
	size_t n, cap;
	struct gen_cond *pool;
	size_t pool_n, pool_cap;
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
		if (uncond == SIZE_MAX && !same && !shim_bpfgen_actions_disjoint(g, k - i)) {
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


/* A subtree laid out so that its plain leaves are not instructions of
 * their own: the comparisons jump straight to one shared return per
 * verdict, placed after the subtree. Only for a subtree whose every jump
 * reaches without a long jump, of at most FLAT_MAX instructions. Trying
 * one gives up past FLAT_CODE_MAX instructions or FLAT_RETS_MAX returns:
 * limits that keep the search cheap, and that decide the programs (the
 * ones test_builtin.c pins). */
#define FLAT_MAX 256
#define FLAT_CODE_MAX 200
#define FLAT_RETS_MAX 50

struct flat {
	struct shim_asm code;
	uint32_t ret[FLAT_RETS_MAX + 2]; /* a node adds at most two */
	size_t n_ret;
	/* The labels of the branches to the shared returns, and to which. */
	shim_label to[FLAT_MAX];
	size_t to_ret[FLAT_MAX], n_to;
	bool too_big;
};

/* Sends label l to the shared return of ret, which becomes one if it is
 * not yet (the returns are in the order they are first asked for). */
static void flat_slot(struct flat *f, shim_label l, uint32_t ret)
{
	size_t i = 0;

	while (i < f->n_ret && f->ret[i] != ret)
		i++;
	if (i == f->n_ret)
		f->ret[f->n_ret++] = ret;
	f->to[f->n_to] = l;
	f->to_ret[f->n_to++] = i;
}

static bool plain_leaf(const struct range *r, size_t lo, size_t hi)
{
	return hi - lo == 1 && !r[lo].conditional;
}

static void flat_node(struct flat *f, const struct section *s, const struct range *r,
		      size_t lo, size_t hi)
{
	size_t mid = lo + (hi - lo) / 2;
	shim_label jt, jf = NEXT;

	if (f->too_big || f->code.n >= FLAT_CODE_MAX || f->n_ret >= FLAT_RETS_MAX ||
	    f->n_to + 2 > FLAT_MAX) {
		f->too_big = true;
		return;
	}
	if (hi - lo == 1) { /* a conditional leaf, inline: it ends in ret */
		shim_bpfgen_put_conditional(&f->code, &s->rules->v[r[lo].first], r[lo].count,
					    s->def);
		return;
	}
	jt = shim_asm_label(&f->code);
	if (plain_leaf(r, lo, mid))
		flat_slot(f, jf = shim_asm_label(&f->code), r[lo].ret);
	shim_asm_jump(&f->code, JMP(BPF_JGE), r[mid].start, jt, jf);
	if (!plain_leaf(r, lo, mid))
		flat_node(f, s, r, lo, mid);
	if (plain_leaf(r, mid, hi)) {
		flat_slot(f, jt, r[mid].ret);
	} else {
		shim_asm_bind(&f->code, jt);
		flat_node(f, s, r, mid, hi);
	}
}

/* The subtree with its shared returns, resolved: 1, 0 when it does not
 * fit, -1 out of memory. *v is the caller's to free. */
static int flat_resolve(struct flat *f, const struct section *s, const struct range *r,
			size_t lo, size_t hi, struct sock_filter **v, size_t *n)
{
	struct shim_error err = { 0 };

	if (plain_leaf(r, lo, hi))
		shim_asm_stmt(&f->code, BPF_RET | BPF_K, r[lo].ret);
	else
		flat_node(f, s, r, lo, hi);
	if (f->too_big)
		return 0;
	for (size_t i = 0; i < f->n_ret; i++) {
		for (size_t j = 0; j < f->n_to; j++)
			if (f->to_ret[j] == i)
				shim_asm_bind(&f->code, f->to[j]);
		shim_asm_stmt(&f->code, BPF_RET | BPF_K, f->ret[i]);
	}
	if (shim_asm_finish(&f->code, SHIM_ASM_NO_LONG, v, n, &err) < 0)
		return err.code == ENOMEM ? -1 : 0;
	return *n <= FLAT_MAX;
}

/* The subtree laid out flat in a; false when it does not fit. */
static bool put_flat(struct shim_asm *a, const struct section *s, const struct range *r,
		     size_t lo, size_t hi)
{
	struct flat *f = calloc(1, sizeof(*f));
	struct sock_filter *v = NULL;
	size_t n = 0;
	int rc;

	if (!f) {
		a->oom = true;
		return true;
	}
	rc = flat_resolve(f, s, r, lo, hi, &v, &n);
	if (rc < 0)
		a->oom = true;
	if (rc > 0)
		shim_asm_code(a, v, n);
	free(v);
	shim_asm_free(&f->code);
	free(f);
	return rc != 0;
}

/* A binary search over ranges [lo, hi) of the syscall number in A: a
 * subtree that fits is laid out flat with shared returns, a larger one is
 * split in two, each half laid out the same way. */
static void put_tree(struct shim_asm *a, const struct section *s, const struct range *r,
		     size_t lo, size_t hi)
{
	shim_label right;
	size_t mid;

	if (put_flat(a, s, r, lo, hi))
		return;
	if (hi - lo == 1) { /* a conditional leaf too long to lay out flat */
		shim_bpfgen_put_conditional(a, &s->rules->v[r[lo].first], r[lo].count, s->def);
		return;
	}
	mid = lo + (hi - lo) / 2;
	right = shim_asm_label(a);
	/* A leaf that loads arguments ends in ret: wherever the search goes
	 * on, A still holds the syscall number. */
	shim_asm_jump(a, JMP(BPF_JGE), r[mid].start, right, NEXT);
	put_tree(a, s, r, lo, mid);
	shim_asm_bind(a, right);
	put_tree(a, s, r, mid, hi);
}

/* The tree for one arch's syscall numbers, A holding the number. */
static int put_section(struct shim_asm *a, const struct gen_rules *rules, uint32_t def)
{
	struct section s = { rules, def };
	struct range *ranges;
	size_t n;
	int rc = make_ranges(rules, def, &ranges, &n);

	if (rc <= 0)
		return rc;
	put_tree(a, &s, ranges, 0, n);
	free(ranges);
	return 1;
}

/* The body for one arch token: ld nr, then the tree. x86_64 and x32 share
 * AUDIT_ARCH_X86_64: with x32 filtered too, libseccomp makes one tree of
 * both arches' numbers (x32's have bit 30 set); without, a number at or
 * above bit 30 is a foreign arch's, except -1. */
static int put_arch(struct shim_asm *a, const struct shim_compile_rule *in,
		    const char *const *names, size_t n_in, uint32_t arch, bool with_x32, uint32_t def)
{
	bool both = arch == SCMP_ARCH_X86_64 && with_x32;
	struct gen_rules rules = { 0 };
	int rc = reserve(&rules, in, n_in, both ? 2 : 1) < 0 ? -1 : 1;

	shim_asm_stmt(a, LD_ABS, SHIM_SD_NR);
	if (rc > 0)
		rc = collect(in, names, n_in, arch, &rules);
	if (rc > 0 && both)
		rc = collect(in, names, n_in, SCMP_ARCH_X32, &rules);
	if (rc > 0 && rules.n > 1 && sort_rules(&rules) < 0)
		rc = -1;
	if (rc > 0 && arch == SCMP_ARCH_X86_64 && !with_x32) {
		shim_label tree = shim_asm_label(a);

		shim_asm_jump(a, JMP(BPF_JGE), SHIM_X32_SYSCALL_BIT, NEXT, tree);
		shim_asm_jump(a, JMP(BPF_JEQ), UINT32_MAX, tree, NEXT);
		shim_asm_stmt(a, BPF_RET | BPF_K, BADARCH_RET);
		shim_asm_bind(a, tree);
	}
	if (rc > 0)
		rc = put_section(a, &rules, def);
	free(rules.v);
	free(rules.pool);
	return rc;
}

/* ld arch; per arch token "jeq token; ja body"; ret badarch; the bodies.
 * x32 is in x86_64's body. 1, 0 (a shape left to libseccomp) or -1. */
static int put_program(struct shim_asm *a, const struct shim_policy *pol,
		       const struct shim_compile_rule *in, const char *const *names, size_t n_in)
{
	uint32_t def = shim_action_ret(&pol->default_action);
	bool with_x32 = shim_policy_has_arch(pol, SCMP_ARCH_X32);
	shim_label body[ARRAY_SIZE(pol->arches)];
	uint32_t token[ARRAY_SIZE(pol->arches)];
	size_t n_sec = 0;
	int rc = 1;

	for (size_t i = 0; i < pol->n_arches; i++)
		if (pol->arches[i] != SCMP_ARCH_X32)
			token[n_sec++] = pol->arches[i];
	shim_asm_stmt(a, LD_ABS, SHIM_SD_ARCH);
	for (size_t s = 0; s < n_sec; s++) {
		shim_label other = shim_asm_label(a);

		body[s] = shim_asm_label(a);
		shim_asm_jump(a, JMP(BPF_JEQ), token[s], NEXT, other);
		shim_asm_ja(a, body[s]);
		shim_asm_bind(a, other);
	}
	shim_asm_stmt(a, BPF_RET | BPF_K, BADARCH_RET);
	for (size_t s = 0; rc > 0 && s < n_sec; s++) {
		shim_asm_bind(a, body[s]);
		rc = put_arch(a, in, names, n_in, token[s], with_x32, def);
	}
	return rc;
}

int shim_bpfgen(const struct shim_policy *pol, const struct shim_compile_rule *in,
		size_t n_in, struct shim_filter *out)
{
	struct shim_asm a = { 0 };
	struct shim_error err = { 0 };
	const char **names = NULL;
	int rc;

	if (shim_policy_has_arch(pol, SCMP_ARCH_X32) &&
	    !shim_policy_has_arch(pol, SCMP_ARCH_X86_64))
		return 0;
	for (size_t i = 0; i < pol->n_arches; i++) {
		if (!arch_args_bits(pol->arches[i]))
			return 0;
		if (pol->arches[i] != seccomp_arch_native() && !names &&
		    !(names = native_names(in, n_in)))
			return -1;
	}
	rc = put_program(&a, pol, in, names, n_in);
	free(names);
	/* The length is judged with libseccomp's (lib/compile.c). Any other
	 * refusal is a bug here: libseccomp's program is used instead. */
	if (rc > 0 && shim_asm_finish(&a, SHIM_ASM_ANY_LENGTH, &out->insns, &out->n_insns, &err) < 0)
		rc = err.code == ENOMEM ? -1 : 0;
	shim_asm_free(&a);
	return rc;
}
