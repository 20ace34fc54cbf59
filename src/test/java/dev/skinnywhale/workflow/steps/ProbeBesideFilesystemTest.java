package dev.skinnywhale.workflow.steps;

import static dev.skinnywhale.workflow.steps.StepFixture.CLOCK;
import static dev.skinnywhale.workflow.steps.StepFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.docker.EngineException;
import dev.skinnywhale.trace.ProbeCommand;
import dev.skinnywhale.trace.ProbeOptions;
import dev.skinnywhale.workflow.FakeEngine;
import dev.skinnywhale.workflow.run.ProbeFailedException;
import dev.skinnywhale.workflow.run.RecordingReporter;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A trace's probes run while its filesystem is read and what needs only that is done; the probes
 * are always those of the commands as they run in the image (again as argv when it has no shell); a
 * failure on either side ends the step with nothing of it left.
 */
class ProbeBesideFilesystemTest {
  static final ProbeOptions OPTIONS =
      new ProbeOptions(
          "none", List.of(), Optional.empty(), Optional.empty(), Duration.ofSeconds(5));
  static final ProbeBesideFilesystem.Commands COMMANDS =
      new ProbeBesideFilesystem.Commands(
          List.of("app --selftest"), Optional.empty(), Optional.empty());

  final FakeEngine engine = new FakeEngine();
  final RecordingReporter reporter = new RecordingReporter();

  @BeforeEach
  void image() {
    var files = engine.imageFiles;
    files.put("/usr/", new byte[0]);
    files.put("/usr/bin/", new byte[0]);
    files.put("/usr/bin/app", bytes("app"));
    files.put("/bin", bytes("-> usr/bin"));
    for (String image : List.of(FakeEngine.IMAGE_ID, FakeEngine.COMMITTED_ID)) {
      engine.traceLogs.put(image, "100   +++ exited with 0 +++\n");
    }
  }

  @Test
  void run_image_theProbeRunsWhileTheFilesystemIsReadAndPrepared() throws Exception {
    engine.imageFiles.put("/usr/bin/dash", bytes("sh"));
    engine.imageFiles.put("/usr/bin/sh", bytes("-> dash"));
    CountDownLatch prepared = new CountDownLatch(1);
    // one after the other, the probe would wait here for a filesystem that is read after it
    engine.inFlight.put("wait", () -> awaitOrFail(prepared, "the probe did not overlap the read"));
    try (Run run = Run.open(engine, reporter, CLOCK)) {
      Source source = StepFixture.image(run);
      var done =
          step(run)
              .run(
                  source,
                  "base:1",
                  Prober.choose(run, source, false),
                  COMMANDS,
                  OPTIONS,
                  false,
                  fs -> {
                    prepared.countDown();
                    return fs.get("/usr/bin/app").isPresent();
                  });
      try (var fs = done.fs()) {
        assertTrue(done.then());
        assertEquals(FakeEngine.IMAGE_ID, done.probeImage());
        assertEquals(List.of(ProbeCommand.shell("/bin/sh", "app --selftest")), done.commands());
        assertEquals(done.commands(), done.probes().stream().map(p -> p.command()).toList());
      }
      assertEquals(1, probeSpecs().size(), engine.specs.toString());
      assertTrue(
          engine.calls.stream().noneMatch(c -> c.startsWith("commit ")), engine.calls.toString());
      assertTrue(run.steps().timings().containsKey("probe"));
    }
  }

  @Test
  void run_imageWithoutAShell_theCommandsRunAgainAsTheirArgv() throws Exception {
    try (Run run = Run.open(engine, reporter, CLOCK)) {
      Source source = StepFixture.image(run);
      var done =
          step(run)
              .run(
                  source,
                  "base:1",
                  Prober.choose(run, source, false),
                  COMMANDS,
                  OPTIONS,
                  false,
                  fs -> "prepared");
      done.fs().close();
      assertEquals(List.of(ProbeCommand.argv("app --selftest")), done.commands());
      assertEquals(done.commands(), done.probes().stream().map(p -> p.command()).toList());
      assertEquals(
          List.of(List.of("/bin/sh", "-c", "app --selftest"), List.of("app", "--selftest")),
          probeSpecs().stream().map(s -> s.cmd().orElseThrow()).toList(),
          engine.specs.toString());
      assertEquals(
          List.of("probing `app --selftest`", "probing `app --selftest`"),
          reporter.steps.stream().filter(s -> s.startsWith("probing")).toList());
    }
    assertEquals(
        java.util.Set.copyOf(engine.created.keySet()), java.util.Set.copyOf(engine.removed));
  }

  @Test
  void run_guessedProbeCannotRunInAnImageWithoutAShell_droppedAndRunAsArgv() throws Exception {
    failFirstProbe();
    try (Run run = Run.open(engine, reporter, CLOCK)) {
      Source source = StepFixture.image(run);
      var done =
          step(run)
              .run(
                  source,
                  "base:1",
                  Prober.choose(run, source, false),
                  COMMANDS,
                  OPTIONS,
                  false,
                  fs -> 1);
      done.fs().close();
      assertEquals(List.of(ProbeCommand.argv("app --selftest")), done.commands());
      assertEquals(1, done.probes().size());
    }
  }

  @Test
  void run_probeCannotRunInAnImageWithAShell_thatFailure() throws Exception {
    engine.imageFiles.put("/usr/bin/sh", bytes("sh"));
    failFirstProbe();
    try (Run run = Run.open(engine, reporter, CLOCK)) {
      Source source = StepFixture.image(run);
      EngineException e =
          assertThrows(
              EngineException.class,
              () ->
                  step(run)
                      .run(
                          source,
                          "base:1",
                          Prober.choose(run, source, false),
                          COMMANDS,
                          OPTIONS,
                          false,
                          fs -> 1));
      assertEquals("exec: /bin/sh: no such file", e.getMessage());
      assertEquals(List.of(), spooled(run), "the filesystem's spool file was left");
    }
  }

  /** The first probe container fails as the engine fails one whose entrypoint is missing. */
  private void failFirstProbe() {
    java.util.concurrent.atomic.AtomicBoolean failed =
        new java.util.concurrent.atomic.AtomicBoolean();
    engine.inFlight.put(
        "wait",
        () -> {
          if (failed.compareAndSet(false, true)) {
            throw new EngineException("exec: /bin/sh: no such file");
          }
        });
  }

  @Test
  void run_containerExported_commitAndProbeBesideTheExport() throws Exception {
    engine.containerFiles.putAll(engine.imageFiles);
    engine.containerFiles.put("/usr/bin/sh", bytes("sh"));
    CountDownLatch exporting = new CountDownLatch(1);
    engine.onExport = exporting::countDown;
    engine.onCommit = () -> awaitOrFail(exporting, "the commit did not overlap the export");
    try (Run run = Run.open(engine, reporter, CLOCK)) {
      Source source = StepFixture.container(run);
      var done = container(run, source, ReadFilesystem.Mode.EXPORT);
      done.fs().close();
      assertEquals(FakeEngine.COMMITTED_ID, done.probeImage());
      assertEquals(
          List.of("commit", "probe", "export"),
          List.copyOf(run.steps().timings().keySet()),
          "phase order");
    }
    assertEquals(List.of(FakeEngine.COMMITTED_ID), engine.removedImages);
  }

  @Test
  void run_probeFails_afterTheFilesystemWasPreparedWhichIsClosed() throws Exception {
    engine.imageFiles.put("/usr/bin/sh", bytes("sh"));
    engine.exitCodes.put(FakeEngine.IMAGE_ID, 3);
    try (Run run = Run.open(engine, reporter, CLOCK)) {
      Source source = StepFixture.image(run);
      boolean[] prepared = new boolean[1];
      assertThrows(
          ProbeFailedException.class,
          () ->
              step(run)
                  .run(
                      source,
                      "base:1",
                      Prober.choose(run, source, false),
                      COMMANDS,
                      OPTIONS,
                      false,
                      fs -> prepared[0] = true));
      assertTrue(prepared[0]);
      assertEquals(List.of(), spooled(run), "the filesystem's spool file was left");
    }
  }

  @Test
  void run_preparingFails_theProbesHaveEndedAndTheFailureIsThePreparations() throws Exception {
    engine.imageFiles.put("/usr/bin/sh", bytes("sh"));
    try (Run run = Run.open(engine, reporter, CLOCK)) {
      Source source = StepFixture.image(run);
      IOException e =
          assertThrows(
              IOException.class,
              () ->
                  step(run)
                      .run(
                          source,
                          "base:1",
                          Prober.choose(run, source, false),
                          COMMANDS,
                          OPTIONS,
                          false,
                          fs -> {
                            throw new IOException("no package database");
                          }));
      assertEquals("no package database", e.getMessage());
      assertFalse(engine.created.isEmpty(), "no probe ran");
      assertEquals(
          java.util.Set.copyOf(engine.created.keySet()), java.util.Set.copyOf(engine.removed));
      assertEquals(List.of(), spooled(run));
    }
  }

  @Test
  void run_containerReadThroughItsCommit_committedBeforeTheReadStarts() throws Exception {
    assumeHelperTracer();
    engine.streamsExec = true;
    engine.containerFiles.putAll(engine.imageFiles);
    engine.containerFiles.put("/usr/bin/sh", bytes("sh"));
    // the fake engine runs no helper: the read of the commit falls back to the export
    engine.onExport =
        () -> {
          if (engine.calls.stream().noneMatch(c -> c.startsWith("commit "))) {
            throw new EngineException("the read started before the commit");
          }
        };
    try (Run run = Run.open(engine, reporter, CLOCK)) {
      Source source = StepFixture.container(run);
      var done = container(run, source, ReadFilesystem.Mode.HELPER);
      done.fs().close();
      assertEquals(FakeEngine.COMMITTED_ID, done.probeImage());
      assertEquals(
          List.of("commit", "probe", "index", "export"),
          List.copyOf(run.steps().timings().keySet()),
          "phase order");
      assertEquals(List.of("preparing the probe image"), reporter.steps.subList(0, 1));
      assertTrue(
          engine.calls.contains("findImage " + FakeEngine.COMMITTED_ID),
          "the helper was not of the commit: " + engine.calls);
    }
    assertEquals(List.of(FakeEngine.COMMITTED_ID), engine.removedImages);
  }

  @Test
  void run_commitOfAContainerReadThroughIt_fails_nothingReadAndNothingLeft() throws Exception {
    assumeHelperTracer();
    engine.streamsExec = true;
    engine.onCommit =
        () -> {
          throw new EngineException("commit refused");
        };
    try (Run run = Run.open(engine, reporter, CLOCK)) {
      Source source = StepFixture.container(run);
      EngineException e =
          assertThrows(
              EngineException.class, () -> container(run, source, ReadFilesystem.Mode.HELPER));
      assertEquals("commit refused", e.getMessage());
      assertTrue(
          engine.calls.stream().noneMatch(c -> c.startsWith("export ")), engine.calls.toString());
      assertTrue(engine.created.isEmpty(), "a probe ran");
      assertEquals(List.of(), spooled(run));
    }
    assertEquals(List.of(), engine.removedImages);
  }

  @Test
  void run_containerExported_commitFails_afterTheExportEndedAndNothingLeft() throws Exception {
    engine.containerFiles.putAll(engine.imageFiles);
    engine.onCommit =
        () -> {
          throw new EngineException("commit refused");
        };
    try (Run run = Run.open(engine, reporter, CLOCK)) {
      Source source = StepFixture.container(run);
      EngineException e =
          assertThrows(
              EngineException.class, () -> container(run, source, ReadFilesystem.Mode.EXPORT));
      assertEquals("commit refused", e.getMessage());
      assertTrue(
          engine.calls.contains("export " + FakeEngine.CONTAINER_ID), engine.calls.toString());
      assertEquals(List.of(), spooled(run), "the exported filesystem was left");
    }
    assertEquals(List.of(), engine.removedImages);
  }

  @Test
  void run_containerExported_exportFails_theCommitEndsAndItsImageIsRemoved() throws Exception {
    CountDownLatch committed = new CountDownLatch(1);
    engine.onCommit = committed::countDown;
    engine.onExport =
        () -> {
          awaitOrFail(committed, "no commit");
          throw new EngineException("export refused");
        };
    try (Run run = Run.open(engine, reporter, CLOCK)) {
      Source source = StepFixture.container(run);
      EngineException e =
          assertThrows(
              EngineException.class, () -> container(run, source, ReadFilesystem.Mode.EXPORT));
      assertEquals("export refused", e.getMessage());
    }
    assertEquals(List.of(FakeEngine.COMMITTED_ID), engine.removedImages);
  }

  @Test
  void readsCommit_aContainerAHelperMayRead_unlessExportedOrItDeclaresVolumes() throws Exception {
    assumeHelperTracer();
    try (Run run = Run.open(engine, reporter, CLOCK)) {
      Source container = StepFixture.container(run);
      Source image = StepFixture.image(run);
      var helper = new ReadFilesystem(run, ReadFilesystem.Mode.HELPER);
      var export = new ReadFilesystem(run, ReadFilesystem.Mode.EXPORT);
      assertFalse(helper.readsCommit(container), "an engine that cannot stream an exec's output");
      engine.streamsExec = true;
      assertTrue(helper.readsCommit(container));
      assertFalse(export.readsCommit(container));
      assertFalse(helper.readsCommit(image), "an image is not committed");
      var config = container.imageConfig().deepCopy();
      config.withObject("/config").putObject("Volumes").putObject("/data");
      Source withVolumes = container.withImageConfig(config);
      assertFalse(helper.readsCommit(withVolumes), "a helper would see its volumes");
      assertEquals(ReadFilesystem.Mode.HELPER, ReadFilesystem.Mode.fromEnv(java.util.Map.of()));
      assertEquals(
          ReadFilesystem.Mode.EXPORT,
          ReadFilesystem.Mode.fromEnv(java.util.Map.of(ReadFilesystem.ENV, "export")));
      assertTrue(ProbeBesideFilesystem.applies(container));
      assertTrue(ProbeBesideFilesystem.applies(image));
    }
  }

  /**
   * The fake's sources are amd64: a build without that tracer (no cross compiler) has no helper.
   */
  private static void assumeHelperTracer() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        dev.skinnywhale.trace.TracerBinary.exists("amd64"), "no amd64 tracer in this build");
  }

  /** The specs of the probe containers, in the order they were made. */
  private List<dev.skinnywhale.docker.ContainerSpec> probeSpecs() {
    return engine.specs.values().stream()
        .filter(s -> "probe".equals(s.labels().get("dev.skinnywhale.temporary")))
        .toList();
  }

  private static ProbeBesideFilesystem step(Run run) {
    return new ProbeBesideFilesystem(run, ReadFilesystem.Mode.HELPER);
  }

  /** The step on the fake's container read {@code mode}'s way, with nothing done beside. */
  private static ProbeBesideFilesystem.Done<Integer> container(
      Run run, Source source, ReadFilesystem.Mode mode) throws IOException {
    return new ProbeBesideFilesystem(run, mode)
        .run(source, "app", Prober.choose(run, source, false), COMMANDS, OPTIONS, false, fs -> 1);
  }

  private static List<String> spooled(Run run) throws IOException {
    try (Stream<java.nio.file.Path> files = Files.list(run.tempDir())) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }

  private static void awaitOrFail(CountDownLatch latch, String why) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new EngineException(why);
      }
    } catch (InterruptedException e) {
      throw new EngineException(why);
    }
  }
}
