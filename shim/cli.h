/* seccomp-shim's command line: the commands, the options each one takes,
 * and the parser that turns argv into a struct cli_args.
 *
 * One table of options (name, value, help, completion) and one table of
 * commands, each naming the options it takes: --help, the bash completion
 * and the parser are all written from them, so they cannot disagree. An
 * option a command does not take is an error, never ignored.
 *
 * The first word decides (cli_parse):
 *   - none, "--", or an option: a run; parse_run_options (shim/main.c)
 *     reads the run's options with cli_next_option.
 *   - a command's name: that command, always. "seccomp-shim -- diff a b"
 *     runs a program called diff.
 *   - any other word: a run when a profile can come from the environment
 *     (SECCOMP_SHIM_PROFILE: an entrypoint that prefixes a command); else
 *     a word close to a command's name is an "unknown command" with the
 *     name it was probably meant to be, and any other is a run (which
 *     then says that no profile was given).
 *
 * Nothing here prints, except cli_help; nothing exits. Errors come back in
 * a struct cli_error for main to print. */
#ifndef SHIM_CLI_H
#define SHIM_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "seccomp-shim/container.h"

enum cli_cmd {
	CLI_RUN = 1,
	CLI_HELP, /* help [COMMAND], COMMAND --help */
	CLI_VERSION,
	CLI_COMPLETION,
	CLI_CHECK,
	CLI_EXPLAIN,
	CLI_EVAL,
	CLI_EXPORT,
	CLI_COMPILE,
	CLI_DIFF,
	CLI_OCI_CONVERT,
	CLI_OCI_WRAP,
	CLI_OCI_UNWRAP,
	CLI_RUNTIME,
	CLI_HOOK,
	CLI_RECORD,
	CLI_NEW,
	CLI_INSPECT,
	CLI_FEATURES,
};

/* Every option of every command, once. */
enum cli_opt {
	CLI_OPT_END = 0, /* ends a command's list */
	/* the run's */
	CLI_OPT_PROFILE,
	CLI_OPT_BPF,
	CLI_OPT_PROFILE_JSON,
	CLI_OPT_POLICY,
	CLI_OPT_CACHE_DIR,
	CLI_OPT_NO_CACHE,
	CLI_OPT_LOCALHOST_PROFILE,
	CLI_OPT_PROFILE_ROOT,
	CLI_OPT_CAP_DROP,
	CLI_OPT_CAP_ADD,
	CLI_OPT_CAPS_KEEP,
	CLI_OPT_USER,
	CLI_OPT_GROUPS,
	CLI_OPT_KEEP_GROUPS,
	CLI_OPT_UNKNOWN_SYSCALLS,
	CLI_OPT_REPORT,
	CLI_OPT_REPORT_FORMAT,
	CLI_OPT_COMPLAIN,
	CLI_OPT_COMPLAIN_OUTPUT,
	CLI_OPT_INIT,
	CLI_OPT_SIGNAL_GROUP,
	CLI_OPT_QUIET,
	CLI_OPT_VERBOSE,
	CLI_OPT_HELP,
	CLI_OPT_VERSION,
	/* the other commands' */
	CLI_OPT_ARCH,
	CLI_OPT_CAPS,
	CLI_OPT_FORMAT,
	CLI_OPT_STRICT,
	CLI_OPT_OUTPUT,
	CLI_OPT_BUNDLE,
	CLI_OPT_WRITE,
	CLI_OPT_SHIM,
	CLI_OPT_MERGE,
	CLI_OPT_ERRNO,
	CLI_OPT_STATS,
	CLI_OPT_WIDE,
	CLI_OPT_LINEAR,
	CLI_OPT_LIBSECCOMP,
	CLI_OPT_ALLOW,
	CLI_OPT_DENY,
	CLI_OPT_DEFAULT_ACTION,
	CLI_OPT_LIST,
	CLI_OPT_COUNT
};

/* What bash completion offers for an option's value. */
enum cli_complete {
	CLI_COMP_NONE = 0, /* nothing: a number, a word the user knows */
	CLI_COMP_FILE,
	CLI_COMP_DIR,
	CLI_COMP_PROFILE, /* built-in names and files */
	CLI_COMP_CAPS, /* a comma list of capabilities */
	CLI_COMP_GROUPS, /* a comma list of syscall groups */
	CLI_COMP_USER,
	CLI_COMP_UNIX_GROUPS, /* a comma list of groups from /etc/group */
	CLI_COMP_ARCH,
	CLI_COMP_WORDS, /* the option's values (below) */
	CLI_COMP_PROGRAM, /* a program to run, then its arguments (files) */
	CLI_COMP_SUBCOMMAND, /* seccomp-shim's subcommands */
};

struct cli_option {
	enum cli_opt id;
	const char *name; /* --name */
	char short_name; /* -c, or 0 */
	/* "FILE": the option takes a value (--opt FILE, --opt=FILE, -oFILE)
	 * and --help shows it so; NULL: a flag. */
	const char *metavar;
	const char *help; /* one sentence; --help wraps it */
	enum cli_complete complete;
	/* Space-separated values: with CLI_COMP_WORDS, what completion
	 * offers, and unless open, the only ones the parser accepts. */
	const char *values;
	bool open;
	/* The value is optional and comes only after '=' (--report=FILE). */
	bool optional_value;
	/* Where cli_parse stores it for a command other than the run: a
	 * const char * (a value) or a bool (a flag) at this offset in struct
	 * cli_args; 0 for those stored by hand (lists, help). */
	size_t field;
};

/* An option as one command takes it. */
struct cli_use {
	enum cli_opt id;
	const char *help; /* this command's words for it; NULL: the option's */
	const char *values; /* this command's values (--format); NULL: the option's */
	bool required;
	/* Not taken, for this reason (compile --arch): the parser says it
	 * instead of listing who takes it; --help leaves it out. */
	const char *refused;
};

struct cli_command {
	const char *name; /* "check"; "oci" for the oci commands; NULL for the run */
	const char *sub; /* "convert": seccomp-shim oci convert; or NULL */
	enum cli_cmd cmd;
	const char *args; /* "PROFILE...": what follows the options in the usage line */
	int min_args, max_args; /* max_args -1: no limit */
	const char *summary; /* one line for seccomp-shim --help */
	const char *description; /* paragraphs for COMMAND --help */
	const struct cli_use *options; /* ends with CLI_OPT_END */
	/* The run: options come first and the first argument ends them.
	 * Others: options and arguments mix, and an argument may look like a
	 * negative number (eval's -1). */
	bool options_first;
	int usage_code; /* exit status of a usage error: 125, or 2 for check */
	enum cli_complete complete_args; /* what completion offers for args */
	const char *arg_words; /* with CLI_COMP_WORDS */
};

struct cli_error {
	int code; /* the exit status */
	char msg[1024]; /* without the leading "seccomp-shim: " */
};

/* What cli_parse found: the command and, for a command other than the
 * run, its options and arguments. */
struct cli_args {
	enum cli_cmd cmd;
	const struct cli_command *command; /* NULL for the run */
	/* CLI_HELP: the command to describe: "check", "oci" (all of them),
	 * "oci" "wrap"; topic NULL: seccomp-shim itself. */
	const char *topic, *topic_sub;
	const char *arch, *caps, *format, *output, *profile_root;
	const char *bundle, *profile, *shim; /* oci */
	const char *policy; /* runtime, hook */
	const char *merge, *errno_name; /* record */
	const char *default_action; /* new */
	char **allow, **deny; /* new: each comma list split, in order */
	size_t n_allow, n_deny;
	bool strict, quiet, write, stats, wide, list;
	struct shim_compile_options compile;
	char **rest; /* the arguments (NULL-terminated) */
	int n_rest;
};

/* Reads argv. env_profile is $SECCOMP_SHIM_PROFILE (or NULL): with it, a
 * first word that names no command is a command to run. Returns 0, or -1
 * with err filled. Either way, free *out with cli_args_free. */
int cli_parse(int argc, char **argv, const char *env_profile, struct cli_args *out,
	      struct cli_error *err);
void cli_args_free(struct cli_args *a);

/* Reading one command's options, one at a time (the run's, for
 * parse_run_options). */
struct cli_parser {
	const struct cli_command *command;
	int argc;
	char **argv;
	int next; /* the next element of argv to read */
	const char *cluster; /* the rest of "-qv" after -q, or NULL */
	bool ended; /* "--" was read: what follows are arguments */
};

void cli_parser_init(struct cli_parser *p, const struct cli_command *command, int argc,
		     char **argv, int first);
/* > 0: an option's id, with its value in *value (NULL when none was
 * given); 0: no option at p->next (an argument, or the end of argv, or
 * "--" was just read); -1: an error, in err. */
int cli_next_option(struct cli_parser *p, const char **value, struct cli_error *err);

/* The tables (shim/cli-tables.c). */
const struct cli_command *cli_run_command(void);
const struct cli_command *cli_commands(size_t *n);
const struct cli_option *cli_options(size_t *n);
const struct cli_option *cli_option(enum cli_opt id);
/* The command name and sub name (NULL: none) name, or NULL. */
const struct cli_command *cli_find(const char *name, const char *sub);
/* Whether name is a group of commands (oci). */
bool cli_has_subs(const char *name);
/* "check", "oci convert"; "" for the run. */
const char *cli_command_name(const struct cli_command *c, char *buf, size_t len);
/* "seccomp-shim oci wrap"; "seccomp-shim" for the run. */
const char *cli_display(const struct cli_command *c, char *buf, size_t len);
/* The help and values of an option as a command takes it. */
const char *cli_use_help(const struct cli_use *u);
const char *cli_use_values(const struct cli_use *u);

/* "seccomp-shim compile -o FILE [OPTIONS] PROFILE" into buf
 * (shim/cli-help.c). */
void cli_usage_line(const struct cli_command *c, char *buf, size_t len);
/* The help for topic and sub (as in struct cli_args; topic NULL:
 * seccomp-shim's own, the run's options and one line per subcommand).
 * Returns 0, or -1 if they name no command. */
int cli_help(FILE *out, const char *topic, const char *sub);

#endif
