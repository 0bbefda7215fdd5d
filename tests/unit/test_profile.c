/* parse: valid input in every accepted form, and each rejection with its
 * exact message (file:line:column, JSON path, what was expected). */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "suites.h"
#include "../../shim/diag.h"

START_TEST(podman_errno_strings)
{
	struct shim_profile *p = parse_ok(
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38,"
		" \"defaultErrno\": \"ENOSYS\", \"syscalls\": [{\"names\": [\"bpf\"],"
		" \"action\": \"SCMP_ACT_ERRNO\", \"errno\": \"EPERM\", \"args\": null,"
		" \"includes\": {}, \"excludes\": null, \"comment\": \"\"}]}");

	ck_assert_int_eq(p->default_action.kind, SHIM_ACT_ERRNO);
	ck_assert_uint_eq(p->default_action.errno_ret, ENOSYS);
	ck_assert_uint_eq(p->n_rules, 1);
	ck_assert_uint_eq(p->rules[0].action.errno_ret, EPERM);
	ck_assert_uint_eq(p->rules[0].n_args, 0);
	shim_profile_free(p);
}
END_TEST

START_TEST(defaults_and_old_name_form)
{
	struct shim_profile *p = parse_ok(
		"{\"defaultAction\": \"SCMP_ACT_KILL\", \"architectures\": [\"SCMP_ARCH_X86_64\"],"
		" \"syscalls\": [{\"name\": \"read\", \"action\": \"SCMP_ACT_ERRNO\"},"
		" {\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_TRACE\", \"errnoRet\": 7}]}");

	ck_assert_int_eq(p->default_action.kind, SHIM_ACT_KILL_THREAD);
	ck_assert(!p->has_flags);
	ck_assert(p->rules[0].single_name);
	ck_assert_str_eq(p->rules[0].names[0], "read");
	ck_assert_uint_eq(p->rules[0].action.errno_ret, EPERM); /* runc's default */
	ck_assert_uint_eq(p->rules[1].action.errno_ret, 7);
	ck_assert_ptr_eq(p->architectures[0], shim_arch_by_oci("SCMP_ARCH_X86_64"));
	shim_profile_free(p);
}
END_TEST

START_TEST(args_and_conditions)
{
	struct shim_profile *p = parse_ok(
		"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"flags\": [],"
		" \"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\","
		" \"subArchitectures\": [\"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"]}],"
		" \"syscalls\": [{\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\","
		" \"args\": [{\"index\": 0, \"value\": 2114060288, \"valueTwo\": 0,"
		" \"op\": \"SCMP_CMP_MASKED_EQ\"}, {\"index\": 5, \"value\": 9223372036854775807,"
		" \"op\": \"SCMP_CMP_LE\"}],"
		" \"excludes\": {\"caps\": [\"sys_admin\", \"CAP_SYS_PTRACE\"], \"arches\": [\"s390\", \"386\"]},"
		" \"includes\": {\"minKernel\": \"4.8\"}}]}");
	const struct shim_rule *r = &p->rules[0];

	ck_assert(p->has_flags);
	ck_assert_uint_eq(p->flags, 0);
	ck_assert_uint_eq(p->n_arch_map, 1);
	ck_assert_uint_eq(p->arch_map[0].n_sub, 2);
	ck_assert_uint_eq(r->n_args, 2);
	ck_assert_int_eq(r->args[0].op, SHIM_OP_MASKED_EQ);
	ck_assert_uint_eq(r->args[0].value, 2114060288u);
	ck_assert_uint_eq(r->args[1].index, 5);
	ck_assert_uint_eq(r->args[1].value, 9223372036854775807ull);
	ck_assert_uint_eq(r->excludes.caps, (1ull << 21) | (1ull << 19));
	ck_assert_str_eq(r->excludes.arches[1]->oci, "SCMP_ARCH_X86");
	ck_assert(r->includes.has_min_kernel);
	ck_assert_uint_eq(r->includes.min_kernel_major, 4);
	ck_assert_uint_eq(r->includes.min_kernel_minor, 8);
	shim_profile_free(p);
}
END_TEST

START_TEST(unknown_top_level_key_warns)
{
	const char *text = "{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n \"defaultaction2\": 1}";
	struct shim_profile *p = NULL;
	struct shim_error err = { 0 };
	struct shim_warnings w = { 0 };

	ck_assert_int_eq(shim_profile_parse("t.json", text, strlen(text), &p, &w, &err), 0);
	ck_assert_uint_eq(w.n, 1);
	ck_assert_str_eq(w.v[0].code, "unknown-key");
	ck_assert_str_eq(w.v[0].file, "t.json");
	ck_assert_uint_eq(w.v[0].line, 2);
	ck_assert_uint_eq(w.v[0].col, 2);
	ck_assert_str_eq(w.v[0].path, "defaultaction2");
	ck_assert_str_eq(diag_warning_text(&w, 0), "t.json:2:2: defaultaction2: unknown key \"defaultaction2\" ignored "
				    "(known: defaultAction, defaultErrnoRet, defaultErrno, architectures, "
				    "archMap, flags, listenerPath, listenerMetadata, syscalls, comment)");
	shim_warnings_free(&w);
	shim_profile_free(p);
}
END_TEST

static const struct {
	const char *text, *msg;
} bad_inputs[] = {
	{ "", "t.json:1:1: the file is empty (expected a JSON object with \"defaultAction\")" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\"", "t.json:1:34: defaultAction: invalid JSON: '}' expected near end of file" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": {}}",
	  "t.json:1:49: syscalls: expected an array, found an object" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [3]}",
	  "t.json:1:50: syscalls[0]: expected an object {names, action, args, ...}, found an integer" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [1], \"action\": \"SCMP_ACT_ERRNO\"}]}",
	  "t.json:1:61: syscalls[0].names[0]: expected a string, found an integer" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"\"], \"action\": \"SCMP_ACT_ERRNO\"}]}",
	  "t.json:1:61: syscalls[0].names[0]: empty syscall name" },
	/* Groups are for seccomp-shim new: runc would skip them as unknown
	 * names, and the allow-list would lose what they stand for. */
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"execve\", \"@system-service\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
	  "t.json:1:71: syscalls[0].names[1]: \"@system-service\" is a syscall group: a profile holds syscall names only (runc and Docker would skip it as an unknown syscall); write the names with seccomp-shim new --allow @system-service -o FILE" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"name\": \"@mounts\", \"action\": \"SCMP_ACT_ERRNO\"}]}",
	  "t.json:1:59: syscalls[0].name: \"@mounts\" is not a syscall name (names starting with @ are syscall groups for seccomp-shim new, which writes profiles from them; seccomp-shim new --list shows them)" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"]}]}",
	  "t.json:1:50: syscalls[0]: missing \"action\": runc and Docker refuse an entry without one; add \"action\": \"SCMP_ACT_ALLOW\" (or the action you mean)" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\","
	  " \"args\": [{\"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}",
	  "t.json:1:107: syscalls[0].args[0]: missing \"index\" (the argument number, 0 to 5)" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\","
	  " \"args\": [{\"index\": 0, \"value\": -1, \"op\": \"SCMP_CMP_EQ\"}]}]}",
	  "t.json:1:129: syscalls[0].args[0].value: expected a non-negative integer, found -1" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\","
	  " \"args\": [{\"index\": 0, \"value\": \"1\", \"op\": \"SCMP_CMP_EQ\"}]}]}",
	  "t.json:1:129: syscalls[0].args[0].value: expected a non-negative integer, found a string" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\","
	  " \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_EQ\", \"valuetwo\": 1}]}]}",
	  "t.json:1:141: syscalls[0].args[0].valuetwo: key \"valuetwo\" must be spelled \"valueTwo\" (keys are case-sensitive)" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"archMap\": [{\"architecture\": \"SCMP_ARCH_VAX\"}]}",
	  "t.json:1:66: archMap[0].architecture: unknown architecture \"SCMP_ARCH_VAX\" (expected SCMP_ARCH_X86_64, SCMP_ARCH_AARCH64, ...)" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"archMap\": [{\"subArchitectures\": []}]}",
	  "t.json:1:49: archMap[0]: missing \"architecture\"" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\","
	  " \"includes\": {\"minKernel\": \"4\"}}]}",
	  "t.json:1:124: syscalls[0].includes.minKernel: invalid kernel version \"4\" (expected \"X.Y\", like \"4.8\")" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\","
	  " \"includes\": {\"minKernel\": \"v4.8\"}}]}",
	  "t.json:1:124: syscalls[0].includes.minKernel: invalid kernel version \"v4.8\" (expected \"X.Y\", like \"4.8\")" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\","
	  " \"includes\": {\"kernel\": \"4.8\"}}]}",
	  "t.json:1:111: syscalls[0].includes.kernel: unknown key \"kernel\" (expected one of: caps, arches, minKernel)" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerMetadata\": \"x\"}",
	  "t.json:1:37: listenerMetadata: listenerMetadata needs listenerPath" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_LOG\","
	  " \"errno\": \"EPERM\"}]}",
	  "t.json:1:105: syscalls[0].errno: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno; remove it or change the action (SCMP_ACT_LOG; runc would ignore it, but the OCI runtime spec says to fail)" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"x\": \"\\u0000\"}",
	  "t.json:1:49: x: invalid JSON: \\u0000 is not allowed without JSON_ALLOW_NUL near '\"\\u0000\"'" },
	/* Syntax errors name the field being read. */
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"a\", \"\xff\"]}]}",
	  "t.json:1:66: syscalls[0].names[1]: invalid JSON: unable to decode byte 0xff near '\"'" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{}, {\"args\": [{\"index\": 1,, }]}]}",
	  "t.json:1:76: syscalls[1].args[0].index: invalid JSON: string or '}' expected near ','" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1e999}",
	  "t.json:1:60: defaultErrnoRet: invalid JSON: real number overflow near '1e999'" },
	{ "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 2.0}",
	  "t.json:1:56: defaultErrnoRet: expected a non-negative integer, found the fractional number 2.0" },
	{ "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\", 2]}",
	  "t.json:1:74: flags[1]: expected a string, found an integer" },
};

START_TEST(rejections)
{
	struct shim_profile *p = NULL;
	struct shim_error err = { 0 };
	const char *text = bad_inputs[_i].text;

	ck_assert_int_lt(shim_profile_parse("t.json", text, strlen(text), &p, NULL, &err), 0);
	ck_assert_ptr_null(p);
	/* The record has the place; shim/ writes the line. */
	ck_assert_str_eq(err.file, "t.json");
	ck_assert_ptr_nonnull(err.diag_code);
	ck_assert_str_eq(diag_error_text(&err), bad_inputs[_i].msg);
}
END_TEST

START_TEST(where_finds_paths)
{
	struct shim_profile *p = parse_ok("{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n"
					  "  \"syscalls\": [\n"
					  "    {\"names\": [\"a\", \"b\\u0063\"], \"action\": \"SCMP_ACT_ERRNO\"}]}");
	char buf[128];

	shim_profile_where(p, "syscalls[0].names[1]", buf, sizeof(buf));
	ck_assert_str_eq(buf, "t.json:3:21");
	shim_profile_where(p, "syscalls[0].action", buf, sizeof(buf));
	ck_assert_str_eq(buf, "t.json:3:43");
	/* A path that goes nowhere points at the deepest part that exists. */
	shim_profile_where(p, "syscalls[7].names[0]", buf, sizeof(buf));
	ck_assert_str_eq(buf, "t.json:2:15");
	shim_profile_free(p);
}
END_TEST

START_TEST(load_reads_files)
{
	struct shim_profile *p = NULL;
	struct shim_error err = { 0 };
	char path[] = "/tmp/shim-unit-XXXXXX";
	int fd = mkstemp(path);
	const char *text = "{\"defaultAction\": \"SCMP_ACT_LOG\"}";

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
	ck_assert_int_eq(shim_profile_load(path, &p, NULL, &err), 0);
	ck_assert_int_eq(p->default_action.kind, SHIM_ACT_LOG);
	shim_profile_free(p);
	unlink(path);
	ck_assert_int_lt(shim_profile_load(path, &p, NULL, &err), 0);
	ck_assert_int_eq(err.code, ENOENT);
	ck_assert_int_lt(shim_profile_load("/dev/zero", &p, NULL, &err), 0);
	ck_assert_str_eq(diag_error_text(&err), "/dev/zero: is a character device; a profile must be a regular JSON file");
}
END_TEST

Suite *profile_suite(void)
{
	Suite *s = suite_create("profile");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, podman_errno_strings);
	tcase_add_test(tc, defaults_and_old_name_form);
	tcase_add_test(tc, args_and_conditions);
	tcase_add_test(tc, unknown_top_level_key_warns);
	tcase_add_loop_test(tc, rejections, 0, sizeof(bad_inputs) / sizeof(bad_inputs[0]));
	tcase_add_test(tc, where_finds_paths);
	tcase_add_test(tc, load_reads_files);
	suite_add_tcase(s, tc);
	return s;
}
