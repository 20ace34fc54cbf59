package dev.skinnywhale.profile;

import java.util.Objects;

/**
 * A smoke command a trace ran, and how it exited in the source image.
 *
 * @param run the command line as the user gave it
 * @param exitCode its exit status
 */
public record RecordedCommand(String run, int exitCode) {
  public RecordedCommand {
    Objects.requireNonNull(run, "run");
    if (run.isBlank()) {
      throw new IllegalArgumentException("command is empty");
    }
  }
}
