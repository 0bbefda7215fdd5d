# Identity and capabilities: what the target's /proc/self/status says, and
# what it can really do with and without each capability. Sourced by run.sh.

echo "# identity and capabilities"

profile open <<'EOF'
{ "defaultAction": "SCMP_ACT_ALLOW" }
EOF
OPEN="$WORK/open.json"

# status_of FIELD...: runs the shim (args before --) on cat /proc/self/status
# and prints the fields asked for, space-separated.
status_of() {
	local args=() fields
	while [ "$1" != -- ]; do args+=("$1"); shift; done
	shift
	fields="$*"
	"$SHIM" --profile "$OPEN" -q "${args[@]}" -- cat /proc/self/status 2>&1 >"$WORK/st" || true
	for f in $fields; do
		case $f in
		Uid | Gid) printf '%s ' "$(awk -v f="$f:" '$1 == f { print $2 "/" $3 "/" $4 "/" $5 }' "$WORK/st")" ;;
		Groups) printf '[%s] ' "$(awk '$1 == "Groups:" { $1 = ""; sub(/^ +/, ""); print }' "$WORK/st")" ;;
		*) printf '%s ' "$(status_field "$f" <"$WORK/st")" ;;
		esac
	done
}

DOCKER_CAPS=CHOWN,DAC_OVERRIDE,FSETID,FOWNER,MKNOD,NET_RAW,SETGID,SETUID,SETFCAP,SETPCAP,NET_BIND_SERVICE,SYS_CHROOT,KILL,AUDIT_WRITE

if ! is_root; then
	skip "identity and capability tests" "not root"
elif ! command -v setpriv >/dev/null; then
	skip "identity and capability tests" "setpriv (util-linux) not installed"
else
	chmod 755 "$WORK"
	check "Docker's default 14 caps, as root" \
		"$(status_of --caps-keep "$DOCKER_CAPS" -- Uid CapInh CapPrm CapEff CapBnd CapAmb)" \
		"0/0/0/0 00000000a80425fb 00000000a80425fb 00000000a80425fb 00000000a80425fb 00000000a80425fb "
	check "ALL dropped, as root" \
		"$(status_of --cap-drop ALL -- Uid CapInh CapPrm CapEff CapBnd CapAmb)" \
		"0/0/0/0 0000000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000 "
	check "one cap kept as a non-root user (nobody)" \
		"$(status_of --user nobody --caps-keep NET_BIND_SERVICE -- Uid Gid Groups CapInh CapPrm CapEff CapBnd CapAmb)" \
		"65534/65534/65534/65534 $(id -g nobody)/$(id -g nobody)/$(id -g nobody)/$(id -g nobody) [] 0000000000000400 0000000000000400 0000000000000400 0000000000000400 0000000000000400 "
	check "a user with no cap options ends with none (as gosu, su-exec)" \
		"$(status_of --user 65534:65534 -- Uid Gid CapPrm CapEff CapAmb)" \
		"65534/65534/65534/65534 65534/65534/65534/65534 0000000000000000 0000000000000000 0000000000000000 "
	check "a uid with no passwd entry gets gid 0 and no groups (Docker)" \
		"$(status_of --user 4242 -- Uid Gid Groups)" "4242/4242/4242/4242 0/0/0/0 [] "
	check "--groups by name and number" \
		"$(status_of --user nobody --groups "$(getent group 0 | cut -d: -f1),12345" -- Groups)" "[0 12345] "
	check "--keep-groups keeps the caller's groups" \
		"$(status_of --user nobody --keep-groups -- Groups)" "[$(awk '$1 == "Groups:" { $1 = ""; sub(/^ +/, ""); print }' /proc/self/status)] "
	if getent group users >/dev/null && ! id -nG nobody | grep -qw users; then
		# Membership comes from /etc/group, read directly: add nobody to
		# nothing, and check that a named user gets exactly its groups.
		check "a named user gets its own groups from /etc/group" \
			"$(status_of --user nobody -- Groups)" "[$(id -G nobody | tr ' ' '\n' | grep -vx "$(id -g nobody)" | tr '\n' ' ' | sed 's/ $//')] "
	fi
	# Docker's rule: --cap-drop/--cap-add shape the bounding set; a
	# non-root user holds only what was named for it.
	check "a non-root user with --cap-drop holds nothing (bounding set shaped)" \
		"$(status_of --user nobody --cap-drop NET_RAW -- CapPrm CapEff CapBnd CapAmb)" \
		"0000000000000000 0000000000000000 $(printf '%016x' $(( 0x$(awk '$1 == "CapBnd:" {print $2}' /proc/self/status) & ~(1 << 13) ))) 0000000000000000 "
	check "a non-root user with --cap-add holds only what was added" \
		"$(status_of --user nobody --cap-drop NET_RAW --cap-add NET_BIND_SERVICE -- CapPrm CapEff CapAmb)" \
		"0000000000000400 0000000000000400 0000000000000400 "
	echo secret >"$WORK/root-only" && chmod 600 "$WORK/root-only"
	out=$("$SHIM" -q --profile runtime/default --user nobody --cap-drop NET_RAW -- cat "$WORK/root-only" 2>&1)
	check "... so it cannot read root's files (CAP_DAC_OVERRIDE is not held)" "$out" \
		"cat: $WORK/root-only: Permission denied"
	shim --profile runtime/default --user nobody --cap-drop NET_RAW -- "$PROBE" unshare 0x10000000
	check "... and runtime/default resolves without CAP_SYS_ADMIN: unshare(CLONE_NEWUSER) denied" "$out" "errno EPERM"
	check "root with --cap-drop holds the rest of its bounding set" \
		"$(status_of --cap-drop NET_RAW -- CapEff)" \
		"$(printf '%016x' $(( 0x$(awk '$1 == "CapBnd:" {print $2}' /proc/self/status) & ~(1 << 13) ))) "
	# Root under SECBIT_NOROOT gains nothing at execve: the profile must
	# resolve for no capabilities, not for the bounding set.
	out=$(setpriv --securebits +noroot "$SHIM" --profile runtime/default -- "$PROBE" unshare 0x10000000 2>&1)
	check "root with SECBIT_NOROOT and no capabilities: CAP_SYS_ADMIN rules do not apply" "$out" "errno EPERM"
	out=$(setpriv --securebits +noroot "$SHIM" -q --profile unconfined -- cat /proc/self/status 2>&1)
	check "... and it really holds nothing" "$(printf '%s\n' "$out" | status_field CapEff)" 0000000000000000
	check "root with nothing: --caps-keep ''" \
		"$(status_of --caps-keep '' -- Uid CapPrm CapEff CapBnd)" \
		"0/0/0/0 0000000000000000 0000000000000000 0000000000000000 "

	# PATH is searched with the target's credentials, as its execvp would.
	mkdir -p "$WORK/path-root-only" "$WORK/path-public"
	printf '#!/bin/sh\necho root-only\n' >"$WORK/path-root-only/which-one"
	printf '#!/bin/sh\necho public\n' >"$WORK/path-public/which-one"
	chmod 755 "$WORK/path-root-only/which-one" "$WORK/path-public/which-one" "$WORK/path-public"
	chmod 700 "$WORK/path-root-only"
	out=$(PATH="$WORK/path-root-only:$WORK/path-public:$PATH" "$SHIM" -q --profile "$OPEN" --user nobody -- which-one 2>&1)
	check "--user: PATH skips a directory the target cannot search (as its execvp would)" "$?|$out" "0|public"
	out=$(PATH="$WORK/path-root-only:$WORK/path-public:$PATH" "$SHIM" -q --profile "$OPEN" -- which-one 2>&1)
	check "... while root finds the first one" "$?|$out" "0|root-only"
	out=$(PATH="$WORK/path-root-only" "$SHIM" -q --profile "$OPEN" --user nobody -- which-one 2>&1)
	check "--user: a command only root can reach cannot be executed by the target (126, as execvp's EACCES), and is not said to be found" "$?|$out" \
		"126|seccomp-shim: which-one: not found in the PATH directories that could be searched; some could not (Permission denied): $WORK/path-root-only"
	out=$(PATH="$WORK/path-root-only:$WORK/path-public" "$SHIM" -q --profile "$OPEN" --user nobody -- no-such-command 2>&1)
	check "--user: a typo with a root-only directory in PATH is not said to be found" "$?|$out" \
		"126|seccomp-shim: no-such-command: not found in the PATH directories that could be searched; some could not (Permission denied): $WORK/path-root-only:$WORK/path-public"
	# uid 0 without CAP_SETGID (a container's root): the message says which
	# capability to grant, not "run as root".
	out=$(setpriv --inh-caps=-all --bounding-set -setgid "$SHIM" -q --profile "$OPEN" --user 65534 -- true 2>&1)
	check "uid 0 without CAP_SETGID: the message names the capability to grant" "$?|$out" \
		"125|seccomp-shim: cannot set the supplementary groups: Operation not permitted (seccomp-shim runs as uid 0 but without CAP_SETGID: grant it (in a container: add it to process.capabilities in config.json; docker or podman run --cap-add SETGID))"

	out=$(setpriv --inh-caps=-all --bounding-set -setuid "$SHIM" -q --profile "$OPEN" --user 65534 -- true 2>&1)
	check "uid 0 without CAP_SETUID: the message names the capability to grant" "$?|$out" \
		"125|seccomp-shim: cannot switch to uid 65534: Operation not permitted (seccomp-shim runs as uid 0 but without CAP_SETUID: grant it (in a container: add it to process.capabilities in config.json; docker or podman run --cap-add SETUID))"

	# Non-root invocations.
	as_nobody() { setpriv --reuid 65534 --regid 65534 --clear-groups "$SHIM" "$@"; }
	out=$(as_nobody --profile "$OPEN" -q --cap-drop NET_RAW -- cat /proc/self/status 2>&1)
	check "non-root: --cap-drop runs, holding nothing" \
		"$(printf '%s\n' "$out" | status_field CapEff)/$(printf '%s\n' "$out" | status_field CapAmb)" \
		"0000000000000000/0000000000000000"
	rm -f "$WORK/trace"
	out=$(as_nobody --profile "$OPEN" --cap-add NET_BIND_SERVICE -- touch "$WORK/trace" 2>&1)
	check "non-root: --cap-add is a clear error, the target never runs" "$?|$out|$([ -e "$WORK/trace" ] && echo ran)" \
		"125|seccomp-shim: cannot add CAP_NET_BIND_SERVICE: seccomp-shim does not hold it (adding capabilities needs root)|"
	out=$(as_nobody --profile "$OPEN" --user root -- touch "$WORK/trace" 2>&1)
	check "non-root: --user is a clear error naming the privilege" "$?|$out|$([ -e "$WORK/trace" ] && echo ran)" \
		"125|seccomp-shim: cannot set the supplementary groups: Operation not permitted (this needs CAP_SETGID: run seccomp-shim as root)|"
	out=$(as_nobody --profile "$OPEN" --user 65534 --keep-groups -- id -u 2>&1)
	check "non-root: --user of oneself works" "$out" "65534"
	rm -f "$WORK/trace"
	out=$("$SHIM" --profile "$OPEN" --user no-such-user -- touch "$WORK/trace" 2>&1)
	check "unknown user: clear error, target never runs" "$?|$out|$([ -e "$WORK/trace" ] && echo ran)" \
		'125|seccomp-shim: user "no-such-user" not found in /etc/passwd (give a numeric uid, or add it there)|'
	out=$("$SHIM" --profile "$OPEN" --user nobody:no-such-group -- touch "$WORK/trace" 2>&1)
	check "unknown group: clear error" "$?|$out" \
		'125|seccomp-shim: group "no-such-group" not found in /etc/group (give a numeric gid, or add it there)'
	out=$("$SHIM" --profile "$OPEN" --groups 1 --keep-groups -- true 2>&1)
	check "--groups with --keep-groups is refused" "$?|$out" \
		"125|seccomp-shim: --groups and --keep-groups contradict each other: give one"

	# What the target can do, with and without each capability.
	# can NAME CAPS-WITH CMD...: runs CMD as root with only CAPS-WITH, then
	# with none; expects success, then failure.
	can() {
		local name=$1 keep=$2 with without
		shift 2
		"$SHIM" --profile "$OPEN" -q --caps-keep "$keep" -- "$@" >/dev/null 2>&1
		with=$?
		"$SHIM" --profile "$OPEN" -q --caps-keep '' -- "$@" >/dev/null 2>&1
		without=$?
		check "$name: works with $keep, fails without" "$with/$([ "$without" != 0 ] && echo fails)" "0/fails"
	}
	touch "$WORK/owned"
	can "chown of a file" CHOWN chown 12345 "$WORK/owned"
	can "raw socket" NET_RAW perl -MSocket -e 'socket(my $s, PF_INET, SOCK_RAW, 1) or exit 1'
	can "chroot" SYS_CHROOT chroot / true
	can "mknod of a device" MKNOD sh -c "rm -f '$WORK/null' && mknod '$WORK/null' c 1 3"
	setpriv --reuid 12345 --regid 12345 --clear-groups sleep 30 &
	victim=$!
	sleep 0.2
	can "kill of another user's process" KILL kill -0 "$victim"
	kill "$victim" 2>/dev/null
	wait "$victim" 2>/dev/null
	bind80='use IO::Socket::INET; IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => 80, Listen => 1, ReuseAddr => 1) or exit 1'
	"$SHIM" --profile "$OPEN" -q --user nobody --caps-keep NET_BIND_SERVICE -- perl -e "$bind80"
	with=$?
	"$SHIM" --profile "$OPEN" -q --user nobody --caps-keep '' -- perl -e "$bind80"
	without=$?
	check "bind to port 80 as nobody: works with NET_BIND_SERVICE, fails without" "$with/$without" "0/1"

	# includes/excludes caps resolve against the set the target ends with.
	profile conditional <<'EOF'
{ "defaultAction": "SCMP_ACT_ALLOW",
  "syscalls": [
    { "names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "excludes": { "caps": ["CAP_SYS_ADMIN"] } },
    { "names": ["rmdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 5, "includes": { "caps": ["CAP_SYS_ADMIN"] } }
  ] }
EOF
	shim --profile "$WORK/conditional.json" --caps-keep SYS_ADMIN -- "$PROBE" mkdir 0
	r1=$out
	shim --profile "$WORK/conditional.json" --caps-keep CHOWN -- "$PROBE" mkdir 0
	check "excludes.caps: mkdir allowed with SYS_ADMIN kept, denied when dropped" "$r1/$out" "errno EFAULT/errno EPERM"
	shim --profile "$WORK/conditional.json" --caps-keep SYS_ADMIN -- "$PROBE" rmdir 0
	r1=$out
	shim --profile "$WORK/conditional.json" --cap-drop SYS_ADMIN -- "$PROBE" rmdir 0
	check "includes.caps: rmdir denied with SYS_ADMIN kept, allowed when dropped" "$r1/$out" "errno EIO/errno EFAULT"

	out=$("$SHIM" --profile "$OPEN" -v --user nobody --caps-keep NET_BIND_SERVICE -- true 2>&1 | head -1)
	check "--verbose prints the identity" "$out" "seccomp-shim: user uid 65534, gid $(id -g nobody), groups (none)"
fi
