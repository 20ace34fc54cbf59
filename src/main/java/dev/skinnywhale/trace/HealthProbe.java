package dev.skinnywhale.trace;

import dev.skinnywhale.docker.DockerEngine;
import dev.skinnywhale.docker.EngineException;
import dev.skinnywhale.docker.ExecResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tries a service's healthcheck in its running probe container, as the engine would but on a
 * shorter clock: the first try a second after the start, then one a second after each failure,
 * until one succeeds (healthy), {@code retries} consecutive ones fail after the start period
 * (unhealthy), or the service's time is up. Each try is an exec of the test, under its own tracer
 * (writing {@code health-N.log} next to the main log) when the probe is traced — the exec'd process
 * is not a child of the container's first process, so that tracer cannot see it.
 */
final class HealthProbe {
  /** The engine's interval between tries, compressed. */
  static final Duration PAUSE = Duration.ofSeconds(1);

  /** Time kept back at the end for the last try's tracer to write its log. */
  static final Duration MARGIN = Duration.ofMillis(500);

  /** Log and status names of a traced try, in the probe directory. */
  static final String LOG_PREFIX = "health-";

  private final DockerEngine engine;
  private final Pacer pacer;

  HealthProbe(DockerEngine engine, Pacer pacer) {
    this.engine = engine;
    this.pacer = pacer;
  }

  /**
   * @param started when the container was started ({@link Pacer#nanos})
   * @param deadline when the service will be stopped ({@link Pacer#nanos})
   */
  HealthOutcome run(
      String containerId, HealthCheck check, TracerKind kind, long started, long deadline)
      throws InterruptedException {
    int tries = 0;
    int failures = 0;
    Optional<Integer> last = Optional.empty();
    String output = "";
    long next = started + PAUSE.toNanos();
    long end = deadline - MARGIN.toNanos();
    while (true) {
      long now = pacer.nanos();
      if (next > now) {
        pacer.sleep(Duration.ofNanos(next - now));
        now = pacer.nanos();
      }
      Duration left = Duration.ofNanos(end - now);
      if (left.compareTo(Duration.ofMillis(200)) < 0) {
        return new HealthOutcome(
            tries, last, false, tries == 0 ? "--config-timeout left no time for a try" : output);
      }
      Duration limit = check.timeout().compareTo(left) < 0 ? check.timeout() : left;
      tries++;
      ExecResult result;
      try {
        // The exec inherits the container's Env (LD_DEBUG's settings too, for an LD_DEBUG probe).
        result =
            engine.exec(containerId, argv(check, kind, tries, limit), List.of(), wait(kind, limit));
      } catch (EngineException e) {
        if (e.is(EngineException.Kind.INTERRUPTED)) {
          throw new InterruptedException(e.getMessage());
        }
        // The service has ended (an exec needs a running container), or the engine refused the
        // exec: no verdict; the reason is the outcome's output.
        return new HealthOutcome(tries - 1, last, false, e.getMessage());
      }
      last = result.exitCode();
      output = result.output();
      if (last.equals(Optional.of(0))) {
        return new HealthOutcome(tries, last, true, output);
      }
      if (pacer.nanos() - started >= check.startPeriod().toNanos()) {
        failures++;
      }
      if (failures >= check.retries()) {
        return new HealthOutcome(tries, last, false, output);
      }
      next = pacer.nanos() + PAUSE.toNanos();
    }
  }

  /** The try's command: the test itself, or the test under a tracer of its own. */
  static List<String> argv(HealthCheck check, TracerKind kind, int n, Duration limit) {
    if (kind != TracerKind.PTRACE) {
      return check.argv();
    }
    List<String> argv = new ArrayList<>();
    argv.add(ProbeRunner.PROBE_DIR + "/" + ProbeDir.TRACER);
    argv.add("-o");
    argv.add(ProbeRunner.PROBE_DIR + "/" + LOG_PREFIX + n + ".log");
    argv.add("--status");
    argv.add(ProbeRunner.PROBE_DIR + "/" + LOG_PREFIX + n + ".status");
    argv.add("--timeout");
    argv.add(Long.toString(Math.max(1, limit.toSeconds())));
    argv.add("--grace");
    argv.add("0");
    argv.add("--");
    argv.addAll(check.argv());
    return argv;
  }

  /** How long to wait for a try: its limit, and for a traced one a little for the tracer. */
  private static Duration wait(TracerKind kind, Duration limit) {
    return kind == TracerKind.PTRACE ? limit.plusSeconds(1) : limit;
  }
}
