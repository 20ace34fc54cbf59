package dev.skinnywhale.tracelog;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One line of an strace-format log, as the lexer sees it. {@code pid} 0: the line names none. */
sealed interface TraceLine {
  int pid();

  /** A complete call: {@code name(args) = result}. Arguments are raw text, split at top level. */
  record Call(int pid, String name, List<String> args, Result result) implements TraceLine {
    public Call {
      Objects.requireNonNull(name);
      args = List.copyOf(args);
      Objects.requireNonNull(result);
    }
  }

  /** {@code name(args... <unfinished ...>}: the text after the parenthesis, marker removed. */
  record Unfinished(int pid, String name, String argsPrefix) implements TraceLine {}

  /** {@code <... name resumed>rest}: the text after the marker. */
  record Resumed(int pid, String name, String rest) implements TraceLine {}

  /** {@code --- SIGCHLD {...} ---}, {@code +++ exited with 0 +++}, or strace's own messages. */
  record Event(int pid, String text) implements TraceLine {
    boolean isExit() {
      return text.startsWith("+++ exited") || text.startsWith("+++ killed");
    }
  }

  /**
   * The value after {@code = }: a number, a hex value or {@code ?}; the {@code -y} annotation of a
   * returned descriptor (decoded); the errno name of a failure.
   */
  record Result(String value, Optional<String> annotation, Optional<String> errno) {
    boolean success() {
      return errno.isEmpty() && !value.equals("?") && !value.startsWith("-");
    }
  }
}
