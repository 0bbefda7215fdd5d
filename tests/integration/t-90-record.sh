# record: an allow-list learnt from a run with seccomp user notification,
# then the same command under it. Sourced by run.sh.

echo "# record"

ESC="$BUILD/tests/integration/escape"
WORKLOAD='ls / >/dev/null; cat /etc/hostname; date +%Y'

out=$("$SHIM" record -q -o "$WORK/rec.json" -- sh -c "$WORKLOAD" 2>&1)
check "record runs the command (its output, its status)" "$?|$out" "0|$(sh -c "$WORKLOAD")"
shim --profile "$WORK/rec.json" -- sh -c "$WORKLOAD"
check "the recorded command runs under the recorded profile" "$rc|$out|$err" "0|$(sh -c "$WORKLOAD")|"
shim --profile "$WORK/rec.json" -- sh -c "mkdir $WORK/never-recorded"
check "a call never recorded (mkdir) fails with EPERM" \
	"$rc|${err##*: }" "1|Operation not permitted"
check "the recorded profile is an allow-list by name, sorted" "$(python3 - "$WORK/rec.json" <<'EOF_PY'
import json, sys
p = json.load(open(sys.argv[1]))
names = p["syscalls"][0]["names"]
print(p["defaultAction"], p["defaultErrnoRet"], p["architectures"], names == sorted(names),
      "execve" in names, "exit_group" in names, "mkdir" in names)
EOF_PY
)" "SCMP_ACT_ERRNO 1 ['SCMP_ARCH_X86_64'] True True True False"
out=$("$SHIM" check --strict "$WORK/rec.json" | tail -1)
check "check --strict passes the recorded profile (execveat allowed though not used)" "$?|$out" "0|1 profile: 0 errors, 0 warnings"

if is_root && command -v setpriv >/dev/null; then
	chmod 777 "$WORK"
	out=$(setpriv --reuid 65534 --regid 65534 --clear-groups "$SHIM" record -q -o "$WORK/nobody.json" -- sh -c "$WORKLOAD" 2>&1)
	check "record works without root" "$?|$out" "0|$(sh -c "$WORKLOAD")"
	out=$(setpriv --reuid 65534 --regid 65534 --clear-groups "$SHIM" --profile "$WORK/nobody.json" -- sh -c "$WORKLOAD" 2>&1)
	check "... and the command runs under what it recorded" "$?|$out" "0|$(sh -c "$WORKLOAD")"
	chmod 755 "$WORK"
elif ! is_root; then
	out=$("$SHIM" record -q -o "$WORK/nobody.json" -- sh -c "$WORKLOAD" 2>&1)
	check "record works without root" "$?|$out" "0|$(sh -c "$WORKLOAD")"
else
	skip "record without root" "setpriv (util-linux) is not installed"
fi

# Nothing the process tree does is missed: strace -f, run under the
# recorder in the same run, sees only syscalls the recording has.
if command -v strace >/dev/null; then
	"$SHIM" record -q -o "$WORK/traced.json" -- strace -f -c -o "$WORK/strace.txt" -- \
		sh -c "$WORKLOAD; $BUILD/tests/integration/threads; (sh -c 'cat /etc/hostname' &); wait" >/dev/null 2>&1
	missing=$(python3 - "$WORK/traced.json" "$WORK/strace.txt" <<'EOF_PY'
import json, re, sys
rec = {n for r in json.load(open(sys.argv[1]))["syscalls"] for n in r["names"]}
seen = set()
for line in open(sys.argv[2]):
    m = re.match(r"\s*[\d.]+\s+[\d.]+\s+\d+\s+\d+\s+(?:\d+\s+)?(\w+)$", line)
    if m and m.group(1) != "total":
        seen.add(m.group(1))
print(len(seen) > 20, sorted(seen - rec))
EOF_PY
)
	check "threads, forks and execs: every syscall strace -f saw is recorded" "$missing" "True []"
else
	skip "record against strace -f" "strace is not installed"
fi

# Several runs: --merge keeps what was there and adds what is new.
"$SHIM" record -q -o "$WORK/a.json" -- sh -c 'ls / >/dev/null'
"$SHIM" record -q -o "$WORK/ab.json" --merge "$WORK/a.json" -- sh -c 'date +%Y; mkdir -p /proc/x 2>/dev/null; true' >/dev/null
shim --profile "$WORK/ab.json" -- sh -c 'ls / >/dev/null && date +%Y'
check "--merge: both commands run under the merged profile" "$rc|$out" "0|$(date +%Y)"
check "--merge: the first profile's rules are kept as they were" \
	"$(python3 -c 'import json, sys; a, b = (json.load(open(p))["syscalls"] for p in sys.argv[1:]); print(a == b[:len(a)], len(b) - len(a))' "$WORK/a.json" "$WORK/ab.json")" \
	"True 1"
# Whatever was recorded, the shim's own check finds nothing to say.
"$SHIM" record -q -o "$WORK/s1.json" -- true
"$SHIM" record -q -o "$WORK/s2.json" --errno ENOSYS -- python3 -c 'import os, socket, threading; socket.socket(socket.AF_UNIX); t = threading.Thread(target=os.getpid); t.start(); t.join()'
"$SHIM" record -q -o "$WORK/s3.json" --format oci -- sh -c 'echo x | cat >/dev/null; sleep 0.1 & wait'
"$SHIM" record -q -o "$WORK/s4.json" --merge "$WORK/s1.json" -- sh -c 'ls / >/dev/null'
out=$("$SHIM" check --strict "$WORK"/s[1-4].json 2>&1)
check "check --strict: records of true, python3, a pipeline (--format oci), a merge" "$?|$out" "0|4 profiles: 0 errors, 0 warnings"
"$SHIM" record -q -o "$WORK/abc.json" --merge "$WORK/ab.json" -- sh -c "echo 'a b'" >/dev/null
check "--merge keeps the provenance and adds the new run's (arguments quoted)" \
	"$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["comment"])' "$WORK/abc.json")" \
	"Recorded by seccomp-shim record from: sh -c 'ls / >/dev/null'; added by seccomp-shim record from: sh -c 'date +%Y; mkdir -p /proc/x 2>/dev/null; true'; added by seccomp-shim record from: sh -c 'echo '\''a b'\'''"
out=$("$SHIM" record -q -o "$WORK/x.json" --merge audit -- echo ran 2>&1)
check "--merge with a profile that is not an allow-list: refused before the command runs" "$?|$out" \
	"125|seccomp-shim: record: audit: --merge needs an allow-list (defaultAction SCMP_ACT_ERRNO), not SCMP_ACT_LOG"

# Signals landing while a notified call waits for the recorder fail it
# with EINTR; a shell's pipelines (SIGCHLD, no SA_RESTART) must not break.
PIPES='for i in $(seq 100); do echo x | cat | cat >/dev/null; done; echo done'
bad=0
for i in 1 2 3 4 5; do
	out=$(timeout 60 "$SHIM" record -q -o "$WORK/pipes.json" -- sh -c "$PIPES" 2>&1)
	[ "$out" = done ] || bad=$((bad + 1))
done
check "5 runs of 100 three-stage pipelines under record: no fork or pipe fails, nothing hangs" "$bad" 0
shim --profile "$WORK/pipes.json" -- sh -c "$PIPES"
check "... and they run under the profile recorded" "$rc|$out" "0|done"
shim --profile "$WORK/pipes.json" -- "$PROBE" clone 0x10000000
check "the recorded profile allows clone only without CLONE_NEW* flags" "$out" "errno EPERM"
shim --profile "$WORK/pipes.json" -- "$PROBE" clone3 0 0
check "... and answers clone3 with ENOSYS, so libc falls back to clone" "$out" "errno ENOSYS"

# Calls whose danger is in an argument are allowed only with the values
# the run used: socket's family, ioctl's request, personality, unshare,
# clone's namespace flags. The interpreter itself, not a python3 found
# first on PATH that may be a shell-script shim (pyenv's): bash without HOME
# looks the user up through NSS, which opens AF_UNIX sockets (nscd,
# systemd-userdb), and those would rightly be recorded too. -S: site.py
# does the same lookup for ~. It prints, so that write is recorded and the
# denial's traceback can be read.
PY=$(python3 -c 'import sys; print(sys.executable)')
SOCK='import socket; socket.socket(socket.AF_INET); print("made")'
"$SHIM" record -q -o "$WORK/sock.json" -- "$PY" -S -c "$SOCK"
check "socket: allowed only for the family used (AF_INET, args[0] EQ 2)" \
	"$(python3 -c 'import json, sys; print([(r["args"], "socket" in r["names"]) for r in json.load(open(sys.argv[1]))["syscalls"] if "socket" in r["names"]])' "$WORK/sock.json")" \
	"[([{'index': 0, 'value': 2, 'valueTwo': 0, 'op': 'SCMP_CMP_EQ'}], True)]"
shim --profile "$WORK/sock.json" -- "$PY" -S -c "$SOCK"
check "... the same command runs under the recorded profile" "$rc|$err" "0|"
shim --profile "$WORK/sock.json" -- "$PY" -S -c 'import socket; socket.socket(socket.AF_UNIX)'
check "... and AF_UNIX, which it did not use, is denied" "$rc|${err##*$'\n'}" "1|PermissionError: [Errno 1] Operation not permitted"
out=$("$SHIM" check --strict "$WORK/sock.json")
check "... check --strict passes it" "$?|$out" "0|1 profile: 0 errors, 0 warnings"
"$SHIM" record -q -o "$WORK/sock-rd.json" --merge runtime/default -- "$PY" -S -c "$SOCK"
out=$("$SHIM" check --strict "$WORK/sock-rd.json")
check "--merge runtime/default: nothing shadows its own socket and clone rules (check --strict)" "$?|$out" "0|1 profile: 0 errors, 0 warnings"
"$SHIM" record -q -o "$WORK/sock-wide.json" --wide -- "$PY" -S -c "$SOCK"
shim --profile "$WORK/sock-wide.json" -- "$PY" -S -c 'import socket; socket.socket(socket.AF_UNIX)'
check "--wide: socket allowed for any family, as before" \
	"$rc|$(python3 -c 'import json, sys; print("socket" in json.load(open(sys.argv[1]))["syscalls"][0]["names"])' "$WORK/sock-wide.json")" "0|True"

# With the probe: values the kernel refuses anyway (EINVAL, EBADF), so that
# only the filter's answer differs; EPERM is the filter's.
NARROW="$PROBE ioctl 99 0x5401; $PROBE personality 0xffffffff >/dev/null; $PROBE unshare 0x1; $PROBE clone 0x10000200"
out=$("$SHIM" record -q -o "$WORK/narrow.json" -- sh -c "$NARROW")
check "recorded: ioctl(99, TCGETS), personality(query), unshare(1), clone(NEWUSER|FS)" "$out" \
	"errno EBADF
errno EINVAL
errno EINVAL"
for probe in "ioctl 99 0x5401|errno EBADF" "ioctl 99 0x5413|errno EPERM" \
	"personality 0xffffffff|ok" "personality 0x40000|errno EPERM" \
	"unshare 0x1|errno EINVAL" "unshare 0x2|errno EPERM" \
	"clone 0x10000200|errno EINVAL" "clone 0x20200|errno EPERM"; do
	shim --profile "$WORK/narrow.json" -- $PROBE ${probe%|*}
	check "... replayed: ${probe%|*} gets ${probe#*|}" "${out%% [0-9]*}" "${probe#*|}"
done
out=$("$SHIM" check --strict "$WORK/narrow.json")
check "... check --strict passes it" "$?|$out" "0|1 profile: 0 errors, 0 warnings"
"$SHIM" record -q -o "$WORK/narrow2.json" --merge "$WORK/narrow.json" -- sh -c "$NARROW; $PROBE ioctl 99 0x5413" >/dev/null
out=$(python3 -c 'import json, sys; a, b = (json.load(open(p))["syscalls"] for p in sys.argv[1:]); print(b[:len(a)] == a, [r["names"] + [x["value"] for x in r["args"]] for r in b[len(a):]])' "$WORK/narrow.json" "$WORK/narrow2.json")
check "--merge adds only the ioctl request that is new" "$out" "True [['ioctl', 21523]]"

# Options and statistics.
"$SHIM" record -q -o "$WORK/oci.json" --format oci --errno ENOSYS -- true
check "--format oci --errno ENOSYS" "$(python3 -c 'import json, sys; p = json.load(open(sys.argv[1])); print("comment" in p, p["defaultErrnoRet"])' "$WORK/oci.json")" "False 38"
out=$("$SHIM" record -o "$WORK/s.json" --stats -- true 2>&1 >/dev/null)
check "--stats: each syscall with its count, and the total" \
	"$(printf '%s\n' "$out" | head -1)|$(printf '%s\n' "$out" | grep -c ' execve ')|$(printf '%s\n' "$out" | grep -c 'total, [0-9]* distinct')" \
	"     calls  syscall                  arch|1|1"

# The command's exit status and signals.
"$SHIM" record -q -o "$WORK/exit.json" -- sh -c 'exit 9'
check "record exits with the command's status" "$?" 9
"$SHIM" record -q -o "$WORK/term.json" -- sh -c 'trap "exit 3" TERM; echo ready; while :; do sleep 0.1; done' >"$WORK/term.out" &
rec_pid=$!
for _ in $(seq 100); do grep -q ready "$WORK/term.out" 2>/dev/null && break; sleep 0.1; done
kill -TERM "$rec_pid"
wait "$rec_pid"
check "SIGTERM to the recorder reaches the command; its status comes back; the profile is written" \
	"$?|$(python3 -c 'import json, sys; print("wait4" in json.load(open(sys.argv[1]))["syscalls"][0]["names"])' "$WORK/term.json")" "3|True"
out=$("$SHIM" record -q -o "$WORK/intr.json" -- sh -c 'sleep 5 & p=$!; sleep 0.2; kill $p; wait $p; echo $?' 2>/dev/null)
check "interrupted syscalls in the target" "$out" 143

# Targets with filters of their own.
out=$("$SHIM" record -q -o "$WORK/nested.json" -- "$SHIM" --profile runtime/default -- sh -c 'grep Seccomp_filters: /proc/self/status' 2>&1)
check "a target that loads its own filter (the shim itself)" "$out" "Seccomp_filters:	2"
out=$("$SHIM" record -q -o "$WORK/listener.json" -- "$ESC" listener 2>&1)
check "a target that wants to be a seccomp agent is told why it cannot" "$out" \
	"errno EBUSY
seccomp-shim: record: the command asked for its own seccomp listener (SECCOMP_FILTER_FLAG_NEW_LISTENER); the kernel allows one per process tree, so it got EBUSY and that path was not recorded as it would run"
out=$("$SHIM" record -o "$WORK/none.json" -- no-such-command-anywhere 2>&1)
check "record of a command not found" "$?" 127

# The output is checked before the command runs, not after.
out=$("$SHIM" record -o "$WORK/no/such/dir/x.json" -- sh -c "touch $WORK/ran" 2>&1)
check "-o in a directory that does not exist: exit 125 before the command runs" \
	"$?|$out|$(ls "$WORK/ran" 2>&1 >/dev/null | wc -l)" \
	"125|seccomp-shim: record: cannot write $WORK/no/such/dir/x.json: cannot create a file in $WORK/no/such/dir: No such file or directory; the command was not run|1"
if is_root && command -v setpriv >/dev/null; then
	mkdir "$WORK/ro" && chmod 555 "$WORK/ro" && chmod 777 "$WORK"
	out=$(setpriv --reuid 65534 --regid 65534 --clear-groups "$SHIM" record -o "$WORK/ro/x.json" -- sh -c "touch $WORK/ran" 2>&1)
	check "-o in a directory the user cannot write: exit 125 before the command runs" \
		"$?|${out##*: }|$(ls "$WORK/ran" 2>&1 >/dev/null | wc -l)" \
		"125|Permission denied; the command was not run|1"
	chmod 755 "$WORK"
fi
echo '{}' >"$WORK/linked.json"
ln -s linked.json "$WORK/link.json"
"$SHIM" record -q -o "$WORK/link.json" -- true
check "-o a symlink writes the file it names, and leaves no temporary" \
	"$(readlink "$WORK/link.json")|$(grep -c 'from: true' "$WORK/linked.json")|$(ls -A "$WORK" | grep -c '^\.')" "linked.json|1|0"
out=$("$SHIM" record -q -o /dev/stdout -- true | python3 -c 'import json, sys; print(json.load(sys.stdin)["defaultAction"])')
check "-o /dev/stdout" "$out" SCMP_ACT_ERRNO

# Recorded on the host, run by runc: oci convert adds what runc's init needs.
if [ -z "$containers_skip" ] && declare -F bundle >/dev/null; then
	"$SHIM" record -q -o "$WORK/bb.json" -- "$BUSYBOX" sh -c 'ls / >/dev/null; cat /etc/hostname; echo done' >/dev/null
	bundle recorded '["/bin/sh", "-c", "ls / >/dev/null; cat /etc/hostname; echo done"]'
	echo box >"$B/rootfs/etc/hostname"
	ln -s busybox "$B/rootfs/bin/ls"
	out=$("$SHIM" oci convert "$WORK/bb.json" --bundle "$B" --write 2>&1)
	check "oci convert names what runc's init needs beyond the recording" \
		"$(printf '%s\n' "$out" | grep -c "also allowed, because runc's init calls them after loading the filter")" 1
	runc_run recorded
	check "the recorded profile loads in runc and the command runs there" "$rc|$out" "0|box
done"
else
	skip "recorded profile under runc" "${containers_skip:-the container section did not run}"
fi
