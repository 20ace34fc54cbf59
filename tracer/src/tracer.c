/*
 * tracer: a small static ptrace tracer for skinnywhale.
 *
 *   tracer -o LOG [--timeout SECONDS] [--grace SECONDS] [--status FILE] [--no-seccomp]
 *          -- PROGRAM ARGS...
 *
 * Runs PROGRAM, follows every fork, vfork, clone, clone3 and exec (threads
 * included) and writes one line per path syscall, at its exit, in a subset of
 * strace's `-f -y -o` format. See README.md for the format and the status file.
 * The run ends with PROGRAM: what it left running is traced for --grace
 * seconds more, then killed.
 *
 * Two modes, same log. seccomp (the default): the child installs a seccomp
 * filter that returns SECCOMP_RET_TRACE for the syscalls in the native table
 * only, so a tracee stops twice per path syscall (the seccomp stop, which
 * stands for the entry, and the exit stop asked for with PTRACE_SYSCALL) and
 * runs free otherwise (PTRACE_CONT). syscall: PTRACE_SYSCALL everywhere, the
 * fallback when the filter cannot be installed, and --no-seccomp.
 *
 * Layers: argument parsing (main) -> the ptrace loop (trace_loop) -> one
 * syscall stop (on_entry / on_exit) -> the per-architecture syscall tables ->
 * the printers (put_*), which write strace's escaping.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EXIT_TRACER_ERROR 125
#define EXIT_NOT_EXECUTABLE 126
#define EXIT_NOT_FOUND 127
#define EXIT_TIMEOUT 124

#define ARGV_MAX_ITEMS 64
#define ARGV_MAX_STRING 256
#define DRAIN_SECONDS 5
#define DEFAULT_GRACE_SECONDS 2
#define MAX_SECONDS (86400L * 365)
#define TICK_MS 100 /* the timer's period once a deadline is due */
/* Why trace_loop stopped the run; a positive value is a signal's number. */
#define STOP_TIMEOUT (-1)
#define STOP_GRACE (-2)

/* ---------------------------------------------------------------- ptrace ABI */

#define SW_PTRACE_GET_SYSCALL_INFO 0x420e
#define SW_INFO_ENTRY 1
#define SW_INFO_EXIT 2
#define SW_INFO_SECCOMP 3

/* struct ptrace_syscall_info of linux/ptrace.h (Linux 5.3+), declared here so
 * the tracer builds against older headers too. */
struct sw_syscall_info {
    uint8_t op;
    uint8_t pad[3];
    uint32_t arch;
    uint64_t instruction_pointer;
    uint64_t stack_pointer;
    union {
        struct {
            uint64_t nr;
            uint64_t args[6];
        } entry;
        struct {
            int64_t rval;
            uint8_t is_error;
        } exit;
        struct {
            uint64_t nr;
            uint64_t args[6];
            uint32_t ret_data;
        } seccomp;
    };
};

#define AUDIT_ARCH_X86_64_ 0xc000003eU
#define AUDIT_ARCH_AARCH64_ 0xc00000b7U

/* --------------------------------------------------------- syscall tables */

enum sc_kind {
    K_OPEN, K_OPENAT, K_OPENAT2, K_CREAT, K_EXECVE, K_EXECVEAT,
    K_STAT, K_LSTAT, K_NEWFSTATAT, K_STATX, K_ACCESS, K_FACCESSAT, K_FACCESSAT2,
    K_READLINK, K_READLINKAT, K_CHDIR, K_FCHDIR,
    K_MKDIR, K_MKDIRAT, K_MKNOD, K_MKNODAT, K_UNLINK, K_UNLINKAT, K_RMDIR,
    K_RENAME, K_RENAMEAT, K_RENAMEAT2, K_LINK, K_LINKAT, K_SYMLINK, K_SYMLINKAT,
    K_CLONE, K_CLONE3, K_FORK, K_VFORK,
};

static const char *const kind_names[] = {
    [K_OPEN] = "open", [K_OPENAT] = "openat", [K_OPENAT2] = "openat2",
    [K_CREAT] = "creat", [K_EXECVE] = "execve", [K_EXECVEAT] = "execveat",
    [K_STAT] = "stat", [K_LSTAT] = "lstat", [K_NEWFSTATAT] = "newfstatat",
    [K_STATX] = "statx", [K_ACCESS] = "access", [K_FACCESSAT] = "faccessat",
    [K_FACCESSAT2] = "faccessat2", [K_READLINK] = "readlink",
    [K_READLINKAT] = "readlinkat", [K_CHDIR] = "chdir", [K_FCHDIR] = "fchdir",
    [K_MKDIR] = "mkdir", [K_MKDIRAT] = "mkdirat", [K_MKNOD] = "mknod", [K_MKNODAT] = "mknodat",
    [K_UNLINK] = "unlink", [K_UNLINKAT] = "unlinkat", [K_RMDIR] = "rmdir",
    [K_RENAME] = "rename", [K_RENAMEAT] = "renameat", [K_RENAMEAT2] = "renameat2",
    [K_LINK] = "link", [K_LINKAT] = "linkat", [K_SYMLINK] = "symlink", [K_SYMLINKAT] = "symlinkat",
    [K_CLONE] = "clone", [K_CLONE3] = "clone3", [K_FORK] = "fork", [K_VFORK] = "vfork",
};

/* Where the dirfd and path arguments sit, by kind: -1 = none. Two-path calls
 * (rename*, link*, symlink*) have a second pair. These arguments are the
 * leading ones, printed in argument order; the rest is printed per kind.
 * symlink(at)'s first string is the link's target text, not a path the call
 * resolves; the tracer prints it as strace does, a reader must not take it for
 * an access. */
struct shape {
    int dirfd;
    int path;
    int dirfd2;
    int path2;
};

#define ONE(d, p) {d, p, -1, -1}
#define TWO(d, p, d2, p2) {d, p, d2, p2}

static const struct shape shapes[] = {
    [K_OPEN] = ONE(-1, 0), [K_OPENAT] = ONE(0, 1), [K_OPENAT2] = ONE(0, 1), [K_CREAT] = ONE(-1, 0),
    [K_EXECVE] = ONE(-1, 0), [K_EXECVEAT] = ONE(0, 1), [K_STAT] = ONE(-1, 0), [K_LSTAT] = ONE(-1, 0),
    [K_NEWFSTATAT] = ONE(0, 1), [K_STATX] = ONE(0, 1), [K_ACCESS] = ONE(-1, 0),
    [K_FACCESSAT] = ONE(0, 1), [K_FACCESSAT2] = ONE(0, 1), [K_READLINK] = ONE(-1, 0),
    [K_READLINKAT] = ONE(0, 1), [K_CHDIR] = ONE(-1, 0), [K_FCHDIR] = ONE(0, -1),
    [K_MKDIR] = ONE(-1, 0), [K_MKDIRAT] = ONE(0, 1), [K_MKNOD] = ONE(-1, 0), [K_MKNODAT] = ONE(0, 1),
    [K_UNLINK] = ONE(-1, 0), [K_UNLINKAT] = ONE(0, 1), [K_RMDIR] = ONE(-1, 0),
    [K_RENAME] = TWO(-1, 0, -1, 1), [K_RENAMEAT] = TWO(0, 1, 2, 3), [K_RENAMEAT2] = TWO(0, 1, 2, 3),
    [K_LINK] = TWO(-1, 0, -1, 1), [K_LINKAT] = TWO(0, 1, 2, 3),
    [K_SYMLINK] = TWO(-1, 0, -1, 1), [K_SYMLINKAT] = TWO(-1, 0, 1, 2),
    [K_CLONE] = ONE(-1, -1), [K_CLONE3] = ONE(-1, -1), [K_FORK] = ONE(-1, -1), [K_VFORK] = ONE(-1, -1),
};

struct sysent {
    uint64_t nr;
    enum sc_kind kind;
};

struct flagname {
    unsigned long mask;
    const char *name;
};

struct arch {
    uint32_t audit;
    const struct sysent *table;
    size_t table_len;
    const struct flagname *oflags; /* open flags other than the access mode */
    size_t oflags_len;
};

/* asm/unistd_64.h */
static const struct sysent x86_64_syscalls[] = {
    {2, K_OPEN}, {4, K_STAT}, {6, K_LSTAT}, {21, K_ACCESS}, {56, K_CLONE},
    {57, K_FORK}, {58, K_VFORK}, {59, K_EXECVE}, {80, K_CHDIR}, {81, K_FCHDIR},
    {82, K_RENAME}, {83, K_MKDIR}, {84, K_RMDIR}, {85, K_CREAT}, {86, K_LINK},
    {87, K_UNLINK}, {88, K_SYMLINK}, {89, K_READLINK}, {133, K_MKNOD},
    {257, K_OPENAT}, {258, K_MKDIRAT}, {259, K_MKNODAT}, {262, K_NEWFSTATAT},
    {263, K_UNLINKAT}, {264, K_RENAMEAT}, {265, K_LINKAT}, {266, K_SYMLINKAT},
    {267, K_READLINKAT}, {269, K_FACCESSAT}, {316, K_RENAMEAT2}, {322, K_EXECVEAT},
    {332, K_STATX}, {435, K_CLONE3}, {437, K_OPENAT2}, {439, K_FACCESSAT2},
};

/* asm-generic/unistd.h numbers: no open, stat, lstat, access, readlink, creat,
 * fork, vfork, mkdir, mknod, unlink, rmdir, rename, link, symlink. */
static const struct sysent aarch64_syscalls[] = {
    {33, K_MKNODAT}, {34, K_MKDIRAT}, {35, K_UNLINKAT}, {36, K_SYMLINKAT},
    {37, K_LINKAT}, {38, K_RENAMEAT}, {48, K_FACCESSAT}, {49, K_CHDIR},
    {50, K_FCHDIR}, {56, K_OPENAT}, {78, K_READLINKAT}, {79, K_NEWFSTATAT},
    {220, K_CLONE}, {221, K_EXECVE}, {276, K_RENAMEAT2}, {281, K_EXECVEAT},
    {291, K_STATX}, {435, K_CLONE3}, {437, K_OPENAT2}, {439, K_FACCESSAT2},
};

/* Multi-bit masks first (O_SYNC contains O_DSYNC, O_TMPFILE contains O_DIRECTORY). */
static const struct flagname x86_64_oflags[] = {
    {020200000, "O_TMPFILE"}, {04010000, "O_SYNC"}, {0100, "O_CREAT"}, {0200, "O_EXCL"},
    {0400, "O_NOCTTY"}, {01000, "O_TRUNC"}, {02000, "O_APPEND"}, {04000, "O_NONBLOCK"},
    {010000, "O_DSYNC"}, {020000, "O_ASYNC"}, {040000, "O_DIRECT"}, {0100000, "O_LARGEFILE"},
    {0200000, "O_DIRECTORY"}, {0400000, "O_NOFOLLOW"}, {01000000, "O_NOATIME"},
    {02000000, "O_CLOEXEC"}, {010000000, "O_PATH"},
};

static const struct flagname aarch64_oflags[] = {
    {020040000, "O_TMPFILE"}, {04010000, "O_SYNC"}, {0100, "O_CREAT"}, {0200, "O_EXCL"},
    {0400, "O_NOCTTY"}, {01000, "O_TRUNC"}, {02000, "O_APPEND"}, {04000, "O_NONBLOCK"},
    {010000, "O_DSYNC"}, {020000, "O_ASYNC"}, {040000, "O_DIRECTORY"}, {0100000, "O_NOFOLLOW"},
    {0200000, "O_DIRECT"}, {0400000, "O_LARGEFILE"}, {01000000, "O_NOATIME"},
    {02000000, "O_CLOEXEC"}, {010000000, "O_PATH"},
};

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static const struct arch arches[] = {
    {AUDIT_ARCH_X86_64_, x86_64_syscalls, LEN(x86_64_syscalls), x86_64_oflags, LEN(x86_64_oflags)},
    {AUDIT_ARCH_AARCH64_, aarch64_syscalls, LEN(aarch64_syscalls), aarch64_oflags, LEN(aarch64_oflags)},
};

#if defined(__x86_64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_X86_64_
#elif defined(__aarch64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_AARCH64_
#else
#error "tracer: unsupported architecture (x86_64 and aarch64 only)"
#endif

static const struct flagname at_flags[] = {
    {0x100, "AT_SYMLINK_NOFOLLOW"}, {0x200, "AT_EACCESS"}, {0x400, "AT_SYMLINK_FOLLOW"},
    {0x800, "AT_NO_AUTOMOUNT"}, {0x1000, "AT_EMPTY_PATH"}, {0x2000, "AT_STATX_FORCE_SYNC"},
    {0x4000, "AT_STATX_DONT_SYNC"},
};

static const struct flagname access_modes[] = {{4, "R_OK"}, {2, "W_OK"}, {1, "X_OK"}};

/* strace's at_flags, as it prints unlinkat's and linkat's flags (0x200 is AT_REMOVEDIR here). */
static const struct flagname unlink_link_flags[] = {
    {0x100, "AT_SYMLINK_NOFOLLOW"}, {0x200, "AT_REMOVEDIR"}, {0x400, "AT_SYMLINK_FOLLOW"},
    {0x800, "AT_NO_AUTOMOUNT"}, {0x1000, "AT_EMPTY_PATH"}, {0x8000, "AT_RECURSIVE"},
};

static const struct flagname rename_flags[] = {
    {1, "RENAME_NOREPLACE"}, {2, "RENAME_EXCHANGE"}, {4, "RENAME_WHITEOUT"},
};

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

/* ------------------------------------------------------------- the state */

/* What a syscall entry stop saved for its exit stop. */
struct entry {
    int active;
    const struct arch *arch;
    const struct sysent *se; /* NULL: not a syscall we print */
    uint64_t args[6];
    struct {
        int state; /* 0 no path, 1 read, 2 truncated (no NUL within PATH_MAX), 3 unreadable */
        size_t len;
        char text[PATH_MAX];
    } path[2]; /* the shape's path and path2 */
    char dir[2][PATH_MAX]; /* the shape's dirfd and dirfd2, formatted */
    char *extra; /* preformatted argv or open_how, malloc'ed, or NULL */
};

struct proc {
    pid_t pid;
    int expect_stop; /* new tracee: its first SIGSTOP is ours, not the program's */
    int in_syscall;  /* only for the register fallback */
    struct entry e;
};

struct tracer {
    FILE *log;
    pid_t root;
    int root_status;
    int root_done;
    /* Deadlines in monotonic milliseconds (now_ms). timeout_at 0: no --timeout;
     * grace_at is set when the root exits. */
    int64_t timeout_at;
    int64_t grace_ms;
    int64_t grace_at;
    size_t killed; /* processes left at the end of the grace period, killed */
    int have_syscall_info; /* PTRACE_GET_SYSCALL_INFO works (Linux 5.3+) */
    int filtered; /* the tracees carry our seccomp filter: PTRACE_O_TRACESECCOMP is set */
    int seccomp;  /* seccomp mode: the filter's stops are the entries, PTRACE_CONT elsewhere */
    int have_vm_readv;
    long page_size;
    struct proc **procs;
    size_t nprocs;
    size_t cap;
};

/* Set by a signal handler only; the loop reads it after waitpid returns. */
static volatile sig_atomic_t got_stop_signal;

/* SIGALRM only interrupts waitpid (EINTR); the loop compares the clock with
 * its deadlines. */
static void on_alarm(int sig) { (void)sig; }

static void on_stop_signal(int sig) { got_stop_signal = sig; }

/* ------------------------------------------------------------- time */

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* SIGALRM at `at` (now_ms time; 0 disarms), then every TICK_MS: a tick that
 * came between the loop's look at the clock and waitpid is followed by the
 * next, which interrupts it. */
static void arm_timer(int64_t at) {
    struct itimerval it;
    memset(&it, 0, sizeof(it));
    if (at) {
        int64_t d = at - now_ms();
        if (d < 1) d = 1;
        it.it_value.tv_sec = (time_t)(d / 1000);
        it.it_value.tv_usec = (suseconds_t)(d % 1000 * 1000);
        it.it_interval.tv_usec = TICK_MS * 1000;
    }
    setitimer(ITIMER_REAL, &it, NULL);
}

/* ---------------------------------------------------------- proc table */

static struct proc *find_proc(struct tracer *t, pid_t pid) {
    for (size_t i = 0; i < t->nprocs; i++)
        if (t->procs[i]->pid == pid) return t->procs[i];
    return NULL;
}

static struct proc *add_proc(struct tracer *t, pid_t pid) {
    struct proc *p = find_proc(t, pid);
    if (p) return p;
    if (t->nprocs == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        struct proc **n = realloc(t->procs, cap * sizeof(*n));
        if (!n) return NULL;
        t->procs = n;
        t->cap = cap;
    }
    p = calloc(1, sizeof(*p));
    if (!p) return NULL;
    p->pid = pid;
    p->expect_stop = 1;
    t->procs[t->nprocs++] = p;
    return p;
}

static void clear_entry(struct entry *e) {
    free(e->extra);
    e->extra = NULL;
    e->active = 0;
    e->se = NULL;
}

static void remove_proc(struct tracer *t, pid_t pid) {
    for (size_t i = 0; i < t->nprocs; i++) {
        if (t->procs[i]->pid == pid) {
            clear_entry(&t->procs[i]->e);
            free(t->procs[i]);
            t->procs[i] = t->procs[--t->nprocs];
            return;
        }
    }
}

/* ------------------------------------------------------ tracee memory */

/* Reads exactly len bytes at addr; 0 on success, -1 on any error. Never more
 * than one page per process_vm_readv call, so a fault ends the read cleanly. */
static int read_mem(struct tracer *t, pid_t pid, uint64_t addr, void *buf, size_t len) {
    unsigned char *out = buf;
    size_t got = 0;
    while (got < len) {
        uint64_t a = addr + got;
        size_t chunk = (size_t)(t->page_size - (long)(a % (uint64_t)t->page_size));
        if (chunk > len - got) chunk = len - got;
        if (t->have_vm_readv) {
            struct iovec local = {out + got, chunk};
            struct iovec remote = {(void *)(uintptr_t)a, chunk};
            ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
            if (n == (ssize_t)chunk) {
                got += chunk;
                continue;
            }
            if (n < 0 && (errno == ENOSYS || errno == EPERM)) {
                t->have_vm_readv = 0; /* e.g. a seccomp profile: use PEEKDATA from now on */
            } else {
                return -1;
            }
        }
        /* PTRACE_PEEKDATA fallback, one aligned word at a time. */
        uint64_t aligned = a & ~(uint64_t)(sizeof(long) - 1);
        errno = 0;
        long word = ptrace(PTRACE_PEEKDATA, pid, (void *)(uintptr_t)aligned, NULL);
        if (errno) return -1;
        size_t off = (size_t)(a - aligned);
        size_t n = sizeof(long) - off;
        if (n > len - got) n = len - got;
        memcpy(out + got, (unsigned char *)&word + off, n);
        got += n;
    }
    return 0;
}

/* Reads a NUL-terminated string of at most cap bytes (NUL included).
 * Returns 1 read, 2 truncated (no NUL within cap), 3 unreadable. */
static int read_string(struct tracer *t, pid_t pid, uint64_t addr, char *buf, size_t cap, size_t *len) {
    size_t got = 0;
    *len = 0;
    if (addr == 0) return 3;
    while (got < cap) {
        uint64_t a = addr + got;
        size_t chunk = (size_t)(t->page_size - (long)(a % (uint64_t)t->page_size));
        if (chunk > 256) chunk = 256; /* short reads: most paths end in the first chunk */
        if (chunk > cap - got) chunk = cap - got;
        if (read_mem(t, pid, a, buf + got, chunk) < 0) {
            if (got == 0) return 3;
            *len = got;
            return 2; /* stopped on error: a truncated string */
        }
        void *nul = memchr(buf + got, 0, chunk);
        if (nul) {
            *len = (size_t)((char *)nul - buf);
            return 1;
        }
        got += chunk;
    }
    *len = cap;
    return 2;
}

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

static void put_quoted(FILE *f, const char *s, size_t len, int truncated) {
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

static void put_open_flags(FILE *f, const struct arch *a, unsigned long flags) {
    static const char *const accmode[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
    fputs(accmode[flags & 3], f);
    flags &= ~3UL;
    if (flags) {
        putc('|', f);
        put_flags(f, flags, a->oflags, a->oflags_len, 0);
    }
}

static void put_at_flags(FILE *f, unsigned long flags) {
    if (!flags) {
        putc('0', f);
        return;
    }
    put_flags(f, flags, at_flags, LEN(at_flags), 0);
}

static void put_access_mode(FILE *f, unsigned long mode) {
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
static void format_dirfd(pid_t pid, int fd, char *out, size_t cap) {
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
static char *format_argv(struct tracer *t, pid_t pid, uint64_t addr) {
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
static char *format_open_how(struct tracer *t, const struct arch *a, pid_t pid, uint64_t addr, uint64_t size) {
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

/* ----------------------------------------------------- syscall stops */

static const struct arch *arch_of(uint32_t audit) {
    for (size_t i = 0; i < LEN(arches); i++)
        if (arches[i].audit == audit) return &arches[i];
    return NULL; /* e.g. a 32-bit process on x86_64: not followed syscall by syscall */
}

static const struct sysent *lookup(const struct arch *a, uint64_t nr) {
    if (!a) return NULL;
    for (size_t i = 0; i < a->table_len; i++)
        if (a->table[i].nr == nr) return &a->table[i];
    return NULL;
}

static void on_entry(struct tracer *t, struct proc *p, const struct arch *a, uint64_t nr, const uint64_t args[6]) {
    struct entry *e = &p->e;
    clear_entry(e);
    e->active = 1;
    e->arch = a;
    e->se = lookup(a, nr);
    if (!e->se) return;
    memcpy(e->args, args, sizeof(e->args));
    const struct shape *sh = &shapes[e->se->kind];
    const int paths[2] = {sh->path, sh->path2}, dirfds[2] = {sh->dirfd, sh->dirfd2};
    for (int i = 0; i < 2; i++) {
        e->path[i].state = 0;
        e->dir[i][0] = 0;
        if (paths[i] >= 0)
            e->path[i].state = read_string(t, p->pid, args[paths[i]], e->path[i].text, sizeof(e->path[i].text),
                                           &e->path[i].len);
        if (dirfds[i] >= 0) format_dirfd(p->pid, (int)args[dirfds[i]], e->dir[i], sizeof(e->dir[i]));
    }
    switch (e->se->kind) {
    case K_EXECVE: e->extra = format_argv(t, p->pid, args[1]); break;
    case K_EXECVEAT: e->extra = format_argv(t, p->pid, args[2]); break;
    case K_OPENAT2: e->extra = format_open_how(t, a, p->pid, args[2], args[3]); break;
    default: break;
    }
}

static void put_ptr(FILE *f, uint64_t v) {
    if (v) fprintf(f, "%#llx", (unsigned long long)v);
    else fputs("NULL", f);
}

/* The i-th path argument (0: the shape's path, 1: path2), at argument index. */
static void put_path_arg(FILE *f, const struct entry *e, int i, int index) {
    if (e->path[i].state == 3) put_ptr(f, e->args[index]);
    else put_quoted(f, e->path[i].text, e->path[i].len, e->path[i].state == 2);
}

/* The shape's arguments, which lead the argument list, in argument order. */
static void put_shape_args(FILE *f, const struct entry *e, const struct shape *sh) {
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
static void put_int_flags(FILE *f, uint64_t arg, const struct flagname *names, size_t n, const char *hint) {
    unsigned long v = (uint32_t)arg;
    int known = 0;
    for (size_t i = 0; i < n; i++) known |= (v & names[i].mask) == names[i].mask;
    if (v && !known) fprintf(f, "%#lx /* %s */", v, hint);
    else if (v) put_flags(f, v, names, n, 0);
    else putc('0', f);
}

/* mkdir's umode_t, as strace: "%#03o" of 16 bits. */
static void put_umode(FILE *f, uint64_t arg) { fprintf(f, "%#03o", (unsigned)(uint16_t)arg); }

/* mknod's mode: S_IFCHR|S_ISUID|0644, or the number when the type is unknown;
 * then the device for S_IFCHR and S_IFBLK. */
static void put_mknod_mode_dev(FILE *f, uint64_t mode_arg, uint64_t dev_arg) {
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

static void put_result(FILE *f, pid_t pid, const struct entry *e, int64_t rval, int is_error) {
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

static void on_exit_stop(struct tracer *t, struct proc *p, int64_t rval, int is_error) {
    struct entry *e = &p->e;
    if (!e->active || !e->se) {
        clear_entry(e);
        return;
    }
    FILE *f = t->log;
    const struct arch *a = e->arch;
    const uint64_t *g = e->args;
    enum sc_kind k = e->se->kind;
    fprintf(f, "%-5u %s(", (unsigned)p->pid, kind_names[k]);
    put_shape_args(f, e, &shapes[k]);
    switch (k) {
    case K_OPEN:
    case K_OPENAT: {
        unsigned long flags = (unsigned long)g[k == K_OPEN ? 1 : 2];
        fputs(", ", f);
        put_open_flags(f, a, flags);
        /* O_CREAT or O_TMPFILE carry a mode */
        if (flags & 0100 || (flags & 020000000)) fprintf(f, ", 0%llo", (unsigned long long)g[k == K_OPEN ? 2 : 3]);
        break;
    }
    case K_OPENAT2: fprintf(f, ", %s, %llu", e->extra ? e->extra : "?", (unsigned long long)g[3]); break;
    case K_CREAT: fprintf(f, ", 0%llo", (unsigned long long)g[1]); break;
    case K_EXECVE:
        fprintf(f, ", %s, ", e->extra ? e->extra : "?");
        put_ptr(f, g[2]);
        break;
    case K_EXECVEAT:
        fprintf(f, ", %s, ", e->extra ? e->extra : "?");
        put_ptr(f, g[3]);
        fputs(", ", f);
        put_at_flags(f, (unsigned long)g[4]);
        break;
    case K_STAT:
    case K_LSTAT:
        fputs(", ", f);
        put_ptr(f, g[1]);
        break;
    case K_NEWFSTATAT:
        fputs(", ", f);
        put_ptr(f, g[2]);
        fputs(", ", f);
        put_at_flags(f, (unsigned long)g[3]);
        break;
    case K_STATX:
        fputs(", ", f);
        put_at_flags(f, (unsigned long)g[2]);
        fprintf(f, ", %#llx, ", (unsigned long long)(uint32_t)g[3]);
        put_ptr(f, g[4]);
        break;
    case K_ACCESS:
        fputs(", ", f);
        put_access_mode(f, (unsigned long)g[1]);
        break;
    case K_FACCESSAT:
    case K_FACCESSAT2:
        fputs(", ", f);
        put_access_mode(f, (unsigned long)g[2]);
        if (k == K_FACCESSAT2) {
            fputs(", ", f);
            put_at_flags(f, (unsigned long)g[3]);
        }
        break;
    case K_READLINK:
    case K_READLINKAT: {
        int bi = k == K_READLINK ? 1 : 2;
        fputs(", ", f);
        if (!is_error && rval >= 0) {
            char target[PATH_MAX];
            size_t n = (size_t)rval < sizeof(target) ? (size_t)rval : sizeof(target);
            if (read_mem(t, p->pid, g[bi], target, n) == 0) put_quoted(f, target, n, 0);
            else put_ptr(f, g[bi]);
        } else {
            put_ptr(f, g[bi]);
        }
        fprintf(f, ", %llu", (unsigned long long)g[bi + 1]);
        break;
    }
    case K_CLONE: fprintf(f, "child_stack=%#llx, flags=%#llx", (unsigned long long)g[1], (unsigned long long)g[0]); break; /* NULL stack printed as 0 */
    case K_CLONE3:
        put_ptr(f, g[0]);
        fprintf(f, ", %llu", (unsigned long long)g[1]);
        break;
    case K_MKDIR:
    case K_MKDIRAT:
        fputs(", ", f);
        put_umode(f, g[k == K_MKDIR ? 1 : 2]);
        break;
    case K_MKNOD:
    case K_MKNODAT: {
        int mi = k == K_MKNOD ? 1 : 2;
        fputs(", ", f);
        put_mknod_mode_dev(f, g[mi], g[mi + 1]);
        break;
    }
    case K_UNLINKAT:
        fputs(", ", f);
        put_int_flags(f, g[2], unlink_link_flags, LEN(unlink_link_flags), "AT_???");
        break;
    case K_LINKAT:
        fputs(", ", f);
        put_int_flags(f, g[4], unlink_link_flags, LEN(unlink_link_flags), "AT_???");
        break;
    case K_RENAMEAT2:
        fputs(", ", f);
        put_int_flags(f, g[4], rename_flags, LEN(rename_flags), "RENAME_??");
        break;
    case K_CHDIR:
    case K_FCHDIR:
    case K_UNLINK:
    case K_RMDIR:
    case K_RENAME:
    case K_RENAMEAT:
    case K_LINK:
    case K_SYMLINK:
    case K_SYMLINKAT:
    case K_FORK:
    case K_VFORK: break;
    }
    fputs(") = ", f);
    put_result(f, p->pid, e, rval, is_error);
    putc('\n', f);
    clear_entry(e);
}

/* Register fallback for kernels without PTRACE_GET_SYSCALL_INFO: entry and
 * exit told apart by toggling (in syscall mode); the native architecture only. */
static int regs_stop(pid_t pid, uint64_t *nr, uint64_t args[6], int64_t *ret) {
#if defined(__x86_64__)
    struct user_regs_struct r;
    struct iovec io = {&r, sizeof(r)};
    if (ptrace(PTRACE_GETREGSET, pid, (void *)NT_PRSTATUS, &io) < 0) return -1;
    *nr = r.orig_rax;
    uint64_t a[6] = {r.rdi, r.rsi, r.rdx, r.r10, r.r8, r.r9};
    memcpy(args, a, sizeof(a));
    *ret = (int64_t)r.rax;
#elif defined(__aarch64__)
    struct user_regs_struct r;
    struct iovec io = {&r, sizeof(r)};
    if (ptrace(PTRACE_GETREGSET, pid, (void *)NT_PRSTATUS, &io) < 0) return -1;
    *nr = r.regs[8];
    memcpy(args, r.regs, 6 * sizeof(uint64_t));
    *ret = (int64_t)r.regs[0];
#endif
    return 0;
}

static void on_syscall_stop(struct tracer *t, struct proc *p) {
    if (t->have_syscall_info) {
        struct sw_syscall_info info;
        memset(&info, 0, sizeof(info));
        long n = ptrace(SW_PTRACE_GET_SYSCALL_INFO, p->pid, (void *)sizeof(info), &info);
        if (n > 0) {
            if (info.op == SW_INFO_ENTRY)
                on_entry(t, p, arch_of(info.arch), info.entry.nr, info.entry.args);
            else if (info.op == SW_INFO_EXIT)
                on_exit_stop(t, p, info.exit.rval, info.exit.is_error);
            return;
        }
        if (errno == ESRCH) return;
        t->have_syscall_info = 0;
    }
    uint64_t nr, args[6];
    int64_t ret;
    if (regs_stop(p->pid, &nr, args, &ret) < 0) return;
    if (!p->in_syscall && !t->seccomp) {
        p->in_syscall = 1;
        on_entry(t, p, arch_of(NATIVE_AUDIT_ARCH), nr, args);
    } else { /* in seccomp mode every syscall stop is an exit: see resume */
        p->in_syscall = 0;
        on_exit_stop(t, p, ret, ret < 0 && ret >= -4095);
    }
}

/* A PTRACE_EVENT_SECCOMP stop in seccomp mode: the syscall's entry. The
 * kernel (4.8+) stops here after any syscall-entry stop and before running
 * the call, so the registers hold the number and the arguments; the tracee is
 * then resumed with PTRACE_SYSCALL for this one call (see resume), and the
 * next syscall stop is its exit. */
static void on_seccomp_stop(struct tracer *t, struct proc *p) {
    if (t->have_syscall_info) {
        struct sw_syscall_info info;
        memset(&info, 0, sizeof(info));
        long n = ptrace(SW_PTRACE_GET_SYSCALL_INFO, p->pid, (void *)sizeof(info), &info);
        if (n > 0 && info.op == SW_INFO_SECCOMP) {
            on_entry(t, p, arch_of(info.arch), info.seccomp.nr, info.seccomp.args);
            return;
        }
        if (n < 0 && errno == ESRCH) return;
        if (n < 0) t->have_syscall_info = 0;
    }
    uint64_t nr, args[6];
    int64_t ret;
    if (regs_stop(p->pid, &nr, args, &ret) < 0) return;
    on_entry(t, p, arch_of(NATIVE_AUDIT_ARCH), nr, args);
}

/* --------------------------------------------------------------- loop */

/* Resumes a tracee. syscall mode: always PTRACE_SYSCALL. seccomp mode:
 * PTRACE_SYSCALL only between a path syscall's seccomp stop and its exit stop
 * (through the fork, vfork, clone and exec event stops on the way), so that
 * the exit stops; PTRACE_CONT otherwise, and the filter picks the next stop. */
static void resume(const struct tracer *t, pid_t pid, const struct proc *p, int sig) {
    int op = PTRACE_SYSCALL;
    if (t->seccomp && !(p && p->e.active && p->e.se)) op = PTRACE_CONT;
    ptrace(op, pid, NULL, (void *)(long)sig);
}

static void kill_all(struct tracer *t) {
    for (size_t i = 0; i < t->nprocs; i++) kill(t->procs[i]->pid, SIGKILL);
}

/* The live processes (thread groups) among the tracees: distinct Tgid of the
 * entries of /proc/PID/status whose State is not Z or X. A tracee whose status
 * cannot be read (no /proc) counts as a process of its own. */
static size_t count_processes(const struct tracer *t) {
    pid_t *groups = malloc((t->nprocs ? t->nprocs : 1) * sizeof(*groups));
    if (!groups) return t->nprocs;
    size_t n = 0;
    for (size_t i = 0; i < t->nprocs; i++) {
        pid_t tgid = t->procs[i]->pid;
        char state = 'R';
        char path[64], line[256];
        snprintf(path, sizeof(path), "/proc/%d/status", (int)tgid);
        FILE *f = fopen(path, "re");
        if (f) {
            while (fgets(line, sizeof(line), f)) {
                if (!strncmp(line, "State:", 6)) state = line[6 + strspn(line + 6, " \t")];
                else if (!strncmp(line, "Tgid:", 5)) tgid = (pid_t)strtol(line + 5, NULL, 10);
            }
            fclose(f);
        }
        if (state == 'Z' || state == 'X') continue;
        size_t j = 0;
        while (j < n && groups[j] != tgid) j++;
        if (j == n) groups[n++] = tgid;
    }
    free(groups);
    return n;
}

/* Which deadline, if any, ends the run at `now`: STOP_TIMEOUT, STOP_GRACE or
 * 0. When both have passed, the earlier one (a tie goes to the grace period:
 * the program ended within the time limit). */
static int due(const struct tracer *t, int64_t now) {
    int timeout = t->timeout_at && now >= t->timeout_at;
    int grace = t->root_done && now >= t->grace_at;
    if (timeout && !(grace && t->grace_at <= t->timeout_at)) return STOP_TIMEOUT;
    return grace ? STOP_GRACE : 0;
}

/* Returns 0 when every tracee is gone (the root last, or the others within the
 * grace period after it), STOP_GRACE when what the root left was killed at the
 * end of the grace period, STOP_TIMEOUT when stopped by the timeout, or the
 * number of the signal that interrupted the tracer. Every tracee's exit is
 * reaped before it returns, except when the drain after a kill takes longer than
 * DRAIN_SECONDS. */
static int trace_loop(struct tracer *t) {
    int stopping = 0;
    int64_t drain_at = 0;
    for (;;) {
        int64_t now = now_ms();
        if (!stopping) {
            stopping = got_stop_signal ? got_stop_signal : due(t, now);
            if (stopping) {
                fflush(t->log);
                if (stopping == STOP_GRACE) t->killed = count_processes(t);
                kill_all(t);
                drain_at = now + DRAIN_SECONDS * 1000;
                arm_timer(drain_at);
            }
        } else if (now >= drain_at) {
            return stopping; /* PTRACE_O_EXITKILL kills what is left when we exit */
        }
        int st;
        pid_t pid = waitpid(-1, &st, __WALL);
        if (pid < 0) {
            if (errno == EINTR) continue;
            return stopping; /* ECHILD: nothing left to trace, nothing left to reap */
        }
        if (WIFEXITED(st) || WIFSIGNALED(st)) {
            if (pid == t->root) {
                t->root_status = st;
                t->root_done = 1;
                t->grace_at = now_ms() + t->grace_ms;
                if (!stopping) {
                    int64_t next = t->grace_at;
                    if (t->timeout_at && t->timeout_at < next) next = t->timeout_at;
                    arm_timer(next);
                }
            }
            remove_proc(t, pid);
            continue;
        }
        if (!WIFSTOPPED(st)) continue;
        struct proc *p = add_proc(t, pid);
        if (stopping) {
            kill(pid, SIGKILL);
            resume(t, pid, p, 0);
            continue;
        }
        if (!p) { /* out of memory: let it run unrecorded rather than hang it */
            if (t->filtered) resume(t, pid, NULL, 0); /* detached, the filter would make path calls ENOSYS */
            else ptrace(PTRACE_DETACH, pid, NULL, NULL);
            continue;
        }
        int sig = WSTOPSIG(st);
        int event = (unsigned)st >> 16;
        if (sig == (SIGTRAP | 0x80)) {
            p->expect_stop = 0;
            on_syscall_stop(t, p);
            resume(t, pid, p, 0);
            continue;
        }
        if (event == PTRACE_EVENT_SECCOMP) {
            /* seccomp mode: a path syscall's entry. syscall mode with the filter
             * installed (a kernel without PTRACE_GET_SYSCALL_INFO): the entry and
             * exit stops do the work and this one is passed over. */
            p->expect_stop = 0;
            if (t->seccomp) on_seccomp_stop(t, p);
            resume(t, pid, p, 0);
            continue;
        }
        if (event) {
            unsigned long msg = 0;
            ptrace(PTRACE_GETEVENTMSG, pid, NULL, &msg);
            if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK || event == PTRACE_EVENT_CLONE) {
                add_proc(t, (pid_t)msg);
            } else if (event == PTRACE_EVENT_EXEC && (pid_t)msg != pid) {
                /* a thread other than the leader called execve: it takes the leader's pid */
                struct proc *old = find_proc(t, (pid_t)msg);
                if (old) {
                    clear_entry(&p->e);
                    p->e = old->e;
                    p->in_syscall = old->in_syscall;
                    old->e.extra = NULL;
                    remove_proc(t, old->pid);
                }
            }
            resume(t, pid, p, 0);
            continue;
        }
        if (p->expect_stop && sig == SIGSTOP) {
            p->expect_stop = 0;
            resume(t, pid, p, 0);
            continue;
        }
        siginfo_t si;
        if (ptrace(PTRACE_GETSIGINFO, pid, NULL, &si) < 0) resume(t, pid, p, 0); /* group-stop */
        else resume(t, pid, p, sig);                                               /* deliver it */
    }
}

/* ------------------------------------------------------ seccomp filter */

/* One JEQ per syscall of the native table, plus five instructions. */
#define FILTER_MAX 128

/* The filter of seccomp mode: SECCOMP_RET_TRACE for every syscall in the
 * native architecture's table, SECCOMP_RET_ALLOW for everything else. Other
 * audit architectures (32-bit x86 on x86_64, AArch32 on aarch64) are allowed:
 * the tracer decodes none of their syscalls in either mode, and their forks
 * and execs are still followed, since ptrace's event stops do not depend on
 * the filter. x32 calls (AUDIT_ARCH_X86_64, nr | 0x40000000) match no entry.
 * It reads nr and arch only, so Linux 5.11+ caches the allowed calls and does
 * not even run it for them. Returns the number of instructions, 0 if the table
 * does not fit (an 8-bit jump offset). */
static unsigned short build_filter(struct sock_filter *out, size_t cap) {
    const struct arch *a = arch_of(NATIVE_AUDIT_ARCH);
    size_t n = a->table_len;
    if (n + 5 > cap || n + 1 > 255) return 0;
    size_t pos = 0;
    /* 0: A = arch; 1: if (A != native) goto allow; 2: A = nr */
    out[pos++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    out[pos++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, a->audit, 0, (unsigned char)(n + 1));
    out[pos++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
    /* 3 + i: if (A == table[i].nr) goto trace */
    for (size_t i = 0; i < n; i++)
        out[pos++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)a->table[i].nr,
                                                  (unsigned char)(n - i), 0);
    out[pos++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW); /* 3 + n: allow */
    out[pos++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE); /* 4 + n: trace */
    return (unsigned short)pos;
}

/* In the child, before PTRACE_TRACEME: 0 when the filter is installed. The
 * NULL probe first (EFAULT: filter mode exists) so that no_new_privs is set
 * only when the filter can follow; no_new_privs is what lets an unprivileged
 * process install a filter. Between here and the tracer setting
 * PTRACE_O_TRACESECCOMP the child must make no call of the table: without a
 * tracer asking for seccomp stops, SECCOMP_RET_TRACE fails it with ENOSYS. */
static int install_filter(const struct sock_fprog *prog) {
    if (prog->len == 0) return -1;
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, NULL, 0, 0) == 0 || errno != EFAULT) return -1;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return -1;
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, prog, 0, 0);
}

/* -------------------------------------------------------------- main */

static void usage(void) {
    fputs("usage: tracer -o LOG [--timeout SECONDS] [--grace SECONDS] [--status FILE] [--no-seccomp]\n"
          "              -- PROGRAM [ARGS...]\n",
          stderr);
}

static void write_status(const char *file, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void write_status(const char *file, const char *fmt, ...) {
    char line[PATH_MAX + 256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (strncmp(line, "error", 5) == 0) fprintf(stderr, "tracer: %s\n", line + 6);
    if (!file) return;
    FILE *f = fopen(file, "w");
    if (!f) {
        fprintf(stderr, "tracer: status file %s: %s\n", file, strerror(errno));
        return;
    }
    fprintf(f, "%s\n", line);
    fclose(f);
}

/* execvp's search, done here so the log shows one execve of the real path. */
static int find_program(const char *name, char *out, size_t cap) {
    if (strchr(name, '/')) {
        snprintf(out, cap, "%s", name);
        return 0;
    }
    const char *path = getenv("PATH");
    if (!path || !*path) path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    const char *s = path;
    for (;;) {
        const char *colon = strchr(s, ':');
        size_t n = colon ? (size_t)(colon - s) : strlen(s);
        int w = n ? snprintf(out, cap, "%.*s/%s", (int)n, s, name) : snprintf(out, cap, "%s", name);
        struct stat sb;
        if (w > 0 && (size_t)w < cap && stat(out, &sb) == 0 && S_ISREG(sb.st_mode) && access(out, X_OK) == 0)
            return 0;
        if (!colon) break;
        s = colon + 1;
    }
    return -1;
}

static void report(int fd, const char *what, const char *path, int err) {
    char msg[PATH_MAX + 128];
    int n = snprintf(msg, sizeof(msg), "%s%s%s: %s", what, path ? " " : "", path ? path : "", strerror(err));
    if (n > 0) {
        ssize_t w = write(fd, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
        (void)w;
    }
}

/* A count of seconds, 0 to MAX_SECONDS; -1 when it is not one. */
static long parse_seconds(const char *text) {
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (!*text || *end || errno || v < 0 || v > MAX_SECONDS) return -1;
    return v;
}

int main(int argc, char **argv) {
    const char *log_file = NULL, *status_file = NULL;
    long timeout = 0, grace = DEFAULT_GRACE_SECONDS;
    int use_seccomp = 1;
    int i = 1;
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        } else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
            log_file = argv[++i];
        } else if (!strcmp(argv[i], "--no-seccomp")) {
            use_seccomp = 0;
        } else if (!strcmp(argv[i], "--status") && i + 1 < argc) {
            status_file = argv[++i];
        } else if ((!strcmp(argv[i], "--timeout") || !strcmp(argv[i], "--grace")) && i + 1 < argc) {
            const char *option = argv[i];
            long v = parse_seconds(argv[++i]);
            if (v < 0) {
                usage();
                write_status(status_file, "error usage: bad %s %s", option, argv[i]);
                return EXIT_TRACER_ERROR;
            }
            if (option[2] == 't') timeout = v;
            else grace = v;
        } else if (argv[i][0] == '-') {
            usage();
            write_status(status_file, "error usage: unknown option %s", argv[i]);
            return EXIT_TRACER_ERROR;
        } else {
            break;
        }
    }
    if (!log_file || i >= argc) {
        usage();
        write_status(status_file, "error usage: %s", !log_file ? "-o LOG is required" : "no PROGRAM");
        return EXIT_TRACER_ERROR;
    }
    char **prog_argv = argv + i;

    char program[PATH_MAX];
    if (find_program(prog_argv[0], program, sizeof(program)) < 0) {
        write_status(status_file, "error exec %s: not found in PATH", prog_argv[0]);
        return EXIT_NOT_FOUND;
    }

    struct tracer t;
    memset(&t, 0, sizeof(t));
    t.have_syscall_info = 1;
    t.have_vm_readv = 1;
    t.page_size = sysconf(_SC_PAGESIZE);
    if (t.page_size <= 0) t.page_size = 4096;
    t.log = fopen(log_file, "we");
    if (!t.log) {
        write_status(status_file, "error log %s: %s", log_file, strerror(errno));
        return EXIT_TRACER_ERROR;
    }
    setvbuf(t.log, NULL, _IOFBF, 1 << 16);

    struct sock_filter filter[FILTER_MAX];
    struct sock_fprog prog = {use_seccomp ? build_filter(filter, LEN(filter)) : 0, filter};

    /* pfd: the child's error message, if any; mfd: one byte, 'f' when it
     * installed the filter. */
    int pfd[2], mfd[2];
    if (pipe2(pfd, O_CLOEXEC) < 0 || pipe2(mfd, O_CLOEXEC) < 0) {
        write_status(status_file, "error pipe: %s", strerror(errno));
        return EXIT_TRACER_ERROR;
    }
    pid_t child = fork();
    if (child < 0) {
        write_status(status_file, "error fork: %s", strerror(errno));
        return EXIT_TRACER_ERROR;
    }
    if (child == 0) {
        close(pfd[0]);
        close(mfd[0]);
        ssize_t w = write(mfd[1], install_filter(&prog) == 0 ? "f" : "-", 1);
        (void)w;
        if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0) {
            report(pfd[1], "ptrace", NULL, errno);
            _exit(EXIT_TRACER_ERROR);
        }
        raise(SIGSTOP);
        execv(program, prog_argv);
        int err = errno;
        report(pfd[1], "exec", program, err);
        _exit(err == ENOENT ? EXIT_NOT_FOUND : EXIT_NOT_EXECUTABLE);
    }
    close(pfd[1]);
    close(mfd[1]);
    t.root = child;

    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm; /* no SA_RESTART: waitpid returns EINTR */
    sigaction(SIGALRM, &sa, NULL);
    sa.sa_handler = on_stop_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    /* The child's own SIGSTOP: set the options, then let it exec. */
    int st;
    while (waitpid(child, &st, __WALL) < 0 && errno == EINTR) {
    }
    char msg[PATH_MAX + 128];
    if (!WIFSTOPPED(st)) {
        ssize_t n = read(pfd[0], msg, sizeof(msg) - 1);
        msg[n > 0 ? n : 0] = 0;
        write_status(status_file, "error %s", n > 0 ? msg : "tracee vanished before exec");
        return EXIT_TRACER_ERROR;
    }
    char filtered = 0;
    t.filtered = read(mfd[0], &filtered, 1) == 1 && filtered == 'f';
    close(mfd[0]);
    /* At a signal-delivery stop PTRACE_GET_SYSCALL_INFO answers op NONE on
     * 5.3+. seccomp mode needs it: with it the seccomp stop is known to come
     * before the exit stop (4.8+), and the arch is the tracee's own. */
    struct sw_syscall_info probe;
    if (ptrace(SW_PTRACE_GET_SYSCALL_INFO, child, (void *)sizeof(probe), &probe) <= 0) t.have_syscall_info = 0;
    t.seccomp = t.filtered && t.have_syscall_info;
    long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
                PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL | (t.filtered ? PTRACE_O_TRACESECCOMP : 0);
    if (ptrace(PTRACE_SETOPTIONS, child, NULL, (void *)opts) < 0) {
        int err = errno;
        kill(child, SIGKILL);
        write_status(status_file, "error ptrace: %s", strerror(err));
        return EXIT_TRACER_ERROR;
    }
    struct proc *root = add_proc(&t, child);
    if (!root) {
        kill(child, SIGKILL);
        write_status(status_file, "error out of memory");
        return EXIT_TRACER_ERROR;
    }
    root->expect_stop = 0;
    t.grace_ms = grace * 1000;
    if (timeout > 0) {
        t.timeout_at = now_ms() + timeout * 1000;
        arm_timer(t.timeout_at);
    }
    resume(&t, child, root, 0);

    int stopped = trace_loop(&t);
    arm_timer(0);
    int log_error = fflush(t.log) != 0 || ferror(t.log);
    int log_errno = errno;
    fclose(t.log);

    fcntl(pfd[0], F_SETFL, O_NONBLOCK);
    ssize_t n = read(pfd[0], msg, sizeof(msg) - 1);
    msg[n > 0 ? n : 0] = 0;

    const char *mode = t.seccomp ? "" : " mode=syscall";
    if (stopped == STOP_TIMEOUT) {
        write_status(status_file, "timeout%s", mode);
        return EXIT_TIMEOUT;
    }
    if (stopped > 0) {
        write_status(status_file, "error interrupted by signal %d", stopped);
        return 128 + stopped;
    }
    if (n > 0) {
        write_status(status_file, "error %s", msg);
        return t.root_done && WIFEXITED(t.root_status) ? WEXITSTATUS(t.root_status) : EXIT_TRACER_ERROR;
    }
    if (log_error) {
        write_status(status_file, "error log %s: %s", log_file, strerror(log_errno));
        return EXIT_TRACER_ERROR;
    }
    if (!t.root_done) {
        write_status(status_file, "error lost the program's exit status");
        return EXIT_TRACER_ERROR;
    }
    char killed[32] = "";
    if (t.killed) snprintf(killed, sizeof(killed), " killed=%zu", t.killed);
    if (WIFSIGNALED(t.root_status)) {
        write_status(status_file, "ok signal=%d%s%s", WTERMSIG(t.root_status), killed, mode);
        return 128 + WTERMSIG(t.root_status);
    }
    write_status(status_file, "ok exit=%d%s%s", WEXITSTATUS(t.root_status), killed, mode);
    return WEXITSTATUS(t.root_status);
}
