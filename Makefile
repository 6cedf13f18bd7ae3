# Makefile for the dossier toolkit.
#
#   make            build everything into $(O) (default build/)
#   make check      unit and end-to-end tests
#                   (make check and make demo first install missing Debian
#                   packages, as root: scripts/install-deps.  Nothing else
#                   does: a packager's make or make install never runs apt.)
#   make asan       the whole check under AddressSanitizer + UBSan (build-asan/)
#   make mutate     mutation testing: every bug in tests/mutants.txt is caught
#   make torture    the long fault runs; results in tests/RELIABILITY.md
#   make fuzz       each libFuzzer harness for FUZZTIME seconds (clang)
#   make lint       mandoc -Tlint, shellcheck, headers compile alone
#   make demo       a demo office database with catalog and dossiers
#   make bench      the benchmarks in bench/
#   make install    into $(DESTDIR)$(PREFIX)
#   DEVELOPER=1     adds -Werror

# The version of the toolkit: the one place it is written.
VERSION = 0.4.0

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
LOCALEDIR ?= $(PREFIX)/share/locale
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
MSGFMT ?= msgfmt
PKG_CONFIG ?= pkg-config
PKGS = sqlite3 jansson libarchive zlib libcrypto
O ?= build
CFLAGS ?= -O2 -g
CC ?= cc

WARN = -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wstrict-prototypes \
	-Wmissing-prototypes -Wvla -Wwrite-strings -Wno-unused-parameter
ifeq ($(DEVELOPER),1)
WARN += -Werror
endif

# Evaluated once, on first use (in make check and make demo, after `deps`
# has installed the pkg-config files: they build in a second make).
PKG_CFLAGS = $(eval PKG_CFLAGS := $$(shell $(PKG_CONFIG) --cflags $(PKGS)))$(PKG_CFLAGS)
PKG_LIBS = $(eval PKG_LIBS := $$(shell $(PKG_CONFIG) --libs $(PKGS)))$(PKG_LIBS)

ALL_CFLAGS = -std=c99 -D_POSIX_C_SOURCE=200809L -MMD -MP -Ilibcommon \
	-pthread $(WARN) $(CFLAGS) $(PKG_CFLAGS)
# Each program records only the libraries it calls (the linker drops the
# others from PKG_LIBS): a read-only tool then loads no libcrypto or
# libarchive at start, which a lookup would pay for on every run.
ALL_LDFLAGS = -Wl,--as-needed $(LDFLAGS)
LIBS = $(PKG_LIBS) -lm -pthread

LIB_SRC = $(wildcard libcommon/*.c)
LIB_OBJ = $(LIB_SRC:libcommon/%.c=$(O)/libcommon/%.o)
CMD_SRC = $(wildcard cmd/*.c)
PROGS = $(CMD_SRC:cmd/%.c=$(O)/%)
UNIT_SRC = $(wildcard tests/unit/*.c)
UNIT_OBJ = $(UNIT_SRC:tests/unit/%.c=$(O)/unit/%.o)
SUITES = $(patsubst tests/unit/%.c,%,$(filter tests/unit/t_%.c,$(UNIT_SRC)))
MANPAGES = $(wildcard man/*.[157])

# The message catalogs (po/LANG.po), built when msgfmt is installed;
# without it the tools speak English only.
POS = $(wildcard po/*.po)
HAVE_MSGFMT := $(shell command -v $(MSGFMT) 2>/dev/null)
MOS = $(if $(HAVE_MSGFMT),$(POS:po/%.po=$(O)/locale/%/LC_MESSAGES/dossier.mo))

all: $(PROGS) $(O)/gen-dossiers $(MOS)

deps:
	@scripts/install-deps

# Only the modules that print them are rebuilt when they change.
$(O)/libcommon/cli.o: ALL_CFLAGS += -DDOSSIER_VERSION='"$(VERSION)"'
$(O)/libcommon/util.o: ALL_CFLAGS += -DLOCALEDIR='"$(LOCALEDIR)"'

$(O)/libcommon/%.o: libcommon/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The shipped holiday schedules, one C string per line of the data file.
$(O)/gen/holidays.inc: data/holidays.jsonl
	@mkdir -p $(@D)
	sed -e '/^#/d' -e '/^[[:space:]]*$$/d' -e 's/\\/\\\\/g' \
	    -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/",/' data/holidays.jsonl >$@.tmp
	mv $@.tmp $@

$(O)/libcommon/official.o: $(O)/gen/holidays.inc
$(O)/libcommon/official.o: ALL_CFLAGS += -I$(O)/gen

$(O)/libcommon.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(O)/cmd/%.o: cmd/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/%: $(O)/cmd/%.o $(O)/libcommon.a
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(O)/libcommon.a $(LIBS)

$(O)/locale/%/LC_MESSAGES/dossier.mo: po/%.po
	@mkdir -p $(@D)
	$(MSGFMT) -c -o $@ $<

# the template of the catalogs, from the messages marked _() and N_()
pot:
	xgettext --from-code=UTF-8 -k_ -kN_ --language=C --no-wrap \
	    --package-name=dossier -o po/dossier.pot cmd/*.c libcommon/*.c

$(O)/gen-dossiers: scripts/gen-dossiers.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIBS)

gen: $(O)/gen-dossiers

$(O)/runstat: bench/runstat.c
	@mkdir -p $(@D)
	$(CC) -O2 -D_DEFAULT_SOURCE $(WARN) -o $@ bench/runstat.c

# The unit-test runner includes one SUITE() line per tests/unit/t_*.c.
$(O)/unit/suites.h: $(UNIT_SRC) Makefile
	@mkdir -p $(@D)
	@printf 'SUITE(%s)\n' $(SUITES) >$@.tmp && mv $@.tmp $@

$(O)/unit/%.o: tests/unit/%.c $(O)/unit/suites.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit -I$(O)/unit -c -o $@ $<

$(O)/unit-tests: $(UNIT_OBJ) $(O)/libcommon.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(UNIT_OBJ) $(O)/libcommon.a $(LIBS)

# damages lines for the fuzz smoke tests
$(O)/mutate: tests/mutate.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ tests/mutate.c

# the allocator that fails on demand, for make oom
$(O)/failmalloc.so: tests/failmalloc.c
	@mkdir -p $(@D)
	$(CC) -O1 -shared -fPIC -o $@ tests/failmalloc.c -ldl

# the writes and syncs that fail on demand, for t0170 and make torture
$(O)/failio.so: tests/failio.c
	@mkdir -p $(@D)
	$(CC) -O1 -shared -fPIC -o $@ tests/failio.c -ldl

oom: all $(O)/failmalloc.so
	@O=$(O) tests/oom.sh

# not in check (slow): each one-line bug of tests/mutants.txt, applied to
# a scratch copy of the tree, must fail the tests it names
mutate: all $(O)/unit-tests $(O)/mutate
	@O=$(O) tests/mutants.sh

# not in check (about 15 minutes): the long forms of the fault tests; the
# table of results goes into tests/RELIABILITY.md
torture: all $(O)/failio.so
	@O=$(O) tests/torture.sh

# libFuzzer harnesses (tests/fuzz/), built with clang when it is there:
# libcommon again with coverage and sanitizers, in $(O)/fuzz/
FUZZ_CC ?= clang
HAVE_FUZZ_CC := $(shell command -v $(FUZZ_CC) >/dev/null 2>&1 && echo yes)
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS = -std=c99 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 \
	-fno-omit-frame-pointer -Ilibcommon -pthread $(FUZZ_SAN)
FUZZERS = catalog calendar intake action
FUZZ_LIB_OBJ = $(LIB_SRC:libcommon/%.c=$(O)/fuzz/libcommon/%.o)
FUZZ_PROGS = $(FUZZERS:%=$(O)/fuzz/fuzz-%)

$(O)/fuzz/libcommon/%.o: libcommon/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP \
	    $(PKG_CFLAGS) -c -o $@ $<

$(O)/fuzz/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/fuzz.h $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -MMD -MP $(PKG_CFLAGS) \
	    -MF $@.d -o $@ $< $(FUZZ_LIB_OBJ) $(LIBS)

$(O)/fuzz/libcommon/official.o: $(O)/gen/holidays.inc
$(O)/fuzz/libcommon/official.o: FUZZ_CFLAGS += -I$(O)/gen

fuzzers: $(FUZZ_PROGS)

# each harness for $(FUZZTIME) seconds (not in check)
FUZZTIME ?= 60
fuzz: all $(FUZZ_PROGS)
	@O=$(O) tests/fuzz.sh $(FUZZTIME)

# deps, then the build in a second make, so that -j never compiles
# before the packages are there; the fuzz smoke test (t0245) runs the
# harnesses if clang built them
check: deps
	@$(MAKE) --no-print-directory all $(O)/unit-tests $(O)/mutate \
	    $(O)/failio.so $(if $(HAVE_FUZZ_CC),$(FUZZ_PROGS))
	@O=$(O) tests/run

asan:
	$(MAKE) O=build-asan \
	    CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined" check

# mandoc runs in man/ so that references between our pages resolve; a
# Debian system has no mandoc.db, whose notice is not a finding.
lint:
	@cd man && out=$$(mandoc -Tlint -Wstyle $(notdir $(MANPAGES)) 2>&1 | \
	    grep -v 'outdated mandoc.db'); \
	    if [ -n "$$out" ]; then echo "$$out"; exit 1; fi
	shellcheck -x scripts/install-deps scripts/gen-dossiers scripts/check-headers \
	    scripts/monthly-report scripts/gen-ended tests/oom.sh \
	    scripts/demo tests/run tests/lib.sh tests/*.sh bench/*.sh .ci/run \
	    completion/dossier
	scripts/check-headers $(CC) "-std=c99 -D_POSIX_C_SOURCE=200809L $(WARN) $(PKG_CFLAGS) -Ilibcommon"

demo: deps
	@$(MAKE) --no-print-directory all
	@O=$(O) scripts/demo

$(O)/bare-route: bench/bare-route.c
	@mkdir -p $(@D)
	$(CC) -O2 $(WARN) $$($(PKG_CONFIG) --cflags sqlite3) -o $@ \
	    bench/bare-route.c $$($(PKG_CONFIG) --libs sqlite3)

$(O)/bundle-ref: bench/bundle-ref.c
	@mkdir -p $(@D)
	$(CC) -O2 $(WARN) $$($(PKG_CONFIG) --cflags libarchive jansson libcrypto \
	    sqlite3) -o $@ bench/bundle-ref.c \
	    $$($(PKG_CONFIG) --libs libarchive jansson libcrypto sqlite3)

$(O)/search-csv: bench/search-csv.c $(O)/libcommon.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ bench/search-csv.c \
	    $(O)/libcommon.a $(LIBS)

# bench-tools builds what the bench/ scripts need and runs nothing;
# bench runs the whole suite (about 50 minutes at the default sizes)
bench-tools: all $(O)/runstat $(O)/bare-route $(O)/search-csv $(O)/bundle-ref

bench: bench-tools
	@O=$(O) bench/run.sh

# modes set, whatever the umask and the build tree's modes
install: all
	install -d -m 755 $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	install -m 755 $(PROGS) scripts/monthly-report $(DESTDIR)$(BINDIR)/
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 man/*.7 $(DESTDIR)$(MANDIR)/man7/
	for m in $(MOS); do l=$${m#$(O)/locale/}; l=$${l%%/*}; \
	    install -d -m 755 $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
	    install -m 644 $$m $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/dossier.mo; \
	    done
	install -d -m 755 $(DESTDIR)$(COMPLETIONDIR)
	install -m 644 completion/dossier $(DESTDIR)$(COMPLETIONDIR)/dossier
	for p in $(filter-out dossier,$(notdir $(PROGS))); do \
	    ln -sf dossier $(DESTDIR)$(COMPLETIONDIR)/$$p; done

uninstall:
	for p in $(notdir $(PROGS)) monthly-report; do \
	    rm -f $(DESTDIR)$(BINDIR)/$$p; done
	for m in $(notdir $(MANPAGES)); do \
	    s=$${m##*.}; rm -f $(DESTDIR)$(MANDIR)/man$$s/$$m; done
	for p in $(notdir $(PROGS)); do \
	    rm -f $(DESTDIR)$(COMPLETIONDIR)/$$p; done
	for po in $(POS); do l=$$(basename $$po .po); \
	    rm -f $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/dossier.mo; done

clean:
	rm -rf build build-asan

.PHONY: all deps gen pot check fuzzers fuzz oom mutate torture asan lint demo bench bench-tools install uninstall clean
.SECONDARY:

-include $(wildcard $(O)/libcommon/*.d $(O)/cmd/*.d $(O)/unit/*.d $(O)/*.d \
    $(O)/fuzz/libcommon/*.d $(O)/fuzz/*.d)
