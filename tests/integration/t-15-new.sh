# Targets that would die before main, and what runs between loading the
# filter and execve. Sourced by run.sh.

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
