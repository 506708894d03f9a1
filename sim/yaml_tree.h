/*
 * yaml_tree.h - YAML text as a tree of nodes that remember where they came
 * from, and the helpers the scenario code builds its messages with.
 *
 * Private to the scenario loader (sim/scenario*.c); not part of the public
 * API. The caller owns a tree from yt_parse and frees it with yt_node_free;
 * origins borrow the file name, which must outlive the tree. No state
 * outside the arguments: safe to use from several threads on distinct trees.
 */
#ifndef MMC_YAML_TREE_H
#define MMC_YAML_TREE_H

#include "error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Buffer for offending text quoted in a message (escaped, cut after a few dozen bytes). */
#define SHOW_BUF 256

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

/* YAML text to read, and where it came from. */
struct yt_input {
    const char *text;
    size_t len;
    const char *file;
    int line;     /* every node's line (an override's index), or 0: libyaml's */
    int col_base; /* characters before the input in its line (overrides only) */
};

/* Set err at an origin; returns -1 so that callers can "return yt_fail(...)". */
int yt_fail(struct mmc_error *err, struct origin at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Append a NUL-terminated piece to buf[*o], never past size - 1. */
void yt_put(char *buf, size_t size, size_t *o, const char *piece);
/* text escaped and cut for a message, into buf (SHOW_BUF bytes suffice). */
void yt_show(const char *text, size_t len, char *buf, size_t size);
/* "a, b, c", each name prefixed with "prefix." when prefix is not empty. */
void yt_join_names(const char *const *names, const char *prefix, char *buf, size_t size);

/* A new empty node, or a scalar holding a copy of text; the caller owns it. */
struct node *yt_node_new(enum node_kind kind, struct origin at);
struct node *yt_scalar_new(const char *text, size_t len, bool plain, struct origin at);
/* Free a node and everything under it; NULL is a no-op. */
void yt_node_free(struct node *nd);
/* Append kid to a sequence or mapping; takes ownership of kid. */
void yt_node_push(struct node *nd, struct node *kid);
/* Is nd the scalar text? Is it a YAML null? */
bool yt_text_is(const struct node *nd, const char *text, size_t len);
bool yt_is_null(const struct node *nd);
/* The value slot of the first pair whose key is text, or NULL. */
struct node **yt_map_slot(struct node *map, const char *text, size_t len);
/* Drop every pair whose key is text. */
void yt_map_remove(struct node *map, const char *text, size_t len);
/* Make text's value be value (takes ownership); a new key gets origin at. */
void yt_map_set(struct node *map, const char *text, size_t len, struct node *value,
                struct origin at);

/* x as an int, capped well below INT_MAX. */
int yt_clamp_int(size_t x);
/*
 * The one document of in into *root (NULL if there is none; the caller frees it);
 * *end is where the stream ends. 0, or -1 with err set at the offending text.
 */
int yt_parse(const struct yt_input *in, struct node **root, struct origin *end,
             struct mmc_error *err);

/* What a node is, for "got ...": nothing, a list, a mapping, string "x" or "x"; may use buf. */
const char *yt_describe(const struct node *nd, char *buf, size_t size);
/* The name nearest to word when it is close enough to be a likely typo, else NULL. */
const char *yt_nearest(const char *word, size_t len, const char *const *names);
/* The entry of the NULL-terminated names equal to text, or NULL. */
const char *yt_find_name(const char *const *names, const char *text, size_t len);
/* "unknown key" naming the nearest known path, or listing the keys known at its level; -1. */
int yt_unknown_near(struct origin at, const char *shown, const char *near, struct mmc_error *err);
int yt_unknown_list(struct origin at, const char *shown, const char *const *level,
                    const char *prefix, struct mmc_error *err);

/* Strict UTF-8 (no overlongs, surrogates or values past U+10FFFF): length, or 0 if invalid. */
size_t yt_utf8_char(const unsigned char *p, uint32_t *cp);

#endif
