package dev.skinnywhale.trace;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One smoke command as the user wrote it and the argv that runs it in the container.
 *
 * @param text the command as given to --run, or "--run-file NAME" for a script
 * @param argv what is executed: {@code /bin/sh -c TEXT} when the image has a shell, otherwise TEXT
 *     split with shell quoting rules; for a script, the script itself (its #! line chooses the
 *     interpreter) or {@code /bin/sh SCRIPT} when it has none
 * @param script a script to copy into the container before it runs, at {@link #SCRIPT_PATH}
 * @param service for the image's own command: run as a service (still running at its time limit is
 *     success), with its healthcheck
 */
public record ProbeCommand(
    String text, List<String> argv, Optional<Script> script, Optional<ServiceProbe> service) {
  /** Where a --run-file script is put in every container that runs it. */
  public static final String SCRIPT_PATH = ProbeRunner.PROBE_DIR + "/run-file";

  /** A script's content, its bytes as ISO-8859-1 chars. */
  public record Script(String content) {
    public Script {
      Objects.requireNonNull(content, "content");
    }

    public boolean hasShebang() {
      return content.startsWith("#!");
    }
  }

  public ProbeCommand {
    Objects.requireNonNull(text, "text");
    argv = List.copyOf(argv);
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(service, "service");
    if (argv.isEmpty() || argv.get(0).isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
  }

  public ProbeCommand(String text, List<String> argv, Optional<Script> script) {
    this(text, argv, script, Optional.empty());
  }

  public ProbeCommand(String text, List<String> argv) {
    this(text, argv, Optional.empty());
  }

  /** The image's own Entrypoint + Cmd, run as {@code docker run IMAGE} runs it. */
  public static ProbeCommand service(String text, List<String> argv, ServiceProbe service) {
    return new ProbeCommand(text, argv, Optional.empty(), Optional.of(service));
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

  /**
   * A script file: executed directly when it starts with #! (the kernel runs its interpreter), else
   * by {@code shell}; without either it cannot run.
   */
  public static ProbeCommand script(String fileName, Script script, Optional<String> shell) {
    List<String> argv;
    if (script.hasShebang()) {
      argv = List.of(SCRIPT_PATH);
    } else if (shell.isPresent()) {
      argv = List.of(shell.get(), SCRIPT_PATH);
    } else {
      throw new IllegalArgumentException(
          "the script has no #! line and the image has no /bin/sh to run it");
    }
    return new ProbeCommand("--run-file " + fileName, argv, Optional.of(script));
  }
}
