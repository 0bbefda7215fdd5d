/* record: learn an allow-list from a run, with seccomp user notification.
 *
 * The child sets no_new_privs and loads a one-instruction filter whose
 * every answer is USER_NOTIF, with a listener. The parent takes that
 * listener out of the child with pidfd_getfd(2), so the child never has to
 * send anything under the filter, then answers every notification from the
 * whole process tree with FLAG_CONTINUE after counting its (arch, syscall).
 * No root, ptrace, eBPF or audit.
 *
 * MUST: every notification is answered (a task left waiting would hang);
 * the target runs as it would without the recorder apart from
 * no_new_privs; recording ends when no task uses the filter any more.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
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

#define X32_SYSCALL_BIT 0x40000000u
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

/* The recording filter: on the native arch, the calls above allowed,
 * clone without namespace flags allowed, clone3 ENOSYS; every other call
 * of every arch notified. */
static size_t recording_filter(struct sock_filter *prog, size_t max)
{
	const struct shim_arch_info *native = shim_arch_native();
	size_t n = 0, n_allow = 0;
	int allow[ARRAY_SIZE(unnotified)];
	int nr_clone = shim_syscall_resolve_name("clone");
	int nr_clone3 = shim_syscall_resolve_name("clone3");

	for (size_t i = 0; i < ARRAY_SIZE(unnotified); i++) {
		int nr = shim_syscall_resolve_name(unnotified[i]);
		if (nr >= 0)
			allow[n_allow++] = nr;
	}
	if (!native || n_allow + 16 > max) {
		prog[0] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
		return 1;
	}
	/* Layout, from the end: [notify] [allow] [enosys] */
	size_t total = 3 + n_allow + 1 + (nr_clone >= 0 ? 4 : 0) + (nr_clone3 >= 0 ? 1 : 0) + 3;
	size_t notify = total - 3, allow_at = total - 2, enosys = total - 1;
#define TO(t) ((unsigned char)((t) - (n + 1)))
	prog[n] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4);
	n++;
	prog[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, native->token, 0, TO(notify));
	n++;
	prog[n] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0);
	n++;
	for (size_t i = 0; i < n_allow; i++, n++)
		prog[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)allow[i],
						       TO(allow_at), 0);
	if (nr_clone3 >= 0) {
		prog[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr_clone3,
						       TO(enosys), 0);
		n++;
	}
	if (nr_clone >= 0) {
		prog[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr_clone, 0,
						       TO(notify));
		n++;
		prog[n] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 16); /* arg0, low half */
		n++;
		prog[n] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_NEW_FLAGS,
						       TO(notify), TO(allow_at));
		n++;
		prog[n] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
		n++; /* not reached; keeps the layout arithmetic simple */
	}
	prog[n] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, (uint32_t)(notify - (n + 1)));
	n++;
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	prog[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
#undef TO
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

static void count(struct shim_recording *rec, uint32_t arch, int nr)
{
	uint64_t key = (uint64_t)arch << 32 | (uint32_t)nr;
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 51) % TABLE_SIZE;

	rec->total++;
	for (;;) {
		struct shim_record_entry *e = &rec->v[i];
		if (e->count && e->arch == arch && e->nr == nr) {
			e->count++;
			return;
		}
		if (!e->count) {
			*e = (struct shim_record_entry){ arch, nr, 1 };
			rec->n++;
			return;
		}
		i = (i + 1) % TABLE_SIZE;
	}
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
		if (arch == SCMP_ARCH_X86_64 && ((uint32_t)req->data.nr & X32_SYSCALL_BIT))
			arch = SCMP_ARCH_X32;
		pthread_mutex_lock(&sh->lock);
		count(sh->rec, arch, req->data.nr);
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

	memset(rec, 0, sizeof(*rec));
	rec->v = calloc(TABLE_SIZE, sizeof(*rec->v));
	if (!rec->v || pipe2(errpipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		shim_error_set(err, errno, "cannot set up the recorder: %s", strerror(errno));
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
	free(rec->v);
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

int shim_record_profile(const struct shim_recording *rec, const struct shim_profile *merge,
			int errno_ret, const char *comment, struct shim_text *out,
			struct shim_warnings *warn, struct shim_error *err)
{
	const struct shim_arch_info *native = shim_arch_native();
	json_t *root, *arches = json_array(), *names = json_array(), *syscalls;
	struct shim_text merged = { 0 };
	size_t unnamed = 0;

	/* The shim needs execve to start the command under the profile; the
	 * others any program may make on a path one run did not show: a thread
	 * ending, a signal handler returning, a call restarted after one. */
	if (!(merge && merge_allows(merge, "execve")))
		json_array_append_new(names, json_string("execve"));
	for (size_t i = 0; i < ARRAY_SIZE(unnotified); i++)
		if (!(merge && merge_allows(merge, unnotified[i])))
			json_array_append_new(names, json_string(unnotified[i]));
	json_array_append_new(arches, json_string(native->oci));
	for (size_t i = 0; i < TABLE_SIZE; i++) {
		const struct shim_record_entry *e = &rec->v[i];
		const struct shim_arch_info *a = shim_arch_by_token(e->arch);
		char *name;

		if (!e->count)
			continue;
		if (a && !names_has(arches, a->oci))
			json_array_append_new(arches, json_string(a->oci));
		name = seccomp_syscall_resolve_num_arch(e->arch, e->nr);
		if (!name) {
			if (unnamed++ < 10)
				shim_warn(warn, "syscall %d on %s has no name in this libseccomp: the profile cannot allow it (the command gets the default errno there)",
					  e->nr & ~(int)X32_SYSCALL_BIT, a ? a->oci : "an unknown architecture");
			continue;
		}
		if (!names_has(names, name) && !(merge && merge_allows(merge, name)))
			json_array_append_new(names, json_string(name));
		free(name);
	}
	names = sorted(names);
	if (merge) {
		json_error_t jerr;

		/* The existing profile as it is, plus what it did not allow. */
		if (merge->default_action.kind != SHIM_ACT_ERRNO) {
			json_decref(arches);
			json_decref(names);
			shim_error_set(err, EINVAL, "%s: --merge needs an allow-list (defaultAction SCMP_ACT_ERRNO), not %s",
				       merge->path, shim_action_name(merge->default_action.kind));
			return -1;
		}
		if (shim_export_json(merge, &merged, err) < 0) {
			json_decref(arches);
			json_decref(names);
			return -1;
		}
		root = json_loads(merged.s, JSON_PRESERVE_ORDER, &jerr);
		shim_text_free(&merged);
		json_t *old = json_object_get(root, "architectures");
		if (json_is_array(old)) {
			size_t i;
			json_t *v;
			json_array_foreach(arches, i, v)
				if (!names_has(old, json_string_value(v)))
					json_array_append(old, v);
		}
		json_decref(arches);
		syscalls = json_object_get(root, "syscalls");
	} else {
		root = json_object();
		if (comment)
			json_object_set_new(root, "comment", json_string(comment));
		json_object_set_new(root, "defaultAction", json_string("SCMP_ACT_ERRNO"));
		json_object_set_new(root, "defaultErrnoRet", json_integer(errno_ret));
		json_object_set_new(root, "architectures", arches);
		syscalls = json_array();
		json_object_set_new(root, "syscalls", syscalls);
	}
	bool clone_seen = names_has(names, "clone") || (merge && merge_names(merge, "clone"));
	if (json_array_size(names))
		json_array_append_new(syscalls, json_pack("{s:o, s:s}", "names", names, "action",
							  "SCMP_ACT_ALLOW"));
	else
		json_decref(names);
	/* As the recording filter let them through (see unnotified). */
	if (!clone_seen)
		json_array_append_new(syscalls,
				      json_pack("{s:[s], s:s, s:[{s:i, s:I, s:i, s:s}]}", "names", "clone",
						"action", "SCMP_ACT_ALLOW", "args", "index", 0, "value",
						(json_int_t)CLONE_NEW_FLAGS, "valueTwo", 0, "op",
						"SCMP_CMP_MASKED_EQ"));
	if (!(merge && merge_names(merge, "clone3")))
		json_array_append_new(syscalls, json_pack("{s:[s], s:s, s:i}", "names", "clone3",
							  "action", "SCMP_ACT_ERRNO", "errnoRet", ENOSYS));
	if (unnamed > 10)
		shim_warn(warn, "%zu more syscalls without a name", unnamed - 10);
	return shim_json_dump(root, out, err);
}
