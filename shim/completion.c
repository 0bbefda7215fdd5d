/* seccomp-shim completion bash: the bash completion script, with the
 * capability names and syscall groups taken from the tables the shim
 * itself uses, so the two cannot drift. make install installs its output;
 * `source <(seccomp-shim completion bash)` loads it by hand. */
#include <stdio.h>
#include <string.h>

#include "seccomp-shim.h"
#include "tools.h"

/* The part that does not come from lib/'s tables. Options per command
 * follow shim/main.c and shim/tools.c; a test holds them to --help. */
static const char script[] =
	"_seccomp_shim_list() { # comma lists: complete the item after the last comma\n"
	"\tlocal words=$1 head=\"\" item=$cur\n"
	"\tcase $cur in *,*) head=${cur%,*},; item=${cur##*,} ;; esac\n"
	"\tCOMPREPLY=($(compgen -P \"$head\" -W \"$words\" -- \"$item\"))\n"
	"\tcompopt -o nospace 2>/dev/null\n"
	"}\n"
	"\n"
	"_seccomp_shim() {\n"
	"\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	"\tlocal sub=${COMP_WORDS[1]} i\n"
	"\tlocal commands='check explain eval export compile diff oci record new version completion'\n"
	"\tlocal run_opts='--profile --bpf --cache-dir --no-cache --localhost-profile --profile-root\n"
	"\t\t--cap-drop --cap-add --caps-keep --user --groups --keep-groups --unknown-syscalls\n"
	"\t\t--quiet --verbose --help --version'\n"
	"\tlocal look_opts='--arch --caps --profile-root --unknown-syscalls --output --quiet'\n"
	"\tCOMPREPLY=()\n"
	"\t# After -- comes the command and its arguments.\n"
	"\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	"\t\tif [[ ${COMP_WORDS[i]} == -- ]]; then\n"
	"\t\t\t[[ $sub == eval ]] && return\n"
	"\t\t\tif ((i == COMP_CWORD - 1)); then COMPREPLY=($(compgen -c -- \"$cur\")); else COMPREPLY=($(compgen -f -- \"$cur\")); fi\n"
	"\t\t\treturn\n"
	"\t\tfi\n"
	"\tdone\n"
	"\tcase $prev in\n"
	"\t--profile|-p|--merge)\n"
	"\t\tCOMPREPLY=($(compgen -W \"$_seccomp_shim_profiles\" -- \"$cur\") $(compgen -f -- \"$cur\")); return ;;\n"
	"\t--localhost-profile|--bpf|--shim|--output|-o)\n"
	"\t\tCOMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n"
	"\t--cache-dir|--profile-root|--bundle)\n"
	"\t\tCOMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n"
	"\t--cap-drop|--cap-add|--caps-keep|--caps)\n"
	"\t\t_seccomp_shim_list \"ALL $_seccomp_shim_caps\"; return ;;\n"
	"\t--allow|--deny)\n"
	"\t\t_seccomp_shim_list \"$_seccomp_shim_groups\"; return ;;\n"
	"\t--user|-u)\n"
	"\t\tCOMPREPLY=($(compgen -u -- \"$cur\")); return ;;\n"
	"\t--groups)\n"
	"\t\t_seccomp_shim_list \"$(compgen -g)\"; return ;;\n"
	"\t--unknown-syscalls)\n"
	"\t\tCOMPREPLY=($(compgen -W 'warn error' -- \"$cur\")); return ;;\n"
	"\t--default-action)\n"
	"\t\tCOMPREPLY=($(compgen -W 'errno kill-process kill-thread trap log allow' -- \"$cur\")); return ;;\n"
	"\t--errno)\n"
	"\t\tCOMPREPLY=($(compgen -W 'EPERM ENOSYS EACCES' -- \"$cur\")); return ;;\n"
	"\t--arch)\n"
	"\t\tCOMPREPLY=($(compgen -W \"$_seccomp_shim_arches\" -- \"$cur\")); return ;;\n"
	"\t--format)\n"
	"\t\tcase $sub in\n"
	"\t\tcheck) COMPREPLY=($(compgen -W 'text json' -- \"$cur\")) ;;\n"
	"\t\texport) COMPREPLY=($(compgen -W 'bpf pfc oci json' -- \"$cur\")) ;;\n"
	"\t\trecord) COMPREPLY=($(compgen -W 'docker oci' -- \"$cur\")) ;;\n"
	"\t\tesac\n"
	"\t\treturn ;;\n"
	"\tesac\n"
	"\tif ((COMP_CWORD == 1)); then\n"
	"\t\tif [[ $cur == -* ]]; then COMPREPLY=($(compgen -W \"$run_opts\" -- \"$cur\"));\n"
	"\t\telse COMPREPLY=($(compgen -W \"$commands\" -- \"$cur\")); fi\n"
	"\t\treturn\n"
	"\tfi\n"
	"\tlocal opts=\n"
	"\tcase $sub in\n"
	"\tcheck) opts=\"$look_opts --strict --format\" ;;\n"
	"\texplain) opts=\"$look_opts --stats --libseccomp --linear\" ;;\n"
	"\teval|diff) opts=$look_opts ;;\n"
	"\texport) opts=\"$look_opts --format --libseccomp --linear\" ;;\n"
	"\tcompile) opts='--caps --profile-root --unknown-syscalls --output --quiet --libseccomp --linear' ;;\n"
	"\trecord) opts='--output --merge --format --errno --wide --stats --profile-root --quiet' ;;\n"
	"\tnew) opts='--allow --deny --default-action --errno --arch --output --list --quiet' ;;\n"
	"\tcompletion) ((COMP_CWORD == 2)) && COMPREPLY=($(compgen -W bash -- \"$cur\")); return ;;\n"
	"\tversion) return ;;\n"
	"\toci)\n"
	"\t\tif ((COMP_CWORD == 2)); then COMPREPLY=($(compgen -W 'convert wrap unwrap' -- \"$cur\")); return; fi\n"
	"\t\tcase ${COMP_WORDS[2]} in\n"
	"\t\tconvert) opts='--bundle --write --caps --arch --profile-root --output --quiet' ;;\n"
	"\t\twrap) opts='--profile --shim --profile-root --quiet' ;;\n"
	"\t\tunwrap) opts=--quiet ;;\n"
	"\t\tesac ;;\n"
	"\t*) # a run: options, then -- and the command\n"
	"\t\tif [[ $cur == -* ]]; then COMPREPLY=($(compgen -W \"$run_opts --\" -- \"$cur\"));\n"
	"\t\telse COMPREPLY=($(compgen -c -- \"$cur\")); fi\n"
	"\t\treturn ;;\n"
	"\tesac\n"
	"\tif [[ $cur == -* ]]; then COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\")); return; fi\n"
	"\tcase $sub in\n"
	"\tcheck|explain|eval|export|compile|diff)\n"
	"\t\tCOMPREPLY=($(compgen -W \"$_seccomp_shim_profiles\" -- \"$cur\") $(compgen -f -- \"$cur\")) ;;\n"
	"\toci) [[ ${COMP_WORDS[2]} == convert ]] &&\n"
	"\t\tCOMPREPLY=($(compgen -W \"$_seccomp_shim_profiles\" -- \"$cur\") $(compgen -f -- \"$cur\")) ||\n"
	"\t\tCOMPREPLY=($(compgen -d -- \"$cur\")) ;;\n"
	"\tesac\n"
	"}\n"
	"complete -F _seccomp_shim seccomp-shim\n";

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

int completion_main(int argc, char **argv)
{
	static const char *const profiles[] = { "runtime/default", "RuntimeDefault", "audit",
						"unconfined", "Unconfined", "localhost/" };
	static const char *const arches[] = { "x86_64", "x86", "x32", "aarch64", "arm", "riscv64",
					      "ppc64le", "s390x", "mips64", "mipsel64" };
	const char *groups[64];
	size_t n_groups;
	const struct shim_group *g = shim_groups(&n_groups);

	if (argc != 3 || strcmp(argv[2], "bash") != 0) {
		fprintf(stderr, "seccomp-shim: completion: usage: seccomp-shim completion bash\n");
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
	fputs(script, stdout);
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : SHIM_EXIT_FAILURE;
}
