/* The assembler: labels resolved forward only, long jumps where a
 * conditional cannot reach, and the programs it must refuse. */
#include <errno.h>
#include <linux/seccomp.h>

#include "suites.h"
#include "internal.h"

#define JEQ (BPF_JMP | BPF_JEQ | BPF_K)
#define RET (BPF_RET | BPF_K)
#define LD (BPF_LD | BPF_W | BPF_ABS)

static uint32_t run(const struct sock_filter *prog, size_t n, int nr)
{
	struct shim_seccomp_data d = { .nr = nr, .arch = 0xc000003e };
	struct shim_error err = { 0 };
	uint32_t ret = 0;

	ck_assert_int_eq(shim_bpf_run(prog, n, &d, &ret, &err), 0);
	return ret;
}

START_TEST(forward_labels)
{
	struct shim_asm a = { 0 };
	shim_label deny = shim_asm_label(&a), allow = shim_asm_label(&a);
	struct sock_filter *p;
	size_t n;
	struct shim_error err = { 0 };

	shim_asm_stmt(&a, LD, SHIM_SD_NR);
	shim_asm_jump(&a, JEQ, 1, allow, SHIM_LABEL_NEXT);
	shim_asm_jump(&a, JEQ, 2, deny, allow);
	shim_asm_bind(&a, deny);
	shim_asm_stmt(&a, RET, SECCOMP_RET_KILL_PROCESS);
	shim_asm_bind(&a, allow);
	shim_asm_stmt(&a, RET, SECCOMP_RET_ALLOW);
	ck_assert_int_eq(shim_asm_finish(&a, 0, &p, &n, &err), 0);
	ck_assert_uint_eq(n, 5);
	ck_assert_uint_eq(p[1].jt, 2);
	ck_assert_uint_eq(p[1].jf, 0);
	ck_assert_uint_eq(p[2].jt, 0);
	ck_assert_uint_eq(p[2].jf, 1);
	ck_assert_uint_eq(run(p, n, 1), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(run(p, n, 2), SECCOMP_RET_KILL_PROCESS);
	ck_assert_uint_eq(run(p, n, 3), SECCOMP_RET_ALLOW);
	free(p);
	shim_asm_free(&a);
}
END_TEST

/* A label bound before the jump: classic BPF cannot jump back. */
START_TEST(backward_label_refused)
{
	struct shim_asm a = { 0 };
	shim_label top = shim_asm_label(&a);
	struct sock_filter *p = NULL;
	size_t n;
	struct shim_error err = { 0 };

	shim_asm_bind(&a, top);
	shim_asm_stmt(&a, LD, SHIM_SD_NR);
	shim_asm_jump(&a, JEQ, 1, top, SHIM_LABEL_NEXT);
	shim_asm_stmt(&a, RET, SECCOMP_RET_ALLOW);
	ck_assert_int_eq(shim_asm_finish(&a, 0, &p, &n, &err), -1);
	ck_assert_int_eq(err.code, EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "backwards"));
	ck_assert_ptr_null(p);
	shim_asm_free(&a);
}
END_TEST

START_TEST(undefined_label_refused)
{
	struct shim_asm a = { 0 };
	shim_label nowhere = shim_asm_label(&a);
	struct sock_filter *p = NULL;
	size_t n;
	struct shim_error err = { 0 };

	shim_asm_stmt(&a, LD, SHIM_SD_NR);
	shim_asm_jump(&a, JEQ, 1, nowhere, SHIM_LABEL_NEXT);
	shim_asm_stmt(&a, RET, SECCOMP_RET_ALLOW);
	ck_assert_int_eq(shim_asm_finish(&a, 0, &p, &n, &err), -1);
	ck_assert_int_eq(err.code, EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "never bound"));
	shim_asm_free(&a);

	/* Bound twice, and bound at the end (past the last instruction). */
	struct shim_asm b = { 0 };
	shim_label l = shim_asm_label(&b);
	shim_asm_jump(&b, JEQ, 1, l, SHIM_LABEL_NEXT);
	shim_asm_bind(&b, l);
	shim_asm_stmt(&b, RET, SECCOMP_RET_ALLOW);
	shim_asm_bind(&b, l);
	ck_assert_int_eq(shim_asm_finish(&b, 0, &p, &n, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "bound twice"));
	shim_asm_free(&b);

	struct shim_asm c = { 0 };
	l = shim_asm_label(&c);
	shim_asm_stmt(&c, LD, SHIM_SD_NR);
	shim_asm_ja(&c, l);
	shim_asm_bind(&c, l);
	ck_assert_int_eq(shim_asm_finish(&c, 0, &p, &n, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "past the end"));
	shim_asm_free(&c);
}
END_TEST

/* nr == 1 jumps over 300 instructions: jt becomes a long jump right
 * after the conditional, jf still reaches the next instruction. */
static void far_program(struct shim_asm *a, size_t gap)
{
	shim_label far = shim_asm_label(a);

	shim_asm_stmt(a, LD, SHIM_SD_NR);
	shim_asm_jump(a, JEQ, 1, far, SHIM_LABEL_NEXT);
	shim_asm_jump(a, JEQ, 2, far, far);
	for (size_t i = 0; i < gap; i++)
		shim_asm_stmt(a, RET, SECCOMP_RET_ERRNO | (uint32_t)i);
	shim_asm_bind(a, far);
	shim_asm_stmt(a, RET, SECCOMP_RET_ALLOW);
}

START_TEST(out_of_range_becomes_long_jump)
{
	struct shim_asm a = { 0 };
	struct sock_filter *p;
	size_t n;
	struct shim_error err = { 0 };

	far_program(&a, 300);
	ck_assert_int_eq(shim_asm_finish(&a, 0, &p, &n, &err), 0);
	/* ld; jeq 0,1; ja; jeq 0,1; ja; ja; 300 rets; ret */
	ck_assert_uint_eq(n, 1 + 2 + 3 + 300 + 1);
	ck_assert_uint_eq(p[1].jt, 0);
	ck_assert_uint_eq(p[1].jf, 1);
	ck_assert_uint_eq(p[2].code, BPF_JMP | BPF_JA);
	ck_assert_uint_eq(p[2].k, n - 1 - 3);
	ck_assert_uint_eq(p[3].jt, 0);
	ck_assert_uint_eq(p[3].jf, 1);
	ck_assert_uint_eq(p[4].k, n - 1 - 5);
	ck_assert_uint_eq(p[5].k, n - 1 - 6);
	ck_assert_uint_eq(run(p, n, 1), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(run(p, n, 2), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(run(p, n, 3), SECCOMP_RET_ALLOW); /* both branches far */
	free(p);

	/* Refused when long jumps are not wanted; within reach, none. */
	ck_assert_int_eq(shim_asm_finish(&a, SHIM_ASM_NO_LONG, &p, &n, &err), -1);
	ck_assert_int_eq(err.code, ERANGE);
	shim_asm_free(&a);
	far_program(&a, 254);
	ck_assert_int_eq(shim_asm_finish(&a, SHIM_ASM_NO_LONG, &p, &n, &err), 0);
	ck_assert_uint_eq(n, 1 + 2 + 254 + 1);
	ck_assert_uint_eq(p[1].jt, 255);
	free(p);
	shim_asm_free(&a);
}
END_TEST

START_TEST(too_long_refused)
{
	struct shim_asm a = { 0 };
	struct sock_filter *p = NULL;
	size_t n;
	struct shim_error err = { 0 };

	for (size_t i = 0; i < BPF_MAXINSNS; i++)
		shim_asm_stmt(&a, RET, SECCOMP_RET_ALLOW);
	ck_assert_int_eq(shim_asm_finish(&a, 0, &p, &n, &err), 0);
	ck_assert_uint_eq(n, BPF_MAXINSNS);
	free(p);
	shim_asm_stmt(&a, RET, SECCOMP_RET_ALLOW);
	ck_assert_int_eq(shim_asm_finish(&a, 0, &p, &n, &err), -1);
	ck_assert_int_eq(err.code, E2BIG);
	ck_assert_int_eq(shim_asm_finish(&a, SHIM_ASM_ANY_LENGTH, &p, &n, &err), 0);
	ck_assert_uint_eq(n, BPF_MAXINSNS + 1);
	free(p);
	shim_asm_free(&a);

	/* Long jumps count: 4095 instructions that become 4097. */
	shim_label far = shim_asm_label(&a);
	shim_asm_jump(&a, JEQ, 1, far, far);
	for (size_t i = 0; i < BPF_MAXINSNS - 2; i++)
		shim_asm_stmt(&a, RET, SECCOMP_RET_ERRNO);
	shim_asm_bind(&a, far);
	shim_asm_stmt(&a, RET, SECCOMP_RET_ALLOW);
	ck_assert_int_eq(shim_asm_finish(&a, 0, &p, &n, &err), -1);
	ck_assert_int_eq(err.code, E2BIG);
	shim_asm_free(&a);
}
END_TEST

/* Resolved code keeps its own offsets, and labels jump over it. */
START_TEST(resolved_code_kept)
{
	static const struct sock_filter inner[] = {
		BPF_JUMP(JEQ, 7, 1, 0),
		BPF_STMT(RET, SECCOMP_RET_ERRNO | 1),
		BPF_STMT(RET, SECCOMP_RET_ERRNO | 7),
	};
	struct shim_asm a = { 0 };
	shim_label after = shim_asm_label(&a);
	struct sock_filter *p;
	size_t n;
	struct shim_error err = { 0 };

	shim_asm_stmt(&a, LD, SHIM_SD_NR);
	shim_asm_jump(&a, BPF_JMP | BPF_JGE | BPF_K, 100, after, SHIM_LABEL_NEXT);
	shim_asm_code(&a, inner, 3);
	shim_asm_bind(&a, after);
	shim_asm_stmt(&a, RET, SECCOMP_RET_ALLOW);
	ck_assert_int_eq(shim_asm_finish(&a, 0, &p, &n, &err), 0);
	ck_assert_uint_eq(n, 6);
	ck_assert_mem_eq(&p[2], inner, sizeof(inner));
	ck_assert_uint_eq(run(p, n, 7), SECCOMP_RET_ERRNO | 7);
	ck_assert_uint_eq(run(p, n, 8), SECCOMP_RET_ERRNO | 1);
	ck_assert_uint_eq(run(p, n, 100), SECCOMP_RET_ALLOW);
	free(p);
	shim_asm_free(&a);
}
END_TEST

Suite *bpfasm_suite(void)
{
	Suite *s = suite_create("bpfasm");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, forward_labels);
	tcase_add_test(tc, backward_label_refused);
	tcase_add_test(tc, undefined_label_refused);
	tcase_add_test(tc, out_of_range_becomes_long_jump);
	tcase_add_test(tc, too_long_refused);
	tcase_add_test(tc, resolved_code_kept);
	suite_add_tcase(s, tc);
	return s;
}
