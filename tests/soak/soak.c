/*
 * soak.c - the whole-pipeline random-scenario test (issue 13).
 *
 *     soak [-n N] [-s SEED] [-f FIRST] [-i INDEX] [-m MMCSIM] [-d DIR] [-P JOBS] [-t SECONDS]
 *
 * For each of N cases of generator seed SEED (tests/soak/gen.c) it does what
 * mmcsim does, in a process of its own (forked, so that a crash, a hang or a
 * sanitizer report is one failed case and the rest still run): load every
 * variant with the case's --set overrides, build the experiment, run it with
 * one thread and again with two, write the table, CSV and JSON reports to
 * memory, and check them (tests/soak/props.c). A broken case must be refused
 * with one well-formed error at the place the generator broke it. For a share
 * of the cases (every other broken one, one valid one in 25) it also runs the
 * mmcsim binary on the same file and overrides: a refusal must be exit 2 with
 * exactly one stderr line, "mmcsim: FILE:LINE:COL: ..." or "mmcsim:
 * --set:N:COL: ...", the same line the library gave, and nothing on stdout; a
 * run must exit 0 and print the same CSV bytes.
 *
 * Output: one line per failed case (its index, what failed), the case saved
 * as DIR/fail-INDEX.yaml with the failures and the command that reproduces
 * it in comments, then a summary (cases run, refused, failed, failures by
 * property, time, cases per second). Exit 1 when any case failed.
 * `soak -s SEED -i INDEX` runs one case in this process and prints it, its
 * failures and where it left its reports; `soak -y FILE` checks a scenario
 * file of one's own the same way (past findings are in tests/fuzz/regress_sim).
 *
 * Child exit codes: 0 passed, 10 properties failed (listed in the slot's
 * .out file), 11 a valid-looking case the loader refused (with a well-formed
 * error; counted, not a failure). Anything else, a signal or a sanitizer
 * line on stderr is a failure of its own.
 */
#define _XOPEN_SOURCE 700 /* realpath */

#include "experiment.h"
#include "gen.h"
#include "props.h"
#include "report.h"
#include "scenario.h"

#include <errno.h>
#include <fcntl.h>
#include <gsl/gsl_errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { CHILD_OK = 0, CHILD_FAILED = 10, CHILD_REFUSED = 11 };

#define MAX_JOBS 64
#define MAX_TAGS 64

struct opts {
    uint64_t seed, first, n;
    long one;           /* -i: the one case to run in-process, or -1 */
    const char *file;   /* -y: a scenario file to check instead, or NULL */
    const char *mmcsim; /* NULL: no binary checks */
    const char *dir;
    unsigned jobs, timeout;
    struct soak_paths paths;
};

/* The three reports of a run experiment, in memory. */
struct reports {
    char *text[3]; /* table, CSV, JSON */
    size_t len[3];
};

static void reports_free(struct reports *r)
{
    for (int k = 0; k < 3; k++)
        free(r->text[k]);
}

static void write_reports(const struct mmc_experiment *x, struct reports *r)
{
    static const enum mmc_format fmt[3] = {MMC_FORMAT_TABLE, MMC_FORMAT_CSV, MMC_FORMAT_JSON};
    struct mmc_report_info info = {.version = "soak", .analytic_only = false};
    for (int k = 0; k < 3; k++) {
        FILE *f = open_memstream(&r->text[k], &r->len[k]);
        if (f == NULL || mmc_report_write(f, fmt[k], x, &info) != 0 || fclose(f) != 0) {
            perror("soak: writing a report to memory");
            exit(1);
        }
    }
}

/* Every variant of file as main.c loads them; 0, or -1 with err set (*s freed). */
static int load_all(const struct soak_case *c, const char *file, struct mmc_scenario **s, size_t *n,
                    struct mmc_error *err)
{
    struct mmc_override ov[SOAK_MAX_OV];
    struct mmc_scenario first;
    for (size_t i = 0; i < c->n_ov; i++)
        ov[i].text = c->ov[i];
    if (mmc_scenario_load(&first, file, ov, c->n_ov, err) != 0)
        return -1;
    *n = first.n_variants > 0 ? first.n_variants : 1;
    *s = calloc(*n, sizeof **s);
    if (*s == NULL)
        abort();
    (*s)[0] = first;
    for (size_t v = 1; v < *n; v++)
        if (mmc_scenario_load_variant(&(*s)[v], file, ov, c->n_ov, v, err) != 0) {
            for (size_t k = 0; k < v; k++)
                mmc_scenario_fini(&(*s)[k]);
            free(*s);
            *s = NULL;
            return -1;
        }
    return 0;
}

static void free_all(struct mmc_scenario *s, size_t n)
{
    for (size_t v = 0; v < n; v++)
        mmc_scenario_fini(&s[v]);
    free(s);
}

/* Run the experiment of s on threads; its reports into r. 0, or -1 with err set. */
static int run_once(const struct mmc_scenario *s, size_t n, unsigned threads, struct reports *r,
                    struct mmc_experiment *keep, struct mmc_error *err)
{
    struct mmc_experiment x = {0};
    struct mmc_run_options opt = {.threads = threads};
    if (mmc_experiment_init_variants(&x, s, n, err) != 0)
        return -1;
    mmc_experiment_run(&x, &opt);
    write_reports(&x, r);
    if (keep != NULL)
        *keep = x;
    else
        mmc_experiment_fini(&x);
    return 0;
}

/* Does the case load, every variant, without override number skip (1-based)? A valid-looking
 * case is now and then refused by itself (about 0.5 %); broken further by an override, either
 * error is then a right answer. */
static bool loads_without(const struct soak_case *c, const char *file, size_t skip)
{
    struct mmc_override ov[SOAK_MAX_OV];
    size_t n = 0;
    for (size_t i = 0; i < c->n_ov; i++)
        if (i + 1 != skip)
            ov[n++].text = c->ov[i];
    struct mmc_scenario s;
    struct mmc_error err = {0};
    if (mmc_scenario_load(&s, file, ov, n, &err) != 0)
        return false;
    size_t nv = s.n_variants > 0 ? s.n_variants : 1;
    mmc_scenario_fini(&s);
    for (size_t v = 1; v < nv; v++) {
        if (mmc_scenario_load_variant(&s, file, ov, n, v, &err) != 0)
            return false;
        mmc_scenario_fini(&s);
    }
    return true;
}

/* Was the error put where the generator broke the case? */
static void check_origin(const struct soak_case *c, const struct mmc_error *err, const char *name,
                         struct soak_fails *f)
{
    char line[1200];
    mmc_error_format(err, line, sizeof line);
    if (c->kind == SOAK_BAD_SET &&
        (strcmp(err->file, "--set") != 0 || err->line != (int)c->bad_ov) &&
        loads_without(c, name, c->bad_ov))
        soak_fail(f, "error-origin: %s: expected --set:%zu, got \"%s\"", c->what, c->bad_ov, line);
    if (c->kind == SOAK_BAD_FILE &&
        (strcmp(err->file, name) != 0 || (c->bad_line > 0 && err->line != c->bad_line)))
        soak_fail(f, "error-origin: %s: expected %s:%d, got \"%s\"", c->what, name, c->bad_line,
                  line);
}

/* ---- the binary ---- */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    if (f == NULL)
        return calloc(1, 1);
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = 2 * (n + 4096) + 1;
            buf = realloc(buf, cap);
            if (buf == NULL)
                abort();
        }
        size_t k = fread(buf + n, 1, cap - n - 1, f);
        n += k;
        if (k == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    if (len != NULL)
        *len = n;
    return buf;
}

static void write_text(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "soak: %s: %s\n", path, strerror(errno));
        exit(1);
    }
}

/* mmcsim -q --format csv [--set ...] FILE; its exit status (-1: killed), stdout, stderr. */
static int run_binary(const struct opts *o, const struct soak_case *c, const char *file, char **out,
                      char **err)
{
    char out_path[PATH_MAX], err_path[PATH_MAX];
    const char *argv[8 + 2 * SOAK_MAX_OV];
    size_t k = 0;
    snprintf(out_path, sizeof out_path, "%s.stdout", file);
    snprintf(err_path, sizeof err_path, "%s.stderr", file);
    argv[k++] = o->mmcsim;
    argv[k++] = "-q";
    argv[k++] = "--format";
    argv[k++] = "csv";
    for (size_t i = 0; i < c->n_ov; i++) {
        argv[k++] = "--set";
        argv[k++] = c->ov[i];
    }
    argv[k++] = file;
    argv[k] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        int fo = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int fe = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
            _exit(127);
        execv(o->mmcsim, (char *const *)argv);
        _exit(127);
    }
    int st = 0;
    if (pid < 0 || waitpid(pid, &st, 0) < 0)
        return -2;
    *out = slurp(out_path, NULL);
    *err = slurp(err_path, NULL);
    unlink(out_path);
    unlink(err_path);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The binary must agree with the library: the same refusal line, or the same CSV. */
static void check_binary(const struct opts *o, const struct soak_case *c, const char *file,
                         const struct mmc_error *err, const struct reports *r, struct soak_fails *f)
{
    char *out = NULL, *errs = NULL, want[1300], line[1200];
    int rc = run_binary(o, c, file, &out, &errs);
    if (err != NULL) {
        mmc_error_format(err, line, sizeof line);
        snprintf(want, sizeof want, "mmcsim: %s\n", line);
        if (rc != 2)
            soak_fail(f, "binary-exit: refused in the library, but mmcsim exited %d: %.200s", rc,
                      errs);
        else if (strcmp(errs, want) != 0)
            soak_fail(f, "binary-stderr: expected one line \"%.200s\", got \"%.300s\"", line, errs);
        if (out[0] != '\0')
            soak_fail(f, "binary-stdout: a refused scenario printed %zu bytes", strlen(out));
    } else {
        if (rc != 0)
            soak_fail(f, "binary-exit: mmcsim exited %d: %.300s", rc, errs);
        else if (strcmp(out, r->text[1]) != 0)
            soak_fail(f, "binary-csv: mmcsim's CSV differs from the library's");
        if (errs[0] != '\0')
            soak_fail(f, "binary-stderr: a run wrote to stderr: %.300s", errs);
    }
    free(out);
    free(errs);
}

/* Should case index also go through the binary? (Deterministic, by index.) */
static bool use_binary(const struct opts *o, const struct soak_case *c)
{
    uint64_t h = (c->index + 1) * 0x9e3779b97f4a7c15ULL;
    unsigned pct = c->kind == SOAK_VALID ? 4 : 50;
    return o->mmcsim != NULL && (h >> 40) % 100 < pct;
}

/* ---- one case ---- */

static void case_file(const struct opts *o, uint64_t index, char *buf, size_t size)
{
    snprintf(buf, size, "%s/work/case-%llu.yaml", o->dir, (unsigned long long)index);
}

/* Load, run at -j 1 and -j 2, check; the reports of the -j 2 run are left in keep. */
static int run_case(const struct opts *o, const struct soak_case *c, struct soak_fails *f,
                    struct reports *keep)
{
    char name[PATH_MAX];
    struct mmc_scenario *s = NULL;
    size_t n = 0;
    struct mmc_error err = {0};
    struct reports r1 = {0}, r2 = {0};
    struct mmc_experiment x = {0};
    case_file(o, c->index, name, sizeof name);
    write_text(name, c->yaml, c->len);
    int rc = load_all(c, name, &s, &n, &err);
    if (rc == 0 && run_once(s, n, 1, &r1, NULL, &err) != 0)
        rc = -1;
    if (rc != 0) {
        soak_check_error(&err, f);
        check_origin(c, &err, name, f);
        if (use_binary(o, c))
            check_binary(o, c, name, &err, NULL, f);
        if (s != NULL)
            free_all(s, n);
        if (keep == NULL)
            unlink(name);
        return f->n ? CHILD_FAILED : c->kind == SOAK_VALID ? CHILD_REFUSED : CHILD_OK;
    }
    if (c->kind != SOAK_VALID)
        soak_fail(f, "invalid-accepted: %s was not refused", c->what);
    if (run_once(s, n, 2, &r2, &x, &err) != 0)
        soak_fail(f, "crash: the second build of the experiment failed");
    for (int k = 0; k < 3 && r2.text[k] != NULL; k++)
        if (r1.len[k] != r2.len[k] || memcmp(r1.text[k], r2.text[k], r1.len[k]) != 0)
            soak_fail(f, "threads: the %s report differs between -j 1 and -j 2",
                      k == 0   ? "table"
                      : k == 1 ? "CSV"
                               : "JSON");
    if (r2.text[0] != NULL)
        soak_check_reports(&x, r2.text[1], r2.text[2], r2.text[0], f);
    if (use_binary(o, c))
        check_binary(o, c, name, NULL, &r2, f);
    mmc_experiment_fini(&x);
    free_all(s, n);
    reports_free(&r1);
    if (keep != NULL) {
        *keep = r2;
    } else {
        reports_free(&r2);
        unlink(name);
    }
    return f->n ? CHILD_FAILED : CHILD_OK;
}

/* ---- the parent: cases in forked children, JOBS at a time ---- */

struct slot {
    pid_t pid;
    uint64_t index;
    double t0;
};

struct tally {
    uint64_t run, passed, refused, rejected_ok, failed, notes;
    char tags[MAX_TAGS][32];
    uint64_t tag_n[MAX_TAGS];
    size_t n_tags;
};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void slot_path(const struct opts *o, size_t slot, const char *ext, char *buf, size_t size)
{
    snprintf(buf, size, "%s/work/slot-%zu.%s", o->dir, slot, ext);
}

static const char *kind_name(enum soak_kind k)
{
    return k == SOAK_VALID      ? "valid"
           : k == SOAK_BAD_FILE ? "bad file"
           : k == SOAK_BAD_SET  ? "bad --set"
                                : "bad combination";
}

static void count_tag(struct tally *t, const char *msg)
{
    char tag[32];
    size_t n = strcspn(msg, ":");
    snprintf(tag, sizeof tag, "%.*s", (int)(n < 31 ? n : 31), msg);
    for (size_t i = 0; i < t->n_tags; i++)
        if (strcmp(t->tags[i], tag) == 0) {
            t->tag_n[i]++;
            return;
        }
    if (t->n_tags < MAX_TAGS) {
        snprintf(t->tags[t->n_tags], sizeof t->tags[0], "%s", tag);
        t->tag_n[t->n_tags++] = 1;
    }
}

/* Shell-quote s into buf (single quotes). */
static const char *shq(const char *s, char *buf, size_t size)
{
    size_t k = 0;
    buf[k++] = '\'';
    for (; *s && k + 5 < size; s++) {
        if (*s == '\'') {
            memcpy(buf + k, "'\\''", 4);
            k += 4;
        } else {
            buf[k++] = *s;
        }
    }
    buf[k++] = '\'';
    buf[k] = '\0';
    return buf;
}

/* DIR/fail-INDEX.yaml: the failures and how to reproduce them in comments, then the case. */
static void save_failure(const struct opts *o, const struct soak_case *c, const char *msgs)
{
    char path[PATH_MAX], q[SOAK_OV_LEN * 5];
    snprintf(path, sizeof path, "%s/fail-%llu.yaml", o->dir, (unsigned long long)c->index);
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        fprintf(stderr, "soak: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    fprintf(f, "# soak case %llu of seed %llu (%s%s%s)\n", (unsigned long long)c->index,
            (unsigned long long)c->seed, kind_name(c->kind), c->what[0] ? ": " : "", c->what);
    for (const char *p = msgs; *p;) {
        size_t n = strcspn(p, "\n");
        fprintf(f, "# FAIL %.*s\n", (int)n, p);
        p += n + (p[n] == '\n');
    }
    fprintf(f, "# again: soak -s %llu -i %llu\n# or: mmcsim", (unsigned long long)c->seed,
            (unsigned long long)c->index);
    for (size_t i = 0; i < c->n_ov; i++)
        fprintf(f, " --set %s", shq(c->ov[i], q, sizeof q));
    fprintf(f, " %s\n", path);
    fwrite(c->yaml, 1, c->len, f);
    fclose(f);
}

/* The failure lines of a child's report (not its "note " lines) into buf. */
static void copy_failures(char *buf, size_t size, const char *out)
{
    size_t k = 0;
    buf[0] = '\0';
    for (const char *p = out; *p;) {
        size_t n = strcspn(p, "\n");
        if (strncmp(p, "note ", 5) != 0 && k + n + 2 < size) {
            memcpy(buf + k, p, n);
            k += n;
            buf[k++] = '\n';
            buf[k] = '\0';
        }
        p += n + (p[n] == '\n');
    }
}

/* A child's "note " lines, appended to DIR/notes.txt with the case's index, and counted. */
static void save_notes(const struct opts *o, uint64_t index, const char *out, struct tally *t)
{
    char path[PATH_MAX];
    FILE *f = NULL;
    snprintf(path, sizeof path, "%s/notes.txt", o->dir);
    for (const char *p = out; *p;) {
        size_t n = strcspn(p, "\n");
        if (strncmp(p, "note ", 5) == 0) {
            if (f == NULL && (f = fopen(path, "a")) == NULL) {
                fprintf(stderr, "soak: %s: %s\n", path, strerror(errno));
                exit(1);
            }
            fprintf(f, "case %llu: %.*s\n", (unsigned long long)index, (int)n - 5, p + 5);
            t->notes++;
        }
        p += n + (p[n] == '\n');
    }
    if (f != NULL)
        fclose(f);
}

static void finish(const struct opts *o, size_t slot, uint64_t index, int st, double secs,
                   struct tally *t)
{
    char out_path[PATH_MAX], err_path[PATH_MAX], msgs[8192] = "";
    slot_path(o, slot, "out", out_path, sizeof out_path);
    slot_path(o, slot, "err", err_path, sizeof err_path);
    char *out = slurp(out_path, NULL), *errs = slurp(err_path, NULL);
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    bool sanitizer = strstr(errs, "Sanitizer") != NULL || strstr(errs, "runtime error") != NULL;
    t->run++;
    if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)
        snprintf(msgs, sizeof msgs, "timeout: no result after %.0f s\n", secs);
    else if (sanitizer)
        snprintf(msgs, sizeof msgs, "sanitizer: %.2000s\n", errs);
    else if (WIFSIGNALED(st))
        snprintf(msgs, sizeof msgs, "crash: killed by signal %d: %.2000s\n", WTERMSIG(st), errs);
    else if (code == CHILD_FAILED)
        copy_failures(msgs, sizeof msgs, out);
    else if (code != CHILD_OK && code != CHILD_REFUSED)
        snprintf(msgs, sizeof msgs, "crash: exit %d: %.2000s\n", code, errs);
    save_notes(o, index, out, t);
    if (msgs[0] == '\0') {
        struct soak_case c;
        soak_gen(&c, o->seed, index, &o->paths);
        t->passed += code == CHILD_OK && c.kind == SOAK_VALID;
        t->rejected_ok += code == CHILD_OK && c.kind != SOAK_VALID;
        t->refused += code == CHILD_REFUSED;
        soak_case_fini(&c);
    } else {
        struct soak_case c;
        soak_gen(&c, o->seed, index, &o->paths);
        t->failed++;
        save_failure(o, &c, msgs);
        printf("soak: FAIL case %llu (%s%s%s), saved %s/fail-%llu.yaml\n",
               (unsigned long long)index, kind_name(c.kind), c.what[0] ? ": " : "", c.what, o->dir,
               (unsigned long long)index);
        for (const char *p = msgs; *p;) {
            size_t n = strcspn(p, "\n");
            printf("    %.*s\n", (int)(n > 400 ? 400 : n), p);
            count_tag(t, p);
            p += n + (p[n] == '\n');
        }
        fflush(stdout);
        soak_case_fini(&c);
    }
    free(out);
    free(errs);
}

/* In the child: run case index, write its failures to the slot's .out file, exit. */
static void child(const struct opts *o, size_t slot, uint64_t index)
{
    char out_path[PATH_MAX], err_path[PATH_MAX];
    struct soak_case c;
    struct soak_fails f = {0};
    slot_path(o, slot, "out", out_path, sizeof out_path);
    slot_path(o, slot, "err", err_path, sizeof err_path);
    if (freopen(err_path, "w", stderr) == NULL || freopen("/dev/null", "r", stdin) == NULL)
        _exit(126);
    alarm(o->timeout);
    soak_gen(&c, o->seed, index, &o->paths);
    int code = run_case(o, &c, &f, NULL);
    FILE *out = fopen(out_path, "w");
    if (out == NULL)
        _exit(126);
    for (size_t i = 0; i < f.n && i < SOAK_MAX_FAILS; i++)
        fprintf(out, "%s\n", f.msg[i]);
    if (f.n > SOAK_MAX_FAILS)
        fprintf(out, "more: %zu further failures not shown\n", f.n - SOAK_MAX_FAILS);
    for (size_t i = 0; i < f.n_notes && i < SOAK_MAX_NOTES; i++)
        fprintf(out, "note %s\n", f.note[i]);
    fclose(out);
    soak_case_fini(&c);
    exit(code); /* exit, not _exit: LeakSanitizer checks at exit */
}

static size_t free_slot(const struct slot *s, unsigned jobs)
{
    for (size_t i = 0; i < jobs; i++)
        if (s[i].pid == 0)
            return i;
    return jobs;
}

static int soak_all(const struct opts *o)
{
    struct slot slots[MAX_JOBS] = {{0}};
    struct tally t = {0};
    unsigned running = 0;
    uint64_t next = o->first, end = o->first + o->n;
    double t0 = now();
    char notes[PATH_MAX];
    snprintf(notes, sizeof notes, "%s/notes.txt", o->dir);
    unlink(notes);
    while (next < end || running > 0) {
        if (next < end && running < o->jobs) {
            size_t k = free_slot(slots, o->jobs);
            char p[PATH_MAX];
            slot_path(o, k, "out", p, sizeof p);
            unlink(p);
            fflush(stdout);
            fflush(stderr);
            pid_t pid = fork();
            if (pid < 0) {
                perror("soak: fork");
                return 1;
            }
            if (pid == 0)
                child(o, k, next);
            slots[k] = (struct slot){pid, next++, now()};
            running++;
            continue;
        }
        int st;
        pid_t pid = waitpid(-1, &st, 0);
        if (pid < 0) {
            perror("soak: waitpid");
            return 1;
        }
        for (size_t k = 0; k < o->jobs; k++)
            if (slots[k].pid == pid) {
                finish(o, k, slots[k].index, st, now() - slots[k].t0, &t);
                slots[k].pid = 0;
                running--;
            }
    }
    double secs = now() - t0;
    printf("soak: seed %llu, cases %llu..%llu: %llu run, %llu passed, %llu broken ones refused "
           "correctly, %llu valid-looking ones refused, %llu FAILED; %.1f s, %.1f cases/s\n",
           (unsigned long long)o->seed, (unsigned long long)o->first, (unsigned long long)(end - 1),
           (unsigned long long)t.run, (unsigned long long)t.passed,
           (unsigned long long)t.rejected_ok, (unsigned long long)t.refused,
           (unsigned long long)t.failed, secs, (double)t.run / secs);
    if (t.notes > 0)
        printf(
            "soak: %llu notes (allowed, worth a look: \"differs\" past the family-wise limit) in "
            "%s/notes.txt\n",
            (unsigned long long)t.notes, o->dir);
    if (t.n_tags > 0) {
        printf("soak: failures by property:");
        for (size_t i = 0; i < t.n_tags; i++)
            printf(" %s %llu", t.tags[i], (unsigned long long)t.tag_n[i]);
        printf("\n");
    }
    return t.failed > 0;
}

/* -i: one case here, verbosely; its reports are left beside its file. */
static int soak_one(const struct opts *o)
{
    struct soak_case c;
    struct soak_fails f = {0};
    struct reports r = {0};
    char name[PATH_MAX];
    soak_gen(&c, o->seed, (uint64_t)o->one, &o->paths);
    case_file(o, c.index, name, sizeof name);
    printf("# case %ld of seed %llu (%s%s%s)\n", o->one, (unsigned long long)o->seed,
           kind_name(c.kind), c.what[0] ? ": " : "", c.what);
    for (size_t i = 0; i < c.n_ov; i++)
        printf("# --set %s\n", c.ov[i]);
    fwrite(c.yaml, 1, c.len, stdout);
    int code = run_case(o, &c, &f, &r);
    static const char *const ext[3] = {"txt", "csv", "json"};
    for (int k = 0; k < 3 && r.text[k] != NULL; k++) {
        char p[PATH_MAX + 8];
        snprintf(p, sizeof p, "%s.%s", name, ext[k]);
        write_text(p, r.text[k], r.len[k]);
    }
    printf("# result: %s; scenario and reports in %s[.txt|.csv|.json]\n",
           code == CHILD_OK        ? "passed"
           : code == CHILD_REFUSED ? "refused (well-formed error)"
                                   : "FAILED",
           name);
    for (size_t i = 0; i < f.n && i < SOAK_MAX_FAILS; i++)
        printf("FAIL %s\n", f.msg[i]);
    for (size_t i = 0; i < f.n_notes && i < SOAK_MAX_NOTES; i++)
        printf("note %s\n", f.note[i]);
    reports_free(&r);
    soak_case_fini(&c);
    return code == CHILD_FAILED;
}

/* -y: check one scenario file (every property, no generator); 0 when it passes. */
static int soak_file(const struct opts *o, const char *path)
{
    struct soak_case c = {.kind = SOAK_VALID, .index = 0};
    struct soak_fails f = {0};
    struct reports r = {0};
    c.yaml = slurp(path, &c.len);
    snprintf(c.what, sizeof c.what, "%s", path);
    int code = run_case(o, &c, &f, &r);
    printf("%s: %s\n", path,
           code == CHILD_OK        ? "passed"
           : code == CHILD_REFUSED ? "refused (well-formed error)"
                                   : "FAILED");
    for (size_t i = 0; i < f.n && i < SOAK_MAX_FAILS; i++)
        printf("FAIL %s\n", f.msg[i]);
    for (size_t i = 0; i < f.n_notes && i < SOAK_MAX_NOTES; i++)
        printf("note %s\n", f.note[i]);
    reports_free(&r);
    soak_case_fini(&c);
    return code == CHILD_FAILED;
}

static void usage(void)
{
    fputs("usage: soak [-n N] [-s SEED] [-f FIRST] [-i INDEX | -y FILE] [-m MMCSIM] [-d DIR] "
          "[-P JOBS] [-t SECONDS] [-r ROOT]\n",
          stderr);
    exit(1);
}

static void data_path(const char *root, const char *rel, char *out)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    if (realpath(p, out) == NULL) {
        fprintf(stderr, "soak: %s: %s\n", p, strerror(errno));
        exit(1);
    }
}

static void parse(struct opts *o, int argc, char **argv)
{
    const char *root = ".";
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    *o = (struct opts){.seed = 1, .n = 300, .one = -1, .dir = "build/soak", .timeout = 120};
    o->jobs = cpus > 0 && cpus < MAX_JOBS ? (unsigned)cpus : 1;
    for (int opt; (opt = getopt(argc, argv, "n:s:f:i:y:m:d:P:t:r:")) != -1;) {
        switch (opt) {
        case 'n':
            o->n = strtoull(optarg, NULL, 10);
            break;
        case 's':
            o->seed = strtoull(optarg, NULL, 10);
            break;
        case 'f':
            o->first = strtoull(optarg, NULL, 10);
            break;
        case 'i':
            o->one = strtol(optarg, NULL, 10);
            break;
        case 'y':
            o->file = optarg;
            break;
        case 'm':
            o->mmcsim = optarg[0] ? optarg : NULL;
            break;
        case 'd':
            o->dir = optarg;
            break;
        case 'P':
            o->jobs = (unsigned)strtoul(optarg, NULL, 10);
            break;
        case 't':
            o->timeout = (unsigned)strtoul(optarg, NULL, 10);
            break;
        case 'r':
            root = optarg;
            break;
        default:
            usage();
        }
    }
    if (optind != argc || o->jobs < 1 || o->jobs > MAX_JOBS || o->timeout < 1)
        usage();
    data_path(root, "scenarios/trace_small.csv", o->paths.trace_big);
    data_path(root, "tests/fuzz/data/trace_small.csv", o->paths.trace_tiny);
    data_path(root, "tests/fuzz/data/trace_times.csv", o->paths.trace_times);
    data_path(root, "tests/fuzz/data/samples.csv", o->paths.samples);
}

/* mkdir -p: 0, or -1 with errno. */
static int make_dirs(const char *path)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s", path);
    for (char *q = p + 1; *q; q++)
        if (*q == '/') {
            *q = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST)
                return -1;
            *q = '/';
        }
    return mkdir(p, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

int main(int argc, char **argv)
{
    struct opts o;
    char work[PATH_MAX];
    gsl_set_error_handler_off(); /* as main.c, before any thread */
    parse(&o, argc, argv);
    snprintf(work, sizeof work, "%s/work", o.dir);
    if (make_dirs(work) != 0) {
        fprintf(stderr, "soak: %s: %s\n", work, strerror(errno));
        return 1;
    }
    if (o.file != NULL || o.one >= 0)
        alarm(o.timeout); /* in this process: a hang ends as SIGALRM */
    if (o.file != NULL)
        return soak_file(&o, o.file);
    return o.one >= 0 ? soak_one(&o) : soak_all(&o);
}
