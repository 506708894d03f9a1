/*
 * mser.h - MSER-5 truncation of an output series in bounded memory.
 *
 * MSER (White 1997; White, Cobb and Spratt 2000) chooses the warm-up d that
 * minimises the squared standard error of the mean of what remains,
 * MSER(d) = S^2(d) / (k - d) over batch means Z_{d+1..k}, searched over the
 * first half of the series; MSER-5 applies it to means of batches of 5
 * observations. To keep memory fixed whatever the run length, at most
 * MMC_MSER_CAP batch means are kept: when full, neighbours are averaged in
 * pairs and the batch size doubles (5, 10, 20, ...), so long runs use
 * MSER-m with m = 5 * 2^j - the same rule on coarser batches, which can
 * only cut a little more than MSER-5 would, never less.
 *
 * Ownership: the struct owns its array (init/fini). One writer.
 */
#ifndef MMC_MSER_H
#define MMC_MSER_H

#include <stddef.h>
#include <stdint.h>

#define MMC_MSER_BATCH 5
#define MMC_MSER_CAP 4096

struct mmc_mser {
    double *z;        /* batch means, oldest first */
    size_t n;         /* batch means held */
    uint64_t batch;   /* observations per batch mean */
    uint64_t in_acc;  /* observations in the open batch */
    double acc;       /* their sum */
    uint64_t count;   /* observations added */
    double sum, sum2; /* their sum and sum of squares (the series' own variance) */
};

/* Prepare an empty series. */
void mmc_mser_init(struct mmc_mser *m);

/* Free the array. */
void mmc_mser_fini(struct mmc_mser *m);

/* Average neighbouring batch means in pairs (called by add when full). */
void mmc_mser_coarsen(struct mmc_mser *m);

/*
 * Welch's average of n series of one transient (independent paths from the
 * same initial state): dst (initialised) gets the elementwise mean over their
 * common length, at the coarsest batch size among them (src are coarsened to
 * it, so they change). Averaging damps the noise that makes MSER on a single
 * autocorrelated path cut too little or too much.
 */
void mmc_mser_average(struct mmc_mser *dst, struct mmc_mser *src, size_t n);

/* Observations the complete batch means of m cover. */
static inline uint64_t mmc_mser_observations(const struct mmc_mser *m)
{
    return (uint64_t)m->n * m->batch;
}

/* Number of leading observations MSER says to discard (a multiple of the batch size). */
uint64_t mmc_mser_cut(const struct mmc_mser *m);

/*
 * The integrated autocorrelation time of n series of one process (in
 * observations): sigma^2 / var, where var is the observations' variance and
 * sigma^2 / m the variance of means of m consecutive ones, m a quarter of
 * what remains of each series after its first `cut` observations (four
 * batches per series, their variance about the series' own mean, pooled).
 * Batches of a quarter of the series underestimate it when the series is
 * shorter than about 20 autocorrelation times. 0 when nothing varies; NaN
 * when the series are too short (fewer than 4 batch means left).
 */
double mmc_mser_act(const struct mmc_mser *m, size_t n, uint64_t cut);

/* Append one observation. */
static inline void mmc_mser_add(struct mmc_mser *m, double x)
{
    m->count++;
    m->sum += x;
    m->sum2 += x * x;
    m->acc += x;
    if (++m->in_acc < m->batch)
        return;
    if (m->n == MMC_MSER_CAP) {
        /* the batch just filled becomes the first half of a batch twice as big */
        mmc_mser_coarsen(m);
        return;
    }
    m->z[m->n++] = m->acc / (double)m->batch;
    m->acc = 0.0;
    m->in_acc = 0;
}

#endif
