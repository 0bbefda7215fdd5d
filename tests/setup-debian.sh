#!/bin/sh
# Installs what building and testing seccomp-shim needs on Debian or Ubuntu,
# and unpacks podman's default profile (golang-github-containers-common)
# for the tests without installing it. Needs root; uses sudo if not root.
set -eu
[ "$(id -u)" = 0 ] || exec sudo "$0" "$@"
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends build-essential pkg-config \
	libseccomp-dev libjansson-dev libcap-dev check util-linux busybox-static python3 keyutils \
	valgrind clang bubblewrap runc strace
# libFuzzer's runtime (make fuzz); named libclang-rt-N-dev on older releases.
apt-get install -y --no-install-recommends libclang-rt-dev ||
	echo "setup: libclang-rt-dev not available; make fuzz needs libFuzzer from clang" >&2
dest=tests/integration/work/containers-common
if [ ! -f "$dest/usr/share/containers/seccomp.json" ]; then
	rm -rf "$dest" && mkdir -p "$dest"
	(cd "$dest" && apt-get download golang-github-containers-common &&
		dpkg -x golang-github-containers-common_*.deb . && rm -f ./*.deb) ||
		echo "setup: podman's profile could not be fetched; its tests will SKIP" >&2
fi
