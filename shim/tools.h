/* The subcommands that look at a profile without running it. */
#ifndef SHIM_TOOLS_H
#define SHIM_TOOLS_H

/* Runs argv[1] if it names one (check, explain, eval, export, compile,
 * diff) and returns its exit status; -1 if it names none. */
int tool_main(int argc, char **argv);
/* seccomp-shim completion bash: prints the bash completion script. */
int completion_main(int argc, char **argv);

#endif
