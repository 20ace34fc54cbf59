/*
 * What the helper modes share: the buffered writer, the extended attributes
 * of a name in the current directory, and `tracer wait`.
 */
#include "helper.h"
#include "xattrs.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

static void write_all(struct out *o, const unsigned char *p, size_t n) {
    size_t done = 0;
    while (!o->failed && done < n) {
        ssize_t w = write(o->fd, p + done, n - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            o->failed = 1;
            break;
        }
        done += (size_t)w;
    }
}

static void frame_header(struct out *o, unsigned char kind, uint32_t n) {
    unsigned char h[8] = {kind, 0, 0, 0, (unsigned char)(n >> 24), (unsigned char)(n >> 16),
                          (unsigned char)(n >> 8), (unsigned char)n};
    write_all(o, h, sizeof(h));
}

void out_flush(struct out *o) {
    if (o->len > 0 && o->framed) frame_header(o, 'D', (uint32_t)o->len);
    write_all(o, o->buf, o->len);
    o->len = 0;
}

void out_end_frame(struct out *o, unsigned status) {
    out_flush(o);
    frame_header(o, 'E', status);
}

void out_bytes(struct out *o, const void *p, size_t n) {
    const unsigned char *s = p;
    while (n > 0) {
        if (o->len == sizeof(o->buf)) out_flush(o);
        if (o->failed) return;
        size_t k = sizeof(o->buf) - o->len;
        if (k > n) k = n;
        memcpy(o->buf + o->len, s, k);
        o->len += k;
        s += k;
        n -= k;
    }
}

void xattrs_free(struct xattrs *x) {
    free(x->names);
    free(x->values);
    memset(x, 0, sizeof(*x));
}

/* Every extended attribute of NAME (in the current directory, not following
 * a symlink) that this process may read, in the order the kernel lists them.
 * Returns 0, or -1 with errno when the list itself cannot be read (ENOTSUP
 * counts as none). */
int xattrs_read(const char *name, struct xattrs *x) {
    memset(x, 0, sizeof(*x));
    ssize_t n = llistxattr(name, NULL, 0);
    if (n < 0) return (errno == ENOTSUP || errno == ENODATA) ? 0 : -1;
    if (n == 0) return 0;
    if (n > XATTR_LIST_MAX_BYTES) {
        errno = E2BIG;
        return -1;
    }
    x->names = malloc((size_t)n);
    if (!x->names) return -1;
    n = llistxattr(name, x->names, (size_t)n);
    if (n < 0) {
        xattrs_free(x);
        return -1;
    }
    x->names_len = (size_t)n;
    for (size_t pos = 0; pos < x->names_len; pos += strlen(x->names + pos) + 1) {
        const char *key = x->names + pos;
        ssize_t v = lgetxattr(name, key, NULL, 0);
        if (v < 0) continue; /* gone, or not ours to read: skipped */
        if (x->count == XATTR_MAX_COUNT || (size_t)v > XATTR_VALUE_MAX_BYTES) {
            errno = E2BIG;
            xattrs_free(x);
            return -1;
        }
        unsigned char *grown = realloc(x->values, x->values_len + (size_t)v + 1);
        if (!grown) {
            xattrs_free(x);
            return -1;
        }
        x->values = grown;
        v = lgetxattr(name, key, x->values + x->values_len, (size_t)v);
        if (v < 0) continue;
        x->key[x->count] = pos;
        x->value[x->count] = x->values_len;
        x->value_len[x->count] = (size_t)v;
        x->values_len += (size_t)v;
        x->count++;
    }
    return 0;
}

/* `tracer wait [SECONDS]`: the entrypoint of a helper container, which the
 * engine's exec then runs index and tar in. Ends after SECONDS (default one
 * hour, so a container left behind does not idle for ever) or on a signal. */
int helper_wait(int argc, char **argv) {
    long seconds = 3600;
    if (argc > 2) {
        char *end;
        errno = 0;
        seconds = strtol(argv[2], &end, 10);
        if (errno || *end || seconds < 1) {
            fputs("usage: tracer wait [SECONDS]\n", stderr);
            return 2;
        }
    }
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    struct timespec left = {seconds, 0};
    while (nanosleep(&left, &left) < 0 && errno == EINTR) {
    }
    return 0;
}
