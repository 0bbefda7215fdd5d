# OCI bundles for sections that run containers under the real runc: a
# library sourced by them (its name does not start with t-).
#
#   busybox_bundle DIR ARGS-JSON [PYTHON]
#
# makes DIR a fresh bundle from runc spec with a busybox-static root
# filesystem (the usual applets linked), the static probe and escape
# programs when they are built (/probe, /escape), process.args ARGS, no
# terminal, a writable root and no linux.seccomp; PYTHON then edits the
# config c (json is imported). Sets B to DIR.
#
#   why=$(busybox_bundle_unusable [PROGRAM...]) && skip "..." "$why"
#
# prints why such bundles cannot run here (not root, no runc, no
# busybox-static, a PROGRAM the section needs not built) and succeeds;
# fails, printing nothing, when they can.
busybox_bundle_unusable() {
	local p
	if [ "$(id -u)" != 0 ]; then
		echo "not root (runc needs root here)"
	elif ! command -v runc >/dev/null; then
		echo "runc is not installed (apt-get install runc)"
	elif [ ! -x /bin/busybox ] || ldd /bin/busybox >/dev/null 2>&1; then
		echo "busybox-static is not installed"
	else
		for p in "$@"; do
			if [ ! -x "$p" ]; then
				echo "$p is not built (make check-integration builds it)"
				return 0
			fi
		done
		return 1
	fi
	return 0
}

busybox_bundle() {
	local b="$1" c
	rm -rf "$b" && mkdir -p "$b/rootfs/bin" || return 1
	cp /bin/busybox "$b/rootfs/bin/busybox" || return 1
	for c in sh cat grep sleep echo true ls mount; do ln -s busybox "$b/rootfs/bin/$c"; done
	for c in probe escape; do
		[ -x "$BUILD/tests/integration/$c-static" ] && cp "$BUILD/tests/integration/$c-static" "$b/rootfs/$c"
	done
	(cd "$b" && runc spec) || return 1
	python3 - "$b/config.json" "$2" "${3:-}" <<'EOF_PY'
import json, sys
path, args, edit = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
c = json.load(open(path))
c["process"]["terminal"] = False
c["process"]["args"] = args
c["root"]["readonly"] = False
c["linux"].pop("seccomp", None)
exec(edit)
json.dump(c, open(path, "w"), indent=2)
EOF_PY
	B="$b"
}
