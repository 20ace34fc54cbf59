package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad input through the real launcher: one line on stderr, a documented exit code, no trace. */
class CliErrorsIT {

  @Test
  void run_noEngine_exits3WithOneLine() {
    Skinnywhale.Result r =
        Skinnywhale.run(Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock"), "some-container");
    assertEquals(3, r.exitCode(), r.err());
    assertOneLine(r.err());
    assertTrue(r.err().contains("cannot reach the Docker engine"), r.err());
  }

  @Test
  void run_unknownContainer_exits4() {
    DockerCli.requireDocker();
    Skinnywhale.Result r = Skinnywhale.run("no-such-container-or-image-skinnywhale");
    assertEquals(4, r.exitCode(), r.err());
    assertOneLine(r.err());
  }

  @Test
  void run_badOption_exits2() {
    Skinnywhale.Result r = Skinnywhale.run("--no-such-option", "x");
    assertEquals(2, r.exitCode(), r.err());
  }

  @Test
  void run_outputIntoMissingDirectory_exits6() {
    DockerCli.requireDocker();
    DockerCli.requireBaseImage("bookworm");
    Skinnywhale.Result r =
        Skinnywhale.run("--output", "/nonexistent-dir/x.tar", "local/debian:bookworm");
    assertEquals(6, r.exitCode(), r.err());
    assertOneLine(r.err());
    assertEquals(java.util.List.of(), DockerCli.temporaryContainers());
  }

  @Test
  void run_imageWithEmptyFilesystem_exits5() throws Exception {
    DockerCli.requireDocker();
    String tag = "skinnywhale-it/empty:test";
    Process p =
        new ProcessBuilder(
                "bash", "-c", "tar -cf - -T /dev/null | docker import - " + tag + " >/dev/null")
            .inheritIO()
            .start();
    assertEquals(0, p.waitFor());
    java.nio.file.Files.deleteIfExists(java.nio.file.Path.of("/tmp/skinnywhale-empty-never.tar"));
    try {
      Skinnywhale.Result r = Skinnywhale.run("-o", "/tmp/skinnywhale-empty-never.tar", tag);
      assertEquals(5, r.exitCode(), r.err());
      assertOneLine(r.err());
      assertTrue(r.err().contains("no usable filesystem"), r.err());
      assertFalse(
          java.nio.file.Files.exists(java.nio.file.Path.of("/tmp/skinnywhale-empty-never.tar")));
      assertEquals(java.util.List.of(), DockerCli.temporaryContainers());
    } finally {
      DockerCli.run("rmi", "-f", tag);
    }
  }

  /** A full disk while writing the archive: exit 6, one line, and no partial file left. */
  @Test
  void run_diskFull_exits6AndLeavesNoPartialFile(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    DockerCli.requireDocker();
    DockerCli.requireBaseImage("bookworm");
    java.nio.file.Path tiny = dir.resolve("tiny");
    java.nio.file.Files.createDirectories(tiny);
    Process mount =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", tiny.toString())
            .inheritIO()
            .start();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        mount.waitFor() == 0, "cannot mount a small tmpfs here (needs root)");
    try {
      Skinnywhale.Result r =
          Skinnywhale.run("-o", tiny.resolve("slim.tar").toString(), "local/debian:bookworm");
      assertEquals(6, r.exitCode(), r.err());
      assertOneLine(r.err());
      assertTrue(r.err().contains("disk full"), r.err());
      try (var files = java.nio.file.Files.list(tiny)) {
        assertEquals(java.util.List.of(), files.toList());
      }
      assertEquals(java.util.List.of(), DockerCli.temporaryContainers());
    } finally {
      new ProcessBuilder("umount", tiny.toString()).inheritIO().start().waitFor();
    }
  }

  @Test
  void run_badTagOrRelativeGlob_exits2BeforeAnyWork() {
    for (List<String> args :
        List.of(
            List.of("--tag", "Bad Tag", "local/debian:bookworm"),
            List.of("--tag", "UPPER:1", "local/debian:bookworm"),
            List.of("--include", "etc/passwd", "local/debian:bookworm"),
            List.of("trace", "--run", "true", "--exclude", "usr", "local/debian:bookworm"),
            List.of("Bad:Tag:x"),
            List.of(
                "trace",
                "--timeout",
                "99999999999999",
                "--run",
                "true",
                "local/debian:bookworm"))) {
      Skinnywhale.Result r = Skinnywhale.run(args.toArray(new String[0]));
      assertEquals(2, r.exitCode(), r.err());
      assertFalse(r.err().contains("==>"), "work was done before the usage error: " + r.err());
    }
  }

  /** A --run program the image lacks: exit 9, named as not found in the image, nothing left. */
  @Test
  void trace_programNotInTheImage_exits9NamingIt() {
    DockerCli.requireDocker();
    DockerCli.requireBaseImage("bookworm");
    Skinnywhale.Result r =
        Skinnywhale.run("trace", "--run", "nosuch-program --version", "local/debian:bookworm");
    assertEquals(9, r.exitCode(), r.err());
    assertOneLine(r.err());
    assertTrue(
        r.err().contains("skinnywhale: error: nosuch-program: not found in the image"), r.err());
    assertEquals(java.util.List.of(), DockerCli.temporaryContainers());
  }

  /** -o at a symlink: refused before any work (exit 6), the link's target unchanged. */
  @Test
  void run_outputAtASymlink_exits6AndTargetUnchanged(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path victim = java.nio.file.Files.writeString(dir.resolve("victim"), "precious");
    java.nio.file.Path link =
        java.nio.file.Files.createSymbolicLink(dir.resolve("slim.tar"), victim);
    Skinnywhale.Result r = Skinnywhale.run("-o", link.toString(), "local/debian:bookworm");
    assertEquals(6, r.exitCode(), r.err());
    assertOneLine(r.err());
    assertTrue(r.err().contains(link + ": exists and is a symbolic link"), r.err());
    assertFalse(r.err().contains("==>"), "work was done before the refusal: " + r.err());
    assertEquals("precious", java.nio.file.Files.readString(victim));
  }

  @Test
  void help_listsExitCodes() {
    Skinnywhale.Result r = Skinnywhale.run("--help");
    assertEquals(0, r.exitCode());
    assertTrue(r.out().contains("Exit codes:"), r.out());
    assertTrue(r.out().contains("No such container or image"), r.out());
  }

  private static void assertOneLine(String err) {
    String errors =
        err.lines().filter(l -> l.startsWith("skinnywhale:")).reduce("", (a, b) -> a + b + "\n");
    assertEquals(1, errors.lines().count(), err);
    assertFalse(err.contains("\tat "), "stack trace printed: " + err);
  }
}
