/* PATH lookup with execvp's rules and env(1)'s exit codes. */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "suites.h"

static char dir[] = "/tmp/shim-path-XXXXXX";

static void make_file(const char *name, mode_t mode)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("#!/bin/sh\n", f);
	fclose(f);
	chmod(path, mode);
}

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	make_file("tool", 0755);
	make_file("data", 0644);
}

static void teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(finds_in_path)
{
	struct shim_error err = { 0 };
	char path_env[300], expected[300], *out = NULL;

	snprintf(path_env, sizeof(path_env), "/nonexistent:%s:/bin", dir);
	snprintf(expected, sizeof(expected), "%s/tool", dir);
	ck_assert_int_eq(shim_find_program("tool", path_env, &out, &err), 0);
	ck_assert_str_eq(out, expected);
	free(out);
	ck_assert_int_eq(shim_find_program(expected, "", &out, &err), 0);
	ck_assert_str_eq(out, expected);
	free(out);
}
END_TEST

START_TEST(not_found_is_127_not_executable_is_126)
{
	struct shim_error err = { 0 };
	char path_env[300], file[300], *out = NULL;

	snprintf(path_env, sizeof(path_env), "%s", dir);
	ck_assert_int_lt(shim_find_program("missing", path_env, &out, &err), 0);
	ck_assert_int_eq(err.exit_code, SHIM_EXIT_NOTFOUND);
	ck_assert_int_lt(shim_find_program("data", path_env, &out, &err), 0);
	ck_assert_int_eq(err.exit_code, SHIM_EXIT_NOEXEC);
	ck_assert_str_eq(err.msg, "data: found in PATH but not executable");
	snprintf(file, sizeof(file), "%s/data", dir);
	ck_assert_int_lt(shim_find_program(file, NULL, &out, &err), 0);
	ck_assert_int_eq(err.exit_code, SHIM_EXIT_NOEXEC);
	ck_assert_int_lt(shim_find_program(dir, NULL, &out, &err), 0);
	ck_assert_int_eq(err.exit_code, SHIM_EXIT_NOEXEC);
	ck_assert_int_lt(shim_find_program("", NULL, &out, &err), 0);
	ck_assert_int_eq(err.exit_code, SHIM_EXIT_NOTFOUND);
}
END_TEST

START_TEST(empty_path_element_is_cwd)
{
	struct shim_error err = { 0 };
	char *out = NULL, cwd[300];

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_int_eq(shim_find_program("tool", "/nonexistent:", &out, &err), 0);
	ck_assert_str_eq(out, "./tool");
	free(out);
	ck_assert_int_eq(chdir(cwd), 0);
}
END_TEST

static struct shim_filter filter_for(const char *text)
{
	struct shim_host h = { .arch = shim_arch_native(), .kernel_major = 6, .kernel_minor = 1 };
	struct shim_profile *p = parse_ok(text);
	struct shim_policy pol = { 0 };
	struct shim_filter f = { 0 };
	struct shim_error err = { 0 };

	ck_assert_msg(shim_resolve(p, &h, &pol, NULL, &err) == 0, "%s", err.msg);
	ck_assert_msg(shim_compile(p, &pol, NULL, &f, NULL, &err) == 0, "%s", err.msg);
	shim_policy_free(&pol);
	shim_profile_free(p);
	return f;
}

/* A dynamically linked program (or a script run by one) whose loader gets
 * no memory dies with SIGSEGV before main: refused beforehand. */
START_TEST(loader_needs_mmap)
{
	struct shim_filter no_mmap = filter_for("{\"defaultAction\": \"SCMP_ACT_ERRNO\","
		" \"syscalls\": [{\"names\": [\"execve\"], \"action\": \"SCMP_ACT_ALLOW\"}]}");
	struct shim_filter with_mmap = filter_for("{\"defaultAction\": \"SCMP_ACT_ERRNO\","
		" \"syscalls\": [{\"names\": [\"execve\", \"mmap\", \"mmap2\"], \"action\": \"SCMP_ACT_ALLOW\"}]}");
	struct shim_error err = { 0 };
	char script[300];

	ck_assert_int_lt(shim_filter_check_loader(&no_mmap, "/bin/sh", &err), 0);
	ck_assert_msg(strstr(err.msg, "which the dynamic loader of /bin/sh (") &&
		      strstr(err.msg, ") needs before the program starts: it would die with SIGSEGV"),
		      "%s", err.msg);
	snprintf(script, sizeof(script), "%s/tool", dir); /* "#!/bin/sh" */
	ck_assert_int_lt(shim_filter_check_loader(&no_mmap, script, &err), 0);
	ck_assert_int_eq(shim_filter_check_loader(&with_mmap, "/bin/sh", &err), 0);
	/* Not a program, or nothing to read: nothing to say. */
	ck_assert_int_eq(shim_filter_check_loader(&no_mmap, FIXTURES "/passwd", &err), 0);
	ck_assert_int_eq(shim_filter_check_loader(&no_mmap, "/nonexistent", &err), 0);
	/* A static program has no loader. */
	if (access("/bin/busybox", X_OK) == 0 && system("ldd /bin/busybox >/dev/null 2>&1") != 0)
		ck_assert_int_eq(shim_filter_check_loader(&no_mmap, "/bin/busybox", &err), 0);
	shim_filter_free(&no_mmap);
	shim_filter_free(&with_mmap);
}
END_TEST

Suite *exec_suite(void)
{
	Suite *s = suite_create("exec");
	TCase *tc = tcase_create("path lookup");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, finds_in_path);
	tcase_add_test(tc, not_found_is_127_not_executable_is_126);
	tcase_add_test(tc, empty_path_element_is_cwd);
	tcase_add_test(tc, loader_needs_mmap);
	suite_add_tcase(s, tc);
	return s;
}
