/* The subcommands that write: export, compile, record, new. shim/cli.c
 * has read their options and arguments; these run them and write. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "seccomp-shim.h"
#include "cli.h"
#include "diag.h"
#include "tools.h"

/* export PROFILE --format bpf|pfc|oci|json [-o FILE] */
int cmd_export(const struct cli_args *op)
{
	const struct cli_args o = *op;
	struct shim_host host;
	struct shim_compiled c;
	struct shim_error err = { 0 };
	struct shim_text out = { 0 };
	const char *f;
	int r;

	f = o.format ? o.format : "json";
	if ((r = tool_host_load("export", &o, o.rest[0], &host, &c)))
		return r;
	tool_say_resolved("export", &o, &host);
	if (strcmp(f, "pfc") == 0) {
		int fd = o.output ? open(o.output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) : 1;
		if (fd < 0)
			shim_error_set(&err, errno, "cannot write %s: %s", o.output, strerror(errno));
		r = fd < 0 ? -1 : shim_export_pfc(c.profile, &c.pol, &o.compile, fd, &err);
		if (o.output && fd >= 0 && close(fd) < 0 && r == 0) {
			shim_error_set(&err, errno, "cannot write %s: %s", o.output, strerror(errno));
			r = -1;
		}
		shim_compiled_free(&c);
		return r < 0 ? tool_die(SHIM_EXIT_FAILURE, "export", "%s", diag_error_text(&err)) : 0;
	}
	if (strcmp(f, "json") == 0) {
		r = shim_export_json(c.profile, &out, &err);
	} else if (strcmp(f, "oci") == 0) {
		r = shim_export_oci(&c.pol, &out, &err);
	} else {
		/* Raw struct sock_filter[], as bwrap --seccomp FD reads it. */
		size_t size = c.filter.n_insns * sizeof(c.filter.insns[0]);
		out.s = malloc(size);
		if (out.s) {
			memcpy(out.s, c.filter.insns, size);
			out.len = out.cap = size;
		} else {
			shim_error_set(&err, ENOMEM, "out of memory");
			r = -1;
		}
	}
	shim_compiled_free(&c);
	if (r < 0) {
		shim_text_free(&out);
		return tool_die(SHIM_EXIT_FAILURE, "export", "%s", diag_error_text(&err));
	}
	return tool_write_output("export", o.output, &out);
}

/* compile PROFILE -o FILE: BPF with a header, for --bpf FILE. */
int cmd_compile(const struct cli_args *op)
{
	const struct cli_args o = *op;
	struct shim_host host;
	struct shim_compiled c;
	struct shim_error err = { 0 };
	int fd, r;

	if ((r = tool_host_load("compile", &o, o.rest[0], &host, &c)))
		return r;
	tool_say_resolved("compile", &o, &host);
	fd = open(o.output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		shim_compiled_free(&c);
		return tool_die(SHIM_EXIT_FAILURE, "compile", "cannot write %s", o.output);
	}
	r = shim_bpf_file_write(fd, c.profile, &host, &c.filter, &err);
	if (close(fd) < 0 && r == 0) {
		shim_error_set(&err, errno, "cannot write %s: %s", o.output, strerror(errno));
		r = -1;
	}
	shim_compiled_free(&c);
	return r < 0 ? tool_die(SHIM_EXIT_FAILURE, "compile", "%s", diag_error_text(&err)) : 0;
}

/* --errno: a name (EPERM, ENOSYS) or a number up to 4094. */
static int parse_errno(const char *cmd, const char *name, int *out)
{
	char *end;
	long v;

	if (shim_errno_from_name(name, out) == 0)
		return 0;
	errno = 0;
	v = strtol(name, &end, 10);
	if (errno || end == name || *end || v < 0 || v > 4094)
		return tool_die(SHIM_EXIT_FAILURE, cmd, "--errno takes a name like EPERM or ENOSYS, or a number up to 4094, not \"%s\"", name);
	*out = (int)v;
	return 0;
}

/* What record has to say besides the profile: warnings, a listener the
 * command wanted, --stats. */
static void record_say(const struct cli_args *o, const struct shim_recording *rec,
		       struct shim_warnings *warn)
{
	struct shim_text stats = { 0 };

	for (size_t i = 0; !o->quiet && i < warn->n; i++)
		fprintf(stderr, "seccomp-shim: warning: %s\n", diag_warning_text(warn, i));
	shim_warnings_free(warn);
	if (rec->wanted_listener)
		fprintf(stderr, "seccomp-shim: record: the command asked for its own seccomp listener (SECCOMP_FILTER_FLAG_NEW_LISTENER); the kernel allows one per process tree, so it got EBUSY and that path was not recorded as it would run\n");
	if (o->stats) {
		shim_recording_stats(rec, &stats);
		fwrite(stats.s ? stats.s : "", 1, stats.len, stderr);
		shim_text_free(&stats);
	}
}

/* record -o OUT [--merge P] [--format docker|oci] [--errno E] [--wide] [--stats] -- CMD */
int cmd_record(const struct cli_args *op)
{
	extern char **environ;
	const struct cli_args o = *op;
	struct shim_error err = { 0 };
	struct shim_warnings warn = { 0 };
	struct shim_recording rec;
	struct shim_profile *merge = NULL;
	struct shim_text out = { 0 };
	struct shim_record_output output;
	unsigned long long total;
	size_t distinct;
	enum shim_ref_kind kind;
	struct shim_text command = { 0 };
	char *path = NULL;
	int errno_ret = EPERM, r, status;

	if (o.errno_name && (r = parse_errno("record", o.errno_name, &errno_ret)))
		return r;
	if (o.merge && (shim_profile_open_ref(o.merge, o.profile_root, &merge, &kind, NULL, &err) < 0 ||
			shim_record_merge_check(merge, &err) < 0)) {
		shim_profile_free(merge);
		return tool_die(SHIM_EXIT_FAILURE, "record", "%s", diag_error_text(&err));
	}
	if (shim_find_program(o.rest[0], getenv("PATH"), &path, &err) < 0) {
		shim_profile_free(merge);
		return tool_die(err.exit_code, "record", "%s", diag_error_text(&err));
	}
	/* Before the command runs: a run must not end in "cannot write". */
	if (shim_record_output_open(o.output, &output, &err) < 0) {
		free(path);
		shim_profile_free(merge);
		return tool_die(SHIM_EXIT_FAILURE, "record", "%s; the command was not run", diag_error_text(&err));
	}
	if (shim_record_run(path, o.rest, environ, &rec, &err) < 0) {
		shim_record_output_abort(&output);
		free(path);
		shim_profile_free(merge);
		return tool_die(SHIM_EXIT_FAILURE, "record", "%s", diag_error_text(&err));
	}
	for (int i = 0; i < o.n_rest; i++)
		shim_text_shell_quote(&command, o.rest[i], i > 0);
	struct shim_record_options ropt = {
		.merge = merge, .errno_ret = errno_ret, .wide = o.wide,
		.command = o.format && strcmp(o.format, "oci") == 0 ? NULL : command.s,
	};
	r = command.oom ? (shim_error_set(&err, ENOMEM, "out of memory"), -1)
			: shim_record_profile(&rec, &ropt, &out, &warn, &err);
	shim_text_free(&command);
	record_say(&o, &rec, &warn);
	status = rec.status;
	total = rec.total;
	distinct = rec.n;
	shim_recording_free(&rec);
	shim_profile_free(merge);
	free(path);
	if (r < 0 || shim_record_output_commit(&output, &out, &err) < 0) {
		if (r < 0)
			shim_record_output_abort(&output);
		shim_text_free(&out);
		return tool_die(SHIM_EXIT_FAILURE, "record", "%s", diag_error_text(&err));
	}
	shim_text_free(&out);
	if (!o.quiet)
		fprintf(stderr, "seccomp-shim: recorded %llu syscalls, %zu distinct; wrote %s\n",
			(unsigned long long)total, distinct, o.output);
	/* The command's own status, as if it had run alone. */
	return WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : SHIM_EXIT_FAILURE;
}

/* --default-action: errno, kill-process, kill-thread (kill), trap, log,
 * allow, or an SCMP_ACT_ name. */
static int parse_default_action(const char *name, enum shim_action_kind *out)
{
	static const struct { const char *name; enum shim_action_kind kind; } short_names[] = {
		{ "errno", SHIM_ACT_ERRNO }, { "kill-process", SHIM_ACT_KILL_PROCESS },
		{ "kill-thread", SHIM_ACT_KILL_THREAD }, { "kill", SHIM_ACT_KILL_THREAD },
		{ "trap", SHIM_ACT_TRAP }, { "log", SHIM_ACT_LOG }, { "allow", SHIM_ACT_ALLOW },
	};

	for (size_t i = 0; i < sizeof(short_names) / sizeof(short_names[0]); i++)
		if (strcmp(name, short_names[i].name) == 0) {
			*out = short_names[i].kind;
			return 0;
		}
	if (shim_action_from_name(name, out) == 0)
		return 0;
	return tool_die(SHIM_EXIT_FAILURE, "new", "unknown default action \"%s\" (errno, kill-process, kill-thread, trap, log or allow)", name);
}

/* new --list: every group, what it is for and its members. */
static int new_list(void)
{
	struct shim_text out = { 0 };
	size_t n;
	const struct shim_group *g = shim_groups(&n);

	for (size_t i = 0; i < n; i++) {
		shim_text_printf(&out, "%s: %s\n", g[i].name, g[i].summary);
		/* Members wrapped at about 72 columns, indented. */
		for (const char *p = g[i].members; *p;) {
			size_t col = 4;
			shim_text_printf(&out, "   ");
			while (*p) {
				size_t len = strcspn(p, " ");
				if (col > 4 && col + 1 + len > 76)
					break;
				shim_text_printf(&out, " %.*s", (int)len, p);
				col += 1 + len;
				p += len;
				p += strspn(p, " ");
			}
			shim_text_printf(&out, "\n");
		}
	}
	return tool_print(&out) < 0 ? SHIM_EXIT_FAILURE : 0;
}

/* The command line that made the profile, for its comment. */
static void new_comment(const struct cli_args *o, const struct shim_new_request *rq,
			char *buf, size_t len)
{
	size_t used = (size_t)snprintf(buf, len, "Written by seccomp-shim new");

	for (size_t i = 0; i < rq->n_allow && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, " --allow %s", rq->allow[i]);
	for (size_t i = 0; i < rq->n_deny && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, " --deny %s", rq->deny[i]);
	if (o->default_action && used < len)
		used += (size_t)snprintf(buf + used, len - used, " --default-action %s", o->default_action);
	if (o->errno_name && used < len)
		used += (size_t)snprintf(buf + used, len - used, " --errno %s", o->errno_name);
	if (o->arch && used < len)
		snprintf(buf + used, len - used, " --arch %s", o->arch);
}

/* What check would say of the profile just written: the same findings,
 * as warnings (the profile is what was asked for). */
static void new_check(const struct cli_args *o, const struct shim_text *t, uint32_t arch)
{
	struct shim_host host;
	struct shim_error err = { 0 };
	struct shim_warnings warn = { 0 };
	struct shim_findings f = { 0 };
	struct shim_compiled c;
	struct shim_text out = { 0 };
	const char *name = o->output ? o->output : "(the new profile)";
	struct shim_source src = { .name = (char *)name, .text = t->s, .len = t->len };
	struct shim_pipeline_options po = { .compile = &o->compile, .want_profile = true };

	if (o->quiet || tool_host("new", o, &host, SHIM_EXIT_FAILURE))
		return;
	if (shim_pipeline_source(&src, &host, &po, &c, &warn, &err) < 0) {
		fprintf(stderr, "seccomp-shim: new: internal: the profile written does not compile: %s\n", diag_error_text(&err));
	} else {
		for (size_t k = 0; k < warn.n; k++)
			shim_findings_add(&f, shim_warning_diag(&warn, k));
		shim_lint(c.profile, &c.pol, &c.filter, arch, &f);
		diag_findings_format(&f, false, &out);
		if (out.len)
			fprintf(stderr, "seccomp-shim: new: what check says of it:\n%.*s", (int)out.len, out.s);
		shim_compiled_free(&c);
	}
	shim_text_free(&out);
	shim_findings_free(&f);
	shim_warnings_free(&warn);
}

/* new --allow LIST [--deny LIST] [--default-action A] [--errno E] [--arch A] [-o FILE] */
int cmd_new(const struct cli_args *op)
{
	const struct cli_args o = *op;
	struct shim_new_request rq = { .allow = o.allow, .n_allow = o.n_allow,
				       .deny = o.deny, .n_deny = o.n_deny };
	struct shim_error err = { 0 };
	struct shim_warnings warn = { 0 };
	struct shim_text out = { 0 };
	char comment[2048];
	int errno_ret = EPERM, r;

	if (o.list && !o.n_allow && !o.n_deny)
		return new_list();
	if (o.list)
		return tool_die(SHIM_EXIT_FAILURE, "new", "--list goes alone: it prints the groups and writes no profile");
	if (!o.n_allow && !o.n_deny)
		return tool_die(SHIM_EXIT_FAILURE, "new", "what to allow? give --allow LIST or --deny LIST (syscall names and @groups, comma-separated; seccomp-shim new --list shows the groups)");
	if (o.errno_name && (r = parse_errno("new", o.errno_name, &errno_ret)))
		return r;
	rq.default_action.kind = SHIM_ACT_ERRNO;
	if (o.default_action && (r = parse_default_action(o.default_action, &rq.default_action.kind)))
		return r;
	if (rq.default_action.kind == SHIM_ACT_ERRNO)
		rq.default_action.errno_ret = (uint32_t)errno_ret;
	else if (rq.default_action.kind == SHIM_ACT_ALLOW || rq.default_action.kind == SHIM_ACT_LOG)
		rq.deny_errno = (uint32_t)errno_ret;
	else if (o.errno_name)
		return tool_die(SHIM_EXIT_FAILURE, "new", "--errno goes with default action errno (or, for what --deny names, allow and log), not %s", o.default_action);
	if (o.arch) {
		rq.arch = shim_arch_by_any(o.arch);
		if (!rq.arch || !rq.arch->token)
			return tool_die(SHIM_EXIT_FAILURE, "new", "unknown architecture \"%s\" (x86_64, aarch64, SCMP_ARCH_X86, amd64, ...)", o.arch);
	}
	new_comment(&o, &rq, comment, sizeof(comment));
	rq.comment = comment;
	r = shim_new_profile(&rq, &out, &warn, &err);
	for (size_t i = 0; !o.quiet && i < warn.n; i++)
		fprintf(stderr, "seccomp-shim: new: warning: %s\n", diag_warning_text(&warn, i));
	shim_warnings_free(&warn);
	if (r < 0) {
		shim_text_free(&out);
		return tool_die(SHIM_EXIT_FAILURE, "new", "%s", diag_error_text(&err));
	}
	new_check(&o, &out, (rq.arch ? rq.arch : shim_arch_native())->token);
	return tool_write_output("new", o.output, &out);
}
