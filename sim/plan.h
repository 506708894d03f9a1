/*
 * plan.h - the capacity planner's core (issue 18): service-level terms
 * ("SLO terms", e.g. T.p99<=0.05) and, for M/M/c with a network delay d,
 * the smallest worker count meeting every term, its headroom (the largest
 * arrival rate at which that count still meets them) and its sensitivity
 * to a longer service time or a higher arrival rate.
 *
 * Everything here is closed form (models/erlang.h) and model-independent
 * in its interface: a caller hands in lambda, mu, d and the terms, and gets
 * figures back. Nothing prints, nothing allocates. Pure functions,
 * thread-safe; every struct belongs to its caller.
 *
 * Grammar of a term (whitespace allowed between the parts):
 *     METRIC[.STAT][[class]] OP VALUE
 *     METRIC = T | W | Wq                      (STAT allowed, default mean)
 *            | utilization | P_wait | P_block | P_shed | P_throttle | P_abandon
 *            | P(Wq>t)                          (t in seconds, finite, >= 0)
 *     STAT   = mean | p50 | p90 | p95 | p99 | p99.9
 *     class  = letters, digits, '_' or '-'
 *     OP     = <= | <
 *     VALUE  = a finite number >= 0 (seconds for times, fractions otherwise)
 */
#ifndef MMC_PLAN_H
#define MMC_PLAN_H

#include "erlang.h"
#include "error.h"
#include "experiment.h"

#include <stdbool.h>
#include <stddef.h>

/* What a term measures. */
enum mmc_slo_kind {
    MMC_SLO_T,  /* latency d + W, s */
    MMC_SLO_W,  /* time in system, s */
    MMC_SLO_WQ, /* wait in queue, s */
    MMC_SLO_UTIL,
    MMC_SLO_P_WAIT,
    MMC_SLO_P_WQ_GT, /* P(Wq > threshold) */
    MMC_SLO_P_BLOCK,
    MMC_SLO_P_SHED,
    MMC_SLO_P_THROTTLE,
    MMC_SLO_P_ABANDON,
};

#define MMC_SLO_TEXT 96
#define MMC_SLO_CLASS 64

/* One parsed term. */
struct mmc_slo {
    enum mmc_slo_kind kind;
    double level;             /* T, W, Wq: the percentile's level (0.99); 0 for the mean */
    double threshold;         /* P(Wq>t): t, s; NaN otherwise */
    char cls[MMC_SLO_CLASS];  /* the class, "" for all tasks */
    bool strict;              /* OP is "<" rather than "<=" */
    double value;             /* the target */
    enum mmc_metric metric;   /* the report's metric, MMC_M_COUNT when it has none (W.pNN) */
    char text[MMC_SLO_TEXT];  /* the term as written (truncated if longer) */
    char label[MMC_SLO_TEXT]; /* the figure's name without OP VALUE: "T.p99", "P(Wq>0.01)" */
};

/*
 * Parse one term. 0, or -1 with err->col the 1-based column where it went
 * wrong and err->msg one line naming the term, the column and what was
 * expected (no file: the caller prefixes "--slo: ").
 */
int mmc_slo_parse(const char *text, struct mmc_slo *out, struct mmc_error *err);

/* True when figure meets s (figure <= value, or < for a strict term); NaN never meets. */
bool mmc_slo_is_met(const struct mmc_slo *s, double figure);

/*
 * The term's figure for the steady state e of M/M/c: NaN when e is not
 * stable. The loss fractions (P_block ...) are 0: M/M/c has none of those
 * mechanisms. A per-class term (cls not "") has no M/M/c figure: NaN.
 */
double mmc_slo_mmc_figure(const struct mmc_slo *s, const struct mmc_erlang *e);

/* Inputs of an M/M/c plan. */
struct mmc_plan_in {
    double lambda, mu, d;      /* arrival rate, service rate per worker (1/s), delay (s) */
    unsigned long c_max;       /* the largest count considered, >= 1 */
    const struct mmc_slo *slo; /* the terms, borrowed */
    size_t n_slo;              /* 1 .. MMC_PLAN_MAX_SLO */
};

#define MMC_PLAN_MAX_SLO 16

/* The figures of every term at one count. */
struct mmc_plan_figures {
    unsigned long c;
    bool stable;                     /* lambda < c mu: the figures exist */
    bool met;                        /* stable and every term met */
    double fig[MMC_PLAN_MAX_SLO];    /* NaN when not stable */
    double margin[MMC_PLAN_MAX_SLO]; /* value - figure (> 0: room to spare), NaN when not stable */
};

/* The answer for one arrival rate. */
struct mmc_plan_result {
    bool found;                    /* some c <= c_max meets every term */
    struct mmc_plan_figures at;    /* at c (found), else at c_max */
    struct mmc_plan_figures below; /* at c - 1; below.c == 0 when c == 1 (no figures) */
    size_t binding;                /* the term with the smallest relative margin at c */
    unsigned long evaluations;     /* closed-form evaluations the search used */
};

/*
 * Smallest c in 1..c_max with lambda < c mu meeting every term, with the
 * figures at c and c - 1. Exponential search from the smallest stable count,
 * then bisection: every figure is nonincreasing in c for fixed lambda, mu, d
 * (Erlang C decreases in c, and P(Wq > t) = C e^-(c mu - lambda) t with it),
 * so whether c meets them all is monotone. O(log(c - a)) evaluations of O(c)
 * each. 0, or -1 with err set when an input is out of range (lambda, mu not
 * finite > 0, d not finite >= 0, no terms or too many, a per-class term).
 */
int mmc_plan_mmc(const struct mmc_plan_in *in, struct mmc_plan_result *out, struct mmc_error *err);

/*
 * The largest arrival rate at which c still meets every term of in (whose
 * lambda must be one at which c meets them), by bisection on lambda in
 * [in->lambda, c mu) to a width of 1e-9 of the rate and of the drain rate
 * c mu - rate (or to adjacent doubles): every figure is nondecreasing in
 * lambda for fixed c. Returns the rate (the lower end of the final bracket,
 * so c meets them there; a rate above the bracket does not).
 */
double mmc_plan_headroom(const struct mmc_plan_in *in, unsigned long c);

/* One what-if of the sensitivity report. */
struct mmc_plan_whatif {
    double service_factor;  /* mean service time multiplied by this (1.05: 5 % longer) */
    double arrival_factor;  /* arrival rate multiplied by this */
    double figure;          /* the binding term's figure at the recommended c; NaN if unstable */
    bool still_met;         /* the recommended c meets every term under the what-if */
    bool found;             /* some count <= c_max meets them */
    unsigned long c_needed; /* the smallest such count (found) */
};

/*
 * The what-if of r (a found plan for in) with the service time multiplied
 * by service_factor and the arrival rate by arrival_factor (both finite
 * >= 1e-9): r's binding term's figure at r's c, whether c still meets every
 * term, and the count that would. 0, or -1 with err set on bad factors.
 */
int mmc_plan_whatif(const struct mmc_plan_in *in, const struct mmc_plan_result *r,
                    double service_factor, double arrival_factor, struct mmc_plan_whatif *out,
                    struct mmc_error *err);

#endif
