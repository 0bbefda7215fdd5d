/* inspect: what a compiled profile does, told from the filter itself.
 *
 * MUST: every verdict shown comes from running the compiled program in the
 * interpreter (what the kernel will do); the policy is only consulted to
 * say which rule, default or stub produced it.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>

#include "internal.h"

/* The seccomp_data arch of a libseccomp arch token: x32 calls come in as
 * x86_64 with bit 30 set in the number. */
static uint32_t data_arch(uint32_t arch)
{
	return arch == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : arch;
}

int shim_syscall_nr(const char *spec, uint32_t arch, int *nr, struct shim_error *err)
{
	char *end;
	long n = strtol(spec, &end, 0);

	if (*spec && *end == '\0') {
		*nr = (int)n;
		return 0;
	}
	*nr = shim_syscall_resolve_name_arch(arch, spec);
	if (*nr >= 0)
		return 0;
	const struct shim_arch_info *a = shim_arch_by_token(arch);
	const char *near = shim_syscall_suggest(spec);
	if (shim_syscall_known(spec))
		shim_error_set(err, ENOENT, "%s: not a syscall on %s (other architectures have it)",
			       spec, a ? a->oci : "this architecture");
	else
		shim_error_set(err, ENOENT, "%s: unknown syscall%s%s%s", spec,
			       near ? " (did you mean \"" : "", near ? near : "", near ? "\"?)" : "");
	return -1;
}

static int run(const struct shim_filter *f, uint32_t arch, int nr, const uint64_t args[6],
	       uint32_t *ret, struct shim_error *err)
{
	struct shim_seccomp_data d = { .nr = nr, .arch = data_arch(arch) };

	memcpy(d.args, args, sizeof(d.args));
	return shim_bpf_run(f->insns, f->n_insns, &d, ret, err);
}

/* The verdict of f on one call and what decided it, with the rules
 * prepared once (explain asks for every syscall). */
static int eval_with(const struct shim_policy *pol, const struct shim_ref *ref,
		     const struct shim_filter *f, uint32_t arch, int nr, const uint64_t args[6],
		     struct shim_verdict *v, struct shim_error *err)
{
	struct shim_seccomp_data d = { .nr = nr, .arch = data_arch(arch) };
	struct shim_ref_verdict rv;
	const struct shim_policy_rule *rule;
	bool accepted;

	(void)pol;
	memset(v, 0, sizeof(*v));
	if (run(f, arch, nr, args, &v->ret, err) < 0)
		return -1;
	memcpy(d.args, args, sizeof(d.args));
	shim_ref_eval(ref, &d, &rv);
	rule = shim_ref_accepts(&rv, v->ret, &accepted);
	v->max_nr = rv.max_nr;
	if (accepted) {
		v->by = rule ? SHIM_BY_RULE : rv.by;
		v->rule = rule;
		return 0;
	}
	/* The program gives what no rule and not the default gives: say so,
	 * and what the rules say, rather than credit the default. */
	v->by = SHIM_BY_PROGRAM_ONLY;
	v->rules_ret = rv.ret;
	v->rules_by = rv.by;
	v->rule = rv.rule;
	return 0;
}

int shim_eval(const struct shim_policy *pol, const struct shim_filter *f, uint32_t arch,
	      int nr, const uint64_t args[6], struct shim_verdict *v, struct shim_error *err)
{
	struct shim_ref *ref;
	int rc;

	if (shim_ref_new(pol, &ref, err) < 0)
		return -1;
	rc = eval_with(pol, ref, f, arch, nr, args, v, err);
	shim_ref_free(ref);
	return rc;
}

void shim_verdict_describe(const struct shim_profile *p, const struct shim_verdict *v,
			   struct shim_text *out)
{
	char ret[64];

	shim_bpf_ret_format(v->ret, ret, sizeof(ret));
	switch (v->by) {
	case SHIM_BY_RULE: {
		char path[64], where[320];
		snprintf(path, sizeof(path), "syscalls[%zu].names[%zu]", v->rule->src_index,
			 v->rule->src_name_index);
		shim_profile_where(p, path, where, sizeof(where));
		shim_text_printf(out, "%s by %s (%s", ret, path, where);
		if (v->rule->n_args) {
			shim_text_printf(out, ", when ");
			shim_args_format(v->rule->args, v->rule->n_args, out);
		}
		shim_text_printf(out, ")");
		break;
	}
	case SHIM_BY_DEFAULT:
		shim_text_printf(out, "%s by default action", ret);
		break;
	case SHIM_BY_ENOSYS_STUB:
		shim_text_printf(out, "%s by the ENOSYS stub (above %ld, the highest syscall the profile names here)",
				 ret, v->max_nr);
		break;
	case SHIM_BY_BAD_ARCH:
		shim_text_printf(out, "%s: the profile does not list this architecture or ABI", ret);
		break;
	case SHIM_BY_PROGRAM_ONLY: {
		struct shim_verdict rules = { .ret = v->rules_ret, .by = v->rules_by,
					      .rule = v->rule, .max_nr = v->max_nr };
		shim_text_printf(out, "%s from the filter, which does not follow the rules here: they say ",
				 ret);
		shim_verdict_describe(p, &rules, out);
		break;
	}
	}
}

/* The numbers of arch's syscalls: [base, base + 1100). */
static int arch_base(uint32_t arch)
{
	return arch == SCMP_ARCH_X32 ? (int)SHIM_X32_SYSCALL_BIT : 0;
}

struct group {
	uint32_t ret;
	struct shim_text names;
	size_t count, line_len;
};

/* The group for ret, made if there is room; NULL if not. */
static struct group *group_for(struct group *g, size_t *n, size_t max, uint32_t ret)
{
	for (size_t i = 0; i < *n; i++)
		if (g[i].ret == ret)
			return &g[i];
	if (*n == max)
		return NULL;
	memset(&g[*n], 0, sizeof(g[*n]));
	g[*n].ret = ret;
	return &g[(*n)++];
}

static void group_add(struct group *g, const char *name)
{
	size_t len = strlen(name);

	if (g->line_len + len + 1 > 76) {
		shim_text_printf(&g->names, "\n ");
		g->line_len = 1;
	}
	shim_text_printf(&g->names, " %s", name);
	g->line_len += len + 1;
	g->count++;
}

static int cmp_group(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	return x->count < y->count ? 1 : x->count > y->count ? -1 : 0;
}

/* A syscall whose rules test its arguments: each conditional rule, then
 * what is left. */
static void explain_conditional(const struct shim_policy *pol, uint32_t arch, int nr,
				const char *name, const char *def, struct shim_text *cond)
{
	shim_text_printf(cond, "  %s:\n", name);
	for (size_t i = 0; i < pol->n_rules; i++) {
		const struct shim_policy_rule *r = &pol->rules[i];
		char act[64];

		if (shim_syscall_resolve_name_arch(arch, r->name) != nr || !r->n_args ||
		    shim_action_ret(&r->action) == shim_action_ret(&pol->default_action))
			continue;
		shim_bpf_ret_format(shim_action_ret(&r->action), act, sizeof(act));
		shim_text_printf(cond, "    %s when ", act);
		shim_args_format(r->args, r->n_args, cond);
		shim_text_printf(cond, "\n");
	}
	shim_text_printf(cond, "    otherwise %s\n", def);
}

int shim_explain(const struct shim_profile *p, const struct shim_policy *pol,
		 const struct shim_filter *f, uint32_t arch, struct shim_text *out,
		 struct shim_error *err)
{
	static const uint64_t zero[6];
	struct group groups[32];
	struct shim_text cond = { 0 };
	struct shim_ref *ref = NULL;
	size_t n_groups = 0, n_cond = 0, n_other = 0;
	int base = arch_base(arch), rc = -1;
	char def[64];
	const struct shim_arch_info *a = shim_arch_by_token(arch);

	shim_bpf_ret_format(shim_action_ret(&pol->default_action), def, sizeof(def));
	shim_text_printf(out, "%s on %s: default action %s, %zu rules, %zu BPF instructions\n",
			 p->path, a ? a->oci : "?", def, pol->n_rules, f->n_insns);
	if (!shim_policy_has_arch(pol, arch)) {
		uint32_t ret;
		char v[64];
		if (run(f, arch, base, zero, &ret, err) < 0)
			return -1;
		shim_bpf_ret_format(ret, v, sizeof(v));
		shim_text_printf(out, "every syscall: %s (the profile does not list this architecture)\n", v);
		return 0;
	}
	if (shim_ref_new(pol, &ref, err) < 0)
		return -1;
	for (int nr = base; nr < base + 1100; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(arch, nr);
		bool has_cond = false, has_uncond = false;
		struct shim_verdict v;

		if (!name)
			continue;
		for (size_t i = 0; i < pol->n_rules; i++)
			if (shim_syscall_resolve_name_arch(arch, pol->rules[i].name) == nr &&
			    shim_action_ret(&pol->rules[i].action) !=
				    shim_action_ret(&pol->default_action)) {
				has_cond |= pol->rules[i].n_args > 0;
				has_uncond |= pol->rules[i].n_args == 0;
			}
		if (eval_with(pol, ref, f, arch, nr, zero, &v, err) < 0) {
			free(name);
			goto out;
		}
		if (has_cond && !has_uncond) {
			n_cond++;
			explain_conditional(pol, arch, nr, name, def, &cond);
		} else {
			struct group *g = group_for(groups, &n_groups, ARRAY_SIZE(groups), v.ret);
			if (g)
				group_add(g, name);
			else
				n_other++;
		}
		free(name);
	}
	qsort(groups, n_groups, sizeof(groups[0]), cmp_group);
	for (size_t i = 0; i < n_groups; i++) {
		char v[64];
		shim_bpf_ret_format(groups[i].ret, v, sizeof(v));
		shim_text_printf(out, "\n%s (%zu):\n%s\n", v, groups[i].count,
				 groups[i].names.s ? groups[i].names.s : "");
	}
	if (n_other)
		shim_text_printf(out, "\n(%zu more syscalls, with verdicts beyond the %zu shown)\n",
				 n_other, ARRAY_SIZE(groups));
	if (n_cond)
		shim_text_printf(out, "\ndepends on the arguments (%zu):\n%s", n_cond, cond.s);
	long max = shim_policy_max_nr(pol, arch);
	if (shim_stub_wanted(&pol->default_action) && max >= 0)
		shim_text_printf(out, "\nsyscall numbers above %ld (the highest named) get ENOSYS, so programs fall back\n",
				 max - base);
	rc = 0;
out:
	for (size_t i = 0; i < n_groups; i++)
		shim_text_free(&groups[i].names);
	shim_text_free(&cond);
	shim_ref_free(ref);
	return rc;
}

/* Argument vectors worth trying for nr: all zero, then around every value
 * either policy compares an argument with. */
static size_t probe_vectors(const struct shim_policy *const pols[2], uint32_t arch, int nr,
			    uint64_t (*vec)[6], size_t max)
{
	size_t n = 1;

	memset(vec[0], 0, sizeof(vec[0]));
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < pols[s]->n_rules; i++) {
			const struct shim_policy_rule *r = &pols[s]->rules[i];
			if (!r->n_args || shim_syscall_resolve_name_arch(arch, r->name) != nr)
				continue;
			for (size_t k = 0; k < r->n_args; k++) {
				const struct shim_arg *a = &r->args[k];
				uint64_t vals[4] = { a->value, a->value + 1, a->value - 1,
						     a->op == SHIM_OP_MASKED_EQ ? a->value_two : ~0ULL };
				for (size_t j = 0; j < 4 && n < max; j++) {
					bool seen = false;
					memset(vec[n], 0, sizeof(vec[n]));
					vec[n][a->index] = vals[j];
					for (size_t m = 0; m < n && !seen; m++)
						seen = memcmp(vec[m], vec[n], sizeof(vec[n])) == 0;
					n += !seen;
				}
			}
		}
	return n;
}

int shim_diff(const struct shim_policy *a, const struct shim_filter *fa,
	      const struct shim_policy *b, const struct shim_filter *fb, uint32_t arch,
	      struct shim_text *out, size_t *n_diff, struct shim_error *err)
{
	const struct shim_policy *const pols[2] = { a, b };
	static uint64_t vec[256][6];
	int base = arch_base(arch);

	*n_diff = 0;
	for (int nr = base; nr < base + 1100; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(arch, nr);
		size_t n = probe_vectors(pols, arch, nr, vec, ARRAY_SIZE(vec)), shown = 0;

		if (!name)
			continue;
		for (size_t k = 0; k < n; k++) {
			uint32_t ra, rb;
			char va[64], vb[64];

			if (run(fa, arch, nr, vec[k], &ra, err) < 0 ||
			    run(fb, arch, nr, vec[k], &rb, err) < 0) {
				free(name);
				return -1;
			}
			if (ra == rb)
				continue;
			if (shown++ == 0)
				(*n_diff)++;
			if (shown > 4)
				continue;
			shim_bpf_ret_format(ra, va, sizeof(va));
			shim_bpf_ret_format(rb, vb, sizeof(vb));
			shim_text_printf(out, "%s", name);
			if (k) {
				const char *sep = "(";
				for (int i = 0; i < 6; i++)
					if (vec[k][i]) {
						shim_text_printf(out, "%sarg%d=%#llx", sep, i,
								 (unsigned long long)vec[k][i]);
						sep = ", ";
					}
				shim_text_printf(out, "%s", strcmp(sep, "(") ? ")" : "(all arguments 0)");
			}
			shim_text_printf(out, ": %s -> %s\n", va, vb);
		}
		free(name);
	}
	return 0;
}

/* A mix of calls as a shell, coreutils and a threaded server make them
 * (counts from seccomp-shim record --stats), for instructions per call. */
static const struct {
	const char *name;
	unsigned weight;
} common_mix[] = {
	{ "openat", 99 }, { "newfstatat", 95 }, { "mmap", 80 }, { "close", 68 }, { "read", 60 },
	{ "write", 40 }, { "futex", 30 }, { "mprotect", 14 }, { "brk", 12 },
	{ "rt_sigprocmask", 9 }, { "pread64", 8 }, { "rt_sigaction", 7 }, { "epoll_wait", 20 },
	{ "recvfrom", 15 }, { "sendto", 15 }, { "wait4", 6 }, { "clone", 4 }, { "execve", 4 },
	{ "exit_group", 4 }, { "getrandom", 4 }, { "socket", 3 }, { "ioctl", 3 }, { "fcntl", 3 },
};

int shim_filter_stats(const struct shim_filter *f, uint32_t arch, struct shim_text *out,
		      struct shim_error *err)
{
	static const uint64_t zero[6];
	size_t known = 0, allowed = 0, cacheable = 0, shown = 0;
	double sum = 0, sum_cached = 0, weight = 0;
	int base = arch_base(arch);
	struct shim_text uncached = { 0 };

	for (int nr = base; nr < base + 1100; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(arch, nr);
		struct shim_seccomp_data d = { .nr = nr, .arch = data_arch(arch) };
		struct shim_bpf_trace t = { 0 };
		uint32_t ret;

		if (!name)
			continue;
		known++;
		if (shim_bpf_run_traced(f->insns, f->n_insns, &d, &ret, &t, err) < 0) {
			free(name);
			shim_text_free(&uncached);
			return -1;
		}
		if ((ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ALLOW) {
			allowed++;
			if (!t.reads_args)
				cacheable++;
			else if (shown++ < 40)
				shim_text_printf(&uncached, " %s", name);
		}
		free(name);
	}
	for (size_t i = 0; i < ARRAY_SIZE(common_mix); i++) {
		struct shim_seccomp_data d = { .arch = data_arch(arch) };
		struct shim_bpf_trace t = { 0 };
		uint32_t ret;

		d.nr = shim_syscall_resolve_name_arch(arch, common_mix[i].name);
		if (d.nr < 0)
			continue;
		memcpy(d.args, zero, sizeof(zero));
		if (shim_bpf_run_traced(f->insns, f->n_insns, &d, &ret, &t, err) < 0) {
			shim_text_free(&uncached);
			return -1;
		}
		sum += (double)t.executed * common_mix[i].weight;
		/* A cached verdict costs no instruction at all. */
		if (t.reads_args || (ret & SECCOMP_RET_ACTION_FULL) != SECCOMP_RET_ALLOW)
			sum_cached += (double)t.executed * common_mix[i].weight;
		weight += common_mix[i].weight;
	}
	shim_text_printf(out, "instructions: %zu\n", f->n_insns);
	shim_text_printf(out, "syscalls known here: %zu, allowed: %zu, allowed whatever the arguments (the kernel caches them): %zu\n",
			 known, allowed, cacheable);
	if (allowed > cacheable)
		shim_text_printf(out, "allowed only for some arguments (the filter runs each time):%s%s\n",
				 uncached.s ? uncached.s : "", shown > 40 ? " ..." : "");
	shim_text_printf(out, "instructions run per syscall over a common mix: %.1f, %.1f with the kernel's cache\n",
			 weight ? sum / weight : 0, weight ? sum_cached / weight : 0);
	shim_text_free(&uncached);
	return 0;
}

/* The other libseccomp build than f's, held to the rules: a line when
 * it does not follow them. */
static int other_build(struct shim_compiled *c, const struct shim_ref *ref, struct shim_text *out,
		       struct shim_error *err)
{
	struct shim_filter other;
	struct shim_seccomp_data d;
	size_t inputs;
	uint32_t ret;
	char got[64];
	int rc;

	if (shim_compile_libseccomp_unchecked(c->profile, &c->pol, !c->filter.linear, &other, err) < 0)
		return -1;
	rc = shim_filter_check(&c->pol, ref, &other, &d, &inputs, err);
	if (rc == 0 && shim_bpf_run(other.insns, other.n_insns, &d, &ret, err) < 0)
		rc = -1;
	if (rc == 0) {
		shim_bpf_ret_format(ret, got, sizeof(got));
		shim_text_printf(out, "libseccomp's %s for the same rules does not: ",
				 c->filter.linear ? "binary tree" : "linear program");
		shim_input_describe(&c->pol, &d, out);
		shim_text_printf(out, " ");
		shim_rules_describe(c->profile, ref, &d, out);
		shim_text_printf(out, ", but it gives %s\n", got);
	}
	shim_filter_free(&other);
	return rc < 0 ? -1 : 0;
}

int shim_compiler_report(struct shim_compiled *c, bool asked, struct shim_text *out,
			 struct shim_error *err)
{
	const struct scmp_version *v = seccomp_version();
	struct shim_filter theirs;
	struct shim_seccomp_data d;
	struct shim_ref *ref;
	char ours_ret[64], their_ret[64];
	size_t inputs;
	uint32_t a, b;
	int rc;

	if (shim_ref_new(&c->pol, &ref, err) < 0)
		return -1;
	rc = shim_filter_check(&c->pol, ref, &c->filter, &d, &inputs, err);
	if (rc < 0)
		goto out;
	if (c->filter.by_libseccomp) {
		shim_text_printf(out, "compiled by: libseccomp %u.%u.%u, its %s (%s), which %s the rules on all %zu inputs tried\n",
				 v->major, v->minor, v->micro,
				 c->filter.linear ? "linear program" : "binary tree",
				 asked ? "as asked" : "a shape seccomp-shim's generator leaves to it",
				 rc ? "follows" : "does not follow", inputs);
		rc = other_build(c, ref, out, err);
		goto out;
	}
	if (shim_compile_libseccomp_unchecked(c->profile, &c->pol, false, &theirs, err) < 0) {
		rc = -1;
		goto out;
	}
	rc = shim_filter_equivalent(&c->pol, &c->filter, &theirs, &d, &inputs, err);
	if (rc < 0 || (rc == 0 && (shim_bpf_run(c->filter.insns, c->filter.n_insns, &d, &a, err) < 0 ||
				   shim_bpf_run(theirs.insns, theirs.n_insns, &d, &b, err) < 0))) {
		shim_filter_free(&theirs);
		rc = -1;
		goto out;
	}
	shim_text_printf(out, "compiled by: seccomp-shim; libseccomp %u.%u.%u's program for the same rules has %zu instructions",
			 v->major, v->minor, v->micro, theirs.n_insns);
	if (rc == 1) {
		shim_text_printf(out, " and gives the same verdict on all %zu inputs tried\n", inputs);
	} else {
		shim_bpf_ret_format(a, ours_ret, sizeof(ours_ret));
		shim_bpf_ret_format(b, their_ret, sizeof(their_ret));
		shim_text_printf(out, " and differs ");
		shim_input_describe(&c->pol, &d, out);
		shim_text_printf(out, ": %s here, %s from libseccomp; ", ours_ret, their_ret);
		shim_rules_describe(c->profile, ref, &d, out);
		shim_text_printf(out, "\n");
	}
	shim_filter_free(&theirs);
	rc = 0;
out:
	shim_ref_free(ref);
	return rc;
}
