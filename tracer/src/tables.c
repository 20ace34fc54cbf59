/* The per-architecture syscall tables: which syscalls are logged, their
 * names and where their path arguments sit. */
#include "tracer.h"

const char *const kind_names[] = {
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
    [K_PTRACE] = "ptrace",
};

#define ONE(d, p) {d, p, -1, -1}
#define TWO(d, p, d2, p2) {d, p, d2, p2}

const struct shape shapes[] = {
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
    [K_PTRACE] = ONE(-1, -1),
};

/* asm/unistd_64.h */
static const struct sysent x86_64_syscalls[] = {
    {2, K_OPEN}, {4, K_STAT}, {6, K_LSTAT}, {21, K_ACCESS}, {56, K_CLONE},
    {57, K_FORK}, {58, K_VFORK}, {59, K_EXECVE}, {80, K_CHDIR}, {81, K_FCHDIR},
    {82, K_RENAME}, {83, K_MKDIR}, {84, K_RMDIR}, {85, K_CREAT}, {86, K_LINK},
    {87, K_UNLINK}, {88, K_SYMLINK}, {89, K_READLINK}, {101, K_PTRACE}, {133, K_MKNOD},
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
    {50, K_FCHDIR}, {56, K_OPENAT}, {78, K_READLINKAT}, {79, K_NEWFSTATAT}, {117, K_PTRACE},
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

static const struct arch arches[] = {
    {AUDIT_ARCH_X86_64_, x86_64_syscalls, LEN(x86_64_syscalls), x86_64_oflags, LEN(x86_64_oflags)},
    {AUDIT_ARCH_AARCH64_, aarch64_syscalls, LEN(aarch64_syscalls), aarch64_oflags, LEN(aarch64_oflags)},
};

/* ---------------------------------------------------------- lookups */

const struct arch *arch_of(uint32_t audit) {
    for (size_t i = 0; i < LEN(arches); i++)
        if (arches[i].audit == audit) return &arches[i];
    return NULL; /* e.g. a 32-bit process on x86_64: not followed syscall by syscall */
}

const struct sysent *lookup(const struct arch *a, uint64_t nr) {
    if (!a) return NULL;
    for (size_t i = 0; i < a->table_len; i++)
        if (a->table[i].nr == nr) return &a->table[i];
    return NULL;
}
