/* seccomp-shim's command line: the tables. Every option once (options[]),
 * then each command with the options it takes; the parser, --help and
 * the bash completion (shim/cli.c, shim/cli-help.c, shim/completion.c)
 * are all written from them. See cli.h for the rules. */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
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
	  .help = "with --init, --report or --complain: the command gets its own process group, which forwarded signals go to" },
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

const struct cli_option *cli_options(size_t *n)
{
	*n = ARRAY_SIZE(options);
	return options;
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

/* "seccomp-shim oci wrap" */
const char *cli_display(const struct cli_command *c, char *buf, size_t len)
{
	char name[64];

	snprintf(buf, len, "seccomp-shim%s%s", c->name ? " " : "",
		 cli_command_name(c, name, sizeof(name)));
	return buf;
}

const struct cli_command *cli_find(const char *name, const char *sub)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(commands[i].name, name) == 0 &&
		    (!sub ? !commands[i].sub : commands[i].sub && strcmp(commands[i].sub, sub) == 0))
			return &commands[i];
	return NULL;
}

bool cli_has_subs(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (commands[i].sub && strcmp(commands[i].name, name) == 0)
			return true;
	return false;
}
