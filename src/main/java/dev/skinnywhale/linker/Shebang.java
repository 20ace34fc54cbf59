package dev.skinnywhale.linker;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code #!} line of a script as the kernel reads it (fs/binfmt_script.c): at most {@value
 * #MAX_LINE} bytes, the interpreter up to the first blank, the rest of the line (trimmed) as one
 * optional argument.
 */
record Shebang(String interpreter, Optional<String> argument) {
  static final int MAX_LINE = 255;

  static boolean isScript(ByteBuffer head) {
    return head.limit() >= 2 && head.get(0) == '#' && head.get(1) == '!';
  }

  static Optional<Shebang> parse(ByteBuffer head) {
    if (!isScript(head)) {
      return Optional.empty();
    }
    int end = Math.min(head.limit(), 2 + MAX_LINE);
    StringBuilder line = new StringBuilder();
    for (int i = 2; i < end; i++) {
      byte b = head.get(i);
      if (b == '\n' || b == 0) {
        break;
      }
      line.append((char) (b & 0xFF));
    }
    String s = line.toString().replaceFirst("^[ \t]+", "");
    int blank = indexOfBlank(s);
    String interpreter = blank < 0 ? s : s.substring(0, blank);
    if (interpreter.isEmpty()) {
      return Optional.empty();
    }
    String rest = blank < 0 ? "" : s.substring(blank).strip();
    return Optional.of(
        new Shebang(interpreter, rest.isEmpty() ? Optional.empty() : Optional.of(rest)));
  }

  /** Whether the interpreter is {@code env} (by its name). */
  boolean isEnv() {
    return interpreter.equals("env") || interpreter.endsWith("/env");
  }

  /**
   * The program {@code env} would run: with {@code -S} (or {@code --split-string}) the argument is
   * split into words, otherwise it is one word as the kernel passed it; options and NAME=VALUE
   * assignments are skipped.
   */
  Optional<String> envProgram() {
    if (argument.isEmpty()) {
      return Optional.empty();
    }
    String arg = argument.get();
    List<String> words = new ArrayList<>();
    if (arg.startsWith("-S") || arg.startsWith("--split-string")) {
      String rest =
          arg.startsWith("-S")
              ? arg.substring(2)
              : arg.substring("--split-string".length()).replaceFirst("^=", "");
      for (String w : rest.strip().split("[ \t]+")) {
        if (!w.isEmpty()) {
          words.add(w);
        }
      }
    } else {
      words.add(arg);
    }
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      if (w.equals("-u") || w.equals("--unset") || w.equals("-C") || w.equals("--chdir")) {
        i++;
      } else if (w.startsWith("-") || (w.indexOf('=') > 0 && !w.contains("/"))) {
        continue;
      } else {
        return Optional.of(w);
      }
    }
    return Optional.empty();
  }

  private static int indexOfBlank(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
        return i;
      }
    }
    return -1;
  }
}
