/* nrpoints: where a BPF program's verdict can change with the syscall
 * number alone (lib/equiv.c tries one number per run between them).
 *
 * MUST: shim_nr_comparisons says false for any program that does more with the
 * number than compare it with constants; tests/unit/test_refeval.c
 * (wrong_verdicts_found) puts a wrong verdict behind each such use.
 */
#include <linux/filter.h>
#include <stdlib.h>

#include "internal.h"

void shim_numbers_add(struct shim_numbers *s, uint32_t nr)
{
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
	s->v[s->n++] = nr;
}

/* nr and its neighbours, without wrapping around. */
void shim_numbers_add_around(struct shim_numbers *s, uint32_t nr)
{
	if (nr > 0)
		shim_numbers_add(s, nr - 1);
	shim_numbers_add(s, nr);
	if (nr < UINT32_MAX)
		shim_numbers_add(s, nr + 1);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

void shim_numbers_sort_unique(struct shim_numbers *s)
{
	size_t k = 0;

	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), cmp_u32);
	for (size_t i = 0; i < s->n; i++)
		if (k == 0 || s->v[i] != s->v[k - 1])
			s->v[k++] = s->v[i];
	s->n = k;
}

/* The numbers around which a comparison of the syscall number with f's
 * constant can change. A bit test changes at every multiple of the lowest
 * bit it tests: only tests of the top bits (the stub's test of the x32
 * bit, lib/compile-stub.c) are followed; false for others. */
static bool add_comparison(struct shim_numbers *out, const struct sock_filter *f)
{
	uint32_t low = f->k & -f->k;

	if (BPF_OP(f->code) != BPF_JSET) {
		shim_numbers_add_around(out, f->k);
		return true;
	}
	if (low < 0x10000000u)
		return false;
	for (uint64_t m = low; m <= UINT32_MAX; m += low)
		shim_numbers_add_around(out, (uint32_t)m);
	return true;
}

#define A_HOLDS_NR 1u
#define A_HOLDS_OTHER 2u

/* Adds to out every constant p compares the syscall number with. Returns
 * false when p does anything else with the number (arithmetic, a bit
 * test, a store, a comparison with X): then its verdict may change between
 * any two numbers. Otherwise, for fixed arch and arguments, p's path (and
 * so its verdict) is the same for every number between two of these
 * constants: each comparison with K flips only between K - 1 and K or
 * between K and K + 1. Jumps go forward only, so one pass in order sees
 * every way into an instruction before it. */
bool shim_nr_comparisons(const struct sock_filter *p, size_t n, struct shim_numbers *out)
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
			ok = next + f->k < n && next + f->k >= next;
			if (ok)
				held[next + f->k] |= in;
			continue;
		}
		if (f->code == (BPF_JMP | BPF_JEQ | BPF_K) || f->code == (BPF_JMP | BPF_JGT | BPF_K) ||
		    f->code == (BPF_JMP | BPF_JGE | BPF_K) || f->code == (BPF_JMP | BPF_JSET | BPF_K) ||
		    (BPF_CLASS(f->code) == BPF_JMP && !(in & A_HOLDS_NR))) {
			ok = next + f->jt < n && next + f->jf < n;
			if (ok && (in & A_HOLDS_NR))
				ok = add_comparison(out, f);
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
		else if (in & A_HOLDS_NR)
			ok = false; /* anything else done with the number */
		else if (BPF_CLASS(f->code) == BPF_RET)
			continue;
		if (ok && next < n)
			held[next] |= after;
	}
	free(held);
	return ok && !out->oom;
}

bool shim_numbers_has(const struct shim_numbers *s, uint32_t nr)
{
	return s->n && bsearch(&nr, s->v, s->n, sizeof(*s->v), cmp_u32);
}
