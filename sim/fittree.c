/* fittree.c - the tree over bins' free amounts (fittree.h). */
#include "fittree.h"

#include "error.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

/* Node i from its two children. */
static void pull_up(struct mmc_fit_tree *t, size_t i)
{
    const double *a = t->free + 2 * i * t->nr, *b = a + t->nr;
    double *f = t->free + i * t->nr;
    for (unsigned r = 0; r < t->nr; r++)
        f[r] = a[r] >= b[r] ? a[r] : b[r];
    t->kmin[i] = fmin(t->kmin[2 * i], t->kmin[2 * i + 1]);
    t->kmax[i] = fmax(t->kmax[2 * i], t->kmax[2 * i + 1]);
}

void mmc_fit_init(struct mmc_fit_tree *t, size_t n, unsigned nr, const double *free0, double key0)
{
    t->n = n;
    t->nr = nr;
    t->size = 1;
    while (t->size < n)
        t->size *= 2;
    t->free = mmc_xmalloc(2 * t->size * nr, sizeof *t->free);
    t->kmin = mmc_xmalloc(2 * t->size, sizeof *t->kmin);
    t->kmax = mmc_xmalloc(2 * t->size, sizeof *t->kmax);
    for (size_t j = 0; j < t->size; j++) {
        size_t i = t->size + j;
        for (unsigned r = 0; r < nr; r++)
            t->free[i * nr + r] = j < n ? free0[r] : -INFINITY;
        t->kmin[i] = j < n ? key0 : INFINITY;
        t->kmax[i] = j < n ? key0 : -INFINITY;
    }
    for (size_t i = t->size - 1; i >= 1; i--)
        pull_up(t, i);
}

void mmc_fit_fini(struct mmc_fit_tree *t)
{
    free(t->free);
    free(t->kmin);
    free(t->kmax);
}

void mmc_fit_set(struct mmc_fit_tree *t, size_t j, const double *free, double key)
{
    size_t i = t->size + j;
    for (unsigned r = 0; r < t->nr; r++)
        t->free[i * t->nr + r] = free[r];
    t->kmin[i] = t->kmax[i] = key;
    for (i /= 2; i >= 1; i /= 2)
        pull_up(t, i);
}

/* Whether node i's maxima reach need (some bin below may fit). */
static bool may_fit(const struct mmc_fit_tree *t, size_t i, const double *need)
{
    const double *f = t->free + i * t->nr;
    for (unsigned r = 0; r < t->nr; r++)
        if (!(f[r] >= need[r]))
            return false;
    return true;
}

/* The lowest fitting bin below node i, or SIZE_MAX. */
static size_t first_below(const struct mmc_fit_tree *t, size_t i, const double *need)
{
    if (!may_fit(t, i, need))
        return SIZE_MAX;
    if (i >= t->size)
        return i - t->size; /* a leaf's maxima are its own amounts */
    size_t j = first_below(t, 2 * i, need);
    return j != SIZE_MAX ? j : first_below(t, 2 * i + 1, need);
}

size_t mmc_fit_first(const struct mmc_fit_tree *t, const double *need)
{
    return first_below(t, 1, need);
}

/* A search for the best key: sign +1 the smallest, -1 the largest (the smallest signed key
 * sign x key); the best fitting bin so far and its signed key. */
struct best {
    size_t j;
    double k;
    int sign;
};

/* Node i's bound on its bins' signed keys. */
static double bound(const struct mmc_fit_tree *t, size_t i, int sign)
{
    return sign > 0 ? t->kmin[i] : -t->kmax[i];
}

/* The bins below node i, which covers bins from (width of them): b improves when one fits with
 * a smaller signed key, or an equal one at a lower index. A subtree is skipped when its bound
 * cannot do either; the child with the better bound goes first (the left one on a tie). */
static void best_below(const struct mmc_fit_tree *t, size_t i, size_t from, size_t width,
                       const double *need, struct best *b)
{
    double lo = bound(t, i, b->sign);
    if (lo > b->k || (lo == b->k && from > b->j) || !may_fit(t, i, need))
        return;
    if (i >= t->size) {
        b->j = from; /* may_fit: the leaf fits; the test above: it is better than b */
        b->k = lo;
        return;
    }
    size_t half = width / 2;
    if (bound(t, 2 * i + 1, b->sign) < bound(t, 2 * i, b->sign)) {
        best_below(t, 2 * i + 1, from + half, half, need, b);
        best_below(t, 2 * i, from, half, need, b);
    } else {
        best_below(t, 2 * i, from, half, need, b);
        best_below(t, 2 * i + 1, from + half, half, need, b);
    }
}

static size_t best(const struct mmc_fit_tree *t, const double *need, int sign)
{
    struct best b = {SIZE_MAX, INFINITY, sign};
    best_below(t, 1, 0, t->size, need, &b);
    return b.j;
}

size_t mmc_fit_min_key(const struct mmc_fit_tree *t, const double *need)
{
    return best(t, need, +1);
}

size_t mmc_fit_max_key(const struct mmc_fit_tree *t, const double *need)
{
    return best(t, need, -1);
}
