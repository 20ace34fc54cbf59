package dev.skinnywhale.docker;

/** The Docker engine could not be reached at all; always of kind {@link Kind#UNAVAILABLE}. */
public final class EngineUnavailableException extends EngineException {
  private static final long serialVersionUID = 1L;

  public EngineUnavailableException(String message, Throwable cause) {
    super(Kind.UNAVAILABLE, message, cause);
  }
}
