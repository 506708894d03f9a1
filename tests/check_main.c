/*
 * check_main.c - runs every module's Check suite.
 *
 * MMC_TEST_SCALE=valgrind shortens the statistical suites (they check the
 * same properties on fewer tasks) so that the valgrind pass stays quick.
 */
#include <check.h>
#include <stdlib.h>

#include "suites.h"

int main(void)
{
    SRunner *sr = srunner_create(NULL);
    for (size_t i = 0; mmc_test_suites[i] != NULL; i++)
        srunner_add_suite(sr, mmc_test_suites[i]());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
