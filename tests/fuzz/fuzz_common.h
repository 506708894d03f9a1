/*
 * fuzz_common.h - what the two libFuzzer harnesses (fuzz_scenario.c, the
 * loader; fuzz_simulate.c, the whole pipeline) do alike: the name every
 * input is loaded as, dying with a message, and the one-time start. Define
 * FUZZ_NAME (the harness's name, for messages) before including it; include
 * it once, in the harness's one translation unit.
 */
#ifndef MMC_FUZZ_COMMON_H
#define MMC_FUZZ_COMMON_H

#include <gsl/gsl_errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef MMC_FUZZ_DATA_DIR
#define MMC_FUZZ_DATA_DIR "tests/fuzz/data"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what, const char *detail)
{
    fprintf(stderr, FUZZ_NAME ": %s\n%s\n", what, detail ? detail : "");
    abort();
}

/* The name every input is loaded as; files it names resolve in its directory. */
static const char *scenario_name(void)
{
    /* computed once per process; read-only afterwards */
    static char name[4096];
    if (name[0] == '\0') {
        const char *dir = getenv("MMC_FUZZ_DATA");
        snprintf(name, sizeof name, "%s/fuzz.yaml", dir && *dir ? dir : MMC_FUZZ_DATA_DIR);
    }
    return name;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    gsl_set_error_handler_off(); /* as main.c: a GSL error is a status, not an abort */
    if (freopen("/dev/null", "r", stdin) == NULL) /* "trace: /dev/stdin" must not block */
        die("cannot reopen stdin", NULL);
    (void)scenario_name();
    return 0;
}

#endif
