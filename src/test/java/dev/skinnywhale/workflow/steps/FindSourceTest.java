package dev.skinnywhale.workflow.steps;

import static dev.skinnywhale.workflow.steps.StepFixture.CLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.workflow.FakeEngine;
import dev.skinnywhale.workflow.run.NotFoundException;
import dev.skinnywhale.workflow.run.RecordingReporter;
import dev.skinnywhale.workflow.run.Run;
import dev.skinnywhale.workflow.run.Source;
import dev.skinnywhale.workflow.run.UnusableInputException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Finding what the user named: engine first, container before image, --base only with images. */
class FindSourceTest {
  final FakeEngine engine = new FakeEngine();
  final RecordingReporter reporter = new RecordingReporter();

  @Test
  void find_container_foundAfterThePing() throws Exception {
    try (Run run = Run.open(engine, reporter, CLOCK)) {
      Source source = new FindSource(run).find("app", Optional.empty());
      assertEquals(Source.Kind.CONTAINER, source.kind());
      assertEquals(FakeEngine.CONTAINER_ID, source.id());
      assertEquals(FakeEngine.IMAGE_ID, source.imageId());
      assertEquals("app", source.reference());
      assertEquals(List.of("ping", "findContainer app"), engine.calls.subList(0, 2));
      assertTrue(run.steps().timings().containsKey("inspect"));
    }
  }

  @Test
  void find_image_whenNoContainerMatches() throws Exception {
    try (Run run = Run.open(engine, reporter, CLOCK)) {
      Source source = new FindSource(run).find("base:1", Optional.of("base:1"));
      assertEquals(Source.Kind.IMAGE, source.kind());
      assertEquals(FakeEngine.IMAGE_ID, source.id());
      assertEquals("ping", engine.calls.get(0));
    }
  }

  @Test
  void find_baseWithAContainer_unusableInput() throws Exception {
    try (Run run = Run.open(engine, reporter, CLOCK)) {
      UnusableInputException e =
          assertThrows(
              UnusableInputException.class,
              () -> new FindSource(run).find("app", Optional.of("base:1")));
      assertTrue(e.getMessage().contains("--base"), e.getMessage());
      assertTrue(e.getMessage().contains("app"), e.getMessage());
    }
  }

  @Test
  void find_unknown_notFoundNamingIt() throws Exception {
    try (Run run = Run.open(engine, reporter, CLOCK)) {
      NotFoundException e =
          assertThrows(
              NotFoundException.class, () -> new FindSource(run).find("nope", Optional.empty()));
      assertTrue(e.getMessage().contains("nope"), e.getMessage());
      assertEquals("ping", engine.calls.get(0));
    }
  }
}
