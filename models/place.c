/*
 * place.c - a container scheduler (issue 17): requests for amounts of
 * cpu, mem_mb and gpu arrive at a scheduler, whose k threads place them on
 * N workers of limited capacity; a placed container holds its resources
 * for its lifetime (the scenario's service), then releases them.
 *
 * The latency system is the scheduler's queue, so the kernel's "workers"
 * are the threads (p->c = k) and a "service" is a decision (p->mu = 1 /
 * E[decision], p->service its shape); the cluster is p->place. A free
 * thread takes the oldest pending request and reads the cluster: it
 * chooses a worker by placement.policy among those the request fits
 * (first_fit, best_fit, least_loaded, power_of_two, random; hash: the
 * request's key names a worker, and if it does not fit, the fallback). It
 * then spends a decision time (the point's service stream, drawn as the
 * kernel draws services) and commits.
 *
 * Versions. Every change of a worker (a placement, a container's end)
 * increments its version. Optimistic: the thread remembers the chosen
 * worker's version at the read; at the commit a changed version is a
 * conflict: the request waits a backoff (stream MMC_STREAM_BACKOFF) and
 * rejoins the back of the pending queue; its (max_retries + 1)-th conflict
 * makes it failed. (So one thread can conflict too: with a container that
 * ends on its worker during the decision.) Locked: the thread locks the
 * worker it chose at the read; a thread whose choice is locked waits,
 * holding its request, until the lock is released, then reads again. A
 * locked worker changes only by its containers' ends, which only free
 * room: locked commits never conflict.
 *
 * No worker fits at the read: on_full reject blocks the request (P_block);
 * on_full wait parks it, without a thread, until a container ends. Requests
 * are identical, so an end frees room for exactly one: the oldest parked
 * request rejoins the back of the pending queue (waking the others would
 * only make them read a full cluster again). A decision of mean 0 is
 * instantaneous: read and commit are one step, nothing can conflict.
 *
 * Counting (Little's law holds for both): waiting (Lq) = pending + backing
 * off + parked; busy = threads holding a request, deciding or waiting for
 * a lock. So a request's Wq is its time without a thread, and its service
 * (W - Wq) every stint it spent in a thread: all its decisions, conflicted
 * ones included, and its lock waits. A request is measured when it
 * commits; one blocked or failed leaves its Wq among the waits of the
 * tasks that left unserved.
 *
 * Slots. Fixed demands: a worker holds slots = min over the
 * requested resources of floor(capacity / demand) containers
 * (mmc_place_slots) and fits a request while it holds fewer: no rounding
 * ever lets resources exceed capacity. Load of a worker (best_fit,
 * least_loaded, power_of_two) is the largest fraction used over its
 * resources: containers x the largest demand / capacity ratio.
 *
 * Indexes: no choice scans the workers. The policy that chooses (hash's
 * fallback under hash) keeps one index, updated at every placement and
 * container end. first_fit, best_fit, least_loaded: a tree (fittree.h)
 * over one resource, the free slots (slots - held: whole numbers, exact),
 * need 1, keyed by the load the policy compares (best_fit: after placing
 * one more); a worker that does not fit is keyed so that no search prefers
 * it (+inf for the smallest key, -inf for the largest), so each node's
 * bound is that of its fitting workers and a query follows one path:
 * O(log N), and the same worker as a scan in index order, ties to the
 * lowest index. random, power_of_two: the set of workers that fit (an
 * array, and each worker's place in it; a worker that fills is swapped
 * out, one that gains room appended), so a draw is O(1). A draw names a
 * member in set order, not index order; the law of the choice (uniform
 * over the workers that fit, or a uniform pair of distinct ones) is the
 * same.
 *
 * Sizes that vary (a mix of sizes, or a law per resource: pl->varying).
 * Slots are not defined; the general path keeps, per worker and resource
 * requested, its capacity and use in integer thousandths of a unit
 * (capacities rounded down, demands up, both forgiving a relative 1e-12),
 * so placing and releasing never drift: the use is back to exactly 0
 * whenever the cluster empties (asserted). A worker fits a request when
 * every free amount holds its demand. Load is the largest fraction used
 * over the worker's resources; best_fit takes the most loaded worker that
 * fits, by its current load ("most allocated", as Kubernetes' MostAllocated
 * scoring; with one size on workers of one kind it orders them as "least
 * room after placing"). first_fit, best_fit, least_loaded: the tree over
 * the free amounts, need = the request's demands. random, power_of_two:
 * the fitting set depends on the request, so a draw is by rejection: up to
 * 32 uniform workers, the first that fits (uniform over the fitting ones),
 * then a scan that counts them and one draw among them (O(N), when fewer
 * than about 1 in 10 fit); power_of_two's second draw excludes the first.
 * hash: the key's worker if it fits, else the fallback. Each container
 * keeps its worker and demands in a slot (its end's arg). A request whose
 * law drew more than any worker holds when empty is unplaceable: it fails
 * (failed_fraction). A mix of one size places exactly as the slots path
 * (the tests hold them equal), random choices aside (other draws, the same
 * law). Parked requests, see wake_vary.
 *
 * Forever (pl->forever): containers never end; no lifetime is drawn and no
 * end is scheduled.
 *
 * Streams: arrivals and decisions as the kernel reads them; new streams
 * for random choices (MMC_STREAM_PLACE), hash keys (MMC_STREAM_PLACE_KEY),
 * lifetimes (MMC_STREAM_LIFETIME), backoffs (MMC_STREAM_BACKOFF) and sizes
 * (MMC_STREAM_DEMAND, drawn only when sizes vary), so no other model's
 * draws change, nor those of fixed requests.
 */
#include "erlang.h"
#include "fittree.h"
#include "forms.h"
#include "kernel.h"
#include "models.h"
#include "rng.h"

#include <assert.h>
#include <gsl/gsl_rng.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
    MMC_EV_BACKOFF = MMC_EV_MODEL, /* a backoff ends; arg: the request's slot in the slab */
    MMC_EV_RELEASE,                /* a container ends; arg: its worker */
};

enum { IDLE, DECIDING, LOCK_WAIT }; /* a thread's state */

#define NONE UINT32_MAX

/* A request: its queue arrival, when it last lost its thread (or arrived), its wait and
 * thread time so far, failed commits, and its hash key. */
struct req {
    double t_qa, t_since, wait, svc;
    uint32_t tries, key;
    int64_t need[MMC_FIT_MAX_RES]; /* sizes that vary: its demands, thousandths (by res[]) */
    bool unfit;                    /* sizes that vary: no worker holds it even empty */
};

/* Sizes that vary: a container, its worker and its demands (the slot is its end's arg). */
struct box {
    uint32_t w;
    int64_t need[MMC_FIT_MAX_RES];
};

/* A growable FIFO of requests. */
struct ring {
    struct req *v;
    size_t head, n, cap;
};

struct thread {
    struct req rq;    /* the request it holds (not IDLE) */
    double t_take;    /* when it took the request, or read again after a lock wait */
    uint64_t version; /* the chosen worker's version at the read */
    uint32_t w;       /* the chosen worker */
    uint32_t next;    /* LOCK_WAIT: the next thread waiting for the same worker */
    unsigned char state;
};

struct state {
    struct mmc_kernel k;
    const struct mmc_place *pl;
    uint32_t n;        /* workers */
    uint32_t *slots;   /* per worker: containers it can hold */
    uint32_t *held;    /* containers it holds */
    double *frac;      /* load per container: the largest demand / capacity */
    uint64_t *version; /* changes so far */
    uint64_t *placed;  /* placements since the window opened */
    uint32_t *locker;  /* locked: the thread holding its lock, or NONE */
    uint32_t *wq_head; /* locked: threads waiting for its lock (linked by next) */
    uint32_t *wq_tail;
    struct thread *th;
    uint32_t *idle; /* free threads, the next to take on top */
    size_t n_idle;
    struct ring pending, parked;
    struct req *slab; /* requests backing off */
    uint32_t *slab_free;
    size_t n_slab_free, slab_cap, n_backoff;
    uint64_t n_busy;
    gsl_rng *r_place, *r_key, *r_life, *r_backoff;
    bool instant, locked;
    /* the index of the policy that chooses (by: placement.policy, or hash's fallback):
       first_fit, best_fit, least_loaded: the tree (tree.n 0 otherwise); random, power_of_two:
       the workers that fit, fit[0 .. n_fit - 1], and each one's place there, fit_pos[w], or
       NONE (fit NULL otherwise) */
    enum mmc_place_policy by;
    struct mmc_fit_tree tree;
    uint32_t *fit, *fit_pos;
    uint32_t n_fit;
    /* containers over the window: their integral, its start and end, the peak */
    uint64_t containers, peak;
    double area, t_area, t_open, t_close;
    bool area_open;
    /* sizes that vary (vary): amounts in integer thousandths of a unit of the resources
       requested, res[0 .. nr - 1]; per worker w its capacity cap[w * nr + j] (rounded down) and
       use used[w * nr + j]; the cluster's totals, their integral over the window and peak */
    bool vary;
    unsigned nr, res[MMC_FIT_MAX_RES];
    int64_t *cap, *used;
    int64_t cap_all[MMC_FIT_MAX_RES], used_all[MMC_FIT_MAX_RES], peak_res[MMC_FIT_MAX_RES];
    double area_res[MMC_FIT_MAX_RES];
    int64_t pool_cap[MMC_PLACE_MAX_POOLS][MMC_FIT_MAX_RES];
    int64_t size_need[MMC_PLACE_MAX_SIZES][MMC_FIT_MAX_RES]; /* a mix's sizes */
    double size_cum[MMC_PLACE_MAX_SIZES];                    /* and their cumulative shares */
    int64_t fixed_need[MMC_FIT_MAX_RES];                     /* laws: the fixed resources */
    struct box *box; /* containers, by slot; free slots stacked in box_free */
    uint32_t *box_free;
    size_t n_box_free, box_cap;
    gsl_rng *r_demand;
};

static void ring_push(struct ring *q, struct req r)
{
    if (q->n == q->cap) {
        size_t cap = q->cap ? 2 * q->cap : 64;
        struct req *v = mmc_xmalloc(cap, sizeof *v);
        for (size_t i = 0; i < q->n; i++)
            v[i] = q->v[(q->head + i) % q->cap];
        free(q->v);
        q->v = v;
        q->head = 0;
        q->cap = cap;
    }
    q->v[(q->head + q->n++) % q->cap] = r;
}

static struct req ring_pop(struct ring *q)
{
    assert(q->n > 0);
    struct req r = q->v[q->head];
    q->head = (q->head + 1) % q->cap;
    q->n--;
    return r;
}

/* Requests without a thread: pending, backing off, parked. */
MMC_HOT uint64_t waiting(const struct state *st)
{
    return st->pending.n + st->parked.n + st->n_backoff;
}

MMC_HOT bool measured(const struct state *st, const struct req *rq)
{
    return rq->t_qa >= st->k.t_measure_from;
}

/* The containers' integral up to now, and the peak, while the window is open. */
static void note_containers(struct state *st)
{
    if (!st->area_open)
        return;
    st->area += (double)st->containers * (st->k.now - st->t_area);
    for (unsigned j = 0; st->vary && j < st->nr; j++) {
        st->area_res[j] += (double)st->used_all[j] * (st->k.now - st->t_area);
        st->peak_res[j] = st->used_all[j] > st->peak_res[j] ? st->used_all[j] : st->peak_res[j];
    }
    st->t_area = st->k.now;
    st->peak = st->containers > st->peak ? st->containers : st->peak;
}

/* Sizes that vary: an amount in thousandths, a demand rounded up and a capacity down (forgiving
 * a relative 1e-12, as 0.1 x 1000 is 100.00000000000001). */
static int64_t milli_up(double x)
{
    return (int64_t)ceil(x * 1000.0 * (1.0 - 1e-12));
}

static int64_t milli_down(double x)
{
    return (int64_t)floor(x * 1000.0 * (1.0 + 1e-12));
}

/* Sizes that vary: whether w's free amounts hold need. */
MMC_HOT bool fits_need(const struct state *st, uint32_t w, const int64_t *need)
{
    const int64_t *cap = st->cap + (size_t)w * st->nr, *used = st->used + (size_t)w * st->nr;
    for (unsigned j = 0; j < st->nr; j++)
        if (cap[j] - used[j] < need[j])
            return false;
    return true;
}

/* Sizes that vary: w's load, the largest fraction used over the resources it has. */
static double load_vary(const struct state *st, uint32_t w)
{
    const int64_t *cap = st->cap + (size_t)w * st->nr, *used = st->used + (size_t)w * st->nr;
    double x = 0.0;
    for (unsigned j = 0; j < st->nr; j++)
        if (cap[j] > 0)
            x = fmax(x, (double)used[j] / (double)cap[j]);
    return x;
}

MMC_HOT bool fits(const struct state *st, uint32_t w)
{
    return st->held[w] < st->slots[w];
}

MMC_HOT double load(const struct state *st, uint32_t w, uint32_t extra)
{
    return (double)(st->held[w] + extra) * st->frac[w];
}

/* Worker w's key in the tree: the load the policy compares (best_fit: with one more
 * container); a worker that does not fit, the key no search prefers (its load is never read:
 * a worker that lacks a resource has 0 slots and an infinite frac). */
static double tree_key(const struct state *st, uint32_t w)
{
    if (!fits(st, w))
        return st->by == MMC_PLACE_BEST_FIT ? -INFINITY : INFINITY;
    if (st->by == MMC_PLACE_FIRST_FIT)
        return 0.0;
    return load(st, w, st->by == MMC_PLACE_BEST_FIT);
}

/* w gained or lost a container: its leaf in the tree, its membership of the fitting set
 * (swap-remove when it fills, append when it gains room). */
static void reindex(struct state *st, uint32_t w)
{
    if (st->vary) { /* the tree alone: random choices sample (sample_vary) */
        double room[MMC_FIT_MAX_RES];
        for (unsigned j = 0; j < st->nr; j++)
            room[j] = (double)(st->cap[(size_t)w * st->nr + j] - st->used[(size_t)w * st->nr + j]);
        if (st->tree.n > 0)
            mmc_fit_set(&st->tree, w, room, st->by == MMC_PLACE_FIRST_FIT ? 0.0 : load_vary(st, w));
        return;
    }
    if (st->tree.n > 0) {
        double free_slots = (double)(st->slots[w] - st->held[w]);
        mmc_fit_set(&st->tree, w, &free_slots, tree_key(st, w));
    }
    if (st->fit == NULL || fits(st, w) == (st->fit_pos[w] != NONE))
        return;
    if (fits(st, w)) {
        st->fit_pos[w] = st->n_fit;
        st->fit[st->n_fit++] = w;
        return;
    }
    uint32_t i = st->fit_pos[w], last = st->fit[--st->n_fit];
    st->fit[i] = last;
    st->fit_pos[last] = i;
    st->fit_pos[w] = NONE;
}

/* first_fit, best_fit (most loaded after placing), least_loaded: the tree's query, ties to the
 * lowest index; NONE when no worker fits. */
static uint32_t query(const struct state *st, enum mmc_place_policy policy, const double *need)
{
    size_t w = policy == MMC_PLACE_FIRST_FIT  ? mmc_fit_first(&st->tree, need)
               : policy == MMC_PLACE_BEST_FIT ? mmc_fit_max_key(&st->tree, need)
                                              : mmc_fit_min_key(&st->tree, need);
    return w == SIZE_MAX ? NONE : (uint32_t)w;
}

/* random: a uniform worker among those that fit; power_of_two: two distinct ones, the less
 * loaded (ties: the first drawn). */
static uint32_t sample(struct state *st, enum mmc_place_policy policy)
{
    size_t m = st->n_fit;
    if (m == 0)
        return NONE;
    size_t i = mmc_rng_index(st->r_place, m);
    if (policy == MMC_PLACE_RANDOM || m == 1)
        return st->fit[i];
    size_t j = mmc_rng_index(st->r_place, m - 1);
    j += j >= i;
    uint32_t a = st->fit[i], b = st->fit[j];
    return load(st, b, 0) < load(st, a, 0) ? b : a;
}

/* Sizes that vary: rejections before a draw scans (the fitting set depends on the request). */
#define MAX_REJECTS 32

/* Sizes that vary: a uniform worker other than skip (NONE: any) among those need fits, NONE if
 * none: up to MAX_REJECTS draws over all workers (a fitting draw is uniform over the fitting
 * ones), then a scan for them and one draw among them (uniform too, so the law is). */
static uint32_t draw_fit(struct state *st, const int64_t *need, uint32_t skip)
{
    for (int i = 0; i < MAX_REJECTS; i++) {
        uint32_t w = (uint32_t)mmc_rng_index(st->r_place, st->n);
        if (w != skip && fits_need(st, w, need))
            return w;
    }
    size_t m = 0;
    for (uint32_t w = 0; w < st->n; w++)
        m += w != skip && fits_need(st, w, need);
    if (m == 0)
        return NONE;
    size_t i = mmc_rng_index(st->r_place, m);
    for (uint32_t w = 0;; w++)
        if (w != skip && fits_need(st, w, need) && i-- == 0)
            return w;
}

/* Sizes that vary: random, or power_of_two (two distinct fitting workers, the less loaded; ties:
 * the first drawn). */
static uint32_t sample_vary(struct state *st, enum mmc_place_policy policy, const int64_t *need)
{
    uint32_t a = draw_fit(st, need, NONE);
    if (a == NONE || policy == MMC_PLACE_RANDOM)
        return a;
    uint32_t b = draw_fit(st, need, a);
    return b != NONE && load_vary(st, b) < load_vary(st, a) ? b : a;
}

/* Sizes that vary: the worker a request of demands need goes to; NONE when none fits. */
static uint32_t choose_vary(struct state *st, const struct req *rq)
{
    if (st->pl->policy == MMC_PLACE_HASH && fits_need(st, rq->key, rq->need))
        return rq->key;
    if (st->by == MMC_PLACE_RANDOM || st->by == MMC_PLACE_POWER_OF_TWO)
        return sample_vary(st, st->by, rq->need);
    double need[MMC_FIT_MAX_RES];
    for (unsigned j = 0; j < st->nr; j++)
        need[j] = (double)rq->need[j];
    return query(st, st->by, need);
}

/* The worker a request goes to, on the cluster as it is now; NONE when none fits. */
static uint32_t choose(struct state *st, const struct req *rq)
{
    if (st->vary)
        return choose_vary(st, rq);
    if (st->pl->policy == MMC_PLACE_HASH && fits(st, rq->key))
        return rq->key;
    if (st->by == MMC_PLACE_RANDOM || st->by == MMC_PLACE_POWER_OF_TWO)
        return sample(st, st->by);
    const double one = 1.0;
    return query(st, st->by, &one);
}

/* A request leaves unserved (blocked or failed): counted in *n when measured; its wait joins
 * the waits of the tasks that left (its thread time was no wait). */
static void drop(struct state *st, const struct req *rq, uint64_t *n, bool lost)
{
    struct mmc_kernel *k = &st->k;
    if (lost)
        k->out->n_lost++;
    else
        k->out->n_rejected++;
    if (measured(st, rq)) {
        (*n)++;
        k->sum_wait_left += rq->wait;
    }
}

static void free_thread(struct state *st, uint32_t t)
{
    st->th[t].state = IDLE;
    st->idle[st->n_idle++] = t;
    st->n_busy--;
}

/* The request leaves thread t to wait (now on). */
static void unhand(struct state *st, uint32_t t, struct req *rq)
{
    rq->svc += st->k.now - st->th[t].t_take;
    rq->t_since = st->k.now;
    free_thread(st, t);
}

/* A new container on w for the request thread t holds: w changes, the container's end is due
 * after its lifetime, and the request is measured. */
/* Sizes that vary: w takes need (resources never exceed capacity); the container's slot. */
static uint32_t take(struct state *st, uint32_t w, const int64_t *need)
{
    assert(fits_need(st, w, need));
    for (unsigned j = 0; j < st->nr; j++) {
        st->used[(size_t)w * st->nr + j] += need[j];
        st->used_all[j] += need[j];
        assert(st->used[(size_t)w * st->nr + j] <= st->cap[(size_t)w * st->nr + j]);
    }
    if (st->n_box_free == 0) { /* grow by doubling */
        size_t cap = st->box_cap ? 2 * st->box_cap : 64;
        st->box = mmc_xrealloc(st->box, cap, sizeof *st->box);
        st->box_free = mmc_xrealloc(st->box_free, cap, sizeof *st->box_free);
        for (size_t i = cap; i-- > st->box_cap;)
            st->box_free[st->n_box_free++] = (uint32_t)i;
        st->box_cap = cap;
    }
    uint32_t i = st->box_free[--st->n_box_free];
    st->box[i].w = w;
    memcpy(st->box[i].need, need, sizeof st->box[i].need);
    return i;
}

static void commit(struct state *st, uint32_t t, uint32_t w)
{
    struct mmc_kernel *k = &st->k;
    struct req *rq = &st->th[t].rq;
    note_containers(st);
    uint32_t arg = w; /* the end's: the worker, or (sizes vary) the container */
    if (st->vary) {
        arg = take(st, w, rq->need);
    } else {
        assert(fits(st, w)); /* resources never exceed capacity */
        st->held[w]++;
    }
    st->version[w]++;
    reindex(st, w);
    st->containers++;
    st->placed[w]++;
    const struct mmc_point *p = k->p;
    if (!st->pl->forever) {
        double life = mmc_dist_draw(p->lifetime, p->place_lifetime, st->r_life);
        mmc_heap_push(&k->heap, k->now + life, MMC_EV_RELEASE, arg);
    }
    rq->svc += k->now - st->th[t].t_take;
    double latest = k->t_qa_last; /* retries commit out of arrival order */
    mmc_kernel_measure(k, rq->t_qa, rq->wait, rq->svc, t, false); /* the series: on_arrive */
    if (latest > k->t_qa_last)
        k->t_qa_last = latest;
    mmc_kernel_depart(k);
    free_thread(st, t);
}

/* Sizes that vary: a measured request found no room (it is blocked or parked): the cluster's
 * free fraction of each resource then (what fragmentation strands), and, when blocked, its
 * demands. */
static void note_no_room(struct state *st, const struct req *rq)
{
    struct mmc_run *out = st->k.out;
    if (!measured(st, rq))
        return;
    out->n_no_room++;
    bool blocked = st->pl->on_full == MMC_PLACE_REJECT;
    for (unsigned j = 0; j < st->nr; j++) {
        unsigned r = st->res[j];
        out->free_sum[r] += (double)(st->cap_all[j] - st->used_all[j]) / (double)st->cap_all[j];
        out->demand_blocked[r] += blocked ? (double)rq->need[j] / 1000.0 : 0.0;
    }
}

/* Thread t (holding its request) reads the cluster: a decision on the chosen worker, a wait
 * for its lock, or, when nothing fits, the request blocked or parked. */
static void read_cluster(struct state *st, uint32_t t)
{
    struct mmc_kernel *k = &st->k;
    struct thread *th = &st->th[t];
    uint32_t w = choose(st, &th->rq);
    if (w == NONE) {
        struct req rq = th->rq;
        unhand(st, t, &rq);
        if (st->vary && !rq.unfit)
            note_no_room(st, &rq);
        if (rq.unfit) /* sizes that vary: it could never be placed */
            drop(st, &rq, &k->out->n_failed, true);
        else if (st->pl->on_full == MMC_PLACE_REJECT)
            drop(st, &rq, &k->out->n_blocked, false);
        else
            ring_push(&st->parked, rq);
        return;
    }
    th->w = w;
    if (st->locked && st->locker[w] != NONE) { /* wait at the back of w's lock queue */
        th->state = LOCK_WAIT;
        th->next = NONE;
        if (st->wq_head[w] == NONE)
            st->wq_head[w] = t;
        else
            st->th[st->wq_tail[w]].next = t;
        st->wq_tail[w] = t;
        return;
    }
    if (st->instant) {
        commit(st, t, w);
        return;
    }
    th->state = DECIDING;
    th->version = st->version[w];
    if (st->locked)
        st->locker[w] = t;
    double d = mmc_kernel_draw_service(k);
    k->wbusy[t] += d;
    mmc_heap_push(&k->heap, k->now + d, MMC_EV_DEPART, t);
}

/* Free threads take the oldest pending requests. */
static void dispatch(struct state *st)
{
    while (st->n_idle > 0 && st->pending.n > 0) {
        uint32_t t = st->idle[--st->n_idle];
        struct thread *th = &st->th[t];
        th->rq = ring_pop(&st->pending);
        th->rq.wait += st->k.now - th->rq.t_since;
        th->t_take = st->k.now;
        th->state = DECIDING;
        st->n_busy++;
        read_cluster(st, t);
    }
}

/* Locked: w's lock is released; the threads waiting for it read again, in the order they
 * came. */
static void unlock(struct state *st, uint32_t w)
{
    uint32_t t = st->wq_head[w];
    st->locker[w] = NONE;
    st->wq_head[w] = st->wq_tail[w] = NONE;
    while (t != NONE) {
        uint32_t next = st->th[t].next;
        read_cluster(st, t);
        t = next;
    }
}

/* Optimistic: thread t's commit failed. The request backs off and rejoins the pending queue,
 * or after its (max_retries + 1)-th conflict fails. */
static void conflict(struct state *st, uint32_t t)
{
    struct mmc_kernel *k = &st->k;
    struct req rq = st->th[t].rq;
    unhand(st, t, &rq);
    bool m = measured(st, &rq);
    k->out->n_conflicts += m;
    if (++rq.tries > st->pl->max_retries) {
        drop(st, &rq, &k->out->n_failed, true);
        /* it may have been woken for room it now leaves unused: the wake passes on to the
           oldest parked request, which reads again (and parks again if nothing fits); without
           it a conflict storm can leave requests parked in an empty cluster */
        if (st->parked.n > 0)
            ring_push(&st->pending, ring_pop(&st->parked));
        return;
    }
    k->out->n_retries += m;
    double b = st->pl->backoff_mean > 0.0
                   ? mmc_dist_draw(&st->pl->backoff.shape, st->pl->backoff_mean, st->r_backoff)
                   : 0.0;
    if (b == 0.0) {
        ring_push(&st->pending, rq);
        return;
    }
    if (st->n_slab_free == 0) { /* grow the slab by doubling */
        size_t cap = st->slab_cap ? 2 * st->slab_cap : 64;
        st->slab = mmc_xrealloc(st->slab, cap, sizeof *st->slab);
        st->slab_free = mmc_xrealloc(st->slab_free, cap, sizeof *st->slab_free);
        for (size_t i = cap; i-- > st->slab_cap;)
            st->slab_free[st->n_slab_free++] = (uint32_t)i;
        st->slab_cap = cap;
    }
    uint32_t i = st->slab_free[--st->n_slab_free];
    st->slab[i] = rq;
    st->n_backoff++;
    mmc_heap_push(&k->heap, k->now + b, MMC_EV_BACKOFF, i);
}

/* Thread t's decision ends: commit, or (optimistic, w changed since the read) a conflict. */
static void on_decided(struct state *st, uint32_t t)
{
    struct thread *th = &st->th[t];
    uint32_t w = th->w;
    if (!st->locked && st->version[w] != th->version)
        conflict(st, t);
    else
        commit(st, t, w);
    if (st->locked)
        unlock(st, w);
    dispatch(st);
}

/*
 * Sizes that vary: a container on w ended, freeing freed[]. The oldest parked request that fits
 * w's free room rejoins the pending queue, then the next oldest that fit the room left while
 * their demands together stay within freed[]: identical requests wake exactly one, as the slots
 * path does, and a large request waits for room, not for one container of its size. When
 * the cluster is empty, every parked request rejoins: a woken request may go to another worker
 * without passing its wake on, and with no container left no end would come (a request that
 * fails passes its wake on, in both paths: conflict). O(parked) per end with parked requests.
 */
static void wake_vary(struct state *st, uint32_t w, const int64_t *freed)
{
    int64_t room[MMC_FIT_MAX_RES] = {0}, budget[MMC_FIT_MAX_RES] = {0};
    for (unsigned j = 0; j < st->nr; j++) {
        room[j] = st->cap[(size_t)w * st->nr + j] - st->used[(size_t)w * st->nr + j];
        budget[j] = freed[j];
    }
    bool any = false, all = st->containers == 0;
    for (size_t i = 0, n = st->parked.n; i < n; i++) {
        struct req rq = ring_pop(&st->parked);
        bool fit = true;
        for (unsigned j = 0; j < st->nr; j++)
            fit &= rq.need[j] <= room[j] && (!any || rq.need[j] <= budget[j]);
        for (unsigned j = 0; fit && j < st->nr; j++) {
            room[j] -= rq.need[j];
            budget[j] -= rq.need[j];
        }
        ring_push(fit || all ? &st->pending : &st->parked, rq);
        any |= fit;
    }
    if (any || (all && st->pending.n > 0))
        dispatch(st);
}

/* Sizes that vary: container i ends: its worker changes, parked requests may fit it now. */
static void on_release_vary(struct state *st, uint32_t i)
{
    uint32_t w = st->box[i].w;
    note_containers(st);
    for (unsigned j = 0; j < st->nr; j++) {
        st->used[(size_t)w * st->nr + j] -= st->box[i].need[j];
        st->used_all[j] -= st->box[i].need[j];
        assert(st->used[(size_t)w * st->nr + j] >= 0);
    }
    int64_t freed[MMC_FIT_MAX_RES];
    memcpy(freed, st->box[i].need, sizeof freed);
    st->box_free[st->n_box_free++] = i;
    st->version[w]++;
    reindex(st, w);
    st->containers--;
    if (st->containers == 0) /* the cluster is empty: every amount is back, exactly */
        for (size_t j = 0; j < (size_t)st->n * st->nr; j++)
            assert(st->used[j] == 0 && st->used_all[j % st->nr] == 0);
    wake_vary(st, w, freed);
}

/* A container on w ends: w changes, and the oldest parked request may fit now. */
static void on_release(struct state *st, uint32_t w)
{
    if (st->vary) {
        on_release_vary(st, w);
        return;
    }
    note_containers(st);
    assert(st->held[w] > 0);
    st->held[w]--;
    st->version[w]++;
    reindex(st, w);
    st->containers--;
    if (st->parked.n > 0) {
        ring_push(&st->pending, ring_pop(&st->parked));
        dispatch(st);
    }
}

static void on_backoff(struct state *st, uint32_t i)
{
    struct req rq = st->slab[i]; /* its backoff joins its wait: t_since is the conflict's */
    st->slab_free[st->n_slab_free++] = i;
    st->n_backoff--;
    ring_push(&st->pending, rq);
    dispatch(st);
}

/* Sizes that vary: a request's demands (a size of the mix, or a draw per law), and whether some
 * worker holds them when empty. */
static void draw_demand(struct state *st, struct req *rq)
{
    const struct mmc_place *pl = st->pl;
    if (pl->n_sizes > 0) {
        double u = gsl_rng_uniform(st->r_demand);
        size_t i = 0;
        while (i + 1 < pl->n_sizes && u >= st->size_cum[i])
            i++;
        memcpy(rq->need, st->size_need[i], sizeof rq->need);
    } else {
        for (unsigned j = 0; j < st->nr; j++) {
            unsigned r = st->res[j];
            rq->need[j] =
                pl->law[r]
                    ? milli_up(mmc_dist_draw(&pl->demand[r].shape, pl->request[r], st->r_demand))
                    : st->fixed_need[j];
        }
    }
    rq->unfit = true;
    for (size_t i = 0; rq->unfit && i < pl->n_pools; i++) {
        bool fit = true;
        for (unsigned j = 0; j < st->nr; j++)
            fit &= rq->need[j] <= st->pool_cap[i][j];
        rq->unfit = !fit;
    }
}

static void on_arrive(struct state *st, bool record)
{
    struct mmc_kernel *k = &st->k;
    k->out->n_arrived++;
    k->out->n_offered += k->now >= k->t_measure_from;
    struct req rq = {.t_qa = k->now, .t_since = k->now};
    if (record) /* warmup: auto's pilot: the number in system this arrival finds */
        mmc_mser_add(k->series, (double)(waiting(st) + st->n_busy + st->containers));
    if (st->pl->policy == MMC_PLACE_HASH)
        rq.key = (uint32_t)mmc_rng_index(st->r_key, st->n);
    if (st->vary)
        draw_demand(st, &rq);
    for (unsigned j = 0; st->vary && k->now >= k->t_measure_from && j < st->nr; j++)
        k->out->demand_offered[st->res[j]] += (double)rq.need[j] / 1000.0;
    ring_push(&st->pending, rq);
    dispatch(st);
    mmc_kernel_note_peaks(k, waiting(st), st->n_busy);
    mmc_kernel_generate(k);
    if (!k->open && st->area_open && mmc_point_steady(k->p)) { /* the window closes */
        note_containers(st);
        st->area_open = false;
        st->t_close = k->now;
    }
}

/* The window opens: placements and the containers' integral count from now. */
static void open_window(struct state *st)
{
    mmc_kernel_open_window(&st->k, waiting(st), st->n_busy);
    memset(st->placed, 0, st->n * sizeof *st->placed);
    st->area = 0.0;
    st->t_area = st->t_open = st->k.now;
    st->peak = st->containers;
    for (unsigned j = 0; j < st->nr; j++) {
        st->area_res[j] = 0.0;
        st->peak_res[j] = st->used_all[j];
    }
    st->area_open = true;
}

static void dispatch_event(struct state *st, const struct mmc_event *ev, bool record)
{
    switch (ev->kind) {
    case MMC_EV_ARRIVE:
        on_arrive(st, record);
        break;
    case MMC_EV_DEPART:
        on_decided(st, ev->arg);
        break;
    case MMC_EV_RELEASE:
        on_release(st, ev->arg);
        break;
    case MMC_EV_BACKOFF:
        on_backoff(st, ev->arg);
        break;
    case MMC_EV_ARRIVE_BATCH:
        mmc_kernel_snap_arrival(&st->k, st->k.batch_j);
        on_arrive(st, record);
        break;
    default: /* MMC_EV_ARRIVE_FIRST_MEASURED (protection and staffing are refused) */
        open_window(st);
        on_arrive(st, record);
        break;
    }
}

static void loop_with(struct state *st, bool record, bool guard)
{
    struct mmc_kernel *k = &st->k;
    uint64_t n_events = 0;
    struct mmc_event ev;
    (void)guard; /* protection, staffing and traced services are refused with model place */
    /* containers outlive the requests: the run ends at the last commit, unless a request is
       still parked (it waits for an end) */
    while (k->arrival_pending || k->open || waiting(st) + st->n_busy > 0) {
        if (!mmc_kernel_next_event(k, &ev))
            break;
        mmc_kernel_advance(k, ev.t, (double)waiting(st), (double)st->n_busy);
        dispatch_event(st, &ev, record);
        n_events++;
        if (mmc_kernel_cancelled(k, n_events))
            break;
    }
    k->out->n_events = n_events;
}

/* Coefficient of variation (population) of n[0 .. m-1]; NaN when all are 0. */
static double counts_cv(const uint64_t *v, size_t m, double *lo, double *hi)
{
    double sum = 0.0, sum2 = 0.0;
    *lo = INFINITY;
    *hi = 0.0;
    for (size_t i = 0; i < m; i++) {
        sum += (double)v[i];
        *lo = fmin(*lo, (double)v[i]);
        *hi = fmax(*hi, (double)v[i]);
    }
    if (sum == 0.0)
        return NAN;
    double mean = sum / (double)m;
    for (size_t i = 0; i < m; i++)
        sum2 += ((double)v[i] - mean) * ((double)v[i] - mean);
    return sqrt(sum2 / (double)m) / mean;
}

/* The record's place figures, at the run's end. */
static void finish_place(struct state *st)
{
    struct mmc_run *out = st->k.out;
    const struct mmc_place *pl = st->pl;
    out->placed_cv = counts_cv(st->placed, st->n, &out->placed_min, &out->placed_max);
    if (st->area_open) {
        note_containers(st);
        st->t_close = st->k.now;
    }
    double span = st->t_close - st->t_open, total[MMC_PLACE_RESOURCES] = {0};
    for (size_t i = 0; i < pl->n_pools; i++) {
        double count = pl->pools ? (double)pl->pool[i].count : (double)st->n;
        for (size_t r = 0; r < MMC_PLACE_RESOURCES; r++)
            total[r] += count * pl->pool[i].cap[r];
    }
    for (size_t r = 0; r < MMC_PLACE_RESOURCES; r++) {
        double per = total[r] > 0.0 ? pl->request[r] / total[r] : NAN;
        out->res_util[r] = span > 0.0 ? st->area / span * per : NAN;
        out->res_peak[r] = (double)st->peak * per;
    }
    for (unsigned j = 0; st->vary && j < st->nr; j++) { /* of the capacity rounded down */
        double all = (double)st->cap_all[j], util = span > 0.0 ? st->area_res[j] / span / all : NAN;
        out->res_util[st->res[j]] = total[st->res[j]] > 0.0 ? util : NAN;
        out->res_peak[st->res[j]] = total[st->res[j]] > 0.0 ? (double)st->peak_res[j] / all : NAN;
    }
}

/* The chooser's index over the empty cluster. The tree starts with every leaf as worker 0's,
 * so only workers unlike it cost a change (none in a cluster of one kind). */
static void index_init(struct state *st)
{
    const struct mmc_place *pl = st->pl;
    st->by = pl->policy == MMC_PLACE_HASH ? pl->fallback : pl->policy;
    if (st->vary) {
        if (st->by == MMC_PLACE_RANDOM || st->by == MMC_PLACE_POWER_OF_TWO)
            return;
        double room0[MMC_FIT_MAX_RES];
        for (unsigned j = 0; j < st->nr; j++)
            room0[j] = (double)st->cap[j];
        mmc_fit_init(&st->tree, st->n, st->nr, room0, 0.0);
        for (uint32_t w = 1; w < st->n; w++)
            if (memcmp(st->cap + (size_t)w * st->nr, st->cap, st->nr * sizeof *st->cap) != 0)
                reindex(st, w);
        return;
    }
    if (st->by == MMC_PLACE_RANDOM || st->by == MMC_PLACE_POWER_OF_TWO) {
        st->fit = mmc_xmalloc(st->n, sizeof *st->fit);
        st->fit_pos = mmc_xmalloc(st->n, sizeof *st->fit_pos);
        for (uint32_t w = 0; w < st->n; w++) {
            st->fit_pos[w] = fits(st, w) ? st->n_fit : NONE;
            if (fits(st, w))
                st->fit[st->n_fit++] = w;
        }
        return;
    }
    double free0 = (double)st->slots[0], key0 = tree_key(st, 0);
    mmc_fit_init(&st->tree, st->n, 1, &free0, key0);
    for (uint32_t w = 1; w < st->n; w++) {
        double key = tree_key(st, w);
        if (st->slots[w] != st->slots[0] || key != key0)
            reindex(st, w);
    }
}

/* Sizes that vary: the resources requested, the workers' capacities and the demands in
 * thousandths, the demand stream. */
static void vary_init(struct state *st, const struct mmc_point *p, uint64_t rep)
{
    const struct mmc_place *pl = st->pl;
    for (unsigned r = 0; r < MMC_PLACE_RESOURCES; r++)
        if (pl->request[r] > 0.0)
            st->res[st->nr++] = r;
    st->cap = mmc_xmalloc((size_t)st->n * st->nr, sizeof *st->cap);
    st->used = mmc_xcalloc((size_t)st->n * st->nr, sizeof *st->used);
    uint32_t w = 0;
    for (size_t i = 0; i < pl->n_pools; i++) {
        unsigned long count = pl->pools ? pl->pool[i].count : st->n;
        for (unsigned j = 0; j < st->nr; j++)
            st->pool_cap[i][j] = milli_down(pl->pool[i].cap[st->res[j]]);
        for (unsigned long c = 0; c < count; c++, w++)
            for (unsigned j = 0; j < st->nr; j++) {
                st->cap[(size_t)w * st->nr + j] = st->pool_cap[i][j];
                st->cap_all[j] += st->pool_cap[i][j];
            }
    }
    double cum = 0.0;
    for (size_t i = 0; i < pl->n_sizes; i++) {
        cum += pl->size[i].share;
        st->size_cum[i] = cum;
        for (unsigned j = 0; j < st->nr; j++)
            st->size_need[i][j] = milli_up(pl->size[i].req[st->res[j]]);
    }
    for (unsigned j = 0; j < st->nr; j++)
        st->fixed_need[j] = milli_up(pl->request[st->res[j]]);
    st->r_demand = mmc_rng_create(p->rng_type, p->seed, rep, MMC_STREAM_DEMAND);
}

static void state_init(struct state *st, const struct mmc_point *p, uint64_t rep)
{
    const struct mmc_place *pl = p->place;
    uint32_t n = (uint32_t)p->place_workers, k = (uint32_t)p->c;
    *st = (struct state){.k = st->k, .pl = pl, .n = n, .vary = pl->varying};
    st->instant = pl->decision_mean == 0.0;
    st->locked = pl->concurrency == MMC_PLACE_LOCKED;
    st->slots = mmc_xmalloc(n, sizeof *st->slots);
    st->frac = mmc_xmalloc(n, sizeof *st->frac);
    st->held = mmc_xcalloc(n, sizeof *st->held);
    st->version = mmc_xcalloc(n, sizeof *st->version);
    st->placed = mmc_xcalloc(n, sizeof *st->placed);
    st->locker = mmc_xmalloc(n, sizeof *st->locker);
    st->wq_head = mmc_xmalloc(n, sizeof *st->wq_head);
    st->wq_tail = mmc_xmalloc(n, sizeof *st->wq_tail);
    uint32_t w = 0;
    for (size_t i = 0; i < pl->n_pools; i++) {
        const double *cap = pl->pool[i].cap;
        unsigned long count = pl->pools ? pl->pool[i].count : n;
        unsigned long slots = mmc_place_slots(cap, pl->request);
        double frac = 0.0;
        for (size_t r = 0; r < MMC_PLACE_RESOURCES; r++)
            if (pl->request[r] > 0.0)
                frac = fmax(frac, pl->request[r] / cap[r]); /* a missing resource: 0 slots */
        for (unsigned long j = 0; j < count; j++, w++) {
            st->slots[w] = (uint32_t)(slots < UINT32_MAX ? slots : UINT32_MAX - 1);
            st->frac[w] = frac;
            st->locker[w] = st->wq_head[w] = st->wq_tail[w] = NONE;
        }
    }
    assert(w == n);
    if (st->vary)
        vary_init(st, p, rep);
    index_init(st);
    st->th = mmc_xcalloc(k, sizeof *st->th);
    st->idle = mmc_xmalloc(k, sizeof *st->idle);
    for (uint32_t t = k; t-- > 0;) /* thread 0 on top */
        st->idle[st->n_idle++] = t;
    st->r_place = mmc_rng_create(p->rng_type, p->seed, rep, MMC_STREAM_PLACE);
    st->r_key = mmc_rng_create(p->rng_type, p->seed, rep, MMC_STREAM_PLACE_KEY);
    st->r_life = mmc_rng_create(p->rng_type, p->seed, rep, MMC_STREAM_LIFETIME);
    st->r_backoff = mmc_rng_create(p->rng_type, p->seed, rep, MMC_STREAM_BACKOFF);
}

static void state_fini(struct state *st)
{
    free(st->slots);
    free(st->frac);
    free(st->held);
    free(st->version);
    free(st->placed);
    free(st->locker);
    free(st->wq_head);
    free(st->wq_tail);
    free(st->th);
    free(st->idle);
    free(st->pending.v);
    free(st->parked.v);
    free(st->slab);
    free(st->slab_free);
    mmc_fit_fini(&st->tree);
    free(st->fit);
    free(st->fit_pos);
    gsl_rng_free(st->r_place);
    gsl_rng_free(st->r_key);
    gsl_rng_free(st->r_life);
    gsl_rng_free(st->r_backoff);
    free(st->cap);
    free(st->used);
    free(st->box);
    free(st->box_free);
    if (st->r_demand != NULL)
        gsl_rng_free(st->r_demand);
}

static void place_run(const struct mmc_point *p, uint64_t replication, struct mmc_run *out,
                      struct mmc_run_hist *hist, struct mmc_mser *series)
{
    struct state st;
    mmc_kernel_init(&st.k, p, replication, out, hist, series, p->c + 64);
    state_init(&st, p, replication);
    mmc_kernel_first_submission(&st.k);
    mmc_kernel_generate(&st.k);
    MMC_LOOP_SPECIALISED(loop_with, &st, st.k.series != NULL, false);
    if (!out->cut_short) {
        mmc_kernel_finish(&st.k, waiting(&st), st.n_busy);
        finish_place(&st);
    }
    state_fini(&st);
    mmc_kernel_fini(&st.k);
}

/*
 * Closed forms (Poisson arrivals only).
 *
 * Instantaneous decisions (mean 0) with on_full: reject: no request ever
 * waits or holds a thread, and the cluster is a loss system with
 * p->place_slots servers (identical requests: a worker fits one more while
 * it holds fewer than its slots, and every policy places whenever any
 * worker fits). So P(block) = Erlang B(slots, lambda E[lifetime]), insensitive
 * to the lifetime's law (Sevastyanov 1957); the latency figures are 0 and
 * the throughput lambda (1 - B): all exact. Not offered when sizes vary (no
 * slots; a mix whose sizes ask alike of the binding resource still blocks
 * as Erlang B over its count, which the tests check) nor for lifetimes of
 * forever (no steady state: the cluster fills).
 *
 * Exponential decisions on one thread, or locked threads: the threads'
 * queue is M/M/k (model mmc's form on the point) as long as no request
 * conflicts (one thread conflicts with a container that ends on its worker
 * during the decision), parks (a full cluster) or waits for a lock
 * (locked, two threads choosing one worker): labelled approximate.
 */
/* Given one thread busy in an M/M/k queue of offered load a < k, the mean number of the
 * others busy: E[B (B - 1)] / E[B], B = min(N, k) the busy threads (E[B] = a). */
static double others_busy(double a, unsigned long k)
{
    if (k == 1)
        return 0.0;
    /* terms a^n / n! for n <= k, rescaled when they grow; beyond k a geometric tail */
    double t = 1.0, sum = 1.0, pairs = 0.0;
    for (unsigned long n = 1; n <= k; n++) {
        t *= a / (double)n;
        sum += t;
        pairs += (double)n * (double)(n - 1) * t;
        if (sum > 1e250) {
            t *= 1e-250;
            sum *= 1e-250;
            pairs *= 1e-250;
        }
    }
    double rho = a / (double)k, tail = t * rho / (1.0 - rho); /* P(N > k) x the scale */
    double kk = (double)k;
    return (pairs + kk * (kk - 1.0) * tail) / (sum + tail) / a;
}

/*
 * Conflicts per offered request, by a mean field (an approximation, never exact). A commit
 * conflicts when its worker changed during the decision: another thread's commit there, or a
 * container's end. With the worker chosen uniformly (hash keys or random, the cluster with
 * room), take those changes at one worker as Poisson at rate theta = (lambda_o + lambda_r) / N:
 * lambda_r, the containers' ends, equals the placements in steady state, lambda (1 - q^(R+1));
 * lambda_o, the other threads' commits while this one decides, is (1 - q) / E[D] for each
 * other thread busy, their mean number given this one busy taken from M/M/k at the attempts'
 * load a = lambda E[D] (1 - q^(R+1)) / (1 - q) (0 with one thread; about lambda at light load,
 * k - 1 threads' worth when all are busy). An attempt then conflicts with probability q = 1 -
 * E[exp(-theta D)] (1 / (1 + theta E[D]) for exponential decisions, exp(-theta E[D]) for fixed
 * ones), solved by iteration, and a request makes (1 - q^(R+1)) / (1 - q) attempts of which q
 * times that conflict (R = max_retries). Offered for a steady state with Poisson arrivals,
 * optimistic commits and those decision laws, while a < k and a worker is rarely full (below;
 * for sizes that vary, the gate takes the slots of the mean demand); never with lifetimes of
 * forever (lambda_r would be 0, but the cluster fills: no steady state); *attempts gets the
 * attempts per
 * request. Locked commits and instantaneous decisions never conflict (0, exactly). Returns
 * false when none is offered.
 */
static bool conflicts_form(const struct mmc_point *p, bool poisson, double *conflicts,
                           double *attempts)
{
    const struct mmc_place *pl = p->place;
    *attempts = 1.0;
    if (pl->concurrency == MMC_PLACE_LOCKED || pl->decision_mean == 0.0) {
        *conflicts = 0.0;
        return true;
    }
    bool uniform = pl->policy == MMC_PLACE_HASH || pl->policy == MMC_PLACE_RANDOM;
    enum mmc_dist_kind d = p->service->kind;
    if (!poisson || !mmc_point_steady(p) || !uniform || pl->forever ||
        (d != MMC_DIST_EXPONENTIAL && d != MMC_DIST_DETERMINISTIC))
        return false;
    /* the choice stays uniform only while a worker is rarely full: a full one sends hash to its
       fallback (least_loaded: every thread to the same worker). Per worker, by Erlang B at its
       share of the load, the smallest worker full at most 1 % of the time */
    unsigned long fewest = ULONG_MAX;
    for (size_t i = 0; i < pl->n_pools; i++) {
        unsigned long m = mmc_place_slots(pl->pool[i].cap, pl->request);
        fewest = m < fewest ? m : fewest;
    }
    double share = p->lambda * p->place_lifetime / (double)p->place_workers;
    if (!(mmc_erlang_b(fewest, share) <= 0.01))
        return false;
    double lambda = p->lambda, mean = pl->decision_mean, k = (double)p->c;
    double n = (double)p->place_workers, tries = (double)pl->max_retries + 1.0;
    double q = 0.0, per = 1.0;
    for (int i = 0; i < 1000; i++) {
        per = (1.0 - pow(q, tries)) / (1.0 - q); /* attempts per request */
        double a = lambda * mean * per;
        if (!(a < k))
            return false; /* the threads are overloaded: no steady state to approximate */
        double others = others_busy(a, p->c) * (1.0 - q) / mean;
        double x = (others + lambda * (1.0 - pow(q, tries))) / n * mean;
        double next = d == MMC_DIST_EXPONENTIAL ? x / (1.0 + x) : -expm1(-x);
        bool done = fabs(next - q) <= 1e-14;
        q = next;
        if (done)
            break;
    }
    *attempts = (1.0 - pow(q, tries)) / (1.0 - q);
    *conflicts = q * *attempts;
    return lambda * mean * *attempts < k;
}

/* Erlang B over the slots (instantaneous decisions, on_full: reject): exact. */
static int erlang_b_form(const struct mmc_point *p, struct mmc_analytic *out)
{
    double b = mmc_erlang_b((unsigned long)p->place_slots, p->lambda * p->place_lifetime);
    mmc_form_base(out, true, 0.0, p->lambda * (1.0 - b), "Erlang B (slots)");
    out->p_block = b;
    out->lq = out->l = out->wq = out->w = out->p_wait = 0.0;
    out->t = mmc_point_transit(p);
    return 0;
}

/*
 * The closed forms of a point of model place: Erlang B over the slots (exact); the threads as
 * M/M/k (exponential decisions, one thread or locked commits), a request's service all its
 * attempts' decisions (a geometric number of exponential ones: exponential, of mean E[D] x
 * the attempts per request) when the conflicts are approximated, approximate everywhere, its
 * rates included (lock waits, conflicts and parking are not in it); the conflicts'
 * mean field where offered, alone if nothing else is.
 */
static int place_closed_form(const struct mmc_point *p, struct mmc_analytic *out)
{
    const struct mmc_place *pl = p->place;
    const struct mmc_process *pr = p->process;
    bool poisson = pr->kind == MMC_PROCESS_RENEWAL && !pr->batched &&
                   p->arrival->kind == MMC_DIST_EXPONENTIAL && p->n_intervals == 0;
    double conflicts = 0.0, attempts = 1.0;
    bool has_conflicts = conflicts_form(p, poisson, &conflicts, &attempts);
    int r = -1;
    if (poisson && pl->decision_mean == 0.0 && pl->on_full == MMC_PLACE_REJECT && !pl->varying &&
        !pl->forever) {
        r = erlang_b_form(p, out);
    } else if (poisson && pl->decision_mean > 0.0 && p->service->kind == MMC_DIST_EXPONENTIAL &&
               (p->c == 1 || pl->concurrency == MMC_PLACE_LOCKED)) {
        struct mmc_point q = *p;
        q.mu = 1.0 / (pl->decision_mean * attempts);
        q.load = q.lambda / ((double)q.c * q.mu);
        r = mmc_model_mmc.closed_form(&q, out);
        out->approx = out->approx_rates = true;
    }
    if (!has_conflicts)
        return r;
    if (r != 0) { /* the conflicts alone */
        mmc_form_base(out, true, NAN, NAN, "mean-field conflicts");
        out->util = NAN;
    }
    out->has_conflicts = true;
    out->conflicts = conflicts;
    return 0;
}

const struct mmc_model mmc_model_place = {
    .name = "place",
    .title = "container scheduler: k threads place requests on workers with cpu, memory, gpu",
    .work_conserving = false,
    .run = place_run,
    .closed_form = place_closed_form,
};
