/* argconsts: the constants a program compares each word of the arguments
 * and of the instruction pointer with, on the paths one call (its arch
 * and number known) can take.
 *
 * lib/equiv.c tries the values the rules compare with. A program that
 * tests an argument no rule tests on this call, or with a value no rule
 * names, would pass unless its own constants are tried too: equiv adds
 * the ones this finds. It follows the program the way the kernel would
 * run it for that call: a comparison of a known value (the number, the
 * arch, a constant loaded) takes one way; anything it cannot follow
 * takes both, so it may find more constants than a run uses, never fewer.
 */
#include <linux/filter.h>
#include <stdlib.h>

#include "internal.h"

enum held_kind { HELD_NOTHING, HELD_CONST, HELD_WORD, HELD_UNKNOWN };

/* What A holds on entry to an instruction (HELD_NOTHING: unreached). */
struct held {
	uint8_t kind;
	uint8_t word; /* HELD_WORD: (offset - 8) / 4: 0-1 the pointer, 2-13 the arguments */
	uint32_t value; /* HELD_CONST */
};

static void join(struct held *into, struct held h)
{
	if (into->kind == HELD_NOTHING)
		*into = h;
	else if (into->kind != h.kind || into->word != h.word || into->value != h.value)
		*into = (struct held){ HELD_UNKNOWN, 0, 0 };
}

static bool taken(uint16_t op, uint32_t a, uint32_t k)
{
	switch (op) {
	case BPF_JEQ: return a == k;
	case BPF_JGT: return a > k;
	case BPF_JGE: return a >= k;
	default: return (a & k) != 0; /* BPF_JSET */
	}
}

int shim_program_arg_constants(const struct sock_filter *p, size_t n, uint32_t arch, uint32_t nr,
			       void (*fn)(void *ctx, unsigned word, uint32_t k), void *ctx)
{
	struct held *held = calloc(n ? n : 1, sizeof(*held));

	if (!held)
		return -1;
	if (n)
		held[0] = (struct held){ HELD_UNKNOWN, 0, 0 }; /* A starts 0: no word */
	for (size_t pc = 0; pc < n; pc++) {
		const struct sock_filter *f = &p[pc];
		struct held in = held[pc], out = { HELD_UNKNOWN, 0, 0 };
		size_t next = pc + 1;

		if (in.kind == HELD_NOTHING || BPF_CLASS(f->code) == BPF_RET)
			continue;
		if (f->code == (BPF_JMP | BPF_JA)) {
			if (f->k < n - next)
				join(&held[next + f->k], in);
			continue;
		}
		if (BPF_CLASS(f->code) == BPF_JMP) {
			bool known = in.kind == HELD_CONST && BPF_SRC(f->code) == BPF_K &&
				     BPF_OP(f->code) != BPF_JA;
			bool way = known && taken(BPF_OP(f->code), in.value, f->k);

			if (in.kind == HELD_WORD && BPF_SRC(f->code) == BPF_K)
				fn(ctx, in.word, f->k);
			if ((!known || way) && f->jt < n - next)
				join(&held[next + f->jt], in);
			if ((!known || !way) && f->jf < n - next)
				join(&held[next + f->jf], in);
			continue;
		}
		if (f->code == (BPF_LD | BPF_W | BPF_ABS)) {
			if (f->k == 0)
				out = (struct held){ HELD_CONST, 0, nr };
			else if (f->k == 4)
				out = (struct held){ HELD_CONST, 0, arch };
			else if (f->k >= 8 && f->k < 64 && !(f->k & 3))
				out = (struct held){ HELD_WORD, (uint8_t)((f->k - 8) / 4), 0 };
		} else if (f->code == (BPF_LD | BPF_IMM)) {
			out = (struct held){ HELD_CONST, 0, f->k };
		} else if (f->code == (BPF_ALU | BPF_AND | BPF_K) && in.kind == HELD_WORD) {
			fn(ctx, in.word, f->k); /* a mask: its bits matter */
			out = in;
		} else if (BPF_CLASS(f->code) == BPF_LDX || BPF_CLASS(f->code) == BPF_ST ||
			   BPF_CLASS(f->code) == BPF_STX || f->code == (BPF_MISC | BPF_TAX)) {
			out = in; /* A untouched */
		}
		if (next < n)
			join(&held[next], out);
	}
	free(held);
	return 0;
}

struct to_values {
	bool big_endian;
	void (*fn)(void *ctx, unsigned index, uint64_t v);
	void *ctx;
};

/* k and its neighbours, as values of the argument whose word it was
 * compared with: an argument's first word is its low one on a
 * little-endian arch, its high one on a big-endian one. */
static void word_values(void *ctx, unsigned word, uint32_t k)
{
	const struct to_values *t = ctx;

	for (uint32_t v = k - 1, i = 0; i < 3; i++, v++) {
		bool high = word < 2 ? word == 1 : ((word - 2) & 1) != t->big_endian;

		t->fn(t->ctx, word < 2 ? SHIM_ARG_IP : (word - 2) / 2, high ? (uint64_t)v << 32 : v);
	}
}

int shim_program_arg_values(const struct sock_filter *p, size_t n, uint32_t arch, uint32_t nr,
			    void (*fn)(void *ctx, unsigned index, uint64_t v), void *ctx)
{
	struct to_values t = { shim_arch_big_endian(arch), fn, ctx };

	return shim_program_arg_constants(p, n, arch, nr, word_values, &t);
}
