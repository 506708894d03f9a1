# mmcsim - one hand-written Makefile. Objects go to $(BUILD); sanitizer builds
# use their own BUILD directory so the two never mix.

CC      ?= gcc
# DWARF 4: valgrind 3.19 (Debian 12) cannot read clang 14's default DWARF 5.
OPT     ?= -O2 -g -gdwarf-4
PREFIX  ?= /usr/local
BUILD   ?= build
SANFLAGS ?=

PKGS       := gsl yaml-0.1
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))
CHECK_CFLAGS := $(shell pkg-config --cflags check)
CHECK_LIBS   := $(shell pkg-config --libs check)

WARN   := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS += -std=c11 $(OPT) $(WARN) $(SANFLAGS) -D_POSIX_C_SOURCE=200809L -Isim -Imodels $(PKG_CFLAGS)
LDLIBS += $(PKG_LIBS) -lpthread -lm
DEPFLAGS = -MMD -MP

LIB_SRC  := $(filter-out sim/main.c,$(wildcard sim/*.c)) $(wildcard models/*.c)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(wildcard tests/*.c)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)

MMCSIM := $(BUILD)/mmcsim
LIBA   := $(BUILD)/libmmcsim.a
CHECKS := $(BUILD)/check_mmcsim

.PHONY: all check test unit unit-long cli guarantees json-schema progress coverage coverage-check repro globals check-clang check-asan valgrind bench fuzz plots format format-check lint \
        install uninstall clean setup

all: $(MMCSIM) $(LIBA)
	@ln -sf $(MMCSIM) mmcsim 2>/dev/null || true

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(DEPFLAGS) -c $< -o $@

$(LIBA): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(MMCSIM): $(BUILD)/sim/main.o $(LIBA)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# Every tests/test_<module>.c defines <module>_suite(); the list is generated
# so that adding a suite is adding a file.
SUITE_NAMES := $(patsubst tests/test_%.c,%,$(wildcard tests/test_*.c))
$(BUILD)/tests/suites.h: $(wildcard tests/test_*.c)
	@mkdir -p $(dir $@)
	@{ echo '#include <check.h>'; \
	   for s in $(SUITE_NAMES); do echo "Suite *$${s}_suite(void);"; done; \
	   echo 'static Suite *(*const mmc_test_suites[])(void) = {'; \
	   for s in $(SUITE_NAMES); do echo "    $${s}_suite,"; done; \
	   echo '    NULL};'; } > $@.tmp && mv $@.tmp $@
$(BUILD)/tests/check_main.o: $(BUILD)/tests/suites.h
# Suite constructors are declared only in the generated list, hence no prototypes.
$(BUILD)/tests/%.o: CFLAGS += $(CHECK_CFLAGS) -I$(BUILD)/tests -Itests -Wno-missing-prototypes
$(CHECKS): $(TEST_OBJ) $(LIBA)
	$(CC) $(CFLAGS) -o $@ $^ $(CHECK_LIBS) $(LDLIBS)

# The whole suite: unit + statistical tests, command-line tests, then the
# same built with clang, under -fsanitize=address,undefined and under valgrind;
# then formatting and static analysis (cppcheck, clang-tidy).
check: test unit-long repro check-clang check-asan valgrind format-check lint soak-check \
       fuzz-sim-regress coverage-check

# clang 14 must build everything -Werror clean and pass the same tests.
check-clang:
	$(MAKE) CC=clang BUILD=build/clang unit cli

# Unit and statistical tests (Check), the command-line tests, the promises
# of README "Guarantees" (signals, write failures, thread counts), and the rule
# that the library keeps no mutable global state; the JSON of every shipped
# scenario against one schema; the progress line under a pseudo-terminal.
test: unit cli guarantees globals json-schema progress

# Tests tagged "long" (1e10 events, about four minutes) run once, in unit-long.
unit: $(CHECKS)
	CK_EXCLUDE_TAGS=long $(CHECKS)

unit-long: $(CHECKS)
	CK_INCLUDE_TAGS=long $(CHECKS)

cli: $(MMCSIM)
	sh tests/cli.sh $(MMCSIM)

guarantees: $(MMCSIM)
	sh tests/guarantees.sh $(MMCSIM)

# Every shipped scenario, simulated (short) and --analytic, as JSON: each key typed as one
# schema says (number or null, string or null), null exactly where the CSV cell is empty.
json-schema: $(MMCSIM)
	python3 tests/json_schema.py $(MMCSIM) scenarios

# The progress line on a terminal (script(1) gives the run a pty): no nan or inf, and no
# counter, percentage or round that goes back.
progress: $(MMCSIM)
	sh tests/progress.sh $(MMCSIM)

# Coverage of the 95 % intervals over 200 independent experiments per configuration, 400 for D
# (tests/coverage.py: M/M/1 and M/M/8 at rho 0.95, M/M/1 at 0.98, a hurried user, a stationary
# start; its docstring says why D gets 400); about two hours on two cores (most of it D), not
# part of check.
# coverage-check (part of check) is the small version: 30 experiments of A, B and C, failing on
# what 30 can show (coverage clearly under 0.95, a mean bias beyond 3.5 standard errors, widths
# off by a factor); about 3 minutes.
COVERAGE_N ?= 200
COVERAGE_N_D ?= 400
coverage: $(MMCSIM)
	python3 tests/coverage.py $(MMCSIM) $(COVERAGE_N) D:$(COVERAGE_N_D) S A B C

coverage-check: $(MMCSIM)
	python3 tests/coverage.py --quick $(MMCSIM) 30 A B C

# The same bytes from gcc -O0, -O2 (the reference), -O3 and clang -O2 builds.
repro: $(MMCSIM)
	$(MAKE) BUILD=build/O0 OPT="-O0 -g" build/O0/mmcsim
	$(MAKE) BUILD=build/O3 OPT="-O3" build/O3/mmcsim
	$(MAKE) CC=clang BUILD=build/clang build/clang/mmcsim
	sh tests/repro.sh $(MMCSIM) build/O0/mmcsim build/O3/mmcsim build/clang/mmcsim

# No mutable globals, thread-locals or function statics in sim/ and models/:
# nothing of libmmcsim.a may live in .data, .bss, .tdata or .tbss.
globals: $(LIBA)
	@bad=$$(objdump -t $(LIBA) | grep -E '[[:space:]]\.(data|bss|tdata|tbss)[[:space:]]' | \
	    grep -vE '[[:space:]]d[[:space:]]+\.(data|bss|tdata|tbss)[[:space:]]' || true); \
	if [ -n "$$bad" ]; then echo "mutable state in libmmcsim.a:"; echo "$$bad"; exit 1; fi; \
	echo "globals: libmmcsim.a has no mutable state"

# (not `globals`: ASan adds its own .bss markers to every object). Sanitized code runs
# several times slower, and the machine is shared: Check's timeouts are scaled to match.
check-asan:
	CK_TIMEOUT_MULTIPLIER=10 $(MAKE) BUILD=build/asan OPT="-O1 -g -gdwarf-4" \
	    SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	    unit cli

# CK_FORK=no keeps every test in one process so that leaks are attributed.
valgrind: $(CHECKS) $(MMCSIM)
	CK_FORK=no CK_EXCLUDE_TAGS="slow long" CK_TIMEOUT_MULTIPLIER=20 valgrind --error-exitcode=1 --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect,possible --show-leak-kinds=definite,indirect,possible \
	    -q $(CHECKS)
	MMC_WRAP="valgrind --error-exitcode=99 --leak-check=full -q" sh tests/cli.sh $(MMCSIM)

$(BUILD)/bare: tests/bench/bare.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDLIBS)

bench: $(MMCSIM) $(BUILD)/bare
	sh tests/bench/run.sh $(MMCSIM) $(BUILD)/bare

# ---- fuzzing: libFuzzer on the scenario loader (clang 14; libclang-rt-14-dev) ----
# tests/fuzz/fuzz_scenario.c loads a scenario plus "#--set" overrides, prints it, reloads the
# print and expands the sweep. The library is built into build/fuzz with coverage, ASan and
# UBSan. `make fuzz FUZZ_TIME=600` fuzzes for that many seconds, starting from the shipped
# scenarios, tests/fuzz/seeds and tests/fuzz/regress; new inputs go to build/fuzz/corpus and
# crashes, leaks, timeouts and out-of-memory inputs to build/fuzz/ (crash-*, leak-*, timeout-*,
# oom-*). `make fuzz-regress` (part of `make check`) runs each tests/fuzz/regress input once.
FUZZ_BUILD   := build/fuzz
FUZZ_BIN     := $(FUZZ_BUILD)/fuzz_scenario
FUZZ_TIME    ?= 300
FUZZ_TIMEOUT ?= 2
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_OPTS     = -max_len=8192 -timeout=$(FUZZ_TIMEOUT) -rss_limit_mb=2048 \
                -dict=tests/fuzz/scenario.dict -print_final_stats=1
.PHONY: fuzz-build fuzz-regress
check: fuzz-regress

fuzz-build:
	$(MAKE) CC=clang BUILD=$(FUZZ_BUILD) OPT="-O1 -g -gdwarf-4" \
	    SANFLAGS="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" $(FUZZ_BIN)

# Only reached through fuzz-build, which sets BUILD=$(FUZZ_BUILD) and the sanitizers.
$(BUILD)/fuzz_scenario: tests/fuzz/fuzz_scenario.c $(LIBA)
	$(CC) $(CFLAGS) $(DEPFLAGS) -fsanitize=fuzzer -DMMC_FUZZ_DATA_DIR='"$(CURDIR)/tests/fuzz/data"' \
	    -o $@ $< $(LIBA) $(LDLIBS)

fuzz: fuzz-build
	@mkdir -p $(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/seeds
	cp scenarios/*.yaml $(FUZZ_BUILD)/seeds/
	$(FUZZ_BIN) $(FUZZ_OPTS) -max_total_time=$(FUZZ_TIME) -artifact_prefix=$(FUZZ_BUILD)/ \
	    $(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/seeds tests/fuzz/seeds tests/fuzz/regress

# Every saved input once, no fuzzing (libFuzzer runs file arguments and exits).
fuzz-regress: fuzz-build
	@$(FUZZ_BIN) -timeout=10 -rss_limit_mb=2048 tests/fuzz/regress/* \
	    > $(FUZZ_BUILD)/regress.log 2>&1 || { cat $(FUZZ_BUILD)/regress.log; exit 1; }
	@echo "fuzz-regress: $$(ls tests/fuzz/regress | wc -l) inputs, none crashed, leaked or hung"

-include $(FUZZ_BUILD)/fuzz_scenario.d

# The whole pipeline under libFuzzer (issue 13): tests/fuzz/fuzz_simulate.c loads an input as
# fuzz_scenario does, then simulates it with the run cut down to milliseconds and checks the
# reports with the soak test's properties (tests/soak/props.c). `make fuzz-sim FUZZ_TIME=600`
# fuzzes from the same seeds plus tests/fuzz/regress_sim; new inputs go to
# $(FUZZ_BUILD)/corpus_sim, findings to $(FUZZ_BUILD)/sim-crash-* etc. `make fuzz-sim-regress`
# (part of `make check`) runs the shipped scenarios, the seeds and both regress directories once.
FUZZ_SIM_BIN := $(FUZZ_BUILD)/fuzz_simulate
FUZZ_SIM_REGRESS = $(wildcard scenarios/*.yaml tests/fuzz/seeds/* tests/fuzz/regress/* \
                              tests/fuzz/regress_sim/*)
.PHONY: fuzz-sim-build fuzz-sim fuzz-sim-regress

fuzz-sim-build:
	$(MAKE) CC=clang BUILD=$(FUZZ_BUILD) OPT="-O1 -g -gdwarf-4" \
	    SANFLAGS="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" $(FUZZ_SIM_BIN)

# Only reached through fuzz-sim-build, like $(BUILD)/fuzz_scenario.
$(BUILD)/fuzz_simulate: tests/fuzz/fuzz_simulate.c tests/fuzz/fuzz_common.h tests/soak/props.c tests/soak/props.h \
                        $(LIBA)
	$(CC) $(CFLAGS) -Itests/soak -fsanitize=fuzzer \
	    -DMMC_FUZZ_DATA_DIR='"$(CURDIR)/tests/fuzz/data"' \
	    -o $@ tests/fuzz/fuzz_simulate.c tests/soak/props.c $(LIBA) $(LDLIBS)

fuzz-sim: fuzz-sim-build
	@mkdir -p $(FUZZ_BUILD)/corpus_sim $(FUZZ_BUILD)/seeds
	cp scenarios/*.yaml $(FUZZ_BUILD)/seeds/
	$(FUZZ_SIM_BIN) $(FUZZ_OPTS) -max_total_time=$(FUZZ_TIME) -artifact_prefix=$(FUZZ_BUILD)/sim- \
	    $(FUZZ_BUILD)/corpus_sim $(FUZZ_BUILD)/seeds tests/fuzz/seeds tests/fuzz/regress_sim \
	    tests/fuzz/regress

fuzz-sim-regress: fuzz-sim-build
	@$(FUZZ_SIM_BIN) -timeout=20 -rss_limit_mb=2048 $(FUZZ_SIM_REGRESS) \
	    > $(FUZZ_BUILD)/regress_sim.log 2>&1 || { cat $(FUZZ_BUILD)/regress_sim.log; exit 1; }
	@echo "fuzz-sim-regress: $(words $(FUZZ_SIM_REGRESS)) inputs simulated and checked, none failed"

# ---- the whole-pipeline soak test (issue 13): random scenarios through the sanitizer build ----
# tests/soak/gen.c makes scenarios over every documented key from a seed (and broken ones);
# tests/soak/soak.c runs each as mmcsim would, in a forked child (-j 1 and -j 2; table, CSV,
# JSON; a share also through the mmcsim binary), and checks what must always hold
# (tests/soak/props.c). `make soak-check` (part of `make check`) runs SOAK_CHECK_N cases of seed
# 1; `make soak N=20000 SEED=7` any number of any seed. A failed case is saved as
# build/soak/fail-<index>.yaml; `$(SOAK_BUILD)/soak -s SEED -i INDEX` reruns one verbosely.
SOAK_BUILD   ?= build/asan
SOAK_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SOAK_CHECK_N ?= 400
SOAK_JOBS    ?= $(shell nproc 2>/dev/null || echo 2)
N    ?= 2000
SEED ?= 1
SOAK_SRC := tests/soak/soak.c tests/soak/gen.c tests/soak/props.c
.PHONY: soak soak-check soak-build

soak-build:
	$(MAKE) BUILD=$(SOAK_BUILD) OPT="-O1 -g -gdwarf-4" SANFLAGS="$(SOAK_SAN)" \
	    $(SOAK_BUILD)/soak $(SOAK_BUILD)/mmcsim

$(BUILD)/soak: $(SOAK_SRC:%.c=$(BUILD)/%.o) $(LIBA)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

soak-check: soak-build
	$(SOAK_BUILD)/soak -n $(SOAK_CHECK_N) -s 1 -P $(SOAK_JOBS) -t 60 -m $(SOAK_BUILD)/mmcsim \
	    -d $(SOAK_BUILD)/soak-check

soak: soak-build
	$(SOAK_BUILD)/soak -n $(N) -s $(SEED) -P $(SOAK_JOBS) -m $(SOAK_BUILD)/mmcsim -d build/soak

-include $(SOAK_SRC:%.c=$(BUILD)/%.d)

plots: $(MMCSIM)
	sh plots/make.sh $(MMCSIM)

format:
	clang-format -i sim/*.[ch] models/*.[ch] tests/*.[ch] tests/fuzz/*.[ch] tests/soak/*.[ch]

format-check:
	clang-format --dry-run --Werror sim/*.[ch] models/*.[ch] tests/*.[ch] tests/fuzz/*.[ch] \
	    tests/soak/*.[ch]

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	    --suppress=missingIncludeSystem -Isim -Imodels sim models
	clang-tidy --quiet sim/*.c models/*.c -- -std=c11 -D_POSIX_C_SOURCE=200809L -Isim -Imodels $(PKG_CFLAGS)

install: $(MMCSIM)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(MMCSIM) $(DESTDIR)$(PREFIX)/bin/mmcsim

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/mmcsim

# Installs the Debian packages the build and the tests need (run as root).
setup:
	sh .ci/setup

clean:
	rm -rf build mmcsim

-include $(LIB_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(BUILD)/sim/main.d
