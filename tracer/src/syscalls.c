/* --syscalls: every syscall number each tracee entered, per ABI, and how its
 * calls ended, written as a summary when the run ends (see README.md,
 * "Syscall summary"). Needs syscall mode: the entry stop comes before any
 * seccomp filter runs, so calls an outer profile refuses are seen too. */
#include "tracer.h"

static const char *const abi_names[ABI_COUNT] = {
    [ABI_X86_64] = "x86_64", [ABI_X32] = "x32", [ABI_I386] = "i386",
    [ABI_AARCH64] = "aarch64", [ABI_ARM] = "arm",
};

/* The ABI of a syscall by the audit arch the kernel reports, and its number
 * within the ABI (x32's without X32_SYSCALL_BIT); -1 when it is none of ours. */
static int abi_of(uint32_t audit, uint64_t nr, unsigned *within) {
    *within = (unsigned)nr;
    switch (audit) {
    case AUDIT_ARCH_X86_64_:
        if (nr & X32_SYSCALL_BIT_) {
            *within = (unsigned)(nr & ~(uint64_t)X32_SYSCALL_BIT_);
            return ABI_X32;
        }
        return ABI_X86_64;
    case AUDIT_ARCH_I386_: return ABI_I386;
    case AUDIT_ARCH_AARCH64_: return ABI_AARCH64;
    case AUDIT_ARCH_ARM_: return ABI_ARM;
    default: return -1;
    }
}

void record_entry(struct tracer *t, struct proc *p, uint32_t audit, uint64_t nr) {
    p->rec_abi = -1;
    if (!t->rec.out) return;
    unsigned within;
    int abi = abi_of(audit, nr, &within);
    if (abi < 0 || nr > 0xffffffffULL || within >= SC_MAX_NR) {
        t->rec.dropped++;
        return;
    }
    t->rec.seen[abi][within] |= SC_ENTERED;
    p->rec_abi = abi;
    p->rec_nr = within;
}

/* A call that never reaches its exit stop (exit, exit_group, a tracee killed
 * inside it) leaves only SC_ENTERED: it ran. */
void record_exit(struct tracer *t, struct proc *p, int64_t rval, int is_error) {
    if (!t->rec.out || p->rec_abi < 0) return;
    t->rec.seen[p->rec_abi][p->rec_nr] |= is_error && rval == -ENOSYS ? SC_ENOSYS : SC_OTHER;
    p->rec_abi = -1;
}

/* A syscall "ran" unless every one of its calls that ended returned ENOSYS
 * (not implemented by the kernel, or refused so by an outer seccomp profile). */
static int ran(unsigned char f) {
    return (f & SC_ENTERED) && !((f & SC_ENOSYS) && !(f & SC_OTHER));
}

/* One line per ABI and kind, numbers ascending: "x86_64 ran 0 1 3",
 * "x86_64 enosys 435". Nothing for an ABI without such calls. */
static void put_line(FILE *f, const struct syscall_record *r, int abi, int want_ran) {
    int any = 0;
    for (unsigned nr = 0; nr < SC_MAX_NR; nr++) {
        unsigned char s = r->seen[abi][nr];
        if (!(s & SC_ENTERED) || ran(s) != want_ran) continue;
        if (!any) fprintf(f, "%s %s", abi_names[abi], want_ran ? "ran" : "enosys");
        fprintf(f, " %u", nr);
        any = 1;
    }
    if (any) putc('\n', f);
}

/* Writes the summary and closes the file: 0, or -1 with errno set. */
int write_syscalls(struct tracer *t) {
    FILE *f = t->rec.out;
    if (!f) return 0;
    t->rec.out = NULL;
    fputs("syscalls 1\n", f);
    for (int abi = 0; abi < ABI_COUNT; abi++) {
        put_line(f, &t->rec, abi, 1);
        put_line(f, &t->rec, abi, 0);
    }
    if (t->rec.dropped) fprintf(f, "dropped %lu\n", t->rec.dropped);
    int failed = fflush(f) != 0 || ferror(f);
    int err = errno;
    if (fclose(f) != 0 && !failed) {
        failed = 1;
        err = errno;
    }
    errno = err;
    return failed ? -1 : 0;
}
