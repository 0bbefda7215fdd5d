# Profiles our generator leaves to libseccomp, whose 2.5.4 programs do not
# always follow the rules (issue #14 item 5, #15 item 2): the shim loads
# the one that does, or nothing. Each profile is one from the issue with
# what the probe needs to start allowed on x86_64. Sourced by run.sh.

echo "# libseccomp's programs held to the rules"

ESC="$BUILD/tests/integration/escape"
# What a dynamically linked probe calls before main, and exit.
ESSENTIALS='"execve", "exit_group", "brk", "mmap", "munmap", "mprotect", "arch_prctl", "access",
  "openat", "newfstatat", "fstat", "close", "read", "pread64", "write", "set_tid_address",
  "set_robust_list", "rseq", "prlimit64", "getrandom", "rt_sigaction", "rt_sigprocmask",
  "rt_sigreturn", "futex", "exit", "uname"'

# compiled_by PROFILE: the first line explain --stats gives about the compiler.
compiled_by() {
	"$SHIM" explain --stats "$1" 2>&1 | sed -n 's/^compiled by: \([^,]*\), \(its [a-z ]*\) (.*/\1 \2/p'
}

# i386, the binary tree wrong and the linear program right: with 32-bit
# compares, futex_waitv(8, ...) is allowed (8 >= 0x100000002 holds as
# 8 >= 2); libseccomp's tree gives the default, ERRNO(EACCES).
profile fallback-i386 <<EOF_PROFILE
{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":13,"architectures":["SCMP_ARCH_X86"],"syscalls":[
 {"names":["futex_waitv","sigprocmask"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":4294967298,"op":"SCMP_CMP_GE"}]},
 {"names":["sigprocmask"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":4294967293,"op":"SCMP_CMP_LE"}]},
 {"names":["futex_waitv"],"action":"SCMP_ACT_KILL","args":[{"index":0,"value":8,"op":"SCMP_CMP_EQ"},{"index":4,"value":7,"op":"SCMP_CMP_GT"}]},
 {"names":[$ESSENTIALS],"action":"SCMP_ACT_ALLOW"}]}
EOF_PROFILE
check "i386 profile: libseccomp's linear program is loaded (its tree is wrong)" \
	"$(compiled_by "$WORK/fallback-i386.json")" "libseccomp 2.5.4 its linear program"
out=$("$SHIM" eval "$WORK/fallback-i386.json" --arch x86 futex_waitv 8 0 0 0 0 2>&1)
check "i386 profile: eval names the rule that allows futex_waitv(8, ...)" "$out" \
	"futex_waitv(8, 0, 0, 0, 0): ALLOW by syscalls[0].names[0] ($WORK/fallback-i386.json:2:12, when arg0 >= 0x100000002)"
if [[ $(uname -m) != x86_64 ]]; then
	skip "i386 futex_waitv through int 0x80" "not an x86_64 machine"
elif [ "$("$ESC" int80-args 20 2>&1 | cut -d' ' -f1)" != ok ]; then
	skip "i386 futex_waitv through int 0x80" "int 0x80 does not work on this kernel (IA32 emulation off at run time: $("$ESC" int80-args 20 2>&1))"
else
	# Allowed, the kernel answers: EINVAL for no futexes.
	shim --profile "$WORK/fallback-i386.json" -- "$ESC" int80-args 449 8 0 0 0 0
	check "i386 futex_waitv(8, 0, 0, 0, 0) through int 0x80 is allowed" "$rc|$out" \
		"0|$("$ESC" int80-args 449 8 0 0 0 0)"
	shim --profile "$WORK/fallback-i386.json" -- "$ESC" int80-args 449 1 0 0 0 0
	check "i386 futex_waitv(1, ...) gets the default errno" "$rc|$out" "0|errno EACCES"
	shim --profile "$WORK/fallback-i386.json" -- "$ESC" int80-args 126 1 0 0
	check "i386 sigprocmask(1, ...) gets its rule's errno" "$rc|$out" "0|errno EPERM"
fi

# x86_64, the tree wrong and the linear program right. The second rule
# tests arg2 twice, so (as runc does) it is two rules: arg2 >= 2^32, or
# arg2 <= 0x4ffffffff. getsockopt(_, _, 0x7fffffff00000000) matches the
# first of them and is traced; libseccomp's tree kills it (crun splits the
# rule the same way: src/libcrun/seccomp.c, multiple_args). With no
# tracer, a traced call fails with ENOSYS. check says so (split-range).
profile fallback-sockopt <<EOF_PROFILE
{"defaultAction":"SCMP_ACT_KILL","architectures":[],"syscalls":[
 {"names":["getsockopt"],"action":"SCMP_ACT_TRACE","args":[{"index":2,"value":9223372036854775806,"op":"SCMP_CMP_GE"}]},
 {"names":["getsockopt","shutdown"],"action":"SCMP_ACT_TRACE","errnoRet":4094,"args":[{"index":2,"value":4294967296,"op":"SCMP_CMP_GE"},{"index":2,"value":21474836479,"op":"SCMP_CMP_LE"}]},
 {"names":[$ESSENTIALS],"action":"SCMP_ACT_ALLOW"}]}
EOF_PROFILE
check "getsockopt profile: libseccomp's linear program is loaded (its tree is wrong)" \
	"$(compiled_by "$WORK/fallback-sockopt.json")" "libseccomp 2.5.4 its linear program"
out=$("$SHIM" eval "$WORK/fallback-sockopt.json" getsockopt 0 0 0x7fffffff00000000 2>&1)
check "getsockopt profile: eval" "$out" \
	"getsockopt(0, 0, 0x7fffffff00000000): TRACE(4094) by syscalls[1].names[0] ($WORK/fallback-sockopt.json:3:12, when arg2 >= 0x100000000)"
shim --profile "$WORK/fallback-sockopt.json" -- "$PROBE" getsockopt 0 0 0x7fffffff00000000
check "getsockopt(_, _, 0x7fffffff00000000) is traced as the rules say, not killed" "$rc|$out" "0|errno ENOSYS"
out=$("$SHIM" check "$WORK/fallback-sockopt.json" 2>&1 | grep -A1 'split-range')
check "getsockopt profile: check says the two bounds on arg2 are ORed, not a range" "$out" \
	"$WORK/fallback-sockopt.json:3:137: warning: syscalls[1].args[1]: args[2] SCMP_CMP_GE 0x100000000 and SCMP_CMP_LE 0x4ffffffff is no range: runc and crun make each test of a repeated index a rule of its own (OR), so the rule matches when either holds [split-range]
    fix: list the values the range holds with SCMP_CMP_EQ, or test its high bits with SCMP_CMP_MASKED_EQ: one rule cannot bound an argument on both sides"
shim --profile "$WORK/fallback-sockopt.json" -- "$PROBE" getpeername 0 0 0
check "getsockopt profile: a call no rule names is killed" "$rc|$out" "159|"

# x86_64, the linear program wrong and the tree right: with x32 listed
# and sigprocmask (which x86_64 lacks) first, libseccomp's linear program
# never loads the syscall number on x86_64 and gives every call the
# default (execve included); the overlapping getppid rules are a shape
# our generator leaves to libseccomp.
profile fallback-linear <<EOF_PROFILE
{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":13,
 "architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32"],"syscalls":[
 {"names":["sigprocmask"],"action":"SCMP_ACT_TRAP"},
 {"names":[$ESSENTIALS],"action":"SCMP_ACT_ALLOW","args":[{"index":5,"value":0,"op":"SCMP_CMP_GE"}]},
 {"names":["getppid"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":1,"op":"SCMP_CMP_EQ"}]},
 {"names":["getppid"],"action":"SCMP_ACT_KILL_PROCESS","args":[{"index":1,"value":1,"op":"SCMP_CMP_EQ"}]}]}
EOF_PROFILE
check "linear-wrong profile: libseccomp's binary tree is loaded" \
	"$(compiled_by "$WORK/fallback-linear.json")" "libseccomp 2.5.4 its binary tree"
out=$("$SHIM" explain --stats "$WORK/fallback-linear.json" | tail -1 | sed "s|$WORK/||")
check "linear-wrong profile: explain --stats names what the linear program gets wrong" "$out" \
	"libseccomp's linear program for the same rules does not: on SCMP_ARCH_X86_64 read(0, 0, 0, 0, 0, 0) the rules say ALLOW by syscalls[1].names[12] (fallback-linear.json:5:45, when arg5 >= 0), but it gives ERRNO(EACCES)"
shim --profile "$WORK/fallback-linear.json" -- "$PROBE" getppid 1 0
check "linear-wrong profile: getppid(1, 0) is allowed" "$rc|${out%% *}" "0|ok"
shim --profile "$WORK/fallback-linear.json" -- "$PROBE" getppid 0 1
check "linear-wrong profile: getppid(0, 1) is killed" "$rc|$out" "159|"
shim --profile "$WORK/fallback-linear.json" -- "$PROBE" getuid
check "linear-wrong profile: getuid gets the default errno" "$rc|$out" "0|errno EACCES"

# Both programs wrong: getppid allowed when arg1 > 0xf28adc2f47d9c043 or
# arg1 < 1, killed when arg0 == 5; both of libseccomp's programs allow
# getppid(0, 0xffffffff). Nothing is loaded and nothing runs.
profile fallback-neither <<EOF_PROFILE
{"defaultAction":"SCMP_ACT_ERRNO","architectures":[],"syscalls":[
 {"names":["getppid"],"action":"SCMP_ACT_ALLOW","args":[{"index":1,"value":17477023399591657539,"op":"SCMP_CMP_GT"}]},
 {"names":["getppid"],"action":"SCMP_ACT_ALLOW","args":[{"index":1,"value":1,"op":"SCMP_CMP_LT"}]},
 {"names":["getppid"],"action":"SCMP_ACT_KILL","args":[{"index":0,"value":5,"op":"SCMP_CMP_EQ"}]},
 {"names":[$ESSENTIALS],"action":"SCMP_ACT_ALLOW"}]}
EOF_PROFILE
shim --profile "$WORK/fallback-neither.json" -- "$PROBE" getppid 0 0xffffffff
check "both programs wrong: refused with 125, naming the input, nothing runs" "$rc|$out|$err" \
	"125||seccomp-shim: $WORK/fallback-neither.json: libseccomp 2.5.4 compiles this profile wrong, so no filter is loaded: on SCMP_ARCH_X86_64 getppid(0, 0xffffffff, 0, 0, 0, 0) the rules say ERRNO(EPERM) by default action, but libseccomp's linear program gives ALLOW and libseccomp's binary tree gives ALLOW (see BUGS in seccomp-shim(1): libseccomp gets wrong some rules that test one argument with ranges in several rules of a syscall)"
out=$("$SHIM" eval "$WORK/fallback-neither.json" getppid 0 0xffffffff 2>&1)
check "both programs wrong: eval refuses too" "$?|${out%%: libseccomp*}" \
	"125|seccomp-shim: eval: $WORK/fallback-neither.json"
