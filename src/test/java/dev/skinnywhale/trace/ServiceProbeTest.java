package dev.skinnywhale.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.docker.RunOptionParser;
import dev.skinnywhale.docker.RunOptions;
import dev.skinnywhale.trace.ScriptedEngine.Probe;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The image's own command run as a service, over a scripted engine and a test clock: still running
 * at its limit is success, and its healthcheck is tried in the same container, each try under a
 * tracer of its own whose log is read back with the main one.
 */
class ServiceProbeTest {
  static final byte[] TRACER = {0x7f, 'E', 'L', 'F'};
  static final String CURL_LOG =
      "31    execve(\"/usr/bin/curl\", [\"curl\"], 0x7ffd /* 3 vars */) = 0\n"
          + "31    openat(AT_FDCWD</>, \"/etc/curlrc\", O_RDONLY) = 3</etc/curlrc>\n";

  /** Time that moves only when the runner sleeps or a try runs. */
  static final class TestPacer implements Pacer {
    long now;

    @Override
    public long nanos() {
      return now;
    }

    @Override
    public void sleep(Duration duration) {
      now += duration.toNanos();
    }
  }

  private final ScriptedEngine engine = new ScriptedEngine();
  private final TestPacer pacer = new TestPacer();
  private final ProbeRunner runner =
      new ProbeRunner(engine, (what, action) -> () -> run(action), Map.of(), pacer);
  private final ProbeOptions options =
      new ProbeOptions(
          "none", List.of(), Optional.empty(), Optional.empty(), Duration.ofSeconds(60));

  {
    engine.onExec = () -> pacer.now += Duration.ofMillis(300).toNanos();
  }

  private static void run(Undo.Action action) {
    try {
      action.run();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static ProbeCommand server(Optional<HealthCheck> health, int seconds) {
    return ProbeCommand.service(
        "config [\"server\"]",
        List.of("server"),
        new ServiceProbe(Duration.ofSeconds(seconds), health));
  }

  private static HealthCheck check(int retries, Duration startPeriod) {
    return new HealthCheck(
        List.of("/bin/sh", "-c", "curl -f http://127.0.0.1/"),
        Duration.ofSeconds(30),
        startPeriod,
        retries);
  }

  @Test
  void testService_stillRunningAtTheLimit_healthyOnTheSecondTry() throws IOException {
    engine.probes.add(
        new Probe(
            Optional.empty(),
            Map.of("status", "timeout\n", "trace.log", "", "health-2.log", CURL_LOG)));
    engine.execs.addAll(List.of(Optional.of(7), Optional.of(0)));
    ProbeRun run =
        runner.trace("img", server(Optional.of(check(3, Duration.ZERO)), 10), options, TRACER);

    assertTrue(run.timedOut());
    assertTrue(run.succeeded(false), "a service that started succeeds without --expect-timeout");
    HealthOutcome health = run.health().orElseThrow();
    assertTrue(health.healthy());
    assertEquals(2, health.tries());
    assertTrue(run.outcome().contains("a service that started"), run.outcome());
    assertTrue(run.outcome().contains("healthy (try 2)"), run.outcome());
    // The service runs until --config-timeout (10 s), not --timeout (60 s).
    List<String> entrypoint = engine.specs.get(0).entrypoint().orElseThrow();
    assertEquals("10", entrypoint.get(entrypoint.indexOf("--timeout") + 1));
    // Each try runs under its own tracer, into its own log, which is read back.
    List<String> first = engine.execArgv.get(0);
    assertEquals(ProbeRunner.PROBE_DIR + "/tracer", first.get(0));
    assertTrue(first.contains(ProbeRunner.PROBE_DIR + "/health-1.log"), first.toString());
    assertEquals(
        List.of("/bin/sh", "-c", "curl -f http://127.0.0.1/"),
        first.subList(first.indexOf("--") + 1, first.size()));
    assertTrue(run.accesses().successfulPaths().contains("/etc/curlrc"));
    assertTrue(run.accesses().successfulPaths().contains("/usr/bin/curl"));
  }

  @Test
  void testService_unhealthyAfterItsRetries() throws IOException {
    engine.probes.add(new Probe(Optional.empty(), Map.of("status", "timeout\n")));
    engine.execs.addAll(List.of(Optional.of(1), Optional.of(1), Optional.of(0)));
    ProbeRun run =
        runner.trace("img", server(Optional.of(check(2, Duration.ZERO)), 10), options, TRACER);

    HealthOutcome health = run.health().orElseThrow();
    assertFalse(health.healthy());
    assertEquals(2, health.tries());
    assertEquals(Optional.of(1), health.exitCode());
    assertFalse(run.succeeded(true), "an unhealthy service did not start");
    assertTrue(run.outcome().contains("unhealthy: exit code 1 (2 tries)"), run.outcome());
    assertEquals(1, engine.execs.size(), "a try after the verdict");
  }

  @Test
  void testService_failuresInTheStartPeriodDoNotCount() throws IOException {
    engine.probes.add(new Probe(Optional.empty(), Map.of("status", "timeout\n")));
    engine.execs.addAll(List.of(Optional.of(1), Optional.of(1), Optional.of(0)));
    ProbeRun run =
        runner.trace(
            "img", server(Optional.of(check(1, Duration.ofSeconds(3))), 10), options, TRACER);
    assertTrue(run.health().orElseThrow().healthy());
    assertEquals(3, run.health().get().tries());
  }

  @Test
  void testService_noVerdictBeforeItsTimeIsUp() throws IOException {
    engine.onExec = () -> pacer.now += Duration.ofSeconds(1).toNanos();
    engine.probes.add(new Probe(Optional.empty(), Map.of("status", "timeout\n")));
    engine.execs.addAll(List.of(Optional.empty(), Optional.empty()));
    ProbeRun run =
        runner.trace("img", server(Optional.of(check(3, Duration.ZERO)), 3), options, TRACER);
    HealthOutcome health = run.health().orElseThrow();
    assertFalse(health.healthy());
    assertEquals(1, health.tries());
    assertTrue(health.text().contains("timed out"), health.text());
    assertFalse(run.succeeded(true));
  }

  @Test
  void testService_thatEndsBeforeTheHealthcheck_isACommandThatExited() throws IOException {
    engine.probes.add(Probe.exits(0, Map.of("status", "ok exit=0\n")));
    ProbeRun run =
        runner.trace("img", server(Optional.of(check(3, Duration.ZERO)), 10), options, TRACER);
    assertEquals(Optional.of(0), run.exitCode());
    assertEquals(Optional.empty(), run.health(), "no try could run");
    assertTrue(run.succeeded(false));
  }

  @Test
  void testService_whoseHealthcheckTheEngineWillNotRun_saysSo() throws IOException {
    engine.probes.add(new Probe(Optional.empty(), Map.of("status", "timeout\n")));
    ProbeRun run =
        runner.trace("img", server(Optional.of(check(3, Duration.ZERO)), 10), options, TRACER);
    assertEquals(Optional.empty(), run.health());
    assertTrue(
        run.notes().stream().anyMatch(n -> n.startsWith("the healthcheck could not run: ")),
        run.notes().toString());
    assertTrue(run.succeeded(false));
  }

  @Test
  void testService_exitingNonZero_fails() throws IOException {
    engine.probes.add(Probe.exits(100, Map.of("status", "ok exit=100\n")));
    ProbeRun run = runner.trace("img", server(Optional.empty(), 10), options, TRACER);
    assertFalse(run.succeeded(true));
    assertEquals("exit code 100", run.outcome());
  }

  @Test
  void testPlainRun_triesTheTestItself_andTheContainerGetsTheRunOptions() throws IOException {
    RunOptions run =
        new RunOptions(
            List.of(RunOptionParser.addHost("db:192.0.2.10")),
            List.of(RunOptionParser.tmpfs("/scratch")),
            List.of(RunOptionParser.volume("/srv/fixtures:/fixtures")),
            Optional.empty(),
            List.of(),
            List.of());
    ProbeOptions withMounts =
        new ProbeOptions(
            "none", List.of(), Optional.empty(), Optional.empty(), Duration.ofSeconds(60), run);
    engine.probes.add(new Probe(Optional.empty(), Map.of()));
    engine.execs.add(Optional.of(0));
    ProbeRun plain =
        runner.run(
            "slim",
            server(Optional.of(check(3, Duration.ZERO)), 10),
            withMounts,
            TracerKind.NONE,
            Optional.empty());
    assertTrue(plain.succeeded(false));
    assertEquals(List.of("/bin/sh", "-c", "curl -f http://127.0.0.1/"), engine.execArgv.get(0));
    assertEquals(run, engine.specs.get(0).run());
    assertTrue(engine.calls.contains("kill 1"), engine.calls.toString());
  }
}
