/* The subcommands that read profiles and say what they do: check,
 * explain, eval, diff. shim/cli.c has read their options and arguments;
 * these run them and print. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <seccomp.h>

#include "seccomp-shim.h"
#include "cli.h"
#include "diag.h"
#include "tools.h"

/* A diagnostic of the pipeline, under the reference's name when it has
 * no file of its own (a reference that does not resolve, say). */
static void add_for(struct shim_findings *all, const struct shim_diag *d, const char *name)
{
	struct shim_diag named = *d;

	if (!named.file || !*named.file)
		named.file = (char *)name;
	shim_findings_add(all, &named);
}

/* check PROFILE...: 0 clean (or only warnings), 1 warnings under
 * --strict, 2 errors. */
int cmd_check(const struct cli_args *op)
{
	const struct cli_args o = *op;
	struct shim_host host;
	struct shim_findings all = { 0 };
	struct shim_text out = { 0 };
	size_t n_err = 0, n_warn = 0;
	int r;

	if ((r = tool_host("check", &o, &host, 2)))
		return r;
	for (int i = 0; i < o.n_rest; i++) {
		struct shim_error err = { 0 };
		struct shim_warnings warn = { 0 };
		struct shim_findings errors = { 0 };
		struct shim_compiled c;
		const char *name = o.rest[i];

		r = shim_compiled_check(name, o.profile_root, &host, &o.compile, &c, &warn, &errors,
					&err);
		for (size_t k = 0; k < warn.n; k++)
			add_for(&all, shim_warning_diag(&warn, k), name);
		/* Every error the parser found, or the one that stopped it. */
		for (size_t k = 0; k < errors.n; k++)
			add_for(&all, &errors.v[k], name);
		if (r < 0 && !errors.n) {
			struct shim_diag d;
			if (shim_error_diag(&err, &d) == 0) {
				add_for(&all, &d, name);
				shim_diag_free(&d);
			}
		}
		if (r == 0) {
			shim_lint(c.profile, &c.pol, &c.filter, host.arch->token, &all);
			shim_compiled_free(&c);
		}
		shim_warnings_free(&warn);
		shim_findings_free(&errors);
	}
	for (size_t i = 0; i < all.n; i++)
		all.v[i].severity == SHIM_SEV_ERROR ? n_err++ : n_warn++;
	diag_findings_format(&all, o.format && strcmp(o.format, "json") == 0, &out);
	shim_findings_free(&all);
	if (!(o.format && strcmp(o.format, "json") == 0))
		shim_text_printf(&out, "%d profile%s: %zu error%s, %zu warning%s\n", o.n_rest,
				 o.n_rest == 1 ? "" : "s", n_err, n_err == 1 ? "" : "s", n_warn,
				 n_warn == 1 ? "" : "s");
	if (tool_print(&out) < 0)
		return 2;
	return n_err ? 2 : (n_warn && o.strict) ? 1 : 0;
}

int cmd_explain(const struct cli_args *op)
{
	const struct cli_args o = *op;
	struct shim_host host;
	struct shim_compiled c;
	struct shim_error err = { 0 };
	struct shim_text out = { 0 };
	int r;

	if ((r = tool_host_load("explain", &o, o.rest[0], &host, &c)))
		return r;
	tool_say_resolved("explain", &o, &host);
	if (!o.stats)
		r = shim_explain(c.profile, &c.pol, &c.filter, host.arch->token, &out, &err);
	else if ((r = shim_filter_stats(&c.filter, host.arch->token, &out, &err)) == 0)
		r = shim_compiler_report(&c, o.compile.libseccomp || o.compile.linear, &out, &err);
	shim_compiled_free(&c);
	if (r < 0) {
		shim_text_free(&out);
		return tool_die(SHIM_EXIT_FAILURE, "explain", "%s", diag_error_text(&err));
	}
	return tool_print(&out) < 0 ? SHIM_EXIT_FAILURE : 0;
}

/* eval PROFILE SYSCALL [ARG...]: prints the verdict; exits 0 when the call
 * would go through (ALLOW, LOG), 1 when not. */
static void eval_text(const struct cli_args *o, const struct shim_compiled *c,
		      const char *name, int nr, const struct shim_verdict *v, struct shim_text *out)
{
	if (name)
		shim_text_printf(out, "%s", name);
	else
		shim_text_printf(out, "syscall %d", nr);
	if (o->n_rest > 2) {
		shim_text_printf(out, "(");
		for (int i = 2; i < o->n_rest; i++)
			shim_text_printf(out, "%s%s", i > 2 ? ", " : "", o->rest[i]);
		shim_text_printf(out, ")");
	}
	shim_text_printf(out, ": ");
	shim_verdict_describe(c->profile, v, out);
	shim_text_printf(out, "\n");
}

static void eval_json(const struct cli_args *o, const struct shim_compiled *c,
		      const struct shim_host *host, const char *name, int nr,
		      const uint64_t *args, const struct shim_verdict *v, struct shim_text *out)
{
	struct shim_text why = { 0 };
	char verdict[64], *dump;
	json_t *root, *a = json_array();
	uint32_t action = v->ret & 0xffff0000u;

	for (int i = 2; i < o->n_rest; i++)
		json_array_append_new(a, json_integer((json_int_t)args[i - 2]));
	shim_bpf_ret_format(v->ret, verdict, sizeof(verdict));
	shim_verdict_describe(c->profile, v, &why);
	root = json_pack("{s:s?, s:i, s:s, s:o, s:s, s:b, s:s}", "syscall", name, "nr", nr,
			 "arch", host->arch->oci, "args", a, "verdict", verdict, "allowed",
			 action == 0x7fff0000u || action == 0x7ffc0000u, "explanation",
			 why.s ? why.s : "");
	dump = root ? json_dumps(root, JSON_COMPACT) : NULL;
	if (dump)
		shim_text_printf(out, "%s\n", dump);
	free(dump);
	json_decref(root);
	shim_text_free(&why);
}

int cmd_eval(const struct cli_args *op)
{
	const struct cli_args o = *op;
	struct shim_host host;
	struct shim_compiled c;
	struct shim_error err = { 0 };
	struct shim_text out = { 0 };
	struct shim_verdict v;
	uint64_t args[6] = { 0 };
	int nr, r;

	for (int i = 2; i < o.n_rest; i++)
		if (shim_const_parse(o.rest[i], &args[i - 2], &err) < 0)
			return tool_die(SHIM_EXIT_FAILURE, "eval", "%s", diag_error_text(&err));
	if ((r = tool_host_load("eval", &o, o.rest[0], &host, &c)))
		return r;
	if (shim_syscall_nr(o.rest[1], host.arch->token, &nr, &err) < 0 ||
	    shim_eval(&c.pol, &c.filter, host.arch->token, nr, args, &v, &err) < 0) {
		shim_compiled_free(&c);
		return tool_die(SHIM_EXIT_FAILURE, "eval", "%s", diag_error_text(&err));
	}
	/* Always a name: "eval PROFILE 102" says getuid. */
	char *name = seccomp_syscall_resolve_num_arch(host.arch->token, nr);
	if (o.format && strcmp(o.format, "json") == 0)
		eval_json(&o, &c, &host, name, nr, args, &v, &out);
	else
		eval_text(&o, &c, name, nr, &v, &out);
	free(name);
	shim_compiled_free(&c);
	uint32_t action = v.ret & 0xffff0000u;
	if (tool_print(&out) < 0)
		return SHIM_EXIT_FAILURE;
	return action == 0x7fff0000u /* ALLOW */ || action == 0x7ffc0000u /* LOG */ ? 0 : 1;
}

/* diff A B: 0 when no verdict differs, 1 when some do. */
int cmd_diff(const struct cli_args *op)
{
	const struct cli_args o = *op;
	struct shim_host host;
	struct shim_compiled a, b;
	struct shim_error err = { 0 };
	struct shim_text out = { 0 };
	size_t n = 0;
	int r;

	if ((r = tool_host_load("diff", &o, o.rest[0], &host, &a)))
		return r;
	if ((r = tool_load("diff", o.rest[1], &o, &host, &b, SHIM_EXIT_FAILURE))) {
		shim_compiled_free(&a);
		return r;
	}
	r = shim_diff(&a.pol, &a.filter, &b.pol, &b.filter, host.arch->token, &out, &n, &err);
	if (r == 0)
		shim_text_printf(&out, "%zu syscall%s differ%s between %s and %s on %s\n", n,
				 n == 1 ? "" : "s", n == 1 ? "s" : "", o.rest[0], o.rest[1],
				 host.arch->oci);
	shim_compiled_free(&a);
	shim_compiled_free(&b);
	if (r < 0) {
		shim_text_free(&out);
		return tool_die(SHIM_EXIT_FAILURE, "diff", "%s", diag_error_text(&err));
	}
	return tool_print(&out) < 0 ? SHIM_EXIT_FAILURE : n ? 1 : 0;
}
