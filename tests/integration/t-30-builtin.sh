# Built-in profiles and profile references. Sourced by run.sh.

echo "# built-in profiles and references"

THREADS="$BUILD/tests/integration/threads"
VERDICTS="$BUILD/tests/integration/verdicts"
DOCKER_CAPS=CHOWN,DAC_OVERRIDE,FSETID,FOWNER,MKNOD,NET_RAW,SETGID,SETUID,SETFCAP,SETPCAP,NET_BIND_SERVICE,SYS_CHROOT,KILL,AUDIT_WRITE
RD=(--profile runtime/default --caps-keep "$DOCKER_CAPS")
is_root || RD=(--profile runtime/default)

# Real programs run under runtime/default.
runs() { # runs NAME EXPECTED CMD...
	local name=$1 expected=$2
	shift 2
	shim "${RD[@]}" -- "$@"
	check "runtime/default runs $name" "$rc|$out" "0|$expected"
}
runs "sh and coreutils" "fine" sh -c 'ls / >/dev/null && date >/dev/null && cat /etc/hostname >/dev/null && echo fine'
runs "perl" "42" perl -e 'print 6 * 7, "\n"'
runs "a dynamic binary (coreutils)" "x" /usr/bin/printf x
runs "a threaded program (glibc tries clone3, gets ENOSYS, falls back to clone)" "threads 4" "$THREADS"
if [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; then
	runs "a static binary (busybox-static sh)" "static" /bin/busybox sh -c 'echo static'
else
	skip "runtime/default runs a static binary" "busybox-static not installed"
fi
if command -v python3 >/dev/null; then
	runs "python3" "ok" python3 -c 'import os, subprocess, threading; t = threading.Thread(target=print, args=("ok",)); t.start(); t.join()'
else
	skip "runtime/default runs python3" "python3 not installed"
fi

# What it denies, with Docker's default capabilities.
denied() { # denied NAME SYSCALL [ARG...]
	local name=$1
	shift
	shim "${RD[@]}" -- "$PROBE" "$@"
	check "runtime/default denies $name with EPERM" "$out" "errno EPERM"
}
denied mount mount 0 0 0 0 0
denied unshare unshare 0x10000000
denied keyctl keyctl 0
denied bpf bpf 0
denied kexec_load kexec_load 0
denied reboot reboot 0
denied "clone with CLONE_NEWUSER" clone 0x10000000
shim "${RD[@]}" -- "$PROBE" personality 0x0400000
check "runtime/default: an unsafe personality value is not allowed" "$out" "errno ENOSYS"
shim "${RD[@]}" -- "$PROBE" socket 40 1 0
check "runtime/default: AF_VSOCK sockets get EAFNOSUPPORT" "$out" "errno EAFNOSUPPORT"
# The kernel reads socket's family as an int, the filter compares 64 bits:
# 0x100000028 is AF_VSOCK to the kernel: no rule may allow it.
shim "${RD[@]}" -- "$PROBE" socket 0x100000028 1 0
check "runtime/default: AF_VSOCK with bit 32 set (0x100000028) is refused" "$out" "errno ENOSYS"
shim "${RD[@]}" -- "$PROBE" socket 0xffffffff00000028 1 0
check "runtime/default: AF_VSOCK sign-extended is refused" "$out" "errno ENOSYS"
# The families above AF_VSOCK get the kernel's own answer.
for fam in 41 42 43 44 45 46 47; do
	shim "${RD[@]}" -- "$PROBE" socket "$fam" 2 0
	check "runtime/default: socket family $fam gets the kernel's answer" "$out" "$("$PROBE" socket "$fam" 2 0)"
done
shim "${RD[@]}" -- "$PROBE" cachestat
check "runtime/default: a syscall it does not know gets ENOSYS" "$out" "errno ENOSYS"
shim "${RD[@]}" -- "$PROBE" 1000
check "runtime/default: a number beyond every table gets ENOSYS" "$out" "errno ENOSYS"
if is_root; then
	shim --profile runtime/default --caps-keep "$DOCKER_CAPS,SYS_ADMIN" -- "$PROBE" unshare 0
	check "runtime/default with CAP_SYS_ADMIN kept allows unshare" "$out" "ok 0"
fi

# Never allow what Docker's default (moby, current) or podman's denies, for
# Docker's caps, on x86_64 and on the i386 and x32 code it also runs.
never_looser() { # never_looser NAME PROFILE
	if [ ! -r "$2" ]; then
		skip "runtime/default vs $1" "$2 not present"
	elif "$VERDICTS" "$PROFILES_DIR/runtime-default.json" "$DOCKER_CAPS" >"$WORK/ours" &&
		"$VERDICTS" "$2" "$DOCKER_CAPS" >"$WORK/theirs" &&
		[ -s "$WORK/ours" ] && [ "$(wc -l <"$WORK/ours")" = "$(wc -l <"$WORK/theirs")" ]; then
		wider=$(paste -d' ' "$WORK/ours" "$WORK/theirs" |
			awk '$5 == "ALLOW" && $10 != "ALLOW" { print $1 ":" $2 }' | sort -u | tr '\n' ' ')
		check "runtime/default allows nothing $1 denies ($(wc -l <"$WORK/ours") cases)" "$wider" ""
	else
		not_ok "runtime/default allows nothing $1 denies" "the verdicts helper failed"
	fi
}
never_looser "podman's default" "$PODMAN_PROFILE"
never_looser "Docker's default (moby)" "$SHARED/profiles/moby-profiles-default.json"

# export prints the built-in profile, normalized: it compiles to the same filter.
"$SHIM" export runtime/default --format json >"$WORK/exported.json"
"$SHIM" export runtime/default --format bpf >"$WORK/builtin.bpf"
"$SHIM" export "$WORK/exported.json" --format bpf >"$WORK/exported.bpf"
check "export runtime/default --format json compiles to the built-in filter" \
	"$(cmp -s "$WORK/builtin.bpf" "$WORK/exported.bpf" && echo same)" "same"
shim --profile "$WORK/exported.json" -- true
check "the exported profile runs as a file" "$rc" 0
shim export unconfined --format json
check "export unconfined is refused" "$rc|$err" "125|seccomp-shim: export: unconfined is not a profile (it means: no filter)"

# RuntimeDefault and the environment.
shim --profile RuntimeDefault -- cat /proc/self/status
check "RuntimeDefault is runtime/default" "$(printf '%s\n' "$out" | status_field Seccomp)" 2
out=$(SECCOMP_SHIM_PROFILE=runtime/default "$SHIM" -- "$PROBE" keyctl 0 2>&1)
check "SECCOMP_SHIM_PROFILE names the profile" "$out" "errno EPERM"
out=$(SECCOMP_SHIM_PROFILE=runtime/default "$SHIM" --profile "$WORK/open.json" -- "$PROBE" keyctl 0 2>&1)
check "the command line wins over SECCOMP_SHIM_PROFILE" "$out" "errno EINVAL"

# unconfined and audit.
shim --profile unconfined -- cat /proc/self/status
check "unconfined: no filter, still no_new_privs" \
	"$(printf '%s\n' "$out" | status_field Seccomp)/$(printf '%s\n' "$out" | status_field NoNewPrivs)" "0/1"
check "unconfined says so on stderr" "$err" "seccomp-shim: running $(command -v cat) unconfined: no seccomp filter (no_new_privs and capabilities still apply)"
shim --profile Unconfined --quiet -- true
check "Unconfined --quiet says nothing" "$rc|$err" "0|"
shim --profile audit -- sh -c 'grep Seccomp: /proc/self/status; mkdir "$1/audited" && echo made' sh "$WORK"
check "audit: filtered, and everything goes through" "$out" "Seccomp:	2
made"

# localhost/REL under the profile root.
root="$WORK/kubelet-seccomp"
mkdir -p "$root/profiles" "$WORK/outside"
cp "$WORK/plain.json" "$root/profiles/plain.json"
cp "$WORK/plain.json" "$WORK/outside/secret.json"
ln -s ../../outside/secret.json "$root/profiles/escape.json"
ln -s plain.json "$root/profiles/alias.json"
shim --profile-root "$root" --profile localhost/profiles/plain.json -- "$PROBE" mkdir 0
check "localhost/REL loads from the profile root" "$out" "errno EPERM"
shim --profile-root "$root" --profile Localhost --localhost-profile profiles/plain.json -- "$PROBE" mkdir 0
check "Localhost with --localhost-profile" "$out" "errno EPERM"
out=$(SECCOMP_SHIM_PROFILE=localhost/profiles/plain.json SECCOMP_SHIM_PROFILE_ROOT="$root" "$SHIM" -- "$PROBE" mkdir 0 2>&1)
check "SECCOMP_SHIM_PROFILE_ROOT applies to a profile from SECCOMP_SHIM_PROFILE" "$out" "errno EPERM"
# The environment never redirects a reference from the command line.
mkdir -p "$WORK/evil-root/profiles"
printf '{"defaultAction": "SCMP_ACT_ALLOW"}' >"$WORK/evil-root/profiles/plain.json"
out=$(SECCOMP_SHIM_PROFILE_ROOT="$WORK/evil-root" "$SHIM" --profile-root "$root" --profile localhost/profiles/plain.json -- "$PROBE" mkdir 0 2>&1)
check "SECCOMP_SHIM_PROFILE_ROOT does not override --profile-root" "$out" "errno EPERM"
shim_env() { out=$(env "$@" 2>&1); rc=$?; }
shim_env SECCOMP_SHIM_PROFILE_ROOT="$WORK/evil-root" "$SHIM" --profile localhost/profiles/plain.json -- "$PROBE" mkdir 0
check "SECCOMP_SHIM_PROFILE_ROOT does not redirect a localhost/ reference given on the command line" \
	"$rc|$out" "125|seccomp-shim: localhost/profiles/plain.json: cannot open the profile root /var/lib/kubelet/seccomp: No such file or directory"
shim_env SECCOMP_SHIM_PROFILE_ROOT="$WORK/evil-root" "$SHIM" check localhost/profiles/plain.json
check "... nor one given to check" "$rc" 2
shim --profile-root "$root" --profile localhost/profiles/alias.json -- "$PROBE" mkdir 0
check "a symlink that stays under the root is followed" "$out" "errno EPERM"
expect_refused "localhost: a symlink leading outside is refused" \
	"seccomp-shim: localhost/profiles/escape.json: the path leads outside $root (through a symlink); refused" \
	--profile-root "$root" --profile localhost/profiles/escape.json
expect_refused "localhost: .. is refused" \
	"seccomp-shim: localhost/profiles/../../outside/secret.json: \"..\" is not allowed: the profile must stay under $root" \
	--profile-root "$root" --profile localhost/profiles/../../outside/secret.json
expect_refused "localhost: an absolute path is refused" \
	"seccomp-shim: localhost/$WORK/outside/secret.json: a localhost profile is a path relative to $root, not an absolute path" \
	--profile-root "$root" --profile "localhost/$WORK/outside/secret.json"
expect_refused "localhost: a missing profile" \
	"seccomp-shim: localhost/nope.json: cannot open $root/nope.json: No such file or directory" \
	--profile-root "$root" --profile localhost/nope.json
expect_refused "Localhost without --localhost-profile" \
	"seccomp-shim: --profile Localhost needs --localhost-profile REL" --profile Localhost
