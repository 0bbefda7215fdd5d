# Containers under the real runc, with a busybox-static root filesystem:
# the shim as entrypoint prefix, wrapped hooks, oci convert, wrap, unwrap.
# Sourced by run.sh.

echo "# containers (runc)"

STATIC="${SECCOMP_SHIM_STATIC:-$top/seccomp-shim-static}"
PROBE_STATIC="$BUILD/tests/integration/probe-static"
RUNC=$(command -v runc)
BUSYBOX=/bin/busybox
# Container ids unique to this run: several runs may share one machine.
CID="${SECCOMP_SHIM_RUNC_PREFIX:-shim-$$-}"

containers_skip=""
if ! is_root; then
	containers_skip="not root (runc needs root here)"
elif [ -z "$RUNC" ]; then
	containers_skip="runc is not installed (apt-get install runc)"
elif [ ! -x "$BUSYBOX" ] || ldd "$BUSYBOX" >/dev/null 2>&1; then
	containers_skip="busybox-static is not installed"
elif [ ! -x "$STATIC" ] || [ ! -x "$PROBE_STATIC" ]; then
	containers_skip="the static shim or probe is not built (make static)"
fi

if [ -n "$containers_skip" ]; then
	skip "containers under runc" "$containers_skip"
else

if readelf -l "$STATIC" | grep -q INTERP; then
	not_ok "make static: no interpreter" "$(readelf -l "$STATIC" | grep -A1 INTERP)"
else
	ok "make static: one static binary, $(stat -c %s "$STATIC") bytes"
fi

# bundle NAME ARGS-JSON: a fresh bundle with busybox, the static shim and
# probe, and a profile in /etc/seccomp; runc's default config otherwise.
bundle() {
	local b="$WORK/bundles/$1"
	rm -rf "$b" && mkdir -p "$b/rootfs/bin" "$b/rootfs/etc/seccomp"
	cp "$BUSYBOX" "$b/rootfs/bin/busybox"
	for c in sh cat grep sleep echo true touch; do ln -s busybox "$b/rootfs/bin/$c"; done
	cp "$STATIC" "$b/rootfs/seccomp-shim"
	cp "$PROBE_STATIC" "$b/rootfs/probe"
	"$SHIM" export runtime/default --format json -o "$b/rootfs/etc/seccomp/app.json"
	printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$b/rootfs/etc/passwd"
	(cd "$b" && "$RUNC" spec) || return 1
	python3 - "$b/config.json" "$2" <<'EOF_PY'
import json, sys
path, args = sys.argv[1], json.loads(sys.argv[2])
c = json.load(open(path))
c["process"]["terminal"] = False
c["process"]["args"] = args
c["root"]["readonly"] = False
json.dump(c, open(path, "w"), indent=2)
EOF_PY
	B="$b"
}
runc_run() { # runc_run ID: runs $B in the foreground; sets out, rc
	out=$("$RUNC" run --bundle "$B" "$1" 2>"$WORK/runc.err" </dev/null)
	rc=$?
	"$RUNC" delete -f "$1" >/dev/null 2>&1
}
PREFIX='"/seccomp-shim", "--profile", "/etc/seccomp/app.json", "--"'

# The entrypoint prefix, on top of runc's own filter.
bundle entry "[$PREFIX, \"/bin/sh\", \"-c\", \"echo pid=\$\$; grep -E '^(Seccomp|Seccomp_filters|NoNewPrivs):' /proc/self/status; exit 7\"]"
"$SHIM" oci convert runtime/default --bundle "$B" --write -q
check "oci convert --write for the entrypoint bundle succeeds" "$?" 0
runc_run "${CID}entry"
check "entrypoint prefix: PID 1, both filters, no_new_privs, exit status" \
	"$rc|$(printf '%s' "$out" | tr -s '\t\n' '  ')" "7|pid=1 NoNewPrivs: 1 Seccomp: 2 Seccomp_filters: 2"

# Signals reach the target, which is PID 1.
bundle signal "[$PREFIX, \"/bin/sh\", \"-c\", \"trap 'exit 42' TERM; echo ready; while :; do sleep 0.1; done\"]"
"$RUNC" run --bundle "$B" "${CID}signal" >"$WORK/signal.out" 2>&1 </dev/null &
runc_pid=$!
for _ in $(seq 100); do grep -q ready "$WORK/signal.out" 2>/dev/null && break; sleep 0.1; done
"$RUNC" kill "${CID}signal" TERM
wait "$runc_pid"
check "runc kill TERM reaches the target's handler; its exit status comes back" "$?" 42
"$RUNC" delete -f "${CID}signal" >/dev/null 2>&1
bundle kill "[$PREFIX, \"/bin/sleep\", \"100\"]"
"$RUNC" run --bundle "$B" "${CID}kill" >/dev/null 2>&1 </dev/null &
runc_pid=$!
for _ in $(seq 100); do [ "$("$RUNC" state "${CID}kill" 2>/dev/null | grep -c running)" = 1 ] && break; sleep 0.1; done
"$RUNC" kill "${CID}kill" KILL
wait "$runc_pid"
check "runc kill KILL: the target (PID 1, sleep) dies with SIGKILL" "$?" 137
"$RUNC" delete -f "${CID}kill" >/dev/null 2>&1

# The same profile gives the same verdicts from runc's linux.seccomp and
# from the shim inside the container.
CALLS="keyctl:0 unshare:0x10000000 mount:0:0:0:0:0 getuid personality:0xffffffff socket:40:1:0 460 mkdir:0 reboot:0 bpf:0 add_key:0:0:0:0:0 ptrace:0x4206:0"
LOOP="for c in $CALLS; do /probe \$(echo \$c | tr : ' ') 2>&1; done"
bundle by-runc "[\"/bin/sh\", \"-c\", \"$LOOP\"]"
"$SHIM" oci convert runtime/default --bundle "$B" --write -q
check "oci convert --write of runtime/default succeeds (else runc would run unfiltered)" \
	"$?|$(python3 -c 'import json, sys; print("seccomp" in json.load(open(sys.argv[1]))["linux"])' "$B/config.json")" "0|True"
runc_run "${CID}verdicts-runc"
by_runc=$out
bundle by-shim "[$PREFIX, \"/bin/sh\", \"-c\", \"$LOOP\"]"
runc_run "${CID}verdicts-shim"
check "runtime/default: runc (linux.seccomp) and the shim agree on $(echo $CALLS | wc -w) calls" \
	"$out" "$by_runc"
check "... and they are the verdicts expected" "$(printf '%s' "$by_runc" | tr '\n' ' ' | sed 's/ $//')" \
	"errno EPERM errno EPERM errno EPERM ok 0 ok 0 errno EAFNOSUPPORT errno ENOSYS errno EFAULT errno EPERM errno EPERM errno EPERM errno ESRCH"

# A profile from new is a standard one: runc takes the file as it is for
# linux.seccomp, and a shell runs under it.
"$SHIM" new -q --allow @system-service --deny @mount -o "$WORK/new.json"
bundle new-profile '["/bin/sh", "-c", "echo ok; /probe mount 0 0 0 0 0"]'
python3 - "$B/config.json" "$WORK/new.json" <<'EOF_PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["linux"]["seccomp"] = json.load(open(sys.argv[2]))
json.dump(c, open(sys.argv[1], "w"), indent=2)
EOF_PY
runc_run "${CID}new-profile"
check "new --allow @system-service --deny @mount: runc takes the file as linux.seccomp as it is" \
	"$rc|$(printf '%s' "$out" | tr '\n' ' ')" "0|ok errno EPERM"

# Hooks: the shim in front of a createRuntime hook gets the state on stdin
# untouched, confines the hook, runs it as nobody, and its exit status
# decides the start. The hook and what it writes live where nobody can
# reach them ($WORK is root's alone).
HOOKS=$(mktemp -d /tmp/seccomp-shim-hooks.XXXXXX)
trap 'rm -rf "$WORK" "$HOOKS"' EXIT
chmod 0755 "$HOOKS"
mkdir "$HOOKS/out" && chown 65534:65534 "$HOOKS/out"
cat >"$HOOKS/hook.sh" <<'EOF_HOOK'
#!/bin/sh
cat >"$1"
{ grep -E '^Seccomp:' /proc/self/status; echo "uid=$(id -u) gid=$(id -g) groups=$(id -G)"; } >"$1.status"
exit "$2"
EOF_HOOK
chmod 0755 "$HOOKS/hook.sh"
AS_NOBODY="Seccomp: 2 uid=65534 gid=65534 groups=65534"
# The bundle is examples/runc/config.json, with this machine's paths and a
# plain hook in front that records the state too, for comparison.
hooks() { # hooks EXIT
	python3 - "$top/examples/runc/config.json" "$B/config.json" "$HOOKS" "$SHIM" "$1" <<'EOF_PY'
import json, sys
example, path, hooks, shim, code = sys.argv[1:]
c = json.load(open(example))
hook = c["hooks"]["createRuntime"][0]
assert hook["path"] == "/usr/local/bin/seccomp-shim"
hook["path"] = shim
# The example's own hook (after "--") gives way to one that records.
hook["args"][hook["args"].index("--") + 1:] = [hooks + "/hook.sh", hooks + "/out/state-wrapped", code]
c["hooks"]["createRuntime"].insert(0, {"path": hooks + "/hook.sh",
                                       "args": ["hook.sh", hooks + "/out/state-plain", "0"]})
json.dump(c, open(path, "w"), indent=2)
EOF_PY
}
bundle hook '["/bin/true"]'
hooks 0
rm -f "$HOOKS"/out/state-*
runc_run "${CID}hook"
check "examples/runc/config.json: the container starts through the shim" "$rc|$out" "0|started"
check "wrapped hook: the OCI state on stdin, byte for byte" \
	"$(cmp "$HOOKS/out/state-plain" "$HOOKS/out/state-wrapped" 2>&1 && grep -c '"status":"creating"' "$HOOKS/out/state-wrapped")" 1
check "wrapped hook: the hook itself runs filtered, as nobody" \
	"$(tr -s '\t\n' '  ' <"$HOOKS/out/state-wrapped.status" | sed 's/ $//')" "$AS_NOBODY"
bundle hook-fails '["/bin/true"]'
hooks 3
runc_run "${CID}hook-fails"
check "wrapped hook that exits 3: runc does not start the container" \
	"$([ "$rc" != 0 ] && echo failed)|$out" "failed|"

# examples/hooks.d: podman's and CRI-O's hook format, run as they would.
args=$(python3 -c 'import json, sys; h = json.load(open(sys.argv[1]))["hook"]; assert h["path"] == "/usr/local/bin/seccomp-shim"; print("\n".join(h["args"][1:-1]))' \
	"$top/examples/hooks.d/seccomp-shim-hook.json")
mapfile -t hook_args <<<"$args"
printf '{"ociVersion":"1.0.2","id":"x","status":"created","pid":1,"bundle":"/b"}' >"$WORK/state.json"
"$SHIM" "${hook_args[@]}" "$HOOKS/hook.sh" "$HOOKS/out/state-hooksd" 5 <"$WORK/state.json"
check "examples/hooks.d: stdin untouched, exit status returned, filtered, as nobody" \
	"$?|$(cmp -s "$WORK/state.json" "$HOOKS/out/state-hooksd" && echo same)|$(tr -s '\t\n' '  ' <"$HOOKS/out/state-hooksd.status" | sed 's/ $//')" \
	"5|same|$AS_NOBODY"
rm -rf "$HOOKS"

# oci convert: resolved against the bundle's bounding set.
bundle convert '["/bin/true"]'
profile needs-admin <<'EOF_PROFILE'
{ "defaultAction": "SCMP_ACT_ERRNO",
  "syscalls": [ { "names": ["mount"], "action": "SCMP_ACT_ALLOW",
                  "includes": { "caps": ["CAP_SYS_ADMIN"] } },
                { "names": ["getpid"], "action": "SCMP_ACT_ALLOW" } ] }
EOF_PROFILE
# Each rule's names; the last rule is what runc's init needs (oci convert
# adds it to an allow-list that lacks it, and says so).
names() { python3 -c 'import json, sys; print(" | ".join(" ".join(r["names"]) for r in json.load(sys.stdin)["syscalls"]))'; }
RUNC_INIT="brk close epoll_ctl epoll_pwait execve exit exit_group fcntl fstat fstatfs futex getdents64 gettid madvise mmap munmap nanosleep newfstatat openat read rt_sigprocmask rt_sigreturn sched_yield sigaltstack tgkill write"
out=$("$SHIM" oci convert "$WORK/needs-admin.json" --bundle "$B" 2>"$WORK/convert.err" | names)
check "oci convert --bundle: runc's default bounding set has no CAP_SYS_ADMIN" "$out" "getpid | $RUNC_INIT"
check "oci convert says what it adds for runc's init" "$(cat "$WORK/convert.err")" \
	"seccomp-shim: oci convert: also allowed, because runc's init calls them after loading the filter: $RUNC_INIT"
check "oci convert --caps SYS_ADMIN" \
	"$("$SHIM" oci convert -q "$WORK/needs-admin.json" --caps SYS_ADMIN | names)" "mount getpid | $RUNC_INIT"
cp "$B/config.json" "$WORK/before.json"
"$SHIM" oci convert "$WORK/needs-admin.json" --bundle "$B" --write -q
check "oci convert --write keeps the previous config.json" \
	"$(cmp -s "$WORK/before.json" "$B/config.json.orig" && echo kept)" kept
check "oci convert --write changes only linux.seccomp" "$(python3 - "$WORK/before.json" "$B/config.json" <<'EOF_PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
seccomp = b["linux"].pop("seccomp")
print(a == b, seccomp["defaultAction"], [r["names"] for r in seccomp["syscalls"]][0])
EOF_PY
)" "True SCMP_ACT_ERRNO ['getpid']"

# oci wrap and unwrap.
bundle wrap "[\"/bin/sh\", \"-c\", \"grep -E '^Seccomp_filters:' /proc/self/status; /probe keyctl 0\"]"
rm -f "$B/rootfs/seccomp-shim"
cp "$B/config.json" "$WORK/unwrapped.json"
cp "$B/config.json" "$WORK/unwrapped.bytes"
# The static shim from a build tree that then goes away (moved, cleaned):
# the bundle holds its own copy.
mkdir -p "$WORK/tree" && cp "$STATIC" "$WORK/tree/seccomp-shim-static"
out=$("$SHIM" oci wrap "$B" --profile runtime/default --shim "$WORK/tree/seccomp-shim-static" 2>&1)
check "oci wrap" "$?|$out" "0|seccomp-shim: wrapped $B (the previous config.json is config.json.orig; the shim is copied into the bundle as seccomp-shim-static)"
rm -rf "$WORK/tree"
cp "$B/config.json" "$WORK/wrapped.json"
out=$("$SHIM" oci wrap "$B" --profile runtime/default --shim "$STATIC" 2>&1)
check "oci wrap twice: nothing changes, and it says so" \
	"$?|$out|$(cmp -s "$B/config.json" "$WORK/wrapped.json" && echo same)" \
	"0|seccomp-shim: $B is wrapped already; nothing changed|same"
runc_run "${CID}wrapped"
check "a wrapped bundle runs its process under the shim, after the shim it was wrapped with is gone" \
	"$rc|$(printf '%s' "$out" | tr -s '\t\n' '  ')" "0|Seccomp_filters: 1 errno EPERM"
check "... and keeps no cache in the container's root filesystem, which the container could rewrite" \
	"$(find "$B/rootfs" -path '*seccomp-shim*' -name '*.bpf' | wc -l)" 0
out=$("$SHIM" oci unwrap "$B" 2>&1)
check "oci unwrap restores config.json byte for byte" \
	"$?|$out|$(cmp "$WORK/unwrapped.bytes" "$B/config.json" 2>&1 && echo same)" \
	"0|seccomp-shim: unwrapped $B|same"
check "... and leaves nothing of wrap's: no config.json.orig, copy, profile, or rootfs/.seccomp-shim" \
	"$(ls -A "$B" | tr '\n' ' ')|$(ls -A "$B/rootfs" | grep -c seccomp)" "config.json rootfs |0"
out=$("$SHIM" oci unwrap "$B" 2>&1)
check "oci unwrap of an unwrapped bundle says so" "$?|$out" "0|seccomp-shim: $B is not wrapped; nothing changed"
rm -rf "$B" && bundle wrap2 '["/bin/true"]'
mkdir -p "$WORK/lone" "$WORK/pair"
cp "$SHIM" "$WORK/lone/seccomp-shim"
out=$("$WORK/lone/seccomp-shim" oci wrap "$B" --profile runtime/default 2>&1)
check "oci wrap needs a static shim" "$?|$out" \
	"125|seccomp-shim: oci wrap: $WORK/lone/seccomp-shim is dynamically linked, so it cannot run inside an image that lacks its libraries: build one with make static and give it with --shim (or install it beside seccomp-shim as seccomp-shim-static, as make install does)"
cp "$SHIM" "$WORK/pair/seccomp-shim" && cp "$STATIC" "$WORK/pair/seccomp-shim-static"
"$WORK/pair/seccomp-shim" oci wrap "$B" --profile runtime/default -q
check "oci wrap without --shim takes the seccomp-shim-static installed beside it" \
	"$?|$(cmp "$STATIC" "$B/seccomp-shim-static" && echo copied)" "0|copied"
fi
