# Supervised runs: --report, --complain, --init. Each denial is named by
# the supervisor, and the target gets what it gets without supervision:
# every outcome is compared with an unsupervised run of the same probe.
# Sourced by run.sh; runs alone too (tests/integration/run.sh t-95-report.sh).

echo "# supervised runs (--report, --complain, --init)"

ESC="$BUILD/tests/integration/escape"
# What a process ended with, as its parent sees it: "exit N" or "signal
# NAME [core]", and its stdout; stderr (the reports) goes to $WORK/rep.
ended() {
	python3 - "$@" 2>"$WORK/rep" <<'EOF_PY'
import signal, subprocess, sys
p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
how = "exit %d" % p.returncode if p.returncode >= 0 else "signal " + signal.Signals(-p.returncode).name
print(how + "|" + p.stdout.decode(errors="replace").strip().replace("\n", " "))
EOF_PY
}

profile verdicts <<'EOF'
{
  "defaultAction": "SCMP_ACT_ALLOW",
  "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
  "syscalls": [
    { "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO" },
    { "names": ["rmdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13 },
    { "names": ["getpgid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38 },
    { "names": ["keyctl"], "action": "SCMP_ACT_KILL_PROCESS" },
    { "names": ["add_key"], "action": "SCMP_ACT_KILL_THREAD" },
    { "names": ["request_key"], "action": "SCMP_ACT_TRAP" },
    { "names": ["getpriority"], "action": "SCMP_ACT_LOG" },
    { "names": ["acct"], "action": "SCMP_ACT_TRACE" },
    { "names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": 97,
      "args": [ { "index": 0, "value": 40, "op": "SCMP_CMP_EQ" } ] },
    { "names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 22,
      "args": [ { "index": 0, "value": 8, "op": "SCMP_CMP_EQ" } ] }
  ]
}
EOF
V="$WORK/verdicts.json"

# ---------------------------------------------------------------------------
# The same probes with and without supervision: every outcome the same.
CALLS=("mkdir 0" "rmdir 0" "getpgid 0" "keyctl 0" "add_key 0" "request_key 0"
	"--trap request_key 0" "getpriority 0 0" "acct 0" "socket 40 1 0" "socket 1 1 0"
	"personality 8" "personality 0xffffffff" "getuid")
same=0 differ=()
for c in "${CALLS[@]}"; do
	# shellcheck disable=SC2086
	plain=$(ended "$SHIM" -q --profile "$V" -- "$PROBE" $c)
	# shellcheck disable=SC2086
	supervised=$(ended "$SHIM" -q --report --profile "$V" -- "$PROBE" $c)
	if [ "$plain" = "$supervised" ]; then same=$((same + 1)); else differ+=("$c: $plain vs $supervised"); fi
done
check "${#CALLS[@]} probes (ERRNO, KILL_PROCESS, KILL_THREAD, TRAP, LOG, TRACE, argument rules): the same outcome with --report" \
	"$same" "${#CALLS[@]}"
[ ${#differ[@]} -eq 0 ] || printf '     %s\n' "${differ[@]}"
check "... and they are the profile's verdicts" \
	"$(for c in "mkdir 0" "rmdir 0" "getpgid 0" "keyctl 0" "--trap request_key 0" "socket 40 1 0" "acct 0"; do ended "$SHIM" -q --report --profile "$V" -- "$PROBE" $c; done | tr '\n' ' ')" \
	"exit 0|errno EPERM exit 0|errno EACCES exit 0|errno ENOSYS signal SIGSYS| exit 0|sigsys 249 exit 0|errno EAFNOSUPPORT exit 0|errno ENOSYS "

# The allow-list kind of profile (runtime/default without capabilities):
# the default action, the ENOSYS stub and argument rules.
RD=(--cap-drop ALL --profile runtime/default)
RD_CALLS=("keyctl 0" "unshare 0x10000000" "mount 0 0 0 0 0" "personality 0xffffffff" "personality 0x400000"
	"socket 40 1 0" "460" "reboot 0" "bpf 0" "ptrace 0x4206 0" "clone3 0 0")
same=0 differ=()
for c in "${RD_CALLS[@]}"; do
	# shellcheck disable=SC2086
	plain=$(ended "$SHIM" -q "${RD[@]}" -- "$PROBE" $c)
	# shellcheck disable=SC2086
	supervised=$(ended "$SHIM" -q --report "${RD[@]}" -- "$PROBE" $c)
	if [ "$plain" = "$supervised" ]; then same=$((same + 1)); else differ+=("$c: $plain vs $supervised"); fi
done
check "runtime/default, ${#RD_CALLS[@]} probes (default action, ENOSYS stub, clone3 rule, argument rules): the same outcome with --report" \
	"$same" "${#RD_CALLS[@]}"
[ ${#differ[@]} -eq 0 ] || printf '     %s\n' "${differ[@]}"

# ---------------------------------------------------------------------------
# The issue's check: a denied mkdir in a shell, named with its path, errno
# and rule; the target's own output and status as without supervision.
profile no-mkdir <<'EOF'
{
  "defaultAction": "SCMP_ACT_ALLOW",
  "syscalls": [
    { "names": ["getpid"], "action": "SCMP_ACT_ALLOW" },
    { "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO" }
  ]
}
EOF
rm -rf "$WORK/x"
plain=$(ended "$SHIM" --profile "$WORK/no-mkdir.json" -- sh -c "mkdir $WORK/x; id")
plain_err=$(cat "$WORK/rep")
supervised=$(ended "$SHIM" --report --profile "$WORK/no-mkdir.json" -- sh -c "mkdir $WORK/x; id")
check "sh -c 'mkdir; id': output and status the same with --report" "$supervised" "$plain"
check "... the target's own stderr too" "$(grep -v '^seccomp-shim: ' "$WORK/rep")" "$plain_err"
line=$(grep '^seccomp-shim: denied: ' "$WORK/rep")
check "... and one line names mkdir, the path as read, EPERM and the rule's file:line" \
	"$(printf '%s' "$line" | grep -c "x86_64 mkdir(\"$WORK/x\" (as read), 0777, .*): ERRNO(EPERM) by rule $WORK/no-mkdir.json:5:17 (syscalls\[1\].names\[0\])$")" 1
check "... with time, pid, comm and exe" \
	"$(printf '%s' "$line" | sed -E 's/^seccomp-shim: denied: [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z pid [0-9]+ \("mkdir", ([^)]*)\) .*/\1/')" \
	"$(readlink -f "$(command -v mkdir)")"
check "... and the summary counts it" "$(grep -c '^seccomp-shim: *1  x86_64 mkdir ERRNO(EPERM)  first pid [0-9]*  by rule ' "$WORK/rep")" 1

# mkdirat, with a directory descriptor; an allow-list whose default denies.
profile allowlist <<'EOF'
{
  "defaultAction": "SCMP_ACT_ERRNO",
  "defaultErrnoRet": 1,
  "syscalls": [ { "names": ["mkdir", "mkdirat", "rmdir", "unlinkat", "ptrace"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13 } ]
}
EOF
"$SHIM" record -q -o "$WORK/py.json" --merge "$WORK/allowlist.json" -- python3 -c 'import os; fd = os.open("/", os.O_RDONLY); os.getpid()' >/dev/null 2>&1
out=$(ended "$SHIM" --report --profile "$WORK/py.json" -- python3 -c "import os
fd = os.open('$WORK', os.O_RDONLY)
try: os.mkdir('made-at', dir_fd=fd)
except OSError as e: print(e.errno)")
check "mkdirat: the profile's errno comes back" "$out" "exit 0|13"
check "... named with its directory descriptor and path" \
	"$(grep -c 'x86_64 mkdirat([0-9]*, "made-at" (as read), 0777, .*): ERRNO(EACCES) by rule ' "$WORK/rep")" 1
out=$(ended "$SHIM" --report --profile "$WORK/py.json" -- python3 -c 'import os; os.chroot("/")')
check "a call the allow-list does not name: the default action decides" \
	"$(grep -c 'x86_64 chroot("/" (as read), .*): ERRNO(EPERM) by default action ([^)]*py.json:[0-9]*:[0-9]*)$' "$WORK/rep")" 1

# ---------------------------------------------------------------------------
# The whole tree: a forked child, a second thread, after an exec; JSON.
rm -rf "$WORK/t1" "$WORK/t2" "$WORK/t3"
out=$("$SHIM" --report="$WORK/tree.jsonl" --report-format json --profile "$WORK/no-mkdir.json" -- sh -c "
	mkdir $WORK/t1 2>/dev/null & echo child=\$!; wait
	python3 -c 'import os, threading
def f():
    try: os.mkdir(\"$WORK/t2\")
    except OSError: pass
t = threading.Thread(target=f); t.start(); print(\"thread=%d\" % os.getpid()); t.join()'
	exec mkdir $WORK/t3 2>/dev/null" 2>"$WORK/tree.err"; echo "rc=$?")
check "--report=FILE: nothing on stderr, the command's status" "$(cat "$WORK/tree.err")|${out##*rc=}" "|1"
check "the JSON lines parse; the tree's denials with their pids (child, thread, after exec)" "$(python3 - "$WORK/tree.jsonl" "$out" <<'EOF_PY'
import json, re, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
info = dict(re.findall(r"(\w+)=(\d+)", sys.argv[2]))
den = [l for l in lines if l["type"] == "denial"]
paths = {l["strings_as_read"]["0"].rsplit("/", 1)[1]: l for l in den}
t1, t2, t3 = paths["t1"], paths["t2"], paths["t3"]
print(len(den), t1["pid"] == int(info["child"]), t2["pid"] == int(info["thread"]) != t2["tid"],
      t3["comm"], t3["exe"].endswith("/mkdir"), sorted({l["type"] for l in lines}),
      [lines[-2]["syscall"], lines[-2]["count"]] if lines[-2]["type"] == "summary" else lines[-2],
      all(l["verdict"] == "ERRNO(EPERM)" and l["errno"] == "EPERM" and l["line"] == 5 and l["decided_by"] == "rule" for l in den))
EOF_PY
)" "3 True True mkdir True ['denial', 'end', 'summary'] ['mkdir', 3] True"

# i386 code (int 0x80): its arch, its number, its 32-bit pointer read.
if [[ $(uname -m) == x86_64 ]] && [ "$("$ESC" int80 39 "$WORK/i386-control" 2>&1)" = "ok 0" ]; then
	out=$(ended "$SHIM" --report --profile "$V" -- "$ESC" int80 39 "$WORK/i386")
	check "i386 mkdir through int 0x80: EPERM, named as x86 mkdir with its path" \
		"$out|$(grep -c "x86 mkdir(\"$WORK/i386\" (as read), " "$WORK/rep")" "exit 0|errno EPERM|1"
else
	skip "i386 denials" "int 0x80 does not work here"
fi

# Root or not, and helpers that would be set-user-ID: under no_new_privs
# they run as the caller, under the same filter, and are reported.
if is_root && command -v setpriv >/dev/null; then
	mkdir -p "$WORK/nobody" && chmod 755 "$WORK" && chmod 777 "$WORK/nobody"
	cp "$(command -v mkdir)" "$WORK/suid-mkdir" && chmod 4755 "$WORK/suid-mkdir"
	cp "$WORK/no-mkdir.json" "$WORK/nobody/p.json" && chmod 644 "$WORK/nobody/p.json"
	out=$(setpriv --reuid 65534 --regid 65534 --clear-groups "$SHIM" --report --profile "$WORK/nobody/p.json" -- \
		sh -c "id -u; $WORK/suid-mkdir $WORK/nobody/d 2>/dev/null; echo \$?" 2>"$WORK/rep")
	check "without root, a set-user-ID helper: it runs as the caller, its mkdir is denied and reported" \
		"$(printf '%s' "$out" | tr '\n' ' ')|$(grep -c "(\"suid-mkdir\", $WORK/suid-mkdir) x86_64 mkdir(\"$WORK/nobody/d\" (as read), " "$WORK/rep")" \
		"65534 1|1"
	out=$("$SHIM" --report --user nobody --profile "$WORK/nobody/p.json" -- sh -c "id -u; mkdir $WORK/nobody/e 2>/dev/null; echo \$?" 2>"$WORK/rep")
	check "--user nobody: the command as nobody, the supervisor as root, the denial reported" \
		"$(printf '%s' "$out" | tr '\n' ' ')|$(grep -c "x86_64 mkdir(\"$WORK/nobody/e\" (as read), " "$WORK/rep")" "65534 1|1"
	chmod 700 "$WORK"
else
	skip "supervised runs without root" "needs root (to become nobody) and setpriv"
fi

# Decoded arguments.
out=$(ended "$SHIM" --report --profile "$V" -- "$PROBE" socket 40 0x80801 0)
check "socket's family and type decoded" \
	"$(grep -o 'socket(AF_VSOCK, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC, 0, 0, 0, 0): ERRNO(EAFNOSUPPORT) by rule [^ ]* (syscalls\[8\].names\[0\], when arg0 == 0x28)' "$WORK/rep")" \
	"socket(AF_VSOCK, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC, 0, 0, 0, 0): ERRNO(EAFNOSUPPORT) by rule $V:13:17 (syscalls[8].names[0], when arg0 == 0x28)"
out=$(ended "$SHIM" --report --profile "$V" -- "$PROBE" personality 8)
check "personality decoded" "$(grep -c 'personality(PER_LINUX32, ' "$WORK/rep")" 1
out=$(ended "$SHIM" --report "${RD[@]}" -- "$PROBE" unshare 0x10000000)
check "unshare's flags decoded; runtime/default's rule named" \
	"$(grep -c 'unshare(CLONE_NEWUSER, 0, 0, 0, 0, 0): ERRNO(EPERM) by rule runtime/default:[0-9]*:[0-9]* (syscalls\[[0-9]*\].names\[[0-9]*\])$' "$WORK/rep")" 1

# ---------------------------------------------------------------------------
# Kills are the kernel's own: exact by construction, named from the
# kernel's audit record where it can be read, else by the end they cause.
for try in 1 2 3; do # audit records are asynchronous and rate-limited
	out=$(ended "$SHIM" --report --profile "$V" -- "$PROBE" keyctl 0)
	grep -q 'keyctl(arguments not seen' "$WORK/rep" && break
	[ -r /proc/self/loginuid ] && [ "$(id -u)" = 0 ] || break
	sleep 1
done
if grep -q 'keyctl(arguments not seen' "$WORK/rep"; then
	check "KILL_PROCESS: named from the kernel's audit record, with its rule, once" \
		"$out|$(grep -c "x86_64 keyctl(arguments not seen: the kernel's own action, from its audit record): KILL_PROCESS by rule $V:8:17 (syscalls\[3\].names\[0\])$" "$WORK/rep")|$(grep -c 'killed by SIGSYS' "$WORK/rep")" \
		"signal SIGSYS||1|0"
	# The kernel's audit records come asynchronously and are rate-limited
	# (kauditd): a record lost under load is retried, up to three runs.
	for try in 1 2 3; do
		out=$(ended "$SHIM" --report --profile "$V" -- sh -c "$PROBE add_key 0; echo after")
		named=$(grep -c 'add_key(arguments not seen: .*): KILL_THREAD by rule ' "$WORK/rep")
		[ "$named" = 1 ] && break
		sleep 1
	done
	check "KILL_THREAD in a child of the target: named from its record" "$out|$named" "exit 0|after|1"
else
	skip "kills named from the kernel's audit records" "they cannot be read here (not root on the host)"
	check "KILL_PROCESS: the target's end is reported" \
		"$out|$(grep -c 'killed by SIGSYS: a KILL_PROCESS, KILL_THREAD or TRAP verdict' "$WORK/rep")" "signal SIGSYS||1"
fi

# ---------------------------------------------------------------------------
# --complain: reported, allowed, and the profile it writes lets the next
# plain run through.
rm -rf "$WORK/c"
out=$(ended "$SHIM" --complain --complain-output "$WORK/complained.json" --profile "$WORK/no-mkdir.json" -- mkdir "$WORK/c")
check "--complain: a denied mkdir succeeds" "$out|$([ -d "$WORK/c" ] && echo made)" "exit 0||made"
check "... and is reported as allowed" \
	"$(grep -c "^seccomp-shim: allowed (complain): .* mkdir(\"$WORK/c\" (as read), .*): ERRNO(EPERM) by rule " "$WORK/rep")" 1
rm -rf "$WORK/c"
check "... the profile it writes lets the next plain run make it" \
	"$(ended "$SHIM" --profile "$WORK/complained.json" -- mkdir "$WORK/c")|$([ -d "$WORK/c" ] && echo made)" "exit 0||made"
check "... and still denies what it denied and the run did not need" \
	"$(ended "$SHIM" --profile "$WORK/complained.json" -- "$PROBE" mkdirat 0 0 0)" "exit 0|errno EPERM"
# An allow-list: the default denied it; the written profile allows only
# the value seen (record's narrowing).
out=$(ended "$SHIM" --complain --complain-output "$WORK/complained-rd.json" "${RD[@]}" -- "$PROBE" unshare 0x10000000)
check "--complain, runtime/default: unshare(CLONE_NEWUSER) goes ahead" "$out" "exit 0|ok 0"
# (The rule that denied every unshare with EPERM lost the name: other
# values now get the default action's ENOSYS.)
check "... the profile written allows it, and not unshare(CLONE_NEWNET)" \
	"$(ended "$SHIM" -q --cap-drop ALL --profile "$WORK/complained-rd.json" -- "$PROBE" unshare 0x10000000)|$(ended "$SHIM" -q --cap-drop ALL --profile "$WORK/complained-rd.json" -- "$PROBE" unshare 0x40000000)" \
	"exit 0|ok 0|exit 0|errno ENOSYS"
check "... and says where the addition comes from" \
	"$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["comment"].endswith("Added by seccomp-shim --complain from: " + sys.argv[2] + " unshare 0x10000000"))' "$WORK/complained-rd.json" "$PROBE")" True
out=$(ended "$SHIM" --complain --profile "$V" -- "$PROBE" keyctl 0)
check "--complain: a KILL_PROCESS call goes ahead too" "$out|$(grep -c 'allowed (complain): .* keyctl(0, .*): KILL_PROCESS by rule ' "$WORK/rep")" "exit 0|errno EINVAL|1"
out=$(ended "$SHIM" --complain "${RD[@]}" -- "$PROBE" 460)
check "--complain: a number the profile does not name (the ENOSYS stub) goes ahead, to the kernel" \
	"$out|$(grep -c 'allowed (complain): .* syscall_460(.*): ERRNO(ENOSYS) by the ENOSYS stub' "$WORK/rep")" \
	"exit 0|$("$PROBE" 460)|1"

profile no-exec <<'EOF'
{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["execve"], "action": "SCMP_ACT_ERRNO" } ] }
EOF
out=$("$SHIM" --report --profile "$WORK/no-exec.json" -- true 2>&1)
check "--report: a profile that blocks execve is refused as in a plain run" \
	"$?|$out" "125|$("$SHIM" --profile "$WORK/no-exec.json" -- true 2>&1)"
out=$(ended "$SHIM" --complain --profile "$WORK/no-exec.json" -- true)
check "--complain: the command's own execve goes ahead, reported" \
	"$out|$(grep -c 'allowed (complain): .* execve(".*true" (as read), ' "$WORK/rep")" "exit 0||1"

# ---------------------------------------------------------------------------
# The supervisor killed: nothing denied succeeds; the target dies with it;
# what it left running gets ENOSYS for the calls the profile denies.
rm -rf "$WORK/k" && mkdir "$WORK/k"
"$SHIM" -q --report --profile "$WORK/no-mkdir.json" -- sh -c "
	(setsid sh -c 'i=0; while [ \$i -lt 30 ]; do mkdir $WORK/k/g\$i 2>>$WORK/k.gerr; i=\$((i+1)); sleep 0.05; done' &)
	while :; do mkdir $WORK/k/t 2>/dev/null; echo \$\$ >$WORK/k.pid; sleep 0.01; done" >/dev/null 2>&1 &
sup=$!
for _ in $(seq 100); do [ -s "$WORK/k.pid" ] && break; sleep 0.05; done
sleep 0.2
{ kill -9 "$sup" && wait "$sup"; } 2>/dev/null
sleep 0.3
target=$(cat "$WORK/k.pid")
# (Gone, or a zombie its new parent has yet to reap.)
check "supervisor killed: the target dies with it" \
	"$(awk '$1 == "State:" && $2 != "Z" { print "alive" }' "/proc/$target/status" 2>/dev/null)" ""
for _ in $(seq 60); do pgrep -f "mkdir $WORK/k/g" >/dev/null || [ "$(grep -c . "$WORK/k.gerr")" -ge 30 ] && break; sleep 0.1; done
check "... nothing was made, and a process left running gets ENOSYS, never success" \
	"$(ls "$WORK/k" | wc -l)|$(grep -c 'Function not implemented' "$WORK/k.gerr" | awk '{ print ($1 > 0) }')" "0|1"

# ---------------------------------------------------------------------------
# What it cannot see, said once; a second listener refused.
out=$("$SHIM" -q --profile "$V" -- "$SHIM" --report --profile "$V" -- "$PROBE" getpid 2>&1)
check "under an outer filter: one warning that its denials are not reported" \
	"$(printf '%s\n' "$out" | grep -c 'seccomp-shim already runs under 1 seccomp filter')" 1
out=$("$SHIM" record -q -o "$WORK/r.json" -- "$SHIM" --report --profile "$V" -- true 2>&1)
check "a listener already there (record): refused, clearly, 125" "$?|$(printf '%s\n' "$out" | grep -c 'a seccomp listener already exists for this process')" "125|1"
out=$("$SHIM" --report="$WORK/no/such/dir/r.log" --profile "$V" -- touch "$WORK/never" 2>&1)
check "--report=FILE that cannot be written: 125 and the command was not run" \
	"$?|$([ -e "$WORK/never" ] && echo ran)|$out" "125||seccomp-shim: --report=$WORK/no/such/dir/r.log: No such file or directory; the command was not run"
out=$("$SHIM" --report --profile unconfined -- true 2>&1)
check "--report with an unconfined profile: refused" "$?|$out" "125|seccomp-shim: --report: the profile is unconfined, so nothing is ever denied"
out=$("$SHIM" --report-format json --profile "$V" -- touch "$WORK/never" 2>&1)
check "--report-format without --report or --complain: refused, nothing run" \
	"$?|$([ -e "$WORK/never" ] && echo ran)|$out" "125||seccomp-shim: --report-format goes with --report or --complain"
out=$("$SHIM" --complain-output="$WORK/c.json" --profile "$V" -- touch "$WORK/never" 2>&1)
check "--complain-output without --complain: refused, nothing run" \
	"$?|$([ -e "$WORK/never" ] && echo ran)|$out" "125||seccomp-shim: --complain-output goes with --complain"
out=$("$SHIM" --signal-group --profile "$V" -- touch "$WORK/never" 2>&1)
check "--signal-group without --init, --report or --complain: refused, nothing run" \
	"$?|$([ -e "$WORK/never" ] && echo ran)|$out" "125||seccomp-shim: --signal-group goes with --init, --report or --complain"

# Between loading the filter and execve the child's own calls may be
# notified: a profile that denies close does not hang the run.
profile no-close <<'EOF'
{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["close"], "action": "SCMP_ACT_ERRNO" } ] }
EOF
plain=$(ended timeout 20 "$SHIM" -q --profile "$WORK/no-close.json" -- "$PROBE" getuid)
check "a profile that denies close: the same outcome with --report, no hang" \
	"$(ended timeout 20 "$SHIM" -q --report --profile "$WORK/no-close.json" -- "$PROBE" getuid)" "$plain"

# The kernel's cache answers the same syscalls: only denying returns change.
out=$("$SHIM" -v --report "${RD[@]}" -- true 2>&1 | sed -n 's/.*syscalls the kernel caches as allowed: \([0-9]*\), as under the profile.s own program: \([0-9]*\)$/\1 \2/p')
check "the notify program: the kernel caches as many syscalls as under the profile's" \
	"${out% *}" "${out#* }"

# ---------------------------------------------------------------------------
# Signals and statuses, as an init.
out=$(ended "$SHIM" --report --profile "$V" -- sh -c 'kill -SEGV $$')
check "a target killed by a signal: the shim ends by the same signal" "$out" "signal SIGSEGV|"
"$SHIM" -q --report --profile "$V" -- sh -c "trap 'exit 42' TERM; echo ready >$WORK/sig.ready; while :; do sleep 0.05; done" 2>/dev/null &
sup=$!
for _ in $(seq 100); do [ -s "$WORK/sig.ready" ] && break; sleep 0.05; done
kill -TERM "$sup"
wait "$sup"
check "SIGTERM to the shim reaches the target's handler; its status comes back" "$?" 42
"$SHIM" -q --init --profile "$V" -- sh -c "(sleep 0.1 &); echo \$\$ >$WORK/init.pid; sleep 1" &
sup=$!
for _ in $(seq 100); do [ -s "$WORK/init.pid" ] && break; sleep 0.05; done
sleep 0.5
check "--init: an orphan is reaped (no zombie child of the shim)" \
	"$(ps -o stat= --ppid "$sup" | grep -c Z)|$(ps -o pid= --ppid "$sup" | tr -d ' ')" "0|$(cat "$WORK/init.pid")"
wait "$sup"
# --signal-group: the command leads its own process group, and a signal
# to the shim reaches the whole group (tini -g), a background child too.
"$SHIM" -q --init --signal-group --profile "$V" -- sh -c "sleep 30 & echo \$\$ \$! >$WORK/group.pids; wait" &
sup=$!
for _ in $(seq 100); do [ -s "$WORK/group.pids" ] && break; sleep 0.05; done
read -r target child <"$WORK/group.pids"
pgid=$(ps -o pgid= -p "$target" | tr -d ' ')
kill -TERM "$sup"
wait "$sup"
status=$?
for _ in $(seq 40); do kill -0 "$child" 2>/dev/null || break; sleep 0.05; done
check "--init --signal-group: the command leads its group; TERM reaches its background child too" \
	"$pgid|$status|$(kill -0 "$child" 2>/dev/null && echo alive)" "$target|143|"
kill "$child" 2>/dev/null

# ---------------------------------------------------------------------------
# As runc's PID 1 (a static shim in a busybox container).
STATIC="${SECCOMP_SHIM_STATIC:-$top/seccomp-shim-static}"
PROBE_STATIC="$BUILD/tests/integration/probe-static"
RUNC=$(command -v runc)
CID="${SECCOMP_SHIM_RUNC_PREFIX:-shim-$$-}report-"
if ! is_root || [ -z "$RUNC" ] || [ ! -x /bin/busybox ] || ldd /bin/busybox >/dev/null 2>&1 ||
	[ ! -x "$STATIC" ] || [ ! -x "$PROBE_STATIC" ]; then
	skip "supervised runs as runc's PID 1" "needs root, runc, busybox-static and make static"
else
	pid1_bundle() { # pid1_bundle NAME ARGS-JSON: sets B
		B="$WORK/bundles/$1"
		rm -rf "$B" && mkdir -p "$B/rootfs/bin" "$B/rootfs/etc" "$B/rootfs/tmp"
		cp /bin/busybox "$B/rootfs/bin/busybox"
		for c in sh cat grep sleep echo true mkdir ps; do ln -s busybox "$B/rootfs/bin/$c"; done
		cp "$STATIC" "$B/rootfs/seccomp-shim"
		cp "$PROBE_STATIC" "$B/rootfs/probe"
		cp "$V" "$B/rootfs/etc/p.json"
		(cd "$B" && "$RUNC" spec) || return 1
		python3 - "$B/config.json" "$2" <<'EOF_PY'
import json, sys
path, args = sys.argv[1], json.loads(sys.argv[2])
c = json.load(open(path))
c["process"]["terminal"] = False
c["process"]["args"] = args
c["root"]["readonly"] = False
json.dump(c, open(path, "w"), indent=2)
EOF_PY
	}
	INIT='"/seccomp-shim", "--init", "--report", "--profile", "/etc/p.json", "--"'
	pid1_bundle status "[$INIT, \"/bin/sh\", \"-c\", \"echo \$(cat /proc/1/comm) \$PPID \$((\$\$ > 1)); mkdir /tmp/d; exit 7\"]"
	out=$("$RUNC" run --bundle "$B" "${CID}status" 2>"$WORK/runc.err" </dev/null)
	rc=$?
	"$RUNC" delete -f "${CID}status" >/dev/null 2>&1
	check "runc: the shim is PID 1, the target its child; its exit status comes back" "$rc|$out" "7|seccomp-shim 1 1"
	check "... and a denial inside the container is reported" \
		"$(grep -c 'x86_64 mkdir("/tmp/d" (as read), 0777, .*): ERRNO(EPERM) by rule /etc/p.json:5:17 (syscalls\[0\].names\[0\])$' "$WORK/runc.err")" 1
	# --init on its own, as docker run --init.
	pid1_bundle signal "[\"/seccomp-shim\", \"--init\", \"--profile\", \"/etc/p.json\", \"--\", \"/bin/sh\", \"-c\", \"trap 'exit 42' TERM; (sleep 0.2 &); echo ready >/tmp/ready; while :; do sleep 0.1; done\"]"
	"$RUNC" run --bundle "$B" "${CID}signal" >/dev/null 2>"$WORK/runc.err" </dev/null &
	runc_pid=$!
	for _ in $(seq 100); do [ -s "$B/rootfs/tmp/ready" ] && break; sleep 0.1; done
	sleep 0.5
	# Zombies whose parent is PID 1 and that stay: an orphan not reaped
	# (the shell's own children are zombies for a moment before it reaps).
	zombies=$("$RUNC" exec "${CID}signal" sh -c 'z() { for f in /proc/[0-9]*/status; do
			grep -q "^State:.*Z" "$f" 2>/dev/null && grep -q "^PPid:[[:space:]]*1$" "$f" && echo "$f"; done; }
		a=$(z); sleep 0.3; b=$(z); for x in $a; do case " $b " in *" $x "*) echo "$x" ;; esac; done | wc -l')
	"$RUNC" kill "${CID}signal" TERM
	wait "$runc_pid"
	rc=$?
	"$RUNC" delete -f "${CID}signal" >/dev/null 2>&1
	check "--init alone as runc's PID 1: runc kill TERM reaches the target; orphans are reaped; the status passes" "$rc|$zombies" "42|0"
	pid1_bundle killed "[$INIT, \"/bin/sh\", \"-c\", \"kill -KILL \$\$\"]"
	"$RUNC" run --bundle "$B" "${CID}killed" >/dev/null 2>&1 </dev/null
	rc=$?
	"$RUNC" delete -f "${CID}killed" >/dev/null 2>&1
	check "runc: a target killed by SIGKILL: 128+9, as tini" "$rc" 137
	pid1_bundle keyctl "[$INIT, \"/probe\", \"keyctl\", \"0\"]"
	"$RUNC" run --bundle "$B" "${CID}keyctl" >/dev/null 2>"$WORK/runc.err" </dev/null
	rc=$?
	"$RUNC" delete -f "${CID}keyctl" >/dev/null 2>&1
	check "runc: KILL_PROCESS kills the target (159), and its end is reported" \
		"$rc|$(grep -c 'denied: .* killed by SIGSYS' "$WORK/runc.err")" "159|1"
fi
