# Issue #15, items 1 and 3, under the real shim: a test that always holds
# and that libseccomp leaves out makes a rule unconditional (it wins);
# profiles runc refuses (conflicting rules) or hangs on are refused,
# by the run and by check. Sourced by run.sh.

echo "# libseccomp's rule database: left-out tests, conflicts, hangs"

ESC="$BUILD/tests/integration/escape"
# What a dynamically linked probe calls before main, and exit.
ESSENTIALS='"execve", "exit_group", "brk", "mmap", "munmap", "mprotect", "arch_prctl", "access",
  "openat", "newfstatat", "fstat", "close", "read", "pread64", "write", "set_tid_address",
  "set_robust_list", "rseq", "prlimit64", "getrandom", "rt_sigaction", "rt_sigprocmask",
  "rt_sigreturn", "futex", "exit", "uname"'

# getppid killed when arg4 & MASK == 0, then allowed outright: the
# first rule's only test has no mask bit (in the arch's width), so
# libseccomp leaves it out and the rule is unconditional, and the first
# unconditional rule wins. runc kills getppid; so must we.
zero_mask() { # zero_mask NAME MASK
	profile "$1" <<EOF_PROFILE
{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32"],"syscalls":[
 {"names":["getppid"],"action":"SCMP_ACT_KILL_PROCESS","args":[{"index":4,"op":"SCMP_CMP_MASKED_EQ","value":$2,"valueTwo":0}]},
 {"names":["getppid"],"action":"SCMP_ACT_ALLOW"},
 {"names":[$ESSENTIALS],"action":"SCMP_ACT_ALLOW"}]}
EOF_PROFILE
}
zero_mask mask-zero 0
zero_mask mask-high 4294967296

shim --profile "$WORK/mask-zero.json" -- "$PROBE" getppid
check "mask 0: getppid is killed (the masked test is left out, the rule is unconditional and wins)" \
	"$rc|$out" "159|"
shim --profile "$WORK/mask-zero.json" -- "$PROBE" getppid 0 0 0 0 7
check "mask 0: getppid is killed whatever arg4 is" "$rc|$out" "159|"
out=$("$SHIM" eval "$WORK/mask-zero.json" getppid 2>&1)
check "mask 0: eval names the first rule" "$out" \
	"getppid: KILL_PROCESS by syscalls[0].names[0] ($WORK/mask-zero.json:2:12, when arg4 & 0 == 0)"
out=$("$SHIM" check "$WORK/mask-zero.json" 2>&1 | grep -c 'constant-condition\|decides "getppid" first')
check "mask 0: check points the test out, and the rule it shadows" "$out" "2"
# Mask 2^32: a test on x86_64, so the rule is conditional there and the
# later unconditional one overrides it (getppid allowed, whatever arg4
# is); none on i386 and x32, where the rule is unconditional and wins.
shim --profile "$WORK/mask-high.json" -- "$PROBE" getppid 0 0 0 0 0x100000000
check "mask 2^32: x86_64 getppid with bit 32 of arg4 set is allowed" "$rc|${out%% *}" "0|ok"
shim --profile "$WORK/mask-high.json" -- "$PROBE" getppid
check "mask 2^32: x86_64 getppid with arg4 0 is allowed too (the unconditional rule overrides the conditional one)" \
	"$rc|${out%% *}" "0|ok"
if [[ $(uname -m) != x86_64 ]]; then
	skip "i386 getppid through int 0x80" "not an x86_64 machine"
elif [ "$("$ESC" int80-args 20 2>&1 | cut -d' ' -f1)" != ok ]; then
	skip "i386 getppid through int 0x80" "int 0x80 does not work on this kernel (IA32 emulation off at run time: $("$ESC" int80-args 20 2>&1))"
else
	shim --profile "$WORK/mask-high.json" -- "$ESC" int80-args 64 0 0 0 0 0
	check "mask 2^32: i386 getppid (int 0x80) is killed: no mask bit in the low word, the rule is unconditional" \
		"$rc|$out" "159|"
	shim --profile "$WORK/mask-high.json" -- "$ESC" int80-args 64 0 0 0 0 1
	check "mask 2^32: i386 getppid is killed whatever arg4 is" "$rc|$out" "159|"
	shim --profile "$WORK/mask-zero.json" -- "$ESC" int80-args 64 0 0 0 0 7
	check "mask 0: i386 getppid (int 0x80) is killed" "$rc|$out" "159|"
fi
out=$("$SHIM" check "$WORK/mask-high.json" 2>&1 | grep -c 'on SCMP_ARCH_X86, SCMP_ARCH_X32 (they compare the low 32 bits only), and libseccomp leaves such a test out')
check "mask 2^32: check says the test is left out on i386 and x32" "$out" "1"

# Conflicting rules: libseccomp refuses the second (EEXIST), runc
# refuses the profile, so the run and check refuse it; nothing runs.
profile conflict <<'EOF_PROFILE'
{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],"syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO","errnoRet":1,"args":[{"index":0,"value":1,"op":"SCMP_CMP_EQ"}]},{"names":["personality"],"action":"SCMP_ACT_ERRNO","errnoRet":2,"args":[{"index":0,"value":1,"op":"SCMP_CMP_EQ"}]},{"names":["personality"],"action":"SCMP_ACT_ERRNO","errnoRet":3}]}
EOF_PROFILE
CONFLICT_MSG="$WORK/conflict.json:1:209: syscalls[1].names[0]: libseccomp refused the rule for \"personality\": File exists (an earlier rule for the same syscall gives another action where their argument tests meet; runc refuses this profile too: give such rules one action, or a test that tells them apart)"
shim --profile "$WORK/conflict.json" -- "$PROBE" personality 0xffffffff
check "conflicting rules: the run is refused with 125 and libseccomp's reason, nothing runs" \
	"$rc|$out|$err" "125||seccomp-shim: $CONFLICT_MSG"
out=$("$SHIM" check "$WORK/conflict.json" 2>&1)
rc=$?
check "conflicting rules: check refuses it too (its error status), with the same reason" \
	"$rc|$out" "2|${CONFLICT_MSG/: syscalls/: error: syscalls} [conflicting-rules]
1 profile: 1 error, 0 warnings"
out=$("$SHIM" export "$WORK/conflict.json" --format bpf -o "$WORK/conflict.bpf" 2>&1)
check "conflicting rules: export refuses it too" "$?|$out" "125|seccomp-shim: export: $CONFLICT_MSG"
# The unconditional rule first: libseccomp drops the others unseen.
profile conflict-after <<EOF_PROFILE
{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],"syscalls":[
 {"names":["personality"],"action":"SCMP_ACT_ERRNO","errnoRet":3},
 {"names":["personality"],"action":"SCMP_ACT_ERRNO","errnoRet":1,"args":[{"index":0,"value":1,"op":"SCMP_CMP_EQ"}]},
 {"names":["personality"],"action":"SCMP_ACT_ERRNO","errnoRet":2,"args":[{"index":0,"value":1,"op":"SCMP_CMP_EQ"}]}]}
EOF_PROFILE
shim --profile "$WORK/conflict-after.json" -- "$PROBE" personality 1
check "the unconditional rule first: runs, personality(1) gets ESRCH (errno 3)" "$rc|$out" "0|errno ESRCH"

# A profile libseccomp never finishes adding (runc hangs): refused at
# once, by the run and by check.
profile hang <<'EOF_PROFILE'
{"defaultAction": "SCMP_ACT_ALLOW", "architectures": [], "syscalls": [
 {"names": ["close"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 5, "op": "SCMP_CMP_LT"}, {"index": 1, "value": 5, "op": "SCMP_CMP_EQ"}]},
 {"names": ["close"], "action": "SCMP_ACT_KILL_PROCESS", "args": [{"index": 0, "value": 5, "op": "SCMP_CMP_LT"}, {"index": 2, "value": 5, "op": "SCMP_CMP_EQ"}]}]}
EOF_PROFILE
out=$(timeout 20 "$SHIM" --profile "$WORK/hang.json" -- "$PROBE" getpid 2>&1)
rc=$?
check "a profile runc hangs on: the run is refused (125), it does not hang" "$rc|${out%%, so runc*}" \
	"125|seccomp-shim: $WORK/hang.json:3:13: syscalls[1].names[0]: libseccomp 2.5.4 never finishes adding the rule for \"close\""
out=$(timeout 20 "$SHIM" check "$WORK/hang.json" 2>&1 | tail -1)
check "a profile runc hangs on: check refuses it" "$?|$out" "0|1 profile: 1 error, 0 warnings"
out=$(timeout 20 "$SHIM" export --libseccomp "$WORK/hang.json" --format bpf -o "$WORK/hang.bpf" 2>&1)
check "a profile runc hangs on: libseccomp is not given it (export --libseccomp returns)" "$?" "125"

# A shape libseccomp 2.5.4 compiles wrong (NE and EQ on one 64-bit
# argument): the program loaded follows the profile.
profile ne-eq <<EOF_PROFILE
{"defaultAction":"SCMP_ACT_ERRNO","architectures":[],"syscalls":[
 {"names":["getppid"],"action":"SCMP_ACT_ALLOW","args":[{"index":1,"value":0,"op":"SCMP_CMP_NE"},{"index":0,"value":1,"op":"SCMP_CMP_NE"}]},
 {"names":["getppid"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":0,"op":"SCMP_CMP_EQ"}]},
 {"names":[$ESSENTIALS],"action":"SCMP_ACT_ALLOW"}]}
EOF_PROFILE
shim --profile "$WORK/ne-eq.json" -- "$PROBE" getppid 0xffffffff 0
check "NE with EQ on one argument: getppid(0xffffffff, 0) gets the default, as the rules say (libseccomp's program allows it)" \
	"$rc|$out" "0|errno EPERM"
shim --profile "$WORK/ne-eq.json" -- "$PROBE" getppid 0 0
check "NE with EQ on one argument: getppid(0, 0) is allowed" "$rc|${out%% *}" "0|ok"
shim --profile "$WORK/ne-eq.json" -- "$PROBE" getppid 2 1
check "NE with EQ on one argument: getppid(2, 1) is allowed" "$rc|${out%% *}" "0|ok"
