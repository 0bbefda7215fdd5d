/* seccomp-shim inspect PID and seccomp-shim features: lib/ reads the
 * process's filters and tells what they do (lib/procfilter.c,
 * lib/filtersum.c) and writes the features document (lib/features.c);
 * this file prints them, as text or JSON. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>
#include <jansson.h>
#include <seccomp.h>

#include "seccomp-shim.h"
#include "cli.h"
#include "diag.h"
#include "tools.h"

#define X32_BIT 0x40000000

/* What was found, for both formats. */
struct inspection {
	struct shim_proc_status st;
	struct shim_proc_filters pf;
	struct shim_filter_summary effective;
	struct shim_filter_summary *each; /* per filter, when there are several */
	const char *profile; /* --profile, or NULL */
	int equal; /* with it: 1 the same verdicts, 0 not, -1 not compared (no filter) */
	size_t inputs;
	struct shim_seccomp_data differing;
	uint32_t ours, theirs; /* the process's and the profile's verdicts there */
};

/* "ERRNO(EPERM=1)": the number the process sees, and its name. */
static void verdict(uint32_t ret, char *buf, size_t len)
{
	unsigned data = ret & SECCOMP_RET_DATA;
	const char *name = shim_errno_name((int)data);

	if ((ret & SECCOMP_RET_ACTION_FULL) != SECCOMP_RET_ERRNO) {
		shim_bpf_ret_format(ret, buf, len);
		return;
	}
	if (name)
		snprintf(buf, len, "ERRNO(%s=%u)", name, data);
	else
		snprintf(buf, len, "ERRNO(%u)", data);
}

static const char *mode_name(int mode)
{
	return mode == 0 ? "disabled" : mode == 1 ? "strict" : mode == 2 ? "filter" : "not reported";
}

/* ---- text ---------------------------------------------------------------- */

/* Names after indent, wrapped before column 78. */
static void wrapped(struct shim_text *out, const char *const *names, size_t n, size_t indent)
{
	size_t col = indent;

	shim_text_printf(out, "%*s", (int)indent, "");
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names[i]);
		if (col > indent && col + 1 + len > 78) {
			shim_text_printf(out, "\n%*s", (int)indent, "");
			col = indent;
		}
		shim_text_printf(out, "%s%s", col > indent ? " " : "", names[i]);
		col += len + (col > indent);
	}
	shim_text_printf(out, "\n");
}

static void arch_text(const struct shim_arch_summary *a, struct shim_text *out)
{
	char v[64];

	shim_text_printf(out, "  %s: %zu of %zu syscalls allowed whatever the arguments\n",
			 a->arch->oci, a->n_allowed, a->n_known);
	for (size_t g = 0; g < a->n_groups; g++) {
		verdict(a->groups[g].ret, v, sizeof(v));
		shim_text_printf(out, "    %s (%zu):\n", v, a->groups[g].n);
		wrapped(out, a->groups[g].names, a->groups[g].n, 6);
	}
	if (a->n_cond)
		shim_text_printf(out, "    depends on the arguments (%zu):\n", a->n_cond);
	for (size_t i = 0; i < a->n_cond; i++) {
		shim_text_printf(out, "      %s:", a->cond[i].name);
		for (size_t k = 0; k < a->cond[i].n_rets; k++) {
			verdict(a->cond[i].rets[k], v, sizeof(v));
			shim_text_printf(out, "%s %s%s", k ? "," : "", v, k ? "" : " (all arguments 0)");
		}
		shim_text_printf(out, "\n");
	}
	verdict(a->above_ret, v, sizeof(v));
	shim_text_printf(out, "    numbers above %d (the highest known here): %s\n",
			 a->max_nr & ~X32_BIT, v);
}

static void summary_text(const struct shim_filter_summary *s, struct shim_text *out)
{
	char v[64];

	verdict(s->unknown_arch_ret, v, sizeof(v));
	shim_text_printf(out, "  unknown architectures: %s%s\n", v,
			 s->unknown_arch_varies ? ", but not for every number: the filter does not check the architecture first" : "");
	for (size_t i = 0; i < s->n_arches; i++)
		arch_text(&s->arches[i], out);
}

static void caps_text(const char *label, uint64_t caps, struct shim_text *out)
{
	char buf[2048];

	shim_caps_format(caps, buf, sizeof(buf));
	shim_text_printf(out, "%s: %s\n", label, buf);
}

/* "on SCMP_ARCH_X86 getpid(0x1, 0, ...)": an input of the equivalence walk. */
static void input_text(const struct shim_seccomp_data *d, struct shim_text *out)
{
	bool x32 = d->arch == SCMP_ARCH_X86_64 && (d->nr & X32_BIT);
	const struct shim_arch_info *a = shim_arch_by_token(x32 ? SCMP_ARCH_X32 : d->arch);
	char *name = a ? seccomp_syscall_resolve_num_arch(a->token, d->nr) : NULL;

	if (a)
		shim_text_printf(out, "on %s ", a->oci);
	else
		shim_text_printf(out, "on an unknown architecture (%#x) ", d->arch);
	if (name)
		shim_text_printf(out, "%s(", name);
	else
		shim_text_printf(out, "syscall %d(", d->nr);
	for (int i = 0; i < 6; i++)
		shim_text_printf(out, "%s%#llx", i ? ", " : "", (unsigned long long)d->args[i]);
	shim_text_printf(out, ")");
	free(name);
}

static void profile_text(const struct inspection *in, struct shim_text *out)
{
	char a[64], b[64];

	if (!in->profile)
		return;
	if (in->equal == 1) {
		shim_text_printf(out, "\nthe same verdicts as %s on all %zu inputs tried\n", in->profile,
				 in->inputs);
		return;
	}
	if (in->equal < 0) {
		shim_text_printf(out, "\nnot %s: the process runs under no filter\n", in->profile);
		return;
	}
	verdict(in->ours, a, sizeof(a));
	verdict(in->theirs, b, sizeof(b));
	shim_text_printf(out, "\nnot the verdicts of %s: first ", in->profile);
	input_text(&in->differing, out);
	shim_text_printf(out, " gets %s here, %s from the profile\n", a, b);
}

static void inspection_text(const struct inspection *in, struct shim_text *out)
{
	const struct shim_proc_status *st = &in->st;

	shim_text_printf(out, "process %d (%s), thread group %d\n", st->pid, st->name, st->tgid);
	shim_text_printf(out, "Seccomp: %d (%s)", st->seccomp_mode, mode_name(st->seccomp_mode));
	if (st->seccomp_filters >= 0)
		shim_text_printf(out, ", Seccomp_filters: %d", st->seccomp_filters);
	shim_text_printf(out, ", NoNewPrivs: %d\n", st->no_new_privs);
	caps_text("CapBnd", st->cap_bnd, out);
	caps_text("CapEff", st->cap_eff, out);
	if (st->seccomp_mode == 0)
		shim_text_printf(out, "\nnot under seccomp: every syscall is allowed\n");
	else if (st->seccomp_mode == 1)
		shim_text_printf(out, "\nstrict mode (SECCOMP_MODE_STRICT): only read, write, _exit and sigreturn; any other syscall kills it. There is no filter to read.\n");
	if (st->seccomp_mode != 2) {
		profile_text(in, out);
		return;
	}
	shim_text_printf(out, "\neffective verdicts (%zu filter%s, %zu instructions; %s):\n", in->pf.n,
			 in->pf.n == 1 ? "" : "s", in->effective.n_insns,
			 in->pf.n == 1 ? "the filter's own" : "every filter runs and the most restrictive verdict wins, as the kernel decides");
	summary_text(&in->effective, out);
	for (size_t i = 0; in->each && i < in->pf.n; i++) {
		shim_text_printf(out, "\nfilter %zu (%s, %zu instructions):\n", i,
				 i == 0 ? "the first installed" : i + 1 == in->pf.n ? "the last installed" : "installed after the one above",
				 in->pf.v[i].n_insns);
		summary_text(&in->each[i], out);
	}
	profile_text(in, out);
}

/* ---- JSON ---------------------------------------------------------------- */

static json_t *verdict_json(uint32_t ret)
{
	char v[64];
	unsigned action = ret & SECCOMP_RET_ACTION_FULL, data = ret & SECCOMP_RET_DATA;
	json_t *o;

	shim_bpf_ret_format(ret & SECCOMP_RET_ACTION_FULL, v, sizeof(v));
	if (action == SECCOMP_RET_ERRNO)
		return json_pack("{s:s, s:i, s:s?}", "action", "ERRNO", "errno", (int)data, "errnoName",
				 shim_errno_name((int)data));
	o = json_pack("{s:s}", "action", v);
	if (o && action == SECCOMP_RET_TRACE)
		json_object_set_new(o, "data", json_integer(data));
	return o;
}

static json_t *names_json(const char *const *names, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(names[i]));
	return a;
}

static json_t *arch_json(const struct shim_arch_summary *a)
{
	json_t *groups = json_array(), *cond = json_array();

	for (size_t g = 0; g < a->n_groups; g++)
		json_array_append_new(groups, json_pack("{s:o, s:o}", "verdict", verdict_json(a->groups[g].ret),
							"syscalls", names_json(a->groups[g].names, a->groups[g].n)));
	for (size_t i = 0; i < a->n_cond; i++) {
		json_t *rets = json_array();
		for (size_t k = 0; k < a->cond[i].n_rets; k++)
			json_array_append_new(rets, verdict_json(a->cond[i].rets[k]));
		json_array_append_new(cond, json_pack("{s:s, s:i, s:o}", "syscall", a->cond[i].name,
						      "nr", a->cond[i].nr, "verdicts", rets));
	}
	return json_pack("{s:s, s:i, s:i, s:o, s:o, s:{s:i, s:o}}", "arch", a->arch->oci, "known",
			 (int)a->n_known, "allowed", (int)a->n_allowed, "denied", groups, "conditional",
			 cond, "aboveHighest", "nr", a->max_nr + 1, "verdict", verdict_json(a->above_ret));
}

static json_t *summary_json(const struct shim_filter_summary *s)
{
	json_t *arches = json_array();

	for (size_t i = 0; i < s->n_arches; i++)
		json_array_append_new(arches, arch_json(&s->arches[i]));
	return json_pack("{s:i, s:o, s:b, s:o}", "instructions", (int)s->n_insns, "unknownArch",
			 verdict_json(s->unknown_arch_ret), "unknownArchVaries", s->unknown_arch_varies,
			 "arches", arches);
}

static json_t *caps_json(uint64_t caps)
{
	json_t *a = json_array();
	char name[SHIM_CAP_NAME_MAX];

	for (int c = 0; c < 64; c++)
		if (caps >> c & 1)
			json_array_append_new(a, json_string(shim_cap_name(c, name)));
	return a;
}

static json_t *profile_json(const struct inspection *in)
{
	struct shim_text where = { 0 };
	json_t *o;

	if (in->equal != 0)
		return json_pack("{s:s, s:b, s:i}", "profile", in->profile, "equal", in->equal == 1,
				 "inputs", (int)in->inputs);
	input_text(&in->differing, &where);
	o = json_pack("{s:s, s:b, s:i, s:{s:s, s:o, s:o}}", "profile", in->profile, "equal", 0,
		      "inputs", (int)in->inputs, "firstDifference", "input", where.s ? where.s : "",
		      "process", verdict_json(in->ours), "profileVerdict", verdict_json(in->theirs));
	shim_text_free(&where);
	return o;
}

static int inspection_json(const struct inspection *in, struct shim_text *out)
{
	const struct shim_proc_status *st = &in->st;
	json_t *root = json_pack("{s:i, s:s, s:i, s:i, s:s, s:i, s:b, s:o, s:o}", "pid", st->pid,
				 "name", st->name, "tgid", st->tgid, "seccomp", st->seccomp_mode,
				 "seccompMode", mode_name(st->seccomp_mode), "filters",
				 st->seccomp_mode == 2 ? (int)in->pf.n : 0, "noNewPrivs",
				 st->no_new_privs == 1, "capBnd", caps_json(st->cap_bnd), "capEff",
				 caps_json(st->cap_eff));
	char *s;

	if (root && st->seccomp_mode == 2) {
		json_t *each = json_array();
		json_object_set_new(root, "effective", summary_json(&in->effective));
		for (size_t i = 0; in->each && i < in->pf.n; i++)
			json_array_append_new(each, summary_json(&in->each[i]));
		json_object_set_new(root, "eachFilter", each);
	}
	if (root && in->profile)
		json_object_set_new(root, "profile", profile_json(in));
	s = root ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(root);
	if (!s)
		return -1;
	shim_text_printf(out, "%s\n", s);
	free(s);
	return 0;
}

/* ---- the commands ---------------------------------------------------------- */

/* --profile compiled for this machine and the process's bounding set (or
 * --caps), held to the filters by lib/equiv.c's walk. */
static int compare(const struct cli_args *o, struct inspection *in)
{
	struct shim_error err = { 0 };
	struct shim_host host;
	struct shim_compiled c;
	int r;

	if (shim_host_detect(&host, &err) < 0)
		return tool_die(SHIM_EXIT_FAILURE, "inspect", "%s", diag_error_text(&err));
	host.bounding = in->st.cap_bnd;
	if (o->caps) {
		bool all = false;
		uint64_t caps = 0;
		if (shim_caps_parse_list(o->caps, &caps, &all, &err) < 0)
			return tool_die(SHIM_EXIT_FAILURE, "inspect", "%s", diag_error_text(&err));
		host.bounding = all ? shim_caps_all() : caps;
	}
	if ((r = tool_load("inspect", o->profile, o, &host, &c, SHIM_EXIT_FAILURE)))
		return r;
	r = shim_filters_equivalent(&c.pol, in->pf.v, in->pf.n, &c.filter, &in->differing,
				    &in->inputs, &err);
	if (r == 0 && (shim_filters_run(in->pf.v, in->pf.n, &in->differing, &in->ours, &err) < 0 ||
		       shim_filters_run(&c.filter, 1, &in->differing, &in->theirs, &err) < 0))
		r = -1;
	shim_compiled_free(&c);
	if (r < 0)
		return tool_die(SHIM_EXIT_FAILURE, "inspect", "%s", diag_error_text(&err));
	in->equal = r;
	return 0;
}

static int summarize(struct inspection *in, struct shim_error *err)
{
	if (shim_filters_summarize(in->pf.v, in->pf.n, &in->effective, err) < 0)
		return -1;
	if (in->pf.n < 2)
		return 0;
	if (!(in->each = calloc(in->pf.n, sizeof(*in->each)))) {
		shim_error_set(err, ENOMEM, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < in->pf.n; i++)
		if (shim_filters_summarize(&in->pf.v[i], 1, &in->each[i], err) < 0)
			return -1;
	return 0;
}

static void inspection_free(struct inspection *in)
{
	for (size_t i = 0; in->each && i < in->pf.n; i++)
		shim_filter_summary_free(&in->each[i]);
	free(in->each);
	shim_filter_summary_free(&in->effective);
	shim_proc_filters_free(&in->pf);
}

static int parse_pid(const char *s, int *pid)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > 4194304)
		return tool_die(SHIM_EXIT_FAILURE, "inspect", "\"%s\" is not a process id", s);
	*pid = (int)v;
	return 0;
}

/* inspect PID [--format text|json] [--profile P]: 0; 1 when the verdicts
 * differ from P's; 125 when the process or its filters cannot be read. */
int cmd_inspect(const struct cli_args *o)
{
	struct inspection in = { .profile = o->profile, .equal = -1 };
	struct shim_error err = { 0 };
	struct shim_text out = { 0 };
	int pid = 0, r;

	if ((r = parse_pid(o->rest[0], &pid)))
		return r;
	if (shim_proc_status_read(pid, &in.st, &err) < 0)
		return tool_die(SHIM_EXIT_FAILURE, "inspect", "%s", diag_error_text(&err));
	if (in.st.seccomp_mode < 0)
		return tool_die(SHIM_EXIT_FAILURE, "inspect", "process %d: /proc/%d/status has no Seccomp line: this kernel has no seccomp", pid, pid);
	if (in.st.seccomp_mode == 2 &&
	    (shim_proc_filters_read(pid, &in.pf, &err) < 0 || summarize(&in, &err) < 0)) {
		inspection_free(&in);
		return tool_die(SHIM_EXIT_FAILURE, "inspect", "%s", diag_error_text(&err));
	}
	if (in.profile && in.pf.n && (r = compare(o, &in))) {
		inspection_free(&in);
		return r;
	}
	if (o->format && strcmp(o->format, "json") == 0)
		r = inspection_json(&in, &out);
	else
		inspection_text(&in, &out);
	inspection_free(&in);
	if (r < 0 || tool_print(&out) < 0)
		return tool_die(SHIM_EXIT_FAILURE, "inspect", "cannot write the output");
	return in.profile && in.equal != 1 ? 1 : 0;
}

int cmd_features(const struct cli_args *o)
{
	struct shim_error err = { 0 };
	struct shim_text out = { 0 };

	(void)o;
	if (shim_features_json(&out, &err) < 0)
		return tool_die(SHIM_EXIT_FAILURE, "features", "%s", diag_error_text(&err));
	return tool_print(&out) < 0 ? SHIM_EXIT_FAILURE : 0;
}
