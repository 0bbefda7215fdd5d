# Packaging: --help, bash completion, make install / install-strip /
# uninstall into a staging directory, and the examples run exactly as
# their READMEs write them after make install (into a private /usr/local:
# nothing on this machine changes). Sourced by run.sh.

echo "# packaging and examples"

STATIC="${SECCOMP_SHIM_STATIC:-$top/seccomp-shim-static}"
# make, on the binaries this run tests; never rebuilding them here.
make_here() {
	make -C "$top" --no-print-directory -o "$SHIM" -o seccomp-shim-static \
		SHIM_BIN="$SHIM" B="$BUILD" "$@"
}

shim --help
check "--help names --version" "$(printf '%s\n' "$out" | grep -c -e '^  -V, --version ')" 1
shim --version
check "--version" "$rc|${out%% *}" "0|seccomp-shim"

# ---- bash completion --------------------------------------------------------

"$SHIM" completion bash >"$WORK/completion.bash"
comp() { # comp WORD...: what completing the last word offers
	bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _seccomp_shim; printf "%s\n" "${COMPREPLY[@]}"' \
		comp "$WORK/completion.bash" seccomp-shim "$@" | sort | tr '\n' ' ' | sed 's/ $//'
}
check "completion: subcommands" "$(comp "")" "check compile completion diff eval explain export features help inspect new oci record version"
check "completion: built-in profiles" "$(comp --profile Run)" "RuntimeDefault"
check "completion: capabilities, either spelling, in a comma list" \
	"$(comp --cap-drop NET_RAW,CAP_SYS_AD)|$(comp --caps-keep NET_BI)" "NET_RAW,CAP_SYS_ADMIN|NET_BIND_SERVICE"
check "completion: groups for new" "$(comp new --allow @system-service,@mo)" "@system-service,@module @system-service,@mount"
check "completion: options of a subcommand" "$(comp new --de)" "--default-action --deny"
check "completion: oci" "$(comp oci "")" "convert unwrap wrap"
check "completion: a value as the command takes it" "$(comp export --format "")|$(comp record --format "")" \
	"bpf json oci pfc|docker oci"
check "completion: the run's program, then its arguments" \
	"$(comp -p runtime/default mkfif | tr ' ' '\n' | sort -u)|$(comp -q -- true /dev/nul)|$(comp record -o x ls /dev/nul)" \
	"mkfifo|/dev/null|/dev/null"
# What each command completes to is what its --help lists, and the other
# way round: both come from the same table.
differ=""
for sub in "" check explain eval export compile diff "oci convert" "oci wrap" "oci unwrap" record new \
	version completion help; do
	# shellcheck disable=SC2086 # "oci convert" is two words
	listed=$("$SHIM" $sub --help | grep -oE -- '^  (-[a-zA-Z], |    )--[a-z][a-z-]+' | grep -oE -- '--[a-z-]+' | sort | tr '\n' ' ' | sed 's/ $//')
	# shellcheck disable=SC2086
	[ "$(comp $sub --)" = "$listed" ] || differ="$differ ${sub:-run}"
done
check "completion: each command's options are those its --help lists" "$differ" ""

# ---- make install, install-strip, uninstall ---------------------------------

if ! command -v make >/dev/null; then
	skip "make install" "make is not installed"
else
	D="$WORK/destdir"
	make_here install DESTDIR="$D" >"$WORK/install.log" 2>&1
	r=$?
	expect="usr/local/bin/seccomp-shim
$([ -x "$STATIC" ] && echo usr/local/bin/seccomp-shim-static)
usr/local/share/bash-completion/completions/seccomp-shim
usr/local/share/man/man1/seccomp-shim.1
usr/local/share/man/man5/seccomp-shim-profile.5
$(cd "$top" && for f in profiles/*.json; do echo "usr/local/share/seccomp-shim/$f"; done)
$(cd "$top" && find examples -type f | sed 's|^|usr/local/share/seccomp-shim/|')"
	check "make install DESTDIR: the shims, both man pages, completion, profiles and examples" \
		"$r|$(cd "$D" && find . -type f -o -type l | sed 's|^\./||' | sort)" "0|$(printf '%s\n' "$expect" | grep . | sort)"
	check "... the installed completion is the shim's own" \
		"$(cmp "$WORK/completion.bash" "$D/usr/local/share/bash-completion/completions/seccomp-shim" && echo same)" same
	check "... the man pages render" \
		"$(for m in man1/seccomp-shim.1 man5/seccomp-shim-profile.5; do LC_ALL=C MANWIDTH=80 man -l "$D/usr/local/share/man/$m" 2>&1 >/dev/null; done | wc -l)" 0
	make_here uninstall DESTDIR="$D" >>"$WORK/install.log" 2>&1
	check "make uninstall DESTDIR: nothing left" "$?|$(cd "$D" 2>/dev/null && find . -mindepth 1)" "0|"
	make_here install-strip DESTDIR="$D" >>"$WORK/install.log" 2>&1
	check "make install-strip: the shim has no symbol table" \
		"$?|$(readelf -S "$D/usr/local/bin/seccomp-shim" | grep -c '\.symtab')|$("$D/usr/local/bin/seccomp-shim" --version | head -n 1)" \
		"0|0|seccomp-shim $("$SHIM" --version | head -n 1 | cut -d' ' -f2)"
	make_here uninstall DESTDIR="$D" >>"$WORK/install.log" 2>&1
	check "... and uninstall leaves nothing" "$(cd "$D" 2>/dev/null && find . -mindepth 1)" ""
fi

# ---- the examples, exactly as written, after make install -------------------

examples_skip=""
if ! is_root; then
	examples_skip="not root (a private /usr/local needs a mount namespace, runc needs root)"
elif ! command -v unshare >/dev/null || ! command -v make >/dev/null; then
	examples_skip="unshare or make is not installed"
elif [ -z "$(command -v runc)" ]; then
	examples_skip="runc is not installed (apt-get install runc)"
elif [ ! -x /bin/busybox ] || ldd /bin/busybox >/dev/null 2>&1; then
	examples_skip="busybox-static is not installed"
elif [ ! -x "$STATIC" ]; then
	examples_skip="the static shim is not built (make static)"
fi
if [ -n "$examples_skip" ]; then
	skip "examples after make install" "$examples_skip"
else
	# examples/runc/README: the lines after "in an empty directory:".
	awk '/in an empty directory:/ { on = 1; next } on && /^  [^ ]/ { sub(/^  /, ""); print; seen = 1; next } seen && /^$/ { exit }' \
		"$top/examples/runc/README" >"$WORK/runc-recipe.sh"
	# examples/hooks.d: the hook entry as written, with a hook at the
	# path it names that prints what it got and what it runs as.
	hook_cmd=$(python3 -c 'import json, shlex, sys; h = json.load(open(sys.argv[1]))["hook"]; print(shlex.join(["exec", "-a", h["args"][0], h["path"]] + h["args"][1:]))' \
		"$top/examples/hooks.d/seccomp-shim-hook.json")
	real_hook=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["hook"]["args"][-1])' \
		"$top/examples/hooks.d/seccomp-shim-hook.json")
	printf '{"ociVersion":"1.0.2","id":"hooks-d","status":"created","pid":1,"bundle":"/b"}' >"$WORK/state.json"
	mkdir -m 0755 "$WORK/examples"
	cat >"$WORK/examples.sh" <<EOF_SH
set -e
mount -t tmpfs -o mode=0755 seccomp-shim-test /usr/local
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
cd "$top" && make --no-print-directory -o "$SHIM" -o seccomp-shim-static SHIM_BIN="$SHIM" B="$BUILD" install >"$WORK/examples-install.log" 2>&1
mkdir "$WORK/examples/runc" && cd "$WORK/examples/runc"
bash -e "$WORK/runc-recipe.sh" >"$WORK/examples/runc.out" 2>"$WORK/examples/runc.err" || echo "runc recipe: exit \$?" >>"$WORK/examples/runc.out"
mkdir -p "${real_hook%/*}"
printf '#!/bin/sh\ncat\necho\ngrep -E "^Seccomp:" /proc/self/status\nid -u\nexit 3\n' >"$real_hook"
chmod 0755 "$real_hook"
set +e
( $hook_cmd ) <"$WORK/state.json" >"$WORK/examples/hooks-d.out" 2>"$WORK/examples/hooks-d.err"
echo "exit \$?" >>"$WORK/examples/hooks-d.out"
EOF_SH
	unshare -m --propagation private bash "$WORK/examples.sh" 2>"$WORK/examples.err"
	check "the private /usr/local is gone with its namespace" "$(ls /usr/local/bin/seccomp-shim-static 2>/dev/null)" ""
	out=$(cat "$WORK/examples/runc.out" 2>&1)
	[ "$out" = started ] || out="$out $(cat "$WORK/examples.err" "$WORK/examples/runc.err" 2>&1)"
	check "examples/runc/README, as written after make install: the container starts through the shim, its hook confined" \
		"$out" started
	check "examples/hooks.d, as written after make install: state on stdin, filtered, as nobody, exit status returned" \
		"$(tr '\t\n' '  ' <"$WORK/examples/hooks-d.out" 2>&1)" \
		"$(cat "$WORK/state.json") Seccomp: 2 65534 exit 3 "
fi
