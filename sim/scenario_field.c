/*
 * scenario_field.c - reading one key of the scenario tree: lookups by key,
 * the standard messages ("path: expected X, got Y", missing and unknown
 * keys), and values read under a rule (numbers, axes, one-of choices,
 * limits).
 *
 * A field is a key's value with the dotted path its messages name. A
 * number is only a plain scalar, parsed whole as a decimal; whole numbers
 * past 2^53 are compared by their digits. -0 reads as 0.
 *
 * No state outside the arguments.
 */
#include "scenario_internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- fields ---- */

struct field scn_field_in(const struct node *map, const char *prefix, const char *key)
{
    struct field f = {.map = map};
    snprintf(f.path, sizeof f.path, "%s%s%s", prefix, *prefix ? "." : "", key);
    for (size_t i = 0; i + 1 < map->n; i += 2)
        if (yt_text_is(map->kids[i], key, strlen(key))) {
            f.key = map->kids[i];
            f.v = map->kids[i + 1];
            f.index = i / 2;
            break;
        }
    return f;
}

struct field scn_item_of(const struct field *f, size_t i)
{
    struct field item = {.key = f->key, .v = f->v->kids[i], .map = f->v, .index = i};
    /* paths of known keys are short: the cut never happens */
    snprintf(item.path, sizeof item.path, "%.40s[%zu]", f->path, i);
    return item;
}

/* "path: expected what, got ..." at the value. */
int scn_bad(const struct field *f, const char *what, struct mmc_error *err)
{
    char got[SHOW_BUF + 16];
    return yt_fail(err, f->v->at, "%s: expected %s, got %s", f->path, what,
                   yt_describe(f->v, got, sizeof got));
}

/* As scn_bad, counting the items when the value is a list: its length is what is wrong. */
int scn_bad_length(const struct field *f, const char *what, struct mmc_error *err)
{
    if (f->v->kind != NODE_SEQ || f->v->n == 0)
        return scn_bad(f, what, err);
    return yt_fail(err, f->v->at, "%s: expected %s, got a list of %zu", f->path, what, f->v->n);
}

int scn_missing(const struct field *f, struct mmc_error *err)
{
    return yt_fail(err, f->map->at, "missing key \"%s\"", f->path);
}

/* A key not among names: the nearest one as "prefix.key", or the list. */
static int unknown_in_map(const struct node *k, const char *prefix, const char *const *names,
                          struct mmc_error *err)
{
    char shown[SHOW_BUF], dotted[SHOW_BUF + 64], guess[64];
    const char *dot = *prefix ? "." : "";
    const char *near = yt_nearest(k->text, k->len, names);
    yt_show(k->text, k->len, shown, sizeof shown);
    snprintf(dotted, sizeof dotted, "%s%s%s", prefix, dot, shown);
    if (near == NULL)
        return yt_unknown_list(k->at, dotted, names, prefix, err);
    snprintf(guess, sizeof guess, "%s%s%s", prefix, dot, near);
    return yt_unknown_near(k->at, dotted, guess, err);
}

/* Every key of map is a known name, given once. */
int scn_check_keys(const struct node *map, const char *prefix, const char *const *names,
                   struct mmc_error *err)
{
    char got[SHOW_BUF + 16];
    for (size_t i = 0; i < map->n; i += 2) {
        const struct node *k = map->kids[i];
        if (k->kind != NODE_SCALAR)
            return yt_fail(err, k->at, "%s%sexpected a key name, got %s", prefix,
                           *prefix ? ": " : "", yt_describe(k, got, sizeof got));
        if (yt_find_name(names, k->text, k->len) == NULL)
            return unknown_in_map(k, prefix, names, err);
        /* every earlier key is known and unique, so this loop is short */
        for (size_t j = 0; j < i; j += 2)
            if (yt_text_is(map->kids[j], k->text, k->len))
                return yt_fail(err, k->at, "duplicate key \"%s%s%s\"", prefix, *prefix ? "." : "",
                               k->text);
    }
    return 0;
}

/* f must be a mapping whose keys are among names. */
int scn_mapping(const struct field *f, const char *const *names, struct mmc_error *err)
{
    if (f->v->kind != NODE_MAP)
        return scn_bad(f, "a mapping", err);
    return scn_check_keys(f->v, f->path, names, err);
}

/* A string: any non-null scalar, quoted or not, without NUL bytes. */
int scn_string(const struct field *f, const char **out, struct mmc_error *err)
{
    if (f->v->kind != NODE_SCALAR || yt_is_null(f->v))
        return scn_bad(f, "a string", err);
    if (strlen(f->v->text) != f->v->len)
        return scn_bad(f, "a string without NUL bytes", err);
    *out = f->v->text;
    return 0;
}

/* The list of names, then the nearest one when it is close enough to be a likely typo. */
int scn_unknown_value(const struct field *f, const char *what, const char *const *names,
                      struct mmc_error *err)
{
    char shown[SHOW_BUF], known[SHOW_BUF];
    const char *near = yt_nearest(f->v->text, f->v->len, names);
    yt_show(f->v->text, f->v->len, shown, sizeof shown);
    yt_join_names(names, "", known, sizeof known);
    return yt_fail(err, f->v->at, "%s: unknown %s \"%s\" (known: %s%s%s%s)", f->path, what, shown,
                   known, near ? "; did you mean \"" : "", near ? near : "", near ? "\"?" : "");
}

/* ---- values under a rule ---- */

/* Only plain scalars are numbers: "45" in quotes is a string. */
int scn_number_node(const struct field *f, const struct rule *r, struct mmc_error *err)
{
    if (f->v->kind != NODE_SCALAR || !f->v->plain || yt_is_null(f->v))
        return scn_bad(f, r->type, err);
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

int scn_number(const struct field *f, const struct rule *r, double *out, struct mmc_error *err)
{
    double x = 0;
    if (scn_number_node(f, r, err) < 0)
        return -1;
    if (!parse_decimal(f->v, &x))
        return scn_bad(f, r->type, err);
    if (x == 0 && errno == ERANGE) /* 1e-400: not 0, and no double holds it */
        return scn_bad(f, "a number a double can hold (this one underflows to 0)", err);
    if (!isfinite(x) || x < r->min || (r->above_min && x == r->min) || (r->whole && x != floor(x)))
        return scn_bad(f, r->low, err);
    if (r->whole && fabs(x) >= 0x1p53 && !whole_within(f->v, r->max))
        return scn_bad(f, r->high, err);
    if (x > r->max || (r->below_max && x == r->max))
        return scn_bad(f, r->high, err);
    *out = x == 0 ? 0 : x; /* -0 becomes 0: equal scenarios must print alike */
    return 0;
}

/* One number or a non-empty flat list of them; the array goes to a (freed by fini). */
int scn_axis(const struct field *f, const struct rule *r, struct mmc_axis *a, struct mmc_error *err)
{
    if (f->v->kind != NODE_SEQ) {
        a->v = mmc_xmalloc(1, sizeof *a->v);
        a->n = 1;
        return scn_number(f, r, &a->v[0], err);
    }
    if (f->v->n == 0)
        return scn_bad(f, "at least one value", err);
    a->v = mmc_xmalloc(f->v->n, sizeof *a->v);
    a->n = f->v->n;
    for (size_t i = 0; i < a->n; i++) {
        struct field item = scn_item_of(f, i);
        if (scn_number(&item, r, &a->v[i], err) < 0)
            return -1;
    }
    return 0;
}

/* Exactly one key of a choice is present; returns it, or NULL with err set. */
const struct field *scn_one_of(const struct field *f, const struct choice *ch,
                               const struct field *a, const struct field *b, struct mmc_error *err)
{
    if (a->v != NULL && b->v != NULL) {
        const struct field *later = a->index > b->index ? a : b;
        yt_fail(err, later->key->at, "%s: give %s or %s, not both", f->path, ch->a, ch->b);
        return NULL;
    }
    if (a->v == NULL && b->v == NULL) {
        yt_fail(err, f->v->at, "%s: expected %s", f->path, ch->expect);
        return NULL;
    }
    return a->v ? a : b;
}

/* A bare whole number (tasks) or {tasks: N} or {time: X}. */
int scn_limit(const struct field *f, const struct limit_rules *lr, struct mmc_limit *out,
              struct mmc_error *err)
{
    if (f->v->kind != NODE_MAP) {
        out->kind = MMC_LIMIT_TASKS;
        return scn_number(f, lr->bare, &out->value, err);
    }
    if (scn_check_keys(f->v, f->path, lr->keys, err) < 0)
        return -1;
    struct field tasks = scn_field_in(f->v, f->path, "tasks");
    struct field secs = scn_field_in(f->v, f->path, "time");
    const struct field *pick = scn_one_of(f, lr->choice, &tasks, &secs, err);
    if (pick == NULL)
        return -1;
    out->kind = pick == &tasks ? MMC_LIMIT_TASKS : MMC_LIMIT_TIME;
    return scn_number(pick, pick == &tasks ? lr->tasks : lr->time, &out->value, err);
}

/* A list of exactly two numbers. */
int scn_pair(const struct field *f, const struct rule *r, double out[2], struct mmc_error *err)
{
    if (f->v->kind != NODE_SEQ || f->v->n != 2)
        return scn_bad_length(f, "a list of two numbers", err);
    for (size_t i = 0; i < 2; i++) {
        struct field item = scn_item_of(f, i);
        if (scn_number(&item, r, &out[i], err) < 0)
            return -1;
    }
    return 0;
}

/* A plain scalar spelling word: the keywords of warmup, initial and control_variates. */
bool scn_is_word(const struct node *nd, const char *word)
{
    return nd->plain && yt_text_is(nd, word, strlen(word));
}

/* A scalar, plain or quoted, spelling name: a dist that is not a distribution. */
bool scn_is_name(const struct node *nd, const char *name)
{
    return yt_text_is(nd, name, strlen(name));
}

/* The index of f's string among names, or an "unknown what" error. */
int scn_name_index(const struct field *f, const char *what, const char *const *names, size_t *out,
                   struct mmc_error *err)
{
    const char *name = "";
    if (scn_string(f, &name, err) < 0)
        return -1;
    for (size_t i = 0; names[i] != NULL; i++)
        if (strcmp(names[i], name) == 0) {
            *out = i;
            return 0;
        }
    return scn_unknown_value(f, what, names, err);
}

/* An optional number in map: left as it is when absent. */
int scn_opt_number(const struct field *map, const char *key, const struct rule *r, double *out,
                   struct mmc_error *err)
{
    struct field f = scn_field_in(map->v, map->path, key);
    return f.v == NULL ? 0 : scn_number(&f, r, out, err);
}

/* A flat list of 1 to max numbers under rule r into a new array (*out, freed by the caller). */
int scn_number_list(const struct field *f, const struct rule *r, size_t max, double **out,
                    size_t *n, struct mmc_error *err)
{
    char what[64];
    snprintf(what, sizeof what, "a list of 1 to %zu numbers", max);
    if (f->v->kind != NODE_SEQ || f->v->n == 0 || f->v->n > max)
        return scn_bad_length(f, what, err);
    *out = mmc_xmalloc(f->v->n, sizeof **out);
    *n = f->v->n;
    for (size_t i = 0; i < *n; i++) {
        struct field item = scn_item_of(f, i);
        if (scn_number(&item, r, &(*out)[i], err) < 0)
            return -1;
    }
    return 0;
}
