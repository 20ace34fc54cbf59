/* Printing in strace's format: escaped strings, flag words, -y annotations,
 * argv and open_how, and the arguments and result of one syscall. */
#include "tracer.h"

#define ARGV_MAX_ITEMS 64
#define ARGV_MAX_STRING 256

/* ------------------------------------------------------ flag names */

static const struct flagname at_flags[] = {
    {0x100, "AT_SYMLINK_NOFOLLOW"}, {0x200, "AT_EACCESS"}, {0x400, "AT_SYMLINK_FOLLOW"},
    {0x800, "AT_NO_AUTOMOUNT"}, {0x1000, "AT_EMPTY_PATH"}, {0x2000, "AT_STATX_FORCE_SYNC"},
    {0x4000, "AT_STATX_DONT_SYNC"},
};

static const struct flagname access_modes[] = {{4, "R_OK"}, {2, "W_OK"}, {1, "X_OK"}};

/* File types and the set-id bits, as strace prints mknod's mode. */
static const struct flagname file_types[] = {
    {S_IFREG, "S_IFREG"}, {S_IFSOCK, "S_IFSOCK"}, {S_IFIFO, "S_IFIFO"}, {S_IFLNK, "S_IFLNK"},
    {S_IFDIR, "S_IFDIR"}, {S_IFBLK, "S_IFBLK"}, {S_IFCHR, "S_IFCHR"},
};

#define ERRNAME(e) [e] = #e
static const char *const errno_names[] = {
    ERRNAME(EPERM), ERRNAME(ENOENT), ERRNAME(ESRCH), ERRNAME(EINTR), ERRNAME(EIO),
    ERRNAME(ENXIO), ERRNAME(E2BIG), ERRNAME(ENOEXEC), ERRNAME(EBADF), ERRNAME(ECHILD),
    ERRNAME(EAGAIN), ERRNAME(ENOMEM), ERRNAME(EACCES), ERRNAME(EFAULT), ERRNAME(ENOTBLK),
    ERRNAME(EBUSY), ERRNAME(EEXIST), ERRNAME(EXDEV), ERRNAME(ENODEV), ERRNAME(ENOTDIR),
    ERRNAME(EISDIR), ERRNAME(EINVAL), ERRNAME(ENFILE), ERRNAME(EMFILE), ERRNAME(ENOTTY),
    ERRNAME(ETXTBSY), ERRNAME(EFBIG), ERRNAME(ENOSPC), ERRNAME(ESPIPE), ERRNAME(EROFS),
    ERRNAME(EMLINK), ERRNAME(EPIPE), ERRNAME(EDOM), ERRNAME(ERANGE), ERRNAME(EDEADLK),
    ERRNAME(ENAMETOOLONG), ERRNAME(ENOLCK), ERRNAME(ENOSYS), ERRNAME(ENOTEMPTY),
    ERRNAME(ELOOP), ERRNAME(ENOMSG), ERRNAME(EIDRM), ERRNAME(ENOSTR), ERRNAME(ENODATA),
    ERRNAME(ETIME), ERRNAME(ENOSR), ERRNAME(EREMOTE), ERRNAME(ENOLINK), ERRNAME(EPROTO),
    ERRNAME(EMULTIHOP), ERRNAME(EBADMSG), ERRNAME(EOVERFLOW), ERRNAME(EBADFD),
    ERRNAME(EILSEQ), ERRNAME(EUSERS), ERRNAME(ENOTSOCK), ERRNAME(EOPNOTSUPP),
    ERRNAME(EAFNOSUPPORT), ERRNAME(EADDRINUSE), ERRNAME(ECONNREFUSED), ERRNAME(ETIMEDOUT),
    ERRNAME(ESTALE), ERRNAME(EDQUOT), ERRNAME(ENOMEDIUM), ERRNAME(EMEDIUMTYPE),
    ERRNAME(ECANCELED), ERRNAME(ENOKEY), ERRNAME(EOWNERDEAD), ERRNAME(ENOTRECOVERABLE),
    ERRNAME(ERFKILL), ERRNAME(EHWPOISON),
};

/* Kernel-internal restart codes that reach a tracer (include/linux/errno.h). */
static const char *const restart_names[] = {
    "ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND", "ENOIOCTLCMD", "ERESTART_RESTARTBLOCK",
};

/* ------------------------------------------------------------ printing */

static int is_print(unsigned char c) { return c >= ' ' && c < 0x7f; }

/* strace's string_quote without -x: \" \\ \f \n \r \t \v, other non-printable
 * bytes in octal (three digits when an octal digit follows). Characters in
 * `extra` (strace escapes <> inside -y annotations) are escaped in octal too. */
static void put_escaped(FILE *f, const char *s, size_t len, const char *extra) {
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': fputs("\\\"", f); continue;
        case '\\': fputs("\\\\", f); continue;
        case '\f': fputs("\\f", f); continue;
        case '\n': fputs("\\n", f); continue;
        case '\r': fputs("\\r", f); continue;
        case '\t': fputs("\\t", f); continue;
        case '\v': fputs("\\v", f); continue;
        default: break;
        }
        if (is_print(c) && !(extra && strchr(extra, c))) {
            putc(c, f);
            continue;
        }
        putc('\\', f);
        unsigned char next = i + 1 < len ? (unsigned char)s[i + 1] : 0;
        if (next >= '0' && next <= '7') {
            putc('0' + (c >> 6), f);
            putc('0' + ((c >> 3) & 7), f);
        } else if (c >> 3) {
            if (c >> 6) putc('0' + (c >> 6), f);
            putc('0' + ((c >> 3) & 7), f);
        }
        putc('0' + (c & 7), f);
    }
}

void put_quoted(FILE *f, const char *s, size_t len, int truncated) {
    putc('"', f);
    put_escaped(f, s, len, NULL);
    putc('"', f);
    if (truncated) fputs("...", f);
}

static void put_flags(FILE *f, unsigned long v, const struct flagname *names, size_t n, int zero_is_empty) {
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        if ((v & names[i].mask) == names[i].mask) {
            fprintf(f, "%s%s", first ? "" : "|", names[i].name);
            v &= ~names[i].mask;
            first = 0;
        }
    }
    if (v || (first && !zero_is_empty)) fprintf(f, "%s%#lx", first ? "" : "|", v);
}

void put_open_flags(FILE *f, const struct arch *a, unsigned long flags) {
    static const char *const accmode[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
    fputs(accmode[flags & 3], f);
    flags &= ~3UL;
    if (flags) {
        putc('|', f);
        put_flags(f, flags, a->oflags, a->oflags_len, 0);
    }
}

void put_at_flags(FILE *f, unsigned long flags) {
    if (!flags) {
        putc('0', f);
        return;
    }
    put_flags(f, flags, at_flags, LEN(at_flags), 0);
}

void put_access_mode(FILE *f, unsigned long mode) {
    if (!mode) {
        fputs("F_OK", f);
        return;
    }
    put_flags(f, mode, access_modes, LEN(access_modes), 0);
}

/* `<path>` of a readlink under /proc, escaped like strace -y. 1 if annotated. */
static int read_annotation(const char *proc_path, char *buf, size_t cap) {
    ssize_t n = readlink(proc_path, buf, cap - 1);
    if (n < 0) return 0;
    buf[n] = 0;
    return 1;
}

static void put_annotation(FILE *f, const char *target) {
    putc('<', f);
    put_escaped(f, target, strlen(target), "<>");
    putc('>', f);
}

/* Formats a dirfd argument: AT_FDCWD</cwd>, 3</dir> or a bare number. */
void format_dirfd(pid_t pid, int fd, char *out, size_t cap) {
    char proc_path[64];
    char target[PATH_MAX];
    if (fd == AT_FDCWD) snprintf(proc_path, sizeof(proc_path), "/proc/%d/cwd", (int)pid);
    else snprintf(proc_path, sizeof(proc_path), "/proc/%d/fd/%d", (int)pid, fd);
    const char *prefix = fd == AT_FDCWD ? "AT_FDCWD" : NULL;
    char num[16];
    if (!prefix) {
        snprintf(num, sizeof(num), "%d", fd);
        prefix = num;
    }
    if (fd != AT_FDCWD && fd < 0) {
        snprintf(out, cap, "%s", prefix);
        return;
    }
    if (!read_annotation(proc_path, target, sizeof(target))) {
        snprintf(out, cap, "%s", prefix);
        return;
    }
    FILE *m = fmemopen(out, cap, "w");
    if (!m) {
        snprintf(out, cap, "%s", prefix);
        return;
    }
    fputs(prefix, m);
    put_annotation(m, target);
    fclose(m);
    out[cap - 1] = 0;
}

/* argv as strace prints it: ["a", "b"], at most ARGV_MAX_ITEMS strings of
 * ARGV_MAX_STRING bytes each; every read is bounded. */
char *format_argv(struct tracer *t, pid_t pid, uint64_t addr) {
    char *buf = NULL;
    size_t size = 0;
    FILE *m = open_memstream(&buf, &size);
    if (!m) return NULL;
    if (addr == 0) {
        fputs("NULL", m);
    } else {
        putc('[', m);
        for (int i = 0;; i++) {
            uint64_t ptr;
            if (i == ARGV_MAX_ITEMS) {
                fputs(", ...", m);
                break;
            }
            if (read_mem(t, pid, addr + (uint64_t)i * 8, &ptr, sizeof(ptr)) < 0) {
                fprintf(m, "%s%#llx", i ? ", " : "", (unsigned long long)(addr + (uint64_t)i * 8));
                break;
            }
            if (ptr == 0) break;
            char s[ARGV_MAX_STRING];
            size_t len;
            int st = read_string(t, pid, ptr, s, sizeof(s), &len);
            if (i) fputs(", ", m);
            if (st == 3) fprintf(m, "%#llx", (unsigned long long)ptr);
            else put_quoted(m, s, len, st == 2);
        }
        putc(']', m);
    }
    fclose(m);
    return buf;
}

/* struct open_how { u64 flags; u64 mode; u64 resolve; } of openat2. */
char *format_open_how(struct tracer *t, const struct arch *a, pid_t pid, uint64_t addr, uint64_t size) {
    uint64_t how[3] = {0, 0, 0};
    char *buf = NULL;
    size_t bsize = 0;
    FILE *m = open_memstream(&buf, &bsize);
    if (!m) return NULL;
    if (size < sizeof(how) || read_mem(t, pid, addr, how, sizeof(how)) < 0) {
        fprintf(m, "%#llx", (unsigned long long)addr);
    } else {
        fputs("{flags=", m);
        put_open_flags(m, a, (unsigned long)how[0]);
        fprintf(m, ", mode=0%llo, resolve=%#llx}", (unsigned long long)how[1], (unsigned long long)how[2]);
    }
    fclose(m);
    return buf;
}

/* ------------------------------------------- arguments and results */

void put_ptr(FILE *f, uint64_t v) {
    if (v) fprintf(f, "%#llx", (unsigned long long)v);
    else fputs("NULL", f);
}

/* The i-th path argument (0: the shape's path, 1: path2), at argument index. */
static void put_path_arg(FILE *f, const struct entry *e, int i, int index) {
    if (e->path[i].state == 3) put_ptr(f, e->args[index]);
    else put_quoted(f, e->path[i].text, e->path[i].len, e->path[i].state == 2);
}

/* The shape's arguments, which lead the argument list, in argument order. */
void put_shape_args(FILE *f, const struct entry *e, const struct shape *sh) {
    for (int index = 0;; index++) {
        if (index) fputs(", ", f);
        if (index == sh->dirfd) fputs(e->dir[0], f);
        else if (index == sh->path) put_path_arg(f, e, 0, index);
        else if (index == sh->dirfd2) fputs(e->dir[1], f);
        else if (index == sh->path2) put_path_arg(f, e, 1, index);
        int last = index >= sh->dirfd && index >= sh->path && index >= sh->dirfd2 && index >= sh->path2;
        if (last) return;
    }
}

/* strace's printflags for an int argument: 0, NAME|NAME|0x.., or 0x.. /+ HINT +/. */
void put_int_flags(FILE *f, uint64_t arg, const struct flagname *names, size_t n, const char *hint) {
    unsigned long v = (uint32_t)arg;
    int known = 0;
    for (size_t i = 0; i < n; i++) known |= (v & names[i].mask) == names[i].mask;
    if (v && !known) fprintf(f, "%#lx /* %s */", v, hint);
    else if (v) put_flags(f, v, names, n, 0);
    else putc('0', f);
}

/* mkdir's umode_t, as strace: "%#03o" of 16 bits. */
void put_umode(FILE *f, uint64_t arg) { fprintf(f, "%#03o", (unsigned)(uint16_t)arg); }

/* mknod's mode: S_IFCHR|S_ISUID|0644, or the number when the type is unknown;
 * then the device for S_IFCHR and S_IFBLK. */
void put_mknod_mode_dev(FILE *f, uint64_t mode_arg, uint64_t dev_arg) {
    unsigned mode = (uint16_t)mode_arg, type = mode & S_IFMT;
    const char *name = NULL;
    for (size_t i = 0; i < LEN(file_types); i++)
        if (file_types[i].mask == type) name = file_types[i].name;
    if (type && !name) {
        fprintf(f, "%#03o", mode);
        return;
    }
    fprintf(f, "%s%s%s%s%s%#03o", name ? name : "", name ? "|" : "", mode & S_ISUID ? "S_ISUID|" : "",
            mode & S_ISGID ? "S_ISGID|" : "", mode & S_ISVTX ? "S_ISVTX|" : "",
            mode & ~(unsigned)(S_IFMT | S_ISUID | S_ISGID | S_ISVTX));
    if (type == S_IFCHR || type == S_IFBLK) {
        dev_t dev = (uint32_t)dev_arg;
        fprintf(f, ", makedev(%#x, %#x)", major(dev), minor(dev));
    }
}

void put_result(FILE *f, pid_t pid, const struct entry *e, int64_t rval, int is_error) {
    if (is_error) {
        long err = (long)-rval;
        if (err >= 512 && err < 512 + (long)LEN(restart_names))
            fprintf(f, "? %s (To be restarted)", restart_names[err - 512]);
        else if (err > 0 && err < (long)LEN(errno_names) && errno_names[err])
            fprintf(f, "-1 %s (%s)", errno_names[err], strerror((int)err));
        else
            fprintf(f, "-1 E%ld (Unknown error %ld)", err, err);
        return;
    }
    fprintf(f, "%lld", (long long)rval);
    enum sc_kind k = e->se->kind;
    if (k == K_OPEN || k == K_OPENAT || k == K_OPENAT2 || k == K_CREAT) {
        char proc_path[64], target[PATH_MAX];
        snprintf(proc_path, sizeof(proc_path), "/proc/%d/fd/%lld", (int)pid, (long long)rval);
        if (read_annotation(proc_path, target, sizeof(target))) put_annotation(f, target);
    }
}

