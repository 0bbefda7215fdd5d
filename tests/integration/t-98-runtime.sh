# The runtime wrapper (seccomp-shim-runc) and the hooks, in front of the
# real runc, with busybox-static bundles: the node policy applied on
# create and run, everything else passed through. The engines (podman,
# containerd) are t-98-engines.sh. Sourced by run.sh.

echo "# runtime wrapper (runc)"

RT_STATIC="${SECCOMP_SHIM_STATIC:-$top/seccomp-shim-static}"
RT_RUNC=$(command -v runc)
RT_CID="rt-$$-"
# shellcheck source=tests/integration/bundles.sh
. "$top/tests/integration/bundles.sh"

if rt_skip=$(busybox_bundle_unusable "$RT_STATIC" "$BUILD/tests/integration/probe-static" \
	"$BUILD/tests/integration/escape-static"); then
	skip "runtime wrapper" "$rt_skip"
else

# The wrapper as engines call it: a link named seccomp-shim-runc.
mkdir -p "$WORK/rt/bin" "$WORK/rt/profiles"
RT="$WORK/rt/bin/seccomp-shim-runc"
ln -sf "$SHIM" "$RT"
# The static shim reporting mounts: root's, writable by no one else.
install -m 0755 "$RT_STATIC" "$WORK/rt/bin/seccomp-shim-static"
RT_SHIM="$WORK/rt/bin/seccomp-shim-static"

rt_bundle() { busybox_bundle "$WORK/rt/$1" "$2" "${3:-}"; }
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

rt_policy capx '{"maxCapabilities": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]}'
rt_bundle capx '["/bin/sleep", "60"]'
id="${RT_CID}capx"
(cd "$B" && SECCOMP_SHIM_POLICY="$P" "$RT" run -d "$id" >/dev/null 2>&1 </dev/null)
out=$(SECCOMP_SHIM_POLICY="$P" "$RT" exec --cap CAP_SYS_ADMIN "$id" /probe getpid 2>&1)
check "maxCapabilities: exec --cap beyond it is refused" "$?|$out" \
	"125|seccomp-shim: exec: policy allows no CAP_SYS_ADMIN (maxCapabilities in $P): exec --cap CAP_SYS_ADMIN"
printf '{"args": ["/probe", "getpid"], "cwd": "/", "user": {"uid": 0, "gid": 0}, "capabilities": {"bounding": ["CAP_KILL", "CAP_SYS_MODULE"]}}' >"$WORK/rt/capx.json"
out=$(SECCOMP_SHIM_POLICY="$P" "$RT" exec --process "$WORK/rt/capx.json" "$id" 2>&1)
check "... and a --process file holding more (podman exec --privileged)" "$?|$out" \
	"125|seccomp-shim: exec: policy allows no CAP_SYS_MODULE (maxCapabilities in $P): $WORK/rt/capx.json: process.capabilities.bounding[1]"
out=$(SECCOMP_SHIM_POLICY="$P" "$RT" exec --cap CAP_KILL "$id" /probe getppid 2>&1)
check "... within it, an exec runs" "$?|${out%% *}" "0|ok"
"$RT_RUNC" delete -f "$id" >/dev/null 2>&1

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

# A Docker-format profile named by annotation, from a directory the policy
# allows: resolved for the container (includes/excludes by capability),
# as containerd alone would not (it drops them: t-98-engines.sh).
mkdir -p "$WORK/rt/profiles/sub"
cp "$FIX/includes-by-caps.json" "$WORK/rt/profiles/caps.json"
chmod -R go-w "$WORK/rt/profiles"
cp "$WORK/rt/profiles/caps.json" "$WORK/rt/profiles/sub/caps.json"
ln -s ../caps.json "$WORK/rt/profiles/sub/link.json"
rt_policy annot "{\"allowedProfiles\": [\"runtime/default\", \"$WORK/rt/profiles/\"]}"
rt_bundle annot '["/t.sh"]' "c['annotations'] = {'org.seccomp-shim.profile': '$WORK/rt/profiles/caps.json'}"
rt_script t.sh '/probe mkdir 0 0; /probe setns -1 0; /probe chdir 0'
rt_run annot SECCOMP_SHIM_POLICY="$P"
check "annotation: a Docker profile resolved for the container's capabilities (CAP_KILL: mkdir's rule excluded, chdir's included; no CAP_SYS_ADMIN: setns's left out)" \
	"$rc|$(printf '%s' "$out" | tr '\n' ' ')" "0|errno EFAULT errno EBADF errno EPERM"
check "... written as OCI linux.seccomp: no includes or excludes left" \
	"$(config_get '"includes" in json.dumps(c["linux"]["seccomp"]), c["annotations"]["org.seccomp-shim.applied"]')" \
	"False $WORK/rt/profiles/caps.json (annotation)"
for bad in "$WORK/rt/profiles/../profiles/caps.json" "$WORK/rt/profiles/sub/link.json" "/etc/passwd" "$WORK/rt/profilesx/caps.json"; do
	rt_bundle annot2 '["/bin/true"]' "c['annotations'] = {'org.seccomp-shim.profile': '$bad'}"
	rt_run annot2 SECCOMP_SHIM_POLICY="$P"
	case "$bad" in
	*link.json) want="no link is followed" ;;
	*) want="policy does not allow profile $bad (allowedProfiles in $P)" ;;
	esac
	check "annotation naming ${bad#"$WORK"/}: refused" "$rc|$(printf '%s' "$err" | grep -c -F "$want")" "125|1"
done
chown nobody "$WORK/rt/profiles/sub/caps.json"
rt_bundle annot3 '["/bin/true"]' "c['annotations'] = {'org.seccomp-shim.profile': '$WORK/rt/profiles/sub/caps.json'}"
rt_run annot3 SECCOMP_SHIM_POLICY="$P"
check "annotation naming a profile another user may write: refused" "$rc|$(printf '%s' "$err" | grep -c 'belongs to root and is writable by no one else')" "125|1"
rt_bundle annot4 '["/bin/true"]' "c['annotations'] = {'org.seccomp-shim.profile': '$WORK/rt/profiles/caps.json'}"
rt_run annot4 SECCOMP_SHIM_POLICY=
check "with no allowedProfiles, an annotation may name built-in profiles only" "$rc|$(printf '%s' "$err" | grep -c 'which lists none: built-in profiles only')" "125|1"
rt_bundle annot5 '["/bin/true"]' "c['annotations'] = {'org.seccomp-shim.profile': 'unconfined'}"
rt_run annot5 SECCOMP_SHIM_POLICY=
check "annotation unconfined without allowUnconfined: refused" "$rc|$err" \
	"125|seccomp-shim: policy forbids Unconfined (allowUnconfined is false in the built-in policy (no policy file)): annotation org.seccomp-shim.profile is unconfined"

# Reporting injected: denials land in the container's own log, named.
rt_policy report "{\"report\": \"on\", \"shim\": \"$RT_SHIM\"}"
rt_bundle report '["/t.sh"]'
rt_script t.sh "$STATUS; /probe mount 0 0 0; /escape int80 21 /x; exit 3"
rt_run report SECCOMP_SHIM_POLICY="$P"
check "report on: the exit status passes, calls are denied as without it (x86_64 and i386)" \
	"$rc|$(printf '%s' "$out" | tr '\n' ' ')" "3|NoNewPrivs: 1 Seccomp: 2 errno EPERM errno EPERM"
check "... each denial is in the container's log (its stderr), named" \
	"$(printf '%s\n' "$err" | grep -c -E '^seccomp-shim: denied: .* (x86_64|x86) mount\(')" 2
check "... the static shim is bind-mounted read-only, linux.seccomp is gone" \
	"$(config_get '[m["options"] for m in c["mounts"] if m["destination"] == "/.seccomp-shim/seccomp-shim"], "seccomp" in c["linux"]')" \
	"[['bind', 'ro', 'nosuid', 'nodev']] False"
rt_bundle report2 '["/bin/sh", "-c", "echo up; sleep 60"]'
id="${RT_CID}report2"
(cd "$B" && SECCOMP_SHIM_POLICY="$P" "$RT" run -d "$id" >/dev/null 2>&1 </dev/null)
out=$("$RT" exec "$id" /probe mount 0 0 0 2>"$WORK/rt/exec.err")
check "exec into a reporting container goes through the same shim: denied, reported" \
	"$out|$(grep -c 'denied: .* mount(' "$WORK/rt/exec.err")" "errno EPERM|1"
printf '{"args": ["/probe", "unshare", "0x10000000"], "cwd": "/", "env": ["PATH=/bin"], "user": {"uid": 0, "gid": 0}}' >"$WORK/rt/process.json"
out=$("$RT" exec --process "$WORK/rt/process.json" "$id" 2>"$WORK/rt/exec.err")
check "... with --process FILE too (the engines' way)" "$out|$(grep -c 'denied: .* unshare(' "$WORK/rt/exec.err")" "errno EPERM|1"
out=$("$RT" exec --process="$WORK/rt/process.json" "$id" 2>/dev/null)
check "... and --process=FILE" "$out" "errno EPERM"
check "... the process file itself is left as it was" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["args"][0])' "$WORK/rt/process.json")" "/probe"
"$RT_RUNC" delete -f "$id" >/dev/null 2>&1
rt_bundle report3 '["/probe", "mount", "0", "0", "0"]' \
	'c["process"]["capabilities"]["bounding"].append("CAP_SYS_PTRACE")'
rt_run report3 SECCOMP_SHIM_POLICY="$P"
check "a container with CAP_SYS_PTRACE: no reporting (it could take the supervisor over), the profile still applies" \
	"$rc|$out|$(printf '%s' "$err" | grep -c 'denials are not reported: the container holds CAP_SYS_PTRACE')|$(config_get '"seccomp" in c["linux"]')" \
	"0|errno EPERM|1|True"
rt_bundle report4 '["/probe", "mount", "0", "0", "0"]' "c['annotations'] = {'org.seccomp-shim.report': 'false'}"
rt_run report4 SECCOMP_SHIM_POLICY="$P"
check "report on, annotation report false: opted out" "$rc|$out|$err" "0|errno EPERM|"
rt_policy always "{\"report\": \"always\", \"shim\": \"$RT_SHIM\"}"
rt_run report4 SECCOMP_SHIM_POLICY="$P"
check "report always: opting out is refused" "$rc|${err:0:57}" "125|seccomp-shim: policy reports every denial (report is alwa"
rt_policy report5 "{\"report\": \"on\", \"shim\": \"$RT_SHIM\", \"allowedProfiles\": [\"$WORK/rt/profiles/\"], \"defaultProfile\": \"$WORK/rt/profiles/caps.json\"}"
rt_bundle report5 '["/t.sh"]'
rt_script t.sh '/probe mkdir 0 0; /probe chdir 0'
rt_run report5 SECCOMP_SHIM_POLICY="$P"
check "reporting a profile from a file: the shim gets it resolved (--profile-json), denials named by its rules" \
	"$rc|$(printf '%s' "$out" | tr '\n' ' ')|$(printf '%s\n' "$err" | grep -c 'denied: .* chdir(.*ERRNO(EPERM) by rule --profile-json')|$(config_get 'c["process"]["args"][2]')" \
	"0|errno EFAULT errno EPERM|1|--profile-json"
out=$("$SHIM" --profile-json '{"defaultAction": "SCMP_ACT_ALLOW"}' --profile runtime/default -- true 2>&1)
check "the run: --profile-json with --profile is refused" "$?|$out" "125|seccomp-shim: --profile-json and --profile: give one"
out=$("$SHIM" --profile-json '{"defaultAction": 1}' -- true 2>&1)
check "the run: a bad --profile-json is refused with its place" "$?|$out" "125|seccomp-shim: --profile-json:1:19: defaultAction: expected a string, found an integer"

cp "$WORK/rt/profiles/caps.json" "$WORK/rt/default-nobody.json"
chown nobody "$WORK/rt/default-nobody.json"
rt_policy foreign "{\"defaultProfile\": \"$WORK/rt/default-nobody.json\"}"
rt_bundle foreign '["/bin/true"]'
rt_run foreign SECCOMP_SHIM_POLICY="$P"
check "a defaultProfile file another user may write: refused" "$rc|$(printf '%s' "$err" | grep -c 'belongs to root and is writable by no one else')" "125|1"

rt_bundle forged '["/bin/true"]' "c['annotations'] = {'org.seccomp-shim.report-prefix': '[\"/bin/sh\"]'}"
rt_run forged SECCOMP_SHIM_POLICY=
check "a config that carries the reporting annotation already: refused" "$rc|$(printf '%s' "$err" | grep -c 'is set by seccomp-shim itself')" "125|1"

# features: runc's document, with seccomp-shim's annotations merged in.
out=$("$RT" features)
check "features: runc's, with org.seccomp-shim.* annotations" \
	"$?|$(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("mountOptions" in d, any(k.startswith("org.seccomp-shim.") for k in d.get("annotations", {})))')" \
	"0|True True"

# The hooks: precreate (config in, config out) and check (state in).
rt_bundle hook '["/bin/true"]'
out=$(SECCOMP_SHIM_POLICY= "$SHIM" hook precreate <"$B/config.json")
check "hook precreate: the config on stdout, with the default profile" \
	"$?|$(printf '%s' "$out" | python3 -c 'import json,sys; c=json.load(sys.stdin); print("seccomp" in c["linux"], c["process"]["args"])')" \
	"0|True ['/bin/true']"
out=$("$SHIM" hook precreate --policy "$WORK/rt/refuse.policy.json" <"$B/config.json" 2>&1)
check "hook precreate: a refusal exits 125 with the message" "$?|$out" \
	"125|seccomp-shim: policy forbids Unconfined: linux.seccomp is absent and defaultProfile is refuse ($WORK/rt/refuse.policy.json)"
out=$(printf '{}' | "$SHIM" hook precreat 2>&1)
check "hook with a stage it does not have: refused, naming both" "$?|$out" \
	"125|seccomp-shim: hook: no such hook precreat: give precreate (config on stdin, config on stdout) or check (the container's state on stdin)"
out=$(printf '{"args": [}' | "$SHIM" hook precreate 2>&1)
check "hook precreate: malformed input refused" "$?|$out" "125|seccomp-shim: config.json (precreate hook):1:11: unexpected token near '}'"
HOOK="c['hooks'] = {'createRuntime': [{'path': '$SHIM', 'args': ['seccomp-shim', 'hook', 'check'], 'env': ['SECCOMP_SHIM_POLICY=']}]}"
rt_bundle hook2 '["/bin/echo", "started"]' "$HOOK"
out=$(cd "$B" && "$RT_RUNC" run "${RT_CID}hook2" 2>"$WORK/rt/err" </dev/null)
rc=$?
"$RT_RUNC" delete -f "${RT_CID}hook2" >/dev/null 2>&1
check "hook check (createRuntime, plain runc): a container the policy would change is refused, and does not run" \
	"$rc|$out|$(grep -c 'the policy would change this container (runtime/default (default; linux.seccomp was absent)), and this hook only checks' "$WORK/rt/err")" "1||1"
"$SHIM" export runtime/default --format oci -q -o "$WORK/rt/rd-oci.json"
rt_bundle hook3 '["/bin/echo", "started"]' "$HOOK; c['linux']['seccomp'] = json.load(open('$WORK/rt/rd-oci.json'))"
out=$(cd "$B" && "$RT_RUNC" run "${RT_CID}hook3" 2>"$WORK/rt/err" </dev/null)
rc=$?
"$RT_RUNC" delete -f "${RT_CID}hook3" >/dev/null 2>&1
check "hook check: a container it has nothing to say about runs" "$rc|$out" "0|started"

fi
