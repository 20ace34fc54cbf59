package dev.skinnywhale.workflow.steps;

import static dev.skinnywhale.workflow.keep.TraceFixture.FS;
import static dev.skinnywhale.workflow.keep.TraceFixture.LOG;
import static dev.skinnywhale.workflow.keep.TraceFixture.parse;
import static dev.skinnywhale.workflow.steps.StepFixture.CLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.trace.ProbeCommand;
import dev.skinnywhale.trace.ProbeOptions;
import dev.skinnywhale.trace.ProbeRun;
import dev.skinnywhale.trace.ProbeRunner;
import dev.skinnywhale.trace.TracerKind;
import dev.skinnywhale.tracelog.AccessSet;
import dev.skinnywhale.workflow.FakeEngine;
import dev.skinnywhale.workflow.run.RecordingReporter;
import dev.skinnywhale.workflow.run.Run;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Running the smoke commands again in the slim image, and what a failed verification names. */
class VerifyTest {
  static final String TAG = "slim:latest";
  static final ProbeOptions OPTIONS =
      new ProbeOptions(
          "none", List.of(), Optional.empty(), Optional.empty(), Duration.ofSeconds(5));
  static final ProbeCommand COMMAND = ProbeCommand.argv("java -version");

  /** The same command in a slim image that lacks /etc/nsswitch.conf. */
  static final String SLIM_LOG =
      """
      200   execve("/usr/bin/java", ["java"], 0x7ffd /* 3 vars */) = 0
      200   openat(AT_FDCWD</>, "/etc/nsswitch.conf", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)
      200   +++ exited with 1 +++
      """;

  final FakeEngine engine = new FakeEngine();
  final RecordingReporter reporter = new RecordingReporter();
  Run run;

  @BeforeEach
  void open() throws Exception {
    run = Run.open(engine, reporter, CLOCK);
  }

  @AfterEach
  void close() {
    run.close();
  }

  @Test
  void missingPaths_foundInSourceFailedInSlim() throws Exception {
    AccessSet slim =
        parse(
            """
            200   openat(AT_FDCWD</>, "/lib/x86_64-linux-gnu/libnss_files.so.2", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)
            200   stat("/etc/missing.conf", 0x7ffd) = -1 ENOENT (No such file or directory)
            200   openat(AT_FDCWD</>, "/etc/nsswitch.conf", O_RDONLY|O_CLOEXEC) = 3</etc/nsswitch.conf>
            200   openat(AT_FDCWD</>, "/var/log/app/new/today.log", O_WRONLY|O_CREAT|O_APPEND, 0644) = -1 ENOENT (No such file or directory)
            """);
    assertEquals(
        List.of("/lib/x86_64-linux-gnu/libnss_files.so.2", "/var/log/app"),
        Verify.missingPaths(parse(LOG), slim, FS, Set.of("/etc/nsswitch.conf")));
  }

  @Test
  void verify_sameExitCode_passesWithoutTracingAgain() throws Exception {
    List<Verification> result = verify(false, fat(0));
    Verification v = result.get(0);
    assertTrue(v.passed());
    assertEquals("java -version", v.command());
    assertEquals("exit code 0", v.fatOutcome());
    assertEquals("exit code 0", v.slimOutcome());
    assertEquals(List.of(), v.missing());
    assertEquals(List.of(TAG), List.copyOf(engine.created.values()), "traced although it passed");
    assertEquals(List.of(), reporter.warnings);
  }

  @Test
  void verify_sameNonZeroExitCode_passes() throws Exception {
    engine.exitCodes.put(TAG, 2);
    assertTrue(verify(false, fat(2)).get(0).passed());
  }

  @Test
  void verify_differentExitCode_tracesTheSlimRunAndNamesWhatIsMissing() throws Exception {
    engine.exitCodes.put(TAG, 1);
    engine.traceLogs.put(TAG, SLIM_LOG);
    Verification v = verify(false, fat(0)).get(0);

    assertFalse(v.passed());
    assertEquals("exit code 1", v.slimOutcome());
    assertEquals(List.of("/etc/nsswitch.conf"), v.missing());
    assertEquals(List.of(TAG, TAG), List.copyOf(engine.created.values()));
    List<String> entrypoints =
        engine.specs.values().stream().map(s -> s.entrypoint().orElseThrow().get(0)).toList();
    assertEquals(List.of("java", ProbeRunner.PROBE_DIR + "/tracer"), entrypoints);
    assertEquals(
        List.of(
            "`java -version` in slim:latest: exit code 1 (source: exit code 0)",
            "missing in slim:latest: /etc/nsswitch.conf"),
        reporter.warnings);
  }

  @Test
  void verify_differentExitCodeWithLdDebug_failsWithoutNamingAnything() throws Exception {
    engine.exitCodes.put(TAG, 1);
    Verification v = verify(true, fat(0)).get(0);
    assertFalse(v.passed());
    assertEquals(List.of(), v.missing());
    assertEquals(1, engine.created.size(), "LD_DEBUG cannot say what is missing: no second run");
  }

  @Test
  void verify_engineCannotStartIt_aFailedVerificationThatDidNotStart() throws Exception {
    engine.startFailures.put(TAG, "unable to find user app: no matching entries in passwd file");
    Verification v = verify(false, fat(0)).get(0);
    assertFalse(v.passed());
    assertEquals(
        "did not start: unable to find user app: no matching entries in passwd file",
        v.slimOutcome());
    assertEquals(List.of(), v.missing());
    assertEquals(1, reporter.warnings.size());
    assertTrue(reporter.warnings.get(0).contains("did not start"), reporter.warnings.get(0));
    assertEquals(List.copyOf(engine.created.keySet()), engine.removed);
  }

  @Test
  void verify_independentCommands_sideBySideWithTheResultsAndMessagesOfOneByOne() throws Exception {
    // the first ends last; the second fails in the slim image and is traced again
    engine.runMillis = spec -> (spec.entrypoint() + "" + spec.cmd()).contains("app 0") ? 300 : 0;
    List<ProbeCommand> commands = new java.util.ArrayList<>();
    List<ProbeRun> fats = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ProbeCommand c = ProbeCommand.shell("/bin/sh", "app " + i);
      commands.add(c);
      fats.add(
          new ProbeRun(
              c, Optional.of(i == 1 ? 3 : 0), false, "", TracerKind.PTRACE, parse(LOG), List.of()));
    }
    ProbeOptions host =
        new ProbeOptions(
            "host", List.of(), Optional.empty(), Optional.empty(), Duration.ofSeconds(5));
    Prober prober = Prober.choose(run, StepFixture.image(run), false);
    List<Verification> side =
        new Verify(run, prober)
            .verify(TAG, commands, fats, OPTIONS, false, FS, Set.of(), Optional.empty());
    List<String> sideMessages = List.copyOf(reporter.all);
    reporter.all.clear();
    List<Verification> alone =
        new Verify(run, prober)
            .verify(TAG, commands, fats, host, false, FS, Set.of(), Optional.empty());

    assertEquals(alone, side);
    assertEquals(List.of(true, false, true), side.stream().map(Verification::passed).toList());
    assertEquals(
        List.of("app 0", "app 1", "app 2"), side.stream().map(Verification::command).toList());
    // debug lines (a probe container cleaned up) come from the threads as they end
    assertEquals(
        reporter.all.stream().filter(m -> !m.startsWith("debug: ")).toList(),
        sideMessages.stream().filter(m -> !m.startsWith("debug: ")).toList());
  }

  private List<Verification> verify(boolean ldDebug, ProbeRun fat) throws Exception {
    Prober prober = Prober.choose(run, StepFixture.image(run), ldDebug);
    return new Verify(run, prober)
        .verify(
            TAG,
            List.of(COMMAND),
            List.of(fat),
            OPTIONS,
            false,
            FS,
            Set.of("/usr/bin/java"),
            Optional.empty());
  }

  private static ProbeRun fat(int exitCode) throws Exception {
    return new ProbeRun(
        COMMAND, Optional.of(exitCode), false, "", TracerKind.PTRACE, parse(LOG), List.of());
  }
}
