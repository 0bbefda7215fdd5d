/* procfilter: the seccomp state of a running process, as the kernel keeps
 * it: /proc/PID/status, and its filters' programs read back with
 * ptrace(PTRACE_SECCOMP_GET_FILTER).
 *
 * MUST: a process this module stops is never left stopped or traced. It is
 * seized (PTRACE_SEIZE: no signal is sent, nothing it sees changes),
 * interrupted, read while in that stop and detached on every path after
 * the seize; a signal that arrived meanwhile is handed back on detach.
 * The kernel, not this module, decides who may read filters: CAP_SYS_ADMIN,
 * a tracer under no seccomp filter of its own, and ptrace access (Yama's
 * ptrace_scope); a refusal is explained, never worked around.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include "internal.h"

#ifndef PTRACE_SECCOMP_GET_FILTER
#define PTRACE_SECCOMP_GET_FILTER 0x420c
#endif
#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif
#define CAP_SYS_ADMIN_BIT 21

/* The whole of a small /proc file, NUL-terminated; -1 with errno. */
static ssize_t read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	size_t got = 0;
	ssize_t n = 0;

	if (fd < 0)
		return -1;
	while (got < len - 1 && (n = read(fd, buf + got, len - 1 - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		got += (size_t)n;
	}
	int saved = errno;
	close(fd);
	errno = saved;
	if (n < 0)
		return -1;
	buf[got] = '\0';
	return (ssize_t)got;
}

/* The value after "\nKEY:" in a status file, or NULL. */
static const char *field(const char *status, const char *key)
{
	char pat[48];
	const char *at;

	snprintf(pat, sizeof(pat), "\n%s:", key);
	if (strncmp(status, pat + 1, strlen(pat + 1)) == 0)
		at = status;
	else if ((at = strstr(status, pat)))
		at++;
	else
		return NULL;
	at += strlen(pat + 1);
	return at + strspn(at, " \t");
}

static long field_long(const char *status, const char *key)
{
	const char *v = field(status, key);
	return v ? strtol(v, NULL, 10) : -1;
}

static uint64_t field_hex(const char *status, const char *key)
{
	const char *v = field(status, key);
	return v ? strtoull(v, NULL, 16) : 0;
}

int shim_proc_status_read(int pid, struct shim_proc_status *out, struct shim_error *err)
{
	char path[64], buf[8192];
	const char *name;

	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (pid <= 0 || read_small(path, buf, sizeof(buf)) < 0) {
		int e = pid <= 0 || errno == ENOENT ? ESRCH : errno;
		shim_error_set(err, e, e == ESRCH ? "process %d: no such process" : "process %d: cannot read %s: %s",
			       pid, path, strerror(e));
		return -1;
	}
	out->pid = pid;
	if ((name = field(buf, "Name")))
		snprintf(out->name, sizeof(out->name), "%.*s", (int)strcspn(name, "\n"), name);
	out->tgid = (int)field_long(buf, "Tgid");
	out->tracer = (int)field_long(buf, "TracerPid");
	out->seccomp_mode = (int)field_long(buf, "Seccomp");
	out->seccomp_filters = (int)field_long(buf, "Seccomp_filters");
	out->no_new_privs = (int)field_long(buf, "NoNewPrivs");
	out->cap_bnd = field_hex(buf, "CapBnd");
	out->cap_eff = field_hex(buf, "CapEff");
	return 0;
}

/* Why the kernel refused to let this process trace pid (EPERM), in the
 * order it checks: our capability, Yama, someone tracing it already. */
static void refused(int pid, const struct shim_proc_status *st, struct shim_error *err)
{
	struct shim_proc_status self;
	char scope[16] = "";
	long yama = -1;

	if (read_small("/proc/sys/kernel/yama/ptrace_scope", scope, sizeof(scope)) > 0)
		yama = strtol(scope, NULL, 10);
	if (shim_proc_status_read(getpid(), &self, err) == 0 &&
	    !(self.cap_eff >> CAP_SYS_ADMIN_BIT & 1))
		shim_error_set(err, EPERM, "process %d: not permitted: reading seccomp filters needs CAP_SYS_ADMIN (run as root)", pid);
	else if (yama == 3)
		shim_error_set(err, EPERM, "process %d: not permitted: ptrace is disabled (kernel.yama.ptrace_scope = 3, until reboot)", pid);
	else if (st->tracer > 0)
		shim_error_set(err, EPERM, "process %d: not permitted: process %d traces it already (a debugger, strace, a supervisor)", pid, st->tracer);
	else if (pid == getpid() || st->tgid == getpid())
		shim_error_set(err, EPERM, "process %d: a process cannot trace itself", pid);
	else
		shim_error_set(err, EPERM, "process %d: not permitted to trace it (kernel.yama.ptrace_scope = %ld; a process of another user namespace, or one that is not dumpable, needs CAP_SYS_PTRACE over it)", pid, yama);
}

/* Stops the seized pid and waits for the stop; *sig: a signal that stopped
 * it instead, to hand back on detach. 0, or -1 with err (pid is gone). */
static int stop(int pid, int *sig, struct shim_error *err)
{
	int status;
	pid_t r;

	*sig = 0;
	if (ptrace(PTRACE_INTERRUPT, pid, 0, 0) < 0) {
		shim_error_set(err, errno, "process %d: PTRACE_INTERRUPT: %s", pid, strerror(errno));
		return -1;
	}
	while ((r = waitpid(pid, &status, __WALL)) < 0 && errno == EINTR)
		;
	if (r < 0) {
		shim_error_set(err, errno, "process %d: waiting for it to stop: %s", pid, strerror(errno));
		return -1;
	}
	if (!WIFSTOPPED(status)) {
		shim_error_set(err, ESRCH, "process %d ended while it was being read", pid);
		return -1;
	}
	/* A signal-delivery stop came first: it stops as well, and the
	 * signal must not be lost. */
	if (status >> 16 == 0)
		*sig = WSTOPSIG(status);
	return 0;
}

static int get_error(int pid, size_t index, int e, struct shim_error *err)
{
	struct shim_proc_status self;

	if (e == EIO)
		shim_error_set(err, e, "process %d: this kernel cannot hand out seccomp filters (PTRACE_SECCOMP_GET_FILTER: a kernel built without checkpoint/restore support)", pid);
	else if (e == EACCES && shim_proc_status_read(getpid(), &self, err) == 0 && self.seccomp_mode > 0)
		shim_error_set(err, e, "process %d: the kernel gives seccomp filters only to a tracer under no filter of its own, and seccomp-shim runs under one (Seccomp: %d)", pid, self.seccomp_mode);
	else if (e == EACCES)
		shim_error_set(err, e, "process %d: not permitted: reading seccomp filters needs CAP_SYS_ADMIN (run as root)", pid);
	else if (e == EMEDIUMTYPE)
		shim_error_set(err, e, "process %d: filter %zu is not a classic BPF program", pid, index);
	else if (e == EINVAL)
		shim_error_set(err, e, "process %d: not in seccomp filter mode", pid);
	else
		shim_error_set(err, e, "process %d: PTRACE_SECCOMP_GET_FILTER %zu: %s", pid, index, strerror(e));
	return -1;
}

/* Reads filter index of the stopped pid into f: 1, 0 past the last, -1. */
static int get_one(int pid, size_t index, struct shim_filter *f, struct shim_error *err)
{
	long n = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void *)index, NULL);

	memset(f, 0, sizeof(*f));
	if (n < 0 && errno == ENOENT)
		return 0;
	if (n <= 0 || n > BPF_MAXINSNS)
		return n < 0 ? get_error(pid, index, errno, err)
			     : (shim_error_set(err, EINVAL, "process %d: filter %zu has %ld instructions", pid, index, n), -1);
	if (!(f->insns = calloc((size_t)n, sizeof(*f->insns)))) {
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	/* The size cannot change: a filter, once installed, is never edited. */
	if (ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void *)index, f->insns) != n) {
		int e = errno;
		free(f->insns);
		f->insns = NULL;
		return get_error(pid, index, e, err);
	}
	f->n_insns = (size_t)n;
	return 1;
}

static int get_all(int pid, struct shim_proc_filters *out, struct shim_error *err)
{
	for (size_t i = 0;; i++) {
		struct shim_filter f, *grown;
		int r = get_one(pid, i, &f, err);

		if (r <= 0)
			return r;
		if (!(grown = realloc(out->v, (out->n + 1) * sizeof(*grown)))) {
			free(f.insns);
			shim_error_set(err, ENOMEM, "out of memory");
			return -1;
		}
		out->v = grown;
		out->v[out->n++] = f;
	}
}

int shim_proc_filters_read(int pid, struct shim_proc_filters *out, struct shim_error *err)
{
	struct shim_proc_status st;
	int sig, r;

	memset(out, 0, sizeof(*out));
	if (shim_proc_status_read(pid, &st, err) < 0)
		return -1;
	if (ptrace(PTRACE_SEIZE, pid, 0, 0) < 0) {
		if (errno == EPERM)
			refused(pid, &st, err);
		else
			shim_error_set(err, errno, errno == ESRCH ? "process %d: no such process" : "process %d: PTRACE_SEIZE: %s",
				       pid, strerror(errno));
		return -1;
	}
	r = stop(pid, &sig, err);
	if (r == 0)
		r = get_all(pid, out, err);
	/* Detach whatever happened above; only a process that is gone
	 * cannot be (and then nothing is left traced). */
	if (ptrace(PTRACE_DETACH, pid, 0, (void *)(long)sig) < 0 && errno != ESRCH && r == 0) {
		shim_error_set(err, errno, "process %d: PTRACE_DETACH: %s", pid, strerror(errno));
		r = -1;
	}
	if (r < 0)
		shim_proc_filters_free(out);
	return r;
}

void shim_proc_filters_free(struct shim_proc_filters *f)
{
	for (size_t i = 0; i < f->n; i++)
		shim_filter_free(&f->v[i]);
	free(f->v);
	f->v = NULL;
	f->n = 0;
}
