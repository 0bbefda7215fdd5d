/* notifyprog: the filter of a supervised run, made from the profile's.
 *
 * MUST: the program loaded differs from the profile's only in the value
 * some RET K instructions return: every jump, load and instruction count
 * stays, so each call takes the path it takes under the profile. A call
 * the profile allows (ALLOW, LOG) is answered by the kernel exactly as
 * before, and the kernel's action cache, which emulates the program for
 * each syscall number, keeps the same syscalls. A call whose path ends in
 * a rewritten return reaches the supervisor, which runs the original
 * program on the same seccomp_data in lib/bpf.c and so learns the verdict
 * the kernel would have given.
 *
 * Which returns are rewritten (seccomp-shim(1), SUPERVISED RUNS):
 *  - report: ERRNO, which a reply reproduces exactly (.error). Not the
 *    ENOSYS stub's return: it answers numbers the profile does not name
 *    (runc's addition, not a verdict of the profile), and glibc's
 *    fallbacks test exactly that errno, which a signal landing while the
 *    call waits for the supervisor could turn into EINTR. KILL_PROCESS,
 *    KILL_THREAD and TRAP stay the kernel's: no reply can reproduce them
 *    (a SIGSYS sent from outside can be caught or blocked, and the
 *    kernel's own is not), and KILL outranks USER_NOTIF across stacked
 *    filters, so they cannot be notified first either. TRACE stays: its
 *    result depends on a tracer the supervisor cannot stand in for.
 *  - complain: everything but ALLOW and LOG, the stub included: each
 *    such call is reported and let through.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>

#include "internal.h"

#define STUB_MAX_INSNS 128 /* runc's stub: 2 + 5 per arch + 1, 24 arches at most */

/* Whether insn may appear inside the stub: loads of nr or arch, the
 * comparisons it makes, and plain jumps. */
static bool stub_insn(const struct sock_filter *insn)
{
	switch (insn->code) {
	case BPF_LD | BPF_W | BPF_ABS:
		return insn->k == 0 || insn->k == 4;
	case BPF_JMP | BPF_JEQ | BPF_K:
	case BPF_JMP | BPF_JGT | BPF_K:
	case BPF_JMP | BPF_JSET | BPF_K:
	case BPF_JMP | BPF_JA:
		return true;
	}
	return false;
}

/* The stub (lib/compile-stub.c, shim_stub_prepend) is: load arch; per arch a test of
 * the number against the highest one named; "ja 1"; "ret ERRNO(ENOSYS)";
 * then the profile's program. Every jump in it lands inside it, on its
 * return or on the first instruction after it. */
long shim_stub_ret_index(const struct shim_filter *f)
{
	size_t ret;

	if (f->n_insns < 4 || f->insns[0].code != (BPF_LD | BPF_W | BPF_ABS) || f->insns[0].k != 4)
		return -1;
	for (ret = 1; ret < f->n_insns && ret < STUB_MAX_INSNS && stub_insn(&f->insns[ret]); ret++)
		;
	if (ret + 1 >= f->n_insns || f->insns[ret].code != (BPF_RET | BPF_K) ||
	    f->insns[ret].k != (SECCOMP_RET_ERRNO | ENOSYS) ||
	    f->insns[ret - 1].code != (BPF_JMP | BPF_JA) || f->insns[ret - 1].k != 1)
		return -1;
	for (size_t i = 0; i < ret; i++) {
		const struct sock_filter *in = &f->insns[i];
		size_t far = in->code == (BPF_JMP | BPF_JA) ? in->k
			     : BPF_CLASS(in->code) == BPF_JMP ? (in->jt > in->jf ? in->jt : in->jf)
							      : 0;
		if (i + 1 + far > ret + 1)
			return -1;
	}
	return (long)ret;
}

static bool rewritten_in(enum shim_notify_mode mode, uint32_t action, bool is_stub)
{
	switch (mode) {
	case SHIM_NOTIFY_REPORT:
		return action == SECCOMP_RET_ERRNO && !is_stub;
	case SHIM_NOTIFY_COMPLAIN:
		return action != SECCOMP_RET_ALLOW && action != SECCOMP_RET_LOG;
	case SHIM_NOTIFY_NONE:
		break;
	}
	return false;
}

int shim_notify_program(const struct shim_filter *f, enum shim_notify_mode mode,
			struct shim_filter *out, size_t *rewritten, struct shim_error *err)
{
	long stub = shim_stub_ret_index(f);
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	out->insns = malloc((f->n_insns ? f->n_insns : 1) * sizeof(*out->insns));
	if (!out->insns) {
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	memcpy(out->insns, f->insns, f->n_insns * sizeof(*out->insns));
	out->n_insns = f->n_insns;
	out->flags = f->flags;
	out->by_libseccomp = f->by_libseccomp;
	out->linear = f->linear;
	for (size_t i = 0; i < f->n_insns; i++) {
		struct sock_filter *in = &out->insns[i];

		if (in->code == (BPF_RET | BPF_A)) {
			shim_error_set(err, EINVAL, "BPF instruction %zu returns a computed value: a supervised run cannot tell which of its returns deny, so it cannot be made from this filter",
				       i);
			shim_filter_free(out);
			return -1;
		}
		if (in->code != (BPF_RET | BPF_K) ||
		    !rewritten_in(mode, in->k & SECCOMP_RET_ACTION_FULL, (long)i == stub))
			continue;
		in->k = SECCOMP_RET_USER_NOTIF;
		n++;
	}
	if (rewritten)
		*rewritten = n;
	return 0;
}
