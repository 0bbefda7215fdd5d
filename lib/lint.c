/* lint: what `check` says beyond the errors of the pipeline itself. This
 * file owns the findings list (struct shim_findings), what the checks
 * share (lib/lint.h: a finding placed at a JSON path, the compiled
 * filter's verdict on a call, arguments that meet a rule) and shim_lint,
 * which runs the checks in the order they are reported. The checks are
 * one file a family: lib/lint_calls.c (essential calls, deny-lists),
 * lib/lint_rules.c (the rules as written), lib/lint_multiplexers.c
 * (socketcall and ipc), lib/lint_wide_compare.c (32-bit arguments
 * compared as 64), lib/lint_portability.c (what runtimes read
 * differently).
 *
 * MUST: every finding names file:line:column and the JSON path, says what
 * is wrong and how to fix it; verdicts come from the compiled filter in
 * the interpreter, not from reading the rules.
 */
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>

#include "lint.h"

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void add(struct shim_findings *out, enum shim_severity sev, const char *code,
		const char *file, unsigned line, unsigned col, const char *path,
		const char *message, const char *fix)
{
	struct shim_diag *grown = realloc(out->v, (out->n + 1) * sizeof(*grown));

	if (!grown)
		return; /* a finding is not worth failing for */
	out->v = grown;
	out->v[out->n++] = (struct shim_diag){
		.severity = sev, .code = code, .file = dup_or_null(file), .line = line,
		.col = col, .path = dup_or_null(path), .message = dup_or_null(message),
		.fix = dup_or_null(fix),
	};
}

void shim_findings_add(struct shim_findings *out, const struct shim_diag *d)
{
	add(out, d->severity, d->code, d->file, d->line, d->col, d->path, d->message, d->fix);
}

void shim_findings_free(struct shim_findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		shim_diag_free(&f->v[i]);
	free(f->v);
	memset(f, 0, sizeof(*f));
}

void shim_lint_at(struct shim_findings *out, const struct shim_profile *p, enum shim_severity sev,
		  const char *code, const char *fix, const char *path, const char *fmt, ...)
{
	va_list ap;
	char msg[700];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	unsigned line = 0, col = 0;
	shim_profile_locate(p, path, &line, &col);
	add(out, sev, code, p->path, line, col, path, msg, fix);
}

bool shim_lint_passes(uint32_t ret)
{
	uint32_t action = ret & SECCOMP_RET_ACTION_FULL;
	return action == SECCOMP_RET_ALLOW || action == SECCOMP_RET_LOG;
}

uint32_t shim_lint_verdict_of(const struct shim_filter *f, uint32_t arch, const char *name,
			      bool *known)
{
	static const uint64_t zero[6];
	struct shim_seccomp_data d = { .arch = arch == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : arch };
	uint32_t ret = SECCOMP_RET_KILL_PROCESS;

	d.nr = shim_syscall_resolve_name_arch(arch, name);
	*known = d.nr >= 0;
	memcpy(d.args, zero, sizeof(zero));
	if (*known && shim_bpf_run(f->insns, f->n_insns, &d, &ret, NULL) < 0)
		ret = SECCOMP_RET_KILL_PROCESS;
	return ret;
}

uint32_t shim_lint_verdict_args(const struct shim_filter *f, uint32_t arch, int nr,
				const uint64_t args[6])
{
	struct shim_seccomp_data d = { .nr = nr,
				       .arch = arch == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : arch };
	uint32_t ret = SECCOMP_RET_KILL_PROCESS;

	memcpy(d.args, args, sizeof(d.args));
	if (shim_bpf_run(f->insns, f->n_insns, &d, &ret, NULL) < 0)
		ret = SECCOMP_RET_KILL_PROCESS;
	return ret;
}

/* A value that passes the test a, as the filter reads it. */
static uint64_t satisfying(const struct shim_arg *a)
{
	switch (a->op) {
	case SHIM_OP_NE:
	case SHIM_OP_GT:
		return a->value == UINT64_MAX ? a->value : a->value + 1;
	case SHIM_OP_LT:
		return a->value ? a->value - 1 : 0;
	case SHIM_OP_MASKED_EQ:
		return a->value_two & a->value;
	case SHIM_OP_EQ:
	case SHIM_OP_LE:
	case SHIM_OP_GE:
		break;
	}
	return a->value;
}

void shim_lint_witness(const struct shim_policy_rule *r, uint64_t args[6])
{
	memset(args, 0, 6 * sizeof(args[0]));
	for (size_t i = 0; i < r->n_args; i++)
		if (r->args[i].index < 6)
			args[r->args[i].index] = satisfying(&r->args[i]);
}

void shim_lint(const struct shim_profile *p, const struct shim_policy *pol,
	       const struct shim_filter *f, uint32_t arch, struct shim_findings *out)
{
	shim_lint_essentials(p, pol, f, arch, out);
	shim_lint_kill(p, out);
	shim_lint_same_as_default(p, out);
	shim_lint_pairs(p, pol, arch, out);
	shim_lint_deny_list(p, pol, f, arch, out);
	shim_lint_multiplexers(p, pol, f, arch, out);
	shim_lint_wide_compare(p, pol, f, arch, out);
	shim_lint_foreign_arches(p, arch, out);
	shim_lint_portability(p, out);
	shim_lint_mask(p, out);
	shim_lint_split_range(p, out);
	shim_lint_constant(p, pol, out);
}

