/*
 * scenario_internal.h - what the scenario loader's files share: the schema
 * tables, fields and rules of the checker, and the tree edits (overrides,
 * variants) made before checking.
 *
 * Private to sim/scenario*.c; the public API is scenario.h. The tables are
 * const; the functions keep no state outside their arguments.
 */
#ifndef MMC_SCENARIO_INTERNAL_H
#define MMC_SCENARIO_INTERNAL_H

#include "scenario.h"
#include "yaml_tree.h"

#include <stdbool.h>
#include <stddef.h>

/* Largest whole number a double holds exactly: the cap on task counts. */
#define TWO_POW_53 9007199254740992.0

/* The default stop, also the count a bare or absent stop has when an override refines it. */
#define DEFAULT_STOP_TASKS 100000
#define DEFAULT_STOP_TASKS_TEXT "100000"

/* The file name of an override's nodes (line: its 1-based index); they are read after the file. */
#define SCN_OVERRIDE_FILE "--set"

/* ---- schema tables (scenario.c) ---- */

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
struct choice {
    const char *parent, *a, *b;
    const char *expect; /* what "neither" says is expected */
};
extern const struct choice scn_choices[CHOICE_COUNT];

/* The top-level keys whose value is a mapping, and its keys. */
#define SUB_LEVEL_COUNT 17
struct sub_level {
    const char *key;
    const char *const *sub;
};
extern const struct sub_level scn_sub_levels[SUB_LEVEL_COUNT];

/* NULL-terminated; the names are indexed by enum mmc_method, mmc_compare_kind, mmc_drop,
 * mmc_excess and the steal block's enums. */
extern const char *const scn_top_keys[];
extern const char *const scn_method_names[];
extern const char *const scn_drop_names[];
extern const char *const scn_excess_names[];
extern const char *const scn_compare_names[];
extern const char *const scn_steal_arrive_names[];
extern const char *const scn_steal_order_names[];
extern const char *const scn_steal_victim_names[];
extern const char *const scn_steal_amount_names[];
extern const char *const scn_concurrency_names[];
extern const char *const scn_on_full_names[];

/* ---- fields (scenario_field.c) ---- */

/* A key's value as the checker sees it. */
struct field {
    const struct node *key, *v; /* NULL when the key is absent */
    const struct node *map;     /* where a missing key is reported */
    size_t index;               /* pair index in map, to tell which came later */
    char path[64];              /* dotted path for messages: "arrival.rate[2]" */
};

/* key in map ("prefix.key" in messages); .v is NULL when absent. */
struct field scn_field_in(const struct node *map, const char *prefix, const char *key);
/* Item i of a list field, as "path[i]". */
struct field scn_item_of(const struct field *f, size_t i);
/* "path: expected what, got ..." at the value; "missing key" at the mapping. Both -1. */
int scn_bad(const struct field *f, const char *what, struct mmc_error *err);
int scn_missing(const struct field *f, struct mmc_error *err);
/* As scn_bad, but a list is described by its length ("got a list of 3"); -1. */
int scn_bad_length(const struct field *f, const char *what, struct mmc_error *err);
/* Every key of map is among names, given once; 0 or -1. */
int scn_check_keys(const struct node *map, const char *prefix, const char *const *names,
                   struct mmc_error *err);
/* f must be a mapping whose keys are among names; 0 or -1. */
int scn_mapping(const struct field *f, const char *const *names, struct mmc_error *err);
/* A string: any non-null scalar, quoted or not, without NUL bytes; *out borrows the tree. */
int scn_string(const struct field *f, const char **out, struct mmc_error *err);
/* "path: unknown what "x" (known: ...; did you mean "y"?)", the guess only when one is near; -1. */
int scn_unknown_value(const struct field *f, const char *what, const char *const *names,
                      struct mmc_error *err);

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

/* f is a plain, non-null scalar, the only kind that can be a number; 0 or -1 (r->type). */
int scn_number_node(const struct field *f, const struct rule *r, struct mmc_error *err);
/* A number within r into *out (-0 as 0); 0 or -1. */
int scn_number(const struct field *f, const struct rule *r, double *out, struct mmc_error *err);
/* One number or a non-empty flat list of them; the array goes to a (freed by fini). */
int scn_axis(const struct field *f, const struct rule *r, struct mmc_axis *a,
             struct mmc_error *err);
/* Exactly one key of a choice is present; returns it, or NULL with err set. */
const struct field *scn_one_of(const struct field *f, const struct choice *ch,
                               const struct field *a, const struct field *b, struct mmc_error *err);

/* The rules of a stop or warm-up limit. */
struct limit_rules {
    const struct choice *choice;
    const char *const *keys; /* the keys its mapping may hold */
    const struct rule *bare, *tasks, *time;
};

/* A bare whole number (tasks) or {tasks: N} or {time: X}; 0 or -1. */
int scn_limit(const struct field *f, const struct limit_rules *lr, struct mmc_limit *out,
              struct mmc_error *err);

/* A list of exactly two numbers under r; 0 or -1. */
int scn_pair(const struct field *f, const struct rule *r, double out[2], struct mmc_error *err);
/* An optional number in map: left as it is when absent; 0 or -1. */
int scn_opt_number(const struct field *map, const char *key, const struct rule *r, double *out,
                   struct mmc_error *err);
/* A flat list of 1 to max numbers under r into a new array (*out, freed by the caller). */
int scn_number_list(const struct field *f, const struct rule *r, size_t max, double **out,
                    size_t *n, struct mmc_error *err);
/* The index of f's string among names, or an "unknown what" error (-1). */
int scn_name_index(const struct field *f, const char *what, const char *const *names, size_t *out,
                   struct mmc_error *err);
/* A plain scalar spelling word (a keyword); a scalar, plain or quoted, spelling name. */
bool scn_is_word(const struct node *nd, const char *word);
bool scn_is_name(const struct node *nd, const char *name);

/* ---- tree edits (scenario_merge.c) ---- */

/* Apply override number index (1-based) "KEY=VALUE" to root; 0 or -1. */
int scn_apply_override(struct node *root, const char *text, int index, struct mmc_error *err);
/* variants, when present: 1 to MMC_MAX_VARIANTS checked mappings; *n is how many (0: none). */
int scn_check_variants(const struct node *root, size_t *n, struct mmc_error *err);
/* Every key of the base's mappings is known, before a variant merges into them; 0 or -1. */
int scn_check_base_keys(struct node *root, struct mmc_error *err);
/* Put variant i's keys on top of the base, drop the list; its name goes to name. */
void scn_apply_variant(struct node *root, size_t i, char *name, size_t name_size);

#endif
