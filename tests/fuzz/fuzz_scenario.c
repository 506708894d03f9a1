/*
 * fuzz_scenario.c - libFuzzer harness for the scenario loader (issue 7).
 *
 * An input is a scenario file followed, optionally, by --set overrides:
 * everything before the first line that is exactly "#--set" is the YAML
 * document; each non-empty line after it is one override "KEY=VALUE", as
 * `mmcsim --set KEY=VALUE` would pass it (so an input file with overrides
 * is not itself a scenario the command line can load).
 *
 * What is checked, through the public functions main.c uses:
 *  - the load (mmc_scenario_load_string with the overrides) either succeeds
 *    or fails with an error that has a message on one line;
 *  - a file with variants loads every variant, as main.c does (each is
 *    tried even after another fails);
 *  - every loaded scenario prints (mmc_scenario_print), the print loads
 *    again without overrides, and prints identically: the canonical form
 *    is a fixed point. A failure here aborts (a round-trip bug);
 *  - the experiment is built from the variants (sweep expansion and its
 *    checks), never run;
 *  - everything is freed (LeakSanitizer runs at exit, and per input with
 *    -detect_leaks=1, the default).
 *
 * Files a scenario names (arrival.trace, file: samples) are resolved beside
 * the scenario's name: for a string load that is name_for_errors. The harness
 * names the input "<data dir>/fuzz.yaml", so relative names resolve inside
 * tests/fuzz/data, which holds small CSVs (trace_small.csv, samples.csv).
 * Absolute and "../" names are read too (read-only). The loader refuses
 * devices (/dev/zero, /dev/urandom, a terminal) before reading a byte, and
 * the harness points its standard input at /dev/null, so /dev/stdin is a
 * device as well and no input can make a read block. The data directory
 * comes from MMC_FUZZ_DATA or, by default, the path compiled in by the
 * Makefile.
 */
#include "experiment.h"
#include "scenario.h"

#include <gsl/gsl_errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_NAME "fuzz_scenario"
#include "fuzz_common.h"

/* A failed load must say where and why, on one line. */
static void check_error(const struct mmc_error *err)
{
    char line[2048];
    if (!mmc_error_is_set(err))
        die("a load failed without an error", NULL);
    mmc_error_format(err, line, sizeof line);
    if (err->msg[0] == '\0')
        die("an error without a message", line);
    if (strchr(line, '\n') != NULL || strchr(line, '\r') != NULL)
        die("an error message spans lines", line);
}

/* The scenario's canonical print (caller frees), variant comment left out. */
static char *print_of(const struct mmc_scenario *s, size_t *len)
{
    struct mmc_scenario copy = *s; /* shallow: print only reads */
    char *text = NULL;
    copy.n_variants = 0;
    FILE *f = open_memstream(&text, len);
    if (f == NULL)
        die("open_memstream failed", NULL);
    if (mmc_scenario_print(&copy, f) != 0)
        die("mmc_scenario_print failed", NULL);
    fclose(f);
    return text;
}

/* Print s, load the print, print that: both prints must load and be equal. */
static void round_trip(const struct mmc_scenario *s)
{
    size_t len = 0, len2 = 0;
    char *text = print_of(s, &len);
    struct mmc_scenario again;
    struct mmc_error err = {.line = 0};
    if (mmc_scenario_load_string(&again, text, len, scenario_name(), NULL, 0, 0, &err) != 0) {
        char line[2048];
        mmc_error_format(&err, line, sizeof line);
        fprintf(stderr, "--- print:\n%s\n--- error: %s\n", text, line);
        die("the canonical print does not load", line);
    }
    char *text2 = print_of(&again, &len2);
    if (len != len2 || memcmp(text, text2, len) != 0) {
        fprintf(stderr, "--- print:\n%s\n--- print of its load:\n%s\n", text, text2);
        die("the canonical print is not a fixed point", NULL);
    }
    free(text2);
    free(text);
    mmc_scenario_fini(&again);
}

/* Split the input into the document and the overrides, then load, print, reload, expand. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char mark[] = "#--set";
    const size_t mlen = sizeof mark - 1;
    char *buf = malloc(size + 1);
    if (buf == NULL)
        return 0;
    if (size > 0)
        memcpy(buf, data, size);
    buf[size] = '\0';

    /* the document ends at the first line that is exactly the mark */
    size_t doc_len = size;
    char *rest = NULL;
    for (size_t i = 0; i + mlen <= size; i++) {
        if ((i == 0 || buf[i - 1] == '\n') && memcmp(buf + i, mark, mlen) == 0 &&
            (i + mlen == size || buf[i + mlen] == '\n')) {
            doc_len = i;
            rest = i + mlen < size ? buf + i + mlen + 1 : buf + size;
            break;
        }
    }

    /* each non-empty line after it is one override (a NUL byte ends its text early) */
    size_t n_ov = 0;
    struct mmc_override *ov = NULL;
    if (rest != NULL) {
        size_t cap = 1;
        for (const char *p = rest; p < buf + size; p++)
            cap += *p == '\n';
        ov = calloc(cap, sizeof *ov);
        if (ov == NULL) {
            free(buf);
            return 0;
        }
        char *p = rest;
        while (p < buf + size) {
            char *nl = memchr(p, '\n', (size_t)(buf + size - p));
            char *end = nl ? nl : buf + size;
            *end = '\0';
            if (end > p)
                ov[n_ov++].text = p;
            p = end + 1;
        }
    }

    const char *name = scenario_name();
    struct mmc_scenario first;
    struct mmc_error err = {.line = 0};
    if (mmc_scenario_load_string(&first, buf, doc_len, name, ov, n_ov, 0, &err) != 0) {
        check_error(&err);
        free(ov);
        free(buf);
        return 0;
    }

    /* as main.c, every variant, each loaded on its own (variant 0 tells how many); unlike
       main.c, the later ones are tried even after one fails, for coverage */
    size_t n = first.n_variants > 0 ? first.n_variants : 1, loaded = 1;
    struct mmc_scenario *s = calloc(n, sizeof *s);
    bool *ok = calloc(n, sizeof *ok);
    if (s == NULL || ok == NULL)
        die("out of memory", NULL);
    s[0] = first;
    ok[0] = true;
    for (size_t v = 1; v < n; v++) {
        err = (struct mmc_error){.line = 0};
        if (mmc_scenario_load_string(&s[v], buf, doc_len, name, ov, n_ov, v, &err) != 0) {
            check_error(&err); /* s[v] is left zeroed */
            continue;
        }
        if (s[v].n_variants != n)
            die("variants disagree on how many there are", NULL);
        ok[v] = true;
        loaded++;
    }

    for (size_t v = 0; v < n; v++)
        if (ok[v])
            round_trip(&s[v]);

    if (loaded == n) {
        struct mmc_experiment x;
        err = (struct mmc_error){.line = 0};
        if (mmc_experiment_init_variants(&x, s, n, &err) == 0)
            mmc_experiment_fini(&x);
        else
            check_error(&err);
    }

    for (size_t v = 0; v < n; v++)
        mmc_scenario_fini(&s[v]);
    free(ok);
    free(s);
    free(ov);
    free(buf);
    return 0;
}
