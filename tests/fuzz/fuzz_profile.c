/* Fuzz target: bytes -> parse -> resolve -> compile -> BPF interpreter.
 *
 * Besides what the sanitizers catch, two properties are checked:
 *   - every failure leaves a message, and every success leaves no error;
 *   - the compiled program agrees with the policy: a syscall named by
 *     exactly one rule, with no argument conditions, gets that rule's
 *     action on the native arch, and the interpreter accepts our program;
 *   - export --format json and oci compile back to the same verdicts;
 *   - our generator's program gives libseccomp's verdicts (an eighth of
 *     the inputs, chosen by size: the comparison is slow), but where
 *     libseccomp 2.5.4 breaks the rules in a shape it is known to; and
 *     what libseccomp refuses (conflicting rules, EEXIST) or never
 *     finishes adding is refused by compile, whichever program it makes;
 *   - check's lint runs on anything that compiles.
 */
#include <seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seccomp-shim.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_profile: %s: %s\n", what, detail);
	abort();
}

static void expect_message(int rc, const struct shim_error *err, const char *step)
{
	if (rc < 0 && (err->msg[0] == '\0' || memchr(err->msg, '\0', sizeof(err->msg)) == NULL))
		fail(step, "failed without a message");
}

static size_t rules_named(const struct shim_policy *pol, const char *name)
{
	size_t n = 0;

	for (size_t i = 0; i < pol->n_rules; i++)
		n += strcmp(pol->rules[i].name, name) == 0;
	return n;
}

static void check_agreement(const struct shim_policy *pol, const struct shim_filter *f,
			    uint32_t native)
{
	struct shim_seccomp_data d = { .arch = native };
	struct shim_error err = { 0 };
	uint32_t ret;

	for (size_t i = 0; i < pol->n_rules; i++) {
		const struct shim_policy_rule *r = &pol->rules[i];
		int nr = seccomp_syscall_resolve_name_arch(native, r->name);

		if (nr < 0 || r->n_args || rules_named(pol, r->name) != 1)
			continue;
		d.nr = nr;
		if (shim_bpf_run(f->insns, f->n_insns, &d, &ret, &err) < 0)
			fail("the interpreter refused a compiled program", err.msg);
		if (ret != shim_action_ret(&r->action)) {
			char got[64], want[64];
			shim_bpf_ret_format(ret, got, sizeof(got));
			shim_bpf_ret_format(shim_action_ret(&r->action), want, sizeof(want));
			fprintf(stderr, "fuzz_profile: %s: filter gives %s, policy says %s\n",
				r->name, got, want);
			abort();
		}
	}
	/* Numbers no table names, and other arches, must run to a return. */
	for (int nr = -1; nr < 1100; nr += 37) {
		d.nr = nr;
		d.arch = nr & 1 ? native : SCMP_ARCH_AARCH64;
		if (shim_bpf_run(f->insns, f->n_insns, &d, &ret, &err) < 0)
			fail("the interpreter refused a compiled program", err.msg);
	}
}

/* text must compile, for host, to f or a program with its verdicts. */
static void same_program(const char *what, const struct shim_text *text,
			 const struct shim_host *host, const struct shim_compile_options *opt,
			 const struct shim_filter *f)
{
	struct shim_error err = { 0 };
	struct shim_profile *p = NULL;
	struct shim_policy pol;
	struct shim_filter g;

	if (shim_profile_parse("again.json", text->s, text->len, &p, NULL, &err) < 0 ||
	    shim_resolve(p, host, &pol, NULL, &err) < 0)
		fail(what, err.msg);
	if (shim_compile(p, &pol, opt, &g, NULL, &err) < 0)
		fail(what, err.msg);
	/* Rules in another order can give another layout of the same
	 * verdicts: then the verdicts are compared. */
	if (g.n_insns != f->n_insns || memcmp(g.insns, f->insns, g.n_insns * sizeof(g.insns[0]))) {
		struct shim_seccomp_data d;
		size_t inputs;

		if (shim_filter_equivalent(&pol, f, &g, &d, &inputs, &err) != 1)
			fail(what, "compiles to a program with other verdicts");
	}
	shim_filter_free(&g);
	shim_policy_free(&pol);
	shim_profile_free(p);
}

static void check_round_trip(const struct shim_profile *p, const struct shim_policy *pol,
			     const struct shim_host *host, const struct shim_compile_options *opt,
			     const struct shim_filter *f)
{
	struct shim_text json = { 0 }, oci = { 0 };
	struct shim_error err = { 0 };

	if (shim_export_json(p, &json, &err) < 0 || shim_export_oci(pol, &oci, &err) < 0)
		fail("export", err.msg);
	same_program("export --format json", &json, host, opt, f);
	same_program("export --format oci", &oci, host, opt, f);
	shim_text_free(&json);
	shim_text_free(&oci);
}

/* libseccomp 2.5 miscompiles several range tests on one syscall (see
 * tests/unit/test_bpfgen.c): compared only with one range test at most. */
static size_t range_tests(const struct shim_policy *pol)
{
	size_t n = 0;

	for (size_t i = 0; i < pol->n_rules; i++)
		for (size_t j = 0; j < pol->rules[i].n_args; j++)
			n += pol->rules[i].args[j].op != SHIM_OP_EQ &&
			     pol->rules[i].args[j].op != SHIM_OP_MASKED_EQ;
	return n;
}

static void check_against_libseccomp(struct shim_profile *p, const struct shim_policy *pol,
				     const struct shim_filter *ours)
{
	struct shim_seccomp_data d;
	struct shim_filter theirs;
	struct shim_error err = { 0 };
	char where[160];
	size_t inputs;
	int rc;

	if (ours->by_libseccomp)
		return;
	/* libseccomp's tree as it comes: compile would refuse it, or take
	 * its linear program, where it does not follow the rules. Given
	 * every rule, it must accept what compile asked it about in part. */
	if (shim_compile_libseccomp_unchecked(p, pol, false, &theirs, &err) < 0)
		fail("compile accepted what libseccomp refuses", err.msg);
	if (range_tests(pol) > 1) {
		shim_filter_free(&theirs);
		return;
	}
	rc = shim_filter_equivalent(pol, ours, &theirs, &d, &inputs, &err);
	if (rc < 0)
		fail("comparing with libseccomp", err.msg);
	if (rc == 0) {
		struct shim_ref *ref;

		if (shim_ref_new(pol, &ref, &err) < 0)
			fail("comparing with libseccomp", err.msg);
		rc = shim_libseccomp_excused(ref, ours, &theirs, &d, &err);
		shim_ref_free(ref);
		if (rc < 0)
			fail("comparing with libseccomp", err.msg);
	}
	snprintf(where, sizeof(where), "arch 0x%x nr %u args %llx %llx %llx", d.arch,
		 (unsigned)d.nr, (unsigned long long)d.args[0], (unsigned long long)d.args[1],
		 (unsigned long long)d.args[2]);
	if (rc == 0)
		fail("our program and libseccomp's differ", where);
	shim_filter_free(&theirs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct shim_arch_info *native = shim_arch_native();
	struct shim_host host = {
		.arch = native,
		.kernel_major = 6, .kernel_minor = 1,
		.bounding = UINT64_MAX,
		.permitted = UINT64_MAX,
		.supported_flags = 0x3f,
	};
	struct shim_compile_options opt = { .unknown_syscalls_fatal = size & 1 };
	struct shim_warnings warn = { 0 };
	struct shim_error err = { 0 };
	struct shim_profile *p = NULL;
	struct shim_policy pol;
	struct shim_filter f;
	int rc;

	rc = shim_profile_parse("fuzz.json", (const char *)data, size, &p, &warn, &err);
	expect_message(rc, &err, "parse");
	if (rc < 0)
		goto out;
	rc = shim_resolve(p, &host, &pol, &warn, &err);
	expect_message(rc, &err, "resolve");
	if (rc < 0)
		goto out;
	rc = shim_compile(p, &pol, &opt, &f, &warn, &err);
	expect_message(rc, &err, "compile");
	if (rc == 0) {
		struct shim_findings findings = { 0 };

		check_agreement(&pol, &f, native->token);
		shim_lint(p, &pol, &f, native->token, &findings);
		shim_findings_free(&findings);
		check_round_trip(p, &pol, &host, &opt, &f);
		if (size % 8 == 0)
			check_against_libseccomp(p, &pol, &f);
		shim_filter_free(&f);
	}
	shim_policy_free(&pol);
out:
	shim_profile_free(p);
	shim_warnings_free(&warn);
	return 0;
}
