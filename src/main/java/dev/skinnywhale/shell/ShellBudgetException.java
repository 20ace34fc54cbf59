package dev.skinnywhale.shell;

/**
 * A script exceeded one of the analysis budgets (size, tokens, nesting); the message says which.
 */
public final class ShellBudgetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ShellBudgetException(String message) {
    super(message);
  }
}
