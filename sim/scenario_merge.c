/*
 * scenario_merge.c - the edits made to a scenario tree before it is
 * checked: --set overrides and the merge of one variant into the base.
 *
 * An override "KEY=VALUE" is read by the YAML reader (file "--set", line =
 * its 1-based index, columns shifted by the offset of VALUE in the
 * argument) and replaces the node at KEY; KEY must name a known key, and
 * setting one of two alternatives (rate, load) drops the other.
 *
 * Variants are checked here, at their own lines, before they merge: what a
 * merge would hide (a repeated key, both alternatives) is refused first.
 * A variant's mapping merges key by key into the base's, unless it fixes
 * the whole law (a trace, a schedule), in which case it replaces it; either
 * way the result carries the variant's origin, so that an error in what the
 * merge made points into the variant's lines.
 *
 * Works on the caller's tree only; no state outside the arguments.
 */
#include "scenario_internal.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a variant may set: the system, never how it is run or measured. */
static const char *const variant_keys[] = {
    "name",
    "description",
    "model",
    "dispatch",
    "pull",
    "steal",
    "classes",
    "preemption",
    "arrival",
    "service",
    "workers",
    "network_delay",
    "mem_per_task",
    "capacity",
    "shed",
    "throttle",
    "patience",
    "staffing",
    "worker_capacity",
    "worker_pools",
    "request",
    "scheduler",
    "placement",
    NULL,
};
/* A variant's mapping value with this key replaces the base's shape, keeping its rate axis. */
static const char *const rate_axis_keys[] = {"rate", "load", "mean", NULL};

/* ---- overrides ---- */

/* The keys under a top-level key, or NULL when its value is not a mapping. */
static const char *const *sub_keys(const char *key)
{
    for (size_t i = 0; i < sizeof scn_sub_levels / sizeof *scn_sub_levels; i++)
        if (strcmp(scn_sub_levels[i].key, key) == 0)
            return scn_sub_levels[i].sub;
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
    const char *const *level = scn_top_keys;
    char near[64] = "", shown[SHOW_BUF];
    size_t pos = 0, o = 0;
    bool exact = true;
    yt_show(key, len, shown, sizeof shown);
    for (;;) {
        size_t seg = segment_length(key + pos, len - pos);
        const char *name = yt_find_name(level, key + pos, seg);
        const char *guess = name ? name : yt_nearest(key + pos, seg, level);
        if (guess == NULL)
            return yt_unknown_list(at, shown, level, near, err);
        exact = exact && name != NULL;
        yt_put(near, sizeof near, &o, o ? "." : "");
        yt_put(near, sizeof near, &o, guess);
        pos += seg;
        if (pos == len)
            break;
        /* more segments: only a top-level key with a mapping value has any */
        if (level != scn_top_keys || (level = sub_keys(guess)) == NULL) {
            exact = false;
            break;
        }
        pos++; /* the dot */
    }
    return exact ? 0 : yt_unknown_near(at, shown, near, err);
}

/* Reading "arrival.rate" drops "arrival.load": alternatives exclude each other. */
static void drop_alternative(struct node *map, const char *parent, size_t plen, const char *key,
                             size_t klen)
{
    for (size_t i = 0; i < CHOICE_COUNT; i++) {
        const struct choice *ch = &scn_choices[i];
        if (strlen(ch->parent) != plen || memcmp(ch->parent, parent, plen) != 0)
            continue;
        if (strlen(ch->a) == klen && memcmp(ch->a, key, klen) == 0)
            yt_map_remove(map, ch->b, strlen(ch->b));
        if (strlen(ch->b) == klen && memcmp(ch->b, key, klen) == 0)
            yt_map_remove(map, ch->a, strlen(ch->a));
    }
}

/*
 * The mapping that replaces a missing (old NULL) or non-mapping parent;
 * takes ownership of old. It is empty, except that a bare stop is short for
 * {tasks: N} and an absent one for the default: it keeps that count, so
 * "--set stop.precision=0.01" refines the stop instead of losing it; and a
 * bare network_delay (a number or a list) is short for {value: ...}, so
 * "--set network_delay.where=held" keeps the delay.
 */
static struct node *new_parent(const char *key, size_t head, struct node *old, struct origin at)
{
    struct node *map = yt_node_new(NODE_MAP, at);
    bool is_delay = head == 13 && memcmp(key, "network_delay", 13) == 0;
    if (is_delay && old != NULL) {
        yt_node_push(map, yt_scalar_new("value", 5, true, at));
        yt_node_push(map, old);
        return map;
    }
    bool is_stop = head == 4 && memcmp(key, "stop", 4) == 0;
    if (!is_stop || (old != NULL && old->kind != NODE_SCALAR)) {
        yt_node_free(old);
        return map;
    }
    if (old == NULL)
        old = yt_scalar_new(DEFAULT_STOP_TASKS_TEXT, strlen(DEFAULT_STOP_TASKS_TEXT), true, at);
    yt_node_push(map, yt_scalar_new("tasks", 5, true, at));
    yt_node_push(map, old);
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
        yt_map_set(root, key, len, value, at);
        return;
    }
    struct node **slot = yt_map_slot(root, key, head);
    if (slot == NULL) {
        yt_map_set(root, key, head, new_parent(key, head, NULL, at), at);
        slot = yt_map_slot(root, key, head);
    } else if ((*slot)->kind != NODE_MAP) {
        *slot = new_parent(key, head, *slot, at);
    }
    drop_alternative(*slot, key, head, key + head + 1, len - head - 1);
    yt_map_set(*slot, key + head + 1, len - head - 1, value, at);
}

/* VALUE as a YAML value; its columns count from the start of the whole argument. */
static int read_value(const char *text, int offset, struct origin at, struct node **out,
                      struct mmc_error *err)
{
    struct yt_input in = {
        .text = text,
        .len = strlen(text),
        .file = at.file,
        .line = at.line,
        .col_base = offset,
    };
    struct origin end = at;
    if (yt_parse(&in, out, &end, err) < 0)
        return -1;
    if (*out == NULL) /* "KEY=" or a comment only: a key with no value */
        *out = yt_scalar_new("", 0, true, (struct origin){at.file, at.line, offset + 1});
    return 0;
}

int scn_apply_override(struct node *root, const char *text, int index, struct mmc_error *err)
{
    assert(text != NULL);
    struct origin at = {SCN_OVERRIDE_FILE, index, 1};
    const char *eq = strchr(text, '=');
    char shown[SHOW_BUF];
    if (eq == NULL || eq == text) {
        yt_show(text, strlen(text), shown, sizeof shown);
        return yt_fail(err, at, "expected KEY=VALUE, got \"%s\"", shown);
    }
    size_t klen = (size_t)(eq - text);
    struct node *value = NULL;
    if (check_path(text, klen, at, err) < 0)
        return -1;
    if (read_value(eq + 1, yt_clamp_int(klen + 1), at, &value, err) < 0)
        return -1;
    graft(root, text, klen, value, at);
    return 0;
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
            return yt_fail(err, k->at, "%s: expected a key name, got %s", f->path,
                           yt_describe(k, got, sizeof got));
        for (size_t j = 0; j < i; j += 2)
            if (yt_text_is(map->kids[j], k->text, k->len)) {
                char shown[SHOW_BUF]; /* not yet checked to be a known key */
                yt_show(k->text, k->len, shown, sizeof shown);
                return yt_fail(err, k->at, "duplicate key \"%s.%s\"", f->path, shown);
            }
    }
    for (size_t i = 0; i < CHOICE_COUNT; i++) {
        const struct choice *ch = &scn_choices[i];
        if (strcmp(ch->parent, key) != 0)
            continue;
        struct field a = scn_field_in(map, f->path, ch->a), b = scn_field_in(map, f->path, ch->b);
        if (a.v != NULL && b.v != NULL)
            return yt_fail(err, (a.index > b.index ? &a : &b)->key->at,
                           "%s: give %s or %s, not both", f->path, ch->a, ch->b);
    }
    return 0;
}

/* A variant's keys: the system's, each once; what a scenario says about running it is shared. */
static int check_variant_keys(const struct field *item, struct mmc_error *err)
{
    const struct node *map = item->v;
    char keys[SHOW_BUF];
    if (map->kind != NODE_MAP)
        return scn_bad(item, "a mapping", err);
    for (size_t i = 0; i < map->n; i += 2) {
        const struct node *k = map->kids[i];
        if (k->kind == NODE_SCALAR && yt_find_name(variant_keys, k->text, k->len) == NULL &&
            yt_find_name(scn_top_keys, k->text, k->len) != NULL) {
            yt_join_names(variant_keys, "", keys, sizeof keys);
            return yt_fail(err, k->at, "%s.%s: not set per variant; a variant may set %s",
                           item->path, k->text, keys);
        }
    }
    if (scn_check_keys(map, item->path, variant_keys, err) < 0)
        return -1;
    for (size_t i = 0; i < map->n; i += 2) {
        const struct node *k = map->kids[i];
        struct field sub = scn_field_in(map, item->path, k->text);
        if (sub.v->kind == NODE_MAP && sub_keys(k->text) != NULL &&
            check_variant_map(&sub, k->text, err) < 0)
            return -1;
    }
    struct field w = scn_field_in(map, item->path, "workers");
    if (w.v != NULL && scn_field_in(map, item->path, "staffing").v != NULL)
        return yt_fail(err, w.key->at, "%s: staffing sets the workers; leave workers out", w.path);
    return 0;
}

/* variants, when present: 1 to MMC_MAX_VARIANTS mappings of variant keys, each with its own name.
 */
int scn_check_variants(const struct node *root, size_t *n, struct mmc_error *err)
{
    struct field f = scn_field_in(root, "", "variants");
    const char *names[MMC_MAX_VARIANTS] = {NULL};
    *n = 0;
    if (f.v == NULL)
        return 0;
    /* before the list is dropped: a second variants key would go unseen */
    if (scn_check_keys(root, "", scn_top_keys, err) < 0)
        return -1;
    if (f.v->kind != NODE_SEQ || f.v->n == 0 || f.v->n > MMC_MAX_VARIANTS)
        return scn_bad_length(&f, "a list of 1 to 64 mappings", err);
    for (size_t i = 0; i < f.v->n; i++) {
        struct field item = scn_item_of(&f, i);
        if (check_variant_keys(&item, err) < 0)
            return -1;
        struct field name = scn_field_in(item.v, item.path, "name");
        if (name.v == NULL)
            return scn_missing(&name, err);
        const char *text = "";
        if (scn_string(&name, &text, err) < 0)
            return -1;
        if (text[0] == '\0' || strlen(text) >= sizeof((struct mmc_scenario *)0)->variant)
            return scn_bad(&name, "a name of 1 to 63 bytes", err);
        names[i] = text;
        for (size_t j = 0; j < i; j++)
            if (names[j] != NULL && strcmp(names[j], text) == 0)
                return scn_bad(&name, "a name no other variant has", err);
    }
    *n = f.v->n;
    return 0;
}

/* Take *slot's node out of its tree (the tree keeps a null in its place). */
static struct node *take(struct node **slot)
{
    struct node *v = *slot;
    *slot = yt_scalar_new("", 0, true, v->at);
    return v;
}

/*
 * Merge a variant's mapping into the base's: its keys replace the base's
 * (an alternative such as load for rate is dropped), and a new dist drops
 * the base's whole shape but keeps its rate, load or mean. The merged
 * mapping is the variant's doing, so it takes the variant's origin: what is
 * said of it as a whole (a key missing, a law without a rate) points there.
 */
static void merge_map(struct node *base, const struct node *key, struct node *var)
{
    base->at = var->at;
    if (yt_map_slot(var, "dist", 4) != NULL)
        for (size_t i = 0; i + 1 < base->n;) {
            const struct node *k = base->kids[i];
            if (k->kind == NODE_SCALAR && yt_find_name(rate_axis_keys, k->text, k->len) != NULL) {
                i += 2;
                continue;
            }
            /* drop pair i in place: map_remove would free k while still comparing with it */
            yt_node_free(base->kids[i]);
            yt_node_free(base->kids[i + 1]);
            memmove(&base->kids[i], &base->kids[i + 2], (base->n - i - 2) * sizeof *base->kids);
            base->n -= 2;
        }
    for (size_t i = 0; i + 1 < var->n; i += 2) {
        const struct node *k = var->kids[i];
        if (k->kind != NODE_SCALAR) { /* no key name (its keys are unchecked): check_keys says so */
            yt_node_push(base, take(&var->kids[i]));
            yt_node_push(base, take(&var->kids[i + 1]));
            continue;
        }
        drop_alternative(base, key->text, key->len, k->text, k->len);
        yt_map_set(base, k->text, k->len, take(&var->kids[i + 1]), k->at);
    }
}

/* Does a variant's mapping fix the whole law, rate included (a trace, a schedule, service
 * replayed from the trace)? It then replaces the base's mapping instead of merging into it. */
static bool replaces_whole(struct node *var)
{
    struct node **dist = yt_map_slot(var, "dist", 4);
    return yt_map_slot(var, "trace", 5) != NULL || yt_map_slot(var, "schedule", 8) != NULL ||
           (dist != NULL && yt_text_is(*dist, "trace", 5));
}

/* Put variant number i's keys on top of the base (checked by check_variants) and drop the list. */
void scn_apply_variant(struct node *root, size_t i, char *name, size_t name_size)
{
    struct node *var = (*yt_map_slot(root, "variants", 8))->kids[i];
    for (size_t j = 0; j + 1 < var->n; j += 2) {
        const struct node *k = var->kids[j];
        struct node *v = var->kids[j + 1];
        struct node **base = yt_map_slot(root, k->text, k->len);
        if (yt_text_is(k, "staffing", 8)) /* a staffing schedule replaces the workers */
            yt_map_remove(root, "workers", 7);
        if (yt_text_is(k, "workers", 7)) /* and workers replace a staffing schedule */
            yt_map_remove(root, "staffing", 8);
        if (yt_text_is(k, "name", 4))
            snprintf(name, name_size, "%s", v->text);
        else if (v->kind == NODE_MAP && base != NULL && (*base)->kind == NODE_MAP &&
                 !replaces_whole(v))
            merge_map(*base, k, v);
        else
            yt_map_set(root, k->text, k->len, take(&var->kids[j + 1]), k->at);
    }
    yt_map_remove(root, "variants", 8);
}

/*
 * Before a variant merges into it, every key of the base's mappings must be
 * known: a merge may drop keys (a new dist drops the shape's), and a misspelt
 * one must not vanish with them.
 */
int scn_check_base_keys(struct node *root, struct mmc_error *err)
{
    for (size_t i = 0; i < sizeof scn_sub_levels / sizeof scn_sub_levels[0]; i++) {
        struct node **v = yt_map_slot(root, scn_sub_levels[i].key, strlen(scn_sub_levels[i].key));
        if (v != NULL && (*v)->kind == NODE_MAP &&
            scn_check_keys(*v, scn_sub_levels[i].key, scn_sub_levels[i].sub, err) < 0)
            return -1;
    }
    return 0;
}
