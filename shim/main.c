/* seccomp-shim: the run (its options, then the confined execve) and
 * main(). All logic is in lib/; this file turns errors into messages and
 * exit codes. The subcommands are in tools.c and tool-*.c, the runtime
 * wrapper in runtime.c, the command line in cli.c (its tables in
 * cli-tables.c). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seccomp-shim.h"
#include "diag.h"
#include "tools.h"
#include "supervised.h"
#include "runtime.h"

extern char **environ;

struct run_options {
	const char *profile, *localhost_profile, *profile_root, *bpf_file, *cache_dir;
	const char *profile_json; /* the profile's text itself (the runtime wrapper's reporting) */
	bool no_cache;
	struct shim_cap_request caps;
	const char *user, *groups;
	bool keep_groups;
	struct shim_compile_options compile;
	bool quiet, verbose;
	bool help, version; /* --help, --version: nothing else is checked */
	char **command;
	struct supervise_cli sup; /* --report, --complain, --init (shim/supervised.c) */
};

__attribute__((format(printf, 2, 3))) static int die(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("seccomp-shim: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

static int fail(const struct shim_error *err)
{
	return die(err->exit_code ? err->exit_code : SHIM_EXIT_FAILURE, "%s", diag_error_text(err));
}

static void print_warnings(struct shim_warnings *w, bool quiet)
{
	for (size_t i = 0; !quiet && i < w->n; i++)
		fprintf(stderr, "seccomp-shim: warning: %s\n", diag_warning_text(w, i));
	shim_warnings_free(w);
}

static int parse_caps(const char *arg, uint64_t *set, bool *all)
{
	struct shim_error err = { 0 };

	if (shim_caps_parse_list(arg, set, all, &err) < 0)
		return fail(&err);
	return 0;
}

/* The run's options together, and what the environment adds. */
static int check_run_options(struct run_options *o)
{
	int r;

	if (o->groups && o->keep_groups)
		return die(SHIM_EXIT_FAILURE, "--groups and --keep-groups contradict each other: give one");
	if (o->bpf_file && o->profile)
		return die(SHIM_EXIT_FAILURE, "--bpf and --profile: give one (--bpf FILE is a profile already compiled)");
	if (o->profile_json && (o->profile || o->bpf_file))
		return die(SHIM_EXIT_FAILURE, "--profile-json and %s: give one", o->profile ? "--profile" : "--bpf");
	if (o->profile_json && !*o->profile_json)
		return die(SHIM_EXIT_FAILURE, "--profile-json: empty: give the profile's JSON text");
	/* The command line wins over the environment, and the environment
	 * never redirects a reference the command line gave: an image's
	 * environment is not always the operator's (man page, ENVIRONMENT). */
	if (!o->profile && !o->bpf_file && !o->profile_json) {
		o->profile = getenv("SECCOMP_SHIM_PROFILE");
		if (!o->profile_root)
			o->profile_root = getenv("SECCOMP_SHIM_PROFILE_ROOT");
	}
	if (!o->bpf_file && !o->profile_json && (!o->profile || !*o->profile))
		return die(SHIM_EXIT_FAILURE, "no profile given: use --profile FILE, runtime/default, audit, unconfined or localhost/REL (or set SECCOMP_SHIM_PROFILE)");
	if (o->profile && strcmp(o->profile, "Localhost") == 0) {
		static char ref[4096];
		if (!o->localhost_profile)
			return die(SHIM_EXIT_FAILURE, "--profile Localhost needs --localhost-profile REL");
		snprintf(ref, sizeof(ref), "localhost/%s", o->localhost_profile);
		o->profile = ref;
	} else if (o->localhost_profile) {
		return die(SHIM_EXIT_FAILURE, "--localhost-profile goes with --profile Localhost");
	}
	o->sup.quiet = o->quiet;
	o->sup.verbose = o->verbose;
	if ((r = supervise_check(&o->sup, o->profile != NULL || o->profile_json != NULL,
				 o->profile && strcmp(o->profile, "unconfined") == 0)))
		return r;
	return 0;
}

/* The run's options (their table is shim/cli-tables.c's), then the command. */
static int parse_run_options(int argc, char **argv, struct run_options *o)
{
	struct cli_parser p;
	struct cli_error e;
	const char *v;
	int id, r;

	cli_parser_init(&p, cli_run_command(), argc, argv, 1);
	while ((id = cli_next_option(&p, &v, &e)) > 0) {
		switch (id) {
		case CLI_OPT_PROFILE: o->profile = v; break;
		case CLI_OPT_BPF: o->bpf_file = v; break;
		case CLI_OPT_PROFILE_JSON: o->profile_json = v; break;
		case CLI_OPT_CACHE_DIR: o->cache_dir = v; break;
		case CLI_OPT_NO_CACHE: o->no_cache = true; break;
		case CLI_OPT_USER: o->user = v; break;
		case CLI_OPT_LOCALHOST_PROFILE: o->localhost_profile = v; break;
		case CLI_OPT_PROFILE_ROOT: o->profile_root = v; break;
		case CLI_OPT_GROUPS: o->groups = v; break;
		case CLI_OPT_KEEP_GROUPS: o->keep_groups = true; break;
		case CLI_OPT_CAPS_KEEP:
			/* Exactly these: Docker's --cap-drop ALL --cap-add LIST. */
			o->caps.any = true;
			o->caps.drop_all = true;
			if ((r = parse_caps(v, &o->caps.add, &o->caps.add_all)))
				return r;
			break;
		case CLI_OPT_QUIET: o->quiet = true; break;
		case CLI_OPT_VERBOSE: o->verbose = true; break;
		case CLI_OPT_HELP: o->help = true; return 0;
		case CLI_OPT_VERSION: o->version = true; return 0;
		case CLI_OPT_CAP_DROP:
			o->caps.any = true;
			if ((r = parse_caps(v, &o->caps.drop, &o->caps.drop_all)))
				return r;
			break;
		case CLI_OPT_CAP_ADD:
			o->caps.any = true;
			if ((r = parse_caps(v, &o->caps.add, &o->caps.add_all)))
				return r;
			break;
		case CLI_OPT_UNKNOWN_SYSCALLS: /* warn or error: the parser checked */
			o->compile.unknown_syscalls_fatal = strcmp(v, "error") == 0;
			break;
		case CLI_OPT_REPORT:
			o->sup.report = true;
			o->sup.report_file = v;
			break;
		case CLI_OPT_REPORT_FORMAT: o->sup.report_format = v; break;
		case CLI_OPT_COMPLAIN: o->sup.complain = true; break;
		case CLI_OPT_COMPLAIN_OUTPUT: o->sup.complain_output = v; break;
		case CLI_OPT_INIT: o->sup.init = true; break;
		case CLI_OPT_SIGNAL_GROUP: o->sup.signal_group = true; break;
		}
	}
	if (id < 0)
		return die(e.code, "%s", e.msg);
	if ((r = check_run_options(o)))
		return r;
	if (p.next >= argc)
		return die(SHIM_EXIT_FAILURE, "no command given: seccomp-shim --profile FILE -- COMMAND [ARG...]");
	o->command = &argv[p.next];
	return 0;
}

static void print_plan(const struct shim_host *host, const struct shim_policy *pol,
		       const struct shim_filter *f, const char *path, bool change_caps)
{
	char caps[1024];
	const char *arch_name;

	shim_caps_format(host->bounding, caps, sizeof(caps));
	fprintf(stderr, "seccomp-shim: target %s\n", path);
	fprintf(stderr, "seccomp-shim: capabilities %s; the target holds: %s\n",
		change_caps ? "set" : "unchanged", caps);
	fprintf(stderr, "seccomp-shim: default action %s", shim_action_name(pol->default_action.kind));
	if (pol->default_action.kind == SHIM_ACT_ERRNO)
		fprintf(stderr, "(%u)", pol->default_action.errno_ret);
	fprintf(stderr, ", %zu rules after resolving, %zu BPF instructions\n",
		pol->n_rules, f->n_insns);
	fprintf(stderr, "seccomp-shim: architectures:");
	for (size_t i = 0; i < pol->n_arches; i++) {
		arch_name = shim_arch_by_token(pol->arches[i])->oci;
		fprintf(stderr, " %s", arch_name);
	}
	fprintf(stderr, "\nseccomp-shim: flags:");
	for (unsigned bit = 1; bit; bit <<= 1)
		if (f->flags & bit)
			fprintf(stderr, " %s", shim_flag_name(bit));
	fprintf(stderr, "%s\n", f->flags ? "" : " (none)");
}

#define PASSWD_FILE "/etc/passwd"
#define GROUP_FILE "/etc/group"

/* --user (with the user's groups from /etc/group), then --groups replaces
 * those groups, or --keep-groups leaves the caller's. */
static int build_identity(const struct run_options *o, struct shim_identity *id,
			  struct shim_error *err)
{
	if (o->user && shim_user_parse(o->user, PASSWD_FILE, GROUP_FILE, id, err) < 0)
		return -1;
	if (o->groups && shim_groups_parse(o->groups, GROUP_FILE, id, err) < 0)
		return -1;
	if (o->keep_groups) {
		shim_identity_free(id);
		id->set_groups = false;
	}
	if (!o->user && o->groups) {
		/* Only the groups change: keep the ids. */
		id->switch_user = true;
		id->uid = getuid();
		id->gid = getgid();
	}
	return 0;
}

static void print_identity(const struct shim_identity *id)
{
	if (!id->switch_user) {
		fprintf(stderr, "seccomp-shim: user unchanged (uid %u, gid %u)\n", getuid(), getgid());
		return;
	}
	fprintf(stderr, "seccomp-shim: user uid %u, gid %u, groups ", id->uid, id->gid);
	if (!id->set_groups)
		fprintf(stderr, "unchanged");
	for (size_t i = 0; id->set_groups && i < id->n_groups; i++)
		fprintf(stderr, "%s%u", i ? "," : "", id->groups[i]);
	fprintf(stderr, "%s\n", id->set_groups && !id->n_groups ? "(none)" : "");
}

static void warn_kept_bounding(const struct shim_host *host, uint64_t final, bool quiet)
{
	char names[1024];

	if (quiet || shim_caps_can_drop_bounding() || !(host->bounding & ~final))
		return;
	/* One short line: a list of 40 names on every run helps nobody. */
	if (__builtin_popcountll(host->bounding & ~final) > 3)
		snprintf(names, sizeof(names), "%d dropped capabilities",
			 __builtin_popcountll(host->bounding & ~final));
	else
		shim_caps_format(host->bounding & ~final, names, sizeof(names));
	fprintf(stderr, "seccomp-shim: warning: %s stay in the bounding set (shrinking it needs CAP_SETPCAP); the command holds none of them and no_new_privs keeps it from gaining them\n",
		names);
}

/* The cache is used only where its entries can be sealed (root with
 * CAP_SYS_ADMIN): see lib/cache.c. */
static bool cache_dir_for(const struct run_options *o, char *buf, size_t len)
{
	if (o->no_cache)
		return false;
	if (!shim_cache_usable()) {
		if (o->cache_dir && !o->quiet)
			fprintf(stderr, "seccomp-shim: warning: --cache-dir %s is not used: cache entries are sealed with an attribute only root with CAP_SYS_ADMIN can write, so that a confined program cannot forge them\n",
				o->cache_dir);
		return false;
	}
	if (o->cache_dir)
		return (size_t)snprintf(buf, len, "%s", o->cache_dir) < len;
	return shim_cache_dir_default(buf, len) == 0;
}

/* The filter for src on host, through lib's one pipeline driver: compiled
 * when the shim was built (built-in profiles), from the cache, or
 * compiled now and stored. */
static int obtain_filter(const struct run_options *o, const struct shim_source *src,
			 const struct shim_host *host, struct shim_compiled *c,
			 struct shim_warnings *warn, char *cache_dir, size_t cache_len,
			 struct shim_error *err)
{
	/* A report names rules: it needs the profile, not only its program. */
	struct shim_pipeline_options po = { .compile = &o->compile,
					     .want_profile = o->sup.report || o->sup.complain };

	if (!po.want_profile && cache_dir_for(o, cache_dir, cache_len))
		po.cache_dir = cache_dir;
	/* Warnings nobody will read (-q, and no cache entry to keep them
	 * in) are not made: finding an unknown name in the text costs. */
	return shim_pipeline_source(src, host, &po, c,
				    o->quiet && !po.cache_dir ? NULL : warn, err);
}

static void print_origin(enum shim_filter_origin origin, const char *path, const struct shim_filter *f,
			 const char *ref, const char *cache_dir)
{
	fprintf(stderr, "seccomp-shim: target %s\n", path);
	if (origin == SHIM_FROM_CACHE)
		fprintf(stderr, "seccomp-shim: the filter (%zu BPF instructions) comes from the cache in %s\n",
			f->n_insns, cache_dir);
	else
		fprintf(stderr, "seccomp-shim: the filter (%zu BPF instructions) for %s was compiled when seccomp-shim was built, for these capabilities\n",
			f->n_insns, ref);
}

static int run(const struct run_options *o)
{
	struct shim_identity identity = { 0 };
	struct shim_error err = { 0 };
	struct shim_warnings warn = { 0 };
	struct shim_compiled c = { 0 };
	struct shim_host host;
	struct shim_source src = { 0 };
	enum shim_ref_kind kind = SHIM_REF_UNCONFINED;
	uint64_t final_caps = 0, held_caps = 0;
	unsigned target_uid;
	char *path = NULL, cache_dir[4096];
	int status = -1; /* a supervised run's: the target's wait status */

	/* Every way out frees what it holds: valgrind and LeakSanitizer run
	 * these paths in check-sanitize. */
	if (o->profile_json) {
		kind = SHIM_REF_FILE;
		if (shim_source_from_text("--profile-json", o->profile_json, strlen(o->profile_json), &src, &err) < 0)
			goto out;
	} else if (!o->bpf_file && shim_source_read(o->profile, o->profile_root, &src, &kind, &err) < 0) {
		goto out;
	}
	if (build_identity(o, &identity, &err) < 0 || shim_host_detect(&host, &err) < 0 ||
	    (o->caps.any &&
	     shim_caps_plan(host.bounding, host.permitted, &o->caps, &final_caps, &err) < 0))
		goto out;
	if (o->caps.any)
		warn_kept_bounding(&host, final_caps, o->quiet);
	target_uid = identity.switch_user ? identity.uid : getuid();
	held_caps = shim_caps_held(&o->caps, final_caps, target_uid);
	/* includes/excludes see the capabilities the target will hold. */
	host.bounding = shim_caps_target_set(target_uid, o->caps.any, held_caps,
					     identity.switch_user, &host);
	if (src.text && obtain_filter(o, &src, &host, &c, &warn, cache_dir, sizeof(cache_dir), &err) < 0)
		goto out;
	/* Compiled beforehand: only for this machine and these capabilities. */
	if (o->bpf_file && shim_bpf_file_read(o->bpf_file, &host, &c.filter, &err) < 0)
		goto out;
	print_warnings(&warn, o->quiet);
	if (shim_find_program_as(o->command[0], getenv("PATH"), &identity, &path, &err) < 0)
		goto out;
	if (!src.text && !o->bpf_file && !o->quiet)
		fprintf(stderr, "seccomp-shim: running %s unconfined: no seccomp filter (no_new_privs and capabilities still apply)\n",
			path);
	if (o->verbose) {
		print_identity(&identity);
		if (c.profile)
			print_plan(&host, &c.pol, &c.filter, path, o->caps.any);
		else if (src.text)
			print_origin(c.origin, path, &c.filter, o->profile, cache_dir);
	}

	struct shim_exec_plan plan = {
		.path = path,
		.argv = o->command,
		.envp = environ,
		.identity = &identity,
		.change_caps = o->caps.any,
		.bounding_caps = final_caps,
		.held_caps = held_caps,
		.filter = src.text || o->bpf_file ? &c.filter : NULL,
	};
	if (supervise_wanted(&o->sup))
		status = supervise_run(&o->sup, &plan, c.profile, &c.pol, &host, &err);
	else
		shim_exec_confined(&plan, &err);
out:
	print_warnings(&warn, o->quiet);
	free(path);
	shim_compiled_free(&c);
	shim_source_free(&src);
	shim_identity_free(&identity);
	if (status >= 0)
		return supervise_exit(status);
	return fail(&err);
}

int main(int argc, char **argv)
{
	struct run_options o = { 0 };
	struct cli_args args;
	struct cli_error err;
	int r = -1;

	/* The runtime wrapper's arguments are the real runtime's, never ours:
	 * they do not go through our parser (seccomp-shim-runc is a link to
	 * this program). */
	const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	if (strcmp(base, "seccomp-shim-runc") == 0)
		return runtime_main(argc - 1, argv + 1, NULL);
	if (argc > 2 && strcmp(argv[1], "runtime") == 0 && strcmp(argv[2], "--help") != 0 &&
	    strcmp(argv[2], "-h") != 0)
		return runtime_cli(argc - 2, argv + 2);
	/* A subcommand, or a run: shim/cli.h says which. */
	if (cli_parse(argc, argv, getenv("SECCOMP_SHIM_PROFILE"), &args, &err) < 0)
		r = die(err.code, "%s", err.msg);
	else if (args.cmd != CLI_RUN)
		r = tool_main(&args);
	cli_args_free(&args);
	if (r >= 0)
		return r;
	if ((r = parse_run_options(argc, argv, &o)))
		return r;
	if (o.help || o.version) {
		args.cmd = o.help ? CLI_HELP : CLI_VERSION;
		return tool_main(&args);
	}
	return run(&o);
}
