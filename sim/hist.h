/*
 * hist.h - a log-bucketed histogram of non-negative values with bounded
 * relative error, for percentiles in memory that does not grow with the
 * number of values.
 *
 * A positive double's bits, shifted right by 52 - MMC_HIST_SUB_BITS, are
 * its binary exponent followed by the top MMC_HIST_SUB_BITS bits of its
 * mantissa: a bucket number that splits every octave into 64 equal parts.
 * A bucket [lo, hi) then has hi - lo <= lo / 64, so any value inside it is
 * within 1/128 = 0.78 % of the bucket's middle. Values from 2^-40 s (about
 * 1e-12) to 2^40 s (about 1e12) are bucketed; exact zeros (tasks that did
 * not wait) have a bucket of their own; values outside the range are
 * counted as under/overflow. Histograms merge by adding counts, which is
 * exact and order-independent, so merging across threads is deterministic.
 *
 * Caller storage (about 41 KB); no allocation. Thread-safety: one writer.
 */
#ifndef MMC_HIST_H
#define MMC_HIST_H

#include <stdint.h>
#include <string.h>

#define MMC_HIST_SUB_BITS 6
#define MMC_HIST_EXP_MIN (-40)
#define MMC_HIST_EXP_MAX 40
#define MMC_HIST_BUCKETS ((MMC_HIST_EXP_MAX - MMC_HIST_EXP_MIN) << MMC_HIST_SUB_BITS)
/* Largest relative distance from a value to its bucket's middle. */
#define MMC_HIST_REL_ERROR (1.0 / (2 << MMC_HIST_SUB_BITS))

struct mmc_hist {
    uint64_t n;     /* values added */
    uint64_t zero;  /* values <= 0 */
    uint64_t under; /* 0 < value < 2^EXP_MIN */
    uint64_t over;  /* value >= 2^EXP_MAX */
    uint64_t count[MMC_HIST_BUCKETS];
};

/* Empty the histogram. */
void mmc_hist_reset(struct mmc_hist *h);

/* Add src's counts to dst. */
void mmc_hist_merge(struct mmc_hist *dst, const struct mmc_hist *src);

/*
 * The p-quantile (0 < p < 1): the smallest x with F(x) >= p, read off the
 * buckets with linear interpolation inside the bucket that holds it. 0 when
 * the zero bucket reaches p; NaN when the histogram is empty.
 */
double mmc_hist_quantile(const struct mmc_hist *h, double p);

/*
 * A histogram's occupied buckets only (from the first to the last non-empty
 * one), small enough to keep one per replication: the percentile intervals
 * read each replication's fraction of values below the pooled estimate.
 */
struct mmc_hist_span {
    uint64_t n, zero, under, over;
    int64_t lo;      /* bucket number of count[0] */
    size_t len;      /* buckets kept */
    uint64_t *count; /* len counts (owned; NULL when len is 0) */
};

/* Copy h's occupied buckets into s (allocates; exits on out of memory). */
void mmc_hist_span_init(struct mmc_hist_span *s, const struct mmc_hist *h);

/* Free what s owns. Safe on a zeroed struct. */
void mmc_hist_span_fini(struct mmc_hist_span *s);

/*
 * How many of s's values are <= x, reading a bucket as mmc_hist_quantile
 * does (values spread evenly inside it), so that for the histogram h it was
 * made from, count_le(quantile(h, p)) = p n wherever the quantile falls
 * inside a bucket.
 */
double mmc_hist_span_count_le(const struct mmc_hist_span *s, double x);

/* The variance of h's values, each read as its bucket's middle (0 for the zero bucket and
 * the underflow; the overflow is left out); NaN with fewer than two values. */
double mmc_hist_variance(const struct mmc_hist *h);

/* Bucket number of x > 0, before range checks (offset so that 2^EXP_MIN is 0). */
static inline int64_t mmc_hist_index(double x)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    const int64_t base = (int64_t)(1023 + MMC_HIST_EXP_MIN) << MMC_HIST_SUB_BITS;
    return (int64_t)(bits >> (52 - MMC_HIST_SUB_BITS)) - base;
}

/* Add one value. */
static inline void mmc_hist_add(struct mmc_hist *h, double x)
{
    h->n++;
    if (x <= 0.0) {
        h->zero++;
        return;
    }
    int64_t i = mmc_hist_index(x);
    if ((uint64_t)i < MMC_HIST_BUCKETS)
        h->count[i]++;
    else if (i < 0)
        h->under++;
    else
        h->over++;
}

#endif
