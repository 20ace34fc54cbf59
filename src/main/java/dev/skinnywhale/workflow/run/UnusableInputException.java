package dev.skinnywhale.workflow.run;

/**
 * The input exists but cannot be slimmed (no usable filesystem, nothing to keep, wrong options).
 */
public final class UnusableInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnusableInputException(String message) {
    super(message);
  }

  public UnusableInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
