#!/usr/bin/env bash
# make bench: what a supervised run costs. Medians of RUNS runs.
# (1) start-up of a run under runtime/default: plain (compiled, as a
# supervised run always compiles), --init, --report, --complain.
# (2) ns per allowed syscall, plain and supervised: getppid (the kernel
# caches it) and personality(0xffffffff) (the filter runs each time).
# (3) the cost of each reported denial: N denied mkdir calls, plain and
# under --report (reports to /dev/null). (4) EINTR instead of EPERM: a
# SIGALRM handler without SA_RESTART every 1 ms, under --report.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
SHIM="${SECCOMP_SHIM_BIN:-$top/seccomp-shim}"
BUILD="${SECCOMP_SHIM_BUILD:-$top/build}"
SPAWN="$BUILD/bench/spawn"
SYSCALLS="$BUILD/bench/syscalls"
DENIALS="$BUILD/bench/denials"
RUNS=${RUNS:-200}
N=${N:-20000}
WORK=$(mktemp -d /tmp/seccomp-shim-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
cat >"$WORK/p.json" <<'EOF_P'
{ "defaultAction": "SCMP_ACT_ALLOW",
  "syscalls": [ { "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO" },
                { "names": ["personality"], "action": "SCMP_ACT_ERRNO",
                  "args": [ { "index": 0, "value": 8, "op": "SCMP_CMP_EQ" } ] } ] }
EOF_P

echo "(1) start-up, runtime/default, ms: median (min-max), and the median of each round's difference to the plain run; $RUNS rounds"
names=("plain (--no-cache)" "--init" "--report" "--complain")
"$SPAWN" "$RUNS" "$SHIM" -q --no-cache --profile runtime/default -- /bin/true \
	";;" "$SHIM" -q --init --no-cache --profile runtime/default -- /bin/true \
	";;" "$SHIM" -q --report=/dev/null --profile runtime/default -- /bin/true \
	";;" "$SHIM" -q --complain --report=/dev/null --profile runtime/default -- /bin/true >"$WORK/spawn" || exit 1
i=0
while read -r med lo hi diff; do
	printf '  %-30s %8.3f  (%.3f-%.3f)' "${names[$i]}" "$med" "$lo" "$hi"
	[ $i -gt 0 ] && printf '  %+8.3f' "$diff"
	echo
	i=$((i + 1))
done <"$WORK/spawn"

echo
echo "(2) ns per allowed syscall: getppid (cached by the kernel) / personality(0xffffffff) (the filter runs)"
for how in plain report; do
	for _ in 1 2 3 4 5; do
		if [ $how = plain ]; then
			"$SHIM" -q --profile "$WORK/p.json" -- "$SYSCALLS" 2000000
		else
			"$SHIM" -q --report=/dev/null --profile "$WORK/p.json" -- "$SYSCALLS" 2000000
		fi
	done >"$WORK/ns_$how"
	printf '  %-30s %8.1f / %8.1f\n' "$how" "$(awk '{ print $1 }' "$WORK/ns_$how" | median)" \
		"$(awk '{ print $2 }' "$WORK/ns_$how" | median)"
done

echo
echo "(3) a denied call (mkdir: EPERM), us per call; $N calls, median of 5"
for how in plain report; do
	for _ in 1 2 3 4 5; do
		if [ $how = plain ]; then
			"$SHIM" -q --profile "$WORK/p.json" -- "$DENIALS" "$N"
		else
			"$SHIM" -q --report=/dev/null --profile "$WORK/p.json" -- "$DENIALS" "$N"
		fi
	done | awk '{ print $1 / 1000 }' >"$WORK/den_$how"
	printf '  %-30s %8.2f\n' "$how" "$(median <"$WORK/den_$how")"
done
printf '  %-30s %8.2f\n' "each reported denial costs" \
	"$(awk -v a="$(median <"$WORK/den_report")" -v b="$(median <"$WORK/den_plain")" 'BEGIN { print a - b }')"

echo
echo "(4) a SIGALRM handler without SA_RESTART every 1 ms while denied calls are made"
for how in plain report; do
	if [ $how = plain ]; then
		r=$("$SHIM" -q --profile "$WORK/p.json" -- "$DENIALS" "$N" 1000)
	else
		r=$("$SHIM" -q --report=/dev/null --profile "$WORK/p.json" -- "$DENIALS" "$N" 1000)
	fi
	read -r _ eperm eintr other signals <<<"$r"
	printf '  %-30s EPERM %6d  EINTR %5d  other %d  (%d signals)\n' "$how" "$eperm" "$eintr" "$other" "$signals"
done
