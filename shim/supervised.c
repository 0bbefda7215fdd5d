/* Supervised runs on the command line: where the reports go, the summary
 * at the end, the --complain profile, and the exit status. The run itself
 * is lib/supervise.c. */
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "supervised.h"
#include "diag.h"

struct sink {
	int fd;
	enum shim_report_format fmt;
	const struct shim_profile *profile;
};

static void write_all(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(fd, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* a report that cannot be written is lost, never the run */
		s += n;
		len -= (size_t)n;
	}
}

static void on_denial(void *ctx, const struct shim_denial *d)
{
	struct sink *s = ctx;
	struct shim_text t = { 0 };

	shim_denial_format(s->profile, d, s->fmt, &t);
	write_all(s->fd, t.s ? t.s : "", t.len);
	shim_text_free(&t);
}

bool supervise_wanted(const struct supervise_cli *c)
{
	return c->report || c->complain || c->init;
}

__attribute__((format(printf, 1, 2))) static int refuse(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "seccomp-shim: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return SHIM_EXIT_FAILURE;
}

int supervise_check(const struct supervise_cli *c, bool have_profile, bool unconfined)
{
	if (c->report_format && strcmp(c->report_format, "json") && strcmp(c->report_format, "text"))
		return refuse("--report-format takes text or json, not \"%s\"", c->report_format);
	if (c->report_format && !c->report && !c->complain)
		return refuse("%s goes with --report or --complain", "--report-format");
	if (c->complain_output && !c->complain)
		return refuse("%s goes with --complain", "--complain-output");
	/* Without supervision the shim becomes the command: nothing is left
	 * to forward signals. */
	if (c->signal_group && !supervise_wanted(c))
		return refuse("%s goes with --init, --report or --complain", "--signal-group");
	if ((c->report || c->complain) && unconfined)
		return refuse("%s: the profile is unconfined, so nothing is ever denied", c->complain ? "--complain" : "--report");
	if (c->complain_output && !have_profile)
		return refuse("%s needs a profile to add to (not --bpf)", "--complain-output");
	return 0;
}

/* The profile --complain would have needed, written to out. */
static int write_complained(const struct supervise_cli *c, const struct shim_exec_plan *plan,
			    const struct shim_profile *p, const struct shim_policy *pol,
			    const struct shim_host *host, const struct shim_supervision *s,
			    struct shim_record_output *output)
{
	struct shim_error err = { 0 };
	struct shim_warnings warn = { 0 };
	struct shim_text command = { 0 }, text = { 0 };
	int rc;

	for (size_t i = 0; plan->argv[i]; i++)
		shim_text_shell_quote(&command, plan->argv[i], i > 0);
	rc = shim_complain_profile(p, pol, host, s, command.s, &text, &warn, &err);
	shim_text_free(&command);
	for (size_t i = 0; !c->quiet && i < warn.n; i++)
		fprintf(stderr, "seccomp-shim: warning: %s\n", diag_warning_text(&warn, i));
	shim_warnings_free(&warn);
	if (rc < 0 || shim_record_output_commit(output, &text, &err) < 0) {
		if (rc < 0)
			shim_record_output_abort(output);
		fprintf(stderr, "seccomp-shim: --complain-output: %s\n", err.msg);
		shim_text_free(&text);
		return -1;
	}
	shim_text_free(&text);
	if (!c->quiet)
		fprintf(stderr, "seccomp-shim: wrote %s: the profile with the %zu calls allowed that it denied\n",
			c->complain_output, s->n_calls);
	return 0;
}

static void summary(const struct supervise_cli *c, const struct sink *sink,
		    const struct shim_supervision *s)
{
	struct shim_text t = { 0 };

	if (!c->report && !c->complain)
		return;
	shim_summary_format(sink->profile, &s->summary, sink->fmt, &t);
	if (sink->fmt == SHIM_REPORT_JSON)
		shim_text_printf(&t, "{\"type\":\"end\",\"denials\":%llu,\"distinct\":%zu,\"status\":%d}\n",
				 (unsigned long long)s->summary.total, s->summary.n,
				 WIFEXITED(s->status) ? WEXITSTATUS(s->status)
						      : 128 + WTERMSIG(s->status));
	write_all(sink->fd, t.s ? t.s : "", t.len);
	shim_text_free(&t);
}

/* "syscalls ... cached: N" of a program, or -1. */
static long cached_count(const struct shim_filter *f)
{
	const struct shim_arch_info *native = shim_arch_native();
	struct shim_text t = { 0 };
	const char *at;
	long n = -1;

	if (native && shim_filter_stats(f, native->token, &t, NULL) == 0 && t.s &&
	    (at = strstr(t.s, "(the kernel caches them): ")))
		n = strtol(at + strlen("(the kernel caches them): "), NULL, 10);
	shim_text_free(&t);
	return n;
}

/* --verbose: which returns go to the supervisor, and that the kernel's
 * cache keeps the same syscalls as under the profile's own program. */
static void print_notify_stats(const struct shim_filter *f, enum shim_notify_mode mode)
{
	struct shim_filter prog;
	size_t rewritten;

	if (shim_notify_program(f, mode, &prog, &rewritten, NULL) < 0)
		return;
	fprintf(stderr, "seccomp-shim: supervised: %zu of the program's return instructions notify the supervisor (%s); syscalls the kernel caches as allowed: %ld, as under the profile's own program: %ld\n",
		rewritten, mode == SHIM_NOTIFY_COMPLAIN ? "every denying verdict, the ENOSYS stub's too"
							: "the ERRNO verdicts, not the ENOSYS stub's",
		cached_count(&prog), cached_count(f));
	shim_filter_free(&prog);
}

int supervise_run(const struct supervise_cli *c, const struct shim_exec_plan *plan,
		  const struct shim_profile *p, const struct shim_policy *pol,
		  const struct shim_host *host, struct shim_error *err)
{
	struct sink sink = { .fd = STDERR_FILENO, .profile = p,
			     .fmt = c->report_format && strcmp(c->report_format, "json") == 0
					    ? SHIM_REPORT_JSON : SHIM_REPORT_TEXT };
	struct shim_supervise_options opt = {
		.mode = c->complain ? SHIM_NOTIFY_COMPLAIN : c->report ? SHIM_NOTIFY_REPORT : SHIM_NOTIFY_NONE,
		.profile = p, .pol = p ? pol : NULL, .subreaper = c->init,
		.signal_group = c->signal_group, .audit = true, .on_denial = on_denial, .ctx = &sink,
	};
	struct shim_record_output output = { .fd = -1 };
	struct shim_supervision s;
	int filters, status = -1;

	if (c->report_file) {
		sink.fd = open(c->report_file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0666);
		if (sink.fd < 0) {
			shim_error_set(err, errno, "--report=%s: %s; the command was not run", c->report_file,
				       strerror(errno));
			return -1;
		}
	}
	/* Before the command runs: a run must not end in "cannot write". */
	if (c->complain_output && shim_record_output_open(c->complain_output, &output, err) < 0)
		goto out;
	if (c->verbose && opt.mode != SHIM_NOTIFY_NONE && plan->filter)
		print_notify_stats(plan->filter, opt.mode);
	filters = opt.mode != SHIM_NOTIFY_NONE ? shim_seccomp_filters_self() : 0;
	if (filters > 0 && !c->quiet)
		fprintf(stderr, "seccomp-shim: warning: seccomp-shim already runs under %d seccomp filter%s (a container runtime's?): a call one of them denies never reaches the supervisor (an outer ERRNO or KILL outranks its notification), so it is not reported\n",
			filters, filters == 1 ? "" : "s");
	if (shim_supervise(plan, &opt, &s, NULL, err) < 0) {
		shim_record_output_abort(&output);
		goto out;
	}
	status = s.status;
	summary(c, &sink, &s);
	if (c->complain_output && write_complained(c, plan, p, pol, host, &s, &output) < 0 &&
	    !WIFSIGNALED(status) && WEXITSTATUS(status) == 0)
		status = SHIM_EXIT_FAILURE << 8; /* the run asked for a profile and got none */
	shim_supervision_free(&s);
out:
	if (sink.fd != STDERR_FILENO)
		close(sink.fd);
	return status;
}

int supervise_exit(int status)
{
	int sig;
	sigset_t one;

	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (!WIFSIGNALED(status))
		return SHIM_EXIT_FAILURE;
	sig = WTERMSIG(status);
	/* PID 1 is not killed by its own signals: 128+signal, as tini. */
	if (getpid() != 1) {
		fflush(NULL);
		signal(sig, SIG_DFL);
		sigemptyset(&one);
		sigaddset(&one, sig);
		sigprocmask(SIG_UNBLOCK, &one, NULL);
		raise(sig);
	}
	return 128 + sig;
}
