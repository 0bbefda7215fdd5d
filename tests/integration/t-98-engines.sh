# The runtime wrapper under the real engines (engines.sh): podman with
# --runtime, containers.conf and --hooks-dir, containerd through
# ctr run --runc-binary (the BinaryName a RuntimeClass selects), each with
# a busybox-static image imported locally. The examples in examples/node
# are run as written, with the paths of this build. Sourced by run.sh.

echo "# runtime wrapper under podman and containerd"

# shellcheck source=tests/integration/engines.sh
. "$top/tests/integration/engines.sh"

# A private /usr/local/bin: the shim, the static shim beside it (what
# reporting mounts) and the wrapper link, as make install lays them out.
NODE="$WORK/node"
mkdir -p "$NODE/bin" "$NODE/etc"
install -m 0755 "$SHIM" "$NODE/bin/seccomp-shim"
[ -x "${SECCOMP_SHIM_STATIC:-$top/seccomp-shim-static}" ] &&
	install -m 0755 "${SECCOMP_SHIM_STATIC:-$top/seccomp-shim-static}" "$NODE/bin/seccomp-shim-static"
ln -sf seccomp-shim "$NODE/bin/seccomp-shim-runc"
WRAPPER="$NODE/bin/seccomp-shim-runc"
PROBE_MOUNT="$BUILD/tests/integration/probe-static"
# example FILE: an example with this build's paths for /usr/local/bin.
example() {
	sed "s|/usr/local/bin/|$NODE/bin/|g" "$top/examples/node/$1"
}
node_policy() { # node_policy JSON: the policy the engines' wrapper reads
	printf '%s\n' "$1" >"$NODE/etc/policy.json"
	chmod 0644 "$NODE/etc/policy.json"
}
# containerd passes its environment to the runtime: the policy is named
# there, as an operator would in its unit. podman passes none (nor to
# hooks): its runtime reads /etc/seccomp-shim/policy.json, which node_podman
# makes $NODE/etc's, in a mount namespace of its own.
export SECCOMP_SHIM_POLICY="$NODE/etc/policy.json"
# The mount point is made if missing, and left: another run on this
# machine may be using it (an empty directory, where the policy goes).
[ -e /etc/seccomp-shim ] || ! is_root || mkdir -p /etc/seccomp-shim
export -f podman_ podman_setup engines_arm_trap engines_overlay_works
export PODMAN_DIR ENGINES ENGINES_TAG ENGINES_TIMEOUT ENGINES_RUNC WORK
node_podman() { # node_podman ARGS: podman_ ARGS, /etc/seccomp-shim being $NODE/etc
	ENGINES_NO_TRAP=1 unshare -m --propagation private -- "$BASH" -c \
		'mount --bind "$1" /etc/seccomp-shim || exit 125; shift; podman_ "$@"' _ "$NODE/etc" "$@"
}
status_of() { grep -E '^(Seccomp|NoNewPrivs):' | tr -s '\t\n' '  ' | sed 's/ $//'; }

engines_ok=""
if [ ! -x "$NODE/bin/seccomp-shim-static" ] || [ ! -x "$PROBE_MOUNT" ]; then
	skip "runtime wrapper under the engines" "the static shim or probe is not built (make check-integration builds them)"
elif why=$(engine_unusable podman); then
	skip "runtime wrapper under podman" "$why"
else
	engines_ok=podman
	img=$(podman_image)
	P_RUN=(run --rm --runtime "$WRAPPER" -v "$PROBE_MOUNT:/probe:ro")

	# No policy's say on the engine's profile: podman's own is kept.
	node_policy '{}'
	# keyctl tells the two apart: podman's profile allows it (EINVAL for
	# these arguments), runtime/default denies it.
	out=$(node_podman "${P_RUN[@]}" "$img" sh -c 'grep Seccomp: /proc/self/status; /probe keyctl 0' </dev/null)
	check "podman --runtime wrapper, an empty policy: podman's own profile stays (keyctl allowed)" "$?|$(printf '%s' "$out" | tr -s '\t\n' '  ')" "0|Seccomp: 2 errno EINVAL"

	# Unconfined asked of podman: the wrapper's default applies.
	out=$(node_podman "${P_RUN[@]}" --security-opt seccomp=unconfined "$img" sh -c 'grep Seccomp: /proc/self/status; /probe keyctl 0' </dev/null)
	check "podman --security-opt seccomp=unconfined: runtime/default all the same (no linux.seccomp gets the default)" \
		"$?|$(printf '%s' "$out" | tr -s '\t\n' '  ')" "0|Seccomp: 2 errno EPERM"

	# A policy that replaces engines' profiles: the container runs exactly
	# runtime/default for its capabilities, as inspect reads it back.
	node_policy '{"engineProfiles": "replace"}'
	cid=$(node_podman run -d --runtime "$WRAPPER" -v "$PROBE_MOUNT:/probe:ro" "$img" sleep 600 </dev/null)
	pid=$(podman_ inspect --format '{{.State.Pid}}' "$cid")
	"$SHIM" inspect "$pid" --profile runtime/default >"$WORK/inspect.out" 2>&1
	check "policy engineProfiles replace: podman's container runs runtime/default (inspect --profile runtime/default: equal)" "$?" 0
	out=$(node_podman exec "$cid" /probe keyctl 0)
	check "... podman exec through the wrapper: under it, its output back" "$?|$out" "0|errno EPERM"
	node_podman exec "$cid" sh -c 'exit 9'
	check "... podman exec: the exit status comes back" "$?" 9
	node_podman stop --time 1 "$cid" >/dev/null && node_podman rm "$cid" >/dev/null
	check "... podman stop and rm (kill, delete) through the wrapper" "$?|$(podman_ ps -aq | grep -c "${cid:0:12}")" "0|0"

	# A refusing policy: podman shows the policy's message, nothing runs.
	node_policy '{"defaultProfile": "refuse"}'
	out=$(node_podman "${P_RUN[@]}" --security-opt seccomp=unconfined "$img" echo started 2>&1 </dev/null)
	rc=$?
	check "policy defaultProfile refuse: podman run --security-opt seccomp=unconfined fails with the policy's message" \
		"$([ "$rc" != 0 ] && echo failed)|$(printf '%s' "$out" | grep -c "policy forbids Unconfined: linux.seccomp is absent and defaultProfile is refuse (/etc/seccomp-shim/policy.json)")|$(printf '%s' "$out" | grep -c started)" \
		"failed|1|0"
	printf '{ "report": ' >"$NODE/etc/policy.json"
	out=$(node_podman "${P_RUN[@]}" "$img" echo started 2>&1 </dev/null)
	check "a malformed policy: podman run fails, naming it, nothing runs" \
		"$([ $? != 0 ] && echo failed)|$(printf '%s' "$out" | grep -q "/etc/seccomp-shim/policy.json:1:" && echo 1)|$(printf '%s' "$out" | grep -c started)" "failed|1|0"

	# Reporting: the denial is in the container's log. podman's profile
	# (kept) denies acct and add_key with ENOSYS.
	node_policy '{"report": "on"}'
	cid=$(node_podman run -d --runtime "$WRAPPER" -v "$PROBE_MOUNT:/probe:ro" "$img" sh -c '/probe acct 0; /probe add_key 0 0 0 0 0; exit 4' </dev/null)
	node_podman wait "$cid" >"$WORK/wait.out"
	podman_ logs "$cid" >"$WORK/logs.out" 2>&1
	check "report on: the exit status passes through the reporting shim" "$(cat "$WORK/wait.out")" 4
	check "... each denied call is in podman logs, with its name" \
		"$(grep -c -E '^seccomp-shim: denied: .* x86_64 (acct|add_key)\(' "$WORK/logs.out")|$(grep -c -E '^errno (EPERM|ENOSYS)$' "$WORK/logs.out")" "2|2"
	node_podman rm "$cid" >/dev/null

	# The example policy, as written.
	example policy.json >"$NODE/etc/policy.json"
	out=$(node_podman "${P_RUN[@]}" "$img" sh -c 'grep Seccomp: /proc/self/status; /probe unshare 0x10000000' 2>&1 </dev/null)
	check "examples/node/policy.json: podman's profile replaced by runtime/default, the denial reported" \
		"$?|$(printf '%s\n' "$out" | grep -c -E '^Seccomp:.2$|^errno EPERM$|^seccomp-shim: denied: .* unshare\(')" "0|3"
	out=$(node_podman "${P_RUN[@]}" --cap-add SYS_ADMIN "$img" true 2>&1 </dev/null)
	check "... and a container with CAP_SYS_ADMIN refused (maxCapabilities)" \
		"$([ $? != 0 ] && echo failed)|$(printf '%s' "$out" | grep -c 'policy allows no CAP_SYS_ADMIN (maxCapabilities in')" "failed|1"

	# examples/node/containers.conf, merged into this podman's own.
	node_policy '{}'
	python3 - "$PODMAN_DIR/containers.conf" "$WORK/containers.conf" <<EOF_PY
import sys
ours, example = open(sys.argv[1]).read(), """$(example containers.conf)"""
def section(text, name):
	out, on = [], False
	for line in text.splitlines():
		if line.startswith("["):
			on = line.strip() == name
		elif on and line.strip() and not line.startswith("#"):
			out.append(line)
	return out
merged = []
for line in ours.splitlines():
	if line.startswith("runtime = "):
		merged += section(example, "[engine]")
		continue
	merged.append(line)
	if line.strip() == "[engine.runtimes]":
		merged += section(example, "[engine.runtimes]")
open(sys.argv[2], "w").write("\n".join(merged) + "\n")
EOF_PY
	check "examples/node/containers.conf: podman takes the wrapper as its runtime" \
		"$(PODMAN_CONF="$WORK/containers.conf" node_podman info --format '{{.Host.OCIRuntime.Name}} {{.Host.OCIRuntime.Path}}')" "seccomp-shim $WRAPPER"
	out=$(PODMAN_CONF="$WORK/containers.conf" node_podman run --rm --security-opt seccomp=unconfined "$img" grep Seccomp: /proc/self/status </dev/null)
	check "... and a container run with it gets the policy's default" "$?|$(printf '%s' "$out" | tr -s '\t' ' ')" "0|Seccomp: 2"
	# examples/node/README's recipe: the example policy and containers.conf.
	example policy.json >"$NODE/etc/policy.json"
	out=$(PODMAN_CONF="$WORK/containers.conf" node_podman run --rm "$img" \
		sh -c 'unshare -U true; grep Seccomp: /proc/self/status' 2>&1 </dev/null)
	check "examples/node/README's recipe prints what it says" \
		"$?|$(printf '%s\n' "$out" | grep -c -E '^unshare: unshare\(0x10000000\): Operation not permitted$|^seccomp-shim: denied: .* unshare\(|^Seccomp:.2$')" "0|3"
	node_policy '{}'

	# examples/node/hooks.d, with podman's plain runc.
	mkdir -p "$WORK/hooks-precreate" "$WORK/hooks-check"
	example hooks.d/seccomp-shim-precreate.json >"$WORK/hooks-precreate/seccomp-shim-precreate.json"
	example hooks.d/seccomp-shim-check.json >"$WORK/hooks-check/seccomp-shim-check.json"
	node_policy '{}'
	if true; then
		out=$(node_podman --hooks-dir "$WORK/hooks-precreate" run --rm --security-opt seccomp=unconfined "$img" grep Seccomp: /proc/self/status </dev/null)
		check "examples/node/hooks.d precreate: with plain runc, an unconfined container gets runtime/default" \
			"$?|$(printf '%s' "$out" | tr -s '\t' ' ')" "0|Seccomp: 2"
		out=$(node_podman --hooks-dir "$WORK/hooks-check" run --rm --security-opt seccomp=unconfined "$img" echo started 2>&1 </dev/null)
		check "examples/node/hooks.d createRuntime check: the same container is refused, with the reason" \
			"$([ $? != 0 ] && echo failed)|$(printf '%s' "$out" | grep -c 'the policy would change this container')|$(printf '%s' "$out" | grep -c '^started')" "failed|1|0"
		out=$(node_podman --hooks-dir "$WORK/hooks-check" run --rm "$img" echo started 2>&1 </dev/null)
		check "... and a container with podman's own profile starts" "$?|$out" "0|started"
	fi
fi

if [ ! -x "$NODE/bin/seccomp-shim-static" ] || [ ! -x "$PROBE_MOUNT" ]; then
	: # said above
elif why=$(engine_unusable containerd); then
	skip "runtime wrapper under containerd" "$why"
else
	engines_ok="$engines_ok containerd"
	img=$(ctr_image)
	MOUNT=(--mount "type=bind,src=$PROBE_MOUNT,dst=/probe,options=rbind:ro")
	# A Docker-format profile whose includes and excludes decide the
	# verdicts for the container's capabilities (ctr's default set has
	# CAP_KILL, not CAP_SYS_ADMIN).
	mkdir -p "$NODE/profiles"
	cp "$FIX/includes-by-caps.json" "$NODE/profiles/caps.json"
	chmod 0644 "$NODE/profiles/caps.json"
	VERDICTS='/probe mkdir 0 0; /probe setns -1 0; /probe chdir 0'
	out=$(ctr_ run --rm --seccomp --seccomp-profile "$NODE/profiles/caps.json" --runc-binary "$ENGINES_RUNC" "${MOUNT[@]}" \
		"$img" "${ENGINES_TAG}-plain" sh -c "$VERDICTS" </dev/null)
	check "plain containerd drops includes/excludes: every rule applies (mkdir ENOSYS, setns EPERM, chdir EPERM)" \
		"$?|$(printf '%s' "$out" | tr '\n' ' ')" "0|errno ENOSYS errno EPERM errno EPERM"
	node_policy "{\"allowedProfiles\": [\"$NODE/profiles/\"]}"
	out=$(ctr_ run --rm --runc-binary "$WRAPPER" --annotation "org.seccomp-shim.profile=$NODE/profiles/caps.json" "${MOUNT[@]}" \
		"$img" "${ENGINES_TAG}-wrapped" sh -c "$VERDICTS" </dev/null)
	check "ctr run --runc-binary wrapper, the profile by annotation: resolved (mkdir allowed, setns allowed, chdir EPERM)" \
		"$?|$(printf '%s' "$out" | tr '\n' ' ')" "0|errno EFAULT errno EBADF errno EPERM"

	example policy.json >"$NODE/etc/policy.json"
	ctr_ run -d --runc-binary "$WRAPPER" "${MOUNT[@]}" "$img" "${ENGINES_TAG}-life" sleep 600 </dev/null >/dev/null
	check "containerd, examples/node/policy.json: the container starts" "$?" 0
	out=$(ctr_ task exec --exec-id e1 "${ENGINES_TAG}-life" /probe unshare 0x10000000 2>"$WORK/ctr-exec.err")
	check "... ctr task exec through the wrapper (--process in /tmp): denied and reported" \
		"$?|$out|$(grep -c 'denied: .* unshare(' "$WORK/ctr-exec.err")" "0|errno EPERM|1"
	ctr_ task exec --exec-id e2 "${ENGINES_TAG}-life" sh -c 'exit 6' 2>/dev/null
	check "... its exit status comes back" "$?" 6
	check "... ctr task ps passes through: the reporting shim and its command" "$(ctr_ task ps "${ENGINES_TAG}-life" | grep -c -E '^[0-9]+ ')" 2
	ctr_ task kill --signal SIGKILL "${ENGINES_TAG}-life" && sleep 0.5 && ctr_ task delete "${ENGINES_TAG}-life" >/dev/null &&
		ctr_ containers delete "${ENGINES_TAG}-life"
	check "... kill and delete pass through" "$?" 0

	node_policy '{"requireNoNewPrivileges": true, "defaultProfile": "refuse"}'
	out=$(ctr_ run --rm --runc-binary "$WRAPPER" "$img" "${ENGINES_TAG}-refused" echo started 2>&1 </dev/null)
	check "containerd shows the refusal verbatim (read back from runc's --log)" \
		"$([ $? != 0 ] && echo failed)|$(printf '%s' "$out" | grep -c 'policy forbids Unconfined: linux.seccomp is absent and defaultProfile is refuse')" "failed|1"

	# examples/node/containerd-config.toml: containerd reads it, and its
	# runtime's BinaryName is the wrapper (what --runc-binary set above).
	example containerd-config.toml >"$WORK/containerd-example.toml"
	check "examples/node/containerd-config.toml: containerd reads it; BinaryName is the wrapper" \
		"$(containerd --config "$WORK/containerd-example.toml" config dump 2>&1 | grep -c "BinaryName = \"$WRAPPER\"")" 1
fi

check "examples/node/daemon.json is JSON naming the wrapper" \
	"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["runtimes"]["seccomp-shim"]["path"])' "$top/examples/node/daemon.json")" \
	"/usr/local/bin/seccomp-shim-runc"
skip "examples/node/daemon.json, runtimeclass.yaml under Docker and Kubernetes" "neither runs here (no Docker, no cluster)"

engines_cleanup
[ -n "$engines_ok" ] && check "engines: nothing left behind" "$(engines_leftovers)" ""
unset SECCOMP_SHIM_POLICY
