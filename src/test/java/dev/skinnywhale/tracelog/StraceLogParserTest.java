package dev.skinnywhale.tracelog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StraceLogParserTest {
  private final StraceLogParser parser = new StraceLogParser();

  private AccessSet parse(String log) throws IOException {
    return parser.parse("test.log", new StringReader(log));
  }

  private static Set<Access> at(AccessSet set, String path) {
    return set.byPath().getOrDefault(path, Set.of());
  }

  @Test
  void parse_tracerFormat_requestedAndFinalPath() throws IOException {
    AccessSet s =
        parse(
            """
            1234  openat(AT_FDCWD</app>, "conf/a.yml", O_RDONLY|O_CLOEXEC) = 3</app/conf/real.yml>
            """);
    assertEquals(Set.of(new Access(AccessKind.OPEN_READ, true, 1234)), at(s, "/app/conf/a.yml"));
    assertEquals(Set.of(new Access(AccessKind.OPEN_READ, true, 1234)), at(s, "/app/conf/real.yml"));
  }

  @Test
  void parse_failure_recordedAsUnsuccessful() throws IOException {
    AccessSet s =
        parse(
            """
            1234  stat("/x", 0x7ffd1234) = -1 ENOENT (No such file or directory)
            """);
    assertEquals(Set.of(new Access(AccessKind.STAT, false, 1234)), at(s, "/x"));
    assertTrue(s.successfulPaths().isEmpty());
  }

  @Test
  void parse_openFlags_decideTheKind() throws IOException {
    AccessSet s =
        parse(
            """
            1  openat(AT_FDCWD</>, "/r", O_RDONLY) = 3</r>
            1  openat(AT_FDCWD</>, "/w", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3</w>
            1  openat(AT_FDCWD</>, "/rw", O_RDWR|O_CLOEXEC) = 3</rw>
            1  openat(AT_FDCWD</>, "/d", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = 3</d>
            1  openat(AT_FDCWD</>, "/p", O_RDONLY|O_PATH) = 3</p>
            1  open("/n", 0x241, 0644) = 3</n>
            1  openat2(AT_FDCWD</>, "/o2", {flags=O_RDONLY|O_CLOEXEC, mode=0, resolve=0}, 24) = 3</o2>
            1  openat2(AT_FDCWD</>, "/o2w", {flags=O_WRONLY, resolve=RESOLVE_BENEATH}, 24) = 3</o2w>
            1  creat("/c", 0644) = 3</c>
            """);
    assertEquals(AccessKind.OPEN_READ, at(s, "/r").iterator().next().kind());
    assertEquals(AccessKind.OPEN_WRITE, at(s, "/w").iterator().next().kind());
    assertEquals(AccessKind.OPEN_WRITE, at(s, "/rw").iterator().next().kind());
    assertEquals(AccessKind.LIST_DIR, at(s, "/d").iterator().next().kind());
    assertEquals(AccessKind.STAT, at(s, "/p").iterator().next().kind());
    assertEquals(AccessKind.OPEN_WRITE, at(s, "/n").iterator().next().kind());
    assertEquals(AccessKind.OPEN_READ, at(s, "/o2").iterator().next().kind());
    assertEquals(AccessKind.OPEN_WRITE, at(s, "/o2w").iterator().next().kind());
    assertEquals(AccessKind.OPEN_WRITE, at(s, "/c").iterator().next().kind());
    assertEquals(Set.of("/c", "/n", "/o2w", "/rw", "/w"), s.createdPaths());
  }

  @Test
  void parse_everyPathSyscall() throws IOException {
    AccessSet s =
        parse(
            """
            1  execve("/bin/sh", ["sh"], 0x7ffd /* 3 vars */) = 0
            1  execveat(3</usr/bin>, "env", ["env"], 0x7ffd, 0) = -1 ENOENT (No such file or directory)
            1  stat("/a", 0x1) = 0
            1  lstat("/b", {st_mode=S_IFLNK|0777, st_size=7, ...}) = 0
            1  newfstatat(AT_FDCWD</w>, "c", 0x1, AT_SYMLINK_NOFOLLOW) = 0
            1  statx(AT_FDCWD</w>, "d", AT_STATX_SYNC_AS_STAT, STATX_ALL, 0x1) = 0
            1  access("/etc/ld.so.preload", R_OK) = -1 ENOENT (No such file or directory)
            1  faccessat(AT_FDCWD</w>, "e", X_OK) = 0
            1  faccessat2(AT_FDCWD</w>, "f", R_OK, AT_EACCESS) = 0
            1  readlink("/proc/self/exe", "/usr/bin/x", 4096) = 10
            1  readlinkat(AT_FDCWD</w>, "g", 0x1, 4096) = -1 EINVAL (Invalid argument)
            1  chdir("/tmp") = 0
            1  fchdir(3</srv>) = 0
            """);
    assertEquals(Set.of(new Access(AccessKind.EXEC, true, 1)), at(s, "/bin/sh"));
    assertEquals(Set.of(new Access(AccessKind.EXEC, false, 1)), at(s, "/usr/bin/env"));
    for (String p : new String[] {"/a", "/b", "/w/c", "/w/d", "/w/e", "/w/f"}) {
      assertEquals(Set.of(new Access(AccessKind.STAT, true, 1)), at(s, p), p);
    }
    assertEquals(Set.of(new Access(AccessKind.STAT, false, 1)), at(s, "/etc/ld.so.preload"));
    assertEquals(Set.of(new Access(AccessKind.READLINK, true, 1)), at(s, "/proc/self/exe"));
    assertEquals(Set.of(new Access(AccessKind.READLINK, false, 1)), at(s, "/w/g"));
    assertEquals(Set.of(new Access(AccessKind.CHDIR, true, 1)), at(s, "/tmp"));
    assertEquals(Set.of(new Access(AccessKind.CHDIR, true, 1)), at(s, "/srv"));
  }

  private static Set<Access> ok(AccessKind kind, int pid) {
    return Set.of(new Access(kind, true, pid));
  }

  private static Set<Access> failed(AccessKind kind, int pid) {
    return Set.of(new Access(kind, false, pid));
  }

  @Test
  void parse_mkdirAndMknod_createdOrFailedWithEnoent() throws IOException {
    // as Debian's strace 6.1 prints them (the column padding before " = " included)
    AccessSet s =
        parse(
            """
            1  mkdir("/var/lib/nginx/body", 0700)  = 0
            1  mkdir("/nope/x", 0777)        = -1 ENOENT (No such file or directory)
            1  mkdirat(3</srv/data>, "cache", 01777) = 0
            1  mkdirat(AT_FDCWD</srv>, "no/parent", 0755) = -1 ENOENT (No such file or directory)
            1  mknod("/run/fifo", S_IFIFO|0644) = 0
            1  mknod("/nope/f", 000) = -1 ENOENT (No such file or directory)
            1  mknodat(3</srv/data>, "null", S_IFCHR|0600, makedev(0x1, 0x3)) = 0
            1  mknodat(AT_FDCWD</srv>, "no/sock", S_IFSOCK|S_ISUID|0755) = -1 ENOENT (No such file or directory)
            """);
    assertEquals(ok(AccessKind.CREATE, 1), at(s, "/var/lib/nginx/body"));
    assertEquals(failed(AccessKind.CREATE, 1), at(s, "/nope/x"));
    assertEquals(ok(AccessKind.CREATE, 1), at(s, "/srv/data/cache"));
    assertEquals(failed(AccessKind.CREATE, 1), at(s, "/srv/no/parent"));
    assertEquals(ok(AccessKind.CREATE, 1), at(s, "/run/fifo"));
    assertEquals(failed(AccessKind.CREATE, 1), at(s, "/nope/f"));
    assertEquals(ok(AccessKind.CREATE, 1), at(s, "/srv/data/null"));
    assertEquals(failed(AccessKind.CREATE, 1), at(s, "/srv/no/sock"));
    assertEquals(
        Set.of("/run/fifo", "/srv/data/cache", "/srv/data/null", "/var/lib/nginx/body"),
        s.createdPaths());
    assertTrue(s.unknownSyscalls().isEmpty(), s.unknownSyscalls().toString());
  }

  @Test
  void parse_unlinkAndRmdir_removedOrFailedWithEnoent() throws IOException {
    AccessSet s =
        parse(
            """
            1  unlink("/tmp/a")           = 0
            1  unlink("/nope/a") = -1 ENOENT (No such file or directory)
            1  unlinkat(3</run>, "pid", 0)  = 0
            1  unlinkat(AT_FDCWD</srv>, "old", AT_REMOVEDIR) = 0
            1  unlinkat(3</run>, "gone", 0) = -1 ENOENT (No such file or directory)
            1  unlinkat(AT_FDCWD</srv>, "x", 0x4008 /* AT_??? */) = -1 EINVAL (Invalid argument)
            1  rmdir("/tmp/d")                   = 0
            1  rmdir("/nope/d") = -1 ENOENT (No such file or directory)
            """);
    for (String p : new String[] {"/tmp/a", "/run/pid", "/srv/old", "/tmp/d"}) {
      assertEquals(ok(AccessKind.REMOVE, 1), at(s, p), p);
    }
    for (String p : new String[] {"/nope/a", "/run/gone", "/srv/x", "/nope/d"}) {
      assertEquals(failed(AccessKind.REMOVE, 1), at(s, p), p);
    }
    assertTrue(s.createdPaths().isEmpty());
  }

  @Test
  void parse_rename_oldRemovedNewCreated_eachAgainstItsOwnDirfd() throws IOException {
    AccessSet s =
        parse(
            """
            1  rename("/etc/a.tmp", "/etc/a") = 0
            1  renameat(3</var/lib>, "x.new", AT_FDCWD</srv>, "y") = 0
            1  renameat2(AT_FDCWD</tmp>, "/tmp/a", AT_FDCWD</tmp>, "/tmp/b", RENAME_NOREPLACE) = 0
            1  renameat2(3</d>, "p", 4</e>, "q", RENAME_EXCHANGE) = 0
            1  rename("/nope/a", "/nope/b") = -1 ENOENT (No such file or directory)
            """);
    assertEquals(ok(AccessKind.REMOVE, 1), at(s, "/etc/a.tmp"));
    assertEquals(ok(AccessKind.CREATE, 1), at(s, "/etc/a"));
    assertEquals(ok(AccessKind.REMOVE, 1), at(s, "/var/lib/x.new"));
    assertEquals(ok(AccessKind.CREATE, 1), at(s, "/srv/y"));
    assertEquals(ok(AccessKind.REMOVE, 1), at(s, "/tmp/a"));
    assertEquals(ok(AccessKind.CREATE, 1), at(s, "/tmp/b"));
    // an exchange makes nothing: both names existed and both lost their content
    assertEquals(ok(AccessKind.REMOVE, 1), at(s, "/d/p"));
    assertEquals(ok(AccessKind.REMOVE, 1), at(s, "/e/q"));
    assertEquals(failed(AccessKind.REMOVE, 1), at(s, "/nope/a"));
    assertEquals(failed(AccessKind.CREATE, 1), at(s, "/nope/b"));
    assertEquals(Set.of("/etc/a", "/srv/y", "/tmp/b"), s.createdPaths());
  }

  @Test
  void parse_link_oldStatedNewCreated() throws IOException {
    AccessSet s =
        parse(
            """
            1  link("/etc/hostname", "/tmp/h") = 0
            1  linkat(3</a>, "f", AT_FDCWD</b>, "g", 0) = 0
            1  linkat(AT_FDCWD</a>, "s", AT_FDCWD</a>, "t", AT_SYMLINK_FOLLOW) = 0
            1  linkat(AT_FDCWD</>, "/nope/x", AT_FDCWD</>, "/nope/y", 0) = -1 ENOENT (No such file or directory)
            1  linkat(5</tmp/#1234 (deleted)>, "", AT_FDCWD</srv>, "out.dat", AT_EMPTY_PATH) = 0
            """);
    assertEquals(ok(AccessKind.STAT, 1), at(s, "/etc/hostname"));
    assertEquals(ok(AccessKind.CREATE, 1), at(s, "/tmp/h"));
    assertEquals(ok(AccessKind.STAT, 1), at(s, "/a/f"));
    assertEquals(ok(AccessKind.CREATE, 1), at(s, "/b/g"));
    assertEquals(ok(AccessKind.STAT, 1), at(s, "/a/s"));
    assertEquals(ok(AccessKind.CREATE, 1), at(s, "/a/t"));
    assertEquals(failed(AccessKind.STAT, 1), at(s, "/nope/x"));
    assertEquals(failed(AccessKind.CREATE, 1), at(s, "/nope/y"));
    // "" with AT_EMPTY_PATH links the descriptor (an O_TMPFILE here): only the new name is a path
    assertEquals(ok(AccessKind.CREATE, 1), at(s, "/srv/out.dat"));
    assertFalse(s.paths().stream().anyMatch(p -> p.startsWith("/tmp/#")));
  }

  @Test
  void parse_symlink_targetTextIsNotAnAccess() throws IOException {
    AccessSet s =
        parse(
            """
            1  chdir("/w") = 0
            1  symlink("../lib/libx.so.1", "/usr/bin/x") = 0
            1  symlinkat("target", 3</d>, "l") = 0
            1  symlinkat("/abs/target", AT_FDCWD</w>, "rel") = 0
            1  symlink("t", "no-y") = 0
            1  symlink("x", "/nope/l") = -1 ENOENT (No such file or directory)
            1  symlink(NULL, NULL) = -1 EFAULT (Bad address)
            """);
    assertEquals(ok(AccessKind.CREATE, 1), at(s, "/usr/bin/x"));
    assertEquals(ok(AccessKind.CREATE, 1), at(s, "/d/l"));
    assertEquals(ok(AccessKind.CREATE, 1), at(s, "/w/rel"));
    assertEquals(ok(AccessKind.CREATE, 1), at(s, "/w/no-y"));
    assertEquals(failed(AccessKind.CREATE, 1), at(s, "/nope/l"));
    assertEquals(
        Set.of("/d/l", "/nope/l", "/usr/bin/x", "/w", "/w/no-y", "/w/rel"),
        s.paths(),
        "no target text among the paths");
  }

  @Test
  void parse_twoPathCalls_relativeWithoutY_useTheTrackedCwd() throws IOException {
    AccessSet s =
        parse(
            """
            7  chdir("/w") = 0
            7  rename("a", "sub/b") = 0
            7  link("c", "/abs/d") = 0
            7  renameat(AT_FDCWD, "e", 3</o>, "f") = 0
            """);
    assertEquals(ok(AccessKind.REMOVE, 7), at(s, "/w/a"));
    assertEquals(ok(AccessKind.CREATE, 7), at(s, "/w/sub/b"));
    assertEquals(ok(AccessKind.STAT, 7), at(s, "/w/c"));
    assertEquals(ok(AccessKind.CREATE, 7), at(s, "/abs/d"));
    assertEquals(ok(AccessKind.REMOVE, 7), at(s, "/w/e"));
    assertEquals(ok(AccessKind.CREATE, 7), at(s, "/o/f"));
  }

  @Test
  void parse_creationsSplitByUnfinished_stitched() throws IOException {
    AccessSet s =
        parse(
            """
            5  renameat2(AT_FDCWD</>, "/a", AT_FDCWD</>, "/b", RENAME_NOREPLACE <unfinished ...>
            6  mkdir("/c", 0700 <unfinished ...>
            5  <... renameat2 resumed>) = 0
            6  <... mkdir resumed>) = -1 EEXIST (File exists)
            """);
    assertEquals(ok(AccessKind.REMOVE, 5), at(s, "/a"));
    assertEquals(ok(AccessKind.CREATE, 5), at(s, "/b"));
    assertEquals(failed(AccessKind.CREATE, 6), at(s, "/c"));
  }

  @Test
  void parse_emptyPathWithAtEmptyPath_isNotAPath() throws IOException {
    AccessSet s =
        parse(
            """
            1  newfstatat(3</etc/ld.so.cache>, "", {st_mode=S_IFREG|0644, ...}, AT_EMPTY_PATH) = 0
            1  execveat(4</usr/bin/env>, "", ["env"], 0x1, AT_EMPTY_PATH) = 0
            """);
    assertEquals(Set.of("/usr/bin/env"), s.paths());
  }

  @Test
  void parse_relativePath_resolvedAgainstDirfdAnnotation() throws IOException {
    AccessSet s =
        parse(
            """
            9  openat(5</data/dir>, "../other/./f", O_RDONLY) = 6</data/other/f>
            """);
    assertEquals(Set.of("/data/other/f"), s.paths());
  }

  @Test
  void parse_relativePath_withoutY_usesTrackedCwd() throws IOException {
    AccessSet s =
        parse(
            """
            1  chdir("/etc") = 0
            1  openat(AT_FDCWD, "passwd", O_RDONLY) = 3
            1  chdir("ssl") = 0
            1  stat("certs/x.pem", 0x1) = -1 ENOENT (No such file or directory)
            1  openat(AT_FDCWD, "/abs", O_RDONLY) = 3
            """);
    assertEquals(
        Set.of("/abs", "/etc", "/etc/passwd", "/etc/ssl", "/etc/ssl/certs/x.pem"), s.paths());
  }

  @Test
  void parse_relativePath_cwdFromAtFdcwdAnnotationAndInheritedByChild() throws IOException {
    AccessSet s =
        parse(
            """
            10  openat(AT_FDCWD</srv/app>, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3</etc/ld.so.cache>
            10  clone(child_stack=NULL, flags=SIGCHLD) = 11
            11  stat("conf.yml", 0x1) = 0
            10  access("lib", F_OK) = 0
            """);
    assertEquals(Set.of(new Access(AccessKind.STAT, true, 11)), at(s, "/srv/app/conf.yml"));
    assertEquals(Set.of(new Access(AccessKind.STAT, true, 10)), at(s, "/srv/app/lib"));
  }

  @Test
  void parse_relativePath_unknownCwd_isSkipped() throws IOException {
    AccessSet s =
        parse(
            """
            1  stat("relative", 0x1) = 0
            1  openat(7, "x", O_RDONLY) = 3
            """);
    assertTrue(s.paths().isEmpty());
  }

  @Test
  void parse_failedChdir_doesNotMoveTheCwd() throws IOException {
    AccessSet s =
        parse(
            """
            1  chdir("/a") = 0
            1  chdir("/nope") = -1 ENOENT (No such file or directory)
            1  stat("f", 0x1) = 0
            """);
    assertTrue(s.paths().contains("/a/f"));
  }

  @Test
  void parse_exitForgetsTheCwdOfAReusedPid() throws IOException {
    AccessSet s =
        parse(
            """
            1  chdir("/a") = 0
            1  +++ exited with 0 +++
            1  stat("f", 0x1) = 0
            """);
    assertFalse(s.paths().contains("/a/f"));
  }

  @Test
  void parse_unfinishedAndResumed_stitchedByPid() throws IOException {
    AccessSet s =
        parse(
            """
            5  openat(AT_FDCWD</>, "/etc/passwd", O_RDONLY|O_CLOEXEC <unfinished ...>
            6  openat(AT_FDCWD</>, "/etc/group",  <unfinished ...>
            5  <... openat resumed>) = 3</etc/passwd>
            6  <... openat resumed>O_RDONLY) = -1 EACCES (Permission denied)
            """);
    assertEquals(Set.of(new Access(AccessKind.OPEN_READ, true, 5)), at(s, "/etc/passwd"));
    assertEquals(Set.of(new Access(AccessKind.OPEN_READ, false, 6)), at(s, "/etc/group"));
  }

  @Test
  void parse_resumedWithoutUnfinished_isDropped() throws IOException {
    AccessSet s =
        parse(
            """
            5  <... openat resumed>) = 3</etc/passwd>
            """);
    assertTrue(s.paths().isEmpty());
  }

  @Test
  void parse_execveByAThread_resumesUnderTheLeaderPid() throws IOException {
    AccessSet s =
        parse(
            """
            101 execve("/bin/true", ["true"], 0x1 <unfinished ...>
            100 +++ superseded by execve in pid 101 +++
            100 <... execve resumed>) = 0
            """);
    assertEquals(Set.of(new Access(AccessKind.EXEC, true, 100)), at(s, "/bin/true"));
  }

  @Test
  void parse_stderrFormat_bracketPidsAndGluedMessage() throws IOException {
    AccessSet s =
        parse(
            """
            execve("/usr/bin/sh", ["sh", "-c", "cat /etc/hostname & wait"], 0x7fff /* 35 vars */) = 0
            clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLDstrace: Process 148 attached
            , child_tidptr=0x7fdf3cda5a10) = 148
            [pid   148] set_robust_list(0x7fdf3cda5a20, 24) = 0
            clone(child_stack=NULL, flags=SIGCHLDstrace: Process 149 attached
            [pid   147] <... clone resumed>, child_tidptr=0x7fdf3cda5a10) = 149
            [pid   148] openat(AT_FDCWD</root>, "/etc/hostname", O_RDONLY) = 3</etc/hostname>
            [pid   148] --- SIGPIPE {si_signo=SIGPIPE, si_code=SI_USER, si_pid=148, si_uid=0} ---
            [pid   148] +++ killed by SIGPIPE +++
            """);
    assertEquals(Set.of("/etc/hostname", "/usr/bin/sh"), s.paths());
    assertEquals(1L, s.unknownSyscalls().get("set_robust_list"));
    assertEquals(null, s.unknownSyscalls().get("clone"), "clone is interpreted, not unknown");
  }

  @Test
  void parse_unknownSyscalls_counted() throws IOException {
    AccessSet s =
        parse(
            """
            1  close(3</x>) = 0
            1  close(4) = 0
            1  mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f758b049000
            """);
    assertEquals(2L, s.unknownSyscalls().get("close"));
    assertEquals(1L, s.unknownSyscalls().get("mmap"));
  }

  @Test
  void parse_escapedPath_decodedAsBytes() throws IOException {
    AccessSet s =
        parse(
            """
            1  openat(AT_FDCWD</t>, "caf\\303\\251 \\"q\\"\\n", O_RDONLY) = 3</t/caf\\303\\251 \\"q\\"\\n>
            """);
    assertEquals(Set.of("/t/caf\u00c3\u00a9 \"q\"\n"), s.paths());
  }

  @Test
  void parse_deletedAnnotation_stripped() throws IOException {
    AccessSet s =
        parse(
            """
            1  openat(AT_FDCWD</>, "/tmp/x", O_RDWR|O_CREAT, 0600) = 3</tmp/x (deleted)>
            """);
    assertEquals(Set.of("/tmp/x"), s.paths());
  }

  @Test
  void parse_truncatedOrUnreadablePath_isSkipped() throws IOException {
    AccessSet s =
        parse(
            """
            1  openat(AT_FDCWD</>, "/very/long"..., O_RDONLY) = -1 ENAMETOOLONG (File name too long)
            1  openat(AT_FDCWD</>, 0x1234, O_RDONLY) = -1 EFAULT (Bad address)
            """);
    assertTrue(s.paths().isEmpty());
  }

  @Test
  void parse_malformedLine_throwsWithSourceAndLine() {
    TraceLogException e =
        assertThrows(
            TraceLogException.class, () -> parse("1  chdir(\"/\") = 0\nthis is not strace\n"));
    assertEquals("test.log", e.source());
    assertEquals(2, e.line());
    assertEquals("this is not strace", e.text());
    assertTrue(e.getMessage().startsWith("test.log:2: "), e.getMessage());
  }

  @Test
  void parse_badEscapeInPath_throwsWithLocation() {
    TraceLogException e =
        assertThrows(
            TraceLogException.class, () -> parse("1  chdir(\"/\") = 0\n1  chdir(\"/a\\q\") = 0\n"));
    assertEquals(2, e.line());
  }
}
