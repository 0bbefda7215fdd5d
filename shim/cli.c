/* seccomp-shim's command line: the tables of commands and options, the
 * parser, and --help written from the tables. See cli.h for the rules. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define FIELD(m) offsetof(struct cli_args, m)

/* Every option once; cli_use says which command takes which. */
static const struct cli_option options[] = {
	{ .id = CLI_OPT_PROFILE, .name = "profile", .short_name = 'p', .metavar = "PROFILE",
	  .complete = CLI_COMP_PROFILE, .field = FIELD(profile),
	  .help = "a file (Docker or OCI JSON), runtime/default, audit, unconfined or localhost/REL; default: $SECCOMP_SHIM_PROFILE" },
	{ .id = CLI_OPT_PROFILE_JSON, .name = "profile-json", .metavar = "JSON",
	  .help = "the profile's JSON text itself, instead of --profile (how the runtime wrapper gives a container's shim its profile)" },
	{ .id = CLI_OPT_POLICY, .name = "policy", .metavar = "FILE",
	  .complete = CLI_COMP_FILE, .field = FIELD(policy),
	  .help = "the node policy (default: $SECCOMP_SHIM_POLICY, else " SHIM_POLICY_DEFAULT_PATH ", whose absence means: runtime/default for a container without linux.seccomp)" },
	{ .id = CLI_OPT_BPF, .name = "bpf", .metavar = "FILE",
	  .complete = CLI_COMP_FILE,
	  .help = "a filter made by seccomp-shim compile, instead of --profile" },
	{ .id = CLI_OPT_CACHE_DIR, .name = "cache-dir", .metavar = "DIR",
	  .complete = CLI_COMP_DIR,
	  .help = "where compiled filters are kept (root only, default /var/cache/seccomp-shim)" },
	{ .id = CLI_OPT_NO_CACHE, .name = "no-cache",
	  .help = "compile every time, keep nothing" },
	{ .id = CLI_OPT_LOCALHOST_PROFILE, .name = "localhost-profile", .metavar = "REL",
	  .complete = CLI_COMP_FILE,
	  .help = "with --profile Localhost: localhost/REL" },
	{ .id = CLI_OPT_PROFILE_ROOT, .name = "profile-root", .metavar = "DIR",
	  .complete = CLI_COMP_DIR, .field = FIELD(profile_root),
	  .help = "where localhost/ profiles live (default: " SHIM_PROFILE_ROOT ")" },
	{ .id = CLI_OPT_CAP_DROP, .name = "cap-drop", .metavar = "LIST",
	  .complete = CLI_COMP_CAPS,
	  .help = "drop capabilities (NET_RAW,CAP_CHOWN,... or ALL)" },
	{ .id = CLI_OPT_CAP_ADD, .name = "cap-add", .metavar = "LIST",
	  .complete = CLI_COMP_CAPS,
	  .help = "keep or add back capabilities (after drops)" },
	{ .id = CLI_OPT_CAPS_KEEP, .name = "caps-keep", .metavar = "LIST",
	  .complete = CLI_COMP_CAPS,
	  .help = "keep exactly these capabilities (\"\" for none)" },
	{ .id = CLI_OPT_USER, .name = "user", .short_name = 'u', .metavar = "USER[:GROUP]",
	  .complete = CLI_COMP_USER,
	  .help = "run as this user (name or uid) and group" },
	{ .id = CLI_OPT_GROUPS, .name = "groups", .metavar = "LIST",
	  .complete = CLI_COMP_UNIX_GROUPS,
	  .help = "supplementary groups (names or gids; \"\" for none)" },
	{ .id = CLI_OPT_KEEP_GROUPS, .name = "keep-groups",
	  .help = "keep the current supplementary groups" },
	{ .id = CLI_OPT_UNKNOWN_SYSCALLS, .name = "unknown-syscalls", .metavar = "warn|error",
	  .complete = CLI_COMP_WORDS, .values = "warn error",
	  .help = "what to do with syscall names libseccomp does not know (default: warn and skip, as runc does)" },
	{ .id = CLI_OPT_REPORT, .name = "report", .metavar = "FILE", .optional_value = true,
	  .complete = CLI_COMP_FILE,
	  .help = "a supervised run: one line for each call the profile denies (time, pid, the call with its arguments, the verdict, the rule), on stderr or appended to FILE, and a summary at the end" },
	{ .id = CLI_OPT_REPORT_FORMAT, .name = "report-format", .metavar = "FORMAT",
	  .complete = CLI_COMP_WORDS, .values = "text json",
	  .help = "text (the default) or json: one object per line" },
	{ .id = CLI_OPT_COMPLAIN, .name = "complain",
	  .help = "report each call the profile would deny and let it run (implies --report)" },
	{ .id = CLI_OPT_COMPLAIN_OUTPUT, .name = "complain-output", .metavar = "FILE",
	  .complete = CLI_COMP_FILE,
	  .help = "with --complain: write the profile with those calls allowed" },
	{ .id = CLI_OPT_INIT, .name = "init",
	  .help = "stay as PID 1 of the command: reap orphans, forward signals, exit with its status" },
	{ .id = CLI_OPT_SIGNAL_GROUP, .name = "signal-group",
	  .help = "the command gets its own process group, which forwarded signals go to" },
	{ .id = CLI_OPT_QUIET, .name = "quiet", .short_name = 'q',
	  .field = FIELD(quiet),
	  .help = "do not print warnings" },
	{ .id = CLI_OPT_VERBOSE, .name = "verbose", .short_name = 'v',
	  .help = "print what is applied on stderr" },
	{ .id = CLI_OPT_HELP, .name = "help", .short_name = 'h',
	  .help = "this text" },
	{ .id = CLI_OPT_VERSION, .name = "version", .short_name = 'V',
	  .help = "the version, build id and libseccomp version (also: seccomp-shim version)" },
	{ .id = CLI_OPT_ARCH, .name = "arch", .metavar = "ARCH",
	  .complete = CLI_COMP_ARCH, .field = FIELD(arch),
	  .help = "resolve for another architecture (x86_64, aarch64, SCMP_ARCH_X86, amd64, ...)" },
	{ .id = CLI_OPT_CAPS, .name = "caps", .metavar = "LIST",
	  .complete = CLI_COMP_CAPS, .field = FIELD(caps),
	  .help = "the capabilities the command will hold, for includes/excludes (\"\" for none; default: what a plain run would give it here)" },
	{ .id = CLI_OPT_FORMAT, .name = "format", .metavar = "FORMAT",
	  .complete = CLI_COMP_WORDS, .field = FIELD(format),
	  .help = "the output format" },
	{ .id = CLI_OPT_STRICT, .name = "strict",
	  .field = FIELD(strict),
	  .help = "exit 1 when there are warnings" },
	{ .id = CLI_OPT_OUTPUT, .name = "output", .short_name = 'o', .metavar = "FILE",
	  .complete = CLI_COMP_FILE, .field = FIELD(output),
	  .help = "write to FILE instead of standard output" },
	{ .id = CLI_OPT_BUNDLE, .name = "bundle", .metavar = "DIR",
	  .complete = CLI_COMP_DIR, .field = FIELD(bundle),
	  .help = "resolve for the capabilities of the bundle's process (DIR/config.json)" },
	{ .id = CLI_OPT_WRITE, .name = "write",
	  .field = FIELD(write),
	  .help = "write linux.seccomp into DIR/config.json (the previous one is kept as config.json.orig)" },
	{ .id = CLI_OPT_SHIM, .name = "shim", .metavar = "STATIC-BINARY",
	  .complete = CLI_COMP_FILE, .field = FIELD(shim),
	  .help = "the static shim to copy into the bundle (default: seccomp-shim-static beside this program)" },
	{ .id = CLI_OPT_MERGE, .name = "merge", .metavar = "PROFILE",
	  .complete = CLI_COMP_PROFILE, .field = FIELD(merge),
	  .help = "start from this allow-list and add what it does not allow" },
	{ .id = CLI_OPT_ERRNO, .name = "errno", .metavar = "E",
	  .complete = CLI_COMP_WORDS, .values = "EPERM ENOSYS EACCES", .open = true,
	  .field = FIELD(errno_name),
	  .help = "the errno of the default action: a name (EPERM, the default, ENOSYS, ...) or a number up to 4094" },
	{ .id = CLI_OPT_STATS, .name = "stats",
	  .field = FIELD(stats),
	  .help = "print statistics" },
	{ .id = CLI_OPT_WIDE, .name = "wide",
	  .field = FIELD(wide),
	  .help = "allow socket, ioctl, clone, personality and unshare by name, for any arguments" },
	{ .id = CLI_OPT_LINEAR, .name = "linear",
	  .field = FIELD(compile.linear),
	  .help = "libseccomp's linear program instead of seccomp-shim's, to compare" },
	{ .id = CLI_OPT_LIBSECCOMP, .name = "libseccomp",
	  .field = FIELD(compile.libseccomp),
	  .help = "libseccomp's binary tree instead of seccomp-shim's, to compare" },
	{ .id = CLI_OPT_ALLOW, .name = "allow", .metavar = "LIST",
	  .complete = CLI_COMP_GROUPS,
	  .help = "syscall names and @groups to allow, comma-separated; repeatable" },
	{ .id = CLI_OPT_DENY, .name = "deny", .metavar = "LIST",
	  .complete = CLI_COMP_GROUPS,
	  .help = "syscall names and @groups to deny (a name both allowed and denied is denied)" },
	{ .id = CLI_OPT_DEFAULT_ACTION, .name = "default-action", .metavar = "ACTION",
	  .complete = CLI_COMP_WORDS, .values = "errno kill-process kill-thread trap log allow",
	  .open = true, .field = FIELD(default_action),
	  .help = "errno (the default), kill-process, kill-thread, trap, log or allow" },
	{ .id = CLI_OPT_LIST, .name = "list",
	  .field = FIELD(list),
	  .help = "print every group, what it is for and its members" },
};

/* ---- the commands and their options ------------------------------------ */

#define USE(opt) { .id = CLI_OPT_##opt }
#define HELP USE(HELP)
#define END { .id = CLI_OPT_END }

static const struct cli_use run_options[] = {
	USE(PROFILE), USE(PROFILE_JSON), USE(BPF), USE(CACHE_DIR), USE(NO_CACHE),
	USE(LOCALHOST_PROFILE),
	{ .id = CLI_OPT_PROFILE_ROOT, .help = "where localhost/ profiles live (default: " SHIM_PROFILE_ROOT
				"; for a profile from $SECCOMP_SHIM_PROFILE: $SECCOMP_SHIM_PROFILE_ROOT)" },
	USE(CAP_DROP), USE(CAP_ADD), USE(CAPS_KEEP), USE(USER),
	USE(GROUPS), USE(KEEP_GROUPS), USE(UNKNOWN_SYSCALLS), USE(REPORT),
	USE(REPORT_FORMAT), USE(COMPLAIN), USE(COMPLAIN_OUTPUT), USE(INIT),
	USE(SIGNAL_GROUP), USE(QUIET),
	USE(VERBOSE), HELP, USE(VERSION), END,
};

/* What every command that reads a profile takes. */
#define RESOLVE USE(ARCH), USE(CAPS), USE(PROFILE_ROOT), \
	USE(UNKNOWN_SYSCALLS)
#define QUIET_RESOLVED { .id = CLI_OPT_QUIET, .help = "do not print warnings, nor what the profile was resolved for" }
#define COMPILER USE(LIBSECCOMP), USE(LINEAR)

static const struct cli_use check_options[] = {
	RESOLVE, USE(STRICT),
	{ .id = CLI_OPT_FORMAT, .help = "text (the default) or json: an array of objects with severity, code, file, line, column, path, message and fix",
	  .values = "text json" },
	{ .id = CLI_OPT_QUIET, .help = "changes nothing: the findings, warnings among them, are what check prints" },
	HELP, END,
};
static const struct cli_use explain_options[] = {
	RESOLVE,
	{ .id = CLI_OPT_STATS, .help = "instead of verdicts: the program's size and cost per syscall, which compiler made it and whether it follows the rules" },
	COMPILER, QUIET_RESOLVED, HELP, END,
};
static const struct cli_use eval_options[] = {
	RESOLVE, { .id = CLI_OPT_FORMAT, .help = "text (the default) or json: one object",
	  .values = "text json" },
	USE(QUIET), HELP, END,
};
static const struct cli_use export_options[] = {
	{ .id = CLI_OPT_FORMAT, .help = "bpf (struct sock_filter[], as bwrap --seccomp reads it), pfc (libseccomp's pseudo filter code), oci (the resolved linux.seccomp) or json (the profile in Docker's format, normalized; the default)",
	  .values = "bpf pfc oci json" },
	USE(OUTPUT), RESOLVE, COMPILER, QUIET_RESOLVED, HELP, END,
};
static const struct cli_use compile_options[] = {
	{ .id = CLI_OPT_OUTPUT, .help = "where to write the filter", .required = true },
	USE(CAPS), USE(PROFILE_ROOT), USE(UNKNOWN_SYSCALLS), COMPILER,
	QUIET_RESOLVED, HELP,
	{ .id = CLI_OPT_ARCH, .refused = "a compiled filter is for this machine; run compile where it will be used" },
	END,
};
static const struct cli_use diff_options[] = {
	RESOLVE, USE(QUIET), HELP, END,
};
static const struct cli_use oci_convert_options[] = {
	USE(BUNDLE), USE(WRITE),
	{ .id = CLI_OPT_CAPS, .help = "the capabilities the process will hold, instead of the bundle's (\"\" for none)" },
	USE(ARCH), USE(PROFILE_ROOT), USE(UNKNOWN_SYSCALLS), USE(OUTPUT),
	USE(QUIET), HELP, END,
};
static const struct cli_use oci_wrap_options[] = {
	{ .id = CLI_OPT_PROFILE, .help = "the profile the bundle's process runs under (checked now)", .required = true },
	USE(SHIM), USE(PROFILE_ROOT), USE(QUIET), HELP, END,
};
static const struct cli_use oci_unwrap_options[] = {
	USE(QUIET), HELP, END,
};
static const struct cli_use record_options[] = {
	{ .id = CLI_OPT_OUTPUT, .help = "where to write the profile (made before COMMAND runs, renamed into place after)",
	  .required = true },
	USE(MERGE),
	{ .id = CLI_OPT_FORMAT, .help = "docker (the default; its comment names the command) or oci",
	  .values = "docker oci" },
	USE(ERRNO),
	USE(WIDE),
	{ .id = CLI_OPT_STATS, .help = "print each syscall with its count on stderr" },
	{ .id = CLI_OPT_PROFILE_ROOT, .help = "where a localhost/ profile for --merge lives (default: " SHIM_PROFILE_ROOT ")" },
	USE(QUIET), HELP, END,
};
static const struct cli_use new_options[] = {
	USE(ALLOW), USE(DENY), USE(DEFAULT_ACTION),
	{ .id = CLI_OPT_ERRNO, .help = "the errno of the default action, or of the denies under allow and log: a name (EPERM, the default, ENOSYS, ...) or a number up to 4094" },
	{ .id = CLI_OPT_ARCH, .help = "write the profile for another architecture's family" },
	USE(OUTPUT), USE(LIST),
	{ .id = CLI_OPT_QUIET, .help = "do not print warnings, nor what check says of the profile" }, HELP, END,
};
static const struct cli_use inspect_options[] = {
	{ .id = CLI_OPT_FORMAT, .help = "text (the default) or json: one object", .values = "text json" },
	{ .id = CLI_OPT_PROFILE, .help = "also say whether the process's filters give this profile's verdicts (a file, a built-in name or localhost/REL), compiled for this machine and the process's capabilities" },
	{ .id = CLI_OPT_CAPS, .help = "resolve --profile for these capabilities instead of the process's bounding set (\"\" for none)" },
	USE(PROFILE_ROOT), USE(UNKNOWN_SYSCALLS), USE(QUIET), HELP, END,
};
static const struct cli_use features_options[] = {
	{ .id = CLI_OPT_FORMAT, .help = "json, the only one (what a runtime's features command prints)", .values = "json" },
	HELP, END,
};
static const struct cli_use help_only[] = { HELP, END };
static const struct cli_use runtime_options[] = { USE(POLICY), HELP, END };

static const struct cli_command run_command = {
	.cmd = CLI_RUN, .args = "[--] COMMAND [ARG...]", .min_args = 1, .max_args = -1,
	.description = "Runs COMMAND confined by a Docker/OCI seccomp profile, with no_new_privs set and capabilities dropped as asked.",
	.options = run_options, .options_first = true, .usage_code = SHIM_EXIT_FAILURE,
	.complete_args = CLI_COMP_PROGRAM,
};

static const struct cli_command commands[] = {
	{ .name = "check", .cmd = CLI_CHECK, .args = "PROFILE...", .min_args = 1, .max_args = -1,
	  .summary = "validate profiles: errors a run would stop on, and warnings",
	  .description = "Reports every error a run would stop on, and warnings, each with FILE:LINE:COLUMN, the JSON path, a fix and a code in brackets. Exit status 0 when there is no error (warnings alone do not fail), 1 with --strict when there are warnings, 2 when there is an error.",
	  .options = check_options, .usage_code = 2, .complete_args = CLI_COMP_PROFILE },
	{ .name = "explain", .cmd = CLI_EXPLAIN, .args = "PROFILE", .min_args = 1, .max_args = 1,
	  .summary = "every syscall's verdict, grouped by verdict",
	  .description = "Prints every syscall of the architecture with its verdict, grouped by verdict, then the syscalls whose verdict depends on their arguments, with each condition, and the number above which the ENOSYS stub answers. Text only.",
	  .options = explain_options, .usage_code = SHIM_EXIT_FAILURE,
	  .complete_args = CLI_COMP_PROFILE },
	{ .name = "eval", .cmd = CLI_EVAL, .args = "PROFILE SYSCALL [ARG...]", .min_args = 2,
	  .max_args = 8, .summary = "the verdict one call gets, and what decided it",
	  .description = "SYSCALL is a name or a number; up to six ARGs, in decimal, 0x hex, 0 octal or as constants ORed with | (O_WRONLY|O_CREAT, CLONE_NEWUSER, AF_INET, ...). Exit status 0 when the call would go through, 1 when it would not.",
	  .options = eval_options, .usage_code = SHIM_EXIT_FAILURE,
	  .complete_args = CLI_COMP_PROFILE },
	{ .name = "export", .cmd = CLI_EXPORT, .args = "PROFILE", .min_args = 1, .max_args = 1,
	  .summary = "the filter (bpf, pfc) or the resolved profile (oci, json)",
	  .description = "Writes the profile compiled (bpf, pfc), resolved for this machine (oci) or normalized (json).",
	  .options = export_options, .usage_code = SHIM_EXIT_FAILURE,
	  .complete_args = CLI_COMP_PROFILE },
	{ .name = "compile", .cmd = CLI_COMPILE, .args = "PROFILE", .min_args = 1, .max_args = 1,
	  .summary = "the filter with a header, for --bpf FILE",
	  .description = "Writes the compiled filter with a header, for seccomp-shim --bpf FILE on this machine, for a command holding the capabilities given.",
	  .options = compile_options, .usage_code = SHIM_EXIT_FAILURE,
	  .complete_args = CLI_COMP_PROFILE },
	{ .name = "diff", .cmd = CLI_DIFF, .args = "PROFILE-A PROFILE-B", .min_args = 2,
	  .max_args = 2, .summary = "the syscalls whose verdict differs between two profiles",
	  .description = "Prints the syscalls whose verdicts differ, trying for each the argument values either profile compares with. Exit status 0 when none differ, 1 when some do.",
	  .options = diff_options, .usage_code = SHIM_EXIT_FAILURE,
	  .complete_args = CLI_COMP_PROFILE },
	{ .name = "oci", .sub = "convert", .cmd = CLI_OCI_CONVERT, .args = "PROFILE", .min_args = 1,
	  .max_args = 1, .summary = "a profile as linux.seccomp for an OCI bundle",
	  .description = "Resolves PROFILE for the capabilities of the bundle's process (--bundle DIR) or for those given (--caps LIST) and prints it as the OCI linux.seccomp object, with what runc's init calls after loading the filter; --write puts it into DIR/config.json.",
	  .options = oci_convert_options, .usage_code = SHIM_EXIT_FAILURE,
	  .complete_args = CLI_COMP_PROFILE },
	{ .name = "oci", .sub = "wrap", .cmd = CLI_OCI_WRAP, .args = "DIR", .min_args = 1,
	  .max_args = 1, .summary = "start an OCI bundle's process under seccomp-shim",
	  .description = "Rewrites DIR/config.json so that its process starts under the static shim, copied into the bundle, with the profile given. The previous config.json is kept as config.json.orig.",
	  .options = oci_wrap_options, .usage_code = SHIM_EXIT_FAILURE,
	  .complete_args = CLI_COMP_DIR },
	{ .name = "oci", .sub = "unwrap", .cmd = CLI_OCI_UNWRAP, .args = "DIR", .min_args = 1,
	  .max_args = 1, .summary = "undo oci wrap",
	  .description = "Restores DIR/config.json as it was before oci wrap and removes what wrap added.",
	  .options = oci_unwrap_options, .usage_code = SHIM_EXIT_FAILURE,
	  .complete_args = CLI_COMP_DIR },
	{ .name = "runtime", .cmd = CLI_RUNTIME, .args = "[--policy FILE] RUNTIME-ARGS...", .max_args = -1,
	  .summary = "an OCI runtime (runc) in front of which the node policy is applied",
	  .description = "Runs the real runtime (runc, or the policy's \"runtime\") with RUNTIME-ARGS, passing every command, flag, stdio and exit status through; on create and run it first applies the node policy to the bundle's config.json (the default profile, refusals, reporting), on exec into a container that reports its denials it starts the new process the same way, and features prints the runtime's document with seccomp-shim's merged in. Installed as seccomp-shim-runc for engines that take a runtime path without arguments (podman --runtime, containerd's BinaryName). A refusal exits 125 with the policy rule and the container field named, on stderr and in the runtime's --log.",
	  .options = runtime_options, .usage_code = SHIM_EXIT_FAILURE },
	{ .name = "hook", .cmd = CLI_HOOK, .args = "precreate|check", .min_args = 1, .max_args = 1,
	  .summary = "the node policy as an OCI hook (precreate edits, check refuses)",
	  .description = "precreate: reads a container's config.json on stdin and writes it, with the node policy applied, on stdout (podman's precreate hooks). check: reads the container's state on stdin (any OCI hook, such as createRuntime) and refuses the container (exit 125) when the policy refuses it or would change it, for engines without precreate hooks.",
	  .options = runtime_options, .usage_code = SHIM_EXIT_FAILURE,
	  .complete_args = CLI_COMP_WORDS, .arg_words = "precreate check" },
	{ .name = "record", .cmd = CLI_RECORD, .args = "[--] COMMAND [ARG...]", .min_args = 1,
	  .max_args = -1, .summary = "run a command and write the allow-list it needs",
	  .description = "Runs COMMAND with every system call of its process tree handed to seccomp-shim through seccomp user notification (no root needed), and writes a profile that allows what it used. The exit status is COMMAND's. Put -- before COMMAND: its own options would be taken for record's.",
	  .options = record_options, .usage_code = SHIM_EXIT_FAILURE,
	  .complete_args = CLI_COMP_PROGRAM },
	{ .name = "new", .cmd = CLI_NEW, .args = "",
	  .summary = "write a standard profile from syscall names and groups",
	  .description = "LIST is comma-separated: syscall names and systemd's groups (@system-service, @file-system, @network-io, @mount, ...; new --list shows them). --deny wins over --allow, and @default is always allowed. See seccomp-shim-profile(5).",
	  .options = new_options, .usage_code = SHIM_EXIT_FAILURE },
	{ .name = "inspect", .cmd = CLI_INSPECT, .args = "PID", .min_args = 1, .max_args = 1,
	  .summary = "the seccomp filters a running process is under, explained",
	  .description = "Reads the filters of process (or thread) PID from the kernel (ptrace's PTRACE_SECCOMP_GET_FILTER: root, with CAP_SYS_ADMIN; the process is stopped for the moment it takes and let go), with its Seccomp, NoNewPrivs and capability lines from /proc/PID/status, and tells what they do: first the effective verdicts (every filter runs, the most restrictive verdict wins), then each filter alone. Exit status 0; with --profile, 1 when the verdicts differ from the profile's; 125 when the filters cannot be read.",
	  .options = inspect_options, .usage_code = SHIM_EXIT_FAILURE },
	{ .name = "features", .cmd = CLI_FEATURES, .args = "",
	  .summary = "the OCI runtime features document of what seccomp-shim supports",
	  .description = "Prints the OCI runtime-spec's features document (features.md) for seccomp-shim: linux.seccomp with the actions, operators and architectures it takes and the filter flags it knows and this kernel supports, and org.seccomp-shim.* annotations.",
	  .options = features_options, .usage_code = SHIM_EXIT_FAILURE },
	{ .name = "version", .cmd = CLI_VERSION, .args = "",
	  .summary = "the version, build id and libseccomp version",
	  .description = "Prints the version of seccomp-shim, its build id (a hash of the sources) and the version of libseccomp it uses.",
	  .options = help_only, .usage_code = SHIM_EXIT_FAILURE },
	{ .name = "completion", .cmd = CLI_COMPLETION, .args = "bash", .min_args = 1, .max_args = 1,
	  .summary = "the bash completion script",
	  .description = "Prints the bash completion script, written from seccomp-shim's own tables: source <(seccomp-shim completion bash).",
	  .options = help_only, .usage_code = SHIM_EXIT_FAILURE,
	  .complete_args = CLI_COMP_WORDS, .arg_words = "bash" },
	{ .name = "help", .cmd = CLI_HELP, .args = "[SUBCOMMAND]", .max_args = 2,
	  .summary = "what a subcommand does, and its options",
	  .description = "Prints what SUBCOMMAND does and its options, as SUBCOMMAND --help does; without one, what seccomp-shim --help prints.",
	  .options = help_only, .usage_code = SHIM_EXIT_FAILURE,
	  .complete_args = CLI_COMP_SUBCOMMAND },
};

const struct cli_command *cli_run_command(void)
{
	return &run_command;
}

const struct cli_command *cli_commands(size_t *n)
{
	*n = ARRAY_SIZE(commands);
	return commands;
}

const struct cli_option *cli_option(enum cli_opt id)
{
	for (size_t i = 0; i < ARRAY_SIZE(options); i++)
		if (options[i].id == id)
			return &options[i];
	return NULL;
}

const char *cli_use_help(const struct cli_use *u)
{
	return u->help ? u->help : cli_option(u->id)->help;
}

const char *cli_use_values(const struct cli_use *u)
{
	return u->values ? u->values : cli_option(u->id)->values;
}

const char *cli_command_name(const struct cli_command *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", c->name ? c->name : "", c->sub ? " " : "",
		 c->sub ? c->sub : "");
	return buf;
}

/* ---- errors -------------------------------------------------------------- */

/* "check: " before a command's messages; nothing before the run's. */
static int fail(struct cli_error *err, const struct cli_command *c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct cli_error *err, const struct cli_command *c, const char *fmt, ...)
{
	char name[64];
	size_t used = 0;
	va_list ap;

	err->code = c->usage_code;
	if (c->name)
		used = (size_t)snprintf(err->msg, sizeof(err->msg), "%s: ",
					cli_command_name(c, name, sizeof(name)));
	va_start(ap, fmt);
	vsnprintf(err->msg + used, sizeof(err->msg) - used, fmt, ap);
	va_end(ap);
	return -1;
}

/* "seccomp-shim oci wrap" */
static const char *display(const struct cli_command *c, char *buf, size_t len)
{
	char name[64];

	snprintf(buf, len, "seccomp-shim%s%s", c->name ? " " : "",
		 cli_command_name(c, name, sizeof(name)));
	return buf;
}

static const struct cli_use *find_use(const struct cli_command *c, enum cli_opt id)
{
	for (const struct cli_use *u = c->options; u->id; u++)
		if (u->id == id)
			return u;
	return NULL;
}

static bool takes(const struct cli_command *c, enum cli_opt id)
{
	const struct cli_use *u = find_use(c, id);

	return u && !u->refused;
}

/* "a run, check and oci convert": who takes the option; returns how many. */
static size_t takers(enum cli_opt id, char *buf, size_t len)
{
	size_t total = takes(&run_command, id), k = 0, used = 0;

	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		total += takes(&commands[i], id);
	buf[0] = '\0';
	for (size_t i = 0; i <= ARRAY_SIZE(commands) && used < len; i++) {
		const struct cli_command *c = i ? &commands[i - 1] : &run_command;
		char name[64];

		if (!takes(c, id))
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 k == 0 ? "" : k + 1 == total ? " and " : ", ",
					 c->name ? cli_command_name(c, name, sizeof(name)) : "a run");
		k++;
	}
	return total;
}

/* An option that exists, but not for this command. */
static int not_taken(struct cli_error *err, const struct cli_command *c, const char *typed,
		     const struct cli_option *opt)
{
	char who[256], self[64], name[64];
	size_t n = takers(opt->id, who, sizeof(who));

	return fail(err, c, "%s takes no %s (%s %s; see %s --help)",
		    c->name ? cli_command_name(c, name, sizeof(name)) : "a run", typed, who,
		    n == 1 ? "does" : "do", display(c, self, sizeof(self)));
}

/* ---- reading options ---------------------------------------------------- */

void cli_parser_init(struct cli_parser *p, const struct cli_command *command, int argc,
		     char **argv, int first)
{
	memset(p, 0, sizeof(*p));
	p->command = command;
	p->argc = argc;
	p->argv = argv;
	p->next = first;
}

static bool is_option(const struct cli_parser *p, const char *arg)
{
	if (arg[0] != '-' || arg[1] == '\0')
		return false;
	/* eval's arguments may be negative numbers. */
	return p->command->options_first || arg[1] < '0' || arg[1] > '9';
}

/* "a, b or c" from "a b c". */
static void or_list(const char *words, char *buf, size_t len)
{
	size_t used = 0, n = 0, count = 0;

	for (const char *p = words; *p; p += strspn(p, " ")) {
		count++;
		p += strcspn(p, " ");
	}
	buf[0] = '\0';
	for (const char *p = words; *p && used < len; n++) {
		size_t w = strcspn(p, " ");
		used += (size_t)snprintf(buf + used, len - used, "%s%.*s",
					 n == 0 ? "" : n + 1 == count ? " or " : ", ", (int)w, p);
		p += w;
		p += strspn(p, " ");
	}
}

static bool is_word_of(const char *value, const char *words)
{
	size_t len = strlen(value);

	for (const char *p = words; *p; p += strspn(p, " ")) {
		size_t w = strcspn(p, " ");
		if (w == len && strncmp(p, value, len) == 0)
			return true;
		p += w;
	}
	return false;
}

/* A value checked against the command's list, where the list is closed. */
static int checked(struct cli_parser *p, const struct cli_use *u, const char *typed,
		   const char **value, struct cli_error *err)
{
	const struct cli_option *opt = cli_option(u->id);
	const char *values = cli_use_values(u);
	char list[256];

	if (*value && values && !opt->open && !is_word_of(*value, values)) {
		or_list(values, list, sizeof(list));
		return fail(err, p->command, "%s takes %s, not \"%s\"", typed, list, *value);
	}
	return u->id;
}

/* How the command takes opt (NULL: no option has that name), or NULL
 * with err filled. */
static const struct cli_use *use_of(struct cli_parser *p, const struct cli_option *opt,
				    const char *typed, struct cli_error *err)
{
	const struct cli_use *u = opt ? find_use(p->command, opt->id) : NULL;
	char self[64];

	if (u && !u->refused)
		return u;
	if (u)
		fail(err, p->command, "%s: %s", typed, u->refused);
	else if (opt)
		not_taken(err, p->command, typed, opt);
	else
		fail(err, p->command, "unknown option %s (see %s --help)", typed,
		     display(p->command, self, sizeof(self)));
	return NULL;
}

/* -q, -qv (one at a time), -oFILE, -o FILE */
static int short_option(struct cli_parser *p, const char **value, struct cli_error *err)
{
	char typed[3] = { '-', *p->cluster++, '\0' };
	const struct cli_option *opt = NULL;
	const struct cli_use *u;

	for (size_t i = 0; i < ARRAY_SIZE(options) && !opt; i++)
		if (options[i].short_name == typed[1])
			opt = &options[i];
	if (!(u = use_of(p, opt, typed, err)))
		return -1;
	if (opt->metavar && *p->cluster) {
		*value = p->cluster; /* -oFILE */
		p->cluster = NULL;
	} else if (opt->metavar) {
		p->cluster = NULL;
		if (p->next >= p->argc)
			return fail(err, p->command, "option %s needs a value", typed);
		*value = p->argv[p->next++];
	}
	return checked(p, u, typed, value, err);
}

/* The one option of the command that name (len bytes) begins, as
 * getopt_long takes a unique prefix; NULL with err filled. */
static const struct cli_use *abbreviation(struct cli_parser *p, const char *name, size_t len,
					  const char *typed, struct cli_error *err)
{
	const struct cli_use *found = NULL;
	char all[256] = "";
	size_t n = 0, used = 0;

	for (const struct cli_use *u = p->command->options; u->id; u++) {
		const char *full = cli_option(u->id)->name;
		if (u->refused || strncmp(full, name, len) != 0)
			continue;
		found = u;
		n++;
		if (used < sizeof(all))
			used += (size_t)snprintf(all + used, sizeof(all) - used, "%s--%s",
						 used ? ", " : "", full);
	}
	if (n == 1)
		return found;
	if (n > 1)
		fail(err, p->command, "option %s is ambiguous (%s)", typed, all);
	else
		use_of(p, NULL, typed, err);
	return NULL;
}

/* --name, --name=VALUE, --name VALUE, or a unique prefix of a name. A
 * whole name is never read as the prefix of another: diff --profile is
 * refused, not taken for --profile-root. */
static int long_option(struct cli_parser *p, const char *arg, const char **value,
		       struct cli_error *err)
{
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	const struct cli_option *opt = NULL;
	const struct cli_use *u;
	char typed[64];

	snprintf(typed, sizeof(typed), "--%.*s", (int)len, arg);
	for (size_t i = 0; i < ARRAY_SIZE(options) && !opt; i++)
		if (strlen(options[i].name) == len && strncmp(options[i].name, arg, len) == 0)
			opt = &options[i];
	u = opt ? use_of(p, opt, typed, err) : abbreviation(p, arg, len, typed, err);
	if (!u)
		return -1;
	opt = cli_option(u->id);
	snprintf(typed, sizeof(typed), "--%s", opt->name);
	if (!opt->metavar && eq)
		return fail(err, p->command, "option %s takes no value", typed);
	if (eq) {
		*value = eq + 1;
	} else if (opt->metavar && !opt->optional_value) {
		if (p->next >= p->argc)
			return fail(err, p->command, "option %s needs a value", typed);
		*value = p->argv[p->next++];
	}
	return checked(p, u, typed, value, err);
}

int cli_next_option(struct cli_parser *p, const char **value, struct cli_error *err)
{
	const char *arg;

	*value = NULL;
	if (p->cluster && *p->cluster) /* -qv: v */
		return short_option(p, value, err);
	p->cluster = NULL;
	if (p->ended || p->next >= p->argc)
		return 0;
	arg = p->argv[p->next];
	if (strcmp(arg, "--") == 0) {
		p->ended = true;
		p->next++;
		return 0;
	}
	if (!is_option(p, arg))
		return 0;
	p->next++;
	if (arg[1] == '-')
		return long_option(p, arg + 2, value, err);
	p->cluster = arg + 1;
	return short_option(p, value, err);
}

/* ---- commands ---------------------------------------------------------- */

/* Edit distance with a swap of two neighbours counting as one (explian). */
static size_t distance(const char *a, const char *b)
{
	enum { MAX = 24 };
	size_t la = strlen(a), lb = strlen(b), d[MAX + 1][MAX + 1];

	if (la > MAX || lb > MAX)
		return SIZE_MAX;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

/* The name word was probably meant to be: one edit away (two for words
 * longer than four letters), or NULL. group: the oci commands' names;
 * NULL: the first words. */
static const char *closest(const char *word, const char *group)
{
	size_t best = strlen(word) > 4 ? 3 : 2;
	const char *found = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		const char *name = group ? commands[i].sub : commands[i].name;
		size_t d;
		if (group && (!commands[i].sub || strcmp(commands[i].name, group) != 0))
			continue;
		d = distance(word, name);
		if (d < best) {
			best = d;
			found = name;
		}
	}
	return found;
}

static const struct cli_command *find(const char *name, const char *sub)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(commands[i].name, name) == 0 &&
		    (!sub ? !commands[i].sub : commands[i].sub && strcmp(commands[i].sub, sub) == 0))
			return &commands[i];
	return NULL;
}

static bool has_subs(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (commands[i].sub && strcmp(commands[i].name, name) == 0)
			return true;
	return false;
}

/* "convert, wrap or unwrap" */
static void subs_of(const char *name, char *buf, size_t len)
{
	char words[128] = "";
	size_t used = 0;

	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (commands[i].sub && strcmp(commands[i].name, name) == 0 && used < sizeof(words))
			used += (size_t)snprintf(words + used, sizeof(words) - used, "%s%s",
						 used ? " " : "", commands[i].sub);
	or_list(words, buf, len);
}

static int unknown_command(struct cli_error *err, const char *group, const char *word)
{
	const char *near = closest(word, group);
	char subs[128];

	err->code = SHIM_EXIT_FAILURE;
	if (group) {
		subs_of(group, subs, sizeof(subs));
		if (near)
			snprintf(err->msg, sizeof(err->msg),
				 "%s: unknown command \"%s\": did you mean \"%s\"?", group, word, near);
		else
			snprintf(err->msg, sizeof(err->msg), "%s: unknown command \"%s\" (%s)",
				 group, word, subs);
	} else if (near) {
		snprintf(err->msg, sizeof(err->msg), "unknown command \"%s\": did you mean \"%s\"?",
			 word, near);
	} else {
		snprintf(err->msg, sizeof(err->msg),
			 "unknown command \"%s\" (seccomp-shim --help lists them)", word);
	}
	return -1;
}

/* Appends the items of a comma list ("@system-service,mount") to *v. */
static int split_list(const char *list, char ***v, size_t *n)
{
	for (const char *p = list;; p++) {
		size_t len = strcspn(p, ",");
		char **grown;

		if (len) {
			grown = realloc(*v, (*n + 1) * sizeof(**v));
			if (!grown)
				return -1;
			*v = grown;
			if (!((*v)[*n] = strndup(p, len)))
				return -1;
			(*n)++;
		}
		p += len;
		if (!*p)
			return 0;
	}
}

static int store(struct cli_args *a, enum cli_opt id, const char *value)
{
	const struct cli_option *opt = cli_option(id);
	char *at = (char *)a + opt->field;

	switch (id) {
	case CLI_OPT_UNKNOWN_SYSCALLS:
		a->compile.unknown_syscalls_fatal = strcmp(value, "error") == 0;
		return 0;
	case CLI_OPT_ALLOW:
		return split_list(value, &a->allow, &a->n_allow);
	case CLI_OPT_DENY:
		return split_list(value, &a->deny, &a->n_deny);
	default:
		break;
	}
	if (!opt->metavar)
		*(bool *)(void *)at = true;
	else
		*(const char **)(void *)at = value;
	return 0;
}

/* "seccomp-shim compile -o FILE [OPTIONS] PROFILE" into buf. */
static void usage_line(const struct cli_command *c, char *buf, size_t len)
{
	size_t used = strlen(display(c, buf, len));
	bool optional = false;

	for (const struct cli_use *u = c->options; u->id; u++) {
		const struct cli_option *opt = cli_option(u->id);
		char name[64];

		if (!u->required) {
			optional |= u->id != CLI_OPT_HELP && !u->refused;
			continue;
		}
		if (opt->short_name)
			snprintf(name, sizeof(name), "-%c", opt->short_name);
		else
			snprintf(name, sizeof(name), "--%s", opt->name);
		if (used < len)
			used += (size_t)snprintf(buf + used, len - used, " %s %s", name, opt->metavar);
	}
	if (used < len)
		snprintf(buf + used, len - used, "%s%s%s", optional ? " [OPTIONS]" : "",
			 *c->args ? " " : "", c->args);
}

/* Arguments and required options, once all are read. */
static int check_arguments(const struct cli_command *c, const struct cli_args *a, const bool *seen,
		    struct cli_error *err)
{
	char line[256], self[64];
	bool ok = a->n_rest >= c->min_args && (c->max_args < 0 || a->n_rest <= c->max_args);

	for (const struct cli_use *u = c->options; u->id; u++)
		if (u->required && !seen[u->id])
			ok = false;
	if (ok)
		return 0;
	usage_line(c, line, sizeof(line));
	return fail(err, c, "usage: %s (see %s --help)", line, display(c, self, sizeof(self)));
}

static int parse_command(const struct cli_command *c, int argc, char **argv, int first,
			 struct cli_args *a, struct cli_error *err)
{
	struct cli_parser p;
	bool seen[CLI_OPT_COUNT] = { false };
	const char *value;
	int id;

	a->cmd = c->cmd;
	a->command = c;
	if (!(a->rest = calloc((size_t)argc + 1, sizeof(*a->rest))))
		return fail(err, c, "out of memory");
	cli_parser_init(&p, c, argc, argv, first);
	for (;;) {
		if ((id = cli_next_option(&p, &value, err)) < 0)
			return -1;
		if (id == CLI_OPT_HELP) {
			a->cmd = CLI_HELP;
			a->topic = c->name;
			a->topic_sub = c->sub;
			return 0;
		}
		if (id > 0) {
			seen[id] = true;
			if (store(a, (enum cli_opt)id, value) < 0)
				return fail(err, c, "out of memory");
		} else if (p.next < argc) {
			a->rest[a->n_rest++] = argv[p.next++];
		} else {
			break;
		}
	}
	return check_arguments(c, a, seen, err);
}

/* help [COMMAND [SUB]]: what to describe. */
static int help_topic(struct cli_args *a, struct cli_error *err)
{
	const char *name = a->n_rest > 0 ? a->rest[0] : NULL;
	const char *sub = a->n_rest > 1 ? a->rest[1] : NULL;

	a->topic = name;
	if (!name)
		return 0;
	if (!find(name, NULL) && !has_subs(name))
		return unknown_command(err, NULL, name);
	if (sub && !has_subs(name))
		return fail(err, a->command, "%s has no subcommands", name);
	if (sub && !find(name, sub))
		return unknown_command(err, name, sub);
	a->topic_sub = sub;
	return 0;
}

int cli_parse(int argc, char **argv, const char *env_profile, struct cli_args *out,
	      struct cli_error *err)
{
	const struct cli_command *c;
	const char *name = argc > 1 ? argv[1] : NULL;

	memset(out, 0, sizeof(*out));
	out->cmd = CLI_RUN;
	if (!name || name[0] == '-')
		return 0;
	if (!find(name, NULL) && !has_subs(name)) {
		/* An entrypoint's command, or a misspelt subcommand. */
		if ((env_profile && *env_profile) || !closest(name, NULL))
			return 0;
		return unknown_command(err, NULL, name);
	}
	if (!has_subs(name)) {
		c = find(name, NULL);
		if (parse_command(c, argc, argv, 2, out, err) < 0)
			return -1;
		return c->cmd == CLI_HELP && out->cmd == CLI_HELP && !out->topic ? help_topic(out, err) : 0;
	}
	if (argc < 3 || strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0) {
		char subs[128];
		if (argc >= 3) {
			out->cmd = CLI_HELP;
			out->topic = name;
			return 0;
		}
		subs_of(name, subs, sizeof(subs));
		err->code = SHIM_EXIT_FAILURE;
		snprintf(err->msg, sizeof(err->msg), "%s: which one? %s (see seccomp-shim help %s)",
			 name, subs, name);
		return -1;
	}
	if (!(c = find(name, argv[2])))
		return unknown_command(err, name, argv[2]);
	return parse_command(c, argc, argv, 3, out, err);
}

void cli_args_free(struct cli_args *a)
{
	for (size_t i = 0; i < a->n_allow; i++)
		free(a->allow[i]);
	for (size_t i = 0; i < a->n_deny; i++)
		free(a->deny[i]);
	free(a->allow);
	free(a->deny);
	free(a->rest);
	memset(a, 0, sizeof(*a));
}

/* ---- help ---------------------------------------------------------------- */

enum { HELP_WIDTH = 79, OPTION_COLUMN = 31, COMMAND_COLUMN = 16 };

/* text from column col, lines broken before HELP_WIDTH and continued at
 * indent; a newline in text breaks the line there. */
static void wrap(FILE *out, const char *text, int indent, int col)
{
	for (const char *p = text; *p;) {
		int len = (int)strcspn(p, " \n");

		if (*p == '\n' || *p == ' ') {
			if (*p++ == '\n') {
				fputc('\n', out);
				col = 0;
			}
			continue;
		}
		if (col > indent && col + 1 + len > HELP_WIDTH) {
			fputc('\n', out);
			col = 0;
		}
		if (col < indent)
			col += fprintf(out, "%*s", indent - col, "");
		else if (col > indent)
			col += fprintf(out, " ");
		col += fprintf(out, "%.*s", len, p);
		p += len;
	}
	if (col)
		fputc('\n', out);
}

static void print_option(FILE *out, const struct cli_use *u)
{
	const struct cli_option *opt = cli_option(u->id);
	int col;

	if (opt->short_name)
		col = fprintf(out, "  -%c, --%s", opt->short_name, opt->name);
	else
		col = fprintf(out, "      --%s", opt->name);
	if (opt->metavar)
		col += fprintf(out, opt->optional_value ? "[=%s]" : " %s", opt->metavar);
	if (col > OPTION_COLUMN - 2) {
		fputc('\n', out);
		col = 0;
	}
	wrap(out, cli_use_help(u), OPTION_COLUMN, col);
}

static void print_options(FILE *out, const struct cli_command *c)
{
	fprintf(out, "\nOptions:\n");
	for (const struct cli_use *u = c->options; u->id; u++)
		if (!u->refused)
			print_option(out, u);
}

static void help_main(FILE *out)
{
	char line[256];
	size_t n = ARRAY_SIZE(commands);

	usage_line(&run_command, line, sizeof(line));
	fprintf(out, "usage: %s\n       seccomp-shim SUBCOMMAND [OPTIONS] [ARG...]\n\n", line);
	wrap(out, run_command.description, 0, 0);
	print_options(out, &run_command);
	fprintf(out, "\nSubcommands:\n");
	for (size_t i = 0; i < n; i++) {
		int col = fprintf(out, "  %s%s%s", commands[i].name, commands[i].sub ? " " : "",
				  commands[i].sub ? commands[i].sub : "");
		wrap(out, commands[i].summary, COMMAND_COLUMN, col);
	}
	fputc('\n', out);
	wrap(out, "seccomp-shim help SUBCOMMAND, or seccomp-shim SUBCOMMAND --help, shows what it does and its options. A first word that names a subcommand always means it: put -- before a COMMAND of the same name (seccomp-shim -- diff a b runs diff).\n\n"
		  "Exit status: 125 if seccomp-shim failed, 126 if COMMAND cannot be executed, 127 if it is not found; otherwise COMMAND's own. See seccomp-shim(1).",
	     0, 0);
}

static void help_command(FILE *out, const struct cli_command *c)
{
	char line[256];

	usage_line(c, line, sizeof(line));
	fprintf(out, "usage: %s\n\n", line);
	wrap(out, c->description, 0, 0);
	print_options(out, c);
	fprintf(out, "\nSee seccomp-shim(1).\n");
}

/* oci: each one's usage line and summary. */
static void help_group(FILE *out, const char *name)
{
	char line[256];

	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		if (!commands[i].sub || strcmp(commands[i].name, name) != 0)
			continue;
		usage_line(&commands[i], line, sizeof(line));
		fprintf(out, "%s %s\n", i && commands[i - 1].sub ? "      " : "usage:", line);
	}
	fputc('\n', out);
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (commands[i].sub && strcmp(commands[i].name, name) == 0) {
			int col = fprintf(out, "  %s", commands[i].sub);
			wrap(out, commands[i].summary, COMMAND_COLUMN, col);
		}
	fprintf(out, "\nseccomp-shim help %s SUBCOMMAND shows its options.\n", name);
}

int cli_help(FILE *out, const char *topic, const char *sub)
{
	const struct cli_command *c;

	if (!topic) {
		help_main(out);
		return 0;
	}
	if ((c = find(topic, sub))) {
		help_command(out, c);
		return 0;
	}
	if (!sub && has_subs(topic)) {
		help_group(out, topic);
		return 0;
	}
	return -1;
}
