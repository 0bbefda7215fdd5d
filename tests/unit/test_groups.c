/* groups and new: the group table, its expansion, and the profiles new
 * writes from it (parsed, compiled and run in the interpreter here). */
#include <errno.h>
#include <seccomp.h>
#include <sys/syscall.h>

#include "suites.h"

/* Names in the table that libseccomp 2.5.4 does not know yet: the
 * kernel has them, so the table keeps them for a newer libseccomp. Any
 * other unknown member is a typo. */
static const char *const newer_than_libseccomp[] = { "riscv_hwprobe", "uretprobe", NULL };

static bool is_newer(const char *name)
{
	for (const char *const *n = newer_than_libseccomp; *n; n++)
		if (strcmp(*n, name) == 0)
			return true;
	return false;
}

static void names_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static bool has(char **v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], name) == 0)
			return true;
	return false;
}

START_TEST(table_is_sound)
{
	size_t n;
	const struct shim_group *g = shim_groups(&n);

	ck_assert_uint_ge(n, 29);
	for (size_t i = 0; i < n; i++) {
		struct shim_error err = { 0 };
		char **v = NULL;
		size_t k = 0;

		ck_assert_msg(g[i].name[0] == '@', "%s", g[i].name);
		ck_assert_msg(i == 0 || strcmp(g[i - 1].name, g[i].name) < 0, "%s: not in order", g[i].name);
		ck_assert_ptr_eq(shim_group_find(g[i].name), &g[i]);
		ck_assert_msg(shim_group_expand(g[i].name, &v, &k, &err) == 0, "%s: %s", g[i].name, err.msg);
		ck_assert_uint_gt(k, 0);
		for (size_t j = 0; j < k; j++)
			ck_assert_msg(seccomp_syscall_resolve_name(v[j]) != __NR_SCMP_ERROR || is_newer(v[j]),
				      "%s: \"%s\" is not a syscall libseccomp knows", g[i].name, v[j]);
		names_free(v, k);
	}
	ck_assert_ptr_null(shim_group_find("@known"));
	ck_assert_ptr_null(shim_group_find("mount"));
}
END_TEST

START_TEST(expansion_follows_nested_groups)
{
	struct shim_error err = { 0 };
	char **v = NULL;
	size_t n = 0;

	ck_assert_int_eq(shim_group_expand("@system-service", &v, &n, &err), 0);
	/* From @default, @process, @network-io, @file-system and its own. */
	ck_assert(has(v, n, "execve") && has(v, n, "clone") && has(v, n, "socket") &&
		  has(v, n, "openat") && has(v, n, "uname"));
	ck_assert(!has(v, n, "mount") && !has(v, n, "reboot") && !has(v, n, "init_module"));
	names_free(v, n);
	v = NULL;
	n = 0;
	ck_assert_int_eq(shim_group_expand("@privileged", &v, &n, &err), 0);
	ck_assert(has(v, n, "chown") && has(v, n, "settimeofday") && has(v, n, "reboot") &&
		  has(v, n, "swapon") && has(v, n, "bpf"));
	/* A plain name is itself. */
	ck_assert_int_eq(shim_group_expand("mkdir", &v, &n, &err), 0);
	ck_assert_str_eq(v[n - 1], "mkdir");
	names_free(v, n);
	v = NULL;
	n = 0;
	ck_assert_int_lt(shim_group_expand("@mounts", &v, &n, &err), 0);
	ck_assert_str_eq(err.msg, "unknown syscall group \"@mounts\" (seccomp-shim new --list shows the groups)");
	names_free(v, n);
}
END_TEST

/* Parses, resolves and compiles text for x86_64; runs nr through it. */
static uint32_t verdict(const char *text, int nr)
{
	struct shim_host h = { .arch = shim_arch_by_oci("SCMP_ARCH_X86_64"), .kernel_major = 6,
			       .kernel_minor = 1 };
	struct shim_profile *p = parse_ok(text);
	struct shim_policy pol = { 0 };
	struct shim_filter f = { 0 };
	struct shim_seccomp_data d = { .nr = nr, .arch = SCMP_ARCH_X86_64 };
	struct shim_error err = { 0 };
	uint32_t ret = 0;

	ck_assert_msg(shim_resolve(p, &h, &pol, NULL, &err) == 0, "%s", err.msg);
	ck_assert_msg(shim_compile(p, &pol, NULL, &f, NULL, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(shim_bpf_run(f.insns, f.n_insns, &d, &ret, &err), 0);
	shim_filter_free(&f);
	shim_policy_free(&pol);
	shim_profile_free(p);
	return ret;
}

static char *new_profile(struct shim_new_request *rq, struct shim_warnings *w)
{
	struct shim_text out = { 0 };
	struct shim_error err = { 0 };

	rq->arch = shim_arch_by_oci("SCMP_ARCH_X86_64");
	ck_assert_msg(shim_new_profile(rq, &out, w, &err) == 0, "%s", err.msg);
	return out.s;
}

START_TEST(new_writes_a_standard_allow_list)
{
	char *allow[] = { "@system-service" }, *deny[] = { "@mount", "clone3" };
	struct shim_new_request rq = { .allow = allow, .n_allow = 1, .deny = deny, .n_deny = 2 };
	struct shim_warnings w = { 0 };
	char *text = new_profile(&rq, &w);
	struct shim_profile *p = parse_ok(text);

	/* What runc reads: defaultAction, its errno, architectures, names. */
	ck_assert_int_eq(p->default_action.kind, SHIM_ACT_ERRNO);
	ck_assert_uint_eq(p->default_action.errno_ret, EPERM);
	ck_assert_uint_eq(p->n_architectures, 3);
	ck_assert_str_eq(p->architectures[0]->oci, "SCMP_ARCH_X86_64");
	ck_assert_str_eq(p->architectures[1]->oci, "SCMP_ARCH_X86");
	ck_assert_str_eq(p->architectures[2]->oci, "SCMP_ARCH_X32");
	ck_assert_uint_eq(p->n_arch_map, 0);
	ck_assert_uint_eq(p->n_rules, 1);
	ck_assert_int_eq(p->rules[0].action.kind, SHIM_ACT_ALLOW);
	for (size_t i = 1; i < p->rules[0].n_names; i++)
		ck_assert_str_lt(p->rules[0].names[i - 1], p->rules[0].names[i]);
	/* Names of other architectures are left out; unknown ones said once. */
	ck_assert(!has(p->rules[0].names, p->rules[0].n_names, "arm_fadvise64_64"));
	ck_assert(has(p->rules[0].names, p->rules[0].n_names, "_llseek"));
	ck_assert_uint_eq(w.n, 1);
	ck_assert_str_eq(strstr(w.v[0].message, " does not know them: "), " does not know them: riscv_hwprobe, uretprobe");
	shim_profile_free(p);
	/* Denies win: mount and clone3 are not allowed; clone is. */
	ck_assert_uint_eq(verdict(text, SYS_clone), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(verdict(text, SYS_mount), SECCOMP_RET_ERRNO | EPERM);
	ck_assert_uint_eq(verdict(text, SYS_openat), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(verdict(text, SYS_reboot), SECCOMP_RET_ERRNO | EPERM);
	ck_assert_uint_eq(verdict(text, SYS_clone3), SECCOMP_RET_ERRNO | EPERM);
	/* Above everything allowed, runc's stub gives ENOSYS. */
	ck_assert_uint_eq(verdict(text, 500), SECCOMP_RET_ERRNO | ENOSYS);
	shim_warnings_free(&w);
	free(text);
}
END_TEST

START_TEST(new_default_is_always_allowed_unless_denied)
{
	char *allow[] = { "read" }, *deny[] = { "getpid" };
	struct shim_new_request rq = { .allow = allow, .n_allow = 1, .deny = deny, .n_deny = 1 };
	char *text = new_profile(&rq, NULL);

	ck_assert_uint_eq(verdict(text, SYS_read), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(verdict(text, SYS_execve), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(verdict(text, SYS_exit_group), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(verdict(text, SYS_getpid), SECCOMP_RET_ERRNO | EPERM);
	ck_assert_uint_eq(verdict(text, SYS_write), SECCOMP_RET_ERRNO | EPERM);
	free(text);
}
END_TEST

START_TEST(new_deny_list)
{
	char *deny[] = { "@mount", "@module" };
	struct shim_new_request rq = { .deny = deny, .n_deny = 2,
				       .default_action = { .kind = SHIM_ACT_ALLOW },
				       .deny_errno = ENOSYS };
	char *text = new_profile(&rq, NULL);
	struct shim_profile *p = parse_ok(text);

	ck_assert_int_eq(p->default_action.kind, SHIM_ACT_ALLOW);
	ck_assert_uint_eq(p->n_rules, 1);
	ck_assert_int_eq(p->rules[0].action.kind, SHIM_ACT_ERRNO);
	ck_assert_uint_eq(p->rules[0].action.errno_ret, ENOSYS);
	shim_profile_free(p);
	ck_assert_uint_eq(verdict(text, SYS_mount), SECCOMP_RET_ERRNO | ENOSYS);
	ck_assert_uint_eq(verdict(text, SYS_finit_module), SECCOMP_RET_ERRNO | ENOSYS);
	ck_assert_uint_eq(verdict(text, SYS_mkdir), SECCOMP_RET_ALLOW);
	free(text);
}
END_TEST

START_TEST(new_kill_default)
{
	char *allow[] = { "@basic-io" };
	struct shim_new_request rq = { .allow = allow, .n_allow = 1,
				       .default_action = { .kind = SHIM_ACT_KILL_PROCESS } };
	char *text = new_profile(&rq, NULL);

	ck_assert_ptr_null(strstr(text, "defaultErrnoRet"));
	ck_assert_uint_eq(verdict(text, SYS_write), SECCOMP_RET_ALLOW);
	ck_assert_uint_eq(verdict(text, SYS_mkdir), SECCOMP_RET_KILL_PROCESS);
	free(text);
}
END_TEST

static const struct {
	const char *allow, *deny;
	enum shim_action_kind def;
	const char *msg;
} new_errors[] = {
	{ "mkdri", NULL, 0,
	  "--allow mkdri: unknown syscall: libseccomp %V does not know it (did you mean \"mkdir\"? a group starts with @: seccomp-shim new --list shows them)" },
	{ NULL, "@nope", 0, "--deny: unknown syscall group \"@nope\" (seccomp-shim new --list shows the groups)" },
	{ "read", NULL, SHIM_ACT_ALLOW,
	  "--allow with default action allow: everything is allowed already; say what to deny with --deny" },
	{ "read", NULL, SHIM_ACT_NOTIFY,
	  "default action SCMP_ACT_NOTIFY: it needs a tracer or a seccomp agent; use errno, kill-process, kill-thread, trap, log or allow" },
};

START_TEST(new_refuses)
{
	char *allow[] = { (char *)new_errors[_i].allow }, *deny[] = { (char *)new_errors[_i].deny };
	struct shim_new_request rq = { .allow = allow, .n_allow = allow[0] != NULL,
				       .deny = deny, .n_deny = deny[0] != NULL,
				       .default_action = { .kind = new_errors[_i].def } };
	const struct scmp_version *v = seccomp_version();
	struct shim_text out = { 0 };
	struct shim_error err = { 0 };
	char msg[512];

	/* "%V" in a message stands for libseccomp's version. */
	const char *at = strstr(new_errors[_i].msg, "%V");
	if (at)
		snprintf(msg, sizeof(msg), "%.*s%u.%u.%u%s", (int)(at - new_errors[_i].msg),
			 new_errors[_i].msg, v->major, v->minor, v->micro, at + 2);
	else
		snprintf(msg, sizeof(msg), "%s", new_errors[_i].msg);
	ck_assert_int_lt(shim_new_profile(&rq, &out, NULL, &err), 0);
	ck_assert_str_eq(err.msg, msg);
	ck_assert_ptr_null(out.s);
}
END_TEST

START_TEST(arch_families)
{
	const struct shim_arch_info *fam[8];

	ck_assert_uint_eq(shim_arch_family(shim_arch_by_oci("SCMP_ARCH_AARCH64"), fam, 8), 2);
	ck_assert_str_eq(fam[1]->oci, "SCMP_ARCH_ARM");
	ck_assert_uint_eq(shim_arch_family(shim_arch_by_oci("SCMP_ARCH_RISCV64"), fam, 8), 1);
	ck_assert_uint_eq(shim_arch_family(shim_arch_by_oci("SCMP_ARCH_X86_64"), fam, 2), 2);
}
END_TEST

Suite *groups_suite(void)
{
	Suite *s = suite_create("groups");
	TCase *tc = tcase_create("groups and new");

	tcase_add_test(tc, table_is_sound);
	tcase_add_test(tc, expansion_follows_nested_groups);
	tcase_add_test(tc, new_writes_a_standard_allow_list);
	tcase_add_test(tc, new_default_is_always_allowed_unless_denied);
	tcase_add_test(tc, new_deny_list);
	tcase_add_test(tc, new_kill_default);
	tcase_add_loop_test(tc, new_refuses, 0, sizeof(new_errors) / sizeof(new_errors[0]));
	tcase_add_test(tc, arch_families);
	suite_add_tcase(s, tc);
	return s;
}
