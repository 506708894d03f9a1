/*
 * fuzz_simulate.c - libFuzzer harness for the whole pipeline (issue 13):
 * load a scenario, then simulate it and check the reports.
 *
 * An input is what tests/fuzz/fuzz_scenario.c takes: a scenario, then
 * optionally a line "#--set" and one override per line. It is loaded as
 * main.c loads it (every variant; files it names resolve in the fuzz data
 * directory, see fuzz_scenario.c), and whatever loads is run, so libFuzzer
 * explores the models and the experiment, not only the loader.
 *
 * Every input must run in milliseconds, so the run is cut down before it
 * starts: at most 3 replications (10 with control variates, which need 8;
 * one more with a precision rule), 2 values per
 * sweep axis and 3 variants, 200 tasks per replication and per warm-up (a
 * time limit becomes what 200 arrivals take), backlogs of 500, batch means
 * with 10 batches on 800 tasks; and a run that still takes longer than
 * 0.4 s of wall clock is cancelled by a watchdog thread (its report is
 * partial, which must be well-formed too). Each input is also run
 * --analytic first (instant).
 *
 * What is checked (tests/soak/props.c, the same checks as `make soak`): a
 * refused input has one error line with file, line and column; a run's
 * table, CSV and JSON are well-formed and carry only finite numbers,
 * probabilities and utilizations are in [0, 1], conservation holds,
 * Little's law holds where README promises it exactly, a "differs" verdict
 * has a finite z past its limit; and a run that was not cut short gives
 * the same CSV on one thread and on two. A broken property prints the
 * failures and the CSV, then aborts. MMC_FUZZ_SIM_SKIP=tag,tag (e.g.
 * "nonfinite-table") lets a fuzzing session look past open findings of those
 * kinds; make targets never set it.
 */
#include "experiment.h"
#include "props.h"
#include "report.h"
#include "scenario.h"

#include <errno.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FUZZ_NAME "fuzz_simulate"
#include "fuzz_common.h"

#define MAX_REPS 3
#define MAX_CV_REPS 10
#define MAX_AXIS 2
#define MAX_VARIANTS 3
#define MAX_TASKS 200.0
#define MAX_BACKLOG 500.0
#define WALL_LIMIT_S 0.4

/* The input split as fuzz_scenario.c splits it: document length, overrides (caller frees). */
static size_t split(char *buf, size_t size, struct mmc_override **ov, size_t *n_ov)
{
    static const char mark[] = "#--set";
    const size_t mlen = sizeof mark - 1;
    size_t doc_len = size;
    char *rest = NULL;
    *ov = NULL;
    *n_ov = 0;
    for (size_t i = 0; i + mlen <= size; i++)
        if ((i == 0 || buf[i - 1] == '\n') && memcmp(buf + i, mark, mlen) == 0 &&
            (i + mlen == size || buf[i + mlen] == '\n')) {
            doc_len = i;
            rest = i + mlen < size ? buf + i + mlen + 1 : buf + size;
            break;
        }
    if (rest == NULL)
        return doc_len;
    size_t cap = 1;
    for (const char *p = rest; p < buf + size; p++)
        cap += *p == '\n';
    *ov = calloc(cap, sizeof **ov);
    if (*ov == NULL)
        die("out of memory", NULL);
    for (char *p = rest; p < buf + size;) {
        char *nl = memchr(p, '\n', (size_t)(buf + size - p));
        char *end = nl ? nl : buf + size;
        *end = '\0';
        if (end > p)
            (*ov)[(*n_ov)++].text = p;
        p = end + 1;
    }
    return doc_len;
}

/* A refusal must say where and why, on one line: "file:line:col: ..." (README, exit 2). */
static void check_refusal(const struct mmc_error *err)
{
    struct soak_fails f = {0};
    char line[2048];
    soak_check_error(err, &f);
    mmc_error_format(err, line, sizeof line);
    if (f.n > 0)
        die(f.msg[0], line);
}

/* Cut the run down before the experiment is built (see the top comment). */
static void shrink_scenario(struct mmc_scenario *s)
{
    s->arrival.n = s->arrival.n > MAX_AXIS ? MAX_AXIS : s->arrival.n;
    s->service.n = s->service.n > MAX_AXIS ? MAX_AXIS : s->service.n;
    s->workers.n = s->workers.n > MAX_AXIS ? MAX_AXIS : s->workers.n;
    s->network_delay.n = s->network_delay.n > MAX_AXIS ? MAX_AXIS : s->network_delay.n;
    /* control variates need 8 replications to apply at all */
    unsigned long reps = s->control_variates ? MAX_CV_REPS : MAX_REPS;
    if (s->replications > reps)
        s->replications = reps;
    if (s->precision.max_replications > reps + 1)
        s->precision.max_replications = reps + 1;
    if (s->method == MMC_METHOD_BATCH_MEANS) {
        s->batches = 10;
        if (s->stop.kind == MMC_LIMIT_TASKS)
            s->stop.value = 800; /* the least batch means accept for 10 batches */
    } else if (s->stop.kind == MMC_LIMIT_TASKS && s->stop.value > MAX_TASKS) {
        s->stop.value = MAX_TASKS;
    }
    if (s->warmup.kind == MMC_LIMIT_TASKS && s->warmup.value > MAX_TASKS)
        s->warmup.value = MAX_TASKS;
    if (s->initial.kind == MMC_INITIAL_IN_SYSTEM && s->initial.in_system > MAX_BACKLOG)
        s->initial.in_system = MAX_BACKLOG;
}

/* Time limits become what MAX_TASKS arrivals take at the point's rate. */
static void shrink_points(struct mmc_experiment *x)
{
    for (size_t i = 0; i < x->n_points; i++) {
        struct mmc_point *p = &x->points[i];
        double span = p->lambda > 0 && isfinite(p->lambda) ? MAX_TASKS / p->lambda : INFINITY;
        if (p->stop.kind == MMC_LIMIT_TIME && p->stop.value > span)
            p->stop.value = span;
        if (p->warmup.kind == MMC_LIMIT_TIME && p->warmup.value > span)
            p->warmup.value = span;
    }
}

/* A watchdog thread that cancels the run after WALL_LIMIT_S unless told it ended (a thread,
 * not the progress callback, so that it depends only on opt->cancel). */
struct guard {
    atomic_int cancel;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool done;
    pthread_t thread;
};

static void *watchdog(void *arg)
{
    struct guard *g = arg;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += (long)(WALL_LIMIT_S * 1e9);
    until.tv_sec += until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
    pthread_mutex_lock(&g->mu);
    while (!g->done)
        if (pthread_cond_timedwait(&g->cv, &g->mu, &until) == ETIMEDOUT) {
            atomic_store(&g->cancel, 1);
            break;
        }
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

static void guard_start(struct guard *g)
{
    atomic_init(&g->cancel, 0);
    g->done = false;
    if (pthread_mutex_init(&g->mu, NULL) != 0 || pthread_cond_init(&g->cv, NULL) != 0 ||
        pthread_create(&g->thread, NULL, watchdog, g) != 0)
        die("cannot start the watchdog", NULL);
}

static void guard_stop(struct guard *g)
{
    pthread_mutex_lock(&g->mu);
    g->done = true;
    pthread_cond_signal(&g->cv);
    pthread_mutex_unlock(&g->mu);
    pthread_join(g->thread, NULL);
    pthread_cond_destroy(&g->cv);
    pthread_mutex_destroy(&g->mu);
}

/* Build, cut down, run; the reports into text[0..2] (table, CSV, JSON; caller frees). Returns
 * whether the run was whole (1: not cancelled, no wall-clock limit hit; 0), or -1 when the
 * experiment is refused. */
static int run(struct mmc_scenario *s, size_t n, unsigned threads, bool analytic,
               struct soak_fails *f, char *text[3])
{
    static const enum mmc_format fmt[3] = {MMC_FORMAT_TABLE, MMC_FORMAT_CSV, MMC_FORMAT_JSON};
    struct mmc_experiment x;
    struct mmc_error err = {.line = 0};
    struct guard g;
    if (mmc_experiment_init_variants(&x, s, n, &err) != 0) {
        check_refusal(&err);
        return -1;
    }
    shrink_points(&x);
    struct mmc_run_options opt = {
        .threads = threads, .analytic_only = analytic, .cancel = &g.cancel};
    guard_start(&g);
    mmc_experiment_run(&x, &opt);
    guard_stop(&g);
    struct mmc_report_info info = {.version = "fuzz", .analytic_only = analytic};
    size_t len[3];
    for (int k = 0; k < 3; k++) {
        FILE *m = open_memstream(&text[k], &len[k]);
        if (m == NULL || mmc_report_write(m, fmt[k], &x, &info) != 0 || fclose(m) != 0)
            die("a report could not be written to memory", NULL);
    }
    soak_check_reports(&x, text[1], text[2], text[0], f);
    bool whole = !x.interrupted;
    for (size_t i = 0; i < x.n_points; i++)
        whole = whole && x.summaries[i].stop_reason != MMC_STOP_MAX_TIME;
    mmc_experiment_fini(&x);
    return whole;
}

/* Is failure msg's tag listed in MMC_FUZZ_SIM_SKIP (comma-separated tags)? For exploring past
 * an open finding only: by default every property is checked. */
static bool skipped(const char *msg)
{
    const char *skip = getenv("MMC_FUZZ_SIM_SKIP");
    size_t n = strcspn(msg, ":");
    for (const char *p = skip; p != NULL && *p != '\0';) {
        size_t k = strcspn(p, ",");
        if (k == n && strncmp(p, msg, n) == 0)
            return true;
        p += k + (p[k] == ',');
    }
    return false;
}

static void report_failures(const struct soak_fails *f, const char *csv)
{
    size_t shown = 0;
    for (size_t i = 0; i < f->n && i < SOAK_MAX_FAILS; i++)
        if (!skipped(f->msg[i])) {
            fprintf(stderr, "FAIL %s\n", f->msg[i]);
            shown++;
        }
    if (shown == 0 && f->n <= SOAK_MAX_FAILS)
        return;
    fprintf(stderr, "--- CSV:\n%s\n", csv ? csv : "");
    die("a report broke a property (above)", NULL);
}

static void free_texts(char *text[3])
{
    for (int k = 0; k < 3; k++) {
        free(text[k]);
        text[k] = NULL;
    }
}

/* The closed forms alone, then a simulation: check both; compare -j 1 with -j 2 when both
 * simulations ran whole. */
static void simulate(struct mmc_scenario *s, size_t n)
{
    struct soak_fails f = {0};
    char *a[3] = {NULL}, *b[3] = {NULL};
    n = n > MAX_VARIANTS ? MAX_VARIANTS : n;
    for (size_t v = 0; v < n; v++)
        shrink_scenario(&s[v]);
    if (run(s, n, 1, true, &f, a) < 0)
        return;
    report_failures(&f, a[1]);
    free_texts(a);
    f = (struct soak_fails){0};
    int whole = run(s, n, 1, false, &f, a);
    report_failures(&f, a[1]);
    f = (struct soak_fails){0};
    if (whole == 1 && run(s, n, 2, false, &f, b) == 1 && strcmp(a[1], b[1]) != 0) {
        fprintf(stderr, "--- -j 1:\n%s\n--- -j 2:\n%s\n", a[1], b[1]);
        die("the CSV differs between one and two threads", NULL);
    }
    free_texts(a);
    free_texts(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    struct mmc_override *ov;
    size_t n_ov;
    if (buf == NULL)
        return 0;
    if (size > 0)
        memcpy(buf, data, size);
    buf[size] = '\0';
    size_t doc_len = split(buf, size, &ov, &n_ov);

    const char *name = scenario_name();
    struct mmc_scenario first;
    struct mmc_error err = {.line = 0};
    if (mmc_scenario_load_string(&first, buf, doc_len, name, ov, n_ov, 0, &err) != 0) {
        check_refusal(&err);
        free(ov);
        free(buf);
        return 0;
    }
    /* every variant, as main.c loads them; one refused: the scenario is refused */
    size_t n = first.n_variants > 0 ? first.n_variants : 1, loaded = 1;
    struct mmc_scenario *s = calloc(n, sizeof *s);
    if (s == NULL)
        die("out of memory", NULL);
    s[0] = first;
    for (; loaded < n; loaded++) {
        err = (struct mmc_error){.line = 0};
        if (mmc_scenario_load_string(&s[loaded], buf, doc_len, name, ov, n_ov, loaded, &err) != 0) {
            check_refusal(&err);
            break;
        }
    }
    if (loaded == n)
        simulate(s, n);
    for (size_t v = 0; v < loaded; v++)
        mmc_scenario_fini(&s[v]);
    free(s);
    free(ov);
    free(buf);
    return 0;
}
