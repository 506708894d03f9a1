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
#include <math.h>
#include <stddef.h>
#include <stdint.h>

enum mmc_stream {
    MMC_STREAM_ARRIVAL,
    MMC_STREAM_SERVICE,
    MMC_STREAM_INITIAL,   /* the initial state (stationary draw) */
    MMC_STREAM_PATIENCE,  /* how long each waiting task will wait */
    MMC_STREAM_DISPATCH,  /* model push: which worker a task is given (random, samples, keys) */
    MMC_STREAM_CLASS,     /* priority classes: each arriving task's class */
    MMC_STREAM_ROUTE,     /* model steal: which worker's deque a task joins (random arrival) */
    MMC_STREAM_VICTIM,    /* model steal: whom a thief steals from (random victims) */
    MMC_STREAM_PLACE,     /* model place: random and power_of_two choices */
    MMC_STREAM_PLACE_KEY, /* model place: each request's hash key */
    MMC_STREAM_LIFETIME,  /* model place: each container's lifetime */
    MMC_STREAM_BACKOFF,   /* model place: the wait after a conflict */
    MMC_STREAM_DEMAND,    /* model place: each request's size, when sizes vary */
    MMC_STREAM_COUNT
};

/* The GSL generator type called name, or NULL when GSL has none. */
const gsl_rng_type *mmc_rng_type(const char *name);

/* A uniform index in [0, n), n >= 1. gsl_rng_uniform_int fails when n exceeds the generator's
   range (32767 for "uni"); then scale a uniform instead, at a bias of at most n / range. */
static inline size_t mmc_rng_index(const gsl_rng *r, size_t n)
{
    if (n - 1 <= gsl_rng_max(r) - gsl_rng_min(r))
        return gsl_rng_uniform_int(r, n);
    size_t i = (size_t)(gsl_rng_uniform(r) * (double)n);
    return i < n ? i : n - 1;
}

/* The GSL seed for stream (seed, replication, purpose): never 0. */
unsigned long mmc_rng_derive(uint64_t seed, uint64_t replication, unsigned purpose);

/* A new generator of type seeded for (seed, replication, purpose); free with
 * gsl_rng_free. Never NULL (out of memory is fatal). */
gsl_rng *mmc_rng_create(const gsl_rng_type *type, uint64_t seed, uint64_t replication,
                        unsigned purpose);

/*
 * An exponential variate of the given mean by inversion, -mean log(1 - u)
 * with u uniform on [0, 1): 1 - u lies in (0, 1], so the log is finite.
 * gsl_ran_exponential computes the same value through log1p(-u), which is
 * about twice the cost of log; with GSL's 32-bit generators 1 - u is exact,
 * so the plain log loses no accuracy. The largest draw is 22.2 means
 * (u = 1 - 2^-32), an event of probability 2^-32 per draw.
 */
static inline double mmc_rng_exponential(const gsl_rng *r, double mean)
{
    return -mean * log(1.0 - gsl_rng_uniform(r));
}

#endif
