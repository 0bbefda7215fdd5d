# check and a run accept and refuse exactly the same profiles (issue #17
# item 2): both go through lib/pipeline.c. For every profile the tests
# have (the fixtures, the seeds, the fuzz regressions, the examples, the
# built-ins, every profile the sections before this one wrote into $WORK)
# and every file of ../shared/profiles: check exits 2 exactly when a run
# exits 125 before exec. The run's target is a static program: that the
# dynamic loader of a program needs mmap and the like is a fact about the
# program, which check is not given (it warns of blocked essentials).

agree_one() { # agree_one FILE: "" when they agree, else why not
	local c r e
	"$SHIM" check -q "$1" >/dev/null 2>&1
	c=$?
	"$SHIM" -q --profile "$1" -- "$BUILD/tests/integration/probe-static" getpid >/dev/null 2>"$WORK/agree.err"
	r=$?
	# 125 from the shim itself: its message, and no program ran.
	e=$(grep -c '^seccomp-shim: ' "$WORK/agree.err")
	if [ "$r" = 125 ] && [ "$e" -gt 0 ]; then r=refused; else r="ran($r)"; fi
	case "$c:$r" in
	2:refused) ;;
	2:*) echo "$1: check exits 2, the run $r" ;;
	*:refused) echo "$1: check exits $c, the run refuses it: $(head -n 1 "$WORK/agree.err")" ;;
	esac
}

printf '{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/agent.sock",\n "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_NOTIFY"}]}' >"$WORK/agree-notify.json"
printf '{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/agent.sock",\n "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_NOTIFY", "includes": {"arches": ["s390x"]}}]}' >"$WORK/agree-notify-elsewhere.json"
agree_files=() agree_bad=()
for f in "$FIX"/*.json "$FIX"/seeds/*.json "$top"/tests/fuzz/regressions/* \
	"$top"/examples/profiles/*.json "$PROFILES_DIR"/*.json "$WORK"/*.json; do
	[ -f "$f" ] && agree_files+=("$f")
done
if [ -d "$SHARED/profiles" ]; then
	for f in "$SHARED"/profiles/*.json; do [ -f "$f" ] && agree_files+=("$f"); done
else
	skip "check and a run agree on ../shared/profiles" "$SHARED/profiles is absent"
fi
for f in "${agree_files[@]}"; do
	why=$(agree_one "$f")
	[ -z "$why" ] || agree_bad+=("$why")
done
check "check and a run agree on all ${#agree_files[@]} profiles (exit 2 exactly when the run exits 125 before exec)" \
	"${agree_bad[*]:-}" ""
shim check "$WORK/agree-notify.json"
check "check refuses a NOTIFY profile, as the run does" "$rc: $(printf '%s\n' "$out" | head -n 1)" \
	"2: $WORK/agree-notify.json: error: the profile uses SCMP_ACT_NOTIFY (listenerPath /run/agent.sock): seccomp-shim does not act as a seccomp agent; change those rules to another action [notify-unsupported]"
