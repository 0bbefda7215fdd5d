/* The interpreter on hand-written programs: every instruction class, and
 * the programs the kernel would refuse. */
#include <linux/seccomp.h>

#include "suites.h"

#define STMT(c, k) { (unsigned short)(c), 0, 0, (k) }
#define JUMP(c, k, t, f) { (unsigned short)(c), (t), (f), (k) }

static int run(const struct sock_filter *prog, size_t n, int nr, uint32_t *ret,
	       struct shim_error *err)
{
	struct shim_seccomp_data d = { .nr = nr, .arch = 0xc000003e,
				       .args = { 0x1122334455667788ull } };
	return shim_bpf_run(prog, n, &d, ret, err);
}

START_TEST(loads_jumps_returns)
{
	struct sock_filter prog[] = {
		STMT(BPF_LD | BPF_W | BPF_ABS, 4),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xc000003e, 1, 0),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		STMT(BPF_LD | BPF_W | BPF_ABS, 0),
		JUMP(BPF_JMP | BPF_JGE | BPF_K, 100, 0, 1),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 1),
		STMT(BPF_LD | BPF_W | BPF_ABS, 16), /* args[0] low word */
		JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x80, 1, 0),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
		STMT(BPF_LD | BPF_W | BPF_ABS, 20), /* args[0] high word */
		STMT(BPF_RET | BPF_A, 0),
	};
	struct shim_error err = { 0 };
	uint32_t ret;

	ck_assert_int_eq(run(prog, 11, 150, &ret, &err), 0);
	ck_assert_uint_eq(ret, SECCOMP_RET_ERRNO | 1);
	ck_assert_int_eq(run(prog, 11, 5, &ret, &err), 0);
	ck_assert_uint_eq(ret, 0x11223344);
}
END_TEST

START_TEST(alu_and_scratch)
{
	struct sock_filter prog[] = {
		STMT(BPF_LD | BPF_IMM, 6),
		STMT(BPF_ST, 3),
		STMT(BPF_LDX | BPF_IMM, 7),
		STMT(BPF_ALU | BPF_MUL | BPF_X, 0),	/* 42 */
		STMT(BPF_ALU | BPF_ADD | BPF_K, 8),	/* 50 */
		STMT(BPF_ALU | BPF_LSH | BPF_K, 1),	/* 100 */
		STMT(BPF_ALU | BPF_AND | BPF_K, 0x6c), /* 100 & 108 = 100 */
		STMT(BPF_MISC | BPF_TAX, 0),
		STMT(BPF_LD | BPF_MEM, 3),		/* 6 */
		STMT(BPF_ALU | BPF_ADD | BPF_X, 0),	/* 106 */
		STMT(BPF_RET | BPF_A, 0),
	};
	struct shim_error err = { 0 };
	uint32_t ret;

	ck_assert_int_eq(run(prog, 11, 0, &ret, &err), 0);
	ck_assert_uint_eq(ret, 106);
}
END_TEST

START_TEST(division_by_zero_returns_zero)
{
	struct sock_filter prog[] = {
		STMT(BPF_LDX | BPF_IMM, 0),
		STMT(BPF_ALU | BPF_DIV | BPF_X, 0),
		STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct shim_error err = { 0 };
	uint32_t ret = 1;

	ck_assert_int_eq(run(prog, 3, 0, &ret, &err), 0);
	ck_assert_uint_eq(ret, 0);
}
END_TEST

static const struct {
	struct sock_filter prog[2];
	size_t n;
	const char *msg;
} refused[] = {
	{ { STMT(BPF_LD | BPF_W | BPF_ABS, 64) }, 1,
	  "BPF instruction 0 (code 0x20): load outside seccomp_data or unaligned" },
	{ { STMT(BPF_LD | BPF_W | BPF_ABS, 2) }, 1,
	  "BPF instruction 0 (code 0x20): load outside seccomp_data or unaligned" },
	{ { JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1), STMT(BPF_RET | BPF_K, 0) }, 2,
	  "BPF instruction 0 (code 0x15): jump past the end" },
	{ { STMT(BPF_JMP | BPF_JA, 1), STMT(BPF_RET | BPF_K, 0) }, 2,
	  "BPF instruction 0 (code 0x5): jump past the end" },
	{ { STMT(BPF_LD | BPF_IMM, 1) }, 1, "the filter ends without a return instruction" },
	{ { STMT(BPF_ST, 16), STMT(BPF_RET | BPF_K, 0) }, 2,
	  "BPF instruction 0 (code 0x2): scratch memory index out of range" },
	{ { STMT(BPF_ALU | BPF_DIV | BPF_K, 0), STMT(BPF_RET | BPF_K, 0) }, 2,
	  "BPF instruction 0 (code 0x34): division by constant zero" },
	{ { STMT(BPF_LD | BPF_B | BPF_ABS, 0), STMT(BPF_RET | BPF_K, 0) }, 2,
	  "BPF instruction 0 (code 0x30): not allowed in a seccomp filter" },
	{ { STMT(BPF_RET | BPF_K, 0) }, 0, "a filter has 1 to 4096 instructions, this one 0" },
};

START_TEST(refuses_what_the_kernel_refuses)
{
	struct shim_error err = { 0 };
	uint32_t ret;

	ck_assert_int_lt(run(refused[_i].prog, refused[_i].n, 0, &ret, &err), 0);
	ck_assert_str_eq(err.msg, refused[_i].msg);
}
END_TEST

START_TEST(formats_verdicts)
{
	char buf[64];

	shim_bpf_ret_format(SECCOMP_RET_ERRNO | 38, buf, sizeof(buf));
	ck_assert_str_eq(buf, "ERRNO(ENOSYS)");
	shim_bpf_ret_format(SECCOMP_RET_ERRNO | 4000, buf, sizeof(buf));
	ck_assert_str_eq(buf, "ERRNO(4000)");
	shim_bpf_ret_format(SECCOMP_RET_KILL_PROCESS, buf, sizeof(buf));
	ck_assert_str_eq(buf, "KILL_PROCESS");
	shim_bpf_ret_format(SECCOMP_RET_USER_NOTIF, buf, sizeof(buf));
	ck_assert_str_eq(buf, "NOTIFY");
}
END_TEST

Suite *bpf_suite(void)
{
	Suite *s = suite_create("bpf");
	TCase *tc = tcase_create("interpreter");

	tcase_add_test(tc, loads_jumps_returns);
	tcase_add_test(tc, alu_and_scratch);
	tcase_add_test(tc, division_by_zero_returns_zero);
	tcase_add_loop_test(tc, refuses_what_the_kernel_refuses, 0,
			    sizeof(refused) / sizeof(refused[0]));
	tcase_add_test(tc, formats_verdicts);
	suite_add_tcase(s, tc);
	return s;
}
