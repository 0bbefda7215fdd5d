#!/usr/bin/env bash
# valgrind memcheck over the shim itself: each run must show no memory
# error, and a run that ends in the shim (errors, export, version) must free
# every block. A run that reaches execve hands the process to the target,
# so there only errors are checked. Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
SHIM="${SECCOMP_SHIM_BIN:-$top/seccomp-shim}"
WORK=$(mktemp -d /tmp/seccomp-shim-valgrind.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
passed=0 failed=0 skipped=0

if ! command -v valgrind >/dev/null; then
	echo "SKIP valgrind: not installed (apt-get install valgrind)"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi

# vg NAME EXPECTED-EXIT ENDS ARGS...: ENDS is "confined" (the target runs
# and must report Seccomp: 2), "exec" (the target runs) or "shim".
vg() {
	local name=$1 want=$2 ends=$3 log="$WORK/log" problems
	shift 3
	# A forked child (the PATH lookup as the target user) ends with _exit
	# and all of its parent's heap still reachable: only the shim counts.
	valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
		--child-silent-after-fork=yes --vgdb=no --log-file="$log" "$SHIM" "$@" >"$WORK/out" 2>"$WORK/err"
	local rc=$?
	# valgrind 3.19 has no seccomp(2) (317): the shim's flag probe gets
	# ENOSYS and the load falls back to prctl, as on kernels before 3.17.
	sed -i '/unhandled amd64-linux syscall: 317/,/bug_reports.html/d' "$log"
	problems=$(grep -E 'Invalid|uninitialised|Conditional jump|Syscall param|definitely lost|indirectly lost|possibly lost|still reachable|unhandled' "$log")
	# A confined run must show the filter in the target's own status.
	if [ "$ends" = confined ] && ! grep -q '^Seccomp:.2' "$WORK/out"; then
		problems="the target did not report Seccomp: 2"
	fi
	if [ "$rc" = "$want" ] && [ -z "$problems" ]; then
		passed=$((passed + 1))
		echo "ok   $name"
	else
		failed=$((failed + 1))
		echo "FAIL $name (exit $rc, expected $want)"
		sed 's/^/     /' "$log" "$WORK/err" | head -60
	fi
}

printf '{"defaultAction": "SCMP_ACT_ALLOW",\n "syscalls": [{"names": ["mkdir", "no_such_call"], "action": "SCMP_ACT_ERRNO"}]}' >"$WORK/p.json"
printf '{"defaultAction": "SCMP_ACT_ALLOW",\n "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_DENY"}]}' >"$WORK/bad.json"

vg "runtime/default runs a command" 0 confined --profile runtime/default -- grep Seccomp: /proc/self/status
vg "a file profile, with a warning" 0 confined --profile "$WORK/p.json" -- grep Seccomp: /proc/self/status
vg "--verbose" 0 confined -v --profile runtime/default -- grep Seccomp: /proc/self/status
if [ "$(id -u)" = 0 ]; then
	vg "--user, --groups and caps" 0 confined --profile runtime/default --user 65534:65534 \
		--groups 0,65534 --cap-drop ALL --cap-add NET_BIND_SERVICE -- grep Seccomp: /proc/self/status
fi
vg "unconfined" 0 exec --profile unconfined -- /bin/true
vg "an invalid profile" 125 shim --profile "$WORK/bad.json" -- /bin/true
vg "an unknown syscall made fatal" 125 shim --unknown-syscalls=error --profile "$WORK/p.json" -- /bin/true
printf '{"defaultAction": "SCMP_ACT_ALLOW",\n "syscalls": [{"names": ["execve"], "action": "SCMP_ACT_ERRNO"}]}' >"$WORK/noexec.json"
vg "a compiled profile that blocks execve" 125 shim --profile "$WORK/noexec.json" -- /bin/true
vg "a missing profile" 125 shim --profile "$WORK/none.json" -- /bin/true
# Rules libseccomp refuses (asked about them alone), and rules it would
# never finish adding (refused before it is asked).
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1, "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]}, {"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 2, "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]}, {"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 3}]}' >"$WORK/conflict.json"
vg "rules libseccomp refuses" 125 shim --profile "$WORK/conflict.json" -- /bin/true
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["close"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 5, "op": "SCMP_CMP_LT"}, {"index": 1, "value": 5, "op": "SCMP_CMP_EQ"}]}, {"names": ["close"], "action": "SCMP_ACT_KILL_PROCESS", "args": [{"index": 0, "value": 5, "op": "SCMP_CMP_LT"}, {"index": 2, "value": 5, "op": "SCMP_CMP_EQ"}]}]}' >"$WORK/hang.json"
vg "rules libseccomp never finishes adding" 125 shim --profile "$WORK/hang.json" -- /bin/true
vg "... with --libseccomp" 125 shim export --libseccomp "$WORK/hang.json" --format bpf
vg "a command not found" 127 shim --profile runtime/default -- no-such-command
vg "an unknown user" 125 shim --profile runtime/default --user no-such-user -- /bin/true
vg "a bad capability" 125 shim --profile runtime/default --cap-drop FLY -- /bin/true
vg "a usage error" 125 shim --bogus
vg "export" 0 shim export runtime/default --format json
vg "export --format oci" 0 shim export runtime/default --format oci
vg "export --format pfc" 0 shim export runtime/default --format pfc
vg "check, with a did-you-mean" 0 shim check "$WORK/p.json" runtime/default
vg "check of an invalid profile" 2 shim check "$WORK/bad.json"
vg "eval" 1 shim eval runtime/default keyctl 0
vg "explain" 0 shim explain runtime/default
vg "diff" 1 shim diff runtime/default "$WORK/p.json"
vg "compile" 0 shim compile runtime/default -o "$WORK/rd.bpf"
vg "--bpf" 0 confined --bpf "$WORK/rd.bpf" -- grep Seccomp: /proc/self/status
vg "oci convert" 0 shim oci convert runtime/default --caps CHOWN
vg "new, with the check of what it wrote" 0 shim new --allow @system-service,execve --deny @mount -o "$WORK/new.json"
vg "new with an unknown group" 125 shim new --allow @nope
vg "completion bash" 0 shim completion bash
vg "version" 0 shim version
vg "help" 0 shim --help
vg "a subcommand's --help" 0 shim record --help
vg "help oci" 0 shim help oci
vg "a misspelt subcommand" 125 shim chek x.json
vg "an option the subcommand does not take" 125 shim diff --bundle x a b

echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
