/* inspect, lint, export and the helpers under them: eval attribution,
 * argument matching, findings, SHA-256, JSON paths at an offset, names. */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include "suites.h"
#include "internal.h"
#include "../../shim/diag.h"

struct compiled {
	struct shim_profile *p;
	struct shim_policy pol;
	struct shim_filter f;
};

static struct compiled build(const char *text)
{
	struct compiled c = { .p = parse_ok(text) };
	struct shim_host h = { .arch = shim_arch_by_oci("SCMP_ARCH_X86_64"), .kernel_major = 6,
			       .bounding = ~0ULL, .supported_flags = SECCOMP_FILTER_FLAG_SPEC_ALLOW };
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

static const char *describe(struct compiled *c, const char *name, uint64_t a0)
{
	static char buf[512];
	uint64_t args[6] = { a0 };
	struct shim_verdict v;
	struct shim_text t = { 0 };
	struct shim_error err = { 0 };
	int nr;

	ck_assert_int_eq(shim_syscall_nr(name, SCMP_ARCH_X86_64, &nr, &err), 0);
	ck_assert_int_eq(shim_eval(&c->pol, &c->f, SCMP_ARCH_X86_64, nr, args, &v, &err), 0);
	shim_verdict_describe(c->p, &v, &t);
	snprintf(buf, sizeof(buf), "%s", t.s);
	shim_text_free(&t);
	return buf;
}

static const char *const PROFILE =
	"{\"defaultAction\": \"SCMP_ACT_ERRNO\",\n"
	" \"syscalls\": [\n"
	"  {\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"},\n"
	"  {\"names\": [\"getpriority\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 5,\n"
	"   \"args\": [{\"index\": 0, \"value\": 240, \"valueTwo\": 16, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}";

START_TEST(eval_attribution)
{
	struct compiled c = build(PROFILE);

	ck_assert_str_eq(describe(&c, "write", 0), "ALLOW by syscalls[0].names[1] (t.json:3:22)");
	ck_assert_str_eq(describe(&c, "mkdir", 0), "ERRNO(EPERM) by default action");
	ck_assert_str_eq(describe(&c, "getpriority", 0x1f),
			 "ERRNO(EIO) by syscalls[1].names[0] (t.json:4:14, when arg0 & 0xf0 == 0x10)");
	ck_assert_str_eq(describe(&c, "getpriority", 0x2f), "ERRNO(EPERM) by default action");
	ck_assert_str_eq(describe(&c, "400", 0),
			 "ERRNO(ENOSYS) by the ENOSYS stub (above 140, the highest syscall the profile names here)");
	ck_assert_str_eq(describe(&c, "0x40000000", 0),
			 "KILL_THREAD: the profile does not list this architecture or ABI");
	release(&c);
}
END_TEST

START_TEST(syscall_names)
{
	struct shim_error err = { 0 };
	int nr;

	ck_assert_int_lt(shim_syscall_nr("mkdri", SCMP_ARCH_X86_64, &nr, &err), 0);
	ck_assert_str_eq(err.msg, "mkdri: unknown syscall (did you mean \"mkdir\"?)");
	ck_assert_int_lt(shim_syscall_nr("socketcall", SCMP_ARCH_X86_64, &nr, &err), 0);
	ck_assert_str_eq(err.msg, "socketcall: not a syscall on SCMP_ARCH_X86_64 (other architectures have it)");
	ck_assert_int_eq(shim_syscall_nr("socketcall", SCMP_ARCH_X86, &nr, &err), 0);
	ck_assert_int_eq(nr, 102);
	ck_assert_str_eq(shim_syscall_suggest("open_tre"), "open_tree");
	ck_assert_ptr_null(shim_syscall_suggest("zzzzqq"));
	ck_assert(shim_syscall_known("_llseek"));
	ck_assert(!shim_syscall_known("mkdri"));
	ck_assert_str_eq(shim_arch_by_any("x86_64")->oci, "SCMP_ARCH_X86_64");
	ck_assert_str_eq(shim_arch_by_any("amd64")->oci, "SCMP_ARCH_X86_64");
	ck_assert_str_eq(shim_arch_by_any("aarch64")->oci, "SCMP_ARCH_AARCH64");
	ck_assert_str_eq(shim_arch_by_any("x86")->oci, "SCMP_ARCH_X86");
	ck_assert_str_eq(shim_arch_by_any("S390X")->oci, "SCMP_ARCH_S390X");
	ck_assert_ptr_null(shim_arch_by_any("z80"));
}
END_TEST

START_TEST(args_matching)
{
	struct shim_arg a[2] = {
		{ .index = 0, .value = 0xf0, .value_two = 0x10, .op = SHIM_OP_MASKED_EQ },
		{ .index = 2, .value = 7, .op = SHIM_OP_LT },
	};
	uint64_t yes[6] = { 0x1f, 0, 6 }, no[6] = { 0x1f, 0, 7 };
	struct shim_text t = { 0 };

	ck_assert(shim_args_match(a, 2, yes));
	ck_assert(!shim_args_match(a, 2, no));
	shim_args_format(a, 2, &t);
	ck_assert_str_eq(t.s, "arg0 & 0xf0 == 0x10 && arg2 < 0x7");
	shim_text_free(&t);
}
END_TEST

START_TEST(findings)
{
	/* A file name and a key with spaces and colons: the record keeps each
	 * field as found, nothing is split back out of a line. */
	const char *text = "{\"defaultAction\": \"SCMP_ACT_ALLOW\",\n \"my key: x\": 1}";
	struct shim_findings f = { 0 };
	struct shim_warnings w = { 0 };
	struct shim_error err = { 0 };
	struct shim_profile *p = NULL;
	struct shim_text t = { 0 };
	struct shim_diag d;

	ck_assert_int_eq(shim_profile_parse("a b: c.json", text, strlen(text), &p, &w, &err), 0);
	ck_assert_uint_eq(w.n, 1);
	shim_findings_add(&f, shim_warning_diag(&w, 0));
	ck_assert_int_lt(shim_profile_parse("p.json", "{", 1, NULL, NULL, &err), 0);
	ck_assert_int_eq(shim_error_diag(&err, &d), 0);
	shim_findings_add(&f, &d);
	shim_diag_free(&d);
	shim_error_set(&err, ENOENT, "p.json: cannot open the profile: No such file or directory");
	ck_assert_int_eq(shim_error_diag(&err, &d), 0);
	shim_findings_add(&f, &d);
	shim_diag_free(&d);
	ck_assert_int_eq(f.n, 3);
	ck_assert_str_eq(f.v[0].file, "a b: c.json");
	ck_assert_str_eq(f.v[0].path, "my key: x");
	ck_assert_str_eq(f.v[0].code, "unknown-key");
	ck_assert_int_eq(f.v[0].line, 2);
	ck_assert_int_eq(f.v[0].col, 2);
	ck_assert_str_eq(f.v[1].code, "json-syntax");
	ck_assert_int_eq(f.v[1].severity, SHIM_SEV_ERROR);
	ck_assert_ptr_null(f.v[2].path);
	ck_assert_ptr_null(f.v[2].file);
	ck_assert_str_eq(f.v[2].code, "error");
	diag_findings_format(&f, false, &t);
	ck_assert_str_eq(t.s, "a b: c.json:2:2: warning: my key: x: unknown key \"my key: x\" ignored (known: defaultAction, defaultErrnoRet, defaultErrno, architectures, archMap, flags, listenerPath, listenerMetadata, syscalls, comment) [unknown-key]\n"
			      "p.json:1:1: error: (top level): invalid JSON: string or '}' expected near end of file [json-syntax]\n"
			      "?: error: p.json: cannot open the profile: No such file or directory [error]\n");
	shim_text_free(&t);
	shim_findings_free(&f);
	shim_warnings_free(&w);
	shim_profile_free(p);
}
END_TEST

static void hex(const uint8_t *d, char *out)
{
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

START_TEST(sha256_vectors)
{
	uint8_t d[32];
	char h[65];
	char million[1000];

	shim_sha256("", 0, d);
	hex(d, h);
	ck_assert_str_eq(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	shim_sha256("abc", 3, d);
	hex(d, h);
	ck_assert_str_eq(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	shim_sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, d);
	hex(d, h);
	ck_assert_str_eq(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	memset(million, 'a', sizeof(million));
	shim_sha256(million, 64, d); /* exactly one block of data */
	hex(d, h);
	ck_assert_str_eq(h, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
	shim_sha256_generic("abc", 3, d);
	hex(d, h);
	ck_assert_str_eq(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
END_TEST

/* The SHA extensions, where this machine has them, give the portable
 * code's digests for every length around the block and padding edges. */
START_TEST(sha256_both_ways)
{
	static uint8_t buf[20000];
	uint32_t x = 2463534242u;

	for (size_t i = 0; i < sizeof(buf); i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		buf[i] = (uint8_t)x;
	}
	for (size_t len = 0; len <= sizeof(buf); len += len < 700 ? 1 : 997) {
		uint8_t a[32], b[32];
		shim_sha256(buf, len, a);
		shim_sha256_generic(buf, len, b);
		ck_assert_msg(memcmp(a, b, 32) == 0, "length %zu", len);
	}
	if (!shim_sha256_accelerated())
		fprintf(stderr, "sha256: no SHA extensions here; only the portable code was tested\n");
}
END_TEST

START_TEST(path_at_offset)
{
	const char *t = "{\"a\": [1, {\"b\": [2, 3]}], \"c\": {}}";
	char buf[128];

	shim_json_path_at(t, strlen(t), strchr(t, '3') - t, buf, sizeof(buf));
	ck_assert_str_eq(buf, "a[1].b[1]");
	shim_json_path_at(t, strlen(t), strstr(t, "\"c\"") - t + 1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "(top level)");
	shim_json_path_at(t, strlen(t), strstr(t, "{}") - t + 1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "c");
	shim_json_path_at(t, strlen(t), 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "(top level)");
}
END_TEST

START_TEST(export_round_trip)
{
	struct compiled a = build(PROFILE), b;
	struct shim_text json = { 0 }, oci = { 0 };
	struct shim_error err = { 0 };

	ck_assert_int_eq(shim_export_json(a.p, &json, &err), 0);
	ck_assert_int_eq(shim_export_oci(&a.pol, &oci, &err), 0);
	b = build(json.s);
	ck_assert_int_eq(a.f.n_insns, b.f.n_insns);
	ck_assert_int_eq(memcmp(a.f.insns, b.f.insns, a.f.n_insns * sizeof(a.f.insns[0])), 0);
	release(&b);
	b = build(oci.s);
	ck_assert_int_eq(a.f.n_insns, b.f.n_insns);
	ck_assert_int_eq(memcmp(a.f.insns, b.f.insns, a.f.n_insns * sizeof(a.f.insns[0])), 0);
	release(&b);
	shim_text_free(&json);
	shim_text_free(&oci);
	release(&a);
}
END_TEST

START_TEST(integers_above_int64)
{
	struct compiled a = build("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"getpriority\"],"
				  " \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0,"
				  " \"value\": 18446744073709551615, \"valueTwo\": 9223372036854775808,"
				  " \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]}"), b;
	struct shim_text json = { 0 };
	struct shim_error err = { 0 };

	ck_assert_uint_eq(a.p->rules[0].args[0].value, UINT64_MAX);
	ck_assert_uint_eq(a.p->rules[0].args[0].value_two, 1ULL << 63);
	ck_assert_int_eq(shim_export_json(a.p, &json, &err), 0);
	ck_assert_ptr_nonnull(strstr(json.s, "\"value\": 18446744073709551615,"));
	ck_assert_ptr_nonnull(strstr(json.s, "\"valueTwo\": 9223372036854775808,"));
	b = build(json.s);
	ck_assert_int_eq(memcmp(a.f.insns, b.f.insns, a.f.n_insns * sizeof(a.f.insns[0])), 0);
	release(&b);
	release(&a);
	shim_text_free(&json);
}
END_TEST

START_TEST(builtin_hashes)
{
	static const char *const names[] = { "runtime/default", "audit" };
	struct shim_error err = { 0 };

	for (size_t i = 0; i < 2; i++) {
		struct shim_source src;
		enum shim_ref_kind kind;
		uint8_t sum[32];

		ck_assert_int_eq(shim_source_read(names[i], NULL, &src, &kind, &err), 0);
		ck_assert(src.has_sha256);
		shim_sha256(src.text, src.len, sum);
		ck_assert_int_eq(memcmp(sum, src.sha256, 32), 0);
		shim_source_free(&src);
	}
}
END_TEST

START_TEST(bpf_file)
{
	struct compiled c = build(PROFILE);
	struct shim_host h = { .arch = shim_arch_by_oci("SCMP_ARCH_X86_64"), .kernel_major = 6,
			       .kernel_minor = 1, .bounding = 1,
			       .supported_flags = SECCOMP_FILTER_FLAG_SPEC_ALLOW };
	struct shim_filter back;
	struct shim_error err = { 0 };
	char path[] = "/tmp/seccomp-shim-unit-XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(shim_bpf_file_write(fd, c.p, &h, &c.f, &err), 0);
	close(fd);
	/* No includes/excludes and no minKernel: caps and kernel do not matter. */
	h.bounding = 0;
	h.kernel_minor = 9;
	ck_assert_int_eq(shim_bpf_file_read(path, &h, &back, &err), 0);
	ck_assert_int_eq(back.n_insns, c.f.n_insns);
	ck_assert_int_eq(memcmp(back.insns, c.f.insns, back.n_insns * sizeof(back.insns[0])), 0);
	shim_filter_free(&back);
	h.arch = shim_arch_by_oci("SCMP_ARCH_AARCH64");
	ck_assert_int_lt(shim_bpf_file_read(path, &h, &back, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "compiled for SCMP_ARCH_X86_64, but this machine is SCMP_ARCH_AARCH64"));
	unlink(path);
	release(&c);
}
END_TEST

/* A compiled file holds for every kernel on which the profile's minKernel
 * conditions resolve as they did where it was compiled: one built into an
 * image runs on other hosts' kernels. */
START_TEST(bpf_file_kernels)
{
	struct compiled c = build(
		"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
		"{\"names\": [\"ptrace\"], \"action\": \"SCMP_ACT_ERRNO\", \"excludes\": {\"minKernel\": \"4.8\"}},"
		"{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_ERRNO\", \"includes\": {\"minKernel\": \"5.10\"}}]}");
	struct shim_host h = { .arch = shim_arch_by_oci("SCMP_ARCH_X86_64"), .kernel_major = 5,
			       .kernel_minor = 4, .supported_flags = SECCOMP_FILTER_FLAG_SPEC_ALLOW };
	static const struct {
		unsigned major, minor;
		int ok;
	} kernels[] = { { 4, 4, 0 }, { 4, 8, 1 }, { 4, 19, 1 }, { 5, 9, 1 }, { 5, 10, 0 }, { 6, 1, 0 } };
	struct shim_filter back;
	struct shim_error err = { 0 };
	char path[] = "/tmp/seccomp-shim-unit-XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(shim_bpf_file_write(fd, c.p, &h, &c.f, &err), 0);
	close(fd);
	for (size_t i = 0; i < sizeof(kernels) / sizeof(kernels[0]); i++) {
		h.kernel_major = kernels[i].major;
		h.kernel_minor = kernels[i].minor;
		if (kernels[i].ok) {
			ck_assert_int_eq(shim_bpf_file_read(path, &h, &back, &err), 0);
			shim_filter_free(&back);
		} else {
			ck_assert_int_lt(shim_bpf_file_read(path, &h, &back, &err), 0);
			ck_assert_ptr_nonnull(strstr(err.msg, "compiled for kernels 4.8 up to 5.10"));
		}
	}
	/* Compiled on 6.1: from the highest minKernel on. */
	fd = open(path, O_WRONLY | O_TRUNC);
	ck_assert_int_eq(shim_bpf_file_write(fd, c.p, &h, &c.f, &err), 0);
	close(fd);
	h.kernel_major = 5;
	h.kernel_minor = 10;
	ck_assert_int_eq(shim_bpf_file_read(path, &h, &back, &err), 0);
	shim_filter_free(&back);
	h.kernel_minor = 9;
	ck_assert_int_lt(shim_bpf_file_read(path, &h, &back, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "compiled for kernels from 5.10 on, but this one is 5.9"));
	unlink(path);
	release(&c);
}
END_TEST

Suite *inspect_suite(void)
{
	Suite *s = suite_create("inspect");
	TCase *tc = tcase_create("inspect");

	tcase_add_test(tc, eval_attribution);
	tcase_add_test(tc, syscall_names);
	tcase_add_test(tc, args_matching);
	tcase_add_test(tc, findings);
	tcase_add_test(tc, sha256_vectors);
	tcase_add_test(tc, sha256_both_ways);
	tcase_add_test(tc, path_at_offset);
	tcase_add_test(tc, export_round_trip);
	tcase_add_test(tc, bpf_file);
	tcase_add_test(tc, bpf_file_kernels);
	tcase_add_test(tc, integers_above_int64);
	tcase_add_test(tc, builtin_hashes);
	suite_add_tcase(s, tc);
	return s;
}
