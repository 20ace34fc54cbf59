package dev.skinnywhale.workflow.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the steps of one command: reports each as it starts and adds its wall time, measured with
 * the injected clock, to a named phase (steps of the same phase add up: {@code time: inspect 0.1s
 * export 2.0s ...}). A step does not start once the run's {@link Cancellation} is set: it throws
 * {@link CancelledException} instead of saying it starts.
 */
public final class StepRunner {
  /** A step's body. */
  @FunctionalInterface
  public interface Body<T, E extends Exception> {
    T run() throws E;
  }

  private final Clock clock;
  private final Reporter reporter;
  private final Cancellation cancellation;
  private final Map<String, Duration> timings = new LinkedHashMap<>();

  public StepRunner(Clock clock, Reporter reporter) {
    this(clock, reporter, new Cancellation());
  }

  public StepRunner(Clock clock, Reporter reporter, Cancellation cancellation) {
    this.clock = clock;
    this.reporter = reporter;
    this.cancellation = cancellation;
  }

  /** Runs a step of {@code phase}, saying {@code message} first. */
  public <T, E extends Exception> T run(String phase, String message, Body<T, E> body) throws E {
    cancellation.unlessCancelled(() -> reporter.step(message));
    Instant start = clock.instant();
    try {
      return body.run();
    } finally {
      synchronized (timings) {
        timings.merge(phase, Duration.between(start, clock.instant()), Duration::plus);
      }
    }
  }

  /**
   * Says {@code message} as a step line (a result such as a file saved) unless the run is
   * cancelled.
   */
  public void say(String message) {
    // also from the threads of steps that run side by side: the token orders it after a cancel
    cancellation.unlessCancelled(() -> reporter.step(message));
  }

  /** Runs a step of {@code phase} that says what it does itself (steps run side by side). */
  public <T, E extends Exception> T timed(String phase, Body<T, E> body) throws E {
    cancellation.check();
    Instant start = clock.instant();
    try {
      return body.run();
    } finally {
      add(phase, Duration.between(start, clock.instant()));
    }
  }

  /**
   * Adds {@code time} to {@code phase} without running anything: the part of a step that ran beside
   * another one that the run still waited for.
   */
  public void add(String phase, Duration time) {
    synchronized (timings) {
      timings.merge(phase, time, Duration::plus);
    }
  }

  /** The clock steps are timed with. */
  public Clock clock() {
    return clock;
  }

  /** Wall time per phase, in the order the phases first ran. */
  public Map<String, Duration> timings() {
    synchronized (timings) {
      return Collections.unmodifiableMap(new LinkedHashMap<>(timings));
    }
  }
}
