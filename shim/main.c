/* seccomp-shim: argument parsing and subcommands. All logic is in lib/;
 * this file turns errors into messages and exit codes. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <seccomp.h>

#include "seccomp-shim.h"
#include "tools.h"
#include "supervised.h"

extern char **environ;

struct run_options {
	const char *profile, *localhost_profile, *profile_root, *bpf_file, *cache_dir;
	bool no_cache;
	struct shim_cap_request caps;
	const char *user, *groups;
	bool keep_groups;
	struct shim_compile_options compile;
	bool quiet, verbose;
	char **command;
	struct supervise_cli sup; /* --report, --complain, --init (shim/supervised.c) */
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: seccomp-shim --profile FILE [OPTIONS] [--] COMMAND [ARG...]\n"
		"       seccomp-shim --bpf FILE [OPTIONS] [--] COMMAND [ARG...]\n"
		"       seccomp-shim check [--strict] [--format json] PROFILE...\n"
		"       seccomp-shim explain PROFILE\n"
		"       seccomp-shim eval PROFILE SYSCALL [ARG...]\n"
		"       seccomp-shim export PROFILE --format bpf|pfc|oci|json [-o FILE]\n"
		"       seccomp-shim compile PROFILE -o FILE\n"
		"       seccomp-shim diff PROFILE-A PROFILE-B\n"
		"       seccomp-shim oci convert PROFILE (--bundle DIR [--write] | --caps LIST)\n"
		"       seccomp-shim oci wrap DIR --profile PROFILE [--shim STATIC-BINARY]\n"
		"       seccomp-shim oci unwrap DIR\n"
		"       seccomp-shim record -o OUT.json [--merge PROFILE] [--format docker|oci]\n"
		"                    [--errno EPERM|ENOSYS] [--wide] [--stats] -- COMMAND [ARG...]\n"
		"       seccomp-shim version\n"
		"\n"
		"Runs COMMAND confined by a Docker/OCI seccomp profile, with no_new_privs set\n"
		"and capabilities dropped as asked.\n"
		"\n"
		"  -p, --profile PROFILE        a file (Docker or OCI JSON), runtime/default,\n"
		"                               audit, unconfined or localhost/REL; default:\n"
		"                               $SECCOMP_SHIM_PROFILE\n"
		"      --bpf FILE               a filter made by seccomp-shim compile, instead\n"
		"                               of --profile\n"
		"      --cache-dir DIR          where compiled filters are kept (root only,\n"
		"                               default /var/cache/seccomp-shim)\n"
		"      --no-cache               compile every time, keep nothing\n"
		"      --localhost-profile REL  with --profile Localhost: localhost/REL\n"
		"      --profile-root DIR       where localhost/ profiles live (default:\n"
		"                               " SHIM_PROFILE_ROOT "; for a profile from\n"
		"                               $SECCOMP_SHIM_PROFILE: $SECCOMP_SHIM_PROFILE_ROOT)\n"
		"      --cap-drop LIST          drop capabilities (NET_RAW,CAP_CHOWN,... or ALL)\n"
		"      --cap-add LIST           keep or add back capabilities (after drops)\n"
		"      --caps-keep LIST         keep exactly these capabilities (\"\" for none)\n"
		"  -u, --user USER[:GROUP]      run as this user (name or uid) and group\n"
		"      --groups LIST            supplementary groups (names or gids; \"\" for none)\n"
		"      --keep-groups            keep the current supplementary groups\n"
		"      --unknown-syscalls=warn|error\n"
		"                               what to do with syscall names libseccomp does not\n"
		"                               know (default: warn and skip, as runc does)\n"
		"      --report[=FILE]          a supervised run: one line for each call the\n"
		"                               profile denies (time, pid, the call with its\n"
		"                               arguments, the verdict, the rule), on stderr or\n"
		"                               appended to FILE, and a summary at the end\n"
		"      --report-format text|json  json: one object per line\n"
		"      --complain               report each call the profile would deny and let\n"
		"                               it run (implies --report)\n"
		"      --complain-output FILE   write the profile with those calls allowed\n"
		"      --init                   stay as PID 1 of the command: reap orphans,\n"
		"                               forward signals, exit with its status\n"
		"      --signal-group           the command gets its own process group, which\n"
		"                               forwarded signals go to\n"
		"  -q, --quiet                  do not print warnings\n"
		"  -v, --verbose                print what is applied on stderr\n"
		"  -h, --help                   this text\n"
		"\n"
		"check, explain, eval, export, compile and diff take a profile like --profile\n"
		"and these options: --arch ARCH (resolve for another architecture), --caps\n"
		"LIST (what the command holds, for includes/excludes), --profile-root DIR,\n"
		"-o FILE, -q; check also --strict and --format json; explain also --stats;\n"
		"explain, export and compile also --libseccomp or --linear (libseccomp's\n"
		"program instead of seccomp-shim's, to compare).\n"
		"\n"
		"Exit status: 125 if seccomp-shim failed, 126 if COMMAND cannot be executed,\n"
		"127 if it is not found; otherwise COMMAND's own. See seccomp-shim(1).\n");
}

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
	return die(err->exit_code ? err->exit_code : SHIM_EXIT_FAILURE, "%s", err->msg);
}

static void print_warnings(struct shim_warnings *w, bool quiet)
{
	for (size_t i = 0; !quiet && i < w->n; i++)
		fprintf(stderr, "seccomp-shim: warning: %s\n", w->msgs[i]);
	shim_warnings_free(w);
}

static int parse_caps(const char *arg, uint64_t *set, bool *all)
{
	struct shim_error err = { 0 };

	if (shim_caps_parse_list(arg, set, all, &err) < 0)
		return fail(&err);
	return 0;
}

static int parse_run_options(int argc, char **argv, struct run_options *o)
{
	enum { OPT_CAP_DROP = 256, OPT_BPF, OPT_CACHE_DIR, OPT_NO_CACHE, OPT_CAP_ADD,
	       OPT_CAPS_KEEP, OPT_GROUPS, OPT_KEEP_GROUPS, OPT_UNKNOWN, OPT_LOCALHOST,
	       OPT_PROFILE_ROOT, OPT_REPORT, OPT_REPORT_FORMAT, OPT_COMPLAIN, OPT_COMPLAIN_OUTPUT,
	       OPT_INIT, OPT_SIGNAL_GROUP };
	static const struct option longopts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "bpf", required_argument, NULL, OPT_BPF },
		{ "cache-dir", required_argument, NULL, OPT_CACHE_DIR },
		{ "no-cache", no_argument, NULL, OPT_NO_CACHE },
		{ "cap-drop", required_argument, NULL, OPT_CAP_DROP },
		{ "cap-add", required_argument, NULL, OPT_CAP_ADD },
		{ "caps-keep", required_argument, NULL, OPT_CAPS_KEEP },
		{ "localhost-profile", required_argument, NULL, OPT_LOCALHOST },
		{ "profile-root", required_argument, NULL, OPT_PROFILE_ROOT },
		{ "user", required_argument, NULL, 'u' },
		{ "groups", required_argument, NULL, OPT_GROUPS },
		{ "keep-groups", no_argument, NULL, OPT_KEEP_GROUPS },
		{ "unknown-syscalls", required_argument, NULL, OPT_UNKNOWN },
		{ "report", optional_argument, NULL, OPT_REPORT },
		{ "report-format", required_argument, NULL, OPT_REPORT_FORMAT },
		{ "complain", no_argument, NULL, OPT_COMPLAIN },
		{ "complain-output", required_argument, NULL, OPT_COMPLAIN_OUTPUT },
		{ "init", no_argument, NULL, OPT_INIT },
		{ "signal-group", no_argument, NULL, OPT_SIGNAL_GROUP },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, r;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:p:u:qvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': o->profile = optarg; break;
		case OPT_BPF: o->bpf_file = optarg; break;
		case OPT_CACHE_DIR: o->cache_dir = optarg; break;
		case OPT_NO_CACHE: o->no_cache = true; break;
		case 'u': o->user = optarg; break;
		case OPT_LOCALHOST: o->localhost_profile = optarg; break;
		case OPT_PROFILE_ROOT: o->profile_root = optarg; break;
		case OPT_GROUPS: o->groups = optarg; break;
		case OPT_KEEP_GROUPS: o->keep_groups = true; break;
		case OPT_CAPS_KEEP:
			/* Exactly these: Docker's --cap-drop ALL --cap-add LIST. */
			o->caps.any = true;
			o->caps.drop_all = true;
			if ((r = parse_caps(optarg, &o->caps.add, &o->caps.add_all)))
				return r;
			break;
		case 'q': o->quiet = true; break;
		case 'v': o->verbose = true; break;
		case 'h': usage(stdout); exit(0);
		case OPT_CAP_DROP:
			o->caps.any = true;
			if ((r = parse_caps(optarg, &o->caps.drop, &o->caps.drop_all)))
				return r;
			break;
		case OPT_CAP_ADD:
			o->caps.any = true;
			if ((r = parse_caps(optarg, &o->caps.add, &o->caps.add_all)))
				return r;
			break;
		case OPT_UNKNOWN:
			if (strcmp(optarg, "error") == 0)
				o->compile.unknown_syscalls_fatal = true;
			else if (strcmp(optarg, "warn") != 0)
				return die(SHIM_EXIT_FAILURE, "--unknown-syscalls takes warn or error, not \"%s\"", optarg);
			break;
		case OPT_REPORT:
			o->sup.report = true;
			o->sup.report_file = optarg;
			break;
		case OPT_REPORT_FORMAT: o->sup.report_format = optarg; break;
		case OPT_COMPLAIN: o->sup.complain = true; break;
		case OPT_COMPLAIN_OUTPUT: o->sup.complain_output = optarg; break;
		case OPT_INIT: o->sup.init = true; break;
		case OPT_SIGNAL_GROUP: o->sup.signal_group = true; break;
		case ':':
			return die(SHIM_EXIT_FAILURE, "option %s needs a value", argv[optind - 1]);
		default:
			return die(SHIM_EXIT_FAILURE, "unknown option %s (see seccomp-shim --help)",
				   argv[optind - 1]);
		}
	}
	if (o->groups && o->keep_groups)
		return die(SHIM_EXIT_FAILURE, "--groups and --keep-groups contradict each other: give one");
	if (o->bpf_file && o->profile)
		return die(SHIM_EXIT_FAILURE, "--bpf and --profile: give one (--bpf FILE is a profile already compiled)");
	/* The command line wins over the environment, and the environment
	 * never redirects a reference the command line gave: an image's
	 * environment is not always the operator's (man page, ENVIRONMENT). */
	if (!o->profile && !o->bpf_file) {
		o->profile = getenv("SECCOMP_SHIM_PROFILE");
		if (!o->profile_root)
			o->profile_root = getenv("SECCOMP_SHIM_PROFILE_ROOT");
	}
	if (!o->bpf_file && (!o->profile || !*o->profile))
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
	if ((r = supervise_check(&o->sup, o->profile != NULL,
				 o->profile && strcmp(o->profile, "unconfined") == 0)))
		return r;
	if (optind >= argc)
		return die(SHIM_EXIT_FAILURE, "no command given: seccomp-shim --profile FILE -- COMMAND [ARG...]");
	o->command = &argv[optind];
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

static int compile_profile(const struct run_options *o, const struct shim_profile *profile,
			   const struct shim_host *host, struct shim_policy *pol,
			   struct shim_filter *filter, struct shim_warnings *warn,
			   struct shim_error *err)
{
	if (shim_resolve(profile, host, pol, warn, err) < 0)
		return -1;
	if (pol->needs_listener) {
		shim_error_set(err, ENOTSUP, "%s: the profile uses SCMP_ACT_NOTIFY (listenerPath %s): seccomp-shim does not act as a seccomp agent; change those rules to another action",
			       o->profile, profile->listener_path);
		return -1;
	}
	if (profile->listener_path)
		shim_warn(warn, "%s: listenerPath is ignored: no rule that applies here uses SCMP_ACT_NOTIFY",
			  o->profile);
	return shim_compile(profile, pol, &o->compile, filter, warn, err);
}

static int run(const struct run_options *o)
{
	struct shim_identity identity = { 0 };
	struct shim_error err = { 0 };
	struct shim_warnings warn = { 0 };
	struct shim_profile *profile = NULL;
	struct shim_policy pol = { 0 };
	struct shim_filter filter = { 0 };
	struct shim_host host;
	struct shim_source src = { 0 };
	enum shim_ref_kind kind = SHIM_REF_UNCONFINED;
	uint64_t final_caps = 0, held_caps = 0;
	unsigned target_uid;
	char *path = NULL, cache_dir[4096];
	uint8_t key[32];
	bool use_cache = false, cached = false;
	int status = -1; /* a supervised run's: the target's wait status */

	/* Every way out frees what it holds: valgrind and LeakSanitizer run
	 * these paths in check-sanitize. */
	if (!o->bpf_file && shim_source_read(o->profile, o->profile_root, &src, &kind, &err) < 0)
		goto out;
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
	if (src.text) {
		/* Same bytes, same machine, same capabilities: same program. */
		use_cache = cache_dir_for(o, cache_dir, sizeof(cache_dir));
		/* A report names rules: it needs the profile, not only its program. */
		use_cache &= !o->sup.report && !o->sup.complain;
		if (use_cache) {
			shim_cache_key(&src, &host, &o->compile, key);
			cached = shim_cache_load(cache_dir, key, &host, &filter) == 1;
		}
		if (!cached) {
			if (shim_profile_parse(src.name, src.text, src.len, &profile, &warn, &err) < 0 ||
			    compile_profile(o, profile, &host, &pol, &filter, &warn, &err) < 0)
				goto out;
			/* Only a profile without warnings: they must show every time. */
			if (use_cache && warn.n == 0)
				shim_cache_store(cache_dir, key, profile, &host, &filter);
		}
	}
	/* Compiled beforehand: only for this machine and these capabilities. */
	if (o->bpf_file && shim_bpf_file_read(o->bpf_file, &host, &filter, &err) < 0)
		goto out;
	print_warnings(&warn, o->quiet);
	if (shim_find_program_as(o->command[0], getenv("PATH"), &identity, &path, &err) < 0)
		goto out;
	if (!src.text && !o->bpf_file && !o->quiet)
		fprintf(stderr, "seccomp-shim: running %s unconfined: no seccomp filter (no_new_privs and capabilities still apply)\n",
			path);
	if (o->verbose) {
		print_identity(&identity);
		if (profile)
			print_plan(&host, &pol, &filter, path, o->caps.any);
		else if (cached)
			fprintf(stderr, "seccomp-shim: target %s\nseccomp-shim: the filter (%zu BPF instructions) comes from the cache in %s\n",
				path, filter.n_insns, cache_dir);
	}

	struct shim_exec_plan plan = {
		.path = path,
		.argv = o->command,
		.envp = environ,
		.identity = &identity,
		.change_caps = o->caps.any,
		.bounding_caps = final_caps,
		.held_caps = held_caps,
		.filter = src.text || o->bpf_file ? &filter : NULL,
	};
	if (supervise_wanted(&o->sup))
		status = supervise_run(&o->sup, &plan, profile, &pol, &host, &err);
	else
		shim_exec_confined(&plan, &err);
out:
	print_warnings(&warn, o->quiet);
	free(path);
	shim_filter_free(&filter);
	shim_policy_free(&pol);
	shim_profile_free(profile);
	shim_source_free(&src);
	shim_identity_free(&identity);
	if (status >= 0)
		return supervise_exit(status);
	return fail(&err);
}

static int version(void)
{
	const struct scmp_version *v = seccomp_version();

	printf("seccomp-shim %s\nbuild %s\nlibseccomp %u.%u.%u\n", SHIM_VERSION, shim_build_id(),
	       v->major, v->minor, v->micro);
	return 0;
}

int main(int argc, char **argv)
{
	struct run_options o = { 0 };
	int r;

	if (argc > 1 && strcmp(argv[1], "version") == 0)
		return version();
	if (argc > 1 && strcmp(argv[1], "--version") == 0)
		return version();
	if (argc > 1 && (r = tool_main(argc, argv)) >= 0)
		return r;
	r = parse_run_options(argc, argv, &o);
	if (r)
		return r;
	return run(&o);
}
