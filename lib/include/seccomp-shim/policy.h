/* seccomp-shim: resolving and compiling: the host, the resolved policy, the filter, and the BPF interpreter (lib/include/seccomp-shim.h says how the stages go). */
#ifndef SECCOMP_SHIM_POLICY_H
#define SECCOMP_SHIM_POLICY_H

#include "seccomp-shim/profile.h"

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

#endif
