/*
 * push.c - push dispatch: every worker has its own FCFS queue, and a
 * dispatcher assigns each task to one of them when it arrives, by
 * dispatch.policy (scenario.h: round_robin, random, jsq, power_of_d,
 * least_work, hash).
 *
 * The discipline only; the calendar, arrivals and measurement are the
 * kernel's (sim/kernel.h). The dispatcher decides at the task's arrival,
 * from what it knows then: the tasks it has given each worker and not seen
 * finish (in flight, waiting or in service: its own bookkeeping, exact), or
 * for least_work the time each worker will have finished everything it was
 * given (service times are then drawn at dispatch). The task then spends
 * dispatch.delay seconds on its way (in T, at no worker: not in L or Lq)
 * and joins the worker's queue; its wait counts from there. The delay is
 * the same for every task, so tasks in flight land in the order they left:
 * they wait in one FIFO and each lands at an MMC_EV_LAND event.
 *
 * Tasks wait beside idle workers by design (a worker's queue is its own):
 * the model is not work-conserving, and work_violations counts the events
 * after which that happened, as information.
 *
 * Streams: the routing draws (random, power_of_d's samples, hash keys) come
 * from a stream of their own (MMC_STREAM_DISPATCH), so a policy that draws
 * nothing leaves the arrival and service streams as model mmc reads them.
 *
 * Selection: round_robin and random in O(1), power_of_d in O(d) (a partial
 * Fisher-Yates shuffle of a kept permutation: d distinct workers in sampled
 * order), jsq and least_work in O(log c) (a tournament tree, sim/argmin.h),
 * hash in O(1).
 */
#include "argmin.h"
#include "class_forms.h"
#include "classes.h"
#include "dispatch_forms.h"
#include "erlang.h"
#include "forms.h"
#include "kernel.h"
#include "models.h"
#include "rng.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

enum { MMC_EV_LAND = MMC_EV_MODEL }; /* a task in flight reaches its worker; arg: the worker */

/* hash's closed form counts every key's worker: up to this many keys. */
#define MMC_HASH_FORM_MAX_KEYS 10000000ul

/* power_of_d's mean-field form is offered from this many workers (README: its error below). */
#define MMC_MEAN_FIELD_MIN_C 100

/* One worker as the dispatcher and its queue see it. */
struct worker {
    struct mmc_fifo q;     /* queue arrivals (with services: least_work, traces) */
    uint32_t given;        /* tasks given and not finished */
    unsigned char serving; /* a task in service */
    unsigned char duty;    /* shifts: ON_DUTY, LEAVING (serving its queue), OFF */
};

struct state {
    struct mmc_kernel k;
    enum mmc_policy policy;
    struct worker *wk;      /* per worker, side by side (a task touches one place) */
    struct mmc_argmin tree; /* jsq: given; least_work: the time each worker is done */
    uint32_t *roster;       /* the workers on duty, n_roster of them (all c without shifts); the
                               policies choose among them (power_of_d shuffles it in place) */
    size_t n_roster;
    bool shifts;            /* a staffing schedule: wk[].duty changes */
    double *saved;          /* per worker (shifts, least_work): its time done, while off duty */
    size_t staff_next;      /* next shift change */
    struct mmc_fifo flight; /* dispatch.delay > 0: tasks on their way (landing, service) */
    gsl_rng *r_dispatch;    /* random, power_of_d, hash */
    struct mmc_fifo *dl;    /* patience: per worker, each queued task's deadline (in step with q;
                               the queue's entry is NaN once its task has abandoned) */
    uint64_t n_waiting;     /* tasks in workers' queues (live ones) */
    uint64_t n_busy;        /* workers serving */
    uint32_t rr;            /* round_robin: the next position in the roster */
};

enum { ON_DUTY, LEAVING, OFF };

/*
 * The worker of hash key `key` among c: the key mixed by splitmix64's
 * finalizer (a fixed bijection of 64-bit words), then reduced mod c. The
 * closed form reads the same function, so it sees the same imbalance.
 */
static uint32_t hash_worker(uint64_t key, unsigned long c)
{
    uint64_t z = key + 0x9e3779b97f4a7c15u;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    z ^= z >> 31;
    return (uint32_t)(z % c);
}

/* power_of_d: the least loaded of d distinct workers sampled uniformly, ties to the first (d at
 * most the workers on duty). */
static uint32_t power_of_d(struct state *st, unsigned long c, unsigned long d)
{
    uint32_t best = UINT32_MAX;
    d = d < c ? d : c;
    for (unsigned long i = 0; i < d; i++) {
        unsigned long j = i + mmc_rng_index(st->r_dispatch, c - i);
        uint32_t w = st->roster[j];
        st->roster[j] = st->roster[i];
        st->roster[i] = w;
        if (best == UINT32_MAX || st->wk[w].given < st->wk[best].given)
            best = w;
    }
    return best;
}

/* least_work: a worker done by the time the task lands (the lowest such), else the one done
 * first; it becomes busy for u more. */
static uint32_t least_work(struct state *st, double land, double u)
{
    uint32_t w = mmc_argmin_first_at_most(&st->tree, land);
    if (w == UINT32_MAX)
        w = mmc_argmin_min(&st->tree);
    double done = st->tree.v[w] > land ? st->tree.v[w] : land;
    mmc_argmin_set(&st->tree, w, done + u);
    return w;
}

/* The worker the dispatcher gives the task that arrives now (u: its service, least_work). */
MMC_HOT uint32_t choose(struct state *st, double land, double u)
{
    const struct mmc_point *p = st->k.p;
    size_t n = st->n_roster;
    uint32_t w;
    switch (st->policy) {
    case MMC_POLICY_ROUND_ROBIN:
        w = st->rr < n ? st->rr : 0; /* the roster may have shrunk */
        st->rr = w + 1 == n ? 0 : w + 1;
        return st->roster[w];
    case MMC_POLICY_RANDOM:
        return st->roster[mmc_rng_index(st->r_dispatch, n)];
    case MMC_POLICY_JSQ:
        w = mmc_argmin_min(&st->tree);
        mmc_argmin_set(&st->tree, w, (double)st->wk[w].given + 1.0);
        return w;
    case MMC_POLICY_POWER_OF_D:
        return power_of_d(st, n, p->dispatch->d);
    case MMC_POLICY_LEAST_WORK:
        return least_work(st, land, u);
    default: /* MMC_POLICY_HASH: among the workers on duty */
        return st->roster[hash_worker(mmc_rng_index(st->r_dispatch, p->dispatch->keys), n)];
    }
}

/* Worker w starts the task (queue arrival t_qa, service u or NaN for a draw). Workers' queues
 * interleave: served out of arrival order. */
MMC_HOT void serve(struct state *st, double t_qa, double u, uint32_t w, bool record)
{
    mmc_kernel_serve_unordered(&st->k, t_qa, u, w, record);
}

/* Tasks waiting at the workers' queues, and (guarded) those held for a token. */
MMC_HOT uint64_t waiting(const struct state *st, bool guard)
{
    return st->n_waiting + (guard ? st->k.held.n : 0);
}

/* Task (queue arrival t_qa, service u or NaN for a draw) reaches worker w now. */
MMC_HOT void land(struct state *st, uint32_t w, double t_qa, double u, bool record, bool guard)
{
    if (!st->wk[w].serving) {
        st->wk[w].serving = 1;
        st->n_busy++;
        serve(st, t_qa, u, w, record);
    } else {
        mmc_fifo_push_task(&st->wk[w].q, t_qa, u);
        st->n_waiting++;
        if (guard && st->dl != NULL) { /* an initial task waits without patience */
            double due = t_qa > MMC_T_INITIAL ? mmc_kernel_patience_deadline(&st->k) : INFINITY;
            mmc_fifo_push(&st->dl[w], due);
            if (due < INFINITY)
                mmc_heap_push(&st->k.heap, due, MMC_EV_ABANDON, w);
        }
    }
    mmc_kernel_note_peaks(&st->k, waiting(st, guard), st->n_busy);
}

/* The oldest task still waiting at worker w (guarded: abandoned ones skipped), or NaN. */
MMC_HOT double pop_waiting(struct state *st, uint32_t w, double *u, bool guard)
{
    while (st->wk[w].q.n > 0) {
        double t = mmc_fifo_pop_task(&st->wk[w].q, u);
        if (guard && st->dl != NULL)
            mmc_fifo_pop(&st->dl[w]);
        if (!isnan(t)) {
            st->n_waiting--;
            return t;
        }
    }
    return NAN;
}

/* Tasks waiting at worker w (guarded: those still there). */
static uint64_t waiting_at(const struct state *st, uint32_t w)
{
    if (st->dl == NULL)
        return st->wk[w].q.n;
    uint64_t n = 0;
    for (size_t i = 0; i < st->wk[w].q.n; i++)
        n += !isnan(*mmc_fifo_at(&st->wk[w].q, i));
    return n;
}

/* The queue entry of the task at worker w whose patience ends at t, or NULL when it has left
 * (served or shed): found by its deadline, the event's own time. */
static double *abandoner(struct state *st, uint32_t w, double t)
{
    for (size_t i = 0; i < st->dl[w].n; i++)
        if (*mmc_fifo_at(&st->dl[w], i) == t) {
            double *slot = mmc_fifo_at(&st->wk[w].q, i);
            return isnan(*slot) ? NULL : slot;
        }
    return NULL;
}

/* A task leaves worker w's books unserved: the dispatcher hears of it as of a completion (for
 * least_work its estimate of w's work stays as it was: it learns only of what w finishes). */
static void forget(struct state *st, uint32_t w)
{
    st->wk[w].given--;
    if (st->shifts && st->wk[w].duty == LEAVING && st->wk[w].given == 0)
        st->wk[w].duty = OFF;
    if (st->policy == MMC_POLICY_JSQ && (!st->shifts || st->wk[w].duty == ON_DUTY))
        mmc_argmin_set(&st->tree, w, (double)st->wk[w].given);
}

/* Guarded: shedding at worker w's queue (a task that finds w busy and shed_threshold waiting
 * is shed, itself or w's oldest), then the task lands. */
static void land_guarded(struct state *st, uint32_t w, double t_qa, double u, bool record)
{
    struct mmc_kernel *k = &st->k;
    uint64_t n = st->wk[w].serving ? waiting_at(st, w) : 0;
    if (st->wk[w].serving && n >= k->shed_threshold) {
        if (k->p->protect->drop == MMC_DROP_NEWEST || n == 0) {
            forget(st, w);
            mmc_kernel_reject(k, t_qa, &k->out->n_shed);
            return;
        }
        double u_oldest, t_oldest = pop_waiting(st, w, &u_oldest, true);
        forget(st, w);
        mmc_kernel_lose(k, t_oldest, &k->out->n_shed);
    }
    land(st, w, t_qa, u, record, true);
}

/* The dispatcher gives a task (queue arrival t_qa, before the dispatch delay; its traced service
 * time, or NaN) to a worker; it lands after the delay, its wait counted from t_qa + delay. */
MMC_HOT void give(struct state *st, double t_qa, double u, bool record, bool guard)
{
    struct mmc_kernel *k = &st->k;
    double delay = k->p->dispatch_delay, land_at = k->now + delay;
    if (st->policy == MMC_POLICY_LEAST_WORK && isnan(u)) /* it must know the work now */
        u = mmc_kernel_draw_service(k);
    uint32_t w = choose(st, land_at, u);
    st->wk[w].given++;
    if (delay > 0.0) {
        mmc_fifo_push_task(&st->flight, t_qa + delay, u);
        mmc_heap_push(&k->heap, land_at, MMC_EV_LAND, w);
    } else if (guard) {
        land_guarded(st, w, t_qa, u, record);
    } else {
        land(st, w, t_qa, u, record, false);
    }
}

/* Guarded: a task past the token bucket (queue arrival t_qa) meets the capacity K, which
 * counts the tasks on their way, waiting and in service. */
static void admit(struct state *st, double t_qa, double u, bool record)
{
    struct mmc_kernel *k = &st->k;
    if (st->flight.n + st->n_waiting + st->n_busy >= k->capacity) {
        mmc_kernel_reject(k, t_qa, &k->out->n_blocked);
        return;
    }
    give(st, t_qa, u, record, true);
}

MMC_HOT void on_arrive(struct state *st, bool record, bool guard)
{
    struct mmc_kernel *k = &st->k;
    if (!guard) {
        k->out->n_arrived++;
        give(st, k->now, NAN, record, false);
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

MMC_HOT void on_land(struct state *st, uint32_t w, bool record, bool guard)
{
    double u, t_qa = mmc_fifo_pop_task(&st->flight, &u);
    if (guard)
        land_guarded(st, w, t_qa, u, record);
    else
        land(st, w, t_qa, u, record, false);
}

MMC_HOT void on_depart(struct state *st, uint32_t w, bool record, bool guard)
{
    mmc_kernel_depart(&st->k);
    st->wk[w].given--;
    if (guard && st->shifts && st->wk[w].duty == LEAVING && st->wk[w].given == 0)
        st->wk[w].duty = OFF;
    if (st->policy == MMC_POLICY_JSQ && (!st->shifts || st->wk[w].duty == ON_DUTY))
        mmc_argmin_set(&st->tree, w, (double)st->wk[w].given);
    double u, t_qa = pop_waiting(st, w, &u, guard);
    if (!isnan(t_qa)) {
        serve(st, t_qa, u, w, record);
    } else {
        st->wk[w].serving = 0;
        st->n_busy--;
    }
}

/* ---- shifts (staffing) ---- */

/* Worker w leaves the roster: no task is given to it from now on; it serves what it has. */
static void take_off(struct state *st, size_t i)
{
    uint32_t w = st->roster[i];
    st->roster[i] = st->roster[--st->n_roster];
    st->wk[w].duty = st->wk[w].given > 0 ? LEAVING : OFF;
    if (st->policy == MMC_POLICY_JSQ || st->policy == MMC_POLICY_LEAST_WORK) {
        st->saved[w] = mmc_argmin_value(&st->tree, w);
        mmc_argmin_set(&st->tree, w, INFINITY);
    }
}

/* Worker w joins the roster (its tasks, if it was leaving, still its own). */
static void put_on(struct state *st, uint32_t w)
{
    st->roster[st->n_roster++] = w;
    st->wk[w].duty = ON_DUTY;
    if (st->policy == MMC_POLICY_JSQ)
        mmc_argmin_set(&st->tree, w, (double)st->wk[w].given);
    else if (st->policy == MMC_POLICY_LEAST_WORK)
        mmc_argmin_set(&st->tree, w, st->saved[w]);
}

static void schedule_shift(struct state *st)
{
    const struct mmc_staffing *sf = st->k.p->staffing;
    if (st->staff_next < sf->n)
        mmc_heap_push(&st->k.heap, sf->t[st->staff_next], MMC_EV_STAFF, (uint32_t)st->staff_next);
}

static void start_shifts(struct state *st, size_t c0)
{
    unsigned long c = st->k.p->c;
    st->shifts = true;
    st->saved = mmc_xcalloc(c, sizeof *st->saved);
    if (st->policy == MMC_POLICY_JSQ || st->policy == MMC_POLICY_LEAST_WORK)
        for (unsigned long w = 0; w < c; w++)
            st->saved[w] = mmc_argmin_value(&st->tree, (uint32_t)w);
    while (st->n_roster > c0)
        take_off(st, st->n_roster - 1);
    st->staff_next = 1;
    schedule_shift(st);
}

/*
 * A shift change: target workers on duty. Added ones are leaving workers
 * first (they come back with their queue), then workers off duty, lowest
 * index first; removed ones are workers with nothing given first, then the
 * last on the roster, each serving what it has before it goes.
 */
static void on_staff(struct state *st, uint32_t i)
{
    unsigned long c = st->k.p->c;
    size_t target = (size_t)st->k.p->staffing->c[i];
    for (int pass = 0; pass < 2 && st->n_roster < target; pass++)
        for (uint32_t w = 0; w < c && st->n_roster < target; w++)
            if (st->wk[w].duty == (pass == 0 ? LEAVING : OFF))
                put_on(st, w);
    for (size_t j = st->n_roster; j > 0 && st->n_roster > target; j--)
        if (j <= st->n_roster && st->wk[st->roster[j - 1]].given == 0)
            take_off(st, j - 1);
    while (st->n_roster > target)
        take_off(st, st->n_roster - 1);
    st->staff_next = (size_t)i + 1;
    schedule_shift(st);
}

MMC_HOT void dispatch_event(struct state *st, const struct mmc_event *ev, bool record, bool guard)
{
    switch (ev->kind) {
    case MMC_EV_ARRIVE:
        on_arrive(st, record, guard);
        break;
    case MMC_EV_DEPART:
        on_depart(st, ev->arg, record, guard);
        break;
    case MMC_EV_STAFF:
        on_staff(st, ev->arg);
        break;
    case MMC_EV_ABANDON: { /* live: checked by the loop */
        double *slot = abandoner(st, ev->arg, ev->t), t_qa = *slot;
        *slot = NAN;
        st->n_waiting--;
        forget(st, ev->arg);
        mmc_kernel_lose(&st->k, t_qa, &st->k.out->n_abandoned);
        break;
    }
    case MMC_EV_LAND:
        on_land(st, ev->arg, record, guard);
        break;
    case MMC_EV_ADMIT: { /* a held task gets its token */
        double u;
        double t_qa = mmc_fifo_pop_task(&st->k.held, &u);
        admit(st, t_qa, u, record);
        break;
    }
    case MMC_EV_ARRIVE_BATCH:
        mmc_kernel_snap_arrival(&st->k, st->k.batch_j);
        on_arrive(st, record, guard);
        break;
    default: /* MMC_EV_ARRIVE_FIRST_MEASURED */
        mmc_kernel_open_window(&st->k, waiting(st, guard), st->n_busy);
        on_arrive(st, record, guard);
        break;
    }
}

MMC_HOT void loop_with(struct state *st, bool record, bool guard)
{
    struct mmc_kernel *k = &st->k;
    uint64_t n_events = 0, idle_beside_waiting = 0;
    struct mmc_event ev;
    while (mmc_kernel_next_event(k, &ev)) {
        /* a stale abandonment (its task has left) is no event: the clock stays */
        if (guard && ev.kind == MMC_EV_ABANDON && abandoner(st, ev.arg, ev.t) == NULL)
            continue;
        /* and a shift change after the last task has gone changes nothing */
        if (guard && ev.kind == MMC_EV_STAFF && !k->arrival_pending && !k->open &&
            waiting(st, true) + st->flight.n + st->n_busy == 0)
            continue;
        mmc_kernel_advance(k, ev.t, (double)waiting(st, guard), (double)st->n_busy);
        dispatch_event(st, &ev, record, guard);
        n_events++;
        idle_beside_waiting += st->n_waiting > 0 && st->n_busy < st->n_roster;
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

/* The initial backlog: n tasks given out by the policy at time 0, landing at once. */
static void place_initial(struct state *st, uint64_t n)
{
    struct mmc_kernel *k = &st->k;
    for (uint64_t i = 0; i < n; i++) {
        double u = st->policy == MMC_POLICY_LEAST_WORK ? mmc_kernel_draw_service(k) : NAN;
        uint32_t w = choose(st, k->now, u);
        st->wk[w].given++;
        land(st, w, MMC_T_INITIAL, u, false, st->k.guard);
    }
    k->out->n_initial = n;
    k->out->n_arrived = n;
}

static void state_init(struct state *st, const struct mmc_point *p, uint64_t rep)
{
    unsigned long c = p->c;
    st->policy = p->dispatch->policy;
    /* service times travel with the tasks when least_work draws them at dispatch, or a trace
       gives them */
    bool with_u = st->policy == MMC_POLICY_LEAST_WORK || st->k.trace_svc != NULL;
    st->wk = mmc_xcalloc(c, sizeof *st->wk); /* all ON_DUTY, idle, given nothing */
    for (unsigned long w = 0; w < c; w++)
        mmc_fifo_init_cap(&st->wk[w].q, with_u, 8); /* grows by doubling when it must */
    /* least_work: every worker done "long ago" (the clock starts at -d) */
    bool lw = st->policy == MMC_POLICY_LEAST_WORK;
    mmc_argmin_init(&st->tree, st->policy == MMC_POLICY_JSQ || lw ? c : 1, lw ? -INFINITY : 0.0);
    st->roster = mmc_xmalloc(c, sizeof *st->roster);
    for (uint32_t w = 0; w < c; w++)
        st->roster[w] = w;
    st->n_roster = c;
    st->shifts = false;
    st->saved = NULL;
    if (p->staffing->n > 0) /* the first shift: workers c0 and beyond are off duty */
        start_shifts(st, (size_t)p->staffing->c[0]);
    mmc_fifo_init(&st->flight, with_u);
    st->dl = NULL;
    if (p->protect->patience) {
        st->dl = mmc_xmalloc(c, sizeof *st->dl);
        for (unsigned long w = 0; w < c; w++)
            mmc_fifo_init_cap(&st->dl[w], false, 8);
    }
    st->r_dispatch = mmc_rng_create(p->rng_type, p->seed, rep, MMC_STREAM_DISPATCH);
    st->n_waiting = st->n_busy = 0;
    st->rr = 0;
}

static void state_fini(struct state *st, unsigned long c)
{
    for (unsigned long w = 0; w < c; w++) {
        mmc_fifo_fini(&st->wk[w].q);
        if (st->dl != NULL)
            mmc_fifo_fini(&st->dl[w]);
    }
    free(st->wk);
    free(st->dl);
    mmc_argmin_fini(&st->tree);
    free(st->roster);
    free(st->saved);
    mmc_fifo_fini(&st->flight);
    gsl_rng_free(st->r_dispatch);
}

/* ---- priority classes ----
 *
 * With classes every worker's queue is a priority line of its own (sim/classes.h: one FCFS
 * queue per class); the dispatcher chooses the worker as without classes (it counts tasks, or
 * for least_work work, whatever their class). A task's class is drawn when it arrives, its
 * service when it first starts (least_work: at dispatch, from its class's distribution). A
 * worker that finishes takes the head of the highest-priority class waiting in its own line.
 * preemption: resume acts at one worker: a task that lands where a task of strictly lower
 * priority is in service interrupts it, and the interrupted task goes back to the head of its
 * class's queue there, with what is left of its service; its departure stays on the calendar,
 * stale (wseq, as in model mmc). A task of higher priority may wait at one worker while
 * another worker starts a lower one: the priority inversions the report counts.
 * Protection, staffing, traces and batch means are refused with classes (sim/scenario.c).
 */
struct cstate {
    struct state s;
    struct mmc_cls_run cls;
    struct mmc_cls_queue *lines; /* worker w's: lines + w * cls.n */
    struct mmc_cls_work *x;      /* each worker's task in service */
    uint64_t *wseq;              /* preemption: each worker's live departure */
    struct mmc_fifo flight_cls;  /* dispatch.delay: the class of each task on its way */
};

/* Worker w starts (or resumes) task t of class i. */
MMC_HOT void cpush_start(struct cstate *st, uint32_t w, uint32_t i, struct mmc_cls_task t,
                         bool preempt)
{
    struct mmc_kernel *k = &st->s.k;
    if (preempt)
        st->wseq[w] = k->heap.next_seq;
    st->x[w] = mmc_cls_begin(&st->cls, k, w, i, t);
}

/* Task t of class i reaches worker w now. */
MMC_HOT void cpush_land(struct cstate *st, uint32_t w, uint32_t i, struct mmc_cls_task t,
                        bool preempt)
{
    struct state *s = &st->s;
    struct mmc_cls_queue *line = st->lines + (size_t)w * st->cls.n;
    if (!s->wk[w].serving) {
        s->wk[w].serving = 1;
        s->n_busy++;
        cpush_start(st, w, i, t, preempt);
    } else if (preempt && st->cls.def->c[st->x[w].cls].priority > st->cls.def->c[i].priority) {
        mmc_cls_interrupt(&st->cls, &s->k, line, w, &st->x[w]);
        cpush_start(st, w, i, t, true);
    } else {
        mmc_cls_enqueue(&st->cls, line, s->k.now, i, t, false);
    }
    mmc_kernel_note_peaks(&s->k, st->cls.n_waiting, s->n_busy);
}

/* The dispatcher gives a task of class i (queue arrival t_qa) to a worker now. */
MMC_HOT void cpush_give(struct cstate *st, double t_qa, uint32_t i, bool preempt)
{
    struct state *s = &st->s;
    struct mmc_kernel *k = &s->k;
    double delay = k->p->dispatch_delay, land_at = k->now + delay, u = NAN;
    if (s->policy == MMC_POLICY_LEAST_WORK) /* it must know the work now */
        u = mmc_cls_draw_service(&st->cls, k, i);
    uint32_t w = choose(s, land_at, u);
    s->wk[w].given++;
    st->cls.m[i].arrived++;
    if (delay > 0.0) {
        mmc_fifo_push_task(&s->flight, t_qa + delay, u);
        mmc_fifo_push(&st->flight_cls, (double)i);
        mmc_heap_push(&k->heap, land_at, MMC_EV_LAND, w);
    } else {
        cpush_land(st, w, i, (struct mmc_cls_task){t_qa, t_qa, 0.0, u, u}, preempt);
    }
}

MMC_HOT void cpush_arrive(struct cstate *st, bool preempt)
{
    struct mmc_kernel *k = &st->s.k;
    k->out->n_arrived++;
    cpush_give(st, k->now, mmc_cls_draw(&st->cls), preempt);
    mmc_kernel_generate(k);
}

MMC_HOT void cpush_on_land(struct cstate *st, uint32_t w, bool preempt)
{
    double u, t = mmc_fifo_pop_task(&st->s.flight, &u);
    uint32_t i = (uint32_t)mmc_fifo_pop(&st->flight_cls);
    cpush_land(st, w, i, (struct mmc_cls_task){t, t, 0.0, u, u}, preempt);
}

MMC_HOT void cpush_depart(struct cstate *st, uint32_t w, bool record, bool preempt)
{
    struct state *s = &st->s;
    struct mmc_cls_work *x = &st->x[w];
    struct mmc_cls_queue *line = st->lines + (size_t)w * st->cls.n;
    mmc_kernel_depart(&s->k);
    mmc_cls_complete(&st->cls, &s->k, x->cls, x->t_qa, x->waited, x->svc, w, record);
    mmc_cls_busy(&st->cls, s->k.now, x->cls, -1);
    s->wk[w].given--;
    if (s->policy == MMC_POLICY_JSQ)
        mmc_argmin_set(&s->tree, w, (double)s->wk[w].given);
    int next = mmc_cls_next(&st->cls, line);
    if (next >= 0) {
        cpush_start(st, w, (uint32_t)next,
                    mmc_cls_dequeue(&st->cls, line, s->k.now, (uint32_t)next), preempt);
    } else {
        s->wk[w].serving = 0;
        s->n_busy--;
    }
}

MMC_HOT void cpush_loop_with(struct cstate *st, bool record, bool preempt)
{
    struct mmc_kernel *k = &st->s.k;
    uint64_t n_events = 0, idle_beside_waiting = 0;
    struct mmc_event ev;
    while (mmc_kernel_next_event(k, &ev)) {
        if (preempt && ev.kind == MMC_EV_DEPART && ev.seq != st->wseq[ev.arg])
            continue; /* an interrupted service's: no event */
        mmc_kernel_advance(k, ev.t, (double)st->cls.n_waiting, (double)st->s.n_busy);
        switch (ev.kind) {
        case MMC_EV_DEPART:
            cpush_depart(st, ev.arg, record, preempt);
            break;
        case MMC_EV_LAND:
            cpush_on_land(st, ev.arg, preempt);
            break;
        case MMC_EV_ARRIVE_FIRST_MEASURED:
            mmc_kernel_open_window(k, st->cls.n_waiting, st->s.n_busy);
            cpush_arrive(st, preempt);
            break;
        default: /* MMC_EV_ARRIVE */
            cpush_arrive(st, preempt);
            break;
        }
        n_events++;
        idle_beside_waiting += st->cls.n_waiting > 0 && st->s.n_busy < st->s.n_roster;
        if (mmc_kernel_cancelled(k, n_events))
            break;
    }
    k->out->n_events = n_events;
    k->out->work_violations = idle_beside_waiting;
}

static void push_run_classes(const struct mmc_point *p, uint64_t replication, struct mmc_run *out,
                             struct mmc_run_hist *hist, struct mmc_mser *series)
{
    struct cstate st;
    struct mmc_kernel *k = &st.s.k;
    bool preempt = p->classes->preemption == MMC_PREEMPT_RESUME;
    mmc_kernel_init(k, p, replication, out, hist, series, p->c + 2);
    state_init(&st.s, p, replication);
    mmc_cls_init(&st.cls, k, replication);
    st.lines = mmc_cls_lines(&st.cls, p->c);
    st.x = mmc_xcalloc(p->c, sizeof *st.x);
    st.wseq = mmc_xcalloc(p->c, sizeof *st.wseq);
    k->wseq = preempt ? st.wseq : NULL;
    mmc_fifo_init(&st.flight_cls, false);
    mmc_fifo_fini(&st.s.flight); /* on their way: queue arrival and (least_work) service */
    mmc_fifo_init(&st.s.flight, true);
    mmc_kernel_first_submission(k);
    uint64_t n = mmc_point_backlog(p); /* the backlog: given out at time 0, landing at once */
    for (uint64_t j = 0; j < n; j++) {
        uint32_t i = mmc_cls_draw(&st.cls);
        double u = st.s.policy == MMC_POLICY_LEAST_WORK ? mmc_cls_draw_service(&st.cls, k, i) : NAN;
        uint32_t w = choose(&st.s, k->now, u);
        st.s.wk[w].given++;
        st.cls.m[i].arrived++;
        st.cls.m[i].initial++;
        cpush_land(&st, w, i, (struct mmc_cls_task){MMC_T_INITIAL, MMC_T_INITIAL, 0.0, u, u},
                   preempt);
    }
    out->n_initial = n;
    out->n_arrived = n;
    mmc_kernel_generate(k);
    MMC_LOOP_SPECIALISED(cpush_loop_with, &st, k->series != NULL, preempt);
    if (!out->cut_short)
        mmc_kernel_finish(k, st.cls.n_waiting, st.s.n_busy);
    mmc_fifo_fini(&st.flight_cls);
    free(st.wseq);
    free(st.x);
    mmc_cls_lines_free(&st.cls, st.lines, p->c);
    mmc_cls_fini(&st.cls);
    state_fini(&st.s, p->c);
    mmc_kernel_fini(k);
}

static void push_run(const struct mmc_point *p, uint64_t replication, struct mmc_run *out,
                     struct mmc_run_hist *hist, struct mmc_mser *series)
{
    struct state st;
    if (mmc_point_classes(p) > 0) {
        push_run_classes(p, replication, out, hist, series);
        return;
    }
    mmc_kernel_init(&st.k, p, replication, out, hist, series, p->c + 2);
    state_init(&st, p, replication);
    mmc_kernel_first_submission(&st.k);
    /* a backlog of in_system tasks (the scenario refuses a stationary start: no exact law) */
    place_initial(&st, mmc_point_backlog(p));
    mmc_kernel_generate(&st.k);
    loop(&st);
    if (!out->cut_short)
        mmc_kernel_finish(&st.k, waiting(&st, st.k.guard), st.n_busy);
    state_fini(&st, p->c);
    mmc_kernel_fini(&st.k);
}

/* ---- closed forms ---- */

/*
 * Hash dispatch with Poisson arrivals: each key's tasks form an independent
 * Poisson stream, so worker w is an M/G/1 queue at rate lambda f_w, f_w the
 * share of the keys that hash to it. Workers with the same share are grouped
 * (few distinct shares): group g has n[g] workers of share f[g].
 */
static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* The groups of hash shares of p; -1 when there are too many or the keys too many to count. */
static int hash_groups(const struct mmc_point *p, struct mmc_mixture *m)
{
    unsigned long keys = p->dispatch->keys, c = p->c;
    if (keys > MMC_HASH_FORM_MAX_KEYS)
        return -1;
    uint32_t *count = mmc_xcalloc(c, sizeof *count);
    for (unsigned long key = 0; key < keys; key++)
        count[hash_worker(key, c)]++;
    qsort(count, c, sizeof *count, cmp_u32);
    m->n_groups = 0;
    m->mu = p->mu;
    for (unsigned long w = 0; w < c; w++) {
        if (w > 0 && count[w] == count[w - 1]) {
            m->n[m->n_groups - 1] += 1.0;
            continue;
        }
        if (m->n_groups == MMC_MIXTURE_MAX_GROUPS) {
            free(count);
            return -1;
        }
        double f = (double)count[w] / (double)keys;
        m->f[m->n_groups] = f;
        m->n[m->n_groups] = 1.0;
        m->rho[m->n_groups++] = p->lambda * f / p->mu;
    }
    free(count);
    return 0;
}

/* power_of_d at large c: the supermarket model's fixed point (approximate). */
static int power_of_d_form(const struct mmc_point *p, struct mmc_analytic *out)
{
    double rho = p->lambda / ((double)p->c * p->mu);
    mmc_form_base(out, rho < 1.0, rho, p->lambda, "mean-field power of d (c -> inf)");
    struct mmc_supermarket sm;
    if (rho >= 1.0 || mmc_supermarket(rho, (double)p->dispatch->d, p->mu, &sm) != 0)
        return 0;
    out->approx = true;
    mmc_form_means(p, sm.wq, out);
    out->p_wait = sm.p_wait;
    return 0;
}

/*
 * random dispatch with shedding or patience at each worker's queue (no
 * capacity or throttle, which couple the workers): each worker is one queue
 * fed by an independent Poisson stream at lambda / c, with model mmc's forms
 * for one worker (M/M/1/K, M/M/1+M, ...). The pool has c of them: counts
 * and throughput scale by c, fractions and waits stay, and it is empty when
 * every worker is.
 */
static int random_protected_form(const struct mmc_point *p, struct mmc_analytic *out)
{
    struct mmc_point one = *p;
    double c = (double)p->c;
    one.c = 1;
    one.lambda = p->lambda / c;
    one.load = p->load;
    if (mmc_model_mmc.closed_form(&one, out) != 0)
        return -1;
    out->lq *= c;
    out->l *= c;
    out->throughput *= c;
    out->p0 = pow(out->p0, c);
    return 0;
}

/*
 * With classes: random dispatch makes every worker an M/G/1 priority queue
 * fed by a Poisson 1/c of each class (exact); no other policy has a form
 * (least_work's single FCFS queue is gone: each worker serves its own line
 * by priority).
 */
static int push_class_rows_form(const struct mmc_point *p, size_t row, struct mmc_analytic *out)
{
    if (p->dispatch->policy != MMC_POLICY_RANDOM || p->n_intervals > 0)
        return -1;
    return mmc_classes_form_per_worker(p, row, out);
}

static int push_class_form(const struct mmc_point *p, size_t k, struct mmc_analytic *out)
{
    return push_class_rows_form(p, k + 1, out);
}

/*
 * Which closed form a push point has. least_work gives each task the
 * earliest start any worker can offer, so its waits are those of one FCFS
 * queue in front of c workers: model mmc's forms hold exactly (for any
 * arrival process and service law). random, hash and round_robin need
 * Poisson arrivals (round_robin also exponential services); power_of_d's
 * mean field is an approximation, offered from MMC_MEAN_FIELD_MIN_C workers.
 * jsq has none beyond utilization (its mean field, d = c, says only that
 * waiting vanishes as c grows).
 */
static int push_closed_form(const struct mmc_point *held, struct mmc_analytic *out)
{
    if (mmc_point_classes(held) > 0)
        return push_class_rows_form(held, 0, out);
    struct mmc_point q;
    struct mmc_dist svc;
    const struct mmc_point *p = mmc_point_unhold(held, &q, &svc);
    enum mmc_policy policy = p->dispatch->policy;
    const struct mmc_protection *pr0 = p->protect;
    const struct mmc_process *pr = p->process;
    bool poisson = pr->kind == MMC_PROCESS_RENEWAL && !pr->batched &&
                   p->arrival->kind == MMC_DIST_EXPONENTIAL && p->n_intervals == 0;
    /* least_work is one FCFS queue; K counts alike (a leaving worker drains its own queue:
       shifts differ) */
    if (policy == MMC_POLICY_LEAST_WORK && !pr0->shed && !pr0->patience && p->staffing->n == 0)
        return mmc_model_mmc.closed_form(p, out);
    if (poisson && policy == MMC_POLICY_RANDOM && pr0->capacity == 0 && !pr0->throttle &&
        mmc_protection_is_on(pr0))
        return random_protected_form(p, out);
    if (mmc_protection_is_on(pr0) || p->staffing->n > 0) /* shared K, losses, shifts */
        return -1;
    bool exp_service = p->service->kind == MMC_DIST_EXPONENTIAL;
    double rho = p->lambda / ((double)p->c * p->mu);
    struct mmc_mixture m;
    mmc_mixture_even(p, &m);
    if (poisson && policy == MMC_POLICY_RANDOM)
        return mmc_form_mixture(p, &m, exp_service, out);
    if (poisson && policy == MMC_POLICY_HASH && hash_groups(p, &m) == 0)
        return mmc_form_mixture(p, &m, exp_service, out);
    if (poisson && exp_service && policy == MMC_POLICY_ROUND_ROBIN)
        return mmc_form_round_robin(p, out);
    if (poisson && exp_service && policy == MMC_POLICY_POWER_OF_D && p->c >= MMC_MEAN_FIELD_MIN_C)
        return power_of_d_form(p, out);
    /* hash beyond its form: a worker with many keys may be overloaded at any rho */
    if (pr->kind == MMC_PROCESS_TRACE || pr->kind == MMC_PROCESS_SCHEDULE ||
        policy == MMC_POLICY_HASH)
        return -1;
    mmc_form_base(out, rho < 1.0, rho, p->lambda, "utilization, throughput");
    return 0;
}

const struct mmc_model mmc_model_push = {
    .name = "push",
    .title = "push dispatch: a queue per worker, c identical workers",
    .work_conserving = false,
    .dispatches = true,
    .run = push_run,
    .closed_form = push_closed_form,
    .class_form = push_class_form,
};
