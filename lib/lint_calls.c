/* lint: which calls the compiled filter lets through. blocks-essential:
 * a call every program (or the shim's own execve) needs is blocked;
 * deny-list, deny-list-gap: the default allows, and a denied call has a
 * sibling that does the same and gets through.
 *
 * MUST: every finding names file:line:column and the JSON path, says what
 * is wrong and how to fix it; verdicts come from the compiled filter in
 * the interpreter, not from reading the rules.
 */
#include <stdio.h>
#include <string.h>
#include <linux/seccomp.h>

#include "lint.h"

void shim_lint_essentials(const struct shim_profile *p, const struct shim_policy *pol,
			  const struct shim_filter *f, uint32_t arch, struct shim_findings *out)
{
	static const struct {
		const char *name, *why, *fix;
		uint64_t a0;
	} needed[] = {
		{ "execve", "the shim's own execve of the command needs it", NULL, 0 },
		{ "execveat", "fexecve(3) and some shells use it", NULL, 0 },
		{ "exit", "every thread needs it to end", NULL, 0 },
		{ "exit_group", "every program needs it to exit", NULL, 0 },
		{ "rt_sigreturn", "every signal handler returns through it", NULL, 0 },
		/* fork(2) in glibc is clone(SIGCHLD|CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID). */
		{ "clone", "fork(), posix_spawn() and threads create processes with it (here without namespace flags): sh cannot run a command",
		  "allow \"clone\" at least when it asks for no new namespace (arg0 & 0x7E020000 == 0, SCMP_CMP_MASKED_EQ, as runtime/default does)",
		  0x1200011 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(needed); i++) {
		int nr = shim_syscall_resolve_name_arch(arch, needed[i].name);
		const uint64_t args[6] = { needed[i].a0 };
		struct shim_verdict v;
		char ret[64], fix[200], path[64] = "defaultAction";

		if (nr < 0 || shim_eval(pol, f, arch, nr, args, &v, NULL) < 0 || shim_lint_passes(v.ret))
			continue;
		/* Point at what blocks it: a rule, or the default. */
		if (v.by == SHIM_BY_RULE)
			snprintf(path, sizeof(path), "syscalls[%zu].names[%zu]", v.rule->src_index,
				 v.rule->src_name_index);
		shim_bpf_ret_format(v.ret, ret, sizeof(ret));
		if (needed[i].fix)
			snprintf(fix, sizeof(fix), "%s", needed[i].fix);
		else
			snprintf(fix, sizeof(fix), "allow \"%s\"", needed[i].name);
		shim_lint_at(out, p, strcmp(needed[i].name, "execve") ? SHIM_SEV_WARNING : SHIM_SEV_ERROR,
			     "blocks-essential", fix, path, "blocks %s (it gets %s): %s", needed[i].name, ret,
			     needed[i].why);
	}
}

#define UNSHARE_FIX \
	"deny clone only when it asks for a namespace, in one rule whose args repeat index 0 (runc ORs them): SCMP_CMP_MASKED_EQ value and valueTwo 0x20000, 0x2000000, 0x4000000, 0x8000000, 0x10000000, 0x20000000, 0x40000000 (the CLONE_NEW* flags); and give clone3 SCMP_ACT_ERRNO with errnoRet 38 (ENOSYS), so glibc falls back to clone. Never deny clone outright: fork needs it"

/* glibc's fork() is clone(): denying clone or clone3 stops every fork,
 * so a seccomp profile cannot keep a program from making processes. */
#define FORK_FIX \
	"a seccomp profile cannot stop process creation: glibc's fork() calls clone, so denying clone or clone3 breaks every fork (sh: Cannot fork); deny vfork too if it is open, and limit processes with a pids cgroup (runc's linux.resources.pids) or RLIMIT_NPROC"

/* Whether other, a sibling of the denied call, gets through on arch: for
 * unshare's sibling clone, only a clone that asks for a new namespace
 * counts (a plain clone is fork). */
static bool sibling_open(const struct shim_filter *f, uint32_t arch, const char *denied,
			 const char *other)
{
	bool known;
	int nr;

	if (strcmp(denied, "unshare") == 0 && strcmp(other, "clone") == 0) {
		const uint64_t newuser[6] = { 0x10000000 };
		nr = shim_syscall_resolve_name_arch(arch, other);
		return nr >= 0 && shim_lint_passes(shim_lint_verdict_args(f, arch, nr, newuser));
	}
	return shim_lint_passes(shim_lint_verdict_of(f, arch, other, &known)) && known;
}

/* The JSON path of the first rule for name ("syscalls" if none). */
static void rule_path(const struct shim_policy *pol, const char *name, char *path, size_t len)
{
	snprintf(path, len, "syscalls");
	for (size_t r = 0; r < pol->n_rules; r++)
		if (strcmp(pol->rules[r].name, name) == 0) {
			snprintf(path, len, "syscalls[%zu].names[%zu]", pol->rules[r].src_index,
				 pol->rules[r].src_name_index);
			return;
		}
}

/* For a deny-list: denying one call while allowing another that does the
 * same thing leaves the door open. */
void shim_lint_deny_list(const struct shim_profile *p, const struct shim_policy *pol,
			 const struct shim_filter *f, uint32_t arch, struct shim_findings *out)
{
	static const struct {
		const char *denied, *others;
	} siblings[] = {
		{ "mount", "fsopen fsconfig fsmount move_mount open_tree mount_setattr" },
		{ "open", "openat openat2" },
		{ "openat", "open openat2" },
		{ "execve", "execveat" },
		{ "mkdir", "mkdirat" },
		{ "unlink", "unlinkat" },
		{ "rmdir", "unlinkat" },
		{ "rename", "renameat renameat2" },
		{ "chmod", "fchmod fchmodat fchmodat2" },
		{ "chown", "fchown fchownat lchown" },
		{ "link", "linkat" },
		{ "symlink", "symlinkat" },
		{ "kill", "tkill tgkill pidfd_send_signal" },
		{ "ptrace", "process_vm_readv process_vm_writev" },
		{ "clone", "clone3" },
		{ "fork", "clone clone3 vfork" },
		{ "unshare", "clone clone3" }, /* clone only with CLONE_NEW* flags */
		{ "stat", "lstat fstat newfstatat statx" },
		{ "sendfile", "splice copy_file_range" },
		{ "dup2", "dup3 fcntl" },
		{ "umount2", "umount" },
		{ "init_module", "finit_module" },
		{ "kexec_load", "kexec_file_load" },
		{ "bpf", "perf_event_open" },
	};
	uint32_t def = shim_action_ret(&pol->default_action);
	char path[64];

	/* LOG as the default is auditing, not a policy. */
	if ((def & SECCOMP_RET_ACTION_FULL) != SECCOMP_RET_ALLOW)
		return;
	shim_lint_at(out, p, SHIM_SEV_WARNING, "deny-list",
		     "prefer an allow-list: defaultAction SCMP_ACT_ERRNO and the syscalls the program needs (the audit profile shows them)",
		     "defaultAction",
		     "a deny-list allows every syscall it does not name, including those added to the kernel after it was written");
	for (size_t i = 0; i < ARRAY_SIZE(siblings); i++) {
		bool known;
		char open[256] = "", fix[640];
		const char *s = siblings[i].others;

		if (shim_lint_passes(shim_lint_verdict_of(f, arch, siblings[i].denied, &known)) || !known)
			continue;
		while (*s) {
			char name[32];
			size_t len = strcspn(s, " ");
			snprintf(name, sizeof(name), "%.*s", (int)len, s);
			s += len + (s[len] == ' ');
			/* Also under the other ABIs the filter lets through. */
			for (size_t a = 0; a < pol->n_arches; a++) {
				if (sibling_open(f, pol->arches[a], siblings[i].denied, name)) {
					if (!strstr(open, name) && strlen(open) + len + 2 < sizeof(open))
						snprintf(open + strlen(open), sizeof(open) - strlen(open),
							 "%s%s", open[0] ? ", " : "", name);
					break;
				}
			}
		}
		if (!open[0])
			continue;
		rule_path(pol, siblings[i].denied, path, sizeof(path));
		/* Denying clone outright breaks fork: only its namespace flags. */
		if (strcmp(siblings[i].denied, "unshare") == 0)
			snprintf(fix, sizeof(fix), "%s", UNSHARE_FIX);
		else if (strcmp(siblings[i].denied, "fork") == 0)
			snprintf(fix, sizeof(fix), "%s", FORK_FIX);
		else
			snprintf(fix, sizeof(fix), "deny %s as well", open);
		shim_lint_at(out, p, SHIM_SEV_WARNING, "deny-list-gap", fix, path,
			     "denies %s but allows %s, which can do the same", siblings[i].denied, open);
	}
}
