package dev.skinnywhale.workflow.run;

/** A smoke command did not succeed in the source image, so nothing was built. */
public final class ProbeFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ProbeFailedException(String message) {
    super(message);
  }
}
