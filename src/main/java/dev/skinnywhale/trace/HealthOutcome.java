package dev.skinnywhale.trace;

import java.util.Objects;
import java.util.Optional;

/**
 * How a service's healthcheck went in one probe container.
 *
 * @param tries how many times it ran
 * @param exitCode the last try's exit code; empty when it ran out of time (or never ran)
 * @param healthy whether a try succeeded
 * @param output the last try's output
 */
public record HealthOutcome(int tries, Optional<Integer> exitCode, boolean healthy, String output) {
  public HealthOutcome {
    Objects.requireNonNull(exitCode, "exitCode");
    Objects.requireNonNull(output, "output");
  }

  /** A short description. */
  public String text() {
    if (healthy) {
      return "healthy (try " + tries + ")";
    }
    if (tries == 0) {
      return "healthcheck not run (the service ended or no time was left)";
    }
    return "unhealthy: "
        + exitCode.map(c -> "exit code " + c).orElse("timed out")
        + " ("
        + tries
        + (tries == 1 ? " try)" : " tries)");
  }
}
