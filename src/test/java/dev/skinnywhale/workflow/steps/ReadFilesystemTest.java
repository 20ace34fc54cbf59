package dev.skinnywhale.workflow.steps;

import static dev.skinnywhale.workflow.steps.StepFixture.CLOCK;
import static dev.skinnywhale.workflow.steps.StepFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.docker.ContainerSpec;
import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.workflow.FakeEngine;
import dev.skinnywhale.workflow.run.RecordingReporter;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.UnusableInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the source's filesystem: a container directly, an image through a created container. */
class ReadFilesystemTest {
  final FakeEngine engine = new FakeEngine();

  @Test
  void read_container_exportedDirectlyWithoutAnyContainerMade() throws Exception {
    engine.containerFiles.put("/etc/", new byte[0]);
    engine.containerFiles.put("/etc/app.conf", bytes("in the container"));
    try (Run run = Run.open(engine, new RecordingReporter(), CLOCK);
        RootFs fs = new ReadFilesystem(run).read(StepFixture.container(run))) {
      assertTrue(fs.get("/etc/app.conf").isPresent());
      assertTrue(
          engine.calls.contains("export " + FakeEngine.CONTAINER_ID), engine.calls.toString());
      assertEquals(Map.of(), engine.created);
      assertTrue(run.steps().timings().containsKey("export"));
    }
  }

  @Test
  void read_image_throughOneTemporaryContainerRemovedAtOnce() throws Exception {
    engine.imageFiles.put("/etc/", new byte[0]);
    engine.imageFiles.put("/etc/os-release", bytes("in the image"));
    try (Run run = Run.open(engine, new RecordingReporter(), CLOCK);
        RootFs fs = new ReadFilesystem(run).read(StepFixture.image(run))) {
      assertTrue(fs.get("/etc/os-release").isPresent());
      assertEquals(1, engine.created.size());
      String temp = engine.created.keySet().iterator().next();
      assertEquals(FakeEngine.IMAGE_ID, engine.created.get(temp));
      ContainerSpec spec = engine.specs.get(temp);
      assertEquals(Map.of(Run.TEMP_LABEL, "export", Run.RUN_LABEL, run.runId()), spec.labels());
      assertEquals("none", spec.network());
      assertTrue(
          engine.calls.stream().noneMatch(c -> c.startsWith("start ")), "the container was run");
      assertEquals(List.of(temp), engine.removed, "not removed as soon as it was read");
    }
    assertEquals(1, engine.removed.size(), "removed twice");
  }

  @Test
  void read_onlyTheEnginesPlaceholders_unusableAndTheTemporaryContainerRemoved() throws Exception {
    engine.imageFiles.put("/etc/", new byte[0]);
    engine.imageFiles.put("/etc/hostname", bytes("x"));
    engine.imageFiles.put("/.dockerenv", new byte[0]);
    try (Run run = Run.open(engine, new RecordingReporter(), CLOCK)) {
      var source = StepFixture.image(run);
      UnusableInputException e =
          assertThrows(UnusableInputException.class, () -> new ReadFilesystem(run).read(source));
      assertTrue(e.getMessage().contains("base:1"), e.getMessage());
      assertEquals(List.copyOf(engine.created.keySet()), engine.removed);
    }
  }
}
