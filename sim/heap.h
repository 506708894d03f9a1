/*
 * heap.h - the event calendar: an array-backed 4-ary min-heap of plain
 * event structs ordered by (time, sequence number).
 *
 * The sequence number is assigned at push, so events at equal times pop in
 * insertion order and a run never depends on how the heap happens to be
 * arranged. Push and pop are static inline: they sit on the hot path of
 * every model loop. The array grows by doubling (amortised, never per
 * event once warm) and never shrinks until fini.
 *
 * Ownership: the heap owns its array. Thread-safety: one heap per run.
 */
#ifndef MMC_HEAP_H
#define MMC_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mmc_event {
    double t;      /* event time, s */
    uint64_t seq;  /* insertion order, breaks ties */
    uint32_t kind; /* model-defined event kind */
    uint32_t arg;  /* model-defined (e.g. worker index) */
};

struct mmc_heap {
    struct mmc_event *ev;
    size_t n, cap;
    uint64_t next_seq;
};

/* Prepare an empty heap with room for cap events (>= 1). */
void mmc_heap_init(struct mmc_heap *h, size_t cap);

/* Free the array; the heap must be re-initialised before reuse. */
void mmc_heap_fini(struct mmc_heap *h);

/* Drop every event and restart the sequence numbers. */
void mmc_heap_reset(struct mmc_heap *h);

/* Double the capacity (called by push when full). */
void mmc_heap_grow(struct mmc_heap *h);

static inline bool mmc_heap_is_empty(const struct mmc_heap *h)
{
    return h->n == 0;
}

static inline size_t mmc_heap_count(const struct mmc_heap *h)
{
    return h->n;
}

static inline bool mmc_event_before(const struct mmc_event *a, const struct mmc_event *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

/* Schedule an event at time t. */
static inline void mmc_heap_push(struct mmc_heap *h, double t, uint32_t kind, uint32_t arg)
{
    if (h->n == h->cap)
        mmc_heap_grow(h);
    struct mmc_event e = {t, h->next_seq++, kind, arg};
    struct mmc_event *a = h->ev;
    size_t i = h->n++;
    /* sift up: move parents down until e's slot is found */
    while (i > 0) {
        size_t parent = (i - 1) / 4;
        if (!mmc_event_before(&e, &a[parent]))
            break;
        a[i] = a[parent];
        i = parent;
    }
    a[i] = e;
}

/* The earliest event; the heap must not be empty. */
static inline const struct mmc_event *mmc_heap_peek(const struct mmc_heap *h)
{
    return &h->ev[0];
}

/* Remove and return the earliest event; the heap must not be empty. */
static inline struct mmc_event mmc_heap_pop(struct mmc_heap *h)
{
    struct mmc_event *a = h->ev;
    struct mmc_event top = a[0];
    struct mmc_event last = a[--h->n];
    size_t n = h->n, i = 0;
    /* sift down: pull the smallest of up to four children up into the hole */
    for (;;) {
        size_t first = 4 * i + 1;
        if (first >= n)
            break;
        size_t best = first, end = first + 4 < n ? first + 4 : n;
        for (size_t k = first + 1; k < end; k++)
            if (mmc_event_before(&a[k], &a[best]))
                best = k;
        if (!mmc_event_before(&a[best], &last))
            break;
        a[i] = a[best];
        i = best;
    }
    if (n > 0)
        a[i] = last;
    return top;
}

#endif
