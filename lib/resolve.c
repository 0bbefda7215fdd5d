/* resolve: Docker-format profile + host -> flat OCI policy.
 *
 * Semantics of moby's setupSeccomp: archMap keeps the native entry and its
 * sub-architectures; excludes are checked first (arch listed, OR any listed
 * cap in the bounding set, OR kernel >= minKernel drops the rule); includes
 * then keep a rule only if the arch is listed AND all caps are in the
 * bounding set AND kernel >= minKernel. A rule whose argument index repeats
 * becomes one rule per condition (OR), as runc does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>

#include "internal.h"

static bool arch_listed(const struct shim_condition *c, const struct shim_arch_info *a)
{
	for (size_t i = 0; i < c->n_arches; i++)
		if (c->arches[i] == a)
			return true;
	return false;
}

static bool kernel_at_least(const struct shim_host *h, const struct shim_condition *c)
{
	return h->kernel_major > c->min_kernel_major ||
	       (h->kernel_major == c->min_kernel_major &&
		h->kernel_minor >= c->min_kernel_minor);
}

static bool rule_applies(const struct shim_rule *r, const struct shim_host *h)
{
	const struct shim_condition *ex = &r->excludes, *in = &r->includes;

	if (ex->n_arches && arch_listed(ex, h->arch))
		return false;
	if (ex->has_caps && (ex->caps & h->bounding))
		return false;
	if (ex->has_min_kernel && kernel_at_least(h, ex))
		return false;
	if (in->n_arches && !arch_listed(in, h->arch))
		return false;
	if (in->has_caps && (in->caps & ~h->bounding))
		return false;
	if (in->has_min_kernel && !kernel_at_least(h, in))
		return false;
	return true;
}

/* Whether a rule tests one argument index more than once (libseccomp
 * splits such a rule; check warns about it). */
bool shim_rule_index_repeats(const struct shim_rule *r)
{
	unsigned seen = 0;

	for (size_t i = 0; i < r->n_args; i++) {
		if (seen & (1u << r->args[i].index))
			return true;
		seen |= 1u << r->args[i].index;
	}
	return false;
}

static void add_arch(struct shim_policy *out, uint32_t token,
		     const struct shim_arch_info *a, struct shim_warnings *warn)
{
	if (token == 0) {
		shim_warn(warn, "architecture %s is not supported by this libseccomp; left out of the filter",
			  a->oci);
		return;
	}
	for (size_t i = 0; i < out->n_arches; i++)
		if (out->arches[i] == token)
			return;
	if (out->n_arches < ARRAY_SIZE(out->arches))
		out->arches[out->n_arches++] = token;
}

static void resolve_arches(const struct shim_profile *p, const struct shim_host *h,
			   struct shim_policy *out, struct shim_warnings *warn)
{
	/* runc always includes the native arch. */
	add_arch(out, h->arch->token, h->arch, warn);
	for (size_t i = 0; i < p->n_architectures; i++)
		add_arch(out, p->architectures[i]->token, p->architectures[i], warn);
	for (size_t i = 0; i < p->n_arch_map; i++) {
		const struct shim_arch_map *m = &p->arch_map[i];
		if (m->arch != h->arch)
			continue;
		for (size_t j = 0; j < m->n_sub; j++)
			add_arch(out, m->sub[j]->token, m->sub[j], warn);
	}
}

/* Appends the flat rules for one name of r. */
static int emit_rules(struct shim_policy *out, size_t *cap,
		      const struct shim_rule *r, size_t name_index)
{
	bool split = shim_rule_index_repeats(r);
	size_t count = split ? r->n_args : 1;

	if (out->n_rules + count > *cap) {
		size_t want = (*cap ? *cap * 2 : 64) + count;
		struct shim_policy_rule *grown = realloc(out->rules, want * sizeof(*grown));
		if (!grown)
			return -1;
		out->rules = grown;
		*cap = want;
	}
	for (size_t k = 0; k < count; k++) {
		struct shim_policy_rule *pr = &out->rules[out->n_rules++];

		memset(pr, 0, sizeof(*pr));
		pr->name = r->names[name_index];
		pr->action = r->action;
		pr->src_index = r->src_index;
		pr->src_name_index = name_index;
		if (split) {
			pr->args[0] = r->args[k];
			pr->n_args = 1;
		} else {
			if (r->n_args) /* r->args is NULL when there are none */
				memcpy(pr->args, r->args, r->n_args * sizeof(r->args[0]));
			pr->n_args = r->n_args;
		}
	}
	return 0;
}

/* A flag the kernel would refuse is an error here, before anything is
 * applied; it is never dropped (crun retries without flags: we do not). */
static int check_flags(const struct shim_profile *p, const struct shim_host *h,
		       unsigned flags, struct shim_error *err)
{
	unsigned missing = flags & ~h->supported_flags, line, col;

	if (!(flags & SHIM_FLAG_WAIT_KILLABLE_RECV) && !missing)
		return 0;
	/* Only on failure: finding the position scans the profile text. */
	shim_profile_locate(p, "flags", &line, &col);
	if (flags & SHIM_FLAG_WAIT_KILLABLE_RECV) {
		shim_error_at(err, EINVAL, "flag-needs-listener", p->path, line, col, "flags",
			      "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV only works with a SCMP_ACT_NOTIFY listener, which seccomp-shim does not run; remove it");
		return -1;
	}
	for (unsigned bit = 1; missing && bit; bit <<= 1)
		if (missing & bit) {
			shim_error_at(err, EINVAL, "unsupported-flag", p->path, line, col, "flags",
				      "this kernel (%u.%u) does not support %s; remove it",
				      h->kernel_major, h->kernel_minor, shim_flag_name(bit));
			return -1;
		}
	return 0;
}

int shim_resolve(const struct shim_profile *p, const struct shim_host *h,
		 struct shim_policy *out, struct shim_warnings *warn,
		 struct shim_error *err)
{
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	out->default_action = p->default_action;
	resolve_arches(p, h, out, warn);
	/* No flags field: SPEC_ALLOW where the kernel has it (crun, OCI). */
	out->flags = p->has_flags ? p->flags
				  : (h->supported_flags & SECCOMP_FILTER_FLAG_SPEC_ALLOW);
	out->flags_given = p->has_flags;
	if (check_flags(p, h, out->flags, err) < 0)
		return -1;
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct shim_rule *r = &p->rules[i];

		if (!rule_applies(r, h))
			continue;
		if (r->action.kind == SHIM_ACT_NOTIFY)
			out->needs_listener = true;
		for (size_t j = 0; j < r->n_names; j++)
			if (emit_rules(out, &cap, r, j) < 0) {
				shim_policy_free(out);
				shim_error_set(err, ENOMEM, "out of memory resolving the profile");
				return -1;
			}
	}
	return 0;
}

