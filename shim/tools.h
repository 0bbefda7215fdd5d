/* The subcommands (everything but the run). */
#ifndef SHIM_TOOLS_H
#define SHIM_TOOLS_H

#include "cli.h"

/* Runs the command args names (any but CLI_RUN) and returns its exit
 * status. */
int tool_main(const struct cli_args *args);
/* seccomp-shim completion bash: prints the bash completion script. */
int completion_main(const struct cli_args *args);

#endif
