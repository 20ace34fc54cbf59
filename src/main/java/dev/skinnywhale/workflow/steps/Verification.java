package dev.skinnywhale.workflow.steps;

import java.util.List;
import java.util.Objects;

/**
 * One smoke command run again in the slim image.
 *
 * @param command the command as the user gave it
 * @param fatOutcome how it ended in the source
 * @param slimOutcome how it ended in the slim image
 * @param passed whether it ended the same way
 * @param missing what the slim image lacks, from a traced run there (empty when it passed)
 * @param denied the syscalls the seccomp profile refused a command that ran without it (empty when
 *     there was no profile, or it passed)
 */
public record Verification(
    String command,
    String fatOutcome,
    String slimOutcome,
    boolean passed,
    List<String> missing,
    List<String> denied) {
  public Verification {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(fatOutcome, "fatOutcome");
    Objects.requireNonNull(slimOutcome, "slimOutcome");
    missing = List.copyOf(missing);
    denied = List.copyOf(denied);
    if (passed && !(missing.isEmpty() && denied.isEmpty())) {
      throw new IllegalArgumentException("a passed verification names nothing missing: " + command);
    }
  }

  /** Without a seccomp profile. */
  public Verification(
      String command, String fatOutcome, String slimOutcome, boolean passed, List<String> missing) {
    this(command, fatOutcome, slimOutcome, passed, missing, List.of());
  }
}
