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
static void __attribute__((noreturn)) child(const char *path, char *const argv[],
					    char *const envp[], int error_fd)
{
	struct sock_filter notify = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
	struct sock_fprog prog = { 1, &notify };
	char code;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog) >= 0) {
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

static void serve(int listener, pid_t pid, struct shim_recording *rec)
{
	struct seccomp_notif_sizes sizes = { 0 };
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	int seccomp_nr = seccomp_syscall_resolve_name("seccomp");

	/* Linux 6.6: wake the waiting task on this CPU. Each round trip then
	 * costs a few microseconds instead of tens (bench/record.sh); older
	 * kernels refuse the ioctl and nothing else changes. */
	ioctl(listener, SECCOMP_IOW(4, uint64_t) /* SECCOMP_IOCTL_NOTIF_SET_FLAGS */,
	      1 /* SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP */);
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
		sizes = (struct seccomp_notif_sizes){ sizeof(*req), sizeof(*resp), 0 };
	req = calloc(1, sizes.seccomp_notif > sizeof(*req) ? sizes.seccomp_notif : sizeof(*req));
	resp = calloc(1, sizes.seccomp_notif_resp > sizeof(*resp) ? sizes.seccomp_notif_resp
								   : sizeof(*resp));
	for (;;) {
		struct pollfd p = { listener, POLLIN, 0 };
		int status;

		if (!rec->exited && waitpid(pid, &status, WNOHANG) == pid) {
			rec->exited = true;
			rec->status = status;
		}
		if (poll(&p, 1, 250) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		/* No task uses the filter any more: the whole tree is done. */
		if (p.revents & (POLLHUP | POLLERR | POLLNVAL)) {
			if (!(p.revents & POLLIN))
				break;
		}
		if (!(p.revents & POLLIN))
			continue;
		memset(req, 0, sizes.seccomp_notif > sizeof(*req) ? sizes.seccomp_notif : sizeof(*req));
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req) < 0)
			continue; /* EINTR, or the task is gone (ENOENT) */
		uint32_t arch = req->data.arch;
		if (arch == SCMP_ARCH_X86_64 && ((uint32_t)req->data.nr & X32_SYSCALL_BIT))
			arch = SCMP_ARCH_X32;
		count(rec, arch, req->data.nr);
		/* A target that wants its own listener gets EBUSY from the kernel. */
		if (arch == SCMP_ARCH_X86_64 && req->data.nr == seccomp_nr &&
		    req->data.args[0] == SECCOMP_SET_MODE_FILTER &&
		    (req->data.args[1] & SECCOMP_FILTER_FLAG_NEW_LISTENER) &&
		    req->data.args[2] /* not a NULL-program probe */)
			rec->wanted_listener = true;
		resp->id = req->id;
		resp->val = 0;
		resp->error = 0;
		resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp); /* ENOENT: gone */
	}
	free(req);
	free(resp);
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
	pid = fork();
	if (pid < 0) {
		shim_error_set(err, errno, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0)
		child(path, argv, envp, errpipe[1]);
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
	static const char *const always[] = { "execve", "exit", "exit_group", "rt_sigreturn",
					      "restart_syscall" };
	for (size_t i = 0; i < ARRAY_SIZE(always); i++)
		if (!(merge && merge_allows(merge, always[i])))
			json_array_append_new(names, json_string(always[i]));
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
	if (json_array_size(names))
		json_array_append_new(syscalls, json_pack("{s:o, s:s}", "names", names, "action",
							  "SCMP_ACT_ALLOW"));
	else
		json_decref(names);
	if (unnamed > 10)
		shim_warn(warn, "%zu more syscalls without a name", unnamed - 10);
	return shim_json_dump(root, out, err);
}
