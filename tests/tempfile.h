/*
 * tempfile.h - a text written to a new file under /tmp, for the suites that
 * read files (sample files, traces, scenarios). The caller removes the file
 * (remove or unlink) when done; a failed assertion leaves it behind, like
 * any temporary file of a crashed test.
 */
#ifndef MMC_TEST_TEMPFILE_H
#define MMC_TEST_TEMPFILE_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Enough for every path temp_file makes. */
#define TEMP_PATH_SIZE 64

/* Write text to a new file /tmp/mmcsim_test_XXXXXX; its absolute path goes to path (size bytes,
 * at least TEMP_PATH_SIZE). */
static inline void temp_file(char *path, size_t size, const char *text)
{
    ck_assert_uint_ge(size, TEMP_PATH_SIZE);
    snprintf(path, size, "/tmp/mmcsim_test_XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    size_t len = strlen(text), done = 0;
    while (done < len) {
        ssize_t n = write(fd, text + done, len - done);
        ck_assert_int_gt(n, 0);
        done += (size_t)n;
    }
    ck_assert_int_eq(close(fd), 0);
}

#endif
