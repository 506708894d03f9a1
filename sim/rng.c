/*
 * rng.c - stream derivation.
 *
 * splitmix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014) is a bijective mixer with full avalanche, so
 * neighbouring (seed, replication, purpose) triples give unrelated GSL seeds.
 * Many GSL generators (mt19937 among them) keep only 32 bits of the seed and
 * treat 0 as "default seed"; the derived seed is folded to 32 bits and made
 * non-zero so that no two purposes silently share the default stream.
 */
#include "rng.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

const gsl_rng_type *mmc_rng_type(const char *name)
{
    const gsl_rng_type **t = gsl_rng_types_setup();
    for (; *t != NULL; t++)
        if (strcmp((*t)->name, name) == 0)
            return *t;
    return NULL;
}

unsigned long mmc_rng_derive(uint64_t seed, uint64_t replication, unsigned purpose)
{
    uint64_t h = splitmix64(seed);
    h = splitmix64(h ^ replication);
    h = splitmix64(h ^ ((uint64_t)purpose << 32 | 0x5eedU));
    uint32_t folded = (uint32_t)(h ^ (h >> 32));
    return folded ? folded : 1;
}

gsl_rng *mmc_rng_create(const gsl_rng_type *type, uint64_t seed, uint64_t replication,
                        unsigned purpose)
{
    gsl_rng *r = gsl_rng_alloc(type);
    if (r == NULL) {
        /* allocation is the only way gsl_rng_alloc fails: fatal, as mmc_xmalloc */
        fputs("mmcsim: out of memory\n", stderr);
        exit(1);
    }
    gsl_rng_set(r, mmc_rng_derive(seed, replication, purpose));
    return r;
}
