/* nodepolicy: the node policy file the runtime wrapper and the hooks
 * apply to every container (/etc/seccomp-shim/policy.json; man page
 * seccomp-shim(1), NODE POLICY).
 *
 * MUST: the policy decides what every container may run with, so
 * - whoever may write the file decides it: it must belong to root (or
 *   the caller) and be writable by no one else, as a --bpf file;
 * - a key we do not know is an error, never ignored: a misspelt
 *   "requireNoNewPrivileges" must not leave a node without the rule;
 * - with no file at all the defaults are the only rule: a container
 *   without linux.seccomp gets runtime/default.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define POLICY_MAX (1u << 20)

void shim_node_policy_defaults(struct shim_node_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->default_profile = strdup("runtime/default");
	p->report = SHIM_REPORT_OFF;
}

void shim_node_policy_free(struct shim_node_policy *p)
{
	free(p->file);
	free(p->runtime);
	free(p->default_profile);
	free(p->shim);
	for (size_t i = 0; i < p->n_allowed; i++)
		free(p->allowed[i]);
	free(p->allowed);
	memset(p, 0, sizeof(*p));
}

struct reader {
	const char *name, *text;
	size_t len;
	struct shim_error *err;
};

/* An error at key (and index, or SIZE_MAX) of the policy object: at the
 * key itself when the key is what is wrong (index SIZE_MAX - 1). */
#define AT_KEY (SIZE_MAX - 1)
__attribute__((format(printf, 4, 5))) static int bad(const struct reader *r, const char *key,
						     size_t index, const char *fmt, ...)
{
	struct shim_json_seg seg[2] = { { .key = key }, { .index = index } };
	size_t depth = index >= AT_KEY ? 1 : 2;
	char path[128], msg[768];
	unsigned line = 0, col = 0;
	va_list ap;

	shim_json_locate(r->text, r->len, seg, depth, index == AT_KEY, &line, &col);
	shim_json_path_format(seg, depth, path, sizeof(path));
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	shim_error_at(r->err, EINVAL, "bad-policy", r->name, line, col, path, "%s", msg);
	return -1;
}

static int get_string(const struct reader *r, json_t *v, const char *key, char **out)
{
	if (!json_is_string(v) || json_string_length(v) == 0)
		return bad(r, key, SIZE_MAX, "expected a non-empty string");
	free(*out);
	*out = strdup(json_string_value(v));
	return *out ? 0 : bad(r, key, SIZE_MAX, "out of memory");
}

static int get_bool(const struct reader *r, json_t *v, const char *key, bool *out)
{
	if (!json_is_boolean(v))
		return bad(r, key, SIZE_MAX, "expected true or false");
	*out = json_is_true(v);
	return 0;
}

static int get_choice(const struct reader *r, json_t *v, const char *key,
		      const char *const *names, size_t n, int *out)
{
	for (size_t i = 0; json_is_string(v) && i < n; i++) {
		if (strcmp(json_string_value(v), names[i]) == 0) {
			*out = (int)i;
			return 0;
		}
	}
	return bad(r, key, SIZE_MAX, "expected \"%s\"%s%s%s \"%s\"", names[0], n > 2 ? ", \"" : "",
		   n > 2 ? names[1] : "", n > 2 ? "\"," : "", names[n - 1]);
}

static int get_caps(const struct reader *r, json_t *v, struct shim_node_policy *p)
{
	json_t *c;
	size_t i;

	if (!json_is_array(v))
		return bad(r, "maxCapabilities", SIZE_MAX, "expected an array of capability names");
	p->has_max_caps = true;
	p->max_caps = 0;
	json_array_foreach(v, i, c) {
		int cap = json_is_string(c) ? shim_cap_from_name(json_string_value(c)) : -1;
		if (cap < 0)
			return bad(r, "maxCapabilities", i, "unknown capability %s",
				   json_is_string(c) ? json_string_value(c) : "(not a string)");
		p->max_caps |= 1ULL << cap;
	}
	return 0;
}

static int get_allowed(const struct reader *r, json_t *v, struct shim_node_policy *p)
{
	json_t *c;
	size_t i;

	if (!json_is_array(v))
		return bad(r, "allowedProfiles", SIZE_MAX, "expected an array of profiles (a built-in name, a file, or a directory ending in /)");
	p->allowed = calloc(json_array_size(v) + 1, sizeof(*p->allowed));
	if (!p->allowed)
		return bad(r, "allowedProfiles", SIZE_MAX, "out of memory");
	json_array_foreach(v, i, c) {
		const char *s = json_string_value(c);
		if (!s || !*s)
			return bad(r, "allowedProfiles", i, "expected a non-empty string");
		if (!shim_builtin_profile(s) && s[0] != '/')
			return bad(r, "allowedProfiles", i, "%s is neither a built-in profile nor an absolute path", s);
		if (!(p->allowed[p->n_allowed++] = strdup(s)))
			return bad(r, "allowedProfiles", i, "out of memory");
	}
	p->has_allowed = true;
	return 0;
}

static const char *const engine_choices[] = { "keep", "replace" };
static const char *const report_choices[] = { "off", "on", "always" };
static const char *const known_keys[] = {
	"comment", "runtime", "defaultProfile", "engineProfiles", "allowUnconfined",
	"refuseAllowByDefault", "requireNoNewPrivileges", "maxCapabilities",
	"allowedProfiles", "report", "shim",
};

static int read_key(const struct reader *r, const char *key, json_t *v, struct shim_node_policy *p)
{
	int choice = 0, rc = 0;

	if (strcmp(key, "comment") == 0)
		return 0;
	if (strcmp(key, "runtime") == 0)
		return get_string(r, v, key, &p->runtime);
	if (strcmp(key, "defaultProfile") == 0)
		return get_string(r, v, key, &p->default_profile);
	if (strcmp(key, "shim") == 0) {
		rc = get_string(r, v, key, &p->shim);
		return rc == 0 && p->shim[0] != '/' ? bad(r, key, SIZE_MAX, "expected an absolute path") : rc;
	}
	if (strcmp(key, "engineProfiles") == 0) {
		rc = get_choice(r, v, key, engine_choices, ARRAY_SIZE(engine_choices), &choice);
		p->replace_engine_profiles = choice == 1;
		return rc;
	}
	if (strcmp(key, "report") == 0) {
		rc = get_choice(r, v, key, report_choices, ARRAY_SIZE(report_choices), &choice);
		p->report = (enum shim_report_mode)choice;
		return rc;
	}
	if (strcmp(key, "allowUnconfined") == 0)
		return get_bool(r, v, key, &p->allow_unconfined);
	if (strcmp(key, "refuseAllowByDefault") == 0)
		return get_bool(r, v, key, &p->refuse_allow_by_default);
	if (strcmp(key, "requireNoNewPrivileges") == 0)
		return get_bool(r, v, key, &p->require_nnp);
	if (strcmp(key, "maxCapabilities") == 0)
		return get_caps(r, v, p);
	return get_allowed(r, v, p);
}

static const char *closest_key(const char *key)
{
	const char *best = NULL;
	size_t best_d = 4;

	for (size_t i = 0; i < ARRAY_SIZE(known_keys); i++) {
		size_t d = shim_edit_distance(key, known_keys[i], best_d);
		if (d < best_d) {
			best_d = d;
			best = known_keys[i];
		}
	}
	return best;
}

static bool known_key(const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(known_keys); i++)
		if (strcmp(key, known_keys[i]) == 0)
			return true;
	return false;
}

/* The default profile is the operator's choice, not a pod's: it need not
 * be among allowedProfiles, but it must be something a run can load. */
static int check_consistent(const struct reader *r, const struct shim_node_policy *p)
{
	const char *d = p->default_profile;

	if (strcmp(d, "refuse") == 0 || strcmp(d, "unconfined") == 0 || shim_builtin_profile(d) ||
	    d[0] == '/')
		return 0;
	return bad(r, "defaultProfile", SIZE_MAX, "%s is neither a built-in profile, an absolute path, \"refuse\" nor \"unconfined\"", d);
}

int shim_node_policy_parse(const char *name, const char *text, size_t len,
			   struct shim_node_policy *out, struct shim_error *err)
{
	struct reader r = { name, text, len, err };
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr), *v;
	const char *key;
	int rc = 0;

	shim_node_policy_defaults(out);
	if (!root) {
		shim_error_at(err, EINVAL, "bad-policy", name, (unsigned)jerr.line, (unsigned)jerr.column,
			      NULL, "%s", jerr.text);
		shim_node_policy_free(out);
		return -1;
	}
	if (!json_is_object(root)) {
		shim_error_at(err, EINVAL, "bad-policy", name, 1, 1, NULL, "a policy is a JSON object");
		rc = -1;
	}
	json_object_foreach(json_is_object(root) ? root : NULL, key, v) {
		if (!known_key(key)) {
			const char *near = closest_key(key);
			rc = bad(&r, key, AT_KEY, "unknown key%s%s%s", near ? " (did you mean " : "",
				 near ? near : "", near ? "?)" : "");
		} else {
			rc = read_key(&r, key, v, out);
		}
		if (rc < 0)
			break;
	}
	json_decref(root);
	if (rc == 0)
		rc = check_consistent(&r, out);
	if (rc == 0 && !(out->file = strdup(name)))
		rc = bad(&r, "", SIZE_MAX, "out of memory");
	if (rc < 0)
		shim_node_policy_free(out);
	return rc;
}

int shim_node_policy_load(const char *path, bool named, struct shim_node_policy *out,
			  struct shim_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK), r;
	struct stat st;
	char *text = NULL;
	size_t len = 0;

	if (fd < 0 && errno == ENOENT && !named) {
		shim_node_policy_defaults(out);
		return 0;
	}
	if (fd < 0) {
		shim_error_set(err, errno, "policy %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		shim_error_set(err, EINVAL, "policy %s: not a regular file", path);
		close(fd);
		return -1;
	}
	/* Whoever may write the policy decides every container's filter. */
	if ((st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & 022)) {
		shim_error_set(err, EPERM, "policy %s belongs to uid %u with mode %03o: it must belong to root%s and be writable by no one else (chown, chmod go-w), since whoever can write it decides what every container runs with",
			       path, (unsigned)st.st_uid, (unsigned)(st.st_mode & 0777),
			       geteuid() ? " or you" : "");
		close(fd);
		return -1;
	}
	r = shim_read_all(fd, (size_t)st.st_size, POLICY_MAX, &text, &len);
	if (r < 0)
		shim_error_set(err, errno, "policy %s: %s", path, strerror(errno));
	close(fd);
	if (r < 0)
		return -1;
	r = shim_node_policy_parse(path, text, len, out, err);
	free(text);
	return r;
}

/* Whether ref is path inside dir (which ends in /), by name: no "..",
 * no "." component, nothing empty. The file is then opened beneath the
 * directory without following links (lib/admission.c). */
static bool inside_dir(const char *dir, const char *ref)
{
	size_t n = strlen(dir);
	const char *rest = ref + n;

	if (strncmp(ref, dir, n) != 0 || !*rest)
		return false;
	for (const char *c = rest; *c;) {
		size_t len = strcspn(c, "/");
		if (len == 0 || (len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		c += len;
		if (*c == '/')
			c++;
	}
	return true;
}

bool shim_node_policy_allows(const struct shim_node_policy *p, const char *ref)
{
	if (!p->has_allowed)
		return shim_builtin_profile(ref) != NULL;
	for (size_t i = 0; i < p->n_allowed; i++) {
		const char *a = p->allowed[i];
		size_t n = strlen(a);
		if (n > 0 && a[n - 1] == '/' ? inside_dir(a, ref) : strcmp(a, ref) == 0)
			return true;
	}
	return false;
}
