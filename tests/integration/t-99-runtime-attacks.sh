# The runtime wrapper attacked: argument spellings that would make it
# admit one bundle while runc runs another, execs that would leave a
# process unconfined in a container whose filter the reporting shim
# holds, a config.json someone else can rewrite after admission.
# Real runc, busybox bundles. Sourced by run.sh.

echo "# runtime wrapper attacks (runc)"

RA_STATIC="${SECCOMP_SHIM_STATIC:-$top/seccomp-shim-static}"
RA_RUNC=$(command -v runc)
RA_ID="${SECCOMP_SHIM_RUNC_PREFIX:-shim-$$-}ra-"

# shellcheck source=tests/integration/bundles.sh
. "$top/tests/integration/bundles.sh"

if ra_skip=$(busybox_bundle_unusable "$RA_STATIC"); then
	skip "runtime wrapper attacks" "$ra_skip"
else

ra_bundle() { busybox_bundle "$WORK/ra/$1" "$2" "${3:-}"; }
# ra_policy JSON: the policy file P
ra_policy() {
	P="$WORK/ra/policy.json"
	mkdir -p "$WORK/ra"
	printf '%s\n' "$1" >"$P"
	chmod 644 "$P"
}
wrap() { "$SHIM" runtime --policy "$P" "$@"; }
ra_cleanup() { for id in "$@"; do "$RA_RUNC" delete -f -- "$id" >/dev/null 2>&1; done; }
SECCOMP_LINE='grep Seccomp: /proc/self/status'

# --- create/run: the bundle runc uses is the bundle admitted ---------------

# runc reorders a command's flags (urfave/cli): "run ID --bundle X" runs
# X. Admitting the current directory instead would let X run unconfined.
ra_policy '{"defaultProfile": "refuse"}'
ra_bundle cwd '["/bin/true"]' 'c["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}'
cwd_bundle=$B
ra_bundle late "[\"/bin/sh\", \"-c\", \"$SECCOMP_LINE\"]"
for spelling in "--bundle $B" "-b $B" "--bundle=$B" "-b=$B"; do
	# shellcheck disable=SC2086
	out=$(cd "$cwd_bundle" && wrap run "${RA_ID}late" $spelling 2>"$WORK/ra.err" </dev/null)
	rc=$?
	ra_cleanup "${RA_ID}late"
	check "run ID $spelling (after the ID): that bundle is admitted (refused: no linux.seccomp)" \
		"$rc|$(grep -c 'policy forbids Unconfined' "$WORK/ra.err")|$out" "125|1|"
done

# restore makes a container from a bundle's config.json as create does.
out=$(wrap restore --image-path "$WORK/ra/none" --bundle "$B" "${RA_ID}restore" 2>&1 </dev/null)
rc=$?
ra_cleanup "${RA_ID}restore"
check "restore: the bundle is admitted too (the policy's refusal, not criu's)" \
	"$rc|$(printf '%s' "$out" | grep -c 'policy forbids Unconfined')" "125|1"

# --- config.json that someone else can write --------------------------------

# Checked, then read again by runc: whoever can write it between the two
# decides what runs. The edited file must not be left writable either.
ra_policy '{}'
ra_bundle open "[\"/bin/sh\", \"-c\", \"$SECCOMP_LINE\"]"
chmod 666 "$B/config.json"
out=$(wrap run --bundle "$B" "${RA_ID}open" 2>"$WORK/ra.err" </dev/null)
rc=$?
ra_cleanup "${RA_ID}open"
check "config.json writable by others (0666): refused, nothing run" \
	"$rc|$(grep -c 'config.json' "$WORK/ra.err")|$out" "125|1|"
ra_bundle owned "[\"/bin/sh\", \"-c\", \"$SECCOMP_LINE\"]" \
	'c["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW"}'
chown 65534:65534 "$B/config.json"
out=$(wrap run --bundle "$B" "${RA_ID}owned" 2>"$WORK/ra.err" </dev/null)
rc=$?
ra_cleanup "${RA_ID}owned"
check "config.json owned by another user (nothing to change): refused, nothing run" \
	"$rc|$(grep -c 'uid 65534' "$WORK/ra.err")|$out" "125|1|"

# --- exec into a container whose filter the reporting shim holds ----------

# Its linux.seccomp is gone: an exec not prefixed runs with no filter.
ra_policy "{\"report\": \"on\", \"shim\": \"$RA_STATIC\"}"
exec_unconfined() { # exec_unconfined ID [exec flags]: Seccomp: of an exec'd sh
	local id=$1
	shift
	wrap exec "$@" 2>>"$WORK/ra.err" </dev/null | awk '$1 == "Seccomp:" { print $2 }'
}

ra_bundle dash '["/bin/sleep", "30"]'
wrap run -d --bundle "$B" -- -dash >/dev/null 2>&1 </dev/null
check "a container whose ID begins with - runs under the wrapper" \
	"$("$RA_RUNC" state -- -dash 2>/dev/null | grep -c '"running"')" 1
: >"$WORK/ra.err"
seccomp=$(wrap exec -- -dash /bin/sh -c "$SECCOMP_LINE" 2>>"$WORK/ra.err" </dev/null | awk '{ print $2 }')
check "exec -- -ID: never unconfined (prefixed, or refused)" \
	"$([ "$seccomp" = 2 ] || [ -z "$seccomp" ] && echo confined || echo "Seccomp: $seccomp")" confined
ra_cleanup -dash

# runc state of a container with a huge annotation is more than the
# wrapper reads: it must refuse, not exec without the prefix.
ra_bundle huge '["/bin/sleep", "30"]' 'c["annotations"] = {"io.example.big": "<" * (4 << 20)}'
wrap run -d --bundle "$B" "${RA_ID}huge" >/dev/null 2>&1 </dev/null
seccomp=$(wrap exec "${RA_ID}huge" /bin/sh -c "$SECCOMP_LINE" 2>>"$WORK/ra.err" </dev/null | awk '{ print $2 }')
check "exec into a container whose state is larger than read: never unconfined" \
	"$([ "$seccomp" = 2 ] || [ -z "$seccomp" ] && echo confined || echo "Seccomp: $seccomp")" confined
ra_cleanup "${RA_ID}huge"

# CAP_SYS_PTRACE in an exec'd process reaches its supervisor's listener
# (/proc/PPID/fd): with it, the target could answer its own calls.
ra_bundle ptrace '["/bin/sleep", "30"]'
wrap run -d --bundle "$B" "${RA_ID}ptrace" >/dev/null 2>&1 </dev/null
out=$(wrap exec --cap CAP_SYS_PTRACE "${RA_ID}ptrace" /bin/sh -c 'ls -l /proc/$PPID/fd/ 2>&1' 2>"$WORK/ra.err" </dev/null)
rc=$?
check "exec --cap CAP_SYS_PTRACE into a reporting container: refused, no listener in reach" \
	"$rc|$(printf '%s' "$out" | grep -c 'seccomp notify')|$(grep -c CAP_SYS_PTRACE "$WORK/ra.err")" "125|0|1"
python3 - "$B/config.json" "$WORK/ra/process.json" <<'EOF_PY'
import json, sys
c = json.load(open(sys.argv[1]))
p = c["process"]
p["args"] = ["/bin/sh", "-c", "ls -l /proc/$PPID/fd/ 2>&1"]
p["capabilities"]["bounding"].append("CAP_SYS_PTRACE")
p["capabilities"]["effective"].append("CAP_SYS_PTRACE")
p["capabilities"]["permitted"].append("CAP_SYS_PTRACE")
json.dump(p, open(sys.argv[2], "w"))
EOF_PY
out=$(wrap exec --process "$WORK/ra/process.json" "${RA_ID}ptrace" 2>"$WORK/ra.err" </dev/null)
rc=$?
check "exec --process with CAP_SYS_PTRACE into a reporting container: refused" \
	"$rc|$(printf '%s' "$out" | grep -c 'seccomp notify')|$(grep -c CAP_SYS_PTRACE "$WORK/ra.err")" "125|0|1"
ra_cleanup "${RA_ID}ptrace"

# --- the precreate hook -----------------------------------------------------

# The hook edits the config, but exec goes to the runtime unchanged: a
# reporting shim there would leave every exec'd process without a filter.
ra_bundle hook '["/bin/sleep", "30"]'
"$SHIM" hook --policy "$P" precreate <"$B/config.json" >"$WORK/ra/hooked.json" 2>"$WORK/ra.err"
check "precreate hook, report on: succeeds" "$?" 0
cp "$WORK/ra/hooked.json" "$B/config.json"
"$RA_RUNC" run -d --bundle "$B" "${RA_ID}hook" >/dev/null 2>&1 </dev/null
seccomp=$("$RA_RUNC" exec "${RA_ID}hook" /bin/sh -c "$SECCOMP_LINE" 2>/dev/null </dev/null | awk '{ print $2 }')
check "precreate hook, report on: a plain runc exec is still confined" "$seccomp" 2
ra_cleanup "${RA_ID}hook"

# --- global flags of other runtimes ------------------------------------------

# crun (argp) takes "--cgroup-manager systemd" and "--log-level debug" with
# the value apart: the value is not the command. A stand-in runtime shows
# what would be run.
printf '#!/bin/sh\necho "runtime ran: $*"\n' >"$WORK/ra/fake-runtime"
chmod 755 "$WORK/ra/fake-runtime"
ra_policy "{\"runtime\": \"$WORK/ra/fake-runtime\", \"defaultProfile\": \"refuse\"}"
ra_bundle crun '["/bin/true"]'
for flag in "--cgroup-manager systemd" "--log-level debug"; do
	# shellcheck disable=SC2086
	out=$(wrap $flag create --bundle "$B" "${RA_ID}crun" 2>&1 </dev/null)
	rc=$?
	check "global $flag before create: the bundle is admitted (refused), nothing run" \
		"$rc|$(printf '%s' "$out" | grep -c 'policy forbids Unconfined')|$(printf '%s' "$out" | grep -c 'runtime ran')" "125|1|0"
done

fi
