package dev.skinnywhale.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.trace.ScriptedEngine.Probe;
import dev.skinnywhale.tracelog.AccessKind;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a probe run reads what the tracer left, over a scripted engine. */
class ProbeRunnerTest {
  static final String OPEN_HOSTNAME =
      "7     openat(AT_FDCWD</>, \"/etc/hostname\", O_RDONLY) = 3</etc/hostname>\n";
  static final String LD_LOG =
      """
               9:\tcalling init: /lib/x86_64-linux-gnu/libc.so.6
      """;
  static final byte[] TRACER = {0x7f, 'E', 'L', 'F'};

  private final ScriptedEngine engine = new ScriptedEngine();
  private final ProbeRunner runner =
      new ProbeRunner(engine, (what, action) -> () -> run(action), Map.of("probe", "1"));
  private final ProbeCommand command = ProbeCommand.shell("/bin/sh", "cat /etc/hostname");
  private final ProbeOptions options =
      new ProbeOptions(
          "none", List.of(), Optional.empty(), Optional.empty(), Duration.ofSeconds(5));

  private static void run(Undo.Action action) {
    try {
      action.run();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private ProbeRun trace(Probe... probes) throws IOException {
    engine.probes.addAll(List.of(probes));
    return runner.trace("img", command, options, TRACER);
  }

  @Test
  void testTrace_okStatusAndLog() throws IOException {
    ProbeRun run =
        trace(Probe.exits(0, Map.of("status", "ok exit=0\n", "trace.log", OPEN_HOSTNAME)));
    assertEquals(Optional.of(0), run.exitCode());
    assertFalse(run.timedOut());
    assertEquals(TracerKind.PTRACE, run.tracer());
    assertEquals(List.of(), run.notes());
    assertEquals(
        Optional.of(new TracerStatus.Exited(0, 0, TracerStatus.Mode.SECCOMP)), run.tracerStatus());
    assertTrue(
        run.accesses().byPath().get("/etc/hostname").stream()
            .anyMatch(a -> a.success() && a.kind() == AccessKind.OPEN_READ));
    assertEquals("output of 1", run.output());
    assertEquals(
        List.of(
            "create 1",
            "copyInto 1 /",
            "start 1",
            "copyOut 1 " + ProbeRunner.PROBE_DIR,
            "remove 1"),
        engine.calls);
    assertEquals(
        Optional.of(
            List.of(
                "/.skinnywhale-probe/tracer",
                "-o",
                "/.skinnywhale-probe/trace.log",
                "--status",
                "/.skinnywhale-probe/status",
                "--timeout",
                "5",
                "--")),
        engine.specs.get(0).entrypoint());
    assertEquals(Map.of("probe", "1"), engine.specs.get(0).labels());
  }

  @Test
  void testTrace_programExitCodeIsTheContainers() throws IOException {
    ProbeRun run = trace(Probe.exits(3, Map.of("status", "ok exit=3 killed=1\n")));
    assertEquals(Optional.of(3), run.exitCode());
    assertEquals("exit code 3", run.outcome());
  }

  @Test
  void testTrace_timeoutStatus() throws IOException {
    ProbeRun run =
        trace(Probe.exits(124, Map.of("status", "timeout\n", "trace.log", OPEN_HOSTNAME)));
    assertTrue(run.timedOut());
    assertEquals(Optional.empty(), run.exitCode());
    assertTrue(run.accesses().paths().contains("/etc/hostname"), "the log up to the kill counts");
  }

  @Test
  void testTrace_engineTimeoutKillsTheContainer() throws IOException {
    ProbeRun run = trace(new Probe(Optional.empty(), Map.of()));
    assertTrue(run.timedOut());
    assertTrue(engine.calls.contains("kill 1"), engine.calls.toString());
    assertEquals(List.of("the tracer failed: no status written"), run.notes());
  }

  @Test
  void testTrace_programNotFoundExits127() throws IOException {
    ProbeRun run =
        trace(Probe.exits(127, Map.of("status", "error exec nosuch: not found in PATH\n")));
    assertEquals(Optional.of(127), run.exitCode());
    assertEquals(List.of("exec nosuch: not found in PATH"), run.notes());
    assertEquals(1, engine.specs.size(), "no fallback");
  }

  @Test
  void testTrace_execEnoentExits127() throws IOException {
    ProbeRun run =
        trace(
            Probe.exits(127, Map.of("status", "error exec /opt/app: No such file or directory\n")));
    assertEquals(Optional.of(127), run.exitCode());
    assertEquals(List.of("exec /opt/app: No such file or directory"), run.notes());
    assertEquals(1, engine.specs.size(), "no fallback");
  }

  @Test
  void testTrace_otherTracerErrorLeavesNoExitCode() throws IOException {
    ProbeRun run =
        trace(
            Probe.exits(
                125,
                Map.of(
                    "status",
                    "error log /.skinnywhale-probe/trace.log: No space left on device\n",
                    "trace.log",
                    OPEN_HOSTNAME)));
    assertEquals(Optional.empty(), run.exitCode());
    assertEquals(
        List.of("the tracer failed: log /.skinnywhale-probe/trace.log: No space left on device"),
        run.notes());
    assertEquals("no exit code (the tracer failed)", run.outcome());
    assertTrue(run.accesses().paths().contains("/etc/hostname"));
  }

  @Test
  void testTrace_ptraceRefusedFallsBackToLdDebug() throws IOException {
    ProbeRun run =
        trace(
            Probe.exits(125, Map.of("status", "error ptrace: Operation not permitted\n")),
            Probe.exits(0, Map.of("ld.9", LD_LOG, "trace.log", OPEN_HOSTNAME)));
    assertEquals(TracerKind.LD_DEBUG, run.tracer());
    assertEquals(Optional.of(0), run.exitCode());
    assertEquals(
        List.of(
            "the tracer failed: ptrace: Operation not permitted",
            "fell back to LD_DEBUG: libraries were captured, data files were not"),
        run.notes());
    assertEquals(
        List.of("/lib/x86_64-linux-gnu/libc.so.6"),
        List.copyOf(run.accesses().paths()),
        "LD_DEBUG's logs only");
    TracerStatus.Failed status =
        assertInstanceOf(TracerStatus.Failed.class, run.tracerStatus().orElseThrow());
    assertEquals(TracerStatus.Stage.PTRACE, status.stage());
    assertEquals(2, engine.specs.size());
    assertTrue(engine.specs.get(1).env().contains("LD_DEBUG=libs,files"));
    assertEquals(Optional.of(List.of("/bin/sh")), engine.specs.get(1).entrypoint());
    assertTrue(engine.calls.contains("remove 1") && engine.calls.contains("remove 2"));
  }

  /** A command that itself uses ptrace (strace, gdb) is traced again with LD_DEBUG, and told. */
  @Test
  void testTrace_nestedPtraceFallsBackToLdDebug() throws IOException {
    ProbeRun run =
        trace(
            Probe.exits(1, Map.of("status", "ok exit=1 ptrace-denied=1\n")),
            Probe.exits(0, Map.of("ld.9", LD_LOG)));
    assertEquals(TracerKind.LD_DEBUG, run.tracer());
    assertEquals(Optional.of(0), run.exitCode());
    assertEquals(1, run.notes().size(), run.notes().toString());
    assertTrue(run.notes().get(0).contains("uses ptrace itself (1 of its ptrace calls"));
    assertTrue(run.notes().get(0).contains("does not see data or configuration files"));
    assertEquals(List.of("/lib/x86_64-linux-gnu/libc.so.6"), List.copyOf(run.accesses().paths()));
    assertEquals(1, run.tracerStatus().orElseThrow().ptraceDenied());
    assertEquals(2, engine.specs.size());
    assertTrue(engine.specs.get(1).env().contains("LD_DEBUG=libs,files"));
  }

  /** A run whose own ptrace calls all worked (none refused) is not run again. */
  @Test
  void testTrace_noPtraceDenied_noFallback() throws IOException {
    ProbeRun run = trace(Probe.exits(0, Map.of("status", "ok exit=0 ptrace-denied=0\n")));
    assertEquals(TracerKind.PTRACE, run.tracer());
    assertEquals(1, engine.specs.size());
  }

  /** The fallback is decided on the status's stage, not on the words of a note. */
  @Test
  void testTrace_ptraceInAMessageIsNoFallback() throws IOException {
    ProbeRun run =
        trace(
            Probe.exits(
                126, Map.of("status", "error exec /opt/failed: ptrace: Permission denied\n")));
    assertEquals(TracerKind.PTRACE, run.tracer());
    assertEquals(1, engine.specs.size());
    assertEquals(
        List.of("the tracer failed: exec /opt/failed: ptrace: Permission denied"), run.notes());
  }

  @Test
  void testTrace_malformedStatus() throws IOException {
    ProbeRun run = trace(Probe.exits(0, Map.of("status", "ok exit=lots\n")));
    assertEquals(Optional.empty(), run.exitCode());
    assertEquals(List.of("the tracer failed: unreadable status \"ok exit=lots\""), run.notes());
    assertInstanceOf(TracerStatus.Malformed.class, run.tracerStatus().orElseThrow());
  }

  @Test
  void testRun_ldDebugMergesEveryLoaderLog() throws IOException {
    engine.probes.add(
        Probe.exits(
            0,
            Map.of(
                "ld.9",
                LD_LOG,
                "ld.10",
                "        10:\tcalling init: /usr/lib/libz.so.1\n",
                "status",
                "garbage")));
    ProbeRun run = runner.run("img", command, options, TracerKind.LD_DEBUG, Optional.empty());
    assertEquals(
        List.of("/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/libz.so.1"),
        List.copyOf(run.accesses().paths()));
    assertEquals(List.of(), run.notes());
    assertEquals(Optional.empty(), run.tracerStatus());
  }

  @Test
  void testRun_untracedReadsNothingBack() throws IOException {
    engine.probes.add(Probe.exits(1, Map.of()));
    ProbeRun run = runner.run("img", command, options, TracerKind.NONE, Optional.empty());
    assertEquals(Optional.of(1), run.exitCode());
    assertEquals(List.of("create 1", "start 1", "remove 1"), engine.calls);
  }
}
