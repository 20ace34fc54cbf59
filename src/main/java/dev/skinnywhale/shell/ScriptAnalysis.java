package dev.skinnywhale.shell;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a shell script runs, read without evaluating it ({@link #of}).
 *
 * @param commands the words in command position that are neither reserved words nor builtins, the
 *     first use of each (name, PATH) pair, in order; functions are not removed yet (a sourced file
 *     may define more)
 * @param sourced files read with {@code .} or {@code source}, or run as {@code sh FILE}
 * @param functions the functions the script defines
 * @param dynamic commands whose name is an expansion ({@code $CC}, {@code "$@"}), described as
 *     {@code line N: word}
 * @param problems where the text is not valid shell (unterminated quotes and the like)
 * @param tokens how many tokens the lexer read
 */
public record ScriptAnalysis(
    List<CommandUse> commands,
    List<SourceUse> sourced,
    SortedSet<String> functions,
    List<String> dynamic,
    List<String> problems,
    int tokens) {

  /**
   * In a {@link CommandUse#path()}: where the PATH the script started with goes ({@code
   * PATH=/opt/bin:$PATH}).
   */
  public static final String INHERITED_PATH = "\0PATH";

  /** The default budget: tokens read from one script, nested lists included. */
  public static final int MAX_TOKENS = 2_000_000;

  /**
   * A command the script runs.
   *
   * @param name as written: a bare name, searched on PATH, or a path
   * @param line where (1-based)
   * @param path the directories of the script's own PATH assignment in effect there, in order, with
   *     {@link #INHERITED_PATH} where the inherited PATH goes; empty when the script set none
   */
  public record CommandUse(String name, int line, List<String> path) {
    public CommandUse {
      Objects.requireNonNull(name, "name");
      path = List.copyOf(path);
    }
  }

  /**
   * A file the script reads as shell code.
   *
   * @param name as written
   * @param line where
   * @param path as for {@link CommandUse#path()} ({@code .} searches PATH for a bare name)
   */
  public record SourceUse(String name, int line, List<String> path) {
    public SourceUse {
      Objects.requireNonNull(name, "name");
      path = List.copyOf(path);
    }
  }

  public ScriptAnalysis {
    commands = List.copyOf(commands);
    sourced = List.copyOf(sourced);
    functions = Collections.unmodifiableSortedSet(new TreeSet<>(functions));
    dynamic = List.copyOf(dynamic);
    problems = List.copyOf(problems);
  }

  /**
   * Analyses shell text (its bytes decoded as ISO-8859-1).
   *
   * @throws ShellBudgetException beyond {@link #MAX_TOKENS} tokens or nested deeper than 64
   */
  public static ScriptAnalysis of(String text) {
    return of(text, MAX_TOKENS);
  }

  /** As {@link #of(String)} with another token budget. */
  public static ScriptAnalysis of(String text, int maxTokens) {
    return CommandScanner.scan(text, new LexBudget(maxTokens));
  }
}
