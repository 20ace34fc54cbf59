package dev.skinnywhale.trace;

import dev.skinnywhale.docker.ContainerSpec;
import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.rootfs.FsNode;
import dev.skinnywhale.rootfs.NodeMeta;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.tar.TarRootFsReader;
import dev.skinnywhale.tar.TarStreamWriter;
import dev.skinnywhale.tracelog.AccessSet;
import dev.skinnywhale.tracelog.LdDebugLogParser;
import dev.skinnywhale.tracelog.StraceLogParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Runs one smoke command in a throw-away probe container: created from the given image (never the
 * user's container), no privileges, no added capabilities, the engine's default seccomp profile.
 * With {@link TracerKind#PTRACE} the static tracer is copied in through the engine's archive API
 * and wraps the command; with {@link TracerKind#LD_DEBUG} the dynamic linker reports what it loads.
 * The probe container is removed when the run ends, also on failure.
 */
public final class ProbeRunner {
  /** Where the tracer, its log and its status live inside a probe container. */
  public static final String PROBE_DIR = "/.skinnywhale-probe";

  /** Grace time on top of the tracer's own time limit before the engine kills the container. */
  private static final Duration GRACE = Duration.ofSeconds(15);

  /** The most log bytes read back from a probe (a runaway program cannot fill the heap). */
  private static final long MAX_LOG_BYTES = 512L << 20;

  private final DockerEngine engine;
  private final Undo undo;
  private final Path tempDir;
  private final Map<String, String> labels;

  public ProbeRunner(DockerEngine engine, Undo undo, Path tempDir, Map<String, String> labels) {
    this.engine = engine;
    this.undo = undo;
    this.tempDir = tempDir;
    this.labels = Map.copyOf(labels);
  }

  /**
   * Runs {@code command} under the ptrace tracer; when the engine's seccomp profile (or anything
   * else) refuses ptrace, runs it again with LD_DEBUG, which sees libraries only, and says so in
   * the run's notes.
   */
  public ProbeRun trace(String image, ProbeCommand command, ProbeOptions options, byte[] tracer)
      throws IOException {
    ProbeRun run = run(image, command, options, TracerKind.PTRACE, Optional.of(tracer));
    if (run.tracer() == TracerKind.PTRACE
        && run.exitCode().isEmpty()
        && !run.timedOut()
        && run.notes().stream().anyMatch(n -> n.contains("failed: ptrace"))) {
      ProbeRun fallback = run(image, command, options, TracerKind.LD_DEBUG, Optional.empty());
      List<String> notes = new ArrayList<>(run.notes());
      notes.add("fell back to LD_DEBUG: libraries were captured, data files were not");
      notes.addAll(fallback.notes());
      return new ProbeRun(
          command,
          fallback.exitCode(),
          fallback.timedOut(),
          fallback.output(),
          TracerKind.LD_DEBUG,
          fallback.accesses(),
          notes);
    }
    return run;
  }

  /**
   * Runs {@code command} in a new container of {@code image}.
   *
   * @param tracer the tracer binary for the image's architecture (for PTRACE)
   */
  public ProbeRun run(
      String image,
      ProbeCommand command,
      ProbeOptions options,
      TracerKind kind,
      Optional<byte[]> tracer)
      throws IOException {
    List<String> env = new ArrayList<>(options.env());
    Optional<List<String>> entrypoint;
    List<String> cmd;
    long seconds = Math.max(1, options.timeout().toSeconds());
    switch (kind) {
      case PTRACE -> {
        entrypoint =
            Optional.of(
                List.of(
                    PROBE_DIR + "/tracer",
                    "-o",
                    PROBE_DIR + "/trace.log",
                    "--status",
                    PROBE_DIR + "/status",
                    "--timeout",
                    Long.toString(seconds),
                    "--"));
        cmd = command.argv();
      }
      case LD_DEBUG -> {
        env.add("LD_DEBUG=libs,files");
        env.add("LD_DEBUG_OUTPUT=" + PROBE_DIR + "/ld");
        entrypoint = Optional.of(List.of(command.argv().get(0)));
        cmd = command.argv().subList(1, command.argv().size());
      }
      default -> {
        entrypoint = Optional.of(List.of(command.argv().get(0)));
        cmd = command.argv().subList(1, command.argv().size());
      }
    }
    ContainerSpec spec =
        new ContainerSpec(
            image,
            entrypoint,
            Optional.of(cmd),
            env,
            options.user(),
            options.workingDir(),
            options.network(),
            labels);
    String id = engine.createContainer(spec);
    Runnable remove =
        undo.add(
            "probe container " + id.substring(0, Math.min(12, id.length())),
            () -> engine.removeContainer(id));
    try {
      if (kind != TracerKind.NONE || command.script().isPresent()) {
        engine.copyInto(id, "/", new ByteArrayInputStream(probeDir(kind, tracer, command)));
      }
      engine.start(id);
      Duration limit =
          kind == TracerKind.PTRACE ? options.timeout().plus(GRACE) : options.timeout();
      Optional<Integer> exit = engine.waitFor(id, limit);
      boolean timedOut = exit.isEmpty();
      if (timedOut) {
        engine.kill(id);
        engine.waitFor(id, GRACE);
      }
      String output = engine.logs(id);
      List<String> notes = new ArrayList<>();
      AccessSet accesses = emptyAccesses();
      if (kind == TracerKind.PTRACE) {
        Map<String, byte[]> files = readProbeDir(id);
        String status = text(files.get("status")).strip();
        if (status.startsWith("timeout")) {
          timedOut = true;
          exit = Optional.empty();
        } else if (status.startsWith("error exec") && status.contains("not found")) {
          exit = Optional.of(127);
          notes.add(status.substring("error ".length()));
        } else if (status.startsWith("error") || status.isEmpty()) {
          notes.add(
              "the tracer failed: "
                  + (status.isEmpty() ? "no status written" : status.substring(6)));
          if (status.startsWith("error ptrace")) {
            return new ProbeRun(command, Optional.empty(), false, output, kind, accesses, notes);
          }
          exit = Optional.empty();
        }
        byte[] log = files.get("trace.log");
        if (log != null) {
          accesses =
              new StraceLogParser()
                  .parse("trace of `" + command.text() + "`", new StringReader(text(log)));
        }
      } else if (kind == TracerKind.LD_DEBUG) {
        Map<String, byte[]> files = readProbeDir(id);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
          if (f.getKey().startsWith("ld.")) {
            accesses =
                accesses.merge(
                    new LdDebugLogParser().parse(f.getKey(), new StringReader(text(f.getValue()))));
          }
        }
      }
      return new ProbeRun(command, exit, timedOut, output, kind, accesses, notes);
    } finally {
      remove.run();
    }
  }

  private static AccessSet emptyAccesses() {
    return new AccessSet(new TreeMap<>(), new TreeMap<>());
  }

  /** A tar holding the probe directory (world-writable, sticky) and, for PTRACE, the tracer. */
  private static byte[] probeDir(TracerKind kind, Optional<byte[]> tracer, ProbeCommand command)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TarStreamWriter tar = new TarStreamWriter(bytes);
    String dir = PROBE_DIR.substring(1);
    tar.addDirectory(dir, NodeMeta.of(01777));
    if (kind == TracerKind.PTRACE) {
      byte[] binary =
          tracer.orElseThrow(() -> new IllegalStateException("no tracer for this architecture"));
      tar.addFile(
          dir + "/tracer",
          new NodeMeta(0755, 0, 0, "", "", Instant.EPOCH, Map.of()),
          binary.length,
          new ByteArrayInputStream(binary));
    }
    if (command.script().isPresent()) {
      byte[] script =
          command.script().get().content().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      tar.addFile(
          ProbeCommand.SCRIPT_PATH.substring(1),
          new NodeMeta(0755, 0, 0, "", "", Instant.EPOCH, Map.of()),
          script.length,
          new ByteArrayInputStream(script));
    }
    tar.finish();
    return bytes.toByteArray();
  }

  /** The probe directory's regular files, by name, read back through the archive API. */
  private Map<String, byte[]> readProbeDir(String id) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (InputStream tar = engine.copyOut(id, PROBE_DIR);
        RootFs fs = new TarRootFsReader().read(tar, tempDir)) {
      for (FsNode node : (Iterable<FsNode>) fs.nodes()::iterator) {
        if (node instanceof FsNode.RegularFile f) {
          if (f.size() > MAX_LOG_BYTES) {
            throw new IOException(
                "the probe's " + f.path() + " is larger than " + (MAX_LOG_BYTES >> 20) + " MB");
          }
          try (InputStream in = f.content().open()) {
            String name = f.path().substring(f.path().lastIndexOf('/') + 1);
            out.put(name, in.readAllBytes());
          }
        }
      }
    }
    return out;
  }

  private static String text(byte[] bytes) {
    return bytes == null ? "" : new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
