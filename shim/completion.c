/* seccomp-shim completion bash: the bash completion script. The commands,
 * each one's options and what their values complete to come from
 * shim/cli-tables.c's tables; the capability names and syscall groups from the
 * tables lib/ uses; so none of them can drift. make install installs its
 * output; `source <(seccomp-shim completion bash)` loads it by hand. */
#include <stdio.h>
#include <string.h>

#include "seccomp-shim.h"
#include "tools.h"

/* How each kind of value completes ($cur is the word; $2 the words of
 * CLI_COMP_WORDS). In the order of enum cli_complete. */
static const char *const value_kinds[] = {
	[CLI_COMP_NONE] = NULL,
	[CLI_COMP_FILE] = "COMPREPLY=($(compgen -f -- \"$cur\"))",
	[CLI_COMP_DIR] = "COMPREPLY=($(compgen -d -- \"$cur\"))",
	[CLI_COMP_PROFILE] = "COMPREPLY=($(compgen -W \"$_seccomp_shim_profiles\" -- \"$cur\") $(compgen -f -- \"$cur\"))",
	[CLI_COMP_CAPS] = "_seccomp_shim_list \"ALL $_seccomp_shim_caps\"",
	[CLI_COMP_GROUPS] = "_seccomp_shim_list \"$_seccomp_shim_groups\"",
	[CLI_COMP_USER] = "COMPREPLY=($(compgen -u -- \"$cur\"))",
	[CLI_COMP_UNIX_GROUPS] = "_seccomp_shim_list \"$(compgen -g)\"",
	[CLI_COMP_ARCH] = "COMPREPLY=($(compgen -W \"$_seccomp_shim_arches\" -- \"$cur\"))",
	[CLI_COMP_WORDS] = "COMPREPLY=($(compgen -W \"$2\" -- \"$cur\"))",
	[CLI_COMP_PROGRAM] = "COMPREPLY=($(compgen -c -- \"$cur\"))",
	[CLI_COMP_SUBCOMMAND] = "COMPREPLY=($(compgen -W \"$_seccomp_shim_commands\" -- \"$cur\"))",
};

static const char helpers[] =
	"_seccomp_shim_list() { # comma lists: complete the item after the last comma\n"
	"\tlocal words=$1 head=\"\" item=$cur\n"
	"\tcase $cur in *,*) head=${cur%,*},; item=${cur##*,} ;; esac\n"
	"\tCOMPREPLY=($(compgen -P \"$head\" -W \"$words\" -- \"$item\"))\n"
	"\tcompopt -o nospace 2>/dev/null\n"
	"}\n";

/* Which command the words name. After it (print_commands), the same for
 * every command: the value of an option, an option, or an argument: for
 * the run and record, a program, then after it or "--" its arguments. */
static const char head[] =
	"_seccomp_shim() {\n"
	"\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	"\tlocal cmd=${COMP_WORDS[1]} first=2 i opts= valued= args= words=\n"
	"\tCOMPREPLY=()\n"
	"\tif ((COMP_CWORD == 1)) && [[ $cur != -* ]]; then _seccomp_shim_value subcommand; return; fi\n"
	"\tcase $cmd in\n"
	"\t\"$_seccomp_shim_group\")\n"
	"\t\tif ((COMP_CWORD == 2)); then COMPREPLY=($(compgen -W \"$_seccomp_shim_subs\" -- \"$cur\")); return; fi\n"
	"\t\tcmd=\"$cmd ${COMP_WORDS[2]}\" first=3 ;;\n"
	"\t*) [[ \" $_seccomp_shim_commands \" == *\" $cmd \"* ]] || cmd=run first=1 ;;\n"
	"\tesac\n";

static const char tail[] =
	"\tfor ((i = first; i < COMP_CWORD; i++)); do\n"
	"\t\tcase ${COMP_WORDS[i]} in\n"
	"\t\t--) # the rest are arguments\n"
	"\t\t\tif [[ $args == program ]] && ((i < COMP_CWORD - 1)); then args=file; fi\n"
	"\t\t\t_seccomp_shim_value \"$args\" \"$words\"; return ;;\n"
	"\t\t-*) [[ \" $valued \" == *\" ${COMP_WORDS[i]} \"* ]] && ((i++)) ;;\n"
	"\t\t*) [[ $args == program ]] && args=file ;; # the program's arguments\n"
	"\t\tesac\n"
	"\tdone\n"
	"\tif [[ \" $valued \" == *\" $prev \"* ]]; then _seccomp_shim_option \"$cmd\" \"$prev\"; return; fi\n"
	"\tif [[ $cur == -* && $args != file ]]; then COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\")); return; fi\n"
	"\t_seccomp_shim_value \"$args\" \"$words\"\n"
	"}\n"
	"complete -F _seccomp_shim seccomp-shim\n";

static const char *kind_name(enum cli_complete k)
{
	static const char *const names[] = {
		[CLI_COMP_NONE] = "none", [CLI_COMP_FILE] = "file", [CLI_COMP_DIR] = "dir",
		[CLI_COMP_PROFILE] = "profile", [CLI_COMP_CAPS] = "caps",
		[CLI_COMP_GROUPS] = "groups", [CLI_COMP_USER] = "user",
		[CLI_COMP_UNIX_GROUPS] = "unix-groups", [CLI_COMP_ARCH] = "arch",
		[CLI_COMP_WORDS] = "words", [CLI_COMP_PROGRAM] = "program",
		[CLI_COMP_SUBCOMMAND] = "subcommand",
	};
	return names[k];
}

static void print_value_function(void)
{
	printf("_seccomp_shim_value() { # _seccomp_shim_value KIND [WORDS]\n\tcase $1 in\n");
	for (size_t k = 1; k < sizeof(value_kinds) / sizeof(value_kinds[0]); k++)
		printf("\t%s) %s ;;\n", kind_name((enum cli_complete)k), value_kinds[k]);
	printf("\tesac\n}\n");
}

/* How the script names a command: "check", "oci convert", "run". */
static const char *command_key(const struct cli_command *c, char *buf, size_t len)
{
	return c->name ? cli_command_name(c, buf, len) : "run";
}

/* _seccomp_shim_option CMD OPTION: completes the value of OPTION (one
 * that takes a value) as CMD takes it. */
static void print_option_function(const struct cli_command *cmds, size_t n)
{
	char key[64];

	printf("_seccomp_shim_option() {\n\tcase \"$1 $2\" in\n");
	for (size_t i = 0; i <= n; i++) {
		const struct cli_command *c = i ? &cmds[i - 1] : cli_run_command();
		const char *name = command_key(c, key, sizeof(key));

		for (const struct cli_use *u = c->options; u->id; u++) {
			const struct cli_option *o = cli_option(u->id);
			const char *words = cli_use_values(u);
			if (!o->metavar || u->refused)
				continue;
			printf("\t\"%s --%s\"", name, o->name);
			if (o->short_name)
				printf("|\"%s -%c\"", name, o->short_name);
			printf(") _seccomp_shim_value %s%s%s%s ;;\n", kind_name(o->complete),
			       words ? " '" : "", words ? words : "", words ? "'" : "");
		}
	}
	printf("\tesac\n}\n");
}

/* For each command: opts, its options; valued, those that take a value
 * (long and short); args and words, what its arguments complete to. */
static void print_commands(const struct cli_command *cmds, size_t n)
{
	char key[64];

	printf("\tcase $cmd in\n");
	for (size_t i = 0; i <= n; i++) {
		const struct cli_command *c = i ? &cmds[i - 1] : cli_run_command();
		const char *sep = "";
		printf("\t\"%s\") opts='", command_key(c, key, sizeof(key)));
		for (const struct cli_use *u = c->options; u->id; u++)
			if (!u->refused) {
				printf("%s--%s", sep, cli_option(u->id)->name);
				sep = " ";
			}
		printf("' valued='");
		sep = "";
		for (const struct cli_use *u = c->options; u->id; u++) {
			const struct cli_option *o = cli_option(u->id);
			if (u->refused || !o->metavar)
				continue;
			printf("%s--%s", sep, o->name);
			if (o->short_name)
				printf(" -%c", o->short_name);
			sep = " ";
		}
		printf("' args=%s words='%s' ;;\n", kind_name(c->complete_args),
		       c->arg_words ? c->arg_words : "");
	}
	printf("\t*) return ;;\n\tesac\n");
}

static void words(const char *var, const char *const *v, size_t n)
{
	printf("%s='", var);
	for (size_t i = 0; i < n; i++)
		printf("%s%s", i ? " " : "", v[i]);
	printf("'\n");
}

/* CAP_NET_ADMIN and NET_ADMIN (Docker takes both) for every capability
 * this kernel has; one that libcap does not name, by its number. */
static void cap_words(void)
{
	char name[SHIM_CAP_NAME_MAX];
	int last = shim_caps_last();

	printf("_seccomp_shim_caps='");
	for (int cap = 0; cap <= last; cap++)
		printf("%s%s", cap ? " " : "", shim_cap_name(cap, name));
	for (int cap = 0; cap <= last; cap++)
		if (strncmp(shim_cap_name(cap, name), "CAP_", 4) == 0)
			printf(" %s", name + 4);
	printf("'\n");
}

/* The names the first word completes to, and the group of commands with
 * subcommands (oci) and theirs. */
static void print_names(const struct cli_command *cmds, size_t n)
{
	const char *sep = "", *group = "";

	printf("_seccomp_shim_commands='");
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(cmds[i].name, cmds[i - 1].name) != 0) {
			printf("%s%s", sep, cmds[i].name);
			sep = " ";
		}
	printf("'\n_seccomp_shim_subs='");
	sep = "";
	for (size_t i = 0; i < n; i++)
		if (cmds[i].sub) {
			group = cmds[i].name;
			printf("%s%s", sep, cmds[i].sub);
			sep = " ";
		}
	printf("'\n_seccomp_shim_group='%s'\n", group);
}

int completion_main(const struct cli_args *a)
{
	static const char *const profiles[] = { "runtime/default", "RuntimeDefault", "audit",
						"unconfined", "Unconfined", "localhost/" };
	static const char *const arches[] = { "x86_64", "x86", "x32", "aarch64", "arm", "riscv64",
					      "ppc64le", "s390x", "mips64", "mipsel64" };
	const char *groups[64];
	size_t n_groups, n_cmds;
	const struct shim_group *g = shim_groups(&n_groups);
	const struct cli_command *cmds = cli_commands(&n_cmds);

	if (strcmp(a->rest[0], "bash") != 0) {
		fprintf(stderr, "seccomp-shim: completion: only bash, not \"%s\"\n", a->rest[0]);
		return SHIM_EXIT_FAILURE;
	}
	for (size_t i = 0; i < n_groups && i < sizeof(groups) / sizeof(groups[0]); i++)
		groups[i] = g[i].name;
	printf("# bash completion for seccomp-shim %s, written by seccomp-shim completion bash\n",
	       SHIM_VERSION);
	words("_seccomp_shim_profiles", profiles, sizeof(profiles) / sizeof(profiles[0]));
	words("_seccomp_shim_arches", arches, sizeof(arches) / sizeof(arches[0]));
	cap_words();
	words("_seccomp_shim_groups", groups, n_groups < 64 ? n_groups : 64);
	print_names(cmds, n_cmds);
	fputs(helpers, stdout);
	print_value_function();
	print_option_function(cmds, n_cmds);
	fputs(head, stdout);
	print_commands(cmds, n_cmds);
	fputs(tail, stdout);
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : SHIM_EXIT_FAILURE;
}
