/* seccomp-shim: containers: OCI bundles, the node policy and its admission (lib/include/seccomp-shim.h says how the stages go). */
#ifndef SECCOMP_SHIM_CONTAINER_H
#define SECCOMP_SHIM_CONTAINER_H

#include "seccomp-shim/inspect.h"

/* ---- OCI bundles -------------------------------------------------------- */

/* process.capabilities.bounding of BUNDLE/config.json. */
int shim_oci_bundle_caps(const char *bundle, uint64_t *caps, struct shim_error *err);
/* Puts an OCI linux.seccomp object (JSON text) into BUNDLE/config.json;
 * the previous file is kept as config.json.orig. */
int shim_oci_set_seccomp(const char *bundle, const char *seccomp_json, struct shim_error *err);
/* Prefixes process.args with the shim, bind-mounted read-only from a copy
 * of shim_path (a static binary) written into the bundle with the profile
 * text: the bundle does not depend on where shim_path was. *already: it
 * was wrapped before, and nothing changed. */
int shim_oci_wrap(const char *bundle, const char *shim_path, const char *profile_text,
		  size_t profile_len, bool *already, struct shim_error *err);
struct shim_oci_unwrapped {
	bool was_wrapped; /* false: nothing to undo */
	bool kept_backup; /* config.json.orig is not wrap's backup, and stays */
	bool left_mount_points; /* ROOT/.seccomp-shim stays: mounted, or not only ours */
};
/* Undoes shim_oci_wrap: config.json as it was (byte for byte from
 * config.json.orig, which goes, when that is wrap's backup), without the
 * shim's copy, the profile and the mount points a runtime made. */
int shim_oci_unwrap(const char *bundle, struct shim_oci_unwrapped *res, struct shim_error *err);

/* ---- the node policy, applied to containers (runtime wrapper, hooks) ---- */

#define SHIM_POLICY_DEFAULT_PATH "/etc/seccomp-shim/policy.json"
/* A profile for this container: a built-in name, a file the policy
 * allows, or "unconfined" (if the policy allows it). */
#define SHIM_ANNOTATION_PROFILE "org.seccomp-shim.profile"
/* "true" or "false": denials reported in the container's log. */
#define SHIM_ANNOTATION_REPORT "org.seccomp-shim.report"
/* Set by seccomp-shim: what the policy did to the container. */
#define SHIM_ANNOTATION_APPLIED "org.seccomp-shim.applied"
/* Set by seccomp-shim: the reporting shim's arguments (JSON array), for
 * prefixing every exec into the container the same way. */
#define SHIM_ANNOTATION_INJECTED "org.seccomp-shim.report-prefix"
/* Where oci wrap and reporting mount the shim in a container. */
#define SHIM_INJECT_DIR "/.seccomp-shim"
/* The largest config.json (and exec process) read. */
#define SHIM_CONFIG_MAX (64u << 20)

enum shim_report_mode { SHIM_REPORT_OFF, SHIM_REPORT_ON, SHIM_REPORT_ALWAYS };

struct shim_node_policy {
	char *file; /* where it was read; NULL: no file, the defaults */
	char *runtime; /* the real runtime (path or name); NULL: runc */
	char *default_profile; /* for a container without linux.seccomp; "refuse", "unconfined" */
	bool replace_engine_profiles; /* the engine's linux.seccomp is replaced by the default */
	bool allow_unconfined; /* an annotation may ask for no filter */
	bool refuse_allow_by_default; /* a profile whose default action is ALLOW or LOG */
	bool require_nnp;
	bool has_max_caps;
	uint64_t max_caps;
	bool has_allowed;
	char **allowed; /* built-in names, files, directories ending in / */
	size_t n_allowed;
	enum shim_report_mode report;
	char *shim; /* the static shim reporting mounts; NULL: beside the binary */
};

void shim_node_policy_defaults(struct shim_node_policy *p);
/* Reads and checks a policy file (owned by root or the caller, writable by
 * no one else). A missing file that was not named (the default path)
 * gives the defaults. */
int shim_node_policy_load(const char *path, bool named, struct shim_node_policy *out,
			  struct shim_error *err);
int shim_node_policy_parse(const char *name, const char *text, size_t len,
			   struct shim_node_policy *out, struct shim_error *err);
/* Whether a container may name ref (annotation): allowedProfiles, or
 * built-in profiles when the policy lists none. */
bool shim_node_policy_allows(const struct shim_node_policy *p, const char *ref);
void shim_node_policy_free(struct shim_node_policy *p);

struct shim_admission_request {
	const struct shim_node_policy *policy;
	const struct shim_host *host; /* this machine; the bounding set is the container's */
	const char *config_name; /* for messages: "BUNDLE/config.json", "config.json (stdin)" */
	const char *bundle; /* the bundle directory, or NULL (the precreate hook) */
	struct json_t *config; /* edited in place */
	const char *shim_path; /* the static shim, for reporting; NULL: none */
	bool check_only; /* the createRuntime hook: nothing can be changed */
	/* The precreate hook: exec goes to the runtime unchanged, never
	 * prefixed, and reporting removes linux.seccomp: no reporting. */
	bool exec_unprefixed;
};

struct shim_admission {
	bool changed; /* config edited: write it back */
	bool reporting; /* the reporting shim was injected */
	char applied[512]; /* what was done, for the annotation and the log */
	struct shim_warnings notes;
};

/* Applies the node policy to a container's config (lib/admission.c):
 * 0 and the edits made (none when the policy has nothing to say), or -1
 * and the refusal, naming the policy rule and the container's field. */
int shim_admit(const struct shim_admission_request *rq, struct shim_admission *out,
	       struct shim_error *err);
void shim_admission_free(struct shim_admission *out);
/* The same on rq->bundle's config.json, written back (atomically, its
 * mode kept) when edited; with check_only a change is a refusal too. */
int shim_admit_bundle(const struct shim_admission_request *rq, struct shim_admission *out,
		      struct shim_error *err);
/* The same on a config given as text (the precreate hook): result is the
 * config to use. */
int shim_admit_text(const struct shim_admission_request *rq, const char *text, size_t len,
		    struct shim_text *result, struct shim_admission *out, struct shim_error *err);
/* The bundle of a container's state (what an OCI hook reads on stdin). */
int shim_state_bundle(const char *text, size_t len, char **bundle, struct shim_error *err);
struct shim_argv {
	char **v;
	size_t n;
};
/* From a container's state (runc state ID): the reporting shim's
 * arguments it was created with: 1 and out, 0 when it has none. */
int shim_state_report_prefix(const char *text, size_t len, struct shim_argv *out,
			     struct shim_error *err);
void shim_argv_free(struct shim_argv *a);
/* All of fd, at most max bytes (EFBIG beyond), NUL-terminated. */
int shim_read_all(int fd, size_t hint, size_t max, char **out, size_t *len);
/* An exec into a container (runc exec --process FILE, --cap NAME...)
 * within the policy's maxCapabilities: the container was admitted, and a
 * process added to it may hold no more. */
int shim_exec_admit(const struct shim_node_policy *pol, const char *process_file,
		    char *const *added_caps, size_t n_added, struct shim_error *err);
/* An exec's process file (runc exec --process) with prefix before args. */
int shim_process_prefixed(const char *path, const struct shim_argv *prefix, struct shim_text *out,
			  struct shim_error *err);
/* The static shim's bytes: an ELF program with no interpreter (one that
 * runs in an image that has nothing else). */
int shim_static_shim_read(const char *path, char **data, size_t *len, struct shim_error *err);

#endif
