/* nrcells: the syscall numbers lib/equiv.c sweeps, and the runs of them
 * on which a BPF program, and the rules (lib/refeval.c), cannot tell one
 * number from another.
 *
 * lib/equiv.c sweeps thousands of syscall numbers; on most of them a
 * program reads no argument and gives the default. A cell is a run of
 * numbers between two cuts. A program that only compares the number with
 * constants (JEQ, JGT, JGE, and JSET on the top bits) takes, for the same
 * arch and arguments, the same path for every number of a cell, so the
 * same verdict and the same reads. When one number of a cell was tried
 * and neither side read an argument, every other number of that cell
 * would give the same result: equiv skips them, and only them.
 *
 * MUST: shim_nr_cuts_program returns false for any program that does
 * anything else with the number (arithmetic, a store, a comparison with
 * X, a bit test of low bits, returning it); tests/unit/test_refeval.c
 * (wrong_verdicts_found) puts a wrong verdict behind each such use.
 */
#include <linux/filter.h>
#include <seccomp.h>
#include <stdlib.h>

#include "internal.h"

#define NR_SPACE (1ULL << 32)

/* A cut at c: c - 1 and c lie in different cells. 0 and 2^32 are the
 * ends of the space, no cuts. */
void shim_nr_cuts_add(struct shim_nr_cuts *s, uint64_t c)
{
	if (c == 0 || c >= NR_SPACE)
		return;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		uint32_t *v = realloc(s->v, cap * sizeof(*v));

		if (!v) {
			s->oom = true;
			return;
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = (uint32_t)c;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

void shim_nr_cuts_finish(struct shim_nr_cuts *s)
{
	size_t k = 0;

	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), cmp_u32);
	for (size_t i = 0; i < s->n; i++)
		if (k == 0 || s->v[i] != s->v[k - 1])
			s->v[k++] = s->v[i];
	s->n = k;
	s->lo = 1; /* no cell remembered */
	s->hi = 0;
}

/* The cell of nr: how many cuts are at or below it. The sweep goes up
 * and down through long runs, so the last cell is asked first. */
size_t shim_nr_cell(struct shim_nr_cuts *s, uint32_t nr)
{
	size_t lo = 0, hi = s->n;

	if (nr >= s->lo && nr <= s->hi)
		return s->cell;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->v[mid] <= nr)
			lo = mid + 1;
		else
			hi = mid;
	}
	s->cell = lo;
	s->lo = lo ? s->v[lo - 1] : 0;
	s->hi = lo < s->n ? s->v[lo] - 1 : UINT32_MAX;
	return lo;
}

/* The cuts of one comparison of the number with f's constant; false for
 * a bit test of low bits (its result changes at every multiple of the
 * lowest bit tested). The stub's test of the x32 bit
 * (lib/compile-stub.c) is a top-bit test. */
static bool add_comparison(struct shim_nr_cuts *out, const struct sock_filter *f)
{
	uint64_t low = f->k & -f->k;

	switch (BPF_OP(f->code)) {
	case BPF_JEQ:
		shim_nr_cuts_add(out, f->k);
		shim_nr_cuts_add(out, (uint64_t)f->k + 1);
		return true;
	case BPF_JGT: shim_nr_cuts_add(out, (uint64_t)f->k + 1); return true;
	case BPF_JGE: shim_nr_cuts_add(out, f->k); return true;
	case BPF_JSET:
		if (low < 0x10000000u)
			return low == 0; /* JSET 0 never jumps: no cut */
		for (uint64_t m = low; m < NR_SPACE; m += low)
			shim_nr_cuts_add(out, m);
		return true;
	}
	return false;
}

#define A_HOLDS_NR 1u
#define A_HOLDS_OTHER 2u

/* Adds to out the cuts of every comparison p makes of the syscall number
 * with a constant. Returns false when p does anything else with the
 * number: then its verdict may change between any two numbers. X and
 * the scratch words never hold the number (moving it there is "anything
 * else"), so only A is followed. Jumps go forward only, so one pass in
 * order sees every way into an instruction before the instruction. */
bool shim_nr_cuts_program(const struct sock_filter *p, size_t n, struct shim_nr_cuts *out)
{
	uint8_t *held = calloc(n ? n : 1, 1); /* what A may hold on entry */
	bool ok = held != NULL;

	if (ok && n)
		held[0] = A_HOLDS_OTHER;
	for (size_t pc = 0; ok && pc < n; pc++) {
		const struct sock_filter *f = &p[pc];
		uint8_t in = held[pc], after = A_HOLDS_OTHER;
		size_t next = pc + 1;

		if (!in)
			continue; /* unreachable */
		if (f->code == (BPF_RET | BPF_K))
			continue;
		if (f->code == (BPF_JMP | BPF_JA)) {
			ok = f->k < n - next;
			if (ok)
				held[next + f->k] |= in;
			continue;
		}
		if (BPF_CLASS(f->code) == BPF_JMP) {
			ok = f->jt < n - next && f->jf < n - next;
			if (ok && (in & A_HOLDS_NR))
				ok = BPF_SRC(f->code) == BPF_K && add_comparison(out, f);
			if (ok) {
				held[next + f->jt] |= in;
				held[next + f->jf] |= in;
			}
			continue;
		}
		if (f->code == (BPF_LD | BPF_W | BPF_ABS))
			after = f->k == 0 ? A_HOLDS_NR : A_HOLDS_OTHER;
		else if ((BPF_CLASS(f->code) == BPF_LD || BPF_CLASS(f->code) == BPF_LDX) &&
			 BPF_MODE(f->code) != BPF_IMM && BPF_MODE(f->code) != BPF_MEM &&
			 BPF_MODE(f->code) != BPF_LEN)
			ok = false; /* part of the number, or a load seccomp refuses */
		else if (BPF_CLASS(f->code) == BPF_LD)
			after = A_HOLDS_OTHER;
		else if (BPF_CLASS(f->code) == BPF_LDX || f->code == BPF_STX)
			after = in; /* A untouched */
		else if (in & A_HOLDS_NR)
			ok = false; /* anything else done while A may hold the number */
		else if (BPF_CLASS(f->code) == BPF_RET)
			continue;
		if (ok && next < n)
			held[next] |= after;
	}
	free(held);
	return ok && !out->oom;
}

/* The k-th number lib/equiv.c sweeps on a policy's arch, or false past the
 * end: 0..1023, x32's 0x40000000.. on x86_64, the top of the space and
 * libseccomp's pseudo numbers (-10000...). */
bool shim_nr_sweep(uint32_t arch, uint32_t k, uint32_t *nr)
{
	if (k < 1024) {
		*nr = k;
		return true;
	}
	k -= 1024;
	if (arch == SCMP_ARCH_X86_64) {
		if (k < 1024) {
			*nr = SHIM_X32_SYSCALL_BIT + k;
			return true;
		}
		k -= 1024;
	}
	if (k < 512) {
		*nr = UINT32_MAX - k;
		return true;
	}
	k -= 512;
	*nr = (uint32_t)-10000 - k;
	return k < 1024;
}
