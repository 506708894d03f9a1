/*
 * scenario.c - scenario files (YAML) and --set overrides into a checked
 * struct mmc_scenario.
 *
 * Three passes, so that every message points at the text that caused it:
 *
 *  1. read: libyaml parser events become a tree of nodes (scalar, sequence,
 *     mapping). Each node keeps its origin: file, 1-based line and column
 *     (libyaml marks are 0-based), and whether a scalar was plain; only
 *     plain scalars can be numbers, so "45" in quotes stays a string.
 *     Anchors, aliases and tags are refused here: the schema needs none and
 *     aliases would make the tree a graph.
 *  2. graft: each override "KEY=VALUE" is read by the same code (file
 *     "--set", line = its 1-based index, columns shifted by the offset of
 *     VALUE in the argument) and replaces the node at KEY.
 *  3. check: the tree is walked in schema order into the struct; defaults
 *     fill what is absent.
 *
 * Invariants: a mapping node stores its pairs flat, kids[2i] the key and
 * kids[2i + 1] the value, so n is even. The tree is owned by one load call
 * and freed before it returns; node origins borrow the file name, which the
 * caller keeps alive for that long. The checker reports the first bad key
 * of a mapping (unknown or repeated) before reading any value from it, so
 * the lookups that follow see each known key at most once.
 *
 * Nothing here is mutable static state: every table is const and all work
 * happens on the caller's structs, so loads may run in parallel.
 */
#include "scenario.h"

#include "fmt.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <gsl/gsl_rng.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

/* The schema nests three levels; anything far deeper is hostile input. */
#define MAX_DEPTH 32
/* The schema's mappings have at most 25 keys: more is hostile input (and would make each
 * override's lookup slow). Lists hold sweep values, breakpoints or variants: MMC_MAX_POINTS. */
#define MAX_KEYS 64
/* Scenario files are a few hundred bytes; refuse to slurp a device. */
#define MAX_FILE_BYTES ((size_t)4 << 20)
/* Bytes of offending text quoted in a message, and the buffer that holds them escaped. */
#define SHOW_MAX 48
#define SHOW_BUF 256
/* Longest known key or name that the suggestion code compares against. */
#define NAME_MAX_LEN 31
/* Largest whole number a double holds exactly: the cap on task counts. */
#define TWO_POW_53 9007199254740992.0

enum node_kind { NODE_SCALAR, NODE_SEQ, NODE_MAP };

struct origin {
    const char *file;
    int line, col; /* 1-based */
};

struct node {
    enum node_kind kind;
    struct origin at;
    bool plain;         /* scalar written without quotes: may be a number or null */
    char *text;         /* scalar text, NUL-terminated (may hold NULs: see len) */
    size_t len;         /* bytes of text */
    size_t n, cap;      /* kids in use and allocated */
    struct node **kids; /* sequence items, or key/value pairs of a mapping */
};

/* ---- schema tables ---- */

static const char *const top_keys[] = {
    "name",
    "description",
    "model",
    "arrival",
    "service",
    "workers",
    "network_delay",
    "mem_per_task",
    "stop",
    "warmup",
    "initial",
    "replications",
    "method",
    "batches",
    "compare",
    "control_variates",
    "wait_threshold",
    "capacity",
    "shed",
    "throttle",
    "patience",
    "staffing",
    "variants",
    "seed",
    "rng",
    NULL,
};
static const char *const arrival_keys[] = {
    "dist", "rate", "load", "mean",  "scv",      "k",        "shape", "probs", "rates",
    "min",  "max",  "file", "batch", "sojourns", "schedule", "trace", "scale", NULL};
/* The arrival keys each process reads (batch: every process but a trace). */
static const char *const mmpp_keys[] = {"dist", "rates", "sojourns", "rate",
                                        "load", "mean",  "batch",    NULL};
static const char *const schedule_only_keys[] = {"schedule", "batch", NULL};
static const char *const trace_only_keys[] = {"trace", "scale", NULL};
static const char *const trace_service_keys[] = {"dist", NULL};
static const char *const process_keys[] = {"sojourns", "schedule", "trace", "scale", NULL};
static const char *const batch_keys[] = {"size", "mean", "sizes", "probs", NULL};
static const char *const sched_keys[] = {"times", "rates", "interpolate", NULL};
static const char *const staffing_keys[] = {"times", "workers", NULL};
static const char *const interpolate_names[] = {"step", "linear", NULL};
static const char *const service_keys[] = {"dist",  "rate",  "mean", "scv", "k",    "shape",
                                           "probs", "rates", "min",  "max", "file", NULL};
static const char *const limit_keys[] = {"tasks", "time", NULL};
static const char *const stop_keys[] = {
    "tasks", "time", "precision", "confidence", "metric", "max_replications", "max_time", NULL,
};
/* The stop keys that refine stop.precision and mean nothing without it. */
static const char *const precision_keys[] = {"confidence", "metric", "max_replications", "max_time",
                                             NULL};
static const char *const initial_keys[] = {"in_system", NULL};
static const char *const shed_keys[] = {"threshold", "drop", NULL};
static const char *const throttle_keys[] = {"rate", "burst", "excess", NULL};
static const char *const patience_keys[] = {"dist",  "rate",  "mean", "scv", "k",    "shape",
                                            "probs", "rates", "min",  "max", "file", NULL};
/* What a variant may set: the system, never how it is run or measured. */
static const char *const variant_keys[] = {
    "name",          "description",  "arrival",  "service", "workers",
    "network_delay", "mem_per_task", "capacity", "shed",    "throttle",
    "patience",      "staffing",     NULL,
};
/* A variant's mapping value with this key replaces the base's shape, keeping its rate axis. */
static const char *const rate_axis_keys[] = {"rate", "load", "mean", NULL};

/* The top-level keys whose value is a mapping, and its keys. */
static const struct {
    const char *key;
    const char *const *sub;
} sub_levels[] = {
    {"arrival", arrival_keys},   {"service", service_keys},   {"stop", stop_keys},
    {"warmup", limit_keys},      {"initial", initial_keys},   {"shed", shed_keys},
    {"throttle", throttle_keys}, {"patience", patience_keys}, {"staffing", staffing_keys},
};

/* Pairs of keys that exclude each other; an override of one drops the other. */
enum {
    CHOICE_ARRIVAL,
    CHOICE_ARRIVAL_MEAN,
    CHOICE_LOAD_MEAN,
    CHOICE_SERVICE_MEAN,
    CHOICE_PATIENCE_MEAN,
    CHOICE_STOP,
    CHOICE_WARMUP,
    CHOICE_COUNT
};
static const struct choice {
    const char *parent, *a, *b;
    const char *expect; /* what "neither" says is expected */
} choices[CHOICE_COUNT] = {
    [CHOICE_ARRIVAL] = {"arrival", "rate", "load", "a rate or a load"},
    [CHOICE_ARRIVAL_MEAN] = {"arrival", "rate", "mean", "a rate or a mean"},
    [CHOICE_LOAD_MEAN] = {"arrival", "load", "mean", "a load or a mean"},
    [CHOICE_SERVICE_MEAN] = {"service", "rate", "mean", "a rate or a mean"},
    [CHOICE_PATIENCE_MEAN] = {"patience", "rate", "mean", "a rate or a mean"},
    [CHOICE_STOP] = {"stop", "tasks", "time", "tasks or time"},
    [CHOICE_WARMUP] = {"warmup", "tasks", "time", "tasks or time"},
};

/* Models the simulator knows; add a name here when a model is added. */
static const char *const model_names[] = {"mmc", NULL};

/* Indexed by enum mmc_method and enum mmc_compare_kind. */
static const char *const method_names[] = {
    [MMC_METHOD_REPLICATIONS] = "replications", [MMC_METHOD_BATCH_MEANS] = "batch-means", NULL};
static const char *const drop_names[] = {
    [MMC_DROP_NEWEST] = "newest", [MMC_DROP_OLDEST] = "oldest", NULL};
static const char *const excess_names[] = {
    [MMC_EXCESS_REJECT] = "reject", [MMC_EXCESS_DELAY] = "delay", NULL};
static const char *const compare_names[] = {[MMC_COMPARE_NONE] = "none",
                                            [MMC_COMPARE_ADJACENT] = "adjacent",
                                            [MMC_COMPARE_BASELINE] = "baseline",
                                            NULL};

/* What stop.metric may name: the estimators the report computes. */
static const char *const metric_names[] = {"utilization", "throughput", "Lq",     "L", "Wq",
                                           "W",           "T",          "P_wait", NULL};

/* The default stop, also the count a bare or absent stop has when an override refines it. */
#define DEFAULT_STOP_TASKS 100000
#define DEFAULT_STOP_TASKS_TEXT "100000"

/* ---- errors ---- */

static int fail(struct mmc_error *err, struct origin at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Set err at a node's origin; returns -1 so that callers can "return fail(...)". */
static int fail(struct mmc_error *err, struct origin at, const char *fmt, ...)
{
    char msg[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    /* clang-analyzer 14 loses track of va_start after a struct passed by value */
    vsnprintf(msg, sizeof msg, fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
    va_end(ap);
    mmc_error_set(err, at.file, at.line, at.col, "%s", msg);
    return -1;
}

/* Append a NUL-terminated piece to buf[*o], never past size - 1. */
static void put(char *buf, size_t size, size_t *o, const char *piece)
{
    size_t n = strlen(piece);
    if (*o + n >= size)
        n = size - 1 - *o;
    memcpy(buf + *o, piece, n);
    *o += n;
    buf[*o] = '\0';
}

/*
 * Text quoted in a message: control bytes, quotes and backslashes escaped,
 * cut after SHOW_MAX bytes (never inside a UTF-8 character) so that a
 * megabyte of garbage does not become a megabyte of message.
 */
static void show(const char *text, size_t len, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < len && o + 8 < size; i++) {
        unsigned char c = (unsigned char)text[i];
        char piece[8] = {(char)c, '\0'};
        if (i >= SHOW_MAX && (c & 0xC0) != 0x80) {
            put(buf, size, &o, "...");
            return;
        }
        if (c == '"' || c == '\\')
            snprintf(piece, sizeof piece, "\\%c", c);
        else if (c < 0x20 || c == 0x7F)
            snprintf(piece, sizeof piece, "\\x%02x", c);
        put(buf, size, &o, piece);
    }
}

/* "a, b, c", each name prefixed with "prefix." when prefix is not empty. */
static void join_names(const char *const *names, const char *prefix, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; names[i] != NULL; i++) {
        if (i > 0)
            put(buf, size, &o, ", ");
        if (*prefix != '\0') {
            put(buf, size, &o, prefix);
            put(buf, size, &o, ".");
        }
        put(buf, size, &o, names[i]);
    }
}

/* ---- nodes ---- */

static struct node *node_new(enum node_kind kind, struct origin at)
{
    struct node *nd = mmc_xcalloc(1, sizeof *nd);
    nd->kind = kind;
    nd->at = at;
    return nd;
}

static struct node *scalar_new(const char *text, size_t len, bool plain, struct origin at)
{
    struct node *nd = node_new(NODE_SCALAR, at);
    nd->text = mmc_xmalloc(len + 1, 1);
    if (len > 0)
        memcpy(nd->text, text, len);
    nd->text[len] = '\0';
    nd->len = len;
    nd->plain = plain;
    return nd;
}

/* Free a node and everything under it; NULL is a no-op. */
static void node_free(struct node *nd)
{
    if (nd == NULL)
        return;
    for (size_t i = 0; i < nd->n; i++)
        node_free(nd->kids[i]);
    free(nd->kids);
    free(nd->text);
    free(nd);
}

/* Append kid to a sequence or mapping; takes ownership of kid. */
static void node_push(struct node *nd, struct node *kid)
{
    if (nd->n == nd->cap) {
        nd->cap = nd->cap ? 2 * nd->cap : 4;
        nd->kids = mmc_xrealloc(nd->kids, nd->cap, sizeof *nd->kids);
    }
    nd->kids[nd->n++] = kid;
}

static bool text_is(const struct node *nd, const char *text, size_t len)
{
    return nd->kind == NODE_SCALAR && nd->len == len && memcmp(nd->text, text, len) == 0;
}

/* YAML 1.1 spells null as an empty plain scalar, "~" or "null" in three cases. */
static bool is_null(const struct node *nd)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
    if (nd->kind != NODE_SCALAR || !nd->plain)
        return false;
    for (size_t i = 0; i < sizeof nulls / sizeof *nulls; i++)
        if (text_is(nd, nulls[i], strlen(nulls[i])))
            return true;
    return false;
}

/* The value slot of the first pair whose key is text, or NULL. */
static struct node **map_slot(struct node *map, const char *text, size_t len)
{
    for (size_t i = 0; i + 1 < map->n; i += 2)
        if (text_is(map->kids[i], text, len))
            return &map->kids[i + 1];
    return NULL;
}

/* Drop every pair whose key is text. */
static void map_remove(struct node *map, const char *text, size_t len)
{
    size_t out = 0;
    for (size_t i = 0; i + 1 < map->n; i += 2) {
        if (text_is(map->kids[i], text, len)) {
            node_free(map->kids[i]);
            node_free(map->kids[i + 1]);
            continue;
        }
        map->kids[out++] = map->kids[i];
        map->kids[out++] = map->kids[i + 1];
    }
    map->n = out;
}

/* Make text's value be value (takes ownership); a new key gets origin at. */
static void map_set(struct node *map, const char *text, size_t len, struct node *value,
                    struct origin at)
{
    struct node **slot = map_slot(map, text, len);
    if (slot != NULL) {
        node_free(*slot);
        *slot = value;
        return;
    }
    node_push(map, scalar_new(text, len, true, at));
    node_push(map, value);
}

/* ---- pass 1: YAML text to nodes ---- */

struct reader {
    yaml_parser_t parser;
    const char *input;
    size_t len;
    const char *file;
    int line;     /* every node's line (an override's index), or 0: libyaml's */
    int col_base; /* characters before the input in its line (overrides only) */
    struct mmc_error *err;
};

static int clamp_int(size_t x)
{
    return x < INT_MAX / 2 ? (int)x : INT_MAX / 2;
}

/*
 * libyaml marks are 0-based; origins are 1-based. An override is one line
 * of a command line, so its columns come from the character index into the
 * value: libyaml moves the end of input to a new line, the index stays put.
 */
static struct origin origin_at(const struct reader *r, yaml_mark_t m)
{
    if (r->line != 0)
        return (struct origin){r->file, r->line, r->col_base + clamp_int(m.index) + 1};
    return (struct origin){r->file, clamp_int(m.line) + 1, clamp_int(m.column) + 1};
}

/* libyaml's reader reports a byte offset, not a mark: count lines and characters. */
static yaml_mark_t mark_of_offset(const char *s, size_t len, size_t off)
{
    yaml_mark_t m = {0, 0, 0};
    for (size_t i = 0; i < off && i < len; i++) {
        if (((unsigned char)s[i] & 0xC0) == 0x80)
            continue; /* inside a UTF-8 character */
        m.index++;
        m.column++;
        if (s[i] == '\n') {
            m.line++;
            m.column = 0;
        }
    }
    return m;
}

static int yaml_failure(struct reader *r)
{
    const yaml_parser_t *p = &r->parser;
    const char *problem = p->problem ? p->problem : "cannot parse";
    if (p->error == YAML_MEMORY_ERROR)
        return fail(r->err, origin_at(r, p->problem_mark), "out of memory while reading YAML");
    if (p->error == YAML_READER_ERROR) {
        yaml_mark_t m = mark_of_offset(r->input, r->len, p->problem_offset);
        if (p->problem_value < 0)
            return fail(r->err, origin_at(r, m), "malformed YAML: %s", problem);
        return fail(r->err, origin_at(r, m), "malformed YAML: %s (0x%X)", problem,
                    (unsigned)p->problem_value);
    }
    return fail(r->err, origin_at(r, p->problem_mark), "malformed YAML: %s%s%s", problem,
                p->context ? " " : "", p->context ? p->context : "");
}

static int next_event(struct reader *r, yaml_event_t *ev)
{
    if (yaml_parser_parse(&r->parser, ev)) /* libyaml: 1 = success */
        return 0;
    return yaml_failure(r);
}

/* The schema has no use for anchors, aliases or tags; refuse them at their origin. */
static int refuse_extras(struct reader *r, const yaml_char_t *anchor, const yaml_char_t *tag,
                         struct origin at)
{
    if (anchor != NULL)
        return fail(r->err, at, "anchors and aliases are not supported");
    if (tag != NULL)
        return fail(r->err, at, "tags are not supported");
    return 0;
}

static int read_node(struct reader *r, int depth, struct node **out);

static int read_scalar(struct reader *r, const yaml_event_t *ev, struct origin at,
                       struct node **out)
{
    if (refuse_extras(r, ev->data.scalar.anchor, ev->data.scalar.tag, at) < 0)
        return -1;
    *out = scalar_new((const char *)ev->data.scalar.value, ev->data.scalar.length,
                      ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE, at);
    return 0;
}

/*
 * Sequences and mappings are read alike: kids until the end event. libyaml
 * only ends a mapping after a value, so a mapping's kids pair up.
 */
static int read_collection(struct reader *r, const yaml_event_t *ev, int depth, struct node **out)
{
    bool is_map = ev->type == YAML_MAPPING_START_EVENT;
    struct origin at = origin_at(r, ev->start_mark);
    const yaml_char_t *anchor =
        is_map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
    const yaml_char_t *tag = is_map ? ev->data.mapping_start.tag : ev->data.sequence_start.tag;
    if (refuse_extras(r, anchor, tag, at) < 0)
        return -1;
    if (depth >= MAX_DEPTH)
        return fail(r->err, at, "values are nested more than %d deep", MAX_DEPTH);
    struct node *nd = node_new(is_map ? NODE_MAP : NODE_SEQ, at);
    struct node *kid = NULL;
    int rc;
    while ((rc = read_node(r, depth + 1, &kid)) == 0) {
        node_push(nd, kid);
        if (is_map && nd->n > 2 * MAX_KEYS)
            rc = fail(r->err, at, "a mapping with more than %d keys", MAX_KEYS);
        else if (!is_map && nd->n > MMC_MAX_POINTS)
            rc = fail(r->err, at, "a list of more than %d values", MMC_MAX_POINTS);
        if (rc < 0)
            break;
    }
    if (rc < 0) {
        node_free(nd);
        return -1;
    }
    assert(!is_map || nd->n % 2 == 0);
    *out = nd;
    return 0;
}

static int node_from_event(struct reader *r, const yaml_event_t *ev, int depth, struct node **out)
{
    struct origin at = origin_at(r, ev->start_mark);
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        return read_scalar(r, ev, at, out);
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        return read_collection(r, ev, depth, out);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return 1;
    case YAML_ALIAS_EVENT:
        return fail(r->err, at, "anchors and aliases are not supported");
    default: /* libyaml never sends stream or document events inside a node */
        return fail(r->err, at, "malformed YAML: unexpected event");
    }
}

/* Read one node into *out: 0, or 1 at the end of the enclosing collection, or -1. */
static int read_node(struct reader *r, int depth, struct node **out)
{
    yaml_event_t ev;
    if (next_event(r, &ev) < 0)
        return -1;
    int rc = node_from_event(r, &ev, depth, out);
    yaml_event_delete(&ev);
    return rc;
}

/*
 * The one document of the stream into *root (NULL if there is none); *end
 * is where the stream ends, for "empty" messages.
 */
static int read_stream(struct reader *r, struct node **root, struct origin *end)
{
    *root = NULL;
    for (;;) {
        yaml_event_t ev;
        if (next_event(r, &ev) < 0)
            break;
        yaml_event_type_t type = ev.type;
        struct origin at = origin_at(r, ev.start_mark);
        yaml_event_delete(&ev);
        if (type == YAML_STREAM_END_EVENT) {
            *end = at;
            return 0;
        }
        if (type != YAML_DOCUMENT_START_EVENT)
            continue; /* stream start, document end */
        if (*root != NULL) {
            fail(r->err, at, "expected one YAML document, found a second one");
            break;
        }
        int rc = read_node(r, 0, root);
        if (rc > 0) /* an end event cannot open a document; libyaml never sends one */
            fail(r->err, at, "malformed YAML: document without a value");
        if (rc != 0)
            break;
    }
    node_free(*root);
    *root = NULL;
    return -1;
}

static int parse_yaml(struct reader *r, struct node **root, struct origin *end)
{
    if (!yaml_parser_initialize(&r->parser)) /* libyaml: 0 = failure (out of memory) */
        return fail(r->err, (struct origin){r->file, 0, 0}, "out of memory while reading YAML");
    yaml_parser_set_input_string(&r->parser, (const unsigned char *)r->input, r->len);
    int rc = read_stream(r, root, end);
    yaml_parser_delete(&r->parser);
    return rc;
}

/* ---- describing nodes in messages ---- */

/* What a node is, for "got ...": nothing, a list, a mapping, string "x" or "x". */
static const char *describe(const struct node *nd, char *buf, size_t size)
{
    char shown[SHOW_BUF];
    if (nd->kind == NODE_MAP)
        return "a mapping";
    if (nd->kind == NODE_SEQ)
        return nd->n ? "a list" : "an empty list";
    if (is_null(nd))
        return "nothing";
    show(nd->text, nd->len, shown, sizeof shown);
    snprintf(buf, size, "%s\"%s\"", nd->plain ? "" : "string ", shown);
    return buf;
}

/* ---- suggestions for misspelt keys ---- */

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* Levenshtein distance, one row at a time; name is short (a known key). */
static size_t edit_distance(const char *word, size_t len, const char *name)
{
    size_t m = strlen(name);
    size_t row[NAME_MAX_LEN + 1];
    assert(m <= NAME_MAX_LEN);
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= len; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            row[j] = min3(up + 1, row[j - 1] + 1, diag + (word[i - 1] != name[j - 1]));
            diag = up;
        }
    }
    return row[m];
}

/* The name nearest to word when it is close enough to be a likely typo, else NULL. */
static const char *nearest(const char *word, size_t len, const char *const *names)
{
    const char *best = NULL;
    size_t best_d = SIZE_MAX;
    if (len > 2 * NAME_MAX_LEN) /* too far from every name; skip the O(len) work */
        return NULL;
    for (size_t i = 0; names[i] != NULL; i++) {
        size_t d = edit_distance(word, len, names[i]);
        if (d < best_d) {
            best = names[i];
            best_d = d;
        }
    }
    if (best != NULL && (best_d <= 2 || 3 * best_d <= strlen(best)))
        return best;
    return NULL;
}

static const char *find_name(const char *const *names, const char *text, size_t len)
{
    for (size_t i = 0; names[i] != NULL; i++)
        if (strlen(names[i]) == len && memcmp(names[i], text, len) == 0)
            return names[i];
    return NULL;
}

/* "unknown key" naming the nearest known path. */
static int unknown_near(struct origin at, const char *shown, const char *near,
                        struct mmc_error *err)
{
    return fail(err, at, "unknown key \"%s\" (did you mean \"%s\"?)", shown, near);
}

/* "unknown key" listing the keys known at its level, as "prefix.key". */
static int unknown_list(struct origin at, const char *shown, const char *const *level,
                        const char *prefix, struct mmc_error *err)
{
    char known[sizeof err->msg]; /* "variants[12].name, ..." is longer than a quoted value */
    join_names(level, prefix, known, sizeof known);
    return fail(err, at, "unknown key \"%s\" (known: %s)", shown, known);
}

/* ---- pass 2: overrides ---- */

/* The keys under a top-level key, or NULL when its value is not a mapping. */
static const char *const *sub_keys(const char *key)
{
    for (size_t i = 0; i < sizeof sub_levels / sizeof *sub_levels; i++)
        if (strcmp(sub_levels[i].key, key) == 0)
            return sub_levels[i].sub;
    return NULL;
}

static size_t segment_length(const char *s, size_t len)
{
    const char *dot = memchr(s, '.', len);
    return dot ? (size_t)(dot - s) : len;
}

/*
 * Accept a dotted KEY naming a known key. Otherwise report it whole, with
 * the nearest known path built segment by segment ("arival.rat" ->
 * "arrival.rate"), or the keys known where no segment comes close.
 */
static int check_path(const char *key, size_t len, struct origin at, struct mmc_error *err)
{
    const char *const *level = top_keys;
    char near[64] = "", shown[SHOW_BUF];
    size_t pos = 0, o = 0;
    bool exact = true;
    show(key, len, shown, sizeof shown);
    for (;;) {
        size_t seg = segment_length(key + pos, len - pos);
        const char *name = find_name(level, key + pos, seg);
        const char *guess = name ? name : nearest(key + pos, seg, level);
        if (guess == NULL)
            return unknown_list(at, shown, level, near, err);
        exact = exact && name != NULL;
        put(near, sizeof near, &o, o ? "." : "");
        put(near, sizeof near, &o, guess);
        pos += seg;
        if (pos == len)
            break;
        /* more segments: only a top-level key with a mapping value has any */
        if (level != top_keys || (level = sub_keys(guess)) == NULL) {
            exact = false;
            break;
        }
        pos++; /* the dot */
    }
    return exact ? 0 : unknown_near(at, shown, near, err);
}

/* Reading "arrival.rate" drops "arrival.load": alternatives exclude each other. */
static void drop_alternative(struct node *map, const char *parent, size_t plen, const char *key,
                             size_t klen)
{
    for (size_t i = 0; i < CHOICE_COUNT; i++) {
        const struct choice *ch = &choices[i];
        if (strlen(ch->parent) != plen || memcmp(ch->parent, parent, plen) != 0)
            continue;
        if (strlen(ch->a) == klen && memcmp(ch->a, key, klen) == 0)
            map_remove(map, ch->b, strlen(ch->b));
        if (strlen(ch->b) == klen && memcmp(ch->b, key, klen) == 0)
            map_remove(map, ch->a, strlen(ch->a));
    }
}

/*
 * The mapping that replaces a missing (old NULL) or non-mapping parent;
 * takes ownership of old. It is empty, except that a bare stop is short for
 * {tasks: N} and an absent one for the default: it keeps that count, so
 * "--set stop.precision=0.01" refines the stop instead of losing it.
 */
static struct node *new_parent(const char *key, size_t head, struct node *old, struct origin at)
{
    struct node *map = node_new(NODE_MAP, at);
    bool is_stop = head == 4 && memcmp(key, "stop", 4) == 0;
    if (!is_stop || (old != NULL && old->kind != NODE_SCALAR)) {
        node_free(old);
        return map;
    }
    if (old == NULL)
        old = scalar_new(DEFAULT_STOP_TASKS_TEXT, strlen(DEFAULT_STOP_TASKS_TEXT), true, at);
    node_push(map, scalar_new("tasks", 5, true, at));
    node_push(map, old);
    return map;
}

/*
 * Put value at a checked dotted key (one or two segments), replacing what
 * is there; a missing or non-mapping parent becomes a mapping (new_parent).
 * Takes ownership of value.
 */
static void graft(struct node *root, const char *key, size_t len, struct node *value,
                  struct origin at)
{
    size_t head = segment_length(key, len);
    if (head == len) {
        map_set(root, key, len, value, at);
        return;
    }
    struct node **slot = map_slot(root, key, head);
    if (slot == NULL) {
        map_set(root, key, head, new_parent(key, head, NULL, at), at);
        slot = map_slot(root, key, head);
    } else if ((*slot)->kind != NODE_MAP) {
        *slot = new_parent(key, head, *slot, at);
    }
    drop_alternative(*slot, key, head, key + head + 1, len - head - 1);
    map_set(*slot, key + head + 1, len - head - 1, value, at);
}

/* VALUE as a YAML value; its columns count from the start of the whole argument. */
static int read_value(const char *text, int offset, struct origin at, struct node **out,
                      struct mmc_error *err)
{
    struct reader r = {
        .input = text,
        .len = strlen(text),
        .file = at.file,
        .line = at.line,
        .col_base = offset,
        .err = err,
    };
    struct origin end = at;
    if (parse_yaml(&r, out, &end) < 0)
        return -1;
    if (*out == NULL) /* "KEY=" or a comment only: a key with no value */
        *out = scalar_new("", 0, true, (struct origin){at.file, at.line, offset + 1});
    return 0;
}

static int apply_override(struct node *root, const char *text, int index, struct mmc_error *err)
{
    assert(text != NULL);
    struct origin at = {"--set", index, 1};
    const char *eq = strchr(text, '=');
    char shown[SHOW_BUF];
    if (eq == NULL || eq == text) {
        show(text, strlen(text), shown, sizeof shown);
        return fail(err, at, "expected KEY=VALUE, got \"%s\"", shown);
    }
    size_t klen = (size_t)(eq - text);
    struct node *value = NULL;
    if (check_path(text, klen, at, err) < 0)
        return -1;
    if (read_value(eq + 1, clamp_int(klen + 1), at, &value, err) < 0)
        return -1;
    graft(root, text, klen, value, at);
    return 0;
}

/* ---- pass 3: checking the tree into the struct ---- */

/* A key's value as the checker sees it. */
struct field {
    const struct node *key, *v; /* NULL when the key is absent */
    const struct node *map;     /* where a missing key is reported */
    size_t index;               /* pair index in map, to tell which came later */
    char path[64];              /* dotted path for messages: "arrival.rate[2]" */
};

static struct field field_in(const struct node *map, const char *prefix, const char *key)
{
    struct field f = {.map = map};
    snprintf(f.path, sizeof f.path, "%s%s%s", prefix, *prefix ? "." : "", key);
    for (size_t i = 0; i + 1 < map->n; i += 2)
        if (text_is(map->kids[i], key, strlen(key))) {
            f.key = map->kids[i];
            f.v = map->kids[i + 1];
            f.index = i / 2;
            break;
        }
    return f;
}

static struct field item_of(const struct field *f, size_t i)
{
    struct field item = {.key = f->key, .v = f->v->kids[i], .map = f->v, .index = i};
    /* paths of known keys are short: the cut never happens */
    snprintf(item.path, sizeof item.path, "%.40s[%zu]", f->path, i);
    return item;
}

/* "path: expected what, got ..." at the value. */
static int bad(const struct field *f, const char *what, struct mmc_error *err)
{
    char got[SHOW_BUF + 16];
    return fail(err, f->v->at, "%s: expected %s, got %s", f->path, what,
                describe(f->v, got, sizeof got));
}

static int missing(const struct field *f, struct mmc_error *err)
{
    return fail(err, f->map->at, "missing key \"%s\"", f->path);
}

/* A key not among names: the nearest one as "prefix.key", or the list. */
static int unknown_in_map(const struct node *k, const char *prefix, const char *const *names,
                          struct mmc_error *err)
{
    char shown[SHOW_BUF], dotted[SHOW_BUF + 64], guess[64];
    const char *dot = *prefix ? "." : "";
    const char *near = nearest(k->text, k->len, names);
    show(k->text, k->len, shown, sizeof shown);
    snprintf(dotted, sizeof dotted, "%s%s%s", prefix, dot, shown);
    if (near == NULL)
        return unknown_list(k->at, dotted, names, prefix, err);
    snprintf(guess, sizeof guess, "%s%s%s", prefix, dot, near);
    return unknown_near(k->at, dotted, guess, err);
}

/* Every key of map is a known name, given once. */
static int check_keys(const struct node *map, const char *prefix, const char *const *names,
                      struct mmc_error *err)
{
    char got[SHOW_BUF + 16];
    for (size_t i = 0; i < map->n; i += 2) {
        const struct node *k = map->kids[i];
        if (k->kind != NODE_SCALAR)
            return fail(err, k->at, "%s%sexpected a key name, got %s", prefix, *prefix ? ": " : "",
                        describe(k, got, sizeof got));
        if (find_name(names, k->text, k->len) == NULL)
            return unknown_in_map(k, prefix, names, err);
        /* every earlier key is known and unique, so this loop is short */
        for (size_t j = 0; j < i; j += 2)
            if (text_is(map->kids[j], k->text, k->len))
                return fail(err, k->at, "duplicate key \"%s%s%s\"", prefix, *prefix ? "." : "",
                            k->text);
    }
    return 0;
}

/* f must be a mapping whose keys are among names. */
static int mapping(const struct field *f, const char *const *names, struct mmc_error *err)
{
    if (f->v->kind != NODE_MAP)
        return bad(f, "a mapping", err);
    return check_keys(f->v, f->path, names, err);
}

/* A string: any non-null scalar, quoted or not, without NUL bytes. */
static int string(const struct field *f, const char **out, struct mmc_error *err)
{
    if (f->v->kind != NODE_SCALAR || is_null(f->v))
        return bad(f, "a string", err);
    if (strlen(f->v->text) != f->v->len)
        return bad(f, "a string without NUL bytes", err);
    *out = f->v->text;
    return 0;
}

static int unknown_value(const struct field *f, const char *what, const char *const *names,
                         struct mmc_error *err)
{
    char shown[SHOW_BUF], known[SHOW_BUF];
    show(f->v->text, f->v->len, shown, sizeof shown);
    join_names(names, "", known, sizeof known);
    return fail(err, f->v->at, "%s: unknown %s \"%s\" (known: %s)", f->path, what, shown, known);
}

/* What a number must be, in the words the messages use. */
struct rule {
    const char *type; /* any value that is not a number: "a whole number" */
    const char *low;  /* too small, not whole or not finite: "a whole number >= 1" */
    const char *high; /* too large */
    double min, max;
    bool above_min; /* min itself is excluded */
    bool below_max; /* max itself is excluded */
    bool whole;
};

static const struct rule positive = {
    .type = "a number",
    .low = "a finite number > 0",
    .high = "a finite number > 0",
    .min = 0,
    .max = DBL_MAX,
    .above_min = true,
};
static const struct rule nonnegative = {
    .type = "a number",
    .low = "a finite number >= 0",
    .high = "a finite number >= 0",
    .min = 0,
    .max = DBL_MAX,
};
static const struct rule workers_rule = {
    .type = "a whole number",
    .low = "a whole number >= 1",
    .high = "a whole number <= 10000000",
    .min = 1,
    .max = 1e7,
    .whole = true,
};
static const struct rule stop_tasks = {
    .type = "a whole number",
    .low = "a whole number >= 1",
    .high = "a whole number <= 9007199254740992",
    .min = 1,
    .max = TWO_POW_53,
    .whole = true,
};
static const struct rule stop_bare = {
    .type = "a whole number or a mapping",
    .low = "a whole number >= 1",
    .high = "a whole number <= 9007199254740992",
    .min = 1,
    .max = TWO_POW_53,
    .whole = true,
};
static const struct rule warmup_tasks = {
    .type = "a whole number",
    .low = "a whole number >= 0",
    .high = "a whole number <= 9007199254740992",
    .min = 0,
    .max = TWO_POW_53,
    .whole = true,
};
static const struct rule warmup_bare = {
    .type = "auto, none, a whole number or a mapping",
    .low = "a whole number >= 0",
    .high = "a whole number <= 9007199254740992",
    .min = 0,
    .max = TWO_POW_53,
    .whole = true,
};
static const struct rule replications_rule = {
    .type = "a whole number",
    .low = "a whole number >= 1",
    .high = "a whole number <= 1000000",
    .min = 1,
    .max = 1e6,
    .whole = true,
};
static const struct rule in_system_rule = {
    .type = "a whole number",
    .low = "a whole number >= 0",
    .high = "a whole number <= 10000000",
    .min = 0,
    .max = 1e7,
    .whole = true,
};
static const struct rule capacity_rule = {
    .type = "a whole number",
    .low = "a whole number >= 1",
    .high = "a whole number <= 1000000000",
    .min = 1,
    .max = 1e9,
    .whole = true,
};
static const struct rule threshold_rule = {
    .type = "a whole number",
    .low = "a whole number >= 0",
    .high = "a whole number <= 1000000000",
    .min = 0,
    .max = 1e9,
    .whole = true,
};
static const struct rule burst_rule = {
    .type = "a number",
    .low = "a finite number >= 1",
    .high = "a number <= 1000000000",
    .min = 1,
    .max = 1e9,
};
/* A relative precision or a confidence level: strictly between 0 and 1. */
static const struct rule fraction = {
    .type = "a number",
    .low = "a finite number > 0 and < 1",
    .high = "a finite number > 0 and < 1",
    .min = 0,
    .max = 1,
    .above_min = true,
    .below_max = true,
};
static const struct rule batches_rule = {
    .type = "a whole number",
    .low = "a whole number >= 10",
    .high = "a whole number <= 1000",
    .min = 10,
    .max = 1000,
    .whole = true,
};
/* max: the largest double below 2^64, so that the conversion to uint64_t is defined */
static const struct rule seed_rule = {
    .type = "a whole number",
    .low = "a whole number >= 0",
    .high = "a whole number <= 18446744073709551615",
    .min = 0,
    .max = 0x1.fffffffffffffp63,
    .whole = true,
};

/* Only plain scalars are numbers: "45" in quotes is a string. */
static int number_node(const struct field *f, const struct rule *r, struct mmc_error *err)
{
    if (f->v->kind != NODE_SCALAR || !f->v->plain || is_null(f->v))
        return bad(f, r->type, err);
    return 0;
}

/*
 * strtod over the whole text. It also reads hex floats and skips leading
 * blanks, neither of which is a YAML decimal, so those are refused first;
 * non-finite results are left to the caller's range check.
 */
static bool parse_decimal(const struct node *v, double *x)
{
    const char *t = v->text;
    char *end;
    if (!isdigit((unsigned char)t[0]) && t[0] != '+' && t[0] != '-' && t[0] != '.')
        return false;
    if (strpbrk(t, "xX") != NULL)
        return false;
    errno = 0;
    *x = strtod(t, &end);
    return end != t && end == t + v->len;
}

/*
 * A whole number at or past 2^53 is exact only as written: "9007199254740993"
 * rounds to 2^53 as a double, so the digits themselves are compared with max.
 */
static bool whole_within(const struct node *v, double max)
{
    const char *t = v->text + (v->text[0] == '+');
    if (strspn(t, "0123456789") != strlen(t) || *t == '\0')
        return false;
    errno = 0;
    unsigned long long u = strtoull(t, NULL, 10);
    return errno != ERANGE && max >= 0x1p53 && max < 0x1p64 && u <= (unsigned long long)max;
}

static int number(const struct field *f, const struct rule *r, double *out, struct mmc_error *err)
{
    double x = 0;
    if (number_node(f, r, err) < 0)
        return -1;
    if (!parse_decimal(f->v, &x))
        return bad(f, r->type, err);
    if (x == 0 && errno == ERANGE) /* 1e-400: not 0, and no double holds it */
        return bad(f, "a number a double can hold (this one underflows to 0)", err);
    if (!isfinite(x) || x < r->min || (r->above_min && x == r->min) || (r->whole && x != floor(x)))
        return bad(f, r->low, err);
    if (r->whole && fabs(x) >= 0x1p53 && !whole_within(f->v, r->max))
        return bad(f, r->high, err);
    if (x > r->max || (r->below_max && x == r->max))
        return bad(f, r->high, err);
    *out = x == 0 ? 0 : x; /* -0 becomes 0: equal scenarios must print alike */
    return 0;
}

/* One number or a non-empty flat list of them; the array goes to a (freed by fini). */
static int axis(const struct field *f, const struct rule *r, struct mmc_axis *a,
                struct mmc_error *err)
{
    if (f->v->kind != NODE_SEQ) {
        a->v = mmc_xmalloc(1, sizeof *a->v);
        a->n = 1;
        return number(f, r, &a->v[0], err);
    }
    if (f->v->n == 0)
        return bad(f, "at least one value", err);
    a->v = mmc_xmalloc(f->v->n, sizeof *a->v);
    a->n = f->v->n;
    for (size_t i = 0; i < a->n; i++) {
        struct field item = item_of(f, i);
        if (number(&item, r, &a->v[i], err) < 0)
            return -1;
    }
    return 0;
}

/* Exactly one key of a choice is present; returns it, or NULL with err set. */
static const struct field *one_of(const struct field *f, const struct choice *ch,
                                  const struct field *a, const struct field *b,
                                  struct mmc_error *err)
{
    if (a->v != NULL && b->v != NULL) {
        const struct field *later = a->index > b->index ? a : b;
        fail(err, later->key->at, "%s: give %s or %s, not both", f->path, ch->a, ch->b);
        return NULL;
    }
    if (a->v == NULL && b->v == NULL) {
        fail(err, f->v->at, "%s: expected %s", f->path, ch->expect);
        return NULL;
    }
    return a->v ? a : b;
}

/* The rules of a stop or warm-up limit. */
struct limit_rules {
    const struct choice *choice;
    const char *const *keys; /* the keys its mapping may hold */
    const struct rule *bare, *tasks, *time;
};

/* A bare whole number (tasks) or {tasks: N} or {time: X}. */
static int limit(const struct field *f, const struct limit_rules *lr, struct mmc_limit *out,
                 struct mmc_error *err)
{
    if (f->v->kind != NODE_MAP) {
        out->kind = MMC_LIMIT_TASKS;
        return number(f, lr->bare, &out->value, err);
    }
    if (check_keys(f->v, f->path, lr->keys, err) < 0)
        return -1;
    struct field tasks = field_in(f->v, f->path, "tasks");
    struct field secs = field_in(f->v, f->path, "time");
    const struct field *pick = one_of(f, lr->choice, &tasks, &secs, err);
    if (pick == NULL)
        return -1;
    out->kind = pick == &tasks ? MMC_LIMIT_TASKS : MMC_LIMIT_TIME;
    return number(pick, pick == &tasks ? lr->tasks : lr->time, &out->value, err);
}

/* Everything a top-level check needs. */
struct check {
    const struct node *root;
    const char *file; /* where the scenario came from: the default name */
    struct mmc_scenario *s;
    struct mmc_error *err;
};

typedef int check_fn(const struct check *c);

static struct field top(const struct check *c, const char *key)
{
    return field_in(c->root, "", key);
}

/* Strict UTF-8 (no overlongs, surrogates or values past U+10FFFF): length, or 0 if invalid. */
static size_t utf8_char(const unsigned char *p, uint32_t *cp)
{
    static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    unsigned char c = p[0];
    size_t n = c < 0x80 ? 1 : c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
    if (n == 0)
        return 0;
    uint32_t v = n == 1 ? c : c & (0x7Fu >> n);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (p[i] & 0x3Fu);
    }
    if (v < least[n] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

static bool is_utf8(const char *s)
{
    uint32_t cp;
    for (size_t n; *s != '\0'; s += n)
        if ((n = utf8_char((const unsigned char *)s, &cp)) == 0)
            return false;
    return true;
}

/*
 * The file's base name without its extension ("runs/mm1.yaml" -> "mm1").
 * It must fit and be text that YAML can hold, or printing would not round-trip.
 */
static int default_name(const struct check *c)
{
    const char *base = strrchr(c->file, '/');
    base = base ? base + 1 : c->file;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    struct origin at = {c->file, 0, 0};
    if (n >= sizeof c->s->name)
        return fail(c->err, at, "name: the file name is longer than %zu bytes; set name",
                    sizeof c->s->name - 1);
    memcpy(c->s->name, base, n);
    c->s->name[n] = '\0';
    if (!is_utf8(c->s->name))
        return fail(c->err, at, "name: the file name is not UTF-8 text; set name");
    return 0;
}

static int check_name(const struct check *c)
{
    struct field f = top(c, "name");
    const char *text = "";
    if (f.v == NULL)
        return default_name(c);
    if (string(&f, &text, c->err) < 0)
        return -1;
    if (strlen(text) >= sizeof c->s->name)
        return bad(&f, "a name of at most 127 bytes", c->err);
    memcpy(c->s->name, text, strlen(text) + 1);
    return 0;
}

static int check_description(const struct check *c)
{
    struct field f = top(c, "description");
    const char *text = "";
    if (f.v != NULL && string(&f, &text, c->err) < 0)
        return -1;
    c->s->description = mmc_xstrdup(text);
    return 0;
}

static int check_model(const struct check *c)
{
    struct field f = top(c, "model");
    const char *name = "";
    if (f.v == NULL)
        return missing(&f, c->err);
    if (string(&f, &name, c->err) < 0)
        return -1;
    if (find_name(model_names, name, strlen(name)) == NULL)
        return unknown_value(&f, "model", model_names, c->err);
    snprintf(c->s->model, sizeof c->s->model, "%s", name);
    return 0;
}

/* ---- distributions ---- */

/* Which shape keys a distribution takes: alternatives, each one key or a pair. */
static const struct {
    const char *keys[3][2]; /* up to three alternatives of one or two keys */
    bool needs;             /* one alternative is required */
} shape_keys[MMC_DIST_COUNT] = {
    [MMC_DIST_EXPONENTIAL] = {{{NULL}}, false},
    [MMC_DIST_DETERMINISTIC] = {{{NULL}}, false},
    [MMC_DIST_UNIFORM] = {{{"scv", NULL}, {"min", "max"}}, true},
    [MMC_DIST_ERLANG] = {{{"k", NULL}}, true},
    [MMC_DIST_GAMMA] = {{{"scv", NULL}, {"shape", NULL}}, true},
    [MMC_DIST_LOGNORMAL] = {{{"scv", NULL}}, true},
    [MMC_DIST_WEIBULL] = {{{"scv", NULL}, {"shape", NULL}}, true},
    [MMC_DIST_PARETO] = {{{"scv", NULL}, {"shape", NULL}}, true},
    [MMC_DIST_HYPEREXPONENTIAL] = {{{"scv", NULL}, {"probs", "rates"}}, true},
    [MMC_DIST_EMPIRICAL] = {{{"file", NULL}}, true},
};

/* The keys that give a shape, whatever the distribution. */
static const char *const all_shape_keys[] = {"scv", "k",   "shape", "probs", "rates",
                                             "min", "max", "file",  NULL};

static const struct rule shape_number = {
    .type = "a number",
    .low = "a finite number",
    .high = "a finite number",
    .min = -DBL_MAX,
    .max = DBL_MAX,
};

/* A list of exactly two numbers. */
static int pair(const struct field *f, const struct rule *r, double out[2], struct mmc_error *err)
{
    if (f->v->kind != NODE_SEQ || f->v->n != 2)
        return bad(f, "a list of two numbers", err);
    for (size_t i = 0; i < 2; i++) {
        struct field item = item_of(f, i);
        if (number(&item, r, &out[i], err) < 0)
            return -1;
    }
    return 0;
}

/* A file named in the scenario: relative to the scenario's directory unless absolute (freed by
 * the caller). */
static char *beside_scenario(const struct check *c, const char *name)
{
    const char *slash = strrchr(c->file, '/');
    size_t dir = name[0] != '/' && slash != NULL ? (size_t)(slash - c->file) + 1 : 0;
    size_t len = dir + strlen(name) + 1;
    char *path = mmc_xmalloc(len, 1);
    snprintf(path, len, "%.*s%s", (int)dir, c->file, name);
    return path;
}

/*
 * A samples or trace file that did not read: at the key when it cannot be opened (line 0), else
 * at the file's offending line. Control bytes of the path are escaped: a message is one line.
 */
static int file_error(const struct check *c, const struct field *f, const char *path,
                      unsigned long line, const char *why)
{
    char shown[SHOW_BUF];
    size_t o = 0;
    shown[0] = '\0';
    for (const unsigned char *p = (const unsigned char *)path; *p != '\0' && o + 8 < sizeof shown;
         p++) {
        char piece[8] = {(char)*p, '\0'};
        if (*p < 0x20 || *p == 0x7F)
            snprintf(piece, sizeof piece, "\\x%02x", *p);
        put(shown, sizeof shown, &o, piece);
    }
    if (line == 0)
        return fail(c->err, f->v->at, "%s: cannot read %s: %s", f->path, shown, why);
    mmc_error_set(c->err, shown, line > INT_MAX ? 0 : (int)line, 1, "%s: %s", f->path, why);
    return -1;
}

/* The samples file, relative to the scenario's directory unless absolute. */
static int read_samples(const struct check *c, const struct field *f, struct mmc_dist_spec *d)
{
    const char *name = "";
    if (string(f, &name, c->err) < 0)
        return -1;
    if (*name == '\0')
        return bad(f, "a file name", c->err);
    char *path = beside_scenario(c, name);
    d->file = mmc_xmalloc(strlen(name) + 1, 1);
    memcpy(d->file, name, strlen(name) + 1);
    char why[160];
    unsigned long line = 0;
    size_t n = 0;
    int rc = mmc_dist_read_samples(path, &d->samples, &n, &line, why, sizeof why);
    if (rc != 0)
        file_error(c, f, path, line, why);
    free(path);
    if (rc != 0)
        return -1;
    double mean = 0;
    const char *bad_why = NULL;
    if (mmc_dist_empirical(&d->shape, d->samples, n, &mean, &bad_why) != 0)
        return fail(c->err, f->v->at, "%s: %s", f->path, bad_why);
    d->value = mean;
    return 0;
}

/* Build the shape from the keys given; *mean is set when they fix the mean. */
static int build_shape(const struct check *c, const struct field *f, enum mmc_dist_kind kind,
                       struct mmc_dist_spec *d, double *mean)
{
    const char *why = NULL;
    struct field at = *f;
    int rc = 0;
    *mean = NAN;
    d->shape.kind = kind;
    if (shape_keys[kind].keys[0][0] == NULL) {
        rc = kind == MMC_DIST_EXPONENTIAL ? mmc_dist_exponential(&d->shape)
                                          : mmc_dist_deterministic(&d->shape);
        return rc;
    }
    for (size_t alt = 0; alt < 3 && shape_keys[kind].keys[alt][0] != NULL; alt++) {
        const char *k0 = shape_keys[kind].keys[alt][0];
        struct field v0 = field_in(f->v, f->path, k0);
        if (v0.v == NULL)
            continue;
        at = v0;
        d->param = k0;
        if (strcmp(k0, "file") == 0)
            return read_samples(c, &v0, d);
        if (strcmp(k0, "probs") == 0 || strcmp(k0, "min") == 0) {
            struct field v1 = field_in(f->v, f->path, shape_keys[kind].keys[alt][1]);
            if (v1.v == NULL)
                return fail(c->err, v0.key->at, "%s: %s needs %s too", f->path, k0,
                            shape_keys[kind].keys[alt][1]);
            if (strcmp(k0, "probs") == 0) {
                if (pair(&v0, &shape_number, d->probs, c->err) < 0 ||
                    pair(&v1, &shape_number, d->rates, c->err) < 0)
                    return -1;
                rc = mmc_dist_hyperexp(&d->shape, d->probs, d->rates, mean, &why);
            } else {
                if (number(&v0, &shape_number, &d->min, c->err) < 0 ||
                    number(&v1, &shape_number, &d->max, c->err) < 0)
                    return -1;
                rc = mmc_dist_uniform_range(&d->shape, d->min, d->max, mean, &why);
            }
            d->fixed_mean = true;
            break;
        }
        if (number(&v0, &shape_number, &d->value, c->err) < 0)
            return -1;
        bool scv = strcmp(k0, "scv") == 0;
        switch (kind) {
        case MMC_DIST_UNIFORM:
            rc = mmc_dist_uniform_scv(&d->shape, d->value, &why);
            break;
        case MMC_DIST_ERLANG:
            rc = mmc_dist_erlang(&d->shape, d->value, &why);
            break;
        case MMC_DIST_GAMMA:
            rc = scv ? mmc_dist_gamma_scv(&d->shape, d->value, &why)
                     : mmc_dist_gamma_shape(&d->shape, d->value, &why);
            break;
        case MMC_DIST_LOGNORMAL:
            rc = mmc_dist_lognormal_scv(&d->shape, d->value, &why);
            break;
        case MMC_DIST_WEIBULL:
            rc = scv ? mmc_dist_weibull_scv(&d->shape, d->value, &why)
                     : mmc_dist_weibull_shape(&d->shape, d->value, &why);
            break;
        case MMC_DIST_PARETO:
            rc = scv ? mmc_dist_pareto_scv(&d->shape, d->value, &why)
                     : mmc_dist_pareto_shape(&d->shape, d->value, &why);
            break;
        default: /* hyperexponential by scv */
            rc = mmc_dist_hyperexp_scv(&d->shape, d->value, &why);
            break;
        }
        break;
    }
    if (d->param == NULL) {
        const char *const *k = shape_keys[kind].keys[0];
        const char *const *k2 = shape_keys[kind].keys[1];
        if (k2[0] == NULL)
            return fail(c->err, f->v->at, "%s: %s needs %s", f->path, mmc_dist_kind_name(kind),
                        k[0]);
        return fail(c->err, f->v->at, "%s: %s needs %s or %s%s%s", f->path,
                    mmc_dist_kind_name(kind), k[0], k2[0], k2[1] ? " and " : "",
                    k2[1] ? k2[1] : "");
    }
    if (rc != 0)
        return fail(c->err, at.v->at, "%s: %s", at.path, why);
    return 0;
}

/* A shape key that the distribution does not take, or (once the shape is built from the
   first alternative given, d->param) one of another alternative. */
static int stray_shape_key(const struct check *c, const struct field *f, enum mmc_dist_kind kind,
                           const struct mmc_dist_spec *d)
{
    for (size_t i = 0; all_shape_keys[i] != NULL; i++) {
        const char *key = all_shape_keys[i];
        struct field v = field_in(f->v, f->path, key);
        if (v.v == NULL)
            continue;
        bool known = false, used = false;
        for (size_t alt = 0; alt < 3 && shape_keys[kind].keys[alt][0] != NULL; alt++)
            for (size_t j = 0; j < 2; j++) {
                const char *k = shape_keys[kind].keys[alt][j];
                bool same = k != NULL && strcmp(k, key) == 0;
                known |= same;
                used |= same && d->param != NULL &&
                        strcmp(shape_keys[kind].keys[alt][0], d->param) == 0;
            }
        if (d->param == NULL && known)
            continue; /* before the shape is built: only keys foreign to the kind */
        if (!used)
            return fail(c->err, v.key->at, "%s: %s %s", v.path,
                        d->param != NULL && strcmp(d->param, key) != 0
                            ? "conflicts with the parameter given first:"
                            : "is not a parameter of",
                        d->param != NULL && strcmp(d->param, key) != 0 ? d->param
                                                                       : mmc_dist_kind_name(kind));
    }
    return 0;
}

/* The axis of the one rate that a shape fixing the mean implies. */
static int one_rate(struct mmc_axis *rates, double rate)
{
    rates->v = mmc_xmalloc(1, sizeof *rates->v);
    rates->n = 1;
    rates->v[0] = rate;
    return 0;
}

/* Which key of a distribution's mapping sets its time scale. */
enum rate_key { RATE_KEY_NONE, RATE_KEY_RATE, RATE_KEY_LOAD, RATE_KEY_MEAN };

/* Which of rate, load and mean f gives: at most one (*pick is it, *which says which). */
static int rate_key(const struct check *c, const struct field *f, struct field *pick,
                    enum rate_key *which)
{
    const char *const names[] = {"rate", "load", "mean"};
    *which = RATE_KEY_NONE;
    for (size_t i = 0; i < 3; i++) {
        struct field g = field_in(f->v, f->path, names[i]);
        if (g.v == NULL)
            continue;
        if (*which != RATE_KEY_NONE) {
            const struct field *later = g.index > pick->index ? &g : pick;
            return fail(c->err, later->key->at, "%s: give %s or %s, not both", f->path,
                        pick->path + strlen(f->path) + 1, g.path + strlen(f->path) + 1);
        }
        *pick = g;
        *which = (enum rate_key)(i + 1);
    }
    return 0;
}

/* The rate axis pick gives: rates or loads as written, a mean inverted to a rate. */
static int rate_axis(const struct check *c, const struct field *pick, enum rate_key which,
                     struct mmc_axis *rates)
{
    if (axis(pick, &positive, rates, c->err) < 0)
        return -1;
    if (which == RATE_KEY_MEAN)
        for (size_t i = 0; i < rates->n; i++) {
            rates->v[i] = 1.0 / rates->v[i];
            if (!isfinite(rates->v[i]))
                return bad(pick, "a mean whose inverse is a finite rate", c->err);
        }
    return 0;
}

/* dist (default exponential), its shape, and the rate axis (arrival: or load). */
static int check_dist(const struct check *c, const char *key, const char *const *keys,
                      struct mmc_dist_spec *d, struct mmc_axis *rates, bool *is_load)
{
    struct field f = top(c, key);
    if (f.v == NULL)
        return missing(&f, c->err);
    if (mapping(&f, keys, c->err) < 0)
        return -1;
    enum mmc_dist_kind kind = MMC_DIST_EXPONENTIAL;
    struct field df = field_in(f.v, f.path, "dist");
    if (df.v != NULL) {
        const char *name = "";
        if (string(&df, &name, c->err) < 0)
            return -1;
        int k = mmc_dist_kind_find(name);
        if (k < 0) {
            const char *names[MMC_DIST_COUNT + 1];
            for (int i = 0; i < MMC_DIST_COUNT; i++)
                names[i] = mmc_dist_kind_name((enum mmc_dist_kind)i);
            names[MMC_DIST_COUNT] = NULL;
            return unknown_value(&df, "distribution", names, c->err);
        }
        kind = (enum mmc_dist_kind)k;
    }
    double mean = NAN;
    if (stray_shape_key(c, &f, kind, d) < 0 || build_shape(c, &f, kind, d, &mean) < 0 ||
        stray_shape_key(c, &f, kind, d) < 0)
        return -1;
    struct field pick;
    enum rate_key which = RATE_KEY_NONE;
    if (rate_key(c, &f, &pick, &which) < 0)
        return -1;
    if (d->fixed_mean) {
        if (which != RATE_KEY_NONE)
            return fail(c->err, pick.key->at, "%s: %s fix the mean; %s is not wanted", f.path,
                        strcmp(d->param, "probs") == 0 ? "probs and rates" : "min and max",
                        pick.path + strlen(f.path) + 1);
        return one_rate(rates, 1.0 / mean);
    }
    if (which == RATE_KEY_NONE && kind == MMC_DIST_EMPIRICAL) {
        d->fixed_mean = true; /* the samples' own mean (read_samples keeps it in value) */
        return one_rate(rates, 1.0 / d->value);
    }
    if (which == RATE_KEY_NONE)
        return fail(c->err, f.v->at, "%s: expected %s", f.path,
                    is_load != NULL ? "a rate, a load or a mean" : "a rate or a mean");
    if (is_load != NULL)
        *is_load = which == RATE_KEY_LOAD;
    return rate_axis(c, &pick, which, rates);
}

/* A plain scalar spelling word: the keywords of warmup, initial and control_variates. */
static bool is_word(const struct node *nd, const char *word)
{
    return nd->plain && text_is(nd, word, strlen(word));
}

/* A scalar, plain or quoted, spelling name: a dist that is not a distribution. */
static bool is_name(const struct node *nd, const char *name)
{
    return text_is(nd, name, strlen(name));
}

/* The index of f's string among names, or an "unknown what" error. */
static int name_index(const struct field *f, const char *what, const char *const *names,
                      size_t *out, struct mmc_error *err)
{
    const char *name = "";
    if (string(f, &name, err) < 0)
        return -1;
    for (size_t i = 0; names[i] != NULL; i++)
        if (strcmp(names[i], name) == 0) {
            *out = i;
            return 0;
        }
    return unknown_value(f, what, names, err);
}

/* An optional number in map: left as it is when absent. */
static int opt_number(const struct field *map, const char *key, const struct rule *r, double *out,
                      struct mmc_error *err)
{
    struct field f = field_in(map->v, map->path, key);
    return f.v == NULL ? 0 : number(&f, r, out, err);
}

/* Every key of f's mapping is among names, else "not used with what". */
static int only_keys(const struct check *c, const struct field *f, const char *const *names,
                     const char *what)
{
    for (size_t i = 0; i + 1 < f->v->n; i += 2) {
        const struct node *k = f->v->kids[i];
        if (find_name(names, k->text, k->len) == NULL)
            return fail(c->err, k->at, "%s.%s: not used with %s", f->path, k->text, what);
    }
    return 0;
}

/* A flat list of 1 to max numbers under rule r into a new array (*out, freed by the caller). */
static int number_list(const struct field *f, const struct rule *r, size_t max, double **out,
                       size_t *n, struct mmc_error *err)
{
    char what[64];
    snprintf(what, sizeof what, "a list of 1 to %zu numbers", max);
    if (f->v->kind != NODE_SEQ || f->v->n == 0 || f->v->n > max)
        return bad(f, what, err);
    *out = mmc_xmalloc(f->v->n, sizeof **out);
    *n = f->v->n;
    for (size_t i = 0; i < *n; i++) {
        struct field item = item_of(f, i);
        if (number(&item, r, &(*out)[i], err) < 0)
            return -1;
    }
    return 0;
}

/* batch: {size: N} | {mean: m} (geometric) | {sizes: [...], probs: [...]}. */
static int check_batch(const struct check *c, const struct field *arrival)
{
    struct field f = field_in(arrival->v, arrival->path, "batch");
    struct mmc_process *pr = &c->s->process;
    const char *why = NULL;
    int rc = 0;
    if (f.v == NULL)
        return 0;
    if (mapping(&f, batch_keys, c->err) < 0)
        return -1;
    struct field size = field_in(f.v, f.path, "size"), mean = field_in(f.v, f.path, "mean");
    struct field sizes = field_in(f.v, f.path, "sizes"), probs = field_in(f.v, f.path, "probs");
    const struct field *pick = size.v ? &size : mean.v ? &mean : sizes.v ? &sizes : NULL;
    if (pick == NULL || (size.v != NULL) + (mean.v != NULL) + (sizes.v != NULL) != 1)
        return fail(c->err, f.v->at, "%s: expected one of size, mean or sizes (with probs)",
                    f.path);
    if (pick != &sizes && probs.v != NULL)
        return fail(c->err, probs.key->at, "%s: only with sizes", probs.path);
    if (pick == &sizes) {
        double *sz = NULL, *pb = NULL;
        size_t n = 0, m = 0;
        if (probs.v == NULL)
            return missing(&probs, c->err);
        rc = number_list(&sizes, &positive, MMC_BATCH_MAX_SIZES, &sz, &n, c->err);
        if (rc == 0)
            rc = number_list(&probs, &nonnegative, MMC_BATCH_MAX_SIZES, &pb, &m, c->err);
        if (rc == 0 && m != n)
            rc = bad(&probs, "as many probabilities as sizes", c->err);
        if (rc == 0 && mmc_batch_size_table(&pr->batch, sz, pb, n, &why) != 0)
            rc = fail(c->err, f.v->at, "%s: %s", f.path, why);
        if (rc == 0) /* printed as written: differences of the cumulative ones would drift */
            memcpy(pr->batch_probs, pb, n * sizeof *pb);
        free(sz);
        free(pb);
        pr->batch_param = "sizes";
    } else {
        double x = 0;
        if (number(pick, &positive, &x, c->err) < 0)
            return -1;
        rc = pick == &size ? mmc_batch_size_constant(&pr->batch, x, &why)
                           : mmc_batch_size_geometric(&pr->batch, x, &why);
        if (rc != 0)
            return fail(c->err, pick->v->at, "%s: %s", pick->path, why);
        pr->batch_param = pick == &size ? "size" : "mean";
        pr->batch_value = x;
    }
    pr->batched = rc == 0;
    return rc;
}

/* dist: mmpp, rates: [on, off], sojourns: [on, off]; a rate, load or mean rescales the rates. */
static int check_mmpp(const struct check *c, const struct field *f)
{
    struct mmc_process *pr = &c->s->process;
    struct field rates = field_in(f->v, f->path, "rates");
    struct field soj = field_in(f->v, f->path, "sojourns");
    const char *why = NULL;
    if (only_keys(c, f, mmpp_keys, "dist: mmpp") < 0)
        return -1;
    if (rates.v == NULL)
        return missing(&rates, c->err);
    if (soj.v == NULL)
        return missing(&soj, c->err);
    if (pair(&rates, &nonnegative, pr->mmpp.rate, c->err) < 0 ||
        pair(&soj, &positive, pr->mmpp.sojourn, c->err) < 0)
        return -1;
    if (mmc_mmpp_check(&pr->mmpp, &why) != 0)
        return fail(c->err, f->v->at, "%s: %s", f->path, why);
    pr->kind = MMC_PROCESS_MMPP;
    struct mmc_dist_spec *d = &c->s->arrival_dist;
    mmc_dist_exponential(&d->shape);
    struct field pick;
    enum rate_key which = RATE_KEY_NONE;
    if (rate_key(c, f, &pick, &which) < 0)
        return -1;
    if (which == RATE_KEY_NONE) { /* the rates as written: their long-run mean is the rate */
        d->fixed_mean = true;
        return one_rate(&c->s->arrival, mmc_mmpp_mean_rate(&pr->mmpp));
    }
    c->s->arrival_is_load = which == RATE_KEY_LOAD;
    return rate_axis(c, &pick, which, &c->s->arrival);
}

/* schedule: {times: [0, ...], rates: [...], interpolate: step|linear}: a time-varying rate. */
static int check_schedule(const struct check *c, const struct field *f)
{
    struct mmc_process *pr = &c->s->process;
    struct field sf = field_in(f->v, f->path, "schedule");
    const char *why = NULL;
    size_t n = 0, m = 0, lin = 0;
    if (only_keys(c, f, schedule_only_keys, "schedule") < 0 || mapping(&sf, sched_keys, c->err) < 0)
        return -1;
    struct field times = field_in(sf.v, sf.path, "times"), rates = field_in(sf.v, sf.path, "rates");
    struct field interp = field_in(sf.v, sf.path, "interpolate");
    if (times.v == NULL)
        return missing(&times, c->err);
    if (rates.v == NULL)
        return missing(&rates, c->err);
    if (number_list(&times, &nonnegative, MMC_MAX_BREAKPOINTS, &pr->sched_t, &n, c->err) < 0 ||
        number_list(&rates, &nonnegative, MMC_MAX_BREAKPOINTS, &pr->sched_v, &m, c->err) < 0)
        return -1;
    if (m != n)
        return bad(&rates, "as many rates as times", c->err);
    if (interp.v != NULL &&
        name_index(&interp, "interpolation", interpolate_names, &lin, c->err) < 0)
        return -1;
    pr->schedule = (struct mmc_schedule){n, pr->sched_t, pr->sched_v, lin == 1};
    if (mmc_schedule_check(&pr->schedule, &why) != 0)
        return fail(c->err, sf.v->at, "%s: %s", sf.path, why);
    double span = pr->sched_t[n - 1];
    double mean = span > 0 ? mmc_schedule_integral(&pr->schedule, 0, span) / span : pr->sched_v[0];
    if (!(mean > 0)) /* silent up to the last breakpoint: the rate that holds from then on */
        mean = pr->sched_v[n - 1];
    if (!(mean > 0))
        return fail(c->err, sf.v->at, "%s: expected a rate above 0 somewhere", sf.path);
    pr->kind = MMC_PROCESS_SCHEDULE;
    mmc_dist_exponential(&c->s->arrival_dist.shape);
    c->s->arrival_dist.fixed_mean = true;
    return one_rate(&c->s->arrival, mean);
}

/* trace: FILE (timestamp[,service] per line), scale: x (load multiplier, default 1). */
static int check_trace(const struct check *c, const struct field *f)
{
    struct mmc_process *pr = &c->s->process;
    struct field tf = field_in(f->v, f->path, "trace");
    const char *name = "";
    char why[160];
    unsigned long line = 0;
    if (only_keys(c, f, trace_only_keys, "trace") < 0 || string(&tf, &name, c->err) < 0)
        return -1;
    if (*name == '\0')
        return bad(&tf, "a file name", c->err);
    pr->trace_scale = 1.0;
    if (opt_number(f, "scale", &positive, &pr->trace_scale, c->err) < 0)
        return -1;
    pr->trace_file = mmc_xmalloc(strlen(name) + 1, 1);
    memcpy(pr->trace_file, name, strlen(name) + 1);
    char *path = beside_scenario(c, name);
    int rc = mmc_trace_read(path, &pr->trace, &line, why, sizeof why);
    if (rc != 0)
        file_error(c, &tf, path, line, why);
    free(path);
    if (rc != 0)
        return -1;
    double span = pr->trace.t[pr->trace.n - 1];
    if (pr->trace.n < 2 || !(span > 0))
        return fail(c->err, tf.v->at, "%s: expected at least two distinct arrival times", tf.path);
    pr->kind = MMC_PROCESS_TRACE;
    mmc_dist_exponential(&c->s->arrival_dist.shape);
    c->s->arrival_dist.fixed_mean = true;
    return one_rate(&c->s->arrival, (double)(pr->trace.n - 1) / span * pr->trace_scale);
}

static int check_arrival(const struct check *c)
{
    struct field f = top(c, "arrival");
    if (f.v == NULL || f.v->kind != NODE_MAP) /* check_dist says what is expected */
        return check_dist(c, "arrival", arrival_keys, &c->s->arrival_dist, &c->s->arrival,
                          &c->s->arrival_is_load);
    if (mapping(&f, arrival_keys, c->err) < 0)
        return -1;
    struct field df = field_in(f.v, f.path, "dist");
    int rc = 0;
    if (df.v != NULL && is_name(df.v, "mmpp"))
        rc = check_mmpp(c, &f);
    else if (field_in(f.v, f.path, "schedule").v != NULL)
        rc = check_schedule(c, &f);
    else if (field_in(f.v, f.path, "trace").v != NULL)
        return check_trace(c, &f);
    else {
        for (size_t i = 0; process_keys[i] != NULL && rc == 0; i++) {
            struct field k = field_in(f.v, f.path, process_keys[i]);
            if (k.v != NULL)
                rc = fail(c->err, k.key->at, "%s: only with %s", k.path,
                          i == 0   ? "dist: mmpp"
                          : i == 3 ? "trace"
                                   : process_keys[i]);
        }
        if (rc == 0)
            rc = check_dist(c, "arrival", arrival_keys, &c->s->arrival_dist, &c->s->arrival,
                            &c->s->arrival_is_load);
    }
    return rc == 0 ? check_batch(c, &f) : rc;
}

/* staffing: {times: [0, ...], workers: [...]}: the worker count from each time on. */
static int check_staffing(const struct check *c)
{
    struct field f = top(c, "staffing");
    struct mmc_staffing *st = &c->s->staffing;
    struct mmc_schedule sch;
    const char *why = NULL;
    size_t m = 0;
    if (f.v == NULL)
        return 0;
    if (mapping(&f, staffing_keys, c->err) < 0)
        return -1;
    struct field times = field_in(f.v, f.path, "times"), w = field_in(f.v, f.path, "workers");
    if (times.v == NULL)
        return missing(&times, c->err);
    if (w.v == NULL)
        return missing(&w, c->err);
    if (number_list(&times, &nonnegative, MMC_MAX_BREAKPOINTS, &st->t, &st->n, c->err) < 0 ||
        number_list(&w, &workers_rule, MMC_MAX_BREAKPOINTS, &st->c, &m, c->err) < 0)
        return -1;
    if (m != st->n)
        return bad(&w, "as many worker counts as times", c->err);
    sch = (struct mmc_schedule){st->n, st->t, st->c, false};
    if (mmc_schedule_check(&sch, &why) != 0)
        return fail(c->err, f.v->at, "%s: %s", f.path, why);
    st->c_max = 0;
    for (size_t i = 0; i < st->n; i++)
        st->c_max = st->c[i] > st->c_max ? st->c[i] : st->c_max;
    return one_rate(&c->s->workers, st->c_max);
}

/*
 * A rate schedule, a trace or a staffing schedule has no steady state: no
 * warm-up (the default becomes none), no stationary start, no batch means.
 */
static int check_time_varying(const struct check *c)
{
    struct mmc_scenario *s = c->s;
    if (s->process.kind != MMC_PROCESS_SCHEDULE && s->process.kind != MMC_PROCESS_TRACE &&
        s->staffing.n == 0)
        return 0;
    struct field w = top(c, "warmup"), in = top(c, "initial"), m = top(c, "method");
    if (w.v != NULL && s->warmup.kind != MMC_LIMIT_NONE)
        return fail(c->err, w.v->at,
                    "warmup: a time-varying workload has no steady state to warm up to; use "
                    "warmup: none");
    if (in.v != NULL && s->initial.kind == MMC_INITIAL_STATIONARY)
        return fail(c->err, in.v->at, "initial: a time-varying workload has no stationary law");
    if (m.v != NULL && s->method == MMC_METHOD_BATCH_MEANS)
        return fail(c->err, m.v->at, "method: batch-means needs a steady state");
    s->warmup = (struct mmc_limit){MMC_LIMIT_NONE, 0};
    return 0;
}

/* The sweep is the product of the four axes: at most MMC_MAX_POINTS points. */
static int check_sweep(const struct check *c)
{
    const struct mmc_scenario *s = c->s;
    double n = (double)s->arrival.n * (double)s->service.n * (double)s->network_delay.n *
               (double)s->workers.n;
    if (n <= MMC_MAX_POINTS)
        return 0;
    return fail(c->err, c->root->at,
                "the sweep has %.0f points (arrival x service x network_delay x workers), at "
                "most %d",
                n, MMC_MAX_POINTS);
}

/*
 * service: {dist: trace}: each task keeps the service time on its trace line.
 * The shape is the column's empirical law (its SCV for the table; its draws
 * only for an initial backlog, which has no lines) and the rate its mean's inverse.
 */
static int check_trace_service(const struct check *c, const struct field *f)
{
    struct mmc_scenario *s = c->s;
    struct mmc_dist_spec *d = &s->service_dist;
    if (check_keys(f->v, f->path, service_keys, c->err) < 0 ||
        only_keys(c, f, trace_service_keys, "dist: trace") < 0)
        return -1;
    if (s->process.kind != MMC_PROCESS_TRACE)
        return fail(c->err, f->v->at, "%s: dist: trace needs arrival: {trace: FILE}", f->path);
    if (s->process.trace.svc == NULL)
        return fail(c->err, f->v->at, "%s: dist: trace needs a second column (service times) in %s",
                    f->path, s->process.trace_file);
    size_t n = s->process.trace.n;
    d->samples = mmc_xmalloc(n, sizeof *d->samples);
    memcpy(d->samples, s->process.trace.svc, n * sizeof *d->samples);
    double mean = 0;
    const char *why = NULL;
    if (mmc_dist_empirical(&d->shape, d->samples, n, &mean, &why) != 0)
        return fail(c->err, f->v->at, "%s: the trace's service times: %s", f->path, why);
    s->process.trace_service = true;
    d->param = "trace";
    d->value = mean;
    d->fixed_mean = true;
    return one_rate(&s->service, 1.0 / mean);
}

static int check_service(const struct check *c)
{
    struct field f = top(c, "service");
    if (f.v != NULL && f.v->kind == NODE_MAP) {
        struct field df = field_in(f.v, f.path, "dist");
        if (df.v != NULL && is_name(df.v, "trace"))
            return check_trace_service(c, &f);
    }
    return check_dist(c, "service", service_keys, &c->s->service_dist, &c->s->service, NULL);
}

static int check_workers(const struct check *c)
{
    struct field f = top(c, "workers");
    if (f.v == NULL && top(c, "staffing").v != NULL)
        return 0; /* the staffing schedule sets them (check_staffing) */
    if (f.v == NULL)
        return missing(&f, c->err);
    if (top(c, "staffing").v != NULL)
        return fail(c->err, f.key->at, "workers: staffing sets the workers; leave workers out");
    return axis(&f, &workers_rule, &c->s->workers, c->err);
}

static int check_network_delay(const struct check *c)
{
    struct field f = top(c, "network_delay");
    if (f.v != NULL)
        return axis(&f, &nonnegative, &c->s->network_delay, c->err);
    c->s->network_delay.v = mmc_xcalloc(1, sizeof *c->s->network_delay.v);
    c->s->network_delay.n = 1;
    return 0;
}

static int check_mem_per_task(const struct check *c)
{
    struct field f = top(c, "mem_per_task");
    if (f.v == NULL)
        return 0;
    return number(&f, &nonnegative, &c->s->mem_per_task, c->err);
}

/* Without stop.precision, none of its refinements may appear. */
static int no_refinements(const struct field *stop, struct mmc_error *err)
{
    for (size_t i = 0; precision_keys[i] != NULL; i++) {
        struct field f = field_in(stop->v, stop->path, precision_keys[i]);
        if (f.v != NULL)
            return fail(err, f.key->at, "%s: only meaningful with stop.precision", f.path);
    }
    return 0;
}

static int precision_metric(const struct field *stop, struct mmc_precision *p,
                            struct mmc_error *err)
{
    struct field f = field_in(stop->v, stop->path, "metric");
    size_t i = 0;
    if (f.v == NULL)
        return 0;
    if (name_index(&f, "metric", metric_names, &i, err) < 0)
        return -1;
    snprintf(p->metric, sizeof p->metric, "%s", metric_names[i]);
    return 0;
}

/* The precision keys of a stop mapping into p (defaults already there). */
static int check_precision(const struct field *stop, struct mmc_precision *p, struct mmc_error *err)
{
    double max_reps = (double)p->max_replications;
    if (stop->v->kind != NODE_MAP)
        return 0;
    if (field_in(stop->v, stop->path, "precision").v == NULL)
        return no_refinements(stop, err);
    if (opt_number(stop, "precision", &fraction, &p->target, err) < 0 ||
        opt_number(stop, "confidence", &fraction, &p->confidence, err) < 0 ||
        precision_metric(stop, p, err) < 0 ||
        opt_number(stop, "max_replications", &replications_rule, &max_reps, err) < 0 ||
        opt_number(stop, "max_time", &positive, &p->max_time, err) < 0)
        return -1;
    p->max_replications = (unsigned long)max_reps;
    return 0;
}

static int check_stop(const struct check *c)
{
    static const struct limit_rules rules = {&choices[CHOICE_STOP], stop_keys, &stop_bare,
                                             &stop_tasks, &positive};
    struct field f = top(c, "stop");
    if (f.v == NULL)
        return 0;
    if (limit(&f, &rules, &c->s->stop, c->err) < 0)
        return -1;
    return check_precision(&f, &c->s->precision, c->err);
}

static int check_warmup(const struct check *c)
{
    static const struct limit_rules rules = {&choices[CHOICE_WARMUP], limit_keys, &warmup_bare,
                                             &warmup_tasks, &nonnegative};
    struct field f = top(c, "warmup");
    if (f.v == NULL || is_word(f.v, "auto"))
        return 0; /* the default: MMC_LIMIT_AUTO */
    if (is_word(f.v, "none"))
        c->s->warmup = (struct mmc_limit){MMC_LIMIT_NONE, 0};
    else if (limit(&f, &rules, &c->s->warmup, c->err) < 0)
        return -1;
    if (c->s->warmup.value == 0) /* nothing to discard, however it was said */
        c->s->warmup = (struct mmc_limit){MMC_LIMIT_NONE, 0};
    return 0;
}

/* empty, stationary or {in_system: N}; a backlog of 0 is empty, so it prints as such. */
static int check_initial(const struct check *c)
{
    struct field f = top(c, "initial");
    struct mmc_initial *in = &c->s->initial;
    if (f.v == NULL || is_word(f.v, "empty"))
        return 0;
    if (is_word(f.v, "stationary")) {
        in->kind = MMC_INITIAL_STATIONARY;
        return 0;
    }
    if (f.v->kind != NODE_MAP)
        return bad(&f, "empty, stationary or a mapping {in_system: N}", c->err);
    if (check_keys(f.v, f.path, initial_keys, c->err) < 0)
        return -1;
    struct field n = field_in(f.v, f.path, "in_system");
    if (n.v == NULL)
        return missing(&n, c->err);
    if (number(&n, &in_system_rule, &in->in_system, c->err) < 0)
        return -1;
    in->kind = in->in_system > 0 ? MMC_INITIAL_IN_SYSTEM : MMC_INITIAL_EMPTY;
    return 0;
}

static int check_replications(const struct check *c)
{
    struct field f = top(c, "replications");
    double x = 0;
    if (f.v == NULL)
        return 0;
    if (number(&f, &replications_rule, &x, c->err) < 0)
        return -1;
    c->s->replications = (unsigned long)x;
    return 0;
}

static int check_method(const struct check *c)
{
    struct field f = top(c, "method");
    size_t i = 0;
    if (f.v == NULL)
        return 0;
    if (name_index(&f, "method", method_names, &i, c->err) < 0)
        return -1;
    c->s->method = (enum mmc_method)i;
    return 0;
}

static int check_batches(const struct check *c)
{
    struct field f = top(c, "batches");
    double x = 0;
    if (f.v == NULL)
        return 0;
    if (number(&f, &batches_rule, &x, c->err) < 0)
        return -1;
    c->s->batches = (unsigned long)x;
    return 0;
}

static int check_compare(const struct check *c)
{
    struct field f = top(c, "compare");
    size_t i = 0;
    if (f.v == NULL)
        return 0;
    if (name_index(&f, "comparison", compare_names, &i, c->err) < 0)
        return -1;
    c->s->compare = (enum mmc_compare_kind)i;
    return 0;
}

static int check_control_variates(const struct check *c)
{
    struct field f = top(c, "control_variates");
    if (f.v == NULL || is_word(f.v, "false"))
        return 0;
    if (!is_word(f.v, "true"))
        return bad(&f, "true or false", c->err);
    c->s->control_variates = true;
    return 0;
}

static int check_wait_threshold(const struct check *c)
{
    struct field f = top(c, "wait_threshold");
    return f.v == NULL ? 0 : number(&f, &nonnegative, &c->s->wait_threshold, c->err);
}

/* capacity: K, at least every workers value (a smaller K would idle workers for good). */
static int check_capacity(const struct check *c)
{
    struct field f = top(c, "capacity");
    struct mmc_protection *pr = &c->s->protect;
    char what[80];
    if (f.v == NULL)
        return 0;
    if (number(&f, &capacity_rule, &pr->capacity, c->err) < 0)
        return -1;
    for (size_t i = 0; i < c->s->workers.n; i++)
        if (pr->capacity < c->s->workers.v[i]) {
            snprintf(what, sizeof what, "a whole number >= workers (%.0f)", c->s->workers.v[i]);
            return bad(&f, what, c->err);
        }
    return 0;
}

/* shed: {threshold: N, drop: newest|oldest}. */
static int check_shed(const struct check *c)
{
    struct field f = top(c, "shed");
    struct mmc_protection *pr = &c->s->protect;
    size_t i = 0;
    if (f.v == NULL)
        return 0;
    if (mapping(&f, shed_keys, c->err) < 0)
        return -1;
    struct field thr = field_in(f.v, f.path, "threshold");
    struct field drop = field_in(f.v, f.path, "drop");
    if (thr.v == NULL)
        return missing(&thr, c->err);
    if (number(&thr, &threshold_rule, &pr->shed_threshold, c->err) < 0)
        return -1;
    if (drop.v != NULL && name_index(&drop, "drop policy", drop_names, &i, c->err) < 0)
        return -1;
    pr->drop = (enum mmc_drop)i;
    pr->shed = true;
    return 0;
}

/* throttle: {rate: r, burst: b, excess: reject|delay}. */
static int check_throttle(const struct check *c)
{
    struct field f = top(c, "throttle");
    struct mmc_protection *pr = &c->s->protect;
    size_t i = 0;
    if (f.v == NULL)
        return 0;
    if (mapping(&f, throttle_keys, c->err) < 0)
        return -1;
    struct field rate = field_in(f.v, f.path, "rate");
    struct field excess = field_in(f.v, f.path, "excess");
    if (rate.v == NULL)
        return missing(&rate, c->err);
    pr->throttle_burst = 1;
    if (number(&rate, &positive, &pr->throttle_rate, c->err) < 0 ||
        opt_number(&f, "burst", &burst_rule, &pr->throttle_burst, c->err) < 0)
        return -1;
    if (excess.v != NULL && name_index(&excess, "excess policy", excess_names, &i, c->err) < 0)
        return -1;
    pr->excess = (enum mmc_excess)i;
    pr->throttle = true;
    return 0;
}

/* patience: a distribution with one rate or mean (no sweep). */
static int check_patience(const struct check *c)
{
    struct field f = top(c, "patience");
    struct mmc_protection *pr = &c->s->protect;
    struct mmc_axis rates = {0};
    if (f.v == NULL)
        return 0;
    int rc = check_dist(c, "patience", patience_keys, &pr->patience_dist, &rates, NULL);
    if (rc == 0 && (rates.n != 1 || rates.v == NULL)) {
        struct field r = field_in(f.v, f.path, "rate");
        if (r.v == NULL)
            r = field_in(f.v, f.path, "mean");
        bad(&r, "one value (patience is not swept)", c->err);
        rc = -1;
    }
    if (rc == 0) {
        pr->patience_rate = rates.v[0];
        pr->patience = true;
    }
    free(rates.v);
    return rc;
}

/* Plain digits are read with strtoull: seeds above 2^53 must keep every bit. */
_Static_assert(ULLONG_MAX == UINT64_MAX, "strtoull must cover exactly the uint64_t seeds");

static int check_seed(const struct check *c)
{
    struct field f = top(c, "seed");
    double x = 0;
    if (f.v == NULL)
        return 0;
    if (number_node(&f, &seed_rule, c->err) < 0)
        return -1;
    if (strspn(f.v->text, "0123456789") == f.v->len) {
        errno = 0;
        unsigned long long u = strtoull(f.v->text, NULL, 10);
        if (errno == ERANGE)
            return bad(&f, seed_rule.high, c->err);
        c->s->seed = (uint64_t)u;
        return 0;
    }
    if (number(&f, &seed_rule, &x, c->err) < 0)
        return -1;
    c->s->seed = (uint64_t)x;
    return 0;
}

static int check_rng(const struct check *c)
{
    struct field f = top(c, "rng");
    const char *name = "";
    char shown[SHOW_BUF];
    if (f.v == NULL)
        return 0;
    if (string(&f, &name, c->err) < 0)
        return -1;
    /* gsl_rng_types_setup refills a GSL-owned static array with the same pointers on each call */
    for (const gsl_rng_type **t = gsl_rng_types_setup(); *t != NULL; t++)
        if (strcmp((*t)->name, name) == 0 && strlen(name) < sizeof c->s->rng) {
            memcpy(c->s->rng, name, strlen(name) + 1);
            return 0;
        }
    show(f.v->text, f.v->len, shown, sizeof shown);
    return fail(c->err, f.v->at,
                "rng: unknown GSL generator \"%s\" (known: mt19937, ranlxd2, taus2, gfsr4, ...)",
                shown);
}

/* Batch-means is one long run: one replication, no sequential stopping over runs. */
static int check_batch_means(const struct check *c)
{
    struct field reps = top(c, "replications"), batches = top(c, "batches");
    struct field stop = top(c, "stop");
    char got[SHOW_BUF + 16];
    if (c->s->method != MMC_METHOD_BATCH_MEANS) {
        if (batches.v != NULL)
            return fail(c->err, batches.key->at,
                        "batches: only meaningful with method: batch-means");
        return 0;
    }
    if (reps.v != NULL && c->s->replications != 1)
        return fail(c->err, reps.v->at,
                    "replications: batch-means uses one long run, expected 1, got %s",
                    describe(reps.v, got, sizeof got));
    if (c->s->precision.target > 0) {
        struct field prec = field_in(stop.v, "stop", "precision");
        return fail(c->err, prec.key->at, "stop.precision: needs method: replications");
    }
    c->s->replications = 1;
    return 0;
}

/*
 * Sequential stopping starts from `replications` runs, so its cap cannot be
 * lower. A cap left at its default rises to meet replications instead.
 */
static int check_max_replications(const struct check *c)
{
    struct mmc_precision *p = &c->s->precision;
    char what[64];
    if (p->target == 0 || p->max_replications >= c->s->replications)
        return 0;
    struct field stop = top(c, "stop"); /* a mapping: it holds stop.precision */
    struct field f = field_in(stop.v, "stop", "max_replications");
    if (f.v == NULL) {
        p->max_replications = c->s->replications;
        return 0;
    }
    snprintf(what, sizeof what, "a whole number >= replications (%lu)", c->s->replications);
    return bad(&f, what, c->err);
}

static void set_defaults(struct mmc_scenario *s)
{
    s->stop = (struct mmc_limit){MMC_LIMIT_TASKS, DEFAULT_STOP_TASKS};
    s->warmup = (struct mmc_limit){MMC_LIMIT_AUTO, 0};
    s->replications = 10;
    s->initial = (struct mmc_initial){MMC_INITIAL_EMPTY, 0};
    s->precision = (struct mmc_precision){
        .target = 0, .confidence = 0.95, .metric = "T", .max_replications = 1000, .max_time = 0};
    s->method = MMC_METHOD_REPLICATIONS;
    s->batches = 30;
    s->compare = MMC_COMPARE_NONE;
    s->control_variates = false;
    s->wait_threshold = NAN;
    s->seed = 1;
    snprintf(s->rng, sizeof s->rng, "%s", "taus2");
}

/*
 * Defaults first; each check then overwrites what its key says, in schema
 * order; the checks across keys come last, when every value is known.
 */
static int check_root(const struct check *c)
{
    static check_fn *const steps[] = {
        check_name,           check_description,      check_model,         check_arrival,
        check_service,        check_workers,          check_network_delay, check_mem_per_task,
        check_stop,           check_warmup,           check_initial,       check_replications,
        check_method,         check_batches,          check_compare,       check_control_variates,
        check_wait_threshold, check_staffing,         check_capacity,      check_shed,
        check_throttle,       check_patience,         check_seed,          check_rng,
        check_batch_means,    check_max_replications, check_time_varying,  check_sweep,
    };
    set_defaults(c->s);
    if (check_keys(c->root, "", top_keys, c->err) < 0)
        return -1;
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
        if (steps[i](c) < 0)
            return -1;
    return 0;
}

/* ---- loading ---- */

/* The text of a scenario and the name its errors carry. */
struct source {
    const char *text;
    size_t len;
    const char *file;
};

static int read_root(const struct source *src, struct node **root, struct mmc_error *err)
{
    struct reader r = {.input = src->text, .len = src->len, .file = src->file, .err = err};
    struct origin end = {src->file, 1, 1};
    char got[SHOW_BUF + 16];
    if (parse_yaml(&r, root, &end) < 0)
        return -1;
    if (*root != NULL && (*root)->kind == NODE_MAP)
        return 0;
    if (*root == NULL || is_null(*root))
        fail(err, *root ? (*root)->at : end,
             "empty scenario: expected a mapping with model, arrival, service and workers");
    else
        fail(err, (*root)->at, "expected a mapping (model: ..., arrival: ...) at the top, got %s",
             describe(*root, got, sizeof got));
    node_free(*root);
    *root = NULL;
    return -1;
}

/* ---- variants ---- */

/*
 * A mapping that a variant merges key by key into the base's (merge_map): the merge would hide
 * a repeated key or two alternatives given together (the later would win), so they are refused
 * here, at the variant's own lines. Unknown keys are left to the check of the merged mapping.
 */
static int check_variant_map(const struct field *f, const char *key, struct mmc_error *err)
{
    const struct node *map = f->v;
    char got[SHOW_BUF + 16];
    for (size_t i = 0; i < map->n; i += 2) {
        const struct node *k = map->kids[i];
        if (k->kind != NODE_SCALAR)
            return fail(err, k->at, "%s: expected a key name, got %s", f->path,
                        describe(k, got, sizeof got));
        for (size_t j = 0; j < i; j += 2)
            if (text_is(map->kids[j], k->text, k->len)) {
                char shown[SHOW_BUF]; /* not yet checked to be a known key */
                show(k->text, k->len, shown, sizeof shown);
                return fail(err, k->at, "duplicate key \"%s.%s\"", f->path, shown);
            }
    }
    for (size_t i = 0; i < CHOICE_COUNT; i++) {
        const struct choice *ch = &choices[i];
        if (strcmp(ch->parent, key) != 0)
            continue;
        struct field a = field_in(map, f->path, ch->a), b = field_in(map, f->path, ch->b);
        if (a.v != NULL && b.v != NULL)
            return fail(err, (a.index > b.index ? &a : &b)->key->at, "%s: give %s or %s, not both",
                        f->path, ch->a, ch->b);
    }
    return 0;
}

/* A variant's keys: the system's, each once; what a scenario says about running it is shared. */
static int check_variant_keys(const struct field *item, struct mmc_error *err)
{
    const struct node *map = item->v;
    char keys[SHOW_BUF];
    if (map->kind != NODE_MAP)
        return bad(item, "a mapping", err);
    for (size_t i = 0; i < map->n; i += 2) {
        const struct node *k = map->kids[i];
        if (k->kind == NODE_SCALAR && find_name(variant_keys, k->text, k->len) == NULL &&
            find_name(top_keys, k->text, k->len) != NULL) {
            join_names(variant_keys, "", keys, sizeof keys);
            return fail(err, k->at, "%s.%s: not set per variant; a variant may set %s", item->path,
                        k->text, keys);
        }
    }
    if (check_keys(map, item->path, variant_keys, err) < 0)
        return -1;
    for (size_t i = 0; i < map->n; i += 2) {
        const struct node *k = map->kids[i];
        struct field sub = field_in(map, item->path, k->text);
        if (sub.v->kind == NODE_MAP && sub_keys(k->text) != NULL &&
            check_variant_map(&sub, k->text, err) < 0)
            return -1;
    }
    struct field w = field_in(map, item->path, "workers");
    if (w.v != NULL && field_in(map, item->path, "staffing").v != NULL)
        return fail(err, w.key->at, "%s: staffing sets the workers; leave workers out", w.path);
    return 0;
}

/* variants, when present: 1 to MMC_MAX_VARIANTS mappings of variant keys, each with its own name.
 */
static int check_variants(const struct node *root, size_t *n, struct mmc_error *err)
{
    struct field f = field_in(root, "", "variants");
    const char *names[MMC_MAX_VARIANTS] = {NULL};
    *n = 0;
    if (f.v == NULL)
        return 0;
    /* before the list is dropped: a second variants key would go unseen */
    if (check_keys(root, "", top_keys, err) < 0)
        return -1;
    if (f.v->kind != NODE_SEQ || f.v->n == 0 || f.v->n > MMC_MAX_VARIANTS)
        return bad(&f, "a list of 1 to 64 mappings", err);
    for (size_t i = 0; i < f.v->n; i++) {
        struct field item = item_of(&f, i);
        if (check_variant_keys(&item, err) < 0)
            return -1;
        struct field name = field_in(item.v, item.path, "name");
        if (name.v == NULL)
            return missing(&name, err);
        const char *text = "";
        if (string(&name, &text, err) < 0)
            return -1;
        if (text[0] == '\0' || strlen(text) >= sizeof((struct mmc_scenario *)0)->variant)
            return bad(&name, "a name of 1 to 63 bytes", err);
        names[i] = text;
        for (size_t j = 0; j < i; j++)
            if (names[j] != NULL && strcmp(names[j], text) == 0)
                return bad(&name, "a name no other variant has", err);
    }
    *n = f.v->n;
    return 0;
}

/* Take *slot's node out of its tree (the tree keeps a null in its place). */
static struct node *take(struct node **slot)
{
    struct node *v = *slot;
    *slot = scalar_new("", 0, true, v->at);
    return v;
}

/*
 * Merge a variant's mapping into the base's: its keys replace the base's
 * (an alternative such as load for rate is dropped), and a new dist drops
 * the base's whole shape but keeps its rate, load or mean.
 */
static void merge_map(struct node *base, const struct node *key, struct node *var)
{
    if (map_slot(var, "dist", 4) != NULL)
        for (size_t i = 0; i + 1 < base->n;) {
            const struct node *k = base->kids[i];
            if (k->kind == NODE_SCALAR && find_name(rate_axis_keys, k->text, k->len) != NULL) {
                i += 2;
                continue;
            }
            /* drop pair i in place: map_remove would free k while still comparing with it */
            node_free(base->kids[i]);
            node_free(base->kids[i + 1]);
            memmove(&base->kids[i], &base->kids[i + 2], (base->n - i - 2) * sizeof *base->kids);
            base->n -= 2;
        }
    for (size_t i = 0; i + 1 < var->n; i += 2) {
        const struct node *k = var->kids[i];
        if (k->kind != NODE_SCALAR) { /* no key name (its keys are unchecked): check_keys says so */
            node_push(base, take(&var->kids[i]));
            node_push(base, take(&var->kids[i + 1]));
            continue;
        }
        drop_alternative(base, key->text, key->len, k->text, k->len);
        map_set(base, k->text, k->len, take(&var->kids[i + 1]), k->at);
    }
}

/* Does a variant's mapping fix the whole law, rate included (a trace, a schedule, service
 * replayed from the trace)? It then replaces the base's mapping instead of merging into it. */
static bool replaces_whole(struct node *var)
{
    struct node **dist = map_slot(var, "dist", 4);
    return map_slot(var, "trace", 5) != NULL || map_slot(var, "schedule", 8) != NULL ||
           (dist != NULL && text_is(*dist, "trace", 5));
}

/* Put variant number i's keys on top of the base (checked by check_variants) and drop the list. */
static void apply_variant(struct node *root, size_t i, char *name, size_t name_size)
{
    struct node *var = (*map_slot(root, "variants", 8))->kids[i];
    for (size_t j = 0; j + 1 < var->n; j += 2) {
        const struct node *k = var->kids[j];
        struct node *v = var->kids[j + 1];
        struct node **base = map_slot(root, k->text, k->len);
        if (text_is(k, "staffing", 8)) /* a staffing schedule replaces the workers */
            map_remove(root, "workers", 7);
        if (text_is(k, "workers", 7)) /* and workers replace a staffing schedule */
            map_remove(root, "staffing", 8);
        if (text_is(k, "name", 4))
            snprintf(name, name_size, "%s", v->text);
        else if (v->kind == NODE_MAP && base != NULL && (*base)->kind == NODE_MAP &&
                 !replaces_whole(v))
            merge_map(*base, k, v);
        else
            map_set(root, k->text, k->len, take(&var->kids[j + 1]), k->at);
    }
    map_remove(root, "variants", 8);
}

/*
 * Before a variant merges into it, every key of the base's mappings must be
 * known: a merge may drop keys (a new dist drops the shape's), and a misspelt
 * one must not vanish with them.
 */
static int check_base_keys(struct node *root, struct mmc_error *err)
{
    for (size_t i = 0; i < sizeof sub_levels / sizeof sub_levels[0]; i++) {
        struct node **v = map_slot(root, sub_levels[i].key, strlen(sub_levels[i].key));
        if (v != NULL && (*v)->kind == NODE_MAP &&
            check_keys(*v, sub_levels[i].key, sub_levels[i].sub, err) < 0)
            return -1;
    }
    return 0;
}

static int load(struct mmc_scenario *s, const struct source *src, const struct mmc_override *ov,
                size_t n_ov, size_t variant, struct mmc_error *err)
{
    struct node *root = NULL;
    char name[sizeof s->variant] = "";
    size_t n_variants = 0;
    int rc = 0;
    assert(ov != NULL || n_ov == 0);
    if (read_root(src, &root, err) < 0)
        return -1;
    for (size_t i = 0; i < n_ov && rc == 0; i++)
        rc = apply_override(root, ov[i].text, clamp_int(i + 1), err);
    if (rc == 0)
        rc = check_variants(root, &n_variants, err);
    if (rc == 0 && n_variants > 0)
        rc = check_base_keys(root, err);
    if (rc == 0 && n_variants > 0) {
        assert(variant < n_variants);
        apply_variant(root, variant, name, sizeof name);
    }
    assert(n_variants > 0 || variant == 0);
    if (rc == 0)
        rc = check_root(&(struct check){root, src->file, s, err});
    node_free(root);
    if (rc < 0) {
        mmc_scenario_fini(s);
        return rc;
    }
    memcpy(s->variant, name, sizeof name);
    s->n_variants = n_variants;
    return 0;
}

static int io_error(const char *path, int e, struct mmc_error *err)
{
    char msg[128];
    if (strerror_r(e, msg, sizeof msg) != 0) /* XSI strerror_r: reentrant */
        snprintf(msg, sizeof msg, "error %d", e);
    return fail(err, (struct origin){path, 0, 0}, "cannot read: %s", msg);
}

/* The whole stream into *out (caller frees); returns 0 or an errno value. */
static int read_all(FILE *f, char **out, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *buf = mmc_xmalloc(cap, 1);
    while ((n += fread(buf + n, 1, cap - n, f)) == cap) {
        if (cap >= MAX_FILE_BYTES) {
            free(buf);
            return EFBIG;
        }
        cap *= 2;
        buf = mmc_xrealloc(buf, cap, 1);
    }
    if (ferror(f)) {
        int e = errno ? errno : EIO;
        free(buf);
        return e;
    }
    *out = buf;
    *len = n;
    return 0;
}

/* fopen succeeds on a directory on Linux and only the read fails: say why up front. */
static int slurp(const char *path, char **out, size_t *len, struct mmc_error *err)
{
    struct stat st;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return io_error(path, errno, err);
    errno = 0;
    int e = fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode) ? EISDIR : read_all(f, out, len);
    fclose(f);
    return e ? io_error(path, e, err) : 0;
}

int mmc_scenario_load(struct mmc_scenario *s, const char *path, const struct mmc_override *ov,
                      size_t n_ov, struct mmc_error *err)
{
    return mmc_scenario_load_variant(s, path, ov, n_ov, 0, err);
}

int mmc_scenario_load_variant(struct mmc_scenario *s, const char *path,
                              const struct mmc_override *ov, size_t n_ov, size_t variant,
                              struct mmc_error *err)
{
    char *text = NULL;
    size_t len = 0;
    *s = (struct mmc_scenario){0};
    if (strlen(path) >= sizeof s->file)
        return io_error(path, ENAMETOOLONG, err);
    if (slurp(path, &text, &len, err) < 0)
        return -1;
    int rc = load(s, &(struct source){text, len, path}, ov, n_ov, variant, err);
    free(text);
    if (rc == 0)
        memcpy(s->file, path, strlen(path) + 1);
    return rc;
}

int mmc_scenario_load_string(struct mmc_scenario *s, const char *yaml, size_t len,
                             const char *name_for_errors, const struct mmc_override *ov,
                             size_t n_ov, size_t variant, struct mmc_error *err)
{
    *s = (struct mmc_scenario){0};
    struct source src = {yaml ? yaml : "", yaml ? len : 0, name_for_errors ? name_for_errors : ""};
    return load(s, &src, ov, n_ov, variant, err);
}

void mmc_scenario_fini(struct mmc_scenario *s)
{
    free(s->description);
    free(s->arrival.v);
    free(s->service.v);
    free(s->workers.v);
    free(s->network_delay.v);
    free(s->arrival_dist.file);
    free(s->arrival_dist.samples);
    free(s->service_dist.file);
    free(s->service_dist.samples);
    free(s->process.sched_t);
    free(s->process.sched_v);
    free(s->process.trace_file);
    mmc_trace_fini(&s->process.trace);
    free(s->staffing.t);
    free(s->staffing.c);
    free(s->protect.patience_dist.file);
    free(s->protect.patience_dist.samples);
    *s = (struct mmc_scenario){0};
}

bool mmc_protection_is_on(const struct mmc_protection *pr)
{
    return pr->capacity > 0 || pr->shed || pr->throttle || pr->patience;
}

/* ---- printing ---- */

/* Code points that YAML may not hold raw in a double-quoted scalar, or would fold. */
static bool needs_escape(uint32_t cp)
{
    return cp < 0x20 || cp == '"' || cp == '\\' || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

static void put_escape(FILE *f, uint32_t cp)
{
    static const char from[] = "\"\\\n\t\r", to[] = "\"\\ntr";
    const char *p = cp != 0 && cp < 0x80 ? strchr(from, (int)cp) : NULL;
    if (p != NULL)
        fprintf(f, "\\%c", to[p - from]);
    else if (cp < 0x100)
        fprintf(f, "\\x%02X", (unsigned)cp);
    else
        fprintf(f, "\\u%04X", (unsigned)cp);
}

/* A double-quoted YAML string that reads back to exactly s. */
static void put_quoted(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', f);
    while (*p != '\0') {
        uint32_t cp = *p;
        size_t n = utf8_char(p, &cp);
        if (n == 0) /* not text: cannot happen for loaded strings */
            n = 1;
        if (needs_escape(cp))
            put_escape(f, cp);
        else
            fwrite(p, 1, n, f);
        p += n;
    }
    fputc('"', f);
}

/* Whole numbers print as integers ("100000", not "1e+05"); others as the shortest round-trip. */
static void put_number(FILE *f, double x)
{
    char buf[MMC_FMT_DOUBLE_MAX];
    if (x == floor(x) && fabs(x) <= TWO_POW_53)
        fprintf(f, "%.0f", x);
    else
        fputs(mmc_fmt_double(buf, sizeof buf, x), f);
}

static void put_axis(FILE *f, const struct mmc_axis *a)
{
    fputc('[', f);
    for (size_t i = 0; i < a->n; i++) {
        if (i > 0)
            fputs(", ", f);
        put_number(f, a->v[i]);
    }
    fputc(']', f);
}

/* A distribution as given: its name, the rate axis unless the shape fixes the mean, the shape;
 * the mapping is left open. */
static void put_dist_open(FILE *f, const char *key, const struct mmc_dist_spec *d,
                          const char *axis_key, const struct mmc_axis *a)
{
    fprintf(f, "%s: {dist: ", key);
    put_quoted(f, mmc_dist_kind_name(d->shape.kind));
    if (!d->fixed_mean) {
        fprintf(f, ", %s: ", axis_key);
        put_axis(f, a);
    }
    if (d->param == NULL)
        return;
    fprintf(f, ", %s: ", d->param);
    if (strcmp(d->param, "file") == 0) {
        put_quoted(f, d->file);
    } else if (strcmp(d->param, "probs") == 0) {
        struct mmc_axis p = {2, (double *)d->probs}, r = {2, (double *)d->rates};
        put_axis(f, &p);
        fputs(", rates: ", f);
        put_axis(f, &r);
    } else if (strcmp(d->param, "min") == 0) {
        put_number(f, d->min);
        fputs(", max: ", f);
        put_number(f, d->max);
    } else {
        put_number(f, d->value);
    }
}

static void put_dist(FILE *f, const char *key, const struct mmc_dist_spec *d, const char *axis_key,
                     const struct mmc_axis *a)
{
    put_dist_open(f, key, d, axis_key, a);
    fputs("}\n", f);
}

/* "tasks: N" or "time: X", the inside of a limit mapping. */
static void put_limit_body(FILE *f, const struct mmc_limit *l)
{
    fputs(l->kind == MMC_LIMIT_TIME ? "time: " : "tasks: ", f);
    put_number(f, l->kind == MMC_LIMIT_NONE ? 0 : l->value);
}

/* Nothing when sequential stopping is off; max_time only when it limits. */
static void put_precision(FILE *f, const struct mmc_precision *p)
{
    if (p->target <= 0)
        return;
    fputs(", precision: ", f);
    put_number(f, p->target);
    fputs(", confidence: ", f);
    put_number(f, p->confidence);
    fputs(", metric: ", f);
    put_quoted(f, p->metric);
    fprintf(f, ", max_replications: %lu", p->max_replications);
    if (p->max_time > 0) {
        fputs(", max_time: ", f);
        put_number(f, p->max_time);
    }
}

static void put_stop(FILE *f, const struct mmc_scenario *s)
{
    fputs("stop: {", f);
    put_limit_body(f, &s->stop);
    put_precision(f, &s->precision);
    fputs("}\n", f);
}

static void put_warmup(FILE *f, const struct mmc_limit *l)
{
    if (l->kind == MMC_LIMIT_AUTO || l->kind == MMC_LIMIT_NONE) {
        fprintf(f, "warmup: %s\n", l->kind == MMC_LIMIT_AUTO ? "auto" : "none");
        return;
    }
    fputs("warmup: {", f);
    put_limit_body(f, l);
    fputs("}\n", f);
}

static void put_initial(FILE *f, const struct mmc_initial *in)
{
    if (in->kind == MMC_INITIAL_IN_SYSTEM) {
        fputs("initial: {in_system: ", f);
        put_number(f, in->in_system);
        fputs("}\n", f);
        return;
    }
    fprintf(f, "initial: %s\n", in->kind == MMC_INITIAL_STATIONARY ? "stationary" : "empty");
}

static void put_string(FILE *f, const char *key, const char *s)
{
    fprintf(f, "%s: ", key);
    put_quoted(f, s ? s : "");
    fputc('\n', f);
}

/* How the runs are made and analysed; keys that only apply to a mode print only in it. */
static void put_method(FILE *f, const struct mmc_scenario *s)
{
    fprintf(f, "replications: %lu\n", s->replications);
    put_string(f, "method", method_names[s->method]);
    if (s->method == MMC_METHOD_BATCH_MEANS)
        fprintf(f, "batches: %lu\n", s->batches);
    put_string(f, "compare", compare_names[s->compare]);
    fprintf(f, "control_variates: %s\n", s->control_variates ? "true" : "false");
    if (!isnan(s->wait_threshold)) {
        fputs("wait_threshold: ", f);
        put_number(f, s->wait_threshold);
        fputc('\n', f);
    }
}

/* Overload protection: only the parts that are on, so unprotected scenarios print as before. */
static void put_protection(FILE *f, const struct mmc_protection *pr)
{
    if (pr->capacity > 0) {
        fputs("capacity: ", f);
        put_number(f, pr->capacity);
        fputc('\n', f);
    }
    if (pr->shed) {
        fputs("shed: {threshold: ", f);
        put_number(f, pr->shed_threshold);
        fprintf(f, ", drop: %s}\n", drop_names[pr->drop]);
    }
    if (pr->throttle) {
        fputs("throttle: {rate: ", f);
        put_number(f, pr->throttle_rate);
        fputs(", burst: ", f);
        put_number(f, pr->throttle_burst);
        fprintf(f, ", excess: %s}\n", excess_names[pr->excess]);
    }
    if (pr->patience) {
        struct mmc_axis rate = {1, (double *)&pr->patience_rate};
        put_dist(f, "patience", &pr->patience_dist, "rate", &rate);
    }
}

/* A flat list of n numbers. */
static void put_list(FILE *f, const double *v, size_t n)
{
    struct mmc_axis a = {n, (double *)v};
    put_axis(f, &a);
}

static void put_batch(FILE *f, const struct mmc_process *pr);

/* An arrival process that is not a plain renewal, as given. */
static void put_process(FILE *f, const struct mmc_scenario *s)
{
    const struct mmc_process *pr = &s->process;
    if (pr->kind == MMC_PROCESS_MMPP) {
        fputs("arrival: {dist: \"mmpp\", rates: ", f);
        put_list(f, pr->mmpp.rate, 2);
        fputs(", sojourns: ", f);
        put_list(f, pr->mmpp.sojourn, 2);
        if (!s->arrival_dist.fixed_mean) {
            fprintf(f, ", %s: ", s->arrival_is_load ? "load" : "rate");
            put_axis(f, &s->arrival);
        }
    } else if (pr->kind == MMC_PROCESS_SCHEDULE) {
        fputs("arrival: {schedule: {times: ", f);
        put_list(f, pr->schedule.t, pr->schedule.n);
        fputs(", rates: ", f);
        put_list(f, pr->schedule.v, pr->schedule.n);
        fprintf(f, ", interpolate: %s}", pr->schedule.linear ? "linear" : "step");
    } else if (pr->kind == MMC_PROCESS_TRACE) {
        fputs("arrival: {trace: ", f);
        put_quoted(f, pr->trace_file);
        fputs(", scale: ", f);
        put_number(f, pr->trace_scale);
        fputs("}\n", f);
        return;
    }
    put_batch(f, pr);
    fputs("}\n", f);
}

/* ", batch: {...}" when tasks come in batches. */
static void put_batch(FILE *f, const struct mmc_process *pr)
{
    if (pr->batched && pr->batch.kind == MMC_BATCH_TABLE) {
        fputs(", batch: {sizes: ", f);
        put_list(f, pr->batch.size, pr->batch.n);
        fputs(", probs: ", f);
        put_list(f, pr->batch_probs, pr->batch.n);
        fputs("}", f);
    } else if (pr->batched) {
        fprintf(f, ", batch: {%s: ", pr->batch_param);
        put_number(f, pr->batch_value);
        fputs("}", f);
    }
}

/* The arrival line: a renewal distribution (with its batches) or a process. */
static void put_arrival(FILE *f, const struct mmc_scenario *s)
{
    const struct mmc_process *pr = &s->process;
    if (pr->kind != MMC_PROCESS_RENEWAL) {
        put_process(f, s);
        return;
    }
    put_dist_open(f, "arrival", &s->arrival_dist, s->arrival_is_load ? "load" : "rate",
                  &s->arrival);
    put_batch(f, pr);
    fputs("}\n", f);
}

int mmc_scenario_print(const struct mmc_scenario *s, FILE *f)
{
    put_string(f, "name", s->name);
    if (s->n_variants > 0) { /* a comment: the printed text loads as this variant alone */
        fputs("# variant: ", f);
        put_quoted(f, s->variant);
        fputc('\n', f);
    }
    put_string(f, "description", s->description);
    put_string(f, "model", s->model);
    put_arrival(f, s);
    if (s->process.trace_service)
        fputs("service: {dist: \"trace\"}\n", f);
    else
        put_dist(f, "service", &s->service_dist, "rate", &s->service);
    if (s->staffing.n == 0) { /* a staffing schedule sets the workers (printed below) */
        fputs("workers: ", f);
        put_axis(f, &s->workers);
        fputc('\n', f);
    }
    fputs("network_delay: ", f);
    put_axis(f, &s->network_delay);
    fputs("\nmem_per_task: ", f);
    put_number(f, s->mem_per_task);
    fputc('\n', f);
    put_stop(f, s);
    put_warmup(f, &s->warmup);
    put_initial(f, &s->initial);
    put_method(f, s);
    put_protection(f, &s->protect);
    if (s->staffing.n > 0) {
        fputs("staffing: {times: ", f);
        put_list(f, s->staffing.t, s->staffing.n);
        fputs(", workers: ", f);
        put_list(f, s->staffing.c, s->staffing.n);
        fputs("}\n", f);
    }
    fprintf(f, "seed: %" PRIu64 "\n", s->seed);
    put_string(f, "rng", s->rng);
    return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}
