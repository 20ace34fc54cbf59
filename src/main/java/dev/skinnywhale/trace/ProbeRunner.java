package dev.skinnywhale.trace;

import dev.skinnywhale.docker.ContainerSpec;
import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.tracelog.AccessSet;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one smoke command in a throw-away probe container: created from the given image (never the
 * user's container), no privileges, no added capabilities, the engine's default seccomp profile.
 * With {@link TracerKind#PTRACE} the static tracer is copied in through the engine's archive API
 * and wraps the command; with {@link TracerKind#LD_DEBUG} the dynamic linker reports what it loads.
 * What the tracer wrote is read back as a tar stream and parsed as it streams ({@link ProbeDir}).
 * The probe container is removed when the run ends, also on failure.
 */
public final class ProbeRunner {
  /** Where the tracer, its log and its status live inside a probe container. */
  public static final String PROBE_DIR = "/.skinnywhale-probe";

  /** Grace time on top of the tracer's own time limit before the engine kills the container. */
  private static final Duration GRACE = Duration.ofSeconds(15);

  private final DockerEngine engine;
  private final Undo undo;
  private final Map<String, String> labels;
  private final Pacer pacer;

  /**
   * A runner that puts {@code labels} on its containers and registers their removal with {@code
   * undo}.
   */
  public ProbeRunner(DockerEngine engine, Undo undo, Map<String, String> labels) {
    this(engine, undo, labels, Pacer.SYSTEM);
  }

  /** As above, with the clock a service's healthcheck tries are paced by. */
  public ProbeRunner(DockerEngine engine, Undo undo, Map<String, String> labels, Pacer pacer) {
    this.engine = engine;
    this.undo = undo;
    this.labels = Map.copyOf(labels);
    this.pacer = pacer;
  }

  /**
   * Runs {@code command} under the ptrace tracer; when the engine's seccomp profile (or anything
   * else) refuses ptrace, or the command itself uses ptrace (its own calls refused: it cannot trace
   * while traced), runs it again with LD_DEBUG, which sees libraries only, and says so in the run's
   * notes.
   */
  public ProbeRun trace(String image, ProbeCommand command, ProbeOptions options, byte[] tracer)
      throws IOException {
    return trace(image, command, options, tracer, ProbeSeccomp.NONE);
  }

  /** {@link #trace(String, ProbeCommand, ProbeOptions, byte[])}, with what {@code seccomp} asks. */
  public ProbeRun trace(
      String image, ProbeCommand command, ProbeOptions options, byte[] tracer, ProbeSeccomp seccomp)
      throws IOException {
    ProbeRun run = run(image, command, options, TracerKind.PTRACE, Optional.of(tracer), seccomp);
    if (run.tracer() != TracerKind.PTRACE || run.tracerStatus().isEmpty()) {
      return run;
    }
    TracerStatus status = run.tracerStatus().get();
    if (status.ptraceRefused()) {
      return withLdDebug(
          run,
          image,
          options,
          seccomp,
          "fell back to LD_DEBUG: libraries were captured, data files were not");
    }
    if (status.ptraceDenied() > 0) {
      return withLdDebug(run, image, options, seccomp, nestedPtraceNote(command, status));
    }
    return run;
  }

  /** Why a command that itself uses ptrace was traced again with LD_DEBUG, and what that misses. */
  static String nestedPtraceNote(ProbeCommand command, TracerStatus status) {
    return "`"
        + command.text()
        + "` uses ptrace itself ("
        + status.ptraceDenied()
        + " of its ptrace calls were refused: a traced program cannot trace), so it was run again"
        + " with LD_DEBUG instead of the tracer. LD_DEBUG sees what the dynamic loader loads: each"
        + " dynamically linked program started and its libraries, dlopen'ed ones too. It does not"
        + " see data or configuration files, scripts read by an interpreter, programs that are"
        + " statically linked or setuid, nor programs started with LD_DEBUG removed from their"
        + " environment: keep those with --include or a profile.";
  }

  /** {@code run} (a PTRACE run) done again with LD_DEBUG, with {@code why} among its notes. */
  private ProbeRun withLdDebug(
      ProbeRun run, String image, ProbeOptions options, ProbeSeccomp seccomp, String why)
      throws IOException {
    ProbeRun fallback =
        run(image, run.command(), options, TracerKind.LD_DEBUG, Optional.empty(), seccomp);
    List<String> notes = new ArrayList<>(run.notes());
    notes.add(why);
    notes.addAll(fallback.notes());
    return new ProbeRun(
        run.command(),
        fallback.exitCode(),
        fallback.timedOut(),
        fallback.output(),
        TracerKind.LD_DEBUG,
        fallback.accesses(),
        notes,
        run.tracerStatus(),
        fallback.health(),
        fallback.syscalls());
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
    return run(image, command, options, kind, tracer, ProbeSeccomp.NONE);
  }

  /**
   * {@link #run(String, ProbeCommand, ProbeOptions, TracerKind, Optional)}, under the seccomp
   * profile {@code seccomp} names and with the tracer's syscall summary when it asks for one.
   */
  public ProbeRun run(
      String image,
      ProbeCommand command,
      ProbeOptions options,
      TracerKind kind,
      Optional<byte[]> tracer,
      ProbeSeccomp seccomp)
      throws IOException {
    List<String> env = new ArrayList<>(options.env());
    Optional<List<String>> entrypoint;
    List<String> cmd;
    // A service probe (the image's own command) runs until --config-timeout, not --timeout.
    Duration timeout = command.service().map(ServiceProbe::startedAfter).orElse(options.timeout());
    long seconds = Math.max(1, timeout.toSeconds());
    switch (kind) {
      case PTRACE -> {
        List<String> words = new ArrayList<>();
        words.addAll(
            List.of(
                PROBE_DIR + "/" + ProbeDir.TRACER,
                "-o",
                PROBE_DIR + "/" + ProbeDir.TRACE_LOG,
                "--status",
                PROBE_DIR + "/" + ProbeDir.STATUS,
                "--timeout",
                Long.toString(seconds)));
        if (seccomp.recordSyscalls()) {
          words.addAll(List.of("--syscalls", PROBE_DIR + "/" + ProbeDir.SYSCALLS));
        }
        words.add("--");
        entrypoint = Optional.of(words);
        cmd = command.argv();
      }
      case LD_DEBUG -> {
        env.add("LD_DEBUG=libs,files");
        env.add("LD_DEBUG_OUTPUT=" + PROBE_DIR + "/" + ProbeDir.LD_DEBUG_PREFIX);
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
            labels,
            options.run(),
            seccomp.profile());
    String id = engine.createContainer(spec);
    Runnable remove =
        undo.add(
            "probe container " + id.substring(0, Math.min(12, id.length())),
            () -> engine.removeContainer(id));
    try {
      if (kind != TracerKind.NONE || command.script().isPresent()) {
        engine.copyInto(id, "/", new ByteArrayInputStream(ProbeDir.tar(kind, tracer, command)));
      }
      engine.start(id);
      long started = pacer.nanos();
      Duration limit = kind == TracerKind.PTRACE ? timeout.plus(GRACE) : timeout;
      Optional<HealthOutcome> health = health(id, command, kind, started, timeout);
      Duration left = limit.minusNanos(pacer.nanos() - started);
      Optional<Integer> exit =
          engine.waitFor(
              id, left.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : left);
      boolean timedOut = exit.isEmpty();
      if (timedOut) {
        engine.kill(id);
        engine.waitFor(id, GRACE);
      }
      String output = engine.logs(id);
      ProbeRun run;
      if (kind == TracerKind.NONE) {
        run = new ProbeRun(command, exit, timedOut, output, kind, AccessSet.empty(), List.of());
      } else {
        ProbeDir.Output probe;
        try (InputStream tar = engine.copyOut(id, PROBE_DIR)) {
          probe = ProbeDir.read(tar, kind, "trace of `" + command.text() + "`");
        }
        run =
            kind == TracerKind.LD_DEBUG
                ? new ProbeRun(command, exit, timedOut, output, kind, probe.accesses(), List.of())
                : traced(command, exit, timedOut, output, probe);
      }
      if (health.isPresent() && health.get().tries() == 0) {
        // No try ran: the command ended first (then it is a command, not a service), or the
        // engine would not run one while the service was up, which the user must hear of.
        return run.timedOut()
            ? run.withNote("the healthcheck could not run: " + health.get().output())
            : run;
      }
      return health.map(h -> run.withHealth(h, AccessSet.empty())).orElse(run);
    } finally {
      remove.run();
    }
  }

  /**
   * A service's healthcheck, tried while the service runs (the traced tries' logs are read back
   * with the main one); empty for other commands.
   */
  private Optional<HealthOutcome> health(
      String id, ProbeCommand command, TracerKind kind, long started, Duration timeout) {
    Optional<HealthCheck> check = command.service().flatMap(ServiceProbe::health);
    if (check.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new HealthProbe(engine, pacer)
              .run(id, check.get(), kind, started, started + timeout.toNanos()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new dev.skinnywhale.docker.EngineException(
          dev.skinnywhale.docker.EngineException.Kind.INTERRUPTED,
          "interrupted while running the healthcheck",
          e);
    }
  }

  /**
   * A PTRACE run as its status says it ended: a timeout is one whatever the engine saw; a program
   * the tracer's PATH search did not find exits 127 as under a shell; any other tracer error leaves
   * no exit code and a note, and when ptrace itself was refused, no accesses either (the caller
   * falls back to LD_DEBUG). Otherwise the exit code is the container's, which is the program's.
   */
  private static ProbeRun traced(
      ProbeCommand command,
      Optional<Integer> exit,
      boolean timedOut,
      String output,
      ProbeDir.Output probe) {
    TracerStatus status = probe.status();
    AccessSet accesses = probe.accesses();
    List<String> notes = new ArrayList<>();
    if (status instanceof TracerStatus.TimedOut) {
      timedOut = true;
      exit = Optional.empty();
    } else if (status instanceof TracerStatus.Failed f && f.programNotFound()) {
      exit = Optional.of(TracerStatus.EXIT_NOT_FOUND);
      notes.add(f.text());
    } else if (status instanceof TracerStatus.Failed f) {
      notes.add("the tracer failed: " + f.text());
      exit = Optional.empty();
      if (f.ptraceRefused()) {
        timedOut = false;
        accesses = AccessSet.empty();
      }
    } else if (status instanceof TracerStatus.Missing) {
      notes.add("the tracer failed: no status written");
      exit = Optional.empty();
    } else if (status instanceof TracerStatus.Malformed m) {
      notes.add("the tracer failed: unreadable status \"" + abbreviate(m.text()) + "\"");
      exit = Optional.empty();
    }
    return new ProbeRun(
        command,
        exit,
        timedOut,
        output,
        TracerKind.PTRACE,
        accesses,
        notes,
        Optional.of(status),
        Optional.empty(),
        probe.syscalls());
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
