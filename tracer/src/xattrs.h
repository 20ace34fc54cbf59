/* Extended attributes of one entry, read by helper.c for index.c and tarout.c. */
#ifndef XATTRS_H
#define XATTRS_H

#include <stddef.h>

#define XATTR_MAX_COUNT 64
#define XATTR_LIST_MAX_BYTES 65536
#define XATTR_VALUE_MAX_BYTES 65536

struct xattrs {
    char *names;            /* the kernel's NUL-separated list */
    size_t names_len;
    unsigned char *values;  /* the values, one after another */
    size_t values_len;
    size_t count;
    size_t key[XATTR_MAX_COUNT];   /* offsets into names */
    size_t value[XATTR_MAX_COUNT]; /* offsets into values */
    size_t value_len[XATTR_MAX_COUNT];
};

int xattrs_read(const char *name, struct xattrs *x);
void xattrs_free(struct xattrs *x);
int helper_wait(int argc, char **argv);

#endif
