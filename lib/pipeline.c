/* pipeline: the one driver from a reference to a program, used by the run
 * and by every subcommand, so that they accept and refuse the same
 * profiles.
 *
 *   reference -> (built at build time | cache) -> parse -> resolve ->
 *   policy checks -> compile (held to the rules)
 *
 * MUST: every refusal is made here or in a stage called from here, never
 * by a caller: a check the run makes and `check` does not is a profile
 * one accepts and the other refuses (issue #17).
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

int shim_policy_check(const struct shim_profile *p, const struct shim_policy *pol,
		      struct shim_warnings *warn, struct shim_error *err)
{
	if (pol->needs_listener) {
		shim_error_at(err, ENOTSUP, "notify-unsupported", p->path, 0, 0, NULL,
			      "the profile uses SCMP_ACT_NOTIFY (listenerPath %s): seccomp-shim does not act as a seccomp agent; change those rules to another action",
			      p->listener_path);
		return -1;
	}
	if (p->listener_path)
		shim_warn_at(warn, "listener-path-unused", p->path, 0, 0, NULL,
			     "listenerPath is ignored: no rule that applies here uses SCMP_ACT_NOTIFY");
	return 0;
}

/* parse -> resolve -> policy checks -> compile. */
static int compile_source(const struct shim_source *src, const struct shim_host *host,
			  const struct shim_pipeline_options *opt, struct shim_compiled *out,
			  struct shim_warnings *warn, struct shim_error *err)
{
	if (shim_source_profile(src, &out->profile, warn, opt->errors, err) < 0 ||
	    shim_resolve(out->profile, host, &out->pol, warn, err) < 0 ||
	    shim_policy_check(out->profile, &out->pol, warn, err) < 0 ||
	    shim_compile(out->profile, &out->pol, opt->compile, &out->filter, warn, err) < 0)
		return -1;
	return 0;
}

int shim_pipeline_source(const struct shim_source *src, const struct shim_host *host,
			 const struct shim_pipeline_options *opt, struct shim_compiled *out,
			 struct shim_warnings *warn, struct shim_error *err)
{
	uint8_t key[32];
	int r;

	memset(out, 0, sizeof(*out));
	out->origin = SHIM_FROM_BUILD;
	if (!opt->want_profile) {
		if ((r = shim_source_precompiled(src, host, opt->compile, &out->filter, err)) != 0)
			return r < 0 ? -1 : 0;
		/* Same bytes, same machine, same capabilities: same program. */
		if (opt->cache_dir) {
			out->origin = SHIM_FROM_CACHE;
			shim_cache_key(src, host, opt->compile, key);
			if (shim_cache_load(opt->cache_dir, key, host, &out->filter, warn) == 1)
				return 0;
		}
	}
	out->origin = SHIM_FROM_COMPILE;
	if (compile_source(src, host, opt, out, warn, err) < 0) {
		shim_compiled_free(out);
		return -1;
	}
	/* A store that fails changes nothing; one with warnings other than
	 * unknown syscalls is not made, so that they show every time. */
	if (!opt->want_profile && opt->cache_dir)
		shim_cache_store(opt->cache_dir, key, out->profile, host, &out->filter, warn);
	return 0;
}

int shim_compiled_load(const char *ref, const char *root, const struct shim_host *host,
		       const struct shim_compile_options *opt, struct shim_compiled *out,
		       struct shim_warnings *warn, struct shim_error *err)
{
	return shim_compiled_check(ref, root, host, opt, out, warn, NULL, err);
}

int shim_compiled_check(const char *ref, const char *root, const struct shim_host *host,
			const struct shim_compile_options *opt, struct shim_compiled *out,
			struct shim_warnings *warn, struct shim_findings *errors,
			struct shim_error *err)
{
	struct shim_pipeline_options po = { .compile = opt, .errors = errors, .want_profile = true };
	struct shim_source src;
	enum shim_ref_kind kind;
	int r;

	memset(out, 0, sizeof(*out));
	if (shim_source_read(ref, root, &src, &kind, err) < 0)
		return -1;
	if (kind == SHIM_REF_UNCONFINED) {
		shim_error_set(err, EINVAL, "%s is not a profile (it means: no filter)", ref);
		return -1;
	}
	r = shim_pipeline_source(&src, host, &po, out, warn, err);
	shim_source_free(&src);
	return r;
}

void shim_compiled_free(struct shim_compiled *c)
{
	shim_filter_free(&c->filter);
	shim_policy_free(&c->pol);
	shim_profile_free(c->profile);
	c->profile = NULL;
}
