# Bundles and hooks against a hostile owner (issue #14). oci convert
# --write, wrap and unwrap run as root on a bundle whose owner planted
# links to files elsewhere (victims made here, never real /etc files):
# each victim must stay as it was, and bundles another user controls are
# refused. The example hooks run the hook as nobody, since uid 0 with no
# capabilities still owns root's files. Root only: files are chowned to
# nobody. Sourced by run.sh.

echo "# bundles and hooks against a hostile owner"

STATIC="${SECCOMP_SHIM_STATIC:-$top/seccomp-shim-static}"
NOBODY=65534

if ! is_root; then
	skip "hostile bundles and hooks" "not root (the tests chown bundles to uid $NOBODY)"
else

T="$WORK/trust"
mkdir -p "$T"
# A directory nobody can enter, for the hooks' scratch file: the file's
# owner, not the way to it, must be what stops the hook.
SCRATCH=$(mktemp -d /tmp/seccomp-shim-scratch.XXXXXX)
chmod 0755 "$SCRATCH"
trap 'rm -rf "$WORK" "$SCRATCH"' EXIT

trust_bundle() { # trust_bundle NAME: a fresh root-owned bundle (0755) in $B
	B="$T/$1"
	rm -rf "$B" && mkdir -p "$B/rootfs"
	chmod 0755 "$B"
	cat >"$B/config.json" <<'EOF_CONFIG'
{ "ociVersion": "1.0.2",
  "process": { "args": ["/bin/true"], "capabilities": { "bounding": ["CAP_KILL"] } },
  "root": { "path": "rootfs" }, "mounts": [], "linux": { "namespaces": [] } }
EOF_CONFIG
	cp "$B/config.json" "$T/$1.before"
}
victim() { # victim NAME: a root-owned file outside every bundle, in $V
	V="$T/victim-$1"
	printf 'victim %s\n' "$1" >"$V"
	chmod 0644 "$V"
}
intact() { # "intact" when $V holds what victim wrote and is still a file
	[ -f "$V" ] && [ ! -L "$V" ] && [ "$(cat "$V")" = "victim ${V##*/victim-}" ] && echo intact || echo changed
}
regular() { # regular FILE: "regular" when FILE is a file, not a link
	[ -f "$1" ] && [ ! -L "$1" ] && echo regular || echo "not a regular file"
}
same() { cmp -s "$1" "$2" && echo same || echo differs; }
same_json() { # same_json A B: "same" when both hold the same JSON value
	python3 -c 'import json, sys; print("same" if json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])) else "differs")' "$1" "$2" 2>&1
}
RISK="could make them lead to files elsewhere while this command writes there with your privileges"

# ---- a bundle that another user owns -------------------------------------

trust_bundle foreign-convert
victim orig
ln -s "$V" "$B/config.json.orig"
chown -hR "$NOBODY:$NOBODY" "$B"
shim oci convert runtime/default --bundle "$B" --write -q
check "oci convert --write, bundle owned by nobody with config.json.orig -> victim: refused, victim intact" \
	"$rc|$(intact)|$err" \
	"125|intact|seccomp-shim: oci convert: refusing to write into bundle $B: it is owned by uid $NOBODY, not by root: that user controls the names in it and $RISK (run the command as uid $NOBODY, or copy the bundle into a directory you own)"
check "... and config.json is as it was" "$(same "$T/foreign-convert.before" "$B/config.json")" same

if [ -x "$STATIC" ]; then
	trust_bundle foreign-wrap
	victim profile
	ln -s "$V" "$B/seccomp-shim-profile.json"
	chown -hR "$NOBODY:$NOBODY" "$B"
	shim oci wrap "$B" --profile runtime/default --shim "$STATIC" -q
	check "oci wrap, bundle owned by nobody with seccomp-shim-profile.json -> victim: refused, victim intact" \
		"$rc|$(intact)|$(same "$T/foreign-wrap.before" "$B/config.json")|$err" \
		"125|intact|same|seccomp-shim: oci wrap: refusing to write into bundle $B: it is owned by uid $NOBODY, not by root: that user controls the names in it and $RISK (run the command as uid $NOBODY, or copy the bundle into a directory you own)"

	trust_bundle foreign-unwrap
	"$SHIM" oci wrap "$B" --profile runtime/default --shim "$STATIC" -q
	cp "$B/config.json" "$T/foreign-unwrap.wrapped"
	victim unwrap-orig
	rm -f "$B/config.json.orig" && ln -s "$V" "$B/config.json.orig"
	chown -hR "$NOBODY:$NOBODY" "$B"
	shim oci unwrap "$B" -q
	check "oci unwrap, bundle owned by nobody with config.json.orig -> victim: refused, victim intact" \
		"$rc|$(intact)|$(same "$T/foreign-unwrap.wrapped" "$B/config.json")|$err" \
		"125|intact|same|seccomp-shim: oci unwrap: refusing to write into bundle $B: it is owned by uid $NOBODY, not by root: that user controls the names in it and $RISK (run the command as uid $NOBODY, or copy the bundle into a directory you own)"
else
	skip "oci wrap/unwrap of hostile bundles" "the static shim is not built (make static)"
fi

# Reading one is harmless (the bounding set): allowed.
trust_bundle foreign-read
chown -hR "$NOBODY:$NOBODY" "$B"
shim oci convert runtime/default --bundle "$B" -q
check "oci convert without --write reads a bundle owned by nobody" "$rc" 0

# ---- a bundle that others may write to -----------------------------------

trust_bundle group-writable
victim group-writable
ln -s "$V" "$B/config.json.orig"
chgrp "$NOBODY" "$B" && chmod 0775 "$B"
shim oci convert runtime/default --bundle "$B" --write -q
check "oci convert --write, root's bundle writable by its group: refused, victim intact" \
	"$rc|$(intact)|$err" \
	"125|intact|seccomp-shim: oci convert: refusing to write into bundle $B: its mode 0775 lets its group (gid $NOBODY) write to it: they control the names in it and $RISK (chmod go-w $B, or copy the bundle into a directory you own)"
chgrp 0 "$B" && chmod 0757 "$B"
shim oci convert runtime/default --bundle "$B" --write -q
check "... writable by others: refused" "$rc|$(intact)|$err" \
	"125|intact|seccomp-shim: oci convert: refusing to write into bundle $B: its mode 0757 lets every user write to it: they control the names in it and $RISK (chmod go-w $B, or copy the bundle into a directory you own)"

# Sticky: others may add names but not replace root's; what they add is
# never followed.
trust_bundle sticky
victim sticky
chmod 1777 "$B"
ln -s "$V" "$B/config.json.orig" && chown -h "$NOBODY:$NOBODY" "$B/config.json.orig"
shim oci convert runtime/default --bundle "$B" --write -q
check "oci convert --write, sticky bundle with nobody's config.json.orig -> victim: done, victim intact" \
	"$rc|$(intact)|$(regular "$B/config.json.orig")|$(same "$T/sticky.before" "$B/config.json.orig")" \
	"0|intact|regular|same"

# ---- links in root's own bundle: replaced, never followed -----------------

trust_bundle root-links
victim root-orig
ln -s "$V" "$B/config.json.orig"
shim oci convert runtime/default --bundle "$B" --write -q
check "oci convert --write, root's bundle with config.json.orig -> victim: the link is replaced, victim intact" \
	"$rc|$(intact)|$(regular "$B/config.json.orig")|$(same "$T/root-links.before" "$B/config.json.orig")" \
	"0|intact|regular|same"

if [ -x "$STATIC" ]; then
	trust_bundle root-profile
	victim root-profile
	ln -s "$V" "$B/seccomp-shim-profile.json"
	shim oci wrap "$B" --profile runtime/default --shim "$STATIC" -q
	check "oci wrap, root's bundle with seccomp-shim-profile.json -> victim: the link is replaced, victim intact" \
		"$rc|$(intact)|$(regular "$B/seccomp-shim-profile.json")" "0|intact|regular"
	victim root-unwrap
	rm -f "$B/config.json.orig" && ln -s "$V" "$B/config.json.orig"
	rm -f "$B/seccomp-shim-profile.json" && ln -s "$V" "$B/seccomp-shim-profile.json"
	ln -sf "$V" "$B/seccomp-shim-static"
	shim oci unwrap "$B" -q
	check "oci unwrap with config.json.orig, the profile and the shim -> victim: links left or removed, never followed, victim intact" \
		"$rc|$(intact)|$([ -L "$B/config.json.orig" ] && echo "link left")|$([ -e "$B/seccomp-shim-profile.json" ] || [ -L "$B/seccomp-shim-profile.json" ] || echo gone)|$([ -e "$B/seccomp-shim-static" ] || [ -L "$B/seccomp-shim-static" ] || echo gone)|$(same_json "$T/root-profile.before" "$B/config.json")" \
		"0|intact|link left|gone|gone|same"

	# The shim's copy planted as a link: replaced, never written through.
	trust_bundle root-shim-copy
	victim shim-copy
	ln -s "$V" "$B/seccomp-shim-static"
	shim oci wrap "$B" --profile runtime/default --shim "$STATIC" -q
	check "oci wrap, root's bundle with seccomp-shim-static -> victim: the link is replaced, victim intact" \
		"$rc|$(intact)|$(regular "$B/seccomp-shim-static")|$(same "$STATIC" "$B/seccomp-shim-static")" "0|intact|regular|same"

	# unwrap removes the runtime's mount points in the root filesystem,
	# never following a link there.
	trust_bundle root-unwrap-rootfs
	shim oci wrap "$B" --profile runtime/default --shim "$STATIC" -q
	mkdir -p "$T/victim-mp" && : >"$T/victim-mp/seccomp-shim" && : >"$T/victim-mp/profile.json"
	ln -s "$T/victim-mp" "$B/rootfs/.seccomp-shim"
	shim oci unwrap "$B" -q
	check "oci unwrap, rootfs/.seccomp-shim -> a directory elsewhere: nothing there removed" \
		"$rc|$(ls "$T/victim-mp" | tr '\n' ' ')|$([ -L "$B/rootfs/.seccomp-shim" ] && echo "link left")" \
		"0|profile.json seccomp-shim |link left"

	# The mount point the runtime makes for the shim, planted as a link.
	trust_bundle root-mountpoint
	mkdir "$T/victim-dir"
	ln -s "$T/victim-dir" "$B/rootfs/.seccomp-shim"
	shim oci wrap "$B" --profile runtime/default --shim "$STATIC" -q
	check "oci wrap, rootfs/.seccomp-shim -> a directory elsewhere: refused, nothing written" \
		"$rc|$(ls -A "$T/victim-dir" | wc -l)|$(same "$T/root-mountpoint.before" "$B/config.json")|$err" \
		"125|0|same|seccomp-shim: oci wrap: $B/rootfs/.seccomp-shim is a symbolic link or not a directory: the runtime would mount the shim and its profile wherever it leads; remove it"
fi

trust_bundle config-link
victim config
printf '{"secret": "root only"}\n' >"$V.json" && chmod 0600 "$V.json"
cp "$V.json" "$T/config-victim.before"
rm "$B/config.json" && ln -s "$V.json" "$B/config.json"
shim oci convert runtime/default --bundle "$B" --write -q
check "oci convert --write, config.json -> a file elsewhere: refused, not copied, target intact" \
	"$rc|$([ -e "$B/config.json.orig" ] && echo copied)|$(same "$T/config-victim.before" "$V.json")|$err" \
	"125||same|seccomp-shim: oci convert: $B/config.json is a symbolic link: seccomp-shim follows no link inside a bundle (put the file itself there)"
shim oci convert runtime/default --bundle "$B" -q
check "... without --write too" "$rc|$err" \
	"125|seccomp-shim: oci convert: $B/config.json is a symbolic link: seccomp-shim follows no link inside a bundle (put the file itself there)"

trust_bundle tmp-planted
victim tmp
ln -s "$V" "$B/seccomp-shim.tmp"
shim oci convert runtime/default --bundle "$B" --write -q
check "oci convert --write, the temporary name planted as a link -> victim: refused, victim intact" \
	"$rc|$(intact)|$(same "$T/tmp-planted.before" "$B/config.json")|$err" \
	"125|intact|same|seccomp-shim: oci convert: cannot create $B/seccomp-shim.tmp: it exists (another seccomp-shim may be writing to this bundle, or one was interrupted: remove it if none is running)"

trust_bundle linked-bundle
ln -s "$B" "$T/bundle-link"
shim oci convert runtime/default --bundle "$T/bundle-link" --write -q
check "oci convert --write, the bundle named through a link: refused" \
	"$rc|$(same "$T/linked-bundle.before" "$B/config.json")|$err" \
	"125|same|seccomp-shim: oci convert: bundle $T/bundle-link is a symbolic link: give the directory itself (seccomp-shim follows no link to or inside a bundle)"

# ---- ordinary bundles still work ------------------------------------------

trust_bundle plain
shim oci convert runtime/default --bundle "$B/" --write -q
check "root's own bundle (named with a trailing slash): convert --write works" \
	"$rc|$(same "$T/plain.before" "$B/config.json.orig")|$(stat -c %a "$B/config.json")|$(ls -A "$B" | tr '\n' ' ')" \
	"0|same|644|config.json config.json.orig rootfs "
if [ -x "$STATIC" ]; then
	cp "$B/config.json" "$T/plain.converted"
	shim oci wrap "$B" --profile runtime/default --shim "$STATIC" -q
	r1=$rc
	shim oci unwrap "$B" -q
	check "... wrap and unwrap work; unwrap restores it byte for byte and leaves nothing of wrap's behind" \
		"$r1|$rc|$(same "$T/plain.converted" "$B/config.json")|$(ls -A "$B" | tr '\n' ' ')|$(ls -A "$B/rootfs" | wc -l)" \
		"0|0|same|config.json rootfs |0"
fi

# ---- hooks: uid 0 without capabilities still owns root's files ------------

F="$SCRATCH/root-file"
printf 'root file\n' >"$F" && chmod 0644 "$F"
"$SHIM" -q --profile runtime/default --cap-drop ALL -- /bin/sh -c "echo attack >>$F" 2>/dev/null
check "control: uid 0 with --cap-drop ALL appends to a file root owns (the attack)" \
	"$?|$(tail -n 1 "$F")" "0|attack"
hook_args() { # hook_args FILE JSON-PATH: the example hook's arguments from argv[1] to "--"
	python3 - "$1" "$2" <<'EOF_PY'
import json, sys
h = json.load(open(sys.argv[1]))
for key in sys.argv[2].split("."):
    h = h[int(key)] if key.isdigit() else h[key]
assert h["path"] == "/usr/local/bin/seccomp-shim", h["path"]
print("\n".join(h["args"][1:h["args"].index("--") + 1]))
EOF_PY
}
for example in "hooks.d/seccomp-shim-hook.json:hook" "runc/config.json:hooks.createRuntime.0"; do
	printf 'root file\n' >"$F"
	mapfile -t args < <(hook_args "$top/examples/${example%%:*}" "${example#*:}")
	"$SHIM" "${args[@]}" /bin/sh -c "echo attack >>$F" 2>"$WORK/hook.err"
	check "examples/${example%%:*}: the hook's command line as written cannot write a file root owns" \
		"$?|$(grep -c 'Permission denied' "$WORK/hook.err")|$(cat "$F")" "2|1|root file"
done
rm -rf "$SCRATCH"


# ---- integers above 2^63-1 -----------------------------------------------

# Go reads them into uint64 (a value, an rlimit); jansson holds up to
# 2^63-1. oci convert --write reads config.json and writes it back with
# them as the integers they were, not "too big integer" (#17.4).
trust_bundle wide
python3 - "$B/config.json" <<'EOF_PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["rlimits"] = [{"type": "RLIMIT_NOFILE", "hard": 18446744073709551615, "soft": 1024}]
json.dump(c, open(sys.argv[1], "w"))
EOF_PY
profile wide <<'EOF_PROFILE'
{ "defaultAction": "SCMP_ACT_ERRNO",
  "syscalls": [ { "names": ["personality"], "action": "SCMP_ACT_ALLOW",
                  "args": [ { "index": 0, "value": 18446744073709551615, "op": "SCMP_CMP_EQ" } ] } ] }
EOF_PROFILE
wide_values() { # the personality rule's value and the rlimit, as Python reads them
	python3 -c 'import json, sys
c = json.load(open(sys.argv[1]))
r = [s for s in c["linux"]["seccomp"]["syscalls"] if "personality" in s["names"]][0]
print(repr(r["args"][0]["value"]), repr(c["process"]["rlimits"][0]["hard"]))' "$1" 2>&1
}
shim oci convert "$WORK/wide.json" --bundle "$B" --write -q
check "oci convert --write: a value of 2^64-1 (and an rlimit of 2^64-1) in config.json as integers" \
	"$rc|$err|$(wide_values "$B/config.json")" "0||18446744073709551615 18446744073709551615"
shim oci convert "$WORK/wide.json" --bundle "$B" --write -q
check "oci convert --write again, over a config.json that holds them" \
	"$rc|$err|$(wide_values "$B/config.json")" "0||18446744073709551615 18446744073709551615"

fi
