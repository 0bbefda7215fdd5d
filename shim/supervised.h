/* Supervised runs on the command line: --report, --complain, --init. */
#ifndef SHIM_SUPERVISED_H
#define SHIM_SUPERVISED_H

#include <stdbool.h>

#include "seccomp-shim/exec.h"

struct supervise_cli {
	bool report; /* --report[=FILE] */
	const char *report_file; /* NULL: stderr */
	const char *report_format; /* text (default) or json */
	bool complain; /* --complain */
	const char *complain_output; /* --complain-output FILE */
	bool init; /* --init */
	bool signal_group; /* --signal-group */
	bool quiet, verbose;
};

/* Whether the run is supervised at all. */
bool supervise_wanted(const struct supervise_cli *c);
/* Checks the options together; 0 or an exit status with a message. */
int supervise_check(const struct supervise_cli *c, bool have_profile, bool unconfined);
/* Runs plan supervised and returns the target's wait status, or -1 with
 * err (exit code as a plain run's). host: what the profile was resolved
 * for (for --complain-output). */
int supervise_run(const struct supervise_cli *c, const struct shim_exec_plan *plan,
		  const struct shim_profile *p, const struct shim_policy *pol,
		  const struct shim_host *host, struct shim_error *err);
/* The shim's exit status for a target's wait status; a signal that ended
 * it ends the shim too where that is possible (not as PID 1). */
int supervise_exit(int status);

#endif
