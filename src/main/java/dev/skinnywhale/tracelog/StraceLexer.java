package dev.skinnywhale.tracelog;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Layer 1: one line of strace-format text to a {@link TraceLine}. Reads {@code strace -f -o}
 * ({@code "1234 "}), {@code strace -f} to stderr ({@code "[pid 1234] "}), lines without a pid,
 * optional {@code -t/-tt/-ttt/-r} timestamps, {@code -y} annotations and {@code -T} times. Throws
 * {@link SyntaxError} for anything else.
 */
final class StraceLexer {
  private static final Pattern STRACE_MESSAGE =
      Pattern.compile("strace: Process \\d+ (?:attached|detached|resumed|suspended)[^\\n]*$");
  private static final Pattern TIMESTAMP =
      Pattern.compile("(?:\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?|\\d+\\.\\d+) +");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern RESUMED =
      Pattern.compile("<\\.\\.\\. ([A-Za-z_][A-Za-z0-9_]*) resumed>(.*)", Pattern.DOTALL);
  private static final String UNFINISHED = "<unfinished ...>";
  private static final String DETACHED = "<detached ...>";
  private static final int MAX_PID = Integer.MAX_VALUE;

  /** The line's meaning, or empty for a blank line. */
  Optional<TraceLine> lex(String line) {
    String text = stripEnd(line);
    if (text.isBlank()) {
      return Optional.empty();
    }
    if (text.startsWith("strace: ")) {
      return Optional.of(new TraceLine.Event(0, text));
    }
    int[] pos = {0};
    int pid = pid(text, pos);
    Matcher ts = TIMESTAMP.matcher(text).region(pos[0], text.length());
    if (ts.lookingAt()) {
      pos[0] = ts.end();
    }
    String body = text.substring(pos[0]);
    if (body.startsWith("---") || body.startsWith("+++")) {
      return Optional.of(new TraceLine.Event(pid, body));
    }
    Matcher r = RESUMED.matcher(body);
    if (r.matches()) {
      String rest = r.group(2);
      if (rest.strip().startsWith(UNFINISHED)) { // "<... x resumed> <unfinished ...>) = ?"
        return Optional.of(new TraceLine.Event(pid, body));
      }
      return Optional.of(new TraceLine.Resumed(pid, r.group(1), rest));
    }
    Matcher n = NAME.matcher(body);
    if (!n.lookingAt() || n.end() >= body.length() || body.charAt(n.end()) != '(') {
      throw new SyntaxError("not a syscall, signal or exit line");
    }
    String name = n.group();
    String afterParen = body.substring(n.end() + 1);
    for (String marker : new String[] {UNFINISHED, DETACHED}) {
      if (afterParen.endsWith(marker)) {
        String prefix = afterParen.substring(0, afterParen.length() - marker.length());
        return Optional.of(new TraceLine.Unfinished(pid, name, prefix));
      }
    }
    return Optional.of(call(pid, name, afterParen));
  }

  /**
   * When strace shares stderr with the log, its "strace: Process N attached" can land in the middle
   * of a line, and the rest of that line follows on the next one: the text before the message.
   */
  Optional<String> beforeGluedMessage(String line) {
    Matcher m = STRACE_MESSAGE.matcher(line);
    return m.find() && m.start() > 0 ? Optional.of(line.substring(0, m.start())) : Optional.empty();
  }

  /** Parses {@code args) = result} (the text after {@code name(}) into a call. */
  TraceLine.Call call(int pid, String name, String afterParen) {
    List<String> args = new ArrayList<>();
    int end = splitArgs(afterParen, args);
    int i = skipSpaces(afterParen, end + 1);
    if (i >= afterParen.length() || afterParen.charAt(i) != '=') {
      throw new SyntaxError("expected ' = ' after the arguments of " + name);
    }
    return new TraceLine.Call(pid, name, args, result(afterParen.substring(i + 1).strip()));
  }

  private static int pid(String text, int[] pos) {
    if (text.startsWith("[pid ")) {
      int i = skipSpaces(text, 5);
      int start = i;
      while (i < text.length() && isDigit(text.charAt(i))) {
        i++;
      }
      if (i == start || i >= text.length() || text.charAt(i) != ']') {
        throw new SyntaxError("bad [pid N] prefix");
      }
      pos[0] = skipSpaces(text, i + 1);
      return parsePid(text.substring(start, i));
    }
    int i = 0;
    while (i < text.length() && isDigit(text.charAt(i))) {
      i++;
    }
    if (i == 0) {
      return 0;
    }
    if (i >= text.length() || text.charAt(i) != ' ') {
      // "12:34:56 call(...)" without -f: a timestamp, no pid
      if (i < text.length() && (text.charAt(i) == ':' || text.charAt(i) == '.')) {
        return 0;
      }
      throw new SyntaxError("a pid must be followed by a space");
    }
    String digits = text.substring(0, i);
    int after = skipSpaces(text, i);
    // "1700000000.123 call()" (-ttt without -f) is handled as a timestamp above; here digits+space
    pos[0] = after;
    return parsePid(digits);
  }

  private static int parsePid(String digits) {
    if (digits.length() > 10 || Long.parseLong(digits) > MAX_PID) {
      throw new SyntaxError("pid out of range: " + digits);
    }
    return Integer.parseInt(digits);
  }

  /**
   * Splits the arguments at top-level commas up to the closing parenthesis; returns its index.
   * Understands strings (with {@code ...} after a truncated one), nesting of {@code ([{}])}, C
   * comments and {@code -y} annotations.
   */
  static int splitArgs(String s, List<String> out) {
    int depth = 0;
    int start = 0;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"') {
        i = skipString(s, i);
        continue;
      }
      if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
        int close = s.indexOf("*/", i + 2);
        if (close < 0) {
          throw new SyntaxError("unterminated comment");
        }
        i = close + 2;
        continue;
      }
      if (c == '<' && startsAnnotation(s, i)) {
        i = skipAnnotation(s, i);
        continue;
      }
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ']' || c == '}') {
        depth--;
        if (depth < 0) {
          throw new SyntaxError("unbalanced '" + c + "'");
        }
      } else if (c == ')') {
        if (depth == 0) {
          String last = s.substring(start, i).strip();
          if (!last.isEmpty() || !out.isEmpty()) {
            out.add(last);
          }
          return i;
        }
        depth--;
      } else if (c == ',' && depth == 0) {
        out.add(s.substring(start, i).strip());
        start = i + 1;
      }
      i++;
    }
    throw new SyntaxError("unterminated argument list");
  }

  /**
   * Index after the closing quote (and a {@code ...} truncation mark) of the string at {@code i}.
   */
  static int skipString(String s, int i) {
    int j = i + 1;
    while (j < s.length()) {
      char c = s.charAt(j);
      if (c == '\\') {
        j += 2;
        continue;
      }
      if (c == '"') {
        j++;
        if (s.startsWith("...", j)) {
          j += 3;
        }
        return j;
      }
      j++;
    }
    throw new SyntaxError("unterminated string");
  }

  /** {@code <} after a descriptor number or AT_FDCWD starts a {@code -y} annotation. */
  static boolean startsAnnotation(String s, int i) {
    if (i == 0) {
      return false;
    }
    return isDigit(s.charAt(i - 1)) || (i >= 8 && s.startsWith("AT_FDCWD", i - 8));
  }

  /**
   * Index after the {@code >} closing the annotation at {@code i}. Inside, strace escapes {@code <
   * >} and backslashes; a raw {@code >} of a socket's "->" does not close it.
   */
  static int skipAnnotation(String s, int i) {
    int j = i + 1;
    int nested = 0; // -yy nests device annotations: 1</dev/pts/0<char 136:0>>
    while (j < s.length()) {
      char c = s.charAt(j);
      if (c == '\\') {
        j += 2;
        continue;
      }
      if (c == '<') {
        nested++;
      } else if (c == '>') {
        boolean arrow = s.charAt(j - 1) == '-';
        boolean atEnd = j + 1 >= s.length() || ",) ]}>".indexOf(s.charAt(j + 1)) >= 0;
        if (!arrow || atEnd) {
          if (nested == 0) {
            return j + 1;
          }
          nested--;
        }
      }
      j++;
    }
    throw new SyntaxError("unterminated <annotation>");
  }

  static TraceLine.Result result(String text) {
    if (text.isEmpty()) {
      throw new SyntaxError("missing result");
    }
    int i;
    if (text.charAt(0) == '?') {
      i = 1;
    } else if (text.startsWith("0x")) {
      i = 2;
      while (i < text.length() && Character.digit(text.charAt(i), 16) >= 0) {
        i++;
      }
      if (i == 2) {
        throw new SyntaxError("bad hex result");
      }
    } else {
      i = text.charAt(0) == '-' ? 1 : 0;
      int digits = i;
      while (i < text.length() && isDigit(text.charAt(i))) {
        i++;
      }
      if (i == digits) {
        throw new SyntaxError("result is not a number, hex value or '?'");
      }
    }
    String value = text.substring(0, i);
    Optional<String> annotation = Optional.empty();
    if (i < text.length() && text.charAt(i) == '<' && !value.equals("?")) {
      int end = skipAnnotation(text, i);
      annotation = Optional.of(unescape(text, i + 1, end - 1));
      i = end;
    }
    String rest = text.substring(i).strip();
    Optional<String> errno = Optional.empty();
    if (rest.length() > 1 && rest.charAt(0) == 'E' && Character.isUpperCase(rest.charAt(1))) {
      int j = 1;
      while (j < rest.length()
          && (Character.isUpperCase(rest.charAt(j))
              || isDigit(rest.charAt(j))
              || rest.charAt(j) == '_')) {
        j++;
      }
      errno = Optional.of(rest.substring(0, j));
    } else if (!rest.isEmpty() && rest.charAt(0) != '(' && rest.charAt(0) != '<') {
      throw new SyntaxError("unexpected text after the result");
    }
    return new TraceLine.Result(value, annotation, errno);
  }

  /**
   * Decodes strace's C escapes between {@code from} and {@code to}: {@code \" \\ \n \t \r \f \v},
   * octal {@code \o \oo \ooo} and hex {@code \xNN}. Bytes become chars one to one (ISO-8859-1).
   */
  static String unescape(String s, int from, int to) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      if (c != '\\') {
        if (c > 0xff) {
          throw new SyntaxError("character outside one byte in a string");
        }
        out.write(c);
        i++;
        continue;
      }
      if (i + 1 >= to) {
        throw new SyntaxError("backslash at the end of a string");
      }
      char e = s.charAt(i + 1);
      i += 2;
      switch (e) {
        case 'n' -> out.write('\n');
        case 't' -> out.write('\t');
        case 'r' -> out.write('\r');
        case 'f' -> out.write('\f');
        case 'v' -> out.write(0x0b);
        case 'a' -> out.write(0x07);
        case 'b' -> out.write('\b');
        case 'e' -> out.write(0x1b);
        case '\\', '"', '\'', '<', '>' -> out.write(e);
        case 'x' -> {
          int v = 0;
          int n = 0;
          while (n < 2 && i < to && Character.digit(s.charAt(i), 16) >= 0) {
            v = v * 16 + Character.digit(s.charAt(i), 16);
            i++;
            n++;
          }
          if (n == 0) {
            throw new SyntaxError("\\x without hex digits");
          }
          out.write(v);
        }
        default -> {
          if (e < '0' || e > '7') {
            throw new SyntaxError("unknown escape \\" + e);
          }
          int v = e - '0';
          int n = 1;
          while (n < 3 && i < to && s.charAt(i) >= '0' && s.charAt(i) <= '7') {
            v = v * 8 + (s.charAt(i) - '0');
            i++;
            n++;
          }
          if (v > 0xff) {
            throw new SyntaxError("octal escape above \\377");
          }
          out.write(v);
        }
      }
    }
    return new String(out.toByteArray(), StandardCharsets.ISO_8859_1);
  }

  private static String stripEnd(String line) {
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == '\r' || line.charAt(end - 1) == '\n')) {
      end--;
    }
    return line.substring(0, end);
  }

  private static int skipSpaces(String s, int i) {
    while (i < s.length() && s.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
