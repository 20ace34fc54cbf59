package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Probe runs on a real engine: no shell, failing commands, time limits, and clean-up. */
class TraceProbeIT {
  static final String NO_SHELL = "skinnywhale-it/noshell:src";
  static final String NO_SHELL_SLIM = "skinnywhale-it/noshell:slim";
  static final String SERVICE_SLIM = "skinnywhale-it/service:slim";
  static final String BASE = "local/debian:bookworm";

  static final String HELLO_C =
      """
      #include <stdio.h>
      int main(int argc, char **argv) {
        if (argc < 2) return 2;
        FILE *f = fopen(argv[1], "r");
        if (!f) { perror(argv[1]); return 1; }
        char buf[256];
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = 0;
        fputs(buf, stdout);
        return 0;
      }
      """;

  @BeforeAll
  static void docker() {
    DockerCli.requireDocker();
    DockerCli.requireBaseImage("bookworm");
  }

  @AfterAll
  static void cleanUp() {
    for (String tag : List.of(NO_SHELL, NO_SHELL_SLIM, SERVICE_SLIM)) {
      DockerCli.run("rmi", "-f", tag);
    }
  }

  /** An image of one static binary and its data: no shell, so the command is split into an argv. */
  @Test
  void trace_imageWithoutShell_runsArgvAndKeepsOnlyWhatWasRead(@TempDir Path dir) throws Exception {
    Path root = dir.resolve("root");
    Files.createDirectories(root.resolve("data"));
    Files.writeString(dir.resolve("hello.c"), HELLO_C);
    exec(
        List.of(
            "cc",
            "-static",
            "-O2",
            "-o",
            root.resolve("hello").toString(),
            dir.resolve("hello.c").toString()));
    Files.writeString(root.resolve("data/greeting.txt"), "hello from a shell-less image\n");
    Files.write(root.resolve("data/unused.bin"), new byte[1 << 20]);
    exec(
        List.of(
            "bash",
            "-c",
            "tar -C '"
                + root
                + "' -c . | docker import -c 'CMD [\"/hello\", \"/data/greeting.txt\"]' - "
                + NO_SHELL));

    Skinnywhale.Result r =
        Skinnywhale.run(
            "trace", "--run", "/hello '/data/greeting.txt'", "--tag", NO_SHELL_SLIM, NO_SHELL);
    assertEquals(0, r.exitCode(), r.err());
    DockerCli.Result run = DockerCli.run("run", "--rm", "--network", "none", NO_SHELL_SLIM);
    assertEquals(0, run.exitCode(), run.all());
    assertTrue(run.out().contains("hello from a shell-less image"), run.all());
    DockerCli.Result unused =
        DockerCli.run(
            "run", "--rm", "--network", "none", NO_SHELL_SLIM, "/hello", "/data/unused.bin");
    assertNotEquals(0, unused.exitCode(), "a file nobody read was kept: " + unused.all());
  }

  @Test
  void trace_commandFailsInSource_probeFailureAndNothingBuilt() {
    Skinnywhale.Result r =
        Skinnywhale.run(
            "trace",
            "--run",
            "echo about to fail; exit 3",
            "--tag",
            "skinnywhale-it/never:built",
            BASE);
    assertEquals(9, r.exitCode(), r.err());
    assertTrue(r.err().contains("exit code 3"), r.err());
    assertFalse(DockerCli.imageExists("skinnywhale-it/never:built"));
    assertEquals(List.of(), DockerCli.temporaryContainers());
  }

  @Test
  void trace_commandTimesOut_killedAndCleanedUp() {
    long start = System.nanoTime();
    Skinnywhale.Result r =
        Skinnywhale.run(
            "trace",
            "--run",
            "sleep 300",
            "--timeout",
            "3",
            "--tag",
            "skinnywhale-it/never:built",
            BASE);
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    assertEquals(9, r.exitCode(), r.err());
    assertTrue(r.err().contains("time limit"), r.err());
    assertTrue(seconds < 120, "took " + seconds + " s");
    assertEquals(List.of(), DockerCli.temporaryContainers());
    assertEquals(List.of(), DockerCli.temporaryImages());
  }

  /** A service that stays up: killed at the limit, and that is success with --expect-timeout. */
  @Test
  void trace_expectTimeout_serviceKilledAtLimitCountsAsSuccess() {
    Skinnywhale.Result r =
        Skinnywhale.run(
            "trace",
            "--run",
            "cat /etc/os-release; sleep 300",
            "--timeout",
            "3",
            "--expect-timeout",
            "--tag",
            SERVICE_SLIM,
            BASE);
    assertEquals(0, r.exitCode(), r.err());
    DockerCli.Result run =
        DockerCli.run("run", "--rm", "--network", "none", SERVICE_SLIM, "cat", "/etc/os-release");
    assertEquals(0, run.exitCode(), run.all());
    assertEquals(List.of(), DockerCli.temporaryContainers());
  }

  /** Ctrl-C in the middle of a probe: the probe container is removed and nothing is left. */
  @Test
  void trace_interrupted_removesEverythingItMade() throws Exception {
    Path launcher = Path.of("target", "skinnywhale").toAbsolutePath();
    ProcessBuilder pb =
        new ProcessBuilder(
                launcher.toString(), "trace", "--run", "sleep 300", "--timeout", "200", BASE)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("SKINNYWHALE_RUN_ID", DockerCli.RUN_ID);
    Process p = pb.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (DockerCli.temporaryContainers().isEmpty() && System.nanoTime() < deadline) {
        assertTrue(p.isAlive(), "skinnywhale ended before its probe started");
        Thread.sleep(200);
      }
      assertFalse(DockerCli.temporaryContainers().isEmpty(), "no probe container appeared");
      Thread.sleep(1000);
      exec(List.of("kill", "-INT", Long.toString(p.pid())));
      assertTrue(p.waitFor(90, TimeUnit.SECONDS), "skinnywhale did not stop on SIGINT");
      assertEquals(130, p.exitValue());
      assertEquals(List.of(), DockerCli.temporaryContainers());
      assertEquals(List.of(), DockerCli.temporaryImages());
    } finally {
      p.destroyForcibly();
    }
  }

  private static void exec(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      fail("failed: " + cmd);
    }
  }
}
