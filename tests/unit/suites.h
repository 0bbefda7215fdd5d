#ifndef SHIM_TEST_SUITES_H
#define SHIM_TEST_SUITES_H

#include <check.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "seccomp-shim.h"

Suite *profile_suite(void);
Suite *resolve_suite(void);
Suite *compile_suite(void);
Suite *bpf_suite(void);
Suite *caps_suite(void);
Suite *exec_suite(void);
Suite *identity_suite(void);
Suite *inspect_suite(void);
Suite *oci_suite(void);
Suite *record_suite(void);
Suite *bpfgen_suite(void);
Suite *bpfasm_suite(void);
Suite *export_suite(void);
Suite *lint_suite(void);
Suite *refeval_suite(void);
Suite *groups_suite(void);
Suite *syscalls_suite(void);
Suite *builtin_suite(void);
Suite *cli_suite(void);
Suite *scmpdb_suite(void);
Suite *supervise_suite(void);
Suite *procfilter_suite(void);
Suite *nodepolicy_suite(void);
Suite *admission_suite(void);

/* Parses text as "t.json"; fails the test on error. */
struct shim_profile *parse_ok(const char *text);

#endif
