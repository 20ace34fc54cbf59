package dev.skinnywhale.tracelog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The captured logs of src/test/resources/dev/skinnywhale/tracelog (see the README there). */
class RealLogsTest {
  private final StraceLogParser strace = new StraceLogParser();
  private final LdDebugLogParser ldDebug = new LdDebugLogParser();

  private AccessSet strace(String resource) throws IOException {
    try (InputStream in =
            Objects.requireNonNull(getClass().getResourceAsStream(resource), resource);
        Reader reader = new InputStreamReader(in, StandardCharsets.ISO_8859_1)) {
      return strace.parse(resource, reader);
    }
  }

  private static boolean ok(AccessSet s, String path, AccessKind kind) {
    return s.byPath().getOrDefault(path, Set.of()).stream()
        .anyMatch(a -> a.success() && a.kind() == kind);
  }

  private static boolean failed(AccessSet s, String path) {
    Set<Access> a = s.byPath().getOrDefault(path, Set.of());
    return !a.isEmpty() && a.stream().noneMatch(Access::success);
  }

  @Test
  void parse_ourTracerInBookworm() throws IOException {
    AccessSet s = strace("tracer/tracer-sh.log");
    assertTrue(ok(s, "/usr/bin/sh", AccessKind.EXEC));
    assertTrue(ok(s, "/usr/bin/cat", AccessKind.EXEC));
    assertTrue(ok(s, "/etc/hostname", AccessKind.OPEN_READ));
    assertTrue(ok(s, "/usr/lib/x86_64-linux-gnu/libc.so.6", AccessKind.OPEN_READ));
    assertTrue(ok(s, "/lib/x86_64-linux-gnu/libc.so.6", AccessKind.OPEN_READ));
    assertTrue(ok(s, "/etc/debian_version", AccessKind.OPEN_READ)); // "./debian_version" after cd
    assertTrue(failed(s, "/nonexistent"));
    assertTrue(failed(s, "/etc/ld.so.preload"));
  }

  @Test
  void parse_ourTracerOnTheTestProgram() throws IOException {
    AccessSet s = strace("tracer/testprog-host.log");
    String dir = "/tmp/trb/test-work/dir";
    assertTrue(ok(s, "/usr/lib/x86_64-linux-gnu/libm.so.6", AccessKind.OPEN_READ));
    assertTrue(ok(s, dir + "/dirfd-file.txt", AccessKind.OPEN_READ));
    assertTrue(ok(s, dir + "/thread-file.txt", AccessKind.OPEN_READ));
    assertTrue(ok(s, dir, AccessKind.LIST_DIR));
    assertTrue(ok(s, dir, AccessKind.CHDIR));
    assertTrue(ok(s, dir + "/rel-raw.txt", AccessKind.OPEN_READ)); // open() after fchdir
    assertTrue(ok(s, dir + "/we\"ird\nname.txt", AccessKind.OPEN_READ));
    assertTrue(ok(s, dir + "/link", AccessKind.READLINK));
    assertTrue(failed(s, dir + "/missing-file"));
    assertTrue(failed(s, dir + "/missing-statx"));
    assertTrue(failed(s, dir + "/rel-missing.txt"));
    assertEquals(Set.of(dir + "/created.txt"), s.createdPaths());
    for (String child : List.of("fork", "vfork", "spawn")) {
      assertTrue(ok(s, dir + "/child-" + child + ".txt", AccessKind.OPEN_READ), child);
    }
    Set<Integer> pids =
        s.byPath().values().stream()
            .flatMap(Set::stream)
            .map(Access::pid)
            .collect(Collectors.toSet());
    assertEquals(5, pids.size(), "main, thread and three children: " + pids);
  }

  @Test
  void parse_straceDashFDashYDashO() throws IOException {
    AccessSet s = strace("strace/strace-f-y-o.log");
    assertTrue(ok(s, "/usr/bin/cat", AccessKind.EXEC));
    assertTrue(ok(s, "/etc/hostname", AccessKind.OPEN_READ));
    assertTrue(ok(s, "/etc/debian_version", AccessKind.OPEN_READ));
    assertTrue(failed(s, "/nonexistent"));
    assertTrue(s.unknownSyscalls().containsKey("mmap"));
  }

  @Test
  void parse_straceWithoutY() throws IOException {
    AccessSet s = strace("strace/strace-f-o.log");
    assertTrue(ok(s, "/usr/bin/cat", AccessKind.EXEC));
    assertTrue(ok(s, "/etc/hostname", AccessKind.OPEN_READ));
    assertTrue(failed(s, "/nonexistent"));
  }

  @Test
  void parse_straceToStderr() throws IOException {
    AccessSet s = strace("strace/strace-f-y-stderr.log");
    assertTrue(ok(s, "/etc/hostname", AccessKind.OPEN_READ));
    assertTrue(ok(s, "/etc/debian_version", AccessKind.OPEN_READ));
    assertTrue(ok(s, "/usr/bin/cat", AccessKind.EXEC));
    assertTrue(failed(s, "/nonexistent"));
  }

  @Test
  void parse_straceWithoutF() throws IOException {
    AccessSet s = strace("strace/strace-nof.log");
    assertTrue(ok(s, "/etc/hostname", AccessKind.OPEN_READ));
    assertTrue(s.byPath().get("/etc/hostname").stream().allMatch(a -> a.pid() == 0));
  }

  @Test
  void parse_tracerAndStraceAgree() throws IOException {
    // the same command traced by both, in the same image: the same successful files
    AccessSet ours = strace("tracer/tracer-sh.log");
    AccessSet theirs = strace("strace/strace-f-y-o.log");
    assertEquals(theirs.successfulPaths(), ours.successfulPaths());
  }

  @Test
  void parse_creationsAndRemovals_straceAndTracerAgree() throws IOException {
    // the same mkdir/mv/ln/rm/rmdir/mknod command traced by both on the host (see the README)
    AccessSet theirs = strace("strace/strace-fs-host.log");
    AccessSet ours = strace("tracer/tracer-fs-host.log");
    for (AccessSet s : List.of(theirs, ours)) {
      assertTrue(ok(s, "/tmp/a", AccessKind.CREATE)); // mkdir
      assertTrue(ok(s, "/tmp/a", AccessKind.REMOVE)); // mv's renameat2, old name
      assertTrue(ok(s, "/tmp/b", AccessKind.CREATE)); // mv's renameat2, new name
      assertTrue(ok(s, "/tmp/b", AccessKind.REMOVE)); // rmdir
      assertTrue(ok(s, "/tmp/c", AccessKind.CREATE)); // symlinkat("x", ...)
      assertTrue(ok(s, "/tmp/c", AccessKind.REMOVE)); // unlinkat
      assertTrue(ok(s, "/etc/hostname", AccessKind.STAT)); // linkat, old name
      assertTrue(ok(s, "/tmp/d", AccessKind.CREATE)); // linkat, new name
      assertTrue(ok(s, "/tmp/p", AccessKind.CREATE)); // mknodat
      assertTrue(ok(s, "/tmp/p", AccessKind.REMOVE));
      assertTrue(failed(s, "/nonexistent/x"));
      assertTrue(!s.paths().contains("/tmp/x") && !s.paths().contains("x"), "symlink target");
      // and /dev/null, opened for writing by the 2>/dev/null
      assertEquals(
          Set.of("/dev/null", "/tmp/a", "/tmp/b", "/tmp/c", "/tmp/d", "/tmp/p"), s.createdPaths());
    }
    assertEquals(theirs.successfulPaths(), ours.successfulPaths());
    assertEquals(kindsByPath(theirs), kindsByPath(ours));
  }

  /** Path to its accesses without the pids, which differ from run to run. */
  private static Map<String, Set<Access>> kindsByPath(AccessSet s) {
    Map<String, Set<Access>> out = new TreeMap<>();
    s.byPath()
        .forEach(
            (path, accesses) ->
                out.put(
                    path,
                    accesses.stream()
                        .map(a -> new Access(a.kind(), a.success(), 0))
                        .collect(Collectors.toSet())));
    return out;
  }

  @Test
  void parse_ldDebugHostJava() throws IOException, URISyntaxException {
    AccessSet s = ldDebug.parse(resources("lddebug/host-java"));
    String jdk = "/usr/lib/jvm/java-17-openjdk-amd64";
    assertTrue(ok(s, jdk + "/lib/server/libjvm.so", AccessKind.LOADED));
    assertTrue(ok(s, jdk + "/lib/libjli.so", AccessKind.LOADED));
    assertTrue(ok(s, "/lib/x86_64-linux-gnu/libz.so.1", AccessKind.LOADED));
    assertTrue(ok(s, "/lib/x86_64-linux-gnu/libc.so.6", AccessKind.LOADED));
    assertTrue(failed(s, jdk + "/bin/libz.so.1"));
    assertTrue(
        s.byPath().values().stream()
            .flatMap(Set::stream)
            .allMatch(a -> a.kind() == AccessKind.LOADED || a.kind() == AccessKind.EXEC));
  }

  @Test
  void parse_ldDebugBullseyeNss() throws IOException, URISyntaxException {
    AccessSet s = ldDebug.parse(resources("lddebug/bullseye"));
    assertTrue(ok(s, "/lib/x86_64-linux-gnu/libnss_files.so.2", AccessKind.LOADED));
    assertTrue(ok(s, "/lib/x86_64-linux-gnu/libc.so.6", AccessKind.LOADED));
    Set<Integer> pids =
        s.byPath().values().stream()
            .flatMap(Set::stream)
            .map(Access::pid)
            .collect(Collectors.toSet());
    assertEquals(Set.of(7, 8, 9, 10), pids);
  }

  @Test
  void merge_straceAndLdDebug_oneAccessSet() throws IOException, URISyntaxException {
    AccessSet merged =
        strace("tracer/tracer-sh.log").merge(ldDebug.parse(resources("lddebug/bullseye")));
    assertTrue(ok(merged, "/lib/x86_64-linux-gnu/libc.so.6", AccessKind.OPEN_READ));
    assertTrue(ok(merged, "/lib/x86_64-linux-gnu/libc.so.6", AccessKind.LOADED));
    assertTrue(merged.unknownSyscalls().isEmpty(), "our tracer prints path syscalls only");
  }

  private List<Path> resources(String dir) throws URISyntaxException, IOException {
    Path root = Path.of(Objects.requireNonNull(getClass().getResource(dir), dir).toURI());
    try (Stream<Path> files = Files.list(root)) {
      return files.sorted().toList();
    }
  }
}
