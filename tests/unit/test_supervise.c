/* Supervised runs without running anything: the notify program against
 * the profile's (same path for every call, only denying returns
 * changed), argument decoding, report lines and JSON, the summary, audit
 * records. */
#include <errno.h>
#include <jansson.h>
#include <seccomp.h>
#include <sys/wait.h>
#include <linux/seccomp.h>

#include "suites.h"
#include "internal.h"

struct compiled {
	struct shim_profile *p;
	struct shim_policy pol;
	struct shim_filter f;
};

static struct compiled build(const char *text)
{
	struct compiled c = { .p = parse_ok(text) };
	struct shim_host h = { .arch = shim_arch_by_oci("SCMP_ARCH_X86_64"), .kernel_major = 6,
			       .bounding = 0, .supported_flags = SECCOMP_FILTER_FLAG_SPEC_ALLOW };
	struct shim_error err = { 0 };

	ck_assert_int_eq(shim_resolve(c.p, &h, &c.pol, NULL, &err), 0);
	if (shim_compile(c.p, &c.pol, NULL, &c.f, NULL, &err) < 0)
		ck_abort_msg("compile failed: %s", err.msg);
	return c;
}

static void release(struct compiled *c)
{
	shim_filter_free(&c->f);
	shim_policy_free(&c->pol);
	shim_profile_free(c->p);
}

static const char *const mixed =
	"{ \"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1,"
	"  \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"],"
	"  \"syscalls\": ["
	"    { \"names\": [\"read\", \"write\", \"close\", \"exit_group\", \"getuid\"], \"action\": \"SCMP_ACT_ALLOW\" },"
	"    { \"names\": [\"getpid\"], \"action\": \"SCMP_ACT_LOG\" },"
	"    { \"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 13 },"
	"    { \"names\": [\"keyctl\"], \"action\": \"SCMP_ACT_KILL_PROCESS\" },"
	"    { \"names\": [\"add_key\"], \"action\": \"SCMP_ACT_KILL_THREAD\" },"
	"    { \"names\": [\"request_key\"], \"action\": \"SCMP_ACT_TRAP\" },"
	"    { \"names\": [\"acct\"], \"action\": \"SCMP_ACT_TRACE\" },"
	"    { \"names\": [\"socket\"], \"action\": \"SCMP_ACT_ALLOW\","
	"      \"args\": [ { \"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_EQ\" } ] }"
	"  ] }";

static uint32_t run(const struct shim_filter *f, uint32_t arch, int nr, uint64_t a0)
{
	struct shim_seccomp_data d = { .nr = nr, .arch = arch, .args = { a0 } };
	struct shim_error err = { 0 };
	uint32_t ret;

	ck_assert_int_eq(shim_bpf_run(f->insns, f->n_insns, &d, &ret, &err), 0);
	return ret;
}

/* Every call of both arches, a few first arguments: the notify program
 * gives USER_NOTIF exactly where the profile's gives a rewritten verdict,
 * and the same verdict everywhere else. */
static void check_mode(const struct compiled *c, enum shim_notify_mode mode)
{
	static const uint32_t arches[] = { SCMP_ARCH_X86_64, SCMP_ARCH_X86 };
	struct shim_filter n;
	struct shim_error err = { 0 };
	size_t rewritten, notified = 0;
	long stub = shim_stub_ret_index(&c->f);

	ck_assert_int_ge(stub, 1);
	ck_assert_int_eq(shim_notify_program(&c->f, mode, &n, &rewritten, &err), 0);
	ck_assert_uint_eq(n.n_insns, c->f.n_insns);
	ck_assert_uint_gt(rewritten, 0);
	for (size_t i = 0; i < n.n_insns; i++) {
		const struct sock_filter *a = &c->f.insns[i], *b = &n.insns[i];
		ck_assert(a->code == b->code && a->jt == b->jt && a->jf == b->jf);
		if (a->k != b->k)
			ck_assert(a->code == (BPF_RET | BPF_K) && b->k == SECCOMP_RET_USER_NOTIF);
	}
	for (size_t a = 0; a < 2; a++)
		for (int nr = 0; nr < 1100; nr += 1)
			for (uint64_t a0 = 0; a0 < 3; a0++) {
				uint32_t want = run(&c->f, arches[a], nr, a0), got = run(&n, arches[a], nr, a0);
				uint32_t action = want & SECCOMP_RET_ACTION_FULL;
				bool is_stub = want == (SECCOMP_RET_ERRNO | ENOSYS) &&
					       nr > shim_policy_max_nr(&c->pol, arches[a]);
				bool notify = mode == SHIM_NOTIFY_REPORT
						      ? action == SECCOMP_RET_ERRNO && !is_stub
						      : action != SECCOMP_RET_ALLOW && action != SECCOMP_RET_LOG;
				ck_assert_msg(got == (notify ? SECCOMP_RET_USER_NOTIF : want),
					      "arch %#x nr %d a0 %llu: %#x from %#x", arches[a], nr,
					      (unsigned long long)a0, got, want);
				notified += notify;
			}
	ck_assert_uint_gt(notified, 0);
	shim_filter_free(&n);
}

START_TEST(notify_program_report)
{
	struct compiled c = build(mixed);
	check_mode(&c, SHIM_NOTIFY_REPORT);
	release(&c);
}
END_TEST

START_TEST(notify_program_complain)
{
	struct compiled c = build(mixed);
	check_mode(&c, SHIM_NOTIFY_COMPLAIN);
	release(&c);
}
END_TEST

static long cached(const struct shim_filter *f)
{
	struct shim_text t = { 0 };
	const char *at;
	long n;

	ck_assert_int_eq(shim_filter_stats(f, SCMP_ARCH_X86_64, &t, NULL), 0);
	at = strstr(t.s, "(the kernel caches them): ");
	ck_assert_ptr_nonnull(at);
	n = strtol(at + strlen("(the kernel caches them): "), NULL, 10);
	shim_text_free(&t);
	return n;
}

/* The kernel's action cache keeps a syscall whose path reads no argument
 * and ends in ALLOW: those paths do not change. */
START_TEST(notify_program_keeps_the_cache)
{
	struct compiled c = build(mixed);
	struct shim_filter n;

	ck_assert_int_eq(shim_notify_program(&c.f, SHIM_NOTIFY_COMPLAIN, &n, NULL, NULL), 0);
	ck_assert_int_eq(cached(&n), cached(&c.f));
	ck_assert_int_gt(cached(&n), 3);
	shim_filter_free(&n);
	release(&c);
}
END_TEST

START_TEST(notify_program_refuses_ret_a)
{
	struct sock_filter insns[] = { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0), BPF_STMT(BPF_RET | BPF_A, 0) };
	struct shim_filter f = { .insns = insns, .n_insns = 2 }, n;
	struct shim_error err = { 0 };

	ck_assert_int_eq(shim_notify_program(&f, SHIM_NOTIFY_REPORT, &n, NULL, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "returns a computed value"));
	ck_assert_int_eq(shim_stub_ret_index(&f), -1);
}
END_TEST

/* A default that allows has no stub; a filter that only looks like its
 * start is not taken for one. */
START_TEST(stub_found_only_where_it_is)
{
	struct compiled c = build("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
				  "{ \"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38 } ] }");
	struct sock_filter fake[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 3),
		BPF_STMT(BPF_JMP | BPF_JA, 1), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL),
	};
	struct shim_filter f = { .insns = fake, .n_insns = ARRAY_SIZE(fake) };

	ck_assert_int_eq(shim_stub_ret_index(&c.f), -1);
	/* The JEQ jumps past the stub's end: not the stub. */
	ck_assert_int_eq(shim_stub_ret_index(&f), -1);
	release(&c);
}
END_TEST

static const char *decoded(enum shim_arg_kind k, uint32_t token, uint64_t v)
{
	static char buf[256];
	struct shim_text t = { 0 };

	shim_arg_decode(k, token, v, &t);
	snprintf(buf, sizeof(buf), "%s", t.s ? t.s : "");
	shim_text_free(&t);
	return buf;
}

START_TEST(decode_values)
{
	uint32_t x = SCMP_ARCH_X86_64;

	ck_assert_str_eq(decoded(SHIM_ARG_OPEN_FLAGS, x, 01 | 0100 | 02000000), "O_WRONLY|O_CREAT|O_CLOEXEC");
	ck_assert_str_eq(decoded(SHIM_ARG_OPEN_FLAGS, x, 0), "O_RDONLY");
	ck_assert_str_eq(decoded(SHIM_ARG_OPEN_FLAGS, x, 04010000), "O_RDONLY|O_SYNC");
	ck_assert_str_eq(decoded(SHIM_ARG_OPEN_FLAGS, x, 020200002), "O_RDWR|O_TMPFILE");
	ck_assert_str_eq(decoded(SHIM_ARG_OPEN_FLAGS, x, 0100000 | 040000000000ULL), "O_RDONLY|O_LARGEFILE|0x100000000");
	ck_assert_str_eq(decoded(SHIM_ARG_OPEN_FLAGS, SCMP_ARCH_PPC64LE, 1), "0x1");
	ck_assert_str_eq(decoded(SHIM_ARG_CLONE_FLAGS, x, 0x01200011), "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD");
	ck_assert_str_eq(decoded(SHIM_ARG_CLONE_FLAGS, x, 0x10000000), "CLONE_NEWUSER");
	ck_assert_str_eq(decoded(SHIM_ARG_CLONE_ARGS, x, 0x100000000ULL | 0x20000000), "CLONE_NEWPID|CLONE_CLEAR_SIGHAND");
	ck_assert_str_eq(decoded(SHIM_ARG_NS_FLAGS, x, 0x40000080), "CLONE_NEWTIME|CLONE_NEWNET");
	ck_assert_str_eq(decoded(SHIM_ARG_NS_FLAGS, x, 0), "0");
	ck_assert_str_eq(decoded(SHIM_ARG_FAMILY, x, 40), "AF_VSOCK");
	ck_assert_str_eq(decoded(SHIM_ARG_FAMILY, x, 99), "0x63");
	ck_assert_str_eq(decoded(SHIM_ARG_SOCK_TYPE, x, 0x80802), "SOCK_DGRAM|SOCK_NONBLOCK|SOCK_CLOEXEC");
	ck_assert_str_eq(decoded(SHIM_ARG_PERSONALITY, x, 0xffffffff), "0xffffffff (query)");
	ck_assert_str_eq(decoded(SHIM_ARG_PERSONALITY, x, 0x0040008), "PER_LINUX32|ADDR_NO_RANDOMIZE");
	ck_assert_str_eq(decoded(SHIM_ARG_IOCTL, x, 0x5412), "TIOCSTI");
	ck_assert_str_eq(decoded(SHIM_ARG_IOCTL, x, 0xc0186201), "_IOWR('b', 0x1, 24)");
	ck_assert_str_eq(decoded(SHIM_ARG_DIRFD, x, (uint64_t)-100), "AT_FDCWD");
	ck_assert_str_eq(decoded(SHIM_ARG_DIRFD, x, 3), "3");
	ck_assert_str_eq(decoded(SHIM_ARG_MODE, x, 0755), "0755");
	ck_assert_str_eq(decoded(SHIM_ARG_SIGNAL, x, 9), "SIGKILL");
	ck_assert_str_eq(decoded(SHIM_ARG_AT_FLAGS, x, 0x200), "AT_REMOVEDIR");
	ck_assert_str_eq(decoded(SHIM_ARG_PRCTL, x, 38), "PR_SET_NO_NEW_PRIVS");
}
END_TEST

START_TEST(arg_kinds_by_name)
{
	enum shim_arg_kind k[6];

	shim_arg_kinds("openat", SCMP_ARCH_X86_64, k);
	ck_assert(k[0] == SHIM_ARG_DIRFD && k[1] == SHIM_ARG_PATH && k[2] == SHIM_ARG_OPEN_FLAGS &&
		  k[3] == SHIM_ARG_MODE && k[4] == SHIM_ARG_RAW);
	shim_arg_kinds("clone", SCMP_ARCH_S390X, k);
	ck_assert(k[0] == SHIM_ARG_RAW && k[1] == SHIM_ARG_CLONE_FLAGS);
	shim_arg_kinds("no_such_call", SCMP_ARCH_X86_64, k);
	ck_assert(k[0] == SHIM_ARG_RAW && k[5] == SHIM_ARG_RAW);
}
END_TEST

static struct shim_denial denial(void)
{
	struct shim_denial d = { .seen = SHIM_SEEN_CALL, .time = { 1700000000, 123456789 },
				 .pid = 42, .tid = 43, .arch = SCMP_ARCH_X86_64, .token = SCMP_ARCH_X86_64,
				 .nr = 257, .args = { (uint64_t)-100, 0x7ffd0000, 0101, 0644 },
				 .ret = SECCOMP_RET_ERRNO | EACCES, .by = SHIM_BY_DEFAULT };

	snprintf(d.comm, sizeof(d.comm), "a\"b\xff");
	snprintf(d.exe, sizeof(d.exe), "/usr/bin/x");
	snprintf(d.name, sizeof(d.name), "openat");
	d.n_strings = 1;
	d.strings[0].index = 1;
	snprintf(d.strings[0].text, sizeof(d.strings[0].text), "/tmp/evil\n\"x\": 1");
	return d;
}

/* What the task had in memory cannot make a second line or a field. */
START_TEST(report_line_escapes)
{
	struct shim_profile *p = parse_ok("{ \"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 13 }");
	struct shim_denial d = denial();
	struct shim_text t = { 0 };

	shim_denial_format(p, &d, SHIM_REPORT_TEXT, &t);
	ck_assert_str_eq(t.s, "seccomp-shim: denied: 2023-11-14T22:13:20.123456Z pid 42 tid 43 (\"a\\\"b\\xff\", /usr/bin/x) x86_64 "
			      "openat(AT_FDCWD, \"/tmp/evil\\n\\\"x\\\": 1\" (as read), O_WRONLY|O_CREAT, 0644, 0, 0): "
			      "ERRNO(EACCES) by default action (t.json:1:20)\n");
	shim_text_free(&t);
	shim_profile_free(p);
}
END_TEST

START_TEST(report_json_parses)
{
	struct shim_profile *p = parse_ok("{ \"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 13 }");
	struct shim_denial d = denial();
	struct shim_text t = { 0 };
	json_error_t jerr;
	json_t *o;

	shim_denial_format(p, &d, SHIM_REPORT_JSON, &t);
	ck_assert_ptr_nonnull(strchr(t.s, '\n'));
	ck_assert_ptr_eq(strchr(t.s, '\n'), t.s + t.len - 1);
	o = json_loads(t.s, 0, &jerr);
	ck_assert_msg(o != NULL, "%s: %s", jerr.text, t.s);
	ck_assert_str_eq(json_string_value(json_object_get(o, "type")), "denial");
	ck_assert_str_eq(json_string_value(json_object_get(o, "syscall")), "openat");
	ck_assert_str_eq(json_string_value(json_object_get(o, "errno")), "EACCES");
	ck_assert_str_eq(json_string_value(json_object_get(o, "decided_by")), "default action");
	ck_assert_int_eq(json_integer_value(json_object_get(o, "line")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(o, "comm")), "a\"b\\xff");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(o, "strings_as_read"), "1")),
			 "/tmp/evil\n\"x\": 1");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(o, "args"), 1)), "0x7ffd0000");
	json_decref(o);
	shim_text_free(&t);
	shim_profile_free(p);
}
END_TEST

START_TEST(summary_counts)
{
	struct shim_summary s = { 0 };
	struct shim_denial d = denial();
	struct shim_text t = { 0 };

	shim_summary_add(&s, &d);
	d.pid = 50;
	shim_summary_add(&s, &d);
	d.nr = 83;
	snprintf(d.name, sizeof(d.name), "mkdir");
	shim_summary_add(&s, &d);
	ck_assert_uint_eq(s.n, 2);
	ck_assert_uint_eq(s.total, 3);
	shim_summary_format(NULL, &s, SHIM_REPORT_TEXT, &t);
	ck_assert_ptr_nonnull(strstr(t.s, "summary: 3 denials, 2 distinct"));
	ck_assert_ptr_nonnull(strstr(t.s, "       2  x86_64 openat ERRNO(EACCES)  first pid 42"));
	shim_text_free(&t);
	shim_summary_format(NULL, &s, SHIM_REPORT_JSON, &t);
	ck_assert_ptr_nonnull(strstr(t.s, "{\"type\":\"summary\",\"syscall\":\"openat\",\"arch\":\"x86_64\",\"verdict\":\"ERRNO(EACCES)\",\"count\":2,\"first_pid\":42"));
	shim_text_free(&t);
	shim_summary_free(&s);
}
END_TEST

START_TEST(audit_record_parse)
{
	struct shim_audit_record r;

	ck_assert_int_eq(shim_audit_parse("audit(1795706387.243:38853): auid=4294967295 uid=0 gid=0 ses=4294967295 subj=unconfined pid=11322 comm=\"probe\" exe=\"/usr/bin/probe\" sig=31 arch=c000003e syscall=250 compat=0 ip=0x7f46006f5829 code=0x80000000", &r), 0);
	ck_assert_int_eq(r.pid, 11322);
	ck_assert_str_eq(r.comm, "probe");
	ck_assert_str_eq(r.exe, "/usr/bin/probe");
	ck_assert_int_eq(r.sig, 31);
	ck_assert_uint_eq(r.arch, SCMP_ARCH_X86_64);
	ck_assert_int_eq(r.nr, 250);
	ck_assert_uint_eq(r.code, SECCOMP_RET_KILL_PROCESS);
	ck_assert_uint_eq(r.ip, 0x7f46006f5829ULL);
	/* A comm with a space comes hex-encoded; auid= does not pass for uid=. */
	ck_assert_int_eq(shim_audit_parse("audit(1.2:3): auid=7 uid=0 gid=0 ses=1 pid=9 comm=6120622022 exe=(null) sig=0 arch=40000003 syscall=39 compat=1 ip=0xf7f1 code=0x7ffc0000", &r), 0);
	ck_assert_str_eq(r.comm, "a b \"");
	ck_assert_str_eq(r.exe, "");
	ck_assert_uint_eq(r.arch, SCMP_ARCH_X86);
	ck_assert_int_eq(shim_audit_parse("audit(1.2:3): pid=9 comm=\"x\"", &r), -1);
}
END_TEST

Suite *supervise_suite(void)
{
	Suite *s = suite_create("supervise");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, notify_program_report);
	tcase_add_test(tc, notify_program_complain);
	tcase_add_test(tc, notify_program_keeps_the_cache);
	tcase_add_test(tc, notify_program_refuses_ret_a);
	tcase_add_test(tc, stub_found_only_where_it_is);
	tcase_add_test(tc, decode_values);
	tcase_add_test(tc, arg_kinds_by_name);
	tcase_add_test(tc, report_line_escapes);
	tcase_add_test(tc, report_json_parses);
	tcase_add_test(tc, summary_counts);
	tcase_add_test(tc, audit_record_parse);
	suite_add_tcase(s, tc);
	return s;
}
