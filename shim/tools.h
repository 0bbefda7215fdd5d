/* The subcommands (everything but the run): tool_main (shim/tools.c)
 * sends each to its cmd_* function, in one file per family. */
#ifndef SHIM_TOOLS_H
#define SHIM_TOOLS_H

#include "cli.h"

/* Runs the command args names (any but CLI_RUN) and returns its exit
 * status. */
int tool_main(const struct cli_args *args);
/* seccomp-shim completion bash: prints the bash completion script. */
int completion_main(const struct cli_args *args);

/* "seccomp-shim: CMD: ..." on stderr; returns code. */
int tool_die(int code, const char *cmd, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* ref through the pipeline for host (warnings on stderr unless -q);
 * 0, or code after saying why. */
int tool_load(const char *cmd, const char *ref, const struct cli_args *o,
	      const struct shim_host *host, struct shim_compiled *c, int code);
/* tool_host, then tool_load of ref for that host: the start of every
 * subcommand that reads one profile (usage errors exit 125). */
int tool_host_load(const char *cmd, const struct cli_args *o, const char *ref,
		   struct shim_host *host, struct shim_compiled *c);
/* The machine a profile is resolved for: this one, or --arch, holding
 * --caps; 0, or code after saying why. */
int tool_host(const char *cmd, const struct cli_args *o, struct shim_host *host, int code);
/* Says on stderr (unless -q) which arch and capabilities the profile was
 * resolved for. */
void tool_say_resolved(const char *cmd, const struct cli_args *o, const struct shim_host *host);
/* Writes t to stdout and frees it; -1 when it could not. */
int tool_print(struct shim_text *t);
/* Writes t to path (NULL: stdout) and frees it; 0, or 125 after saying
 * why. */
int tool_write_output(const char *cmd, const char *path, struct shim_text *t);

/* A subcommand: runs it and returns its exit status. */
typedef int tool_fn(const struct cli_args *args);

/* check, explain, eval, diff (shim/tool-look.c). */
tool_fn cmd_check, cmd_explain, cmd_eval, cmd_diff;
/* export, compile, record, new (shim/tool-write.c). */
tool_fn cmd_export, cmd_compile, cmd_record, cmd_new;
/* oci convert, wrap, unwrap (shim/tool-oci.c). */
tool_fn cmd_oci_convert, cmd_oci_wrap, cmd_oci_unwrap;
/* seccomp-shim inspect PID and features (shim/inspect.c). */
tool_fn cmd_inspect, cmd_features;

#endif
