/* record: learn an allow-list from a run, with seccomp user notification.
 *
 * The child sets no_new_privs and loads a small filter (recording_filter)
 * whose answer is USER_NOTIF for every call but the few that pass unseen
 * (close, pipe, dup, fork, wait, exit, clone without CLONE_NEW*) and
 * clone3 (ENOSYS), with a listener. The parent takes that
 * listener out of the child with pidfd_getfd(2), so the child never has to
 * send anything under the filter, then answers every notification from the
 * whole process tree with FLAG_CONTINUE after counting its (arch, syscall)
 * and, for the few calls whose danger is in one argument (narrowed[]),
 * keeping that argument's value. No root, ptrace, eBPF or audit.
 *
 * This file owns the recording: that filter, the child, the receivers and
 * the counting. The profile written from a recording, and the file it
 * goes to, are lib/record_profile.c's.
 *
 * MUST: every notification is answered (a task left waiting would hang);
 * the target runs as it would without the recorder apart from
 * no_new_privs; recording ends when no task uses the filter any more.
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
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "internal.h"

static volatile sig_atomic_t forward_to;

static void forward_signal(int sig)
{
	if (forward_to > 0)
		kill((pid_t)forward_to, sig);
}

/* The child, between fork and execve: raw system calls only, nothing
 * opened, so the listener gets the fd number the parent expects. */
/* Calls a signal must not be able to fail: a notified call waits
 * interruptibly until the recorder receives it, and a signal landing in
 * that moment (a shell's SIGCHLD, whose handler has no SA_RESTART) fails it
 * with EINTR without running it: "Cannot fork", a pipe that is never
 * closed. These are let through unseen and always written into the
 * profile; clone only without CLONE_NEW* flags (others are notified), and
 * clone3, whose flags seccomp cannot read, answers ENOSYS so libc falls
 * back to clone, as under runtime/default. */
const char *const shim_record_unnotified[] = {
	"close", "pipe", "pipe2", "dup", "dup2", "dup3", "fork", "vfork", "wait4", "waitid",
	"exit", "exit_group", "rt_sigreturn", "restart_syscall",
};
const size_t shim_record_n_unnotified = ARRAY_SIZE(shim_record_unnotified);

/* The recording filter's body on the native arch, A holding the number:
 * the calls above allowed, clone without namespace flags allowed, clone3
 * ENOSYS; anything else falls through to what follows (notify). */
static void put_unnotified(struct shim_asm *a, shim_label notify, shim_label allow,
			   shim_label enosys)
{
	int nr_clone = shim_syscall_resolve_name("clone");
	int nr_clone3 = shim_syscall_resolve_name("clone3");

	for (size_t i = 0; i < ARRAY_SIZE(shim_record_unnotified); i++) {
		int nr = shim_syscall_resolve_name(shim_record_unnotified[i]);
		if (nr >= 0)
			shim_asm_jump(a, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, allow,
				      SHIM_LABEL_NEXT);
	}
	if (nr_clone3 >= 0)
		shim_asm_jump(a, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr_clone3, enosys,
			      SHIM_LABEL_NEXT);
	if (nr_clone >= 0) {
		shim_asm_jump(a, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr_clone, SHIM_LABEL_NEXT,
			      notify);
		shim_asm_stmt(a, BPF_LD | BPF_W | BPF_ABS, SHIM_SD_ARG_LO(0));
		shim_asm_jump(a, BPF_JMP | BPF_JSET | BPF_K, SHIM_CLONE_NEW_FLAGS, notify, allow);
	}
}

/* The recording filter: the calls above on the native arch, every other
 * call of every arch notified. Returns its length; a filter that notifies
 * everything when it cannot be made (no native arch, out of memory). */
static size_t recording_filter(struct sock_filter *prog, size_t max)
{
	const struct shim_arch_info *native = shim_arch_native();
	struct shim_asm a = { 0 };
	shim_label notify = shim_asm_label(&a), allow = shim_asm_label(&a);
	shim_label enosys = shim_asm_label(&a);
	struct shim_error err = { 0 };
	struct sock_filter *v = NULL;
	size_t n = 0;

	if (native) {
		shim_asm_stmt(&a, BPF_LD | BPF_W | BPF_ABS, SHIM_SD_ARCH);
		shim_asm_jump(&a, BPF_JMP | BPF_JEQ | BPF_K, native->token, SHIM_LABEL_NEXT, notify);
		shim_asm_stmt(&a, BPF_LD | BPF_W | BPF_ABS, SHIM_SD_NR);
		put_unnotified(&a, notify, allow, enosys);
		shim_asm_bind(&a, notify);
		shim_asm_stmt(&a, BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
		shim_asm_bind(&a, allow);
		shim_asm_stmt(&a, BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
		shim_asm_bind(&a, enosys);
		shim_asm_stmt(&a, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
	}
	if (!native || shim_asm_finish(&a, 0, &v, &n, &err) < 0 || n > max) {
		prog[0] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
		n = 1;
	} else {
		memcpy(prog, v, n * sizeof(*prog));
	}
	free(v);
	shim_asm_free(&a);
	return n;
}

static void __attribute__((noreturn)) child(const char *path, char *const argv[],
					    char *const envp[], int error_fd,
					    const struct sock_fprog *filter)
{
	struct sock_fprog prog = *filter;
	char code;

	/* A notified call waits interruptibly until the recorder receives it:
	 * a signal landing then, with a handler lacking SA_RESTART, fails even
	 * fork or close with EINTR (dash: "Cannot fork"). WAIT_KILLABLE_RECV
	 * (Linux 5.19) makes the wait after receipt immune; the window before
	 * it is the kernel's, kept short by answering at once. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
	    (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		     SECCOMP_FILTER_FLAG_NEW_LISTENER | SHIM_FLAG_WAIT_KILLABLE_RECV, &prog) >= 0 ||
	     syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER,
		     &prog) >= 0)) {
		/* Notified from here on, execve first: the parent answers once
		 * it holds the listener. */
		execve(path, argv, envp);
		_exit(errno == ENOENT ? SHIM_EXIT_NOTFOUND : SHIM_EXIT_NOEXEC);
	}
	code = (char)errno;
	if (write(error_fd, &code, 1) != 1)
		_exit(SHIM_EXIT_FAILURE);
	_exit(SHIM_EXIT_FAILURE);
}

/* Calls whose danger is in an argument (Docker's default profile checks
 * clone, personality and socket the same way): the values seen are kept
 * and the profile allows only those (clone: only its namespace flags; the
 * recording filter lets it through unseen without them). Argument indexes
 * as on x86_64; on s390x clone's flags are its second argument. */
static const struct {
	const char *name;
	unsigned index;
	uint64_t mask;
} narrowed[] = {
	{ "socket", 0, UINT64_MAX }, /* the address family */
	{ "personality", 0, UINT64_MAX }, /* the execution domain */
	{ "unshare", 0, UINT64_MAX }, /* what to unshare, namespaces among it */
	{ "ioctl", 1, UINT64_MAX }, /* the request */
	{ "clone", 0, SHIM_CLONE_NEW_FLAGS }, /* the namespaces it makes */
};

int shim_recording_init(struct shim_recording *rec, struct shim_error *err)
{
	struct shim_record_table *t;

	memset(rec, 0, sizeof(*rec));
	t = rec->table = calloc(1, sizeof(*rec->table));
	if (t)
		t->values = calloc(ARRAY_SIZE(narrowed), sizeof(*t->values));
	if (!t || !t->values) {
		shim_recording_free(rec);
		shim_error_set(err, ENOMEM, "cannot set up the recorder: out of memory");
		return -1;
	}
	t->n_values = ARRAY_SIZE(narrowed);
	for (size_t i = 0; i < ARRAY_SIZE(narrowed); i++) {
		t->values[i].name = narrowed[i].name;
		t->values[i].index = narrowed[i].index;
		t->values[i].mask = narrowed[i].mask;
	}
	return 0;
}

/* Which of t->values (arch, nr) is, or -1. */
static int values_of(const struct shim_record_table *t, uint32_t arch, int nr)
{
	char *name = seccomp_syscall_resolve_num_arch(arch, nr);
	int found = -1;

	for (size_t i = 0; name && i < t->n_values; i++)
		if (strcmp(t->values[i].name, name) == 0)
			found = (int)i;
	free(name);
	return found;
}

/* (arch, nr)'s entry, or the free one it would take. */
static struct shim_record_entry *slot(struct shim_record_table *t, uint32_t arch, int nr)
{
	uint64_t key = (uint64_t)arch << 32 | (uint32_t)nr;
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 51) % SHIM_RECORD_TABLE_SIZE;

	for (;;) {
		struct shim_record_entry *e = &t->v[i];
		if (!e->count || (e->arch == arch && e->nr == nr))
			return e;
		i = (i + 1) % SHIM_RECORD_TABLE_SIZE;
	}
}

static struct shim_record_entry *count(struct shim_recording *rec, uint32_t arch, int nr)
{
	struct shim_record_entry *e = slot(rec->table, arch, nr);

	rec->total++;
	if (e->count) {
		e->count++;
		return e;
	}
	*e = (struct shim_record_entry){ arch, nr, 1, values_of(rec->table, arch, nr) };
	rec->n++;
	return e;
}

uint64_t shim_recording_count(const struct shim_recording *rec, uint32_t arch, int nr)
{
	return rec->table ? slot(rec->table, arch, nr)->count : 0;
}

void shim_recording_add(struct shim_recording *rec, uint32_t arch, int nr, const uint64_t args[6])
{
	struct shim_record_entry *e = count(rec, arch, nr);
	struct shim_record_values *v;
	uint64_t x;

	if (e->values < 0)
		return;
	v = &rec->table->values[e->values];
	if (!args) { /* values unknown: allowed for any */
		v->overflow = true;
		return;
	}
	x = args[v->index] & v->mask;
	for (size_t i = 0; i < v->n; i++)
		if (v->v[i] == x)
			return;
	if (v->n < SHIM_RECORD_MAX_VALUES)
		v->v[v->n++] = x;
	else
		v->overflow = true;
}

/* The listener, once the child has made it: fd number expected in the
 * child. Gives up if the child ends or reports an error first. */
static int take_listener(pid_t pid, int pidfd, int expected, int error_fd,
			 struct shim_error *err)
{
	for (int tries = 0;; tries++) {
		char link[64], target[64];
		ssize_t n;
		char code;
		int fd = (int)syscall(SYS_pidfd_getfd, pidfd, expected, 0);

		if (fd >= 0) {
			snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
			n = readlink(link, target, sizeof(target) - 1);
			target[n > 0 ? n : 0] = '\0';
			if (strcmp(target, "anon_inode:seccomp notify") == 0)
				return fd;
			close(fd);
		} else if (errno == EPERM) {
			shim_error_set(err, EPERM, "cannot take the listener from the child (pidfd_getfd: %s); kernel.yama.ptrace_scope above 1 forbids it",
				       strerror(errno));
			return -1;
		} else if (errno == ENOSYS) {
			shim_error_set(err, ENOSYS, "this kernel has no pidfd_getfd(2) (Linux 5.6): record cannot work here");
			return -1;
		}
		if (read(error_fd, &code, 1) == 1) {
			shim_error_set(err, code, "the child could not load the recording filter: %s%s",
				       strerror(code),
				       code == EINVAL ? " (the kernel lacks seccomp user notification, Linux 5.0)" : "");
			return -1;
		}
		if (waitpid(pid, NULL, WNOHANG) == pid || tries > 10000) {
			shim_error_set(err, ECHILD, "the child ended before loading the recording filter");
			return -1;
		}
		nanosleep(&(struct timespec){ 0, 200000 }, NULL);
	}
}

/* Receivers: several threads block in NOTIF_RECV at once. A notified call
 * can be interrupted by a signal until it is received (the kernel's rule,
 * see child()); keeping a receiver always waiting keeps that time short. */
#define RECEIVERS 4

struct receiver_shared {
	int listener;
	size_t notif_size, resp_size;
	int seccomp_nr;
	pthread_mutex_t lock;
	struct shim_recording *rec;
	volatile bool stop;
};

static void wake(int sig)
{
	(void)sig; /* only to interrupt a blocking NOTIF_RECV */
}

static void *receive(void *arg)
{
	struct receiver_shared *sh = arg;
	struct seccomp_notif *req = calloc(1, sh->notif_size);
	struct seccomp_notif_resp *resp = calloc(1, sh->resp_size);

	while (req && resp && !sh->stop) {
		memset(req, 0, sh->notif_size);
		if (ioctl(sh->listener, SECCOMP_IOCTL_NOTIF_RECV, req) < 0)
			continue; /* EINTR (woken to stop), or the task is gone */
		memset(resp, 0, sh->resp_size);
		resp->id = req->id;
		resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		ioctl(sh->listener, SECCOMP_IOCTL_NOTIF_SEND, resp); /* ENOENT: gone */

		uint32_t arch = req->data.arch;
		uint64_t args[6];
		for (size_t i = 0; i < 6; i++)
			args[i] = req->data.args[i];
		if (arch == SCMP_ARCH_X86_64 && ((uint32_t)req->data.nr & SHIM_X32_SYSCALL_BIT))
			arch = SCMP_ARCH_X32;
		pthread_mutex_lock(&sh->lock);
		shim_recording_add(sh->rec, arch, req->data.nr, args);
		/* A target that wants its own listener gets EBUSY from the kernel. */
		if (arch == SCMP_ARCH_X86_64 && req->data.nr == sh->seccomp_nr &&
		    req->data.args[0] == SECCOMP_SET_MODE_FILTER &&
		    (req->data.args[1] & SECCOMP_FILTER_FLAG_NEW_LISTENER) &&
		    req->data.args[2] /* not a NULL-program probe */)
			sh->rec->wanted_listener = true;
		pthread_mutex_unlock(&sh->lock);
	}
	free(req);
	free(resp);
	return NULL;
}

static void serve(int listener, pid_t pid, struct shim_recording *rec)
{
	struct seccomp_notif_sizes sizes = { 0 };
	struct receiver_shared sh = {
		.listener = listener, .rec = rec, .lock = PTHREAD_MUTEX_INITIALIZER,
		.seccomp_nr = shim_syscall_resolve_name("seccomp"),
	};
	struct sigaction sa = { .sa_handler = wake }, old;
	pthread_t threads[RECEIVERS];
	size_t n_threads = 0;

	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
		sizes = (struct seccomp_notif_sizes){ sizeof(struct seccomp_notif),
						      sizeof(struct seccomp_notif_resp), 0 };
	sh.notif_size = sizes.seccomp_notif > sizeof(struct seccomp_notif) ? sizes.seccomp_notif
									   : sizeof(struct seccomp_notif);
	sh.resp_size = sizes.seccomp_notif_resp > sizeof(struct seccomp_notif_resp)
			       ? sizes.seccomp_notif_resp
			       : sizeof(struct seccomp_notif_resp);
	/* Linux 6.6: wake the waiting task on this CPU. Each round trip then
	 * costs a few microseconds instead of tens (bench/record.sh); older
	 * kernels refuse the ioctl and nothing else changes. */
	ioctl(listener, SECCOMP_IOW(4, uint64_t) /* SECCOMP_IOCTL_NOTIF_SET_FLAGS */,
	      1 /* SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP */);
	sigaction(SIGUSR1, &sa, &old); /* no SA_RESTART: it interrupts RECV */
	for (; n_threads < RECEIVERS; n_threads++)
		if (pthread_create(&threads[n_threads], NULL, receive, &sh) != 0)
			break;
	if (n_threads == 0)
		receive(&sh); /* no thread: answer from here (never returns early) */
	/* No task uses the filter any more (POLLHUP): the whole tree is done. */
	for (;;) {
		struct pollfd p = { listener, 0, 0 };
		int status;

		if (!rec->exited && waitpid(pid, &status, WNOHANG) == pid) {
			rec->exited = true;
			rec->status = status;
		}
		if (poll(&p, 1, 100) < 0 && errno != EINTR)
			break;
		if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
			break;
	}
	sh.stop = true;
	for (size_t i = 0; i < n_threads; i++) {
		pthread_kill(threads[i], SIGUSR1);
		pthread_join(threads[i], NULL);
	}
	sigaction(SIGUSR1, &old, NULL);
	if (!rec->exited && waitpid(pid, &rec->status, 0) == pid)
		rec->exited = true;
}

int shim_record_run(const char *path, char *const argv[], char *const envp[],
		    struct shim_recording *rec, struct shim_error *err)
{
	static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct sigaction sa = { .sa_handler = forward_signal }, old[ARRAY_SIZE(forwarded)];
	int errpipe[2], expected, pidfd, listener;
	pid_t pid;

	if (shim_recording_init(rec, err) < 0)
		return -1;
	if (pipe2(errpipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		shim_error_set(err, errno, "cannot set up the recorder: %s", strerror(errno));
		shim_recording_free(rec);
		return -1;
	}
	/* The lowest free descriptor, which the child's listener will get. */
	expected = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (expected >= 0)
		close(expected);
	struct sock_filter insns[64];
	struct sock_fprog filter = { (unsigned short)recording_filter(insns, ARRAY_SIZE(insns)), insns };
	pid = fork();
	if (pid < 0) {
		shim_error_set(err, errno, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0)
		child(path, argv, envp, errpipe[1], &filter);
	close(errpipe[1]);
	forward_to = pid;
	for (size_t i = 0; i < ARRAY_SIZE(forwarded); i++)
		sigaction(forwarded[i], &sa, &old[i]);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	listener = pidfd < 0 ? -1 : take_listener(pid, pidfd, expected, errpipe[0], err);
	if (pidfd < 0)
		shim_error_set(err, errno, "pidfd_open: %s (record needs Linux 5.6)", strerror(errno));
	if (listener < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	} else {
		serve(listener, pid, rec);
		close(listener);
	}
	for (size_t i = 0; i < ARRAY_SIZE(forwarded); i++)
		sigaction(forwarded[i], &old[i], NULL);
	forward_to = 0;
	if (pidfd >= 0)
		close(pidfd);
	close(errpipe[0]);
	return listener < 0 ? -1 : 0;
}

void shim_recording_free(struct shim_recording *rec)
{
	if (rec->table)
		free(rec->table->values);
	free(rec->table);
	memset(rec, 0, sizeof(*rec));
}

static int cmp_count(const void *a, const void *b)
{
	const struct shim_record_entry *x = a, *y = b;
	return x->count < y->count ? 1 : x->count > y->count ? -1 : 0;
}

void shim_recording_stats(const struct shim_recording *rec, struct shim_text *out)
{
	struct shim_record_entry *v = malloc((rec->n + 1) * sizeof(*v));
	size_t n = 0;

	if (!v)
		return;
	for (size_t i = 0; i < SHIM_RECORD_TABLE_SIZE; i++)
		if (rec->table->v[i].count)
			v[n++] = rec->table->v[i];
	qsort(v, n, sizeof(*v), cmp_count);
	shim_text_printf(out, "%10s  %-24s %s\n", "calls", "syscall", "arch");
	for (size_t i = 0; i < n; i++) {
		char *name = seccomp_syscall_resolve_num_arch(v[i].arch, v[i].nr);
		const struct shim_arch_info *a = shim_arch_by_token(v[i].arch);
		shim_text_printf(out, "%10llu  %-24s %s\n", (unsigned long long)v[i].count,
				 name ? name : "(no name)", a ? a->oci : "?");
		free(name);
	}
	shim_text_printf(out, "%10llu  total, %zu distinct\n", (unsigned long long)rec->total, n);
	free(v);
}
