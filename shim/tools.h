/* The subcommands (everything but the run). */
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
/* Writes t to stdout and frees it; -1 when it could not. */
int tool_print(struct shim_text *t);

/* seccomp-shim inspect PID and features (shim/inspect.c). */
int cmd_inspect(const struct cli_args *args);
int cmd_features(const struct cli_args *args);

#endif
