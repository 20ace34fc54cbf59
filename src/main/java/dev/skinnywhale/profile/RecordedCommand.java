package dev.skinnywhale.profile;

import java.util.List;
import java.util.Objects;

/**
 * A smoke command a trace ran, and how it exited in the source image.
 *
 * @param run the command line as the user gave it
 * @param exitCode its exit status
 * @param options the {@code docker run} options its probe container had ({@code --add-host}, {@code
 *     --tmpfs}, {@code --mount}, ...), as arguments; empty for none (and then not written)
 */
public record RecordedCommand(String run, int exitCode, List<String> options) {
  public RecordedCommand {
    Objects.requireNonNull(run, "run");
    if (run.isBlank()) {
      throw new IllegalArgumentException("command is empty");
    }
    options = List.copyOf(options);
  }

  /** A command run without extra options. */
  public RecordedCommand(String run, int exitCode) {
    this(run, exitCode, List.of());
  }
}
