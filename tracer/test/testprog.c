/*
 * The workload the tracer tests trace. Every path it touches is named after
 * what it exercises, so run-tests.sh can find each one in the log.
 *
 *   testprog main DIR         the full workload (DIR holds the fixture files)
 *   testprog child DIR NAME   opens DIR/NAME (run by fork+exec, vfork+exec, posix_spawn)
 *   testprog exit N           exits with N
 *   testprog signal           dies of SIGTERM
 *   testprog hang PIDFILE     forks a child that writes its pid to PIDFILE; both pause forever
 *   testprog orphan PIDFILE N forks a child that writes its pid to PIDFILE and pauses forever;
 *                             exits with N once the child has written it
 *   testprog linger DIR       exits 0 at once; its child opens DIR/linger.txt 300 ms later
 *   testprog own-seccomp DIR  installs a seccomp filter of its own, then opens a file and
 *                             starts a child by fork+exec (DIR holds the fixture files)
 *   testprog nested-ptrace    calls ptrace(PTRACE_TRACEME), forks and attaches to the child;
 *                             prints how many of the two failed with EPERM
 *   testprog syscalls         for --syscalls: getppid (runs), getpgid (refused with ENOSYS by
 *                             a filter of its own), getsid in a forked child; prints
 *                             "NATIVE_ARCH GETPPID GETSID GETPGID", the numbers
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char *self;
static const char *dir;

static void must(int ok, const char *what) {
    if (!ok) {
        perror(what);
        exit(3);
    }
}

static void *thread_main(void *arg) {
    (void)arg;
    char path[4096];
    snprintf(path, sizeof(path), "%s/thread-file.txt", dir);
    int fd = open(path, O_RDONLY);
    must(fd >= 0, "thread open");
    close(fd);
    return NULL;
}

static void wait_child(pid_t pid) {
    int st;
    must(waitpid(pid, &st, 0) == pid, "waitpid");
    must(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status");
}

static void must_fail(long r, int err, const char *what) {
    if (r != -1 || errno != err) {
        fprintf(stderr, "%s: expected %s, got %ld (%s)\n", what, strerror(err), r, strerror(errno));
        exit(3);
    }
}

/* 8. creations and removals: every one of mkdir, mknod, rename, link,
 * symlink, unlink, rmdir and their *at forms, relative to a dirfd, to the cwd
 * (DIR, set by the caller) and absolute, successes and ENOENT failures. The
 * *at forms as raw syscalls, so every architecture logs them by these names;
 * the old forms only where the architecture has them (x86_64). */
static void fs_changes(int dfd) {
    char path[4096], path2[4096];
    must(syscall(SYS_mkdirat, dfd, "made-at", 0750) == 0, "mkdirat");
    snprintf(path, sizeof(path), "%s/no-parent/made-at", dir);
    must_fail(syscall(SYS_mkdirat, AT_FDCWD, path, 0755), ENOENT, "mkdirat missing parent");
    must(syscall(SYS_mknodat, dfd, "fifo-at", S_IFIFO | 0600, 0) == 0, "mknodat");
    must(syscall(SYS_renameat2, dfd, "made-at", dfd, "renamed-at", RENAME_NOREPLACE) == 0, "renameat2");
    must(syscall(SYS_renameat, dfd, "renamed-at", AT_FDCWD, "renamed-cwd") == 0, "renameat");
    must(syscall(SYS_linkat, dfd, "dirfd-file.txt", dfd, "hard-link-at", 0) == 0, "linkat");
    must(syscall(SYS_symlinkat, "symlink-target", dfd, "sym-link-at") == 0, "symlinkat");
    must(syscall(SYS_unlinkat, dfd, "sym-link-at", 0) == 0, "unlinkat symlink");
    must(syscall(SYS_unlinkat, dfd, "hard-link-at", 0) == 0, "unlinkat link");
    must(syscall(SYS_unlinkat, dfd, "fifo-at", 0) == 0, "unlinkat fifo");
    must(syscall(SYS_unlinkat, dfd, "renamed-cwd", AT_REMOVEDIR) == 0, "unlinkat dir");
    must_fail(syscall(SYS_unlinkat, dfd, "missing-unlink", 0), ENOENT, "unlinkat missing");
#ifdef SYS_mkdir
    snprintf(path, sizeof(path), "%s/made-dir", dir);
    must(syscall(SYS_mkdir, path, 0755) == 0, "mkdir");
    snprintf(path2, sizeof(path2), "%s/no-parent/made-dir", dir);
    must_fail(syscall(SYS_mkdir, path2, 0755), ENOENT, "mkdir missing parent");
    snprintf(path2, sizeof(path2), "%s/renamed-dir", dir);
    must(syscall(SYS_rename, path, path2) == 0, "rename");
    must(syscall(SYS_rmdir, path2) == 0, "rmdir");
    snprintf(path, sizeof(path), "%s/missing-dir", dir);
    must_fail(syscall(SYS_rmdir, path), ENOENT, "rmdir missing");
    snprintf(path, sizeof(path), "%s/fifo", dir);
    must(syscall(SYS_mknod, path, S_IFIFO | 0644, 0) == 0, "mknod");
    must(syscall(SYS_unlink, path) == 0, "unlink fifo");
    snprintf(path, sizeof(path), "%s/dirfd-file.txt", dir);
    snprintf(path2, sizeof(path2), "%s/hard-link", dir);
    must(syscall(SYS_link, path, path2) == 0, "link");
    must(syscall(SYS_unlink, path2) == 0, "unlink link");
    snprintf(path, sizeof(path), "%s/sym-link", dir);
    must(syscall(SYS_symlink, "symlink-target", path) == 0, "symlink");
    must(syscall(SYS_unlink, path) == 0, "unlink symlink");
#else
    (void)path2;
#endif
}

static int run_main(void) {
    char path[4096];

    /* 1. dlopen by name: the loader searches its path for libm.so.6 */
    void *h = dlopen("libm.so.6", RTLD_NOW);
    must(h != NULL, "dlopen libm.so.6");

    /* 2. a file relative to a directory fd */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    must(dfd >= 0, "open dir");
    int fd = openat(dfd, "dirfd-file.txt", O_RDONLY);
    must(fd >= 0, "openat dirfd");
    close(fd);

    /* 3. a thread that opens a file */
    pthread_t th;
    must(pthread_create(&th, NULL, thread_main, NULL) == 0, "pthread_create");
    pthread_join(th, NULL);

    /* 4. a missing file, stat'ed, and one statx'ed */
    struct stat sb;
    snprintf(path, sizeof(path), "%s/missing-file", dir);
    must(stat(path, &sb) < 0, "stat missing");
    struct statx sx;
    must(statx(dfd, "missing-statx", 0, STATX_BASIC_STATS, &sx) < 0, "statx missing");

    /* 5. access, readlink, a created file, a name that needs escaping */
    snprintf(path, sizeof(path), "%s/dirfd-file.txt", dir);
    must(access(path, R_OK) == 0, "access");
    char target[256];
    snprintf(path, sizeof(path), "%s/link", dir);
    must(readlink(path, target, sizeof(target)) > 0, "readlink");
    snprintf(path, sizeof(path), "%s/created.txt", dir);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    must(fd >= 0, "create");
    close(fd);
    fd = openat(dfd, "we\"ird\nname.txt", O_RDONLY);
    must(fd >= 0, "open weird name");
    close(fd);

    /* 6. relative paths resolved against the cwd, after chdir and fchdir */
    must(chdir(dir) == 0, "chdir");
    fd = open("rel-file.txt", O_RDONLY);
    must(fd >= 0, "open relative");
    close(fd);
    must(open("rel-missing.txt", O_RDONLY) < 0, "open relative missing");
    must(chdir("/") == 0, "chdir /");
    must(fchdir(dfd) == 0, "fchdir");
#ifdef SYS_open
    fd = (int)syscall(SYS_open, "rel-raw.txt", O_RDONLY);
    must(fd >= 0, "raw open relative");
    close(fd);
#endif

    /* 7. children: fork+exec, vfork+exec, posix_spawn (clone3 or clone(CLONE_VFORK)) */
    pid_t pid = fork();
    must(pid >= 0, "fork");
    if (pid == 0) {
        execl(self, self, "child", dir, "child-fork.txt", (char *)NULL);
        _exit(4);
    }
    wait_child(pid);
    pid = vfork();
    must(pid >= 0, "vfork");
    if (pid == 0) {
        execl(self, self, "child", dir, "child-vfork.txt", (char *)NULL);
        _exit(4);
    }
    wait_child(pid);
    char *spawn_argv[] = {(char *)self, "child", (char *)dir, "child-spawn.txt", NULL};
    must(posix_spawn(&pid, self, NULL, NULL, spawn_argv, environ) == 0, "posix_spawn");
    wait_child(pid);

    /* 8. creations and removals, with the cwd still DIR (fchdir above) */
    fs_changes(dfd);
    close(dfd);
    return 0;
}


static int run_child(const char *name) {
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    int fd = open(path, O_RDONLY);
    must(fd >= 0, "child open");
    close(fd);
    return 0;
}

/* A program with a seccomp filter of its own (a sandbox, a JVM option, a
 * systemd unit): getppid fails with EPERM, everything else is allowed. The
 * filter is stacked on the tracer's; the path calls after it are still logged,
 * in the program and in a child it execs. */
static int run_own_seccomp(void) {
#if defined(__x86_64__)
    const unsigned arch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
    const unsigned arch = AUDIT_ARCH_AARCH64;
#endif
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, arch, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {sizeof(filter) / sizeof(filter[0]), filter};
    must(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0, "PR_SET_NO_NEW_PRIVS");
    must(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) == 0, "PR_SET_SECCOMP");
    must_fail(syscall(SYS_getppid), EPERM, "getppid under the own filter");
    run_child("own-seccomp.txt");
    pid_t pid = fork();
    must(pid >= 0, "fork");
    if (pid == 0) {
        execl(self, self, "child", dir, "own-seccomp-child.txt", (char *)NULL);
        _exit(4);
    }
    wait_child(pid);
    return 0;
}

static int run_syscalls(void) {
#if defined(__x86_64__)
    const unsigned arch = AUDIT_ARCH_X86_64;
    const char *name = "x86_64";
#elif defined(__aarch64__)
    const unsigned arch = AUDIT_ARCH_AARCH64;
    const char *name = "aarch64";
#endif
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, arch, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getpgid, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {sizeof(filter) / sizeof(filter[0]), filter};
    must(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0, "PR_SET_NO_NEW_PRIVS");
    must(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) == 0, "PR_SET_SECCOMP");
    must(syscall(SYS_getppid) > 0, "getppid");
    must_fail(syscall(SYS_getpgid, 0), ENOSYS, "getpgid under the own filter");
    pid_t pid = fork();
    must(pid >= 0, "fork");
    if (pid == 0) _exit(syscall(SYS_getsid, 0) >= 0 ? 0 : 4); /* 0 when the session leader is outside our pid namespace */
    wait_child(pid);
    printf("%s %d %d %d\n", name, (int)SYS_getppid, (int)SYS_getsid, (int)SYS_getpgid);
    return 0;
}

/* Forks a child that writes its pid to PIDFILE, then pauses forever; returns
 * once the pid is written. */
static void start_pauser(const char *pidfile) {
    int ready[2];
    must(pipe(ready) == 0, "pipe");
    pid_t pid = fork();
    must(pid >= 0, "fork");
    if (pid == 0) {
        close(ready[0]);
        FILE *f = fopen(pidfile, "w");
        must(f != NULL, "pidfile");
        fprintf(f, "%d\n", (int)getpid());
        must(fclose(f) == 0, "pidfile");
        must(write(ready[1], "r", 1) == 1, "ready");
        for (;;) pause();
    }
    close(ready[1]);
    char c;
    must(read(ready[0], &c, 1) == 1, "ready");
    close(ready[0]);
}

static int run_hang(const char *pidfile) {
    start_pauser(pidfile);
    for (;;) pause();
    return 0;
}

/* The root of a run leaves a child behind, as a shell that starts a daemon. */
static int run_orphan(const char *pidfile, int code) {
    start_pauser(pidfile);
    return code;
}

/* A child that is still working when the root exits, and ends by itself. */
static int run_linger(void) {
    pid_t pid = fork();
    must(pid >= 0, "fork");
    if (pid == 0) {
        usleep(300 * 1000);
        _exit(run_child("linger.txt"));
    }
    return 0;
}

/* A program that itself uses ptrace, as strace, gdb or a sandbox do: its own
 * PTRACE_TRACEME, then an attach to a child it forked. Under a tracer both
 * fail with EPERM; prints how many failed, exits 0. */
static int run_nested_ptrace(void) {
    int failed = 0;
    if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0 && errno == EPERM) failed++;
    pid_t pid = fork();
    must(pid >= 0, "fork");
    if (pid == 0) {
        pause();
        _exit(0);
    }
    if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) < 0 && errno == EPERM) failed++;
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    printf("%d\n", failed);
    return 0;
}

int main(int argc, char **argv) {
    self = argv[0];
    if (argc == 2 && !strcmp(argv[1], "nested-ptrace")) return run_nested_ptrace();
    if (argc == 3 && !strcmp(argv[1], "main")) {
        dir = argv[2];
        return run_main();
    }
    if (argc == 4 && !strcmp(argv[1], "child")) {
        dir = argv[2];
        return run_child(argv[3]);
    }
    if (argc == 3 && !strcmp(argv[1], "exit")) return atoi(argv[2]);
    if (argc == 2 && !strcmp(argv[1], "signal")) {
        signal(SIGTERM, SIG_DFL);
        raise(SIGTERM);
        return 5;
    }
    if (argc == 3 && !strcmp(argv[1], "hang")) return run_hang(argv[2]);
    if (argc == 4 && !strcmp(argv[1], "orphan")) return run_orphan(argv[2], atoi(argv[3]));
    if (argc == 3 && !strcmp(argv[1], "linger")) {
        dir = argv[2];
        return run_linger();
    }
    if (argc == 2 && !strcmp(argv[1], "syscalls")) return run_syscalls();
    if (argc == 3 && !strcmp(argv[1], "own-seccomp")) {
        dir = argv[2];
        return run_own_seccomp();
    }
    fprintf(stderr, "usage: testprog main DIR | child DIR NAME | exit N | signal | hang PIDFILE\n"
                    "                | orphan PIDFILE N | linger DIR | own-seccomp DIR | syscalls\n"
                    "                | nested-ptrace\n");
    return 2;
}
