/* supervise_recv: a supervised run's receivers (lib/supervise.c has the
 * whole picture). Each waits for one notification at a time; the verdict
 * is the profile's own program run on the notification's seccomp_data;
 * the reply is that verdict (the errno), or, complaining, the call. Also
 * what a denial says: the task's names and strings, the rule that
 * decided it, and the record kept of it.
 *
 * MUST: a notified call is never let through unless the profile allows it
 * or --complain was asked for; a reply carries exactly the profile's errno
 * (a signal landing before a receiver takes the notification can still
 * end the call with EINTR: the kernel's rule, kept short by receivers
 * always waiting). What is read from the target (its memory, /proc) is
 * read before the reply and kept only if SECCOMP_IOCTL_NOTIF_ID_VALID
 * says the task is still the one in the call.
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
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include "internal.h"

#define MAX_ERRNO 4095
#define CALLS_KEPT 4096 /* distinct calls --complain checks its profile with */

int shim_sup_read_file(const char *path, char *buf, size_t len)
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
	if (shim_sup_read_file(path, buf, sizeof(buf)) < 0 || !(t = strstr(buf, "\nTgid:")))
		return tid;
	return atoi(t + strlen("\nTgid:"));
}

static void task_names(struct shim_denial *d, int tid)
{
	char path[64];
	ssize_t n;
	int len;

	snprintf(path, sizeof(path), "/proc/%d/comm", tid);
	len = shim_sup_read_file(path, d->comm, sizeof(d->comm));
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

void shim_sup_name_call(struct shim_denial *d)
{
	char *name;

	d->token = d->arch;
	if (d->arch == SCMP_ARCH_X86_64 && ((uint32_t)d->nr & SHIM_X32_SYSCALL_BIT))
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
void shim_sup_record_denial(struct shim_sup *sh, const struct shim_denial *d,
			    const struct shim_seccomp_data *data)
{
	struct shim_supervision *out = sh->out;

	pthread_mutex_lock(&sh->lock);
	shim_sup_know(sh, d->pid);
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

static void answer(struct shim_sup *sh, const struct seccomp_notif *req,
		   struct seccomp_notif_resp *resp, struct shim_denial *d)
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
	shim_sup_name_call(d);
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
	shim_sup_record_denial(sh, d, &data);
}

static void *receive(void *arg)
{
	struct shim_sup *sh = arg;
	struct seccomp_notif *req = calloc(1, sh->notif_size);
	struct seccomp_notif_resp *resp = calloc(1, sh->resp_size);
	struct shim_denial *d = malloc(sizeof(*d));
	sigset_t wake;

	sigemptyset(&wake);
	sigaddset(&wake, SHIM_SUP_WAKE_SIGNAL);
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

void shim_sup_receivers_start(struct shim_sup *sh, struct shim_sup_receivers *r,
			      struct sigaction *old)
{
	struct seccomp_notif_sizes sizes = { 0 };
	struct sigaction sa = { .sa_sigaction = shim_sup_on_wake, .sa_flags = SA_SIGINFO };
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
	sigaction(SHIM_SUP_WAKE_SIGNAL, &sa, old); /* no SA_RESTART: it interrupts RECV */
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	for (r->n = 0; r->n < SHIM_SUP_RECEIVERS; r->n++)
		if (pthread_create(&r->t[r->n], &attr, receive, sh) != 0)
			break;
	pthread_attr_destroy(&attr);
}

void shim_sup_receivers_stop(struct shim_sup *sh, struct shim_sup_receivers *r)
{
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
	for (size_t i = 0; i < r->n; i++) {
		struct timespec until;

		/* A wake-up that lands just before the thread enters RECV is
		 * lost: send again until it ends. */
		for (;;) {
			pthread_kill(r->t[i], SHIM_SUP_WAKE_SIGNAL);
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

/* What decided a verdict whose arguments are not seen: exact when no
 * rule of the syscall tests arguments, else the first rule (or the
 * default) that gives it, said to be unsure. */
void shim_sup_decide_unseen(struct shim_sup *sh, const struct shim_seccomp_data *data,
			    struct shim_denial *d)
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
