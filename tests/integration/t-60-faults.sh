# Fault injection: each step of the privilege sequence fails on purpose
# (tests/fault/fault.so over libc) and the target must never run. Sourced
# by run.sh.

echo "# each step that can fail, failing"

FAULT_SO="$BUILD/tests/fault/fault.so"
# ASan wants to come first among the preloaded libraries; here it cannot.
FAULT_ENV=(env LD_PRELOAD="$FAULT_SO" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0")

# fault NAME STEP EXIT EXPECTED-STDERR SHIM-ARGS...
fault() {
	local name=$1 step=$2 want=$3 expected=$4
	shift 4
	rm -f "$WORK/trace"
	out=$("${FAULT_ENV[@]}" SECCOMP_SHIM_FAULT="$step" "$SHIM" "$@" -- touch "$WORK/trace" 2>"$WORK/stderr")
	rc=$?
	err=$(cat "$WORK/stderr")
	if [ "$rc" = "$want" ] && [ "$err" = "seccomp-shim: $expected" ] && [ ! -e "$WORK/trace" ]; then
		ok "$name"
	else
		not_ok "$name" "expected: $want seccomp-shim: $expected" "actual:   $rc $err" \
			"target ran: $([ -e "$WORK/trace" ] && echo yes || echo no)"
	fi
}

# The library works: without a fault asked for, the target runs.
rm -f "$WORK/trace"
"${FAULT_ENV[@]}" "$SHIM" --profile runtime/default -- touch "$WORK/trace"
check "control: with fault.so loaded and no fault asked, the target runs" "$([ -e "$WORK/trace" ] && echo ran)" ran

ALL=(--profile runtime/default --user 65534:65534 --cap-drop ALL --cap-add NET_BIND_SERVICE)
if is_root; then
	fault "bounding set drop fails" bounding 125 \
		"cannot drop CAP_CHOWN from the bounding set: Operation not permitted (this needs CAP_SETPCAP: run as root, or do not ask to drop it)" "${ALL[@]}"
	fault "keep-caps fails" keepcaps 125 "cannot set keep-caps: Invalid argument" "${ALL[@]}"
	fault "setgroups fails" setgroups 125 \
		"cannot set the supplementary groups: Operation not permitted" "${ALL[@]}"
	fault "setresgid fails" setresgid 125 \
		"cannot switch to gid 65534: Operation not permitted" "${ALL[@]}"
	fault "setresuid fails" setresuid 125 \
		"cannot switch to uid 65534: Operation not permitted" "${ALL[@]}"
	fault "capset fails" capset 125 "cannot set the capability sets: Operation not permitted" "${ALL[@]}"
	fault "capset claims success but changes nothing" capset-ignored 125 \
		"cannot raise CAP_NET_BIND_SERVICE in the ambient set: Operation not permitted" "${ALL[@]}"
	fault "ambient raise fails" ambient 125 \
		"cannot raise CAP_NET_BIND_SERVICE in the ambient set: Operation not permitted" "${ALL[@]}"
else
	skip "faults in the capability and identity steps" "not root: the shim does not take those steps"
fi
fault "no_new_privs fails" nnp 125 "cannot set no_new_privs: Invalid argument" --profile runtime/default
fault "no_new_privs claims success but is not set" nnp-ignored 125 \
	"no_new_privs did not stick (PR_GET_NO_NEW_PRIVS gives 0)" --profile runtime/default
fault "the filter load fails" load 125 \
	"the kernel refused the filter (seccomp(SECCOMP_SET_MODE_FILTER), flags 0x4): Invalid argument" --profile runtime/default
fault "execve fails after the filter is in place" exec 126 \
	"cannot execute $(command -v touch): Permission denied" --profile runtime/default
fault "unconfined: no_new_privs still fails closed" nnp 125 "cannot set no_new_privs: Invalid argument" -q --profile unconfined

# An outer filter that answers seccomp() (and prctl(PR_SET_SECCOMP)) with 0
# without loading anything: the shim counts the filters again.
profile outer-fakes-load <<'JSON'
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
 {"names": ["seccomp"], "action": "SCMP_ACT_ERRNO", "errnoRet": 0},
 {"names": ["prctl"], "action": "SCMP_ACT_ERRNO", "errnoRet": 0, "args": [{"index": 0, "value": 22, "op": "SCMP_CMP_EQ"}]}]}
JSON
rm -f "$WORK/trace"
shim --profile "$WORK/outer-fakes-load.json" -- "$SHIM" --profile runtime/default -- touch "$WORK/trace"
check "a load an outer filter only pretended is caught: exit 125, target not run" \
	"$rc|$err|$([ -e "$WORK/trace" ] && echo ran || echo not-run)" \
	"125|seccomp-shim: the filter did not take effect: Seccomp_filters is 1 after loading it, 1 before (an outer seccomp filter answered seccomp() without loading it)|not-run"
shim --profile runtime/default -- "$SHIM" --profile runtime/default -- cat /proc/self/status
check "under a real outer filter the load is counted and goes on" \
	"$rc|$(printf '%s\n' "$out" | status_field Seccomp_filters)" "0|2"
profile no-pread <<'JSON'
{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["pread64"], "action": "SCMP_ACT_ERRNO"}]}
JSON
shim --profile runtime/default -- "$SHIM" --profile "$WORK/no-pread.json" -- touch "$WORK/trace"
check "under an outer filter, a profile that blocks the check's pread64 is refused" "$rc|$err" \
	"125|seccomp-shim: seccomp-shim already runs under a seccomp filter, so it could not be checked that the filter really is loaded: the profile does not allow pread64, which the check needs"
# (static: the dynamic loader itself reads libraries with pread64)
shim --profile "$WORK/no-pread.json" -- "$BUILD/tests/integration/probe-static" pread64 0
check "... while without an outer filter it runs" "$rc|$out" "0|errno EPERM"
