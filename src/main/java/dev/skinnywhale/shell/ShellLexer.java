package dev.skinnywhale.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits shell text into words and operators the way a POSIX shell (and bash) reads it, without
 * evaluating anything: comments, line continuations, operators and redirections, here-documents
 * (their bodies skipped, the unquoted ones searched for command substitutions), arithmetic commands
 * and process substitutions; the words themselves, with their quotes and expansions, are {@link
 * WordReader}'s. Nested command lists ({@code $(...)}, backquotes) go to the same sink between
 * {@link TokenSink#enterNested} and {@link TokenSink#exitNested}.
 *
 * <p>Lenient: an unterminated quote or substitution ends at the end of the text and is noted in
 * {@link LexBudget#problems()}. Bounded: every token counts against the budget, and nesting deeper
 * than {@link LexBudget#MAX_DEPTH} is a {@link ShellBudgetException}.
 */
final class ShellLexer {
  private static final String[] OPERATORS = {
    ";;&", ";;", ";&", ";", "&&", "&>>", "&>", "&", "||", "|&", "|", "(", ")", "<<<", "<<-", "<<",
    "<&", "<>", "<", ">>", ">&", ">|", ">"
  };

  private record Heredoc(String delimiter, boolean stripTabs, boolean quoted) {}

  final Cursor c;
  final TokenSink sink;
  final LexBudget budget;
  private final WordReader words;
  private final List<Heredoc> pending = new ArrayList<>();
  private int depth;

  ShellLexer(String text, int firstLine, TokenSink sink, LexBudget budget, int depth) {
    this.c = new Cursor(text, firstLine);
    this.sink = sink;
    this.budget = budget;
    this.depth = depth;
    this.words = new WordReader(this);
  }

  /** Lexes the whole text as a command list. */
  void lexAll() {
    lexList(false);
  }

  /** Lexes the whole text as the body of an unquoted here-document: substitutions only. */
  void lexHeredocBody() {
    words.doubleQuoted(new ArrayList<>(), false);
  }

  int depth() {
    return depth;
  }

  void nest() {
    if (++depth > LexBudget.MAX_DEPTH) {
      throw new ShellBudgetException("nested deeper than " + LexBudget.MAX_DEPTH);
    }
  }

  void unnest() {
    depth--;
  }

  /** A nested command list up to its closing ')': between enter and exit, noted when open. */
  void nestedList(int start, String what) {
    nest();
    sink.enterNested(start);
    boolean closed = lexList(true);
    sink.exitNested();
    unnest();
    if (!closed) {
      budget.problem("line " + start + ": unterminated " + what);
    }
  }

  /** Tokens up to the end or, when nested, to the ')' that closes a $( ... ); whether found. */
  private boolean lexList(boolean nested) {
    int parens = 0;
    int cases = 0;
    while (!c.done()) {
      char ch = c.here();
      if (ch == '\\' && c.at(1) == '\n') {
        c.i += 2;
        c.line++;
      } else if (ch == ' ' || ch == '\t' || ch == '\r') {
        c.i++;
      } else if (ch == '\n') {
        operator("\n", c.line);
        c.i++;
        c.line++;
        heredocBodies();
      } else if (ch == '#') {
        while (!c.done() && c.here() != '\n') {
          c.i++;
        }
      } else if (ch == ')' && nested && parens == 0 && cases == 0) {
        c.i++;
        return true;
      } else if ((ch == '<' || ch == '>') && c.at(1) == '(') {
        int start = c.line;
        c.i += 2;
        nestedList(start, "process substitution");
        word(new Word(List.of(new Word.Expansion(ch + "(...)")), start));
      } else if (ch == '(' && c.at(1) == '(') {
        int start = c.line;
        c.skipBalanced("((", "))", budget);
        operator("(())", start);
      } else if (";&|()<>".indexOf(ch) >= 0) {
        String op = readOperator();
        if (op.equals("(")) {
          parens++;
        } else if (op.equals(")") && parens > 0) {
          parens--;
        }
        if (op.equals("<<") || op.equals("<<-")) {
          heredocStart(op.equals("<<-"));
        }
      } else {
        int start = c.line;
        Word w = words.read();
        String plain = w.plain().orElse("");
        if (plain.equals("case")) {
          cases++;
        } else if (plain.equals("esac") && cases > 0) {
          cases--;
        }
        boolean fd = !plain.isEmpty() && (c.here() == '<' || c.here() == '>') && isFd(plain);
        if (!fd) {
          word(new Word(w.parts(), start));
        }
      }
    }
    return false;
  }

  /** A redirection's file descriptor written before it: {@code 2>}, {@code {fd}>}. */
  private static boolean isFd(String plain) {
    return plain.chars().allMatch(Character::isDigit)
        || (plain.startsWith("{")
            && plain.endsWith("}")
            && plain.length() > 2
            && plain.substring(1, plain.length() - 1).chars().allMatch(ShellLexer::isNameChar));
  }

  static boolean isNameChar(int ch) {
    return (ch >= 'a' && ch <= 'z')
        || (ch >= 'A' && ch <= 'Z')
        || (ch >= '0' && ch <= '9')
        || ch == '_';
  }

  private void word(Word w) {
    budget.token();
    sink.word(w);
  }

  private void operator(String op, int at) {
    budget.token();
    sink.operator(op, at);
  }

  private String readOperator() {
    for (String op : OPERATORS) {
      if (c.s.startsWith(op, c.i)) {
        operator(op, c.line);
        c.i += op.length();
        return op;
      }
    }
    throw new IllegalStateException("no operator at " + c.i);
  }

  private void heredocStart(boolean stripTabs) {
    while (c.here() == ' ' || c.here() == '\t') {
      c.i++;
    }
    int start = c.line;
    Word delim = words.read();
    StringBuilder text = new StringBuilder();
    for (Word.Part p : delim.parts()) {
      if (p instanceof Word.Literal l) {
        text.append(l.text());
      } else {
        text.append(new Word(List.of(p), start).describe());
      }
    }
    pending.add(new Heredoc(text.toString(), stripTabs, delim.quoted()));
    word(new Word(delim.parts(), start));
  }

  /** After a newline: the bodies of the here-documents started on the line that ended. */
  private void heredocBodies() {
    List<Heredoc> docs = List.copyOf(pending);
    pending.clear();
    for (Heredoc doc : docs) {
      int start = c.line;
      StringBuilder body = new StringBuilder();
      boolean ended = false;
      while (!c.done()) {
        int eol = c.s.indexOf('\n', c.i);
        int end = eol < 0 ? c.s.length() : eol;
        String l = c.s.substring(c.i, end);
        c.i = eol < 0 ? c.s.length() : eol + 1;
        c.line++;
        String candidate = doc.stripTabs() ? l.replaceFirst("^\t+", "") : l;
        if (candidate.equals(doc.delimiter()) || candidate.equals(doc.delimiter() + "\r")) {
          ended = true;
          break;
        }
        body.append(l).append('\n');
      }
      if (!ended) {
        budget.problem("line " + start + ": here-document " + doc.delimiter() + " not ended");
      }
      if (!doc.quoted() && (body.indexOf("$(") >= 0 || body.indexOf("`") >= 0)) {
        nest();
        new ShellLexer(body.toString(), start, sink, budget, depth).lexHeredocBody();
        unnest();
      }
    }
  }

  /** The text being lexed and where the lexer is in it. */
  static final class Cursor {
    final String s;
    int i;
    int line;

    Cursor(String s, int line) {
      this.s = s;
      this.line = line;
    }

    boolean done() {
      return i >= s.length();
    }

    char here() {
      return at(0);
    }

    /** The character {@code k} after the current one, NUL past the end. */
    char at(int k) {
      return i + k < s.length() ? s.charAt(i + k) : '\0';
    }

    /** Skips from {@code open} to the matching {@code close}, counting parentheses. */
    void skipBalanced(String open, String close, LexBudget budget) {
      int start = line;
      i += open.length();
      int level = 0;
      while (i < s.length()) {
        char ch = s.charAt(i);
        if (ch == '\n') {
          line++;
        } else if (ch == '\\') {
          i++;
        } else if (ch == '(') {
          level++;
        } else if (ch == ')' && level > 0) {
          level--;
        } else if (level == 0 && s.startsWith(close, i)) {
          i += close.length();
          return;
        }
        i++;
      }
      i = s.length();
      budget.problem("line " + start + ": unterminated " + open);
    }
  }
}
