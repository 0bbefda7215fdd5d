/* oci: bundle config.json edits, on a bundle in a temporary directory. */
#include <elf.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <sys/stat.h>
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

static bool is_regular(const char *name);
static char *slurp(const char *name);
static const char *at(const char *name);

START_TEST(wrap_unwrap)
{
	struct shim_error err = { 0 };
	struct shim_oci_unwrapped res;
	char shim[128], copy[PATH_MAX + 32];
	bool already;
	json_t *before = read_json("config.json"), *wrapped, *again, *mount;

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
	/* The shim is mounted from a copy in the bundle: the build tree it
	 * came from may move. */
	mount = json_array_get(json_object_get(wrapped, "mounts"), 1);
	ck_assert_str_eq(json_string_value(json_object_get(mount, "destination")), "/.seccomp-shim/seccomp-shim");
	ck_assert_ptr_nonnull(realpath(dir, copy));
	strcat(copy, "/seccomp-shim-static");
	ck_assert_str_eq(json_string_value(json_object_get(mount, "source")), copy);
	ck_assert(is_regular("seccomp-shim-static"));
	ck_assert_int_eq(unlink(shim), 0);
	ck_assert_int_eq(shim_oci_wrap(dir, shim, "{}", 2, &already, &err), 0);
	ck_assert(already);
	again = read_json("config.json");
	ck_assert(json_equal(wrapped, again));
	/* What the runtime made in the root filesystem for the mounts. */
	ck_assert_int_eq(mkdir(at("rootfs"), 0755), 0);
	ck_assert_int_eq(mkdir(at("rootfs/.seccomp-shim"), 0755), 0);
	write_file("rootfs/.seccomp-shim/seccomp-shim", "");
	write_file("rootfs/.seccomp-shim/profile.json", "");
	ck_assert_int_eq(shim_oci_unwrap(dir, &res, &err), 0);
	ck_assert(res.was_wrapped && !res.kept_backup && !res.left_mount_points);
	json_decref(again);
	/* Byte for byte, and nothing of wrap's left. */
	ck_assert_str_eq(slurp("config.json"), CONFIG);
	ck_assert_int_eq(access(at("config.json.orig"), F_OK), -1);
	ck_assert_int_eq(access(at("seccomp-shim-static"), F_OK), -1);
	ck_assert_int_eq(access(at("seccomp-shim-profile.json"), F_OK), -1);
	ck_assert_int_eq(access(at("rootfs/.seccomp-shim"), F_OK), -1);
	ck_assert_int_eq(shim_oci_unwrap(dir, &res, &err), 0);
	ck_assert(!res.was_wrapped);
	json_decref(before);
	json_decref(wrapped);
}
END_TEST

/* config.json changed after wrap: its changes stay, wrap's go, and a
 * config.json.orig that is not wrap's copy (here a link) stays as it is;
 * so does a .seccomp-shim that holds more than mount points. */
START_TEST(unwrap_after_changes)
{
	struct shim_error err = { 0 };
	struct shim_oci_unwrapped res;
	char shim[128];
	bool already;
	json_t *c;

	fake_static_elf("shim");
	snprintf(shim, sizeof(shim), "%s/shim", dir);
	ck_assert_int_eq(shim_oci_wrap(dir, shim, "{}", 2, &already, &err), 0);
	c = read_json("config.json");
	json_object_set_new(c, "hostname", json_string("changed"));
	ck_assert_int_eq(json_dump_file(c, at("config.json"), 0), 0);
	json_decref(c);
	ck_assert_int_eq(mkdir(at("rootfs"), 0755), 0);
	ck_assert_int_eq(mkdir(at("rootfs/.seccomp-shim"), 0755), 0);
	write_file("rootfs/.seccomp-shim/seccomp-shim", "");
	write_file("rootfs/.seccomp-shim/profile.json", "not a mount point\n");
	ck_assert_int_eq(shim_oci_unwrap(dir, &res, &err), 0);
	ck_assert(res.was_wrapped && res.kept_backup && res.left_mount_points);
	c = read_json("config.json");
	ck_assert_str_eq(json_string_value(json_object_get(c, "hostname")), "changed");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(c, "process"), "args"), 0)),
			 "/bin/sh");
	ck_assert_ptr_null(json_object_get(c, "annotations"));
	json_decref(c);
	ck_assert(is_regular("config.json.orig"));
	ck_assert(is_regular("rootfs/.seccomp-shim/profile.json"));
	ck_assert_int_eq(access(at("rootfs/.seccomp-shim/seccomp-shim"), F_OK), -1);

	/* A link at config.json.orig is neither followed nor taken for wrap's. */
	write_file("victim", "victim\n");
	ck_assert_int_eq(shim_oci_wrap(dir, shim, "{}", 2, &already, &err), 0);
	ck_assert_int_eq(unlink(at("config.json.orig")), 0);
	ck_assert_int_eq(symlink(at("victim"), at("config.json.orig")), 0);
	ck_assert_int_eq(shim_oci_unwrap(dir, &res, &err), 0);
	ck_assert(res.was_wrapped && res.kept_backup);
	ck_assert_str_eq(slurp("victim"), "victim\n");
}
END_TEST

/* path in the bundle, for the hostile cases below */
static const char *at(const char *name)
{
	static char path[2][128];
	static int i;

	i ^= 1;
	snprintf(path[i], sizeof(path[i]), "%s/%s", dir, name);
	return path[i];
}

static bool is_regular(const char *name)
{
	struct stat st;

	return lstat(at(name), &st) == 0 && S_ISREG(st.st_mode);
}

static char *slurp(const char *name)
{
	static char buf[4096];
	FILE *f = fopen(at(name), "r");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static const char *const SECCOMP = "{\"defaultAction\": \"SCMP_ACT_ERRNO\"}";

/* A link planted where a file is written is replaced, not written through. */
START_TEST(planted_links_replaced)
{
	struct shim_error err = { 0 };
	char shim[128];
	struct shim_oci_unwrapped res;
	bool already;

	write_file("victim", "victim\n");
	ck_assert_int_eq(symlink(at("victim"), at("config.json.orig")), 0);
	ck_assert_int_eq(shim_oci_set_seccomp(dir, SECCOMP, &err), 0);
	ck_assert_str_eq(slurp("victim"), "victim\n");
	ck_assert(is_regular("config.json.orig"));
	ck_assert_str_eq(slurp("config.json.orig"), CONFIG);

	fake_static_elf("shim");
	snprintf(shim, sizeof(shim), "%s/shim", dir);
	ck_assert_int_eq(symlink(at("victim"), at("seccomp-shim-profile.json")), 0);
	ck_assert_int_eq(shim_oci_wrap(dir, shim, "{}", 2, &already, &err), 0);
	ck_assert_str_eq(slurp("victim"), "victim\n");
	ck_assert(is_regular("seccomp-shim-profile.json"));

	ck_assert_int_eq(unlink(at("seccomp-shim-profile.json")), 0);
	ck_assert_int_eq(symlink(at("victim"), at("seccomp-shim-profile.json")), 0);
	ck_assert_int_eq(shim_oci_unwrap(dir, &res, &err), 0);
	ck_assert(res.was_wrapped);
	ck_assert_str_eq(slurp("victim"), "victim\n");
	ck_assert_int_eq(access(at("seccomp-shim-profile.json"), F_OK), -1);
	ck_assert_int_eq(access(at("seccomp-shim.tmp"), F_OK), -1);
}
END_TEST

START_TEST(config_link_refused)
{
	struct shim_error err = { 0 };
	uint64_t caps;

	ck_assert_int_eq(rename(at("config.json"), at("elsewhere.json")), 0);
	ck_assert_int_eq(symlink(at("elsewhere.json"), at("config.json")), 0);
	ck_assert_int_lt(shim_oci_bundle_caps(dir, &caps, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "/config.json is a symbolic link: seccomp-shim follows no link inside a bundle"));
	ck_assert_int_lt(shim_oci_set_seccomp(dir, SECCOMP, &err), 0);
	ck_assert_int_eq(access(at("config.json.orig"), F_OK), -1);
	ck_assert_str_eq(slurp("elsewhere.json"), CONFIG);
	ck_assert_int_eq(unlink(at("config.json")), 0);
	ck_assert_int_eq(mkfifo(at("config.json"), 0600), 0);
	ck_assert_int_lt(shim_oci_bundle_caps(dir, &caps, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "/config.json is not a regular file"));
}
END_TEST

START_TEST(tmp_exists_refused)
{
	struct shim_error err = { 0 };

	write_file("victim", "victim\n");
	ck_assert_int_eq(symlink(at("victim"), at("seccomp-shim.tmp")), 0);
	ck_assert_int_lt(shim_oci_set_seccomp(dir, SECCOMP, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "/seccomp-shim.tmp: it exists (another seccomp-shim"));
	ck_assert_str_eq(slurp("victim"), "victim\n");
	ck_assert_str_eq(slurp("config.json"), CONFIG);
}
END_TEST

START_TEST(bundle_link_refused)
{
	struct shim_error err = { 0 };
	char link[96];

	snprintf(link, sizeof(link), "%s.link", dir);
	ck_assert_int_eq(symlink(dir, link), 0);
	ck_assert_int_lt(shim_oci_set_seccomp(link, SECCOMP, &err), 0);
	unlink(link);
	ck_assert_ptr_nonnull(strstr(err.msg, ".link is a symbolic link: give the directory itself"));
	/* A trailing slash is the same directory, not a way through a link. */
	snprintf(link, sizeof(link), "%s//", dir);
	ck_assert_int_eq(shim_oci_set_seccomp(link, SECCOMP, &err), 0);
}
END_TEST

START_TEST(writable_bundle_refused)
{
	struct shim_error err = { 0 };

	ck_assert_int_eq(chmod(dir, 0777), 0);
	ck_assert_int_lt(shim_oci_set_seccomp(dir, SECCOMP, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "its mode 0777 lets every user write to it"));
	ck_assert_int_eq(chmod(dir, 0770), 0);
	ck_assert_int_lt(shim_oci_set_seccomp(dir, SECCOMP, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "its mode 0770 lets its group (gid"));
	ck_assert_int_eq(access(at("config.json.orig"), F_OK), -1);
	/* Sticky: others cannot replace our names. */
	ck_assert_int_eq(chmod(dir, 01777), 0);
	ck_assert_int_eq(shim_oci_set_seccomp(dir, SECCOMP, &err), 0);
	ck_assert_int_eq(chmod(dir, 0700), 0);
}
END_TEST

START_TEST(foreign_bundle_refused)
{
	struct shim_error err = { 0 };
	uint64_t caps;
	bool already;

	if (geteuid() != 0)
		return; /* only root can give a bundle away; t-82 covers it too */
	ck_assert_int_eq(chown(dir, 65534, 65534), 0);
	ck_assert_int_lt(shim_oci_set_seccomp(dir, SECCOMP, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "it is owned by uid 65534, not by root"));
	ck_assert_int_lt(shim_oci_wrap(dir, "/bin/sh", "{}", 2, &already, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "refusing to write into bundle"));
	ck_assert_int_eq(access(at("config.json.orig"), F_OK), -1);
	/* Reading it is harmless. */
	ck_assert_int_eq(shim_oci_bundle_caps(dir, &caps, &err), 0);
	ck_assert_int_eq(chown(dir, 0, 0), 0);
}
END_TEST

START_TEST(mount_point_link_refused)
{
	struct shim_error err = { 0 };
	char shim[128];
	bool already;

	fake_static_elf("shim");
	snprintf(shim, sizeof(shim), "%s/shim", dir);
	ck_assert_int_eq(mkdir(at("rootfs"), 0755), 0);
	ck_assert_int_eq(mkdir(at("elsewhere"), 0755), 0);
	ck_assert_int_eq(symlink(at("elsewhere"), at("rootfs/.seccomp-shim")), 0);
	ck_assert_int_lt(shim_oci_wrap(dir, shim, "{}", 2, &already, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "/rootfs/.seccomp-shim is a symbolic link or not a directory"));
	ck_assert_str_eq(slurp("config.json"), CONFIG);
	ck_assert_int_eq(access(at("seccomp-shim-profile.json"), F_OK), -1);
	/* A plain directory there is fine. */
	ck_assert_int_eq(unlink(at("rootfs/.seccomp-shim")), 0);
	ck_assert_int_eq(mkdir(at("rootfs/.seccomp-shim"), 0755), 0);
	ck_assert_int_eq(shim_oci_wrap(dir, shim, "{}", 2, &already, &err), 0);
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
	tcase_add_test(tc, unwrap_after_changes);
	tcase_add_test(tc, planted_links_replaced);
	tcase_add_test(tc, config_link_refused);
	tcase_add_test(tc, tmp_exists_refused);
	tcase_add_test(tc, bundle_link_refused);
	tcase_add_test(tc, writable_bundle_refused);
	tcase_add_test(tc, foreign_bundle_refused);
	tcase_add_test(tc, mount_point_link_refused);
	suite_add_tcase(s, tc);
	return s;
}
