# The command line: each subcommand's own options, usage and --help,
# seccomp-shim help, a misspelt subcommand, -V, and how a program named
# like a subcommand runs (-- always means "run this"). Sourced by run.sh.

echo "# the command line"

# What SUB --help lists: the options of its option lines, sorted.
help_options() {
	# shellcheck disable=SC2086 # "oci convert" is two words
	"$SHIM" $1 --help | grep -oE -- '^  (-[a-zA-Z], |    )--[a-z][a-z-]+' | grep -oE -- '--[a-z-]+' |
		sort | tr '\n' ' ' | sed 's/ $//'
}

# Each subcommand's options, exactly: one that is not here is refused.
declare -A takes=(
	[check]='--arch --caps --format --help --profile-root --quiet --strict --unknown-syscalls'
	[explain]='--arch --caps --help --libseccomp --linear --profile-root --quiet --stats --unknown-syscalls'
	[eval]='--arch --caps --format --help --profile-root --quiet --unknown-syscalls'
	[export]='--arch --caps --format --help --libseccomp --linear --output --profile-root --quiet --unknown-syscalls'
	[compile]='--caps --help --libseccomp --linear --output --profile-root --quiet --unknown-syscalls'
	[diff]='--arch --caps --help --profile-root --quiet --unknown-syscalls'
	[oci convert]='--arch --bundle --caps --help --output --profile-root --quiet --unknown-syscalls --write'
	[oci wrap]='--help --profile --profile-root --quiet --shim'
	[oci unwrap]='--help --quiet'
	[record]='--errno --format --help --merge --output --profile-root --quiet --stats --wide'
	[new]='--allow --arch --default-action --deny --errno --help --list --output --quiet'
	[version]='--help'
	[completion]='--help'
	[help]='--help'
)
for sub in check explain eval export compile diff "oci convert" "oci wrap" "oci unwrap" record new \
	version completion help; do
	# shellcheck disable=SC2086
	shim $sub --help
	check "$sub --help: exit 0, its usage, only its options" \
		"$rc|$(printf '%s\n' "$out" | head -n 1 | grep -c "^usage: seccomp-shim $sub\b")|$(help_options "$sub")|$err" \
		"0|1|${takes[$sub]}|"
	# shellcheck disable=SC2086
	check "help $sub is $sub --help" "$("$SHIM" help $sub 2>&1)" "$out"
done
shim record --help
check "record --help no longer says unknown option" "$rc|$(printf '%s\n' "$out" | head -n 1)" \
	"0|usage: seccomp-shim record -o FILE [OPTIONS] [--] COMMAND [ARG...]"
shim oci --help
check "oci --help: the three, one line each" "$rc|$(printf '%s\n' "$out" | grep -c '^  [a-z]')" "0|3"
shim help
check "help is --help" "$rc|$out" "0|$("$SHIM" --help)"
check "--help: one line per subcommand, and where to read more" \
	"$(printf '%s\n' "$out" | sed -n '/^Subcommands:/,/^$/p' | grep -c '^  [a-z]')|$(printf '%s\n' "$out" | grep -c 'seccomp-shim help SUBCOMMAND')" \
	"16|1"
check "--help lists the run's options only" "$(help_options "")" \
	"--bpf --cache-dir --cap-add --cap-drop --caps-keep --complain --complain-output --groups --help --init --keep-groups --localhost-profile --no-cache --profile --profile-root --quiet --report --report-format --signal-group --unknown-syscalls --user --verbose --version"

# A misspelt subcommand, with no profile that would make it a program.
shim chek x.json
check "a word close to a subcommand: did you mean" "$rc|$out|$err" \
	"125||seccomp-shim: unknown command \"chek\": did you mean \"check\"?"
shim help chek
check "help of a misspelt subcommand" "$rc|$err" "125|seccomp-shim: unknown command \"chek\": did you mean \"check\"?"
shim oci wrp "$WORK"
check "a misspelt oci subcommand" "$rc|$err" "125|seccomp-shim: oci: unknown command \"wrp\": did you mean \"wrap\"?"
shim no-such-program-here
check "any other word is a program to run, which needs a profile" "$rc|$err" \
	"125|seccomp-shim: no profile given: use --profile FILE, runtime/default, audit, unconfined or localhost/REL (or set SECCOMP_SHIM_PROFILE)"

# -V, --version, version.
shim -V
check "-V is --version is version" "$rc|$out" "0|$("$SHIM" --version)"
check "... is version" "$out" "$("$SHIM" version)"
shim --profile runtime/default -V
check "-V among the run's options" "$rc|$out" "0|$("$SHIM" version)"

# An option the subcommand does not take is an error, never ignored.
echo a >"$WORK/a.txt"
echo b >"$WORK/b.txt"
shim diff --bundle "$WORK" runtime/default runtime/default
check "diff --bundle x a b is an error" "$rc|$out|$err" \
	"125||seccomp-shim: diff: diff takes no --bundle (oci convert does; see seccomp-shim diff --help)"
shim diff --write --bundle "$WORK" runtime/default runtime/default
check "diff --write --bundle x a b is an error" "$rc|$err" \
	"125|seccomp-shim: diff: diff takes no --write (oci convert does; see seccomp-shim diff --help)"
shim diff --profile runtime/default runtime/default runtime/default
check "a whole option name is not an abbreviation of another (diff --profile is not --profile-root)" "$rc|$err" \
	"125|seccomp-shim: diff: diff takes no --profile (a run, oci wrap and inspect do; see seccomp-shim diff --help)"
shim check -o "$WORK/x" runtime/default
check "check -o (it writes nothing) is an error, with check's usage status" "$rc|$err" \
	"2|seccomp-shim: check: check takes no -o (export, compile, oci convert, record and new do; see seccomp-shim check --help)"
shim --strict -- true
check "an option of a subcommand given to a run" "$rc|$err" \
	"125|seccomp-shim: a run takes no --strict (check does; see seccomp-shim --help)"
shim compile runtime/default
check "a missing required option: the usage" "$rc|$err" \
	"125|seccomp-shim: compile: usage: seccomp-shim compile -o FILE [OPTIONS] PROFILE (see seccomp-shim compile --help)"

# A subcommand's name is always the subcommand; -- runs a program.
SECCOMP_SHIM_PROFILE=runtime/default shim -- diff "$WORK/a.txt" "$WORK/b.txt"
check "SECCOMP_SHIM_PROFILE=... seccomp-shim -- diff a b runs diff(1)" "$rc|$out" \
	"1|1c1
< a
---
> b"
SECCOMP_SHIM_PROFILE=runtime/default shim diff runtime/default runtime/default
check "... and without --, the diff subcommand" "$rc|$out" \
	"0|0 syscalls differ between runtime/default and runtime/default on SCMP_ARCH_X86_64"
printf '#!/bin/sh\necho "the program called check: $*"\n' >"$WORK/check"
chmod 755 "$WORK/check"
PATH="$WORK:$PATH" shim --profile runtime/default -- check x
check "--profile P -- check runs a program called check" "$rc|$out" "0|the program called check: x"
PATH="$WORK:$PATH" shim --profile runtime/default check x
check "... as it does after the run's options without --" "$rc|$out" "0|the program called check: x"
SECCOMP_SHIM_PROFILE=runtime/default PATH="$WORK:$PATH" shim -q chek
check "with SECCOMP_SHIM_PROFILE, any other first word is the program (an entrypoint)" "$rc|$err" \
	"127|seccomp-shim: chek: command not found in PATH ($WORK:$PATH)"
