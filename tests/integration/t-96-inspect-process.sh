# inspect PID: the filters of running processes read from the kernel
# (the shim's own, two stacked, runc's), each verdict inspect claims held
# to what the kernel does to the same call under the same filters; and
# features. Sourced by run.sh.

echo "# inspect a process, features"

ESCAPE="$BUILD/tests/integration/escape"
STATIC="${SECCOMP_SHIM_STATIC:-$top/seccomp-shim-static}"
PROBE_STATIC="$BUILD/tests/integration/probe-static"

# wait_seccomp PID MODE: until /proc/PID/status says Seccomp: MODE (the
# shim has execed its command), at most 5 seconds.
wait_seccomp() {
	for _ in $(seq 50); do
		[ "$(status_field Seccomp </proc/"$1"/status 2>/dev/null)" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# jq-like: PYEXPR over the JSON on stdin, as j.
json_get() { python3 -c "import json, sys; j = json.load(sys.stdin); print($1)"; }

# The verdict inspect --format json gives NAME on ARCH, effective.
inspect_verdict() { # inspect_verdict JSON-FILE ARCH NAME
	json_get "next((g['verdict'].get('errnoName') or g['verdict']['action'] for a in j['effective']['arches'] if a['arch'] == '$2' for g in a['denied'] if '$3' in g['syscalls']), 'ALLOW')" <"$1"
}

# The process is stopped only while it is read: afterwards nobody traces
# it and it is not stopped.
left_alone() { # left_alone PID
	local st
	st=$(cat /proc/"$1"/status)
	echo "$(printf '%s\n' "$st" | status_field TracerPid) $(printf '%s\n' "$st" | status_field State)"
}

shim features
check "features: a JSON document with linux.seccomp enabled and our version" \
	"$rc $(printf '%s' "$out" | json_get "j['linux']['seccomp']['enabled'], j['annotations']['org.seccomp-shim.version'] == '$("$SHIM" version | awk 'NR == 1 { print $2 }')', 'SCMP_ACT_NOTIFY' in j['linux']['seccomp']['actions']")" \
	"0 True True False"
supported=$(printf '%s' "$out" | json_get "' '.join(j['linux']['seccomp']['supportedFlags'])")
case " $supported " in
*" SECCOMP_FILTER_FLAG_LOG "*) ok "features: supportedFlags has SECCOMP_FILTER_FLAG_LOG, which this kernel takes" ;;
*) not_ok "features: supportedFlags lacks SECCOMP_FILTER_FLAG_LOG" "$supported" ;;
esac

shim inspect 4194304
check "inspect of no process: 125, said so" "$rc $err" "125 seccomp-shim: inspect: process 4194304: no such process"

sleep 100 </dev/null >/dev/null 2>&1 &
plain=$!
shim inspect "$plain"
check "inspect of a process under no filter: 0, said so" \
	"$rc $(printf '%s\n' "$out" | grep -c '^not under seccomp')" "0 1"
shim inspect "$plain" --profile runtime/default
check "... with --profile: 1, not the profile's verdicts" \
	"$rc $(printf '%s\n' "$out" | tail -1)" "1 not runtime/default: the process runs under no filter"
kill "$plain"; wait "$plain" 2>/dev/null

if ! is_root; then
	skip "inspect of filtered processes" "not root (reading filters needs CAP_SYS_ADMIN)"
else

# The shim's own filter over sleep.
"$SHIM" --profile runtime/default -- sleep 100 </dev/null >/dev/null 2>&1 &
one=$!
wait_seccomp "$one" 2
shim inspect "$one"
check "inspect: Seccomp and Seccomp_filters as /proc/PID/status has them" \
	"$rc $(printf '%s\n' "$out" | sed -n 2p)" \
	"0 Seccomp: 2 (filter), Seccomp_filters: $(status_field Seccomp_filters </proc/"$one"/status), NoNewPrivs: $(status_field NoNewPrivs </proc/"$one"/status)"
check "inspect: the process is let go (not traced, not stopped)" "$(left_alone "$one")" "0 S"
"$SHIM" inspect "$one" --format json >"$WORK/one.json"
native=$("$SHIM" inspect "$one" --format json | json_get "j['effective']['arches'][0]['arch']")
"$SHIM" --profile runtime/default -- "$PROBE" keyctl 0 >"$WORK/kernel.out"
check "inspect's keyctl verdict is the kernel's under the same profile" \
	"errno $(inspect_verdict "$WORK/one.json" "$native" keyctl)" "$(cat "$WORK/kernel.out")"
shim inspect "$one" --profile runtime/default
check "inspect --profile runtime/default: the same verdicts, 0" \
	"$rc $(printf '%s\n' "$out" | tail -1 | sed 's/all [0-9]* inputs/all N inputs/')" \
	"0 the same verdicts as runtime/default on all N inputs tried"
shim inspect "$one" --profile audit
check "inspect --profile audit: 1, with the first difference" \
	"$rc $(printf '%s\n' "$out" | tail -1 | grep -c '^not the verdicts of audit: first on SCMP_ARCH')" "1 1"
"$SHIM" inspect "$one" --profile runtime/default --format json >"$WORK/one-p.json"
check "inspect --format json: profile.equal" "$(json_get "j['profile']['equal'], j['filters'], j['noNewPrivs']" <"$WORK/one-p.json")" \
	"True 1 True"

# i386 calls go through the same filter's i386 part.
if [ "$(uname -m)" = x86_64 ]; then
	"$SHIM" --profile runtime/default -- "$ESCAPE" int80-args 288 0 0 >"$WORK/kernel.out"
	check "inspect's i386 keyctl (288) verdict is the kernel's for an int 0x80 call" \
		"errno $(inspect_verdict "$WORK/one.json" SCMP_ARCH_X86 keyctl)" "$(cat "$WORK/kernel.out")"
	"$SHIM" --profile runtime/default -- "$ESCAPE" int80-args 20 >"$WORK/kernel.out"
	check "... and i386 getpid (20) is allowed there, as inspect says" \
		"$(inspect_verdict "$WORK/one.json" SCMP_ARCH_X86 getpid) $(cut -c1-2 "$WORK/kernel.out")" "ALLOW ok"
fi

# Not permitted: another user, and a reader under seccomp itself.
if command -v setpriv >/dev/null; then
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$SHIM" inspect "$one" 2>&1)
	check "inspect as nobody: refused, and why" "$?|$out" \
		"125|seccomp-shim: inspect: process $one: not permitted: reading seccomp filters needs CAP_SYS_ADMIN (run as root)"
fi
out=$("$SHIM" --profile runtime/default -- "$SHIM" inspect "$one" 2>&1)
check "inspect under a filter itself: refused, and why" "$?|$out" \
	"125|seccomp-shim: inspect: process $one: the kernel gives seccomp filters only to a tracer under no filter of its own, and seccomp-shim runs under one (Seccomp: 2)"
check "... and the process is let go each time" "$(left_alone "$one")" "0 S"
kill "$one"; wait "$one" 2>/dev/null

# Two stacked filters: runtime/default, then one that answers keyctl and
# getppid with other errnos. Equal actions: the newer filter's errno.
profile stack <<'EOF'
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
  {"names": ["keyctl"], "action": "SCMP_ACT_ERRNO", "errnoRet": 2},
  {"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}
EOF
"$SHIM" --profile runtime/default -- "$SHIM" --profile "$WORK/stack.json" -- sleep 100 </dev/null >/dev/null 2>&1 &
two=$!
wait_seccomp "$two" 2
for _ in $(seq 50); do [ "$(status_field Seccomp_filters </proc/"$two"/status)" = 2 ] && break; sleep 0.1; done
"$SHIM" inspect "$two" --format json >"$WORK/two.json"
check "two stacked filters: inspect reads as many as /proc/PID/status counts" \
	"$(json_get "j['filters'], len(j['eachFilter'])" <"$WORK/two.json")" \
	"$(status_field Seccomp_filters </proc/"$two"/status) 2"
for call in keyctl getppid; do
	"$SHIM" --profile runtime/default -- "$SHIM" --profile "$WORK/stack.json" -- "$PROBE" "$call" 0 >"$WORK/kernel.out"
	check "stacked: inspect's effective $call verdict is the kernel's" \
		"errno $(inspect_verdict "$WORK/two.json" "$native" "$call")" "$(cat "$WORK/kernel.out")"
done
shim inspect "$two"
check "stacked: the text names both filters, the first installed first" \
	"$(printf '%s\n' "$out" | grep -o '^filter [0-9] ([a-z ]*' | tr '\n' '|')" \
	"filter 0 (the first installed|filter 1 (the last installed|"
shim inspect "$two" --profile runtime/default
check "stacked: not runtime/default alone (1)" "$rc" 1
check "stacked: the process is let go" "$(left_alone "$two")" "0 S"
kill "$two"; wait "$two" 2>/dev/null

# Strict mode: no filter to read, said so.
(sleep 5 | python3 -c 'import ctypes; libc = ctypes.CDLL(None); buf = ctypes.create_string_buffer(1); libc.prctl(22, 1, 0, 0, 0); libc.syscall(0, 0, buf, 1)') &
sleep 0.5
strict=$(pgrep -n -f 'libc.prctl\(22, 1' || true)
if [ -n "$strict" ] && wait_seccomp "$strict" 1; then
	shim inspect "$strict"
	check "inspect of a process in strict mode: 0, said so" \
		"$rc $(printf '%s\n' "$out" | grep -c '^strict mode (SECCOMP_MODE_STRICT)')" "0 1"
else
	not_ok "a process in strict mode for inspect" "none found"
fi
{ wait; } 2>/dev/null # python3 dies of its next call: strict mode allows none

# A runc container: runc's filter, from linux.seccomp.
RUNC=$(command -v runc)
if [ -z "$RUNC" ] || [ ! -x /bin/busybox ] || [ ! -x "$PROBE_STATIC" ]; then
	skip "inspect of a runc container" "runc, busybox-static or the static probe is missing"
else
	b="$WORK/inspect-bundle"
	mkdir -p "$b/rootfs/bin"
	cp /bin/busybox "$b/rootfs/bin/busybox"
	ln -s busybox "$b/rootfs/bin/sleep"
	cp "$PROBE_STATIC" "$b/rootfs/probe"
	(cd "$b" && "$RUNC" spec)
	python3 - "$b/config.json" <<'EOF_PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/sleep", "100"]
json.dump(c, open(sys.argv[1], "w"), indent=2)
EOF_PY
	"$SHIM" oci convert runtime/default --bundle "$b" --write -q
	id="${SECCOMP_SHIM_RUNC_PREFIX:-shim-$$-}inspect"
	"$RUNC" run -d --bundle "$b" "$id" </dev/null >/dev/null 2>"$WORK/runc.err"
	cpid=$("$RUNC" state "$id" | json_get "j['pid']")
	"$SHIM" inspect "$cpid" --format json >"$WORK/runc.json"
	check "runc container: inspect reads as many filters as /proc/PID/status counts" \
		"$(json_get "j['filters']" <"$WORK/runc.json")" "$(status_field Seccomp_filters </proc/"$cpid"/status)"
	kernel=$("$RUNC" exec "$id" /probe keyctl 0)
	check "runc container: inspect's keyctl verdict is the kernel's in the container" \
		"errno $(inspect_verdict "$WORK/runc.json" "$native" keyctl)" "$kernel"
	check "runc container: the process is let go" "$(left_alone "$cpid")" "0 S"
	"$RUNC" delete -f "$id" >/dev/null 2>&1
fi

fi
