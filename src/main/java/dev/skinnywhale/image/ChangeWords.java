package dev.skinnywhale.image;

import java.util.ArrayList;
import java.util.List;

/**
 * The Dockerfile lexer, as far as {@code docker commit --change} uses it: splitting a change into
 * instructions (line continuations, comment lines), splitting an instruction's arguments into words
 * with their quotes kept, and the word processing Docker applies before an instruction takes effect
 * (quotes removed, backslash escapes, {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-word}}, {@code
 * ${VAR:+word}}, {@code ${VAR:?word}} from the config's Env). No command is ever run.
 */
final class ChangeWords {
  /** The most characters one processed word may grow to (a variable used many times). */
  static final int MAX_WORD = 1 << 20;

  /** The deepest {@code ${A:-${B:-...}}} nesting processed. */
  static final int MAX_NESTING = 32;

  private static final char ESCAPE = '\\';

  private ChangeWords() {}

  /**
   * The instructions of one {@code --change} value: lines ending in a backslash continue on the
   * next line, blank lines and lines starting with {@code #} are skipped (also inside a
   * continuation), as in a Dockerfile.
   */
  static List<String> instructions(String change) {
    List<String> out = new ArrayList<>();
    StringBuilder current = null;
    for (String line : change.split("\\R", -1)) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String body = line;
      String right = line.stripTrailing();
      boolean continues = right.endsWith(String.valueOf(ESCAPE));
      if (continues) {
        body = right.substring(0, right.length() - 1);
      }
      if (current == null) {
        current = new StringBuilder(body.stripLeading());
      } else {
        current.append(body);
      }
      if (!continues) {
        out.add(current.toString());
        current = null;
      }
    }
    if (current != null) {
      out.add(current.toString());
    }
    return out;
  }

  /**
   * Words separated by white space, quotes and escapes kept in the words (so that {@link #process}
   * sees them), as Dockerfile's {@code parseWords}.
   */
  static List<String> words(String rest) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    boolean blankOk = false;
    char quote = 0;
    int n = rest.length();
    for (int i = 0; i < n; i++) {
      char c = rest.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == ESCAPE && quote != '\'') {
          if (i + 1 == n) {
            continue;
          }
          word.append(c);
          c = rest.charAt(++i);
        }
        word.append(c);
        continue;
      }
      if (Character.isWhitespace(c)) {
        if (inWord && (blankOk || word.length() > 0)) {
          words.add(word.toString());
        }
        word.setLength(0);
        inWord = false;
        blankOk = false;
        continue;
      }
      inWord = true;
      if (c == '\'' || c == '"') {
        quote = c;
        blankOk = true;
      } else if (c == ESCAPE) {
        if (i + 1 == n) {
          continue;
        }
        word.append(c);
        c = rest.charAt(++i);
      }
      word.append(c);
    }
    if (inWord && (blankOk || word.length() > 0)) {
      words.add(word.toString());
    }
    return words;
  }

  /** Words separated by white space only (EXPOSE, a VOLUME list). */
  static List<String> plainWords(String rest) {
    List<String> out = new ArrayList<>();
    for (String w : rest.strip().split("\\s+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  /**
   * One word as Docker processes it before use: quotes removed, escapes resolved, variables
   * replaced from {@code env} ("KEY=VALUE" entries, the first of a name wins).
   *
   * @throws IllegalArgumentException with Docker's reason (an unterminated quote, a bad
   *     substitution, {@code ${X:?message}} of an unset X)
   */
  static String process(String word, List<String> env) {
    return new Processor(word, env).run();
  }

  /**
   * {@code ${X:?message}} of an unset or empty X: depends on the Env the word is processed with.
   */
  static final class UnsetVariable extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UnsetVariable(String message) {
      super(message);
    }
  }

  private static final class Processor {
    private final String in;
    private final List<String> env;
    private int pos;
    private int depth;

    Processor(String in, List<String> env) {
      this.in = in;
      this.env = env;
    }

    String run() {
      return until((char) 0);
    }

    /** Up to {@code stop} (consumed) or the end when stop is 0. */
    private String until(char stop) {
      StringBuilder result = new StringBuilder();
      while (pos < in.length()) {
        char c = in.charAt(pos);
        if (stop != 0 && c == stop) {
          pos++;
          return result.toString();
        }
        if (c == '\'') {
          append(result, singleQuoted());
        } else if (c == '"') {
          append(result, doubleQuoted());
        } else if (c == '$') {
          append(result, dollar());
        } else {
          pos++;
          if (c == ESCAPE) {
            if (pos >= in.length()) {
              break;
            }
            c = in.charAt(pos++);
          }
          append(result, String.valueOf(c));
        }
      }
      if (stop != 0) {
        throw new IllegalArgumentException(
            "unexpected end of statement while looking for matching " + stop);
      }
      return result.toString();
    }

    private String singleQuoted() {
      int end = in.indexOf('\'', pos + 1);
      if (end < 0) {
        throw new IllegalArgumentException(
            "unexpected end of statement while looking for matching single-quote");
      }
      String s = in.substring(pos + 1, end);
      pos = end + 1;
      return s;
    }

    private String doubleQuoted() {
      StringBuilder result = new StringBuilder();
      pos++;
      while (true) {
        if (pos >= in.length()) {
          throw new IllegalArgumentException(
              "unexpected end of statement while looking for matching double-quote");
        }
        char c = in.charAt(pos);
        if (c == '"') {
          pos++;
          return result.toString();
        }
        if (c == '$') {
          append(result, dollar());
          continue;
        }
        pos++;
        if (c == ESCAPE) {
          if (pos >= in.length()) {
            continue;
          }
          char next = in.charAt(pos);
          if (next == '"' || next == '$' || next == ESCAPE) {
            c = next;
            pos++;
          }
        }
        append(result, String.valueOf(c));
      }
    }

    private String dollar() {
      pos++;
      if (pos >= in.length() || in.charAt(pos) != '{') {
        String name = name();
        return name.isEmpty() ? "$" : lookup(name);
      }
      pos++;
      if (pos >= in.length()) {
        throw new IllegalArgumentException("syntax error: missing '}'");
      }
      char first = in.charAt(pos);
      if (first == '{' || first == '}' || first == ':') {
        throw new IllegalArgumentException("syntax error: bad substitution");
      }
      String name = name();
      if (pos >= in.length()) {
        throw new IllegalArgumentException("syntax error: missing '}'");
      }
      char c = in.charAt(pos++);
      if (c == '}') {
        return lookup(name);
      }
      if (c != ':') {
        throw new IllegalArgumentException("missing ':' in substitution");
      }
      if (pos >= in.length()) {
        throw new IllegalArgumentException("syntax error: missing '}'");
      }
      char modifier = in.charAt(pos++);
      if (++depth > MAX_NESTING) {
        throw new IllegalArgumentException(
            "substitutions nested deeper than " + MAX_NESTING + " levels");
      }
      String word;
      try {
        word = until('}');
      } catch (IllegalArgumentException e) {
        if (pos >= in.length() && !e.getMessage().startsWith("substitutions nested")) {
          throw new IllegalArgumentException("syntax error: missing '}'");
        }
        throw e;
      }
      depth--;
      String value = lookup(name);
      return switch (modifier) {
        case '+' -> value.isEmpty() ? value : word;
        case '-' -> value.isEmpty() ? word : value;
        case '?' -> {
          if (!value.isEmpty()) {
            yield value;
          }
          throw new UnsetVariable(
              word.isEmpty() ? name + " is not allowed to be unset" : name + ": " + word);
        }
        default ->
            throw new IllegalArgumentException(
                "unsupported modifier (" + modifier + ") in substitution");
      };
    }

    /** A name: letters, digits and '_'; one starting with a digit is all digits (positional). */
    private String name() {
      int start = pos;
      if (pos < in.length() && Character.isDigit(in.charAt(pos))) {
        while (pos < in.length() && Character.isDigit(in.charAt(pos))) {
          pos++;
        }
        return in.substring(start, pos);
      }
      while (pos < in.length()) {
        char c = in.charAt(pos);
        if (!Character.isLetterOrDigit(c) && c != '_') {
          break;
        }
        pos++;
      }
      return in.substring(start, pos);
    }

    private String lookup(String name) {
      for (String e : env) {
        int eq = e.indexOf('=');
        if (eq < 0 ? e.equals(name) : e.substring(0, eq).equals(name)) {
          return eq < 0 ? "" : e.substring(eq + 1);
        }
      }
      return "";
    }

    private void append(StringBuilder b, String s) {
      if (b.length() + s.length() > MAX_WORD) {
        throw new IllegalArgumentException("a word grows beyond " + MAX_WORD + " characters");
      }
      b.append(s);
    }
  }
}
