/* seccomp-shim as an OCI runtime wrapper and as OCI hooks (shim/runtime.c). */
#ifndef SHIM_RUNTIME_H
#define SHIM_RUNTIME_H

#include "cli.h"

/* seccomp-shim runtime [--policy FILE] ARGS..., seccomp-shim-runc ARGS...:
 * the real runtime run with ARGS (this process replaced), after the
 * policy is applied; returns only on a refusal or an error. */
int runtime_main(int argc, char **argv, const char *policy_file);
/* The arguments after "seccomp-shim runtime": [--policy FILE] [--]
 * then the runtime's. */
int runtime_cli(int argc, char **argv);
/* seccomp-shim hook precreate|check [--policy FILE] */
int hook_main(const struct cli_args *args);

#endif
