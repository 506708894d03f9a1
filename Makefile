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

.PHONY: all check test unit cli globals check-clang check-asan valgrind bench fuzz plots format format-check lint \
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
check: test check-clang check-asan valgrind format-check lint

# clang 14 must build everything -Werror clean and pass the same tests.
check-clang:
	$(MAKE) CC=clang BUILD=build/clang unit cli

# Unit and statistical tests (Check), the command-line tests, and the rule
# that the library keeps no mutable global state.
test: unit cli globals

unit: $(CHECKS)
	$(CHECKS)

cli: $(MMCSIM)
	sh tests/cli.sh $(MMCSIM)

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
	CK_FORK=no CK_EXCLUDE_TAGS=slow CK_TIMEOUT_MULTIPLIER=20 valgrind --error-exitcode=1 --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect,possible --show-leak-kinds=definite,indirect,possible \
	    -q $(CHECKS)
	MMC_WRAP="valgrind --error-exitcode=99 --leak-check=full -q" sh tests/cli.sh $(MMCSIM)

$(BUILD)/bare: tests/bench/bare.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDLIBS)

bench: $(MMCSIM) $(BUILD)/bare
	sh tests/bench/run.sh $(MMCSIM) $(BUILD)/bare

plots: $(MMCSIM)
	sh plots/make.sh $(MMCSIM)

format:
	clang-format -i sim/*.[ch] models/*.[ch] tests/*.[ch]

format-check:
	clang-format --dry-run --Werror sim/*.[ch] models/*.[ch] tests/*.[ch]

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
