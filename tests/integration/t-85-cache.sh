# The compiled-filter cache: used only when it is safe to, replaced when
# not, and never a reason for a run to fail. Sourced by run.sh.

echo "# cache"

CACHE="$XDG_CACHE_HOME/seccomp-shim"
rm -rf "$CACHE"
entries() { find "$CACHE" -name '*.bpf' 2>/dev/null | wc -l; }
from_cache() { # from_cache ARGS...: "cached" or "compiled", from --verbose
	"$SHIM" -v "$@" 2>&1 >/dev/null | grep -q 'comes from the cache' && echo cached || echo compiled
}

check "the first run compiles and stores one entry" \
	"$(from_cache --profile runtime/default -- true)|$(entries)" "compiled|1"
check "the second run takes it from the cache" "$(from_cache --profile runtime/default -- true)" cached
shim --profile runtime/default -- "$PROBE" keyctl 0
check "a cached filter confines as the compiled one does" "$out" "errno EPERM"
entry=$(find "$CACHE" -name '*.bpf')
check "the cache directory is private, the entry not writable by others" \
	"$(stat -c %a "$CACHE")|$(stat -c %a "$entry")" "700|644"

printf '\377' | dd of="$entry" bs=1 seek=300 conv=notrunc status=none
check "a tampered entry is ignored and rebuilt" "$(from_cache --profile runtime/default -- true)" compiled
check "... and replaced by a good one" "$(from_cache --profile runtime/default -- true)" cached
chmod 666 "$entry"
check "a world-writable entry is ignored and replaced" \
	"$(from_cache --profile runtime/default -- true)|$(stat -c %a "$entry")" "compiled|644"
if is_root; then
	chown 65534 "$entry"
	check "an entry owned by someone else is ignored and replaced" \
		"$(from_cache --profile runtime/default -- true)|$(stat -c %u "$entry")" "compiled|0"
fi
rm -f "$entry" && ln -s /dev/null "$entry"
check "a symlink in place of an entry is not followed" \
	"$(from_cache --profile runtime/default -- true)|$([ -L "$entry" ] && echo link || echo file)" "compiled|file"

if is_root; then
	check "other capabilities, another entry" \
		"$(from_cache --profile runtime/default --caps-keep CHOWN -- true)|$(entries)" "compiled|2"
fi
printf '{"defaultAction": "SCMP_ACT_ALLOW",\n "syscalls": [{"names": ["mkdir", "no_such_call"], "action": "SCMP_ACT_ERRNO"}]}' >"$WORK/warns.json"
"$SHIM" --profile "$WORK/warns.json" -- true 2>/dev/null
shim --profile "$WORK/warns.json" -- true
check "a profile with warnings is not cached: they show every time" "$err" \
	"seccomp-shim: warning: $WORK/warns.json:2:35: syscalls[0].names[1]: unknown syscall \"no_such_call\" skipped (libseccomp $("$SHIM" version | awk '/libseccomp/ {print $2}') does not know it)"
cp "$WORK/plain.json" "$WORK/edited.json"
"$SHIM" --profile "$WORK/edited.json" -- true
printf '{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["rmdir"], "action": "SCMP_ACT_ERRNO" } ] }' >"$WORK/edited.json"
shim --profile "$WORK/edited.json" -- "$PROBE" mkdir 0
check "an edited profile is compiled again, not taken from the cache" "$out" "errno EFAULT"

n=$(entries)
"$SHIM" --no-cache --profile "$FIX/allow-basic.json" -- true
check "--no-cache stores nothing" "$(entries)" "$n"
"$SHIM" --cache-dir "$WORK/other-cache" --profile "$FIX/allow-basic.json" -- true
check "--cache-dir" "$(find "$WORK/other-cache" -name '*.bpf' | wc -l)" 1
chmod 000 "$WORK/other-cache"
if ! is_root; then
	shim --cache-dir "$WORK/other-cache" --profile "$FIX/allow-basic.json" -- "$PROBE" mkdir 0
	check "an unusable cache does not fail the run" "$rc|$out" "0|errno EPERM"
fi
shim --cache-dir /proc/no-such-dir --profile "$FIX/allow-basic.json" -- "$PROBE" mkdir 0
check "a cache that cannot be created does not fail the run" "$rc|$out" "0|errno EPERM"
chmod 700 "$WORK/other-cache"

# Racing: many shims on one empty cache entry all run confined.
rm -rf "$CACHE"
for i in $(seq 12); do
	"$SHIM" --profile runtime/default -- "$PROBE" keyctl 0 >"$WORK/race.$i" 2>&1 &
done
wait
check "12 shims racing on one cache entry all run confined" \
	"$(cat "$WORK"/race.* | sort | uniq -c | sed 's/^ *//')|$(entries)" "12 errno EPERM|1"

# Eviction keeps the cache bounded.
for i in $(seq 70); do
	printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": %d}]}' "$i" >"$WORK/evict.json"
	"$SHIM" --profile "$WORK/evict.json" -- true
done
check "the cache keeps at most 64 entries" "$(entries)" 64
