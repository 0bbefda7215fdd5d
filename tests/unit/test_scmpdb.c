/* scmpdb: what libseccomp 2.5.4's rule database refuses, and where it
 * never returns, held to libseccomp itself. Profiles runc refuses are
 * refused by compile with libseccomp's reason, though our generator has
 * a program for them (#15.3); a rule libseccomp would never finish
 * adding is refused before libseccomp is asked. */
#include <errno.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include "suites.h"
#include "../../shim/diag.h"
#include "internal.h"

#define PROFILE(def, arches, rules) \
	"{\"defaultAction\": \"" def "\", \"architectures\": [" arches "], \"syscalls\": [" rules "]}"
#define X86_FAMILY "\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\""
#define ARG(i, op, v) "{\"index\": " #i ", \"value\": " #v ", \"op\": \"SCMP_CMP_" #op "\"}"
#define RULE(names, act, args) "{\"names\": [" names "], \"action\": \"" act "\", \"args\": [" args "]}"
#define ERRNO_RULE(names, e, args) \
	"{\"names\": [" names "], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": " #e ", \"args\": [" args "]}"

/* The profile: two rules for personality(1) with different
 * errnos, then an unconditional one. */
#define PERSONALITY_PROFILE                                                            \
	PROFILE("SCMP_ACT_ALLOW", "\"SCMP_ARCH_X86_64\"",                              \
		ERRNO_RULE("\"personality\"", 1, ARG(0, EQ, 1)) ","                    \
		ERRNO_RULE("\"personality\"", 2, ARG(0, EQ, 1)) ","                    \
		ERRNO_RULE("\"personality\"", 3, ""))
/* podman's socket rules: NETLINK_AUDIT refused with EINVAL, every
 * other socket allowed. */
#define PODMAN_SOCKET                                                                  \
	ERRNO_RULE("\"socket\"", 22, ARG(0, EQ, 16) "," ARG(2, EQ, 9)) ","               \
	RULE("\"socket\"", "SCMP_ACT_ALLOW", ARG(2, NE, 9)) ","                           \
	RULE("\"socket\"", "SCMP_ACT_ALLOW", ARG(0, NE, 16))
#define EEXIST_WHY \
	"File exists (an earlier rule for the same syscall gives another action where their argument tests meet; runc refuses this profile too: give such rules one action, or a test that tells them apart)"

struct built {
	struct shim_profile *p;
	struct shim_policy pol;
};

static struct built build(const char *text, const char *host)
{
	struct built b = { .p = parse_ok(text) };
	struct shim_host h = { .arch = shim_arch_by_oci(host), .kernel_major = 6,
			       .kernel_minor = 1, .bounding = ~0ULL,
			       .supported_flags = SECCOMP_FILTER_FLAG_SPEC_ALLOW };
	struct shim_error err = { 0 };

	ck_assert_int_eq(shim_resolve(b.p, &h, &b.pol, NULL, &err), 0);
	return b;
}

static void release(struct built *b)
{
	shim_policy_free(&b->pol);
	shim_profile_free(b->p);
}

/* compile's error for text ("" when it compiles), ours or libseccomp's. */
static char *compile_error(const char *text, const char *host, bool libseccomp)
{
	struct built b = build(text, host);
	struct shim_compile_options opt = { .libseccomp = libseccomp };
	struct shim_error err = { 0 };
	struct shim_filter f;
	char *s;

	if (shim_compile(b.p, &b.pol, &opt, &f, NULL, &err) == 0) {
		shim_filter_free(&f);
		err.msg[0] = '\0';
	}
	s = strdup(diag_error_text(&err));
	ck_assert_ptr_nonnull(s);
	release(&b);
	return s;
}

#define AMD64 "SCMP_ARCH_X86_64"

static const struct {
	const char *text, *host;
	const char *error; /* its start; "": it compiles */
} refusals[] = {
	/* #15.3: refused with libseccomp's reason, at the second rule. */
	{ PERSONALITY_PROFILE, AMD64,
	  "t.json:1:227: syscalls[1].names[0]: libseccomp refused the rule for \"personality\": " EEXIST_WHY },
	/* The unconditional rule first: libseccomp drops the later ones
	 * unseen, and runc runs it. */
	{ PROFILE("SCMP_ACT_ALLOW", "\"SCMP_ARCH_X86_64\"",
		  ERRNO_RULE("\"personality\"", 3, "") ","
		  ERRNO_RULE("\"personality\"", 1, ARG(0, EQ, 1)) ","
		  ERRNO_RULE("\"personality\"", 2, ARG(0, EQ, 1))),
	  AMD64, "" },
	/* A shorter rule with another action where a longer one goes on. */
	{ PROFILE("SCMP_ACT_ALLOW", "\"SCMP_ARCH_X86_64\"",
		  ERRNO_RULE("\"personality\"", 1, ARG(0, EQ, 1) "," ARG(1, EQ, 5)) ","
		  ERRNO_RULE("\"personality\"", 2, ARG(0, EQ, 1))),
	  AMD64,
	  "t.json:1:273: syscalls[1].names[0]: libseccomp refused the rule for \"personality\": " EEXIST_WHY },
	/* Values apart: accepted. */
	{ PROFILE("SCMP_ACT_ALLOW", "\"SCMP_ARCH_X86_64\"",
		  ERRNO_RULE("\"personality\"", 1, ARG(0, EQ, 1)) ","
		  ERRNO_RULE("\"personality\"", 2, ARG(0, EQ, 2)) ","
		  ERRNO_RULE("\"personality\"", 3, "")),
	  AMD64, "" },
	/* podman's socket rules are apart on x86_64; with i386 they meet in
	 * socketcall(SYS_SOCKET), where the family test is dropped. */
	{ PROFILE("SCMP_ACT_ERRNO", "\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"", PODMAN_SOCKET), AMD64,
	  "t.json:1:394: syscalls[2].names[0]: libseccomp refused the rule for \"socket\": " EEXIST_WHY },
	{ PROFILE("SCMP_ACT_ERRNO", "\"SCMP_ARCH_X86_64\"", PODMAN_SOCKET), AMD64, "" },
	/* Two socket calls meet in socketcall only on their call numbers:
	 * apart. */
	{ PROFILE("SCMP_ACT_ERRNO", X86_FAMILY,
		  RULE("\"socket\"", "SCMP_ACT_ALLOW", ARG(1, EQ, 1)) ","
		  RULE("\"connect\"", "SCMP_ACT_LOG", ARG(1, EQ, 1))),
	  AMD64, "" },
	/* socketcall named itself meets them all. */
	{ PROFILE("SCMP_ACT_ERRNO", "\"SCMP_ARCH_X86\"",
		  RULE("\"connect\"", "SCMP_ACT_LOG", ARG(1, EQ, 1)) ","
		  RULE("\"socketcall\"", "SCMP_ACT_ALLOW", ARG(0, EQ, 3))),
	  AMD64,
	  "t.json:1:203: syscalls[1].names[0]: libseccomp refused the rule for \"socketcall\": " EEXIST_WHY },
	/* A name x86_64 lacks is still a rule in its database: refused. */
	{ PROFILE("SCMP_ACT_ALLOW", "\"SCMP_ARCH_X86_64\"",
		  ERRNO_RULE("\"sigprocmask\"", 1, ARG(0, EQ, 1)) ","
		  ERRNO_RULE("\"sigprocmask\"", 2, ARG(0, EQ, 1))),
	  AMD64,
	  "t.json:1:227: syscalls[1].names[0]: libseccomp refused the rule for \"sigprocmask\": " EEXIST_WHY },
	/* A rule libseccomp never finishes adding: the same range test,
	 * then an argument that sorts first at the next level. */
	{ PROFILE("SCMP_ACT_ALLOW", "",
		  ERRNO_RULE("\"close\"", 1, ARG(0, LT, 5) "," ARG(1, EQ, 5)) ","
		  RULE("\"close\"", "SCMP_ACT_KILL_PROCESS", ARG(0, LT, 5) "," ARG(2, EQ, 5))),
	  AMD64,
	  "t.json:1:249: syscalls[1].names[0]: libseccomp 2.5.4 never finishes adding the rule for \"close\"" },
	/* The same rules the other way round: it returns. */
	{ PROFILE("SCMP_ACT_ALLOW", "",
		  RULE("\"close\"", "SCMP_ACT_KILL_PROCESS", ARG(0, LT, 5) "," ARG(2, EQ, 5)) ","
		  ERRNO_RULE("\"close\"", 1, ARG(0, LT, 5) "," ARG(1, EQ, 5))),
	  AMD64, "" },
	/* Only on 64-bit arches: i386 compares one word per test. */
	{ PROFILE("SCMP_ACT_ALLOW", "\"SCMP_ARCH_X86\"",
		  ERRNO_RULE("\"_llseek\"", 1, ARG(0, LT, 5) "," ARG(1, EQ, 5)) ","
		  RULE("\"_llseek\"", "SCMP_ACT_KILL_PROCESS", ARG(0, LT, 5) "," ARG(2, EQ, 5))),
	  "SCMP_ARCH_X86", "" },
};

START_TEST(refused_as_libseccomp_refuses)
{
	char *ours = compile_error(refusals[_i].text, refusals[_i].host, false);
	char *theirs = compile_error(refusals[_i].text, refusals[_i].host, true);

	ck_assert_msg(strncmp(ours, refusals[_i].error, strlen(refusals[_i].error)) == 0 &&
			      (refusals[_i].error[0] || !ours[0]),
		      "case %d: \"%s\", expected \"%s\"", _i, ours, refusals[_i].error);
	/* The same refusal as libseccomp's own, given every rule. A program
	 * that compiles may still be refused for libseccomp's wrong one. */
	if (refusals[_i].error[0])
		ck_assert_str_eq(ours, theirs);
	free(ours);
	free(theirs);
}
END_TEST

/* The rules a compiler gets (compile's collect_rules, in short). */
static size_t compile_rules(const struct shim_policy *pol, struct shim_compile_rule *out)
{
	uint32_t def = shim_action_ret(&pol->default_action);
	size_t n = 0;

	for (size_t i = 0; i < pol->n_rules; i++) {
		int nr = seccomp_syscall_resolve_name(pol->rules[i].name);
		uint32_t ret = shim_action_ret(&pol->rules[i].action);

		if (nr != __NR_SCMP_ERROR && ret != def)
			out[n++] = (struct shim_compile_rule){ &pol->rules[i], nr, ret };
	}
	return n;
}

/* Docker-sized profiles ask libseccomp nothing: no rules with different
 * actions meet. */
START_TEST(builtin_profiles_uncontested)
{
	struct built b = build(shim_builtin_profile("runtime/default"), "SCMP_ARCH_X86_64");
	struct shim_compile_rule *rules = calloc(b.pol.n_rules + 1, sizeof(*rules));
	bool *selected = calloc(b.pol.n_rules + 1, sizeof(*selected));
	struct shim_scmpdb *db;
	size_t n = compile_rules(&b.pol, rules);

	ck_assert_int_eq(shim_scmpdb_new(&b.pol, rules, n, &db), 0);
	ck_assert_uint_eq(shim_scmpdb_contested(db, selected), 0);
	shim_scmpdb_hangs(db, NULL, selected);
	for (size_t i = 0; i < n; i++)
		ck_assert(!selected[i]);
	shim_scmpdb_free(db);
	free(selected);
	free(rules);
	release(&b);
}
END_TEST

static uint32_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (uint32_t)(*s >> 11);
}

/* Adds the rules to a fresh context in a child: 0 all added, 10 + i
 * rule i refused, -1 it did not return (killed after half a second;
 * a few rules take microseconds). */
static int libseccomp_adds(const struct shim_policy *pol, const struct shim_compile_rule *rules,
			   size_t n)
{
	pid_t pid = fork();
	int status;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct itimerval t = { .it_value = { 0, 500000 } };
		scmp_filter_ctx ctx = seccomp_init(shim_action_ret(&pol->default_action));

		signal(SIGALRM, SIG_DFL);
		setitimer(ITIMER_REAL, &t, NULL);
		for (size_t i = 0; ctx && i < n; i++) {
			const struct shim_policy_rule *r = rules[i].rule;
			struct scmp_arg_cmp c[6];

			for (size_t k = 0; k < r->n_args; k++)
				c[k] = (struct scmp_arg_cmp){ r->args[k].index, (enum scmp_compare)0,
							      r->args[k].value, r->args[k].value_two };
			for (size_t k = 0; k < r->n_args; k++)
				c[k].op = r->args[k].op == SHIM_OP_NE ? SCMP_CMP_NE
					  : r->args[k].op == SHIM_OP_LT ? SCMP_CMP_LT
					  : r->args[k].op == SHIM_OP_LE ? SCMP_CMP_LE
					  : r->args[k].op == SHIM_OP_EQ ? SCMP_CMP_EQ
					  : r->args[k].op == SHIM_OP_GE ? SCMP_CMP_GE
					  : r->args[k].op == SHIM_OP_GT ? SCMP_CMP_GT
									: SCMP_CMP_MASKED_EQ;
			if (seccomp_rule_add_array(ctx, rules[i].ret, rules[i].native_nr,
						   (unsigned)r->n_args, c) < 0)
				_exit(10 + (int)i);
		}
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		return -1;
	return WEXITSTATUS(status);
}

struct test {
	unsigned index;
	const char *op, *value, *two;
};

/* Random rules for one or two syscalls on x86_64, many of them
 * repeating an earlier rule's first tests (libseccomp chains a rule's
 * tests by argument): every rule libseccomp never finishes adding is
 * one shim_scmpdb_hangs names, before any rule it refuses. */
START_TEST(hangs_predicted)
{
	static const char *const ops[] = { "NE", "LT", "LE", "EQ", "GE", "GT", "MASKED_EQ" };
	static const char *const values[] = { "0", "1", "5", "4294967295", "4294967296",
					      "4294967297", "18446744073709551615", "2147483648" };
	size_t hangs = 0, predicted = 0;

	for (unsigned trial = 0; trial < 250; trial++) {
		uint64_t s = 0x5eed0000ULL + (uint64_t)(_i * 250 + trial) * 0x9e3779b97f4a7c15ULL;
		struct test t[6][4];
		size_t n_t[6], n = 0, n_rules = 2 + rnd(&s) % 4;
		struct shim_compile_rule rules[8];
		bool hang[8];
		struct shim_scmpdb *db;
		struct built b;
		char text[4096];
		int first = -1, got;

#define OUT(...) (n += (size_t)snprintf(text + n, sizeof(text) - n, __VA_ARGS__))
		OUT("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [], \"syscalls\": [");
		for (size_t r = 0; r < n_rules; r++) {
			size_t want = 1 + rnd(&s) % 3;
			unsigned next = 0;

			n_t[r] = 0;
			if (r && rnd(&s) % 2) { /* the first tests of an earlier rule */
				size_t e = rnd(&s) % r, k = rnd(&s) % (n_t[e] + 1);
				for (size_t j = 0; j < k; j++)
					t[r][n_t[r]++] = t[e][j];
				next = k ? t[e][k - 1].index + 1 : 0;
			}
			/* then tests of later arguments, in order */
			for (unsigned idx = next; idx < 4 && n_t[r] < want; idx++)
				if (rnd(&s) % 2)
					t[r][n_t[r]++] = (struct test){ idx, ops[rnd(&s) % 7], values[rnd(&s) % 8],
									values[rnd(&s) % 8] };
			OUT("%s{\"names\": [\"%s\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": %u, \"args\": [",
			    r ? ", " : "", rnd(&s) % 4 ? "getppid" : "getpid", 1 + rnd(&s) % 2);
			for (size_t j = 0; j < n_t[r]; j++)
				OUT("%s{\"index\": %u, \"value\": %s, \"valueTwo\": %s, \"op\": \"SCMP_CMP_%s\"}",
				    j ? ", " : "", t[r][j].index, t[r][j].value, t[r][j].two, t[r][j].op);
			OUT("]}");
		}
		OUT("]}");
#undef OUT
		b = build(text, "SCMP_ARCH_X86_64");
		n = compile_rules(&b.pol, rules);
		ck_assert_int_eq(shim_scmpdb_new(&b.pol, rules, n, &db), 0);
		shim_scmpdb_hangs(db, NULL, hang);
		for (size_t i = 0; i < n && first < 0; i++)
			if (hang[i])
				first = (int)i;
		got = libseccomp_adds(&b.pol, rules, n);
		ck_assert_msg(got >= 0 || first >= 0,
			      "libseccomp never returns, and no rule was said to hang: %s", text);
		/* Said to hang, and refused at an earlier rule: wrong reason. */
		ck_assert_msg(first < 0 || got < 0 || got == 0 || got - 10 >= first,
			      "rule %d said to hang, but libseccomp refuses rule %d first: %s", first,
			      got - 10, text);
		hangs += got < 0;
		predicted += first >= 0;
		shim_scmpdb_free(db);
		release(&b);
	}
	/* The shapes are there, and few of the rules said to hang return. */
	ck_assert_uint_gt(hangs, 0);
	ck_assert_msg(predicted <= hangs + hangs / 4 + 1, "%zu said to hang, %zu did", predicted, hangs);
}
END_TEST

/* A hang found by the fuzzer (sigprocmask, which x86_64 lacks, is still
 * a rule in its database): refused at once, whoever compiles. */
START_TEST(hang_refused_quickly)
{
	static const char *const text =
		"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [], \"syscalls\": ["
		"{\"names\": [\"close\", \"sigprocmask\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": ["
		"{\"index\": 0, \"value\": 21474836479, \"op\": \"SCMP_CMP_LT\"},"
		" {\"index\": 1, \"value\": 4294967296, \"op\": \"SCMP_CMP_GE\"}]},"
		" {\"names\": [\"connect\", \"sigprocmask\"], \"action\": \"SCMP_ACT_KILL_PROCESS\", \"args\": ["
		"{\"index\": 0, \"value\": 21474836479, \"op\": \"SCMP_CMP_LT\"},"
		" {\"index\": 2, \"value\": 4294967297, \"op\": \"SCMP_CMP_LT\"}]}]}";
	char *ours = compile_error(text, "SCMP_ARCH_X86_64", false);
	char *theirs = compile_error(text, "SCMP_ARCH_X86_64", true);

	ck_assert_msg(strstr(ours, "syscalls[1].names[1]: libseccomp 2.5.4 never finishes adding the rule for \"sigprocmask\""),
		      "%s", ours);
	ck_assert_str_eq(ours, theirs);
	free(ours);
	free(theirs);
}
END_TEST

Suite *scmpdb_suite(void)
{
	Suite *s = suite_create("scmpdb");
	TCase *tc = tcase_create("libseccomp's database");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, refused_as_libseccomp_refuses, 0,
			    sizeof(refusals) / sizeof(refusals[0]));
	tcase_add_test(tc, builtin_profiles_uncontested);
	tcase_add_loop_test(tc, hangs_predicted, 0, 4);
	tcase_add_test(tc, hang_refused_quickly);
	suite_add_tcase(s, tc);
	return s;
}
