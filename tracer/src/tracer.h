/*
 * The tracer's internal header: the types its parts share and what each part
 * offers the others. main.c (arguments, the child, the seccomp filter, the
 * status file) -> loop.c (the ptrace loop, the proc table, the timer) ->
 * stops.c (one syscall stop, tracee memory) -> print.c (strace's formatting)
 * and tables.c (the per-architecture syscall tables).
 */
#ifndef TRACER_H
#define TRACER_H

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
#define AUDIT_ARCH_I386_ 0x40000003U
#define AUDIT_ARCH_ARM_ 0x40000028U
#define X32_SYSCALL_BIT_ 0x40000000U

/* ------------------------------------------ syscall tables (tables.c) */

enum sc_kind {
    K_OPEN, K_OPENAT, K_OPENAT2, K_CREAT, K_EXECVE, K_EXECVEAT,
    K_STAT, K_LSTAT, K_NEWFSTATAT, K_STATX, K_ACCESS, K_FACCESSAT, K_FACCESSAT2,
    K_READLINK, K_READLINKAT, K_CHDIR, K_FCHDIR,
    K_MKDIR, K_MKDIRAT, K_MKNOD, K_MKNODAT, K_UNLINK, K_UNLINKAT, K_RMDIR,
    K_RENAME, K_RENAMEAT, K_RENAMEAT2, K_LINK, K_LINKAT, K_SYMLINK, K_SYMLINKAT,
    K_CLONE, K_CLONE3, K_FORK, K_VFORK,
    K_PTRACE, /* not logged: a failure with EPERM is counted (nested ptrace) */
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

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__x86_64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_X86_64_
#elif defined(__aarch64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_AARCH64_
#else
#error "tracer: unsupported architecture (x86_64 and aarch64 only)"
#endif

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
    int rec_abi;     /* --syscalls: the ABI of the syscall entered, -1 none */
    unsigned rec_nr; /* --syscalls: its number within the ABI */
    struct entry e;
};

/* ------------------------------------------ --syscalls (syscalls.c) */

/* The ABIs a tracee can make syscalls in: x86_64, its x32 ABI (the x86_64
 * audit arch with X32_SYSCALL_BIT) and i386; aarch64 and 32-bit ARM. */
enum sc_abi { ABI_X86_64, ABI_X32, ABI_I386, ABI_AARCH64, ABI_ARM, ABI_COUNT };

#define SC_MAX_NR 1024 /* numbers at or above (within an ABI) are counted, not kept */
#define SC_ENTERED 1
#define SC_ENOSYS 2 /* a call of this number returned -ENOSYS */
#define SC_OTHER 4  /* a call of this number returned something else */

struct syscall_record {
    FILE *out; /* the summary file, opened at the start; NULL: not recording */
    unsigned char seen[ABI_COUNT][SC_MAX_NR];
    unsigned long dropped; /* entries whose ABI or number was out of range */
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
    size_t ptrace_denied; /* a tracee's own ptrace calls that failed with EPERM */
    int have_syscall_info; /* PTRACE_GET_SYSCALL_INFO works (Linux 5.3+) */
    int filtered; /* the tracees carry our seccomp filter: PTRACE_O_TRACESECCOMP is set */
    int seccomp;  /* seccomp mode: the filter's stops are the entries, PTRACE_CONT elsewhere */
    int have_vm_readv;
    long page_size;
    struct syscall_record rec; /* --syscalls */
    struct proc **procs;
    size_t nprocs;
    size_t cap;
};

/* ------------------------------------------------------------- tables.c */

extern const char *const kind_names[];
extern const struct shape shapes[];
const struct arch *arch_of(uint32_t audit);
const struct sysent *lookup(const struct arch *a, uint64_t nr);

/* ------------------------------------------------------------- loop.c */

void on_alarm(int sig);
void on_stop_signal(int sig);
int64_t now_ms(void);
void arm_timer(int64_t at);
struct proc *add_proc(struct tracer *t, pid_t pid);
void clear_entry(struct entry *e);
void resume(const struct tracer *t, pid_t pid, const struct proc *p, int sig);
int trace_loop(struct tracer *t);

/* ------------------------------------------------------------- stops.c */

int read_mem(struct tracer *t, pid_t pid, uint64_t addr, void *buf, size_t len);
int read_string(struct tracer *t, pid_t pid, uint64_t addr, char *buf, size_t cap, size_t *len);
void on_syscall_stop(struct tracer *t, struct proc *p);
void on_seccomp_stop(struct tracer *t, struct proc *p);

/* ------------------------------------------------------------- syscalls.c */

void record_entry(struct tracer *t, struct proc *p, uint32_t audit, uint64_t nr);
void record_exit(struct tracer *t, struct proc *p, int64_t rval, int is_error);
int write_syscalls(struct tracer *t);

/* ------------------------------------------------------------- print.c */

void put_quoted(FILE *f, const char *s, size_t len, int truncated);
void put_open_flags(FILE *f, const struct arch *a, unsigned long flags);
void put_at_flags(FILE *f, unsigned long flags);
void put_access_mode(FILE *f, unsigned long mode);
void put_ptr(FILE *f, uint64_t v);
void put_shape_args(FILE *f, const struct entry *e, const struct shape *sh);
void put_int_flags(FILE *f, uint64_t arg, const struct flagname *names, size_t n, const char *hint);
void put_umode(FILE *f, uint64_t arg);
void put_mknod_mode_dev(FILE *f, uint64_t mode_arg, uint64_t dev_arg);
void put_result(FILE *f, pid_t pid, const struct entry *e, int64_t rval, int is_error);
void format_dirfd(pid_t pid, int fd, char *out, size_t cap);
char *format_argv(struct tracer *t, pid_t pid, uint64_t addr);
char *format_open_how(struct tracer *t, const struct arch *a, pid_t pid, uint64_t addr, uint64_t size);

#endif
