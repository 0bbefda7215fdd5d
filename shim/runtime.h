/* seccomp-shim as an OCI runtime wrapper (shim/runtime.c) and as OCI hooks
 * (shim/hook.c). */
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
/* What the wrapper and the hooks share (shim/runtime.c). */
/* The most a container's state (runc state, an OCI hook's stdin) may be. */
#define RUNTIME_STATE_MAX (16u << 20)
struct runtime_call;
/* A refusal: "seccomp-shim: MSG" on stderr and, for the wrapper (c not
 * NULL), in the runtime's --log in its format; returns 125. */
int runtime_refuse(const struct runtime_call *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The node policy: named, else $SECCOMP_SHIM_POLICY, else the default. */
int runtime_load_policy(const char *named, struct shim_node_policy *pol, struct shim_error *err);
void runtime_print_notes(const struct shim_warnings *notes);
/* An admission request for this machine, with the static shim to mount. */
int runtime_request(const struct shim_node_policy *pol, struct shim_host *host, char *shim_buf,
		    size_t len, struct shim_admission_request *rq, struct shim_error *err);

/* seccomp-shim hook precreate|check [--policy FILE] */
int hook_main(const struct cli_args *args);

#endif
