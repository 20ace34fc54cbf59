package dev.skinnywhale.workflow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Wall time per named phase of one run, measured with the injected clock. */
public final class Phases {
  /** A phase's body. */
  @FunctionalInterface
  public interface Body<T, E extends Exception> {
    T run() throws E;
  }

  private final Clock clock;
  private final Reporter reporter;
  private final Map<String, Duration> timings = new LinkedHashMap<>();

  public Phases(Clock clock, Reporter reporter) {
    this.clock = clock;
    this.reporter = reporter;
  }

  /** Runs a phase, reports its start, and adds its time (phases of the same name add up). */
  public <T, E extends Exception> T run(String name, String message, Body<T, E> body) throws E {
    reporter.step(message);
    Instant start = clock.instant();
    try {
      return body.run();
    } finally {
      timings.merge(name, Duration.between(start, clock.instant()), Duration::plus);
    }
  }

  public Map<String, Duration> timings() {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(timings));
  }
}
