package dev.skinnywhale.workflow.steps;

import static dev.skinnywhale.workflow.steps.StepFixture.CLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skinnywhale.docker.ContainerSpec;
import dev.skinnywhale.docker.EngineException;
import dev.skinnywhale.workflow.FakeEngine;
import dev.skinnywhale.workflow.run.RecordingReporter;
import dev.skinnywhale.workflow.run.Run;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The helper created on the host's network, and with the spec's own where the engine refuses. */
class HelperContainerTest {
  final FakeEngine engine = new FakeEngine();
  final RecordingReporter reporter = new RecordingReporter();

  static final ContainerSpec SPEC =
      new ContainerSpec(
          "base:1",
          Optional.of(List.of(HelperFilesystem.TRACER)),
          Optional.of(List.of("wait")),
          List.of(),
          Optional.of("0:0"),
          Optional.empty(),
          "none",
          Map.of("x", "y"));

  @Test
  void create_onTheHostNetwork_otherwiseTheSpecAsItIs() throws Exception {
    try (Run run = Run.open(engine, reporter, CLOCK)) {
      String id = HelperContainer.create(run, SPEC);
      ContainerSpec made = engine.specs.get(id);
      assertEquals("host", made.network());
      assertEquals(
          SPEC,
          new ContainerSpec(
              made.image(),
              made.entrypoint(),
              made.cmd(),
              made.env(),
              made.user(),
              made.workingDir(),
              "none",
              made.labels(),
              made.run(),
              made.seccompProfile()));
      assertEquals(List.of("create base:1 network=host"), engine.calls);
    }
  }

  @Test
  void create_hostNetworkRefused_createdWithNoneAndSaysSo() throws Exception {
    // what Docker with --userns-remap answers for a container on the host's network namespace
    engine.createFailure =
        spec ->
            spec.network().equals("host")
                ? new EngineException(
                    EngineException.Kind.BAD_REQUEST,
                    400,
                    "cannot share the host's network namespace when user namespaces are enabled",
                    null)
                : null;
    try (Run run = Run.open(engine, reporter, CLOCK)) {
      String id = HelperContainer.create(run, SPEC);
      assertSame(SPEC, engine.specs.get(id));
      assertEquals(
          List.of("create base:1 network=host", "create base:1 network=none"), engine.calls);
      assertTrue(
          reporter.debugs.stream().anyMatch(d -> d.contains("cannot have the host's network")),
          reporter.debugs.toString());
    }
  }

  @Test
  void create_engineGone_notRetried() throws Exception {
    engine.createFailure =
        spec -> new EngineException(EngineException.Kind.UNAVAILABLE, 0, "no engine", null);
    try (Run run = Run.open(engine, reporter, CLOCK)) {
      EngineException e =
          assertThrows(EngineException.class, () -> HelperContainer.create(run, SPEC));
      assertTrue(e.is(EngineException.Kind.UNAVAILABLE));
      assertEquals(List.of("create base:1 network=host"), engine.calls);
    }
  }
}
