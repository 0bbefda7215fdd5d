# examples/Dockerfile and examples/kubernetes/pod.yaml, run as written.
# First their seccomp-shim command lines on this machine with this build's
# paths: the image's files in a directory, its user in a mount namespace of
# its own, port 80 in a network namespace of its own, the Pod's
# capabilities from setpriv and its RuntimeDefault from the shim. Then the
# Dockerfile built for real by podman, FROM a local stand-in for its base
# image, and the Pod run from that image by podman kube play (engines.sh).
# What cannot run here is skipped and said: the real base image (in a
# registry), a Kubernetes cluster. Sourced by run.sh.

echo "# image examples (examples/Dockerfile, examples/kubernetes/pod.yaml)"

# shellcheck source=tests/integration/engines.sh
. "$top/tests/integration/engines.sh"

STATIC="${SECCOMP_SHIM_STATIC:-$top/seccomp-shim-static}"
PROBE_STATIC="$BUILD/tests/integration/probe-static"
IX="$WORK/image-examples"
mkdir -p "$IX"

# What the two files say, as bash variables (image-examples.py); a file
# that does not say it fails its check here, and the runs below with it.
DF_COPY=() DF_COMPILE=() DF_ENTRYPOINT=() DF_CMD=() DF_FROM="" DF_TAG="" DF_USER="" DF_UID=""
python3 "$top/tests/integration/image-examples.py" dockerfile "$top/examples/Dockerfile" >"$IX/dockerfile.sh" 2>"$IX/dockerfile.err"
rc=$?
# shellcheck source=/dev/null
. "$IX/dockerfile.sh"
# Where the Dockerfile puts the static shim: every command line's first word.
IMAGE_SHIM=""
for ((i = 0; i + 1 < ${#DF_COPY[@]}; i += 2)); do
	[ "${DF_COPY[i]}" = seccomp-shim-static ] && IMAGE_SHIM=${DF_COPY[i + 1]}
done
check "examples/Dockerfile: its user, seccomp-shim compile line, ENTRYPOINT and CMD, each running the shim it copies in" \
	"$rc|$(cat "$IX/dockerfile.err")|${IMAGE_SHIM:-no COPY of seccomp-shim-static}|${DF_COMPILE[0]:-}|${DF_ENTRYPOINT[0]:-}" \
	"0||$IMAGE_SHIM|$IMAGE_SHIM|$IMAGE_SHIM"

POD_ARGV=() POD_PARSER="" POD_KIND="" POD_NAME="" POD_CONTAINER="" POD_IMAGE="" POD_RUN_AS=""
POD_CAPS_DROP="" POD_CAPS_ADD="" POD_SECCOMP="" POD_MOUNT="" POD_CONFIGMAP="" CM_NAME="" CM_KEY="" CM_FILE=""
python3 "$top/tests/integration/image-examples.py" pod "$top/examples/kubernetes/pod.yaml" >"$IX/pod.sh" 2>"$IX/pod.err"
rc=$?
# shellcheck source=/dev/null
. "$IX/pod.sh"
check "examples/kubernetes/pod.yaml parses as YAML (${POD_PARSER:-python3 yaml or a minimal reader}): a Pod whose container starts through the image's shim" \
	"$rc|$(cat "$IX/pod.err")|$POD_KIND|${POD_ARGV[0]:-}" "0||Pod|$IMAGE_SHIM"
# Its image is what the Dockerfile's recipe tags (docker build -t NAME,
# so NAME:latest); it mounts the ConfigMap its comment makes, and its
# --profile is that ConfigMap's file.
pod_profile=""
for i in "${!POD_ARGV[@]}"; do [ "${POD_ARGV[i]}" = --profile ] && pod_profile=${POD_ARGV[i + 1]}; done
check "examples/kubernetes/pod.yaml: the image examples/Dockerfile's recipe tags, and --profile is the file of the ConfigMap its comment makes" \
	"$POD_IMAGE|$POD_CONFIGMAP|$pod_profile|$([ -f "$top/$CM_FILE" ] && echo "$CM_FILE exists")" \
	"${DF_TAG:-no tag}:latest|$CM_NAME|$POD_MOUNT/$CM_KEY|$CM_FILE exists"

# The build context of the Dockerfile's recipe: examples/ with the static
# shim copied in.
CTX="$IX/context"
cp -r "$top/examples" "$CTX" && cp "$STATIC" "$CTX/seccomp-shim-static" 2>/dev/null

# map_args DIR=ROOT... -- ARG...: sets mapped to the ARGs, each under the
# first DIR it is in put under that DIR's ROOT.
map_args() {
	local maps=() a m
	while [ "$1" != -- ]; do maps+=("$1"); shift; done
	shift
	mapped=()
	for a in "$@"; do
		for m in "${maps[@]}"; do
			case "$a" in "${m%%=*}"/*) a="${m#*=}$a"; break ;; esac
		done
		mapped+=("$a")
	done
}

# listening PID: the process's network namespace has a TCP socket
# listening on port 80.
listening() {
	awk '$2 ~ /:0050$/ && $4 == "0A" { found = 1 } END { exit !found }' "/proc/$1/net/tcp" 2>/dev/null
}
# serving PID: waits (5 s at most) for it to listen on port 80; prints
# what the kernel says of it, and the effective verdicts its filters give
# mkdir and ptrace (the deny-list's EROFS and EPERM), as inspect reads
# them back.
serving() {
	local _ s="/proc/$1/status"
	for _ in $(seq 100); do listening "$1" && break; sleep 0.05; done
	printf '%s uid=%s CapEff=%s CapBnd=%s CapAmb=%s Seccomp=%s filters=%s ' \
		"$(listening "$1" && echo listening || echo "not listening on :80")" \
		"$(status_field Uid <"$s" 2>/dev/null)" "$(status_field CapEff <"$s" 2>/dev/null)" \
		"$(status_field CapBnd <"$s" 2>/dev/null)" "$(status_field CapAmb <"$s" 2>/dev/null)" \
		"$(status_field Seccomp <"$s" 2>/dev/null)" "$(status_field Seccomp_filters <"$s" 2>/dev/null)"
	"$SHIM" inspect --format json "$1" 2>/dev/null | python3 -c '
import json, sys
arch = json.load(sys.stdin)["effective"]["arches"][0]
said = {n: v["verdict"].get("errnoName", v["verdict"]["action"]) for v in arch["denied"] for n in v["syscalls"]}
said.update({c["syscall"]: "depends" for c in arch.get("conditional", [])})
print(" ".join("%s=%s" % (n, said.get(n, "ALLOW")) for n in sys.argv[1:]))' mkdir ptrace 2>/dev/null
}
# What an image running as $DF_USER with CAP_NET_BIND_SERVICE alone shows
# (the Dockerfile's and the Pod's).
SERVES="listening uid=$DF_UID CapEff=0000000000000400 CapBnd=0000000000000400 CapAmb=0000000000000400 Seccomp=2 filters=2 mkdir=EROFS ptrace=EPERM"
CONFINED="CapEff: 0000000000000400 CapBnd: 0000000000000400 CapAmb: 0000000000000400 NoNewPrivs: 1 Seccomp: 2"
# The other command those runs give the ENTRYPOINT: what the kernel says
# of it, its uid, and two calls the deny-list denies (ptrace unless
# CAP_SYS_PTRACE is kept).
STATUS_CMD='grep -E "^(CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp|Seccomp_filters):" /proc/self/status; id -u; "$0" mkdir 0; "$0" ptrace 0x4206 0'

# ---- this machine: the command lines with this build's paths --------------

# The image: its COPY lines, from the context to IMG; then its RUN
# seccomp-shim compile line (as the build runs it, as root when the tests
# are).
IMG="$IX/image"
img_maps=()
for ((i = 0; i + 1 < ${#DF_COPY[@]}; i += 2)); do
	mkdir -p "$IMG$(dirname "${DF_COPY[i + 1]}")" && cp "$CTX/${DF_COPY[i]}" "$IMG${DF_COPY[i + 1]}" 2>/dev/null
	img_maps+=("$(dirname "${DF_COPY[i + 1]}")=$IMG")
done
if [ ! -x "$STATIC" ]; then
	skip "examples/Dockerfile: its RUN seccomp-shim compile line" "the static shim is not built (make static)"
else
	map_args "${img_maps[@]}" -- "${DF_COMPILE[@]}"
	out=$("${mapped[@]}" 2>&1)
	rc=$?
	if [ "$rc" = 0 ]; then
		ok "examples/Dockerfile: its RUN seccomp-shim compile line"
	else
		not_ok "examples/Dockerfile: its RUN seccomp-shim compile line" "exit $rc: ${mapped[*]}" "$out"
	fi
fi

local_skip=""
if ! is_root; then
	local_skip="not root (the image's user is made in a mount namespace, and --user needs CAP_SETUID)"
elif [ ! -x "$STATIC" ] || [ ! -x "$PROBE" ]; then
	local_skip="the static shim or probe is not built (make check-integration builds them)"
elif ! command -v perl >/dev/null; then
	local_skip="perl is not installed (the CMD runs perl, which $DF_FROM has)"
elif ! command -v unshare >/dev/null || ! command -v setpriv >/dev/null; then
	local_skip="unshare or setpriv (util-linux) is not installed"
fi
if [ -n "$local_skip" ]; then
	skip "examples/Dockerfile and pod.yaml's command lines, run here" "$local_skip"
else
	# The user the image's RUN useradd makes (uid and gid DF_UID), added
	# to this machine's.
	mkdir -p "$IMG/etc"
	{ grep -v "^$DF_USER:" /etc/passwd; echo "$DF_USER:x:$DF_UID:$DF_UID::/nonexistent:/bin/sh"; } >"$IMG/etc/passwd"
	{ grep -v "^$DF_USER:" /etc/group; echo "$DF_USER:x:$DF_UID:"; } >"$IMG/etc/group"
	# in_image COMMAND...: COMMAND with the image's users, in mount and
	# network namespaces of its own; PIDFILE, if set, gets its PID.
	in_image() {
		unshare -m -n -- "$BASH" -c '[ -z "${PIDFILE:-}" ] || echo $$ >"$PIDFILE"
			mount --bind "$1/etc/passwd" /etc/passwd && mount --bind "$1/etc/group" /etc/group || exit 125
			shift; exec "$@"' in_image "$IMG" "$@"
	}

	map_args "${img_maps[@]}" -- "${DF_ENTRYPOINT[@]}" "${DF_CMD[@]}"
	out=$(in_image "${mapped[@]}" 2>&1 </dev/null)
	check "examples/Dockerfile: ENTRYPOINT and CMD: the server binds port 80 as $DF_USER" \
		"$?|$out" "0|listening on :80 as uid $DF_UID"
	map_args "${img_maps[@]}" -- "${DF_ENTRYPOINT[@]}"
	out=$(in_image "${mapped[@]}" sh -c "$STATUS_CMD" "$PROBE" 2>&1 </dev/null)
	check "examples/Dockerfile: ENTRYPOINT with another command: app.bpf confines it (mkdir EROFS, ptrace EPERM), as $DF_USER with CAP_NET_BIND_SERVICE alone" \
		"$?|$(printf '%s' "$out" | tr -s '\t\n' '  ')" "0|$CONFINED Seccomp_filters: 1 $DF_UID errno EROFS errno EPERM"
	# Its comment: the file is refused anywhere it would not hold. Here:
	# for a command that keeps CAP_SYS_PTRACE too, which the profile's
	# excludes name.
	for i in "${!mapped[@]}"; do [ "${mapped[i]}" = --caps-keep ] && mapped[i + 1]+=,SYS_PTRACE; done
	out=$(in_image "${mapped[@]}" true 2>&1 </dev/null)
	check "examples/Dockerfile: app.bpf is refused for a command holding other capabilities (--caps-keep ...,SYS_PTRACE)" \
		"$?|$(printf '%s' "$out" | grep -c 'compiled for a command holding other capabilities')" "125|1"

	# The Pod's command line: the image's shim, the ConfigMap's file at the
	# volume's mount point, the container's capabilities (drop, then add;
	# none inheritable, as containerd gives them) and user, under
	# runtime/default for the Pod's RuntimeDefault. Its server sleeps once
	# it listens: read, then killed.
	PODFS="$IX/pod"
	mkdir -p "$PODFS$POD_MOUNT" && cp "$top/$CM_FILE" "$PODFS$POD_MOUNT/$CM_KEY"
	bset=""
	for c in ${POD_CAPS_DROP//,/ }; do c=${c#CAP_} && bset+=",-${c,,}"; done
	for c in ${POD_CAPS_ADD//,/ }; do c=${c#CAP_} && bset+=",+${c,,}"; done
	map_args "$POD_MOUNT=$PODFS" "${img_maps[@]}" -- "${POD_ARGV[@]}"
	rm -f "$IX/pod.pid"
	PIDFILE="$IX/pod.pid" in_image setpriv --reuid "${POD_RUN_AS:-0}" --bounding-set "${bset#,}" --inh-caps -all -- \
		"$STATIC" --profile "$POD_SECCOMP" -- \
		"${mapped[@]}" </dev/null >"$IX/pod-here.out" 2>&1 &
	job=$!
	for _ in $(seq 100); do [ -s "$IX/pod.pid" ] && break; sleep 0.05; done
	pid=$(cat "$IX/pod.pid" 2>/dev/null)
	out=$(serving "${pid:-0}")
	kill "$pid" 2>/dev/null
	wait "$job"
	check "examples/kubernetes/pod.yaml: its command line here, with the Pod's capabilities and ConfigMap: listens on :80 as $DF_USER, CAP_NET_BIND_SERVICE alone, under RuntimeDefault and the deny-list" \
		"$out" "$SERVES"
	[ "$out" = "$SERVES" ] || sed 's/^/     | /' "$IX/pod-here.out"
fi

# ---- podman: the image built, the Pod played --------------------------------

# standin_unusable: why a stand-in for the base image cannot be made here
# (it takes this machine's useradd and perl); fails when it can.
standin_unusable() {
	if ! command -v useradd >/dev/null || ! command -v perl >/dev/null; then
		echo "useradd or perl is not installed (a local stand-in for $DF_FROM takes them from this machine)"
	elif [ ! -x "$STATIC" ] || [ ! -x "$PROBE_STATIC" ]; then
		echo "the static shim or probe is not built (make check-integration builds them)"
	else
		return 1
	fi
	return 0
}
# standin_image NAME: imports a stand-in for the Dockerfile's base image
# as NAME: the busybox-static root filesystem with what the Dockerfile
# asks of its base, from this machine: useradd (its RUN) and perl with the
# modules the CMD loads (-M), their libraries.
standin_image() {
	local r="$IX/standin" f mods=() dirs=() bins=()
	rm -rf "$r" && mkdir -p "$r" && tar -C "$r" -xf "$(engines_rootfs_tar)" || return 1
	# The directories of perl's @INC that the CMD's modules come from.
	for f in "${DF_CMD[@]}"; do case "$f" in -M*) mods+=("$f") ;; esac; done
	mapfile -t dirs < <(perl "${mods[@]}" -e '
		my %d; for my $f (values %INC) { for (@INC) { $d{$_} = 1 if index($f, "$_/") == 0 } }
		print "$_\n" for sort keys %d')
	[ ${#dirs[@]} -gt 0 ] || return 1
	for f in "${dirs[@]}"; do mkdir -p "$r$f" && cp -a "$f/." "$r$f/" || return 1; done
	bins=("$(command -v useradd)" "$(command -v perl)")
	mapfile -t -O 2 bins < <(find "${dirs[@]}" -name '*.so')
	for f in "${bins[@]:0:2}" $(ldd "${bins[@]}" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && !/:$/ { print $1 }' | sort -u) \
		/etc/login.defs /etc/default/useradd; do
		[ -e "$f" ] || continue
		mkdir -p "$r$(dirname "$f")" && cp -L "$f" "$r$f" || return 1
	done
	printf 'root:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n' >"$r/etc/shadow"
	printf 'root:*::\nnogroup:*::\n' >"$r/etc/gshadow"
	chmod 0640 "$r/etc/shadow" "$r/etc/gshadow"
	tar -C "$r" --numeric-owner --owner=0 --group=0 -cf - . | podman_ import --quiet - "$1" >/dev/null
}

podman_ran=""
if why=$(engine_unusable podman) || why=$(standin_unusable); then
	skip "examples/Dockerfile by podman build, pod.yaml by podman kube play" "$why"
else
	STANDIN="localhost/seccomp-shim-standin:test"
	standin_image "$STANDIN"
	check "a local stand-in for $DF_FROM (busybox-static, this machine's useradd and perl)" "$?" 0
	out=$(podman_ build --quiet --pull=never --network none --from "$STANDIN" -t "$DF_TAG" \
		-f "$top/examples/Dockerfile" "$CTX" 2>&1 </dev/null)
	rc=$?
	if [ "$rc" = 0 ]; then
		ok "podman build -t $DF_TAG -f examples/Dockerfile (FROM the stand-in)"
	else
		not_ok "podman build -t $DF_TAG -f examples/Dockerfile (FROM the stand-in)" "exit $rc" "$out"
	fi
	podman_ran=yes
	out=$(podman_ run --rm "$DF_TAG" 2>&1 </dev/null)
	check "podman run $DF_TAG: the server binds port 80 as $DF_USER" "$?|$out" "0|listening on :80 as uid $DF_UID"
	out=$(podman_ run --rm -v "$PROBE_STATIC:/probe:ro" "$DF_TAG" sh -c "$STATUS_CMD" /probe 2>&1 </dev/null)
	check "podman run $DF_TAG with another command: podman's filter and app.bpf (mkdir EROFS, ptrace EPERM), as $DF_USER with CAP_NET_BIND_SERVICE alone" \
		"$?|$(printf '%s' "$out" | tr -s '\t\n' '  ')" "0|$CONFINED Seccomp_filters: 2 $DF_UID errno EROFS errno EPERM"

	# The Pod: the ConfigMap as its comment makes it; the pod's infra
	# container from the busybox image (podman would build its pause image
	# from catatonit).
	python3 "$top/tests/integration/image-examples.py" configmap "$CM_NAME" "$CM_KEY" "$top/$CM_FILE" >"$IX/configmap.yaml"
	PAUSE="localhost/seccomp-shim-pause:test"
	podman_ import --quiet --change 'CMD ["/bin/sleep", "2147483647"]' "$(engines_rootfs_tar)" "$PAUSE" >/dev/null
	sed "/^\[engine\]/a infra_image = \"$PAUSE\"" "$PODMAN_DIR/containers.conf" >"$IX/kube.conf"
	out=$(PODMAN_CONF="$IX/kube.conf" podman_ kube play --configmap "$IX/configmap.yaml" \
		"$top/examples/kubernetes/pod.yaml" 2>&1 </dev/null)
	rc=$?
	pod_id=$(podman_ pod inspect --format '{{.Id}}' "$POD_NAME" 2>/dev/null)
	pid=$(podman_ inspect --format '{{.State.Pid}}' "$POD_NAME-$POD_CONTAINER" 2>/dev/null)
	check "podman kube play examples/kubernetes/pod.yaml: listens on :80 as $DF_USER, CAP_NET_BIND_SERVICE alone, under RuntimeDefault and the ConfigMap's deny-list" \
		"$rc|$(serving "${pid:-0}")" "0|$SERVES"
	[ "$rc" = 0 ] || printf '%s\n' "$out" | sed 's/^/     | /'
	podman_ pod rm --force --time 0 "$POD_NAME" >/dev/null 2>&1
	# podman puts a pod's cgroup under libpod_parent, not this run's, and
	# leaves some of its hierarchies behind.
	if [ -n "$pod_id" ]; then
		for d in /sys/fs/cgroup/libpod_parent/"$pod_id" /sys/fs/cgroup/*/libpod_parent/"$pod_id"; do
			[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
		done
	fi
	engines_cleanup
fi

# What none of the above is.
skip "examples/Dockerfile FROM $DF_FROM itself" \
	"its base image is in a registry, which this machine has no access to$([ -n "$podman_ran" ] && echo "; built FROM a local stand-in above")"
skip "examples/kubernetes/pod.yaml on Kubernetes (kubectl create configmap, kubectl apply)" \
	"no Kubernetes cluster here$([ -n "$podman_ran" ] && echo "; podman kube play ran it above")"
