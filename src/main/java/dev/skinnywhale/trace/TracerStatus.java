package dev.skinnywhale.trace;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The one line the tracer writes to its {@code --status} file (tracer/README.md, "Status file"),
 * parsed: how the traced program ended, or at which stage the tracer failed. The words of a line
 * come in a fixed order (outcome, then {@code killed=K}, then {@code mode=...}); unknown words
 * after the outcome are ignored, as the README asks of a reader.
 */
public sealed interface TracerStatus
    permits TracerStatus.Exited,
        TracerStatus.Signaled,
        TracerStatus.TimedOut,
        TracerStatus.Failed,
        TracerStatus.Missing,
        TracerStatus.Malformed {

  /**
   * The tracer's exit status when its PATH search finds no program ({@code EXIT_NOT_FOUND}), as a
   * shell's for a command not found.
   */
  int EXIT_NOT_FOUND = 127;

  /** More than a status line can be ({@code write_status} writes at most PATH_MAX + 256 bytes). */
  int MAX_BYTES = 64 * 1024;

  /** How the tracer stopped the tracees. */
  enum Mode {
    /** Only at the recorded syscalls, by a seccomp filter (the default). */
    SECCOMP,
    /** At every syscall ({@code mode=syscall}: {@code --no-seccomp}, or no seccomp filter). */
    SYSCALL
  }

  /** Where the tracer failed: the word after {@code error}. */
  enum Stage {
    /** {@code error usage: ...}: a bad command line. */
    USAGE,
    /** {@code error exec PATH: ...}: the program was not found or could not be executed. */
    EXEC,
    /** {@code error log PATH: ...}: the log could not be written. */
    LOG,
    /** {@code error ptrace: ...}: ptrace was refused (a strict seccomp profile). */
    PTRACE,
    /** {@code error pipe: ...}. */
    PIPE,
    /** {@code error fork: ...}. */
    FORK,
    /** {@code error interrupted by signal N}: the tracer itself got SIGTERM, SIGINT or SIGHUP. */
    INTERRUPTED,
    /** Any other error: out of memory, the tracee vanished, the exit status was lost. */
    OTHER
  }

  /**
   * {@code ok exit=N}: the program exited with N; {@code ptraceDenied} of its own ptrace calls were
   * refused ({@code ptrace-denied=D}).
   */
  record Exited(int code, long killed, Mode mode, long ptraceDenied) implements TracerStatus {
    public Exited {
      Objects.requireNonNull(mode, "mode");
      if (code < 0 || code > 255 || killed < 0 || ptraceDenied < 0) {
        throw new IllegalArgumentException("exit=" + code + " killed=" + killed);
      }
    }

    public Exited(int code, long killed, Mode mode) {
      this(code, killed, mode, 0);
    }
  }

  /** {@code ok signal=N}: the program was killed by signal N (the tracer exits with 128+N). */
  record Signaled(int signal, long killed, Mode mode, long ptraceDenied) implements TracerStatus {
    public Signaled {
      Objects.requireNonNull(mode, "mode");
      if (signal < 1 || signal > 127 || killed < 0 || ptraceDenied < 0) {
        throw new IllegalArgumentException("signal=" + signal + " killed=" + killed);
      }
    }

    public Signaled(int signal, long killed, Mode mode) {
      this(signal, killed, mode, 0);
    }
  }

  /** {@code timeout}: the time limit expired and the tree was killed. */
  record TimedOut(Mode mode) implements TracerStatus {
    public TimedOut {
      Objects.requireNonNull(mode, "mode");
    }
  }

  /**
   * {@code error ...}: the tracer failed.
   *
   * @param stage where
   * @param subject the path an {@code exec} or {@code log} error names, if any
   * @param message the reason (strerror's text, "not found in PATH", ...)
   * @param text everything after {@code "error "}, as the tracer wrote it
   */
  record Failed(Stage stage, Optional<String> subject, String message, String text)
      implements TracerStatus {
    public Failed {
      Objects.requireNonNull(stage, "stage");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(text, "text");
    }

    /**
     * The program is not there: the tracer's PATH search found none ({@code error exec NAME: not
     * found in PATH}), or exec of the path said ENOENT ({@code error exec PATH: No such file or
     * directory}: no such file, or the interpreter it names is missing).
     */
    public boolean programNotFound() {
      return stage == Stage.EXEC
          && (message.equals("not found in PATH") || message.equals("No such file or directory"));
    }

    /** The signal that interrupted the tracer, for {@link Stage#INTERRUPTED}. */
    public OptionalInt signal() {
      String prefix = "interrupted by signal ";
      if (stage != Stage.INTERRUPTED || !text.startsWith(prefix)) {
        return OptionalInt.empty();
      }
      return TracerStatus.number(text.substring(prefix.length()), 1, 127);
    }
  }

  /** No status was written (an empty or absent file): the tracer did not get to the end. */
  record Missing() implements TracerStatus {}

  /** A status that is none of the forms above. */
  record Malformed(String text) implements TracerStatus {
    public Malformed {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * How many of the traced programs' own ptrace calls were refused with EPERM: a program that is
   * itself a tracer (strace, gdb, a sandbox) cannot trace under the tracer, so what it did is
   * likely not what it does untraced.
   */
  default long ptraceDenied() {
    return 0;
  }

  /** Whether ptrace itself was refused, so that a run with LD_DEBUG may do instead. */
  default boolean ptraceRefused() {
    return this instanceof Failed f && f.stage() == Stage.PTRACE;
  }

  /** Parses the status file's content (the line and its newline). */
  static TracerStatus parse(String content) {
    String line = content.strip();
    if (line.isEmpty()) {
      return new Missing();
    }
    if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0 || line.indexOf('\0') >= 0) {
      return new Malformed(line);
    }
    if (line.startsWith("error ")) {
      return failed(line.substring("error ".length()));
    }
    List<String> words = List.of(line.split(" +"));
    Optional<Mode> mode = mode(words);
    if (mode.isEmpty()) {
      return new Malformed(line);
    }
    if (words.get(0).equals("timeout")) {
      return new TimedOut(mode.get());
    }
    if (!words.get(0).equals("ok") || words.size() < 2) {
      return new Malformed(line);
    }
    OptionalInt killedCount = OptionalInt.of(0);
    OptionalInt deniedCount = OptionalInt.of(0);
    for (String w : words.subList(2, words.size())) {
      if (w.startsWith("killed=")) {
        killedCount = number(w.substring("killed=".length()), 0, Integer.MAX_VALUE);
      } else if (w.startsWith("ptrace-denied=")) {
        deniedCount = number(w.substring("ptrace-denied=".length()), 0, Integer.MAX_VALUE);
      }
    }
    if (killedCount.isEmpty() || deniedCount.isEmpty()) {
      return new Malformed(line);
    }
    long killed = killedCount.getAsInt();
    long denied = deniedCount.getAsInt();
    String outcome = words.get(1);
    if (outcome.startsWith("exit=")) {
      OptionalInt code = number(outcome.substring("exit=".length()), 0, 255);
      return code.isPresent()
          ? new Exited(code.getAsInt(), killed, mode.get(), denied)
          : new Malformed(line);
    }
    if (outcome.startsWith("signal=")) {
      OptionalInt signal = number(outcome.substring("signal=".length()), 1, 127);
      return signal.isPresent()
          ? new Signaled(signal.getAsInt(), killed, mode.get(), denied)
          : new Malformed(line);
    }
    return new Malformed(line);
  }

  private static Optional<Mode> mode(List<String> words) {
    Mode mode = Mode.SECCOMP;
    for (String w : words.subList(1, words.size())) {
      if (w.startsWith("mode=")) {
        String m = w.substring("mode=".length());
        if (!m.equals("syscall")) {
          return Optional.empty();
        }
        mode = Mode.SYSCALL;
      }
    }
    return Optional.of(mode);
  }

  private static Failed failed(String text) {
    String[] firstWord = text.split("[ :]", 2);
    Stage stage =
        switch (firstWord[0]) {
          case "usage" -> Stage.USAGE;
          case "exec" -> Stage.EXEC;
          case "log" -> Stage.LOG;
          case "ptrace" -> Stage.PTRACE;
          case "pipe" -> Stage.PIPE;
          case "fork" -> Stage.FORK;
          case "interrupted" -> Stage.INTERRUPTED;
          default -> Stage.OTHER;
        };
    String rest = text.substring(firstWord[0].length());
    return switch (stage) {
      case EXEC, LOG -> {
        // "exec PATH: MESSAGE": the message is after the last ": " (strerror has none)
        int colon = rest.lastIndexOf(": ");
        if (!rest.startsWith(" ") || colon < 1) {
          yield new Failed(stage, Optional.empty(), rest.strip(), text);
        }
        yield new Failed(
            stage, Optional.of(rest.substring(1, colon)), rest.substring(colon + 2).strip(), text);
      }
      case USAGE, PTRACE, PIPE, FORK ->
          new Failed(
              stage,
              Optional.empty(),
              rest.startsWith(":") ? rest.substring(1).strip() : rest.strip(),
              text);
      default -> new Failed(stage, Optional.empty(), text, text);
    };
  }

  private static OptionalInt number(String digits, int min, int max) {
    if (digits.isEmpty()
        || digits.length() > 10
        || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalInt.empty();
    }
    long v = Long.parseLong(digits);
    return v < min || v > max ? OptionalInt.empty() : OptionalInt.of((int) v);
  }
}
