package dev.skinnywhale.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads one word for {@link ShellLexer}: up to an unquoted blank or operator character, with
 * backslashes, {@code '...'}, {@code "..."}, {@code $'...'}, {@code $"..."}, parameters, {@code
 * ${...}}, {@code $((...))}, {@code $(...)} and backquotes (their command lists lexed as nested
 * lists), and bash's array assignments {@code a=(x y)}.
 */
final class WordReader {
  private static final Pattern ARRAY_NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\[[^]]*])?\\+?=");
  private static final Pattern SIMPLE_BRACE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final ShellLexer lexer;
  private final ShellLexer.Cursor c;
  private final LexBudget budget;

  WordReader(ShellLexer lexer) {
    this.lexer = lexer;
    this.c = lexer.c;
    this.budget = lexer.budget;
  }

  Word read() {
    List<Word.Part> parts = new ArrayList<>();
    int start = c.line;
    while (!c.done()) {
      char ch = c.here();
      if (ch == '\\') {
        if (c.at(1) == '\n') {
          c.i += 2;
          c.line++;
        } else if (c.i + 1 < c.s.length()) {
          literal(parts, String.valueOf(c.at(1)), true);
          c.i += 2;
        } else {
          literal(parts, "\\", false);
          c.i++;
        }
      } else if (ch == '(' && isArrayAssignment(parts)) {
        int from = c.i;
        c.skipBalanced("(", ")", budget);
        parts.add(new Word.Expansion(c.s.substring(from, c.i)));
      } else if (" \t\r\n;&|()<>".indexOf(ch) >= 0) {
        break;
      } else if (ch == '\'') {
        singleQuoted(parts);
      } else if (ch == '"') {
        c.i++;
        doubleQuoted(parts, true);
      } else if (ch == '$') {
        dollar(parts, false);
      } else if (ch == '`') {
        backquote(parts);
      } else {
        literal(parts, String.valueOf(ch), false);
        c.i++;
      }
    }
    return new Word(parts, start);
  }

  private static boolean isArrayAssignment(List<Word.Part> parts) {
    return parts.size() == 1
        && parts.get(0) instanceof Word.Literal l
        && !l.quoted()
        && ARRAY_NAME.matcher(l.text()).matches();
  }

  private static int count(String text, char ch) {
    int n = 0;
    for (int k = 0; k < text.length(); k++) {
      if (text.charAt(k) == ch) {
        n++;
      }
    }
    return n;
  }

  private static void literal(List<Word.Part> parts, String text, boolean quoted) {
    if (!parts.isEmpty()
        && parts.get(parts.size() - 1) instanceof Word.Literal last
        && last.quoted() == quoted) {
      parts.set(parts.size() - 1, new Word.Literal(last.text() + text, quoted));
    } else {
      parts.add(new Word.Literal(text, quoted));
    }
  }

  private void singleQuoted(List<Word.Part> parts) {
    int start = c.line;
    int end = c.s.indexOf('\'', c.i + 1);
    if (end < 0) {
      budget.problem("line " + start + ": unterminated ' quote");
      end = c.s.length();
    }
    String text = c.s.substring(c.i + 1, end);
    c.line += count(text, '\n');
    literal(parts, text, true);
    c.i = Math.min(c.s.length(), end + 1);
  }

  /**
   * The inside of "..." from just after the opening quote (or a here-document body when not {@code
   * closing}): backslashes before {@code $ ` " \ newline}, expansions.
   */
  void doubleQuoted(List<Word.Part> parts, boolean closing) {
    int start = c.line;
    while (!c.done()) {
      char ch = c.here();
      if (ch == '"' && closing) {
        c.i++;
        return;
      }
      if (ch == '\\' && c.i + 1 < c.s.length() && "$`\"\\\n".indexOf(c.at(1)) >= 0) {
        if (c.at(1) == '\n') {
          c.line++;
        } else {
          literal(parts, String.valueOf(c.at(1)), true);
        }
        c.i += 2;
      } else if (ch == '$') {
        dollar(parts, true);
      } else if (ch == '`') {
        backquote(parts);
      } else {
        if (ch == '\n') {
          c.line++;
        }
        literal(parts, String.valueOf(ch), true);
        c.i++;
      }
    }
    if (closing) {
      budget.problem("line " + start + ": unterminated \" quote");
    }
  }

  /** At a '$': a parameter, an expansion, $'...' or $"...", or a plain dollar sign. */
  private void dollar(List<Word.Part> parts, boolean inQuotes) {
    char n = c.at(1);
    int start = c.line;
    if (n == '(' && c.at(2) == '(') {
      int from = c.i;
      c.skipBalanced("$((", "))", budget);
      parts.add(new Word.Expansion(c.s.substring(from, c.i)));
    } else if (n == '(') {
      c.i += 2;
      lexer.nestedList(start, "$(");
      parts.add(new Word.Expansion("$(...)"));
    } else if (n == '{') {
      brace(parts);
    } else if (ShellLexer.isNameChar(n) && !Character.isDigit(n)) {
      int from = c.i + 1;
      c.i = from;
      while (!c.done() && ShellLexer.isNameChar(c.here())) {
        c.i++;
      }
      parts.add(new Word.Parameter(c.s.substring(from, c.i)));
    } else if (n != '\0' && (Character.isDigit(n) || "@*#?$!-".indexOf(n) >= 0)) {
      parts.add(new Word.Expansion("$" + n));
      c.i += 2;
    } else if (n == '\'' && !inQuotes) {
      ansiC(parts);
    } else if (n == '"' && !inQuotes) {
      c.i += 2;
      doubleQuoted(parts, true);
    } else {
      literal(parts, "$", inQuotes);
      c.i++;
    }
  }

  /** ${NAME} as a parameter; any other ${...} as an expansion, its substitutions lexed. */
  private void brace(List<Word.Part> parts) {
    int from = c.i;
    int close = c.s.indexOf('}', c.i + 2);
    if (close > 0 && SIMPLE_BRACE.matcher(c.s.substring(c.i + 2, close)).matches()) {
      parts.add(new Word.Parameter(c.s.substring(c.i + 2, close)));
      c.i = close + 1;
      return;
    }
    int start = c.line;
    lexer.nest();
    c.i += 2;
    List<Word.Part> inner = new ArrayList<>();
    boolean closed = false;
    while (!c.done()) {
      char ch = c.here();
      if (ch == '}') {
        c.i++;
        closed = true;
        break;
      }
      if (ch == '\\') {
        c.i = Math.min(c.s.length(), c.i + 2);
      } else if (ch == '\'') {
        singleQuoted(inner);
      } else if (ch == '"') {
        c.i++;
        doubleQuoted(inner, true);
      } else if (ch == '$') {
        dollar(inner, true);
      } else if (ch == '`') {
        backquote(inner);
      } else {
        if (ch == '\n') {
          c.line++;
        }
        c.i++;
      }
    }
    lexer.unnest();
    if (!closed) {
      budget.problem("line " + start + ": unterminated ${");
    }
    parts.add(new Word.Expansion(c.s.substring(from, c.i)));
  }

  /** $'...': ANSI-C quoting; only \\ and \' matter for finding its end. */
  private void ansiC(List<Word.Part> parts) {
    int start = c.line;
    c.i += 2;
    StringBuilder text = new StringBuilder();
    while (!c.done() && c.here() != '\'') {
      char ch = c.here();
      if (ch == '\\' && c.i + 1 < c.s.length()) {
        char e = c.at(1);
        text.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
        c.i += 2;
        continue;
      }
      if (ch == '\n') {
        c.line++;
      }
      text.append(ch);
      c.i++;
    }
    if (c.done()) {
      budget.problem("line " + start + ": unterminated $' quote");
    }
    c.i = Math.min(c.s.length(), c.i + 1);
    literal(parts, text.toString(), true);
  }

  /** `...`: the text up to the closing backquote, unescaped, lexed as a nested command list. */
  private void backquote(List<Word.Part> parts) {
    int start = c.line;
    c.i++;
    StringBuilder inner = new StringBuilder();
    boolean closed = false;
    while (!c.done()) {
      char ch = c.here();
      if (ch == '`') {
        c.i++;
        closed = true;
        break;
      }
      if (ch == '\\' && c.i + 1 < c.s.length() && "`\\$".indexOf(c.at(1)) >= 0) {
        inner.append(c.at(1));
        c.i += 2;
        continue;
      }
      if (ch == '\n') {
        c.line++;
      }
      inner.append(ch);
      c.i++;
    }
    if (!closed) {
      budget.problem("line " + start + ": unterminated `");
    }
    lexer.nest();
    lexer.sink.enterNested(start);
    new ShellLexer(inner.toString(), start, lexer.sink, budget, lexer.depth()).lexAll();
    lexer.sink.exitNested();
    lexer.unnest();
    parts.add(new Word.Expansion("`...`"));
  }
}
