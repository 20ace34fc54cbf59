package dev.skinnywhale.workflow;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The other tools the transport tests check our images with (skopeo, podman, a registry), run as a
 * user would; services they start are stopped by the test that started them.
 */
final class Tools {
  private Tools() {}

  /** Skips without the tool, or fails when CI=true. */
  static void require(String tool) {
    boolean ok = run(60, Map.of(), tool, "--version").exitCode() == 0;
    if (!ok && "true".equals(System.getenv("CI"))) {
      fail(tool + " is not available and CI=true (.ci/run installs it)");
    }
    assumeTrue(ok, tool + " is not available");
  }

  static DockerCli.Result run(long timeoutSeconds, Map<String, String> env, String... cmd) {
    try {
      Path out = Files.createTempFile("tool-out", ".txt");
      Path err = Files.createTempFile("tool-err", ".txt");
      try {
        ProcessBuilder pb =
            new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException("timed out: " + List.of(cmd));
        }
        return new DockerCli.Result(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + List.of(cmd) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static DockerCli.Result ok(String... cmd) {
    DockerCli.Result r = run(900, Map.of(), cmd);
    if (r.exitCode() != 0) {
      throw new AssertionError(String.join(" ", cmd) + " failed: " + r.all());
    }
    return r;
  }

  /** A shell pipeline (for `docker save | podman load`). */
  static DockerCli.Result sh(String script) {
    return run(900, Map.of(), "bash", "-o", "pipefail", "-c", script);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A long-running service (registry, podman) started by a test and destroyed by it. */
  static final class Service implements AutoCloseable {
    private final Process process;
    private final Path log;

    Service(Path log, String... cmd) throws IOException {
      this.log = log;
      this.process =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      process.getOutputStream().close();
    }

    /** Waits until {@code ready} holds (at most 30 s). */
    void await(java.util.function.BooleanSupplier ready, String what) throws Exception {
      for (int i = 0; i < 300; i++) {
        if (ready.getAsBoolean()) {
          return;
        }
        if (!process.isAlive()) {
          break;
        }
        Thread.sleep(100);
      }
      throw new AssertionError(what + " did not start: " + Files.readString(log));
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  static boolean listening(int port) {
    try (Socket s = new Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Debian's docker-registry on 127.0.0.1:port, its storage in {@code dir}. */
  static Service registry(Path dir, int port) throws Exception {
    Path config = dir.resolve("config.yml");
    Files.writeString(
        config,
        "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: "
            + dir.resolve("storage")
            + "\nhttp:\n  addr: 127.0.0.1:"
            + port
            + "\n");
    Service s =
        new Service(dir.resolve("registry.log"), "docker-registry", "serve", config.toString());
    s.await(() -> listening(port), "docker-registry");
    return s;
  }

  /** The JRE fixture container committed to an image (once): a fat image to push and pull. */
  static String jreImage() {
    String image = "skinnywhale-it13/jre:1";
    if (!DockerCli.imageExists(image)) {
      DockerCli.ok("commit", JavaFixtures.bookwormJre(), image);
    }
    return image;
  }

  static List<String> cmd(String... parts) {
    return new ArrayList<>(List.of(parts));
  }
}
