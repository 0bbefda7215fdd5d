#!/bin/sh
# make fuzz: runs both libFuzzer targets side by side for SECONDS each.
# New corpus entries stay under BUILD; a crash, leak, timeout or an
# out-of-memory stops that run and makes this script exit non-zero.
# Keep what it found: copy the crash-* file into tests/fuzz/regressions
# (or regressions-bpf), which check-unit replays on every build.
set -u
build=$1 seconds=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
out="$build/fuzz-out"
mkdir -p "$out/corpus-profile" "$out/corpus-bpf" "$out/artifacts"

# libseccomp's own leaks are not findings (see lsan.supp).
export LSAN_OPTIONS="suppressions=$top/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

run() { # run NAME EXTRA-ARGS...: logs to $out/NAME.log
	name=$1
	shift
	"$build/tests/fuzz/fuzz-$name" -max_total_time="$seconds" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$out/artifacts/$name-" "$@" >"$out/$name.log" 2>&1
}

echo "fuzz: $seconds s per target, logs in $out"
run profile -max_len=65536 -dict="$top/tests/fuzz/profile.dict" \
	"$out/corpus-profile" "$top/examples/profiles" "$top/tests/fixtures" "$top/tests/fixtures/seeds" \
	"$top/profiles" "$top/tests/fuzz/regressions" &
p1=$!
run bpf -max_len=32832 "$out/corpus-bpf" "$top/tests/fuzz/regressions-bpf" &
p2=$!
wait $p1
r1=$?
wait $p2
r2=$?

for name in profile bpf; do
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$name.log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/$name.log")
	rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$out/$name.log")
	echo "fuzz-$name: ${runs:-?} executions, ${rate:-?}/s, peak RSS ${rss:-?} MB"
done
if [ "$r1" != 0 ] || [ "$r2" != 0 ]; then
	echo "fuzz: FINDING (profile exit $r1, bpf exit $r2); inputs in $out/artifacts:" >&2
	ls "$out/artifacts" >&2
	tail -n 40 "$out/profile.log" "$out/bpf.log" >&2
	exit 1
fi
echo "fuzz: no finding"
