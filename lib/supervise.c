/* supervise: a run in which seccomp-shim stays as the target's parent,
 * names every call the profile denies, and does an init's duties.
 *
 *   shim ── fork ──▶ child: ids, capabilities, no_new_privs, the filter
 *    │                of lib/notifyprog.c with a listener (kept only by
 *    │                the supervisor: pidfd_getfd(2)), execve
 *    ├─ receivers: one notification at a time each; the verdict is the
 *    │  profile's own program run on the notification's seccomp_data;
 *    │  the reply is that verdict (the errno), or, complaining, the call
 *    ├─ main thread: signals (signalfd) forwarded, children reaped,
 *    └─ returns when the target has ended and no task uses the filter.
 *
 * This file owns the main thread: the run from start to end, signals,
 * reaping, the kernel's records of kills, and the end. The child is
 * lib/supervise_child.c, the receivers lib/supervise_recv.c; each says
 * the rules it keeps.
 *
 * MUST: the supervisor is not dumpable, so a target of the same user
 * cannot ptrace it or read its memory to forge replies.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include "internal.h"

void shim_sup_know(struct shim_sup *sh, int pid)
{
	int *grown;

	for (size_t i = 0; i < sh->n_known; i++)
		if (sh->known[i] == pid)
			return;
	if (sh->n_known == sh->cap_known) {
		size_t cap = sh->cap_known ? sh->cap_known * 2 : 64;
		grown = realloc(sh->known, cap * sizeof(*grown));
		if (!grown)
			return;
		sh->known = grown;
		sh->cap_known = cap;
	}
	sh->known[sh->n_known++] = pid;
}

static volatile sig_atomic_t wake_forward_to; /* the target, or -its group */

void shim_sup_on_wake(int sig, siginfo_t *info, void *ctx)
{
	(void)ctx;
	/* Ours (pthread_kill): only to interrupt NOTIF_RECV. */
	if (info->si_code == SI_TKILL && info->si_pid == getpid())
		return;
	if (wake_forward_to)
		kill((pid_t)wake_forward_to, sig);
}

/* ---- init duties: signals and children ---- */

/* Signals the supervisor takes through its signalfd: all but those a
 * fault raises in it (tini does not forward those either), and SIGPIPE,
 * which the supervisor ignores: a report written to a closed pipe is
 * lost (EPIPE), and must not be passed on to the target as if sent to it. */
static void supervisor_signals(sigset_t *set)
{
	static const int synchronous[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS, SIGABRT,
					   SIGPIPE };

	sigfillset(set);
	for (size_t i = 0; i < ARRAY_SIZE(synchronous); i++)
		sigdelset(set, synchronous[i]);
}

/* A process of the tree killed by SIGSYS, held back for a moment: the
 * kernel's audit record, if it can be read, names the call. */
struct pending_exit {
	pid_t pid;
	int status;
	char comm[17];
	struct timespec time;
};

#define PENDING_MAX 32

struct loop {
	struct shim_sup *sh;
	pid_t target;
	bool group, pid1, target_done, stop;
	int status;
	struct pending_exit pend[PENDING_MAX];
	size_t n_pend;
	pid_t named[PENDING_MAX]; /* the last processes an audit record named */
	size_t n_named;
};

static void exit_denial(struct shim_sup *sh, const struct pending_exit *e)
{
	struct shim_denial *d = calloc(1, sizeof(*d));

	if (!d)
		return;
	d->seen = SHIM_SEEN_EXIT;
	d->time = e->time;
	d->pid = d->tid = e->pid;
	d->status = e->status;
	snprintf(d->comm, sizeof(d->comm), "%s", e->comm);
	d->token = shim_arch_native() ? shim_arch_native()->token : 0;
	d->arch = d->token;
	d->ret = SECCOMP_RET_KILL_PROCESS;
	shim_sup_record_denial(sh, d, NULL);
	free(d);
}

static void report_exit(struct loop *l, pid_t pid, int status, const char *comm)
{
	struct pending_exit e = { .pid = pid, .status = status };

	if (l->sh->opt->mode == SHIM_NOTIFY_NONE || !WIFSIGNALED(status) || WTERMSIG(status) != SIGSYS)
		return;
	for (size_t i = 0; i < PENDING_MAX && i < l->n_named; i++)
		if (l->named[i] == pid)
			return; /* its record came first */
	clock_gettime(CLOCK_REALTIME, &e.time);
	snprintf(e.comm, sizeof(e.comm), "%s", comm);
	if (l->sh->audit >= 0 && l->n_pend < PENDING_MAX)
		l->pend[l->n_pend++] = e;
	else
		exit_denial(l->sh, &e);
}

static void drop_pending(struct loop *l, pid_t pid)
{
	for (size_t i = 0; i < l->n_pend; i++)
		if (l->pend[i].pid == pid)
			l->pend[i--] = l->pend[--l->n_pend];
}

/* Whether pid is of the tree: known, or a descendant of one known. */
static bool in_tree(struct shim_sup *sh, int pid)
{
	for (int depth = 0; depth < 64 && pid > 1 && pid != getpid(); depth++) {
		char path[64], buf[1024], *f;
		bool known = false;

		pthread_mutex_lock(&sh->lock);
		for (size_t i = 0; i < sh->n_known && !known; i++)
			known = sh->known[i] == pid;
		pthread_mutex_unlock(&sh->lock);
		if (known)
			return true;
		snprintf(path, sizeof(path), "/proc/%d/status", pid);
		if (shim_sup_read_file(path, buf, sizeof(buf)) < 0 || !(f = strstr(buf, "\nPPid:")))
			return false;
		pid = atoi(f + strlen("\nPPid:"));
	}
	return false;
}

/* Children of the tree's processes join it, as they are made. */
static void fork_events(struct shim_sup *sh)
{
	int parent, child, rc;

	while (sh->forks >= 0 && (rc = shim_proc_events_read(sh->forks, &parent, &child)) >= 0) {
		bool known = false;

		if (rc == 0)
			continue;
		pthread_mutex_lock(&sh->lock);
		for (size_t i = 0; i < sh->n_known && !known; i++)
			known = sh->known[i] == parent;
		if (known)
			shim_sup_know(sh, child);
		pthread_mutex_unlock(&sh->lock);
	}
}

/* The kernel's records of kills (and logged traps) in the tree. */
static void audit_records(struct loop *l)
{
	struct shim_audit_record r;
	int rc;

	/* A fork comes before anything the child does: read them first. */
	fork_events(l->sh);
	while ((rc = shim_audit_read(l->sh->audit, &r)) >= 0) {
		uint32_t action = r.code & SECCOMP_RET_ACTION_FULL;
		struct shim_seccomp_data data = { .arch = r.arch, .nr = r.nr, .instruction_pointer = r.ip };
		struct shim_denial *d;

		if (rc == 0 || (action != SECCOMP_RET_KILL_PROCESS && action != SECCOMP_RET_KILL_THREAD &&
				action != SECCOMP_RET_TRAP) || !in_tree(l->sh, r.pid))
			continue;
		d = calloc(1, sizeof(*d));
		if (!d)
			continue;
		d->seen = SHIM_SEEN_AUDIT;
		clock_gettime(CLOCK_REALTIME, &d->time);
		d->pid = d->tid = r.pid;
		snprintf(d->comm, sizeof(d->comm), "%s", r.comm);
		snprintf(d->exe, sizeof(d->exe), "%s", r.exe);
		d->arch = r.arch;
		d->nr = r.nr;
		d->ip = r.ip;
		d->ret = r.code;
		shim_sup_name_call(d);
		shim_sup_decide_unseen(l->sh, &data, d);
		shim_sup_record_denial(l->sh, d, NULL);
		free(d);
		drop_pending(l, r.pid);
		l->named[l->n_named++ % PENDING_MAX] = r.pid;
	}
}

/* At the end: the records still to come for the kills seen, a moment. */
static void settle_pending(struct loop *l)
{
	for (int i = 0; i < 20 && l->n_pend && l->sh->audit >= 0; i++) {
		struct pollfd p = { l->sh->audit, POLLIN, 0 };
		if (poll(&p, 1, 10) > 0)
			audit_records(l);
	}
	for (size_t i = 0; i < l->n_pend; i++)
		exit_denial(l->sh, &l->pend[i]);
	l->n_pend = 0;
}

/* Reaps what has ended; the target's end is kept, a stop passed on. */
static void reap(struct loop *l)
{
	for (;;) {
		siginfo_t info = { 0 };
		char path[64], comm[17] = "";
		int status, len;
		pid_t pid;

		if (waitid(P_ALL, 0, &info, WEXITED | WSTOPPED | WNOHANG | WNOWAIT) < 0 ||
		    info.si_pid == 0)
			return;
		snprintf(path, sizeof(path), "/proc/%d/comm", info.si_pid);
		len = shim_sup_read_file(path, comm, sizeof(comm));
		if (len > 0 && comm[len - 1] == '\n')
			comm[len - 1] = '\0';
		pid = waitpid(info.si_pid, &status, WNOHANG | WUNTRACED);
		if (pid <= 0)
			return;
		if (WIFSTOPPED(status)) {
			/* Job control: stop with it, as the target would have
			 * stopped us (it was us, without supervision). */
			if (pid == l->target && !l->pid1)
				kill(getpid(), SIGSTOP);
			continue;
		}
		pthread_mutex_lock(&l->sh->lock);
		shim_sup_know(l->sh, pid);
		pthread_mutex_unlock(&l->sh->lock);
		report_exit(l, pid, status, comm);
		if (pid == l->target) {
			l->target_done = true;
			l->status = status;
			wake_forward_to = 0;
		}
	}
}

static bool ends_wait(int sig)
{
	return sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT;
}

static void forward(struct loop *l, const struct signalfd_siginfo *si)
{
	int sig = (int)si->ssi_signo;

	if (l->target_done) {
		/* The rest of the tree is waited for; a signal to end ends it. */
		if (ends_wait(sig))
			l->stop = true;
		return;
	}
	/* The terminal's signals (SI_KERNEL) reach the target's process
	 * group itself: passed on only when it is not ours. */
	if (si->ssi_code == SI_KERNEL && !l->group && getpgid(l->target) == getpgrp())
		return;
	kill(l->group ? -l->target : l->target, sig);
}

static void serve(struct loop *l, int sfd, int listener)
{
	while (!l->stop) {
		struct pollfd p[4] = { { sfd, POLLIN, 0 }, { listener, 0, 0 }, { l->sh->audit, POLLIN, 0 },
				       { l->sh->forks, POLLIN, 0 } };
		struct signalfd_siginfo si;

		if (l->target_done && (listener < 0 || l->pid1))
			return;
		if (poll(p, 4, -1) < 0 && errno != EINTR)
			return;
		if (p[3].revents & POLLIN)
			fork_events(l->sh);
		if (p[2].revents & POLLIN)
			audit_records(l);
		if (p[1].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			if (l->target_done)
				return; /* no task uses the filter any more */
			listener = -1;
		}
		if (!(p[0].revents & POLLIN))
			continue;
		while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
			if (si.ssi_signo == SIGCHLD)
				reap(l);
			else
				forward(l, &si);
		}
		reap(l); /* SIGCHLDs coalesce */
	}
}

int shim_seccomp_filters_self(void)
{
	char buf[4096], *field;

	if (shim_sup_read_file("/proc/self/status", buf, sizeof(buf)) < 0 ||
	    !(field = strstr(buf, "\nSeccomp_filters:")))
		return -1;
	return atoi(field + strlen("\nSeccomp_filters:"));
}

/* Before the fork: records of the earliest kills are queued. */
static void open_audit(struct shim_sup *sh, const struct shim_supervise_options *opt,
		       struct shim_supervision *out)
{
	sh->audit = opt->audit && opt->mode != SHIM_NOTIFY_NONE
			    ? shim_audit_open(out->audit_why, sizeof(out->audit_why)) : -1;
	out->audit_read = sh->audit >= 0;
	sh->forks = sh->audit >= 0 ? shim_proc_events_open() : -1;
}

/* After the loop: the target's end, and the receivers stopped. */
static void finish(struct loop *l, struct shim_sup_receivers *r, const struct sigaction *wake_old,
		   struct shim_supervision *out)
{
	settle_pending(l);
	out->status = l->status;
	out->stopped_early = l->stop;
	if (!l->target_done) { /* poll failed: do not leave the target behind */
		kill(l->target, SIGKILL);
		waitpid(l->target, &out->status, 0);
	}
	if (r->n) {
		shim_sup_receivers_stop(l->sh, r);
		sigaction(SHIM_SUP_WAKE_SIGNAL, wake_old, NULL);
	}
}

/* Everything the supervisor changed in itself, back as it was. */
static void release(struct shim_sup *sh, int sfd, bool subreaper, int dumpable,
		    const sigset_t *old)
{
	wake_forward_to = 0;
	if (sfd >= 0) {
		struct signalfd_siginfo si;
		/* What came too late for the target is dropped, not delivered to
		 * us with its default action when the mask is restored. */
		while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
			;
		close(sfd);
	}
	if (subreaper)
		prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
	if (sh->listener >= 0)
		close(sh->listener);
	if (sh->audit >= 0)
		close(sh->audit);
	shim_proc_events_close(sh->forks);
	prctl(PR_SET_DUMPABLE, dumpable, 0, 0, 0);
	sigprocmask(SIG_SETMASK, old, NULL);
}

int shim_supervise(const struct shim_exec_plan *plan, const struct shim_supervise_options *opt,
		   struct shim_supervision *out, struct shim_warnings *warn,
		   struct shim_error *err)
{
	struct shim_sup sh = { .opt = opt, .out = out, .orig = plan->filter, .listener = -1,
			       .lock = PTHREAD_MUTEX_INITIALIZER, .audit = -1, .forks = -1 };
	struct shim_exec_plan child_plan = *plan;
	struct shim_filter prog = { 0 };
	struct shim_child_link *link;
	struct shim_sup_receivers r = { .n = 0 };
	struct loop l = { .sh = &sh, .group = opt->signal_group, .pid1 = getpid() == 1 };
	struct sigaction wake_old;
	sigset_t blocked, old;
	int sfd = -1, rc = -1, dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
	bool subreaper = false;

	(void)warn;
	memset(out, 0, sizeof(*out));
	link = mmap(NULL, sizeof(*link), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (link == MAP_FAILED) {
		shim_error_set(err, errno, "mmap: %s", strerror(errno));
		return -1;
	}
	memset(link, 0, sizeof(*link));
	if (shim_sup_prepare(&sh, plan, &prog, link, err) < 0)
		goto out;
	if (link->listener)
		child_plan.filter = &prog;
	child_plan.supervised = link;
	/* Blocked before the fork, so that no signal meant for the target
	 * is lost before the loop reads them; the child restores the mask. */
	supervisor_signals(&blocked);
	sigprocmask(SIG_BLOCK, &blocked, &old);
	subreaper = opt->subreaper && !l.pid1 && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
	open_audit(&sh, opt, out);
	l.target = shim_sup_start(&sh, &child_plan, link, &old, err);
	if (l.target < 0)
		goto restore;
	shim_sup_know(&sh, l.target);
	wake_forward_to = opt->signal_group ? -l.target : l.target;
	/* Not dumpable: a target of the same user cannot ptrace the
	 * supervisor or read its memory. Our own EPIPE is not a signal. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &blocked, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sh.listener >= 0) {
		/* Receivers waiting before the command runs: a notified call
		 * can be interrupted by a signal only until it is received. */
		int loaded = SHIM_LINK_LOADED;
		shim_sup_receivers_start(&sh, &r, &wake_old);
		/* Unless the child failed after loading (its error stays). */
		__atomic_compare_exchange_n(&link->state, &loaded, SHIM_LINK_TAKEN, false,
					    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
	}
	serve(&l, sfd, sh.listener);
	finish(&l, &r, &wake_old, out);
	if (__atomic_load_n(&link->state, __ATOMIC_ACQUIRE) == SHIM_LINK_FAILED) {
		*err = link->err;
		goto restore;
	}
	rc = 0;
restore:
	release(&sh, sfd, subreaper, dumpable, &old);
out:
	if (rc < 0)
		shim_supervision_free(out); /* a run that failed leaves nothing */
	free(sh.known);
	shim_ref_free(sh.ref);
	shim_filter_free(&prog);
	munmap(link, sizeof(*link));
	return rc;
}

void shim_supervision_free(struct shim_supervision *s)
{
	shim_summary_free(&s->summary);
	if (s->complained.table)
		shim_recording_free(&s->complained);
	free(s->rule_decided);
	free(s->calls);
	memset(s, 0, sizeof(*s));
}
