/*
 * gen.h - random scenarios for the whole-pipeline soak test (issue 13).
 *
 * soak_gen makes one scenario, a YAML text plus --set overrides, from a
 * generator seed and an index alone: the same pair gives the same bytes on
 * every machine (splitmix64, no libc randomness), so a failure found by
 * `make soak SEED=k` is reproduced by its index. Most cases are valid-looking
 * scenarios over every documented key (distributions, MMPP, batches,
 * schedules, traces, protection, staffing, variants, batch means, control
 * variates, initial states, sweeps, network delay, extreme values) with run
 * lengths of tens to a few thousand tasks; some are deliberately broken (a
 * wrong type, an unknown key, a bad --set, a YAML syntax error, a key
 * combination the loader must refuse) and say where the error must point.
 *
 * Ownership: a case owns its text (soak_case_fini). Thread-safety: none
 * needed; no state outside the case.
 */
#ifndef SOAK_GEN_H
#define SOAK_GEN_H

#include <stddef.h>
#include <stdint.h>

#define SOAK_MAX_OV 8
#define SOAK_OV_LEN 192
#define SOAK_PATH_LEN 1024

enum soak_kind {
    SOAK_VALID,     /* should load and run (a refusal must still be a well-formed error) */
    SOAK_BAD_FILE,  /* broken in the file: exit 2 at the file, at bad_line when known */
    SOAK_BAD_SET,   /* broken by override number bad_ov: exit 2 at --set:bad_ov */
    SOAK_BAD_COMBO, /* keys that exclude each other: exit 2 with a line and column */
};

/* Data files the scenarios name, as absolute paths. */
struct soak_paths {
    char trace_big[SOAK_PATH_LEN];   /* scenarios/trace_small.csv: 19721 arrivals, services */
    char trace_tiny[SOAK_PATH_LEN];  /* tests/fuzz/data/trace_small.csv: 10 lines, services */
    char trace_times[SOAK_PATH_LEN]; /* tests/fuzz/data/trace_times.csv: times only */
    char samples[SOAK_PATH_LEN];     /* tests/fuzz/data/samples.csv */
};

struct soak_case {
    uint64_t seed, index;
    enum soak_kind kind;
    char *yaml; /* owned, NUL-terminated */
    size_t len;
    size_t n_ov;
    char ov[SOAK_MAX_OV][SOAK_OV_LEN]; /* --set KEY=VALUE texts, in order */
    int bad_line;                      /* SOAK_BAD_FILE: the line the error must name; 0: any */
    size_t bad_ov;                     /* SOAK_BAD_SET: 1-based index of the bad override */
    char what[128];                    /* SOAK_BAD_*: what was broken, for the report */
};

/* Make case number index of generator seed into c (which it overwrites). */
void soak_gen(struct soak_case *c, uint64_t seed, uint64_t index, const struct soak_paths *p);

/* Free what c owns; safe on a zeroed case. */
void soak_case_fini(struct soak_case *c);

#endif
