package dev.skinnywhale.shell;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the words in command position in what {@link ShellLexer} reads: at the start of a line and
 * after {@code ; & && || | |& ( ;; then do else elif if while until ! {}, after assignments and
 * redirections, after {@code exec}, {@code command}, {@code env}, {@code xargs} and the other
 * {@link ShellGrammar#RUNNERS} (past their options) and {@code find -exec}, inside {@code $(...)}
 * and backquotes, and in the strings that are code: {@code sh -c STRING}, {@code trap 'CODE'
 * SIGNALS}, {@code eval 'CODE'}. It skips {@code case} patterns, {@code for} headers, {@code [[ ... ]]},
 * and records function definitions, {@code .}/{@code source} files and the script's own {@code
 * PATH=} assignments (nested lists, being subshells, keep theirs to themselves).
 */
final class CommandScanner implements TokenSink {
  private static final Set<String> REDIRECTIONS =
      Set.of("<", ">", ">>", "<&", ">&", "<>", ">|", "&>", "&>>", "<<<", "<<", "<<-");
  private static final Set<String> SEPARATORS = Set.of("\n", ";", "&", "&&", "||", "|", "|&", "(");

  private enum State {
    COMMAND,
    ARGS,
    REDIRECT,
    FOR_HEADER,
    CASE_SUBJECT,
    CASE_IN,
    CASE_PATTERN,
    COND,
    FUNCTION_NAME,
    FUNCTION_PARENS,
    RUNNER,
    SOURCE,
    DECLARE,
    SHELL_ARGS,
    SHELL_STRING,
    TRAP,
    EVAL,
    FIND_ARGS,
    FIND_EXEC
  }

  /** One command list: the script, or a nested one. */
  private static final class Frame {
    State state = State.COMMAND;
    State beforeRedirect = State.ARGS;
    int caseDepth;
    ShellGrammar.Runner runner;
    int skip;
    int positionals;
    boolean optionsDone;
    List<String> path;
    String pendingName;
    int pendingLine;
    boolean pendingParen;
    StringBuilder evalText;
    int evalLine;
    final boolean subshell;

    Frame(List<String> path, boolean subshell) {
      this.path = path;
      this.subshell = subshell;
    }
  }

  private final LexBudget budget;
  private final Deque<Frame> frames = new ArrayDeque<>();
  private final Map<List<Object>, ScriptAnalysis.CommandUse> commands = new LinkedHashMap<>();
  private final List<ScriptAnalysis.SourceUse> sourced = new ArrayList<>();
  private final TreeSet<String> functions = new TreeSet<>();
  private final List<String> dynamic = new ArrayList<>();

  private CommandScanner(LexBudget budget) {
    this.budget = budget;
    frames.push(new Frame(List.of(), false));
  }

  static ScriptAnalysis scan(String text, LexBudget budget) {
    CommandScanner scanner = new CommandScanner(budget);
    new ShellLexer(text, 1, scanner, budget, 0).lexAll();
    scanner.evaluate(scanner.frames.peek());
    scanner.flush(scanner.frames.peek());
    return new ScriptAnalysis(
        List.copyOf(scanner.commands.values()),
        scanner.sourced,
        scanner.functions,
        scanner.dynamic,
        budget.problems(),
        budget.tokens());
  }

  @Override
  public void enterNested(int line) {
    push(false);
  }

  private void push(boolean subshell) {
    Frame parent = frames.peek();
    flush(parent);
    if (frames.size() > LexBudget.MAX_DEPTH) {
      throw new ShellBudgetException("nested deeper than " + LexBudget.MAX_DEPTH);
    }
    frames.push(new Frame(parent.path, subshell));
  }

  @Override
  public void exitNested() {
    // Subshells left open inside the nested list end with it.
    while (frames.size() > 1 && frames.peek().subshell) {
      evaluate(frames.peek());
      flush(frames.peek());
      frames.pop();
    }
    evaluate(frames.peek());
    flush(frames.peek());
    if (frames.size() > 1) {
      frames.pop();
    }
  }

  @Override
  public void word(Word w) {
    Frame f = frames.peek();
    flush(f);
    dispatch(f, w);
  }

  @Override
  public void operator(String op, int line) {
    Frame f = frames.peek();
    if (f.state == State.EVAL && !REDIRECTIONS.contains(op)) {
      evaluate(f);
    }
    if (f.pendingName != null) {
      if (op.equals("(") && !f.pendingParen) {
        f.pendingParen = true;
        return;
      }
      if (op.equals(")") && f.pendingParen) {
        functions.add(f.pendingName); // name() body: a function definition
        f.pendingName = null;
        f.pendingParen = false;
        f.state = State.COMMAND;
        return;
      }
      flush(f);
    }
    if (op.equals("(") && f.state == State.COMMAND) {
      push(true); // ( list ): a subshell, whose PATH is its own
      return;
    }
    if (op.equals(")") && f.subshell && f.state != State.CASE_PATTERN) {
      flush(f);
      frames.pop();
      frames.peek().state = State.ARGS;
      return;
    }
    switch (f.state) {
      case FOR_HEADER, COND, CASE_SUBJECT, CASE_IN, FUNCTION_PARENS -> {
        return;
      }
      case CASE_PATTERN -> {
        if (op.equals(")")) {
          f.state = State.COMMAND;
        }
        return;
      }
      case REDIRECT -> f.state = f.beforeRedirect;
      default -> {}
    }
    if (REDIRECTIONS.contains(op)) {
      f.beforeRedirect = f.state;
      f.state = State.REDIRECT;
    } else if (op.equals("(())")) {
      if (f.state == State.COMMAND) {
        f.state = State.ARGS;
      }
    } else if (op.equals(";;") || op.equals(";&") || op.equals(";;&")) {
      f.state = f.caseDepth > 0 ? State.CASE_PATTERN : State.COMMAND;
    } else if (op.equals(")")) {
      f.state = State.ARGS;
    } else if (SEPARATORS.contains(op)) {
      f.state = State.COMMAND;
    }
  }

  /** The end of an eval: its joined arguments scanned as code. */
  private void evaluate(Frame f) {
    if (f.evalText != null) {
      String text = f.evalText.toString();
      f.evalText = null;
      code(text, f.evalLine);
    }
  }

  /** A command word seen last is a command unless "()" follows it; an eval's code is read. */
  private void flush(Frame f) {
    if (f.pendingName == null) {
      return;
    }
    List<Object> key = List.of(f.pendingName, f.path);
    commands.putIfAbsent(key, new ScriptAnalysis.CommandUse(f.pendingName, f.pendingLine, f.path));
    f.pendingName = null;
    f.pendingParen = false;
  }

  private void dispatch(Frame f, Word w) {
    Optional<String> plain = w.plain();
    Optional<String> literal = w.literal();
    switch (f.state) {
      case COMMAND -> commandWord(f, w);
      case REDIRECT -> f.state = f.beforeRedirect;
      case FOR_HEADER -> {
        if (plain.filter("do"::equals).isPresent()) {
          f.state = State.COMMAND;
        }
      }
      case COND -> {
        if (plain.filter("]]"::equals).isPresent()) {
          f.state = State.ARGS;
        }
      }
      case CASE_SUBJECT -> f.state = State.CASE_IN;
      case CASE_IN -> {
        if (plain.filter("in"::equals).isPresent()) {
          f.state = State.CASE_PATTERN;
        }
      }
      case CASE_PATTERN -> {
        if (plain.filter("esac"::equals).isPresent()) {
          f.caseDepth = Math.max(0, f.caseDepth - 1);
          f.state = State.ARGS;
        }
      }
      case FUNCTION_NAME -> {
        literal.ifPresent(functions::add);
        f.state = State.FUNCTION_PARENS;
      }
      case FUNCTION_PARENS -> {
        f.state = State.COMMAND;
        commandWord(f, w);
      }
      case SOURCE -> {
        if (literal.isPresent()) {
          sourced.add(new ScriptAnalysis.SourceUse(literal.get(), w.line(), f.path));
        } else {
          dynamic.add("line " + w.line() + ": . " + w.describe());
        }
        f.state = State.ARGS;
      }
      case DECLARE -> {
        if (w.assignedName().isPresent()) {
          assign(f, w);
        }
      }
      case SHELL_ARGS -> shellArgument(f, w);
      case SHELL_STRING -> {
        f.state = State.ARGS;
        literal.ifPresent(text -> code(text, w.line()));
      }
      case TRAP -> {
        // trap 'CODE' SIGNALS; "trap - SIG", "trap -p" and "trap -l" run nothing.
        if (literal.filter(t -> !t.startsWith("-")).isPresent()) {
          f.state = State.ARGS;
          code(literal.get(), w.line());
        } else if (!literal.filter("--"::equals).isPresent()) {
          f.state = State.ARGS;
        }
      }
      case EVAL -> {
        // The arguments, joined, are the code; an expansion stands for an unknown word.
        if (f.evalText == null) {
          f.evalText = new StringBuilder();
          f.evalLine = w.line();
        }
        f.evalText.append(literal.orElse("$_")).append(' ');
      }
      case FIND_ARGS -> {
        if (plain
            .filter(
                a ->
                    a.equals("-exec")
                        || a.equals("-execdir")
                        || a.equals("-ok")
                        || a.equals("-okdir"))
            .isPresent()) {
          f.state = State.FIND_EXEC;
        }
      }
      case FIND_EXEC -> {
        f.state = State.COMMAND;
        commandWord(f, w);
        if (f.state == State.ARGS) {
          f.state = State.FIND_ARGS;
        }
      }
      case RUNNER -> runnerArgument(f, w);
      case ARGS -> {}
    }
  }

  private void commandWord(Frame f, Word w) {
    Optional<String> plain = w.plain();
    if (plain.isPresent() && ShellGrammar.KEYWORDS.contains(plain.get())) {
      keyword(f, plain.get());
      return;
    }
    if (w.assignedName().isPresent()) {
      assign(f, w);
      return;
    }
    Optional<String> literal = w.literal();
    if (literal.isEmpty()) {
      dynamic.add("line " + w.line() + ": " + w.describe());
      f.state = State.ARGS;
      return;
    }
    String name = literal.get();
    f.state = State.ARGS;
    if (name.isEmpty()) {
      return;
    }
    if (ShellGrammar.DECLARING.contains(name)) {
      f.state = State.DECLARE;
      return;
    }
    if (name.equals(".") || name.equals("source")) {
      f.state = State.SOURCE;
      return;
    }
    ShellGrammar.Runner runner = ShellGrammar.RUNNERS.get(name);
    if (name.equals("trap")) {
      f.state = State.TRAP;
    } else if (name.equals("eval")) {
      f.state = State.EVAL;
    } else if (name.equals("find")) {
      f.state = State.FIND_ARGS;
    } else if (runner != null) {
      startRunner(f, runner);
    } else if (ShellGrammar.SHELLS.contains(name.substring(name.lastIndexOf('/') + 1))) {
      f.state = State.SHELL_ARGS;
      f.skip = 0;
    }
    if (!ShellGrammar.BUILTINS.contains(name)) {
      f.pendingName = name;
      f.pendingLine = w.line();
    }
  }

  /** Shell code in a string (sh -c, trap, eval): scanned as a nested list. */
  private void code(String text, int line) {
    enterNested(line);
    new ShellLexer(text, line, this, budget, frames.size()).lexAll();
    exitNested();
  }

  private void keyword(Frame f, String k) {
    switch (k) {
      case "fi", "done", "}", "]]", "in" -> f.state = State.ARGS;
      case "esac" -> {
        f.caseDepth = Math.max(0, f.caseDepth - 1);
        f.state = State.ARGS;
      }
      case "for", "select" -> f.state = State.FOR_HEADER;
      case "case" -> {
        f.caseDepth++;
        f.state = State.CASE_SUBJECT;
      }
      case "function" -> f.state = State.FUNCTION_NAME;
      case "[[" -> f.state = State.COND;
      case "time" -> startRunner(f, ShellGrammar.RUNNERS.get("time"));
      default -> f.state = State.COMMAND; // if then else elif do while until ! { coproc
    }
  }

  private static void startRunner(Frame f, ShellGrammar.Runner runner) {
    f.state = State.RUNNER;
    f.runner = runner;
    f.skip = 0;
    f.positionals = runner.positionals();
    f.optionsDone = false;
  }

  private void runnerArgument(Frame f, Word w) {
    if (f.skip > 0) {
      f.skip--;
      return;
    }
    String text = w.literal().orElse("");
    if (!f.optionsDone && text.startsWith("-") && text.length() > 1) {
      if (text.equals("--")) {
        f.optionsDone = true;
      } else if (f.runner.valueOptions().contains(text)) {
        f.skip = 1;
      }
      return;
    }
    if (f.runner.assignments() && w.assignedName().isPresent()) {
      return;
    }
    if (f.positionals > 0) {
      f.positionals--;
      return;
    }
    f.state = State.COMMAND;
    commandWord(f, w);
  }

  /** After sh/bash/dash/ash: options, then -c STRING (a script of its own) or a script file. */
  private void shellArgument(Frame f, Word w) {
    if (f.skip > 0) {
      f.skip--;
      return;
    }
    Optional<String> literal = w.literal();
    if (literal.isEmpty()) {
      f.state = State.ARGS;
      return;
    }
    String a = literal.get();
    if ((a.startsWith("-") || a.startsWith("+")) && a.length() > 1 && !a.startsWith("--")) {
      if (a.substring(1).contains("c") && a.startsWith("-")) {
        f.state = State.SHELL_STRING;
      } else if (a.endsWith("o")) {
        f.skip = 1; // -o OPTION
      }
      return;
    }
    if (a.startsWith("--")) {
      return;
    }
    sourced.add(new ScriptAnalysis.SourceUse(a, w.line(), f.path));
    f.state = State.ARGS;
  }

  /** NAME=VALUE: for PATH, the frame's search path changes from here on. */
  private static void assign(Frame f, Word w) {
    PathAssignment.of(w, f.path).ifPresent(p -> f.path = p);
  }
}
