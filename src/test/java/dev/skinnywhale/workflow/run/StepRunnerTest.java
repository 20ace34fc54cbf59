package dev.skinnywhale.workflow.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How steps are reported and timed. */
class StepRunnerTest {
  /** A clock that stands still until a step's body moves it on. */
  static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  final ManualClock clock = new ManualClock();
  final RecordingReporter reporter = new RecordingReporter();
  final StepRunner steps = new StepRunner(clock, reporter);

  @Test
  void run_saysTheMessageBeforeTheBodyAndReturnsItsValue() {
    List<String> seen = new ArrayList<>();
    String value =
        steps.run(
            "inspect",
            "looking up app",
            () -> {
              seen.addAll(reporter.steps);
              return "found";
            });
    assertEquals("found", value);
    assertEquals(List.of("looking up app"), seen, "the step was not reported before it ran");
  }

  @Test
  void run_samePhaseAddsUp_phasesInTheOrderTheyFirstRan() {
    steps.run("export", "a", () -> tick(1));
    steps.run("inspect", "b", () -> tick(2));
    steps.run("export", "c", () -> tick(3));

    Map<String, Duration> timings = steps.timings();
    assertEquals(List.of("export", "inspect"), List.copyOf(timings.keySet()));
    assertEquals(Duration.ofSeconds(4), timings.get("export"));
    assertEquals(Duration.ofSeconds(2), timings.get("inspect"));
    assertEquals(List.of("a", "b", "c"), reporter.steps);
  }

  @Test
  void run_failingBody_exceptionPassesThroughAndItsTimeStillCounts() {
    IOException failure = new IOException("disk full");
    IOException thrown =
        assertThrows(
            IOException.class,
            () ->
                steps.run(
                    "assemble",
                    "writing the slim layer",
                    () -> {
                      clock.advance(Duration.ofMillis(250));
                      throw failure;
                    }));
    assertSame(failure, thrown);
    assertEquals(Map.of("assemble", Duration.ofMillis(250)), steps.timings());
  }

  @Test
  void timings_isASnapshotThatCannotBeChanged() {
    steps.run("probe", "p", () -> tick(1));
    Map<String, Duration> before = steps.timings();
    steps.run("probe", "q", () -> tick(1));
    assertEquals(Duration.ofSeconds(1), before.get("probe"), "the snapshot changed");
    assertThrows(UnsupportedOperationException.class, () -> before.put("x", Duration.ZERO));
  }

  @Test
  void run_afterCancel_neitherSaysTheStepNorRunsIt() {
    Cancellation token = new Cancellation();
    StepRunner cancellable = new StepRunner(clock, reporter, token);
    cancellable.run("probe", "probing `a`", () -> tick(1));
    token.cancel(() -> reporter.warn("interrupted"));
    List<String> ran = new ArrayList<>();
    assertThrows(
        CancelledException.class,
        () -> cancellable.run("probe", "probing `b`", () -> ran.add("b")));
    assertThrows(CancelledException.class, () -> cancellable.say("saved profile p"));
    assertEquals(List.of(), ran);
    assertEquals(List.of("step: probing `a`", "warn: interrupted"), reporter.all);
  }

  private Void tick(int seconds) {
    clock.advance(Duration.ofSeconds(seconds));
    return null;
  }
}
