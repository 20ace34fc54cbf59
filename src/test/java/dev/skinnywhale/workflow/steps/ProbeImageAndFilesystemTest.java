package dev.skinnywhale.workflow.steps;

import static dev.skinnywhale.workflow.steps.StepFixture.CLOCK;
import static dev.skinnywhale.workflow.steps.StepFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.docker.EngineException;
import dev.skinnywhale.workflow.FakeEngine;
import dev.skinnywhale.workflow.run.RecordingReporter;
import dev.skinnywhale.workflow.run.Run;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A container's commit overlaps the reading of its filesystem; the output is as it was. */
class ProbeImageAndFilesystemTest {
  final FakeEngine engine = new FakeEngine();
  final RecordingReporter reporter = new RecordingReporter();

  @Test
  void prepare_container_commitRunsWhileTheFilesystemIsExported() throws Exception {
    engine.containerFiles.put("/etc/", new byte[0]);
    engine.containerFiles.put("/etc/app.conf", bytes("in the container"));
    CountDownLatch exporting = new CountDownLatch(1);
    engine.onExport = exporting::countDown;
    // one after the other, the commit would wait here for an export that never starts
    engine.onCommit = () -> awaitOrFail(exporting, "the commit did not overlap the export");
    try (Run run = Run.open(engine, reporter, CLOCK)) {
      var ready = new ProbeImageAndFilesystem(run).prepare(StepFixture.container(run));
      try (var fs = ready.fs()) {
        assertEquals(FakeEngine.COMMITTED_ID, ready.probeImage());
        assertTrue(fs.get("/etc/app.conf").isPresent());
      }
      assertEquals(
          List.of("preparing the probe image", "reading the filesystem of app"), reporter.steps);
      assertEquals(
          List.of("commit", "export"), List.copyOf(run.steps().timings().keySet()), "phase order");
      assertEquals(List.of(), engine.removedImages, "removed while the run still needs it");
    }
    assertEquals(List.of(FakeEngine.COMMITTED_ID), engine.removedImages);
  }

  @Test
  void prepare_commitFails_theFailureAfterTheExportEndedAndNothingLeft() throws Exception {
    engine.containerFiles.put("/etc/", new byte[0]);
    engine.containerFiles.put("/etc/app.conf", bytes("x"));
    engine.onCommit =
        () -> {
          throw new EngineException("commit refused");
        };
    try (Run run = Run.open(engine, reporter, CLOCK)) {
      var source = StepFixture.container(run);
      EngineException e =
          assertThrows(
              EngineException.class, () -> new ProbeImageAndFilesystem(run).prepare(source));
      assertEquals("commit refused", e.getMessage());
      assertTrue(
          engine.calls.contains("export " + FakeEngine.CONTAINER_ID), engine.calls.toString());
    }
    assertEquals(List.of(), engine.removedImages);
  }

  @Test
  void prepare_exportFails_theCommitStillEndsAndItsImageIsRemoved() throws Exception {
    CountDownLatch committed = new CountDownLatch(1);
    engine.onCommit = committed::countDown;
    engine.onExport =
        () -> {
          awaitOrFail(committed, "no commit");
          throw new EngineException("export refused");
        };
    try (Run run = Run.open(engine, reporter, CLOCK)) {
      var source = StepFixture.container(run);
      EngineException e =
          assertThrows(
              EngineException.class, () -> new ProbeImageAndFilesystem(run).prepare(source));
      assertEquals("export refused", e.getMessage());
    }
    assertEquals(List.of(FakeEngine.COMMITTED_ID), engine.removedImages);
  }

  @Test
  void prepare_image_noCommitAndTheImageItself() throws Exception {
    engine.imageFiles.put("/etc/", new byte[0]);
    engine.imageFiles.put("/etc/os-release", bytes("x"));
    try (Run run = Run.open(engine, reporter, CLOCK)) {
      var ready = new ProbeImageAndFilesystem(run).prepare(StepFixture.image(run));
      ready.fs().close();
      assertEquals(FakeEngine.IMAGE_ID, ready.probeImage());
    }
    assertTrue(
        engine.calls.stream().noneMatch(c -> c.startsWith("commit ")), engine.calls.toString());
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
