/*
 * argmin.h - a tournament tree over n values: the index of the smallest (ties
 * to the lowest index) in O(1), a change of one value in O(log n), and the
 * lowest index whose value is at most x in O(log n).
 *
 * Layout: size = the power of two >= n; node i (1 <= i < size) holds the
 * winner of its two children 2i and 2i + 1, node size + j is leaf j. Leaves
 * beyond n hold +inf and never win. The left child's winner has the lower
 * index, so keeping it on ties gives "lowest index" everywhere.
 */
#ifndef MMC_ARGMIN_H
#define MMC_ARGMIN_H

#include <stddef.h>
#include <stdint.h>

struct mmc_argmin {
    double *v;     /* the values, size of them (padding: +inf) */
    uint32_t *win; /* win[i]: index of node i's smallest value; 2 size entries */
    size_t size;
};

/* n values (1 <= n <= 2^31), all equal to x. */
void mmc_argmin_init(struct mmc_argmin *t, size_t n, double x);
void mmc_argmin_fini(struct mmc_argmin *t);

/* The index of the smallest value, ties to the lowest index. */
static inline uint32_t mmc_argmin_min(const struct mmc_argmin *t)
{
    return t->win[1];
}

/* Value i. */
static inline double mmc_argmin_value(const struct mmc_argmin *t, uint32_t i)
{
    return t->v[i];
}

/* Value i becomes x. */
static inline void mmc_argmin_set(struct mmc_argmin *t, uint32_t i, double x)
{
    t->v[i] = x;
    for (size_t node = (t->size + i) / 2; node >= 1; node /= 2) {
        uint32_t a = t->win[2 * node], b = t->win[2 * node + 1];
        t->win[node] = t->v[b] < t->v[a] ? b : a;
    }
}

/* The lowest index whose value is at most x, or UINT32_MAX when none is. */
uint32_t mmc_argmin_first_at_most(const struct mmc_argmin *t, double x);

#endif
