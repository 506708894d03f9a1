/*
 * error.h - bad-input errors carried from library code to main, and fatal
 * allocation helpers.
 *
 * Library code never prints or exits for bad input: it fills a caller-owned
 * struct mmc_error (first error wins) and returns -1. main prints one line,
 * "file:line:col: message", and exits 2. Lines and columns are 1-based; 0
 * means "not applicable" and is omitted when printed.
 *
 * Allocation failure is not bad input: mmc_x* print and exit(1).
 * Thread-safety: all functions are reentrant; an error struct belongs to one
 * thread.
 */
#ifndef MMC_ERROR_H
#define MMC_ERROR_H

#include <stdbool.h>
#include <stddef.h>

#define MMC_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define MMC_LIKELY(x) __builtin_expect(!!(x), 1)

struct mmc_error {
    char file[256];
    int line, col;
    char msg[512];
};

/* Record an error unless one is already set (the first error wins). */
void mmc_error_set(struct mmc_error *err, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* True when err holds an error. */
bool mmc_error_is_set(const struct mmc_error *err);

/* Format "file:line:col: msg" (parts that are empty or 0 left out) into buf. */
void mmc_error_format(const struct mmc_error *err, char *buf, size_t size);

/* Overflow-checked allocation; on failure print "mmcsim: out of memory" and exit(1). */
void *mmc_xmalloc(size_t n, size_t size);
void *mmc_xcalloc(size_t n, size_t size);
void *mmc_xrealloc(void *p, size_t n, size_t size);
/* strdup that never returns NULL. */
char *mmc_xstrdup(const char *s);

#endif
