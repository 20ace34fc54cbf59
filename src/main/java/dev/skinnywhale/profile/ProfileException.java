package dev.skinnywhale.profile;

import java.util.Objects;

/**
 * A profile could not be found, read or used. The message names the file (or the name that was
 * looked up), the position when one is known, and the reason.
 */
public final class ProfileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String reason;

  public ProfileException(String source, String reason) {
    this(source, reason, null);
  }

  public ProfileException(String source, String reason, Throwable cause) {
    super(Objects.requireNonNull(source, "source") + ": " + Objects.requireNonNull(reason), cause);
    this.source = source;
    this.reason = reason;
  }

  /** The file, resource or name the problem is about (with ":line:column" when known). */
  public String source() {
    return source;
  }

  /** What is wrong, without the source. */
  public String reason() {
    return reason;
  }
}
