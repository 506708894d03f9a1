/*
 * runner.c - the backend that runs units of work: a pool of threads.
 *
 * A round is a list of (point, replication) units, or of pilot paths. Threads
 * take unit numbers from one atomic counter; each unit writes only its own run
 * record and merges its tasks' histograms into its point's pooled histograms
 * under a mutex (integer counts: the sum does not depend on the order). What
 * to run, and what to do with the records, is decided elsewhere from results
 * only (experiment.c, warmup.c), so the output is the same for any thread
 * count; another backend (MPI ranks) replaces this file alone.
 */
#include "runner.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

struct pool {
    struct mmc_experiment *x;
    const struct mmc_unit *units;
    const atomic_int *cancel; /* may be NULL */
    size_t total;
    atomic_size_t next, done;
    pthread_mutex_t merge;
};

/* Percentiles of one run from its own histograms. */
static void run_percentiles(struct mmc_run *r, const struct mmc_run_hist *h)
{
    const double level[MMC_N_PCT] = MMC_PCT_LEVELS;
    for (int k = 0; k < MMC_N_PCT; k++) {
        r->wq_pct[k] = mmc_hist_quantile(&h->wait, level[k]);
        r->w_pct[k] = mmc_hist_quantile(&h->sojourn, level[k]);
    }
}

bool mmc_runner_cancelled(const struct mmc_run_options *opt)
{
    return opt->cancel != NULL && atomic_load(opt->cancel) != 0;
}

static void *worker_main(void *arg)
{
    struct pool *pool = arg;
    struct mmc_run_hist *h = mmc_xmalloc(1, sizeof *h);
    h->cls = pool->x->max_classes > 0 ? mmc_xmalloc(pool->x->max_classes, sizeof *h->cls) : NULL;
    for (;;) {
        size_t u = atomic_fetch_add(&pool->next, 1);
        if (u >= pool->total)
            break;
        if (pool->cancel != NULL && atomic_load(pool->cancel) != 0) {
            atomic_fetch_add(&pool->done, 1); /* not run: counted so progress ends */
            continue;
        }
        const struct mmc_unit *un = &pool->units[u];
        mmc_hist_reset(&h->wait);
        mmc_hist_reset(&h->sojourn);
        size_t n_cls =
            mmc_point_classes(un->pilot != NULL ? un->pilot : &pool->x->points[un->point]);
        for (size_t k = 0; k < n_cls; k++) {
            mmc_hist_reset(&h->cls[k].wait);
            mmc_hist_reset(&h->cls[k].sojourn);
            h->cls[k].cls = NULL;
        }
        if (un->pilot != NULL) {
            struct mmc_run scratch = {0};
            un->pilot->model->run(un->pilot, un->rep, &scratch, h, un->series);
            atomic_fetch_add(&pool->done, 1);
            continue;
        }
        struct mmc_run *r = &pool->x->runs[un->point][un->rep];
        const struct mmc_point *p = &pool->x->points[un->point];
        p->model->run(p, un->rep, r, h, NULL);
        if (r->cut_short) {
            atomic_fetch_add(&pool->done, 1);
            continue;
        }
        r->finished = true;
        run_percentiles(r, h);
        mmc_hist_span_init(&r->wait_span, &h->wait);
        mmc_hist_span_init(&r->sojourn_span, &h->sojourn);
        for (size_t k = 0; k < n_cls; k++) {
            run_percentiles(&r->cls[k], &h->cls[k]);
            mmc_hist_span_init(&r->cls[k].wait_span, &h->cls[k].wait);
            mmc_hist_span_init(&r->cls[k].sojourn_span, &h->cls[k].sojourn);
        }
        pthread_mutex_lock(&pool->merge);
        mmc_hist_merge(&pool->x->pooled[un->point].wait, &h->wait);
        mmc_hist_merge(&pool->x->pooled[un->point].sojourn, &h->sojourn);
        for (size_t k = 0; k < n_cls; k++) {
            mmc_hist_merge(&pool->x->pooled_cls[un->point][k].wait, &h->cls[k].wait);
            mmc_hist_merge(&pool->x->pooled_cls[un->point][k].sojourn, &h->cls[k].sojourn);
        }
        pthread_mutex_unlock(&pool->merge);
        atomic_fetch_add(&pool->done, 1);
    }
    free(h->cls);
    free(h);
    return NULL;
}

double mmc_runner_elapsed(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

/* Wait for the pool, reporting progress about ten times a second. */
static void watch(struct pool *pool, const struct mmc_run_options *opt, const struct timespec *t0,
                  const struct timespec *t_round)
{
    struct mmc_progress *pg = &pool->x->progress;
    size_t before = pg->runs_done;
    struct timespec tick = {0, 100000000};
    for (;;) {
        size_t done = atomic_load(&pool->done);
        pg->done = done;
        pg->runs_done = before + done;
        pg->elapsed_s = mmc_runner_elapsed(t0);
        pg->round_elapsed_s = mmc_runner_elapsed(t_round);
        opt->progress(opt->progress_ctx, pg);
        if (done >= pool->total)
            break;
        nanosleep(&tick, NULL);
    }
}

/* Run the units of one round on opt->threads threads (or here, if none starts). */
void mmc_runner_round(struct mmc_experiment *x, const struct mmc_unit *units, size_t n_units,
                      const struct mmc_run_options *opt, const struct timespec *t0)
{
    struct pool pool = {.x = x, .units = units, .cancel = opt->cancel, .total = n_units};
    struct timespec t_round;
    clock_gettime(CLOCK_MONOTONIC, &t_round);
    x->progress.round++;
    x->progress.pilots = units[0].pilot != NULL;
    x->progress.last_round = !x->progress.pilots && !(x->scenario->precision.target > 0.0);
    x->progress.total = n_units;
    atomic_init(&pool.next, 0);
    atomic_init(&pool.done, 0);
    pthread_mutex_init(&pool.merge, NULL);
    unsigned n = opt->threads ? opt->threads : 1;
    if (n > n_units)
        n = (unsigned)n_units;
    pthread_t *tid = mmc_xmalloc(n, sizeof *tid);
    unsigned started = 0;
    for (; started < n; started++)
        if (pthread_create(&tid[started], NULL, worker_main, &pool) != 0)
            break;
    if (started == 0)
        worker_main(&pool);
    if (opt->progress != NULL) /* otherwise joining is all the waiting needed */
        watch(&pool, opt, t0, &t_round);
    for (unsigned i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    free(tid);
    pthread_mutex_destroy(&pool.merge);
}
