package dev.skinnywhale.workflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the built launcher (target/skinnywhale) as a user would, and captures what it printed. */
final class Skinnywhale {
  record Result(int exitCode, String out, String err, long millis) {}

  private Skinnywhale() {}

  static Result run(Map<String, String> env, String... args) {
    Path launcher = Paths.get("target", "skinnywhale").toAbsolutePath();
    if (!Files.isExecutable(launcher)) {
      throw new IllegalStateException(launcher + " is missing: run mvn package first");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(launcher.toString());
    cmd.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("sw-out", ".txt");
      Path err = Files.createTempFile("sw-err", ".txt");
      try {
        ProcessBuilder pb =
            new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("SKINNYWHALE_RUN_ID", DockerCli.RUN_ID);
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(20, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          throw new IllegalStateException("skinnywhale timed out: " + cmd);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        Result r =
            new Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8),
                millis);
        System.out.println(
            "$ skinnywhale "
                + String.join(" ", args)
                + "  ("
                + millis
                + " ms, exit "
                + r.exitCode()
                + ")");
        System.out.println(r.out());
        System.out.println(r.err());
        return r;
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Result run(String... args) {
    return run(Map.of(), args);
  }
}
