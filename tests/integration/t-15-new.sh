# Writing profiles from syscall groups (seccomp-shim new), groups refused
# inside a profile, and targets that would die before main. Sourced by run.sh.

echo "# new: profiles from syscall groups"

cd "$WORK" || exit 1
out=""
# As the README and the man page write it.
if "$SHIM" new --allow @system-service -o p.json 2>"$WORK/new.err" &&
	out=$("$SHIM" --profile p.json -- sh -c 'echo ok' 2>&1); then
	check "new --allow @system-service -o p.json, then sh -c 'echo ok' runs under it" "$out" ok
else
	not_ok "new --allow @system-service -o p.json, then sh -c 'echo ok' runs under it" "$(cat "$WORK/new.err")" "$out"
fi
cd "$top" || exit 1
out=$("$SHIM" check --strict "$WORK/p.json" 2>&1)
check "... and passes check --strict" "$?|$out" "0|1 profile: 0 errors, 0 warnings"
check "... a standard profile: plain names, defaultAction, defaultErrnoRet, the x86_64 family" \
	"$(python3 - "$WORK/p.json" <<'EOF_PY'
import json, sys
p = json.load(open(sys.argv[1]))
names = p["syscalls"][0]["names"]
print(sorted(k for k in p), p["defaultAction"], p["defaultErrnoRet"], p["architectures"] if p["architectures"][0] == "SCMP_ARCH_X86_64" else "native",
      len(p["syscalls"]), p["syscalls"][0]["action"], names == sorted(set(names)), any(n.startswith("@") for n in names))
EOF_PY
)" "['architectures', 'comment', 'defaultAction', 'defaultErrnoRet', 'syscalls'] SCMP_ACT_ERRNO 1 $(if [ "$(uname -m)" = x86_64 ]; then echo "['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']"; else echo native; fi) 1 SCMP_ACT_ALLOW True False"

"$SHIM" new -q --allow @system-service --deny @mount,@network-io -o "$WORK/no-net.json"
shim --profile "$WORK/no-net.json" -- "$PROBE" socket 2 1 0
check "new --deny @network-io: socket gets EPERM (denies win over --allow)" "$out" "errno EPERM"
shim --profile "$WORK/no-net.json" -- "$PROBE" mount 0 0 0 0 0
check "new --deny @mount: mount gets EPERM" "$out" "errno EPERM"
shim --profile "$WORK/no-net.json" -- "$PROBE" getpid
check "... getpid (@default) still runs" "${out%% *}" ok
"$SHIM" new -q --default-action allow --deny @mount --errno ENOSYS -o "$WORK/deny.json"
shim --profile "$WORK/deny.json" -- "$PROBE" mount 0 0 0 0 0
check "new --default-action allow --deny @mount --errno ENOSYS: a deny-list" "$out" "errno ENOSYS"
"$SHIM" new -q --allow @basic-io --default-action kill-process -o "$WORK/kill.json"
shim --profile "$WORK/kill.json" -- "$BUILD/tests/integration/probe-static" mkdir 0
check "new --default-action kill-process: what is not allowed kills" "$rc" 159
shim new --allow @mounts
check "new --allow with an unknown group: exit 125, and where to look" "$rc|$err" \
	"125|seccomp-shim: new: --allow: unknown syscall group \"@mounts\" (seccomp-shim new --list shows the groups)"
shim new --list
check "new --list: every group with its members" \
	"$(printf '%s\n' "$out" | grep -c '^@')|$(printf '%s\n' "$out" | grep -A1 '^@mount:')" \
	"29|@mount: mounting and unmounting file systems, chroot, pivot_root
    chroot fsconfig fsmount fsopen fspick mount mount_setattr move_mount"
# The profile page lists each group's members as new knows them.
man_groups=$(awk '/^\.SH SYSCALL GROUPS/,/^\.SH SEE ALSO/' "$top/man/seccomp-shim-profile.5" |
	awk '/^\.TP/ { getline; name = $2; getline; getline; getline; print name ": " $0 }')
list_groups=$("$SHIM" new --list | awk '/^@/ { if (g) print g ": " m; g = $1; sub(/:$/, "", g); m = ""; next } { $1 = $1; m = m (m ? " " : "") $0 } END { print g ": " m }')
check "seccomp-shim-profile(5) lists every group's members as new --list does" \
	"$(diff <(printf '%s\n' "$man_groups") <(printf '%s\n' "$list_groups") && echo same)" same

echo "# groups are not syscall names"

printf '{"defaultAction": "SCMP_ACT_ERRNO",\n "syscalls": [{"names": ["execve", "@system-service"], "action": "SCMP_ACT_ALLOW"}]}\n' >"$WORK/group-in-profile.json"
shim --profile "$WORK/group-in-profile.json" -- sh -c 'echo ok'
check "@system-service in a profile: exit 125, file:line:col, JSON path, and new" "$rc|$err" \
	"125|seccomp-shim: $WORK/group-in-profile.json:2:36: syscalls[0].names[1]: \"@system-service\" is a syscall group: a profile holds syscall names only (runc and Docker would skip it as an unknown syscall); write the names with seccomp-shim new --allow @system-service -o FILE"
shim check "$WORK/group-in-profile.json"
check "... and check calls it an error" "$rc" 2

echo "# targets that would die before main"

# What @system-service in a profile left before: execve alone. The
# dynamic loader then gets no memory and dies with SIGSEGV (exit 139).
printf '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["execve"], "action": "SCMP_ACT_ALLOW"}]}\n' >"$WORK/execve-only.json"
shim --profile "$WORK/execve-only.json" -- /bin/sh -c 'echo ok'
check "a profile without mmap, a dynamic target: exit 125 and why, not SIGSEGV" \
	"$rc|$(printf '%s' "$err" | sed 's| (/[^)]*) needs| (LOADER) needs|')" \
	"125|seccomp-shim: the profile blocks mmap (it gets ERRNO(EPERM)), which the dynamic loader of /bin/sh (LOADER) needs before the program starts: it would die with SIGSEGV. Allow \"mmap\" in the profile"
# The shim itself calls nothing the profile could kill between loading
# the filter and execve.
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["close", "munmap"], "action": "SCMP_ACT_KILL_PROCESS"}]}\n' >"$WORK/kill-close.json"
shim --profile "$WORK/kill-close.json" -- "$BUILD/tests/integration/probe-static" getpid
check "a profile that kills close: the shim still reaches execve" "$rc|${out%% *}" "0|ok"
