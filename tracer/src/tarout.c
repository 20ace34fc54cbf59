/*
 * `tracer tar [--root DIR] [--from FILE | -- PATH...]`: a tar stream on stdout
 * of the paths given as arguments after `--`, or else listed in FILE (default
 * stdin), NUL-separated; absolute as seen from
 * DIR (default /), in the order given. Each path is one entry of its own, as
 * lstat sees it (a symlink is not followed, a hard link is written as a file
 * with its content): ustar headers, with a PAX header before one whose path or
 * link target does not fit, whose size, uid or gid is too large for ustar's
 * octal fields, whose mtime has nanoseconds, or that has extended attributes
 * (SCHILY.xattr.NAME, the value's bytes as they are). Every component of a
 * path is opened with O_NOFOLLOW, relative to the one before, so no symlink
 * on the way is followed and paths longer than PATH_MAX work.
 *
 * A path that cannot be read is said on stderr, left out of the stream, and
 * makes the exit status 1; the stream itself is always complete (the two
 * zero blocks at its end) unless writing it fails (exit status 2).
 *
 * `tracer serve [--root DIR]` is the same for one exec that lasts, so a batch
 * costs no exec of its own: each request on stdin is NUL-terminated paths
 * ended by an empty one (a lone NUL); each answer on stdout is the stream
 * `tracer tar` would write for them, framed (helper.h: 'D' frames of it, then
 * an 'E' frame with the status `tracer tar` would exit with, 0 or 1). It ends
 * with 0 at the end of stdin (2 if that cuts a request short), with 2 when
 * reading or writing fails.
 */
#include "helper.h"
#include "xattrs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define MAX_LIST_BYTES (64L << 20)
#define PAX_MAX_BYTES (1 << 20)

struct tw {
    struct out out;
    int root;
    char dir[HELPER_MAX_PATH]; /* the directory open as dirfd, "" for none */
    int dirfd;
    int errors;
    char pax[PAX_MAX_BYTES];
    size_t pax_len;
};

static void complain(struct tw *t, const char *what, const char *path) {
    fprintf(stderr, "tracer tar: %s %s: %s\n", what, path, strerror(errno));
    t->errors = 1;
}

/* The directory holding PATH opened (O_PATH) as t->dirfd, and the last
 * component in *NAME; -1 when a component cannot be opened. */
static int open_parent(struct tw *t, const char *path, const char **name) {
    const char *slash = strrchr(path, '/');
    size_t dlen = (size_t)(slash - path);
    *name = slash[1] ? slash + 1 : ".";
    if (t->dirfd >= 0 && strlen(t->dir) == dlen && !memcmp(t->dir, path, dlen)) return 0;
    if (t->dirfd >= 0 && t->dirfd != t->root) close(t->dirfd);
    t->dirfd = -1;
    int fd = t->root;
    for (const char *p = path + 1; p < slash;) {
        const char *end = memchr(p, '/', (size_t)(slash - p));
        if (!end) end = slash;
        char part[256];
        size_t n = (size_t)(end - p);
        if (n == 0 || n >= sizeof(part)) {
            errno = ENAMETOOLONG;
            if (fd != t->root) close(fd);
            return -1;
        }
        memcpy(part, p, n);
        part[n] = 0;
        int next = openat(fd, part, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd != t->root) close(fd);
        if (next < 0) return -1;
        fd = next;
        p = end + 1;
    }
    t->dirfd = fd;
    memcpy(t->dir, path, dlen);
    t->dir[dlen] = 0;
    return 0;
}

static void octal(char *field, size_t width, unsigned long long v) {
    snprintf(field, width, "%0*llo", (int)(width - 1), v);
}

static int fits(unsigned long long v, size_t width) {
    return v < (1ULL << (3 * (width - 1)));
}

static void pax_add(struct tw *t, const char *key, const char *value, size_t vlen) {
    size_t body = strlen(key) + vlen + 3; /* ' ', '=', '\n' */
    size_t len = body + 1;
    for (char digits[24]; (size_t)snprintf(digits, sizeof(digits), "%zu", len) + body != len;)
        len = (size_t)snprintf(digits, sizeof(digits), "%zu", len) + body;
    if (t->pax_len + len > sizeof(t->pax)) return;
    int n = snprintf(t->pax + t->pax_len, sizeof(t->pax) - t->pax_len, "%zu %s=", len, key);
    memcpy(t->pax + t->pax_len + n, value, vlen);
    t->pax[t->pax_len + len - 1] = '\n';
    t->pax_len += len;
}

static void pad(struct tw *t, unsigned long long n) {
    static const char zeros[512];
    if (n % 512) out_bytes(&t->out, zeros, 512 - n % 512);
}

static void header(struct tw *t, const char *name, char type, const struct stat *st, unsigned long long size,
                   const char *link) {
    char h[512];
    memset(h, 0, sizeof(h));
    strncpy(h, name, 100);
    octal(h + 100, 8, st->st_mode & 07777);
    octal(h + 108, 8, fits(st->st_uid, 8) ? st->st_uid : 0);
    octal(h + 116, 8, fits(st->st_gid, 8) ? st->st_gid : 0);
    octal(h + 124, 12, fits(size, 12) ? size : 0);
    octal(h + 136, 12, st->st_mtim.tv_sec > 0 && fits((unsigned long long)st->st_mtim.tv_sec, 12) ? (unsigned long long)st->st_mtim.tv_sec : 0);
    h[156] = type;
    strncpy(h + 157, link, 100);
    memcpy(h + 257, "ustar\0" "00", 8);
    if (type == '3' || type == '4') {
        octal(h + 329, 8, major(st->st_rdev));
        octal(h + 337, 8, minor(st->st_rdev));
    }
    memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (size_t i = 0; i < sizeof(h); i++) sum += (unsigned char)h[i];
    snprintf(h + 148, 8, "%06o", sum);
    out_bytes(&t->out, h, sizeof(h));
}

/* Copies SIZE bytes of FD, zeros for what is missing (a file that shrank). */
static void content(struct tw *t, int fd, unsigned long long size, const char *path) {
    unsigned long long left = size;
    while (left > 0 && !t->out.failed) {
        if (t->out.len == sizeof(t->out.buf)) out_flush(&t->out);
        size_t room = sizeof(t->out.buf) - t->out.len;
        ssize_t r = read(fd, t->out.buf + t->out.len, room < left ? room : (size_t)left);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            if (r == 0) errno = EIO;
            complain(t, "short read of", path);
            static const char zeros[4096];
            for (; left > 0; left -= left < sizeof(zeros) ? left : sizeof(zeros))
                out_bytes(&t->out, zeros, left < sizeof(zeros) ? (size_t)left : sizeof(zeros));
            break;
        }
        t->out.len += (size_t)r;
        left -= (unsigned long long)r;
    }
    pad(t, size);
}

static void entry(struct tw *t, const char *path) {
    const char *name;
    struct stat st;
    if (path[0] != '/') {
        errno = EINVAL;
        complain(t, "not an absolute path:", path);
        return;
    }
    if (open_parent(t, path, &name) < 0 || fstatat(t->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
        complain(t, "cannot stat", path);
        return;
    }
    char type;
    switch (st.st_mode & S_IFMT) {
    case S_IFREG: type = '0'; break;
    case S_IFDIR: type = '5'; break;
    case S_IFLNK: type = '2'; break;
    case S_IFCHR: type = '3'; break;
    case S_IFBLK: type = '4'; break;
    case S_IFIFO: type = '6'; break;
    default:
        errno = EINVAL;
        complain(t, "not a file, directory, link, device or FIFO:", path);
        return;
    }
    static char link[HELPER_MAX_PATH];
    ssize_t link_len = 0;
    if (type == '2' && (link_len = readlinkat(t->dirfd, name, link, sizeof(link) - 1)) < 0) {
        complain(t, "cannot read the link", path);
        return;
    }
    link[link_len] = 0;
    int fd = -1;
    if (type == '0' && (fd = openat(t->dirfd, name, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC)) < 0) {
        complain(t, "cannot open", path);
        return;
    }
    static char tname[HELPER_MAX_PATH + 2];
    snprintf(tname, sizeof(tname), "%s%s", path[1] ? path + 1 : ".", type == '5' ? "/" : "");
    unsigned long long size = type == '0' ? (unsigned long long)st.st_size : 0;
    t->pax_len = 0;
    if (strlen(tname) > 100) pax_add(t, "path", tname, strlen(tname));
    if (link_len > 100) pax_add(t, "linkpath", link, (size_t)link_len);
    char num[48];
    if (!fits(size, 12)) pax_add(t, "size", num, (size_t)snprintf(num, sizeof(num), "%llu", size));
    if (!fits(st.st_uid, 8)) pax_add(t, "uid", num, (size_t)snprintf(num, sizeof(num), "%u", st.st_uid));
    if (!fits(st.st_gid, 8)) pax_add(t, "gid", num, (size_t)snprintf(num, sizeof(num), "%u", st.st_gid));
    if (st.st_mtim.tv_nsec || st.st_mtim.tv_sec < 0)
        pax_add(t, "mtime", num,
                (size_t)snprintf(num, sizeof(num), "%lld.%09ld", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec));
    struct xattrs x = {0};
    if (type != '2' && (fchdir(t->dirfd) < 0 || xattrs_read(name, &x) < 0)) complain(t, "cannot list the xattrs of", path);
    for (size_t i = 0; i < x.count; i++) {
        char key[300];
        snprintf(key, sizeof(key), "SCHILY.xattr.%s", x.names + x.key[i]);
        pax_add(t, key, (const char *)x.values + x.value[i], x.value_len[i]);
    }
    xattrs_free(&x);
    if (t->pax_len > 0) {
        struct stat pst = st;
        pst.st_mode = 0644;
        header(t, "././@PaxHeader", 'x', &pst, t->pax_len, "");
        out_bytes(&t->out, t->pax, t->pax_len);
        pad(t, t->pax_len);
    }
    header(t, tname, type, &st, size, link);
    if (fd >= 0) {
        content(t, fd, size, path);
        close(fd);
    }
}

/* The end of the stream (two zero blocks); the exit status. */
static int finish(struct tw *t) {
    static const char end[1024];
    out_bytes(&t->out, end, sizeof(end));
    out_flush(&t->out);
    if (t->out.failed) {
        fprintf(stderr, "tracer tar: writing the stream: %s\n", strerror(errno));
        return 2;
    }
    return t->errors;
}

int helper_tar(int argc, char **argv) {
    static struct tw t;
    const char *root = "/", *from = NULL;
    int args = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            args = i + 1;
            break;
        } else if (!strcmp(argv[i], "--root") && i + 1 < argc) root = argv[++i];
        else if (!strcmp(argv[i], "--from") && i + 1 < argc) from = argv[++i];
        else {
            fputs("usage: tracer tar [--root DIR] [--from FILE | -- PATH...]\n", stderr);
            return 2;
        }
    }
    t.root = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (t.root < 0) {
        fprintf(stderr, "tracer tar: cannot open %s: %s\n", root, strerror(errno));
        return 2;
    }
    t.out.fd = 1;
    t.dirfd = -1;
    if (args) {
        for (int i = args; i < argc && !t.out.failed; i++)
            if (argv[i][0]) entry(&t, argv[i]);
        return finish(&t);
    }
    int in = from ? open(from, O_RDONLY | O_CLOEXEC) : 0;
    if (in < 0) {
        fprintf(stderr, "tracer tar: cannot open %s: %s\n", from, strerror(errno));
        return 2;
    }
    size_t len = 0, cap = 1 << 16;
    char *list = malloc(cap + 1);
    for (ssize_t r; list; len += (size_t)r) {
        if (len == cap) {
            if (cap >= MAX_LIST_BYTES) {
                fprintf(stderr, "tracer tar: the list of paths is longer than %ld bytes\n", MAX_LIST_BYTES);
                return 2;
            }
            cap *= 2;
            char *grown = realloc(list, cap + 1);
            if (!grown) abort();
            list = grown;
        }
        r = read(in, list + len, cap - len);
        if (r < 0 && errno == EINTR) r = 0;
        else if (r < 0) {
            fprintf(stderr, "tracer tar: reading the list: %s\n", strerror(errno));
            return 2;
        } else if (r == 0) break;
    }
    if (!list) abort();
    list[len] = 0;
    for (size_t pos = 0; pos < len && !t.out.failed; pos += strlen(list + pos) + 1)
        if (list[pos]) entry(&t, list + pos);
    return finish(&t);
}

int helper_serve(int argc, char **argv) {
    static struct tw t;
    static char path[HELPER_MAX_PATH];
    static char in[1 << 16];
    const char *root = "/";
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--root") && i + 1 < argc) root = argv[++i];
        else {
            fputs("usage: tracer serve [--root DIR]\n", stderr);
            return 2;
        }
    }
    t.root = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (t.root < 0) {
        fprintf(stderr, "tracer serve: cannot open %s: %s\n", root, strerror(errno));
        return 2;
    }
    t.out.fd = 1;
    t.out.framed = 1;
    t.dirfd = -1;
    size_t len = 0;
    int pending = 0, too_long = 0, asked = 0; /* in a path; paths asked since the last end */
    for (;;) {
        ssize_t r = read(0, in, sizeof(in));
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            fprintf(stderr, "tracer serve: reading the requests: %s\n", strerror(errno));
            return 2;
        }
        if (r == 0) return pending || asked ? 2 : 0;
        for (ssize_t i = 0; i < r; i++) {
            if (in[i]) {
                pending = 1;
                if (len + 1 < sizeof(path)) path[len++] = in[i];
                else too_long = 1;
                continue;
            }
            if (!pending) { /* the request's end */
                int status = finish(&t);
                if (t.out.failed) return 2;
                out_end_frame(&t.out, (unsigned)status);
                if (t.out.failed) return 2;
                t.errors = 0;
                asked = 0;
                continue;
            }
            path[len] = 0;
            if (too_long) {
                errno = ENAMETOOLONG;
                complain(&t, "cannot read", "a path");
            } else {
                entry(&t, path);
            }
            len = 0;
            pending = too_long = 0;
            asked = 1;
            if (t.out.failed) return 2;
        }
    }
}
