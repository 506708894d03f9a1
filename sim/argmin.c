/* argmin.c - tournament tree (argmin.h). */
#include "argmin.h"

#include "error.h"

#include <math.h>
#include <stdlib.h>

void mmc_argmin_init(struct mmc_argmin *t, size_t n, double x)
{
    t->size = 1;
    while (t->size < n)
        t->size *= 2;
    t->v = mmc_xmalloc(t->size, sizeof *t->v);
    t->win = mmc_xmalloc(2 * t->size, sizeof *t->win);
    for (size_t j = 0; j < t->size; j++) {
        t->v[j] = j < n ? x : INFINITY;
        t->win[t->size + j] = (uint32_t)j;
    }
    for (size_t node = t->size - 1; node >= 1; node--) {
        uint32_t a = t->win[2 * node], b = t->win[2 * node + 1];
        t->win[node] = t->v[b] < t->v[a] ? b : a;
    }
}

void mmc_argmin_fini(struct mmc_argmin *t)
{
    free(t->v);
    free(t->win);
}

uint32_t mmc_argmin_first_at_most(const struct mmc_argmin *t, double x)
{
    if (!(t->v[t->win[1]] <= x))
        return UINT32_MAX;
    size_t node = 1;
    while (node < t->size)
        node = t->v[t->win[2 * node]] <= x ? 2 * node : 2 * node + 1;
    return (uint32_t)(node - t->size);
}
