/*
 * hist.c - the cold half of the histogram: reset, merge, quantiles.
 */
#include "hist.h"

#include "error.h"

#include <math.h>
#include <stdlib.h>

void mmc_hist_reset(struct mmc_hist *h)
{
    memset(h, 0, sizeof *h);
}

void mmc_hist_merge(struct mmc_hist *dst, const struct mmc_hist *src)
{
    dst->n += src->n;
    dst->zero += src->zero;
    dst->under += src->under;
    dst->over += src->over;
    for (size_t i = 0; i < MMC_HIST_BUCKETS; i++)
        dst->count[i] += src->count[i];
}

/* Lower edge of bucket i (the inverse of mmc_hist_index). */
static double bucket_lo(int64_t i)
{
    const int64_t base = (int64_t)(1023 + MMC_HIST_EXP_MIN) << MMC_HIST_SUB_BITS;
    uint64_t bits = (uint64_t)(i + base) << (52 - MMC_HIST_SUB_BITS);
    double x;
    memcpy(&x, &bits, sizeof x);
    return x;
}

double mmc_hist_quantile(const struct mmc_hist *h, double p)
{
    if (h->n == 0 || !(p > 0.0 && p < 1.0))
        return NAN;
    double rank = p * (double)h->n, cum = (double)h->zero;
    if (rank <= cum)
        return 0.0;
    cum += (double)h->under;
    if (rank <= cum)
        return bucket_lo(0);
    for (int64_t i = 0; i < MMC_HIST_BUCKETS; i++) {
        double c = (double)h->count[i];
        if (c > 0.0 && rank <= cum + c) {
            double lo = bucket_lo(i), hi = bucket_lo(i + 1);
            return lo + (hi - lo) * (rank - cum) / c;
        }
        cum += c;
    }
    return bucket_lo(MMC_HIST_BUCKETS);
}

void mmc_hist_span_init(struct mmc_hist_span *s, const struct mmc_hist *h)
{
    *s = (struct mmc_hist_span){.n = h->n, .zero = h->zero, .under = h->under, .over = h->over};
    int64_t lo = 0, hi = MMC_HIST_BUCKETS;
    while (lo < hi && h->count[lo] == 0)
        lo++;
    while (hi > lo && h->count[hi - 1] == 0)
        hi--;
    s->lo = lo;
    s->len = (size_t)(hi - lo);
    if (s->len == 0)
        return;
    s->count = mmc_xmalloc(s->len, sizeof *s->count);
    memcpy(s->count, &h->count[lo], s->len * sizeof *s->count);
}

void mmc_hist_span_fini(struct mmc_hist_span *s)
{
    free(s->count);
    s->count = NULL;
    s->len = 0;
}

double mmc_hist_span_count_le(const struct mmc_hist_span *s, double x)
{
    if (!(x >= 0.0))
        return 0.0;
    double cum = (double)s->zero;
    if (x == 0.0)
        return cum;
    int64_t i = mmc_hist_index(x);
    if (i < 0)
        return cum + (double)s->under;
    cum += (double)s->under;
    if (i >= MMC_HIST_BUCKETS)
        return cum + (double)(s->n - s->zero - s->under);
    for (size_t k = 0; k < s->len && s->lo + (int64_t)k < i; k++)
        cum += (double)s->count[k];
    int64_t k = i - s->lo;
    if (k >= 0 && (size_t)k < s->len) {
        double lo = bucket_lo(i), hi = bucket_lo(i + 1);
        cum += (double)s->count[k] * (x - lo) / (hi - lo);
    }
    return cum;
}

double mmc_hist_variance(const struct mmc_hist *h)
{
    double n = (double)(h->zero + h->under), sum = 0.0;
    for (int64_t i = 0; i < MMC_HIST_BUCKETS; i++)
        if (h->count[i] > 0) {
            n += (double)h->count[i];
            sum += (double)h->count[i] * 0.5 * (bucket_lo(i) + bucket_lo(i + 1));
        }
    if (n < 2.0)
        return NAN;
    double mean = sum / n, ss = (double)(h->zero + h->under) * mean * mean;
    for (int64_t i = 0; i < MMC_HIST_BUCKETS; i++)
        if (h->count[i] > 0) {
            double d = 0.5 * (bucket_lo(i) + bucket_lo(i + 1)) - mean;
            ss += (double)h->count[i] * d * d;
        }
    return ss / (n - 1.0);
}
