/* seccomp-shim: applying a filter: the run, execve, supervised runs (lib/include/seccomp-shim.h says how the stages go). */
#ifndef SECCOMP_SHIM_EXEC_H
#define SECCOMP_SHIM_EXEC_H

#include "seccomp-shim/write.h"

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
