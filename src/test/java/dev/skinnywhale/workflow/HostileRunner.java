package dev.skinnywhale.workflow;

import dev.skinnywhale.workflow.run.Run;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the launcher as a user would, under a wall-time bound, while sampling the JVM's peak RSS
 * (the launcher execs java, so its pid is the JVM's); and looks at what a run left: temporary
 * containers and images carrying its run id, files in its TMPDIR, changes in a directory.
 */
final class HostileRunner {
  /** What one run did. {@code peakRssKb} is the last VmHWM read before the process ended. */
  record Outcome(int exit, String out, String err, long millis, long peakRssKb, boolean timedOut) {}

  /** A signal sent once stderr contains {@code marker}, {@code delay} after it appeared. */
  record Signal(String name, String marker, Duration delay) {}

  private HostileRunner() {}

  static Outcome run(
      Path cwd,
      Map<String, String> env,
      Duration bound,
      Optional<Signal> signal,
      List<String> args) {
    Path launcher = Path.of("target", "skinnywhale").toAbsolutePath();
    if (!Files.isExecutable(launcher)) {
      throw new IllegalStateException(launcher + " is missing: run mvn package first");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(launcher.toString());
    cmd.addAll(args);
    try {
      Path out = Files.createTempFile("hostile-out", ".txt");
      Path err = Files.createTempFile("hostile-err", ".txt");
      try {
        ProcessBuilder pb =
            new ProcessBuilder(cmd)
                .directory(cwd.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p = pb.start();
        p.getOutputStream().close();
        long peak = 0;
        boolean timedOut = false;
        boolean signalled = false;
        long markerSeenAt = -1;
        while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
          peak = Math.max(peak, vmHwmKb(p.pid()));
          long now = System.nanoTime();
          if (signal.isPresent() && !signalled) {
            if (markerSeenAt < 0
                && Files.readString(err, StandardCharsets.ISO_8859_1)
                    .contains(signal.get().marker())) {
              markerSeenAt = now;
            }
            if (markerSeenAt >= 0 && now - markerSeenAt >= signal.get().delay().toNanos()) {
              new ProcessBuilder("kill", "-" + signal.get().name(), Long.toString(p.pid()))
                  .inheritIO()
                  .start()
                  .waitFor();
              signalled = true;
            }
          }
          if (now - start > bound.toNanos()) {
            timedOut = true;
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            break;
          }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new Outcome(
            timedOut ? -1 : p.exitValue(), read(out), read(err), millis, peak, timedOut);
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Temporary containers and images labelled with {@code runId}, as "container ID" lines. */
  static List<String> leftovers(String runId) {
    List<String> found = new ArrayList<>();
    String temp = "label=" + Run.TEMP_LABEL;
    String run = "label=" + Run.RUN_LABEL + "=" + runId;
    for (String id : words(DockerCli.ok("ps", "-aq", "--filter", temp, "--filter", run).out())) {
      found.add("container " + id);
    }
    for (String id : words(DockerCli.ok("images", "-q", "--filter", temp, "--filter", run).out())) {
      found.add("image " + id);
    }
    return found;
  }

  /** Removes what {@link #leftovers} found, so that a failed case does not litter the engine. */
  static void removeLeftovers(String runId) {
    for (String l : leftovers(runId)) {
      String[] kindAndId = l.split(" ");
      if (kindAndId[0].equals("container")) {
        DockerCli.run("rm", "-f", kindAndId[1]);
      } else {
        DockerCli.run("rmi", "-f", kindAndId[1]);
      }
    }
  }

  /**
   * Every entry under {@code dir} (relative name, symlinks not followed) with what it is: a regular
   * file's SHA-256, a link's target, or the file type from its mode for directories, devices and
   * FIFOs (never opened).
   */
  static TreeMap<String, String> snapshot(Path dir) {
    TreeMap<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.toList()) {
        String name = dir.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          out.put(name, "link " + Files.readSymbolicLink(p));
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          out.put(name, "file " + sha256(p));
        } else {
          int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
          out.put(name, "type " + Integer.toOctalString(mode & 0170000));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The JVM's peak resident set (VmHWM) in KiB, 0 once it is gone. */
  private static long vmHwmKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }

  private static String sha256(Path p) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (var in = Files.newInputStream(p)) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
          md.update(buf, 0, n);
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.ISO_8859_1);
  }

  private static List<String> words(String s) {
    String t = s.strip();
    return t.isEmpty() ? List.of() : List.of(t.split("\\s+"));
  }
}
