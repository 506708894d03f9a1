/*
 * heap.c - the cold half of the event calendar (allocation); push and pop
 * are static inline in heap.h.
 */
#include "heap.h"

#include "error.h"

#include <stdlib.h>

void mmc_heap_init(struct mmc_heap *h, size_t cap)
{
    h->cap = cap ? cap : 1;
    h->ev = mmc_xmalloc(h->cap, sizeof *h->ev);
    h->n = 0;
    h->next_seq = 0;
}

void mmc_heap_fini(struct mmc_heap *h)
{
    free(h->ev);
    h->ev = NULL;
    h->n = h->cap = 0;
}

void mmc_heap_reset(struct mmc_heap *h)
{
    h->n = 0;
    h->next_seq = 0;
}

void mmc_heap_grow(struct mmc_heap *h)
{
    h->cap *= 2;
    h->ev = mmc_xrealloc(h->ev, h->cap, sizeof *h->ev);
}
