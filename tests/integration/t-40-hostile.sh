# Hostile input: every case ends in a clear message naming the file (and,
# inside the JSON, line:column and field), exit 125, within a time and
# memory limit, and the target never runs. Sourced by run.sh.

echo "# hostile input"

# Under ASan the shim reserves terabytes of shadow memory, so the address
# space limit only applies to the plain build; the time limit always does.
MEM_LIMIT_KB=262144
[ -n "${SECCOMP_SHIM_SANITIZED:-}" ] && MEM_LIMIT_KB=unlimited

# hostile NAME EXPECTED-STDERR PROFILE [RUNNER...]: the target would create
# $WORK/trace. RUNNER (setpriv ...) goes in front of the shim.
hostile() {
	local name=$1 expected=$2 prof=$3 start ms
	shift 3
	rm -f "$WORK/trace"
	start=$(date +%s%N)
	(ulimit -v "$MEM_LIMIT_KB" && exec timeout 20 "$@" "$SHIM" --profile "$prof" -- touch "$WORK/trace") \
		>/dev/null 2>"$WORK/stderr"
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	err=$(cat "$WORK/stderr")
	if [ "$rc" = 125 ] && [ "$err" = "seccomp-shim: $expected" ] && [ ! -e "$WORK/trace" ]; then
		ok "$name ($ms ms)"
	else
		not_ok "$name" "expected: 125 seccomp-shim: $expected" "actual:   $rc $err" \
			"target ran: $([ -e "$WORK/trace" ] && echo yes || echo no); $ms ms (124: timed out)"
	fi
}

# hostile_json NAME EXPECTED-AFTER-PATH: the profile comes from stdin.
hostile_json() {
	cat >"$WORK/hostile.json"
	hostile "$1" "$WORK/hostile.json:$2" "$WORK/hostile.json"
}

H="$WORK/hostile.json"
P='{"defaultAction": "SCMP_ACT_ALLOW", '

# Size and shape.
{ printf '%s"comment": "' "$P"; head -c 100000000 /dev/zero | tr '\0' a; printf '"}'; } >"$WORK/big.json"
hostile "a 100 MB profile is refused before it is read" \
	"$WORK/big.json: is 100000050 bytes; a seccomp profile is at most 4 MiB" "$WORK/big.json"
rm -f "$WORK/big.json"
{ printf '%s"syscalls": [{"names": ' "$P"; head -c 100000 /dev/zero | tr '\0' '['; head -c 100000 /dev/zero | tr '\0' ']'; printf '}]}'; } |
	hostile_json "nesting 100,000 deep" \
	"1:2105: syscalls[0].names[0]...(nested 2048 deep): invalid JSON: maximum parsing depth reached near '['"
{ printf '%s"syscalls": [' "$P"; printf '{},%.0s' $(seq 999999); printf '{}]}'; } |
	hostile_json "1,000,000 syscall entries" \
	"1:12338: syscalls[4096]: more than 4096 entries in syscalls: not a seccomp profile (a filter holds at most 4096 instructions)"
{ printf '%s"syscalls": [{"action": "SCMP_ACT_ERRNO", "names": [' "$P"; printf '"a",%.0s' $(seq 999999); printf '"a"]}]}'; } |
	hostile_json "1,000,000 syscall names" \
	"1:16473: syscalls[0].names[4096]: more than 4096 syscall names in the profile: not a seccomp profile (a filter holds at most 4096 instructions)"
{ printf '%s"syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "args": [' "$P"
  for i in $(seq 0 4094); do printf '{"index": 0, "value": %d, "op": "SCMP_CMP_EQ"},' "$i"; done
  printf '{"index": 0, "value": 4095, "op": "SCMP_CMP_EQ"}]}]}'; } >"$H"
hostile "4096 argument conditions: the filter would be too long" \
	"$H: the compiled filter has 4126 instructions; the kernel takes at most 4096 (use fewer rules or argument conditions)" "$H"

# Numbers.
printf '%s"syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": -1}]}' "$P" |
	hostile_json "a negative errnoRet" "1:111: syscalls[0].errnoRet: expected a non-negative integer, found -1"
printf '%s"syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO",\n "args": [{"index": 0, "value": -9223372036854775808, "op": "SCMP_CMP_EQ"}]}]}' "$P" |
	hostile_json "a negative argument value" "2:33: syscalls[0].args[0].value: expected a non-negative integer, found -9223372036854775808"
printf '%s"syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO",\n "args": [{"index": -1, "value": 0, "op": "SCMP_CMP_EQ"}]}]}' "$P" |
	hostile_json "a negative argument index" "2:21: syscalls[0].args[0].index: expected a non-negative integer, found -1"
printf '%s"syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO",\n "args": [{"index": 0, "value": 184467440737095516160, "op": "SCMP_CMP_EQ"}]}]}' "$P" |
	hostile_json "an integer above 64 bits" "2:53: syscalls[0].args[0].value: invalid JSON: too big integer"
printf '%s"syscalls": [{"names": ["getpriority"], "action": "SCMP_ACT_ERRNO",\n "args": [{"index": 0, "value": 18446744073709551615, "op": "SCMP_CMP_EQ"}]}]}' "$P" >"$H"
shim --profile "$H" -- "$PROBE" getpriority -1 0
check "an integer up to 2^64-1 is taken, as runc (Go) takes it" "$out" "errno EPERM"
"$SHIM" export "$H" --format json -o "$WORK/big-export.json"
check "... and export writes it back as that integer" \
	"$(grep -c '"value": 18446744073709551615,' "$WORK/big-export.json")" 1
printf '{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1e999}' |
	hostile_json "a number beyond double range" "1:60: defaultErrnoRet: invalid JSON: real number overflow near '1e999'"
printf '{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 4095}' |
	hostile_json "errnoRet above what libseccomp takes" "1:56: defaultErrnoRet: 4095 is out of range: libseccomp, and so runc and crun, take 0 to 4094 for SCMP_ACT_ERRNO (SCMP_ACT_TRACE takes up to 65535)"
printf '%s"syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO",\n "args": [{"index": 0.5, "value": 0, "op": "SCMP_CMP_EQ"}]}]}' "$P" |
	hostile_json "a fractional index" "2:21: syscalls[0].args[0].index: expected a non-negative integer, found the fractional number 0.5"
printf '{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1.0}' |
	hostile_json "a whole number written as a fraction" "1:56: defaultErrnoRet: expected a non-negative integer, found the fractional number 1.0"
printf '%s"syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO",\n "args": [{"index": 0, "value": "0x10", "op": "SCMP_CMP_EQ"}]}]}' "$P" |
	hostile_json "a number written as a string" "2:33: syscalls[0].args[0].value: expected a non-negative integer, found a string"
printf '%s"syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO",\n "args": [{"index": true, "value": 0, "op": "SCMP_CMP_EQ"}]}]}' "$P" |
	hostile_json "a boolean for a number" "2:21: syscalls[0].args[0].index: expected a non-negative integer, found a boolean"
printf '%s"syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO",\n "args": [{"index": 0, "value": [], "op": "SCMP_CMP_EQ"}]}]}' "$P" |
	hostile_json "an array for a number" "2:33: syscalls[0].args[0].value: expected a non-negative integer, found an array"

# Bytes.
printf '%s"syscalls": [{"names": ["mk\377dir"], "action": "SCMP_ACT_ERRNO"}]}' "$P" |
	hostile_json "invalid UTF-8 in a name" "1:63: syscalls[0].names[0]: invalid JSON: unable to decode byte 0xff near '\"mk'"
printf '%s"syscalls": [{"n\300\257mes": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]}' "$P" |
	hostile_json "an overlong UTF-8 sequence in a key" "1:52: syscalls[0]: invalid JSON: unable to decode byte 0xc0 near '\"n'"
printf '%s"syscalls": [{"names": ["mkdir\\u0000"], "action": "SCMP_ACT_ERRNO"}]}' "$P" |
	hostile_json "an escaped NUL inside a name" "1:73: syscalls[0].names[0]: invalid JSON: \\u0000 is not allowed without JSON_ALLOW_NUL near '\"mkdir\\u0000\"'"
printf '%s"syscalls": [{"names": ["mkdir\0rmdir"], "action": "SCMP_ACT_ERRNO"}]}' "$P" |
	hostile_json "a raw NUL byte inside a name" "1:66: syscalls[0].names[0]: invalid JSON: control character 0x0 near '\"mkdir'"
printf '%s"syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO",\n "action": "SCMP_ACT_ALLOW"}]}' "$P" |
	hostile_json "a duplicate key inside a rule" "2:9: syscalls[0].action: invalid JSON: duplicate object key near '\"action\"'"
printf '' | hostile_json "an empty file" '1:1: the file is empty (expected a JSON object with "defaultAction")'
printf ' \n\t\n' | hostile_json "a file of whitespace" "2:2: (top level): invalid JSON: '[' or '{' expected near end of file"

# Files that are not profiles.
hostile "/dev/zero" "/dev/zero: is a character device; a profile must be a regular JSON file" /dev/zero
mkfifo "$WORK/fifo.json"
hostile "a FIFO with no writer does not hang" "$WORK/fifo.json: is a FIFO or pipe; a profile must be a regular JSON file" "$WORK/fifo.json"
ln -s /dev/zero "$WORK/zero.json"
hostile "a symlink to /dev/zero" "$WORK/zero.json: is a character device; a profile must be a regular JSON file" "$WORK/zero.json"
mkdir -p "$WORK/dir.json"
hostile "a directory" "$WORK/dir.json: is a directory; a profile must be a regular JSON file" "$WORK/dir.json"
ln -s "$WORK/loop-b" "$WORK/loop-a" && ln -s "$WORK/loop-a" "$WORK/loop-b"
hostile "a symlink loop" "$WORK/loop-a: cannot open the profile: Too many levels of symbolic links" "$WORK/loop-a"
cp "$FIX/allow-basic.json" "$WORK/unreadable.json" && chmod 000 "$WORK/unreadable.json"
chmod 755 "$WORK"
if ! is_root; then
	hostile "an unreadable file" "$WORK/unreadable.json: cannot open the profile: Permission denied" "$WORK/unreadable.json"
elif command -v setpriv >/dev/null; then
	# As root, mode 000 does not stop the read: run the shim as nobody.
	chmod 777 "$WORK"
	hostile "an unreadable file (as nobody)" "$WORK/unreadable.json: cannot open the profile: Permission denied" \
		"$WORK/unreadable.json" setpriv --reuid 65534 --regid 65534 --clear-groups
	chmod 755 "$WORK"
else
	skip "an unreadable file" "root reads any file and setpriv (util-linux) is not installed"
fi
