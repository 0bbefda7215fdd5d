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

static uint64_t docker_caps(void)
{
	return 1ULL << CAP_CHOWN | 1ULL << CAP_DAC_OVERRIDE | 1ULL << CAP_FSETID |
	       1ULL << CAP_FOWNER | 1ULL << CAP_MKNOD | 1ULL << CAP_NET_RAW | 1ULL << CAP_SETGID |
	       1ULL << CAP_SETUID | 1ULL << CAP_SETFCAP | 1ULL << CAP_SETPCAP |
	       1ULL << CAP_NET_BIND_SERVICE | 1ULL << CAP_SYS_CHROOT | 1ULL << CAP_KILL |
	       1ULL << CAP_AUDIT_WRITE;
}

START_TEST(precompiled_only_where_it_holds)
{
	struct shim_builtin b;
	struct shim_filter f;
	uint64_t docker = docker_caps();
	struct shim_host host = { .arch = shim_arch_native(), .kernel_major = 6, .kernel_minor = 1,
				  .supported_flags = ALL_FLAGS };
	struct shim_compile_options linear = { .linear = true }, libseccomp = { .libseccomp = true };

	ck_assert_int_eq(shim_builtin_find("runtime/default", &b), 0);
	/* The three sets a container starts with, and any set that agrees
	 * with one of them on the capabilities the profile names. */
	const uint64_t hits[] = { 0, docker, shim_caps_all(), UINT64_MAX, 1ULL << CAP_CHOWN,
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
	ck_assert_int_eq(shim_source_profile(&src, &p, NULL, NULL, &err), 0);
	ck_assert_ptr_eq(p, b.profile);
	ck_assert_str_eq(p->path, "RuntimeDefault");
	shim_profile_free(p);
	shim_source_free(&src);
}
END_TEST

/* The programs seccomp-shim made before the built-in profiles were
 * compiled at build time and names came from a table (#16), as SHA-256 of
 * the instructions: the same profile for the same capabilities must still
 * give the same bytes. A deliberate change to the generator updates them
 * (seccomp-shim export PROFILE --format bpf --arch A --caps C | sha256sum). */
#define NONE 0
#define DOCKER 1
#define ALL 2
static const struct {
	const char *profile, *arch;
	int caps;
	size_t n_insns;
	const char *sha256;
} unchanged[] = {
	{ "runtime/default", "SCMP_ARCH_X86_64", NONE, 600,
	  "1bcfecf757191f36540340566b7013a083fcf68b39e06331fdbfd32a880a5cc9" },
	{ "runtime/default", "SCMP_ARCH_X86_64", DOCKER, 596,
	  "ded23dd0c2648e53884a52ccc0821645e464e3273fb1618d78433457c18a9cc8" },
	{ "runtime/default", "SCMP_ARCH_X86_64", ALL, 376,
	  "879c60496ee7767c4485a2b8ff5313b4d26c83d042ff57c0df42f4d6dbff9bf9" },
	{ "runtime/default", "SCMP_ARCH_AARCH64", NONE, 429,
	  "3e2187f2ed2ce583ce7385b20186b98c3c33de13c063a62ee5f00b4238f4260d" },
	{ "runtime/default", "SCMP_ARCH_AARCH64", DOCKER, 427,
	  "716d5c04c32b697b4a88be9d2dbc6a62c188a98ad9705ffb826ff654a58011c3" },
	{ "runtime/default", "SCMP_ARCH_AARCH64", ALL, 252,
	  "54ee5a70f2b2a8c3f6e349c32024ce14c110d9a46b5588e37dd40e32a743f6c3" },
	{ "runtime/default", "SCMP_ARCH_X86", NONE, 213,
	  "5bcaf7a6bf0fa3c382d9046796f4ee4c7f48af5788d41e50e3b9f04e91edbc75" },
	{ "runtime/default", "SCMP_ARCH_X86", DOCKER, 213,
	  "76371f85bf80a1f3e71de46e9ee3230d5bcd605cfb0566b2355f1e71641695b3" },
	{ "runtime/default", "SCMP_ARCH_X86", ALL, 138,
	  "591ca087751ad29b27b83c78e66da62144f040742c0874bf81029978a49bc9c1" },
	{ "runtime/default", "SCMP_ARCH_RISCV64", NONE, 197,
	  "8f44552d0d5890ead5ec4cfab4c93138fcbd94408af25246f7a6fa4e60a93cf3" },
	{ "runtime/default", "SCMP_ARCH_RISCV64", DOCKER, 195,
	  "7a776fe14ce9fd26cac1f6537a29a5bda7fab88e4bad168661fa30eba25cfbc2" },
	{ "runtime/default", "SCMP_ARCH_RISCV64", ALL, 98,
	  "84f259946d9de4eef46c22fbb0ae71ebc3fbb007eadb09e3bd7b2eca0da66bfd" },
	{ FIXTURES "/../../examples/profiles/deny-list.json", "SCMP_ARCH_X86_64", NONE, 122,
	  "e7db9a54aa756281274fe4c42deb6710bc78b6d3bd627321a7d1bff3945dfa08" },
	{ FIXTURES "/../../examples/profiles/deny-list.json", "SCMP_ARCH_X86_64", DOCKER, 122,
	  "e7db9a54aa756281274fe4c42deb6710bc78b6d3bd627321a7d1bff3945dfa08" },
	{ FIXTURES "/../../examples/profiles/deny-list.json", "SCMP_ARCH_X86_64", ALL, 112,
	  "b18ca7b7357f3013fb0565646a8b81b2b36132100032b5d90a74bbea2378faeb" },
	{ FIXTURES "/../../examples/profiles/deny-list.json", "SCMP_ARCH_AARCH64", NONE, 86,
	  "8c4a9db141f1d33343cb8e8d2250829deeaf9b99bf0147154fa752b6302c5407" },
	{ FIXTURES "/../../examples/profiles/deny-list.json", "SCMP_ARCH_AARCH64", DOCKER, 86,
	  "8c4a9db141f1d33343cb8e8d2250829deeaf9b99bf0147154fa752b6302c5407" },
	{ FIXTURES "/../../examples/profiles/deny-list.json", "SCMP_ARCH_AARCH64", ALL, 80,
	  "3526e0cb5501cc01d5f06288b7cbeeb5e6984c65917a77933152365ef30026f8" },
	{ FIXTURES "/../../examples/profiles/deny-list.json", "SCMP_ARCH_X86", NONE, 50,
	  "9429caff409e2bfc687cc38908036b1a2e05359b865f1a4cb256e3befad83997" },
	{ FIXTURES "/../../examples/profiles/deny-list.json", "SCMP_ARCH_X86", DOCKER, 50,
	  "9429caff409e2bfc687cc38908036b1a2e05359b865f1a4cb256e3befad83997" },
	{ FIXTURES "/../../examples/profiles/deny-list.json", "SCMP_ARCH_X86", ALL, 48,
	  "773a2598c2f5cf07da0d361b23d5d04dae46ccf6dfbe4e0e56992ec92b36550d" },
	{ FIXTURES "/../../examples/profiles/deny-list.json", "SCMP_ARCH_RISCV64", NONE, 42,
	  "60b189a44ec23b2eb6a0c5756acbf289e43215efdd1b0f96153fdbc0205720a4" },
	{ FIXTURES "/../../examples/profiles/deny-list.json", "SCMP_ARCH_RISCV64", DOCKER, 42,
	  "60b189a44ec23b2eb6a0c5756acbf289e43215efdd1b0f96153fdbc0205720a4" },
	{ FIXTURES "/../../examples/profiles/deny-list.json", "SCMP_ARCH_RISCV64", ALL, 38,
	  "f458391fc5d69335ef19e273e56e66ead668fc3a0b66b6d3e542df7d26733ecc" },
};

/* Compiles profile for arch holding caps; the SHA-256 of the program. */
static size_t program_sum(const char *profile, const char *arch, uint64_t caps, char hex[65])
{
	struct shim_host host = { .arch = shim_arch_by_oci(arch), .kernel_major = 6,
				  .kernel_minor = 1, .bounding = caps, .supported_flags = ALL_FLAGS };
	struct shim_profile *p = NULL;
	struct shim_policy pol;
	struct shim_filter f;
	struct shim_error err = { 0 };
	struct shim_warnings w = { 0 };
	uint8_t sum[32];
	size_t n;

	if (shim_builtin_profile(profile))
		ck_assert_int_eq(shim_profile_parse(profile, shim_builtin_profile(profile),
						    strlen(shim_builtin_profile(profile)), &p, &w, &err), 0);
	else
		ck_assert_int_eq(shim_profile_load(profile, &p, &w, &err), 0);
	ck_assert_int_eq(shim_resolve(p, &host, &pol, &w, &err), 0);
	ck_assert_int_eq(shim_compile(p, &pol, NULL, &f, &w, &err), 0);
	shim_sha256(f.insns, f.n_insns * sizeof(f.insns[0]), sum);
	for (int k = 0; k < 32; k++)
		snprintf(hex + 2 * k, 3, "%02x", sum[k]);
	n = f.n_insns;
	shim_filter_free(&f);
	shim_policy_free(&pol);
	shim_profile_free(p);
	shim_warnings_free(&w);
	return n;
}

START_TEST(programs_unchanged)
{
	/* ALL three ways: every bit (what the build compiles for), this
	 * kernel's capabilities, and the 41 of the table names came from
	 * before libcap: the profiles name none above 40, so one program. */
	const uint64_t all[3] = { UINT64_MAX, shim_caps_all(), (1ULL << 41) - 1 };

	/* Other arches are compiled through the native one's names. */
	if (shim_arch_native()->token != SCMP_ARCH_X86_64)
		return;
	for (size_t i = 0; i < sizeof(unchanged) / sizeof(unchanged[0]); i++) {
		uint64_t sets[3] = { 0, docker_caps(), 0 };
		int n_sets = unchanged[i].caps == ALL ? 3 : 1;

		for (int k = 0; k < n_sets; k++) {
			uint64_t caps = unchanged[i].caps == ALL ? all[k] : sets[unchanged[i].caps];
			char hex[65];
			size_t n = program_sum(unchanged[i].profile, unchanged[i].arch, caps, hex);

			ck_assert_msg(n == unchanged[i].n_insns && strcmp(hex, unchanged[i].sha256) == 0,
				      "%s on %s, caps %#llx: %zu instructions, sha256 %s; was %zu, %s",
				      unchanged[i].profile, unchanged[i].arch, (unsigned long long)caps, n,
				      hex, unchanged[i].n_insns, unchanged[i].sha256);
		}
	}
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
	tcase_add_test(tc, programs_unchanged);
	suite_add_tcase(s, tc);
	return s;
}
