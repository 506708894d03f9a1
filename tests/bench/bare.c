/*
 * bare.c - the reference loop `make bench` compares mmcsim with: M/M/c with
 * a binary heap of (time, seq) events, GSL taus2, -log(u)/rate
 * exponentials, a FIFO of arrival times and two running sums (total wait,
 * area under the number in system), and nothing else: no warm-up, no
 * histograms, no checks. It is what "as fast as a bare simulation" means.
 * Events are counted as in mmcsim: every pop from the calendar.
 * Usage: bare C RHO TASKS   (mu = 1, lambda = RHO * C); prints "events N".
 */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct ev {
    double t;
    uint64_t seq;
    int depart;
};

static struct ev *heap;
static size_t n;

static int before(const struct ev *a, const struct ev *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void push(struct ev e)
{
    size_t i = n++;
    while (i > 0 && before(&e, &heap[(i - 1) / 2])) {
        heap[i] = heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    heap[i] = e;
}

static struct ev pop(void)
{
    struct ev top = heap[0], last = heap[--n];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, best = i;
        const struct ev *b = &last;
        if (l < n && before(&heap[l], b))
            best = l, b = &heap[l];
        if (l + 1 < n && before(&heap[l + 1], b))
            best = l + 1;
        if (best == i)
            break;
        heap[i] = heap[best];
        i = best;
    }
    heap[i] = last;
    return top;
}

static double expo(gsl_rng *r, double rate)
{
    return -log(1.0 - gsl_rng_uniform(r)) / rate;
}

int main(int argc, char **argv)
{
    if (argc != 4)
        return 2;
    size_t c = strtoul(argv[1], NULL, 10);
    double rho = atof(argv[2]), lambda = rho * (double)c;
    uint64_t tasks = strtoull(argv[3], NULL, 10), made = 0, seq = 0, events = 0;
    gsl_rng *ra = gsl_rng_alloc(gsl_rng_taus2), *rs = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(ra, 1);
    gsl_rng_set(rs, 2);
    heap = malloc((c + 2) * sizeof *heap);
    size_t qcap = 1024, qhead = 0, qlen = 0, busy = 0;
    double *q = malloc(qcap * sizeof *q), now = 0.0, wait = 0.0, area = 0.0;
    push((struct ev){expo(ra, lambda), seq++, 0});
    made = 1;
    while (n > 0) {
        struct ev e = pop();
        events++;
        area += (double)(qlen + busy) * (e.t - now);
        now = e.t;
        if (!e.depart) {
            if (busy < c) {
                busy++;
                push((struct ev){now + expo(rs, 1.0), seq++, 1});
            } else {
                if (qlen == qcap) {
                    double *nq = malloc(2 * qcap * sizeof *nq);
                    for (size_t i = 0; i < qlen; i++)
                        nq[i] = q[(qhead + i) % qcap];
                    free(q);
                    q = nq, qhead = 0, qcap *= 2;
                }
                q[(qhead + qlen++) % qcap] = now;
            }
            if (made++ < tasks)
                push((struct ev){now + expo(ra, lambda), seq++, 0});
        } else if (qlen > 0) {
            wait += now - q[qhead];
            qhead = (qhead + 1) % qcap, qlen--;
            push((struct ev){now + expo(rs, 1.0), seq++, 1});
        } else {
            busy--;
        }
    }
    printf("events %llu mean_wait %.6f mean_L %.6f\n", (unsigned long long)events,
           wait / (double)tasks, area / now);
    gsl_rng_free(ra);
    gsl_rng_free(rs);
    free(heap);
    free(q);
    return 0;
}
