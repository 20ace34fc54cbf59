package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skinnywhale.workflow.run.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test-side Docker access through the {@code docker} CLI: fixtures are set up and results checked
 * with the same tool a user has, independent of the adapter under test.
 */
final class DockerCli {
  record Result(int exitCode, String out, String err) {
    String all() {
      return out + err;
    }
  }

  private DockerCli() {}

  /** Skips the test without Docker, or fails it when CI=true (CI must run every Docker test). */
  static void requireDocker() {
    boolean ok;
    try {
      ok = run("info").exitCode() == 0;
    } catch (RuntimeException e) {
      ok = false;
    }
    if (!ok && "true".equals(System.getenv("CI"))) {
      fail("Docker is not available and CI=true: Docker tests must run in CI");
    }
    assumeTrue(ok, "Docker is not available");
  }

  static Result run(String... args) {
    return run(600, args);
  }

  static Result run(long timeoutSeconds, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("docker");
    cmd.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("docker-out", ".txt");
      Path err = Files.createTempFile("docker-err", ".txt");
      try {
        Process p =
            new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        p.getOutputStream().close();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException("timed out: " + cmd);
        }
        return new Result(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Result ok(String... args) {
    Result r = run(args);
    if (r.exitCode() != 0) {
      throw new AssertionError("docker " + String.join(" ", args) + " failed: " + r.all());
    }
    return r;
  }

  static boolean imageExists(String ref) {
    return run("image", "inspect", ref).exitCode() == 0;
  }

  /** Builds the local Debian base image with the project's script when it is missing. */
  static void requireBaseImage(String suite) {
    String tag = "local/debian:" + suite;
    if (imageExists(tag)) {
      return;
    }
    Path script = Paths.get(".ci", "base-images").toAbsolutePath();
    try {
      Process p = new ProcessBuilder("bash", script.toString(), suite).inheritIO().start();
      if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
        fail("could not build " + tag + " with " + script);
      }
    } catch (IOException e) {
      fail("could not build " + tag + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted");
    }
  }

  /**
   * A stopped container named {@code name} made from {@code local/debian:<suite>} by running {@code
   * script} with host networking (for apt-get); made once and reused, remade if a run failed.
   */
  static String requireContainer(String name, String suite, String script) {
    Result state = run("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", name);
    if (state.exitCode() == 0 && state.out().strip().equals("exited 0")) {
      return name;
    }
    if (state.exitCode() == 0) {
      run("rm", "-f", name);
    }
    requireBaseImage(suite);
    Result r =
        run(
            1200,
            "run",
            "--network",
            "host",
            "--name",
            name,
            "local/debian:" + suite,
            "sh",
            "-c",
            script);
    if (r.exitCode() != 0) {
      run("rm", "-f", name);
      fail("could not set up fixture container " + name + ": " + r.all());
    }
    return name;
  }

  /** Every path in an image's filesystem (read with docker export, so no shell is needed in it). */
  static List<String> files(String image) {
    String id = ok("create", image, "/none").out().strip();
    try {
      List<String> cmd = List.of("bash", "-c", "docker export " + id + " | tar -t");
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new AssertionError("listing " + image + " failed: " + out);
      }
      return out.lines()
          .map(l -> "/" + l.replaceFirst("^\\./", "").replaceFirst("/$", ""))
          .toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      run("rm", "-f", id);
    }
  }

  /**
   * The run id every skinnywhale this test JVM starts runs with ({@code SKINNYWHALE_RUN_ID}): the
   * leftover checks count what these runs made, not what other runs on the same engine make.
   */
  static final String RUN_ID = "it-" + java.util.UUID.randomUUID();

  /** Ids of temporary containers that skinnywhale runs of this JVM left. */
  static List<String> temporaryContainers() {
    String out =
        ok("ps", "-aq", "--filter", "label=" + Run.TEMP_LABEL, "--filter", runLabel())
            .out()
            .strip();
    return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
  }

  /** Ids of temporary images that skinnywhale runs of this JVM left. */
  static List<String> temporaryImages() {
    String out =
        ok("images", "-q", "--filter", "label=" + Run.TEMP_LABEL, "--filter", runLabel())
            .out()
            .strip();
    return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
  }

  private static String runLabel() {
    return "label=" + Run.RUN_LABEL + "=" + RUN_ID;
  }
}
