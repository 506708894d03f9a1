/*
 * test_fmt.c - shortest round-trip number formatting.
 */
#include "fmt.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>

START_TEST(shortest_forms)
{
    char b[MMC_FMT_DOUBLE_MAX];
    ck_assert_str_eq(mmc_fmt_double(b, sizeof b, 0.1), "0.1");
    ck_assert_str_eq(mmc_fmt_double(b, sizeof b, 8.1), "8.1");
    ck_assert_str_eq(mmc_fmt_double(b, sizeof b, 45), "45");
    ck_assert_str_eq(mmc_fmt_double(b, sizeof b, 50), "50");
    ck_assert_str_eq(mmc_fmt_double(b, sizeof b, 1000), "1000");
    ck_assert_str_eq(mmc_fmt_double(b, sizeof b, 100000), "100000");
    ck_assert_str_eq(mmc_fmt_double(b, sizeof b, -2e6), "-2000000");
    ck_assert_str_eq(mmc_fmt_double(b, sizeof b, 0.0005), "0.0005");
    ck_assert_str_eq(mmc_fmt_double(b, sizeof b, 1e20), "1e+20");
    ck_assert_str_eq(mmc_fmt_double(b, sizeof b, 1e-300), "1e-300");
    ck_assert_str_eq(mmc_fmt_double(b, sizeof b, 0.1 + 0.2), "0.30000000000000004");
    ck_assert_str_eq(mmc_fmt_double(b, sizeof b, NAN), "nan");
    ck_assert_str_eq(mmc_fmt_double(b, sizeof b, -INFINITY), "-inf");
}
END_TEST

START_TEST(every_value_round_trips)
{
    char b[MMC_FMT_DOUBLE_MAX];
    unsigned long long x = 88172645463325252ULL;
    for (int i = 0; i < 100000; i++) {
        /* xorshift bits reinterpreted as doubles: every exponent and mantissa pattern */
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        union {
            unsigned long long u;
            double d;
        } v = {x};
        if (!isfinite(v.d))
            continue;
        ck_assert(strtod(mmc_fmt_double(b, sizeof b, v.d), NULL) == v.d);
    }
}
END_TEST

Suite *fmt_suite(void)
{
    Suite *s = suite_create("fmt");
    TCase *tc = tcase_create("shortest round trip");
    tcase_add_test(tc, shortest_forms);
    tcase_add_test(tc, every_value_round_trips);
    suite_add_tcase(s, tc);
    return s;
}
