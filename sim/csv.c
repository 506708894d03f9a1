/*
 * csv.c - numeric CSV files, line by line.
 *
 * getline keeps one growing buffer for the whole file; a line is split in
 * place (commas and trailing white space overwritten by NULs), so a field
 * costs no allocation. Only the first MMC_CSV_MAX_FIELDS fields are kept, but
 * all are counted, so that a callback can reject a line with too many.
 *
 * No state outside the arguments.
 */
#include "csv.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum mmc_csv_number mmc_csv_number(const char *field, double *v)
{
    char *end;
    double x = strtod(field, &end);
    if (end == field || *end != '\0')
        return MMC_CSV_NOT_NUMBER;
    /* "nan" and "inf" parse, and overflow gives HUGE_VAL (= inf); ERANGE on underflow gives a
       tiny or zero value, which is a fine number */
    if (!isfinite(x))
        return MMC_CSV_NOT_FINITE;
    *v = x + 0.0; /* -0 becomes +0 */
    return MMC_CSV_NUMBER;
}

void mmc_csv_expected(char *why, size_t why_len, const char *what, const char *field)
{
    char shown[4 * 40 + 1]; /* the first 40 bytes, control bytes escaped: one line */
    size_t o = 0, i = 0;
    for (; i < 40 && field[i] != '\0'; i++) {
        unsigned char c = (unsigned char)field[i];
        if (c < 0x20 || c == 0x7F)
            o += (size_t)snprintf(shown + o, sizeof shown - o, "\\x%02x", c);
        else
            shown[o++] = (char)c;
    }
    shown[o] = '\0';
    snprintf(why, why_len, "expected %s, got \"%s%s\"", what, shown, field[i] != '\0' ? "..." : "");
}

/* Split text at commas into trimmed fields, keeping the first MMC_CSV_MAX_FIELDS; the count. */
static size_t split(char *text, const char *field[MMC_CSV_MAX_FIELDS])
{
    size_t n = 0;
    for (;;) {
        while (isspace((unsigned char)*text))
            text++;
        char *sep = text + strcspn(text, ",");
        bool more = *sep == ',';
        char *end = sep;
        while (end > text && isspace((unsigned char)end[-1]))
            end--; /* the line end too: getline keeps it */
        *end = '\0';
        if (n < MMC_CSV_MAX_FIELDS)
            field[n] = text;
        n++;
        if (!more)
            return n;
        text = sep + 1;
    }
}

/* Reader state of one file. */
struct reader {
    FILE *f;
    char *text;
    size_t cap;
    unsigned long line;
    bool seen_data; /* a non-blank, non-comment line has been read (so no more headers) */
};

/* Hand the line in rd->text to take unless it is blank, a comment or the header. */
static int take_line(struct reader *rd, mmc_csv_line_fn *take, void *ctx, char *why, size_t why_len)
{
    const char *lead = rd->text + strspn(rd->text, " \t\r\n\v\f");
    if (*lead == '\0' || *lead == '#')
        return 0;
    const char *field[MMC_CSV_MAX_FIELDS];
    size_t n = split(rd->text, field);
    bool first = !rd->seen_data;
    rd->seen_data = true;
    double x;
    if (first && mmc_csv_number(field[0], &x) == MMC_CSV_NOT_NUMBER)
        return 0;
    return take(ctx, field, n, why, why_len);
}

int mmc_csv_read(const char *path, mmc_csv_line_fn *take, void *ctx, unsigned long *line, char *why,
                 size_t why_len)
{
    *line = 0;
    struct reader rd = {.f = fopen(path, "r")};
    struct stat st;
    if (rd.f == NULL) {
        strerror_r(errno, why, why_len);
        return -1;
    }
    /* a device (/dev/zero, /dev/urandom, a terminal) never ends: files and pipes only */
    if (fstat(fileno(rd.f), &st) == 0 && (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))) {
        snprintf(why, why_len, "a device, not a file");
        fclose(rd.f);
        return -1;
    }
    int rc = 0;
    while (rc == 0 && getline(&rd.text, &rd.cap, rd.f) >= 0) {
        rd.line++;
        rc = take_line(&rd, take, ctx, why, why_len);
    }
    if (rc == 0 && ferror(rd.f)) {
        strerror_r(errno, why, why_len);
        rd.line = 0;
        rc = -1;
    }
    free(rd.text);
    fclose(rd.f); /* read-only: nothing to lose on close */
    if (rc != 0)
        *line = rd.line;
    return rc;
}
