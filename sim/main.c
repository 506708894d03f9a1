/*
 * main.c - the mmcsim command line: parse options into a struct, load the
 * scenario, run the experiment, write the report whole or not at all.
 *
 * Exit status: 0 ok; 1 usage error or environment failure (I/O, memory);
 * 2 bad scenario or bad option value (one line: file:line:col: what was
 * expected); 3 a run broke one of its own invariants (conservation or work
 * conservation) - a simulator bug, never a property of the input; 130 / 143
 * interrupted by SIGINT / SIGTERM (the report, marked partial, holds the
 * replications that finished); 4 (mmcsim plan) no worker count up to the
 * maximum meets the SLO terms at some point of the sweep.
 */
#include "experiment.h"
#include "plan.h"
#include "plan_table.h"
#include "report.h"
#include "scenario.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <gsl/gsl_errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MMC_VERSION "0.1.0"
#define MAX_OVERRIDES 256

enum { EXIT_USAGE = 1, EXIT_BAD_INPUT = 2, EXIT_INVARIANT = 3, EXIT_NO_PLAN = 4 };

struct cli {
    const char *scenario;
    const char *output; /* NULL: stdout */
    enum mmc_format format;
    bool analytic, quiet, validate;
    unsigned threads;
    size_t n_ov;
    struct mmc_override ov[MAX_OVERRIDES + 2];
    /* --seed and --replications, applied after every --set (so "--set:N" stays the N-th --set) */
    char owned[2][64];
};

static const char usage_text[] =
    "usage: mmcsim [options] SCENARIO.yaml\n"
    "       mmcsim plan [plan options] SCENARIO.yaml   (mmcsim plan --help)\n"
    "\n"
    "Simulate the queueing model a scenario describes and print every simulated\n"
    "figure beside its closed form, with a 95% confidence interval and a verdict.\n"
    "\n"
    "options:\n"
    "  --format table|csv|json  output format (default table)\n"
    "  -o, --output FILE        write the report to FILE (whole, or not at all)\n"
    "  --seed N                 seed for every random stream (same as --set seed=N)\n"
    "  --replications N         replications per sweep point (--set replications=N)\n"
    "  --set KEY=VALUE          override a scenario key; dotted keys, repeatable:\n"
    "                           --set workers=64 --set arrival.rate=60\n"
    "                           a scalar replaces a sweep list, [1,2,8] makes one\n"
    "  --analytic               closed forms only, no simulation\n"
    "  --validate               exit 3 when a steady-state verdict is \"differs\"\n"
    "  --compare                paired differences between adjacent sweep points\n"
    "                           (same as --set compare=adjacent)\n"
    "  -j, --threads N          worker threads (default: online CPUs); never\n"
    "                           changes the output\n"
    "  -q, --quiet              no progress on stderr\n"
    "  -h, --help               this text\n"
    "  -V, --version            print the version\n"
    "\n"
    "exit status: 0 ok, 1 usage error or failure to write, 2 bad scenario or value,\n"
    "             3 a run broke one of its own invariants, or (--validate)\n"
    "               a simulated figure differs from its closed form,\n"
    "             130/143 interrupted (SIGINT/SIGTERM): partial report written\n";

static void die_usage(const char *fmt, const char *arg)
{
    fputs("mmcsim: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (try mmcsim --help)\n", stderr);
    exit(EXIT_USAGE);
}

static void die_value(const char *opt, const char *expected, const char *got)
{
    fprintf(stderr, "mmcsim: %s: expected %s, got \"%s\"\n", opt, expected, got);
    exit(EXIT_BAD_INPUT);
}

/* Parse a whole decimal number in [lo, hi], or die with exit 2. */
static unsigned long long parse_count(const char *opt, const char *text, unsigned long long lo,
                                      unsigned long long hi, const char *expected)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (text[0] == '\0' || text[0] == '-' || *end != '\0' || errno != 0 || v < lo || v > hi)
        die_value(opt, expected, text);
    return v;
}

static void add_override(struct cli *cli, const char *text)
{
    if (cli->n_ov == MAX_OVERRIDES)
        die_usage("too many --set options (at most %s)", "256");
    cli->ov[cli->n_ov++].text = text;
}

/* --seed and --replications are --set in disguise, checked here for a clearer message. */
static void set_owned(struct cli *cli, int slot, const char *key, unsigned long long v)
{
    snprintf(cli->owned[slot], sizeof cli->owned[slot], "%s=%llu", key, v);
}

static unsigned default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 && n < 1024 ? (unsigned)n : 1;
}

enum { OPT_FORMAT = 256, OPT_SEED, OPT_REPS, OPT_SET, OPT_ANALYTIC, OPT_VALIDATE, OPT_COMPARE };

static const struct option long_options[] = {
    {"format", required_argument, NULL, OPT_FORMAT},
    {"output", required_argument, NULL, 'o'},
    {"seed", required_argument, NULL, OPT_SEED},
    {"replications", required_argument, NULL, OPT_REPS},
    {"set", required_argument, NULL, OPT_SET},
    {"analytic", no_argument, NULL, OPT_ANALYTIC},
    {"validate", no_argument, NULL, OPT_VALIDATE},
    {"compare", no_argument, NULL, OPT_COMPARE},
    {"threads", required_argument, NULL, 'j'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

static void parse_option(struct cli *cli, int opt, const char *arg)
{
    switch (opt) {
    case OPT_FORMAT:
        if (mmc_format_parse(arg, &cli->format) != 0)
            die_value("--format", "table, csv or json", arg);
        break;
    case 'o':
        cli->output = arg;
        break;
    case OPT_SEED:
        set_owned(cli, 0, "seed",
                  parse_count("--seed", arg, 0, ULLONG_MAX, "a whole number 0..2^64-1"));
        break;
    case OPT_REPS:
        set_owned(cli, 1, "replications",
                  parse_count("--replications", arg, 1, 1000000, "a whole number 1..1000000"));
        break;
    case OPT_SET:
        add_override(cli, arg);
        break;
    case OPT_ANALYTIC:
        cli->analytic = true;
        break;
    case OPT_VALIDATE:
        cli->validate = true;
        break;
    case OPT_COMPARE:
        add_override(cli, "compare=adjacent");
        break;
    case 'j':
        cli->threads = (unsigned)parse_count("--threads", arg, 1, 1024, "a whole number 1..1024");
        break;
    case 'q':
        cli->quiet = true;
        break;
    case 'h':
        fputs(usage_text, stdout);
        exit(0);
    case 'V':
        puts("mmcsim " MMC_VERSION);
        exit(0);
    case ':':
        die_usage("option %s needs a value", arg);
        break;
    default:
        die_usage("unknown option %s", arg);
    }
}

static void parse_cli(struct cli *cli, int argc, char **argv)
{
    *cli = (struct cli){.format = MMC_FORMAT_TABLE, .threads = default_threads()};
    int opt;
    opterr = 0; /* one line of our own instead of getopt's */
    while ((opt = getopt_long(argc, argv, ":o:j:qhV", long_options, NULL)) != -1)
        parse_option(cli, opt, opt == '?' || opt == ':' ? argv[optind - 1] : optarg);
    for (int slot = 0; slot < 2; slot++)
        if (cli->owned[slot][0] != '\0')
            cli->ov[cli->n_ov++].text = cli->owned[slot];
    if (optind >= argc)
        die_usage("%s", "missing SCENARIO.yaml");
    if (optind + 1 < argc)
        die_usage("unexpected argument \"%s\": one scenario per run", argv[optind + 1]);
    cli->scenario = argv[optind];
}

/* Set by SIGINT / SIGTERM: the run stops and reports what finished (lock-free, so a handler may
 * store it); the signal's number, for the exit status 128 + signal. */
static atomic_int cancel_run;
static volatile sig_atomic_t caught_signal;

static void on_signal(int sig)
{
    caught_signal = sig;
    atomic_store(&cancel_run, 1);
}

/* The first SIGINT or SIGTERM stops the run cleanly; a second one kills (SA_RESETHAND). */
static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/*
 * The progress line on a terminal, for the whole run, in one of three forms
 * (tests/progress.sh): warm-up pilot rounds count their paths; a run without
 * a precision rule shows its one round of replications with a percentage and,
 * once a run has finished, the time left at the round's rate; with a
 * precision rule, whose rounds are sized as they come, the points that met
 * the target, the widest interval still open against it, and the runs done.
 * Nothing in it starts again from 0 and nothing is printed that is not a
 * finite number.
 */
struct progress {
    bool shown; /* a line is on the terminal */
};

static void progress(void *ctx, const struct mmc_progress *p)
{
    struct progress *pg = ctx;
    if (p->elapsed_s < 1.0) /* a short run shows nothing */
        return;
    pg->shown = true;
    if (p->pilots) {
        fprintf(stderr, "\rmmcsim: warm-up pilots, %zu/%zu paths, %.1f s elapsed\033[K", p->done,
                p->total, p->elapsed_s);
    } else if (p->last_round) {
        fprintf(stderr, "\rmmcsim: %zu/%zu runs, %zu%%, %.1f s elapsed", p->done, p->total,
                p->total > 0 ? p->done * 100 / p->total : 100, p->elapsed_s);
        if (p->done > 0 && p->done < p->total) /* the round's rate so far, once there is one */
            fprintf(stderr, ", ~%.0f s left",
                    p->round_elapsed_s * (double)(p->total - p->done) / (double)p->done);
        fputs("\033[K", stderr);
    } else {
        fprintf(stderr, "\rmmcsim: %zu/%zu points at +-%g%%", p->points_done, p->n_points,
                100.0 * p->target);
        if (isfinite(p->widest) && p->widest > 0.0)
            fprintf(stderr, ", widest +-%.3g%%", 100.0 * p->widest);
        fprintf(stderr, ", %zu runs, %.1f s elapsed\033[K", p->runs_done, p->elapsed_s);
    }
}

/* Clear the progress line before anything else is written to the terminal. */
static void progress_end(const struct progress *pg)
{
    if (pg->shown)
        fputs("\r\033[K", stderr);
}

/* All of data to fd, across short writes and interrupted calls; 0, or -1 with errno set. */
static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            errno = n == 0 ? EIO : errno;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Straight to path (a device such as /dev/full or /dev/stdout, a pipe): nothing to rename. */
static int write_direct(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_TRUNC);
    if (fd < 0)
        return -1;
    int rc = write_all(fd, data, len), e = errno;
    if (close(fd) != 0 && rc == 0) {
        rc = -1;
        e = errno;
    }
    errno = e;
    return rc;
}

/*
 * Write len bytes to path. A new file or a regular one is written to a
 * temporary file beside it, synced, and renamed over it: a reader, a crash or
 * a full disk sees the old file or the whole new one, never a part.
 * Anything else - a device, a pipe, a symbolic link (renaming would replace
 * the link, e.g. /dev/stdout, not what it points to) - is written in place.
 * 0, or -1 with errno.
 */
static int write_file(const char *path, const char *data, size_t len)
{
    struct stat st;
    if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return write_direct(path, data, len);
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = mkstemp(tmp);
    if (fd < 0)
        return -1;
    mode_t mask = umask(0); /* mkstemp makes 0600: give the file the mode a new file gets */
    umask(mask);
    int rc =
        fchmod(fd, 0666 & ~mask) == 0 && write_all(fd, data, len) == 0 && fsync(fd) == 0 ? 0 : -1;
    int e = errno;
    if (close(fd) != 0 && rc == 0) {
        rc = -1;
        e = errno;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        rc = -1;
        e = errno;
    }
    if (rc != 0) {
        unlink(tmp);
        errno = e ? e : EIO;
    }
    return rc;
}

static int emit(const struct cli *cli, const struct mmc_experiment *x)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    struct mmc_report_info info = {.version = MMC_VERSION, .analytic_only = cli->analytic};
    if (mem == NULL || mmc_report_write(mem, cli->format, x, &info) != 0 || fclose(mem) != 0) {
        fputs("mmcsim: out of memory\n", stderr);
        exit(1);
    }
    int rc = 0;
    if (cli->output == NULL) {
        if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
            fprintf(stderr, "mmcsim: writing the report to standard output: %s\n", strerror(errno));
            rc = -1;
        }
    } else if (write_file(cli->output, text, len) != 0) {
        fprintf(stderr, "mmcsim: %s: %s\n", cli->output, strerror(errno));
        rc = -1;
    }
    free(text);
    return rc;
}

static bool invariants_hold(const struct mmc_experiment *x)
{
    for (size_t i = 0; i < x->n_points; i++) {
        const struct mmc_summary *sm = &x->summaries[i];
        if (sm->simulated &&
            (!sm->conserved || (sm->point.model->work_conserving && sm->work_violations != 0)))
            return false;
    }
    return true;
}

static bool any_differs(const struct mmc_experiment *x)
{
    for (size_t i = 0; i < x->n_points; i++)
        if (mmc_summary_differs(&x->summaries[i]))
            return true;
    return false;
}

/* Free the n loaded variants and the array. */
static void free_variants(struct mmc_scenario *s, size_t n)
{
    for (size_t v = 0; v < n; v++)
        mmc_scenario_fini(&s[v]);
    free(s);
}

/* Every variant of the scenario file (one when it has none) into *out; 0, or -1 with err set. */
static int load_variants(const struct cli *cli, struct mmc_scenario **out, size_t *n,
                         struct mmc_error *err)
{
    struct mmc_scenario first = {0};
    if (mmc_scenario_load(&first, cli->scenario, cli->ov, cli->n_ov, err) != 0)
        return -1;
    *n = first.n_variants > 0 ? first.n_variants : 1;
    *out = calloc(*n, sizeof **out);
    if (*out == NULL) {
        fputs("mmcsim: out of memory\n", stderr);
        exit(1);
    }
    (*out)[0] = first;
    for (size_t v = 1; v < *n; v++)
        if (mmc_scenario_load_variant(&(*out)[v], cli->scenario, cli->ov, cli->n_ov, v, err) != 0) {
            free_variants(*out, v);
            return -1;
        }
    return 0;
}

/* Run x until done or interrupted, with the progress line when stderr is a terminal. */
static void run_experiment(const struct cli *cli, struct mmc_experiment *x)
{
    struct progress pg = {0};
    struct mmc_run_options opt = {
        .threads = cli->threads,
        .analytic_only = cli->analytic,
        .progress = !cli->quiet && isatty(STDERR_FILENO) ? progress : NULL,
        .progress_ctx = &pg,
        .cancel = &cancel_run,
    };
    catch_signals();
    mmc_experiment_run(x, &opt);
    progress_end(&pg);
}

static int run(const struct cli *cli)
{
    struct mmc_scenario *s = NULL;
    size_t n_variants = 0;
    struct mmc_experiment x = {0};
    struct mmc_error err = {0};
    char line[1024];
    if (load_variants(cli, &s, &n_variants, &err) != 0) {
        mmc_error_format(&err, line, sizeof line);
        fprintf(stderr, "mmcsim: %s\n", line);
        return EXIT_BAD_INPUT;
    }
    if (mmc_experiment_init_variants(&x, s, n_variants, &err) != 0) {
        mmc_error_format(&err, line, sizeof line);
        fprintf(stderr, "mmcsim: %s\n", line);
        free_variants(s, n_variants);
        return EXIT_BAD_INPUT;
    }
    run_experiment(cli, &x);
    int rc = emit(cli, &x) != 0 ? 1 : invariants_hold(&x) ? 0 : EXIT_INVARIANT;
    if (rc == EXIT_INVARIANT) {
        fputs("mmcsim: a run broke an invariant (see the checks): this is a bug\n", stderr);
    } else if (rc == 0 && x.interrupted) {
        int sig = caught_signal == SIGTERM ? SIGTERM : SIGINT;
        fprintf(stderr,
                "mmcsim: interrupted by %s: the report holds the replications that finished and "
                "is marked partial\n",
                sig == SIGTERM ? "SIGTERM" : "SIGINT");
        rc = 128 + sig;
    } else if (rc == 0 && cli->validate && any_differs(&x)) {
        fputs("mmcsim: --validate: a simulated figure differs from its closed form\n", stderr);
        rc = EXIT_INVARIANT;
    }
    mmc_experiment_fini(&x);
    free_variants(s, n_variants);
    return rc;
}

/* ---- mmcsim plan ---- */

#define DEFAULT_WORKERS_MAX 1000000UL

struct plan_cli {
    const char *scenario;
    const char *output; /* NULL: stdout */
    size_t n_ov;
    struct mmc_override ov[MAX_OVERRIDES];
    struct mmc_slo slo[MMC_PLAN_MAX_SLO];
    size_t n_slo;
    unsigned long workers_max;
    double sens[MMC_PLAN_MAX_SENS];
    size_t n_sens;
    bool closed_form; /* no confirmation by simulation */
    unsigned threads;
};

static const char plan_usage_text[] =
    "usage: mmcsim plan [options] SCENARIO.yaml --slo TERM [--slo TERM ...]\n"
    "\n"
    "The smallest worker count that meets every SLO term, for each point of the\n"
    "scenario's sweep other than workers, with the figures at that count and the\n"
    "one below, the headroom (the arrival rate up to which the count still meets\n"
    "every term) and the sensitivity of the binding term. Solved by the M/M/c\n"
    "closed form (model mmc, exponential arrival and service), then confirmed by\n"
    "simulating the count and the one below with the scenario's replications:\n"
    "\"confirmed\" only when every term's 95% interval at the count meets its\n"
    "target and one term's interval below it misses.\n"
    "\n"
    "options:\n"
    "  --slo TERM               METRIC[.STAT][[class]] OP VALUE, repeatable (up to 16):\n"
    "                           METRIC T, W, Wq (STAT mean, p50, p90, p95, p99, p99.9;\n"
    "                           default mean), utilization, P_wait, P(Wq>t), P_block,\n"
    "                           P_shed, P_throttle, P_abandon; OP <= or <; times in s\n"
    "                           e.g. --slo 'T.p99<=0.050' --slo 'P(Wq>0.01)<=0.05'\n"
    "  --workers-max N          the most workers considered (default 1000000)\n"
    "  --sensitivity F,F,...    what-ifs: service time and arrival rate each F higher\n"
    "                           (default 0.05,0.10; 'none' for no what-ifs)\n"
    "  --closed-form            no simulation: the closed form's answer alone\n"
    "  --set KEY=VALUE          override a scenario key, as for a run\n"
    "  -j, --threads N          simulation threads (default: online CPUs)\n"
    "  -o, --output FILE        write the plan to FILE (whole, or not at all)\n"
    "  -h, --help               this text\n"
    "\n"
    "exit status: 0 every point has a count, 1 usage error or failure to write,\n"
    "             2 bad scenario, term or value, 4 no count up to --workers-max\n"
    "               meets the terms at some point (the plan is still written)\n";

/* --sensitivity: "none", or up to MMC_PLAN_MAX_SENS comma-separated fractions > 0. */
static void parse_sensitivity(struct plan_cli *pc, const char *arg)
{
    const char *expected = "'none' or up to 8 comma-separated fractions > 0 (0.05,0.10)";
    pc->n_sens = 0;
    if (strcmp(arg, "none") == 0)
        return;
    const char *p = arg;
    for (;;) {
        char *end;
        errno = 0;
        double v = strtod(p, &end);
        if (end == p || errno != 0 || !isfinite(v) || !(v > 0.0) || pc->n_sens == MMC_PLAN_MAX_SENS)
            die_value("--sensitivity", expected, arg);
        pc->sens[pc->n_sens++] = v;
        if (*end == '\0')
            return;
        if (*end != ',')
            die_value("--sensitivity", expected, arg);
        p = end + 1;
    }
}

static void add_slo(struct plan_cli *pc, const char *arg)
{
    struct mmc_error err = {0};
    if (pc->n_slo == MMC_PLAN_MAX_SLO)
        die_usage("too many --slo terms (at most %s)", "16");
    if (mmc_slo_parse(arg, &pc->slo[pc->n_slo], &err) != 0) {
        fprintf(stderr, "mmcsim: --slo: %s\n", err.msg);
        exit(EXIT_BAD_INPUT);
    }
    pc->n_slo++;
}

enum { OPT_SLO = 300, OPT_WORKERS_MAX, OPT_SENSITIVITY, OPT_CLOSED_FORM };

static const struct option plan_options[] = {
    {"slo", required_argument, NULL, OPT_SLO},
    {"workers-max", required_argument, NULL, OPT_WORKERS_MAX},
    {"sensitivity", required_argument, NULL, OPT_SENSITIVITY},
    {"closed-form", no_argument, NULL, OPT_CLOSED_FORM},
    {"set", required_argument, NULL, OPT_SET},
    {"threads", required_argument, NULL, 'j'},
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void parse_plan_option(struct plan_cli *pc, int opt, const char *arg)
{
    switch (opt) {
    case OPT_SLO:
        add_slo(pc, arg);
        break;
    case OPT_WORKERS_MAX:
        pc->workers_max = (unsigned long)parse_count("--workers-max", arg, 1, 100000000,
                                                     "a whole number 1..100000000");
        break;
    case OPT_SENSITIVITY:
        parse_sensitivity(pc, arg);
        break;
    case OPT_CLOSED_FORM:
        pc->closed_form = true;
        break;
    case 'j':
        pc->threads = (unsigned)parse_count("--threads", arg, 1, 1024, "a whole number 1..1024");
        break;
    case OPT_SET:
        if (pc->n_ov == MAX_OVERRIDES)
            die_usage("too many --set options (at most %s)", "256");
        pc->ov[pc->n_ov++].text = arg;
        break;
    case 'o':
        pc->output = arg;
        break;
    case 'h':
        fputs(plan_usage_text, stdout);
        exit(0);
    case ':':
        die_usage("option %s needs a value", arg);
        break;
    default:
        die_usage("unknown option %s", arg);
    }
}

/* argv[0] is "plan". */
static void parse_plan_cli(struct plan_cli *pc, int argc, char **argv)
{
    *pc = (struct plan_cli){.workers_max = DEFAULT_WORKERS_MAX,
                            .sens = {0.05, 0.10},
                            .n_sens = 2,
                            .threads = default_threads()};
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":o:j:h", plan_options, NULL)) != -1)
        parse_plan_option(pc, opt, opt == '?' || opt == ':' ? argv[optind - 1] : optarg);
    if (optind >= argc)
        die_usage("%s", "plan: missing SCENARIO.yaml");
    if (optind + 1 < argc)
        die_usage("plan: unexpected argument \"%s\": one scenario per plan", argv[optind + 1]);
    if (pc->n_slo == 0)
        die_usage("%s", "plan: give at least one --slo TERM");
    pc->scenario = argv[optind];
}

/* The plan to stdout or the output file; 0, or -1 after printing why. */
static int plan_emit(const struct plan_cli *pc, const char *text, size_t len)
{
    if (pc->output == NULL) {
        if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
            fprintf(stderr, "mmcsim: writing the plan to standard output: %s\n", strerror(errno));
            return -1;
        }
    } else if (write_file(pc->output, text, len) != 0) {
        fprintf(stderr, "mmcsim: %s: %s\n", pc->output, strerror(errno));
        return -1;
    }
    return 0;
}

static int plan(const struct plan_cli *pc)
{
    struct mmc_scenario s = {0};
    struct mmc_error err = {0};
    char line[1024];
    if (mmc_scenario_load(&s, pc->scenario, pc->ov, pc->n_ov, &err) != 0) {
        mmc_error_format(&err, line, sizeof line);
        fprintf(stderr, "mmcsim: %s\n", line);
        return EXIT_BAD_INPUT;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (mem == NULL) {
        fputs("mmcsim: out of memory\n", stderr);
        exit(1);
    }
    struct mmc_plan_options o = {pc->slo,    pc->n_slo,        pc->workers_max, pc->sens,
                                 pc->n_sens, !pc->closed_form, pc->threads};
    int missed = mmc_plan_table_write(mem, &s, &o, &err);
    if (fclose(mem) != 0) {
        fputs("mmcsim: out of memory\n", stderr);
        exit(1);
    }
    int rc = 0;
    if (missed < 0) {
        mmc_error_format(&err, line, sizeof line);
        fprintf(stderr, "mmcsim: %s\n", line);
        rc = EXIT_BAD_INPUT;
    } else if (plan_emit(pc, text, len) != 0) {
        rc = EXIT_USAGE;
    } else if (missed > 0) {
        fprintf(stderr, "mmcsim: plan: no count up to %lu workers meets every term at %d point%s\n",
                pc->workers_max, missed, missed == 1 ? "" : "s");
        rc = EXIT_NO_PLAN;
    }
    free(text);
    mmc_scenario_fini(&s);
    return rc;
}

int main(int argc, char **argv)
{
    /* GSL's default handler aborts; we validate inputs first, so an error status is a bug */
    gsl_set_error_handler_off();
    if (argc > 1 && strcmp(argv[1], "plan") == 0) {
        struct plan_cli pc;
        parse_plan_cli(&pc, argc - 1, argv + 1);
        return plan(&pc);
    }
    struct cli cli;
    parse_cli(&cli, argc, argv);
    return run(&cli);
}
