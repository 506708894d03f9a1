/*
 * ref_draws.c - the reference run for `make bench`: the bare cost of the
 * random draws an M/M/c simulation of n tasks cannot avoid (one
 * inter-arrival and one service time per task, GSL mt19937, inverse
 * transform), with no queue and no event calendar. Timing mmcsim against
 * this in the same invocation gives a ratio that machine noise mostly
 * cancels out of. Usage: ref_draws N_TASKS
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 2)
        return 1;
    unsigned long long n = strtoull(argv[1], NULL, 10);
    gsl_rng *a = gsl_rng_alloc(gsl_rng_mt19937), *s = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(a, 1);
    gsl_rng_set(s, 2);
    double sum = 0.0;
    for (unsigned long long i = 0; i < n; i++)
        sum += gsl_ran_exponential(a, 1.0) + gsl_ran_exponential(s, 0.25);
    printf("%.6f\n", sum / (double)n); /* keeps the loop from being optimised away */
    gsl_rng_free(a);
    gsl_rng_free(s);
    return 0;
}
