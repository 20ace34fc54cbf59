package dev.skinnywhale.trace;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An image's healthcheck, as a probe runs it: in the probe container while the service runs,
 * through the engine's exec API as the engine itself runs one.
 *
 * @param argv the test's command: a {@code CMD} test's arguments, or {@code /bin/sh -c TEXT} for a
 *     {@code CMD-SHELL} test
 * @param timeout how long one try may take
 * @param startPeriod failures within this time after the start do not count
 * @param retries consecutive failures that make the service unhealthy
 */
public record HealthCheck(List<String> argv, Duration timeout, Duration startPeriod, int retries) {
  /** The engine's defaults for a healthcheck that does not say. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public static final int DEFAULT_RETRIES = 3;

  public HealthCheck {
    argv = List.copyOf(argv);
    if (argv.isEmpty() || argv.get(0).isEmpty()) {
      throw new IllegalArgumentException("a healthcheck needs a command");
    }
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(startPeriod, "startPeriod");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("a healthcheck's timeout must be positive");
    }
    if (retries < 1) {
      throw new IllegalArgumentException("a healthcheck's retries must be at least 1");
    }
  }

  /** The command as a person would read it. */
  public String text() {
    return argv.size() == 3 && argv.get(1).equals("-c") && argv.get(0).endsWith("sh")
        ? argv.get(2)
        : String.join(" ", argv);
  }
}
