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
 * MUST: every notification is answered (a task left waiting would hang);
 * the target runs as it would without the recorder apart from
 * no_new_privs; recording ends when no task uses the filter any more.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "internal.h"

#define TABLE_SIZE 8192 /* (arch, nr) pairs; a process tree uses a few hundred */

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
static const char *const unnotified[] = {
	"close", "pipe", "pipe2", "dup", "dup2", "dup3", "fork", "vfork", "wait4", "waitid",
	"exit", "exit_group", "rt_sigreturn", "restart_syscall",
};
#define CLONE_NEW_FLAGS 0x7E020000u

/* The recording filter's body on the native arch, A holding the number:
 * the calls above allowed, clone without namespace flags allowed, clone3
 * ENOSYS; anything else falls through to what follows (notify). */
static void put_unnotified(struct shim_asm *a, shim_label notify, shim_label allow,
			   shim_label enosys)
{
	int nr_clone = shim_syscall_resolve_name("clone");
	int nr_clone3 = shim_syscall_resolve_name("clone3");

	for (size_t i = 0; i < ARRAY_SIZE(unnotified); i++) {
		int nr = shim_syscall_resolve_name(unnotified[i]);
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
		shim_asm_jump(a, BPF_JMP | BPF_JSET | BPF_K, CLONE_NEW_FLAGS, notify, allow);
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
	{ "clone", 0, CLONE_NEW_FLAGS }, /* the namespaces it makes */
};

int shim_recording_init(struct shim_recording *rec, struct shim_error *err)
{
	memset(rec, 0, sizeof(*rec));
	rec->v = calloc(TABLE_SIZE, sizeof(*rec->v));
	rec->values = calloc(ARRAY_SIZE(narrowed), sizeof(*rec->values));
	if (!rec->v || !rec->values) {
		shim_recording_free(rec);
		shim_error_set(err, ENOMEM, "cannot set up the recorder: out of memory");
		return -1;
	}
	rec->n_values = ARRAY_SIZE(narrowed);
	for (size_t i = 0; i < ARRAY_SIZE(narrowed); i++) {
		rec->values[i].name = narrowed[i].name;
		rec->values[i].index = narrowed[i].index;
		rec->values[i].mask = narrowed[i].mask;
	}
	return 0;
}

/* Which of rec->values (arch, nr) is, or -1. */
static int values_of(const struct shim_recording *rec, uint32_t arch, int nr)
{
	char *name = seccomp_syscall_resolve_num_arch(arch, nr);
	int found = -1;

	for (size_t i = 0; name && i < rec->n_values; i++)
		if (strcmp(rec->values[i].name, name) == 0)
			found = (int)i;
	free(name);
	return found;
}

static struct shim_record_entry *count(struct shim_recording *rec, uint32_t arch, int nr)
{
	uint64_t key = (uint64_t)arch << 32 | (uint32_t)nr;
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 51) % TABLE_SIZE;

	rec->total++;
	for (;;) {
		struct shim_record_entry *e = &rec->v[i];
		if (e->count && e->arch == arch && e->nr == nr) {
			e->count++;
			return e;
		}
		if (!e->count) {
			*e = (struct shim_record_entry){ arch, nr, 1, values_of(rec, arch, nr) };
			rec->n++;
			return e;
		}
		i = (i + 1) % TABLE_SIZE;
	}
}

void shim_recording_add(struct shim_recording *rec, uint32_t arch, int nr, const uint64_t args[6])
{
	struct shim_record_entry *e = count(rec, arch, nr);
	struct shim_record_values *v;
	uint64_t x;

	if (e->values < 0)
		return;
	v = &rec->values[e->values];
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

/* The output is made before the command runs: a run of minutes must not
 * end in "cannot write". */
int shim_record_output_open(const char *path, struct shim_record_output *out,
			    struct shim_error *err)
{
	struct stat st, lst;
	bool exists = stat(path, &st) == 0;
	char *dir, *slash;
	mode_t mask;

	*out = (struct shim_record_output){ .fd = -1 };
	if (exists && S_ISDIR(st.st_mode)) {
		shim_error_set(err, EISDIR, "%s is a directory: -o takes the file to write", path);
		return -1;
	}
	if (exists && !S_ISREG(st.st_mode)) { /* /dev/stdout, a FIFO: written as they are */
		out->fd = open(path, O_WRONLY | O_CLOEXEC);
		out->path = out->fd < 0 ? NULL : strdup(path);
		if (out->fd < 0 || !out->path) {
			shim_error_set(err, errno, "cannot write %s: %s", path, strerror(errno));
			shim_record_output_abort(out);
			return -1;
		}
		return 0;
	}
	if (!exists && lstat(path, &lst) == 0) {
		shim_error_set(err, ENOENT, "cannot write %s: it is a symbolic link to a file that does not exist",
			       path);
		return -1;
	}
	/* A symlink is written through: the temporary goes next to its target. */
	out->path = exists ? realpath(path, NULL) : strdup(path);
	if (!out->path) {
		shim_error_set(err, errno, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	slash = strrchr(out->path, '/');
	if (asprintf(&out->tmp, "%.*s.%s.XXXXXX", slash ? (int)(slash - out->path + 1) : 0,
		     out->path, slash ? slash + 1 : out->path) < 0) {
		out->tmp = NULL;
		shim_record_output_abort(out);
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	out->fd = mkostemp(out->tmp, O_CLOEXEC);
	if (out->fd < 0) {
		int e = errno;
		dir = slash ? strndup(out->path, (size_t)(slash == out->path ? 1 : slash - out->path))
			    : strdup(".");
		shim_error_set(err, e, "cannot write %s: cannot create a file in %s: %s", path,
			       dir ? dir : "its directory", strerror(e));
		free(dir);
		free(out->tmp);
		out->tmp = NULL;
		shim_record_output_abort(out);
		return -1;
	}
	mask = umask(0);
	umask(mask);
	if (fchmod(out->fd, exists ? st.st_mode & 07777 : 0644 & ~mask) < 0) {
		shim_error_set(err, errno, "cannot write %s: fchmod: %s", path, strerror(errno));
		shim_record_output_abort(out);
		return -1;
	}
	return 0;
}

int shim_record_output_commit(struct shim_record_output *out, const struct shim_text *t,
			      struct shim_error *err)
{
	size_t done = 0;
	int fd = out->fd;

	while (t->s && done < t->len) {
		ssize_t n = write(fd, t->s + done, t->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		done += (size_t)n;
	}
	if (out->tmp && fsync(fd) < 0)
		goto fail;
	out->fd = -1;
	if (close(fd) < 0) /* never retried (STYLE.md) */
		goto fail;
	if (out->tmp && rename(out->tmp, out->path) < 0)
		goto fail;
	free(out->tmp);
	out->tmp = NULL;
	shim_record_output_abort(out); /* frees what is left */
	return 0;
fail:
	shim_error_set(err, errno, "cannot write %s: %s", out->path, strerror(errno));
	shim_record_output_abort(out);
	return -1;
}

void shim_record_output_abort(struct shim_record_output *out)
{
	if (out->fd >= 0)
		close(out->fd);
	if (out->tmp)
		unlink(out->tmp);
	free(out->tmp);
	free(out->path);
	*out = (struct shim_record_output){ .fd = -1 };
}

void shim_recording_free(struct shim_recording *rec)
{
	free(rec->v);
	free(rec->values);
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
	for (size_t i = 0; i < TABLE_SIZE; i++)
		if (rec->v[i].count)
			v[n++] = rec->v[i];
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

static bool names_has(json_t *names, const char *name)
{
	size_t i;
	json_t *v;

	json_array_foreach(names, i, v)
		if (strcmp(json_string_value(v), name) == 0)
			return true;
	return false;
}

static int cmp_json_str(const void *a, const void *b)
{
	return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

/* A JSON array of strings, sorted. */
static json_t *sorted(json_t *arr)
{
	size_t n = json_array_size(arr);
	json_t **v = malloc((n + 1) * sizeof(*v)), *out = json_array();

	for (size_t i = 0; v && i < n; i++)
		v[i] = json_array_get(arr, i);
	if (v)
		qsort(v, n, sizeof(*v), cmp_json_str);
	for (size_t i = 0; v && i < n; i++)
		json_array_append(out, v[i]);
	free(v);
	json_decref(arr);
	return out;
}

/* Whether p allows name for every argument on every arch: an ALLOW rule
 * without conditions. */
static bool merge_allows(const struct shim_profile *p, const char *name)
{
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct shim_rule *r = &p->rules[i];
		if (r->action.kind != SHIM_ACT_ALLOW || r->n_args || r->includes.n_arches ||
		    r->includes.has_caps || r->includes.has_min_kernel || r->excludes.n_arches ||
		    r->excludes.has_caps || r->excludes.has_min_kernel)
			continue;
		for (size_t j = 0; j < r->n_names; j++)
			if (strcmp(r->names[j], name) == 0)
				return true;
	}
	return false;
}

/* Whether any rule of p names name. */
static bool merge_names(const struct shim_profile *p, const char *name)
{
	for (size_t i = 0; i < p->n_rules; i++)
		for (size_t j = 0; j < p->rules[i].n_names; j++)
			if (strcmp(p->rules[i].names[j], name) == 0)
				return true;
	return false;
}

/* Where the profile came from: this run, after what merge's comment says. */
static json_t *provenance(const struct shim_profile *merge, const char *command)
{
	const char *old = merge ? merge->comment : NULL;
	json_t *c;

	if (!merge)
		c = json_sprintf("Recorded by seccomp-shim record from: %s", command);
	else if (old && *old && old[strlen(old) - 1] == '.')
		c = json_sprintf("%s Added by seccomp-shim record from: %s", old, command);
	else if (old && *old)
		c = json_sprintf("%s; added by seccomp-shim record from: %s", old, command);
	else
		c = json_sprintf("Added by seccomp-shim record from: %s", command);
	return c;
}

/* Whether p has this one-condition ALLOW rule for name already. */
static bool merge_has_rule(const struct shim_profile *p, const char *name, const struct shim_arg *a)
{
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct shim_rule *r = &p->rules[i];
		if (r->action.kind != SHIM_ACT_ALLOW || r->n_args != 1 || r->includes.n_arches ||
		    r->includes.has_caps || r->includes.has_min_kernel || r->excludes.n_arches ||
		    r->excludes.has_caps || r->excludes.has_min_kernel ||
		    r->args[0].index != a->index || r->args[0].op != a->op ||
		    r->args[0].value != a->value || r->args[0].value_two != a->value_two)
			continue;
		for (size_t j = 0; j < r->n_names; j++)
			if (strcmp(r->names[j], name) == 0)
				return true;
	}
	return false;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Whether the calls to v's syscall are written as one rule per value. */
static bool narrow(const struct shim_record_values *v, const struct shim_record_options *opt)
{
	return !opt->wide && !v->overflow;
}

/* One ALLOW rule per value seen: arg == value, or for clone
 * (arg & CLONE_NEW*) == the namespace flags seen, 0 among them (the
 * recording filter let those calls through unseen) unless the profile
 * merged into has a clone policy of its own. */
static void narrow_rules(const struct shim_record_values *v, const struct shim_record_options *opt,
			 json_t *syscalls)
{
	uint64_t values[SHIM_RECORD_MAX_VALUES + 1];
	size_t n = 0;
	bool masked = v->mask != UINT64_MAX;

	if (opt->merge && merge_allows(opt->merge, v->name))
		return;
	if (masked && !opt->seen_only && !(opt->merge && merge_names(opt->merge, v->name)))
		values[n++] = 0;
	for (size_t i = 0; i < v->n; i++)
		if (!(masked && v->v[i] == 0))
			values[n++] = v->v[i];
	qsort(values, n, sizeof(values[0]), cmp_u64);
	for (size_t i = 0; i < n; i++) {
		struct shim_arg a = { v->index, masked ? v->mask : values[i], masked ? values[i] : 0,
				      masked ? SHIM_OP_MASKED_EQ : SHIM_OP_EQ };
		json_t *arg = json_pack("{s:i, s:o}", "index", (int)a.index, "value", shim_json_u64(a.value));

		if (opt->merge && merge_has_rule(opt->merge, v->name, &a)) {
			json_decref(arg);
			continue;
		}
		json_object_set_new(arg, "valueTwo", shim_json_u64(a.value_two)); /* as export writes it */
		json_object_set_new(arg, "op", json_string(masked ? "SCMP_CMP_MASKED_EQ" : "SCMP_CMP_EQ"));
		json_array_append_new(syscalls, json_pack("{s:[s], s:s, s:[o]}", "names", v->name,
							  "action", "SCMP_ACT_ALLOW", "args", arg));
	}
}

/* The names for the ALLOW rule (sorted) and the architectures seen. */
static json_t *allowed_names(const struct shim_recording *rec, const struct shim_record_options *opt,
			     json_t *arches, struct shim_warnings *warn)
{
	static const char *const always[] = { "execve", "execveat" };
	const struct shim_profile *merge = opt->merge;
	json_t *names = json_array();
	size_t unnamed = 0;

	/* The shim needs execve to start the command under the profile, and
	 * execveat can do nothing execve cannot (execve of /proc/self/fd/N)
	 * while fexecve(3) fails without it: check counts both as essential.
	 * The others any program may make on a path one run did not show: a
	 * thread ending, a signal handler returning, a call restarted after one. */
	for (size_t i = 0; i < ARRAY_SIZE(always) && !opt->seen_only; i++)
		if (!(merge && merge_allows(merge, always[i])))
			json_array_append_new(names, json_string(always[i]));
	for (size_t i = 0; i < ARRAY_SIZE(unnotified) && !opt->seen_only; i++)
		if (!(merge && merge_allows(merge, unnotified[i])))
			json_array_append_new(names, json_string(unnotified[i]));
	for (size_t i = 0; i < TABLE_SIZE; i++) {
		const struct shim_record_entry *e = &rec->v[i];
		const struct shim_arch_info *a = shim_arch_by_token(e->arch);
		char *name;

		if (!e->count)
			continue;
		if (a && !names_has(arches, a->oci))
			json_array_append_new(arches, json_string(a->oci));
		if (e->values >= 0 && narrow(&rec->values[e->values], opt))
			continue; /* a rule per value (narrow_rules) */
		name = seccomp_syscall_resolve_num_arch(e->arch, e->nr);
		if (!name) {
			if (unnamed++ < 10)
				shim_warn(warn, "syscall %d on %s has no name in this libseccomp: the profile cannot allow it (the command gets the default errno there)",
					  e->nr & ~(int)SHIM_X32_SYSCALL_BIT, a ? a->oci : "an unknown architecture");
			continue;
		}
		if (!names_has(names, name) && !(merge && merge_allows(merge, name)))
			json_array_append_new(names, json_string(name));
		free(name);
	}
	if (unnamed > 10)
		shim_warn(warn, "%zu more syscalls without a name", unnamed - 10);
	for (size_t i = 0; i < rec->n_values; i++)
		if (rec->values[i].overflow && !opt->wide)
			shim_warn(warn, "%s was called with more than %d different values of argument %u: it is allowed for any",
				  rec->values[i].name, SHIM_RECORD_MAX_VALUES, rec->values[i].index);
	return sorted(names);
}

/* The profile to add to, as export writes it, with the comment first;
 * arches joins its architectures. */
static json_t *merged_root(const struct shim_record_options *opt, json_t *arches,
			   struct shim_error *err)
{
	const struct shim_profile *merge = opt->merge;
	struct shim_text text = { 0 };
	json_error_t jerr;
	json_t *root, *exported, *old;

	if (merge->default_action.kind != SHIM_ACT_ERRNO) {
		shim_error_set(err, EINVAL, "%s: --merge needs an allow-list (defaultAction SCMP_ACT_ERRNO), not %s",
			       merge->path, shim_action_name(merge->default_action.kind));
		return NULL;
	}
	if (shim_export_json(merge, &text, err) < 0)
		return NULL;
	exported = json_loads(text.s, JSON_PRESERVE_ORDER, &jerr);
	shim_text_free(&text);
	if (!exported) { /* a value above 2^63-1, which jansson cannot hold */
		shim_error_set(err, EINVAL, "%s: cannot add to this profile: %s", merge->path, jerr.text);
		return NULL;
	}
	root = json_object();
	if (opt->command)
		json_object_set_new(root, "comment", provenance(merge, opt->command));
	/* The provenance above already carries the old comment. */
	if (opt->command)
		json_object_del(exported, "comment");
	json_object_update(root, exported);
	json_decref(exported);
	old = json_object_get(root, "architectures");
	if (json_is_array(old)) {
		size_t i;
		json_t *v;
		json_array_foreach(arches, i, v)
			if (!names_has(old, json_string_value(v)))
				json_array_append(old, v);
	}
	if (!json_is_array(json_object_get(root, "syscalls")))
		json_object_set_new(root, "syscalls", json_array());
	return root;
}

int shim_record_merge_check(const struct shim_profile *merge, struct shim_error *err)
{
	struct shim_record_options opt = { .merge = merge };
	json_t *arches = json_array(), *root = merged_root(&opt, arches, err);

	json_decref(arches);
	json_decref(root);
	return root ? 0 : -1;
}

int shim_record_profile(const struct shim_recording *rec, const struct shim_record_options *opt,
			struct shim_text *out, struct shim_warnings *warn, struct shim_error *err)
{
	const struct shim_profile *merge = opt->merge;
	const struct shim_record_values *clone = NULL;
	json_t *root, *arches = json_array(), *names, *syscalls;

	json_array_append_new(arches, json_string(shim_arch_native()->oci));
	names = allowed_names(rec, opt, arches, warn);
	if (merge) {
		/* The existing profile as it is, plus what it did not allow. */
		root = merged_root(opt, arches, err);
		json_decref(arches);
		if (!root) {
			json_decref(names);
			return -1;
		}
	} else {
		root = json_object();
		if (opt->command)
			json_object_set_new(root, "comment", provenance(NULL, opt->command));
		json_object_set_new(root, "defaultAction", json_string("SCMP_ACT_ERRNO"));
		json_object_set_new(root, "defaultErrnoRet", json_integer(opt->errno_ret));
		json_object_set_new(root, "architectures", arches);
		json_object_set_new(root, "syscalls", json_array());
	}
	syscalls = json_object_get(root, "syscalls");
	bool clone_seen = names_has(names, "clone") || (merge && merge_names(merge, "clone"));
	if (json_array_size(names))
		json_array_append_new(syscalls, json_pack("{s:o, s:s}", "names", names, "action",
							  "SCMP_ACT_ALLOW"));
	else
		json_decref(names);
	for (size_t i = 0; i < rec->n_values; i++) {
		if (strcmp(rec->values[i].name, "clone") == 0)
			clone = &rec->values[i];
		if (narrow(&rec->values[i], opt))
			narrow_rules(&rec->values[i], opt, syscalls);
	}
	/* Else clone without CLONE_NEW*, as the recording filter let it
	 * through unseen, unless it is allowed already. */
	if (!(clone && narrow(clone, opt)) && !clone_seen && !opt->seen_only)
		json_array_append_new(syscalls,
				      json_pack("{s:[s], s:s, s:[{s:i, s:I, s:i, s:s}]}", "names", "clone",
						"action", "SCMP_ACT_ALLOW", "args", "index", 0, "value",
						(json_int_t)CLONE_NEW_FLAGS, "valueTwo", 0, "op",
						"SCMP_CMP_MASKED_EQ"));
	/* (unless that is the default already: check calls the rule useless) */
	if (!opt->seen_only && !(merge && merge_names(merge, "clone3")) &&
	    (merge ? (int)merge->default_action.errno_ret : opt->errno_ret) != ENOSYS)
		json_array_append_new(syscalls, json_pack("{s:[s], s:s, s:i}", "names", "clone3",
							  "action", "SCMP_ACT_ERRNO", "errnoRet", ENOSYS));
	return shim_json_dump(root, out, err);
}
