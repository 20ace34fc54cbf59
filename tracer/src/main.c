/*
 * tracer: a small static ptrace tracer for skinnywhale.
 *
 *   tracer -o LOG [--timeout SECONDS] [--grace SECONDS] [--status FILE] [--no-seccomp]
 *          [--syscalls FILE] -- PROGRAM ARGS...
 *   tracer index|tar|wait ...   the helper modes (helper.h)
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
 * --syscalls FILE (syscall mode) also writes a summary of every syscall
 * number the tracees entered, per ABI (syscalls.c).
 *
 * Layers: argument parsing (main, here) -> the ptrace loop (trace_loop,
 * loop.c) -> one syscall stop (on_entry / on_exit_stop, stops.c) -> the
 * per-architecture syscall tables (tables.c) -> the printers (put_*,
 * print.c), which write strace's escaping. tracer.h declares what they share.
 */
#include "tracer.h"
#include "helper.h"
#include "xattrs.h"

#define EXIT_TRACER_ERROR 125
#define EXIT_NOT_EXECUTABLE 126
#define EXIT_NOT_FOUND 127
#define EXIT_TIMEOUT 124

#define DEFAULT_GRACE_SECONDS 2
#define MAX_SECONDS (86400L * 365)

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
          "              [--syscalls FILE] -- PROGRAM [ARGS...]\n",
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
    /* The helper modes (helper.h): a first word no trace run can have. */
    if (argc > 1 && !strcmp(argv[1], "index")) return helper_index(argc, argv);
    if (argc > 1 && !strcmp(argv[1], "tar")) return helper_tar(argc, argv);
    if (argc > 1 && !strcmp(argv[1], "serve")) return helper_serve(argc, argv);
    if (argc > 1 && !strcmp(argv[1], "wait")) return helper_wait(argc, argv);
    const char *log_file = NULL, *status_file = NULL, *syscalls_file = NULL;
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
        } else if (!strcmp(argv[i], "--syscalls") && i + 1 < argc) {
            syscalls_file = argv[++i];
            use_seccomp = 0; /* the entry stops of syscall mode see every call */
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
    if (syscalls_file) {
        t.rec.out = fopen(syscalls_file, "we");
        if (!t.rec.out) {
            write_status(status_file, "error syscalls %s: %s", syscalls_file, strerror(errno));
            return EXIT_TRACER_ERROR;
        }
    }

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
        /* TRACEME before the filter: the filter sends ptrace calls to the
         * tracer (to count a tracee's own, refused), and without a tracer
         * that asked for seccomp stops they fail with ENOSYS. */
        if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0) {
            report(pfd[1], "ptrace", NULL, errno);
            _exit(EXIT_TRACER_ERROR);
        }
        ssize_t w = write(mfd[1], install_filter(&prog) == 0 ? "f" : "-", 1);
        (void)w;
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
    /* written however the run ended: a service killed at the time limit too */
    int syscalls_error = write_syscalls(&t) != 0;
    int syscalls_errno = errno;

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
    if (syscalls_error) {
        write_status(status_file, "error syscalls %s: %s", syscalls_file, strerror(syscalls_errno));
        return EXIT_TRACER_ERROR;
    }
    if (!t.root_done) {
        write_status(status_file, "error lost the program's exit status");
        return EXIT_TRACER_ERROR;
    }
    char killed[64] = "";
    if (t.killed) snprintf(killed, sizeof(killed), " killed=%zu", t.killed);
    if (t.ptrace_denied)
        snprintf(killed + strlen(killed), sizeof(killed) - strlen(killed), " ptrace-denied=%zu", t.ptrace_denied);
    if (WIFSIGNALED(t.root_status)) {
        write_status(status_file, "ok signal=%d%s%s", WTERMSIG(t.root_status), killed, mode);
        return 128 + WTERMSIG(t.root_status);
    }
    write_status(status_file, "ok exit=%d%s%s", WEXITSTATUS(t.root_status), killed, mode);
    return WEXITSTATUS(t.root_status);
}
