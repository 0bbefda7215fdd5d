/* seccomp-shim: errors, warnings and names: what every stage speaks (lib/include/seccomp-shim.h says how the stages go). */
#ifndef SECCOMP_SHIM_BASE_H
#define SECCOMP_SHIM_BASE_H

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

#endif
