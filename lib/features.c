/* features: the OCI runtime-spec's features document (features.md) for
 * what seccomp-shim supports, and a runtime's document with ours merged
 * in (the runtime wrapper answers `features` with the real runtime's).
 *
 * The merge rule: everything the runtime says stays as it is, unknown
 * fields and key order included, and linux.seccomp above all, since it is
 * the runtime that loads the filter; what is added is annotations named
 * org.seccomp-shim.*, which replace any of that name the runtime gave.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "internal.h"

/* The runtime-spec versions whose linux.seccomp we read and write. */
#define OCI_VERSION_MIN "1.0.0"
#define OCI_VERSION_MAX "1.1.0"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* names[0..n) sorted, as runc lists them, into a new array. */
static json_t *sorted(const char **names, size_t n)
{
	json_t *a = json_array();

	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_string(names[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *actions(void)
{
	const char *names[32], *name;
	size_t n = 0;

	/* NOTIFY is refused by every run: seccomp-shim is no seccomp agent. */
	for (size_t i = 0; (name = shim_action_name_at(i)) && n < ARRAY_SIZE(names); i++)
		if (strcmp(name, "SCMP_ACT_NOTIFY") != 0)
			names[n++] = name;
	return sorted(names, n);
}

static json_t *operators(void)
{
	const char *names[16], *name;
	size_t n = 0;

	for (size_t i = 0; (name = shim_op_name_at(i)) && n < ARRAY_SIZE(names); i++)
		names[n++] = name;
	return sorted(names, n);
}

/* Those the libseccomp we are built with knows: the others (token 0) can
 * be named in a profile but never go into a filter. */
static json_t *archs(void)
{
	const char *names[64];
	size_t n = 0;

	for (size_t i = 0; i < shim_arch_table_size && n < ARRAY_SIZE(names); i++)
		if (shim_arch_table[i].token)
			names[n++] = shim_arch_table[i].oci;
	return sorted(names, n);
}

/* Every flag a profile may name; with supported, those this kernel takes. */
static json_t *flags(bool supported)
{
	unsigned have = supported ? shim_kernel_supported_flags() : ~0u, flag;
	const char *names[16], *name;
	size_t n = 0;

	for (size_t i = 0; (name = shim_flag_name_at(i, &flag)) && n < ARRAY_SIZE(names); i++)
		if (have & flag)
			names[n++] = name;
	return sorted(names, n);
}

/* org.seccomp-shim.*: what this build is, for someone reading a merged
 * document to know the wrapper is there. */
static int annotate(json_t *annotations)
{
	const struct scmp_version *v = seccomp_version();
	char version[32], builtins[256] = "";
	struct shim_builtin b;
	size_t used = 0;

	snprintf(version, sizeof(version), "%u.%u.%u", v->major, v->minor, v->micro);
	for (size_t i = 0; shim_builtin_at(i, &b) == 0 && used < sizeof(builtins); i++)
		used += (size_t)snprintf(builtins + used, sizeof(builtins) - used, "%s%s",
					 i ? "," : "", b.name);
	return json_object_set_new(annotations, "org.seccomp-shim.version", json_string(SHIM_VERSION)) |
	       json_object_set_new(annotations, "org.seccomp-shim.build", json_string(shim_build_id())) |
	       json_object_set_new(annotations, "org.seccomp-shim.libseccomp.version", json_string(version)) |
	       json_object_set_new(annotations, "org.seccomp-shim.profiles", json_string(builtins));
}

int shim_features_json(struct shim_text *out, struct shim_error *err)
{
	json_t *seccomp = json_pack("{s:b, s:o, s:o, s:o, s:o, s:o}", "enabled", 1,
				    "actions", actions(), "operators", operators(), "archs", archs(),
				    "knownFlags", flags(false), "supportedFlags", flags(true));
	json_t *root = json_pack("{s:s, s:s, s:{s:o}, s:{}}", "ociVersionMin", OCI_VERSION_MIN,
				 "ociVersionMax", OCI_VERSION_MAX, "linux", "seccomp", seccomp,
				 "annotations");

	if (!root || annotate(json_object_get(root, "annotations")) < 0) {
		json_decref(root);
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	return shim_json_dump(root, out, err);
}

int shim_features_merge(const char *runtime_json, size_t len, struct shim_text *out,
			struct shim_error *err)
{
	json_error_t jerr;
	json_t *root = shim_json_load_wide(runtime_json, len, 0, &jerr), *annotations;

	if (!root) {
		shim_error_set(err, EINVAL, "the runtime's features document: line %d, column %d: %s",
			       jerr.line, jerr.column, jerr.text);
		return -1;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		shim_error_set(err, EINVAL, "the runtime's features document is not a JSON object");
		return -1;
	}
	annotations = json_object_get(root, "annotations");
	if (annotations && !json_is_object(annotations)) {
		json_decref(root);
		shim_error_set(err, EINVAL, "the runtime's features document: \"annotations\" is not an object");
		return -1;
	}
	if (!annotations && json_object_set_new(root, "annotations", json_object()) == 0)
		annotations = json_object_get(root, "annotations");
	if (!annotations || annotate(annotations) < 0) {
		json_decref(root);
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	return shim_json_dump_wide(root, out, err);
}
