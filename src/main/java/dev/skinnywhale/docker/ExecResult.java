package dev.skinnywhale.docker;

import java.util.Objects;
import java.util.Optional;

/**
 * How a command run in a container with {@link DockerEngine#exec} ended.
 *
 * @param exitCode its exit code; empty when it was still running at the time limit
 * @param output its stdout and stderr (the last part, bounded)
 */
public record ExecResult(Optional<Integer> exitCode, String output) {
  public ExecResult {
    Objects.requireNonNull(exitCode, "exitCode");
    Objects.requireNonNull(output, "output");
  }
}
