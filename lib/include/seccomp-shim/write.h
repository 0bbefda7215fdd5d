/* seccomp-shim: profiles and filters written: new, export, compiled filter files, the cache, record (lib/include/seccomp-shim.h says how the stages go). */
#ifndef SECCOMP_SHIM_WRITE_H
#define SECCOMP_SHIM_WRITE_H

#include "seccomp-shim/inspect.h"

/* ---- writing a profile from syscall groups (seccomp-shim new) ---------- */

/* A named set of syscalls, as systemd's SystemCallFilter= knows it. */
struct shim_group {
	const char *name; /* "@system-service" */
	const char *summary;
	const char *members; /* names and @groups, separated by one space */
};

/* Every group, in order of name. */
const struct shim_group *shim_groups(size_t *n);
/* The group called name ("@mount"), or NULL. */
const struct shim_group *shim_group_find(const char *name);
/* Appends what spec means to names[] (each name strdup'd; names may
 * repeat): a syscall name as it is, or a @group's members, nested groups
 * expanded. An unknown group is an error. */
int shim_group_expand(const char *spec, char ***names, size_t *n, struct shim_error *err);

struct shim_new_request {
	char *const *allow; /* syscall names and @groups */
	size_t n_allow;
	char *const *deny; /* the same; a name in both is denied */
	size_t n_deny;
	struct shim_action default_action; /* kind 0: ERRNO(EPERM) */
	uint32_t deny_errno; /* denies, when the default lets calls through; 0: EPERM */
	const struct shim_arch_info *arch; /* whose family the profile is for; NULL: native */
	const char *comment; /* or NULL */
};

/* The architectures a profile for arch lists: arch and the ABIs its
 * kernel also runs (x86_64: x86 and x32), as runtime/default's archMap.
 * Returns how many were written to out (at most max). */
size_t shim_arch_family(const struct shim_arch_info *arch, const struct shim_arch_info **out,
			size_t max);

/* A standard profile (defaultAction, defaultErrnoRet, architectures,
 * syscalls with names and an action: what runc, crun and Docker read)
 * allowing rq->allow and @default minus rq->deny, by name, sorted. Names
 * that exist on none of the family's architectures are left out: those
 * libseccomp does not know at all are said in a warning (one, for group
 * members), a plain name given by the caller that it does not know is an
 * error. */
int shim_new_profile(const struct shim_new_request *rq, struct shim_text *out,
		     struct shim_warnings *warn, struct shim_error *err);

/* ---- export and compiled filter files ----------------------------------- */

/* The profile in Docker's format, normalized: canonical names, every
 * default spelt out, "comment" fields kept. Compiles to the same filter. */
int shim_export_json(const struct shim_profile *p, struct shim_text *out, struct shim_error *err);
/* The resolved OCI linux.seccomp object (what runc's config.json takes). */
int shim_export_oci(const struct shim_policy *pol, struct shim_text *out, struct shim_error *err);
/* The same, for a runtime to apply: with the filter f (compiled for arch),
 * the syscalls runc's init makes between loading the filter and execve are
 * allowed by one more rule where f denies them; their names go to added. */
int shim_export_oci_for_runtime(const struct shim_policy *pol, const struct shim_filter *f,
				uint32_t arch, struct shim_text *out, struct shim_text *added,
				struct shim_error *err);
/* libseccomp's PFC text of the policy, written to fd (the ENOSYS stub
 * in front of it is noted in a comment). */
int shim_export_pfc(const struct shim_profile *p, const struct shim_policy *pol,
		    const struct shim_compile_options *opt, int fd, struct shim_error *err);
/* A compiled filter with a header: the arch, kernel and capabilities it
 * was resolved for and SHA-256 hashes of the profile and program. */
int shim_bpf_file_write(int fd, const struct shim_profile *p, const struct shim_host *host,
			const struct shim_filter *f, struct shim_error *err);
/* Reads one back; refused unless host matches the header. */
int shim_bpf_file_read(const char *path, const struct shim_host *host,
		       struct shim_filter *out, struct shim_error *err);

/* ---- the compiled-filter cache ----------------------------------------- */

/* Everything that decides the program, hashed: the profile bytes and
 * name, the capabilities the command will hold, arch, kernel release,
 * supported flags, libseccomp and shim versions, options. */
void shim_cache_key(const struct shim_source *src, const struct shim_host *host,
		    const struct shim_compile_options *opt, uint8_t key[32]);
/* /var/cache/seccomp-shim for root; -1 for anyone else, who cannot seal
 * entries (the environment is never consulted). */
int shim_cache_dir_default(char *buf, size_t len);
/* Whether this process can use a cache at all: entries are sealed with a
 * trusted.* extended attribute, which needs root with CAP_SYS_ADMIN. */
bool shim_cache_usable(void);
/* A hash of the sources this binary was built from. */
const char *shim_build_id(void);
/* 1 and the filter when a sealed entry matches, with the warnings
 * compiling it gave added to warn; 0 otherwise. */
int shim_cache_load(const char *dir, const uint8_t key[32], const struct shim_host *host,
		    struct shim_filter *out, struct shim_warnings *warn);
/* Stores the filter with the warnings compiling it gave, atomically, and
 * keeps the directory bounded; -1 (and nothing said) when the cache
 * cannot be written or a warning is not one a cached run may repeat
 * (only "unknown syscall skipped" ones are). */
int shim_cache_store(const char *dir, const uint8_t key[32], const struct shim_profile *p,
		     const struct shim_host *host, const struct shim_filter *f,
		     const struct shim_warnings *warn);

/* ---- record ------------------------------------------------------------ */

/* A call whose danger is in one argument (socket's family, clone's
 * namespace flags, ioctl's request, ...) is allowed for at most this
 * many values of it; more, and for any. */
#define SHIM_RECORD_MAX_VALUES 64

/* The calls counted (a hash table by arch and number) and the values of
 * those whose danger is in one argument: lib/'s own. */
struct shim_record_table;

struct shim_recording {
	struct shim_record_table *table;
	size_t n; /* distinct (arch, nr) */
	uint64_t total;
	bool wanted_listener; /* the command asked for its own seccomp listener */
	bool exited;
	int status; /* the command's wait status */
};

/* An empty recording (shim_record_run makes its own). */
int shim_recording_init(struct shim_recording *rec, struct shim_error *err);
/* Counts one call; args (NULL: not known) for the calls whose values are
 * kept. */
void shim_recording_add(struct shim_recording *rec, uint32_t arch, int nr, const uint64_t args[6]);
/* How many times (arch, nr) was counted (arch: libseccomp's token, x32
 * calls SCMP_ARCH_X32); 0 for a call never seen. */
uint64_t shim_recording_count(const struct shim_recording *rec, uint32_t arch, int nr);

/* Runs path under a filter that notifies every syscall and records them
 * for the whole process tree, until no task uses the filter. SIGINT,
 * SIGTERM, SIGHUP and SIGQUIT are passed on to the command. */
int shim_record_run(const char *path, char *const argv[], char *const envp[],
		    struct shim_recording *rec, struct shim_error *err);
struct shim_record_options {
	const struct shim_profile *merge; /* an allow-list to add to, or NULL */
	int errno_ret; /* the default errno of a new profile */
	const char *command; /* the command line, quoted, for the comment; NULL: none */
	bool wide; /* the calls whose values are kept allowed for any arguments */
	/* Only the calls in rec (--complain): no execve, no calls the
	 * recording filter lets through unseen, no clone or clone3 rules. */
	bool seen_only;
};
/* The allow-list: defaultAction ERRNO(errno_ret), the syscalls seen plus
 * execve, execveat and the calls the recording filter lets through, by
 * name, sorted, with the architectures seen; the calls whose values are
 * kept one rule per value seen (unless wide); clone without CLONE_NEW* flags;
 * clone3 ENOSYS. With merge (an allow-list), that profile plus rules for
 * what it did not allow, its comment followed by this run's. */
int shim_record_profile(const struct shim_recording *rec, const struct shim_record_options *opt,
			struct shim_text *out, struct shim_warnings *warn, struct shim_error *err);
/* Whether shim_record_profile can add to merge (an allow-list whose values
 * all fit), so that a run is not made for nothing. */
int shim_record_merge_check(const struct shim_profile *merge, struct shim_error *err);
/* Where record writes, made before the command runs so that an output it
 * cannot write fails first: a temporary next to the output (O_EXCL, in the
 * directory of the file a symlink names), renamed over it at the end with
 * the mode of the file it replaces (new: 0644 less the umask); an existing
 * device or FIFO is opened as it is. Its descriptor is O_CLOEXEC. */
struct shim_record_output {
	char *path; /* the file to replace */
	char *tmp; /* the temporary; NULL when writing to path directly */
	int fd;
};
int shim_record_output_open(const char *path, struct shim_record_output *out,
			    struct shim_error *err);
/* Writes t and puts it in place; the temporary is removed on failure. */
int shim_record_output_commit(struct shim_record_output *out, const struct shim_text *t,
			      struct shim_error *err);
/* Removes the temporary; nothing at path changes. */
void shim_record_output_abort(struct shim_record_output *out);
/* Each syscall with its count, most frequent first. */
void shim_recording_stats(const struct shim_recording *rec, struct shim_text *out);
void shim_recording_free(struct shim_recording *rec);

#endif
