/* nodepolicy: the node policy file, parsed from text and loaded from real
 * files in a temporary directory (owner and mode checks), and which
 * profiles a container may name. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "suites.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static char dir[64];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/seccomp-shim-policy-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chmod(dir, 0755), 0);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* dir/name with text, mode; returns the path (static buffer). */
static const char *put(const char *name, const char *text, mode_t mode)
{
	static char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	ck_assert_int_eq(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

static int parse(const char *text, struct shim_node_policy *p, struct shim_error *err)
{
	return shim_node_policy_parse("policy.json", text, strlen(text), p, err);
}

START_TEST(defaults_without_file)
{
	struct shim_node_policy p;
	struct shim_error err = { 0 };
	char path[128];

	snprintf(path, sizeof(path), "%s/absent.json", dir);
	ck_assert_int_eq(shim_node_policy_load(path, false, &p, &err), 0);
	ck_assert_ptr_null(p.file);
	ck_assert_str_eq(p.default_profile, "runtime/default");
	ck_assert_int_eq(p.report, SHIM_REPORT_OFF);
	ck_assert(!p.allow_unconfined && !p.require_nnp && !p.has_max_caps && !p.has_allowed);
	ck_assert(!p.replace_engine_profiles && !p.refuse_allow_by_default);
	shim_node_policy_free(&p);
	/* Named (option, environment): a missing file is an error. */
	ck_assert_int_lt(shim_node_policy_load(path, true, &p, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "No such file"));
}
END_TEST

START_TEST(every_key)
{
	struct shim_node_policy p;
	struct shim_error err = { 0 };
	const char *text =
		"{\"comment\": [\"anything\", 1],\n"
		" \"runtime\": \"/usr/bin/crun\",\n"
		" \"defaultProfile\": \"/etc/p/default.json\",\n"
		" \"engineProfiles\": \"replace\",\n"
		" \"allowUnconfined\": true,\n"
		" \"refuseAllowByDefault\": true,\n"
		" \"requireNoNewPrivileges\": true,\n"
		" \"maxCapabilities\": [\"CAP_KILL\", \"CAP_CHOWN\"],\n"
		" \"allowedProfiles\": [\"runtime/default\", \"/etc/p/\", \"/srv/one.json\"],\n"
		" \"report\": \"always\",\n"
		" \"shim\": \"/usr/libexec/seccomp-shim-static\"}";

	ck_assert_msg(parse(text, &p, &err) == 0, "%s", err.msg);
	ck_assert_str_eq(p.file, "policy.json");
	ck_assert_str_eq(p.runtime, "/usr/bin/crun");
	ck_assert_str_eq(p.default_profile, "/etc/p/default.json");
	ck_assert(p.replace_engine_profiles && p.allow_unconfined && p.refuse_allow_by_default && p.require_nnp);
	ck_assert(p.has_max_caps);
	ck_assert_uint_eq(p.max_caps, (1ULL << 5) | (1ULL << 0));
	ck_assert(p.has_allowed);
	ck_assert_uint_eq(p.n_allowed, 3);
	ck_assert_str_eq(p.allowed[1], "/etc/p/");
	ck_assert_int_eq(p.report, SHIM_REPORT_ALWAYS);
	ck_assert_str_eq(p.shim, "/usr/libexec/seccomp-shim-static");
	shim_node_policy_free(&p);

	ck_assert_int_eq(parse("{\"engineProfiles\": \"keep\", \"report\": \"on\", \"maxCapabilities\": []}", &p, &err), 0);
	ck_assert(!p.replace_engine_profiles);
	ck_assert_int_eq(p.report, SHIM_REPORT_ON);
	ck_assert(p.has_max_caps);
	ck_assert_uint_eq(p.max_caps, 0);
	shim_node_policy_free(&p);
	ck_assert_int_eq(parse("{\"defaultProfile\": \"refuse\", \"allowedProfiles\": []}", &p, &err), 0);
	ck_assert_str_eq(p.default_profile, "refuse");
	shim_node_policy_free(&p);
	/* The default need not be among the profiles a pod may name. */
	ck_assert_int_eq(parse("{\"allowedProfiles\": [\"/etc/p/\"], \"defaultProfile\": \"/etc/q/x.json\"}", &p, &err), 0);
	ck_assert(!shim_node_policy_allows(&p, "/etc/q/x.json"));
	shim_node_policy_free(&p);
}
END_TEST

/* Each key with a bad value: the message names file:line:col, the field
 * (JSON path) and what was expected. */
static const struct bad_case {
	const char *text, *path, *msg;
	unsigned line, col;
} bad_cases[] = {
	{ "{\"runtime\": 1}", "runtime", "expected a non-empty string", 1, 13 },
	{ "{\"runtime\": \"\"}", "runtime", "expected a non-empty string", 1, 13 },
	{ "{\"defaultProfile\": null}", "defaultProfile", "expected a non-empty string", 1, 20 },
	{ "{\n  \"engineProfiles\": \"drop\"}", "engineProfiles", "expected \"keep\" \"replace\"", 2, 21 },
	{ "{\"allowUnconfined\": \"yes\"}", "allowUnconfined", "expected true or false", 1, 21 },
	{ "{\"refuseAllowByDefault\": 0}", "refuseAllowByDefault", "expected true or false", 1, 26 },
	{ "{\"requireNoNewPrivileges\": \"true\"}", "requireNoNewPrivileges", "expected true or false", 1, 28 },
	{ "{\"maxCapabilities\": \"CAP_KILL\"}", "maxCapabilities", "expected an array of capability names", 1, 21 },
	{ "{\"maxCapabilities\": [\"CAP_KILL\",\n \"CAP_FLY\"]}", "maxCapabilities[1]", "unknown capability CAP_FLY", 2, 2 },
	{ "{\"maxCapabilities\": [7]}", "maxCapabilities[0]", "unknown capability (not a string)", 1, 22 },
	{ "{\"allowedProfiles\": \"/etc/p/\"}", "allowedProfiles", "expected an array of profiles", 1, 21 },
	{ "{\"allowedProfiles\": [\"/etc/p/\", \"\"]}", "allowedProfiles[1]", "expected a non-empty string", 1, 33 },
	{ "{\"allowedProfiles\": [\"profiles/x.json\"]}", "allowedProfiles[0]", "profiles/x.json is neither a built-in profile nor an absolute path", 1, 22 },
	{ "{\"report\": true}", "report", "expected \"off\", \"on\", \"always\"", 1, 12 },
	{ "{\"report\": \"sometimes\"}", "report", "expected \"off\", \"on\", \"always\"", 1, 12 },
	{ "{\"shim\": \"seccomp-shim-static\"}", "shim", "expected an absolute path", 1, 10 },
	{ "{\"shim\": []}", "shim", "expected a non-empty string", 1, 10 },
	/* The default is the operator's: any profile a run can load. */
	{ "{\"allowedProfiles\": [\"/etc/p/\"], \"defaultProfile\": \"x.json\"}", "defaultProfile", "x.json is neither a built-in profile, an absolute path", 1, 52 },
	/* Unknown keys are errors, with the nearest known one. */
	{ "{\"requireNoNewPrivilege\": true}", "requireNoNewPrivilege", "unknown key (did you mean requireNoNewPrivileges?)", 1, 2 },
	{ "{\"defaultprofile\": \"audit\"}", "defaultProfile", NULL, 0, 0 },
	{ "{\"xyzzy-plugh\": 1}", "xyzzy-plugh", "unknown key", 1, 2 },
};

START_TEST(bad_values)
{
	const struct bad_case *c = &bad_cases[_i];
	struct shim_node_policy p;
	struct shim_error err = { 0 };

	ck_assert_msg(parse(c->text, &p, &err) < 0, "%s: accepted", c->text);
	ck_assert_str_eq(err.file, "policy.json");
	ck_assert_str_eq(err.diag_code, "bad-policy");
	if (!c->msg) { /* the did-you-mean is the point here */
		ck_assert_msg(strstr(err.msg, c->path), "%s: %s", c->text, err.msg);
		return;
	}
	ck_assert_msg(strcmp(err.path, c->path) == 0, "%s: path %s", c->text, err.path);
	ck_assert_msg(strstr(err.msg, c->msg), "%s: %s", c->text, err.msg);
	ck_assert_msg(err.line == c->line && err.col == c->col, "%s: at %u:%u", c->text, err.line, err.col);
	if (strcmp(c->path, "xyzzy-plugh") == 0)
		ck_assert_ptr_null(strstr(err.msg, "did you mean"));
}
END_TEST

START_TEST(bad_documents)
{
	struct shim_node_policy p;
	struct shim_error err = { 0 };

	ck_assert_int_lt(parse("[1]", &p, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "a policy is a JSON object"));
	ck_assert_int_lt(parse("{\"report\": \"on\",\n \"report\": \"off\"}", &p, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "duplicate"));
	ck_assert_uint_eq(err.line, 2);
	ck_assert_int_lt(parse("{\"report\": \"on\",}", &p, &err), 0);
	ck_assert_str_eq(err.file, "policy.json");
	ck_assert_uint_eq(err.line, 1);
}
END_TEST

/* Whoever may write the file decides every container's filter. */
START_TEST(file_trust)
{
	struct shim_node_policy p;
	struct shim_error err = { 0 };
	const char *path;

	path = put("ok.json", "{\"report\": \"on\"}", 0644);
	ck_assert_msg(shim_node_policy_load(path, true, &p, &err) == 0, "%s", err.msg);
	ck_assert_str_eq(p.file, path);
	ck_assert_int_eq(p.report, SHIM_REPORT_ON);
	shim_node_policy_free(&p);

	path = put("open.json", "{\"allowUnconfined\": true}", 0666);
	ck_assert_int_lt(shim_node_policy_load(path, true, &p, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "with mode 666"));
	ck_assert_ptr_nonnull(strstr(err.msg, "writable by no one else"));
	path = put("group.json", "{}", 0620);
	ck_assert_int_lt(shim_node_policy_load(path, true, &p, &err), 0);
	/* Not named either: a bad file at the default path is no default. */
	ck_assert_int_lt(shim_node_policy_load(path, false, &p, &err), 0);

	if (geteuid() == 0) {
		path = put("nobody.json", "{\"allowUnconfined\": true}", 0644);
		ck_assert_int_eq(chown(path, 65534, 65534), 0);
		ck_assert_int_lt(shim_node_policy_load(path, true, &p, &err), 0);
		ck_assert_ptr_nonnull(strstr(err.msg, "belongs to uid 65534"));
	} else {
		printf("SKIP policy owned by another user: not root (chown)\n");
	}
	ck_assert_int_lt(shim_node_policy_load(dir, true, &p, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "not a regular file"));
	path = put("bad.json", "{\"report\": \"loud\"}", 0600);
	ck_assert_int_lt(shim_node_policy_load(path, true, &p, &err), 0);
	ck_assert_str_eq(err.file, path);
	ck_assert_str_eq(err.path, "report");
}
END_TEST

START_TEST(fifo_not_read)
{
	struct shim_node_policy p;
	struct shim_error err = { 0 };
	char path[128];

	/* A FIFO at the path must not hang the runtime. */
	snprintf(path, sizeof(path), "%s/fifo.json", dir);
	ck_assert_int_eq(mkfifo(path, 0644), 0);
	ck_assert_int_lt(shim_node_policy_load(path, true, &p, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "not a regular file"));
}
END_TEST

static bool allows(const char *policy, const char *ref)
{
	struct shim_node_policy p;
	struct shim_error err = { 0 };
	bool yes;

	ck_assert_msg(parse(policy, &p, &err) == 0, "%s", err.msg);
	yes = shim_node_policy_allows(&p, ref);
	shim_node_policy_free(&p);
	return yes;
}

static const struct allow_case {
	const char *ref;
	bool yes;
} allow_cases[] = {
	{ "/etc/p/a.json", true },
	{ "/etc/p/sub/a.json", true },
	{ "/srv/one.json", true },
	{ "runtime/default", true },
	{ "audit", false }, /* a built-in, but not listed */
	{ "/etc/pother/x", false }, /* "/etc/p/" is a directory, not a prefix */
	{ "/etc/p", false },
	{ "/etc/p/", false }, /* the directory itself */
	{ "/etc/p/../shadow", false },
	{ "/etc/p/sub/../../x", false },
	{ "/etc/p/..", false },
	{ "/etc/p/./a.json", false },
	{ "/etc/p//a.json", false },
	{ "/etc//p/a.json", false },
	{ "/etc/p/a/..", false },
	{ "/srv/one.json/", false },
	{ "/srv/one", false },
	{ "/srv/one.json.bak", false },
	{ "/srv/./one.json", false },
	{ "etc/p/a.json", false },
	{ "", false },
	{ "unconfined", false },
};

START_TEST(allows_listed)
{
	const struct allow_case *c = &allow_cases[_i];

	ck_assert_msg(allows("{\"allowedProfiles\": [\"runtime/default\", \"/etc/p/\", \"/srv/one.json\"]}", c->ref) == c->yes,
		      "%s", c->ref);
}
END_TEST

START_TEST(allows_builtins_only)
{
	const char *none = "{}";

	ck_assert(allows(none, "runtime/default"));
	ck_assert(allows(none, "audit"));
	ck_assert(!allows(none, "/etc/seccomp/app.json"));
	ck_assert(!allows(none, "localhost/app.json"));
	ck_assert(!allows(none, "unconfined"));
	ck_assert(!allows("{\"allowedProfiles\": [], \"defaultProfile\": \"refuse\"}", "runtime/default"));
}
END_TEST

Suite *nodepolicy_suite(void)
{
	Suite *s = suite_create("nodepolicy");
	TCase *tc = tcase_create("policy");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, defaults_without_file);
	tcase_add_test(tc, every_key);
	tcase_add_loop_test(tc, bad_values, 0, (int)ARRAY_LEN(bad_cases));
	tcase_add_test(tc, bad_documents);
	tcase_add_test(tc, file_trust);
	tcase_add_test(tc, fifo_not_read);
	tcase_add_loop_test(tc, allows_listed, 0, (int)ARRAY_LEN(allow_cases));
	tcase_add_test(tc, allows_builtins_only);
	suite_add_tcase(s, tc);
	return s;
}
