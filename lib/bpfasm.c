/* bpfasm: the one assembler for every classic BPF program we emit.
 *
 * Emitters write jumps to labels; shim_asm_finish lays the program out
 * once and turns every label into an offset. A conditional jump reaches
 * 255 instructions; where one branch cannot reach its label, the branch
 * goes to an unconditional jump (32-bit offset) placed right after the
 * conditional instruction ("long jump"), unless the caller forbids it.
 *
 * MUST: every jump of the program lands on the instruction its label was
 * bound before; no offset is ever truncated (out of range is a long jump
 * or an error, never a wrong target); a label jumped to but never bound,
 * bound twice, bound behind the jump (classic BPF only jumps forward) or
 * at the end of the program (past the last instruction) is an error, and
 * so is a program of no instruction or more than BPF_MAXINSNS.
 * Resolved code given to shim_asm_code is copied as it is: its own jumps
 * must stay inside it (nothing is ever inserted inside it).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum { PLAIN, COND, JA };

#define FAR_JT 1u
#define FAR_JF 2u

static void grow(struct shim_asm *a)
{
	size_t cap = a->cap ? a->cap * 2 : 64;
	struct shim_asm_insn *v = realloc(a->v, cap * sizeof(*v));

	if (!v) {
		a->oom = true;
		return;
	}
	a->v = v;
	a->cap = cap;
}

static void emit(struct shim_asm *a, struct shim_asm_insn in)
{
	if (a->oom)
		return;
	if (a->n == a->cap)
		grow(a);
	if (!a->oom)
		a->v[a->n++] = in;
}

void shim_asm_stmt(struct shim_asm *a, uint16_t code, uint32_t k)
{
	emit(a, (struct shim_asm_insn){ PLAIN, code, 0, 0, k, false });
}

void shim_asm_jump(struct shim_asm *a, uint16_t code, uint32_t k, shim_label jt, shim_label jf)
{
	emit(a, (struct shim_asm_insn){ COND, code, jt, jf, k, false });
}

void shim_asm_ja(struct shim_asm *a, shim_label to)
{
	emit(a, (struct shim_asm_insn){ JA, BPF_JMP | BPF_JA, to, 0, 0, false });
}

void shim_asm_code(struct shim_asm *a, const struct sock_filter *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		emit(a, (struct shim_asm_insn){ PLAIN, v[i].code, v[i].jt, v[i].jf, v[i].k, true });
	}
}

shim_label shim_asm_label(struct shim_asm *a)
{
	if (a->n_labels == a->cap_labels) {
		size_t cap = a->cap_labels ? a->cap_labels * 2 : 32;
		size_t *at = a->oom ? NULL : realloc(a->label_at, cap * sizeof(*at));

		if (!at) {
			a->oom = true;
			return SHIM_LABEL_NEXT;
		}
		a->label_at = at;
		a->cap_labels = cap;
	}
	a->label_at[a->n_labels++] = SIZE_MAX;
	return (shim_label)a->n_labels; /* 1-based: 0 is SHIM_LABEL_NEXT */
}

void shim_asm_bind(struct shim_asm *a, shim_label l)
{
	if (a->oom || l == SHIM_LABEL_NEXT)
		return;
	if (l > a->n_labels || a->label_at[l - 1] != SIZE_MAX)
		a->bad_bind = l;
	else
		a->label_at[l - 1] = a->n;
}

void shim_asm_free(struct shim_asm *a)
{
	free(a->v);
	free(a->label_at);
	memset(a, 0, sizeof(*a));
}

/* The instruction (index into a->v) a branch of insn i goes to. */
static size_t target(const struct shim_asm *a, size_t i, shim_label l)
{
	return l == SHIM_LABEL_NEXT ? i + 1 : a->label_at[l - 1];
}

/* A branch of insn i to l goes forward to a bound label, inside the
 * program. */
static int check_branch(const struct shim_asm *a, size_t i, shim_label l, struct shim_error *err)
{
	size_t t;

	if (l != SHIM_LABEL_NEXT && (l > a->n_labels || a->label_at[l - 1] == SIZE_MAX)) {
		shim_error_set(err, EINVAL, "BPF instruction %zu jumps to label %u, which is never bound",
			       i, l);
		return -1;
	}
	t = target(a, i, l);
	if (t <= i || t >= a->n) {
		shim_error_set(err, EINVAL, "BPF instruction %zu jumps %s to label %u", i,
			       t <= i ? "backwards" : "past the end", l);
		return -1;
	}
	return 0;
}

/* Every label used is bound, once, after the jump and before the end. */
static int check_labels(const struct shim_asm *a, struct shim_error *err)
{
	if (a->bad_bind) {
		shim_error_set(err, EINVAL, "BPF label %u bound twice or never made", a->bad_bind);
		return -1;
	}
	for (size_t i = 0; i < a->n; i++) {
		const struct shim_asm_insn *in = &a->v[i];

		if (in->kind != PLAIN && check_branch(a, i, in->jt, err) < 0)
			return -1;
		if (in->kind == COND && check_branch(a, i, in->jf, err) < 0)
			return -1;
	}
	return 0;
}

/* Where each instruction goes once the long jumps are in (pos[n] is the
 * length); far[i] says which branches of i need one. Branches only ever
 * become long, and a long one only moves targets further, so this ends. */
static int layout(const struct shim_asm *a, size_t *pos, uint8_t *far, bool long_ok,
		  struct shim_error *err)
{
	for (bool changed = true; changed;) {
		size_t p = 0;

		changed = false;
		for (size_t i = 0; i < a->n; i++) {
			pos[i] = p;
			p += 1 + !!(far[i] & FAR_JT) + !!(far[i] & FAR_JF);
		}
		pos[a->n] = p;
		for (size_t i = 0; i < a->n; i++) {
			if (a->v[i].kind != COND)
				continue;
			for (uint8_t b = FAR_JT; b <= FAR_JF; b <<= 1) {
				size_t t = target(a, i, b == FAR_JT ? a->v[i].jt : a->v[i].jf);

				if (far[i] & b || pos[t] - pos[i] - 1 <= 255)
					continue;
				if (!long_ok) {
					shim_error_set(err, ERANGE, "BPF instruction %zu jumps %zu instructions, more than a conditional jump reaches",
						       i, pos[t] - pos[i] - 1);
					return -1;
				}
				far[i] |= b;
				changed = true;
			}
		}
	}
	return 0;
}

/* One instruction and its long jumps at out + pos[i]. */
static void put_resolved(const struct shim_asm *a, size_t i, const size_t *pos, uint8_t far,
			 struct sock_filter *out)
{
	const struct shim_asm_insn *in = &a->v[i];
	size_t p = pos[i], t_jt, t_jf, slot = p + 1;

	if (in->kind == PLAIN) {
		out[p] = (struct sock_filter){ in->code, in->jt_raw ? (uint8_t)in->jt : 0,
					       in->jt_raw ? (uint8_t)in->jf : 0, in->k };
		return;
	}
	t_jt = pos[target(a, i, in->jt)];
	if (in->kind == JA) {
		out[p] = (struct sock_filter){ in->code, 0, 0, (uint32_t)(t_jt - p - 1) };
		return;
	}
	t_jf = pos[target(a, i, in->jf)];
	out[p] = (struct sock_filter){ in->code, (uint8_t)(t_jt - p - 1), (uint8_t)(t_jf - p - 1),
				       in->k };
	if (far & FAR_JT) {
		out[p].jt = (uint8_t)(slot - p - 1);
		out[slot] = (struct sock_filter){ BPF_JMP | BPF_JA, 0, 0, (uint32_t)(t_jt - slot - 1) };
		slot++;
	}
	if (far & FAR_JF) {
		out[p].jf = (uint8_t)(slot - p - 1);
		out[slot] = (struct sock_filter){ BPF_JMP | BPF_JA, 0, 0, (uint32_t)(t_jf - slot - 1) };
	}
}

int shim_asm_finish(struct shim_asm *a, unsigned flags, struct sock_filter **out, size_t *n_out,
		    struct shim_error *err)
{
	size_t *pos = NULL;
	uint8_t *far = NULL;
	struct sock_filter *prog = NULL;
	int rc = -1;

	if (a->oom) {
		shim_error_set(err, ENOMEM, "out of memory assembling a BPF program");
		return -1;
	}
	if (a->n == 0) {
		shim_error_set(err, EINVAL, "a BPF program with no instruction");
		return -1;
	}
	if (check_labels(a, err) < 0)
		return -1;
	pos = malloc((a->n + 1) * sizeof(*pos));
	far = calloc(a->n, sizeof(*far));
	if (!pos || !far) {
		shim_error_set(err, ENOMEM, "out of memory assembling a BPF program");
		goto out;
	}
	if (layout(a, pos, far, !(flags & SHIM_ASM_NO_LONG), err) < 0)
		goto out;
	if (pos[a->n] > BPF_MAXINSNS && !(flags & SHIM_ASM_ANY_LENGTH)) {
		shim_error_set(err, E2BIG, "the BPF program has %zu instructions; the kernel takes at most %d",
			       pos[a->n], BPF_MAXINSNS);
		goto out;
	}
	if (!(prog = malloc(pos[a->n] * sizeof(*prog)))) {
		shim_error_set(err, ENOMEM, "out of memory assembling a BPF program");
		goto out;
	}
	for (size_t i = 0; i < a->n; i++)
		put_resolved(a, i, pos, far[i], prog);
	*out = prog;
	*n_out = pos[a->n];
	rc = 0;
out:
	free(pos);
	free(far);
	return rc;
}
