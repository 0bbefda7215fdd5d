/* runc's ENOSYS stub, in front of every program compile makes: per arch,
 * a syscall number above the highest one the profile names returns
 * ENOSYS, so glibc falls back (clone3, faccessat2) instead of failing on
 * the default errno; every other call goes on to the filter. x32 is told
 * apart from x86_64 by bit 30. lib/refeval.c gives the stub's verdicts
 * from the same limits (shim_policy_max_nr, lib/policy.c), and lib/compile.c holds the
 * whole program, stub included, to them.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <linux/seccomp.h>

#include "compile.h"

/* One section of runc's ENOSYS stub: an arch token and the highest
 * syscall number the profile names on it (-1: none), x32's too when the
 * section is x86_64's. */
struct stub_section {
	uint32_t arch;
	long max, max_x32;
	bool x86_64;
};

/* x32 shares AUDIT_ARCH_X86_64 with x86_64 and is told apart by bit 30;
 * without x32 in the filter those numbers go on to the filter, which
 * kills them as a bad arch. Returns how many sections. */
static size_t stub_sections(const struct shim_policy *pol, struct stub_section *sec)
{
	size_t n_sec = 0;
	bool with_x32 = shim_policy_has_arch(pol, SCMP_ARCH_X32);
	bool with_x86_64 = shim_policy_has_arch(pol, SCMP_ARCH_X86_64);

	for (size_t i = 0; i < pol->n_arches; i++) {
		uint32_t arch = pol->arches[i];
		/* x32 is handled inside the x86_64 section (made for it alone
		 * when x86_64 is not filtered). */
		if (arch == SCMP_ARCH_X32 && with_x86_64)
			continue;
		if (arch == SCMP_ARCH_X32)
			arch = SCMP_ARCH_X86_64;
		sec[n_sec].arch = arch;
		sec[n_sec].x86_64 = arch == SCMP_ARCH_X86_64;
		sec[n_sec].max = with_x86_64 || arch != SCMP_ARCH_X86_64 ? shim_policy_max_nr(pol, arch) : -1;
		sec[n_sec].max_x32 = sec[n_sec].x86_64 && with_x32
					     ? shim_policy_max_nr(pol, SCMP_ARCH_X32)
					     : -1;
		if (sec[n_sec].max < 0 && sec[n_sec].max_x32 < 0)
			continue;
		n_sec++;
	}
	return n_sec;
}

/* A number above max gets ENOSYS, any other the filter (all, max < 0). */
static void put_limit(struct shim_asm *a, long max, shim_label enosys, shim_label filter)
{
	if (max >= 0)
		shim_asm_jump(a, BPF_JMP | BPF_JGT | BPF_K, (uint32_t)max, enosys, filter);
	else
		shim_asm_ja(a, filter);
}

/* runc's ENOSYS stub: per arch, a syscall number above the highest one the
 * profile names returns ENOSYS, so glibc falls back (clone3, faccessat2)
 * instead of failing on the default errno. Every other call goes on to
 * filter. */
static void put_stub(struct shim_asm *a, const struct stub_section *sec, size_t n_sec,
		     shim_label filter)
{
	shim_label enosys = shim_asm_label(a);

	shim_asm_stmt(a, BPF_LD | BPF_W | BPF_ABS, SHIM_SD_ARCH);
	for (size_t s = 0; s < n_sec; s++) {
		/* A mismatch goes on to the next section with the arch still
		 * in A: sections after this one reload nothing. */
		shim_label next = shim_asm_label(a);

		shim_asm_jump(a, BPF_JMP | BPF_JEQ | BPF_K, sec[s].arch, SHIM_LABEL_NEXT, next);
		shim_asm_stmt(a, BPF_LD | BPF_W | BPF_ABS, SHIM_SD_NR);
		if (sec[s].x86_64) {
			shim_label x32 = shim_asm_label(a);

			shim_asm_jump(a, BPF_JMP | BPF_JSET | BPF_K, SHIM_X32_SYSCALL_BIT, x32,
				      SHIM_LABEL_NEXT);
			put_limit(a, sec[s].max, enosys, filter);
			shim_asm_bind(a, x32);
			put_limit(a, sec[s].max_x32, enosys, filter);
		} else {
			put_limit(a, sec[s].max, enosys, filter);
		}
		shim_asm_bind(a, next);
	}
	shim_asm_ja(a, filter);
	shim_asm_bind(a, enosys);
	shim_asm_stmt(a, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
}

bool shim_stub_wanted(const struct shim_action *def)
{
	switch (def->kind) {
	case SHIM_ACT_ALLOW:
	case SHIM_ACT_LOG:
	case SHIM_ACT_TRACE:
		return false;
	case SHIM_ACT_ERRNO:
		/* runc means to skip the stub when the default errno is ENOSYS,
		 * but compares it with a whole return value, so every runc keeps
		 * it; numbers the filter body would kill (the x32 range without
		 * x32) then get ENOSYS. We do as runc does. */
		return true;
	default:
		return true;
	}
}

/* The stub, then f's program as it is; the length is judged later, with
 * the other candidates'. */
int shim_stub_prepend(const struct shim_policy *pol, struct shim_filter *f,
		      struct shim_error *err)
{
	struct stub_section sec[ARRAY_SIZE(pol->arches)];
	struct shim_asm a = { 0 };
	struct sock_filter *all;
	size_t n_sec, n;
	shim_label filter;
	int rc;

	if (!shim_stub_wanted(&pol->default_action))
		return 0;
	n_sec = stub_sections(pol, sec);
	if (n_sec == 0)
		return 0;
	filter = shim_asm_label(&a);
	put_stub(&a, sec, n_sec, filter);
	shim_asm_bind(&a, filter);
	shim_asm_code(&a, f->insns, f->n_insns);
	rc = shim_asm_finish(&a, SHIM_ASM_ANY_LENGTH, &all, &n, err);
	shim_asm_free(&a);
	if (rc < 0)
		return -1;
	free(f->insns);
	f->insns = all;
	f->n_insns = n;
	return 0;
}
