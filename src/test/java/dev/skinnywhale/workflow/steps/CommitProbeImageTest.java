package dev.skinnywhale.workflow.steps;

import static dev.skinnywhale.workflow.steps.StepFixture.CLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.workflow.FakeEngine;
import dev.skinnywhale.workflow.run.RecordingReporter;
import dev.skinnywhale.workflow.run.Run;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The image the probes run in: a labelled commit of a container, or the image itself. */
class CommitProbeImageTest {
  final FakeEngine engine = new FakeEngine();

  @Test
  void imageFor_container_committedWithTheTemporaryLabelAndRemovedWhenTheRunEnds()
      throws Exception {
    try (Run run = Run.open(engine, new RecordingReporter(), CLOCK)) {
      String image = new CommitProbeImage(run).imageFor(StepFixture.container(run));
      assertEquals(FakeEngine.COMMITTED_ID, image);
      assertTrue(
          engine.calls.contains(
              "commit " + FakeEngine.CONTAINER_ID + " " + run.labels("probe-image")),
          engine.calls.toString());
      assertEquals(List.of(), engine.removedImages, "removed while the run still needs it");
      assertTrue(run.steps().timings().containsKey("commit"));
    }
    assertEquals(List.of(FakeEngine.COMMITTED_ID), engine.removedImages);
    assertEquals(List.of(), engine.removed, "the user's container was removed");
  }

  @Test
  void imageFor_image_usedAsItIsAndNeverRemoved() throws Exception {
    try (Run run = Run.open(engine, new RecordingReporter(), CLOCK)) {
      assertEquals(FakeEngine.IMAGE_ID, new CommitProbeImage(run).imageFor(StepFixture.image(run)));
    }
    assertTrue(
        engine.calls.stream().noneMatch(c -> c.startsWith("commit ")), engine.calls.toString());
    assertEquals(List.of(), engine.removedImages);
  }
}
