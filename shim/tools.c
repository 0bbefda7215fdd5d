/* The subcommands: check, explain, eval, export, compile, diff, oci
 * convert|wrap|unwrap, record, new, version, help. shim/cli.c has read
 * their options and arguments; these run them and print. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <jansson.h>
#include <seccomp.h>

#include "seccomp-shim.h"
#include "cli.h"
#include "diag.h"
#include "tools.h"
#include "runtime.h"

int tool_die(int code, const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "seccomp-shim: %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

/* The machine a profile is resolved for: this one, or --arch, holding
 * --caps (default: what a plain run would give the command). */
static int tool_host(const char *cmd, const struct cli_args *o, struct shim_host *host,
		     int code)
{
	struct shim_error err = { 0 };

	if (shim_host_detect(host, &err) < 0)
		return tool_die(code, cmd, "%s", diag_error_text(&err));
	host->bounding = shim_caps_target_set(getuid(), false, 0, false, host);
	if (o->arch) {
		host->arch = shim_arch_by_any(o->arch);
		if (!host->arch || !host->arch->token)
			return tool_die(code, cmd, "unknown architecture \"%s\" (x86_64, aarch64, SCMP_ARCH_X86, amd64, ...)", o->arch);
	}
	if (o->caps) {
		uint64_t caps = 0;
		bool all = false;
		if (shim_caps_parse_list(o->caps, &caps, &all, &err) < 0)
			return tool_die(code, cmd, "%s", diag_error_text(&err));
		host->bounding = all ? shim_caps_all() : caps;
	}
	return 0;
}

/* includes/excludes depend on both: say which were used, so that a
 * filter exported as root is not taken for one without capabilities. */
static void say_resolved(const char *cmd, const struct cli_args *o, const struct shim_host *host)
{
	uint64_t all = shim_caps_all(), missing = all & ~host->bounding;
	char caps[1024] = "all but ";

	if (o->quiet)
		return;
	if (!missing)
		snprintf(caps, sizeof(caps), "all");
	else if (__builtin_popcountll(missing) < __builtin_popcountll(all) / 2)
		shim_caps_format(missing, caps + 8, sizeof(caps) - 8);
	else
		shim_caps_format(host->bounding, caps, sizeof(caps));
	fprintf(stderr, "seccomp-shim: %s: resolved for %s, for a command holding these capabilities: %s%s\n",
		cmd, host->arch->oci, caps,
		o->caps ? "" : " (what a plain run would give it here; --caps LIST to choose)");
}

int tool_load(const char *cmd, const char *ref, const struct cli_args *o,
		const struct shim_host *host, struct shim_compiled *c, int code)
{
	struct shim_error err = { 0 };
	struct shim_warnings warn = { 0 };
	int r = shim_compiled_load(ref, o->profile_root, host, &o->compile, c, &warn, &err);

	for (size_t i = 0; !o->quiet && i < warn.n; i++)
		fprintf(stderr, "seccomp-shim: warning: %s\n", diag_warning_text(&warn, i));
	shim_warnings_free(&warn);
	if (r < 0)
		return tool_die(code, cmd, "%s", diag_error_text(&err));
	return 0;
}

int tool_print(struct shim_text *t)
{
	int r = 0;

	if (t->s && fwrite(t->s, 1, t->len, stdout) != t->len)
		r = -1;
	if (t->oom)
		fprintf(stderr, "seccomp-shim: out of memory: the output is cut short\n");
	shim_text_free(t);
	return fflush(stdout) == 0 && r == 0 && !t->oom ? 0 : -1;
}

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
static int cmd_check(const struct cli_args *op)
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

static int cmd_explain(const struct cli_args *op)
{
	const struct cli_args o = *op;
	struct shim_host host;
	struct shim_compiled c;
	struct shim_error err = { 0 };
	struct shim_text out = { 0 };
	int r;

	if ((r = tool_host("explain", &o, &host, SHIM_EXIT_FAILURE)) ||
	    (r = tool_load("explain", o.rest[0], &o, &host, &c, SHIM_EXIT_FAILURE))) {
		return r;
	}
	say_resolved("explain", &o, &host);
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

static int cmd_eval(const struct cli_args *op)
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
	if ((r = tool_host("eval", &o, &host, SHIM_EXIT_FAILURE)) ||
	    (r = tool_load("eval", o.rest[0], &o, &host, &c, SHIM_EXIT_FAILURE))) {
		return r;
	}
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

static int write_output(const char *cmd, const char *path, struct shim_text *t)
{
	int fd = path ? open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) : 1;

	if (fd < 0)
		return tool_die(SHIM_EXIT_FAILURE, cmd, "cannot write %s", path);
	if (t->s && write(fd, t->s, t->len) != (ssize_t)t->len) {
		if (path)
			close(fd);
		shim_text_free(t);
		return tool_die(SHIM_EXIT_FAILURE, cmd, "cannot write %s", path ? path : "the output");
	}
	if (path && close(fd) < 0)
		return tool_die(SHIM_EXIT_FAILURE, cmd, "cannot write %s", path);
	shim_text_free(t);
	return 0;
}

/* export PROFILE --format bpf|pfc|oci|json [-o FILE] */
static int cmd_export(const struct cli_args *op)
{
	const struct cli_args o = *op;
	struct shim_host host;
	struct shim_compiled c;
	struct shim_error err = { 0 };
	struct shim_text out = { 0 };
	const char *f;
	int r;

	f = o.format ? o.format : "json";
	if ((r = tool_host("export", &o, &host, SHIM_EXIT_FAILURE)) ||
	    (r = tool_load("export", o.rest[0], &o, &host, &c, SHIM_EXIT_FAILURE))) {
		return r;
	}
	say_resolved("export", &o, &host);
	if (strcmp(f, "pfc") == 0) {
		int fd = o.output ? open(o.output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) : 1;
		if (fd < 0)
			shim_error_set(&err, errno, "cannot write %s: %s", o.output, strerror(errno));
		r = fd < 0 ? -1 : shim_export_pfc(c.profile, &c.pol, &o.compile, fd, &err);
		if (o.output && fd >= 0 && close(fd) < 0 && r == 0) {
			shim_error_set(&err, errno, "cannot write %s: %s", o.output, strerror(errno));
			r = -1;
		}
		shim_compiled_free(&c);
		return r < 0 ? tool_die(SHIM_EXIT_FAILURE, "export", "%s", diag_error_text(&err)) : 0;
	}
	if (strcmp(f, "json") == 0) {
		r = shim_export_json(c.profile, &out, &err);
	} else if (strcmp(f, "oci") == 0) {
		r = shim_export_oci(&c.pol, &out, &err);
	} else {
		/* Raw struct sock_filter[], as bwrap --seccomp FD reads it. */
		size_t size = c.filter.n_insns * sizeof(c.filter.insns[0]);
		out.s = malloc(size);
		if (out.s) {
			memcpy(out.s, c.filter.insns, size);
			out.len = out.cap = size;
		} else {
			shim_error_set(&err, ENOMEM, "out of memory");
			r = -1;
		}
	}
	shim_compiled_free(&c);
	if (r < 0) {
		shim_text_free(&out);
		return tool_die(SHIM_EXIT_FAILURE, "export", "%s", diag_error_text(&err));
	}
	return write_output("export", o.output, &out);
}

/* compile PROFILE -o FILE: BPF with a header, for --bpf FILE. */
static int cmd_compile(const struct cli_args *op)
{
	const struct cli_args o = *op;
	struct shim_host host;
	struct shim_compiled c;
	struct shim_error err = { 0 };
	int fd, r;

	if ((r = tool_host("compile", &o, &host, SHIM_EXIT_FAILURE)) ||
	    (r = tool_load("compile", o.rest[0], &o, &host, &c, SHIM_EXIT_FAILURE))) {
		return r;
	}
	say_resolved("compile", &o, &host);
	fd = open(o.output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		shim_compiled_free(&c);
		return tool_die(SHIM_EXIT_FAILURE, "compile", "cannot write %s", o.output);
	}
	r = shim_bpf_file_write(fd, c.profile, &host, &c.filter, &err);
	if (close(fd) < 0 && r == 0) {
		shim_error_set(&err, errno, "cannot write %s: %s", o.output, strerror(errno));
		r = -1;
	}
	shim_compiled_free(&c);
	return r < 0 ? tool_die(SHIM_EXIT_FAILURE, "compile", "%s", diag_error_text(&err)) : 0;
}

/* diff A B: 0 when no verdict differs, 1 when some do. */
static int cmd_diff(const struct cli_args *op)
{
	const struct cli_args o = *op;
	struct shim_host host;
	struct shim_compiled a, b;
	struct shim_error err = { 0 };
	struct shim_text out = { 0 };
	size_t n = 0;
	int r;

	if ((r = tool_host("diff", &o, &host, SHIM_EXIT_FAILURE)) ||
	    (r = tool_load("diff", o.rest[0], &o, &host, &a, SHIM_EXIT_FAILURE))) {
		return r;
	}
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

/* oci convert PROFILE (--bundle DIR | --caps LIST) [--write]: the profile
 * resolved for the bundle's bounding set, as linux.seccomp. */
static int oci_convert(const struct cli_args *o)
{
	struct shim_host host;
	struct shim_compiled c;
	struct shim_error err = { 0 };
	struct shim_text out = { 0 };
	int r;

	if (!o->bundle && !o->caps)
		return tool_die(SHIM_EXIT_FAILURE, "oci convert", "resolve for what? give --bundle DIR (its process's capabilities) or --caps LIST");
	if (o->write && !o->bundle)
		return tool_die(SHIM_EXIT_FAILURE, "oci convert", "--write goes with --bundle DIR (it writes DIR/config.json)");
	if ((r = tool_host("oci convert", o, &host, SHIM_EXIT_FAILURE)))
		return r;
	/* The bundle's bounding set is what its process can hold. */
	if (o->bundle && !o->caps && shim_oci_bundle_caps(o->bundle, &host.bounding, &err) < 0)
		return tool_die(SHIM_EXIT_FAILURE, "oci convert", "%s", diag_error_text(&err));
	if ((r = tool_load("oci convert", o->rest[0], o, &host, &c, SHIM_EXIT_FAILURE)))
		return r;
	struct shim_text added = { 0 };
	r = shim_export_oci_for_runtime(&c.pol, &c.filter, host.arch->token, &out, &added, &err);
	shim_compiled_free(&c);
	if (r == 0 && added.len && !o->quiet)
		fprintf(stderr, "seccomp-shim: oci convert: also allowed, because runc's init calls them after loading the filter: %s\n",
			added.s);
	shim_text_free(&added);
	if (r == 0 && o->write) {
		r = shim_oci_set_seccomp(o->bundle, out.s, &err);
		shim_text_free(&out);
		if (r == 0 && !o->quiet)
			fprintf(stderr, "seccomp-shim: wrote linux.seccomp into %s/config.json (the previous one is config.json.orig)\n",
				o->bundle);
		return r < 0 ? tool_die(SHIM_EXIT_FAILURE, "oci convert", "%s", diag_error_text(&err)) : 0;
	}
	if (r < 0) {
		shim_text_free(&out);
		return tool_die(SHIM_EXIT_FAILURE, "oci convert", "%s", diag_error_text(&err));
	}
	return write_output("oci convert", o->output, &out);
}

/* The static shim oci wrap copies when --shim is not given: the one make
 * install puts beside this binary (seccomp-shim-static), else this binary
 * itself (which wrap refuses unless it is static). */
static const char *default_static_shim(char *buf, size_t len)
{
	char self[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash && strcmp(slash + 1, "seccomp-shim-static") != 0) {
			snprintf(buf, len, "%.*s/seccomp-shim-static", (int)(slash - self), self);
			if (access(buf, R_OK) == 0)
				return buf;
		}
	}
	return "/proc/self/exe";
}

/* oci wrap DIR --profile P [--shim PATH] */
static int oci_wrap(const struct cli_args *o)
{
	struct shim_error err = { 0 };
	struct shim_warnings warn = { 0 };
	struct shim_host host;
	struct shim_compiled c;
	char shim[PATH_MAX];
	bool already;
	int r;

	/* The profile is checked now, by the pipeline a run takes: a bundle
	 * must not start with a profile the run would refuse. */
	if ((r = tool_host("oci wrap", o, &host, SHIM_EXIT_FAILURE)))
		return r;
	r = shim_compiled_load(o->profile, o->profile_root, &host, &o->compile, &c, &warn, &err);
	for (size_t i = 0; !o->quiet && i < warn.n; i++)
		fprintf(stderr, "seccomp-shim: warning: %s\n", diag_warning_text(&warn, i));
	shim_warnings_free(&warn);
	if (r < 0)
		return tool_die(SHIM_EXIT_FAILURE, "oci wrap", "%s", diag_error_text(&err));
	r = shim_oci_wrap(o->rest[0], o->shim ? o->shim : default_static_shim(shim, sizeof(shim)),
			  c.profile->text, c.profile->text_len, &already, &err);
	shim_compiled_free(&c);
	if (r < 0)
		return tool_die(SHIM_EXIT_FAILURE, "oci wrap", "%s", diag_error_text(&err));
	if (!o->quiet)
		fprintf(stderr, already ? "seccomp-shim: %s is wrapped already; nothing changed\n"
					: "seccomp-shim: wrapped %s (the previous config.json is config.json.orig; the shim is copied into the bundle as seccomp-shim-static)\n",
			o->rest[0]);
	return 0;
}

static int oci_unwrap(const struct cli_args *o)
{
	struct shim_error err = { 0 };
	struct shim_oci_unwrapped res;

	if (shim_oci_unwrap(o->rest[0], &res, &err) < 0)
		return tool_die(SHIM_EXIT_FAILURE, "oci unwrap", "%s", diag_error_text(&err));
	if (o->quiet)
		return 0;
	fprintf(stderr, res.was_wrapped ? "seccomp-shim: unwrapped %s\n"
					: "seccomp-shim: %s is not wrapped; nothing changed\n", o->rest[0]);
	if (res.kept_backup)
		fprintf(stderr, "seccomp-shim: %s/config.json.orig is not the copy wrap kept (config.json changed since, or it was replaced): left as it is\n",
			o->rest[0]);
	if (res.left_mount_points)
		fprintf(stderr, "seccomp-shim: the root filesystem's .seccomp-shim directory stays: a container still has the shim mounted there, or it holds files that are not the runtime's mount points; remove it once the container is gone\n");
	return 0;
}


static int parse_errno(const char *cmd, const char *name, int *out)
{
	char *end;
	long v;

	if (shim_errno_from_name(name, out) == 0)
		return 0;
	errno = 0;
	v = strtol(name, &end, 10);
	if (errno || end == name || *end || v < 0 || v > 4094)
		return tool_die(SHIM_EXIT_FAILURE, cmd, "--errno takes a name like EPERM or ENOSYS, or a number up to 4094, not \"%s\"", name);
	*out = (int)v;
	return 0;
}

/* What record has to say besides the profile: warnings, a listener the
 * command wanted, --stats. */
static void record_say(const struct cli_args *o, const struct shim_recording *rec,
		       struct shim_warnings *warn)
{
	struct shim_text stats = { 0 };

	for (size_t i = 0; !o->quiet && i < warn->n; i++)
		fprintf(stderr, "seccomp-shim: warning: %s\n", diag_warning_text(warn, i));
	shim_warnings_free(warn);
	if (rec->wanted_listener)
		fprintf(stderr, "seccomp-shim: record: the command asked for its own seccomp listener (SECCOMP_FILTER_FLAG_NEW_LISTENER); the kernel allows one per process tree, so it got EBUSY and that path was not recorded as it would run\n");
	if (o->stats) {
		shim_recording_stats(rec, &stats);
		fwrite(stats.s ? stats.s : "", 1, stats.len, stderr);
		shim_text_free(&stats);
	}
}

/* record -o OUT [--merge P] [--format docker|oci] [--errno E] [--wide] [--stats] -- CMD */
static int cmd_record(const struct cli_args *op)
{
	extern char **environ;
	const struct cli_args o = *op;
	struct shim_error err = { 0 };
	struct shim_warnings warn = { 0 };
	struct shim_recording rec;
	struct shim_profile *merge = NULL;
	struct shim_text out = { 0 };
	struct shim_record_output output;
	unsigned long long total;
	size_t distinct;
	enum shim_ref_kind kind;
	struct shim_text command = { 0 };
	char *path = NULL;
	int errno_ret = EPERM, r, status;

	if (o.errno_name && (r = parse_errno("record", o.errno_name, &errno_ret)))
		return r;
	if (o.merge && (shim_profile_open_ref(o.merge, o.profile_root, &merge, &kind, NULL, &err) < 0 ||
			shim_record_merge_check(merge, &err) < 0)) {
		shim_profile_free(merge);
		return tool_die(SHIM_EXIT_FAILURE, "record", "%s", diag_error_text(&err));
	}
	if (shim_find_program(o.rest[0], getenv("PATH"), &path, &err) < 0) {
		shim_profile_free(merge);
		return tool_die(err.exit_code, "record", "%s", diag_error_text(&err));
	}
	/* Before the command runs: a run must not end in "cannot write". */
	if (shim_record_output_open(o.output, &output, &err) < 0) {
		free(path);
		shim_profile_free(merge);
		return tool_die(SHIM_EXIT_FAILURE, "record", "%s; the command was not run", diag_error_text(&err));
	}
	if (shim_record_run(path, o.rest, environ, &rec, &err) < 0) {
		shim_record_output_abort(&output);
		free(path);
		shim_profile_free(merge);
		return tool_die(SHIM_EXIT_FAILURE, "record", "%s", diag_error_text(&err));
	}
	for (int i = 0; i < o.n_rest; i++)
		shim_text_shell_quote(&command, o.rest[i], i > 0);
	struct shim_record_options ropt = {
		.merge = merge, .errno_ret = errno_ret, .wide = o.wide,
		.command = o.format && strcmp(o.format, "oci") == 0 ? NULL : command.s,
	};
	r = command.oom ? (shim_error_set(&err, ENOMEM, "out of memory"), -1)
			: shim_record_profile(&rec, &ropt, &out, &warn, &err);
	shim_text_free(&command);
	record_say(&o, &rec, &warn);
	status = rec.status;
	total = rec.total;
	distinct = rec.n;
	shim_recording_free(&rec);
	shim_profile_free(merge);
	free(path);
	if (r < 0 || shim_record_output_commit(&output, &out, &err) < 0) {
		if (r < 0)
			shim_record_output_abort(&output);
		shim_text_free(&out);
		return tool_die(SHIM_EXIT_FAILURE, "record", "%s", diag_error_text(&err));
	}
	shim_text_free(&out);
	if (!o.quiet)
		fprintf(stderr, "seccomp-shim: recorded %llu syscalls, %zu distinct; wrote %s\n",
			(unsigned long long)total, distinct, o.output);
	/* The command's own status, as if it had run alone. */
	return WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : SHIM_EXIT_FAILURE;
}

/* --errno: a name (EPERM, ENOSYS) or a number up to 4094. */

/* --default-action: errno, kill-process, kill-thread (kill), trap, log,
 * allow, or an SCMP_ACT_ name. */
static int parse_default_action(const char *name, enum shim_action_kind *out)
{
	static const struct { const char *name; enum shim_action_kind kind; } short_names[] = {
		{ "errno", SHIM_ACT_ERRNO }, { "kill-process", SHIM_ACT_KILL_PROCESS },
		{ "kill-thread", SHIM_ACT_KILL_THREAD }, { "kill", SHIM_ACT_KILL_THREAD },
		{ "trap", SHIM_ACT_TRAP }, { "log", SHIM_ACT_LOG }, { "allow", SHIM_ACT_ALLOW },
	};

	for (size_t i = 0; i < sizeof(short_names) / sizeof(short_names[0]); i++)
		if (strcmp(name, short_names[i].name) == 0) {
			*out = short_names[i].kind;
			return 0;
		}
	if (shim_action_from_name(name, out) == 0)
		return 0;
	return tool_die(SHIM_EXIT_FAILURE, "new", "unknown default action \"%s\" (errno, kill-process, kill-thread, trap, log or allow)", name);
}

/* new --list: every group, what it is for and its members. */
static int new_list(void)
{
	struct shim_text out = { 0 };
	size_t n;
	const struct shim_group *g = shim_groups(&n);

	for (size_t i = 0; i < n; i++) {
		shim_text_printf(&out, "%s: %s\n", g[i].name, g[i].summary);
		/* Members wrapped at about 72 columns, indented. */
		for (const char *p = g[i].members; *p;) {
			size_t col = 4;
			shim_text_printf(&out, "   ");
			while (*p) {
				size_t len = strcspn(p, " ");
				if (col > 4 && col + 1 + len > 76)
					break;
				shim_text_printf(&out, " %.*s", (int)len, p);
				col += 1 + len;
				p += len;
				p += strspn(p, " ");
			}
			shim_text_printf(&out, "\n");
		}
	}
	return tool_print(&out) < 0 ? SHIM_EXIT_FAILURE : 0;
}

/* The command line that made the profile, for its comment. */
static void new_comment(const struct cli_args *o, const struct shim_new_request *rq,
			char *buf, size_t len)
{
	size_t used = (size_t)snprintf(buf, len, "Written by seccomp-shim new");

	for (size_t i = 0; i < rq->n_allow && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, " --allow %s", rq->allow[i]);
	for (size_t i = 0; i < rq->n_deny && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, " --deny %s", rq->deny[i]);
	if (o->default_action && used < len)
		used += (size_t)snprintf(buf + used, len - used, " --default-action %s", o->default_action);
	if (o->errno_name && used < len)
		used += (size_t)snprintf(buf + used, len - used, " --errno %s", o->errno_name);
	if (o->arch && used < len)
		snprintf(buf + used, len - used, " --arch %s", o->arch);
}

/* What check would say of the profile just written: the same findings,
 * as warnings (the profile is what was asked for). */
static void new_check(const struct cli_args *o, const struct shim_text *t, uint32_t arch)
{
	struct shim_host host;
	struct shim_error err = { 0 };
	struct shim_warnings warn = { 0 };
	struct shim_findings f = { 0 };
	struct shim_compiled c;
	struct shim_text out = { 0 };
	const char *name = o->output ? o->output : "(the new profile)";
	struct shim_source src = { .name = (char *)name, .text = t->s, .len = t->len };
	struct shim_pipeline_options po = { .compile = &o->compile, .want_profile = true };

	if (o->quiet || tool_host("new", o, &host, SHIM_EXIT_FAILURE))
		return;
	if (shim_pipeline_source(&src, &host, &po, &c, &warn, &err) < 0) {
		fprintf(stderr, "seccomp-shim: new: internal: the profile written does not compile: %s\n", diag_error_text(&err));
	} else {
		for (size_t k = 0; k < warn.n; k++)
			shim_findings_add(&f, shim_warning_diag(&warn, k));
		shim_lint(c.profile, &c.pol, &c.filter, arch, &f);
		diag_findings_format(&f, false, &out);
		if (out.len)
			fprintf(stderr, "seccomp-shim: new: what check says of it:\n%.*s", (int)out.len, out.s);
		shim_compiled_free(&c);
	}
	shim_text_free(&out);
	shim_findings_free(&f);
	shim_warnings_free(&warn);
}

/* new --allow LIST [--deny LIST] [--default-action A] [--errno E] [--arch A] [-o FILE] */
static int cmd_new(const struct cli_args *op)
{
	const struct cli_args o = *op;
	struct shim_new_request rq = { .allow = o.allow, .n_allow = o.n_allow,
				       .deny = o.deny, .n_deny = o.n_deny };
	struct shim_error err = { 0 };
	struct shim_warnings warn = { 0 };
	struct shim_text out = { 0 };
	char comment[2048];
	int errno_ret = EPERM, r;

	if (o.list && !o.n_allow && !o.n_deny)
		return new_list();
	if (o.list)
		return tool_die(SHIM_EXIT_FAILURE, "new", "--list goes alone: it prints the groups and writes no profile");
	if (!o.n_allow && !o.n_deny)
		return tool_die(SHIM_EXIT_FAILURE, "new", "what to allow? give --allow LIST or --deny LIST (syscall names and @groups, comma-separated; seccomp-shim new --list shows the groups)");
	if (o.errno_name && (r = parse_errno("new", o.errno_name, &errno_ret)))
		return r;
	rq.default_action.kind = SHIM_ACT_ERRNO;
	if (o.default_action && (r = parse_default_action(o.default_action, &rq.default_action.kind)))
		return r;
	if (rq.default_action.kind == SHIM_ACT_ERRNO)
		rq.default_action.errno_ret = (uint32_t)errno_ret;
	else if (rq.default_action.kind == SHIM_ACT_ALLOW || rq.default_action.kind == SHIM_ACT_LOG)
		rq.deny_errno = (uint32_t)errno_ret;
	else if (o.errno_name)
		return tool_die(SHIM_EXIT_FAILURE, "new", "--errno goes with default action errno (or, for what --deny names, allow and log), not %s", o.default_action);
	if (o.arch) {
		rq.arch = shim_arch_by_any(o.arch);
		if (!rq.arch || !rq.arch->token)
			return tool_die(SHIM_EXIT_FAILURE, "new", "unknown architecture \"%s\" (x86_64, aarch64, SCMP_ARCH_X86, amd64, ...)", o.arch);
	}
	new_comment(&o, &rq, comment, sizeof(comment));
	rq.comment = comment;
	r = shim_new_profile(&rq, &out, &warn, &err);
	for (size_t i = 0; !o.quiet && i < warn.n; i++)
		fprintf(stderr, "seccomp-shim: new: warning: %s\n", diag_warning_text(&warn, i));
	shim_warnings_free(&warn);
	if (r < 0) {
		shim_text_free(&out);
		return tool_die(SHIM_EXIT_FAILURE, "new", "%s", diag_error_text(&err));
	}
	new_check(&o, &out, (rq.arch ? rq.arch : shim_arch_native())->token);
	return write_output("new", o.output, &out);
}

static int version(void)
{
	const struct scmp_version *v = seccomp_version();

	printf("seccomp-shim %s\nbuild %s\nlibseccomp %u.%u.%u\n", SHIM_VERSION, shim_build_id(),
	       v->major, v->minor, v->micro);
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : SHIM_EXIT_FAILURE;
}

/* seccomp-shim runtime with nothing to pass on (the wrapper itself is
 * runtime_main, reached before the parser). */
static int cmd_runtime(const struct cli_args *a)
{
	if (a->n_rest > 0)
		return runtime_main(a->n_rest, a->rest, a->policy);
	return tool_die(SHIM_EXIT_FAILURE, "runtime", "no runtime arguments given (seccomp-shim runtime [--policy FILE] RUNTIME-ARGS...)");
}

static int help(const struct cli_args *a)
{
	cli_help(stdout, a->topic, a->topic_sub);
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : SHIM_EXIT_FAILURE;
}

int tool_main(const struct cli_args *a)
{
	static const struct {
		enum cli_cmd cmd;
		int (*run)(const struct cli_args *);
	} tools[] = {
		{ CLI_HELP, help },
		{ CLI_COMPLETION, completion_main },
		{ CLI_CHECK, cmd_check },
		{ CLI_EXPLAIN, cmd_explain },
		{ CLI_EVAL, cmd_eval },
		{ CLI_EXPORT, cmd_export },
		{ CLI_COMPILE, cmd_compile },
		{ CLI_DIFF, cmd_diff },
		{ CLI_OCI_CONVERT, oci_convert },
		{ CLI_OCI_WRAP, oci_wrap },
		{ CLI_OCI_UNWRAP, oci_unwrap },
		{ CLI_RECORD, cmd_record },
		{ CLI_NEW, cmd_new },
		{ CLI_RUNTIME, cmd_runtime },
		{ CLI_HOOK, hook_main },
		{ CLI_INSPECT, cmd_inspect },
		{ CLI_FEATURES, cmd_features },
	};

	if (a->cmd == CLI_VERSION)
		return version();
	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		if (tools[i].cmd == a->cmd)
			return tools[i].run(a);
	return tool_die(SHIM_EXIT_FAILURE, "internal", "no handler for command %d", a->cmd);
}
