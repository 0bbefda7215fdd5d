# The compiled-filter cache: used only when it is safe to, replaced when
# not, never a reason for a run to fail, and never writable in a way that
# a confined program could use (lib/cache.c: entries are sealed with a
# trusted.* attribute only CAP_SYS_ADMIN can set). Sourced by run.sh.

echo "# cache"

CACHE="$WORK/cache-root"
FORGE="$top/tests/integration/forge-cache-entry.py"
entries() { find "$CACHE" -name '*.bpf' 2>/dev/null | wc -l; }
from_cache() { # from_cache ARGS...: "cached" or "compiled", from --verbose
	"$SHIM" -v --cache-dir "$CACHE" "$@" 2>&1 >/dev/null | grep -q 'comes from the cache' && echo cached || echo compiled
}
insns() { od -An -tu4 -j40 -N4 "$1" | tr -d ' '; } # n_insns in the header

if ! is_root; then
	skip "the cache" "only root (with CAP_SYS_ADMIN) can seal cache entries; run the tests as root"
else
# A file: runtime/default itself is compiled when the shim is built and
# never goes through the cache.
RD="$WORK/rd-cache.json"
"$SHIM" export runtime/default --format json -o "$RD"
check "a built-in profile comes compiled with the shim and is not cached" \
	"$("$SHIM" -v --cache-dir "$CACHE" --profile runtime/default -- true 2>&1 | grep -c 'compiled when seccomp-shim was built')|$(entries)" "1|0"
check "the first run compiles and stores one entry" \
	"$(from_cache --profile "$RD" -- true)|$(entries)" "compiled|1"
check "the second run takes it from the cache" "$(from_cache --profile "$RD" -- true)" cached
shim --cache-dir "$CACHE" --profile "$RD" -- "$PROBE" keyctl 0
check "a cached filter confines as the compiled one does" "$out" "errno EPERM"
entry=$(find "$CACHE" -name '*.bpf')
check "the cache directory is root's and private, the entry not writable by others" \
	"$(stat -c %u:%a "$CACHE")|$(stat -c %u:%a "$entry")" "0:700|0:644"
check "the entry carries its seal" \
	"$(python3 -c 'import os,sys; print(len(os.getxattr(sys.argv[1], "trusted.seccomp-shim")))' "$entry")" 32

# The attack: a target running as uid 0 without capabilities still owns
# root's files. It rewrites the entry to "return ALLOW" with a matching
# checksum; the next run must not load it.
"$SHIM" -q --profile unconfined --cap-drop ALL -- python3 "$FORGE" "$entry"
check "a uid-0 target without capabilities can rewrite the entry (the attack)" "$(insns "$entry")" 1
check "... but the forged entry is not loaded" \
	"$(from_cache --profile "$RD" -- true)|$(from_cache --profile "$RD" -- true)" \
	"compiled|cached"
shim --cache-dir "$CACHE" --profile "$RD" -- "$PROBE" keyctl 0
check "... and keyctl is still denied" "$out" "errno EPERM"
check "... and the entry was replaced by a sealed one" "$(insns "$entry")" \
	"$("$SHIM" explain --stats "$RD" 2>/dev/null | awk '/^instructions:/ {print $2}')"
"$SHIM" -q --profile unconfined --cap-drop ALL -- python3 -c '
import os, sys
try:
    os.setxattr(sys.argv[1], "trusted.seccomp-shim", b"\0" * 32)
    print("sealed")
except OSError as e:
    print(e.strerror)' "$entry" >"$WORK/seal-attempt"
check "a target without CAP_SYS_ADMIN cannot seal an entry" "$(cat "$WORK/seal-attempt")" "Operation not permitted"

python3 "$FORGE" "$entry" "$WORK/unsealed.bpf"
cat "$WORK/unsealed.bpf" >"$entry"
check "an entry whose bytes do not match its seal is ignored" "$(from_cache --profile "$RD" -- true)" compiled
rm -f "$entry" && python3 "$FORGE" "$WORK/unsealed.bpf" "$entry" && chmod 644 "$entry"
check "a new file planted under an entry's name (no seal) is ignored and replaced" \
	"$(from_cache --profile "$RD" -- true)|$(from_cache --profile "$RD" -- true)" "compiled|cached"

printf '\377' | dd of="$entry" bs=1 seek=300 conv=notrunc status=none
check "a tampered entry is ignored and rebuilt" "$(from_cache --profile "$RD" -- true)" compiled
check "... and replaced by a good one" "$(from_cache --profile "$RD" -- true)" cached
chmod 666 "$entry"
check "a world-writable entry is ignored and replaced" \
	"$(from_cache --profile "$RD" -- true)|$(stat -c %a "$entry")" "compiled|644"
chown 65534 "$entry"
check "an entry owned by someone else is ignored and replaced" \
	"$(from_cache --profile "$RD" -- true)|$(stat -c %u "$entry")" "compiled|0"
rm -f "$entry" && ln -s /dev/null "$entry"
check "a symlink in place of an entry is not followed" \
	"$(from_cache --profile "$RD" -- true)|$([ -L "$entry" ] && echo link || echo file)" "compiled|file"
chmod 777 "$CACHE"
check "a cache directory others may write is not used" "$(from_cache --profile "$RD" -- true)" compiled
chmod 700 "$CACHE"
mkdir -p "$WORK/elsewhere" && ln -s "$CACHE" "$WORK/cache-link"
check "a cache directory reached through a symlink is not used" \
	"$("$SHIM" -v --cache-dir "$WORK/cache-link" --profile "$RD" -- true 2>&1 | grep -c 'comes from the cache')" 0

n=$(entries)
check "other capabilities, another entry" \
	"$(from_cache --profile "$RD" --caps-keep CHOWN -- true)|$(entries)" "compiled|$((n + 1))"
check "a target switched to another user holds other capabilities: another entry" \
	"$(from_cache --profile "$RD" --user nobody -- true)|$(entries)" "compiled|$((n + 2))"
# Unknown syscalls (Docker's profile names some this libseccomp does not
# know) leave warnings that are kept in the sealed entry and shown again.
printf '{"defaultAction": "SCMP_ACT_ALLOW",\n "syscalls": [{"names": ["mkdir", "no_such_call", "mkdri"], "action": "SCMP_ACT_ERRNO"}]}' >"$WORK/warns.json"
n=$(entries)
shim --cache-dir "$CACHE" --profile "$WORK/warns.json" -- true
cold="$err"
v=$("$SHIM" version | awk '/libseccomp/ {print $2}')
check "unknown syscalls are warned about, with a did-you-mean" "$cold" \
	"seccomp-shim: warning: $WORK/warns.json:2:35: syscalls[0].names[1]: unknown syscall \"no_such_call\" skipped (libseccomp $v does not know it)
seccomp-shim: warning: $WORK/warns.json:2:51: syscalls[0].names[2]: unknown syscall \"mkdri\" skipped (libseccomp $v does not know it; did you mean \"mkdir\"?)"
shim --cache-dir "$CACHE" --profile "$WORK/warns.json" -- "$PROBE" mkdir 0
check "a profile whose only warnings are unknown syscalls is cached, and a cached run shows the same warnings" \
	"$(entries)|$(from_cache --profile "$WORK/warns.json" -- true)|$err|$out" "$((n + 1))|cached|$cold|errno EPERM"
shim -q --cache-dir "$CACHE" --profile "$WORK/warns.json" -- true
check "... and none under -q" "$rc|$err" "0|"
# More than ten: the last line counts the rest (it names no syscall).
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"%s], "action": "SCMP_ACT_ERRNO"}]}' \
	"$(for i in $(seq 12); do printf ', "no_such_call_%d"' "$i"; done)" >"$WORK/many-warns.json"
shim --cache-dir "$CACHE" --profile "$WORK/many-warns.json" -- true
cold="$err"
shim --cache-dir "$CACHE" --profile "$WORK/many-warns.json" -- true
check "twelve unknown syscalls: eleven warnings, the same from the cache" \
	"$(printf '%s\n' "$cold" | wc -l)|$(printf '%s\n' "$cold" | tail -1)|$([ "$err" = "$cold" ] && echo same)|$(from_cache --profile "$WORK/many-warns.json" -- true)" \
	"11|seccomp-shim: warning: $WORK/many-warns.json: 2 more unknown syscalls skipped|same|cached"
cp "$WORK/warns.json" "$WORK/warns-copy.json"
shim --cache-dir "$CACHE" --profile "$WORK/warns-copy.json" -- true
check "the same bytes under another name: another entry, whose warnings name that file" \
	"$(entries)|$(printf '%s' "$err" | grep -c warns-copy.json)" "$((n + 3))|2"
printf '{"defaultAction": "SCMP_ACT_ALLOW", "bogus": 1,\n "syscalls": [{"names": ["mkdir", "no_such_call"], "action": "SCMP_ACT_ERRNO"}]}' >"$WORK/other-warns.json"
"$SHIM" --cache-dir "$CACHE" --profile "$WORK/other-warns.json" -- true 2>/dev/null
shim --cache-dir "$CACHE" --profile "$WORK/other-warns.json" -- true
check "a profile with other warnings is not cached: they show every time" \
	"$(entries)|$(printf '%s\n' "$err" | grep -c warning)|$(from_cache --profile "$WORK/other-warns.json" -- true)" \
	"$((n + 3))|2|compiled"
cp "$FIX/allow-basic.json" "$WORK/edited.json"
"$SHIM" --cache-dir "$CACHE" --profile "$WORK/edited.json" -- true
printf '{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["rmdir"], "action": "SCMP_ACT_ERRNO" } ] }' >"$WORK/edited.json"
shim --cache-dir "$CACHE" --profile "$WORK/edited.json" -- "$PROBE" mkdir 0
check "an edited profile is compiled again, not taken from the cache" "$out" "errno EFAULT"

# An entry is found by a key over everything that shaped its program: the
# shim's build id (the generator), libseccomp's version, the kernel, the
# capabilities, the options, the profile's bytes and name (lib/cache.c).
# The key is also inside the entry: a good, sealed entry made for other
# inputs (another build, another profile), planted under this key, is not
# loaded.
new_entry() { # new_entry PROFILE: run it once and print the entry it stored
	local before
	before=$(find "$CACHE" -name '*.bpf' | sort)
	"$SHIM" --cache-dir "$CACHE" --profile "$1" -- true
	comm -13 <(printf '%s\n' "$before") <(find "$CACHE" -name '*.bpf' | sort)
}
printf '{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["rmdir"], "action": "SCMP_ACT_ERRNO" } ] }' >"$WORK/keyed-other.json"
printf '{ "defaultAction": "SCMP_ACT_ALLOW", "syscalls": [ { "names": ["mkdir"], "action": "SCMP_ACT_ERRNO" } ] }' >"$WORK/keyed.json"
other=$(new_entry "$WORK/keyed-other.json")
keyed=$(new_entry "$WORK/keyed.json")
cp "$other" "$keyed"
python3 -c 'import hashlib, os, sys; os.setxattr(sys.argv[1], "trusted.seccomp-shim", hashlib.sha256(open(sys.argv[1], "rb").read()).digest())' "$keyed"
shim --cache-dir "$CACHE" --profile "$WORK/keyed.json" -- "$PROBE" mkdir 0
check "a sealed entry made for other inputs (mkdir allowed), planted under this key: not loaded" \
	"$(printf '%s\n' "$other" "$keyed" | grep -c .)|$out" "2|errno EPERM"
check "... it was compiled again and stored in its place" "$(cmp -s "$other" "$keyed" || echo replaced)" replaced

n=$(entries)
"$SHIM" --cache-dir "$CACHE" --no-cache --profile "$FIX/allow-basic.json" -- true
check "--no-cache stores nothing" "$(entries)" "$n"
shim --cache-dir /proc/no-such-dir --profile "$FIX/allow-basic.json" -- "$PROBE" mkdir 0
check "a cache that cannot be created does not fail the run" "$rc|$out" "0|errno EPERM"

mkdir -p "$WORK/xdg"
XDG_CACHE_HOME="$WORK/xdg" HOME="$WORK/xdg" "$SHIM" --profile "$FIX/allow-basic.json" -- true
check "root's cache does not follow XDG_CACHE_HOME or HOME" "$(find "$WORK/xdg" -type f | wc -l)" 0

# A non-root user could rewrite its own cache: it gets none.
if command -v setpriv >/dev/null; then
	mkdir -p "$WORK/nobody-cache" && chown 65534 "$WORK/nobody-cache"
	out=$(setpriv --reuid 65534 --regid 65534 --clear-groups "$SHIM" --cache-dir "$WORK/nobody-cache" \
		--profile "$FIX/allow-basic.json" -- true 2>&1)
	check "a non-root user stores no cache, and is told why" \
		"$(find "$WORK/nobody-cache" -type f | wc -l)|$out" \
		"0|seccomp-shim: warning: --cache-dir $WORK/nobody-cache is not used: cache entries are sealed with an attribute only root with CAP_SYS_ADMIN can write, so that a confined program cannot forge them"
	out=$(cd / && setpriv --reuid 65534 --regid 65534 --clear-groups env HOME="$WORK/nobody-cache" \
		XDG_CACHE_HOME="$WORK/nobody-cache" "$SHIM" --profile "$FIX/allow-basic.json" -- true 2>&1)
	check "... nor a default one" "$(find "$WORK/nobody-cache" -type f | wc -l)|$out" "0|"
else
	skip "non-root cache" "setpriv (util-linux) not installed"
fi

# Racing: many shims on one empty cache entry all run confined.
rm -rf "$CACHE"
for i in $(seq 12); do
	"$SHIM" --cache-dir "$CACHE" --profile "$RD" -- "$PROBE" keyctl 0 >"$WORK/race.$i" 2>&1 &
done
wait
check "12 shims racing on one cache entry all run confined" \
	"$(cat "$WORK"/race.* | sort | uniq -c | sed 's/^ *//')|$(entries)" "12 errno EPERM|1"

# Eviction keeps the cache bounded.
for i in $(seq 70); do
	printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": %d}]}' "$i" >"$WORK/evict.json"
	"$SHIM" --cache-dir "$CACHE" --profile "$WORK/evict.json" -- true
done
check "the cache keeps at most 64 entries" "$(entries)" 64
fi
