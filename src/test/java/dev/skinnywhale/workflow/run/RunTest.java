package dev.skinnywhale.workflow.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.skinnywhale.workflow.FakeEngine;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A run labels what it makes with its own id, so concurrent runs can tell theirs apart. */
class RunTest {
  private static final dev.skinnywhale.image.registry.RegistryOptions REGISTRIES =
      new dev.skinnywhale.image.registry.RegistryOptions(java.util.Set.of(), Map.of());

  @Test
  void labels_carryTheRunIdGivenOrARandomOne() throws Exception {
    try (Run a =
            Run.open(
                new FakeEngine(),
                CleanupTest.QUIET,
                Clock.systemUTC(),
                Optional.of("ci-42"),
                REGISTRIES);
        Run b = Run.open(new FakeEngine(), CleanupTest.QUIET, Clock.systemUTC());
        Run c = Run.open(new FakeEngine(), CleanupTest.QUIET, Clock.systemUTC())) {
      assertEquals(Map.of(Run.TEMP_LABEL, "probe", Run.RUN_LABEL, "ci-42"), a.labels("probe"));
      assertNotEquals(b.runId(), c.runId());
    }
  }

  @Test
  void open_malformedRunId_refused() {
    for (String bad : new String[] {"", "-x", "a b", "a=b", "x".repeat(65), "ü"}) {
      assertThrows(
          IllegalArgumentException.class,
          () ->
              Run.open(
                  new FakeEngine(),
                  CleanupTest.QUIET,
                  Clock.systemUTC(),
                  Optional.of(bad),
                  REGISTRIES),
          bad);
    }
  }
}
