/* seccomp-shim: confine one program with a Docker/OCI seccomp profile.
 *
 * The pipeline runs one way:
 *   shim_profile_load  (bytes -> struct shim_profile, with source positions)
 *   shim_resolve       (profile + host -> struct shim_policy, OCI form)
 *   shim_compile       (policy -> struct shim_filter, classic BPF)
 *   shim_exec_confined (caps, no_new_privs, filter, execve)
 *
 * Error rule (every function here): a function that can fail takes a
 * struct shim_error *, returns a negative value and fills it on failure;
 * success returns >= 0 and leaves it untouched. lib/ never prints and never
 * exits; only shim/ turns an error into a message and an exit code.
 */
#ifndef SECCOMP_SHIM_H
#define SECCOMP_SHIM_H

/* One header per stage, each with what it builds on; this one has them
 * all. A module includes the stage it needs. */
#include "seccomp-shim/base.h"
#include "seccomp-shim/profile.h"
#include "seccomp-shim/policy.h"
#include "seccomp-shim/inspect.h"
#include "seccomp-shim/write.h"
#include "seccomp-shim/container.h"
#include "seccomp-shim/exec.h"

#endif
