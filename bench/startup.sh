#!/usr/bin/env bash
# make bench: what the shim costs. Each figure is the median of RUNS runs,
# with the spread (min-max). (1) start-up: bare /bin/true against the shim
# with runtime/default cold (--no-cache), cached and with --bpf, dynamic and
# static; (2) the same through runc, for scale; (3) ns per syscall with no
# filter, our generator's filter, libseccomp's binary tree and libseccomp's
# linear filter; (4) peak memory of the shim.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
SHIM="${SECCOMP_SHIM_BIN:-$top/seccomp-shim}"
STATIC="$top/seccomp-shim-static"
SYSCALLS="${SECCOMP_SHIM_BUILD:-$top/build}/bench/syscalls"
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
[ -x "$STATIC" ] && "$STATIC" -q --profile runtime/default -- true

echo "(1) start-up, ms: median (min-max), and over bare /bin/true; $RUNS runs each"
timed "$RUNS" /bin/true >"$WORK/bare"
row "bare /bin/true" "$WORK/bare"
timed "$RUNS" "$SHIM" -q --no-cache --profile runtime/default -- /bin/true >"$WORK/cold"
row "shim, runtime/default, cold (--no-cache)" "$WORK/cold" "$WORK/bare"
timed "$RUNS" "$SHIM" -q --profile runtime/default -- /bin/true >"$WORK/cached"
row "shim, runtime/default, cached" "$WORK/cached" "$WORK/bare"
timed "$RUNS" "$SHIM" -q --bpf "$WORK/rd.bpf" -- /bin/true >"$WORK/bpf"
row "shim --bpf" "$WORK/bpf" "$WORK/bare"
timed "$RUNS" "$SHIM" -q --profile unconfined -- /bin/true >"$WORK/unconfined"
row "shim, unconfined (the second execve alone)" "$WORK/unconfined" "$WORK/bare"
if [ -x "$STATIC" ]; then
	timed "$RUNS" "$STATIC" -q --no-cache --profile runtime/default -- /bin/true >"$WORK/s_cold"
	row "static shim, runtime/default, cold" "$WORK/s_cold" "$WORK/bare"
	timed "$RUNS" "$STATIC" -q --profile runtime/default -- /bin/true >"$WORK/s_cached"
	row "static shim, runtime/default, cached" "$WORK/s_cached" "$WORK/bare"
	timed "$RUNS" "$STATIC" -q --profile unconfined -- /bin/true >"$WORK/s_unconfined"
	row "static shim, unconfined" "$WORK/s_unconfined" "$WORK/bare"
fi

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
"$SHIM" compile --libseccomp runtime/default -o "$WORK/tree.bpf"
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
