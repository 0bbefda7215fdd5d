/* seccomp-shim: the profile as written, and the references that name one (lib/include/seccomp-shim.h says how the stages go). */
#ifndef SECCOMP_SHIM_PROFILE_H
#define SECCOMP_SHIM_PROFILE_H

#include "seccomp-shim/base.h"

/* ---- the profile, as written ------------------------------------------ */

struct shim_arg {
	unsigned index;
	uint64_t value;
	uint64_t value_two;
	enum shim_cmp_op op;
};

struct shim_condition {
	const struct shim_arch_info **arches; /* Go names, resolved */
	size_t n_arches;
	uint64_t caps;
	bool has_caps;
	bool has_min_kernel;
	unsigned min_kernel_major, min_kernel_minor;
};

struct shim_rule {
	char **names;
	size_t n_names;
	bool single_name; /* written with the old "name" key */
	struct shim_action action;
	struct shim_arg *args;
	size_t n_args;
	struct shim_condition includes, excludes;
	size_t src_index; /* position in syscalls[] */
	char *comment; /* Docker's "comment", kept for export */
};

struct shim_arch_map {
	const struct shim_arch_info *arch;
	const struct shim_arch_info **sub;
	size_t n_sub;
};

struct shim_profile {
	char *path; /* as given, for messages */
	char *text; /* the bytes read, for locating messages later */
	size_t text_len;
	struct shim_action default_action;
	const struct shim_arch_info **architectures;
	size_t n_architectures;
	struct shim_arch_map *arch_map;
	size_t n_arch_map;
	bool has_flags;
	unsigned flags;
	char *comment; /* the top-level "comment" */
	char *listener_path;
	char *listener_metadata;
	struct shim_rule *rules;
	size_t n_rules;
	bool is_static; /* a built-in profile parsed at build time: never freed */
};

/* Parse a profile from bytes; display_name is used in messages. */
int shim_profile_parse(const char *display_name, const char *text, size_t len,
		       struct shim_profile **out, struct shim_warnings *warn,
		       struct shim_error *err);
/* The same, and with errors not NULL, every error the text has, each
 * added there (err holds the first): the parser reads on past an error
 * wherever the rest can still be read. check uses it. */
struct shim_findings;
int shim_profile_parse_all(const char *display_name, const char *text, size_t len,
			   struct shim_profile **out, struct shim_warnings *warn,
			   struct shim_findings *errors, struct shim_error *err);
/* Read and parse a file. */
int shim_profile_load(const char *path, struct shim_profile **out,
		      struct shim_warnings *warn, struct shim_error *err);
/* The same, from an open file descriptor (not closed). */
int shim_profile_load_fd(int fd, const char *display_name, struct shim_profile **out,
			 struct shim_warnings *warn, struct shim_error *err);
void shim_profile_free(struct shim_profile *p);

/* ---- profile references ------------------------------------------------ */

#define SHIM_PROFILE_ROOT "/var/lib/kubelet/seccomp"

enum shim_ref_kind {
	SHIM_REF_FILE = 1,
	SHIM_REF_BUILTIN,
	SHIM_REF_LOCALHOST,
	SHIM_REF_UNCONFINED, /* *out stays NULL: no filter */
};

/* Loads what ref names: runtime/default (RuntimeDefault), audit,
 * unconfined (Unconfined), localhost/REL under localhost_root (NULL:
 * SHIM_PROFILE_ROOT), or a file path. */
int shim_profile_open_ref(const char *ref, const char *localhost_root,
			  struct shim_profile **out, enum shim_ref_kind *kind,
			  struct shim_warnings *warn, struct shim_error *err);
/* The bytes a reference names, unparsed, and the name messages use. */
struct shim_source {
	char *name;
	char *text; /* for a built-in profile, the embedded text itself */
	size_t len;
	bool builtin;
	bool has_sha256; /* built-in profiles: hashed at build time */
	uint8_t sha256[32];
};

/* Reads what ref names (as shim_profile_open_ref, without parsing);
 * for unconfined, src stays empty. */
int shim_source_read(const char *ref, const char *localhost_root, struct shim_source *src,
		     enum shim_ref_kind *kind, struct shim_error *err);
/* The profile in src: parsed, or for a built-in one the data parsed at
 * build time (shim_profile_free leaves it alone). */
int shim_source_profile(const struct shim_source *src, struct shim_profile **out,
			struct shim_warnings *warn, struct shim_findings *errors,
			struct shim_error *err);
struct shim_host;
struct shim_filter;
struct shim_compile_options;
/* For a built-in profile, the program compiled at build time when it was
 * made for a host like this one and the default options (1, out filled);
 * 0 when the profile must be compiled here; -1 on error. */
int shim_source_precompiled(const struct shim_source *src, const struct shim_host *host,
			    const struct shim_compile_options *opt, struct shim_filter *out,
			    struct shim_error *err);
/* A source of text given as it is (the run's --profile-json). */
int shim_source_from_text(const char *name, const char *text, size_t len, struct shim_source *src,
			  struct shim_error *err);
void shim_source_free(struct shim_source *src);

/* The JSON text of a built-in profile, or NULL. */
const char *shim_builtin_profile(const char *name);

/* LINE:COL of a JSON path inside the profile; the path is written as
 * syscalls[3].names[1]. As deep as the path is found. shim_profile_where
 * writes "FILE:LINE:COL" (explain and eval say where a rule is). */
void shim_profile_locate(const struct shim_profile *p, const char *json_path,
			 unsigned *line, unsigned *col);
void shim_profile_where(const struct shim_profile *p, const char *json_path,
			char *buf, size_t len);

#endif
