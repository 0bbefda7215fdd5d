/* admission: the node policy applied to constructed config.json documents,
 * with real profiles (built-ins, and files in a temporary directory the
 * policy allows), this machine's host, and a real static ELF to mount. */
#include <elf.h>
#include <fcntl.h>
#include <jansson.h>
#include <sys/stat.h>
#include <unistd.h>

#include "suites.h"

static char dir[64], shim_path[128];
static struct shim_host host;

static void setup(void)
{
	struct shim_error err = { 0 };
	Elf64_Ehdr eh = { 0 };
	int fd;

	snprintf(dir, sizeof(dir), "/tmp/seccomp-shim-admit-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chmod(dir, 0755), 0);
	ck_assert_msg(shim_host_detect(&host, &err) == 0, "%s", err.msg);
	/* The smallest static program: an ELF header, no interpreter. */
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	snprintf(shim_path, sizeof(shim_path), "%s/seccomp-shim-static", dir);
	fd = open(shim_path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ck_assert_int_eq(write(fd, &eh, sizeof(eh)), sizeof(eh));
	close(fd);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static const char *at(const char *name)
{
	static char path[2][160];
	static int k;

	k = !k;
	snprintf(path[k], sizeof(path[k]), "%s/%s", dir, name);
	return path[k];
}

static void put(const char *name, const char *text, mode_t mode)
{
	int fd = open(at(name), O_WRONLY | O_CREAT | O_TRUNC, 0600);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	ck_assert_int_eq(fchmod(fd, mode), 0);
	close(fd);
}

/* A policy from text; %s in it is replaced by the temporary directory. */
static void policy(const char *fmt, struct shim_node_policy *p)
{
	struct shim_error err = { 0 };
	char text[2048];
	size_t n = 0;

	/* "%s" stands for the temporary directory. */
	for (const char *f = fmt; *f && n + sizeof(dir) < sizeof(text); f++) {
		if (f[0] == '%' && f[1] == 's') {
			n += (size_t)snprintf(text + n, sizeof(text) - n, "%s", dir);
			f++;
		} else {
			text[n++] = *f;
		}
	}
	text[n] = '\0';
	ck_assert_msg(shim_node_policy_parse("policy.json", text, strlen(text), p, &err) == 0, "%s: %s", text, err.msg);
}

static json_t *config(const char *text)
{
	json_error_t jerr;
	json_t *c = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);

	ck_assert_msg(c != NULL, "%s", jerr.text);
	return c;
}

#define PROC(extra) "\"process\": {\"args\": [\"/bin/sh\", \"-c\", \"x\"], \"noNewPrivileges\": true," \
	" \"capabilities\": {\"bounding\": [\"CAP_KILL\", \"CAP_CHOWN\"], \"effective\": [\"CAP_KILL\"]," \
	" \"permitted\": [\"CAP_KILL\"]}" extra "}"
static const char *const PLAIN = "{\"ociVersion\": \"1.0.2\", " PROC("") ", \"root\": {\"path\": \"rootfs\"}}";
static const char *const ENGINE = "{\"ociVersion\": \"1.0.2\", " PROC("") ", \"linux\": {\"seccomp\": "
	"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"}]}}}";

struct run {
	struct shim_node_policy pol;
	struct shim_admission adm;
	struct shim_error err;
	json_t *config;
	int rc;
};

static void admit(struct run *r, const char *policy_fmt, const char *config_text, bool check_only)
{
	struct shim_admission_request rq = { .host = &host, .config_name = "t/config.json",
					      .shim_path = shim_path, .check_only = check_only };

	memset(&r->err, 0, sizeof(r->err));
	policy(policy_fmt, &r->pol);
	r->config = config(config_text);
	rq.policy = &r->pol;
	rq.config = r->config;
	r->rc = shim_admit(&rq, &r->adm, &r->err);
}

static void done(struct run *r)
{
	shim_admission_free(&r->adm);
	shim_node_policy_free(&r->pol);
	json_decref(r->config);
}

static void refused(const char *policy_fmt, const char *config_text, const char *msg)
{
	struct run r;

	admit(&r, policy_fmt, config_text, false);
	ck_assert_msg(r.rc < 0, "%s: admitted", config_text);
	ck_assert_msg(strstr(r.err.msg, msg), "expected \"%s\" in: %s", msg, r.err.msg);
	done(&r);
}

static json_t *get(json_t *v, const char *a, const char *b)
{
	v = json_object_get(v, a);
	return b ? json_object_get(v, b) : v;
}

START_TEST(default_profile_when_absent)
{
	struct run r;
	json_t *sc;

	admit(&r, "{}", PLAIN, false);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	ck_assert(r.adm.changed && !r.adm.reporting);
	sc = get(r.config, "linux", "seccomp");
	ck_assert_str_eq(json_string_value(json_object_get(sc, "defaultAction")), "SCMP_ACT_ERRNO");
	ck_assert_int_gt(json_array_size(json_object_get(sc, "syscalls")), 10);
	ck_assert_ptr_nonnull(strstr(json_string_value(get(r.config, "annotations", SHIM_ANNOTATION_APPLIED)),
				     "runtime/default"));
	ck_assert_ptr_nonnull(strstr(r.adm.applied, "linux.seccomp was absent"));
	done(&r);
}
END_TEST

/* Nothing to say: nothing changed, not one byte of the document. */
START_TEST(unchanged_is_identical)
{
	const char *text = "{\"ociVersion\": \"1.0.2\", " PROC(", \"x-vendor\": {\"deep\": [1, {\"a\": null}]}")
		", \"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": []}},"
		" \"annotations\": {\"io.example\": \"v\"}, \"unknownTop\": [true, 2.5]}";
	json_t *before = config(text);
	char *a = json_dumps(before, JSON_COMPACT), *b;
	struct run r;

	admit(&r, "{\"maxCapabilities\": [\"CAP_KILL\", \"CAP_CHOWN\"], \"requireNoNewPrivileges\": true}", text, false);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	ck_assert(!r.adm.changed);
	b = json_dumps(r.config, JSON_COMPACT);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	json_decref(before);
	done(&r);
}
END_TEST

/* Fields the admission does not own survive an edit. */
START_TEST(unknown_fields_kept)
{
	const char *text = "{\"ociVersion\": \"1.0.2\", " PROC(", \"x-vendor\": {\"deep\": [1, {\"a\": null}]}")
		", \"linux\": {\"x-linux\": 7, \"namespaces\": [{\"type\": \"pid\"}]}, \"unknownTop\": [true, 2.5],"
		" \"annotations\": {\"io.example\": \"v\"}}";
	json_t *expect = config(text);
	struct run r;

	admit(&r, "{}", text, false);
	ck_assert_msg(r.rc == 0 && r.adm.changed, "%s", r.err.msg);
	json_object_del(get(r.config, "linux", NULL), "seccomp");
	json_object_del(get(r.config, "annotations", NULL), SHIM_ANNOTATION_APPLIED);
	ck_assert(json_equal(expect, r.config));
	json_decref(expect);
	done(&r);
}
END_TEST

START_TEST(big_integers_survive_text)
{
	const char *text = "{\"ociVersion\": \"1.0.2\", " PROC(", \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\","
		" \"hard\": 18446744073709551615, \"soft\": 18446744073709551615}]") "}";
	struct shim_admission_request rq = { .host = &host, .config_name = "config.json (stdin)" };
	struct shim_node_policy p;
	struct shim_admission adm;
	struct shim_error err = { 0 };
	struct shim_text out = { 0 };

	policy("{}", &p);
	rq.policy = &p;
	ck_assert_msg(shim_admit_text(&rq, text, strlen(text), &out, &adm, &err) == 0, "%s", err.msg);
	ck_assert(adm.changed);
	ck_assert_ptr_nonnull(strstr(out.s, "\"hard\": 18446744073709551615"));
	ck_assert_ptr_nonnull(strstr(out.s, "\"soft\": 18446744073709551615"));
	ck_assert_ptr_nonnull(strstr(out.s, "\"seccomp\""));
	shim_text_free(&out);
	shim_admission_free(&adm);
	/* Malformed: the place is named. */
	ck_assert_int_lt(shim_admit_text(&rq, "{\n\"process\": }", 14, &out, &adm, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "config.json (stdin):2:"));
	ck_assert_int_lt(shim_admit_text(&rq, "[]", 2, &out, &adm, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "not an OCI runtime config"));
	shim_node_policy_free(&p);
}
END_TEST

START_TEST(refusals_name_rule_and_field)
{
	refused("{\"defaultProfile\": \"refuse\"}", PLAIN,
		"policy forbids Unconfined: linux.seccomp is absent and defaultProfile is refuse (policy.json)");
	refused("{\"defaultProfile\": \"refuse\", \"engineProfiles\": \"replace\"}", ENGINE,
		"linux.seccomp is replaced (engineProfiles is replace) and defaultProfile is refuse");
	refused("{}", "{" PROC("") ", \"annotations\": {\"" SHIM_ANNOTATION_PROFILE "\": \"unconfined\"}}",
		"policy forbids Unconfined (allowUnconfined is false in policy.json): annotation org.seccomp-shim.profile is unconfined");
	refused("{\"maxCapabilities\": [\"CAP_KILL\"]}", PLAIN,
		"policy allows no CAP_CHOWN (maxCapabilities in policy.json): process.capabilities.bounding[1] is CAP_CHOWN");
	refused("{\"maxCapabilities\": [\"CAP_KILL\", \"CAP_CHOWN\"]}",
		"{\"process\": {\"args\": [\"x\"], \"capabilities\": {\"ambient\": [\"CAP_KILL\", \"CAP_SYS_ADMIN\"]}}}",
		"policy allows no CAP_SYS_ADMIN (maxCapabilities in policy.json): process.capabilities.ambient[1]");
	refused("{\"maxCapabilities\": []}", "{\"process\": {\"args\": [\"x\"], \"capabilities\": {\"inheritable\": [\"CAP_NET_RAW\"]}}}",
		"process.capabilities.inheritable[0] is CAP_NET_RAW");
	refused("{}", "{\"process\": {\"args\": [\"x\"], \"capabilities\": {\"effective\": [\"CAP_FLY\"]}}}",
		"t/config.json: process.capabilities.effective[0]: unknown capability CAP_FLY");
	refused("{\"requireNoNewPrivileges\": true}", "{\"process\": {\"args\": [\"x\"]}}",
		"policy requires no_new_privs (requireNoNewPrivileges in policy.json): process.noNewPrivileges is absent");
	refused("{\"requireNoNewPrivileges\": true}", "{\"process\": {\"args\": [\"x\"], \"noNewPrivileges\": false}}",
		"process.noNewPrivileges is false");
	refused("{}", "{\"process\": {\"args\": [\"x\"]}, \"annotations\": {\"" SHIM_ANNOTATION_PROFILE "\": \"/etc/x.json\"}}",
		"policy does not allow profile /etc/x.json (allowedProfiles in policy.json, which lists none: built-in profiles only): annotation org.seccomp-shim.profile");
	refused("{\"allowedProfiles\": [\"runtime/default\"]}", ENGINE,
		"policy allows only the profiles it names (allowedProfiles in policy.json): linux.seccomp is the engine's own profile");
	refused("{}", "{\"ociVersion\": \"1.0.2\"}", "t/config.json: process is missing");
	refused("{\"refuseAllowByDefault\": true}",
		"{" PROC("") ", \"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ALLOW\"}}}",
		"policy refuses allow-by-default profiles (refuseAllowByDefault in policy.json): linux.seccomp of t/config.json has defaultAction SCMP_ACT_ALLOW");
	refused("{\"refuseAllowByDefault\": true}",
		"{" PROC("") ", \"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_LOG\"}}}", "defaultAction SCMP_ACT_LOG");
	/* The engine's own profile goes through the pipeline too. */
	refused("{}", "{" PROC("") ", \"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_DENY\"}}}", "SCMP_ACT_DENY");
}
END_TEST

/* Whoever writes the config (the pod's author) cannot claim it went
 * through seccomp-shim already. */
START_TEST(forged_report_prefix_refused)
{
	refused("{}", "{" PROC("") ", \"annotations\": {\"" SHIM_ANNOTATION_INJECTED "\": \"[\\\"/bin/true\\\"]\"}}",
		"annotation org.seccomp-shim.report-prefix is set by seccomp-shim itself");
	refused("{\"report\": \"on\"}", "{" PROC("") ", \"annotations\": {\"" SHIM_ANNOTATION_INJECTED "\": \"\"}}",
		"org.seccomp-shim.report-prefix");
}
END_TEST

START_TEST(unconfined_allowed)
{
	const char *ann = ", \"annotations\": {\"" SHIM_ANNOTATION_PROFILE "\": \"unconfined\"}}";
	char text[1024];
	struct run r;

	snprintf(text, sizeof(text), "%.*s%s", (int)strlen(ENGINE) - 1, ENGINE, ann);
	admit(&r, "{\"allowUnconfined\": true}", text, false);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	ck_assert(r.adm.changed);
	ck_assert_ptr_null(get(r.config, "linux", "seccomp"));
	ck_assert_str_eq(r.adm.applied, "unconfined (annotation)");
	done(&r);
	admit(&r, "{\"defaultProfile\": \"unconfined\"}", PLAIN, false);
	ck_assert(r.rc == 0 && !r.adm.changed);
	done(&r);
}
END_TEST

/* A profile an annotation names: beneath an allowed directory, no link,
 * written by root (or us) alone. */
START_TEST(annotation_files)
{
	const char *pol = "{\"allowedProfiles\": [\"runtime/default\", \"%s/p/\"], \"refuseAllowByDefault\": true}";
	const char *good = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}";
	char text[1024], ref[256];
	struct run r;

	ck_assert_int_eq(mkdir(at("p"), 0755), 0);
	ck_assert_int_eq(mkdir(at("p/sub"), 0755), 0);
	put("p/good.json", good, 0644);
	put("p/allow.json", "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}", 0644);
	put("p/open.json", good, 0666);
	put("elsewhere.json", good, 0644);
	ck_assert_int_eq(symlink("good.json", at("p/link.json")), 0);
	ck_assert_int_eq(symlink("..", at("p/up")), 0);
	ck_assert_int_eq(symlink(dir, at("p/sub/abs")), 0);
#define NAMED(rel) (snprintf(ref, sizeof(ref), "%s/" rel, dir), \
	snprintf(text, sizeof(text), "{" PROC("") ", \"annotations\": {\"" SHIM_ANNOTATION_PROFILE "\": \"%s\"}}", ref), text)

	admit(&r, pol, NAMED("p/good.json"), false);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	ck_assert(r.adm.changed);
	ck_assert_int_eq(json_array_size(json_object_get(get(r.config, "linux", "seccomp"), "syscalls")) > 0, 1);
	ck_assert_ptr_nonnull(strstr(r.adm.applied, "(annotation)"));
	done(&r);
	refused(pol, NAMED("p/link.json"), "no link is followed in a profile an annotation names");
	refused(pol, NAMED("p/up/elsewhere.json"), "no link is followed");
	refused(pol, NAMED("p/sub/abs/elsewhere.json"), "no link is followed");
	refused(pol, NAMED("p/../elsewhere.json"), "policy does not allow profile");
	refused(pol, NAMED("elsewhere.json"), "policy does not allow profile");
	refused(pol, NAMED("p/open.json"), "not a regular file that belongs to root");
	refused(pol, NAMED("p/sub"), "not a regular file");
	refused(pol, NAMED("p/missing.json"), "No such file");
	refused(pol, NAMED("p/allow.json"), "refuseAllowByDefault");
	if (geteuid() == 0) {
		put("p/nobody.json", good, 0644);
		ck_assert_int_eq(chown(at("p/nobody.json"), 65534, 65534), 0);
		refused(pol, NAMED("p/nobody.json"), "not a regular file that belongs to root and is writable by no one else");
	} else {
		printf("SKIP profile owned by another user: not root (chown)\n");
	}
#undef NAMED
}
END_TEST

static const char *arg(json_t *config, size_t i)
{
	return json_string_value(json_array_get(get(config, "process", "args"), i));
}

START_TEST(reporting_injected)
{
	json_t *mounts, *m, *prefix;
	char *options;
	struct run r;

	admit(&r, "{\"report\": \"on\", \"shim\": \"%s/seccomp-shim-static\"}", ENGINE, false);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	ck_assert(r.adm.changed && r.adm.reporting);
	ck_assert_str_eq(arg(r.config, 0), "/.seccomp-shim/seccomp-shim");
	ck_assert_str_eq(arg(r.config, 1), "--report");
	ck_assert_str_eq(arg(r.config, 2), "--profile-json"); /* the engine's profile, resolved */
	ck_assert_ptr_nonnull(strstr(arg(r.config, 3), "SCMP_ACT_ERRNO"));
	ck_assert_str_eq(arg(r.config, 4), "--");
	ck_assert_str_eq(arg(r.config, 5), "/bin/sh");
	ck_assert_str_eq(arg(r.config, 7), "x");
	ck_assert_ptr_null(get(r.config, "linux", "seccomp"));
	mounts = get(r.config, "mounts", NULL);
	m = json_array_get(mounts, json_array_size(mounts) - 1);
	ck_assert_str_eq(json_string_value(json_object_get(m, "destination")), "/.seccomp-shim/seccomp-shim");
	ck_assert_str_eq(json_string_value(json_object_get(m, "source")), shim_path);
	ck_assert_str_eq(json_string_value(json_object_get(m, "type")), "bind");
	options = json_dumps(json_object_get(m, "options"), JSON_COMPACT);
	ck_assert_str_eq(options, "[\"bind\",\"ro\",\"nosuid\",\"nodev\"]");
	free(options);
	/* The annotation holds exactly the prefix, for exec. */
	prefix = json_loads(json_string_value(get(r.config, "annotations", SHIM_ANNOTATION_INJECTED)), 0, NULL);
	ck_assert_int_eq(json_array_size(prefix), 5);
	for (size_t i = 0; i < 5; i++)
		ck_assert_str_eq(json_string_value(json_array_get(prefix, i)), arg(r.config, i));
	json_decref(prefix);
	ck_assert_ptr_nonnull(strstr(json_string_value(get(r.config, "annotations", SHIM_ANNOTATION_APPLIED)),
				     "denials reported"));
	done(&r);

	/* A built-in goes by name: the static shim has it. */
	admit(&r, "{\"report\": \"on\"}", PLAIN, false);
	ck_assert_msg(r.rc == 0 && r.adm.reporting, "%s", r.err.msg);
	ck_assert_str_eq(arg(r.config, 2), "--profile");
	ck_assert_str_eq(arg(r.config, 3), "runtime/default");
	done(&r);
}
END_TEST

START_TEST(reporting_refusals)
{
	const char *ptrace = "{\"process\": {\"args\": [\"x\"], \"capabilities\": {\"bounding\": [\"CAP_SYS_PTRACE\"]}}}";
	struct run r;

	/* CAP_SYS_PTRACE could take over the supervisor: skipped, noted,
	 * and the profile applied by the runtime instead. */
	admit(&r, "{\"report\": \"on\"}", ptrace, false);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	ck_assert(r.adm.changed && !r.adm.reporting);
	ck_assert_ptr_nonnull(get(r.config, "linux", "seccomp"));
	ck_assert_str_eq(arg(r.config, 0), "x");
	ck_assert_uint_eq(r.adm.notes.n, 1);
	ck_assert_ptr_nonnull(strstr(r.adm.notes.v[0].message, "CAP_SYS_PTRACE"));
	done(&r);
	refused("{\"report\": \"always\"}", ptrace,
		"policy reports every denial (report is always in policy.json), but the container holds CAP_SYS_PTRACE (process.capabilities.bounding)");

	/* The createRuntime hook can change nothing. */
	admit(&r, "{\"report\": \"on\"}", PLAIN, true);
	ck_assert_msg(r.rc == 0, "%s", r.err.msg);
	ck_assert(!r.adm.reporting);
	ck_assert_ptr_nonnull(strstr(r.adm.notes.v[0].message, "this hook only checks"));
	done(&r);
	admit(&r, "{\"report\": \"always\"}", PLAIN, true);
	ck_assert_int_lt(r.rc, 0);
	ck_assert_ptr_nonnull(strstr(r.err.msg, "this hook only checks"));
	done(&r);

	/* After the precreate hook, exec is not prefixed: no reporting. */
	{
		struct shim_admission_request rq = { .host = &host, .config_name = "c", .shim_path = shim_path,
						      .exec_unprefixed = true };
		struct shim_node_policy p;
		struct shim_admission adm;
		struct shim_error err = { 0 };
		struct shim_text out = { 0 };

		policy("{\"report\": \"on\"}", &p);
		rq.policy = &p;
		ck_assert_int_eq(shim_admit_text(&rq, PLAIN, strlen(PLAIN), &out, &adm, &err), 0);
		ck_assert(!adm.reporting && strstr(out.s, "\"seccomp\""));
		ck_assert_ptr_nonnull(strstr(adm.notes.v[0].message, "precreate hook"));
		shim_text_free(&out);
		shim_admission_free(&adm);
		shim_node_policy_free(&p);
		policy("{\"report\": \"always\"}", &p);
		rq.policy = &p;
		ck_assert_int_lt(shim_admit_text(&rq, PLAIN, strlen(PLAIN), &out, &adm, &err), 0);
		ck_assert_ptr_nonnull(strstr(err.msg, "only the runtime wrapper can set up"));
		shim_node_policy_free(&p);
	}
	refused("{\"report\": \"on\"}", "{" PROC("") ", \"annotations\": {\"" SHIM_ANNOTATION_REPORT "\": \"yes\"}}",
		"annotation org.seccomp-shim.report is yes: expected true or false");
	refused("{\"report\": \"always\"}", "{" PROC("") ", \"annotations\": {\"" SHIM_ANNOTATION_REPORT "\": \"false\"}}",
		"policy reports every denial (report is always in policy.json): annotation org.seccomp-shim.report is false");
	refused("{\"report\": \"on\"}", "{\"process\": {\"args\": []}}", "process.args is missing or empty");
	/* What is mounted must run in any image: a static program. */
	put("seccomp-shim-static", "#!/bin/sh\n", 0755);
	refused("{\"report\": \"on\"}", PLAIN, shim_path);
	unlink(shim_path);
	refused("{\"report\": \"on\"}", PLAIN, shim_path);
}
END_TEST

START_TEST(reporting_by_annotation)
{
	struct run r;

	admit(&r, "{\"report\": \"off\", \"shim\": \"%s/seccomp-shim-static\"}",
	      "{" PROC("") ", \"annotations\": {\"" SHIM_ANNOTATION_REPORT "\": \"true\"}}", false);
	ck_assert_msg(r.rc == 0 && r.adm.reporting, "%s", r.err.msg);
	done(&r);
	admit(&r, "{\"report\": \"on\"}", "{" PROC("") ", \"annotations\": {\"" SHIM_ANNOTATION_REPORT "\": \"false\"}}", false);
	ck_assert_msg(r.rc == 0 && !r.adm.reporting && r.adm.changed, "%s", r.err.msg);
	done(&r);
	/* The pod's pause container has nothing to report. */
	admit(&r, "{\"report\": \"on\"}", "{" PROC("") ", \"annotations\": {\"io.kubernetes.cri.container-type\": \"sandbox\"}}", false);
	ck_assert_msg(r.rc == 0 && !r.adm.reporting, "%s", r.err.msg);
	done(&r);
}
END_TEST

/* A shim that someone else could replace runs first in every container. */
START_TEST(shim_trust)
{
	const char *pol = "{\"report\": \"on\", \"shim\": \"%s/seccomp-shim-static\"}";

	ck_assert_int_eq(chmod(shim_path, 0777), 0);
	refused(pol, PLAIN, "the shim every container runs first must belong to root");
	ck_assert_int_eq(chmod(shim_path, 0755), 0);
	if (geteuid() == 0) {
		ck_assert_int_eq(chown(shim_path, 65534, 65534), 0);
		refused(pol, PLAIN, "belongs to uid 65534");
	}
}
END_TEST

START_TEST(state_and_process)
{
	struct shim_error err = { 0 };
	struct shim_argv prefix = { 0 };
	struct shim_text out = { 0 };
	char *bundle = NULL;
	const char *state = "{\"id\": \"c\", \"bundle\": \"/b\", \"annotations\": {\"" SHIM_ANNOTATION_INJECTED
		"\": \"[\\\"/.seccomp-shim/seccomp-shim\\\", \\\"--report\\\", \\\"--\\\"]\"}}";
	json_t *proc;

	ck_assert_int_eq(shim_state_bundle(state, strlen(state), &bundle, &err), 0);
	ck_assert_str_eq(bundle, "/b");
	free(bundle);
	ck_assert_int_lt(shim_state_bundle("{}", 2, &bundle, &err), 0);
	ck_assert_int_eq(shim_state_report_prefix(state, strlen(state), &prefix, &err), 1);
	ck_assert_uint_eq(prefix.n, 3);
	ck_assert_str_eq(prefix.v[2], "--");
	ck_assert_int_eq(shim_state_report_prefix("{\"id\": \"c\"}", 11, &(struct shim_argv){ 0 }, &err), 0);
	/* A state that cannot be read never means "no reporting". */
	ck_assert_int_lt(shim_state_report_prefix("{\"id\": \"c\"", 11, &(struct shim_argv){ 0 }, &err), 0);
	ck_assert_int_lt(shim_state_report_prefix("", 0, &(struct shim_argv){ 0 }, &err), 0);
	state = "{\"annotations\": {\"" SHIM_ANNOTATION_INJECTED "\": \"[1]\"}}";
	ck_assert_int_lt(shim_state_report_prefix(state, strlen(state), &(struct shim_argv){ 0 }, &err), 0);

	put("process.json", "{\"args\": [\"sh\", \"-c\", \"id\"], \"cwd\": \"/\", \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\","
	    " \"hard\": 18446744073709551615, \"soft\": 18446744073709551615}]}", 0644);
	ck_assert_int_eq(shim_process_prefixed(at("process.json"), &prefix, &out, &err), 0);
	/* The big integers are written back as they were. */
	ck_assert_ptr_nonnull(strstr(out.s, "\"hard\": 18446744073709551615"));
	proc = json_loads(strstr(out.s, "\"args\": ") + 8, JSON_DISABLE_EOF_CHECK, NULL);
	ck_assert_str_eq(json_string_value(json_array_get(proc, 0)), "/.seccomp-shim/seccomp-shim");
	ck_assert_str_eq(json_string_value(json_array_get(proc, 3)), "sh");
	json_decref(proc);
	shim_text_free(&out);
	put("process.json", "{\"args\": [\"sh\"], \"capabilities\": {\"ambient\": [\"CAP_KILL\", \"CAP_SYS_PTRACE\"]}}", 0644);
	ck_assert_int_lt(shim_process_prefixed(at("process.json"), &prefix, &out, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "process.capabilities.ambient[1] is CAP_SYS_PTRACE"));
	put("process.json", "{\"cwd\": \"/\"}", 0644);
	ck_assert_int_lt(shim_process_prefixed(at("process.json"), &prefix, &out, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "process.args is missing or empty"));
	ck_assert_int_lt(shim_process_prefixed(at("absent.json"), &prefix, &out, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "No such file"));
	shim_argv_free(&prefix);
}
END_TEST

/* An exec adds no capability beyond maxCapabilities, by flag or file. */
START_TEST(exec_within_max_caps)
{
	struct shim_node_policy p;
	struct shim_error err = { 0 };
	char *ok_caps[] = { "CAP_KILL", "kill" }, *bad_caps[] = { "CAP_KILL", "CAP_SYS_ADMIN" },
	     *unknown[] = { "CAP_FLY" };

	policy("{\"maxCapabilities\": [\"CAP_KILL\", \"CAP_CHOWN\"]}", &p);
	ck_assert_int_eq(shim_exec_admit(&p, NULL, ok_caps, 2, &err), 0);
	ck_assert_int_lt(shim_exec_admit(&p, NULL, bad_caps, 2, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "policy allows no CAP_SYS_ADMIN (maxCapabilities in"));
	ck_assert_ptr_nonnull(strstr(err.msg, "exec --cap CAP_SYS_ADMIN"));
	ck_assert_int_lt(shim_exec_admit(&p, NULL, unknown, 1, &err), 0);
	put("proc.json", "{\"args\": [\"sh\"], \"capabilities\": {\"bounding\": [\"CAP_CHOWN\"], \"permitted\": [\"CAP_KILL\", \"CAP_NET_RAW\"]}}", 0644);
	ck_assert_int_lt(shim_exec_admit(&p, at("proc.json"), NULL, 0, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "proc.json: process.capabilities.permitted[1]"));
	put("proc.json", "{\"args\": [\"sh\"], \"capabilities\": {\"bounding\": [\"CAP_CHOWN\", \"CAP_KILL\"]}}", 0644);
	ck_assert_int_eq(shim_exec_admit(&p, at("proc.json"), NULL, 0, &err), 0);
	shim_node_policy_free(&p);
	/* No maxCapabilities: nothing to check. */
	policy("{}", &p);
	ck_assert_int_eq(shim_exec_admit(&p, NULL, bad_caps, 2, &err), 0);
	shim_node_policy_free(&p);
}
END_TEST

Suite *admission_suite(void)
{
	Suite *s = suite_create("admission");
	TCase *tc = tcase_create("admit");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, default_profile_when_absent);
	tcase_add_test(tc, unchanged_is_identical);
	tcase_add_test(tc, unknown_fields_kept);
	tcase_add_test(tc, big_integers_survive_text);
	tcase_add_test(tc, refusals_name_rule_and_field);
	tcase_add_test(tc, forged_report_prefix_refused);
	tcase_add_test(tc, unconfined_allowed);
	tcase_add_test(tc, annotation_files);
	tcase_add_test(tc, reporting_injected);
	tcase_add_test(tc, reporting_refusals);
	tcase_add_test(tc, reporting_by_annotation);
	tcase_add_test(tc, shim_trust);
	tcase_add_test(tc, state_and_process);
	tcase_add_test(tc, exec_within_max_caps);
	suite_add_tcase(s, tc);
	return s;
}
