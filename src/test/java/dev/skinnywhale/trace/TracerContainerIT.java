package dev.skinnywhale.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.skinnywhale.tracelog.Access;
import dev.skinnywhale.tracelog.AccessKind;
import dev.skinnywhale.tracelog.AccessSet;
import dev.skinnywhale.tracelog.StraceLogParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracer in a real container: {@code local/debian:bookworm}, no network, Docker's default
 * seccomp profile, no added capabilities. Drives the {@code docker} CLI directly (test code only).
 * Skipped without Docker, unless CI=true, where that fails.
 */
class TracerContainerIT {
  private static final String IMAGE = "local/debian:bookworm";
  private static final Path BUILD = Path.of("target", "tracer-build");

  @TempDir Path tmp;

  @BeforeAll
  static void requireDocker() throws Exception {
    Result version = docker(List.of("version", "--format", "{{.Server.Version}}"));
    boolean ci =
        "true".equalsIgnoreCase(System.getenv("CI"))
            || Boolean.getBoolean("skinnywhale.requireDocker");
    if (version.code() != 0) {
      if (ci) {
        fail("CI=true but Docker is unavailable: " + version.output());
      }
      Assumptions.abort("Docker is unavailable: " + version.output());
    }
    Result image = docker(List.of("image", "inspect", IMAGE));
    if (image.code() != 0) {
      if (ci) {
        fail(IMAGE + " is missing (.ci/base-images builds it)");
      }
      Assumptions.abort(IMAGE + " is missing (.ci/base-images builds it)");
    }
  }

  @Test
  void tracer_passesItsOwnTestsInAContainer() throws Exception {
    Path t = stage();
    Files.copy(BUILD.resolve("testprog"), t.resolve("testprog"));
    Files.copy(Path.of("tracer", "test", "run-tests.sh"), t.resolve("run-tests.sh"));
    String id = create(List.of("sh", "/t/run-tests.sh", "/t/tracer", "/t/testprog", "/tmp/work"));
    try {
      copyIn(t, id);
      Result run = docker(List.of("start", "-a", id));
      assertEquals(0, run.code(), run.output());
      assertTrue(run.output().contains(", 0 failures"), run.output());
      // and the Java parser reads the workload's log
      Path log = copyOut(id, "/tmp/work/main.log");
      AccessSet s = new StraceLogParser().parse(log);
      assertTrue(
          ok(s, "/usr/lib/x86_64-linux-gnu/libm.so.6", AccessKind.OPEN_READ),
          "dlopen: " + s.paths());
      assertTrue(ok(s, "/tmp/work/dir/dirfd-file.txt", AccessKind.OPEN_READ));
      assertTrue(ok(s, "/tmp/work/dir/thread-file.txt", AccessKind.OPEN_READ));
      assertTrue(ok(s, "/tmp/work/dir/child-fork.txt", AccessKind.OPEN_READ));
      assertTrue(ok(s, "/t/testprog", AccessKind.EXEC));
      assertTrue(failedOnly(s, "/tmp/work/dir/missing-file"));
      // creations and removals (testprog's fs_changes)
      String dir = "/tmp/work/dir/";
      assertTrue(ok(s, dir + "made-at", AccessKind.CREATE)); // mkdirat relative to a dirfd
      assertTrue(ok(s, dir + "made-at", AccessKind.REMOVE)); // renamed away
      assertTrue(ok(s, dir + "renamed-cwd", AccessKind.CREATE)); // renameat to the cwd
      assertTrue(ok(s, dir + "renamed-cwd", AccessKind.REMOVE)); // unlinkat AT_REMOVEDIR
      assertTrue(ok(s, dir + "hard-link-at", AccessKind.CREATE));
      assertTrue(ok(s, dir + "sym-link-at", AccessKind.CREATE));
      assertTrue(failedOnly(s, dir + "no-parent/made-at"));
      assertTrue(failedOnly(s, dir + "missing-unlink"));
      assertTrue(!s.paths().contains(dir + "symlink-target"), "a symlink's target is no access");
    } finally {
      docker(List.of("rm", "-f", id));
    }
  }

  @Test
  void tracer_shellCommand_logParses() throws Exception {
    Path t = stage();
    String id =
        create(
            List.of(
                "/t/tracer",
                "-o",
                "/tmp/trace.log",
                "--status",
                "/tmp/status",
                "--",
                "sh",
                "-c",
                "cat /etc/hostname; mkdir /var/lib/misc/body; ls /nonexistent"));
    try {
      copyIn(t, id);
      Result run = docker(List.of("start", "-a", id));
      assertEquals(2, run.code(), "ls's exit status passes through: " + run.output());
      assertEquals("ok exit=2", Files.readString(copyOut(id, "/tmp/status")).strip());
      AccessSet s = new StraceLogParser().parse(copyOut(id, "/tmp/trace.log"));
      assertTrue(ok(s, "/usr/bin/sh", AccessKind.EXEC));
      assertTrue(ok(s, "/usr/bin/cat", AccessKind.EXEC));
      assertTrue(ok(s, "/usr/bin/ls", AccessKind.EXEC));
      assertTrue(ok(s, "/etc/hostname", AccessKind.OPEN_READ));
      assertTrue(ok(s, "/etc/ld.so.cache", AccessKind.OPEN_READ));
      assertTrue(failedOnly(s, "/nonexistent"), String.valueOf(s.byPath().get("/nonexistent")));
      // the nginx case: a directory made inside one the image has
      assertTrue(ok(s, "/var/lib/misc/body", AccessKind.CREATE), s.paths().toString());
    } finally {
      docker(List.of("rm", "-f", id));
    }
  }

  private Path stage() throws IOException {
    byte[] tracer =
        TracerBinary.forArchitecture("amd64")
            .orElseThrow(() -> new AssertionError("tracer-x86_64 is not on the classpath"));
    Path t = Files.createDirectories(tmp.resolve("t"));
    Path exe = t.resolve("tracer");
    Files.write(exe, tracer);
    Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
    return t;
  }

  private static String create(List<String> command) throws Exception {
    List<String> args = new ArrayList<>(List.of("create", "--network", "none", IMAGE));
    args.addAll(command);
    Result r = docker(args);
    assertEquals(0, r.code(), r.output());
    return r.output().strip();
  }

  private static void copyIn(Path dir, String id) throws Exception {
    Result r = docker(List.of("cp", dir.toString(), id + ":/t"));
    assertEquals(0, r.code(), r.output());
  }

  private Path copyOut(String id, String path) throws Exception {
    Path dest = Files.createTempFile(tmp, "out", ".txt");
    Files.delete(dest);
    Result r = docker(List.of("cp", id + ":" + path, dest.toString()));
    assertEquals(0, r.code(), r.output());
    return dest;
  }

  private static boolean ok(AccessSet s, String path, AccessKind kind) {
    return s.byPath().getOrDefault(path, Set.of()).stream()
        .anyMatch(a -> a.success() && a.kind() == kind);
  }

  private static boolean failedOnly(AccessSet s, String path) {
    Set<Access> a = s.byPath().getOrDefault(path, Set.of());
    return !a.isEmpty() && a.stream().noneMatch(Access::success);
  }

  private record Result(int code, String output) {}

  private static Result docker(List<String> args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("docker");
    command.addAll(args);
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return new Result(-1, "cannot run docker: " + e.getMessage());
    }
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Result(-1, "docker " + args + " timed out");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
