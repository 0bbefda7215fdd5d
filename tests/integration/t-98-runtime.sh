# The runtime wrapper (seccomp-shim-runc) and the hooks, in front of the
# real runc, with busybox-static bundles: the node policy applied on
# create and run, everything else passed through. The engines (podman,
# containerd) are t-98-engines.sh. Sourced by run.sh.

echo "# runtime wrapper (runc)"

RT_STATIC="${SECCOMP_SHIM_STATIC:-$top/seccomp-shim-static}"
RT_RUNC=$(command -v runc)
RT_CID="rt-$$-"
rt_skip=""
if ! is_root; then
	rt_skip="not root (runc needs root here)"
elif [ -z "$RT_RUNC" ]; then
	rt_skip="runc is not installed (apt-get install runc)"
elif [ ! -x /bin/busybox ] || ldd /bin/busybox >/dev/null 2>&1; then
	rt_skip="busybox-static is not installed"
elif [ ! -x "$RT_STATIC" ] || [ ! -x "$BUILD/tests/integration/probe-static" ] ||
	[ ! -x "$BUILD/tests/integration/escape-static" ]; then
	rt_skip="the static shim, probe or escape is not built (make check-integration builds them)"
fi

if [ -n "$rt_skip" ]; then
	skip "runtime wrapper" "$rt_skip"
else

# The wrapper as engines call it: a link named seccomp-shim-runc.
mkdir -p "$WORK/rt/bin" "$WORK/rt/profiles"
RT="$WORK/rt/bin/seccomp-shim-runc"
ln -sf "$SHIM" "$RT"
# The static shim reporting mounts: root's, writable by no one else.
install -m 0755 "$RT_STATIC" "$WORK/rt/bin/seccomp-shim-static"
RT_SHIM="$WORK/rt/bin/seccomp-shim-static"

# rt_bundle NAME ARGS-JSON [PYTHON]: a busybox bundle from runc spec, its
# process ARGS, without linux.seccomp; PYTHON edits the config c.
rt_bundle() {
	local b="$WORK/rt/$1"
	rm -rf "$b" && mkdir -p "$b/rootfs/bin"
	cp /bin/busybox "$b/rootfs/bin/busybox"
	for c in sh cat grep sleep echo true mount; do ln -s busybox "$b/rootfs/bin/$c"; done
	cp "$BUILD/tests/integration/probe-static" "$b/rootfs/probe"
	cp "$BUILD/tests/integration/escape-static" "$b/rootfs/escape"
	(cd "$b" && "$RT_RUNC" spec) || return 1
	python3 - "$b/config.json" "$2" "${3:-}" <<'EOF_PY'
import json, sys
path, args, edit = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
c = json.load(open(path))
c["process"]["terminal"] = False
c["process"]["args"] = args
c["root"]["readonly"] = False
c["linux"].pop("seccomp", None)
exec(edit)
json.dump(c, open(path, "w"), indent=2)
EOF_PY
	B="$b"
}
# rt_policy NAME JSON: a policy file, root's, mode 0644.
rt_policy() {
	printf '%s\n' "$2" >"$WORK/rt/$1.policy.json"
	chmod 0644 "$WORK/rt/$1.policy.json"
	P="$WORK/rt/$1.policy.json"
}
# rt_run ID [ENV=VALUE...]: runc run through the wrapper in $B's bundle,
# in the foreground; sets out, err, rc; the container is deleted after.
rt_run() {
	local id="$RT_CID$1"
	shift
	# shellcheck disable=SC2086 # RT may be a command with its arguments
	out=$(cd "$B" && env "$@" $RT run "$id" 2>"$WORK/rt/err" </dev/null)
	rc=$?
	err=$(cat "$WORK/rt/err")
	"$RT_RUNC" delete -f "$id" >/dev/null 2>&1
}
config_get() { # config_get PYTHON-EXPR: of $B/config.json (c)
	python3 -c "import json, sys; c = json.load(open(sys.argv[1])); print($1)" "$B/config.json"
}
STATUS='grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status | tr -s "\t\n" "  "'
# rt_script NAME TEXT: an executable shell script /NAME in $B's root.
rt_script() {
	printf '#!/bin/sh\n%s\n' "$2" >"$B/rootfs/$1"
	chmod 0755 "$B/rootfs/$1"
}

# With no policy file the wrapper does one thing: a container without
# linux.seccomp gets runtime/default, resolved for its capabilities.
rt_bundle plain '["/t.sh"]'
rt_script t.sh "$STATUS; /probe mount 0 0 0; /probe unshare 0x10000000; exit 7"
rt_run plain SECCOMP_SHIM_POLICY=
check "no policy file: a container without linux.seccomp runs under runtime/default; the exit status passes" \
	"$rc|$out" "7|NoNewPrivs: 1 Seccomp: 2 errno EPERM
errno EPERM"
check "... config.json now holds it, and says why (annotation)" \
	"$(config_get '"names" in json.dumps(c["linux"]["seccomp"]), c["annotations"]["org.seccomp-shim.applied"]')" \
	"True runtime/default (default; linux.seccomp was absent)"
# The same filter as the one a plain run of runtime/default with runc's
# default capabilities loads: the kernel's answer for a call it allows
# only with CAP_SYS_ADMIN (runc spec keeps 3 capabilities).
rt_bundle plain2 '["/probe", "setns", "-1", "0"]'
rt_run plain2
check "... resolved for the container's capabilities: setns (CAP_SYS_ADMIN only) is denied" "$out" "errno EPERM"

# Nothing is edited when the policy has nothing to say: the engine's own
# profile stays, config.json untouched.
rt_bundle engine '["/probe", "mkdir", "0"]' \
	'c["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]}'
before=$(stat -c '%i %Y' "$B/config.json")$(sha256sum <"$B/config.json")
rt_run engine
check "an engine's linux.seccomp is kept (its verdict in the container)" "$rc|$out" "0|errno ENOSYS"
check "... and config.json is not rewritten (same inode, time and bytes)" \
	"$(stat -c '%i %Y' "$B/config.json")$(sha256sum <"$B/config.json")" "$before"

# Lossless: fields the wrapper does not know, 64-bit integers, the mode.
rt_bundle lossless '["/bin/true"]' \
	'c["x-vendor"] = {"keep": [1, 2.5, None, "é"]}; c["process"]["rlimits"] = [{"type": "RLIMIT_CORE", "hard": 1024, "soft": 0}]; c["annotations"] = {"a": "b"}'
python3 - "$B/config.json" <<'EOF_PY'
import sys
p = sys.argv[1]
t = open(p).read().replace('"hard": 1024', '"hard": 18446744073709551615', 1)
open(p, "w").write(t)
EOF_PY
chmod 0640 "$B/config.json"
cp "$B/config.json" "$WORK/rt/lossless.before"
rt_run lossless
check "an edited config.json keeps every other field as it was, and its mode" \
	"$rc|$(python3 - "$WORK/rt/lossless.before" "$B/config.json" <<'EOF_PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
b["linux"].pop("seccomp")
b["annotations"].pop("org.seccomp-shim.applied")
print(a == b, b["process"]["rlimits"][0]["hard"])
EOF_PY
)|$(stat -c %a "$B/config.json")" "0|True 18446744073709551615|640"

# The bundle in every spelling runc takes, and none (the current directory).
rt_bundle spell '["/probe", "setns", "-1", "0"]'
for how in "--bundle $B" "--bundle=$B" "-b $B" "-b=$B" ""; do
	cp "$WORK/rt/spell.orig" "$B/config.json" 2>/dev/null || cp "$B/config.json" "$WORK/rt/spell.orig"
	# shellcheck disable=SC2086
	out=$(cd "$B" && SECCOMP_SHIM_POLICY= "$RT" --root "$WORK/rt/state" run $how "${RT_CID}spell" 2>&1 </dev/null)
	"$RT_RUNC" --root "$WORK/rt/state" delete -f "${RT_CID}spell" >/dev/null 2>&1
	check "bundle given as '${how:-(the current directory)}', with --root before run: admitted" "$out" "errno EPERM"
done

# Pass-through: stdin and stdout, create/start/state/ps/exec/kill/delete.
rt_bundle life '["/bin/sh", "-c", "read line; echo got:$line; sleep 60"]'
id="${RT_CID}life"
(cd "$B" && echo hello | "$RT" create "$id" >"$WORK/rt/life.out" 2>&1)
check "create through the wrapper" "$?" 0
"$RT" start "$id"
for _ in $(seq 50); do grep -q got "$WORK/rt/life.out" && break; sleep 0.1; done
check "... stdin reaches the process, its stdout comes back" "$(cat "$WORK/rt/life.out")" "got:hello"
check "... state passes through (the same as runc's)" \
	"$("$RT" state "$id" | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["status"], s["id"])')" "running $id"
check "... ps passes through" "$("$RT" ps "$id" | grep -c sleep)" 1
out=$("$RT" exec "$id" sh -c "$STATUS; exit 5")
check "... exec passes through: its status and stdout, as runc's own exec" \
	"$?|$out" "5|$("$RT_RUNC" exec "$id" sh -c "$STATUS")"
"$RT" kill "$id" KILL
for _ in $(seq 50); do [ "$("$RT_RUNC" state "$id" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')" = stopped ] && break; sleep 0.1; done
"$RT" delete "$id"
check "... kill and delete pass through" "$?|$("$RT_RUNC" state "$id" 2>&1 >/dev/null | grep -c 'does not exist')" "0|1"
out=$("$RT" --version)
check "--version is runc's" "$(printf '%s' "$out" | head -1 | cut -d' ' -f1-2)" "runc version"
"$RT" state "${RT_CID}nosuch" >/dev/null 2>&1
check "an error status passes through (state of no such container: runc's 1)" "$?" 1

# Refusals: exit 125, the policy rule and the container field named, on
# stderr and in runc's --log (where containerd and conmon read it back),
# and no container.
rt_policy refuse '{"defaultProfile": "refuse"}'
rt_bundle refused '["/bin/true"]'
cp "$B/config.json" "$WORK/rt/refused.before"
out=$(cd "$B" && SECCOMP_SHIM_POLICY="$P" "$RT" --log "$WORK/rt/refused.log" --log-format json \
	create "${RT_CID}refused" 2>&1 </dev/null)
rc=$?
check "defaultProfile refuse, no linux.seccomp: refused (125), naming the rule and the field" "$rc|$out" \
	"125|seccomp-shim: policy forbids Unconfined: linux.seccomp is absent and defaultProfile is refuse ($P)"
check "... the message is in runc's --log, as JSON" \
	"$(python3 -c 'import json,sys; l=json.loads(open(sys.argv[1]).readline()); print(l["level"], l["msg"][:40])' "$WORK/rt/refused.log")" \
	"error policy forbids Unconfined: linux.seccomp"
"$RT_RUNC" state "${RT_CID}refused" >/dev/null 2>&1
check "... no container was made; config.json unchanged" "$?|$(cmp -s "$WORK/rt/refused.before" "$B/config.json"; echo $?)" "1|0"
out=$(cd "$B" && "$SHIM" runtime --policy="$P" --log "$WORK/rt/refused.txt" run "${RT_CID}refused" 2>&1 </dev/null)
check "seccomp-shim runtime --policy=FILE names it; a text --log gets runc's text format" \
	"$?|$(grep -c '^time=".*" level=error msg="seccomp-shim: policy forbids Unconfined' "$WORK/rt/refused.txt")" "125|1"
out=$(cd "$B" && "$SHIM" runtime --policy "$P" run "${RT_CID}refused" 2>&1 </dev/null)
check "seccomp-shim runtime --policy FILE run: the same refusal" "$?|${out:0:39}" "125|seccomp-shim: policy forbids Unconfined"

rt_policy caps '{"maxCapabilities": ["CAP_KILL", "CAP_NET_BIND_SERVICE"]}'
rt_bundle caps '["/bin/true"]'
rt_run caps SECCOMP_SHIM_POLICY="$P"
check "maxCapabilities: a capability beyond it is refused, naming the set and index" "$rc|$err" \
	"125|seccomp-shim: policy allows no CAP_AUDIT_WRITE (maxCapabilities in $P): process.capabilities.bounding[0] is CAP_AUDIT_WRITE"
rt_bundle caps2 '["/bin/true"]' 'c["process"]["capabilities"] = {k: ["CAP_KILL"] for k in ("bounding", "effective", "permitted")}'
rt_run caps2 SECCOMP_SHIM_POLICY="$P"
check "... within it: runs" "$rc" 0

rt_policy nnp '{"requireNoNewPrivileges": true}'
rt_bundle nnp '["/bin/true"]' 'c["process"]["noNewPrivileges"] = False'
rt_run nnp SECCOMP_SHIM_POLICY="$P"
check "requireNoNewPrivileges: process.noNewPrivileges false is refused" "$rc|$err" \
	"125|seccomp-shim: policy requires no_new_privs (requireNoNewPrivileges in $P): process.noNewPrivileges is false"

rt_policy abd '{"refuseAllowByDefault": true}'
rt_bundle abd '["/bin/true"]' 'c["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW"}'
rt_run abd SECCOMP_SHIM_POLICY="$P"
check "refuseAllowByDefault: an engine's allow-by-default profile is refused" "$rc|$err" \
	"125|seccomp-shim: policy refuses allow-by-default profiles (refuseAllowByDefault in $P): linux.seccomp of $B/config.json has defaultAction SCMP_ACT_ALLOW"
rt_bundle badprof '["/bin/true"]' 'c["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_NOPE"}]}'
rt_run badprof SECCOMP_SHIM_POLICY=
check "an engine's profile that would not load is refused before runc, with its place" "$rc|${err%%:*}|$(printf '%s' "$err" | grep -c 'SCMP_ACT_NOPE')" "125|seccomp-shim|1"

# Bad input: the container never starts.
rt_bundle malformed '["/bin/true"]'
printf '{"process": {"args": ["/bin/true"]},\n  "oops" }\n' >"$B/config.json"
rt_run malformed SECCOMP_SHIM_POLICY=
check "a malformed config.json: refused (125), naming file:line:column" "$rc|$err" \
	"125|seccomp-shim: $B/config.json:2:10: ':' expected near '}'"
out=$(SECCOMP_SHIM_POLICY= "$RT" run --bundle "$WORK/rt/nosuch" "${RT_CID}nosuch" 2>&1)
check "a missing bundle: refused (125)" "$?|$out" "125|seccomp-shim: bundle $WORK/rt/nosuch: No such file or directory"
rt_bundle badpolicy '["/bin/true"]'
rt_run badpolicy SECCOMP_SHIM_POLICY="$WORK/rt/nosuch.json"
check "a named policy that does not exist: refused (125)" "$rc|$err" \
	"125|seccomp-shim: policy $WORK/rt/nosuch.json: No such file or directory"
rt_policy typo '{"requireNoNewPrivilege": true}'
rt_run badpolicy SECCOMP_SHIM_POLICY="$P"
check "a misspelt key: refused with its place and the key meant" "$rc|$err" \
	"125|seccomp-shim: $P:1:2: requireNoNewPrivilege: unknown key (did you mean requireNoNewPrivileges?)"
rt_policy open '{}'
chmod 0666 "$P"
rt_run badpolicy SECCOMP_SHIM_POLICY="$P"
check "a policy anyone may write: refused" "$rc|$(printf '%s' "$err" | grep -c "belongs to uid 0 with mode 666: it must belong to root and be writable by no one else")" "125|1"
chmod 0644 "$P" && chown nobody "$P"
rt_run badpolicy SECCOMP_SHIM_POLICY="$P"
check "a policy owned by another user: refused" "$rc|$(printf '%s' "$err" | grep -c "belongs to uid $(id -u nobody) with mode 644")" "125|1"
chmod 0000 "$P" && chown root "$P"
RT_REAL="$RT"
RT="setpriv --bounding-set=-dac_override,-dac_read_search $RT_REAL"
rt_run badpolicy SECCOMP_SHIM_POLICY="$P"
RT="$RT_REAL"
check "an unreadable policy (as uid 0 without CAP_DAC_OVERRIDE): refused" \
	"$rc|$(printf '%s' "$err" | grep -c 'Permission denied')" "125|1"

fi
