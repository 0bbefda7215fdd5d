# The engines themselves, as the runtime wrapper's tests use them: an
# isolated podman and a private containerd (engines.sh) running busybox
# with the real runc. Proves the test infrastructure: seccomp state, exit
# status and stdio come through each engine, and nothing is left behind.
# Sourced by run.sh.

echo "# engines (podman, containerd) with runc"

# shellcheck source=tests/integration/engines.sh
. "$top/tests/integration/engines.sh"

seccomp_of() { grep -E '^Seccomp:' | awk '{ print $2 }'; }

if why=$(engine_unusable podman); then
	skip "podman" "$why"
else
	img=$(podman_image)
	check "podman: the busybox image is imported" "$?|$img" "0|$ENGINES_IMAGE"
	check "podman: its runtime is runc" \
		"$(podman_ info --format '{{.Host.OCIRuntime.Path}}')" "$ENGINES_RUNC"
	out=$(podman_ run --rm "$img" cat /proc/self/status </dev/null)
	check "podman run: podman's default profile (Seccomp: 2)" "$?|$(seccomp_of <<<"$out")" "0|2"
	out=$(podman_ run --rm --security-opt seccomp=unconfined "$img" cat /proc/self/status </dev/null)
	check "podman run --security-opt seccomp=unconfined: Seccomp: 0" "$?|$(seccomp_of <<<"$out")" "0|0"
	podman_ run --rm "$img" sh -c 'exit 7' </dev/null
	check "podman run: the exit status comes back" "$?" 7
	out=$(printf 'in\n' | podman_ run --rm -i "$img" sh -c 'cat; echo out; echo err >&2' 2>"$WORK/podman.err")
	check "podman run -i: stdin in, stdout and stderr apart" "$?|$out|$(cat "$WORK/podman.err")" "0|in
out|err"
fi

if why=$(engine_unusable containerd); then
	skip "containerd" "$why"
else
	img=$(ctr_image)
	check "containerd: the image is imported from podman's docker-archive" "$?|$img" "0|$ENGINES_IMAGE"
	out=$(ctr_ run --rm --runc-binary "$ENGINES_RUNC" "$img" "${ENGINES_TAG}-status" cat /proc/self/status </dev/null)
	check "ctr run --runc-binary runc: no profile without --seccomp (Seccomp: 0)" "$?|$(seccomp_of <<<"$out")" "0|0"
	out=$(ctr_ run --rm --seccomp --runc-binary "$ENGINES_RUNC" "$img" "${ENGINES_TAG}-seccomp" cat /proc/self/status </dev/null)
	check "ctr run --seccomp: containerd's default profile (Seccomp: 2)" "$?|$(seccomp_of <<<"$out")" "0|2"
	ctr_ run --rm --runc-binary "$ENGINES_RUNC" "$img" "${ENGINES_TAG}-exit" sh -c 'exit 7' </dev/null
	check "ctr run: the exit status comes back" "$?" 7
	# ctr does not pass on the end of its stdin (the process would wait for
	# it for ever): one line is read.
	out=$(printf 'in\n' | ctr_ run --rm --runc-binary "$ENGINES_RUNC" "$img" "${ENGINES_TAG}-stdio" sh -c 'read -r line; echo "$line"; echo out; echo err >&2' 2>"$WORK/ctr.err")
	check "ctr run: stdin in, stdout and stderr apart" "$?|$out|$(cat "$WORK/ctr.err")" "0|in
out|err"
fi

# Containers left running, as a failed test would leave them: the cleanup
# removes them with everything else.
if [ -z "$(engine_unusable podman)" ] && [ -z "$(engine_unusable containerd)" ]; then
	podman_ run -d "$(podman_image)" sleep 1000 >/dev/null
	ctr_ run -d --runc-binary "$ENGINES_RUNC" "$(ctr_image)" "${ENGINES_TAG}-left" sleep 1000 >/dev/null
	engines_cleanup
	check "engines_cleanup: no containers, mounts, processes or cgroups left" "$(engines_leftovers)" ""
else
	engines_cleanup
fi
