package dev.skinnywhale.trace;

import java.util.List;
import java.util.Objects;

/**
 * One smoke command as the user wrote it and the argv that runs it in the container.
 *
 * @param text the command as given to --run (or the script file's name)
 * @param argv what is executed: {@code /bin/sh -c TEXT} when the image has a shell, otherwise TEXT
 *     split with shell quoting rules
 */
public record ProbeCommand(String text, List<String> argv) {
  public ProbeCommand {
    Objects.requireNonNull(text, "text");
    argv = List.copyOf(argv);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
  }

  /** Through the image's shell. */
  public static ProbeCommand shell(String shell, String text) {
    return new ProbeCommand(text, List.of(shell, "-c", text));
  }

  /**
   * Without a shell: the text split as a POSIX shell would split words (quotes and backslashes).
   */
  public static ProbeCommand argv(String text) {
    return new ProbeCommand(text, ShellWords.split(text));
  }
}
