package dev.skinnywhale.workflow.steps;

import dev.skinnywhale.rootfs.RootFs;
import dev.skinnywhale.trace.ProbeCommand;
import dev.skinnywhale.workflow.run.UnusableInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The smoke commands as they will run: through /bin/sh -c when the image has a shell, otherwise
 * split into an argv; a --run-file script last, run by its #! line (or the shell).
 */
public final class PrepareCommands {
  /** A script given with --run-file: its file name and its bytes as ISO-8859-1 chars. */
  public record RunFile(String name, String content) {
    public RunFile {
      java.util.Objects.requireNonNull(name, "name");
      java.util.Objects.requireNonNull(content, "content");
    }
  }

  private PrepareCommands() {}

  public static List<ProbeCommand> of(List<String> texts, Optional<RunFile> runFile, RootFs fs) {
    return of(texts, runFile, hasShell(fs));
  }

  /** Whether the commands run through the image's shell: whether {@code fs} has a /bin/sh. */
  public static boolean hasShell(RootFs fs) {
    return fs.resolve("/bin/sh").found();
  }

  /** The commands as they run in an image that has a shell or has none. */
  public static List<ProbeCommand> of(
      List<String> texts, Optional<RunFile> runFile, boolean shell) {
    List<ProbeCommand> out = new ArrayList<>();
    try {
      for (String text : texts) {
        if (text.isBlank()) {
          throw new UnusableInputException("an empty --run command");
        }
        out.add(shell ? ProbeCommand.shell("/bin/sh", text) : ProbeCommand.argv(text));
      }
      if (runFile.isPresent()) {
        out.add(
            ProbeCommand.script(
                runFile.get().name(),
                new ProbeCommand.Script(runFile.get().content()),
                shell ? Optional.of("/bin/sh") : Optional.empty()));
      }
    } catch (IllegalArgumentException e) {
      throw new UnusableInputException(
          "cannot run " + describe(texts, runFile) + ": " + e.getMessage());
    }
    return out;
  }

  private static String describe(List<String> texts, Optional<RunFile> runFile) {
    return runFile.isPresent() && texts.isEmpty()
        ? "--run-file " + runFile.get().name()
        : "the command `" + String.join("`, `", texts) + "`";
  }
}
