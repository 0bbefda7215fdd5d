# check, explain, eval, export, compile, diff. Each is held to what the
# kernel does: eval against a real run, export bpf against bwrap, export
# json/oci against the filter compiled from the original. Sourced by run.sh.

echo "# seeing through a profile"

SEEDS="$top/tests/fixtures/seeds"

# check_codes NAME EXIT PROFILE CODES...: the exit status and the [codes]
# of the findings, in order.
check_codes() {
	local name=$1 want=$2 prof=$3
	shift 3
	out=$("$SHIM" check "$prof" 2>&1)
	rc=$?
	check "check $name" "$rc|$(printf '%s\n' "$out" | sed -n 's/.*\[\([a-z-]*\)\]$/\1/p' | tr '\n' ' ')" \
		"$want|$*${*:+ }"
}
check_codes "an audit profile is clean" 0 "$SEEDS/000-audit-log.json"
check_codes "deny-all: execve is an error, five essentials warnings (fork's clone among them)" 2 "$SEEDS/000-deny-all.json" \
	blocks-essential blocks-essential blocks-essential blocks-essential blocks-essential blocks-essential
check_codes "comments and a trailing comma" 2 "$SEEDS/001-go-arches-comments.json" json-comment json-syntax
check_codes "Go architecture names, and the entries with no action after them" 2 "$SEEDS/001-go-arches.json" \
	unknown-architecture missing-action missing-action missing-action
check_codes "entries with no action: all three in one run" 2 "$SEEDS/001-names-without-action.json" \
	missing-action missing-action missing-action
check_codes "allow rules under an allow default" 0 "$SEEDS/001-custom-allow-everything.json" \
	json-comment same-as-default same-as-default same-as-default deny-list portability portability portability
check_codes "a CKS allow-list without execve (nor clone)" 2 "$SEEDS/002-cks-allow-list.json" \
	blocks-essential blocks-essential blocks-essential blocks-essential blocks-essential
check_codes "a template with comments for values" 2 "$SEEDS/004-placeholders.json" json-comment json-syntax
check_codes "runtime/default is clean" 0 runtime/default
# (its AF_PACKET rule tests the family with EQ: socket(0x100000011) gets by)
check_codes "the example deny-list: its gaps, and a 32-bit test high bits get around" 0 \
	"$top/examples/profiles/deny-list.json" \
	deny-list deny-list-gap deny-list-gap deny-list-gap deny-list-gap wide-compare-int-arg

out=$("$SHIM" check "$SEEDS/001-go-arches.json" 2>&1)
check "check names file:line:column, field and fix" "$(printf '%s\n' "$out" | head -1)" \
	"$SEEDS/001-go-arches.json:3:21: error: architectures[0]: unknown architecture \"amd64\": write it as \"SCMP_ARCH_X86_64\" (runc and Docker refuse \"amd64\" too) [unknown-architecture]"
out=$("$SHIM" check "$SEEDS/001-go-arches-comments.json" 2>&1)
check "check: the comment warning and the trailing comma" "$out" \
"$SEEDS/001-go-arches-comments.json:12:5: warning: syscalls[1]: 1 comment, which JSON does not have: runc, crun and Docker refuse this file; remove it [json-comment]
$SEEDS/001-go-arches-comments.json:13:3: error: syscalls[1]: invalid JSON: unexpected token near ']' (a comma before ] or }: JSON allows none there; remove it) [json-syntax]
1 profile: 1 error, 1 warning"
"$SHIM" check --strict "$SEEDS/001-custom-allow-everything.json" >/dev/null 2>&1
check "check --strict: warnings fail with 1" "$?" 1
"$SHIM" check --strict "$SEEDS/000-audit-log.json" runtime/default >/dev/null 2>&1
check "check --strict: clean profiles pass with 0" "$?" 0
out=$("$SHIM" check --format json "$SEEDS/000-deny-all.json")
check "check --format json" "$(printf '%s' "$out" | python3 -c '
import json, sys
f = json.load(sys.stdin)[0]
print(f["severity"], f["code"], f["line"], f["column"], f["path"], f["fix"])')" \
	"error blocks-essential 2 22 defaultAction allow \"execve\""

profile lint <<'EOF_PROFILE'
{ "defaultAction": "SCMP_ACT_ERRNO",
  "syscalls": [
    { "names": ["execve", "exit_group", "exit", "rt_sigreturn", "execveat", "read"], "action": "SCMP_ACT_ALLOW" },
    { "names": ["read"], "action": "SCMP_ACT_ALLOW" },
    { "names": ["mkdri"], "action": "SCMP_ACT_ALLOW" },
    { "names": ["getpid"], "action": "SCMP_ACT_KILL" },
    { "names": ["write"], "action": "SCMP_ACT_ALLOW" },
    { "names": ["write"], "action": "SCMP_ACT_LOG", "args": [ { "index": 0, "value": 2, "op": "SCMP_CMP_EQ" } ] },
    { "names": ["close"], "action": "SCMP_ACT_ERRNO" }
  ] }
EOF_PROFILE
out=$("$SHIM" check "$WORK/lint.json" 2>&1)
check "check: unknown name with did-you-mean, repeat, KILL, shadowed, same as default" \
	"$(printf '%s\n' "$out" | grep -v '^    fix' | sed "s|$WORK/||")" \
"lint.json:5:17: warning: syscalls[2].names[0]: unknown syscall \"mkdri\" skipped (libseccomp $("$SHIM" version | awk '/libseccomp/ {print $2}') does not know it; did you mean \"mkdir\"?) [unknown-syscall]
lint.json:1:20: warning: defaultAction: blocks clone (it gets ERRNO(EPERM)): fork(), posix_spawn() and threads create processes with it (here without namespace flags): sh cannot run a command [blocks-essential]
lint.json:6:38: warning: syscalls[3].action: SCMP_ACT_KILL means SCMP_ACT_KILL_THREAD: only the calling thread dies, and the rest of a threaded program runs on [kill-means-thread]
lint.json:9:37: warning: syscalls[6].action: has no effect: ERRNO(EPERM) is also the default action [same-as-default]
lint.json:4:17: warning: syscalls[1].names[0]: \"read\" repeats syscalls[0].names[5] (same action, same conditions) [repeated-rule]
lint.json:8:17: warning: syscalls[5].names[0]: has no effect: syscalls[4].names[0] decides \"write\" for all arguments (an unconditional rule overrides conditional ones) [shadowed-rule]
1 profile: 0 errors, 6 warnings"

profile mask <<'EOF_PROFILE'
{ "defaultAction": "SCMP_ACT_ALLOW",
  "syscalls": [
    { "names": ["close"], "action": "SCMP_ACT_ERRNO",
      "args": [ { "index": 0, "value": 12, "valueTwo": 3, "op": "SCMP_CMP_MASKED_EQ" } ] }
  ] }
EOF_PROFILE
out=$("$SHIM" check "$WORK/mask.json" 2>&1)
check "check: a masked value with bits outside its mask" \
	"$(printf '%s\n' "$out" | grep -A1 'mask-value' | sed "s|$WORK/||")" \
"mask.json:4:56: warning: syscalls[0].args[0].valueTwo: 0x3 has bits outside the mask 0xc: the filter compares arg & 0xc with 0x0 [mask-value]
    fix: keep only the bits of valueTwo that are set in value (the mask)"
out=$("$SHIM" eval "$WORK/mask.json" close 16)
check "eval: a masked test as the filter makes it" "$out" \
	"close(16): ERRNO(EPERM) by syscalls[0].names[0] ($WORK/mask.json:3:17, when arg0 & 0xc == 0x3)"

# explain --stats: which compiler, and libseccomp's program beside ours.
out=$("$SHIM" explain -q --stats runtime/default | tail -1)
check "explain --stats: our program has libseccomp's verdicts" \
	"$(printf '%s\n' "$out" | sed 's/has [0-9]* instructions/has N instructions/; s/all [0-9]* inputs/all M inputs/')" \
	"compiled by: seccomp-shim; libseccomp $("$SHIM" version | awk '/libseccomp/ {print $2}')'s program for the same rules has N instructions and gives the same verdict on all M inputs tried"
out=$("$SHIM" explain -q --stats --libseccomp runtime/default | tail -1)
check "explain --stats --libseccomp: its tree, held to the rules" "$(printf '%s\n' "$out" | sed 's/all [0-9]* inputs/all M inputs/')" \
	"compiled by: libseccomp $("$SHIM" version | awk '/libseccomp/ {print $2}'), its binary tree (as asked), which follows the rules on all M inputs tried"
out=$("$SHIM" explain -q --stats --linear runtime/default | tail -1)
check "explain --stats --linear: its linear program, held to the rules" "$(printf '%s\n' "$out" | sed 's/all [0-9]* inputs/all M inputs/')" \
	"compiled by: libseccomp $("$SHIM" version | awk '/libseccomp/ {print $2}'), its linear program (as asked), which follows the rules on all M inputs tried"
ours=$("$SHIM" explain --stats runtime/default | sed -n 's/^instructions: //p')
theirs=$("$SHIM" explain --stats --libseccomp runtime/default | sed -n 's/^instructions: //p')
check "our runtime/default program is shorter than libseccomp's" "$([ "$ours" -lt "$theirs" ] && echo yes || echo "no: $ours vs $theirs")" yes

# Real profiles from other projects: our program gives libseccomp's
# verdicts, here and on aarch64, with all and with no capabilities.
if [ -d "$SHARED/profiles" ]; then
	for f in "$SHARED"/profiles/*.json; do
		for how in "--caps ALL" "--caps ''" "--arch aarch64 --caps ALL"; do
			out=$(eval "\"\$SHIM\" explain --stats $how \"\$f\"" 2>&1 | tail -1)
			case $out in
			*"errnoRet: 12345 is out of range"*) continue ;; # refused by runc too (t-10)
			"compiled by: seccomp-shim; "*"gives the same verdict on all"*) ;;
			*) not_ok "our program has libseccomp's verdicts: $(basename "$f") $how" "$out"; continue 2 ;;
			esac
		done
		ok "our program has libseccomp's verdicts: $(basename "$f")"
	done
else
	skip "libseccomp's verdicts on profiles from other projects" "$SHARED/profiles not present"
fi

# explain
out=$("$SHIM" explain runtime/default --caps "$DOCKER_CAPS")
check "explain: a header line" "$(printf '%s\n' "$out" | head -1 | sed 's/[0-9]* rules/N rules/')" \
	"runtime/default on SCMP_ARCH_X86_64: default action ERRNO(ENOSYS), N rules, $("$SHIM" export runtime/default --caps "$DOCKER_CAPS" --format bpf | wc -c | awk '{print $1 / 8}') BPF instructions"
check "explain: groups by verdict" "$(printf '%s\n' "$out" | grep -E '^[A-Z]+(\([A-Z]+\))? \([0-9]+\):$' | sed 's/ (.*//' | tr '\n' ' ')" \
	"ALLOW ERRNO(EPERM) ERRNO(ENOSYS) "
check "explain: conditional rules spelt out" "$(printf '%s\n' "$out" | sed -n '/^  clone:$/,/otherwise/p' | head -3)" \
"  clone:
    ALLOW when arg0 & 0x7e020000 == 0
    ERRNO(EPERM) when arg0 & 0x20000 == 0x20000"
out=$("$SHIM" explain runtime/default --arch aarch64 --caps "$DOCKER_CAPS" | head -1 | sed 's/[0-9]* rules/N rules/')
check "explain --arch aarch64" "$out" \
	"runtime/default on SCMP_ARCH_AARCH64: default action ERRNO(ENOSYS), N rules, $("$SHIM" export runtime/default --arch aarch64 --caps "$DOCKER_CAPS" --format bpf | wc -c | awk '{print $1 / 8}') BPF instructions"

# eval, and eval against the kernel: the same call under the shim.
out=$("$SHIM" eval "$FIX/allow-basic.json" mkdir)
check "eval: decided by the default action" "$?|$out" "1|mkdir: ERRNO(EPERM) by default action"
out=$("$SHIM" eval "$FIX/allow-basic.json" read)
check "eval: decided by a rule, with its place" "$?|$out" "0|read: ALLOW by syscalls[0].names[68] ($FIX/allow-basic.json:77:9)"
out=$("$SHIM" eval "$FIX/allow-basic.json" 451)
check "eval: decided by the ENOSYS stub" "$out" "cachestat: ERRNO(ENOSYS) by the ENOSYS stub (above 439, the highest syscall the profile names here)"
out=$("$SHIM" eval runtime/default --caps "$DOCKER_CAPS" clone 0x10000000)
check "eval: argument conditions" "$out" \
	"clone(0x10000000): ERRNO(EPERM) by syscalls[44].names[0] (runtime/default:1103:9, when arg0 & 0x10000000 == 0x10000000)"
out=$("$SHIM" eval runtime/default --arch x86 --caps "$DOCKER_CAPS" socketcall 1 2>&1)
check "eval --arch x86: i386 socketcall is refused whole" "$out" "socketcall(1): ERRNO(EPERM) by syscalls[48].names[0] (runtime/default:1191:9)"
out=$("$SHIM" eval runtime/default --arch aarch64 open 2>&1)
check "eval: a syscall the arch does not have" "$?|$out" "125|seccomp-shim: eval: open: not a syscall on SCMP_ARCH_AARCH64 (other architectures have it)"
out=$("$SHIM" eval runtime/default mkdri 2>&1)
check "eval: an unknown syscall" "$?|$out" "125|seccomp-shim: eval: mkdri: unknown syscall (did you mean \"mkdir\"?)"

# What the kernel says for each call: ALLOW means the same result as with
# no filter at all; ERRNO(X) means errno X; KILL means SIGSYS.
kernel_agrees() { # kernel_agrees PROFILE SYSCALL [ARG...]
	local prof=$1 verdict confined plain
	shift
	verdict=$("$SHIM" eval "$prof" --caps "$DOCKER_CAPS" "$@" 2>&1 | sed 's/^[^:]*: \([A-Z_]*\(([A-Z0-9]*)\)\{0,1\}\).*/\1/')
	confined=$("$SHIM" --profile "$prof" --caps-keep "$DOCKER_CAPS" -- "$PROBE" "$@" 2>/dev/null)
	local status=$?
	plain=$("$PROBE" "$@" 2>/dev/null)
	case $verdict in
	ALLOW | LOG) [ "$confined" = "$plain" ] ;;
	ERRNO\(*\)) [ "$confined" = "errno ${verdict:6:-1}" ] ;;
	KILL_THREAD | KILL_PROCESS) [ "$status" = 159 ] ;;
	*) false ;;
	esac || { not_ok "eval agrees with the kernel: $prof $*" "eval: $verdict" "run:  $confined (exit $status)" "plain: $plain"; return; }
	agreed=$((agreed + 1))
}
if is_root; then
	agreed=0 total=0
	profile agree <<'EOF_PROFILE'
{ "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 131,
  "syscalls": [
    { "names": ["execve", "exit_group", "brk", "mmap", "munmap", "mprotect", "arch_prctl", "access",
                "openat", "newfstatat", "fstat", "close", "read", "pread64", "write", "set_tid_address",
                "set_robust_list", "rseq", "prlimit64", "getrandom", "rt_sigaction", "rt_sigprocmask",
                "rt_sigreturn", "getpid", "uname", "futex", "exit", "sigaltstack"], "action": "SCMP_ACT_ALLOW" },
    { "names": ["getppid"], "action": "SCMP_ACT_KILL_PROCESS" },
    { "names": ["getpriority"], "action": "SCMP_ACT_ERRNO", "errnoRet": 42,
      "args": [ { "index": 0, "value": 0, "op": "SCMP_CMP_EQ" } ] },
    { "names": ["getpriority"], "action": "SCMP_ACT_ALLOW",
      "args": [ { "index": 0, "value": 1, "op": "SCMP_CMP_EQ" } ] },
    { "names": ["umask"], "action": "SCMP_ACT_LOG" }
  ] }
EOF_PROFILE
	for call in "getppid" "getpriority 0 0" "getpriority 1 0" "getpriority 2 0" "umask 0" \
		"mkdir 0" "uname 0" "451" "getuid"; do
		total=$((total + 1))
		# shellcheck disable=SC2086
		kernel_agrees "$WORK/agree.json" $call
	done
	for call in "getuid" "mkdir 0" "keyctl 0" "unshare 0x10000000" "clone 0x10000000" \
		"personality 0xffffffff" "personality 0" "socket 40 1 0" "460" "bpf 0" "reboot 0" \
		"mount 0 0 0 0 0" "kexec_load 0" "uname 0" "ptrace 0x4206 0"; do
		total=$((total + 1))
		# shellcheck disable=SC2086
		kernel_agrees runtime/default $call
	done
	check "eval agrees with the kernel on every call tried" "$agreed" "$total"
else
	skip "eval against the kernel" "not root (the tests keep Docker's capabilities)"
fi

# export: every form compiles back to the same filter.
same_filter() { # same_filter NAME FORMAT PROFILE
	local name=$1 fmt=$2 prof=$3
	"$SHIM" export -q "$prof" --format "$fmt" -o "$WORK/exported.$fmt" &&
		"$SHIM" export -q "$prof" --format bpf -o "$WORK/original.bpf" &&
		"$SHIM" export -q "$WORK/exported.$fmt" --format bpf -o "$WORK/again.bpf"
	check "export --format $fmt compiles to the same filter: $name" \
		"$(cmp -s "$WORK/original.bpf" "$WORK/again.bpf" && echo same)" same
}
for f in runtime/default audit "$FIX/allow-basic.json" "$top/examples/profiles/deny-list.json" \
	"$SEEDS/002-cks-allow-list.json"; do
	same_filter "$(basename "$f")" json "$f"
	same_filter "$(basename "$f")" oci "$f"
done
if [ -r "$PODMAN_PROFILE" ]; then
	same_filter "podman's default" json "$PODMAN_PROFILE"
	same_filter "podman's default" oci "$PODMAN_PROFILE"
fi
out=$("$SHIM" export "$SEEDS/001-custom-allow-everything.json" --format json 2>/dev/null | head -4)
check "export --format json: normalized, comments gone" "$out" '{
  "defaultAction": "SCMP_ACT_ALLOW",
  "architectures": [
    "SCMP_ARCH_X86_64"'
out=$("$SHIM" export "$FIX/allow-basic.json" --format pfc | grep -e '^# seccomp-shim: before this filter' -e '^# pseudo filter code start')
check "export --format pfc: libseccomp's PFC with the stub noted" "$out" \
"# seccomp-shim: before this filter, on SCMP_ARCH_X86_64 a syscall number above 439 gets ERRNO(38) (ENOSYS)
# pseudo filter code start"

if command -v bwrap >/dev/null && bwrap --ro-bind / / true 2>/dev/null; then
	"$SHIM" export runtime/default --caps "$DOCKER_CAPS" --format bpf -o "$WORK/rd.bpf"
	agreed=0 total=0
	for call in "getpid" "keyctl 0" "unshare 0x10000000" "personality 0xffffffff" "socket 40 1 0" \
		"460" "mkdir 0" "bpf 0" "add_key 0 0 0 0 0"; do
		total=$((total + 1))
		# shellcheck disable=SC2086
		ours=$("$SHIM" --profile runtime/default --caps-keep "$DOCKER_CAPS" -- "$PROBE" $call 2>&1)
		# shellcheck disable=SC2086
		theirs=$(bwrap --ro-bind / / --dev /dev --proc /proc --seccomp 9 "$PROBE" $call 9<"$WORK/rd.bpf" 2>&1)
		if [ "${ours%% *}" = "${theirs%% *}" ] && { [ "${ours%% *}" = ok ] || [ "$ours" = "$theirs" ]; }; then
			agreed=$((agreed + 1))
		else
			not_ok "bwrap --seccomp: $call" "shim:  $ours" "bwrap: $theirs"
		fi
	done
	check "export --format bpf under bwrap --seccomp gives the shim's verdicts" "$agreed" "$total"
else
	skip "export --format bpf under bwrap" "bubblewrap is not installed or cannot run here"
fi

# compile -o FILE and --bpf FILE.
"$SHIM" compile runtime/default --caps "$DOCKER_CAPS" -o "$WORK/rd.shimbpf"
shim --bpf "$WORK/rd.shimbpf" "${RD[@]:2}" -- "$PROBE" keyctl 0
check "--bpf runs with a compiled filter" "$out" "errno EPERM"
shim --bpf "$WORK/rd.shimbpf" "${RD[@]:2}" -- cat /proc/self/status
check "--bpf: the target is filtered" "$(printf '%s\n' "$out" | status_field Seccomp)" 2
if is_root; then
	expect_refused "--bpf compiled for other capabilities is refused" \
		"seccomp-shim: $WORK/rd.shimbpf: compiled for a command holding other capabilities among those its includes/excludes name (they differ in CAP_SYS_ADMIN); compile it with --caps set to what the command holds here" \
		--bpf "$WORK/rd.shimbpf" --caps-keep "$DOCKER_CAPS,SYS_ADMIN"
fi
cp "$WORK/rd.shimbpf" "$WORK/other-arch.shimbpf"
printf '\267\000\000\300' | dd of="$WORK/other-arch.shimbpf" bs=1 seek=8 conv=notrunc status=none
expect_refused "--bpf compiled for another architecture is refused" \
	"seccomp-shim: $WORK/other-arch.shimbpf: compiled for SCMP_ARCH_AARCH64, but this machine is SCMP_ARCH_X86_64: compile it here" \
	--bpf "$WORK/other-arch.shimbpf" "${RD[@]:2}"
cp "$WORK/rd.shimbpf" "$WORK/changed.shimbpf"
printf '\377' | dd of="$WORK/changed.shimbpf" bs=1 seek=200 conv=notrunc status=none
expect_refused "--bpf with a changed program is refused" \
	"seccomp-shim: $WORK/changed.shimbpf: the program does not match its checksum: the file was changed" \
	--bpf "$WORK/changed.shimbpf" "${RD[@]:2}"
head -c 50 "$WORK/rd.shimbpf" >"$WORK/short.shimbpf"
expect_refused "--bpf with a cut file is refused" \
	"seccomp-shim: $WORK/short.shimbpf: not a filter written by seccomp-shim compile (or cut short)" \
	--bpf "$WORK/short.shimbpf"
# Whoever can write a compiled filter decides what a later run loads.
python3 "$top/tests/integration/forge-cache-entry.py" "$WORK/rd.shimbpf" "$WORK/forged.shimbpf"
chmod 666 "$WORK/forged.shimbpf"
expect_refused "--bpf writable by others is refused" \
	"seccomp-shim: $WORK/forged.shimbpf: the compiled filter belongs to uid $(id -u) with mode 666: it must belong to root$(is_root || echo ' or you') and be writable by no one else (chown, chmod go-w), since whoever can write it decides the filter" \
	--bpf "$WORK/forged.shimbpf"
if is_root; then
	chmod 644 "$WORK/forged.shimbpf" && chown 65534 "$WORK/forged.shimbpf"
	expect_refused "--bpf owned by another user (who forged it) is refused" \
		"seccomp-shim: $WORK/forged.shimbpf: the compiled filter belongs to uid 65534 with mode 644: it must belong to root and be writable by no one else (chown, chmod go-w), since whoever can write it decides the filter" \
		--bpf "$WORK/forged.shimbpf"
fi
expect_refused "--bpf and --profile together" \
	"seccomp-shim: --bpf and --profile: give one (--bpf FILE is a profile already compiled)" \
	--bpf "$WORK/rd.shimbpf" --profile runtime/default

# check's advice for a deny-list that denies unshare must never break fork.
printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["unshare"],"action":"SCMP_ACT_ERRNO"}]}' >"$WORK/deny-unshare.json"
out=$("$SHIM" check "$WORK/deny-unshare.json" | grep -A1 deny-list-gap | tail -1)
check "check: denying unshare, the advice is clone's namespace flags and clone3 ENOSYS, not clone" "$out" \
	"    fix: deny clone only when it asks for a namespace, in one rule whose args repeat index 0 (runc ORs them): SCMP_CMP_MASKED_EQ value and valueTwo 0x20000, 0x2000000, 0x4000000, 0x8000000, 0x10000000, 0x20000000, 0x40000000 (the CLONE_NEW* flags); and give clone3 SCMP_ACT_ERRNO with errnoRet 38 (ENOSYS), so glibc falls back to clone. Never deny clone outright: fork needs it"
# The advice followed (tests/fixtures/deny-unshare-fixed.json): fork works,
# unshare and clone(CLONE_NEWUSER) do not, and check has no gap left.
shim --profile "$FIX/deny-unshare-fixed.json" -- sh -c 'echo "$(echo forked)"; '"$PROBE"' unshare 0x10000000; '"$PROBE"' clone 0x10000011'
check "... followed: sh forks, unshare and clone(CLONE_NEWUSER) are denied" "$out" "forked
errno EPERM
errno EPERM"
check "... and check finds no gap" "$("$SHIM" check "$FIX/deny-unshare-fixed.json" | grep -c deny-list-gap)" 0
printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["unshare","clone","clone3"],"action":"SCMP_ACT_ERRNO"}]}' >"$WORK/deny-clone.json"
out=$("$SHIM" check "$WORK/deny-clone.json" | grep blocks-essential)
check "check: denying clone outright is a blocked essential (fork)" "$out" \
	"$WORK/deny-clone.json:1:67: warning: syscalls[0].names[1]: blocks clone (it gets ERRNO(EPERM)): fork(), posix_spawn() and threads create processes with it (here without namespace flags): sh cannot run a command [blocks-essential]"
shim --profile "$WORK/deny-clone.json" -- sh -c 'echo "$(echo forked)"'
check "... which is true: sh cannot fork" "$(printf '%s' "$err" | grep -c 'Cannot fork')" 1
# Nor for one that denies fork: clone stays, whatever else is said.
printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["fork","vfork"],"action":"SCMP_ACT_ERRNO"}]}' >"$WORK/deny-fork.json"
out=$("$SHIM" check "$WORK/deny-fork.json" | grep -A1 deny-list-gap | tail -1)
check "check: denying fork, the advice never denies clone" "$out" \
	"    fix: a seccomp profile cannot stop process creation: glibc's fork() calls clone, so denying clone or clone3 breaks every fork (sh: Cannot fork); deny vfork too if it is open, and limit processes with a pids cgroup (runc's linux.resources.pids) or RLIMIT_NPROC"
shim --profile "$WORK/deny-fork.json" -- sh -c 'echo "$(echo forked)"'
check "... and sh still forks under that profile" "$rc|$out" "0|forked"

check "export --format json keeps every comment of the built-in profile" \
	"$("$SHIM" export -q runtime/default --format json | grep -c '"comment"')" "$(grep -c '"comment"' "$PROFILES_DIR/runtime-default.json")"

# A profile written for another machine: the native arch is added anyway.
printf '{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_AARCH64"],\n"syscalls":[{"names":["read","write","execve","execveat","exit_group","exit","rt_sigreturn","clone"],"action":"SCMP_ACT_ALLOW"}]}' >"$WORK/aarch64-only.json"
if [ "$(uname -m)" = x86_64 ]; then
	out=$("$SHIM" check "$WORK/aarch64-only.json" | head -1)
	check "check: aarch64-only rules on x86_64 apply to the native arch, and it says so" "$out" \
		"$WORK/aarch64-only.json:1:51: warning: architectures: lists SCMP_ARCH_AARCH64 but not SCMP_ARCH_X86_64: runc and seccomp-shim add the native architecture anyway, so on this machine these rules apply to SCMP_ARCH_X86_64 calls by name [native-arch-added]"
	check "... not when checked for aarch64" "$("$SHIM" check --arch aarch64 "$WORK/aarch64-only.json" | grep -c native-arch-added)" 0
else
	skip "check: another architecture only" "needs an x86_64 machine"
fi

# eval: symbolic arguments, names for numbers, --format json.
out=$("$SHIM" eval -q runtime/default 102)
check "eval names a syscall given by number" "$out" "getuid: ALLOW by syscalls[0].names[109] (runtime/default:150:9)"
out=$("$SHIM" eval -q runtime/default --caps '' clone 'CLONE_NEWUSER|SIGCHLD')
check "eval takes symbolic constants, ORed" "$?|$out" \
	"1|clone(CLONE_NEWUSER|SIGCHLD): ERRNO(EPERM) by $("$SHIM" eval -q runtime/default --caps '' clone 0x10000011 | sed 's/^[^:]*: [^ ]* by //')"
out=$("$SHIM" eval -q --format json runtime/default socket AF_INET SOCK_STREAM 0 | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["syscall"], d["nr"], d["args"], d["verdict"], d["allowed"])')
check "eval --format json" "$out" "socket 41 [2, 1, 0] ALLOW True"
out=$("$SHIM" eval -q runtime/default personality NO_SUCH_CONSTANT 2>&1)
check "eval: an unknown constant is an error" "$?|$out" \
	"125|seccomp-shim: eval: argument \"NO_SUCH_CONSTANT\" is not a number (decimal, 0x hex or 0 octal) or a known constant (O_WRONLY|O_CREAT, CLONE_NEWUSER, AF_INET, PER_LINUX, ...)"
for sub in explain diff; do
	out=$("$SHIM" $sub --format json runtime/default runtime/default 2>&1)
	check "$sub --format json is refused, not ignored" "$?|$out" \
		"125|seccomp-shim: $sub: $sub takes no --format (check, eval, export, record, inspect and features do; see seccomp-shim $sub --help)"
done

# Resolved outputs say which capabilities and arch they were resolved for.
out=$("$SHIM" export runtime/default --caps '' --format bpf -o /dev/null 2>&1)
check "export states the capability set it resolved for" "$out" \
	"seccomp-shim: export: resolved for SCMP_ARCH_X86_64, for a command holding these capabilities: (none)"
if is_root; then
	out=$("$SHIM" compile runtime/default -o "$WORK/as-root.shimbpf" 2>&1)
	check "compile as root without --caps says it resolved for (nearly) all capabilities" \
		"$(printf '%s' "$out" | sed 's/holding these capabilities: all.*(what a plain/holding these capabilities: ALL (what a plain/')" \
		"seccomp-shim: compile: resolved for SCMP_ARCH_X86_64, for a command holding these capabilities: ALL (what a plain run would give it here; --caps LIST to choose)"
fi
out=$("$SHIM" explain -q runtime/default 2>&1 >/dev/null)
check "... and -q silences it" "$out" ""

# Exports keep the verdicts of their input (#15): a later setns rule must
# not be merged ahead of the ALLOW before it.
profile setns-order <<'JSON'
{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":38,"architectures":["SCMP_ARCH_X86_64"],"syscalls":[{"names":["getppid"],"action":"SCMP_ACT_ERRNO","errnoRet":1},{"names":["setns"],"action":"SCMP_ACT_ALLOW"},{"names":["setns"],"action":"SCMP_ACT_ERRNO","errnoRet":1},
 {"names":["arch_prctl","brk","execve","exit_group","getrandom","mprotect","newfstatat","prlimit64","readlink","rseq","set_robust_list","set_tid_address","write"],"action":"SCMP_ACT_ALLOW"}]}
JSON
"$SHIM" export -q "$WORK/setns-order.json" --format oci -o "$WORK/setns-order.oci.json"
"$SHIM" oci convert -q "$WORK/setns-order.json" --caps "" >"$WORK/setns-order.convert.json" 2>/dev/null
results=
for p in setns-order setns-order.oci setns-order.convert; do
	shim --profile "$WORK/$p.json" -- "$BUILD/tests/integration/probe-static" setns 0 0
	results="$results$out;"
done
check "setns keeps its verdict through export --format oci and oci convert" "$results" \
	"errno EINVAL;errno EINVAL;errno EINVAL;"

# diff
out=$("$SHIM" diff runtime/default runtime/default)
check "diff of a profile with itself" "$?|$out" "0|0 syscalls differ between runtime/default and runtime/default on SCMP_ARCH_X86_64"
out=$("$SHIM" diff "$WORK/deny-mkdir.json" "$WORK/plain.json")
check "diff: rules and argument values that differ" "$?|$out" \
"1|getpid: LOG -> ALLOW
rmdir: ERRNO(EIO) -> ALLOW
getrlimit(arg0=0x10): ERRNO(ECHRNG) -> ALLOW
getppid: KILL_THREAD -> ALLOW
getpgid: KILL_PROCESS -> ALLOW
getsid: TRAP -> ALLOW
getpriority: ERRNO(ENOMSG) -> ALLOW
setpriority(arg0=0x1): ERRNO(EIDRM) -> ALLOW
setpriority(arg0=0x2): ERRNO(EIDRM) -> ALLOW
mkdirat: ERRNO(EPERM) -> ALLOW
9 syscalls differ between $WORK/deny-mkdir.json and $WORK/plain.json on SCMP_ARCH_X86_64"

# Diagnostics are records (#17.1): three independent mistakes, all three
# in one run, each with line:column; --format json has every field.
printf '{"defaultAction": "SCMP_ACT_ERRNO",\n "architectures": ["amd64"],\n "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALOW"},\n  {"names": ["write"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 9, "value": 1, "op": "SCMP_CMP_EQ"}]}]}\n' >"$WORK/three.json"
shim check "$WORK/three.json"
check "check: three mistakes, all reported in one run with line:column" "$rc|$(printf '%s\n' "$out" | sed "s|$WORK/||")" \
"2|three.json:2:20: error: architectures[0]: unknown architecture \"amd64\": write it as \"SCMP_ARCH_X86_64\" (runc and Docker refuse \"amd64\" too) [unknown-architecture]
three.json:3:45: error: syscalls[0].action: unknown action \"SCMP_ACT_ALOW\" (did you mean \"SCMP_ACT_ALLOW\"?) [unknown-action]
three.json:4:71: error: syscalls[1].args[0].index: index 9 is out of range (a syscall has arguments 0 to 5) [arg-index-out-of-range]
1 profile: 3 errors, 0 warnings"
shim -q --profile "$WORK/three.json" -- true
check "... the run stops at the first of them" "$rc|$err" \
	"125|seccomp-shim: $WORK/three.json:2:20: architectures[0]: unknown architecture \"amd64\": write it as \"SCMP_ARCH_X86_64\" (runc and Docker refuse \"amd64\" too)"
printf '{"defaultAction": "SCMP_ACT_ALLOW", // no comments in JSON\n "syscalls": [{"names": ["frobnicate"], "action": "SCMP_ACT_ERRNO"}]}\n' >"$WORK/a b: c.json"
shim check --format json "$WORK/three.json" "$WORK/a b: c.json"
check "check --format json: parses, every field of every record, as found" \
	"$rc|$(printf '%s' "$out" | python3 -c '
import json, sys
keys = ["severity", "code", "file", "line", "column", "path", "message", "fix"]
for d in json.load(sys.stdin):
    assert sorted(d) == sorted(keys), d
    print(d["severity"], d["code"], d["file"].rsplit("/", 1)[-1], d["line"], d["column"], d["path"], sep="|")
' 2>&1)" \
"2|error|unknown-architecture|three.json|2|20|architectures[0]
error|unknown-action|three.json|3|45|syscalls[0].action
error|arg-index-out-of-range|three.json|4|71|syscalls[1].args[0].index
warning|json-comment|a b: c.json|1|37|defaultAction
warning|unknown-syscall|a b: c.json|2|26|syscalls[0].names[0]
warning|deny-list|a b: c.json|1|19|defaultAction"
