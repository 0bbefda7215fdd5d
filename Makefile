# seccomp-shim
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
CFLAGS ?= -O2 -g
PKGS := libseccomp jansson

# Objects and test programs go under B; the shim itself to SHIM_BIN. A
# second tree (check-sanitize, fuzz) builds the same sources with other flags.
B ?= build
SHIM_BIN ?= seccomp-shim
SANITIZE ?=

WARN := -Wall -Wextra -Wshadow -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral
HARDEN := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
WERROR ?=
BASE_CFLAGS = -std=gnu11 -D_GNU_SOURCE -Ilib/include -Ilib -I$(B)/lib $(HARDEN) $(WARN) \
	$(shell $(PKG_CONFIG) --cflags $(PKGS)) -MMD -MP $(CFLAGS) $(WERROR)
ALL_CFLAGS = $(BASE_CFLAGS) $(SANITIZE)
BASE_LDFLAGS = -pie -Wl,-z,relro,-z,now $(LDFLAGS)
ALL_LDFLAGS = $(BASE_LDFLAGS) $(SANITIZE)
LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS)) -pthread

LIB_SRC := $(wildcard lib/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o)
LIB_A := $(B)/lib/libseccomp-shim.a
SHIM_SRC := $(wildcard shim/*.c)
SHIM_OBJ := $(SHIM_SRC:%.c=$(B)/%.o)
UNIT_SRC := $(wildcard tests/unit/*.c)
UNIT_OBJ := $(UNIT_SRC:%.c=$(B)/%.o)
INC := $(B)/lib/runtime-default.inc $(B)/lib/audit.inc \
	$(B)/lib/runtime-default.sha256.inc $(B)/lib/audit.sha256.inc $(B)/lib/build-id.inc
# Programs the tests confine; never sanitized, they are the targets.
TARGETS := $(B)/tests/integration/probe $(B)/tests/integration/threads \
	$(B)/tests/integration/escape
HELPERS := $(TARGETS) $(B)/tests/integration/verdicts $(B)/tests/fault/fault.so
REPLAY := $(B)/tests/fuzz/replay-profile $(B)/tests/fuzz/replay-bpf
FUZZ_SEEDS := examples/profiles tests/fixtures tests/fixtures/seeds profiles tests/fuzz/regressions

.SECONDARY:
.PHONY: all check check-unit check-integration check-sanitize check-valgrind \
	fuzz bench install uninstall static clean

all: $(SHIM_BIN)

$(LIB_A): $(LIB_OBJ)
	$(AR) rcs $@ $^

$(SHIM_BIN): $(SHIM_OBJ) $(LIB_A)
	$(CC) $(ALL_LDFLAGS) -o $@ $(SHIM_OBJ) $(LIB_A) $(LIBS)

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
$(B)/lib/build-id.inc: $(sort $(wildcard lib/*.c lib/*.h lib/include/*.h profiles/*.json))
	@mkdir -p $(@D)
	cat $^ | sha256sum | cut -c1-16 | sed 's/.*/"&"/' > $@

$(B)/lib/reference.o $(B)/lib/cache.o: $(INC)

$(B)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DFIXTURES='"$(CURDIR)/tests/fixtures"' -c -o $@ $<

$(B)/tests/unit/run-unit: $(UNIT_OBJ) $(LIB_A)
	$(CC) $(ALL_LDFLAGS) -o $@ $(UNIT_OBJ) $(LIB_A) $(LIBS) \
		$(shell $(PKG_CONFIG) --libs check)

$(B)/tests/integration/%: tests/integration/%.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(BASE_LDFLAGS) -pthread -o $@ $< $(LIBS)

$(B)/tests/integration/verdicts: tests/integration/verdicts.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB_A) $(LIBS)

# LD_PRELOAD library that makes one step of the privilege sequence fail.
$(B)/tests/fault/fault.so: tests/fault/fault.c
	@mkdir -p $(@D)
	$(CC) $(filter-out -fPIE,$(BASE_CFLAGS)) -fPIC -shared -o $@ $< -ldl

# The fuzz harnesses with a main() that runs each file given once: every
# seed and every input a fuzzer ever crashed on is replayed by check-unit.
$(B)/tests/fuzz/replay-%: $(B)/tests/fuzz/fuzz_%.o $(B)/tests/fuzz/replay.o $(LIB_A)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# -Werror here and in CI, after the user's CFLAGS.
check: WERROR := -Werror
check: check-unit check-integration check-sanitize

check-unit: $(B)/tests/unit/run-unit $(REPLAY)
	cd tests/unit && LSAN_OPTIONS=suppressions=$(CURDIR)/tests/fuzz/lsan.supp $(CURDIR)/$(B)/tests/unit/run-unit
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/fuzz/lsan.supp $(B)/tests/fuzz/replay-profile $(FUZZ_SEEDS)
	$(B)/tests/fuzz/replay-bpf tests/fuzz/regressions-bpf

check-integration: $(SHIM_BIN) $(HELPERS) seccomp-shim-static $(B)/tests/integration/probe-static
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

install: $(SHIM_BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(SHIM_BIN) $(DESTDIR)$(BINDIR)/seccomp-shim
	install -m 0644 man/seccomp-shim.1 $(DESTDIR)$(MANDIR)/man1/seccomp-shim.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/seccomp-shim $(DESTDIR)$(MANDIR)/man1/seccomp-shim.1

# One binary with no runtime dependencies, to COPY into any image.
static: seccomp-shim-static
	@ls -l seccomp-shim-static

seccomp-shim-static: $(SHIM_SRC) $(LIB_SRC) $(INC) $(wildcard lib/*.h lib/include/*.h shim/*.h)
	$(CC) -std=gnu11 -D_GNU_SOURCE -Ilib/include -Ilib -I$(B)/lib $(WARN) $(CFLAGS) $(WERROR) \
		-static -s -ffunction-sections -fdata-sections -Wl,--gc-sections \
		-o $@ $(SHIM_SRC) $(LIB_SRC) $(shell $(PKG_CONFIG) --static --libs $(PKGS))

# The probe, static, for busybox containers.
$(B)/tests/integration/probe-static: tests/integration/probe.c
	@mkdir -p $(@D)
	$(CC) $(filter-out -fPIE,$(BASE_CFLAGS)) -static -o $@ $< \
		$(shell $(PKG_CONFIG) --static --libs libseccomp)

clean:
	rm -rf build seccomp-shim seccomp-shim-static

-include $(shell find $(B) -name '*.d' 2>/dev/null)
