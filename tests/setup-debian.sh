#!/bin/sh
# Installs what building and testing seccomp-shim needs on Debian or Ubuntu,
# podman and containerd among it, and puts podman's default profile
# (golang-github-containers-common) where the tests look for it. Needs
# root; uses sudo if not root.
set -eu
[ "$(id -u)" = 0 ] || exec sudo "$0" "$@"
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends build-essential pkg-config \
	libseccomp-dev libjansson-dev libcap-dev check util-linux busybox-static python3 keyutils \
	valgrind clang bubblewrap runc strace
# The engines the runtime wrapper is tested under, as root, with
# --network none (tests/integration/engines.sh). On Debian 12 without
# recommends this brings conmon, golang-github-containers-common and -image,
# and one network stack for containers-common's dependency (apt takes
# containernetworking-plugins, with iptables); containerd brings ctr and
# containerd-shim-runc-v2. Storage is the kernel's overlayfs (or vfs), so
# none of the recommends are needed: fuse-overlayfs, slirp4netns and uidmap
# are for rootless podman, catatonit for --init, netavark's aardvark-dns
# for DNS between containers, dbus-user-session for systemd cgroups.
apt-get install -y --no-install-recommends podman containerd
# libFuzzer's runtime (make fuzz); named libclang-rt-N-dev on older releases.
apt-get install -y --no-install-recommends libclang-rt-dev ||
	echo "setup: libclang-rt-dev not available; make fuzz needs libFuzzer from clang" >&2
dest=tests/integration/work/containers-common
if [ ! -f "$dest/usr/share/containers/seccomp.json" ] && [ -f /usr/share/containers/seccomp.json ] &&
	dpkg -S /usr/share/containers/seccomp.json 2>/dev/null | grep -q '^golang-github-containers-common:'; then
	mkdir -p "$dest/usr/share/containers" && cp /usr/share/containers/seccomp.json "$dest/usr/share/containers/"
fi
if [ ! -f "$dest/usr/share/containers/seccomp.json" ]; then
	rm -rf "$dest" && mkdir -p "$dest"
	(cd "$dest" && apt-get download golang-github-containers-common &&
		dpkg -x golang-github-containers-common_*.deb . && rm -f ./*.deb) ||
		echo "setup: podman's profile could not be fetched; its tests will SKIP" >&2
fi
