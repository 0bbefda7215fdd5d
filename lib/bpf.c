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

/* What a filter reads: struct seccomp_data as the kernel lays it out. */
static void seccomp_bytes(const struct shim_seccomp_data *data, unsigned char *bytes)
{
	struct seccomp_data sd;

	memset(&sd, 0, sizeof(sd));
	sd.nr = data->nr;
	sd.arch = data->arch;
	sd.instruction_pointer = data->instruction_pointer;
	memcpy(sd.args, data->args, sizeof(sd.args));
	memcpy(bytes, &sd, sizeof(sd));
}

/* BPF_LD|BPF_MEM, BPF_LDX|BPF_MEM, BPF_ST, BPF_STX on the scratch words;
 * false when the index is out of range. */
static bool scratch(const struct sock_filter *f, uint32_t *a, uint32_t *x, uint32_t *mem)
{
	if (f->k >= SCRATCH_WORDS)
		return false;
	if (f->code == (BPF_LD | BPF_MEM))
		*a = mem[f->k];
	else if (f->code == (BPF_LDX | BPF_MEM))
		*x = mem[f->k];
	else
		mem[f->k] = f->code == BPF_ST ? *a : *x;
	return true;
}

int shim_bpf_run_traced(const struct sock_filter *prog, size_t n,
			const struct shim_seccomp_data *data, uint32_t *ret,
			struct shim_bpf_trace *trace, struct shim_error *err)
{
	unsigned char bytes[sizeof(struct seccomp_data)];
	uint32_t a = 0, x = 0, mem[SCRATCH_WORDS] = { 0 };

	if (n == 0 || n > BPF_MAXINSNS) {
		shim_error_set(err, EINVAL, "a filter has 1 to %d instructions, this one %zu",
			       BPF_MAXINSNS, n);
		return -1;
	}
	seccomp_bytes(data, bytes);

	for (size_t pc = 0; pc < n; pc++) {
		const struct sock_filter *f = &prog[pc];
		uint16_t cls = BPF_CLASS(f->code);
		bool div_zero = false, known;

		if (trace)
			trace->executed++;
		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (f->k >= sizeof(bytes) || (f->k & 3))
				return bad(err, pc, "load outside seccomp_data or unaligned", f->code);
			/* Past nr and arch: the kernel cannot cache this verdict. */
			if (trace && f->k >= 8)
				trace->reads_args = true;
			memcpy(&a, bytes + f->k, 4);
			continue;
		case BPF_LD | BPF_W | BPF_LEN: a = sizeof(bytes); continue;
		case BPF_LDX | BPF_W | BPF_LEN: x = sizeof(bytes); continue;
		case BPF_LD | BPF_IMM: a = f->k; continue;
		case BPF_LDX | BPF_IMM: x = f->k; continue;
		case BPF_MISC | BPF_TAX: x = a; continue;
		case BPF_MISC | BPF_TXA: a = x; continue;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
		case BPF_ST:
		case BPF_STX:
			if (!scratch(f, &a, &x, mem))
				return bad(err, pc, "scratch memory index out of range", f->code);
			continue;
		case BPF_RET | BPF_K: *ret = f->k; return 0;
		case BPF_RET | BPF_A: *ret = a; return 0;
		case BPF_JMP | BPF_JA:
			if (f->k >= n - pc - 1)
				return bad(err, pc, "jump past the end", f->code);
			pc += f->k;
			continue;
		}
		if (cls == BPF_ALU) {
			uint32_t operand = BPF_SRC(f->code) == BPF_X ? x : f->k;
			if (BPF_SRC(f->code) == BPF_K && f->k == 0 &&
			    (BPF_OP(f->code) == BPF_DIV || BPF_OP(f->code) == BPF_MOD))
				return bad(err, pc, "division by constant zero", f->code);
			if (!alu(BPF_OP(f->code), &a, operand, &div_zero))
				return bad(err, pc, "unknown ALU operation", f->code);
			if (div_zero) {
				*ret = 0; /* the kernel ends the program with 0 */
				return 0;
			}
			continue;
		}
		if (cls == BPF_JMP) {
			uint32_t operand = BPF_SRC(f->code) == BPF_X ? x : f->k;
			bool taken = jump_taken(BPF_OP(f->code), a, operand, &known);
			if (!known)
				return bad(err, pc, "unknown jump", f->code);
			if ((size_t)f->jt >= n - pc - 1 || (size_t)f->jf >= n - pc - 1)
				return bad(err, pc, "jump past the end", f->code);
			pc += taken ? f->jt : f->jf;
			continue;
		}
		return bad(err, pc, "not allowed in a seccomp filter", f->code);
	}
	shim_error_set(err, EINVAL, "the filter ends without a return instruction");
	return -1;
}

/* shim_bpf_run_traced's checks, made on every instruction once rather
 * than on each one as it runs: a program that passes can run with
 * shim_bpf_run_checked, and on any input gives what shim_bpf_run_traced
 * gives. The last instruction is a return, as the kernel asks, so with
 * every jump inside the program no run falls off its end. */
int shim_bpf_check(const struct sock_filter *prog, size_t n, struct shim_error *err)
{
	if (n == 0 || n > BPF_MAXINSNS) {
		shim_error_set(err, EINVAL, "a filter has 1 to %d instructions, this one %zu",
			       BPF_MAXINSNS, n);
		return -1;
	}
	for (size_t pc = 0; pc < n; pc++) {
		const struct sock_filter *f = &prog[pc];
		uint16_t cls = BPF_CLASS(f->code);
		uint32_t a = 0;
		bool known, div_zero = false;

		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (f->k >= sizeof(struct seccomp_data) || (f->k & 3))
				return bad(err, pc, "load outside seccomp_data or unaligned", f->code);
			continue;
		case BPF_LD | BPF_W | BPF_LEN:
		case BPF_LDX | BPF_W | BPF_LEN:
		case BPF_LD | BPF_IMM:
		case BPF_LDX | BPF_IMM:
		case BPF_MISC | BPF_TAX:
		case BPF_MISC | BPF_TXA:
		case BPF_RET | BPF_K:
		case BPF_RET | BPF_A: continue;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
		case BPF_ST:
		case BPF_STX:
			if (f->k >= SCRATCH_WORDS)
				return bad(err, pc, "scratch memory index out of range", f->code);
			continue;
		case BPF_JMP | BPF_JA:
			if (f->k >= n - pc - 1)
				return bad(err, pc, "jump past the end", f->code);
			continue;
		}
		if (cls == BPF_ALU) {
			if (BPF_SRC(f->code) == BPF_K && f->k == 0 &&
			    (BPF_OP(f->code) == BPF_DIV || BPF_OP(f->code) == BPF_MOD))
				return bad(err, pc, "division by constant zero", f->code);
			if (!alu(BPF_OP(f->code), &a, 1, &div_zero))
				return bad(err, pc, "unknown ALU operation", f->code);
			continue;
		}
		if (cls == BPF_JMP) {
			jump_taken(BPF_OP(f->code), 0, 0, &known);
			if (!known)
				return bad(err, pc, "unknown jump", f->code);
			if ((size_t)f->jt >= n - pc - 1 || (size_t)f->jf >= n - pc - 1)
				return bad(err, pc, "jump past the end", f->code);
			continue;
		}
		return bad(err, pc, "not allowed in a seccomp filter", f->code);
	}
	if (BPF_CLASS(prog[n - 1].code) != BPF_RET) {
		shim_error_set(err, EINVAL, "the filter ends without a return instruction");
		return -1;
	}
	return 0;
}

/* The kernel's seccomp_data and ours are laid out alike, so a load
 * reads d itself. */
_Static_assert(offsetof(struct shim_seccomp_data, arch) == offsetof(struct seccomp_data, arch) &&
		       offsetof(struct shim_seccomp_data, instruction_pointer) ==
			       offsetof(struct seccomp_data, instruction_pointer) &&
		       offsetof(struct shim_seccomp_data, args) == offsetof(struct seccomp_data, args) &&
		       sizeof(struct shim_seccomp_data) == sizeof(struct seccomp_data),
	       "struct shim_seccomp_data is laid out as struct seccomp_data");

/* The interpreter for checked programs, from state s. With stop, it
 * stops before the first load past nr and arch (an argument or the
 * instruction pointer) and leaves its state in s: until then a run
 * depends on the number and arch alone. Returns true when it stopped. */
static inline __attribute__((always_inline)) bool
run_checked(const struct sock_filter *prog, struct shim_bpf_state *s,
	    const struct shim_seccomp_data *d, bool *reads_args, bool stop)
{
	const unsigned char *bytes = (const unsigned char *)d;
	uint32_t a = s->a, x = s->x;

	for (const struct sock_filter *f = prog + s->pc;; f++) {
		bool div_zero = false, known;

		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (f->k >= 8) {
				if (stop) {
					s->pc = (uint32_t)(f - prog);
					s->a = a;
					s->x = x;
					return true;
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
		case BPF_RET | BPF_K: s->ret = f->k; return false;
		case BPF_RET | BPF_A: s->ret = a; return false;
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
				return false;
			}
			continue;
		}
		/* BPF_JMP, checked: a known jump */
		f += jump_taken(BPF_OP(f->code), a, BPF_SRC(f->code) == BPF_X ? x : f->k, &known)
			     ? f->jt
			     : f->jf;
	}
}

uint32_t shim_bpf_run_checked(const struct sock_filter *prog, const struct shim_seccomp_data *d,
			      bool *reads_args)
{
	struct shim_bpf_state s = { 0 };

	run_checked(prog, &s, d, reads_args, false);
	return s.ret;
}

void shim_bpf_checked_prefix(const struct sock_filter *prog, const struct shim_seccomp_data *d,
			     struct shim_bpf_state *s)
{
	bool ignored = false;

	*s = (struct shim_bpf_state){ 0 };
	s->done = !run_checked(prog, s, d, &ignored, true);
}

uint32_t shim_bpf_run_checked_from(const struct sock_filter *prog, const struct shim_bpf_state *s,
				   const struct shim_seccomp_data *d, bool *reads_args)
{
	struct shim_bpf_state run;

	if (s->done)
		return s->ret;
	run = *s;
	run_checked(prog, &run, d, reads_args, false);
	return run.ret;
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
