package dev.skinnywhale.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Limits shared by the lexers of one script (tokens, nesting), and what went wrong on the way
 * (unterminated quotes and the like, at most 20 noted).
 */
final class LexBudget {
  static final int MAX_DEPTH = 64;
  private final int maxTokens;
  private int tokens;
  private final List<String> problems = new ArrayList<>();

  LexBudget(int maxTokens) {
    this.maxTokens = maxTokens;
  }

  void token() {
    if (++tokens > maxTokens) {
      throw new ShellBudgetException("more than " + maxTokens + " tokens");
    }
  }

  int tokens() {
    return tokens;
  }

  void problem(String p) {
    if (problems.size() < 20) {
      problems.add(p);
    }
  }

  List<String> problems() {
    return List.copyOf(problems);
  }
}
