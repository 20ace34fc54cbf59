package dev.skinnywhale.workflow;

/** The slim image does not run the smoke commands as the source did. */
public final class VerificationFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient TraceResult result;

  public VerificationFailedException(String message, TraceResult result) {
    super(message);
    this.result = result;
  }

  /** The build that failed verification (its image is left for inspection). */
  public TraceResult result() {
    return result;
  }
}
