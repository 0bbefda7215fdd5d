/* record: a real run of /bin/true and of a shell pipeline, recorded. */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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
	ck_assert_int_eq(shim_record_profile(&rec, NULL, EACCES, NULL, &out, NULL, &err), 0);
	struct shim_profile *p = parse_ok(out.s);
	ck_assert_int_eq(p->default_action.kind, SHIM_ACT_ERRNO);
	ck_assert_int_eq(p->default_action.errno_ret, EACCES);
	/* The allow rule, clone without CLONE_NEW* flags, clone3 ENOSYS. */
	ck_assert_int_eq(p->n_rules, 3);
	for (size_t i = 1; i < p->rules[0].n_names; i++)
		ck_assert_int_lt(strcmp(p->rules[0].names[i - 1], p->rules[0].names[i]), 0);
	bool pipe2 = false, wait4 = false, execveat = false;
	for (size_t i = 0; i < p->rules[0].n_names; i++) {
		pipe2 |= strcmp(p->rules[0].names[i], "pipe2") == 0;
		wait4 |= strcmp(p->rules[0].names[i], "wait4") == 0;
		execveat |= strcmp(p->rules[0].names[i], "execveat") == 0;
	}
	ck_assert(pipe2 && wait4);
	ck_assert(execveat); /* not used, but essential to check (see lib/record.c) */
	ck_assert_str_eq(p->rules[1].names[0], "clone");
	ck_assert_int_eq(p->rules[1].n_args, 1);
	ck_assert_str_eq(p->rules[2].names[0], "clone3");
	ck_assert_int_eq(p->rules[2].action.errno_ret, ENOSYS);
	shim_profile_free(p);
	shim_text_free(&out);
	/* With ENOSYS as the default, a clone3 rule would say nothing. */
	ck_assert_int_eq(shim_record_profile(&rec, NULL, ENOSYS, NULL, &out, NULL, &err), 0);
	p = parse_ok(out.s);
	ck_assert_int_eq(p->default_action.errno_ret, ENOSYS);
	ck_assert_int_eq(p->n_rules, 2);
	ck_assert_str_eq(p->rules[1].names[0], "clone");
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
	struct shim_profile *old = parse_ok("{\"comment\": \"by hand\", \"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": ["
					    "{\"names\": [\"mkdir\", \"execve\"], \"action\": \"SCMP_ACT_ALLOW\"}]}");

	ck_assert_int_eq(shim_record_run("/bin/true", argv, environ, &rec, &err), 0);
	ck_assert_int_eq(shim_record_profile(&rec, old, EPERM, "true", &out, NULL, &err), 0);
	/* The provenance the profile had, and this run's. */
	ck_assert_msg(strncmp(out.s, "{\n  \"comment\": \"by hand; added by seccomp-shim record from: true\",\n", 67) == 0,
		      "%s", out.s);
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

/* The output is made before the run; nothing is left behind on failure. */
START_TEST(record_output)
{
	char dir[] = "/tmp/record-output.XXXXXX", path[64], link[64];
	struct shim_record_output o;
	struct shim_error err = { 0 };
	struct shim_text t = { 0 };
	struct stat st;
	char buf[16] = "";
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/no/such/dir/x.json", dir);
	ck_assert_int_eq(shim_record_output_open(path, &o, &err), -1);
	ck_assert_int_eq(err.code, ENOENT);
	ck_assert_msg(strstr(err.msg, "cannot create a file in ") && strstr(err.msg, "/no/such/dir"), "%s", err.msg);
	ck_assert_int_eq(shim_record_output_open(dir, &o, &err), -1);
	ck_assert_int_eq(err.code, EISDIR);

	/* abort leaves the directory as it was */
	snprintf(path, sizeof(path), "%s/p.json", dir);
	ck_assert_int_eq(shim_record_output_open(path, &o, &err), 0);
	ck_assert_int_eq(fcntl(o.fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	shim_record_output_abort(&o);
	ck_assert_int_eq(rmdir(dir), 0);
	ck_assert_int_eq(mkdir(dir, 0700), 0);

	/* commit replaces the file a symlink names, keeping its mode */
	shim_text_printf(&t, "new\n");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "old old\n", 8), 8);
	close(fd);
	snprintf(link, sizeof(link), "%s/link.json", dir);
	ck_assert_int_eq(symlink("p.json", link), 0);
	ck_assert_int_eq(shim_record_output_open(link, &o, &err), 0);
	ck_assert_int_eq(shim_record_output_commit(&o, &t, &err), 0);
	fd = open(path, O_RDONLY);
	ck_assert_int_eq(read(fd, buf, sizeof(buf) - 1), 4);
	close(fd);
	ck_assert_str_eq(buf, "new\n");
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0600);
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_eq(unlink(link), 0);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(rmdir(dir), 0); /* nothing else left there */
	shim_text_free(&t);
}
END_TEST

Suite *record_suite(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("record");

	tcase_add_test(tc, record_a_run);
	tcase_add_test(tc, record_merge);
	tcase_add_test(tc, record_output);
	suite_add_tcase(s, tc);
	return s;
}
