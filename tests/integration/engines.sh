# Real container engines for the integration tests: an isolated podman and
# a private containerd, each with everything it keeps under $WORK/engines,
# and a busybox-static image for both. A library sourced by sections (its
# name does not start with t- so run.sh does not run it as one); sourcing it
# twice is harmless.
#
#   why=$(engine_unusable podman) && skip "..." "$why"   (also containerd)
#   podman_ [GLOBAL-FLAGS] COMMAND ARGS   podman, isolated (PODMAN_CONF: another
#                                         containers.conf); run and create
#                                         get --cgroup-parent of this run's;
#                                         both give up after $ENGINES_TIMEOUT s
#   podman_image                          prints the busybox image's name
#   podman_archive                        prints the path of its docker-archive
#   containerd_start, containerd_stop     the private containerd (started lazily)
#   ctr_ COMMAND ARGS                     ctr on it, in this run's namespace;
#                                         run gets --runc-root and --fifo-dir
#                                         under $WORK, task exec --fifo-dir
#   ctr_image                             prints the image's name there
#   engines_rootfs_tar                    prints the root filesystem tar's path
#   engines_cleanup                       removes every container, stops
#                                         containerd, unmounts; call it at the
#                                         end of a section (the EXIT trap
#                                         calls it too)
#   engines_leftovers                     prints mounts and processes left

if [ -z "${ENGINES_LOADED:-}" ]; then
ENGINES_LOADED=1
ENGINES="$WORK/engines"
# Names unique to this run: several runs may share one machine.
ENGINES_TAG="seccomp-shim-test-$$"
ENGINES_IMAGE="localhost/seccomp-shim-busybox:test"
ENGINES_BUSYBOX=/bin/busybox
# podman_ and ctr_ give up after this many seconds (status 124): a runtime
# that hangs fails its test instead of stopping the run.
ENGINES_TIMEOUT="${SECCOMP_SHIM_ENGINES_TIMEOUT:-120}"
ENGINES_RUNC="${SECCOMP_SHIM_RUNC:-$(command -v runc || echo /usr/sbin/runc)}"
CONTAINERD_DIR="$ENGINES/containerd"
CONTAINERD_SOCK="$CONTAINERD_DIR/containerd.sock"
CONTAINERD_NS="$ENGINES_TAG"
PODMAN_DIR="$ENGINES/podman"
# What is set up and running is kept in files, not variables: these
# functions are often called in a command substitution, a subshell.

# The EXIT trap: engines_cleanup, then whatever the trap did before (run.sh
# removes $WORK; a section may have replaced that with its own). Armed again
# whenever an engine is used, since a section sourced in between may have
# set the trap anew. TERM and HUP exit through it too.
engines_arm_trap() {
	# Not where a caller said (a shell of its own, run for one command).
	[ -z "${ENGINES_NO_TRAP:-}" ] || return 0
	# Not in a subshell (a command substitution): its trap would clean up
	# when the subshell ends.
	[ "$BASHPID" = "$$" ] || return 0
	local prev words
	prev=$(trap -p EXIT)
	case "$prev" in *engines_cleanup*) return 0 ;; esac
	# trap -- 'COMMAND' EXIT
	eval "words=($prev)"
	# shellcheck disable=SC2064 # the previous command, as it is now
	trap "engines_cleanup; ${words[2]:-}" EXIT
	[ -n "$(trap -p TERM)" ] || trap 'exit 143' TERM
	[ -n "$(trap -p HUP)" ] || trap 'exit 129' HUP
}

# Whether overlayfs works with its directories under $WORK (not on an
# overlay itself, the kernel has it): else vfs for podman and native for
# containerd. SECCOMP_SHIM_PODMAN_STORAGE and SECCOMP_SHIM_SNAPSHOTTER
# choose instead.
engines_overlay=""
engines_overlay_works() {
	if [ -z "$engines_overlay" ]; then
		local d="$ENGINES/overlay-check"
		mkdir -p "$d/lower" "$d/upper" "$d/work" "$d/merged"
		if mount -t overlay overlay -o "lowerdir=$d/lower,upperdir=$d/upper,workdir=$d/work" "$d/merged" 2>/dev/null; then
			umount "$d/merged"
			engines_overlay=yes
		else
			engines_overlay=no
		fi
		rm -rf "$d"
	fi
	[ "$engines_overlay" = yes ]
}

# engines_rootfs_tar: a busybox-static root filesystem with every applet,
# made once per run.
engines_rootfs_tar() {
	local tar="$ENGINES/busybox-rootfs.tar" r="$ENGINES/busybox-rootfs"
	if [ ! -f "$tar" ]; then
		rm -rf "$r" && mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/proc" "$r/sys" "$r/dev" "$r/root" || return 1
		chmod 1777 "$r/tmp"
		cp "$ENGINES_BUSYBOX" "$r/bin/busybox" || return 1
		local applet
		for applet in $("$ENGINES_BUSYBOX" --list); do
			[ "$applet" = busybox ] || ln -s busybox "$r/bin/$applet"
		done
		printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$r/etc/passwd"
		printf 'root:x:0:\nnogroup:x:65534:\n' >"$r/etc/group"
		tar -C "$r" --numeric-owner --owner=0 --group=0 -cf "$tar.tmp" . && mv "$tar.tmp" "$tar" || return 1
		rm -rf "$r"
	fi
	echo "$tar"
}

# engine_unusable podman|containerd: prints why that engine cannot run
# here and succeeds; fails, printing nothing, when it can. For containerd
# this starts it.
engine_unusable() {
	if [ "$(id -u)" != 0 ]; then
		echo "not root (the engines run as root here)"
	elif [ ! -x "$ENGINES_BUSYBOX" ] || ldd "$ENGINES_BUSYBOX" >/dev/null 2>&1; then
		echo "busybox-static is not installed"
	elif [ ! -x "$ENGINES_RUNC" ]; then
		echo "runc is not installed (apt-get install runc)"
	else
		case "$1" in
		podman)
			if ! command -v podman >/dev/null; then
				echo "podman is not installed (tests/setup-debian.sh installs it)"
			elif ! command -v conmon >/dev/null && [ ! -x /usr/libexec/podman/conmon ]; then
				echo "conmon is not installed"
			else
				return 1
			fi ;;
		containerd)
			local p
			for p in containerd ctr containerd-shim-runc-v2; do
				if ! command -v "$p" >/dev/null; then
					echo "$p is not installed (tests/setup-debian.sh installs containerd)"
					return 0
				fi
			done
			containerd_start 2>"$ENGINES/containerd-start.err" && return 1
			echo "the private containerd did not start: $(tail -n 3 "$ENGINES/containerd-start.err" | tr '\n' ' ')" ;;
		*)
			echo "no such engine: $1" ;;
		esac
	fi
	return 0
}

# --- podman ---------------------------------------------------------------

# Its configuration alone, not the machine's: no network, logs to files,
# events to a file (no journald or systemd), file locks under its tmpdir
# (not the shared /dev/shm/libpod_lock), the ulimits this machine needs.
podman_setup() {
	[ -f "$PODMAN_DIR/containers.conf" ] && return 0
	mkdir -p "$PODMAN_DIR/root" "$PODMAN_DIR/run" "$PODMAN_DIR/tmp" "$PODMAN_DIR/networks" "$PODMAN_DIR/hooks.d" || return 1
	local driver="${SECCOMP_SHIM_PODMAN_STORAGE:-}"
	if [ -z "$driver" ]; then
		if engines_overlay_works; then driver=overlay; else driver=vfs; fi
	fi
	cat >"$PODMAN_DIR/containers.conf" <<EOF_CONF
[containers]
netns = "none"
log_driver = "k8s-file"
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$PODMAN_DIR/events.log"
lock_type = "file"
tmp_dir = "$PODMAN_DIR/tmp"
runtime = "runc"
hooks_dir = ["$PODMAN_DIR/hooks.d"]

[engine.runtimes]
runc = ["$ENGINES_RUNC"]

[network]
network_config_dir = "$PODMAN_DIR/networks"
EOF_CONF
	cat >"$PODMAN_DIR/storage.conf" <<EOF_CONF
[storage]
driver = "$driver"
graphroot = "$PODMAN_DIR/root"
runroot = "$PODMAN_DIR/run"
EOF_CONF
	: >"$PODMAN_DIR/registries.conf"
	echo "$driver" >"$PODMAN_DIR/driver"
}

# podman_ [GLOBAL-FLAGS] COMMAND ARGS: podman with its own root, runroot,
# tmpdir and configuration; run and create also get this run's cgroup
# parent (conmon's cgroup goes under it as well).
podman_() {
	podman_setup || return 125
	engines_arm_trap
	local globals=() cmd
	while [ $# -gt 0 ]; do
		case "$1" in
		--runtime | --hooks-dir | --runtime-flag | --log-level | --conmon | --storage-opt | --module)
			globals+=("$1" "$2"); shift 2 ;;
		-*) globals+=("$1"); shift ;;
		*) break ;;
		esac
	done
	cmd=${1:-}
	[ $# -gt 0 ] && shift
	local extra=()
	case "$cmd" in run | create) extra=(--cgroup-parent "/$ENGINES_TAG") ;; esac
	CONTAINERS_CONF="${PODMAN_CONF:-$PODMAN_DIR/containers.conf}" \
		CONTAINERS_STORAGE_CONF="$PODMAN_DIR/storage.conf" \
		CONTAINERS_REGISTRIES_CONF="$PODMAN_DIR/registries.conf" \
		timeout -k 5 "$ENGINES_TIMEOUT" podman --root "$PODMAN_DIR/root" --runroot "$PODMAN_DIR/run" \
		--tmpdir "$PODMAN_DIR/tmp" --cgroup-manager cgroupfs --events-backend file \
		--storage-driver "$(cat "$PODMAN_DIR/driver")" \
		"${globals[@]}" ${cmd:+"$cmd"} "${extra[@]}" "$@"
}

# podman_image: imports the root filesystem once; prints the image's name.
podman_image() {
	if [ ! -f "$PODMAN_DIR/imported" ]; then
		local tar
		tar=$(engines_rootfs_tar) || return 1
		podman_ import --quiet "$tar" "$ENGINES_IMAGE" >/dev/null || return 1
		: >"$PODMAN_DIR/imported"
	fi
	echo "$ENGINES_IMAGE"
}

# podman_archive: the image saved once as a docker-archive; prints its path.
podman_archive() {
	local a="$ENGINES/busybox-docker-archive.tar"
	if [ ! -f "$a" ]; then
		podman_image >/dev/null || return 1
		podman_ save --quiet --format docker-archive -o "$a.tmp" "$ENGINES_IMAGE" && mv "$a.tmp" "$a" || return 1
	fi
	echo "$a"
}

# --- containerd -----------------------------------------------------------

# containerd_start: a containerd of this run's, its root, state, sockets
# and configuration under $WORK/engines/containerd, the CRI plugin off.
# Waits for its socket (30 s at most).
containerd_start() {
	containerd_running && return 0
	engines_arm_trap
	mkdir -p "$CONTAINERD_DIR/root" "$CONTAINERD_DIR/state" "$CONTAINERD_DIR/runc" "$CONTAINERD_DIR/fifo" || return 1
	local snapshotter="${SECCOMP_SHIM_SNAPSHOTTER:-}"
	if [ -z "$snapshotter" ]; then
		if engines_overlay_works; then snapshotter=overlayfs; else snapshotter=native; fi
	fi
	echo "$snapshotter" >"$CONTAINERD_DIR/snapshotter"
	cat >"$CONTAINERD_DIR/config.toml" <<EOF_CONF
version = 2
root = "$CONTAINERD_DIR/root"
state = "$CONTAINERD_DIR/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]

[grpc]
  address = "$CONTAINERD_SOCK"

[ttrpc]
  address = "$CONTAINERD_SOCK.ttrpc"

[debug]
  address = ""

[metrics]
  address = ""

[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$CONTAINERD_DIR/opt"
EOF_CONF
	rm -f "$CONTAINERD_SOCK"
	[ -e /run/containerd ] || : >"$CONTAINERD_DIR/run-containerd-was-absent"
	containerd --config "$CONTAINERD_DIR/config.toml" --log-level warn \
		</dev/null >>"$CONTAINERD_DIR/containerd.log" 2>&1 &
	echo $! >"$CONTAINERD_DIR/pid"
	local _
	for _ in $(seq 600); do
		if [ -S "$CONTAINERD_SOCK" ] && ctr --address "$CONTAINERD_SOCK" version >/dev/null 2>&1; then
			return 0
		fi
		# Gone: no use waiting. (Not containerd_running: until the child
		# has exec'd, its command line is still this shell's.)
		engines_alive "$(cat "$CONTAINERD_DIR/pid")" || break
		sleep 0.05
	done
	cat "$CONTAINERD_DIR/containerd.log" >&2
	engines_alive "$(cat "$CONTAINERD_DIR/pid")" && echo "no answer on $CONTAINERD_SOCK in 30 s" >&2
	containerd_stop
	return 1
}

# engines_alive PID: that process exists and is not a zombie.
engines_alive() {
	[ -r "/proc/$1/stat" ] && ! grep -q '^[0-9]* (.*) Z ' "/proc/$1/stat" 2>/dev/null
}

# containerd_running: this run's containerd is (its PID file names a
# containerd with this run's configuration).
containerd_running() {
	local pid
	pid=$(cat "$CONTAINERD_DIR/pid" 2>/dev/null) && [ -n "$pid" ] && engines_alive "$pid" &&
		tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF "$CONTAINERD_DIR/config.toml"
}

# containerd_stop: removes this run's containers there, then stops it.
containerd_stop() {
	[ -f "$CONTAINERD_DIR/pid" ] || return 0
	local pid _ c
	pid=$(cat "$CONTAINERD_DIR/pid")
	if containerd_running; then
		for c in $(ctr_ containers list --quiet 2>/dev/null); do
			ctr_ task kill --signal SIGKILL "$c" >/dev/null 2>&1
			ctr_ task delete --force "$c" >/dev/null 2>&1
			ctr_ containers delete "$c" >/dev/null 2>&1
		done
		kill -TERM "$pid" 2>/dev/null
		for _ in $(seq 100); do engines_alive "$pid" || break; sleep 0.05; done
		engines_alive "$pid" && kill -KILL "$pid" 2>/dev/null
	fi
	# Reaped here when this shell started it; not waited for otherwise.
	wait "$pid" 2>/dev/null
	rm -f "$CONTAINERD_DIR/pid"
	# A shim whose containerd went away first: it has this socket's path
	# among its arguments.
	engines_kill_ours
	# Shims make /run/containerd/s for their sockets, and remove only those;
	# the directories go too if they were not there before this run.
	if [ -f "$CONTAINERD_DIR/run-containerd-was-absent" ]; then
		rmdir /run/containerd/s /run/containerd 2>/dev/null
	fi
}

# ctr_ COMMAND ARGS: ctr on the private containerd, in this run's namespace.
# ctr_ run gets --runc-root and --fifo-dir under $WORK (unless given), and
# task exec --fifo-dir, so that nothing is left in /run/containerd.
ctr_() {
	local pre=()
	case "${1:-}" in
	run)
		case " $* " in *" --runc-root"*) ;; *) pre+=(--runc-root "$CONTAINERD_DIR/runc") ;; esac
		case " $* " in *" --fifo-dir"*) ;; *) pre+=(--fifo-dir "$CONTAINERD_DIR/fifo") ;; esac ;;
	task)
		[ "${2:-}" = exec ] && case " $* " in *" --fifo-dir"*) ;; *) pre+=(--fifo-dir "$CONTAINERD_DIR/fifo") ;; esac ;;
	esac
	local cmd=("$@")
	if [ ${#pre[@]} -gt 0 ]; then
		if [ "$1" = task ]; then cmd=(task exec "${pre[@]}" "${@:3}"); else cmd=(run "${pre[@]}" "${@:2}"); fi
	fi
	CONTAINERD_SNAPSHOTTER="$(cat "$CONTAINERD_DIR/snapshotter" 2>/dev/null || echo overlayfs)" \
		timeout -k 5 "$ENGINES_TIMEOUT" ctr --address "$CONTAINERD_SOCK" --namespace "$CONTAINERD_NS" "${cmd[@]}"
}

# ctr_image: podman's docker-archive imported once; prints the image's name.
ctr_image() {
	if [ ! -f "$CONTAINERD_DIR/imported" ]; then
		local a
		a=$(podman_archive) || return 1
		containerd_start || return 1
		ctr_ images import --snapshotter "$(cat "$CONTAINERD_DIR/snapshotter")" "$a" >/dev/null || return 1
		: >"$CONTAINERD_DIR/imported"
	fi
	echo "$ENGINES_IMAGE"
}

# --- cleaning up ----------------------------------------------------------

# Processes with this run's $WORK among their arguments (conmon, shims,
# sleepers a test started), other than this shell: killed by PID.
engines_pids() {
	local p c
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		{ [ "$p" = $$ ] || [ "$p" = "$BASHPID" ]; } && continue
		c=$(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline")
		case "$c" in *"$ENGINES/"*) echo "$p" ;; esac
	done
}
engines_kill_ours() {
	local p
	for p in $(engines_pids); do kill -KILL "$p" 2>/dev/null; done
}

# Mount points under $WORK, deepest first.
engines_mounts() {
	awk -v w="$WORK/" 'index($5, w) == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

engines_cleanup() {
	if [ -f "$PODMAN_DIR/containers.conf" ]; then
		podman_ rm --all --force --time 0 >/dev/null 2>&1
		podman_ pod rm --all --force >/dev/null 2>&1
	fi
	containerd_stop
	engines_kill_ours
	local m
	for m in $(engines_mounts); do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; done
	# The cgroups of this run's containers (podman's parent, conmon's,
	# containerd's namespace), empty once the containers are gone.
	local d
	for d in /sys/fs/cgroup/"$ENGINES_TAG" /sys/fs/cgroup/*/"$ENGINES_TAG"; do
		[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	return 0
}

# engines_leftovers: what engines_cleanup should have removed and did not.
engines_leftovers() {
	local m p
	for m in $(engines_mounts); do echo "mount $m"; done
	for p in $(engines_pids); do echo "process $p: $(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline")"; done
	for p in /sys/fs/cgroup/"$ENGINES_TAG" /sys/fs/cgroup/*/"$ENGINES_TAG"; do
		[ -d "$p" ] && echo "cgroup $p"
	done
	for p in /run/containerd/runc/"$CONTAINERD_NS" /run/containerd/fifo/*"$CONTAINERD_NS"*; do
		[ -e "$p" ] && echo "left in /run/containerd: $p"
	done
	return 0
}
fi
mkdir -p "$ENGINES"
engines_arm_trap
