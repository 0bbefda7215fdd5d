/* The built-in profiles as the build made them (lib/builtin.c, from
 * gen/gen-builtin): the data parsed at build time is what parsing the
 * embedded text gives now, and every program compiled at build time is,
 * byte for byte, what compiling here gives for what it was made for. */
#include <seccomp.h>
#include <linux/capability.h>
#include <linux/seccomp.h>

#include "suites.h"
#include "internal.h"

#define ALL_FLAGS \
	(SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW)

static void same_arches(const struct shim_arch_info *const *a, const struct shim_arch_info *const *b,
			size_t n)
{
	for (size_t i = 0; i < n; i++)
		ck_assert_ptr_eq(a[i], b[i]);
}

static void same_condition(const struct shim_condition *a, const struct shim_condition *b)
{
	ck_assert_uint_eq(a->n_arches, b->n_arches);
	same_arches(a->arches, b->arches, a->n_arches);
	ck_assert_uint_eq(a->caps, b->caps);
	ck_assert_int_eq(a->has_caps, b->has_caps);
	ck_assert_int_eq(a->has_min_kernel, b->has_min_kernel);
	ck_assert_uint_eq(a->min_kernel_major, b->min_kernel_major);
	ck_assert_uint_eq(a->min_kernel_minor, b->min_kernel_minor);
}

static void same_action(const struct shim_action *a, const struct shim_action *b)
{
	ck_assert_int_eq(a->kind, b->kind);
	ck_assert_uint_eq(a->errno_ret, b->errno_ret);
	ck_assert_int_eq(a->kill_alias, b->kill_alias);
}

static void same_rule(const struct shim_rule *a, const struct shim_rule *b)
{
	ck_assert_uint_eq(a->n_names, b->n_names);
	for (size_t j = 0; j < a->n_names; j++)
		ck_assert_str_eq(a->names[j], b->names[j]);
	ck_assert_int_eq(a->single_name, b->single_name);
	same_action(&a->action, &b->action);
	ck_assert_uint_eq(a->n_args, b->n_args);
	for (size_t k = 0; k < a->n_args; k++) {
		ck_assert_uint_eq(a->args[k].index, b->args[k].index);
		ck_assert_uint_eq(a->args[k].value, b->args[k].value);
		ck_assert_uint_eq(a->args[k].value_two, b->args[k].value_two);
		ck_assert_int_eq(a->args[k].op, b->args[k].op);
	}
	same_condition(&a->includes, &b->includes);
	same_condition(&a->excludes, &b->excludes);
	ck_assert_uint_eq(a->src_index, b->src_index);
}

START_TEST(parsed_at_build_time)
{
	for (size_t i = 0; i < shim_builtin_count(); i++) {
		struct shim_builtin b;
		struct shim_profile *p = NULL, *s;
		struct shim_error err = { 0 };
		struct shim_warnings w = { 0 };

		ck_assert_int_eq(shim_builtin_at(i, &b), 0);
		s = b.profile;
		ck_assert_ptr_nonnull(s);
		ck_assert(s->is_static);
		ck_assert_int_eq(shim_profile_parse(b.name, b.text, b.len, &p, &w, &err), 0);
		ck_assert_uint_eq(w.n, 0);
		ck_assert_str_eq(s->path, p->path);
		/* The embedded text itself, not a copy. */
		ck_assert_ptr_eq(s->text, b.text);
		ck_assert_uint_eq(s->text_len, p->text_len);
		ck_assert_int_eq(memcmp(s->text, p->text, p->text_len), 0);
		same_action(&s->default_action, &p->default_action);
		ck_assert_uint_eq(s->n_architectures, p->n_architectures);
		same_arches(s->architectures, p->architectures, p->n_architectures);
		ck_assert_uint_eq(s->n_arch_map, p->n_arch_map);
		for (size_t m = 0; m < p->n_arch_map; m++) {
			ck_assert_ptr_eq(s->arch_map[m].arch, p->arch_map[m].arch);
			ck_assert_uint_eq(s->arch_map[m].n_sub, p->arch_map[m].n_sub);
			same_arches(s->arch_map[m].sub, p->arch_map[m].sub, p->arch_map[m].n_sub);
		}
		ck_assert_int_eq(s->has_flags, p->has_flags);
		ck_assert_uint_eq(s->flags, p->flags);
		ck_assert_int_eq(s->listener_path == NULL, p->listener_path == NULL);
		ck_assert_int_eq(s->listener_metadata == NULL, p->listener_metadata == NULL);
		ck_assert_uint_eq(s->n_rules, p->n_rules);
		for (size_t r = 0; r < p->n_rules; r++)
			same_rule(&s->rules[r], &p->rules[r]);
		shim_profile_free(p);
		shim_profile_free(s); /* leaves it alone */
		ck_assert_uint_eq(s->n_rules, b.profile->n_rules);
	}
}
END_TEST

/* The builtin a program was made for, by its text. */
static void builtin_of(const struct shim_precompiled *pc, struct shim_builtin *out)
{
	for (size_t i = 0; i < shim_builtin_count(); i++)
		if (shim_builtin_at(i, out) == 0 && out->text_index == pc->text_index)
			return;
	ck_abort_msg("no built-in profile has text %u", pc->text_index);
}

START_TEST(precompiled_is_what_compiling_gives)
{
	const struct shim_precompiled *v;
	size_t n = shim_builtin_programs(&v);
	const struct shim_compile_options opt = { 0 };

	ck_assert_uint_ge(n, 4); /* runtime/default: no caps, Docker's, all; audit */
	for (size_t i = 0; i < n; i++) {
		const struct shim_precompiled *pc = &v[i];
		/* At the lowest kernel it holds for, and a much newer one. */
		const unsigned kernels[2][2] = { { pc->min_kernel_major, pc->min_kernel_minor }, { 99, 0 } };
		struct shim_builtin b;

		builtin_of(pc, &b);
		ck_assert_uint_eq(pc->arch, shim_arch_native()->token);
		for (int k = 0; k < 2; k++) {
			struct shim_host host = { .arch = shim_arch_native(), .kernel_major = kernels[k][0],
						  .kernel_minor = kernels[k][1], .bounding = pc->caps,
						  .supported_flags = ALL_FLAGS };
			struct shim_profile *p = NULL;
			struct shim_policy pol;
			struct shim_filter here, built;
			struct shim_error err = { 0 };
			struct shim_seccomp_data differing;
			size_t inputs = 0;

			ck_assert_int_eq(shim_profile_parse(b.name, b.text, b.len, &p, NULL, &err), 0);
			ck_assert_int_eq(shim_resolve(p, &host, &pol, NULL, &err), 0);
			ck_assert_int_eq(shim_compile(p, &pol, &opt, &here, NULL, &err), 0);
			ck_assert_int_eq(shim_builtin_precompiled(&b, &host, &opt, &built), 1);
			ck_assert_uint_eq(built.n_insns, here.n_insns);
			ck_assert_int_eq(memcmp(built.insns, here.insns, here.n_insns * sizeof(here.insns[0])), 0);
			ck_assert_uint_eq(built.flags, here.flags);
			ck_assert_int_eq(built.by_libseccomp, here.by_libseccomp);
			ck_assert_int_eq(shim_filter_equivalent(&pol, &here, &built, &differing, &inputs, &err), 1);
			shim_filter_free(&here);
			shim_filter_free(&built);
			shim_policy_free(&pol);
			shim_profile_free(p);
		}
	}
}
END_TEST

START_TEST(precompiled_only_where_it_holds)
{
	struct shim_builtin b;
	struct shim_filter f;
	uint64_t docker = 1ULL << CAP_CHOWN | 1ULL << CAP_DAC_OVERRIDE | 1ULL << CAP_FSETID |
			  1ULL << CAP_FOWNER | 1ULL << CAP_MKNOD | 1ULL << CAP_NET_RAW |
			  1ULL << CAP_SETGID | 1ULL << CAP_SETUID | 1ULL << CAP_SETFCAP |
			  1ULL << CAP_SETPCAP | 1ULL << CAP_NET_BIND_SERVICE | 1ULL << CAP_SYS_CHROOT |
			  1ULL << CAP_KILL | 1ULL << CAP_AUDIT_WRITE;
	struct shim_host host = { .arch = shim_arch_native(), .kernel_major = 6, .kernel_minor = 1,
				  .supported_flags = ALL_FLAGS };
	struct shim_compile_options linear = { .linear = true }, libseccomp = { .libseccomp = true };

	ck_assert_int_eq(shim_builtin_find("runtime/default", &b), 0);
	/* The three sets a container starts with, and any set that agrees
	 * with one of them on the capabilities the profile names. */
	const uint64_t hits[] = { 0, docker, (1ULL << SHIM_CAP_COUNT) - 1, 1ULL << CAP_CHOWN,
				  docker | 1ULL << CAP_WAKE_ALARM };
	for (size_t i = 0; i < sizeof(hits) / sizeof(hits[0]); i++) {
		host.bounding = hits[i];
		ck_assert_int_eq(shim_builtin_precompiled(&b, &host, NULL, &f), 1);
		ck_assert_uint_eq(f.flags, SECCOMP_FILTER_FLAG_SPEC_ALLOW);
		shim_filter_free(&f);
	}
	host.bounding = docker | 1ULL << CAP_SYS_ADMIN;
	ck_assert_int_eq(shim_builtin_precompiled(&b, &host, NULL, &f), 0);
	ck_assert_ptr_null(f.insns);
	host.bounding = 0;
	ck_assert_int_eq(shim_builtin_precompiled(&b, &host, &linear, &f), 0);
	ck_assert_int_eq(shim_builtin_precompiled(&b, &host, &libseccomp, &f), 0);
	/* Below a minKernel the profile names, rules resolve otherwise. */
	host.kernel_major = 4;
	host.kernel_minor = 4;
	ck_assert_int_eq(shim_builtin_precompiled(&b, &host, NULL, &f), 0);
	host.kernel_major = 6;
	host.arch = shim_arch_by_oci(shim_arch_native()->token == SCMP_ARCH_AARCH64 ? "SCMP_ARCH_X86_64"
										 : "SCMP_ARCH_AARCH64");
	ck_assert_int_eq(shim_builtin_precompiled(&b, &host, NULL, &f), 0);
	/* No SPEC_ALLOW here: the filter goes without, as resolve decides. */
	host.arch = shim_arch_native();
	host.supported_flags = SECCOMP_FILTER_FLAG_TSYNC;
	ck_assert_int_eq(shim_builtin_precompiled(&b, &host, NULL, &f), 1);
	ck_assert_uint_eq(f.flags, 0);
	shim_filter_free(&f);
}
END_TEST

START_TEST(sources)
{
	struct shim_source src;
	struct shim_profile *p = NULL;
	struct shim_builtin b;
	enum shim_ref_kind kind;
	struct shim_error err = { 0 };

	/* A built-in source is the embedded text, and its profile the one
	 * parsed at build time. */
	ck_assert_int_eq(shim_source_read("RuntimeDefault", NULL, &src, &kind, &err), 0);
	ck_assert_int_eq(kind, SHIM_REF_BUILTIN);
	ck_assert(src.builtin);
	ck_assert_int_eq(shim_builtin_find("RuntimeDefault", &b), 0);
	ck_assert_ptr_eq(src.text, b.text);
	ck_assert_int_eq(shim_source_profile(&src, &p, NULL, &err), 0);
	ck_assert_ptr_eq(p, b.profile);
	ck_assert_str_eq(p->path, "RuntimeDefault");
	shim_profile_free(p);
	shim_source_free(&src);
}
END_TEST

Suite *builtin_suite(void)
{
	Suite *s = suite_create("builtin");
	TCase *tc = tcase_create("builtin");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, parsed_at_build_time);
	tcase_add_test(tc, precompiled_is_what_compiling_gives);
	tcase_add_test(tc, precompiled_only_where_it_holds);
	tcase_add_test(tc, sources);
	suite_add_tcase(s, tc);
	return s;
}
