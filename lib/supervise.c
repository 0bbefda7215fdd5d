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
 * MUST: a notified call is never let through unless the profile allows it
 * or --complain was asked for; a reply carries exactly the profile's errno
 * (a signal landing before a receiver takes the notification can still
 * end the call with EINTR: the kernel's rule, kept short by receivers
 * always waiting). What is read from the target (its memory, /proc) is
 * read before the reply and kept only if SECCOMP_IOCTL_NOTIF_ID_VALID
 * says the task is still the one in the call. The child makes no system
 * call between loading the filter and execve but those the filter allows
 * (sched_yield, only if allowed) and none at all that could fail.
 * If the supervisor dies, the listener closes: every notified call then
 * fails with ENOSYS (the kernel's rule), never succeeds, and the target
 * itself is killed (PR_SET_PDEATHSIG, set after the id switch, which
 * clears it). The supervisor is not dumpable, so a target of the same
 * user cannot ptrace it or read its memory to forge replies.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include "internal.h"

#define X32_SYSCALL_BIT 0x40000000u
#define RECEIVERS 4
#define MAX_ERRNO 4095
#define CALLS_KEPT 4096 /* distinct calls --complain checks its profile with */
/* Interrupts a receiver blocked in NOTIF_RECV at the end. Only receivers
 * leave it unblocked: one sent to the process from outside lands there
 * and is passed on to the target like any other. */
#define WAKE_SIGNAL (SIGRTMAX - 1)

/* ---- the child ---- */

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

/* ---- the supervisor ---- */

struct sup {
	const struct shim_supervise_options *opt;
	struct shim_supervision *out;
	const struct shim_filter *orig; /* the profile's program */
	struct shim_ref *ref; /* its rules, NULL without a policy */
	int listener;
	size_t notif_size, resp_size;
	pthread_mutex_t lock;
	int stop;
	pid_t target;
	/* Processes known to be in the tree (the target, each that made a
	 * notified call, each reaped), to tell our audit records from
	 * others'. Under lock. */
	int *known;
	size_t n_known, cap_known;
	int audit; /* the audit socket, -1 without */
	int forks; /* the kernel's fork events, -1 without */
};

static void know(struct sup *sh, int pid)
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

static void on_wake(int sig, siginfo_t *info, void *ctx)
{
	(void)ctx;
	/* Ours (pthread_kill): only to interrupt NOTIF_RECV. */
	if (info->si_code == SI_TKILL && info->si_pid == getpid())
		return;
	if (wake_forward_to)
		kill((pid_t)wake_forward_to, sig);
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

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return (int)n;
}

static int tgid_of(int tid)
{
	char path[64], buf[1024], *t;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	if (read_file(path, buf, sizeof(buf)) < 0 || !(t = strstr(buf, "\nTgid:")))
		return tid;
	return atoi(t + strlen("\nTgid:"));
}

static void task_names(struct shim_denial *d, int tid)
{
	char path[64];
	ssize_t n;
	int len;

	snprintf(path, sizeof(path), "/proc/%d/comm", tid);
	len = read_file(path, d->comm, sizeof(d->comm));
	if (len > 0 && d->comm[len - 1] == '\n')
		d->comm[len - 1] = '\0';
	else if (len < 0)
		d->comm[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/exe", tid);
	n = readlink(path, d->exe, sizeof(d->exe) - 1);
	d->exe[n > 0 ? n : 0] = '\0';
}

/* A NUL-terminated string from the task, a page at a time so that a
 * string ending before an unmapped page is read whole. */
static void read_string(int tid, uint64_t addr, struct shim_denial_string *s)
{
	size_t done = 0, max = sizeof(s->text) - 1;

	s->error = 0;
	while (done < max) {
		uint64_t at = addr + done;
		size_t chunk = 4096 - (size_t)(at & 4095);
		struct iovec local, remote;
		ssize_t n;

		if (chunk > max - done)
			chunk = max - done;
		local = (struct iovec){ s->text + done, chunk };
		remote = (struct iovec){ (void *)(uintptr_t)at, chunk };
		n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
		if (n <= 0) {
			if (done == 0)
				s->error = n < 0 ? errno : EFAULT;
			break;
		}
		if (memchr(s->text + done, '\0', (size_t)n)) {
			s->text[max] = '\0';
			return;
		}
		done += (size_t)n;
	}
	s->text[done] = '\0';
	s->truncated = done == max;
}

/* What the task was doing, read while it waits in the call. */
static void collect(struct shim_denial *d, const struct seccomp_notif *req)
{
	enum shim_arg_kind kinds[6];

	d->tid = (int)req->pid;
	d->pid = tgid_of(d->tid);
	task_names(d, d->tid);
	shim_arg_kinds(d->name[0] ? d->name : NULL, d->token, kinds);
	for (int i = 0; i < 6; i++) {
		if ((kinds[i] == SHIM_ARG_PATH || kinds[i] == SHIM_ARG_STRING) && d->args[i] &&
		    d->n_strings < SHIM_DENIAL_STRINGS) {
			struct shim_denial_string *s = &d->strings[d->n_strings++];
			s->index = i;
			read_string(d->tid, d->args[i], s);
		} else if ((kinds[i] == SHIM_ARG_CLONE_ARGS || kinds[i] == SHIM_ARG_OPEN_HOW) &&
			   d->args[i]) {
			struct iovec local = { &d->word, sizeof(d->word) };
			struct iovec remote = { (void *)(uintptr_t)d->args[i], sizeof(d->word) };
			d->has_word = process_vm_readv(d->tid, &local, 1, &remote, 1, 0) ==
				      (ssize_t)sizeof(d->word);
			d->word_index = i;
		}
	}
}

static void name_call(struct shim_denial *d)
{
	char *name;

	d->token = d->arch;
	if (d->arch == SCMP_ARCH_X86_64 && ((uint32_t)d->nr & X32_SYSCALL_BIT))
		d->token = SCMP_ARCH_X32;
	name = seccomp_syscall_resolve_num_arch(d->token, d->nr);
	snprintf(d->name, sizeof(d->name), "%s", name ? name : "");
	free(name);
}

/* What decided ret for this call, from the rules' own evaluation. */
static void decide(const struct shim_ref *ref, const struct shim_seccomp_data *data,
		   struct shim_denial *d)
{
	struct shim_ref_verdict rv;
	bool accepted;

	if (!ref)
		return;
	shim_ref_eval(ref, data, &rv);
	d->rule = shim_ref_accepts(&rv, d->ret, &accepted);
	d->by = !accepted ? SHIM_BY_PROGRAM_ONLY : d->rule ? SHIM_BY_RULE : rv.by;
	d->max_nr = rv.max_nr;
}

static void keep_call(struct shim_supervision *out, const struct shim_seccomp_data *data)
{
	struct shim_seccomp_data *grown;

	for (size_t i = 0; i < out->n_calls; i++)
		if (memcmp(&out->calls[i], data, sizeof(*data)) == 0)
			return;
	if (out->n_calls >= CALLS_KEPT)
		return;
	if (out->n_calls == out->cap_calls) {
		size_t cap = out->cap_calls ? out->cap_calls * 2 : 64;
		grown = realloc(out->calls, cap * sizeof(*grown));
		if (!grown)
			return;
		out->calls = grown;
		out->cap_calls = cap;
	}
	out->calls[out->n_calls++] = *data;
}

/* Counts, keeps for --complain and passes on one denial. */
static void record_denial(struct sup *sh, const struct shim_denial *d,
			  const struct shim_seccomp_data *data)
{
	struct shim_supervision *out = sh->out;

	pthread_mutex_lock(&sh->lock);
	know(sh, d->pid);
	shim_summary_add(&out->summary, d);
	if (d->allowed && data) {
		shim_recording_add(&out->complained, d->token, d->nr, d->args);
		keep_call(out, data);
		if (d->rule && out->rule_decided && sh->opt->pol)
			out->rule_decided[d->rule - sh->opt->pol->rules] = true;
	}
	if (sh->opt->on_denial)
		sh->opt->on_denial(sh->opt->ctx, d);
	pthread_mutex_unlock(&sh->lock);
}

static void answer(struct sup *sh, const struct seccomp_notif *req, struct seccomp_notif_resp *resp,
		   struct shim_denial *d)
{
	struct shim_seccomp_data data = { .nr = req->data.nr, .arch = req->data.arch,
					  .instruction_pointer = req->data.instruction_pointer };
	uint32_t action;
	__u64 id = req->id;

	memset(d, 0, sizeof(*d));
	clock_gettime(CLOCK_REALTIME, &d->time);
	for (int i = 0; i < 6; i++)
		data.args[i] = d->args[i] = req->data.args[i];
	d->seen = SHIM_SEEN_CALL;
	d->nr = req->data.nr;
	d->arch = req->data.arch;
	d->ip = req->data.instruction_pointer;
	/* The program the kernel would have run: its verdict, exactly. A
	 * program that cannot run here was loaded by the kernel, so this
	 * does not fail; if it did, the call is refused, never let through. */
	if (shim_bpf_run(sh->orig->insns, sh->orig->n_insns, &data, &d->ret, NULL) < 0)
		d->ret = SECCOMP_RET_ERRNO | EPERM;
	action = d->ret & SECCOMP_RET_ACTION_FULL;
	memset(resp, 0, sh->resp_size);
	resp->id = id;
	if (action == SECCOMP_RET_ALLOW || action == SECCOMP_RET_LOG) {
		/* The profile allows it (not a rewritten return): as it says. */
		resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		ioctl(sh->listener, SECCOMP_IOCTL_NOTIF_SEND, resp);
		return;
	}
	if (sh->opt->mode == SHIM_NOTIFY_COMPLAIN) {
		resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		d->allowed = true;
	} else if (action == SECCOMP_RET_ERRNO) {
		uint32_t e = d->ret & SECCOMP_RET_DATA;
		resp->error = -(int32_t)(e > MAX_ERRNO ? MAX_ERRNO : e);
	} else {
		/* Not rewritten in report mode: kept the kernel's. Refused as a
		 * TRACE without a tracer would be, never let through. */
		resp->error = -ENOSYS;
	}
	name_call(d);
	collect(d, req);
	decide(sh->ref, &data, d);
	/* What was read belongs to this task only if it still waits in the
	 * call (else the pid may name another process by now). */
	if (ioctl(sh->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) < 0) {
		d->gone = true;
		d->exe[0] = '\0';
		d->n_strings = 0;
		d->has_word = false;
	}
	if (ioctl(sh->listener, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0 && errno == ENOENT)
		d->gone = true;
	record_denial(sh, d, &data);
}

static void *receive(void *arg)
{
	struct sup *sh = arg;
	struct seccomp_notif *req = calloc(1, sh->notif_size);
	struct seccomp_notif_resp *resp = calloc(1, sh->resp_size);
	struct shim_denial *d = malloc(sizeof(*d));
	sigset_t wake;

	sigemptyset(&wake);
	sigaddset(&wake, WAKE_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &wake, NULL);
	while (req && resp && d && !__atomic_load_n(&sh->stop, __ATOMIC_ACQUIRE)) {
		/* Zeroed each time: the kernel refuses a request that is not. */
		memset(req, 0, sh->notif_size);
		if (ioctl(sh->listener, SECCOMP_IOCTL_NOTIF_RECV, req) < 0) {
			struct pollfd p = { sh->listener, 0, 0 };
			/* EINTR: woken to stop. ENOENT: the task went away, or no
			 * task uses the filter any more (POLLHUP), which none ever
			 * will again: then this receiver is done. */
			if (errno == ENOENT && poll(&p, 1, 0) == 1 && (p.revents & POLLHUP))
				break;
			if (errno != EINTR && errno != ENOENT)
				nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
			continue;
		}
		answer(sh, req, resp, d);
	}
	free(req);
	free(resp);
	free(d);
	return NULL;
}

struct receivers {
	pthread_t t[RECEIVERS];
	size_t n;
};

static void start_receivers(struct sup *sh, struct receivers *r, struct sigaction *old)
{
	struct seccomp_notif_sizes sizes = { 0 };
	struct sigaction sa = { .sa_sigaction = on_wake, .sa_flags = SA_SIGINFO };
	pthread_attr_t attr;

	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
		sizes = (struct seccomp_notif_sizes){ sizeof(struct seccomp_notif),
						      sizeof(struct seccomp_notif_resp), 0 };
	sh->notif_size = sizes.seccomp_notif > sizeof(struct seccomp_notif) ? sizes.seccomp_notif
									   : sizeof(struct seccomp_notif);
	sh->resp_size = sizes.seccomp_notif_resp > sizeof(struct seccomp_notif_resp)
				? sizes.seccomp_notif_resp
				: sizeof(struct seccomp_notif_resp);
	/* Linux 6.6: the waiting task's CPU switches straight to a receiver. */
	ioctl(sh->listener, SECCOMP_IOW(4, uint64_t) /* SECCOMP_IOCTL_NOTIF_SET_FLAGS */,
	      1 /* SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP */);
	sigemptyset(&sa.sa_mask);
	sigaction(WAKE_SIGNAL, &sa, old); /* no SA_RESTART: it interrupts RECV */
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	for (r->n = 0; r->n < RECEIVERS; r->n++)
		if (pthread_create(&r->t[r->n], &attr, receive, sh) != 0)
			break;
	pthread_attr_destroy(&attr);
}

static void stop_receivers(struct sup *sh, struct receivers *r)
{
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
	for (size_t i = 0; i < r->n; i++) {
		struct timespec until;

		/* A wake-up that lands just before the thread enters RECV is
		 * lost: send again until it ends. */
		for (;;) {
			pthread_kill(r->t[i], WAKE_SIGNAL);
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += 20000000;
			if (until.tv_nsec >= 1000000000) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000;
			}
			if (pthread_timedjoin_np(r->t[i], NULL, &until) == 0)
				break;
		}
	}
	r->n = 0;
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
	struct sup *sh;
	pid_t target;
	bool group, pid1, target_done, stop;
	int status;
	struct pending_exit pend[PENDING_MAX];
	size_t n_pend;
	pid_t named[PENDING_MAX]; /* the last processes an audit record named */
	size_t n_named;
};

static void exit_denial(struct sup *sh, const struct pending_exit *e)
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
	record_denial(sh, d, NULL);
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
static bool in_tree(struct sup *sh, int pid)
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
		if (read_file(path, buf, sizeof(buf)) < 0 || !(f = strstr(buf, "\nPPid:")))
			return false;
		pid = atoi(f + strlen("\nPPid:"));
	}
	return false;
}

/* What decided a verdict whose arguments are not seen: exact when no
 * rule of the syscall tests arguments, else the first rule (or the
 * default) that gives it, said to be unsure. */
static void decide_unseen(struct sup *sh, const struct shim_seccomp_data *data, struct shim_denial *d)
{
	const struct shim_policy *pol = sh->opt->pol;
	struct shim_ref_verdict rv;

	if (!sh->ref)
		return;
	shim_ref_eval(sh->ref, data, &rv);
	if (!rv.reads_args) {
		decide(sh->ref, data, d);
		return;
	}
	d->rule_unsure = true;
	for (size_t i = 0; i < pol->n_rules; i++)
		if (strcmp(pol->rules[i].name, d->name) == 0 &&
		    shim_action_ret(&pol->rules[i].action) == d->ret) {
			d->rule = &pol->rules[i];
			d->by = SHIM_BY_RULE;
			return;
		}
	d->by = shim_action_ret(&pol->default_action) == d->ret ? SHIM_BY_DEFAULT : 0;
}

/* Children of the tree's processes join it, as they are made. */
static void fork_events(struct sup *sh)
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
			know(sh, child);
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
		name_call(d);
		decide_unseen(l->sh, &data, d);
		record_denial(l->sh, d, NULL);
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
		len = read_file(path, comm, sizeof(comm));
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
		know(l->sh, pid);
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

	if (read_file("/proc/self/status", buf, sizeof(buf)) < 0 ||
	    !(field = strstr(buf, "\nSeccomp_filters:")))
		return -1;
	return atoi(field + strlen("\nSeccomp_filters:"));
}

static int prepare(struct sup *sh, const struct shim_exec_plan *plan, struct shim_filter *prog,
		   struct shim_child_link *link, struct shim_error *err)
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
static pid_t start(struct sup *sh, const struct shim_exec_plan *child_plan,
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

/* Before the fork: records of the earliest kills are queued. */
static void open_audit(struct sup *sh, const struct shim_supervise_options *opt,
		       struct shim_supervision *out)
{
	sh->audit = opt->audit && opt->mode != SHIM_NOTIFY_NONE
			    ? shim_audit_open(out->audit_why, sizeof(out->audit_why)) : -1;
	out->audit_read = sh->audit >= 0;
	sh->forks = sh->audit >= 0 ? shim_proc_events_open() : -1;
}

/* After the loop: the target's end, and the receivers stopped. */
static void finish(struct loop *l, struct receivers *r, const struct sigaction *wake_old,
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
		stop_receivers(l->sh, r);
		sigaction(WAKE_SIGNAL, wake_old, NULL);
	}
}

/* Everything the supervisor changed in itself, back as it was. */
static void release(struct sup *sh, int sfd, bool subreaper, int dumpable, const sigset_t *old)
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
	struct sup sh = { .opt = opt, .out = out, .orig = plan->filter, .listener = -1,
			  .lock = PTHREAD_MUTEX_INITIALIZER, .audit = -1, .forks = -1 };
	struct shim_exec_plan child_plan = *plan;
	struct shim_filter prog = { 0 };
	struct shim_child_link *link;
	struct receivers r = { .n = 0 };
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
	if (prepare(&sh, plan, &prog, link, err) < 0)
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
	l.target = start(&sh, &child_plan, link, &old, err);
	if (l.target < 0)
		goto restore;
	know(&sh, l.target);
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
		start_receivers(&sh, &r, &wake_old);
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
	if (s->complained.v)
		shim_recording_free(&s->complained);
	free(s->rule_decided);
	free(s->calls);
	memset(s, 0, sizeof(*s));
}
