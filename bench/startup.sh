#!/usr/bin/env bash
# make bench: what the shim costs. Each figure is the median of RUNS runs,
# with the spread (min-max). (1) start-up: bare /bin/true; programs that
# only exec it, with static glibc and with no C library (what glibc's
# start-up costs any wrapper); the shim with runtime/default cold
# (--no-cache), cached and with --bpf (our program and libseccomp's),
# dynamic and static; all run in turn by bench/spawn so that the machine's
# drifts hit all alike. (2) The same through runc, for scale. (3) ns per
# syscall with no filter, our filter, libseccomp's binary tree and
# libseccomp's linear filter. (4) Peak memory of the shim.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
SHIM="${SECCOMP_SHIM_BIN:-$top/seccomp-shim}"
STATIC="$top/seccomp-shim-static"
BUILD="${SECCOMP_SHIM_BUILD:-$top/build}"
SYSCALLS="$BUILD/bench/syscalls"
SPAWN="$BUILD/bench/spawn"
WRAPPER="$BUILD/bench/exec-wrapper"
RAW="$BUILD/bench/exec-raw"
"$RAW" /bin/true 2>/dev/null || RAW="$WRAPPER" # not x86_64: the row repeats the one above
RUNS=${RUNS:-200}
WORK=$(mktemp -d /tmp/seccomp-shim-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export XDG_CACHE_HOME="$WORK/cache"

stats() { # stats FILE: "median (min-max)" in ms
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%8.3f  (%.3f-%.3f)", m, v[1], v[NR] }'
}
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
timed() { # timed N CMD...: N wall times in ms, one per line
	local n=$1 s e
	shift
	for _ in $(seq "$n"); do
		s=$(date +%s%N)
		"$@" >/dev/null 2>&1
		e=$(date +%s%N)
		echo $(((e - s) / 1000))
	done | awk '{ printf "%.3f\n", $1 / 1000 }'
}
insns() { "$SHIM" explain "$@" --stats runtime/default | sed -n 's/^instructions: //p'; }
row() { # row NAME FILE [BASE-FILE]
	printf '  %-44s %s' "$1" "$(stats "$2")"
	[ -n "${3:-}" ] && printf '  %+8.3f' "$(awk -v a="$(median "$2")" -v b="$(median "$3")" 'BEGIN { print a - b }')"
	echo
}

"$SHIM" compile runtime/default -o "$WORK/rd.bpf"
"$SHIM" -q --profile runtime/default -- true # fill the cache
"$STATIC" -q --profile runtime/default -- true

echo "(1) start-up, ms: median (min-max), and over bare /bin/true; $RUNS rounds, the commands in turn"
names=("bare /bin/true" "exec wrapper (static glibc, only execve)" "exec wrapper (no C library)"
	"shim, unconfined (the second execve alone)"
	"shim, runtime/default, cold (--no-cache)" "shim, runtime/default, cached" "shim --bpf"
	"shim --bpf, libseccomp's program" "static shim, unconfined" "static shim, runtime/default, cold"
	"static shim, runtime/default, cached")
"$SHIM" compile --libseccomp runtime/default -o "$WORK/tree.bpf"
"$SPAWN" "$RUNS" /bin/true \
	";;" "$WRAPPER" /bin/true \
	";;" "$RAW" /bin/true \
	";;" "$SHIM" -q --profile unconfined -- /bin/true \
	";;" "$SHIM" -q --no-cache --profile runtime/default -- /bin/true \
	";;" "$SHIM" -q --profile runtime/default -- /bin/true \
	";;" "$SHIM" -q --bpf "$WORK/rd.bpf" -- /bin/true \
	";;" "$SHIM" -q --bpf "$WORK/tree.bpf" -- /bin/true \
	";;" "$STATIC" -q --profile unconfined -- /bin/true \
	";;" "$STATIC" -q --no-cache --profile runtime/default -- /bin/true \
	";;" "$STATIC" -q --profile runtime/default -- /bin/true >"$WORK/spawn" || exit 1
i=0
while read -r med lo hi; do
	[ $i = 0 ] && bare=$med
	printf '  %-44s %8.3f  (%.3f-%.3f)' "${names[$i]}" "$med" "$lo" "$hi"
	[ $i -gt 0 ] && printf '  %+8.3f' "$(awk -v a="$med" -v b="$bare" 'BEGIN { print a - b }')"
	echo
	i=$((i + 1))
done <"$WORK/spawn"

echo
echo "(2) through runc (busybox true), ms, for scale"
if [ "$(id -u)" = 0 ] && command -v runc >/dev/null && [ -x /bin/busybox ]; then
	b="$WORK/bundle"
	mkdir -p "$b/rootfs/bin" && cp /bin/busybox "$b/rootfs/bin/" && ln -s busybox "$b/rootfs/bin/true"
	(cd "$b" && runc spec)
	python3 - "$b/config.json" <<'EOF_PY'
import json, sys
c = json.load(open(sys.argv[1])); c["process"]["terminal"] = False; c["process"]["args"] = ["/bin/true"]
json.dump(c, open(sys.argv[1], "w"))
EOF_PY
	n=$((RUNS / 10 + 5))
	timed "$n" runc run --bundle "$b" bench-plain >"$WORK/runc_plain"
	row "runc, no linux.seccomp" "$WORK/runc_plain"
	"$SHIM" oci convert -q runtime/default --bundle "$b" --write
	timed "$n" runc run --bundle "$b" bench-seccomp >"$WORK/runc_seccomp"
	row "runc, linux.seccomp = runtime/default" "$WORK/runc_seccomp" "$WORK/runc_plain"
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
	for what in "--no-cache --profile runtime/default" "--profile runtime/default" "--bpf $WORK/rd.bpf"; do
		# shellcheck disable=SC2086
		kb=$(/usr/bin/time -f %M "$SHIM" -q $what -- /bin/true 2>&1 >/dev/null | tail -1)
		printf '  %-44s %8s\n' "shim $what" "$kb" | sed "s|$WORK/||"
	done
	printf '  %-44s %8s\n' "bare /bin/true" "$(/usr/bin/time -f %M /bin/true 2>&1 | tail -1)"
else
	echo "  skipped: GNU time (/usr/bin/time) is not installed"
fi
