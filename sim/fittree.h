/*
 * fittree.h - which of n bins can take an item of several resources, and
 * the best of those, without a scan: a tree over the bins' free amounts.
 *
 * Each bin j has free[r] of every resource r < nr (nr <= MMC_FIT_MAX_RES)
 * and a key (a model's idea of how loaded it is). The queries are for one
 * item of demand need[r]: a bin fits when free[r] >= need[r] for every r.
 *   mmc_fit_first    the lowest fitting index (first fit);
 *   mmc_fit_min_key  the fitting bin with the smallest key (least loaded);
 *   mmc_fit_max_key  the fitting bin with the largest key (best fit);
 * ties to the lowest index. A change of one bin costs O(log n).
 *
 * Layout: size = the power of two >= n; node i (1 <= i < size) holds, over
 * the bins below it, the largest free amount of each resource (each maximum
 * may come from another bin, so a node whose maxima all reach need[] may
 * still hold no fitting bin) and the smallest and largest key; node size + j
 * is bin j. Padding bins have free amounts of -inf and fit nothing.
 *
 * Searches descend only into subtrees whose maxima reach need[] and whose
 * key bound can still beat the best found so far, in index order (first
 * fit: the left child first) or bound order (the child with the better key
 * first). When every bin that the maxima admit does fit (one resource, or
 * identical bins), that is O(log n); with several resources a search may
 * visit subtrees whose maxima come from different bins. Amounts are
 * compared exactly: keep them exact (whole units), or a bin may lose its
 * last slot to rounding.
 */
#ifndef MMC_FITTREE_H
#define MMC_FITTREE_H

#include <stddef.h>
#include <stdint.h>

#define MMC_FIT_MAX_RES 3

struct mmc_fit_tree {
    double *free; /* node i's largest free amounts: free[i * nr + r]; 2 size nodes */
    double *kmin; /* node i's smallest key over its bins (padding: +inf) */
    double *kmax; /* node i's largest key (padding: -inf) */
    size_t n, size;
    unsigned nr;
};

/* n bins (1 <= n <= 2^31) of nr resources (1 <= nr <= MMC_FIT_MAX_RES), every free amount
 * free0[r] and every key key0. */
void mmc_fit_init(struct mmc_fit_tree *t, size_t n, unsigned nr, const double *free0, double key0);
void mmc_fit_fini(struct mmc_fit_tree *t);

/* Bin j now has free[0 .. nr - 1] and key. */
void mmc_fit_set(struct mmc_fit_tree *t, size_t j, const double *free, double key);

/* Bin j's free amount of resource r, and its key. */
static inline double mmc_fit_free(const struct mmc_fit_tree *t, size_t j, unsigned r)
{
    return t->free[(t->size + j) * t->nr + r];
}

static inline double mmc_fit_key(const struct mmc_fit_tree *t, size_t j)
{
    return t->kmin[t->size + j];
}

/* Whether bin j fits need. */
static inline int mmc_fit_fits(const struct mmc_fit_tree *t, size_t j, const double *need)
{
    const double *f = t->free + (t->size + j) * t->nr;
    for (unsigned r = 0; r < t->nr; r++)
        if (f[r] < need[r])
            return 0;
    return 1;
}

/* The queries above: a bin index, or SIZE_MAX when no bin fits need. */
size_t mmc_fit_first(const struct mmc_fit_tree *t, const double *need);
size_t mmc_fit_min_key(const struct mmc_fit_tree *t, const double *need);
size_t mmc_fit_max_key(const struct mmc_fit_tree *t, const double *need);

#endif
