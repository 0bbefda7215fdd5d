# Core: confinement, pass-through, fail-closed, real profiles. Sourced by run.sh.

# ---------------------------------------------------------------------------
echo "# confinement as the kernel reports it"

profile deny-mkdir <<'EOF'
{
  "defaultAction": "SCMP_ACT_ALLOW",
  "syscalls": [
    { "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO" },
    { "names": ["rmdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 5 },
    { "names": ["getppid"], "action": "SCMP_ACT_KILL" },
    { "names": ["getpgid"], "action": "SCMP_ACT_KILL_PROCESS" },
    { "names": ["getsid"], "action": "SCMP_ACT_TRAP" },
    { "names": ["getpid"], "action": "SCMP_ACT_LOG" },
    { "names": ["getpriority"], "action": "SCMP_ACT_ERRNO", "errnoRet": 42,
      "args": [ { "index": 0, "value": 0, "op": "SCMP_CMP_EQ" },
                { "index": 1, "value": 0, "op": "SCMP_CMP_EQ" } ] },
    { "names": ["setpriority"], "action": "SCMP_ACT_ERRNO", "errnoRet": 43,
      "args": [ { "index": 0, "value": 1, "op": "SCMP_CMP_EQ" },
                { "index": 0, "value": 2, "op": "SCMP_CMP_EQ" } ] },
    { "names": ["getrlimit"], "action": "SCMP_ACT_ERRNO", "errnoRet": 44,
      "args": [ { "index": 0, "value": 240, "valueTwo": 16, "op": "SCMP_CMP_MASKED_EQ" } ] }
  ]
}
EOF
P="$WORK/deny-mkdir.json"

shim --profile "$P" -- cat /proc/self/status
printf '%s\n' "$out" >"$WORK/status"
check "target status: Seccomp 2" "$(status_field Seccomp <"$WORK/status")" 2
check "target status: Seccomp_filters 1" "$(status_field Seccomp_filters <"$WORK/status")" 1
check "target status: NoNewPrivs 1" "$(status_field NoNewPrivs <"$WORK/status")" 1

if is_root; then
	shim --profile "$P" --cap-drop ALL --cap-add NET_BIND_SERVICE -- cat /proc/self/status
	printf '%s\n' "$out" >"$WORK/status"
	check "cap-drop ALL --cap-add NET_BIND_SERVICE: CapBnd" "$(status_field CapBnd <"$WORK/status")" 0000000000000400
	check "cap-drop ALL --cap-add NET_BIND_SERVICE: CapEff" "$(status_field CapEff <"$WORK/status")" 0000000000000400
	check "cap-drop ALL --cap-add NET_BIND_SERVICE: CapPrm" "$(status_field CapPrm <"$WORK/status")" 0000000000000400
	check "cap-drop ALL --cap-add NET_BIND_SERVICE: CapAmb" "$(status_field CapAmb <"$WORK/status")" 0000000000000400
	shim --profile "$P" --cap-drop net_raw,CAP_SYS_ADMIN -- cat /proc/self/status
	bnd=$(printf '%s\n' "$out" | status_field CapBnd)
	check "cap-drop NET_RAW,SYS_ADMIN clears bits 13 and 21" \
		"$(( (0x$bnd >> 13 & 1) + (0x$bnd >> 21 & 1) ))/$(( 0x$bnd >> 0 & 1 ))" "0/1"
else
	skip "capability sets" "not root"
fi

shim --profile "$P" -- "$PROBE" mkdir 0
check "denied syscall fails with EPERM" "$out" "errno EPERM"
shim --profile "$P" -- "$PROBE" rmdir 0
check "errnoRet 5 comes back as EIO" "$out" "errno EIO"
shim --profile "$P" -- "$PROBE" getppid
check "SCMP_ACT_KILL ends the target with SIGSYS" "$rc" 159
shim --profile "$P" -- "$PROBE" getpgid 0
check "SCMP_ACT_KILL_PROCESS ends the target with SIGSYS" "$rc" 159
shim --profile "$P" -- "$PROBE" --trap getsid 0
check "SCMP_ACT_TRAP delivers SIGSYS" "${out%% *}" "sigsys"
shim --profile "$P" -- "$PROBE" getpid
check "SCMP_ACT_LOG lets the call through" "${out%% *}" "ok"

shim --profile "$P" -- "$PROBE" getpriority 0 0
check "args AND: both match -> denied" "$out" "errno ENOMSG"
shim --profile "$P" -- "$PROBE" getpriority 0 1
check "args AND: second differs -> allowed" "${out%% *}" "ok"
shim --profile "$P" -- "$PROBE" getpriority 1 0
check "args AND: first differs -> allowed" "${out%% *}" "ok"
shim --profile "$P" -- "$PROBE" setpriority 1 0x7fffffff 0
check "repeated index OR: first value -> denied" "$out" "errno EIDRM"
shim --profile "$P" -- "$PROBE" setpriority 2 0x7fffffff 0
check "repeated index OR: second value -> denied" "$out" "errno EIDRM"
shim --profile "$P" -- "$PROBE" setpriority 0 0x7fffffff 0
check "repeated index OR: other value -> allowed through" "$out" "errno ESRCH"
shim --profile "$P" -- "$PROBE" getrlimit 0x1f 0
check "MASKED_EQ: (arg & 0xf0) == 0x10 -> denied" "$out" "errno ECHRNG"
shim --profile "$P" -- "$PROBE" getrlimit 0x2f 0
check "MASKED_EQ: (arg & 0xf0) != 0x10 -> allowed" "$out" "errno EINVAL"

# With defaultErrnoRet 38 runc still puts its stub in front (it compares
# the errno with a whole return value): a number from the x32 range's top
# half, with x32 not listed, gets ENOSYS from the stub, as under runc.
profile stub-38 <<'JSON'
{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":38,"architectures":["SCMP_ARCH_X86_64"],"syscalls":[{"names":["arch_prctl","brk","execve","exit_group","getrandom","mprotect","newfstatat","prlimit64","readlink","rseq","set_robust_list","set_tid_address","write"],"action":"SCMP_ACT_ALLOW"}]}
JSON
shim --profile "$WORK/stub-38.json" -- "$BUILD/tests/integration/probe-static" 0x80000000
check "defaultErrnoRet 38: syscall 0x80000000 gets ENOSYS (runc's stub), not a kill" "$rc|$out" "0|errno ENOSYS"

# ENOSYS stub: allow-basic names faccessat2 (439) as its highest syscall.
shim --profile "$FIX/allow-basic.json" -- "$PROBE" 451
check "syscall above the profile's highest gets ENOSYS" "$out" "errno ENOSYS"
shim --profile "$FIX/allow-basic.json" -- "$PROBE" mkdir 0
check "unlisted syscall below it gets the default (EPERM)" "$out" "errno EPERM"
shim --profile "$FIX/allow-basic.json" -- sh -c 'ls / >/dev/null && date >/dev/null && echo fine'
check "an allow-list profile runs sh, ls and date" "$out" "fine"

# ---------------------------------------------------------------------------
echo "# the target gets argv, environment, fds and exit status unchanged"

# dash calls getppid, which the profile above kills: use a plain one here.
profile plain <<'EOF'
{ "defaultAction": "SCMP_ACT_ALLOW",
  "syscalls": [ { "names": ["mkdir"], "action": "SCMP_ACT_ERRNO" } ] }
EOF
P="$WORK/plain.json"

out=$(FOO='b a r' "$SHIM" --profile "$P" -- sh -c 'printf "[%s]" "$0" "$@"; printf "{%s}" "$FOO"' zero "a b" "" c 2>&1)
check "argv and environment" "$out" "[zero][a b][][c]{b a r}"
shim --profile "$P" -- sh -c 'echo to-fd-3 >&3' 3>"$WORK/fd3"
check "an inherited fd stays open" "$(cat "$WORK/fd3")" "to-fd-3"
shim --profile "$P" -- sh -c 'ls /proc/self/fd | tr "\n" " "'
check "the target has exactly the fds it would have without the shim" "$out" "$(sh -c 'ls /proc/self/fd | tr "\n" " "')"
shim --profile "$P" -- sh -c 'exit 42'
check "exit status is the target's" "$rc" 42
shim --profile "$P" -- /nonexistent/program
check "missing program: exit 127" "$rc" 127
shim --profile "$P" -- no-such-command-anywhere
check "command not in PATH: exit 127" "$rc/$err" "127/seccomp-shim: no-such-command-anywhere: command not found in PATH ($PATH)"
printf '#!/bin/sh\n' >"$WORK/noexec"
chmod 644 "$WORK/noexec"
shim --profile "$P" -- "$WORK/noexec"
check "not executable: exit 126" "$rc" 126
shim --profile "$P" -- "$WORK"
check "a directory: exit 126" "$rc" 126

# ---------------------------------------------------------------------------
echo "# fail closed: the target never runs without its filter"

# expect_refused NAME EXPECTED-STDERR [SHIM-ARGS...]: the target would create
# $WORK/trace; it must not exist afterwards.
expect_refused() {
	local name=$1 expected=$2
	shift 2
	rm -f "$WORK/trace"
	shim "$@" -- touch "$WORK/trace"
	if [ "$rc" = 125 ] && [ "$err" = "$expected" ] && [ ! -e "$WORK/trace" ]; then
		ok "$name"
	else
		not_ok "$name" "expected: 125 $expected" "actual:   $rc $err" \
			"target ran: $([ -e "$WORK/trace" ] && echo yes || echo no)"
	fi
}

# bad NAME EXPECTED-MESSAGE-AFTER-PATH: profile from stdin
bad() {
	cat >"$WORK/bad.json"
	expect_refused "$1" "seccomp-shim: $WORK/bad.json:$2" --profile "$WORK/bad.json"
}

printf '' | bad "empty file" '1:1: the file is empty (expected a JSON object with "defaultAction")'
printf '{"defaultAction": "SCMP_ACT_ALLOW",\n "syscalls": [}' | bad "invalid JSON" \
	"2:15: syscalls[0]: invalid JSON: unexpected token near '}'"
printf '{"defaultAction": "SCMP_ACT_ALLOW",\n "defaultAction": "SCMP_ACT_ALLOW"}' | bad "duplicate key" \
	"2:16: defaultAction: invalid JSON: duplicate object key near '\"defaultAction\"'"
printf '[1]' | bad "not an object" '1:1: (top level): expected a JSON object with "defaultAction", found an array'
printf '{"syscalls": []}' | bad "missing defaultAction" \
	'1:1: (top level): missing "defaultAction" (expected SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, ...)'
printf '{"defaultAction": 1}' | bad "defaultAction not a string" '1:19: defaultAction: expected a string, found an integer'
bad "unknown action" '4:14: syscalls[1].action: unknown action "SCMP_ACT_DENY" (expected one of SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_KILL, SCMP_ACT_KILL_THREAD, SCMP_ACT_KILL_PROCESS, SCMP_ACT_TRAP, SCMP_ACT_TRACE, SCMP_ACT_LOG, SCMP_ACT_NOTIFY)' <<'EOF'
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
  {"names": ["read"], "action": "SCMP_ACT_ALLOW"},
  {"names": ["mkdir"],
   "action": "SCMP_ACT_DENY"}]}
EOF
printf '{"defaultAction": "SCMP_ACT_ALOW"}' | bad "a misspelt action: did you mean" \
	'1:19: defaultAction: unknown action "SCMP_ACT_ALOW" (did you mean "SCMP_ACT_ALLOW"?)'
printf '{"defaultAction": "errno"}' | bad "an action without its prefix: did you mean" \
	'1:19: defaultAction: unknown action "errno" (did you mean "SCMP_ACT_ERRNO"?)'
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": "EACCES"}]}' | \
	bad "an errno name in errnoRet points at errno" \
	'1:111: syscalls[0].errnoRet: expected a number, found the errno name "EACCES": write "errno": "EACCES", or "errnoRet": 13'
bad "unknown op" '3:37: syscalls[0].args[0].op: unknown operator "SCMP_CMP_IN" (expected one of SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT, SCMP_CMP_MASKED_EQ)' <<'EOF'
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
  {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "args": [
     {"index": 0, "value": 1, "op": "SCMP_CMP_IN"}]}]}
EOF
bad "index above 5" '2:13: syscalls[0].args[0].index: index 6 is out of range (a syscall has arguments 0 to 5)' <<'EOF'
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "args": [
  {"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]}
EOF
printf '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_Z80"]}' | bad "unknown arch" \
	'1:75: architectures[1]: unknown architecture "SCMP_ARCH_Z80" (expected SCMP_ARCH_X86_64, SCMP_ARCH_AARCH64, ... as in the OCI runtime-spec)'
printf '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["amd64"]}' | bad "Go arch name in architectures" \
	'1:55: architectures[0]: unknown architecture "amd64": write it as "SCMP_ARCH_X86_64" (runc and Docker refuse "amd64" too)'
printf '{"defaultAction": "SCMP_ACT_ERRNO",\n "syscalls": [{"names": ["read"], "action": "SCMP_ACT_KILL", "errnoRet": 1}]}' | \
	bad "errnoRet with a non-errno action" '2:74: syscalls[0].errnoRet: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno; remove it or change the action (SCMP_ACT_KILL_THREAD; runc would ignore it, but the OCI runtime spec says to fail)'
printf '{"defaultAction": "SCMP_ACT_ALLOW", "defaultErrnoRet": 1}' | bad "defaultErrnoRet with ALLOW" \
	'1:56: defaultErrnoRet: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno; remove it or change the action (SCMP_ACT_ALLOW; runc would ignore it, but the OCI runtime spec says to fail)'
printf '{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38, "defaultErrno": "EPERM"}' | bad "defaultErrno disagrees with defaultErrnoRet" \
	'1:76: defaultErrno: "EPERM" is 1 but defaultErrnoRet says 38: make them agree or keep one'
printf '{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrno": "EWHATEVER"}' | bad "unknown errno name" \
	'1:53: defaultErrno: unknown errno name "EWHATEVER" (expected a name like EPERM or ENOSYS)'
printf '{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 5000}' | bad "errnoRet out of range" \
	'1:56: defaultErrnoRet: 5000 is out of range: libseccomp, and so runc and crun, take 0 to 4094 for SCMP_ACT_ERRNO (SCMP_ACT_TRACE takes up to 65535)'
printf '{"defaultAction": "SCMP_ACT_KILL", "defaultErrnoRet": 1}' | bad "defaultErrnoRet with KILL: refused, and runc's difference said" \
	'1:55: defaultErrnoRet: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno; remove it or change the action (SCMP_ACT_KILL_THREAD; runc would ignore it, but the OCI runtime spec says to fail)'
# TRACE's data is 16 bits for the tracer, not an errno: runc takes 4095.
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_TRACE", "errnoRet": 4095}]}' >"$WORK/trace4095.json"
shim --profile "$WORK/trace4095.json" -- "$PROBE" getppid
check "TRACE with errnoRet 4095 is accepted, as runc does (no tracer: ENOSYS)" "$rc|$out" "0|errno ENOSYS"
printf '{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": -1}' | bad "negative errnoRet" \
	'1:56: defaultErrnoRet: expected a non-negative integer, found -1'
printf '{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1.5}' | bad "fractional errnoRet" \
	'1:56: defaultErrnoRet: expected a non-negative integer, found the fractional number 1.5'
printf '{"defaultAction": "SCMP_ACT_ALLOW",\n "syscalls": [{"name": "mkdir", "names": ["rmdir"], "action": "SCMP_ACT_ERRNO"}]}' | \
	bad "both name and names" '2:16: syscalls[0].name: use either "name" or "names", not both'
printf '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],\n "archMap": [{"architecture": "SCMP_ARCH_X86_64"}]}' | \
	bad "both architectures and archMap" '2:2: archMap: use either "architectures" or "archMap", not both'
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO",\n "excludes": {"minKernel": "4.8.1"}}]}' | \
	bad "bad minKernel" '2:28: syscalls[0].excludes.minKernel: invalid kernel version "4.8.1" (expected "X.Y", like "4.8")'
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO",\n "includes": {"arches": ["x86_64"]}}]}' | \
	bad "non-Go arch in includes" '2:26: syscalls[0].includes.arches[0]: unknown architecture "x86_64" (includes/excludes use Go names: amd64, arm64, x86, x32, s390x, ...)'
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO",\n "includes": {"caps": ["CAP_FLY"]}}]}' | \
	bad "unknown cap in includes" '2:24: syscalls[0].includes.caps[0]: unknown capability "CAP_FLY" (expected a name like CAP_SYS_ADMIN)'
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO",\n "arg": []}]}' | \
	bad "unknown key in a rule" '2:2: syscalls[0].arg: unknown key "arg" (expected one of: names, name, action, errnoRet, errno, args, comment, includes, excludes)'
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO",\n "Args": []}]}' | \
	bad "key in the wrong case" '2:2: syscalls[0].Args: key "Args" must be spelled "args" (keys are case-sensitive)'
printf '{"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_FAST"]}' | bad "unknown flag" \
	'1:47: flags[0]: unknown flag "SECCOMP_FILTER_FLAG_FAST" (expected SECCOMP_FILTER_FLAG_TSYNC, _LOG, _SPEC_ALLOW or _WAIT_KILLABLE_RECV)'
printf '{"defaultAction": "SCMP_ACT_NOTIFY", "listenerPath": "/run/agent.sock"}' | bad "NOTIFY as default" \
	'1:19: defaultAction: SCMP_ACT_NOTIFY cannot be the default action (the process could not even talk to its agent)'
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]}' | bad "NOTIFY without listenerPath" \
	'1:37: syscalls: SCMP_ACT_NOTIFY is used but "listenerPath" is not set'
printf '{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "agent.sock"}' | bad "relative listenerPath" \
	'1:53: listenerPath: "agent.sock" is not an absolute path (the seccomp agent'"'"'s UNIX socket)'
printf '{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/agent.sock",\n "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]}' >"$WORK/notify.json"
expect_refused "NOTIFY is refused at run time" \
	"seccomp-shim: $WORK/notify.json: the profile uses SCMP_ACT_NOTIFY (listenerPath /run/agent.sock): seccomp-shim does not act as a seccomp agent; change those rules to another action" \
	--profile "$WORK/notify.json"
printf '{"defaultAction": "SCMP_ACT_ALLOW",\n "syscalls": [{"names": ["execve"], "action": "SCMP_ACT_ERRNO"}]}' >"$WORK/noexec.json"
expect_refused "a profile that blocks execve is refused before exec" \
	"seccomp-shim: the profile blocks execve (it gets ERRNO(EPERM)), so $(command -v touch) could never start: allow \"execve\" in the profile" \
	--profile "$WORK/noexec.json"
printf '{"defaultAction": "SCMP_ACT_ALLOW",\n "syscalls": [{"names": ["mkdir", "no_such_call"], "action": "SCMP_ACT_ERRNO"}]}' >"$WORK/unknown.json"
expect_refused "--unknown-syscalls=error makes an unknown name fatal" \
	"seccomp-shim: $WORK/unknown.json:2:35: syscalls[0].names[1]: unknown syscall \"no_such_call\" (libseccomp $("$SHIM" version | awk '/libseccomp/ {print $2}') does not know it; --unknown-syscalls=warn skips it)" \
	--unknown-syscalls=error --profile "$WORK/unknown.json"
shim --profile "$WORK/unknown.json" -- "$PROBE" mkdir 0
check "an unknown name is skipped with a warning by default" \
	"$out|$err" "errno EPERM|seccomp-shim: warning: $WORK/unknown.json:2:35: syscalls[0].names[1]: unknown syscall \"no_such_call\" skipped (libseccomp $("$SHIM" version | awk '/libseccomp/ {print $2}') does not know it)"
printf '{"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]}' >"$WORK/flag.json"
expect_refused "a flag the kernel refuses is an error, not dropped" \
	"seccomp-shim: $WORK/flag.json:1:46: flags: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV only works with a SCMP_ACT_NOTIFY listener, which seccomp-shim does not run; remove it" \
	--profile "$WORK/flag.json"
expect_refused "missing profile file" "seccomp-shim: $WORK/none.json: cannot open the profile: No such file or directory" \
	--profile "$WORK/none.json"
expect_refused "a directory as the profile" "seccomp-shim: $WORK: is a directory; a profile must be a regular JSON file" \
	--profile "$WORK"
expect_refused "unknown capability" \
	'seccomp-shim: unknown capability "FLY" (expected a name like NET_BIND_SERVICE or CAP_NET_BIND_SERVICE, or ALL)' \
	--profile "$P" --cap-drop FLY
# Usage errors: each says what is wrong, exit 125, nothing runs.
usage_error() { # usage_error NAME EXPECTED ARGS...
	local name=$1 expected=$2
	shift 2
	shim "$@"
	check "$name" "$rc|$err" "125|$expected"
}
usage_error "an option without its value" "seccomp-shim: option --profile needs a value" --profile
usage_error "a short option without its value" "seccomp-shim: option -p needs a value" -p
usage_error "an unknown option" "seccomp-shim: unknown option --bogus (see seccomp-shim --help)" --bogus x
usage_error "no command" "seccomp-shim: no command given: seccomp-shim --profile FILE -- COMMAND [ARG...]" --profile "$P"
usage_error "a bad --unknown-syscalls value" "seccomp-shim: --unknown-syscalls takes warn or error, not \"maybe\"" \
	--profile "$P" --unknown-syscalls=maybe -- true
usage_error "export with an unknown format" "seccomp-shim: export: --format takes bpf, pfc, oci or json, not \"yaml\"" \
	export "$P" --format yaml
usage_error "--localhost-profile without --profile Localhost" "seccomp-shim: --localhost-profile goes with --profile Localhost" \
	--localhost-profile x --profile "$P" -- true
usage_error "a missing profile root" "seccomp-shim: localhost/x.json: cannot open the profile root $WORK/no-root: No such file or directory" \
	--profile-root "$WORK/no-root" --profile localhost/x.json -- true
expect_refused "no profile" "seccomp-shim: no profile given: use --profile FILE, runtime/default, audit, unconfined or localhost/REL (or set SECCOMP_SHIM_PROFILE)"
if is_root; then
	if command -v setpriv >/dev/null; then
		rm -f "$WORK/trace"
		chmod 755 "$WORK"
		out=$(setpriv --reuid 65534 --regid 65534 --clear-groups "$SHIM" --profile "$P" --cap-drop NET_RAW -- touch "$WORK/trace" 2>&1)
		rc=$?
		check "non-root --cap-drop works and says the bounding set stays" "$rc|$out" \
			"1|seccomp-shim: warning: CAP_NET_RAW stay in the bounding set (shrinking it needs CAP_SETPCAP); the command holds none of them and no_new_privs keeps it from gaining them
touch: cannot touch '$WORK/trace': Permission denied"
		out=$(setpriv --reuid 65534 --regid 65534 --clear-groups "$SHIM" --profile "$P" --cap-drop ALL -- true 2>&1)
		check "non-root --cap-drop ALL: one short line" "$out" \
			"seccomp-shim: warning: $(awk '$1 == "CapBnd:" {print $2}' /proc/self/status | python3 -c 'import sys; print(bin(int(sys.stdin.read(), 16)).count("1"))') dropped capabilities stay in the bounding set (shrinking it needs CAP_SETPCAP); the command holds none of them and no_new_privs keeps it from gaining them"
		out=$(setpriv --reuid 65534 --regid 65534 --clear-groups "$SHIM" -q --profile "$P" --cap-drop ALL -- true 2>&1)
		check "... and none under -q" "$out" ""
		out=$(setpriv --reuid 65534 --regid 65534 --clear-groups "$SHIM" --profile "$P" -- "$PROBE" mkdir 0 2>&1)
		check "non-root: the filter is still applied" "$out" "errno EPERM"
	else
		skip "non-root runs" "setpriv (util-linux) not installed"
	fi
else
	skip "non-root runs" "already not root"
fi

# ---------------------------------------------------------------------------
echo "# real profiles from other projects"

# Expected outcome of running /bin/true under each, as runc would give it:
# "run" = true runs; "125:TEXT" = refused with TEXT in the message;
# "exit:N" = the target itself fails (the profile is too tight for it).
declare -A expect=(
	[docker-labs-deny.json]='125:the profile blocks execve'
	[k8s-website-violation.json]='125:the profile blocks execve'
	[moby-profiles-fixture-conditional_include.json]='125:the profile blocks execve'
	[moby-profiles-fixture-example.json]='125:syscalls[3].errnoRet: 12345 is out of range'
	[spo-example-profile-allowed-syscalls.json]='125:the profile blocks execve'
	[spo-example-profile-block-all-syscalls.json]='125:the profile blocks execve'
	[spo-example-profile-block-all.json]='125:the profile blocks execve'
	[spo-example-profile-denied-syscalls.json]='125:the profile blocks execve'
	[k8s-website-fine-grained.json]='exit:127'
	[k8s-website-fork-fine-grained-aarch64.json]='exit:127'
	[spo-bpf-recorder.json]='exit:139'
)
if [ -d "$SHARED/profiles" ]; then
	for f in "$SHARED"/profiles/*.json; do
		name=$(basename "$f")
		want=${expect[$name]:-run}
		shim -q --profile "$f" -- /bin/true
		case $want in
		run) check "loads and runs: $name" "$rc" 0 ;;
		exit:*) check "loads; the target cannot run under it: $name" "$rc" "${want#exit:}" ;;
		125:*)
			if [ "$rc" = 125 ] && [[ $err == *"${want#125:}"* ]]; then ok "refused as runc would: $name"
			else not_ok "refused as runc would: $name" "expected: 125 ...${want#125:}..." "actual:   $rc $err"; fi ;;
		esac
	done
else
	skip "profiles from other projects" "$SHARED/profiles not present"
fi

if [ -r "$PODMAN_PROFILE" ]; then
	shim --profile "$PODMAN_PROFILE" -- /bin/sh -c true
	check "podman's default profile (Debian package) runs /bin/sh -c true" "$rc|$err" "0|"
	shim --profile "$PODMAN_PROFILE" -- "$PROBE" 460
	check "podman's default: a syscall it does not name gets ENOSYS (defaultErrnoRet 38)" "$out" "errno ENOSYS"
	shim --profile "$PODMAN_PROFILE" -- "$PROBE" kexec_load
	check "podman's default: kexec_load gets EPERM" "$out" "errno EPERM"
else
	skip "podman default profile" "$PODMAN_PROFILE not present (tests/setup-debian.sh unpacks it from golang-github-containers-common)"
fi

