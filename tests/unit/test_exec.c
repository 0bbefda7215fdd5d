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

Suite *exec_suite(void)
{
	Suite *s = suite_create("exec");
	TCase *tc = tcase_create("path lookup");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, finds_in_path);
	tcase_add_test(tc, not_found_is_127_not_executable_is_126);
	tcase_add_test(tc, empty_path_element_is_cwd);
	suite_add_tcase(s, tc);
	return s;
}
