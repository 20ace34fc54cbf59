package dev.skinnywhale.trace;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A probe of the image's own command (Entrypoint + Cmd), run as {@code docker run IMAGE} would: one
 * still running after {@code startedAfter} is a service that started (success), and is then
 * stopped; while it runs, its healthcheck, if it has one, is tried in the same container.
 */
public record ServiceProbe(Duration startedAfter, Optional<HealthCheck> health) {
  public ServiceProbe {
    Objects.requireNonNull(startedAfter, "startedAfter");
    Objects.requireNonNull(health, "health");
    if (startedAfter.isNegative() || startedAfter.isZero()) {
      throw new IllegalArgumentException("--config-timeout must be positive");
    }
  }
}
