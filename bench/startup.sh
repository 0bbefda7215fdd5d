#!/usr/bin/env bash
# make bench: what the shim costs. Each figure is the median of RUNS runs,
# with the spread (min-max), the difference to bare /bin/true (the median
# of the differences within each round) and the ratio of the medians to
# `env /bin/true` (a dynamic program that execs another, the way the shim
# does) from the same run. (1) start-up: bare /bin/true;
# programs that only exec it, with static glibc and with no C library
# (what glibc's start-up costs any wrapper); the shim with runtime/default
# cold (--no-cache), cached and with --bpf (our program and libseccomp's),
# dynamic and static; Docker's default profile (cold, first run into an
# empty cache, cached), run as nobody the way a container engine would;
# all run in turn by bench/spawn so that the machine's drifts hit all
# alike. (2) runc starting a busybox container: plain, with
# linux.seccomp, and with the static shim as the entrypoint prefix (no
# cache, as in a container). (3) ns per syscall with no filter, our
# filter, libseccomp's binary tree and libseccomp's linear filter.
# (4) Peak memory of the shim.
#
# Docker's profile is read from SECCOMP_SHIM_DOCKER_PROFILE (default: the
# moby default.json in ../shared/profiles); without it those rows are
# skipped, saying why. It is never copied into the repository.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
SHIM="${SECCOMP_SHIM_BIN:-$top/seccomp-shim}"
STATIC="${SECCOMP_SHIM_STATIC:-$top/seccomp-shim-static}"
BUILD="${SECCOMP_SHIM_BUILD:-$top/build}"
DOCKER="${SECCOMP_SHIM_DOCKER_PROFILE:-$top/../shared/profiles/moby-profiles-default.json}"
SYSCALLS="$BUILD/bench/syscalls"
SPAWN="$BUILD/bench/spawn"
WRAPPER="$BUILD/bench/exec-wrapper"
RAW="$BUILD/bench/exec-raw"
"$RAW" /bin/true 2>/dev/null || RAW="$WRAPPER" # not x86_64: the row repeats the one above
RUNS=${RUNS:-200}
WORK=$(mktemp -d /tmp/seccomp-shim-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
# Root's cache for the cached rows: one of the bench's own, never
# /var/cache/seccomp-shim.
CACHE="$WORK/cache"
mkdir -m 0700 "$CACHE" "$WORK/fresh"

stats() { # stats FILE: "median (min-max)" in ms
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%8.3f  (%.3f-%.3f)", m, v[1], v[NR] }'
}
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
insns() { "$SHIM" explain "$@" --stats runtime/default | sed -n 's/^instructions: //p'; }

# table NAMES-ARRAY SPAWN-OUTPUT ENV: one row per command, with the
# median of its difference to the first command in the same round, and
# the ratio of its median to row ENV's (-1: no ratio).
table() {
	local -n labels=$1
	local i=0 med lo hi diff envt=0
	while read -r med lo hi diff; do
		[ $i = "$3" ] && envt=$med
		i=$((i + 1))
	done <"$2"
	i=0
	while read -r med lo hi diff; do
		printf '  %-58s %8.3f  (%.3f-%.3f)' "${labels[$i]}" "$med" "$lo" "$hi"
		if [ $i != 0 ]; then
			printf '  %+8.3f' "$diff"
		else
			printf '  %8s' ""
		fi
		[ "$3" -ge 0 ] && printf '  %5.2fx' "$(awk -v a="$med" -v b="$envt" 'BEGIN { print a / b }')"
		echo
		i=$((i + 1))
	done <"$2"
}

"$SHIM" compile runtime/default -o "$WORK/rd.bpf"
"$SHIM" compile --libseccomp runtime/default -o "$WORK/tree.bpf"
"$SHIM" -q --cache-dir "$CACHE" --profile runtime/default -- true # fill the cache
"$STATIC" -q --cache-dir "$CACHE" --profile runtime/default -- true

echo "(1) start-up, ms: median (min-max), over bare /bin/true (median of the per-round differences),"
echo "    and the median as a multiple of env /bin/true's;"
echo "    $RUNS rounds, the commands in turn"
names=("bare /bin/true" "env /bin/true" "exec wrapper (static glibc, only execve)"
	"exec wrapper (no C library)" "shim, unconfined (the second execve alone)"
	"shim, runtime/default, cold (--no-cache)" "shim, runtime/default, cached" "shim --bpf"
	"shim --bpf, libseccomp's program" "static shim, unconfined" "static shim, runtime/default, cold"
	"static shim, runtime/default, cached")
cmds=(/bin/true
	";;" env /bin/true
	";;" "$WRAPPER" /bin/true
	";;" "$RAW" /bin/true
	";;" "$SHIM" -q --profile unconfined -- /bin/true
	";;" "$SHIM" -q --no-cache --profile runtime/default -- /bin/true
	";;" "$SHIM" -q --cache-dir "$CACHE" --profile runtime/default -- /bin/true
	";;" "$SHIM" -q --bpf "$WORK/rd.bpf" -- /bin/true
	";;" "$SHIM" -q --bpf "$WORK/tree.bpf" -- /bin/true
	";;" "$STATIC" -q --profile unconfined -- /bin/true
	";;" "$STATIC" -q --no-cache --profile runtime/default -- /bin/true
	";;" "$STATIC" -q --cache-dir "$CACHE" --profile runtime/default -- /bin/true)
docker_skip=""
if [ ! -r "$DOCKER" ]; then
	docker_skip="Docker's default profile not found at $DOCKER (set SECCOMP_SHIM_DOCKER_PROFILE)"
elif [ "$(id -u)" != 0 ]; then
	docker_skip="needs root (the target runs as nobody, with root's cache)"
else
	"$SHIM" -q --cache-dir "$CACHE" --user nobody --profile "$DOCKER" -- true
	names+=("shim, Docker's default as nobody, cold (--no-cache)"
		"shim, Docker's default as nobody, first run (empty cache)"
		"shim, Docker's default as nobody, cached"
		"static shim, Docker's default, cold (--no-cache)")
	cmds+=(";;" "$SHIM" -q --no-cache --user nobody --profile "$DOCKER" -- /bin/true
		";;" --fresh "$WORK/fresh" "$SHIM" -q --cache-dir "$WORK/fresh" --user nobody --profile "$DOCKER" -- /bin/true
		";;" "$SHIM" -q --cache-dir "$CACHE" --user nobody --profile "$DOCKER" -- /bin/true
		";;" "$STATIC" -q --no-cache --profile "$DOCKER" -- /bin/true)
fi
"$SPAWN" "$RUNS" "${cmds[@]}" >"$WORK/spawn" || exit 1
table names "$WORK/spawn" 1
[ -n "$docker_skip" ] && echo "  SKIP Docker's default profile rows: $docker_skip"

echo
echo "(2) runc run of a busybox container running true, ms, and over the plain start (median of the"
echo "    per-round differences); in turn"
if [ "$(id -u)" = 0 ] && command -v runc >/dev/null && [ -x /bin/busybox ]; then
	# bundle NAME ARGS-JSON
	bundle() {
		local b="$WORK/$1"
		mkdir -p "$b/rootfs/bin" "$b/rootfs/etc/seccomp" && cp /bin/busybox "$b/rootfs/bin/" &&
			ln -s busybox "$b/rootfs/bin/true" && cp "$STATIC" "$b/rootfs/seccomp-shim" &&
			printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$b/rootfs/etc/passwd"
		[ -r "$DOCKER" ] && cp "$DOCKER" "$b/rootfs/etc/seccomp/docker.json"
		(cd "$b" && runc spec)
		python3 - "$b/config.json" "$2" <<'EOF_PY'
import json, sys
c = json.load(open(sys.argv[1])); c["process"]["terminal"] = False; c["process"]["args"] = json.loads(sys.argv[2])
json.dump(c, open(sys.argv[1], "w"))
EOF_PY
	}
	bundle plain '["/bin/true"]'
	bundle rd '["/bin/true"]'
	"$SHIM" oci convert -q runtime/default --bundle "$WORK/rd" --write
	bundle shim-rd '["/seccomp-shim", "-q", "--profile", "runtime/default", "--", "/bin/true"]'
	rnames=("runc, no linux.seccomp" "runc, linux.seccomp = runtime/default"
		"runc, static shim prefix, runtime/default")
	rcmds=(runc run --bundle "$WORK/plain" "bench-$$-plain"
		";;" runc run --bundle "$WORK/rd" "bench-$$-rd"
		";;" runc run --bundle "$WORK/shim-rd" "bench-$$-shim-rd")
	if [ -r "$DOCKER" ]; then
		bundle docker '["/bin/true"]'
		"$SHIM" oci convert -q "$DOCKER" --bundle "$WORK/docker" --write
		bundle shim-docker '["/seccomp-shim", "-q", "--profile", "/etc/seccomp/docker.json", "--", "/bin/true"]'
		rnames+=("runc, linux.seccomp = Docker's default" "runc, static shim prefix, Docker's default")
		rcmds+=(";;" runc run --bundle "$WORK/docker" "bench-$$-docker"
			";;" runc run --bundle "$WORK/shim-docker" "bench-$$-shim-docker")
	fi
	# The same start again: how far two identical rows differ here.
	rnames+=("runc, no linux.seccomp, again (the noise)")
	rcmds+=(";;" runc run --bundle "$WORK/plain" "bench-$$-plain2")
	# runc itself varies by tens of ms from one start to the next: many rounds.
	if "$SPAWN" "$RUNS" "${rcmds[@]}" </dev/null >"$WORK/runc"; then
		table rnames "$WORK/runc" -1
	else
		echo "  runc failed: $(runc run --bundle "$WORK/plain" "bench-$$-check" 2>&1 </dev/null | tail -1)"
	fi
	[ -r "$DOCKER" ] || echo "  SKIP Docker's default profile rows: $DOCKER not found"
else
	echo "  skipped: needs root, runc and busybox-static"
fi

echo
echo "(3) ns per syscall: getppid (cacheable) / personality(0xffffffff) (argument-checked)"
"$SHIM" compile --linear runtime/default -o "$WORK/linear.bpf"
for how in none ours tree linear; do
	for _ in 1 2 3 4 5; do
		case $how in
		none) "$SYSCALLS" 2000000 ;;
		ours) "$SHIM" -q --bpf "$WORK/rd.bpf" -- "$SYSCALLS" 2000000 ;;
		*) "$SHIM" -q --bpf "$WORK/$how.bpf" -- "$SYSCALLS" 2000000 ;;
		esac
	done >"$WORK/ns_$how"
	awk '{ print $1 }' "$WORK/ns_$how" >"$WORK/ns_${how}_1"
	awk '{ print $2 }' "$WORK/ns_$how" >"$WORK/ns_${how}_2"
	case $how in
	none) name="no filter" ;;
	ours) name="runtime/default, ours ($(insns) insns)" ;;
	tree) name="libseccomp binary tree ($(insns --libseccomp) insns)" ;;
	linear) name="libseccomp linear ($(insns --linear) insns)" ;;
	esac
	printf '  %-44s %8.1f / %8.1f\n' "$name" "$(median "$WORK/ns_${how}_1")" "$(median "$WORK/ns_${how}_2")"
done
"$SHIM" explain --caps CHOWN,DAC_OVERRIDE,FSETID,FOWNER,MKNOD,NET_RAW,SETGID,SETUID,SETFCAP,SETPCAP,NET_BIND_SERVICE,SYS_CHROOT,KILL,AUDIT_WRITE \
	runtime/default --stats | sed 's/^/  /'

echo
echo "(4) peak memory (max RSS), KiB"
if [ -x /usr/bin/time ]; then
	mem=("runtime/default, cold|--no-cache --profile runtime/default"
		"runtime/default, cached|--cache-dir $CACHE --profile runtime/default"
		"--bpf|--bpf $WORK/rd.bpf")
	[ -z "$docker_skip" ] && mem+=("Docker's default, cold|--no-cache --profile $DOCKER"
		"Docker's default, cached|--cache-dir $CACHE --profile $DOCKER")
	for m in "${mem[@]}"; do
		# shellcheck disable=SC2086
		kb=$(/usr/bin/time -f %M "$SHIM" -q ${m#*|} -- /bin/true 2>&1 >/dev/null | tail -1)
		printf '  %-58s %8s\n' "shim, ${m%%|*}" "$kb"
	done
	printf '  %-58s %8s\n' "bare /bin/true" "$(/usr/bin/time -f %M /bin/true 2>&1 | tail -1)"
else
	echo "  skipped: GNU time (/usr/bin/time) is not installed"
fi
