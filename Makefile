# seccomp-shim
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
CFLAGS ?= -O2 -g
PKGS := libseccomp jansson

WARN := -Wall -Wextra -Wshadow -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral
HARDEN := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
WERROR ?=
ALL_CFLAGS = -std=gnu11 -D_GNU_SOURCE -Ilib/include -Ilib $(HARDEN) $(WARN) \
	$(shell $(PKG_CONFIG) --cflags $(PKGS)) -MMD -MP $(CFLAGS) $(WERROR)
ALL_LDFLAGS = -pie -Wl,-z,relro,-z,now $(LDFLAGS)
LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS))

LIB_SRC := $(wildcard lib/*.c)
LIB_OBJ := $(LIB_SRC:.c=.o)
SHIM_SRC := $(wildcard shim/*.c)
SHIM_OBJ := $(SHIM_SRC:.c=.o)
UNIT_SRC := $(wildcard tests/unit/*.c)
UNIT_OBJ := $(UNIT_SRC:.c=.o)
HELPERS := tests/integration/probe tests/integration/verdicts tests/integration/threads

.PHONY: all check check-unit check-integration install uninstall static clean

all: seccomp-shim

lib/libseccomp-shim.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

seccomp-shim: $(SHIM_OBJ) lib/libseccomp-shim.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(SHIM_OBJ) lib/libseccomp-shim.a $(LIBS)

%.o: %.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The built-in profiles are embedded as C string literals.
lib/%.inc: profiles/%.json
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@

lib/reference.o: lib/runtime-default.inc lib/audit.inc

tests/unit/%.o: tests/unit/%.c
	$(CC) $(ALL_CFLAGS) -DFIXTURES='"$(CURDIR)/tests/fixtures"' -c -o $@ $<

tests/unit/run-unit: $(UNIT_OBJ) lib/libseccomp-shim.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(UNIT_OBJ) lib/libseccomp-shim.a $(LIBS) \
		$(shell $(PKG_CONFIG) --libs check)

tests/integration/probe: tests/integration/probe.c
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIBS)

tests/integration/threads: tests/integration/threads.c
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -pthread -o $@ $<

tests/integration/verdicts: tests/integration/verdicts.c lib/libseccomp-shim.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< lib/libseccomp-shim.a $(LIBS)

# -Werror here and in CI, after the user's CFLAGS.
check: WERROR := -Werror
check: check-unit check-integration

check-unit: tests/unit/run-unit
	cd tests/unit && ./run-unit

check-integration: seccomp-shim $(HELPERS)
	tests/integration/run.sh

install: seccomp-shim
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 seccomp-shim $(DESTDIR)$(BINDIR)/seccomp-shim
	install -m 0644 man/seccomp-shim.1 $(DESTDIR)$(MANDIR)/man1/seccomp-shim.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/seccomp-shim $(DESTDIR)$(MANDIR)/man1/seccomp-shim.1

# One binary with no runtime dependencies, to COPY into any image.
static: $(SHIM_SRC) $(LIB_SRC) lib/runtime-default.inc lib/audit.inc
	$(CC) -std=gnu11 -D_GNU_SOURCE -Ilib/include -Ilib $(WARN) $(CFLAGS) -static \
		-o seccomp-shim-static $(SHIM_SRC) $(LIB_SRC) \
		$(shell $(PKG_CONFIG) --static --libs $(PKGS))
	@ls -l seccomp-shim-static

clean:
	rm -f seccomp-shim seccomp-shim-static lib/libseccomp-shim.a $(LIB_OBJ) $(SHIM_OBJ) \
		$(UNIT_OBJ) tests/unit/run-unit $(HELPERS) lib/*.d shim/*.d tests/unit/*.d lib/*.inc \
		tests/integration/*.d

-include $(LIB_OBJ:.o=.d) $(SHIM_OBJ:.o=.d) $(UNIT_OBJ:.o=.d)
