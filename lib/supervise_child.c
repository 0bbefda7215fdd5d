/* supervise_child: a supervised run's child and its start (lib/supervise.c
 * has the whole picture): the program it loads (lib/notifyprog.c's, with a
 * listener), the fork, the child's ids, capabilities, no_new_privs and
 * filter (lib/exec.c, through shim_child_link_load), and the listener taken
 * out of it with pidfd_getfd(2) before its execve.
 *
 * MUST: the child makes no system call between loading the filter and
 * execve but those the filter allows (sched_yield, only if allowed) and
 * none at all that could fail. If the supervisor dies, the listener
 * closes: every notified call then fails with ENOSYS (the kernel's rule),
 * never succeeds, and the target itself is killed (PR_SET_PDEATHSIG, set
 * after the id switch, which clears it).
 */
#include <errno.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include "internal.h"

static bool filter_allows(const struct shim_filter *f, const char *name)
{
	const struct shim_arch_info *native = shim_arch_native();
	struct shim_seccomp_data d = { .arch = native ? native->token : 0 };
	uint32_t ret;

	d.nr = seccomp_syscall_resolve_name(name);
	if (d.nr < 0 || shim_bpf_run(f->insns, f->n_insns, &d, &ret, NULL) < 0)
		return false;
	ret &= SECCOMP_RET_ACTION_FULL;
	return ret == SECCOMP_RET_ALLOW || ret == SECCOMP_RET_LOG;
}

int shim_child_link_load(const struct shim_exec_plan *plan, struct shim_error *err)
{
	struct shim_child_link *link = plan->supervised;

	/* After the id switch, which clears it: the target does not outlive
	 * its supervisor, whose death would change its verdicts to ENOSYS. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) {
		shim_error_set(err, errno, "prctl(PR_SET_PDEATHSIG): %s", strerror(errno));
		return -1;
	}
	if (getppid() != link->parent) {
		shim_error_set(err, ESRCH, "the supervisor ended before the command started");
		return -1;
	}
	if (plan->filter &&
	    shim_filter_load_listener(plan->filter,
				      link->listener ? SECCOMP_FILTER_FLAG_NEW_LISTENER | link->extra_flags : 0,
				      link->listener ? link : NULL, err) < 0)
		return -1;
	if (!link->listener)
		return 0;
	/* Filtered from here on: stores and loads, and sched_yield only
	 * where the filter allows it. The supervisor takes the listener out
	 * of this process (published as soon as it was made); execve then
	 * closes ours (O_CLOEXEC). */
	while (__atomic_load_n(&link->state, __ATOMIC_ACQUIRE) != SHIM_LINK_TAKEN) {
		if (link->can_yield)
			syscall(SYS_sched_yield);
		else
			__asm__ volatile("" ::: "memory");
	}
	return 0;
}

static void __attribute__((noreturn)) child_main(const struct shim_exec_plan *plan,
						 struct shim_child_link *link,
						 const sigset_t *mask, bool group)
{
	struct shim_error e = { 0 };

	if (group) {
		/* Its own process group, in the foreground if we were (tini):
		 * then the terminal's signals reach it once, not twice. */
		setpgid(0, 0);
		if (isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgid(link->parent))
			tcsetpgrp(STDIN_FILENO, getpid()); /* SIGTTOU is blocked here */
	}
	sigprocmask(SIG_SETMASK, mask, NULL);
	shim_exec_confined(plan, &e);
	link->err = e;
	__atomic_store_n(&link->state, SHIM_LINK_FAILED, __ATOMIC_RELEASE);
	_exit(e.exit_code ? e.exit_code : SHIM_EXIT_FAILURE);
}

/* The listener, once the child has loaded its filter. */
static int take_listener(pid_t pid, int pidfd, struct shim_child_link *link, int *status,
			 struct shim_error *err)
{
	for (;;) {
		int state = __atomic_load_n(&link->state, __ATOMIC_ACQUIRE);
		char path[64], target[64] = "";
		ssize_t n;
		int fd;

		if (state == SHIM_LINK_FAILED)
			return -1;
		if (state == SHIM_LINK_LOADED) {
			fd = (int)syscall(SYS_pidfd_getfd, pidfd, link->fd, 0);
			if (fd < 0) {
				shim_error_set(err, errno, "cannot take the seccomp listener from the command's process (pidfd_getfd: %s)%s",
					       strerror(errno),
					       errno == EPERM ? ": kernel.yama.ptrace_scope above 1 forbids it without CAP_SYS_PTRACE"
					       : errno == ENOSYS ? ": a supervised run needs Linux 5.6"
								 : "");
				return -2;
			}
			snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
			n = readlink(path, target, sizeof(target) - 1);
			target[n > 0 ? n : 0] = '\0';
			if (strcmp(target, "anon_inode:seccomp notify") != 0) {
				close(fd);
				shim_error_set(err, EINVAL, "descriptor %d of the command's process is not its seccomp listener (%s)",
					       link->fd, target);
				return -2;
			}
			return fd; /* the caller says SHIM_LINK_TAKEN */
		}
		if (waitpid(pid, status, WNOHANG) == pid) {
			if (__atomic_load_n(&link->state, __ATOMIC_ACQUIRE) == SHIM_LINK_FAILED)
				return -1;
			shim_error_set(err, ECHILD, "the command's process ended before its filter was loaded (wait status %#x)",
				       *status);
			return -3;
		}
		nanosleep(&(struct timespec){ 0, 20000 }, NULL);
	}
}

int shim_sup_prepare(struct shim_sup *sh, const struct shim_exec_plan *plan,
		     struct shim_filter *prog, struct shim_child_link *link,
		     struct shim_error *err)
{
	const struct shim_supervise_options *opt = sh->opt;
	struct shim_supervision *out = sh->out;
	size_t rewritten;

	link->parent = getpid();
	link->listener = opt->mode != SHIM_NOTIFY_NONE;
	/* The profile's own verdict on the execve about to be made (the
	 * child's filter would only say NOTIFY); complaining, it goes ahead. */
	if (plan->filter && opt->mode != SHIM_NOTIFY_COMPLAIN &&
	    (shim_filter_check_execve(plan->filter, plan->path, plan->argv, plan->envp, err) < 0 ||
	     shim_filter_check_loader(plan->filter, plan->path, err) < 0))
		return -1;
	if (!link->listener)
		return 0;
	if (!plan->filter) {
		shim_error_set(err, EINVAL, "--report and --complain need a profile: with none, nothing is denied");
		return -1;
	}
	if (shim_notify_program(plan->filter, opt->mode, prog, &rewritten, err) < 0)
		return -1;
	if (shim_kernel_supported_flags() & SHIM_FLAG_WAIT_KILLABLE_RECV)
		link->extra_flags |= SHIM_FLAG_WAIT_KILLABLE_RECV;
	/* TSYNC with a listener needs TSYNC_ESRCH (the child has one thread). */
	if (plan->filter->flags & SECCOMP_FILTER_FLAG_TSYNC)
		link->extra_flags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
	link->can_yield = filter_allows(prog, "sched_yield");
	if (opt->pol && shim_ref_new(opt->pol, &sh->ref, err) < 0)
		return -1;
	if (opt->mode == SHIM_NOTIFY_COMPLAIN) {
		if (shim_recording_init(&out->complained, err) < 0)
			return -1;
		if (opt->pol && !(out->rule_decided = calloc(opt->pol->n_rules + 1, sizeof(bool)))) {
			shim_error_set(err, ENOMEM, "out of memory");
			return -1;
		}
	}
	return 0;
}

/* Starts the child and, with a listener, takes it. */
pid_t shim_sup_start(struct shim_sup *sh, const struct shim_exec_plan *child_plan,
		     struct shim_child_link *link, const sigset_t *old, struct shim_error *err)
{
	int pidfd, status = 0;
	pid_t pid = fork();

	if (pid < 0) {
		shim_error_set(err, errno, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0)
		child_main(child_plan, link, old, sh->opt->signal_group);
	if (sh->opt->signal_group)
		setpgid(pid, pid); /* also here: whoever runs first */
	sh->target = pid;
	if (!link->listener)
		return pid;
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {
		shim_error_set(err, errno, "pidfd_open: %s (a supervised run needs Linux 5.6)",
			       strerror(errno));
		sh->listener = -2;
	} else {
		sh->listener = take_listener(pid, pidfd, link, &status, err);
		close(pidfd);
	}
	if (sh->listener >= 0)
		return pid;
	if (sh->listener != -3) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	if (sh->listener == -1 || __atomic_load_n(&link->state, __ATOMIC_ACQUIRE) == SHIM_LINK_FAILED)
		*err = link->err;
	return -1;
}
