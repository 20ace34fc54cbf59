package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.skinnywhale.workflow.run.ShutdownGuard;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SIGINT and SIGTERM sent to the real CLI at several points of a trace (the commit of the probe
 * image, the export, a probe container's create and run, the verification): the exit code is the
 * signal's (130, 143), the last line says the run was interrupted, no step starts after the
 * interruption, and nothing this run made is left — no labelled container or image, no temporary
 * file.
 */
class SignalIT {
  static final String SOURCE = "skinnywhale-it-signal-" + DockerCli.RUN_ID;
  static final String SLIM = "skinnywhale-it/signal:" + DockerCli.RUN_ID;
  static final String INTERRUPTED =
      "WARNING: interrupted: removing the temporary containers, images and files";

  @BeforeAll
  static void source() {
    DockerCli.requireDocker();
    DockerCli.requireBaseImage("bookworm");
    DockerCli.run("rm", "-f", SOURCE);
    DockerCli.ok(
        "run",
        "--name",
        SOURCE,
        "--network",
        "none",
        "local/debian:bookworm",
        "sh",
        "-c",
        "echo hello > /hello");
  }

  @AfterAll
  static void cleanUp() {
    DockerCli.run("rm", "-f", SOURCE);
    DockerCli.run("rmi", "-f", SLIM);
  }

  /**
   * @param signal INT or TERM
   * @param after the start of the stderr line after which the signal is sent
   * @param delayMillis how long after that line
   */
  @ParameterizedTest(name = "SIG{0} {2} ms after \"{1}\"")
  @CsvSource({
    "INT, ==> preparing the probe image, 0",
    "TERM, ==> preparing the probe image, 0",
    "INT, ==> indexing the filesystem of, 300",
    "TERM, ==> probing, 0",
    "INT, ==> probing, 1500",
    "INT, ==> verifying, 200",
    "TERM, ==> verifying, 1000",
  })
  void signal_exitsWithItsStatus_saysSoLast_andLeavesNothing(
      String signal, String after, int delayMillis, @TempDir Path tmp) throws Exception {
    Path launcher = Path.of("target", "skinnywhale").toAbsolutePath();
    ProcessBuilder pb =
        new ProcessBuilder(launcher.toString(), "trace", "--run", "sleep 3", "--tag", SLIM, SOURCE)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("SKINNYWHALE_RUN_ID", DockerCli.RUN_ID);
    pb.environment().put("TMPDIR", tmp.toString());
    long start = System.nanoTime();
    Process p = pb.start();
    p.getOutputStream().close();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> readLines(p, lines));
    reader.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (lines.stream().noneMatch(l -> l.startsWith(after))) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          p.waitFor(5, TimeUnit.SECONDS);
          fail("no line \"" + after + "\" before the run ended: " + String.join("\n", lines));
        }
        Thread.sleep(10);
      }
      Thread.sleep(delayMillis);
      assertTrue(p.isAlive(), "the run ended before the signal: " + String.join("\n", lines));
      exec("kill", "-" + signal, Long.toString(p.pid()));
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "skinnywhale did not stop on SIG" + signal);
      reader.join(5_000);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      System.out.println(
          "SIG"
              + signal
              + " "
              + delayMillis
              + " ms after \""
              + after
              + "\": exit "
              + p.exitValue()
              + " after "
              + millis
              + " ms\n  "
              + String.join("\n  ", lines));

      assertEquals(signal.equals("INT") ? 130 : 143, p.exitValue(), String.join("\n", lines));
      List<String> said = lines.stream().filter(l -> !l.isBlank()).toList();
      assertEquals(ShutdownGuard.FINAL_LINE, said.get(said.size() - 1), "not the last line");
      assertEquals(1, said.stream().filter(ShutdownGuard.FINAL_LINE::equals).count());
      int interrupted = said.indexOf(INTERRUPTED);
      assertTrue(interrupted >= 0, "no interruption line");
      assertTrue(
          said.subList(interrupted, said.size()).stream().noneMatch(l -> l.startsWith("==> ")),
          "a step started after the interruption");
      assertTrue(
          said.stream().noneMatch(l -> l.contains("verification failed") || l.contains("error:")),
          "the interruption was reported as a failure");
      assertEquals(List.of(), DockerCli.temporaryContainers(), "containers left");
      assertEquals(List.of(), DockerCli.temporaryImages(), "images left");
      try (Stream<Path> left = Files.list(tmp)) {
        assertEquals(List.of(), left.toList(), "temporary files left");
      }
    } finally {
      p.destroyForcibly();
      DockerCli.run("rmi", "-f", SLIM);
    }
  }

  private static void readLines(Process p, List<String> lines) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        lines.add(line);
      }
    } catch (IOException e) {
      lines.add("(reading stderr failed: " + e.getMessage() + ")");
    }
  }

  private static void exec(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      fail("failed: " + String.join(" ", cmd));
    }
  }
}
