/* oci: bundle config.json edits, on a bundle in a temporary directory. */
#include <elf.h>
#include <fcntl.h>
#include <jansson.h>
#include <unistd.h>

#include "suites.h"

static char dir[64];

static void write_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static json_t *read_json(const char *name)
{
	char path[128];
	json_error_t e;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return json_load_file(path, 0, &e);
}

static const char *const CONFIG =
	"{\"ociVersion\": \"1.0.2\", \"process\": {\"args\": [\"/bin/sh\", \"-c\", \"x\"],"
	" \"capabilities\": {\"bounding\": [\"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"]}},"
	" \"root\": {\"path\": \"rootfs\"}, \"mounts\": [{\"destination\": \"/proc\"}],"
	" \"linux\": {\"namespaces\": []}}";

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/seccomp-shim-oci-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	write_file("config.json", CONFIG);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(bundle_caps)
{
	struct shim_error err = { 0 };
	uint64_t caps;

	ck_assert_int_eq(shim_oci_bundle_caps(dir, &caps, &err), 0);
	ck_assert_uint_eq(caps, (1ULL << 5) | (1ULL << 10));
	write_file("config.json", "{\"process\": {\"capabilities\": {\"bounding\": [\"CAP_FLY\"]}}}");
	ck_assert_int_lt(shim_oci_bundle_caps(dir, &caps, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "process.capabilities.bounding[0]: unknown capability CAP_FLY"));
}
END_TEST

START_TEST(set_seccomp)
{
	struct shim_error err = { 0 };
	json_t *before = read_json("config.json"), *after, *orig;

	ck_assert_int_eq(shim_oci_set_seccomp(dir, "{\"defaultAction\": \"SCMP_ACT_ERRNO\"}", &err), 0);
	after = read_json("config.json");
	orig = read_json("config.json.orig");
	ck_assert(json_equal(before, orig));
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(after, "linux"), "seccomp"), "defaultAction")),
			 "SCMP_ACT_ERRNO");
	json_object_del(json_object_get(after, "linux"), "seccomp");
	ck_assert(json_equal(before, after));
	json_decref(before);
	json_decref(after);
	json_decref(orig);
}
END_TEST

/* The smallest ELF that has no interpreter: a header and no segments. */
static void fake_static_elf(const char *name)
{
	Elf64_Ehdr eh = { 0 };
	char path[128];
	int fd;

	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ck_assert_int_eq(write(fd, &eh, sizeof(eh)), sizeof(eh));
	close(fd);
}

START_TEST(wrap_unwrap)
{
	struct shim_error err = { 0 };
	char shim[128];
	bool already, was;
	json_t *before = read_json("config.json"), *wrapped, *again;

	fake_static_elf("shim");
	snprintf(shim, sizeof(shim), "%s/shim", dir);
	ck_assert_int_lt(shim_oci_wrap(dir, "/bin/sh", "{}", 2, &already, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "is dynamically linked"));
	ck_assert_int_eq(shim_oci_wrap(dir, shim, "{\"defaultAction\": \"SCMP_ACT_LOG\"}", 33, &already, &err), 0);
	ck_assert(!already);
	wrapped = read_json("config.json");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(wrapped, "process"), "args"), 0)),
			 "/.seccomp-shim/seccomp-shim");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(wrapped, "process"), "args"), 4)),
			 "/bin/sh");
	ck_assert_int_eq(json_array_size(json_object_get(wrapped, "mounts")), 3);
	ck_assert_int_eq(shim_oci_wrap(dir, shim, "{}", 2, &already, &err), 0);
	ck_assert(already);
	again = read_json("config.json");
	ck_assert(json_equal(wrapped, again));
	ck_assert_int_eq(shim_oci_unwrap(dir, &was, &err), 0);
	ck_assert(was);
	json_decref(again);
	again = read_json("config.json");
	ck_assert(json_equal(before, again));
	ck_assert_int_eq(shim_oci_unwrap(dir, &was, &err), 0);
	ck_assert(!was);
	json_decref(before);
	json_decref(wrapped);
	json_decref(again);
}
END_TEST

Suite *oci_suite(void)
{
	Suite *s = suite_create("oci");
	TCase *tc = tcase_create("bundle");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, bundle_caps);
	tcase_add_test(tc, set_seccomp);
	tcase_add_test(tc, wrap_unwrap);
	suite_add_tcase(s, tc);
	return s;
}
