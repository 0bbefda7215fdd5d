/* A running process's filters (lib/procfilter.c), what a stack of them
 * does (lib/filtersum.c), and the features document (lib/features.c). */
#include <errno.h>
#include <seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <jansson.h>

#include "suites.h"

#define LD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
#define LD_ARCH BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch))
#define LD_ARG0 BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args))
#define RET(v) BPF_STMT(BPF_RET | BPF_K, (v))

/* x86_64 only: getpid ERRNO(EPERM); socket ERRNO(EAFNOSUPPORT) for
 * AF_INET6, else allowed; everything else allowed; other arches killed. */
static struct sock_filter one[] = {
	LD_ARCH,
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
	RET(SECCOMP_RET_KILL_PROCESS),
	LD_NR,
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 39 /* getpid */, 0, 1),
	RET(SECCOMP_RET_ERRNO | EPERM),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 41 /* socket */, 0, 3),
	LD_ARG0,
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 10 /* AF_INET6 */, 0, 1),
	RET(SECCOMP_RET_ERRNO | EAFNOSUPPORT),
	RET(SECCOMP_RET_ALLOW),
};

/* Any arch: getpid ERRNO(EACCES), getppid TRAP. */
static struct sock_filter two[] = {
	LD_NR,
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 39, 0, 1),
	RET(SECCOMP_RET_ERRNO | EACCES),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 110 /* getppid */, 0, 1),
	RET(SECCOMP_RET_TRAP),
	RET(SECCOMP_RET_ALLOW),
};

#define FILTER(p) { .insns = (p), .n_insns = sizeof(p) / sizeof((p)[0]) }

START_TEST(combine_follows_the_kernel)
{
	/* From the newest down: the lowest action as a signed number. */
	ck_assert_uint_eq(shim_bpf_ret_combine(SECCOMP_RET_ALLOW, SECCOMP_RET_KILL_PROCESS),
			  SECCOMP_RET_KILL_PROCESS);
	ck_assert_uint_eq(shim_bpf_ret_combine(SECCOMP_RET_KILL_THREAD, SECCOMP_RET_KILL_PROCESS),
			  SECCOMP_RET_KILL_PROCESS);
	ck_assert_uint_eq(shim_bpf_ret_combine(SECCOMP_RET_ERRNO | 1, SECCOMP_RET_TRAP),
			  SECCOMP_RET_TRAP);
	ck_assert_uint_eq(shim_bpf_ret_combine(SECCOMP_RET_LOG, SECCOMP_RET_USER_NOTIF),
			  SECCOMP_RET_USER_NOTIF);
	ck_assert_uint_eq(shim_bpf_ret_combine(SECCOMP_RET_TRACE | 3, SECCOMP_RET_ERRNO | 9),
			  SECCOMP_RET_ERRNO | 9);
	/* Equal actions: the newer filter's data stays. */
	ck_assert_uint_eq(shim_bpf_ret_combine(SECCOMP_RET_ERRNO | 2, SECCOMP_RET_ERRNO | 1),
			  SECCOMP_RET_ERRNO | 2);
	ck_assert_uint_eq(shim_bpf_ret_combine(SECCOMP_RET_ALLOW, SECCOMP_RET_LOG), SECCOMP_RET_LOG);
}
END_TEST

static const struct shim_arch_summary *arch_of(const struct shim_filter_summary *s, uint32_t token)
{
	for (size_t i = 0; i < s->n_arches; i++)
		if (s->arches[i].arch->token == token)
			return &s->arches[i];
	return NULL;
}

static bool in_group(const struct shim_arch_summary *a, uint32_t ret, const char *name)
{
	for (size_t g = 0; g < a->n_groups; g++)
		for (size_t i = 0; a->groups[g].ret == ret && i < a->groups[g].n; i++)
			if (strcmp(a->groups[g].names[i], name) == 0)
				return true;
	return false;
}

START_TEST(summary_of_one_filter)
{
	struct shim_filter f = FILTER(one);
	struct shim_filter_summary s;
	struct shim_error err = { 0 };
	const struct shim_arch_summary *a;

	if (seccomp_arch_native() != SCMP_ARCH_X86_64)
		return; /* the program is written for x86_64 */
	ck_assert_int_eq(shim_filters_summarize(&f, 1, &s, &err), 0);
	ck_assert_uint_eq(s.unknown_arch_ret, SECCOMP_RET_KILL_PROCESS);
	ck_assert(!s.unknown_arch_varies);
	ck_assert_ptr_nonnull(a = arch_of(&s, SCMP_ARCH_X86_64));
	ck_assert_ptr_null(arch_of(&s, SCMP_ARCH_X86)); /* killed, as an unknown one */
	ck_assert(in_group(a, SECCOMP_RET_ERRNO | EPERM, "getpid"));
	ck_assert_uint_eq(a->n_groups, 1);
	ck_assert_uint_eq(a->n_allowed + 1 + a->n_cond, a->n_known);
	ck_assert_uint_eq(a->n_cond, 1);
	ck_assert_str_eq(a->cond[0].name, "socket");
	ck_assert_uint_eq(a->cond[0].n_rets, 2);
	ck_assert_uint_eq(a->cond[0].rets[0], SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(a->cond[0].rets[1], SECCOMP_RET_ERRNO | EAFNOSUPPORT);
	ck_assert_uint_eq(a->above_ret, SECCOMP_RET_ALLOW);
	shim_filter_summary_free(&s);
}
END_TEST

START_TEST(summary_of_a_stack)
{
	struct shim_filter stack[2] = { FILTER(one), FILTER(two) };
	struct shim_filter_summary s;
	struct shim_error err = { 0 };
	const struct shim_arch_summary *a;
	struct shim_seccomp_data d = { .nr = 39, .arch = AUDIT_ARCH_X86_64 };
	uint32_t ret;

	if (seccomp_arch_native() != SCMP_ARCH_X86_64)
		return;
	/* getpid: ERRNO in both, the newer one's errno. */
	ck_assert_int_eq(shim_filters_run(stack, 2, &d, &ret, &err), 0);
	ck_assert_uint_eq(ret, SECCOMP_RET_ERRNO | EACCES);
	ck_assert_int_eq(shim_filters_summarize(stack, 2, &s, &err), 0);
	ck_assert_ptr_nonnull(a = arch_of(&s, SCMP_ARCH_X86_64));
	ck_assert(in_group(a, SECCOMP_RET_ERRNO | EACCES, "getpid"));
	ck_assert(in_group(a, SECCOMP_RET_TRAP, "getppid"));
	/* The older filter kills what it does not know, whatever the newer says. */
	ck_assert_uint_eq(s.unknown_arch_ret, SECCOMP_RET_KILL_PROCESS);
	shim_filter_summary_free(&s);
	/* The newer one alone never looks at the architecture. */
	ck_assert_int_eq(shim_filters_summarize(&stack[1], 1, &s, &err), 0);
	ck_assert(s.unknown_arch_varies);
	shim_filter_summary_free(&s);
}
END_TEST

static bool can_read_filters(void)
{
	struct shim_proc_status self;
	struct shim_error err = { 0 };

	return shim_proc_status_read(getpid(), &self, &err) == 0 && (self.cap_eff >> 21 & 1) &&
	       self.seccomp_mode == 0;
}

/* A child under both filters, waiting on a pipe. */
static pid_t child_under_two(int *hold)
{
	struct sock_fprog p1 = { .len = sizeof(one) / sizeof(one[0]), .filter = one };
	struct sock_fprog p2 = { .len = sizeof(two) / sizeof(two[0]), .filter = two };
	int fds[2], ready[2];
	char c;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(pipe(ready), 0);
	if ((pid = fork()) == 0) {
		close(fds[1]);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &p1) < 0 ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &p2) < 0)
			_exit(1);
		(void)!write(ready[1], "r", 1);
		(void)!read(fds[0], &c, 1);
		_exit(0);
	}
	close(fds[0]);
	close(ready[1]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	close(ready[0]);
	*hold = fds[1];
	return pid;
}

START_TEST(reads_a_child_and_lets_it_go)
{
	struct shim_proc_filters pf;
	struct shim_proc_status st;
	struct shim_error err = { 0 };
	int hold, status;
	pid_t pid;

	if (!can_read_filters() || seccomp_arch_native() != SCMP_ARCH_X86_64)
		return;
	pid = child_under_two(&hold);
	ck_assert_int_eq(shim_proc_filters_read(pid, &pf, &err), 0);
	/* Index 0 is the first installed. */
	ck_assert_uint_eq(pf.n, 2);
	ck_assert_uint_eq(pf.v[0].n_insns, sizeof(one) / sizeof(one[0]));
	ck_assert_mem_eq(pf.v[0].insns, one, sizeof(one));
	ck_assert_mem_eq(pf.v[1].insns, two, sizeof(two));
	shim_proc_filters_free(&pf);
	ck_assert_int_eq(shim_proc_status_read(pid, &st, &err), 0);
	ck_assert_int_eq(st.tracer, 0);
	ck_assert_int_eq(st.seccomp_mode, 2);
	ck_assert_int_eq(st.no_new_privs, 1);
	close(hold);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* Gone: ESRCH, said as such. */
	ck_assert_int_eq(shim_proc_filters_read(pid, &pf, &err), -1);
	ck_assert_int_eq(err.code, ESRCH);
	ck_assert_ptr_nonnull(strstr(err.msg, "no such process"));
}
END_TEST

START_TEST(features_document)
{
	struct shim_text t = { 0 };
	struct shim_error err = { 0 };
	json_t *root, *seccomp, *actions;
	bool notify = false;
	size_t i;
	json_t *v;

	ck_assert_int_eq(shim_features_json(&t, &err), 0);
	ck_assert_ptr_nonnull(root = json_loadb(t.s, t.len, 0, NULL));
	seccomp = json_object_get(json_object_get(root, "linux"), "seccomp");
	ck_assert(json_is_true(json_object_get(seccomp, "enabled")));
	actions = json_object_get(seccomp, "actions");
	json_array_foreach(actions, i, v)
		notify |= strcmp(json_string_value(v), "SCMP_ACT_NOTIFY") == 0;
	ck_assert(!notify); /* refused by every run */
	ck_assert_uint_ge(json_array_size(json_object_get(seccomp, "archs")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(root, "annotations"),
							   "org.seccomp-shim.version")), SHIM_VERSION);
	json_decref(root);
	shim_text_free(&t);
}
END_TEST

START_TEST(features_merge_keeps_the_runtime)
{
	static const char runtime[] =
		"{\"ociVersionMin\": \"1.0.0\", \"zzz\": {\"big\": 18446744073709551615},"
		" \"linux\": {\"seccomp\": {\"enabled\": false}}, \"annotations\": {\"b\": \"1\"},"
		" \"after\": 2}";
	struct shim_text t = { 0 };
	struct shim_error err = { 0 };
	const char *keys[] = { "\"ociVersionMin\"", "\"zzz\"", "\"linux\"", "\"annotations\"",
			       "\"b\"", "\"org.seccomp-shim.version\"", "\"after\"" };
	const char *at = NULL;

	ck_assert_int_eq(shim_features_merge(runtime, sizeof(runtime) - 1, &t, &err), 0);
	/* Key order kept; ours after the runtime's annotations. */
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *k = strstr(t.s, keys[i]);
		ck_assert_msg(k && k > at, "%s out of order in %s", keys[i], t.s);
		at = k;
	}
	ck_assert_ptr_nonnull(strstr(t.s, "18446744073709551615"));
	ck_assert_ptr_nonnull(strstr(t.s, "\"enabled\": false"));
	shim_text_free(&t);
}
END_TEST

START_TEST(features_merge_refuses_what_is_not_a_document)
{
	static const char *const bad[] = { "{\"a\": ", "[1]", "{\"annotations\": []}" };
	static const char *const said[] = { "line 1", "not a JSON object", "\"annotations\" is not an object" };

	for (size_t i = 0; i < 3; i++) {
		struct shim_text t = { 0 };
		struct shim_error err = { 0 };
		ck_assert_int_eq(shim_features_merge(bad[i], strlen(bad[i]), &t, &err), -1);
		ck_assert_ptr_nonnull(strstr(err.msg, "the runtime's features document"));
		ck_assert_msg(strstr(err.msg, said[i]), "%s", err.msg);
		shim_text_free(&t);
	}
}
END_TEST

Suite *procfilter_suite(void)
{
	Suite *s = suite_create("procfilter");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, combine_follows_the_kernel);
	tcase_add_test(tc, summary_of_one_filter);
	tcase_add_test(tc, summary_of_a_stack);
	tcase_add_test(tc, reads_a_child_and_lets_it_go);
	tcase_add_test(tc, features_document);
	tcase_add_test(tc, features_merge_keeps_the_runtime);
	tcase_add_test(tc, features_merge_refuses_what_is_not_a_document);
	suite_add_tcase(s, tc);
	return s;
}
