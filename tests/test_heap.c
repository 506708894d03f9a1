/*
 * test_heap.c - the event calendar: order, ties, growth.
 */
#include "heap.h"

#include <check.h>
#include <gsl/gsl_rng.h>

START_TEST(pops_in_time_order)
{
    struct mmc_heap h;
    mmc_heap_init(&h, 1);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    for (uint32_t i = 0; i < 10000; i++)
        mmc_heap_push(&h, gsl_rng_uniform(r), 0, i);
    ck_assert_uint_eq(mmc_heap_count(&h), 10000);
    double last = -1.0;
    while (!mmc_heap_is_empty(&h)) {
        struct mmc_event e = mmc_heap_pop(&h);
        ck_assert(e.t >= last);
        last = e.t;
    }
    gsl_rng_free(r);
    mmc_heap_fini(&h);
}
END_TEST

START_TEST(ties_pop_in_insertion_order)
{
    struct mmc_heap h;
    mmc_heap_init(&h, 4);
    /* 3 distinct times, 50 events each, pushed interleaved */
    for (uint32_t i = 0; i < 150; i++)
        mmc_heap_push(&h, (double)(i % 3), i % 3, i);
    for (uint32_t t = 0; t < 3; t++) {
        uint32_t prev = 0;
        for (int k = 0; k < 50; k++) {
            struct mmc_event e = mmc_heap_pop(&h);
            ck_assert_double_eq(e.t, (double)t);
            if (k > 0)
                ck_assert_uint_gt(e.arg, prev);
            prev = e.arg;
        }
    }
    ck_assert(mmc_heap_is_empty(&h));
    mmc_heap_fini(&h);
}
END_TEST

START_TEST(interleaved_push_pop_matches_sorted_order)
{
    struct mmc_heap h;
    mmc_heap_init(&h, 2);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 11);
    double now = 0.0;
    uint64_t popped = 0;
    for (int i = 0; i < 4; i++)
        mmc_heap_push(&h, gsl_rng_uniform(r), 0, 0);
    /* a simulation-like pattern: pop one, push one or two later events */
    while (popped < 100000) {
        struct mmc_event e = mmc_heap_pop(&h);
        ck_assert(e.t >= now);
        now = e.t;
        popped++;
        mmc_heap_push(&h, now + gsl_rng_uniform(r), 0, 0);
        if (gsl_rng_uniform(r) < 0.01 && mmc_heap_count(&h) < 64)
            mmc_heap_push(&h, now + gsl_rng_uniform(r), 0, 0);
    }
    gsl_rng_free(r);
    mmc_heap_fini(&h);
}
END_TEST

START_TEST(peek_is_next_pop_and_reset_empties)
{
    struct mmc_heap h;
    mmc_heap_init(&h, 8);
    mmc_heap_push(&h, 2.0, 1, 1);
    mmc_heap_push(&h, 1.0, 2, 2);
    ck_assert_double_eq(mmc_heap_peek(&h)->t, 1.0);
    ck_assert_uint_eq(mmc_heap_pop(&h).kind, 2);
    mmc_heap_reset(&h);
    ck_assert(mmc_heap_is_empty(&h));
    mmc_heap_push(&h, 5.0, 3, 3);
    ck_assert_uint_eq(mmc_heap_peek(&h)->seq, 0);
    mmc_heap_fini(&h);
}
END_TEST

Suite *heap_suite(void)
{
    Suite *s = suite_create("heap");
    TCase *tc = tcase_create("order");
    tcase_add_test(tc, pops_in_time_order);
    tcase_add_test(tc, ties_pop_in_insertion_order);
    tcase_add_test(tc, interleaved_push_pop_matches_sorted_order);
    tcase_add_test(tc, peek_is_next_pop_and_reset_empties);
    suite_add_tcase(s, tc);
    return s;
}
