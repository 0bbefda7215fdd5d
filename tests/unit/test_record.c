/* record: a real run of /bin/true and of a shell pipeline, recorded. */
#include <errno.h>
#include <seccomp.h>
#include <sys/wait.h>

#include "suites.h"

extern char **environ;

static bool recorded(const struct shim_recording *rec, const char *name)
{
	int nr = seccomp_syscall_resolve_name(name);

	for (size_t i = 0; i < 8192; i++)
		if (rec->v[i].count && rec->v[i].nr == nr && rec->v[i].arch == seccomp_arch_native())
			return true;
	return false;
}

START_TEST(record_a_run)
{
	char *argv[] = { "sh", "-c", "cat /dev/null | true; exit 3", NULL };
	struct shim_recording rec;
	struct shim_error err = { 0 };
	struct shim_text out = { 0 };

	ck_assert_int_eq(shim_record_run("/bin/sh", argv, environ, &rec, &err), 0);
	ck_assert(rec.exited);
	ck_assert_int_eq(WEXITSTATUS(rec.status), 3);
	/* The shell, its children and the program they execute; pipes, forks
	 * and waits pass unseen (see lib/record.c) and are always written. */
	ck_assert(recorded(&rec, "execve"));
	ck_assert(recorded(&rec, "openat"));
	ck_assert(!recorded(&rec, "pipe2") && !recorded(&rec, "wait4"));
	ck_assert(!recorded(&rec, "mkdir"));
	ck_assert_int_gt(rec.total, rec.n);
	ck_assert_int_eq(shim_record_profile(&rec, NULL, ENOSYS, NULL, &out, NULL, &err), 0);
	struct shim_profile *p = parse_ok(out.s);
	ck_assert_int_eq(p->default_action.kind, SHIM_ACT_ERRNO);
	ck_assert_int_eq(p->default_action.errno_ret, ENOSYS);
	/* The allow rule, clone without CLONE_NEW* flags, clone3 ENOSYS. */
	ck_assert_int_eq(p->n_rules, 3);
	for (size_t i = 1; i < p->rules[0].n_names; i++)
		ck_assert_int_lt(strcmp(p->rules[0].names[i - 1], p->rules[0].names[i]), 0);
	bool pipe2 = false, wait4 = false;
	for (size_t i = 0; i < p->rules[0].n_names; i++) {
		pipe2 |= strcmp(p->rules[0].names[i], "pipe2") == 0;
		wait4 |= strcmp(p->rules[0].names[i], "wait4") == 0;
	}
	ck_assert(pipe2 && wait4);
	ck_assert_str_eq(p->rules[1].names[0], "clone");
	ck_assert_int_eq(p->rules[1].n_args, 1);
	ck_assert_str_eq(p->rules[2].names[0], "clone3");
	ck_assert_int_eq(p->rules[2].action.errno_ret, ENOSYS);
	shim_profile_free(p);
	shim_text_free(&out);
	shim_recording_free(&rec);
}
END_TEST

START_TEST(record_merge)
{
	char *argv[] = { "true", NULL };
	struct shim_recording rec;
	struct shim_error err = { 0 };
	struct shim_text out = { 0 };
	struct shim_profile *old = parse_ok("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
					    "{\"names\": [\"mkdir\", \"execve\"], \"action\": \"SCMP_ACT_ALLOW\"}]}");

	ck_assert_int_eq(shim_record_run("/bin/true", argv, environ, &rec, &err), 0);
	ck_assert_int_eq(shim_record_profile(&rec, old, EPERM, NULL, &out, NULL, &err), 0);
	struct shim_profile *p = parse_ok(out.s);
	ck_assert_int_eq(p->n_rules, 4); /* the old rule, the new names, clone, clone3 */
	ck_assert_str_eq(p->rules[0].names[0], "mkdir");
	for (size_t i = 0; i < p->rules[1].n_names; i++)
		ck_assert_str_ne(p->rules[1].names[i], "execve"); /* allowed already */
	shim_profile_free(p);
	shim_profile_free(old);
	shim_text_free(&out);
	shim_recording_free(&rec);
}
END_TEST

Suite *record_suite(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("record");

	tcase_add_test(tc, record_a_run);
	tcase_add_test(tc, record_merge);
	suite_add_tcase(s, tc);
	return s;
}
