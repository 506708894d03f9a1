/*
 * yaml_tree.c - YAML text into a tree of nodes with origins, and the
 * helpers that build, search and describe such a tree in messages.
 *
 * libyaml parser events become a tree of nodes (scalar, sequence,
 * mapping). Each node keeps its origin: file, 1-based line and column
 * (libyaml marks are 0-based), and whether a scalar was plain; only plain
 * scalars can be numbers, so "45" in quotes stays a string. Anchors,
 * aliases and tags are refused here: the schema needs none and aliases
 * would make the tree a graph. Hostile input is bounded: nesting depth,
 * keys per mapping and items per list are capped.
 *
 * Invariants: a mapping node stores its pairs flat, kids[2i] the key and
 * kids[2i + 1] the value, so n is even. Node origins borrow the file name,
 * which the caller keeps alive as long as the tree.
 *
 * Knows nothing of the scenario schema: names to match or suggest are
 * passed in. No state outside the arguments.
 */
#include "yaml_tree.h"

#include "scenario.h" /* MMC_MAX_POINTS */

#include <assert.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* The schema nests three levels; anything far deeper is hostile input. */
#define MAX_DEPTH 32
/* The schema's mappings have at most 25 keys: more is hostile input (and would make each
 * override's lookup slow). Lists hold sweep values, breakpoints or variants: MMC_MAX_POINTS. */
#define MAX_KEYS 64
/* Bytes of offending text quoted in a message. */
#define SHOW_MAX 48
/* Longest known key or name that the suggestion code compares against. */
#define NAME_MAX_LEN 31

/* ---- errors ---- */

/* Set err at a node's origin; returns -1 so that callers can "return yt_fail(...)". */
int yt_fail(struct mmc_error *err, struct origin at, const char *fmt, ...)
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
void yt_put(char *buf, size_t size, size_t *o, const char *piece)
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
void yt_show(const char *text, size_t len, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < len && o + 8 < size; i++) {
        unsigned char c = (unsigned char)text[i];
        char piece[8] = {(char)c, '\0'};
        if (i >= SHOW_MAX && (c & 0xC0) != 0x80) {
            yt_put(buf, size, &o, "...");
            return;
        }
        if (c == '"' || c == '\\')
            snprintf(piece, sizeof piece, "\\%c", c);
        else if (c < 0x20 || c == 0x7F)
            snprintf(piece, sizeof piece, "\\x%02x", c);
        yt_put(buf, size, &o, piece);
    }
}

/* "a, b, c", each name prefixed with "prefix." when prefix is not empty. */
void yt_join_names(const char *const *names, const char *prefix, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; names[i] != NULL; i++) {
        if (i > 0)
            yt_put(buf, size, &o, ", ");
        if (*prefix != '\0') {
            yt_put(buf, size, &o, prefix);
            yt_put(buf, size, &o, ".");
        }
        yt_put(buf, size, &o, names[i]);
    }
}

/* ---- nodes ---- */

struct node *yt_node_new(enum node_kind kind, struct origin at)
{
    struct node *nd = mmc_xcalloc(1, sizeof *nd);
    nd->kind = kind;
    nd->at = at;
    return nd;
}

struct node *yt_scalar_new(const char *text, size_t len, bool plain, struct origin at)
{
    struct node *nd = yt_node_new(NODE_SCALAR, at);
    nd->text = mmc_xmalloc(len + 1, 1);
    if (len > 0)
        memcpy(nd->text, text, len);
    nd->text[len] = '\0';
    nd->len = len;
    nd->plain = plain;
    return nd;
}

/* Free a node and everything under it; NULL is a no-op. */
void yt_node_free(struct node *nd)
{
    if (nd == NULL)
        return;
    for (size_t i = 0; i < nd->n; i++)
        yt_node_free(nd->kids[i]);
    free(nd->kids);
    free(nd->text);
    free(nd);
}

/* Append kid to a sequence or mapping; takes ownership of kid. */
void yt_node_push(struct node *nd, struct node *kid)
{
    if (nd->n == nd->cap) {
        nd->cap = nd->cap ? 2 * nd->cap : 4;
        nd->kids = mmc_xrealloc(nd->kids, nd->cap, sizeof *nd->kids);
    }
    nd->kids[nd->n++] = kid;
}

bool yt_text_is(const struct node *nd, const char *text, size_t len)
{
    return nd->kind == NODE_SCALAR && nd->len == len && memcmp(nd->text, text, len) == 0;
}

/* YAML 1.1 spells null as an empty plain scalar, "~" or "null" in three cases. */
bool yt_is_null(const struct node *nd)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
    if (nd->kind != NODE_SCALAR || !nd->plain)
        return false;
    for (size_t i = 0; i < sizeof nulls / sizeof *nulls; i++)
        if (yt_text_is(nd, nulls[i], strlen(nulls[i])))
            return true;
    return false;
}

/* The value slot of the first pair whose key is text, or NULL. */
struct node **yt_map_slot(struct node *map, const char *text, size_t len)
{
    for (size_t i = 0; i + 1 < map->n; i += 2)
        if (yt_text_is(map->kids[i], text, len))
            return &map->kids[i + 1];
    return NULL;
}

/* Drop every pair whose key is text. */
void yt_map_remove(struct node *map, const char *text, size_t len)
{
    size_t out = 0;
    for (size_t i = 0; i + 1 < map->n; i += 2) {
        if (yt_text_is(map->kids[i], text, len)) {
            yt_node_free(map->kids[i]);
            yt_node_free(map->kids[i + 1]);
            continue;
        }
        map->kids[out++] = map->kids[i];
        map->kids[out++] = map->kids[i + 1];
    }
    map->n = out;
}

/* Make text's value be value (takes ownership); a new key gets origin at. */
void yt_map_set(struct node *map, const char *text, size_t len, struct node *value,
                struct origin at)
{
    struct node **slot = yt_map_slot(map, text, len);
    if (slot != NULL) {
        yt_node_free(*slot);
        *slot = value;
        return;
    }
    yt_node_push(map, yt_scalar_new(text, len, true, at));
    yt_node_push(map, value);
}

/* ---- reading: YAML text to nodes ---- */

struct reader {
    yaml_parser_t parser;
    const char *input;
    size_t len;
    const char *file;
    int line;     /* every node's line (an override's index), or 0: libyaml's */
    int col_base; /* characters before the input in its line (overrides only) */
    struct mmc_error *err;
};

int yt_clamp_int(size_t x)
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
        return (struct origin){r->file, r->line, r->col_base + yt_clamp_int(m.index) + 1};
    return (struct origin){r->file, yt_clamp_int(m.line) + 1, yt_clamp_int(m.column) + 1};
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
        return yt_fail(r->err, origin_at(r, p->problem_mark), "out of memory while reading YAML");
    if (p->error == YAML_READER_ERROR) {
        yaml_mark_t m = mark_of_offset(r->input, r->len, p->problem_offset);
        if (p->problem_value < 0)
            return yt_fail(r->err, origin_at(r, m), "malformed YAML: %s", problem);
        return yt_fail(r->err, origin_at(r, m), "malformed YAML: %s (0x%X)", problem,
                       (unsigned)p->problem_value);
    }
    return yt_fail(r->err, origin_at(r, p->problem_mark), "malformed YAML: %s%s%s", problem,
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
        return yt_fail(r->err, at, "anchors and aliases are not supported");
    if (tag != NULL)
        return yt_fail(r->err, at, "tags are not supported");
    return 0;
}

static int read_node(struct reader *r, int depth, struct node **out);

static int read_scalar(struct reader *r, const yaml_event_t *ev, struct origin at,
                       struct node **out)
{
    if (refuse_extras(r, ev->data.scalar.anchor, ev->data.scalar.tag, at) < 0)
        return -1;
    *out = yt_scalar_new((const char *)ev->data.scalar.value, ev->data.scalar.length,
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
        return yt_fail(r->err, at, "values are nested more than %d deep", MAX_DEPTH);
    struct node *nd = yt_node_new(is_map ? NODE_MAP : NODE_SEQ, at);
    struct node *kid = NULL;
    int rc;
    while ((rc = read_node(r, depth + 1, &kid)) == 0) {
        yt_node_push(nd, kid);
        if (is_map && nd->n > 2 * MAX_KEYS)
            rc = yt_fail(r->err, at, "a mapping with more than %d keys", MAX_KEYS);
        else if (!is_map && nd->n > MMC_MAX_POINTS)
            rc = yt_fail(r->err, at, "a list of more than %d values", MMC_MAX_POINTS);
        if (rc < 0)
            break;
    }
    if (rc < 0) {
        yt_node_free(nd);
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
        return yt_fail(r->err, at, "anchors and aliases are not supported");
    default: /* libyaml never sends stream or document events inside a node */
        return yt_fail(r->err, at, "malformed YAML: unexpected event");
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
            yt_fail(r->err, at, "expected one YAML document, found a second one");
            break;
        }
        int rc = read_node(r, 0, root);
        if (rc > 0) /* an end event cannot open a document; libyaml never sends one */
            yt_fail(r->err, at, "malformed YAML: document without a value");
        if (rc != 0)
            break;
    }
    yt_node_free(*root);
    *root = NULL;
    return -1;
}

static int parse_yaml(struct reader *r, struct node **root, struct origin *end)
{
    if (!yaml_parser_initialize(&r->parser)) /* libyaml: 0 = failure (out of memory) */
        return yt_fail(r->err, (struct origin){r->file, 0, 0}, "out of memory while reading YAML");
    yaml_parser_set_input_string(&r->parser, (const unsigned char *)r->input, r->len);
    int rc = read_stream(r, root, end);
    yaml_parser_delete(&r->parser);
    return rc;
}

/* The reader for one input; the parser lives only as long as this call. */
int yt_parse(const struct yt_input *in, struct node **root, struct origin *end,
             struct mmc_error *err)
{
    struct reader r = {
        .input = in->text,
        .len = in->len,
        .file = in->file,
        .line = in->line,
        .col_base = in->col_base,
        .err = err,
    };
    return parse_yaml(&r, root, end);
}

/* ---- describing nodes in messages ---- */

/* What a node is, for "got ...": nothing, a list, a mapping, string "x" or "x". */
const char *yt_describe(const struct node *nd, char *buf, size_t size)
{
    char shown[SHOW_BUF];
    if (nd->kind == NODE_MAP)
        return "a mapping";
    if (nd->kind == NODE_SEQ)
        return nd->n ? "a list" : "an empty list";
    if (yt_is_null(nd))
        return "nothing";
    yt_show(nd->text, nd->len, shown, sizeof shown);
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
const char *yt_nearest(const char *word, size_t len, const char *const *names)
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

const char *yt_find_name(const char *const *names, const char *text, size_t len)
{
    for (size_t i = 0; names[i] != NULL; i++)
        if (strlen(names[i]) == len && memcmp(names[i], text, len) == 0)
            return names[i];
    return NULL;
}

/* "unknown key" naming the nearest known path. */
int yt_unknown_near(struct origin at, const char *shown, const char *near, struct mmc_error *err)
{
    return yt_fail(err, at, "unknown key \"%s\" (did you mean \"%s\"?)", shown, near);
}

/* "unknown key" listing the keys known at its level, as "prefix.key". */
int yt_unknown_list(struct origin at, const char *shown, const char *const *level,
                    const char *prefix, struct mmc_error *err)
{
    char known[sizeof err->msg]; /* "variants[12].name, ..." is longer than a quoted value */
    yt_join_names(level, prefix, known, sizeof known);
    return yt_fail(err, at, "unknown key \"%s\" (known: %s)", shown, known);
}

/* ---- text ---- */

/* Strict UTF-8 (no overlongs, surrogates or values past U+10FFFF): length, or 0 if invalid. */
size_t yt_utf8_char(const unsigned char *p, uint32_t *cp)
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
