/* seccomp-shim: confine one program with a Docker/OCI seccomp profile.
 *
 * The pipeline runs one way:
 *   shim_profile_load  (bytes -> struct shim_profile, with source positions)
 *   shim_resolve       (profile + host -> struct shim_policy, OCI form)
 *   shim_compile       (policy -> struct shim_filter, classic BPF)
 *   shim_exec_confined (caps, no_new_privs, filter, execve)
 *
 * Error rule (every function here): a function that can fail takes a
 * struct shim_error *, returns a negative value and fills it on failure;
 * success returns >= 0 and leaves it untouched. lib/ never prints and never
 * exits; only shim/ turns an error into a message and an exit code.
 */
#ifndef SECCOMP_SHIM_H
#define SECCOMP_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <linux/filter.h>

#define SHIM_VERSION "0.1.0"

/* Exit codes, as env(1) uses them. */
#define SHIM_EXIT_FAILURE 125
#define SHIM_EXIT_NOEXEC 126
#define SHIM_EXIT_NOTFOUND 127

/* ---- errors and warnings ---------------------------------------------- */

enum shim_severity { SHIM_SEV_WARNING = 1, SHIM_SEV_ERROR };

/* A diagnostic: what is wrong, where, and how to fix it, as a record made
 * where the problem is found. lib/ never formats one into a line: shim/
 * does ("FILE:LINE:COL: PATH: message"), and `check --format json` dumps
 * the fields. */
struct shim_diag {
	enum shim_severity severity;
	const char *code; /* "unknown-syscall", "json-comment", ...: the problem, not the stage */
	char *file; /* or NULL */
	unsigned line, col; /* 1-based; 0 when the diagnostic has no place in a file */
	char *path; /* the JSON path, "syscalls[3].names[1]", or NULL */
	char *message;
	char *fix; /* or NULL */
};

/* An error is a value: a cause, an exit code, a message, and for an error
 * about a place in a profile, that place (file non-empty) and the code of
 * the problem. msg is then the message alone, never "FILE:L:C: ...": a
 * caller adds its context from the fields instead of re-parsing a string. */
struct shim_error {
	int code; /* errno-style cause when there is one, else 0 */
	int exit_code; /* what main should exit with: 125, 126 or 127 */
	char msg[1024];
	const char *diag_code; /* NULL: an error with no code (check says "error") */
	char file[512]; /* "" when the error has no place in a file */
	unsigned line, col;
	char path[256]; /* "" when none */
};

void shim_error_set(struct shim_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* An error at a place in a profile: file, line:col (0:0 for the file as a
 * whole) and JSON path (NULL for none), with the problem's code. */
void shim_error_at(struct shim_error *err, int code, const char *diag_code, const char *file,
		   unsigned line, unsigned col, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));
/* The error as a diagnostic (strings copied: free with shim_diag_free);
 * -1 out of memory. */
int shim_error_diag(const struct shim_error *err, struct shim_diag *out);
void shim_diag_free(struct shim_diag *d);

/* Warnings collected by the pipeline for the caller to show, each a
 * diagnostic. Take them with shim_warning_diag(): a message about an
 * unknown syscall gets its "did you mean" only then, so nobody pays for
 * one that is not shown. */
struct shim_warning_note;
struct shim_warnings {
	struct shim_diag *v; /* as written, without the "did you mean" */
	size_t n;
	struct shim_warning_note *notes; /* per warning (lib/error.c) */
};

/* A warning with no place and no code of its own ("warning"). */
void shim_warn(struct shim_warnings *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A warning at a place in a profile, as shim_error_at. */
void shim_warn_at(struct shim_warnings *w, const char *diag_code, const char *file,
		  unsigned line, unsigned col, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
/* Warning i as it is shown (NULL if i is out of range). */
const struct shim_diag *shim_warning_diag(struct shim_warnings *w, size_t i);
void shim_warnings_free(struct shim_warnings *w);

/* ---- names: actions, operators, architectures, flags, errnos, caps ----- */

enum shim_action_kind {
	/* 0 is never a valid action: a zeroed struct is an error, not KILL. */
	SHIM_ACT_ALLOW = 1,
	SHIM_ACT_ERRNO,
	SHIM_ACT_KILL_THREAD,
	SHIM_ACT_KILL_PROCESS,
	SHIM_ACT_TRAP,
	SHIM_ACT_TRACE,
	SHIM_ACT_LOG,
	SHIM_ACT_NOTIFY,
};

struct shim_action {
	enum shim_action_kind kind;
	uint32_t errno_ret; /* ERRNO and TRACE only; EPERM when not given */
	bool kill_alias; /* written SCMP_ACT_KILL (which means KILL_THREAD) */
};

enum shim_cmp_op {
	SHIM_OP_NE = 1,
	SHIM_OP_LT,
	SHIM_OP_LE,
	SHIM_OP_EQ,
	SHIM_OP_GE,
	SHIM_OP_GT,
	SHIM_OP_MASKED_EQ,
};

struct shim_arch_info {
	const char *oci; /* "SCMP_ARCH_X86_64" */
	const char *go; /* "amd64": the name includes/excludes use */
	uint32_t token; /* libseccomp's SCMP_ARCH_* (the AUDIT_ARCH value); 0 if unsupported */
};

const struct shim_arch_info *shim_arch_by_oci(const char *name);
const struct shim_arch_info *shim_arch_by_go(const char *name);
const struct shim_arch_info *shim_arch_by_token(uint32_t token);
const struct shim_arch_info *shim_arch_native(void);
/* Any spelling a user may write: SCMP_ARCH_X86_64, amd64, x86_64, X86_64. */
const struct shim_arch_info *shim_arch_by_any(const char *name);

/* The closest syscall name libseccomp knows on any architecture (a
 * "did you mean"), or NULL when nothing is close. */
const char *shim_syscall_suggest(const char *name);
/* Whether libseccomp knows name on any architecture. */
bool shim_syscall_known(const char *name);

int shim_action_from_name(const char *name, enum shim_action_kind *out);
const char *shim_action_name(enum shim_action_kind kind);
/* The seccomp return value (SECCOMP_RET_*, with its errno) of an action;
 * libseccomp's SCMP_ACT_* values are the same numbers. */
uint32_t shim_action_ret(const struct shim_action *a);
int shim_op_from_name(const char *name, enum shim_cmp_op *out);
const char *shim_op_name(enum shim_cmp_op op);
int shim_errno_from_name(const char *name, int *out);
const char *shim_errno_name(int value); /* NULL if unknown */

/* Seccomp filter flags we know (bit values are the kernel's). */
int shim_flag_from_name(const char *name, unsigned *out);
const char *shim_flag_name(unsigned flag);

/* Capabilities, written as Docker writes them: NET_ADMIN, CAP_NET_ADMIN,
 * any case. ALL is handled by shim_caps_parse_list. Names and numbers are
 * libcap's; one it does not name is written and read as its number ("41").
 * Sets are masks, bit n for capability n. */
#define SHIM_CAP_NAME_MAX 64
int shim_cap_from_name(const char *name);  /* 0..63, or -1 if unknown */
/* Writes "CAP_CHOWN" (or "41") into buf and returns buf. */
const char *shim_cap_name(int cap, char buf[SHIM_CAP_NAME_MAX]);
/* The running kernel's highest capability (/proc/sys/kernel/cap_last_cap,
 * or libcap's probe of the kernel where /proc is not mounted). */
int shim_caps_last(void);
/* Every capability the running kernel has: what ALL means. */
uint64_t shim_caps_all(void);
/* Adds the caps in a comma list to *out; "ALL" sets *all instead. */
int shim_caps_parse_list(const char *list, uint64_t *out, bool *all,
			 struct shim_error *err);
/* Writes "CAP_CHOWN,CAP_KILL" or "(none)" into buf. */
void shim_caps_format(uint64_t caps, char *buf, size_t len);

/* ---- the profile, as written ------------------------------------------ */

struct shim_arg {
	unsigned index;
	uint64_t value;
	uint64_t value_two;
	enum shim_cmp_op op;
};

struct shim_condition {
	const struct shim_arch_info **arches; /* Go names, resolved */
	size_t n_arches;
	uint64_t caps;
	bool has_caps;
	bool has_min_kernel;
	unsigned min_kernel_major, min_kernel_minor;
};

struct shim_rule {
	char **names;
	size_t n_names;
	bool single_name; /* written with the old "name" key */
	struct shim_action action;
	struct shim_arg *args;
	size_t n_args;
	struct shim_condition includes, excludes;
	size_t src_index; /* position in syscalls[] */
	char *comment; /* Docker's "comment", kept for export */
};

struct shim_arch_map {
	const struct shim_arch_info *arch;
	const struct shim_arch_info **sub;
	size_t n_sub;
};

struct shim_profile {
	char *path; /* as given, for messages */
	char *text; /* the bytes read, for locating messages later */
	size_t text_len;
	struct shim_action default_action;
	const struct shim_arch_info **architectures;
	size_t n_architectures;
	struct shim_arch_map *arch_map;
	size_t n_arch_map;
	bool has_flags;
	unsigned flags;
	char *comment; /* the top-level "comment" */
	char *listener_path;
	char *listener_metadata;
	struct shim_rule *rules;
	size_t n_rules;
	bool is_static; /* a built-in profile parsed at build time: never freed */
};

/* Parse a profile from bytes; display_name is used in messages. */
int shim_profile_parse(const char *display_name, const char *text, size_t len,
		       struct shim_profile **out, struct shim_warnings *warn,
		       struct shim_error *err);
/* The same, and with errors not NULL, every error the text has, each
 * added there (err holds the first): the parser reads on past an error
 * wherever the rest can still be read. check uses it. */
struct shim_findings;
int shim_profile_parse_all(const char *display_name, const char *text, size_t len,
			   struct shim_profile **out, struct shim_warnings *warn,
			   struct shim_findings *errors, struct shim_error *err);
/* Read and parse a file. */
int shim_profile_load(const char *path, struct shim_profile **out,
		      struct shim_warnings *warn, struct shim_error *err);
/* The same, from an open file descriptor (not closed). */
int shim_profile_load_fd(int fd, const char *display_name, struct shim_profile **out,
			 struct shim_warnings *warn, struct shim_error *err);
void shim_profile_free(struct shim_profile *p);

/* ---- profile references ------------------------------------------------ */

#define SHIM_PROFILE_ROOT "/var/lib/kubelet/seccomp"

enum shim_ref_kind {
	SHIM_REF_FILE = 1,
	SHIM_REF_BUILTIN,
	SHIM_REF_LOCALHOST,
	SHIM_REF_UNCONFINED, /* *out stays NULL: no filter */
};

/* Loads what ref names: runtime/default (RuntimeDefault), audit,
 * unconfined (Unconfined), localhost/REL under localhost_root (NULL:
 * SHIM_PROFILE_ROOT), or a file path. */
int shim_profile_open_ref(const char *ref, const char *localhost_root,
			  struct shim_profile **out, enum shim_ref_kind *kind,
			  struct shim_warnings *warn, struct shim_error *err);
/* The bytes a reference names, unparsed, and the name messages use. */
struct shim_source {
	char *name;
	char *text; /* for a built-in profile, the embedded text itself */
	size_t len;
	bool builtin;
	bool has_sha256; /* built-in profiles: hashed at build time */
	uint8_t sha256[32];
};

/* Reads what ref names (as shim_profile_open_ref, without parsing);
 * for unconfined, src stays empty. */
int shim_source_read(const char *ref, const char *localhost_root, struct shim_source *src,
		     enum shim_ref_kind *kind, struct shim_error *err);
/* The profile in src: parsed, or for a built-in one the data parsed at
 * build time (shim_profile_free leaves it alone). */
int shim_source_profile(const struct shim_source *src, struct shim_profile **out,
			struct shim_warnings *warn, struct shim_findings *errors,
			struct shim_error *err);
struct shim_host;
struct shim_filter;
struct shim_compile_options;
/* For a built-in profile, the program compiled at build time when it was
 * made for a host like this one and the default options (1, out filled);
 * 0 when the profile must be compiled here; -1 on error. */
int shim_source_precompiled(const struct shim_source *src, const struct shim_host *host,
			    const struct shim_compile_options *opt, struct shim_filter *out,
			    struct shim_error *err);
/* A source of text given as it is (the run's --profile-json). */
int shim_source_from_text(const char *name, const char *text, size_t len, struct shim_source *src,
			  struct shim_error *err);
void shim_source_free(struct shim_source *src);

/* The JSON text of a built-in profile, or NULL. */
const char *shim_builtin_profile(const char *name);

/* LINE:COL of a JSON path inside the profile; the path is written as
 * syscalls[3].names[1]. As deep as the path is found. shim_profile_where
 * writes "FILE:LINE:COL" (explain and eval say where a rule is). */
void shim_profile_locate(const struct shim_profile *p, const char *json_path,
			 unsigned *line, unsigned *col);
void shim_profile_where(const struct shim_profile *p, const char *json_path,
			char *buf, size_t len);

/* ---- the host a profile is resolved against ---------------------------- */

struct shim_host {
	const struct shim_arch_info *arch;
	unsigned kernel_major, kernel_minor;
	uint64_t bounding; /* the capability bounding set the target will have */
	uint64_t permitted; /* the capabilities this process holds */
	unsigned supported_flags; /* seccomp filter flags this kernel accepts */
};

/* The running machine, with the current bounding set. */
int shim_host_detect(struct shim_host *host, struct shim_error *err);
int shim_kernel_parse_release(const char *release, unsigned *major,
			      unsigned *minor);

/* ---- the resolved policy (OCI linux.seccomp: flat rules) ---------------- */

struct shim_policy_rule {
	const char *name; /* points into the profile */
	struct shim_action action;
	struct shim_arg args[6];
	size_t n_args;
	size_t src_index, src_name_index; /* syscalls[i].names[j] */
};

struct shim_policy {
	struct shim_action default_action;
	uint32_t arches[24]; /* libseccomp tokens, native first */
	size_t n_arches;
	unsigned flags;
	bool flags_given; /* the profile has "flags"; else the default above */
	struct shim_policy_rule *rules;
	size_t n_rules;
	bool needs_listener; /* NOTIFY somewhere */
};

int shim_resolve(const struct shim_profile *p, const struct shim_host *host,
		 struct shim_policy *out, struct shim_warnings *warn,
		 struct shim_error *err);
void shim_policy_free(struct shim_policy *pol);

/* ---- compile ----------------------------------------------------------- */

struct shim_filter {
	struct sock_filter *insns;
	size_t n_insns;
	unsigned flags;
	bool by_libseccomp; /* compiled by libseccomp, not our generator */
	bool linear; /* by_libseccomp: its linear program, not its binary tree */
};

struct shim_compile_options {
	bool unknown_syscalls_fatal;
	bool linear; /* libseccomp's plain if-chain, not a binary tree (bench) */
	bool libseccomp; /* libseccomp's binary tree even where ours would do */
};

int shim_compile(const struct shim_profile *p, const struct shim_policy *pol,
		 const struct shim_compile_options *opt, struct shim_filter *out,
		 struct shim_warnings *warn, struct shim_error *err);
void shim_filter_free(struct shim_filter *f);

/* ---- classic BPF interpreter for seccomp programs ----------------------- */

struct shim_seccomp_data {
	int nr;
	uint32_t arch;
	uint64_t instruction_pointer;
	uint64_t args[6];
};

/* Runs prog on data; *ret receives the program's return value. Fails on a
 * program the kernel would refuse (bad jump, bad load, no return). */
int shim_bpf_run(const struct sock_filter *prog, size_t n,
		 const struct shim_seccomp_data *data, uint32_t *ret,
		 struct shim_error *err);
/* What a run did: instructions executed, and whether it read the
 * arguments or instruction pointer (then the kernel's action cache cannot
 * keep the verdict for that syscall). */
struct shim_bpf_trace {
	size_t executed;
	bool reads_args;
};

int shim_bpf_run_traced(const struct sock_filter *prog, size_t n,
			const struct shim_seccomp_data *data, uint32_t *ret,
			struct shim_bpf_trace *trace, struct shim_error *err);
/* Whether two programs for pol give the same verdict on every input built
 * from it (lib/equiv.c says which): 1 yes, 0 no (differing holds the
 * first input where they differ), -1 error. inputs counts the runs. */
int shim_filter_equivalent(const struct shim_policy *pol, const struct shim_filter *a,
			   const struct shim_filter *b, struct shim_seccomp_data *differing,
			   size_t *inputs, struct shim_error *err);
/* The same with a stack of n filters on one side (stack[0] the oldest,
 * as a process runs under them: shim_bpf_ret_combine) and b on the other. */
int shim_filters_equivalent(const struct shim_policy *pol, const struct shim_filter *stack,
			    size_t n, const struct shim_filter *b, struct shim_seccomp_data *differing,
			    size_t *inputs, struct shim_error *err);
/* The verdict of a stack of filters, built as the kernel builds it
 * (kernel/seccomp.c, seccomp_run_filters): starting from ALLOW, each
 * filter's return from the newest to the oldest replaces the verdict so
 * far when its action, read as a signed 32-bit number, is strictly lower.
 * So KILL_PROCESS (0x80000000) < KILL_THREAD < TRAP < ERRNO < USER_NOTIF
 * < TRACE < LOG < ALLOW, and between equal actions the newest filter's
 * data (its errno) wins. */
uint32_t shim_bpf_ret_combine(uint32_t so_far, uint32_t older);
/* An argument for eval: a number, a constant (O_WRONLY|O_CREAT,
 * CLONE_NEWUSER, AF_INET, PER_LINUX; lib/consts.c), or several ORed. */
int shim_const_parse(const char *text, uint64_t *out, struct shim_error *err);
/* "ALLOW", "ERRNO(EPERM)", "KILL_PROCESS", ... for a seccomp return value. */
void shim_bpf_ret_format(uint32_t ret, char *buf, size_t len);

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

/* ---- writing a profile from syscall groups (seccomp-shim new) ---------- */

/* A named set of syscalls, as systemd's SystemCallFilter= knows it. */
struct shim_group {
	const char *name; /* "@system-service" */
	const char *summary;
	const char *members; /* names and @groups, separated by one space */
};

/* Every group, in order of name. */
const struct shim_group *shim_groups(size_t *n);
/* The group called name ("@mount"), or NULL. */
const struct shim_group *shim_group_find(const char *name);
/* Appends what spec means to names[] (each name strdup'd; names may
 * repeat): a syscall name as it is, or a @group's members, nested groups
 * expanded. An unknown group is an error. */
int shim_group_expand(const char *spec, char ***names, size_t *n, struct shim_error *err);

struct shim_new_request {
	char *const *allow; /* syscall names and @groups */
	size_t n_allow;
	char *const *deny; /* the same; a name in both is denied */
	size_t n_deny;
	struct shim_action default_action; /* kind 0: ERRNO(EPERM) */
	uint32_t deny_errno; /* denies, when the default lets calls through; 0: EPERM */
	const struct shim_arch_info *arch; /* whose family the profile is for; NULL: native */
	const char *comment; /* or NULL */
};

/* The architectures a profile for arch lists: arch and the ABIs its
 * kernel also runs (x86_64: x86 and x32), as runtime/default's archMap.
 * Returns how many were written to out (at most max). */
size_t shim_arch_family(const struct shim_arch_info *arch, const struct shim_arch_info **out,
			size_t max);

/* A standard profile (defaultAction, defaultErrnoRet, architectures,
 * syscalls with names and an action: what runc, crun and Docker read)
 * allowing rq->allow and @default minus rq->deny, by name, sorted. Names
 * that exist on none of the family's architectures are left out: those
 * libseccomp does not know at all are said in a warning (one, for group
 * members), a plain name given by the caller that it does not know is an
 * error. */
int shim_new_profile(const struct shim_new_request *rq, struct shim_text *out,
		     struct shim_warnings *warn, struct shim_error *err);

/* ---- export and compiled filter files ----------------------------------- */

/* The profile in Docker's format, normalized: canonical names, every
 * default spelt out, "comment" fields kept. Compiles to the same filter. */
int shim_export_json(const struct shim_profile *p, struct shim_text *out, struct shim_error *err);
/* The resolved OCI linux.seccomp object (what runc's config.json takes). */
int shim_export_oci(const struct shim_policy *pol, struct shim_text *out, struct shim_error *err);
/* The same, for a runtime to apply: with the filter f (compiled for arch),
 * the syscalls runc's init makes between loading the filter and execve are
 * allowed by one more rule where f denies them; their names go to added. */
int shim_export_oci_for_runtime(const struct shim_policy *pol, const struct shim_filter *f,
				uint32_t arch, struct shim_text *out, struct shim_text *added,
				struct shim_error *err);
/* libseccomp's PFC text of the policy, written to fd (the ENOSYS stub
 * in front of it is noted in a comment). */
int shim_export_pfc(const struct shim_profile *p, const struct shim_policy *pol,
		    const struct shim_compile_options *opt, int fd, struct shim_error *err);
/* A compiled filter with a header: the arch, kernel and capabilities it
 * was resolved for and SHA-256 hashes of the profile and program. */
int shim_bpf_file_write(int fd, const struct shim_profile *p, const struct shim_host *host,
			const struct shim_filter *f, struct shim_error *err);
/* Reads one back; refused unless host matches the header. */
int shim_bpf_file_read(const char *path, const struct shim_host *host,
		       struct shim_filter *out, struct shim_error *err);

/* ---- the compiled-filter cache ----------------------------------------- */

/* Everything that decides the program, hashed: the profile bytes and
 * name, the capabilities the command will hold, arch, kernel release,
 * supported flags, libseccomp and shim versions, options. */
void shim_cache_key(const struct shim_source *src, const struct shim_host *host,
		    const struct shim_compile_options *opt, uint8_t key[32]);
/* /var/cache/seccomp-shim for root; -1 for anyone else, who cannot seal
 * entries (the environment is never consulted). */
int shim_cache_dir_default(char *buf, size_t len);
/* Whether this process can use a cache at all: entries are sealed with a
 * trusted.* extended attribute, which needs root with CAP_SYS_ADMIN. */
bool shim_cache_usable(void);
/* A hash of the sources this binary was built from. */
const char *shim_build_id(void);
/* 1 and the filter when a sealed entry matches, with the warnings
 * compiling it gave added to warn; 0 otherwise. */
int shim_cache_load(const char *dir, const uint8_t key[32], const struct shim_host *host,
		    struct shim_filter *out, struct shim_warnings *warn);
/* Stores the filter with the warnings compiling it gave, atomically, and
 * keeps the directory bounded; -1 (and nothing said) when the cache
 * cannot be written or a warning is not one a cached run may repeat
 * (only "unknown syscall skipped" ones are). */
int shim_cache_store(const char *dir, const uint8_t key[32], const struct shim_profile *p,
		     const struct shim_host *host, const struct shim_filter *f,
		     const struct shim_warnings *warn);

/* ---- OCI bundles -------------------------------------------------------- */

/* process.capabilities.bounding of BUNDLE/config.json. */
int shim_oci_bundle_caps(const char *bundle, uint64_t *caps, struct shim_error *err);
/* Puts an OCI linux.seccomp object (JSON text) into BUNDLE/config.json;
 * the previous file is kept as config.json.orig. */
int shim_oci_set_seccomp(const char *bundle, const char *seccomp_json, struct shim_error *err);
/* Prefixes process.args with the shim, bind-mounted read-only from a copy
 * of shim_path (a static binary) written into the bundle with the profile
 * text: the bundle does not depend on where shim_path was. *already: it
 * was wrapped before, and nothing changed. */
int shim_oci_wrap(const char *bundle, const char *shim_path, const char *profile_text,
		  size_t profile_len, bool *already, struct shim_error *err);
struct shim_oci_unwrapped {
	bool was_wrapped; /* false: nothing to undo */
	bool kept_backup; /* config.json.orig is not wrap's backup, and stays */
	bool left_mount_points; /* ROOT/.seccomp-shim stays: mounted, or not only ours */
};
/* Undoes shim_oci_wrap: config.json as it was (byte for byte from
 * config.json.orig, which goes, when that is wrap's backup), without the
 * shim's copy, the profile and the mount points a runtime made. */
int shim_oci_unwrap(const char *bundle, struct shim_oci_unwrapped *res, struct shim_error *err);

/* ---- the node policy, applied to containers (runtime wrapper, hooks) ---- */

#define SHIM_POLICY_DEFAULT_PATH "/etc/seccomp-shim/policy.json"
/* A profile for this container: a built-in name, a file the policy
 * allows, or "unconfined" (if the policy allows it). */
#define SHIM_ANNOTATION_PROFILE "org.seccomp-shim.profile"
/* "true" or "false": denials reported in the container's log. */
#define SHIM_ANNOTATION_REPORT "org.seccomp-shim.report"
/* Set by seccomp-shim: what the policy did to the container. */
#define SHIM_ANNOTATION_APPLIED "org.seccomp-shim.applied"
/* Set by seccomp-shim: the reporting shim's arguments (JSON array), for
 * prefixing every exec into the container the same way. */
#define SHIM_ANNOTATION_INJECTED "org.seccomp-shim.report-prefix"
/* Where oci wrap and reporting mount the shim in a container. */
#define SHIM_INJECT_DIR "/.seccomp-shim"
/* The largest config.json (and exec process) read. */
#define SHIM_CONFIG_MAX (64u << 20)

enum shim_report_mode { SHIM_REPORT_OFF, SHIM_REPORT_ON, SHIM_REPORT_ALWAYS };

struct shim_node_policy {
	char *file; /* where it was read; NULL: no file, the defaults */
	char *runtime; /* the real runtime (path or name); NULL: runc */
	char *default_profile; /* for a container without linux.seccomp; "refuse", "unconfined" */
	bool replace_engine_profiles; /* the engine's linux.seccomp is replaced by the default */
	bool allow_unconfined; /* an annotation may ask for no filter */
	bool refuse_allow_by_default; /* a profile whose default action is ALLOW or LOG */
	bool require_nnp;
	bool has_max_caps;
	uint64_t max_caps;
	bool has_allowed;
	char **allowed; /* built-in names, files, directories ending in / */
	size_t n_allowed;
	enum shim_report_mode report;
	char *shim; /* the static shim reporting mounts; NULL: beside the binary */
};

void shim_node_policy_defaults(struct shim_node_policy *p);
/* Reads and checks a policy file (owned by root or the caller, writable by
 * no one else). A missing file that was not named (the default path)
 * gives the defaults. */
int shim_node_policy_load(const char *path, bool named, struct shim_node_policy *out,
			  struct shim_error *err);
int shim_node_policy_parse(const char *name, const char *text, size_t len,
			   struct shim_node_policy *out, struct shim_error *err);
/* Whether a container may name ref (annotation): allowedProfiles, or
 * built-in profiles when the policy lists none. */
bool shim_node_policy_allows(const struct shim_node_policy *p, const char *ref);
void shim_node_policy_free(struct shim_node_policy *p);

struct shim_admission_request {
	const struct shim_node_policy *policy;
	const struct shim_host *host; /* this machine; the bounding set is the container's */
	const char *config_name; /* for messages: "BUNDLE/config.json", "config.json (stdin)" */
	const char *bundle; /* the bundle directory, or NULL (the precreate hook) */
	struct json_t *config; /* edited in place */
	const char *shim_path; /* the static shim, for reporting; NULL: none */
	bool check_only; /* the createRuntime hook: nothing can be changed */
	/* The precreate hook: exec goes to the runtime unchanged, never
	 * prefixed, and reporting removes linux.seccomp: no reporting. */
	bool exec_unprefixed;
};

struct shim_admission {
	bool changed; /* config edited: write it back */
	bool reporting; /* the reporting shim was injected */
	char applied[512]; /* what was done, for the annotation and the log */
	struct shim_warnings notes;
};

/* Applies the node policy to a container's config (lib/admission.c):
 * 0 and the edits made (none when the policy has nothing to say), or -1
 * and the refusal, naming the policy rule and the container's field. */
int shim_admit(const struct shim_admission_request *rq, struct shim_admission *out,
	       struct shim_error *err);
void shim_admission_free(struct shim_admission *out);
/* The same on rq->bundle's config.json, written back (atomically, its
 * mode kept) when edited; with check_only a change is a refusal too. */
int shim_admit_bundle(const struct shim_admission_request *rq, struct shim_admission *out,
		      struct shim_error *err);
/* The same on a config given as text (the precreate hook): result is the
 * config to use. */
int shim_admit_text(const struct shim_admission_request *rq, const char *text, size_t len,
		    struct shim_text *result, struct shim_admission *out, struct shim_error *err);
/* The bundle of a container's state (what an OCI hook reads on stdin). */
int shim_state_bundle(const char *text, size_t len, char **bundle, struct shim_error *err);
struct shim_argv {
	char **v;
	size_t n;
};
/* From a container's state (runc state ID): the reporting shim's
 * arguments it was created with: 1 and out, 0 when it has none. */
int shim_state_report_prefix(const char *text, size_t len, struct shim_argv *out,
			     struct shim_error *err);
void shim_argv_free(struct shim_argv *a);
/* All of fd, at most max bytes (EFBIG beyond), NUL-terminated. */
int shim_read_all(int fd, size_t hint, size_t max, char **out, size_t *len);
/* An exec into a container (runc exec --process FILE, --cap NAME...)
 * within the policy's maxCapabilities: the container was admitted, and a
 * process added to it may hold no more. */
int shim_exec_admit(const struct shim_node_policy *pol, const char *process_file,
		    char *const *added_caps, size_t n_added, struct shim_error *err);
/* An exec's process file (runc exec --process) with prefix before args. */
int shim_process_prefixed(const char *path, const struct shim_argv *prefix, struct shim_text *out,
			  struct shim_error *err);
/* The static shim's bytes: an ELF program with no interpreter (one that
 * runs in an image that has nothing else). */
int shim_static_shim_read(const char *path, char **data, size_t *len, struct shim_error *err);

/* ---- record ------------------------------------------------------------ */

/* A call whose danger is in one argument (socket's family, clone's
 * namespace flags, ioctl's request, ...) is allowed for at most this
 * many values of it; more, and for any. */
#define SHIM_RECORD_MAX_VALUES 64

/* The calls counted (a hash table by arch and number) and the values of
 * those whose danger is in one argument: lib/'s own. */
struct shim_record_table;

struct shim_recording {
	struct shim_record_table *table;
	size_t n; /* distinct (arch, nr) */
	uint64_t total;
	bool wanted_listener; /* the command asked for its own seccomp listener */
	bool exited;
	int status; /* the command's wait status */
};

/* An empty recording (shim_record_run makes its own). */
int shim_recording_init(struct shim_recording *rec, struct shim_error *err);
/* Counts one call; args (NULL: not known) for the calls whose values are
 * kept. */
void shim_recording_add(struct shim_recording *rec, uint32_t arch, int nr, const uint64_t args[6]);
/* How many times (arch, nr) was counted (arch: libseccomp's token, x32
 * calls SCMP_ARCH_X32); 0 for a call never seen. */
uint64_t shim_recording_count(const struct shim_recording *rec, uint32_t arch, int nr);

/* Runs path under a filter that notifies every syscall and records them
 * for the whole process tree, until no task uses the filter. SIGINT,
 * SIGTERM, SIGHUP and SIGQUIT are passed on to the command. */
int shim_record_run(const char *path, char *const argv[], char *const envp[],
		    struct shim_recording *rec, struct shim_error *err);
struct shim_record_options {
	const struct shim_profile *merge; /* an allow-list to add to, or NULL */
	int errno_ret; /* the default errno of a new profile */
	const char *command; /* the command line, quoted, for the comment; NULL: none */
	bool wide; /* the calls whose values are kept allowed for any arguments */
	/* Only the calls in rec (--complain): no execve, no calls the
	 * recording filter lets through unseen, no clone or clone3 rules. */
	bool seen_only;
};
/* The allow-list: defaultAction ERRNO(errno_ret), the syscalls seen plus
 * execve, execveat and the calls the recording filter lets through, by
 * name, sorted, with the architectures seen; the calls whose values are
 * kept one rule per value seen (unless wide); clone without CLONE_NEW* flags;
 * clone3 ENOSYS. With merge (an allow-list), that profile plus rules for
 * what it did not allow, its comment followed by this run's. */
int shim_record_profile(const struct shim_recording *rec, const struct shim_record_options *opt,
			struct shim_text *out, struct shim_warnings *warn, struct shim_error *err);
/* Whether shim_record_profile can add to merge (an allow-list whose values
 * all fit), so that a run is not made for nothing. */
int shim_record_merge_check(const struct shim_profile *merge, struct shim_error *err);
/* Where record writes, made before the command runs so that an output it
 * cannot write fails first: a temporary next to the output (O_EXCL, in the
 * directory of the file a symlink names), renamed over it at the end with
 * the mode of the file it replaces (new: 0644 less the umask); an existing
 * device or FIFO is opened as it is. Its descriptor is O_CLOEXEC. */
struct shim_record_output {
	char *path; /* the file to replace */
	char *tmp; /* the temporary; NULL when writing to path directly */
	int fd;
};
int shim_record_output_open(const char *path, struct shim_record_output *out,
			    struct shim_error *err);
/* Writes t and puts it in place; the temporary is removed on failure. */
int shim_record_output_commit(struct shim_record_output *out, const struct shim_text *t,
			      struct shim_error *err);
/* Removes the temporary; nothing at path changes. */
void shim_record_output_abort(struct shim_record_output *out);
/* Each syscall with its count, most frequent first. */
void shim_recording_stats(const struct shim_recording *rec, struct shim_text *out);
void shim_recording_free(struct shim_recording *rec);

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

/* ---- apply and execve -------------------------------------------------- */

struct shim_cap_request {
	uint64_t drop, add;
	bool drop_all, add_all;
	bool any; /* any --cap-drop/--cap-add given */
};

/* The set the target ends with, as Docker computes it: add ALL keeps
 * everything but the drops; drop ALL keeps only the adds; otherwise the
 * current set minus drops plus adds. An add outside current_bounding is an
 * error (no process can grow its bounding set), and so is an add of a
 * capability this process does not hold (held: its permitted set). */
int shim_caps_plan(uint64_t current_bounding, uint64_t held,
		   const struct shim_cap_request *req, uint64_t *final,
		   struct shim_error *err);

/* Who the target runs as. With switch_user false, ids stay as they are. */
struct shim_identity {
	bool switch_user;
	unsigned uid, gid;
	bool set_groups; /* replace the supplementary groups with groups[] */
	unsigned *groups;
	size_t n_groups;
};

/* --user NAME|UID[:GROUP|GID], looked up in the given passwd/group files.
 * Unless set_groups is already true, the supplementary groups become the
 * user's memberships in group_file. */
int shim_user_parse(const char *spec, const char *passwd_file, const char *group_file,
		    struct shim_identity *id, struct shim_error *err);
/* --groups LIST: names or gids, comma-separated; "" means none. */
int shim_groups_parse(const char *list, const char *group_file, struct shim_identity *id,
		      struct shim_error *err);
int shim_group_lookup(const char *group_file, const char *spec, unsigned *gid,
		      struct shim_error *err);
void shim_identity_free(struct shim_identity *id);

struct shim_exec_plan {
	const char *path; /* resolved by shim_find_program */
	char *const *argv;
	char *const *envp;
	const struct shim_identity *identity; /* NULL: keep ids */
	bool change_caps;
	uint64_t bounding_caps; /* the bounding set */
	uint64_t held_caps; /* permitted, effective, inheritable, ambient */
	const struct shim_filter *filter; /* NULL: no filter (still NNP) */
	/* A supervised run's child (lib/supervise.c): after no_new_privs it
	 * dies with its supervisor (PR_SET_PDEATHSIG) and, with a listener,
	 * hands that over before execve. NULL: a plain run. */
	struct shim_child_link *supervised;
};

/* The privilege sequence before no_new_privs, in runc's order: bounding
 * set, keep-caps, setgroups/setresgid/setresuid, capset, ambient. With
 * change_caps, the bounding set ends as bounding_caps (where CAP_SETPCAP
 * allows; see shim_caps_can_drop_bounding) and the permitted, effective,
 * inheritable and ambient sets as held_caps; without it, the caller's caps
 * are carried across an id switch unchanged. Everything is read back. */
int shim_privileges_apply(const struct shim_identity *id, bool change_caps,
			  uint64_t bounding_caps, uint64_t held_caps, struct shim_error *err);
/* What a target holds (effective, permitted, ambient) out of its bounding
 * set: all of it for uid 0 (unless SECBIT_NOROOT), and for any other uid
 * only what --cap-add or --caps-keep named. */
uint64_t shim_caps_held(const struct shim_cap_request *req, uint64_t bounding,
			unsigned target_uid);
unsigned shim_caps_read_securebits(void);
/* The current ambient set. */
uint64_t shim_caps_read_ambient(void);
/* The capabilities a target will hold after execve under no_new_privs,
 * which includes/excludes resolve against: for uid 0 its bounding set as
 * far as this process holds it (nothing under SECBIT_NOROOT); for any
 * other uid only what it carries in the ambient set. */
uint64_t shim_caps_target_set(unsigned target_uid, bool change_caps, uint64_t held,
			      bool switching_user, const struct shim_host *host);
/* Whether this process may shrink its bounding set (CAP_SETPCAP). */
bool shim_caps_can_drop_bounding(void);

/* PATH lookup as execvp does; err->exit_code is 127 or 126 on failure. */
int shim_find_program(const char *name, const char *path_env, char **out,
		      struct shim_error *err);
/* The same, with the ids the target will run as (id->switch_user): what
 * the target cannot search or execute is skipped, as its execvp would. */
int shim_find_program_as(const char *name, const char *path_env,
			 const struct shim_identity *id, char **out, struct shim_error *err);

/* The privilege sequence; returns only on failure. */
int shim_exec_confined(const struct shim_exec_plan *plan, struct shim_error *err);

/* Checks, with the interpreter, that the filter lets this execve through. */
int shim_filter_check_execve(const struct shim_filter *f, const char *path,
			     char *const *argv, char *const *envp,
			     struct shim_error *err);

/* For a dynamically linked path (or a #! script whose interpreter is
 * one), checks that the filter lets the dynamic loader's first mmap
 * through: a loader without memory dies with SIGSEGV before main. */
int shim_filter_check_loader(const struct shim_filter *f, const char *path,
			     struct shim_error *err);

/* Loads the filter with seccomp(2). On success the only call made after
 * the load is the read-back's pread: a descriptor (O_CLOEXEC) stays open
 * for execve to close. */
int shim_filter_load(const struct shim_filter *f, struct shim_error *err);

/* ---- supervised runs: --report, --complain, --init ---------------------- */

/* Which verdicts the filter of a supervised run hands to the supervisor
 * (SECCOMP_RET_USER_NOTIF); the others the kernel answers itself. */
enum shim_notify_mode {
	SHIM_NOTIFY_NONE = 0, /* --init alone: the profile's program as it is */
	SHIM_NOTIFY_REPORT, /* ERRNO verdicts, not the ENOSYS stub's */
	SHIM_NOTIFY_COMPLAIN, /* every verdict but ALLOW and LOG, the stub's too */
};

/* The program f with the return instructions of the verdicts mode names
 * turned into SECCOMP_RET_USER_NOTIF and nothing else changed: the same
 * jumps, the same path for every call, so an allowed call is answered as
 * before (the kernel's action cache keeps the same syscalls) and the
 * supervisor learns the verdict by running f itself on the notification.
 * *rewritten counts the returns changed. A program that returns a
 * computed value (RET A) is refused. */
int shim_notify_program(const struct shim_filter *f, enum shim_notify_mode mode,
			struct shim_filter *out, size_t *rewritten, struct shim_error *err);
/* The index of the ENOSYS stub's return instruction in f, or -1 when f
 * does not begin with the stub. */
long shim_stub_ret_index(const struct shim_filter *f);

/* How a denial was seen. */
enum shim_seen {
	SHIM_SEEN_CALL = 1, /* the call itself, held by the kernel until answered */
	SHIM_SEEN_AUDIT, /* the kernel's audit record of its own action: no arguments */
	SHIM_SEEN_EXIT, /* only the end: a process killed by SIGSYS */
};

#define SHIM_DENIAL_STRINGS 3
#define SHIM_DENIAL_STRING_MAX 1024

/* A string argument (a path, a file system type) read from the task's
 * memory while it waited in the call: what the supervisor read, which the
 * task could have changed at the same time ("as read"). */
struct shim_denial_string {
	int index; /* the argument */
	int error; /* errno when it could not be read, else 0 */
	bool truncated;
	char text[SHIM_DENIAL_STRING_MAX];
};

/* One call the profile denied (or, with --complain, would deny). */
struct shim_denial {
	enum shim_seen seen;
	struct timespec time; /* CLOCK_REALTIME */
	int pid, tid; /* thread group and thread, as the supervisor sees them */
	char comm[17];
	char exe[512]; /* "" when it cannot be read */
	uint32_t arch; /* the AUDIT_ARCH of seccomp_data */
	uint32_t token; /* libseccomp's arch: x32 calls are SCMP_ARCH_X32 */
	int nr;
	char name[48]; /* "" when libseccomp has no name for it */
	uint64_t args[6];
	uint64_t ip;
	struct shim_denial_string strings[SHIM_DENIAL_STRINGS];
	size_t n_strings;
	bool has_word; /* a word read behind a pointer: clone3's flags, openat2's */
	int word_index;
	uint64_t word;
	uint32_t ret; /* the profile's verdict (SECCOMP_RET_*) */
	enum shim_decider by; /* 0: not known (a filter without its profile) */
	const struct shim_policy_rule *rule; /* SHIM_BY_RULE */
	long max_nr; /* SHIM_BY_ENOSYS_STUB */
	bool rule_unsure; /* SEEN_AUDIT: argument tests decide, and arguments are not seen */
	int status; /* SEEN_EXIT: the wait status */
	bool allowed; /* --complain: the call went ahead */
	bool gone; /* the task was gone before it could be answered */
};

enum shim_report_format { SHIM_REPORT_TEXT = 1, SHIM_REPORT_JSON };

/* One line (with its newline) for a denial: time, pid, comm, exe, arch,
 * the call with its six arguments decoded where it matters, the verdict
 * and what decided it (file:line:column of the rule, or the default
 * action). p may be NULL (a filter from --bpf: no rules to name). */
void shim_denial_format(const struct shim_profile *p, const struct shim_denial *d,
			enum shim_report_format fmt, struct shim_text *out);
/* The arguments of d as text, decoded: "AT_FDCWD, \"/tmp/x\" (as read),
 * O_WRONLY|O_CREAT, 0644, 0, 0". */
void shim_denial_args(const struct shim_denial *d, struct shim_text *out);

/* Denials counted by (arch, syscall, verdict, rule): the summary at exit. */
struct shim_summary_entry {
	uint32_t token;
	int nr;
	char name[48];
	uint32_t ret;
	enum shim_decider by;
	const struct shim_policy_rule *rule;
	enum shim_seen seen;
	bool allowed;
	uint64_t count;
	int first_pid;
};

struct shim_summary {
	struct shim_summary_entry *v;
	size_t n, cap;
	uint64_t total;
	bool oom;
};

void shim_summary_add(struct shim_summary *s, const struct shim_denial *d);
void shim_summary_format(const struct shim_profile *p, const struct shim_summary *s,
			 enum shim_report_format fmt, struct shim_text *out);
void shim_summary_free(struct shim_summary *s);

struct shim_supervise_options {
	enum shim_notify_mode mode;
	const struct shim_profile *profile; /* NULL: a filter without its profile */
	const struct shim_policy *pol; /* the same */
	bool subreaper; /* reap orphans: PR_SET_CHILD_SUBREAPER unless PID 1 */
	bool signal_group; /* the target leads a process group; signals go to it */
	bool audit; /* read the kernel's audit records of kills (root on the host) */
	/* Called for each denial, one at a time, from any thread. */
	void (*on_denial)(void *ctx, const struct shim_denial *d);
	void *ctx;
};

/* What a supervised run saw. */
struct shim_supervision {
	int status; /* the target's wait status */
	bool stopped_early; /* a signal ended the wait for the rest of the tree */
	struct shim_summary summary;
	/* --complain: the calls that went ahead, and for each rule of the
	 * policy whether it decided one of them. */
	struct shim_recording complained;
	bool *rule_decided; /* pol->n_rules */
	struct shim_seccomp_data *calls; /* distinct calls allowed, for checking */
	size_t n_calls, cap_calls;
	bool audit_read; /* kills were looked for in the kernel's audit records */
	char audit_why[160]; /* else why not */
};

/* Runs plan as a child, confined by plan->filter (rewritten as
 * opt->mode says), and stays as its parent: answers each notification
 * with the profile's own verdict (or, complaining, lets the call go
 * ahead), forwards signals, reaps, and returns when the target has
 * ended and no task uses the filter any more (as PID 1: when the target
 * has ended). Returns -1 with err when the target could not be started
 * (err->exit_code 125, 126 or 127, as a plain run). */
int shim_supervise(const struct shim_exec_plan *plan, const struct shim_supervise_options *opt,
		   struct shim_supervision *out, struct shim_warnings *warn,
		   struct shim_error *err);
void shim_supervision_free(struct shim_supervision *s);
/* Seccomp_filters of this process (the filters a supervised target runs
 * under besides ours), -1 when /proc cannot tell. */
int shim_seccomp_filters_self(void);

/* --complain's profile: p (resolved as pol for host) with each call that
 * went ahead allowed, as narrowly as record allows it (lib/record.c): a
 * rule that denied one loses that name, and a default that denied one
 * gets an ALLOW rule (by name; socket, clone, ioctl, ... by the values
 * seen). Every call is checked against the result, compiled; any it
 * still denies is a warning. */
int shim_complain_profile(const struct shim_profile *p, const struct shim_policy *pol,
			  const struct shim_host *host, const struct shim_supervision *s,
			  const char *command, struct shim_text *out, struct shim_warnings *warn,
			  struct shim_error *err);

#endif
