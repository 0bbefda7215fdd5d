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
	return shim_recording_count(rec, seccomp_arch_native(), seccomp_syscall_resolve_name(name)) > 0;
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
	struct shim_record_options opt = { .errno_ret = EACCES };
	ck_assert_int_eq(shim_record_profile(&rec, &opt, &out, NULL, &err), 0);
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
	opt.errno_ret = ENOSYS;
	ck_assert_int_eq(shim_record_profile(&rec, &opt, &out, NULL, &err), 0);
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
	struct shim_record_options opt = { .merge = old, .errno_ret = EPERM, .command = "true" };
	ck_assert_int_eq(shim_record_profile(&rec, &opt, &out, NULL, &err), 0);
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

/* The rules of p for name, as "index op value [valueTwo]" in order. */
static void rules_for(const struct shim_profile *p, const char *name, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct shim_rule *r = &p->rules[i];
		bool named = false;
		for (size_t j = 0; j < r->n_names; j++)
			named |= strcmp(r->names[j], name) == 0;
		if (!named || r->action.kind != SHIM_ACT_ALLOW)
			continue;
		if (r->n_args == 0)
			used += (size_t)snprintf(buf + used, len - used, "any;");
		for (size_t j = 0; j < r->n_args; j++)
			used += (size_t)snprintf(buf + used, len - used, "%u %s 0x%llx 0x%llx;",
						 r->args[j].index,
						 r->args[j].op == SHIM_OP_EQ ? "==" : r->args[j].op == SHIM_OP_MASKED_EQ ? "&" : "?",
						 (unsigned long long)r->args[j].value,
						 (unsigned long long)r->args[j].value_two);
	}
}

static bool in_names(const struct shim_profile *p, const char *name)
{
	for (size_t j = 0; p->n_rules && j < p->rules[0].n_names; j++)
		if (strcmp(p->rules[0].names[j], name) == 0)
			return true;
	return false;
}

/* Calls whose danger is in an argument: one rule per value seen, or any
 * (--wide, or too many values). A made-up recording, no run. */
START_TEST(record_narrow)
{
	const uint32_t native = seccomp_arch_native();
	const int sock = seccomp_syscall_resolve_name("socket");
	const int ioctl_nr = seccomp_syscall_resolve_name("ioctl");
	const int clone_nr = seccomp_syscall_resolve_name("clone");
	struct shim_recording rec;
	struct shim_error err = { 0 };
	struct shim_warnings warn = { 0 };
	struct shim_text out = { 0 }, again = { 0 };
	struct shim_record_options opt = { .errno_ret = EPERM };
	struct shim_profile *p, *q;
	char buf[512];

	ck_assert_int_eq(shim_recording_init(&rec, &err), 0);
	shim_recording_add(&rec, native, sock, (uint64_t[6]){ 10, 1 });
	shim_recording_add(&rec, native, sock, (uint64_t[6]){ 2, 1 });
	shim_recording_add(&rec, native, sock, (uint64_t[6]){ 2, 2 });
	shim_recording_add(&rec, native, clone_nr, (uint64_t[6]){ 0x10000000 | 17 });
	shim_recording_add(&rec, native, seccomp_syscall_resolve_name("personality"), (uint64_t[6]){ 0xffffffff });
	shim_recording_add(&rec, native, seccomp_syscall_resolve_name("unshare"), (uint64_t[6]){ 0x20000 });
	shim_recording_add(&rec, native, seccomp_syscall_resolve_name("getpid"), (uint64_t[6]){ 7 });
	ck_assert_int_eq(rec.n, 5);
	ck_assert_int_eq(rec.total, 7);
	ck_assert_int_eq(shim_record_profile(&rec, &opt, &out, &warn, &err), 0);
	p = parse_ok(out.s);
	ck_assert(!in_names(p, "socket") && !in_names(p, "clone") && in_names(p, "getpid"));
	rules_for(p, "socket", buf, sizeof(buf));
	ck_assert_str_eq(buf, "0 == 0x2 0x0;0 == 0xa 0x0;");
	rules_for(p, "clone", buf, sizeof(buf));
	ck_assert_str_eq(buf, "0 & 0x7e020000 0x0;0 & 0x7e020000 0x10000000;");
	rules_for(p, "personality", buf, sizeof(buf));
	ck_assert_str_eq(buf, "0 == 0xffffffff 0x0;");
	rules_for(p, "unshare", buf, sizeof(buf));
	ck_assert_str_eq(buf, "0 == 0x20000 0x0;");
	rules_for(p, "ioctl", buf, sizeof(buf));
	ck_assert_str_eq(buf, ""); /* not called: not allowed */
	ck_assert_int_eq(warn.n, 0);

	/* Merged with the same run again: nothing to add, no rule repeated. */
	opt.merge = p;
	ck_assert_int_eq(shim_record_profile(&rec, &opt, &again, NULL, &err), 0);
	q = parse_ok(again.s);
	ck_assert_int_eq(q->n_rules, p->n_rules);
	shim_profile_free(q);
	shim_text_free(&again);
	shim_recording_add(&rec, native, sock, (uint64_t[6]){ 1, 1 });
	ck_assert_int_eq(shim_record_profile(&rec, &opt, &again, NULL, &err), 0);
	q = parse_ok(again.s);
	ck_assert_int_eq(q->n_rules, p->n_rules + 1); /* socket(AF_UNIX) only */
	rules_for(q, "socket", buf, sizeof(buf));
	ck_assert_str_eq(buf, "0 == 0x2 0x0;0 == 0xa 0x0;0 == 0x1 0x0;");
	shim_profile_free(q);
	shim_text_free(&again);
	opt.merge = NULL;

	/* --wide: by name, as before; clone seen with a namespace flag too. */
	opt.wide = true;
	ck_assert_int_eq(shim_record_profile(&rec, &opt, &again, NULL, &err), 0);
	q = parse_ok(again.s);
	ck_assert(in_names(q, "socket") && in_names(q, "clone") && in_names(q, "personality"));
	rules_for(q, "socket", buf, sizeof(buf));
	ck_assert_str_eq(buf, "any;");
	rules_for(q, "clone", buf, sizeof(buf));
	ck_assert_str_eq(buf, "any;");
	shim_profile_free(q);
	shim_text_free(&again);
	opt.wide = false;

	/* More values than are kept: allowed for any, and said so. */
	for (uint64_t r = 0; r <= SHIM_RECORD_MAX_VALUES; r++)
		shim_recording_add(&rec, native, ioctl_nr, (uint64_t[6]){ 1, 0x5400 + r });
	ck_assert_int_eq(shim_record_profile(&rec, &opt, &again, &warn, &err), 0);
	q = parse_ok(again.s);
	ck_assert(in_names(q, "ioctl") && !in_names(q, "socket"));
	ck_assert_int_eq(warn.n, 1);
	ck_assert_msg(strstr(warn.v[0].message, "ioctl was called with more than 64 different values of argument 1"), "%s", warn.v[0].message);
	shim_profile_free(q);
	shim_text_free(&again);

	shim_warnings_free(&warn);
	shim_profile_free(p);
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
	tcase_add_test(tc, record_narrow);
	suite_add_tcase(s, tc);
	return s;
}
