/*
 * csv.h - the one reader of numeric CSV files (sample files, arrival traces).
 *
 * A file is read line by line; each line is split at commas into fields
 * trimmed of white space (so CRLF line ends are fine). Blank lines and lines
 * whose first non-blank character is '#' are skipped. The first remaining
 * line is a header, and skipped, when its first field is not a number; every
 * later line is data, handed to a callback that parses and keeps what it
 * needs. Numbers are whatever strtod takes in full.
 *
 * Ownership: fields point into the reader's line buffer and live only for
 * the callback. Thread-safety: reentrant; no state outside the arguments.
 */
#ifndef MMC_CSV_H
#define MMC_CSV_H

#include <stddef.h>

/* Fields of a line handed to a callback; a line may have more (it is told how many). */
#define MMC_CSV_MAX_FIELDS 8

/* What a field holds, as parsed by mmc_csv_number. */
enum mmc_csv_number {
    MMC_CSV_NUMBER,
    MMC_CSV_NOT_NUMBER, /* not a number at all, or with trailing text */
    MMC_CSV_NOT_FINITE, /* "inf", "nan", or overflowing */
};

/*
 * Take one data line: field[0 .. min(n_fields, MMC_CSV_MAX_FIELDS) - 1] (n_fields >= 1; an empty
 * line part gives an empty field). Returns 0, or -1 with a message in why to stop the read.
 */
typedef int mmc_csv_line_fn(void *ctx, const char *const field[], size_t n_fields, char *why,
                            size_t why_len);

/*
 * Read path, calling take(ctx, ...) on each data line in order. Returns 0 when every line was
 * taken, else -1 with a message in why and *line = the 1-based line at fault: the line take
 * refused, or 0 when the file cannot be opened or read (why from strerror).
 */
int mmc_csv_read(const char *path, mmc_csv_line_fn *take, void *ctx, unsigned long *line, char *why,
                 size_t why_len);

/* Parse field (whole, already trimmed) into *v (-0 made +0); *v is set only for MMC_CSV_NUMBER. */
enum mmc_csv_number mmc_csv_number(const char *field, double *v);

/* Write "expected <what>, got \"<field>\"" into why, the field cut at 40 characters. */
void mmc_csv_expected(char *why, size_t why_len, const char *what, const char *field);

#endif
