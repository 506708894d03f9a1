/*
 * props.c - the properties every mmcsim report must have (see props.h).
 *
 * Design. The CSV is parsed into cells (RFC 4180 quoting) and each row is
 * checked against the promises of README ("Guarantees", "CSV and JSON
 * columns", "Invariants", "Verdict"); the JSON is parsed by a small strict
 * reader (no NaN or Infinity tokens exist in JSON, so a non-finite number is
 * a syntax error) and each point must carry exactly the CSV row: the same
 * keys in the same order, the same number text, the same string after
 * unescaping, null (or "") where the CSV cell is empty. The table is scanned
 * for "nan" and "inf" words.
 *
 * Which promise applies depends on the scenario, read from the experiment:
 *  - Little's law is exact to rounding only for a run that starts empty and
 *    is measured to its last completion (warmup none, initial empty);
 *  - control variates adjust each mean on its own, so identities between
 *    means (Lq <= L, W <= T, memory = L x mem_per_task, the per-worker range
 *    around the utilization) are checked only without them;
 *  - the per-worker range is checked only at a fixed worker count (a
 *    staffing schedule changes c) and with replications (batch means
 *    measure the utilization by batches).
 * Tolerances: 1e-9 relative for identities that hold on every sample path
 * up to rounding; 1e-6 for Little's law residuals (sums over thousands of
 * tasks; the broken cases of issue 13 are 1e-1).
 */
#include "props.h"

#include <ctype.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REL 1e-9
#define LITTLE_TOL 1e-6

void soak_fail(struct soak_fails *f, const char *fmt, ...)
{
    va_list ap;
    if (f->n < SOAK_MAX_FAILS) {
        va_start(ap, fmt);
        vsnprintf(f->msg[f->n], SOAK_FAIL_LEN, fmt, ap);
        va_end(ap);
    }
    f->n++;
}

void soak_note(struct soak_fails *f, const char *fmt, ...)
{
    va_list ap;
    if (f->n_notes < SOAK_MAX_NOTES) {
        va_start(ap, fmt);
        vsnprintf(f->note[f->n_notes], SOAK_FAIL_LEN, fmt, ap);
        va_end(ap);
    }
    f->n_notes++;
}

/* ---- CSV ---- */

struct csv {
    size_t rows, cols; /* row 0 is the header */
    char **cell;       /* rows x cols, owned */
};

struct strs {
    char **v;
    size_t n, cap;
};

static void strs_push(struct strs *s, char *x)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 256;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        if (s->v == NULL)
            abort();
    }
    s->v[s->n++] = x;
}

/* One field starting at *p (quoted or not), owned; *p is left at the separator. */
static char *csv_field(const char **p)
{
    const char *s = *p;
    size_t cap = 64, n = 0;
    char *out = malloc(cap);
    bool quoted = *s == '"';
    if (out == NULL)
        abort();
    s += quoted;
    for (;; s++) {
        if (*s == '\0' || (!quoted && (*s == ',' || *s == '\n')))
            break;
        if (quoted && *s == '"') {
            if (s[1] != '"') {
                s++;
                break;
            }
            s++;
        }
        if (n + 2 > cap) {
            cap *= 2;
            out = realloc(out, cap);
            if (out == NULL)
                abort();
        }
        out[n++] = *s;
    }
    out[n] = '\0';
    *p = s;
    return out;
}

static void csv_free(struct csv *c)
{
    for (size_t i = 0; i < c->rows * c->cols; i++)
        free(c->cell[i]);
    free(c->cell);
    *c = (struct csv){0};
}

/* Parse text; every row must have the header's number of fields. 0, or -1 (reported). */
static int csv_parse(const char *text, struct csv *c, struct soak_fails *f)
{
    struct strs all = {0};
    size_t in_row = 0, cols = 0, rows = 0, n0 = f->n;
    const char *p = text;
    *c = (struct csv){0};
    while (*p != '\0') {
        strs_push(&all, csv_field(&p));
        in_row++;
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p != '\n' && *p != '\0') {
            soak_fail(f, "csv-syntax: text after a quoted field in row %zu", rows + 1);
            break;
        }
        p += *p == '\n';
        if (rows == 0)
            cols = in_row;
        else if (in_row != cols) {
            soak_fail(f, "csv-shape: row %zu has %zu fields, the header %zu", rows, in_row, cols);
            break;
        }
        rows++;
        in_row = 0;
    }
    if (f->n > n0 || rows == 0 || in_row != 0) {
        if (rows == 0)
            soak_fail(f, "csv-shape: no header");
        for (size_t i = 0; i < all.n; i++)
            free(all.v[i]);
        free(all.v);
        return -1;
    }
    *c = (struct csv){.rows = rows, .cols = cols, .cell = all.v};
    return 0;
}

static int csv_col(const struct csv *c, const char *name)
{
    for (size_t k = 0; k < c->cols; k++)
        if (strcmp(c->cell[k], name) == 0)
            return (int)k;
    return -1;
}

/* Row r's cell of column name ("" when there is no such column). */
static const char *cell(const struct csv *c, size_t r, const char *name)
{
    int k = csv_col(c, name);
    return k < 0 ? "" : c->cell[r * c->cols + (size_t)k];
}

/* 1: a finite number, in *v; 0: empty; -1: anything else. */
static int parse_num(const char *s, double *v)
{
    char *end;
    if (*s == '\0')
        return 0;
    *v = strtod(s, &end);
    return *end == '\0' && isfinite(*v) && !isspace((unsigned char)*s) ? 1 : -1;
}

/* Row r's number in column name: NAN when the cell is empty or absent. */
static double cnum(const struct csv *c, size_t r, const char *name)
{
    double v = NAN;
    return parse_num(cell(c, r, name), &v) == 1 ? v : NAN;
}

/* a <= b, up to rounding relative to their size. */
static bool le(double a, double b)
{
    return a <= b + REL * fmax(1.0, fmax(fabs(a), fabs(b)));
}

static bool near(double a, double b)
{
    return le(a, b) && le(b, a);
}

/* ---- words that are not numbers ---- */

static bool is_nonfinite_word(const char *w, size_t n)
{
    char t[16];
    if (n == 0 || n >= sizeof t)
        return false;
    for (size_t i = 0; i < n; i++)
        t[i] = (char)tolower((unsigned char)w[i]);
    t[n] = '\0';
    const char *u = t + (t[0] == '+' || t[0] == '-');
    return strcmp(u, "nan") == 0 || strcmp(u, "inf") == 0 || strcmp(u, "infinity") == 0;
}

/* The first word of text that reads "nan" or "inf" (any sign or case), or NULL; skip is a
 * whitespace-separated field index to ignore on lines where allowed(line) is true. */
static const char *nonfinite_word(const char *text, size_t len, size_t *wlen)
{
    const char *p = text, *end = text + len;
    while (p < end) {
        while (p < end && !isalnum((unsigned char)*p) && *p != '+' && *p != '-')
            p++;
        const char *w = p;
        while (p < end && (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.'))
            p++;
        if (is_nonfinite_word(w, (size_t)(p - w))) {
            *wlen = (size_t)(p - w);
            return w;
        }
        if (p == w)
            p++;
    }
    return NULL;
}

/* Blank out, in the table t, every line of the user's own text s (a name, a description) that
 * reads "nan" or "inf" somewhere: such words are the user's, not figures. */
static void mask_text(char *t, const char *s)
{
    size_t wl;
    for (const char *p = s; *p != '\0';) {
        size_t n = strcspn(p, "\n");
        if (n > 0 && nonfinite_word(p, n, &wl) != NULL) {
            char *piece = malloc(n + 1);
            if (piece == NULL)
                abort();
            memcpy(piece, p, n);
            piece[n] = '\0';
            for (char *q = t; (q = strstr(q, piece)) != NULL; q += n)
                memset(q, ' ', n);
            free(piece);
        }
        p += n + (p[n] == '\n');
    }
}

/* A copy of the table with the scenario's names and descriptions masked (caller frees). */
static char *masked_table(const char *table, const struct mmc_experiment *x)
{
    char *t = malloc(strlen(table) + 1);
    if (t == NULL)
        abort();
    strcpy(t, table);
    for (size_t v = 0; v < x->n_variants; v++) {
        const struct mmc_scenario *s = &x->variants[v];
        mask_text(t, s->name);
        mask_text(t, s->variant);
        if (s->description != NULL)
            mask_text(t, s->description);
    }
    return t;
}

/* The table, line by line; in the "waits by arrival interval" blocks the second column ("to
 * s") of the last interval is legitimately "inf". */
static void check_table(const char *table, struct soak_fails *f)
{
    bool intervals = false;
    size_t line = 1;
    for (const char *p = table; *p != '\0'; line++) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p), wl = 0;
        if (len == 0)
            intervals = false;
        else if (strstr(p, "from s") != NULL && (size_t)(strstr(p, "from s") - p) < len)
            intervals = true;
        const char *from = p;
        if (intervals) { /* skip "from to" */
            for (int k = 0; k < 2; k++) {
                while (from < p + len && isspace((unsigned char)*from))
                    from++;
                while (from < p + len && !isspace((unsigned char)*from))
                    from++;
            }
        }
        const char *w = nonfinite_word(from, len - (size_t)(from - p), &wl);
        /* "scv inf": a Pareto law with shape <= 2 (README: infinite for alpha <= 2) */
        while (w != NULL && w - p >= 4 && strncmp(w - 4, "scv ", 4) == 0 && wl == 3)
            w = nonfinite_word(w + wl, len - (size_t)(w + wl - p), &wl);
        if (w != NULL) {
            const char *from_ctx = w - p > 120 ? w - 120 : p;
            while (from_ctx > p && ((unsigned char)*from_ctx & 0xc0) == 0x80)
                from_ctx++; /* not inside a UTF-8 character */
            size_t after = (size_t)(p + len - (w + wl)) > 20 ? 20 : (size_t)(p + len - (w + wl));
            soak_fail(f, "nonfinite-table: line %zu shows \"%.*s\": %s%.*s", line, (int)wl, w,
                      from_ctx > p ? "..." : "", (int)(w + wl + after - from_ctx), from_ctx);
        }
        p = nl ? nl + 1 : p + len;
    }
}

/* ---- JSON: a strict reader that keeps the points' members ---- */

struct member {
    char *key;
    char type;  /* 'n' number, 's' string, 'z' null, 'b' boolean, 'o' other */
    char *text; /* number text or unescaped string, owned */
};

struct point {
    struct member *m;
    size_t n, cap;
};

struct jp {
    const char *p;
    bool bad;
    char why[128];
    struct point *pts;
    size_t n_pts, cap_pts;
};

static void jp_bad(struct jp *j, const char *why)
{
    if (!j->bad)
        snprintf(j->why, sizeof j->why, "%s near \"%.20s\"", why, j->p);
    j->bad = true;
}

static void ws(struct jp *j)
{
    while (*j->p == ' ' || *j->p == '\n' || *j->p == '\t' || *j->p == '\r')
        j->p++;
}

static void put_utf8(char **o, unsigned cp)
{
    if (cp < 0x80) {
        *(*o)++ = (char)cp;
    } else if (cp < 0x800) {
        *(*o)++ = (char)(0xc0 | (cp >> 6));
        *(*o)++ = (char)(0x80 | (cp & 0x3f));
    } else {
        *(*o)++ = (char)(0xe0 | (cp >> 12));
        *(*o)++ = (char)(0x80 | ((cp >> 6) & 0x3f));
        *(*o)++ = (char)(0x80 | (cp & 0x3f));
    }
}

/* A string at j->p (at its quote): its unescaped text, owned (NULL on error). */
static char *jstring(struct jp *j)
{
    const char *s = ++j->p;
    char *out = malloc(3 * strlen(s) + 1), *o = out;
    if (out == NULL)
        abort();
    for (; *s != '"'; s++) {
        if (*s == '\0' || (unsigned char)*s < 0x20) {
            j->p = s;
            jp_bad(j, "unterminated string or raw control byte");
            free(out);
            return NULL;
        }
        if (*s != '\\') {
            *o++ = *s;
            continue;
        }
        s++;
        const char *esc = strchr("\"\\/bfnrt", *s);
        if (esc != NULL && *s != '\0') {
            *o++ = "\"\\/\b\f\n\r\t"[esc - "\"\\/bfnrt"];
        } else if (*s == 'u' && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2]) &&
                   isxdigit((unsigned char)s[3]) && isxdigit((unsigned char)s[4])) {
            char hex[5] = {s[1], s[2], s[3], s[4], 0};
            put_utf8(&o, (unsigned)strtoul(hex, NULL, 16));
            s += 4;
        } else {
            j->p = s;
            jp_bad(j, "bad escape");
            free(out);
            return NULL;
        }
    }
    *o = '\0';
    j->p = s + 1;
    return out;
}

/* A number at j->p, JSON grammar; its text, owned. */
static char *jnumber(struct jp *j)
{
    const char *s = j->p;
    s += *s == '-';
    if (*s == '0')
        s++;
    else if (isdigit((unsigned char)*s))
        while (isdigit((unsigned char)*s))
            s++;
    else
        return jp_bad(j, "bad number"), NULL;
    if (*s == '.') {
        if (!isdigit((unsigned char)*++s))
            return jp_bad(j, "bad fraction"), NULL;
        while (isdigit((unsigned char)*s))
            s++;
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        s += *s == '+' || *s == '-';
        if (!isdigit((unsigned char)*s))
            return jp_bad(j, "bad exponent"), NULL;
        while (isdigit((unsigned char)*s))
            s++;
    }
    size_t n = (size_t)(s - j->p);
    char *out = malloc(n + 1);
    if (out == NULL)
        abort();
    memcpy(out, j->p, n);
    out[n] = '\0';
    if (!isfinite(strtod(out, NULL)))
        jp_bad(j, "a number out of double range");
    j->p = s;
    return out;
}

enum role { R_ANY, R_ROOT, R_POINTS, R_POINT };

static void jvalue(struct jp *j, enum role role, int depth);

static void add_member(struct point *pt, char *key, char type, char *text)
{
    if (pt->n == pt->cap) {
        pt->cap = pt->cap ? 2 * pt->cap : 256;
        pt->m = realloc(pt->m, pt->cap * sizeof *pt->m);
        if (pt->m == NULL)
            abort();
    }
    pt->m[pt->n++] = (struct member){key, type, text};
}

/* A member value of a point: kept. */
static void jpoint_value(struct jp *j, struct point *pt, char *key)
{
    char *text = NULL, type = 'o';
    if (*j->p == '"') {
        text = jstring(j);
        type = 's';
    } else if (*j->p == '-' || isdigit((unsigned char)*j->p)) {
        text = jnumber(j);
        type = 'n';
    } else if (strncmp(j->p, "null", 4) == 0) {
        j->p += 4;
        type = 'z';
    } else if (strncmp(j->p, "true", 4) == 0 || strncmp(j->p, "false", 5) == 0) {
        j->p += *j->p == 't' ? 4 : 5;
        type = 'b';
    } else {
        jvalue(j, R_ANY, 1);
    }
    add_member(pt, key, type, text);
}

static void jobject(struct jp *j, enum role role, int depth)
{
    struct point *pt = NULL;
    if (role == R_POINT) {
        if (j->n_pts == j->cap_pts) {
            j->cap_pts = j->cap_pts ? 2 * j->cap_pts : 16;
            j->pts = realloc(j->pts, j->cap_pts * sizeof *j->pts);
            if (j->pts == NULL)
                abort();
        }
        pt = &j->pts[j->n_pts++];
        *pt = (struct point){0};
    }
    j->p++;
    ws(j);
    if (*j->p == '}') {
        j->p++;
        return;
    }
    while (!j->bad) {
        ws(j);
        if (*j->p != '"')
            return jp_bad(j, "expected a key");
        char *key = jstring(j);
        if (key == NULL)
            return;
        ws(j);
        if (*j->p++ != ':') {
            free(key);
            return jp_bad(j, "expected ':'");
        }
        ws(j);
        if (pt != NULL) {
            jpoint_value(j, pt, key);
        } else {
            bool points = role == R_ROOT && strcmp(key, "points") == 0;
            free(key);
            jvalue(j, points ? R_POINTS : R_ANY, depth + 1);
        }
        ws(j);
        if (*j->p == ',') {
            j->p++;
            continue;
        }
        if (*j->p++ != '}')
            return jp_bad(j, "expected ',' or '}'");
        return;
    }
}

static void jarray(struct jp *j, enum role role, int depth)
{
    j->p++;
    ws(j);
    if (*j->p == ']') {
        j->p++;
        return;
    }
    while (!j->bad) {
        ws(j);
        if (role == R_POINTS && *j->p != '{')
            return jp_bad(j, "a point that is not an object");
        jvalue(j, role == R_POINTS ? R_POINT : R_ANY, depth + 1);
        ws(j);
        if (*j->p == ',') {
            j->p++;
            continue;
        }
        if (*j->p++ != ']')
            return jp_bad(j, "expected ',' or ']'");
        return;
    }
}

static void jvalue(struct jp *j, enum role role, int depth)
{
    ws(j);
    if (depth > 64)
        return jp_bad(j, "nested too deep");
    if (*j->p == '{')
        return jobject(j, role, depth);
    if (*j->p == '[')
        return jarray(j, role, depth);
    if (role != R_ANY)
        return jp_bad(j, "expected an object or array");
    if (*j->p == '"') {
        free(jstring(j));
    } else if (*j->p == '-' || isdigit((unsigned char)*j->p)) {
        free(jnumber(j));
    } else if (strncmp(j->p, "null", 4) == 0 || strncmp(j->p, "true", 4) == 0) {
        j->p += 4;
    } else if (strncmp(j->p, "false", 5) == 0) {
        j->p += 5;
    } else {
        jp_bad(j, "not a JSON value (NaN, Infinity and bare words are not JSON)");
    }
}

static void jp_free(struct jp *j)
{
    for (size_t i = 0; i < j->n_pts; i++) {
        for (size_t k = 0; k < j->pts[i].n; k++) {
            free(j->pts[i].m[k].key);
            free(j->pts[i].m[k].text);
        }
        free(j->pts[i].m);
    }
    free(j->pts);
}

/* Parse json into *j (its points kept); 0, or -1 (reported, *j freed). */
static int parse_json(const char *json, struct jp *j, struct soak_fails *f)
{
    *j = (struct jp){.p = json};
    jvalue(j, R_ROOT, 0);
    ws(j);
    if (!j->bad && *j->p != '\0')
        jp_bad(j, "text after the document");
    if (!j->bad)
        return 0;
    soak_fail(f, "json-syntax: %s", j->why);
    jp_free(j);
    return -1;
}

/* The JSON's points must be the CSV rows, cell by cell. */
static void check_json(const struct jp *jj, const struct csv *c, struct soak_fails *f)
{
    const struct jp j = *jj;
    if (j.n_pts != c->rows - 1)
        soak_fail(f, "json-points: %zu points, the CSV has %zu rows", j.n_pts, c->rows - 1);
    for (size_t i = 0; i < j.n_pts && i + 1 < c->rows; i++) {
        const struct point *pt = &j.pts[i];
        if (pt->n != c->cols) {
            soak_fail(f, "json-keys: point %zu has %zu keys, the CSV %zu columns", i, pt->n,
                      c->cols);
            continue;
        }
        for (size_t k = 0; k < pt->n; k++) {
            const struct member *m = &pt->m[k];
            const char *csv = c->cell[(i + 1) * c->cols + k];
            bool same = strcmp(m->key, c->cell[k]) == 0;
            if (same &&
                (m->type == 'z' || (m->type == 's' && csv[0] == '\0' && m->text[0] == '\0')))
                same = csv[0] == '\0';
            else if (same && (m->type == 'n' || m->type == 's'))
                same = strcmp(m->text, csv) == 0;
            else if (same)
                same = false;
            if (!same) {
                soak_fail(f, "json-vs-csv: point %zu key %s = %s, CSV %s = \"%s\"", i, m->key,
                          m->type == 'z' ? "null"
                          : m->text      ? m->text
                                         : "(other)",
                          c->cell[k], csv);
                break;
            }
        }
    }
}

/* ---- the rows ---- */

static const char *const string_cols[] = {
    "scenario",    "variant",      "model",   "closed_form",    "method",
    "stop_reason", "conservation", "verdict", "verdict_detail", NULL};

static bool is_string_col(const char *name)
{
    for (size_t i = 0; string_cols[i] != NULL; i++)
        if (strcmp(name, string_cols[i]) == 0)
            return true;
    return false;
}

/* Columns that are probabilities or utilizations: in [0, 1]. */
static const char *const prob_cols[] = {"utilization",
                                        "P_wait",
                                        "P_Wq_gt_t",
                                        "P_block",
                                        "P_shed",
                                        "P_throttle",
                                        "P_abandon",
                                        "worker_util_min",
                                        "worker_util_max",
                                        "utilization_analytic",
                                        "P_wait_analytic",
                                        "P_Wq_gt_t_analytic",
                                        "P_block_analytic",
                                        "P_shed_analytic",
                                        "P_throttle_analytic",
                                        "P_abandon_analytic",
                                        "P0_analytic",
                                        NULL};

/* Is column k of row r text? The JSON says (a string there), else the list of known ones. */
static bool is_text(const struct csv *c, size_t r, size_t k, const struct jp *j)
{
    if (j != NULL && r - 1 < j->n_pts && k < j->pts[r - 1].n &&
        strcmp(j->pts[r - 1].m[k].key, c->cell[k]) == 0)
        return j->pts[r - 1].m[k].type == 's' && c->cell[r * c->cols + k][0] != '\0';
    return is_string_col(c->cell[k]);
}

/* Every cell is a finite number, empty, or text (words that are not "nan" or "inf"); ci95 cells
 * >= 0. */
static void check_cells(const struct csv *c, size_t r, const struct jp *j, struct soak_fails *f)
{
    for (size_t k = 0; k < c->cols; k++) {
        const char *name = c->cell[k], *v = c->cell[r * c->cols + k];
        double x;
        size_t wl = 0;
        if (is_text(c, r, k, j)) {
            bool users = strcmp(name, "scenario") == 0 || strcmp(name, "variant") == 0;
            const char *w = users ? NULL : nonfinite_word(v, strlen(v), &wl);
            if (w != NULL)
                soak_fail(f, "nonfinite-text: row %zu %s: %s", r - 1, name, v);
            continue;
        }
        int rc = parse_num(v, &x);
        if (rc < 0)
            soak_fail(f, "nonfinite-csv: row %zu %s = \"%s\"", r - 1, name, v);
        else if (rc == 1 && strstr(name, "_ci95") != NULL && x < 0)
            soak_fail(f, "ci-negative: row %zu %s = %s", r - 1, name, v);
    }
    for (size_t i = 0; prob_cols[i] != NULL; i++) {
        double x = cnum(c, r, prob_cols[i]);
        if (!isnan(x) && (x < -REL || x > 1 + REL))
            soak_fail(f, "prob-range: row %zu %s = %.17g outside [0, 1]", r - 1, prob_cols[i], x);
    }
}

/* Means that a simulated row with measured tasks must have. */
static const char *const main_means[] = {"utilization", "throughput", "Lq",     "L", "Wq",
                                         "W",           "T",          "P_wait", NULL};

static void check_nonneg_order(const struct csv *c, size_t r, bool cv, struct soak_fails *f)
{
    static const char *const levels[] = {"p50", "p90", "p95", "p99", "p999"};
    char a[32], b[32];
    for (int q = 0; q < 2; q++)
        for (int k = 0; k + 1 < 5; k++) {
            snprintf(a, sizeof a, "%s_%s", q ? "T" : "Wq", levels[k]);
            snprintf(b, sizeof b, "%s_%s", q ? "T" : "Wq", levels[k + 1]);
            double x = cnum(c, r, a), y = cnum(c, r, b);
            if (!isnan(x) && !isnan(y) && !le(x, y))
                soak_fail(f, "pct-order: row %zu %s = %.17g > %s = %.17g", r - 1, a, x, b, y);
        }
    double d = cnum(c, r, "network_delay"), t50 = cnum(c, r, "T_p50");
    if (!isnan(t50) && !le(d, t50))
        soak_fail(f, "pct-order: row %zu T_p50 = %.17g below the network delay %.17g", r - 1, t50,
                  d);
    for (size_t i = 0; main_means[i] != NULL; i++) {
        double x = cnum(c, r, main_means[i]);
        if (!isnan(x) && x < 0 && !cv)
            soak_fail(f, "negative: row %zu %s = %.17g", r - 1, main_means[i], x);
    }
    if (cv)
        return;
    double lq = cnum(c, r, "Lq"), l = cnum(c, r, "L"), wq = cnum(c, r, "Wq"), w = cnum(c, r, "W"),
           t = cnum(c, r, "T");
    if (!isnan(lq) && !isnan(l) && !le(lq, l))
        soak_fail(f, "mean-order: row %zu Lq = %.17g > L = %.17g", r - 1, lq, l);
    if (!isnan(wq) && !isnan(w) && !le(wq, w))
        soak_fail(f, "mean-order: row %zu Wq = %.17g > W = %.17g", r - 1, wq, w);
    if (!isnan(w) && !isnan(t) && !le(w, t))
        soak_fail(f, "mean-order: row %zu W = %.17g > T = %.17g", r - 1, w, t);
}

/* The per-worker utilizations around the utilization (one worker: equal to it). */
static void check_workers(const struct csv *c, size_t r, const struct mmc_summary *sm,
                          struct soak_fails *f)
{
    double lo = cnum(c, r, "worker_util_min"), hi = cnum(c, r, "worker_util_max");
    double u = cnum(c, r, "utilization");
    if (!isnan(lo) && !isnan(hi) && !le(lo, hi))
        soak_fail(f, "worker-util: row %zu min %.17g > max %.17g", r - 1, lo, hi);
    if (sm->point.control_variates || sm->point.n_fine_batches > 0 ||
        (sm->point.staffing != NULL && sm->point.staffing->n > 0) || isnan(u))
        return;
    if (sm->point.c == 1 && !(near(lo, u) && near(hi, u)))
        soak_fail(f,
                  "worker-util: row %zu one worker, utilization %.17g but per-worker %.17g .. "
                  "%.17g",
                  r - 1, u, lo, hi);
    else if (!isnan(lo) && !isnan(hi) && !(le(lo, u) && le(u, hi)))
        soak_fail(f, "worker-util: row %zu utilization %.17g outside per-worker %.17g .. %.17g",
                  r - 1, u, lo, hi);
}

/* Conservation, fates, memory and Little's law. */
static void check_accounting(const struct csv *c, size_t r, const struct mmc_summary *sm,
                             struct soak_fails *f)
{
    const struct mmc_point *p = &sm->point;
    double tasks = cnum(c, r, "tasks"), offered = cnum(c, r, "offered");
    if (strcmp(cell(c, r, "conservation"), "ok") != 0)
        soak_fail(f, "conservation: row %zu conservation = \"%s\"", r - 1,
                  cell(c, r, "conservation"));
    if (strcmp(cell(c, r, "work_conservation_violations"), "0") != 0)
        soak_fail(f, "conservation: row %zu work_conservation_violations = \"%s\"", r - 1,
                  cell(c, r, "work_conservation_violations"));
    double fates = tasks + cnum(c, r, "blocked") + cnum(c, r, "shed") + cnum(c, r, "throttled") +
                   cnum(c, r, "abandoned");
    if (offered > 0 && fates != offered)
        soak_fail(f,
                  "fates: row %zu offered %.0f != served %.0f + blocked + shed + throttled + "
                  "abandoned = %.0f",
                  r - 1, offered, tasks, fates);
    double mq = cnum(c, r, "max_queue"), ms = cnum(c, r, "max_in_system");
    if (!isnan(mq) && !isnan(ms) && mq > ms)
        soak_fail(f, "max-order: row %zu max_queue %.0f > max_in_system %.0f", r - 1, mq, ms);
    double m = p->mem_per_task, peak = cnum(c, r, "mem_peak_mb"), mean = cnum(c, r, "mem_mean_mb");
    if (!isnan(ms) && !isnan(peak) && !near(peak, ms * m))
        soak_fail(f, "memory: row %zu mem_peak_mb %.17g != max_in_system %.0f x %g MB", r - 1, peak,
                  ms, m);
    double l = cnum(c, r, "L");
    if (!p->control_variates && !isnan(l) && !isnan(mean) && !near(mean, l * m))
        soak_fail(f, "memory: row %zu mem_mean_mb %.17g != L %.17g x %g MB", r - 1, mean, l, m);
    if (!(tasks > 0))
        return;
    double rl = cnum(c, r, "little_L_residual"), rq = cnum(c, r, "little_Lq_residual");
    /* README: a window of no length has no time averages, so no Little residuals either */
    bool no_window =
        !(cnum(c, r, "window_s") > 0) && strstr(cell(c, r, "warnings"), "short-window") != NULL;
    if ((isnan(rl) || isnan(rq)) && !no_window) {
        soak_fail(f, "little: row %zu residuals not finite (L \"%s\", Lq \"%s\")", r - 1,
                  cell(c, r, "little_L_residual"), cell(c, r, "little_Lq_residual"));
        return;
    }
    bool empty_start = p->warmup.kind == MMC_LIMIT_NONE && p->initial.kind == MMC_INITIAL_EMPTY;
    if (empty_start && (fabs(rl) > LITTLE_TOL || fabs(rq) > LITTLE_TOL))
        soak_fail(f, "little: row %zu starts empty but residuals L %.3g, Lq %.3g", r - 1, rl, rq);
}

/* The verdict: "differs" only with a finite z past the family-wise limit. */
static void check_verdict(const struct csv *c, size_t r, const struct mmc_summary *sm,
                          struct soak_fails *f)
{
    const char *v = cell(c, r, "verdict"), *detail = cell(c, r, "verdict_detail");
    char metric[32] = "", col[48];
    if (strcmp(v, "differs") != 0)
        return;
    if (sscanf(detail, "differs: %31s", metric) != 1) {
        soak_fail(f, "differs: row %zu detail does not name a metric: %s", r - 1, detail);
        return;
    }
    snprintf(col, sizeof col, "%s_z", metric);
    double z = cnum(c, r, col);
    int k = sm->family > 0 ? sm->family : 1;
    double df = (double)sm->m[MMC_M_T].n - 1;
    double limit = df >= 1 ? gsl_cdf_tdist_Pinv(1 - 0.025 / k, df) : INFINITY;
    if (isnan(z))
        soak_fail(f, "differs-nonfinite: row %zu %s with no finite z (%s \"%s\"): %s", r - 1,
                  metric, col, cell(c, r, col), detail);
    else if (!(fabs(z) > limit * (1 - REL)))
        soak_fail(f,
                  "differs-within: row %zu %s z = %.6g within the family-wise limit %.6g "
                  "(k = %d, df = %.0f): %s",
                  r - 1, metric, z, limit, k, df, detail);
    else
        soak_note(f, "differs: row %zu %s z = %.3g, limit %.3g, closed form %s: %s", r - 1, metric,
                  z, limit, cell(c, r, "closed_form"), detail);
}

/* closed_form names what the _analytic columns hold: "none" means they are all empty. */
static void check_form_name(const struct csv *c, size_t r, struct soak_fails *f)
{
    if (strcmp(cell(c, r, "closed_form"), "none") != 0)
        return;
    for (size_t k = 0; k < c->cols; k++) {
        const char *name = c->cell[k], *u = strstr(name, "_analytic");
        if (u != NULL && u[9] == '\0' && c->cell[r * c->cols + k][0] != '\0') {
            soak_fail(f,
                      "closed-form-name: row %zu closed_form is \"none\" but %s = %s (verdict %s)",
                      r - 1, name, c->cell[r * c->cols + k], cell(c, r, "verdict"));
            return;
        }
    }
}

static void check_row(const struct csv *c, size_t r, const struct mmc_summary *sm,
                      const struct jp *j, struct soak_fails *f)
{
    check_cells(c, r, j, f);
    check_form_name(c, r, f);
    check_verdict(c, r, sm, f);
    if (cell(c, r, "stop_reason")[0] == '\0')
        return; /* not simulated */
    double tasks = cnum(c, r, "tasks");
    if (tasks > 0) {
        /* README: a window of no length (one measured arrival) has no time averages: those four
           are withheld (empty), with the short-window warning */
        double win0 = cnum(c, r, "window_s");
        bool no_window = !(win0 > 0) && strstr(cell(c, r, "warnings"), "short-window") != NULL;
        for (size_t i = 0; main_means[i] != NULL; i++)
            if (cell(c, r, main_means[i])[0] == '\0' && !(no_window && i < 4))
                soak_fail(f, "missing: row %zu %s empty although %.0f tasks were measured", r - 1,
                          main_means[i], tasks);
        /* README: a steady-state window under 10 mean sojourns (at least one mean service time)
           may see no completion (throughput 0); it is then warned about and not judged */
        double x = cnum(c, r, "throughput"), win = cnum(c, r, "window_s");
        double sojourn =
            fmax(fmax(cnum(c, r, "W"), cnum(c, r, "W_analytic")), 1 / cnum(c, r, "service_rate"));
        bool short_window = strstr(cell(c, r, "warnings"), "short-window") != NULL ||
                            (!isnan(win) && win < 10 * sojourn);
        if (x < 0 || (x == 0 && !short_window))
            soak_fail(f, "throughput-zero: row %zu throughput %.17g with %.0f tasks measured%s",
                      r - 1, x, tasks, x == 0 ? " and no short-window verdict" : "");
    }
    check_nonneg_order(c, r, sm->point.control_variates, f);
    check_workers(c, r, sm, f);
    check_accounting(c, r, sm, f);
}

void soak_check_reports(const struct mmc_experiment *x, const char *csv, const char *json,
                        const char *table, struct soak_fails *f)
{
    struct csv c;
    struct jp j;
    bool have_json = parse_json(json, &j, f) == 0;
    char *t = masked_table(table, x);
    check_table(t, f);
    free(t);
    if (csv_parse(csv, &c, f) != 0) {
        if (have_json)
            jp_free(&j);
        return;
    }
    /* a point's row, then one per class of its classes */
    if (c.rows - 1 != x->n_points + x->n_class_rows)
        soak_fail(f, "csv-shape: %zu rows for %zu sweep points and %zu class rows", c.rows - 1,
                  x->n_points, x->n_class_rows);
    for (size_t i = 0, r = 1; i < x->n_points && r < c.rows; i++) {
        size_t n_cls = 0;
        const struct mmc_summary *cls = mmc_experiment_class_rows(x, i, &n_cls);
        check_row(&c, r++, &x->summaries[i], have_json ? &j : NULL, f);
        for (size_t k = 0; k < n_cls && r < c.rows; k++)
            check_row(&c, r++, &cls[k], have_json ? &j : NULL, f);
    }
    if (have_json) {
        check_json(&j, &c, f);
        jp_free(&j);
    }
    csv_free(&c);
}

void soak_check_error(const struct mmc_error *err, struct soak_fails *f)
{
    char line[1200];
    mmc_error_format(err, line, sizeof line);
    if (!mmc_error_is_set(err) || err->msg[0] == '\0')
        soak_fail(f, "error-form: a refusal without a message: \"%s\"", line);
    else if (err->line < 1 || err->col < 1 || err->file[0] == '\0')
        soak_fail(f, "error-form: no file:line:col: \"%s\"", line);
    if (strpbrk(line, "\n\r") != NULL)
        soak_fail(f, "error-form: the message spans lines: \"%s\"", line);
}
