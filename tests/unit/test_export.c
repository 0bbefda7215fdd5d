/* export and oci convert keep the verdicts of their input: every profile
 * the tests have (and ../shared/profiles, when present) is compiled, then
 * exported as OCI and as Docker JSON, and each export compiled again; the
 * programs must agree on every input lib/equiv.c builds. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <unistd.h>

#include "suites.h"
#include "internal.h"

#define DOCKER_CAPS 0xa80425fbULL

struct compiled {
	struct shim_profile *p;
	struct shim_policy pol;
	struct shim_filter f;
};

static int build(const char *name, const char *text, size_t len, uint64_t caps,
		 struct compiled *c)
{
	struct shim_host h = { .arch = shim_arch_native(), .kernel_major = 6, .kernel_minor = 1,
			       .bounding = caps, .supported_flags = SECCOMP_FILTER_FLAG_SPEC_ALLOW };
	struct shim_error err = { 0 };
	struct shim_warnings warn = { 0 };
	int r;

	memset(c, 0, sizeof(*c));
	r = shim_profile_parse(name, text, len, &c->p, &warn, &err) < 0 ||
			    shim_resolve(c->p, &h, &c->pol, &warn, &err) < 0 ||
			    shim_compile(c->p, &c->pol, NULL, &c->f, &warn, &err) < 0
		    ? -1
		    : 0;
	shim_warnings_free(&warn);
	return r;
}

static void release(struct compiled *c)
{
	shim_filter_free(&c->f);
	shim_policy_free(&c->pol);
	shim_profile_free(c->p);
}

/* 1 when the export compiles to a program with the input's verdicts; 0
 * when the input itself does not compile here (nothing to compare). */
static int round_trip(const char *name, const char *text, size_t len, uint64_t caps, bool oci)
{
	struct compiled in, out;
	struct shim_text t = { 0 };
	struct shim_error err = { 0 };
	struct shim_seccomp_data d;
	size_t inputs = 0;
	int same;

	if (build(name, text, len, caps, &in) < 0) {
		release(&in);
		return 0;
	}
	if (oci)
		ck_assert_int_eq(shim_export_oci(&in.pol, &t, &err), 0);
	else
		ck_assert_int_eq(shim_export_json(in.p, &t, &err), 0);
	if (build("export.json", t.s, t.len, caps, &out) < 0)
		ck_abort_msg("%s (caps %llx): the %s export does not compile", name,
			     (unsigned long long)caps, oci ? "oci" : "json");
	same = shim_filter_equivalent(&in.pol, &in.f, &out.f, &d, &inputs, &err);
	ck_assert_msg(same == 1, "%s (caps %llx, %s export): verdicts differ at arch %#x nr %d args %llx %llx",
		      name, (unsigned long long)caps, oci ? "oci" : "json", d.arch, d.nr,
		      (unsigned long long)d.args[0], (unsigned long long)d.args[1]);
	shim_text_free(&t);
	release(&out);
	release(&in);
	return 1;
}

static int round_trips(const char *name, const char *text, size_t len)
{
	static const uint64_t caps[] = { 0, DOCKER_CAPS, ~0ULL };
	int n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(caps); i++)
		for (int oci = 0; oci < 2; oci++)
			n += round_trip(name, text, len, caps[i], oci);
	return n;
}

static int round_trips_in(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!dp)
		return 0;
	while ((e = readdir(dp))) {
		char path[4096], *text;
		size_t len = strlen(e->d_name);
		FILE *f;
		long size;

		if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (!(f = fopen(path, "r")))
			continue;
		fseek(f, 0, SEEK_END);
		size = ftell(f);
		rewind(f);
		text = malloc((size_t)size + 1);
		ck_assert_ptr_nonnull(text);
		if (fread(text, 1, (size_t)size, f) == (size_t)size)
			n += round_trips(path, text, (size_t)size);
		fclose(f);
		free(text);
	}
	closedir(dp);
	return n;
}

/* #15: a later rule for setns merged into an earlier entry overtook the
 * ALLOW between them (podman's default without CAP_SYS_ADMIN). */
START_TEST(merging_keeps_the_order_of_one_syscalls_rules)
{
	static const char text[] =
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,\"architectures\":[\"SCMP_ARCH_X86_64\"],"
		"\"syscalls\":[{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1},"
		"{\"names\":[\"setns\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		"{\"names\":[\"setns\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1}]}";

	ck_assert_int_eq(round_trips("setns.json", text, sizeof(text) - 1), 6);
}
END_TEST

START_TEST(every_profile_keeps_its_verdicts)
{
	int n = round_trips_in(FIXTURES) + round_trips_in(FIXTURES "/seeds") +
		round_trips_in(FIXTURES "/../../examples/profiles") +
		round_trips_in(FIXTURES "/../../profiles") +
		round_trips_in(FIXTURES "/../../tests/fuzz/regressions") +
		round_trips_in(FIXTURES "/../integration/work/containers-common/usr/share/containers");
	int shared = round_trips_in(FIXTURES "/../../../shared/profiles");

	ck_assert_int_gt(n, 10);
	if (!shared)
		fprintf(stderr, "export round trips: SKIP ../shared/profiles (not present)\n");
}
END_TEST

Suite *export_suite(void)
{
	Suite *s = suite_create("export");
	TCase *tc = tcase_create("round trips");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, merging_keeps_the_order_of_one_syscalls_rules);
	tcase_add_test(tc, every_profile_keeps_its_verdicts);
	suite_add_tcase(s, tc);
	return s;
}
