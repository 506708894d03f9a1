/* fifo.c - the cold half of fifo.h: allocation and growth. */
#include "fifo.h"

#include <stdlib.h>

void mmc_fifo_init(struct mmc_fifo *f, bool with_u)
{
    mmc_fifo_init_cap(f, with_u, 1024);
}

void mmc_fifo_init_cap(struct mmc_fifo *f, bool with_u, size_t cap)
{
    f->mask = cap - 1;
    f->t = mmc_xmalloc(f->mask + 1, sizeof *f->t);
    f->u = with_u ? mmc_xmalloc(f->mask + 1, sizeof *f->u) : NULL;
    f->head = f->n = 0;
}

void mmc_fifo_fini(struct mmc_fifo *f)
{
    free(f->t);
    free(f->u);
}

/* A copy of ring a (capacity cap, from head, n entries) into a new array of 2 cap, head at 0. */
static double *unroll(const double *a, size_t head, size_t n, size_t cap)
{
    double *b = mmc_xmalloc(2 * cap, sizeof *b);
    for (size_t i = 0; i < n; i++)
        b[i] = a[(head + i) & (cap - 1)];
    return b;
}

void mmc_fifo_grow(struct mmc_fifo *f)
{
    size_t cap = f->mask + 1;
    double *t = unroll(f->t, f->head, f->n, cap);
    free(f->t);
    f->t = t;
    if (f->u != NULL) {
        double *u = unroll(f->u, f->head, f->n, cap);
        free(f->u);
        f->u = u;
    }
    f->head = 0;
    f->mask = 2 * cap - 1;
}
