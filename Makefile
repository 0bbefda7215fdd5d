# seccomp-shim
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS := libseccomp jansson libcap
# Run once per make, not on every expansion.
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS))
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS))
PKG_STATIC_LIBS := $(shell $(PKG_CONFIG) --static --libs $(PKGS))
CHECK_LIBS := $(shell $(PKG_CONFIG) --libs check)

# Objects and test programs go under B; the shim itself to SHIM_BIN. A
# second tree (check-sanitize, fuzz) builds the same sources with other flags.
B ?= build
SHIM_BIN ?= seccomp-shim
SANITIZE ?=

WARN := -Wall -Wextra -Wshadow -Wmissing-prototypes -Wformat=2
# The user's CPPFLAGS, CFLAGS and LDFLAGS (dpkg-buildflags, rpm's
# optflags) come after ours, so theirs win; -Werror after all of them.
# The hardening goes on every program, the static shim too. A
# _FORTIFY_SOURCE in the user's flags (Debian's CPPFLAGS has =2, someone
# may want =3) replaces ours rather than redefining it (a warning).
OPT := -O2 -g
FORTIFY := $(if $(findstring _FORTIFY_SOURCE,$(CPPFLAGS) $(CFLAGS)),,-D_FORTIFY_SOURCE=2)
HARDEN_CFLAGS := $(FORTIFY) -fstack-protector-strong
HARDEN_LDFLAGS := -Wl,-z,relro,-z,now
WERROR ?=
STD_CFLAGS = -std=gnu11 -D_GNU_SOURCE -Ilib/include -Ilib -I$(B)/lib $(PKG_CFLAGS) \
	$(HARDEN_CFLAGS) $(WARN) $(OPT) $(CPPFLAGS) $(CFLAGS) $(WERROR)
BASE_CFLAGS = $(STD_CFLAGS) -fPIE -MMD -MP
ALL_CFLAGS = $(BASE_CFLAGS) $(SANITIZE)
BASE_LDFLAGS = -pie $(HARDEN_LDFLAGS) $(LDFLAGS)
ALL_LDFLAGS = $(BASE_LDFLAGS) $(SANITIZE)
LIBS = $(PKG_LIBS) -pthread
# The shim itself carries libseccomp and jansson (their archives, from
# the same -dev packages): a start then maps and relocates two shared
# libraries fewer (make bench). libcap stays shared: capability names
# are the system's (#17). SHARED_LIBS=1 links all of them as shared
# libraries, for a distribution that wants library updates to reach the
# shim without a rebuild.
SHARED_LIBS ?=
SHIM_LIBS := $(if $(SHARED_LIBS),$(PKG_LIBS),-Wl,-Bstatic \
	$(shell $(PKG_CONFIG) --static --libs libseccomp jansson) -Wl,-Bdynamic \
	$(shell $(PKG_CONFIG) --libs libcap)) -pthread

LIB_SRC := $(wildcard lib/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o)
LIB_A := $(B)/lib/libseccomp-shim.a
SHIM_SRC := $(wildcard shim/*.c)
SHIM_OBJ := $(SHIM_SRC:%.c=$(B)/%.o)
UNIT_SRC := $(wildcard tests/unit/*.c)
UNIT_OBJ := $(UNIT_SRC:%.c=$(B)/%.o)
TEXT_INC := $(B)/lib/runtime-default.inc $(B)/lib/audit.inc \
	$(B)/lib/runtime-default.sha256.inc $(B)/lib/audit.sha256.inc
INC := $(TEXT_INC) $(B)/lib/build-id.inc $(B)/lib/syscall-table.inc $(B)/lib/builtin-profiles.inc
# gen-builtin is linked from lib/ with lib/builtin.c built text-only.
GEN_LIB_OBJ := $(filter-out $(B)/lib/builtin.o,$(LIB_OBJ)) $(B)/gen/builtin-text.o
# Programs the tests confine; never sanitized, they are the targets.
TARGETS := $(B)/tests/integration/probe $(B)/tests/integration/threads \
	$(B)/tests/integration/escape
HELPERS := $(TARGETS) $(B)/tests/integration/verdicts $(B)/tests/fault/fault.so
REPLAY := $(B)/tests/fuzz/replay-profile $(B)/tests/fuzz/replay-bpf
FUZZ_SEEDS := examples/profiles tests/fixtures tests/fixtures/seeds profiles tests/fuzz/regressions

.SECONDARY:
.PHONY: all check check-unit check-headers check-integration check-sanitize check-valgrind \
	fuzz bench install uninstall static clean

all: $(SHIM_BIN) seccomp-shim-runc

# The runtime wrapper under the name engines take as a runtime path
# (podman --runtime, containerd's BinaryName): a link to the shim.
seccomp-shim-runc: $(SHIM_BIN)
	ln -sf $(SHIM_BIN) $@

$(LIB_A): $(LIB_OBJ)
	$(AR) rcs $@ $^

$(SHIM_BIN): $(SHIM_OBJ) $(LIB_A)
	$(CC) $(ALL_LDFLAGS) -o $@ $(SHIM_OBJ) $(LIB_A) $(SHIM_LIBS)

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The built-in profiles are embedded as C string literals.
$(B)/lib/%.inc: profiles/%.json
	@mkdir -p $(@D)
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@

# ... with their SHA-256, so the cache key costs nothing at run time.
$(B)/lib/%.sha256.inc: profiles/%.json
	@mkdir -p $(@D)
	sha256sum $< | cut -c1-64 | sed 's/../0x&,/g' > $@

# The build id names the generator in cache keys: an entry written by
# other sources (another generator) is never loaded.
$(B)/lib/build-id.inc: $(sort $(wildcard lib/*.c lib/*.h lib/include/*.h lib/include/seccomp-shim/*.h gen/*.c profiles/*.json))
	@mkdir -p $(@D)
	cat $^ | sha256sum | cut -c1-16 | sed 's/.*/"&"/' > $@

# libseccomp's syscall names and numbers as C data (lib/syscalls.c),
# written by a program run on the build host against the libseccomp the
# shim is built with.
$(B)/gen/gen-syscalls: gen/gen-syscalls.c lib/syscall-hash.h
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(BASE_LDFLAGS) -o $@ $< $(LIBS)

$(B)/lib/syscall-table.inc: $(B)/gen/gen-syscalls
	@mkdir -p $(@D)
	$< > $@.tmp && mv $@.tmp $@

# The built-in profiles parsed and compiled at build time, as C data
# (lib/builtin.c), by a program built from lib/ itself.
$(B)/gen/builtin-text.o: lib/builtin.c $(TEXT_INC)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DSHIM_BUILTIN_TEXT_ONLY -c -o $@ $<

$(B)/gen/gen-builtin: $(B)/gen/gen-builtin.o $(GEN_LIB_OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(B)/lib/builtin-profiles.inc: $(B)/gen/gen-builtin
	@mkdir -p $(@D)
	$< > $@.tmp && mv $@.tmp $@

$(B)/lib/syscalls.o: $(B)/lib/syscall-table.inc
$(B)/lib/cache.o: $(B)/lib/build-id.inc
$(B)/lib/builtin.o: $(TEXT_INC) $(B)/lib/builtin-profiles.inc

$(B)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DFIXTURES='"$(CURDIR)/tests/fixtures"' -c -o $@ $<

# The command-line parser (shim/cli*.c) is unit-tested too.
$(B)/tests/unit/run-unit: $(UNIT_OBJ) $(B)/shim/cli.o $(B)/shim/cli-tables.o $(B)/shim/cli-help.o $(B)/shim/diag.o $(LIB_A)
	$(CC) $(ALL_LDFLAGS) -o $@ $(UNIT_OBJ) $(B)/shim/cli.o $(B)/shim/cli-tables.o $(B)/shim/cli-help.o $(B)/shim/diag.o $(LIB_A) $(LIBS) \
		$(CHECK_LIBS)

$(B)/tests/integration/%: tests/integration/%.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(BASE_LDFLAGS) -pthread -o $@ $< $(LIBS)

$(B)/tests/integration/verdicts: tests/integration/verdicts.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB_A) $(LIBS)

# LD_PRELOAD library that makes one step of the privilege sequence fail.
$(B)/tests/fault/fault.so: tests/fault/fault.c
	@mkdir -p $(@D)
	$(CC) $(filter-out -fPIE,$(BASE_CFLAGS)) -fPIC -shared $(HARDEN_LDFLAGS) $(LDFLAGS) -o $@ $< -ldl

# The fuzz harnesses with a main() that runs each file given once: every
# seed and every input a fuzzer ever crashed on is replayed by check-unit.
$(B)/tests/fuzz/replay-%: $(B)/tests/fuzz/fuzz_%.o $(B)/tests/fuzz/replay.o $(LIB_A)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# -Werror here and in CI, after the user's CFLAGS.
check: WERROR := -Werror
check: check-unit check-integration check-sanitize

# Each stage's public header compiles on its own.
check-headers:
	@for h in lib/include/seccomp-shim/*.h; do \
		echo "#include \"seccomp-shim/$${h##*/}\"" | \
			$(CC) -std=gnu11 -D_GNU_SOURCE -Ilib/include $(PKG_CFLAGS) -Wall -Werror -fsyntax-only -x c - || \
			{ echo "check-headers: $$h does not compile alone"; exit 1; }; \
	done; echo "check-headers: $$(ls lib/include/seccomp-shim/*.h | wc -l) headers compile alone"

check-unit: check-headers $(B)/tests/unit/run-unit $(REPLAY)
	cd tests/unit && LSAN_OPTIONS=suppressions=$(CURDIR)/tests/fuzz/lsan.supp $(CURDIR)/$(B)/tests/unit/run-unit
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/fuzz/lsan.supp $(B)/tests/fuzz/replay-profile $(FUZZ_SEEDS)
	$(B)/tests/fuzz/replay-bpf tests/fuzz/regressions-bpf

check-integration: $(SHIM_BIN) $(HELPERS) seccomp-shim-static $(B)/tests/integration/probe-static \
	$(B)/tests/integration/escape-static
	SECCOMP_SHIM_BIN=$(CURDIR)/$(SHIM_BIN) SECCOMP_SHIM_BUILD=$(CURDIR)/$(B) \
		SECCOMP_SHIM_STATIC=$(CURDIR)/seccomp-shim-static tests/integration/run.sh

# The same tests with AddressSanitizer and UBSan in lib/ and the shim,
# then valgrind over the plain build.
SANITIZE_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
check-sanitize: check-valgrind
	$(MAKE) B=build/sanitize SHIM_BIN=build/sanitize/seccomp-shim CFLAGS="-O1 -g" \
		SANITIZE="$(SANITIZE_FLAGS)" WERROR=$(WERROR) \
		SECCOMP_SHIM_SANITIZED=1 check-unit check-integration

check-valgrind: $(SHIM_BIN) $(HELPERS)
	SECCOMP_SHIM_BIN=$(CURDIR)/$(SHIM_BIN) SECCOMP_SHIM_BUILD=$(CURDIR)/$(B) \
		tests/valgrind.sh

# libFuzzer with ASan and UBSan (clang). Runs both harnesses side by side
# for FUZZ_SECONDS each; exits non-zero on any finding.
FUZZ_SECONDS ?= 180
FUZZ_CC ?= clang
FUZZ_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
fuzz:
	$(MAKE) B=build/fuzz CC=$(FUZZ_CC) CFLAGS="-O1 -g" \
		SANITIZE="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" \
		build/fuzz/tests/fuzz/fuzz-profile build/fuzz/tests/fuzz/fuzz-bpf
	tests/fuzz/run.sh build/fuzz $(FUZZ_SECONDS)

$(B)/tests/fuzz/fuzz-%: $(B)/tests/fuzz/fuzz_%.o $(LIB_A)
	$(CC) $(ALL_LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LIBS)

# Start-up, per-syscall and memory figures, the cost of record and of a
# supervised run (--report).
$(B)/bench/syscalls: bench/syscalls.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(BASE_LDFLAGS) -o $@ $<

$(B)/bench/spawn: bench/spawn.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(BASE_LDFLAGS) -o $@ $<

$(B)/bench/denials: bench/denials.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(BASE_LDFLAGS) -o $@ $<

$(B)/bench/exec-wrapper: bench/exec-wrapper.c
	@mkdir -p $(@D)
	$(CC) $(filter-out -fPIE,$(BASE_CFLAGS)) -static -o $@ $<

# x86_64 only: elsewhere it is a program that exits 127 and the row is skipped.
$(B)/bench/exec-raw: bench/exec-raw.c
	@mkdir -p $(@D)
	$(CC) -O2 -static $(if $(filter x86_64,$(shell uname -m)),-nostdlib) -o $@ $<

bench: $(SHIM_BIN) seccomp-shim-static $(B)/bench/syscalls $(B)/bench/spawn $(B)/bench/exec-wrapper \
	$(B)/bench/exec-raw $(B)/bench/denials
	SECCOMP_SHIM_BIN=$(CURDIR)/$(SHIM_BIN) SECCOMP_SHIM_BUILD=$(CURDIR)/$(B) bench/startup.sh
	SECCOMP_SHIM_BIN=$(CURDIR)/$(SHIM_BIN) bench/record.sh
	SECCOMP_SHIM_BIN=$(CURDIR)/$(SHIM_BIN) SECCOMP_SHIM_BUILD=$(CURDIR)/$(B) bench/report.sh

# make install: the shim, the static one when it is built (make static
# first), both man pages, bash completion, and the built-in and example
# profiles with the other examples under $(PKGDATADIR). make uninstall
# removes exactly that; with DESTDIR, the directories left empty too.
DATADIR ?= $(PREFIX)/share
PKGDATADIR ?= $(DATADIR)/seccomp-shim
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
INSTALL ?= install
INSTALL_PROGRAM ?= $(INSTALL) -m 0755
INSTALL_DATA ?= $(INSTALL) -m 0644
STATIC_BIN := $(wildcard seccomp-shim-static)
PROFILE_FILES := $(wildcard profiles/*.json)
EXAMPLE_FILES := $(shell find examples -type f)
EXAMPLE_DIRS := $(sort $(patsubst %/,%,$(dir $(EXAMPLE_FILES))))
COMPLETION := $(B)/completion/seccomp-shim
.PHONY: install-strip completion

# The shim writes its completion from its own tables (capabilities,
# groups, built-in profiles).
completion: $(COMPLETION)

$(COMPLETION): $(SHIM_BIN)
	@mkdir -p $(@D)
	$(abspath $(SHIM_BIN)) completion bash >$@.tmp && mv $@.tmp $@

install: $(SHIM_BIN) $(STATIC_BIN) $(COMPLETION)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(PKGDATADIR)/profiles \
		$(addprefix $(DESTDIR)$(PKGDATADIR)/,$(EXAMPLE_DIRS))
	$(INSTALL_PROGRAM) $(SHIM_BIN) $(DESTDIR)$(BINDIR)/seccomp-shim
	$(if $(STATIC_BIN),$(INSTALL_PROGRAM) $(STATIC_BIN) $(DESTDIR)$(BINDIR)/seccomp-shim-static)
	ln -sf seccomp-shim $(DESTDIR)$(BINDIR)/seccomp-shim-runc
	$(INSTALL_DATA) man/seccomp-shim.1 $(DESTDIR)$(MANDIR)/man1/seccomp-shim.1
	$(INSTALL_DATA) man/seccomp-shim-profile.5 $(DESTDIR)$(MANDIR)/man5/seccomp-shim-profile.5
	$(INSTALL_DATA) $(COMPLETION) $(DESTDIR)$(BASHCOMPDIR)/seccomp-shim
	$(INSTALL_DATA) $(PROFILE_FILES) $(DESTDIR)$(PKGDATADIR)/profiles/
	for f in $(EXAMPLE_FILES); do $(INSTALL_DATA) $$f $(DESTDIR)$(PKGDATADIR)/$$f || exit 1; done

# The same with the programs stripped (install -s).
install-strip:
	$(MAKE) INSTALL_PROGRAM='$(INSTALL_PROGRAM) -s' install

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/seccomp-shim $(DESTDIR)$(BINDIR)/seccomp-shim-static \
		$(DESTDIR)$(BINDIR)/seccomp-shim-runc \
		$(DESTDIR)$(MANDIR)/man1/seccomp-shim.1 $(DESTDIR)$(MANDIR)/man5/seccomp-shim-profile.5 \
		$(DESTDIR)$(BASHCOMPDIR)/seccomp-shim \
		$(addprefix $(DESTDIR)$(PKGDATADIR)/profiles/,$(notdir $(PROFILE_FILES))) \
		$(addprefix $(DESTDIR)$(PKGDATADIR)/,$(EXAMPLE_FILES))
	for d in $$(printf '%s\n' $(EXAMPLE_DIRS) | sort -r) profiles; do rmdir $(DESTDIR)$(PKGDATADIR)/$$d 2>/dev/null; done; \
	rmdir $(DESTDIR)$(PKGDATADIR)/examples $(DESTDIR)$(PKGDATADIR) 2>/dev/null; true
	$(if $(DESTDIR),cd '$(DESTDIR)' && rmdir -p --ignore-fail-on-non-empty \
		$(patsubst /%,%,$(BINDIR) $(MANDIR)/man1 $(MANDIR)/man5 $(BASHCOMPDIR)))

# One binary with no runtime dependencies, to COPY into any image: the
# same flags and hardening as the shim, position-independent (static-pie)
# so that it is loaded at a random address too. STATIC_LINK=-static for a
# toolchain without static-pie.
STATIC_LINK ?= -static-pie
static: seccomp-shim-static
	@ls -l seccomp-shim-static

seccomp-shim-static: $(SHIM_SRC) $(LIB_SRC) $(INC) $(wildcard lib/*.h lib/include/*.h lib/include/seccomp-shim/*.h shim/*.h)
	$(CC) $(STD_CFLAGS) -fPIE -ffunction-sections -fdata-sections \
		$(STATIC_LINK) $(HARDEN_LDFLAGS) $(LDFLAGS) -Wl,--gc-sections -s \
		-o $@ $(SHIM_SRC) $(LIB_SRC) $(PKG_STATIC_LIBS)

# The probe and the escape attempts, static, for busybox containers.
$(B)/tests/integration/%-static: tests/integration/%.c
	@mkdir -p $(@D)
	$(CC) $(filter-out -fPIE,$(BASE_CFLAGS)) -static $(HARDEN_LDFLAGS) $(LDFLAGS) -o $@ $< \
		$(PKG_STATIC_LIBS)

clean:
	rm -rf build seccomp-shim seccomp-shim-static seccomp-shim-runc

-include $(shell find $(B) -name '*.d' 2>/dev/null)
