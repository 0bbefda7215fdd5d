#!/usr/bin/env bash
# Integration tests: real programs under the real shim and real filters.
# Each test reads what the kernel did (/proc/PID/status, errno, signals),
# never the shim's own account of it. Ends with "N passed, N failed".
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
SHIM="${SECCOMP_SHIM_BIN:-$top/seccomp-shim}"
BUILD="${SECCOMP_SHIM_BUILD:-$top/build}"
PROBE="$BUILD/tests/integration/probe"
FIX="$top/tests/fixtures"
PROFILES_DIR="$top/profiles"
SHARED="${SECCOMP_SHIM_SHARED:-$top/../shared}"
PODMAN_PROFILE="${SECCOMP_SHIM_PODMAN_PROFILE:-$top/tests/integration/work/containers-common/usr/share/containers/seccomp.json}"
WORK=$(mktemp -d /tmp/seccomp-shim-test.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
# Compiled filters are cached; the tests use a cache of their own.
export XDG_CACHE_HOME="$WORK/cache"

passed=0 failed=0 skipped=0
ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$1"; }
not_ok() {
	failed=$((failed + 1))
	printf 'FAIL %s\n' "$1"
	shift
	for line in "$@"; do printf '     %s\n' "$line"; done
}
skip() { skipped=$((skipped + 1)); printf 'SKIP %s: %s\n' "$1" "$2"; }

# check NAME ACTUAL EXPECTED
check() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "expected: $3" "actual:   $2"; fi
}

# Runs the shim; sets out, err, rc.
shim() {
	out=$("$SHIM" "$@" 2>"$WORK/stderr")
	rc=$?
	err=$(cat "$WORK/stderr")
}

profile() { # profile NAME: writes stdin to $WORK/NAME.json
	cat >"$WORK/$1.json"
}

status_field() { # status_field FIELD: from stdin (a /proc/PID/status copy)
	awk -v f="$1:" '$1 == f { print $2 }'
}

is_root() { [ "$(id -u)" = 0 ]; }

# Arguments name sections to run (t-85-cache.sh); none runs them all.
sections=("$@")
[ ${#sections[@]} -gt 0 ] || sections=("$top"/tests/integration/t-*.sh)
for section in "${sections[@]}"; do
	case "$section" in */*) ;; *) section="$top/tests/integration/$section" ;; esac
	# shellcheck source=/dev/null
	. "$section"
done

echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
