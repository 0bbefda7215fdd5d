/* hook: the node policy as OCI hooks (seccomp-shim hook precreate|check),
 * for engines that take hooks rather than a runtime; the admission is
 * lib/admission.c's, as for the runtime wrapper (shim/runtime.c). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime.h"
#include "diag.h"


/* precreate: a config on stdin, the config to use on stdout. */
static int hook_precreate(const struct shim_node_policy *pol)
{
	struct shim_error err = { 0 };
	struct shim_admission adm = { 0 };
	struct shim_admission_request rq;
	struct shim_text out = { 0 };
	struct shim_host host;
	char shim_buf[PATH_MAX], *text = NULL;
	size_t len = 0;
	int r;

	if (shim_read_all(STDIN_FILENO, 65536, SHIM_CONFIG_MAX, &text, &len) < 0)
		return runtime_refuse(NULL, "config.json (stdin): %s", strerror(errno));
	r = runtime_request(pol, &host, shim_buf, sizeof(shim_buf), &rq, &err);
	rq.config_name = "config.json (precreate hook)";
	rq.exec_unprefixed = true;
	if (r == 0)
		r = shim_admit_text(&rq, text, len, &out, &adm, &err);
	free(text);
	runtime_print_notes(&adm.notes);
	shim_admission_free(&adm);
	if (r < 0) {
		shim_text_free(&out);
		return runtime_refuse(NULL, "%s", diag_error_text(&err));
	}
	fwrite(out.s, 1, out.len, stdout);
	shim_text_free(&out);
	return fflush(stdout) == 0 ? 0 : SHIM_EXIT_FAILURE;
}

/* check (createRuntime, or any hook given the container's state on
 * stdin): the bundle's config checked; what the policy would change is
 * refused, since a hook this late can change nothing. */
static int hook_check(const struct shim_node_policy *pol)
{
	struct shim_error err = { 0 };
	struct shim_admission adm = { 0 };
	struct shim_admission_request rq;
	struct shim_host host;
	char shim_buf[PATH_MAX], *text = NULL, *bundle = NULL;
	size_t len = 0;
	int r;

	if (shim_read_all(STDIN_FILENO, 4096, RUNTIME_STATE_MAX, &text, &len) < 0)
		return runtime_refuse(NULL, "the container's state (stdin): %s", strerror(errno));
	r = runtime_request(pol, &host, shim_buf, sizeof(shim_buf), &rq, &err);
	if (r == 0)
		r = shim_state_bundle(text, len, &bundle, &err);
	free(text);
	rq.bundle = bundle;
	rq.check_only = true;
	if (r == 0)
		r = shim_admit_bundle(&rq, &adm, &err);
	free(bundle);
	runtime_print_notes(&adm.notes);
	shim_admission_free(&adm);
	return r < 0 ? runtime_refuse(NULL, "%s", diag_error_text(&err)) : 0;
}

int hook_main(const struct cli_args *a)
{
	struct shim_node_policy pol;
	struct shim_error err = { 0 };
	int r;

	if (strcmp(a->rest[0], "precreate") != 0 && strcmp(a->rest[0], "check") != 0)
		return runtime_refuse(NULL, "hook: no such hook %s: give precreate (config on stdin, config on stdout) or check (the container's state on stdin)",
				      a->rest[0]);
	if (runtime_load_policy(a->policy, &pol, &err) < 0)
		return runtime_refuse(NULL, "%s", diag_error_text(&err));
	r = strcmp(a->rest[0], "precreate") == 0 ? hook_precreate(&pol) : hook_check(&pol);
	shim_node_policy_free(&pol);
	return r;
}
