/*
 * rng.h - GSL random number streams, one per (seed, replication, purpose).
 *
 * A stream's GSL seed is derived by mixing the scenario seed, the
 * replication number and the purpose through splitmix64, so streams of
 * different replications and purposes start from unrelated states, and the
 * same triple always gives the same stream. Sweep points of one replication
 * use the same triples, hence the same draws (common random numbers).
 *
 * Thread-safety: a gsl_rng belongs to one run; type lookup is read-only.
 */
#ifndef MMC_RNG_H
#define MMC_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

enum mmc_stream {
    MMC_STREAM_ARRIVAL,
    MMC_STREAM_SERVICE,
    MMC_STREAM_INITIAL, /* the initial state (stationary draw) */
    MMC_STREAM_COUNT
};

/* The GSL generator type called name, or NULL when GSL has none. */
const gsl_rng_type *mmc_rng_type(const char *name);

/* The GSL seed for stream (seed, replication, purpose): never 0. */
unsigned long mmc_rng_derive(uint64_t seed, uint64_t replication, unsigned purpose);

/* A new generator of type seeded for (seed, replication, purpose); free with
 * gsl_rng_free. Never NULL (out of memory is fatal). */
gsl_rng *mmc_rng_create(const gsl_rng_type *type, uint64_t seed, uint64_t replication,
                        unsigned purpose);

#endif
