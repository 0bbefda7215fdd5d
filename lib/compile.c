/* compile: flat policy -> classic BPF.
 *
 * MUST: the program is our own generator's (lib/bpfgen.c) where it
 * reproduces libseccomp's verdicts exactly, else libseccomp's; either way
 * preceded by runc's ENOSYS stub; rules libseccomp refuses are refused
 * with libseccomp's reason and an error naming the rule, also when our
 * generator has a program for them (libseccomp is asked about the rules
 * that can meet one with another action, lib/scmpdb.c); a profile
 * libseccomp would never finish adding (so runc hangs on it) is refused
 * before libseccomp is given it, so nothing here waits forever;
 * an unknown syscall name is a warning naming file:line:column (or an
 * error when asked); nothing here touches the calling process's own
 * filter.
 * MUST: no program leaves here that gives, on any input lib/equiv.c
 * builds, a verdict the rules do not give (lib/refeval.c). libseccomp
 * 2.5.4 miscompiles some range tests, in its binary tree and in its
 * linear program on different inputs: the one that follows the rules is
 * used (the one asked for, else the linear one as runc builds it, else
 * the tree), and when neither does the profile is refused, naming the
 * first input each gets wrong.
 *
 * This file: the rules a compiler gets, the choice between ours and
 * libseccomp's programs, and libseccomp's path (its refusals, its hangs,
 * its export). lib/compile-stub.c: runc's ENOSYS stub. lib/compile-judge.c:
 * each candidate held to the rules, and why one is refused.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/seccomp.h>

#include "compile.h"

#define UNKNOWN_WARNINGS_MAX 10

static enum scmp_compare scmp_op(enum shim_cmp_op op)
{
	switch (op) {
	case SHIM_OP_NE: return SCMP_CMP_NE;
	case SHIM_OP_LT: return SCMP_CMP_LT;
	case SHIM_OP_LE: return SCMP_CMP_LE;
	case SHIM_OP_EQ: return SCMP_CMP_EQ;
	case SHIM_OP_GE: return SCMP_CMP_GE;
	case SHIM_OP_GT: return SCMP_CMP_GT;
	case SHIM_OP_MASKED_EQ: return SCMP_CMP_MASKED_EQ;
	}
	return _SCMP_CMP_MIN; /* unreachable */
}

/* Where a rule's name is written: its JSON path and line:col. */
struct rule_place {
	char path[64];
	unsigned line, col;
};

static void rule_where(const struct shim_profile *p, const struct shim_policy_rule *r,
		       struct rule_place *at)
{
	snprintf(at->path, sizeof(at->path), "syscalls[%zu].names[%zu]", r->src_index,
		 r->src_name_index);
	shim_profile_locate(p, at->path, &at->line, &at->col);
}

static int add_rule(scmp_filter_ctx ctx, const struct shim_profile *p,
		    const struct shim_compile_rule *c, struct shim_error *err)
{
	const struct shim_policy_rule *r = c->rule;
	struct scmp_arg_cmp cmp[6];
	struct rule_place at;
	int rc;

	for (size_t i = 0; i < r->n_args; i++) {
		cmp[i].arg = r->args[i].index;
		cmp[i].op = scmp_op(r->args[i].op);
		cmp[i].datum_a = r->args[i].value;
		cmp[i].datum_b = r->args[i].value_two;
	}
	rc = seccomp_rule_add_array(ctx, c->ret, c->native_nr, (unsigned)r->n_args, cmp);
	if (rc == 0)
		return 0;
	rule_where(p, r, &at);
	shim_error_at(err, -rc, rc == -EEXIST ? "conflicting-rules" : "libseccomp-refused",
		      p->path, at.line, at.col, at.path,
		      "libseccomp refused the rule for \"%s\": %s%s", r->name, strerror(-rc),
		       rc == -EEXIST ? " (an earlier rule for the same syscall gives another action where their argument tests meet; runc refuses this profile too: give such rules one action, or a test that tells them apart)" : "");
	return -1;
}

/* The rules a compiler gets: names resolved on this machine (as runc
 * hands them to libseccomp), unknown ones warned about or fatal, rules
 * equal to the default left out (libseccomp refuses them). */
static int collect_rules(const struct shim_profile *p, const struct shim_policy *pol,
			 const struct shim_compile_options *opt,
			 struct shim_compile_rule **out, size_t *n_out,
			 struct shim_warnings *warn, struct shim_error *err)
{
	uint32_t def = shim_action_ret(&pol->default_action);
	const struct scmp_version *v = seccomp_version();
	struct shim_compile_rule *list = malloc((pol->n_rules + 1) * sizeof(*list));
	size_t unknown = 0, n = 0;

	if (!list) {
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < pol->n_rules; i++) {
		const struct shim_policy_rule *r = &pol->rules[i];
		int nr = shim_syscall_resolve_name(r->name);
		uint32_t act = shim_action_ret(&r->action);
		struct rule_place at = { "", 0, 0 };

		if (nr == __NR_SCMP_ERROR) {
			/* Located only for a message someone gets. */
			if ((warn && unknown < UNKNOWN_WARNINGS_MAX) ||
			    (opt && opt->unknown_syscalls_fatal))
				rule_where(p, r, &at);
			if (opt && opt->unknown_syscalls_fatal) {
				shim_error_at(err, ENOENT, "unknown-syscall", p->path, at.line, at.col,
					      at.path, "unknown syscall \"%s\" (libseccomp %u.%u.%u does not know it; --unknown-syscalls=warn skips it)",
					      r->name, v->major, v->minor, v->micro);
				free(list);
				return -1;
			}
			/* Each one is located in the text: keep that bounded.
			 * The "did you mean" is only looked for if the
			 * warning is shown (shim_warning_text). */
			if (++unknown <= UNKNOWN_WARNINGS_MAX) {
				const struct shim_diag place = {
					.code = "unknown-syscall", .file = p->path,
					.line = at.line, .col = at.col, .path = at.path,
				};
				shim_warn_note(warn, SHIM_WARNING_UNKNOWN_SYSCALL, r->name, &place,
					       "unknown syscall \"%s\" skipped (libseccomp %u.%u.%u does not know it)",
					       r->name, v->major, v->minor, v->micro);
			}
			continue;
		}
		if (act == def)
			continue;
		list[n++] = (struct shim_compile_rule){ r, nr, act };
	}
	if (unknown > UNKNOWN_WARNINGS_MAX) {
		const struct shim_diag place = { .code = "unknown-syscall", .file = p->path };
		shim_warn_note(warn, SHIM_WARNING_UNKNOWN_SYSCALL, NULL, &place,
			       "%zu more unknown syscalls skipped", unknown - UNKNOWN_WARNINGS_MAX);
	}
	*out = list;
	*n_out = n;
	return 0;
}

static int export_bpf(scmp_filter_ctx ctx, struct shim_filter *out,
		      struct shim_error *err)
{
	struct stat st;
	ssize_t n;
	int rc, fd = memfd_create("seccomp-shim-bpf", MFD_CLOEXEC);

	if (fd < 0) {
		shim_error_set(err, errno, "cannot export the filter: memfd_create: %s",
			       strerror(errno));
		return -1;
	}
	rc = seccomp_export_bpf(ctx, fd);
	if (rc < 0 || fstat(fd, &st) < 0 || st.st_size <= 0 ||
	    st.st_size % sizeof(struct sock_filter)) {
		shim_error_set(err, rc < 0 ? -rc : EIO, "libseccomp could not export the filter: %s",
			       strerror(rc < 0 ? -rc : EIO));
		close(fd);
		return -1;
	}
	out->n_insns = (size_t)st.st_size / sizeof(struct sock_filter);
	out->insns = malloc((size_t)st.st_size);
	n = out->insns ? pread(fd, out->insns, (size_t)st.st_size, 0) : -1;
	close(fd);
	if (n != st.st_size) {
		free(out->insns);
		out->insns = NULL;
		shim_error_set(err, EIO, "cannot read back the exported filter");
		return -1;
	}
	return 0;
}

static int set_up_context(scmp_filter_ctx ctx, const struct shim_policy *pol, bool linear,
			  struct shim_error *err)
{
	int rc;

	/* We set no_new_privs ourselves, in its place in the sequence. */
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	/* A binary tree of syscall numbers: log n comparisons instead of n
	 * for the calls the kernel cannot cache. */
	if (rc == 0 && !linear)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (size_t i = 0; rc == 0 && i < pol->n_arches; i++) {
		rc = seccomp_arch_add(ctx, pol->arches[i]);
		if (rc == -EEXIST)
			rc = 0;
	}
	/* Compiled for another machine (explain, export --arch): only the
	 * policy's architectures, not this one's. */
	if (rc == 0 && !shim_policy_has_arch(pol, seccomp_arch_native()))
		rc = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
	if (rc < 0)
		shim_error_set(err, -rc, "libseccomp: cannot set up the filter: %s",
			       strerror(-rc));
	return rc;
}

/* A rule libseccomp 2.5.4 would never finish adding (lib/scmpdb.c). */
static void hang_error(const struct shim_profile *p, const struct shim_policy_rule *r,
		       struct shim_error *err)
{
	const struct scmp_version *v = seccomp_version();
	struct rule_place at;

	rule_where(p, r, &at);
	shim_error_at(err, ELOOP, "libseccomp-hangs", p->path, at.line, at.col, at.path, "libseccomp %u.%u.%u never finishes adding the rule for \"%s\", so runc hangs on this profile and seccomp-shim refuses it: after the same range or NE test as an earlier rule for the same syscall, this rule goes on to a test that libseccomp puts before the other rule's next one, and links that node of its tree to itself; list this rule before the other, or give the two different first tests",
		      v->major, v->minor, v->micro, r->name);
}

/* Adds the rules (those selected; all with selected NULL) in order, as
 * runc does, except one that libseccomp 2.5.4 would never finish adding:
 * that one is refused, naming it. */
static int add_rules(scmp_filter_ctx ctx, const struct shim_profile *p,
		     const struct shim_policy *pol, const struct shim_compile_rule *rules,
		     size_t n_rules, const bool *selected, struct shim_error *err)
{
	bool *hangs = calloc(n_rules + 1, sizeof(*hangs));
	struct shim_scmpdb *db = NULL;
	int rc = 0;

	if (!hangs || shim_scmpdb_new(pol, rules, n_rules, &db) < 0) {
		free(hangs);
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	shim_scmpdb_hangs(db, selected, hangs);
	for (size_t i = 0; rc == 0 && i < n_rules; i++) {
		if (selected && !selected[i])
			continue;
		if (hangs[i]) {
			hang_error(p, rules[i].rule, err);
			rc = -1;
		} else {
			rc = add_rule(ctx, p, &rules[i], err);
		}
	}
	shim_scmpdb_free(db);
	free(hangs);
	return rc;
}

/* A libseccomp context holding the rules (those selected; all with
 * selected NULL). */
static scmp_filter_ctx build_ctx(const struct shim_profile *p, const struct shim_policy *pol,
				 bool linear, const struct shim_compile_rule *rules, size_t n_rules,
				 const bool *selected, struct shim_error *err)
{
	scmp_filter_ctx ctx = seccomp_init(shim_action_ret(&pol->default_action));

	if (!ctx) {
		shim_error_set(err, EINVAL, "libseccomp refused the default action %s",
			       shim_action_name(pol->default_action.kind));
		return NULL;
	}
	if (set_up_context(ctx, pol, linear, err) < 0 ||
	    add_rules(ctx, p, pol, rules, n_rules, selected, err) < 0) {
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}

/* What libseccomp (so runc) refuses is refused here too, though our
 * generator has a program for it: rules for one syscall that give
 * different actions where libseccomp's tests of them meet (EEXIST); and
 * what runc hangs on. libseccomp is asked about the rules that can meet
 * a rule with another action, and every rule they meet (lib/scmpdb.c):
 * the same rule is refused first as when it is given them all. */
static int check_refusals(const struct shim_profile *p, const struct shim_policy *pol,
			  const struct shim_compile_rule *rules, size_t n_rules,
			  struct shim_error *err)
{
	bool *selected = calloc(n_rules + 1, sizeof(*selected));
	struct shim_scmpdb *db = NULL;
	scmp_filter_ctx ctx = NULL;
	size_t hang = n_rules, asked = 0;
	int rc = -1;

	if (!selected || shim_scmpdb_new(pol, rules, n_rules, &db) < 0) {
		shim_error_set(err, ENOMEM, "out of memory");
		goto out;
	}
	shim_scmpdb_hangs(db, NULL, selected);
	for (size_t i = n_rules; i-- > 0;)
		if (selected[i])
			hang = i;
	shim_scmpdb_contested(db, selected);
	/* libseccomp stops at the first rule it refuses or hangs on. */
	for (size_t i = 0; i < n_rules; i++) {
		selected[i] &= i < hang;
		asked += selected[i];
	}
	if (asked && !(ctx = build_ctx(p, pol, true, rules, n_rules, selected, err)))
		goto out;
	if (hang < n_rules) {
		hang_error(p, rules[hang].rule, err);
		goto out;
	}
	rc = 0;
out:
	if (ctx)
		seccomp_release(ctx);
	shim_scmpdb_free(db);
	free(selected);
	return rc;
}

/* libseccomp's program for the rules (linear or a binary tree), with the
 * stub in front: as it would be loaded, not yet checked. */
static int compile_libseccomp(const struct shim_profile *p, const struct shim_policy *pol,
			      bool linear, const struct shim_compile_rule *rules, size_t n_rules,
			      struct shim_filter *out, struct shim_error *err)
{
	scmp_filter_ctx ctx = build_ctx(p, pol, linear, rules, n_rules, NULL, err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!ctx)
		return -1;
	rc = export_bpf(ctx, out, err);
	seccomp_release(ctx);
	if (rc == 0 && shim_stub_prepend(pol, out, err) < 0) {
		shim_filter_free(out);
		rc = -1;
	}
	out->by_libseccomp = true;
	out->linear = linear;
	out->flags = pol->flags;
	return rc;
}

static bool wants_libseccomp(const struct shim_compile_options *opt)
{
	return opt && (opt->linear || opt->libseccomp);
}

static size_t shortest(const struct shim_candidate *c, size_t n)
{
	size_t min = SIZE_MAX;

	for (size_t i = 0; i < n; i++)
		if (c[i].n_insns < min)
			min = c[i].n_insns;
	return min;
}

/* libseccomp's program that follows the rules: the one asked for first
 * (--linear, --libseccomp), else the linear one as runc builds it, then
 * the other. Neither: an error naming, for each program tried (ours
 * first, when it was tried), the first input it gets wrong. */
static int compile_checked(const struct shim_profile *p, const struct shim_policy *pol,
			   const struct shim_compile_options *opt,
			   const struct shim_compile_rule *rules, size_t n_rules,
			   const struct shim_ref *ref, struct shim_candidate *c, size_t n_c,
			   struct shim_filter *out, struct shim_error *err)
{
	const struct scmp_version *v = seccomp_version();
	bool first_linear = !(opt && opt->libseccomp && !opt->linear), wrong = false;
	struct shim_text why = { 0 };
	int rc = 0;

	for (int i = 0; rc == 0 && i < 2; i++) {
		bool linear = i == 0 ? first_linear : !first_linear;

		c[n_c].what = linear ? "libseccomp's linear program" : "libseccomp's binary tree";
		if (compile_libseccomp(p, pol, linear, rules, n_rules, out, err) < 0)
			return -1;
		rc = shim_candidate_judge(pol, ref, out, &c[n_c++], err);
		if (rc != 1)
			shim_filter_free(out);
	}
	if (rc != 0)
		return rc > 0 ? 0 : -1;
	for (size_t i = 0; i < n_c; i++)
		wrong |= c[i].wrong;
	shim_candidates_explain(p, pol, ref, c, n_c, &why);
	if (wrong) /* the programs too long are named in why */
		shim_error_at(err, EINVAL, "libseccomp-wrong", p->path, 0, 0, NULL,
			      "libseccomp %u.%u.%u compiles this profile wrong, so no filter is loaded: %s%s (see BUGS in seccomp-shim(1): libseccomp gets wrong some rules that test one argument with ranges in several rules of a syscall)",
			      v->major, v->minor, v->micro, why.s ? why.s : "",
			       why.oom ? "..." : "");
	else
		shim_error_at(err, E2BIG, "filter-too-long", p->path, 0, 0, NULL,
			      "the compiled filter has %zu instructions; the kernel takes at most %d (use fewer rules or argument conditions)",
			      shortest(c, n_c), BPF_MAXINSNS);
	shim_text_free(&why);
	return -1;
}

int shim_compile_libseccomp_unchecked(const struct shim_profile *p,
				      const struct shim_policy *pol, bool linear,
				      struct shim_filter *out, struct shim_error *err)
{
	struct shim_compile_rule *rules;
	size_t n_rules;
	int rc;

	memset(out, 0, sizeof(*out));
	if (collect_rules(p, pol, NULL, &rules, &n_rules, NULL, err) < 0)
		return -1;
	rc = compile_libseccomp(p, pol, linear, rules, n_rules, out, err);
	free(rules);
	return rc;
}

int shim_compile(const struct shim_profile *p, const struct shim_policy *pol,
		 const struct shim_compile_options *opt, struct shim_filter *out,
		 struct shim_warnings *warn, struct shim_error *err)
{
	struct shim_compile_rule *rules;
	struct shim_ref *ref = NULL;
	struct shim_candidate c[3] = { { .what = "seccomp-shim's own program" } };
	size_t n_rules, n_c = 0;
	int rc = -1, own = 0;

	memset(out, 0, sizeof(*out));
	if (collect_rules(p, pol, opt, &rules, &n_rules, warn, err) < 0)
		return -1;
	if (shim_ref_new(pol, &ref, err) < 0)
		goto out;
	if (!wants_libseccomp(opt))
		own = shim_bpfgen(pol, rules, n_rules, out);
	if (own < 0) {
		shim_error_set(err, ENOMEM, "out of memory compiling the filter");
		goto out;
	}
	if (own > 0 && check_refusals(p, pol, rules, n_rules, err) < 0)
		goto out;
	if (own > 0 && shim_stub_prepend(pol, out, err) < 0)
		goto out;
	/* Ours is held to the rules as libseccomp's is: a difference is our
	 * bug, and libseccomp's program, if right, is loaded instead. Long
	 * runs of values on one argument: libseccomp's program can be
	 * shorter, and one that fits beats one that does not. */
	if (own > 0) {
		own = shim_candidate_judge(pol, ref, out, &c[n_c++], err);
		if (own < 0)
			goto out;
		if (own == 0)
			shim_filter_free(out);
		if (c[0].wrong) {
			struct shim_text why = { 0 };
			shim_candidates_explain(p, pol, ref, c, 1, &why);
			shim_warn_at(warn, "generator-bug", p->path, 0, 0, NULL,
				     "seccomp-shim's generator compiled this profile wrong (a bug: please report it with the profile): %s; libseccomp's program is used if it is right",
				     why.s ? why.s : "");
			shim_text_free(&why);
		}
	}
	if (own == 0 &&
	    compile_checked(p, pol, opt, rules, n_rules, ref, c, n_c, out, err) < 0)
		goto out;
	out->flags = pol->flags;
	out->by_libseccomp = own == 0;
	rc = 0;
out:
	if (rc < 0)
		shim_filter_free(out);
	shim_ref_free(ref);
	free(rules);
	return rc;
}

int shim_export_pfc(const struct shim_profile *p, const struct shim_policy *pol,
		    const struct shim_compile_options *opt, int fd, struct shim_error *err)
{
	struct shim_compile_rule *rules;
	size_t n_rules;
	scmp_filter_ctx ctx;
	int rc;

	if (collect_rules(p, pol, opt, &rules, &n_rules, NULL, err) < 0)
		return -1;
	ctx = build_ctx(p, pol, opt && opt->linear, rules, n_rules, NULL, err);
	free(rules);
	if (!ctx)
		return -1;
	if (shim_stub_wanted(&pol->default_action))
		for (size_t i = 0; i < pol->n_arches; i++) {
			long max = shim_policy_max_nr(pol, pol->arches[i]);
			const struct shim_arch_info *a = shim_arch_by_token(pol->arches[i]);
			if (max >= 0)
				dprintf(fd, "# seccomp-shim: before this filter, on %s a syscall number above %ld gets ERRNO(%d) (ENOSYS)\n",
					a ? a->oci : "?", max, ENOSYS);
		}
	rc = seccomp_export_pfc(ctx, fd);
	seccomp_release(ctx);
	if (rc < 0) {
		shim_error_set(err, -rc, "libseccomp could not write PFC: %s", strerror(-rc));
		return -1;
	}
	return 0;
}

void shim_filter_free(struct shim_filter *f)
{
	free(f->insns);
	f->insns = NULL;
	f->n_insns = 0;
}
