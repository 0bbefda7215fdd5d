/* seccomp-shim: seeing through a profile and a running process: eval, explain, diff, the pipeline driver, inspect, features, check's findings (lib/include/seccomp-shim.h says how the stages go). */
#ifndef SECCOMP_SHIM_INSPECT_H
#define SECCOMP_SHIM_INSPECT_H

#include "seccomp-shim/policy.h"

/* ---- seeing through a profile: eval, explain, diff --------------------- */

/* Text that lib/ hands back for the caller to print. */
struct shim_text {
	char *s;
	size_t len, cap;
	bool oom; /* an allocation failed; the text is cut short */
};

void shim_text_printf(struct shim_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* arg as a shell would need it (a comment that says what ran must be
 * unambiguous): bare when it is plain, else in single quotes; a space
 * before it unless it is the first. */
void shim_text_shell_quote(struct shim_text *t, const char *arg, bool space);
void shim_text_free(struct shim_text *t);

/* What decided a verdict. */
enum shim_decider {
	SHIM_BY_RULE = 1, /* a rule of the profile */
	SHIM_BY_DEFAULT, /* the default action */
	SHIM_BY_ENOSYS_STUB, /* a number above the highest one the profile names */
	SHIM_BY_BAD_ARCH, /* an architecture (or ABI) the profile does not list */
	/* Nothing: the rules say otherwise (rules_ret, rules_by, rule), a
	 * filter that does not follow them (compiled elsewhere, or wrong). */
	SHIM_BY_PROGRAM_ONLY,
};

struct shim_verdict {
	uint32_t ret; /* SECCOMP_RET_*, from the interpreter */
	enum shim_decider by;
	const struct shim_policy_rule *rule; /* SHIM_BY_RULE */
	long max_nr; /* SHIM_BY_ENOSYS_STUB: the highest number named */
	uint32_t rules_ret; /* SHIM_BY_PROGRAM_ONLY: what the rules say */
	enum shim_decider rules_by;
};

/* A profile taken all the way through the pipeline (lib/pipeline.c). */
enum shim_filter_origin { SHIM_FROM_COMPILE, SHIM_FROM_BUILD, SHIM_FROM_CACHE };
struct shim_compiled {
	struct shim_profile *profile; /* NULL when the filter came from the build or the cache */
	struct shim_policy pol;
	struct shim_filter filter;
	enum shim_filter_origin origin;
};

struct shim_pipeline_options {
	const struct shim_compile_options *compile;
	/* Not NULL: every error the parser finds goes here (check), not
	 * just the first, which err holds. */
	struct shim_findings *errors;
	const char *cache_dir; /* NULL: no cache */
	/* The subcommands look at the profile and the policy: never take a
	 * program compiled at build time or cached. The run only needs it. */
	bool want_profile;
};

/* What is refused once the policy is known and before compiling:
 * SCMP_ACT_NOTIFY (we are no seccomp agent); a listenerPath nothing uses
 * is a warning. */
int shim_policy_check(const struct shim_profile *p, const struct shim_policy *pol,
		      struct shim_warnings *warn, struct shim_error *err);
/* The one driver, used by the run and every subcommand: src -> (built at
 * build time, cache) -> parse -> resolve for host -> policy checks ->
 * compile. On failure out holds nothing. */
int shim_pipeline_source(const struct shim_source *src, const struct shim_host *host,
			 const struct shim_pipeline_options *opt, struct shim_compiled *out,
			 struct shim_warnings *warn, struct shim_error *err);
/* ref (as shim_profile_open_ref takes it) through shim_pipeline_source
 * with want_profile. "unconfined" is an error here: there is nothing to
 * look at. */
int shim_compiled_load(const char *ref, const char *root, const struct shim_host *host,
		       const struct shim_compile_options *opt, struct shim_compiled *out,
		       struct shim_warnings *warn, struct shim_error *err);
/* The same, with every error the parser finds added to errors (check). */
int shim_compiled_check(const char *ref, const char *root, const struct shim_host *host,
			const struct shim_compile_options *opt, struct shim_compiled *out,
			struct shim_warnings *warn, struct shim_findings *errors,
			struct shim_error *err);
void shim_compiled_free(struct shim_compiled *c);

/* "compiled by: ..." for explain --stats: which compiler made c's program
 * and, when it is ours, how libseccomp's program for the same rules
 * compares (size, and the first input where the verdicts differ). */
int shim_compiler_report(struct shim_compiled *c, bool asked_for_libseccomp,
			 struct shim_text *out, struct shim_error *err);

/* A syscall name, or a number, on arch; -1 with a message if unknown. */
int shim_syscall_nr(const char *spec, uint32_t arch, int *nr, struct shim_error *err);

/* Runs the filter on (arch, nr, args) and finds what decided it: the
 * rules' own verdict (lib/refeval.c), never a guess from the program. */
int shim_eval(const struct shim_policy *pol, const struct shim_filter *f, uint32_t arch,
	      int nr, const uint64_t args[6], struct shim_verdict *v, struct shim_error *err);
/* "ERRNO(EPERM) by default action", "ALLOW by syscalls[0].names[3] (p.json:5:9)" */
void shim_verdict_describe(const struct shim_profile *p, const struct shim_verdict *v,
			   struct shim_text *out);
/* Every syscall of arch with its verdict, grouped; conditional rules spelt out. */
int shim_explain(const struct shim_profile *p, const struct shim_policy *pol,
		 const struct shim_filter *f, uint32_t arch, struct shim_text *out,
		 struct shim_error *err);
/* Instruction count, the syscalls of arch the kernel can cache (always
 * allowed, whatever the arguments) and the instructions run per syscall
 * over a mix of common calls, with and without that cache. */
int shim_filter_stats(const struct shim_filter *f, uint32_t arch, struct shim_text *out,
		      struct shim_error *err);
/* The syscalls, and argument values that matter to either side, whose
 * verdicts differ between two filters; *n_diff counts them. */
int shim_diff(const struct shim_policy *a, const struct shim_filter *fa,
	      const struct shim_policy *b, const struct shim_filter *fb, uint32_t arch,
	      struct shim_text *out, size_t *n_diff, struct shim_error *err);

/* ---- a running process's filters (seccomp-shim inspect) ---------------- */

/* What /proc/PID/status says of seccomp and capabilities (PID may be any
 * thread's id). A field the kernel does not show is -1. */
struct shim_proc_status {
	int pid;
	char name[17];
	int tgid;
	int tracer; /* TracerPid: 0 when nobody traces it */
	int seccomp_mode; /* 0 none, 1 strict, 2 filter */
	int seccomp_filters; /* how many filters (Linux 5.9 and later) */
	int no_new_privs;
	uint64_t cap_bnd, cap_eff;
};

/* err->code ESRCH: no such process. */
int shim_proc_status_read(int pid, struct shim_proc_status *out, struct shim_error *err);

/* The programs of the filters a thread runs under, v[0] the first
 * installed (PTRACE_SECCOMP_GET_FILTER's index 0: kernel/seccomp.c counts
 * from the oldest, whatever ptrace(2) says), v[n-1] the newest. */
struct shim_proc_filters {
	struct shim_filter *v;
	size_t n;
};

/* Seizes pid (PTRACE_SEIZE, PTRACE_INTERRUPT), reads every filter and
 * detaches, on every path. Needs CAP_SYS_ADMIN, no seccomp filter on the
 * caller and ptrace access; err says which is missing (EPERM, EACCES),
 * that the process is gone (ESRCH) or that the kernel cannot (EIO). A
 * process under no filter gives n 0. */
int shim_proc_filters_read(int pid, struct shim_proc_filters *out, struct shim_error *err);
void shim_proc_filters_free(struct shim_proc_filters *f);

/* Verdicts of a stack of filters told from the programs alone, with no
 * profile: for each architecture the stack treats apart from an unknown
 * one, each syscall libseccomp names there run through every filter
 * (shim_bpf_ret_combine). */
struct shim_ret_group {
	uint32_t ret; /* SECCOMP_RET_*, with its data */
	const char **names; /* static strings, in number order */
	size_t n;
};

#define SHIM_COND_RETS 8
/* A syscall whose verdict the arguments decide: some filter's path for it
 * loads an argument (or the instruction pointer), which is exactly when
 * the kernel's action cache cannot keep its verdict. */
struct shim_cond_syscall {
	const char *name;
	int nr;
	uint32_t rets[SHIM_COND_RETS]; /* the verdicts seen, rets[0] with every argument 0 */
	size_t n_rets;
};

struct shim_arch_summary {
	const struct shim_arch_info *arch; /* x32 apart: its calls are x86_64's with bit 30 */
	size_t n_known; /* the syscalls libseccomp names here */
	size_t n_allowed; /* ALLOW whatever the arguments */
	struct shim_ret_group *groups; /* every other verdict, the largest first */
	size_t n_groups;
	struct shim_cond_syscall *cond;
	size_t n_cond;
	int max_nr; /* the highest number named here */
	uint32_t above_ret; /* the verdict on max_nr + 1 */
};

struct shim_filter_summary {
	/* On an architecture no filter knows: the verdict on number 0, and
	 * whether some other number gets another (a filter that does not
	 * look at the architecture first). */
	uint32_t unknown_arch_ret;
	bool unknown_arch_varies;
	struct shim_arch_summary *arches; /* the native one always, first */
	size_t n_arches;
	size_t n_insns; /* all filters' together */
};

int shim_filters_summarize(const struct shim_filter *stack, size_t n,
			   struct shim_filter_summary *out, struct shim_error *err);
void shim_filter_summary_free(struct shim_filter_summary *s);
/* The stack's verdict on d (d->arch an AUDIT_ARCH, as the kernel fills it). */
int shim_filters_run(const struct shim_filter *stack, size_t n, const struct shim_seccomp_data *d,
		     uint32_t *ret, struct shim_error *err);

/* ---- OCI runtime features (seccomp-shim features) ----------------------- */

/* seccomp-shim's features document (the OCI runtime-spec's features.md):
 * linux.seccomp as this build and the running kernel support it, and
 * org.seccomp-shim.* annotations. */
int shim_features_json(struct shim_text *out, struct shim_error *err);
/* A runtime's features document with seccomp-shim's annotations added:
 * everything the runtime says is kept as it is (unknown fields, key order,
 * its linux.seccomp: the runtime loads the filter); an org.seccomp-shim.*
 * annotation of its own is replaced. A document that is not a JSON object
 * (or whose annotations is not one) is an error naming it. */
int shim_features_merge(const char *runtime_json, size_t len, struct shim_text *out,
			struct shim_error *err);

/* ---- check: findings --------------------------------------------------- */

struct shim_findings {
	struct shim_diag *v;
	size_t n;
};

/* Adds a copy of d (of the pipeline: its warnings, its error). */
void shim_findings_add(struct shim_findings *out, const struct shim_diag *d);
/* What check says beyond the pipeline's own errors and warnings: rules
 * that repeat, contradict or equal the default, SCMP_ACT_KILL, blocked
 * essentials, deny-list gaps, keys only some runtimes read. */
void shim_lint(const struct shim_profile *p, const struct shim_policy *pol,
	       const struct shim_filter *f, uint32_t arch, struct shim_findings *out);
void shim_findings_free(struct shim_findings *f);

#endif
