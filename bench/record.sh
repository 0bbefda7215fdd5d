#!/usr/bin/env bash
# Recording overhead per syscall: the same workload bare, under
# `seccomp-shim record`, and under `strace -f`. Prints the median of
# RUNS runs of each and the cost per syscall above the bare run.
#
#   bench/record.sh [RUNS]        (after make; strace optional)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
SHIM="${SECCOMP_SHIM_BIN:-$top/seccomp-shim}"
RUNS=${1:-5}
WORK=$(mktemp -d /tmp/seccomp-shim-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
COUNT=100000
# dd with 1-byte blocks: one read and one write per block.
WORKLOAD=(dd if=/dev/zero of=/dev/null bs=1 count=$COUNT status=none)

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
spread() { sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.3f-%.3f", lo, hi }'; }
timed() { # timed CMD...: seconds, to 1 ms
	local s e
	s=$(date +%s%N)
	"$@" >/dev/null 2>&1
	e=$(date +%s%N)
	awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f\n", (e - s) / 1e9 }'
}
run() { # run NAME CMD...
	local name=$1
	shift
	for _ in $(seq "$RUNS"); do timed "$@"; done >"$WORK/$name"
}

syscalls=$("$SHIM" record -o "$WORK/p.json" --stats -- "${WORKLOAD[@]}" 2>&1 | awk '/total,/ { print $1 }')
run bare "${WORKLOAD[@]}"
run record "$SHIM" record -q -o "$WORK/p.json" -- "${WORKLOAD[@]}"
if command -v strace >/dev/null; then
	run strace strace -f -o /dev/null -- "${WORKLOAD[@]}"
	run strace_c strace -f -c -o /dev/null -- "${WORKLOAD[@]}"
fi

bare=$(median <"$WORK/bare")
printf 'workload: dd bs=1 count=%d, %d syscalls; median of %d runs (spread)\n\n' "$COUNT" "$syscalls" "$RUNS"
printf '%-22s %10s %16s %14s\n' "" "seconds" "spread" "us/syscall"
for name in bare record strace strace_c; do
	[ -s "$WORK/$name" ] || continue
	m=$(median <"$WORK/$name")
	printf '%-22s %10.3f %16s %14.2f\n' "$name" "$m" "$(spread <"$WORK/$name")" \
		"$(awk -v m="$m" -v b="$bare" -v n="$syscalls" 'BEGIN { print (m - b) * 1e6 / n }')"
done
