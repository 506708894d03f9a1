/*
 * error.c - first-error-wins error records and fatal allocation.
 */
#include "error.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mmc_error_set(struct mmc_error *err, const char *file, int line, int col, const char *fmt, ...)
{
    if (err == NULL || mmc_error_is_set(err))
        return;
    va_list ap;
    va_start(ap, fmt);
    /* va_start above initialises ap; clang-analyzer 14 loses track of it across
       callers that build the format from static strings (false positive) */
    vsnprintf(err->msg, sizeof err->msg, fmt, ap); /* NOLINT(clang-analyzer-valist.Uninitialized) */
    va_end(ap);
    snprintf(err->file, sizeof err->file, "%s", file != NULL ? file : "");
    err->line = line;
    err->col = col;
    if (err->msg[0] == '\0')
        snprintf(err->msg, sizeof err->msg, "error");
}

bool mmc_error_is_set(const struct mmc_error *err)
{
    return err->msg[0] != '\0';
}

void mmc_error_format(const struct mmc_error *err, char *buf, size_t size)
{
    if (err->file[0] == '\0')
        snprintf(buf, size, "%s", err->msg);
    else if (err->line <= 0)
        snprintf(buf, size, "%s: %s", err->file, err->msg);
    else if (err->col <= 0)
        snprintf(buf, size, "%s:%d: %s", err->file, err->line, err->msg);
    else
        snprintf(buf, size, "%s:%d:%d: %s", err->file, err->line, err->col, err->msg);
}

static void oom(void)
{
    fputs("mmcsim: out of memory\n", stderr);
    exit(1);
}

void *mmc_xmalloc(size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        oom();
    size_t bytes = n * size;
    void *p = malloc(bytes != 0 ? bytes : 1);
    if (p == NULL)
        oom();
    return p;
}

void *mmc_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (p == NULL)
        oom();
    return p;
}

void *mmc_xrealloc(void *p, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        oom();
    size_t bytes = n * size;
    void *q = realloc(p, bytes != 0 ? bytes : 1);
    if (q == NULL)
        oom();
    return q;
}

char *mmc_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = mmc_xmalloc(n, 1);
    memcpy(p, s, n);
    return p;
}
