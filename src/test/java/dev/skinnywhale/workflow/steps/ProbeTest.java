package dev.skinnywhale.workflow.steps;

import static dev.skinnywhale.workflow.steps.StepFixture.CLOCK;
import static java.util.stream.Collectors.toSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.trace.ProbeCommand;
import dev.skinnywhale.trace.ProbeOptions;
import dev.skinnywhale.trace.ProbeRun;
import dev.skinnywhale.trace.TracerKind;
import dev.skinnywhale.trace.TracerStatus;
import dev.skinnywhale.workflow.FakeEngine;
import dev.skinnywhale.workflow.run.ProbeFailedException;
import dev.skinnywhale.workflow.run.RecordingReporter;
import dev.skinnywhale.workflow.run.Run;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Running the smoke commands traced in the source: side by side when independent, results and
 * messages in order, stopping at the first failure.
 */
class ProbeTest {
  static final ProbeOptions OPTIONS =
      new ProbeOptions(
          "none", List.of(), Optional.empty(), Optional.empty(), Duration.ofSeconds(5));
  static final ProbeOptions HOST =
      new ProbeOptions(
          "host", List.of(), Optional.empty(), Optional.empty(), Duration.ofSeconds(5));
  static final String IMAGE = FakeEngine.IMAGE_ID;

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
  void probe_everyCommandTracedInOrder() throws Exception {
    engine.traceLogs.put(
        IMAGE,
        """
        100   openat(AT_FDCWD</>, "/etc/app.conf", O_RDONLY) = 3</etc/app.conf>
        100   +++ exited with 0 +++
        """);
    List<ProbeCommand> commands =
        List.of(ProbeCommand.shell("/bin/sh", "app one"), ProbeCommand.shell("/bin/sh", "app two"));
    List<ProbeRun> probes = probe(false, commands);

    assertEquals(commands, probes.stream().map(ProbeRun::command).toList());
    assertEquals(
        java.util.Set.of(List.of("/bin/sh", "-c", "app one"), List.of("/bin/sh", "-c", "app two")),
        engine.specs.values().stream().map(s -> s.cmd().orElseThrow()).collect(toSet()),
        "not one container each");
    assertTrue(probes.stream().allMatch(p -> p.tracer() == TracerKind.PTRACE));
    assertTrue(probes.get(0).accesses().successfulPaths().contains("/etc/app.conf"));
    assertEquals(List.of("probing `app one`", "probing `app two`"), reporter.steps);
    assertEquals(
        java.util.Set.copyOf(engine.created.keySet()), java.util.Set.copyOf(engine.removed));
  }

  @Test
  void probe_failingCommand_probeFailedNamingTheCommandAndItsLastOutputLine() throws Exception {
    engine.exitCodes.put(IMAGE, 3);
    engine.outputs.put(IMAGE, "starting\nerror: /etc/app.conf: no such file\n\n");
    List<ProbeCommand> commands =
        List.of(
            ProbeCommand.shell("/bin/sh", "app --selftest"), ProbeCommand.shell("/bin/sh", "x"));
    ProbeFailedException e = assertThrows(ProbeFailedException.class, () -> probe(false, commands));

    assertTrue(e.getMessage().contains("`app --selftest` failed in app"), e.getMessage());
    assertTrue(e.getMessage().contains("exit code 3"), e.getMessage());
    assertTrue(
        e.getMessage().endsWith("Its output ends with: error: /etc/app.conf: no such file"),
        e.getMessage());
    assertFalse(e.getMessage().contains("starting"), e.getMessage());
  }

  @Test
  void probe_onTheHostNetwork_oneAfterTheOtherAndNothingAfterTheFirstFailure() throws Exception {
    List<ProbeCommand> commands =
        List.of(ProbeCommand.shell("/bin/sh", "app one"), ProbeCommand.shell("/bin/sh", "app two"));
    List<ProbeRun> probes = probe(false, commands, HOST);
    assertEquals(commands, probes.stream().map(ProbeRun::command).toList());
    assertEquals(
        List.of(List.of("/bin/sh", "-c", "app one"), List.of("/bin/sh", "-c", "app two")),
        engine.specs.values().stream().map(s -> s.cmd().orElseThrow()).toList(),
        "not run in order");

    engine.exitCodes.put(IMAGE, 3);
    engine.specs.clear();
    assertThrows(ProbeFailedException.class, () -> probe(false, commands, HOST));
    assertEquals(1, engine.specs.size(), "ran on after the first failure");
  }

  @Test
  void probe_independentCommands_runSideBySideWithResultsAndMessagesInOrder() throws Exception {
    // the first runs longest: it ends last, its result still comes first
    engine.runMillis = spec -> spec.cmd().orElseThrow().get(2).equals("app 0") ? 300 : 0;
    engine.traceLogOf =
        spec -> {
          String path = "/etc/" + spec.cmd().orElseThrow().get(2).replace(' ', '-');
          return Optional.of(
              "100   openat(AT_FDCWD</>, \""
                  + path
                  + "\", O_RDONLY) = 3<"
                  + path
                  + ">\n100   +++ exited with 0 +++\n");
        };
    List<ProbeCommand> commands = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      commands.add(ProbeCommand.shell("/bin/sh", "app " + i));
    }
    long start = System.nanoTime();
    List<ProbeRun> side = probe(false, commands);
    long sideMillis = (System.nanoTime() - start) / 1_000_000;
    List<String> sideSteps = List.copyOf(reporter.steps);
    reporter.steps.clear();
    List<ProbeRun> alone = probe(false, commands, HOST);

    assertEquals(commands, side.stream().map(ProbeRun::command).toList());
    for (int i = 0; i < 4; i++) {
      assertEquals(
          java.util.Set.of("/etc/app-" + i),
          side.get(i).accesses().successfulPaths(),
          "probe " + i + " got another command's trace");
      assertEquals(alone.get(i).accesses(), side.get(i).accesses());
      assertEquals(alone.get(i).exitCode(), side.get(i).exitCode());
    }
    assertEquals(
        List.of("probing `app 0`", "probing `app 1`", "probing `app 2`", "probing `app 3`"),
        sideSteps);
    assertEquals(sideSteps, reporter.steps);
    assertTrue(
        run.parallel().limit() == 1 || sideMillis < 600,
        "the other commands waited for the first: " + sideMillis + " ms");
  }

  @Test
  void sideBySide_sharedStateOrAService_oneAtATime() {
    List<ProbeCommand> plain = List.of(ProbeCommand.argv("a"), ProbeCommand.argv("b"));
    assertEquals(run.parallel(), Probe.sideBySide(run, plain, OPTIONS));
    assertEquals(1, Probe.sideBySide(run, plain, HOST).limit());
    var rw =
        new dev.skinnywhale.docker.RunOptions.Mount(
            dev.skinnywhale.docker.RunOptions.MountType.VOLUME,
            Optional.of("cache"),
            "/cache",
            false,
            false,
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    var ro =
        new dev.skinnywhale.docker.RunOptions.Mount(
            dev.skinnywhale.docker.RunOptions.MountType.VOLUME,
            Optional.of("cache"),
            "/cache",
            true,
            false,
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    assertEquals(1, Probe.sideBySide(run, plain, withMount(rw)).limit());
    assertEquals(run.parallel(), Probe.sideBySide(run, plain, withMount(ro)));
  }

  private static ProbeOptions withMount(dev.skinnywhale.docker.RunOptions.Mount m) {
    return new ProbeOptions(
        "none",
        List.of(),
        Optional.empty(),
        Optional.empty(),
        Duration.ofSeconds(5),
        new dev.skinnywhale.docker.RunOptions(
            List.of(), List.of(), List.of(m), Optional.empty(), List.of(), List.of()));
  }

  @Test
  void probe_failingCommandWithoutOutput_saysSo() {
    engine.exitCodes.put(IMAGE, 1);
    ProbeFailedException e =
        assertThrows(
            ProbeFailedException.class,
            () -> probe(true, List.of(ProbeCommand.argv("app --selftest"))));
    assertTrue(e.getMessage().endsWith("(no output)"), e.getMessage());
  }

  @Test
  void probe_shellSaysNotFound_programNotFoundInTheImage() {
    engine.exitCodes.put(IMAGE, 127);
    engine.outputs.put(IMAGE, "sh: 1: nosuch: not found\n");
    ProbeFailedException e =
        assertThrows(
            ProbeFailedException.class,
            () -> probe(false, List.of(ProbeCommand.shell("/bin/sh", "nosuch --version"))));
    assertEquals(
        "nosuch: not found in the image (`nosuch --version` exited 127 in app); nothing was built."
            + " Keep the program in the image, or name one it has",
        e.getMessage());
  }

  @Test
  void missing_bashAndBusyBoxWording_nameTheProgram() {
    assertEquals(
        Optional.of("tool"), Probe.missing(ended(127, "bash: line 1: tool: command not found")));
    assertEquals(Optional.of("/opt/x"), Probe.missing(ended(127, "a\nsh: /opt/x: not found\n")));
  }

  @Test
  void missing_tracerFoundNoProgram_namesWhatItLookedFor() {
    TracerStatus.Failed enoent =
        new TracerStatus.Failed(
            TracerStatus.Stage.EXEC,
            Optional.of("/opt/app"),
            "No such file or directory",
            "exec /opt/app: No such file or directory");
    ProbeRun run =
        new ProbeRun(
            ProbeCommand.argv("/opt/app"),
            Optional.of(127),
            false,
            "",
            TracerKind.PTRACE,
            dev.skinnywhale.tracelog.AccessSet.empty(),
            List.of(),
            Optional.of(enoent));
    assertEquals(Optional.of("/opt/app"), Probe.missing(run));
  }

  @Test
  void missing_otherEndings_none() {
    assertEquals(Optional.empty(), Probe.missing(ended(127, "app: exiting with 127")));
    assertEquals(Optional.empty(), Probe.missing(ended(1, "sh: 1: nosuch: not found")));
  }

  private static ProbeRun ended(int code, String output) {
    return new ProbeRun(
        ProbeCommand.shell("/bin/sh", "x"),
        Optional.of(code),
        false,
        output,
        TracerKind.PTRACE,
        dev.skinnywhale.tracelog.AccessSet.empty(),
        List.of());
  }

  @Test
  void probe_ldDebug_runsTheCommandAsItsEntrypointWithLdDebugSet() throws Exception {
    List<ProbeRun> probes = probe(true, List.of(ProbeCommand.argv("app --selftest")));
    assertEquals(TracerKind.LD_DEBUG, probes.get(0).tracer());
    var spec = engine.specs.values().iterator().next();
    assertEquals(Optional.of(List.of("app")), spec.entrypoint());
    assertTrue(spec.env().contains("LD_DEBUG=libs,files"), spec.env().toString());
  }

  private List<ProbeRun> probe(boolean ldDebug, List<ProbeCommand> commands) throws Exception {
    return probe(ldDebug, commands, OPTIONS);
  }

  private List<ProbeRun> probe(boolean ldDebug, List<ProbeCommand> commands, ProbeOptions options)
      throws Exception {
    Prober prober = Prober.choose(run, StepFixture.image(run), ldDebug);
    return new Probe(run, prober).probe("app", IMAGE, commands, options, false);
  }
}
