package dev.skinnywhale.image.registry;

/** A registry could not be reached, refused a call, or does not have the image. */
public final class RegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, for the exit code. */
  public enum Kind {
    UNREACHABLE,
    UNAUTHORIZED,
    NOT_FOUND,
    REFUSED
  }

  private final Kind kind;

  public RegistryException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
