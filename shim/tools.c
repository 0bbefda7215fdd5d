/* The subcommands: tool_main's table sends each to its cmd_* function
 * (shim/tool-look.c: check, explain, eval, diff; shim/tool-write.c:
 * export, compile, record, new; shim/tool-oci.c: oci convert, wrap,
 * unwrap; shim/inspect.c: inspect, features), with the helpers they
 * share; version, help and runtime are here. shim/cli.c has read their
 * options and arguments. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <seccomp.h>

#include "seccomp-shim.h"
#include "cli.h"
#include "diag.h"
#include "tools.h"
#include "runtime.h"

int tool_die(int code, const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "seccomp-shim: %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

/* The machine a profile is resolved for: this one, or --arch, holding
 * --caps (default: what a plain run would give the command). */
int tool_host(const char *cmd, const struct cli_args *o, struct shim_host *host, int code)
{
	struct shim_error err = { 0 };

	if (shim_host_detect(host, &err) < 0)
		return tool_die(code, cmd, "%s", diag_error_text(&err));
	host->bounding = shim_caps_target_set(getuid(), false, 0, false, host);
	if (o->arch) {
		host->arch = shim_arch_by_any(o->arch);
		if (!host->arch || !host->arch->token)
			return tool_die(code, cmd, "unknown architecture \"%s\" (x86_64, aarch64, SCMP_ARCH_X86, amd64, ...)", o->arch);
	}
	if (o->caps) {
		uint64_t caps = 0;
		bool all = false;
		if (shim_caps_parse_list(o->caps, &caps, &all, &err) < 0)
			return tool_die(code, cmd, "%s", diag_error_text(&err));
		host->bounding = all ? shim_caps_all() : caps;
	}
	return 0;
}

/* includes/excludes depend on both: say which were used, so that a
 * filter exported as root is not taken for one without capabilities. */
void tool_say_resolved(const char *cmd, const struct cli_args *o, const struct shim_host *host)
{
	uint64_t all = shim_caps_all(), missing = all & ~host->bounding;
	char caps[1024] = "all but ";

	if (o->quiet)
		return;
	if (!missing)
		snprintf(caps, sizeof(caps), "all");
	else if (__builtin_popcountll(missing) < __builtin_popcountll(all) / 2)
		shim_caps_format(missing, caps + 8, sizeof(caps) - 8);
	else
		shim_caps_format(host->bounding, caps, sizeof(caps));
	fprintf(stderr, "seccomp-shim: %s: resolved for %s, for a command holding these capabilities: %s%s\n",
		cmd, host->arch->oci, caps,
		o->caps ? "" : " (what a plain run would give it here; --caps LIST to choose)");
}

int tool_load(const char *cmd, const char *ref, const struct cli_args *o,
		const struct shim_host *host, struct shim_compiled *c, int code)
{
	struct shim_error err = { 0 };
	struct shim_warnings warn = { 0 };
	int r = shim_compiled_load(ref, o->profile_root, host, &o->compile, c, &warn, &err);

	for (size_t i = 0; !o->quiet && i < warn.n; i++)
		fprintf(stderr, "seccomp-shim: warning: %s\n", diag_warning_text(&warn, i));
	shim_warnings_free(&warn);
	if (r < 0)
		return tool_die(code, cmd, "%s", diag_error_text(&err));
	return 0;
}

int tool_host_load(const char *cmd, const struct cli_args *o, const char *ref,
		   struct shim_host *host, struct shim_compiled *c)
{
	int r = tool_host(cmd, o, host, SHIM_EXIT_FAILURE);

	return r ? r : tool_load(cmd, ref, o, host, c, SHIM_EXIT_FAILURE);
}

int tool_print(struct shim_text *t)
{
	int r = 0;

	if (t->s && fwrite(t->s, 1, t->len, stdout) != t->len)
		r = -1;
	if (t->oom)
		fprintf(stderr, "seccomp-shim: out of memory: the output is cut short\n");
	shim_text_free(t);
	return fflush(stdout) == 0 && r == 0 && !t->oom ? 0 : -1;
}

int tool_write_output(const char *cmd, const char *path, struct shim_text *t)
{
	int fd = path ? open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) : 1;

	if (fd < 0)
		return tool_die(SHIM_EXIT_FAILURE, cmd, "cannot write %s", path);
	if (t->s && write(fd, t->s, t->len) != (ssize_t)t->len) {
		if (path)
			close(fd);
		shim_text_free(t);
		return tool_die(SHIM_EXIT_FAILURE, cmd, "cannot write %s", path ? path : "the output");
	}
	if (path && close(fd) < 0)
		return tool_die(SHIM_EXIT_FAILURE, cmd, "cannot write %s", path);
	shim_text_free(t);
	return 0;
}

static int version(void)
{
	const struct scmp_version *v = seccomp_version();

	printf("seccomp-shim %s\nbuild %s\nlibseccomp %u.%u.%u\n", SHIM_VERSION, shim_build_id(),
	       v->major, v->minor, v->micro);
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : SHIM_EXIT_FAILURE;
}

/* seccomp-shim runtime with nothing to pass on (the wrapper itself is
 * runtime_main, reached before the parser). */
static int cmd_runtime(const struct cli_args *a)
{
	if (a->n_rest > 0)
		return runtime_main(a->n_rest, a->rest, a->policy);
	return tool_die(SHIM_EXIT_FAILURE, "runtime", "no runtime arguments given (seccomp-shim runtime [--policy FILE] RUNTIME-ARGS...)");
}

static int help(const struct cli_args *a)
{
	cli_help(stdout, a->topic, a->topic_sub);
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : SHIM_EXIT_FAILURE;
}

int tool_main(const struct cli_args *a)
{
	static const struct {
		enum cli_cmd cmd;
		int (*run)(const struct cli_args *);
	} tools[] = {
		{ CLI_HELP, help },
		{ CLI_COMPLETION, completion_main },
		{ CLI_CHECK, cmd_check },
		{ CLI_EXPLAIN, cmd_explain },
		{ CLI_EVAL, cmd_eval },
		{ CLI_EXPORT, cmd_export },
		{ CLI_COMPILE, cmd_compile },
		{ CLI_DIFF, cmd_diff },
		{ CLI_OCI_CONVERT, cmd_oci_convert },
		{ CLI_OCI_WRAP, cmd_oci_wrap },
		{ CLI_OCI_UNWRAP, cmd_oci_unwrap },
		{ CLI_RECORD, cmd_record },
		{ CLI_NEW, cmd_new },
		{ CLI_RUNTIME, cmd_runtime },
		{ CLI_HOOK, hook_main },
		{ CLI_INSPECT, cmd_inspect },
		{ CLI_FEATURES, cmd_features },
	};

	if (a->cmd == CLI_VERSION)
		return version();
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		if (tools[i].cmd == a->cmd)
			return tools[i].run(a);
	return tool_die(SHIM_EXIT_FAILURE, "internal", "no handler for command %d", a->cmd);
}
