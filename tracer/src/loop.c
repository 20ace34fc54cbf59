/* The ptrace loop: waitpid, the proc table, the deadlines and their timer. */
#include "tracer.h"

#define DRAIN_SECONDS 5
#define TICK_MS 100 /* the timer's period once a deadline is due */

/* Set by a signal handler only; the loop reads it after waitpid returns. */
static volatile sig_atomic_t got_stop_signal;

/* SIGALRM only interrupts waitpid (EINTR); the loop compares the clock with
 * its deadlines. */
void on_alarm(int sig) { (void)sig; }

void on_stop_signal(int sig) { got_stop_signal = sig; }

/* ------------------------------------------------------------- time */

int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* SIGALRM at `at` (now_ms time; 0 disarms), then every TICK_MS: a tick that
 * came between the loop's look at the clock and waitpid is followed by the
 * next, which interrupts it. */
void arm_timer(int64_t at) {
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

struct proc *add_proc(struct tracer *t, pid_t pid) {
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
    p->rec_abi = -1;
    t->procs[t->nprocs++] = p;
    return p;
}

void clear_entry(struct entry *e) {
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

/* --------------------------------------------------------------- loop */

/* Resumes a tracee. syscall mode: always PTRACE_SYSCALL. seccomp mode:
 * PTRACE_SYSCALL only between a path syscall's seccomp stop and its exit stop
 * (through the fork, vfork, clone and exec event stops on the way), so that
 * the exit stops; PTRACE_CONT otherwise, and the filter picks the next stop. */
void resume(const struct tracer *t, pid_t pid, const struct proc *p, int sig) {
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
int trace_loop(struct tracer *t) {
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

