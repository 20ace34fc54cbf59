/* One syscall stop: what a tracee's entry saves (its paths and dirfds read
 * from tracee memory) and the line written at its exit. */
#include "tracer.h"

/* strace's at_flags, as it prints unlinkat's and linkat's flags (0x200 is AT_REMOVEDIR here). */
static const struct flagname unlink_link_flags[] = {
    {0x100, "AT_SYMLINK_NOFOLLOW"}, {0x200, "AT_REMOVEDIR"}, {0x400, "AT_SYMLINK_FOLLOW"},
    {0x800, "AT_NO_AUTOMOUNT"}, {0x1000, "AT_EMPTY_PATH"}, {0x8000, "AT_RECURSIVE"},
};

static const struct flagname rename_flags[] = {
    {1, "RENAME_NOREPLACE"}, {2, "RENAME_EXCHANGE"}, {4, "RENAME_WHITEOUT"},
};

/* ------------------------------------------------------ tracee memory */

/* Reads exactly len bytes at addr; 0 on success, -1 on any error. Never more
 * than one page per process_vm_readv call, so a fault ends the read cleanly. */
int read_mem(struct tracer *t, pid_t pid, uint64_t addr, void *buf, size_t len) {
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
int read_string(struct tracer *t, pid_t pid, uint64_t addr, char *buf, size_t cap, size_t *len) {
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

/* ----------------------------------------------------- syscall stops */

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

static void on_exit_stop(struct tracer *t, struct proc *p, int64_t rval, int is_error) {
    struct entry *e = &p->e;
    if (!e->active || !e->se) {
        clear_entry(e);
        return;
    }
    if (e->se->kind == K_PTRACE) {
        /* The tracee is ours, so its own PTRACE_TRACEME, and an attach to a
         * process we trace, fail with EPERM: counted for the status line. */
        if (is_error && rval == -EPERM) t->ptrace_denied++;
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
    case K_VFORK:
    case K_PTRACE: break; /* not logged: see above */
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

void on_syscall_stop(struct tracer *t, struct proc *p) {
    if (t->have_syscall_info) {
        struct sw_syscall_info info;
        memset(&info, 0, sizeof(info));
        long n = ptrace(SW_PTRACE_GET_SYSCALL_INFO, p->pid, (void *)sizeof(info), &info);
        if (n > 0) {
            if (info.op == SW_INFO_ENTRY) {
                record_entry(t, p, info.arch, info.entry.nr);
                on_entry(t, p, arch_of(info.arch), info.entry.nr, info.entry.args);
            } else if (info.op == SW_INFO_EXIT) {
                record_exit(t, p, info.exit.rval, info.exit.is_error);
                on_exit_stop(t, p, info.exit.rval, info.exit.is_error);
            }
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
        record_entry(t, p, NATIVE_AUDIT_ARCH, nr);
        on_entry(t, p, arch_of(NATIVE_AUDIT_ARCH), nr, args);
    } else { /* in seccomp mode every syscall stop is an exit: see resume */
        p->in_syscall = 0;
        record_exit(t, p, ret, ret < 0 && ret >= -4095);
        on_exit_stop(t, p, ret, ret < 0 && ret >= -4095);
    }
}

/* A PTRACE_EVENT_SECCOMP stop in seccomp mode: the syscall's entry. The
 * kernel (4.8+) stops here after any syscall-entry stop and before running
 * the call, so the registers hold the number and the arguments; the tracee is
 * then resumed with PTRACE_SYSCALL for this one call (see resume), and the
 * next syscall stop is its exit. */
void on_seccomp_stop(struct tracer *t, struct proc *p) {
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

