/* Unit tests: one Check suite per lib/ module, and one for the command line. */
#include "suites.h"

struct shim_profile *parse_ok(const char *text)
{
	struct shim_profile *p = NULL;
	struct shim_error err = { 0 };
	struct shim_warnings w = { 0 };

	if (shim_profile_parse("t.json", text, strlen(text), &p, &w, &err) < 0)
		ck_abort_msg("parse failed: %s", err.msg);
	shim_warnings_free(&w);
	return p;
}

int main(void)
{
	SRunner *sr = srunner_create(profile_suite());
	int failed;

	srunner_add_suite(sr, resolve_suite());
	srunner_add_suite(sr, compile_suite());
	srunner_add_suite(sr, bpf_suite());
	srunner_add_suite(sr, caps_suite());
	srunner_add_suite(sr, exec_suite());
	srunner_add_suite(sr, identity_suite());
	srunner_add_suite(sr, inspect_suite());
	srunner_add_suite(sr, oci_suite());
	srunner_add_suite(sr, record_suite());
	srunner_add_suite(sr, bpfgen_suite());
	srunner_add_suite(sr, bpfasm_suite());
	srunner_add_suite(sr, export_suite());
	srunner_add_suite(sr, lint_suite());
	srunner_add_suite(sr, refeval_suite());
	srunner_add_suite(sr, groups_suite());
	srunner_add_suite(sr, syscalls_suite());
	srunner_add_suite(sr, builtin_suite());
	srunner_add_suite(sr, cli_suite());
	srunner_add_suite(sr, scmpdb_suite());
	srunner_add_suite(sr, supervise_suite());
	srunner_add_suite(sr, procfilter_suite());
	srunner_add_suite(sr, nodepolicy_suite());
	srunner_add_suite(sr, admission_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
