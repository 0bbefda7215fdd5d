/* A classic-BPF interpreter for seccomp programs: the same instruction set
 * and checks as the kernel's seccomp_check_filter, run on a seccomp_data.
 * It tells us, before loading, what the kernel will answer. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <linux/seccomp.h>

#include "internal.h"

#define SCRATCH_WORDS 16 /* BPF_MEMWORDS */

static int bad(struct shim_error *err, size_t pc, const char *what, unsigned code)
{
	shim_error_set(err, EINVAL, "BPF instruction %zu (code %#x): %s", pc, code, what);
	return -1;
}

static bool alu(uint16_t op, uint32_t *a, uint32_t operand, bool *div_zero)
{
	switch (op) {
	case BPF_ADD: *a += operand; return true;
	case BPF_SUB: *a -= operand; return true;
	case BPF_MUL: *a *= operand; return true;
	case BPF_DIV:
	case BPF_MOD:
		if (operand == 0) {
			*div_zero = true;
			return true;
		}
		*a = op == BPF_DIV ? *a / operand : *a % operand;
		return true;
	case BPF_OR: *a |= operand; return true;
	case BPF_AND: *a &= operand; return true;
	case BPF_XOR: *a ^= operand; return true;
	case BPF_LSH: *a = operand >= 32 ? 0 : *a << operand; return true;
	case BPF_RSH: *a = operand >= 32 ? 0 : *a >> operand; return true;
	case BPF_NEG: *a = -*a; return true;
	}
	return false;
}

static bool jump_taken(uint16_t op, uint32_t a, uint32_t operand, bool *known)
{
	*known = true;
	switch (op) {
	case BPF_JEQ: return a == operand;
	case BPF_JGT: return a > operand;
	case BPF_JGE: return a >= operand;
	case BPF_JSET: return (a & operand) != 0;
	}
	*known = false;
	return false;
}

int shim_bpf_run(const struct sock_filter *prog, size_t n,
		 const struct shim_seccomp_data *data, uint32_t *ret,
		 struct shim_error *err)
{
	return shim_bpf_run_traced(prog, n, data, ret, NULL, err);
}

static int length_check(size_t n, struct shim_error *err)
{
	if (n == 0 || n > BPF_MAXINSNS) {
		shim_error_set(err, EINVAL, "a filter has 1 to %d instructions, this one %zu",
			       BPF_MAXINSNS, n);
		return -1;
	}
	return 0;
}

/* The kernel's checks of one instruction (seccomp_check_filter): a load
 * inside seccomp_data, a scratch word that exists, a jump that stays in
 * the program, a known operation, no division by a constant zero. */
static int insn_check(const struct sock_filter *prog, size_t n, size_t pc,
		      struct shim_error *err)
{
	const struct sock_filter *f = &prog[pc];
	uint32_t a = 0;
	bool known, div_zero = false;

	switch (f->code) {
	case BPF_LD | BPF_W | BPF_ABS:
		if (f->k >= sizeof(struct seccomp_data) || (f->k & 3))
			return bad(err, pc, "load outside seccomp_data or unaligned", f->code);
		return 0;
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_LD | BPF_IMM:
	case BPF_LDX | BPF_IMM:
	case BPF_MISC | BPF_TAX:
	case BPF_MISC | BPF_TXA:
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A: return 0;
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
		if (f->k >= SCRATCH_WORDS)
			return bad(err, pc, "scratch memory index out of range", f->code);
		return 0;
	case BPF_JMP | BPF_JA:
		if (f->k >= n - pc - 1)
			return bad(err, pc, "jump past the end", f->code);
		return 0;
	}
	if (BPF_CLASS(f->code) == BPF_ALU) {
		if (BPF_SRC(f->code) == BPF_K && f->k == 0 &&
		    (BPF_OP(f->code) == BPF_DIV || BPF_OP(f->code) == BPF_MOD))
			return bad(err, pc, "division by constant zero", f->code);
		if (!alu(BPF_OP(f->code), &a, 1, &div_zero))
			return bad(err, pc, "unknown ALU operation", f->code);
		return 0;
	}
	if (BPF_CLASS(f->code) == BPF_JMP) {
		jump_taken(BPF_OP(f->code), 0, 0, &known);
		if (!known)
			return bad(err, pc, "unknown jump", f->code);
		if ((size_t)f->jt >= n - pc - 1 || (size_t)f->jf >= n - pc - 1)
			return bad(err, pc, "jump past the end", f->code);
		return 0;
	}
	return bad(err, pc, "not allowed in a seccomp filter", f->code);
}

/* The kernel's seccomp_data and ours are laid out alike, so a load
 * reads d itself. */
_Static_assert(offsetof(struct shim_seccomp_data, arch) == offsetof(struct seccomp_data, arch) &&
		       offsetof(struct shim_seccomp_data, instruction_pointer) ==
			       offsetof(struct seccomp_data, instruction_pointer) &&
		       offsetof(struct shim_seccomp_data, args) == offsetof(struct seccomp_data, args) &&
		       sizeof(struct shim_seccomp_data) == sizeof(struct seccomp_data),
	       "struct shim_seccomp_data is laid out as struct seccomp_data");

enum run_mode {
	RUN_TRACED, /* each instruction checked as it runs, counted */
	RUN_CHECKED, /* shim_bpf_check passed: no checks */
	RUN_TO_ARGS, /* the same, stopping before the first load past nr and arch */
};

/* The one interpreter, from state s; mode is a constant at each call, so
 * each way is compiled on its own. Returns 0 when the program returned
 * (s->ret), 1 when RUN_TO_ARGS stopped (s holds where), -1 on a program
 * the kernel would refuse (RUN_TRACED only). */
static inline __attribute__((always_inline)) int
run(const struct sock_filter *prog, size_t n, struct shim_bpf_state *s,
    const struct shim_seccomp_data *d, bool *reads_args, size_t *executed, enum run_mode mode,
    struct shim_error *err)
{
	const unsigned char *bytes = (const unsigned char *)d;
	uint32_t a = s->a, x = s->x;

	for (const struct sock_filter *f = prog + s->pc;; f++) {
		bool div_zero = false, known;

		if (mode == RUN_TRACED) {
			if ((size_t)(f - prog) >= n) {
				shim_error_set(err, EINVAL,
					       "the filter ends without a return instruction");
				return -1;
			}
			(*executed)++;
			if (insn_check(prog, n, (size_t)(f - prog), err) < 0)
				return -1;
		}
		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			/* Past nr and arch: the kernel cannot cache this verdict. */
			if (f->k >= 8) {
				if (mode == RUN_TO_ARGS) {
					s->pc = (uint32_t)(f - prog);
					s->a = a;
					s->x = x;
					return 1;
				}
				*reads_args = true;
			}
			memcpy(&a, bytes + f->k, 4);
			continue;
		case BPF_JMP | BPF_JEQ | BPF_K: f += a == f->k ? f->jt : f->jf; continue;
		case BPF_JMP | BPF_JGT | BPF_K: f += a > f->k ? f->jt : f->jf; continue;
		case BPF_JMP | BPF_JGE | BPF_K: f += a >= f->k ? f->jt : f->jf; continue;
		case BPF_JMP | BPF_JSET | BPF_K: f += a & f->k ? f->jt : f->jf; continue;
		case BPF_ALU | BPF_AND | BPF_K: a &= f->k; continue;
		case BPF_RET | BPF_K: s->ret = f->k; return 0;
		case BPF_RET | BPF_A: s->ret = a; return 0;
		case BPF_JMP | BPF_JA: f += f->k; continue;
		case BPF_LD | BPF_W | BPF_LEN: a = sizeof(struct seccomp_data); continue;
		case BPF_LDX | BPF_W | BPF_LEN: x = sizeof(struct seccomp_data); continue;
		case BPF_LD | BPF_IMM: a = f->k; continue;
		case BPF_LDX | BPF_IMM: x = f->k; continue;
		case BPF_MISC | BPF_TAX: x = a; continue;
		case BPF_MISC | BPF_TXA: a = x; continue;
		case BPF_LD | BPF_MEM: a = s->mem[f->k]; continue;
		case BPF_LDX | BPF_MEM: x = s->mem[f->k]; continue;
		case BPF_ST: s->mem[f->k] = a; continue;
		case BPF_STX: s->mem[f->k] = x; continue;
		}
		if (BPF_CLASS(f->code) == BPF_ALU) {
			alu(BPF_OP(f->code), &a, BPF_SRC(f->code) == BPF_X ? x : f->k, &div_zero);
			if (div_zero) {
				s->ret = 0; /* the kernel ends the program with 0 */
				return 0;
			}
			continue;
		}
		/* BPF_JMP, checked: a known jump */
		f += jump_taken(BPF_OP(f->code), a, BPF_SRC(f->code) == BPF_X ? x : f->k, &known)
			     ? f->jt
			     : f->jf;
	}
}

int shim_bpf_run_traced(const struct sock_filter *prog, size_t n,
			const struct shim_seccomp_data *data, uint32_t *ret,
			struct shim_bpf_trace *trace, struct shim_error *err)
{
	struct shim_bpf_trace ignored = { 0 };
	struct shim_bpf_state s = { 0 };

	if (!trace)
		trace = &ignored;
	if (length_check(n, err) < 0 ||
	    run(prog, n, &s, data, &trace->reads_args, &trace->executed, RUN_TRACED, err) < 0)
		return -1;
	*ret = s.ret;
	return 0;
}

/* shim_bpf_run_traced's checks, made on every instruction once rather
 * than on each one as it runs: a program that passes can run with
 * shim_bpf_run_checked_from, and on any input gives what
 * shim_bpf_run_traced gives. The last instruction is a return, as the
 * kernel asks, so with every jump inside the program no run falls off
 * its end. */
int shim_bpf_check(const struct sock_filter *prog, size_t n, struct shim_error *err)
{
	if (length_check(n, err) < 0)
		return -1;
	for (size_t pc = 0; pc < n; pc++)
		if (insn_check(prog, n, pc, err) < 0)
			return -1;
	if (BPF_CLASS(prog[n - 1].code) != BPF_RET) {
		shim_error_set(err, EINVAL, "the filter ends without a return instruction");
		return -1;
	}
	return 0;
}

void shim_bpf_checked_prefix(const struct sock_filter *prog, const struct shim_seccomp_data *d,
			     struct shim_bpf_state *s)
{
	bool ignored = false;

	*s = (struct shim_bpf_state){ 0 };
	s->done = run(prog, 0, s, d, &ignored, NULL, RUN_TO_ARGS, NULL) == 0;
}

uint32_t shim_bpf_run_checked_from(const struct sock_filter *prog, const struct shim_bpf_state *s,
				   const struct shim_seccomp_data *d, bool *reads_args)
{
	struct shim_bpf_state from;

	if (s->done)
		return s->ret;
	from = *s;
	run(prog, 0, &from, d, reads_args, NULL, RUN_CHECKED, NULL);
	return from.ret;
}

void shim_bpf_ret_format(uint32_t ret, char *buf, size_t len)
{
	uint32_t data = ret & SECCOMP_RET_DATA;
	const char *name;

	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS: snprintf(buf, len, "KILL_PROCESS"); return;
	case SECCOMP_RET_KILL_THREAD: snprintf(buf, len, "KILL_THREAD"); return;
	case SECCOMP_RET_TRAP: snprintf(buf, len, "TRAP"); return;
	case SECCOMP_RET_ERRNO:
		name = shim_errno_name((int)data);
		if (name)
			snprintf(buf, len, "ERRNO(%s)", name);
		else
			snprintf(buf, len, "ERRNO(%u)", data);
		return;
	case SECCOMP_RET_USER_NOTIF: snprintf(buf, len, "NOTIFY"); return;
	case SECCOMP_RET_TRACE: snprintf(buf, len, "TRACE(%u)", data); return;
	case SECCOMP_RET_LOG: snprintf(buf, len, "LOG"); return;
	case SECCOMP_RET_ALLOW: snprintf(buf, len, "ALLOW"); return;
	}
	snprintf(buf, len, "unknown action %#x", ret);
}

uint32_t shim_bpf_ret_combine(uint32_t so_far, uint32_t older)
{
	/* The kernel's ACTION_ONLY: signed, so that KILL_PROCESS is lowest. */
	int32_t a = (int32_t)(older & SECCOMP_RET_ACTION_FULL);
	int32_t b = (int32_t)(so_far & SECCOMP_RET_ACTION_FULL);

	return a < b ? older : so_far;
}
