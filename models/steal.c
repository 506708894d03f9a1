/*
 * steal.c - work stealing (Blumofe and Leiserson, J. ACM 46, 1999): every
 * worker owns a deque. An arriving task joins the deque of a worker chosen
 * by steal.arrive (random, or round robin); the owner takes from its own
 * deque in steal.order (lifo: the newest, as work-stealing runtimes do;
 * fifo: the oldest). A worker whose deque is empty steals: it picks a
 * victim by steal.victim (random: a uniform other worker; most_loaded: the
 * one with the most tasks in its deque, ties to the lowest index) and takes
 * from the other end, the oldest: one task, or with steal.amount: half the
 * ceil(n / 2) oldest into its own deque, of which it runs one in its order.
 * An attempt costs steal.cost seconds; one that finds the victim's deque
 * empty fails and the thief tries again after another cost. Between
 * attempts a thief checks its own deque first. victim: none, or a single
 * worker, means no stealing: c independent queues.
 *
 * The discipline only; the calendar, arrivals and measurement are the
 * kernel's (sim/kernel.h). One event of its own: a thief's attempt ends
 * (MMC_EV_ATTEMPT).
 *
 * Idle workers. With cost 0 an attempt ends when it starts: a thief takes
 * a task at once if any deque holds one, else it fails once and parks (the
 * parked stack, the one parked last on top) instead of spinning; an
 * arriving task then goes to its worker, and if that worker is busy the top
 * parked thief takes it at once (a steal). So with cost 0 no task waits
 * while a worker idles (parked workers imply empty deques): the pool is
 * work-conserving. With random victims a failed attempt retries at once,
 * so it ends at a uniform one of the m non-empty deques after a geometric
 * number of failures (success probability m / (c - 1) each): that number is
 * drawn, not simulated, and the victim drawn among the m (kept in a set).
 * With cost > 0 a thief's attempts end every cost seconds. While every
 * deque is empty they all fail: such a thief parks with the epoch its
 * attempts count from, and when a task joins a deque every parked thief's
 * next attempt is scheduled at its first epoch after that instant; the
 * epochs in between are counted as failed attempts, arithmetically (as
 * model pull's empty polls: the same sample path, at most one event per
 * parked worker per arrival). An epoch on the arrival's instant counts as
 * before it. At the window's opening and the run's end the parked thieves'
 * epochs are settled the same way, so failed attempts are counted exactly.
 *
 * Counting. Waiting: the tasks in deques (and, guarded, those held for a
 * token). Busy: the workers serving. A thief between attempts is idle, so
 * with cost > 0 a task may wait beside it: the model is not
 * work-conserving by design (work_violations counts how often, as
 * information; with cost 0 it stays 0). Steals and failed attempts are
 * counted from the window's opening to the run's end; tasks served by the
 * worker whose deque they joined ("first worker"), over the measured tasks.
 *
 * Streams: the arrival and service streams are read as model mmc reads
 * them (a service time is drawn when its service starts); routing (random
 * arrival) and victims draw from streams of their own (MMC_STREAM_ROUTE,
 * MMC_STREAM_VICTIM). Selection: random in O(1), most_loaded in O(log c)
 * per change of a deque's length (a tournament tree, sim/argmin.h).
 *
 * Protection: capacity K counts the tasks in deques and in service; a
 * throttle is the kernel's; shedding acts at the chosen worker's deque (a
 * task about to join a deque that holds shed_threshold tasks is shed, or
 * that deque's oldest). Patience and staffing are refused by the scenario
 * (a waiting task may move between deques).
 *
 * Priority classes have a path of their own (below: a deque per priority
 * level at every worker), so the class-free loop is unchanged.
 */
#include "argmin.h"
#include "class_forms.h"
#include "classes.h"
#include "deque.h"
#include "forms.h"
#include "kernel.h"
#include "models.h"
#include "rng.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

enum { MMC_EV_ATTEMPT = MMC_EV_MODEL }; /* a thief's attempt ends; arg: the thief */

enum { SERVING, PARKED, TRYING }; /* a worker's state; TRYING: an attempt event is pending */

struct worker {
    struct mmc_deque dq; /* its tasks: queue arrivals, their first worker (and services) */
    unsigned char state; /* SERVING, PARKED or TRYING */
};

struct state {
    struct mmc_kernel k;
    struct worker *wk;
    uint32_t *parked; /* idle workers with nothing to take: owners waiting for their own tasks
                         (no stealing), thieves waiting for a task (cost 0), thieves whose
                         attempts find every deque empty (cost > 0); the last parked on top */
    uint32_t *where;  /* per parked worker: its index in parked */
    size_t n_parked;
    double *t_park;         /* cost > 0: per parked thief, the epoch its next attempts count from */
    struct mmc_argmin tree; /* most_loaded: minus each deque's length */
    uint32_t *ne;           /* cost 0, random victims: the workers whose deque holds tasks */
    uint32_t *ne_at;        /* and each one's index in ne */
    size_t n_ne;
    gsl_rng *r_route, *r_victim;
    double cost;
    bool stealing; /* victims exist: steal.victim is not none and c >= 2 */
    bool instant;  /* an idle owner takes its own arrival at once (cost 0, or no stealing) */
    bool most_loaded;
    bool track_ne; /* cost 0 and random victims */
    bool lifo, half, round_robin;
    uint32_t rr;              /* round robin: the next worker */
    uint64_t n_waiting;       /* tasks in deques */
    uint64_t n_busy;          /* workers serving */
    uint64_t n_failed_before; /* failed attempts before the window, counted after it opened */
};

/* Tasks waiting: in deques, and (guarded) held for a token. */
MMC_HOT uint64_t waiting(const struct state *st, bool guard)
{
    return st->n_waiting + (guard ? st->k.held.n : 0);
}

/* Worker w's deque went from `before` tasks to its length now: the victims' indexes follow. */
MMC_HOT void resized(struct state *st, uint32_t w, size_t before)
{
    size_t n = st->wk[w].dq.n;
    if (st->most_loaded) {
        mmc_argmin_set(&st->tree, w, -(double)n);
    } else if (st->track_ne && (before == 0) != (n == 0)) {
        if (n > 0) {
            st->ne_at[w] = (uint32_t)st->n_ne;
            st->ne[st->n_ne++] = w;
        } else {
            uint32_t last = st->ne[--st->n_ne];
            st->ne[st->ne_at[w]] = last;
            st->ne_at[last] = st->ne_at[w];
        }
    }
}

/* A task (queue arrival t_qa, service u, first worker o) joins the back of w's deque. */
MMC_HOT void enqueue(struct state *st, uint32_t w, double t_qa, double u, uint32_t o)
{
    struct mmc_deque *d = &st->wk[w].dq;
    mmc_deque_push(d, t_qa, u, o);
    st->n_waiting++;
    resized(st, w, d->n - 1);
}

/* The task w takes from its own (non-empty) deque, in its order. */
MMC_HOT double take_own(struct state *st, uint32_t w, double *u, uint32_t *o)
{
    struct mmc_deque *d = &st->wk[w].dq;
    double t = st->lifo ? mmc_deque_pop_back(d, u, o) : mmc_deque_pop_front(d, u, o);
    st->n_waiting--;
    resized(st, w, d->n + 1);
    return t;
}

/* Worker w starts the task (queue arrival t_qa, service u or NaN for a draw, first worker o).
 * Deques interleave: served out of arrival order. */
MMC_HOT void serve(struct state *st, uint32_t w, double t_qa, double u, uint32_t o, bool record)
{
    struct mmc_kernel *k = &st->k;
    st->wk[w].state = SERVING;
    st->n_busy++;
    k->out->n_first_worker += o == w && t_qa >= k->t_measure_from;
    mmc_kernel_serve_unordered(k, t_qa, u, w, record);
}

MMC_HOT void park(struct state *st, uint32_t w)
{
    st->wk[w].state = PARKED;
    st->where[w] = (uint32_t)st->n_parked;
    st->parked[st->n_parked++] = w;
    if (!st->instant)
        st->t_park[w] = st->k.now;
}

/* Parked worker w leaves the stack (the top one takes its place). */
MMC_HOT void unpark(struct state *st, uint32_t w)
{
    uint32_t i = st->where[w], last = st->parked[--st->n_parked];
    st->parked[i] = last;
    st->where[last] = i;
}

/* n more failed attempts (a whole number >= 0, counted arithmetically): the count saturates
 * rather than wrap (a cost of 1e-300 s makes counts beyond 2^64). */
static void add_failed(struct state *st, double n)
{
    uint64_t *f = &st->k.out->n_steal_failed;
    double room = (double)(UINT64_MAX - *f);
    *f = n < room ? *f + (uint64_t)n : UINT64_MAX;
}

/* Cost 0, random victims, m of the c - 1 others non-empty: the attempts that fail before one
 * succeeds, a geometric number (each succeeds with probability m / (c - 1)). */
static void failures_before_success(struct state *st, size_t m)
{
    double q = (double)m / (double)(st->k.p->c - 1);
    double u = 1.0 - gsl_rng_uniform(st->r_victim); /* in (0, 1] */
    add_failed(st, floor(log(u) / log1p(-q)));
}

/* The victim of thief w (whose deque is empty), or UINT32_MAX when its attempt finds nothing. */
MMC_HOT uint32_t victim(struct state *st, uint32_t w)
{
    size_t c = st->k.p->c;
    if (st->most_loaded) {
        uint32_t v = mmc_argmin_min(&st->tree);
        return st->wk[v].dq.n > 0 ? v : UINT32_MAX;
    }
    if (st->track_ne) {
        size_t m = st->n_ne;
        if (m == 0)
            return UINT32_MAX;
        if (m < c - 1)
            failures_before_success(st, m);
        return st->ne[mmc_rng_index(st->r_victim, m)];
    }
    uint32_t v = (uint32_t)mmc_rng_index(st->r_victim, c - 1);
    v += v >= w; /* a uniform other worker */
    return st->wk[v].dq.n > 0 ? v : UINT32_MAX;
}

/* Thief w takes from v's deque (not empty) and starts a task. */
MMC_HOT void steal_from(struct state *st, uint32_t w, uint32_t v, bool record)
{
    struct mmc_deque *dv = &st->wk[v].dq;
    double u, t;
    uint32_t o;
    st->k.out->n_steals++;
    if (!st->half) {
        t = mmc_deque_pop_front(dv, &u, &o);
        st->n_waiting--;
        resized(st, v, dv->n + 1);
    } else {
        size_t before = dv->n;
        mmc_deque_move_front(&st->wk[w].dq, dv, (before + 1) / 2);
        resized(st, v, before);
        resized(st, w, 0);
        t = take_own(st, w, &u, &o);
    }
    serve(st, w, t, u, o, record);
}

/* Thief w (cost > 0) starts an attempt: it ends cost from now. */
MMC_HOT void begin_attempt(struct state *st, uint32_t w)
{
    st->wk[w].state = TRYING;
    mmc_heap_push(&st->k.heap, st->k.now + st->cost, MMC_EV_ATTEMPT, w);
}

/* Worker w is free (its task done, or at time 0): its own deque first, else it steals. With
 * cost > 0 and every deque empty it parks at once, its first attempt's epoch a cost away. */
MMC_HOT void next_task(struct state *st, uint32_t w, bool record)
{
    if (st->wk[w].dq.n > 0) {
        double u, t;
        uint32_t o;
        t = take_own(st, w, &u, &o);
        serve(st, w, t, u, o, record);
        return;
    }
    if (!st->stealing) {
        park(st, w);
    } else if (st->cost == 0.0) {
        uint32_t v = victim(st, w);
        if (v != UINT32_MAX) {
            steal_from(st, w, v, record);
            return;
        }
        st->k.out->n_steal_failed++;
        park(st, w);
    } else if (st->n_waiting == 0) {
        park(st, w);
    } else {
        begin_attempt(st, w);
    }
}

/* Cost > 0: thief w's attempt ends now: its own deque first, then the victim's. */
MMC_HOT void on_attempt(struct state *st, uint32_t w, bool record)
{
    if (st->wk[w].dq.n > 0) {
        next_task(st, w, record);
        return;
    }
    uint32_t v = victim(st, w);
    if (v != UINT32_MAX) {
        steal_from(st, w, v, record);
        return;
    }
    st->k.out->n_steal_failed++;
    if (st->n_waiting == 0)
        park(st, w);
    else
        begin_attempt(st, w);
}

/* Cost > 0: parked thief w's attempts since its epoch t_park that end at or before now (they
 * all found every deque empty); a whole number >= 0. */
static double epochs_since(const struct state *st, uint32_t w)
{
    return floor((st->k.now - st->t_park[w]) / st->cost);
}

/* Cost > 0: a task joined a deque while thieves were parked: each attempts again at its first
 * epoch after now (the one parked last first, so equal epochs go in that order), the epochs
 * in between counted as failed attempts. */
static void wake(struct state *st)
{
    struct mmc_kernel *k = &st->k;
    for (size_t i = st->n_parked; i-- > 0;) {
        uint32_t w = st->parked[i];
        double n = epochs_since(st, w), next = st->t_park[w] + (n + 1.0) * st->cost;
        add_failed(st, n);
        st->wk[w].state = TRYING;
        /* rounding may put an epoch of now an ulp before it */
        mmc_heap_push(&k->heap, next > k->now ? next : k->now, MMC_EV_ATTEMPT, w);
    }
    st->n_parked = 0;
}

/* Guarded: a task about to join a's deque meets shedding there; false when it was shed. */
static bool shed_at(struct state *st, uint32_t a, double t_qa)
{
    struct mmc_kernel *k = &st->k;
    struct mmc_deque *d = &st->wk[a].dq;
    if (d->n < k->shed_threshold)
        return true;
    if (k->p->protect->drop == MMC_DROP_NEWEST || d->n == 0) {
        mmc_kernel_reject(k, t_qa, &k->out->n_shed);
        return false;
    }
    double u;
    uint32_t o;
    double t_oldest = mmc_deque_pop_front(d, &u, &o);
    st->n_waiting--;
    resized(st, a, d->n + 1);
    mmc_kernel_lose(k, t_oldest, &k->out->n_shed);
    return true;
}

/* A task (queue arrival t_qa, service u) arrives for worker a: an idle owner takes it (cost 0,
 * or no stealing), else a parked thief does (cost 0), else it joins a's deque. */
MMC_HOT void place(struct state *st, uint32_t a, double t_qa, double u, bool record, bool guard)
{
    struct mmc_kernel *k = &st->k;
    if (st->instant && st->wk[a].state == PARKED) {
        unpark(st, a);
        serve(st, a, t_qa, u, a, record);
    } else if (st->stealing && st->instant && st->n_parked > 0) {
        uint32_t w = st->parked[--st->n_parked];
        k->out->n_steals++;
        serve(st, w, t_qa, u, a, record);
    } else {
        if (guard && !shed_at(st, a, t_qa))
            return;
        enqueue(st, a, t_qa, u, a);
        if (!st->instant && st->n_parked > 0)
            wake(st);
    }
    mmc_kernel_note_peaks(k, waiting(st, guard), st->n_busy);
}

/* The worker an arriving task is given to. */
MMC_HOT uint32_t route(struct state *st)
{
    if (st->round_robin) {
        uint32_t a = st->rr;
        st->rr = a + 1 == st->k.p->c ? 0 : a + 1;
        return a;
    }
    return (uint32_t)mmc_rng_index(st->r_route, st->k.p->c);
}

/* Guarded: a task past the token bucket meets the capacity K (deques and service). */
static void admit(struct state *st, double t_qa, double u, bool record)
{
    struct mmc_kernel *k = &st->k;
    if (st->n_waiting + st->n_busy >= k->capacity) {
        mmc_kernel_reject(k, t_qa, &k->out->n_blocked);
        return;
    }
    place(st, route(st), t_qa, u, record, true);
}

MMC_HOT void on_arrive(struct state *st, bool record, bool guard)
{
    struct mmc_kernel *k = &st->k;
    if (!guard) {
        k->out->n_arrived++;
        place(st, route(st), k->now, NAN, record, false);
    } else {
        double u;
        enum mmc_gate g = mmc_kernel_arrive_guarded(k, &u);
        if (g == MMC_GATE_ADMIT)
            admit(st, k->now, u, record);
        else if (g == MMC_GATE_HELD)
            mmc_kernel_note_peaks(k, waiting(st, true), st->n_busy);
    }
    mmc_kernel_generate(k);
}

MMC_HOT void on_depart(struct state *st, uint32_t w, bool record)
{
    mmc_kernel_depart(&st->k);
    st->n_busy--;
    next_task(st, w, record);
}

/* The window opens: steals and failed attempts count from now (the parked thieves' epochs up to
 * now are set aside, to be taken off when they are counted). */
static void open_window(struct state *st, bool guard)
{
    struct mmc_kernel *k = &st->k;
    mmc_kernel_open_window(k, waiting(st, guard), st->n_busy);
    k->out->n_steals = k->out->n_steal_failed = 0;
    st->n_failed_before = 0;
    if (!st->instant) { /* counted in n_steal_failed first, then moved here */
        for (size_t i = 0; i < st->n_parked; i++)
            add_failed(st, epochs_since(st, st->parked[i]));
        st->n_failed_before = k->out->n_steal_failed;
        k->out->n_steal_failed = 0;
    }
}

MMC_HOT void dispatch_event(struct state *st, const struct mmc_event *ev, bool record, bool guard)
{
    switch (ev->kind) {
    case MMC_EV_ARRIVE:
        on_arrive(st, record, guard);
        break;
    case MMC_EV_DEPART:
        on_depart(st, ev->arg, record);
        break;
    case MMC_EV_ATTEMPT:
        on_attempt(st, ev->arg, record);
        break;
    case MMC_EV_ADMIT: { /* a held task gets its token */
        double u, t_qa = mmc_fifo_pop_task(&st->k.held, &u);
        admit(st, t_qa, u, record);
        break;
    }
    case MMC_EV_ARRIVE_BATCH:
        mmc_kernel_snap_arrival(&st->k, st->k.batch_j);
        on_arrive(st, record, guard);
        break;
    default: /* MMC_EV_ARRIVE_FIRST_MEASURED (patience and staffing are refused) */
        open_window(st, guard);
        on_arrive(st, record, guard);
        break;
    }
}

MMC_HOT void loop_with(struct state *st, bool record, bool guard)
{
    struct mmc_kernel *k = &st->k;
    const uint64_t c = k->p->c;
    uint64_t n_events = 0, idle_beside_waiting = 0;
    struct mmc_event ev;
    /* once the workload is done and gone, what is left (thieves' attempts) changes nothing: the
       run ends at its last completion */
    while (k->arrival_pending || k->open || waiting(st, guard) + st->n_busy > 0) {
        if (!mmc_kernel_next_event(k, &ev))
            break;
        mmc_kernel_advance(k, ev.t, (double)waiting(st, guard), (double)st->n_busy);
        dispatch_event(st, &ev, record, guard);
        n_events++;
        idle_beside_waiting += st->n_waiting > 0 && st->n_busy < c;
        if (mmc_kernel_cancelled(k, n_events))
            break;
    }
    k->out->n_events = n_events;
    k->out->work_violations = idle_beside_waiting;
}

static void loop(struct state *st)
{
    MMC_LOOP_SPECIALISED(loop_with, st, st->k.series != NULL, st->k.guard);
}

/* Time 0: a backlog of n tasks given out as arrivals are (never measured: their arrival times
 * are unknown); then the workers with tasks start, worker 0 first, and the others steal or
 * park (the last of them, worker 0, on top). */
static void start(struct state *st, uint64_t n)
{
    uint32_t c = (uint32_t)st->k.p->c;
    for (uint64_t i = 0; i < n; i++) {
        uint32_t a = route(st);
        enqueue(st, a, MMC_T_INITIAL, NAN, a); /* a draw: no trace line */
    }
    st->k.out->n_initial = st->k.out->n_arrived = n;
    for (uint32_t w = 0; w < c; w++)
        if (st->wk[w].dq.n > 0)
            next_task(st, w, false);
    for (uint32_t w = c; w-- > 0;)
        if (st->wk[w].state != SERVING)
            next_task(st, w, false);
}

static void state_init(struct state *st, const struct mmc_point *p, uint64_t rep)
{
    const struct mmc_steal *s = p->steal;
    unsigned long c = p->c;
    *st = (struct state){.k = st->k};
    st->cost = s->cost;
    st->stealing = s->victim != MMC_STEAL_VICTIM_NONE && c >= 2;
    st->instant = !st->stealing || s->cost == 0.0;
    st->most_loaded = st->stealing && s->victim == MMC_STEAL_VICTIM_MOST_LOADED;
    st->track_ne = st->stealing && s->victim == MMC_STEAL_VICTIM_RANDOM && s->cost == 0.0;
    st->lifo = s->order == MMC_STEAL_ORDER_LIFO;
    st->half = s->amount == MMC_STEAL_AMOUNT_HALF;
    st->round_robin = s->arrive == MMC_STEAL_ARRIVE_ROUND_ROBIN;
    st->wk = mmc_xcalloc(c, sizeof *st->wk);
    for (unsigned long w = 0; w < c; w++) {
        mmc_deque_init(&st->wk[w].dq, st->k.trace_svc != NULL, 8); /* grows by doubling */
        st->wk[w].state = TRYING; /* neither serving nor parked until start() */
    }
    st->parked = mmc_xmalloc(c, sizeof *st->parked);
    st->where = mmc_xmalloc(c, sizeof *st->where);
    st->t_park = st->instant ? NULL : mmc_xmalloc(c, sizeof *st->t_park);
    mmc_argmin_init(&st->tree, st->most_loaded ? c : 1, 0.0);
    if (st->track_ne) {
        st->ne = mmc_xmalloc(c, sizeof *st->ne);
        st->ne_at = mmc_xmalloc(c, sizeof *st->ne_at);
    }
    st->r_route = mmc_rng_create(p->rng_type, p->seed, rep, MMC_STREAM_ROUTE);
    st->r_victim = mmc_rng_create(p->rng_type, p->seed, rep, MMC_STREAM_VICTIM);
}

static void state_fini(struct state *st, unsigned long c)
{
    for (unsigned long w = 0; w < c; w++)
        mmc_deque_fini(&st->wk[w].dq);
    free(st->wk);
    free(st->parked);
    free(st->where);
    free(st->t_park);
    mmc_argmin_fini(&st->tree);
    free(st->ne);
    free(st->ne_at);
    gsl_rng_free(st->r_route);
    gsl_rng_free(st->r_victim);
}

/* The run's end (not cut short): the parked thieves' failed attempts up to now are counted, and
 * the epochs before the window taken off. */
static void settle_failed(struct state *st)
{
    struct mmc_run *out = st->k.out;
    if (!st->instant)
        for (size_t i = 0; i < st->n_parked; i++)
            add_failed(st, epochs_since(st, st->parked[i]));
    /* the epochs before the window, counted since (saturated counts stay saturated) */
    if (out->n_steal_failed != UINT64_MAX)
        out->n_steal_failed -= st->n_failed_before;
}

/* ---- priority classes ----
 *
 * With classes every worker's deque is split by priority: the classes of one priority form a
 * level, and a worker keeps one deque per level (the highest priority first), each entry
 * tagged with its first worker and its class (carried as u). A level is one deque: its tasks,
 * of whichever of its classes, stay in arrival order (arrivals join the back, a thief moves
 * a victim's oldest into an empty deque), so FCFS holds within a class and within a level,
 * exactly, ties included; a deque per class would need a merge by arrival to say the same.
 * The owner takes from its highest-priority level that holds a task, in its order (lifo: the
 * newest of that level, fifo: the oldest); a thief takes the oldest task of its victim's
 * highest-priority level, or with amount: half the ceil(m / 2) oldest of that level (m its
 * tasks), into the same level of its own (then empty) deques, of which it runs one in its
 * order. Victims, costs, failed attempts and parking are as without classes: they read a
 * worker's length, wk[w].dq.n, which here is the total over its levels (the struct mmc_deque
 * itself holds nothing), so most_loaded counts every class.
 *
 * One level (every class of one priority) is the class-free model task for task: the same
 * deque operations in the same order, the same victims, the same services (drawn at service
 * start from the service stream; a class's own law when it has one); the class draws come
 * from their own stream (sim/classes.h). A task's measurement is its class's at completion.
 * A start while a task of strictly higher priority waits, at any worker, is an inversion
 * (mmc_cls_note_start): a worker never inverts its own deque, but arrivals and steals leave
 * higher tasks at other workers. preemption: resume is refused (sim/scenario.c: a task a
 * worker has started is not interrupted); so are protection, staffing, traced services and
 * batch means (as for every model with classes). This path has loops of its own, so the
 * class-free loop is unchanged.
 */
struct cstate {
    struct state s;
    struct mmc_cls_run cls;
    struct mmc_deque *lv;            /* worker w's levels: lv + w * n_lv, the top level first */
    struct mmc_cls_work *x;          /* each worker's task in service */
    uint32_t level[MMC_MAX_CLASSES]; /* each class's level (0: the highest priority) */
    size_t n_lv;
};

/* Worker w's levels. */
MMC_HOT struct mmc_deque *levels(struct cstate *st, uint32_t w)
{
    return st->lv + (size_t)w * st->n_lv;
}

/* Worker w's highest-priority level that holds a task (w holds one). */
MMC_HOT struct mmc_deque *top_level(struct cstate *st, uint32_t w)
{
    struct mmc_deque *d = levels(st, w);
    while (d->n == 0)
        d++;
    return d;
}

/* Worker w now holds n tasks over its levels: the victims' indexes follow. */
MMC_HOT void set_length(struct cstate *st, uint32_t w, size_t n)
{
    size_t before = st->s.wk[w].dq.n;
    st->s.wk[w].dq.n = n;
    resized(&st->s, w, before);
}

/* A task (queue arrival t_qa, class i, first worker o) joins the back of its level at w. */
MMC_HOT void cenqueue(struct cstate *st, uint32_t w, double t_qa, uint32_t i, uint32_t o)
{
    mmc_deque_push(levels(st, w) + st->level[i], t_qa, (double)i, o);
    mmc_cls_waiting(&st->cls, st->s.k.now, i, +1);
    st->s.n_waiting++;
    set_length(st, w, st->s.wk[w].dq.n + 1);
}

/* The task at one end of level d (not empty) of worker w, removed: its queue arrival, class
 * in *i, first worker in *o. */
MMC_HOT double ctake(struct cstate *st, uint32_t w, struct mmc_deque *d, bool back, uint32_t *i,
                     uint32_t *o)
{
    double u, t = back ? mmc_deque_pop_back(d, &u, o) : mmc_deque_pop_front(d, &u, o);
    *i = (uint32_t)u;
    mmc_cls_waiting(&st->cls, st->s.k.now, *i, -1);
    st->s.n_waiting--;
    set_length(st, w, st->s.wk[w].dq.n - 1);
    return t;
}

/* Worker w starts the task (queue arrival t_qa, class i, first worker o): its service is drawn
 * now, an inversion noted if a higher class waits anywhere. */
MMC_HOT void cserve(struct cstate *st, uint32_t w, double t_qa, uint32_t i, uint32_t o)
{
    struct mmc_kernel *k = &st->s.k;
    st->s.wk[w].state = SERVING;
    st->s.n_busy++;
    k->out->n_first_worker += o == w && t_qa >= k->t_measure_from;
    st->x[w] = mmc_cls_begin(&st->cls, k, w, i, (struct mmc_cls_task){t_qa, t_qa, 0.0, NAN, NAN});
}

/* Worker w (holding a task) starts one of its top level, in its order. */
MMC_HOT void crun_own(struct cstate *st, uint32_t w)
{
    uint32_t i, o;
    double t = ctake(st, w, top_level(st, w), st->s.lifo, &i, &o);
    cserve(st, w, t, i, o);
}

/* Thief w (holding nothing) takes from the top level of v (holding a task) and starts a task. */
MMC_HOT void csteal_from(struct cstate *st, uint32_t w, uint32_t v)
{
    struct mmc_deque *dv = top_level(st, v);
    st->s.k.out->n_steals++;
    if (!st->s.half) {
        uint32_t i, o;
        double t = ctake(st, v, dv, false, &i, &o);
        cserve(st, w, t, i, o);
        return;
    }
    size_t k = (dv->n + 1) / 2;
    mmc_deque_move_front(levels(st, w) + (dv - levels(st, v)), dv, k);
    set_length(st, v, st->s.wk[v].dq.n - k);
    set_length(st, w, k);
    crun_own(st, w);
}

/* Worker w is free: its own levels first, else it steals (as next_task). */
MMC_HOT void cnext_task(struct cstate *st, uint32_t w)
{
    struct state *s = &st->s;
    if (s->wk[w].dq.n > 0) {
        crun_own(st, w);
    } else if (!s->stealing) {
        park(s, w);
    } else if (s->cost == 0.0) {
        uint32_t v = victim(s, w);
        if (v != UINT32_MAX) {
            csteal_from(st, w, v);
            return;
        }
        s->k.out->n_steal_failed++;
        park(s, w);
    } else if (s->n_waiting == 0) {
        park(s, w);
    } else {
        begin_attempt(s, w);
    }
}

/* Cost > 0: thief w's attempt ends now (as on_attempt). */
MMC_HOT void con_attempt(struct cstate *st, uint32_t w)
{
    struct state *s = &st->s;
    if (s->wk[w].dq.n > 0) {
        crun_own(st, w);
        return;
    }
    uint32_t v = victim(s, w);
    if (v != UINT32_MAX) {
        csteal_from(st, w, v);
        return;
    }
    s->k.out->n_steal_failed++;
    if (s->n_waiting == 0)
        park(s, w);
    else
        begin_attempt(s, w);
}

/* A task of class i (queue arrival t_qa) arrives for worker a (as place, unguarded). */
MMC_HOT void cplace(struct cstate *st, uint32_t a, double t_qa, uint32_t i)
{
    struct state *s = &st->s;
    if (s->instant && s->wk[a].state == PARKED) {
        unpark(s, a);
        cserve(st, a, t_qa, i, a);
    } else if (s->stealing && s->instant && s->n_parked > 0) {
        uint32_t w = s->parked[--s->n_parked];
        s->k.out->n_steals++;
        cserve(st, w, t_qa, i, a);
    } else {
        cenqueue(st, a, t_qa, i, a);
        if (!s->instant && s->n_parked > 0)
            wake(s);
    }
    mmc_kernel_note_peaks(&s->k, s->n_waiting, s->n_busy);
}

MMC_HOT void carrive(struct cstate *st)
{
    struct mmc_kernel *k = &st->s.k;
    uint32_t a = route(&st->s), i = mmc_cls_draw(&st->cls);
    k->out->n_arrived++;
    st->cls.m[i].arrived++;
    cplace(st, a, k->now, i);
    mmc_kernel_generate(k);
}

MMC_HOT void cdepart(struct cstate *st, uint32_t w, bool record)
{
    struct mmc_kernel *k = &st->s.k;
    struct mmc_cls_work *x = &st->x[w];
    mmc_kernel_depart(k);
    mmc_cls_complete(&st->cls, k, x->cls, x->t_qa, x->waited, x->svc, w, record);
    mmc_cls_busy(&st->cls, k->now, x->cls, -1);
    st->s.n_busy--;
    cnext_task(st, w);
}

MMC_HOT void cloop_with(struct cstate *st, bool record)
{
    struct state *s = &st->s;
    struct mmc_kernel *k = &s->k;
    const uint64_t c = k->p->c;
    uint64_t n_events = 0, idle_beside_waiting = 0;
    struct mmc_event ev;
    /* as without classes: the run ends at its last completion */
    while (k->arrival_pending || k->open || s->n_waiting + s->n_busy > 0) {
        if (!mmc_kernel_next_event(k, &ev))
            break;
        mmc_kernel_advance(k, ev.t, (double)s->n_waiting, (double)s->n_busy);
        switch (ev.kind) {
        case MMC_EV_DEPART:
            cdepart(st, ev.arg, record);
            break;
        case MMC_EV_ATTEMPT:
            con_attempt(st, ev.arg);
            break;
        case MMC_EV_ARRIVE_BATCH:
            mmc_kernel_snap_arrival(k, k->batch_j);
            carrive(st);
            break;
        case MMC_EV_ARRIVE_FIRST_MEASURED:
            open_window(s, false);
            carrive(st);
            break;
        default: /* MMC_EV_ARRIVE (protection and staffing are refused with classes) */
            carrive(st);
            break;
        }
        n_events++;
        idle_beside_waiting += s->n_waiting > 0 && s->n_busy < c;
        if (mmc_kernel_cancelled(k, n_events))
            break;
    }
    k->out->n_events = n_events;
    k->out->work_violations = idle_beside_waiting;
}

/* Time 0: a backlog of n tasks, each of a drawn class, given out as arrivals are; then the
 * workers start as without classes (start). */
static void cstart(struct cstate *st, uint64_t n)
{
    struct state *s = &st->s;
    uint32_t c = (uint32_t)s->k.p->c;
    for (uint64_t j = 0; j < n; j++) {
        uint32_t a = route(s), i = mmc_cls_draw(&st->cls);
        st->cls.m[i].arrived++;
        st->cls.m[i].initial++;
        cenqueue(st, a, MMC_T_INITIAL, i, a);
    }
    s->k.out->n_initial = s->k.out->n_arrived = n;
    for (uint32_t w = 0; w < c; w++)
        if (s->wk[w].dq.n > 0)
            cnext_task(st, w);
    for (uint32_t w = c; w-- > 0;)
        if (s->wk[w].state != SERVING)
            cnext_task(st, w);
}

/* The classes' levels (runs of equal priority in the line's order) and every worker's deques. */
static void levels_init(struct cstate *st, unsigned long c)
{
    const struct mmc_cls_run *cls = &st->cls;
    st->n_lv = 0;
    for (size_t j = 0; j < cls->n; j++) {
        uint32_t i = cls->order[j];
        if (j > 0 && cls->def->c[i].priority != cls->def->c[cls->order[j - 1]].priority)
            st->n_lv++;
        st->level[i] = (uint32_t)st->n_lv;
    }
    st->n_lv++;
    st->lv = mmc_xmalloc(c * st->n_lv, sizeof *st->lv);
    for (size_t j = 0; j < c * st->n_lv; j++)
        mmc_deque_init(&st->lv[j], true, 8); /* u: the class */
}

static void steal_run_classes(const struct mmc_point *p, uint64_t replication, struct mmc_run *out,
                              struct mmc_run_hist *hist, struct mmc_mser *series)
{
    struct cstate st;
    struct state *s = &st.s;
    mmc_kernel_init(&s->k, p, replication, out, hist, series, p->c + 2);
    state_init(s, p, replication);
    mmc_cls_init(&st.cls, &s->k, replication);
    levels_init(&st, p->c);
    st.x = mmc_xcalloc(p->c, sizeof *st.x);
    mmc_kernel_first_submission(&s->k);
    cstart(&st, mmc_point_backlog(p));
    mmc_kernel_generate(&s->k);
    if (s->k.series != NULL)
        cloop_with(&st, true);
    else
        cloop_with(&st, false);
    if (!out->cut_short) {
        settle_failed(s);
        mmc_kernel_finish(&s->k, s->n_waiting, s->n_busy);
    }
    for (size_t j = 0; j < p->c * st.n_lv; j++)
        mmc_deque_fini(&st.lv[j]);
    free(st.lv);
    free(st.x);
    mmc_cls_fini(&st.cls);
    state_fini(s, p->c);
    mmc_kernel_fini(&s->k);
}

static void steal_run(const struct mmc_point *p, uint64_t replication, struct mmc_run *out,
                      struct mmc_run_hist *hist, struct mmc_mser *series)
{
    struct state st;
    if (mmc_point_classes(p) > 0) {
        steal_run_classes(p, replication, out, hist, series);
        return;
    }
    mmc_kernel_init(&st.k, p, replication, out, hist, series, p->c + 2);
    state_init(&st, p, replication);
    mmc_kernel_first_submission(&st.k);
    /* a backlog of in_system tasks (the scenario refuses a stationary start: no exact law) */
    start(&st, mmc_point_backlog(p));
    mmc_kernel_generate(&st.k);
    loop(&st);
    if (!out->cut_short) {
        settle_failed(&st);
        mmc_kernel_finish(&st.k, waiting(&st, st.k.guard), st.n_busy);
    }
    state_fini(&st, p->c);
    mmc_kernel_fini(&st.k);
}

/*
 * Closed forms.
 *
 * One worker, or stealing at cost 0 (any victim, any amount, no shedding):
 * a work-conserving pool of c identical workers whose service times are
 * drawn when services start. Which waiting task starts then changes nothing
 * about how many are in the system: on common random numbers the number in
 * system is model mmc's path exactly (the same arrivals, the same services
 * started at the same instants), so L, Lq, utilization, throughput, P(wait)
 * (an arrival waits exactly when every worker is busy) and by Little's law
 * Wq, W and T are mmc's closed form's, for whatever law mmc has one (M/M/c,
 * M/G/1, Allen-Cunneen, M/M/c/K, ...). The waits' distribution is not (lifo,
 * and a thief takes its victim's oldest, not the pool's): no percentiles,
 * except with one worker in fifo order, which is model mmc itself.
 *
 * victim: none: c independent queues, each fed by its share of a Poisson
 * stream: random arrival, c M/G/1 queues at lambda / c; round robin with
 * exponential services, E_c/M/1 at every worker (forms.h, as model push's
 * random and round_robin). Their means hold in either order (the number in
 * system does not depend on it); percentiles only in fifo order.
 *
 * Stealing with cost > 0 (a thief between attempts idles beside waiting
 * tasks), or shedding at a deque: utilization and throughput only.
 *
 * With classes (steal_class_rows_form): one worker is an M/G/1 queue with
 * non-preemptive priorities, FCFS within a level in fifo order: model mmc
 * with classes, whose forms hold (mmc_classes_form). In lifo order the
 * means hold too: which level is served depends on the counts alone, a
 * class's count does not depend on the order within its level when the
 * level is that class, and within a level of several classes the newest
 * task's class is independent of everything before it (Poisson splitting),
 * so every class of a level has the level's mean wait, which the work
 * conservation within the levels at and above it fixes at Cobham's; the
 * waits' percentiles move (none are offered). victim: none with random
 * arrival: c independent one-worker priority queues at lambda / c
 * (mmc_classes_form_per_worker, as model push's random dispatch), means
 * only in lifo order. Stealing: none (a thief takes its victim's best
 * level, not the pool's best task, so a class's wait is no known law;
 * the row of every task keeps M/M/c's means at cost 0, a conservation law
 * the tests check, but no form is offered for it).
 */
static int steal_class_rows_form(const struct mmc_point *p, size_t row, struct mmc_analytic *out)
{
    const struct mmc_steal *s = p->steal;
    int rc;
    if (p->c == 1)
        rc = mmc_classes_form(p, row, out);
    else if (s->victim == MMC_STEAL_VICTIM_NONE && s->arrive == MMC_STEAL_ARRIVE_RANDOM &&
             p->n_intervals == 0)
        rc = mmc_classes_form_per_worker(p, row, out);
    else
        return -1;
    if (rc == 0 && s->order == MMC_STEAL_ORDER_LIFO)
        mmc_form_means_only(out);
    return rc;
}

static int steal_class_form(const struct mmc_point *p, size_t k, struct mmc_analytic *out)
{
    return steal_class_rows_form(p, k + 1, out);
}

static int steal_closed_form(const struct mmc_point *held, struct mmc_analytic *out)
{
    if (mmc_point_classes(held) > 0)
        return steal_class_rows_form(held, 0, out);
    struct mmc_point q;
    struct mmc_dist svc;
    const struct mmc_point *p = mmc_point_unhold(held, &q, &svc);
    const struct mmc_steal *s = p->steal;
    const struct mmc_process *pr = p->process;
    bool fifo = s->order == MMC_STEAL_ORDER_FIFO;
    bool conserving = s->victim != MMC_STEAL_VICTIM_NONE && s->cost == 0.0 && !p->protect->shed;
    if (p->c == 1 || conserving) {
        if (mmc_model_mmc.closed_form(p, out) != 0)
            return -1;
        if (!(p->c == 1 && fifo))
            mmc_form_means_only(out);
        return 0;
    }
    bool poisson = pr->kind == MMC_PROCESS_RENEWAL && !pr->batched &&
                   p->arrival->kind == MMC_DIST_EXPONENTIAL && p->n_intervals == 0;
    bool exp_service = p->service->kind == MMC_DIST_EXPONENTIAL;
    if (mmc_protection_is_on(p->protect) || pr->kind == MMC_PROCESS_TRACE ||
        pr->kind == MMC_PROCESS_SCHEDULE)
        return -1;
    double rho = p->lambda / ((double)p->c * p->mu);
    if (s->victim == MMC_STEAL_VICTIM_NONE && poisson) {
        struct mmc_mixture m;
        mmc_mixture_even(p, &m);
        bool random = s->arrive == MMC_STEAL_ARRIVE_RANDOM;
        if (random && mmc_form_mixture(p, &m, exp_service, out) != 0)
            return -1;
        if (!random && (!exp_service || mmc_form_round_robin(p, out) != 0))
            mmc_form_base(out, rho < 1.0, rho, p->lambda, "utilization, throughput");
        if (!fifo)
            mmc_form_means_only(out);
        return 0;
    }
    mmc_form_base(out, rho < 1.0, rho, p->lambda, "utilization, throughput");
    return 0;
}

const struct mmc_model mmc_model_steal = {
    .name = "steal",
    .title = "work stealing: a deque per worker, idle workers steal the oldest task of another",
    .work_conserving = false,
    .steals = true,
    .run = steal_run,
    .closed_form = steal_closed_form,
    .class_form = steal_class_form,
};
