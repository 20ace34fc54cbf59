/*
 * `tracer index [--root DIR] [--head BYTES] [--exclude PATH]...`: every entry of the tree at
 * DIR (default /) on stdout, as records skinnywhale's IndexReader parses.
 *
 * The walk is the one `docker export` makes (Go's filepath.Walk): depth
 * first, each directory's names sorted bytewise, so that the first of a set
 * of hard links met here is the one an export writes as the file. Paths are
 * written absolute as seen from DIR ("/" is DIR itself). Nothing below a
 * mount point (from /proc/self/mountinfo) nor below /proc, /sys and /dev is
 * listed: the entries themselves are, flagged as mount points; an excluded
 * PATH (the helper's own directory) is left out with all it holds. Every
 * call is relative to the directory's descriptor, so paths longer than
 * PATH_MAX are walked too.
 *
 * Format, big-endian: "SWIDX\0\0\1", then records of a u32 length and that
 * many bytes: u8 type (f d l c b p s), u8 flags (1 mount point), u16 0,
 * u32 st_mode, uid, gid, nlink, u64 size, i64 mtime seconds, u32 nanoseconds,
 * u32 rdev major, minor, u64 st_dev, st_ino, then u32-length-prefixed path
 * and link target, u32 xattr count and that many u32-prefixed name, value
 * pairs, then a u32-prefixed head: the first bytes of a regular file's content
 * (--head N, at most 4096; none by default), so that a reader that only looks
 * at a file's magic or #! line needs no fetch. Last a record of type 'E'
 * whose size field is the number of entries
 * before it: a listing cut short has none.
 */
#include "helper.h"
#include "xattrs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define MAX_EXCLUDES 16
#define MAX_MOUNTS 4096

struct walk {
    struct out out;
    char path[HELPER_MAX_PATH];
    const char *excludes[MAX_EXCLUDES];
    size_t nexcludes;
    char *mounts[MAX_MOUNTS];
    size_t nmounts;
    unsigned long long entries;
    size_t head;
    unsigned char head_buf[4096];
    size_t head_len;
    int errors;
    unsigned char rec[64];
};

static void put32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16), p[2] = (unsigned char)(v >> 8), p[3] = (unsigned char)v;
}

static void put64(unsigned char *p, uint64_t v) {
    put32(p, (uint32_t)(v >> 32));
    put32(p + 4, (uint32_t)v);
}

static void out32(struct out *o, uint32_t v) {
    unsigned char b[4];
    put32(b, v);
    out_bytes(o, b, 4);
}

static char type_of(mode_t m) {
    switch (m & S_IFMT) {
    case S_IFREG: return 'f';
    case S_IFDIR: return 'd';
    case S_IFLNK: return 'l';
    case S_IFCHR: return 'c';
    case S_IFBLK: return 'b';
    case S_IFIFO: return 'p';
    default: return 's';
    }
}

static void record(struct walk *w, char type, int flags, const struct stat *st, const char *path,
                   const char *link, size_t link_len, const struct xattrs *x) {
    size_t plen = strlen(path), len = 64 + 4 + plen + 4 + link_len + 4 + 4 + w->head_len;
    for (size_t i = 0; x && i < x->count; i++) len += 8 + strlen(x->names + x->key[i]) + x->value_len[i];
    unsigned char *r = w->rec;
    memset(r, 0, sizeof(w->rec));
    r[0] = (unsigned char)type, r[1] = (unsigned char)flags;
    if (st) {
        put32(r + 4, st->st_mode), put32(r + 8, st->st_uid), put32(r + 12, st->st_gid);
        put32(r + 16, (uint32_t)st->st_nlink), put64(r + 20, (uint64_t)st->st_size);
        put64(r + 28, (uint64_t)st->st_mtim.tv_sec), put32(r + 36, (uint32_t)st->st_mtim.tv_nsec);
        put32(r + 40, major(st->st_rdev)), put32(r + 44, minor(st->st_rdev));
        put64(r + 48, (uint64_t)st->st_dev), put64(r + 56, (uint64_t)st->st_ino);
    } else {
        put64(r + 20, w->entries);
    }
    out32(&w->out, (uint32_t)len);
    out_bytes(&w->out, r, 64);
    out32(&w->out, (uint32_t)plen);
    out_bytes(&w->out, path, plen);
    out32(&w->out, (uint32_t)link_len);
    out_bytes(&w->out, link, link_len);
    out32(&w->out, x ? (uint32_t)x->count : 0);
    for (size_t i = 0; x && i < x->count; i++) {
        const char *k = x->names + x->key[i];
        out32(&w->out, (uint32_t)strlen(k));
        out_bytes(&w->out, k, strlen(k));
        out32(&w->out, (uint32_t)x->value_len[i]);
        out_bytes(&w->out, x->values + x->value[i], x->value_len[i]);
    }
    out32(&w->out, (uint32_t)w->head_len);
    out_bytes(&w->out, w->head_buf, w->head_len);
}

/* The first w->head bytes of the regular file NAME in FD into w->head_buf. */
static void read_head(struct walk *w, int fd, const char *name, const struct stat *st) {
    w->head_len = 0;
    if (!w->head || st->st_size == 0) return;
    int f = openat(fd, name, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (f < 0) return; /* content is then fetched as it is read */
    for (ssize_t r; w->head_len < w->head; w->head_len += (size_t)r) {
        r = read(f, w->head_buf + w->head_len, w->head - w->head_len);
        if (r < 0 && errno == EINTR) r = 0;
        else if (r <= 0) break;
    }
    close(f);
}

static int is_mount(const struct walk *w, const char *path) {
    for (size_t i = 0; i < w->nmounts; i++)
        if (!strcmp(w->mounts[i], path)) return 1;
    return 0;
}

static int is_excluded(const struct walk *w, const char *path) {
    for (size_t i = 0; i < w->nexcludes; i++)
        if (!strcmp(w->excludes[i], path)) return 1;
    return 0;
}

/* /proc/self/mountinfo's mount points (field 5, octal escapes decoded) below
 * ROOT, as paths seen from ROOT. */
static void read_mounts(struct walk *w, const char *root) {
    FILE *f = fopen("/proc/self/mountinfo", "r");
    if (!f) return;
    char line[8192];
    size_t rlen = strcmp(root, "/") ? strlen(root) : 0;
    while (w->nmounts < MAX_MOUNTS && fgets(line, sizeof(line), f)) {
        char *p = line;
        for (int field = 0; field < 4 && p; field++) p = strchr(p + 1, ' ');
        if (!p) continue;
        char mp[8192];
        size_t n = 0;
        for (p++; *p && *p != ' ' && n + 1 < sizeof(mp); p++) {
            if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] && p[3]) {
                mp[n++] = (char)(((p[1] - '0') << 6) | ((p[2] - '0') << 3) | (p[3] - '0'));
                p += 3;
            } else {
                mp[n++] = *p;
            }
        }
        mp[n] = 0;
        if (strncmp(mp, root, rlen) || (mp[rlen] != '/' && mp[rlen] != 0)) continue;
        const char *seen = mp[rlen] ? mp + rlen : "/";
        if (!strcmp(seen, "/")) continue;
        w->mounts[w->nmounts++] = strdup(seen);
    }
    fclose(f);
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void complain(struct walk *w, const char *what, const char *path) {
    fprintf(stderr, "tracer index: %s %s: %s\n", what, path, strerror(errno));
    w->errors = 1;
}

/* The entries of the directory open as FD, whose path is w->path (length
 * PLEN), in sorted order, each followed by its subtree. */
static void walk_dir(struct walk *w, int fd, size_t plen) {
    int dup_fd = dup(fd);
    DIR *d = dup_fd < 0 ? NULL : fdopendir(dup_fd);
    if (!d) {
        if (dup_fd >= 0) close(dup_fd);
        complain(w, "cannot list", w->path);
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **grown = realloc(names, cap * sizeof(*names));
            if (!grown) abort();
            names = grown;
        }
        if (!(names[n++] = strdup(e->d_name))) abort();
    }
    closedir(d);
    qsort(names, n, sizeof(*names), by_name);
    size_t i = 0;
    for (; i < n && !w->out.failed; i++) {
        size_t nlen = strlen(names[i]);
        size_t sep = plen > 1 ? 1 : 0;
        if (plen + sep + nlen + 1 > sizeof(w->path)) {
            fprintf(stderr, "tracer index: a path below %s is longer than %d bytes\n", w->path, HELPER_MAX_PATH);
            w->errors = 1;
            continue;
        }
        if (sep) w->path[plen] = '/';
        memcpy(w->path + plen + sep, names[i], nlen + 1);
        size_t clen = plen + sep + nlen;
        struct stat st;
        if (is_excluded(w, w->path)) goto next;
        if (fstatat(fd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
            complain(w, "cannot stat", w->path);
            goto next;
        }
        char type = type_of(st.st_mode);
        int virt = !strcmp(w->path, "/proc") || !strcmp(w->path, "/sys") || !strcmp(w->path, "/dev");
        int mount = virt || is_mount(w, w->path);
        static char link[HELPER_MAX_PATH];
        ssize_t link_len = 0;
        if (type == 'l' && (link_len = readlinkat(fd, names[i], link, sizeof(link))) < 0) {
            complain(w, "cannot read the link", w->path);
            goto next;
        }
        struct xattrs x = {0};
        if (type != 'l' && fchdir(fd) == 0 && xattrs_read(names[i], &x) < 0) complain(w, "cannot list the xattrs of", w->path);
        if (type == 'f' && !mount) read_head(w, fd, names[i], &st);
        else w->head_len = 0;
        w->entries++;
        record(w, type, mount, &st, w->path, link, (size_t)link_len, &x);
        xattrs_free(&x);
        if (type == 'd' && !mount) {
            int child = openat(fd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (child < 0) {
                complain(w, "cannot open", w->path);
            } else {
                walk_dir(w, child, clen);
                close(child);
            }
        }
    next:
        w->path[plen] = 0;
        free(names[i]);
    }
    for (; i < n; i++) free(names[i]);
    free(names);
}

int helper_index(int argc, char **argv) {
    static struct walk w;
    const char *root = "/";
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--root") && i + 1 < argc) {
            root = argv[++i];
        } else if (!strcmp(argv[i], "--head") && i + 1 < argc && atoi(argv[i + 1]) >= 0 &&
                   atoi(argv[i + 1]) <= (int)sizeof(w.head_buf)) {
            w.head = (size_t)atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--exclude") && i + 1 < argc && w.nexcludes < MAX_EXCLUDES) {
            w.excludes[w.nexcludes++] = argv[++i];
        } else {
            fputs("usage: tracer index [--root DIR] [--head BYTES] [--exclude PATH]...\n", stderr);
            return 2;
        }
    }
    w.out.fd = 1;
    int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        fprintf(stderr, "tracer index: cannot open %s: %s\n", root, strerror(errno));
        return 2;
    }
    read_mounts(&w, root);
    out_bytes(&w.out, "SWIDX\0\0\1", 8);
    struct xattrs x = {0};
    if (fchdir(fd) == 0) xattrs_read(".", &x);
    w.entries++;
    w.head_len = 0;
    record(&w, 'd', 0, &st, "/", "", 0, &x);
    xattrs_free(&x);
    strcpy(w.path, "/");
    walk_dir(&w, fd, 1);
    close(fd);
    w.head_len = 0;
    record(&w, 'E', 0, NULL, "", "", 0, NULL);
    out_flush(&w.out);
    if (w.out.failed) {
        fprintf(stderr, "tracer index: writing the listing: %s\n", strerror(errno));
        return 2;
    }
    return w.errors;
}
