# Capabilities from libcap and the running kernel (#17): names and numbers
# are libcap's, ALL is every capability this kernel has, and no table of
# names is built in. Sourced by run.sh.

echo "# capabilities from libcap and the kernel"

STATIC="${SECCOMP_SHIM_STATIC:-$top/seccomp-shim-static}"
last=$(cat /proc/sys/kernel/cap_last_cap)
# Every capability the kernel has, as /proc/PID/status prints a set.
if [ "$last" -ge 63 ]; then kernel_all=ffffffffffffffff; else kernel_all=$(printf '%016x' $(( (1 << (last + 1)) - 1 ))); fi
own_bnd=$(awk '$1 == "CapBnd:" {print $2}' /proc/self/status)

if ldd "$SHIM" | grep -q 'libcap\.so'; then ok "ldd seccomp-shim: linked with libcap"; else not_ok "ldd seccomp-shim: linked with libcap" "$(ldd "$SHIM")"; fi
# libseccomp and jansson are linked in (#16: two libraries fewer to map
# at each start); SHARED_LIBS=1 links them shared.
check "ldd seccomp-shim: libseccomp and jansson are in the shim" \
	"$(ldd "$SHIM" | grep -cE 'libseccomp\.so|libjansson\.so')" 0
if [ -n "${SECCOMP_SHIM_SANITIZED:-}" ]; then
	skip "make SHARED_LIBS=1" "the sanitized objects link only with the sanitizer's flags; the plain run checks it"
elif ! command -v make >/dev/null; then
	skip "make SHARED_LIBS=1" "no make here"
else
	make -C "$top" --no-print-directory B="$BUILD" SHIM_BIN="$WORK/shim-shared" SHARED_LIBS=1 \
		"$WORK/shim-shared" >"$WORK/shared.log" 2>&1
	check "make SHARED_LIBS=1: libseccomp, jansson and libcap shared" \
		"$(ldd "$WORK/shim-shared" 2>&1 | grep -oE 'lib(seccomp|jansson|cap)\.so' | sort -u | tr '\n' ' ')" \
		"libcap.so libjansson.so libseccomp.so "
	"$WORK/shim-shared" -q --profile runtime/default -- true
	check "make SHARED_LIBS=1: the shim runs" "$?" 0
fi
# Names come from libcap: the shim imports cap_from_name and cap_to_name
# and holds no name of its own that no built-in profile uses.
check "the shim asks libcap for names" \
	"$(nm -D --undefined-only "$SHIM" | awk '{print $NF}' | grep -Ex 'cap_(from|to)_name' | sort | tr '\n' ' ')" \
	"cap_from_name cap_to_name "
check "no table of capability names in the shim" \
	"$(strings "$SHIM" | grep -ciE 'checkpoint_restore|wake_alarm|block_suspend|linux_immutable|net_broadcast')" 0

if [ ! -x "$STATIC" ]; then
	skip "the static shim" "not built (make static)"
else
	check "make static: no interpreter, no shared libraries" \
		"$(readelf -lW "$STATIC" | grep -c INTERP)/$(readelf -dW "$STATIC" | grep -c NEEDED)" "0/0"
	if ldd "$STATIC" 2>&1 | grep -qE 'statically linked|not a dynamic executable'; then
		ok "make static: ldd says so"
	else
		not_ok "make static: ldd says so" "$(ldd "$STATIC" 2>&1)"
	fi
	check "make static: hardened (relro, bind now)" \
		"$(readelf -lW "$STATIC" | grep -c GNU_RELRO)/$(readelf -dW "$STATIC" | grep -cE 'BIND_NOW|FLAGS.*NOW')" "1/2"
fi

# The kernel's capabilities by name and by number, the same sets.
profile caps-last <<EOF
{ "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
  { "names": ["mkdir"], "action": "SCMP_ACT_ALLOW", "includes": { "caps": ["$last"] } } ] }
EOF
name=$("$SHIM" export "$WORK/caps-last.json" --format json 2>/dev/null | python3 -c 'import json, sys; print(json.load(sys.stdin)["syscalls"][0]["includes"]["caps"][0])')
case $name in
CAP_*) ok "the kernel's last capability ($last) has libcap's name $name" ;;
"$last") ok "the kernel's last capability ($last) is newer than libcap: written by number" ;;
*) not_ok "the kernel's last capability ($last) by name" "$name" ;;
esac
if [ -x "$STATIC" ]; then
	out=$("$STATIC" eval "$WORK/caps-last.json" mkdir --caps "$name" 2>&1)
	check "make static: names from the libcap linked in" "$out" \
		"mkdir: ALLOW by syscalls[0].names[0] ($WORK/caps-last.json:2:15)"
fi
shim eval "$WORK/caps-last.json" mkdir --caps "$name"
check "eval --caps $name: includes.caps [\"$last\"] holds" "$out" \
	"mkdir: ALLOW by syscalls[0].names[0] ($WORK/caps-last.json:2:15)"
shim eval "$WORK/caps-last.json" mkdir --caps ALL
check "eval --caps ALL holds the kernel's last capability" "$out" \
	"mkdir: ALLOW by syscalls[0].names[0] ($WORK/caps-last.json:2:15)"
shim eval "$WORK/caps-last.json" mkdir --caps "$(( last - 1 ))"
check "... and one below it does not" "$out" "mkdir: ERRNO(EPERM) by default action"
shim explain "$WORK/caps-last.json" --caps ALL
check "explain --caps ALL: every capability this kernel has" "$(printf '%s\n' "$err" | head -1 | sed 's/.*: //')" "all"
shim explain "$WORK/caps-last.json" --caps "$(seq -s, 0 "$last")"
check "... which is 0..$last by number" "$(printf '%s\n' "$err" | head -1 | sed 's/.*: //')" "all"

if ! is_root; then
	skip "capability sets after ALL" "not root"
else
	shim --profile unconfined --cap-drop ALL -- cat /proc/self/status
	check "--profile unconfined --cap-drop ALL as root: CapBnd 0" \
		"$(printf '%s\n' "$out" | status_field CapBnd)/$(printf '%s\n' "$out" | status_field CapEff)" \
		"0000000000000000/0000000000000000"
	# The bounding set never grows: ALL is what the kernel has, as far
	# as this process's bounding set still holds it.
	shim --profile unconfined --cap-add ALL -- cat /proc/self/status
	check "--cap-add ALL as root: every capability the kernel has, within the bounding set" \
		"$(printf '%s\n' "$out" | status_field CapBnd)/$(printf '%s\n' "$out" | status_field CapEff)" \
		"$(printf '%016x' $(( 0x$kernel_all & 0x$own_bnd )))/$(printf '%016x' $(( 0x$kernel_all & 0x$own_bnd )))"
	shim --profile unconfined --caps-keep ALL -- cat /proc/self/status
	check "--caps-keep ALL as root: the same" "$(printf '%s\n' "$out" | status_field CapEff)" \
		"$(printf '%016x' $(( 0x$kernel_all & 0x$own_bnd )))"
	shim --profile unconfined --cap-drop "$last" -- cat /proc/self/status
	check "--cap-drop $last (the kernel's last, by number)" \
		"$(( 0x$(printf '%s\n' "$out" | status_field CapBnd) >> last & 1 ))" 0
	shim --profile unconfined --cap-add "$(( last + 1 ))" -- true
	check "--cap-add $(( last + 1 )): the kernel has no such capability" "$rc|$err" \
		"125|seccomp-shim: cannot add $(( last + 1 )): this kernel has no such capability (its last is $last)"
fi
